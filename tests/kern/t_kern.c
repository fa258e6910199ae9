/*
 * t_kern.c: the kernel base seen from a program: booting and halting,
 * parameters, processes and lwps (rump_lwproc_*), many threads at once,
 * and the kernel-side tests of ktest_kern.k.c.  Check runs each test in a
 * child process of its own, so each boots its own kernel.
 */

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define REBOOT_MAGIC1 0xfee1dead
#define REBOOT_MAGIC2 672274793
#define REBOOT_CMD_HALT 0xcdef0123

int rump_ktest_components(void);
int rump_ktest_mutex(void);
int rump_ktest_condvar(void);
int rump_ktest_rwlock(void);
int rump_ktest_kmem_limit(void);
int rump_ktest_pool(void);
int rump_ktest_callout(void);
int rump_ktest_kthread(void);
int rump_ktest_diagnostic(void);
int rump_ktest_lockorder_reversal(void);
int rump_ktest_lockorder_consistent(void);
int rump_ktest_uiomove(char *, size_t);
unsigned long long rump_ktest_kmem_inuse(void);
extern int rump_ktest_component_fail;

static void
boot(void)
{
	int error = rump_init();

	ck_assert_msg(error == 0, "rump_init: %s", strerror(error));
}

static void
halt(void)
{

	ck_assert_int_eq(rump_sys_reboot(REBOOT_MAGIC1, REBOOT_MAGIC2,
	    REBOOT_CMD_HALT, NULL), 0);
}

#define KTEST(fn) do { \
	int line_ = fn(); \
	ck_assert_msg(line_ == 0, #fn " failed at ktest_kern.k.c:%d", line_); \
} while (0)

START_TEST(syscall_before_boot_fails_ENXIO)
{
	errno = 0;
	ck_assert_int_eq(rump_sys_getpid(), -1);
	ck_assert_int_eq(errno, ENXIO);
}
END_TEST

START_TEST(boot_gives_default_process_pid_1)
{
	boot();
	ck_assert_int_eq(rump_sys_getpid(), 1);
	ck_assert_int_eq(rump_sys_getppid(), 0);
	ck_assert_ptr_null(rump_lwproc_curlwp());
	halt();
}
END_TEST

START_TEST(boot_twice_fails_EBUSY)
{
	boot();
	ck_assert_int_eq(rump_init(), EBUSY);
	ck_assert_int_eq(rump_sys_getpid(), 1);
	halt();
}
END_TEST

START_TEST(halt_then_syscall_fails_ENXIO_and_reboot_works)
{
	boot();
	halt();
	errno = 0;
	ck_assert_int_eq(rump_sys_getpid(), -1);
	ck_assert_int_eq(errno, ENXIO);
	boot();
	ck_assert_int_eq(rump_sys_getpid(), 1);
	halt();
}
END_TEST

/* Open descriptors and threads of this process, from /proc. */
static int
host_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own */
}

static int
host_thread_count(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int n = -1;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

/*
 * The leak test: 1,000 boots and halts in one process, each with
 * a process and a system call, leave nothing behind: the kernel's memory
 * is what a fresh kernel uses, and the host's descriptors, threads and
 * (without ASan, whose allocator mallinfo2 does not see) heap are what
 * they were after the first cycles.  ASan builds check the rest with
 * LeakSanitizer at exit.
 */
#define BOOT_CYCLES 1000
#define BOOT_WARMUP 10

START_TEST(boot_halt_1000_cycles_in_one_process_leak_nothing)
{
	unsigned long long fresh = 0;
	size_t heap = 0;
	int i, fds = 0, threads = 0;

	for (i = 0; i < BOOT_CYCLES; i++) {
		boot();
		if (i == 0)
			fresh = rump_ktest_kmem_inuse();
		ck_assert_uint_eq(rump_ktest_kmem_inuse(), fresh);
		ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
		ck_assert_int_eq(rump_sys_getpid(), 2);
		halt();
		/* The halted kernel's lwp is gone with it. */
		ck_assert_ptr_null(rump_lwproc_curlwp());
		if (i == BOOT_WARMUP) {
			fds = host_fd_count();
			threads = host_thread_count();
			heap = mallinfo2().uordblks;
		}
	}
	ck_assert_int_eq(host_fd_count(), fds);
	ck_assert_int_eq(host_thread_count(), threads);
	/* 16 KiB of slack for the host allocator's own bookkeeping: a leak
	 * of 17 bytes or more a cycle goes past it. */
	ck_assert_msg(mallinfo2().uordblks <= heap + 16384,
	    "host heap in use grew from %zu to %zu bytes", heap,
	    mallinfo2().uordblks);
}
END_TEST

START_TEST(halt_frees_all_kernel_memory)
{
	unsigned long long fresh;

	/* DIAGNOSTIC kernels panic at halt on a leak; this checks that a
	 * fresh kernel after a busy one uses what the first fresh one did. */
	boot();
	fresh = rump_ktest_kmem_inuse();
	halt();
	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFFDG), 0);
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFFDG), 0);
	rump_lwproc_switch(NULL);
	KTEST(rump_ktest_pool);
	halt();
	boot();
	ck_assert_uint_eq(rump_ktest_kmem_inuse(), fresh);
	halt();
}
END_TEST

