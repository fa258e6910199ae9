/*
 * vfs_syscalls.c: the file system calls that take a path (or act on a
 * file's attributes): open, the stat family, mkdir, unlink, rmdir, link,
 * symlink, readlink, chmod, chown, truncate, utimensat, access, mknod,
 * getdents64, fsync and sync, statfs.  Renames are in vfs_rename.c,
 * mount and umount2 in vfs_mountcalls.c, file handles in vfs_fhandle.c,
 * extended attributes in vfs_xattr.c.
 *
 * Each call finds its vnodes with namei (vfs_lookup.c), checks what Linux
 * checks, in Linux's order where the order shows in the errno, and calls
 * the file system through the vnode operations with the locks that
 * vnode.h asks for.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/dirent.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/specdev.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "vfs_private.h"

#define UTIME_NOW ((1L << 30) - 1)
#define UTIME_OMIT ((1L << 30) - 2)
#define ST_VALID 0x0020

/* A descriptor's vnode, referenced: EBADF if fd is not open. */
static int
fd_getvnode(int fd, struct vnode **vpp, struct file **fpp)
{
	struct file *fp;
	int error;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (fp->f_type != DTYPE_VNODE) {
		fd_putfile(fp);
		return EINVAL;
	}
	*vpp = fp->f_data;
	*fpp = fp;
	return 0;
}

/*
 * Look up path (or, with AT_EMPTY_PATH and an empty path, the file of
 * dirfd) for an operation on the file itself: *vpp referenced, unlocked.
 */
int
lookup_file(int dirfd, const char *upath, bool follow, bool emptypath,
    struct vnode **vpp)
{
	struct nameidata nd;
	int error;

	error = namei_at(dirfd, upath, LOOKUP, (follow ? FOLLOW : 0) |
	    (emptypath ? EMPTYPATH : 0), &nd);
	if (error)
		return error;
	*vpp = nd.ni_vp;
	vref(*vpp);
	namei_done(&nd);
	return 0;
}

/* Directory write permission for creating or removing in dvp (locked). */
static int
dir_writable(struct vnode *dvp, kauth_cred_t cred)
{
	struct vattr va;
	int error;

	if (dvp->v_mount->mnt_flag & MS_RDONLY)
		return EROFS;
	if ((error = dvp->v_op->vop_getattr(dvp, &va, cred)) != 0)
		return error;
	if (va.va_nlink == 0)	/* the directory was removed */
		return ENOENT;
	return vn_access(dvp, &va, VWRITE | VEXEC, cred);
}

/*
 * The sticky bit: in a sticky directory only the file's owner, the
 * directory's owner or a holder of CAP_FOWNER may remove or rename.
 */
int
vn_sticky_ok(struct vnode *dvp, struct vnode *vp, kauth_cred_t cred)
{
	struct vattr dva, va;
	int error;

	if ((error = dvp->v_op->vop_getattr(dvp, &dva, cred)) != 0)
		return error;
	if (!(dva.va_mode & S_ISVTX))
		return 0;
	if ((error = vp->v_op->vop_getattr(vp, &va, cred)) != 0)
		return error;
	if (cred->cr_fsuid == va.va_uid || cred->cr_fsuid == dva.va_uid ||
	    kauth_cred_capable(cred, CAP_FOWNER))
		return 0;
	return EPERM;
}

int
sys_openat(struct lwp *l __unused, const struct sys_openat_args *uap,
    register_t *retval)
{
	int flags = SCARG(uap, flags), fd, error;
	struct vnode *vp;

	if ((error = vn_open_flags(&flags)) != 0)
		return error;
	error = vn_open(SCARG(uap, dirfd), SCARG(uap, path), flags,
	    SCARG(uap, mode), &vp);
	if (error == 0)
		error = vn_open_install(vp, flags, &fd);
	if (error)
		return error;
	retval[0] = fd;
	return 0;
}

/* The *at system calls' older forms, as the calls they stand for. */
#define AT_CALL(call, ...) \
	do { \
		struct sys_##call##_args a_; \
		memset(&a_, 0, sizeof(a_)); \
		__VA_ARGS__; \
		return sys_##call(l, &a_, retval); \
	} while (0)
#define A_(name, value) SCARG(&a_, name) = (value)

int
sys_open(struct lwp *l, const struct sys_open_args *uap, register_t *retval)
{

	AT_CALL(openat, A_(dirfd, AT_FDCWD); A_(path, SCARG(uap, path));
	    A_(flags, SCARG(uap, flags)); A_(mode, SCARG(uap, mode)));
}

int
sys_creat(struct lwp *l, const struct sys_creat_args *uap, register_t *retval)
{

	AT_CALL(openat, A_(dirfd, AT_FDCWD); A_(path, SCARG(uap, path));
	    A_(flags, O_CREAT | O_WRONLY | O_TRUNC);
	    A_(mode, SCARG(uap, mode)));
}

