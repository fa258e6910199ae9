/*
 * rumpclient.c: the connection of a remote client to rump_server
 * (docs/sysproxy.md is the protocol, docs/rumpclient.md the user's view).
 *
 * One connection per process.  Each system call is a SYSCALL frame with a
 * request number of its own; the thread that made it waits for the
 * SYSCALL_R with that number.  Calls from several threads are in flight
 * at once, and nobody owns the socket's read side for good: whichever
 * waiting thread finds no reader becomes the reader (leader/followers),
 * reads frames, hands each reply to the call it belongs to, and serves
 * the server's copy requests (COPYIN, COPYOUT, ...) from this process's
 * memory (rumpclient_mem.c) on the spot.  When its own reply has come it
 * gives the role to another waiting call.  A lone caller thus reads its
 * own reply: a round trip costs one send and one receive, with no hand
 * over between threads.
 *
 * A read error, end of file or a frame that breaks the protocol ends the
 * connection: every call in flight and every later call fails with
 * ENOTCONN, and nothing waits for a reply that cannot come.
 *
 * Fork: a pthread_atfork handler gets a fork cookie (FORKPREP) before
 * fork(2); the child drops its copy of the parent's connection and
 * connects with the cookie, so its kernel process is a child of the
 * parent's with a copy of its descriptors.
 *
 * Exec: rumpclient_exec() keeps the socket open across execve(2) and
 * names it in $RUMPCLIENT__EXECFD; rumpclient_init() in the new image
 * adopts it without a handshake, so the kernel process stays.
 *
 * Locking: cl.mtx protects the connection's state and the list of calls
 * (fields marked m); cl.sendmtx serialises writes to the socket, so frames
 * never interleave.  The two are never held together, except by the fork
 * handlers, which take sendmtx then mtx.  Fields marked r belong to the
 * thread that holds the reader role (cl.reading).
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "rumpclient_int.h"
#include "rumpclient_mem.h"

/* A call in flight: a SYSCALL or a FORKPREP. */
struct spcall {
	uint64_t	c_reqno;	/* m: its request number */
	uint16_t	c_rtype;	/* m: the reply it waits for */
	bool		c_done;		/* m: the reply came (or never will) */
	int		c_error;	/* m: its error, or ENOTCONN */
	int64_t		c_rv[2];	/* m: SYSCALL_R's results */
	uint8_t		c_cookie[SP_COOKIELEN]; /* m: FORKPREP_R's cookie */
	pthread_cond_t	c_cv;		/* its thread sleeps here */
	struct spcall	*c_next;	/* m */
};

struct rumpclient_fork {
	uint8_t		rf_cookie[SP_COOKIELEN];
	bool		rf_used;	/* the child connected with it */
};

static struct {
	pthread_mutex_t	mtx;
	pthread_mutex_t	sendmtx;
	pthread_cond_t	slotcv;		/* a call slot or the last call ended */
	int		fd;		/* m: the socket, -1 if none */
	bool		dead;		/* m: the connection is gone */
	bool		reading;	/* m: a thread holds the reader role */
	unsigned	ncalls;		/* m: calls in flight */
	uint64_t	nextreq;	/* m: the next request number */
	struct spcall	*calls;		/* m: the calls in flight */
	int		pid;		/* m: our pid in the kernel */

	/* Where the server is, for a fork child to connect again. */
	struct sockaddr_storage addr;	/* m */
	socklen_t	addrlen;	/* m: 0 before rumpclient_init */

	/* Fork handling (the forking thread, under mtx). */
	struct rumpclient_fork *forknext; /* cookie for the next fork */
	struct rumpclient_fork autofork; /* the atfork handler's own */

