/*
 * t_sysproxy.c: the sysproxy server (rump_init_server, rumpuser_sp.c,
 * kern_sysproxy.c, the remote branch of subr_copy.c) against the
 * protocol of docs/sysproxy.md, spoken by a small raw client in this
 * file (which is also the fuzzer of the server's frame decoder): the
 * handshake, system calls whose copies go back to the client, processes
 * per connection, fork cookies, malformed frames that drop one client
 * only, clients that die in the middle of a call, the socket file, and
 * halting with clients connected.
 *
 * Each test boots its own kernel (Check forks one process per test) and
 * halts it at the end, so the kernel's leak check sees every process of
 * every client gone.  The client runs in the same host process as the
 * server: it serves the COPY requests with process_vm_readv/writev on
 * its own pid, as librumpclient does.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define MAGIC1 0xfee1dead
#define MAGIC2 672274793
#define CMD_HALT 0xcdef0123

#define HDRLEN 16
#define FRAME_MAX (16 + 65536 + 64)

enum {
	T_HANDSHAKE = 1, T_SYSCALL, T_FORKPREP, T_COPYDATA, T_COPYDONE,
	T_HANDSHAKE_R = 129, T_SYSCALL_R, T_FORKPREP_R, T_COPYIN,
	T_COPYINSTR, T_COPYOUT, T_COPYOUTSTR
};

static char sockpath[108];
static char url[128];

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

/* Boot and serve on a fresh socket path in /tmp. */
static void
boot_and_serve(void)
{
	int error;

	ck_assert_int_eq(rump_init(), 0);
	snprintf(sockpath, sizeof(sockpath), "/tmp/t_sysproxy.%d.sock",
	    (int)getpid());
	unlink(sockpath);
	snprintf(url, sizeof(url), "unix://%s", sockpath);
	error = rump_init_server(url);
	ck_assert_msg(error == 0, "rump_init_server: %s", strerror(error));
}

static void
halt(void)
{

	ck_assert_int_eq(rump_sys_reboot(MAGIC1, MAGIC2, CMD_HALT, NULL), 0);
	/* The server removed its socket file. */
	ck_assert_int_eq(access(sockpath, F_OK), -1);
}

/*
 * The raw client.
 */

static void
put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void
put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static int
rc_connect(void)
{
	struct sockaddr_un sun;
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, sockpath);
	ck_assert_msg(connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0,
	    "connect: %s", strerror(errno));
	return fd;
}

