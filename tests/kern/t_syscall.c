/*
 * t_syscall.c: the system call layer seen from a program: the dispatch
 * (rump_syscall, ENOSYS, ENXIO, packages established and taken away), the
 * time calls, uname and the host and domain names, and reboot (halt,
 * power off, boot again).  The kernel-side checks of the dispatch are in
 * ktest_syscall.k.c.  Check runs each test in a child process of its own,
 * so each boots its own kernel.
 *
 * Structures and constants come from the host's headers: the kernel's ABI
 * is Linux's, so a program's own struct timespec and CLOCK_* are right.
 */

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

/* linux/reboot.h, spelt out so that the test does not need it. */
#define MAGIC1 0xfee1dead
#define MAGIC2 672274793
#define MAGIC2A 85072278
#define MAGIC2B 369367448
#define MAGIC2C 537993216
#define CMD_RESTART 0x01234567
#define CMD_HALT 0xcdef0123
#define CMD_CAD_ON 0x89abcdef
#define CMD_CAD_OFF 0
#define CMD_POWER_OFF 0x4321fedc
#define CMD_RESTART2 0xa1b2c3d4
#define CMD_SW_SUSPEND 0xd000fce2
#define CMD_KEXEC 0x45584543

#define NS_PER_MS 1000000LL
#define NS_PER_SEC 1000000000LL
/* An address in the kernel half: never user memory. */
#define KERNEL_ADDR ((void *)0xffff800000001000UL)

int rump_ktest_syscall_sum6_establish(int *sum6, int *fails);
int rump_ktest_syscall_sum6_disestablish(void);
int rump_ktest_syscall_establish_out_of_range(void);
int rump_ktest_syscall_establish_taken(void);
int rump_ktest_syscall_tables(void);

#define KTEST(call) do { \
	int line_ = (call); \
	ck_assert_msg(line_ == 0, #call " failed at ktest_syscall.k.c:%d", \
	    line_); \
} while (0)

/* Expect a rump_sys_* call to fail with -1 and errno e. */
#define ck_assert_fails(call, e) do { \
	errno = 0; \
	ck_assert_int_eq((call), -1); \
	ck_assert_msg(errno == (e), #call ": errno %d (%s), expected %d (%s)", \
	    errno, strerror(errno), (e), strerror(e)); \
} while (0)

static void
boot(void)
{
	int error = rump_init();

	ck_assert_msg(error == 0, "rump_init: %s", strerror(error));
}

static void
halt(void)
{

	ck_assert_int_eq(rump_sys_reboot(MAGIC1, MAGIC2, CMD_HALT, NULL), 0);
}

static void
assert_halted(void)
{

	ck_assert_fails(rump_sys_getpid(), ENXIO);
}

/* Switch the calling thread to a new process running as uid 1000. */
static void
become_nonroot(void)
{

	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	ck_assert_int_eq(rump_sys_setresuid(1000, 1000, 1000), 0);
	ck_assert_int_eq(rump_sys_geteuid(), 1000);
}

/* Back to root: end the non-root process, use the default one. */
static void
leave_nonroot(void)
{

	rump_lwproc_releaselwp();
	ck_assert_int_eq(rump_sys_geteuid(), 0);
}

static int64_t
host_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static int64_t
ts_ns(const struct timespec *ts)
{

	return (int64_t)ts->tv_sec * NS_PER_SEC + ts->tv_nsec;
}

static int64_t
rump_clock_ns(clockid_t clk)
{
	struct timespec ts;

	ck_assert_int_eq(rump_sys_clock_gettime(clk, &ts), 0);
	ck_assert(ts.tv_nsec >= 0 && ts.tv_nsec < NS_PER_SEC);
	return ts_ns(&ts);
}

/*
 * Dispatch.
 */

START_TEST(unknown_number_fails_ENOSYS)
{
	static const int nums[] = { 450, 1023, 100000, INT_MAX, -1, INT_MIN };
	long args[6] = { 0 }, rv[2];
	unsigned int i;

	boot();
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		ck_assert_msg(rump_syscall(nums[i], args, 6, rv) == ENOSYS,
		    "number %d", nums[i]);
	halt();
}
END_TEST

START_TEST(vfs_call_without_vfs_fails_ENOSYS)
{
	long args[3] = { (long)"/etc/passwd", 0, 0 }, rv[2];

	boot();
	ck_assert_int_eq(rump_syscall(2 /* open */, args, 3, rv), ENOSYS);
	ck_assert_int_eq(rump_syscall(0 /* read */, args, 3, rv), ENOSYS);
	halt();
}
END_TEST

START_TEST(raw_syscall_returns_result_in_retval)
{
	long rv[2] = { -5, -5 };

	boot();
	ck_assert_int_eq(rump_syscall(RUMP_SYS_getpid, NULL, 0, rv), 0);
	ck_assert_int_eq(rv[0], 1);
	ck_assert_int_eq(rump_syscall(RUMP_SYS_getpid, NULL, 0, NULL), 0);
	halt();
}
END_TEST

START_TEST(raw_syscall_bad_nargs_fails_EINVAL)
{
	long args[7] = { 0 }, rv[2];

	boot();
	ck_assert_int_eq(rump_syscall(RUMP_SYS_getpid, args, 7, rv), EINVAL);
	ck_assert_int_eq(rump_syscall(RUMP_SYS_getpid, args, -1, rv), EINVAL);
	ck_assert_int_eq(rump_syscall(RUMP_SYS_uname, NULL, 1, rv), EINVAL);
	halt();
}
END_TEST

