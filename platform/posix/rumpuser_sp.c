/*
 * rumpuser_sp.c: the system-call proxy server on a POSIX host: sockets,
 * frames and threads (rumpuser.h, "The system-call proxy"; the protocol
 * is docs/sysproxy.md).
 *
 * One acceptor thread waits for connections on the listening socket.
 * Each connection (struct sp_conn) has its own small set of threads,
 * which take turns at the socket: whoever holds the connection's read
 * token (cn_reading) reads one frame and acts on it.  A SYSCALL or
 * FORKPREP becomes a call (struct sp_call) on cn_pending, which the
 * thread that read it then runs in the kernel itself (hyp_sp_syscall),
 * giving the token back.  Nobody reads the socket while the call runs,
 * unless the call blocks: before a remote call's thread blocks in the
 * host, the kernel says so (rumpuser_sp_blocking), and an idle thread of
 * the connection, or a new one, takes over the socket meanwhile; what
 * unblocks the call may be another call of the same client.  So a call
 * that does not block costs no thread hand-over at all: the round trip
 * is the socket's.  A call's copies (rumpuser_sp_copy*) send the COPY
 * request, then wait for the answer, reading the socket themselves when
 * nobody else does; a SYSCALL that such a copy waiter reads goes to an
 * idle thread (or a new one).  A connection has at most 64 calls in
 * flight, so at most 66 threads or so.
 *
 * Every frame is checked (length, type, flags, payload size, that a COPY
 * answer was asked for) before anything trusts it; a bad one, an EOF or
 * a failed write kills the connection (cn_dead): the socket is shut
 * down, which wakes every thread blocked on it, waiting copies fail with
 * EFAULT, their calls end, and the last thread of the connection tears
 * it down: its unused fork cookies expire (hyp_sp_gone) and so does its
 * process (hyp_sp_gone).  No timeouts: a dead client's socket closes.
 *
 * Threads are joinable; an ending thread files itself on sp_zombies and
 * the acceptor or rumpuser_sp_fini joins it, so that fini returns only
 * when every server thread is gone.  The one exception is the thread
 * that runs a halt that a remote client asked for (detached: the halt
 * joins the server's threads).
 *
 * Locking: sp_lock (global: sp_conns, sp_nconns, sp_stopping, cookies)
 * before cn_lock (per connection: its calls, cn_dead, cn_reading,
 * cn_idle, cn_nthreads, the copy state of its calls); sp_zlock (thread
 * counting) is a leaf.  cn_rbuf belongs to the read token's holder.  cn_sendlock serialises writes of whole frames
 * and is taken without the others.  None is held while a thread is in
 * the kernel or blocked on the socket, except cn_sendlock across one
 * write.
 */

#include <sys/queue.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rumpuser_int.h"

#define SP_VERSION 1
#define SP_HDRLEN 16
#define SP_FRAME_MAX (SP_HDRLEN + 65536 + 64)
#define SP_MAXCLIENTS 1024
#define SP_MAXCALLS 64
#define SP_MAXCOOKIES 16
#define SP_COOKIELEN 16

enum sp_type {
	SP_HANDSHAKE = 1,
	SP_SYSCALL = 2,
	SP_FORKPREP = 3,
	SP_COPYDATA = 4,
	SP_COPYDONE = 5,
	SP_HANDSHAKE_R = 129,
	SP_SYSCALL_R = 130,
	SP_FORKPREP_R = 131,
	SP_COPYIN = 132,
	SP_COPYINSTR = 133,
	SP_COPYOUT = 134,
	SP_COPYOUTSTR = 135
};

#define SP_HANDSHAKE_LEN 52
#define SP_SYSCALL_LEN 56
#define SP_MAGIC "RUMPSP\0\1"

struct sp_conn;

struct sp_call {
	TAILQ_ENTRY(sp_call) c_all;	/* cn_lock: on cn_calls */
	TAILQ_ENTRY(sp_call) c_pend;	/* cn_lock: on cn_pending */
	struct sp_conn *c_conn;		/* c */
	uint64_t c_reqno;		/* c */
	uint16_t c_type;		/* c: SP_SYSCALL or SP_FORKPREP */
	uint32_t c_num;			/* c */
	int64_t c_args[6];		/* c */
	/* The copy in progress, cn_lock: */
	uint16_t c_copytype;		/* the request outstanding, or 0 */
	void *c_copybuf;		/* where COPYDATA goes */
	size_t c_copylen;		/* asked for */
	size_t c_copygot;		/* received */
	int c_copyerr;			/* the client's answer */
	bool c_copydone;		/* answered */
	bool c_copybusy;		/* a reader is filling c_copybuf */
	/* The running thread's own: */
	bool c_uncovered;		/* nobody may read the socket */
	bool c_incopy;			/* in sp_copy, which reads itself */
};

struct sp_cookie {
	uint8_t ck_bytes[SP_COOKIELEN];
	void *ck_kc;			/* the prepared child */
};

