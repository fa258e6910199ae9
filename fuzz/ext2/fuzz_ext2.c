/*
 * fuzz_ext2.c: a libFuzzer target over the ext2 driver's mount-and-walk
 * path (make fuzz; fuzz/ext2/fuzz.mk).
 *
 * An input is a whole image (its size rounded down to 1 KiB, at most
 * 4 MiB).  The rump kernel boots once; for each input the image is
 * written to a host file, registered as the block device /dev/xbd0,
 * mounted (read-write, else read-only; as ext4, the most permissive
 * name), walked (getdents, lstat, read, readlink, the extended
 * attributes' names and values, bounded in depth and count), written a
 * little when read-write (create, write, mkdir, rename, symlink, unlink,
 * truncate, set and remove attributes), unmounted and unregistered.  Every
 * outcome but a crash, a sanitizer report or a timeout (libFuzzer's
 * -timeout) is fine: errno values are t_ext2_corrupt's business.
 *
 * The seeds (made by make fuzz in $(BUILD)/fuzz/ext2-seeds) are small
 * images from mke2fs -t ext2/ext3/ext4 with a few files and extended
 * attributes (in the inode and in a block); E3_CORPUS_DIR
 * of t_ext2_corrupt writes its mutated images there too.
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
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>

#define MNT "/mnt"
#define DEV "/dev/xbd0"
#define MAXIMG (4u << 20)

static char imgpath[64];
static int walked;

struct dent {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* The names of p's attributes and each one's value. */
static void
walk_xattrs(const char *p)
{
	static char names[4096], val[65536];
	long len, off;

	len = rump_sys_llistxattr(p, names, sizeof(names));
	if (len <= 0 || names[len - 1] != '\0')
		return;
	for (off = 0; off < len; off += (long)strlen(names + off) + 1)
		rump_sys_lgetxattr(p, names + off, val, sizeof(val));
}

static void
walk(const char *path, int depth)
{
	static char buf[16384];
	char dbuf[2048], p[1024];
	struct stat st;
	long len, off;
	int fd, fd2, rounds = 0, n;

	if (depth > 8)
		return;
	fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return;
	while (rounds++ < 200 && walked < 500 &&
	    (len = rump_sys_getdents64(fd, dbuf, sizeof(dbuf))) > 0) {
		for (off = 0; off < len; ) {
			struct dent *d = (struct dent *)(void *)(dbuf + off);

			if (d->d_reclen == 0)
				abort();	/* a broken getdents */
			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			walked++;
			snprintf(p, sizeof(p), "%s/%s", path, d->d_name);
			if (rump_sys_lstat(p, &st) != 0)
				continue;
			walk_xattrs(p);
			if (S_ISDIR(st.st_mode)) {
				walk(p, depth + 1);
			} else if (S_ISLNK(st.st_mode)) {
				rump_sys_readlink(p, buf, sizeof(buf));
			} else if (S_ISREG(st.st_mode)) {
				fd2 = rump_sys_open(p, O_RDONLY);
				if (fd2 < 0)
					continue;
				for (n = 0; n < 16; n++)
					if (rump_sys_read(fd2, buf,
					    sizeof(buf)) <= 0)
						break;
				if (st.st_size > 4096)
					rump_sys_pread(fd2, buf, 4096,
					    st.st_size - 4096);
				rump_sys_close(fd2);
			}
		}
	}
	rump_sys_close(fd);
}

static void
scribble(void)
{
	static char buf[5000];
	int fd;

	fd = rump_sys_open(MNT "/fz", O_RDWR | O_CREAT, 0644);
	if (fd >= 0) {
		rump_sys_fsetxattr(fd, "user.fz", buf, 20, 0);
		rump_sys_fsetxattr(fd, "user.fzbig", buf, 900, 0);
		rump_sys_fremovexattr(fd, "user.fz");
		rump_sys_write(fd, buf, sizeof(buf));
		rump_sys_pwrite(fd, buf, 10, 1 << 20);
		rump_sys_ftruncate(fd, 100);
		rump_sys_close(fd);
	}
	rump_sys_mkdir(MNT "/fzd", 0755);
	rump_sys_rename(MNT "/fz", MNT "/fzd/fz");
	rump_sys_symlink("fz", MNT "/fzd/fzl");
	rump_sys_unlink(MNT "/fzd/fz");
	rump_sys_sync();
}

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd;

	(void)argc;
	(void)argv;
	snprintf(imgpath, sizeof(imgpath), "/dev/shm/fuzz_ext2.%d.img",
	    (int)getpid());
	fd = open(imgpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || rump_init() != 0 || rump_sys_mkdir(MNT, 0755) != 0) {
		fprintf(stderr, "fuzz_ext2: setup failed\n");
		exit(1);
	}
	close(fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd, rw = 1;

	size &= ~(size_t)1023;
	if (size < 2048 || size > MAXIMG)
		return 0;
	fd = open(imgpath, O_RDWR | O_TRUNC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	if (rump_pub_etfs_register(DEV, imgpath, RUMP_ETFS_BLK) != 0)
		abort();
	if (rump_sys_mount(DEV, MNT, "ext4", 0, NULL) != 0) {
		rw = 0;
		if (rump_sys_mount(DEV, MNT, "ext4", MS_RDONLY, NULL) != 0)
			rw = -1;
	}
	if (rw >= 0) {
		walked = 0;
		walk(MNT, 0);
		if (rw)
			scribble();
		if (rump_sys_umount2(MNT, 0) != 0)
			abort();	/* nothing is open: must unmount */
	}
	if (rump_pub_etfs_remove(DEV) != 0)
		abort();
	return 0;
}
