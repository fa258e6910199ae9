/*
 * t_fd.c: descriptors and what lies behind them without a path: pipes,
 * the descriptor table (dup, dup2, dup3, fcntl, close, rfork flags), the
 * transfer calls (readv, writev, pread, preadv, lseek, ioctl), poll and
 * select, and POSIX record locks between processes.  Each test boots its
 * own kernel (Check forks one process per test) and halts it at the end,
 * so the kernel's leak check sees every descriptor closed.
 *
 * Constants and structures come from the host's headers: the kernel's
 * ABI is Linux's.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define MAGIC1 0xfee1dead
#define MAGIC2 672274793
#define CMD_HALT 0xcdef0123

#define PIPE_SIZE 65536
/* An address in the kernel half: never user memory. */
#define BADPTR ((void *)0xffff800000001000UL)

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

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void
make_pipe(int fds[2], int flags)
{

	ck_assert_int_eq(rump_sys_pipe2(fds, flags), 0);
}

/* A file with the given contents, open read-write at its end. */
static int
make_file(const char *path, const char *contents)
{
	int fd = rump_sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	size_t n = strlen(contents);

	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	ck_assert_int_eq(rump_sys_write(fd, contents, n), (ssize_t)n);
	return fd;
}

/*
 * Pipes
 */

START_TEST(pipe_round_trip_and_fstat_is_fifo)
{
	int fds[2];
	char buf[16];
	struct stat st;

	boot();
	ck_assert_int_eq(rump_sys_pipe(fds), 0);
	ck_assert_int_eq(fds[0], 0);
	ck_assert_int_eq(fds[1], 1);
	ck_assert_int_eq(rump_sys_write(fds[1], "hello", 5), 5);
	ck_assert_int_eq(rump_sys_read(fds[0], buf, sizeof(buf)), 5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
	ck_assert_int_eq(rump_sys_fstat(fds[0], &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_int_eq(rump_sys_write(fds[1], "", 0), 0);
	ck_assert_int_eq(rump_sys_close(fds[0]), 0);
	ck_assert_int_eq(rump_sys_close(fds[1]), 0);
	halt();
}
END_TEST

START_TEST(pipe_read_returns_eof_when_no_writer)
{
	int fds[2];
	char buf[8];

	boot();
	make_pipe(fds, 0);
	ck_assert_int_eq(rump_sys_write(fds[1], "ab", 2), 2);
	ck_assert_int_eq(rump_sys_close(fds[1]), 0);
	ck_assert_int_eq(rump_sys_read(fds[0], buf, sizeof(buf)), 2);
	ck_assert_int_eq(rump_sys_read(fds[0], buf, sizeof(buf)), 0);
	halt();
}
END_TEST

START_TEST(pipe_write_fails_EPIPE_when_no_reader)
{
	int fds[2];

	boot();
	make_pipe(fds, 0);
	ck_assert_int_eq(rump_sys_close(fds[0]), 0);
	ck_assert_fails(rump_sys_write(fds[1], "x", 1), EPIPE);
	halt();
}
END_TEST

START_TEST(pipe_nonblocking_EAGAIN_and_64k_capacity)
{
	static char big[PIPE_SIZE + 4096];
	int fds[2], n;
	char c;

	boot();
	make_pipe(fds, O_NONBLOCK);
	ck_assert_fails(rump_sys_read(fds[0], &c, 1), EAGAIN);
	/* A long non-blocking write takes what fits. */
	ck_assert_int_eq(rump_sys_write(fds[1], big, sizeof(big)), PIPE_SIZE);
	ck_assert_fails(rump_sys_write(fds[1], "x", 1), EAGAIN);
	ck_assert_int_eq(rump_sys_ioctl(fds[0], FIONREAD, &n), 0);
	ck_assert_int_eq(n, PIPE_SIZE);
	ck_assert_int_eq(rump_sys_read(fds[0], big, sizeof(big)), PIPE_SIZE);
	ck_assert_int_eq(rump_sys_ioctl(fds[0], FIONREAD, &n), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_fails(rump_sys_read(fds[0], &c, 1), EAGAIN);
	halt();
}
END_TEST

START_TEST(pipe_wrong_end_and_offsets)
{
	int fds[2];
	char c = 0;

	boot();
	make_pipe(fds, 0);
	ck_assert_fails(rump_sys_write(fds[0], "x", 1), EBADF);
	ck_assert_fails(rump_sys_read(fds[1], &c, 1), EBADF);
	ck_assert_fails(rump_sys_pread(fds[0], &c, 1, 0), ESPIPE);
	ck_assert_fails(rump_sys_pwrite(fds[1], &c, 1, 0), ESPIPE);
	ck_assert_fails(rump_sys_pread(fds[0], &c, 1, -1), EINVAL);
	ck_assert_fails(rump_sys_lseek(fds[0], 0, SEEK_SET), ESPIPE);
	ck_assert_fails(rump_sys_ioctl(fds[0], 0x5401 /* TCGETS */, &c),
	    ENOTTY);
	halt();
}
END_TEST

START_TEST(pipe2_flags)
{
	int fds[2] = { -1, -1 };

	boot();
	ck_assert_fails(rump_sys_pipe2(fds, O_APPEND), EINVAL);
	ck_assert_fails(rump_sys_pipe2(fds, 0x40000000), EINVAL);
	ck_assert_fails(rump_sys_pipe(BADPTR), EFAULT);
	/* The failed call left no descriptor behind. */
	ck_assert_fails(rump_sys_close(0), EBADF);
	make_pipe(fds, O_CLOEXEC | O_NONBLOCK);
	ck_assert_int_eq(rump_sys_fcntl(fds[0], F_GETFD), FD_CLOEXEC);
	ck_assert_int_eq(rump_sys_fcntl(fds[1], F_GETFD), FD_CLOEXEC);
	ck_assert_int_eq(rump_sys_fcntl(fds[0], F_GETFL),
	    O_RDONLY | O_NONBLOCK);
	ck_assert_int_eq(rump_sys_fcntl(fds[1], F_GETFL),
	    O_WRONLY | O_NONBLOCK);
	halt();
}
END_TEST

struct writer {
	int fd;
	char byte;
	int blocks;
	struct lwp *lwp;
};

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	char block[PIPE_BUF];
	int i;

	rump_lwproc_switch(w->lwp);
	memset(block, w->byte, sizeof(block));
	for (i = 0; i < w->blocks; i++)
		if (rump_sys_write(w->fd, block, sizeof(block)) !=
		    (ssize_t)sizeof(block))
			return (void *)1;
	rump_lwproc_releaselwp();
	return NULL;
}

START_TEST(pipe_writes_of_PIPE_BUF_are_atomic)
{
	enum { BLOCKS = 64 };
	static char all[2 * BLOCKS * PIPE_BUF];
	struct writer w[2];
	struct lwp *me;
	pthread_t t[2];
	size_t got = 0;
	ssize_t n;
	int fds[2], i, j;
	void *rv;

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	me = rump_lwproc_curlwp();
	make_pipe(fds, 0);
	for (i = 0; i < 2; i++) {
		w[i].fd = fds[1];
		w[i].byte = (char)('A' + i);
		w[i].blocks = BLOCKS;
		/* Another lwp of this process for each writer. */
		ck_assert_int_eq(rump_lwproc_newlwp(rump_sys_getpid()), 0);
		w[i].lwp = rump_lwproc_curlwp();
		rump_lwproc_switch(me);
	}
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, writer_main, &w[i]);
	/* Odd-sized reads: the blocks still come whole. */
	while (got < sizeof(all)) {
		n = rump_sys_read(fds[0], all + got,
		    sizeof(all) - got < 3001 ? sizeof(all) - got : 3001);
		ck_assert_int_gt(n, 0);
		got += (size_t)n;
	}
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], &rv);
		ck_assert_ptr_null(rv);
	}
	for (i = 0; i < 2 * BLOCKS; i++)
		for (j = 1; j < PIPE_BUF; j++)
			ck_assert_int_eq(all[i * PIPE_BUF + j],
			    all[i * PIPE_BUF]);
	halt();
}
END_TEST

