/*
 * sys_pipe.c: pipes (pipe, pipe2) and FIFOs with Linux's behaviour.
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
 * A FIFO (a VFIFO vnode) is the same pipe behind files that open(2)
 * makes (fifo_open): every opener of the vnode shares the pipe, which
 * lives while one of them has it open, on fifo_list.  Such a file is a
 * vnode file (f_data the vnode, so that fstat, fchmod and record locks
 * see the FIFO itself) whose I/O goes to the pipe (f_pipe).
 *
 * Locking: fifo_lock protects fifo_list and, for a FIFO, the drop of the
 * last end; it comes before pipe_lock.  pipe_lock protects everything
 * but the constant fields; it is taken before sel_lock (selnotify is
 * called after it is released).
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
#include <sys/queue.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "descrip_private.h"
#include "vfs_private.h"

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
	/* FIFOs only: */
	struct vnode *pipe_vnode;	/* c: the FIFO, or NULL */
	TAILQ_ENTRY(pipe) pipe_fifos;	/* fifo_lock: on fifo_list */
	unsigned int pipe_rgen;		/* pipe_lock: read opens */
	unsigned int pipe_wgen;		/* pipe_lock: write opens */
};

static uint64_t pipe_nextino;		/* atomic */
static kmutex_t fifo_lock;
static TAILQ_HEAD(, pipe) fifo_list;	/* fifo_lock: open FIFOs' pipes */

static int pipe_read(struct file *, off_t *, struct uio *, int);
static int pipe_write(struct file *, off_t *, struct uio *, int);
static int pipe_ioctl(struct file *, unsigned long, void *);
static int pipe_poll(struct file *, int);
static int pipe_stat(struct file *, struct stat *);
static int pipe_close(struct file *);
static int pipe_seek(struct file *, off_t, int, off_t *);
static int fifo_stat(struct file *, struct stat *);
static int fifo_close(struct file *);

static const struct fileops pipeops = {
	.fo_read = pipe_read,
	.fo_write = pipe_write,
	.fo_ioctl = pipe_ioctl,
	.fo_poll = pipe_poll,
	.fo_stat = pipe_stat,
	.fo_close = pipe_close,
	.fo_seek = pipe_seek,
};

static const struct fileops fifoops = {
	.fo_read = pipe_read,
	.fo_write = pipe_write,
	.fo_ioctl = pipe_ioctl,
	.fo_poll = pipe_poll,
	.fo_stat = fifo_stat,
	.fo_close = fifo_close,
	.fo_seek = pipe_seek,
};

void
pipe_sys_init(void)
{

	mutex_init(&fifo_lock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&fifo_list);
}

void
pipe_sys_fini(void)
{

	KASSERT(TAILQ_EMPTY(&fifo_list));
	mutex_destroy(&fifo_lock);
}

static struct pipe *
pipe_alloc(int readers, int writers)
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
	pp->pipe_readers = readers;
	pp->pipe_writers = writers;
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
	struct pipe *pp = fp->f_pipe;
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
	struct pipe *pp = fp->f_pipe;
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
	struct pipe *pp = fp->f_pipe;
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
	struct pipe *pp = fp->f_pipe;
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
	struct pipe *pp = fp->f_pipe;

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

/* An end (fflag FREAD, FWRITE or both) goes: true if it was the last. */
static bool
pipe_end_close(struct pipe *pp, int fflag)
{
	bool last;

	mutex_enter(&pp->pipe_lock);
	if (fflag & FREAD)
		pp->pipe_readers--;
	if (fflag & FWRITE)
		pp->pipe_writers--;
	/* Readers see end of file, writers EPIPE. */
	cv_broadcast(&pp->pipe_rcv);
	cv_broadcast(&pp->pipe_wcv);
	last = pp->pipe_readers == 0 && pp->pipe_writers == 0;
	mutex_exit(&pp->pipe_lock);
	selnotify();
	return last;
}

static int
pipe_close(struct file *fp)
{
	struct pipe *pp = fp->f_pipe;

	if (pipe_end_close(pp, fp->f_flag))
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
	struct pipe *pp = fp->f_pipe;

	KASSERT(fp->f_ops == &pipeops);
	return &pp->pipe_lockf;
}

/* FIFOs. */

/* Drop a FIFO's end (fflag FREAD, FWRITE, both or none): a close, or an
 * open that failed.  The last frees the pipe. */
static void
fifo_drop(struct pipe *pp, int fflag)
{
	bool last;

	mutex_enter(&fifo_lock);
	if ((last = pipe_end_close(pp, fflag)))
		TAILQ_REMOVE(&fifo_list, pp, pipe_fifos);
	mutex_exit(&fifo_lock);
	if (last)
		pipe_free(pp);
}

