/*
 * kern_descrip.c: per-process descriptor tables and directories
 * (filedesc.h).
 *
 * The VFS registers a proc hook (proc.h): each process gets a struct
 * fd_procstate in its p_hookdata slot, holding its descriptor table and
 * its cwdinfo (current and root directory, umask).  rump_lwproc_rfork()
 * flags choose what the child's table is: RFORK_FDG a copy (the files
 * shared, as after fork(2)), RFORK_CFDG an empty one, 0 the parent's own
 * table, shared and reference-counted (NetBSD's rump convention; the
 * processes then act like threads of one Linux process, and are one
 * owner of record locks).  The cwdinfo is always copied.  A process
 * without a parent (the default process at boot) starts with an empty
 * table and the root vnode as its current and root directory.  Exit
 * drops the table; the last process using it closes every descriptor.
 *
 * Descriptors are handed out lowest first, below the process's
 * RLIMIT_NOFILE soft limit (EMFILE; fd_nofile); a table shared by
 * processes holds what each of them may open.  Lowering the limit closes
 * nothing: the descriptors above it stay usable.  A
 * system call works on a file through fd_getfile(), which takes a
 * reference, so a close(2) in another thread only removes the
 * descriptor: the file lives until the last reference goes
 * (file_release).
 *
 * Locking: fd_lock protects a table's slots and is never held while a
 * file is closed (fo_close may sleep); fd_refcnt is atomic.  cwdi_lock
 * protects a process's directories.  The hook data pointer is written
 * only at fork and exit, when no system call of the process runs.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/proc.h>
#include <sys/resource.h>
#include <sys/vnode.h>

#include "descrip_private.h"

/* The slots of a new table: Linux's (NR_OPEN_DEFAULT), which select(2)
 * shows: it ignores the bits of descriptors past the table. */
#define NDFILE 64
/* How long an indefinite wait sleeps before it looks for a halt. */
#define FD_SLEEP_SLICE_NS (50 * 1000 * 1000ULL)

struct fd_procstate {
	struct filedesc *ps_fd;		/* c: perhaps shared */
	struct cwdinfo ps_cwdi;
};

static int fd_hookslot = -1;		/* c: between init and fini */

static struct fd_procstate *
fd_procstate(struct proc *p)
{

	if (p == NULL)
		p = curproc;
	if (fd_hookslot < 0 || p == NULL)
		return NULL;
	return p->p_hookdata[fd_hookslot];
}

struct filedesc *
fd_table(struct proc *p)
{
	struct fd_procstate *ps = fd_procstate(p);

	return ps != NULL ? ps->ps_fd : NULL;
}

struct cwdinfo *
cwd_info(struct proc *p)
{
	struct fd_procstate *ps = fd_procstate(p);

	return ps != NULL ? &ps->ps_cwdi : NULL;
}

/* Tables. */

static struct filedesc *
fdtab_alloc(int nfiles)
{
	struct filedesc *fdp;

	if ((fdp = kmem_zalloc(sizeof(*fdp), KM_SLEEP)) == NULL)
		return NULL;
	fdp->fd_ofiles = kmem_zalloc(sizeof(struct fdfile) * (size_t)nfiles,
	    KM_SLEEP);
	if (fdp->fd_ofiles == NULL) {
		kmem_free(fdp, sizeof(*fdp));
		return NULL;
	}
	mutex_init(&fdp->fd_lock, MUTEX_DEFAULT, IPL_NONE);
	fdp->fd_refcnt = 1;
	fdp->fd_nfiles = nfiles;
	fdp->fd_freefile = 0;
	return fdp;
}

static void
fdtab_free(struct filedesc *fdp)
{

	kmem_free(fdp->fd_ofiles, sizeof(struct fdfile) *
	    (size_t)fdp->fd_nfiles);
	mutex_destroy(&fdp->fd_lock);
	kmem_free(fdp, sizeof(*fdp));
}

/*
 * Grow fdp so that slot fd exists, doubling, to at most limit slots (the
 * caller's fd_nofile(), above fd).  fd_lock is held on entry and exit but
 * dropped to allocate: the caller looks at the table afresh.
 */
