/*
 * t_concurrent.c: many threads, each its own rump process, creating,
 * linking, renaming and unlinking in shared directories for a few
 * seconds.  No thread may hang (each test bounds its time and the main
 * thread gives up on threads that do not finish), no call may fail with
 * an error the races cannot explain, and afterwards the tree must be
 * consistent: every name stat()s, link counts equal the names found,
 * getdents64 lists exactly the names that lstat finds, no directory is
 * lost to a cycle and every ".." is the right parent.
 *
 * T_CONC_SECONDS sets how long the threads run (default 2).  Built with
 * HOST_MODE (t_concurrent_host.c, 1 second) the same runs on the host
 * kernel: a check of the test itself.
 */

#include "vfs_test.h"

#ifdef HOST_MODE
#define rump_lwproc_rfork(flags) 0
#define rump_lwproc_releaselwp() do { } while (0)
#endif

#include <pthread.h>

#define NTHREADS 8
#define NNAMES 24

struct worker {
	pthread_t thread;
	int id;
	uint64_t rng;
	long ops, oks;
	int bad_errno;		/* first unexpected errno, 0 if none */
	char bad_call[128];
	int done;
};

static volatile int stop;
static struct timespec deadline;

static uint64_t
wrand(struct worker *w)
{

	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static int
running(void)
{
	struct timespec now;

	if (stop)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec < deadline.tv_sec || (now.tv_sec == deadline.tv_sec &&
	    now.tv_nsec < deadline.tv_nsec);
}

/* Record a result: r < 0 with an errno not in the allowed list is bad. */
static void
check(struct worker *w, long r, const char *call, const int *allowed)
{
	int i;

	w->ops++;
	if (r >= 0) {
		w->oks++;
		return;
	}
	for (i = 0; allowed[i] != 0; i++)
		if (errno == allowed[i])
			return;
	if (w->bad_errno == 0) {
		w->bad_errno = errno;
		snprintf(w->bad_call, sizeof(w->bad_call), "%s", call);
	}
}

static unsigned
seconds(void)
{
	const char *v = getenv("T_CONC_SECONDS");

#ifdef HOST_MODE
	return v != NULL && *v != '\0' ? (unsigned)atoi(v) : 1;
#else
	return v != NULL && *v != '\0' ? (unsigned)atoi(v) : 2;
#endif
}

static void
start_clock(void)
{

	stop = 0;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += seconds();
}

/* Wait for the workers; a worker that is not done long after the
 * deadline is hung. */
static void
join_all(struct worker *w, int n)
{
	struct timespec limit;
	int i;

	clock_gettime(CLOCK_REALTIME, &limit);
	limit.tv_sec += seconds() + 20;
	for (i = 0; i < n; i++) {
		int error = pthread_timedjoin_np(w[i].thread, NULL, &limit);

		ck_assert_msg(error == 0, "worker %d did not finish (%s) after "
		    "%ld calls: deadlock?", i, strerror(error), w[i].ops);
	}
	for (i = 0; i < n; i++) {
		ck_assert_msg(w[i].bad_errno == 0, "worker %d: %s failed: "
		    "errno %d (%s)", i, w[i].bad_call, w[i].bad_errno,
		    strerror(w[i].bad_errno));
		ck_assert_msg(w[i].ops > 0, "worker %d made no calls", i);
	}
}

/*
 * One directory: files f0..f23 and directories d0..d23 in /c, files x in
 * the directories.
 */
static void *
flat_worker(void *arg)
{
	static const int any[] = { ENOENT, EEXIST, ENOTEMPTY, 0 };
	struct worker *w = arg;
	char a[64], b[64];
	struct stat st;
	int fd, k;

	if (rump_lwproc_rfork(RUMP_RFFDG) != 0) {
		w->bad_errno = ENOMEM;
		snprintf(w->bad_call, sizeof(w->bad_call), "rump_lwproc_rfork");
		return NULL;
	}
	while (running()) {
		int i = (int)(wrand(w) % NNAMES), j = (int)(wrand(w) % NNAMES);

		k = (int)(wrand(w) % 100);
		if (k < 20) {
			snprintf(a, sizeof(a), "/c/f%d", i);
			fd = rump_sys_open(a, O_WRONLY | O_CREAT |
			    (k < 10 ? O_EXCL : 0), 0644);
			check(w, fd, "open(O_CREAT)", any);
			if (fd >= 0) {
				if (rump_sys_write(fd, a, 4) != 4)
					check(w, -1, "write", any);
				check(w, rump_sys_close(fd), "close", any);
			}
		} else if (k < 35) {
			snprintf(a, sizeof(a), "/c/f%d", i);
			snprintf(b, sizeof(b), "/c/f%d", j);
			check(w, rump_sys_rename(a, b), "rename file", any);
		} else if (k < 48) {
			snprintf(a, sizeof(a), "/c/f%d", i);
			check(w, rump_sys_unlink(a), "unlink", any);
		} else if (k < 58) {
			snprintf(a, sizeof(a), "/c/f%d", i);
			snprintf(b, sizeof(b), "/c/f%d", j);
			check(w, rump_sys_link(a, b), "link", any);
		} else if (k < 66) {
			snprintf(a, sizeof(a), "/c/d%d", i);
			check(w, rump_sys_mkdir(a, 0755), "mkdir", any);
		} else if (k < 73) {
			snprintf(a, sizeof(a), "/c/d%d", i);
			check(w, rump_sys_rmdir(a), "rmdir", any);
		} else if (k < 80) {
			snprintf(a, sizeof(a), "/c/d%d", i);
			snprintf(b, sizeof(b), "/c/d%d", j);
			check(w, rump_sys_rename(a, b), "rename dir", any);
		} else if (k < 86) {
			snprintf(a, sizeof(a), "/c/d%d/x", i);
			fd = rump_sys_open(a, O_WRONLY | O_CREAT, 0644);
			check(w, fd, "create in dir", any);
			if (fd >= 0)
				check(w, rump_sys_close(fd), "close", any);
		} else if (k < 90) {
			snprintf(a, sizeof(a), "/c/d%d/x", i);
			check(w, rump_sys_unlink(a), "unlink in dir", any);
		} else if (k < 95) {
			snprintf(a, sizeof(a), "/c/f%d", i);
			check(w, rump_sys_stat(a, &st), "stat", any);
		} else {
			char buf[1024];

			fd = rump_sys_open("/c", O_RDONLY | O_DIRECTORY);
			check(w, fd, "open dir", any);
			if (fd >= 0) {
				long n;

				while ((n = rump_sys_getdents64(fd, buf,
				    sizeof(buf))) > 0)
					continue;
				check(w, n, "getdents64", any);
				check(w, rump_sys_close(fd), "close", any);
			}
		}
	}
	rump_lwproc_releaselwp();
	w->done = 1;
	return NULL;
}

/* The names lstat finds in /c, as getdents64 would list them. */
static void
check_flat_tree(void)
{
	char path[64], expect[4096], got[8192];
	struct stat st[NNAMES], ds;
	int i, j, x, links, ndirs = 0;
	int present[NNAMES];

	snprintf(expect, sizeof(expect), "./..");
	/* Sorted as strcmp sorts: d0, d1, d10, ..., f0, ... */
	{
		char *names[2 * NNAMES];
		int n = 0, k;

		for (i = 0; i < NNAMES; i++) {
			snprintf(path, sizeof(path), "/c/d%d", i);
			if (rump_sys_lstat(path, &ds) == 0) {
				ck_assert(S_ISDIR(ds.st_mode));
				ndirs++;
				names[n++] = strdup(path + 3);
				snprintf(path, sizeof(path), "/c/d%d/x", i);
				x = vt_exists(path);
				snprintf(path, sizeof(path), "/c/d%d", i);
				ck_assert_listing(path, x ? "./../x" : "./..");
				ck_assert_int_eq(ds.st_nlink, 2);
			} else {
				ck_assert_int_eq(errno, ENOENT);
			}
			snprintf(path, sizeof(path), "/c/f%d", i);
			present[i] = rump_sys_lstat(path, &st[i]) == 0;
			if (present[i]) {
				ck_assert(S_ISREG(st[i].st_mode));
				names[n++] = strdup(path + 3);
			} else {
				ck_assert_int_eq(errno, ENOENT);
			}
		}
		qsort(names, n, sizeof(names[0]), vt_cmpstr);
		for (k = 0; k < n; k++) {
			strncat(expect, "/", sizeof(expect) - strlen(expect) - 1);
			strncat(expect, names[k], sizeof(expect) -
			    strlen(expect) - 1);
			free(names[k]);
		}
	}
	ck_assert_str_eq(vt_listdir("/c", got, sizeof(got)), expect);
	/* Each file's link count is the number of its names here. */
	for (i = 0; i < NNAMES; i++) {
		if (!present[i])
			continue;
		links = 0;
		for (j = 0; j < NNAMES; j++)
			if (present[j] && st[j].st_ino == st[i].st_ino)
				links++;
		ck_assert_msg(st[i].st_nlink == (nlink_t)links, "f%d: nlink "
		    "%lu, names %d", i, (unsigned long)st[i].st_nlink, links);
	}
	ck_assert_int_eq(vt_stat("/c").st_nlink, 2 + ndirs);
}

static void
cleanup_flat_tree(void)
{
	char path[64];
	int i;

	for (i = 0; i < NNAMES; i++) {
		snprintf(path, sizeof(path), "/c/f%d", i);
		rump_sys_unlink(path);
		snprintf(path, sizeof(path), "/c/d%d/x", i);
		rump_sys_unlink(path);
		snprintf(path, sizeof(path), "/c/d%d", i);
		rump_sys_rmdir(path);
	}
	ck_assert_ok(rump_sys_rmdir("/c"));
}

VTEST(concurrent, threads_creating_renaming_unlinking_in_one_dir_stay_consistent)
{
	struct worker w[NTHREADS];
	long total = 0;
	int i;

	vt_mkdir("/c", 0755);
	memset(w, 0, sizeof(w));
	start_clock();
	for (i = 0; i < NTHREADS; i++) {
		w[i].id = i;
		w[i].rng = 0x12345678ULL * (uint64_t)(i + 1) + 1;
		ck_assert_int_eq(pthread_create(&w[i].thread, NULL,
		    flat_worker, &w[i]), 0);
	}
	join_all(w, NTHREADS);
	for (i = 0; i < NTHREADS; i++)
		total += w[i].ops;
	fprintf(stderr, "t_concurrent: %ld calls in one directory\n", total);
	check_flat_tree();
	cleanup_flat_tree();
}

/*
 * Directories moving: /p and /q hold directories s0..s7 (never created
 * or removed, only renamed: between /p and /q and into each other) and
 * files.  Renames of a directory into its own subtree must fail EINVAL;
 * afterwards every directory must still be reachable exactly once.
 */
#define NDIRS 8

static void *
tree_worker(void *arg)
{
	static const int any[] = { ENOENT, EEXIST, ENOTEMPTY, EINVAL, ENOTDIR,
	    0 };
	struct worker *w = arg;
	char a[128], b[128];
	static const char *const tops[] = { "/p", "/q" };
	int fd;

	if (rump_lwproc_rfork(RUMP_RFFDG) != 0) {
		w->bad_errno = ENOMEM;
		snprintf(w->bad_call, sizeof(w->bad_call), "rump_lwproc_rfork");
		return NULL;
	}
	while (running()) {
		int i = (int)(wrand(w) % NDIRS), j = (int)(wrand(w) % NDIRS);
		int k = (int)(wrand(w) % 100);
		const char *t1 = tops[wrand(w) % 2], *t2 = tops[wrand(w) % 2];

		if (k < 40) {
			/* Move s_i from a top to a top. */
			snprintf(a, sizeof(a), "%s/s%d", t1, i);
			snprintf(b, sizeof(b), "%s/s%d", t2, i);
			check(w, rump_sys_rename(a, b), "rename top to top",
			    any);
		} else if (k < 60) {
			/* Move s_i into s_j (at a top), or out again. */
			snprintf(a, sizeof(a), "%s/s%d", t1, i);
			snprintf(b, sizeof(b), "%s/s%d/s%d", t2, j, i);
			if (k < 50)
				check(w, rump_sys_rename(a, b), "rename in",
				    any);
			else
				check(w, rump_sys_rename(b, a), "rename out",
				    any);
		} else if (k < 80) {
			snprintf(a, sizeof(a), "%s/f%d", t1, i);
			fd = rump_sys_open(a, O_WRONLY | O_CREAT, 0644);
			check(w, fd, "create", any);
			if (fd >= 0)
				check(w, rump_sys_close(fd), "close", any);
		} else if (k < 90) {
			snprintf(a, sizeof(a), "%s/f%d", t1, i);
			snprintf(b, sizeof(b), "%s/f%d", t2, j);
			check(w, rump_sys_rename(a, b), "rename file", any);
		} else {
			snprintf(a, sizeof(a), "%s/f%d", t1, i);
			check(w, rump_sys_unlink(a), "unlink", any);
		}
	}
	rump_lwproc_releaselwp();
	w->done = 1;
	return NULL;
}

/* Walk the tree under path: count directories named s*, check each
 * "..", and each directory's link count. */
static int
walk(const char *path, ino_t parent, int depth)
{
	char buf[4096], child[512];
	struct stat st, cs;
	int fd, count = 0, subdirs = 0;
	long len, off;

	ck_assert_int_lt(depth, 2 * NDIRS + 4);
	st = vt_stat(path);
	snprintf(child, sizeof(child), "%s/..", path);
	ck_assert_msg(vt_stat(child).st_ino == parent, "%s: .. is not its "
	    "parent", path);
	fd = ck_nonneg(rump_sys_open(path, O_RDONLY | O_DIRECTORY));
	while ((len = ck_nonneg(rump_sys_getdents64(fd, buf,
	    sizeof(buf)))) > 0) {
		for (off = 0; off < len;) {
			struct vt_dirent *d = (struct vt_dirent *)(buf + off);

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s", path,
			    d->d_name);
			ck_assert_msg(rump_sys_lstat(child, &cs) == 0,
			    "%s listed but lstat: %s", child,
			    strerror(errno));
			if (S_ISDIR(cs.st_mode)) {
				subdirs++;
				count += 1 + walk(child, st.st_ino, depth + 1);
			} else {
				ck_assert(S_ISREG(cs.st_mode));
				ck_assert_int_eq(cs.st_nlink, 1);
			}
		}
	}
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_msg(st.st_nlink == (nlink_t)(2 + subdirs), "%s: nlink %lu, "
	    "%d subdirectories", path, (unsigned long)st.st_nlink, subdirs);
	return count;
}

