/*
 * rumpuser_int.h: private to the POSIX hypercall implementation.
 *
 * KLOCK_WRAP(op) runs a blocking host operation without a virtual CPU:
 * it gives the CPU up through the kernel's backend upcall and takes one
 * back afterwards (rumpuser.h, "may block").
 */
#ifndef _RUMPUSER_INT_H_
#define _RUMPUSER_INT_H_

#include <errno.h>
#include <rump/rumpuser.h>

extern const struct rumpuser_hyperup *rumpuser__hyp;

#define KLOCK_WRAP(op) do { \
	rumpuser__hyp->hyp_backend_unschedule(); \
	op; \
	rumpuser__hyp->hyp_backend_schedule(); \
} while (0)

/* The kernel's error numbers are Linux's; so are this host's. */
#define ET(e) (e)


#endif /* _RUMPUSER_INT_H_ */
