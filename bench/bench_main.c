/*
 * bench_main.c: the benchmarks of the kernel base (make bench).
 *
 * Each benchmark runs against a peer measured in the same run, on the
 * same machine, and prints medians and the ratio; nothing passes or fails
 * on time.  The summary at the end compares each median with the target
 * of issue 2 and says whether it was met.
 *
 *   boot	rump_init() in a fresh process: boot_once (argv[1]) is run
 *		BENCH_BOOTS times (default 200) by fork and exec; it times
 *		rump_init() and the halt itself and reports its resident set
 *		before and after the boot.  Peer: fork, exec and wait of a
 *		program that does nothing (/bin/true).
 *   getpid	rump_sys_getpid() against the host's getpid system call
 *		(syscall(SYS_getpid), never libc's cached value): without an
 *		lwp (a temporary one per call), with a bound lwp (after
 *		rump_lwproc_rfork), and from two threads at once (the
 *		wall time of both per call of one).
 *   memory	resident bytes that the boot adds (from the boot samples):
 *		all of them, and the private ones (not backed by a file:
 *		the C library's code pages that the boot touches first are
 *		in the first and not in the second).  Peer: the same of the
 *		process before the boot.
 */

#include <errno.h>
#include <linux/reboot.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define GETPID_ITERS	200000	/* calls per timed run */
#define GETPID_ROUNDS	9	/* runs of each kind; the median is kept */
#define MT_ROUNDS	5
#define MAXSAMPLES	2000

static const char *progname = "rump_bench";

static void
die(const char *what, int error)
{

	fprintf(stderr, "%s: %s: %s\n", progname, what, strerror(error));
	exit(1);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile (0 <= q <= 1) of v[0..n-1], nearest rank; sorts v. */
static double
quantile(double *v, int n, double q)
{

	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[(int)(q * (n - 1) + 0.5)];
}

/* ---- the summary table ---- */

struct result {
	const char *metric;
	const char *unit;
	double median, peer, target;
	const char *peername;
};

static struct result results[10];
static int nresults;

static void
result_add(const char *metric, const char *unit, double median, double peer,
    const char *peername, double target)
{

	results[nresults++] = (struct result){ metric, unit, median, peer,
	    target, peername };
}

/* ---- boot: fresh processes ---- */

/* Run argv, return its wall time in ns; its first output line to line. */
static uint64_t
spawn(char *const argv[], char *line, size_t linelen)
{
	uint64_t t0, t1;
	int fds[2], status;
	ssize_t n;
	size_t got = 0;
	pid_t pid;

	if (pipe(fds) == -1)
		die("pipe", errno);
	t0 = now_ns();
	if ((pid = fork()) == -1)
		die("fork", errno);
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], argv);
		fprintf(stderr, "%s: %s: %s\n", progname, argv[0],
		    strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	while (got + 1 < linelen &&
	    (n = read(fds[0], line + got, linelen - 1 - got)) > 0)
		got += (size_t)n;
	line[got] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) == -1)
		die("waitpid", errno);
	t1 = now_ns();
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "%s: %s failed\n", progname, argv[0]);
		exit(1);
	}
	return t1 - t0;
}

