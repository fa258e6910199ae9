/*
 * vfs_lockf.c: POSIX advisory record locks (fcntl F_GETLK, F_SETLK,
 * F_SETLKW).
 *
 * Each vnode with locks has a struct lockf_state in v_lockf (a pipe has
 * its own field; the engine only sees a pointer to it): a list of
 * byte ranges, each read- or write-locked by an owner (a descriptor
 * table: the processes that share one are one owner, as the threads of
 * a Linux process are).  An owner's own locks never overlap: setting a
 * lock first clears the owner's locks in its range (splitting a lock
 * that covers more) and then merges the new lock with the owner's
 * adjacent locks of the same type, so the list stays minimal.  Locks
 * of different owners conflict when they overlap and one is a write
 * lock.  F_SETLKW sleeps until no conflict is left; before it sleeps it
 * follows the chain "the owner I wait for waits for ..." and fails with
 * EDEADLK if the chain comes back to the caller.
 *
 * A lock goes when its owner unlocks it, closes any descriptor of the
 * file (POSIX: lf_release from kern_descrip.c), or exits (which closes
 * them all).  So while a vnode has locks, some descriptor of it is open
 * and the vnode is referenced; the state is freed when the last lock
 * and the last waiter are gone, so a vnode is never reclaimed with
 * v_lockf set.
 *
 * Sleeping: a waiter sleeps on lf_cv, which releases its virtual CPU;
 * every change to any lock list wakes all waiters to look again (broad
 * but simple).  A halt ends the wait with EINTR (fd_cv_wait), so a
 * thread blocked in F_SETLKW never keeps the halt waiting.
 *
 * Locking: lf_lock (a leaf, global) protects every lockf_state, v_lockf
 * (also read without it, atomically, as a hint) and the waiter list.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/vnode.h>

#include "descrip_private.h"

/* How far EDEADLK detection follows a chain of waiters. */
#define LF_MAXDEPTH 64

struct lockf {
	TAILQ_ENTRY(lockf) lf_entry;	/* lf_lock: on ls_locks */
	void *lf_owner;			/* lf_lock */
	pid_t lf_pid;			/* lf_lock: the setter (F_GETLK) */
	int lf_type;			/* lf_lock: F_RDLCK, F_WRLCK */
	off_t lf_start;			/* lf_lock */
	off_t lf_end;			/* lf_lock: inclusive; OFF_MAX */
};

struct lockf_state {
	TAILQ_HEAD(, lockf) ls_locks;	/* lf_lock: unordered */
	unsigned int ls_waiters;	/* lf_lock: threads asleep on it */
};

/* A thread asleep in F_SETLKW. */
struct lf_waiter {
	TAILQ_ENTRY(lf_waiter) w_entry;	/* lf_lock */
	void *w_owner;			/* lf_lock: who waits */
	void *w_blocker;		/* lf_lock: the owner waited for */
};

static kmutex_t lf_lock;
static kcondvar_t lf_cv;
static TAILQ_HEAD(, lf_waiter) lf_waiters;

int
lf_sys_init(void)
{

	mutex_init(&lf_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&lf_cv, "lockf");
	TAILQ_INIT(&lf_waiters);
	return 0;
}

void
lf_sys_fini(void)
{

	KASSERT(TAILQ_EMPTY(&lf_waiters));
	cv_destroy(&lf_cv);
	mutex_destroy(&lf_lock);
}

static bool
lf_overlaps(const struct lockf *lf, off_t start, off_t end)
{

	return lf->lf_start <= end && start <= lf->lf_end;
}

/* The lowest lock of another owner that conflicts with r, or NULL. */
static struct lockf *
lf_conflict(struct lockf_state *ls, void *owner, const struct lf_range *r)
{
	struct lockf *lf, *best = NULL;

	KASSERT(mutex_owned(&lf_lock));
	TAILQ_FOREACH(lf, &ls->ls_locks, lf_entry) {
		if (lf->lf_owner == owner ||
		    !lf_overlaps(lf, r->lr_start, r->lr_end))
			continue;
		if (lf->lf_type != F_WRLCK && r->lr_type != F_WRLCK)
			continue;
		if (best == NULL || lf->lf_start < best->lf_start)
			best = lf;
	}
	return best;
}