/*
 * Create the last component of path with the vattr's type and mode (the
 * umask applied here): mkdir, mknod, symlink.
 */
static int
create_node(int dirfd, const char *upath, struct vattr *va,
    const char *target)
{
	struct nameidata nd;
	struct vnode *dvp, *vp = NULL;
	kauth_cred_t cred = kauth_cred_get();
	int error;

	error = namei_at(dirfd, upath, CREATE, LOCKPARENT, &nd);
	if (error)
		return error;
	dvp = nd.ni_dvp;
	if (nd.ni_vp != NULL) {
		error = EEXIST;
		goto out;
	}
	if (nd.ni_trailing_slash && va->va_type != VDIR) {
		error = va->va_type == VLNK ? ENOENT : ENOENT;
		goto out;
	}
	if ((error = dir_writable(dvp, cred)) != 0)
		goto out;
	if (va->va_type != VLNK)
		va->va_mode &= ~cwd_info(NULL)->cwdi_cmask;
	switch (va->va_type) {
	case VDIR:
		error = dvp->v_op->vop_mkdir(dvp, &nd.ni_cnd, va, &vp);
		break;
	case VLNK:
		error = dvp->v_op->vop_symlink(dvp, &nd.ni_cnd, va, target,
		    &vp);
		break;
	case VREG:
		error = dvp->v_op->vop_create(dvp, &nd.ni_cnd, va, &vp);
		break;
	default:
		error = dvp->v_op->vop_mknod(dvp, &nd.ni_cnd, va, &vp);
		break;
	}
	if (error == 0) {
		cache_enter(dvp, vp, nd.ni_cnd.cn_nameptr,
		    nd.ni_cnd.cn_namelen);
		vput(vp);
	}
 out:
	namei_done(&nd);
	return error;
}

int
sys_mkdirat(struct lwp *l __unused, const struct sys_mkdirat_args *uap,
    register_t *retval __unused)
{
	struct vattr va;

	vattr_null(&va);
	va.va_type = VDIR;
	va.va_mode = SCARG(uap, mode) & (S_IRWXU | S_IRWXG | S_IRWXO | S_ISVTX);
	return create_node(SCARG(uap, dirfd), SCARG(uap, path), &va, NULL);
}

int
sys_mkdir(struct lwp *l, const struct sys_mkdir_args *uap, register_t *retval)
{

	AT_CALL(mkdirat, A_(dirfd, AT_FDCWD); A_(path, SCARG(uap, path));
	    A_(mode, SCARG(uap, mode)));
}

int
sys_mknodat(struct lwp *l __unused, const struct sys_mknodat_args *uap,
    register_t *retval __unused)
{
	mode_t mode = SCARG(uap, mode);
	struct vattr va;

	vattr_null(&va);
	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
		va.va_type = VREG;
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (!kauth_cred_capable(kauth_cred_get(), CAP_MKNOD))
			return EPERM;
		va.va_type = (mode & S_IFMT) == S_IFCHR ? VCHR : VBLK;
		va.va_rdev = SCARG(uap, dev);
		break;
	case S_IFIFO:
		va.va_type = VFIFO;
		break;
	case S_IFSOCK:
		va.va_type = VSOCK;
		break;
	case S_IFDIR:
		return EPERM;
	default:
		return EINVAL;
	}
	va.va_mode = mode & ALLPERMS;
	return create_node(SCARG(uap, dirfd), SCARG(uap, path), &va, NULL);
}

int
sys_mknod(struct lwp *l, const struct sys_mknod_args *uap, register_t *retval)
{

	AT_CALL(mknodat, A_(dirfd, AT_FDCWD); A_(path, SCARG(uap, path));
	    A_(mode, SCARG(uap, mode)); A_(dev, SCARG(uap, dev)));
}

