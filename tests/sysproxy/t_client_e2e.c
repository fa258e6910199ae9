/*
 * t_client_e2e.c: remote clients against a real rump_server (issue 5):
 * 32 client processes doing 1,000 checked file operations each at once;
 * a client killed with SIGKILL in the middle of a call (the server goes
 * on, the client's kernel process goes away); the server halted by
 * rump.halt with clients connected (they get ENOTCONN, never hang); the
 * socket's mode and a busy socket path; fork; exec; bad pointers; the
 * control tools; extended attributes, whose *at calls pass a structure
 * that points at the value.
 *
 * The programs are the built ones, beside this test's directory
 * ($BUILD/bin).  Each test starts its own server in a temporary directory
 * and stops it; Check runs each test in a process of its own, and each
 * has a time limit, so a hang is a failure, not a stuck run.
 */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

/* linux/xattr.h (Linux 6.13): the argument of setxattrat, getxattrat. */
struct xattr_args {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

static char bindir[PATH_MAX + 16];
static char dir[64], sockpath[96], url[128];
static pid_t server_pid = -1;

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void
prog(char *buf, size_t len, const char *name)
{

	snprintf(buf, len, "%s/%s", bindir, name);
}

/* Is a server listening on sockpath?  (A bare connect, no handshake.) */
static int
listening(void)
{
	struct sockaddr_un sun;
	int fd, ok;

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, sockpath);
	ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return ok;
}

/* Start rump_server -s with extra arguments (NULL-terminated) and wait
 * until it listens. */
static pid_t
start_server_args(const char *const *extra)
{
	char path[PATH_MAX + 64];
	const char *argv[16];
	int i, n;
	pid_t pid;

	prog(path, sizeof(path), "rump_server");
	n = 0;
	argv[n++] = path;
	argv[n++] = "-s";
	for (i = 0; extra[i] != NULL; i++)
		argv[n++] = extra[i];
	argv[n++] = url;
	argv[n] = NULL;
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		execv(path, (char *const *)argv);
		_exit(127);
	}
	for (i = 0; i < 1000 && !listening(); i++) {
		ck_assert_msg(waitpid(pid, NULL, WNOHANG) == 0,
		    "rump_server exited at start");
		sleep_ms(10);
	}
	ck_assert_msg(listening(), "rump_server does not listen");
	return pid;
}

static void
start_vfs_server(void)
{
	/* -lrumpvfs brings its root file system, tmpfs, with it. */
	static const char *const vfs[] = { "-lrumpvfs", NULL };

	server_pid = start_server_args(vfs);
}

