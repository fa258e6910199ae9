/*
 * t_client_proto.c: librumpclient against a fake server that speaks the
 * protocol of docs/sysproxy.md from a thread of the test: the handshake,
 * how the stubs pack their arguments, replies and errors, the COPY
 * requests served from the client's memory (bad pointers are EFAULT,
 * never a crash), calls from several threads multiplexed on one
 * connection, a dropped connection or a broken frame (ENOTCONN, never a
 * hang), the errors of rumpclient_init, and fork.
 *
 * Check runs each test in a child process of its own, so each has a fresh
 * client library.  The fake server records its first complaint in
 * fk.err; the test asserts on it after joining the server's thread.
 */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

#include "rumpclient_int.h"

struct frame {
	uint32_t	len;
	uint16_t	type;
	uint64_t	reqno;
	uint8_t		*p;		/* the payload */
	uint8_t		buf[SP_MAXFRAME];
};

static struct {
	char		dir[64];
	char		path[128];
	int		lfd;
	int		cfd;
	pthread_t	thr;
	void		(*script)(void);
	char		err[512];
	uint8_t		cookie[SP_COOKIELEN];
} fk;

static void
fk_fail(const char *fmt, ...)
{
	va_list ap;

	if (fk.err[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(fk.err, sizeof(fk.err), fmt, ap);
	va_end(ap);
}

static int
readn(int fd, uint8_t *p, size_t n)
{
	ssize_t k;

	while (n > 0) {
		k = read(fd, p, n);
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Receive a frame on fd; -1 at EOF. */
static int
fk_recv(int fd, struct frame *f)
{

	if (readn(fd, f->buf, SP_HDRLEN) != 0)
		return -1;
	f->len = sp_get32(f->buf);
	f->type = sp_get16(f->buf + 4);
	f->reqno = sp_get64(f->buf + 8);
	f->p = f->buf + SP_HDRLEN;
	if (f->len < SP_HDRLEN || f->len > SP_MAXFRAME ||
	    sp_get16(f->buf + 6) != 0) {
		fk_fail("bad header from the client: len %u", f->len);
		return -1;
	}
	return readn(fd, f->p, f->len - SP_HDRLEN);
}

/* Receive a frame of type t and length len (0: any). */
static int
fk_expect(int fd, struct frame *f, uint16_t t, uint32_t len)
{

	if (fk_recv(fd, f) != 0) {
		fk_fail("EOF while waiting for a frame of type %u", t);
		return -1;
	}
	if (f->type != t || (len != 0 && f->len != len)) {
		fk_fail("got type %u len %u, wanted type %u len %u", f->type,
		    f->len, t, len);
		return -1;
	}
	return 0;
}

static void
fk_send(int fd, uint16_t type, uint64_t reqno, const void *pl, size_t n)
{
	uint8_t buf[SP_MAXFRAME];

	sp_puthdr(buf, (uint32_t)(SP_HDRLEN + n), type, reqno);
	memcpy(buf + SP_HDRLEN, pl, n);
	if (write(fd, buf, SP_HDRLEN + n) != (ssize_t)(SP_HDRLEN + n))
		fk_fail("write to the client failed");
}

static void
fk_reply(int fd, uint64_t reqno, int error, int64_t rv0)
{
	uint8_t pl[24];

	memset(pl, 0, sizeof(pl));
	sp_put32(pl, (uint32_t)error);
	sp_put64(pl + 8, (uint64_t)rv0);
	fk_send(fd, SP_SYSCALL_R, reqno, pl, sizeof(pl));
}

/* A copy request: COPYIN/COPYINSTR get COPYDATA (error, bytes in f). */
static int
fk_copyin(int fd, uint16_t type, uint64_t reqno, uint64_t uaddr,
    uint64_t n, struct frame *f, int *errorp, size_t *nbytesp)
{
	uint8_t pl[16];

	sp_put64(pl, uaddr);
	sp_put64(pl + 8, n);
	fk_send(fd, type, reqno, pl, sizeof(pl));
	if (fk_expect(fd, f, SP_COPYDATA, 0) != 0)
		return -1;
	if (f->reqno != reqno)
		fk_fail("COPYDATA with reqno %ju, not %ju",
		    (uintmax_t)f->reqno, (uintmax_t)reqno);
	*errorp = (int32_t)sp_get32(f->p);
	*nbytesp = f->len - SP_HDRLEN - 8;
	return 0;
}

/* COPYOUT: the COPYDONE's error, or -1. */
static int
fk_copyout(int fd, uint64_t reqno, uint64_t uaddr, const void *data,
    size_t n)
{
	uint8_t pl[16 + SP_MAXDATA];
	struct frame *f;
	int error;

	sp_put64(pl, uaddr);
	sp_put64(pl + 8, n);
	memcpy(pl + 16, data, n);
	fk_send(fd, SP_COPYOUT, reqno, pl, 16 + n);
	f = malloc(sizeof(*f));
	error = -1;
	if (fk_expect(fd, f, SP_COPYDONE, SP_HDRLEN + 8) == 0)
		error = (int32_t)sp_get32(f->p);
	free(f);
	return error;
}

/* Accept a connection and answer its handshake (kind checked). */
static int
fk_accept(uint32_t kind, int32_t pid)
{
	struct frame f;
	uint8_t pl[12];
	int fd;

	fd = accept(fk.lfd, NULL, NULL);
	if (fd == -1) {
		fk_fail("accept: %s", strerror(errno));
		return -1;
	}
	if (fk_expect(fd, &f, SP_HANDSHAKE, SP_HDRLEN + 52) != 0)
		return fd;
	if (memcmp(f.p, SP_MAGIC, 8) != 0 || sp_get32(f.p + 8) != 1 ||
	    sp_get32(f.p + 12) != kind)
		fk_fail("handshake: bad magic, version or kind");
	if (kind == SP_KIND_FORK &&
	    memcmp(f.p + 16, fk.cookie, SP_COOKIELEN) != 0)
		fk_fail("handshake: not the cookie");
	if (strncmp((char *)f.p + 36, "t_client_proto", 16) != 0)
		fk_fail("handshake: comm is '%.16s'", (char *)f.p + 36);
	sp_put32(pl, 0);
	sp_put32(pl + 4, 1);
	sp_put32(pl + 8, (uint32_t)pid);
	fk_send(fd, SP_HANDSHAKE_R, f.reqno, pl, sizeof(pl));
	return fd;
}

static void *
fk_main(void *arg)
{

	(void)arg;
	fk.script();
	return NULL;
}

/* Listen, point $RUMP_SERVER at it, and run script in a thread. */
static void
fk_start(void (*script)(void))
{
	struct sockaddr_un sun;
	char url[160];

	strcpy(fk.dir, "/tmp/t_client_proto.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fk.dir));
	snprintf(fk.path, sizeof(fk.path), "%s/sock", fk.dir);
	fk.lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(fk.lfd, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, fk.path);
	ck_assert_int_eq(bind(fk.lfd, (struct sockaddr *)&sun, sizeof(sun)),
	    0);
	ck_assert_int_eq(listen(fk.lfd, 8), 0);
	snprintf(url, sizeof(url), "unix://%s", fk.path);
	setenv("RUMP_SERVER", url, 1);
	fk.script = script;
	fk.cfd = -1;
	ck_assert_int_eq(pthread_create(&fk.thr, NULL, fk_main, NULL), 0);
}

static void
fk_join(void)
{

	pthread_join(fk.thr, NULL);
	if (fk.cfd != -1)
		close(fk.cfd);
	close(fk.lfd);
	unlink(fk.path);
	rmdir(fk.dir);
	ck_assert_msg(fk.err[0] == '\0', "fake server: %s", fk.err);
}

/* Receive the next SYSCALL on the connection and check its number. */
static int
fk_syscall(struct frame *f, uint32_t num, uint32_t nargs)
{

	if (fk_expect(fk.cfd, f, SP_SYSCALL, SP_SYSCALL_LEN) != 0)
		return -1;
	if (sp_get32(f->p) != num || sp_get32(f->p + 4) != nargs) {
		fk_fail("syscall %u with %u args, wanted %u with %u",
		    sp_get32(f->p), sp_get32(f->p + 4), num, nargs);
		return -1;
	}
	return 0;
}

static uint64_t
arg(const struct frame *f, int i)
{

	return sp_get64(f->p + 8 + 8 * i);
}

/*
 * The handshake and a call.
 */

static void
script_getpid(void)
{
	struct frame f;

	fk.cfd = fk_accept(SP_KIND_NEW, 42);
	if (fk_syscall(&f, RUMP_SYS_getpid, 0) == 0)
		fk_reply(fk.cfd, f.reqno, 0, 42);
}

START_TEST(handshake_then_a_call_returns_the_servers_result)
{

	fk_start(script_getpid);
	ck_assert_int_eq(rumpclient_init(), 0);
	ck_assert_int_eq(rump_sys_getpid(), 42);
	fk_join();
}
END_TEST

static void
script_args(void)
{
	struct frame f;
	int i;

	fk.cfd = fk_accept(SP_KIND_NEW, 2);
	if (fk_syscall(&f, RUMP_SYS_pread, 4) != 0)
		return;
	if (arg(&f, 0) != (uint64_t)-5 || arg(&f, 2) != 100 ||
	    arg(&f, 3) != (uint64_t)-2 || arg(&f, 4) != 0 || arg(&f, 5) != 0)
		fk_fail("pread: args %jx %jx %jx", (uintmax_t)arg(&f, 0),
		    (uintmax_t)arg(&f, 2), (uintmax_t)arg(&f, 3));
	fk_reply(fk.cfd, f.reqno, 0, 1LL << 40);	/* passes through */
	if (fk_syscall(&f, RUMP_SYS_chmod, 2) != 0)
		return;
	if (arg(&f, 1) != 0xffffffffu)	/* mode_t: zero-extended */
		fk_fail("chmod: mode %jx", (uintmax_t)arg(&f, 1));
	fk_reply(fk.cfd, f.reqno, 0, 0);
	if (fk_syscall(&f, RUMP_SYS_open, 3) != 0)
		return;
	if (arg(&f, 1) != (uint64_t)(O_CREAT | O_WRONLY) || arg(&f, 2) != 0640)
		fk_fail("open: flags %jx mode %jo", (uintmax_t)arg(&f, 1),
		    (uintmax_t)arg(&f, 2));
	fk_reply(fk.cfd, f.reqno, 0, 3);
	for (i = 0; i < 2; i++) {
		if (fk_syscall(&f, RUMP_SYS_unlink, 1) != 0)
			return;
		fk_reply(fk.cfd, f.reqno, i == 0 ? ENOENT : 0, 0);
	}
}

START_TEST(arguments_travel_as_registers_and_errors_as_errno)
{
	char buf[100];

	fk_start(script_args);
	ck_assert_int_eq(rumpclient_init(), 0);
	ck_assert_int_eq(rump_sys_pread(-5, buf, sizeof(buf), -2), 1LL << 40);
	ck_assert_int_eq(rump_sys_chmod("x", (mode_t)0xffffffffu), 0);
	ck_assert_int_eq(rump_sys_open("x", O_CREAT | O_WRONLY, 0640), 3);
	errno = 0;
	ck_assert_int_eq(rump_sys_unlink("x"), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 1234;
	ck_assert_int_eq(rump_sys_unlink("x"), 0);
	ck_assert_int_eq(errno, 1234);	/* success leaves errno alone */
	fk_join();
}
END_TEST

/*
 * COPY requests.
 */

static char *page_end_str;	/* a string that ends a mapping */
static char *page_end_nonul;	/* bytes that end a mapping, no NUL */

static void
script_copyin(void)
{
	struct frame f, *d;
	size_t n;
	int error;

	d = malloc(sizeof(*d));
	fk.cfd = fk_accept(SP_KIND_NEW, 2);
	if (fk_syscall(&f, RUMP_SYS_pwrite, 4) != 0)
		goto out;
	if (fk_copyin(fk.cfd, SP_COPYIN, f.reqno, arg(&f, 1), 5, d, &error,
	    &n) == 0 && (error != 0 || n != 5 || memcmp(d->p + 8, "hello",
	    5) != 0))
		fk_fail("COPYIN: error %d, %zu bytes", error, n);
	/* A bad address: EFAULT and no bytes. */
	if (fk_copyin(fk.cfd, SP_COPYIN, f.reqno, 8, 5, d, &error, &n) == 0 &&
	    (error != EFAULT || n != 0))
		fk_fail("COPYIN of address 8: error %d, %zu bytes", error, n);
	if (fk_copyin(fk.cfd, SP_COPYIN, f.reqno, (uint64_t)-4096, 100, d,
	    &error, &n) == 0 && (error != EFAULT || n != 0))
		fk_fail("COPYIN of a kernel address: error %d", error);
	/* A request for a call that is not in flight: EFAULT. */
	if (fk_copyin(fk.cfd, SP_COPYIN, f.reqno + 1000, arg(&f, 1), 5, d,
	    &error, &n) == 0 && (error != EFAULT || n != 0))
		fk_fail("COPYIN of an unknown call: error %d", error);
	fk_reply(fk.cfd, f.reqno, 0, 5);

	if (fk_syscall(&f, RUMP_SYS_rename, 2) != 0)
		goto out;
	/* The whole string with its NUL. */
	if (fk_copyin(fk.cfd, SP_COPYINSTR, f.reqno, arg(&f, 0), 4096, d,
	    &error, &n) == 0 && (error != 0 || n != 8 ||
	    memcmp(d->p + 8, "/a/path", 8) != 0))
		fk_fail("COPYINSTR: error %d, %zu bytes", error, n);
	/* No NUL within maxlen: maxlen bytes, error 0. */
	if (fk_copyin(fk.cfd, SP_COPYINSTR, f.reqno, arg(&f, 0), 3, d,
	    &error, &n) == 0 && (error != 0 || n != 3 ||
	    memcmp(d->p + 8, "/a/", 3) != 0))
		fk_fail("COPYINSTR maxlen 3: error %d, %zu bytes", error, n);
	/* A string that ends a mapping reads. */
	if (fk_copyin(fk.cfd, SP_COPYINSTR, f.reqno, arg(&f, 1), 4096, d,
	    &error, &n) == 0 && (error != 0 || n != 3 ||
	    memcmp(d->p + 8, "xy", 3) != 0))
		fk_fail("COPYINSTR at a mapping's end: error %d, %zu", error,
		    n);
	/* Bytes up to an unmapped page: those bytes and EFAULT. */
	if (fk_copyin(fk.cfd, SP_COPYINSTR, f.reqno,
	    (uint64_t)(uintptr_t)page_end_nonul, 4096, d, &error, &n) == 0 &&
	    (error != EFAULT || n != 3 || memcmp(d->p + 8, "abc", 3) != 0))
		fk_fail("COPYINSTR past a mapping: error %d, %zu", error, n);
	if (fk_copyin(fk.cfd, SP_COPYINSTR, f.reqno, 0, 10, d, &error,
	    &n) == 0 && (error != EFAULT || n != 0))
		fk_fail("COPYINSTR of NULL: error %d, %zu", error, n);
	fk_reply(fk.cfd, f.reqno, 0, 0);
out:
	free(d);
}

/* The last n bytes of a mapping that an unmapped page follows. */
static char *
mapping_end(size_t n)
{
	long pg;
	char *m;

	pg = sysconf(_SC_PAGESIZE);
	m = mmap(NULL, 2 * (size_t)pg, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	ck_assert_int_eq(munmap(m + pg, (size_t)pg), 0);
	return m + pg - n;
}

START_TEST(copyin_and_copyinstr_read_client_memory_and_bad_pointers_are_EFAULT)
{

	page_end_str = mapping_end(3);
	memcpy(page_end_str, "xy", 3);
	page_end_nonul = mapping_end(3);
	memcpy(page_end_nonul, "abc", 3);

	fk_start(script_copyin);
	ck_assert_int_eq(rumpclient_init(), 0);
	ck_assert_int_eq(rump_sys_pwrite(3, "hello", 5, 0), 5);
	ck_assert_int_eq(rump_sys_rename("/a/path", page_end_str), 0);
	fk_join();
}
END_TEST

static void
script_copyout(void)
{
	struct frame f;
	static uint8_t big[SP_MAXDATA];
	int error;

	fk.cfd = fk_accept(SP_KIND_NEW, 2);
	if (fk_syscall(&f, RUMP_SYS_read, 3) != 0)
		return;
	error = fk_copyout(fk.cfd, f.reqno, arg(&f, 1), "0123456789", 10);
	if (error != 0)
		fk_fail("COPYOUT: error %d", error);
	error = fk_copyout(fk.cfd, f.reqno, 8, "x", 1);
	if (error != EFAULT)
		fk_fail("COPYOUT to address 8: error %d", error);
	fk_reply(fk.cfd, f.reqno, 0, 10);
	if (fk_syscall(&f, RUMP_SYS_read, 3) != 0)
		return;
	memset(big, 0xa5, sizeof(big));
	error = fk_copyout(fk.cfd, f.reqno, arg(&f, 1), big, sizeof(big));
	if (error != 0)
		fk_fail("COPYOUT of 64 KiB: error %d", error);
	fk_reply(fk.cfd, f.reqno, 0, SP_MAXDATA);
}

START_TEST(copyout_writes_client_memory_and_bad_pointers_are_EFAULT)
{
	static uint8_t big[SP_MAXDATA];
	char buf[16];
	size_t i;

	memset(buf, 0, sizeof(buf));
	fk_start(script_copyout);
	ck_assert_int_eq(rumpclient_init(), 0);
	ck_assert_int_eq(rump_sys_read(3, buf, sizeof(buf)), 10);
	ck_assert_str_eq(buf, "0123456789");
	ck_assert_int_eq(rump_sys_read(3, big, sizeof(big)), SP_MAXDATA);
	for (i = 0; i < sizeof(big); i++)
		ck_assert_int_eq(big[i], 0xa5);
	fk_join();
}
END_TEST

/*
 * Failures: never a hang.
 */

static void
script_drop(void)
{
	struct frame f;

	fk.cfd = fk_accept(SP_KIND_NEW, 2);
	if (fk_syscall(&f, RUMP_SYS_getpid, 0) != 0)
		return;
	close(fk.cfd);
	fk.cfd = -1;
}

START_TEST(a_dropped_connection_is_ENOTCONN_in_flight_and_after)
{

	fk_start(script_drop);
	ck_assert_int_eq(rumpclient_init(), 0);
	errno = 0;
	ck_assert_int_eq(rump_sys_getpid(), -1);
	ck_assert_int_eq(errno, ENOTCONN);
	errno = 0;
	ck_assert_int_eq(rump_sys_close(0), -1);
	ck_assert_int_eq(errno, ENOTCONN);
	fk_join();
}
END_TEST

static int bad_kind;

static void
script_badframe(void)
{
	struct frame f;
	uint8_t junk[24];

	fk.cfd = fk_accept(SP_KIND_NEW, 2);
	if (fk_syscall(&f, RUMP_SYS_getpid, 0) != 0)
		return;
	memset(junk, 0, sizeof(junk));
	switch (bad_kind) {
	case 0:		/* an unknown type */
		fk_send(fk.cfd, 200, f.reqno, junk, sizeof(junk));
		break;
	case 1:		/* a SYSCALL_R of the wrong length */
		fk_send(fk.cfd, SP_SYSCALL_R, f.reqno, junk, 20);
		break;
	case 2:		/* nonzero flags */
		sp_puthdr(junk, 16, SP_SYSCALL_R, f.reqno);
		junk[6] = 1;
		if (write(fk.cfd, junk, 16) != 16)
			fk_fail("write");
		break;
	case 3:		/* a length beyond the limit */
		sp_puthdr(junk, SP_MAXFRAME + 1, SP_COPYOUT, f.reqno);
		if (write(fk.cfd, junk, 16) != 16)
			fk_fail("write");
		break;
	}
	/* The client must close its side: wait for EOF. */
	while (read(fk.cfd, junk, sizeof(junk)) > 0)
		continue;
}

START_TEST(a_broken_frame_from_the_server_is_ENOTCONN)
{

	bad_kind = _i;
	fk_start(script_badframe);
	ck_assert_int_eq(rumpclient_init(), 0);
	errno = 0;
	ck_assert_int_eq(rump_sys_getpid(), -1);
	ck_assert_int_eq(errno, ENOTCONN);
	rumpclient_fini();	/* closes: the server sees EOF */
	fk_join();
}
END_TEST

/*
 * Several threads on one connection.
 */

#define NTHREADS 8

static void
script_threads(void)
{
	struct frame f[NTHREADS];
	char msg[16];
	int i, fd;

	fk.cfd = fk_accept(SP_KIND_NEW, 2);
	for (i = 0; i < NTHREADS; i++)
		if (fk_syscall(&f[i], RUMP_SYS_read, 3) != 0)
			return;
	for (i = 0; i < NTHREADS; i++)
		for (int j = 0; j < i; j++)
			if (f[i].reqno == f[j].reqno)
				fk_fail("two calls with reqno %ju",
				    (uintmax_t)f[i].reqno);
	/* Answer in reverse order, each with a copy first. */
	for (i = NTHREADS - 1; i >= 0; i--) {
		fd = (int)arg(&f[i], 0);
		snprintf(msg, sizeof(msg), "fd %d", fd);
		if (fk_copyout(fk.cfd, f[i].reqno, arg(&f[i], 1), msg,
		    strlen(msg) + 1) != 0)
			fk_fail("COPYOUT for fd %d", fd);
		fk_reply(fk.cfd, f[i].reqno, 0, fd + 100);
	}
}

static void *
reader_thread(void *arg)
{
	char buf[16], want[16];
	int fd;
	ssize_t n;

	fd = (int)(intptr_t)arg;
	n = rump_sys_read(fd, buf, sizeof(buf));
	snprintf(want, sizeof(want), "fd %d", fd);
	if (n != fd + 100 || strcmp(buf, want) != 0)
		return (void *)1;
	return NULL;
}

START_TEST(calls_from_threads_share_the_connection_by_reqno)
{
	pthread_t t[NTHREADS];
	void *rv;
	int i;

	fk_start(script_threads);
	ck_assert_int_eq(rumpclient_init(), 0);
	for (i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, reader_thread,
		    (void *)(intptr_t)(i + 10)), 0);
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], &rv);
		ck_assert_msg(rv == NULL, "thread %d got another's reply", i);
	}
	fk_join();
}
END_TEST

/* More threads than calls may be in flight: never more than 64 sent. */
#define NMANY (SP_MAXINFLIGHT + 6)

static void
script_limit(void)
{
	static struct frame f[NMANY];
	struct pollfd pfd;
	int i;

	fk.cfd = fk_accept(SP_KIND_NEW, 2);
	for (i = 0; i < SP_MAXINFLIGHT; i++)
		if (fk_syscall(&f[i], RUMP_SYS_getpid, 0) != 0)
			return;
	pfd.fd = fk.cfd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 300) != 0)
		fk_fail("a call beyond the 64 in flight was sent");
	for (i = 0; i < SP_MAXINFLIGHT; i++)
		fk_reply(fk.cfd, f[i].reqno, 0, 7);
	for (i = SP_MAXINFLIGHT; i < NMANY; i++)
		if (fk_syscall(&f[i], RUMP_SYS_getpid, 0) == 0)
			fk_reply(fk.cfd, f[i].reqno, 0, 7);
}

static void *
getpid_thread(void *arg)
{

	(void)arg;
	return (void *)(intptr_t)(rump_sys_getpid() != 7);
}

START_TEST(at_most_64_calls_are_in_flight)
{
	pthread_t t[NMANY];
	void *rv;
	int i, bad;

	fk_start(script_limit);
	ck_assert_int_eq(rumpclient_init(), 0);
	for (i = 0; i < NMANY; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, getpid_thread,
		    NULL), 0);
	bad = 0;
	for (i = 0; i < NMANY; i++) {
		pthread_join(t[i], &rv);
		bad += rv != NULL;
	}
	ck_assert_int_eq(bad, 0);
	fk_join();
}
END_TEST

