/*
 * t_tmpfs.c: tmpfs seen through the system calls: the root file system,
 * a second tmpfs mounted with options (size=, nr_inodes=, mode=, uid=,
 * gid=, bad ones), block and inode accounting in statfs, ENOSPC and short
 * writes at the size limit, sparse files, truncation, big directories,
 * readdir positions that survive changes, unlinked open files, link
 * counts across renames, the largest file, and the kernel's memory limit.
 *
 * Check runs each test in a child process of its own: each boots its own
 * kernel (some with RUMP_MEMLIMIT set) and halts it, and a DIAGNOSTIC
 * kernel panics at the halt if any kernel memory was not given back, so
 * every test also checks that tmpfs frees what it took.
 *
 * The expected numbers are Linux's tmpfs's (checked on a Linux 6 host):
 * blocks of 4 KiB, size= rounded up to blocks, the root counting as one
 * inode and each extra hard link as one more, directories 20 bytes per
 * entry plus 40, symbolic links of 128 bytes or more taking a block.
 */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#endif

/* linux/reboot.h */
#define MAGIC1 0xfee1dead
#define MAGIC2 672274793
#define CMD_HALT 0xcdef0123

#define BLK 4096
#define TIB (1ULL << 40)
/* tmpfs's largest file (TMPFS_MAXFILESIZE in sys/fs/tmpfs/tmpfs.h). */
#define TMPFS_MAXFILE (1LL << 57)
#define TMPFS_LINKMAX 32767

/* A rump_sys_* call that must fail with errno e. */
#define ck_assert_fails(call, e) do { \
	errno = 0; \
	ck_assert_int_eq((long)(call), -1); \
	ck_assert_msg(errno == (e), #call ": errno %d (%s), expected %d (%s)", \
	    errno, strerror(errno), (e), strerror(e)); \
} while (0)

/* A rump_sys_* call that must succeed (>= 0); its value. */
#define OK(call) ok_((long)(call), #call, __LINE__)

static long
ok_(long r, const char *what, int line)
{

	ck_assert_msg(r >= 0, "line %d: %s: %s", line, what, strerror(errno));
	return r;
}

static void
boot_with(const char *memlimit)
{
	int error;

	if (memlimit != NULL)
		setenv("RUMP_MEMLIMIT", memlimit, 1);
	else
		unsetenv("RUMP_MEMLIMIT");
	error = rump_init();
	ck_assert_msg(error == 0, "rump_init: %s", strerror(error));
}

static void
boot(void)
{

	boot_with(NULL);
}

static void
halt(void)
{

	ck_assert_int_eq(rump_sys_reboot(MAGIC1, MAGIC2, CMD_HALT, NULL), 0);
}

/* mkdir path and mount a tmpfs with opts on it. */
static int
mount_tmpfs(const char *path, const char *opts)
{

	(void)rump_sys_mkdir(path, 0755);
	return rump_sys_mount("tmpfs", path, "tmpfs", 0, opts);
}

static void
statfs_of(const char *path, struct statfs *sf)
{

	memset(sf, 0, sizeof(*sf));
	OK(rump_sys_statfs(path, sf));
}

static uint64_t
bfree(const char *path)
{
	struct statfs sf;

	statfs_of(path, &sf);
	return sf.f_bfree;
}

static void
stat_of(const char *path, struct stat *st)
{

	memset(st, 0, sizeof(*st));
	OK(rump_sys_lstat(path, st));
}

static int
creat_file(const char *path)
{

	return rump_sys_open(path, O_CREAT | O_RDWR | O_EXCL, 0644);
}

static void
touch(const char *path)
{

	OK(rump_sys_close(OK(creat_file(path))));
}

static void
fill(char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (char)('a' + (i * 7 + seed) % 26);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The names in directory fd from its current position to the end (or
 * max calls of getdents64 with a buffer of bufsize), appended to names
 * (an array of max strings).  Returns the count.
 */
struct dirent64_rec {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int
read_names(int fd, size_t bufsize, char names[][32], int max, int calls)
{
	char buf[8192];
	struct dirent64_rec *d;
	long n, off;
	int count = 0;

	ck_assert(bufsize <= sizeof(buf));
	while (calls-- != 0) {
		n = OK(rump_sys_getdents64(fd, buf, bufsize));
		if (n == 0)
			break;
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dirent64_rec *)(void *)(buf + off);
			ck_assert(d->d_reclen % 8 == 0 && d->d_reclen > 0);
			ck_assert_int_lt(count, max);
			snprintf(names[count++], 32, "%s", d->d_name);
		}
	}
	return count;
}

/*
 * The root file system.
 */

START_TEST(root_is_a_tmpfs)
{
	struct statfs sf;
	struct stat st;

	boot();
	statfs_of("/", &sf);
	ck_assert_int_eq(sf.f_type, TMPFS_MAGIC);
	ck_assert_int_eq(sf.f_bsize, BLK);
	ck_assert_int_eq(sf.f_namelen, 255);
	stat_of("/", &st);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_ge(st.st_nlink, 2);
	halt();
}
END_TEST