/* Wait for pid up to ms milliseconds; its status, or -1 (then killed). */
static int
wait_bounded(pid_t pid, int ms)
{
	int status, i;

	for (i = 0; i < ms / 10; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static void
setup(void)
{
	char self[PATH_MAX];
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ck_assert_int_gt(n, 0);
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(bindir, sizeof(bindir), "%s/../bin", self);
	strcpy(dir, "/tmp/t_client_e2e.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sockpath, sizeof(sockpath), "%s/sock", dir);
	snprintf(url, sizeof(url), "unix://%s", sockpath);
	setenv("RUMP_SERVER", url, 1);
	server_pid = -1;
}

static void
teardown(void)
{

	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		if (wait_bounded(server_pid, 10000) == -1)
			fprintf(stderr, "rump_server ignored SIGTERM\n");
	}
	unlink(sockpath);
	rmdir(dir);
}

/* Run a control tool; its exit status (-1: killed after 20 s). */
static int
run_tool(const char *name, ...)
{
	char path[PATH_MAX + 64];
	const char *argv[12];
	va_list ap;
	int n, status;
	pid_t pid;

	prog(path, sizeof(path), name);
	argv[0] = path;
	n = 1;
	va_start(ap, name);
	while ((argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		execv(path, (char *const *)argv);
		_exit(127);
	}
	status = wait_bounded(pid, 20000);
	return status == -1 || !WIFEXITED(status) ? -1 : WEXITSTATUS(status);
}

/*
 * 32 clients x 1,000 checked operations.
 */

#define NCLIENTS	32
#define NOPS		1000

/* One client: 250 rounds of open(O_CREAT), pwrite, pread + compare,
 * close, each checked: 1,000 operations.  Exit status 0, or the step
 * that failed (errno in the low bits is lost: the step says enough). */
static int
client_work(int id)
{
	char d[32], name[64], out[32], in[32];
	int fd, i;

	if (rumpclient_init() == -1)
		return 10;
	snprintf(d, sizeof(d), "/c%d", id);
	if (rump_sys_mkdir(d, 0755) == -1)
		return 11;
	for (i = 0; i < NOPS / 4; i++) {
		snprintf(name, sizeof(name), "%s/f%d", d, i % 16);
		snprintf(out, sizeof(out), "client %d op %d", id, i);
		fd = rump_sys_open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);
		if (fd == -1)
			return 12;
		if (rump_sys_pwrite(fd, out, sizeof(out), 0) != sizeof(out))
			return 13;
		memset(in, 0, sizeof(in));
		if (rump_sys_pread(fd, in, sizeof(in), 0) != sizeof(in) ||
		    memcmp(in, out, sizeof(out)) != 0)
			return 14;
		if (rump_sys_close(fd) == -1)
			return 15;
	}
	return 0;
}

START_TEST(thirty_two_clients_do_a_thousand_checked_operations_at_once)
{
	pid_t pids[NCLIENTS];
	struct stat st;
	int i, status, bad;

	start_vfs_server();
	for (i = 0; i < NCLIENTS; i++) {
		pids[i] = fork();
		ck_assert_int_ne(pids[i], -1);
		if (pids[i] == 0)
			_exit(client_work(i));
	}
	bad = 0;
	for (i = 0; i < NCLIENTS; i++) {
		status = wait_bounded(pids[i], 120000);
		if (status == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "client %d: status %#x\n", i, status);
			bad++;
		}
	}
	ck_assert_int_eq(bad, 0);
	/* Everything they made is there. */
	ck_assert_int_eq(rumpclient_init(), 0);
	for (i = 0; i < NCLIENTS; i++) {
		char name[32];

		snprintf(name, sizeof(name), "/c%d/f15", i);
		ck_assert_int_eq(rump_sys_stat(name, &st), 0);
		ck_assert_int_eq(st.st_size, 32);
	}
}
END_TEST

/*
 * A client killed in the middle of a call.
 */

START_TEST(a_client_killed_mid_call_leaves_and_the_server_goes_on)
{
	struct pollfd pfd;
	char c;
	int fds[2];
	pid_t child;

	start_vfs_server();
	ck_assert_int_eq(rumpclient_init(), 0);
	ck_assert_int_eq(rump_sys_pipe(fds), 0);
	child = fork();
	ck_assert_int_ne(child, -1);
	if (child == 0) {
		/* Blocks in the kernel for good: its own write end stays. */
		rump_sys_read(fds[0], &c, 1);
		_exit(1);
	}
	ck_assert_int_eq(rump_sys_close(fds[1]), 0);
	sleep_ms(200);		/* the child is inside its read */
	ck_assert_int_eq(waitpid(child, NULL, WNOHANG), 0);
	ck_assert_int_eq(kill(child, SIGKILL), 0);
	ck_assert_int_eq(waitpid(child, NULL, 0), child);

	/* Its kernel process exits: the last write end closes. */
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	pfd.revents = 0;
	ck_assert_int_eq(rump_sys_poll(&pfd, 1, 10000), 1);
	ck_assert(pfd.revents & (POLLIN | POLLHUP));
	ck_assert_int_eq(rump_sys_read(fds[0], &c, 1), 0);
	/* The server goes on, for us and for newcomers. */
	ck_assert_int_gt(rump_sys_getpid(), 1);
	ck_assert_int_eq(run_tool("rump.sysctl", "kern.hostname", NULL), 0);
}
END_TEST

/*
 * Halting with clients connected.
 */

START_TEST(rump_halt_with_clients_connected_ends_their_calls)
{
	int fds[2], status;
	pid_t blocked;
	char c;

	start_vfs_server();
	ck_assert_int_eq(rumpclient_init(), 0);
	ck_assert_int_eq(rump_sys_pipe(fds), 0);
	blocked = fork();
	ck_assert_int_ne(blocked, -1);
	if (blocked == 0) {
		/* Blocked in the kernel when the halt comes. */
		if (rump_sys_read(fds[0], &c, 1) == -1 &&
		    (errno == ENOTCONN || errno == EINTR))
			_exit(0);
		_exit(1);
	}
	sleep_ms(200);
	ck_assert_int_eq(run_tool("rump.halt", NULL), 0);
	/* The server exits 0, the blocked client's call ends. */
	status = wait_bounded(server_pid, 20000);
	server_pid = -1;
	ck_assert_msg(status != -1, "rump_server did not exit after halt");
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	status = wait_bounded(blocked, 20000);
	ck_assert_msg(status != -1, "a blocked client hangs after halt");
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the blocked call did not end with ENOTCONN or EINTR");
	/* The idle client: ENOTCONN. */
	errno = 0;
	ck_assert_int_eq(rump_sys_getpid(), -1);
	ck_assert_int_eq(errno, ENOTCONN);
	ck_assert_int_eq(access(sockpath, F_OK), -1);	/* removed */
}
END_TEST

/*
 * The socket.
 */

START_TEST(the_socket_is_0600_and_a_busy_path_is_refused)
{
	static const char *const none[] = { NULL };
	struct stat st;
	pid_t second;
	int status;

	server_pid = start_server_args(none);
	ck_assert_int_eq(stat(sockpath, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0600);

	/* A second server on the same path: exit 1, the first goes on. */
	second = fork();
	ck_assert_int_ne(second, -1);
	if (second == 0) {
		char path[PATH_MAX + 64];
		int fd;

		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 2);
		prog(path, sizeof(path), "rump_server");
		execl(path, "rump_server", "-s", url, (char *)NULL);
		_exit(127);
	}
	status = wait_bounded(second, 20000);
	ck_assert(status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 1);
	ck_assert_int_eq(rumpclient_init(), 0);
	ck_assert_int_gt(rump_sys_getpid(), 0);
}
END_TEST

START_TEST(without_s_the_server_detaches_once_it_serves)
{
	char path[PATH_MAX + 64];
	int status;
	pid_t pid;

	/* A stale socket file, no server on it: replaced. */
	{
		struct sockaddr_un sun;
		int fd;

		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		strcpy(sun.sun_path, sockpath);
		ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun,
		    sizeof(sun)), 0);
		close(fd);
	}
	prog(path, sizeof(path), "rump_server");
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		execl(path, "rump_server", url, (char *)NULL);
		_exit(127);
	}
	status = wait_bounded(pid, 20000);
	ck_assert(status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0);
	/* It serves as soon as the parent has exited. */
	ck_assert_int_eq(rumpclient_init(), 0);
	ck_assert_int_gt(rump_sys_getpid(), 0);
	rumpclient_fini();
	ck_assert_int_eq(run_tool("rump.halt", NULL), 0);
	ck_assert_int_eq(access(sockpath, F_OK), -1);
}
END_TEST

