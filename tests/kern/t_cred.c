/*
 * t_cred.c: credentials and random numbers seen from a program: the uid,
 * gid and group system calls with Linux's rules (setuid(2), setreuid(2),
 * setresuid(2), setgid(2), setfsuid(2), getgroups(2), credentials(7)),
 * the capabilities that follow the uids (capabilities(7)), credentials
 * across rump_lwproc_rfork, and getrandom(2).
 *
 * Each test boots its own kernel (Check runs each in a child process) and
 * does its identity changes in a process of its own made with
 * rump_lwproc_rfork, so that the default process stays root and may halt
 * the kernel at the end.  Where a rule is subtle, the expected values were
 * checked against the host's Linux kernel.
 */

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define REBOOT_MAGIC1 0xfee1dead
#define REBOOT_MAGIC2 672274793
#define REBOOT_CMD_HALT 0xcdef0123

/* getrandom(2) flags (linux/random.h). */
#define GRND_NONBLOCK 0x01
#define GRND_RANDOM 0x02
#define GRND_INSECURE 0x04

/* Linux's limit on supplementary groups (linux/limits.h). */
#define LINUX_NGROUPS_MAX 65536

/* An address in the kernel half: never user memory. */
#define KERNEL_ADDR ((void *)0xffff800000001000UL)

#define KEEP ((uid_t)-1)
#define MiB (1024 * 1024)

/* Expect a rump_sys_* call to fail with -1 and errno e. */
#define ck_assert_fails(call, e) do { \
	errno = 0; \
	ck_assert_int_eq((call), -1); \
	ck_assert_msg(errno == (e), #call ": errno %d (%s), expected %d (%s)", \
	    errno, strerror(errno), (e), strerror(e)); \
} while (0)

#define ck_assert_ok(call) do { \
	errno = 0; \
	ck_assert_msg((call) == 0, #call ": errno %d (%s)", errno, \
	    strerror(errno)); \
} while (0)

/* The real, effective and saved uids are r, e, s. */
#define ck_assert_resuid(r, e, s) do { \
	uid_t r_, e_, s_; \
	ck_assert_int_eq(rump_sys_getresuid(&r_, &e_, &s_), 0); \
	ck_assert_msg(r_ == (uid_t)(r) && e_ == (uid_t)(e) && \
	    s_ == (uid_t)(s), "resuid %u %u %u, expected %u %u %u", \
	    r_, e_, s_, (uid_t)(r), (uid_t)(e), (uid_t)(s)); \
	ck_assert_uint_eq(rump_sys_getuid(), (uid_t)(r)); \
	ck_assert_uint_eq(rump_sys_geteuid(), (uid_t)(e)); \
} while (0)

#define ck_assert_resgid(r, e, s) do { \
	gid_t r_, e_, s_; \
	ck_assert_int_eq(rump_sys_getresgid(&r_, &e_, &s_), 0); \
	ck_assert_msg(r_ == (gid_t)(r) && e_ == (gid_t)(e) && \
	    s_ == (gid_t)(s), "resgid %u %u %u, expected %u %u %u", \
	    r_, e_, s_, (gid_t)(r), (gid_t)(e), (gid_t)(s)); \
	ck_assert_uint_eq(rump_sys_getgid(), (gid_t)(r)); \
	ck_assert_uint_eq(rump_sys_getegid(), (gid_t)(e)); \
} while (0)

/* setfsuid(-1) changes nothing and returns the fs uid. */
#define ck_assert_fsuid(v) \
	ck_assert_uint_eq((uid_t)rump_sys_setfsuid(KEEP), (uid_t)(v))
#define ck_assert_fsgid(v) \
	ck_assert_uint_eq((gid_t)rump_sys_setfsgid(KEEP), (gid_t)(v))

static void
boot(void)
{
	int error = rump_init();

	ck_assert_msg(error == 0, "rump_init: %s", strerror(error));
}

/* Halt from the default process, which the tests leave root. */
static void
halt(void)
{

	rump_lwproc_switch(NULL);
	ck_assert_int_eq(rump_sys_reboot(REBOOT_MAGIC1, REBOOT_MAGIC2,
	    REBOOT_CMD_HALT, NULL), 0);
}

/* Boot, and switch the thread to a new process (root, pid 2). */
static struct lwp *
boot_in_new_process(void)
{

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	ck_assert_int_eq(rump_sys_getpid(), 2);
	ck_assert_resuid(0, 0, 0);
	return rump_lwproc_curlwp();
}

/* Boot into a new process with uids r, e, s (all non-zero: no
 * capabilities left). */
static void
boot_as(uid_t r, uid_t e, uid_t s)
{

	boot_in_new_process();
	ck_assert_ok(rump_sys_setresuid(r, e, s));
	ck_assert_resuid(r, e, s);
}

/* Does the process have CAP_SYS_ADMIN?  sethostname(2) tells. */
static bool
has_sys_admin(void)
{

	if (rump_sys_sethostname("h", 1) == 0)
		return true;
	ck_assert_int_eq(errno, EPERM);
	return false;
}

/*
 * setuid.
 */

START_TEST(setuid_as_root_sets_real_effective_saved_and_fs)
{
	boot_in_new_process();
	ck_assert_ok(rump_sys_setuid(1000));
	ck_assert_resuid(1000, 1000, 1000);
	ck_assert_fsuid(1000);
	halt();
}
END_TEST

START_TEST(setuid_as_nonroot_to_real_or_saved_sets_effective_only)
{
	boot_as(1000, 2000, 3000);
	ck_assert_ok(rump_sys_setuid(1000));
	ck_assert_resuid(1000, 1000, 3000);
	ck_assert_fsuid(1000);
	ck_assert_ok(rump_sys_setuid(3000));
	ck_assert_resuid(1000, 3000, 3000);
	ck_assert_fsuid(3000);
	halt();
}
END_TEST

START_TEST(setuid_as_nonroot_to_other_uid_fails_EPERM)
{
	boot_as(1000, 2000, 3000);
	ck_assert_fails(rump_sys_setuid(4000), EPERM);
	ck_assert_fails(rump_sys_setuid(0), EPERM);
	/* The effective uid is neither the real nor the saved one: Linux
	 * refuses it too. */
	ck_assert_fails(rump_sys_setuid(2000), EPERM);
	ck_assert_resuid(1000, 2000, 3000);
	ck_assert_fsuid(2000);
	halt();
}
END_TEST