VTEST(concurrent, threads_moving_directories_around_lose_none)
{
	struct worker w[NTHREADS];
	char path[32];
	ino_t root;
	long total = 0;
	int i, n;

	vt_mkdir("/p", 0755);
	vt_mkdir("/q", 0755);
	for (i = 0; i < NDIRS; i++) {
		snprintf(path, sizeof(path), "/%c/s%d", i % 2 ? 'q' : 'p', i);
		vt_mkdir(path, 0755);
	}
	memset(w, 0, sizeof(w));
	start_clock();
	for (i = 0; i < NTHREADS; i++) {
		w[i].id = i;
		w[i].rng = 0x87654321ULL * (uint64_t)(i + 3) + 5;
		ck_assert_int_eq(pthread_create(&w[i].thread, NULL,
		    tree_worker, &w[i]), 0);
	}
	join_all(w, NTHREADS);
	for (i = 0; i < NTHREADS; i++)
		total += w[i].ops;
	fprintf(stderr, "t_concurrent: %ld calls moving directories\n", total);
	root = vt_stat("/").st_ino;
	n = walk("/p", root, 0) + walk("/q", root, 0);
	ck_assert_int_eq(n, NDIRS);
}

/*
 * Lookups racing with renames around them: names that no one touches
 * must always be found, with the same inode.
 */
