/*
 * kern_uname.c: the kernel's host and domain names, and the uname,
 * sethostname and setdomainname system calls.
 *
 * The kernel speaks the Linux ABI, so it calls itself Linux: programs
 * that look at uname(2) to decide which structures and flags to use
 * must pick Linux's.  The machine is the one the kernel was compiled
 * for.  The host name comes from the platform at boot (RUMP_HOSTNAME on
 * POSIX, default rump-<host pid>); the domain name starts as "(none)",
 * like Linux's.  Setting either takes CAP_SYS_ADMIN.
 *
 * Locking: uname_lock protects hostname and domainname.  It is a leaf:
 * nothing else is taken, and no user memory is touched, while it is held.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/syscallargs.h>
#include <sys/utsname.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

#define UNAME_SYSNAME "Linux"
#define UNAME_RELEASE "6.1.0-anykernel"
#define UNAME_VERSION "#1 Anykernel rump kernel"
#if defined(__x86_64__)
#define UNAME_MACHINE "x86_64"
#elif defined(__aarch64__)
#define UNAME_MACHINE "aarch64"
#else
#define UNAME_MACHINE "unknown"
#endif

static kmutex_t uname_lock;
static char hostname[HOST_NAME_MAX + 1];	/* uname_lock */
static char domainname[HOST_NAME_MAX + 1];	/* uname_lock */

int
uname_init(void)
{
	int error;

	memset(hostname, 0, sizeof(hostname));
	error = rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, hostname,
	    sizeof(hostname));
	switch (error) {
	case 0:
		break;
	case ENOMEM:	/* too long for the buffer */
		printf("rump_init: RUMP_HOSTNAME: longer than %d bytes\n",
		    HOST_NAME_MAX);
		return EINVAL;
	default:	/* the platform has no name for us */
		strlcpy(hostname, "rump", sizeof(hostname));
		break;
	}
	strlcpy(domainname, "(none)", sizeof(domainname));
	mutex_init(&uname_lock, MUTEX_DEFAULT, IPL_NONE);
	return 0;
}

void
uname_fini(void)
{

	mutex_destroy(&uname_lock);
}

int
sys_uname(struct lwp *l __unused, const struct sys_uname_args *uap,
    register_t *retval __unused)
{
	struct utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, UNAME_SYSNAME, sizeof(u.sysname));
	strlcpy(u.release, UNAME_RELEASE, sizeof(u.release));
	strlcpy(u.version, UNAME_VERSION, sizeof(u.version));
	strlcpy(u.machine, UNAME_MACHINE, sizeof(u.machine));
	mutex_enter(&uname_lock);
	memcpy(u.nodename, hostname, sizeof(hostname));
	memcpy(u.domainname, domainname, sizeof(domainname));
	mutex_exit(&uname_lock);
	return copyout(&u, SCARG(uap, buf), sizeof(u));
}

/*
 * Set a name to the len bytes at uname (not necessarily NUL-terminated),
 * with Linux's checks in Linux's order: EPERM without CAP_SYS_ADMIN,
 * EINVAL for a length over HOST_NAME_MAX (a negative int length arrives
 * as a huge size_t), EFAULT for bad memory.
 */
static int
set_name(char *name, const char *uname, size_t len)
{
	char buf[HOST_NAME_MAX + 1];
	int error;

	if (!kauth_cred_capable(kauth_cred_get(), CAP_SYS_ADMIN))
		return EPERM;
	if (len > HOST_NAME_MAX)
		return EINVAL;
	memset(buf, 0, sizeof(buf));
	if ((error = copyin(uname, buf, len)) != 0)
		return error;
	mutex_enter(&uname_lock);
	memcpy(name, buf, sizeof(buf));
	mutex_exit(&uname_lock);
	return 0;
}

int
sys_sethostname(struct lwp *l __unused,
    const struct sys_sethostname_args *uap, register_t *retval __unused)
{

	return set_name(hostname, SCARG(uap, name), SCARG(uap, len));
}

int
sys_setdomainname(struct lwp *l __unused,
    const struct sys_setdomainname_args *uap, register_t *retval __unused)
{

	return set_name(domainname, SCARG(uap, name), SCARG(uap, len));
}
