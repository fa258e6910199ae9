/*
 * kern_proc.c: processes.
 *
 * proc0 (pid 0) holds the kernel threads.  The default process (pid 1)
 * is the context of threads that enter without one, and the parent of
 * orphans.  Other processes come from rump_lwproc_rfork() (and later from
 * remote clients).  A process lives as long as it has lwps; when the last
 * one is released it exits: the proc hooks (the VFS's descriptor table)
 * tear down their state and its children pass to the default process.
 * There are no zombies: nothing waits for a rump kernel process.
 *
 * Locking: proc_lock protects allproc, pid allocation and the family
 * links; p_lock the lwp list (see proc.h).  The hook table is written at
 * component init and halt only.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/kauth.h>
#include <sys/queue.h>
#include <sys/resource.h>

#include "kern_private.h"

#define PID_MAX 4194304		/* Linux's pid_max limit on 64-bit */

kmutex_t proc_lock;
struct proc *proc0;
static struct proc *proc_init1;		/* the default process */
static TAILQ_HEAD(, proc) allproc = TAILQ_HEAD_INITIALIZER(allproc);
static pid_t pid_next;			/* proc_lock */
static const struct proc_hook *proc_hooks[PROC_NHOOKS];

struct proc *
proc_default(void)
{

	return proc_init1;
}

/* proc_lock held. */
struct proc *
proc_find(pid_t pid)
{
	struct proc *p;

	KASSERT(mutex_owned(&proc_lock));
	TAILQ_FOREACH(p, &allproc, p_list)
		if (p->p_pid == pid)
			return p;
	return NULL;
}

/* The next free pid, wrapping at PID_MAX.  proc_lock held. */
static pid_t
pid_alloc(void)
{
	pid_t pid;

	for (;;) {
		pid = pid_next++;
		if (pid_next >= PID_MAX)
			pid_next = 2;
		if (proc_find(pid) == NULL)
			return pid;
	}
}

static struct proc *
proc_alloc(void)
{
	struct proc *p;

	if ((p = kmem_zalloc(sizeof(*p), KM_SLEEP)) == NULL)
		return NULL;
	mutex_init(&p->p_lock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&p->p_lwps);
	TAILQ_INIT(&p->p_children);
	p->p_umask = 022;
	rlimit_init(p->p_rlimit);
	return p;
}

static void
proc_free(struct proc *p)
{

	KASSERT(p->p_nlwps == 0);
	if (p->p_cred != NULL)
		kauth_cred_free(p->p_cred);
	mutex_destroy(&p->p_lock);
	kmem_free(p, sizeof(*p));
}

/* Enter p in allproc with the given pid, a child of parent.  proc_lock. */
static void
proc_link(struct proc *p, struct proc *parent, pid_t pid)
{

	KASSERT(mutex_owned(&proc_lock));
	p->p_pid = pid;
	p->p_pptr = parent;
	TAILQ_INSERT_TAIL(&allproc, p, p_list);
	if (parent != NULL)
		TAILQ_INSERT_TAIL(&parent->p_children, p, p_sibling);
}

int
proc_init(void)
{

	mutex_init(&proc_lock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&allproc);
	pid_next = 2;
	if ((proc0 = proc_alloc()) == NULL)
		goto fail;
	if ((proc0->p_cred = kauth_cred_alloc_root()) == NULL)
		goto fail;
	proc0->p_flags = PK_SYSTEM;
	/* No lwp exists yet to own proc_lock; the boot is single-threaded. */
	proc0->p_pid = 0;
	TAILQ_INSERT_TAIL(&allproc, proc0, p_list);
	return 0;

 fail:
	if (proc0 != NULL)
		proc_free(proc0);
	proc0 = NULL;
	mutex_destroy(&proc_lock);
	return ENOMEM;
}

int
proc_init_default(void)
{
	struct proc *p;
	int error;

	if ((p = proc_alloc()) == NULL)
		return ENOMEM;
	kauth_cred_hold(proc0->p_cred);
	p->p_cred = proc0->p_cred;
	error = proc_hooks_fork(NULL, p, RFORK_CFDG);
	if (error) {
		proc_free(p);
		return error;
	}
	mutex_enter(&proc_lock);
	proc_link(p, proc0, 1);
	mutex_exit(&proc_lock);
	proc_init1 = p;
	return 0;
}

/* Run the hooks' fork functions; on failure undo those that ran. */
int
proc_hooks_fork(struct proc *parent, struct proc *child, int flags)
{
	int i, error;

	for (i = 0; i < PROC_NHOOKS; i++) {
		if (proc_hooks[i] == NULL || proc_hooks[i]->ph_fork == NULL)
			continue;
		error = proc_hooks[i]->ph_fork(parent, child, flags);
		if (error) {
			while (i-- > 0)
				if (proc_hooks[i] != NULL &&
				    proc_hooks[i]->ph_exit != NULL)
					proc_hooks[i]->ph_exit(child);
			return error;
		}
	}
	return 0;
}

