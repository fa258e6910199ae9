/*
 * kern_reboot.c: the reboot system call, Linux's reboot(2) for a rump
 * kernel.
 *
 * Checks as Linux makes them, in its order: EPERM without CAP_SYS_BOOT,
 * then EINVAL for bad magic numbers, then the command:
 *
 *   HALT, RESTART   halt the kernel; the call returns 0 to its caller,
 *                   who may boot a new kernel with rump_init()
 *   POWER_OFF       halt the kernel, then exit the host process (0)
 *   CAD_ON, CAD_OFF 0, no effect (there is no Ctrl-Alt-Del)
 *   RESTART2, KEXEC, SW_SUSPEND, anything else
 *                   EINVAL: nothing to restart with a command line, no
 *                   kernel image to execute, nothing to suspend
 *
 * The halt (init_main.c) cannot run here, inside the kernel: it waits for
 * every thread to leave.  The call only asks for it, and rump_syscall()
 * completes it once the caller has given up its virtual CPU.  arg is
 * never read.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/reboot.h>
#include <sys/syscallargs.h>

#include "kern_private.h"

/* rump_reboot_request()'s how */
#define REBOOT_HALT 0		/* return to the caller */
#define REBOOT_EXIT 1		/* exit the host process */

static bool
reboot_magic_ok(unsigned int magic, unsigned int magic2)
{

	if (magic != LINUX_REBOOT_MAGIC1)
		return false;
	return magic2 == LINUX_REBOOT_MAGIC2 ||
	    magic2 == LINUX_REBOOT_MAGIC2A ||
	    magic2 == LINUX_REBOOT_MAGIC2B ||
	    magic2 == LINUX_REBOOT_MAGIC2C;
}

int
sys_reboot(struct lwp *l __unused, const struct sys_reboot_args *uap,
    register_t *retval __unused)
{

	if (!kauth_cred_capable(kauth_cred_get(), CAP_SYS_BOOT))
		return EPERM;
	if (!reboot_magic_ok((unsigned int)SCARG(uap, magic),
	    (unsigned int)SCARG(uap, magic2)))
		return EINVAL;

	switch (SCARG(uap, cmd)) {
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_RESTART:
		rump_reboot_request(REBOOT_HALT);
		return 0;
	case LINUX_REBOOT_CMD_POWER_OFF:
		rump_reboot_request(REBOOT_EXIT);
		return 0;
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	default:
		return EINVAL;
	}
}
