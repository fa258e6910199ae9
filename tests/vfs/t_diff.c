/*
 * t_diff.c: the differential test.  A seeded random sequence of file
 * system calls over a small name space (the components a, b, x, y up to
 * three deep, so that names collide and turn from files into directories
 * and symbolic links) runs against the host kernel, in a fresh directory
 * on its tmpfs (/dev/shm/t_diff.PID.SEED), and against the rump kernel, in
 * a fresh /diff on its tmpfs root; a path maps 1:1 by its prefix.  Every
 * return value, errno, byte read, comparable stat field (type, mode,
 * nlink, size, uid, gid; not inode numbers or times) and directory
 * listing (sorted, with d_type) must agree.  On a mismatch the test prints
 * the seed, the step, the call and the calls before it, and fails.
 *
 * Both sides run as root, so root's permission rules apply to both.
 * Descriptor numbers differ between the sides (the host process has its
 * own): descriptors live in slots, and only success is compared.
 * Directory sizes are tmpfs's own business (Linux counts 20 bytes per
 * entry) and are compared only with T_DIFF_STRICT=1.
 *
 * Environment: T_DIFF_SEEDS=N seeds (default 4), T_DIFF_SEED=S the first
 * (default 1), T_DIFF_STEPS=N steps per seed (default 2500),
 * T_DIFF_VERBOSE=1 prints every step, T_DIFF_SELF=1 runs the host
 * against itself (a check of the test), T_DIFF_KEEPGOING=1 goes on past
 * calls that fail on both sides with different errnos.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#endif

#define MAGIC1 0xfee1dead
#define MAGIC2 672274793
#define CMD_HALT 0xcdef0123

#define HOST 0
#define RUMP 1
#define NSLOTS 8
#define BADFD 999
#define DATAMAX 8192
#define HISTORY 40

struct result {
	long ret;
	int err;
	size_t len;
	char data[DATAMAX];
};

static char prefix[2][128];
static int slot[2][NSLOTS];
static uint64_t rng;
static int strict, verbose;
/* T_DIFF_SELF=1: both sides are the host (two directories), which checks
 * the test itself: the same seed must give the same results twice. */
static int selfcheck;
/* T_DIFF_KEEPGOING=1: a call that fails on both sides with different
 * errnos is reported and the run goes on (the trees are still alike);
 * the seed fails at the end.  Finds more than one difference per seed. */
static int keepgoing, nmismatch;
#define ISHOST(side) ((side) == HOST || selfcheck)
static char history[HISTORY][256];
static int nhist;

