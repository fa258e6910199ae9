/*
 * ktest_kern.k.c: kernel-side tests of the kernel base (locks, memory,
 * pools, kernel threads, callouts, components).  Kernel code: it is built
 * with the kernel's flags into librumpkern_ktest_kern and called by
 * t_kern.c.  Each rump_ktest_* returns 0, or the line of the first check
 * that failed.  The caller has booted a kernel; each function enters it.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/callout.h>
#include <sys/component.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/pool.h>
#include <sys/rwlock.h>
#include <sys/uio.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#define CHECK(e) do { if (!(e)) { error = __LINE__; goto out; } } while (0)

static uint64_t
now_ns(void)
{
	int64_t sec;
	long nsec;

	rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec, &nsec);
	return (uint64_t)sec * 1000000000ULL + (uint64_t)nsec;
}

/* Test components: b depends on a; their init order is recorded. */
int rump_ktest_component_fail;	/* set by the test: b's init fails */
static char component_order[8];
static unsigned int component_norder;

static int
ktest_a_init(void)
{

	if (component_norder < sizeof(component_order) - 1)
		component_order[component_norder++] = 'a';
	return 0;
}

static void
ktest_a_fini(void)
{

	component_norder = 0;
}

static int
ktest_b_init(void)
{

	if (rump_ktest_component_fail)
		return EIO;
	if (component_norder < sizeof(component_order) - 1)
		component_order[component_norder++] = 'b';
	return 0;
}

RUMP_COMPONENT(ktest_b, "ktest_a", ktest_b_init, NULL)
RUMP_COMPONENT(ktest_a, "", ktest_a_init, ktest_a_fini)

int
rump_ktest_components(void)
{
	int error = 0;

	rump_schedule();
	CHECK(rump_component_present("ktest_a"));
	CHECK(rump_component_present("ktest_b"));
	CHECK(!rump_component_present("ktest_none"));
	CHECK(component_norder == 2);
	CHECK(component_order[0] == 'a' && component_order[1] == 'b');
 out:
	rump_unschedule();
	return error;
}

/* Mutex: N kernel threads increment a counter under a mutex. */
#define MTX_THREADS 4
#define MTX_ROUNDS 20000
static kmutex_t t_mtx;
static unsigned long t_counter;

static void
mtx_worker(void *arg __unused)
{
	int i;

	for (i = 0; i < MTX_ROUNDS; i++) {
		mutex_enter(&t_mtx);
		t_counter++;
		mutex_exit(&t_mtx);
	}
}

int
rump_ktest_mutex(void)
{
	struct lwp *l[MTX_THREADS];
	int i, error = 0;

	rump_schedule();
	mutex_init(&t_mtx, MUTEX_DEFAULT, IPL_NONE);
	t_counter = 0;
	CHECK(!mutex_owned(&t_mtx));
	mutex_enter(&t_mtx);
	CHECK(mutex_owned(&t_mtx));
	CHECK(!mutex_tryenter(&t_mtx) || (mutex_exit(&t_mtx), 0));
	mutex_exit(&t_mtx);
	CHECK(mutex_tryenter(&t_mtx));
	mutex_exit(&t_mtx);
	for (i = 0; i < MTX_THREADS; i++)
		CHECK(kthread_create(KTHREAD_MUSTJOIN, mtx_worker, NULL, &l[i],
		    "mtx%d", i) == 0);
	for (i = 0; i < MTX_THREADS; i++)
		CHECK(kthread_join(l[i]) == 0);
	CHECK(t_counter == (unsigned long)MTX_THREADS * MTX_ROUNDS);
 out:
	mutex_destroy(&t_mtx);
	rump_unschedule();
	return error;
}

/* Condition variables: two threads hand a token back and forth; with one
 * virtual CPU this only works if cv_wait gives the CPU up. */
#define PINGPONG_ROUNDS 2000
static kmutex_t pp_mtx;
static kcondvar_t pp_cv;
static int pp_turn, pp_count;

static void
pp_worker(void *arg)
{
	int me = (int)(uintptr_t)arg, i;

	for (i = 0; i < PINGPONG_ROUNDS; i++) {
		mutex_enter(&pp_mtx);
		while (pp_turn != me)
			cv_wait(&pp_cv, &pp_mtx);
		pp_count++;
		pp_turn = 1 - me;
		cv_broadcast(&pp_cv);
		mutex_exit(&pp_mtx);
	}
}

