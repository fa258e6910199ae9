/*
 * kauth.h: credentials and capabilities, as Linux has them.
 *
 * A credential is immutable once shared: a change (setuid and friends)
 * makes a new one and installs it in the process.  Capabilities follow
 * Linux's rules for a process without file capabilities: root has them
 * all; they go and come back with the uids as capabilities(7) describes
 * ("Effect of user ID changes on capabilities"), including the file-system
 * subset following the fsuid.
 */
#ifndef _SYS_KAUTH_H_
#define _SYS_KAUTH_H_

#include <sys/types.h>

/* Capability numbers (linux/capability.h). */
#define CAP_CHOWN 0
#define CAP_DAC_OVERRIDE 1
#define CAP_DAC_READ_SEARCH 2
#define CAP_FOWNER 3
#define CAP_FSETID 4
#define CAP_KILL 5
#define CAP_SETGID 6
#define CAP_SETUID 7
#define CAP_SETPCAP 8
#define CAP_LINUX_IMMUTABLE 9
#define CAP_NET_BIND_SERVICE 10
#define CAP_NET_BROADCAST 11
#define CAP_NET_ADMIN 12
#define CAP_NET_RAW 13
#define CAP_IPC_LOCK 14
#define CAP_IPC_OWNER 15
#define CAP_SYS_MODULE 16
#define CAP_SYS_RAWIO 17
#define CAP_SYS_CHROOT 18
#define CAP_SYS_PTRACE 19
#define CAP_SYS_PACCT 20
#define CAP_SYS_ADMIN 21
#define CAP_SYS_BOOT 22
#define CAP_SYS_NICE 23
#define CAP_SYS_RESOURCE 24
#define CAP_SYS_TIME 25
#define CAP_SYS_TTY_CONFIG 26
#define CAP_MKNOD 27
#define CAP_LEASE 28
#define CAP_AUDIT_WRITE 29
#define CAP_AUDIT_CONTROL 30
#define CAP_SETFCAP 31
#define CAP_MAC_OVERRIDE 32
#define CAP_MAC_ADMIN 33
#define CAP_SYSLOG 34
#define CAP_WAKE_ALARM 35
#define CAP_BLOCK_SUSPEND 36
#define CAP_AUDIT_READ 37
#define CAP_PERFMON 38
#define CAP_BPF 39
#define CAP_CHECKPOINT_RESTORE 40
#define CAP_LAST_CAP CAP_CHECKPOINT_RESTORE
#define CAP_FULL_SET ((2ULL << CAP_LAST_CAP) - 1)
/* The capabilities that follow the fsuid. */
#define CAP_FS_MASK ((1ULL << CAP_CHOWN) | (1ULL << CAP_DAC_OVERRIDE) | \
	(1ULL << CAP_DAC_READ_SEARCH) | (1ULL << CAP_FOWNER) | \
	(1ULL << CAP_FSETID) | (1ULL << CAP_LINUX_IMMUTABLE) | \
	(1ULL << CAP_MAC_OVERRIDE) | (1ULL << CAP_MKNOD))

/* Linux allows this many supplementary groups. */
#define NGROUPS_MAX 65536

struct kauth_cred {
	unsigned int cr_refcnt;		/* atomic */
	uid_t cr_uid, cr_euid, cr_suid, cr_fsuid;
	gid_t cr_gid, cr_egid, cr_sgid, cr_fsgid;
	uint64_t cr_cap_permitted;
	uint64_t cr_cap_effective;
	unsigned int cr_ngroups;
	gid_t *cr_groups;		/* sorted, cr_ngroups entries */
};
typedef struct kauth_cred *kauth_cred_t;

struct proc;

/* kern_auth.c */
kauth_cred_t kauth_cred_alloc_root(void); /* uid 0, all capabilities */
kauth_cred_t kauth_cred_dup(kauth_cred_t); /* NULL: ENOMEM */
void kauth_cred_hold(kauth_cred_t);
void kauth_cred_free(kauth_cred_t);
/* Replace the groups of an unshared credential: 0 or ENOMEM. */
int kauth_cred_setgroups(kauth_cred_t, const gid_t *, unsigned int n);
bool kauth_cred_groupmember(kauth_cred_t, gid_t);
/* Does the credential carry this capability (effective set)? */
bool kauth_cred_capable(kauth_cred_t, int cap);
/* Recompute the capability sets after a uid change, Linux's rules. */
void kauth_cred_fix_setuid(kauth_cred_t newc, kauth_cred_t oldc);
void kauth_cred_fix_setfsuid(kauth_cred_t newc, kauth_cred_t oldc);

/* The current lwp's credential (no reference taken). */
kauth_cred_t kauth_cred_get(void);

/* Install a new credential in the current process; drops the old one. */
void proc_setcred(struct proc *, kauth_cred_t);

#endif /* _SYS_KAUTH_H_ */
