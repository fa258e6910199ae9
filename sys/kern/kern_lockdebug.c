/*
 * kern_lockdebug.c: the lock-order checker described in lockdebug.h.
 *
 * Classes live in a small open-addressed table keyed by init site; the
 * order relation is a bit matrix, before[a] having bit b when a class-a
 * lock was held while a class-b lock was taken.  Both are protected by
 * ld_mtx, a host spin mutex (taken without a virtual CPU, never across
 * anything that blocks).  An lwp's held list is its own.
 *
 * Class 0 means "not tracked": the table is full, or the lock was
 * initialised before the checker could run.  The classes outlive a halt
 * (init sites are code addresses, the same in the next kernel).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/lockdebug.h>
#include <rump/rumpuser.h>

#ifdef DIAGNOSTIC

#define LD_NCLASS 512

static const void *ld_site[LD_NCLASS];			/* ld_mtx */
static uint64_t ld_before[LD_NCLASS][LD_NCLASS / 64];	/* ld_mtx */
static struct rumpuser_mtx *ld_mtx;

static void
ld_lock(void)
{
	struct rumpuser_mtx *m;

	if (__atomic_load_n(&ld_mtx, __ATOMIC_ACQUIRE) == NULL) {
		if (rumpuser_mutex_init(&m, RUMPUSER_MTX_SPIN) != 0)
			panic("lockdebug: no host memory for its mutex");
		if (!__atomic_compare_exchange_n(&ld_mtx, &(struct
		    rumpuser_mtx *){ NULL }, m, false, __ATOMIC_ACQ_REL,
		    __ATOMIC_ACQUIRE))
			rumpuser_mutex_destroy(m);
	}
	rumpuser_mutex_enter_nowrap(ld_mtx);
}

static void
ld_unlock(void)
{

	rumpuser_mutex_exit(ld_mtx);
}

uint16_t
lockdebug_class(const void *site)
{
	unsigned int h, i;
	uint16_t class = 0;

	h = (unsigned int)(((uintptr_t)site >> 2) * 2654435761U) % LD_NCLASS;
	ld_lock();
	for (i = 0; i < LD_NCLASS; i++) {
		unsigned int c = (h + i) % LD_NCLASS;

		if (c == 0)
			continue;
		if (ld_site[c] == site || ld_site[c] == NULL) {
			ld_site[c] = site;
			class = (uint16_t)c;
			break;
		}
	}
	ld_unlock();
	return class;
}

static bool
ld_isbefore(unsigned int a, unsigned int b)
{

	return (ld_before[a][b / 64] >> (b % 64)) & 1;
}

void
lockdebug_acquired(struct lwp *l, uint16_t class, const void *lock)
{
	unsigned int i, held;

	if (l == NULL || class == 0)
		return;
	ld_lock();
	for (i = 0; i < l->l_nlocks; i++) {
		held = l->l_locks[i];
		if (held == class)
			continue;
		if (ld_isbefore(class, held)) {
			const void *a = ld_site[held], *b = ld_site[class];

			ld_unlock();
			panic("lock order reversal: lock %p (initialised at "
			    "%p) taken while holding a lock initialised at %p;"
			    " the opposite order was seen before", lock, b, a);
		}
		ld_before[held][class / 64] |= 1ULL << (class % 64);
	}
	ld_unlock();
	if (l->l_nlocks < LOCKDEBUG_MAXHELD)
		l->l_locks[l->l_nlocks] = class;
	l->l_nlocks++;
}

void
lockdebug_released(struct lwp *l, uint16_t class, const void *lock __unused)
{
	unsigned int i, n;

	if (l == NULL || class == 0 || l->l_nlocks == 0)
		return;
	n = l->l_nlocks < LOCKDEBUG_MAXHELD ? l->l_nlocks : LOCKDEBUG_MAXHELD;
	for (i = n; i-- > 0;) {
		if (l->l_locks[i] == class) {
			for (; i + 1 < n; i++)
				l->l_locks[i] = l->l_locks[i + 1];
			break;
		}
	}
	l->l_nlocks--;
}

#endif /* DIAGNOSTIC */