static void
bench_boot(const char *boot_once, int n)
{
	static double init[MAXSAMPLES], halt[MAXSAMPLES], both[MAXSAMPLES],
	    rss0[MAXSAMPLES], drss[MAXSAMPLES], anon0[MAXSAMPLES],
	    danon[MAXSAMPLES], peer[MAXSAMPLES];
	char *bargv[] = { (char *)boot_once, NULL };
	char *targv[] = { "/bin/true", NULL };
	unsigned long long a, b, c, d, e, f;
	char line[256];
	double med_init, med_both, med_peer, med_rss0, med_drss, med_anon0,
	    med_danon;
	int i;

	for (i = 0; i < n; i++) {
		spawn(bargv, line, sizeof(line));
		if (sscanf(line, "%llu %llu %llu %llu %llu %llu", &a, &b, &c,
		    &d, &e, &f) != 6) {
			fprintf(stderr, "%s: %s: bad output: %s\n", progname,
			    boot_once, line);
			exit(1);
		}
		init[i] = (double)a;
		halt[i] = (double)b;
		both[i] = (double)(a + b);
		rss0[i] = (double)c;
		drss[i] = (double)d - (double)c;
		anon0[i] = (double)e;
		danon[i] = (double)f - (double)e;
		peer[i] = (double)spawn(targv, line, sizeof(line));
	}

	printf("boot: rump_init() in a fresh process, %d processes\n", n);
	printf("  %-28s p10 %8.1f  median %8.1f  p90 %8.1f us\n",
	    "rump_init", quantile(init, n, 0.1) / 1e3,
	    (med_init = quantile(init, n, 0.5)) / 1e3,
	    quantile(init, n, 0.9) / 1e3);
	printf("  %-28s p10 %8.1f  median %8.1f  p90 %8.1f us\n",
	    "halt (rump_sys_reboot)", quantile(halt, n, 0.1) / 1e3,
	    quantile(halt, n, 0.5) / 1e3, quantile(halt, n, 0.9) / 1e3);
	printf("  %-28s p10 %8.1f  median %8.1f  p90 %8.1f us\n",
	    "boot + halt", quantile(both, n, 0.1) / 1e3,
	    (med_both = quantile(both, n, 0.5)) / 1e3,
	    quantile(both, n, 0.9) / 1e3);
	printf("  %-28s p10 %8.1f  median %8.1f  p90 %8.1f us\n",
	    "peer: fork+exec+wait true", quantile(peer, n, 0.1) / 1e3,
	    (med_peer = quantile(peer, n, 0.5)) / 1e3,
	    quantile(peer, n, 0.9) / 1e3);
	printf("memory: resident set added by rump_init, same processes\n");
	printf("  %-28s p10 %8.1f  median %8.1f  p90 %8.1f KiB\n",
	    "added by the boot", quantile(drss, n, 0.1) / 1024,
	    (med_drss = quantile(drss, n, 0.5)) / 1024,
	    quantile(drss, n, 0.9) / 1024);
	printf("  %-28s median %8.1f KiB\n", "peer: process before boot",
	    (med_rss0 = quantile(rss0, n, 0.5)) / 1024);
	printf("  %-28s p10 %8.1f  median %8.1f  p90 %8.1f KiB\n",
	    "private part, added", quantile(danon, n, 0.1) / 1024,
	    (med_danon = quantile(danon, n, 0.5)) / 1024,
	    quantile(danon, n, 0.9) / 1024);
	printf("  %-28s median %8.1f KiB\n\n", "peer: private, before boot",
	    (med_anon0 = quantile(anon0, n, 0.5)) / 1024);

	result_add("rump_init, first boot", "us", med_init / 1e3,
	    med_peer / 1e3, "fork+exec true", 1000);
	result_add("boot + halt", "us", med_both / 1e3, med_peer / 1e3,
	    "fork+exec true", 0);
	result_add("RSS added by the boot", "KiB", med_drss / 1024,
	    med_rss0 / 1024, "process RSS", 256);
	result_add("private RSS added", "KiB", med_danon / 1024,
	    med_anon0 / 1024, "process private", 256);
}

/* ---- getpid: one thread ---- */

/* ns per call of n calls. */
static double
time_host(int n)
{
	uint64_t t0 = now_ns();
	int i;

	for (i = 0; i < n; i++)
		syscall(SYS_getpid);
	return (double)(now_ns() - t0) / n;
}

static double
time_rump(int n)
{
	uint64_t t0 = now_ns();
	int i;

	for (i = 0; i < n; i++)
		rump_sys_getpid();
	return (double)(now_ns() - t0) / n;
}

/* ---- getpid: two threads at once ---- */

enum mode { HOST, RUMP_TEMP, RUMP_BOUND };

struct mt_arg {
	enum mode mode;
	pthread_barrier_t *start;
	uint64_t t0, t1;	/* when it started and finished calling */
	int error;
};

static void *
mt_thread(void *v)
{
	struct mt_arg *a = v;

	if (a->mode == RUMP_BOUND && (a->error = rump_lwproc_rfork(0)) != 0)
		return NULL;
	pthread_barrier_wait(a->start);
	a->t0 = now_ns();
	if (a->mode == HOST)
		time_host(GETPID_ITERS);
	else
		time_rump(GETPID_ITERS);
	a->t1 = now_ns();
	if (a->mode == RUMP_BOUND)
		rump_lwproc_releaselwp();
	return NULL;
}

/*
 * Two threads make GETPID_ITERS calls each at once: the wall time from
 * the first start to the last finish, per call of one thread (so that
 * threads that take turns instead of running side by side show).
 */
