/*
 * condvar.h: condition variables.  Waiting gives up the virtual CPU; the
 * interlocking mutex is held again on return.
 */
#ifndef _SYS_CONDVAR_H_
#define _SYS_CONDVAR_H_

#include <sys/types.h>
#include <sys/mutex.h>

struct rumpuser_cv;

typedef struct kcondvar {
	struct rumpuser_cv *cv_host;
	const char *cv_wmesg;
	unsigned int cv_waiters; /* protected by the interlock */
} kcondvar_t;

void cv_init(kcondvar_t *, const char *wmesg);
void cv_destroy(kcondvar_t *);
void cv_wait(kcondvar_t *, kmutex_t *);
/* Wait at most nsec nanoseconds: 0 when woken, ETIMEDOUT otherwise. */
int cv_timedwait_ns(kcondvar_t *, kmutex_t *, uint64_t nsec);
void cv_signal(kcondvar_t *);
void cv_broadcast(kcondvar_t *);
bool cv_has_waiters(kcondvar_t *);

#endif /* _SYS_CONDVAR_H_ */
