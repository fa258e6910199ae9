/*
 * sys_pipe.c: pipes (pipe, pipe2) with Linux's behaviour.
 *
 * A pipe is a 64 KiB ring buffer (Linux's default capacity) and two
 * files, a read end and a write end, sharing it.  Reads take what is
 * there (at least one byte, or wait; 0 at end of file when no writer is
 * left).  A write of at most PIPE_BUF bytes is atomic: it waits until it
 * fits entirely and is never interleaved with another; a longer write
 * may be split.  Non-blocking ends return EAGAIN instead of waiting.  A
 * write with no reader left fails with EPIPE (a rump kernel has no
 * SIGPIPE).  Every change of state calls selnotify() for poll(2).
 *
 * The copies to and from user memory run without pipe_lock held (a
 * remote client's copy is a round trip): one reader and one writer at a
 * time own the buffer's two ends (pipe_rbusy, pipe_wbusy) while they
 * copy.  The reader only copies bytes already counted in pipe_count and
 * the writer only free space, and each publishes its copy under the lock
 * afterwards, so they never touch the same bytes.
 *
 * Locking: pipe_lock protects everything but the constant fields; it is
 * taken before sel_lock (selnotify is called after it is released).
 * Sleepers wait on pipe_rcv (readers: data, end of file, the read end
 * free) and pipe_wcv (writers: space, no reader, the write end free),
 * which release the virtual CPU; a halt ends their wait with EINTR
 * (fd_cv_wait).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/time.h>
#include <sys/uio.h>

#include "descrip_private.h"

#define PIPE_BUF 4096		/* atomic writes up to this size */
#define FIONREAD 0x541B

struct pipe {
	kmutex_t pipe_lock;
	kcondvar_t pipe_rcv;		/* pipe_lock: for readers */
	kcondvar_t pipe_wcv;		/* pipe_lock: for writers */
	char *pipe_buf;			/* c: PIPE_SIZE bytes */
	size_t pipe_head;		/* pipe_lock: the first byte */
	size_t pipe_count;		/* pipe_lock: bytes in the buffer */
	int pipe_readers;		/* pipe_lock: open read ends */
	int pipe_writers;		/* pipe_lock: open write ends */
	bool pipe_rbusy;		/* pipe_lock: a reader is copying */
	bool pipe_wbusy;		/* pipe_lock: a writer is copying */
	void *pipe_lockf;		/* vfs_lockf.c: record locks */
	uint64_t pipe_ino;		/* c: for fstat */
	struct timespec pipe_time;	/* c: creation, for fstat */
};

static uint64_t pipe_nextino;		/* atomic */

static int pipe_read(struct file *, off_t *, struct uio *, int);
static int pipe_write(struct file *, off_t *, struct uio *, int);
static int pipe_ioctl(struct file *, unsigned long, void *);
static int pipe_poll(struct file *, int);
static int pipe_stat(struct file *, struct stat *);
static int pipe_close(struct file *);
static int pipe_seek(struct file *, off_t, int, off_t *);

static const struct fileops pipeops = {
	.fo_read = pipe_read,
	.fo_write = pipe_write,
	.fo_ioctl = pipe_ioctl,
	.fo_poll = pipe_poll,
	.fo_stat = pipe_stat,
	.fo_close = pipe_close,
	.fo_seek = pipe_seek,
};

static struct pipe *
pipe_alloc(void)
{
	struct pipe *pp;

	if ((pp = kmem_zalloc(sizeof(*pp), KM_SLEEP)) == NULL)
		return NULL;
	if ((pp->pipe_buf = kmem_alloc(PIPE_SIZE, KM_SLEEP)) == NULL) {
		kmem_free(pp, sizeof(*pp));
		return NULL;
	}
	mutex_init(&pp->pipe_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&pp->pipe_rcv, "piperd");
	cv_init(&pp->pipe_wcv, "pipewr");
	pp->pipe_readers = 1;
	pp->pipe_writers = 1;
	pp->pipe_ino = __atomic_add_fetch(&pipe_nextino, 1, __ATOMIC_RELAXED);
	nanotime(&pp->pipe_time);
	return pp;
}

static void
pipe_free(struct pipe *pp)
{

	KASSERT(pp->pipe_readers == 0 && pp->pipe_writers == 0);
	KASSERT(pp->pipe_lockf == NULL);
	cv_destroy(&pp->pipe_rcv);
	cv_destroy(&pp->pipe_wcv);
	mutex_destroy(&pp->pipe_lock);
	kmem_free(pp->pipe_buf, PIPE_SIZE);
	kmem_free(pp, sizeof(*pp));
}