START_TEST(raw_syscall_without_kernel_fails_ENXIO)
{
	long rv[2];

	ck_assert_int_eq(rump_syscall(RUMP_SYS_getpid, NULL, 0, rv), ENXIO);
	ck_assert_int_eq(rump_syscall(100000, NULL, 0, rv), ENXIO);
	ck_assert_fails(rump_sys_uname(NULL), ENXIO);
}
END_TEST

START_TEST(established_package_gets_six_args_and_returns_two_values)
{
	long args[6] = { 1, 20, 300, 4000, 50000, -600000 }, rv[2];
	int sum6, fails;

	boot();
	KTEST(rump_ktest_syscall_sum6_establish(&sum6, &fails));
	ck_assert_int_eq(rump_syscall(sum6, args, 6, rv), 0);
	ck_assert_int_eq(rv[0], 1 + 20 + 300 + 4000 + 50000 - 600000);
	ck_assert_int_eq(rv[1], -1);
	/* Arguments that the caller does not pass are zero. */
	ck_assert_int_eq(rump_syscall(sum6, args, 2, rv), 0);
	ck_assert_int_eq(rv[0], 21);
	ck_assert_int_eq(rump_syscall(fails, args, 0, rv), EDOM);
	KTEST(rump_ktest_syscall_sum6_disestablish());
	ck_assert_int_eq(rump_syscall(sum6, args, 6, rv), ENOSYS);
	halt();
}
END_TEST

START_TEST(establish_out_of_range_fails_EINVAL_and_establishes_nothing)
{
	boot();
	KTEST(rump_ktest_syscall_establish_out_of_range());
	halt();
}
END_TEST

START_TEST(establish_taken_number_fails_EEXIST_and_establishes_nothing)
{
	boot();
	KTEST(rump_ktest_syscall_establish_taken());
	halt();
}
END_TEST

START_TEST(generated_tables_match_the_table)
{
	ck_assert_int_eq(RUMP_SYS_getpid, 39);
	ck_assert_int_eq(RUMP_SYS_uname, 63);
	ck_assert_int_eq(RUMP_SYS_reboot, 169);
	ck_assert_int_eq(RUMP_SYS_clock_nanosleep, 230);
	ck_assert_int_eq(RUMP_SYS_getrandom, 318);
	boot();
	KTEST(rump_ktest_syscall_tables());
	halt();
}
END_TEST

/*
 * uname, sethostname, setdomainname.
 */

START_TEST(uname_reports_linux_and_RUMP_HOSTNAME)
{
	struct utsname u;

	setenv("RUMP_HOSTNAME", "testhost.example", 1);
	boot();
	memset(&u, 0x5a, sizeof(u));
	ck_assert_int_eq(rump_sys_uname(&u), 0);
	ck_assert_str_eq(u.sysname, "Linux");
	ck_assert_str_eq(u.nodename, "testhost.example");
	ck_assert_str_eq(u.release, "6.1.0-anykernel");
	ck_assert_str_eq(u.version, "#1 Anykernel rump kernel");
#if defined(__x86_64__)
	ck_assert_str_eq(u.machine, "x86_64");
#elif defined(__aarch64__)
	ck_assert_str_eq(u.machine, "aarch64");
#endif
	ck_assert_str_eq(u.domainname, "(none)");
	halt();
}
END_TEST

START_TEST(uname_default_hostname_is_rump_pid)
{
	struct utsname u;
	char want[64];

	unsetenv("RUMP_HOSTNAME");
	boot();
	ck_assert_int_eq(rump_sys_uname(&u), 0);
	snprintf(want, sizeof(want), "rump-%05d", (int)getpid());
	ck_assert_str_eq(u.nodename, want);
	halt();
}
END_TEST

START_TEST(uname_bad_pointer_fails_EFAULT)
{
	boot();
	ck_assert_fails(rump_sys_uname(NULL), EFAULT);
	ck_assert_fails(rump_sys_uname(KERNEL_ADDR), EFAULT);
	halt();
}
END_TEST

START_TEST(RUMP_HOSTNAME_longer_than_64_fails_boot_EINVAL)
{
	char name[66];
	struct utsname u;

	memset(name, 'h', 65);
	name[65] = '\0';
	setenv("RUMP_HOSTNAME", name, 1);
	ck_assert_int_eq(rump_init(), EINVAL);
	assert_halted();
	/* 64 bytes is the limit, and fits. */
	name[64] = '\0';
	setenv("RUMP_HOSTNAME", name, 1);
	boot();
	ck_assert_int_eq(rump_sys_uname(&u), 0);
	ck_assert_str_eq(u.nodename, name);
	halt();
}
END_TEST