/* Write all of buf; -1 if the server is gone. */
static int
write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = recv(fd, p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
rc_send(int fd, uint16_t type, uint64_t reqno, const void *pl, size_t len)
{
	uint8_t f[FRAME_MAX + 64];

	ck_assert(len <= sizeof(f) - HDRLEN);
	put32(f, (uint32_t)(HDRLEN + len));
	put16(f + 4, type);
	put16(f + 6, 0);
	put64(f + 8, reqno);
	if (len > 0)
		memcpy(f + HDRLEN, pl, len);
	return write_all(fd, f, HDRLEN + len);
}

struct frame {
	uint16_t type;
	uint64_t reqno;
	uint32_t plen;
	uint8_t pl[FRAME_MAX];
};

static int
rc_read(int fd, struct frame *f)
{
	uint8_t h[HDRLEN];
	uint32_t len;

	if (read_all(fd, h, sizeof(h)) != 0)
		return -1;
	len = get32(h);
	ck_assert_uint_ge(len, HDRLEN);
	ck_assert_uint_le(len, FRAME_MAX);
	memcpy(&f->type, h + 4, 2);
	f->reqno = get64(h + 8);
	f->plen = len - HDRLEN;
	return read_all(fd, f->pl, f->plen);
}

static int
rc_handshake_raw(int fd, uint32_t version, uint32_t kind,
    const uint8_t *cookie, int *pidp)
{
	uint8_t pl[52];
	struct frame *f = malloc(sizeof(*f));
	int error;

	memset(pl, 0, sizeof(pl));
	memcpy(pl, "RUMPSP\0\1", 8);
	put32(pl + 8, version);
	put32(pl + 12, kind);
	if (cookie != NULL)
		memcpy(pl + 16, cookie, 16);
	put32(pl + 32, (uint32_t)getpid());
	strcpy((char *)pl + 36, "t_sysproxy");
	ck_assert_int_eq(rc_send(fd, T_HANDSHAKE, 77, pl, sizeof(pl)), 0);
	if (rc_read(fd, f) != 0) {
		free(f);
		return -1;
	}
	ck_assert_int_eq(f->type, T_HANDSHAKE_R);
	ck_assert_uint_eq(f->reqno, 77);
	ck_assert_uint_eq(f->plen, 12);
	ck_assert_uint_eq(get32(f->pl + 4), 1);
	error = (int)get32(f->pl);
	if (pidp != NULL)
		*pidp = (int)get32(f->pl + 8);
	free(f);
	return error;
}

/* A connected, handshaken client; its pid in *pidp. */
static int
rc_open(int *pidp)
{
	int fd = rc_connect(), pid;

	ck_assert_int_eq(rc_handshake_raw(fd, 1, 0, NULL, &pid), 0);
	ck_assert_int_gt(pid, 1);
	if (pidp != NULL)
		*pidp = pid;
	return fd;
}

/* Serve one COPY request from our own memory.  -1: the server is gone. */
static int
rc_serve_copy(int fd, struct frame *f)
{
	uint64_t uaddr = get64(f->pl), len = get64(f->pl + 8);
	uint8_t *buf;
	struct iovec l, r;
	ssize_t n;
	size_t got = 0, chunk;
	int32_t err = 0;
	int rv;

	ck_assert_uint_ge(len, 1);
	ck_assert_uint_le(len, 65536);
	buf = malloc(len + 8);
	memset(buf, 0, 8);
	switch (f->type) {
	case T_COPYIN:
		l.iov_base = buf + 8;
		l.iov_len = len;
		r.iov_base = (void *)(uintptr_t)uaddr;
		r.iov_len = len;
		n = process_vm_readv(getpid(), &l, 1, &r, 1, 0);
		if (n != (ssize_t)len)
			err = EFAULT;
		got = err ? 0 : len;
		break;
	case T_COPYINSTR:
		/* Page by page, so as not to read past a mapping's end. */
		while (got < len) {
			chunk = 4096 - ((uaddr + got) & 4095);
			if (chunk > len - got)
				chunk = len - got;
			l.iov_base = buf + 8 + got;
			l.iov_len = chunk;
			r.iov_base = (void *)(uintptr_t)(uaddr + got);
			r.iov_len = chunk;
			if (process_vm_readv(getpid(), &l, 1, &r, 1, 0) !=
			    (ssize_t)chunk) {
				err = EFAULT;
				break;
			}
			if (memchr(buf + 8 + got, '\0', chunk) != NULL) {
				got += (size_t)((uint8_t *)memchr(buf + 8 + got,
				    '\0', chunk) - (buf + 8 + got)) + 1;
				break;
			}
			got += chunk;
		}
		break;
	case T_COPYOUT:
	case T_COPYOUTSTR:
		ck_assert_uint_eq(f->plen, 16 + len);
		l.iov_base = f->pl + 16;
		l.iov_len = len;
		r.iov_base = (void *)(uintptr_t)uaddr;
		r.iov_len = len;
		n = process_vm_writev(getpid(), &l, 1, &r, 1, 0);
		if (n != (ssize_t)len)
			err = EFAULT;
		break;
	default:
		ck_abort_msg("unexpected frame type %d", f->type);
	}
	put32(buf, (uint32_t)err);
	if (f->type == T_COPYIN || f->type == T_COPYINSTR)
		rv = rc_send(fd, T_COPYDATA, f->reqno, buf, 8 + got);
	else
		rv = rc_send(fd, T_COPYDONE, f->reqno, buf, 8);
	free(buf);
	return rv;
}

/* nargs is sent as given; at most 6 registers are. */
static int
rc_send_syscall(int fd, uint64_t reqno, long num, int nargs, const long *a)
{
	uint8_t pl[56];
	int i;

	memset(pl, 0, sizeof(pl));
	put32(pl, (uint32_t)num);
	put32(pl + 4, (uint32_t)nargs);
	for (i = 0; i < nargs && i < 6; i++)
		put64(pl + 8 + 8 * i, (uint64_t)a[i]);
	return rc_send(fd, T_SYSCALL, reqno, pl, sizeof(pl));
}

/*
 * Wait for the reply to reqno, serving every COPY request meanwhile.
 * Returns the result, or -1 with *errp the error (ENOTCONN when the
 * server dropped us).
 */
/* Replies to other calls than the one waited for, kept for later. */
static struct {
	uint64_t reqno;
	int error;
	long rv;
	bool used;
} stash[8];

static long
rc_wait(int fd, uint64_t reqno, int *errp)
{
	struct frame *f;
	long rv = -1;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		if (stash[i].used && stash[i].reqno == reqno) {
			stash[i].used = false;
			*errp = stash[i].error;
			return stash[i].rv;
		}
	}
	f = malloc(sizeof(*f));
	*errp = 0;
	for (;;) {
		if (rc_read(fd, f) != 0) {
			*errp = ENOTCONN;
			break;
		}
		if (f->type == T_SYSCALL_R) {
			ck_assert_uint_eq(f->plen, 24);
			if (f->reqno != reqno) {
				for (i = 0; i < 8 && stash[i].used; i++)
					continue;
				ck_assert_uint_lt(i, 8);
				stash[i].used = true;
				stash[i].reqno = f->reqno;
				stash[i].error = (int)get32(f->pl);
				stash[i].rv = stash[i].error ? -1 :
				    (long)get64(f->pl + 8);
				continue;
			}
			*errp = (int)get32(f->pl);
			rv = *errp ? -1 : (long)get64(f->pl + 8);
			break;
		}
		ck_assert_msg(f->type >= T_COPYIN && f->type <= T_COPYOUTSTR,
		    "unexpected frame %d", f->type);
		if (rc_serve_copy(fd, f) != 0) {
			*errp = ENOTCONN;
			break;
		}
	}
	free(f);
	return rv;
}

static uint64_t rc_reqno = 1000;

static long
rc_call(int fd, int *errp, long num, int nargs, ...)
{
	long a[6] = { 0 };
	va_list ap;
	uint64_t reqno = rc_reqno++;
	int i;

	va_start(ap, nargs);
	for (i = 0; i < nargs; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (rc_send_syscall(fd, reqno, num, nargs, a) != 0) {
		*errp = ENOTCONN;
		return -1;
	}
	return rc_wait(fd, reqno, errp);
}

/* A call that must succeed. */
#define RC_OK(fd, ...) ({ \
	int e_; \
	long r_ = rc_call((fd), &e_, __VA_ARGS__); \
	ck_assert_msg(e_ == 0, "remote %s: error %d", #__VA_ARGS__, e_); \
	r_; \
})
#define RC_FAILS(fd, err, ...) do { \
	int e_; \
	long r_ = rc_call((fd), &e_, __VA_ARGS__); \
	ck_assert_msg(r_ == -1 && e_ == (err), "remote %s: %ld error %d, " \
	    "expected %d", #__VA_ARGS__, r_, e_, (err)); \
} while (0)

