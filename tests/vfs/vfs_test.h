/*
 * vfs_test.h: what the VFS semantics tests (t_vfs.c, t_rename.c,
 * t_perm.c, t_attr.c, t_fhandle.c, t_rlimit.c, t_xattr.c) share: a registry of
 * tests, booting and halting, assertions on errno, switching to a
 * non-root process, small file helpers.
 *
 * Each test file is built twice.  Normally it calls the rump kernel.
 * Built with HOST_MODE (the t_*_host.c wrappers), every rump_sys_X is the
 * host's raw system call X, and "boot" puts the test's process (Check
 * forks one per test) into a private mount namespace, mounts a fresh
 * tmpfs on a directory of /dev/shm and chroots into it: the same absolute
 * paths then name the same things on both sides, and the host kernel
 * proves that what the suite expects is what Linux does.  The host
 * variant must run as root.  With VT_HOSTDIR_DIR=DIR in the environment
 * it makes no tmpfs: each test chroots into a fresh directory of its own
 * made under DIR (DIR/vt.XXXXXX, left behind), so that the same cases run
 * on another file system, e.g. a FUSE mount (tests/fuse); expectations
 * that only hold on tmpfs then fail and the caller must expect that.
 *
 * Tests are declared with VTEST(tcase, name) { body }: the body runs
 * between a boot and a halt, and the test registers itself, so that no
 * test can be written and forgotten.
 */
#ifndef VFS_TEST_H
#define VFS_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#define RENAME_WHITEOUT (1 << 2)
#endif
#ifndef O_PATH
#define O_PATH 010000000
#endif
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

/* linux/reboot.h */
#define VT_MAGIC1 0xfee1dead
#define VT_MAGIC2 672274793
#define VT_CMD_HALT 0xcdef0123

/* An address in the kernel half: never user memory. */
#define VT_BADPTR ((void *)0xffff800000001000UL)

#ifdef HOST_MODE
/* The host's raw calls, with the rump names: -1 and errno like them. */
#define rump_sys_read(...) syscall(SYS_read, __VA_ARGS__)
#define rump_sys_write(...) syscall(SYS_write, __VA_ARGS__)
#define rump_sys_open(...) syscall(SYS_open, __VA_ARGS__)
#define rump_sys_close(...) syscall(SYS_close, __VA_ARGS__)
#define rump_sys_stat(...) syscall(SYS_stat, __VA_ARGS__)
#define rump_sys_fstat(...) syscall(SYS_fstat, __VA_ARGS__)
#define rump_sys_lstat(...) syscall(SYS_lstat, __VA_ARGS__)
/* Offsets are longs: an int in the variable arguments would not do. */
#define rump_sys_lseek(fd, off, wh) \
	syscall(SYS_lseek, fd, (long)(off), wh)
#define rump_sys_pread(fd, b, n, off) \
	syscall(SYS_pread64, fd, b, n, (long)(off))
#define rump_sys_pwrite(fd, b, n, off) \
	syscall(SYS_pwrite64, fd, b, n, (long)(off))