struct delayed {
	int fd;
	int ms;
	struct lwp *lwp;
	int result;
};

static void *
delayed_write_main(void *arg)
{
	struct delayed *d = arg;

	rump_lwproc_switch(d->lwp);
	sleep_ms(d->ms);
	d->result = (int)rump_sys_write(d->fd, "wake", 4);
	rump_lwproc_releaselwp();
	return NULL;
}

static void *
delayed_close_main(void *arg)
{
	struct delayed *d = arg;

	rump_lwproc_switch(d->lwp);
	sleep_ms(d->ms);
	d->result = rump_sys_close(d->fd);
	rump_lwproc_releaselwp();
	return NULL;
}

/* Start f in a thread with a new lwp of the current process. */
static void
start_in_process(pthread_t *t, void *(*f)(void *), struct delayed *d)
{
	struct lwp *me = rump_lwproc_curlwp();

	ck_assert_int_eq(rump_lwproc_newlwp(rump_sys_getpid()), 0);
	d->lwp = rump_lwproc_curlwp();
	rump_lwproc_switch(me);
	pthread_create(t, NULL, f, d);
}

START_TEST(pipe_blocking_read_woken_by_writer_thread)
{
	struct delayed d = { .ms = 100 };
	pthread_t t;
	char buf[8];
	uint64_t t0;
	int fds[2];

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	make_pipe(fds, 0);
	d.fd = fds[1];
	start_in_process(&t, delayed_write_main, &d);
	t0 = now_ms();
	ck_assert_int_eq(rump_sys_read(fds[0], buf, sizeof(buf)), 4);
	ck_assert_uint_ge(now_ms() - t0, 50);
	pthread_join(t, NULL);
	ck_assert_int_eq(d.result, 4);
	/* And a reader woken by the last writer's close sees EOF. */
	d.fd = fds[1];
	start_in_process(&t, delayed_close_main, &d);
	ck_assert_int_eq(rump_sys_read(fds[0], buf, sizeof(buf)), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(d.result, 0);
	halt();
}
END_TEST

START_TEST(close_while_another_thread_reads)
{
	struct delayed d = { .ms = 100 };
	pthread_t t;
	char buf[8];
	int fds[2];

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	make_pipe(fds, 0);
	/* The reader's file stays alive; closing the read end's
	 * descriptor does not wake it, the writer does. */
	d.fd = fds[0];
	start_in_process(&t, delayed_close_main, &d);
	{
		struct delayed w = { .fd = fds[1], .ms = 300 };
		pthread_t tw;

		start_in_process(&tw, delayed_write_main, &w);
		ck_assert_int_eq(rump_sys_read(fds[0], buf, sizeof(buf)), 4);
		pthread_join(tw, NULL);
	}
	pthread_join(t, NULL);
	ck_assert_int_eq(d.result, 0);
	ck_assert_fails(rump_sys_read(fds[0], buf, 1), EBADF);
	halt();
}
END_TEST

START_TEST(poll_pipe_readiness)
{
	static char big[PIPE_SIZE];
	struct pollfd p[2];
	int fds[2];

	boot();
	make_pipe(fds, O_NONBLOCK);
	p[0].fd = fds[0];
	p[0].events = POLLIN;
	p[1].fd = fds[1];
	p[1].events = POLLOUT;
	ck_assert_int_eq(rump_sys_poll(p, 2, 0), 1);
	ck_assert_int_eq(p[0].revents, 0);
	ck_assert_int_eq(p[1].revents, POLLOUT);
	ck_assert_int_eq(rump_sys_write(fds[1], big, sizeof(big)), PIPE_SIZE);
	ck_assert_int_eq(rump_sys_poll(p, 2, 0), 1);
	ck_assert_int_eq(p[0].revents, POLLIN);
	ck_assert_int_eq(p[1].revents, 0);
	ck_assert_int_eq(rump_sys_read(fds[0], big, 10), 10);
	ck_assert_int_eq(rump_sys_poll(p, 2, 0), 1);	/* not a page */
	ck_assert_int_eq(rump_sys_read(fds[0], big, PIPE_BUF), PIPE_BUF);
	ck_assert_int_eq(rump_sys_poll(p, 2, 0), 2);
	ck_assert_int_eq(p[1].revents, POLLOUT);
	/* The writer goes: POLLHUP with the data still readable. */
	ck_assert_int_eq(rump_sys_close(fds[1]), 0);
	ck_assert_int_eq(rump_sys_poll(p, 1, 0), 1);
	ck_assert_int_eq(p[0].revents, POLLIN | POLLHUP);
	halt();
}
END_TEST

START_TEST(poll_POLLERR_for_write_end_without_reader)
{
	struct pollfd p;
	int fds[2];

	boot();
	make_pipe(fds, 0);
	ck_assert_int_eq(rump_sys_close(fds[0]), 0);
	p.fd = fds[1];
	p.events = 0;		/* POLLERR is reported unasked */
	ck_assert_int_eq(rump_sys_poll(&p, 1, 0), 1);
	ck_assert_int_eq(p.revents, POLLERR);
	halt();
}
END_TEST

START_TEST(poll_woken_by_writer_and_timeouts)
{
	struct delayed d = { .ms = 100 };
	struct pollfd p;
	struct timespec ts = { 0, 50 * 1000000L };
	pthread_t t;
	uint64_t t0;
	int fds[2];

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	make_pipe(fds, 0);
	p.fd = fds[0];
	p.events = POLLIN;
	t0 = now_ms();
	ck_assert_int_eq(rump_sys_poll(&p, 1, 100), 0);
	ck_assert_uint_ge(now_ms() - t0, 95);
	t0 = now_ms();
	ck_assert_int_eq(rump_sys_ppoll(&p, 1, &ts, NULL, 8), 0);
	ck_assert_uint_ge(now_ms() - t0, 45);
	ck_assert_int_eq(ts.tv_sec, 0);		/* the time left */
	ck_assert_int_eq(ts.tv_nsec, 0);
	t0 = now_ms();
	ck_assert_int_eq(rump_sys_poll(NULL, 0, 50), 0);	/* a sleep */
	ck_assert_uint_ge(now_ms() - t0, 45);
	d.fd = fds[1];
	start_in_process(&t, delayed_write_main, &d);
	ck_assert_int_eq(rump_sys_poll(&p, 1, -1), 1);	/* no timeout */
	ck_assert_int_eq(p.revents, POLLIN);
	pthread_join(t, NULL);
	halt();
}
END_TEST

START_TEST(poll_bad_input)
{
	struct pollfd p[2];
	struct timespec ts = { 0, 0 };
	uint64_t mask = 0;
	int fds[2];

	boot();
	make_pipe(fds, 0);
	p[0].fd = 77;
	p[0].events = POLLIN;
	p[1].fd = -1;			/* ignored */
	p[1].events = POLLIN;
	p[1].revents = POLLIN;
	ck_assert_int_eq(rump_sys_poll(p, 2, 0), 1);
	ck_assert_int_eq(p[0].revents, POLLNVAL);
	ck_assert_int_eq(p[1].revents, 0);
	ck_assert_fails(rump_sys_poll(BADPTR, 1, 0), EFAULT);
	ck_assert_fails(rump_sys_poll(p, 1025, 0), EINVAL);
	ck_assert_int_eq(rump_sys_poll(NULL, 0, 0), 0);
	ck_assert_fails(rump_sys_ppoll(p, 1, &ts, &mask, 4), EINVAL);
	ts.tv_nsec = 1000000000L;
	ck_assert_fails(rump_sys_ppoll(p, 1, &ts, NULL, 8), EINVAL);
	ts.tv_nsec = 0;
	ts.tv_sec = -1;
	ck_assert_fails(rump_sys_ppoll(p, 1, &ts, NULL, 8), EINVAL);
	ck_assert_fails(rump_sys_ppoll(p, 1, BADPTR, NULL, 8), EFAULT);
	ts.tv_sec = 0;
	ck_assert_int_eq(rump_sys_ppoll(p, 1, &ts, &mask, 8), 1);
	halt();
}
END_TEST

START_TEST(select_readiness_timeouts_and_bad_input)
{
	fd_set r, w;
	struct timeval tv;
	struct timespec ts;
	struct { void *ss; size_t len; } sm;
	uint64_t mask = 0, t0;
	int fds[2];

	boot();
	make_pipe(fds, 0);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(fds[0], &r);
	FD_SET(fds[1], &w);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	ck_assert_int_eq(rump_sys_select(fds[1] + 1, &r, &w, NULL, &tv), 1);
	ck_assert(!FD_ISSET(fds[0], &r));
	ck_assert(FD_ISSET(fds[1], &w));
	ck_assert_int_eq(rump_sys_write(fds[1], "x", 1), 1);
	FD_SET(fds[0], &r);
	FD_SET(fds[1], &w);
	ck_assert_int_eq(rump_sys_select(fds[1] + 1, &r, &w, NULL, NULL), 2);
	/* Timeout: nothing ready within 100 ms. */
	ck_assert_int_eq(rump_sys_read(fds[0], &mask, 1), 1);
	FD_ZERO(&w);
	FD_SET(fds[0], &r);
	tv.tv_sec = 0;
	tv.tv_usec = 100000;
	t0 = now_ms();
	ck_assert_int_eq(rump_sys_select(fds[0] + 1, &r, NULL, NULL, &tv), 0);
	ck_assert_uint_ge(now_ms() - t0, 95);
	ck_assert(!FD_ISSET(fds[0], &r));
	/* Linux carries whole seconds out of tv_usec. */
	tv.tv_sec = 0;
	tv.tv_usec = 1000000;
	FD_SET(fds[1], &w);
	ck_assert_int_eq(rump_sys_select(fds[1] + 1, NULL, &w, NULL, &tv), 1);
	/* Bad input. */
	tv.tv_sec = 0;
	tv.tv_usec = -1;
	ck_assert_fails(rump_sys_select(1, NULL, NULL, NULL, &tv), EINVAL);
	tv.tv_sec = -1;
	tv.tv_usec = 0;
	ck_assert_fails(rump_sys_select(1, NULL, NULL, NULL, &tv), EINVAL);
	tv.tv_sec = 0;
	ck_assert_fails(rump_sys_select(-1, NULL, NULL, NULL, &tv), EINVAL);
	FD_ZERO(&r);
	FD_SET(9, &r);
	ck_assert_fails(rump_sys_select(10, &r, NULL, NULL, &tv), EBADF);
	ck_assert_fails(rump_sys_select(10, BADPTR, NULL, NULL, &tv), EFAULT);
	ck_assert_fails(rump_sys_select(1, NULL, NULL, NULL, BADPTR), EFAULT);
	/* pselect6: a timespec and the (ignored) signal mask. */
	ts.tv_sec = 0;
	ts.tv_nsec = 1000000000L;
	ck_assert_fails(rump_sys_pselect6(1, NULL, NULL, NULL, &ts, NULL),
	    EINVAL);
	ts.tv_nsec = 0;
	sm.ss = &mask;
	sm.len = 4;
	ck_assert_fails(rump_sys_pselect6(1, NULL, NULL, NULL, &ts, &sm),
	    EINVAL);
	sm.len = 8;
	FD_ZERO(&w);
	FD_SET(fds[1], &w);
	ck_assert_int_eq(rump_sys_pselect6(fds[1] + 1, NULL, &w, NULL, &ts,
	    &sm), 1);
	halt();
}
END_TEST

/*
 * Descriptor tables
 */

START_TEST(lowest_free_descriptor_first)
{
	int fds[2];

	boot();
	make_pipe(fds, 0);
	ck_assert_int_eq(rump_sys_dup(fds[0]), 2);
	ck_assert_int_eq(rump_sys_dup(fds[0]), 3);
	ck_assert_int_eq(rump_sys_close(1), 0);
	ck_assert_int_eq(rump_sys_close(0), 0);
	ck_assert_int_eq(rump_sys_dup(3), 0);
	ck_assert_int_eq(rump_sys_dup(3), 1);
	ck_assert_int_eq(rump_sys_dup(3), 4);
	ck_assert_int_eq(rump_sys_fcntl(3, F_DUPFD, 10), 10);
	ck_assert_int_eq(rump_sys_fcntl(3, F_DUPFD, 10), 11);
	ck_assert_int_eq(rump_sys_fcntl(3, F_DUPFD, 2), 5);
	halt();
}
END_TEST

START_TEST(EMFILE_at_1024_descriptors)
{
	int fds[2], fd, n = 2;

	boot();
	make_pipe(fds, 0);
	while ((fd = rump_sys_dup(0)) >= 0) {
		ck_assert_int_eq(fd, n);
		n++;
	}
	ck_assert_int_eq(errno, EMFILE);
	ck_assert_int_eq(n, 1024);
	ck_assert_fails(rump_sys_pipe(fds), EMFILE);
	ck_assert_fails(rump_sys_fcntl(0, F_DUPFD, 0), EMFILE);
	ck_assert_fails(rump_sys_fcntl(0, F_DUPFD, 1024), EINVAL);
	ck_assert_fails(rump_sys_fcntl(0, F_DUPFD, -1), EINVAL);
	ck_assert_int_eq(rump_sys_close(1000), 0);
	ck_assert_int_eq(rump_sys_fcntl(0, F_DUPFD, 0), 1000);
	ck_assert_int_eq(rump_sys_dup2(0, 1023), 1023);
	ck_assert_fails(rump_sys_dup2(0, 1024), EBADF);
	halt();
}
END_TEST

START_TEST(EBADF_cases)
{
	int fds[2], flags = 0;
	char c;

	boot();
	ck_assert_fails(rump_sys_close(0), EBADF);
	ck_assert_fails(rump_sys_close(-1), EBADF);
	ck_assert_fails(rump_sys_close(100000), EBADF);
	make_pipe(fds, 0);
	ck_assert_fails(rump_sys_close(500), EBADF);
	ck_assert_fails(rump_sys_dup(-1), EBADF);
	ck_assert_fails(rump_sys_dup(7), EBADF);
	ck_assert_fails(rump_sys_dup2(7, 3), EBADF);
	ck_assert_fails(rump_sys_dup2(7, 7), EBADF);
	ck_assert_fails(rump_sys_dup2(0, -1), EBADF);
	ck_assert_fails(rump_sys_dup3(7, 3, 0), EBADF);
	ck_assert_fails(rump_sys_fcntl(7, F_GETFD), EBADF);
	ck_assert_fails(rump_sys_read(7, &c, 1), EBADF);
	ck_assert_fails(rump_sys_write(-3, &c, 1), EBADF);
	ck_assert_fails(rump_sys_lseek(7, 0, SEEK_SET), EBADF);
	ck_assert_fails(rump_sys_ioctl(7, FIONBIO, &flags), EBADF);
	ck_assert_int_eq(rump_sys_close(fds[0]), 0);
	ck_assert_fails(rump_sys_close(fds[0]), EBADF);
	halt();
}
END_TEST

START_TEST(dup2_dup3_semantics)
{
	int fds[2], q[2];
	char c;

	boot();
	make_pipe(fds, 0);
	make_pipe(q, 0);	/* 2, 3 */
	ck_assert_int_eq(rump_sys_dup2(fds[0], fds[0]), fds[0]);
	ck_assert_fails(rump_sys_dup3(fds[0], fds[0], 0), EINVAL);
	ck_assert_fails(rump_sys_dup3(fds[0], 5, O_NONBLOCK), EINVAL);
	ck_assert_fails(rump_sys_dup3(fds[0], 5, -1), EINVAL);
	/* dup2 over q's write end closes it: q's reader sees EOF. */
	ck_assert_int_eq(rump_sys_dup2(fds[1], q[1]), q[1]);
	ck_assert_int_eq(rump_sys_read(q[0], &c, 1), 0);
	ck_assert_int_eq(rump_sys_write(q[1], "z", 1), 1);
	ck_assert_int_eq(rump_sys_read(fds[0], &c, 1), 1);
	ck_assert_int_eq(c, 'z');
	/* dup3 sets close-on-exec as asked; dup2 and dup clear it. */
	ck_assert_int_eq(rump_sys_dup3(fds[0], 9, O_CLOEXEC), 9);
	ck_assert_int_eq(rump_sys_fcntl(9, F_GETFD), FD_CLOEXEC);
	ck_assert_int_eq(rump_sys_dup2(fds[1], 9), 9);
	ck_assert_int_eq(rump_sys_fcntl(9, F_GETFD), 0);
	ck_assert_int_eq(rump_sys_fcntl(9, F_SETFD, FD_CLOEXEC), 0);
	ck_assert_int_eq(rump_sys_fcntl(rump_sys_dup(9), F_GETFD), 0);
	ck_assert_int_eq(rump_sys_fcntl(9, F_DUPFD_CLOEXEC, 20), 20);
	ck_assert_int_eq(rump_sys_fcntl(20, F_GETFD), FD_CLOEXEC);
	ck_assert_int_eq(rump_sys_ioctl(20, FIONCLEX), 0);
	ck_assert_int_eq(rump_sys_fcntl(20, F_GETFD), 0);
	ck_assert_int_eq(rump_sys_ioctl(20, FIOCLEX), 0);
	ck_assert_int_eq(rump_sys_fcntl(20, F_GETFD), FD_CLOEXEC);
	ck_assert_fails(rump_sys_fcntl(20, 9999), EINVAL);
	halt();
}
END_TEST

START_TEST(fcntl_status_flags)
{
	int fds[2], on;
	char c;

	boot();
	make_pipe(fds, 0);
	ck_assert_int_eq(rump_sys_fcntl(fds[0], F_GETFL), O_RDONLY);
	ck_assert_int_eq(rump_sys_fcntl(fds[1], F_GETFL), O_WRONLY);
	/* The access mode and creation flags do not change. */
	ck_assert_int_eq(rump_sys_fcntl(fds[0], F_SETFL,
	    O_RDWR | O_NONBLOCK | O_CREAT | O_APPEND), 0);
	ck_assert_int_eq(rump_sys_fcntl(fds[0], F_GETFL),
	    O_RDONLY | O_NONBLOCK | O_APPEND);
	ck_assert_fails(rump_sys_read(fds[0], &c, 1), EAGAIN);
	ck_assert_int_eq(rump_sys_fcntl(fds[0], F_SETFL, 0), 0);
	ck_assert_int_eq(rump_sys_fcntl(fds[0], F_GETFL), O_RDONLY);
	/* FIONBIO is the same flag; a dup shares it. */
	on = 1;
	ck_assert_int_eq(rump_sys_ioctl(fds[0], FIONBIO, &on), 0);
	ck_assert_int_eq(rump_sys_fcntl(rump_sys_dup(fds[0]), F_GETFL),
	    O_RDONLY | O_NONBLOCK);
	ck_assert_fails(rump_sys_ioctl(fds[0], FIONBIO, BADPTR), EFAULT);
	ck_assert_int_eq(rump_sys_fcntl(fds[1], F_GETPIPE_SZ), PIPE_SIZE);
	halt();
}
END_TEST

/* Whether fd is open in the current process. */
static int
is_open(int fd)
{

	return rump_sys_fcntl(fd, F_GETFD) >= 0;
}

START_TEST(rfork_descriptor_tables)
{
	struct lwp *parent;
	int fds[2], fd;
	char c;

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	parent = rump_lwproc_curlwp();
	make_pipe(fds, 0);

	/* RFCFDG: empty. */
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	ck_assert(!is_open(fds[0]));
	ck_assert_int_eq(rump_sys_dup2(0, 0) == -1 && errno == EBADF, 1);
	rump_lwproc_releaselwp();
	rump_lwproc_switch(parent);

	/* RFFDG: a copy; the files are shared, the tables are not. */
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFFDG), 0);
	ck_assert(is_open(fds[0]) && is_open(fds[1]));
	ck_assert_int_eq(rump_sys_write(fds[1], "c", 1), 1);
	fd = rump_sys_dup(fds[0]);
	ck_assert_int_eq(fd, 2);
	ck_assert_int_eq(rump_sys_close(fds[1]), 0);
	rump_lwproc_switch(parent);
	ck_assert(!is_open(2));
	ck_assert(is_open(fds[1]));
	ck_assert_int_eq(rump_sys_read(fds[0], &c, 1), 1);
	ck_assert_int_eq(c, 'c');

	/* 0: the same table. */
	ck_assert_int_eq(rump_lwproc_rfork(0), 0);
	ck_assert(is_open(fds[0]));
	ck_assert_int_eq(rump_sys_dup(fds[0]), 2);
	ck_assert_int_eq(rump_sys_close(fds[1]), 0);
	rump_lwproc_releaselwp();	/* the table stays with the parent */
	rump_lwproc_switch(parent);
	ck_assert(is_open(2));
	ck_assert(!is_open(fds[1]));
	ck_assert_int_eq(rump_sys_read(fds[0], &c, 1), 0);	/* EOF */
	halt();
}
END_TEST

