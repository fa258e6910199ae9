/*
 * vfs_vnops.c: open files backed by vnodes.
 *
 * vn_open() turns a path and open(2) flags into a referenced vnode with
 * Linux's rules (O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY, O_NOFOLLOW,
 * O_PATH, permissions); vn_open_vnode() is its second half, the open of
 * a file found, which open_by_handle_at shares; vn_open_flags() and
 * vn_open_install() are the front and the end of openat and
 * open_by_handle_at (their flags, the new descriptor).  vnfileops are
 * the file operations of a descriptor that refers to a vnode: read and write
 * through the VOPs at the file's offset, stat, seek, ioctl, poll and
 * close.  vn_stat and vn_statx turn attributes into the Linux
 * structures.
 *
 * Locking: a read takes the vnode lock shared, a write exclusive (so that
 * O_APPEND writes and size changes are atomic); the file offset is
 * updated under f_lock by the caller (sys_generic.c) through *offp.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/specdev.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "vfs_private.h"

#define FIONREAD 0x541B
/* Open flags that survive into the file's f_flag (fcntl F_GETFL). */
#define OPEN_STATUS_FLAGS (O_APPEND | O_NONBLOCK | O_DSYNC | __O_SYNC | \
	O_ASYNC | O_DIRECT | O_NOATIME | O_PATH | O_LARGEFILE)

static const int vtype_to_ifmt[] = {
	[VNON] = 0, [VREG] = S_IFREG, [VDIR] = S_IFDIR, [VBLK] = S_IFBLK,
	[VCHR] = S_IFCHR, [VLNK] = S_IFLNK, [VSOCK] = S_IFSOCK,
	[VFIFO] = S_IFIFO, [VBAD] = 0,
};

/* Is I/O on vp the business of a device driver (spec_*)? */
static bool
vn_isdev(const struct vnode *vp)
{

	return vp->v_type == VBLK || vp->v_type == VCHR;
}

mode_t
vn_ifmt(enum vtype t)
{

	return (unsigned int)t < __arraycount(vtype_to_ifmt) ?
	    (mode_t)vtype_to_ifmt[t] : 0;
}

enum vtype
vn_mode_to_vtype(mode_t mode)
{

	switch (mode & S_IFMT) {
	case S_IFREG: return VREG;
	case S_IFDIR: return VDIR;
	case S_IFBLK: return VBLK;
	case S_IFCHR: return VCHR;
	case S_IFLNK: return VLNK;
	case S_IFSOCK: return VSOCK;
	case S_IFIFO: return VFIFO;
	default: return VNON;
	}
}

int
vn_getattr(struct vnode *vp, struct vattr *va, kauth_cred_t cred)
{
	int error;

	vn_lock(vp, RW_READER);
	error = vp->v_op->vop_getattr(vp, va, cred);
	vn_unlock(vp);
	return error;
}

void
vn_stat_fill(struct vnode *vp, const struct vattr *va, struct stat *st)
{

	memset(st, 0, sizeof(*st));
	st->st_dev = vp->v_mount->mnt_dev;
	st->st_ino = va->va_fileid;
	st->st_nlink = va->va_nlink;
	st->st_mode = (va->va_mode & ALLPERMS) | vn_ifmt(va->va_type);
	st->st_uid = va->va_uid;
	st->st_gid = va->va_gid;
	st->st_rdev = va->va_type == VBLK || va->va_type == VCHR ?
	    va->va_rdev : 0;
	st->st_size = va->va_size;
	st->st_blksize = va->va_blksize;
	st->st_blocks = (int64_t)((va->va_bytes + 511) / 512);
	st->st_atim = va->va_atime;
	st->st_mtim = va->va_mtime;
	st->st_ctim = va->va_ctime;
}

int
vn_stat(struct vnode *vp, struct stat *st, kauth_cred_t cred)
{
	struct vattr va;
	int error;

	if ((error = vn_getattr(vp, &va, cred)) != 0)
		return error;
	vn_stat_fill(vp, &va, st);
	return 0;
}