/* Wait (at most 5 s) until the server closes fd. */
static bool
rc_dropped(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint8_t buf[4096];
	uint64_t end = now_ms() + 5000;
	ssize_t n;

	while (now_ms() < end) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return true;
	}
	return false;
}

/* Wait for a COPY request of a call and return its type (not served). */
static int
rc_next_frame_type(int fd, struct frame *f)
{

	if (rc_read(fd, f) != 0)
		return -1;
	return f->type;
}

/*
 * Tests.
 */

START_TEST(handshake_gives_a_process_and_getpid_is_its_pid)
{
	int fd, pid;

	boot_and_serve();
	fd = rc_open(&pid);
	ck_assert_int_eq(RC_OK(fd, SYS_getpid, 0), pid);
	ck_assert_int_eq(RC_OK(fd, SYS_getppid, 0), 1);
	ck_assert_int_eq(RC_OK(fd, SYS_getuid, 0), 0);
	ck_assert_int_ne(pid, rump_sys_getpid());
	RC_FAILS(fd, ENOSYS, 9999, 0);
	close(fd);
	halt();
}
END_TEST

START_TEST(file_round_trip_through_copy_requests)
{
	const size_t len = 200000;	/* four chunks of 64 KiB */
	char *out = malloc(len), *in = malloc(len), name[300];
	struct stat st;
	long fd, cfd;
	size_t i;

	boot_and_serve();
	cfd = rc_open(NULL);
	for (i = 0; i < len; i++)
		out[i] = (char)(i * 7 + i / 251);
	ck_assert_int_eq(RC_OK(cfd, SYS_mkdir, 2, (long)"/sp", 0755L), 0);
	fd = RC_OK(cfd, SYS_open, 3, (long)"/sp/f", (long)(O_CREAT | O_RDWR),
	    0644L);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(RC_OK(cfd, SYS_write, 3, fd, (long)out, (long)len),
	    len);
	ck_assert_int_eq(RC_OK(cfd, SYS_lseek, 3, fd, 0L, (long)SEEK_SET), 0);
	memset(in, 0, len);
	ck_assert_int_eq(RC_OK(cfd, SYS_read, 3, fd, (long)in, (long)len), len);
	ck_assert(memcmp(in, out, len) == 0);
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(RC_OK(cfd, SYS_fstat, 2, fd, (long)&st), 0);
	ck_assert_int_eq(st.st_size, len);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0644);

	/* The kernel's view is the same. */
	ck_assert_int_eq(rump_sys_stat("/sp/f", &st), 0);
	ck_assert_int_eq(st.st_size, len);

	/* Faults in the client are EFAULT; strings have their limits. */
	RC_FAILS(cfd, EFAULT, SYS_write, 3, fd, 4096L, 10L);
	ck_assert_int_eq(RC_OK(cfd, SYS_lseek, 3, fd, 0L, (long)SEEK_SET), 0);
	RC_FAILS(cfd, EFAULT, SYS_read, 3, fd, 4096L, 10L);
	RC_FAILS(cfd, EFAULT, SYS_open, 2, 4096L, (long)O_RDONLY);
	/* (Page 1 is below mmap_min_addr: never mapped, even under ASan.) */
	RC_FAILS(cfd, EFAULT, SYS_fstat, 2, fd, 4096L + 8);
	memset(name, 'a', sizeof(name) - 1);
	name[0] = '/';
	name[sizeof(name) - 1] = '\0';
	RC_FAILS(cfd, ENAMETOOLONG, SYS_open, 2, (long)name, (long)O_RDONLY);
	RC_FAILS(cfd, ENOENT, SYS_open, 2, (long)"/sp/nothing", (long)O_RDONLY);
	/* getcwd copies a string out. */
	ck_assert_int_eq(RC_OK(cfd, SYS_chdir, 1, (long)"/sp"), 0);
	memset(name, 'x', sizeof(name));
	ck_assert_int_gt(RC_OK(cfd, SYS_getcwd, 2, (long)name, 300L), 0);
	ck_assert_str_eq(name, "/sp");

	ck_assert_int_eq(RC_OK(cfd, SYS_close, 1, fd), 0);
	RC_FAILS(cfd, EBADF, SYS_close, 1, fd);
	close((int)cfd);
	free(in);
	free(out);
	halt();
}
END_TEST

START_TEST(two_connections_are_two_processes)
{
	int a, b, pa, pb;
	long fd;

	boot_and_serve();
	a = rc_open(&pa);
	b = rc_open(&pb);
	ck_assert_int_ne(pa, pb);
	ck_assert_int_eq(RC_OK(a, SYS_getpid, 0), pa);
	ck_assert_int_eq(RC_OK(b, SYS_getpid, 0), pb);
	fd = RC_OK(a, SYS_open, 3, (long)"/fa", (long)(O_CREAT | O_RDWR),
	    0600L);
	/* b's table does not have a's descriptor. */
	RC_FAILS(b, EBADF, SYS_close, 1, fd);
	ck_assert_int_eq(RC_OK(a, SYS_close, 1, fd), 0);
	/* umask and cwd are per process too. */
	ck_assert_int_eq(RC_OK(a, SYS_umask, 1, 077L), 022);
	ck_assert_int_eq(RC_OK(b, SYS_umask, 1, 022L), 022);
	close(a);
	close(b);
	halt();
}
END_TEST

