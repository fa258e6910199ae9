/*
 * vfs_lookup.c: path name lookup (namei).
 *
 * A path is resolved one component at a time from the process's root
 * (absolute paths), its current directory, or a directory descriptor
 * (*at calls), with Linux's rules (path_resolution(7)):
 *   - every directory passed through needs search (execute) permission;
 *   - ".." of the process's root is the root; ".." of the root of a
 *     mounted file system goes to the directory it covers, and a
 *     directory with a file system mounted on it is replaced by that
 *     file system's root;
 *   - symbolic links are followed in the middle of a path always, and at
 *     its end when FOLLOW is asked or the path ends in "/"; more than
 *     MAXSYMLINKS of them is ELOOP;
 *   - a component longer than NAME_MAX, or a path (with the symbolic
 *     links spliced in) longer than PATH_MAX, is ENAMETOOLONG;
 *   - "" is ENOENT unless EMPTYPATH asks for the start directory itself.
 *
 * Locking: the walk holds one directory at a time, referenced, and locks
 * it shared only around its VOP_LOOKUP (whose result comes back
 * unlocked), so a walk never holds a parent's lock while it waits for a
 * child's or the other way round.  The last component of a CREATE,
 * DELETE or RENAME with LOCKPARENT is looked up with the parent locked
 * exclusive and the parent stays locked, so that the name cannot appear
 * or vanish before the caller acts on it; the child is then locked after
 * its parent (the VFS's lock order).  mount_lock (shared) is taken to
 * read v_mountedhere and mnt_vnodecovered.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/pool.h>
#include <sys/rwlock.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "vfs_private.h"

/* The private state of a lookup in nd->ni_state. */
#define NI_DVP_LOCKED 0x01	/* ni_dvp is locked (exclusive) */
#define NI_VP_LOCKED 0x02	/* ni_vp is locked */

/*
 * If a file system is mounted on vp, replace vp (referenced) by that
 * file system's root, repeatedly for mounts stacked on mounts.
 */
static void
lookup_cross_down(struct vnode **vpp)
{
	struct vnode *vp = *vpp, *root;
	struct mount *mp;

	for (;;) {
		rw_enter(&mount_lock, RW_READER);
		mp = vp->v_mountedhere;
		if (mp == NULL) {
			rw_exit(&mount_lock);
			break;
		}
		root = mp->mnt_rootvnode;
		vref(root);
		rw_exit(&mount_lock);
		vrele(vp);
		vp = root;
	}
	*vpp = vp;
}

/*
 * For "..": while dvp is the root of a mounted file system (not the
 * process's root), replace it by the directory that the mount covers.
 */
static void
lookup_cross_up(struct vnode **dvpp, struct vnode *rdir)
{
	struct vnode *dvp = *dvpp, *covered;

	while (dvp != rdir && vn_isroot(dvp)) {
		rw_enter(&mount_lock, RW_READER);
		covered = dvp->v_mount->mnt_vnodecovered;
		if (covered == NULL) {		/* the kernel's root */
			rw_exit(&mount_lock);
			break;
		}
		vref(covered);
		rw_exit(&mount_lock);
		vrele(dvp);
		dvp = covered;
	}
	*dvpp = dvp;
}

/*
 * Look the component cnp up in dvp (referenced, locked as the caller
 * chose): *vpp referenced and unlocked, or NULL when the name does not
 * exist (error 0).  Positive and negative results are cached while the
 * directory's lock is held, so the cache never misses a change.
 */
static int
lookup_once(struct vnode *dvp, const struct componentname *cnp,
    struct vnode **vpp)
{
	int error;

	*vpp = NULL;
	error = cache_lookup(dvp, cnp->cn_nameptr, cnp->cn_namelen, vpp);
	if (error == 0)
		return 0;
	if (error == ENOENT)
		return 0;
	error = dvp->v_op->vop_lookup(dvp, cnp, vpp);
	if (error == ENOENT) {
		*vpp = NULL;
		cache_enter(dvp, NULL, cnp->cn_nameptr, cnp->cn_namelen);
		return 0;
	}
	if (error)
		return error;
	cache_enter(dvp, *vpp, cnp->cn_nameptr, cnp->cn_namelen);
	return 0;
}

/*
 * PATH_MAX buffers for path names and link targets: every lookup takes
 * one, so they come from a pool (a slab kept) rather than from kmem,
 * that is the host's malloc, each time.
 */
static struct pool namei_pnbuf_pool;

int
namei_init(void)
{

	pool_init(&namei_pnbuf_pool, PATH_MAX, 0, "pnbuf");
	return 0;
}

void
namei_fini(void)
{

	pool_destroy(&namei_pnbuf_pool);
}