static ino_t stable_ino[4];

static void *
lookup_worker(void *arg)
{
	static const int none[] = { 0 };
	static const int any[] = { ENOENT, EEXIST, ENOTEMPTY, ENOTDIR, EISDIR,
	    0 };
	struct worker *w = arg;
	char a[64], b[64];
	struct stat st;

	if (rump_lwproc_rfork(RUMP_RFFDG) != 0) {
		w->bad_errno = ENOMEM;
		return NULL;
	}
	while (running()) {
		int i = (int)(wrand(w) % 4), j = (int)(wrand(w) % NNAMES);
		int k = (int)(wrand(w) % NNAMES);

		if (w->id % 2 == 0) {
			/* Readers: the stable names, through both paths. */
			snprintf(a, sizeof(a), i % 2 ? "/r/stable%d" :
			    "/r/sub/../stable%d", i);
			check(w, rump_sys_stat(a, &st), a, none);
			if (st.st_ino != stable_ino[i] && w->bad_errno == 0) {
				w->bad_errno = ESTALE;
				snprintf(w->bad_call, sizeof(w->bad_call),
				    "stat %s: wrong inode", a);
			}
			snprintf(a, sizeof(a), "/r/n%d", j);
			check(w, rump_sys_lstat(a, &st), "lstat", any);
		} else {
			/* Writers: everything else in the directory. */
			snprintf(a, sizeof(a), "/r/n%d", j);
			snprintf(b, sizeof(b), "/r/n%d", k);
			switch (wrand(w) % 4) {
			case 0:
				check(w, rump_sys_mkdir(a, 0755), "mkdir", any);
				break;
			case 1:
				check(w, rump_sys_rename(a, b), "rename", any);
				break;
			case 2:
				check(w, rump_sys_rmdir(a), "rmdir", any);
				break;
			default:
				check(w, rump_sys_symlink("stable0", a),
				    "symlink", any);
				check(w, rump_sys_unlink(b), "unlink", any);
			}
		}
	}
	rump_lwproc_releaselwp();
	return NULL;
}