static int
fdtab_expand(struct filedesc *fdp, int fd, int limit)
{
	struct fdfile *nf, *of;
	int n, nn;

	KASSERT(mutex_owned(&fdp->fd_lock));
	KASSERT(fd < limit);
	while ((n = fdp->fd_nfiles) <= fd) {
		for (nn = n * 2; nn <= fd; nn *= 2)
			continue;
		if (nn > limit)
			nn = limit;
		mutex_exit(&fdp->fd_lock);
		nf = kmem_zalloc(sizeof(*nf) * (size_t)nn, KM_SLEEP);
		mutex_enter(&fdp->fd_lock);
		if (nf == NULL)
			return ENOMEM;
		if (fdp->fd_nfiles != n) {	/* grown meanwhile */
			kmem_free(nf, sizeof(*nf) * (size_t)nn);
			continue;
		}
		of = fdp->fd_ofiles;
		memcpy(nf, of, sizeof(*nf) * (size_t)n);
		fdp->fd_ofiles = nf;
		fdp->fd_nfiles = nn;
		kmem_free(of, sizeof(*of) * (size_t)n);
	}
	return 0;
}

/* A copy of src (RFORK_FDG): the same files, each held once more. */
static int
fdtab_copy(struct filedesc *src, struct filedesc **dstp)
{
	struct filedesc *dst;
	int i, n;

	for (;;) {
		mutex_enter(&src->fd_lock);
		n = src->fd_nfiles;
		mutex_exit(&src->fd_lock);
		if ((dst = fdtab_alloc(n)) == NULL)
			return ENOMEM;
		mutex_enter(&src->fd_lock);
		if (src->fd_nfiles == n)
			break;
		mutex_exit(&src->fd_lock);
		fdtab_free(dst);
	}
	for (i = 0; i < n; i++) {
		dst->fd_ofiles[i] = src->fd_ofiles[i];
		if (dst->fd_ofiles[i].ff_file != NULL)
			file_hold(dst->fd_ofiles[i].ff_file);
	}
	dst->fd_freefile = src->fd_freefile;
	mutex_exit(&src->fd_lock);
	*dstp = dst;
	return 0;
}

/* Drop a process's use of fdp; the last closes every descriptor. */
static void
fdtab_release(struct filedesc *fdp)
{
	struct file *fp;
	int i;

	if (atomic_dec_uint_nv(&fdp->fd_refcnt) > 0)
		return;
	/* Nobody else can reach the table now. */
	for (i = 0; i < fdp->fd_nfiles; i++) {
		if ((fp = fdp->fd_ofiles[i].ff_file) == NULL)
			continue;
		fdp->fd_ofiles[i].ff_file = NULL;
		fd_file_closed(fdp, fp);
	}
	fdtab_free(fdp);
}

void **
file_lockf_head(struct file *fp)
{
	struct vnode *vp;

	switch (fp->f_type) {
	case DTYPE_VNODE:
		vp = fp->f_data;
		return &vp->v_lockf;
	case DTYPE_PIPE:
		return pipe_lockf_head(fp);
	default:
		return NULL;
	}
}

void
fd_file_closed(struct filedesc *fdp, struct file *fp)
{
	void **headp;

	/* POSIX: closing any descriptor of a file drops the owner's record
	 * locks on it. */
	if ((headp = file_lockf_head(fp)) != NULL)
		lf_release(headp, fdp);
	file_release(fp);
}

int
fd_cv_timedwait(kcondvar_t *cv, kmutex_t *mtx, uint64_t nsec)
{

	if (kernel_halting())
		return EINTR;
	(void)cv_timedwait_ns(cv, mtx, MIN(nsec, FD_SLEEP_SLICE_NS));
	return kernel_halting() ? EINTR : 0;
}

/* Descriptors of the current process. */

int
fd_nofile(void)
{
	rlim_t lim = proc_rlimit_cur(curproc, RLIMIT_NOFILE);

	/* setrlimit keeps it there; an int holds every descriptor. */
	KASSERT(lim <= NR_OPEN_MAX);
	return (int)lim;
}

int
fd_getfile(int fd, struct file **fpp)
{
	struct filedesc *fdp = fd_table(NULL);
	struct file *fp;
	int error = EBADF;

	if (fdp == NULL)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	if (fd >= 0 && fd < fdp->fd_nfiles &&
	    (fp = fdp->fd_ofiles[fd].ff_file) != NULL) {
		file_hold(fp);
		*fpp = fp;
		error = 0;
	}
	mutex_exit(&fdp->fd_lock);
	return error;
}

