/*
 * vfs_vnode.c: the vnode cache and the life cycle of a vnode.
 *
 * Every vnode of every mount is in one hash table keyed by (mount, key),
 * where the key is the file system's inode number.  vcache_get() finds a
 * vnode or loads it (VFS_LOADVNODE) and returns it referenced.  When the
 * last reference goes (vrele), VOP_INACTIVE runs with the vnode locked;
 * the vnode then either stays cached, unreferenced, on an LRU list, or,
 * when inactive asks for it (a removed file), is reclaimed at once.
 * Unreferenced vnodes are also reclaimed when the LRU grows past its
 * limit and when their mount is unmounted (vflush).
 *
 * States: a vnode is LOADING from its insertion until the file system has
 * filled it in, and RECLAIMING from the moment it is chosen for reclaim
 * until it is freed.  Both stay in the hash so that a second vcache_get
 * of the same key waits (on vcache_cv) instead of loading a twin: a file
 * system's node may be attached to one vnode at a time.
 *
 * Locking: vcache_lock protects the hash, the LRU, the per-mount lists,
 * v_usecount and v_iflag (v_usecount is also changed with atomic
 * operations, so that an assertion may read it without the lock); vcache_cv is signalled on every LOADING or
 * RECLAIMING transition.  vcache_lock is a leaf: nothing else is taken
 * while it is held (VOPs run without it).  A vnode lock (v_lock) is never
 * taken while vcache_lock is held either.
 *
 * Reference rules: a vnode is freed only when it is unreferenced and
 * RECLAIMING; code that finds a vnode through a structure that holds no
 * reference (the name cache) takes one with vref_try(), which refuses a
 * vnode that is loading or being reclaimed.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/queue.h>
#include <sys/rwlock.h>
#include <sys/vnode.h>

#include "vfs_private.h"

#define VCACHE_HASHSIZE 4096		/* buckets, a power of two */
#define VCACHE_LRU_MAX 8192		/* unreferenced vnodes kept */

TAILQ_HEAD(vnodelist, vnode);

static kmutex_t vcache_lock;
static kcondvar_t vcache_cv;
static struct vnodelist *vcache_hash;		/* vcache_lock */
static struct vnodelist vcache_lru;		/* vcache_lock */
static unsigned int vcache_nlru;		/* vcache_lock */
static unsigned int vcache_nvnodes;		/* vcache_lock */

static struct vnodelist *
vcache_bucket(struct mount *mp, uint64_t key)
{
	uint64_t h;

	h = key * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)mp;
	h ^= h >> 29;
	return &vcache_hash[h & (VCACHE_HASHSIZE - 1)];
}

int
vcache_init(void)
{
	int i;

	vcache_hash = kmem_alloc(VCACHE_HASHSIZE * sizeof(*vcache_hash),
	    KM_SLEEP);
	if (vcache_hash == NULL)
		return ENOMEM;
	for (i = 0; i < VCACHE_HASHSIZE; i++)
		TAILQ_INIT(&vcache_hash[i]);
	TAILQ_INIT(&vcache_lru);
	vcache_nlru = 0;
	vcache_nvnodes = 0;
	mutex_init(&vcache_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&vcache_cv, "vcache");
	return 0;
}

void
vcache_fini(void)
{

	KASSERTMSG(vcache_nvnodes == 0, "vcache_fini: %u vnodes left",
	    vcache_nvnodes);
	cv_destroy(&vcache_cv);
	mutex_destroy(&vcache_lock);
	kmem_free(vcache_hash, VCACHE_HASHSIZE * sizeof(*vcache_hash));
	vcache_hash = NULL;
}

