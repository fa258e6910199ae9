/*
 * fsu: work on a file system image without the host kernel and without
 * root, in the tradition of NetBSD's fs-utils, e2tools and mtools.
 *
 *	fsu [-o OFFSET] IMAGE COMMAND [ARGS]
 *
 * Boots a rump kernel in this process, shows IMAGE to it as the block
 * device /dev/xbd0 (etfs), mounts it on /mnt (read-only for the commands
 * that only read), runs one command on paths inside the image, unmounts
 * (so the image is clean for e2fsck) and halts the kernel.  The file
 * system type is found from the image's superblock; only ext2/3/4 for
 * now.  Paths inside the image are absolute from its root whether or not
 * they start with '/'.  -o OFFSET uses the part of IMAGE from byte
 * OFFSET on (a partition).
 *
 * Errors are printed like coreutils' ("fsu: cannot stat 'x': No such
 * file or directory"); the exit status is 1 when anything failed, 2 for
 * a usage error.
 *
 * Single-threaded: no locking.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/reboot.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>

#include "fsu.h"

static void unmount_image(void);
#define DEV		"/dev/xbd0"
#define COPYBUF		(1024 * 1024)
#define EFTYPE_NONE	(-1)	/* probe_image: not an ext2 image */

static const char *progname = "fsu";
static const char *mounted_image;	/* the image, while mounted */
static int status;		/* exit status: 1 once anything failed */
static char *copybuf;

/* Progress of put and get, shown on standard error when a terminal. */
static bool progress_on;	/* stderr is a terminal */
static bool progress_shown;	/* a progress line is on the screen */
static unsigned long long progress_bytes, progress_files;
static double progress_last;

/* The Linux getdents64 record. */
struct fsu_dirent {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

/* The exit status is 1: a failure that -f keeps quiet about. */
void
failed(void)
{
	status = 1;
}

/* A message on standard error, "fsu: " first; the exit status is 1. */
void
warnmsg(const char *fmt, ...)
{
	va_list ap;

	if (progress_shown) {
		fputc('\n', stderr);
		progress_shown = false;
	}
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	status = 1;
}

void
usage(void)
{
	fprintf(stderr,
	    "usage: fsu [-o OFFSET] IMAGE COMMAND [ARGS]\n"
	    "  -o OFFSET   the file system starts OFFSET bytes into IMAGE\n"
	    "              (a partition; suffixes k, M, G, or s for sectors)\n"
	    "commands:\n"
	    "  ls [-ladnR1] [PATH...]           cat PATH...\n"
	    "  put HOSTPATH... IMAGEDIR         get IMAGEPATH... HOSTDIR\n"
	    "  mkdir [-p] DIR...                rm [-r] [-f] PATH...\n"
	    "  mv SRC... DST                    ln [-s] [-f] TARGET... LINK\n"
	    "  chmod [-R] [-f] MODE PATH...     stat PATH...\n"
	    "  chown [-R] [-h] [-f] OWNER[:GROUP] PATH...\n"
	    "  chgrp [-R] [-h] [-f] GROUP PATH...\n"
	    "  touch [-acmh] [-d DATE | -t STAMP | -r PATH] PATH...\n"
	    "  df                               du [-s] [PATH...]\n"
	    "  find [PATH] [-name GLOB] [-type f|d|l]\n");
	unmount_image();
	exit(2);
}

void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", progname);
		exit(1);
	}
	return p;
}

/* The kernel's path for an image path (the caller frees it). */
char *
ipath(const char *p)
{
	size_t n = strlen(p) + sizeof(MNT) + 2;
	char *s = xmalloc(n);

	snprintf(s, n, "%s%s%s", MNT, p[0] == '/' ? "" : "/", p);
	return s;
}

char *
pjoin(const char *a, const char *b)
{
	size_t la = strlen(a), n = la + strlen(b) + 2;
	char *s = xmalloc(n);

	snprintf(s, n, "%s%s%s", a, la > 0 && a[la - 1] == '/' ? "" : "/", b);
	return s;
}

static const char *
base(const char *p)
{
	const char *s;
	size_t n = strlen(p);

	/* Trailing slashes do not count. */
	while (n > 1 && p[n - 1] == '/')
		n--;
	for (s = p + n; s > p && s[-1] != '/'; s--)
		continue;
	return s;
}

