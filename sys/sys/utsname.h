/*
 * utsname.h: the system's names: Linux's struct utsname (as uname(2)
 * fills it, "new_utsname" in Linux) and the kernel's host and domain
 * names (kern_uname.c).
 */
#ifndef _SYS_UTSNAME_H_
#define _SYS_UTSNAME_H_

#include <sys/types.h>

#define UTSNAME_LEN 65		/* each field, NUL included */
#define HOST_NAME_MAX 64	/* sethostname's and setdomainname's limit */

struct utsname {
	char sysname[UTSNAME_LEN];
	char nodename[UTSNAME_LEN];
	char release[UTSNAME_LEN];
	char version[UTSNAME_LEN];
	char machine[UTSNAME_LEN];
	char domainname[UTSNAME_LEN];
};

/* kern_uname.c: at boot (the host name from RUMP_HOSTNAME; EINVAL if it
 * is longer than HOST_NAME_MAX) and at halt. */
int uname_init(void);
void uname_fini(void);

#endif /* _SYS_UTSNAME_H_ */