START_TEST(sethostname_then_uname_reads_it_back)
{
	char name64[65];
	struct utsname u;

	setenv("RUMP_HOSTNAME", "before", 1);
	boot();
	ck_assert_int_eq(rump_sys_sethostname("after", 5), 0);
	ck_assert_int_eq(rump_sys_uname(&u), 0);
	ck_assert_str_eq(u.nodename, "after");
	/* len bytes are taken; the name need not be terminated. */
	ck_assert_int_eq(rump_sys_sethostname("abcdefXYZ", 3), 0);
	ck_assert_int_eq(rump_sys_uname(&u), 0);
	ck_assert_str_eq(u.nodename, "abc");
	/* 64 bytes fit. */
	memset(name64, 'x', 64);
	name64[64] = '\0';
	ck_assert_int_eq(rump_sys_sethostname(name64, 64), 0);
	ck_assert_int_eq(rump_sys_uname(&u), 0);
	ck_assert_str_eq(u.nodename, name64);
	/* An empty name is a name. */
	ck_assert_int_eq(rump_sys_sethostname("", 0), 0);
	ck_assert_int_eq(rump_sys_uname(&u), 0);
	ck_assert_str_eq(u.nodename, "");
	ck_assert_str_eq(u.domainname, "(none)");
	halt();
}
END_TEST

START_TEST(setdomainname_then_uname_reads_it_back)
{
	struct utsname u;

	setenv("RUMP_HOSTNAME", "host", 1);
	boot();
	ck_assert_int_eq(rump_sys_setdomainname("example.org", 11), 0);
	ck_assert_int_eq(rump_sys_uname(&u), 0);
	ck_assert_str_eq(u.domainname, "example.org");
	ck_assert_str_eq(u.nodename, "host");
	halt();
}
END_TEST

/* Each failure leaves the name as it was. */
static void
assert_nodename(const char *want)
{
	struct utsname u;

	ck_assert_int_eq(rump_sys_uname(&u), 0);
	ck_assert_str_eq(u.nodename, want);
}

START_TEST(sethostname_bad_len_fails_EINVAL)
{
	char name[66];

	memset(name, 'n', sizeof(name));
	setenv("RUMP_HOSTNAME", "keep", 1);
	boot();
	ck_assert_fails(rump_sys_sethostname(name, 65), EINVAL);
	ck_assert_fails(rump_sys_sethostname(name, (size_t)-1), EINVAL);
	ck_assert_fails(rump_sys_sethostname(name, (size_t)INT_MAX + 1),
	    EINVAL);
	ck_assert_fails(rump_sys_setdomainname(name, 65), EINVAL);
	assert_nodename("keep");
	halt();
}
END_TEST

START_TEST(sethostname_bad_pointer_fails_EFAULT)
{
	setenv("RUMP_HOSTNAME", "keep", 1);
	boot();
	ck_assert_fails(rump_sys_sethostname(NULL, 5), EFAULT);
	ck_assert_fails(rump_sys_sethostname(KERNEL_ADDR, 5), EFAULT);
	ck_assert_fails(rump_sys_setdomainname(NULL, 5), EFAULT);
	assert_nodename("keep");
	halt();
}
END_TEST

START_TEST(sethostname_as_nonroot_fails_EPERM)
{
	char name[66];

	memset(name, 'n', sizeof(name));
	setenv("RUMP_HOSTNAME", "keep", 1);
	boot();
	become_nonroot();
	ck_assert_fails(rump_sys_sethostname("other", 5), EPERM);
	ck_assert_fails(rump_sys_setdomainname("other", 5), EPERM);
	/* Linux checks the capability before anything else. */
	ck_assert_fails(rump_sys_sethostname(name, 65), EPERM);
	ck_assert_fails(rump_sys_sethostname(NULL, 5), EPERM);
	assert_nodename("keep");
	leave_nonroot();
	halt();
}
END_TEST

/* Names are read and written whole: a reader never sees a mix. */
static volatile int names_stop;

static void *
name_writer(void *arg)
{
	const char *names = arg;	/* two 64-byte names */
	int i;

	for (i = 0; !names_stop; i++)
		if (rump_sys_sethostname(names + (i & 1) * 64, 64) != 0)
			return (void *)"sethostname failed";
	return NULL;
}

START_TEST(uname_never_sees_a_half_written_name)
{
	char names[128], a[65], b[65];
	struct utsname u;
	pthread_t t;
	void *res;
	int i;

	memset(names, 'a', 64);
	memset(names + 64, 'b', 64);
	memcpy(a, names, 64);
	memcpy(b, names + 64, 64);
	a[64] = b[64] = '\0';
	setenv("RUMP_NCPU", "2", 1);
	boot();
	ck_assert_int_eq(rump_sys_sethostname(a, 64), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, name_writer, names), 0);
	for (i = 0; i < 20000; i++) {
		ck_assert_int_eq(rump_sys_uname(&u), 0);
		if (strcmp(u.nodename, a) != 0 && strcmp(u.nodename, b) != 0)
			break;
	}
	names_stop = 1;
	pthread_join(t, &res);
	ck_assert_msg(i == 20000, "torn name \"%s\"", u.nodename);
	ck_assert_ptr_null(res);
	halt();
}
END_TEST

/*
 * Time.
 */

static const clockid_t linux_clocks[] = {
	CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
	CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
	CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_TAI,
};
#define NCLOCKS (sizeof(linux_clocks) / sizeof(linux_clocks[0]))

START_TEST(clock_gettime_works_for_each_linux_clock)
{
	struct timespec ts;
	unsigned int i;

	boot();
	for (i = 0; i < NCLOCKS; i++) {
		ts.tv_sec = -1;
		ts.tv_nsec = -1;
		ck_assert_msg(rump_sys_clock_gettime(linux_clocks[i], &ts) == 0,
		    "clock %d: %s", linux_clocks[i], strerror(errno));
		ck_assert(ts.tv_sec >= 0);
		ck_assert(ts.tv_nsec >= 0 && ts.tv_nsec < NS_PER_SEC);
	}
	halt();
}
END_TEST

