/*
 * sched.h: the virtual CPU scheduler (kern_sched.c).
 *
 * rump_schedule()/rump_unschedule() (public, rump.h) take and release a
 * virtual CPU for the calling thread.  The backend pair releases the CPU
 * around a blocking hypercall and keeps the lwp bound to the thread.
 *
 * Locking: a CPU is taken by compare-and-swap on its ci_curlwp and given
 * back by the lwp that holds it; a host mutex private to kern_sched.c is
 * taken only to sleep for a CPU or for the halt's drain.
 */
#ifndef _SYS_SCHED_H_
#define _SYS_SCHED_H_

#include <sys/types.h>

struct lwp;

int sched_init(unsigned int ncpu);
void sched_fini(void);
/* Open the kernel to system calls (end of boot) or close it (start of
 * halt); sched_enter_booted() enters only an open kernel. */
void sched_set_open(bool);
bool sched_enter_booted(void);
/* Wait until no thread is inside the kernel (for the halt). */
void sched_drain(void);
/* Wait until every virtual CPU but the caller's is free. */
void sched_wait_idle(void);
void sched_backend_unschedule(void);
void sched_backend_schedule(void);

/* Bind an lwp to the calling host thread, or unbind it. */
void lwp_bind(struct lwp *);
void lwp_unbind(struct lwp *);

#endif /* _SYS_SCHED_H_ */
