/*
 * kern_lwp.c: lwp allocation and process membership.
 *
 * An lwp's memory comes from the host (rumpuser_malloc), not from kmem,
 * for the reason given in lwp.h.  Membership in a process's lwp list is
 * protected by that process's p_lock.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/mutex.h>
#include <sys/kauth.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

struct lwp *
lwp_alloc(struct proc *p, int flags)
{
	void *mem;
	struct lwp *l;

	if (rumpuser_malloc(sizeof(*l), 0, &mem) != 0)
		return NULL;
	l = mem;
	memset(l, 0, sizeof(*l));
	l->l_proc = p;
	l->l_flags = flags;
	return l;
}

void
lwp_free(struct lwp *l)
{

	KASSERT(l->l_cpu == NULL);
	if (l->l_cred != NULL)
		kauth_cred_free(l->l_cred);
	KASSERT(!(l->l_flags & LW_BOUND));
	rumpuser_free(l, sizeof(*l));
}

struct lwp *
lwp_create(struct proc *p, int flags)
{
	struct lwp *l;

	if ((l = lwp_alloc(p, flags)) == NULL)
		return NULL;
	mutex_enter(&p->p_lock);
	l->l_lid = ++p->p_nextlid;
	TAILQ_INSERT_TAIL(&p->p_lwps, l, l_sibling);
	p->p_nlwps++;
	mutex_exit(&p->p_lock);
	return l;
}

bool
lwp_remove(struct lwp *l)
{
	struct proc *p = l->l_proc;
	bool last;

	mutex_enter(&p->p_lock);
	KASSERT(p->p_nlwps > 0);
	TAILQ_REMOVE(&p->p_lwps, l, l_sibling);
	last = --p->p_nlwps == 0;
	mutex_exit(&p->p_lock);
	return last;
}

/*
 * l's kernel is going away.  A thread that still has l bound finds it
 * marked LW_ORPHAN the next time it enters and frees it then (we cannot
 * reach into another thread's thread-local storage).
 */
void
lwp_orphan(struct lwp *l)
{

	l->l_proc = NULL;
	if (l->l_cred != NULL) {	/* it belongs to the dying kernel */
		kauth_cred_free(l->l_cred);
		l->l_cred = NULL;
	}
	if (l->l_flags & LW_BOUND)
		l->l_flags |= LW_ORPHAN;
	else
		lwp_free(l);
}

/*
 * An lwp uses its own reference to the process's credential for the
 * whole of a system call, so that another lwp's setuid cannot free it
 * underneath; it catches up here, when it enters the kernel.
 */
void
lwp_cred_refresh(struct lwp *l)
{
	struct proc *p = l->l_proc;
	struct kauth_cred *old = l->l_cred;

	mutex_enter(&p->p_lock);
	kauth_cred_hold(p->p_cred);
	l->l_cred = p->p_cred;
	mutex_exit(&p->p_lock);
	if (old != NULL)
		kauth_cred_free(old);
}