/*
 * rumpclient_init's errors.
 */

static void
script_refuse(void)
{
	struct frame f;
	uint8_t pl[12];
	int fd;

	fd = accept(fk.lfd, NULL, NULL);
	if (fk_expect(fd, &f, SP_HANDSHAKE, SP_HDRLEN + 52) == 0) {
		sp_put32(pl, EPROTONOSUPPORT);
		sp_put32(pl + 4, 2);
		sp_put32(pl + 8, 0);
		fk_send(fd, SP_HANDSHAKE_R, 0, pl, sizeof(pl));
	}
	close(fd);
	/* A full server: closed without a reply. */
	fd = accept(fk.lfd, NULL, NULL);
	close(fd);
	/* Not this protocol at all. */
	fd = accept(fk.lfd, NULL, NULL);
	fk_expect(fd, &f, SP_HANDSHAKE, SP_HDRLEN + 52);
	if (write(fd, "HTTP/1.0 400 Bad Request\r\n\r\n", 28) != 28)
		fk_fail("write");
	close(fd);
}

START_TEST(init_fails_with_a_clear_errno)
{
	char url[160];

	errno = 0;
	ck_assert_int_eq(rump_sys_getpid(), -1);	/* before init */
	ck_assert_int_eq(errno, ENOTCONN);
	unsetenv("RUMP_SERVER");
	ck_assert_int_eq(rumpclient_init(), -1);
	ck_assert_int_eq(errno, EINVAL);
	setenv("RUMP_SERVER", "http://127.0.0.1:80", 1);
	ck_assert_int_eq(rumpclient_init(), -1);
	ck_assert_int_eq(errno, EINVAL);
	setenv("RUMP_SERVER", "tcp://127.0.0.1", 1);
	ck_assert_int_eq(rumpclient_init(), -1);
	ck_assert_int_eq(errno, EINVAL);
	setenv("RUMP_SERVER", "tcp://127.0.0.1:99999", 1);
	ck_assert_int_eq(rumpclient_init(), -1);
	ck_assert_int_eq(errno, EINVAL);
	setenv("RUMP_SERVER", "unix://", 1);
	ck_assert_int_eq(rumpclient_init(), -1);
	ck_assert_int_eq(errno, EINVAL);
	setenv("RUMP_SERVER", "unix:///nonexistent/t_client_proto.sock", 1);
	ck_assert_int_eq(rumpclient_init(), -1);
	ck_assert_int_eq(errno, ENOENT);
	memset(url, 'a', sizeof(url));
	memcpy(url, "unix://", 7);
	url[sizeof(url) - 1] = '\0';
	setenv("RUMP_SERVER", url, 1);
	ck_assert_int_eq(rumpclient_init(), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);

	fk_start(script_refuse);
	ck_assert_int_eq(rumpclient_init(), -1);
	ck_assert_int_eq(errno, EPROTONOSUPPORT);
	ck_assert_int_eq(rumpclient_init(), -1);
	ck_assert_int_eq(errno, ECONNREFUSED);
	ck_assert_int_eq(rumpclient_init(), -1);
	ck_assert_int_eq(errno, EPROTO);
	errno = 0;
	ck_assert_int_eq(rump_sys_getpid(), -1);
	ck_assert_int_eq(errno, ENOTCONN);
	fk_join();
}
END_TEST

