/*
 * ext2_test.h: what the ext2/3/4 tests (t_ext2_*.c) share.
 *
 * - A registry of Check tests.  E3TEST(tc, name) is a test that passes
 *   with the driver as it is; E3TEST_PENDING(tc, name) is one that waits
 *   for the driver (a missing feature).  Each t_ext2_X.c is built twice:
 *   t_ext2_X (in make test) holds the E3TEST ones, t_ext2_X_pending
 *   (built with -DE3_PENDING, in EXT2_PENDING_TESTS, run by
 *   `make ext2-pending`) the E3TEST_PENDING ones.  A test moves from one
 *   to the other by its macro, never by weakening it.
 * - Booting (each test in its own process and its own host mount
 *   namespace, so that a host loop mount left behind by a failure goes
 *   away with the process) and a fresh host temporary directory.
 * - Real tools: mke2fs, e2fsck, debugfs through e3_sh(); host loop
 *   mounts; etfs + rump_sys_mount for our driver.
 * - The manifest: a walk of a tree (on the host, through the rump kernel,
 *   or of the model of t_ext2_model.c) that gives one sorted line per
 *   file with everything that must agree (type, mode, owner, links, size,
 *   device, symlink target, hard-link group, a hash of the data, and, for
 *   a tree read from the same image, inode numbers, block counts and the
 *   three times).  Two trees are alike when their manifests are.
 *
 * Files larger than E3_SAMPLE_OVER bytes are hashed in 64 KiB windows (at
 * every 64 MiB, around 4 GiB and at the end) instead of in full, so that a
 * sparse file past 4 GiB costs little; E3_FULLHASH=1 hashes everything.
 */
#ifndef EXT2_TEST_H
#define EXT2_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>

#define E3_MAGIC1 0xfee1dead
#define E3_MAGIC2 672274793
#define E3_CMD_HALT 0xcdef0123
#define E3_EXT2_MAGIC 0xEF53
#ifndef EUCLEAN
#define EUCLEAN 117
#endif

#define E3_DEV "/dev/xbd0"
#define E3_MNT "/mnt"
#define E3_SAMPLE_OVER (64ULL << 20)
#define E3_WINDOW (64 * 1024)

/* Expect a call to fail with -1 and errno e. */
#define ck_assert_fails(call, e) do { \
	long r_; \
	errno = 0; \
	r_ = (long)(call); \
	ck_assert_msg(r_ == -1 && errno == (e), \
	    "%s: returned %ld errno %d (%s), expected -1 errno %d (%s)", \
	    #call, r_, errno, strerror(errno), (e), strerror(e)); \
} while (0)

/*
 * The registry.
 */
struct e3_entry {
	const char *tcase;
	const TTest *test;
};
#define E3_MAX 200
static struct e3_entry e3_tab[E3_MAX];
static int e3_n;

static __attribute__((unused)) void
e3_register(const char *tcase, const TTest *test)
{

	if (e3_n == E3_MAX)
		abort();
	e3_tab[e3_n].tcase = tcase;
	e3_tab[e3_n].test = test;
	e3_n++;
}

static void e3_boot(void);
static void e3_halt(void);

