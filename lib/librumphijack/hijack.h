/*
 * hijack.h: private to librumphijack (docs/hijack.md).
 *
 * The library is preloaded into an unmodified program.  Linux's syscall
 * user dispatch makes every system call instruction of the program's
 * threads raise SIGSYS (hijack_trap.c); the handler decides where the
 * call goes (hijack_route.c): to the rump kernel when it names a path
 * under the configured prefix or a descriptor that came from the kernel,
 * else to the host, unchanged.  The kernel is either remote (a
 * rump_server, through librumpclient) or booted inside the program
 * (hijack_kernel.c); both are reached through hj_rump().
 *
 * Descriptors (hijack_fd.c): a kernel descriptor has the same number in
 * the kernel process as in the program, and the host holds a placeholder
 * descriptor (an empty memfd) at that number, so that the host never hands
 * the number out again and fork and exec carry it like any other.
 *
 * Our own code runs with the calling thread's selector at "allow": the
 * host calls that the kernel, librumpclient and libc make for us are not
 * trapped.
 */
#ifndef _HIJACK_H_
#define _HIJACK_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <poll.h>

#define HJ_PATHMAX	4096
#define HJ_MAXFD	65536	/* descriptors above this stay host's */
#define HJ_MAXBLANKET	16

/* The configuration: $RUMPHIJACK (hijack_config.c). */
struct hj_config {
	char prefix[256];		/* path=, "" for none */
	size_t prefixlen;
	char *blanket[HJ_MAXBLANKET];	/* blanket=, absolute host paths */
	size_t nblanket;
	bool socket_any;		/* socket=: some family goes to the kernel */
	char image[HJ_PATHMAX];		/* image=: in-process kernel */
	char fstype[32];		/* type= */
	bool readonly;			/* ro */
};

extern struct hj_config hj_cfg;
int hj_config_parse(const char *s, struct hj_config *cfg, char *err,
    size_t errlen);

/* Host system calls, never trapped (hijack_trap.c).  -errno on error. */
long hj_host(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
#define hj_host0(nr)		hj_host(nr, 0, 0, 0, 0, 0, 0)
#define hj_host1(nr, a)		hj_host(nr, (long)(a), 0, 0, 0, 0, 0)
#define hj_host2(nr, a, b)	hj_host(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define hj_host3(nr, a, b, c) \
	hj_host(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* The calling thread's trap state (hijack_trap.c). */
void hj_allow(void);		/* our code runs: nothing is trapped */
void hj_block(void);		/* back to the program: trap */
bool hj_allowed(void);
int hj_trap_thread(void);	/* turn trapping on in this thread */
int hj_trap_init(void);		/* the SIGSYS handler, this thread */

/* The kernel (hijack_kernel.c). */
int hj_kernel_init(char *err, size_t errlen);
long hj_rump(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
#define hj_rump0(nr)		hj_rump(nr, 0, 0, 0, 0, 0, 0)
#define hj_rump1(nr, a)		hj_rump(nr, (long)(a), 0, 0, 0, 0, 0)
#define hj_rump2(nr, a, b)	hj_rump(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define hj_rump3(nr, a, b, c) \
	hj_rump(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
bool hj_kernel_host(void);	/* this process runs the kernel */
extern bool hj_trace;		/* RUMPHIJACK_TRACE */
void hj_trace_call(long nr, const long a[6], long r);
pid_t hj_fork(void);		/* fork(3) with the kernel process */
/* A raw fork-like host call nr, with the kernel process; 0 in the child. */
long hj_fork_call(long nr, long a0, long a1, long a2, long a3, long a4);
long hj_exec(const char *path, char *const argv[], char *const envp[]);
void hj_kernel_halt(void);	/* flush and halt an in-process kernel */

/* Descriptors (hijack_fd.c). */
bool hj_fd_isrump(long fd);
void hj_fd_set(int fd, bool rump);
long hj_fd_adopt(long rfd, int cloexec);	/* a new kernel descriptor */
long hj_fd_close(long fd);
long hj_fd_dup(long nr, long oldfd, long newfd, long flags);
long hj_fd_fcntl(long fd, long cmd, long arg);
long hj_fd_close_range(unsigned int first, unsigned int last,
    unsigned int flags);
bool hj_fd_internal(long fd);
extern int hj_fdbase;		/* RUMP_FDBASE: ours from here up */
void hj_fd_state_env(char *buf, size_t len);
void hj_fd_state_load(const char *s);

/* The working directory: in the kernel or on the host. */
extern volatile bool hj_cwd_rump;
extern long hj_selfpid;

/* Routing (hijack_route.c). */
long hj_dispatch(long nr, long a[6], void *uc);
/* The kernel path of a host path, or NULL: the path stays host's. */
const char *hj_rumppath(const char *path, bool atcwd);
long hj_copyinstr(const char *uaddr, char *buf, size_t len);

/* Calls over both worlds (hijack_io.c). */
long hj_poll(struct pollfd *fds, unsigned long nfds, long timeout_ms,
    const void *sigmask, size_t sigsetsize);
long hj_select(long nr, long a[6]);
long hj_copy(long nr, long a[6]);
long hj_mmap(long a[6]);

void hj_die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
    noreturn));

#endif /* _HIJACK_H_ */