#define rump_sys_readv(...) syscall(SYS_readv, __VA_ARGS__)
#define rump_sys_writev(...) syscall(SYS_writev, __VA_ARGS__)
#define rump_sys_access(...) syscall(SYS_access, __VA_ARGS__)
#define rump_sys_dup(...) syscall(SYS_dup, __VA_ARGS__)
#define rump_sys_dup2(...) syscall(SYS_dup2, __VA_ARGS__)
#define rump_sys_fcntl(...) syscall(SYS_fcntl, __VA_ARGS__)
#define rump_sys_fsync(...) syscall(SYS_fsync, __VA_ARGS__)
#define rump_sys_truncate(p, len) syscall(SYS_truncate, p, (long)(len))
#define rump_sys_ftruncate(fd, len) syscall(SYS_ftruncate, fd, (long)(len))
#define rump_sys_getcwd(...) syscall(SYS_getcwd, __VA_ARGS__)
#define rump_sys_chdir(...) syscall(SYS_chdir, __VA_ARGS__)
#define rump_sys_fchdir(...) syscall(SYS_fchdir, __VA_ARGS__)
#define rump_sys_rename(...) syscall(SYS_rename, __VA_ARGS__)
#define rump_sys_mkdir(...) syscall(SYS_mkdir, __VA_ARGS__)
#define rump_sys_rmdir(...) syscall(SYS_rmdir, __VA_ARGS__)
#define rump_sys_creat(...) syscall(SYS_creat, __VA_ARGS__)
#define rump_sys_link(...) syscall(SYS_link, __VA_ARGS__)
#define rump_sys_unlink(...) syscall(SYS_unlink, __VA_ARGS__)
#define rump_sys_symlink(...) syscall(SYS_symlink, __VA_ARGS__)
#define rump_sys_readlink(...) syscall(SYS_readlink, __VA_ARGS__)
#define rump_sys_chmod(...) syscall(SYS_chmod, __VA_ARGS__)
#define rump_sys_fchmod(...) syscall(SYS_fchmod, __VA_ARGS__)
#define rump_sys_chown(...) syscall(SYS_chown, __VA_ARGS__)
#define rump_sys_fchown(...) syscall(SYS_fchown, __VA_ARGS__)
#define rump_sys_lchown(...) syscall(SYS_lchown, __VA_ARGS__)
#define rump_sys_umask(...) syscall(SYS_umask, __VA_ARGS__)
#define rump_sys_geteuid() syscall(SYS_geteuid)
#define rump_sys_setresuid(...) syscall(SYS_setresuid, __VA_ARGS__)
#define rump_sys_setresgid(...) syscall(SYS_setresgid, __VA_ARGS__)
#define rump_sys_setgroups(...) syscall(SYS_setgroups, __VA_ARGS__)
#define rump_sys_mknod(...) syscall(SYS_mknod, __VA_ARGS__)
#define rump_sys_statfs(...) syscall(SYS_statfs, __VA_ARGS__)
#define rump_sys_fstatfs(...) syscall(SYS_fstatfs, __VA_ARGS__)
#define rump_sys_chroot(...) syscall(SYS_chroot, __VA_ARGS__)
#define rump_sys_mount(...) syscall(SYS_mount, __VA_ARGS__)
#define rump_sys_umount2(...) syscall(SYS_umount2, __VA_ARGS__)
#define rump_sys_getdents64(...) syscall(SYS_getdents64, __VA_ARGS__)
#define rump_sys_openat(...) syscall(SYS_openat, __VA_ARGS__)
#define rump_sys_mkdirat(...) syscall(SYS_mkdirat, __VA_ARGS__)
#define rump_sys_mknodat(...) syscall(SYS_mknodat, __VA_ARGS__)
#define rump_sys_fchownat(...) syscall(SYS_fchownat, __VA_ARGS__)
#define rump_sys_fstatat(...) syscall(SYS_newfstatat, __VA_ARGS__)
#define rump_sys_unlinkat(...) syscall(SYS_unlinkat, __VA_ARGS__)
#define rump_sys_renameat(...) syscall(SYS_renameat, __VA_ARGS__)
#define rump_sys_renameat2(...) syscall(SYS_renameat2, __VA_ARGS__)
#define rump_sys_linkat(...) syscall(SYS_linkat, __VA_ARGS__)
#define rump_sys_symlinkat(...) syscall(SYS_symlinkat, __VA_ARGS__)
#define rump_sys_readlinkat(...) syscall(SYS_readlinkat, __VA_ARGS__)
#define rump_sys_fchmodat(...) syscall(SYS_fchmodat, __VA_ARGS__)
#define rump_sys_fchmodat2(...) syscall(452, __VA_ARGS__)
#define rump_sys_faccessat(...) syscall(SYS_faccessat, __VA_ARGS__)
#define rump_sys_faccessat2(...) syscall(SYS_faccessat2, __VA_ARGS__)
#define rump_sys_utimensat(...) syscall(SYS_utimensat, __VA_ARGS__)
#define rump_sys_dup3(...) syscall(SYS_dup3, __VA_ARGS__)
#define rump_sys_statx(...) syscall(SYS_statx, __VA_ARGS__)
#define rump_sys_name_to_handle_at(...) \
	syscall(SYS_name_to_handle_at, __VA_ARGS__)
