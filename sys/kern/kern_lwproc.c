/*
 * kern_lwproc.c: the rump_lwproc_* interface (rump.h), with which a local
 * program acts as several processes: each host thread can be switched to
 * an lwp of any process.
 *
 * The calls run outside the kernel (no virtual CPU held on entry); they
 * enter it for the parts that need it.  An lwp is bound to at most one
 * thread at a time.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

/* The process the calling thread acts as (its bound lwp's, or NULL). */
static struct proc *
lwproc_curproc(void)
{
	struct lwp *l = rumpuser_curlwp();

	if (l == NULL || (l->l_flags & (LW_TEMP | LW_ORPHAN)))
		return NULL;
	return l->l_proc;
}

/* Unbind the calling thread's lwp, if it has one, and bind l instead. */
static void
lwproc_switch_to(struct lwp *l)
{
	struct lwp *old = rumpuser_curlwp();

	if (old != NULL) {
		lwp_unbind(old);
		if (old->l_flags & LW_ORPHAN)
			lwp_free(old);
	}
	if (l != NULL)
		lwp_bind(l);
}

int
rump_lwproc_rfork(int flags)
{
	struct proc *p;
	struct lwp *l = NULL;
	int error;

	if (flags & ~(RUMP_RFFDG | RUMP_RFCFDG) ||
	    flags == (RUMP_RFFDG | RUMP_RFCFDG))
		return EINVAL;
	if (!rump_booted)
		return ENXIO;
	rump_schedule();
	error = proc_create(lwproc_curproc(), flags, &p);
	if (error == 0 && (l = lwp_create(p, 0)) == NULL) {
		proc_release(p);
		error = ENOMEM;
	}
	rump_unschedule();
	if (error == 0)
		lwproc_switch_to(l);
	return error;
}

int
rump_lwproc_newlwp(int pid)
{
	struct proc *p;
	struct lwp *l = NULL;
	int error = 0;

	if (!rump_booted)
		return ENXIO;
	rump_schedule();
	mutex_enter(&proc_lock);
	p = proc_find(pid);
	if (p == NULL || p == proc0 || (p->p_flags & PK_EXITING))
		error = ESRCH;
	else if ((l = lwp_create(p, 0)) == NULL)
		error = ENOMEM;
	mutex_exit(&proc_lock);
	rump_unschedule();
	if (error == 0)
		lwproc_switch_to(l);
	return error;
}

void
rump_lwproc_switch(struct lwp *l)
{

	if (l != NULL && l == rumpuser_curlwp())
		return;		/* already this thread's */
	if (l != NULL && (l->l_flags & LW_BOUND))
		panic("rump_lwproc_switch: lwp %p is bound to another thread",
		    l);
	lwproc_switch_to(l);
}

void
rump_lwproc_releaselwp(void)
{
	struct lwp *l = rumpuser_curlwp();
	struct proc *p;
	bool last;

	if (l == NULL || (l->l_flags & LW_TEMP))
		panic("rump_lwproc_releaselwp: no lwp to release");
	if (l->l_flags & LW_ORPHAN) {
		lwproc_switch_to(NULL);
		return;
	}
	p = l->l_proc;
	rump_schedule();
	last = lwp_remove(l);
	rump_unschedule();
	lwp_unbind(l);
	lwp_free(l);
	if (last) {
		/* The process exits in the context of the default process. */
		rump_schedule();
		proc_release(p);
		rump_unschedule();
	}
}

struct lwp *
rump_lwproc_curlwp(void)
{
	struct lwp *l = rumpuser_curlwp();

	if (l == NULL || (l->l_flags & (LW_TEMP | LW_ORPHAN)))
		return NULL;
	return l;
}