static char *
pnbuf_get(void)
{

	return pool_get(&namei_pnbuf_pool, PR_WAITOK);
}

static void
pnbuf_put(char *buf)
{

	pool_put(&namei_pnbuf_pool, buf);
}

/*
 * Read symbolic link vp's target and splice it in front of rest (the
 * path after the link) in nd->ni_pathbuf.  *absp says whether the
 * target is absolute.
 */
static int
lookup_splice_link(struct nameidata *nd, struct vnode *vp, const char *rest,
    bool *absp)
{
	char *link;
	struct iovec iov;
	struct uio uio;
	size_t linklen, restlen;
	int error;

	if ((link = pnbuf_get()) == NULL)
		return ENOMEM;
	uio_setup_sys(&uio, &iov, link, PATH_MAX, 0, UIO_READ);
	vn_lock(vp, RW_READER);
	error = vp->v_op->vop_readlink(vp, &uio, nd->ni_cred);
	vn_unlock(vp);
	if (error)
		goto out;
	linklen = PATH_MAX - uio.uio_resid;
	if (linklen == 0) {
		error = ENOENT;
		goto out;
	}
	restlen = strlen(rest);
	if (linklen + (restlen > 0 ? 1 + restlen : 0) >= PATH_MAX) {
		error = ENAMETOOLONG;
		goto out;
	}
	/* rest lives in ni_pathbuf: move it first, then put the link. */
	if (restlen > 0) {
		memmove(nd->ni_pathbuf + linklen + 1, rest, restlen + 1);
		nd->ni_pathbuf[linklen] = '/';
	} else
		nd->ni_pathbuf[linklen] = '\0';
	memcpy(nd->ni_pathbuf, link, linklen);
	*absp = link[0] == '/';
 out:
	pnbuf_put(link);
	return error;
}

static bool
is_dot(const char *cp, size_t len)
{

	return len == 1 && cp[0] == '.';
}

static bool
is_dotdot(const char *cp, size_t len)
{

	return len == 2 && cp[0] == '.' && cp[1] == '.';
}

/*
 * The end of a lookup whose last component is "." or "..", or a path
 * that names the start directory itself ("/", "" with EMPTYPATH): vp is
 * the result (referenced, unlocked).  The parent is not returned: a
 * caller that creates or removes must refuse such a name (ni_lastdot).
 */
static int
lookup_finish_dot(struct nameidata *nd, struct vnode *vp)
{

	if ((nd->ni_flags & DIRONLY) && vp->v_type != VDIR) {
		vrele(vp);
		return ENOTDIR;
	}
	nd->ni_dvp = NULL;
	nd->ni_vp = vp;
	if (nd->ni_flags & (LOCKLEAF | LOCKSHARED)) {
		vn_lock(vp, (nd->ni_flags & LOCKLEAF) ? RW_WRITER : RW_READER);
		nd->ni_state |= NI_VP_LOCKED;
	}
	return 0;
}

/*
 * The end of a lookup: dvp is the parent (referenced; locked exclusive
 * when wantlock), vp the file or NULL.  Hand them to the caller as the
 * flags ask.
 */
static int
lookup_finish(struct nameidata *nd, struct vnode *dvp, bool dvplocked,
    struct vnode *vp)
{
	bool parent = (nd->ni_flags & (WANTPARENT | LOCKPARENT)) != 0;

	if (vp == NULL) {
		if (nd->ni_op == LOOKUP || nd->ni_op == DELETE) {
			if (dvplocked)
				vn_unlock(dvp);
			vrele(dvp);
			return ENOENT;
		}
	} else if (nd->ni_trailing_slash && vp->v_type != VDIR &&
	    (nd->ni_op == LOOKUP || nd->ni_op == DELETE)) {
		/*
		 * "file/" (a symbolic link was followed already).  Creating
		 * and renaming callers give their own errors (EEXIST, EISDIR,
		 * ENOTDIR), in Linux's order.
		 */
		if (dvplocked)
			vn_unlock(dvp);
		vrele(dvp);
		vrele(vp);
		return ENOTDIR;
	} else if ((nd->ni_flags & DIRONLY) && vp->v_type != VDIR) {
		if (dvplocked)
			vn_unlock(dvp);
		vrele(dvp);
		vrele(vp);
		return ENOTDIR;
	}
	if (parent) {
		nd->ni_dvp = dvp;
		if (dvplocked)
			nd->ni_state |= NI_DVP_LOCKED;
	} else {
		if (dvplocked)
			vn_unlock(dvp);
		vrele(dvp);
	}
	nd->ni_vp = vp;
	if (vp != NULL && (nd->ni_flags & (LOCKLEAF | LOCKSHARED))) {
		KASSERT(vp != dvp);
		vn_lock(vp, (nd->ni_flags & LOCKLEAF) ? RW_WRITER : RW_READER);
		nd->ni_state |= NI_VP_LOCKED;
	}
	return 0;
}

