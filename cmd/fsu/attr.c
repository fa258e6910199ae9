/*
 * attr.c: the commands that change a file's attributes in the image,
 * chmod, chown, chgrp and touch, with coreutils' options, walks and
 * messages.
 *
 * chmod follows a symbolic link named on the command line and passes
 * over the links it meets under -R (a link has no mode of its own);
 * chown and chgrp follow a named link unless -h or -R, and under -R
 * change the links themselves (coreutils' -P, its default).  -f keeps
 * quiet about failures, which still make the exit status 1.
 */

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "fsu.h"

struct attrop {
	bool	recurse;	/* -R */
	bool	quiet;		/* -f */
	bool	follow_top;	/* change a named link's target */
	bool	skip_links;	/* pass over links (chmod) */
	void	(*apply)(const struct attrop *, const char *, const char *,
		    const struct stat *, bool);
	/* chmod */
	struct modechange *mc;
	mode_t	umask;
	bool	surprises;	/* MODE was an option: say if umask got in */
	/* chown, chgrp */
	uid_t	uid;
	gid_t	gid;
	const char *what;	/* "ownership" or "group" */
};

static void __attribute__((format(printf, 2, 3)))
attr_warn(const struct attrop *op, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (op->quiet)
		failed();
	else
		warnmsg("%s", buf);
}

static void attr_walk(const struct attrop *, const char *, const char *,
    bool);

/* Each entry of directory k (shown as disp), under -R. */
static void
attr_walk_dir(const struct attrop *op, const char *k, const char *disp)
{
	char **names, *kk, *d;
	size_t n, i;
	int error;

	if ((error = readdir_image(k, false, &names, &n)) != 0) {
		attr_warn(op, "cannot read directory '%s': %s", disp,
		    strerror(error));
		return;
	}
	for (i = 0; i < n; i++) {
		kk = pjoin(k, names[i]);
		d = pjoin(disp, names[i]);
		attr_walk(op, kk, d, false);
		free(kk);
		free(d);
	}
	freenames(names, n);
}

/* Apply op to kernel path k (shown as disp), an operand if top. */
static void
attr_walk(const struct attrop *op, const char *k, const char *disp,
    bool top)
{
	bool follow = top && op->follow_top;
	struct stat st;

	if (rump_sys_lstat(k, &st) == -1) {
		attr_warn(op, "cannot access '%s': %s", disp,
		    strerror(errno));
		return;
	}
	if (S_ISLNK(st.st_mode) && follow && rump_sys_stat(k, &st) == -1) {
		if (op->skip_links)
			attr_warn(op, "cannot operate on dangling symlink "
			    "'%s'", disp);
		else
			attr_warn(op, "cannot dereference '%s': %s", disp,
			    strerror(errno));
		return;
	}
	if (S_ISLNK(st.st_mode) && !follow && op->skip_links)
		return;
	op->apply(op, k, disp, &st, follow);
	if (op->recurse && S_ISDIR(st.st_mode))
		attr_walk_dir(op, k, disp);
}

/* ---- chmod ---- */

static void
chmod_apply(const struct attrop *op, const char *k, const char *disp,
    const struct stat *st, bool follow)
{
	bool dir = S_ISDIR(st->st_mode);
	mode_t m, naive;
	char ms[11], ns[11];

	(void)follow;
	m = mode_adjust(st->st_mode, dir, op->umask, op->mc);
	if (rump_sys_chmod(k, m) == -1) {
		attr_warn(op, "changing permissions of '%s': %s", disp,
		    strerror(errno));
		return;
	}
	naive = mode_adjust(st->st_mode, dir, 0, op->mc);
	if (op->surprises && (m & ~naive) != 0) {
		modestr(m, ms);
		modestr(naive, ns);
		attr_warn(op, "%s: new permissions are %s, not %s", disp,
		    ms + 1, ns + 1);
	}
}

/* An option-like operand ("-w", "-x,g+s") that is a MODE, like chmod. */
static bool
mode_option(const char *arg)
{
	return arg[0] == '-' && arg[1] != '\0' &&
	    strspn(arg + 1, "rwxXstugoa,+-=01234567") == strlen(arg + 1);
}

/*
 * chmod [-R] [-f] MODE PATH...; MODE as in chmod(1), the umask being
 * fsu's (the user's).  Options and a MODE starting with '-' may come in
 * any order before the paths.
 */
