/*
 * kern_uname.c: the kernel's host and domain names, and the uname,
 * sethostname and setdomainname system calls.
 *
 * The host name comes from the platform at boot (RUMP_HOSTNAME, else
 * rump-<host pid>); the domain name starts as Linux's "(none)".  The
 * kernel speaks the Linux ABI, so it calls itself Linux.
 *
 * Locking: uname_lock protects both names.
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

#if defined(__x86_64__)
#define UNAME_MACHINE "x86_64"
#elif defined(__aarch64__)
#define UNAME_MACHINE "aarch64"
#elif defined(__i386__)
#define UNAME_MACHINE "i686"
#else
#define UNAME_MACHINE "unknown"
#endif

static kmutex_t uname_lock;
static char hostname[HOST_NAME_MAX + 1];	/* uname_lock */
static char domainname[HOST_NAME_MAX + 1];	/* uname_lock */

int
uname_init(void)
{
	char buf[256];

	mutex_init(&uname_lock, MUTEX_DEFAULT, IPL_NONE);
	if (rumpuser_getparam(RUMPUSER_PARAM_HOSTNAME, buf, sizeof(buf)) != 0)
		strlcpy(buf, "rump", sizeof(buf));
	strlcpy(hostname, buf, sizeof(hostname));
	strlcpy(domainname, "(none)", sizeof(domainname));
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
	strlcpy(u.sysname, "Linux", sizeof(u.sysname));
	strlcpy(u.release, "6.1.0-anykernel", sizeof(u.release));
	strlcpy(u.version, "#1 Anykernel rump kernel", sizeof(u.version));
	strlcpy(u.machine, UNAME_MACHINE, sizeof(u.machine));
	mutex_enter(&uname_lock);
	strlcpy(u.nodename, hostname, sizeof(u.nodename));
	strlcpy(u.domainname, domainname, sizeof(u.domainname));
	mutex_exit(&uname_lock);
	return copyout(&u, SCARG(uap, buf), sizeof(u));
}

/* sethostname and setdomainname: len bytes, not necessarily terminated. */
static int
set_name(char *dst, const char *uname, size_t len)
{
	char buf[HOST_NAME_MAX + 1];
	int error;

	if (len > HOST_NAME_MAX)	/* also a negative int len */
		return EINVAL;
	if (!kauth_cred_capable(kauth_cred_get(), CAP_SYS_ADMIN))
		return EPERM;
	if ((error = copyin(uname, buf, len)) != 0)
		return error;
	buf[len] = '\0';
	mutex_enter(&uname_lock);
	memcpy(dst, buf, len + 1);
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