/*
 * Is a symbolic link as the last component followed?  With FOLLOW, and
 * for a plain lookup also when the path ends in "/"; but never when a
 * create has a trailing slash (Linux answers EISDIR or EEXIST first).
 */
static bool
lookup_follow_last(const struct nameidata *nd)
{

	if (nd->ni_trailing_slash)
		return nd->ni_op == LOOKUP ||
		    (nd->ni_op != CREATE && (nd->ni_flags & FOLLOW));
	return (nd->ni_flags & FOLLOW) != 0;
}

int
namei(struct nameidata *nd)
{
	struct cwdinfo *cwdi = cwd_info(NULL);
	struct vnode *rdir, *dvp, *vp;
	struct componentname *cnp = &nd->ni_cnd;
	char *cp, *next;
	unsigned int nlinks = 0;
	bool last, lockparent, dvplocked, abs;
	int error;

	nd->ni_dvp = nd->ni_vp = NULL;
	nd->ni_state = 0;
	nd->ni_lastdot = 0;
	nd->ni_trailing_slash = false;
	cnp->cn_nameptr = "";
	cnp->cn_namelen = 0;
	cnp->cn_cred = nd->ni_cred;

	rw_enter(&cwdi->cwdi_lock, RW_READER);
	rdir = cwdi->cwdi_rdir;
	vref(rdir);
	if (nd->ni_pathbuf[0] == '/')
		dvp = rdir;
	else if (nd->ni_startdir != NULL)
		dvp = nd->ni_startdir;
	else
		dvp = cwdi->cwdi_cdir;
	vref(dvp);
	rw_exit(&cwdi->cwdi_lock);

	cp = nd->ni_pathbuf;
	if (*cp == '\0') {
		/* EMPTYPATH: the start directory (or file) itself. */
		nd->ni_lastdot = NI_LASTSELF;
		error = lookup_finish_dot(nd, dvp);
		goto out;
	}
	for (;;) {
		/* The next component: [cp, next). */
		while (*cp == '/')
			cp++;
		if (*cp == '\0') {
			/* Only slashes: the path names dvp ("/", "a//"). */
			nd->ni_lastdot = NI_LASTSELF;
			error = lookup_finish_dot(nd, dvp);
			goto out;
		}
		for (next = cp; *next != '\0' && *next != '/'; next++)
			continue;
		cnp->cn_nameptr = cp;
		cnp->cn_namelen = (size_t)(next - cp);
		if (cnp->cn_namelen > NAME_MAX) {
			error = ENAMETOOLONG;
			goto bad;
		}
		while (*next == '/')
			next++;
		last = *next == '\0';
		nd->ni_trailing_slash = last && next[-1] == '/';

		if (dvp->v_type != VDIR) {
			error = ENOTDIR;
			goto bad;
		}
		if ((error = vn_access_unlocked(dvp, VEXEC, nd->ni_cred)) != 0)
			goto bad;

		if (is_dot(cp, cnp->cn_namelen) ||
		    is_dotdot(cp, cnp->cn_namelen)) {
			if (is_dotdot(cp, cnp->cn_namelen)) {
				lookup_cross_up(&dvp, rdir);
				if (dvp == rdir) {
					vp = dvp;
					vref(vp);
				} else {
					vn_lock(dvp, RW_READER);
					error = dvp->v_op->vop_lookup(dvp, cnp,
					    &vp);
					vn_unlock(dvp);
					if (error)
						goto bad;
				}
			} else {
				vp = dvp;
				vref(vp);
			}
			vrele(dvp);
			if (last) {
				nd->ni_lastdot = is_dot(cp, cnp->cn_namelen) ?
				    NI_LASTDOT : NI_LASTDOTDOT;
				error = lookup_finish_dot(nd, vp);
				goto out;
			}
			dvp = vp;
			cp = next;
			continue;
		}

		lockparent = last && (nd->ni_flags & LOCKPARENT);
		vn_lock(dvp, lockparent ? RW_WRITER : RW_READER);
		dvplocked = true;
		error = lookup_once(dvp, cnp, &vp);
		if (error) {
			vn_unlock(dvp);
			goto bad;
		}
		if (!lockparent) {
			vn_unlock(dvp);
			dvplocked = false;
		}
		if (vp == NULL) {
			if (!last) {
				if (dvplocked)
					vn_unlock(dvp);
				error = ENOENT;
				goto bad;
			}
			error = lookup_finish(nd, dvp, dvplocked, NULL);
			goto out;
		}
		lookup_cross_down(&vp);

		if (vp->v_type == VLNK && (!last || lookup_follow_last(nd))) {
			if (dvplocked)
				vn_unlock(dvp);
			if (++nlinks > MAXSYMLINKS) {
				vrele(vp);
				error = ELOOP;
				goto bad;
			}
			/* "link/" must still end in a directory. */
			error = lookup_splice_link(nd, vp,
			    last && nd->ni_trailing_slash ? "/" : next, &abs);
			vrele(vp);
			if (error)
				goto bad;
			if (abs) {
				vrele(dvp);
				dvp = rdir;
				vref(dvp);
			}
			cp = nd->ni_pathbuf;
			continue;
		}
		if (last) {
			error = lookup_finish(nd, dvp, dvplocked, vp);
			goto out;
		}
		vrele(dvp);
		dvp = vp;
		cp = next;
	}
 bad:
	vrele(dvp);
 out:
	vrele(rdir);
	return error;
}

