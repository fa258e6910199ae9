/*
 * rumpuser.h: the hypercall interface, the whole contract between a rump
 * kernel and the host that runs it.
 *
 * A rump kernel reaches its host only through the functions declared here
 * (DESIGN.md section 3).  The kernel calls them; a platform implements them
 * (platform/posix on a POSIX host, later platform/x86_64 on bare metal).
 * The platform in turn calls back into the kernel only through the upcalls
 * in struct rumpuser_hyperup, handed over at rumpuser_init().
 *
 * Conventions, for every call unless its comment says otherwise:
 *
 *  - Errors.  A call returns 0 on success or a positive error number in the
 *    kernel's numbering, which is Linux's (ENOMEM is 12, ENOENT is 2, ...).
 *    A platform on a host with other numbers translates.  Results come back
 *    through pointer arguments.
 *
 *  - Virtual CPUs.  Kernel code runs on a host thread that holds a virtual
 *    CPU.  A call marked "may block" can wait on the host; before it does,
 *    the platform gives the virtual CPU up through hyp_backend_unschedule and
 *    takes one back through hyp_backend_schedule afterwards, so that one
 *    blocked thread never stalls the others.  A call marked "nowrap" never
 *    touches the virtual CPU: the caller keeps it (or holds none) throughout.
 *    Calls marked "any context" work with or without a virtual CPU.
 *
 *  - Threads.  Host threads that the platform creates for the kernel run
 *    the given function without a virtual CPU; the function schedules
 *    itself.  I/O completion callbacks (rumpuser_bio) are the exception:
 *    they are called with a virtual CPU held.
 *
 * Version history:
 *   1  first version.
 *   2  the system-call proxy, server side (rumpuser_sp_*, the hyp_sp_*
 *      upcalls; docs/sysproxy.md).
 */
#ifndef _RUMP_RUMPUSER_H_
#define _RUMP_RUMPUSER_H_

#ifdef _KERNEL
#include <sys/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define RUMPUSER_VERSION 2

struct lwp;

/*
 * Upcalls: the kernel's entry points that the platform calls.  Each may be
 * called from any host thread.
 */
struct rumpuser_hyperup {
	/* Take a virtual CPU for the calling thread (creating an lwp for a
	 * thread that has none) and release it again. */
	void (*hyp_schedule)(void);
	void (*hyp_unschedule)(void);
	/* Release the virtual CPU before blocking in the host, and take one
	 * back afterwards: the wrapping of every "may block" call.  The lwp
	 * stays bound to the thread in between. */
	void (*hyp_backend_unschedule)(void);
	void (*hyp_backend_schedule)(void);

	/*
	 * The system-call proxy (rumpuser_sp_*).  The platform calls these
	 * from its own threads, which hold no virtual CPU and have no lwp
	 * bound; each enters the kernel itself and fails with ENXIO when the
	 * kernel is halting.  kc is the kernel's handle of a client: valid
	 * from hyp_sp_connect or hyp_sp_fork until hyp_sp_gone.
	 *
	 * hyp_sp_connect: a client connected: make its process (forkchild
	 *   NULL: a new process, child of the default one) or adopt the
	 *   process that hyp_sp_fork prepared.  *kcp, *pidp: its handle and
	 *   pid.  0 or an errno (ENOMEM, ENXIO).
	 * hyp_sp_fork: make a child of kc's process now, with a copy of its
	 *   descriptor table; *childp is its handle, for hyp_sp_connect or
	 *   hyp_sp_gone.  Never called while a call of kc runs on the
	 *   calling thread.
	 * hyp_sp_syscall: run system call num with args as client kc; call
	 *   is the platform's handle of this call, for rumpuser_sp_copy*.
	 *   Returns 0 or the errno, results in rv.  *haltp is set when the
	 *   call asked for a halt: the platform answers the client and then
	 *   calls hyp_sp_halt from a thread that is none of its own.
	 * hyp_sp_gone: the client is gone (its calls have all returned), or
	 *   a prepared fork child was never adopted: its process exits.
	 */
	int (*hyp_sp_connect)(void *forkchild, void **kcp, int *pidp);
	int (*hyp_sp_fork)(void *kc, void **childp);
	int (*hyp_sp_syscall)(void *kc, void *call, int num,
	    const int64_t *args, int64_t *rv, int *haltp);
	void (*hyp_sp_gone)(void *kc);
	void (*hyp_sp_halt)(void);
};

