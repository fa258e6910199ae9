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

/*
 * A descriptor the platform opened, moved to $RUMP_FDBASE or above when
 * that is set (the hijack library sets it, so that the kernel's host
 * descriptors stay out of the numbers its program uses); fd itself when
 * it is unset or the move fails.  The new descriptor is close-on-exec.
 */
int rumpuser__fdhigh(int fd);


#endif /* _RUMPUSER_INT_H_ */