#define rump_sys_open_by_handle_at(...) \
	syscall(SYS_open_by_handle_at, __VA_ARGS__)
#define rump_sys_pipe(...) syscall(SYS_pipe, __VA_ARGS__)
#define rump_sys_setxattr(...) syscall(SYS_setxattr, __VA_ARGS__)
#define rump_sys_lsetxattr(...) syscall(SYS_lsetxattr, __VA_ARGS__)
#define rump_sys_fsetxattr(...) syscall(SYS_fsetxattr, __VA_ARGS__)
#define rump_sys_getxattr(...) syscall(SYS_getxattr, __VA_ARGS__)
#define rump_sys_lgetxattr(...) syscall(SYS_lgetxattr, __VA_ARGS__)
#define rump_sys_fgetxattr(...) syscall(SYS_fgetxattr, __VA_ARGS__)
#define rump_sys_listxattr(...) syscall(SYS_listxattr, __VA_ARGS__)
#define rump_sys_llistxattr(...) syscall(SYS_llistxattr, __VA_ARGS__)
#define rump_sys_flistxattr(...) syscall(SYS_flistxattr, __VA_ARGS__)
#define rump_sys_removexattr(...) syscall(SYS_removexattr, __VA_ARGS__)
#define rump_sys_lremovexattr(...) syscall(SYS_lremovexattr, __VA_ARGS__)
#define rump_sys_fremovexattr(...) syscall(SYS_fremovexattr, __VA_ARGS__)
#define rump_sys_setxattrat(...) syscall(463, __VA_ARGS__)
#define rump_sys_getxattrat(...) syscall(464, __VA_ARGS__)
#define rump_sys_listxattrat(...) syscall(465, __VA_ARGS__)
#define rump_sys_removexattrat(...) syscall(466, __VA_ARGS__)
#define rump_sys_sync() syscall(SYS_sync)
#define rump_sys_clock_gettime(...) syscall(SYS_clock_gettime, __VA_ARGS__)
#define rump_sys_nanosleep(...) syscall(SYS_nanosleep, __VA_ARGS__)
#define rump_sys_getpid() syscall(SYS_getpid)
#define rump_sys_poll(...) syscall(SYS_poll, __VA_ARGS__)
#define rump_sys_ppoll(...) syscall(SYS_ppoll, __VA_ARGS__)
#define rump_sys_select(...) syscall(SYS_select, __VA_ARGS__)
#define rump_sys_getrlimit(...) syscall(SYS_getrlimit, __VA_ARGS__)
#define rump_sys_setrlimit(...) syscall(SYS_setrlimit, __VA_ARGS__)
#define rump_sys_prlimit64(...) syscall(SYS_prlimit64, __VA_ARGS__)
#define VT_HOSTDIR "/dev/shm/t_vfs_host.mnt"
#endif /* HOST_MODE */

/* Expect a call to fail with -1 and errno e. */
#define ck_assert_fails(call, e) do { \
	long r_; \
	errno = 0; \
	r_ = (long)(call); \
	ck_assert_msg(r_ == -1 && errno == (e), \
	    "%s: returned %ld errno %d (%s), expected -1 errno %d (%s)", \
	    #call, r_, errno, strerror(errno), (e), strerror(e)); \
} while (0)

/* Expect a call to return 0. */
#define ck_assert_ok(call) do { \
	long r_; \
	errno = 0; \
	r_ = (long)(call); \
	ck_assert_msg(r_ == 0, "%s: returned %ld errno %d (%s)", #call, \
	    r_, errno, strerror(errno)); \
} while (0)