START_TEST(setuid_and_setgid_minus_one_fail_EINVAL)
{
	boot_in_new_process();
	ck_assert_fails(rump_sys_setuid(KEEP), EINVAL);
	ck_assert_fails(rump_sys_setgid((gid_t)-1), EINVAL);
	ck_assert_resuid(0, 0, 0);
	ck_assert_resgid(0, 0, 0);
	halt();
}
END_TEST

START_TEST(setuid_by_privileged_nonroot_real_sets_all_and_drops_root)
{
	boot_in_new_process();
	/* Real uid 1000, effective and saved still 0: still privileged. */
	ck_assert_ok(rump_sys_setreuid(1000, KEEP));
	ck_assert_resuid(1000, 0, 0);
	ck_assert(has_sys_admin());
	/* So setuid sets all three, and root is gone for good. */
	ck_assert_ok(rump_sys_setuid(1000));
	ck_assert_resuid(1000, 1000, 1000);
	ck_assert_fails(rump_sys_setuid(0), EPERM);
	ck_assert(!has_sys_admin());
	halt();
}
END_TEST

/*
 * setresuid.
 */

START_TEST(setresuid_minus_one_keeps_that_field)
{
	boot_in_new_process();
	ck_assert_ok(rump_sys_setresuid(1000, KEEP, KEEP));
	ck_assert_resuid(1000, 0, 0);
	ck_assert_ok(rump_sys_setresuid(KEEP, KEEP, 3000));
	ck_assert_resuid(1000, 0, 3000);
	ck_assert_ok(rump_sys_setresuid(KEEP, 2000, KEEP));
	ck_assert_resuid(1000, 2000, 3000);
	ck_assert_ok(rump_sys_setresuid(KEEP, KEEP, KEEP));
	ck_assert_resuid(1000, 2000, 3000);
	ck_assert_fsuid(2000);
	halt();
}
END_TEST

START_TEST(setresuid_as_nonroot_may_permute_its_own_uids)
{
	boot_as(1000, 2000, 3000);
	ck_assert_ok(rump_sys_setresuid(3000, 1000, 2000));
	ck_assert_resuid(3000, 1000, 2000);
	ck_assert_fsuid(1000);
	ck_assert_ok(rump_sys_setresuid(2000, 2000, 2000));
	ck_assert_resuid(2000, 2000, 2000);
	halt();
}
END_TEST

START_TEST(setresuid_as_nonroot_to_other_uid_fails_EPERM_changes_nothing)
{
	boot_as(1000, 2000, 3000);
	ck_assert_fails(rump_sys_setresuid(4000, KEEP, KEEP), EPERM);
	ck_assert_fails(rump_sys_setresuid(KEEP, 0, KEEP), EPERM);
	/* One bad field fails the call: the good ones are not applied. */
	ck_assert_fails(rump_sys_setresuid(3000, 1000, 4000), EPERM);
	ck_assert_resuid(1000, 2000, 3000);
	ck_assert_fsuid(2000);
	halt();
}
END_TEST

/*
 * setreuid.
 */

START_TEST(setreuid_setting_real_sets_saved_to_new_effective)
{
	boot_in_new_process();
	ck_assert_ok(rump_sys_setreuid(1000, 2000));
	ck_assert_resuid(1000, 2000, 2000);
	ck_assert_fsuid(2000);
	halt();
}
END_TEST

START_TEST(setreuid_effective_other_than_old_real_sets_saved)
{
	boot_as(1000, 2000, 3000);
	/* The effective uid does not even change, but it is not the old
	 * real uid: the saved uid becomes it. */
	ck_assert_ok(rump_sys_setreuid(KEEP, 2000));
	ck_assert_resuid(1000, 2000, 2000);
	halt();
}
END_TEST

START_TEST(setreuid_effective_to_old_real_keeps_saved)
{
	boot_as(1000, 2000, 3000);
	ck_assert_ok(rump_sys_setreuid(KEEP, 1000));
	ck_assert_resuid(1000, 1000, 3000);
	ck_assert_fsuid(1000);
	/* And back to the saved one, which becomes the saved one again. */
	ck_assert_ok(rump_sys_setreuid(KEEP, 3000));
	ck_assert_resuid(1000, 3000, 3000);
	/* -1, -1 changes no uid. */
	ck_assert_ok(rump_sys_setreuid(KEEP, KEEP));
	ck_assert_resuid(1000, 3000, 3000);
	halt();
}
END_TEST

START_TEST(setreuid_as_nonroot_swaps_real_and_effective)
{
	boot_as(1000, 2000, 3000);
	ck_assert_ok(rump_sys_setreuid(2000, 1000));
	ck_assert_resuid(2000, 1000, 1000);
	ck_assert_ok(rump_sys_setreuid(1000, 2000));
	ck_assert_resuid(1000, 2000, 2000);
	halt();
}
END_TEST

START_TEST(setreuid_as_nonroot_outside_the_rules_fails_EPERM)
{
	boot_as(1000, 2000, 3000);
	/* The real uid may become the real or effective one, not the
	 * saved one. */
	ck_assert_fails(rump_sys_setreuid(3000, KEEP), EPERM);
	ck_assert_fails(rump_sys_setreuid(4000, KEEP), EPERM);
	/* The effective uid may become any of the three, nothing else. */
	ck_assert_fails(rump_sys_setreuid(KEEP, 4000), EPERM);
	ck_assert_fails(rump_sys_setreuid(1000, 0), EPERM);
	ck_assert_resuid(1000, 2000, 3000);
	/* Real to the old effective is allowed, and sets the saved uid. */
	ck_assert_ok(rump_sys_setreuid(2000, KEEP));
	ck_assert_resuid(2000, 2000, 2000);
	halt();
}
END_TEST

/*
 * The gid calls: the same rules, with CAP_SETGID as the privilege.
 */

/* Boot into a process with gids r, e, s and uid 1000 (no capabilities). */
static void
boot_as_gids(gid_t r, gid_t e, gid_t s)
{

	boot_in_new_process();
	ck_assert_ok(rump_sys_setresgid(r, e, s));
	ck_assert_resgid(r, e, s);
	ck_assert_ok(rump_sys_setresuid(1000, 1000, 1000));
}

START_TEST(setgid_as_root_sets_real_effective_saved_and_fs)
{
	boot_in_new_process();
	ck_assert_ok(rump_sys_setgid(100));
	ck_assert_resgid(100, 100, 100);
	ck_assert_fsgid(100);
	/* The uids are untouched. */
	ck_assert_resuid(0, 0, 0);
	halt();
}
END_TEST

