/*
 * sys_generic.c: the data transfer calls on descriptors: read, write,
 * readv, writev, pread, pwrite, preadv, pwritev, lseek and ioctl, with
 * Linux's checks in Linux's order.
 *
 * Every transfer is a uio handed to the file's fo_read/fo_write: the
 * file's kind (vnode, pipe, later socket) is not this file's business.
 * A transfer without an offset of its own works at the file's offset:
 * it is read under f_lock, passed to the operation (which updates it)
 * and stored back.  As in Linux, a transfer that moved some bytes and
 * then failed returns the count, not the error.
 *
 * Locking: f_lock around f_offset and f_flag, never across an operation.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kmem.h>
#include <sys/syscallargs.h>
#include <sys/uio.h>

/* Linux's limit of one transfer (INT_MAX rounded down to a page). */
#define MAX_RW_COUNT (INT_MAX & ~4095)
/* iovec arrays up to this size are copied onto the stack. */
#define NIOV_SMALL 8

/* ioctl requests every file understands (asm-generic/ioctls.h). */
#define FIONBIO 0x5421
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define FIOASYNC 0x5452

#define DECONST(p) ((void *)(uintptr_t)(const void *)(p))

/*
 * Copy in and check a user iovec array: Linux's EINVAL for a bad count
 * or a length that is negative as a ssize_t or makes the total overflow
 * one; the total is then cut to MAX_RW_COUNT.
 */
static int
iov_import(const struct iovec *uiov, int iovcnt, struct iovec *small,
    struct iovec **iovp, size_t *totalp)
{
	struct iovec *iov = small;
	size_t total = 0;
	int i, error;

	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return EINVAL;
	if (iovcnt > NIOV_SMALL &&
	    (iov = kmem_alloc(sizeof(*iov) * (size_t)iovcnt, KM_SLEEP)) ==
	    NULL)
		return ENOMEM;
	if ((error = copyin(uiov, iov, sizeof(*iov) * (size_t)iovcnt)) != 0)
		goto out;
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > SSIZE_MAX ||
		    iov[i].iov_len > SSIZE_MAX - total) {
			error = EINVAL;
			goto out;
		}
		total += iov[i].iov_len;
	}
	total = 0;
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > MAX_RW_COUNT - total)
			iov[i].iov_len = MAX_RW_COUNT - total;
		total += iov[i].iov_len;
	}
	*iovp = iov;
	*totalp = total;
 out:
	if (error && iov != small)
		kmem_free(iov, sizeof(*iov) * (size_t)iovcnt);
	return error;
}

/*
 * One transfer on fd.  kiov is a kernel iovec describing one user buffer
 * (read, write, pread, pwrite), or NULL with uiov/iovcnt a user iovec
 * array.  With positional, the transfer is at pos, not the file offset.
 */
static int
dofileio(int fd, struct iovec *kiov, const struct iovec *uiov, int iovcnt,
    bool positional, off_t pos, enum uio_rw rw, register_t *retval)
{
	struct iovec small[NIOV_SMALL], *iov = kiov;
	struct file *fp;
	struct uio uio;
	size_t total;
	off_t off, dummy;
	int error;

	if (positional && pos < 0)
		return EINVAL;
	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (fp->f_flag & O_PATH) {
		error = EBADF;
		goto out;
	}
	/* Transfers at an offset need a file that has offsets. */
	if (positional &&
	    (error = fp->f_ops->fo_seek(fp, 0, SEEK_CUR, &dummy)) != 0)
		goto out;
	if (!(fp->f_flag & (rw == UIO_READ ? FREAD : FWRITE))) {
		error = EBADF;
		goto out;
	}
	if (kiov != NULL) {
		if (kiov->iov_len > MAX_RW_COUNT)
			kiov->iov_len = MAX_RW_COUNT;
		total = kiov->iov_len;
		iovcnt = 1;
	} else if ((error = iov_import(uiov, iovcnt, small, &iov,
	    &total)) != 0) {
		iov = NULL;
		goto out;
	}

	if (!positional) {
		mutex_enter(&fp->f_lock);
		off = fp->f_offset;
		mutex_exit(&fp->f_lock);
	} else {
		off = pos;
	}
	/* Linux: writing nothing does nothing (not even move an O_APPEND
	 * offset to the end). */
	if (rw == UIO_WRITE && total == 0) {
		retval[0] = 0;
		goto out;
	}
	/* Linux: a transfer whose end would pass the largest offset of a
	 * file with offsets is EINVAL. */
	if (fp->f_type == DTYPE_VNODE && off >= 0 &&
	    total > (size_t)(INT64_MAX - off)) {
		error = EINVAL;
		goto out;
	}
	uio.uio_iov = iov;
	uio.uio_iovcnt = iovcnt;
	uio.uio_offset = off;
	uio.uio_resid = total;
	uio.uio_rw = rw;
	uio.uio_segflg = UIO_USERSPACE;
	if (rw == UIO_READ)
		error = fp->f_ops->fo_read(fp, &off, &uio, 0);
	else
		error = fp->f_ops->fo_write(fp, &off, &uio, 0);
	if (error && uio.uio_resid < total)
		error = 0;		/* a partial transfer counts */
	if (error == 0) {
		if (!positional) {
			mutex_enter(&fp->f_lock);
			fp->f_offset = off;
			mutex_exit(&fp->f_lock);
		}
		retval[0] = (register_t)(total - uio.uio_resid);
	}
 out:
	if (iov != NULL && iov != kiov && iov != small)
		kmem_free(iov, sizeof(*iov) * (size_t)iovcnt);
	fd_putfile(fp);
	return error;
}