int
rump_ktest_condvar(void)
{
	struct lwp *a, *b;
	uint64_t t0;
	int error = 0, r;

	rump_schedule();
	mutex_init(&pp_mtx, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&pp_cv, "pingpong");
	pp_turn = pp_count = 0;
	CHECK(kthread_create(KTHREAD_MUSTJOIN, pp_worker, (void *)0, &a,
	    "ping") == 0);
	CHECK(kthread_create(KTHREAD_MUSTJOIN, pp_worker, (void *)1, &b,
	    "pong") == 0);
	CHECK(kthread_join(a) == 0);
	CHECK(kthread_join(b) == 0);
	CHECK(pp_count == 2 * PINGPONG_ROUNDS);

	/* A timed wait that nobody signals times out, and not early. */
	mutex_enter(&pp_mtx);
	t0 = now_ns();
	r = cv_timedwait_ns(&pp_cv, &pp_mtx, 30 * 1000000ULL);
	CHECK(mutex_owned(&pp_mtx));
	mutex_exit(&pp_mtx);
	CHECK(r == ETIMEDOUT);
	CHECK(now_ns() - t0 >= 30 * 1000000ULL);
 out:
	cv_destroy(&pp_cv);
	mutex_destroy(&pp_mtx);
	rump_unschedule();
	return error;
}

/* Reader/writer lock: readers share, a writer excludes. */
static krwlock_t t_rw;

int
rump_ktest_rwlock(void)
{
	int error = 0;

	rump_schedule();
	rw_init(&t_rw);
	rw_enter(&t_rw, RW_READER);
	CHECK(rw_read_held(&t_rw));
	CHECK(rw_tryenter(&t_rw, RW_READER));
	CHECK(!rw_tryenter(&t_rw, RW_WRITER));
	rw_exit(&t_rw);
	rw_exit(&t_rw);
	CHECK(!rw_lock_held(&t_rw));
	rw_enter(&t_rw, RW_WRITER);
	CHECK(rw_write_held(&t_rw));
	CHECK(!rw_tryenter(&t_rw, RW_READER));
	rw_exit(&t_rw);
	CHECK(!rw_write_held(&t_rw));
 out:
	rw_destroy(&t_rw);
	rump_unschedule();
	return error;
}

/* kmem under a memory limit set by the caller (RUMP_MEMLIMIT=8m). */
static void *reclaim_cache;
static size_t reclaim_cache_size;
static unsigned int reclaim_calls;

static size_t
ktest_reclaim(size_t want __unused)
{
	size_t got = reclaim_cache_size;

	reclaim_calls++;
	if (reclaim_cache != NULL)
		kmem_free(reclaim_cache, reclaim_cache_size);
	reclaim_cache = NULL;
	reclaim_cache_size = 0;
	return got;
}

int
rump_ktest_kmem_limit(void)
{
	struct kmem_reclaimer kr = { .kr_name = "ktest",
	    .kr_reclaim = ktest_reclaim };
	uint64_t before;
	void *p = NULL, *q = NULL;
	int error = 0;

	rump_schedule();
	CHECK(kmem_limit() == 8ULL << 20);
	before = kmem_inuse();
	CHECK(kmem_alloc(16ULL << 20, KM_SLEEP) == NULL);
	CHECK(kmem_inuse() == before);
	CHECK((p = kmem_alloc(100000, KM_SLEEP)) != NULL);
	CHECK(kmem_inuse() >= before + 100000);
	memset(p, 0xa5, 100000);
	kmem_free(p, 100000);
	p = NULL;
	CHECK(kmem_inuse() == before);

	/* A cache holding 5 MiB gives it back so that 5 MiB more fit. */
	reclaim_cache_size = 5 << 20;
	CHECK((reclaim_cache = kmem_alloc(reclaim_cache_size, KM_SLEEP)) !=
	    NULL);
	kmem_reclaimer_register(&kr);
	reclaim_calls = 0;
	q = kmem_alloc(5 << 20, KM_SLEEP);
	kmem_reclaimer_unregister(&kr);
	CHECK(q != NULL);
	CHECK(reclaim_calls == 1);
	CHECK(reclaim_cache == NULL);
	kmem_free(q, 5 << 20);
	q = NULL;
	CHECK((p = kmem_alloc_aligned(65536, 65536, KM_SLEEP)) != NULL);
	CHECK(((uintptr_t)p & 65535) == 0);
	kmem_free_aligned(p, 65536);
	p = NULL;
	CHECK(kmem_inuse() == before);
 out:
	if (reclaim_cache != NULL)
		kmem_free(reclaim_cache, reclaim_cache_size);
	reclaim_cache = NULL;
	rump_unschedule();
	return error;
}