static uint64_t
rnd(void)
{

	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int
pick(int n)
{

	return (int)(rnd() % (uint64_t)n);
}

static const char *const comps[] = { "a", "b", "x", "y" };

/* A random path relative to the top: 1 to 3 components, sometimes with
 * a "c/.." in front or a trailing slash. */
static void
randpath(char *buf, size_t size)
{
	int depth, i, r = pick(100);

	depth = r < 50 ? 1 : r < 85 ? 2 : 3;
	buf[0] = '\0';
	if (pick(100) < 4) {
		strncat(buf, comps[pick(4)], size - strlen(buf) - 1);
		strncat(buf, "/../", size - strlen(buf) - 1);
	}
	for (i = 0; i < depth; i++) {
		if (i > 0)
			strncat(buf, "/", size - strlen(buf) - 1);
		strncat(buf, comps[pick(4)], size - strlen(buf) - 1);
	}
	if (pick(100) < 5)
		strncat(buf, "/", size - strlen(buf) - 1);
}

/* Symbolic link targets: relative, without "..", so that nothing
 * resolves above the top on either side. */
static const char *const targets[] = { "x", "y", "a", "b", "a/x", "b/y",
    "a/b", "a/b/x", "nowhere", "x/", "y/a" };

static const int modes[] = { 0644, 0600, 0755, 0700, 0, 0444, 04755,
    02755, 01777, 0111 };

static void
full(int side, const char *rel, char *buf, size_t size)
{

	snprintf(buf, size, "%s/%s", prefix[side], rel);
}

static void
note(const char *fmt, ...)
{
	va_list ap;
	char *h = history[nhist % HISTORY];

	va_start(ap, fmt);
	vsnprintf(h, sizeof(history[0]), fmt, ap);
	va_end(ap);
	nhist++;
	if (verbose)
		fprintf(stderr, "%d: %s\n", nhist - 1, h);
}

/*
 * The calls, on one side.
 */
static long
c_open(int side, const char *p, int flags, int mode)
{

	if (ISHOST(side))
		return syscall(SYS_open, p, flags, mode);
	return rump_sys_open(p, flags, mode);
}

static long
c_openat(int side, int dfd, const char *p, int flags, int mode)
{

	if (ISHOST(side))
		return syscall(SYS_openat, dfd, p, flags, mode);
	return rump_sys_openat(dfd, p, flags, mode);
}

static long
c_close(int side, int fd)
{

	return ISHOST(side) ? syscall(SYS_close, fd) : rump_sys_close(fd);
}

static long
c_getdents(int side, int fd, void *buf, size_t n)
{

	return ISHOST(side) ? syscall(SYS_getdents64, fd, buf, n) :
	    rump_sys_getdents64(fd, buf, n);
}

static long
c_stat(int side, int how, const char *p, int fd, struct stat *st)
{

	switch (how) {
	case 0:
		return ISHOST(side) ? syscall(SYS_stat, p, st) :
		    rump_sys_stat(p, st);
	case 1:
		return ISHOST(side) ? syscall(SYS_lstat, p, st) :
		    rump_sys_lstat(p, st);
	default:
		return ISHOST(side) ? syscall(SYS_fstat, fd, st) :
		    rump_sys_fstat(fd, st);
	}
}

struct vt_dirent {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int
cmpstr(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The listing of directory p: "name:type" sorted, in r->data. */
static void
listing(int side, const char *p, struct result *r)
{
	char buf[2048], *names[300];
	int fd, n = 0, i;
	long len, off;

	fd = (int)c_open(side, p, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0) {
		r->ret = -1;
		r->err = errno;
		return;
	}
	r->ret = 0;
	r->err = 0;
	for (;;) {
		len = c_getdents(side, fd, buf, sizeof(buf));
		if (len <= 0) {
			if (len < 0) {
				r->ret = -1;
				r->err = errno;
			}
			break;
		}
		for (off = 0; off < len;) {
			struct vt_dirent *d = (struct vt_dirent *)(buf + off);
			char *e;

			if (n < 300 && asprintf(&e, "%s:%d", d->d_name,
			    d->d_type) >= 0)
				names[n++] = e;
			off += d->d_reclen;
		}
	}
	c_close(side, fd);
	qsort(names, n, sizeof(names[0]), cmpstr);
	r->len = 0;
	r->data[0] = '\0';
	for (i = 0; i < n; i++) {
		r->len += snprintf(r->data + r->len, DATAMAX - r->len, "%s ",
		    names[i]);
		if (r->len >= DATAMAX)
			r->len = DATAMAX - 1;
		free(names[i]);
	}
}

static void
statdata(const struct stat *st, struct result *r)
{
	long size = st->st_size;

	if (S_ISDIR(st->st_mode) && !strict)
		size = -1;
	r->len = snprintf(r->data, DATAMAX,
	    "mode=%o nlink=%lu size=%ld uid=%u gid=%u rdev=%lx",
	    st->st_mode, (unsigned long)st->st_nlink, size, st->st_uid,
	    st->st_gid, (unsigned long)st->st_rdev);
}

static int
fdof(int side, int s)
{

	return slot[side][s] >= 0 ? slot[side][s] : BADFD;
}

/* Mostly an open slot, so that descriptor calls do something. */
static int
usedslot(int dflt)
{
	int s, n = 0, open[NSLOTS];

	for (s = 0; s < NSLOTS; s++)
		if (slot[HOST][s] >= 0 || slot[RUMP][s] >= 0)
			open[n++] = s;
	if (n == 0 || pick(10) == 0)
		return dflt;
	return open[pick(n)];
}

static int
nused(void)
{
	int s, n = 0;

	for (s = 0; s < NSLOTS; s++)
		if (slot[HOST][s] >= 0 || slot[RUMP][s] >= 0)
			n++;
	return n;
}

static int
freeslot(void)
{
	int s;

	for (s = 0; s < NSLOTS; s++)
		if (slot[HOST][s] < 0 && slot[RUMP][s] < 0)
			return s;
	return -1;
}

/*
 * One step: the operation chosen from the seed, with its arguments; run
 * on one side.  The arguments are drawn before either side runs.
 */
struct op {
	int kind;
	char p1[64], p2[64];
	const char *target;
	int flags, mode, s, s2, whence;
	int rel1, rel2;		/* pass the path relative to the cwd */
	int uid, gid;
	long off, len;
	char wbuf[512];
};

enum { OPEN, OPENAT, CLOSE, WRITE, PWRITE, READ, PREAD, LSEEK, FTRUNCATE,
    TRUNCATE, MKDIR, RMDIR, UNLINK, UNLINKAT, RENAME, RENAMEAT2, LINK,
    SYMLINK, READLINK, CHMOD, STAT, LSTAT, FSTAT, LIST, DUP, ACCESS, FSYNC,
    CHDIR, CHOWN, FCHMOD, LINKAT, NKINDS };

static const int weights[NKINDS] = {
	[OPEN] = 14, [OPENAT] = 3, [CLOSE] = 8, [WRITE] = 8, [PWRITE] = 5,
	[READ] = 7, [PREAD] = 5, [LSEEK] = 4, [FTRUNCATE] = 3,
	[TRUNCATE] = 2, [MKDIR] = 9, [RMDIR] = 5, [UNLINK] = 6,
	[UNLINKAT] = 2, [RENAME] = 6, [RENAMEAT2] = 5, [LINK] = 4,
	[SYMLINK] = 5, [READLINK] = 3, [CHMOD] = 3, [STAT] = 5, [LSTAT] = 4,
	[FSTAT] = 3, [LIST] = 4, [DUP] = 2, [ACCESS] = 2, [FSYNC] = 1,
	[CHDIR] = 2, [CHOWN] = 2, [FCHMOD] = 1, [LINKAT] = 2,
};

static const int openflags[] = { O_CREAT, O_EXCL, O_TRUNC, O_APPEND,
    O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_PATH };

static void
draw(struct op *o)
{
	int total = 0, k, r, i;

	for (k = 0; k < NKINDS; k++)
		total += weights[k];
	r = pick(total);
	for (k = 0; r >= weights[k]; k++)
		r -= weights[k];
	memset(o, 0, sizeof(*o));
	o->kind = k;
	randpath(o->p1, sizeof(o->p1));
	randpath(o->p2, sizeof(o->p2));
	o->target = targets[pick(sizeof(targets) / sizeof(targets[0]))];
	o->mode = modes[pick(sizeof(modes) / sizeof(modes[0]))];
	o->s = pick(NSLOTS);
	o->s2 = pick(NSLOTS);
	o->flags = pick(3);
	for (i = 0; i < 8; i++)
		if (pick(100) < (i == 0 ? 45 : i == 7 ? 4 : 12))
			o->flags |= openflags[i];
	o->whence = pick(3);
	o->off = pick(100) < 70 ? pick(5000) : pick(70000);
	if (o->kind == LSEEK && pick(4) == 0)
		o->off = -pick(6000);
	o->len = pick(100) < 80 ? pick(300) : pick(512);
	for (i = 0; i < o->len; i++)
		o->wbuf[i] = (char)rnd();
	if (o->kind == RENAMEAT2)
		o->flags = (int[]){ 0, RENAME_NOREPLACE, RENAME_EXCHANGE,
		    RENAME_NOREPLACE | RENAME_EXCHANGE }[pick(4)];
	if (o->kind == UNLINKAT)
		o->flags = pick(2) ? AT_REMOVEDIR : 0;
	if (o->kind == ACCESS)
		o->mode = pick(8);
	o->rel1 = pick(100) < 15;
	o->rel2 = pick(100) < 15;
	o->uid = (int[]){ 0, 1, 1000, -1 }[pick(4)];
	o->gid = (int[]){ 0, 1, 1000, -1 }[pick(4)];
	if (o->kind == CHOWN)
		o->flags = pick(2);
	if (selfcheck) {
		/* One process, one working directory: absolute paths only. */
		o->rel1 = o->rel2 = 0;
		if (o->kind == CHDIR)
			o->kind = STAT;
	}
}

static void
describe(const struct op *o, char *buf, size_t size)
{

	switch (o->kind) {
	case OPEN:
		snprintf(buf, size, "open(\"%s\", %#o, %#o) -> slot %d",
		    o->p1, o->flags, o->mode, o->s);
		break;
	case OPENAT:
		snprintf(buf, size, "openat(slot %d, \"%s\", %#o, %#o) -> "
		    "slot %d", o->s2, o->p1, o->flags, o->mode, o->s);
		break;
	case CLOSE:
		snprintf(buf, size, "close(slot %d)", o->s);
		break;
	case WRITE:
		snprintf(buf, size, "write(slot %d, %ld bytes)", o->s, o->len);
		break;
	case PWRITE:
		snprintf(buf, size, "pwrite(slot %d, %ld bytes, %ld)", o->s,
		    o->len, o->off);
		break;
	case READ:
		snprintf(buf, size, "read(slot %d, %ld)", o->s, o->len);
		break;
	case PREAD:
		snprintf(buf, size, "pread(slot %d, %ld, %ld)", o->s, o->len,
		    o->off);
		break;
	case LSEEK:
		snprintf(buf, size, "lseek(slot %d, %ld, %d)", o->s, o->off,
		    o->whence);
		break;
	case FTRUNCATE:
		snprintf(buf, size, "ftruncate(slot %d, %ld)", o->s, o->off);
		break;
	case TRUNCATE:
		snprintf(buf, size, "truncate(\"%s\", %ld)", o->p1, o->off);
		break;
	case MKDIR:
		snprintf(buf, size, "mkdir(\"%s\", %#o)", o->p1, o->mode);
		break;
	case RMDIR:
		snprintf(buf, size, "rmdir(\"%s\")", o->p1);
		break;
	case UNLINK:
		snprintf(buf, size, "unlink(\"%s\")", o->p1);
		break;
	case UNLINKAT:
		snprintf(buf, size, "unlinkat(top, \"%s\", %#x)", o->p1,
		    o->flags);
		break;
	case RENAME:
		snprintf(buf, size, "rename(\"%s\", \"%s\")", o->p1, o->p2);
		break;
	case RENAMEAT2:
		snprintf(buf, size, "renameat2(\"%s\", \"%s\", %d)", o->p1,
		    o->p2, o->flags);
		break;
	case LINK:
		snprintf(buf, size, "link(\"%s\", \"%s\")", o->p1, o->p2);
		break;
	case SYMLINK:
		snprintf(buf, size, "symlink(\"%s\", \"%s\")", o->target,
		    o->p1);
		break;
	case READLINK:
		snprintf(buf, size, "readlink(\"%s\", %ld)", o->p1,
		    o->len + 1);
		break;
	case CHMOD:
		snprintf(buf, size, "chmod(\"%s\", %#o)", o->p1, o->mode);
		break;
	case STAT:
		snprintf(buf, size, "stat(\"%s\")", o->p1);
		break;
	case LSTAT:
		snprintf(buf, size, "lstat(\"%s\")", o->p1);
		break;
	case FSTAT:
		snprintf(buf, size, "fstat(slot %d)", o->s);
		break;
	case LIST:
		snprintf(buf, size, "getdents64(\"%s\")", o->p1);
		break;
	case DUP:
		snprintf(buf, size, "dup(slot %d) -> slot %d", o->s2, o->s);
		break;
	case ACCESS:
		snprintf(buf, size, "access(\"%s\", %d)", o->p1, o->mode);
		break;
	case FSYNC:
		snprintf(buf, size, "fsync(slot %d)", o->s);
		break;
	case CHDIR:
		snprintf(buf, size, "chdir(\"%s\")", o->p1);
		break;
	case CHOWN:
		snprintf(buf, size, "%s(\"%s\", %d, %d)", o->flags ? "lchown" :
		    "chown", o->p1, o->uid, o->gid);
		break;
	case FCHMOD:
		snprintf(buf, size, "fchmod(slot %d, %#o)", o->s, o->mode);
		break;
	case LINKAT:
		snprintf(buf, size, "linkat(\"%s\", \"%s\", "
		    "AT_SYMLINK_FOLLOW)", o->p1, o->p2);
		break;
	default:
		snprintf(buf, size, "?");
	}
}

/* Paths are absolute (the side's prefix and the name) or, when rel1 or
 * rel2 says, relative to the working directory, which CHDIR moves on both
 * sides alike (it starts at the prefix). */
static void
run(int side, const struct op *o, struct result *r)
{
	char p1[256], p2[256];
	struct stat st;
	int fd = fdof(side, o->s), fd2 = fdof(side, o->s2);
	int top;
	int h = ISHOST(side);

	full(side, o->p1, p1, sizeof(p1));
	full(side, o->p2, p2, sizeof(p2));
	if (o->rel1)
		snprintf(p1, sizeof(p1), "%s", o->p1);
	if (o->rel2)
		snprintf(p2, sizeof(p2), "%s", o->p2);
	r->len = 0;
	errno = 0;
	switch (o->kind) {
	case OPEN:
		r->ret = c_open(side, p1, o->flags, o->mode);
		break;
	case OPENAT:
		r->ret = c_openat(side, fd2, o->p1, o->flags, o->mode);
		break;
	case CLOSE:
		r->ret = c_close(side, fd);
		break;
	case WRITE:
		r->ret = h ? syscall(SYS_write, fd, o->wbuf, o->len) :
		    rump_sys_write(fd, o->wbuf, o->len);
		break;
	case PWRITE:
		r->ret = h ? syscall(SYS_pwrite64, fd, o->wbuf, o->len,
		    o->off) : rump_sys_pwrite(fd, o->wbuf, o->len, o->off);
		break;
	case READ:
		r->ret = h ? syscall(SYS_read, fd, r->data, o->len) :
		    rump_sys_read(fd, r->data, o->len);
		break;
	case PREAD:
		r->ret = h ? syscall(SYS_pread64, fd, r->data, o->len, o->off) :
		    rump_sys_pread(fd, r->data, o->len, o->off);
		break;
	case LSEEK:
		r->ret = h ? syscall(SYS_lseek, fd, o->off, o->whence) :
		    rump_sys_lseek(fd, o->off, o->whence);
		break;
	case FTRUNCATE:
		r->ret = h ? syscall(SYS_ftruncate, fd, o->off) :
		    rump_sys_ftruncate(fd, o->off);
		break;
	case TRUNCATE:
		r->ret = h ? syscall(SYS_truncate, p1, o->off) :
		    rump_sys_truncate(p1, o->off);
		break;
	case MKDIR:
		r->ret = h ? syscall(SYS_mkdir, p1, o->mode) :
		    rump_sys_mkdir(p1, o->mode);
		break;
	case RMDIR:
		r->ret = h ? syscall(SYS_rmdir, p1) : rump_sys_rmdir(p1);
		break;
	case UNLINK:
		r->ret = h ? syscall(SYS_unlink, p1) : rump_sys_unlink(p1);
		break;
	case UNLINKAT:
		top = (int)c_open(side, prefix[side], O_RDONLY | O_DIRECTORY,
		    0);
		r->ret = h ? syscall(SYS_unlinkat, top, o->p1, o->flags) :
		    rump_sys_unlinkat(top, o->p1, o->flags);
		r->err = errno;
		c_close(side, top);
		errno = r->err;
		break;
	case RENAME:
		r->ret = h ? syscall(SYS_rename, p1, p2) :
		    rump_sys_rename(p1, p2);
		break;
	case RENAMEAT2:
		r->ret = h ? syscall(SYS_renameat2, AT_FDCWD, p1, AT_FDCWD, p2,
		    o->flags) : rump_sys_renameat2(AT_FDCWD, p1, AT_FDCWD, p2,
		    o->flags);
		break;
	case LINK:
		r->ret = h ? syscall(SYS_link, p1, p2) : rump_sys_link(p1, p2);
		break;
	case SYMLINK:
		r->ret = h ? syscall(SYS_symlink, o->target, p1) :
		    rump_sys_symlink(o->target, p1);
		break;
	case READLINK:
		r->ret = h ? syscall(SYS_readlink, p1, r->data, o->len + 1) :
		    rump_sys_readlink(p1, r->data, o->len + 1);
		break;
	case CHMOD:
		r->ret = h ? syscall(SYS_chmod, p1, o->mode) :
		    rump_sys_chmod(p1, o->mode);
		break;
	case STAT:
	case LSTAT:
	case FSTAT:
		r->ret = c_stat(side, o->kind - STAT, p1, fd, &st);
		if (r->ret == 0)
			statdata(&st, r);
		break;
	case LIST:
		listing(side, p1, r);
		return;
	case DUP:
		r->ret = h ? syscall(SYS_dup, fd2) : rump_sys_dup(fd2);
		break;
	case ACCESS:
		r->ret = h ? syscall(SYS_access, p1, o->mode) :
		    rump_sys_access(p1, o->mode);
		break;
	case FSYNC:
		r->ret = h ? syscall(SYS_fsync, fd) : rump_sys_fsync(fd);
		break;
	case CHDIR:
		r->ret = h ? syscall(SYS_chdir, p1) : rump_sys_chdir(p1);
		break;
	case CHOWN:
		if (o->flags)
			r->ret = h ? syscall(SYS_lchown, p1, o->uid, o->gid) :
			    rump_sys_lchown(p1, o->uid, o->gid);
		else
			r->ret = h ? syscall(SYS_chown, p1, o->uid, o->gid) :
			    rump_sys_chown(p1, o->uid, o->gid);
		break;
	case FCHMOD:
		r->ret = h ? syscall(SYS_fchmod, fd, o->mode) :
		    rump_sys_fchmod(fd, o->mode);
		break;
	case LINKAT:
		r->ret = h ? syscall(SYS_linkat, AT_FDCWD, p1, AT_FDCWD, p2,
		    AT_SYMLINK_FOLLOW) : rump_sys_linkat(AT_FDCWD, p1,
		    AT_FDCWD, p2, AT_SYMLINK_FOLLOW);
		break;
	}
	r->err = r->ret < 0 ? errno : 0;
	if ((o->kind == READ || o->kind == PREAD || o->kind == READLINK) &&
	    r->ret > 0)
		r->len = (size_t)r->ret;
}

static int
returns_fd(int kind)
{

	return kind == OPEN || kind == OPENAT || kind == DUP;
}

/* What the name and each of its prefixes is, on the host side. */
static void
context(const char *rel)
{
	char part[64], path[256], link[64];
	struct stat st;
	size_t i;
	long n;

	for (i = 1; i <= strlen(rel); i++) {
		if (rel[i] != '/' && rel[i] != '\0')
			continue;
		snprintf(part, sizeof(part), "%.*s", (int)i, rel);
		full(HOST, part, path, sizeof(path));
		if (lstat(path, &st) != 0) {
			fprintf(stderr, "  host lstat(\"%s\"): %s\n", part,
			    strerror(errno));
			continue;
		}
		fprintf(stderr, "  host lstat(\"%s\"): mode %o nlink %lu",
		    part, st.st_mode, (unsigned long)st.st_nlink);
		if (S_ISLNK(st.st_mode) && (n = readlink(path, link,
		    sizeof(link) - 1)) > 0)
			fprintf(stderr, " -> \"%.*s\"", (int)n, link);
		fprintf(stderr, "\n");
	}
}

static void
mismatch(unsigned seed, int step, const struct op *o, const struct result *hr,
    const struct result *rr, const char *what)
{
	char desc[256];
	int i, first = nhist > HISTORY ? nhist - HISTORY : 0;

	describe(o, desc, sizeof(desc));
	if (keepgoing && hr->ret < 0 && rr->ret < 0) {
		/* Both failed: the trees are still the same; go on. */
		fprintf(stderr, "t_diff: seed %u step %d: %s: host %s, rump "
		    "%s%s%s\n", seed, step, desc, strerror(hr->err),
		    strerror(rr->err), o->rel1 ? " (1st path from the cwd)" :
		    "", o->rel2 ? " (2nd path from the cwd)" : "");
		context(o->p1);
		if (o->kind == RENAME || o->kind == RENAMEAT2 ||
		    o->kind == LINK || o->kind == LINKAT)
			context(o->p2);
		nmismatch++;
		return;
	}
	fprintf(stderr, "t_diff: seed %u step %d: %s: %s%s%s\n", seed, step,
	    desc, what, o->rel1 ? " (1st path from the cwd)" : "",
	    o->rel2 ? " (2nd path from the cwd)" : "");
	fprintf(stderr, "  host: ret %ld errno %d (%s) data \"%.*s\"\n",
	    hr->ret, hr->err, strerror(hr->err), (int)(hr->len > 200 ? 200 :
	    hr->len), hr->data);
	fprintf(stderr, "  rump: ret %ld errno %d (%s) data \"%.*s\"\n",
	    rr->ret, rr->err, strerror(rr->err), (int)(rr->len > 200 ? 200 :
	    rr->len), rr->data);
	context(o->p1);
	if (o->kind == RENAME || o->kind == RENAMEAT2 || o->kind == LINK ||
	    o->kind == LINKAT)
		context(o->p2);
	fprintf(stderr, "  the steps before it:\n");
	for (i = first; i < nhist - 1; i++)
		fprintf(stderr, "    %d: %s\n", i, history[i % HISTORY]);
	ck_abort_msg("seed %u step %d: %s: %s: host %ld/%s, rump %ld/%s",
	    seed, step, desc, what, hr->ret, strerror(hr->err), rr->ret,
	    strerror(rr->err));
}

/* Every name of the name space: lstat, and the listing of directories. */
static void
final_check(unsigned seed, int step)
{
	static struct result hr, rr;
	struct op o;
	int i, j, k, n;

	for (n = 0; n < 4 + 16 + 64; n++) {
		memset(&o, 0, sizeof(o));
		i = n < 4 ? n : n < 20 ? (n - 4) / 4 : (n - 20) / 16;
		j = n < 20 ? (n - 4) % 4 : (n - 20) / 4 % 4;
		k = (n - 20) % 4;
		if (n < 4)
			snprintf(o.p1, sizeof(o.p1), "%s", comps[i]);
		else if (n < 20)
			snprintf(o.p1, sizeof(o.p1), "%s/%s", comps[i],
			    comps[j]);
		else
			snprintf(o.p1, sizeof(o.p1), "%s/%s/%s", comps[i],
			    comps[j], comps[k]);
		o.kind = LSTAT;
		run(HOST, &o, &hr);
		run(RUMP, &o, &rr);
		if (hr.ret != rr.ret || hr.err != rr.err || hr.len != rr.len ||
		    memcmp(hr.data, rr.data, hr.len) != 0)
			mismatch(seed, step, &o, &hr, &rr, "final tree differs");
		o.kind = LIST;
		run(HOST, &o, &hr);
		run(RUMP, &o, &rr);
		if (hr.ret != rr.ret || hr.err != rr.err || hr.len != rr.len ||
		    memcmp(hr.data, rr.data, hr.len) != 0)
			mismatch(seed, step, &o, &hr, &rr, "final tree differs");
	}
}

static void
rm_host_tree(const char *path)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd) != 0)
		fprintf(stderr, "t_diff: could not remove %s\n", path);
}