VTEST(concurrent, lookups_of_untouched_names_never_fail_during_renames)
{
	struct worker w[NTHREADS];
	char path[32];
	int i;

	vt_mkdir("/r", 0755);
	vt_mkdir("/r/sub", 0755);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/r/stable%d", i);
		vt_mkfile(path, 0644, NULL);
		stable_ino[i] = vt_stat(path).st_ino;
	}
	memset(w, 0, sizeof(w));
	start_clock();
	for (i = 0; i < NTHREADS; i++) {
		w[i].id = i;
		w[i].rng = 0xabcdef01ULL * (uint64_t)(i + 7) + 3;
		ck_assert_int_eq(pthread_create(&w[i].thread, NULL,
		    lookup_worker, &w[i]), 0);
	}
	join_all(w, NTHREADS);
}

/* Many threads opening, writing and closing one file: the size is the
 * sum of the appends. */
static void *
append_worker(void *arg)
{
	static const int none[] = { 0 };
	struct worker *w = arg;
	char buf[10];
	int fd;

	memset(buf, 'a' + w->id, sizeof(buf));
	if (rump_lwproc_rfork(RUMP_RFFDG) != 0) {
		w->bad_errno = ENOMEM;
		return NULL;
	}
	while (running()) {
		fd = rump_sys_open("/log", O_WRONLY | O_APPEND);
		check(w, fd, "open", none);
		if (fd < 0)
			break;
		if (rump_sys_write(fd, buf, sizeof(buf)) != sizeof(buf))
			check(w, -1, "write", none);
		else
			w->oks += 1000000;
		check(w, rump_sys_close(fd), "close", none);
	}
	rump_lwproc_releaselwp();
	return NULL;
}

