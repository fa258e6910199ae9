/*
 * kern_sched.c: virtual CPUs.
 *
 * A rump kernel has no scheduler of its own: host threads run kernel code,
 * and the host schedules them.  What the kernel does limit is how many run
 * kernel code at once: ncpu virtual CPUs (RUMP_NCPU).  A thread entering
 * the kernel (rump_schedule) takes a free CPU, waiting if there is none;
 * leaving (rump_unschedule) puts it back.  A thread that blocks in the host
 * (a contended mutex, a condition variable, a sleep, I/O) gives its CPU up
 * first through the backend pair, which the platform calls around every
 * blocking hypercall, so a sleeper never keeps others out.
 *
 * A thread that enters without an lwp of its own borrows a temporary lwp of
 * the default process for the duration of the call (LW_TEMP); these are
 * kept on a small cache so that a system call does not allocate.
 *
 * Locking: sched_mtx, a host mutex taken without a virtual CPU ("nowrap"),
 * protects the free CPU list, the waiter count, the temporary-lwp cache
 * and the count of threads inside the kernel.  It is never held across
 * anything that blocks except its own condition variables.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/kmem.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

unsigned int ncpu;
static struct cpu_info *cpus;
static struct cpu_info *cpu_free;	/* sched_mtx */
static unsigned int cpu_waiters;	/* sched_mtx */
static unsigned int sched_inside;	/* sched_mtx: threads in the kernel */
static unsigned int drain_waiters;	/* sched_mtx */
static bool sched_open;			/* sched_mtx: booted, not halting */
static struct rumpuser_mtx *sched_mtx;
static struct rumpuser_cv *sched_cpu_cv;   /* a CPU became free */
static struct rumpuser_cv *sched_drain_cv; /* sched_inside went down */

#define TEMPLWP_CACHE 16
static struct lwp *templwp_cache[TEMPLWP_CACHE]; /* sched_mtx */
static unsigned int templwp_ncache;		 /* sched_mtx */

struct cpu_info *
cpu_lookup(unsigned int idx)
{

	return idx < ncpu ? &cpus[idx] : NULL;
}

struct lwp *
curlwp_get(void)
{

	return rumpuser_curlwp();
}

int
sched_init(unsigned int n)
{
	unsigned int i;
	int error;

	KASSERT(n > 0);
	cpus = kmem_zalloc(n * sizeof(*cpus), KM_SLEEP);
	if (cpus == NULL)
		return ENOMEM;
	if ((error = rumpuser_mutex_init(&sched_mtx, RUMPUSER_MTX_SPIN)) != 0)
		goto fail;
	if ((error = rumpuser_cv_init(&sched_cpu_cv)) != 0)
		goto fail;
	if ((error = rumpuser_cv_init(&sched_drain_cv)) != 0)
		goto fail;
	ncpu = n;
	cpu_free = NULL;
	for (i = n; i-- > 0;) {
		cpus[i].ci_index = i;
		cpus[i].ci_freenext = cpu_free;
		cpu_free = &cpus[i];
	}
	cpu_waiters = sched_inside = drain_waiters = 0;
	sched_open = false;
	templwp_ncache = 0;
	return 0;

 fail:
	sched_fini();
	return error ? error : ENOMEM;
}

void
sched_fini(void)
{

	while (templwp_ncache > 0)
		lwp_free(templwp_cache[--templwp_ncache]);
	if (sched_drain_cv != NULL)
		rumpuser_cv_destroy(sched_drain_cv);
	if (sched_cpu_cv != NULL)
		rumpuser_cv_destroy(sched_cpu_cv);
	if (sched_mtx != NULL)
		rumpuser_mutex_destroy(sched_mtx);
	sched_drain_cv = sched_cpu_cv = NULL;
	sched_mtx = NULL;
	if (cpus != NULL)
		kmem_free(cpus, ncpu * sizeof(*cpus));
	cpus = NULL;
	ncpu = 0;
}

/* Take a free CPU for l, waiting for one if need be. */
static void
cpu_take(struct lwp *l)
{
	struct cpu_info *ci;

	KASSERT(l->l_cpu == NULL);
	rumpuser_mutex_enter_nowrap(sched_mtx);
	while ((ci = cpu_free) == NULL) {
		cpu_waiters++;
		rumpuser_cv_wait_nowrap(sched_cpu_cv, sched_mtx);
		cpu_waiters--;
	}
	cpu_free = ci->ci_freenext;
	rumpuser_mutex_exit(sched_mtx);

	ci->ci_freenext = NULL;
	ci->ci_curlwp = l;
	ci->ci_nsched++;
	l->l_cpu = ci;
}

static void
cpu_give(struct lwp *l)
{
	struct cpu_info *ci = l->l_cpu;

	KASSERT(ci != NULL && ci->ci_curlwp == l);
	ci->ci_curlwp = NULL;
	l->l_cpu = NULL;

	rumpuser_mutex_enter_nowrap(sched_mtx);
	ci->ci_freenext = cpu_free;
	cpu_free = ci;
	if (cpu_waiters > 0)
		rumpuser_cv_signal(sched_cpu_cv);
	rumpuser_mutex_exit(sched_mtx);
}