static void
statx_time(struct statx_timestamp *sx, const struct timespec *ts)
{

	sx->tv_sec = ts->tv_sec;
	sx->tv_nsec = (uint32_t)ts->tv_nsec;
}

int
vn_statx(struct vnode *vp, unsigned int mask __unused, struct statx *sx,
    kauth_cred_t cred)
{
	struct vattr va;
	int error;

	if ((error = vn_getattr(vp, &va, cred)) != 0)
		return error;
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
	sx->stx_blksize = (uint32_t)va.va_blksize;
	sx->stx_nlink = (uint32_t)va.va_nlink;
	sx->stx_uid = va.va_uid;
	sx->stx_gid = va.va_gid;
	sx->stx_mode = (uint16_t)((va.va_mode & ALLPERMS) |
	    vn_ifmt(va.va_type));
	sx->stx_ino = va.va_fileid;
	sx->stx_size = (uint64_t)va.va_size;
	sx->stx_blocks = (va.va_bytes + 511) / 512;
	statx_time(&sx->stx_atime, &va.va_atime);
	statx_time(&sx->stx_mtime, &va.va_mtime);
	statx_time(&sx->stx_ctime, &va.va_ctime);
	if (va.va_btime.tv_sec != VNOVAL) {
		statx_time(&sx->stx_btime, &va.va_btime);
		sx->stx_mask |= STATX_BTIME;
	}
	if (va.va_type == VBLK || va.va_type == VCHR) {
		sx->stx_rdev_major = major(va.va_rdev);
		sx->stx_rdev_minor = minor(va.va_rdev);
	}
	sx->stx_dev_major = major(vp->v_mount->mnt_dev);
	sx->stx_dev_minor = minor(vp->v_mount->mnt_dev);
	sx->stx_mnt_id = vp->v_mount->mnt_id;
	return 0;
}

/* The access an open(2) asks for, as VREAD/VWRITE bits. */
static int
open_accmode(int flags)
{
	int acc = 0;

	switch (flags & O_ACCMODE) {
	case O_RDONLY: acc = VREAD; break;
	case O_WRONLY: acc = VWRITE; break;
	case O_RDWR: acc = VREAD | VWRITE; break;
	default: acc = VREAD | VWRITE; break;	/* 3: ioctl only, as Linux */
	}
	if (flags & O_TRUNC)
		acc |= VWRITE;
	return acc;
}

/* Create the last component of nd (parent locked, no file there). */
static int
vn_open_create(struct nameidata *nd, mode_t mode, struct vnode **vpp)
{
	struct vnode *dvp = nd->ni_dvp;
	struct vattr va, dva;
	int error;

	if (nd->ni_trailing_slash)
		return EISDIR;
	if (dvp->v_mount->mnt_flag & MS_RDONLY)
		return EROFS;
	error = dvp->v_op->vop_getattr(dvp, &dva, nd->ni_cred);
	if (error == 0)
		error = vn_access(dvp, &dva, VWRITE | VEXEC, nd->ni_cred);
	if (error)
		return error;
	if (dva.va_nlink == 0)		/* a removed directory */
		return ENOENT;
	vattr_null(&va);
	va.va_type = VREG;
	va.va_mode = mode & ALLPERMS & ~cwd_info(NULL)->cwdi_cmask;
	error = dvp->v_op->vop_create(dvp, &nd->ni_cnd, &va, vpp);
	if (error == 0)
		cache_enter(dvp, *vpp, nd->ni_cnd.cn_nameptr,
		    nd->ni_cnd.cn_namelen);
	return error;
}

/*
 * O_CREAT finding someone else's file in a world-writable sticky
 * directory (Linux's may_create_in_sticky, with protected_regular and
 * protected_fifos off, their kernel defaults): EACCES, even for root,
 * for anything but a regular file or a FIFO.  dvp and vp locked.
 */