START_TEST(setgid_as_nonroot_to_real_or_saved_only)
{
	boot_as_gids(100, 200, 300);
	ck_assert_fails(rump_sys_setgid(400), EPERM);
	ck_assert_fails(rump_sys_setgid(200), EPERM);
	ck_assert_fails(rump_sys_setgid(0), EPERM);
	ck_assert_resgid(100, 200, 300);
	ck_assert_ok(rump_sys_setgid(300));
	ck_assert_resgid(100, 300, 300);
	ck_assert_fsgid(300);
	ck_assert_ok(rump_sys_setgid(100));
	ck_assert_resgid(100, 100, 300);
	halt();
}
END_TEST

START_TEST(setresgid_minus_one_keeps_that_field)
{
	boot_in_new_process();
	ck_assert_ok(rump_sys_setresgid(100, KEEP, KEEP));
	ck_assert_resgid(100, 0, 0);
	ck_assert_ok(rump_sys_setresgid(KEEP, KEEP, 300));
	ck_assert_resgid(100, 0, 300);
	ck_assert_ok(rump_sys_setresgid(KEEP, 200, KEEP));
	ck_assert_resgid(100, 200, 300);
	ck_assert_ok(rump_sys_setresgid(KEEP, KEEP, KEEP));
	ck_assert_resgid(100, 200, 300);
	ck_assert_fsgid(200);
	halt();
}
END_TEST

START_TEST(setresgid_as_nonroot_permutes_own_gids_only)
{
	boot_as_gids(100, 200, 300);
	ck_assert_ok(rump_sys_setresgid(300, 100, 200));
	ck_assert_resgid(300, 100, 200);
	ck_assert_fails(rump_sys_setresgid(400, KEEP, KEEP), EPERM);
	ck_assert_fails(rump_sys_setresgid(KEEP, KEEP, 0), EPERM);
	ck_assert_resgid(300, 100, 200);
	halt();
}
END_TEST

START_TEST(setregid_follows_the_saved_id_rules)
{
	boot_in_new_process();
	/* Setting the real gid sets the saved one to the new effective. */
	ck_assert_ok(rump_sys_setregid(100, 200));
	ck_assert_resgid(100, 200, 200);
	ck_assert_ok(rump_sys_setresgid(100, 200, 300));
	ck_assert_ok(rump_sys_setresuid(1000, 1000, 1000));
	/* Without CAP_SETGID the real gid may not become the saved one,
	 * nor the effective one a stranger. */
	ck_assert_fails(rump_sys_setregid(300, (gid_t)-1), EPERM);
	ck_assert_fails(rump_sys_setregid((gid_t)-1, 400), EPERM);
	ck_assert_resgid(100, 200, 300);
	/* Effective to the old real gid: the saved one stays. */
	ck_assert_ok(rump_sys_setregid((gid_t)-1, 100));
	ck_assert_resgid(100, 100, 300);
	/* Effective to another: the saved one follows. */
	ck_assert_ok(rump_sys_setregid((gid_t)-1, 300));
	ck_assert_resgid(100, 300, 300);
	/* Swapping real and effective is allowed. */
	ck_assert_ok(rump_sys_setregid(300, 100));
	ck_assert_resgid(300, 100, 100);
	ck_assert_fsgid(100);
	halt();
}
END_TEST

/*
 * getresuid, getresgid.
 */

START_TEST(getresuid_and_getresgid_copy_out_all_three)
{
	uid_t r = 5, e = 5, s = 5;
	gid_t gr = 5, ge = 5, gs = 5;

	boot_in_new_process();
	ck_assert_ok(rump_sys_setresgid(10, 20, 30));
	ck_assert_ok(rump_sys_setresuid(1, 2, 3));
	ck_assert_int_eq(rump_sys_getresuid(&r, &e, &s), 0);
	ck_assert_uint_eq(r, 1);
	ck_assert_uint_eq(e, 2);
	ck_assert_uint_eq(s, 3);
	ck_assert_int_eq(rump_sys_getresgid(&gr, &ge, &gs), 0);
	ck_assert_uint_eq(gr, 10);
	ck_assert_uint_eq(ge, 20);
	ck_assert_uint_eq(gs, 30);
	halt();
}
END_TEST

START_TEST(getresuid_and_getresgid_bad_pointer_fail_EFAULT)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	boot_in_new_process();
	ck_assert_ok(rump_sys_setresuid(1, 2, 3));
	ck_assert_fails(rump_sys_getresuid(NULL, &e, &s), EFAULT);
	ck_assert_fails(rump_sys_getresuid(&r, KERNEL_ADDR, &s), EFAULT);
	ck_assert_fails(rump_sys_getresuid(&r, &e, NULL), EFAULT);
	ck_assert_fails(rump_sys_getresgid(KERNEL_ADDR, &ge, &gs), EFAULT);
	ck_assert_fails(rump_sys_getresgid(&gr, NULL, &gs), EFAULT);
	ck_assert_fails(rump_sys_getresgid(&gr, &ge, KERNEL_ADDR), EFAULT);
	/* As in Linux, the ids before the bad pointer are written. */
	r = e = 0;
	ck_assert_fails(rump_sys_getresuid(&r, &e, NULL), EFAULT);
	ck_assert_uint_eq(r, 1);
	ck_assert_uint_eq(e, 2);
	halt();
}
END_TEST

/*
 * getgroups, setgroups.
 */

START_TEST(getgroups_zero_size_returns_the_count)
{
	gid_t g[3] = { 30, 10, 20 };

	boot_in_new_process();
	ck_assert_int_eq(rump_sys_getgroups(0, NULL), 0);
	ck_assert_ok(rump_sys_setgroups(3, g));
	ck_assert_int_eq(rump_sys_getgroups(0, NULL), 3);
	/* With no groups, any size and even no buffer is fine. */
	ck_assert_ok(rump_sys_setgroups(0, NULL));
	ck_assert_int_eq(rump_sys_getgroups(0, NULL), 0);
	ck_assert_int_eq(rump_sys_getgroups(5, NULL), 0);
	halt();
}
END_TEST

