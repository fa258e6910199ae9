/*
 * kmem.h: the kernel memory allocator.
 *
 * Every allocation is charged against the kernel's memory limit
 * (RUMP_MEMLIMIT).  When an allocation would exceed it, the allocator first
 * asks the registered reclaimers (caches: buffers, names, vnodes) to give
 * memory back, then fails: kmem_alloc returns NULL and the caller returns
 * ENOMEM.  KM_SLEEP and KM_NOSLEEP behave alike; callers check for NULL.
 */
#ifndef _SYS_KMEM_H_
#define _SYS_KMEM_H_

#include <sys/types.h>

typedef enum {
	KM_SLEEP = 0x1,
	KM_NOSLEEP = 0x2
} km_flag_t;

void *kmem_alloc(size_t, km_flag_t);
void *kmem_zalloc(size_t, km_flag_t);
void kmem_free(void *, size_t);
/* A copy of the string in kmem; free with kmem_strfree. */
char *kmem_strdup(const char *, km_flag_t);
void kmem_strfree(char *);
/* Page-aligned (or otherwise aligned) memory. */
void *kmem_alloc_aligned(size_t, size_t align, km_flag_t);
void kmem_free_aligned(void *, size_t);

/* Memory accounting. */
uint64_t kmem_limit(void);
uint64_t kmem_inuse(void);

/* A reclaimer frees up to `want' bytes of cached memory and returns how
 * much it freed.  Called without locks held by the allocating thread. */
struct kmem_reclaimer {
	const char *kr_name;
	size_t (*kr_reclaim)(size_t want);
	struct kmem_reclaimer *kr_next;
};
void kmem_reclaimer_register(struct kmem_reclaimer *);
void kmem_reclaimer_unregister(struct kmem_reclaimer *);

#endif /* _SYS_KMEM_H_ */
