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
 * Every system call goes through here twice, so the common case takes no
 * lock.  A CPU is free when its ci_curlwp is NULL; a thread takes it by
 * compare-and-swap, starting from a CPU that a hash of its lwp (or of its
 * stack, for a thread without one) picks, so that threads spread over the
 * CPUs.  Only when every CPU is taken does a thread sleep, on
 * sched_cpu_cv; whoever gives a CPU back signals it when cpu_waiters says
 * someone sleeps.  The slots of the CPUs are a cache line apart.
 *
 * A thread that enters without an lwp of its own borrows a temporary lwp
 * of the default process for the duration of the call (LW_TEMP).  Each
 * CPU keeps one in its slot, which the thread that holds the CPU may take
 * without a lock; more are kept on a small cache under sched_mtx.
 *
 * The gate: the counters of sched_gate count the client threads inside
 * the kernel (holding a CPU, waiting for one, or blocked), and sched_open
 * says whether the kernel takes system calls.  An entering thread counts
 * itself in and then looks at sched_open; the halt clears sched_open and
 * then waits for the counters to reach zero (sched_drain).  Both sides use
 * sequentially consistent operations, so either the thread sees the
 * kernel closed and backs out, or the halt sees the thread and waits.
 * The count is split over GATE_SHARDS cache lines, picked by the same
 * kind of hash as the CPUs, so that threads on different CPUs do not
 * write the same line; a thread counts itself out of the counter it
 * counted itself into (l_gate), which keeps each counter at zero or
 * above and makes "every counter zero" mean that nobody is inside.
 *
 * Locking: sched_mtx, a host mutex taken without a virtual CPU ("nowrap"),
 * protects the sleeps on sched_cpu_cv and sched_drain_cv and the
 * temporary-lwp cache; it is never held across anything that blocks
 * except its own condition variables.  It and the condition variables are
 * created at the first boot and kept for the life of the process, so that
 * a system call racing with the end of a halt never meets a freed lock.
 * A CPU's slot (cs_templwp, ci_nsched) belongs to the thread holding it.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/cpu.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/kmem.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

#define SEQ_CST __ATOMIC_SEQ_CST

/* A virtual CPU and what its holder keeps there, a cache line apart. */
struct cpu_slot {
	struct cpu_info cs_ci;		/* first: a cpu_info is its slot */
	struct lwp *cs_templwp;		/* holder: a spare temporary lwp */
};
#define CPU_SLOT_SIZE 128
union cpu_slot_pad {
	struct cpu_slot s;
	char pad[CPU_SLOT_SIZE];
};
CTASSERT(sizeof(struct cpu_slot) <= CPU_SLOT_SIZE / 2);

/* ci_curlwp of a CPU being taken by a thread without an lwp yet. */
static char cpu_claimed_mark;
#define CPU_CLAIMED ((struct lwp *)(void *)&cpu_claimed_mark)

unsigned int ncpu;
static union cpu_slot_pad *cpus;		/* c: between init and fini */
static bool sched_open;				/* atomic */
static unsigned int cpu_waiters;		/* atomic, sched_mtx */
static unsigned int drain_waiters;		/* atomic, sched_mtx */
#define GATE_SHARDS 8
static struct gate_shard {
	unsigned int gs_inside;				/* atomic */
} __aligned(64) sched_gate[GATE_SHARDS];

static struct rumpuser_mtx *sched_mtx;	/* c: created once */
static struct rumpuser_cv *sched_cpu_cv;   /* a CPU became free */
static struct rumpuser_cv *sched_drain_cv; /* a gate counter went down */

#define TEMPLWP_CACHE 16
static struct lwp *templwp_cache[TEMPLWP_CACHE]; /* sched_mtx */
static unsigned int templwp_ncache;		 /* sched_mtx */

static unsigned int gate_count(void);

static inline struct cpu_slot *
cpu_slot(struct cpu_info *ci)
{

	return (struct cpu_slot *)ci;
}