int
sys_symlinkat(struct lwp *l __unused, const struct sys_symlinkat_args *uap,
    register_t *retval __unused)
{
	struct vattr va;
	char *target;
	size_t len;
	int error;

	if ((target = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = copyinstr(SCARG(uap, target), target, PATH_MAX, &len);
	if (error == 0 && len == 1)
		error = ENOENT;
	if (error == 0) {
		vattr_null(&va);
		va.va_type = VLNK;
		va.va_mode = 0777;
		error = create_node(SCARG(uap, newdirfd), SCARG(uap, linkpath),
		    &va, target);
	}
	kmem_free(target, PATH_MAX);
	return error;
}

int
sys_symlink(struct lwp *l, const struct sys_symlink_args *uap,
    register_t *retval)
{

	AT_CALL(symlinkat, A_(target, SCARG(uap, target));
	    A_(newdirfd, AT_FDCWD); A_(linkpath, SCARG(uap, linkpath)));
}

/* unlink (rmdir false) and rmdir (rmdir true). */
static int
remove_node(int dirfd, const char *upath, bool rmdir)
{
	struct nameidata nd;
	struct vnode *dvp, *vp;
	kauth_cred_t cred = kauth_cred_get();
	int error;

	error = namei_at(dirfd, upath, DELETE, LOCKPARENT | LOCKLEAF, &nd);
	if (error)
		return error;
	dvp = nd.ni_dvp;
	vp = nd.ni_vp;
	if (nd.ni_lastdot != 0) {
		/* ".", ".." or "/": Linux's answers. */
		if (!rmdir)
			error = EISDIR;
		else if (nd.ni_lastdot == NI_LASTDOT)
			error = EINVAL;
		else if (nd.ni_lastdot == NI_LASTDOTDOT)
			error = ENOTEMPTY;
		else
			error = EBUSY;
	} else if (rmdir && vp->v_type != VDIR)
		error = ENOTDIR;
	else if (!rmdir && vp->v_type == VDIR)
		error = EISDIR;
	else if (!rmdir && nd.ni_trailing_slash)
		error = ENOTDIR;
	else if (vn_isroot(vp) || vp->v_mountedhere != NULL)
		error = EBUSY;
	else if ((error = dir_writable(dvp, cred)) == 0 &&
	    (error = vn_sticky_ok(dvp, vp, cred)) == 0) {
		if (rmdir)
			error = dvp->v_op->vop_rmdir(dvp, vp, &nd.ni_cnd);
		else
			error = dvp->v_op->vop_remove(dvp, vp, &nd.ni_cnd);
		if (error == 0)
			cache_purge(vp);
	}
	namei_done(&nd);
	return error;
}

int
sys_unlinkat(struct lwp *l __unused, const struct sys_unlinkat_args *uap,
    register_t *retval __unused)
{
	int flags = SCARG(uap, flags);

	if (flags & ~AT_REMOVEDIR)
		return EINVAL;
	return remove_node(SCARG(uap, dirfd), SCARG(uap, path),
	    (flags & AT_REMOVEDIR) != 0);
}

int
sys_unlink(struct lwp *l __unused, const struct sys_unlink_args *uap,
    register_t *retval __unused)
{

	return remove_node(AT_FDCWD, SCARG(uap, path), false);
}

int
sys_rmdir(struct lwp *l __unused, const struct sys_rmdir_args *uap,
    register_t *retval __unused)
{

	return remove_node(AT_FDCWD, SCARG(uap, path), true);
}

int
sys_linkat(struct lwp *l __unused, const struct sys_linkat_args *uap,
    register_t *retval __unused)
{
	int flags = SCARG(uap, flags), error;
	kauth_cred_t cred = kauth_cred_get();
	struct nameidata nd;
	struct vnode *vp, *dvp;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	if ((flags & AT_EMPTY_PATH) &&
	    !kauth_cred_capable(cred, CAP_DAC_READ_SEARCH))
		flags &= ~AT_EMPTY_PATH;	/* "" is then ENOENT */
	error = lookup_file(SCARG(uap, olddirfd), SCARG(uap, oldpath),
	    (flags & AT_SYMLINK_FOLLOW) != 0, (flags & AT_EMPTY_PATH) != 0,
	    &vp);
	if (error)
		return error;
	error = namei_at(SCARG(uap, newdirfd), SCARG(uap, newpath), CREATE,
	    LOCKPARENT, &nd);
	if (error) {
		vrele(vp);
		return error;
	}
	/* Linux's order: the new name, the mount, the directory, the file. */
	dvp = nd.ni_dvp;
	if (nd.ni_vp != NULL)
		error = EEXIST;
	else if (nd.ni_trailing_slash)
		error = ENOENT;
	else if (dvp->v_mount != vp->v_mount)
		error = EXDEV;
	else if ((error = dir_writable(dvp, cred)) == 0 &&
	    vp->v_type == VDIR)
		error = EPERM;
	else if (error == 0) {
		vn_lock(vp, RW_WRITER);
		error = dvp->v_op->vop_link(dvp, vp, &nd.ni_cnd);
		vn_unlock(vp);
		if (error == 0)
			cache_enter(dvp, vp, nd.ni_cnd.cn_nameptr,
			    nd.ni_cnd.cn_namelen);
	}
	namei_done(&nd);
	vrele(vp);
	return error;
}

int
sys_link(struct lwp *l, const struct sys_link_args *uap, register_t *retval)
{

	AT_CALL(linkat, A_(olddirfd, AT_FDCWD); A_(oldpath, SCARG(uap, oldpath));
	    A_(newdirfd, AT_FDCWD); A_(newpath, SCARG(uap, newpath));
	    A_(flags, 0));
}

int
sys_readlinkat(struct lwp *l __unused, const struct sys_readlinkat_args *uap,
    register_t *retval)
{
	struct vnode *vp;
	struct iovec iov;
	struct uio uio;
	size_t size = SCARG(uap, bufsiz);
	int error;

	if ((ssize_t)size <= 0)
		return EINVAL;
	error = lookup_file(SCARG(uap, dirfd), SCARG(uap, path), false, true,
	    &vp);
	if (error)
		return error;
	if (vp->v_type != VLNK) {
		vrele(vp);
		return EINVAL;
	}
	iov.iov_base = SCARG(uap, buf);
	iov.iov_len = size;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_offset = 0;
	uio.uio_resid = size;
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = UIO_USERSPACE;
	vn_lock(vp, RW_READER);
	error = vp->v_op->vop_readlink(vp, &uio, kauth_cred_get());
	vn_unlock(vp);
	vrele(vp);
	if (error == 0)
		retval[0] = (register_t)(size - uio.uio_resid);
	return error;
}

int
sys_readlink(struct lwp *l, const struct sys_readlink_args *uap,
    register_t *retval)
{

	AT_CALL(readlinkat, A_(dirfd, AT_FDCWD); A_(path, SCARG(uap, path));
	    A_(buf, SCARG(uap, buf)); A_(bufsiz, SCARG(uap, bufsiz)));
}

/* Is the caller the file's owner (by fsuid) or holder of CAP_FOWNER? */
static bool
owner_or_capable(const struct vattr *va, kauth_cred_t cred)
{

	return cred->cr_fsuid == va->va_uid ||
	    kauth_cred_capable(cred, CAP_FOWNER);
}

static int
setattr_locked(struct vnode *vp, const struct vattr *va, kauth_cred_t cred)
{

	if (vp->v_mount->mnt_flag & MS_RDONLY)
		return EROFS;
	return vp->v_op->vop_setattr(vp, va, cred);
}

static int
vn_chmod(struct vnode *vp, mode_t mode)
{
	kauth_cred_t cred = kauth_cred_get();
	struct vattr va, nva;
	int error;

	if (vp->v_mount->mnt_flag & MS_RDONLY)
		return EROFS;		/* Linux asks the mount first */
	vn_lock(vp, RW_WRITER);
	if ((error = vp->v_op->vop_getattr(vp, &va, cred)) != 0)
		goto out;
	if (!owner_or_capable(&va, cred)) {
		error = EPERM;
		goto out;
	}
	mode &= ALLPERMS;
	/* Without membership in the file's group, set-gid is dropped. */
	if ((mode & S_ISGID) && !kauth_cred_groupmember(cred, va.va_gid) &&
	    !kauth_cred_capable(cred, CAP_FSETID))
		mode &= ~S_ISGID;
	vattr_null(&nva);
	nva.va_mode = mode;
	error = setattr_locked(vp, &nva, cred);
 out:
	vn_unlock(vp);
	return error;
}

int
sys_fchmodat(struct lwp *l, const struct sys_fchmodat_args *uap,
    register_t *retval)
{

	AT_CALL(fchmodat2, A_(dirfd, SCARG(uap, dirfd));
	    A_(path, SCARG(uap, path)); A_(mode, SCARG(uap, mode));
	    A_(flags, 0));
}

/*
 * fchmodat2 (Linux 6.6): fchmodat with flags.  AT_SYMLINK_NOFOLLOW
 * changes a symbolic link's own mode, which Linux refuses (EOPNOTSUPP);
 * AT_EMPTY_PATH changes the file of dirfd, an O_PATH descriptor too (what
 * glibc's fchmodat does through /proc/self/fd without this call).
 */
int
sys_fchmodat2(struct lwp *l __unused, const struct sys_fchmodat2_args *uap,
    register_t *retval __unused)
{
	int flags = SCARG(uap, flags), error;
	struct vnode *vp;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	error = lookup_file(SCARG(uap, dirfd), SCARG(uap, path),
	    !(flags & AT_SYMLINK_NOFOLLOW), (flags & AT_EMPTY_PATH) != 0, &vp);
	if (error)
		return error;
	error = vp->v_type == VLNK ? EOPNOTSUPP : vn_chmod(vp, SCARG(uap, mode));
	vrele(vp);
	return error;
}

int
sys_chmod(struct lwp *l, const struct sys_chmod_args *uap, register_t *retval)
{

	AT_CALL(fchmodat, A_(dirfd, AT_FDCWD); A_(path, SCARG(uap, path));
	    A_(mode, SCARG(uap, mode)));
}

int
sys_fchmod(struct lwp *l __unused, const struct sys_fchmod_args *uap,
    register_t *retval __unused)
{
	struct vnode *vp;
	struct file *fp;
	int error;

	if ((error = fd_getvnode(SCARG(uap, fd), &vp, &fp)) != 0)
		return error;
	error = (fp->f_flag & O_PATH) ? EBADF : vn_chmod(vp, SCARG(uap, mode));
	fd_putfile(fp);
	return error;
}

/*
 * chown: changing the owner needs CAP_CHOWN; the owner may change the
 * group to one of its own groups.  Set-uid and (for group-executable
 * files) set-gid go away on every chown of a non-directory, as Linux
 * does.
 */
static int
vn_chown(struct vnode *vp, uid_t uid, gid_t gid)
{
	kauth_cred_t cred = kauth_cred_get();
	struct vattr va, nva;
	int error;

	if (vp->v_mount->mnt_flag & MS_RDONLY)
		return EROFS;
	vn_lock(vp, RW_WRITER);
	if ((error = vp->v_op->vop_getattr(vp, &va, cred)) != 0)
		goto out;
	/*
	 * Without CAP_CHOWN only the owner may "change" the owner, and only
	 * to itself; and may change the group to one of its groups.
	 */
	if (!kauth_cred_capable(cred, CAP_CHOWN) &&
	    ((uid != (uid_t)-1 && (cred->cr_fsuid != va.va_uid ||
	    uid != va.va_uid)) ||
	    (gid != (gid_t)-1 && (cred->cr_fsuid != va.va_uid ||
	    (gid != va.va_gid && !kauth_cred_groupmember(cred, gid)))))) {
		error = EPERM;
		goto out;
	}
	if (uid == (uid_t)-1)
		uid = va.va_uid;
	if (gid == (gid_t)-1)
		gid = va.va_gid;
	vattr_null(&nva);
	nva.va_uid = uid;
	nva.va_gid = gid;
	if (va.va_type != VDIR && (va.va_mode & (S_ISUID | S_ISGID))) {
		nva.va_mode = va.va_mode & ~S_ISUID;
		if (va.va_mode & S_IXGRP)
			nva.va_mode &= ~S_ISGID;
		nva.va_mode &= ALLPERMS;
	}
	error = setattr_locked(vp, &nva, cred);
 out:
	vn_unlock(vp);
	return error;
}

int
sys_fchownat(struct lwp *l __unused, const struct sys_fchownat_args *uap,
    register_t *retval __unused)
{
	int flags = SCARG(uap, flags), error;
	struct vnode *vp;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	error = lookup_file(SCARG(uap, dirfd), SCARG(uap, path),
	    !(flags & AT_SYMLINK_NOFOLLOW), (flags & AT_EMPTY_PATH) != 0, &vp);
	if (error)
		return error;
	error = vn_chown(vp, SCARG(uap, owner), SCARG(uap, group));
	vrele(vp);
	return error;
}

int
sys_chown(struct lwp *l, const struct sys_chown_args *uap, register_t *retval)
{

	AT_CALL(fchownat, A_(dirfd, AT_FDCWD); A_(path, SCARG(uap, path));
	    A_(owner, SCARG(uap, owner)); A_(group, SCARG(uap, group));
	    A_(flags, 0));
}

int
sys_lchown(struct lwp *l, const struct sys_lchown_args *uap,
    register_t *retval)
{

	AT_CALL(fchownat, A_(dirfd, AT_FDCWD); A_(path, SCARG(uap, path));
	    A_(owner, SCARG(uap, owner)); A_(group, SCARG(uap, group));
	    A_(flags, AT_SYMLINK_NOFOLLOW));
}

int
sys_fchown(struct lwp *l __unused, const struct sys_fchown_args *uap,
    register_t *retval __unused)
{
	struct vnode *vp;
	struct file *fp;
	int error;

	if ((error = fd_getvnode(SCARG(uap, fd), &vp, &fp)) != 0)
		return error;
	error = (fp->f_flag & O_PATH) ? EBADF :
	    vn_chown(vp, SCARG(uap, owner), SCARG(uap, group));
	fd_putfile(fp);
	return error;
}

/* Truncate a regular file, the caller having checked the access. */
static int
vn_truncate(struct vnode *vp, off_t length, bool check_access)
{
	kauth_cred_t cred = kauth_cred_get();
	struct vattr va;
	int error;

	if (length < 0)
		return EINVAL;
	if (vp->v_type == VDIR)
		return EISDIR;
	if (vp->v_type != VREG)
		return EINVAL;
	vn_lock(vp, RW_WRITER);
	if (check_access) {
		error = vp->v_op->vop_getattr(vp, &va, cred);
		if (error == 0)
			error = vn_access(vp, &va, VWRITE, cred);
		if (error)
			goto out;
	}
	error = vn_truncate_locked(vp, length, cred);
 out:
	vn_unlock(vp);
	return error;
}

int
sys_truncate(struct lwp *l __unused, const struct sys_truncate_args *uap,
    register_t *retval __unused)
{
	struct vnode *vp;
	int error;

	if (SCARG(uap, length) < 0)
		return EINVAL;
	error = lookup_file(AT_FDCWD, SCARG(uap, path), true, false, &vp);
	if (error)
		return error;
	error = vn_truncate(vp, SCARG(uap, length), true);
	vrele(vp);
	return error;
}

int
sys_ftruncate(struct lwp *l __unused, const struct sys_ftruncate_args *uap,
    register_t *retval __unused)
{
	struct vnode *vp;
	struct file *fp;
	int error;

	if (SCARG(uap, length) < 0)
		return EINVAL;
	if ((error = fd_getvnode(SCARG(uap, fd), &vp, &fp)) != 0)
		return error;		/* EINVAL for a pipe, as Linux */
	if (!(fp->f_flag & FWRITE))
		error = (fp->f_flag & O_PATH) ? EBADF : EINVAL;
	else
		error = vn_truncate(vp, SCARG(uap, length), false);
	fd_putfile(fp);
	return error;
}

static bool
utime_valid(const struct timespec *ts)
{

	return ts->tv_nsec == UTIME_NOW || ts->tv_nsec == UTIME_OMIT ||
	    (ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000L);
}

/* utimensat: ts[0] atime, ts[1] mtime, or NULL for both "now". */
static int
vn_utimens(struct vnode *vp, const struct timespec *ts)
{
	kauth_cred_t cred = kauth_cred_get();
	struct vattr va, nva;
	struct timespec now;
	bool explicit;
	int error;

	explicit = ts != NULL && (ts[0].tv_nsec != UTIME_NOW ||
	    ts[1].tv_nsec != UTIME_NOW);
	if (ts != NULL && ts[0].tv_nsec == UTIME_OMIT &&
	    ts[1].tv_nsec == UTIME_OMIT)
		return 0;
	if (explicit && ((ts[0].tv_nsec == UTIME_OMIT ||
	    ts[0].tv_nsec == UTIME_NOW) && (ts[1].tv_nsec == UTIME_OMIT ||
	    ts[1].tv_nsec == UTIME_NOW)))
		explicit = false;	/* only "now" and "omit" */
	if (vp->v_mount->mnt_flag & MS_RDONLY)
		return EROFS;		/* Linux asks the mount first */
	vn_lock(vp, RW_WRITER);
	if ((error = vp->v_op->vop_getattr(vp, &va, cred)) != 0)
		goto out;
	if (!owner_or_capable(&va, cred)) {
		if (explicit) {
			error = EPERM;
			goto out;
		}
		if ((error = vn_access(vp, &va, VWRITE, cred)) != 0)
			goto out;
	}
	nanotime(&now);
	vattr_null(&nva);
	if (ts == NULL || ts[0].tv_nsec != UTIME_OMIT)
		nva.va_atime = ts == NULL || ts[0].tv_nsec == UTIME_NOW ?
		    now : ts[0];
	if (ts == NULL || ts[1].tv_nsec != UTIME_OMIT)
		nva.va_mtime = ts == NULL || ts[1].tv_nsec == UTIME_NOW ?
		    now : ts[1];
	error = setattr_locked(vp, &nva, cred);
 out:
	vn_unlock(vp);
	return error;
}

int
sys_utimensat(struct lwp *l __unused, const struct sys_utimensat_args *uap,
    register_t *retval __unused)
{
	struct timespec ts[2];
	struct vnode *vp;
	struct file *fp = NULL;
	int flags = SCARG(uap, flags), error;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	if (SCARG(uap, times) != NULL) {
		if ((error = copyin(SCARG(uap, times), ts, sizeof(ts))) != 0)
			return error;
		if (!utime_valid(&ts[0]) || !utime_valid(&ts[1]))
			return EINVAL;
	}
	if (SCARG(uap, path) == NULL) {	/* Linux: the file of dirfd */
		if (SCARG(uap, dirfd) == AT_FDCWD)
			return EFAULT;
		if ((error = fd_getvnode(SCARG(uap, dirfd), &vp, &fp)) != 0)
			return error;
		vref(vp);
		fd_putfile(fp);
	} else {
		error = lookup_file(SCARG(uap, dirfd), SCARG(uap, path),
		    !(flags & AT_SYMLINK_NOFOLLOW),
		    (flags & AT_EMPTY_PATH) != 0, &vp);
		if (error)
			return error;
	}
	error = vn_utimens(vp, SCARG(uap, times) != NULL ? ts : NULL);
	vrele(vp);
	return error;
}

/*
 * access: checks with the real uid and gid (unless AT_EACCESS), and with
 * the capabilities a process of that real uid would have.
 */
static int
do_access(int dirfd, const char *upath, int mode, int flags)
{
	kauth_cred_t cred = kauth_cred_get(), ac;
	struct vattr va;
	struct vnode *vp;
	int acc = 0, error;

	if (mode & ~(R_OK | W_OK | X_OK))
		return EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return EINVAL;
	if ((ac = kauth_cred_dup(cred)) == NULL)
		return ENOMEM;
	if (!(flags & AT_EACCESS)) {
		ac->cr_fsuid = cred->cr_uid;
		ac->cr_fsgid = cred->cr_gid;
		ac->cr_cap_effective = cred->cr_uid == 0 ?
		    cred->cr_cap_permitted : 0;
	}
	error = lookup_file(dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW),
	    (flags & AT_EMPTY_PATH) != 0, &vp);
	if (error)
		goto out;
	if (mode & R_OK)
		acc |= VREAD;
	if (mode & W_OK)
		acc |= VWRITE;
	if (mode & X_OK)
		acc |= VEXEC;
	if ((acc & VWRITE) && (vp->v_mount->mnt_flag & MS_RDONLY) &&
	    (vp->v_type == VREG || vp->v_type == VDIR || vp->v_type == VLNK))
		error = EROFS;
	else if (acc != 0 && (error = vn_getattr(vp, &va, ac)) == 0)
		error = vn_access(vp, &va, acc, ac);
	vrele(vp);
 out:
	kauth_cred_free(ac);
	return error;
}

int
sys_faccessat(struct lwp *l __unused, const struct sys_faccessat_args *uap,
    register_t *retval __unused)
{

	return do_access(SCARG(uap, dirfd), SCARG(uap, path), SCARG(uap, mode),
	    0);
}

int
sys_faccessat2(struct lwp *l __unused, const struct sys_faccessat2_args *uap,
    register_t *retval __unused)
{

	return do_access(SCARG(uap, dirfd), SCARG(uap, path), SCARG(uap, mode),
	    SCARG(uap, flags));
}

int
sys_access(struct lwp *l __unused, const struct sys_access_args *uap,
    register_t *retval __unused)
{

	return do_access(AT_FDCWD, SCARG(uap, path), SCARG(uap, mode), 0);
}

int
sys_getdents64(struct lwp *l __unused, const struct sys_getdents64_args *uap,
    register_t *retval)
{
	struct vnode *vp;
	struct file *fp;
	struct iovec iov;
	struct uio uio;
	size_t count = SCARG(uap, count);
	int eof = 0, error;

	if ((error = fd_getfile(SCARG(uap, fd), &fp)) != 0)
		return error;
	if (fp->f_type != DTYPE_VNODE || (fp->f_flag & O_PATH)) {
		error = fp->f_type != DTYPE_VNODE ? ENOTDIR : EBADF;
		goto out;
	}
	vp = fp->f_data;
	if (vp->v_type != VDIR) {
		error = ENOTDIR;
		goto out;
	}
	if (count > INT_MAX)
		count = INT_MAX;
	iov.iov_base = SCARG(uap, dirp);
	iov.iov_len = count;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_resid = count;
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = UIO_USERSPACE;
	mutex_enter(&fp->f_lock);
	uio.uio_offset = fp->f_offset;
	mutex_exit(&fp->f_lock);
	vn_lock(vp, RW_READER);
	error = vp->v_op->vop_readdir(vp, &uio, fp->f_cred, &eof);
	vn_unlock(vp);
	if (error == 0 || uio.uio_resid != count) {
		mutex_enter(&fp->f_lock);
		fp->f_offset = uio.uio_offset;
		mutex_exit(&fp->f_lock);
		retval[0] = (register_t)(count - uio.uio_resid);
		error = 0;
	}
 out:
	fd_putfile(fp);
	return error;
}

static int
fsync_fd(int fd, int flags)
{
	struct vnode *vp;
	struct file *fp;
	int error;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (fp->f_flag & O_PATH)
		error = EBADF;
	else if (fp->f_type != DTYPE_VNODE)
		error = EINVAL;
	else {
		vp = fp->f_data;
		vn_lock(vp, RW_WRITER);
		error = vp->v_op->vop_fsync(vp, flags, fp->f_cred);
		vn_unlock(vp);
		if (error == 0 && (vp->v_type == VBLK || vp->v_type == VCHR))
			error = spec_fsync(vp);
	}
	fd_putfile(fp);
	return error;
}

int
sys_fsync(struct lwp *l __unused, const struct sys_fsync_args *uap,
    register_t *retval __unused)
{

	return fsync_fd(SCARG(uap, fd), FSYNC_WAIT);
}

int
sys_fdatasync(struct lwp *l __unused, const struct sys_fdatasync_args *uap,
    register_t *retval __unused)
{

	return fsync_fd(SCARG(uap, fd), FSYNC_WAIT | FSYNC_DATAONLY);
}

int
sys_sync(struct lwp *l __unused, const void *uap __unused,
    register_t *retval __unused)
{

	vfs_sync_all();
	return 0;
}

int
sys_syncfs(struct lwp *l __unused, const struct sys_syncfs_args *uap,
    register_t *retval __unused)
{
	struct vnode *vp;
	struct file *fp;
	struct mount *mp;
	int error;

	if ((error = fd_getfile(SCARG(uap, fd), &fp)) != 0)
		return error;
	if ((vp = file_vnode(fp)) != NULL) {
		mp = vp->v_mount;
		error = mp->mnt_op->vfs_sync(mp, FSYNC_WAIT);
	}
	fd_putfile(fp);
	return error;
}

/* stat and statx of a path or (AT_EMPTY_PATH) a descriptor. */
static int
stat_lookup(int dirfd, const char *upath, int flags, struct vnode **vpp)
{

	return lookup_file(dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW),
	    (flags & AT_EMPTY_PATH) != 0, vpp);
}

