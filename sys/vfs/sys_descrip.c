/*
 * sys_descrip.c: the descriptor system calls: close, dup, dup2, dup3 and
 * fcntl (descriptor flags, file status flags, record locks), with
 * Linux's rules and errors.
 *
 * The tables are kern_descrip.c's; the record lock engine is
 * vfs_lockf.c's.  A lock's owner is the caller's descriptor table (what
 * Linux calls the files_struct).  Locking: these calls take no lock of
 * their own; f_lock guards f_flag and f_offset as file.h says.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscallargs.h>
#include <sys/vnode.h>

#include "descrip_private.h"
#include "vfs_private.h"

#define F_GETPIPE_SZ 1032	/* linux/fcntl.h */

/* The status flags that F_SETFL changes (Linux SETFL_MASK). */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

int
sys_close(struct lwp *l __unused, const struct sys_close_args *uap,
    register_t *retval __unused)
{

	return fd_close(SCARG(uap, fd));
}

int
sys_dup(struct lwp *l __unused, const struct sys_dup_args *uap,
    register_t *retval)
{
	struct file *fp;
	int fd, error;

	if ((error = fd_getfile(SCARG(uap, oldfd), &fp)) != 0)
		return error;
	error = fd_install(fp, 0, 0, &fd);
	fd_putfile(fp);
	if (error == 0)
		retval[0] = fd;
	return error;
}

int
sys_dup2(struct lwp *l __unused, const struct sys_dup2_args *uap,
    register_t *retval)
{
	int oldfd = SCARG(uap, oldfd), newfd = SCARG(uap, newfd), flags;
	int error;

	if (oldfd == newfd)	/* only: is it open? */
		error = fd_getflags(oldfd, &flags);
	else
		error = fd_dup2(oldfd, newfd, 0);
	if (error == 0)
		retval[0] = newfd;
	return error;
}

int
sys_dup3(struct lwp *l __unused, const struct sys_dup3_args *uap,
    register_t *retval)
{
	int oldfd = SCARG(uap, oldfd), newfd = SCARG(uap, newfd);
	int flags = SCARG(uap, flags), error;

	if ((flags & ~O_CLOEXEC) != 0 || oldfd == newfd)
		return EINVAL;
	error = fd_dup2(oldfd, newfd, (flags & O_CLOEXEC) ? FD_CLOEXEC : 0);
	if (error == 0)
		retval[0] = newfd;
	return error;
}

/* F_GETFL: the access mode and the status flags. */
static int
fcntl_getfl(struct file *fp)
{
	int flag, mode;

	mutex_enter(&fp->f_lock);
	flag = fp->f_flag;
	mutex_exit(&fp->f_lock);
	if ((flag & (FREAD | FWRITE)) == (FREAD | FWRITE))
		mode = O_RDWR;
	else if (flag & FWRITE)
		mode = O_WRONLY;
	else
		mode = O_RDONLY;
	return (flag & ~(FREAD | FWRITE | O_ACCMODE)) | mode;
}

static int
fcntl_setfl(struct file *fp, int arg)
{
	struct vnode *vp;
	struct vattr va;
	kauth_cred_t cred = kauth_cred_get();
	int error;

	/* Linux: only the owner (or CAP_FOWNER) may ask for O_NOATIME. */
	if ((arg & O_NOATIME) && !(fp->f_flag & O_NOATIME) &&
	    (vp = file_vnode(fp)) != NULL) {
		if ((error = vn_getattr(vp, &va, cred)) != 0)
			return error;
		if (va.va_uid != cred->cr_fsuid &&
		    !kauth_cred_capable(cred, CAP_FOWNER))
			return EPERM;
	}
	mutex_enter(&fp->f_lock);
	fp->f_flag = (fp->f_flag & ~SETFL_MASK) | (arg & SETFL_MASK);
	mutex_exit(&fp->f_lock);
	return 0;
}

/*
 * A struct flock as an inclusive range, as Linux reads it: l_start from
 * l_whence, a negative l_len extends backwards, 0 means to the end.
 */
