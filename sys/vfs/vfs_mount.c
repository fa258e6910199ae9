/*
 * vfs_mount.c: file system types and the mount table.
 *
 * A file system component registers its type (struct vfsops) by name at
 * init.  vfs_mount() makes a mount of a type and attaches it over a
 * directory (or as the kernel's root); vfs_unmount() detaches and frees
 * it once none of its files is in use.  The root mount is tmpfs, made
 * when the kernel boots (vfs_init.c), and goes last at halt.
 *
 * Locking: mount_lock (a global rwlock) protects the mount list, every
 * v_mountedhere, mnt_vnodecovered, mnt_iflag and mnt_refcnt; namei takes
 * it shared to cross mount points.  It is a leaf: no vnode lock is taken
 * and no file system is called while it is held (sync holds a mount with
 * mnt_refcnt instead, which unmount waits out on mount_cv).
 * vfs_list_lock protects the list of types.  A
 * mount's vnodes are the vnode cache's business (vflush).  Unmount drops
 * mount_lock before it flushes vnodes: it first takes the mount off its
 * mount point, so no lookup can walk in while the flush runs, and puts
 * it back if the flush finds a file in use.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/rwlock.h>
#include <sys/vnode.h>

#include "vfs_private.h"

krwlock_t mount_lock;
static kmutex_t mount_cv_lock;
static kcondvar_t mount_cv;			/* mnt_refcnt went to 0 */
static TAILQ_HEAD(, mount) mount_list;		/* mount_lock: newest first */
static struct mount *rootmount;			/* mount_lock */
static uint64_t mount_nextid;			/* mount_lock */

static kmutex_t vfs_list_lock;
static TAILQ_HEAD(, vfsops) vfs_list;		/* vfs_list_lock */

int
vfs_mount_init(void)
{

	rw_init(&mount_lock);
	mutex_init(&mount_cv_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&mount_cv, "mount");
	mutex_init(&vfs_list_lock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&mount_list);
	TAILQ_INIT(&vfs_list);
	rootmount = NULL;
	mount_nextid = 1;
	return 0;
}

void
vfs_mount_fini(void)
{

	KASSERT(TAILQ_EMPTY(&mount_list));
	mutex_destroy(&vfs_list_lock);
	cv_destroy(&mount_cv);
	mutex_destroy(&mount_cv_lock);
	rw_destroy(&mount_lock);
}

int
vfs_register(struct vfsops *ops)
{
	struct vfsops *o;

	mutex_enter(&vfs_list_lock);
	TAILQ_FOREACH(o, &vfs_list, vfs_list) {
		if (strcmp(o->vfs_name, ops->vfs_name) == 0) {
			mutex_exit(&vfs_list_lock);
			return EEXIST;
		}
	}
	TAILQ_INSERT_TAIL(&vfs_list, ops, vfs_list);
	mutex_exit(&vfs_list_lock);
	return 0;
}

/*
 * A file system type goes (its component is finalised at halt): the
 * mounts of it go first.  Mounts stack on each other in any order of
 * types, so all of them are unmounted, newest first; every process has
 * exited by then, so none is in use.
 */
void
vfs_unregister(struct vfsops *ops)
{
	struct mount *mp;
	bool used = false;

	rw_enter(&mount_lock, RW_READER);
	TAILQ_FOREACH(mp, &mount_list, mnt_list)
		used |= mp->mnt_op == ops;
	rw_exit(&mount_lock);
	if (used)
		vfs_unmount_all();

	mutex_enter(&vfs_list_lock);
	TAILQ_REMOVE(&vfs_list, ops, vfs_list);
	mutex_exit(&vfs_list_lock);
}

static const struct vfsops *
vfs_find(const char *type)
{
	struct vfsops *o;

	mutex_enter(&vfs_list_lock);
	TAILQ_FOREACH(o, &vfs_list, vfs_list) {
		if (strcmp(o->vfs_name, type) == 0)
			break;
	}
	mutex_exit(&vfs_list_lock);
	return o;
}

static void mount_drain(struct mount *);
static void mount_reap_detached(bool force);

static void
mount_free(struct mount *mp)
{

	KASSERT(TAILQ_EMPTY(&mp->mnt_vnodelist));
	mutex_destroy(&mp->mnt_renamelock);
	kmem_free(mp, sizeof(*mp));
}

/*
 * Mount a file system of type over the directory covered (referenced,
 * unlocked; the mount keeps the reference), or as the root when covered
 * is NULL.  *mpp is the new mount.
 */
int
vfs_mount(const char *type, struct vnode *covered, int flags,
    const char *source, const char *data, kauth_cred_t cred,
    struct mount **mpp)
{
	const struct vfsops *ops;
	struct mount *mp;
	struct vnode *rootvp;
	int error;