VTEST(concurrent, concurrent_appends_never_overlap)
{
	struct worker w[NTHREADS];
	static char buf[1000000];
	long writes = 0, n, i;
	int fd, t;

	vt_mkfile("/log", 0644, NULL);
	memset(w, 0, sizeof(w));
	start_clock();
	for (t = 0; t < NTHREADS; t++) {
		w[t].id = t;
		ck_assert_int_eq(pthread_create(&w[t].thread, NULL,
		    append_worker, &w[t]), 0);
	}
	join_all(w, NTHREADS);
	for (t = 0; t < NTHREADS; t++)
		writes += w[t].oks / 1000000;
	ck_assert_int_eq(vt_stat("/log").st_size, writes * 10);
	fd = ck_nonneg(rump_sys_open("/log", O_RDONLY));
	for (;;) {
		n = ck_nonneg(rump_sys_read(fd, buf, sizeof(buf)));
		if (n == 0)
			break;
		ck_assert_int_eq(n % 10, 0);
		for (i = 0; i < n; i += 10)
			ck_assert_msg(memcmp(buf + i, buf + i + 1, 9) == 0,
			    "record at %ld mixed", i);
	}
	ck_assert_ok(rump_sys_close(fd));
}

int
main(void)
{

	return vt_main("concurrent", 60 + 3 * (int)seconds());
}
