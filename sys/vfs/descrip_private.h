/*
 * descrip_private.h: interfaces between the descriptor files of the VFS
 * faction (kern_descrip.c, sys_descrip.c, sys_generic.c, sys_pipe.c,
 * sys_select.c, vfs_lockf.c) that nothing else uses.
 */
#ifndef _VFS_DESCRIP_PRIVATE_H_
#define _VFS_DESCRIP_PRIVATE_H_

#include <sys/types.h>
#include <sys/condvar.h>
#include <sys/mutex.h>

struct file;
struct filedesc;
struct vnode;

/* The largest file offset; the end of a lock that runs to end of file. */
#define OFF_MAX INT64_MAX

/* kern_descrip.c: a descriptor of fp in fdp went away (close, dup2 over
 * it, exit): drop fdp's record locks on the file and the reference. */
void fd_file_closed(struct filedesc *fdp, struct file *fp);
/*
 * Sleep on cv (mtx held) for at most nsec: 0 when woken or after a short
 * slice or nsec (the caller looks at its condition again), EINTR once
 * the kernel is halting.  Every wait of the descriptor layer (pipes,
 * poll, F_SETLKW) uses it, so that a thread blocked there cannot keep a
 * halt waiting for ever: its call fails with EINTR, as if interrupted.
 */
int fd_cv_timedwait(kcondvar_t *cv, kmutex_t *mtx, uint64_t nsec);
#define fd_cv_wait(cv, mtx) fd_cv_timedwait(cv, mtx, UINT64_MAX)
/* Where the record locks of fp's object hang (a vnode's v_lockf, a
 * pipe's), or NULL for a file that cannot be locked. */
void **file_lockf_head(struct file *fp);

/*
 * vfs_lockf.c: POSIX record locks of one object (a vnode, a pipe), whose
 * lock state hangs at *headp (NULL: no locks).  A lock belongs to an
 * owner (the descriptor table that set it, as Linux's belong to a
 * files_struct) and records the pid that set it for F_GETLK.  Ranges are
 * inclusive, [start, end], end OFF_MAX meaning "to the end of the file,
 * however it grows".
 */
struct lf_range {
	int lr_type;		/* F_RDLCK, F_WRLCK, F_UNLCK */
	off_t lr_start;
	off_t lr_end;
	pid_t lr_pid;		/* F_GETLK: the holder */
};
int lf_sys_init(void);
void lf_sys_fini(void);
/* F_GETLK: rp becomes the first conflicting lock, or lr_type F_UNLCK. */
int lf_getlk(void **headp, void *owner, struct lf_range *rp);
/* F_SETLK / F_SETLKW (wait true): EAGAIN, EDEADLK, ENOLCK. */
int lf_setlk(void **headp, void *owner, const struct lf_range *,
    bool wait);
/* Drop every lock that owner holds on the object. */
void lf_release(void **headp, void *owner);

/* sys_pipe.c */
#define PIPE_SIZE (64 * 1024)	/* a pipe's capacity: Linux's default */
void pipe_sys_init(void);
void pipe_sys_fini(void);
/* The lock state of a pipe (fp is either end). */
void **pipe_lockf_head(struct file *fp);

/* sys_select.c */
void sel_sys_init(void);
void sel_sys_fini(void);

#endif /* _VFS_DESCRIP_PRIVATE_H_ */