void
namei_done(struct nameidata *nd)
{

	if (nd->ni_vp != NULL) {
		if (nd->ni_state & NI_VP_LOCKED)
			vn_unlock(nd->ni_vp);
		vrele(nd->ni_vp);
		nd->ni_vp = NULL;
	}
	if (nd->ni_dvp != NULL) {
		if (nd->ni_state & NI_DVP_LOCKED)
			vn_unlock(nd->ni_dvp);
		vrele(nd->ni_dvp);
		nd->ni_dvp = NULL;
	}
	nd->ni_state = 0;
	if (nd->ni_pathbuf != NULL) {
		pnbuf_put(nd->ni_pathbuf);
		nd->ni_pathbuf = NULL;
	}
	if (nd->ni_startdir != NULL) {
		vrele(nd->ni_startdir);
		nd->ni_startdir = NULL;
	}
}

/*
 * The directory a *at() call starts from: NULL for AT_FDCWD, else the
 * referenced vnode of descriptor dirfd.  A relative path needs it to be
 * a directory (ENOTDIR); an empty path with EMPTYPATH may name any file.
 */
static int
namei_startdir(int dirfd, bool need_dir, struct vnode **vpp)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	*vpp = NULL;
	if (dirfd == AT_FDCWD)
		return 0;
	if ((error = fd_getfile(dirfd, &fp)) != 0)
		return error;
	if (fp->f_type != DTYPE_VNODE) {
		fd_putfile(fp);
		return ENOTDIR;
	}
	vp = fp->f_data;
	vref(vp);
	fd_putfile(fp);
	if (need_dir && vp->v_type != VDIR) {
		vrele(vp);
		return ENOTDIR;
	}
	*vpp = vp;
	return 0;
}

/* A nameidata for op and flags with a path buffer; 0 or ENOMEM. */
static int
namei_setup(struct nameidata *nd, enum nameiop op, int flags,
    kauth_cred_t cred)
{

	memset(nd, 0, sizeof(*nd));
	nd->ni_op = op;
	nd->ni_flags = flags;
	nd->ni_cred = cred;
	if ((nd->ni_pathbuf = pnbuf_get()) == NULL)
		return ENOMEM;
	return 0;
}

int
namei_kernel(const char *path, enum nameiop op, int flags,
    kauth_cred_t cred, struct nameidata *nd)
{
	int error;

	if ((error = namei_setup(nd, op, flags, cred)) != 0)
		return error;
	if (strlcpy(nd->ni_pathbuf, path, PATH_MAX) >= PATH_MAX)
		error = ENAMETOOLONG;
	else
		error = namei(nd);
	if (error)
		namei_done(nd);
	return error;
}

int
namei_at(int dirfd, const char *upath, enum nameiop op, int flags,
    struct nameidata *nd)
{
	int error;

	if ((error = namei_setup(nd, op, flags, kauth_cred_get())) != 0)
		return error;
	error = copyinstr(upath, nd->ni_pathbuf, PATH_MAX, NULL);
	if (error)
		goto bad;
	if (nd->ni_pathbuf[0] == '\0' && !(flags & EMPTYPATH)) {
		error = ENOENT;
		goto bad;
	}
	if (nd->ni_pathbuf[0] != '/') {
		error = namei_startdir(dirfd, nd->ni_pathbuf[0] != '\0',
		    &nd->ni_startdir);
		if (error)
			goto bad;
	}
	if ((error = namei(nd)) != 0)
		goto bad;
	return 0;
 bad:
	namei_done(nd);
	return error;
}