struct cpu_info *
cpu_lookup(unsigned int idx)
{

	return idx < ncpu ? &cpus[idx].s.cs_ci : NULL;
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
	int error = 0;

	KASSERT(n > 0);
	KASSERT(gate_count() == 0);
	if (sched_mtx == NULL &&
	    (error = rumpuser_mutex_init(&sched_mtx, RUMPUSER_MTX_SPIN)) != 0)
		goto out;
	if (sched_cpu_cv == NULL &&
	    (error = rumpuser_cv_init(&sched_cpu_cv)) != 0)
		goto out;
	if (sched_drain_cv == NULL &&
	    (error = rumpuser_cv_init(&sched_drain_cv)) != 0)
		goto out;
	cpus = kmem_zalloc(n * sizeof(*cpus), KM_SLEEP);
	if (cpus == NULL) {
		error = ENOMEM;
		goto out;
	}
	ncpu = n;
	for (i = 0; i < n; i++)
		cpus[i].s.cs_ci.ci_index = i;
	atomic_store_relaxed(&cpu_waiters, 0);
	atomic_store_relaxed(&drain_waiters, 0);
	atomic_store_relaxed(&sched_open, false);
	templwp_ncache = 0;
 out:
	return error;
}

void
sched_fini(void)
{
	unsigned int i;

	while (templwp_ncache > 0)
		lwp_free(templwp_cache[--templwp_ncache]);
	if (cpus != NULL) {
		for (i = 0; i < ncpu; i++) {
			KASSERT(atomic_load_relaxed(&cpus[i].s.cs_ci.ci_curlwp) == NULL);
			if (cpus[i].s.cs_templwp != NULL)
				lwp_free(cpus[i].s.cs_templwp);
		}
		kmem_free(cpus, ncpu * sizeof(*cpus));
	}
	cpus = NULL;
	ncpu = 0;
}

/*
 * Where a thread starts looking for a free CPU: a hash of p spread over
 * the CPUs (multiplicative, without a division).
 */
static inline unsigned int
cpu_hint(uintptr_t p)
{
	uint32_t h = (uint32_t)(((uint64_t)p * 0x9e3779b97f4a7c15ULL) >> 32);

	return (unsigned int)(((uint64_t)h * ncpu) >> 32);
}

/* Take a free CPU for l (or CPU_CLAIMED) without waiting; NULL if none. */
static struct cpu_info *
cpu_try(struct lwp *l, unsigned int i)
{
	struct cpu_info *ci;
	struct lwp *expect;
	unsigned int n;

	for (n = ncpu; n > 0; n--) {
		ci = &cpus[i].s.cs_ci;
		if (atomic_load_relaxed(&ci->ci_curlwp) == NULL) {
			expect = NULL;
			if (__atomic_compare_exchange_n(&ci->ci_curlwp, &expect,
			    l, false, SEQ_CST, __ATOMIC_RELAXED))
				return ci;
		}
		if (++i == ncpu)
			i = 0;
	}
	return NULL;
}

/* Take a CPU for l, sleeping until one is free. */
static struct cpu_info *
cpu_wait(struct lwp *l, unsigned int hint)
{
	struct cpu_info *ci;

	rumpuser_mutex_enter_nowrap(sched_mtx);
	__atomic_add_fetch(&cpu_waiters, 1, SEQ_CST);
	while ((ci = cpu_try(l, hint)) == NULL)
		rumpuser_cv_wait_nowrap(sched_cpu_cv, sched_mtx);
	__atomic_sub_fetch(&cpu_waiters, 1, SEQ_CST);
	rumpuser_mutex_exit(sched_mtx);
	return ci;
}

/* Make ci free and wake a thread sleeping for a CPU, if there is one. */
static void
cpu_release(struct cpu_info *ci)
{

	__atomic_store_n(&ci->ci_curlwp, NULL, SEQ_CST);
	if (__predict_false(__atomic_load_n(&cpu_waiters, SEQ_CST) > 0)) {
		rumpuser_mutex_enter_nowrap(sched_mtx);
		rumpuser_cv_signal(sched_cpu_cv);
		rumpuser_mutex_exit(sched_mtx);
	}
}

