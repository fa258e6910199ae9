/*
 * kern_synch.c: mutexes, reader/writer locks and condition variables over
 * the host's (rumpuser_mutex_*, _rw_*, _cv_*).
 *
 * The blocking forms of the hypercalls give up the virtual CPU while they
 * wait (see rumpuser.h), so a thread waiting for a lock or a condition
 * never keeps other threads out of the kernel.  Spin mutexes are taken
 * without that: they guard short sections that never sleep.
 *
 * Owners are recorded so that mutex_owned() and rw_write_held() answer
 * for the calling lwp, and DIAGNOSTIC builds catch a lock released by a
 * thread that does not hold it, a recursive enter, and a wait with the
 * wrong mutex, and lockdebug (lockdebug.h) catches lock order reversals.
 * A host lock that cannot be allocated is a panic: the
 * kernel cannot go on without its locks.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/lockdebug.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/condvar.h>
#include <rump/rumpuser.h>

/*
 * The owner field is written by the holder and read by anyone (the
 * "locking against myself" and mutex_owned checks): relaxed atomics, since
 * a reader only ever compares it with its own lwp.
 */
static inline struct lwp *
mutex_owner(const kmutex_t *mtx)
{

	return __atomic_load_n(&mtx->mtx_owner, __ATOMIC_RELAXED);
}

static inline void
mutex_set_owner(kmutex_t *mtx, struct lwp *l)
{

	__atomic_store_n(&mtx->mtx_owner, l, __ATOMIC_RELAXED);
}

void
mutex_init(kmutex_t *mtx, kmutex_type_t type, int ipl __unused)
{
	int flags = RUMPUSER_MTX_KMUTEX;

	if (type == MUTEX_SPIN)
		flags |= RUMPUSER_MTX_SPIN;
	if (rumpuser_mutex_init(&mtx->mtx_host, flags) != 0)
		panic("mutex_init: no host memory for a mutex");
	mutex_set_owner(mtx, NULL);
	mtx->mtx_type = type;
	mtx->mtx_class = lockdebug_class(__builtin_return_address(0));
}

void
mutex_destroy(kmutex_t *mtx)
{

	KASSERTMSG(mutex_owner(mtx) == NULL, "mutex_destroy: %p is held", mtx);
	rumpuser_mutex_destroy(mtx->mtx_host);
	mtx->mtx_host = NULL;
}

void
mutex_enter(kmutex_t *mtx)
{
	struct lwp *l = curlwp;

	KASSERTMSG(mutex_owner(mtx) != l || l == NULL,
	    "mutex_enter: %p: locking against myself", mtx);
	/* Checked before waiting: an order bug panics, not deadlocks. */
	lockdebug_acquired(l, mtx->mtx_class, mtx);
	/* Without an lwp (boot, halt) there is no virtual CPU to give up. */
	if (mtx->mtx_type == MUTEX_SPIN || l == NULL)
		rumpuser_mutex_enter_nowrap(mtx->mtx_host);
	else
		rumpuser_mutex_enter(mtx->mtx_host);
	mutex_set_owner(mtx, l);
}

int
mutex_tryenter(kmutex_t *mtx)
{

	if (rumpuser_mutex_tryenter(mtx->mtx_host) != 0)
		return 0;
	mutex_set_owner(mtx, curlwp);
	lockdebug_acquired(curlwp, mtx->mtx_class, mtx);
	return 1;
}

void
mutex_exit(kmutex_t *mtx)
{

	KASSERTMSG(mutex_owner(mtx) == curlwp,
	    "mutex_exit: %p not held by the caller", mtx);
	lockdebug_released(curlwp, mtx->mtx_class, mtx);
	mutex_set_owner(mtx, NULL);
	rumpuser_mutex_exit(mtx->mtx_host);
}

bool
mutex_owned(const kmutex_t *mtx)
{

	struct lwp *owner = mutex_owner(mtx);

	return owner != NULL && owner == curlwp;
}

/* rw_writer, like a mutex's owner, is read without the lock: relaxed. */
static inline struct lwp *
rw_writer(const krwlock_t *rw)
{

	return __atomic_load_n(&rw->rw_writer, __ATOMIC_RELAXED);
}

static inline void
rw_set_writer(krwlock_t *rw, struct lwp *l)
{

	__atomic_store_n(&rw->rw_writer, l, __ATOMIC_RELAXED);
}

void
rw_init(krwlock_t *rw)
{

	if (rumpuser_rw_init(&rw->rw_host) != 0)
		panic("rw_init: no host memory for a rwlock");
	rw_set_writer(rw, NULL);
	rw->rw_readers = 0;
	rw->rw_class = lockdebug_class(__builtin_return_address(0));
}

void
rw_destroy(krwlock_t *rw)
{

	KASSERT(rw_writer(rw) == NULL &&
	    atomic_load_relaxed(&rw->rw_readers) == 0);
	rumpuser_rw_destroy(rw->rw_host);
	rw->rw_host = NULL;
}