/* A write lock that process of fd holds on /lk: 0, or the local error. */
static int
local_trylock(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd, rv;

	fd = rump_sys_open("/lk", O_RDWR);
	ck_assert_int_ge(fd, 0);
	rv = rump_sys_fcntl(fd, F_SETLK, &fl);
	rv = rv == 0 ? 0 : errno;
	rump_sys_close(fd);
	return rv;
}

static void
remote_lock(int c)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	long fd;

	fd = RC_OK(c, SYS_open, 3, (long)"/lk", (long)(O_CREAT | O_RDWR),
	    0666L);
	ck_assert_int_eq(RC_OK(c, SYS_fcntl, 3, fd, (long)F_SETLK, (long)&fl),
	    0);
	ck_assert_int_ne(local_trylock(), 0);
}

/* Wait until the local process gets the lock (the remote one exited). */
static void
wait_lock_free(void)
{
	uint64_t end = now_ms() + 5000;

	while (local_trylock() != 0) {
		ck_assert_msg(now_ms() < end, "the client's lock stayed");
		sleep_ms(10);
	}
}

START_TEST(descriptors_close_when_the_client_disconnects)
{
	int c;

	boot_and_serve();
	c = rc_open(NULL);
	remote_lock(c);
	close(c);
	wait_lock_free();
	halt();
}
END_TEST

START_TEST(call_blocked_in_the_kernel_ends_when_its_client_dies)
{
	int c, fds[2], err;
	char buf[16];
	long a[3];

	boot_and_serve();
	c = rc_open(NULL);
	remote_lock(c);
	ck_assert_int_eq(RC_OK(c, SYS_pipe2, 2, (long)fds, 0L), 0);
	/* read on an empty pipe blocks in the kernel; then we go away. */
	a[0] = fds[0];
	a[1] = (long)buf;
	a[2] = sizeof(buf);
	ck_assert_int_eq(rc_send_syscall(c, 1, SYS_read, 3, a), 0);
	sleep_ms(100);
	close(c);
	wait_lock_free();

	/* The same with several calls of one client blocked at once. */
	c = rc_open(NULL);
	remote_lock(c);
	ck_assert_int_eq(RC_OK(c, SYS_pipe2, 2, (long)fds, 0L), 0);
	a[0] = fds[0];
	for (err = 0; err < 5; err++)
		ck_assert_int_eq(rc_send_syscall(c, 10 + (uint64_t)err,
		    SYS_read, 3, a), 0);
	sleep_ms(100);
	close(c);
	wait_lock_free();
	halt();
}
END_TEST

START_TEST(concurrent_calls_on_one_connection)
{
	int c, fds[2], err;
	char in[8] = { 0 }, out[8] = "pipe!";
	long a[3];

	boot_and_serve();
	c = rc_open(NULL);
	ck_assert_int_eq(RC_OK(c, SYS_pipe2, 2, (long)fds, 0L), 0);
	/* reqno 1 blocks in read; reqno 2 writes what it reads. */
	a[0] = fds[0];
	a[1] = (long)in;
	a[2] = sizeof(in);
	ck_assert_int_eq(rc_send_syscall(c, 1, SYS_read, 3, a), 0);
	a[0] = fds[1];
	a[1] = (long)out;
	a[2] = 6;
	ck_assert_int_eq(rc_send_syscall(c, 2, SYS_write, 3, a), 0);
	/* Replies to 2 and 1 come in some order; serve copies meanwhile. */
	ck_assert_int_eq(rc_wait(c, 2, &err), 6);
	ck_assert_int_eq(err, 0);
	ck_assert_int_eq(rc_wait(c, 1, &err), 6);
	ck_assert_int_eq(err, 0);
	ck_assert_str_eq(in, "pipe!");
	close(c);
	halt();
}
END_TEST

/* Malformed input: each case must drop that client only. */
struct badcase {
	const char *name;
	bool handshake;		/* handshake first */
	int (*send)(int fd);	/* send the bad bytes */
};

static int
raw_header(int fd, uint32_t len, uint16_t type, uint16_t flags,
    size_t padding)
{
	uint8_t f[256];

	memset(f, 0, sizeof(f));
	put32(f, len);
	put16(f + 4, type);
	put16(f + 6, flags);
	put64(f + 8, 5);
	return write_all(fd, f, HDRLEN + padding);
}

static int bad_too_long(int fd) { return raw_header(fd, FRAME_MAX + 1, T_SYSCALL, 0, 0); }
static int bad_too_short(int fd) { return raw_header(fd, 15, T_SYSCALL, 0, 0); }
static int bad_type0(int fd) { return raw_header(fd, 16, 0, 0, 0); }
static int bad_type6(int fd) { return raw_header(fd, 16, 6, 0, 0); }
static int bad_type_reply(int fd) { return raw_header(fd, 16 + 24, T_SYSCALL_R, 0, 24); }
static int bad_type_request(int fd) { return raw_header(fd, 16 + 16, T_COPYIN, 0, 16); }
static int bad_flags(int fd) { return raw_header(fd, 16 + 56, T_SYSCALL, 1, 56); }
static int bad_syscall_short(int fd) { return raw_header(fd, 16 + 40, T_SYSCALL, 0, 40); }
static int bad_syscall_long(int fd) { return raw_header(fd, 16 + 64, T_SYSCALL, 0, 64); }
static int bad_forkprep_payload(int fd) { return raw_header(fd, 16 + 4, T_FORKPREP, 0, 4); }
static int bad_copydata_unasked(int fd) { return raw_header(fd, 16 + 12, T_COPYDATA, 0, 12); }
static int bad_copydone_unasked(int fd) { return raw_header(fd, 16 + 8, T_COPYDONE, 0, 8); }
static int bad_copydone_short(int fd) { return raw_header(fd, 16 + 4, T_COPYDONE, 0, 4); }
static int bad_handshake_twice(int fd) { return raw_header(fd, 16 + 52, T_HANDSHAKE, 0, 52); }