static void
script_twice(void)
{
	struct frame f;

	fk.cfd = fk_accept(SP_KIND_NEW, 9);
	if (fk_syscall(&f, RUMP_SYS_getpid, 0) == 0)
		fk_reply(fk.cfd, f.reqno, 0, 9);
	/* After rumpclient_fini: EOF. */
	if (fk_recv(fk.cfd, &f) == 0)
		fk_fail("a frame after rumpclient_fini");
}

START_TEST(init_twice_is_EISCONN_and_fini_disconnects)
{

	fk_start(script_twice);
	ck_assert_int_eq(rumpclient_init(), 0);
	ck_assert_int_eq(rumpclient_init(), -1);
	ck_assert_int_eq(errno, EISCONN);
	ck_assert_int_eq(rump_sys_getpid(), 9);
	rumpclient_fini();
	errno = 0;
	ck_assert_int_eq(rump_sys_getpid(), -1);
	ck_assert_int_eq(errno, ENOTCONN);
	fk_join();
}
END_TEST

/*
 * Fork: FORKPREP in the parent, HANDSHAKE kind 1 with the cookie in the
 * child.
 */

static void
script_fork(void)
{
	struct frame f;
	uint8_t pl[24];
	int cfd2, i;

	fk.cfd = fk_accept(SP_KIND_NEW, 5);
	if (fk_expect(fk.cfd, &f, SP_FORKPREP, SP_HDRLEN) != 0)
		return;
	for (i = 0; i < SP_COOKIELEN; i++)
		fk.cookie[i] = (uint8_t)(0x40 + i);
	memset(pl, 0, sizeof(pl));
	memcpy(pl + 8, fk.cookie, SP_COOKIELEN);
	fk_send(fk.cfd, SP_FORKPREP_R, f.reqno, pl, sizeof(pl));
	cfd2 = fk_accept(SP_KIND_FORK, 6);
	if (fk_syscall(&f, RUMP_SYS_getpid, 0) == 0)	/* the parent's */
		fk_reply(fk.cfd, f.reqno, 0, 5);
	if (fk_expect(cfd2, &f, SP_SYSCALL, SP_SYSCALL_LEN) == 0)
		fk_reply(cfd2, f.reqno, 0, 6);
	close(cfd2);
}