static void
boot_fails_with(const char *var, const char *value, int expect)
{
	setenv(var, value, 1);
	ck_assert_int_eq(rump_init(), expect);
	unsetenv(var);
	/* A failed boot leaves nothing behind: the next one works. */
	boot();
	ck_assert_int_eq(rump_sys_getpid(), 1);
	halt();
}

START_TEST(ncpu_zero_fails_EINVAL)
{
	boot_fails_with("RUMP_NCPU", "0", EINVAL);
}
END_TEST

START_TEST(ncpu_not_a_number_fails_EINVAL)
{
	boot_fails_with("RUMP_NCPU", "two", EINVAL);
}
END_TEST

START_TEST(ncpu_too_large_fails_EINVAL)
{
	boot_fails_with("RUMP_NCPU", "100000", EINVAL);
}
END_TEST

START_TEST(memlimit_bad_suffix_fails_EINVAL)
{
	boot_fails_with("RUMP_MEMLIMIT", "64x", EINVAL);
}
END_TEST

START_TEST(memlimit_too_small_to_boot_fails_ENOMEM)
{
	boot_fails_with("RUMP_MEMLIMIT", "64", ENOMEM);
}
END_TEST

START_TEST(kmem_over_memlimit_returns_NULL_and_reclaims)
{
	setenv("RUMP_MEMLIMIT", "8m", 1);
	boot();
	KTEST(rump_ktest_kmem_limit);
	halt();
}
END_TEST

START_TEST(rfork_past_memlimit_fails_ENOMEM_and_kernel_survives)
{
	int i, error = 0;

	setenv("RUMP_MEMLIMIT", "256k", 1);
	boot();
	for (i = 0; i < 100000; i++)
		if ((error = rump_lwproc_rfork(RUMP_RFCFDG)) != 0)
			break;
	ck_assert_int_eq(error, ENOMEM);
	ck_assert_int_gt(i, 10);
	/* The kernel goes on: the last process still works. */
	ck_assert_int_eq(rump_sys_getpid(), i + 1);
	rump_lwproc_switch(NULL);
	ck_assert_int_eq(rump_sys_getpid(), 1);
	halt();
	unsetenv("RUMP_MEMLIMIT");
	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	halt();
}
END_TEST

START_TEST(components_init_in_dependency_order)
{
	boot();
	KTEST(rump_ktest_components);
	halt();
	/* And again after a reboot. */
	boot();
	KTEST(rump_ktest_components);
	halt();
}
END_TEST

START_TEST(component_init_failure_fails_boot_cleanly)
{
	rump_ktest_component_fail = 1;
	ck_assert_int_eq(rump_init(), EIO);
	rump_ktest_component_fail = 0;
	boot();
	KTEST(rump_ktest_components);
	halt();
}
END_TEST

START_TEST(mutex_counts_exactly_under_contention)
{
	setenv("RUMP_NCPU", "2", 1);
	boot();
	KTEST(rump_ktest_mutex);
	halt();
}
END_TEST

START_TEST(condvar_pingpong_on_one_cpu)
{
	setenv("RUMP_NCPU", "1", 1);
	boot();
	KTEST(rump_ktest_condvar);
	halt();
}
END_TEST

START_TEST(rwlock_readers_share_writer_excludes)
{
	boot();
	KTEST(rump_ktest_rwlock);
	halt();
}
END_TEST

START_TEST(pool_objects_distinct_and_slabs_returned)
{
	boot();
	KTEST(rump_ktest_pool);
	halt();
}
END_TEST

START_TEST(callouts_fire_in_order_not_early)
{
	boot();
	KTEST(rump_ktest_callout);
	halt();
}
END_TEST

