/*
 * kern_syscall.c: the system call dispatch (syscall.h) and rump_syscall(),
 * the entry of every system call of a local client.
 *
 * The table maps a Linux system call number to its handler.  The kernel
 * base establishes its own package at boot; each component establishes
 * its package when it initialises and takes it away at halt, so a call
 * whose component is not linked is ENOSYS.  The table is written only at
 * boot and halt, when no system call runs, and read without a lock.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/sched.h>
#include <sys/syscall.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

extern const struct syscall_package syscalls_kern[];

static sy_call_t **sysent;	/* syscall_nsysent entries */

int
syscall_establish(const struct syscall_package *sp)
{
	int i, j;

	for (i = 0; sp[i].sp_call != NULL; i++) {
		if (sp[i].sp_num < 0 || sp[i].sp_num >= syscall_nsysent)
			return EINVAL;
		if (sysent[sp[i].sp_num] != NULL) {
			for (j = 0; j < i; j++)
				sysent[sp[j].sp_num] = NULL;
			return EEXIST;
		}
		sysent[sp[i].sp_num] = sp[i].sp_call;
	}
	return 0;
}

void
syscall_disestablish(const struct syscall_package *sp)
{
	int i;

	for (i = 0; sp[i].sp_call != NULL; i++) {
		KASSERT(sysent[sp[i].sp_num] == sp[i].sp_call);
		sysent[sp[i].sp_num] = NULL;
	}
}

int
syscall_init(void)
{
	size_t sz = (size_t)syscall_nsysent * sizeof(*sysent);
	int error;

	if ((sysent = kmem_zalloc(sz, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = syscall_establish(syscalls_kern)) != 0) {
		kmem_free(sysent, sz);
		sysent = NULL;
	}
	return error;
}

void
syscall_fini(void)
{

	if (sysent == NULL)
		return;
	syscall_disestablish(syscalls_kern);
	kmem_free(sysent, (size_t)syscall_nsysent * sizeof(*sysent));
	sysent = NULL;
}

int
syscall_dispatch(struct lwp *l, int num, const register_t *args,
    register_t *retval)
{

	if (num < 0 || num >= syscall_nsysent || sysent[num] == NULL)
		return ENOSYS;
	return sysent[num](l, args, retval);
}

/*
 * A system call from a local client: enter the kernel, run the call,
 * leave.  A halt that the call asked for (reboot) happens here, after the
 * caller has given up its virtual CPU.
 */
int
rump_syscall(int num, const long *args, int nargs, long *retval)
{
	register_t a[6] = { 0 };
	int error, i;

	if (nargs < 0 || nargs > 6)
		return EINVAL;
	for (i = 0; i < nargs; i++)
		a[i] = args[i];
	if (!sched_enter_booted())
		return ENXIO;
	retval[0] = retval[1] = 0;
	error = syscall_dispatch(curlwp, num, a, retval);
	rump_unschedule();
	if (__predict_false(rump_reboot_pending))
		rump_reboot_complete();
	return error;
}