START_TEST(mounted_tmpfs_root_defaults_to_1777_owned_by_mounter)
{
	struct stat st;

	boot();
	OK(mount_tmpfs("/mnt", NULL));
	stat_of("/mnt", &st);
	ck_assert_int_eq(st.st_mode, S_IFDIR | 01777);
	ck_assert_int_eq(st.st_uid, 0);
	ck_assert_int_eq(st.st_gid, 0);
	ck_assert_int_eq(st.st_nlink, 2);
	ck_assert_int_eq(st.st_size, 40);
	ck_assert_int_eq(st.st_ino, 1);		/* as Linux numbers them */
	touch("/mnt/a");
	stat_of("/mnt/a", &st);
	ck_assert_int_eq(st.st_ino, 2);
	OK(rump_sys_unlink("/mnt/a"));
	OK(rump_sys_umount2("/mnt", 0));
	halt();
}
END_TEST

START_TEST(mode_uid_gid_options_set_the_root)
{
	struct stat st;

	boot();
	OK(mount_tmpfs("/mnt", "mode=0750,uid=1234,gid=0x10"));
	stat_of("/mnt", &st);
	ck_assert_int_eq(st.st_mode, S_IFDIR | 0750);
	ck_assert_int_eq(st.st_uid, 1234);
	ck_assert_int_eq(st.st_gid, 16);
	OK(rump_sys_umount2("/mnt", 0));
	OK(mount_tmpfs("/mnt", "mode=4755"));
	stat_of("/mnt", &st);
	ck_assert_int_eq(st.st_mode, S_IFDIR | 04755);
	OK(rump_sys_umount2("/mnt", 0));
	halt();
}
END_TEST

START_TEST(bad_options_fail_EINVAL)
{
	static const char *const bad[] = {
		"size=abc", "size=10x", "bogus=1", "mode=999", "uid=-1",
		"nr_inodes=1%", "size", "uid=4294967295", "mode=", "size=",
		"gid=abc", "size=-5", "nr_inodes=99999999999999999999",
		"size=16777216e",
	};
	static const char *const good[] = {
		"size=0x10000", "nr_inodes=1k", "uid=0x10", "size=1m,,mode=700",
		"size=0", "nr_inodes=0", "",
	};
	size_t i;

	boot();
	OK(rump_sys_mkdir("/mnt", 0755));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_msg(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0,
		    bad[i]) == -1 && errno == EINVAL,
		    "mount -o %s: errno %d", bad[i], errno);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ck_assert_msg(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0,
		    good[i]) == 0, "mount -o %s: %s", good[i], strerror(errno));
		OK(rump_sys_umount2("/mnt", 0));
	}
	halt();
}
END_TEST


START_TEST(size_defaults_to_half_the_memory_limit_and_takes_percents)
{
	struct statfs sf;

	boot_with("32m");
	statfs_of("/", &sf);
	ck_assert_int_eq(sf.f_blocks, (16 << 20) / BLK);
	OK(mount_tmpfs("/mnt", "size=25%"));
	statfs_of("/mnt", &sf);
	ck_assert_int_eq(sf.f_blocks, (8 << 20) / BLK);
	OK(rump_sys_umount2("/mnt", 0));
	OK(mount_tmpfs("/mnt", "size=2m,nr_inodes=1k"));
	statfs_of("/mnt", &sf);
	ck_assert_int_eq(sf.f_blocks, 512);
	ck_assert_int_eq(sf.f_files, 1024);
	ck_assert_int_eq(sf.f_ffree, 1023);
	OK(rump_sys_umount2("/mnt", 0));
	halt();
}
END_TEST

/*
 * Blocks: size=.
 */

START_TEST(statfs_counts_blocks_of_a_64k_mount)
{
	char buf[3 * BLK + 1];
	struct statfs sf;
	struct stat st;
	int fd;

	boot();
	OK(mount_tmpfs("/mnt", "size=64k"));
	statfs_of("/mnt", &sf);
	ck_assert_int_eq(sf.f_type, TMPFS_MAGIC);
	ck_assert_int_eq(sf.f_bsize, BLK);
	ck_assert_int_eq(sf.f_frsize, BLK);
	ck_assert_int_eq(sf.f_blocks, 16);
	ck_assert_int_eq(sf.f_bfree, 16);
	ck_assert_int_eq(sf.f_bavail, 16);
	ck_assert_int_eq(sf.f_namelen, 255);
	fd = OK(creat_file("/mnt/f"));
	fill(buf, sizeof(buf), 1);
	ck_assert_int_eq(rump_sys_write(fd, buf, sizeof(buf)), sizeof(buf));
	ck_assert_int_eq(bfree("/mnt"), 12);
	OK(rump_sys_fstat(fd, &st));
	ck_assert_int_eq(st.st_blocks, 4 * BLK / 512);
	ck_assert_int_eq(st.st_blksize, BLK);
	ck_assert_int_eq(st.st_size, sizeof(buf));
	OK(rump_sys_ftruncate(fd, BLK));
	ck_assert_int_eq(bfree("/mnt"), 15);
	OK(rump_sys_close(fd));
	OK(rump_sys_unlink("/mnt/f"));
	ck_assert_int_eq(bfree("/mnt"), 16);
	/* Sizes round up to whole blocks. */
	OK(rump_sys_umount2("/mnt", 0));
	OK(mount_tmpfs("/mnt", "size=5000"));
	statfs_of("/mnt", &sf);
	ck_assert_int_eq(sf.f_blocks, 2);
	OK(rump_sys_umount2("/mnt", 0));
	halt();
}
END_TEST