void
fd_putfile(struct file *fp)
{

	file_release(fp);
}

bool
fd_refers_to(int fd, struct file *fp)
{
	struct filedesc *fdp = fd_table(NULL);
	bool same;

	if (fdp == NULL)
		return false;
	mutex_enter(&fdp->fd_lock);
	same = fd >= 0 && fd < fdp->fd_nfiles &&
	    fdp->fd_ofiles[fd].ff_file == fp;
	mutex_exit(&fdp->fd_lock);
	return same;
}

int
fd_install(struct file *fp, int minfd, int flags, int *fdp_out)
{
	struct filedesc *fdp = fd_table(NULL);
	int fd, limit, error = 0;

	if (fdp == NULL)
		return EMFILE;
	KASSERT(minfd >= 0);
	limit = fd_nofile();
	mutex_enter(&fdp->fd_lock);
	for (;;) {
		/* Every slot below fd_freefile is in use. */
		fd = MAX(minfd, fdp->fd_freefile);
		while (fd < fdp->fd_nfiles &&
		    fdp->fd_ofiles[fd].ff_file != NULL)
			fd++;
		if (fd >= limit) {
			error = EMFILE;
			goto out;
		}
		if (fd < fdp->fd_nfiles)
			break;
		if ((error = fdtab_expand(fdp, fd, limit)) != 0)
			goto out;
	}
	file_hold(fp);
	fdp->fd_ofiles[fd].ff_file = fp;
	fdp->fd_ofiles[fd].ff_flags = flags & FD_CLOEXEC;
	if (minfd <= fdp->fd_freefile)
		fdp->fd_freefile = fd + 1;
	*fdp_out = fd;
 out:
	mutex_exit(&fdp->fd_lock);
	return error;
}

int
fd_close(int fd)
{
	struct filedesc *fdp = fd_table(NULL);
	struct file *fp;

	if (fdp == NULL)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	if (fd < 0 || fd >= fdp->fd_nfiles ||
	    (fp = fdp->fd_ofiles[fd].ff_file) == NULL) {
		mutex_exit(&fdp->fd_lock);
		return EBADF;
	}
	fdp->fd_ofiles[fd].ff_file = NULL;
	fdp->fd_ofiles[fd].ff_flags = 0;
	if (fd < fdp->fd_freefile)
		fdp->fd_freefile = fd;
	mutex_exit(&fdp->fd_lock);
	fd_file_closed(fdp, fp);
	return 0;
}

int
fd_dup2(int oldfd, int newfd, int flags)
{
	struct filedesc *fdp = fd_table(NULL);
	struct file *fp, *ofp;
	int limit, error = 0;

	if (fdp == NULL)
		return EBADF;
	KASSERT(oldfd != newfd);
	limit = fd_nofile();
	mutex_enter(&fdp->fd_lock);
	if (newfd < 0 || newfd >= limit) {
		error = EBADF;
		goto out;
	}
	for (;;) {
		if (oldfd < 0 || oldfd >= fdp->fd_nfiles ||
		    fdp->fd_ofiles[oldfd].ff_file == NULL) {
			error = EBADF;
			goto out;
		}
		if (newfd < fdp->fd_nfiles)
			break;
		if ((error = fdtab_expand(fdp, newfd, limit)) != 0)
			goto out;
	}
	fp = fdp->fd_ofiles[oldfd].ff_file;
	file_hold(fp);
	ofp = fdp->fd_ofiles[newfd].ff_file;
	fdp->fd_ofiles[newfd].ff_file = fp;
	fdp->fd_ofiles[newfd].ff_flags = flags & FD_CLOEXEC;
	if (newfd == fdp->fd_freefile)
		fdp->fd_freefile = newfd + 1;
	mutex_exit(&fdp->fd_lock);
	if (ofp != NULL)
		fd_file_closed(fdp, ofp);
	return 0;
 out:
	mutex_exit(&fdp->fd_lock);
	return error;
}

int
fd_getflags(int fd, int *flagsp)
{
	struct filedesc *fdp = fd_table(NULL);
	int error = EBADF;

	if (fdp == NULL)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	if (fd >= 0 && fd < fdp->fd_nfiles &&
	    fdp->fd_ofiles[fd].ff_file != NULL) {
		*flagsp = fdp->fd_ofiles[fd].ff_flags;
		error = 0;
	}
	mutex_exit(&fdp->fd_lock);
	return error;
}