#define E3TEST_(tc, name) \
	static void name##_body(void); \
	START_TEST(name) \
	{ \
		e3_boot(); \
		name##_body(); \
		e3_halt(); \
	} \
	END_TEST \
	__attribute__((constructor)) static void \
	name##_register(void) \
	{ \
		e3_register(#tc, name); \
	} \
	static void \
	name##_body(void)

/* The same, but the body is not registered in this build. */
#define E3TEST_OFF_(tc, name) \
	static __attribute__((unused)) void name##_body(void); \
	static void \
	name##_body(void)

#ifdef E3_PENDING
#define E3TEST(tc, name) E3TEST_OFF_(tc, name)
#define E3TEST_PENDING(tc, name) E3TEST_(tc, name)
#else
#define E3TEST(tc, name) E3TEST_(tc, name)
#define E3TEST_PENDING(tc, name) E3TEST_OFF_(tc, name)
#endif

static pid_t e3_mainpid;

static __attribute__((unused)) int
e3_main(const char *suitename, int timeout)
{
	Suite *s = suite_create(suitename);
	SRunner *sr;
	TCase *tc;
	char cmd[128];
	int i, j, failed;

	e3_mainpid = getpid();

	for (i = 0; i < e3_n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(e3_tab[j].tcase, e3_tab[i].tcase) == 0)
				break;
		if (j < i)
			continue;
		tc = tcase_create(e3_tab[i].tcase);
		tcase_set_timeout(tc, timeout);
		for (j = i; j < e3_n; j++)
			if (strcmp(e3_tab[j].tcase, e3_tab[i].tcase) == 0)
				_tcase_add_test(tc, e3_tab[j].test, 0, 0, 0, 1);
		suite_add_tcase(s, tc);
	}
	if (e3_n == 0) {
		/* Nothing in this build: say so in Check's words. */
		printf("100%%: Checks: 0, Failures: 0, Errors: 0\n");
		return EXIT_SUCCESS;
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	/* What a failed test left behind. */
	snprintf(cmd, sizeof(cmd), "rm -rf /tmp/t_ext2.%d.*",
	    (int)e3_mainpid);
	if (getenv("E3_KEEP") == NULL && system(cmd) != 0)
		fprintf(stderr, "%s failed\n", cmd);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static __attribute__((unused)) int
e3_envint(const char *name, int dflt)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? atoi(v) : dflt;
}

/*
 * Boot, halt, the temporary directory and the host's tools.
 */
static char e3_tmp[64];
static int e3_booted;

/* A path in the test's host directory (4 rotating buffers). */
static __attribute__((unused)) const char *
e3_path(const char *name)
{
	static char buf[8][256];
	static int n;
	char *p = buf[n++ % 8];

	snprintf(p, 256, "%s/%s", e3_tmp, name);
	return p;
}

/* Run a shell command; its exit status (-1 if it did not exit). */
static int
e3_vsh(char *cmd, size_t size, const char *fmt, va_list ap)
{
	int st;

	struct timespec t0, t1;

	vsnprintf(cmd, size, fmt, ap);
	fflush(stdout);
	fflush(stderr);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	st = system(cmd);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (getenv("E3_TRACE") != NULL)
		fprintf(stderr, "E3_TRACE %.3f s: %.100s\n",
		    (double)(t1.tv_sec - t0.tv_sec) +
		    (t1.tv_nsec - t0.tv_nsec) / 1e9, cmd);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static __attribute__((unused, format(printf, 1, 2))) int
e3_sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = e3_vsh(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return rc;
}

/* The same, and the test fails unless it exits 0. */
static __attribute__((unused, format(printf, 1, 2))) void
e3_sh_ok(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = e3_vsh(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, cmd);
}

/*
 * Run a shell command and give its standard output (at most size - 1
 * bytes, NUL-terminated, in buf); the test fails unless it exits 0.
 */
static __attribute__((unused, format(printf, 3, 4))) char *
e3_sh_out(char *buf, size_t size, const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	size_t n = 0, r;
	FILE *f;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fflush(stderr);
	f = popen(cmd, "r");
	ck_assert_msg(f != NULL, "popen %s: %s", cmd, strerror(errno));
	while (n + 1 < size && (r = fread(buf + n, 1, size - 1 - n, f)) > 0)
		n += r;
	buf[n] = '\0';
	while (fgetc(f) != EOF)
		;
	st = pclose(f);
	ck_assert_msg(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "exit %d: %s", st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st),
	    cmd);
	return buf;
}

/* The block groups as dumpe2fs shows them: counts and bitmaps. */
static __attribute__((unused)) char *
e3_groups(const char *img, char *buf, size_t size)
{

	return e3_sh_out(buf, size, "dumpe2fs %s 2>/dev/null | "
	    "sed -n '/^Group 0:/,$p'", img);
}

/* Only the host's parts: temporary directory and a private mount
 * namespace (for tests that need no rump kernel at all). */
static __attribute__((unused)) void
e3_boot_host(void)
{

	ck_assert_msg(geteuid() == 0, "the ext2 tests need root");
	ck_assert_msg(unshare(CLONE_NEWNS) == 0, "unshare: %s",
	    strerror(errno));
	ck_assert_msg(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0,
	    "mount private: %s", strerror(errno));
	snprintf(e3_tmp, sizeof(e3_tmp), "/tmp/t_ext2.%d.XXXXXX",
	    (int)e3_mainpid);
	ck_assert_ptr_nonnull(mkdtemp(e3_tmp));
}

static __attribute__((unused)) void
e3_boot_rump(void)
{
	int error = rump_init();

	ck_assert_msg(error == 0, "rump_init: %s", strerror(error));
	ck_assert_int_eq(rump_sys_mkdir(E3_MNT, 0755), 0);
	e3_booted = 1;
}

static __attribute__((unused)) void
e3_boot(void)
{

	e3_boot_host();
	e3_boot_rump();
}

static __attribute__((unused)) void
e3_halt_rump(void)
{

	if (!e3_booted)
		return;
	ck_assert_int_eq(rump_sys_reboot(E3_MAGIC1, E3_MAGIC2, E3_CMD_HALT,
	    NULL), 0);
	e3_booted = 0;
}

static __attribute__((unused)) void
e3_halt(void)
{

	e3_halt_rump();
	e3_sh("umount -q %s/m* 2>/dev/null", e3_tmp);
	if (getenv("E3_KEEP") == NULL)
		e3_sh("rm -rf %s", e3_tmp);
	else
		fprintf(stderr, "E3_KEEP: %s kept\n", e3_tmp);
}

/* Make image name of size_mb MiB with mke2fs -t type and extra options. */
static __attribute__((unused)) const char *
e3_mkfs(const char *name, const char *type, int size_mb, const char *opts)
{
	const char *img = e3_path(name);

	e3_sh_ok("rm -f %s && truncate -s %dM %s && mke2fs -F -q -t %s %s "
	    "%s >/dev/null", img, size_mb, img, type, opts ? opts : "", img);
	return img;
}

/* e2fsck -fn: 0 when the image is clean.  Its output goes to stderr on
 * failure (the test's log). */
static __attribute__((unused)) int
e3_fsck(const char *img)
{

	return e3_sh("out=$(e2fsck -fn %s 2>&1); rc=$?; "
	    "[ $rc -eq 0 ] || printf '%%s\\n' \"$out\" >&2; exit $rc", img);
}

/* Host loop mounts at <tmp>/<dir>.  Loop devices are shared with
 * whatever else runs on the host: a mount that loses the race for one is
 * tried again. */
static __attribute__((unused)) const char *
e3_hmount(const char *img, const char *dir, const char *opts)
{
	const char *d = e3_path(dir);
	int i;

	for (i = 0; i < 20; i++) {
		if (e3_sh("mkdir -p %s && mount -o loop%s%s %s %s", d,
		    opts ? "," : "", opts ? opts : "", img, d) == 0)
			return d;
		usleep(100 * 1000);
	}
	e3_sh_ok("mount -o loop%s%s %s %s", opts ? "," : "",
	    opts ? opts : "", img, d);
	return d;
}

static __attribute__((unused)) void
e3_humount(const char *dir)
{

	e3_sh_ok("umount %s", dir);
}

/* Mount img through our driver on /mnt: the mount's result (0 or an
 * errno).  The block device is registered first (and removed again
 * when the mount fails). */
static __attribute__((unused)) int
e3_rmount(const char *img, const char *type, int flags)
{
	int error;

	error = rump_pub_etfs_register(E3_DEV, img, RUMP_ETFS_BLK);
	ck_assert_msg(error == 0, "etfs_register %s: %s", img,
	    strerror(error));
	if (rump_sys_mount(E3_DEV, E3_MNT, type, flags, NULL) == -1) {
		error = errno;
		ck_assert_int_eq(rump_pub_etfs_remove(E3_DEV), 0);
		return error;
	}
	return 0;
}

#define e3_rmount_ok(img, type, flags) do { \
	int e_ = e3_rmount((img), (type), (flags)); \
	ck_assert_msg(e_ == 0, "mount %s as %s: %s (%d)", (img), (type), \
	    strerror(e_), e_); \
} while (0)