START_TEST(filling_a_64k_mount_gives_a_short_write_then_ENOSPC)
{
	static char buf[100000], back[100000];
	int fd, fd2;

	boot();
	OK(mount_tmpfs("/mnt", "size=64k"));
	fd = OK(creat_file("/mnt/f"));
	fill(buf, sizeof(buf), 2);
	ck_assert_int_eq(rump_sys_write(fd, buf, sizeof(buf)), 65536);
	ck_assert_fails(rump_sys_write(fd, buf, 1), ENOSPC);
	ck_assert_int_eq(bfree("/mnt"), 0);
	/* What went in is intact; the file did not grow past it. */
	ck_assert_int_eq(rump_sys_pread(fd, back, sizeof(back), 0), 65536);
	ck_assert(memcmp(buf, back, 65536) == 0);
	/* Rewriting allocated blocks still works when full. */
	ck_assert_int_eq(rump_sys_pwrite(fd, "XY", 2, 100), 2);
	/* A hole cannot be filled. */
	OK(rump_sys_ftruncate(fd, 200000));
	ck_assert_fails(rump_sys_pwrite(fd, "z", 1, 150000), ENOSPC);
	/* An empty file needs no block; its first byte does. */
	fd2 = OK(creat_file("/mnt/g"));
	ck_assert_fails(rump_sys_write(fd2, "x", 1), ENOSPC);
	OK(rump_sys_close(fd2));
	OK(rump_sys_unlink("/mnt/g"));
	OK(rump_sys_close(fd));
	OK(rump_sys_unlink("/mnt/f"));
	ck_assert_int_eq(bfree("/mnt"), 16);
	halt();
}
END_TEST

START_TEST(unlinked_open_file_keeps_its_data_until_closed)
{
	char buf[8 * BLK], back[8 * BLK];
	struct stat st;
	int fd;

	boot();
	OK(mount_tmpfs("/mnt", "size=64k"));
	fd = OK(creat_file("/mnt/f"));
	fill(buf, sizeof(buf), 3);
	ck_assert_int_eq(rump_sys_write(fd, buf, sizeof(buf)), sizeof(buf));
	OK(rump_sys_unlink("/mnt/f"));
	ck_assert_fails(rump_sys_lstat("/mnt/f", &st), ENOENT);
	OK(rump_sys_fstat(fd, &st));
	ck_assert_int_eq(st.st_nlink, 0);
	ck_assert_int_eq(bfree("/mnt"), 8);
	memset(back, 0, sizeof(back));
	ck_assert_int_eq(rump_sys_pread(fd, back, sizeof(back), 0),
	    sizeof(back));
	ck_assert(memcmp(buf, back, sizeof(buf)) == 0);
	/* Still writable. */
	ck_assert_int_eq(rump_sys_pwrite(fd, buf, BLK, sizeof(buf)), BLK);
	ck_assert_int_eq(bfree("/mnt"), 7);
	OK(rump_sys_close(fd));
	ck_assert_int_eq(bfree("/mnt"), 16);
	OK(rump_sys_umount2("/mnt", 0));
	halt();
}
END_TEST

/*
 * Inodes: nr_inodes=.
 */

START_TEST(nr_inodes_limit_makes_create_fail_ENOSPC)
{
	struct statfs sf;

	boot();
	OK(mount_tmpfs("/mnt", "nr_inodes=4"));
	statfs_of("/mnt", &sf);
	ck_assert_int_eq(sf.f_files, 4);
	ck_assert_int_eq(sf.f_ffree, 3);	/* the root is one */
	ck_assert_int_eq(sf.f_blocks, 0);	/* size not limited */
	touch("/mnt/a");
	touch("/mnt/b");
	OK(rump_sys_link("/mnt/a", "/mnt/c"));	/* a link takes one too */
	statfs_of("/mnt", &sf);
	ck_assert_int_eq(sf.f_ffree, 0);
	ck_assert_fails(creat_file("/mnt/d"), ENOSPC);
	ck_assert_fails(rump_sys_mkdir("/mnt/d", 0755), ENOSPC);
	ck_assert_fails(rump_sys_symlink("a", "/mnt/d"), ENOSPC);
	ck_assert_fails(rump_sys_mknod("/mnt/d", S_IFIFO | 0644, 0), ENOSPC);
	ck_assert_fails(rump_sys_link("/mnt/b", "/mnt/d"), ENOSPC);
	OK(rump_sys_unlink("/mnt/c"));
	touch("/mnt/d");
	OK(rump_sys_unlink("/mnt/a"));
	OK(rump_sys_unlink("/mnt/b"));
	OK(rump_sys_unlink("/mnt/d"));
	statfs_of("/mnt", &sf);
	ck_assert_int_eq(sf.f_ffree, 3);
	halt();
}
END_TEST

/*
 * Files.
 */

START_TEST(sparse_file_of_1TiB_uses_almost_no_memory)
{
	char buf[BLK], zero[BLK];
	struct stat st;
	uint64_t before;
	int fd;

	boot_with("32m");
	before = bfree("/");
	fd = OK(creat_file("/sparse"));
	OK(rump_sys_ftruncate(fd, (off_t)TIB));
	ck_assert_int_eq(rump_sys_pwrite(fd, "A", 1, (off_t)TIB - 1), 1);
	ck_assert_int_eq(rump_sys_pwrite(fd, "B", 1, (off_t)TIB / 2), 1);
	ck_assert_int_eq(rump_sys_pwrite(fd, "C", 1, 0), 1);
	OK(rump_sys_fstat(fd, &st));
	ck_assert_int_eq(st.st_size, (off_t)TIB);
	ck_assert_int_eq(st.st_blocks, 3 * BLK / 512);
	ck_assert_int_eq(before - bfree("/"), 3);
	memset(zero, 0, sizeof(zero));
	ck_assert_int_eq(rump_sys_pread(fd, buf, BLK, (off_t)TIB / 3), BLK);
	ck_assert(memcmp(buf, zero, BLK) == 0);
	ck_assert_int_eq(rump_sys_pread(fd, buf, BLK, (off_t)TIB - 2), 2);
	ck_assert(buf[0] == 0 && buf[1] == 'A');
	ck_assert_int_eq(rump_sys_pread(fd, buf, 2, (off_t)TIB / 2), 2);
	ck_assert(buf[0] == 'B' && buf[1] == 0);
	ck_assert_int_eq(rump_sys_pread(fd, buf, 1, (off_t)TIB), 0);
	OK(rump_sys_close(fd));
	OK(rump_sys_unlink("/sparse"));
	ck_assert_int_eq(bfree("/"), before);
	halt();
}
END_TEST

