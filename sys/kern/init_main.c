/*
 * init_main.c: booting and halting a rump kernel.
 *
 * rump_init() brings the kernel base up in a fixed order (memory, virtual
 * CPUs, proc0 and an lwp for the booting thread, kernel threads and the
 * clock, random numbers, names, system calls), then initialises the linked
 * components in dependency order, then creates the default process.  Any
 * failure unwinds what was done, so a failed boot leaves nothing behind.
 *
 * The halt (rump_sys_reboot) runs after the caller has left the kernel:
 * it waits until no other thread is inside, then undoes the boot in
 * reverse, joins the kernel threads and checks that all kernel memory
 * came back.  rump_init() may then boot a fresh kernel in the same
 * process.
 *
 * Locking: boot and halt are single-threaded by contract; rump_booted is
 * read by other threads with acquire loads.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/cprng.h>
#include <sys/cpu.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/syscall.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

#define NCPU_MAX 256

int rump_booted;
volatile int rump_reboot_pending;	/* 0, or the request's how + 1 */

static struct rumpuser_hyperup rump_hyp = {
	.hyp_schedule = rump_schedule,
	.hyp_unschedule = rump_unschedule,
	.hyp_backend_unschedule = sysproxy_backend_unschedule,
	.hyp_backend_schedule = sched_backend_schedule,
	.hyp_sp_connect = sysproxy_connect,
	.hyp_sp_fork = sysproxy_fork,
	.hyp_sp_syscall = sysproxy_syscall,
	.hyp_sp_gone = sysproxy_gone,
	.hyp_sp_halt = rump_reboot_complete,
};

/* A parameter as a number with an optional k/m/g (binary) suffix. */
static int
param_number(const char *name, const char *shown, uint64_t *valp, bool *setp)
{
	char buf[64], *end;
	uint64_t v, mul = 1;

	*setp = false;
	if (rumpuser_getparam(name, buf, sizeof(buf)) != 0)
		return 0;
	if (buf[0] < '0' || buf[0] > '9')
		goto bad;
	v = strtoull(buf, &end, 10);
	switch (*end) {
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	}
	if (*end != '\0' || v > UINT64_MAX / mul)
		goto bad;
	*valp = v * mul;
	*setp = true;
	return 0;

 bad:
	printf("rump_init: %s: invalid value \"%s\"\n", shown, buf);
	return EINVAL;
}

static int
boot_params(unsigned int *ncpup, uint64_t *memlimitp)
{
	uint64_t v;
	bool set;
	int error;

	rump_verbose = 0;
	if ((error = param_number(RUMPUSER_PARAM_VERBOSE, "RUMP_VERBOSE", &v, &set)) != 0)
		return error;
	rump_verbose = set && v != 0;

	if ((error = param_number(RUMPUSER_PARAM_NCPU, "RUMP_NCPU", &v, &set)) != 0)
		return error;
	if (!set)
		v = 1;
	if (v == 0 || v > NCPU_MAX) {
		printf("rump_init: RUMP_NCPU: %llu is not between 1 and %d\n",
		    (unsigned long long)v, NCPU_MAX);
		return EINVAL;
	}
	*ncpup = (unsigned int)v;

	if ((error = param_number(RUMPUSER_PARAM_MEMLIMIT, "RUMP_MEMLIMIT", &v, &set)) != 0)
		return error;
	*memlimitp = set ? v : 0;
	if (set && v == 0) {
		printf("rump_init: RUMP_MEMLIMIT: 0 leaves no memory\n");
		return ENOMEM;
	}
	return 0;
}

/* The booting or halting thread's own lwp of proc0. */
static struct lwp *
lwp0_enter(void)
{
	struct lwp *l;

	if ((l = lwp_create(proc0, LW_SYSTEM)) == NULL)
		return NULL;
	strlcpy(l->l_name, "lwp0", sizeof(l->l_name));
	lwp_bind(l);
	rump_schedule();
	return l;
}

static void
lwp0_leave(struct lwp *l)
{

	lwp_remove(l);
	rump_unschedule();
	lwp_unbind(l);
	lwp_free(l);
}

/* Undo the base's boot steps from `step' down. */
enum boot_step {
	BOOT_NONE,
	BOOT_KMEM,
	BOOT_SCHED,
	BOOT_PROC0,
	BOOT_KTHREAD,
	BOOT_CALLOUT,
	BOOT_CPRNG,
	BOOT_SYSCALL,
	BOOT_COMPONENTS,
	BOOT_DEFAULTPROC,
};

static void
boot_unwind(enum boot_step step, struct lwp *l0)
{

	switch (step) {
	case BOOT_DEFAULTPROC:
		proc_exit_all();
		/* FALLTHROUGH */
	case BOOT_COMPONENTS:
		component_fini_all();
		/* FALLTHROUGH */
	case BOOT_SYSCALL:
		syscall_fini();
		uname_fini();
		/* FALLTHROUGH */
	case BOOT_CPRNG:
		cprng_fini();
		/* FALLTHROUGH */
	case BOOT_CALLOUT:
		callout_sysfini();
		/* FALLTHROUGH */
	case BOOT_KTHREAD:
		kthread_drain();
		if (l0 != NULL)
			lwp0_leave(l0);
		/* FALLTHROUGH */
	case BOOT_PROC0:
		proc_fini();
		/* FALLTHROUGH */
	case BOOT_SCHED:
		kmem_fini();
		sched_fini();
		/* FALLTHROUGH */
	case BOOT_KMEM:
	case BOOT_NONE:
		break;
	}
}

