/*
 * kern_kthread.c: kernel threads.
 *
 * A kernel thread is a host thread (rumpuser_thread_create) bound to an
 * lwp of proc0.  It runs its function with a virtual CPU held and ends by
 * returning or calling kthread_exit().  A KTHREAD_MUSTJOIN thread's lwp
 * lives until kthread_join(); any other thread frees its own.  The halt
 * waits until every kernel thread has ended (kthread_drain): a subsystem
 * stops its threads in its fini.
 *
 * Locking: kthread_lock protects kthread_count.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/kauth.h>
#include <sys/kthread.h>
#include <sys/mutex.h>
#include <sys/condvar.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

#define LW_KTHREAD_JOIN 0x100	/* l_flags: joined by kthread_join */

static kmutex_t kthread_lock;
static kcondvar_t kthread_cv;
static unsigned int kthread_count;	/* kthread_lock */

void
kthread_sysinit(void)
{

	mutex_init(&kthread_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&kthread_cv, "kthread");
	kthread_count = 0;
}

void
kthread_drain(void)
{

	mutex_enter(&kthread_lock);
	while (kthread_count > 0)
		cv_wait(&kthread_cv, &kthread_lock);
	mutex_exit(&kthread_lock);
	sched_wait_idle();
	cv_destroy(&kthread_cv);
	mutex_destroy(&kthread_lock);
}

static void *
kthread_trampoline(void *arg)
{
	struct lwp *l = arg;

	lwp_bind(l);
	rump_schedule();
	l->l_func(l->l_arg);
	kthread_exit(0);
}

int
kthread_create(int flags, void (*func)(void *), void *arg, struct lwp **lp,
    const char *fmt, ...)
{
	struct lwp *l;
	va_list ap;
	void *cookie;
	int error;

	if ((l = lwp_create(proc0, LW_SYSTEM)) == NULL)
		return ENOMEM;
	if (flags & KTHREAD_MUSTJOIN)
		l->l_flags |= LW_KTHREAD_JOIN;
	va_start(ap, fmt);
	vsnprintf(l->l_name, sizeof(l->l_name), fmt, ap);
	va_end(ap);
	l->l_func = func;
	l->l_arg = arg;

	mutex_enter(&kthread_lock);
	kthread_count++;
	mutex_exit(&kthread_lock);
	error = rumpuser_thread_create(kthread_trampoline, l, l->l_name,
	    (flags & KTHREAD_MUSTJOIN) != 0, -1, -1, &cookie);
	if (error) {
		mutex_enter(&kthread_lock);
		kthread_count--;
		mutex_exit(&kthread_lock);
		lwp_remove(l);
		lwp_free(l);
		return error;
	}
	/* A detached thread may be gone already: touch l only if joinable. */
	if (flags & KTHREAD_MUSTJOIN) {
		l->l_private = cookie;
		if (lp != NULL)
			*lp = l;
	} else if (lp != NULL)
		*lp = NULL;
	return 0;
}

void
kthread_exit(int ecode __unused)
{
	struct lwp *l = curlwp;
	bool join = (l->l_flags & LW_KTHREAD_JOIN) != 0;

	KASSERT(l->l_flags & LW_SYSTEM);
	if (!join) {
		/* Nothing of the kernel's may be touched once the halt can
		 * see the count drop, but for giving back the CPU, which the
		 * halt waits for (sched_wait_idle). */
		lwp_remove(l);
		kauth_cred_free(l->l_cred);
		l->l_cred = NULL;
	}
	mutex_enter(&kthread_lock);
	if (--kthread_count == 0)
		cv_broadcast(&kthread_cv);
	mutex_exit(&kthread_lock);
	rump_unschedule();
	lwp_unbind(l);
	if (!join)
		lwp_free(l);
	rumpuser_thread_exit();
}

int
kthread_join(struct lwp *l)
{
	int error;

	/* l_flags is the thread's own until it has been joined. */
	error = rumpuser_thread_join(l->l_private);
	KASSERT(l->l_flags & LW_KTHREAD_JOIN);
	if (error == 0) {
		lwp_remove(l);
		lwp_free(l);
	}
	return error;
}