START_TEST(readv_writev_on_pipes)
{
	char a[3], b[5], c[4];
	struct iovec wv[3] = { { "abc", 3 }, { "", 0 }, { "defghij", 7 } };
	struct iovec rv[3] = { { a, sizeof(a) }, { b, sizeof(b) },
	    { c, sizeof(c) } };
	struct iovec bad[2] = { { a, SSIZE_MAX }, { b, 2 } };
	static struct iovec many[1025];
	int fds[2], i;

	boot();
	make_pipe(fds, 0);
	ck_assert_int_eq(rump_sys_writev(fds[1], wv, 3), 10);
	ck_assert_int_eq(rump_sys_readv(fds[0], rv, 3), 10);
	ck_assert_int_eq(memcmp(a, "abc", 3), 0);
	ck_assert_int_eq(memcmp(b, "defgh", 5), 0);
	ck_assert_int_eq(memcmp(c, "ij", 2), 0);
	ck_assert_int_eq(rump_sys_writev(fds[1], wv, 0), 0);
	ck_assert_fails(rump_sys_writev(fds[1], wv, -1), EINVAL);
	for (i = 0; i < 1025; i++) {
		many[i].iov_base = a;
		many[i].iov_len = 1;
	}
	ck_assert_fails(rump_sys_writev(fds[1], many, 1025), EINVAL);
	ck_assert_int_eq(rump_sys_writev(fds[1], many, 1024), 1024);
	ck_assert_fails(rump_sys_writev(fds[1], bad, 2), EINVAL);
	ck_assert_fails(rump_sys_writev(fds[1], BADPTR, 2), EFAULT);
	ck_assert_fails(rump_sys_readv(fds[1], rv, 1), EBADF);
	ck_assert_fails(rump_sys_preadv(fds[0], rv, 1, 0), ESPIPE);
	ck_assert_fails(rump_sys_pwritev(fds[1], wv, 1, -5), EINVAL);
	/* A copy that faults counts for nothing (Linux): EFAULT, and the
	 * bytes stay in the pipe, even those that reached rv[0]. */
	rv[0].iov_base = BADPTR;
	ck_assert_fails(rump_sys_readv(fds[0], rv, 2), EFAULT);
	rv[0].iov_base = a;
	rv[1].iov_base = BADPTR;
	ck_assert_fails(rump_sys_readv(fds[0], rv, 2), EFAULT);
	ck_assert_fails(rump_sys_write(fds[1], BADPTR, 10), EFAULT);
	ck_assert_fails(rump_sys_read(fds[0], BADPTR, 10), EFAULT);
	ck_assert_int_eq(rump_sys_ioctl(fds[0], FIONREAD, &i), 0);
	ck_assert_int_eq(i, 1024);
	halt();
}
END_TEST

