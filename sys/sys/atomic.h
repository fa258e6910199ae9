/*
 * atomic.h: atomic operations, over the compiler's __atomic builtins.
 * Plain operations are relaxed; membar_* order them.
 */
#ifndef _SYS_ATOMIC_H_
#define _SYS_ATOMIC_H_

#include <sys/types.h>

#define atomic_load_relaxed(p) __atomic_load_n(p, __ATOMIC_RELAXED)
#define atomic_store_relaxed(p, v) __atomic_store_n(p, v, __ATOMIC_RELAXED)
#define atomic_load_acquire(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define atomic_store_release(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)

#define atomic_inc_uint(p) ((void)__atomic_add_fetch(p, 1, __ATOMIC_RELAXED))
#define atomic_dec_uint(p) ((void)__atomic_sub_fetch(p, 1, __ATOMIC_RELAXED))
#define atomic_inc_uint_nv(p) __atomic_add_fetch(p, 1, __ATOMIC_ACQ_REL)
#define atomic_dec_uint_nv(p) __atomic_sub_fetch(p, 1, __ATOMIC_ACQ_REL)
#define atomic_add_long(p, v) ((void)__atomic_add_fetch(p, v, __ATOMIC_RELAXED))
#define atomic_add_long_nv(p, v) __atomic_add_fetch(p, v, __ATOMIC_ACQ_REL)
#define atomic_sub_long_nv(p, v) __atomic_sub_fetch(p, v, __ATOMIC_ACQ_REL)
#define atomic_cas_ptr(p, o, n) \
	__extension__({ __typeof__(o) __o = (o); \
	    __atomic_compare_exchange_n(p, &__o, n, false, __ATOMIC_ACQ_REL, \
	    __ATOMIC_ACQUIRE); __o; })
#define atomic_swap_uint(p, v) __atomic_exchange_n(p, v, __ATOMIC_ACQ_REL)

#define membar_acquire() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define membar_release() __atomic_thread_fence(__ATOMIC_RELEASE)
#define membar_sync() __atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif /* _SYS_ATOMIC_H_ */