START_TEST(getgroups_returns_groups_sorted_with_duplicates)
{
	gid_t set[4] = { 30, 10, 20, 10 }, got[8];

	boot_in_new_process();
	ck_assert_ok(rump_sys_setgroups(4, set));
	memset(got, 0x5a, sizeof(got));
	ck_assert_int_eq(rump_sys_getgroups(8, got), 4);
	ck_assert_uint_eq(got[0], 10);
	ck_assert_uint_eq(got[1], 10);
	ck_assert_uint_eq(got[2], 20);
	ck_assert_uint_eq(got[3], 30);
	ck_assert_uint_eq(got[4], 0x5a5a5a5a);
	/* Exactly the count fits too. */
	ck_assert_int_eq(rump_sys_getgroups(4, got), 4);
	halt();
}
END_TEST

static int
gid_cmp(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

	return x < y ? -1 : x > y;
}

START_TEST(getgroups_returns_a_shuffled_list_sorted)
{
	gid_t set[1000], got[1000];
	uint32_t x = 12345;
	int i;

	for (i = 0; i < 1000; i++) {
		x = x * 1103515245 + 12345;	/* some order, some repeats */
		set[i] = (x >> 8) % 700;
	}
	set[0] = 0xffffffffu - 1;
	boot_in_new_process();
	ck_assert_ok(rump_sys_setgroups(1000, set));
	ck_assert_int_eq(rump_sys_getgroups(1000, got), 1000);
	qsort(set, 1000, sizeof(gid_t), gid_cmp);
	ck_assert(memcmp(set, got, sizeof(got)) == 0);
	halt();
}
END_TEST

START_TEST(getgroups_too_small_or_negative_size_fails_EINVAL)
{
	gid_t set[3] = { 1, 2, 3 }, got[3];

	boot_in_new_process();
	ck_assert_ok(rump_sys_setgroups(3, set));
	ck_assert_fails(rump_sys_getgroups(2, got), EINVAL);
	ck_assert_fails(rump_sys_getgroups(1, got), EINVAL);
	ck_assert_fails(rump_sys_getgroups(-1, got), EINVAL);
	ck_assert_fails(rump_sys_getgroups(INT_MIN, NULL), EINVAL);
	halt();
}
END_TEST

START_TEST(getgroups_bad_pointer_fails_EFAULT)
{
	gid_t set[2] = { 1, 2 };

	boot_in_new_process();
	ck_assert_ok(rump_sys_setgroups(2, set));
	ck_assert_fails(rump_sys_getgroups(2, NULL), EFAULT);
	ck_assert_fails(rump_sys_getgroups(2, KERNEL_ADDR), EFAULT);
	halt();
}
END_TEST

START_TEST(setgroups_as_nonroot_fails_EPERM)
{
	gid_t set[1] = { 5 };

	boot_in_new_process();
	ck_assert_ok(rump_sys_setgroups(1, set));
	ck_assert_ok(rump_sys_setresuid(1000, 1000, 1000));
	ck_assert_fails(rump_sys_setgroups(0, NULL), EPERM);
	ck_assert_fails(rump_sys_setgroups(1, set), EPERM);
	/* The capability is checked first. */
	ck_assert_fails(rump_sys_setgroups(LINUX_NGROUPS_MAX + 1, set), EPERM);
	ck_assert_int_eq(rump_sys_getgroups(0, NULL), 1);
	halt();
}
END_TEST

START_TEST(setgroups_over_NGROUPS_MAX_fails_EINVAL)
{
	gid_t *g = calloc(LINUX_NGROUPS_MAX + 1, sizeof(gid_t));
	gid_t one = 7;
	int i;

	ck_assert_ptr_nonnull(g);
	for (i = 0; i <= LINUX_NGROUPS_MAX; i++)
		g[i] = LINUX_NGROUPS_MAX - i;
	boot_in_new_process();
	ck_assert_ok(rump_sys_setgroups(1, &one));
	ck_assert_fails(rump_sys_setgroups(LINUX_NGROUPS_MAX + 1, g), EINVAL);
	ck_assert_fails(rump_sys_setgroups((size_t)-1, g), EINVAL);
	ck_assert_int_eq(rump_sys_getgroups(0, NULL), 1);
	/* NGROUPS_MAX itself is allowed. */
	ck_assert_ok(rump_sys_setgroups(LINUX_NGROUPS_MAX, g));
	ck_assert_int_eq(rump_sys_getgroups(0, NULL), LINUX_NGROUPS_MAX);
	ck_assert_int_eq(rump_sys_getgroups(LINUX_NGROUPS_MAX, g),
	    LINUX_NGROUPS_MAX);
	for (i = 0; i < LINUX_NGROUPS_MAX; i++)
		if (g[i] != (gid_t)(i + 1))
			break;
	ck_assert_int_eq(i, LINUX_NGROUPS_MAX);
	free(g);
	halt();
}
END_TEST

/*
 * Groups come in any order and are kept sorted: 65536 of them in reverse
 * order must not take quadratic time (an insertion sort took 1.5 s a
 * call; Linux sorts with heapsort).
 */