struct sp_conn {
	TAILQ_ENTRY(sp_conn) cn_link;	/* sp_lock */
	int cn_fd;			/* c */
	void *cn_kc;			/* c after the handshake */
	bool cn_handshaken;		/* c after the first thread set it */
	pthread_mutex_t cn_lock;
	pthread_cond_t cn_cv;		/* idle threads: work, or death */
	pthread_cond_t cn_copycv;	/* copy waiters: answers, the token */
	pthread_mutex_t cn_sendlock;
	bool cn_dead;			/* cn_lock */
	bool cn_reading;		/* cn_lock: a thread reads the socket */
	unsigned int cn_idle;		/* cn_lock: threads with nothing to do */
	unsigned int cn_tokenwaiters;	/* cn_lock: copy waiters asleep */
	unsigned int cn_nthreads;	/* cn_lock */
	unsigned int cn_ncalls;		/* cn_lock: in flight */
	TAILQ_HEAD(, sp_call) cn_calls;	  /* cn_lock */
	TAILQ_HEAD(, sp_call) cn_pending; /* cn_lock: no thread yet */
	struct sp_cookie cn_cookies[SP_MAXCOOKIES]; /* sp_lock */
	unsigned int cn_ncookies;	/* sp_lock */
	/* What was received and not yet used: the read token's holder. */
	size_t cn_rhead, cn_rtail;
	uint8_t cn_rbuf[512];
};

static pthread_mutex_t sp_lock = PTHREAD_MUTEX_INITIALIZER;
static TAILQ_HEAD(, sp_conn) sp_conns = TAILQ_HEAD_INITIALIZER(sp_conns);
static unsigned int sp_nconns;		/* sp_lock */
static bool sp_serving;			/* sp_lock */
static bool sp_stopping;		/* sp_lock */
static int sp_listenfd = -1;		/* c while serving */
static int sp_wakefd[2] = { -1, -1 };	/* c: wakes the acceptor */
static pthread_t sp_acceptor;		/* c */
static char sp_unixpath[sizeof(((struct sockaddr_un *)0)->sun_path)];
static bool sp_tcp;			/* c */

static pthread_mutex_t sp_zlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sp_zcv = PTHREAD_COND_INITIALIZER;
static unsigned int sp_nthreads;	/* sp_zlock: connection threads */
static pthread_t *sp_zombies;		/* sp_zlock: ended, to be joined */
static size_t sp_nzombies, sp_zcap;	/* sp_zlock */

static void *sp_conn_thread(void *);

/*
 * Frames.
 */

static void
put16(uint8_t *p, uint16_t v)
{
	v = htole16(v);
	memcpy(p, &v, 2);
}

static void
put32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

static void
put64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}

static uint16_t
get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return le16toh(v);
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

/*
 * Read exactly len bytes of cn's stream, with the read token: 0, or -1
 * on EOF or an error.  Small frames come through cn_rbuf, so that one
 * recv usually brings a whole frame; large reads go straight to buf.
 */
