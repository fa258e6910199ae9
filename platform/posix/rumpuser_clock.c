/*
 * rumpuser_clock.c: the host's clocks and sleeping.
 */

#include <time.h>

#include "rumpuser_int.h"

int
rumpuser_clock_gettime(int which, int64_t *sec, long *nsec)
{
	struct timespec ts;
	clockid_t clk;

	clk = which == RUMPUSER_CLOCK_ABSMONO ? CLOCK_MONOTONIC : CLOCK_REALTIME;
	if (clock_gettime(clk, &ts) == -1)
		return errno;
	*sec = ts.tv_sec;
	*nsec = ts.tv_nsec;
	return 0;
}

int
rumpuser_clock_sleep(int which, int64_t sec, long nsec)
{
	struct timespec ts = { .tv_sec = (time_t)sec, .tv_nsec = nsec };
	int error = 0;

	if (nsec < 0 || nsec >= 1000000000 || sec < 0)
		return EINVAL;
	if (which == RUMPUSER_CLOCK_ABSMONO) {
		KLOCK_WRAP(
			while ((error = clock_nanosleep(CLOCK_MONOTONIC,
			    TIMER_ABSTIME, &ts, NULL)) == EINTR)
				continue);
	} else {
		KLOCK_WRAP(
			while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
				continue);
	}
	return error;
}
