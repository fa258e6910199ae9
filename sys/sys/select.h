/*
 * select.h: waiting for readiness (poll, select).
 *
 * Deliberately simple: one kernel-wide generation counter.  A pollable
 * object calls selnotify() when it may have become ready (data arrived,
 * space freed, peer closed); poll(2) checks its descriptors, and when
 * none is ready sleeps until the generation moves or its time runs out,
 * then checks again.  Wake-ups are broad but never lost.
 */
#ifndef _SYS_SELECT_H_
#define _SYS_SELECT_H_

#include <sys/types.h>

/* Linux's struct pollfd (poll(2), ppoll(2)). */
struct pollfd {
	int fd;
	short events;
	short revents;
};

void selnotify(void);
uint64_t selgen(void);
/* Sleep until the generation differs from gen or nsec pass (UINT64_MAX:
 * no limit): 0, ETIMEDOUT, or EINTR when the kernel is halting. */
int selwait(uint64_t gen, uint64_t nsec);

#endif /* _SYS_SELECT_H_ */
