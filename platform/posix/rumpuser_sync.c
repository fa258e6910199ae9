/*
 * rumpuser_sync.c: mutexes, reader/writer locks and condition variables.
 *
 * The blocking calls try first and only give up the virtual CPU when they
 * must wait.  A condition variable wait gives the CPU up, waits, and then
 * takes the CPU back *before* the mutex: holding the mutex while waiting
 * for a CPU could deadlock against the CPU holder wanting that mutex.
 * Waits are measured on CLOCK_MONOTONIC.
 */

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "rumpuser_int.h"

struct rumpuser_mtx {
	pthread_mutex_t m_pmtx;
	int m_flags;
};

struct rumpuser_rw {
	pthread_rwlock_t rw_prw;
};

struct rumpuser_cv {
	pthread_cond_t c_pcv;
};

int
rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags)
{
	struct rumpuser_mtx *mtx;
	pthread_mutexattr_t att;
	int error;

	if ((mtx = malloc(sizeof(*mtx))) == NULL)
		return ENOMEM;
	pthread_mutexattr_init(&att);
	pthread_mutexattr_settype(&att, PTHREAD_MUTEX_NORMAL);
	error = pthread_mutex_init(&mtx->m_pmtx, &att);
	pthread_mutexattr_destroy(&att);
	if (error) {
		free(mtx);
		return error;
	}
	mtx->m_flags = flags;
	*mtxp = mtx;
	return 0;
}

void
rumpuser_mutex_enter(struct rumpuser_mtx *mtx)
{

	if (pthread_mutex_trylock(&mtx->m_pmtx) == 0)
		return;
	KLOCK_WRAP(pthread_mutex_lock(&mtx->m_pmtx));
}

void
rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *mtx)
{

	pthread_mutex_lock(&mtx->m_pmtx);
}

int
rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx)
{

	return pthread_mutex_trylock(&mtx->m_pmtx) == 0 ? 0 : EBUSY;
}

void
rumpuser_mutex_exit(struct rumpuser_mtx *mtx)
{

	pthread_mutex_unlock(&mtx->m_pmtx);
}

void
rumpuser_mutex_destroy(struct rumpuser_mtx *mtx)
{

	pthread_mutex_destroy(&mtx->m_pmtx);
	free(mtx);
}

int
rumpuser_rw_init(struct rumpuser_rw **rwp)
{
	struct rumpuser_rw *rw;
	pthread_rwlockattr_t att;
	int error;

	if ((rw = malloc(sizeof(*rw))) == NULL)
		return ENOMEM;
	pthread_rwlockattr_init(&att);
	/* Writers must not starve behind a stream of readers. */
	pthread_rwlockattr_setkind_np(&att,
	    PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	error = pthread_rwlock_init(&rw->rw_prw, &att);
	pthread_rwlockattr_destroy(&att);
	if (error) {
		free(rw);
		return error;
	}
	*rwp = rw;
	return 0;
}

static int
rw_try(int op, struct rumpuser_rw *rw)
{

	return op == RUMPUSER_RW_WRITER ? pthread_rwlock_trywrlock(&rw->rw_prw) :
	    pthread_rwlock_tryrdlock(&rw->rw_prw);
}

void
rumpuser_rw_enter(int op, struct rumpuser_rw *rw)
{

	if (rw_try(op, rw) == 0)
		return;
	if (op == RUMPUSER_RW_WRITER)
		KLOCK_WRAP(pthread_rwlock_wrlock(&rw->rw_prw));
	else
		KLOCK_WRAP(pthread_rwlock_rdlock(&rw->rw_prw));
}

int
rumpuser_rw_tryenter(int op, struct rumpuser_rw *rw)
{

	return rw_try(op, rw) == 0 ? 0 : EBUSY;
}

void
rumpuser_rw_exit(struct rumpuser_rw *rw)
{

	pthread_rwlock_unlock(&rw->rw_prw);
}

void
rumpuser_rw_destroy(struct rumpuser_rw *rw)
{

	pthread_rwlock_destroy(&rw->rw_prw);
	free(rw);
}

int
rumpuser_cv_init(struct rumpuser_cv **cvp)
{
	struct rumpuser_cv *cv;
	pthread_condattr_t att;
	int error;

	if ((cv = malloc(sizeof(*cv))) == NULL)
		return ENOMEM;
	pthread_condattr_init(&att);
	pthread_condattr_setclock(&att, CLOCK_MONOTONIC);
	error = pthread_cond_init(&cv->c_pcv, &att);
	pthread_condattr_destroy(&att);
	if (error) {
		free(cv);
		return error;
	}
	*cvp = cv;
	return 0;
}

void
rumpuser_cv_destroy(struct rumpuser_cv *cv)
{

	pthread_cond_destroy(&cv->c_pcv);
	free(cv);
}

/* After a wait: CPU first, then the mutex (see the top of the file). */
static void
cv_reschedule(struct rumpuser_mtx *mtx)
{

	pthread_mutex_unlock(&mtx->m_pmtx);
	rumpuser__hyp->hyp_backend_schedule();
	rumpuser_mutex_enter(mtx);
}

void
rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{

	rumpuser__hyp->hyp_backend_unschedule();
	pthread_cond_wait(&cv->c_pcv, &mtx->m_pmtx);
	cv_reschedule(mtx);
}

void
rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{

	pthread_cond_wait(&cv->c_pcv, &mtx->m_pmtx);
}

int
rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    int64_t sec, int64_t nsec)
{
	struct timespec ts;
	int error;

	if (sec < 0 || nsec < 0) {
		sec = 0;
		nsec = 0;
	}
	sec += nsec / 1000000000;
	nsec %= 1000000000;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (sec > INT64_MAX / 2 - ts.tv_sec)	/* forever, in effect */
		sec = INT64_MAX / 2 - ts.tv_sec;
	ts.tv_sec += (time_t)sec;
	ts.tv_nsec += (long)nsec;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_nsec -= 1000000000;
		ts.tv_sec++;
	}
	rumpuser__hyp->hyp_backend_unschedule();
	error = pthread_cond_timedwait(&cv->c_pcv, &mtx->m_pmtx, &ts);
	cv_reschedule(mtx);
	return error == ETIMEDOUT ? ETIMEDOUT : 0;
}

void
rumpuser_cv_signal(struct rumpuser_cv *cv)
{

	pthread_cond_signal(&cv->c_pcv);
}

void
rumpuser_cv_broadcast(struct rumpuser_cv *cv)
{

	pthread_cond_broadcast(&cv->c_pcv);
}