/*
 * Copy n bytes between the ring at index at and the uio.  As in Linux, a
 * copy that faults counts for nothing: the bytes stay in the pipe (or
 * out of it), and the call returns what earlier copies moved, or EFAULT.
 * The uio's resid is put back for that; its vectors are spent then, and
 * the caller stops.
 */
static int
pipe_copy(struct pipe *pp, size_t at, size_t n, struct uio *uio)
{
	size_t resid = uio->uio_resid, first = MIN(n, PIPE_SIZE - at);
	int error;

	error = uiomove(pp->pipe_buf + at, first, uio);
	if (error == 0 && n > first)
		error = uiomove(pp->pipe_buf, n - first, uio);
	if (error)
		uio->uio_resid = resid;
	return error;
}

static int
pipe_read(struct file *fp, off_t *offp __unused, struct uio *uio,
    int flags __unused)
{
	struct pipe *pp = fp->f_data;
	size_t n, at, moved, got = 0;
	int error = 0;

	mutex_enter(&pp->pipe_lock);
	while (uio->uio_resid > 0) {
		if (pp->pipe_rbusy) {		/* another reader copies */
			if ((error = fd_cv_wait(&pp->pipe_rcv,
			    &pp->pipe_lock)) != 0)
				break;
			continue;
		}
		if (pp->pipe_count == 0) {
			if (got > 0 || pp->pipe_writers == 0)
				break;
			if (fp->f_flag & O_NONBLOCK) {
				error = EAGAIN;
				break;
			}
			if ((error = fd_cv_wait(&pp->pipe_rcv,
			    &pp->pipe_lock)) != 0)
				break;
			continue;
		}
		n = MIN(pp->pipe_count, uio->uio_resid);
		at = pp->pipe_head;
		pp->pipe_rbusy = true;
		mutex_exit(&pp->pipe_lock);
		error = pipe_copy(pp, at, n, uio);
		moved = error ? 0 : n;
		mutex_enter(&pp->pipe_lock);
		pp->pipe_rbusy = false;
		pp->pipe_head = (pp->pipe_head + moved) % PIPE_SIZE;
		pp->pipe_count -= moved;
		got += moved;
		cv_broadcast(&pp->pipe_rcv);
		cv_broadcast(&pp->pipe_wcv);
		if (error)
			break;
	}
	mutex_exit(&pp->pipe_lock);
	if (got > 0)
		selnotify();
	return error;
}

static int
pipe_write(struct file *fp, off_t *offp __unused, struct uio *uio,
    int flags __unused)
{
	struct pipe *pp = fp->f_data;
	bool atomic = uio->uio_resid <= PIPE_BUF;
	size_t n, at, room, moved, put = 0;
	int error = 0;

	mutex_enter(&pp->pipe_lock);
	while (uio->uio_resid > 0) {
		if (pp->pipe_readers == 0) {
			error = EPIPE;
			break;
		}
		if (pp->pipe_wbusy) {		/* another writer copies */
			if ((error = fd_cv_wait(&pp->pipe_wcv,
			    &pp->pipe_lock)) != 0)
				break;
			continue;
		}
		room = PIPE_SIZE - pp->pipe_count;
		if (room == 0 || (atomic && room < uio->uio_resid)) {
			if (fp->f_flag & O_NONBLOCK) {
				error = EAGAIN;
				break;
			}
			if ((error = fd_cv_wait(&pp->pipe_wcv,
			    &pp->pipe_lock)) != 0)
				break;
			continue;
		}
		n = MIN(room, uio->uio_resid);
		at = (pp->pipe_head + pp->pipe_count) % PIPE_SIZE;
		pp->pipe_wbusy = true;
		mutex_exit(&pp->pipe_lock);
		error = pipe_copy(pp, at, n, uio);
		moved = error ? 0 : n;
		mutex_enter(&pp->pipe_lock);
		pp->pipe_wbusy = false;
		pp->pipe_count += moved;
		put += moved;
		cv_broadcast(&pp->pipe_rcv);
		cv_broadcast(&pp->pipe_wcv);
		if (error)
			break;
	}
	mutex_exit(&pp->pipe_lock);
	if (put > 0)
		selnotify();
	return error;
}

static int
pipe_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	struct pipe *pp = fp->f_data;
	int n;

	if (cmd != FIONREAD)
		return ENOTTY;
	mutex_enter(&pp->pipe_lock);
	n = (int)pp->pipe_count;
	mutex_exit(&pp->pipe_lock);
	return copyout(&n, data, sizeof(n));
}

