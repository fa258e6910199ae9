/*
 * kern_kmem.c: the kernel memory allocator, over rumpuser_malloc.
 *
 * Its job beyond the host allocator is the memory limit: every byte is
 * charged to one counter, and a charge that would pass RUMP_MEMLIMIT first
 * asks the reclaimers (caches) for memory back, then fails with NULL,
 * which callers turn into ENOMEM.  The halt checks that the counter is
 * back to zero: memory the kernel lost track of is a bug we want to see.
 *
 * DIAGNOSTIC builds put a header before each (non-aligned) allocation with
 * the size and a magic number, and catch a kmem_free with the wrong size
 * or of memory kmem never gave out.
 *
 * Locking: the counters are atomic.  The reclaimer list is changed under
 * kmem_reclaim_lock and walked under it; reclaimers must not allocate.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

#define KMEM_MAGIC 0x6b6d656d4b4d454dULL

struct kmem_header {
	uint64_t kh_magic;
	uint64_t kh_size;
};
#ifdef DIAGNOSTIC
#define KMEM_HDR sizeof(struct kmem_header)
#else
#define KMEM_HDR 0
#endif

static uint64_t kmem_max;		/* c: the limit, in bytes */
static uint64_t kmem_used;		/* atomic */
static struct kmem_reclaimer *kmem_reclaimers;
static kmutex_t kmem_reclaim_lock;
static bool kmem_lock_ready;

int
kmem_init(uint64_t limit)
{

	kmem_max = limit != 0 ? limit : UINT64_MAX;
	kmem_used = 0;
	kmem_reclaimers = NULL;
	kmem_lock_ready = false;
	return 0;
}

/* Called once lwps exist, so that the lock can record its owner. */
void
kmem_sysinit_lock(void)
{

	mutex_init(&kmem_reclaim_lock, MUTEX_DEFAULT, IPL_NONE);
	kmem_lock_ready = true;
}

void
kmem_fini(void)
{

	if (kmem_lock_ready)
		mutex_destroy(&kmem_reclaim_lock);
	kmem_lock_ready = false;
}

uint64_t
kmem_limit(void)
{

	return kmem_max;
}

uint64_t
kmem_inuse(void)
{

	return atomic_load_relaxed(&kmem_used);
}

static bool
kmem_charge1(size_t size)
{
	uint64_t used = atomic_load_relaxed(&kmem_used);

	do {
		if (used + size < used || used + size > kmem_max)
			return false;
	} while (!__atomic_compare_exchange_n(&kmem_used, &used, used + size,
	    true, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}

static void
kmem_uncharge(size_t size)
{

	KASSERT(atomic_load_relaxed(&kmem_used) >= size);
	__atomic_sub_fetch(&kmem_used, size, __ATOMIC_RELAXED);
}

/* Ask the caches for memory back (only from a thread in the kernel). */
static void
kmem_reclaim(size_t want)
{
	struct kmem_reclaimer *kr;
	size_t got = 0;

	if (!kmem_lock_ready || curlwp == NULL || curlwp->l_cpu == NULL)
		return;
	mutex_enter(&kmem_reclaim_lock);
	for (kr = kmem_reclaimers; kr != NULL && got < want; kr = kr->kr_next)
		got += kr->kr_reclaim(want - got);
	mutex_exit(&kmem_reclaim_lock);
}

static bool
kmem_charge(size_t size)
{

	if (kmem_charge1(size))
		return true;
	kmem_reclaim(size);
	return kmem_charge1(size);
}

void *
kmem_alloc(size_t size, km_flag_t flags __unused)
{
	void *mem;
	size_t total = size + KMEM_HDR;

	KASSERT(size != 0);
	if (total < size || !kmem_charge(total))
		return NULL;
	if (rumpuser_malloc(total, 0, &mem) != 0) {
		kmem_uncharge(total);
		return NULL;
	}
#ifdef DIAGNOSTIC
	((struct kmem_header *)mem)->kh_magic = KMEM_MAGIC;
	((struct kmem_header *)mem)->kh_size = size;
	mem = (char *)mem + KMEM_HDR;
#endif
	return mem;
}

void *
kmem_zalloc(size_t size, km_flag_t flags)
{
	void *mem;

	if ((mem = kmem_alloc(size, flags)) != NULL)
		memset(mem, 0, size);
	return mem;
}

void
kmem_free(void *mem, size_t size)
{

	KASSERT(mem != NULL);
#ifdef DIAGNOSTIC
	struct kmem_header *kh = (struct kmem_header *)mem - 1;

	if (kh->kh_magic != KMEM_MAGIC)
		panic("kmem_free: %p was not allocated by kmem_alloc", mem);
	if (kh->kh_size != size)
		panic("kmem_free: %p: size %zu, allocated %llu", mem, size,
		    (unsigned long long)kh->kh_size);
	kh->kh_magic = 0;
	mem = kh;
#endif
	rumpuser_free(mem, size + KMEM_HDR);
	kmem_uncharge(size + KMEM_HDR);
}

void *
kmem_alloc_aligned(size_t size, size_t align, km_flag_t flags __unused)
{
	void *mem;

	KASSERT(size != 0 && powerof2(align) && align <= 1U << 30);
	if (!kmem_charge(size))
		return NULL;
	if (rumpuser_malloc(size, (int)align, &mem) != 0) {
		kmem_uncharge(size);
		return NULL;
	}
	return mem;
}

void
kmem_free_aligned(void *mem, size_t size)
{

	rumpuser_free(mem, size);
	kmem_uncharge(size);
}

char *
kmem_strdup(const char *s, km_flag_t flags)
{
	size_t len = strlen(s) + 1;
	char *p;

	if ((p = kmem_alloc(len, flags)) != NULL)
		memcpy(p, s, len);
	return p;
}

void
kmem_strfree(char *s)
{

	kmem_free(s, strlen(s) + 1);
}

void
kmem_reclaimer_register(struct kmem_reclaimer *kr)
{

	mutex_enter(&kmem_reclaim_lock);
	kr->kr_next = kmem_reclaimers;
	kmem_reclaimers = kr;
	mutex_exit(&kmem_reclaim_lock);
}

void
kmem_reclaimer_unregister(struct kmem_reclaimer *kr)
{
	struct kmem_reclaimer **krp;

	mutex_enter(&kmem_reclaim_lock);
	for (krp = &kmem_reclaimers; *krp != NULL; krp = &(*krp)->kr_next) {
		if (*krp == kr) {
			*krp = kr->kr_next;
			break;
		}
	}
	mutex_exit(&kmem_reclaim_lock);
}
