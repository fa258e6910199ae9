/*
 * sys_select.c: waiting for descriptors to become ready: poll, ppoll,
 * select and pselect6 with Linux's rules, and the kernel-wide
 * notification that they sleep on (select.h).
 *
 * One generation counter stands for "something may have become ready":
 * a pollable object (a pipe) calls selnotify() on every change of its
 * state.  A poll takes the generation, asks every descriptor's fo_poll,
 * and when nothing is ready sleeps until the generation moves or its
 * time is up, then asks again.  Because the generation is read before
 * the descriptors are, no change between the scan and the sleep is lost.
 * The wake-ups are broad (every poller looks again after any change),
 * which is cheap at the scale of a rump kernel.
 *
 * A rump kernel has no signals: ppoll and pselect6 check their signal
 * mask arguments as Linux does and then ignore them.
 *
 * Locking: sel_lock (a leaf, taken inside objects' own locks) protects
 * sel_generation; sel_cv is its condition.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/select.h>
#include <sys/syscallargs.h>
#include <sys/time.h>

#include "descrip_private.h"

/* What select's three sets mean as poll events (Linux's). */
#define POLLIN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET (POLLPRI)

#define SIGSET_SIZE 8		/* Linux's kernel sigset_t on x86-64 */
#define NFDBITS 64		/* bits in one word of an fd_set */
#define NO_TIMEOUT UINT64_MAX	/* a deadline that never comes */
/* Linux writes the time left back through a pointer the table calls
 * const. */
#define UNCONST(p) ((void *)(uintptr_t)(const void *)(p))

static kmutex_t sel_lock;
static kcondvar_t sel_cv;
static uint64_t sel_generation;		/* sel_lock */

void
sel_sys_init(void)
{

	mutex_init(&sel_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&sel_cv, "select");
	sel_generation = 0;
}

void
sel_sys_fini(void)
{

	cv_destroy(&sel_cv);
	mutex_destroy(&sel_lock);
}

void
selnotify(void)
{

	mutex_enter(&sel_lock);
	sel_generation++;
	cv_broadcast(&sel_cv);
	mutex_exit(&sel_lock);
}

uint64_t
selgen(void)
{
	uint64_t gen;

	mutex_enter(&sel_lock);
	gen = sel_generation;
	mutex_exit(&sel_lock);
	return gen;
}

int
selwait(uint64_t gen, uint64_t nsec)
{
	uint64_t now, deadline, left;
	int error = 0;

	deadline = NO_TIMEOUT;
	if (nsec != NO_TIMEOUT) {
		now = getnsmono();
		deadline = nsec < NO_TIMEOUT - now ? now + nsec :
		    NO_TIMEOUT - 1;
	}
	mutex_enter(&sel_lock);
	while (sel_generation == gen) {
		left = NO_TIMEOUT;
		if (deadline != NO_TIMEOUT) {
			if ((now = getnsmono()) >= deadline) {
				error = ETIMEDOUT;
				break;
			}
			left = deadline - now;
		}
		/* EINTR when the kernel halts. */
		if ((error = fd_cv_timedwait(&sel_cv, &sel_lock, left)) != 0)
			break;
	}
	mutex_exit(&sel_lock);
	return error;
}

/*
 * Deadlines: a timeout as an absolute monotonic time in nanoseconds,
 * NO_TIMEOUT for none, 0 for "do not wait".
 */
static int
timespec_to_deadline(const struct timespec *ts, uint64_t *deadlinep)
{
	uint64_t ns, now;

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NSEC_PER_SEC)
		return EINVAL;
	if (ts->tv_sec == 0 && ts->tv_nsec == 0) {
		*deadlinep = 0;
		return 0;
	}
	now = getnsmono();
	if ((uint64_t)ts->tv_sec > (NO_TIMEOUT - 1 - now) / NSEC_PER_SEC)
		ns = NO_TIMEOUT - 1 - now;	/* practically forever */
	else
		ns = (uint64_t)ts->tv_sec * NSEC_PER_SEC +
		    (uint64_t)ts->tv_nsec;
	*deadlinep = now + ns < NO_TIMEOUT ? now + ns : NO_TIMEOUT - 1;
	return 0;
}