static int
pipe_poll(struct file *fp, int events)
{
	struct pipe *pp = fp->f_data;
	int revents = 0;

	mutex_enter(&pp->pipe_lock);
	if (fp->f_flag & FREAD) {
		if (pp->pipe_count > 0)
			revents |= POLLIN | POLLRDNORM;
		if (pp->pipe_writers == 0)
			revents |= POLLHUP;
	}
	if (fp->f_flag & FWRITE) {
		/* Writable when an atomic write would fit, as Linux's
		 * "a page is free". */
		if (PIPE_SIZE - pp->pipe_count >= PIPE_BUF)
			revents |= POLLOUT | POLLWRNORM;
		if (pp->pipe_readers == 0)
			revents |= POLLERR;
	}
	mutex_exit(&pp->pipe_lock);
	return revents & (events | POLLERR | POLLHUP);
}

static int
pipe_stat(struct file *fp, struct stat *st)
{
	struct pipe *pp = fp->f_data;

	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFIFO | S_IRUSR | S_IWUSR;
	st->st_nlink = 1;
	st->st_ino = pp->pipe_ino;
	st->st_uid = fp->f_cred->cr_fsuid;
	st->st_gid = fp->f_cred->cr_fsgid;
	st->st_blksize = PIPE_BUF;
	st->st_atim = pp->pipe_time;
	st->st_mtim = pp->pipe_time;
	st->st_ctim = pp->pipe_time;
	return 0;
}

static int
pipe_close(struct file *fp)
{
	struct pipe *pp = fp->f_data;
	bool last;

	mutex_enter(&pp->pipe_lock);
	if (fp->f_flag & FREAD)
		pp->pipe_readers--;
	if (fp->f_flag & FWRITE)
		pp->pipe_writers--;
	/* Readers see end of file, writers EPIPE. */
	cv_broadcast(&pp->pipe_rcv);
	cv_broadcast(&pp->pipe_wcv);
	last = pp->pipe_readers == 0 && pp->pipe_writers == 0;
	mutex_exit(&pp->pipe_lock);
	selnotify();
	if (last)
		pipe_free(pp);
	return 0;
}

static int
pipe_seek(struct file *fp __unused, off_t off __unused, int whence __unused,
    off_t *newoffp __unused)
{

	return ESPIPE;
}

void **
pipe_lockf_head(struct file *fp)
{
	struct pipe *pp = fp->f_data;

	KASSERT(fp->f_ops == &pipeops);
	return &pp->pipe_lockf;
}

/* Make the two files of a new pipe: *rfpp reads, *wfpp writes. */
static int
pipe_create(int flags, struct file **rfpp, struct file **wfpp)
{
	struct pipe *pp;
	struct file *rf, *wf;
	int nb = flags & O_NONBLOCK;

	if ((pp = pipe_alloc()) == NULL)
		return ENFILE;
	if ((rf = file_alloc(DTYPE_PIPE, &pipeops, pp, FREAD | nb)) == NULL) {
		pp->pipe_readers = pp->pipe_writers = 0;
		pipe_free(pp);
		return ENFILE;
	}
	if ((wf = file_alloc(DTYPE_PIPE, &pipeops, pp, FWRITE | nb)) == NULL) {
		mutex_enter(&pp->pipe_lock);
		pp->pipe_writers = 0;
		mutex_exit(&pp->pipe_lock);
		file_release(rf);	/* frees the pipe */
		return ENFILE;
	}
	*rfpp = rf;
	*wfpp = wf;
	return 0;
}

static int
dopipe(int *ufds, int flags)
{
	struct file *rf, *wf;
	int fds[2], fdflags, error;

	/* O_DIRECT (packet mode) is not supported: EINVAL, as a kernel
	 * without it says. */
	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return EINVAL;
	if ((error = pipe_create(flags, &rf, &wf)) != 0)
		return error;
	fdflags = (flags & O_CLOEXEC) ? FD_CLOEXEC : 0;
	if ((error = fd_install(rf, 0, fdflags, &fds[0])) != 0)
		goto out;
	if ((error = fd_install(wf, 0, fdflags, &fds[1])) != 0) {
		(void)fd_close(fds[0]);
		goto out;
	}
	if ((error = copyout(fds, ufds, sizeof(fds))) != 0) {
		(void)fd_close(fds[0]);
		(void)fd_close(fds[1]);
	}
 out:
	/* The descriptors hold the files now, or nothing does. */
	file_release(rf);
	file_release(wf);
	return error;
}

int
sys_pipe(struct lwp *l __unused, const struct sys_pipe_args *uap,
    register_t *retval __unused)
{

	return dopipe(SCARG(uap, fds), 0);
}

int
sys_pipe2(struct lwp *l __unused, const struct sys_pipe2_args *uap,
    register_t *retval __unused)
{

	return dopipe(SCARG(uap, fds), SCARG(uap, flags));
}