static int
vn_open_sticky(struct vnode *dvp, struct vnode *vp, kauth_cred_t cred)
{
	struct vattr dva, va;
	int error;

	if (vp->v_type == VREG || vp->v_type == VFIFO)
		return 0;
	if ((error = dvp->v_op->vop_getattr(dvp, &dva, cred)) != 0)
		return error;
	if (!(dva.va_mode & S_ISVTX) || !(dva.va_mode & S_IWOTH))
		return 0;
	if ((error = vp->v_op->vop_getattr(vp, &va, cred)) != 0)
		return error;
	if (va.va_uid == dva.va_uid || va.va_uid == cred->cr_fsuid)
		return 0;
	return EACCES;
}

/* Check an existing file against the open flags; vp locked. */
static int
vn_open_check(struct vnode *vp, int flags, kauth_cred_t cred)
{
	struct vattr va;
	int acc = open_accmode(flags), error;

	if ((flags & O_DIRECTORY) && vp->v_type != VDIR)
		return ENOTDIR;
	if (flags & O_PATH)
		return 0;	/* even a symbolic link itself, with O_NOFOLLOW */
	/*
	 * A link itself: open(2) gets here with O_NOFOLLOW only (namei
	 * followed it otherwise), open_by_handle_at with or without.
	 */
	if (vp->v_type == VLNK)
		return ELOOP;
	if (vp->v_type == VDIR && (acc & VWRITE))
		return EISDIR;
	if (vp->v_type == VSOCK)
		return ENXIO;
	if (vn_isdev(vp) && (vp->v_mount->mnt_flag & MS_NODEV))
		return EACCES;
	if ((error = vp->v_op->vop_getattr(vp, &va, cred)) != 0)
		return error;
	if ((acc & VWRITE) && (vp->v_mount->mnt_flag & MS_RDONLY) &&
	    (vp->v_type == VREG || vp->v_type == VDIR || vp->v_type == VLNK))
		return EROFS;
	if ((error = vn_access(vp, &va, acc, cred)) != 0)
		return error;
	/* Not updating atime is the owner's privilege. */
	if ((flags & O_NOATIME) && cred->cr_fsuid != va.va_uid &&
	    !kauth_cred_capable(cred, CAP_FOWNER))
		return EPERM;
	return 0;
}

/*
 * The mode that a write or truncate by cred leaves vp with: without
 * CAP_FSETID, S_ISUID goes, and S_ISGID too when group execution is on
 * (Linux's file_remove_privs; a set-group-ID bit without group execute
 * marks mandatory locking and stays).  VNOVAL when nothing changes.
 */
static mode_t
vn_killpriv_mode(const struct vattr *va, kauth_cred_t cred)
{
	mode_t mode = va->va_mode;

	if (va->va_type != VREG || kauth_cred_capable(cred, CAP_FSETID))
		return (mode_t)VNOVAL;
	if (mode & S_ISUID)
		mode &= ~S_ISUID;
	if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		mode &= ~S_ISGID;
	return mode == va->va_mode ? (mode_t)VNOVAL : mode;
}

/*
 * Set vp's size (vp locked exclusive, access checked), dropping the
 * set-ID bits as a write does.
 */
int
vn_truncate_locked(struct vnode *vp, off_t size, kauth_cred_t cred)
{
	struct vattr va, nva;
	int error;

	if (vp->v_mount->mnt_flag & MS_RDONLY)
		return EROFS;
	if ((error = vp->v_op->vop_getattr(vp, &va, cred)) != 0)
		return error;
	vattr_null(&nva);
	nva.va_size = size;
	nva.va_mode = vn_killpriv_mode(&va, cred);
	return vp->v_op->vop_setattr(vp, &nva, cred);
}

/* Before a write (vp locked exclusive): drop the set-ID bits. */
static int
vn_killpriv_locked(struct vnode *vp, kauth_cred_t cred)
{
	struct vattr va;
	mode_t mode;
	int error;

	if ((error = vp->v_op->vop_getattr(vp, &va, cred)) != 0)
		return error;
	if ((mode = vn_killpriv_mode(&va, cred)) == (mode_t)VNOVAL)
		return 0;
	vattr_null(&va);
	va.va_mode = mode;
	return vp->v_op->vop_setattr(vp, &va, cred);
}