/* The time left before deadline (a real one, not 0 or NO_TIMEOUT). */
static void
deadline_remaining(uint64_t deadline, struct timespec *ts)
{
	uint64_t now = getnsmono(), left;

	left = deadline > now ? deadline - now : 0;
	ts->tv_sec = (time_t)(left / NSEC_PER_SEC);
	ts->tv_nsec = (long)(left % NSEC_PER_SEC);
}

/*
 * Sleep for a change, or until the deadline: ETIMEDOUT when the deadline
 * has passed (the caller then looks one last time), EINTR at a halt.
 */
static int
wait_for_change(uint64_t gen, uint64_t deadline)
{
	uint64_t now;

	if (deadline == 0)
		return ETIMEDOUT;
	if (deadline == NO_TIMEOUT)
		return selwait(gen, NO_TIMEOUT);
	if ((now = getnsmono()) >= deadline)
		return ETIMEDOUT;
	return selwait(gen, deadline - now);
}

/* The events of fd among those asked, and POLLERR/POLLHUP; POLLNVAL
 * for a descriptor that is not open (or only an O_PATH one). */
static int
poll_one(int fd, int events)
{
	struct file *fp;
	int revents;

	if (fd_getfile(fd, &fp) != 0)
		return POLLNVAL;
	if (fp->f_flag & O_PATH) {
		fd_putfile(fp);
		return POLLNVAL;
	}
	events |= POLLERR | POLLHUP;
	revents = fp->f_ops->fo_poll(fp, events) & events;
	fd_putfile(fp);
	return revents;
}

static int
poll_scan(struct pollfd *fds, unsigned long nfds)
{
	unsigned long i;
	int n = 0;

	for (i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		fds[i].revents = (short)poll_one(fds[i].fd,
		    (unsigned short)fds[i].events);
		if (fds[i].revents != 0)
			n++;
	}
	return n;
}

static int
do_poll(struct pollfd *ufds, unsigned long nfds, uint64_t deadline,
    register_t *retval)
{
	struct filedesc *fdp = fd_table(NULL);
	struct pollfd *fds = NULL;
	size_t size = nfds * sizeof(*fds);
	uint64_t gen;
	bool last = false;
	int n, error = 0;

	/* Linux: more entries than RLIMIT_NOFILE allows descriptors. */
	if (fdp == NULL || nfds > (unsigned long)fd_nofile())
		return EINVAL;
	if (nfds > 0) {
		if ((fds = kmem_alloc(size, KM_SLEEP)) == NULL)
			return ENOMEM;
		if ((error = copyin(ufds, fds, size)) != 0)
			goto out;
	}
	for (;;) {
		gen = selgen();
		n = poll_scan(fds, nfds);
		if (n > 0 || last)
			break;
		if ((error = wait_for_change(gen, deadline)) == ETIMEDOUT)
			last = true;
		else if (error != 0)
			goto out;
	}
	error = 0;
	if (nfds > 0 && (error = copyout(fds, ufds, size)) != 0)
		goto out;
	retval[0] = n;
 out:
	if (fds != NULL)
		kmem_free(fds, size);
	return error;
}

int
sys_poll(struct lwp *l __unused, const struct sys_poll_args *uap,
    register_t *retval)
{
	int timeout = SCARG(uap, timeout);
	struct timespec ts;
	uint64_t deadline = NO_TIMEOUT;

	if (timeout >= 0) {
		ts.tv_sec = timeout / 1000;
		ts.tv_nsec = (long)(timeout % 1000) * 1000000L;
		(void)timespec_to_deadline(&ts, &deadline);
	}
	return do_poll(SCARG(uap, fds), SCARG(uap, nfds), deadline, retval);
}

