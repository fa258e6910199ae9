/*
 * resource.h: resource limits, Linux's (getrlimit(2), setrlimit(2),
 * prlimit(2)).
 *
 * Each process has a soft and a hard limit for each of the RLIM_NLIMITS
 * resources, in p_rlimit (proc.h), copied to its children at fork.  Only
 * RLIMIT_NOFILE is enforced: the VFS reads the process's soft limit as
 * the bound of its descriptors (kern_descrip.c).  The others are kept and
 * reported so that programs that read or set them work.
 */
#ifndef _SYS_RESOURCE_H_
#define _SYS_RESOURCE_H_

#include <sys/types.h>

typedef uint64_t rlim_t;

/* Linux's struct rlimit on 64-bit machines (and its struct rlimit64). */
struct rlimit {
	rlim_t rlim_cur;	/* soft limit */
	rlim_t rlim_max;	/* hard limit: the ceiling of the soft one */
};

#define RLIM_INFINITY (~(rlim_t)0)

/* Resource numbers (asm-generic/resource.h). */
#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIMIT_LOCKS 10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define RLIMIT_RTTIME 15
#define RLIM_NLIMITS 16

/*
 * The ceiling of RLIMIT_NOFILE's hard limit, even with CAP_SYS_RESOURCE:
 * Linux's default /proc/sys/fs/nr_open.  It keeps descriptors in an int.
 */
#define NR_OPEN_MAX 1048576

struct proc;

/* kern_resource.c */
/* Linux's limits of a process at boot (init_task's). */
void rlimit_init(struct rlimit *rl);
/* p's soft limit of resource: one atomic read, no lock needed. */
rlim_t proc_rlimit_cur(struct proc *p, int resource);

#endif /* _SYS_RESOURCE_H_ */
