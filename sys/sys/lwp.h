/*
 * lwp.h: light-weight processes, the kernel's threads of control.
 *
 * Every host thread that runs kernel code is bound to an lwp
 * (rumpuser_curlwp).  An lwp belongs to one process.  A thread that
 * enters the kernel without one borrows a temporary lwp of the default
 * process for the duration of the call (LW_TEMP).
 *
 * Locking: l_proc, l_lid, l_flags' LW_SYSTEM/LW_TEMP are constant after
 * creation; l_cpu is changed only by the lwp itself in the scheduler; the
 * list linkage is protected by the process's p_lock.
 */
#ifndef _SYS_LWP_H_
#define _SYS_LWP_H_

#include <sys/types.h>
#include <sys/queue.h>

struct proc;
struct cpu_info;
struct kauth_cred;

struct lwp {
	struct proc *l_proc;		/* c */
	lwpid_t l_lid;			/* c */
	int l_flags;			/* see below */
	struct cpu_info *l_cpu;		/* while scheduled */
	struct kauth_cred *l_cred;	/* own: the process's, at entry */
	unsigned int l_refcnt;		/* switch-ins and references */
	unsigned int l_gate;		/* own: kern_sched.c's entry count */
	unsigned int l_lastcpu;		/* own: kern_sched.c: CPU index + 1 */
	char l_name[16];		/* for kernel threads */
	TAILQ_ENTRY(lwp) l_sibling;	/* p_lock: on p_lwps */
	void *l_private;		/* kthreads: the host thread's cookie */
	void (*l_func)(void *);		/* kthreads: c: start function */
	void *l_arg;			/* kthreads: c: its argument */
	unsigned int l_nlocks;		/* own: locks held (lockdebug) */
	uint16_t l_locks[16];		/* own: their classes */
	void *l_sysproxy;		/* c: the remote call it serves, or
					   NULL (kern_sysproxy.c) */
};

#define LW_SYSTEM 0x01	/* a kernel thread */
#define LW_TEMP 0x02	/* borrowed for one kernel entry */
#define LW_BOUND 0x04	/* bound to a host thread */
#define LW_ORPHAN 0x08	/* outlived its kernel (halted while bound) */

struct lwp *curlwp_get(void);
#define curlwp (curlwp_get())
#define curproc (curlwp->l_proc)

/*
 * kern_lwp.c.  lwp memory comes from the host directly, not from kmem: an
 * lwp that a thread still has bound when its kernel halts must outlive
 * that kernel (LW_ORPHAN) until the thread enters again.
 */
struct lwp *lwp_alloc(struct proc *, int flags);	/* not on p_lwps */
void lwp_free(struct lwp *);
/* A new lwp on p's list: NULL when out of memory. */
struct lwp *lwp_create(struct proc *, int flags);
/* Take l off its process's list; true when it was the last one. */
bool lwp_remove(struct lwp *);
/* Catch up with the process's credential (at kernel entry). */
void lwp_cred_refresh(struct lwp *);

#endif /* _SYS_LWP_H_ */
