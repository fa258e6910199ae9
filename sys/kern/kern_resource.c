/*
 * kern_resource.c: resource limits: getrlimit, setrlimit and prlimit64
 * with Linux's rules (getrlimit(2), prlimit(2)).
 *
 * A process's limits live in p_rlimit (proc.h); proc_create copies the
 * parent's.  A process starts from Linux's boot limits (rlimit_init), so
 * RLIMIT_NOFILE is 1024 soft, 4096 hard.  Anyone may lower a limit or
 * move a soft limit up to its hard one; raising a hard limit takes
 * CAP_SYS_RESOURCE, and RLIMIT_NOFILE's hard limit never passes
 * NR_OPEN_MAX.  prlimit64 reaches another process when the caller's real
 * ids are all of the target's ids, or with CAP_SYS_RESOURCE.  The kernel
 * enforces RLIMIT_NOFILE only (the VFS reads it through proc_rlimit_cur).
 *
 * Locking: a process's limits are read and written under its p_lock; a
 * write stores each value atomically for proc_rlimit_cur's lockless
 * read.  Another process is looked up and used under proc_lock, taken
 * before its p_lock (as rump_lwproc_newlwp does), which keeps it from
 * being freed meanwhile.  No user memory is touched with either held.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/resource.h>
#include <sys/syscallargs.h>

#define MIB (1024 * 1024)

void
rlimit_init(struct rlimit *rl)
{
	int i;

	for (i = 0; i < RLIM_NLIMITS; i++) {
		rl[i].rlim_cur = RLIM_INFINITY;
		rl[i].rlim_max = RLIM_INFINITY;
	}
	/*
	 * Linux's values for init.  Linux derives RLIMIT_NPROC and
	 * RLIMIT_SIGPENDING from the memory size; neither means anything
	 * here, so they stay unlimited.
	 */
	rl[RLIMIT_STACK].rlim_cur = 8 * MIB;
	rl[RLIMIT_CORE].rlim_cur = 0;
	rl[RLIMIT_NOFILE].rlim_cur = 1024;
	rl[RLIMIT_NOFILE].rlim_max = 4096;
	rl[RLIMIT_MEMLOCK].rlim_cur = 8 * MIB;
	rl[RLIMIT_MEMLOCK].rlim_max = 8 * MIB;
	rl[RLIMIT_MSGQUEUE].rlim_cur = 819200;
	rl[RLIMIT_MSGQUEUE].rlim_max = 819200;
	rl[RLIMIT_NICE].rlim_cur = 0;
	rl[RLIMIT_NICE].rlim_max = 0;
	rl[RLIMIT_RTPRIO].rlim_cur = 0;
	rl[RLIMIT_RTPRIO].rlim_max = 0;
}

rlim_t
proc_rlimit_cur(struct proc *p, int resource)
{

	KASSERT(resource >= 0 && resource < RLIM_NLIMITS);
	return atomic_load_relaxed(&p->p_rlimit[resource].rlim_cur);
}

/*
 * Copy p's limit of resource to *old (unless NULL), then install *new
 * (unless NULL).  The checks and their order are Linux's.  p_lock is
 * taken here; proc_lock is held when p is not the caller's process.
 */
static int
rlimit_exchange(struct proc *p, unsigned int resource,
    const struct rlimit *new, struct rlimit *old)
{
	struct rlimit *rl;
	int error = 0;

	if (resource >= RLIM_NLIMITS)
		return EINVAL;
	if (new != NULL) {
		if (new->rlim_cur > new->rlim_max)
			return EINVAL;
		if (resource == RLIMIT_NOFILE && new->rlim_max > NR_OPEN_MAX)
			return EPERM;
	}
	mutex_enter(&p->p_lock);
	rl = &p->p_rlimit[resource];
	if (new != NULL && new->rlim_max > rl->rlim_max &&
	    !kauth_cred_capable(kauth_cred_get(), CAP_SYS_RESOURCE)) {
		error = EPERM;
		goto out;
	}
	if (old != NULL)
		*old = *rl;
	if (new != NULL) {
		atomic_store_relaxed(&rl->rlim_cur, new->rlim_cur);
		atomic_store_relaxed(&rl->rlim_max, new->rlim_max);
	}
 out:
	mutex_exit(&p->p_lock);
	return error;
}

/*
 * May the caller reach process p's limits (prlimit(2))?  Its real uid
 * must be p's real, effective and saved uid, and its real gid p's three
 * gids; or it has CAP_SYS_RESOURCE.  p_lock held.
 */
static bool
rlimit_may_reach(kauth_cred_t cr, struct proc *p)
{
	kauth_cred_t tc = p->p_cred;

	KASSERT(mutex_owned(&p->p_lock));
	if (cr->cr_uid == tc->cr_uid && cr->cr_uid == tc->cr_euid &&
	    cr->cr_uid == tc->cr_suid && cr->cr_gid == tc->cr_gid &&
	    cr->cr_gid == tc->cr_egid && cr->cr_gid == tc->cr_sgid)
		return true;
	return kauth_cred_capable(cr, CAP_SYS_RESOURCE);
}

int
sys_getrlimit(struct lwp *l, const struct sys_getrlimit_args *uap,
    register_t *retval __unused)
{
	struct rlimit rl;
	int error;

	error = rlimit_exchange(l->l_proc, (unsigned int)SCARG(uap, resource),
	    NULL, &rl);
	if (error)
		return error;
	return copyout(&rl, SCARG(uap, rlim), sizeof(rl));
}

int
sys_setrlimit(struct lwp *l, const struct sys_setrlimit_args *uap,
    register_t *retval __unused)
{
	struct rlimit rl;
	int error;

	if ((error = copyin(SCARG(uap, rlim), &rl, sizeof(rl))) != 0)
		return error;
	return rlimit_exchange(l->l_proc, (unsigned int)SCARG(uap, resource),
	    &rl, NULL);
}

int
sys_prlimit64(struct lwp *l, const struct sys_prlimit64_args *uap,
    register_t *retval __unused)
{
	unsigned int resource = (unsigned int)SCARG(uap, resource);
	pid_t pid = SCARG(uap, pid);
	struct rlimit new, old, *newp = NULL, *oldp = NULL;
	struct proc *p;
	bool reach;
	int error;

	if (SCARG(uap, new_limit) != NULL) {
		error = copyin(SCARG(uap, new_limit), &new, sizeof(new));
		if (error)
			return error;
		newp = &new;
	}
	if (SCARG(uap, old_limit) != NULL)
		oldp = &old;
	if (pid == 0 || pid == l->l_proc->p_pid) {
		error = rlimit_exchange(l->l_proc, resource, newp, oldp);
	} else {
		mutex_enter(&proc_lock);
		p = proc_find(pid);
		if (p == NULL || (p->p_flags & PK_EXITING)) {
			mutex_exit(&proc_lock);
			return ESRCH;
		}
		mutex_enter(&p->p_lock);
		reach = rlimit_may_reach(kauth_cred_get(), p);
		mutex_exit(&p->p_lock);
		error = reach ? rlimit_exchange(p, resource, newp, oldp) :
		    EPERM;
		mutex_exit(&proc_lock);
	}
	if (error == 0 && oldp != NULL)
		error = copyout(oldp, SCARG(uap, old_limit), sizeof(old));
	return error;
}
