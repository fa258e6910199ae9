/*
 * syscall.h: the system call dispatch.
 *
 * sys/kern/syscalls.tbl lists every system call once; tools/gensyscalls.awk
 * generates from it the argument structures and handler prototypes
 * (syscallargs.h), the name and argument-count tables, one package of
 * handlers per component (syscalls_<component>.c), and the rump_sys_*
 * entry points.  A component establishes its package when it initialises,
 * so a call whose component is not linked returns ENOSYS.
 *
 * A handler runs in the calling lwp with a virtual CPU held; it reads its
 * arguments with SCARG(uap, name), returns 0 or an errno value, and leaves
 * its result in retval[0].
 *
 * Locking: the dispatch table is written at boot and halt only, when no
 * system call runs.
 */
#ifndef _SYS_SYSCALL_H_
#define _SYS_SYSCALL_H_

#include <sys/types.h>

struct lwp;

typedef int sy_call_t(struct lwp *, const void *, register_t *);

struct syscall_package {
	int sp_num;
	sy_call_t *sp_call;
};

#define syscallarg(x) \
	union { \
		register_t pad; \
		x datum; \
	}
#define SCARG(p, k) ((p)->k.datum)

/* Generated: names, argument counts and the table's size. */
extern const char *const syscallnames[];
extern const unsigned char syscallnargs[];
extern const int syscall_nsysent;

int syscall_establish(const struct syscall_package *);	/* {0, NULL}-terminated */
void syscall_disestablish(const struct syscall_package *);
int syscall_init(void);
void syscall_fini(void);
/* Run system call num in lwp l: 0 or an errno value. */
int syscall_dispatch(struct lwp *l, int num, const register_t *args,
    register_t *retval);

#endif /* _SYS_SYSCALL_H_ */