START_TEST(truncate_shrinking_then_growing_reads_zeros)
{
	char buf[3 * BLK], back[3 * BLK];
	int fd, i;

	boot();
	fd = OK(creat_file("/f"));
	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(rump_sys_write(fd, buf, sizeof(buf)), sizeof(buf));
	OK(rump_sys_ftruncate(fd, 100));		/* in the first page */
	OK(rump_sys_ftruncate(fd, sizeof(buf)));
	ck_assert_int_eq(rump_sys_pread(fd, back, sizeof(back), 0),
	    sizeof(back));
	for (i = 0; i < (int)sizeof(back); i++)
		ck_assert_msg(back[i] == (i < 100 ? 'x' : 0), "byte %d: %d", i,
		    back[i]);
	/* Across a page boundary, then through truncate(2). */
	ck_assert_int_eq(rump_sys_pwrite(fd, buf, sizeof(buf), 0),
	    sizeof(buf));
	OK(rump_sys_truncate("/f", BLK + 10));
	OK(rump_sys_truncate("/f", 2 * BLK + 10));
	ck_assert_int_eq(rump_sys_pread(fd, back, sizeof(back), 0),
	    2 * BLK + 10);
	for (i = 0; i < 2 * BLK + 10; i++)
		ck_assert_msg(back[i] == (i < BLK + 10 ? 'x' : 0),
		    "byte %d: %d", i, back[i]);
	/* To zero and back. */
	OK(rump_sys_ftruncate(fd, 0));
	OK(rump_sys_ftruncate(fd, 50));
	ck_assert_int_eq(rump_sys_pread(fd, back, sizeof(back), 0), 50);
	for (i = 0; i < 50; i++)
		ck_assert_int_eq(back[i], 0);
	OK(rump_sys_close(fd));
	halt();
}
END_TEST

START_TEST(write_past_the_largest_file_fails_EFBIG)
{
	struct stat st;
	int fd;

	boot();
	fd = OK(creat_file("/f"));
	ck_assert_fails(rump_sys_pwrite(fd, "ab", 2, TMPFS_MAXFILE), EFBIG);
	ck_assert_int_eq(rump_sys_pwrite(fd, "ab", 2, TMPFS_MAXFILE - 1), 1);
	OK(rump_sys_fstat(fd, &st));
	ck_assert_int_eq(st.st_size, TMPFS_MAXFILE);
	ck_assert_int_eq(st.st_blocks, BLK / 512);
	ck_assert_fails(rump_sys_ftruncate(fd, TMPFS_MAXFILE + 1), EFBIG);
	OK(rump_sys_ftruncate(fd, 0));
	OK(rump_sys_close(fd));
	halt();
}
END_TEST

START_TEST(mknod_makes_devices_fifos_and_sockets)
{
	struct stat st;

	boot();
	OK(rump_sys_mknod("/c", S_IFCHR | 0600, makedev(1, 3)));
	OK(rump_sys_mknod("/b", S_IFBLK | 0600, makedev(259, 70000)));
	OK(rump_sys_mknod("/p", S_IFIFO | 0644, 0));
	OK(rump_sys_mknod("/s", S_IFSOCK | 0644, 0));
	OK(rump_sys_mknod("/r", S_IFREG | 0644, 0));
	stat_of("/c", &st);
	ck_assert_int_eq(st.st_mode, S_IFCHR | 0600);
	ck_assert_int_eq(st.st_rdev, makedev(1, 3));
	stat_of("/b", &st);
	ck_assert_int_eq(st.st_mode, S_IFBLK | 0600);
	ck_assert_int_eq(major(st.st_rdev), 259);
	ck_assert_int_eq(minor(st.st_rdev), 70000);
	stat_of("/p", &st);
	ck_assert(S_ISFIFO(st.st_mode));
	stat_of("/s", &st);
	ck_assert(S_ISSOCK(st.st_mode));
	stat_of("/r", &st);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_size, 0);
	halt();
}
END_TEST

START_TEST(symlink_keeps_its_target_and_long_ones_take_a_block)
{
	char target[201], back[300];
	struct stat st;
	uint64_t before;

	boot();
	OK(mount_tmpfs("/mnt", "size=64k"));
	memset(target, 'y', 200);
	target[200] = '\0';
	before = bfree("/mnt");
	OK(rump_sys_symlink(target, "/mnt/long"));
	OK(rump_sys_symlink("x/y", "/mnt/short"));
	stat_of("/mnt/long", &st);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(st.st_size, 200);
	ck_assert_int_eq(st.st_blocks, 8);
	ck_assert_int_eq(before - bfree("/mnt"), 1);
	stat_of("/mnt/short", &st);
	ck_assert_int_eq(st.st_size, 3);
	ck_assert_int_eq(st.st_blocks, 0);
	ck_assert_int_eq(rump_sys_readlink("/mnt/long", back, sizeof(back)),
	    200);
	ck_assert(memcmp(back, target, 200) == 0);
	ck_assert_int_eq(rump_sys_readlink("/mnt/short", back, 2), 2);
	ck_assert(memcmp(back, "x/", 2) == 0);
	OK(rump_sys_unlink("/mnt/long"));
	ck_assert_int_eq(bfree("/mnt"), before);
	halt();
}
END_TEST