static struct vnode *
vnode_alloc(struct mount *mp, uint64_t key)
{
	struct vnode *vp;

	if ((vp = kmem_zalloc(sizeof(*vp), KM_SLEEP)) == NULL)
		return NULL;
	mutex_init(&vp->v_interlock, MUTEX_DEFAULT, IPL_NONE);
	rw_init(&vp->v_lock);
	vp->v_usecount = 1;
	vp->v_iflag = VI_LOADING;
	vp->v_type = VNON;
	vp->v_mount = mp;
	vp->v_key = key;
	TAILQ_INIT(&vp->v_dnclist);
	TAILQ_INIT(&vp->v_nclist);
	return vp;
}

static void
vnode_free(struct vnode *vp)
{

	rw_destroy(&vp->v_lock);
	mutex_destroy(&vp->v_interlock);
	kmem_free(vp, sizeof(*vp));
}

/* Take vp off the cache and free it; it is RECLAIMING and unreferenced. */
static void
vnode_destroy(struct vnode *vp)
{
	struct mount *mp = vp->v_mount;

	KASSERT(mutex_owned(&vcache_lock));
	KASSERT(vp->v_usecount == 0 && (vp->v_iflag & VI_RECLAIMING));
	TAILQ_REMOVE(vcache_bucket(mp, vp->v_key), vp, v_cache);
	TAILQ_REMOVE(&mp->mnt_vnodelist, vp, v_mntvnodes);
	vcache_nvnodes--;
	cv_broadcast(&vcache_cv);
	mutex_exit(&vcache_lock);
	vnode_free(vp);
	mutex_enter(&vcache_lock);
}

/*
 * Reclaim vp, which the caller has marked RECLAIMING (and taken off the
 * LRU) under vcache_lock: purge its names, let the file system free its
 * data, then free the vnode.  Called with vcache_lock held; drops it
 * while the file system works.
 */
static void
vnode_reclaim(struct vnode *vp)
{

	KASSERT(mutex_owned(&vcache_lock));
	mutex_exit(&vcache_lock);
	cache_purge(vp);
	if (vp->v_data != NULL) {
		rw_enter(&vp->v_lock, RW_WRITER);
		(void)vp->v_op->vop_reclaim(vp);
		rw_exit(&vp->v_lock);
		vp->v_data = NULL;
	}
	mutex_enter(&vcache_lock);
	vnode_destroy(vp);
}

/* Reclaim unreferenced vnodes while the LRU is over its limit. */
static void
vcache_trim(void)
{
	struct vnode *vp;

	KASSERT(mutex_owned(&vcache_lock));
	while (vcache_nlru > VCACHE_LRU_MAX) {
		vp = TAILQ_FIRST(&vcache_lru);
		TAILQ_REMOVE(&vcache_lru, vp, v_lru);
		vcache_nlru--;
		vp->v_iflag |= VI_RECLAIMING;
		vnode_reclaim(vp);
	}
}

int
vcache_get(struct mount *mp, uint64_t key, struct vnode **vpp)
{
	struct vnodelist *bucket;
	struct vnode *vp, *nvp = NULL;
	int error;

	mutex_enter(&vcache_lock);
	bucket = vcache_bucket(mp, key);
 again:
	TAILQ_FOREACH(vp, bucket, v_cache) {
		if (vp->v_mount == mp && vp->v_key == key)
			break;
	}
	if (vp != NULL) {
		if (vp->v_iflag & (VI_LOADING | VI_RECLAIMING)) {
			cv_wait(&vcache_cv, &vcache_lock);
			goto again;
		}
		if (__atomic_fetch_add(&vp->v_usecount, 1,
		    __ATOMIC_RELAXED) == 0) {
			TAILQ_REMOVE(&vcache_lru, vp, v_lru);
			vcache_nlru--;
		}
		mutex_exit(&vcache_lock);
		if (nvp != NULL)
			vnode_free(nvp);
		*vpp = vp;
		return 0;
	}
	if (mp->mnt_gone) {
		mutex_exit(&vcache_lock);
		if (nvp != NULL)
			vnode_free(nvp);
		return ENOENT;
	}
	if (nvp == NULL) {
		/* Allocate without the lock, then look again. */
		mutex_exit(&vcache_lock);
		if ((nvp = vnode_alloc(mp, key)) == NULL)
			return ENOMEM;
		mutex_enter(&vcache_lock);
		goto again;
	}
	vp = nvp;
	TAILQ_INSERT_HEAD(bucket, vp, v_cache);
	TAILQ_INSERT_TAIL(&mp->mnt_vnodelist, vp, v_mntvnodes);
	vcache_nvnodes++;
	mutex_exit(&vcache_lock);

	error = mp->mnt_op->vfs_loadvnode(mp, vp, key);

	mutex_enter(&vcache_lock);
	if (error) {
		KASSERT(vp->v_data == NULL);
		__atomic_store_n(&vp->v_usecount, 0, __ATOMIC_RELAXED);
		vp->v_iflag = VI_RECLAIMING;
		vnode_destroy(vp);
		mutex_exit(&vcache_lock);
		return error;
	}
	KASSERT(vp->v_op != NULL && vp->v_type != VNON);
	vp->v_iflag &= ~VI_LOADING;
	cv_broadcast(&vcache_cv);
	mutex_exit(&vcache_lock);
	*vpp = vp;
	return 0;
}