static int
bad_nargs(int fd)
{
	long a[6] = { 0 };

	return rc_send_syscall(fd, 1, SYS_getpid, 7, a);
}

static int
bad_magic(int fd)
{
	uint8_t pl[52] = "RUMPSP\0\2";

	return rc_send(fd, T_HANDSHAKE, 1, pl, sizeof(pl));
}

static int
bad_handshake_length(int fd)
{
	uint8_t pl[56] = "RUMPSP\0\1";

	put32(pl + 8, 1);
	return rc_send(fd, T_HANDSHAKE, 1, pl, sizeof(pl));
}

static int
bad_syscall_first(int fd)
{
	long a[6] = { 0 };

	return rc_send_syscall(fd, 1, SYS_getpid, 0, a);
}

/* A call's COPYIN answered with the wrong length. */
static int
bad_copyin_length(int fd)
{
	struct frame *f = malloc(sizeof(*f));
	uint8_t pl[8 + 50] = { 0 };
	long a[3] = { 0, (long)pl, 100 };

	a[0] = RC_OK(fd, SYS_open, 3, (long)"/bad", (long)(O_CREAT | O_RDWR),
	    0600L);
	ck_assert_int_eq(rc_send_syscall(fd, 1, SYS_write, 3, a), 0);
	ck_assert_int_eq(rc_next_frame_type(fd, f), T_COPYIN);
	free(f);
	return rc_send(fd, T_COPYDATA, 1, pl, sizeof(pl));
}

/* A COPYOUT answered with COPYDATA. */
static int
bad_copyout_answered_with_data(int fd)
{
	struct frame *f = malloc(sizeof(*f));
	uint8_t pl[8 + 4] = { 0 }, buf[4];
	long a[3] = { 0, (long)buf, 4 };

	a[0] = RC_OK(fd, SYS_open, 2, (long)"/data", (long)O_RDONLY);
	ck_assert_int_eq(rc_send_syscall(fd, 1, SYS_read, 3, a), 0);
	ck_assert_int_eq(rc_next_frame_type(fd, f), T_COPYOUT);
	free(f);
	return rc_send(fd, T_COPYDATA, 1, pl, sizeof(pl));
}

/* A second call with the reqno of one in flight. */
static int
bad_duplicate_reqno(int fd)
{
	struct frame *f = malloc(sizeof(*f));
	uint8_t buf[4] = { 0 };
	long a[3] = { 0, (long)buf, 4 };

	a[0] = RC_OK(fd, SYS_open, 3, (long)"/bad", (long)(O_CREAT | O_RDWR),
	    0600L);
	ck_assert_int_eq(rc_send_syscall(fd, 1, SYS_write, 3, a), 0);
	ck_assert_int_eq(rc_next_frame_type(fd, f), T_COPYIN);
	free(f);
	return rc_send_syscall(fd, 1, SYS_write, 3, a);
}

/* A COPYINSTR answer short of maxlen without its NUL. */
static int
bad_copyinstr_no_nul(int fd)
{
	struct frame *f = malloc(sizeof(*f));
	uint8_t pl[8 + 3] = { 0, 0, 0, 0, 0, 0, 0, 0, 'a', 'b', 'c' };
	long a[3] = { (long)"/x", (long)O_RDONLY, 0 };

	ck_assert_int_eq(rc_send_syscall(fd, 1, SYS_open, 2, a), 0);
	ck_assert_int_eq(rc_next_frame_type(fd, f), T_COPYINSTR);
	free(f);
	return rc_send(fd, T_COPYDATA, 1, pl, sizeof(pl));
}

static const struct badcase badcases[] = {
	{ "too long", true, bad_too_long },
	{ "too short", true, bad_too_short },
	{ "type 0", true, bad_type0 },
	{ "type 6", true, bad_type6 },
	{ "a reply type", true, bad_type_reply },
	{ "a request type", true, bad_type_request },
	{ "flags", true, bad_flags },
	{ "short SYSCALL", true, bad_syscall_short },
	{ "long SYSCALL", true, bad_syscall_long },
	{ "nargs 7", true, bad_nargs },
	{ "FORKPREP payload", true, bad_forkprep_payload },
	{ "COPYDATA unasked", true, bad_copydata_unasked },
	{ "COPYDONE unasked", true, bad_copydone_unasked },
	{ "COPYDONE short", true, bad_copydone_short },
	{ "second HANDSHAKE", true, bad_handshake_twice },
	{ "bad magic", false, bad_magic },
	{ "handshake length", false, bad_handshake_length },
	{ "SYSCALL before HANDSHAKE", false, bad_syscall_first },
	{ "COPYIN answer length", true, bad_copyin_length },
	{ "COPYOUT answered with COPYDATA", true,
	    bad_copyout_answered_with_data },
	{ "duplicate reqno", true, bad_duplicate_reqno },
	{ "COPYINSTR answer without NUL", true, bad_copyinstr_no_nul },
};