static int
read_full(struct sp_conn *cn, void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t k;
	ssize_t n;

	while (len > 0) {
		if (cn->cn_rhead < cn->cn_rtail) {
			k = cn->cn_rtail - cn->cn_rhead;
			if (k > len)
				k = len;
			memcpy(p, cn->cn_rbuf + cn->cn_rhead, k);
			cn->cn_rhead += k;
			p += k;
			len -= k;
			continue;
		}
		if (len < sizeof(cn->cn_rbuf)) {
			n = recv(cn->cn_fd, cn->cn_rbuf, sizeof(cn->cn_rbuf), 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return -1;
			cn->cn_rhead = 0;
			cn->cn_rtail = (size_t)n;
			continue;
		}
		n = recv(cn->cn_fd, p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Send one frame: a header and up to two pieces of payload.  0 or -1. */
static int
sp_send(struct sp_conn *cn, uint16_t type, uint64_t reqno, const void *p1,
    size_t l1, const void *p2, size_t l2)
{
	uint8_t hdr[SP_HDRLEN];
	struct iovec iov[3];
	struct msghdr msg;
	ssize_t n;
	int rv = 0;

	put32(hdr, (uint32_t)(SP_HDRLEN + l1 + l2));
	put16(hdr + 4, type);
	put16(hdr + 6, 0);
	put64(hdr + 8, reqno);
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = (void *)(uintptr_t)p1;
	iov[1].iov_len = l1;
	iov[2].iov_base = (void *)(uintptr_t)p2;
	iov[2].iov_len = l2;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = 3;

	pthread_mutex_lock(&cn->cn_sendlock);
	while (msg.msg_iovlen > 0) {
		n = sendmsg(cn->cn_fd, &msg, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rv = -1;
			break;
		}
		/* Skip what went out. */
		while (msg.msg_iovlen > 0 && (size_t)n >= msg.msg_iov->iov_len) {
			n -= (ssize_t)msg.msg_iov->iov_len;
			msg.msg_iov++;
			msg.msg_iovlen--;
		}
		if (msg.msg_iovlen > 0) {
			msg.msg_iov->iov_base = (uint8_t *)msg.msg_iov->iov_base + n;
			msg.msg_iov->iov_len -= (size_t)n;
		}
	}
	pthread_mutex_unlock(&cn->cn_sendlock);
	return rv;
}

/*
 * Threads.
 */

/* The connection is dead: wake whoever sleeps on it.  cn_lock held. */
static void
sp_kill_locked(struct sp_conn *cn)
{

	if (!cn->cn_dead) {
		__atomic_store_n(&cn->cn_dead, true, __ATOMIC_RELAXED);
		shutdown(cn->cn_fd, SHUT_RDWR);
	}
	pthread_cond_broadcast(&cn->cn_cv);
	pthread_cond_broadcast(&cn->cn_copycv);
}

/* The read token is free again: a waiting copy may want it.  cn_lock. */
static void
sp_token_released(struct sp_conn *cn)
{

	cn->cn_reading = false;
	if (cn->cn_tokenwaiters > 0)
		pthread_cond_broadcast(&cn->cn_copycv);
}

static void
sp_kill(struct sp_conn *cn)
{

	pthread_mutex_lock(&cn->cn_lock);
	sp_kill_locked(cn);
	pthread_mutex_unlock(&cn->cn_lock);
}

/* Join the threads that have ended.  No lock held. */
static void
sp_reap(void)
{
	pthread_t *z;
	size_t n, i;

	pthread_mutex_lock(&sp_zlock);
	z = sp_zombies;
	n = sp_nzombies;
	sp_zombies = NULL;
	sp_nzombies = sp_zcap = 0;
	pthread_mutex_unlock(&sp_zlock);
	for (i = 0; i < n; i++)
		pthread_join(z[i], NULL);
	free(z);
}

/* Start one more thread for cn.  cn_lock held (or cn not yet shared). */
static int
sp_spawn(struct sp_conn *cn)
{
	pthread_t t;

	pthread_mutex_lock(&sp_zlock);
	sp_nthreads++;
	pthread_mutex_unlock(&sp_zlock);
	cn->cn_nthreads++;
	if (pthread_create(&t, NULL, sp_conn_thread, cn) != 0) {
		cn->cn_nthreads--;
		pthread_mutex_lock(&sp_zlock);
		sp_nthreads--;
		pthread_cond_broadcast(&sp_zcv);
		pthread_mutex_unlock(&sp_zlock);
		return -1;
	}
	return 0;
}

/* The calling connection thread ends: file it for joining. */
static void
sp_thread_done(void)
{
	pthread_t *z;

	pthread_mutex_lock(&sp_zlock);
	if (sp_nzombies == sp_zcap) {
		z = realloc(sp_zombies, (sp_zcap * 2 + 16) * sizeof(*z));
		if (z == NULL) {
			/* Cannot file it: let it go unjoined. */
			pthread_detach(pthread_self());
			goto out;
		}
		sp_zombies = z;
		sp_zcap = sp_zcap * 2 + 16;
	}
	sp_zombies[sp_nzombies++] = pthread_self();
 out:
	sp_nthreads--;
	pthread_cond_broadcast(&sp_zcv);
	pthread_mutex_unlock(&sp_zlock);
}

/* A call in cn's list with this reqno.  cn_lock held. */
static struct sp_call *
sp_findcall(struct sp_conn *cn, uint64_t reqno)
{
	struct sp_call *c;

	TAILQ_FOREACH(c, &cn->cn_calls, c_all)
		if (c->c_reqno == reqno)
			return c;
	return NULL;
}

/*
 * Read and act on one frame, with the read token held (cn_lock not).
 * inmain: the caller will run a new call itself.  0, or -1: drop cn.
 */
static int
sp_read_frame(struct sp_conn *cn, bool inmain)
{
	uint8_t hdr[SP_HDRLEN], pl[SP_SYSCALL_LEN];
	struct sp_call *c;
	uint32_t len, plen, nargs, i;
	uint16_t type;
	uint64_t reqno;
	int32_t err;

	if (read_full(cn, hdr, sizeof(hdr)) != 0)
		return -1;
	len = get32(hdr);
	type = get16(hdr + 4);
	reqno = get64(hdr + 8);
	if (len < SP_HDRLEN || len > SP_FRAME_MAX || get16(hdr + 6) != 0)
		return -1;
	plen = len - SP_HDRLEN;

	switch (type) {
	case SP_SYSCALL:
	case SP_FORKPREP:
		if (plen != (type == SP_SYSCALL ? SP_SYSCALL_LEN : 0))
			return -1;
		if (plen > 0 && read_full(cn, pl, plen) != 0)
			return -1;
		if ((c = calloc(1, sizeof(*c))) == NULL)
			return -1;
		c->c_conn = cn;
		c->c_reqno = reqno;
		c->c_type = type;
		if (type == SP_SYSCALL) {
			c->c_num = get32(pl);
			nargs = get32(pl + 4);
			if (nargs > 6) {
				free(c);
				return -1;
			}
			for (i = 0; i < nargs; i++)
				c->c_args[i] = (int64_t)get64(pl + 8 + 8 * i);
		}
		pthread_mutex_lock(&cn->cn_lock);
		if (sp_findcall(cn, reqno) != NULL) {
			pthread_mutex_unlock(&cn->cn_lock);
			free(c);
			return -1;
		}
		if (cn->cn_ncalls >= SP_MAXCALLS) {
			pthread_mutex_unlock(&cn->cn_lock);
			free(c);
			/* Both replies: error, 0, then 16 bytes of zeros. */
			memset(pl, 0, 24);
			put32(pl, EAGAIN);
			return sp_send(cn, type == SP_SYSCALL ? SP_SYSCALL_R :
			    SP_FORKPREP_R, reqno, pl, 24, NULL, 0);
		}
		cn->cn_ncalls++;
		TAILQ_INSERT_TAIL(&cn->cn_calls, c, c_all);
		TAILQ_INSERT_TAIL(&cn->cn_pending, c, c_pend);
		/* A copy waiter read it: some other thread must run it. */
		if (!inmain) {
			if (cn->cn_idle > 0)
				pthread_cond_signal(&cn->cn_cv);
			else if (sp_spawn(cn) != 0) {
				pthread_mutex_unlock(&cn->cn_lock);
				return -1;
			}
		}
		pthread_mutex_unlock(&cn->cn_lock);
		return 0;

	case SP_COPYDATA:
	case SP_COPYDONE:
		if (plen < 8 || (type == SP_COPYDONE && plen != 8))
			return -1;
		if (read_full(cn, pl, 8) != 0)
			return -1;
		err = (int32_t)get32(pl);
		if (get32(pl + 4) != 0 || err < 0)
			return -1;
		plen -= 8;
		pthread_mutex_lock(&cn->cn_lock);
		c = sp_findcall(cn, reqno);
		if (c == NULL || c->c_copydone || (type == SP_COPYDATA ?
		    c->c_copytype != SP_COPYIN && c->c_copytype != SP_COPYINSTR :
		    c->c_copytype != SP_COPYOUT &&
		    c->c_copytype != SP_COPYOUTSTR))
			goto bad;
		if (type == SP_COPYDATA) {
			if (plen > c->c_copylen)
				goto bad;
			if (err == 0 && c->c_copytype == SP_COPYIN &&
			    plen != c->c_copylen)
				goto bad;
			if (err == 0 && c->c_copytype == SP_COPYINSTR &&
			    plen == 0)
				goto bad;
			/* The waiter keeps its buffer until we are done. */
			c->c_copybusy = true;
			pthread_mutex_unlock(&cn->cn_lock);
			if (plen > 0 &&
			    read_full(cn, c->c_copybuf, plen) != 0) {
				pthread_mutex_lock(&cn->cn_lock);
				c->c_copybusy = false;
				goto bad;
			}
			pthread_mutex_lock(&cn->cn_lock);
			c->c_copybusy = false;
			if (err == 0 && c->c_copytype == SP_COPYINSTR &&
			    plen < c->c_copylen &&
			    ((uint8_t *)c->c_copybuf)[plen - 1] != '\0')
				goto bad;
		}
		c->c_copygot = plen;
		c->c_copyerr = err == 0 ? 0 : EFAULT;
		c->c_copydone = true;
		pthread_cond_broadcast(&cn->cn_copycv);
		pthread_mutex_unlock(&cn->cn_lock);
		return 0;
	bad:
		pthread_cond_broadcast(&cn->cn_copycv);
		pthread_mutex_unlock(&cn->cn_lock);
		return -1;

	default:		/* a second HANDSHAKE, a reply type, junk */
		return -1;
	}
}

/* The thread that runs a halt a remote client asked for. */
static void *
sp_halt_thread(void *arg)
{

	(void)arg;
	rumpuser__hyp->hyp_sp_halt();
	return NULL;
}

/* Run call c in the kernel and answer it; then c is gone. */
static void
sp_run_call(struct sp_conn *cn, struct sp_call *c)
{
	uint8_t out[24];
	int64_t rv[2] = { 0, 0 };
	void *child = NULL;
	pthread_t t;
	int error, halt = 0;

	memset(out, 0, sizeof(out));
	if (c->c_type == SP_FORKPREP) {
		pthread_mutex_lock(&sp_lock);
		error = cn->cn_ncookies >= SP_MAXCOOKIES ? EAGAIN : 0;
		pthread_mutex_unlock(&sp_lock);
		if (error == 0 && getrandom(out + 8, SP_COOKIELEN, 0) !=
		    SP_COOKIELEN)
			error = EAGAIN;
		if (error == 0)
			error = rumpuser__hyp->hyp_sp_fork(cn->cn_kc, &child);
		if (error == 0) {
			/* Filed under sp_lock: the teardown expires it. */
			pthread_mutex_lock(&sp_lock);
			if (cn->cn_ncookies < SP_MAXCOOKIES) {
				memcpy(cn->cn_cookies[cn->cn_ncookies].ck_bytes,
				    out + 8, SP_COOKIELEN);
				cn->cn_cookies[cn->cn_ncookies++].ck_kc = child;
				child = NULL;
			} else
				error = EAGAIN;
			pthread_mutex_unlock(&sp_lock);
			if (child != NULL)
				rumpuser__hyp->hyp_sp_gone(child);
		}
		if (error)
			memset(out + 8, 0, SP_COOKIELEN);
	} else {
		c->c_uncovered = true;
		error = rumpuser__hyp->hyp_sp_syscall(cn->cn_kc, c, (int)c->c_num,
		    c->c_args, rv, &halt);
		put64(out + 8, (uint64_t)rv[0]);
		put64(out + 16, (uint64_t)rv[1]);
	}
	put32(out, (uint32_t)error);

	/* Out of the list first: the client may reuse reqno at once. */
	pthread_mutex_lock(&cn->cn_lock);
	TAILQ_REMOVE(&cn->cn_calls, c, c_all);
	cn->cn_ncalls--;
	pthread_mutex_unlock(&cn->cn_lock);
	if (sp_send(cn, c->c_type == SP_FORKPREP ? SP_FORKPREP_R :
	    SP_SYSCALL_R, c->c_reqno, out, sizeof(out), NULL, 0) != 0)
		sp_kill(cn);
	free(c);
	if (halt && pthread_create(&t, NULL, sp_halt_thread, NULL) == 0)
		pthread_detach(t);
}

/*
 * The handshake, on the connection's first thread.  0, or -1: drop the
 * connection (after answering, where the protocol says so).
 */
static int
sp_handshake(struct sp_conn *cn)
{
	uint8_t hdr[SP_HDRLEN], pl[SP_HANDSHAKE_LEN], out[12];
	const uint8_t *cookie;
	uint32_t version, kind;
	void *child = NULL;
	unsigned int i;
	struct sp_conn *o;
	bool dead;
	int error = 0, pid = 0;

	if (read_full(cn, hdr, sizeof(hdr)) != 0 ||
	    get32(hdr) != SP_HDRLEN + SP_HANDSHAKE_LEN ||
	    get16(hdr + 4) != SP_HANDSHAKE || get16(hdr + 6) != 0 ||
	    read_full(cn, pl, sizeof(pl)) != 0 ||
	    memcmp(pl, SP_MAGIC, 8) != 0)
		return -1;
	version = get32(pl + 8);
	kind = get32(pl + 12);
	cookie = pl + 16;
	if (version != SP_VERSION)
		error = EPROTONOSUPPORT;
	else if (kind == 2)
		error = EOPNOTSUPP;
	else if (kind > 2)
		error = EINVAL;
	else if (kind == 1) {
		error = ESRCH;
		pthread_mutex_lock(&sp_lock);
		TAILQ_FOREACH(o, &sp_conns, cn_link) {
			/* A dead parent's cookies have expired. */
			pthread_mutex_lock(&o->cn_lock);
			dead = o->cn_dead;
			pthread_mutex_unlock(&o->cn_lock);
			for (i = 0; i < o->cn_ncookies && !dead; i++) {
				if (memcmp(o->cn_cookies[i].ck_bytes, cookie,
				    SP_COOKIELEN) != 0)
					continue;
				child = o->cn_cookies[i].ck_kc;
				o->cn_cookies[i] =
				    o->cn_cookies[--o->cn_ncookies];
				error = 0;
				break;
			}
			if (error == 0)
				break;
		}
		pthread_mutex_unlock(&sp_lock);
	}
	if (error == 0) {
		error = rumpuser__hyp->hyp_sp_connect(child, &cn->cn_kc, &pid);
		if (error != 0 && child != NULL)
			rumpuser__hyp->hyp_sp_gone(child);
	}
	if (error != 0) {
		cn->cn_kc = NULL;
		pid = 0;
	}
	put32(out, (uint32_t)error);
	put32(out + 4, SP_VERSION);
	put32(out + 8, (uint32_t)pid);
	if (sp_send(cn, SP_HANDSHAKE_R, get64(hdr + 8), out, sizeof(out),
	    NULL, 0) != 0 || error != 0)
		return -1;
	return 0;
}

/* The last thread of cn is gone: end the client.  No lock held. */
static void
sp_teardown(struct sp_conn *cn)
{
	struct sp_cookie ck[SP_MAXCOOKIES];
	struct sp_call *c;
	unsigned int i, n;

	pthread_mutex_lock(&sp_lock);
	TAILQ_REMOVE(&sp_conns, cn, cn_link);
	sp_nconns--;
	n = cn->cn_ncookies;
	memcpy(ck, cn->cn_cookies, n * sizeof(ck[0]));
	cn->cn_ncookies = 0;
	pthread_mutex_unlock(&sp_lock);

	for (i = 0; i < n; i++)
		rumpuser__hyp->hyp_sp_gone(ck[i].ck_kc);
	if (cn->cn_kc != NULL)
		rumpuser__hyp->hyp_sp_gone(cn->cn_kc);
	while ((c = TAILQ_FIRST(&cn->cn_pending)) != NULL) {
		TAILQ_REMOVE(&cn->cn_pending, c, c_pend);
		TAILQ_REMOVE(&cn->cn_calls, c, c_all);
		free(c);
	}
	close(cn->cn_fd);
	pthread_mutex_destroy(&cn->cn_lock);
	pthread_mutex_destroy(&cn->cn_sendlock);
	pthread_cond_destroy(&cn->cn_cv);
	pthread_cond_destroy(&cn->cn_copycv);
	free(cn);
}

static void *
sp_conn_thread(void *arg)
{
	struct sp_conn *cn = arg;
	struct sp_call *c;
	bool last;
	int r;

	if (!cn->cn_handshaken) {
		cn->cn_handshaken = true;
		if (sp_handshake(cn) != 0)
			sp_kill(cn);
	}
	pthread_mutex_lock(&cn->cn_lock);
	for (;;) {
		if (cn->cn_dead)
			break;
		if ((c = TAILQ_FIRST(&cn->cn_pending)) != NULL) {
			TAILQ_REMOVE(&cn->cn_pending, c, c_pend);
			/* Nobody may read while it runs: see c_uncovered. */
			pthread_mutex_unlock(&cn->cn_lock);
			sp_run_call(cn, c);
			pthread_mutex_lock(&cn->cn_lock);
			continue;
		}
		if (!cn->cn_reading) {
			cn->cn_reading = true;
			pthread_mutex_unlock(&cn->cn_lock);
			r = sp_read_frame(cn, true);
			pthread_mutex_lock(&cn->cn_lock);
			sp_token_released(cn);
			if (r != 0)
				sp_kill_locked(cn);
			continue;
		}
		cn->cn_idle++;
		pthread_cond_wait(&cn->cn_cv, &cn->cn_lock);
		cn->cn_idle--;
	}
	last = --cn->cn_nthreads == 0;
	pthread_cond_broadcast(&cn->cn_cv);
	pthread_mutex_unlock(&cn->cn_lock);
	if (last)
		sp_teardown(cn);
	sp_thread_done();
	return NULL;
}

/*
 * Copies, on the thread of a call in the kernel (with a virtual CPU,
 * which the wait gives up).
 */
static int
sp_copy(void *call, uint16_t type, const void *uaddr, void *kbuf,
    const void *kout, size_t len, size_t *gotp)
{
	struct sp_call *c = call;
	struct sp_conn *cn = c->c_conn;
	uint8_t req[16];
	int error, r;

	if (len == 0 || len > RUMPUSER_SP_COPYMAX)
		return EFAULT;
	put64(req, (uint64_t)(uintptr_t)uaddr);
	put64(req + 8, len);
	/* This thread reads for itself while it waits: no hand-over. */
	c->c_incopy = true;
	rumpuser__hyp->hyp_backend_unschedule();
	pthread_mutex_lock(&cn->cn_lock);
	if (cn->cn_dead) {
		pthread_mutex_unlock(&cn->cn_lock);
		error = EFAULT;
		goto out;
	}
	c->c_copytype = type;
	c->c_copybuf = kbuf;
	c->c_copylen = len;
	c->c_copygot = 0;
	c->c_copyerr = 0;
	c->c_copydone = false;
	pthread_mutex_unlock(&cn->cn_lock);

	r = sp_send(cn, type, c->c_reqno, req, sizeof(req), kout,
	    kout != NULL ? len : 0);

	pthread_mutex_lock(&cn->cn_lock);
	if (r != 0)
		sp_kill_locked(cn);
	while (!c->c_copydone && (!cn->cn_dead || c->c_copybusy)) {
		if (!cn->cn_dead && !cn->cn_reading) {
			cn->cn_reading = true;
			pthread_mutex_unlock(&cn->cn_lock);
			r = sp_read_frame(cn, false);
			pthread_mutex_lock(&cn->cn_lock);
			sp_token_released(cn);
			if (r != 0)
				sp_kill_locked(cn);
			continue;
		}
		cn->cn_tokenwaiters++;
		pthread_cond_wait(&cn->cn_copycv, &cn->cn_lock);
		cn->cn_tokenwaiters--;
	}
	if (c->c_copydone) {
		error = c->c_copyerr;
		if (gotp != NULL)
			*gotp = c->c_copygot;
	} else
		error = EFAULT;
	c->c_copytype = 0;
	c->c_copydone = false;
	pthread_mutex_unlock(&cn->cn_lock);
 out:
	rumpuser__hyp->hyp_backend_schedule();
	c->c_incopy = false;
	c->c_uncovered = true;	/* back to the call */
	return error;
}

/*
 * The thread that runs call is about to block in the kernel: make sure
 * that somebody reads the socket meanwhile (a copy waiter, an idle
 * thread, or a new one), since what unblocks the call may be another
 * call of the same client.  Only the first time: afterwards some thread
 * reads, or will once it has acted on the frame it read.
 */
void
rumpuser_sp_blocking(void *call)
{
	struct sp_call *c = call;
	struct sp_conn *cn = c->c_conn;

	if (c->c_incopy || !c->c_uncovered)
		return;
	c->c_uncovered = false;
	pthread_mutex_lock(&cn->cn_lock);
	if (!cn->cn_dead && !cn->cn_reading) {
		if (cn->cn_tokenwaiters > 0)
			pthread_cond_broadcast(&cn->cn_copycv);
		else if (cn->cn_idle > 0)
			pthread_cond_signal(&cn->cn_cv);
		else if (sp_spawn(cn) != 0)
			sp_kill_locked(cn);
	}
	pthread_mutex_unlock(&cn->cn_lock);
}

int
rumpuser_sp_dropped(void *call)
{
	struct sp_call *c = call;

	return __atomic_load_n(&c->c_conn->cn_dead, __ATOMIC_RELAXED);
}

int
rumpuser_sp_copyin(void *call, const void *uaddr, void *kaddr, size_t len)
{

	return sp_copy(call, SP_COPYIN, uaddr, kaddr, NULL, len, NULL);
}

int
rumpuser_sp_copyinstr(void *call, const void *uaddr, void *kaddr,
    size_t maxlen, size_t *donep)
{

	return sp_copy(call, SP_COPYINSTR, uaddr, kaddr, NULL, maxlen, donep);
}

int
rumpuser_sp_copyout(void *call, const void *kaddr, void *uaddr, size_t len)
{

	return sp_copy(call, SP_COPYOUT, uaddr, NULL, kaddr, len, NULL);
}

int
rumpuser_sp_copyoutstr(void *call, const void *kaddr, void *uaddr,
    size_t len)
{

	return sp_copy(call, SP_COPYOUTSTR, uaddr, NULL, kaddr, len, NULL);
}

/*
 * Listening.
 */

static void *
sp_accept_thread(void *arg)
{
	struct pollfd pfd[2];
	struct sp_conn *cn;
	int fd, one = 1;

	(void)arg;
	for (;;) {
		pfd[0].fd = sp_listenfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = sp_wakefd[0];
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents != 0)
			break;
		sp_reap();
		if (!(pfd[0].revents & POLLIN))
			continue;
		fd = accept4(sp_listenfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				usleep(10000);
			continue;
		}
		fd = rumpuser__fdhigh(fd);
		if (sp_tcp)
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
			    sizeof(one));
		pthread_mutex_lock(&sp_lock);
		if (sp_stopping || sp_nconns >= SP_MAXCLIENTS ||
		    (cn = calloc(1, sizeof(*cn))) == NULL) {
			pthread_mutex_unlock(&sp_lock);
			close(fd);
			continue;
		}
		cn->cn_fd = fd;
		pthread_mutex_init(&cn->cn_lock, NULL);
		pthread_mutex_init(&cn->cn_sendlock, NULL);
		pthread_cond_init(&cn->cn_cv, NULL);
		pthread_cond_init(&cn->cn_copycv, NULL);
		TAILQ_INIT(&cn->cn_calls);
		TAILQ_INIT(&cn->cn_pending);
		TAILQ_INSERT_TAIL(&sp_conns, cn, cn_link);
		sp_nconns++;
		if (sp_spawn(cn) != 0) {
			TAILQ_REMOVE(&sp_conns, cn, cn_link);
			sp_nconns--;
			pthread_mutex_destroy(&cn->cn_lock);
			pthread_mutex_destroy(&cn->cn_sendlock);
			pthread_cond_destroy(&cn->cn_cv);
			pthread_cond_destroy(&cn->cn_copycv);
			free(cn);
			close(fd);
		}
		pthread_mutex_unlock(&sp_lock);
	}
	return NULL;
}

/* unix://PATH: replace a dead socket, refuse a live one. */
static int
sp_listen_unix(const char *path, int *fdp)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, error;

	if (path[0] == '\0')
		return EINVAL;
	if (strlen(path) >= sizeof(sun.sun_path))
		return ENAMETOOLONG;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);

	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return EEXIST;
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    0);
		if (fd < 0)
			return errno;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 ||
		    errno == EAGAIN || errno == EINPROGRESS) {
			close(fd);
			return EADDRINUSE;
		}
		error = errno;
		close(fd);
		if (error != ECONNREFUSED && error != ENOENT)
			return error;
		if (unlink(path) != 0 && errno != ENOENT)
			return errno;
	} else if (errno != ENOENT)
		return errno;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) < 0)
		return errno;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		error = errno;
		close(fd);
		return error;
	}
	/* Nobody can connect before listen: no window at the umask's mode. */
	if (chmod(path, 0600) != 0 || listen(fd, 128) != 0) {
		error = errno;
		unlink(path);
		close(fd);
		return error;
	}
	strcpy(sp_unixpath, path);
	*fdp = fd;
	return 0;
}

