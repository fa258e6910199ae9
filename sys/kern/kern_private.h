/*
 * kern_private.h: interfaces between the files of the kernel base that no
 * other part of the kernel uses.
 */
#ifndef _KERN_PRIVATE_H_
#define _KERN_PRIVATE_H_

#include <sys/types.h>

struct proc;

/* kern_kmem.c */
int kmem_init(uint64_t limit);
void kmem_sysinit_lock(void);
void kmem_fini(void);

/* kern_proc.c */
int proc_init(void);		/* proc0 */
int proc_init_default(void);	/* the default process, pid 1 */
void proc_exit_all(void);	/* all but proc0 */
void proc_fini(void);		/* proc0 */
int proc_hooks_fork(struct proc *parent, struct proc *child, int flags);

/* kern_lwp.c: free l, or keep it as an orphan if a thread has it bound */
struct lwp;
void lwp_orphan(struct lwp *);

/* kern_kthread.c */
void kthread_sysinit(void);
void kthread_drain(void);	/* wait for every kernel thread to end */

/* kern_callout.c */
int callout_sysinit(void);
void callout_sysfini(void);

/* kern_component.c */
int component_init_all(void);
void component_fini_all(void);

/* kern_uname.c */
int uname_init(void);
/* kern_time.c */
void time_init(void);
void uname_fini(void);

/* init_main.c */
extern int rump_booted;
extern volatile int rump_reboot_pending;
void rump_reboot_request(int how);
void rump_reboot_complete(void);

/* kern_sysproxy.c: at halt, before the drain (drop the remote clients)
 * and after it (forget their processes, join the server's threads). */
void sysproxy_halt_begin(void);
void sysproxy_halt(void);
int sysproxy_connect(void *, void **, int *);
int sysproxy_fork(void *, void **);
int sysproxy_syscall(void *, void *, int, const int64_t *, int64_t *, int *);
void sysproxy_gone(void *);
void sysproxy_backend_unschedule(void);	/* the upcall, for every lwp */
/* The copies of a remote lwp (subr_copy.c), l_sysproxy its call. */
int sysproxy_copyin(void *, const void *, void *, size_t);
int sysproxy_copyout(void *, const void *, void *, size_t, bool);
int sysproxy_copyinstr(void *, const void *, void *, size_t, size_t *);

#endif /* _KERN_PRIVATE_H_ */
