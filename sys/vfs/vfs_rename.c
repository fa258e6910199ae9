/*
 * vfs_rename.c: rename, renameat and renameat2 (RENAME_NOREPLACE,
 * RENAME_EXCHANGE), with Linux's rules and error order (rename(2)).
 *
 * Locking.  A rename holds its mount's rename lock for the whole call, so
 * no other rename changes the shape of the tree meanwhile.  With nothing
 * else locked it looks the two names up and works out which of the
 * vnodes involved lies above which (walking ".." up; lookup returns its
 * result unlocked, so the walk never holds a child while it locks a
 * parent).  A directory being moved under itself (EINVAL) or a target
 * above the source (ENOTEMPTY) is refused before anything is locked.  It
 * then locks the two directories, an ancestor first, unrelated ones in
 * address order; looks the names up again, and starts over if a create
 * or remove in the meantime changed what they name; and locks the two
 * files, which are below both directories and unrelated to each other,
 * in address order.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/syscallargs.h>
#include <sys/vnode.h>

#include "vfs_private.h"

static const struct componentname dotdot = { "..", 2, NULL };

/*
 * Is anc an ancestor of vp (or vp itself) within their mount?  Neither is
 * locked; the caller holds the mount's rename lock.
 */
static int
vn_is_ancestor(struct vnode *anc, struct vnode *vp, bool *resultp)
{
	struct componentname cn = dotdot;
	struct vnode *cur, *up;
	int error = 0, depth;

	cn.cn_cred = kauth_cred_get();
	*resultp = false;
	vref(vp);
	cur = vp;
	for (depth = 0; depth < 4096; depth++) {
		if (cur == anc) {
			*resultp = true;
			break;
		}
		if (vn_isroot(cur))
			break;
		vn_lock(cur, RW_READER);
		error = cur->v_op->vop_lookup(cur, &cn, &up);
		vn_unlock(cur);
		if (error)
			break;
		if (up == cur) {	/* a root that did not say so */
			vrele(up);
			break;
		}
		vrele(cur);
		cur = up;
	}
	vrele(cur);
	return error;
}

/* Lock two vnodes (b may be NULL or equal to a) in address order. */
static void
lock_pair(struct vnode *a, struct vnode *b)
{

	if (b == NULL || b == a) {
		vn_lock(a, RW_WRITER);
		return;
	}
	if ((uintptr_t)b < (uintptr_t)a) {
		struct vnode *t = a;

		a = b;
		b = t;
	}
	vn_lock(a, RW_WRITER);
	vn_lock(b, RW_WRITER);
}

static void
unlock_pair(struct vnode *a, struct vnode *b)
{

	vn_unlock(a);
	if (b != NULL && b != a)
		vn_unlock(b);
}

/* Look name up in directory dvp: *vpp referenced or NULL. */
static int
rename_lookup(struct vnode *dvp, const struct componentname *cnp,
    bool locked, struct vnode **vpp)
{
	int error;

	struct vattr va;

	*vpp = NULL;
	if (!locked)
		vn_lock(dvp, RW_READER);
	error = dvp->v_op->vop_lookup(dvp, cnp, vpp);
	if (error == ENOENT) {
		/* No such name; but in a removed directory, no names at all. */
		*vpp = NULL;
		error = dvp->v_op->vop_getattr(dvp, &va, cnp->cn_cred);
		if (error == 0 && va.va_nlink == 0)
			error = ENOENT;
	}
	if (!locked)
		vn_unlock(dvp);
	return error;
}

/* Is vp the root of a mount, or covered by one? */
static bool
vn_busy_mount(struct vnode *vp)
{
	bool busy;

	rw_enter(&mount_lock, RW_READER);
	busy = vn_isroot(vp) || vp->v_mountedhere != NULL;
	rw_exit(&mount_lock);
	return busy;
}

/* Permission to change directory dvp (create or remove a name in it). */
static int
dir_modify_access(struct vnode *dvp, kauth_cred_t cred)
{
	struct vattr va;
	int error;

	if ((error = dvp->v_op->vop_getattr(dvp, &va, cred)) != 0)
		return error;
	if (va.va_nlink == 0)
		return ENOENT;
	return vn_access(dvp, &va, VWRITE | VEXEC, cred);
}

/* Write access to a directory that moves to another parent (".."). */
static int
dir_move_access(struct vnode *vp, kauth_cred_t cred)
{
	struct vattr va;
	int error;

	if ((error = vp->v_op->vop_getattr(vp, &va, cred)) != 0)
		return error;
	return vn_access(vp, &va, VWRITE, cred);
}

/*
 * Linux's may_delete: may vp be removed from (or replaced in) dvp, when
 * the object taking or leaving its place is a directory iff isdir?
 */