/*
 * Files (need the VFS core and tmpfs as the root)
 */

START_TEST(file_offset_shared_after_dup)
{
	char buf[8];
	int fd, fd2;

	boot();
	fd = make_file("/f", "0123456789");
	fd2 = rump_sys_dup(fd);
	ck_assert_int_eq(rump_sys_lseek(fd, 2, SEEK_SET), 2);
	ck_assert_int_eq(rump_sys_read(fd2, buf, 3), 3);
	ck_assert_int_eq(memcmp(buf, "234", 3), 0);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 5);
	/* A separate open has its own offset. */
	ck_assert_int_eq(rump_sys_close(fd2), 0);
	fd2 = rump_sys_open("/f", O_RDONLY);
	ck_assert_int_eq(rump_sys_read(fd2, buf, 2), 2);
	ck_assert_int_eq(memcmp(buf, "01", 2), 0);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 5);
	ck_assert_fails(rump_sys_write(fd2, "x", 1), EBADF);
	ck_assert_int_eq(rump_sys_fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	halt();
}
END_TEST

START_TEST(preadv_pwritev_on_files)
{
	char a[4], b[4], buf[16];
	struct iovec wv[2] = { { "WXYZ", 4 }, { "wxyz", 4 } };
	struct iovec rv[2] = { { a, 4 }, { b, 4 } };
	int fd, dfd, n;

	boot();
	fd = make_file("/g", "0123456789");
	ck_assert_int_eq(rump_sys_pwritev(fd, wv, 2, 1), 8);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 10);	/* kept */
	ck_assert_int_eq(rump_sys_preadv(fd, rv, 2, 0), 8);
	ck_assert_int_eq(memcmp(a, "0WXY", 4), 0);
	ck_assert_int_eq(memcmp(b, "Zwxy", 4), 0);
	ck_assert_int_eq(rump_sys_pread(fd, buf, sizeof(buf), 8), 2);
	ck_assert_int_eq(memcmp(buf, "z9", 2), 0);
	ck_assert_int_eq(rump_sys_pread(fd, buf, sizeof(buf), 100), 0);
	ck_assert_fails(rump_sys_preadv(fd, rv, 2, -1), EINVAL);
	ck_assert_fails(rump_sys_pread(fd, buf, 10, INT64_MAX - 5), EINVAL);
	ck_assert_fails(rump_sys_pwrite(fd, buf, 10, INT64_MAX - 5), EINVAL);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(rump_sys_ioctl(fd, FIONREAD, &n), 0);
	ck_assert_int_eq(n, 10);
	ck_assert_int_eq(rump_sys_readv(fd, rv, 2), 8);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 8);
	dfd = rump_sys_open("/", O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dfd, 0);
	ck_assert_fails(rump_sys_read(dfd, buf, sizeof(buf)), EISDIR);
	ck_assert_fails(rump_sys_pread(dfd, buf, sizeof(buf), 0), EISDIR);
	dfd = rump_sys_open("/g", O_PATH);
	ck_assert_int_ge(dfd, 0);
	ck_assert_fails(rump_sys_read(dfd, buf, 1), EBADF);
	ck_assert_fails(rump_sys_lseek(dfd, 0, SEEK_SET), EBADF);
	ck_assert_fails(rump_sys_fcntl(dfd, F_SETFL, O_NONBLOCK), EBADF);
	halt();
}
END_TEST