	/* The reader's frame buffer: data in [rstart, rend). */
	uint8_t		rbuf[2 * SP_MAXFRAME]; /* r */
	size_t		rstart, rend;	/* r */
	uint8_t		copybuf[SP_MAXDATA]; /* r: COPYIN/COPYINSTR data */
} cl = {
	.mtx = PTHREAD_MUTEX_INITIALIZER,
	.sendmtx = PTHREAD_MUTEX_INITIALIZER,
	.slotcv = PTHREAD_COND_INITIALIZER,
	.fd = -1,
};

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void conn_lost_locked(void);

/*
 * Sockets.
 */

/* Write the whole of iov[0..n) (changing it), with no SIGPIPE. */
static int
sendall(int fd, struct iovec *iov, int n)
{
	struct msghdr msg;
	ssize_t k;

	while (n > 0) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = iov;
		msg.msg_iovlen = (size_t)n;
		k = sendmsg(fd, &msg, MSG_NOSIGNAL);
		if (k == -1) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		while (n > 0 && (size_t)k >= iov->iov_len) {
			k -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (uint8_t *)iov->iov_base + k;
			iov->iov_len -= (size_t)k;
		}
	}
	return 0;
}

/* Send a frame: its header and fixed part in buf, optional data after. */
static int
send_frame(const uint8_t *buf, size_t len, const void *data, size_t dlen)
{
	struct iovec iov[2];
	int error, fd;

	iov[0].iov_base = (void *)(uintptr_t)buf;
	iov[0].iov_len = len;
	iov[1].iov_base = (void *)(uintptr_t)data;
	iov[1].iov_len = dlen;
	pthread_mutex_lock(&cl.sendmtx);
	fd = cl.fd;	/* stable while calls are in flight */
	error = fd == -1 ? ENOTCONN : sendall(fd, iov, dlen > 0 ? 2 : 1);
	pthread_mutex_unlock(&cl.sendmtx);
	return error;
}

/*
 * Read one frame into cl.rbuf (the reader only): *framep points at it
 * until the next call.  The header is checked here: length within the
 * limits and flags zero.  0, or an errno value (ECONNRESET at end of
 * file, EPROTO for a bad header).
 */
static int
recv_frame(int fd, uint8_t **framep, uint32_t *lenp)
{
	uint32_t len;
	ssize_t k;
	size_t have;

	for (;;) {
		have = cl.rend - cl.rstart;
		if (have >= SP_HDRLEN) {
			len = sp_get32(cl.rbuf + cl.rstart);
			if (len < SP_HDRLEN || len > SP_MAXFRAME ||
			    sp_get16(cl.rbuf + cl.rstart + 6) != 0)
				return EPROTO;
			if (have >= len) {
				*framep = cl.rbuf + cl.rstart;
				*lenp = len;
				cl.rstart += len;
				return 0;
			}
		}
		if (cl.rstart > 0 && sizeof(cl.rbuf) - cl.rstart < SP_MAXFRAME) {
			memmove(cl.rbuf, cl.rbuf + cl.rstart, have);
			cl.rstart = 0;
			cl.rend = have;
		}
		k = read(fd, cl.rbuf + cl.rend, sizeof(cl.rbuf) - cl.rend);
		if (k == -1) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (k == 0)
			return ECONNRESET;
		cl.rend += (size_t)k;
	}
}

/*
 * Serving the server's copy requests.
 */

/* Is reqno a SYSCALL in flight?  A copy request must serve one. */
static bool
syscall_in_flight(uint64_t reqno)
{
	struct spcall *c;
	bool found;

	found = false;
	pthread_mutex_lock(&cl.mtx);
	for (c = cl.calls; c != NULL; c = c->c_next)
		if (c->c_reqno == reqno && c->c_rtype == SP_SYSCALL_R &&
		    !c->c_done) {
			found = true;
			break;
		}
	pthread_mutex_unlock(&cl.mtx);
	return found;
}

