/*
 * t_rlimit.c: resource limits (getrlimit, setrlimit, prlimit64) and the
 * one the kernel enforces, RLIMIT_NOFILE: descriptors up to a raised
 * limit, EMFILE at it, a lowered limit that keeps what is open, dup2,
 * F_DUPFD and poll against it; who may raise a hard limit and reach
 * another process's limits; limits inherited by a child.  Also run
 * against the host kernel as t_rlimit_host (the boot limits are checked
 * on the rump kernel only: the host's depend on its setup).
 */

#include "vfs_test.h"

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/wait.h>

#define U 1000
#define G 1000
#define U2 2000
#define G2 2000

/* The ceiling of RLIMIT_NOFILE's hard limit: the kernel's nr_open. */
static rlim_t nr_open = 1048576;
/*
 * Does root have CAP_SYS_RESOURCE?  The rump kernel's does; the host's
 * may not (a container's or VM's bounding set), and then what takes the
 * capability must fail with EPERM instead, which the host variant checks.
 */
static int have_sys_resource = 1;

#ifdef HOST_MODE
/* Read before a test chroots away from /proc. */
__attribute__((constructor)) static void
rl_read_host(void)
{
	FILE *f = fopen("/proc/sys/fs/nr_open", "r");
	char line[256];
	unsigned long long caps;
	unsigned long n;

	if (f != NULL) {
		if (fscanf(f, "%lu", &n) == 1)
			nr_open = n;
		fclose(f);
	}
	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			have_sys_resource = (caps >> 24) & 1;
	fclose(f);
	if (!have_sys_resource)
		fprintf(stderr, "t_rlimit_host: root lacks CAP_SYS_RESOURCE: "
		    "expecting EPERM where it is needed\n");
}
#endif

/* A call that takes CAP_SYS_RESOURCE: 0 with it, EPERM without. */
#define ck_assert_capable(call) do { \
	if (have_sys_resource) \
		ck_assert_ok(call); \
	else \
		ck_assert_fails(call, EPERM); \
} while (0)

static struct rlimit
rl_get(int resource)
{
	struct rlimit rl;

	ck_assert_ok(rump_sys_getrlimit(resource, &rl));
	return rl;
}

static void
rl_set(int resource, rlim_t cur, rlim_t max)
{
	struct rlimit rl = { cur, max };

	ck_assert_ok(rump_sys_setrlimit(resource, &rl));
}

#define ck_assert_rlimit(rl, cur, max) do { \
	ck_assert_uint_eq((rl).rlim_cur, (cur)); \
	ck_assert_uint_eq((rl).rlim_max, (max)); \
} while (0)

/* Open f until EMFILE; the descriptors in fds[], their count returned. */
static int
rl_open_all(const char *f, int *fds, int max)
{
	int n = 0, fd;

	for (;;) {
		fd = rump_sys_open(f, O_RDONLY);
		if (fd == -1)
			break;
		ck_assert_int_lt(n, max);
		fds[n++] = fd;
	}
	ck_assert_int_eq(errno, EMFILE);
	return n;
}

static void
rl_close_all(const int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		ck_assert_ok(rump_sys_close(fds[i]));
}

/*
 * Another process, a child of the current one, with all user ids uid
 * and group ids gid (the caller is root).  It does nothing until
 * rl_reap ends it.
 */
struct rl_child {
	pid_t pid;
#ifndef HOST_MODE
	struct lwp *lwp, *parent;
#endif
};

static void
rl_spawn(struct rl_child *c, uid_t uid, gid_t gid)
{
#ifdef HOST_MODE
	int p[2];
	char b;

	ck_assert_int_eq(pipe(p), 0);
	c->pid = fork();
	ck_assert_int_ge(c->pid, 0);
	if (c->pid == 0) {
		close(p[0]);
		if (setresgid(gid, gid, gid) != 0 ||
		    setresuid(uid, uid, uid) != 0)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &b, 1), 1);
	close(p[0]);
#else
	c->parent = rump_lwproc_curlwp();
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFFDG), 0);
	c->lwp = rump_lwproc_curlwp();
	ck_assert_ok(rump_sys_setgroups(0, NULL));
	ck_assert_ok(rump_sys_setresgid(gid, gid, gid));
	ck_assert_ok(rump_sys_setresuid(uid, uid, uid));
	c->pid = (pid_t)rump_sys_getpid();
	rump_lwproc_switch(c->parent);