/*
 * Init and parameters.
 */

/* Checks the version, records the upcalls, prepares the host.  Called
 * once per boot by rump_init(), before any other call.  Returns EINVAL
 * on a version mismatch (and says so on the console). */
int rumpuser_init(int version, const struct rumpuser_hyperup *hyp);

/* Named parameters of the host, as NUL-terminated strings.  On POSIX
 * they come from the environment (RUMP_NCPU, RUMP_MEMLIMIT, RUMP_VERBOSE,
 * RUMP_HOSTNAME) with host-derived defaults; ENOENT when a parameter has
 * no value, ENOMEM when buf is too small. */
#define RUMPUSER_PARAM_NCPU "_RUMPUSER_NCPU"	 /* default: host CPUs */
#define RUMPUSER_PARAM_MEMLIMIT "RUMP_MEMLIMIT" /* bytes; k/m/g/% ok */
#define RUMPUSER_PARAM_VERBOSE "RUMP_VERBOSE"	 /* 0 or 1 */
#define RUMPUSER_PARAM_HOSTNAME "_RUMPUSER_HOSTNAME"
int rumpuser_getparam(const char *name, void *buf, size_t buflen);

/* Console output: write len bytes of buf, atomically per call where the
 * host allows.  Any context, nowrap. */
void rumpuser_console_write(const char *buf, size_t len);

/* Leave the host process: value is the exit status, or RUMPUSER_PANIC
 * to abort (core dump).  Does not return. */
#define RUMPUSER_PANIC (-1)
void rumpuser_exit(int value) __attribute__((__noreturn__));

/* Set the errno of the calling host thread (the rump_sys_* return
 * convention).  Any context. */
void rumpuser_seterrno(int error);

/*
 * Memory.  alignment is 0 (the host's default) or a power of two.  The
 * size handed to rumpuser_free is the size that was allocated.
 * Any context, nowrap.
 */
int rumpuser_malloc(size_t len, int alignment, void **memp);
void rumpuser_free(void *mem, size_t len);

/*
 * Threads.
 */

/* Create a host thread running f(arg).  mustjoin: the thread will be
 * joined with rumpuser_thread_join(*cookie) and must end with
 * rumpuser_thread_exit().  priority and cpuidx are hints (-1: none). */
int rumpuser_thread_create(void *(*f)(void *), void *arg, const char *name,
    int mustjoin, int priority, int cpuidx, void **cookie);
void rumpuser_thread_exit(void) __attribute__((__noreturn__));
/* May block. */
int rumpuser_thread_join(void *cookie);

/* The kernel's per-thread lwp pointer (thread-local storage).
 *   RUMPUSER_LWP_CREATE, RUMPUSER_LWP_DESTROY: hooks, may be no-ops;
 *   RUMPUSER_LWP_SET: bind l to the calling thread (none bound before);
 *   RUMPUSER_LWP_CLEAR: unbind l from the calling thread.
 * Any context, nowrap. */
enum rumplwpop {
	RUMPUSER_LWP_CREATE,
	RUMPUSER_LWP_DESTROY,
	RUMPUSER_LWP_SET,
	RUMPUSER_LWP_CLEAR
};
void rumpuser_curlwpop(int op, struct lwp *l);
struct lwp *rumpuser_curlwp(void);

/*
 * Synchronization.  All objects are opaque and allocated by their init.
 */
struct rumpuser_mtx;
struct rumpuser_rw;
struct rumpuser_cv;

#define RUMPUSER_MTX_SPIN 0x01	/* a spin mutex: never blocks for long */
#define RUMPUSER_MTX_KMUTEX 0x02 /* backs a kernel mutex */
int rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags);
/* May block (the wrapped form). */
void rumpuser_mutex_enter(struct rumpuser_mtx *mtx);
/* Blocks without giving up the virtual CPU: nowrap. */
void rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *mtx);
/* 0 when taken, EBUSY when not.  Nowrap. */
int rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx);
void rumpuser_mutex_exit(struct rumpuser_mtx *mtx);
void rumpuser_mutex_destroy(struct rumpuser_mtx *mtx);

