/*
 * utsname.h: the system's names (Linux's struct utsname).
 */
#ifndef _SYS_UTSNAME_H_
#define _SYS_UTSNAME_H_

#define UTSNAME_LEN 65
#define HOST_NAME_MAX 64

struct utsname {
	char sysname[UTSNAME_LEN];
	char nodename[UTSNAME_LEN];
	char release[UTSNAME_LEN];
	char version[UTSNAME_LEN];
	char machine[UTSNAME_LEN];
	char domainname[UTSNAME_LEN];
};

#endif /* _SYS_UTSNAME_H_ */