START_TEST(detached_kthread_runs_and_halt_joins)
{
	setenv("RUMP_NCPU", "1", 1);
	boot();
	KTEST(rump_ktest_kthread);
	halt();
}
END_TEST

START_TEST(lock_order_reversal_panics)
{
	boot();
	rump_ktest_lockorder_reversal();
}
END_TEST

START_TEST(consistent_lock_order_does_not_panic)
{
	boot();
	KTEST(rump_ktest_lockorder_consistent);
	halt();
}
END_TEST

START_TEST(uiomove_scatters_and_faults_EFAULT)
{
	char ubuf[32];
	int line;

	boot();
	line = rump_ktest_uiomove(ubuf, sizeof(ubuf));
	ck_assert_msg(line == 0, "rump_ktest_uiomove failed at line %d", line);
	halt();
}
END_TEST

START_TEST(rfork_creates_child_processes)
{
	struct lwp *parent, *child;

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	parent = rump_lwproc_curlwp();
	ck_assert_ptr_nonnull(parent);
	ck_assert_int_eq(rump_sys_getpid(), 2);
	ck_assert_int_eq(rump_sys_getppid(), 1);
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFFDG), 0);
	child = rump_lwproc_curlwp();
	ck_assert_ptr_ne(child, parent);
	ck_assert_int_eq(rump_sys_getpid(), 3);
	ck_assert_int_eq(rump_sys_getppid(), 2);
	rump_lwproc_switch(parent);
	ck_assert_int_eq(rump_sys_getpid(), 2);
	rump_lwproc_switch(NULL);
	ck_assert_int_eq(rump_sys_getpid(), 1);
	rump_lwproc_switch(child);
	ck_assert_int_eq(rump_sys_getpid(), 3);
	halt();
}
END_TEST

START_TEST(rfork_with_both_fd_flags_fails_EINVAL)
{
	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFFDG | RUMP_RFCFDG), EINVAL);
	ck_assert_int_eq(rump_lwproc_rfork(0x100), EINVAL);
	ck_assert_ptr_null(rump_lwproc_curlwp());
	halt();
}
END_TEST

START_TEST(newlwp_joins_existing_process)
{
	struct lwp *first;

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(0), 0);
	first = rump_lwproc_curlwp();
	ck_assert_int_eq(rump_lwproc_newlwp(2), 0);
	ck_assert_ptr_ne(rump_lwproc_curlwp(), first);
	ck_assert_int_eq(rump_sys_getpid(), 2);
	ck_assert_int_eq(rump_lwproc_newlwp(4242), ESRCH);
	ck_assert_int_eq(rump_lwproc_newlwp(0), ESRCH);
	halt();
}
END_TEST

START_TEST(switch_to_own_lwp_changes_nothing)
{
	struct lwp *l;

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	l = rump_lwproc_curlwp();
	rump_lwproc_switch(l);
	ck_assert_ptr_eq(rump_lwproc_curlwp(), l);
	ck_assert_int_eq(rump_sys_getpid(), 2);
	rump_lwproc_releaselwp();
	ck_assert_int_eq(rump_sys_getpid(), 1);
	halt();
}
END_TEST

START_TEST(releasing_last_lwp_ends_process)
{
	struct lwp *first;

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(0), 0);
	first = rump_lwproc_curlwp();
	ck_assert_int_eq(rump_lwproc_newlwp(2), 0);
	rump_lwproc_releaselwp();
	ck_assert_ptr_null(rump_lwproc_curlwp());
	/* The process still has its first lwp. */
	ck_assert_int_eq(rump_lwproc_newlwp(2), 0);
	rump_lwproc_releaselwp();
	rump_lwproc_switch(first);
	ck_assert_int_eq(rump_sys_getpid(), 2);
	rump_lwproc_releaselwp();
	ck_assert_int_eq(rump_lwproc_newlwp(2), ESRCH);
	ck_assert_int_eq(rump_sys_getpid(), 1);
	halt();
}
END_TEST

START_TEST(orphans_go_to_default_process)
{
	struct lwp *parent;

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(0), 0);
	parent = rump_lwproc_curlwp();
	ck_assert_int_eq(rump_lwproc_rfork(0), 0);
	ck_assert_int_eq(rump_sys_getppid(), 2);
	rump_lwproc_switch(parent);
	rump_lwproc_releaselwp();	/* pid 2 exits */
	ck_assert_int_eq(rump_lwproc_newlwp(3), 0);
	ck_assert_int_eq(rump_sys_getppid(), 1);
	halt();
}
END_TEST

