/*
 * hijack_io.c: calls whose descriptors may be in both worlds.
 *
 * poll, ppoll, select and pselect6 over host and kernel descriptors at
 * once: with descriptors of one world only the call goes there whole;
 * mixed, each world is polled without waiting, and while nothing is
 * ready the host's part is waited on in slices of 10 ms, the kernel's
 * looked at between them (its descriptors are files, directories and
 * FIFOs: mostly ready at once).
 *
 * sendfile, copy_file_range, splice and tee with a kernel descriptor on
 * either side are copied here through a buffer, by the calls' own rules
 * for offsets; copy_file_range between worlds says EXDEV first, as
 * Linux does between two file systems, so that programs fall back as
 * they do there.
 *
 * mmap of a kernel file is a private copy (anonymous memory filled by
 * pread): what git and the dynamic loader need; a shared writable
 * mapping is ENODEV.
 */

#include <sys/mman.h>
#include <sys/select.h>
#include <sys/syscall.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hijack.h"

#define HJ_SLICE_MS	10
#define HJ_COPYBUF	65536

static long
hj_now_ms(void)
{
	struct timespec ts;

	hj_host2(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Poll the entries of one world (rump or not) of fds, not waiting. */
static long
hj_poll_world(struct pollfd *fds, unsigned long n, bool rump, long wait_ms,
    struct pollfd *tmp)
{
	struct timespec ts;
	unsigned long i, k = 0;
	long r;

	for (i = 0; i < n; i++)
		if (fds[i].fd >= 0 && hj_fd_isrump(fds[i].fd) == rump)
			tmp[k++] = fds[i];
	if (k == 0)
		return 0;
	if (rump)
		r = hj_rump3(SYS_poll, tmp, k, 0);
	else {
		ts.tv_sec = wait_ms / 1000;
		ts.tv_nsec = (wait_ms % 1000) * 1000000;
		r = hj_host(SYS_ppoll, (long)tmp, (long)k, (long)&ts, 0, 8, 0);
	}
	if (r < 0)
		return r;
	for (i = 0, k = 0; i < n; i++)
		if (fds[i].fd >= 0 && hj_fd_isrump(fds[i].fd) == rump)
			fds[i].revents = tmp[k++].revents;
	return r;
}

long
hj_poll(struct pollfd *fds, unsigned long nfds, long timeout_ms,
    const void *sigmask, size_t sigsetsize)
{
	struct pollfd *tmp;
	unsigned long i, nrump = 0, nhost = 0;
	uint64_t m;
	long r, deadline, left;

	if (sigmask != NULL) {	/* SIGSYS must never be blocked */
		memcpy(&m, sigmask, sizeof(m));
		m &= ~(1ULL << (SIGSYS - 1));
		sigmask = &m;
	}
	for (i = 0; i < nfds; i++) {
		if (fds[i].fd < 0)
			continue;
		if (hj_fd_isrump(fds[i].fd))
			nrump++;
		else
			nhost++;
	}
	if (nrump == 0) {
		struct timespec ts, *tsp = NULL;

		if (timeout_ms >= 0) {
			ts.tv_sec = timeout_ms / 1000;
			ts.tv_nsec = (timeout_ms % 1000) * 1000000;
			tsp = &ts;
		}
		return hj_host(SYS_ppoll, (long)fds, (long)nfds, (long)tsp,
		    (long)sigmask, (long)sigsetsize, 0);
	}
	if (nhost == 0 && sigmask == NULL)
		return hj_rump3(SYS_poll, fds, nfds, timeout_ms);
	if ((tmp = malloc(nfds * sizeof(*tmp))) == NULL)
		return -ENOMEM;
	for (i = 0; i < nfds; i++)
		fds[i].revents = 0;
	deadline = timeout_ms < 0 ? -1 : hj_now_ms() + timeout_ms;
	for (;;) {
		if ((r = hj_poll_world(fds, nfds, true, 0, tmp)) != 0) {
			if (r > 0)	/* the host's part too, not waiting */
				hj_poll_world(fds, nfds, false, 0, tmp);
			break;
		}
		left = deadline < 0 ? HJ_SLICE_MS : deadline - hj_now_ms();
		if (left > HJ_SLICE_MS)
			left = HJ_SLICE_MS;
		if (left < 0)
			left = 0;
		if ((r = hj_poll_world(fds, nfds, false, left, tmp)) != 0 ||
		    left == 0)
			break;
	}
	if (r > 0) {	/* both worlds' revents are in: count them */
		for (i = 0, r = 0; i < nfds; i++)
			r += fds[i].fd >= 0 && fds[i].revents != 0;
	}
	free(tmp);
	return r;
}

/* select and pselect6 through hj_poll. */
long
hj_select(long nr, long a[6])
{
	fd_set *sets[3];
	struct pollfd *p;
	struct timespec *ts;
	struct timeval *tv;
	const void *mask = NULL;
	unsigned long n = 0;
	long r, ms = -1;
	int fd, i, nfds = (int)a[0];
	bool any = false;
	static const short ev[3] = { POLLIN, POLLOUT, POLLPRI };

	if (nfds < 0 || nfds > FD_SETSIZE)
		return -EINVAL;
	for (i = 0; i < 3; i++)
		sets[i] = (fd_set *)a[1 + i];
	for (fd = 0; fd < nfds && !any; fd++)
		for (i = 0; i < 3; i++)
			if (sets[i] != NULL && FD_ISSET(fd, sets[i]) &&
			    hj_fd_isrump(fd))
				any = true;
	if (!any) {
		struct { void *mask; size_t len; } sm;
		uint64_t m;

		if (nr == SYS_select || a[5] == 0)
			return hj_host(nr, a[0], a[1], a[2], a[3], a[4], 0);
		memcpy(&sm, (void *)a[5], sizeof(sm));
		if (sm.mask != NULL) {	/* without SIGSYS */
			memcpy(&m, sm.mask, sizeof(m));
			m &= ~(1ULL << (SIGSYS - 1));
			sm.mask = &m;
		}
		return hj_host(nr, a[0], a[1], a[2], a[3], a[4], (long)&sm);
	}
	if (nr == SYS_select) {
		if ((tv = (struct timeval *)a[4]) != NULL)
			ms = tv->tv_sec * 1000 + tv->tv_usec / 1000;
	} else {
		if ((ts = (struct timespec *)a[4]) != NULL)
			ms = ts->tv_sec * 1000 + ts->tv_nsec / 1000000;
		if (a[5] != 0)
			mask = *(void **)a[5];
	}
	if ((p = calloc((size_t)nfds * 3 + 1, sizeof(*p))) == NULL)
		return -ENOMEM;
	for (fd = 0; fd < nfds; fd++)
		for (i = 0; i < 3; i++)
			if (sets[i] != NULL && FD_ISSET(fd, sets[i])) {
				p[n].fd = fd;
				p[n++].events = ev[i];
			}
	r = hj_poll(p, n, ms, mask, 8);
	if (r >= 0) {
		for (i = 0; i < 3; i++)
			if (sets[i] != NULL)
				FD_ZERO(sets[i]);
		r = 0;
		for (; n-- > 0;) {
			i = p[n].events == POLLIN ? 0 :
			    p[n].events == POLLOUT ? 1 : 2;
			if (p[n].revents & (p[n].events | POLLERR | POLLHUP |
			    POLLNVAL)) {
				FD_SET(p[n].fd, sets[i]);
				r++;
			}
		}
	}
	free(p);
	return r;
}

/* read or write (pread or pwrite with off >= 0) of either world. */
static long
hj_rw(bool wr, long fd, const void *buf, size_t len, long off)
{
	long nr = off >= 0 ? (wr ? SYS_pwrite64 : SYS_pread64) :
	    (wr ? SYS_write : SYS_read);

	return hj_fd_isrump(fd) ?
	    hj_rump(nr, fd, (long)buf, (long)len, off, 0, 0) :
	    hj_host(nr, fd, (long)buf, (long)len, off, 0, 0);
}

/*
 * Copy up to len bytes from in to out; an offset pointer that is not
 * NULL is used and advanced instead of the descriptor's offset.
 */
static long
hj_copy_loop(long in, long long *inoff, long out, long long *outoff,
    size_t len)
{
	char *buf;
	long got, put, total = 0, w;

	if ((buf = malloc(HJ_COPYBUF)) == NULL)
		return -ENOMEM;
	while (len > 0) {
		got = hj_rw(false, in, buf, len < HJ_COPYBUF ? len : HJ_COPYBUF,
		    inoff ? *inoff : -1);
		if (got <= 0) {
			if (got < 0 && total == 0)
				total = got;
			break;
		}
		for (put = 0; put < got; put += w) {
			w = hj_rw(true, out, buf + put, (size_t)(got - put),
			    outoff ? *outoff + put : -1);
			if (w <= 0)
				break;
		}
		if (inoff)
			*inoff += put;
		if (outoff)
			*outoff += put;
		if (put < got) {
			/* The unwritten part goes back unread. */
			if (!inoff)
				(void)(hj_fd_isrump(in) ? hj_rump3(SYS_lseek,
				    in, put - got, SEEK_CUR) :
				    hj_host3(SYS_lseek, in, put - got,
				    SEEK_CUR));
			total += put;
			if (total == 0)
				total = w < 0 ? w : -EIO;
			break;
		}
		total += got;
		len -= (size_t)got;
	}
	free(buf);
	return total;
}

long
hj_copy(long nr, long a[6])
{
	bool rin, rout;

	switch (nr) {
	case SYS_sendfile:	/* out, in, *off, count */
		rin = hj_fd_isrump(a[1]);
		rout = hj_fd_isrump(a[0]);
		if (!rin && !rout)
			break;
		return hj_copy_loop(a[1], (long long *)a[2], a[0], NULL,
		    (size_t)a[3]);
	case SYS_copy_file_range:	/* in, *inoff, out, *outoff, len */
		rin = hj_fd_isrump(a[0]);
		rout = hj_fd_isrump(a[2]);
		if (!rin && !rout)
			break;
		if (rin != rout)
			return -EXDEV;
		if (a[5] != 0)
			return -EINVAL;
		return hj_copy_loop(a[0], (long long *)a[1], a[2],
		    (long long *)a[3], (size_t)a[4]);
	case SYS_splice:	/* in, *inoff, out, *outoff, len, flags */
		rin = hj_fd_isrump(a[0]);
		rout = hj_fd_isrump(a[2]);
		if (!rin && !rout)
			break;
		return hj_copy_loop(a[0], (long long *)a[1], a[2],
		    (long long *)a[3], (size_t)a[4]);
	case SYS_tee:
		if (!hj_fd_isrump(a[0]) && !hj_fd_isrump(a[1]))
			break;
		return -EINVAL;		/* both must be pipes */
	}
	return hj_host(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

long
hj_mmap(long a[6])
{
	long addr, r, done = 0;
	size_t len = (size_t)a[1];
	int prot = (int)a[2], flags = (int)a[3];

	if ((flags & MAP_ANONYMOUS) || !hj_fd_isrump(a[4]))
		return hj_host(SYS_mmap, a[0], a[1], a[2], a[3], a[4], a[5]);
	if ((flags & MAP_SHARED) && (prot & PROT_WRITE))
		return -ENODEV;
	flags = (flags & ~(MAP_SHARED | MAP_SHARED_VALIDATE)) | MAP_PRIVATE |
	    MAP_ANONYMOUS;
	addr = hj_host(SYS_mmap, a[0], a[1], PROT_READ | PROT_WRITE, flags,
	    -1, 0);
	if (addr < 0)
		return addr;
	while ((size_t)done < len) {
		r = hj_rump(SYS_pread64, a[4], addr + done, (long)len - done,
		    a[5] + done, 0, 0);
		if (r < 0) {
			hj_host2(SYS_munmap, addr, len);
			return r;
		}
		if (r == 0)
			break;	/* past the end: zeros */
		done += r;
	}
	if (prot != (PROT_READ | PROT_WRITE))
		hj_host3(SYS_mprotect, addr, len, prot);
	return addr;
}
