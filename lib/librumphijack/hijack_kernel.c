/*
 * hijack_kernel.c: the kernel that the hijacked program talks to.
 *
 * Remote: $RUMP_SERVER names a rump_server (or the image before exec left
 * a connection in $RUMPCLIENT__EXECFD); librumpclient, loaded beside us
 * with RTLD_LOCAL, carries every call.  Its pthread_atfork handlers give
 * a child of fork(3) its own kernel process with a copy of the parent's
 * descriptors; a fork done from the trap handler (vfork, posix_spawn's
 * clone) does the same by hand (rumpclient_prefork/fork_init).  exec
 * keeps the connection (rumpclient_exec).
 *
 * In-process: the kernel libraries are loaded into the program (the
 * platform with RTLD_GLOBAL for the kernel's hypercalls, the components
 * with RTLD_LOCAL) and boot; image= is mounted and made the root.  The
 * kernel also serves remote clients on a private unix socket, and this
 * process connects to it through librumpclient: its own calls run
 * in-process, as lwps of that connection's kernel process, so that a
 * fork makes a kernel child of exactly that process, and the host child
 * goes on as a remote client.  An exec in the process that runs the
 * kernel cannot keep it: the exec happens in a forked child instead, and
 * the parent waits for it, passing on its exit status, then halts the
 * kernel (which writes the image back).  The kernel is halted as well
 * when the process exits.
 *
 * The first thread that calls hj_kernel_init does so before any other
 * thread of ours exists; hj_kmode and the function pointers are constant
 * after that, except in a forked child, which has one thread.
 */

#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <linux/reboot.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <rump/rumpvfs.h>

#include "hijack.h"

static enum { K_NONE, K_LOCAL, K_REMOTE } hj_kmode;
static bool hj_khost;		/* this process runs the kernel */
static bool hj_halted;
static int hj_kpid;		/* in-process: our kernel process */
static char hj_sockdir[64];	/* in-process: where the socket is */
bool hj_trace;
static __thread bool hj_libcfork __attribute__((tls_model("initial-exec")));
static __thread bool hj_lwpbound __attribute__((tls_model("initial-exec")));

static int (*k_syscall)(int, const long *, int, long *);
static int (*k_newlwp)(int);
static int (*c_syscall)(int, const int64_t *, int, int64_t *);
static int (*c_init)(void);
static void *(*c_prefork)(void);
static int (*c_fork_init)(void *);
static void (*c_fork_cancel)(void *);
static int (*c_exec)(const char *, char *const[], char *const[]);

static void *
hj_dlopen(const char *name, int mode, char *err, size_t errlen)
{
	char path[HJ_PATHMAX], self[HJ_PATHMAX];
	Dl_info info;
	void *h;

	/* Beside this library: the build tree's lib/, or the installed. */
	if (dladdr((void *)(uintptr_t)hj_dlopen, &info) == 0 ||
	    info.dli_fname == NULL) {
		snprintf(err, errlen, "cannot find where librumphijack is");
		return NULL;
	}
	snprintf(self, sizeof(self), "%s", info.dli_fname);
	snprintf(path, sizeof(path), "%s/%s", dirname(self), name);
	if ((h = dlopen(path, mode)) == NULL)
		snprintf(err, errlen, "%s", dlerror());
	return h;
}

#define SYM(h, var, name) \
	(*(void **)&(var) = dlsym((h), (name))) == NULL

static int
hj_client_load(char *err, size_t errlen)
{
	void *h;

	if ((h = hj_dlopen("librumpclient.so", RTLD_NOW | RTLD_LOCAL, err,
	    errlen)) == NULL)
		return -1;
	if (SYM(h, c_syscall, "rumpclient_syscall") ||
	    SYM(h, c_init, "rumpclient_init") ||
	    SYM(h, c_prefork, "rumpclient_prefork") ||
	    SYM(h, c_fork_init, "rumpclient_fork_init") ||
	    SYM(h, c_fork_cancel, "rumpclient_fork_cancel") ||
	    SYM(h, c_exec, "rumpclient_exec")) {
		snprintf(err, errlen, "librumpclient.so: %s", dlerror());
		return -1;
	}
	return 0;
}