static __attribute__((unused)) void
e3_rumount(void)
{

	ck_assert_msg(rump_sys_umount2(E3_MNT, 0) == 0, "umount: %s",
	    strerror(errno));
	ck_assert_int_eq(rump_pub_etfs_remove(E3_DEV), 0);
}

/*
 * Deterministic data: byte i of stream seed.
 */
static __attribute__((unused)) unsigned char
e3_pat(uint64_t seed, uint64_t i)
{
	uint64_t x = (i >> 3) * 0x9E3779B97F4A7C15ULL ^ seed *
	    0xD1B54A32D192ED03ULL;

	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ULL;
	x ^= x >> 32;
	return (unsigned char)(x >> ((i & 7) * 8));
}

static __attribute__((unused)) void
e3_fill(unsigned char *buf, size_t len, uint64_t seed, uint64_t off)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = e3_pat(seed, off + i);
}

/*
 * The manifest.
 */
struct e3_ops {
	int (*lstat)(const char *, struct stat *);
	int (*open)(const char *, int);
	ssize_t (*pread)(int, void *, size_t, off_t);
	int (*close)(int);
	ssize_t (*getdents)(int, void *, size_t);
	ssize_t (*readlink)(const char *, char *, size_t);
};

static int
h_lstat(const char *p, struct stat *st)
{

	return lstat(p, st);
}