	mount_reap_detached(false);
	if ((ops = vfs_find(type)) == NULL)
		return ENODEV;
	if ((mp = kmem_zalloc(sizeof(*mp), KM_SLEEP)) == NULL)
		return ENOMEM;
	mp->mnt_op = ops;
	mp->mnt_flag = flags;
	mutex_init(&mp->mnt_renamelock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&mp->mnt_vnodelist);
	strlcpy(mp->mnt_source, source != NULL ? source : "none",
	    sizeof(mp->mnt_source));
	rw_enter(&mount_lock, RW_WRITER);
	mp->mnt_id = mount_nextid++;
	rw_exit(&mount_lock);
	/* Linux's anonymous devices: major 0, the minor counting up. */
	mp->mnt_dev = ((mp->mnt_id & 0xff) | ((mp->mnt_id & ~0xffULL) << 12));

	if ((error = ops->vfs_mount(mp, source != NULL ? source : "", data,
	    cred)) != 0) {
		mount_free(mp);
		return error;
	}
	if ((error = ops->vfs_root(mp, &rootvp)) != 0) {
		(void)ops->vfs_unmount(mp, MNT_FORCE);
		vflush(mp, NULL);
		mount_free(mp);
		return error;
	}
	vn_setroot(rootvp);
	mp->mnt_rootvnode = rootvp;

	rw_enter(&mount_lock, RW_WRITER);
	if (covered != NULL && covered->v_mountedhere != NULL) {
		/* Someone mounted here first: stack on their root. */
		rw_exit(&mount_lock);
		vflush_root(mp, rootvp);
		(void)ops->vfs_unmount(mp, MNT_FORCE);
		mount_free(mp);
		return EBUSY;
	}
	mp->mnt_vnodecovered = covered;
	if (covered != NULL) {
		vref(covered);
		covered->v_mountedhere = mp;
	} else {
		KASSERT(rootmount == NULL);
		rootmount = mp;
	}
	TAILQ_INSERT_HEAD(&mount_list, mp, mnt_list);
	rw_exit(&mount_lock);
	if (mpp != NULL)
		*mpp = mp;
	return 0;
}


/* Does another mount sit on a directory of mp?  mount_lock held. */
static bool
mount_has_submounts(struct mount *mp)
{
	struct mount *o;

	TAILQ_FOREACH(o, &mount_list, mnt_list) {
		if (o->mnt_vnodecovered != NULL &&
		    o->mnt_vnodecovered->v_mount == mp)
			return true;
	}
	return false;
}

/*
 * Unmount mp: EBUSY if a file of it is in use (open, a current or root
 * directory, a mount point of another mount), else sync, reclaim its
 * vnodes, free it.
 */
/*
 * The end of an unmount: mp is off the tree and every vnode of it but the
 * root is reclaimed.  Reclaim the root, let the file system go, free mp.
 */
static void
mount_finish(struct mount *mp, int flags)
{
	int error;

	vflush_root(mp, mp->mnt_rootvnode);
	mp->mnt_rootvnode = NULL;
	error = mp->mnt_op->vfs_unmount(mp, flags);
	if (error)
		printf("vfs_unmount: %s on %s: error %d, freed anyway\n",
		    mp->mnt_op->vfs_name, mp->mnt_source, error);
	rw_enter(&mount_lock, RW_WRITER);
	TAILQ_REMOVE(&mount_list, mp, mnt_list);
	if (mp == rootmount)
		rootmount = NULL;
	rw_exit(&mount_lock);
	mount_free(mp);
}

/*
 * Finish the lazy unmounts (MNT_DETACH) whose files are no longer in use.
 * Called on the way into mount and unmount; at halt every one of them
 * must go (force).
 */
static void
mount_reap_detached(bool force)
{
	struct mount *mp;

 again:
	rw_enter(&mount_lock, RW_WRITER);
	TAILQ_FOREACH(mp, &mount_list, mnt_list) {
		if (!(mp->mnt_iflag & IMNT_DETACHED) ||
		    (mp->mnt_iflag & IMNT_REAPING))
			continue;
		if (mount_has_submounts(mp))
			continue;
		mp->mnt_iflag |= IMNT_REAPING;
		break;
	}
	rw_exit(&mount_lock);
	if (mp == NULL)
		return;
	if (vflush(mp, mp->mnt_rootvnode) == 0) {
		mount_finish(mp, MNT_DETACH);
		goto again;
	}
	KREQUIRE(!force);
	rw_enter(&mount_lock, RW_WRITER);
	mp->mnt_iflag &= ~IMNT_REAPING;
	rw_exit(&mount_lock);
}