/*
 * fork, bad pointers, the tools.
 */

START_TEST(a_fork_child_is_the_kernel_child_with_the_descriptors)
{
	char buf[8];
	int fd, status;
	pid_t parent, child;

	start_vfs_server();
	ck_assert_int_eq(rumpclient_init(), 0);
	parent = rump_sys_getpid();
	fd = rump_sys_open("/f", O_CREAT | O_RDWR, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_write(fd, "forked", 6), 6);
	child = fork();
	ck_assert_int_ne(child, -1);
	if (child == 0) {
		if (rump_sys_getppid() != parent || rump_sys_getpid() == parent)
			_exit(1);
		if (rump_sys_pread(fd, buf, 6, 0) != 6 ||
		    memcmp(buf, "forked", 6) != 0)
			_exit(2);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "child status %#x", status);
	child = rumpclient_fork();
	ck_assert_int_ne(child, -1);
	if (child == 0)
		_exit(rump_sys_getppid() == parent ? 0 : 1);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(rump_sys_getpid(), parent);
}
END_TEST

START_TEST(bad_pointers_are_EFAULT_not_a_crash)
{
	int fd;

	start_vfs_server();
	ck_assert_int_eq(rumpclient_init(), 0);
	errno = 0;
	ck_assert_int_eq(rump_sys_open((const char *)8, O_RDONLY), -1);
	ck_assert_int_eq(errno, EFAULT);
	fd = rump_sys_open("/g", O_CREAT | O_RDWR, 0644);
	ck_assert_int_ge(fd, 0);
	errno = 0;
	ck_assert_int_eq(rump_sys_write(fd, (const void *)8, 10), -1);
	ck_assert_int_eq(errno, EFAULT);
	ck_assert_int_eq(rump_sys_write(fd, "0123456789", 10), 10);
	errno = 0;
	ck_assert_int_eq(rump_sys_pread(fd, (void *)8, 10, 0), -1);
	ck_assert_int_eq(errno, EFAULT);
	ck_assert_int_eq(rump_sys_close(fd), 0);
}
END_TEST

