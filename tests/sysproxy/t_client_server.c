/*
 * t_client_server.c: rump_server's command line.  The parser
 * (cmd/rump_server/rump_server_args.c) is linked in and tested directly;
 * then the built program ($BUILD/bin/rump_server, beside this test's
 * directory) is run with lines that must fail before anything is served:
 * one clear message on stderr, exit status 1, no socket file left, and
 * without -s the waiting parent says nothing more.
 */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rump_server.h"

static char img[64];
static char dir[64];

static void
setup(void)
{
	int fd;

	strcpy(dir, "/tmp/t_client_server.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(img, sizeof(img), "%s/disk.img", dir);
	fd = open(img, O_RDWR | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
	close(fd);
}

static void
teardown(void)
{
	char sock[96];

	unlink(img);
	snprintf(sock, sizeof(sock), "%s/sock", dir);
	unlink(sock);
	rmdir(dir);
}

/* Parse a NULL-terminated command line. */
static int
parse(struct server_args *sa, char *msg, size_t len, ...)
{
	char *argv[32];
	va_list ap;
	int argc;

	argv[0] = (char *)"rump_server";
	argc = 1;
	va_start(ap, len);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	return server_parse_args(argc, argv, sa, msg, len);
}

START_TEST(a_full_command_line_parses)
{
	struct server_args sa;
	char msg[256], d[128];

	snprintf(d, sizeof(d), "key=/dev/xbd0,hostpath=%s,size=host", img);
	ck_assert_int_eq(parse(&sa, msg, sizeof(msg), "-s", "-c", "2", "-r",
	    "64m", "-lrumpvfs", "-l", "rumpfs_tmpfs", "-d", d,
	    "unix:///tmp/rk.sock", NULL), 0);
	ck_assert(sa.foreground);
	ck_assert_str_eq(sa.ncpu, "2");
	ck_assert_str_eq(sa.memlimit, "64m");
	ck_assert_int_eq(sa.nlibs, 2);
	ck_assert_str_eq(sa.libs[0], "rumpvfs");
	ck_assert_str_eq(sa.libs[1], "rumpfs_tmpfs");
	ck_assert_int_eq(sa.ndrives, 1);
	ck_assert_str_eq(sa.drives[0].key, "/dev/xbd0");
	ck_assert_str_eq(sa.drives[0].hostpath, img);
	ck_assert(sa.drives[0].size == RUMP_ETFS_SIZE_ENDOFF);
	ck_assert(sa.drives[0].type == RUMP_ETFS_BLK);
	ck_assert_str_eq(sa.url, "unix:///tmp/rk.sock");
}
END_TEST

START_TEST(drivespecs_take_size_offset_and_type)
{
	struct server_args sa;
	char msg[256], d[160];

	snprintf(d, sizeof(d), "key=/img,hostpath=%s,size=512k,offset=4096,"
	    "type=reg", img);
	ck_assert_int_eq(parse(&sa, msg, sizeof(msg), "-d", d,
	    "tcp://127.0.0.1:1234", NULL), 0);
	ck_assert(!sa.foreground);
	ck_assert(sa.drives[0].size == 512 * 1024);
	ck_assert(sa.drives[0].offset == 4096);
	ck_assert(sa.drives[0].type == RUMP_ETFS_REG);
	snprintf(d, sizeof(d), "key=/dev/c,hostpath=%s,size=100,type=chr",
	    img);
	ck_assert_int_eq(parse(&sa, msg, sizeof(msg), "-d", d,
	    "tcp://[::1]:1", NULL), 0);
	ck_assert(sa.drives[0].type == RUMP_ETFS_CHR);
}
END_TEST

/* Each bad line, the kind of error, and a word its message must have. */
START_TEST(bad_lines_are_refused_with_a_message)
{
	static const struct {
		const char *args[6];
		int kind;
		const char *word;
	} cases[] = {
		{ { NULL }, SERVER_USAGE, "no URL" },
		{ { "unix:///a", "unix:///b", NULL }, SERVER_USAGE, "one URL" },
		{ { "-x", "unix:///a", NULL }, SERVER_USAGE, "unknown option" },
		{ { "unix:///a", "-c", NULL }, SERVER_USAGE, "needs an argument" },
		{ { "-c", NULL }, SERVER_USAGE, "needs an argument" },
		{ { "-c", "0", "unix:///a", NULL }, SERVER_BADVALUE, "1 to 256" },
		{ { "-c", "x", "unix:///a", NULL }, SERVER_BADVALUE, "1 to 256" },
		{ { "-r", "12q", "unix:///a", NULL }, SERVER_BADVALUE, "memory" },
		{ { "-m", "/nonexistent.so", "unix:///a", NULL },
		    SERVER_BADVALUE, "No such file" },
		{ { "-d", "key=/dev/x,hostpath=/nonexistent.img,size=host",
		    "unix:///a", NULL }, SERVER_BADVALUE, "No such file" },
		{ { "-d", "hostpath=/etc/passwd,size=host", "unix:///a",
		    NULL }, SERVER_BADVALUE, "needs key" },
		{ { "-d", "key=/x,hostpath=/etc/passwd", "unix:///a", NULL },
		    SERVER_BADVALUE, "needs size" },
		{ { "-d", "key=/x,hostpath=/etc/passwd,size=host,disklabel=a",
		    "unix:///a", NULL }, SERVER_BADVALUE, "disklabel" },
		{ { "-d", "key=/x,hostpath=/etc/passwd,size=host,type=fifo",
		    "unix:///a", NULL }, SERVER_BADVALUE, "blk, chr or reg" },
		{ { "-d", "key=/x,hostpath=/etc/passwd,size=host,colour=red",
		    "unix:///a", NULL }, SERVER_BADVALUE, "unknown" },
		{ { "-d", "key=/x,hostpath=/etc,size=host", "unix:///a", NULL },
		    SERVER_BADVALUE, "directory" },
		{ { "http://x", NULL }, SERVER_BADVALUE, "not a URL" },
		{ { "unix://", NULL }, SERVER_BADVALUE, "no socket path" },
		{ { "tcp://127.0.0.1", NULL }, SERVER_BADVALUE, "ADDR:PORT" },
	};
	struct server_args sa;
	char *argv[8], msg[256];
	size_t i;
	int argc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		argv[0] = (char *)"rump_server";
		for (argc = 1; cases[i].args[argc - 1] != NULL; argc++)
			argv[argc] = (char *)cases[i].args[argc - 1];
		argv[argc] = NULL;
		ck_assert_msg(server_parse_args(argc, argv, &sa, msg,
		    sizeof(msg)) == cases[i].kind, "case %zu: not refused "
		    "as it should be (%s)", i, msg);
		ck_assert_msg(strstr(msg, cases[i].word) != NULL,
		    "case %zu: message '%s' lacks '%s'", i, msg,
		    cases[i].word);
	}
}
END_TEST

START_TEST(l_names_a_library_file)
{
	char buf[64];

	server_libfile("rumpvfs", buf, sizeof(buf));
	ck_assert_str_eq(buf, "librumpvfs.so");
	server_libfile("librumpvfs.so", buf, sizeof(buf));
	ck_assert_str_eq(buf, "librumpvfs.so");
	server_libfile("./x/librumpfoo", buf, sizeof(buf));
	ck_assert_str_eq(buf, "./x/librumpfoo");
}
END_TEST

/*
 * The program.
 */

static void
server_path(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n;
	char *slash;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ck_assert_int_gt(n, 0);
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	snprintf(buf, len, "%s/../bin/rump_server", self);
}

/* Run rump_server with args; its stderr in err; returns the status. */
static int
run_server(char *err, size_t errlen, const char *const *args)
{
	char path[PATH_MAX + 32];
	const char *argv[16];
	int pfd[2], status, i;
	ssize_t n;
	size_t have;
	pid_t pid;

	server_path(path, sizeof(path));
	argv[0] = path;
	for (i = 0; args[i] != NULL; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		dup2(pfd[1], 2);
		close(pfd[0]);
		execv(path, (char *const *)argv);
		_exit(127);
	}
	close(pfd[1]);
	have = 0;
	while (have < errlen - 1 &&
	    (n = read(pfd[0], err + have, errlen - 1 - have)) > 0)
		have += (size_t)n;
	err[have] = '\0';
	close(pfd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int
count_lines(const char *s)
{
	int n;

	for (n = 0; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return n;
}

START_TEST(errors_are_reported_before_detaching)
{
	char err[2048], url[128], sock[96], d[160];
	struct stat st;
	int fg;

	snprintf(sock, sizeof(sock), "%s/sock", dir);
	snprintf(url, sizeof(url), "unix://%s", sock);
	snprintf(d, sizeof(d), "key=/dev/xbd0,hostpath=%s/nothere.img,"
	    "size=host", dir);
	for (fg = 0; fg < 2; fg++) {
		const char *nolib[] = { "-lrumpvfs", "-lrumpnosuchthing",
		    url, NULL, NULL };
		const char *noimg[] = { "-lrumpvfs", "-lrumpfs_tmpfs", "-d",
		    d, url, NULL, NULL };
		const char *badmem[] = { "-r", "lots", url, NULL, NULL };

		if (fg) {
			nolib[3] = "-s";
			noimg[5] = "-s";
			badmem[3] = "-s";
		}
		ck_assert_int_eq(run_server(err, sizeof(err), nolib), 1);
		ck_assert_msg(strstr(err, "librumpnosuchthing.so") != NULL,
		    "%s", err);
		ck_assert_msg(count_lines(err) == 1, "not one line: %s", err);
		ck_assert_int_eq(run_server(err, sizeof(err), noimg), 1);
		ck_assert_msg(strstr(err, "nothere.img: No such file") !=
		    NULL, "%s", err);
		ck_assert_int_eq(run_server(err, sizeof(err), badmem), 1);
		ck_assert_msg(strstr(err, "-r lots") != NULL, "%s", err);
		ck_assert_int_eq(stat(sock, &st), -1);
	}
}
END_TEST

static Suite *
server_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("client_server");
	tc = tcase_create("args");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, a_full_command_line_parses);
	tcase_add_test(tc, drivespecs_take_size_offset_and_type);
	tcase_add_test(tc, bad_lines_are_refused_with_a_message);
	tcase_add_test(tc, l_names_a_library_file);
	tcase_add_test(tc, errors_are_reported_before_detaching);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nfailed;

	sr = srunner_create(server_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
