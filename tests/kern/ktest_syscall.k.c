/*
 * ktest_syscall.k.c: kernel-side tests of the system call dispatch
 * (kern_syscall.c) and of the tables generated from syscalls.tbl.  Kernel
 * code, built into librumpkern_ktest_syscall and called by t_syscall.c.
 * Each rump_ktest_syscall_* returns 0, or the line of the first check
 * that failed.  The caller has booted a kernel; each function enters it.
 *
 * The test handlers use numbers that the table leaves free (holes below
 * SYS_MAXSYSCALL), found at run time so that new table entries do not
 * break the tests.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>
#include <rump/rump.h>

#define CHECK(e) do { if (!(e)) { error = __LINE__; goto out; } } while (0)

/* Returns the sum of its six arguments, and its first argument negated
 * as the second result. */
static int
ktest_sum6(struct lwp *l __unused, const void *uap, register_t *retval)
{
	const register_t *args = uap;

	retval[0] = args[0] + args[1] + args[2] + args[3] + args[4] + args[5];
	retval[1] = -args[0];
	return 0;
}

static int
ktest_fails(struct lwp *l __unused, const void *uap __unused,
    register_t *retval __unused)
{

	return EDOM;
}

/* The n-th highest number without a name in the table, or -1. */
static int
free_number(int n)
{
	int num;

	for (num = syscall_nsysent - 1; num >= 0; num--)
		if (syscallnames[num] == NULL && n-- == 0)
			return num;
	return -1;
}

/* Is num without a handler?  (Dispatch says ENOSYS.) */
static bool
unestablished(int num)
{
	register_t args[6] = { 0 }, rv[2];

	return syscall_dispatch(curlwp, num, args, rv) == ENOSYS;
}

/* The package that t_syscall.c calls through rump_syscall(). */
static struct syscall_package sum6_pkg[] = {
	{ 0, ktest_sum6 },
	{ 0, ktest_fails },
	{ 0, NULL },
};

/* Establish sum6_pkg; *sum6 and *fails get its numbers. */
int
rump_ktest_syscall_sum6_establish(int *sum6, int *fails)
{
	int error = 0;

	rump_schedule();
	sum6_pkg[0].sp_num = free_number(0);
	sum6_pkg[1].sp_num = free_number(1);
	CHECK(sum6_pkg[0].sp_num > 0 && sum6_pkg[1].sp_num > 0);
	CHECK(syscall_establish(sum6_pkg) == 0);
	*sum6 = sum6_pkg[0].sp_num;
	*fails = sum6_pkg[1].sp_num;
 out:
	rump_unschedule();
	return error;
}

int
rump_ktest_syscall_sum6_disestablish(void)
{
	int error = 0;

	rump_schedule();
	syscall_disestablish(sum6_pkg);
	CHECK(unestablished(sum6_pkg[0].sp_num));
	CHECK(unestablished(sum6_pkg[1].sp_num));
 out:
	rump_unschedule();
	return error;
}

/* A package with a number out of range establishes nothing: EINVAL. */
int
rump_ktest_syscall_establish_out_of_range(void)
{
	struct syscall_package high[] = {
		{ free_number(0), ktest_sum6 },
		{ SYS_MAXSYSCALL, ktest_sum6 },
		{ 0, NULL },
	};
	struct syscall_package negative[] = {
		{ free_number(0), ktest_sum6 },
		{ -1, ktest_sum6 },
		{ 0, NULL },
	};
	int error = 0;

	rump_schedule();
	CHECK(high[0].sp_num > 0);
	CHECK(syscall_establish(high) == EINVAL);
	CHECK(unestablished(high[0].sp_num));
	CHECK(syscall_establish(negative) == EINVAL);
	CHECK(unestablished(negative[0].sp_num));
 out:
	rump_unschedule();
	return error;
}

/*
 * A package with a number that has a handler establishes nothing:
 * EEXIST, whether the handler is another package's or the package's own
 * (a number listed twice).  The existing handler stays.
 */
int
rump_ktest_syscall_establish_taken(void)
{
	struct syscall_package taken[] = {
		{ free_number(0), ktest_sum6 },
		{ free_number(1), ktest_sum6 },
		{ SYS_getpid, ktest_fails },
		{ 0, NULL },
	};
	struct syscall_package twice[] = {
		{ free_number(0), ktest_sum6 },
		{ free_number(0), ktest_fails },
		{ 0, NULL },
	};
	register_t args[6] = { 0 }, rv[2];
	int error = 0;

	rump_schedule();
	CHECK(taken[0].sp_num > 0 && taken[1].sp_num > 0);
	CHECK(syscall_establish(taken) == EEXIST);
	CHECK(unestablished(taken[0].sp_num));
	CHECK(unestablished(taken[1].sp_num));
	CHECK(syscall_dispatch(curlwp, SYS_getpid, args, rv) == 0);
	CHECK(rv[0] == curproc->p_pid);

	CHECK(syscall_establish(twice) == EEXIST);
	CHECK(unestablished(twice[0].sp_num));

	/* And after all that, a good package still goes in and out. */
	CHECK(syscall_establish(twice + 1) == 0);
	CHECK(syscall_dispatch(curlwp, twice[1].sp_num, args, rv) == EDOM);
	syscall_disestablish(twice + 1);
	CHECK(unestablished(twice[1].sp_num));
 out:
	rump_unschedule();
	return error;
}

/* The generated name and argument-count tables match syscalls.tbl. */
int
rump_ktest_syscall_tables(void)
{
	int error = 0, num, named = 0;

	CHECK(syscall_nsysent == SYS_MAXSYSCALL);
	CHECK(syscallnames[SYS_MAXSYSCALL - 1] != NULL);
	CHECK(strcmp(syscallnames[39], "getpid") == 0);
	CHECK(syscallnargs[39] == 0);
	CHECK(strcmp(syscallnames[SYS_clock_nanosleep], "clock_nanosleep")
	    == 0);
	CHECK(SYS_clock_nanosleep == 230);
	CHECK(syscallnargs[SYS_clock_nanosleep] == 4);
	CHECK(strcmp(syscallnames[SYS_reboot], "reboot") == 0);
	CHECK(syscallnargs[SYS_reboot] == 4);
	CHECK(syscallnames[0] == NULL || strcmp(syscallnames[0], "read") == 0);
	for (num = 0; num < syscall_nsysent; num++) {
		if (syscallnames[num] == NULL) {
			CHECK(syscallnargs[num] == 0);
			continue;
		}
		CHECK(syscallnargs[num] <= 6);
		named++;
	}
	CHECK(named >= 28);
	/* A handler's argument structure has one register per argument. */
	CHECK(sizeof(struct sys_clock_nanosleep_args) ==
	    4 * sizeof(register_t));
	CHECK(sizeof(struct sys_reboot_args) == 4 * sizeof(register_t));
 out:
	return error;
}
