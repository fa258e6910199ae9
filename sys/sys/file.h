/*
 * file.h: open files.
 *
 * A struct file is what a descriptor refers to: a vnode opened with
 * flags, a pipe end, later a socket.  Its operations vector (fileops)
 * does the work, so read(2) and friends do not care what is behind it.
 * Files are shared by dup(2) and by forked descriptor tables and
 * counted; the last reference closes the file (fo_close).
 *
 * Locking: f_count is atomic; f_lock protects f_offset and f_flag;
 * everything else is constant.
 */
#ifndef _SYS_FILE_H_
#define _SYS_FILE_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/kauth.h>

struct uio;
struct stat;
struct file;

/* f_flag: FREAD and FWRITE from the access mode, and the Linux O_ status
 * flags that fcntl(F_GETFL) reports (O_APPEND, O_NONBLOCK, ...). */
#define FREAD 0x10000000
#define FWRITE 0x20000000

#define DTYPE_VNODE 1
#define DTYPE_PIPE 2
#define DTYPE_SOCKET 3

/* poll(2) events (Linux values). */
#define POLLIN 0x0001
#define POLLPRI 0x0002
#define POLLOUT 0x0004
#define POLLERR 0x0008
#define POLLHUP 0x0010
#define POLLNVAL 0x0020
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200

struct fileops {
	/* Transfer at *offp (updated) or, for files without offsets,
	 * ignoring it. */
	int (*fo_read)(struct file *, off_t *offp, struct uio *, int flags);
	int (*fo_write)(struct file *, off_t *offp, struct uio *, int flags);
	int (*fo_ioctl)(struct file *, unsigned long cmd, void *data);
	/* The ready events among those asked (and POLLERR/POLLHUP).  An
	 * object whose readiness changes calls selnotify() (select.h). */
	int (*fo_poll)(struct file *, int events);
	int (*fo_stat)(struct file *, struct stat *);
	int (*fo_close)(struct file *);
	/* lseek: ESPIPE for files without offsets. */
	int (*fo_seek)(struct file *, off_t off, int whence, off_t *newoffp);
};

struct file {
	kmutex_t f_lock;
	unsigned int f_count;		/* atomic */
	int f_flag;			/* f_lock */
	int f_type;			/* c: DTYPE_* */
	const struct fileops *f_ops;	/* c */
	void *f_data;			/* c: vnode, pipe */
	off_t f_offset;			/* f_lock */
	kauth_cred_t f_cred;		/* c: the opener's */
	void *f_pipe;			/* c: a pipe end's or FIFO's pipe */
};

/* Linux x86-64 struct flock (fcntl F_GETLK, F_SETLK, F_SETLKW), 32 bytes. */
struct flock {
	short l_type;			/* F_RDLCK, F_WRLCK, F_UNLCK */
	short l_whence;			/* SEEK_SET, SEEK_CUR, SEEK_END */
	off_t l_start;
	off_t l_len;			/* 0: to the end of the file */
	pid_t l_pid;			/* F_GETLK: the holder */
};
CTASSERT(sizeof(struct flock) == 32);

/* sys/vfs/kern_file.c */
struct file *file_alloc(int type, const struct fileops *, void *data,
    int flag);			/* f_count 1; NULL: ENOMEM */
void file_hold(struct file *);
void file_release(struct file *);	/* the last calls fo_close */

#endif /* _SYS_FILE_H_ */