/* Many threads in the kernel at once, each as its own process. */
#define NTHREADS 8
#define NCALLS 5000

static void *
thread_main(void *arg)
{
	int i, pid;
	long bad = 0;

	(void)arg;
	if (rump_lwproc_rfork(RUMP_RFCFDG) != 0)
		return (void *)1;
	pid = rump_sys_getpid();
	for (i = 0; i < NCALLS; i++)
		if (rump_sys_getpid() != pid || rump_sys_getppid() != 1)
			bad++;
	rump_lwproc_releaselwp();
	return (void *)bad;
}

static void
threads_run(const char *ncpu)
{
	pthread_t t[NTHREADS];
	void *ret;
	int i;

	setenv("RUMP_NCPU", ncpu, 1);
	boot();
	for (i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, thread_main,
		    NULL), 0);
	for (i = 0; i < NTHREADS; i++) {
		ck_assert_int_eq(pthread_join(t[i], &ret), 0);
		ck_assert_ptr_null(ret);
	}
	halt();
}

START_TEST(threads_on_one_cpu_each_keep_their_process)
{
	threads_run("1");
}
END_TEST

START_TEST(threads_on_two_cpus_each_keep_their_process)
{
	threads_run("2");
}
END_TEST

START_TEST(threads_on_more_cpus_than_host_cpus)
{
	threads_run("16");
}
END_TEST

static Suite *
kern_suite(void)
{
	Suite *s = suite_create("kern");
	TCase *tc;

	tc = tcase_create("boot");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, syscall_before_boot_fails_ENXIO);
	tcase_add_test(tc, boot_gives_default_process_pid_1);
	tcase_add_test(tc, boot_twice_fails_EBUSY);
	tcase_add_test(tc, halt_then_syscall_fails_ENXIO_and_reboot_works);
	tcase_add_test(tc, boot_halt_1000_cycles_in_one_process_leak_nothing);
	tcase_add_test(tc, halt_frees_all_kernel_memory);
	tcase_add_test(tc, ncpu_zero_fails_EINVAL);
	tcase_add_test(tc, ncpu_not_a_number_fails_EINVAL);
	tcase_add_test(tc, ncpu_too_large_fails_EINVAL);
	tcase_add_test(tc, memlimit_bad_suffix_fails_EINVAL);
	tcase_add_test(tc, memlimit_too_small_to_boot_fails_ENOMEM);
	tcase_add_test(tc, components_init_in_dependency_order);
	tcase_add_test(tc, component_init_failure_fails_boot_cleanly);
	suite_add_tcase(s, tc);

	tc = tcase_create("base");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, kmem_over_memlimit_returns_NULL_and_reclaims);
	tcase_add_test(tc, rfork_past_memlimit_fails_ENOMEM_and_kernel_survives);
	tcase_add_test(tc, mutex_counts_exactly_under_contention);
	tcase_add_test(tc, condvar_pingpong_on_one_cpu);
	tcase_add_test(tc, rwlock_readers_share_writer_excludes);
	tcase_add_test(tc, pool_objects_distinct_and_slabs_returned);
	tcase_add_test(tc, callouts_fire_in_order_not_early);
	tcase_add_test(tc, detached_kthread_runs_and_halt_joins);
	/* Only a DIAGNOSTIC kernel has the lock-order checker. */
	if (rump_ktest_diagnostic())
		tcase_add_test_raise_signal(tc, lock_order_reversal_panics,
		    SIGABRT);
	tcase_add_test(tc, consistent_lock_order_does_not_panic);
	tcase_add_test(tc, uiomove_scatters_and_faults_EFAULT);
	suite_add_tcase(s, tc);

	tc = tcase_create("lwproc");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, rfork_creates_child_processes);
	tcase_add_test(tc, rfork_with_both_fd_flags_fails_EINVAL);
	tcase_add_test(tc, newlwp_joins_existing_process);
	tcase_add_test(tc, switch_to_own_lwp_changes_nothing);
	tcase_add_test(tc, releasing_last_lwp_ends_process);
	tcase_add_test(tc, orphans_go_to_default_process);
	tcase_add_test(tc, threads_on_one_cpu_each_keep_their_process);
	tcase_add_test(tc, threads_on_two_cpus_each_keep_their_process);
	tcase_add_test(tc, threads_on_more_cpus_than_host_cpus);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(kern_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
