/*
 * rumpclient.h: the remote client of a rump kernel (librumpclient).
 *
 * A program linked with librumpclient (pkg-config rumpclient) instead of
 * the local kernel libraries reaches a kernel that rump_server hosts in
 * another process, over a unix or TCP socket (docs/rumpclient.md, the
 * protocol in docs/sysproxy.md).  The system calls are the same
 * rump_sys_* of rump_syscalls.h, with the same names and signatures, so
 * a program builds against either library unchanged; the two are
 * alternatives and are never linked together.
 *
 * rumpclient_init() connects to the URL in $RUMP_SERVER (unix://PATH or
 * tcp://ADDR:PORT); the connection is one process in the kernel, with its
 * own pid, credentials, descriptors and working directory.  Every
 * rump_sys_* returns like libc: -1 with errno set on error, and ENOTCONN
 * before rumpclient_init() and once the connection is gone (the server
 * exited or dropped this client).  Calls from several threads at once
 * share the connection.
 *
 * fork(2) in a connected client gives the child its own kernel process,
 * a child of the parent's with a copy of its descriptors (a pthread_atfork
 * handler asks the server for a fork cookie before the fork and the child
 * reconnects with it).  rumpclient_fork() does the same and reports a
 * failure to get the cookie as an error instead of a disconnected child.
 * rumpclient_exec() keeps the kernel process across execve(2).
 */
#ifndef _RUMP_RUMPCLIENT_H_
#define _RUMP_RUMPCLIENT_H_

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Connect to $RUMP_SERVER.  0 on success; -1 with errno set on error:
 * EINVAL ($RUMP_SERVER unset, or not a unix://PATH or tcp://ADDR:PORT
 * URL with a numeric address), ENAMETOOLONG (a socket path too long),
 * what connect(2) says (ENOENT, ECONNREFUSED, EACCES, ...), ECONNREFUSED
 * also when a full server closes the connection, EPROTO (the peer does
 * not speak the protocol), what the server refused the handshake with
 * (EPROTONOSUPPORT: another protocol version; ENXIO: it is halting),
 * EISCONN when already connected.  After rumpclient_exec() it takes
 * over the connection named in $RUMPCLIENT__EXECFD instead (EBADF if that
 * is not a socket).
 */
int rumpclient_init(void);

/* Close the connection: the kernel process ends.  Later calls are
 * ENOTCONN until rumpclient_init() connects again. */
void rumpclient_fini(void);

/*
 * Run system call num (RUMP_SYS_* of rump_syscalls.h) with nargs (0..6)
 * register-sized arguments on the server; the generated rump_sys_* call
 * it.  Returns 0 with the results in retval[0..1], or an errno value
 * (errno itself is left alone).
 */
int rumpclient_syscall(int num, const int64_t *args, int nargs,
    int64_t *retval);

/*
 * Fork with the kernel process: rumpclient_prefork() gets a cookie from
 * the server, fork(2) follows, and rumpclient_fork_init() in the child
 * connects as the kernel child of the parent's process (descriptors
 * copied).  rumpclient_fork_cancel() gives up a cookie that was not
 * used.  rumpclient_fork() is all three: -1 with errno if no cookie
 * could be had (no fork happened) or fork(2) failed; in the child, 0
 * (a child that could not reconnect is disconnected: its calls fail
 * with ENOTCONN).
 */
struct rumpclient_fork;
struct rumpclient_fork *rumpclient_prefork(void);
int rumpclient_fork_init(struct rumpclient_fork *);
void rumpclient_fork_cancel(struct rumpclient_fork *);
pid_t rumpclient_fork(void);

/*
 * execve(2) keeping the kernel process: the connection's socket stays
 * open across the exec and $RUMPCLIENT__EXECFD names it; the new image's
 * rumpclient_init() takes it over (same pid, descriptors, cwd in the
 * kernel).  Returns only on failure, -1 with errno as execve's.  Without
 * a connection it is plain execve(2).
 */
int rumpclient_exec(const char *path, char *const argv[],
    char *const envp[]);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMPCLIENT_H_ */