static int
flock_to_range(struct file *fp, const struct flock *fl, struct lf_range *r)
{
	struct vattr va;
	off_t base, start;
	int error;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		mutex_enter(&fp->f_lock);
		base = fp->f_offset;
		mutex_exit(&fp->f_lock);
		break;
	case SEEK_END:
		base = 0;		/* a pipe's size */
		if (fp->f_type == DTYPE_VNODE) {
			error = vn_getattr(fp->f_data, &va, fp->f_cred);
			if (error)
				return error;
			base = va.va_size;
		}
		break;
	default:
		return EINVAL;
	}
	if (fl->l_start > 0 && base > OFF_MAX - fl->l_start)
		return EOVERFLOW;
	start = base + fl->l_start;
	if (start < 0)
		return EINVAL;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > OFF_MAX - start)
			return EOVERFLOW;
		r->lr_start = start;
		r->lr_end = start + fl->l_len - 1;
	} else if (fl->l_len < 0) {
		if (start + fl->l_len < 0)
			return EINVAL;
		r->lr_start = start + fl->l_len;
		r->lr_end = start - 1;
	} else {
		r->lr_start = start;
		r->lr_end = OFF_MAX;
	}
	r->lr_type = fl->l_type;
	r->lr_pid = curproc->p_pid;
	return 0;
}

static int
fcntl_getlk(struct file *fp, void **headp, void *ufl)
{
	struct flock fl;
	struct lf_range r;
	int error;

	if ((error = copyin(ufl, &fl, sizeof(fl))) != 0)
		return error;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK)
		return EINVAL;
	if ((error = flock_to_range(fp, &fl, &r)) != 0)
		return error;
	if ((error = lf_getlk(headp, fd_table(NULL), &r)) != 0)
		return error;
	fl.l_type = (short)r.lr_type;
	if (r.lr_type != F_UNLCK) {
		fl.l_whence = SEEK_SET;
		fl.l_start = r.lr_start;
		fl.l_len = r.lr_end == OFF_MAX ? 0 : r.lr_end - r.lr_start + 1;
		fl.l_pid = r.lr_pid;
	}
	return copyout(&fl, ufl, sizeof(fl));
}

static int
fcntl_setlk(int fd, struct file *fp, void **headp, void *ufl, bool wait)
{
	struct filedesc *fdp = fd_table(NULL);
	struct flock fl;
	struct lf_range r;
	int error;

	if ((error = copyin(ufl, &fl, sizeof(fl))) != 0)
		return error;
	/* Linux: the type and range first, then the access mode. */
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK &&
	    fl.l_type != F_UNLCK)
		return EINVAL;
	if ((error = flock_to_range(fp, &fl, &r)) != 0)
		return error;
	if ((fl.l_type == F_RDLCK && !(fp->f_flag & FREAD)) ||
	    (fl.l_type == F_WRLCK && !(fp->f_flag & FWRITE)))
		return EBADF;
	error = lf_setlk(headp, fdp, &r, wait);
	/* A close of fd that raced with us has already dropped our locks:
	 * do not leave this one behind it. */
	if (error == 0 && r.lr_type != F_UNLCK && !fd_refers_to(fd, fp)) {
		r.lr_type = F_UNLCK;
		(void)lf_setlk(headp, fdp, &r, false);
	}
	return error;
}

int
sys_fcntl(struct lwp *l __unused, const struct sys_fcntl_args *uap,
    register_t *retval)
{
	int fd = SCARG(uap, fd), cmd = SCARG(uap, cmd), flags, nfd, error;
	unsigned long arg = SCARG(uap, arg);
	struct file *fp;
	void **headp;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if ((fp->f_flag & O_PATH) && cmd != F_DUPFD &&
	    cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD && cmd != F_SETFD &&
	    cmd != F_GETFL) {
		error = EBADF;
		goto out;
	}
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* Linux reads the argument as an unsigned int; at or past
		 * RLIMIT_NOFILE it is EINVAL (not fd_install's EMFILE). */
		if ((unsigned int)arg >= (unsigned int)fd_nofile()) {
			error = EINVAL;
			break;
		}
		error = fd_install(fp, (int)(unsigned int)arg,
		    cmd == F_DUPFD_CLOEXEC ? FD_CLOEXEC : 0, &nfd);
		if (error == 0)
			retval[0] = nfd;
		break;
	case F_GETFD:
		if ((error = fd_getflags(fd, &flags)) == 0)
			retval[0] = flags & FD_CLOEXEC;
		break;
	case F_SETFD:
		error = fd_setflags(fd, (int)arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		retval[0] = fcntl_getfl(fp);
		break;
	case F_SETFL:
		error = fcntl_setfl(fp, (int)arg);
		break;
	case F_GETPIPE_SZ:
		if (fp->f_pipe == NULL)
			error = EBADF;
		else
			retval[0] = PIPE_SIZE;
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		if ((headp = file_lockf_head(fp)) == NULL) {
			error = EINVAL;
			break;
		}
		if (cmd == F_GETLK)
			error = fcntl_getlk(fp, headp, (void *)arg);
		else
			error = fcntl_setlk(fd, fp, headp, (void *)arg,
			    cmd == F_SETLKW);
		break;
	default:
		error = EINVAL;
		break;
	}
 out:
	fd_putfile(fp);
	return error;
}