/*
 * FIFOs: open(2) of a VFIFO vnode hands the file to fifo_open().  Until
 * the VFS's open calls it, a FIFO opens as a plain vnode file: the tests
 * say so and pass.
 */
static int
fifos_wired(void)
{
	int fd, sz;

	ck_assert_int_eq(rump_sys_mknod("/wired", S_IFIFO | 0600, 0), 0);
	fd = rump_sys_open("/wired", O_RDWR | O_NONBLOCK);
	ck_assert_int_ge(fd, 0);
	sz = rump_sys_fcntl(fd, F_GETPIPE_SZ);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	if (sz != PIPE_SIZE)
		fprintf(stderr, "skipped: open(2) does not reach fifo_open\n");
	return sz == PIPE_SIZE;
}

START_TEST(fifo_open_read_write_and_stat)
{
	struct stat st, st2;
	char buf[8];
	int r, w, rw, n;

	boot();
	if (!fifos_wired())
		goto out;
	ck_assert_int_eq(rump_sys_mknod("/p", S_IFIFO | 0644, 0), 0);
	ck_assert_fails(rump_sys_open("/p", O_WRONLY | O_NONBLOCK), ENXIO);
	ck_assert_fails(rump_sys_open("/p", O_ACCMODE | O_NONBLOCK), EINVAL);
	r = rump_sys_open("/p", O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(r, 0);
	ck_assert_int_eq(rump_sys_read(r, buf, 1), 0);	/* no writer */
	w = rump_sys_open("/p", O_WRONLY | O_NONBLOCK);
	ck_assert_int_ge(w, 0);
	ck_assert_fails(rump_sys_read(r, buf, 1), EAGAIN);
	ck_assert_int_eq(rump_sys_write(w, "hi", 2), 2);
	ck_assert_int_eq(rump_sys_ioctl(r, FIONREAD, &n), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(rump_sys_read(r, buf, sizeof(buf)), 2);
	ck_assert_int_eq(memcmp(buf, "hi", 2), 0);
	/* fstat is the FIFO's own. */
	ck_assert_int_eq(rump_sys_fstat(r, &st), 0);
	ck_assert_int_eq(rump_sys_stat("/p", &st2), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	ck_assert_int_eq(st.st_ino, st2.st_ino);
	ck_assert_fails(rump_sys_lseek(r, 0, SEEK_SET), ESPIPE);
	ck_assert_fails(rump_sys_pread(r, buf, 1, 0), ESPIPE);
	ck_assert_fails(rump_sys_write(r, "x", 1), EBADF);
	/* The last writer gone: EOF; the last opener gone: the data too. */
	ck_assert_int_eq(rump_sys_write(w, "z", 1), 1);
	ck_assert_int_eq(rump_sys_close(w), 0);
	ck_assert_int_eq(rump_sys_read(r, buf, sizeof(buf)), 1);
	ck_assert_int_eq(rump_sys_read(r, buf, sizeof(buf)), 0);
	rw = rump_sys_open("/p", O_RDWR);	/* never waits */
	ck_assert_int_eq(rump_sys_write(rw, "q", 1), 1);
	ck_assert_int_eq(rump_sys_close(rw), 0);
	ck_assert_int_eq(rump_sys_close(r), 0);
	rw = rump_sys_open("/p", O_RDWR | O_NONBLOCK);
	ck_assert_fails(rump_sys_read(rw, buf, 1), EAGAIN);
 out:
	halt();
}
END_TEST

struct opener {
	struct lwp *lwp;
	int flags, fd;
	int started;		/* atomic: about to open */
	uint64_t done_ms;	/* when its open returned */
};

static void *
opener_main(void *arg)
{
	struct opener *o = arg;

	rump_lwproc_switch(o->lwp);
	__atomic_store_n(&o->started, 1, __ATOMIC_RELEASE);
	o->fd = rump_sys_open("/p", o->flags);
	o->done_ms = now_ms();
	rump_lwproc_releaselwp();
	return NULL;
}

START_TEST(fifo_blocking_opens_wait_for_a_partner)
{
	struct opener o;
	struct lwp *me;
	uint64_t partner_ms;
	pthread_t t;
	char c;
	int w, i;

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	me = rump_lwproc_curlwp();
	if (!fifos_wired())
		goto out;
	ck_assert_int_eq(rump_sys_mknod("/p", S_IFIFO | 0666, 0), 0);
	for (i = 0; i < 2; i++) {
		/* First a reader waits for a writer, then the reverse. */
		o.flags = i == 0 ? O_RDONLY : O_WRONLY;
		ck_assert_int_eq(rump_lwproc_newlwp(rump_sys_getpid()), 0);
		o.lwp = rump_lwproc_curlwp();
		rump_lwproc_switch(me);
		o.started = 0;
		pthread_create(&t, NULL, opener_main, &o);
		/* However loaded the machine, the opener is on its way in
		 * before the partner comes, and cannot be back before. */
		while (!__atomic_load_n(&o.started, __ATOMIC_ACQUIRE))
			sleep_ms(1);
		sleep_ms(100);
		partner_ms = now_ms();
		w = rump_sys_open("/p", i == 0 ? O_WRONLY : O_RDONLY);
		ck_assert_int_ge(w, 0);
		pthread_join(t, NULL);
		ck_assert_int_ge(o.fd, 0);
		ck_assert_uint_ge(o.done_ms, partner_ms);
		/* The two share one pipe (and one table here). */
		ck_assert_int_eq(rump_sys_write(i == 0 ? w : o.fd, "k", 1), 1);
		ck_assert_int_eq(rump_sys_read(i == 0 ? o.fd : w, &c, 1), 1);
		ck_assert_int_eq(c, 'k');
		ck_assert_int_eq(rump_sys_close(w), 0);
		ck_assert_int_eq(rump_sys_close(o.fd), 0);
	}
 out:
	halt();
}
END_TEST

/* Record locks: two processes, each with its own table and file. */
struct lockpair {
	struct lwp *p1, *p2;
	pid_t pid1, pid2;
	int fd1, fd2;
};

static void
lockpair_setup(struct lockpair *lp)
{
	int fd;

	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	lp->p1 = rump_lwproc_curlwp();
	lp->pid1 = rump_sys_getpid();
	fd = make_file("/lk", "0123456789");
	lp->fd1 = fd;
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	lp->p2 = rump_lwproc_curlwp();
	lp->pid2 = rump_sys_getpid();
	lp->fd2 = rump_sys_open("/lk", O_RDWR);
	ck_assert_int_ge(lp->fd2, 0);
	rump_lwproc_switch(lp->p1);
}

static int
lk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
	    .l_start = start, .l_len = len };

	return rump_sys_fcntl(fd, cmd, &fl);
}

/* F_GETLK: the type of the first conflict (F_UNLCK: none), and it. */
static int
getlk(int fd, short type, off_t start, off_t len, struct flock *out)
{
	out->l_type = type;
	out->l_whence = SEEK_SET;
	out->l_start = start;
	out->l_len = len;
	out->l_pid = -7;
	ck_assert_int_eq(rump_sys_fcntl(fd, F_GETLK, out), 0);
	return out->l_type;
}

START_TEST(lock_conflict_getlk_and_errors)
{
	struct lockpair lp;
	struct flock fl;
	int rfd;

	boot();
	lockpair_setup(&lp);
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_WRLCK, 0, 100), 0);
	rump_lwproc_switch(lp.p2);
	ck_assert_fails(lk(lp.fd2, F_SETLK, F_RDLCK, 50, 10), EAGAIN);
	ck_assert_int_eq(getlk(lp.fd2, F_RDLCK, 50, 10, &fl), F_WRLCK);
	ck_assert_int_eq(fl.l_pid, lp.pid1);
	ck_assert_int_eq(fl.l_start, 0);
	ck_assert_int_eq(fl.l_len, 100);
	ck_assert_int_eq(fl.l_whence, SEEK_SET);
	ck_assert_int_eq(lk(lp.fd2, F_SETLK, F_WRLCK, 100, 0), 0);
	/* The owner sees no conflict with itself. */
	rump_lwproc_switch(lp.p1);
	ck_assert_int_eq(getlk(lp.fd1, F_WRLCK, 0, 100, &fl), F_UNLCK);
	ck_assert_int_eq(fl.l_pid, -7);		/* untouched */
	ck_assert_int_eq(getlk(lp.fd1, F_RDLCK, 0, 0, &fl), F_WRLCK);
	ck_assert_int_eq(fl.l_pid, lp.pid2);
	ck_assert_int_eq(fl.l_start, 100);
	ck_assert_int_eq(fl.l_len, 0);			/* to EOF */
	/* Read locks share. */
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_UNLCK, 0, 0), 0);
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_RDLCK, 0, 50), 0);
	rump_lwproc_switch(lp.p2);
	ck_assert_int_eq(lk(lp.fd2, F_SETLK, F_RDLCK, 10, 10), 0);
	ck_assert_fails(lk(lp.fd2, F_SETLK, F_WRLCK, 49, 1), EAGAIN);
	/* Errors. */
	ck_assert_fails(lk(lp.fd2, F_SETLK, 7, 0, 1), EINVAL);
	ck_assert_fails(lk(lp.fd2, F_SETLK, F_RDLCK, -1, 1), EINVAL);
	ck_assert_fails(lk(lp.fd2, F_SETLK, F_RDLCK, 5, -6), EINVAL);
	ck_assert_fails(lk(lp.fd2, F_SETLK, F_RDLCK, 2, INT64_MAX), EOVERFLOW);
	ck_assert_fails(rump_sys_fcntl(lp.fd2, F_SETLK, BADPTR), EFAULT);
	fl.l_type = F_UNLCK;
	ck_assert_fails(rump_sys_fcntl(lp.fd2, F_GETLK, &fl), EINVAL);
	rfd = rump_sys_open("/lk", O_RDONLY);
	ck_assert_fails(lk(rfd, F_SETLK, F_WRLCK, 0, 1), EBADF);
	/* Linux checks the range before the access mode. */
	ck_assert_fails(lk(rfd, F_SETLK, F_WRLCK, -1, 1), EINVAL);
	ck_assert_fails(lk(99, F_SETLK, F_WRLCK, 0, 1), EBADF);
	/* A negative length locks backwards: [5, 10) here. */
	ck_assert_int_eq(lk(lp.fd2, F_SETLK, F_UNLCK, 0, 0), 0);
	rump_lwproc_switch(lp.p1);
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_UNLCK, 0, 0), 0);
	rump_lwproc_switch(lp.p2);
	ck_assert_int_eq(lk(lp.fd2, F_SETLK, F_WRLCK, 10, -5), 0);
	rump_lwproc_switch(lp.p1);
	ck_assert_int_eq(getlk(lp.fd1, F_RDLCK, 0, 0, &fl), F_WRLCK);
	ck_assert_int_eq(fl.l_start, 5);
	ck_assert_int_eq(fl.l_len, 5);
	halt();
}
END_TEST