static int
rename_may_delete(struct vnode *dvp, struct vnode *vp, bool isdir,
    kauth_cred_t cred)
{
	int error;

	if ((error = dir_modify_access(dvp, cred)) != 0)
		return error;
	if ((error = vn_sticky_ok(dvp, vp, cred)) != 0)
		return error;
	if (isdir && vp->v_type != VDIR)
		return ENOTDIR;
	if (!isdir && vp->v_type == VDIR)
		return EISDIR;
	if (vn_busy_mount(vp))
		return EBUSY;
	return 0;
}

/* The checks once everything is locked, in Linux's order. */
static int
rename_check(struct vnode *fdvp, struct vnode *fvp, struct vnode *tdvp,
    struct vnode *tvp, int flags, kauth_cred_t cred)
{
	bool fdir = fvp->v_type == VDIR;
	int error;

	if ((error = rename_may_delete(fdvp, fvp, fdir, cred)) != 0)
		return error;
	if (tvp == NULL)
		error = dir_modify_access(tdvp, cred);
	else if (flags & RENAME_EXCHANGE)
		error = rename_may_delete(tdvp, tvp, tvp->v_type == VDIR,
		    cred);
	else
		error = rename_may_delete(tdvp, tvp, fdir, cred);
	if (error)
		return error;
	if (fdvp != tdvp && fdir && (error = dir_move_access(fvp, cred)) != 0)
		return error;
	if (fdvp != tdvp && (flags & RENAME_EXCHANGE) && tvp->v_type == VDIR &&
	    (error = dir_move_access(tvp, cred)) != 0)
		return error;
	return 0;
}

/* Where the vnodes of a rename lie relative to each other. */
struct rename_shape {
	bool fd_above_td;	/* fdvp is a proper ancestor of tdvp */
	bool td_above_fd;	/* tdvp is a proper ancestor of fdvp */
	bool f_above_td;	/* fvp is tdvp or above it */
	bool t_above_fd;	/* tvp is fdvp or above it */
};

static int
rename_shape(struct vnode *fdvp, struct vnode *fvp, struct vnode *tdvp,
    struct vnode *tvp, struct rename_shape *sh)
{
	int error = 0;

	memset(sh, 0, sizeof(*sh));
	if (fdvp != tdvp) {
		if ((error = vn_is_ancestor(fdvp, tdvp,
		    &sh->fd_above_td)) != 0)
			return error;
		if (!sh->fd_above_td && (error = vn_is_ancestor(tdvp, fdvp,
		    &sh->td_above_fd)) != 0)
			return error;
	}
	if (fvp->v_type == VDIR && sh->fd_above_td &&
	    (error = vn_is_ancestor(fvp, tdvp, &sh->f_above_td)) != 0)
		return error;
	if (tvp != NULL && tvp->v_type == VDIR && sh->td_above_fd)
		error = vn_is_ancestor(tvp, fdvp, &sh->t_above_fd);
	return error;
}

static void
lock_dirs(struct vnode *fdvp, struct vnode *tdvp,
    const struct rename_shape *sh)
{

	if (sh->fd_above_td) {
		vn_lock(fdvp, RW_WRITER);
		vn_lock(tdvp, RW_WRITER);
	} else if (sh->td_above_fd) {
		vn_lock(tdvp, RW_WRITER);
		vn_lock(fdvp, RW_WRITER);
	} else
		lock_pair(fdvp, tdvp);
}

/*
 * With the rename lock held and nothing locked: look both names up,
 * check the shape, lock the directories, and confirm the names still
 * name the same files.  On success (0) the directories are locked and
 * *fvpp (never NULL) and *tvpp (NULL if there is no target) referenced;
 * ERESTART means a name changed meanwhile (nothing held: try again).
 */
static int
rename_settle(struct vnode *fdvp, const struct componentname *fcnp,
    struct vnode *tdvp, const struct componentname *tcnp, int flags,
    bool fslash, bool tslash, struct vnode **fvpp, struct vnode **tvpp)
{
	struct vnode *fvp, *tvp, *fvp2, *tvp2;
	struct rename_shape sh;
	int error;

	if ((error = rename_lookup(fdvp, fcnp, false, &fvp)) != 0)
		return error;
	if (fvp == NULL)
		return ENOENT;
	if ((error = rename_lookup(tdvp, tcnp, false, &tvp)) != 0)
		goto out;
	error = ENOENT;
	if ((flags & RENAME_EXCHANGE) && tvp == NULL)
		goto out;
	error = EEXIST;
	if ((flags & RENAME_NOREPLACE) && tvp != NULL)
		goto out;
	/* Trailing slashes need directories, as Linux checks them. */
	error = ENOTDIR;
	if ((flags & RENAME_EXCHANGE) && tslash && tvp->v_type != VDIR)
		goto out;
	if (fvp->v_type != VDIR && (fslash ||
	    (!(flags & RENAME_EXCHANGE) && tslash)))
		goto out;
	if ((error = rename_shape(fdvp, fvp, tdvp, tvp, &sh)) != 0)
		goto out;
	if (sh.f_above_td) {
		error = EINVAL;
		goto out;
	}
	if (sh.t_above_fd) {
		error = (flags & RENAME_EXCHANGE) ? EINVAL : ENOTEMPTY;
		goto out;
	}
	lock_dirs(fdvp, tdvp, &sh);
	error = rename_lookup(fdvp, fcnp, true, &fvp2);
	if (error == 0)
		error = rename_lookup(tdvp, tcnp, true, &tvp2);
	else
		tvp2 = NULL;
	if (error == 0 && (fvp2 != fvp || tvp2 != tvp))
		error = ERESTART;
	if (fvp2 != NULL)
		vrele(fvp2);
	if (tvp2 != NULL)
		vrele(tvp2);
	if (error) {
		unlock_pair(fdvp, tdvp);
		goto out;
	}
	*fvpp = fvp;
	*tvpp = tvp;
	return 0;
 out:
	vrele(fvp);
	if (tvp != NULL)
		vrele(tvp);
	return error;
}