/*
 * Unmount mp: EBUSY if a file of it is in use (open, a current or root
 * directory, a mount point of another mount), else sync, reclaim its
 * vnodes, free it.  With MNT_DETACH a busy mount leaves the tree at once
 * and is freed once its last file is let go, as Linux's lazy unmount.
 */
int
vfs_unmount(struct mount *mp, int flags, struct vnode *heldroot)
{
	struct vnode *covered;
	int error;

	mount_reap_detached(false);
	rw_enter(&mount_lock, RW_WRITER);
	if ((mp->mnt_iflag & IMNT_UNMOUNTING) || mount_has_submounts(mp)) {
		rw_exit(&mount_lock);
		if (heldroot != NULL)
			vrele(heldroot);
		return EBUSY;
	}
	mp->mnt_iflag |= IMNT_UNMOUNTING;
	covered = mp->mnt_vnodecovered;
	if (covered != NULL)
		covered->v_mountedhere = NULL;
	rw_exit(&mount_lock);
	if (heldroot != NULL)
		vrele(heldroot);
	mount_drain(mp);

	if (!(mp->mnt_flag & MS_RDONLY))
		(void)mp->mnt_op->vfs_sync(mp, FSYNC_WAIT);
	error = vflush(mp, mp->mnt_rootvnode);
	if (error && (flags & MNT_DETACH)) {
		/* Off the tree now; the reaper frees it when it is idle. */
		rw_enter(&mount_lock, RW_WRITER);
		mp->mnt_iflag |= IMNT_DETACHED;
		mp->mnt_vnodecovered = NULL;
		rw_exit(&mount_lock);
		if (covered != NULL)
			vrele(covered);
		return 0;
	}
	if (error) {
		rw_enter(&mount_lock, RW_WRITER);
		if (covered != NULL)
			covered->v_mountedhere = mp;
		mp->mnt_iflag &= ~IMNT_UNMOUNTING;
		rw_exit(&mount_lock);
		return error;
	}
	mount_finish(mp, flags);
	if (covered != NULL)
		vrele(covered);
	return 0;
}

/*
 * At halt: unmount everything, newest first.  Every process has exited,
 * so nothing may be in use; a mount that is still busy is a leak of a
 * vnode reference, our bug.
 */
void
vfs_unmount_all(void)
{
	struct mount *mp;
	int error;

	for (;;) {
		mount_reap_detached(true);
		rw_enter(&mount_lock, RW_READER);
		mp = TAILQ_FIRST(&mount_list);
		rw_exit(&mount_lock);
		if (mp == NULL)
			break;
		error = vfs_unmount(mp, MNT_FORCE, NULL);
		KREQUIRE(error == 0);
	}
}

struct vnode *
vfs_rootvnode(void)
{
	struct vnode *vp;

	rw_enter(&mount_lock, RW_READER);
	KASSERT(rootmount != NULL);
	vp = rootmount->mnt_rootvnode;
	vref(vp);
	rw_exit(&mount_lock);
	return vp;
}

/* Wait until no sync holds mp (IMNT_UNMOUNTING keeps new ones off). */
static void
mount_drain(struct mount *mp)
{

	mutex_enter(&mount_cv_lock);
	while (__atomic_load_n(&mp->mnt_refcnt, __ATOMIC_ACQUIRE) > 0)
		cv_wait(&mount_cv, &mount_cv_lock);
	mutex_exit(&mount_cv_lock);
}

/* The next mount after prev (NULL: the first) that may be synced, held. */
static struct mount *
mount_next_writable(struct mount *prev)
{
	struct mount *mp;

	rw_enter(&mount_lock, RW_READER);
	mp = prev == NULL ? TAILQ_FIRST(&mount_list) :
	    TAILQ_NEXT(prev, mnt_list);
	while (mp != NULL && ((mp->mnt_flag & MS_RDONLY) ||
	    (mp->mnt_iflag & IMNT_UNMOUNTING)))
		mp = TAILQ_NEXT(mp, mnt_list);
	if (mp != NULL)
		__atomic_add_fetch(&mp->mnt_refcnt, 1, __ATOMIC_ACQ_REL);
	rw_exit(&mount_lock);
	if (prev != NULL) {
		mutex_enter(&mount_cv_lock);
		if (__atomic_sub_fetch(&prev->mnt_refcnt, 1,
		    __ATOMIC_ACQ_REL) == 0)
			cv_broadcast(&mount_cv);
		mutex_exit(&mount_cv_lock);
	}
	return mp;
}

/* sync(2): every writable mount. */
int
vfs_sync_all(void)
{
	struct mount *mp;

	for (mp = mount_next_writable(NULL); mp != NULL;
	    mp = mount_next_writable(mp))
		(void)mp->mnt_op->vfs_sync(mp, FSYNC_WAIT);
	return 0;
}