/* Expect a call to return a value >= 0 and give it. */
#define ck_nonneg(call) vt_nonneg_((long)(call), #call, __FILE__, __LINE__)

static __attribute__((unused)) long
vt_nonneg_(long r, const char *what, const char *file, int line)
{

	if (r < 0)
		ck_abort_msg("%s:%d: %s: returned %ld errno %d (%s)", file,
		    line, what, r, errno, strerror(errno));
	return r;
}

/*
 * The registry.
 */
struct vt_entry {
	const char *tcase;
	const TTest *test;
};
#define VT_MAX 600
static struct vt_entry vt_tab[VT_MAX];
static int vt_n;

static __attribute__((unused)) void
vt_register(const char *tcase, const TTest *test)
{

	if (vt_n == VT_MAX) {
		fprintf(stderr, "vfs_test.h: more than %d tests\n", VT_MAX);
		abort();
	}
	vt_tab[vt_n].tcase = tcase;
	vt_tab[vt_n].test = test;
	vt_n++;
}

static void vt_boot(void);
static void vt_halt(void);

#define VTEST(tc, name) \
	static void name##_body(void); \
	START_TEST(name) \
	{ \
		vt_boot(); \
		name##_body(); \
		vt_halt(); \
	} \
	END_TEST \
	__attribute__((constructor)) static void \
	name##_register(void) \
	{ \
		vt_register(#tc, name); \
	} \
	static void \
	name##_body(void)

/* A test that boots and halts by itself. */
#define VTEST_RAW(tc, name) \
	static void name##_fn(int); \
	static const TTest name##_ttest = { #name, name##_fn, __FILE__, \
	    __LINE__ }; \
	__attribute__((constructor)) static void \
	name##_register(void) \
	{ \
		vt_register(#tc, &name##_ttest); \
	} \
	static void \
	name##_fn(int _i __attribute__((unused)))

static __attribute__((unused)) int
vt_main(const char *suitename, int timeout)
{
	Suite *s = suite_create(suitename);
	SRunner *sr;
	TCase *tc;
	int i, j, failed;

	for (i = 0; i < vt_n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(vt_tab[j].tcase, vt_tab[i].tcase) == 0)
				break;
		if (j < i)
			continue;
		tc = tcase_create(vt_tab[i].tcase);
		tcase_set_timeout(tc, timeout);
		for (j = i; j < vt_n; j++)
			if (strcmp(vt_tab[j].tcase, vt_tab[i].tcase) == 0)
				_tcase_add_test(tc, vt_tab[j].test, 0, 0, 0, 1);
		suite_add_tcase(s, tc);
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * Boot and halt.
 */
#ifdef HOST_MODE
/* The real root, to leave the chroot at the halt (the leak checker of a
 * sanitizer build reads /proc at exit). */
static int vt_oldroot = -1;

static void
vt_boot(void)
{
	const char *dir = getenv("VT_HOSTDIR_DIR");
	char root[PATH_MAX] = VT_HOSTDIR;

	ck_assert_msg(geteuid() == 0, "the host variant must run as root");
	if (dir != NULL) {
		/* A fresh directory of this test's own on dir's file system. */
		ck_assert_msg((size_t)snprintf(root, sizeof(root),
		    "%s/vt.XXXXXX", dir) < sizeof(root), "%s: too long", dir);
		ck_assert_msg(mkdtemp(root) != NULL, "mkdtemp %s: %s", root,
		    strerror(errno));
		ck_assert_msg(chmod(root, 0755) == 0, "chmod %s: %s", root,
		    strerror(errno));
	} else if (mkdir(VT_HOSTDIR, 0755) == -1 && errno != EEXIST)
		ck_abort_msg("mkdir %s: %s", VT_HOSTDIR, strerror(errno));
	ck_assert_msg(unshare(CLONE_NEWNS) == 0, "unshare: %s",
	    strerror(errno));
	ck_assert_msg(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0,
	    "mount private: %s", strerror(errno));
	if (dir == NULL)
		ck_assert_msg(mount("tmpfs", VT_HOSTDIR, "tmpfs", 0,
		    "mode=755") == 0, "mount tmpfs: %s", strerror(errno));
	vt_oldroot = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_msg(vt_oldroot >= 0, "open /: %s", strerror(errno));
	ck_assert_msg(chroot(root) == 0, "chroot %s: %s", root,
	    strerror(errno));
	ck_assert_int_eq(chdir("/"), 0);
	ck_assert_int_eq(mkdir("/dev", 0755), 0);
	ck_assert_int_eq(setgroups(0, NULL), 0);
	umask(022);
}

static void
vt_halt(void)
{

	ck_assert_int_eq(fchdir(vt_oldroot), 0);
	ck_assert_int_eq(chroot("."), 0);
	ck_assert_int_eq(chdir("/"), 0);
	close(vt_oldroot);
}
#else
static void
vt_boot(void)
{
	int error = rump_init();

	ck_assert_msg(error == 0, "rump_init: %s", strerror(error));
}

static void
vt_halt(void)
{

	ck_assert_int_eq(rump_sys_reboot(VT_MAGIC1, VT_MAGIC2, VT_CMD_HALT,
	    NULL), 0);
}
#endif

/*
 * Identity.  vt_become(uid, gid): this thread acts as a new process (a
 * child of the current one with a copy of its descriptors) with all
 * user ids uid, group ids gid and no supplementary groups.  vt_unbecome:
 * back to the root process.  The host variant keeps a saved uid of 0 to
 * come back; nothing the tests check depends on the saved id.
 */
static __attribute__((unused)) void
vt_become(uid_t uid, gid_t gid)
{

#ifdef HOST_MODE
	ck_assert_int_eq(setresgid(gid, gid, 0), 0);
	ck_assert_int_eq(setresuid(uid, uid, 0), 0);
#else
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFFDG), 0);
	ck_assert_int_eq(rump_sys_setgroups(0, NULL), 0);
	ck_assert_int_eq(rump_sys_setresgid(gid, gid, gid), 0);
	ck_assert_int_eq(rump_sys_setresuid(uid, uid, uid), 0);
#endif
	ck_assert_int_eq(rump_sys_geteuid(), uid);
}

