/*
 * kern_time.c: the kernel's clocks (sys/time.h) and the time system
 * calls: clock_gettime, clock_getres, gettimeofday, nanosleep and
 * clock_nanosleep, with Linux's clock ids, limits and errors.
 *
 * All clocks come from the host's two (rumpuser_clock_gettime): the
 * realtime ones from its wall clock, the monotonic and boot-time ones
 * from its monotonic clock.  A rump kernel does no CPU accounting, so the
 * process and thread CPU-time clocks are approximated by the monotonic
 * time since the kernel booted (what they would read for a process that
 * has been running and never slept since).  CLOCK_TAI reads the wall
 * clock, as on a Linux system whose TAI offset was never set.  The alarm
 * clocks (no wake-up device) and the dynamic clocks (negative ids) are
 * EINVAL.
 *
 * Sleeping gives up the virtual CPU: rumpuser_clock_sleep does it, and
 * the handlers hold no kernel lock across it.  A sleep is never
 * interrupted (a rump kernel delivers no signals), so it always runs to
 * its end, and, as Linux writes the remaining time only when a sleep is
 * interrupted, the rem argument is never written (nor checked).  A thread
 * sleeping in the kernel keeps a halt waiting until it wakes.
 *
 * Locking: none; boot_mono is written at boot only.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/syscallargs.h>
#include <sys/time.h>
#include <rump/rumpuser.h>

#include "kern_private.h"

/* Where a clock's time comes from. */
enum clock_source {
	CK_NONE,	/* not a clock we have: EINVAL */
	CK_WALL,	/* the host's wall clock */
	CK_MONO,	/* the host's monotonic clock */
	CK_SINCEBOOT	/* the monotonic time since boot (CPU-time clocks) */
};

struct clock_info {
	enum clock_source ck_source;
	long ck_res;		/* resolution, ns */
	int ck_nosleep;		/* clock_nanosleep's error, or 0 */
};

/* Linux's coarse clocks tick with the timer interrupt; HZ=250 is usual. */
#define COARSE_RES_NS (NSEC_PER_SEC / 250)

/*
 * Sleeping: Linux has no sleep on the raw and coarse clocks (ENOTSUP);
 * clock_nanosleep(2) documents EINVAL for the thread CPU-time clock.
 */
static const struct clock_info clocks[] = {
	[CLOCK_REALTIME] = { CK_WALL, 1, 0 },
	[CLOCK_MONOTONIC] = { CK_MONO, 1, 0 },
	[CLOCK_PROCESS_CPUTIME_ID] = { CK_SINCEBOOT, 1, 0 },
	[CLOCK_THREAD_CPUTIME_ID] = { CK_SINCEBOOT, 1, EINVAL },
	[CLOCK_MONOTONIC_RAW] = { CK_MONO, 1, ENOTSUP },
	[CLOCK_REALTIME_COARSE] = { CK_WALL, COARSE_RES_NS, ENOTSUP },
	[CLOCK_MONOTONIC_COARSE] = { CK_MONO, COARSE_RES_NS, ENOTSUP },
	[CLOCK_BOOTTIME] = { CK_MONO, 1, 0 },
	[CLOCK_TAI] = { CK_WALL, 1, 0 },
};

static struct timespec boot_mono;	/* monotonic time at boot */

static void
host_clock(int which, struct timespec *ts)
{
	int64_t sec;
	long nsec;
	int error __unused;

	error = rumpuser_clock_gettime(which, &sec, &nsec);
	KASSERT(error == 0);
	ts->tv_sec = sec;
	ts->tv_nsec = nsec;
}

void
nanotime(struct timespec *ts)
{

	host_clock(RUMPUSER_CLOCK_WALL, ts);
}

void
nanouptime(struct timespec *ts)
{

	host_clock(RUMPUSER_CLOCK_ABSMONO, ts);
}

