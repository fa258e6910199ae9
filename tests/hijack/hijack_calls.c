/*
 * hijack_calls.c: system calls on descriptors and paths of the rump
 * kernel, mixed with the host's, under librumphijack.so (run by
 * hijack_test.sh, in-process mode):
 *
 *	hijack_calls DIR HOSTDIR
 *
 * DIR is a new directory under /rump, HOSTDIR a host directory.  Checks
 * poll, select, sendfile, copy_file_range, dup2/dup3/F_DUPFD/close_range,
 * mmap, chdir/getcwd/fchdir/realpath, opendir/scandir, the stat family,
 * stdio, EXDEV/ENOENT/EEXIST, chmod through /proc/self/fd of an O_PATH
 * descriptor, fork, a thread on a small stack, sigaltstack.  Prints "ok NAME" or "FAIL NAME: detail" per check;
 * exits 1 if any failed.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int nfail;

/*
 * A thread on a small stack (posix_spawn's child has 32 KiB) makes calls
 * that the kernel serves in-process: they run on the hijack's own signal
 * stack, not on this one.
 */
static void *
small_stack_thread(void *arg)
{
	struct stat st;
	char buf[8];
	int fd;

	fd = open((const char *)arg, O_RDONLY);
	if (fd < 0 || read(fd, buf, 5) != 5 || fstat(fd, &st) != 0 ||
	    stat((const char *)arg, &st) != 0)
		return (void *)1;
	close(fd);
	return NULL;
}
static char D[PATH_MAX], H[PATH_MAX], p1[PATH_MAX], p2[PATH_MAX];

/* The condition first, then the detail (errno of the call checked). */
#define check(name, cond, ...) do {					\
	int good_ = (cond);						\
	result(name, good_, __VA_ARGS__);				\
} while (0)

static void
result(const char *name, int good, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (good) {
		printf("ok %s\n", name);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("FAIL %s: %s\n", name, buf);
	nfail++;
}

static const char *
path(char *buf, const char *dir, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", dir, name);
	return buf;
}

static void
putfile(const char *p, const char *s)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		printf("FAIL setup %s: %s\n", p, strerror(errno)), nfail++;
	close(fd);
}