static int
serve_copy(const uint8_t *f, uint32_t len, uint16_t type, uint64_t reqno)
{
	uint8_t reply[SP_HDRLEN + 8];
	uint64_t uaddr, n;
	size_t slen;
	bool known;
	int error;

	if (len < SP_COPYREQ_LEN)
		return EPROTO;
	uaddr = sp_get64(f + SP_HDRLEN);
	n = sp_get64(f + SP_HDRLEN + 8);
	if (n > SP_MAXDATA)
		return EPROTO;
	/* A request for no call of ours (its thread is gone) is answered
	 * all the same, with EFAULT, and touches nothing. */
	known = syscall_in_flight(reqno);
	slen = 0;
	switch (type) {
	case SP_COPYIN:
	case SP_COPYINSTR:
		if (len != SP_COPYREQ_LEN)
			return EPROTO;
		if (!known)
			error = EFAULT;
		else if (type == SP_COPYIN) {
			error = rumpclient_mem_read(cl.copybuf, uaddr, n);
			slen = error == 0 ? n : 0;
		} else
			error = rumpclient_mem_readstr((char *)cl.copybuf,
			    uaddr, n, &slen);
		sp_puthdr(reply, (uint32_t)(sizeof(reply) + slen), SP_COPYDATA,
		    reqno);
		sp_put32(reply + SP_HDRLEN, (uint32_t)error);
		sp_put32(reply + SP_HDRLEN + 4, 0);
		return send_frame(reply, sizeof(reply), cl.copybuf, slen);
	case SP_COPYOUT:
	case SP_COPYOUTSTR:
		if (len != SP_COPYREQ_LEN + n)
			return EPROTO;
		error = known ? rumpclient_mem_write(uaddr,
		    f + SP_COPYREQ_LEN, n) : EFAULT;
		sp_puthdr(reply, sizeof(reply), SP_COPYDONE, reqno);
		sp_put32(reply + SP_HDRLEN, (uint32_t)error);
		sp_put32(reply + SP_HDRLEN + 4, 0);
		return send_frame(reply, sizeof(reply), NULL, 0);
	}
	return EPROTO;
}

/* A reply: hand it to the call that waits for it.  A reply to no call
 * of ours is dropped (docs/sysproxy.md, Exec); one of the wrong type
 * breaks the protocol. */
static int
deliver_reply(const uint8_t *f, uint32_t len, uint16_t type, uint64_t reqno)
{
	struct spcall *c;
	int error;

	if (len != (type == SP_SYSCALL_R ? SP_SYSCALL_R_LEN :
	    SP_FORKPREP_R_LEN))
		return EPROTO;
	error = 0;
	pthread_mutex_lock(&cl.mtx);
	for (c = cl.calls; c != NULL; c = c->c_next) {
		if (c->c_reqno != reqno || c->c_done)
			continue;
		if (c->c_rtype != type) {
			error = EPROTO;
			break;
		}
		c->c_error = (int32_t)sp_get32(f + SP_HDRLEN);
		if (c->c_error < 0)
			c->c_error = EPROTO;
		if (type == SP_SYSCALL_R) {
			c->c_rv[0] = (int64_t)sp_get64(f + SP_HDRLEN + 8);
			c->c_rv[1] = (int64_t)sp_get64(f + SP_HDRLEN + 16);
		} else
			memcpy(c->c_cookie, f + SP_HDRLEN + 8, SP_COOKIELEN);
		c->c_done = true;
		pthread_cond_signal(&c->c_cv);
		break;
	}
	pthread_mutex_unlock(&cl.mtx);
	return error;
}

/* The reader: read one frame and act on it.  Called without cl.mtx. */
static int
read_one(int fd)
{
	uint8_t *f;
	uint32_t len;
	uint16_t type;
	uint64_t reqno;
	int error;

	f = NULL;
	len = 0;
	error = recv_frame(fd, &f, &len);
	if (error != 0)
		return error;
	type = sp_get16(f + 4);
	reqno = sp_get64(f + 8);
	switch (type) {
	case SP_SYSCALL_R:
	case SP_FORKPREP_R:
		return deliver_reply(f, len, type, reqno);
	case SP_COPYIN:
	case SP_COPYINSTR:
	case SP_COPYOUT:
	case SP_COPYOUTSTR:
		return serve_copy(f, len, type, reqno);
	default:
		return EPROTO;
	}
}

