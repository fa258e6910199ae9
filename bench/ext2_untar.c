/*
 * ext2_untar.c: the in-process side of the ext2 benchmark
 * (bench/ext2_bench.sh): untar a tarball into an ext2/3/4 image through
 * our driver.
 *
 *	ext2_untar IMAGE TARBALL [FSTYPE]
 *
 * Reads the whole tarball into memory, boots a rump kernel, registers
 * IMAGE as a block device, then times mount + extraction + unmount (what
 * `mount; tar -x; umount' does on the host) and prints the seconds on
 * stdout.  The extraction is a minimal ustar reader that makes each
 * entry with rump_sys_* as GNU tar does as root: directories (mkdir),
 * regular files (open O_CREAT|O_EXCL, write, fchown, fchmod), symbolic
 * links, hard links; the modification times (utimensat).  Entries
 * of other types, and GNU or pax extension headers, are counted and
 * skipped.  Any failing call ends the run with a message and exit 1.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>

#define MNT "/mnt"
#define DEV "/dev/xbd0"

static unsigned long nfiles, ndirs, nlinks, nskipped;
static unsigned long long nbytes;

static void
die(const char *what, const char *path)
{

	fprintf(stderr, "ext2_untar: %s %s: %s\n", what, path ? path : "",
	    strerror(errno));
	exit(1);
}

static uint64_t
octal(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n && (p[i] == ' ' || p[i] == '\0'); i++)
		continue;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (uint64_t)(p[i] - '0');
	return v;
}

/* The entry's path under MNT (prefix/name), without a trailing slash. */
static void
entry_path(const unsigned char *h, char *buf, size_t size)
{
	char name[101], prefix[156];
	size_t len;

	memcpy(name, h, 100);
	name[100] = '\0';
	memcpy(prefix, h + 345, 155);
	prefix[155] = '\0';
	if (prefix[0] != '\0')
		snprintf(buf, size, MNT "/%s/%s", prefix, name);
	else
		snprintf(buf, size, MNT "/%s", name);
	len = strlen(buf);
	while (len > 0 && buf[len - 1] == '/')
		buf[--len] = '\0';
}

struct dtime {
	char *path;
	time_t mtime;
};