START_TEST(link_past_the_limit_fails_EMLINK)
{
	char name[32];
	struct stat st;
	int i;

	boot();
	OK(rump_sys_mkdir("/d", 0755));
	touch("/d/f");
	for (i = 1; i < TMPFS_LINKMAX; i++) {
		snprintf(name, sizeof(name), "/d/l%d", i);
		ck_assert_msg(rump_sys_link("/d/f", name) == 0, "link %d: %s",
		    i, strerror(errno));
	}
	stat_of("/d/f", &st);
	ck_assert_int_eq(st.st_nlink, TMPFS_LINKMAX);
	ck_assert_fails(rump_sys_link("/d/f", "/d/one_more"), EMLINK);
	OK(rump_sys_unlink("/d/l1"));
	OK(rump_sys_link("/d/f", "/d/one_more"));
	halt();
}
END_TEST

/*
 * Directories.
 */

START_TEST(directory_size_and_links_follow_entries)
{
	struct stat st;

	boot();
	OK(mount_tmpfs("/mnt", NULL));
	OK(rump_sys_mkdir("/mnt/d", 0755));
	touch("/mnt/f");
	stat_of("/mnt", &st);
	ck_assert_int_eq(st.st_size, 80);
	ck_assert_int_eq(st.st_nlink, 3);
	stat_of("/mnt/d", &st);
	ck_assert_int_eq(st.st_size, 40);
	ck_assert_int_eq(st.st_nlink, 2);
	ck_assert_int_eq(st.st_blocks, 0);
	ck_assert_fails(rump_sys_rmdir("/mnt"), EBUSY);
	touch("/mnt/d/x");
	ck_assert_fails(rump_sys_rmdir("/mnt/d"), ENOTEMPTY);
	OK(rump_sys_unlink("/mnt/d/x"));
	OK(rump_sys_rmdir("/mnt/d"));
	stat_of("/mnt", &st);
	ck_assert_int_eq(st.st_nlink, 2);
	ck_assert_int_eq(st.st_size, 60);
	halt();
}
END_TEST

#define NBIG 10000
static char bignames[NBIG + 2][32];

START_TEST(ten_thousand_files_in_one_directory_stay_fast)
{
	char name[32];
	struct stat st;
	double t0, t;
	int fd, i, n;
	static bool seen[NBIG];

	boot();
	OK(rump_sys_mkdir("/big", 0755));
	t0 = now_s();
	for (i = 0; i < NBIG; i++) {
		snprintf(name, sizeof(name), "/big/file%05d", i);
		OK(rump_sys_close(OK(creat_file(name))));
	}
	for (i = 0; i < NBIG; i += 97) {
		snprintf(name, sizeof(name), "/big/file%05d", i);
		stat_of(name, &st);
		ck_assert(S_ISREG(st.st_mode));
	}
	fd = OK(rump_sys_open("/big", O_RDONLY | O_DIRECTORY));
	n = read_names(fd, 4096, bignames, NBIG + 2, -1);
	OK(rump_sys_close(fd));
	ck_assert_int_eq(n, NBIG + 2);
	for (i = 0; i < n; i++) {
		if (strncmp(bignames[i], "file", 4) != 0)
			continue;
		int k = atoi(bignames[i] + 4);
		ck_assert(k >= 0 && k < NBIG && !seen[k]);
		seen[k] = true;
	}
	for (i = 0; i < NBIG; i++) {
		snprintf(name, sizeof(name), "/big/file%05d", i);
		OK(rump_sys_unlink(name));
	}
	OK(rump_sys_rmdir("/big"));
	t = now_s() - t0;
	/* Linear per entry: a second or two even in a sanitizer build;
	 * a quadratic directory would take minutes. */
	ck_assert_msg(t < 30.0, "10,000 files took %.1f s", t);
	halt();
}
END_TEST

#define NRD 300
static char rdnames[4 * NRD][32];