/* The pipe of the FIFO vp, made if it has none: fifo_lock held. */
static struct pipe *
fifo_pipe(struct vnode *vp)
{
	struct pipe *pp;

	KASSERT(mutex_owned(&fifo_lock));
	TAILQ_FOREACH(pp, &fifo_list, pipe_fifos)
		if (pp->pipe_vnode == vp)
			return pp;
	if ((pp = pipe_alloc(0, 0)) == NULL)
		return NULL;
	pp->pipe_vnode = vp;
	TAILQ_INSERT_HEAD(&fifo_list, pp, pipe_fifos);
	return pp;
}

/* Wait until the other side has been opened since now (Linux counts
 * opens, so a partner that came and went already counts). */
static int
fifo_wait_partner(struct pipe *pp, int fflag)
{
	unsigned int gen;
	int error = 0;

	KASSERT(mutex_owned(&pp->pipe_lock));
	if (fflag & FREAD) {
		gen = pp->pipe_wgen;
		while (pp->pipe_writers == 0 && pp->pipe_wgen == gen &&
		    (error = fd_cv_wait(&pp->pipe_rcv, &pp->pipe_lock)) == 0)
			continue;
	} else {
		gen = pp->pipe_rgen;
		while (pp->pipe_readers == 0 && pp->pipe_rgen == gen &&
		    (error = fd_cv_wait(&pp->pipe_wcv, &pp->pipe_lock)) == 0)
			continue;
	}
	return error;
}

int
fifo_open(struct vnode *vp, int fflag, struct file **fpp)
{
	int acc = fflag & (FREAD | FWRITE), error = 0;
	struct pipe *pp;
	struct file *fp;

	KASSERT(vp->v_type == VFIFO);
	if (acc == 0)			/* access mode 3 */
		return EINVAL;
	mutex_enter(&fifo_lock);
	if ((pp = fifo_pipe(vp)) == NULL) {
		mutex_exit(&fifo_lock);
		return ENOMEM;
	}
	mutex_enter(&pp->pipe_lock);
	if (acc == FWRITE && (fflag & O_NONBLOCK) && pp->pipe_readers == 0) {
		mutex_exit(&pp->pipe_lock);
		mutex_exit(&fifo_lock);
		fifo_drop(pp, 0);	/* frees a pipe nobody else has */
		return ENXIO;
	}
	if (acc & FREAD) {
		pp->pipe_readers++;
		pp->pipe_rgen++;
	}
	if (acc & FWRITE) {
		pp->pipe_writers++;
		pp->pipe_wgen++;
	}
	cv_broadcast(&pp->pipe_rcv);
	cv_broadcast(&pp->pipe_wcv);
	mutex_exit(&fifo_lock);
	if (acc != (FREAD | FWRITE) && !(fflag & O_NONBLOCK))
		error = fifo_wait_partner(pp, fflag);
	mutex_exit(&pp->pipe_lock);
	selnotify();
	if (error == 0 &&
	    (fp = file_alloc(DTYPE_VNODE, &fifoops, vp, fflag)) == NULL)
		error = ENOMEM;
	if (error) {
		fifo_drop(pp, acc);
		return error;
	}
	fp->f_pipe = pp;
	*fpp = fp;
	return 0;
}

static int
fifo_stat(struct file *fp, struct stat *st)
{

	return vnfileops.fo_stat(fp, st);
}

static int
fifo_close(struct file *fp)
{

	fifo_drop(fp->f_pipe, fp->f_flag);
	/* Then the vnode's own close (VOP_CLOSE, vrele). */
	return vnfileops.fo_close(fp);
}

/* Make the two files of a new pipe: *rfpp reads, *wfpp writes. */
static int
pipe_create(int flags, struct file **rfpp, struct file **wfpp)
{
	struct pipe *pp;
	struct file *rf, *wf;
	int nb = flags & O_NONBLOCK;

	if ((pp = pipe_alloc(1, 1)) == NULL)
		return ENFILE;
	if ((rf = file_alloc(DTYPE_PIPE, &pipeops, pp, FREAD | nb)) == NULL) {
		pp->pipe_readers = pp->pipe_writers = 0;
		pipe_free(pp);
		return ENFILE;
	}
	rf->f_pipe = pp;
	if ((wf = file_alloc(DTYPE_PIPE, &pipeops, pp, FWRITE | nb)) == NULL) {
		mutex_enter(&pp->pipe_lock);
		pp->pipe_writers = 0;
		mutex_exit(&pp->pipe_lock);
		file_release(rf);	/* frees the pipe */
		return ENFILE;
	}
	wf->f_pipe = pp;
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