static pid_t
fork_with(int explicit)
{

	return explicit ? rumpclient_fork() : fork();
}

START_TEST(a_fork_child_connects_as_the_kernel_child)
{
	pid_t pid;
	int status;

	fk_start(script_fork);
	ck_assert_int_eq(rumpclient_init(), 0);
	pid = fork_with(_i);
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(rump_sys_getpid() == 6 ? 0 : 1);
	ck_assert_int_eq(rump_sys_getpid(), 5);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the child's getpid was not its own: status %#x", status);
	fk_join();
}
END_TEST

static void
script_noprep(void)
{
	struct frame f;
	uint8_t pl[24];

	fk.cfd = fk_accept(SP_KIND_NEW, 5);
	if (fk_expect(fk.cfd, &f, SP_FORKPREP, SP_HDRLEN) != 0)
		return;
	memset(pl, 0, sizeof(pl));
	sp_put32(pl, EAGAIN);
	fk_send(fk.cfd, SP_FORKPREP_R, f.reqno, pl, sizeof(pl));
}

START_TEST(rumpclient_fork_without_a_cookie_does_not_fork)
{

	fk_start(script_noprep);
	ck_assert_int_eq(rumpclient_init(), 0);
	errno = 0;
	ck_assert_int_eq(rumpclient_fork(), -1);
	ck_assert_int_eq(errno, EAGAIN);
	fk_join();
}
END_TEST

static Suite *
client_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("client_proto");
	tc = tcase_create("proto");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, handshake_then_a_call_returns_the_servers_result);
	tcase_add_test(tc, arguments_travel_as_registers_and_errors_as_errno);
	tcase_add_test(tc,
	    copyin_and_copyinstr_read_client_memory_and_bad_pointers_are_EFAULT);
	tcase_add_test(tc,
	    copyout_writes_client_memory_and_bad_pointers_are_EFAULT);
	tcase_add_test(tc, a_dropped_connection_is_ENOTCONN_in_flight_and_after);
	tcase_add_loop_test(tc, a_broken_frame_from_the_server_is_ENOTCONN, 0,
	    4);
	tcase_add_test(tc, calls_from_threads_share_the_connection_by_reqno);
	tcase_add_test(tc, at_most_64_calls_are_in_flight);
	tcase_add_test(tc, init_fails_with_a_clear_errno);
	tcase_add_test(tc, init_twice_is_EISCONN_and_fini_disconnects);
	tcase_add_loop_test(tc, a_fork_child_connects_as_the_kernel_child, 0,
	    2);
	tcase_add_test(tc, rumpclient_fork_without_a_cookie_does_not_fork);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nfailed;

	sr = srunner_create(client_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