static unsigned
env_uint(const char *name, unsigned dflt)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? (unsigned)strtoul(v, NULL, 0) : dflt;
}

static void
diff_seed(unsigned seed, int steps)
{
	static struct result hr, rr;
	struct op o;
	char desc[256];
	int step, s, error;

	ck_assert_msg(geteuid() == 0, "t_diff must run as root (the host "
	    "side's permission rules must be root's, like the rump side's)");
	strict = env_uint("T_DIFF_STRICT", 0) != 0;
	verbose = env_uint("T_DIFF_VERBOSE", 0) != 0;
	keepgoing = env_uint("T_DIFF_KEEPGOING", 0) != 0;
	nmismatch = 0;
	rng = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)seed * 0x100000001b3ULL);
	nhist = 0;
	snprintf(prefix[HOST], sizeof(prefix[HOST]), "/dev/shm/t_diff.%d.%u",
	    (int)getpid(), seed);
	selfcheck = env_uint("T_DIFF_SELF", 0) != 0;
	if (selfcheck)
		snprintf(prefix[RUMP], sizeof(prefix[RUMP]),
		    "/dev/shm/t_diff.%d.%u.self", (int)getpid(), seed);
	else
		snprintf(prefix[RUMP], sizeof(prefix[RUMP]), "/diff");
	umask(022);
	for (s = 0; s < 2; s++) {
		if (!ISHOST(s))
			continue;
		rm_host_tree(prefix[s]);
		ck_assert_msg(mkdir(prefix[s], 0755) == 0, "mkdir %s: %s",
		    prefix[s], strerror(errno));
	}
	if (!selfcheck) {
		error = rump_init();
		ck_assert_msg(error == 0, "rump_init: %s", strerror(error));
		ck_assert_int_eq(rump_sys_umask(022), 022);
		ck_assert_int_eq(rump_sys_mkdir(prefix[RUMP], 0755), 0);
	}

	for (s = 0; s < NSLOTS; s++)
		slot[HOST][s] = slot[RUMP][s] = -1;
	ck_assert_int_eq(chdir(prefix[HOST]), 0);
	if (!selfcheck)
		ck_assert_int_eq(rump_sys_chdir(prefix[RUMP]), 0);
	for (step = 0; step < steps; step++) {
		draw(&o);
		if (o.kind >= CLOSE && o.kind <= FTRUNCATE && nused() == 0 &&
		    pick(10) < 8) {
			/* Nothing open: open something (to write into). */
			o.kind = OPEN;
			o.flags = O_RDWR | O_CREAT;
		}
		o.s2 = usedslot(o.s2);
		if (returns_fd(o.kind)) {
			if ((s = freeslot()) < 0)
				o.kind = CLOSE;
			else
				o.s = s;
		}
		if (!returns_fd(o.kind))
			o.s = usedslot(o.s);
		describe(&o, desc, sizeof(desc));
		note("%s%s%s", desc, o.rel1 ? " [1st path from cwd]" : "",
		    o.rel2 ? " [2nd path from cwd]" : "");
		run(HOST, &o, &hr);
		run(RUMP, &o, &rr);
		if (verbose)
			fprintf(stderr, "    host %ld %s, rump %ld %s\n", hr.ret,
			    hr.ret < 0 ? strerror(hr.err) : "",
			    rr.ret, rr.ret < 0 ? strerror(rr.err) : "");
		if (returns_fd(o.kind)) {
			if ((hr.ret >= 0) != (rr.ret >= 0) ||
			    (hr.ret < 0 && hr.err != rr.err))
				mismatch(seed, step, &o, &hr, &rr,
				    "results differ");
			if (hr.ret >= 0) {
				slot[HOST][o.s] = (int)hr.ret;
				slot[RUMP][o.s] = (int)rr.ret;
			}
			continue;
		}
		if (hr.ret != rr.ret || hr.err != rr.err)
			mismatch(seed, step, &o, &hr, &rr, "results differ");
		if (hr.len != rr.len || memcmp(hr.data, rr.data, hr.len) != 0)
			mismatch(seed, step, &o, &hr, &rr, "data differ");
		if (o.kind == CLOSE && hr.ret == 0)
			slot[HOST][o.s] = slot[RUMP][o.s] = -1;
	}

	/* The whole tree at the end, name by name. */
	final_check(seed, steps);
	ck_assert_int_eq(chdir("/"), 0);
	for (s = 0; s < NSLOTS; s++) {
		if (slot[HOST][s] >= 0)
			close(slot[HOST][s]);
		if (slot[RUMP][s] >= 0)
			ck_assert_int_eq(c_close(RUMP, slot[RUMP][s]), 0);
	}
	if (!selfcheck)
		ck_assert_int_eq(rump_sys_reboot(MAGIC1, MAGIC2, CMD_HALT,
		    NULL), 0);
	rm_host_tree(prefix[HOST]);
	if (selfcheck)
		rm_host_tree(prefix[RUMP]);
	ck_assert_msg(nmismatch == 0, "seed %u: %d calls failed with "
	    "different errnos", seed, nmismatch);
}

START_TEST(random_calls_agree_with_the_host)
{
	unsigned first = env_uint("T_DIFF_SEED", 1);

	diff_seed(first + (unsigned)_i, (int)env_uint("T_DIFF_STEPS", 2500));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("diff");
	unsigned seeds = env_uint("T_DIFF_SEEDS", 4);
	unsigned steps = env_uint("T_DIFF_STEPS", 2500);
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60 + steps / 100);
	tcase_add_loop_test(tc, random_calls_agree_with_the_host, 0,
	    (int)seeds);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
