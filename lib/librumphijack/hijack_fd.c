/*
 * hijack_fd.c: the program's descriptors that belong to the kernel.
 *
 * A kernel descriptor has one number in both worlds: in the kernel
 * process it is that number, and on the host a placeholder holds it, so
 * that the host never hands the number out while the kernel has it, dup2
 * and fork and exec move it like any other, and a close-on-exec flag is
 * the host's to carry out.  A placeholder is an empty memfd of its own,
 * so that a host call that reaches it all the same (a path through
 * /proc/self/fd) touches nothing that matters.  hj_rumpfd has one bit
 * per such number.  A descriptor at $RUMP_FDBASE or above belongs to
 * the kernel's or librumpclient's own host side ("internal"): the
 * program's close_range stops below it, and dup2 onto one that is open is
 * EBUSY.
 *
 * Exec: RUMPHIJACK__STATE carries the kernel descriptors (with their
 * close-on-exec flags) and whether the working directory is the
 * kernel's to the new image, which closes the close-on-exec ones in the
 * kernel (the host closed their placeholders).
 *
 * Locking: the bits are atomic; two threads racing on one number are
 * the program's race, as they would be on the host.
 */

#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

#include "hijack.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static uint64_t hj_rumpfd[HJ_MAXFD / 64];
int hj_fdbase = HJ_MAXFD;

bool
hj_fd_isrump(long lfd)
{
	int fd = (int)lfd;	/* an int in a register: the upper half is junk */

	if (fd < 0 || fd >= HJ_MAXFD)
		return false;
	return (__atomic_load_n(&hj_rumpfd[fd / 64], __ATOMIC_ACQUIRE) >>
	    (fd % 64)) & 1;
}

void
hj_fd_set(int fd, bool rump)
{
	uint64_t bit = 1ULL << (fd % 64);

	if (fd < 0 || fd >= HJ_MAXFD)
		return;
	if (rump)
		__atomic_fetch_or(&hj_rumpfd[fd / 64], bit, __ATOMIC_ACQ_REL);
	else
		__atomic_fetch_and(&hj_rumpfd[fd / 64], ~bit, __ATOMIC_ACQ_REL);
}

bool
hj_fd_internal(long fd)
{

	fd = (int)fd;
	return fd >= hj_fdbase && !hj_fd_isrump(fd) &&
	    hj_host2(SYS_fcntl, fd, F_GETFD) >= 0;
}

/* A placeholder on the host: at the lowest free number, or at min. */
static long
hj_placeholder(long min, bool cloexec)
{
	long h, d;

	h = hj_host2(SYS_memfd_create, "rumphijack", MFD_CLOEXEC);
	if (h < 0 || min < 0 || h >= min)
		goto out;
	d = hj_host3(SYS_fcntl, h, F_DUPFD_CLOEXEC, min);
	hj_host1(SYS_close, h);
	h = d;
 out:
	if (h >= 0 && !cloexec)
		hj_host3(SYS_fcntl, h, F_SETFD, 0);
	return h;
}

/*
 * The kernel gave descriptor rfd: give it the number of a new host
 * placeholder.  Returns that number or -errno (rfd is closed then).
 */
long
hj_fd_adopt(long rfd, int cloexec)
{
	long h, r;

	h = hj_placeholder(-1, cloexec);
	if (h >= 0 && h >= HJ_MAXFD) {
		hj_host1(SYS_close, h);
		h = -EMFILE;
	}
	if (h < 0) {
		hj_rump1(SYS_close, rfd);
		return h;
	}
	if (h != rfd) {
		r = hj_rump3(SYS_dup3, rfd, h, cloexec ? O_CLOEXEC : 0);
		hj_rump1(SYS_close, rfd);
		if (r < 0) {
			hj_host1(SYS_close, h);
			return r;
		}
	}
	hj_fd_set((int)h, true);
	return h;
}

long
hj_fd_close(long fd)
{
	long r;

	fd = (int)fd;
	if (!hj_fd_isrump(fd)) {
		if (hj_fd_internal(fd))
			return 0;	/* ours: the program never had it */
		return hj_host1(SYS_close, fd);
	}
	hj_fd_set((int)fd, false);
	r = hj_rump1(SYS_close, fd);
	hj_host1(SYS_close, fd);
	return r;
}

