/*
 * kern_sysproxy.c: the kernel side of the system-call proxy (remote
 * clients, docs/sysproxy.md).
 *
 * The platform (rumpuser_sp_*) owns the sockets, the frames and the
 * threads; the kernel owns what a client is inside the kernel: a process.
 * Each connection is one struct spclient holding one process, made when
 * the client connects (sysproxy_connect) or when its parent prepares a
 * fork (sysproxy_fork), and ended when the platform says the client is
 * gone (sysproxy_gone), after its last call has returned.  Between calls
 * the process has no lwp; each remote call runs in a fresh lwp of it,
 * bound to the platform thread that runs the call, whose l_sysproxy is
 * the platform's handle of the call: copyin and friends (subr_copy.c)
 * see it and send their copies to the client (sysproxy_copy*).
 *
 * Halt: sysproxy_halt_begin (the kernel is closed, threads may still be
 * inside) has the platform drop every client, which fails their copies,
 * so that their calls end and the drain completes; sysproxy_halt (after
 * the drain, no system call inside) forgets the clients' processes,
 * which proc_exit_all then ends with the others, and joins the
 * platform's threads.
 *
 * An spclient is host memory (like an lwp) with two references, the
 * platform's (dropped by sysproxy_gone) and the kernel's (dropped by
 * whoever takes it off spclients: sysproxy_gone, or the halt): it may
 * outlive the kernel that made it.
 *
 * Locking: sysproxy_lock protects spclients, sc_proc and sc_onlist; a
 * thread reads sc_proc without it only while counted inside the kernel
 * (the halt, which clears it, waits for such threads first) or while
 * the platform guarantees that nobody ends the client.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/sched.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

struct spclient {
	struct proc *sc_proc;		/* sysproxy_lock */
	TAILQ_ENTRY(spclient) sc_list;/* sysproxy_lock */
	bool sc_onlist;			/* sysproxy_lock */
	unsigned int sc_refs;		/* atomic */
};

static kmutex_t sysproxy_lock;
static TAILQ_HEAD(, spclient) spclients = TAILQ_HEAD_INITIALIZER(spclients);
static bool sysproxy_serving;		/* c: set by rump_init_server */

static void
spclient_rele(struct spclient *sc)
{

	if (__atomic_sub_fetch(&sc->sc_refs, 1, __ATOMIC_ACQ_REL) == 0)
		rumpuser_free(sc, sizeof(*sc));
}

/* A client of process p, on spclients.  With a virtual CPU. */
static struct spclient *
spclient_create(struct proc *p)
{
	void *mem;
	struct spclient *sc;

	if (rumpuser_malloc(sizeof(*sc), 0, &mem) != 0)
		return NULL;
	sc = mem;
	memset(sc, 0, sizeof(*sc));
	sc->sc_proc = p;
	sc->sc_refs = 2;
	mutex_enter(&sysproxy_lock);
	TAILQ_INSERT_TAIL(&spclients, sc, sc_list);
	sc->sc_onlist = true;
	mutex_exit(&sysproxy_lock);
	return sc;
}

int
sysproxy_connect(void *forkchild, void **kcp, int *pidp)
{
	struct spclient *sc = forkchild;
	struct proc *p;
	int error = 0;

	if (!sched_enter_booted())
		return ENXIO;
	if (sc != NULL) {
		/* The platform holds it: the halt is the only other taker. */
		mutex_enter(&sysproxy_lock);
		p = sc->sc_proc;
		mutex_exit(&sysproxy_lock);
		if (p == NULL) {
			error = ENXIO;
			goto out;
		}
		*pidp = p->p_pid;
		*kcp = sc;
		goto out;
	}
	if ((error = proc_create(NULL, RFORK_CFDG, &p)) != 0)
		goto out;
	if ((sc = spclient_create(p)) == NULL) {
		proc_release(p);
		error = ENOMEM;
		goto out;
	}
	*pidp = p->p_pid;
	*kcp = sc;
 out:
	rump_unschedule();
	return error;
}