START_TEST(clock_gettime_monotonic_clocks_never_go_back)
{
	static const clockid_t mono[] = { CLOCK_MONOTONIC, CLOCK_BOOTTIME,
	    CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE,
	    CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID };
	int64_t last[6], now;
	unsigned int i, round;

	boot();
	for (i = 0; i < 6; i++)
		last[i] = rump_clock_ns(mono[i]);
	for (round = 0; round < 2000; round++) {
		for (i = 0; i < 6; i++) {
			now = rump_clock_ns(mono[i]);
			ck_assert_msg(now >= last[i], "clock %d went back",
			    mono[i]);
			last[i] = now;
		}
	}
	/* And they advance. */
	now = rump_clock_ns(CLOCK_MONOTONIC);
	usleep(10000);
	ck_assert(rump_clock_ns(CLOCK_MONOTONIC) - now >= 10 * NS_PER_MS);
	halt();
}
END_TEST

START_TEST(clock_gettime_realtime_matches_host_time)
{
	struct timespec ts;
	time_t host;

	boot();
	ck_assert_int_eq(rump_sys_clock_gettime(CLOCK_REALTIME, &ts), 0);
	host = time(NULL);
	ck_assert_msg(ts.tv_sec >= host - 2 && ts.tv_sec <= host + 2,
	    "rump %lld, host %lld", (long long)ts.tv_sec, (long long)host);
	ck_assert_int_eq(rump_sys_clock_gettime(CLOCK_TAI, &ts), 0);
	ck_assert(ts.tv_sec >= host - 2 && ts.tv_sec <= host + 2);
	/* The monotonic clock is the host's. */
	ck_assert(llabs(rump_clock_ns(CLOCK_MONOTONIC) -
	    host_ns(CLOCK_MONOTONIC)) < 2 * NS_PER_SEC);
	halt();
}
END_TEST

START_TEST(cputime_clocks_count_from_boot)
{
	int64_t before, cpu;

	before = host_ns(CLOCK_MONOTONIC);
	boot();
	usleep(20000);
	cpu = rump_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	ck_assert_int_ge(cpu, 20 * NS_PER_MS);
	ck_assert_int_le(cpu, host_ns(CLOCK_MONOTONIC) - before);
	ck_assert_int_ge(rump_clock_ns(CLOCK_THREAD_CPUTIME_ID), cpu);
	halt();
}
END_TEST

START_TEST(clock_gettime_invalid_clock_fails_EINVAL)
{
	static const clockid_t bad[] = { 100, -1, -2, 8, 9, 10, 12, INT_MIN,
	    INT_MAX };
	struct timespec ts;
	unsigned int i;

	boot();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_int_eq(rump_sys_clock_gettime(bad[i], &ts), -1);
		ck_assert_msg(errno == EINVAL, "clock %d: errno %d", bad[i],
		    errno);
	}
	/* The clock is checked before the pointer. */
	ck_assert_fails(rump_sys_clock_gettime(100, NULL), EINVAL);
	halt();
}
END_TEST

START_TEST(clock_gettime_bad_pointer_fails_EFAULT)
{
	boot();
	ck_assert_fails(rump_sys_clock_gettime(CLOCK_REALTIME, NULL), EFAULT);
	ck_assert_fails(rump_sys_clock_gettime(CLOCK_MONOTONIC, KERNEL_ADDR),
	    EFAULT);
	halt();
}
END_TEST

START_TEST(clock_getres_gives_1ns_fine_and_4ms_coarse)
{
	struct timespec res;
	unsigned int i;
	long want;

	boot();
	for (i = 0; i < NCLOCKS; i++) {
		want = linux_clocks[i] == CLOCK_REALTIME_COARSE ||
		    linux_clocks[i] == CLOCK_MONOTONIC_COARSE ? 4000000 : 1;
		memset(&res, 0x5a, sizeof(res));
		ck_assert_int_eq(rump_sys_clock_getres(linux_clocks[i], &res),
		    0);
		ck_assert_int_eq(res.tv_sec, 0);
		ck_assert_msg(res.tv_nsec == want, "clock %d: %ld ns",
		    linux_clocks[i], res.tv_nsec);
	}
	/* res may be NULL; the clock is still checked. */
	ck_assert_int_eq(rump_sys_clock_getres(CLOCK_MONOTONIC, NULL), 0);
	ck_assert_fails(rump_sys_clock_getres(100, NULL), EINVAL);
	ck_assert_fails(rump_sys_clock_getres(-1, &res), EINVAL);
	ck_assert_fails(rump_sys_clock_getres(CLOCK_MONOTONIC, KERNEL_ADDR),
	    EFAULT);
	halt();
}
END_TEST