START_TEST(readdir_never_repeats_or_skips_a_surviving_entry)
{
	char name[64];
	static int seen[NRD];		/* times each original was seen */
	static bool removed[NRD];
	int fd, i, n, got, round = 0, added = 0, total = 0;

	boot();
	OK(rump_sys_mkdir("/d", 0755));
	for (i = 0; i < NRD; i++) {
		snprintf(name, sizeof(name), "/d/o%03d", i);
		touch(name);
	}
	fd = OK(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	do {
		/* A small buffer: a few entries per call. */
		got = read_names(fd, 256, rdnames + total,
		    4 * NRD - total, 1);
		for (i = total; i < total + got; i++) {
			if (rdnames[i][0] == 'o') {
				n = atoi(rdnames[i] + 1);
				seen[n]++;
			}
		}
		total += got;
		/* Between calls: remove some entries (seen or not) and
		 * add new ones. */
		for (i = round * 7 % NRD; i < NRD; i += 29) {
			if (removed[i])
				continue;
			snprintf(name, sizeof(name), "/d/o%03d", i);
			OK(rump_sys_unlink(name));
			removed[i] = true;
			break;
		}
		/* (Not for ever: each new name would come in the next
		 * call, the end never reached.) */
		if (round < NRD / 10) {
			snprintf(name, sizeof(name), "/d/new%04d", added++);
			touch(name);
		}
		round++;
	} while (got > 0);
	OK(rump_sys_close(fd));
	for (i = 0; i < NRD; i++) {
		ck_assert_msg(seen[i] <= 1, "o%03d seen %d times", i, seen[i]);
		if (!removed[i])
			ck_assert_msg(seen[i] == 1, "o%03d skipped", i);
	}
	/* No name at all came twice. */
	for (i = 0; i < total; i++)
		for (n = i + 1; n < total; n++)
			ck_assert_msg(strcmp(rdnames[i], rdnames[n]) != 0,
			    "%s twice", rdnames[i]);
	halt();
}
END_TEST

START_TEST(readdir_gives_dot_dotdot_and_EINVAL_for_a_tiny_buffer)
{
	char buf[512];
	char names[8][32];
	struct stat st, pst;
	struct dirent64_rec *d;
	int fd, n;

	boot();
	OK(rump_sys_mkdir("/d", 0755));
	touch("/d/a");
	fd = OK(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_fails(rump_sys_getdents64(fd, buf, 10), EINVAL);
	n = OK(rump_sys_getdents64(fd, buf, sizeof(buf)));
	d = (struct dirent64_rec *)(void *)buf;
	stat_of("/d", &st);
	stat_of("/", &pst);
	ck_assert_str_eq(d->d_name, ".");
	ck_assert_int_eq(d->d_ino, st.st_ino);
	ck_assert_int_eq(d->d_type, 4);
	d = (struct dirent64_rec *)(void *)(buf + d->d_reclen);
	ck_assert_str_eq(d->d_name, "..");
	ck_assert_int_eq(d->d_ino, pst.st_ino);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(rump_sys_getdents64(fd, buf, sizeof(buf)), 0);
	/* Back to the start. */
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(read_names(fd, sizeof(buf), names, 8, -1), 3);
	ck_assert_str_eq(names[2], "a");
	OK(rump_sys_close(fd));
	halt();
}
END_TEST


START_TEST(readdir_offsets_are_cookies_that_lseek_resumes_at)
{
	char buf[4096], names[64][32];
	struct dirent64_rec *d;
	int64_t offs[64];
	char name[64];
	long n, off;
	int fd, i, k = 0;

	boot();
	OK(rump_sys_mkdir("/d", 0755));
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "/d/e%02d", i);
		touch(name);
	}
	fd = OK(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	n = OK(rump_sys_getdents64(fd, buf, sizeof(buf)));
	for (off = 0; off < n; off += d->d_reclen) {
		d = (struct dirent64_rec *)(void *)(buf + off);
		snprintf(names[k], 32, "%s", d->d_name);
		offs[k++] = d->d_off;
	}
	ck_assert_int_eq(k, 22);
	/* d_off of record 7 is where record 8 starts. */
	ck_assert_int_eq(rump_sys_lseek(fd, offs[7], SEEK_SET), offs[7]);
	ck_assert_int_eq(read_names(fd, 32, names + 30, 1, 1), 1);
	ck_assert_str_eq(names[30], names[8]);
	/* With record 8 gone, the same position gives record 9. */
	snprintf(name, sizeof(name), "/d/%s", names[8]);
	OK(rump_sys_unlink(name));
	ck_assert_int_eq(rump_sys_lseek(fd, offs[7], SEEK_SET), offs[7]);
	ck_assert_int_eq(read_names(fd, 32, names + 30, 1, 1), 1);
	ck_assert_str_eq(names[30], names[9]);
	OK(rump_sys_close(fd));
	halt();
}
END_TEST

#define NTHREADS 4
#define NROUNDS 300

static void *
churn(void *arg)
{
	int id = (int)(intptr_t)arg, i, fd;
	char name[64], buf[3000], back[3000];
	struct stat st;

	for (i = 0; i < NROUNDS; i++) {
		snprintf(name, sizeof(name), "/mnt/t%d_%d", id, i % 17);
		fd = rump_sys_open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);
		if (fd < 0) {
			if (errno == ENOSPC)
				continue;
			return (void *)"open";
		}
		fill(buf, sizeof(buf), (unsigned int)(id + i));
		if (rump_sys_write(fd, buf, sizeof(buf)) == (long)sizeof(buf)) {
			if (rump_sys_pread(fd, back, sizeof(back), 0) !=
			    (long)sizeof(back) || memcmp(buf, back,
			    sizeof(buf)) != 0)
				return (void *)"read back";
		}
		if (rump_sys_fstat(fd, &st) != 0)
			return (void *)"fstat";
		rump_sys_close(fd);
		if (i % 3 == 0)
			rump_sys_unlink(name);
		if (i % 5 == 0) {
			snprintf(name, sizeof(name), "/mnt/t%d_%d", id, i % 17);
			char to[64];
			snprintf(to, sizeof(to), "/mnt/r%d", id);
			(void)rump_sys_rename(name, to);
		}
	}
	return NULL;
}