int
fd_setflags(int fd, int flags)
{
	struct filedesc *fdp = fd_table(NULL);
	int error = EBADF;

	if (fdp == NULL)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	if (fd >= 0 && fd < fdp->fd_nfiles &&
	    fdp->fd_ofiles[fd].ff_file != NULL) {
		fdp->fd_ofiles[fd].ff_flags = flags & FD_CLOEXEC;
		error = 0;
	}
	mutex_exit(&fdp->fd_lock);
	return error;
}

/* The proc hook. */

static int
fd_proc_fork(struct proc *parent, struct proc *child, int flags)
{
	struct fd_procstate *ps, *pps;
	struct cwdinfo *cwdi, *pcwdi;
	int error = 0;

	pps = parent != NULL ? fd_procstate(parent) : NULL;
	if ((ps = kmem_zalloc(sizeof(*ps), KM_SLEEP)) == NULL)
		return ENOMEM;
	if (pps == NULL || (flags & RFORK_CFDG)) {
		if ((ps->ps_fd = fdtab_alloc(NDFILE)) == NULL)
			error = ENOMEM;
	} else if (flags & RFORK_FDG) {
		error = fdtab_copy(pps->ps_fd, &ps->ps_fd);
	} else {
		ps->ps_fd = pps->ps_fd;
		atomic_inc_uint(&ps->ps_fd->fd_refcnt);
	}
	if (error) {
		kmem_free(ps, sizeof(*ps));
		return error;
	}

	cwdi = &ps->ps_cwdi;
	rw_init(&cwdi->cwdi_lock);
	if (pps != NULL) {
		pcwdi = &pps->ps_cwdi;
		rw_enter(&pcwdi->cwdi_lock, RW_READER);
		cwdi->cwdi_cdir = pcwdi->cwdi_cdir;
		cwdi->cwdi_rdir = pcwdi->cwdi_rdir;
		cwdi->cwdi_cmask = pcwdi->cwdi_cmask;
		if (cwdi->cwdi_cdir != NULL)
			vref(cwdi->cwdi_cdir);
		if (cwdi->cwdi_rdir != NULL)
			vref(cwdi->cwdi_rdir);
		rw_exit(&pcwdi->cwdi_lock);
	} else {
		cwdi->cwdi_cdir = vfs_rootvnode();
		cwdi->cwdi_rdir = cwdi->cwdi_cdir;
		if (cwdi->cwdi_rdir != NULL)
			vref(cwdi->cwdi_rdir);
		cwdi->cwdi_cmask = 022;
	}
	child->p_hookdata[fd_hookslot] = ps;
	return 0;
}

static void
fd_proc_exit(struct proc *p)
{
	struct fd_procstate *ps = p->p_hookdata[fd_hookslot];
	struct cwdinfo *cwdi;

	if (ps == NULL)
		return;
	p->p_hookdata[fd_hookslot] = NULL;
	fdtab_release(ps->ps_fd);
	cwdi = &ps->ps_cwdi;
	if (cwdi->cwdi_cdir != NULL)
		vrele(cwdi->cwdi_cdir);
	if (cwdi->cwdi_rdir != NULL)
		vrele(cwdi->cwdi_rdir);
	rw_destroy(&cwdi->cwdi_lock);
	kmem_free(ps, sizeof(*ps));
}

static const struct proc_hook fd_proc_hook = {
	.ph_name = "vfs descriptors",
	.ph_fork = fd_proc_fork,
	.ph_exit = fd_proc_exit,
};

int
fd_sys_init(void)
{
	int error;

	sel_sys_init();
	pipe_sys_init();
	if ((error = lf_sys_init()) != 0)
		goto fail_lf;
	if ((error = proc_hook_register(&fd_proc_hook, &fd_hookslot)) != 0)
		goto fail_hook;
	return 0;

 fail_hook:
	fd_hookslot = -1;
	lf_sys_fini();
 fail_lf:
	pipe_sys_fini();
	sel_sys_fini();
	return error;
}

void
fd_sys_fini(void)
{

	KASSERT(fd_hookslot >= 0);
	proc_hook_unregister(fd_hookslot);
	fd_hookslot = -1;
	lf_sys_fini();
	pipe_sys_fini();
	sel_sys_fini();
}