static int
stat_path(int dirfd, const char *upath, int flags, struct stat *ust)
{
	struct stat st;
	struct vnode *vp;
	int error;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return EINVAL;
	if ((error = stat_lookup(dirfd, upath, flags, &vp)) != 0)
		return error;
	error = vn_stat(vp, &st, kauth_cred_get());
	vrele(vp);
	if (error == 0)
		error = copyout(&st, ust, sizeof(st));
	return error;
}

int
sys_fstatat(struct lwp *l __unused, const struct sys_fstatat_args *uap,
    register_t *retval __unused)
{

	return stat_path(SCARG(uap, dirfd), SCARG(uap, path), SCARG(uap, flags),
	    SCARG(uap, st));
}

int
sys_stat(struct lwp *l __unused, const struct sys_stat_args *uap,
    register_t *retval __unused)
{

	return stat_path(AT_FDCWD, SCARG(uap, path), 0, SCARG(uap, st));
}

int
sys_lstat(struct lwp *l __unused, const struct sys_lstat_args *uap,
    register_t *retval __unused)
{

	return stat_path(AT_FDCWD, SCARG(uap, path), AT_SYMLINK_NOFOLLOW,
	    SCARG(uap, st));
}

int
sys_fstat(struct lwp *l __unused, const struct sys_fstat_args *uap,
    register_t *retval __unused)
{
	struct stat st;
	struct file *fp;
	int error;

	if ((error = fd_getfile(SCARG(uap, fd), &fp)) != 0)
		return error;
	error = fp->f_ops->fo_stat(fp, &st);
	fd_putfile(fp);
	if (error == 0)
		error = copyout(&st, SCARG(uap, st), sizeof(st));
	return error;
}