START_TEST(setgroups_sorts_NGROUPS_MAX_reversed_groups_quickly)
{
	gid_t *g = malloc(LINUX_NGROUPS_MAX * sizeof(gid_t));
	struct timespec t0, t1;
	double secs;
	int i, round;

	ck_assert_ptr_nonnull(g);
	boot_in_new_process();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (round = 0; round < 5; round++) {
		for (i = 0; i < LINUX_NGROUPS_MAX; i++)
			g[i] = LINUX_NGROUPS_MAX - i + round;
		ck_assert_ok(rump_sys_setgroups(LINUX_NGROUPS_MAX, g));
		/* A change of uid copies the groups. */
		ck_assert_ok(rump_sys_setresuid(KEEP, KEEP, KEEP));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(secs < 2.0, "5 setgroups of %d groups took %.2f s",
	    LINUX_NGROUPS_MAX, secs);
	ck_assert_int_eq(rump_sys_getgroups(LINUX_NGROUPS_MAX, g),
	    LINUX_NGROUPS_MAX);
	for (i = 0; i < LINUX_NGROUPS_MAX; i++)
		if (g[i] != (gid_t)(i + 5))
			break;
	ck_assert_int_eq(i, LINUX_NGROUPS_MAX);
	free(g);
	halt();
}
END_TEST

START_TEST(setgroups_bad_pointer_fails_EFAULT_changes_nothing)
{
	gid_t one = 7, got;

	boot_in_new_process();
	ck_assert_ok(rump_sys_setgroups(1, &one));
	ck_assert_fails(rump_sys_setgroups(1, NULL), EFAULT);
	ck_assert_fails(rump_sys_setgroups(2, KERNEL_ADDR), EFAULT);
	ck_assert_int_eq(rump_sys_getgroups(1, &got), 1);
	ck_assert_uint_eq(got, 7);
	halt();
}
END_TEST

START_TEST(setgroups_zero_clears_the_groups)
{
	gid_t set[2] = { 1, 2 };

	boot_in_new_process();
	ck_assert_ok(rump_sys_setgroups(2, set));
	ck_assert_ok(rump_sys_setgroups(0, NULL));
	ck_assert_int_eq(rump_sys_getgroups(0, NULL), 0);
	halt();
}
END_TEST

/*
 * setfsuid, setfsgid.
 */

START_TEST(setfsuid_returns_the_previous_fsuid)
{
	boot_in_new_process();
	ck_assert_int_eq(rump_sys_setfsuid(1000), 0);
	ck_assert_int_eq(rump_sys_setfsuid(2000), 1000);
	ck_assert_int_eq(rump_sys_setfsuid(KEEP), 2000);
	ck_assert_int_eq(rump_sys_setfsuid(0), 2000);
	ck_assert_int_eq(rump_sys_setfsuid(KEEP), 0);
	/* The other uids are untouched. */
	ck_assert_resuid(0, 0, 0);
	halt();
}
END_TEST

START_TEST(setfsuid_follows_effective_uid_changes)
{
	boot_in_new_process();
	ck_assert_ok(rump_sys_setresuid(KEEP, 1000, KEEP));
	ck_assert_fsuid(1000);
	ck_assert_ok(rump_sys_setreuid(KEEP, 0));
	ck_assert_fsuid(0);
	ck_assert_int_eq(rump_sys_setfsuid(3000), 0);
	ck_assert_fsuid(3000);
	/* Setting the effective uid resets it, even to the same value; so
	 * does setreuid(-1, -1).  (setresuid(-1, -1, -1) resets it in
	 * Linux 6.1 but is a no-op on newer kernels, the host's 6.18 among
	 * them: not tested.) */
	ck_assert_ok(rump_sys_setresuid(KEEP, 0, KEEP));
	ck_assert_fsuid(0);
	ck_assert_int_eq(rump_sys_setfsuid(3000), 0);
	ck_assert_ok(rump_sys_setreuid(KEEP, KEEP));
	ck_assert_fsuid(0);
	ck_assert_ok(rump_sys_setuid(2000));
	ck_assert_fsuid(2000);
	halt();
}
END_TEST

START_TEST(setfsuid_as_nonroot_only_to_own_uids)
{
	boot_as(1000, 2000, 3000);
	ck_assert_fsuid(2000);
	/* Not allowed: the previous value comes back, nothing changes. */
	ck_assert_int_eq(rump_sys_setfsuid(4000), 2000);
	ck_assert_int_eq(rump_sys_setfsuid(0), 2000);
	ck_assert_fsuid(2000);
	ck_assert_int_eq(rump_sys_setfsuid(1000), 2000);
	ck_assert_int_eq(rump_sys_setfsuid(3000), 1000);
	ck_assert_fsuid(3000);
	ck_assert_resuid(1000, 2000, 3000);
	halt();
}
END_TEST

START_TEST(setfsgid_returns_previous_and_nonroot_only_own_gids)
{
	boot_in_new_process();
	ck_assert_int_eq(rump_sys_setfsgid(100), 0);
	ck_assert_int_eq(rump_sys_setfsgid(KEEP), 100);
	ck_assert_ok(rump_sys_setresgid(100, 200, 300));
	ck_assert_fsgid(200);
	ck_assert_ok(rump_sys_setresuid(1000, 1000, 1000));
	ck_assert_int_eq(rump_sys_setfsgid(400), 200);
	ck_assert_fsgid(200);
	ck_assert_int_eq(rump_sys_setfsgid(300), 200);
	ck_assert_fsgid(300);
	ck_assert_resgid(100, 200, 300);
	halt();
}
END_TEST

START_TEST(setfsuid_nonzero_keeps_the_other_capabilities)
{
	boot_in_new_process();
	ck_assert_int_eq(rump_sys_setfsuid(1000), 0);
	/* Only the file-system capabilities follow the fs uid. */
	ck_assert(has_sys_admin());
	ck_assert_ok(rump_sys_setuid(5));
	ck_assert_resuid(5, 5, 5);
	halt();
}
END_TEST

/*
 * Capabilities.
 */

START_TEST(all_uids_nonzero_drops_capabilities)
{
	gid_t one = 1;

	boot_in_new_process();
	ck_assert(has_sys_admin());
	ck_assert_ok(rump_sys_setresuid(1000, 1000, 1000));
	ck_assert(!has_sys_admin());
	ck_assert_fails(rump_sys_setuid(0), EPERM);
	ck_assert_fails(rump_sys_setresuid(0, 0, 0), EPERM);
	ck_assert_fails(rump_sys_setgid(5), EPERM);
	ck_assert_fails(rump_sys_setgroups(1, &one), EPERM);
	ck_assert_fails(rump_sys_reboot(REBOOT_MAGIC1, REBOOT_MAGIC2,
	    REBOOT_CMD_HALT, NULL), EPERM);
	ck_assert_resuid(1000, 1000, 1000);
	halt();
}
END_TEST

START_TEST(nonzero_euid_clears_effective_capabilities_zero_restores)
{
	boot_in_new_process();
	ck_assert_ok(rump_sys_setresuid(1000, 1000, 0));
	ck_assert(!has_sys_admin());
	/* The saved uid 0 kept them permitted: euid 0 brings them back. */
	ck_assert_ok(rump_sys_setresuid(KEEP, 0, KEEP));
	ck_assert(has_sys_admin());
	ck_assert_resuid(1000, 0, 0);
	ck_assert_ok(rump_sys_setreuid(KEEP, 1000));
	ck_assert_resuid(1000, 1000, 0);
	ck_assert(!has_sys_admin());
	ck_assert_ok(rump_sys_setreuid(KEEP, 0));
	ck_assert_resuid(1000, 0, 0);
	ck_assert(has_sys_admin());
	halt();
}
END_TEST

START_TEST(gid_changes_leave_capabilities_alone)
{
	boot_in_new_process();
	ck_assert_ok(rump_sys_setresgid(100, 100, 100));
	ck_assert(has_sys_admin());
	ck_assert_ok(rump_sys_setresgid(0, 0, 0));
	ck_assert_resgid(0, 0, 0);
	halt();
}
END_TEST

/*
 * Credentials across processes and lwps.
 */

START_TEST(rfork_child_inherits_credentials_and_groups)
{
	gid_t set[2] = { 8, 7 }, got[2];

	boot_in_new_process();
	ck_assert_ok(rump_sys_setgroups(2, set));
	ck_assert_ok(rump_sys_setresgid(10, 20, 30));
	ck_assert_ok(rump_sys_setresuid(1, 2, 3));
	ck_assert_int_eq(rump_sys_setfsuid(1), 2);
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	ck_assert_int_eq(rump_sys_getpid(), 3);
	ck_assert_resuid(1, 2, 3);
	ck_assert_resgid(10, 20, 30);
	ck_assert_fsuid(1);
	ck_assert_int_eq(rump_sys_getgroups(2, got), 2);
	ck_assert_uint_eq(got[0], 7);
	ck_assert_uint_eq(got[1], 8);
	/* Without capabilities, as its parent. */
	ck_assert(!has_sys_admin());
	halt();
}
END_TEST

START_TEST(child_credential_change_does_not_affect_parent)
{
	struct lwp *parent, *child;
	gid_t one = 1;

	parent = boot_in_new_process();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	child = rump_lwproc_curlwp();
	ck_assert_ok(rump_sys_setgroups(1, &one));
	ck_assert_ok(rump_sys_setresgid(5, 6, 7));
	ck_assert_ok(rump_sys_setresuid(1000, 2000, 3000));
	ck_assert(!has_sys_admin());
	rump_lwproc_switch(parent);
	ck_assert_int_eq(rump_sys_getpid(), 2);
	ck_assert_resuid(0, 0, 0);
	ck_assert_resgid(0, 0, 0);
	ck_assert_int_eq(rump_sys_getgroups(0, NULL), 0);
	ck_assert(has_sys_admin());
	/* And the child kept its own. */
	rump_lwproc_switch(child);
	ck_assert_resuid(1000, 2000, 3000);
	rump_lwproc_releaselwp();
	rump_lwproc_switch(parent);
	ck_assert_resuid(0, 0, 0);
	halt();
}
END_TEST

START_TEST(parent_credential_change_after_rfork_does_not_affect_child)
{
	struct lwp *parent, *child;

	parent = boot_in_new_process();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	child = rump_lwproc_curlwp();
	rump_lwproc_switch(parent);
	ck_assert_ok(rump_sys_setuid(1000));
	rump_lwproc_switch(child);
	ck_assert_resuid(0, 0, 0);
	ck_assert(has_sys_admin());
	/* A new child of the changed parent gets the change. */
	rump_lwproc_switch(parent);
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	ck_assert_resuid(1000, 1000, 1000);
	halt();
}
END_TEST

START_TEST(lwps_of_one_process_share_credentials)
{
	struct lwp *first, *second;

	first = boot_in_new_process();
	ck_assert_int_eq(rump_lwproc_newlwp(2), 0);
	second = rump_lwproc_curlwp();
	ck_assert_ok(rump_sys_setresuid(1000, 2000, 3000));
	rump_lwproc_switch(first);
	ck_assert_resuid(1000, 2000, 3000);
	ck_assert_ok(rump_sys_setresuid(3000, 3000, 3000));
	rump_lwproc_switch(second);
	ck_assert_resuid(3000, 3000, 3000);
	rump_lwproc_releaselwp();
	rump_lwproc_switch(first);
	ck_assert_resuid(3000, 3000, 3000);
	halt();
}
END_TEST

START_TEST(default_process_keeps_its_credential_across_calls)
{
	boot();
	/* A thread without an lwp borrows one of pid 1 for each call. */
	ck_assert_ptr_null(rump_lwproc_curlwp());
	ck_assert_ok(rump_sys_setresuid(1000, 1000, 0));
	ck_assert_resuid(1000, 1000, 0);
	ck_assert_fails(rump_sys_reboot(REBOOT_MAGIC1, REBOOT_MAGIC2,
	    REBOOT_CMD_HALT, NULL), EPERM);
	/* A process forked from it inherits the change. */
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	ck_assert_resuid(1000, 1000, 0);
	rump_lwproc_releaselwp();
	ck_assert_ok(rump_sys_setresuid(0, 0, 0));
	ck_assert_resuid(0, 0, 0);
	halt();
}
END_TEST

START_TEST(uids_above_INT_MAX_round_trip)
{
	uid_t big = 4000000000u, r, e, s;

	boot_in_new_process();
	ck_assert_ok(rump_sys_setresgid(big, 0xfffffffeu, big));
	ck_assert_resgid(big, 0xfffffffeu, big);
	ck_assert_ok(rump_sys_setresuid(big, big + 1, big + 2));
	ck_assert_resuid(big, big + 1, big + 2);
	ck_assert_int_eq(rump_sys_getresuid(&r, &e, &s), 0);
	ck_assert_uint_eq(s, big + 2);
	/* Not root any more: none of them is 0. */
	ck_assert(!has_sys_admin());
	halt();
}
END_TEST

/*
 * One lwp changes the process's uids over and over while others of the
 * same process read them: each read sees one whole credential, old or
 * new (ASan builds also see that no lwp uses a freed one).
 */
#define CRED_READERS 3
#define CRED_ROUNDS 3000

struct cred_race {
	int pid;
	volatile int stop;
};

static void *
cred_reader(void *arg)
{
	struct cred_race *cr = arg;
	uid_t r, e, s;
	long bad = 0;

	if (rump_lwproc_newlwp(cr->pid) != 0)
		return (void *)-1L;
	while (!__atomic_load_n(&cr->stop, __ATOMIC_ACQUIRE)) {
		if (rump_sys_getresuid(&r, &e, &s) != 0 || r != 1000 ||
		    s != 0 || (e != 0 && e != 1000))
			bad++;
		e = rump_sys_geteuid();
		if (e != 0 && e != 1000)
			bad++;
	}
	rump_lwproc_releaselwp();
	return (void *)bad;
}

START_TEST(credential_change_is_seen_whole_by_other_lwps)
{
	struct cred_race cr = { 0, 0 };
	pthread_t t[CRED_READERS];
	void *bad;
	int i;

	setenv("RUMP_NCPU", "4", 1);
	boot_in_new_process();
	ck_assert_ok(rump_sys_setresuid(1000, 1000, 0));
	cr.pid = rump_sys_getpid();
	for (i = 0; i < CRED_READERS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, cred_reader, &cr),
		    0);
	for (i = 0; i < CRED_ROUNDS; i++) {
		ck_assert_ok(rump_sys_setresuid(KEEP, (i & 1) ? 1000 : 0,
		    KEEP));
		if (i % 64 == 0)
			sched_yield();
	}
	__atomic_store_n(&cr.stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < CRED_READERS; i++) {
		ck_assert_int_eq(pthread_join(t[i], &bad), 0);
		ck_assert_ptr_null(bad);
	}
	halt();
}
END_TEST