enum rumprwlock {
	RUMPUSER_RW_READER,
	RUMPUSER_RW_WRITER
};
int rumpuser_rw_init(struct rumpuser_rw **rwp);
/* May block. */
void rumpuser_rw_enter(int enum_rumprwlock, struct rumpuser_rw *rw);
/* 0 or EBUSY.  Nowrap. */
int rumpuser_rw_tryenter(int enum_rumprwlock, struct rumpuser_rw *rw);
void rumpuser_rw_exit(struct rumpuser_rw *rw);
void rumpuser_rw_destroy(struct rumpuser_rw *rw);

int rumpuser_cv_init(struct rumpuser_cv **cvp);
void rumpuser_cv_destroy(struct rumpuser_cv *cv);
/* Wait with mtx held; mtx is held again on return.  May block. */
void rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx);
/* The same without giving up the virtual CPU.  Nowrap. */
void rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv,
    struct rumpuser_mtx *mtx);
/* Wait at most sec seconds and nsec nanoseconds (relative); returns 0
 * when signalled, ETIMEDOUT when the time ran out.  May block. */
int rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    int64_t sec, int64_t nsec);
void rumpuser_cv_signal(struct rumpuser_cv *cv);
void rumpuser_cv_broadcast(struct rumpuser_cv *cv);

/*
 * Time.
 */
enum rumpclock {
	RUMPUSER_CLOCK_RELWALL, /* sleep: relative time */
	RUMPUSER_CLOCK_ABSMONO	/* gettime: monotonic; sleep: absolute */
};
#define RUMPUSER_CLOCK_WALL RUMPUSER_CLOCK_RELWALL /* gettime: wall */
/* Any context. */
int rumpuser_clock_gettime(int enum_rumpclock, int64_t *sec, long *nsec);
/* Sleep for (RELWALL) or until (ABSMONO) the given time.  May block. */
int rumpuser_clock_sleep(int enum_rumpclock, int64_t sec, long nsec);

/*
 * Host files and block I/O.
 */

/* Open flags (the kernel's own numbering, mapped by the platform). */
#define RUMPUSER_OPEN_RDONLY 0x0000
#define RUMPUSER_OPEN_WRONLY 0x0001
#define RUMPUSER_OPEN_RDWR 0x0002
#define RUMPUSER_OPEN_ACCMODE 0x0003
#define RUMPUSER_OPEN_CREATE 0x0004
#define RUMPUSER_OPEN_EXCL 0x0008
#define RUMPUSER_OPEN_BIO 0x0010 /* the fd will be used with rumpuser_bio */
/* Open a host file.  May block. */
int rumpuser_open(const char *path, int ruflags, int *fdp);
int rumpuser_close(int fd);

/* What a host path is and how big.  type is one of these. */
#define RUMPUSER_FT_OTHER 0
#define RUMPUSER_FT_DIR 1
#define RUMPUSER_FT_REG 2
#define RUMPUSER_FT_BLK 3
#define RUMPUSER_FT_CHR 4
int rumpuser_getfileinfo(const char *path, uint64_t *sizep, int *typep);

/* Same layout as POSIX struct iovec. */
struct rumpuser_iovec {
	void *iov_base;
	size_t iov_len;
};
/* Vectored read and write at offset off (RUMPUSER_IOV_NOSEEK: the file's
 * current position, for pipes and terminals).  *retp is the number of
 * bytes transferred.  May block. */
#define RUMPUSER_IOV_NOSEEK (-1)
int rumpuser_iovread(int fd, struct rumpuser_iovec *iov, size_t iovlen,
    int64_t off, size_t *retp);
int rumpuser_iovwrite(int fd, const struct rumpuser_iovec *iov,
    size_t iovlen, int64_t off, size_t *retp);

