/*
 * subr_pool.c: pools of fixed-size objects.
 *
 * A pool carves objects out of slabs taken from kmem_alloc_aligned, each
 * slab aligned to its own (power of two) size, so that the slab of an
 * object is found by masking its address.  The slab header sits at the
 * start of the slab and keeps a free list of its objects.  A slab with
 * free objects is on pr_partial, a full one on pr_full; a slab that
 * becomes empty goes back to kmem unless it is the only one with free
 * objects, so an idle pool holds at most one slab (and a pool used one
 * object at a time does not allocate each time).
 *
 * Locking: pr_lock protects the slab lists and every slab's free list.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/pool.h>

struct pool_item {
	struct pool_item *pi_next;
};

struct pool_slab {
	TAILQ_ENTRY(pool_slab) ps_entry;	/* pr_lock */
	struct pool_item *ps_free;		/* pr_lock */
	unsigned int ps_nfree;			/* pr_lock */
};

#define POOL_MINSLAB 4096
#define POOL_MINPERSLAB 8

static size_t
pool_slab_header(const struct pool *pp)
{

	return roundup(sizeof(struct pool_slab), pp->pr_size < 64 ?
	    sizeof(void *) * 2 : 64);
}

void
pool_init(struct pool *pp, size_t size, size_t align, const char *name)
{
	size_t slab;

	if (align < sizeof(void *))
		align = sizeof(void *);
	KASSERT(powerof2(align));
	if (size < sizeof(struct pool_item))
		size = sizeof(struct pool_item);
	pp->pr_size = roundup(size, align);
	pp->pr_name = name;
	slab = POOL_MINSLAB;
	while (slab < sizeof(struct pool_slab) + 64 +
	    POOL_MINPERSLAB * pp->pr_size)
		slab <<= 1;
	pp->pr_slabsize = slab;
	pp->pr_perslab = (unsigned int)((slab - pool_slab_header(pp)) /
	    pp->pr_size);
	TAILQ_INIT(&pp->pr_partial);
	TAILQ_INIT(&pp->pr_full);
	pp->pr_nout = pp->pr_nslabs = 0;
	mutex_init(&pp->pr_lock, MUTEX_DEFAULT, IPL_NONE);
}

static struct pool_slab *
pool_slab_alloc(struct pool *pp)
{
	struct pool_slab *ps;
	char *obj;
	unsigned int i;

	ps = kmem_alloc_aligned(pp->pr_slabsize, pp->pr_slabsize, KM_NOSLEEP);
	if (ps == NULL)
		return NULL;
	ps->ps_free = NULL;
	obj = (char *)ps + pool_slab_header(pp);
	for (i = 0; i < pp->pr_perslab; i++, obj += pp->pr_size) {
		struct pool_item *pi = (struct pool_item *)obj;

		pi->pi_next = ps->ps_free;
		ps->ps_free = pi;
	}
	ps->ps_nfree = pp->pr_perslab;
	return ps;
}

void *
pool_get(struct pool *pp, int flags)
{
	struct pool_slab *ps;
	struct pool_item *pi;

	mutex_enter(&pp->pr_lock);
	if ((ps = TAILQ_FIRST(&pp->pr_partial)) == NULL) {
		mutex_exit(&pp->pr_lock);
		if ((ps = pool_slab_alloc(pp)) == NULL)
			return NULL;
		mutex_enter(&pp->pr_lock);
		TAILQ_INSERT_HEAD(&pp->pr_partial, ps, ps_entry);
		pp->pr_nslabs++;
	}
	pi = ps->ps_free;
	ps->ps_free = pi->pi_next;
	if (--ps->ps_nfree == 0) {
		TAILQ_REMOVE(&pp->pr_partial, ps, ps_entry);
		TAILQ_INSERT_TAIL(&pp->pr_full, ps, ps_entry);
	}
	pp->pr_nout++;
	mutex_exit(&pp->pr_lock);
	if (flags & PR_ZERO)
		memset(pi, 0, pp->pr_size);
	return pi;
}

void
pool_put(struct pool *pp, void *obj)
{
	struct pool_slab *ps;
	struct pool_item *pi = obj;

	ps = (struct pool_slab *)((uintptr_t)obj & ~(pp->pr_slabsize - 1));
	KASSERTMSG((char *)obj >= (char *)ps + pool_slab_header(pp) &&
	    ((char *)obj - (char *)ps - pool_slab_header(pp)) %
	    pp->pr_size == 0, "pool_put: %s: %p is not an object of this pool",
	    pp->pr_name, obj);
	mutex_enter(&pp->pr_lock);
	KASSERT(pp->pr_nout > 0);
	pp->pr_nout--;
	pi->pi_next = ps->ps_free;
	ps->ps_free = pi;
	if (ps->ps_nfree++ == 0) {
		TAILQ_REMOVE(&pp->pr_full, ps, ps_entry);
		TAILQ_INSERT_HEAD(&pp->pr_partial, ps, ps_entry);
	}
	if (ps->ps_nfree == pp->pr_perslab &&
	    (TAILQ_FIRST(&pp->pr_partial) != ps ||
	    TAILQ_NEXT(ps, ps_entry) != NULL)) {
		TAILQ_REMOVE(&pp->pr_partial, ps, ps_entry);
		pp->pr_nslabs--;
	} else
		ps = NULL;
	mutex_exit(&pp->pr_lock);
	if (ps != NULL)
		kmem_free_aligned(ps, pp->pr_slabsize);
}

/* Objects still out are a leak of the pool's user; say so. */
void
pool_destroy(struct pool *pp)
{
	struct pool_slab *ps;

	if (pp->pr_nout != 0)
		printf("pool_destroy: %s: %lu objects still allocated\n",
		    pp->pr_name, pp->pr_nout);
	KASSERT(pp->pr_nout == 0);
	while ((ps = TAILQ_FIRST(&pp->pr_partial)) != NULL) {
		TAILQ_REMOVE(&pp->pr_partial, ps, ps_entry);
		kmem_free_aligned(ps, pp->pr_slabsize);
	}
	while ((ps = TAILQ_FIRST(&pp->pr_full)) != NULL) {
		TAILQ_REMOVE(&pp->pr_full, ps, ps_entry);
		kmem_free_aligned(ps, pp->pr_slabsize);
	}
	mutex_destroy(&pp->pr_lock);
}