/*
 * getrandom.
 */

static bool
all_bytes_are(const unsigned char *p, size_t len, unsigned char v)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != v)
			return false;
	return true;
}

START_TEST(getrandom_fills_exactly_buflen_bytes)
{
	unsigned char buf[600];
	size_t len;

	boot();
	for (len = 1; len <= 520; len++) {
		memset(buf, 0xa5, sizeof(buf));
		ck_assert_int_eq(rump_sys_getrandom(buf, len, 0), (ssize_t)len);
		ck_assert_msg(all_bytes_are(buf + len, sizeof(buf) - len, 0xa5),
		    "getrandom of %zu bytes wrote past them", len);
		/* 16 bytes all left as they were: 2^-128. */
		if (len >= 16)
			ck_assert_msg(!all_bytes_are(buf + len - 16, 16, 0xa5),
			    "getrandom of %zu bytes left the end alone", len);
	}
	halt();
}
END_TEST

START_TEST(getrandom_zero_bytes_returns_0)
{
	boot();
	ck_assert_int_eq(rump_sys_getrandom(NULL, 0, 0), 0);
	ck_assert_int_eq(rump_sys_getrandom(NULL, 0, GRND_RANDOM), 0);
	halt();
}
END_TEST

START_TEST(getrandom_two_calls_differ)
{
	unsigned char a[32], b[32];

	boot();
	ck_assert_int_eq(rump_sys_getrandom(a, sizeof(a), 0), 32);
	ck_assert_int_eq(rump_sys_getrandom(b, sizeof(b), 0), 32);
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
	halt();
	/* A fresh kernel is seeded afresh. */
	boot();
	ck_assert_int_eq(rump_sys_getrandom(b, sizeof(b), 0), 32);
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
	halt();
}
END_TEST