static void
extract(const unsigned char *tar, size_t size)
{
	char path[512], target[512];
	struct dtime *dirs = NULL;
	size_t off = 0, ndt = 0, capdt = 0, i;
	struct timespec ts[2];

	while (off + 512 <= size) {
		const unsigned char *h = tar + off;
		uint64_t len = octal(h + 124, 12);
		mode_t mode = (mode_t)octal(h + 100, 8) & 07777;
		uid_t uid = (uid_t)octal(h + 108, 8);
		gid_t gid = (gid_t)octal(h + 116, 8);
		time_t mtime = (time_t)octal(h + 136, 12);
		char type = (char)h[156];
		int fd;

		if (h[0] == '\0')
			break;		/* the end: zero blocks */
		off += 512;
		entry_path(h, path, sizeof(path));
		ts[0].tv_sec = ts[1].tv_sec = mtime;
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		switch (type) {
		case '0':
		case '\0':
		case '7':
			fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_EXCL,
			    0600);
			if (fd < 0)
				die("create", path);
			for (i = 0; i < len; ) {
				size_t n = len - i > (1u << 20) ? (1u << 20) :
				    (size_t)(len - i);
				ssize_t w = rump_sys_write(fd, tar + off + i,
				    n);

				if (w <= 0)
					die("write", path);
				i += (size_t)w;
			}
			if (rump_sys_fchown(fd, uid, gid) != 0)
				die("fchown", path);
			if (rump_sys_fchmod(fd, mode) != 0)
				die("fchmod", path);
			if (rump_sys_close(fd) != 0)
				die("close", path);
			if (rump_sys_utimensat(AT_FDCWD, path, ts, 0) != 0)
				die("utimensat", path);
			nfiles++;
			nbytes += len;
			break;
		case '5':
			if (rump_sys_mkdir(path, 0700) != 0 && errno != EEXIST)
				die("mkdir", path);
			if (rump_sys_chown(path, uid, gid) != 0)
				die("chown", path);
			if (rump_sys_chmod(path, mode) != 0)
				die("chmod", path);
			if (ndt == capdt) {
				capdt = capdt ? capdt * 2 : 256;
				dirs = realloc(dirs, capdt * sizeof(*dirs));
				if (dirs == NULL)
					die("realloc", NULL);
			}
			dirs[ndt].path = strdup(path);
			dirs[ndt].mtime = mtime;
			ndt++;
			ndirs++;
			break;
		case '2':
			memcpy(target, h + 157, 100);
			target[100] = '\0';
			if (rump_sys_symlink(target, path) != 0)
				die("symlink", path);
			if (rump_sys_lchown(path, uid, gid) != 0)
				die("lchown", path);
			if (rump_sys_utimensat(AT_FDCWD, path, ts,
			    AT_SYMLINK_NOFOLLOW) != 0)
				die("utimensat", path);
			nlinks++;
			break;
		case '1':
			snprintf(target, sizeof(target), MNT "/%.100s",
			    (const char *)h + 157);
			if (rump_sys_link(target, path) != 0)
				die("link", path);
			nlinks++;
			break;
		default:
			nskipped++;
			break;
		}
		off += (size_t)((len + 511) / 512 * 512);
	}
	/* Directory times last, deepest first, as tar does. */
	for (i = ndt; i-- > 0; ) {
		ts[0].tv_sec = ts[1].tv_sec = dirs[i].mtime;
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		if (rump_sys_utimensat(AT_FDCWD, dirs[i].path, ts, 0) != 0)
			die("utimensat", dirs[i].path);
		free(dirs[i].path);
	}
	free(dirs);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	const char *fstype = argc > 3 ? argv[3] : "ext2";
	unsigned char *tar;
	struct stat st;
	double t0, t1;
	size_t got;
	int fd, error;

	if (argc < 3) {
		fprintf(stderr, "usage: ext2_untar IMAGE TARBALL [FSTYPE]\n");
		return 2;
	}
	fd = open(argv[2], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) != 0)
		die("open", argv[2]);
	tar = malloc((size_t)st.st_size + 1);
	if (tar == NULL)
		die("malloc", NULL);
	for (got = 0; got < (size_t)st.st_size; ) {
		ssize_t n = read(fd, tar + got, (size_t)st.st_size - got);

		if (n <= 0)
			die("read", argv[2]);
		got += (size_t)n;
	}
	close(fd);

	if ((error = rump_init()) != 0) {
		errno = error;
		die("rump_init", NULL);
	}
	if (rump_sys_mkdir(MNT, 0755) != 0)
		die("mkdir", MNT);
	if ((error = rump_pub_etfs_register(DEV, argv[1], RUMP_ETFS_BLK)) !=
	    0) {
		errno = error;
		die("etfs_register", argv[1]);
	}
	rump_sys_umask(0);

	t0 = now();
	if (rump_sys_mount(DEV, MNT, fstype, 0, NULL) != 0)
		die("mount", argv[1]);
	extract(tar, got);
	if (rump_sys_umount2(MNT, 0) != 0)
		die("umount", MNT);
	t1 = now();

	if (rump_pub_etfs_remove(DEV) != 0)
		die("etfs_remove", DEV);
	rump_sys_reboot(0xfee1dead, 672274793, 0xcdef0123, NULL);
	fprintf(stderr, "ext2_untar: %lu files (%llu bytes), %lu "
	    "directories, %lu links, %lu skipped\n", nfiles, nbytes, ndirs,
	    nlinks, nskipped);
	printf("%.3f\n", t1 - t0);
	free(tar);
	return 0;
}
