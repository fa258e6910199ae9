/*
 * hijack_route.c: where a trapped system call goes.
 *
 * Each Linux x86-64 system call that names a path or a descriptor has a
 * routing rule in hj_route[] (its argument kinds, from the system call
 * ABI; calls the kernel does not implement are routed too, so that a
 * path under the prefix never reaches the host by accident: the kernel
 * answers ENOSYS, which becomes EOPNOTSUPP).  A path goes to the kernel
 * when hj_rumppath() says so: it starts with the prefix (which is cut
 * off), or with a blanket path, or it is relative and the working
 * directory (or the *at call's directory descriptor) is the kernel's.
 * A descriptor goes to the kernel when it came from there
 * (hijack_fd.c).  A call whose paths are in both worlds (rename, link)
 * is EXDEV, as between two file systems.  Everything else runs on the
 * host unchanged.
 *
 * Called from the SIGSYS handler, with the thread's selector at allow.
 */

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hijack.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif
#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#endif
#ifndef SYS_setxattrat			/* Linux 6.13 */
#define SYS_setxattrat 463
#define SYS_getxattrat 464
#define SYS_listxattrat 465
#define SYS_removexattrat 466
#endif

enum hj_kind {
	R_HOST = 0,	/* the host's, always */
	R_FD,		/* descriptor in argument .arg */
	R_PATH,		/* path in .arg, relative to the working directory */
	R_AT,		/* directory descriptor in .arg, path in .arg + 1 */
	R_PATH2,	/* paths in 0 and 1 (rename, link) */
	R_AT2,		/* (0, 1) and (2, 3) (renameat, linkat) */
	R_SPECIAL	/* hj_special() */
};

struct hj_rule {
	unsigned char kind;
	unsigned char arg;
	bool newfd;	/* success returns a new descriptor */
};

#define FD(n)	{ R_FD, n, false }
#define PATH(n)	{ R_PATH, n, false }
#define AT(n)	{ R_AT, n, false }
#define SPECIAL	{ R_SPECIAL, 0, false }