static void *
lister(void *arg)
{
	char buf[1024];
	int i, fd;

	(void)arg;
	for (i = 0; i < NROUNDS / 3; i++) {
		fd = rump_sys_open("/mnt", O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			return (void *)"open dir";
		while (rump_sys_getdents64(fd, buf, sizeof(buf)) > 0)
			;
		rump_sys_close(fd);
	}
	return NULL;
}

START_TEST(threads_writing_renaming_and_listing_one_directory_agree)
{
	pthread_t t[NTHREADS + 2];
	struct statfs sf;
	void *r;
	int i;

	boot();
	OK(mount_tmpfs("/mnt", "size=128k"));
	for (i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, churn,
		    (void *)(intptr_t)i), 0);
	for (; i < NTHREADS + 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, lister, NULL), 0);
	for (i = 0; i < NTHREADS + 2; i++) {
		ck_assert_int_eq(pthread_join(t[i], &r), 0);
		ck_assert_msg(r == NULL, "thread %d: %s", i, (char *)r);
	}
	/* Remove everything: every block and inode comes back. */
	{
		char buf[4096], name[300];
		struct dirent64_rec *d;
		long n, off;
		int fd = OK(rump_sys_open("/mnt", O_RDONLY | O_DIRECTORY));

		while ((n = OK(rump_sys_getdents64(fd, buf, sizeof(buf)))) > 0)
			for (off = 0; off < n; off += d->d_reclen) {
				d = (struct dirent64_rec *)(void *)(buf + off);
				if (d->d_name[0] == '.')
					continue;
				snprintf(name, sizeof(name), "/mnt/%s",
				    d->d_name);
				OK(rump_sys_unlink(name));
			}
		OK(rump_sys_close(fd));
	}
	statfs_of("/mnt", &sf);
	ck_assert_int_eq(sf.f_bfree, 32);
	OK(rump_sys_umount2("/mnt", 0));
	halt();
}
END_TEST

/*
 * Renames.
 */

START_TEST(rename_of_a_directory_fixes_dotdot_and_link_counts)
{
	struct stat a, b, d, dd;

	boot();
	OK(rump_sys_mkdir("/a", 0755));
	OK(rump_sys_mkdir("/b", 0755));
	OK(rump_sys_mkdir("/a/d", 0755));
	OK(rump_sys_rename("/a/d", "/b/d"));
	stat_of("/a", &a);
	stat_of("/b", &b);
	stat_of("/b/d", &d);
	stat_of("/b/d/..", &dd);
	ck_assert_int_eq(a.st_nlink, 2);
	ck_assert_int_eq(b.st_nlink, 3);
	ck_assert_int_eq(dd.st_ino, b.st_ino);
	/* Onto an empty directory: replaced; onto a full one: ENOTEMPTY. */
	OK(rump_sys_mkdir("/a/e", 0755));
	OK(rump_sys_rename("/b/d", "/a/e"));
	stat_of("/a", &a);
	stat_of("/b", &b);
	ck_assert_int_eq(a.st_nlink, 3);
	ck_assert_int_eq(b.st_nlink, 2);
	stat_of("/a/e", &d);
	ck_assert_int_eq(d.st_nlink, 2);
	OK(rump_sys_mkdir("/b/full", 0755));
	touch("/b/full/x");
	ck_assert_fails(rump_sys_rename("/a/e", "/b/full"), ENOTEMPTY);
	/* Exchange a directory and a file across directories. */
	touch("/b/f");
	OK(rump_sys_renameat2(AT_FDCWD, "/a/e", AT_FDCWD, "/b/f",
	    RENAME_EXCHANGE));
	stat_of("/a", &a);
	stat_of("/b", &b);
	ck_assert_int_eq(a.st_nlink, 2);
	ck_assert_int_eq(b.st_nlink, 4);	/* full, f (a dir now) */
	stat_of("/a/e", &d);
	ck_assert(S_ISREG(d.st_mode));
	stat_of("/b/f/..", &dd);
	ck_assert_int_eq(dd.st_ino, b.st_ino);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/a/e", AT_FDCWD,
	    "/b/full/x", RENAME_NOREPLACE), EEXIST);
	/* A file over a file with other links: the count drops. */
	OK(rump_sys_link("/b/full/x", "/b/x2"));
	OK(rump_sys_rename("/a/e", "/b/x2"));
	stat_of("/b/full/x", &d);
	ck_assert_int_eq(d.st_nlink, 1);
	halt();
}
END_TEST

START_TEST(rename_within_a_directory_keeps_the_file)
{
	char buf[8];
	struct stat st1, st2;
	int fd;

	boot();
	fd = OK(creat_file("/x"));
	ck_assert_int_eq(rump_sys_write(fd, "hello", 5), 5);
	OK(rump_sys_close(fd));
	stat_of("/x", &st1);
	OK(rump_sys_rename("/x", "/y"));
	ck_assert_fails(rump_sys_lstat("/x", &st2), ENOENT);
	stat_of("/y", &st2);
	ck_assert_int_eq(st1.st_ino, st2.st_ino);
	fd = OK(rump_sys_open("/y", O_RDONLY));
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 5);
	ck_assert(memcmp(buf, "hello", 5) == 0);
	OK(rump_sys_close(fd));
	halt();
}
END_TEST

/*
 * Mounts and memory.
 */

START_TEST(unmount_frees_everything_and_busy_fails_EBUSY)
{
	char buf[BLK];
	int fd, i;

	boot();
	for (i = 0; i < 3; i++) {
		OK(mount_tmpfs("/mnt", "size=1m"));
		OK(rump_sys_mkdir("/mnt/d", 0755));
		OK(rump_sys_symlink("/mnt/d", "/mnt/l"));
		fd = OK(creat_file("/mnt/d/f"));
		fill(buf, sizeof(buf), 4);
		ck_assert_int_eq(rump_sys_write(fd, buf, BLK), BLK);
		ck_assert_fails(rump_sys_umount2("/mnt", 0), EBUSY);
		OK(rump_sys_close(fd));
		OK(rump_sys_umount2("/mnt", 0));
		ck_assert_fails(rump_sys_lstat("/mnt/d", &(struct stat){ 0 }),
		    ENOENT);
	}
	halt();
}
END_TEST

