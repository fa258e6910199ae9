/*
 * callout.h: timed calls.  callout_schedule() arranges for the function
 * to run once, from the kernel's clock thread, after the given delay.
 *
 * Locking: callout_lock (private to kern_callout.c) protects the queue.
 * The function runs without it, with a virtual CPU, in the clock thread;
 * callout_halt() waits until a running invocation has finished.
 */
#ifndef _SYS_CALLOUT_H_
#define _SYS_CALLOUT_H_

#include <sys/types.h>
#include <sys/queue.h>

typedef struct callout {
	TAILQ_ENTRY(callout) c_entry;	/* callout_lock */
	uint64_t c_when;		/* callout_lock: monotonic ns */
	void (*c_func)(void *);		/* callout_lock */
	void *c_arg;			/* callout_lock */
	int c_flags;			/* callout_lock */
} callout_t;

#define CALLOUT_PENDING 0x01
#define CALLOUT_FIRED 0x02
#define CALLOUT_INITED 0x08

void callout_init(callout_t *, int flags);
void callout_destroy(callout_t *);
void callout_setfunc(callout_t *, void (*)(void *), void *);
/* Delay in nanoseconds from now; rescheduling a pending callout moves it. */
void callout_schedule_ns(callout_t *, uint64_t nsec);
void callout_reset_ns(callout_t *, uint64_t nsec, void (*)(void *), void *);
/* Cancel; true if it was pending.  callout_halt also waits for a running
 * invocation to return (must not be called from the callout itself). */
bool callout_stop(callout_t *);
bool callout_halt(callout_t *);
bool callout_pending(callout_t *);

#endif /* _SYS_CALLOUT_H_ */