static void
rw_entered(krwlock_t *rw, krw_t op)
{

	if (op == RW_WRITER)
		rw_set_writer(rw, curlwp);
	else
		atomic_inc_uint(&rw->rw_readers);
}

void
rw_enter(krwlock_t *rw, krw_t op)
{

	KASSERTMSG(rw_writer(rw) != curlwp || curlwp == NULL,
	    "rw_enter: %p: locking against myself", rw);
	lockdebug_acquired(curlwp, rw->rw_class, rw);
	rumpuser_rw_enter(op == RW_WRITER ? RUMPUSER_RW_WRITER :
	    RUMPUSER_RW_READER, rw->rw_host);
	rw_entered(rw, op);
}

int
rw_tryenter(krwlock_t *rw, krw_t op)
{

	if (rumpuser_rw_tryenter(op == RW_WRITER ? RUMPUSER_RW_WRITER :
	    RUMPUSER_RW_READER, rw->rw_host) != 0)
		return 0;
	lockdebug_acquired(curlwp, rw->rw_class, rw);
	rw_entered(rw, op);
	return 1;
}

void
rw_exit(krwlock_t *rw)
{

	lockdebug_released(curlwp, rw->rw_class, rw);
	if (rw_writer(rw) != NULL) {
		KASSERTMSG(rw_writer(rw) == curlwp,
		    "rw_exit: %p write-held by another lwp", rw);
		rw_set_writer(rw, NULL);
	} else {
		KASSERTMSG(atomic_load_relaxed(&rw->rw_readers) > 0,
		    "rw_exit: %p not held", rw);
		atomic_dec_uint(&rw->rw_readers);
	}
	rumpuser_rw_exit(rw->rw_host);
}

bool
rw_write_held(const krwlock_t *rw)
{

	struct lwp *w = rw_writer(rw);

	return w != NULL && w == curlwp;
}

/* Some lwp holds it for reading (we cannot tell which). */
bool
rw_read_held(const krwlock_t *rw)
{

	return atomic_load_relaxed(&rw->rw_readers) > 0;
}

bool
rw_lock_held(const krwlock_t *rw)
{

	return rw_write_held(rw) || rw_read_held(rw);
}

void
cv_init(kcondvar_t *cv, const char *wmesg)
{

	if (rumpuser_cv_init(&cv->cv_host) != 0)
		panic("cv_init: no host memory for a condvar");
	cv->cv_wmesg = wmesg;
	cv->cv_waiters = 0;
}

void
cv_destroy(kcondvar_t *cv)
{

	KASSERTMSG(cv->cv_waiters == 0, "cv_destroy: %s has waiters",
	    cv->cv_wmesg);
	rumpuser_cv_destroy(cv->cv_host);
	cv->cv_host = NULL;
}

void
cv_wait(kcondvar_t *cv, kmutex_t *mtx)
{
	struct lwp *l = curlwp;

	KASSERTMSG(mutex_owned(mtx), "cv_wait: %s: mutex not held",
	    cv->cv_wmesg);
	cv->cv_waiters++;
	lockdebug_released(l, mtx->mtx_class, mtx);
	mutex_set_owner(mtx, NULL);
	rumpuser_cv_wait(cv->cv_host, mtx->mtx_host);
	mutex_set_owner(mtx, l);
	lockdebug_acquired(l, mtx->mtx_class, mtx);
	cv->cv_waiters--;
}

int
cv_timedwait_ns(kcondvar_t *cv, kmutex_t *mtx, uint64_t nsec)
{
	struct lwp *l = curlwp;
	int error;

	KASSERTMSG(mutex_owned(mtx), "cv_timedwait: %s: mutex not held",
	    cv->cv_wmesg);
	cv->cv_waiters++;
	lockdebug_released(l, mtx->mtx_class, mtx);
	mutex_set_owner(mtx, NULL);
	error = rumpuser_cv_timedwait(cv->cv_host, mtx->mtx_host,
	    (int64_t)(nsec / 1000000000ULL), (int64_t)(nsec % 1000000000ULL));
	mutex_set_owner(mtx, l);
	lockdebug_acquired(l, mtx->mtx_class, mtx);
	cv->cv_waiters--;
	return error;
}

/* Signal and broadcast are called with the interlock held, which keeps
 * cv_waiters exact. */
void
cv_signal(kcondvar_t *cv)
{

	if (cv->cv_waiters > 0)
		rumpuser_cv_signal(cv->cv_host);
}

void
cv_broadcast(kcondvar_t *cv)
{

	if (cv->cv_waiters > 0)
		rumpuser_cv_broadcast(cv->cv_host);
}

bool
cv_has_waiters(kcondvar_t *cv)
{

	return cv->cv_waiters > 0;
}