/* Pools hand out distinct aligned objects and give their slabs back. */
#define POOL_N 1000
int
rump_ktest_pool(void)
{
	static void *objs[POOL_N];
	struct pool pl;
	uint64_t before;
	int i, j, error = 0;

	rump_schedule();
	before = kmem_inuse();
	pool_init(&pl, 100, 16, "ktest");
	for (i = 0; i < POOL_N; i++) {
		objs[i] = pool_get(&pl, PR_WAITOK | PR_ZERO);
		CHECK(objs[i] != NULL);
		CHECK(((uintptr_t)objs[i] & 15) == 0);
		CHECK(((unsigned char *)objs[i])[99] == 0);
		memset(objs[i], i & 0xff, 100);
	}
	for (i = 0; i < POOL_N; i++)
		for (j = 0; j < 100; j++)
			CHECK(((unsigned char *)objs[i])[j] == (i & 0xff));
	CHECK(kmem_inuse() > before);
	for (i = 0; i < POOL_N; i++)
		pool_put(&pl, objs[i]);
	CHECK(pl.pr_nout == 0);
	CHECK(pl.pr_nslabs <= 1);
	pool_destroy(&pl);
	CHECK(kmem_inuse() == before);
 out:
	rump_unschedule();
	return error;
}

/* Callouts fire in due order, not early; a stopped one never fires. */
static kmutex_t co_mtx;
static kcondvar_t co_cv;
static char co_order[8];
static unsigned int co_n;

static void
co_fire(void *arg)
{

	mutex_enter(&co_mtx);
	if (co_n < sizeof(co_order) - 1)
		co_order[co_n++] = (char)(uintptr_t)arg;
	cv_broadcast(&co_cv);
	mutex_exit(&co_mtx);
}

int
rump_ktest_callout(void)
{
	callout_t c1, c2, c3, c4;
	uint64_t t0;
	int error = 0;

	rump_schedule();
	mutex_init(&co_mtx, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&co_cv, "cotest");
	co_n = 0;
	callout_init(&c1, 0);
	callout_init(&c2, 0);
	callout_init(&c3, 0);
	callout_init(&c4, 0);
	t0 = now_ns();
	callout_reset_ns(&c3, 60 * 1000000ULL, co_fire, (void *)'3');
	callout_reset_ns(&c1, 20 * 1000000ULL, co_fire, (void *)'1');
	callout_reset_ns(&c2, 40 * 1000000ULL, co_fire, (void *)'2');
	callout_reset_ns(&c4, 30 * 1000000ULL, co_fire, (void *)'4');
	CHECK(callout_pending(&c4));
	CHECK(callout_stop(&c4));
	CHECK(!callout_pending(&c4));
	CHECK(!callout_stop(&c4));
	mutex_enter(&co_mtx);
	while (co_n < 3)
		cv_wait(&co_cv, &co_mtx);
	mutex_exit(&co_mtx);
	CHECK(now_ns() - t0 >= 60 * 1000000ULL);
	CHECK(co_order[0] == '1' && co_order[1] == '2' && co_order[2] == '3');
	CHECK(!callout_pending(&c1));
	/* A rescheduled callout moves; halt cancels a pending one. */
	callout_schedule_ns(&c1, 10ULL * 1000000000ULL);
	CHECK(callout_halt(&c1));
	CHECK(!callout_pending(&c1));
	CHECK(co_n == 3);
 out:
	callout_halt(&c1);
	callout_halt(&c2);
	callout_halt(&c3);
	callout_halt(&c4);
	callout_destroy(&c1);
	callout_destroy(&c2);
	callout_destroy(&c3);
	callout_destroy(&c4);
	cv_destroy(&co_cv);
	mutex_destroy(&co_mtx);
	rump_unschedule();
	return error;
}

/* A detached kernel thread runs and ends by itself. */
static volatile int kt_ran;