int
sys_ppoll(struct lwp *l __unused, const struct sys_ppoll_args *uap,
    register_t *retval)
{
	struct timespec ts, *uts = UNCONST(SCARG(uap, tmo));
	uint64_t deadline = NO_TIMEOUT, sigset;
	int error;

	if (uts != NULL) {
		if ((error = copyin(uts, &ts, sizeof(ts))) != 0)
			return error;
		if ((error = timespec_to_deadline(&ts, &deadline)) != 0)
			return error;
	}
	if (SCARG(uap, sigmask) != NULL) {
		if (SCARG(uap, sigsetsize) != SIGSET_SIZE)
			return EINVAL;
		error = copyin(SCARG(uap, sigmask), &sigset, sizeof(sigset));
		if (error)
			return error;
	}
	error = do_poll(SCARG(uap, fds), SCARG(uap, nfds), deadline, retval);
	/* Linux writes the time left back; a fault there is ignored. */
	if (uts != NULL && deadline != 0) {
		deadline_remaining(deadline, &ts);
		(void)copyout(&ts, uts, sizeof(ts));
	}
	return error;
}

/*
 * select: three sets of nfds bits, nwords words each.  in[] holds what
 * was asked, out[] what is ready; a bad descriptor in any set fails the
 * call with EBADF.  The words follow the structure.
 */
struct selsets {
	size_t nwords;
	uint64_t *in[3];
	uint64_t *out[3];
};

static struct selsets *
selsets_alloc(int nfds)
{
	struct selsets *s;
	size_t nwords = MAX(howmany((size_t)nfds, NFDBITS), 1);
	uint64_t *w;
	int i;

	s = kmem_zalloc(sizeof(*s) + 6 * nwords * sizeof(uint64_t), KM_SLEEP);
	if (s == NULL)
		return NULL;
	s->nwords = nwords;
	w = (uint64_t *)(s + 1);
	for (i = 0; i < 3; i++) {
		s->in[i] = w + i * nwords;
		s->out[i] = w + (3 + i) * nwords;
	}
	return s;
}

static void
selsets_free(struct selsets *s)
{

	kmem_free(s, sizeof(*s) + 6 * s->nwords * sizeof(uint64_t));
}

static const int sel_events[3] = { POLLIN_SET, POLLOUT_SET, POLLEX_SET };

static int
select_scan(struct selsets *s, int nfds, int *np)
{
	struct file *fp;
	int fd, i, events, revents, n = 0;
	uint64_t bit;

	for (i = 0; i < 3; i++)
		memset(s->out[i], 0, s->nwords * sizeof(uint64_t));
	for (fd = 0; fd < nfds; fd++) {
		bit = 1ULL << (fd % NFDBITS);
		events = 0;
		for (i = 0; i < 3; i++)
			if (s->in[i][fd / NFDBITS] & bit)
				events |= sel_events[i];
		if (events == 0)
			continue;
		if (fd_getfile(fd, &fp) != 0)
			return EBADF;
		if (fp->f_flag & O_PATH) {
			fd_putfile(fp);
			return EBADF;
		}
		revents = fp->f_ops->fo_poll(fp, events | POLLERR | POLLHUP);
		fd_putfile(fp);
		for (i = 0; i < 3; i++) {
			if ((s->in[i][fd / NFDBITS] & bit) &&
			    (revents & sel_events[i])) {
				s->out[i][fd / NFDBITS] |= bit;
				n++;
			}
		}
	}
	*np = n;
	return 0;
}