/* Take a free CPU for l, waiting for one if need be. */
static void
cpu_take(struct lwp *l)
{
	unsigned int hint;
	struct cpu_info *ci;

	KASSERT(l->l_cpu == NULL);
	hint = l->l_lastcpu > 0 && l->l_lastcpu <= ncpu ? l->l_lastcpu - 1 :
	    cpu_hint((uintptr_t)l);
	if (__predict_false((ci = cpu_try(l, hint)) == NULL))
		ci = cpu_wait(l, hint);
	ci->ci_nsched++;
	l->l_cpu = ci;
	l->l_lastcpu = ci->ci_index + 1;
}

static void
cpu_give(struct lwp *l)
{
	struct cpu_info *ci = l->l_cpu;

	KASSERT(ci != NULL && atomic_load_relaxed(&ci->ci_curlwp) == l);
	l->l_cpu = NULL;
	cpu_release(ci);
}

/* A temporary lwp of the default process from the cache, or a new one. */
/*
 * The process of temporary lwps: the default process, or proc0 once the
 * halt has ended the default process (proc_exit_all) while host threads
 * may still enter (an I/O completion of the last writes).
 */
static struct proc *
templwp_proc(void)
{
	struct proc *p = proc_default();

	return p != NULL ? p : proc0;
}

/* A cached temporary lwp, unless its process has gone since. */
static struct lwp *
templwp_fresh(struct lwp *l)
{

	if (l == NULL || l->l_proc == templwp_proc())
		return l;
	lwp_free(l);
	return NULL;
}