START_TEST(poll_finds_regular_files_always_ready)
{
	struct pollfd pfd;

	boot();
	pfd.fd = OK(creat_file("/f"));
	pfd.events = POLLIN | POLLOUT;
	pfd.revents = 0;
	ck_assert_int_eq(rump_sys_poll(&pfd, 1, 0), 1);
	ck_assert_int_eq(pfd.revents, POLLIN | POLLOUT);
	OK(rump_sys_close(pfd.fd));
	halt();
}
END_TEST

START_TEST(memlimit_exhaustion_gives_ENOSPC_and_the_kernel_goes_on)
{
	static char buf[1 << 20];
	char name[32];
	long r;
	int fd, i, nfiles = 0;
	bool full = false;

	boot_with("24m");
	OK(mount_tmpfs("/mnt", "size=0"));	/* only kmem limits it */
	fd = OK(creat_file("/mnt/big"));
	fill(buf, sizeof(buf), 5);
	for (i = 0; i < 64 && !full; i++) {
		r = rump_sys_write(fd, buf, sizeof(buf));
		if (r < 0) {
			ck_assert_msg(errno == ENOSPC || errno == ENOMEM,
			    "write: %s", strerror(errno));
			full = true;
		} else if (r < (long)sizeof(buf))
			full = true;		/* a short write first */
	}
	ck_assert_msg(full, "24 MiB of kernel memory held 64 MiB");
	/* Files until the names run out, too. */
	for (i = 0; i < 100000; i++) {
		snprintf(name, sizeof(name), "/mnt/f%d", i);
		r = creat_file(name);
		if (r < 0) {
			ck_assert_msg(errno == ENOSPC || errno == ENOMEM,
			    "create: %s", strerror(errno));
			break;
		}
		OK(rump_sys_close(r));
		nfiles++;
	}
	OK(rump_sys_close(fd));
	OK(rump_sys_unlink("/mnt/big"));
	for (i = 0; i < nfiles; i++) {
		snprintf(name, sizeof(name), "/mnt/f%d", i);
		OK(rump_sys_unlink(name));
	}
	/* Everything works again. */
	fd = OK(creat_file("/mnt/again"));
	ck_assert_int_eq(rump_sys_write(fd, buf, sizeof(buf)), sizeof(buf));
	OK(rump_sys_close(fd));
	OK(rump_sys_unlink("/mnt/again"));
	OK(rump_sys_umount2("/mnt", 0));
	halt();
}
END_TEST

static Suite *
tmpfs_suite(void)
{
	Suite *s = suite_create("tmpfs");
	TCase *tc;

	tc = tcase_create("mount");
	tcase_add_test(tc, root_is_a_tmpfs);
	tcase_add_test(tc, mounted_tmpfs_root_defaults_to_1777_owned_by_mounter);
	tcase_add_test(tc, mode_uid_gid_options_set_the_root);
	tcase_add_test(tc, bad_options_fail_EINVAL);
	tcase_add_test(tc,
	    size_defaults_to_half_the_memory_limit_and_takes_percents);
	tcase_add_test(tc, unmount_frees_everything_and_busy_fails_EBUSY);
	suite_add_tcase(s, tc);

	tc = tcase_create("space");
	tcase_add_test(tc, statfs_counts_blocks_of_a_64k_mount);
	tcase_add_test(tc,
	    filling_a_64k_mount_gives_a_short_write_then_ENOSPC);
	tcase_add_test(tc, unlinked_open_file_keeps_its_data_until_closed);
	tcase_add_test(tc, nr_inodes_limit_makes_create_fail_ENOSPC);
	tcase_add_test(tc,
	    memlimit_exhaustion_gives_ENOSPC_and_the_kernel_goes_on);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, sparse_file_of_1TiB_uses_almost_no_memory);
	tcase_add_test(tc, truncate_shrinking_then_growing_reads_zeros);
	tcase_add_test(tc, write_past_the_largest_file_fails_EFBIG);
	tcase_add_test(tc, mknod_makes_devices_fifos_and_sockets);
	tcase_add_test(tc, symlink_keeps_its_target_and_long_ones_take_a_block);
	tcase_add_test(tc, link_past_the_limit_fails_EMLINK);
	tcase_add_test(tc, poll_finds_regular_files_always_ready);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("directories");
	tcase_add_test(tc, directory_size_and_links_follow_entries);
	tcase_add_test(tc, ten_thousand_files_in_one_directory_stay_fast);
	tcase_add_test(tc, readdir_never_repeats_or_skips_a_surviving_entry);
	tcase_add_test(tc,
	    readdir_gives_dot_dotdot_and_EINVAL_for_a_tiny_buffer);
	tcase_add_test(tc, rename_of_a_directory_fixes_dotdot_and_link_counts);
	tcase_add_test(tc, rename_within_a_directory_keeps_the_file);
	tcase_add_test(tc, readdir_offsets_are_cookies_that_lseek_resumes_at);
	tcase_add_test(tc,
	    threads_writing_renaming_and_listing_one_directory_agree);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(tmpfs_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
