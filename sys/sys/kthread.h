/*
 * kthread.h: kernel threads.  A kernel thread is a host thread with an lwp
 * of proc0, running with a virtual CPU held (it sleeps through condvars
 * like any other lwp).  KTHREAD_MUSTJOIN threads end with kthread_exit()
 * and are waited for with kthread_join().
 */
#ifndef _SYS_KTHREAD_H_
#define _SYS_KTHREAD_H_

#include <sys/types.h>

struct lwp;

#define KTHREAD_MUSTJOIN 0x01

int kthread_create(int flags, void (*func)(void *), void *arg,
    struct lwp **lp, const char *fmt, ...) __printflike(5, 6);
__dead void kthread_exit(int ecode);
int kthread_join(struct lwp *);

#endif /* _SYS_KTHREAD_H_ */
