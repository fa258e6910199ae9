/*
 * proc.h: processes.
 *
 * A process is the context of a client program: pid, credentials, lwps,
 * and the state that factions attach to it (the VFS faction's descriptor
 * table and directories) through proc hooks.  proc0 (pid 0) holds the
 * kernel threads; the default process (pid 1) serves threads that enter
 * the kernel without a context of their own.
 *
 * Locking: proc_lock (global) protects the process list, pid allocation
 * and the parent/child links; p_lock protects the lwp list and p_nlwps;
 * p_cred is replaced under p_lock and read by the process's own lwps
 * without it (each lwp runs one system call at a time and holds a
 * reference while it uses the credential).  p_rlimit is written under
 * p_lock, each value with one atomic store, so that the VFS can read the
 * soft RLIMIT_NOFILE without the lock (proc_rlimit_cur, resource.h).
 */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/condvar.h>
#include <sys/resource.h>

struct lwp;
struct kauth_cred;

#define PROC_NHOOKS 4

struct proc {
	pid_t p_pid;			/* c */
	struct proc *p_pptr;		/* proc_lock: parent */
	TAILQ_ENTRY(proc) p_list;	/* proc_lock: allproc */
	TAILQ_HEAD(, proc) p_children;	/* proc_lock */
	TAILQ_ENTRY(proc) p_sibling;	/* proc_lock: on parent's list */
	kmutex_t p_lock;
	TAILQ_HEAD(, lwp) p_lwps;	/* p_lock */
	unsigned int p_nlwps;		/* p_lock */
	lwpid_t p_nextlid;		/* p_lock */
	int p_flags;			/* p_lock */
	struct kauth_cred *p_cred;	/* p_lock (see above) */
	mode_t p_umask;			/* owned by the process's lwps */
	struct rlimit p_rlimit[RLIM_NLIMITS]; /* p_lock (see above) */
	void *p_hookdata[PROC_NHOOKS];	/* per-faction state */
};

#define PK_SYSTEM 0x01	/* proc0 */
#define PK_EXITING 0x02

extern struct proc *proc0;	/* the kernel's own process */
extern kmutex_t proc_lock;

/* Flags of rump_lwproc_rfork(), as in rump.h. */
#define RFORK_FDG 0x01	/* copy the descriptor table */
#define RFORK_CFDG 0x02	/* start with an empty descriptor table */

/* kern_proc.c */
int proc_create(struct proc *parent, int rforkflags, struct proc **pp);
void proc_release(struct proc *);	/* last lwp gone: exit */
struct proc *proc_find(pid_t);		/* proc_lock held */
struct proc *proc_default(void);

/*
 * Proc hooks: a faction keeps per-process state (the VFS its descriptor
 * table, cwd and root) in p_hookdata[slot].  fork copies or creates the
 * child's state (error: ENOMEM etc.); exit frees it.  Hooks run without
 * p_lock held, in the context of the forking or exiting process's lwp.
 */
struct proc_hook {
	const char *ph_name;
	int (*ph_fork)(struct proc *parent, struct proc *child, int flags);
	void (*ph_exit)(struct proc *);
};
int proc_hook_register(const struct proc_hook *, int *slotp);
void proc_hook_unregister(int slot);

#endif /* _SYS_PROC_H_ */
