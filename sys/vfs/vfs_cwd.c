/*
 * vfs_cwd.c: a process's current and root directories and its umask:
 * chdir, fchdir, chroot, getcwd, umask.
 *
 * getcwd rebuilds the path from the vnodes, walking ".." up to the
 * process's root and finding each directory's name in its parent by
 * inode number (readdir), crossing mount points upwards; a current
 * directory that was removed is ENOENT, as on Linux.
 *
 * Locking: the directories and umask are under cwdi_lock (filedesc.h);
 * a new directory is looked up and checked before the lock is taken,
 * and the old one released after it is dropped.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/dirent.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/rwlock.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "vfs_private.h"

/* May the current credentials make vp (referenced) a current directory? */
static int
cwd_check(struct vnode *vp)
{

	if (vp->v_type != VDIR)
		return ENOTDIR;
	return vn_access_unlocked(vp, VEXEC, kauth_cred_get());
}

/* Make vp (referenced, passed on) the current or the root directory. */
static void
cwd_set(struct vnode *vp, bool root)
{
	struct cwdinfo *cwdi = cwd_info(NULL);
	struct vnode *old;

	rw_enter(&cwdi->cwdi_lock, RW_WRITER);
	if (root) {
		old = cwdi->cwdi_rdir;
		cwdi->cwdi_rdir = vp;
	} else {
		old = cwdi->cwdi_cdir;
		cwdi->cwdi_cdir = vp;
	}
	rw_exit(&cwdi->cwdi_lock);
	vrele(old);
}

static int
cwd_change_path(const char *upath, bool root)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	error = namei_at(AT_FDCWD, upath, LOOKUP, FOLLOW, &nd);
	if (error)
		return error;
	vp = nd.ni_vp;
	nd.ni_vp = NULL;
	namei_done(&nd);
	if ((error = cwd_check(vp)) != 0) {
		vrele(vp);
		return error;
	}
	cwd_set(vp, root);
	return 0;
}

int
sys_chdir(struct lwp *l __unused, const struct sys_chdir_args *uap,
    register_t *retval __unused)
{

	return cwd_change_path(SCARG(uap, path), false);
}

int
sys_chroot(struct lwp *l __unused, const struct sys_chroot_args *uap,
    register_t *retval __unused)
{

	if (!kauth_cred_capable(kauth_cred_get(), CAP_SYS_CHROOT)) {
		/* Linux looks the path up first: its errors come first. */
		struct nameidata nd;
		int error;

		error = namei_at(AT_FDCWD, SCARG(uap, path), LOOKUP, FOLLOW,
		    &nd);
		if (error == 0) {
			error = cwd_check(nd.ni_vp);
			namei_done(&nd);
		}
		return error ? error : EPERM;
	}
	return cwd_change_path(SCARG(uap, path), true);
}

int
sys_fchdir(struct lwp *l __unused, const struct sys_fchdir_args *uap,
    register_t *retval __unused)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	if ((error = fd_getfile(SCARG(uap, fd), &fp)) != 0)
		return error;
	if (fp->f_type != DTYPE_VNODE) {
		fd_putfile(fp);
		return ENOTDIR;
	}
	vp = fp->f_data;
	vref(vp);
	fd_putfile(fp);
	if ((error = cwd_check(vp)) != 0) {
		vrele(vp);
		return error;
	}
	cwd_set(vp, false);
	return 0;
}

int
sys_umask(struct lwp *l __unused, const struct sys_umask_args *uap,
    register_t *retval)
{
	struct cwdinfo *cwdi = cwd_info(NULL);

	rw_enter(&cwdi->cwdi_lock, RW_WRITER);
	retval[0] = cwdi->cwdi_cmask;
	cwdi->cwdi_cmask = SCARG(uap, mask) & 0777;
	rw_exit(&cwdi->cwdi_lock);
	return 0;
}

/*
 * Find the name of vp (its inode number ino) in directory dvp; put it in
 * front of the path being built backwards in buf[*posp, len).
 */