/* tcp://1.2.3.4:PORT or tcp://[::1]:PORT, numeric only. */
static int
sp_listen_tcp(const char *hostport, int *fdp)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	char host[64];
	const char *colon, *h = hostport, *e;
	unsigned long port;
	char *end;
	size_t hl;
	socklen_t sl;
	int fd, one = 1, error;

	if (*h == '[') {
		if ((e = strchr(h, ']')) == NULL || e[1] != ':')
			return EINVAL;
		h++;
		hl = (size_t)(e - h);
		colon = e + 1;
	} else {
		if ((colon = strrchr(h, ':')) == NULL)
			return EINVAL;
		hl = (size_t)(colon - h);
	}
	if (hl == 0 || hl >= sizeof(host))
		return EINVAL;
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (colon[1] < '0' || colon[1] > '9')
		return EINVAL;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || errno != 0 || port > 65535)
		return EINVAL;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sl = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*sin6);
	} else
		return EINVAL;

	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) < 0)
		return errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 128) != 0) {
		error = errno;
		close(fd);
		return error;
	}
	sp_tcp = true;
	*fdp = fd;
	return 0;
}

int
rumpuser_sp_init(const char *url)
{
	int error, fd = -1;

	pthread_mutex_lock(&sp_lock);
	if (sp_serving) {
		error = EBUSY;
		goto out;
	}
	sp_unixpath[0] = '\0';
	sp_tcp = false;
	if (strncmp(url, "unix://", 7) == 0)
		error = sp_listen_unix(url + 7, &fd);
	else if (strncmp(url, "tcp://", 6) == 0)
		error = sp_listen_tcp(url + 6, &fd);
	else
		error = EINVAL;
	if (error)
		goto out;
	if (pipe2(sp_wakefd, O_CLOEXEC) != 0) {
		error = errno;
		goto fail;
	}
	sp_wakefd[0] = rumpuser__fdhigh(sp_wakefd[0]);
	sp_wakefd[1] = rumpuser__fdhigh(sp_wakefd[1]);
	sp_listenfd = fd = rumpuser__fdhigh(fd);
	sp_stopping = false;
	if ((error = pthread_create(&sp_acceptor, NULL, sp_accept_thread,
	    NULL)) != 0) {
		close(sp_wakefd[0]);
		close(sp_wakefd[1]);
		sp_listenfd = -1;
		goto fail;
	}
	sp_serving = true;
	goto out;
 fail:
	close(fd);
	if (sp_unixpath[0] != '\0')
		unlink(sp_unixpath);
 out:
	pthread_mutex_unlock(&sp_lock);
	return error;
}