/* Would owner waiting for blocker close a cycle of waiters? */
static bool
lf_deadlock(void *owner, void *blocker)
{
	struct lf_waiter *w;
	int depth;

	KASSERT(mutex_owned(&lf_lock));
	for (depth = 0; depth < LF_MAXDEPTH; depth++) {
		if (blocker == owner)
			return true;
		TAILQ_FOREACH(w, &lf_waiters, w_entry)
			if (w->w_owner == blocker)
				break;
		if (w == NULL)
			return false;
		blocker = w->w_blocker;
	}
	return false;
}

/* Take the state off its object once it holds nothing and nobody waits
 * on it; the caller frees it. */
static struct lockf_state *
lf_state_unused(void **headp)
{
	struct lockf_state *ls = *headp;

	KASSERT(mutex_owned(&lf_lock));
	if (ls == NULL || !TAILQ_EMPTY(&ls->ls_locks) || ls->ls_waiters > 0)
		return NULL;
	atomic_store_relaxed(headp, NULL);
	return ls;
}

/*
 * Remove owner's locks in [start, end]: drop those inside, trim those
 * that stick out, split one that covers the range on both sides (using
 * *sparep).
 */
static void
lf_clear(struct lockf_state *ls, void *owner, off_t start, off_t end,
    struct lockf **sparep)
{
	struct lockf *lf, *next, *nlf;

	KASSERT(mutex_owned(&lf_lock));
	TAILQ_FOREACH_SAFE(lf, &ls->ls_locks, lf_entry, next) {
		if (lf->lf_owner != owner || !lf_overlaps(lf, start, end))
			continue;
		if (lf->lf_start < start && lf->lf_end > end) {
			nlf = *sparep;
			*sparep = NULL;
			KASSERT(nlf != NULL);
			*nlf = *lf;
			nlf->lf_start = end + 1;
			lf->lf_end = start - 1;
			TAILQ_INSERT_TAIL(&ls->ls_locks, nlf, lf_entry);
		} else if (lf->lf_start < start) {
			lf->lf_end = start - 1;
		} else if (lf->lf_end > end) {
			lf->lf_start = end + 1;
		} else {
			TAILQ_REMOVE(&ls->ls_locks, lf, lf_entry);
			kmem_free(lf, sizeof(*lf));
		}
	}
}

/* Add nlf (the range already cleared of its owner's locks), merged with
 * the owner's adjacent locks of the same type. */
static void
lf_insert(struct lockf_state *ls, struct lockf *nlf)
{
	struct lockf *lf, *next;

	KASSERT(mutex_owned(&lf_lock));
	TAILQ_FOREACH_SAFE(lf, &ls->ls_locks, lf_entry, next) {
		if (lf->lf_owner != nlf->lf_owner ||
		    lf->lf_type != nlf->lf_type)
			continue;
		if (nlf->lf_start > 0 && lf->lf_end == nlf->lf_start - 1) {
			nlf->lf_start = lf->lf_start;
		} else if (nlf->lf_end < OFF_MAX &&
		    lf->lf_start == nlf->lf_end + 1) {
			nlf->lf_end = lf->lf_end;
		} else {
			continue;
		}
		TAILQ_REMOVE(&ls->ls_locks, lf, lf_entry);
		kmem_free(lf, sizeof(*lf));
	}
	TAILQ_INSERT_TAIL(&ls->ls_locks, nlf, lf_entry);
}

int
lf_getlk(void **headp, void *owner, struct lf_range *r)
{
	struct lockf_state *ls;
	struct lockf *lf = NULL;

	mutex_enter(&lf_lock);
	if ((ls = *headp) != NULL)
		lf = lf_conflict(ls, owner, r);
	if (lf != NULL) {
		r->lr_type = lf->lf_type;
		r->lr_start = lf->lf_start;
		r->lr_end = lf->lf_end;
		r->lr_pid = lf->lf_pid;
	} else {
		r->lr_type = F_UNLCK;
	}
	mutex_exit(&lf_lock);
	return 0;
}