/*
 * Make vp (locked exclusive, checked) ready for I/O as flags ask:
 * VOP_OPEN, a device's open, O_TRUNC (not for a file that this open
 * created).  Nothing for O_PATH.  On error vp is not open.
 */
static int
vn_open_io(struct vnode *vp, int flags, bool created, kauth_cred_t cred)
{
	int error;

	if (flags & O_PATH)
		return 0;
	if ((error = vp->v_op->vop_open(vp, flags, cred)) != 0)
		return error;
	if (vn_isdev(vp) && (error = spec_open(vp, flags, cred)) != 0) {
		vp->v_op->vop_close(vp, flags, cred);
		return error;
	}
	/* Linux truncates even for O_RDONLY. */
	if ((flags & O_TRUNC) && !created && vp->v_type == VREG &&
	    (error = vn_truncate_locked(vp, 0, cred)) != 0) {
		vp->v_op->vop_close(vp, flags, cred);
		return error;
	}
	return 0;
}

/*
 * Open vp, a file that exists, as open(2) with flags does once it has
 * found it: O_CREAT's and O_EXCL's rules for a file that is there, the
 * checks of the type and the access, then vn_open_io.  vp is referenced
 * and locked exclusive, and stays so; dvp is its directory (locked) for
 * O_CREAT's sticky rule, or NULL when vp was not found by a name
 * (open_by_handle_at).  On success vp is open unless O_PATH.
 */
int
vn_open_vnode(struct vnode *dvp, struct vnode *vp, int flags,
    kauth_cred_t cred)
{
	int error;

	KASSERT(rw_write_held(&vp->v_lock));
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return EEXIST;
	if ((flags & O_CREAT) && vp->v_type == VDIR)
		return EISDIR;
	if ((flags & O_CREAT) && dvp != NULL &&
	    (error = vn_open_sticky(dvp, vp, cred)) != 0)
		return error;
	if ((error = vn_open_check(vp, flags, cred)) != 0)
		return error;
	return vn_open_io(vp, flags, false, cred);
}

/*
 * Open (and maybe create) the file that upath names relative to dirfd; on
 * success *vpp is the vnode, referenced and unlocked, and opened
 * (VOP_OPEN) unless O_PATH.
 */
int
vn_open(int dirfd, const char *upath, int flags, mode_t mode,
    struct vnode **vpp)
{
	struct nameidata ndata, *nd = &ndata;
	struct vnode *vp = NULL;
	kauth_cred_t cred;
	int nflags, error;

	if (flags & O_CREAT) {
		nflags = LOCKPARENT | LOCKLEAF;
		if (!(flags & O_EXCL) && !(flags & O_NOFOLLOW))
			nflags |= FOLLOW;
	} else {
		nflags = LOCKLEAF;
		if (!(flags & O_NOFOLLOW))
			nflags |= FOLLOW;
	}
	error = namei_at(dirfd, upath, (flags & O_CREAT) ? CREATE : LOOKUP,
	    nflags, nd);
	if (error)
		return error;
	cred = nd->ni_cred;
	if ((flags & O_CREAT) && nd->ni_trailing_slash &&
	    nd->ni_lastdot == 0) {
		error = EISDIR;		/* Linux: before looking at the file */
		goto out;
	}
	if (nd->ni_vp == NULL) {
		KASSERT(flags & O_CREAT);
		if ((error = vn_open_create(nd, mode, &vp)) == 0)
			error = vn_open_io(vp, flags, true, cred);
	} else {
		vp = nd->ni_vp;
		nd->ni_vp = NULL;	/* ours now, still locked */
		error = vn_open_vnode(nd->ni_dvp, vp, flags, cred);
	}
	if (error)
		goto out;
	vn_unlock(vp);
	*vpp = vp;
	vp = NULL;
 out:
	if (vp != NULL)
		vput(vp);
	namei_done(nd);
	return error;
}

