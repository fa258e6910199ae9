/*
 * kern_syscall.c: the system call dispatch (sys/syscall.h) and
 * rump_syscall(), through which every system call of a local client
 * enters the kernel.
 *
 * The dispatch table maps a Linux system call number to its handler.
 * Handlers come in packages, one per component, generated from
 * sys/kern/syscalls.tbl: the kernel base establishes its own package at
 * boot (syscall_init), every other component establishes its package when
 * it initialises and takes it away in its fini.  A number without a
 * handler, because its component is not linked or because no component
 * implements it, is ENOSYS.
 *
 * rump_syscall() enters only a running kernel (sched_enter_booted, the
 * gate that the halt closes), dispatches in the calling thread's lwp and
 * leaves.  A halt that the call asked for (reboot) runs after the caller
 * has given up its virtual CPU, since the halt waits for every thread to
 * leave the kernel.
 *
 * Locking: syscall_lock serialises the writers of the table (establish
 * and disestablish).  Dispatch reads an entry with one atomic load and no
 * lock: a call that races with a change of its entry sees the old or the
 * new handler.  Packages are established at boot and taken away at halt,
 * when no system call runs, so in practice the table is constant while
 * calls run.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/sched.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

extern const struct syscall_package syscalls_kern[];

static kmutex_t syscall_lock;
static sy_call_t *sysent[SYS_MAXSYSCALL];	/* syscall_lock (writers) */
static bool syscall_ready;			/* c: between init and fini */

/* Take the first n entries of package sp out of the table. */
static void
syscall_remove(const struct syscall_package *sp, int n)
{
	int i;

	KASSERT(mutex_owned(&syscall_lock));
	for (i = 0; i < n; i++) {
		KASSERT(sysent[sp[i].sp_num] == sp[i].sp_call);
		atomic_store_relaxed(&sysent[sp[i].sp_num], NULL);
	}
}

/*
 * Establish every entry of a {0, NULL}-terminated package, or none:
 * EINVAL if a number is out of range, EEXIST if a number already has a
 * handler (also one that the package itself lists twice).
 */
int
syscall_establish(const struct syscall_package *sp)
{
	int error = 0, i;

	KASSERT(syscall_ready);
	for (i = 0; sp[i].sp_call != NULL; i++)
		if (sp[i].sp_num < 0 || sp[i].sp_num >= SYS_MAXSYSCALL)
			return EINVAL;

	mutex_enter(&syscall_lock);
	for (i = 0; sp[i].sp_call != NULL; i++) {
		if (sysent[sp[i].sp_num] != NULL) {
			syscall_remove(sp, i);
			error = EEXIST;
			goto out;
		}
		atomic_store_release(&sysent[sp[i].sp_num], sp[i].sp_call);
	}
 out:
	mutex_exit(&syscall_lock);
	return error;
}

/* Take away a package that syscall_establish accepted. */
void
syscall_disestablish(const struct syscall_package *sp)
{
	int n;

	KASSERT(syscall_ready);
	for (n = 0; sp[n].sp_call != NULL; n++)
		continue;
	mutex_enter(&syscall_lock);
	syscall_remove(sp, n);
	mutex_exit(&syscall_lock);
}

/* At boot: an empty table, then the kernel base's own package. */
int
syscall_init(void)
{
	int error;

	KASSERT(syscall_nsysent == SYS_MAXSYSCALL);
	KASSERT(!syscall_ready);
	mutex_init(&syscall_lock, MUTEX_DEFAULT, IPL_NONE);
	memset(sysent, 0, sizeof(sysent));
	syscall_ready = true;
	if ((error = syscall_establish(syscalls_kern)) != 0) {
		printf("syscall_init: cannot establish the kernel's system "
		    "calls: error %d\n", error);
		syscall_fini();
	}
	return error;
}

/*
 * At halt, after the components' fini: empty the table.  A component
 * that left its package established loses it here.
 */
void
syscall_fini(void)
{

	KASSERT(syscall_ready);
	memset(sysent, 0, sizeof(sysent));
	syscall_ready = false;
	mutex_destroy(&syscall_lock);
}

/* Run system call num in lwp l, which holds a virtual CPU. */
int
syscall_dispatch(struct lwp *l, int num, const register_t *args,
    register_t *retval)
{
	sy_call_t *call;

	retval[0] = retval[1] = 0;
	if (num < 0 || num >= SYS_MAXSYSCALL)
		return ENOSYS;
	if ((call = atomic_load_acquire(&sysent[num])) == NULL)
		return ENOSYS;
	return (*call)(l, args, retval);
}

/*
 * A system call of a local client: nargs argument registers (the others
 * are zero), the results in retval[0] and retval[1].  Returns 0 or an
 * errno value: ENXIO when no kernel is running, EINVAL for a bad nargs,
 * ENOSYS for a number without a handler, or the call's own error.
 */
int
rump_syscall(int num, const long *args, int nargs, long *retval)
{
	register_t a[6] = { 0 }, rv[2];
	int error, i;

	if (nargs < 0 || nargs > 6 || (nargs > 0 && args == NULL))
		return EINVAL;
	for (i = 0; i < nargs; i++)
		a[i] = args[i];
	if (!sched_enter_booted())
		return ENXIO;
	error = syscall_dispatch(curlwp, num, a, rv);
	rump_unschedule();

	/* The halt that this call asked for, now that we are outside. */
	if (__predict_false(__atomic_load_n(&rump_reboot_pending,
	    __ATOMIC_ACQUIRE)) && num == SYS_reboot)
		rump_reboot_complete();
	if (retval != NULL) {
		retval[0] = rv[0];
		retval[1] = rv[1];
	}
	return error;
}
