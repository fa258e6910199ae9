/*
 * kern_reboot.c: the reboot system call.  For a rump kernel, halting
 * means the halt of init_main.c: HALT and RESTART halt the kernel and
 * return to the caller (who may boot a new one); POWER_OFF halts and then
 * exits the host process.  The halt itself happens once the caller has
 * left the kernel (rump_syscall).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/reboot.h>
#include <sys/syscallargs.h>

#include "kern_private.h"

int
sys_reboot(struct lwp *l __unused, const struct sys_reboot_args *uap,
    register_t *retval __unused)
{
	unsigned int magic2 = (unsigned int)SCARG(uap, magic2);

	/* Linux checks the capability first, then the magic numbers. */
	if (!kauth_cred_capable(kauth_cred_get(), CAP_SYS_BOOT))
		return EPERM;
	if ((unsigned int)SCARG(uap, magic) != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	    magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return EINVAL;
	switch (SCARG(uap, cmd)) {
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_RESTART:
		rump_reboot_request(0);
		return 0;
	case LINUX_REBOOT_CMD_POWER_OFF:
		rump_reboot_request(1);
		return 0;
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	default:	/* RESTART2, KEXEC, SW_SUSPEND: nothing to do them with */
		return EINVAL;
	}
}