#endif
}

static void
rl_reap(struct rl_child *c)
{
#ifdef HOST_MODE
	ck_assert_int_eq(kill(c->pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(c->pid, NULL, 0), c->pid);
#else
	struct lwp *cur = rump_lwproc_curlwp();

	rump_lwproc_switch(c->lwp);
	rump_lwproc_releaselwp();
	rump_lwproc_switch(cur);
#endif
}

static struct rlimit
rl_get_of(pid_t pid, int resource)
{
	struct rlimit rl;

	ck_assert_ok(rump_sys_prlimit64(pid, resource, NULL, &rl));
	return rl;
}

/*
 * The limits themselves.
 */

#ifndef HOST_MODE
VTEST(limits, boot_limits_are_linux_init_limits)
{
	int r;

	ck_assert_rlimit(rl_get(RLIMIT_NOFILE), 1024, 4096);
	ck_assert_rlimit(rl_get(RLIMIT_STACK), 8 << 20, RLIM_INFINITY);
	ck_assert_rlimit(rl_get(RLIMIT_CORE), 0, RLIM_INFINITY);
	ck_assert_rlimit(rl_get(RLIMIT_MEMLOCK), 8 << 20, 8 << 20);
	ck_assert_rlimit(rl_get(RLIMIT_MSGQUEUE), 819200, 819200);
	ck_assert_rlimit(rl_get(RLIMIT_NICE), 0, 0);
	ck_assert_rlimit(rl_get(RLIMIT_RTPRIO), 0, 0);
	for (r = 0; r < RLIM_NLIMITS; r++) {
		switch (r) {
		case RLIMIT_NOFILE:
		case RLIMIT_STACK:
		case RLIMIT_CORE:
		case RLIMIT_MEMLOCK:
		case RLIMIT_MSGQUEUE:
		case RLIMIT_NICE:
		case RLIMIT_RTPRIO:
			continue;
		}
		ck_assert_rlimit(rl_get(r), RLIM_INFINITY, RLIM_INFINITY);
	}
}
#endif

VTEST(limits, getrlimit_and_prlimit64_of_self_agree)
{
	struct rlimit a, b, c;
	int r;

	for (r = 0; r < RLIM_NLIMITS; r++) {
		a = rl_get(r);
		b = rl_get_of(0, r);
		c = rl_get_of((pid_t)rump_sys_getpid(), r);
		ck_assert_uint_le(a.rlim_cur, a.rlim_max);
		ck_assert_rlimit(b, a.rlim_cur, a.rlim_max);
		ck_assert_rlimit(c, a.rlim_cur, a.rlim_max);
	}
	/* Neither a new nor an old limit: only the resource is checked. */
	ck_assert_ok(rump_sys_prlimit64(0, RLIMIT_NOFILE, NULL, NULL));
}

VTEST(limits, setrlimit_sets_both_limits)
{
	struct rlimit old, new = { 100, 200 };

	rl_set(RLIMIT_NOFILE, 300, 400);
	ck_assert_rlimit(rl_get(RLIMIT_NOFILE), 300, 400);
	ck_assert_ok(rump_sys_prlimit64(0, RLIMIT_NOFILE, &new, &old));
	ck_assert_rlimit(old, 300, 400);
	ck_assert_rlimit(rl_get(RLIMIT_NOFILE), 100, 200);
	/* The soft limit may equal the hard one, and both be zero. */
	rl_set(RLIMIT_CORE, 0, 0);
	ck_assert_rlimit(rl_get(RLIMIT_CORE), 0, 0);
	rl_set(RLIMIT_FSIZE, RLIM_INFINITY, RLIM_INFINITY);
	rl_set(RLIMIT_FSIZE, 1 << 20, RLIM_INFINITY);
	ck_assert_rlimit(rl_get(RLIMIT_FSIZE), 1 << 20, RLIM_INFINITY);
}

VTEST(limits, soft_above_hard_and_bad_resource_EINVAL)
{
	struct rlimit rl = { 2000, 1000 }, ok = { 10, 20 };

	ck_assert_fails(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EINVAL);
	ck_assert_fails(rump_sys_prlimit64(0, RLIMIT_NOFILE, &rl, NULL),
	    EINVAL);
	rl.rlim_cur = RLIM_INFINITY;
	rl.rlim_max = 0;
	ck_assert_fails(rump_sys_setrlimit(RLIMIT_CORE, &rl), EINVAL);
	ck_assert_fails(rump_sys_getrlimit(RLIM_NLIMITS, &rl), EINVAL);
	ck_assert_fails(rump_sys_getrlimit(-1, &rl), EINVAL);
	ck_assert_fails(rump_sys_setrlimit(RLIM_NLIMITS, &ok), EINVAL);
	ck_assert_fails(rump_sys_prlimit64(0, RLIM_NLIMITS, NULL, &rl),
	    EINVAL);
	ck_assert_fails(rump_sys_prlimit64(0, RLIM_NLIMITS, NULL, NULL),
	    EINVAL);
}

VTEST(limits, bad_pointers_EFAULT)
{
	struct rlimit rl = { 100, 200 };

	ck_assert_fails(rump_sys_getrlimit(RLIMIT_NOFILE, VT_BADPTR), EFAULT);
	ck_assert_fails(rump_sys_setrlimit(RLIMIT_NOFILE, VT_BADPTR), EFAULT);
	/* setrlimit reads its argument first, getrlimit checks first. */
	ck_assert_fails(rump_sys_setrlimit(RLIM_NLIMITS, VT_BADPTR), EFAULT);
	ck_assert_fails(rump_sys_getrlimit(RLIM_NLIMITS, VT_BADPTR), EINVAL);
	ck_assert_fails(rump_sys_prlimit64(0, RLIMIT_NOFILE, VT_BADPTR, NULL),
	    EFAULT);
	/* The new limit is in place before the old one fails to go out. */
	ck_assert_fails(rump_sys_prlimit64(0, RLIMIT_NOFILE, &rl, VT_BADPTR),
	    EFAULT);
	ck_assert_rlimit(rl_get(RLIMIT_NOFILE), 100, 200);
}

VTEST(limits, root_raises_hard_limit_up_to_nr_open)
{
	struct rlimit rl;

	rl_set(RLIMIT_NOFILE, 1024, 4096);
	rl.rlim_cur = 1024;
	rl.rlim_max = nr_open;
	ck_assert_capable(rump_sys_setrlimit(RLIMIT_NOFILE, &rl));
	ck_assert_rlimit(rl_get(RLIMIT_NOFILE), 1024,
	    have_sys_resource ? nr_open : 4096);
	/* Past nr_open even the capability does not go. */
	rl.rlim_max = nr_open + 1;
	ck_assert_fails(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	rl.rlim_max = RLIM_INFINITY;
	ck_assert_fails(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	rl.rlim_cur = RLIM_INFINITY;
	ck_assert_fails(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	/* Other resources have no ceiling. */
	rl_set(RLIMIT_CORE, 0, 100);
	rl.rlim_cur = RLIM_INFINITY;
	rl.rlim_max = RLIM_INFINITY;
	ck_assert_capable(rump_sys_setrlimit(RLIMIT_CORE, &rl));
	ck_assert_rlimit(rl_get(RLIMIT_CORE), have_sys_resource ?
	    RLIM_INFINITY : 0, have_sys_resource ? RLIM_INFINITY : 100);
}

VTEST(limits, nonroot_raising_hard_limit_EPERM)
{
	struct rlimit rl, nf;

	rl_set(RLIMIT_NOFILE, 1024, 4096);
	rl_set(RLIMIT_CORE, 0, RLIM_INFINITY);
	vt_become(U, G);
	nf = rl_get(RLIMIT_NOFILE);
	ck_assert_rlimit(nf, 1024, 4096);
	/* The soft limit goes up to the hard one; the hard one comes down. */
	rl_set(RLIMIT_NOFILE, 4096, 4096);
	rl_set(RLIMIT_NOFILE, 1000, 2000);
	rl.rlim_cur = 1000;
	rl.rlim_max = 2001;
	ck_assert_fails(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	rl.rlim_cur = 2001;
	ck_assert_fails(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	rl.rlim_max = 2000;
	ck_assert_fails(rump_sys_setrlimit(RLIMIT_NOFILE, &rl), EINVAL);
	ck_assert_fails(rump_sys_prlimit64(0, RLIMIT_NOFILE,
	    &(struct rlimit){ 1000, 4096 }, NULL), EPERM);
	rl_set(RLIMIT_NOFILE, 2000, 2000);
	ck_assert_rlimit(rl_get(RLIMIT_NOFILE), 2000, 2000);
	/* The same for any resource. */
	rl_set(RLIMIT_CORE, 0, 100);
	rl.rlim_cur = 0;
	rl.rlim_max = RLIM_INFINITY;
	ck_assert_fails(rump_sys_setrlimit(RLIMIT_CORE, &rl), EPERM);
	vt_unbecome();
}

/*
 * RLIMIT_NOFILE.
 */

VTEST(nofile, raised_limit_allows_3000_descriptors)
{
	static int fds[3000];
	struct stat st;
	int i, fd, pfd[2];

	vt_mkfile("/f", 0644, "data");
	rl_set(RLIMIT_NOFILE, 5000, 5000);
	for (i = 0; i < 3000; i++) {
		fds[i] = ck_nonneg(rump_sys_open("/f", O_RDONLY));
		if (i > 0)
			ck_assert_int_gt(fds[i], fds[i - 1]);
	}
	ck_assert_int_ge(fds[2999], 2999);
	ck_assert_ok(rump_sys_fstat(fds[2999], &st));
	ck_assert_int_eq(st.st_size, 4);
	ck_assert_ok(rump_sys_pipe(pfd));
	ck_assert_int_gt(pfd[1], fds[2999]);
	/* dup2 and F_DUPFD reach just below the limit, not at it. */
	ck_assert_int_eq(rump_sys_dup2(fds[0], 4999), 4999);
	ck_assert_fails(rump_sys_dup2(fds[0], 5000), EBADF);
	ck_assert_fails(rump_sys_dup3(fds[0], 5000, 0), EBADF);
	ck_assert_ok(rump_sys_close(4999));
	ck_assert_int_eq(rump_sys_fcntl(fds[0], F_DUPFD, 4999), 4999);
	ck_assert_fails(rump_sys_fcntl(fds[0], F_DUPFD, 5000), EINVAL);
	ck_assert_fails(rump_sys_fcntl(fds[0], F_DUPFD_CLOEXEC, 5000),
	    EINVAL);
	ck_assert_ok(rump_sys_close(4999));
	fd = ck_nonneg(rump_sys_dup(fds[0]));
	ck_assert_int_gt(fd, pfd[1]);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_ok(rump_sys_close(pfd[0]));
	ck_assert_ok(rump_sys_close(pfd[1]));
	rl_close_all(fds, 3000);
}

VTEST(nofile, emfile_at_the_soft_limit)
{
	int fds[64], n, fd, pfd[2];

	vt_mkfile("/f", 0644, NULL);
	rl_set(RLIMIT_NOFILE, 64, 4096);
	n = rl_open_all("/f", fds, 64);
	/* Every descriptor below the limit is taken, the last is 63. */
	ck_assert_int_eq(fds[n - 1], 63);
	ck_assert_fails(rump_sys_dup(fds[0]), EMFILE);
	ck_assert_fails(rump_sys_fcntl(fds[0], F_DUPFD, 0), EMFILE);
	ck_assert_fails(rump_sys_fcntl(fds[0], F_DUPFD, 63), EMFILE);
	ck_assert_fails(rump_sys_fcntl(fds[0], F_DUPFD, 64), EINVAL);
	ck_assert_fails(rump_sys_pipe(pfd), EMFILE);
	ck_assert_fails(rump_sys_openat(AT_FDCWD, "/f", O_RDONLY), EMFILE);
	/* dup2 onto a descriptor below the limit needs no new slot. */
	ck_assert_int_eq(rump_sys_dup2(fds[0], 63), 63);
	ck_assert_fails(rump_sys_dup2(fds[0], 64), EBADF);
	/* A freed descriptor is found again. */
	ck_assert_ok(rump_sys_close(fds[10]));
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_int_eq(fd, fds[10]);
	/* Raising the soft limit makes room at once. */
	rl_set(RLIMIT_NOFILE, 65, 4096);
	ck_assert_int_eq(rump_sys_dup(fds[0]), 64);
	ck_assert_fails(rump_sys_dup(fds[0]), EMFILE);
	ck_assert_ok(rump_sys_close(64));
	rl_close_all(fds, n);
}

VTEST(nofile, lowered_limit_keeps_open_descriptors)
{
	int fds[200], n = 0, fd, hi;
	char buf[8];

	vt_mkfile("/f", 0644, "abcdef");
	do {
		ck_assert_int_lt(n, 200);
		fds[n] = ck_nonneg(rump_sys_open("/f", O_RDWR));
	} while (fds[n++] < 100);
	hi = fds[n - 1];
	rl_set(RLIMIT_NOFILE, 50, 4096);
	/* What is open stays usable, above the limit too. */
	ck_assert_int_eq(rump_sys_pread(hi, buf, 3, 0), 3);
	ck_assert_int_eq(memcmp(buf, "abc", 3), 0);
	ck_assert_int_eq(rump_sys_pwrite(hi, "X", 1, 0), 1);
	ck_assert_int_eq(rump_sys_fcntl(hi, F_GETFD), 0);
	/* Nothing new: every slot below 50 is taken, and 50 and up is
	 * beyond the limit. */
	ck_assert_fails(rump_sys_open("/f", O_RDONLY), EMFILE);
	ck_assert_fails(rump_sys_dup(hi), EMFILE);
	ck_assert_fails(rump_sys_dup2(hi, 60), EBADF);
	ck_assert_fails(rump_sys_dup2(hi, hi - 1), EBADF);
	ck_assert_fails(rump_sys_fcntl(hi, F_DUPFD, 50), EINVAL);
	/* dup2 onto itself only checks that it is open. */
	ck_assert_int_eq(rump_sys_dup2(hi, hi), hi);
	/* Below the limit, a closed slot is found again. */
	ck_assert_ok(rump_sys_close(fds[20]));
	fd = ck_nonneg(rump_sys_dup(hi));
	ck_assert_int_eq(fd, fds[20]);
	ck_assert_int_eq(rump_sys_pread(fd, buf, 3, 0), 3);
	ck_assert_int_eq(memcmp(buf, "Xbc", 3), 0);
	/* Closing above the limit works and frees nothing usable. */
	ck_assert_ok(rump_sys_close(hi));
	ck_assert_fails(rump_sys_dup(fd), EMFILE);
	rl_close_all(fds, n - 1);
}

VTEST(nofile, poll_with_more_entries_than_the_limit_EINVAL)
{
	struct pollfd pfds[65];
	struct timespec ts = { 0, 0 };
	int i;

	for (i = 0; i < 65; i++) {
		pfds[i].fd = -1;
		pfds[i].events = POLLIN;
	}
	rl_set(RLIMIT_NOFILE, 64, 4096);
	ck_assert_fails(rump_sys_poll(pfds, 65, 0), EINVAL);
	ck_assert_fails(rump_sys_ppoll(pfds, 65, &ts, NULL, 8), EINVAL);
	ck_assert_int_eq(rump_sys_poll(pfds, 64, 0), 0);
	ck_assert_int_eq(rump_sys_ppoll(pfds, 64, &ts, NULL, 8), 0);
	rl_set(RLIMIT_NOFILE, 65, 4096);
	ck_assert_int_eq(rump_sys_poll(pfds, 65, 0), 0);
}

VTEST(nofile, select_and_poll_see_descriptors_past_1024)
{
	uint64_t set[3001 / 64 + 1];
	struct timeval tv = { 0, 0 };
	struct pollfd pfd;
	int p[2];

	rl_set(RLIMIT_NOFILE, 5000, 5000);
	ck_assert_ok(rump_sys_pipe(p));
	ck_assert_int_eq(rump_sys_dup2(p[0], 3000), 3000);
	ck_assert_int_eq(rump_sys_write(p[1], "x", 1), 1);
	memset(set, 0, sizeof(set));
	set[3000 / 64] = 1ULL << (3000 % 64);
	ck_assert_int_eq(rump_sys_select(3001, set, NULL, NULL, &tv), 1);
	ck_assert_uint_eq(set[3000 / 64], 1ULL << (3000 % 64));
	pfd.fd = 3000;
	pfd.events = POLLIN;
	ck_assert_int_eq(rump_sys_poll(&pfd, 1, 0), 1);
	ck_assert_int_eq(pfd.revents, POLLIN);
	/* A closed descriptor in the set is EBADF, past 1024 too. */
	ck_assert_ok(rump_sys_close(3000));
	ck_assert_int_eq(rump_sys_dup2(p[0], 3010), 3010);
	memset(set, 0, sizeof(set));
	set[3000 / 64] = 1ULL << (3000 % 64);
	ck_assert_fails(rump_sys_select(3001, set, NULL, NULL, &tv), EBADF);
	ck_assert_ok(rump_sys_close(3010));
	ck_assert_ok(rump_sys_close(p[0]));
	ck_assert_ok(rump_sys_close(p[1]));
}

/*
 * select reads nfds bits only as far as the descriptor table goes (64
 * slots to begin with, as Linux's), whatever the limit: a closed
 * descriptor inside the table is EBADF, one past it is not looked at
 * (nor written).
 */
VTEST(nofile, select_ignores_bits_past_the_table)
{
	uint64_t set[1000 / 64 + 1];
	struct timeval tv = { 0, 0 };

	rl_set(RLIMIT_NOFILE, 4096, 4096);
	memset(set, 0, sizeof(set));
	set[40 / 64] = 1ULL << (40 % 64);
	ck_assert_fails(rump_sys_select(41, set, NULL, NULL, &tv), EBADF);
	memset(set, 0, sizeof(set));
	set[900 / 64] = 1ULL << (900 % 64);
	ck_assert_int_eq(rump_sys_select(1000, set, NULL, NULL, &tv), 0);
	/* Only the words within the table are written back. */
	ck_assert_uint_eq(set[900 / 64], 1ULL << (900 % 64));
}

/*
 * Other processes.
 */

VTEST(procs, child_inherits_limits)
{
	struct rl_child c;
	struct rlimit rl = { 100, 400 };

	rl_set(RLIMIT_NOFILE, 300, 400);
	rl_set(RLIMIT_CORE, 7, 1234);
	rl_spawn(&c, 0, 0);
	ck_assert_rlimit(rl_get_of(c.pid, RLIMIT_NOFILE), 300, 400);
	ck_assert_rlimit(rl_get_of(c.pid, RLIMIT_CORE), 7, 1234);
	/* Each keeps its own from then on. */
	ck_assert_ok(rump_sys_prlimit64(c.pid, RLIMIT_NOFILE, &rl, NULL));
	ck_assert_rlimit(rl_get_of(c.pid, RLIMIT_NOFILE), 100, 400);
	ck_assert_rlimit(rl_get(RLIMIT_NOFILE), 300, 400);
	rl_set(RLIMIT_CORE, 0, 0);
	ck_assert_rlimit(rl_get_of(c.pid, RLIMIT_CORE), 7, 1234);
	rl_reap(&c);
}

VTEST(procs, prlimit64_of_another_process_and_of_none)
{
	struct rl_child c;
	struct rlimit new = { 200, 300 }, old;

	rl_set(RLIMIT_NOFILE, 1024, 4096);
	rl_spawn(&c, 0, 0);
	ck_assert_ok(rump_sys_prlimit64(c.pid, RLIMIT_NOFILE, &new, &old));
	ck_assert_rlimit(old, 1024, 4096);
	ck_assert_rlimit(rl_get_of(c.pid, RLIMIT_NOFILE), 200, 300);
	ck_assert_rlimit(rl_get(RLIMIT_NOFILE), 1024, 4096);
	/* Its checks are the same as for oneself. */
	new.rlim_cur = 400;
	ck_assert_fails(rump_sys_prlimit64(c.pid, RLIMIT_NOFILE, &new, NULL),
	    EINVAL);
	ck_assert_fails(rump_sys_prlimit64(c.pid, RLIM_NLIMITS, NULL, &old),
	    EINVAL);
	/* Raising another's hard limit takes the capability too. */
	new.rlim_max = 8192;
	ck_assert_capable(rump_sys_prlimit64(c.pid, RLIMIT_NOFILE, &new,
	    NULL));
	ck_assert_rlimit(rl_get_of(c.pid, RLIMIT_NOFILE),
	    have_sys_resource ? 400 : 200, have_sys_resource ? 8192 : 300);
	rl_reap(&c);
	ck_assert_fails(rump_sys_prlimit64(INT_MAX, RLIMIT_NOFILE, NULL,
	    &old), ESRCH);
	ck_assert_fails(rump_sys_prlimit64(-1, RLIMIT_NOFILE, NULL, &old),
	    ESRCH);
	/* The lookup comes before the resource check. */
	ck_assert_fails(rump_sys_prlimit64(INT_MAX, RLIM_NLIMITS, NULL,
	    &old), ESRCH);
}

VTEST(procs, prlimit64_of_another_user_EPERM)
{
	struct rl_child same, other;
	struct rlimit rl;

	rl_set(RLIMIT_NOFILE, 1024, 4096);
	rl_spawn(&same, U, G);
	rl_spawn(&other, U2, G2);
	vt_become(U, G);
	/* Same ids: read, lower, but not raise a hard limit. */
	ck_assert_rlimit(rl_get_of(same.pid, RLIMIT_NOFILE), 1024, 4096);
	rl.rlim_cur = 500;
	rl.rlim_max = 3000;
	ck_assert_ok(rump_sys_prlimit64(same.pid, RLIMIT_NOFILE, &rl, NULL));
	rl.rlim_max = 3001;
	ck_assert_fails(rump_sys_prlimit64(same.pid, RLIMIT_NOFILE, &rl,
	    NULL), EPERM);
	/* Other ids: neither read nor write, and before the resource. */
	ck_assert_fails(rump_sys_prlimit64(other.pid, RLIMIT_NOFILE, NULL,
	    &rl), EPERM);
	rl.rlim_max = 3000;
	ck_assert_fails(rump_sys_prlimit64(other.pid, RLIMIT_NOFILE, &rl,
	    NULL), EPERM);
	ck_assert_fails(rump_sys_prlimit64(other.pid, RLIM_NLIMITS, NULL,
	    &rl), EPERM);
	vt_unbecome();
	/* Root's ids are not theirs: it reaches them by the capability. */
	ck_assert_capable(rump_sys_prlimit64(same.pid, RLIMIT_NOFILE, NULL,
	    &rl));
	if (have_sys_resource)
		ck_assert_rlimit(rl, 500, 3000);
	ck_assert_capable(rump_sys_prlimit64(other.pid, RLIMIT_NOFILE, NULL,
	    &rl));
	if (have_sys_resource)
		ck_assert_rlimit(rl, 1024, 4096);
	rl_reap(&other);
	rl_reap(&same);
}

#ifndef HOST_MODE
/*
 * rump_lwproc_rfork: limits belong to the process, whichever table of
 * descriptors it has.
 */
VTEST(procs, rfork_children_inherit_limits_with_any_table)
{
	static const int flags[] = { RUMP_RFFDG, RUMP_RFCFDG, 0 };
	int i;

	rl_set(RLIMIT_NOFILE, 333, 444);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(rump_lwproc_rfork(flags[i]), 0);
		ck_assert_rlimit(rl_get(RLIMIT_NOFILE), 333, 444);
		rl_set(RLIMIT_NOFILE, 10, 20);
		rump_lwproc_releaselwp();
		ck_assert_rlimit(rl_get(RLIMIT_NOFILE), 333, 444);
	}
}

VTEST(procs, shared_table_each_process_has_its_own_limit)
{
	struct lwp *parent;
	int fds[64], n, fd;

	vt_mkfile("/f", 0644, NULL);
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFCFDG), 0);
	parent = rump_lwproc_curlwp();
	rl_set(RLIMIT_NOFILE, 64, 4096);
	n = rl_open_all("/f", fds, 64);
	ck_assert_int_eq(n, 64);
	/* A child sharing the table, with more room. */
	ck_assert_int_eq(rump_lwproc_rfork(0), 0);
	rl_set(RLIMIT_NOFILE, 100, 4096);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_int_eq(fd, 64);
	rump_lwproc_releaselwp();
	rump_lwproc_switch(parent);
	/* The parent sees descriptor 64 but may not make another. */
	ck_assert_int_eq(rump_sys_fcntl(64, F_GETFD), 0);
	ck_assert_fails(rump_sys_dup(64), EMFILE);
	ck_assert_ok(rump_sys_close(64));
	rl_close_all(fds, n);
	rump_lwproc_releaselwp();
}
#endif

int
main(void)
{

	return vt_main("rlimit", 60);
}