/*
 * FORKPREP: the child's process is made now, a child of sc's, with a copy
 * of its descriptor table; it waits, without lwps, for its connection.
 */
int
sysproxy_fork(void *kc, void **childp)
{
	struct spclient *sc = kc, *child;
	struct proc *p;
	int error;

	if (!sched_enter_booted())
		return ENXIO;
	mutex_enter(&sysproxy_lock);
	p = sc->sc_proc;
	mutex_exit(&sysproxy_lock);
	if (p == NULL) {
		error = ENXIO;
		goto out;
	}
	if ((error = proc_create(p, RFORK_FDG, &p)) != 0)
		goto out;
	if ((child = spclient_create(p)) == NULL) {
		proc_release(p);
		error = ENOMEM;
		goto out;
	}
	*childp = child;
 out:
	rump_unschedule();
	return error;
}

int
sysproxy_syscall(void *kc, void *call, int num, const int64_t *args,
    int64_t *rv, int *haltp)
{
	struct spclient *sc = kc;
	struct proc *p;
	struct lwp *l;
	register_t a[6], r[2] = { 0, 0 };
	int error, i;

	*haltp = 0;
	for (i = 0; i < 6; i++)
		a[i] = (register_t)args[i];
	/* Read before entering: see the locking note at the top. */
	p = __atomic_load_n(&sc->sc_proc, __ATOMIC_ACQUIRE);
	if (p == NULL)
		return ENXIO;
	if ((l = lwp_alloc(p, 0)) == NULL)
		return ENOMEM;
	l->l_sysproxy = call;
	lwp_bind(l);
	if (!sched_enter_booted()) {
		error = ENXIO;
		goto out;
	}
	mutex_enter(&p->p_lock);
	l->l_lid = ++p->p_nextlid;
	TAILQ_INSERT_TAIL(&p->p_lwps, l, l_sibling);
	p->p_nlwps++;
	mutex_exit(&p->p_lock);

	error = syscall_dispatch(l, num, a, r);

	(void)lwp_remove(l);
	if (l->l_cred != NULL) {	/* it belongs to this kernel */
		kauth_cred_free(l->l_cred);
		l->l_cred = NULL;
	}
	rump_unschedule();
	if (__predict_false(__atomic_load_n(&rump_reboot_pending,
	    __ATOMIC_ACQUIRE)) && num == SYS_reboot)
		*haltp = 1;
 out:
	lwp_unbind(l);
	lwp_free(l);
	rv[0] = r[0];
	rv[1] = r[1];
	return error;
}

void
sysproxy_gone(void *kc)
{
	struct spclient *sc = kc;
	struct proc *p = NULL;
	bool mine = false;

	if (sched_enter_booted()) {
		mutex_enter(&sysproxy_lock);
		if (sc->sc_onlist) {
			TAILQ_REMOVE(&spclients, sc, sc_list);
			sc->sc_onlist = false;
			p = sc->sc_proc;
			__atomic_store_n(&sc->sc_proc, NULL, __ATOMIC_RELEASE);
			mine = true;
		}
		mutex_exit(&sysproxy_lock);
		/* No lwp is left in it: the platform's calls have ended. */
		if (p != NULL)
			proc_release(p);
		rump_unschedule();
	}
	/* Else the halt takes it off the list (or did). */
	if (mine)
		spclient_rele(sc);
	spclient_rele(sc);
}

/*
 * The hyp_backend_unschedule upcall: the platform is about to block the
 * calling thread.  A remote call's thread tells the sysproxy first, so
 * that the client's other calls are read meanwhile (a call that never
 * blocks needs no other thread).
 */
void
sysproxy_backend_unschedule(void)
{
	struct lwp *l = rumpuser_curlwp();

	if (__predict_false(l->l_sysproxy != NULL))
		rumpuser_sp_blocking(l->l_sysproxy);
	sched_backend_unschedule();
}

/*
 * The kernel is closed to new calls; remote calls inside may be waiting
 * for their clients.  Drop the clients, so that they stop waiting.
 */