void
cmd_chmod(int argc, char **argv)
{
	struct attrop op = { .apply = chmod_apply, .follow_top = true,
	    .skip_links = true };
	const char *mode = NULL;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0';
	    i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else if (strspn(argv[i] + 1, "Rf") == strlen(argv[i] + 1)) {
			op.recurse |= strchr(argv[i], 'R') != NULL;
			op.quiet |= strchr(argv[i], 'f') != NULL;
		} else if (mode_option(argv[i]) && mode == NULL) {
			mode = argv[i];
			op.surprises = true;
		} else
			usage();
	}
	if (mode == NULL && i < argc)
		mode = argv[i++];
	if (mode == NULL || i == argc)
		usage();
	if (mode_compile(mode, &op.mc) != 0) {
		warnmsg("invalid mode: '%s'", mode);
		return;
	}
	op.umask = umask(0);
	umask(op.umask);
	for (; i < argc; i++) {
		char *k = ipath(argv[i]);

		attr_walk(&op, k, argv[i], true);
		free(k);
	}
	free(op.mc);
}

/* ---- chown, chgrp ---- */

static void
chown_apply(const struct attrop *op, const char *k, const char *disp,
    const struct stat *st, bool follow)
{
	int r;

	(void)st;
	if (follow)
		r = rump_sys_chown(k, op->uid, op->gid);
	else
		r = rump_sys_lchown(k, op->uid, op->gid);
	if (r == -1)
		attr_warn(op, "changing %s of '%s': %s", op->what, disp,
		    strerror(errno));
}

/* [-R] [-h] [-f]: the options; the index of the first operand. */
static int
chown_options(int argc, char **argv, struct attrop *op)
{
	bool h = false;
	int c;

	optind = 1;
	while ((c = getopt(argc, argv, "+Rhf")) != -1) {
		switch (c) {
		case 'R': op->recurse = true; break;
		case 'h': h = true; break;
		case 'f': op->quiet = true; break;
		default: usage();
		}
	}
	op->follow_top = !h && !op->recurse;
	op->apply = chown_apply;
	if (argc - optind < 2)
		usage();
	return optind;
}

static void
chown_operands(const struct attrop *op, int argc, char **argv, int i)
{
	for (; i < argc; i++) {
		char *k = ipath(argv[i]);

		attr_walk(op, k, argv[i], true);
		free(k);
	}
}

/* chown [-R] [-h] [-f] OWNER[:GROUP] PATH...; names as in userspec.c. */
void
cmd_chown(int argc, char **argv)
{
	struct attrop op = { .what = "ownership" };
	const char *why;
	int i;

	i = chown_options(argc, argv, &op);
	if (userspec_parse(argv[i], &op.uid, &op.gid, &why) != 0) {
		warnmsg("%s: '%s'", why, argv[i]);
		return;
	}
	chown_operands(&op, argc, argv, i + 1);
}

/* chgrp [-R] [-h] [-f] GROUP PATH... */
void
cmd_chgrp(int argc, char **argv)
{
	struct attrop op = { .what = "group", .uid = ID_NONE };
	int i;

	i = chown_options(argc, argv, &op);
	if (groupspec_parse(argv[i], &op.gid) != 0) {
		endgrent();
		warnmsg("invalid group: '%s'", argv[i]);
		return;
	}
	endgrent();
	chown_operands(&op, argc, argv, i + 1);
}

/* ---- touch ---- */

/* Fractional seconds ".ddddddddd" at s into *nsp; the rest of s. */
static const char *
parse_frac(const char *s, long *nsp)
{
	long ns = 0, scale = 100000000;

	*nsp = 0;
	if (*s != '.' && *s != ',')
		return s;
	for (s++; *s >= '0' && *s <= '9'; s++) {
		ns += (*s - '0') * scale;
		scale /= 10;
	}
	*nsp = ns;
	return s;
}

/*
 * touch -d DATE: "@SECONDS[.FRAC]", or "YYYY-MM-DD[( |T)HH:MM[:SS[.FRAC]]]"
 * in local time (a part of what GNU touch reads).
 */
static int
parse_date(const char *s, struct timespec *ts)
{
	struct tm tm;
	const char *p;
	char *end;

	memset(&tm, 0, sizeof(tm));
	if (*s == '@') {
		errno = 0;
		ts->tv_sec = strtoll(s + 1, &end, 10);
		if (end == s + 1 || errno != 0)
			return EINVAL;
		p = parse_frac(end, &ts->tv_nsec);
		return *p == '\0' ? 0 : EINVAL;
	}
	if ((p = strptime(s, "%Y-%m-%d", &tm)) == NULL)
		return EINVAL;
	if (*p == ' ' || *p == 'T') {
		if ((end = strptime(p + 1, "%H:%M", &tm)) == NULL)
			return EINVAL;
		p = end;
		if (*p == ':' && (p = strptime(p + 1, "%S", &tm)) == NULL)
			return EINVAL;
	}
	p = parse_frac(p, &ts->tv_nsec);
	tm.tm_isdst = -1;
	if (*p != '\0' || (ts->tv_sec = mktime(&tm)) == (time_t)-1)
		return EINVAL;
	return 0;
}

