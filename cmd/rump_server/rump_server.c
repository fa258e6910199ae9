/*
 * rump_server: host a rump kernel in this process and serve it to remote
 * clients (librumpclient) at a URL.
 *
 *   rump_server [-s] [-c ncpu] [-r memlimit] [-l library]... [-m module]...
 *       [-d drivespec]... URL
 *
 * -l NAME loads the component library libNAME.so (e.g. -lrumpvfs
 * -lrumpfs_tmpfs) and -m PATH a component library by its file name, both
 * before the kernel boots, so their components register (a component
 * library's constructor does that).  -d registers a host file as a device
 * or file inside the kernel (etfs): key=/dev/xbd0,hostpath=disk.img,
 * size=host|BYTES[,offset=BYTES][,type=blk|chr|reg].  -c and -r set
 * RUMP_NCPU and RUMP_MEMLIMIT.  URL is unix://PATH or tcp://ADDR:PORT
 * (docs/sysproxy.md).
 *
 * Everything that can be wrong is found before the server detaches: the
 * command line, a missing image, a component library that does not load,
 * the kernel's boot, the socket (busy, not creatable).  Each prints one
 * line naming what failed and the server exits with status 1.  Without
 * -s, the process forks twice; the first parent waits until the server
 * says it serves (or failed), and exits 0 (or 1).  The server itself runs
 * in a new session with its standard streams on /dev/null, in the same
 * working directory (relative paths in the URL and -d keep their
 * meaning).
 *
 * The server exits 0 when the kernel halts (rump.halt), or on SIGTERM,
 * SIGINT or SIGHUP, after syncing and halting the kernel.
 */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>

#include "rump_server.h"

#define REBOOT_MAGIC1		0xfee1dead
#define REBOOT_MAGIC2		672274793
#define REBOOT_CMD_POWER_OFF	0x4321fedc

static const char *progname = "rump_server";
static int status_fd = -1;	/* to the waiting parent, without -s */

static void
usage(void)
{

	fprintf(stderr, "usage: %s [-s] [-c ncpu] [-r memlimit] "
	    "[-l library]... [-m module]... [-d drivespec]... URL\n",
	    progname);
	exit(1);
}

/* Say what failed and exit 1; the waiting parent exits 1 too. */
static void
die(const char *fmt, ...)
{
	va_list ap;
	char c;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (status_fd != -1) {
		c = 1;	/* said it: the waiting parent exits quietly */
		if (write(status_fd, &c, 1) != 1)
			_exit(1);
	}
	exit(1);
}

/*
 * Detaching: fork twice; the first process waits on a pipe for one byte
 * from the server (0: serving) and exits with the status it implies.
 */