/* dup, dup2, dup3. */
long
hj_fd_dup(long nr, long oldfd, long newfd, long flags)
{
	long h, r;

	oldfd = (int)oldfd;
	newfd = (int)newfd;
	if (nr == SYS_dup) {
		if (!hj_fd_isrump(oldfd))
			return hj_host1(nr, oldfd);
		if ((h = hj_host1(SYS_dup, oldfd)) < 0)
			return h;
		if ((r = hj_rump3(SYS_dup3, oldfd, h, 0)) < 0) {
			hj_host1(SYS_close, h);
			return r;
		}
		hj_fd_set((int)h, true);
		return h;
	}
	if (nr == SYS_dup2)
		flags = 0;
	if (oldfd == newfd) {
		if (nr == SYS_dup3)
			return -EINVAL;
		if (!hj_fd_isrump(oldfd))
			return hj_host2(nr, oldfd, newfd);
		r = hj_rump2(SYS_fcntl, oldfd, F_GETFD);
		return r < 0 ? r : newfd;
	}
	if (hj_fd_internal(newfd))
		return -EBUSY;
	if (!hj_fd_isrump(oldfd)) {
		r = hj_host3(SYS_dup3, oldfd, newfd, flags);
		if (r >= 0 && hj_fd_isrump(newfd)) {
			hj_fd_set((int)newfd, false);
			hj_rump1(SYS_close, newfd);
		}
		return r;
	}
	if (newfd >= HJ_MAXFD)
		return -EBADF;
	if ((r = hj_host3(SYS_dup3, oldfd, newfd, flags)) < 0)
		return r;
	if ((r = hj_rump3(SYS_dup3, oldfd, newfd, flags)) < 0) {
		hj_fd_set((int)newfd, false);
		hj_host1(SYS_close, newfd);
		return r;
	}
	hj_fd_set((int)newfd, true);
	return newfd;
}

long
hj_fd_fcntl(long fd, long cmd, long arg)
{
	long h, r;

	fd = (int)fd;
	cmd = (int)cmd;
	if (!hj_fd_isrump(fd))
		return hj_host3(SYS_fcntl, fd, cmd, arg);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((h = hj_host3(SYS_fcntl, fd, cmd, arg)) < 0)
			return h;
		if (h >= HJ_MAXFD) {
			hj_host1(SYS_close, h);
			return -EMFILE;
		}
		r = hj_rump3(SYS_dup3, fd, h,
		    cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0);
		if (r < 0) {
			hj_host1(SYS_close, h);
			return r;
		}
		hj_fd_set((int)h, true);
		return h;
	case F_SETFD:
		/* The host's placeholder carries it out at exec. */
		if ((r = hj_rump3(SYS_fcntl, fd, cmd, arg)) < 0)
			return r;
		return hj_host3(SYS_fcntl, fd, cmd, arg);
	default:
		r = hj_rump3(SYS_fcntl, fd, cmd, arg);
		return r == -ENOSYS ? -EINVAL : r;
	}
}

long
hj_fd_close_range(unsigned int first, unsigned int last, unsigned int flags)
{
	unsigned int fd, top;

	if (first > last)
		return -EINVAL;
	top = last < HJ_MAXFD ? last : HJ_MAXFD - 1;
	for (fd = first; fd <= top; fd++) {
		if (!hj_fd_isrump(fd))
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC) {
			hj_rump3(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC);
			continue;
		}
		hj_fd_set((int)fd, false);
		hj_rump1(SYS_close, fd);
	}
	/* Our own descriptors stay, unless asked for by number. */
	if (first < (unsigned int)hj_fdbase && last >= (unsigned int)hj_fdbase)
		last = (unsigned int)hj_fdbase - 1;
	return hj_host3(SYS_close_range, first, last, flags);
}

/* "FD[c],FD[c],..." of the kernel descriptors, c: close-on-exec. */
void
hj_fd_state_env(char *buf, size_t len)
{
	size_t off = 0;
	long fd, f;
	int n;

	buf[0] = '\0';
	for (fd = 0; fd < HJ_MAXFD; fd++) {
		if (!hj_fd_isrump(fd))
			continue;
		f = hj_host2(SYS_fcntl, fd, F_GETFD);
		n = snprintf(buf + off, len - off, "%s%ld%s", off ? "," : "",
		    fd, f >= 0 && (f & FD_CLOEXEC) ? "c" : "");
		if (n < 0 || (size_t)n >= len - off) {
			buf[off] = '\0';	/* the rest are lost */
			return;
		}
		off += (size_t)n;
	}
}

void
hj_fd_state_load(const char *s)
{
	char *end;
	long fd;

	while (*s != '\0') {
		fd = strtol(s, &end, 10);
		if (end == s || fd < 0 || fd >= HJ_MAXFD)
			return;
		if (*end == 'c') {
			/* The host closed its placeholder at exec. */
			hj_rump1(SYS_close, fd);
			end++;
		} else if (hj_host2(SYS_fcntl, fd, F_GETFD) >= 0)
			hj_fd_set((int)fd, true);
		else
			hj_rump1(SYS_close, fd);
		s = *end == ',' ? end + 1 : end;
	}
}