START_TEST(getrandom_accepts_NONBLOCK_RANDOM_and_INSECURE)
{
	static const unsigned int flags[] = { GRND_NONBLOCK, GRND_RANDOM,
	    GRND_NONBLOCK | GRND_RANDOM, GRND_INSECURE,
	    GRND_INSECURE | GRND_NONBLOCK };
	unsigned char buf[64];
	unsigned int i;

	boot();
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		memset(buf, 0, sizeof(buf));
		ck_assert_msg(rump_sys_getrandom(buf, sizeof(buf), flags[i]) ==
		    64, "flags %#x: errno %d", flags[i], errno);
		ck_assert(!all_bytes_are(buf, sizeof(buf), 0));
	}
	halt();
}
END_TEST

START_TEST(getrandom_unknown_flags_fail_EINVAL)
{
	static const unsigned int bad[] = { 0x08, 0x10, 0x80000000u,
	    0xffffffffu, GRND_INSECURE | GRND_RANDOM };
	unsigned char buf[16];
	unsigned int i;

	boot();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(buf, 0, sizeof(buf));
		errno = 0;
		ck_assert_int_eq(rump_sys_getrandom(buf, sizeof(buf), bad[i]),
		    -1);
		ck_assert_msg(errno == EINVAL, "flags %#x: errno %d", bad[i],
		    errno);
		ck_assert(all_bytes_are(buf, sizeof(buf), 0));
	}
	/* The flags are checked before the buffer. */
	ck_assert_fails(rump_sys_getrandom(NULL, 16, 0x08), EINVAL);
	halt();
}
END_TEST

START_TEST(getrandom_bad_pointer_fails_EFAULT)
{
	boot();
	ck_assert_fails(rump_sys_getrandom(NULL, 16, 0), EFAULT);
	ck_assert_fails(rump_sys_getrandom(KERNEL_ADDR, 16, 0), EFAULT);
	ck_assert_fails(rump_sys_getrandom(KERNEL_ADDR, 1, GRND_RANDOM),
	    EFAULT);
	halt();
}
END_TEST

/* Linux has had no separate blocking pool since 5.6: GRND_RANDOM reads
 * as much as any other call. */
START_TEST(getrandom_GRND_RANDOM_fills_more_than_512_bytes)
{
	unsigned char buf[4096];

	boot();
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(rump_sys_getrandom(buf, sizeof(buf), GRND_RANDOM),
	    (ssize_t)sizeof(buf));
	ck_assert(!all_bytes_are(buf + sizeof(buf) - 16, 16, 0));
	ck_assert_int_eq(rump_sys_getrandom(buf, 513,
	    GRND_RANDOM | GRND_NONBLOCK), 513);
	halt();
}
END_TEST

START_TEST(getrandom_1MiB_fills_it_all)
{
	static const unsigned int flags[] = { 0, GRND_RANDOM };
	unsigned char *buf = malloc(MiB);
	unsigned int i;

	ck_assert_ptr_nonnull(buf);
	boot();
	for (i = 0; i < 2; i++) {
		memset(buf, 0, MiB);
		ck_assert_int_eq(rump_sys_getrandom(buf, MiB, flags[i]), MiB);
		ck_assert(!all_bytes_are(buf + MiB - 16, 16, 0));
	}
	halt();
	free(buf);
}
END_TEST

/*
 * Linux 5.19 and later limit a call only as any read (MAX_RW_COUNT,
 * nearly 2 GiB); the old limit of 33554431 bytes is gone (checked on the
 * host, whose getrandom of 40 MiB returns 40 MiB).
 */
START_TEST(getrandom_over_32MiB_fills_it_all)
{
	size_t len = 32 * MiB + 64;
	unsigned char *buf = calloc(1, len);

	ck_assert_ptr_nonnull(buf);
	boot();
	ck_assert_int_eq(rump_sys_getrandom(buf, len, 0), (ssize_t)len);
	ck_assert(!all_bytes_are(buf + len - 16, 16, 0));
	halt();
	free(buf);
}
END_TEST

/*
 * The output looks random: every byte value about equally often (a
 * chi-square test with 255 degrees of freedom; 400 is far beyond its
 * 99.99th percentile) and no 16-byte block repeats among its neighbours
 * (a generator that reused keystream would repeat).
 */