START_TEST(lock_whence_and_shared_table_is_one_owner)
{
	struct lockpair lp;
	struct flock fl;
	struct lwp *sharer;

	boot();
	lockpair_setup(&lp);
	/* SEEK_END: the last two bytes of the 10-byte file. */
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_END;
	fl.l_start = -2;
	fl.l_len = 2;
	ck_assert_int_eq(rump_sys_fcntl(lp.fd1, F_SETLK, &fl), 0);
	/* SEEK_CUR from offset 3, to the end of the file. */
	ck_assert_int_eq(rump_sys_lseek(lp.fd1, 3, SEEK_SET), 3);
	fl.l_type = F_RDLCK;
	fl.l_whence = SEEK_CUR;
	fl.l_start = 0;
	fl.l_len = 3;
	ck_assert_int_eq(rump_sys_fcntl(lp.fd1, F_SETLK, &fl), 0);
	fl.l_whence = 7;
	ck_assert_fails(rump_sys_fcntl(lp.fd1, F_SETLK, &fl), EINVAL);
	rump_lwproc_switch(lp.p2);
	ck_assert_int_eq(getlk(lp.fd2, F_WRLCK, 0, 0, &fl), F_RDLCK);
	ck_assert_int_eq(fl.l_start, 3);
	ck_assert_int_eq(fl.l_len, 3);
	ck_assert_int_eq(getlk(lp.fd2, F_RDLCK, 0, 0, &fl), F_WRLCK);
	ck_assert_int_eq(fl.l_start, 8);
	ck_assert_int_eq(fl.l_len, 2);
	/* A process that shares p1's table (rfork 0) is the same owner. */
	rump_lwproc_switch(lp.p1);
	ck_assert_int_eq(rump_lwproc_rfork(0), 0);
	sharer = rump_lwproc_curlwp();
	ck_assert_int_eq(getlk(lp.fd1, F_WRLCK, 0, 0, &fl), F_UNLCK);
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_WRLCK, 0, 0), 0);
	rump_lwproc_switch(lp.p2);
	ck_assert_int_eq(getlk(lp.fd2, F_RDLCK, 5, 1, &fl), F_WRLCK);
	ck_assert_int_eq(fl.l_start, 0);
	ck_assert_int_eq(fl.l_len, 0);
	/* The sharer's exit leaves the table, and the locks, to p1. */
	rump_lwproc_switch(sharer);
	rump_lwproc_releaselwp();
	rump_lwproc_switch(lp.p2);
	ck_assert_fails(lk(lp.fd2, F_SETLK, F_RDLCK, 5, 1), EAGAIN);
	halt();
}
END_TEST