void
sysproxy_halt_begin(void)
{

	if (sysproxy_serving)
		rumpuser_sp_stop();
}

/*
 * After the drain, with the halting thread's lwp0: the processes of the
 * clients go with every other (proc_exit_all); the platform's threads,
 * whose last upcalls fail at the closed gate, are joined.
 */
void
sysproxy_halt(void)
{
	struct spclient *sc;

	if (!sysproxy_serving)
		return;
	mutex_enter(&sysproxy_lock);
	while ((sc = TAILQ_FIRST(&spclients)) != NULL) {
		TAILQ_REMOVE(&spclients, sc, sc_list);
		sc->sc_onlist = false;
		__atomic_store_n(&sc->sc_proc, NULL, __ATOMIC_RELEASE);
		spclient_rele(sc);
	}
	mutex_exit(&sysproxy_lock);
	sched_backend_unschedule();
	rumpuser_sp_fini();
	sched_backend_schedule();
	mutex_destroy(&sysproxy_lock);
	sysproxy_serving = false;
}

int
rump_init_server(const char *url)
{
	int error;

	if (url == NULL)
		return EINVAL;
	if (!sched_enter_booted())
		return ENXIO;
	if (sysproxy_serving) {
		error = EBUSY;
		goto out;
	}
	mutex_init(&sysproxy_lock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&spclients);
	sysproxy_serving = true;
	rump_unschedule();
	/*
	 * Outside the kernel (it may block).  A halt that races with this
	 * is not supported: start serving before anything may halt.
	 */
	error = rumpuser_sp_init(url);
	if (error == 0)
		return 0;
	if (!sched_enter_booted())
		return error;
	sysproxy_serving = false;
	mutex_destroy(&sysproxy_lock);
 out:
	rump_unschedule();
	return error;
}

/*
 * Copies of a remote lwp: chunks of RUMPUSER_SP_COPYMAX through the
 * platform, which gives up the virtual CPU while the client answers.
 */
int
sysproxy_copyin(void *call, const void *uaddr, void *kaddr, size_t len)
{
	const char *u = uaddr;
	char *k = kaddr;
	size_t n;
	int error;

	while (len > 0) {
		n = len < RUMPUSER_SP_COPYMAX ? len : RUMPUSER_SP_COPYMAX;
		if ((error = rumpuser_sp_copyin(call, u, k, n)) != 0)
			return error;
		u += n;
		k += n;
		len -= n;
	}
	return 0;
}

int
sysproxy_copyout(void *call, const void *kaddr, void *uaddr, size_t len,
    bool str)
{
	const char *k = kaddr;
	char *u = uaddr;
	size_t n;
	int error;

	while (len > 0) {
		n = len < RUMPUSER_SP_COPYMAX ? len : RUMPUSER_SP_COPYMAX;
		error = str ? rumpuser_sp_copyoutstr(call, k, u, n) :
		    rumpuser_sp_copyout(call, k, u, n);
		if (error)
			return error;
		u += n;
		k += n;
		len -= n;
	}
	return 0;
}

/* Local semantics (subr_copy.c): ENAMETOOLONG with len bytes copied. */
int
sysproxy_copyinstr(void *call, const void *uaddr, void *kaddr, size_t len,
    size_t *done)
{
	const char *u = uaddr;
	char *k = kaddr;
	size_t n, got, i, total = 0;
	int error;

	while (total < len) {
		n = len - total;
		if (n > RUMPUSER_SP_COPYMAX)
			n = RUMPUSER_SP_COPYMAX;
		if ((error = rumpuser_sp_copyinstr(call, u, k, n, &got)) != 0)
			return error;
		KASSERT(got <= n);
		for (i = 0; i < got; i++) {
			if (k[i] == '\0') {
				if (done != NULL)
					*done = total + i + 1;
				return 0;
			}
		}
		if (got < n)		/* the platform checks this */
			return EFAULT;
		u += n;
		k += n;
		total += n;
	}
	if (done != NULL)
		*done = len;
	return ENAMETOOLONG;
}