int
sys_read(struct lwp *l __unused, const struct sys_read_args *uap,
    register_t *retval)
{
	struct iovec iov = { SCARG(uap, buf), SCARG(uap, count) };

	return dofileio(SCARG(uap, fd), &iov, NULL, 1, false, 0, UIO_READ,
	    retval);
}

int
sys_write(struct lwp *l __unused, const struct sys_write_args *uap,
    register_t *retval)
{
	struct iovec iov = { DECONST(SCARG(uap, buf)), SCARG(uap, count) };

	return dofileio(SCARG(uap, fd), &iov, NULL, 1, false, 0, UIO_WRITE,
	    retval);
}

int
sys_pread(struct lwp *l __unused, const struct sys_pread_args *uap,
    register_t *retval)
{
	struct iovec iov = { SCARG(uap, buf), SCARG(uap, count) };

	return dofileio(SCARG(uap, fd), &iov, NULL, 1, true, SCARG(uap, offset),
	    UIO_READ, retval);
}

int
sys_pwrite(struct lwp *l __unused, const struct sys_pwrite_args *uap,
    register_t *retval)
{
	struct iovec iov = { DECONST(SCARG(uap, buf)), SCARG(uap, count) };

	return dofileio(SCARG(uap, fd), &iov, NULL, 1, true, SCARG(uap, offset),
	    UIO_WRITE, retval);
}

int
sys_readv(struct lwp *l __unused, const struct sys_readv_args *uap,
    register_t *retval)
{

	return dofileio(SCARG(uap, fd), NULL, SCARG(uap, iov),
	    SCARG(uap, iovcnt), false, 0, UIO_READ, retval);
}

int
sys_writev(struct lwp *l __unused, const struct sys_writev_args *uap,
    register_t *retval)
{

	return dofileio(SCARG(uap, fd), NULL, SCARG(uap, iov),
	    SCARG(uap, iovcnt), false, 0, UIO_WRITE, retval);
}

int
sys_preadv(struct lwp *l __unused, const struct sys_preadv_args *uap,
    register_t *retval)
{

	return dofileio(SCARG(uap, fd), NULL, SCARG(uap, iov),
	    SCARG(uap, iovcnt), true, SCARG(uap, offset), UIO_READ, retval);
}

int
sys_pwritev(struct lwp *l __unused, const struct sys_pwritev_args *uap,
    register_t *retval)
{

	return dofileio(SCARG(uap, fd), NULL, SCARG(uap, iov),
	    SCARG(uap, iovcnt), true, SCARG(uap, offset), UIO_WRITE, retval);
}

int
sys_lseek(struct lwp *l __unused, const struct sys_lseek_args *uap,
    register_t *retval)
{
	struct file *fp;
	off_t newoff;
	int error;

	if ((error = fd_getfile(SCARG(uap, fd), &fp)) != 0)
		return error;
	if (fp->f_flag & O_PATH) {
		error = EBADF;
		goto out;
	}
	error = fp->f_ops->fo_seek(fp, SCARG(uap, offset), SCARG(uap, whence),
	    &newoff);
	if (error)
		goto out;
	mutex_enter(&fp->f_lock);
	fp->f_offset = newoff;
	mutex_exit(&fp->f_lock);
	retval[0] = (register_t)newoff;
 out:
	fd_putfile(fp);
	return error;
}

/* Set or clear a status flag from an int argument (FIONBIO, FIOASYNC). */
static int
ioctl_setflag(struct file *fp, void *arg, int flag)
{
	int on, error;

	if ((error = copyin(arg, &on, sizeof(on))) != 0)
		return error;
	mutex_enter(&fp->f_lock);
	if (on)
		fp->f_flag |= flag;
	else
		fp->f_flag &= ~flag;
	mutex_exit(&fp->f_lock);
	return 0;
}

int
sys_ioctl(struct lwp *l __unused, const struct sys_ioctl_args *uap,
    register_t *retval __unused)
{
	/* Linux's request is an unsigned int. */
	unsigned int cmd = (unsigned int)SCARG(uap, request);
	int fd = SCARG(uap, fd), error;
	void *arg = SCARG(uap, arg);
	struct file *fp;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (fp->f_flag & O_PATH) {
		error = EBADF;
		goto out;
	}
	switch (cmd) {
	case FIOCLEX:
		error = fd_setflags(fd, FD_CLOEXEC);
		break;
	case FIONCLEX:
		error = fd_setflags(fd, 0);
		break;
	case FIONBIO:
		error = ioctl_setflag(fp, arg, O_NONBLOCK);
		break;
	case FIOASYNC:
		error = ioctl_setflag(fp, arg, O_ASYNC);
		break;
	default:
		if (fp->f_ops->fo_ioctl == NULL)
			error = ENOTTY;
		else
			error = fp->f_ops->fo_ioctl(fp, cmd, arg);
		break;
	}
 out:
	fd_putfile(fp);
	return error;
}