static int
h_open(const char *p, int f)
{

	return open(p, f);
}

static ssize_t
h_pread(int fd, void *b, size_t n, off_t o)
{

	return pread(fd, b, n, o);
}

static int
h_close(int fd)
{

	return close(fd);
}

static ssize_t
h_getdents(int fd, void *b, size_t n)
{

	return syscall(SYS_getdents64, fd, b, n);
}

static ssize_t
h_readlink(const char *p, char *b, size_t n)
{

	return readlink(p, b, n);
}

static int
r_lstat(const char *p, struct stat *st)
{

	return rump_sys_lstat(p, st);
}

static int
r_open(const char *p, int f)
{

	return rump_sys_open(p, f);
}

static ssize_t
r_pread(int fd, void *b, size_t n, off_t o)
{

	return rump_sys_pread(fd, b, n, o);
}

static int
r_close(int fd)
{

	return rump_sys_close(fd);
}

static ssize_t
r_getdents(int fd, void *b, size_t n)
{

	return rump_sys_getdents64(fd, b, n);
}

static ssize_t
r_readlink(const char *p, char *b, size_t n)
{

	return rump_sys_readlink(p, b, n);
}

static const struct e3_ops e3_host_ops __attribute__((unused)) = {
	h_lstat, h_open, h_pread, h_close, h_getdents, h_readlink };
static const struct e3_ops e3_rump_ops __attribute__((unused)) = {
	r_lstat, r_open, r_pread, r_close, r_getdents, r_readlink };

/* What a manifest shows beyond the common fields. */
#define E3M_INO 0x01	/* inode numbers */
#define E3M_BLOCKS 0x02	/* st_blocks */
#define E3M_TIMES 0x04	/* atime, mtime, ctime with nanoseconds */
#define E3M_DIRSIZE 0x08	/* sizes of directories */
#define E3M_SAME_IMAGE (E3M_INO | E3M_BLOCKS | E3M_TIMES | E3M_DIRSIZE)

struct e3_manifest {
	char **line;
	size_t n, cap;
	/* hard-link groups: inode -> first path */
	struct { uint64_t ino; char *path; } *grp;
	size_t ngrp, capgrp;
	int flags;
	int errors;
};

static __attribute__((unused, format(printf, 2, 3))) void
e3_madd(struct e3_manifest *m, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	ck_assert_int_ge(vasprintf(&s, fmt, ap), 0);
	va_end(ap);
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->line = realloc(m->line, m->cap * sizeof(m->line[0]));
		ck_assert_ptr_nonnull(m->line);
	}
	m->line[m->n++] = s;
}

/* The hard-link group of a non-directory with more than one link: the
 * first path seen with its inode. */
static __attribute__((unused)) const char *
e3_mgroup(struct e3_manifest *m, uint64_t ino, const char *path)
{
	size_t i;

	for (i = 0; i < m->ngrp; i++)
		if (m->grp[i].ino == ino)
			return m->grp[i].path;
	if (m->ngrp == m->capgrp) {
		m->capgrp = m->capgrp ? m->capgrp * 2 : 64;
		m->grp = realloc(m->grp, m->capgrp * sizeof(m->grp[0]));
		ck_assert_ptr_nonnull(m->grp);
	}
	m->grp[m->ngrp].ino = ino;
	m->grp[m->ngrp].path = strdup(path);
	return m->grp[m->ngrp++].path;
}

