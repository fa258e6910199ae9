/*
 * cpu.h: virtual CPUs.  A thread runs kernel code only while it holds one
 * (kern_sched.c).  The fields of a cpu_info are changed only by the thread
 * that holds that CPU.
 */
#ifndef _SYS_CPU_H_
#define _SYS_CPU_H_

#include <sys/types.h>

struct lwp;

struct cpu_info {
	unsigned int ci_index;		/* c */
	struct lwp *ci_curlwp;		/* the lwp running on it, or NULL */
	uint64_t ci_nsched;		/* times taken, for statistics */
	struct cpu_info *ci_freenext;	/* on the free list (sched lock) */
};

extern unsigned int ncpu;
struct cpu_info *cpu_lookup(unsigned int);
#define curcpu() (curlwp->l_cpu)
#define cpu_index(ci) ((ci)->ci_index)

#endif /* _SYS_CPU_H_ */
