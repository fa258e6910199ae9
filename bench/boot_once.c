/*
 * boot_once.c: one sample of the boot benchmark, in a fresh process.
 *
 * Boots a rump kernel once, timing rump_init() on CLOCK_MONOTONIC, reads
 * the process's resident set before and after the boot, then halts the
 * kernel (timed too) and prints one line:
 *
 *	init_ns halt_ns rss_before rss_after anon_before anon_after
 *
 * rss is the whole resident set in bytes, anon its private part (resident
 * minus the pages backed by files, such as the C library's code).
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

/*
 * Resident bytes from /proc/self/statm: all of them (*rss) and those not
 * backed by a file (*anon).  Zero if unknown.
 */
static void
rss_bytes(uint64_t *rss, uint64_t *anon)
{
	char buf[128], *p;
	uint64_t pg = (uint64_t)sysconf(_SC_PAGESIZE), resident, shared;
	ssize_t n;
	int fd;

	*rss = *anon = 0;
	if ((fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	strtoull(buf, &p, 10);		/* size */
	resident = strtoull(p, &p, 10);
	shared = strtoull(p, NULL, 10);
	*rss = resident * pg;
	*anon = (resident - shared) * pg;
}

int
main(void)
{
	uint64_t t0, t1, t2, t3, rss0, rss1, anon0, anon1;
	int error;

	rss_bytes(&rss0, &anon0);
	t0 = now_ns();
	error = rump_init();
	t1 = now_ns();
	if (error != 0) {
		fprintf(stderr, "boot_once: rump_init: %s\n", strerror(error));
		return 1;
	}
	rss_bytes(&rss1, &anon1);
	t2 = now_ns();
	if (rump_sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	    LINUX_REBOOT_CMD_HALT, NULL) == -1) {
		fprintf(stderr, "boot_once: reboot: %s\n", strerror(errno));
		return 1;
	}
	t3 = now_ns();
	printf("%llu %llu %llu %llu %llu %llu\n", (unsigned long long)(t1 - t0),
	    (unsigned long long)(t3 - t2), (unsigned long long)rss0,
	    (unsigned long long)rss1, (unsigned long long)anon0,
	    (unsigned long long)anon1);
	return 0;
}