/* Asynchronous block I/O: read or write dlen bytes at off, then call
 * biodone(donearg, bytes done, error) from a platform thread with a
 * virtual CPU held.  Never blocks the caller.  Nowrap. */
#define RUMPUSER_BIO_READ 0x01
#define RUMPUSER_BIO_WRITE 0x02
#define RUMPUSER_BIO_SYNC 0x04 /* write through to stable storage */
typedef void (*rump_biodone_fn)(void *, size_t, int);
void rumpuser_bio(int fd, int op, void *data, size_t dlen, int64_t off,
    rump_biodone_fn biodone, void *donearg);

/* Flush a host file to stable storage.  May block. */
#define RUMPUSER_SYNCFD_READ 0x01
#define RUMPUSER_SYNCFD_WRITE 0x02
#define RUMPUSER_SYNCFD_SYNC 0x04 /* data and metadata (fsync) */
int rumpuser_syncfd(int fd, int flags, uint64_t start, uint64_t len);

/*
 * Random bytes from the host's entropy source, to seed the kernel's own
 * generator.  Up to buflen bytes; *retp says how many.  May block.
 */
#define RUMPUSER_RANDOM_HARD 0x01   /* from a seeded source only */
#define RUMPUSER_RANDOM_NOWAIT 0x02 /* do not wait for entropy */
int rumpuser_getrandom(void *buf, size_t buflen, int flags, size_t *retp);

/*
 * The system-call proxy, server side (docs/sysproxy.md): serve remote
 * clients over a socket.  A client's system calls come in through the
 * hyp_sp_* upcalls; a remote call's copies of user memory go to the
 * client through rumpuser_sp_copy*.
 */

/* Listen on url (unix://PATH or tcp://ADDR:PORT) and serve clients from
 * platform threads.  0, or EBUSY (serving already), EINVAL (a bad url),
 * EADDRINUSE (a server answers on the unix socket), EEXIST (the path is
 * not a socket), ENAMETOOLONG, or the host's socket errors.  May block
 * (briefly): call it without a virtual CPU. */
int rumpuser_sp_init(const char *url);

/* Stop serving: stop accepting, drop every client (their copies fail
 * with EFAULT from now on, so their calls end).  Returns at once.  Any
 * context, nowrap. */
void rumpuser_sp_stop(void);

/* Stop, then wait for every platform thread of the server to end (the
 * last hyp_sp_gone has returned) and join them, close the socket and
 * remove the unix socket file.  Nothing if not serving.  May block. */
void rumpuser_sp_fini(void);

/*
 * One copy between the kernel and the memory of the client whose call is
 * call (hyp_sp_syscall's): len (maxlen) is 1 to RUMPUSER_SP_COPYMAX; the
 * kernel splits larger copies.  0, or EFAULT when the client could not
 * copy or is gone.  Called with a virtual CPU held.  May block (until
 * the client answers or is dropped).
 *
 * rumpuser_sp_copyinstr: reads up to maxlen bytes of a string; *donep is
 * the number of bytes received: up to and including the first NUL, or
 * maxlen without one (the kernel looks for the NUL).
 */
#define RUMPUSER_SP_COPYMAX 65536
/* The thread that runs call is about to block in the host (the kernel
 * calls this from its hyp_backend_unschedule upcall, for a remote lwp):
 * the platform makes sure that the client's further frames are read
 * meanwhile.  Called with the virtual CPU held; nowrap, never blocks for
 * long. */
void rumpuser_sp_blocking(void *call);
/* Has the client of call gone (dropped, disconnected, or the server is
 * stopping)?  Its call should then end soon (long sleeps give up with
 * EINTR).  Any context, nowrap, never blocks. */
int rumpuser_sp_dropped(void *call);

int rumpuser_sp_copyin(void *call, const void *uaddr, void *kaddr,
    size_t len);
int rumpuser_sp_copyinstr(void *call, const void *uaddr, void *kaddr,
    size_t maxlen, size_t *donep);
int rumpuser_sp_copyout(void *call, const void *kaddr, void *uaddr,
    size_t len);
int rumpuser_sp_copyoutstr(void *call, const void *kaddr, void *uaddr,
    size_t len);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMPUSER_H_ */