START_TEST(malformed_frames_drop_only_that_client)
{
	const struct badcase *bc = &badcases[_i];
	int good, bad, pid, fd;

	boot_and_serve();
	fd = rump_sys_open("/data", O_CREAT | O_RDWR, 0644);
	ck_assert_int_eq(rump_sys_write(fd, "data", 4), 4);
	rump_sys_close(fd);
	good = rc_open(&pid);
	bad = bc->handshake ? rc_open(NULL) : rc_connect();
	ck_assert_int_eq(bc->send(bad), 0);
	ck_assert_msg(rc_dropped(bad), "%s: not dropped", bc->name);
	close(bad);
	ck_assert_int_eq(RC_OK(good, SYS_getpid, 0), pid);
	/* A new client is welcome. */
	bad = rc_open(NULL);
	ck_assert_int_gt(RC_OK(bad, SYS_getpid, 0), 1);
	close(bad);
	close(good);
	halt();
}
END_TEST

START_TEST(handshake_errors_are_answered)
{
	uint8_t cookie[16] = { 1, 2, 3 };
	int fd;

	boot_and_serve();
	fd = rc_connect();
	ck_assert_int_eq(rc_handshake_raw(fd, 2, 0, NULL, NULL),
	    EPROTONOSUPPORT);
	ck_assert(rc_dropped(fd));
	close(fd);
	fd = rc_connect();
	ck_assert_int_eq(rc_handshake_raw(fd, 1, 3, NULL, NULL), EINVAL);
	close(fd);
	fd = rc_connect();
	ck_assert_int_eq(rc_handshake_raw(fd, 1, 2, cookie, NULL), EOPNOTSUPP);
	close(fd);
	fd = rc_connect();
	ck_assert_int_eq(rc_handshake_raw(fd, 1, 1, cookie, NULL), ESRCH);
	close(fd);
	halt();
}
END_TEST