static double
time_mt(enum mode mode)
{
	pthread_barrier_t start;
	struct mt_arg a[2];
	pthread_t t[2];
	int i, error;

	pthread_barrier_init(&start, NULL, 2);
	for (i = 0; i < 2; i++) {
		a[i] = (struct mt_arg){ mode, &start, 0, 0, 0 };
		if ((error = pthread_create(&t[i], NULL, mt_thread, &a[i])))
			die("pthread_create", error);
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	for (i = 0; i < 2; i++)
		if (a[i].error != 0)
			die("rump_lwproc_rfork", a[i].error);
	return (double)((a[0].t1 > a[1].t1 ? a[0].t1 : a[1].t1) -
	    (a[0].t0 < a[1].t0 ? a[0].t0 : a[1].t0)) / GETPID_ITERS;
}

static void
bench_getpid(void)
{
	double host[GETPID_ROUNDS], temp[GETPID_ROUNDS], bound[GETPID_ROUNDS];
	double mhost[MT_ROUNDS], mtemp[MT_ROUNDS], mbound[MT_ROUNDS];
	double h, t, b;
	struct lwp *l;
	int i, error;

	if ((error = rump_init()) != 0)
		die("rump_init", error);
	if (rump_sys_getpid() != 1)
		die("rump_sys_getpid: not the default process", EINVAL);
	if ((error = rump_lwproc_rfork(0)) != 0)
		die("rump_lwproc_rfork", error);
	l = rump_lwproc_curlwp();
	rump_lwproc_switch(NULL);

	/* Warm up, then interleave the kinds so that drift hits all. */
	time_host(GETPID_ITERS / 10);
	time_rump(GETPID_ITERS / 10);
	for (i = 0; i < GETPID_ROUNDS; i++) {
		host[i] = time_host(GETPID_ITERS);
		temp[i] = time_rump(GETPID_ITERS);
		rump_lwproc_switch(l);
		bound[i] = time_rump(GETPID_ITERS);
		rump_lwproc_switch(NULL);
	}
	for (i = 0; i < MT_ROUNDS; i++) {
		mhost[i] = time_mt(HOST);
		mtemp[i] = time_mt(RUMP_TEMP);
		mbound[i] = time_mt(RUMP_BOUND);
	}

	printf("getpid: ns per call, median of %d runs of %d calls "
	    "(2 threads: %d runs)\n", GETPID_ROUNDS, GETPID_ITERS, MT_ROUNDS);
	h = quantile(host, GETPID_ROUNDS, 0.5);
	t = quantile(temp, GETPID_ROUNDS, 0.5);
	b = quantile(bound, GETPID_ROUNDS, 0.5);
	printf("  %-36s %8.1f ns\n", "host syscall(SYS_getpid)", h);
	printf("  %-36s %8.1f ns  %5.2fx host\n",
	    "rump_sys_getpid, no lwp (temporary)", t, t / h);
	printf("  %-36s %8.1f ns  %5.2fx host\n",
	    "rump_sys_getpid, bound lwp", b, b / h);
	result_add("getpid, no lwp", "ns", t, h, "host getpid", 0.25);
	result_add("getpid, bound lwp", "ns", b, h, "host getpid", 0.25);

	h = quantile(mhost, MT_ROUNDS, 0.5);
	t = quantile(mtemp, MT_ROUNDS, 0.5);
	b = quantile(mbound, MT_ROUNDS, 0.5);
	printf("  %-36s %8.1f ns\n", "2 threads: host", h);
	printf("  %-36s %8.1f ns  %5.2fx host\n", "2 threads: rump, no lwp",
	    t, t / h);
	printf("  %-36s %8.1f ns  %5.2fx host\n\n",
	    "2 threads: rump, bound lwps", b, b / h);
	result_add("getpid, 2 threads, no lwp", "ns", t, h, "host getpid",
	    0.25);
	result_add("getpid, 2 threads, bound", "ns", b, h, "host getpid",
	    0.25);

	rump_lwproc_switch(l);
	rump_lwproc_releaselwp();
	if (rump_sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	    LINUX_REBOOT_CMD_HALT, NULL) == -1)
		die("rump_sys_reboot", errno);
}

/*
 * The targets: an absolute bound in the metric's unit, or (getpid) a
 * bound on the ratio to the peer; target 0 is none.
 */
static void
summary(void)
{
	const struct result *r;
	char tgt[32];
	double ratio;
	int i, ratio_target;

	printf("%-27s %10s %10s %-15s %7s %9s %4s\n", "metric", "median",
	    "peer", "(peer is)", "ratio", "target", "met");
	for (i = 0; i < nresults; i++) {
		r = &results[i];
		ratio = r->median / r->peer;
		ratio_target = strncmp(r->metric, "getpid", 6) == 0;
		if (r->target == 0)
			snprintf(tgt, sizeof(tgt), "-");
		else if (ratio_target)
			snprintf(tgt, sizeof(tgt), "<=%.2fx", r->target);
		else
			snprintf(tgt, sizeof(tgt), "<%.0f%s", r->target,
			    r->unit);
		printf("%-27s %7.1f%-3s %7.1f%-3s %-15s %6.2fx %9s %4s\n",
		    r->metric, r->median, r->unit, r->peer, r->unit,
		    r->peername, ratio, tgt, r->target == 0 ? "-" :
		    (ratio_target ? ratio <= r->target : r->median < r->target)
		    ? "yes" : "no");
	}
}

int
main(int argc, char **argv)
{
	const char *s;
	int nboots = 200;

	if (argc != 2) {
		fprintf(stderr, "usage: %s boot_once-program\n", progname);
		return 2;
	}
	if ((s = getenv("BENCH_BOOTS")) != NULL)
		nboots = atoi(s);
	if (nboots < 1 || nboots > MAXSAMPLES) {
		fprintf(stderr, "%s: BENCH_BOOTS: not between 1 and %d\n",
		    progname, MAXSAMPLES);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	bench_boot(argv[1], nboots);
	bench_getpid();
	summary();
	return 0;
}
