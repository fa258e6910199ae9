/*
 * boot_once.c: one sample of the boot benchmark, in a fresh process.
 *
 * Boots a rump kernel once, timing rump_init() on CLOCK_MONOTONIC, reads
 * the process's resident set before and after the boot, then halts the
 * kernel (timed too) and prints one line:
 *
 *	init_ns halt_ns rss_before_bytes rss_after_bytes
 *
 * bench_main runs this program many times (fork and exec) and takes the
 * medians.  The resident set is read from /proc/self/statm with read(2)
 * into a buffer on the stack, so that measuring allocates nothing.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Resident bytes, from the second field of /proc/self/statm; 0 if unknown. */
static uint64_t
rss_bytes(void)
{
	char buf[128], *p;
	ssize_t n;
	int fd;

	if ((fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	strtoull(buf, &p, 10);		/* size */
	return strtoull(p, NULL, 10) * (uint64_t)sysconf(_SC_PAGESIZE);
}

int
main(void)
{
	uint64_t t0, t1, t2, t3, rss0, rss1;
	int error;

	rss0 = rss_bytes();
	t0 = now_ns();
	error = rump_init();
	t1 = now_ns();
	if (error != 0) {
		fprintf(stderr, "boot_once: rump_init: %s\n", strerror(error));
		return 1;
	}
	rss1 = rss_bytes();
	t2 = now_ns();
	if (rump_sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	    LINUX_REBOOT_CMD_HALT, NULL) == -1) {
		fprintf(stderr, "boot_once: reboot: %s\n", strerror(errno));
		return 1;
	}
	t3 = now_ns();
	printf("%llu %llu %llu %llu\n", (unsigned long long)(t1 - t0),
	    (unsigned long long)(t3 - t2), (unsigned long long)rss0,
	    (unsigned long long)rss1);
	return 0;
}