START_TEST(lock_on_a_pipe)
{
	struct lwp *p1, *p2;
	struct flock fl;
	int fds[2];

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	p1 = rump_lwproc_curlwp();
	make_pipe(fds, 0);
	ck_assert_int_eq(lk(fds[1], F_SETLK, F_WRLCK, 0, 10), 0);
	ck_assert_fails(lk(fds[1], F_SETLK, F_RDLCK, 0, 10), EBADF);
	/* A copy of the table is another owner; both ends are one file. */
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFFDG), 0);
	p2 = rump_lwproc_curlwp();
	ck_assert_fails(lk(fds[0], F_SETLK, F_RDLCK, 5, 1), EAGAIN);
	ck_assert_int_eq(getlk(fds[0], F_RDLCK, 0, 0, &fl), F_WRLCK);
	/* Closing either end drops p1's locks. */
	rump_lwproc_switch(p1);
	ck_assert_int_eq(rump_sys_close(fds[0]), 0);
	rump_lwproc_switch(p2);
	ck_assert_int_eq(lk(fds[0], F_SETLK, F_RDLCK, 5, 1), 0);
	halt();
}
END_TEST

START_TEST(lock_ranges_split_and_merge)
{
	struct lockpair lp;
	struct flock fl;

	boot();
	lockpair_setup(&lp);
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_WRLCK, 0, 100), 0);
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_UNLCK, 40, 20), 0);
	rump_lwproc_switch(lp.p2);
	ck_assert_int_eq(getlk(lp.fd2, F_RDLCK, 0, 0, &fl), F_WRLCK);
	ck_assert_int_eq(fl.l_start, 0);
	ck_assert_int_eq(fl.l_len, 40);
	ck_assert_int_eq(getlk(lp.fd2, F_RDLCK, 40, 0, &fl), F_WRLCK);
	ck_assert_int_eq(fl.l_start, 60);
	ck_assert_int_eq(fl.l_len, 40);
	ck_assert_int_eq(lk(lp.fd2, F_SETLK, F_WRLCK, 40, 20), 0);
	ck_assert_fails(lk(lp.fd2, F_SETLK, F_WRLCK, 39, 2), EAGAIN);
	ck_assert_fails(lk(lp.fd2, F_SETLK, F_WRLCK, 59, 2), EAGAIN);
	ck_assert_int_eq(lk(lp.fd2, F_SETLK, F_UNLCK, 0, 0), 0);
	/* Filling the hole merges the pieces into one lock. */
	rump_lwproc_switch(lp.p1);
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_WRLCK, 40, 20), 0);
	rump_lwproc_switch(lp.p2);
	ck_assert_int_eq(getlk(lp.fd2, F_RDLCK, 0, 0, &fl), F_WRLCK);
	ck_assert_int_eq(fl.l_start, 0);
	ck_assert_int_eq(fl.l_len, 100);
	/* A read lock in the middle splits the write lock in three. */
	rump_lwproc_switch(lp.p1);
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_RDLCK, 10, 10), 0);
	rump_lwproc_switch(lp.p2);
	ck_assert_int_eq(lk(lp.fd2, F_SETLK, F_RDLCK, 12, 5), 0);
	ck_assert_fails(lk(lp.fd2, F_SETLK, F_RDLCK, 9, 2), EAGAIN);
	ck_assert_int_eq(getlk(lp.fd2, F_RDLCK, 20, 0, &fl), F_WRLCK);
	ck_assert_int_eq(fl.l_start, 20);
	ck_assert_int_eq(fl.l_len, 80);
	halt();
}
END_TEST

START_TEST(lock_released_by_closing_another_descriptor)
{
	struct lockpair lp;
	struct flock fl;
	int other;

	boot();
	lockpair_setup(&lp);
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_WRLCK, 0, 0), 0);
	other = rump_sys_open("/lk", O_RDONLY);
	ck_assert_int_ge(other, 0);
	ck_assert_int_eq(rump_sys_close(other), 0);
	rump_lwproc_switch(lp.p2);
	ck_assert_int_eq(getlk(lp.fd2, F_WRLCK, 0, 0, &fl), F_UNLCK);
	ck_assert_int_eq(lk(lp.fd2, F_SETLK, F_WRLCK, 0, 0), 0);
	/* And by the exit of the owner. */
	rump_lwproc_releaselwp();
	rump_lwproc_switch(lp.p1);
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_WRLCK, 0, 0), 0);
	halt();
}
END_TEST

struct lockwaiter {
	struct lwp *lwp;
	int fd;
	off_t start, len;
	int result, error;
	uint64_t waited_ms;
};

static void *
lockwaiter_main(void *arg)
{
	struct lockwaiter *w = arg;
	uint64_t t0 = now_ms();

	rump_lwproc_switch(w->lwp);
	w->result = lk(w->fd, F_SETLKW, F_WRLCK, w->start, w->len);
	w->error = errno;
	w->waited_ms = now_ms() - t0;
	rump_lwproc_releaselwp();
	return NULL;
}

START_TEST(setlkw_woken_by_unlock_and_EDEADLK)
{
	struct lockpair lp;
	struct lockwaiter w;
	pthread_t t;

	boot();
	lockpair_setup(&lp);
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_WRLCK, 0, 10), 0);
	rump_lwproc_switch(lp.p2);
	ck_assert_int_eq(lk(lp.fd2, F_SETLK, F_WRLCK, 20, 10), 0);
	/* A thread of p2 waits for p1's lock. */
	ck_assert_int_eq(rump_lwproc_newlwp(lp.pid2), 0);
	w.lwp = rump_lwproc_curlwp();
	w.fd = lp.fd2;
	w.start = 0;
	w.len = 10;
	rump_lwproc_switch(lp.p1);
	pthread_create(&t, NULL, lockwaiter_main, &w);
	sleep_ms(100);
	/* p1 waiting for p2 would close the circle. */
	ck_assert_fails(lk(lp.fd1, F_SETLKW, F_WRLCK, 20, 10), EDEADLK);
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_UNLCK, 0, 10), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(w.result, 0);
	ck_assert_uint_ge(w.waited_ms, 90);
	ck_assert_fails(lk(lp.fd1, F_SETLK, F_WRLCK, 5, 1), EAGAIN);
	halt();
}
END_TEST

/*
 * The lock engine against a model: random locks and unlocks of two
 * owners on 32 bytes, each checked byte by byte through F_GETLK from
 * the other owner, which must report the maximal run of the same type
 * (an owner's adjacent locks of one type are merged, as in Linux).
 */
#define NB 32
static char model[2][NB];	/* 0, 'R', 'W' */

/* Switch to l unless the thread is already on it (which would panic). */
static void
become(struct lwp *l)
{

	if (rump_lwproc_curlwp() != l)
		rump_lwproc_switch(l);
}

static void
model_check(struct lockpair *lp)
{
	struct flock fl;
	int me, other, i, s, e;

	for (me = 0; me < 2; me++) {
		other = 1 - me;
		become(me == 0 ? lp->p1 : lp->p2);
		for (i = 0; i < NB; i++) {
			getlk(me == 0 ? lp->fd1 : lp->fd2, F_WRLCK, i, 1, &fl);
			if (model[other][i] == 0) {
				ck_assert_int_eq(fl.l_type, F_UNLCK);
				continue;
			}
			ck_assert_int_eq(fl.l_type,
			    model[other][i] == 'W' ? F_WRLCK : F_RDLCK);
			for (s = i; s > 0 && model[other][s - 1] ==
			    model[other][i]; s--)
				continue;
			for (e = i; e < NB - 1 && model[other][e + 1] ==
			    model[other][i]; e++)
				continue;
			ck_assert_int_eq(fl.l_start, s);
			ck_assert_int_eq(fl.l_len, e - s + 1);
			ck_assert_int_eq(fl.l_pid, other == 0 ? lp->pid1 :
			    lp->pid2);
		}
	}
}