START_TEST(gettimeofday_gives_realtime_and_zero_timezone)
{
	struct timeval tv;
	struct timezone tz;
	int64_t rt_before, rt_after, got;

	boot();
	memset(&tz, 0x5a, sizeof(tz));
	rt_before = rump_clock_ns(CLOCK_REALTIME) / 1000;
	ck_assert_int_eq(rump_sys_gettimeofday(&tv, &tz), 0);
	rt_after = rump_clock_ns(CLOCK_REALTIME) / 1000;
	got = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	ck_assert(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	ck_assert(got >= rt_before && got <= rt_after);
	ck_assert_int_eq(tz.tz_minuteswest, 0);
	ck_assert_int_eq(tz.tz_dsttime, 0);
	/* Either may be NULL. */
	ck_assert_int_eq(rump_sys_gettimeofday(&tv, NULL), 0);
	ck_assert_int_eq(rump_sys_gettimeofday(NULL, &tz), 0);
	ck_assert_int_eq(rump_sys_gettimeofday(NULL, NULL), 0);
	ck_assert_fails(rump_sys_gettimeofday(KERNEL_ADDR, NULL), EFAULT);
	ck_assert_fails(rump_sys_gettimeofday(&tv, KERNEL_ADDR), EFAULT);
	halt();
}
END_TEST

START_TEST(nanosleep_20ms_sleeps_at_least_20ms)
{
	struct timespec req = { 0, 20 * NS_PER_MS }, rem;
	int64_t t0, slept;

	boot();
	memset(&rem, 0x5a, sizeof(rem));
	t0 = host_ns(CLOCK_MONOTONIC);
	ck_assert_int_eq(rump_sys_nanosleep(&req, &rem), 0);
	slept = host_ns(CLOCK_MONOTONIC) - t0;
	ck_assert_msg(slept >= 20 * NS_PER_MS, "slept %lld ns",
	    (long long)slept);
	ck_assert_msg(slept < 2 * NS_PER_SEC, "slept %lld ns",
	    (long long)slept);
	/* A sleep that ran to its end leaves rem alone, like Linux. */
	ck_assert_int_eq(rem.tv_sec, 0x5a5a5a5a5a5a5a5aLL);
	/* So a bad rem is never noticed. */
	ck_assert_int_eq(rump_sys_nanosleep(&req, KERNEL_ADDR), 0);
	/* A whole second and a zero sleep are sleeps too. */
	req.tv_sec = 1;
	req.tv_nsec = 0;
	t0 = host_ns(CLOCK_MONOTONIC);
	ck_assert_int_eq(rump_sys_nanosleep(&req, NULL), 0);
	ck_assert(host_ns(CLOCK_MONOTONIC) - t0 >= NS_PER_SEC);
	req.tv_sec = 0;
	ck_assert_int_eq(rump_sys_nanosleep(&req, NULL), 0);
	halt();
}
END_TEST

START_TEST(nanosleep_bad_time_fails_EINVAL)
{
	struct timespec req;
	int64_t t0;

	boot();
	t0 = host_ns(CLOCK_MONOTONIC);
	req.tv_sec = 0;
	req.tv_nsec = NS_PER_SEC;
	ck_assert_fails(rump_sys_nanosleep(&req, NULL), EINVAL);
	req.tv_nsec = -1;
	ck_assert_fails(rump_sys_nanosleep(&req, NULL), EINVAL);
	req.tv_sec = -1;
	req.tv_nsec = 0;
	ck_assert_fails(rump_sys_nanosleep(&req, NULL), EINVAL);
	req.tv_sec = 1;
	req.tv_nsec = LONG_MAX;
	ck_assert_fails(rump_sys_nanosleep(&req, NULL), EINVAL);
	/* None of them slept. */
	ck_assert(host_ns(CLOCK_MONOTONIC) - t0 < NS_PER_SEC);
	halt();
}
END_TEST

START_TEST(nanosleep_bad_pointer_fails_EFAULT)
{
	boot();
	ck_assert_fails(rump_sys_nanosleep(NULL, NULL), EFAULT);
	ck_assert_fails(rump_sys_nanosleep(KERNEL_ADDR, NULL), EFAULT);
	halt();
}
END_TEST

/* A deadline d ns from now on clock clk. */
static struct timespec
deadline_in(clockid_t clk, int64_t d)
{
	struct timespec ts;
	int64_t t = rump_clock_ns(clk) + d;

	ts.tv_sec = t / NS_PER_SEC;
	ts.tv_nsec = t % NS_PER_SEC;
	return ts;
}

START_TEST(clock_nanosleep_abstime_in_past_returns_at_once)
{
	static const clockid_t clks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC,
	    CLOCK_BOOTTIME, CLOCK_TAI, CLOCK_PROCESS_CPUTIME_ID };
	struct timespec past = { 0, 0 }, req;
	int64_t t0;
	unsigned int i;

	boot();
	t0 = host_ns(CLOCK_MONOTONIC);
	for (i = 0; i < sizeof(clks) / sizeof(clks[0]); i++) {
		ck_assert_int_eq(rump_sys_clock_nanosleep(clks[i],
		    TIMER_ABSTIME, &past, NULL), 0);
		req = deadline_in(clks[i], -NS_PER_SEC);
		if (req.tv_sec < 0 || req.tv_nsec < 0) /* CPU time: from 0 */
			continue;
		ck_assert_int_eq(rump_sys_clock_nanosleep(clks[i],
		    TIMER_ABSTIME, &req, NULL), 0);
	}
	ck_assert(host_ns(CLOCK_MONOTONIC) - t0 < 500 * NS_PER_MS);
	halt();
}
END_TEST