START_TEST(client_that_stops_answering_COPYIN_blocks_only_itself)
{
	struct frame *f = malloc(sizeof(*f));
	int good, bad, pid;
	char buf[64] = "never sent";
	long a[3] = { 0, (long)buf, sizeof(buf) };
	struct stat st;

	boot_and_serve();
	good = rc_open(&pid);
	bad = rc_open(NULL);
	a[0] = RC_OK(bad, SYS_open, 3, (long)"/w", (long)(O_CREAT | O_RDWR),
	    0600L);
	ck_assert_int_eq(rc_send_syscall(bad, 1, SYS_write, 3, a), 0);
	ck_assert_int_eq(rc_next_frame_type(bad, f), T_COPYIN);
	/* The server goes on for others while bad's call waits. */
	ck_assert_int_eq(RC_OK(good, SYS_getpid, 0), pid);
	ck_assert_int_eq(RC_OK(good, SYS_mkdir, 2, (long)"/ok", 0700L), 0);
	sleep_ms(100);
	close(bad);
	sleep_ms(100);
	ck_assert_int_eq(RC_OK(good, SYS_getpid, 0), pid);
	ck_assert_int_eq(rump_sys_stat("/w", &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	close(good);
	free(f);
	halt();
}
END_TEST

START_TEST(fork_cookie_gives_a_child_with_the_descriptors)
{
	struct frame *f = malloc(sizeof(*f));
	uint8_t cookie[16];
	int parent, child, other, ppid, cpid;
	long fd;
	char buf[8] = { 0 };

	boot_and_serve();
	parent = rc_open(&ppid);
	fd = RC_OK(parent, SYS_open, 3, (long)"/ff", (long)(O_CREAT | O_RDWR),
	    0600L);
	ck_assert_int_eq(RC_OK(parent, SYS_write, 3, fd, (long)"forked", 6L),
	    6);
	ck_assert_int_eq(rc_send(parent, T_FORKPREP, 9, NULL, 0), 0);
	ck_assert_int_eq(rc_read(parent, f), 0);
	ck_assert_int_eq(f->type, T_FORKPREP_R);
	ck_assert_uint_eq(f->reqno, 9);
	ck_assert_uint_eq(f->plen, 24);
	ck_assert_int_eq(get32(f->pl), 0);
	memcpy(cookie, f->pl + 8, 16);
	/* The parent closes after FORKPREP: the child still has it. */
	ck_assert_int_eq(RC_OK(parent, SYS_close, 1, fd), 0);

	child = rc_connect();
	ck_assert_int_eq(rc_handshake_raw(child, 1, 1, cookie, &cpid), 0);
	ck_assert_int_ne(cpid, ppid);
	ck_assert_int_eq(RC_OK(child, SYS_getpid, 0), cpid);
	ck_assert_int_eq(RC_OK(child, SYS_getppid, 0), ppid);
	ck_assert_int_eq(RC_OK(child, SYS_pread64, 4, fd, (long)buf, 6L, 0L),
	    6);
	ck_assert_str_eq(buf, "forked");

	/* Single use. */
	other = rc_connect();
	ck_assert_int_eq(rc_handshake_raw(other, 1, 1, cookie, NULL), ESRCH);
	close(other);

	/* An unused cookie expires with its parent (the leak check sees). */
	ck_assert_int_eq(rc_send(parent, T_FORKPREP, 10, NULL, 0), 0);
	ck_assert_int_eq(rc_read(parent, f), 0);
	ck_assert_int_eq(get32(f->pl), 0);
	memcpy(cookie, f->pl + 8, 16);
	close(parent);
	ck_assert_int_eq(RC_OK(child, SYS_close, 1, fd), 0);
	sleep_ms(200);
	other = rc_connect();
	ck_assert_int_eq(rc_handshake_raw(other, 1, 1, cookie, NULL), ESRCH);
	close(other);
	close(child);
	free(f);
	halt();
}
END_TEST

START_TEST(limits_of_calls_in_flight_and_fork_cookies)
{
	struct frame *f = malloc(sizeof(*f));
	int c, fds[2], err, i;
	char buf[8];
	long a[3];

	boot_and_serve();
	c = rc_open(NULL);
	remote_lock(c);
	ck_assert_int_eq(RC_OK(c, SYS_pipe2, 2, (long)fds, 0L), 0);
	a[0] = fds[0];
	a[1] = (long)buf;
	a[2] = sizeof(buf);
	/* 64 reads block in the kernel; the 65th call is EAGAIN at once. */
	for (i = 0; i < 64; i++)
		ck_assert_int_eq(rc_send_syscall(c, 100 + (uint64_t)i,
		    SYS_read, 3, a), 0);
	sleep_ms(200);
	ck_assert_int_eq(rc_call(c, &err, SYS_getpid, 0), -1);
	ck_assert_int_eq(err, EAGAIN);
	close(c);
	wait_lock_free();

	/* 16 unused fork cookies, then EAGAIN. */
	c = rc_open(NULL);
	for (i = 0; i < 17; i++) {
		ck_assert_int_eq(rc_send(c, T_FORKPREP, 7, NULL, 0), 0);
		ck_assert_int_eq(rc_read(c, f), 0);
		ck_assert_int_eq(f->type, T_FORKPREP_R);
		ck_assert_int_eq(get32(f->pl), i < 16 ? 0 : EAGAIN);
	}
	close(c);
	free(f);
	halt();
}
END_TEST

/* Random and mutated frames for a few seconds: the server survives. */
START_TEST(fuzz_random_frames)
{
	uint8_t f[512];
	unsigned int seed = (unsigned int)time(NULL), iter = 0;
	uint64_t end = now_ms() + 3000;
	int good, pid, fd, i, n;
	long a[6] = { 0 };

	boot_and_serve();
	good = rc_open(&pid);
	fprintf(stderr, "fuzz_random_frames: seed %u\n", seed);
	srand(seed);
	while (now_ms() < end) {
		iter++;
		fd = rand() % 4 == 0 ? rc_connect() : rc_open(NULL);
		n = 1 + rand() % 4;
		for (i = 0; i < n; i++) {
			size_t len = (size_t)(rand() % (int)sizeof(f));
			int k;

			for (k = 0; k < (int)len; k++)
				f[k] = (uint8_t)rand();
			switch (rand() % 4) {
			case 0:		/* pure junk */
				break;
			case 1:		/* a plausible header */
				if (len < HDRLEN)
					len = HDRLEN;
				put32(f, rand() % 2 ? (uint32_t)len :
				    (uint32_t)(rand() % 200));
				put16(f + 4, (uint16_t)(rand() % 8 == 0 ?
				    rand() : 1 + rand() % 6));
				put16(f + 6, (uint16_t)(rand() % 8 == 0));
				break;
			case 2:		/* getpid with one flipped bit */
				memset(f, 0, 72);
				put32(f, 72);
				put16(f + 4, T_SYSCALL);
				put64(f + 8, (uint64_t)rand());
				put32(f + 16, SYS_getpid);
				f[rand() % 16] ^= (uint8_t)(1 << (rand() % 8));
				len = 72;
				break;
			case 3:		/* a COPY answer out of the blue */
				memset(f, 0, 32);
				put32(f, 24 + (uint32_t)(rand() % 8));
				put16(f + 4, (uint16_t)(T_COPYDATA + rand() % 2));
				len = 24 + (size_t)(rand() % 8);
				break;
			}
			if (write_all(fd, f, len) != 0)
				break;
		}
		if (rand() % 2)
			sleep_ms(rand() % 3);
		close(fd);
		if (iter % 50 == 0)
			ck_assert_int_eq(RC_OK(good, SYS_getpid, 0), pid);
	}
	ck_assert_int_eq(RC_OK(good, SYS_getpid, 0), pid);
	(void)a;
	close(good);
	halt();
}
END_TEST

START_TEST(socket_file_mode_and_live_and_stale_paths)
{
	struct sockaddr_un sun;
	struct stat st;
	char live[108], stale[108], file[108], u[160];
	int lfd, sfd, c;

	ck_assert_int_eq(rump_init(), 0);
	snprintf(live, sizeof(live), "/tmp/t_sysproxy.%d.live", (int)getpid());
	snprintf(stale, sizeof(stale), "/tmp/t_sysproxy.%d.stale",
	    (int)getpid());
	snprintf(file, sizeof(file), "/tmp/t_sysproxy.%d.file", (int)getpid());
	unlink(live);
	unlink(stale);
	unlink(file);

	/* A socket on which somebody listens: EADDRINUSE. */
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, live);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(listen(lfd, 4), 0);
	snprintf(u, sizeof(u), "unix://%s", live);
	ck_assert_int_eq(rump_init_server(u), EADDRINUSE);
	close(lfd);
	unlink(live);

	/* A file that is not a socket: EEXIST.  Bad URLs: EINVAL. */
	close(open(file, O_CREAT | O_WRONLY, 0600));
	snprintf(u, sizeof(u), "unix://%s", file);
	ck_assert_int_eq(rump_init_server(u), EEXIST);
	unlink(file);
	ck_assert_int_eq(rump_init_server("unix://"), EINVAL);
	ck_assert_int_eq(rump_init_server("http://x"), EINVAL);
	ck_assert_int_eq(rump_init_server("tcp://127.0.0.1"), EINVAL);
	ck_assert_int_eq(rump_init_server("tcp://127.0.0.1:99999"), EINVAL);
	ck_assert_int_eq(rump_init_server("tcp://nohost:1"), EINVAL);

	/* A dead socket (nobody listens) is replaced. */
	sfd = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(sun.sun_path, stale);
	ck_assert_int_eq(bind(sfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(sfd);
	snprintf(u, sizeof(u), "unix://%s", stale);
	ck_assert_int_eq(rump_init_server(u), 0);
	ck_assert_int_eq(rump_init_server(u), EBUSY);
	ck_assert_int_eq(lstat(stale, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	strcpy(sockpath, stale);
	c = rc_open(NULL);
	ck_assert_int_gt(RC_OK(c, SYS_getpid, 0), 1);
	close(c);
	halt();
}
END_TEST

START_TEST(tcp_url_serves)
{
	struct sockaddr_in sin;
	char u[64];
	int port = 0, fd, pid, error = EADDRINUSE, tries;

	ck_assert_int_eq(rump_init(), 0);
	srand((unsigned int)getpid());
	for (tries = 0; tries < 20 && error == EADDRINUSE; tries++) {
		port = 20000 + rand() % 40000;
		snprintf(u, sizeof(u), "tcp://127.0.0.1:%d", port);
		error = rump_init_server(u);
	}
	ck_assert_int_eq(error, 0);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(rc_handshake_raw(fd, 1, 0, NULL, &pid), 0);
	ck_assert_int_eq(RC_OK(fd, SYS_getpid, 0), pid);
	close(fd);
	sockpath[0] = '\0';
	ck_assert_int_eq(rump_sys_reboot(MAGIC1, MAGIC2, CMD_HALT, NULL), 0);
}
END_TEST

START_TEST(halt_with_clients_connected_drops_them_and_completes)
{
	struct frame *f = malloc(sizeof(*f));
	int idle, blocked, copying, fds[2], pid, n;
	char buf[16];
	long a[3];

	for (n = 0; n < 2; n++) {	/* and a second kernel after */
		boot_and_serve();
		idle = rc_open(NULL);
		blocked = rc_open(NULL);
		copying = rc_open(NULL);
		ck_assert_int_eq(RC_OK(blocked, SYS_pipe2, 2, (long)fds, 0L), 0);
		a[0] = fds[0];
		a[1] = (long)buf;
		a[2] = sizeof(buf);
		ck_assert_int_eq(rc_send_syscall(blocked, 1, SYS_read, 3, a), 0);
		a[0] = RC_OK(copying, SYS_open, 3, (long)"/h",
		    (long)(O_CREAT | O_RDWR), 0600L);
		ck_assert_int_eq(rc_send_syscall(copying, 1, SYS_write, 3, a),
		    0);
		ck_assert_int_eq(rc_next_frame_type(copying, f), T_COPYIN);
		sleep_ms(50);
		halt();
		ck_assert(rc_dropped(idle));
		ck_assert(rc_dropped(blocked));
		ck_assert(rc_dropped(copying));
		close(idle);
		close(blocked);
		close(copying);
		(void)pid;
	}
	free(f);
}
END_TEST

START_TEST(remote_halt_answers_then_halts)
{
	uint64_t end;
	int c, err;

	boot_and_serve();
	c = rc_open(NULL);
	ck_assert_int_eq(rc_call(c, &err, SYS_reboot, 4, (long)MAGIC1,
	    (long)MAGIC2, (long)CMD_HALT, 0L), 0);
	ck_assert_int_eq(err, 0);
	ck_assert(rc_dropped(c));
	close(c);
	end = now_ms() + 5000;
	while (access(sockpath, F_OK) == 0 || rump_sys_getpid() != -1) {
		ck_assert(now_ms() < end);
		sleep_ms(10);
	}
	ck_assert_int_eq(errno, ENXIO);
	/* Give the halting thread time to finish its unwinding. */
	sleep_ms(300);
}
END_TEST

static Suite *
sysproxy_suite(void)
{
	Suite *s = suite_create("sysproxy");
	TCase *tc;

	tc = tcase_create("calls");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, handshake_gives_a_process_and_getpid_is_its_pid);
	tcase_add_test(tc, file_round_trip_through_copy_requests);
	tcase_add_test(tc, two_connections_are_two_processes);
	tcase_add_test(tc, concurrent_calls_on_one_connection);
	tcase_add_test(tc, fork_cookie_gives_a_child_with_the_descriptors);
	suite_add_tcase(s, tc);

	tc = tcase_create("teardown");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, descriptors_close_when_the_client_disconnects);
	tcase_add_test(tc, call_blocked_in_the_kernel_ends_when_its_client_dies);
	tcase_add_test(tc, halt_with_clients_connected_drops_them_and_completes);
	tcase_add_test(tc, remote_halt_answers_then_halts);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, malformed_frames_drop_only_that_client, 0,
	    (int)(sizeof(badcases) / sizeof(badcases[0])));
	tcase_add_test(tc, handshake_errors_are_answered);
	tcase_add_test(tc, limits_of_calls_in_flight_and_fork_cookies);
	tcase_add_test(tc, client_that_stops_answering_COPYIN_blocks_only_itself);
	tcase_add_test(tc, fuzz_random_frames);
	suite_add_tcase(s, tc);

	tc = tcase_create("urls");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, socket_file_mode_and_live_and_stale_paths);
	tcase_add_test(tc, tcp_url_serves);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sysproxy_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