START_TEST(getrandom_output_is_uniform_and_does_not_repeat)
{
	unsigned char *buf = malloc(MiB);
	unsigned long count[256] = { 0 };
	double chi2 = 0, expect = MiB / 256.0;
	size_t i;

	ck_assert_ptr_nonnull(buf);
	boot();
	/* Many small calls, as a generator's requests are cut. */
	for (i = 0; i < MiB; i += 4096)
		ck_assert_int_eq(rump_sys_getrandom(buf + i, 4096, 0), 4096);
	for (i = 0; i < MiB; i++)
		count[buf[i]]++;
	for (i = 0; i < 256; i++)
		chi2 += (count[i] - expect) * (count[i] - expect) / expect;
	ck_assert_msg(chi2 < 400, "chi-square %.1f", chi2);
	for (i = 0; i + 16 < MiB; i += 16) {
		ck_assert(memcmp(buf + i, buf + i + 16, 16) != 0);
		if (i + 4096 + 16 <= MiB)
			ck_assert(memcmp(buf + i, buf + i + 4096, 16) != 0);
	}
	halt();
	free(buf);
}
END_TEST

static Suite *
cred_suite(void)
{
	Suite *s = suite_create("cred");
	TCase *tc;

	tc = tcase_create("uid");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, setuid_as_root_sets_real_effective_saved_and_fs);
	tcase_add_test(tc,
	    setuid_as_nonroot_to_real_or_saved_sets_effective_only);
	tcase_add_test(tc, setuid_as_nonroot_to_other_uid_fails_EPERM);
	tcase_add_test(tc, setuid_and_setgid_minus_one_fail_EINVAL);
	tcase_add_test(tc,
	    setuid_by_privileged_nonroot_real_sets_all_and_drops_root);
	tcase_add_test(tc, setresuid_minus_one_keeps_that_field);
	tcase_add_test(tc, setresuid_as_nonroot_may_permute_its_own_uids);
	tcase_add_test(tc,
	    setresuid_as_nonroot_to_other_uid_fails_EPERM_changes_nothing);
	tcase_add_test(tc, setreuid_setting_real_sets_saved_to_new_effective);
	tcase_add_test(tc, setreuid_effective_other_than_old_real_sets_saved);
	tcase_add_test(tc, setreuid_effective_to_old_real_keeps_saved);
	tcase_add_test(tc, setreuid_as_nonroot_swaps_real_and_effective);
	tcase_add_test(tc, setreuid_as_nonroot_outside_the_rules_fails_EPERM);
	tcase_add_test(tc, getresuid_and_getresgid_copy_out_all_three);
	tcase_add_test(tc, getresuid_and_getresgid_bad_pointer_fail_EFAULT);
	suite_add_tcase(s, tc);

	tc = tcase_create("gid");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, setgid_as_root_sets_real_effective_saved_and_fs);
	tcase_add_test(tc, setgid_as_nonroot_to_real_or_saved_only);
	tcase_add_test(tc, setresgid_minus_one_keeps_that_field);
	tcase_add_test(tc, setresgid_as_nonroot_permutes_own_gids_only);
	tcase_add_test(tc, setregid_follows_the_saved_id_rules);
	suite_add_tcase(s, tc);

	tc = tcase_create("groups");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, getgroups_zero_size_returns_the_count);
	tcase_add_test(tc, getgroups_returns_groups_sorted_with_duplicates);
	tcase_add_test(tc, getgroups_returns_a_shuffled_list_sorted);
	tcase_add_test(tc, getgroups_too_small_or_negative_size_fails_EINVAL);
	tcase_add_test(tc, getgroups_bad_pointer_fails_EFAULT);
	tcase_add_test(tc, setgroups_as_nonroot_fails_EPERM);
	tcase_add_test(tc, setgroups_over_NGROUPS_MAX_fails_EINVAL);
	tcase_add_test(tc, setgroups_sorts_NGROUPS_MAX_reversed_groups_quickly);
	tcase_add_test(tc, setgroups_bad_pointer_fails_EFAULT_changes_nothing);
	tcase_add_test(tc, setgroups_zero_clears_the_groups);
	suite_add_tcase(s, tc);

	tc = tcase_create("fsuid");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, setfsuid_returns_the_previous_fsuid);
	tcase_add_test(tc, setfsuid_follows_effective_uid_changes);
	tcase_add_test(tc, setfsuid_as_nonroot_only_to_own_uids);
	tcase_add_test(tc, setfsgid_returns_previous_and_nonroot_only_own_gids);
	tcase_add_test(tc, setfsuid_nonzero_keeps_the_other_capabilities);
	suite_add_tcase(s, tc);

	tc = tcase_create("capabilities");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, all_uids_nonzero_drops_capabilities);
	tcase_add_test(tc,
	    nonzero_euid_clears_effective_capabilities_zero_restores);
	tcase_add_test(tc, gid_changes_leave_capabilities_alone);
	suite_add_tcase(s, tc);

	tc = tcase_create("processes");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, rfork_child_inherits_credentials_and_groups);
	tcase_add_test(tc, child_credential_change_does_not_affect_parent);
	tcase_add_test(tc,
	    parent_credential_change_after_rfork_does_not_affect_child);
	tcase_add_test(tc, lwps_of_one_process_share_credentials);
	tcase_add_test(tc, default_process_keeps_its_credential_across_calls);
	tcase_add_test(tc, uids_above_INT_MAX_round_trip);
	tcase_add_test(tc, credential_change_is_seen_whole_by_other_lwps);
	suite_add_tcase(s, tc);

	tc = tcase_create("getrandom");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, getrandom_fills_exactly_buflen_bytes);
	tcase_add_test(tc, getrandom_zero_bytes_returns_0);
	tcase_add_test(tc, getrandom_two_calls_differ);
	tcase_add_test(tc, getrandom_accepts_NONBLOCK_RANDOM_and_INSECURE);
	tcase_add_test(tc, getrandom_unknown_flags_fail_EINVAL);
	tcase_add_test(tc, getrandom_bad_pointer_fails_EFAULT);
	tcase_add_test(tc, getrandom_GRND_RANDOM_fills_more_than_512_bytes);
	tcase_add_test(tc, getrandom_1MiB_fills_it_all);
	tcase_add_test(tc, getrandom_over_32MiB_fills_it_all);
	tcase_add_test(tc, getrandom_output_is_uniform_and_does_not_repeat);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cred_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