START_TEST(clock_nanosleep_abstime_wakes_at_deadline)
{
	static const clockid_t clks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC,
	    CLOCK_BOOTTIME };
	struct timespec req;
	unsigned int i;
	int64_t t0, slept;

	boot();
	for (i = 0; i < sizeof(clks) / sizeof(clks[0]); i++) {
		t0 = host_ns(CLOCK_MONOTONIC);
		req = deadline_in(clks[i], 30 * NS_PER_MS);
		ck_assert_int_eq(rump_sys_clock_nanosleep(clks[i],
		    TIMER_ABSTIME, &req, NULL), 0);
		ck_assert_msg(rump_clock_ns(clks[i]) >= ts_ns(&req),
		    "clock %d woke early", clks[i]);
		slept = host_ns(CLOCK_MONOTONIC) - t0;
		ck_assert(slept >= 25 * NS_PER_MS);
		ck_assert(slept < 2 * NS_PER_SEC);
	}
	halt();
}
END_TEST

START_TEST(clock_nanosleep_relative_sleeps_and_ignores_other_flags)
{
	struct timespec req = { 0, 20 * NS_PER_MS };
	int64_t t0;

	boot();
	t0 = host_ns(CLOCK_MONOTONIC);
	ck_assert_int_eq(rump_sys_clock_nanosleep(CLOCK_MONOTONIC, 0, &req,
	    NULL), 0);
	ck_assert(host_ns(CLOCK_MONOTONIC) - t0 >= 20 * NS_PER_MS);
	t0 = host_ns(CLOCK_MONOTONIC);
	ck_assert_int_eq(rump_sys_clock_nanosleep(CLOCK_REALTIME, 0x100, &req,
	    NULL), 0);
	ck_assert(host_ns(CLOCK_MONOTONIC) - t0 >= 20 * NS_PER_MS);
	halt();
}
END_TEST

START_TEST(clock_nanosleep_unsupported_clock_fails)
{
	struct timespec req = { 0, 1000 };

	boot();
	/* Not a clock: EINVAL.  Not a clock to sleep on: ENOTSUP, except
	 * the thread CPU-time clock, EINVAL as clock_nanosleep(2) says. */
	ck_assert_fails(rump_sys_clock_nanosleep(100, 0, &req, NULL), EINVAL);
	ck_assert_fails(rump_sys_clock_nanosleep(-1, 0, &req, NULL), EINVAL);
	ck_assert_fails(rump_sys_clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0,
	    &req, NULL), EINVAL);
	ck_assert_fails(rump_sys_clock_nanosleep(CLOCK_MONOTONIC_RAW, 0,
	    &req, NULL), ENOTSUP);
	ck_assert_fails(rump_sys_clock_nanosleep(CLOCK_REALTIME_COARSE, 0,
	    &req, NULL), ENOTSUP);
	ck_assert_fails(rump_sys_clock_nanosleep(CLOCK_MONOTONIC_COARSE, 0,
	    &req, NULL), ENOTSUP);
	halt();
}
END_TEST

START_TEST(clock_nanosleep_bad_time_fails_EINVAL_bad_pointer_EFAULT)
{
	struct timespec req = { 0, NS_PER_SEC };

	boot();
	/* -1 and errno, not the error number as libc's wrapper returns. */
	ck_assert_fails(rump_sys_clock_nanosleep(CLOCK_MONOTONIC, 0, &req,
	    NULL), EINVAL);
	req.tv_nsec = -1;
	ck_assert_fails(rump_sys_clock_nanosleep(CLOCK_MONOTONIC,
	    TIMER_ABSTIME, &req, NULL), EINVAL);
	req.tv_sec = -1;
	req.tv_nsec = 0;
	ck_assert_fails(rump_sys_clock_nanosleep(CLOCK_REALTIME, 0, &req,
	    NULL), EINVAL);
	ck_assert_fails(rump_sys_clock_nanosleep(CLOCK_REALTIME, 0, NULL,
	    NULL), EFAULT);
	ck_assert_fails(rump_sys_clock_nanosleep(CLOCK_MONOTONIC,
	    TIMER_ABSTIME, KERNEL_ADDR, NULL), EFAULT);
	halt();
}
END_TEST

struct sleeper {
	int64_t sleep_ns;
	int64_t start, end;	/* host monotonic */
	volatile int started;
	int rv, error;
};

static void *
sleeper_main(void *arg)
{
	struct sleeper *s = arg;
	struct timespec req = { s->sleep_ns / NS_PER_SEC,
	    s->sleep_ns % NS_PER_SEC };

	s->start = host_ns(CLOCK_MONOTONIC);
	__atomic_store_n(&s->started, 1, __ATOMIC_RELEASE);
	s->rv = rump_sys_nanosleep(&req, NULL);
	s->error = errno;
	s->end = host_ns(CLOCK_MONOTONIC);
	return NULL;
}

static void
sleeper_start(struct sleeper *s, pthread_t *t, int64_t ns)
{

	memset(s, 0, sizeof(*s));
	s->sleep_ns = ns;
	ck_assert_int_eq(pthread_create(t, NULL, sleeper_main, s), 0);
	while (!__atomic_load_n(&s->started, __ATOMIC_ACQUIRE))
		usleep(1000);
	usleep(50000);		/* let it get into the kernel and asleep */
}