START_TEST(lock_engine_against_a_model)
{
	static const short types[3] = { F_RDLCK, F_WRLCK, F_UNLCK };
	struct lockpair lp;
	unsigned int seed = 12345;
	int op, who, start, len, t, i, conflict, r;
	char want;

	boot();
	lockpair_setup(&lp);
	memset(model, 0, sizeof(model));
	for (op = 0; op < 1000; op++) {
		who = rand_r(&seed) % 2;
		start = rand_r(&seed) % NB;
		len = 1 + rand_r(&seed) % (NB - start);
		t = rand_r(&seed) % 3;
		want = t == 0 ? 'R' : t == 1 ? 'W' : 0;
		conflict = 0;
		for (i = start; i < start + len && want != 0; i++)
			if (model[1 - who][i] == 'W' ||
			    (model[1 - who][i] == 'R' && want == 'W'))
				conflict = 1;
		become(who == 0 ? lp.p1 : lp.p2);
		r = lk(who == 0 ? lp.fd1 : lp.fd2, F_SETLK, types[t], start,
		    len);
		if (conflict) {
			ck_assert_int_eq(r, -1);
			ck_assert_int_eq(errno, EAGAIN);
		} else {
			ck_assert_int_eq(r, 0);
			memset(&model[who][start], want, (size_t)len);
		}
		model_check(&lp);
	}
	halt();
}
END_TEST

/* Threads of one process opening, duplicating and closing at once. */
static void *
churn_main(void *arg)
{
	struct delayed *d = arg;
	int i, fds[2], fd;
	char c = 'x';

	rump_lwproc_switch(d->lwp);
	d->result = 0;
	for (i = 0; i < 2000; i++) {
		if (rump_sys_pipe(fds) != 0) {
			d->result = -1;
			break;
		}
		fd = rump_sys_dup(fds[1]);
		if (fd < 0 || rump_sys_write(fd, &c, 1) != 1 ||
		    rump_sys_close(fds[1]) != 0 ||
		    rump_sys_read(fds[0], &c, 1) != 1 ||
		    rump_sys_close(fd) != 0 ||
		    rump_sys_read(fds[0], &c, 1) != 0 ||
		    rump_sys_close(fds[0]) != 0) {
			d->result = -1;
			break;
		}
	}
	rump_lwproc_releaselwp();
	return NULL;
}

START_TEST(threads_share_one_table)
{
	struct delayed d[4];
	pthread_t t[4];
	int i;

	boot();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	for (i = 0; i < 4; i++)
		start_in_process(&t[i], churn_main, &d[i]);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(d[i].result, 0);
	}
	/* Everything was closed: the lowest descriptor is 0 again. */
	ck_assert_int_eq(rump_sys_dup(rump_sys_open("/", O_RDONLY)), 1);
	halt();
}
END_TEST

/* Threads blocked in the descriptor layer when the kernel halts. */
enum blocker_kind { B_READ, B_WRITE, B_POLL, B_SELECT, B_SETLKW };

struct blocker {
	enum blocker_kind kind;
	struct lwp *lwp;
	int fd;
	int result, error;
};

static int halted;

static void *
blocker_main(void *arg)
{
	static char big[PIPE_SIZE + 1];
	struct blocker *b = arg;
	struct pollfd p = { .fd = b->fd, .events = POLLIN };
	fd_set r;

	rump_lwproc_switch(b->lwp);
	switch (b->kind) {
	case B_READ:
		b->result = (int)rump_sys_read(b->fd, big, 1);
		break;
	case B_WRITE:
		b->result = (int)rump_sys_write(b->fd, big, sizeof(big));
		break;
	case B_POLL:
		b->result = rump_sys_poll(&p, 1, -1);
		break;
	case B_SELECT:
		FD_ZERO(&r);
		FD_SET(b->fd, &r);
		b->result = rump_sys_select(b->fd + 1, &r, NULL, NULL, NULL);
		break;
	case B_SETLKW:
		b->result = lk(b->fd, F_SETLKW, F_WRLCK, 0, 0);
		break;
	}
	b->error = errno;
	/* Once the halt is over, the orphaned lwp can go. */
	while (!__atomic_load_n(&halted, __ATOMIC_ACQUIRE))
		sleep_ms(5);
	rump_lwproc_releaselwp();
	return NULL;
}

START_TEST(halt_ends_blocked_calls_with_EINTR)
{
	struct lockpair lp;
	struct blocker b[5];
	pthread_t t[5];
	int rfds[2], wfds[2], i;
	static char big[PIPE_SIZE];

	boot();
	lockpair_setup(&lp);
	ck_assert_int_eq(lk(lp.fd1, F_SETLK, F_WRLCK, 0, 0), 0);
	make_pipe(rfds, 0);
	make_pipe(wfds, 0);
	ck_assert_int_eq(rump_sys_write(wfds[1], big, sizeof(big)),
	    PIPE_SIZE);
	for (i = 0; i < 5; i++) {
		b[i].kind = (enum blocker_kind)i;
		b[i].fd = i == B_WRITE ? wfds[1] : rfds[0];
		if (i == B_SETLKW) {
			become(lp.p2);
			b[i].fd = lp.fd2;
		}
		ck_assert_int_eq(rump_lwproc_newlwp(rump_sys_getpid()), 0);
		b[i].lwp = rump_lwproc_curlwp();
		rump_lwproc_switch(lp.p1);
		pthread_create(&t[i], NULL, blocker_main, &b[i]);
	}
	sleep_ms(200);
	halt();
	__atomic_store_n(&halted, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 5; i++) {
		pthread_join(t[i], NULL);
		ck_assert_msg(b[i].result == -1 && b[i].error == EINTR,
		    "blocker %d: %d, errno %d", i, b[i].result, b[i].error);
	}
}
END_TEST

static Suite *
fd_suite(void)
{
	Suite *s = suite_create("fd");
	TCase *tc;

	tc = tcase_create("pipe");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, pipe_round_trip_and_fstat_is_fifo);
	tcase_add_test(tc, pipe_read_returns_eof_when_no_writer);
	tcase_add_test(tc, pipe_write_fails_EPIPE_when_no_reader);
	tcase_add_test(tc, pipe_nonblocking_EAGAIN_and_64k_capacity);
	tcase_add_test(tc, pipe_wrong_end_and_offsets);
	tcase_add_test(tc, pipe2_flags);
	tcase_add_test(tc, pipe_writes_of_PIPE_BUF_are_atomic);
	tcase_add_test(tc, pipe_blocking_read_woken_by_writer_thread);
	tcase_add_test(tc, close_while_another_thread_reads);
	tcase_add_test(tc, readv_writev_on_pipes);
	suite_add_tcase(s, tc);

	tc = tcase_create("poll");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, poll_pipe_readiness);
	tcase_add_test(tc, poll_POLLERR_for_write_end_without_reader);
	tcase_add_test(tc, poll_woken_by_writer_and_timeouts);
	tcase_add_test(tc, poll_bad_input);
	tcase_add_test(tc, select_readiness_timeouts_and_bad_input);
	suite_add_tcase(s, tc);

	tc = tcase_create("descriptors");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, lowest_free_descriptor_first);
	tcase_add_test(tc, EMFILE_at_1024_descriptors);
	tcase_add_test(tc, EBADF_cases);
	tcase_add_test(tc, dup2_dup3_semantics);
	tcase_add_test(tc, fcntl_status_flags);
	tcase_add_test(tc, rfork_descriptor_tables);
	tcase_add_test(tc, threads_share_one_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, file_offset_shared_after_dup);
	tcase_add_test(tc, preadv_pwritev_on_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("fifos");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, fifo_open_read_write_and_stat);
	tcase_add_test(tc, fifo_blocking_opens_wait_for_a_partner);
	suite_add_tcase(s, tc);

	tc = tcase_create("locks");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, lock_conflict_getlk_and_errors);
	tcase_add_test(tc, lock_ranges_split_and_merge);
	tcase_add_test(tc, lock_whence_and_shared_table_is_one_owner);
	tcase_add_test(tc, lock_on_a_pipe);
	tcase_add_test(tc, lock_engine_against_a_model);
	tcase_add_test(tc, halt_ends_blocked_calls_with_EINTR);
	tcase_add_test(tc, lock_released_by_closing_another_descriptor);
	tcase_add_test(tc, setlkw_woken_by_unlock_and_EDEADLK);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