static struct lwp *
templwp_get(void)
{
	struct lwp *l = NULL;

	rumpuser_mutex_enter_nowrap(sched_mtx);
	if (templwp_ncache > 0)
		l = templwp_cache[--templwp_ncache];
	rumpuser_mutex_exit(sched_mtx);
	if ((l = templwp_fresh(l)) == NULL) {
		l = lwp_alloc(templwp_proc(), LW_TEMP);
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

/*
 * Enter for a thread without an lwp (or with the orphan old, which goes):
 * take a CPU, then the temporary lwp kept in its slot, or one from the
 * cache (lwp_alloc only mallocs: holding the CPU meanwhile is fine).
 */
static struct lwp *
sched_enter_temp(struct lwp *old)
{
	uintptr_t hint = (uintptr_t)&old >> 16; /* this thread's stack */
	struct cpu_info *ci;
	struct cpu_slot *cs;
	struct lwp *l;

	if (old != NULL) {
		/* Bound before a halt: that kernel is gone. */
		KASSERT(old->l_flags & LW_ORPHAN);
		lwp_unbind(old);
		lwp_free(old);
	}
	if (__predict_false((ci = cpu_try(CPU_CLAIMED, cpu_hint(hint))) ==
	    NULL))
		ci = cpu_wait(CPU_CLAIMED, cpu_hint(hint));
	cs = cpu_slot(ci);
	if ((l = cs->cs_templwp) != NULL)
		cs->cs_templwp = NULL;
	if ((l = templwp_fresh(l)) == NULL)
		l = templwp_get();
	lwp_bind(l);
	atomic_store_relaxed(&ci->ci_curlwp, l);
	ci->ci_nsched++;
	l->l_cpu = ci;
	return l;
}

/* Leave with the temporary lwp l: keep it in the CPU's slot if free. */
static void
sched_leave_temp(struct lwp *l)
{
	struct cpu_info *ci = l->l_cpu;
	struct cpu_slot *cs = cpu_slot(ci);

	KASSERT(ci != NULL && atomic_load_relaxed(&ci->ci_curlwp) == l);
	lwp_unbind(l);
	l->l_cpu = NULL;
	if (cs->cs_templwp == NULL) {
		cs->cs_templwp = l;
		l = NULL;
	}
	cpu_release(ci);
	if (l != NULL)
		templwp_put(l);
}

/* The gate counter of lwp l, or of a thread without one (its stack). */
static inline unsigned int
gate_shard(struct lwp *l)
{
	uintptr_t p = l != NULL ? (uintptr_t)l : (uintptr_t)&l >> 16;

	return (unsigned int)(((uint64_t)p * 0x9e3779b97f4a7c15ULL) >> 61);
}

/* Count a client thread in: false if the kernel is closed. */
static inline bool
gate_enter(unsigned int s)
{

	__atomic_add_fetch(&sched_gate[s].gs_inside, 1, SEQ_CST);
	return __atomic_load_n(&sched_open, SEQ_CST);
}

/* Count a client thread out, waking the halt if it waits for the last. */
static inline void
gate_leave(unsigned int s)
{

	if (__atomic_sub_fetch(&sched_gate[s].gs_inside, 1, SEQ_CST) == 0 &&
	    __predict_false(__atomic_load_n(&drain_waiters, SEQ_CST) > 0)) {
		rumpuser_mutex_enter_nowrap(sched_mtx);
		rumpuser_cv_broadcast(sched_drain_cv);
		rumpuser_mutex_exit(sched_mtx);
	}
}

/* Client threads inside, or 0 (the sum of the gate counters). */
static unsigned int
gate_count(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < GATE_SHARDS; i++)
		n += __atomic_load_n(&sched_gate[i].gs_inside, SEQ_CST);
	return n;
}

/*
 * Take a CPU with the calling thread's lwp l, or with a temporary one;
 * s: the gate counter that the thread counted itself in (l_gate).
 */
static struct lwp *
sched_take(struct lwp *l, unsigned int s)
{

	if (__predict_true(l != NULL && !(l->l_flags & LW_ORPHAN)))
		cpu_take(l);
	else
		l = sched_enter_temp(l);
	l->l_gate = s;
	if (__predict_false(l->l_cred != l->l_proc->p_cred))
		lwp_cred_refresh(l);
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
	struct lwp *l = rumpuser_curlwp();
	unsigned int s = gate_shard(l);

	if (__predict_false(!gate_enter(s))) {
		gate_leave(s);
		return false;
	}
	l = sched_take(l, s);
	if (__predict_false(l->l_flags & LW_SYSTEM))	/* not counted */
		gate_leave(s);
	return true;
}

void
sched_set_open(bool open)
{

	__atomic_store_n(&sched_open, open, SEQ_CST);
}

void
rump_schedule(void)
{
	struct lwp *l = rumpuser_curlwp();
	unsigned int s = gate_shard(l);

	/* Kernel threads do not count: the halt stops them itself. */
	if (l == NULL || !(l->l_flags & LW_SYSTEM))
		__atomic_add_fetch(&sched_gate[s].gs_inside, 1, SEQ_CST);
	sched_take(l, s);
}

void
rump_unschedule(void)
{
	struct lwp *l = rumpuser_curlwp();
	unsigned int s;
	int flags;

	KASSERT(l != NULL);
	flags = l->l_flags;
	s = l->l_gate;
	if (flags & LW_TEMP)
		sched_leave_temp(l);
	else
		cpu_give(l);
	/* Last: after this, a halt may tear the scheduler down. */
	if (!(flags & LW_SYSTEM))
		gate_leave(s);
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
	__atomic_add_fetch(&drain_waiters, 1, SEQ_CST);
	while (gate_count() > 0)
		rumpuser_cv_wait_nowrap(sched_drain_cv, sched_mtx);
	__atomic_sub_fetch(&drain_waiters, 1, SEQ_CST);
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
	unsigned int i, nfree;

	for (;;) {
		for (nfree = 0, i = 0; i < ncpu; i++) {
			ci = &cpus[i].s.cs_ci;
			if (__atomic_load_n(&ci->ci_curlwp, SEQ_CST) == NULL)
				nfree++;
		}
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