START_TEST(nanosleep_gives_up_the_only_cpu)
{
	struct sleeper s;
	pthread_t t;
	int64_t done;
	int i;

	setenv("RUMP_NCPU", "1", 1);
	boot();
	sleeper_start(&s, &t, 500 * NS_PER_MS);
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(rump_sys_getpid(), 1);
	done = host_ns(CLOCK_MONOTONIC);
	pthread_join(t, NULL);
	ck_assert_int_eq(s.rv, 0);
	ck_assert(s.end - s.start >= 500 * NS_PER_MS);
	/* The other thread's calls ran while the sleeper slept. */
	ck_assert_msg(done - s.start < 400 * NS_PER_MS,
	    "1000 calls done %lld ms after the sleep began",
	    (long long)((done - s.start) / NS_PER_MS));
	halt();
}
END_TEST

/*
 * reboot.
 */

START_TEST(reboot_bad_magic_fails_EINVAL)
{
	boot();
	ck_assert_fails(rump_sys_reboot(0, MAGIC2, CMD_HALT, NULL), EINVAL);
	ck_assert_fails(rump_sys_reboot(MAGIC1, 0, CMD_HALT, NULL), EINVAL);
	ck_assert_fails(rump_sys_reboot(MAGIC2, MAGIC1, CMD_HALT, NULL),
	    EINVAL);
	ck_assert_fails(rump_sys_reboot(MAGIC1, MAGIC2 + 1, CMD_HALT, NULL),
	    EINVAL);
	/* The kernel is still there, and each second magic number works. */
	ck_assert_int_eq(rump_sys_getpid(), 1);
	ck_assert_int_eq(rump_sys_reboot(MAGIC1, MAGIC2A, CMD_CAD_OFF, NULL),
	    0);
	ck_assert_int_eq(rump_sys_reboot(MAGIC1, MAGIC2B, CMD_CAD_OFF, NULL),
	    0);
	ck_assert_int_eq(rump_sys_reboot(MAGIC1, MAGIC2C, CMD_CAD_OFF, NULL),
	    0);
	ck_assert_int_eq(rump_sys_getpid(), 1);
	halt();
}
END_TEST

START_TEST(reboot_as_nonroot_fails_EPERM)
{
	boot();
	become_nonroot();
	ck_assert_fails(rump_sys_reboot(MAGIC1, MAGIC2, CMD_HALT, NULL),
	    EPERM);
	ck_assert_fails(rump_sys_reboot(MAGIC1, MAGIC2, CMD_POWER_OFF, NULL),
	    EPERM);
	/* Linux checks the capability before the magic numbers. */
	ck_assert_fails(rump_sys_reboot(0, 0, CMD_HALT, NULL), EPERM);
	ck_assert_int_eq(rump_sys_getpid(), 2);
	leave_nonroot();
	halt();
}
END_TEST

START_TEST(reboot_unsupported_cmd_fails_EINVAL)
{
	static const unsigned int cmds[] = { CMD_RESTART2, CMD_KEXEC,
	    CMD_SW_SUSPEND, 0x12345678, 1 };
	unsigned int i;

	boot();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		ck_assert_fails(rump_sys_reboot(MAGIC1, MAGIC2, cmds[i], NULL),
		    EINVAL);
	ck_assert_int_eq(rump_sys_getpid(), 1);
	halt();
}
END_TEST

START_TEST(reboot_cad_on_and_off_change_nothing)
{
	boot();
	ck_assert_int_eq(rump_sys_reboot(MAGIC1, MAGIC2, CMD_CAD_ON, NULL), 0);
	ck_assert_int_eq(rump_sys_getpid(), 1);
	ck_assert_int_eq(rump_sys_reboot(MAGIC1, MAGIC2, CMD_CAD_OFF, NULL), 0);
	ck_assert_int_eq(rump_sys_getpid(), 1);
	halt();
}
END_TEST

START_TEST(reboot_halt_stops_kernel_and_rump_init_boots_again)
{
	struct utsname u;

	setenv("RUMP_HOSTNAME", "first", 1);
	boot();
	ck_assert_int_eq(rump_sys_sethostname("changed", 7), 0);
	ck_assert_int_eq(rump_sys_reboot(MAGIC1, MAGIC2, CMD_HALT, NULL), 0);
	assert_halted();
	ck_assert_fails(rump_sys_uname(&u), ENXIO);
	ck_assert_fails(rump_sys_reboot(MAGIC1, MAGIC2, CMD_HALT, NULL),
	    ENXIO);
	/* A fresh kernel, with a fresh name. */
	boot();
	ck_assert_int_eq(rump_sys_getpid(), 1);
	ck_assert_int_eq(rump_sys_uname(&u), 0);
	ck_assert_str_eq(u.nodename, "first");
	halt();
	assert_halted();
}
END_TEST

START_TEST(reboot_restart_halts_like_halt)
{
	boot();
	ck_assert_int_eq(rump_sys_reboot(MAGIC1, MAGIC2, CMD_RESTART, NULL),
	    0);
	assert_halted();
	boot();
	ck_assert_int_eq(rump_sys_getpid(), 1);
	halt();
}
END_TEST

/* Run as an exit test: the process must end with status 0. */
START_TEST(reboot_power_off_exits_process_with_status_0)
{
	boot();
	rump_sys_reboot(MAGIC1, MAGIC2, CMD_POWER_OFF, NULL);
	ck_abort_msg("POWER_OFF returned");
}
END_TEST