/*
 * The open flags as openat takes them: O_TMPFILE is not supported, O_PATH
 * keeps only the flags that mean something to it, and O_CREAT with
 * O_DIRECTORY is EINVAL (Linux 6.4 and later: open creates no directory).
 */
int
vn_open_flags(int *flagsp)
{
	int flags = *flagsp;

	if ((flags & O_TMPFILE) == O_TMPFILE)
		return EOPNOTSUPP;
	if (flags & O_PATH)
		flags &= O_PATH | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW;
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return EINVAL;
	*flagsp = flags;
	return 0;
}

/*
 * Give vp, just opened with flags (referenced, unlocked, open unless
 * O_PATH), a descriptor: *fdp.  The new file takes over the reference
 * and the open; on failure they are closed here.
 */
int
vn_open_install(struct vnode *vp, int flags, int *fdp)
{
	struct file *fp;
	int fflag, error = 0;

	fflag = (flags & OPEN_STATUS_FLAGS) | O_LARGEFILE;
	/* Access mode 3 gives neither (ioctl only), as on Linux. */
	if (!(flags & O_PATH) && (flags & O_ACCMODE) != O_ACCMODE) {
		if ((flags & O_ACCMODE) != O_WRONLY)
			fflag |= FREAD;
		if ((flags & O_ACCMODE) != O_RDONLY)
			fflag |= FWRITE;
	}
	/* A FIFO's openers share a pipe (sys_pipe.c); the rest is vnfileops. */
	if (vp->v_type == VFIFO && !(flags & O_PATH))
		error = fifo_open(vp, fflag, &fp);
	else if ((fp = file_alloc(DTYPE_VNODE, &vnfileops, vp, fflag)) ==
	    NULL)
		error = ENOMEM;
	if (error) {
		if (!(flags & O_PATH)) {
			vn_lock(vp, RW_WRITER);
			vp->v_op->vop_close(vp, flags, kauth_cred_get());
			vn_unlock(vp);
		}
		vrele(vp);
		return error;
	}
	error = fd_install(fp, 0, (flags & O_CLOEXEC) ? FD_CLOEXEC : 0, fdp);
	file_release(fp);	/* the descriptor holds it now, or nothing */
	return error;
}

/* The vnode of a descriptor's file, or EBADF/ENOTDIR-style errors. */
struct vnode *
file_vnode(struct file *fp)
{

	return fp->f_type == DTYPE_VNODE ? fp->f_data : NULL;
}

static int
vn_read(struct file *fp, off_t *offp, struct uio *uio, int flags __unused)
{
	struct vnode *vp = fp->f_data;
	int error;

	if (vp->v_type == VDIR)
		return EISDIR;
	uio->uio_offset = *offp;
	if (vn_isdev(vp)) {
		/* Drivers lock for themselves; a read may wait long. */
		error = spec_read(vp, uio, (fp->f_flag & O_NONBLOCK) ?
		    IO_NDELAY : 0);
		*offp = uio->uio_offset;
		return error;
	}
	vn_lock(vp, RW_READER);
	error = vp->v_op->vop_read(vp, uio,
	    (fp->f_flag & O_NONBLOCK) ? IO_NDELAY : 0, fp->f_cred);
	vn_unlock(vp);
	*offp = uio->uio_offset;
	return error;
}

static int
vn_write(struct file *fp, off_t *offp, struct uio *uio, int flags __unused)
{
	struct vnode *vp = fp->f_data;
	int ioflag = 0, error;

	if (fp->f_flag & O_APPEND)
		ioflag |= IO_APPEND;
	if (fp->f_flag & (O_SYNC | O_DSYNC))
		ioflag |= (fp->f_flag & __O_SYNC) ? IO_SYNC : IO_DSYNC;
	if (fp->f_flag & O_NONBLOCK)
		ioflag |= IO_NDELAY;
	uio->uio_offset = *offp;
	if (vn_isdev(vp)) {
		error = spec_write(vp, uio, ioflag);
		*offp = uio->uio_offset;
		return error;
	}
	if (uio->uio_resid == 0)
		return 0;	/* not even O_APPEND moves the offset */
	vn_lock(vp, RW_WRITER);
	/* Linux judges by the writer's credentials, not the opener's. */
	error = vp->v_type == VREG ?
	    vn_killpriv_locked(vp, kauth_cred_get()) : 0;
	if (error == 0)
		error = vp->v_op->vop_write(vp, uio, ioflag, fp->f_cred);
	vn_unlock(vp);
	*offp = uio->uio_offset;
	return error;
}

