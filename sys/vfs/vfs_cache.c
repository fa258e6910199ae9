/*
 * vfs_cache.c: the name cache.
 *
 * Remembers the result of looking a name up in a directory: the vnode it
 * names, or that it does not exist (a negative entry), so that walking a
 * path asks the file system only for names not seen recently.  Entries
 * hold no reference to their vnodes: a vnode purges its entries (both
 * the names in it as a directory and the names of it) before it is
 * reclaimed, and a hit takes a reference with vref_try(), which refuses
 * a vnode on its way out.
 *
 * Coherence: an entry is entered, replaced or purged only while the
 * directory's vnode lock is held (shared by a lookup, exclusive by a
 * change), so a lookup never caches a state that a concurrent create or
 * remove has already changed.  "." and ".." and names longer than
 * NC_NAMELEN are not cached.
 *
 * Locking: cache_lock protects everything here and the vnodes' v_nclist
 * and v_dnclist; it is taken before vcache_lock (vref_try), never after.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/queue.h>
#include <sys/vnode.h>

#include "vfs_private.h"

#define NC_NAMELEN 40		/* longer names are not cached */
#define NC_HASHSIZE 4096	/* buckets, a power of two */
#define NC_MAX 16384		/* entries before the oldest go */

struct namecache {
	TAILQ_ENTRY(namecache) nc_hash;		/* bucket */
	TAILQ_ENTRY(namecache) nc_lru;		/* nc_lru */
	TAILQ_ENTRY(namecache) nc_dlist;	/* dvp's v_dnclist */
	TAILQ_ENTRY(namecache) nc_vlist;	/* vp's v_nclist */
	struct vnode *nc_dvp;
	struct vnode *nc_vp;			/* NULL: negative */
	uint8_t nc_namelen;
	char nc_name[NC_NAMELEN];
};
TAILQ_HEAD(nclist, namecache);

static kmutex_t cache_lock;
static struct nclist *nc_hash;
static struct nclist nc_lru;
static unsigned int nc_count;

static struct nclist *
nc_bucket(struct vnode *dvp, const char *name, size_t len)
{
	uint64_t h = (uint64_t)(uintptr_t)dvp * 0x9e3779b97f4a7c15ULL;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 0x100000001b3ULL;
	h ^= h >> 32;
	return &nc_hash[h & (NC_HASHSIZE - 1)];
}

static bool
nc_cacheable(const char *name, size_t len)
{

	if (len == 0 || len > NC_NAMELEN)
		return false;
	if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
		return false;
	return true;
}

static struct namecache *
nc_find(struct vnode *dvp, const char *name, size_t len)
{
	struct namecache *ncp;

	KASSERT(mutex_owned(&cache_lock));
	TAILQ_FOREACH(ncp, nc_bucket(dvp, name, len), nc_hash) {
		if (ncp->nc_dvp == dvp && ncp->nc_namelen == len &&
		    memcmp(ncp->nc_name, name, len) == 0)
			return ncp;
	}
	return NULL;
}

static void
nc_remove(struct namecache *ncp)
{

	KASSERT(mutex_owned(&cache_lock));
	TAILQ_REMOVE(nc_bucket(ncp->nc_dvp, ncp->nc_name, ncp->nc_namelen),
	    ncp, nc_hash);
	TAILQ_REMOVE(&nc_lru, ncp, nc_lru);
	TAILQ_REMOVE(&ncp->nc_dvp->v_dnclist, ncp, nc_dlist);
	if (ncp->nc_vp != NULL)
		TAILQ_REMOVE(&ncp->nc_vp->v_nclist, ncp, nc_vlist);
	nc_count--;
	kmem_free(ncp, sizeof(*ncp));
}

int
cache_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct namecache *ncp;
	int error = -1;

	if (!nc_cacheable(name, len))
		return -1;
	mutex_enter(&cache_lock);
	if ((ncp = nc_find(dvp, name, len)) != NULL) {
		if (ncp->nc_vp == NULL)
			error = ENOENT;
		else if (vref_try(ncp->nc_vp)) {
			*vpp = ncp->nc_vp;
			error = 0;
		}
		if (error != -1) {
			TAILQ_REMOVE(&nc_lru, ncp, nc_lru);
			TAILQ_INSERT_TAIL(&nc_lru, ncp, nc_lru);
		}
	}
	mutex_exit(&cache_lock);
	return error;
}

void
cache_enter(struct vnode *dvp, struct vnode *vp, const char *name,
    size_t len)
{
	struct namecache *ncp, *old;

	if (!nc_cacheable(name, len))
		return;
	/* Allocated outside the lock; dropped if the memory is short. */
	if ((ncp = kmem_alloc(sizeof(*ncp), KM_NOSLEEP)) == NULL) {
		cache_remove(dvp, name, len);
		return;
	}
	ncp->nc_dvp = dvp;
	ncp->nc_vp = vp;
	ncp->nc_namelen = (uint8_t)len;
	memcpy(ncp->nc_name, name, len);
	mutex_enter(&cache_lock);
	if ((old = nc_find(dvp, name, len)) != NULL)
		nc_remove(old);
	TAILQ_INSERT_HEAD(nc_bucket(dvp, name, len), ncp, nc_hash);
	TAILQ_INSERT_TAIL(&nc_lru, ncp, nc_lru);
	TAILQ_INSERT_TAIL(&dvp->v_dnclist, ncp, nc_dlist);
	if (vp != NULL)
		TAILQ_INSERT_TAIL(&vp->v_nclist, ncp, nc_vlist);
	nc_count++;
	while (nc_count > NC_MAX)
		nc_remove(TAILQ_FIRST(&nc_lru));
	mutex_exit(&cache_lock);
}

void
cache_remove(struct vnode *dvp, const char *name, size_t len)
{
	struct namecache *ncp;

	if (!nc_cacheable(name, len))
		return;
	mutex_enter(&cache_lock);
	if ((ncp = nc_find(dvp, name, len)) != NULL)
		nc_remove(ncp);
	mutex_exit(&cache_lock);
}

void
cache_purge(struct vnode *vp)
{
	struct namecache *ncp;

	mutex_enter(&cache_lock);
	while ((ncp = TAILQ_FIRST(&vp->v_dnclist)) != NULL)
		nc_remove(ncp);
	while ((ncp = TAILQ_FIRST(&vp->v_nclist)) != NULL)
		nc_remove(ncp);
	mutex_exit(&cache_lock);
}

int
cache_init(void)
{
	int i;

	nc_hash = kmem_alloc(NC_HASHSIZE * sizeof(*nc_hash), KM_SLEEP);
	if (nc_hash == NULL)
		return ENOMEM;
	for (i = 0; i < NC_HASHSIZE; i++)
		TAILQ_INIT(&nc_hash[i]);
	TAILQ_INIT(&nc_lru);
	nc_count = 0;
	mutex_init(&cache_lock, MUTEX_DEFAULT, IPL_NONE);
	return 0;
}

void
cache_fini(void)
{

	KASSERTMSG(nc_count == 0, "cache_fini: %u names left", nc_count);
	mutex_destroy(&cache_lock);
	kmem_free(nc_hash, NC_HASHSIZE * sizeof(*nc_hash));
	nc_hash = NULL;
}