/* The kernel copies names, values and listings from and to the client,
 * and for the *at calls the value a struct xattr_args points at. */
START_TEST(xattr_values_and_names_travel_both_ways)
{
	struct xattr_args args;
	char buf[32];
	int fd;

	start_vfs_server();
	ck_assert_int_eq(rumpclient_init(), 0);
	fd = rump_sys_open("/x", O_CREAT | O_RDWR, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_setxattr("/x", "user.a", "hello", 5,
	    XATTR_CREATE), 0);
	ck_assert_int_eq(rump_sys_getxattr("/x", "user.a", buf, sizeof(buf)),
	    5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
	args.value = (uintptr_t)"remote";
	args.size = 6;
	args.flags = 0;
	ck_assert_int_eq(rump_sys_setxattrat(fd, "", AT_EMPTY_PATH, "user.b",
	    &args, sizeof(args)), 0);
	memset(buf, 0, sizeof(buf));
	args.value = (uintptr_t)buf;
	args.size = sizeof(buf);
	ck_assert_int_eq(rump_sys_getxattrat(AT_FDCWD, "/x", 0, "user.b",
	    &args, sizeof(args)), 6);
	ck_assert_str_eq(buf, "remote");
	ck_assert_int_eq(rump_sys_flistxattr(fd, buf, sizeof(buf)), 14);
	ck_assert_str_eq(buf, "user.a");
	ck_assert_str_eq(buf + 7, "user.b");
	ck_assert_int_eq(rump_sys_fremovexattr(fd, "user.a"), 0);
	errno = 0;
	ck_assert_int_eq(rump_sys_getxattr("/x", "user.a", NULL, 0), -1);
	ck_assert_int_eq(errno, ENODATA);
	errno = 0;
	ck_assert_int_eq(rump_sys_setxattr("/x", "user.c", (const void *)8, 4,
	    0), -1);
	ck_assert_int_eq(errno, EFAULT);
	ck_assert_int_eq(rump_sys_close(fd), 0);
}
END_TEST

START_TEST(the_tools_mount_unmount_and_set_the_hostname)
{
	struct utsname u;
	struct stat st;

	start_vfs_server();
	ck_assert_int_eq(rumpclient_init(), 0);
	ck_assert_int_eq(rump_sys_mkdir("/mnt", 0755), 0);
	ck_assert_int_eq(run_tool("rump.mount", "-t", "tmpfs", "tmpfs", "/mnt",
	    NULL), 0);
	ck_assert_int_eq(rump_sys_mkdir("/mnt/d", 0755), 0);
	ck_assert_int_eq(run_tool("rump.umount", "/mnt", NULL), 0);
	ck_assert_int_eq(rump_sys_stat("/mnt/d", &st), -1);	/* gone */
	ck_assert_int_eq(run_tool("rump.mount", "-t", "nosuchfs", "x", "/mnt",
	    NULL), 1);
	/* -m makes a missing mount point, as mount --mkdir. */
	ck_assert_int_eq(run_tool("rump.mount", "-t", "tmpfs", "tmpfs", "/new",
	    NULL), 1);
	ck_assert_int_eq(run_tool("rump.mount", "-m", "-t", "tmpfs", "tmpfs",
	    "/new", NULL), 0);
	ck_assert_int_eq(rump_sys_mkdir("/new/d", 0755), 0);
	ck_assert_int_eq(run_tool("rump.umount", "/new", NULL), 0);
	ck_assert_int_eq(rump_sys_stat("/new/d", &st), -1);
	ck_assert_int_eq(run_tool("rump.umount", "/mnt", NULL), 1);
	ck_assert_int_eq(run_tool("rump.sysctl", "-w",
	    "kern.hostname=remote", NULL), 0);
	ck_assert_int_eq(rump_sys_uname(&u), 0);
	ck_assert_str_eq(u.nodename, "remote");
	ck_assert_int_eq(run_tool("rump.sysctl", "kern.nosuch", NULL), 1);
	ck_assert_int_eq(run_tool("rump.sysctl", "-w", "kern.ostype=x",
	    NULL), 1);
}
END_TEST

START_TEST(halt_h_leaves_no_kernel_and_the_server_exits)
{
	static const char *const none[] = { NULL };
	int status;

	server_pid = start_server_args(none);
	ck_assert_int_eq(run_tool("rump.halt", "-h", NULL), 0);
	status = wait_bounded(server_pid, 20000);
	server_pid = -1;
	ck_assert_msg(status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "server status %#x", status);
	ck_assert_int_eq(access(sockpath, F_OK), -1);
	ck_assert_int_eq(run_tool("rump.halt", NULL), 1);	/* nobody */
}
END_TEST

/* -d: a host file inside the kernel, read and written by a client. */
START_TEST(a_drivespec_shows_a_host_file_to_clients)
{
	char hostfile[128], spec[256], buf[16];
	const char *args[] = { "-lrumpvfs", "-lrumpfs_tmpfs", "-d", spec,
	    NULL };
	int fd, hfd;

	snprintf(hostfile, sizeof(hostfile), "%s/host.img", dir);
	hfd = open(hostfile, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(hfd, 0);
	ck_assert_int_eq(write(hfd, "0123456789abcdef", 16), 16);
	snprintf(spec, sizeof(spec), "key=/img,hostpath=%s,size=8,offset=4,"
	    "type=reg", hostfile);
	server_pid = start_server_args(args);
	ck_assert_int_eq(rumpclient_init(), 0);
	fd = rump_sys_open("/img", O_RDWR);
	ck_assert_int_ge(fd, 0);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 8);
	ck_assert_str_eq(buf, "456789ab");
	ck_assert_int_eq(rump_sys_pwrite(fd, "XY", 2, 0), 2);
	ck_assert_int_eq(rump_sys_fsync(fd), 0);
	ck_assert_int_eq(pread(hfd, buf, 2, 4), 2);
	ck_assert_int_eq(memcmp(buf, "XY", 2), 0);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	close(hfd);
	rumpclient_fini();
	kill(server_pid, SIGTERM);
	ck_assert_int_ne(wait_bounded(server_pid, 20000), -1);
	server_pid = -1;
	unlink(hostfile);
}
END_TEST

/* tcp://ADDR:PORT, IPv4 and IPv6 (when the host has ::1). */
START_TEST(tcp_urls_serve_too)
{
	static const char *const fmts[] = { "tcp://127.0.0.1:%d",
	    "tcp://[::1]:%d" };
	char path[PATH_MAX + 64], tcpurl[64];
	int attempt, i, port, tries;
	pid_t pid;

	if (_i == 1) {
		int fd = socket(AF_INET6, SOCK_STREAM, 0);

		if (fd == -1)
			return;		/* no IPv6 here */
		close(fd);
	}
	prog(path, sizeof(path), "rump_server");
	/* A port someone else holds makes the server exit: try another. */
	for (attempt = 0; attempt < 5; attempt++) {
		port = 20000 + (int)((getpid() * 7 + attempt * 997 + _i) %
		    20000);
		snprintf(tcpurl, sizeof(tcpurl), fmts[_i], port);
		pid = fork();
		ck_assert_int_ne(pid, -1);
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 2);
			execl(path, "rump_server", "-s", tcpurl, (char *)NULL);
			_exit(127);
		}
		server_pid = pid;
		setenv("RUMP_SERVER", tcpurl, 1);
		for (tries = 0; tries < 500; tries++) {
			if (rumpclient_init() == 0)
				break;
			if (waitpid(pid, NULL, WNOHANG) == pid) {
				server_pid = -1;
				break;
			}
			sleep_ms(10);
		}
		if (server_pid != -1)
			break;
	}
	ck_assert_msg(server_pid != -1 && tries < 500, "%s: %s", tcpurl,
	    strerror(errno));
	for (i = 0; i < 100; i++)
		ck_assert_int_gt(rump_sys_getpid(), 1);
}
END_TEST