void
vref(struct vnode *vp)
{

	mutex_enter(&vcache_lock);
	KASSERT(vp->v_usecount > 0);
	__atomic_add_fetch(&vp->v_usecount, 1, __ATOMIC_RELAXED);
	mutex_exit(&vcache_lock);
}

bool
vref_try(struct vnode *vp)
{
	bool ok;

	mutex_enter(&vcache_lock);
	ok = (vp->v_iflag & (VI_LOADING | VI_RECLAIMING)) == 0;
	if (ok && __atomic_fetch_add(&vp->v_usecount, 1,
	    __ATOMIC_RELAXED) == 0) {
		TAILQ_REMOVE(&vcache_lru, vp, v_lru);
		vcache_nlru--;
	}
	mutex_exit(&vcache_lock);
	return ok;
}

/*
 * Drop a reference.  The last one runs VOP_INACTIVE with the vnode
 * locked; meanwhile the reference is kept, so a concurrent vcache_get
 * simply shares the vnode.  The caller holds no lock of vp.
 */
void
vrele(struct vnode *vp)
{
	bool recycle = false;

	mutex_enter(&vcache_lock);
	KASSERT(vp->v_usecount > 0);
	if (vp->v_usecount > 1) {
		__atomic_sub_fetch(&vp->v_usecount, 1, __ATOMIC_RELAXED);
		mutex_exit(&vcache_lock);
		return;
	}
	mutex_exit(&vcache_lock);

	rw_enter(&vp->v_lock, RW_WRITER);
	if (vp->v_op->vop_inactive != NULL)
		(void)vp->v_op->vop_inactive(vp, &recycle);
	rw_exit(&vp->v_lock);

	mutex_enter(&vcache_lock);
	if (__atomic_sub_fetch(&vp->v_usecount, 1, __ATOMIC_RELAXED) > 0) {
		/* Taken again while inactive ran: the new owner's now. */
		mutex_exit(&vcache_lock);
		return;
	}
	if (recycle || (vp->v_mount->mnt_gone)) {
		vp->v_iflag |= VI_RECLAIMING;
		vnode_reclaim(vp);
	} else {
		TAILQ_INSERT_TAIL(&vcache_lru, vp, v_lru);
		vcache_nlru++;
		vcache_trim();
	}
	mutex_exit(&vcache_lock);
}

void
vput(struct vnode *vp)
{

	vn_unlock(vp);
	vrele(vp);
}

void
vn_lock(struct vnode *vp, krw_t op)
{

	/* Read without vcache_lock: only our own reference matters. */
	KASSERT(__atomic_load_n(&vp->v_usecount, __ATOMIC_RELAXED) > 0);
	rw_enter(&vp->v_lock, op);
}

void
vn_unlock(struct vnode *vp)
{

	rw_exit(&vp->v_lock);
}

