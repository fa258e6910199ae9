/*
 * time.h: time structures and clock ids, as the Linux x86-64 ABI has them
 * (struct timespec, timeval, timezone; CLOCK_*, TIMER_ABSTIME), and the
 * kernel's own clock interface (kern_time.c).
 *
 * The kernel's clocks are the host's (rumpuser_clock_gettime): the wall
 * clock and the monotonic clock.  Reading them needs no lock and works
 * with or without a virtual CPU.
 */
#ifndef _SYS_TIME_H_
#define _SYS_TIME_H_

#include <sys/types.h>

struct timespec {
	time_t tv_sec;
	long tv_nsec;		/* 0 to 999999999 */
};

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;	/* 0 to 999999 */
};

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

/* Clock ids (linux/time.h).  Negative ids are Linux's dynamic clocks
 * (CPU-time clocks of other processes, PTP devices): not supported. */
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11

/* clock_nanosleep flags */
#define TIMER_ABSTIME 0x01

#define NSEC_PER_SEC 1000000000L
#define NSEC_PER_USEC 1000L

/* kern_time.c */
void nanotime(struct timespec *);	/* the wall clock */
void nanouptime(struct timespec *);	/* the monotonic clock */
uint64_t getnsmono(void);		/* the monotonic clock in ns */

#endif /* _SYS_TIME_H_ */