static int
hj_remote_init(char *err, size_t errlen)
{
	const char *url = getenv("RUMP_SERVER");

	if (hj_client_load(err, errlen) != 0)
		return -1;
	if (c_init() != 0) {
		if (getenv("RUMPCLIENT__EXECFD") != NULL)
			snprintf(err, errlen, "cannot take over the kernel "
			    "connection: %s", strerror(errno));
		else
			snprintf(err, errlen, "cannot reach the kernel at "
			    "RUMP_SERVER=%s: %s", url ? url : "", strerror(errno));
		return -1;
	}
	hj_kmode = K_REMOTE;
	return 0;
}

/* The image's file system type from its superblock, or NULL. */
static const char *
hj_image_type(const char *image)
{
	unsigned char m[2];
	int fd;
	ssize_t n;

	if ((fd = open(image, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	n = pread(fd, m, sizeof(m), 1024 + 56);
	close(fd);
	if (n == 2 && m[0] == 0x53 && m[1] == 0xef)
		return "ext4";		/* which takes ext2 and ext3 too */
	return NULL;
}

static int
hj_mount_image(void *h, char *err, size_t errlen)
{
	int (*etfs)(const char *, const char *, enum rump_etfs_type);
	const char *type = hj_cfg.fstype[0] ? hj_cfg.fstype : NULL;
	struct stat st;
	long r;
	int e;

	if (stat(hj_cfg.image, &st) == -1) {
		snprintf(err, errlen, "image=%s: %s", hj_cfg.image,
		    strerror(errno));
		return -1;
	}
	if (type == NULL && (type = hj_image_type(hj_cfg.image)) == NULL) {
		snprintf(err, errlen, "image=%s: unknown file system type "
		    "(give it with type=)", hj_cfg.image);
		return -1;
	}
	if (SYM(h, etfs, "rump_pub_etfs_register")) {
		snprintf(err, errlen, "%s", dlerror());
		return -1;
	}
	if ((e = etfs("/dev/xbd0", hj_cfg.image, RUMP_ETFS_BLK)) != 0) {
		snprintf(err, errlen, "image=%s: %s", hj_cfg.image,
		    strerror(e));
		return -1;
	}
	hj_rump2(SYS_mkdir, "/mnt", 0755);
	r = hj_rump(SYS_mount, (long)"/dev/xbd0", (long)"/mnt", (long)type,
	    hj_cfg.readonly ? MS_RDONLY : 0, 0, 0);
	if (r < 0) {
		snprintf(err, errlen, "mount %s (type %s): %s", hj_cfg.image,
		    type, strerror((int)-r));
		return -1;
	}
	return 0;
}

/* Serve the kernel on a private socket and connect to it ourselves. */
static int
hj_self_connect(void *h, char *err, size_t errlen)
{
	int (*serve)(const char *);
	char url[128];
	int e;

	if (SYM(h, serve, "rump_init_server")) {
		snprintf(err, errlen, "%s", dlerror());
		return -1;
	}
	snprintf(hj_sockdir, sizeof(hj_sockdir), "/tmp/rumphijack.XXXXXX");
	if (mkdtemp(hj_sockdir) == NULL) {
		snprintf(err, errlen, "mkdtemp: %s", strerror(errno));
		return -1;
	}
	snprintf(url, sizeof(url), "unix://%s/k", hj_sockdir);
	if ((e = serve(url)) != 0) {
		snprintf(err, errlen, "rump_init_server %s: %s", url,
		    strerror(e));
		return -1;
	}
	if (hj_client_load(err, errlen) != 0)
		return -1;
	setenv("RUMP_SERVER", url, 1);
	e = c_init() == 0 ? 0 : errno;
	unsetenv("RUMP_SERVER");
	if (e != 0) {
		snprintf(err, errlen, "connect %s: %s", url, strerror(e));
		return -1;
	}
	return 0;
}

static int
hj_local_init(char *err, size_t errlen)
{
	int (*init)(void);
	int64_t rv[2];
	void *h;
	int e;

	/* In dependency order: they find each other by their sonames. */
	if (hj_dlopen("librumpuser.so", RTLD_NOW | RTLD_GLOBAL, err,
	    errlen) == NULL ||
	    hj_dlopen("librump.so", RTLD_NOW | RTLD_LOCAL, err,
	    errlen) == NULL ||
	    hj_dlopen("librumpvfs.so", RTLD_NOW | RTLD_LOCAL, err,
	    errlen) == NULL ||
	    hj_dlopen("librumpfs_tmpfs.so", RTLD_NOW | RTLD_LOCAL, err,
	    errlen) == NULL ||
	    (h = hj_dlopen("librumpfs_ext2.so", RTLD_NOW | RTLD_LOCAL, err,
	    errlen)) == NULL)
		return -1;
	if (SYM(h, init, "rump_init") || SYM(h, k_syscall, "rump_syscall") ||
	    SYM(h, k_newlwp, "rump_lwproc_newlwp")) {
		snprintf(err, errlen, "%s", dlerror());
		return -1;
	}
	if ((e = init()) != 0) {
		snprintf(err, errlen, "rump_init: %s", strerror(e));
		return -1;
	}
	hj_kmode = K_LOCAL;
	hj_khost = true;
	hj_lwpbound = true;	/* the default process, until we have ours */
	if (hj_cfg.image[0] != '\0' && hj_mount_image(h, err, errlen) != 0)
		goto fail;
	if (hj_self_connect(h, err, errlen) != 0)
		goto fail;
	if ((e = c_syscall(SYS_getpid, NULL, 0, rv)) != 0 ||
	    (e = k_newlwp((int)rv[0])) != 0) {
		snprintf(err, errlen, "our kernel process: %s", strerror(e));
		goto fail;
	}
	hj_kpid = (int)rv[0];
	if (hj_cfg.image[0] != '\0' && (hj_rump1(SYS_chroot, "/mnt") < 0 ||
	    hj_rump1(SYS_chdir, "/") < 0)) {
		snprintf(err, errlen, "chroot to the image failed");
		goto fail;
	}
	return 0;
 fail:
	hj_kernel_halt();
	return -1;
}

/*
 * Inside fork(3) (whoever called it: our fork, or a library that
 * interposes fork before us), librumpclient's own atfork handlers get the
 * child its kernel process; a raw fork that we trap must not do it again.
 */
static void
hj_atfork_prepare(void)
{

	hj_libcfork = true;
}

static void
hj_atfork_done(void)
{

	hj_libcfork = false;
}

int
hj_kernel_init(char *err, size_t errlen)
{

	pthread_atfork(hj_atfork_prepare, hj_atfork_done, hj_atfork_done);
	if (getenv("RUMPCLIENT__EXECFD") != NULL ||
	    getenv("RUMP_SERVER") != NULL)
		return hj_remote_init(err, errlen);
	return hj_local_init(err, errlen);
}

long
hj_rump(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	long a[6] = { a0, a1, a2, a3, a4, a5 }, rv[2] = { 0, 0 };
	int error;

	switch (hj_kmode) {
	case K_LOCAL:
		if (!hj_lwpbound) {
			/* A thread's first call: an lwp of our process. */
			if ((error = k_newlwp(hj_kpid)) != 0)
				return -error;
			hj_lwpbound = true;
		}
		error = k_syscall((int)nr, a, 6, rv);
		break;
	case K_REMOTE:
		error = c_syscall((int)nr, (const int64_t *)a, 6,
		    (int64_t *)rv);
		break;
	default:
		error = ENOSYS;
		break;
	}
	if (hj_trace)
		hj_trace_call(nr, a, error != 0 ? -error : rv[0]);
	return error != 0 ? -error : rv[0];
}

/* RUMPHIJACK_TRACE=1: each kernel call on standard error. */
void
hj_trace_call(long nr, const long a[6], long r)
{
	char buf[256];
	int n;

	n = snprintf(buf, sizeof(buf), "rumphijack[%ld]: %ld(%#lx, %#lx, "
	    "%#lx, %#lx) = %ld\n", hj_host0(SYS_getpid), nr, a[0], a[1], a[2],
	    a[3], r);
	if (n > 0)
		hj_host3(SYS_write, 2, buf, (size_t)n < sizeof(buf) ? n :
		    (int)sizeof(buf) - 1);
}

bool
hj_kernel_host(void)
{

	return hj_khost;
}

/* In a new child of the host: a remote client, trapping. */
static void
hj_after_fork(void)
{

	if (hj_kmode == K_LOCAL)
		hj_kmode = K_REMOTE;
	hj_khost = false;
	hj_selfpid = 0;
	hj_sockdir[0] = '\0';
	if (hj_trap_thread() != 0)
		hj_die("rumphijack: a forked child cannot trap its system "
		    "calls");
}

pid_t
hj_fork(void)
{
	static pid_t (*real)(void);
	pid_t pid;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "fork");
	/* librumpclient's atfork handlers carry the kernel process. */
	if ((pid = real()) == 0)
		hj_after_fork();
	return pid;
}

long
hj_fork_call(long nr, long a0, long a1, long a2, long a3, long a4)
{
	void *rf = NULL;
	long r;

	if (hj_kmode != K_NONE && !hj_libcfork && (rf = c_prefork()) == NULL)
		return -(errno ? errno : EAGAIN);
	r = hj_host(nr, a0, a1, a2, a3, a4, 0);
	if (r == 0) {
		if (rf != NULL && c_fork_init(rf) != 0)
			hj_die("rumphijack: a forked child cannot reach the "
			    "kernel: %s", strerror(errno));
		hj_after_fork();
	} else if (rf != NULL)
		c_fork_cancel(rf);
	return r;
}

static pid_t hj_waited;

static void
hj_forward(int sig)
{

	if (hj_waited > 0)
		kill(hj_waited, sig);
}

/*
 * The kernel's process waits for the child that took over its exec, then
 * halts the kernel and ends as the child did.
 */
static void __attribute__((noreturn))
hj_wait_exit(pid_t pid)
{
	static const int fwd[] = { SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM };
	struct sigaction sa;
	sigset_t set;
	size_t i;
	int st = 0;

	hj_waited = pid;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = hj_forward;
	sigemptyset(&set);
	for (i = 0; i < sizeof(fwd) / sizeof(fwd[0]); i++) {
		sigaction(fwd[i], &sa, NULL);
		sigaddset(&set, fwd[i]);
	}
	/* The terminal's signals reach the child itself. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		continue;
	hj_kernel_halt();
	if (WIFSIGNALED(st)) {
		signal(WTERMSIG(st), SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, WTERMSIG(st));
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		kill(getpid(), WTERMSIG(st));
		_exit(128 + WTERMSIG(st));
	}
	_exit(WEXITSTATUS(st));
}

/* exec in the process that runs the kernel: see the top. */
static long
hj_exec_khost(const char *path, char *const argv[], char *const envp[])
{
	int p[2], e = 0;
	ssize_t n;
	long pid;

	if (pipe2(p, O_CLOEXEC) == -1)
		return -errno;
	if ((pid = hj_fork_call(SYS_fork, 0, 0, 0, 0, 0)) < 0) {
		close(p[0]);
		close(p[1]);
		return pid;
	}
	if (pid == 0) {
		close(p[0]);
		c_exec(path, argv, envp);
		e = errno;
		(void)!write(p[1], &e, sizeof(e));
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], &e, sizeof(e))) == -1 && errno == EINTR)
		continue;
	close(p[0]);
	if (n == (ssize_t)sizeof(e)) {
		while (waitpid((pid_t)pid, NULL, 0) == -1 && errno == EINTR)
			continue;
		return -e;
	}
	hj_wait_exit((pid_t)pid);
}

