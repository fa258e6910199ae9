/*
 * rump.h: the public interface of a rump kernel for the programs that
 * host one: booting and halting, entering the kernel, and acting as
 * several processes.  System calls are in rump_syscalls.h.
 */
#ifndef _RUMP_RUMP_H_
#define _RUMP_RUMP_H_

#ifdef __cplusplus
extern "C" {
#endif

struct lwp;

/*
 * Boot a rump kernel with the components that are linked into the
 * program.  Reads RUMP_NCPU, RUMP_MEMLIMIT, RUMP_VERBOSE, RUMP_HOSTNAME
 * from the environment.  Returns 0, or an errno value (EINVAL for a bad
 * parameter, ENOMEM when the memory limit is too small to boot, EBUSY if
 * a kernel is already running, the error of a component's init).  After a
 * halt (rump_sys_reboot) it boots a fresh kernel.
 */
int rump_init(void);

/* Enter the kernel (take a virtual CPU) and leave it again: for code that
 * calls kernel-internal interfaces directly.  rump_sys_* do it themselves. */
void rump_schedule(void);
void rump_unschedule(void);

/*
 * Processes and lwps (the calling host thread's kernel context).
 *
 * rump_lwproc_rfork: create a process, a child of the current one (or of
 * the default process), with one lwp, and switch the calling thread to
 * it.  Flags: RUMP_RFFDG copies the descriptor table, RUMP_RFCFDG gives
 * an empty one; 0 shares the parent's descriptor table (both processes
 * then see the same descriptors, and are one owner of record locks, like
 * the threads of one process).  The credentials, umask and current and
 * root directories are always inherited.  Returns 0 or an errno (ENOMEM,
 * EINVAL for bad flags).
 * rump_lwproc_newlwp: create an lwp in process pid and switch to it (0,
 * ESRCH, ENOMEM).
 * rump_lwproc_switch: bind the calling thread to lwp l (NULL: unbind;
 * the thread then uses the default process).
 * rump_lwproc_releaselwp: release the current lwp; when it was its
 * process's last, the process exits (descriptors closed).
 * rump_lwproc_curlwp: the lwp bound to the calling thread, or NULL.
 */
#define RUMP_RFFDG 0x01
#define RUMP_RFCFDG 0x02
int rump_lwproc_rfork(int flags);
int rump_lwproc_newlwp(int pid);
void rump_lwproc_switch(struct lwp *l);
void rump_lwproc_releaselwp(void);
struct lwp *rump_lwproc_curlwp(void);

/*
 * Raw system call: number (Linux x86-64 numbering), nargs (0 to 6)
 * argument registers, and up to two result registers (retval[2], or
 * NULL).  Returns 0 or an errno value: ENOSYS for a number the kernel
 * does not implement (or whose component is not linked), EINVAL for a
 * bad nargs or a NULL args with nargs > 0, ENXIO when no kernel is
 * running.
 */
int rump_syscall(int num, const long *args, int nargs, long *retval);

/*
 * Serve the running kernel to remote clients (librumpclient) at url:
 * unix://PATH (the socket file gets mode 0600) or tcp://ADDR:PORT
 * (docs/sysproxy.md).  Each connection is a process of its own.  Returns
 * 0 once the socket listens, or an errno: ENXIO (no kernel), EBUSY
 * (serving already), EINVAL (a bad url), EADDRINUSE (a server answers on
 * that socket), EEXIST (the path exists and is not a socket),
 * ENAMETOOLONG, or the host's socket error.  Serving ends when the
 * kernel halts: the clients are dropped and the server's threads joined.
 */
int rump_init_server(const char *url);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMP_H_ */