/*
 * Before an unmount: reclaim every unreferenced vnode of mp; EBUSY (and
 * nothing reclaimed beyond what was idle) if a vnode other than skip
 * (the root, referenced by the mount itself) is still in use.
 */
int
vflush(struct mount *mp, struct vnode *skip)
{
	struct vnode *vp;

	mutex_enter(&vcache_lock);
	TAILQ_FOREACH(vp, &mp->mnt_vnodelist, v_mntvnodes) {
		if (vp == skip)
			continue;
		if (vp->v_usecount > 0 || (vp->v_iflag & VI_LOADING)) {
			mutex_exit(&vcache_lock);
			return EBUSY;
		}
	}
	if (skip != NULL && skip->v_usecount > 1) {
		mutex_exit(&vcache_lock);
		return EBUSY;
	}
 again:
	TAILQ_FOREACH(vp, &mp->mnt_vnodelist, v_mntvnodes) {
		if (vp == skip || (vp->v_iflag & VI_RECLAIMING))
			continue;
		KASSERT(vp->v_usecount == 0);
		TAILQ_REMOVE(&vcache_lru, vp, v_lru);
		vcache_nlru--;
		vp->v_iflag |= VI_RECLAIMING;
		vnode_reclaim(vp);
		goto again;
	}
	/* Wait for reclaims that other threads started. */
	while (TAILQ_FIRST(&mp->mnt_vnodelist) != NULL &&
	    (TAILQ_FIRST(&mp->mnt_vnodelist) != skip ||
	    TAILQ_NEXT(skip, v_mntvnodes) != NULL))
		cv_wait(&vcache_cv, &vcache_lock);
	mutex_exit(&vcache_lock);
	return 0;
}

/*
 * The mount is going: reclaim its root vnode, whose only reference is
 * the mount's.  After this, vcache_get on mp fails and the last vrele of
 * any vnode of mp reclaims it.
 */
void
vflush_root(struct mount *mp, struct vnode *rootvp)
{

	mutex_enter(&vcache_lock);
	mp->mnt_gone = true;
	KASSERT(rootvp->v_usecount == 1);
	__atomic_store_n(&rootvp->v_usecount, 0, __ATOMIC_RELAXED);
	rootvp->v_iflag |= VI_RECLAIMING;
	vnode_reclaim(rootvp);
	mutex_exit(&vcache_lock);
}

void
vn_setroot(struct vnode *vp)
{

	mutex_enter(&vcache_lock);
	vp->v_iflag |= VI_ROOT;
	mutex_exit(&vcache_lock);
}

bool
vn_isroot(struct vnode *vp)
{

	/* VI_ROOT is set once, before the root is reachable by name. */
	return (__atomic_load_n(&vp->v_iflag, __ATOMIC_ACQUIRE) &
	    VI_ROOT) != 0;
}

void
vattr_null(struct vattr *va)
{

	va->va_type = VNON;
	va->va_mode = (mode_t)VNOVAL;
	va->va_nlink = (nlink_t)VNOVAL;
	va->va_uid = (uid_t)VNOVAL;
	va->va_gid = (gid_t)VNOVAL;
	va->va_fileid = (uint64_t)VNOVAL;
	va->va_size = VNOVAL;
	va->va_blksize = VNOVAL;
	va->va_bytes = (uint64_t)VNOVAL;
	va->va_atime.tv_sec = VNOVAL;
	va->va_atime.tv_nsec = VNOVAL;
	va->va_mtime.tv_sec = VNOVAL;
	va->va_mtime.tv_nsec = VNOVAL;
	va->va_ctime.tv_sec = VNOVAL;
	va->va_ctime.tv_nsec = VNOVAL;
	va->va_btime.tv_sec = VNOVAL;
	va->va_btime.tv_nsec = VNOVAL;
	va->va_rdev = (dev_t)VNOVAL;
	va->va_fsid = (dev_t)VNOVAL;
	va->va_gen = (uint64_t)VNOVAL;
	va->va_vaflags = 0;
}