long
hj_exec(const char *path, char *const argv[], char *const envp[])
{
	static const char var[] = "RUMPHIJACK__STATE=";
	char state[8192], **nenv;
	size_t i, j, n;
	long r;

	for (n = 0; envp != NULL && envp[n] != NULL; n++)
		continue;
	if ((nenv = malloc((n + 2) * sizeof(*nenv))) == NULL)
		return -ENOMEM;
	memcpy(state, var, sizeof(var) - 1);
	state[sizeof(var) - 1] = hj_cwd_rump ? '1' : '0';
	state[sizeof(var)] = ';';
	hj_fd_state_env(state + sizeof(var) + 1,
	    sizeof(state) - sizeof(var) - 1);
	for (i = j = 0; i < n; i++)
		if (strncmp(envp[i], var, sizeof(var) - 1) != 0)
			nenv[j++] = envp[i];
	nenv[j++] = state;
	nenv[j] = NULL;
	if (hj_khost)
		r = hj_exec_khost(path, argv, nenv);
	else if (hj_kmode != K_NONE)
		r = c_exec(path, argv, nenv) == -1 ? -errno : 0;
	else
		r = hj_host3(SYS_execve, path, argv, nenv);
	free(nenv);
	return r;
}

void
hj_kernel_halt(void)
{
	char path[sizeof(hj_sockdir) + 4];

	if (!hj_khost || hj_halted)
		return;
	hj_halted = true;
	hj_rump0(SYS_sync);
	hj_rump(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	    LINUX_REBOOT_CMD_HALT, 0, 0, 0);
	if (hj_sockdir[0] != '\0') {
		snprintf(path, sizeof(path), "%s/k", hj_sockdir);
		unlink(path);
		rmdir(hj_sockdir);
	}
}