static __attribute__((unused)) void
e3_mfree(struct e3_manifest *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->line[i]);
	for (i = 0; i < m->ngrp; i++)
		free(m->grp[i].path);
	free(m->line);
	free(m->grp);
	memset(m, 0, sizeof(*m));
}

/* A 64-bit hash of a byte string, 8 bytes a step (FNV-1a's prime on
 * words).  Only ever compared with itself. */
static __attribute__((unused)) uint64_t
e3_hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t w;

	for (; n >= 8; n -= 8, c += 8) {
		memcpy(&w, c, 8);
		h ^= w;
		h *= 0x100000001b3ULL;
		h ^= h >> 29;
	}
	while (n-- > 0) {
		h ^= *c++;
		h *= 0x100000001b3ULL;
	}
	return h;
}
#define E3_HASH0 0xcbf29ce484222325ULL

/*
 * The hash of a file's data, read through rd(arg, buf, len, off) (which
 * gives the number of bytes read or -1).  Sampled past E3_SAMPLE_OVER
 * unless E3_FULLHASH is set.  Sets *err to the first errno.
 */
typedef ssize_t (*e3_reader)(void *, void *, size_t, uint64_t);

static __attribute__((unused)) uint64_t
e3_hash_range(e3_reader rd, void *arg, uint64_t off, uint64_t len,
    uint64_t h, int *err)
{
	static unsigned char buf[1 << 20];
	ssize_t n;
	size_t want;

	while (len > 0) {
		want = len < sizeof(buf) ? (size_t)len : sizeof(buf);
		n = rd(arg, buf, want, off);
		if (n < 0) {
			if (*err == 0)
				*err = errno;
			return h;
		}
		if (n == 0) {
			if (*err == 0)
				*err = -1;	/* short file */
			return h;
		}
		h = e3_hash(h, buf, (size_t)n);
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return h;
}

static int
e3_u64cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static __attribute__((unused)) uint64_t
e3_hash_file(e3_reader rd, void *arg, uint64_t size, int *err)
{
	uint64_t h = E3_HASH0, w, end, done = 0, *ws;
	const uint64_t g4 = 1ULL << 32;
	size_t nw = 0, i;

	*err = 0;
	if (size <= E3_SAMPLE_OVER || getenv("E3_FULLHASH") != NULL)
		return e3_hash_range(rd, arg, 0, size, h, err);
	/* Windows of E3_WINDOW bytes at every 64 MiB, on both sides of
	 * 4 GiB and at the end; merged where they overlap. */
	ws = malloc((size / E3_SAMPLE_OVER + 4) * sizeof(*ws));
	ck_assert_ptr_nonnull(ws);
	for (w = 0; w < size; w += E3_SAMPLE_OVER)
		ws[nw++] = w;
	if (size > g4) {
		ws[nw++] = g4 - E3_WINDOW;
		ws[nw++] = g4;
	}
	ws[nw++] = size - E3_WINDOW;
	qsort(ws, nw, sizeof(*ws), e3_u64cmp);
	for (i = 0; i < nw; i++) {
		w = ws[i] < done ? done : ws[i];
		end = ws[i] + E3_WINDOW < size ? ws[i] + E3_WINDOW : size;
		if (end <= w)
			continue;
		h = e3_hash(h, &w, sizeof(w));
		h = e3_hash_range(rd, arg, w, end - w, h, err);
		done = end;
	}
	free(ws);
	return h;
}

struct e3_fdread {
	const struct e3_ops *ops;
	int fd;
};

static ssize_t
e3_fdreader(void *arg, void *buf, size_t len, uint64_t off)
{
	struct e3_fdread *r = arg;

	return r->ops->pread(r->fd, buf, len, (off_t)off);
}

struct e3_dname {
	char *name;
	uint64_t ino;
	unsigned char type;
};

static int
e3_dname_cmp(const void *a, const void *b)
{

	return strcmp(((const struct e3_dname *)a)->name,
	    ((const struct e3_dname *)b)->name);
}

struct e3_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* The common line of one file (rel is its path under the top). */
static __attribute__((unused)) void
e3_mline(struct e3_manifest *m, const char *rel, const struct stat *st,
    const char *target, uint64_t hash, int herr, const char *group)
{
	char extra[256] = "", sz[64] = "", dev[64] = "";
	char tail[64] = "";

	if (m->flags & E3M_INO)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
		    " ino=%llu", (unsigned long long)st->st_ino);
	if (m->flags & E3M_BLOCKS)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
		    " blocks=%llu", (unsigned long long)st->st_blocks);
	if (m->flags & E3M_TIMES)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra),
		    " atime=%lld.%09ld mtime=%lld.%09ld ctime=%lld.%09ld",
		    (long long)st->st_atim.tv_sec, st->st_atim.tv_nsec,
		    (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
		    (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
	if (!S_ISDIR(st->st_mode) || (m->flags & E3M_DIRSIZE))
		snprintf(sz, sizeof(sz), " size=%llu",
		    (unsigned long long)st->st_size);
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		snprintf(dev, sizeof(dev), " rdev=%u:%u", major(st->st_rdev),
		    minor(st->st_rdev));
	if (S_ISREG(st->st_mode) && herr != 0)
		snprintf(tail, sizeof(tail), " data=ERR%d", herr);
	else if (S_ISREG(st->st_mode))
		snprintf(tail, sizeof(tail), " data=%016llx",
		    (unsigned long long)hash);
	e3_madd(m, "%s mode=%07o uid=%u gid=%u nlink=%lu%s%s%s%s%s%s%s%s",
	    rel, (unsigned)st->st_mode, (unsigned)st->st_uid,
	    (unsigned)st->st_gid, (unsigned long)st->st_nlink, sz, dev,
	    tail, target ? " ->" : "", target ? target : "",
	    group ? " link=" : "", group ? group : "", extra);
}

/*
 * Walk the tree at top (a path for ops) into m: every entry below top,
 * and top itself as ".".  Directory entries are checked against lstat
 * (d_ino, and d_type unless DT_UNKNOWN): a mismatch is a line "!...".
 */
static __attribute__((unused)) void
e3_walk(const struct e3_ops *ops, const char *top, const char *rel,
    struct e3_manifest *m)
{
	char path[PATH_MAX + 256], crel[PATH_MAX], dbuf[8192];
	char target[PATH_MAX + 1];
	struct e3_dname *names = NULL;
	size_t nn = 0, capn = 0, i;
	struct stat st;
	ssize_t len, off, tl;
	int fd, herr;
	uint64_t hash;
	const char *group;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	if (ops->lstat(path, &st) == -1) {
		e3_madd(m, "!lstat %s: %d", rel, errno);
		m->errors++;
		return;
	}
	if (strcmp(rel, ".") == 0)
		e3_mline(m, rel, &st, NULL, 0, 0, NULL);
	fd = ops->open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		e3_madd(m, "!opendir %s: %d", rel, errno);
		m->errors++;
		return;
	}
	for (;;) {
		len = ops->getdents(fd, dbuf, sizeof(dbuf));
		if (len < 0) {
			e3_madd(m, "!getdents %s: %d", rel, errno);
			m->errors++;
			break;
		}
		if (len == 0)
			break;
		for (off = 0; off < len;) {
			struct e3_dirent64 *d = (void *)(dbuf + off);

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			if (nn == capn) {
				capn = capn ? capn * 2 : 64;
				names = realloc(names, capn * sizeof(*names));
				ck_assert_ptr_nonnull(names);
			}
			names[nn].name = strdup(d->d_name);
			names[nn].ino = d->d_ino;
			names[nn].type = d->d_type;
			nn++;
		}
	}
	ops->close(fd);
	if (nn > 1)
		qsort(names, nn, sizeof(*names), e3_dname_cmp);
	for (i = 0; i < nn; i++) {
		if (strcmp(rel, ".") == 0)
			snprintf(crel, sizeof(crel), "%s", names[i].name);
		else
			snprintf(crel, sizeof(crel), "%s/%s", rel,
			    names[i].name);
		snprintf(path, sizeof(path), "%s/%s", top, crel);
		if (ops->lstat(path, &st) == -1) {
			e3_madd(m, "!lstat %s: %d", crel, errno);
			m->errors++;
			continue;
		}
		if (names[i].ino != (uint64_t)st.st_ino) {
			e3_madd(m, "!d_ino %s: %llu, st_ino %llu", crel,
			    (unsigned long long)names[i].ino,
			    (unsigned long long)st.st_ino);
			m->errors++;
		}
		if (names[i].type != DT_UNKNOWN &&
		    names[i].type != IFTODT(st.st_mode)) {
			e3_madd(m, "!d_type %s: %u, mode %o", crel,
			    names[i].type, (unsigned)st.st_mode);
			m->errors++;
		}
		group = NULL;
		if (!S_ISDIR(st.st_mode) && st.st_nlink > 1)
			group = e3_mgroup(m, st.st_ino, crel);
		hash = 0;
		herr = 0;
		if (S_ISREG(st.st_mode)) {
			struct e3_fdread r = { ops, -1 };

			r.fd = ops->open(path, O_RDONLY);
			if (r.fd < 0) {
				herr = errno;
			} else {
				hash = e3_hash_file(e3_fdreader, &r,
				    (uint64_t)st.st_size, &herr);
				ops->close(r.fd);
			}
			if (herr)
				m->errors++;
		}
		if (S_ISLNK(st.st_mode)) {
			tl = ops->readlink(path, target, sizeof(target) - 1);
			if (tl < 0) {
				snprintf(target, sizeof(target), "!ERR%d",
				    errno);
				m->errors++;
			} else {
				target[tl] = '\0';
			}
		}
		e3_mline(m, crel, &st, S_ISLNK(st.st_mode) ? target : NULL,
		    hash, herr, group);
		if (S_ISDIR(st.st_mode))
			e3_walk(ops, top, crel, m);
		free(names[i].name);
	}
	free(names);
}