/* The contents of P (at most 255 bytes), or "?errno". */
static const char *
getfile(const char *p)
{
	static char buf[256];
	ssize_t n;
	int fd;

	if ((fd = open(p, O_RDONLY)) < 0) {
		snprintf(buf, sizeof(buf), "?%s", strerror(errno));
		return buf;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = '\0';
	close(fd);
	return buf;
}

static double
msnow(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static const char TXT[] = "hello, rump\nsecond line\n";

int
main(int argc, char **argv)
{
	struct pollfd pf[2];
	struct stat st;
	struct statx stx;
	struct dirent *de, **nl;
	fd_set rs;
	struct timeval tv;
	char buf[512], cwd[PATH_MAX], *s;
	int fd, fd2, hfd, pp[2], n, i, seen, st0;
	double t0;
	off_t off;
	pid_t pid;
	DIR *dp;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: hijack_calls DIR HOSTDIR\n");
		return 2;
	}
	snprintf(D, sizeof(D), "%s", argv[1]);
	snprintf(H, sizeof(H), "%s", argv[2]);
	check("mkdir", mkdir(D, 0755) == 0, "%s", strerror(errno));
	putfile(path(p1, D, "a.txt"), TXT);

	/* poll and select: a kernel file and a host pipe. */
	fd = open(path(p1, D, "a.txt"), O_RDONLY);
	if (fd < 0 || pipe(pp) != 0)
		return printf("FAIL setup: %s\n", strerror(errno)), 1;
	pf[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = pp[0], .events = POLLIN };
	n = poll(pf, 2, 0);
	check("poll file+empty pipe", n == 1 && (pf[0].revents & POLLIN) &&
	    pf[1].revents == 0, "n %d revents %#x %#x", n, pf[0].revents,
	    pf[1].revents);
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	FD_SET(pp[0], &rs);
	tv = (struct timeval){ 0, 0 };
	n = select((fd > pp[0] ? fd : pp[0]) + 1, &rs, NULL, NULL, &tv);
	check("select file+empty pipe", n == 1 && FD_ISSET(fd, &rs) &&
	    !FD_ISSET(pp[0], &rs), "n %d", n);
	write(pp[1], "x", 1);
	n = poll(pf, 2, 1000);
	check("poll file+full pipe", n == 2 && (pf[0].revents & POLLIN) &&
	    (pf[1].revents & POLLIN), "n %d revents %#x %#x", n,
	    pf[0].revents, pf[1].revents);
	FD_ZERO(&rs);
	FD_SET(fd, &rs);
	FD_SET(pp[0], &rs);
	tv = (struct timeval){ 1, 0 };
	n = select((fd > pp[0] ? fd : pp[0]) + 1, &rs, NULL, NULL, &tv);
	check("select file+full pipe", n == 2 && FD_ISSET(fd, &rs) &&
	    FD_ISSET(pp[0], &rs), "n %d", n);
	read(pp[0], buf, 1);
	t0 = msnow();
	n = poll(&pf[1], 1, 50);
	check("poll timeout on the pipe", n == 0 && msnow() - t0 >= 40,
	    "n %d after %.1f ms", n, msnow() - t0);

	/* sendfile and copy_file_range. */
	hfd = open(path(p2, H, "sf.out"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	off = 0;
	n = sendfile(hfd, fd, &off, sizeof(TXT) - 1);
	check("sendfile rump->host", n == sizeof(TXT) - 1 &&
	    strcmp(getfile(p2), TXT) == 0, "n %d (%s) got '%s'", n,
	    strerror(errno), getfile(p2));
	fd2 = open(path(p1, D, "sf.in"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	lseek(hfd, 0, SEEK_SET);
	n = sendfile(fd2, hfd, NULL, sizeof(TXT) - 1);
	check("sendfile host->rump", n == sizeof(TXT) - 1 &&
	    strcmp(getfile(p1), TXT) == 0, "n %d (%s) got '%s'", n,
	    strerror(errno), getfile(p1));
	close(fd2);
	close(hfd);
	struct { const char *name, *src, *dst; } cf[] = {
		{ "copy_file_range rump->rump", D, D },
		{ "copy_file_range rump->host", D, H },
		{ "copy_file_range host->rump", H, D },
	};
	putfile(path(p2, H, "a.txt"), TXT);
	for (i = 0; i < 3; i++) {
		fd = open(path(p1, cf[i].src, "a.txt"), O_RDONLY);
		fd2 = open(path(p2, cf[i].dst, "cfr.out"),
		    O_WRONLY | O_CREAT | O_TRUNC, 0644);
		errno = 0;
		n = copy_file_range(fd, NULL, fd2, NULL, sizeof(TXT) - 1, 0);
		close(fd), close(fd2);
		if (i > 0 && n == -1 && errno == EXDEV)
			check(cf[i].name, 1, "%s", "");
		else
			check(cf[i].name, n == sizeof(TXT) - 1 &&
			    strcmp(getfile(p2), TXT) == 0, "n %d (%s) got '%s'",
			    n, strerror(errno), getfile(p2));
	}

	/* dup2, dup3, F_DUPFD, close_range. */
	fd = open(path(p1, D, "a.txt"), O_RDONLY);
	n = dup2(fd, pp[0]);
	memset(buf, 0, sizeof(buf));
	check("dup2 onto a pipe's number", n == pp[0] &&
	    read(pp[0], buf, 5) == 5 && strcmp(buf, "hello") == 0,
	    "n %d read '%s' (%s)", n, buf, strerror(errno));
	n = dup3(fd, 60, O_CLOEXEC);
	i = fcntl(60, F_GETFD);
	check("dup3 O_CLOEXEC", n == 60 && i == FD_CLOEXEC &&
	    fcntl(fd, F_GETFD) == 0, "n %d F_GETFD %d", n, i);
	n = fcntl(fd, F_DUPFD, 100);
	memset(buf, 0, sizeof(buf));
	check("F_DUPFD 100", n >= 100 && pread(n, buf, 5, 0) == 5 &&
	    strcmp(buf, "hello") == 0, "n %d read '%s'", n, buf);
	i = syscall(SYS_close_range, 60, 200, 0);
	errno = 0;
	check("close_range", i == 0 && read(n, buf, 1) == -1 &&
	    errno == EBADF && read(60, buf, 1) == -1 && read(fd, buf, 1) >= 0,
	    "rc %d errno %s", i, strerror(errno));
	close(pp[0]), close(pp[1]);

	/* mmap */
	s = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	check("mmap MAP_PRIVATE", s != MAP_FAILED &&
	    memcmp(s, TXT, sizeof(TXT) - 1) == 0, "%s",
	    s == MAP_FAILED ? strerror(errno) : "contents differ");
	if (s != MAP_FAILED)
		munmap(s, 4096);
	fd2 = open(path(p1, D, "a.txt"), O_RDWR);
	s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
	check("mmap MAP_SHARED|PROT_WRITE: ENODEV", s == MAP_FAILED &&
	    errno == ENODEV, "%p %s", (void *)s, strerror(errno));
	close(fd2);

	/* cwd, directories, the stat family, stdio. */
	hfd = open(H, O_RDONLY | O_DIRECTORY);
	check("chdir", chdir(D) == 0 && getcwd(cwd, sizeof(cwd)) != NULL &&
	    strcmp(cwd, D) == 0, "cwd '%s' (%s)", cwd, strerror(errno));
	check("open relative", strcmp(getfile("a.txt"), TXT) == 0, "'%s'",
	    getfile("a.txt"));
	fd2 = open(".", O_RDONLY | O_DIRECTORY);
	check("fchdir host and back", fchdir(hfd) == 0 &&
	    getcwd(cwd, sizeof(cwd)) && strcmp(cwd, H) == 0 &&
	    fchdir(fd2) == 0 && getcwd(cwd, sizeof(cwd)) &&
	    strcmp(cwd, D) == 0, "cwd '%s' (%s)", cwd, strerror(errno));
	close(fd2);
	s = realpath(".", NULL);
	/* From a host directory down into the prefix: "rump/..." from "/". */
	{
		int rfd = open("/", O_RDONLY | O_DIRECTORY);
		char rel[PATH_MAX + 16];

		snprintf(rel, sizeof(rel), "%s/viafd", D + 1);
		n = rfd >= 0 ? mkdirat(rfd, rel, 0755) : -1;
		check("mkdirat from / into the prefix", n == 0 &&
		    stat(path(p1, D, "viafd"), &st) == 0 && S_ISDIR(st.st_mode),
		    "%s: %s", rel, strerror(errno));
		if (rfd >= 0)
			close(rfd);
		rmdir(path(p1, D, "viafd"));
	}
	check("realpath .", s && strcmp(s, D) == 0, "'%s'", s ? s : "NULL");
	free(s);
	seen = 0;
	if ((dp = opendir(D)) != NULL) {
		while ((de = readdir(dp)) != NULL)
			seen += strcmp(de->d_name, "a.txt") == 0 ||
			    strcmp(de->d_name, "sf.in") == 0 ||
			    strcmp(de->d_name, "cfr.out") == 0;
		closedir(dp);
	}
	check("opendir/readdir", seen == 3, "%d of 3 names", seen);
	n = scandir(D, &nl, NULL, alphasort);
	seen = n >= 5 && strcmp(nl[2]->d_name, "a.txt") == 0 &&
	    strcmp(nl[4]->d_name, "sf.in") == 0;
	check("scandir", seen, "n %d", n);
	for (i = 0; i < n; i++)
		free(nl[i]);
	if (n > 0)
		free(nl);
	symlink("a.txt", "ln");
	check("stat", stat(path(p1, D, "ln"), &st) == 0 &&
	    S_ISREG(st.st_mode) && st.st_size == sizeof(TXT) - 1, "%s",
	    strerror(errno));
	check("lstat", lstat(p1, &st) == 0 && S_ISLNK(st.st_mode), "%s",
	    strerror(errno));
	check("fstatat", fstatat(AT_FDCWD, "a.txt", &st, 0) == 0 &&
	    st.st_size == sizeof(TXT) - 1, "%s", strerror(errno));
	check("statx", statx(AT_FDCWD, path(p1, D, "a.txt"), 0, STATX_ALL,
	    &stx) == 0 && stx.stx_size == sizeof(TXT) - 1, "%s",
	    strerror(errno));
	{
		/* File handles of the kernel's file system: named by path,
		 * opened by a kernel descriptor of the mount. */
		struct {
			struct file_handle fh;
			unsigned char b[MAX_HANDLE_SZ];
		} h;
		int mid, mfd, hfd2 = -1;

		h.fh.handle_bytes = MAX_HANDLE_SZ;
		mfd = open(D, O_RDONLY | O_DIRECTORY);
		n = name_to_handle_at(AT_FDCWD, path(p1, D, "a.txt"), &h.fh,
		    &mid, 0);
		if (n == 0 && mfd >= 0)
			hfd2 = open_by_handle_at(mfd, &h.fh, O_RDONLY);
		n = hfd2 >= 0 ? (int)pread(hfd2, buf, sizeof(TXT) - 1, 0) : -1;
		check("name_to_handle_at, open_by_handle_at",
		    n == (int)sizeof(TXT) - 1 &&
		    memcmp(buf, TXT, sizeof(TXT) - 1) == 0, "%s",
		    strerror(errno));
		if (hfd2 >= 0)
			close(hfd2);
		if (mfd >= 0)
			close(mfd);
	}
	{
		/* Extended attributes by path, by descriptor, of a link
		 * itself, and getxattrat on an O_PATH descriptor. */
		struct {
			uint64_t value;
			uint32_t size, flags;
		} xa;
		char v[16];
		int xfd, pfd;

		errno = 0;
		n = setxattr(p1, "user.hj", "v1", 2, XATTR_CREATE);
		check("setxattr, getxattr", n == 0 &&
		    getxattr(p1, "user.hj", v, sizeof(v)) == 2 &&
		    memcmp(v, "v1", 2) == 0, "%s", strerror(errno));
		check("setxattr XATTR_CREATE of an existing name",
		    setxattr(p1, "user.hj", "v2", 2, XATTR_CREATE) == -1 &&
		    errno == EEXIST, "%s", strerror(errno));
		n = (int)listxattr(p1, buf, sizeof(buf));
		check("listxattr", n > 0 && memmem(buf, (size_t)n, "user.hj",
		    sizeof("user.hj")) != NULL, "%d %s", n, strerror(errno));
		xfd = open(p1, O_RDWR);
		check("fsetxattr, fgetxattr", xfd >= 0 &&
		    fsetxattr(xfd, "user.hj", "fd", 2, XATTR_REPLACE) == 0 &&
		    fgetxattr(xfd, "user.hj", v, sizeof(v)) == 2 &&
		    memcmp(v, "fd", 2) == 0, "%s", strerror(errno));
		if (xfd >= 0)
			close(xfd);
		pfd = open(p1, O_RDONLY);
		memset(&xa, 0, sizeof(xa));
		xa.value = (uint64_t)(uintptr_t)v;
		xa.size = sizeof(v);
		n = pfd < 0 ? -1 : (int)syscall(464 /* getxattrat */, pfd, "",
		    AT_EMPTY_PATH, "user.hj", &xa, sizeof(xa));
		check("getxattrat of a descriptor", n == 2 &&
		    memcmp(v, "fd", 2) == 0, "%d %s", n, strerror(errno));
		if (pfd >= 0)
			close(pfd);
		/* Linux takes an AT_EMPTY_PATH descriptor as fgetxattr
		 * does: not an O_PATH one. */
		pfd = open(p1, O_PATH);
		n = pfd < 0 ? 0 : (int)syscall(464 /* getxattrat */, pfd, "",
		    AT_EMPTY_PATH, "user.hj", &xa, sizeof(xa));
		check("getxattrat of an O_PATH descriptor is EBADF", n == -1 &&
		    errno == EBADF, "%d %s", n, strerror(errno));
		if (pfd >= 0)
			close(pfd);
		check("lgetxattr of a link (user.* only on files)",
		    lgetxattr(path(p2, D, "ln"), "user.hj", v,
		    sizeof(v)) == -1 && errno == ENODATA, "%s",
		    strerror(errno));
		check("removexattr", removexattr(p1, "user.hj") == 0 &&
		    getxattr(p1, "user.hj", v, sizeof(v)) == -1 &&
		    errno == ENODATA, "%s", strerror(errno));
	}
	check("access", access(p1, R_OK | W_OK) == 0 &&
	    access(path(p2, D, "nope"), F_OK) == -1 && errno == ENOENT, "%s",
	    strerror(errno));
	f = fopen(path(p1, D, "std.txt"), "w+");
	s = NULL;
	if (f != NULL) {
		fprintf(f, "n=%d\n", 42);
		rewind(f);
		s = fgets(buf, sizeof(buf), f);
		fclose(f);
	}
	check("fopen/fprintf/fgets", s && strcmp(buf, "n=42\n") == 0 &&
	    strcmp(getfile(p1), "n=42\n") == 0, "'%s'", getfile(p1));
	check("rename to the host: EXDEV", rename(p1, path(p2, H, "r")) ==
	    -1 && errno == EXDEV, "%s", strerror(errno));
	check("rename from the host: EXDEV", rename(path(p2, H, "a.txt"),
	    path(p1, D, "r")) == -1 && errno == EXDEV, "%s", strerror(errno));
	check("link across: EXDEV", link(path(p1, D, "a.txt"),
	    path(p2, H, "l")) == -1 && errno == EXDEV, "%s", strerror(errno));
	check("unlink missing: ENOENT", unlink(path(p1, D, "nope")) == -1 &&
	    errno == ENOENT, "%s", strerror(errno));
	check("O_CREAT|O_EXCL: EEXIST", open(path(p1, D, "a.txt"),
	    O_CREAT | O_EXCL | O_WRONLY, 0644) == -1 && errno == EEXIST, "%s",
	    strerror(errno));

	/* chmod through /proc/self/fd of an O_PATH descriptor. */
	stat("/dev/null", &st);
	st0 = st.st_mode;
	putfile(path(p1, D, "m.txt"), "m\n");
	fd2 = open(p1, O_PATH);
	snprintf(p2, sizeof(p2), "/proc/self/fd/%d", fd2);
	n = fchmodat(AT_FDCWD, p2, 0700, 0);
	stat(p1, &st);
	check("chmod /proc/self/fd/N (O_PATH)", n == 0 &&
	    (st.st_mode & 07777) == 0700, "rc %d (%s) mode %o", n,
	    strerror(errno), st.st_mode & 07777);
	n = fchmodat(AT_FDCWD, p1, 0710, AT_SYMLINK_NOFOLLOW);
	stat(p1, &st);
	check("fchmodat AT_SYMLINK_NOFOLLOW", n == 0 &&
	    (st.st_mode & 07777) == 0710, "rc %d (%s) mode %o", n,
	    strerror(errno), st.st_mode & 07777);
	stat("/dev/null", &st);
	check("/dev/null unchanged", st.st_mode == (mode_t)st0, "%o -> %o",
	    st0, st.st_mode);
	close(fd2);

	/* fork: the offset is shared; the child writes, the parent reads. */
	lseek(fd, 0, SEEK_SET);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		if (read(fd, buf, 6) != 6 || memcmp(buf, "hello,", 6) != 0)
			_exit(3);
		putfile(path(p1, D, "child.txt"), "from the child\n");
		_exit(0);
	}
	n = waitpid(pid, &st0, 0);
	check("fork: child's exit status", n == pid && WIFEXITED(st0) &&
	    WEXITSTATUS(st0) == 0, "status %#x", st0);
	check("fork: shared offset", lseek(fd, 0, SEEK_CUR) == 6, "offset %ld",
	    (long)lseek(fd, 0, SEEK_CUR));
	check("fork: the child's file", strcmp(getfile(path(p1, D,
	    "child.txt")), "from the child\n") == 0, "'%s'", getfile(p1));

	/* A thread with a 16 KiB stack. */
	{
		pthread_attr_t attr;
		pthread_t t;
		void *tr = (void *)2;

		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 16384);
		n = pthread_create(&t, &attr, small_stack_thread,
		    (void *)(uintptr_t)path(p1, D, "a.txt"));
		if (n == 0)
			pthread_join(t, &tr);
		check("a thread on a 16 KiB stack", n == 0 && tr == NULL,
		    "create %d, result %p", n, tr);
	}
	/* The program's sigaltstack is its own to read back. */
	{
		static char alt[65536];
		stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) }, os;

		n = sigaltstack(&ss, NULL);
		check("sigaltstack reads back", n == 0 &&
		    sigaltstack(NULL, &os) == 0 && os.ss_sp == alt &&
		    os.ss_size == sizeof(alt), "rc %d", n);
	}
	close(fd);
	return nfail ? 1 : 0;
}