static __attribute__((unused)) void
vt_unbecome(void)
{

#ifdef HOST_MODE
	ck_assert_int_eq(setresuid(0, 0, 0), 0);
	ck_assert_int_eq(setresgid(0, 0, 0), 0);
#else
	rump_lwproc_releaselwp();
#endif
	ck_assert_int_eq(rump_sys_geteuid(), 0);
}

/*
 * Files.
 */

/* Create (or truncate) path with exactly mode (no umask) and the given
 * contents. */
static __attribute__((unused)) void
vt_mkfile(const char *path, mode_t mode, const char *contents)
{
	int fd;
	size_t len = contents != NULL ? strlen(contents) : 0;

	fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_msg(fd >= 0, "create %s: %s", path, strerror(errno));
	if (len > 0)
		ck_assert_int_eq(rump_sys_write(fd, contents, len),
		    (ssize_t)len);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	ck_assert_msg(rump_sys_chmod(path, mode) == 0, "chmod %s: %s", path,
	    strerror(errno));
}

/* Make directory path with exactly mode. */
static __attribute__((unused)) void
vt_mkdir(const char *path, mode_t mode)
{

	ck_assert_msg(rump_sys_mkdir(path, mode) == 0, "mkdir %s: %s", path,
	    strerror(errno));
	ck_assert_msg(rump_sys_chmod(path, mode) == 0, "chmod %s: %s", path,
	    strerror(errno));
}