/* A temporary lwp of the default process, for a thread without one. */
static struct lwp *
templwp_get(void)
{
	struct lwp *l = NULL;

	rumpuser_mutex_enter_nowrap(sched_mtx);
	if (templwp_ncache > 0)
		l = templwp_cache[--templwp_ncache];
	rumpuser_mutex_exit(sched_mtx);
	if (l == NULL) {
		l = lwp_alloc(proc_default(), LW_TEMP);
		if (l == NULL)
			panic("rump_schedule: no memory for a temporary lwp");
	}
	return l;
}

static void
templwp_put(struct lwp *l)
{

	rumpuser_mutex_enter_nowrap(sched_mtx);
	if (templwp_ncache < TEMPLWP_CACHE) {
		templwp_cache[templwp_ncache++] = l;
		l = NULL;
	}
	rumpuser_mutex_exit(sched_mtx);
	if (l != NULL)
		lwp_free(l);
}

/* Count a client thread in or out (kernel threads do not count: the
 * halt stops them itself). */
static void
sched_inside_adjust(int flags, int delta)
{

	if (flags & LW_SYSTEM)
		return;
	rumpuser_mutex_enter_nowrap(sched_mtx);
	KASSERT(delta > 0 || sched_inside > 0);
	sched_inside += delta;
	if (sched_inside == 0 && drain_waiters > 0)
		rumpuser_cv_broadcast(sched_drain_cv);
	rumpuser_mutex_exit(sched_mtx);
}

/* Take the calling thread's lwp, or a temporary one. */
static struct lwp *
sched_lwp(void)
{
	struct lwp *l = rumpuser_curlwp();

	if (l != NULL && __predict_false(l->l_flags & LW_ORPHAN)) {
		/* Bound before a halt: that kernel is gone. */
		lwp_unbind(l);
		lwp_free(l);
		l = NULL;
	}
	if (l == NULL) {
		l = templwp_get();
		lwp_bind(l);
	}
	return l;
}

/*
 * The entry of system calls: like rump_schedule(), but only into a kernel
 * that is booted and not halting, atomically with respect to the halt's
 * drain.  false: no kernel to enter (the caller returns ENXIO).
 */
bool
sched_enter_booted(void)
{
	struct lwp *l;
	bool open;

	if (sched_mtx == NULL)
		return false;
	rumpuser_mutex_enter_nowrap(sched_mtx);
	if ((open = sched_open))
		sched_inside++;
	rumpuser_mutex_exit(sched_mtx);
	if (!open)
		return false;
	l = sched_lwp();
	cpu_take(l);
	if (__predict_false(l->l_cred != l->l_proc->p_cred))
		lwp_cred_refresh(l);
	if (l->l_flags & LW_SYSTEM)	/* not counted after all */
		sched_inside_adjust(0, -1);
	return true;
}

void
sched_set_open(bool open)
{

	rumpuser_mutex_enter_nowrap(sched_mtx);
	sched_open = open;
	rumpuser_mutex_exit(sched_mtx);
}

void
rump_schedule(void)
{
	struct lwp *l = sched_lwp();

	sched_inside_adjust(l->l_flags, 1);
	cpu_take(l);
	if (__predict_false(l->l_cred != l->l_proc->p_cred))
		lwp_cred_refresh(l);
}

void
rump_unschedule(void)
{
	struct lwp *l = rumpuser_curlwp();
	int flags;

	KASSERT(l != NULL);
	flags = l->l_flags;
	cpu_give(l);
	if (flags & LW_TEMP) {
		lwp_unbind(l);
		templwp_put(l);
	}
	/* Last: after this, a halt may tear the scheduler down. */
	sched_inside_adjust(flags, -1);
}

void
sched_backend_unschedule(void)
{

	cpu_give(rumpuser_curlwp());
}

void
sched_backend_schedule(void)
{

	cpu_take(rumpuser_curlwp());
}

/*
 * Wait until no thread but the caller (who holds no CPU) is inside the
 * kernel.  Threads blocked inside the kernel keep the halt waiting.
 */
void
sched_drain(void)
{

	rumpuser_mutex_enter_nowrap(sched_mtx);
	while (sched_inside > 0) {
		drain_waiters++;
		rumpuser_cv_wait_nowrap(sched_drain_cv, sched_mtx);
		drain_waiters--;
	}
	rumpuser_mutex_exit(sched_mtx);
}

/*
 * For the halt, after the kernel threads said they are done: wait until
 * they have given back their CPUs too.  The caller holds one CPU.
 */
void
sched_wait_idle(void)
{
	struct cpu_info *ci;
	unsigned int nfree;

	for (;;) {
		rumpuser_mutex_enter_nowrap(sched_mtx);
		for (nfree = 0, ci = cpu_free; ci != NULL; ci = ci->ci_freenext)
			nfree++;
		rumpuser_mutex_exit(sched_mtx);
		if (nfree + 1 >= ncpu)
			return;
		rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 100000);
	}
}

void
lwp_bind(struct lwp *l)
{

	KASSERT(!(l->l_flags & LW_BOUND));
	l->l_flags |= LW_BOUND;
	rumpuser_curlwpop(RUMPUSER_LWP_SET, l);
}

void
lwp_unbind(struct lwp *l)
{

	KASSERT(l->l_flags & LW_BOUND);
	KASSERT(rumpuser_curlwp() == l);
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
	l->l_flags &= ~LW_BOUND;
}