static void
proc_hooks_exit(struct proc *p)
{
	int i;

	for (i = PROC_NHOOKS; i-- > 0;)
		if (proc_hooks[i] != NULL && proc_hooks[i]->ph_exit != NULL)
			proc_hooks[i]->ph_exit(p);
}

int
proc_hook_register(const struct proc_hook *ph, int *slotp)
{
	int i;

	for (i = 0; i < PROC_NHOOKS; i++) {
		if (proc_hooks[i] == NULL) {
			proc_hooks[i] = ph;
			*slotp = i;
			return 0;
		}
	}
	return ENOSPC;
}

void
proc_hook_unregister(int slot)
{

	KASSERT(slot >= 0 && slot < PROC_NHOOKS);
	proc_hooks[slot] = NULL;
}

/*
 * Create a child of parent (the default process if NULL) with the parent's
 * credentials, umask and resource limits; the caller adds its first lwp.
 */
int
proc_create(struct proc *parent, int flags, struct proc **pp)
{
	struct proc *p;
	int error;

	if (parent == NULL)
		parent = proc_init1;
	if ((p = proc_alloc()) == NULL)
		return ENOMEM;
	mutex_enter(&parent->p_lock);
	kauth_cred_hold(parent->p_cred);
	p->p_cred = parent->p_cred;
	p->p_umask = parent->p_umask;
	memcpy(p->p_rlimit, parent->p_rlimit, sizeof(p->p_rlimit));
	mutex_exit(&parent->p_lock);
	if ((error = proc_hooks_fork(parent, p, flags)) != 0) {
		proc_free(p);
		return error;
	}
	mutex_enter(&proc_lock);
	proc_link(p, parent, pid_alloc());
	mutex_exit(&proc_lock);
	*pp = p;
	return 0;
}

/* Take p out of allproc and give its children to the default process. */
static void
proc_unlink(struct proc *p)
{
	struct proc *c;

	mutex_enter(&proc_lock);
	while ((c = TAILQ_FIRST(&p->p_children)) != NULL) {
		TAILQ_REMOVE(&p->p_children, c, p_sibling);
		c->p_pptr = proc_init1;
		if (proc_init1 != NULL && proc_init1 != p)
			TAILQ_INSERT_TAIL(&proc_init1->p_children, c, p_sibling);
		else
			c->p_pptr = NULL;
	}
	if (p->p_pptr != NULL)
		TAILQ_REMOVE(&p->p_pptr->p_children, p, p_sibling);
	p->p_pptr = NULL;
	TAILQ_REMOVE(&allproc, p, p_list);
	mutex_exit(&proc_lock);
}

/* The last lwp of p is gone: p exits. */
void
proc_release(struct proc *p)
{

	KASSERT(p->p_nlwps == 0);
	KASSERT(p != proc0 && p != proc_init1);
	p->p_flags |= PK_EXITING;
	proc_hooks_exit(p);
	proc_unlink(p);
	proc_free(p);
}

/* The newest process other than proc0, or NULL.  proc_lock held. */
static struct proc *
proc_newest_user(void)
{
	struct proc *p, *last = NULL;

	TAILQ_FOREACH(p, &allproc, p_list)
		if (p != proc0)
			last = p;
	return last;
}

/*
 * At halt, before the components go: every process but proc0 exits,
 * newest (children) first, the default process last.  lwps still on a
 * list belong to threads that have them bound; they become orphans (see
 * lwp.h).
 */
void
proc_exit_all(void)
{
	struct proc *p;
	struct lwp *l;

	for (;;) {
		mutex_enter(&proc_lock);
		p = proc_newest_user();
		mutex_exit(&proc_lock);
		if (p == NULL)
			break;
		while ((l = TAILQ_FIRST(&p->p_lwps)) != NULL) {
			lwp_remove(l);
			lwp_orphan(l);
		}
		p->p_flags |= PK_EXITING;
		proc_hooks_exit(p);
		proc_unlink(p);
		if (p == proc_init1)
			proc_init1 = NULL;
		proc_free(p);
	}
}

/* Last of all: proc0. */
void
proc_fini(void)
{
	struct lwp *l;

	KASSERT(proc_init1 == NULL);
	while ((l = TAILQ_FIRST(&proc0->p_lwps)) != NULL) {
		lwp_remove(l);
		lwp_orphan(l);
	}
	proc_unlink(proc0);
	proc_free(proc0);
	proc0 = NULL;
	mutex_destroy(&proc_lock);
}
