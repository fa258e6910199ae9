/*
 * kern_time.c: the kernel's clocks and the time system calls
 * (clock_gettime, clock_getres, gettimeofday, nanosleep,
 * clock_nanosleep), over the host's clocks.
 *
 * A rump kernel has no CPU accounting of its own: the process and thread
 * CPU-time clocks report the time since boot, which is what they would
 * show for a process that never slept.  Sleeping gives up the virtual CPU
 * (the sleep hypercall does it); a sleep always runs to its end, so the
 * remaining time is never written.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/syscallargs.h>
#include <sys/time.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

void
nanotime(struct timespec *ts)
{
	int64_t sec;
	long nsec;

	rumpuser_clock_gettime(RUMPUSER_CLOCK_WALL, &sec, &nsec);
	ts->tv_sec = sec;
	ts->tv_nsec = nsec;
}

void
nanouptime(struct timespec *ts)
{
	int64_t sec;
	long nsec;

	rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec, &nsec);
	ts->tv_sec = sec;
	ts->tv_nsec = nsec;
}

uint64_t
getnsmono(void)
{
	struct timespec ts;

	nanouptime(&ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static uint64_t boot_ns;	/* c: monotonic time at boot */

void
time_init(void)
{

	boot_ns = getnsmono();
}

/* Read clock id into ts: 0 or EINVAL for a clock Linux does not have. */
static int
clock_read(clockid_t id, struct timespec *ts)
{
	uint64_t ns;

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		nanotime(ts);
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		nanouptime(ts);
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		ns = getnsmono() - boot_ns;
		ts->tv_sec = (time_t)(ns / NSEC_PER_SEC);
		ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
		return 0;
	default:
		return EINVAL;
	}
}

int
sys_clock_gettime(struct lwp *l __unused,
    const struct sys_clock_gettime_args *uap, register_t *retval __unused)
{
	struct timespec ts;
	int error;

	if ((error = clock_read(SCARG(uap, clockid), &ts)) != 0)
		return error;
	return copyout(&ts, SCARG(uap, tp), sizeof(ts));
}

int
sys_clock_getres(struct lwp *l __unused,
    const struct sys_clock_getres_args *uap, register_t *retval __unused)
{
	struct timespec ts;
	clockid_t id = SCARG(uap, clockid);
	int error;

	if ((error = clock_read(id, &ts)) != 0)
		return error;
	ts.tv_sec = 0;
	/* The coarse clocks tick at Linux's usual HZ of 250. */
	ts.tv_nsec = id == CLOCK_REALTIME_COARSE ||
	    id == CLOCK_MONOTONIC_COARSE ? 4000000 : 1;
	if (SCARG(uap, res) == NULL)
		return 0;
	return copyout(&ts, SCARG(uap, res), sizeof(ts));
}

int
sys_gettimeofday(struct lwp *l __unused,
    const struct sys_gettimeofday_args *uap, register_t *retval __unused)
{
	struct timespec ts;
	struct timeval tv;
	struct timezone tz = { 0, 0 };
	int error;

	if (SCARG(uap, tv) != NULL) {
		nanotime(&ts);
		tv.tv_sec = ts.tv_sec;
		tv.tv_usec = ts.tv_nsec / 1000;
		if ((error = copyout(&tv, SCARG(uap, tv), sizeof(tv))) != 0)
			return error;
	}
	if (SCARG(uap, tz) != NULL)
		return copyout(&tz, SCARG(uap, tz), sizeof(tz));
	return 0;
}

static bool
timespec_valid(const struct timespec *ts)
{

	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	    ts->tv_nsec < NSEC_PER_SEC;
}

/* Sleep until the absolute monotonic time, or for a relative time. */
static int
sleep_for(const struct timespec *ts, bool abs_mono)
{

	return rumpuser_clock_sleep(abs_mono ? RUMPUSER_CLOCK_ABSMONO :
	    RUMPUSER_CLOCK_RELWALL, ts->tv_sec, ts->tv_nsec);
}

int
sys_nanosleep(struct lwp *l __unused, const struct sys_nanosleep_args *uap,
    register_t *retval __unused)
{
	struct timespec ts;
	int error;

	if ((error = copyin(SCARG(uap, req), &ts, sizeof(ts))) != 0)
		return error;
	if (!timespec_valid(&ts))
		return EINVAL;
	return sleep_for(&ts, false);
}

/* An absolute sleep on the wall clock, as a relative one from now. */
static void
abs_wall_to_rel(struct timespec *ts)
{
	struct timespec now;

	nanotime(&now);
	if (ts->tv_sec < now.tv_sec ||
	    (ts->tv_sec == now.tv_sec && ts->tv_nsec <= now.tv_nsec)) {
		ts->tv_sec = ts->tv_nsec = 0;
		return;
	}
	ts->tv_sec -= now.tv_sec;
	ts->tv_nsec -= now.tv_nsec;
	if (ts->tv_nsec < 0) {
		ts->tv_nsec += NSEC_PER_SEC;
		ts->tv_sec--;
	}
}

int
sys_clock_nanosleep(struct lwp *l __unused,
    const struct sys_clock_nanosleep_args *uap, register_t *retval __unused)
{
	struct timespec ts;
	clockid_t id = SCARG(uap, clockid);
	bool abs = (SCARG(uap, flags) & TIMER_ABSTIME) != 0;
	int error;

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
		break;
	case CLOCK_THREAD_CPUTIME_ID:
		return EINVAL;	/* Linux: not a clock one can sleep on */
	default:
		return EINVAL;
	}
	if ((error = copyin(SCARG(uap, request), &ts, sizeof(ts))) != 0)
		return error;
	if (!timespec_valid(&ts))
		return EINVAL;
	if (!abs)
		return sleep_for(&ts, false);
	if (id == CLOCK_MONOTONIC || id == CLOCK_BOOTTIME)
		return sleep_for(&ts, true);
	if (id == CLOCK_PROCESS_CPUTIME_ID) {
		uint64_t want = (uint64_t)ts.tv_sec * NSEC_PER_SEC +
		    (uint64_t)ts.tv_nsec, now = getnsmono() - boot_ns;

		if (want <= now)
			return 0;
		ts.tv_sec = (time_t)((want - now) / NSEC_PER_SEC);
		ts.tv_nsec = (long)((want - now) % NSEC_PER_SEC);
		return sleep_for(&ts, false);
	}
	abs_wall_to_rel(&ts);
	return sleep_for(&ts, false);
}