static int
getcwd_name(struct vnode *dvp, uint64_t ino, char *buf, size_t *posp)
{
	const size_t dbufsz = 4096;
	struct dirent64 *d;
	struct iovec iov;
	struct uio uio;
	char *dbuf, *p;
	off_t cookie = 0;
	size_t n, namelen;
	int eof = 0, error;

	if ((dbuf = kmem_alloc(dbufsz, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = ENOENT;
	while (!eof) {
		uio_setup_sys(&uio, &iov, dbuf, dbufsz, cookie, UIO_READ);
		vn_lock(dvp, RW_READER);
		error = dvp->v_op->vop_readdir(dvp, &uio, kauth_cred_get(),
		    &eof);
		vn_unlock(dvp);
		if (error)
			break;
		n = dbufsz - uio.uio_resid;
		if (n == 0)
			break;
		cookie = uio.uio_offset;
		error = ENOENT;
		for (p = dbuf; p < dbuf + n; p += d->d_reclen) {
			d = (struct dirent64 *)p;
			if (d->d_ino != ino || strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			namelen = strlen(d->d_name);
			if (namelen + 1 > *posp) {
				error = ENAMETOOLONG;
				goto out;
			}
			*posp -= namelen;
			memcpy(buf + *posp, d->d_name, namelen);
			buf[--*posp] = '/';
			error = 0;
			goto out;
		}
	}
	if (error == 0)
		error = ENOENT;
 out:
	kmem_free(dbuf, dbufsz);
	return error;
}

/* Build the path of the current directory at the end of buf[0, len). */
static int
getcwd_build(char *buf, size_t len, size_t *posp)
{
	static const struct componentname dotdot = { "..", 2, NULL };
	struct cwdinfo *cwdi = cwd_info(NULL);
	struct componentname cn = dotdot;
	struct vnode *vp, *dvp, *rdir, *covered;
	struct vattr va;
	size_t pos = len;
	int error = 0, depth;

	cn.cn_cred = kauth_cred_get();
	rw_enter(&cwdi->cwdi_lock, RW_READER);
	vp = cwdi->cwdi_cdir;
	rdir = cwdi->cwdi_rdir;
	vref(vp);
	vref(rdir);
	rw_exit(&cwdi->cwdi_lock);
	buf[--pos] = '\0';

	for (depth = 0; vp != rdir; depth++) {
		if (depth > PATH_MAX / 2) {
			error = ENAMETOOLONG;
			break;
		}
		while (vp != rdir && vn_isroot(vp)) {
			rw_enter(&mount_lock, RW_READER);
			covered = vp->v_mount->mnt_vnodecovered;
			if (covered != NULL)
				vref(covered);
			rw_exit(&mount_lock);
			if (covered == NULL)
				break;	/* above the process's root */
			vrele(vp);
			vp = covered;
		}
		if (vp == rdir)
			break;
		vn_lock(vp, RW_READER);
		error = vp->v_op->vop_getattr(vp, &va, cn.cn_cred);
		if (error == 0 && va.va_nlink == 0)
			error = ENOENT;		/* removed */
		if (error == 0)
			error = vp->v_op->vop_lookup(vp, &cn, &dvp);
		vn_unlock(vp);
		if (error)
			break;
		if (dvp == vp) {		/* outside the process's root */
			vrele(dvp);
			error = ENOENT;
			break;
		}
		error = getcwd_name(dvp, va.va_fileid, buf, &pos);
		vrele(vp);
		vp = dvp;
		if (error)
			break;
	}
	if (error == 0 && pos == len - 1)
		buf[--pos] = '/';		/* the root itself */
	if (error == 0) {
		/* A removed root directory also counts as removed. */
		vn_lock(vp, RW_READER);
		error = vp->v_op->vop_getattr(vp, &va, cn.cn_cred);
		vn_unlock(vp);
		if (error == 0 && va.va_nlink == 0)
			error = ENOENT;
	}
	vrele(vp);
	vrele(rdir);
	*posp = pos;
	return error;
}

int
sys_getcwd(struct lwp *l __unused, const struct sys_getcwd_args *uap,
    register_t *retval)
{
	size_t size = SCARG(uap, size), pos, n;
	char *buf;
	int error;

	if ((buf = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = getcwd_build(buf, PATH_MAX, &pos);
	if (error == 0) {
		n = PATH_MAX - pos;
		if (n > size)
			error = ERANGE;
		else if ((error = copyout(buf + pos, SCARG(uap, buf), n)) == 0)
			retval[0] = (register_t)n;
	}
	kmem_free(buf, PATH_MAX);
	return error;
}