/* The last component of p, without trailing slashes (caller frees). */
static char *
basedup(const char *p)
{
	const char *b = base(p);
	size_t n = strlen(b);

	while (n > 1 && b[n - 1] == '/')
		n--;
	return strndup(b, n);
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The names in the image directory kpath, sorted, "." and ".." only when
 * all; 0 or an errno value.
 */
int
readdir_image(const char *kpath, bool all, char ***namesp, size_t *np)
{
	char buf[8192], **names = NULL;
	size_t n = 0, cap = 0;
	struct fsu_dirent *d;
	long len, off;
	int fd, error = 0;

	if ((fd = rump_sys_open(kpath, O_RDONLY | O_DIRECTORY)) == -1)
		return errno;
	for (;;) {
		if ((len = rump_sys_getdents64(fd, buf, sizeof(buf))) == -1) {
			error = errno;
			break;
		}
		if (len == 0)
			break;
		for (off = 0; off < len; off += d->d_reclen) {
			d = (struct fsu_dirent *)(buf + off);
			if (!all && (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 32;
				names = realloc(names, cap * sizeof(*names));
				if (names == NULL) {
					fprintf(stderr, "fsu: out of memory\n");
					exit(1);
				}
			}
			names[n++] = strdup(d->d_name);
		}
	}
	rump_sys_close(fd);
	if (error != 0) {
		while (n > 0)
			free(names[--n]);
		free(names);
		return error;
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), namecmp);
	*namesp = names;
	*np = n;
	return 0;
}

void
freenames(char **names, size_t n)
{
	while (n > 0)
		free(names[--n]);
	free(names);
}

/* ---- ls ---- */

struct lsopt {
	bool	l, a, R, d;
};

void
modestr(mode_t m, char *s)
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	switch (m & S_IFMT) {
	case S_IFDIR:	s[0] = 'd'; break;
	case S_IFLNK:	s[0] = 'l'; break;
	case S_IFCHR:	s[0] = 'c'; break;
	case S_IFBLK:	s[0] = 'b'; break;
	case S_IFIFO:	s[0] = 'p'; break;
	case S_IFSOCK:	s[0] = 's'; break;
	default:	s[0] = '-'; break;
	}
	for (i = 0; i < 9; i++)
		s[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
	if (m & S_ISUID)
		s[3] = (m & S_IXUSR) ? 's' : 'S';
	if (m & S_ISGID)
		s[6] = (m & S_IXGRP) ? 's' : 'S';
	if (m & S_ISVTX)
		s[9] = (m & S_IXOTH) ? 't' : 'T';
	s[10] = '\0';
}

static int
ndigits(unsigned long long v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/*
 * Print entries (display names, kernel paths, stats) like ls: one per
 * line, or -l lines with aligned columns.
 */
static void
ls_print(const struct lsopt *o, char **names, char **kpaths,
    struct stat *st, size_t n, bool total)
{
	int wl = 1, wu = 1, wg = 1, ws = 1;
	unsigned long long blocks = 0;
	char mode[11], when[32], target[4096];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	long len;

	if (!o->l) {
		for (i = 0; i < n; i++)
			printf("%s\n", names[i]);
		return;
	}
	for (i = 0; i < n; i++) {
		blocks += st[i].st_blocks;
		if (ndigits(st[i].st_nlink) > wl)
			wl = ndigits(st[i].st_nlink);
		if (ndigits(st[i].st_uid) > wu)
			wu = ndigits(st[i].st_uid);
		if (ndigits(st[i].st_gid) > wg)
			wg = ndigits(st[i].st_gid);
		if (S_ISCHR(st[i].st_mode) || S_ISBLK(st[i].st_mode)) {
			if (8 > ws)
				ws = 8;
		} else if (ndigits(st[i].st_size) > ws)
			ws = ndigits(st[i].st_size);
	}
	if (total)
		printf("total %llu\n", blocks / 2);
	for (i = 0; i < n; i++) {
		modestr(st[i].st_mode, mode);
		localtime_r(&st[i].st_mtime, &tm);
		if (st[i].st_mtime > now - 15778476 &&
		    st[i].st_mtime <= now + 60)
			strftime(when, sizeof(when), "%b %e %H:%M", &tm);
		else
			strftime(when, sizeof(when), "%b %e  %Y", &tm);
		printf("%s %*lu %*u %*u ", mode, wl,
		    (unsigned long)st[i].st_nlink, wu, (unsigned)st[i].st_uid,
		    wg, (unsigned)st[i].st_gid);
		if (S_ISCHR(st[i].st_mode) || S_ISBLK(st[i].st_mode))
			printf("%3u, %3u ", major(st[i].st_rdev),
			    minor(st[i].st_rdev));
		else
			printf("%*lld ", ws, (long long)st[i].st_size);
		printf("%s %s", when, names[i]);
		if (S_ISLNK(st[i].st_mode)) {
			len = rump_sys_readlink(kpaths[i], target,
			    sizeof(target) - 1);
			if (len >= 0) {
				target[len] = '\0';
				printf(" -> %s", target);
			}
		}
		printf("\n");
	}
}

static void
ls_dir(const struct lsopt *o, const char *disp, const char *kpath,
    bool header, bool *first)
{
	char **names, **kpaths;
	struct stat *st;
	size_t n, i, m;
	int error;

	if ((error = readdir_image(kpath, o->a, &names, &n)) != 0) {
		warnmsg("cannot open directory '%s': %s", disp,
		    strerror(error));
		return;
	}
	if (header)
		printf("%s%s:\n", *first ? "" : "\n", disp);
	*first = false;
	kpaths = xmalloc((n + 1) * sizeof(*kpaths));
	st = xmalloc((n + 1) * sizeof(*st));
	for (i = m = 0; i < n; i++) {
		kpaths[m] = pjoin(kpath, names[i]);
		if (rump_sys_lstat(kpaths[m], &st[m]) == -1) {
			warnmsg("cannot access '%s/%s': %s", disp, names[i],
			    strerror(errno));
			free(kpaths[m]);
			free(names[i]);
			continue;
		}
		names[m] = names[i];
		m++;
	}
	ls_print(o, names, kpaths, st, m, true);
	if (o->R) {
		for (i = 0; i < m; i++) {
			char *d;

			if (!S_ISDIR(st[i].st_mode) ||
			    strcmp(names[i], ".") == 0 ||
			    strcmp(names[i], "..") == 0)
				continue;
			d = pjoin(disp, names[i]);
			ls_dir(o, d, kpaths[i], true, first);
			free(d);
		}
	}
	for (i = 0; i < m; i++)
		free(kpaths[i]);
	free(kpaths);
	free(st);
	freenames(names, m);
}

/*
 * Is the operand k (lstat st) listed as a directory?  Like ls, a
 * symbolic link to a directory is, without -l.
 */
static bool
ls_isdir(const struct lsopt *o, const char *k, const struct stat *st)
{
	struct stat t;

	if (o->d)
		return false;
	if (S_ISDIR(st->st_mode))
		return true;
	return !o->l && S_ISLNK(st->st_mode) && rump_sys_stat(k, &t) == 0 &&
	    S_ISDIR(t.st_mode);
}

static void
cmd_ls(int argc, char **argv)
{
	struct lsopt o = { false, false, false, false };
	char *dot[] = { ".", NULL }, **files, **fk;
	struct stat *fst, st;
	size_t nf = 0, i;
	bool first = true, header;
	int c;

	optind = 1;
	while ((c = getopt(argc, argv, "+laRdn1")) != -1) {
		switch (c) {
		case 'l': case 'n': o.l = true; break;
		case 'd': o.d = true; break;
		case '1': break;
		case 'a': o.a = true; break;
		case 'R': o.R = true; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		argc = 1;
		argv = dot;
	}
	header = argc > 1 || o.R;
	/* Operands in name order, like ls (argv[] may be reordered). */
	qsort(argv, argc, sizeof(*argv), namecmp);
	files = xmalloc(argc * sizeof(*files));
	fk = xmalloc(argc * sizeof(*fk));
	fst = xmalloc(argc * sizeof(*fst));
	/* Files first, then directories, like ls. */
	for (i = 0; i < (size_t)argc; i++) {
		char *k = ipath(argv[i]);

		if (rump_sys_lstat(k, &st) == -1) {
			warnmsg("cannot access '%s': %s", argv[i],
			    strerror(errno));
			free(k);
			continue;
		}
		if (!ls_isdir(&o, k, &st)) {
			files[nf] = argv[i];
			fk[nf] = k;
			fst[nf++] = st;
		} else
			free(k);
	}
	if (nf > 0) {
		ls_print(&o, files, fk, fst, nf, false);
		first = false;
	}
	for (i = 0; i < nf; i++)
		free(fk[i]);
	for (i = 0; i < (size_t)argc; i++) {
		char *k = ipath(argv[i]);

		if (rump_sys_lstat(k, &st) == 0 && ls_isdir(&o, k, &st))
			ls_dir(&o, argv[i], k, header, &first);
		free(k);
	}
	free(files);
	free(fk);
	free(fst);
}

/* ---- cat ---- */

static void
cmd_cat(int argc, char **argv)
{
	long n;
	int i, fd;

	for (i = 1; i < argc; i++) {
		char *k = ipath(argv[i]);

		if ((fd = rump_sys_open(k, O_RDONLY)) == -1) {
			warnmsg("%s: %s", argv[i], strerror(errno));
			free(k);
			continue;
		}
		while ((n = rump_sys_read(fd, copybuf, COPYBUF)) > 0) {
			if (fwrite(copybuf, 1, n, stdout) != (size_t)n) {
				warnmsg("write error: %s", strerror(errno));
				break;
			}
		}
		if (n == -1)
			warnmsg("%s: %s", argv[i], strerror(errno));
		rump_sys_close(fd);
		free(k);
	}
	if (fflush(stdout) != 0)
		warnmsg("write error: %s", strerror(errno));
}

/* ---- put and get ---- */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Count a copied file or bytes; redraw the line at most 4 times a second. */
static void
progress(unsigned long long bytes, bool file)
{
	double t;

	progress_bytes += bytes;
	progress_files += file;
	if (!progress_on || (t = now_s()) - progress_last < 0.25)
		return;
	progress_last = t;
	fprintf(stderr, "\r%s: %llu files, %.1f MiB", progname, progress_files,
	    progress_bytes / 1048576.0);
	progress_shown = true;
}

static void
progress_end(void)
{
	if (progress_shown)
		fprintf(stderr, "\r%s: %llu files, %.1f MiB, done\n", progname,
		    progress_files, progress_bytes / 1048576.0);
	progress_shown = false;
}

/*
 * The files with more than one link copied so far, so that put and get
 * make a hard link for the second name of a file instead of a copy.
 */
struct linkent {
	dev_t	dev;
	ino_t	ino;
	char	*path;		/* where the copy went */
};
static struct linkent *links;
static size_t nlinks, maxlinks;

/* The path of an earlier copy of (dev, ino), or NULL after noting path. */
static const char *
link_seen(const struct stat *st, const char *path)
{
	size_t i;

	if (S_ISDIR(st->st_mode) || st->st_nlink < 2)
		return NULL;
	for (i = 0; i < nlinks; i++)
		if (links[i].dev == st->st_dev && links[i].ino == st->st_ino)
			return links[i].path;
	if (nlinks == maxlinks) {
		maxlinks = maxlinks ? maxlinks * 2 : 64;
		links = realloc(links, maxlinks * sizeof(*links));
		if (links == NULL) {
			fprintf(stderr, "fsu: out of memory\n");
			exit(1);
		}
	}
	links[nlinks].dev = st->st_dev;
	links[nlinks].ino = st->st_ino;
	links[nlinks++].path = strdup(path);
	return NULL;
}

static void
links_free(void)
{
	while (nlinks > 0)
		free(links[--nlinks].path);
	free(links);
	links = NULL;
	maxlinks = 0;
}

/* Owner, mode and times of kernel path k from st (after the contents). */
static void
put_attrs(const char *disp, const char *k, const struct stat *st)
{
	struct timespec ts[2];

	ts[0] = st->st_atim;
	ts[1] = st->st_mtim;
	if (rump_sys_lchown(k, st->st_uid, st->st_gid) == -1)
		warnmsg("changing ownership of '%s': %s", disp,
		    strerror(errno));
	if (!S_ISLNK(st->st_mode) &&
	    rump_sys_chmod(k, st->st_mode & 07777) == -1)
		warnmsg("changing permissions of '%s': %s", disp,
		    strerror(errno));
	if (rump_sys_utimensat(AT_FDCWD, k, ts, AT_SYMLINK_NOFOLLOW) == -1)
		warnmsg("setting times of '%s': %s", disp, strerror(errno));
}

static void
put_one(const char *host, const char *k, const char *disp)
{
	char target[4096];
	const char *prev;
	struct stat st, kst;
	DIR *dir;
	struct dirent *de;
	long n, w, done;
	int hfd, fd;

	if (lstat(host, &st) == -1) {
		warnmsg("cannot stat '%s': %s", host, strerror(errno));
		return;
	}
	if ((prev = link_seen(&st, k)) != NULL) {
		rump_sys_unlink(k);
		if (rump_sys_link(prev, k) == -1)
			warnmsg("cannot create hard link '%s': %s", disp,
			    strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (rump_sys_mkdir(k, 0700) == -1 && (errno != EEXIST ||
		    rump_sys_stat(k, &kst) == -1 || !S_ISDIR(kst.st_mode))) {
			warnmsg("cannot create directory '%s': %s", disp,
			    strerror(errno));
			return;
		}
		if ((dir = opendir(host)) == NULL) {
			warnmsg("cannot open directory '%s': %s", host,
			    strerror(errno));
			return;
		}
		while ((de = readdir(dir)) != NULL) {
			char *h, *kk, *d;

			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			h = pjoin(host, de->d_name);
			kk = pjoin(k, de->d_name);
			d = pjoin(disp, de->d_name);
			put_one(h, kk, d);
			free(h);
			free(kk);
			free(d);
		}
		closedir(dir);
	} else if (S_ISLNK(st.st_mode)) {
		if ((n = readlink(host, target, sizeof(target) - 1)) == -1) {
			warnmsg("cannot read symbolic link '%s': %s", host,
			    strerror(errno));
			return;
		}
		target[n] = '\0';
		rump_sys_unlink(k);
		if (rump_sys_symlink(target, k) == -1) {
			warnmsg("cannot create symbolic link '%s': %s", disp,
			    strerror(errno));
			return;
		}
	} else if (S_ISREG(st.st_mode)) {
		if ((hfd = open(host, O_RDONLY)) == -1) {
			warnmsg("cannot open '%s' for reading: %s", host,
			    strerror(errno));
			return;
		}
		/* Replace a symbolic link rather than write through it. */
		if (rump_sys_lstat(k, &kst) == 0 && S_ISLNK(kst.st_mode))
			rump_sys_unlink(k);
		if ((fd = rump_sys_open(k, O_WRONLY | O_CREAT | O_TRUNC,
		    0600)) == -1) {
			warnmsg("cannot create regular file '%s': %s", disp,
			    strerror(errno));
			close(hfd);
			return;
		}
		while ((n = read(hfd, copybuf, COPYBUF)) > 0) {
			for (done = 0; done < n; done += w) {
				w = rump_sys_write(fd, copybuf + done,
				    n - done);
				if (w <= 0)
					break;
			}
			progress(done, false);
			if (done < n) {
				warnmsg("error writing '%s': %s", disp,
				    strerror(errno));
				break;
			}
		}
		if (n == -1)
			warnmsg("error reading '%s': %s", host,
			    strerror(errno));
		close(hfd);
		if (rump_sys_close(fd) == -1)
			warnmsg("error writing '%s': %s", disp,
			    strerror(errno));
	} else {
		if (rump_sys_mknod(k, st.st_mode, st.st_rdev) == -1) {
			warnmsg("cannot create special file '%s': %s", disp,
			    strerror(errno));
			return;
		}
	}
	put_attrs(disp, k, &st);
	progress(0, true);
}

static void
cmd_put(int argc, char **argv)
{
	struct stat st;
	char *kdir, *b, *k, *d;
	int i;

	if (argc < 3)
		usage();
	kdir = ipath(argv[argc - 1]);
	if (rump_sys_stat(kdir, &st) == -1) {
		warnmsg("cannot stat '%s': %s", argv[argc - 1],
		    strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		warnmsg("target '%s': Not a directory", argv[argc - 1]);
		goto out;
	}
	for (i = 1; i < argc - 1; i++) {
		b = basedup(argv[i]);
		k = pjoin(kdir, b);
		d = pjoin(argv[argc - 1], b);
		put_one(argv[i], k, d);
		free(b);
		free(k);
		free(d);
	}
out:
	progress_end();
	links_free();
	free(kdir);
}

/* ---- get ---- */

static void
get_one(const char *k, const char *host, const char *disp)
{
	char target[4096], **names;
	const char *prev;
	struct stat st, hst;
	struct timespec ts[2];
	long n, w, done;
	size_t nn, i;
	int hfd, fd, error;

	if (rump_sys_lstat(k, &st) == -1) {
		warnmsg("cannot stat '%s': %s", disp, strerror(errno));
		return;
	}
	if ((prev = link_seen(&st, host)) != NULL) {
		unlink(host);
		if (link(prev, host) == -1)
			warnmsg("cannot create hard link '%s': %s", host,
			    strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (mkdir(host, 0700) == -1 && (errno != EEXIST ||
		    stat(host, &hst) == -1 || !S_ISDIR(hst.st_mode))) {
			warnmsg("cannot create directory '%s': %s", host,
			    strerror(errno));
			return;
		}
		if ((error = readdir_image(k, false, &names, &nn)) != 0) {
			warnmsg("cannot open directory '%s': %s", disp,
			    strerror(error));
			return;
		}
		for (i = 0; i < nn; i++) {
			char *h = pjoin(host, names[i]);
			char *kk = pjoin(k, names[i]);
			char *d = pjoin(disp, names[i]);

			get_one(kk, h, d);
			free(h);
			free(kk);
			free(d);
		}
		freenames(names, nn);
	} else if (S_ISLNK(st.st_mode)) {
		if ((n = rump_sys_readlink(k, target, sizeof(target) - 1)) ==
		    -1) {
			warnmsg("cannot read symbolic link '%s': %s", disp,
			    strerror(errno));
			return;
		}
		target[n] = '\0';
		unlink(host);
		if (symlink(target, host) == -1) {
			warnmsg("cannot create symbolic link '%s': %s", host,
			    strerror(errno));
			return;
		}
	} else if (S_ISREG(st.st_mode)) {
		if ((fd = rump_sys_open(k, O_RDONLY)) == -1) {
			warnmsg("cannot open '%s' for reading: %s", disp,
			    strerror(errno));
			return;
		}
		if (lstat(host, &hst) == 0 && S_ISLNK(hst.st_mode))
			unlink(host);
		if ((hfd = open(host, O_WRONLY | O_CREAT | O_TRUNC, 0600)) ==
		    -1) {
			warnmsg("cannot create regular file '%s': %s", host,
			    strerror(errno));
			rump_sys_close(fd);
			return;
		}
		while ((n = rump_sys_read(fd, copybuf, COPYBUF)) > 0) {
			for (done = 0; done < n; done += w) {
				w = write(hfd, copybuf + done, n - done);
				if (w <= 0)
					break;
			}
			progress(done, false);
			if (done < n) {
				warnmsg("error writing '%s': %s", host,
				    strerror(errno));
				break;
			}
		}
		if (n == -1)
			warnmsg("error reading '%s': %s", disp,
			    strerror(errno));
		rump_sys_close(fd);
		if (close(hfd) == -1)
			warnmsg("error writing '%s': %s", host,
			    strerror(errno));
	} else {
		if (mknod(host, st.st_mode, st.st_rdev) == -1) {
			warnmsg("cannot create special file '%s': %s", host,
			    strerror(errno));
			return;
		}
	}
	/* Owners only when we may (root); modes and times always. */
	if (geteuid() == 0 && lchown(host, st.st_uid, st.st_gid) == -1)
		warnmsg("changing ownership of '%s': %s", host,
		    strerror(errno));
	if (!S_ISLNK(st.st_mode) && chmod(host, st.st_mode & 07777) == -1)
		warnmsg("changing permissions of '%s': %s", host,
		    strerror(errno));
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	if (utimensat(AT_FDCWD, host, ts, AT_SYMLINK_NOFOLLOW) == -1)
		warnmsg("setting times of '%s': %s", host, strerror(errno));
	progress(0, true);
}

static void
cmd_get(int argc, char **argv)
{
	struct stat st;
	const char *hdir;
	char *b, *k, *h;
	int i;

	if (argc < 3)
		usage();
	hdir = argv[argc - 1];
	if (stat(hdir, &st) == -1) {
		warnmsg("cannot stat '%s': %s", hdir, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		warnmsg("target '%s': Not a directory", hdir);
		return;
	}
	for (i = 1; i < argc - 1; i++) {
		k = ipath(argv[i]);
		b = basedup(argv[i]);
		if (strcmp(b, "/") == 0) {
			free(b);
			b = strdup(".");
		}
		h = pjoin(hdir, b);
		get_one(k, h, argv[i]);
		free(b);
		free(k);
		free(h);
	}
	progress_end();
	links_free();
}

/* ---- mkdir, rm, mv, ln ---- */

static int
mkdir_p(const char *k)
{
	struct stat st;
	char *p, *s;
	int error = 0;

	p = strdup(k);
	for (s = p + sizeof(MNT); ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (rump_sys_mkdir(p, 0777) == -1) {
			if (errno != EEXIST || rump_sys_stat(p, &st) == -1 ||
			    !S_ISDIR(st.st_mode)) {
				error = errno == EEXIST ? ENOTDIR : errno;
				break;
			}
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return error;
}

static void
cmd_mkdir(int argc, char **argv)
{
	bool p = false;
	int c, i, error;

	optind = 1;
	while ((c = getopt(argc, argv, "+p")) != -1) {
		if (c != 'p')
			usage();
		p = true;
	}
	if (optind == argc)
		usage();
	for (i = optind; i < argc; i++) {
		char *k = ipath(argv[i]);

		if (p)
			error = mkdir_p(k);
		else
			error = rump_sys_mkdir(k, 0777) == -1 ? errno : 0;
		if (error != 0)
			warnmsg("cannot create directory '%s': %s", argv[i],
			    strerror(error));
		free(k);
	}
}

static int
rm_tree(const char *k, const char *disp, bool r, bool f)
{
	struct stat st;
	char **names;
	size_t n, i;
	int error;

	if (rump_sys_lstat(k, &st) == -1) {
		if (!(f && errno == ENOENT))
			warnmsg("cannot remove '%s': %s", disp,
			    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (rump_sys_unlink(k) == -1) {
			warnmsg("cannot remove '%s': %s", disp,
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	if (!r) {
		warnmsg("cannot remove '%s': Is a directory", disp);
		return -1;
	}
	if ((error = readdir_image(k, false, &names, &n)) != 0) {
		warnmsg("cannot remove '%s': %s", disp, strerror(error));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char *kk = pjoin(k, names[i]), *d = pjoin(disp, names[i]);

		rm_tree(kk, d, r, f);
		free(kk);
		free(d);
	}
	freenames(names, n);
	if (rump_sys_rmdir(k) == -1) {
		warnmsg("cannot remove '%s': %s", disp, strerror(errno));
		return -1;
	}
	return 0;
}

static void
cmd_rm(int argc, char **argv)
{
	bool r = false, f = false;
	int c, i;

	optind = 1;
	while ((c = getopt(argc, argv, "+rRf")) != -1) {
		switch (c) {
		case 'r': case 'R': r = true; break;
		case 'f': f = true; break;
		default: usage();
		}
	}
	if (optind == argc && !f)
		usage();
	for (i = optind; i < argc; i++) {
		char *k = ipath(argv[i]);
		const char *b = base(argv[i]);

		if (strcmp(b, ".") == 0 || strcmp(b, "..") == 0 ||
		    strcmp(k, MNT "/") == 0)
			warnmsg("refusing to remove '.', '..' or '/' "
			    "directory: skipping '%s'", argv[i]);
		else
			rm_tree(k, argv[i], r, f);
		free(k);
	}
}

/* If kernel path dst is a directory, dst/basename(src) (caller frees). */
static char *
into_dir(const char *dst, const char *src)
{
	struct stat st;
	char *b, *r;

	if (rump_sys_stat(dst, &st) == 0 && S_ISDIR(st.st_mode)) {
		b = basedup(src);
		r = pjoin(dst, b);
		free(b);
		return r;
	}
	return strdup(dst);
}

/* mv SRC... DST: rename, into DST when it is a directory. */
static void
cmd_mv(int argc, char **argv)
{
	struct stat st;
	char *ks, *kd, *t;
	int i;

	if (argc < 3)
		usage();
	kd = ipath(argv[argc - 1]);
	if (argc > 3 && (rump_sys_stat(kd, &st) == -1 ||
	    !S_ISDIR(st.st_mode))) {
		warnmsg("target '%s' is not a directory", argv[argc - 1]);
		argc = 1;
	}
	for (i = 1; i < argc - 1; i++) {
		ks = ipath(argv[i]);
		if (rump_sys_lstat(ks, &st) == -1) {
			warnmsg("cannot stat '%s': %s", argv[i],
			    strerror(errno));
		} else {
			t = into_dir(kd, argv[i]);
			if (rump_sys_rename(ks, t) == -1)
				warnmsg("cannot move '%s' to '%s': %s",
				    argv[i], argv[argc - 1], strerror(errno));
			free(t);
		}
		free(ks);
	}
	free(kd);
}

/* One link at kernel path t (shown as disp) to target. */
static void
ln_one(const char *target, const char *t, const char *disp, bool s, bool f)
{
	char *ks;
	int r;

	if (f)
		rump_sys_unlink(t);
	if (s) {
		if (rump_sys_symlink(target, t) == -1)
			warnmsg("failed to create symbolic link '%s': %s",
			    disp, strerror(errno));
		return;
	}
	ks = ipath(target);
	r = rump_sys_link(ks, t);
	free(ks);
	if (r == -1)
		warnmsg("failed to create hard link '%s' => '%s': %s", disp,
		    target, strerror(errno));
}

/*
 * ln [-s] [-f] TARGET [LINK]; ln [-s] [-f] TARGET... DIR.  A symbolic
 * link's TARGET is stored as given; a hard link's is a path in the image.
 */
static void
cmd_ln(int argc, char **argv)
{
	bool s = false, f = false, isdir;
	const char *dst;
	struct stat st;
	char *kd, *t, *disp, *b;
	int c, i, n;

	optind = 1;
	while ((c = getopt(argc, argv, "+sf")) != -1) {
		switch (c) {
		case 's': s = true; break;
		case 'f': f = true; break;
		default: usage();
		}
	}
	if ((n = argc - optind) < 1)
		usage();
	dst = n == 1 ? "/" : argv[argc - 1];
	kd = ipath(dst);
	isdir = rump_sys_stat(kd, &st) == 0 && S_ISDIR(st.st_mode);
	if (n > 2 && !isdir)
		warnmsg("target '%s' is not a directory", dst);
	else for (i = optind; i < optind + (n == 1 ? 1 : n - 1); i++) {
		if (isdir) {
			b = basedup(argv[i]);
			t = pjoin(kd, b);
			disp = pjoin(dst, b);
			free(b);
		} else {
			t = strdup(kd);
			disp = strdup(dst);
		}
		ln_one(argv[i], t, disp, s, f);
		free(disp);
		free(t);
	}
	free(kd);
}

/* ---- stat, df, du, find ---- */

static const char *
typestr(mode_t m, off_t size)
{
	switch (m & S_IFMT) {
	case S_IFDIR:	return "directory";
	case S_IFLNK:	return "symbolic link";
	case S_IFCHR:	return "character special file";
	case S_IFBLK:	return "block special file";
	case S_IFIFO:	return "fifo";
	case S_IFSOCK:	return "socket";
	default:	return size == 0 ? "regular empty file" :
			    "regular file";
	}
}

static void
print_time(const char *what, const struct timespec *ts)
{
	char buf[64], zone[16];
	struct tm tm;

	localtime_r(&ts->tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	printf("%s: %s.%09ld %s\n", what, buf, (long)ts->tv_nsec, zone);
}

static void
cmd_stat(int argc, char **argv)
{
	char mode[11], target[4096];
	struct stat st;
	long n;
	int i;

	if (argc < 2)
		usage();
	for (i = 1; i < argc; i++) {
		char *k = ipath(argv[i]);

		if (rump_sys_lstat(k, &st) == -1) {
			warnmsg("cannot stat '%s': %s", argv[i],
			    strerror(errno));
			free(k);
			continue;
		}
		if (S_ISLNK(st.st_mode) && (n = rump_sys_readlink(k, target,
		    sizeof(target) - 1)) >= 0) {
			target[n] = '\0';
			printf("  File: %s -> %s\n", argv[i], target);
		} else
			printf("  File: %s\n", argv[i]);
		printf("  Size: %-15lld Blocks: %-10lld IO Block: %-6ld %s\n",
		    (long long)st.st_size, (long long)st.st_blocks,
		    (long)st.st_blksize, typestr(st.st_mode, st.st_size));
		printf("Device: %llxh/%llud\tInode: %-11llu Links: %lu\n",
		    (unsigned long long)st.st_dev,
		    (unsigned long long)st.st_dev,
		    (unsigned long long)st.st_ino,
		    (unsigned long)st.st_nlink);
		modestr(st.st_mode, mode);
		printf("Access: (%04o/%s)  Uid: (%5u)   Gid: (%5u)\n",
		    (unsigned)(st.st_mode & 07777), mode,
		    (unsigned)st.st_uid, (unsigned)st.st_gid);
		print_time("Access", &st.st_atim);
		print_time("Modify", &st.st_mtim);
		print_time("Change", &st.st_ctim);
		free(k);
	}
}

static void
cmd_df(int argc, char **argv)
{
	struct statfs sf;
	unsigned long long total, used, avail, pct;

	(void)argv;
	if (argc != 1)
		usage();
	if (rump_sys_statfs(MNT, &sf) == -1) {
		warnmsg("cannot read file system information for '/': %s",
		    strerror(errno));
		return;
	}
	total = (unsigned long long)sf.f_blocks * sf.f_bsize / 1024;
	used = (unsigned long long)(sf.f_blocks - sf.f_bfree) * sf.f_bsize /
	    1024;
	avail = (unsigned long long)sf.f_bavail * sf.f_bsize / 1024;
	pct = used + avail == 0 ? 0 : (used * 100 + used + avail - 1) /
	    (used + avail);
	printf("Filesystem     1K-blocks  Used Available Use%% Mounted on\n");
	printf("%s %llu %llu %llu %llu%% /\n", mounted_image, total, used, avail, pct);
}

/* Returns the 1 KiB blocks under k; prints directories unless sum. */
static unsigned long long
du_tree(const char *k, const char *disp, bool sum, bool top)
{
	unsigned long long t;
	struct stat st;
	char **names;
	size_t n, i;
	int error;

	if (rump_sys_lstat(k, &st) == -1) {
		warnmsg("cannot access '%s': %s", disp, strerror(errno));
		return 0;
	}
	/* A file with several links counts once, like du. */
	t = link_seen(&st, k) == NULL ? st.st_blocks / 2 : 0;
	if (S_ISDIR(st.st_mode)) {
		if ((error = readdir_image(k, false, &names, &n)) != 0) {
			warnmsg("cannot read directory '%s': %s", disp,
			    strerror(error));
		} else {
			for (i = 0; i < n; i++) {
				char *kk = pjoin(k, names[i]);
				char *d = pjoin(disp, names[i]);

				t += du_tree(kk, d, sum, false);
				free(kk);
				free(d);
			}
			freenames(names, n);
		}
	}
	if ((!sum && S_ISDIR(st.st_mode)) || top)
		printf("%llu\t%s\n", t, disp);
	return t;
}

static void
cmd_du(int argc, char **argv)
{
	char *dot[] = { ".", NULL };
	bool s = false;
	int c, i;

	optind = 1;
	while ((c = getopt(argc, argv, "+s")) != -1) {
		if (c != 's')
			usage();
		s = true;
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		argc = 1;
		argv = dot;
	}
	for (i = 0; i < argc; i++) {
		char *k = ipath(argv[i]);

		du_tree(k, argv[i], s, true);
		free(k);
	}
	links_free();
}

static void
find_tree(const char *k, const char *disp, const char *name, int type)
{
	struct stat st;
	char **names, *b;
	size_t n, i;
	int error;
	bool match = true;

	if (rump_sys_lstat(k, &st) == -1) {
		warnmsg("'%s': %s", disp, strerror(errno));
		return;
	}
	b = basedup(disp);
	if (name != NULL && fnmatch(name, b, 0) != 0)
		match = false;
	free(b);
	if ((type == 'f' && !S_ISREG(st.st_mode)) ||
	    (type == 'd' && !S_ISDIR(st.st_mode)) ||
	    (type == 'l' && !S_ISLNK(st.st_mode)))
		match = false;
	if (match)
		printf("%s\n", disp);
	if (!S_ISDIR(st.st_mode))
		return;
	if ((error = readdir_image(k, false, &names, &n)) != 0) {
		warnmsg("'%s': %s", disp, strerror(error));
		return;
	}
	for (i = 0; i < n; i++) {
		char *kk = pjoin(k, names[i]), *d = pjoin(disp, names[i]);

		find_tree(kk, d, name, type);
		free(kk);
		free(d);
	}
	freenames(names, n);
}

static void
cmd_find(int argc, char **argv)
{
	const char *start = ".", *name = NULL;
	int i = 1, type = 0;
	char *k;

	if (i < argc && argv[i][0] != '-')
		start = argv[i++];
	for (; i < argc; i += 2) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "-name") == 0)
			name = argv[i + 1];
		else if (strcmp(argv[i], "-type") == 0 &&
		    strlen(argv[i + 1]) == 1 && strchr("fdl", argv[i + 1][0]))
			type = argv[i + 1][0];
		else
			usage();
	}
	k = ipath(start);
	find_tree(k, start, name, type);
	free(k);
}

/* ---- main ---- */

struct command {
	const char	*name;
	bool		ro;	/* mount read-only */
	void		(*fn)(int, char **);
};

static const struct command commands[] = {
	{ "ls", true, cmd_ls }, { "cat", true, cmd_cat },
	{ "put", false, cmd_put }, { "get", true, cmd_get },
	{ "mkdir", false, cmd_mkdir }, { "rm", false, cmd_rm },
	{ "mv", false, cmd_mv }, { "ln", false, cmd_ln },
	{ "chmod", false, cmd_chmod }, { "chown", false, cmd_chown },
	{ "chgrp", false, cmd_chgrp }, { "stat", true, cmd_stat },
	{ "touch", false, cmd_touch }, { "df", true, cmd_df },
	{ "du", true, cmd_du }, { "find", true, cmd_find },
};

/*
 * Unmount the image (so that it is clean for e2fsck) and let it go; on
 * every way out once it is mounted, usage errors too.
 */
static void
unmount_image(void)
{
	int error;

	if (mounted_image == NULL)
		return;
	if (rump_sys_umount2(MNT, 0) == -1)
		warnmsg("cannot unmount '%s': %s", mounted_image,
		    strerror(errno));
	else if ((error = rump_pub_etfs_remove(DEV)) != 0)
		warnmsg("cannot close '%s': %s", mounted_image,
		    strerror(error));
	mounted_image = NULL;
}

/* A byte offset: digits with an optional k, M, G or s (512) suffix. */
static int
parse_offset(const char *arg, uint64_t *offp)
{
	unsigned long long v, mult = 1;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (end == arg || errno != 0 || *arg == '-')
		return EINVAL;
	switch (*end) {
	case '\0':	break;
	case 's':	mult = 512; end++; break;
	case 'k': case 'K': mult = 1ULL << 10; end++; break;
	case 'M':	mult = 1ULL << 20; end++; break;
	case 'G':	mult = 1ULL << 30; end++; break;
	default:	return EINVAL;
	}
	if (*end != '\0' || v > UINT64_MAX / 2 / mult)
		return EINVAL;
	*offp = v * mult;
	return 0;
}

/* Is the image an ext2/3/4 file system?  0 or an errno value. */
static int
probe_image(const char *image, uint64_t offset, bool *ro)
{
	unsigned char sb[2];
	int fd;

	*ro = false;
	if ((fd = open(image, O_RDWR)) == -1) {
		if (errno != EACCES && errno != EROFS)
			return errno;
		if ((fd = open(image, O_RDONLY)) == -1)
			return errno;
		*ro = true;
	}
	if (pread(fd, sb, 2, offset + 1080) != 2 || sb[0] != 0x53 || sb[1] != 0xef) {
		close(fd);
		return EFTYPE_NONE;
	}
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	const char *image;
	uint64_t offset = 0;
	bool hostro;
	mode_t um;
	size_t i;
	int c, error;

	while ((c = getopt(argc, argv, "+o:")) != -1) {
		if (c != 'o' || parse_offset(optarg, &offset) != 0)
			usage();
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 3)
		usage();
	image = argv[1];
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[2], commands[i].name) == 0)
			cmd = &commands[i];
	if (cmd == NULL) {
		fprintf(stderr, "%s: unknown command '%s'\n", progname,
		    argv[2]);
		usage();
	}
	if ((error = probe_image(image, offset, &hostro)) != 0) {
		if (error == EFTYPE_NONE)
			fprintf(stderr, "%s: %s: not an ext2/3/4 file system "
			    "image\n", progname, image);
		else
			fprintf(stderr, "%s: cannot open '%s': %s\n",
			    progname, image, strerror(error));
		return 1;
	}
	if (hostro && !cmd->ro) {
		fprintf(stderr, "%s: %s: image is read-only\n", progname,
		    image);
		return 1;
	}
	copybuf = xmalloc(COPYBUF);
	progress_on = isatty(STDERR_FILENO);
	if ((error = rump_init()) != 0) {
		fprintf(stderr, "%s: cannot boot the kernel: %s\n", progname,
		    strerror(error));
		return 1;
	}
	if ((error = rump_pub_etfs_register_withsize(DEV, image,
	    RUMP_ETFS_BLK, offset, RUMP_ETFS_SIZE_ENDOFF)) != 0) {
		fprintf(stderr, "%s: cannot open '%s': %s\n", progname, image,
		    strerror(error));
		return 1;
	}
	if (rump_sys_mkdir(MNT, 0755) == -1 ||
	    rump_sys_mount(DEV, MNT, "ext4", cmd->ro ? MS_RDONLY : 0,
	    NULL) == -1) {
		fprintf(stderr, "%s: cannot mount '%s': %s\n", progname, image,
		    strerror(errno));
		return 1;
	}
	mounted_image = image;
	/* The user's umask, as for coreutils' mkdir, touch and chmod. */
	um = umask(0);
	umask(um);
	rump_sys_umask(um);
	argc -= 2;
	argv += 2;
	cmd->fn(argc, argv);
	unmount_image();
	free(copybuf);
	rump_sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	    LINUX_REBOOT_CMD_HALT, NULL);
	return status;
}