/* Sleep until the locks change (or a while): 0, EDEADLK without
 * sleeping, or EINTR when the kernel halts. */
static int
lf_wait(void **headp, void *owner, void *blocker)
{
	struct lockf_state *ls = *headp;
	struct lf_waiter w;
	int error;

	KASSERT(mutex_owned(&lf_lock));
	if (lf_deadlock(owner, blocker))
		return EDEADLK;
	w.w_owner = owner;
	w.w_blocker = blocker;
	TAILQ_INSERT_TAIL(&lf_waiters, &w, w_entry);
	ls->ls_waiters++;
	error = fd_cv_wait(&lf_cv, &lf_lock);
	KASSERT(*headp == ls);
	ls->ls_waiters--;
	TAILQ_REMOVE(&lf_waiters, &w, w_entry);
	return error;
}

int
lf_setlk(void **headp, void *owner, const struct lf_range *r, bool wait)
{
	struct lockf_state *ls, *nls, *freels = NULL;
	struct lockf *lf, *nlf, *spare;
	int error = 0;

	KASSERT(r->lr_start >= 0 && r->lr_start <= r->lr_end);
	/* Allocate all we might need before taking the lock. */
	nls = kmem_zalloc(sizeof(*nls), KM_SLEEP);
	nlf = kmem_zalloc(sizeof(*nlf), KM_SLEEP);
	spare = kmem_zalloc(sizeof(*spare), KM_SLEEP);
	if (nls == NULL || nlf == NULL || spare == NULL) {
		error = ENOLCK;
		goto out;
	}

	mutex_enter(&lf_lock);
	while (r->lr_type != F_UNLCK && (ls = *headp) != NULL &&
	    (lf = lf_conflict(ls, owner, r)) != NULL) {
		if (!wait) {
			error = EAGAIN;
			break;
		}
		if ((error = lf_wait(headp, owner, lf->lf_owner)) != 0)
			break;
	}
	if (error)
		goto unlock;
	if ((ls = *headp) == NULL) {
		if (r->lr_type == F_UNLCK)
			goto unlock;
		TAILQ_INIT(&nls->ls_locks);
		ls = nls;
		nls = NULL;
		atomic_store_relaxed(headp, ls);
	}
	lf_clear(ls, owner, r->lr_start, r->lr_end, &spare);
	if (r->lr_type != F_UNLCK) {
		nlf->lf_owner = owner;
		nlf->lf_pid = r->lr_pid;
		nlf->lf_type = r->lr_type;
		nlf->lf_start = r->lr_start;
		nlf->lf_end = r->lr_end;
		lf_insert(ls, nlf);
		nlf = NULL;
	}
	/* An unlock or a downgrade may let waiters in. */
	cv_broadcast(&lf_cv);
 unlock:
	freels = lf_state_unused(headp);
	mutex_exit(&lf_lock);
 out:
	if (freels != NULL)
		kmem_free(freels, sizeof(*freels));
	if (nls != NULL)
		kmem_free(nls, sizeof(*nls));
	if (nlf != NULL)
		kmem_free(nlf, sizeof(*nlf));
	if (spare != NULL)
		kmem_free(spare, sizeof(*spare));
	return error;
}

void
lf_release(void **headp, void *owner)
{
	struct lockf_state *ls, *freels = NULL;
	struct lockf *lf, *next;
	bool changed = false;

	if (atomic_load_relaxed(headp) == NULL)
		return;
	mutex_enter(&lf_lock);
	if ((ls = *headp) != NULL) {
		TAILQ_FOREACH_SAFE(lf, &ls->ls_locks, lf_entry, next) {
			if (lf->lf_owner != owner)
				continue;
			TAILQ_REMOVE(&ls->ls_locks, lf, lf_entry);
			kmem_free(lf, sizeof(*lf));
			changed = true;
		}
		if (changed)
			cv_broadcast(&lf_cv);
		freels = lf_state_unused(headp);
	}
	mutex_exit(&lf_lock);
	if (freels != NULL)
		kmem_free(freels, sizeof(*freels));
}