static void
kt_detached(void *arg __unused)
{

	KASSERT(curlwp->l_flags & LW_SYSTEM);
	KASSERT(curlwp->l_cpu != NULL);
	atomic_store_release(&kt_ran, 1);
}

int
rump_ktest_kthread(void)
{
	int error = 0, i;

	rump_schedule();
	kt_ran = 0;
	CHECK(kthread_create(0, kt_detached, NULL, NULL, "detached") == 0);
	/* The sleep gives the virtual CPU up (it is a wrapped hypercall). */
	for (i = 0; i < 2000 && !atomic_load_acquire(&kt_ran); i++)
		rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 1000000);
	CHECK(atomic_load_acquire(&kt_ran));
 out:
	rump_unschedule();
	return error;
}

/* Memory in use, for leak checks across calls. */
unsigned long long
rump_ktest_kmem_inuse(void)
{

	return kmem_inuse();
}

/* Taking two locks in both orders panics (lockdebug, DIAGNOSTIC). */
/* Was the kernel built with its checks (KASSERT, the lock-order checker)? */
int
rump_ktest_diagnostic(void)
{

#ifdef DIAGNOSTIC
	return 1;
#else
	return 0;
#endif
}

int
rump_ktest_lockorder_reversal(void)
{
	static kmutex_t a, b;

	rump_schedule();
	mutex_init(&a, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&b, MUTEX_DEFAULT, IPL_NONE);
	mutex_enter(&a);
	mutex_enter(&b);
	mutex_exit(&b);
	mutex_exit(&a);
	mutex_enter(&b);
	mutex_enter(&a);	/* panics here */
	mutex_exit(&a);
	mutex_exit(&b);
	rump_unschedule();
	return __LINE__;
}

/* The same order twice, with a condition variable wait in between, is
 * fine. */
int
rump_ktest_lockorder_consistent(void)
{
	static kmutex_t a, b;
	static kcondvar_t cv;
	int i, error = 0;

	rump_schedule();
	mutex_init(&a, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&b, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&cv, "lockorder");
	for (i = 0; i < 3; i++) {
		mutex_enter(&a);
		mutex_enter(&b);
		CHECK(cv_timedwait_ns(&cv, &b, 1000) == ETIMEDOUT);
		mutex_exit(&b);
		mutex_exit(&a);
	}
	mutex_enter(&b);
	mutex_exit(&b);
 out:
	cv_destroy(&cv);
	mutex_destroy(&b);
	mutex_destroy(&a);
	rump_unschedule();
	return error;
}

/*
 * uiomove: a read scatters a kernel buffer over the caller's three user
 * buffers and advances the uio; a bad user address stops it with EFAULT
 * after what was moved before.
 */
int
rump_ktest_uiomove(char *ubuf, size_t ulen)
{
	char kbuf[64];
	struct iovec iov[3];
	struct uio uio;
	int i, error = 0;

	rump_schedule();
	CHECK(ulen >= 30);
	for (i = 0; i < (int)sizeof(kbuf); i++)
		kbuf[i] = (char)('a' + i % 26);
	iov[0].iov_base = ubuf;
	iov[0].iov_len = 10;
	iov[1].iov_base = ubuf + 10;
	iov[1].iov_len = 0;
	iov[2].iov_base = ubuf + 10;
	iov[2].iov_len = 20;
	uio.uio_iov = iov;
	uio.uio_iovcnt = 3;
	uio.uio_offset = 100;
	uio.uio_resid = 30;
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = UIO_USERSPACE;
	CHECK(uiomove(kbuf, 25, &uio) == 0);
	CHECK(uio.uio_resid == 5 && uio.uio_offset == 125);
	CHECK(memcmp(ubuf, kbuf, 25) == 0);
	CHECK(uiomove(kbuf + 25, 100, &uio) == 0);	/* only 5 fit */
	CHECK(uio.uio_resid == 0 && uio.uio_offset == 130);
	CHECK(memcmp(ubuf, kbuf, 30) == 0);

	/* Writing from a user address in the null page faults. */
	iov[0].iov_base = (void *)16;
	iov[0].iov_len = 8;
	uio.uio_iov = iov;
	uio.uio_iovcnt = 1;
	uio.uio_resid = 8;
	uio.uio_rw = UIO_WRITE;
	CHECK(uiomove(kbuf, 8, &uio) == EFAULT);
	CHECK(uio.uio_resid == 8);
 out:
	rump_unschedule();
	return error;
}