static void
detach(void)
{
	int pfd[2], status;
	pid_t pid;
	char c;
	ssize_t n;

	if (pipe(pfd) == -1)
		die("pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid == -1)
		die("fork: %s", strerror(errno));
	if (pid > 0) {
		close(pfd[1]);
		do
			n = read(pfd[0], &c, 1);
		while (n == -1 && errno == EINTR);
		waitpid(pid, &status, 0);
		if (n == 1 && c == 0)
			exit(0);
		if (n != 1)
			fprintf(stderr, "%s: the server died before it "
			    "served\n", progname);
		exit(1);
	}
	close(pfd[0]);
	if (setsid() == -1)
		die("setsid: %s", strerror(errno));
	pid = fork();
	if (pid == -1)
		die("fork: %s", strerror(errno));
	if (pid > 0)
		_exit(0);
	status_fd = pfd[1];
}

/* Serving: tell the waiting parent, and let go of the terminal. */
static void
detached(void)
{
	char c;
	int fd;

	if (status_fd == -1)
		return;
	fd = open("/dev/null", O_RDWR);
	if (fd != -1) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	c = 0;
	if (write(status_fd, &c, 1) != 1)
		_exit(1);
	close(status_fd);
	status_fd = -1;
}

/*
 * Component libraries are looked for beside librump.so first (where
 * this program found its kernel), then where the dynamic linker looks.
 */
static void *
load_library(const char *file)
{
	char path[PATH_MAX];
	Dl_info info;
	const char *slash;
	void *h;

	if (strchr(file, '/') == NULL &&
	    dladdr((void *)(uintptr_t)rump_init, &info) != 0 &&
	    info.dli_fname != NULL &&
	    (slash = strrchr(info.dli_fname, '/')) != NULL &&
	    snprintf(path, sizeof(path), "%.*s/%s",
	    (int)(slash - info.dli_fname), info.dli_fname, file) <
	    (int)sizeof(path)) {
		h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
		if (h != NULL)
			return h;
	}
	return dlopen(file, RTLD_NOW | RTLD_GLOBAL);
}

static void
load_components(const struct server_args *sa)
{
	char file[PATH_MAX];
	int i;

	for (i = 0; i < sa->nlibs; i++) {
		server_libfile(sa->libs[i], file, sizeof(file));
		if (load_library(file) == NULL)
			die("-l %s: cannot load %s: %s", sa->libs[i], file,
			    dlerror());
		/* The VFS faction's root is tmpfs: -lrumpvfs brings it. */
		if (strcmp(sa->libs[i], "rumpvfs") == 0) {
			server_libfile("rumpfs_tmpfs", file, sizeof(file));
			if (load_library(file) == NULL)
				die("-l rumpvfs: cannot load %s, its root "
				    "file system: %s", file, dlerror());
		}
	}
	for (i = 0; i < sa->nmods; i++)
		if (dlopen(sa->mods[i], RTLD_NOW | RTLD_GLOBAL) == NULL)
			die("-m %s: cannot load it: %s", sa->mods[i],
			    dlerror());
}

typedef int (*etfs_register_fn)(const char *, const char *,
    enum rump_etfs_type, uint64_t, uint64_t);

static void
register_drives(const struct server_args *sa)
{
	etfs_register_fn reg;
	const struct server_drive *d;
	int error, i;

	if (sa->ndrives == 0)
		return;
	reg = (etfs_register_fn)(uintptr_t)dlsym(RTLD_DEFAULT,
	    "rump_pub_etfs_register_withsize");
	if (reg == NULL)
		die("-d needs the VFS faction: add -lrumpvfs -lrumpfs_tmpfs");
	for (i = 0; i < sa->ndrives; i++) {
		d = &sa->drives[i];
		error = reg(d->key, d->hostpath, d->type, d->offset, d->size);
		if (error != 0)
			die("-d key=%s,hostpath=%s: %s", d->key, d->hostpath,
			    strerror(error));
	}
}

static bool
kernel_running(void)
{

	return rump_sys_getpid() != -1 || errno != ENXIO;
}

int
main(int argc, char **argv)
{
	struct server_args sa;
	struct timespec tick;
	char msg[256];
	sigset_t sigs;
	int error, sig;

	if (argc > 0 && argv[0] != NULL && strrchr(argv[0], '/') != NULL)
		progname = strrchr(argv[0], '/') + 1;
	else if (argc > 0 && argv[0] != NULL)
		progname = argv[0];
	error = server_parse_args(argc, argv, &sa, msg, sizeof(msg));
	if (error != 0) {
		if (msg[0] != '\0')
			fprintf(stderr, "%s: %s\n", progname, msg);
		if (error == SERVER_USAGE)
			usage();
		exit(1);
	}
	if (sa.ncpu != NULL)
		setenv("RUMP_NCPU", sa.ncpu, 1);
	if (sa.memlimit != NULL)
		setenv("RUMP_MEMLIMIT", sa.memlimit, 1);
	if (!sa.foreground)
		detach();

	/* The kernel's threads inherit this mask: only main waits. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	load_components(&sa);
	error = rump_init();
	if (error != 0)
		die("cannot boot the kernel: %s", strerror(error));
	register_drives(&sa);
	error = rump_init_server(sa.url);
	if (error != 0)
		die("%s: %s", sa.url, strerror(error));
	detached();

	/* Wait for a signal, or for the kernel to halt (rump.halt with
	 * LINUX_REBOOT_CMD_HALT leaves the process without a kernel). */
	sigdelset(&sigs, SIGPIPE);
	tick.tv_sec = 1;
	tick.tv_nsec = 0;
	for (;;) {
		sig = sigtimedwait(&sigs, NULL, &tick);
		if (sig > 0)
			break;
		if (!kernel_running())
			return 0;
	}
	rump_sys_sync();
	rump_sys_reboot(REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF,
	    NULL);
	return 0;
}