/* The image after rumpclient_exec: the same kernel process, its
 * descriptor still open.  argv: --exec-child PID FD. */
static int
exec_child(char **argv)
{
	struct stat st;

	if (rumpclient_init() == -1)
		return 10;
	if (getenv("RUMPCLIENT__EXECFD") != NULL)
		return 11;
	if (rump_sys_getpid() != atoi(argv[2]))
		return 12;
	if (rump_sys_fstat(atoi(argv[3]), &st) == -1 || st.st_size != 4)
		return 13;
	return 0;
}

START_TEST(rumpclient_exec_keeps_the_kernel_process)
{
	extern char **environ;
	char self[PATH_MAX], pidbuf[16], fdbuf[16];
	char *argv[5];
	int fd, status;
	ssize_t n;
	pid_t child;

	start_vfs_server();
	ck_assert_int_eq(rumpclient_init(), 0);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ck_assert_int_gt(n, 0);
	self[n] = '\0';
	child = fork();
	ck_assert_int_ne(child, -1);
	if (child == 0) {
		fd = rump_sys_open("/e", O_CREAT | O_RDWR, 0644);
		if (fd == -1 || rump_sys_write(fd, "exec", 4) != 4)
			_exit(20);
		snprintf(pidbuf, sizeof(pidbuf), "%d", rump_sys_getpid());
		snprintf(fdbuf, sizeof(fdbuf), "%d", fd);
		argv[0] = self;
		argv[1] = (char *)"--exec-child";
		argv[2] = pidbuf;
		argv[3] = fdbuf;
		argv[4] = NULL;
		rumpclient_exec(self, argv, environ);
		_exit(21);
	}
	status = wait_bounded(child, 20000);
	ck_assert_msg(status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "exec child: status %#x", status);
}
END_TEST

