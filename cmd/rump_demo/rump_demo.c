/*
 * rump_demo: boot a rump kernel in this process and show it working.
 *
 * An example of the API: rump_init() boots a kernel from the components
 * linked into the program, rump_sys_* are its system calls (Linux ABI,
 * -1 and errno on error), rump_lwproc_* let one host thread act as
 * several kernel processes, and rump_sys_reboot() halts the kernel.
 *
 * RUMP_HOSTNAME, RUMP_NCPU, RUMP_MEMLIMIT and RUMP_VERBOSE in the
 * environment are read by the kernel at boot.
 */

#include <errno.h>
#include <linux/reboot.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

static const char *progname = "rump_demo";

/* Say what failed, like coreutils do, and exit. */
static void
die(int error, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(error));
	exit(1);
}

static double
host_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Who the calling thread is inside the kernel. */
static void
show_process(const char *name)
{
	uid_t ruid, euid, suid;

	if (rump_sys_getresuid(&ruid, &euid, &suid) == -1)
		die(errno, "getresuid");
	printf("  %-16s pid %d, parent %d, uid %u (effective %u)\n", name,
	    (int)rump_sys_getpid(), (int)rump_sys_getppid(), (unsigned)ruid,
	    (unsigned)euid);
}

/* A new process, a child of the default one; returns its lwp. */
static struct lwp *
new_process(void)
{
	struct lwp *l;
	int error;

	rump_lwproc_switch(NULL);	/* back to the default process */
	if ((error = rump_lwproc_rfork(RUMP_RFCFDG)) != 0)
		die(error, "rump_lwproc_rfork");
	l = rump_lwproc_curlwp();
	return l;
}

static void
show_processes(void)
{
	struct lwp *alice, *bob;

	printf("Processes (one host thread acting as several):\n");
	show_process("default process");

	alice = new_process();
	if (rump_sys_setuid(1000) == -1)
		die(errno, "setuid 1000");
	show_process("alice, setuid");

	bob = new_process();
	show_process("bob");

	rump_lwproc_switch(alice);
	if (rump_sys_setuid(0) == 0)
		die(EINVAL, "alice got root back with setuid 0");
	printf("  %-16s setuid(0): %s, as it should\n", "alice again",
	    strerror(errno));

	rump_lwproc_releaselwp();	/* alice exits */
	rump_lwproc_switch(bob);
	rump_lwproc_releaselwp();	/* and bob */
	printf("  (both exited; the thread is back in the default process, "
	    "pid %d)\n\n", (int)rump_sys_getpid());
}

static void
show_time_and_randomness(void)
{
	struct timespec rt, mono;
	unsigned char r[16];
	char date[64];
	struct tm tm;
	ssize_t n;
	int i;

	if (rump_sys_clock_gettime(CLOCK_REALTIME, &rt) == -1)
		die(errno, "clock_gettime CLOCK_REALTIME");
	if (rump_sys_clock_gettime(CLOCK_MONOTONIC, &mono) == -1)
		die(errno, "clock_gettime CLOCK_MONOTONIC");
	gmtime_r(&rt.tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("Clocks:\n  %-16s %s\n  %-16s %lld.%09ld s\n\n",
	    "realtime", date, "monotonic", (long long)mono.tv_sec,
	    mono.tv_nsec);

	if ((n = rump_sys_getrandom(r, sizeof(r), 0)) == -1)
		die(errno, "getrandom");
	printf("Randomness (getrandom, %zd bytes):\n  ", n);
	for (i = 0; i < n; i++)
		printf("%02x", r[i]);
	printf("\n\n");
}

int
main(void)
{
	struct utsname u;
	double t0, t1;
	int error;

	t0 = host_ms();
	if ((error = rump_init()) != 0)
		die(error, "rump_init");
	t1 = host_ms();
	printf("Booted a rump kernel in %.3f ms.\n\n", t1 - t0);

	if (rump_sys_uname(&u) == -1)
		die(errno, "uname");
	printf("uname (from inside the kernel):\n");
	printf("  %-16s %s\n  %-16s %s\n  %-16s %s\n  %-16s %s\n\n",
	    "sysname", u.sysname, "nodename", u.nodename, "release",
	    u.release, "machine", u.machine);

	show_processes();
	show_time_and_randomness();

	t0 = host_ms();
	if (rump_sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	    LINUX_REBOOT_CMD_HALT, NULL) == -1)
		die(errno, "reboot");
	t1 = host_ms();
	printf("Halted the kernel in %.3f ms; its threads are joined and its "
	    "memory freed.\n", t1 - t0);
	if (rump_sys_getpid() != -1 || errno != ENXIO)
		die(EINVAL, "a system call after the halt did not fail");
	return 0;
}