static const struct hj_rule hj_route[470] = {
	[SYS_read] = FD(0), [SYS_write] = FD(0), [SYS_fstat] = FD(0),
	[SYS_lseek] = FD(0), [SYS_ioctl] = FD(0), [SYS_pread64] = FD(0),
	[SYS_pwrite64] = FD(0), [SYS_readv] = FD(0), [SYS_writev] = FD(0),
	[SYS_connect] = FD(0), [SYS_accept] = FD(0), [SYS_sendto] = FD(0),
	[SYS_recvfrom] = FD(0), [SYS_sendmsg] = FD(0), [SYS_recvmsg] = FD(0),
	[SYS_shutdown] = FD(0), [SYS_bind] = FD(0), [SYS_listen] = FD(0),
	[SYS_getsockname] = FD(0), [SYS_getpeername] = FD(0),
	[SYS_setsockopt] = FD(0), [SYS_getsockopt] = FD(0),
	[SYS_accept4] = FD(0), [SYS_recvmmsg] = FD(0), [SYS_sendmmsg] = FD(0),
	[SYS_flock] = FD(0), [SYS_fsync] = FD(0), [SYS_fdatasync] = FD(0),
	[SYS_ftruncate] = FD(0), [SYS_getdents] = FD(0),
	[SYS_getdents64] = FD(0), [SYS_fchmod] = FD(0), [SYS_fchown] = FD(0),
	[SYS_fstatfs] = FD(0), [SYS_readahead] = FD(0),
	[SYS_fsetxattr] = FD(0), [SYS_fgetxattr] = FD(0),
	[SYS_flistxattr] = FD(0), [SYS_fremovexattr] = FD(0),
	[SYS_fadvise64] = FD(0), [SYS_sync_file_range] = FD(0),
	[SYS_fallocate] = FD(0), [SYS_preadv] = FD(0), [SYS_pwritev] = FD(0),
	[SYS_syncfs] = FD(0), [SYS_preadv2] = FD(0), [SYS_pwritev2] = FD(0),
	[SYS_open_by_handle_at] = { R_FD, 0, true },
	[SYS_open] = { R_PATH, 0, true }, [SYS_creat] = { R_PATH, 0, true },
	[SYS_stat] = PATH(0), [SYS_lstat] = PATH(0), [SYS_access] = PATH(0),
	[SYS_truncate] = PATH(0), [SYS_mkdir] = PATH(0), [SYS_rmdir] = PATH(0),
	[SYS_unlink] = PATH(0), [SYS_readlink] = PATH(0), [SYS_chmod] = PATH(0),
	[SYS_chown] = PATH(0), [SYS_lchown] = PATH(0), [SYS_utime] = PATH(0),
	[SYS_utimes] = PATH(0), [SYS_mknod] = PATH(0), [SYS_statfs] = PATH(0),
	[SYS_chroot] = PATH(0), [SYS_acct] = PATH(0), [SYS_umount2] = PATH(0),
	[SYS_mount] = PATH(1), [SYS_swapon] = PATH(0), [SYS_swapoff] = PATH(0),
	[SYS_setxattr] = PATH(0), [SYS_lsetxattr] = PATH(0),
	[SYS_getxattr] = PATH(0), [SYS_lgetxattr] = PATH(0),
	[SYS_listxattr] = PATH(0), [SYS_llistxattr] = PATH(0),
	[SYS_removexattr] = PATH(0), [SYS_lremovexattr] = PATH(0),
	[SYS_inotify_add_watch] = PATH(1),
	[SYS_openat] = { R_AT, 0, true }, [SYS_mkdirat] = AT(0),
	[SYS_mknodat] = AT(0), [SYS_fchownat] = AT(0), [SYS_futimesat] = AT(0),
	[SYS_newfstatat] = AT(0), [SYS_unlinkat] = AT(0),
	[SYS_readlinkat] = AT(0), [SYS_fchmodat] = AT(0),
	[SYS_faccessat] = AT(0), [SYS_utimensat] = AT(0),
	[SYS_name_to_handle_at] = AT(0), [SYS_statx] = AT(0),
	[SYS_faccessat2] = AT(0), [SYS_fchmodat2] = AT(0),
	[SYS_setxattrat] = AT(0), [SYS_getxattrat] = AT(0),
	[SYS_listxattrat] = AT(0), [SYS_removexattrat] = AT(0),
	[SYS_symlink] = PATH(1), [SYS_symlinkat] = AT(1),
	[SYS_rename] = { R_PATH2, 0, false }, [SYS_link] = { R_PATH2, 0, false },
	[SYS_renameat] = { R_AT2, 0, false }, [SYS_linkat] = { R_AT2, 0, false },
	[SYS_renameat2] = { R_AT2, 0, false },
	[SYS_close] = SPECIAL, [SYS_dup] = SPECIAL, [SYS_dup2] = SPECIAL,
	[SYS_dup3] = SPECIAL, [SYS_fcntl] = SPECIAL, [SYS_close_range] = SPECIAL,
	[SYS_getcwd] = SPECIAL, [SYS_chdir] = SPECIAL, [SYS_fchdir] = SPECIAL,
	[SYS_umask] = SPECIAL, [SYS_mmap] = SPECIAL, [SYS_poll] = SPECIAL,
	[SYS_ppoll] = SPECIAL, [SYS_select] = SPECIAL, [SYS_pselect6] = SPECIAL,
	[SYS_sendfile] = SPECIAL, [SYS_copy_file_range] = SPECIAL,
	[SYS_splice] = SPECIAL, [SYS_tee] = SPECIAL, [SYS_epoll_ctl] = SPECIAL,
	[SYS_execve] = SPECIAL, [SYS_execveat] = SPECIAL,
	[SYS_openat2] = SPECIAL, [SYS_io_uring_setup] = SPECIAL,
};

volatile bool hj_cwd_rump;
long hj_selfpid;		/* getpid(), 0 until known; reset by a fork */

static long hj_magic_fd(const char *p, const char **rest);

/*
 * Copy a string of the program's into buf (len bytes at most, with its
 * NUL), through the host kernel so that a bad pointer is EFAULT, not a
 * crash.  Returns its length or -errno.
 */
long
hj_copyinstr(const char *uaddr, char *buf, size_t len)
{
	struct iovec l, r;
	size_t got = 0, chunk;
	long n;
	char *nul;

	if (uaddr == NULL)
		return -EFAULT;
	while (got < len) {
		/* Up to the end of the page: the next one may not exist. */
		chunk = 4096 - ((uintptr_t)(uaddr + got) & 4095);
		if (chunk > len - got)
			chunk = len - got;
		l.iov_base = buf + got;
		l.iov_len = chunk;
		r.iov_base = (void *)(uintptr_t)(uaddr + got);
		r.iov_len = chunk;
		if (hj_selfpid == 0)
			hj_selfpid = hj_host0(SYS_getpid);
		n = hj_host(SYS_process_vm_readv, hj_selfpid,
		    (long)&l, 1, (long)&r, 1, 0);
		if (n <= 0)
			return n == 0 ? -EFAULT : n;
		if ((nul = memchr(buf + got, '\0', (size_t)n)) != NULL)
			return nul - buf;
		got += (size_t)n;
	}
	return -ENAMETOOLONG;
}