/* touch -t [[CC]YY]MMDDhhmm[.ss], in local time. */
static int
parse_stamp(const char *s, struct timespec *ts)
{
	static const char *const fmts[] = { "%Y%m%d%H%M", "%y%m%d%H%M",
	    "%m%d%H%M" };
	size_t len = strcspn(s, "."), f;
	time_t now = time(NULL);
	struct tm tm;
	const char *p;

	f = len == 12 ? 0 : len == 10 ? 1 : len == 8 ? 2 : 3;
	if (f == 3 || strspn(s, "0123456789") != len)
		return EINVAL;
	localtime_r(&now, &tm);
	if ((p = strptime(s, fmts[f], &tm)) == NULL)
		return EINVAL;
	tm.tm_sec = 0;
	if (*p == '.' && ((p = strptime(p + 1, "%S", &tm)) == NULL ||
	    p - s != (ptrdiff_t)len + 3))
		return EINVAL;
	tm.tm_isdst = -1;
	if (*p != '\0' || (ts->tv_sec = mktime(&tm)) == (time_t)-1)
		return EINVAL;
	ts->tv_nsec = 0;
	return 0;
}

struct touchopt {
	bool	nocreate;	/* -c */
	bool	nofollow;	/* -h */
	struct timespec ts[2];	/* access, modification */
};

/* touch [-acmh] [-d DATE | -t STAMP | -r IMAGEFILE]: the options. */
static int
touch_options(int argc, char **argv, struct touchopt *o)
{
	bool a = false, m = false, set = false;
	struct stat st;
	char *k;
	int c;

	optind = 1;
	while ((c = getopt(argc, argv, "+acmhd:t:r:")) != -1) {
		switch (c) {
		case 'a': a = true; break;
		case 'm': m = true; break;
		case 'c': o->nocreate = true; break;
		case 'h': o->nofollow = o->nocreate = true; break;
		case 'd':
			set = true;
			if (parse_date(optarg, &o->ts[0]) != 0) {
				warnmsg("invalid date format '%s'", optarg);
				return -1;
			}
			break;
		case 't':
			set = true;
			if (parse_stamp(optarg, &o->ts[0]) != 0) {
				warnmsg("invalid date format '%s'", optarg);
				return -1;
			}
			break;
		case 'r':
			set = true;
			k = ipath(optarg);
			c = rump_sys_stat(k, &st);
			free(k);
			if (c == -1) {
				warnmsg("failed to get attributes of '%s': %s",
				    optarg, strerror(errno));
				return -1;
			}
			o->ts[0] = st.st_atim;
			o->ts[1] = st.st_mtim;
			break;
		default:
			usage();
		}
	}
	if (!set)
		o->ts[0].tv_nsec = o->ts[1].tv_nsec = UTIME_NOW;
	else if (o->ts[1].tv_nsec == UTIME_OMIT)
		o->ts[1] = o->ts[0];
	if (a && !m)
		o->ts[1].tv_nsec = UTIME_OMIT;
	if (m && !a)
		o->ts[0].tv_nsec = UTIME_OMIT;
	if (optind == argc)
		usage();
	return optind;
}

/* touch [-acmh] [-d DATE | -t STAMP | -r IMAGEFILE] PATH... */
void
cmd_touch(int argc, char **argv)
{
	struct touchopt o = { .ts = { { 0, 0 }, { 0, UTIME_OMIT } } };
	int i, fd;

	if ((i = touch_options(argc, argv, &o)) < 0)
		return;
	for (; i < argc; i++) {
		char *k = ipath(argv[i]);

		if (!o.nocreate && (fd = rump_sys_open(k, O_WRONLY | O_CREAT |
		    O_NONBLOCK | O_NOCTTY, 0666)) >= 0)
			rump_sys_close(fd);
		if (rump_sys_utimensat(AT_FDCWD, k, o.ts, o.nofollow ?
		    AT_SYMLINK_NOFOLLOW : 0) == -1 &&
		    !(o.nocreate && errno == ENOENT))
			warnmsg("cannot touch '%s': %s", argv[i],
			    strerror(errno));
		free(k);
	}
}