uint64_t
getnsmono(void)
{
	struct timespec ts;

	nanouptime(&ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* At boot: the origin of the CPU-time clocks. */
void
time_init(void)
{

	nanouptime(&boot_mono);
}

static bool
timespec_valid(const struct timespec *ts)
{

	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	    ts->tv_nsec < NSEC_PER_SEC;
}

/* d = a - b for valid a and b; false (and d zero) if a <= b. */
static bool
timespec_sub(const struct timespec *a, const struct timespec *b,
    struct timespec *d)
{

	if (a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec)) {
		d->tv_sec = d->tv_nsec = 0;
		return false;
	}
	d->tv_sec = a->tv_sec - b->tv_sec;
	d->tv_nsec = a->tv_nsec - b->tv_nsec;
	if (d->tv_nsec < 0) {
		d->tv_nsec += NSEC_PER_SEC;
		d->tv_sec--;
	}
	return true;
}

/* The clock of a Linux clock id, or NULL: EINVAL. */
static const struct clock_info *
clock_lookup(clockid_t id)
{

	if (id < 0 || (size_t)id >= __arraycount(clocks) ||
	    clocks[id].ck_source == CK_NONE)
		return NULL;
	return &clocks[id];
}

static void
clock_read(const struct clock_info *ck, struct timespec *ts)
{
	struct timespec now;

	switch (ck->ck_source) {
	case CK_WALL:
		nanotime(ts);
		break;
	case CK_MONO:
		nanouptime(ts);
		break;
	case CK_SINCEBOOT:
		nanouptime(&now);
		timespec_sub(&now, &boot_mono, ts);
		break;
	case CK_NONE:
		panic("clock_read: no clock");
	}
}

int
sys_clock_gettime(struct lwp *l __unused,
    const struct sys_clock_gettime_args *uap, register_t *retval __unused)
{
	const struct clock_info *ck;
	struct timespec ts;

	if ((ck = clock_lookup(SCARG(uap, clockid))) == NULL)
		return EINVAL;
	clock_read(ck, &ts);
	return copyout(&ts, SCARG(uap, tp), sizeof(ts));
}

/* res may be NULL: then only the clock id is checked. */
int
sys_clock_getres(struct lwp *l __unused,
    const struct sys_clock_getres_args *uap, register_t *retval __unused)
{
	const struct clock_info *ck;
	struct timespec ts;

	if ((ck = clock_lookup(SCARG(uap, clockid))) == NULL)
		return EINVAL;
	if (SCARG(uap, res) == NULL)
		return 0;
	ts.tv_sec = 0;
	ts.tv_nsec = ck->ck_res;
	return copyout(&ts, SCARG(uap, res), sizeof(ts));
}

/* Either pointer may be NULL.  The time zone is always zero (UTC). */
int
sys_gettimeofday(struct lwp *l __unused,
    const struct sys_gettimeofday_args *uap, register_t *retval __unused)
{
	static const struct timezone tz = { 0, 0 };
	struct timespec ts;
	struct timeval tv;
	int error;

	if (SCARG(uap, tv) != NULL) {
		nanotime(&ts);
		tv.tv_sec = ts.tv_sec;
		tv.tv_usec = ts.tv_nsec / NSEC_PER_USEC;
		error = copyout(&tv, SCARG(uap, tv), sizeof(tv));
		if (error != 0)
			return error;
	}
	if (SCARG(uap, tz) != NULL)
		return copyout(&tz, SCARG(uap, tz), sizeof(tz));
	return 0;
}

/* Copy in a sleep's time and check it: EFAULT, EINVAL. */
static int
sleep_time_in(const struct timespec *uts, struct timespec *ts)
{
	int error;

	if ((error = copyin(uts, ts, sizeof(*ts))) != 0)
		return error;
	if (!timespec_valid(ts))
		return EINVAL;
	return 0;
}

/* Sleep for a relative time, without the virtual CPU. */
static int
sleep_rel(const struct timespec *ts)
{

	if (ts->tv_sec == 0 && ts->tv_nsec == 0)
		return 0;
	return rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, ts->tv_sec,
	    ts->tv_nsec);
}

/*
 * Sleep until clock ck reads deadline.  The monotonic clocks are the
 * host's, which can sleep until an absolute time itself.  For the others
 * the sleep is the difference from now, repeated until the clock has
 * reached the deadline: it never wakes early, even if the wall clock runs
 * slower than the monotonic one or is set back meanwhile.
 */
static int
sleep_abs(const struct clock_info *ck, const struct timespec *deadline)
{
	struct timespec now, rel;
	int error;

	if (ck->ck_source == CK_MONO)
		return rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO,
		    deadline->tv_sec, deadline->tv_nsec);
	for (;;) {
		clock_read(ck, &now);
		if (!timespec_sub(deadline, &now, &rel))
			return 0;
		if ((error = sleep_rel(&rel)) != 0)
			return error;
	}
}

int
sys_nanosleep(struct lwp *l __unused, const struct sys_nanosleep_args *uap,
    register_t *retval __unused)
{
	struct timespec ts;
	int error;

	if ((error = sleep_time_in(SCARG(uap, req), &ts)) != 0)
		return error;
	return sleep_rel(&ts);
}

/* Flags other than TIMER_ABSTIME are ignored, as Linux does. */
int
sys_clock_nanosleep(struct lwp *l __unused,
    const struct sys_clock_nanosleep_args *uap, register_t *retval __unused)
{
	const struct clock_info *ck;
	struct timespec ts;
	int error;

	if ((ck = clock_lookup(SCARG(uap, clockid))) == NULL)
		return EINVAL;
	if (ck->ck_nosleep != 0)
		return ck->ck_nosleep;
	if ((error = sleep_time_in(SCARG(uap, request), &ts)) != 0)
		return error;
	if (SCARG(uap, flags) & TIMER_ABSTIME)
		return sleep_abs(ck, &ts);
	return sleep_rel(&ts);
}