const char *
hj_rumppath(const char *path, bool relrump)
{
	size_t i, n;

	if (path[0] != '/')
		return relrump ? path : NULL;
	n = hj_cfg.prefixlen;
	if (n > 0 && strncmp(path, hj_cfg.prefix, n) == 0 &&
	    (path[n] == '/' || path[n] == '\0'))
		return path[n] == '\0' ? "/" : path + n;
	for (i = 0; i < hj_cfg.nblanket; i++) {
		n = strlen(hj_cfg.blanket[i]);
		if (strncmp(path, hj_cfg.blanket[i], n) == 0 &&
		    (path[n] == '/' || path[n] == '\0'))
			return path;
	}
	return NULL;
}

static long
hj_host6(long nr, const long a[6])
{

	return hj_host(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* A call on the kernel: ENOSYS (not there) reads as "not supported". */
static long
hj_rump6(long nr, const long a[6])
{
	long r;

	r = hj_rump(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	return r == -ENOSYS ? -EOPNOTSUPP : r;
}

/* Whether relative path p has a component named like the prefix's last. */
static bool
hj_names_prefix(const char *p)
{
	const char *last = strrchr(hj_cfg.prefix, '/');
	size_t n;

	if (hj_cfg.prefixlen == 0 || last == NULL)
		return false;
	n = strlen(++last);
	for (; *p != '\0'; p = strchrnul(p, '/'), p += *p == '/') {
		if (strncmp(p, last, n) == 0 && (p[n] == '/' || p[n] == '\0'))
			return true;
	}
	return false;
}

/*
 * A relative path from a host directory that leads under the prefix
 * ("rump/x" from "/", as mkdir -p and fts walk): the kernel's path in
 * buf and true; else false, buf unchanged.
 */
static bool
hj_host_rel(char *buf, long dirfd)
{
	char dir[HJ_PATHMAX], join[HJ_PATHMAX];
	const char *kp;
	long n;

	if (!hj_names_prefix(buf))
		return false;
	if (dirfd == AT_FDCWD)
		n = hj_host2(SYS_getcwd, dir, sizeof(dir)) > 0 ?
		    (long)strlen(dir) : -1;
	else {
		snprintf(join, sizeof(join), "/proc/self/fd/%ld", dirfd);
		n = hj_host3(SYS_readlink, join, dir, sizeof(dir) - 1);
	}
	if (n <= 0 || dir[0] != '/')
		return false;
	dir[n] = '\0';
	if ((size_t)snprintf(join, sizeof(join), "%s/%s", n > 1 ? dir : "",
	    buf) >= sizeof(join) || (kp = hj_rumppath(join, false)) == NULL)
		return false;
	memmove(buf, kp, strlen(kp) + 1);
	return true;
}

/*
 * Where the path in argument i goes (dirfd: its directory descriptor, or
 * AT_FDCWD): 1 the kernel, with a[i] replaced by the kernel's path in
 * buf; 0 the host; or -errno.
 */
static long
hj_path_arg(long a[6], int i, long dirfd, char *buf)
{
	const char *kp;
	long n;
	bool rel;

	dirfd = (int)dirfd;	/* an int: the register's upper half is junk */
	if (a[i] == 0)		/* utimensat(fd, NULL, ...): the descriptor;
				 * getxattrat(AT_FDCWD, NULL, AT_EMPTY_PATH):
				 * the working directory */
		return dirfd == AT_FDCWD ? hj_cwd_rump : hj_fd_isrump(dirfd);
	if ((n = hj_copyinstr((const char *)a[i], buf, HJ_PATHMAX)) < 0)
		return n == -EFAULT ? 0 : n;	/* the host says EFAULT */
	rel = dirfd == AT_FDCWD ? hj_cwd_rump : hj_fd_isrump(dirfd);
	if ((kp = hj_rumppath(buf, rel)) == NULL) {
		if (buf[0] != '/' && hj_host_rel(buf, dirfd)) {
			a[i] = (long)buf;
			return 1;
		}
		return hj_magic_fd(buf, &kp) >= 0 ? 2 : 0;
	}
	if (kp != buf)
		memmove(buf, kp, strlen(kp) + 1);
	a[i] = (long)buf;
	return 1;
}

/*
 * "/proc/self/fd/N", "/proc/PID/fd/N" (our PID) or "/dev/fd/N" naming a
 * kernel descriptor N: N, with *rest what follows (or ""); else -1.
 * glibc reaches a file through its O_PATH descriptor this way (fchmodat
 * with AT_SYMLINK_NOFOLLOW), and the host would find the placeholder.
 */
static long
hj_magic_fd(const char *p, const char **rest)
{
	char *end;
	long pid, fd;

	if (strncmp(p, "/dev/fd/", 8) == 0)
		p += 8;
	else if (strncmp(p, "/proc/self/fd/", 14) == 0)
		p += 14;
	else if (strncmp(p, "/proc/", 6) == 0) {
		pid = strtol(p + 6, &end, 10);
		if (end == p + 6 || pid != hj_host0(SYS_getpid) ||
		    strncmp(end, "/fd/", 4) != 0)
			return -1;
		p = end + 4;
	} else
		return -1;
	fd = strtol(p, &end, 10);
	if (end == p || (*end != '\0' && *end != '/') || !hj_fd_isrump(fd))
		return -1;
	*rest = *end == '/' ? end + 1 : end;
	return fd;
}

/* A call on a path that hj_magic_fd found: on descriptor fd itself. */
static long
hj_on_magic_fd(long nr, long a[6], long fd)
{
	const long e = AT_EMPTY_PATH;

	switch (nr) {
	case SYS_stat:
	case SYS_lstat:
		return hj_rump(SYS_newfstatat, fd, (long)"", a[1], e, 0, 0);
	case SYS_newfstatat:
		return hj_rump(nr, fd, (long)"", a[2], e, 0, 0);
	case SYS_statx:
		return hj_rump(nr, fd, (long)"", a[2] | e, a[3], a[4], 0);
	case SYS_chmod:
		return hj_rump(SYS_fchmodat2, fd, (long)"", a[1], e, 0, 0);
	case SYS_fchmodat:
	case SYS_fchmodat2:
		return hj_rump(SYS_fchmodat2, fd, (long)"", a[2], e, 0, 0);
	case SYS_chown:
	case SYS_lchown:
		return hj_rump(SYS_fchownat, fd, (long)"", a[1], a[2], e, 0);
	case SYS_fchownat:
		return hj_rump(SYS_fchownat, fd, (long)"", a[2], a[3], e, 0);
	case SYS_open:
		return hj_fd_adopt(hj_rump3(SYS_openat, fd, ".", a[1]),
		    (a[1] & O_CLOEXEC) != 0);
	case SYS_openat:
		return hj_fd_adopt(hj_rump3(SYS_openat, fd, ".", a[2]),
		    (a[2] & O_CLOEXEC) != 0);
	case SYS_readlink:
	case SYS_readlinkat:
		return -ENOENT;	/* the kernel does not keep names */
	}
	return -EOPNOTSUPP;
}

/* A call with two paths: both in the kernel, both on the host, or EXDEV. */
static long
hj_two_paths(long nr, long a[6], bool at)
{
	char b1[HJ_PATHMAX], b2[HJ_PATHMAX];
	long w1, w2;

	if (at) {
		w1 = hj_path_arg(a, 1, a[0], b1);
		w2 = hj_path_arg(a, 3, a[2], b2);
	} else {
		w1 = hj_path_arg(a, 0, AT_FDCWD, b1);
		w2 = hj_path_arg(a, 1, AT_FDCWD, b2);
	}
	if (w1 < 0)
		return w1;
	if (w2 < 0)
		return w2;
	if (w1 == 2 || w2 == 2)
		return -EOPNOTSUPP;	/* a name through /proc/self/fd */
	if (w1 != w2)
		return -EXDEV;
	return w1 ? hj_rump6(nr, a) : hj_host6(nr, a);
}

static long
hj_getcwd(char *ubuf, unsigned long size)
{
	char buf[HJ_PATHMAX];
	size_t plen, n;
	long r;

	if (!hj_cwd_rump)
		return hj_host2(SYS_getcwd, ubuf, size);
	plen = hj_cfg.prefixlen;
	r = hj_rump2(SYS_getcwd, buf + plen, sizeof(buf) - plen);
	if (r < 0)
		return r;
	memcpy(buf, hj_cfg.prefix, plen);
	if (plen > 0 && strcmp(buf + plen, "/") == 0)
		buf[plen] = '\0';
	n = strlen(buf) + 1;
	if (n > size)
		return -ERANGE;
	memcpy(ubuf, buf, n);
	return (long)n;
}

static long
hj_chdir(long nr, long a[6])
{
	char buf[HJ_PATHMAX];
	const char *rest;
	long r, w;

	if (nr == SYS_fchdir) {
		if (hj_fd_isrump(a[0])) {
			if ((r = hj_rump1(nr, a[0])) == 0)
				hj_cwd_rump = true;
			return r;
		}
		if ((r = hj_host1(nr, a[0])) == 0)
			hj_cwd_rump = false;
		return r;
	}
	if ((w = hj_path_arg(a, 0, AT_FDCWD, buf)) < 0)
		return w;
	if (w) {
		r = w == 2 ? hj_rump1(SYS_fchdir, hj_magic_fd(buf, &rest)) :
		    hj_rump1(nr, a[0]);
		if (r == 0)
			hj_cwd_rump = true;
		return r;
	}
	if ((r = hj_host1(nr, a[0])) == 0)
		hj_cwd_rump = false;
	return r;
}

/* openat2 on the kernel, which has openat: the same, or EOPNOTSUPP. */
static long
hj_openat2(long a[6])
{
	struct { uint64_t flags, mode, resolve; } how;
	char buf[HJ_PATHMAX];
	long w, r;

	if ((w = hj_path_arg(a, 1, a[0], buf)) <= 0)
		return w < 0 ? w : hj_host6(SYS_openat2, a);
	if (w == 2)
		return -EOPNOTSUPP;
	if ((size_t)a[3] < sizeof(how))
		return -EINVAL;
	memcpy(&how, (void *)a[2], sizeof(how));
	if (how.resolve != 0)
		return -EOPNOTSUPP;
	r = hj_rump(SYS_openat, a[0], a[1], (long)how.flags, (long)how.mode,
	    0, 0);
	if (r < 0)
		return r;
	return hj_fd_adopt(r, (how.flags & O_CLOEXEC) != 0);
}

/*
 * A program in the kernel runs from a copy in a host memfd, exec'd by its
 * /proc/self/fd name (kept open, so that a script's interpreter can read
 * it).  Returns the memfd or -errno.
 */
static long
hj_exec_copy(const char *kpath)
{
	struct stat st;
	char buf[65536];
	long in, out, n, r;

	if ((in = hj_rump3(SYS_openat, AT_FDCWD, kpath, O_RDONLY)) < 0)
		return in;
	r = hj_rump2(SYS_fstat, in, &st);
	if (r == 0 && !S_ISREG(st.st_mode))
		r = -EACCES;
	if (r == 0 && !(st.st_mode & 0111))
		r = -EACCES;
	if (r < 0 || (out = hj_host2(SYS_memfd_create, kpath, 0)) < 0) {
		hj_rump1(SYS_close, in);
		return r < 0 ? r : out;
	}
	while ((n = hj_rump3(SYS_read, in, buf, sizeof(buf))) > 0)
		if ((r = hj_host3(SYS_write, out, buf, n)) != n)
			break;
	hj_rump1(SYS_close, in);
	if (n != 0) {
		hj_host1(SYS_close, out);
		return n < 0 ? n : -EIO;
	}
	hj_host3(SYS_fchmod, out, st.st_mode & 07777, 0);
	return out;
}

static long
hj_exec_call(long nr, long a[6])
{
	char buf[HJ_PATHMAX], mpath[48];
	const char *path;
	long w, fd, r;
	int pi = nr == SYS_execveat ? 1 : 0;

	if (nr == SYS_execveat && (hj_fd_isrump(a[0]) ||
	    (int)a[0] != AT_FDCWD || a[4] != 0)) {
		/* By descriptor: only the host's. */
		return hj_fd_isrump(a[0]) ? -ENOEXEC : hj_host6(nr, a);
	}
	if ((w = hj_path_arg(a, pi, AT_FDCWD, buf)) < 0)
		return w;
	path = (const char *)a[pi];
	fd = -1;
	if (w == 2)
		return -ENOEXEC;
	if (w == 1) {
		if ((fd = hj_exec_copy(buf)) < 0)
			return fd;
		snprintf(mpath, sizeof(mpath), "/proc/self/fd/%ld", fd);
		path = mpath;
	}
	r = hj_exec(path, (char *const *)a[pi + 1], (char *const *)a[pi + 2]);
	if (fd >= 0)
		hj_host1(SYS_close, fd);
	return r;
}

static long
hj_special(long nr, long a[6])
{
	long r;

	switch (nr) {
	case SYS_close:
		return hj_fd_close(a[0]);
	case SYS_dup:
	case SYS_dup2:
	case SYS_dup3:
		return hj_fd_dup(nr, a[0], a[1], a[2]);
	case SYS_fcntl:
		return hj_fd_fcntl(a[0], a[1], a[2]);
	case SYS_close_range:
		return hj_fd_close_range((unsigned int)a[0],
		    (unsigned int)a[1], (unsigned int)a[2]);
	case SYS_getcwd:
		return hj_getcwd((char *)a[0], (unsigned long)a[1]);
	case SYS_chdir:
	case SYS_fchdir:
		return hj_chdir(nr, a);
	case SYS_umask:
		/* Both worlds create files: both keep the program's mask. */
		r = hj_host1(nr, a[0]);
		(void)hj_rump1(nr, a[0]);
		return r;
	case SYS_mmap:
		return hj_mmap(a);
	case SYS_poll:
		return hj_poll((struct pollfd *)a[0], (unsigned long)a[1],
		    (int)a[2], NULL, 0);	/* an int timeout */
	case SYS_ppoll: {
		const struct timespec *ts = (const struct timespec *)a[2];

		return hj_poll((struct pollfd *)a[0], (unsigned long)a[1],
		    ts ? ts->tv_sec * 1000 + ts->tv_nsec / 1000000 : -1,
		    (const void *)a[3], (size_t)a[4]);
	}
	case SYS_select:
	case SYS_pselect6:
		return hj_select(nr, a);
	case SYS_sendfile:
	case SYS_copy_file_range:
	case SYS_splice:
	case SYS_tee:
		return hj_copy(nr, a);
	case SYS_epoll_ctl:
		/* Linux's answer for a regular file or a directory. */
		return hj_fd_isrump(a[2]) ? -EPERM : hj_host6(nr, a);
	case SYS_execve:
	case SYS_execveat:
		return hj_exec_call(nr, a);
	case SYS_openat2:
		return hj_openat2(a);
	case SYS_io_uring_setup:
		/* Its requests would bypass us: programs fall back. */
		return -ENOSYS;
	}
	return hj_host6(nr, a);
}

long
hj_dispatch(long nr, long a[6], void *uc)
{
	const struct hj_rule *rl;
	char buf[HJ_PATHMAX];
	const char *rest;
	long r, w;

	(void)uc;
	if (nr < 0 || (size_t)nr >= sizeof(hj_route) / sizeof(hj_route[0]))
		return hj_host6(nr, a);
	rl = &hj_route[nr];
	switch (rl->kind) {
	case R_FD:
		if (!hj_fd_isrump(a[rl->arg]))
			return hj_host6(nr, a);
		r = hj_rump6(nr, a);
		if (r >= 0 && rl->newfd)	/* open_by_handle_at */
			r = hj_fd_adopt(r, (a[2] & O_CLOEXEC) != 0);
		return r;
	case R_PATH:
	case R_AT:
		w = rl->kind == R_PATH ? hj_path_arg(a, rl->arg, AT_FDCWD, buf) :
		    hj_path_arg(a, rl->arg + 1, a[rl->arg], buf);
		if (w < 0)
			return w;
		if (!w)
			return hj_host6(nr, a);
		if (w == 2)
			return hj_on_magic_fd(nr, a, hj_magic_fd(buf, &rest));
		r = hj_rump6(nr, a);
		if (r >= 0 && rl->newfd)
			r = hj_fd_adopt(r, nr == SYS_creat ? 0 :
			    (a[nr == SYS_open ? 1 : 2] & O_CLOEXEC) != 0);
		return r;
	case R_PATH2:
	case R_AT2:
		return hj_two_paths(nr, a, rl->kind == R_AT2);
	case R_SPECIAL:
		return hj_special(nr, a);
	}
	return hj_host6(nr, a);
}