static __attribute__((unused)) void
vt_symlink(const char *target, const char *path)
{

	ck_assert_msg(rump_sys_symlink(target, path) == 0, "symlink %s: %s",
	    path, strerror(errno));
}

/* The whole contents of path (at most size-1 bytes), NUL-terminated. */
static __attribute__((unused)) char *
vt_read(const char *path, char *buf, size_t size)
{
	int fd;
	ssize_t n;

	fd = rump_sys_open(path, O_RDONLY);
	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	n = rump_sys_read(fd, buf, size - 1);
	ck_assert_msg(n >= 0, "read %s: %s", path, strerror(errno));
	buf[n] = '\0';
	ck_assert_int_eq(rump_sys_close(fd), 0);
	return buf;
}

static __attribute__((unused)) struct stat
vt_stat(const char *path)
{
	struct stat st;

	ck_assert_msg(rump_sys_stat(path, &st) == 0, "stat %s: %s", path,
	    strerror(errno));
	return st;
}

static __attribute__((unused)) struct stat
vt_lstat(const char *path)
{
	struct stat st;

	ck_assert_msg(rump_sys_lstat(path, &st) == 0, "lstat %s: %s", path,
	    strerror(errno));
	return st;
}

static __attribute__((unused)) int
vt_exists(const char *path)
{
	struct stat st;

	return rump_sys_lstat(path, &st) == 0;
}

static __attribute__((unused)) int64_t
vt_ts_ns(const struct timespec *ts)
{

	return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

/* Sleep a little so that a later time stamp differs. */
static __attribute__((unused)) void
vt_tick(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* Linux's struct linux_dirent64, with a flexible name. */
struct vt_dirent {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/*
 * The names in directory path, sorted, separated by '/', with "." and
 * "..", into buf.  Checks that d_reclen is 8-byte aligned and that each
 * d_type matches the entry's lstat (for names other than . and ..).
 */
static int
vt_cmpstr(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

static __attribute__((unused)) char *
vt_listdir(const char *path, char *buf, size_t size)
{
	char dbuf[4096], *names[512], full[PATH_MAX];
	struct stat st;
	int fd, n = 0, i;
	long len, off;

	fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY);
	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	for (;;) {
		len = rump_sys_getdents64(fd, dbuf, sizeof(dbuf));
		ck_assert_msg(len >= 0, "getdents64 %s: %s", path,
		    strerror(errno));
		if (len == 0)
			break;
		for (off = 0; off < len;) {
			struct vt_dirent *d = (struct vt_dirent *)(dbuf + off);

			ck_assert_int_eq(d->d_reclen % 8, 0);
			ck_assert(d->d_reclen > 0);
			ck_assert_int_lt(n, 512);
			names[n++] = strdup(d->d_name);
			if (strcmp(d->d_name, ".") != 0 &&
			    strcmp(d->d_name, "..") != 0) {
				snprintf(full, sizeof(full), "%s/%s", path,
				    d->d_name);
				ck_assert_int_eq(rump_sys_lstat(full, &st), 0);
				ck_assert_msg(d->d_type == IFTODT(st.st_mode),
				    "%s: d_type %d, lstat mode %o", full,
				    d->d_type, st.st_mode);
				ck_assert_msg(d->d_ino == st.st_ino,
				    "%s: d_ino %lu, st_ino %lu", full,
				    (unsigned long)d->d_ino,
				    (unsigned long)st.st_ino);
			}
			off += d->d_reclen;
		}
	}
	ck_assert_int_eq(rump_sys_close(fd), 0);
	qsort(names, n, sizeof(names[0]), vt_cmpstr);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(buf, "/", size - strlen(buf) - 1);
		strncat(buf, names[i], size - strlen(buf) - 1);
		free(names[i]);
	}
	return buf;
}

#define ck_assert_listing(path, expect) do { \
	char lb_[8192]; \
	ck_assert_str_eq(vt_listdir((path), lb_, sizeof(lb_)), (expect)); \
} while (0)

#endif /* VFS_TEST_H */
