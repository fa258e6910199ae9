/*
 * kern_callout.c: timed calls, run by the kernel's clock thread.
 *
 * Pending callouts sit on one queue sorted by due time (monotonic
 * nanoseconds).  The clock thread sleeps on callout_cv until the first is
 * due or the queue changes, then runs each due callout's function without
 * callout_lock held.  This is O(n) per insertion, which is fine for the
 * handful of timers of today's subsystems; the network faction's many
 * TCP timers will want a timing wheel here.
 *
 * Locking: callout_lock protects the queue, every callout's fields and
 * callout_running.  callout_done_cv is broadcast when a function returns,
 * for callout_halt().
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

static kmutex_t callout_lock;
static kcondvar_t callout_cv;		/* the queue changed */
static kcondvar_t callout_done_cv;	/* a function returned */
static TAILQ_HEAD(, callout) callout_queue;
static callout_t *callout_running;	/* the one whose function runs */
static bool callout_exiting;
static struct lwp *callout_lwp;

static uint64_t
callout_now(void)
{
	int64_t sec;
	long nsec;

	rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec, &nsec);
	return (uint64_t)sec * 1000000000ULL + (uint64_t)nsec;
}

static void
callout_thread(void *arg __unused)
{
	callout_t *c;
	uint64_t now;

	mutex_enter(&callout_lock);
	while (!callout_exiting) {
		c = TAILQ_FIRST(&callout_queue);
		if (c == NULL) {
			cv_wait(&callout_cv, &callout_lock);
			continue;
		}
		now = callout_now();
		if (c->c_when > now) {
			cv_timedwait_ns(&callout_cv, &callout_lock,
			    c->c_when - now);
			continue;
		}
		TAILQ_REMOVE(&callout_queue, c, c_entry);
		c->c_flags = (c->c_flags & ~CALLOUT_PENDING) |
		    CALLOUT_FIRED;
		callout_running = c;
		mutex_exit(&callout_lock);
		c->c_func(c->c_arg);
		mutex_enter(&callout_lock);
		/* c may have been destroyed by its function: do not touch. */
		callout_running = NULL;
		cv_broadcast(&callout_done_cv);
	}
	mutex_exit(&callout_lock);
	kthread_exit(0);
}

int
callout_sysinit(void)
{
	int error;

	mutex_init(&callout_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&callout_cv, "callout");
	cv_init(&callout_done_cv, "callodone");
	TAILQ_INIT(&callout_queue);
	callout_running = NULL;
	callout_exiting = false;
	error = kthread_create(KTHREAD_MUSTJOIN, callout_thread, NULL,
	    &callout_lwp, "clock");
	if (error) {
		cv_destroy(&callout_done_cv);
		cv_destroy(&callout_cv);
		mutex_destroy(&callout_lock);
	}
	return error;
}

/* Stop the clock thread.  Callouts still pending never fire. */
void
callout_sysfini(void)
{

	mutex_enter(&callout_lock);
	callout_exiting = true;
	cv_broadcast(&callout_cv);
	mutex_exit(&callout_lock);
	kthread_join(callout_lwp);
	cv_destroy(&callout_done_cv);
	cv_destroy(&callout_cv);
	mutex_destroy(&callout_lock);
}

void
callout_init(callout_t *c, int flags __unused)
{

	memset(c, 0, sizeof(*c));
	c->c_flags = CALLOUT_INITED;
}

void
callout_destroy(callout_t *c)
{

	KASSERT(c->c_flags & CALLOUT_INITED);
	KASSERTMSG(!(c->c_flags & CALLOUT_PENDING),
	    "callout_destroy: %p still pending", c);
	KASSERTMSG(callout_running != c, "callout_destroy: %p running", c);
	c->c_flags = 0;
}

void
callout_setfunc(callout_t *c, void (*func)(void *), void *arg)
{

	mutex_enter(&callout_lock);
	c->c_func = func;
	c->c_arg = arg;
	mutex_exit(&callout_lock);
}

void
callout_schedule_ns(callout_t *c, uint64_t nsec)
{
	callout_t *o;
	uint64_t when = callout_now() + nsec;

	KASSERT(c->c_flags & CALLOUT_INITED);
	KASSERT(c->c_func != NULL);
	mutex_enter(&callout_lock);
	if (c->c_flags & CALLOUT_PENDING)
		TAILQ_REMOVE(&callout_queue, c, c_entry);
	c->c_when = when;
	c->c_flags = (c->c_flags | CALLOUT_PENDING) & ~CALLOUT_FIRED;
	TAILQ_FOREACH(o, &callout_queue, c_entry)
		if (o->c_when > when)
			break;
	if (o != NULL)
		TAILQ_INSERT_BEFORE(o, c, c_entry);
	else
		TAILQ_INSERT_TAIL(&callout_queue, c, c_entry);
	if (TAILQ_FIRST(&callout_queue) == c)
		cv_broadcast(&callout_cv);
	mutex_exit(&callout_lock);
}

void
callout_reset_ns(callout_t *c, uint64_t nsec, void (*func)(void *), void *arg)
{

	callout_setfunc(c, func, arg);
	callout_schedule_ns(c, nsec);
}

static bool
callout_stop_locked(callout_t *c)
{
	bool pending = (c->c_flags & CALLOUT_PENDING) != 0;

	KASSERT(mutex_owned(&callout_lock));
	if (pending)
		TAILQ_REMOVE(&callout_queue, c, c_entry);
	c->c_flags &= ~(CALLOUT_PENDING | CALLOUT_FIRED);
	return pending;
}

bool
callout_stop(callout_t *c)
{
	bool pending;

	mutex_enter(&callout_lock);
	pending = callout_stop_locked(c);
	mutex_exit(&callout_lock);
	return pending;
}

bool
callout_halt(callout_t *c)
{
	bool pending;

	KASSERT(curlwp != callout_lwp);
	mutex_enter(&callout_lock);
	pending = callout_stop_locked(c);
	while (callout_running == c) {
		cv_wait(&callout_done_cv, &callout_lock);
		/* The function may have rescheduled itself. */
		pending |= callout_stop_locked(c);
	}
	mutex_exit(&callout_lock);
	return pending;
}

bool
callout_pending(callout_t *c)
{
	bool pending;

	mutex_enter(&callout_lock);
	pending = (c->c_flags & CALLOUT_PENDING) != 0;
	mutex_exit(&callout_lock);
	return pending;
}