static int
do_rename(int fdirfd, const char *from, int tdirfd, const char *to,
    unsigned int flags)
{
	kauth_cred_t cred = kauth_cred_get();
	struct nameidata fnd, tnd;
	struct vnode *fdvp, *tdvp, *fvp, *tvp;
	struct mount *mp;
	int error, tries;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return EINVAL;		/* RENAME_WHITEOUT too: no overlays */
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return EINVAL;
	/* Both parents first (a missing source is ENOENT only later). */
	if ((error = namei_at(fdirfd, from, RENAME, WANTPARENT, &fnd)) != 0)
		return error;
	if ((error = namei_at(tdirfd, to, RENAME, WANTPARENT, &tnd)) != 0) {
		namei_done(&fnd);
		return error;
	}
	if (fnd.ni_lastdot != 0 || tnd.ni_lastdot != 0) {
		error = (tnd.ni_lastdot != 0 && fnd.ni_lastdot == 0 &&
		    (flags & RENAME_NOREPLACE)) ? EEXIST : EBUSY;
		goto out_nd;
	}
	fdvp = fnd.ni_dvp;
	tdvp = tnd.ni_dvp;
	mp = fdvp->v_mount;
	if (tdvp->v_mount != mp) {
		error = EXDEV;
		goto out_nd;
	}
	if (mp->mnt_flag & MS_RDONLY) {
		error = EROFS;
		goto out_nd;
	}
	mutex_enter(&mp->mnt_renamelock);
	for (tries = 0;; tries++) {
		error = rename_settle(fdvp, &fnd.ni_cnd, tdvp, &tnd.ni_cnd,
		    (int)flags, fnd.ni_trailing_slash, tnd.ni_trailing_slash,
		    &fvp, &tvp);
		if (error != ERESTART || tries == 100)
			break;
	}
	if (error)
		goto out_unlock_mp;
	if (fvp == tvp) {
		/* Two names of one file: POSIX says do nothing. */
		error = 0;
		goto out_unlock;
	}
	lock_pair(fvp, tvp);
	error = rename_check(fdvp, fvp, tdvp, tvp, (int)flags, cred);
	if (error == 0)
		error = fdvp->v_op->vop_rename(fdvp, fvp, &fnd.ni_cnd, tdvp,
		    tvp, &tnd.ni_cnd, (int)flags);
	if (error == 0) {
		cache_remove(fdvp, fnd.ni_cnd.cn_nameptr,
		    fnd.ni_cnd.cn_namelen);
		cache_remove(tdvp, tnd.ni_cnd.cn_nameptr,
		    tnd.ni_cnd.cn_namelen);
		cache_purge(fvp);
		if (tvp != NULL)
			cache_purge(tvp);
	}
	unlock_pair(fvp, tvp);
 out_unlock:
	unlock_pair(fdvp, tdvp);
	vrele(fvp);
	if (tvp != NULL)
		vrele(tvp);
 out_unlock_mp:
	mutex_exit(&mp->mnt_renamelock);
 out_nd:
	namei_done(&tnd);
	namei_done(&fnd);
	return error;
}

int
sys_renameat2(struct lwp *l __unused, const struct sys_renameat2_args *uap,
    register_t *retval __unused)
{

	return do_rename(SCARG(uap, olddirfd), SCARG(uap, oldpath),
	    SCARG(uap, newdirfd), SCARG(uap, newpath), SCARG(uap, flags));
}

int
sys_renameat(struct lwp *l __unused, const struct sys_renameat_args *uap,
    register_t *retval __unused)
{

	return do_rename(SCARG(uap, olddirfd), SCARG(uap, oldpath),
	    SCARG(uap, newdirfd), SCARG(uap, newpath), 0);
}

int
sys_rename(struct lwp *l __unused, const struct sys_rename_args *uap,
    register_t *retval __unused)
{

	return do_rename(AT_FDCWD, SCARG(uap, oldpath), AT_FDCWD,
	    SCARG(uap, newpath), 0);
}