/*
 * Calls.
 */

/* Give the reader role to a call that waits, if any.  With cl.mtx. */
static void
wake_reader_locked(void)
{
	struct spcall *c;

	if (cl.reading)
		return;
	for (c = cl.calls; c != NULL; c = c->c_next)
		if (!c->c_done) {
			pthread_cond_signal(&c->c_cv);
			return;
		}
}

/* The connection is gone: end every call in flight.  With cl.mtx. */
static void
conn_lost_locked(void)
{
	struct spcall *c;

	if (!cl.dead && cl.fd != -1)
		shutdown(cl.fd, SHUT_RDWR);	/* unblocks senders */
	cl.dead = true;
	for (c = cl.calls; c != NULL; c = c->c_next)
		if (!c->c_done) {
			c->c_done = true;
			c->c_error = ENOTCONN;
			pthread_cond_signal(&c->c_cv);
		}
	pthread_cond_broadcast(&cl.slotcv);
}

/* Enter a call in the list (a free slot, a request number).  With
 * cl.mtx; ENOTCONN when there is no connection. */
static int
call_begin_locked(struct spcall *c, uint16_t rtype)
{

	while (cl.fd != -1 && !cl.dead && cl.ncalls >= SP_MAXINFLIGHT)
		pthread_cond_wait(&cl.slotcv, &cl.mtx);
	if (cl.fd == -1 || cl.dead)
		return ENOTCONN;
	memset(c, 0, sizeof(*c));
	c->c_reqno = ++cl.nextreq;
	c->c_rtype = rtype;
	pthread_cond_init(&c->c_cv, NULL);
	c->c_next = cl.calls;
	cl.calls = c;
	cl.ncalls++;
	return 0;
}

/* Wait for the reply to c, reading the socket when nobody else does,
 * then take c out of the list.  With cl.mtx. */
static int
call_wait_locked(struct spcall *c)
{
	struct spcall **pp;
	int error, fd;

	while (!c->c_done) {
		if (cl.reading) {
			pthread_cond_wait(&c->c_cv, &cl.mtx);
			continue;
		}
		cl.reading = true;
		fd = cl.fd;
		pthread_mutex_unlock(&cl.mtx);
		error = read_one(fd);
		pthread_mutex_lock(&cl.mtx);
		cl.reading = false;
		if (error != 0)
			conn_lost_locked();
	}
	for (pp = &cl.calls; *pp != c; pp = &(*pp)->c_next)
		continue;
	*pp = c->c_next;
	cl.ncalls--;
	pthread_cond_destroy(&c->c_cv);
	wake_reader_locked();
	pthread_cond_broadcast(&cl.slotcv);
	return c->c_error;
}

/* Send the frame of call c (entered with call_begin_locked) and wait for
 * its reply.  Called with cl.mtx, which is dropped while sending. */
static int
call_run_locked(struct spcall *c, const uint8_t *frame, size_t len)
{
	int error;

	pthread_mutex_unlock(&cl.mtx);
	error = send_frame(frame, len, NULL, 0);
	pthread_mutex_lock(&cl.mtx);
	if (error != 0)
		conn_lost_locked();
	return call_wait_locked(c);
}