static int
e3_strpcmp(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

static __attribute__((unused)) void
e3_msort(struct e3_manifest *m)
{

	if (m->n > 1)
		qsort(m->line, m->n, sizeof(m->line[0]), e3_strpcmp);
}

/* Walk top with flags into a fresh, sorted manifest. */
static __attribute__((unused)) void
e3_manifest(const struct e3_ops *ops, const char *top, int flags,
    struct e3_manifest *m)
{

	memset(m, 0, sizeof(*m));
	m->flags = flags;
	e3_walk(ops, top, ".", m);
	e3_msort(m);
	if (getenv("E3_DUMP") != NULL) {
		size_t i;

		for (i = 0; i < m->n; i++)
			fprintf(stderr, "%s: %s\n", top, m->line[i]);
	}
}

/*
 * Compare two sorted manifests: 0 when alike; otherwise print up to 20
 * differences (to stderr, "-" only in a, "+" only in b) and return how
 * many there are.
 */
static __attribute__((unused)) int
e3_mdiff(const char *aname, const struct e3_manifest *a, const char *bname,
    const struct e3_manifest *b)
{
	size_t i = 0, j = 0;
	int nd = 0, c;

	while (i < a->n || j < b->n) {
		if (i == a->n)
			c = 1;
		else if (j == b->n)
			c = -1;
		else
			c = strcmp(a->line[i], b->line[j]);
		if (c == 0) {
			i++;
			j++;
			continue;
		}
		if (nd++ < 20)
			fprintf(stderr, "%s %s: %s\n", c < 0 ? "-" : "+",
			    c < 0 ? aname : bname,
			    c < 0 ? a->line[i] : b->line[j]);
		if (c < 0)
			i++;
		else
			j++;
	}
	if (nd > 0)
		fprintf(stderr, "%d differences between %s (%zu lines) and "
		    "%s (%zu lines)\n", nd, aname, a->n, bname, b->n);
	return nd;
}

#define ck_assert_manifests_eq(an, a, bn, b) \
	ck_assert_msg(e3_mdiff((an), (a), (bn), (b)) == 0, \
	    "%s and %s differ (see above)", (an), (bn))

#endif /* EXT2_TEST_H */