void
rumpuser_sp_stop(void)
{
	struct sp_conn *cn;
	ssize_t n;

	pthread_mutex_lock(&sp_lock);
	if (sp_serving && !sp_stopping) {
		sp_stopping = true;
		do
			n = write(sp_wakefd[1], "x", 1);
		while (n < 0 && errno == EINTR);
		TAILQ_FOREACH(cn, &sp_conns, cn_link)
			sp_kill(cn);
	}
	pthread_mutex_unlock(&sp_lock);
}

void
rumpuser_sp_fini(void)
{

	pthread_mutex_lock(&sp_lock);
	if (!sp_serving) {
		pthread_mutex_unlock(&sp_lock);
		return;
	}
	pthread_mutex_unlock(&sp_lock);
	rumpuser_sp_stop();
	pthread_join(sp_acceptor, NULL);
	pthread_mutex_lock(&sp_zlock);
	while (sp_nthreads > 0)
		pthread_cond_wait(&sp_zcv, &sp_zlock);
	pthread_mutex_unlock(&sp_zlock);
	sp_reap();

	pthread_mutex_lock(&sp_lock);
	close(sp_listenfd);
	sp_listenfd = -1;
	close(sp_wakefd[0]);
	close(sp_wakefd[1]);
	sp_wakefd[0] = sp_wakefd[1] = -1;
	if (sp_unixpath[0] != '\0')
		unlink(sp_unixpath);
	sp_unixpath[0] = '\0';
	sp_serving = false;
	sp_stopping = false;
	pthread_mutex_unlock(&sp_lock);
}