int
rumpclient_syscall(int num, const int64_t *args, int nargs, int64_t *retval)
{
	uint8_t frame[SP_SYSCALL_LEN];
	struct spcall c;
	int error, i;

	if (num < 0 || nargs < 0 || nargs > 6 || (nargs > 0 && args == NULL))
		return EINVAL;
	memset(frame, 0, sizeof(frame));
	sp_put32(frame + SP_HDRLEN, (uint32_t)num);
	sp_put32(frame + SP_HDRLEN + 4, (uint32_t)nargs);
	for (i = 0; i < nargs; i++)
		sp_put64(frame + SP_HDRLEN + 8 + 8 * i, (uint64_t)args[i]);

	pthread_mutex_lock(&cl.mtx);
	error = call_begin_locked(&c, SP_SYSCALL_R);
	if (error == 0) {
		sp_puthdr(frame, sizeof(frame), SP_SYSCALL, c.c_reqno);
		error = call_run_locked(&c, frame, sizeof(frame));
	}
	pthread_mutex_unlock(&cl.mtx);
	if (error == 0 && retval != NULL) {
		retval[0] = c.c_rv[0];
		retval[1] = c.c_rv[1];
	}
	return error;
}

/* FORKPREP: a fork cookie from the server.  With cl.mtx. */
static int
forkprep_locked(uint8_t *cookie)
{
	uint8_t frame[SP_HDRLEN];
	struct spcall c;
	int error;

	error = call_begin_locked(&c, SP_FORKPREP_R);
	if (error != 0)
		return error;
	sp_puthdr(frame, sizeof(frame), SP_FORKPREP, c.c_reqno);
	error = call_run_locked(&c, frame, sizeof(frame));
	if (error == 0)
		memcpy(cookie, c.c_cookie, SP_COOKIELEN);
	return error;
}

/*
 * Connecting.
 */

