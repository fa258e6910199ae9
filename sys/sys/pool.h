/*
 * pool.h: fixed-size object pools.  Objects are carved from page-sized
 * slabs taken from kmem (so they count against the memory limit); freed
 * objects go back on a free list and slabs return to kmem when empty
 * or when the pool is destroyed.
 */
#ifndef _SYS_POOL_H_
#define _SYS_POOL_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/kmem.h>

struct pool_slab;

struct pool {
	kmutex_t pr_lock;
	const char *pr_name;		/* c */
	size_t pr_size;			/* c: object size, aligned */
	size_t pr_slabsize;		/* c */
	unsigned int pr_perslab;	/* c: objects per slab */
	TAILQ_HEAD(, pool_slab) pr_partial; /* l: slabs with free objects */
	TAILQ_HEAD(, pool_slab) pr_full;    /* l: slabs without */
	unsigned long pr_nout;		/* l: objects handed out */
	unsigned long pr_nslabs;	/* l */
};

void pool_init(struct pool *, size_t size, size_t align, const char *name);
void pool_destroy(struct pool *);
/* NULL when memory is exhausted (PR_WAITOK and PR_NOWAIT alike). */
#define PR_WAITOK 0x1
#define PR_NOWAIT 0x2
#define PR_ZERO 0x4
void *pool_get(struct pool *, int flags);
void pool_put(struct pool *, void *);

#endif /* _SYS_POOL_H_ */
