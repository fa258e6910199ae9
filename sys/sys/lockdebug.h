/*
 * lockdebug.h: a small lock-order checker (DIAGNOSTIC builds).
 *
 * Locks are grouped in classes by the place that initialised them (the
 * return address of mutex_init/rw_init), so all vnode locks form one
 * class, all process locks another.  Each lwp keeps the classes it holds;
 * taking a lock of class B while holding one of class A records "A before
 * B".  Taking them the other way round later, in any lwp, is a panic that
 * names both places: the order bug is caught the first time both orders
 * occur, without needing the deadlock to happen.  Locks of one class
 * taken together are not checked (they need an order of their own, e.g.
 * by address).
 */
#ifndef _SYS_LOCKDEBUG_H_
#define _SYS_LOCKDEBUG_H_

#include <sys/types.h>

#define LOCKDEBUG_MAXHELD 16

struct lwp;

#ifdef DIAGNOSTIC
uint16_t lockdebug_class(const void *initsite);
void lockdebug_acquired(struct lwp *, uint16_t class, const void *lock);
void lockdebug_released(struct lwp *, uint16_t class, const void *lock);
void lockdebug_fini(void);
#else
#define lockdebug_class(s) ((uint16_t)0)
#define lockdebug_acquired(l, c, k) ((void)0)
#define lockdebug_released(l, c, k) ((void)0)
#define lockdebug_fini() ((void)0)
#endif

#endif /* _SYS_LOCKDEBUG_H_ */