/* Parse a URL into a socket address. */
static int
parse_url(const char *url, struct sockaddr_storage *ss, socklen_t *lenp)
{
	struct sockaddr_un *sun;
	struct addrinfo hints, *res;
	char host[256];
	const char *p, *port;
	size_t hl;

	if (url == NULL || *url == '\0')
		return EINVAL;
	memset(ss, 0, sizeof(*ss));
	if (strncmp(url, "unix://", 7) == 0) {
		p = url + 7;
		sun = (struct sockaddr_un *)ss;
		if (*p == '\0')
			return EINVAL;
		if (strlen(p) >= sizeof(sun->sun_path))
			return ENAMETOOLONG;
		sun->sun_family = AF_UNIX;
		strcpy(sun->sun_path, p);
		*lenp = sizeof(*sun);
		return 0;
	}
	if (strncmp(url, "tcp://", 6) != 0)
		return EINVAL;
	p = url + 6;
	if (*p == '[') {
		port = strchr(p, ']');
		if (port == NULL || port[1] != ':')
			return EINVAL;
		p++;
		hl = (size_t)(port - p);
		port += 2;
	} else {
		port = strrchr(p, ':');
		if (port == NULL)
			return EINVAL;
		hl = (size_t)(port - p);
		port++;
	}
	if (hl == 0 || hl >= sizeof(host) || *port == '\0' ||
	    strlen(port) > 5 || strspn(port, "0123456789") != strlen(port) ||
	    atoi(port) < 1 || atoi(port) > 65535)
		return EINVAL;
	memcpy(host, p, hl);
	host[hl] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return EINVAL;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*lenp = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* Read exactly len bytes (the handshake only, before any call). */
static int
readall(int fd, uint8_t *buf, size_t len)
{
	ssize_t k;

	while (len > 0) {
		k = read(fd, buf, len);
		if (k == -1) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (k == 0)
			return ECONNRESET;
		buf += k;
		len -= (size_t)k;
	}
	return 0;
}

/*
 * The connection's socket at $RUMP_FDBASE or above when that is set (the
 * hijack library sets it, to keep the socket out of its program's way).
 */
static int
fd_high(int fd)
{
	const char *v = getenv("RUMP_FDBASE");
	long base = v != NULL ? strtol(v, NULL, 10) : 0;
	int nfd;

	if (base <= fd || base > 1 << 20 ||
	    (nfd = fcntl(fd, F_DUPFD_CLOEXEC, (int)base)) == -1)
		return fd;
	close(fd);
	return nfd;
}

/*
 * Connect to addr and shake hands as kind (with cookie for a fork
 * child).  Only async-signal-safe calls: a fork child runs this.  On
 * success *fdp is the socket and *pidp our pid in the kernel.
 */
static int
sp_connect(const struct sockaddr_storage *addr, socklen_t alen,
    uint32_t kind, const uint8_t *cookie, int *fdp, int *pidp)
{
	uint8_t hs[SP_HDRLEN + 8 + 8 + SP_COOKIELEN + 4 + SP_COMMLEN];
	uint8_t r[SP_HANDSHAKE_R_LEN];
	struct iovec iov;
	size_t off;
	int error, fd, one;

	fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return errno;
	fd = fd_high(fd);
	while (connect(fd, (const struct sockaddr *)addr, alen) == -1) {
		if (errno != EINTR) {
			error = errno;
			goto out;
		}
	}
	if (addr->ss_family != AF_UNIX) {
		one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}

	off = SP_HDRLEN;
	memcpy(hs + off, SP_MAGIC, 8);
	off += 8;
	sp_put32(hs + off, SP_VERSION);
	sp_put32(hs + off + 4, kind);
	off += 8;
	if (cookie != NULL)
		memcpy(hs + off, cookie, SP_COOKIELEN);
	else
		memset(hs + off, 0, SP_COOKIELEN);
	off += SP_COOKIELEN;
	sp_put32(hs + off, (uint32_t)getppid());
	off += 4;
	memset(hs + off, 0, SP_COMMLEN);
	strncpy((char *)hs + off, program_invocation_short_name,
	    SP_COMMLEN - 1);
	off += SP_COMMLEN;
	sp_puthdr(hs, (uint32_t)off, SP_HANDSHAKE, 0);
	iov.iov_base = hs;
	iov.iov_len = off;
	error = sendall(fd, &iov, 1);
	if (error == 0)
		error = readall(fd, r, SP_HDRLEN);
	if (error == ECONNRESET || error == EPIPE)
		error = ECONNREFUSED;	/* closed unanswered: server full */
	if (error != 0)
		goto out;
	if (sp_get32(r) != SP_HANDSHAKE_R_LEN ||
	    sp_get16(r + 4) != SP_HANDSHAKE_R || sp_get16(r + 6) != 0) {
		error = EPROTO;
		goto out;
	}
	error = readall(fd, r + SP_HDRLEN, SP_HANDSHAKE_R_LEN - SP_HDRLEN);
	if (error != 0)
		goto out;
	error = (int32_t)sp_get32(r + SP_HDRLEN);
	if (error < 0)
		error = EPROTO;
	if (error == 0 && sp_get32(r + SP_HDRLEN + 4) != SP_VERSION)
		error = EPROTO;
	if (error != 0)
		goto out;
	*fdp = fd;
	*pidp = (int32_t)sp_get32(r + SP_HDRLEN + 8);
	return 0;
out:
	close(fd);
	return error;
}

/* A fresh connection is the one in use from now on.  With cl.mtx. */
static void
conn_set_locked(int fd, int pid)
{

	cl.fd = fd;
	cl.pid = pid;
	cl.dead = false;
	cl.reading = false;
	cl.rstart = cl.rend = 0;
}

/*
 * Fork.  prepare: a cookie (unless rumpclient_prefork() left one), then
 * both locks so that the child gets them in a known state.  The child
 * builds its state anew: the parent's other threads and their calls do
 * not exist in it.
 */
static void
atfork_prepare(void)
{

	pthread_mutex_lock(&cl.mtx);
	if (cl.forknext == NULL && cl.fd != -1 && !cl.dead) {
		cl.autofork.rf_used = false;
		if (forkprep_locked(cl.autofork.rf_cookie) == 0)
			cl.forknext = &cl.autofork;
	}
	pthread_mutex_unlock(&cl.mtx);
	pthread_mutex_lock(&cl.sendmtx);
	pthread_mutex_lock(&cl.mtx);
}

static void
atfork_parent(void)
{

	cl.forknext = NULL;	/* this fork used the cookie */
	pthread_mutex_unlock(&cl.mtx);
	pthread_mutex_unlock(&cl.sendmtx);
}

static void
atfork_child(void)
{
	struct rumpclient_fork *rf;
	int fd, pid;

	pthread_mutex_init(&cl.mtx, NULL);
	pthread_mutex_init(&cl.sendmtx, NULL);
	pthread_cond_init(&cl.slotcv, NULL);
	if (cl.fd != -1)
		close(cl.fd);	/* not shutdown: the parent's socket */
	cl.fd = -1;
	cl.dead = false;
	cl.reading = false;
	cl.calls = NULL;
	cl.ncalls = 0;
	cl.rstart = cl.rend = 0;
	rf = cl.forknext;
	cl.forknext = NULL;
	if (rf == NULL || rf->rf_used)
		return;
	rf->rf_used = true;
	if (sp_connect(&cl.addr, cl.addrlen, SP_KIND_FORK, rf->rf_cookie,
	    &fd, &pid) == 0)
		conn_set_locked(fd, pid);
}

static void
atfork_register(void)
{

	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

#define EXECFD_ENV	"RUMPCLIENT__EXECFD"

/*
 * Adopt the connection that the image before exec(2) left open.  Replies
 * and COPY requests for the old image's calls may still come: the reader
 * drops the replies and answers the requests with EFAULT, and our request
 * numbers start at a random point, where the old image's are not.  With
 * cl.mtx.
 */
static int
exec_adopt_locked(const char *s)
{
	socklen_t len;
	char *end;
	long v;
	int fd, type;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 0 || v > INT_MAX)
		return EINVAL;
	fd = (int)v;
	len = sizeof(type);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_STREAM)
		return EBADF;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	cl.addrlen = sizeof(cl.addr);	/* for a fork child's connection */
	if (getpeername(fd, (struct sockaddr *)&cl.addr, &cl.addrlen) == -1)
		cl.addrlen = 0;
	if (getrandom(&cl.nextreq, sizeof(cl.nextreq), 0) !=
	    (ssize_t)sizeof(cl.nextreq))
		cl.nextreq = (uint64_t)getpid() << 32;
	conn_set_locked(fd, 0);
	return 0;
}