START_TEST(boot_and_halt_20_times_in_one_process)
{
	struct timespec ts;
	struct utsname u;
	int i;

	for (i = 0; i < 20; i++) {
		boot();
		ck_assert_int_eq(rump_sys_getpid(), 1);
		ck_assert_int_eq(rump_sys_uname(&u), 0);
		ck_assert_str_eq(u.domainname, "(none)");
		ck_assert_int_eq(rump_sys_setdomainname("d", 1), 0);
		ck_assert_int_eq(rump_sys_clock_gettime(CLOCK_MONOTONIC, &ts),
		    0);
		halt();
		assert_halted();
	}
}
END_TEST

START_TEST(halt_waits_for_a_sleeping_thread)
{
	struct sleeper s;
	pthread_t t;
	int64_t halted;

	setenv("RUMP_NCPU", "1", 1);
	boot();
	sleeper_start(&s, &t, 200 * NS_PER_MS);
	halt();
	halted = host_ns(CLOCK_MONOTONIC);
	pthread_join(t, NULL);
	ck_assert_int_eq(s.rv, 0);
	ck_assert(halted - s.start >= 200 * NS_PER_MS);
	assert_halted();
}
END_TEST

static Suite *
syscall_suite(void)
{
	Suite *s = suite_create("syscall");
	TCase *tc;

	tc = tcase_create("dispatch");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, unknown_number_fails_ENOSYS);
	tcase_add_test(tc, vfs_call_without_vfs_fails_ENOSYS);
	tcase_add_test(tc, raw_syscall_returns_result_in_retval);
	tcase_add_test(tc, raw_syscall_bad_nargs_fails_EINVAL);
	tcase_add_test(tc, raw_syscall_without_kernel_fails_ENXIO);
	tcase_add_test(tc,
	    established_package_gets_six_args_and_returns_two_values);
	tcase_add_test(tc,
	    establish_out_of_range_fails_EINVAL_and_establishes_nothing);
	tcase_add_test(tc,
	    establish_taken_number_fails_EEXIST_and_establishes_nothing);
	tcase_add_test(tc, generated_tables_match_the_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("uname");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, uname_reports_linux_and_RUMP_HOSTNAME);
	tcase_add_test(tc, uname_default_hostname_is_rump_pid);
	tcase_add_test(tc, uname_bad_pointer_fails_EFAULT);
	tcase_add_test(tc, RUMP_HOSTNAME_longer_than_64_fails_boot_EINVAL);
	tcase_add_test(tc, sethostname_then_uname_reads_it_back);
	tcase_add_test(tc, setdomainname_then_uname_reads_it_back);
	tcase_add_test(tc, sethostname_bad_len_fails_EINVAL);
	tcase_add_test(tc, sethostname_bad_pointer_fails_EFAULT);
	tcase_add_test(tc, sethostname_as_nonroot_fails_EPERM);
	tcase_add_test(tc, uname_never_sees_a_half_written_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("time");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, clock_gettime_works_for_each_linux_clock);
	tcase_add_test(tc, clock_gettime_monotonic_clocks_never_go_back);
	tcase_add_test(tc, clock_gettime_realtime_matches_host_time);
	tcase_add_test(tc, cputime_clocks_count_from_boot);
	tcase_add_test(tc, clock_gettime_invalid_clock_fails_EINVAL);
	tcase_add_test(tc, clock_gettime_bad_pointer_fails_EFAULT);
	tcase_add_test(tc, clock_getres_gives_1ns_fine_and_4ms_coarse);
	tcase_add_test(tc, gettimeofday_gives_realtime_and_zero_timezone);
	tcase_add_test(tc, nanosleep_20ms_sleeps_at_least_20ms);
	tcase_add_test(tc, nanosleep_bad_time_fails_EINVAL);
	tcase_add_test(tc, nanosleep_bad_pointer_fails_EFAULT);
	tcase_add_test(tc, clock_nanosleep_abstime_in_past_returns_at_once);
	tcase_add_test(tc, clock_nanosleep_abstime_wakes_at_deadline);
	tcase_add_test(tc,
	    clock_nanosleep_relative_sleeps_and_ignores_other_flags);
	tcase_add_test(tc, clock_nanosleep_unsupported_clock_fails);
	tcase_add_test(tc,
	    clock_nanosleep_bad_time_fails_EINVAL_bad_pointer_EFAULT);
	tcase_add_test(tc, nanosleep_gives_up_the_only_cpu);
	suite_add_tcase(s, tc);

	tc = tcase_create("reboot");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, reboot_bad_magic_fails_EINVAL);
	tcase_add_test(tc, reboot_as_nonroot_fails_EPERM);
	tcase_add_test(tc, reboot_unsupported_cmd_fails_EINVAL);
	tcase_add_test(tc, reboot_cad_on_and_off_change_nothing);
	tcase_add_test(tc, reboot_halt_stops_kernel_and_rump_init_boots_again);
	tcase_add_test(tc, reboot_restart_halts_like_halt);
	tcase_add_exit_test(tc, reboot_power_off_exits_process_with_status_0,
	    0);
	tcase_add_test(tc, boot_and_halt_20_times_in_one_process);
	tcase_add_test(tc, halt_waits_for_a_sleeping_thread);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(syscall_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