static Suite *
e2e_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("client_e2e");
	tc = tcase_create("e2e");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc,
	    thirty_two_clients_do_a_thousand_checked_operations_at_once);
	tcase_add_test(tc,
	    a_client_killed_mid_call_leaves_and_the_server_goes_on);
	tcase_add_test(tc, rump_halt_with_clients_connected_ends_their_calls);
	tcase_add_test(tc, the_socket_is_0600_and_a_busy_path_is_refused);
	tcase_add_test(tc, without_s_the_server_detaches_once_it_serves);
	tcase_add_test(tc,
	    a_fork_child_is_the_kernel_child_with_the_descriptors);
	tcase_add_test(tc, bad_pointers_are_EFAULT_not_a_crash);
	tcase_add_test(tc, xattr_values_and_names_travel_both_ways);
	tcase_add_test(tc, the_tools_mount_unmount_and_set_the_hostname);
	tcase_add_test(tc, rumpclient_exec_keeps_the_kernel_process);
	tcase_add_loop_test(tc, tcp_urls_serve_too, 0, 2);
	tcase_add_test(tc, halt_h_leaves_no_kernel_and_the_server_exits);
	tcase_add_test(tc, a_drivespec_shows_a_host_file_to_clients);
	suite_add_tcase(s, tc);
	return s;
}

int
main(int argc, char **argv)
{
	SRunner *sr;
	int nfailed;

	if (argc == 4 && strcmp(argv[1], "--exec-child") == 0)
		return exec_child(argv);
	sr = srunner_create(e2e_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