int
rumpclient_init(void)
{
	struct sockaddr_storage ss;
	const char *execfd;
	socklen_t alen;
	int error, fd, pid;

	pthread_once(&atfork_once, atfork_register);
	execfd = getenv(EXECFD_ENV);
	if (execfd != NULL) {
		pthread_mutex_lock(&cl.mtx);
		error = cl.fd != -1 ? EISCONN : exec_adopt_locked(execfd);
		pthread_mutex_unlock(&cl.mtx);
		unsetenv(EXECFD_ENV);	/* not for our own children */
		goto out;
	}
	error = parse_url(getenv("RUMP_SERVER"), &ss, &alen);
	if (error != 0)
		goto out;
	pthread_mutex_lock(&cl.mtx);
	if (cl.fd != -1 && !cl.dead) {
		pthread_mutex_unlock(&cl.mtx);
		error = EISCONN;
		goto out;
	}
	pthread_mutex_unlock(&cl.mtx);
	rumpclient_fini();	/* a dead connection goes */

	error = sp_connect(&ss, alen, SP_KIND_NEW, NULL, &fd, &pid);
	if (error != 0)
		goto out;
	pthread_mutex_lock(&cl.mtx);
	if (cl.fd != -1) {	/* another thread was quicker */
		pthread_mutex_unlock(&cl.mtx);
		close(fd);
		error = EISCONN;
		goto out;
	}
	cl.addr = ss;
	cl.addrlen = alen;
	conn_set_locked(fd, pid);
	pthread_mutex_unlock(&cl.mtx);
out:
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

void
rumpclient_fini(void)
{

	pthread_mutex_lock(&cl.mtx);
	if (cl.fd == -1) {
		pthread_mutex_unlock(&cl.mtx);
		return;
	}
	conn_lost_locked();
	while (cl.ncalls > 0)
		pthread_cond_wait(&cl.slotcv, &cl.mtx);
	close(cl.fd);
	cl.fd = -1;
	cl.dead = false;
	pthread_mutex_unlock(&cl.mtx);
}

struct rumpclient_fork *
rumpclient_prefork(void)
{
	struct rumpclient_fork *rf;
	int error;

	rf = calloc(1, sizeof(*rf));
	if (rf == NULL)
		return NULL;
	pthread_mutex_lock(&cl.mtx);
	error = forkprep_locked(rf->rf_cookie);
	if (error == 0)
		cl.forknext = rf;	/* the atfork handlers use it */
	pthread_mutex_unlock(&cl.mtx);
	if (error != 0) {
		free(rf);
		errno = error;
		return NULL;
	}
	return rf;
}

int
rumpclient_fork_init(struct rumpclient_fork *rf)
{
	int error, fd, pid;

	error = 0;
	pthread_mutex_lock(&cl.mtx);
	if (cl.forknext == rf)
		cl.forknext = NULL;
	if (!rf->rf_used) {	/* no fork(2) took it: vfork, clone */
		rf->rf_used = true;
		if (cl.fd != -1) {
			close(cl.fd);
			cl.fd = -1;
		}
		error = sp_connect(&cl.addr, cl.addrlen, SP_KIND_FORK,
		    rf->rf_cookie, &fd, &pid);
		if (error == 0)
			conn_set_locked(fd, pid);
	} else if (cl.fd == -1)
		error = ENOTCONN;
	pthread_mutex_unlock(&cl.mtx);
	free(rf);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

void
rumpclient_fork_cancel(struct rumpclient_fork *rf)
{

	pthread_mutex_lock(&cl.mtx);
	if (cl.forknext == rf)
		cl.forknext = NULL;
	pthread_mutex_unlock(&cl.mtx);
	free(rf);	/* the server forgets it with our connection */
}

pid_t
rumpclient_fork(void)
{
	struct rumpclient_fork *rf;
	pid_t pid;
	int error;

	rf = rumpclient_prefork();
	if (rf == NULL)
		return -1;
	pid = fork();
	if (pid == -1) {
		error = errno;
		rumpclient_fork_cancel(rf);
		errno = error;
		return -1;
	}
	if (pid == 0) {
		/* The atfork child handler connected (or could not). */
		free(rf);
		return 0;
	}
	free(rf);	/* atfork_parent forgot it */
	return pid;
}

int
rumpclient_exec(const char *path, char *const argv[], char *const envp[])
{
	char var[sizeof(EXECFD_ENV) + 16], **nenv;
	size_t i, j, n;
	int error, fd;

	pthread_mutex_lock(&cl.mtx);
	fd = cl.fd != -1 && !cl.dead ? cl.fd : -1;
	pthread_mutex_unlock(&cl.mtx);
	if (fd == -1)
		return execve(path, argv, envp);	/* nothing to keep */
	for (n = 0; envp[n] != NULL; n++)
		continue;
	nenv = malloc((n + 2) * sizeof(*nenv));
	if (nenv == NULL)
		return -1;
	snprintf(var, sizeof(var), EXECFD_ENV "=%d", fd);
	for (i = j = 0; i < n; i++)
		if (strncmp(envp[i], EXECFD_ENV "=", sizeof(EXECFD_ENV)) != 0)
			nenv[j++] = envp[i];
	nenv[j++] = var;
	nenv[j] = NULL;
	fcntl(fd, F_SETFD, 0);
	execve(path, argv, nenv);
	error = errno;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	free(nenv);
	errno = error;
	return -1;
}