static void
kmem_check_leaks(void)
{
	uint64_t left = kmem_inuse();

	if (left == 0)
		return;
	printf("rump: halt: %llu bytes of kernel memory were not freed\n",
	    (unsigned long long)left);
#ifdef DIAGNOSTIC
	panic("kernel memory leak");
#endif
}

int
rump_init(void)
{
	enum boot_step step = BOOT_NONE;
	struct lwp *l0 = NULL;
	unsigned int n;
	uint64_t memlimit;
	int error;

	if (atomic_load_acquire(&rump_booted))
		return EBUSY;
	if ((error = rumpuser_init(RUMPUSER_VERSION, &rump_hyp)) != 0)
		return error;
	if ((error = boot_params(&n, &memlimit)) != 0)
		return error;
	if ((error = kmem_init(memlimit)) != 0)
		goto fail;
	step = BOOT_KMEM;
	if ((error = sched_init(n)) != 0)
		goto fail;
	step = BOOT_SCHED;
	if ((error = proc_init()) != 0)
		goto fail;
	step = BOOT_PROC0;
	if ((l0 = lwp0_enter()) == NULL) {
		error = ENOMEM;
		goto fail;
	}
	kmem_sysinit_lock();
	time_init();
	kthread_sysinit();
	step = BOOT_KTHREAD;
	if ((error = callout_sysinit()) != 0)
		goto fail;
	step = BOOT_CALLOUT;
	if ((error = cprng_init()) != 0)
		goto fail;
	step = BOOT_CPRNG;
	if ((error = uname_init()) != 0)
		goto fail;
	if ((error = syscall_init()) != 0) {
		uname_fini();
		goto fail;
	}
	step = BOOT_SYSCALL;
	if ((error = component_init_all()) != 0)
		goto fail;
	step = BOOT_COMPONENTS;
	if ((error = proc_init_default()) != 0)
		goto fail;
	step = BOOT_DEFAULTPROC;

	if (kmem_limit() == UINT64_MAX)
		aprint_verbose("rump kernel booted: %u virtual CPU%s, no memory "
		    "limit\n", ncpu, ncpu == 1 ? "" : "s");
	else
		aprint_verbose("rump kernel booted: %u virtual CPU%s, memory "
		    "limit %llu bytes\n", ncpu, ncpu == 1 ? "" : "s",
		    (unsigned long long)kmem_limit());
	lwp0_leave(l0);
	__atomic_store_n(&rump_reboot_pending, 0, __ATOMIC_RELEASE);
	atomic_store_release(&rump_booted, 1);
	sched_set_open(true);
	return 0;

 fail:
	printf("rump_init: boot failed: error %d\n", error);
	boot_unwind(step, l0);
	return error;
}

/*
 * Has a halt begun (or is no kernel running)?  A thread that sleeps for
 * something only another thread can bring (a pipe's data, a lock) checks
 * this and gives up with EINTR, so that the halt, which waits for every
 * thread to leave the kernel, is never kept waiting for ever.  The same
 * holds for the call of a remote client that has gone away
 * (kern_sysproxy.c): it ends, so that the client's process can exit.
 */
bool
kernel_halting(void)
{
	struct lwp *l;

	if (!atomic_load_acquire(&rump_booted))
		return true;
	l = rumpuser_curlwp();
	return l != NULL && __predict_false(l->l_sysproxy != NULL) &&
	    rumpuser_sp_dropped(l->l_sysproxy);
}

/* Called by sys_reboot: the halt happens when the caller leaves. */
void
rump_reboot_request(int how)
{

	__atomic_store_n(&rump_reboot_pending, how + 1, __ATOMIC_RELEASE);
}

/*
 * Halt: called by the thread that asked, after it left the kernel.
 * A thread's own bound lwp goes with its process.
 */
void
rump_reboot_complete(void)
{
	/* Claim the request: of two racing reboots, one halts. */
	int how = (int)__atomic_exchange_n(&rump_reboot_pending, 0,
	    __ATOMIC_ACQ_REL) - 1;
	struct lwp *l0, *mine;

	if (how < 0 || !atomic_load_acquire(&rump_booted))
		return;
	atomic_store_release(&rump_booted, 0);
	sched_set_open(false);
	sysproxy_halt_begin();
	sched_drain();
	if ((mine = rumpuser_curlwp()) != NULL) {
		lwp_unbind(mine);
		if (mine->l_flags & LW_ORPHAN)
			lwp_free(mine);
	}
	if ((l0 = lwp0_enter()) == NULL)
		panic("rump halt: no memory for the halting lwp");
	aprint_verbose("rump kernel halting\n");
	sysproxy_halt();
	boot_unwind(BOOT_DEFAULTPROC, l0);
	kmem_check_leaks();
	if (how == 1)
		rumpuser_exit(0);
}