static int
vn_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	int n, error;

	if (cmd == FIONREAD && (vp->v_type == VREG || vp->v_type == VDIR)) {
		if (vp->v_type == VDIR)
			return EINVAL;
		if ((error = vn_getattr(vp, &va, fp->f_cred)) != 0)
			return error;
		mutex_enter(&fp->f_lock);
		n = va.va_size > fp->f_offset ?
		    (int)MIN(va.va_size - fp->f_offset, INT_MAX) : 0;
		mutex_exit(&fp->f_lock);
		return copyout(&n, data, sizeof(n));
	}
	if (vn_isdev(vp))
		return spec_ioctl(vp, cmd, data, fp->f_flag);
	if (vp->v_op->vop_ioctl == NULL)
		return ENOTTY;
	return vp->v_op->vop_ioctl(vp, cmd, data, fp->f_flag, fp->f_cred);
}

static int
vn_poll(struct file *fp, int events)
{
	struct vnode *vp = fp->f_data;

	if (vn_isdev(vp))
		return spec_poll(vp, events);
	if (vp->v_op->vop_poll != NULL)
		return vp->v_op->vop_poll(vp, events);
	return events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}

static int
vn_fo_stat(struct file *fp, struct stat *st)
{

	return vn_stat(fp->f_data, st, fp->f_cred);
}

static int
vn_close(struct file *fp)
{
	struct vnode *vp = fp->f_data;
	int error = 0, error2;

	if (!(fp->f_flag & O_PATH)) {
		if (vn_isdev(vp))
			error = spec_close(vp, fp->f_flag, fp->f_cred);
		vn_lock(vp, RW_WRITER);
		error2 = vp->v_op->vop_close(vp, fp->f_flag, fp->f_cred);
		vn_unlock(vp);
		if (error == 0)
			error = error2;
	}
	vrele(vp);
	return error;
}

static int
vn_seek(struct file *fp, off_t off, int whence, off_t *newoffp)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	off_t base;
	int error;

	if (vp->v_type == VFIFO || vp->v_type == VSOCK)
		return ESPIPE;
	/* A directory's offset is a cookie: only SET and CUR make sense. */
	if (vp->v_type == VDIR && whence != SEEK_SET && whence != SEEK_CUR)
		return EINVAL;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		mutex_enter(&fp->f_lock);
		base = fp->f_offset;
		mutex_exit(&fp->f_lock);
		break;
	case SEEK_END:
	case SEEK_DATA:
	case SEEK_HOLE:
		if ((error = vn_getattr(vp, &va, fp->f_cred)) != 0)
			return error;
		if (whence == SEEK_END) {
			base = va.va_size;
			if (vp->v_type == VBLK) {
				uint64_t size;

				if ((error = spec_blksize(vp->v_rdev,
				    &size)) != 0)
					return error;
				base = (off_t)size;
			}
			break;
		}
		/* Without hole maps: all data, one hole at the end. */
		if (off < 0 || off >= va.va_size)
			return ENXIO;
		*newoffp = whence == SEEK_DATA ? off : va.va_size;
		return 0;
	default:
		return EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return EINVAL;
	*newoffp = base + off;
	return 0;
}

const struct fileops vnfileops = {
	.fo_read = vn_read,
	.fo_write = vn_write,
	.fo_ioctl = vn_ioctl,
	.fo_poll = vn_poll,
	.fo_stat = vn_fo_stat,
	.fo_close = vn_close,
	.fo_seek = vn_seek,
};