int
sys_statx(struct lwp *l __unused, const struct sys_statx_args *uap,
    register_t *retval __unused)
{
	int flags = SCARG(uap, flags), error;
	struct statx sx;
	struct vnode *vp;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
	    AT_STATX_SYNC_TYPE))
		return EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return EINVAL;
	if (SCARG(uap, mask) & STATX__RESERVED)
		return EINVAL;
	if ((error = stat_lookup(SCARG(uap, dirfd), SCARG(uap, path), flags,
	    &vp)) != 0)
		return error;
	error = vn_statx(vp, SCARG(uap, mask), &sx, kauth_cred_get());
	vrele(vp);
	if (error == 0)
		error = copyout(&sx, SCARG(uap, buf), sizeof(sx));
	return error;
}

static int
vn_statfs(struct vnode *vp, struct statfs *ubuf)
{
	struct mount *mp = vp->v_mount;
	struct statfs sf;
	int error;

	memset(&sf, 0, sizeof(sf));
	if ((error = mp->mnt_op->vfs_statfs(mp, &sf)) != 0)
		return error;
	/* The file system's own (ext4's comes from its UUID), else ours. */
	if (sf.f_fsid.val[0] == 0 && sf.f_fsid.val[1] == 0) {
		sf.f_fsid.val[0] = (int)(mp->mnt_dev & 0xffffffff);
		sf.f_fsid.val[1] = (int)(mp->mnt_dev >> 32);
	}
	sf.f_flags = ST_VALID;
	if (mp->mnt_flag & MS_RDONLY)
		sf.f_flags |= ST_RDONLY;
	if (mp->mnt_flag & MS_NOSUID)
		sf.f_flags |= ST_NOSUID;
	if (mp->mnt_flag & MS_NODEV)
		sf.f_flags |= ST_NODEV;
	if (mp->mnt_flag & MS_NOEXEC)
		sf.f_flags |= ST_NOEXEC;
	if (mp->mnt_flag & MS_NOATIME)
		sf.f_flags |= ST_NOATIME;
	if (sf.f_frsize == 0)
		sf.f_frsize = sf.f_bsize;
	return copyout(&sf, ubuf, sizeof(sf));
}

int
sys_statfs(struct lwp *l __unused, const struct sys_statfs_args *uap,
    register_t *retval __unused)
{
	struct vnode *vp;
	int error;

	error = lookup_file(AT_FDCWD, SCARG(uap, path), true, false, &vp);
	if (error)
		return error;
	error = vn_statfs(vp, SCARG(uap, buf));
	vrele(vp);
	return error;
}

int
sys_fstatfs(struct lwp *l __unused, const struct sys_fstatfs_args *uap,
    register_t *retval __unused)
{
	struct vnode *vp;
	struct file *fp;
	int error;

	if ((error = fd_getvnode(SCARG(uap, fd), &vp, &fp)) != 0)
		return error;
	error = vn_statfs(vp, SCARG(uap, buf));
	fd_putfile(fp);
	return error;
}