static int
do_select(int nfds, void *usets[3], uint64_t deadline, register_t *retval)
{
	struct filedesc *fdp = fd_table(NULL);
	struct selsets *s;
	size_t nbytes;
	uint64_t gen;
	bool last = false;
	int i, n = 0, error = 0;

	if (nfds < 0 || fdp == NULL)
		return EINVAL;
	/* Linux ignores the bits past the table's slots: no descriptor
	 * there can be open. */
	mutex_enter(&fdp->fd_lock);
	if (nfds > fdp->fd_nfiles)
		nfds = fdp->fd_nfiles;
	mutex_exit(&fdp->fd_lock);
	nbytes = howmany((size_t)nfds, NFDBITS) * sizeof(uint64_t);
	if ((s = selsets_alloc(nfds)) == NULL)
		return ENOMEM;
	for (i = 0; i < 3; i++) {
		if (usets[i] == NULL)
			continue;
		if ((error = copyin(usets[i], s->in[i], nbytes)) != 0)
			goto out;
	}
	for (;;) {
		gen = selgen();
		if ((error = select_scan(s, nfds, &n)) != 0)
			goto out;
		if (n > 0 || last)
			break;
		if ((error = wait_for_change(gen, deadline)) == ETIMEDOUT)
			last = true;
		else if (error != 0)
			goto out;
	}
	error = 0;
	for (i = 0; i < 3; i++) {
		if (usets[i] == NULL)
			continue;
		if ((error = copyout(s->out[i], usets[i], nbytes)) != 0)
			goto out;
	}
	retval[0] = n;
 out:
	selsets_free(s);
	return error;
}

int
sys_select(struct lwp *l __unused, const struct sys_select_args *uap,
    register_t *retval)
{
	void *usets[3] = { SCARG(uap, readfds), SCARG(uap, writefds),
	    SCARG(uap, exceptfds) };
	struct timeval tv, *utv = SCARG(uap, timeout);
	struct timespec ts;
	uint64_t deadline = NO_TIMEOUT;
	int error;

	if (utv != NULL) {
		if ((error = copyin(utv, &tv, sizeof(tv))) != 0)
			return error;
		/* Linux carries whole seconds out of tv_usec; what stays
		 * negative is EINVAL. */
		ts.tv_sec = tv.tv_sec + tv.tv_usec / 1000000;
		ts.tv_nsec = (tv.tv_usec % 1000000) * 1000;
		if ((error = timespec_to_deadline(&ts, &deadline)) != 0)
			return error;
	}
	error = do_select(SCARG(uap, nfds), usets, deadline, retval);
	if (utv != NULL && deadline != 0) {
		deadline_remaining(deadline, &ts);
		tv.tv_sec = ts.tv_sec;
		tv.tv_usec = ts.tv_nsec / 1000;
		(void)copyout(&tv, utv, sizeof(tv));
	}
	return error;
}

int
sys_pselect6(struct lwp *l __unused, const struct sys_pselect6_args *uap,
    register_t *retval)
{
	void *usets[3] = { SCARG(uap, readfds), SCARG(uap, writefds),
	    SCARG(uap, exceptfds) };
	struct timespec ts, *uts = UNCONST(SCARG(uap, timeout));
	struct { void *ss; size_t ss_len; } sm;	/* the 6th argument */
	uint64_t deadline = NO_TIMEOUT, sigset;
	int error;

	if (uts != NULL) {
		if ((error = copyin(uts, &ts, sizeof(ts))) != 0)
			return error;
		if ((error = timespec_to_deadline(&ts, &deadline)) != 0)
			return error;
	}
	if (SCARG(uap, sigmask) != NULL) {
		if ((error = copyin(SCARG(uap, sigmask), &sm, sizeof(sm))) != 0)
			return error;
		if (sm.ss != NULL) {
			if (sm.ss_len != SIGSET_SIZE)
				return EINVAL;
			error = copyin(sm.ss, &sigset, sizeof(sigset));
			if (error)
				return error;
		}
	}
	error = do_select(SCARG(uap, nfds), usets, deadline, retval);
	if (uts != NULL && deadline != 0) {
		deadline_remaining(deadline, &ts);
		(void)copyout(&ts, uts, sizeof(ts));
	}
	return error;
}
