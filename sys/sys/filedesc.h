/*
 * filedesc.h: per-process descriptor tables and directories.
 *
 * The VFS faction keeps, for each process (proc hook, proc.h), a
 * descriptor table and the current and root directories with the umask.
 * rump_lwproc_rfork(RUMP_RFFDG) copies the table (the files are shared,
 * as after fork(2)); RUMP_RFCFDG starts empty; the directories are always
 * inherited.  A process's exit closes its descriptors.
 *
 * Locking: fd_lock protects the table; cwdi_lock the directories.  A
 * descriptor in use by a system call holds a reference to its file
 * (fd_getfile/fd_putfile), so close(2) in another thread never frees a
 * file under a reader.
 */
#ifndef _SYS_FILEDESC_H_
#define _SYS_FILEDESC_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>

struct file;
struct proc;
struct vnode;

#define FD_CLOEXEC 1

struct fdfile {
	struct file *ff_file;		/* fd_lock; NULL: free */
	int ff_flags;			/* fd_lock: FD_CLOEXEC */
};

struct filedesc {
	kmutex_t fd_lock;
	unsigned int fd_refcnt;		/* atomic: processes using it */
	struct fdfile *fd_ofiles;	/* fd_lock */
	int fd_nfiles;			/* fd_lock: slots allocated */
	int fd_freefile;		/* fd_lock: lowest possibly free */
};

struct cwdinfo {
	krwlock_t cwdi_lock;
	struct vnode *cwdi_cdir;	/* cwdi_lock: referenced */
	struct vnode *cwdi_rdir;	/* cwdi_lock: referenced */
	mode_t cwdi_cmask;		/* cwdi_lock: umask */
};

/* The current process's, or p's. */
struct filedesc *fd_table(struct proc *);
struct cwdinfo *cwd_info(struct proc *);

/* sys/vfs/kern_descrip.c.  All act on the current process. */
/*
 * Its RLIMIT_NOFILE soft limit: new descriptors are below it (EMFILE),
 * whatever the table already holds.  Each process sharing a table has
 * its own.
 */
int fd_nofile(void);
/* The file of fd, referenced: EBADF if there is none. */
int fd_getfile(int fd, struct file **fpp);
void fd_putfile(struct file *);
/* Install fp at the lowest free descriptor >= minfd: EMFILE if none
 * below fd_nofile(). */
int fd_install(struct file *fp, int minfd, int flags, int *fdp);
int fd_close(int fd);
/* dup2/dup3: close newfd if open, then make it refer to oldfd's file.
 * EBADF if newfd is not below fd_nofile(). */
int fd_dup2(int oldfd, int newfd, int flags);
/* A descriptor's flags (FD_CLOEXEC): EBADF if fd is not open. */
int fd_getflags(int fd, int *flagsp);
int fd_setflags(int fd, int flags);
/* Is fd (still) open on fp?  (For callers that raced with close.) */
bool fd_refers_to(int fd, struct file *fp);
/*
 * sys/vfs/sys_pipe.c: open the FIFO vp for open(2), which has found it,
 * checked the access and opened it (VOP_OPEN).  fflag is the new file's
 * f_flag (FREAD, FWRITE, O_NONBLOCK, ...).  All openers of vp share one
 * pipe.  As Linux: a reader waits for a writer and a writer for a reader
 * (O_RDWR never waits); O_NONBLOCK readers do not wait; an O_NONBLOCK
 * writer without a reader fails with ENXIO.  On success *fpp (one
 * reference) owns the caller's vnode reference and open, and closing it
 * closes the vnode (VOP_CLOSE, vrele); on failure the caller still owns
 * them.  EINTR if the kernel halts while it waits.
 */
int fifo_open(struct vnode *vp, int fflag, struct file **fpp);
/* The VFS component's init and fini (vfs_init.c): the proc hook, pipes,
 * poll and record locks.  Every process has exited before the fini. */
int fd_sys_init(void);
void fd_sys_fini(void);

#endif /* _SYS_FILEDESC_H_ */
