/*
 * t_etfs.c: tests of etfs (host files inside the kernel), the block and
 * character device I/O of device nodes, and the buffer cache.
 *
 * Each test boots a kernel, works in a fresh host directory, and halts
 * (a DIAGNOSTIC kernel panics at halt if memory leaked, so every test
 * also checks that registrations left behind are removed cleanly).
 * Regular-file keys are used through the system calls; device nodes
 * through the spec_* functions via ktest_etfs.k.c, the path the VFS
 * takes for VBLK/VCHR vnodes.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>

/* ktest_etfs.k.c */
int rump_ktest_bio(void);
int rump_ktest_spec_open(const char *, int, void **);
int rump_ktest_spec_close(void *, int);
int rump_ktest_spec_rw(void *, void *, size_t, int64_t, int, int,
    size_t *);
int rump_ktest_spec_ioctl(void *, unsigned long, void *);
int rump_ktest_spec_fsync(void *);
unsigned long long rump_ktest_etfs_inuse(void);
void rump_ktest_bio_stats(size_t *, size_t *, size_t *);

#define REBOOT_MAGIC1 0xfee1dead
#define REBOOT_MAGIC2 672274793
#define REBOOT_CMD_HALT 0xcdef0123
#define K_BLKGETSIZE64 0x80081272UL
#define K_BLKSSZGET 0x1268UL
#define K_IO_SYNC 0x02

static char tmpdir[64];

static void
boot(void)
{
	int error = rump_init();

	ck_assert_msg(error == 0, "rump_init: %s", strerror(error));
	strcpy(tmpdir, "/tmp/t_etfs.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
halt(void)
{
	char cmd[128];

	ck_assert_int_eq(rump_sys_reboot(REBOOT_MAGIC1, REBOOT_MAGIC2,
	    REBOOT_CMD_HALT, NULL), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A host file name in the test's directory. */
static const char *
hpath(const char *name)
{
	static char buf[4][128];
	static int n;
	char *p = buf[n++ % 4];

	snprintf(p, 128, "%s/%s", tmpdir, name);
	return p;
}

/* Byte i of the test pattern of a file. */
static unsigned char
pat(size_t i)
{

	return (unsigned char)(i * 131 + (i >> 9) * 7 + 1);
}

/* Make the host file name with size bytes of the pattern. */
static const char *
mkhost(const char *name, size_t size)
{
	const char *p = hpath(name);
	unsigned char *buf = malloc(size + 1);
	size_t i;
	int fd;

	for (i = 0; i < size; i++)
		buf[i] = pat(i);
	fd = open(p, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, size), (ssize_t)size);
	close(fd);
	free(buf);
	return p;
}

static void
host_pread(const char *p, void *buf, size_t len, off_t off)
{
	int fd = open(p, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, buf, len, off), (ssize_t)len);
	close(fd);
}

static void
check_pattern(const unsigned char *buf, size_t len, size_t start)
{
	size_t i;

	for (i = 0; i < len; i++)
		ck_assert_msg(buf[i] == pat(start + i), "byte %zu differs",
		    start + i);
}

/*
 * Registration errors.
 */

START_TEST(register_without_kernel_fails_ENXIO)
{

	ck_assert_int_eq(rump_pub_etfs_register("/x", "/etc/passwd",
	    RUMP_ETFS_REG), ENXIO);
	ck_assert_int_eq(rump_pub_etfs_remove("/x"), ENXIO);
}
END_TEST

START_TEST(register_missing_host_file_fails_ENOENT)
{

	boot();
	ck_assert_int_eq(rump_pub_etfs_register("/x", hpath("nope"),
	    RUMP_ETFS_REG), ENOENT);
	ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0", hpath("nope"),
	    RUMP_ETFS_BLK), ENOENT);
	halt();
}
END_TEST

START_TEST(register_bad_keys_and_types)
{
	const char *h;

	boot();
	h = mkhost("img", 8192);
	ck_assert_int_eq(rump_pub_etfs_register("rel", h, RUMP_ETFS_REG),
	    EINVAL);
	ck_assert_int_eq(rump_pub_etfs_register("/no/such/dir", h,
	    RUMP_ETFS_REG), ENOENT);
	ck_assert_int_eq(rump_pub_etfs_register("/dev", h, RUMP_ETFS_BLK),
	    EEXIST);
	ck_assert_int_eq(rump_pub_etfs_register("/d", h, RUMP_ETFS_DIR),
	    EOPNOTSUPP);
	ck_assert_int_eq(rump_pub_etfs_register("/d", h, 99), EINVAL);
	ck_assert_int_eq(rump_pub_etfs_register("/d", tmpdir, RUMP_ETFS_REG),
	    EISDIR);
	ck_assert_int_eq(rump_pub_etfs_register_withsize("/d", h,
	    RUMP_ETFS_REG, 8193, RUMP_ETFS_SIZE_ENDOFF), EINVAL);
	ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0", h,
	    RUMP_ETFS_BLK), 0);
	ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0", h,
	    RUMP_ETFS_BLK), EEXIST);
	ck_assert_int_eq(rump_pub_etfs_remove("/dev/xbd1"), ENOENT);
	ck_assert_int_eq(rump_pub_etfs_remove("/dev/xbd0"), 0);
	ck_assert_int_eq(rump_pub_etfs_remove("/dev/xbd0"), ENOENT);
	/* A key that the failed registrations did not leave behind. */
	ck_assert_int_eq(rump_sys_access("/d", F_OK), -1);
	ck_assert_int_eq(errno, ENOENT);
	halt();
}
END_TEST

START_TEST(register_unreadable_host_file_fails_EACCES)
{
	const char *h;

	if (geteuid() == 0)
		return;		/* root reads anything */
	boot();
	h = mkhost("img", 4096);
	ck_assert_int_eq(chmod(h, 0), 0);
	ck_assert_int_eq(rump_pub_etfs_register("/x", h, RUMP_ETFS_REG),
	    EACCES);
	halt();
}
END_TEST

/*
 * Regular files.
 */

START_TEST(reg_round_trip_with_host)
{
	unsigned char buf[10000], hbuf[10000];
	struct stat st;
	const char *h;
	int fd;

	boot();
	h = mkhost("file", 10000);
	ck_assert_int_eq(rump_pub_etfs_register("/hostfile", h,
	    RUMP_ETFS_REG), 0);
	ck_assert_int_eq(rump_sys_stat("/hostfile", &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	ck_assert_int_eq(st.st_size, 10000);

	fd = rump_sys_open("/hostfile", O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 10000);
	check_pattern(buf, 10000, 0);
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 0);

	/* Kernel to host. */
	memset(buf, 'k', 3000);
	ck_assert_int_eq(rump_sys_pwrite(fd, buf, 3000, 5000), 3000);
	host_pread(h, hbuf, 10000, 0);
	check_pattern(hbuf, 5000, 0);
	ck_assert(memcmp(hbuf + 5000, buf, 3000) == 0);
	check_pattern(hbuf + 8000, 2000, 8000);

	/* Host to kernel: no stale cache. */
	{
		int hfd = open(h, O_WRONLY);

		ck_assert_int_eq(pwrite(hfd, "HOST", 4, 100), 4);
		close(hfd);
	}
	ck_assert_int_eq(rump_sys_pread(fd, buf, 4, 100), 4);
	ck_assert(memcmp(buf, "HOST", 4) == 0);

	/* The whole window is the host file: appending grows it. */
	ck_assert_int_eq(rump_sys_pwrite(fd, "END", 3, 10000), 3);
	ck_assert_int_eq(rump_sys_fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_size, 10003);
	ck_assert_int_eq(stat(h, &st), 0);
	ck_assert_int_eq(st.st_size, 10003);
	ck_assert_int_eq(rump_sys_fsync(fd), 0);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	halt();
}
END_TEST

START_TEST(reg_window_stops_at_its_end)
{
	unsigned char buf[4 * 4096], hbuf[3 * 4096];
	struct stat st;
	const char *h;
	int fd;

	boot();
	h = mkhost("file", 3 * 4096);
	ck_assert_int_eq(rump_pub_etfs_register_withsize("/win", h,
	    RUMP_ETFS_REG, 4096, 4096), 0);
	ck_assert_int_eq(rump_sys_stat("/win", &st), 0);
	ck_assert_int_eq(st.st_size, 4096);
	fd = rump_sys_open("/win", O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 4096);
	check_pattern(buf, 4096, 4096);
	ck_assert_int_eq(rump_sys_pread(fd, buf, 100, 4096), 0);

	/* A write that crosses the end is cut there; at the end: ENOSPC. */
	memset(buf, 'w', 200);
	ck_assert_int_eq(rump_sys_pwrite(fd, buf, 200, 4000), 96);
	ck_assert_int_eq(rump_sys_pwrite(fd, buf, 1, 4096), -1);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(rump_sys_close(fd), 0);

	host_pread(h, hbuf, sizeof(hbuf), 0);
	check_pattern(hbuf, 4096 + 4000, 0);
	ck_assert(memcmp(hbuf + 8096, buf, 96) == 0);
	check_pattern(hbuf + 8192, 4096, 8192);
	ck_assert_int_eq(stat(h, &st), 0);
	ck_assert_int_eq(st.st_size, 3 * 4096);

	/* The size is fixed; the mode too. */
	ck_assert_int_eq(rump_sys_truncate("/win", 100), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(rump_sys_chmod("/win", 0600), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(rump_sys_truncate("/win", 4096), 0);
	halt();
}
END_TEST

START_TEST(reg_remove_while_open_fails_EBUSY)
{
	const char *h;
	int fd;

	boot();
	h = mkhost("file", 100);
	ck_assert_int_eq(rump_pub_etfs_register("/f", h, RUMP_ETFS_REG), 0);
	fd = rump_sys_open("/f", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_pub_etfs_remove("/f"), EBUSY);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	ck_assert_int_eq(rump_pub_etfs_remove("/f"), 0);
	ck_assert_int_eq(rump_sys_access("/f", F_OK), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* The key can be registered again. */
	ck_assert_int_eq(rump_pub_etfs_register("/f", h, RUMP_ETFS_REG), 0);
	halt();
}
END_TEST

START_TEST(reg_read_only_host_file_is_0444)
{
	struct stat st;
	const char *h;

	if (geteuid() == 0)
		return;		/* root opens it for writing anyway */
	boot();
	h = mkhost("file", 100);
	ck_assert_int_eq(chmod(h, 0444), 0);
	ck_assert_int_eq(rump_pub_etfs_register("/f", h, RUMP_ETFS_REG), 0);
	ck_assert_int_eq(rump_sys_stat("/f", &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0444);
	ck_assert_int_eq(rump_sys_open("/f", O_RDWR), -1);
	ck_assert(errno == EROFS || errno == EACCES);
	halt();
}
END_TEST

/*
 * Devices.
 */

START_TEST(blk_and_chr_nodes_stat_as_devices)
{
	struct stat st, st2;
	const char *h;

	boot();
	h = mkhost("img", 64 * 1024);
	ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0", h,
	    RUMP_ETFS_BLK), 0);
	ck_assert_int_eq(rump_pub_etfs_register("/dev/rxbd0", h,
	    RUMP_ETFS_CHR), 0);
	ck_assert_int_eq(rump_sys_stat("/dev/xbd0", &st), 0);
	ck_assert(S_ISBLK(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	ck_assert_uint_ne(major(st.st_rdev), 0);
	ck_assert_int_eq(rump_sys_stat("/dev/rxbd0", &st2), 0);
	ck_assert(S_ISCHR(st2.st_mode));
	ck_assert_uint_ne(major(st2.st_rdev), 0);
	ck_assert_uint_ne(minor(st.st_rdev), minor(st2.st_rdev));
	halt();
}
END_TEST

START_TEST(blk_size_ioctls)
{
	uint64_t size = 0;
	int ssize = 0;
	void *h;

	boot();
	/* 100000 bytes: the device is 195 sectors. */
	ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0",
	    mkhost("img", 100000), RUMP_ETFS_BLK), 0);
	ck_assert_int_eq(rump_ktest_spec_open("/dev/xbd0", O_RDONLY, &h), 0);
	ck_assert_int_eq(rump_ktest_spec_ioctl(h, K_BLKGETSIZE64, &size), 0);
	ck_assert_uint_eq(size, 195 * 512);
	ck_assert_int_eq(rump_ktest_spec_ioctl(h, K_BLKSSZGET, &ssize), 0);
	ck_assert_int_eq(ssize, 512);
	ck_assert_int_eq(rump_ktest_spec_ioctl(h, 0x5401, &ssize), ENOTTY);
	ck_assert_int_eq(rump_ktest_spec_close(h, O_RDONLY), 0);
	halt();
}
END_TEST

START_TEST(blk_unaligned_io_round_trips)
{
	enum { SZ = 40 * 1024 + 512 };	/* a tail shorter than a block */
	static unsigned char buf[SZ], hbuf[SZ];
	const char *hp;
	size_t done, i;
	void *h;

	boot();
	hp = mkhost("img", SZ);
	ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0", hp,
	    RUMP_ETFS_BLK), 0);
	ck_assert_int_eq(rump_ktest_spec_open("/dev/xbd0", O_RDWR, &h), 0);

	/* Unaligned reads, across blocks, and into the tail. */
	ck_assert_int_eq(rump_ktest_spec_rw(h, buf, 5000, 1001, 0, 0, &done),
	    0);
	ck_assert_uint_eq(done, 5000);
	check_pattern(buf, 5000, 1001);
	ck_assert_int_eq(rump_ktest_spec_rw(h, buf, 1000, SZ - 700, 0, 0,
	    &done), 0);
	ck_assert_uint_eq(done, 700);
	check_pattern(buf, 700, SZ - 700);
	ck_assert_int_eq(rump_ktest_spec_rw(h, buf, 10, SZ, 0, 0, &done), 0);
	ck_assert_uint_eq(done, 0);

	/* Unaligned writes: partial blocks, a whole block, the tail. */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(0xff - i);
	ck_assert_int_eq(rump_ktest_spec_rw(h, buf, 9000, 3333, 1, 0, &done),
	    0);
	ck_assert_uint_eq(done, 9000);
	ck_assert_int_eq(rump_ktest_spec_rw(h, buf, 600, SZ - 300, 1, 0,
	    &done), 0);
	ck_assert_uint_eq(done, 300);
	ck_assert_int_eq(rump_ktest_spec_rw(h, buf, 1, SZ, 1, 0, &done),
	    ENOSPC);

	/* Read back through the cache. */
	memset(hbuf, 0, sizeof(hbuf));
	ck_assert_int_eq(rump_ktest_spec_rw(h, hbuf, 9000, 3333, 0, 0, &done),
	    0);
	ck_assert(memcmp(hbuf, buf, 9000) == 0);

	/* fsync: the host file has it all, the rest untouched. */
	ck_assert_int_eq(rump_ktest_spec_fsync(h), 0);
	host_pread(hp, hbuf, SZ, 0);
	check_pattern(hbuf, 3333, 0);
	ck_assert(memcmp(hbuf + 3333, buf, 9000) == 0);
	check_pattern(hbuf + 12333, SZ - 300 - 12333, 12333);
	ck_assert(memcmp(hbuf + SZ - 300, buf, 300) == 0);
	ck_assert_int_eq(rump_ktest_spec_close(h, O_RDWR), 0);
	halt();
}
END_TEST

START_TEST(blk_close_writes_back_delayed_writes)
{
	unsigned char hbuf[4096];
	const char *hp;
	size_t done;
	void *h;

	boot();
	hp = mkhost("img", 64 * 1024);
	ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0", hp,
	    RUMP_ETFS_BLK), 0);
	ck_assert_int_eq(rump_ktest_spec_open("/dev/xbd0", O_RDWR, &h), 0);
	ck_assert_int_eq(rump_ktest_spec_rw(h, "delayed", 7, 8190, 1, 0,
	    &done), 0);
	ck_assert_int_eq(rump_ktest_spec_rw(h, "sync", 4, 20000, 1,
	    K_IO_SYNC, &done), 0);
	host_pread(hp, hbuf, 4, 20000);
	ck_assert(memcmp(hbuf, "sync", 4) == 0);
	ck_assert_int_eq(rump_ktest_spec_close(h, O_RDWR), 0);
	host_pread(hp, hbuf, 7, 8190);
	ck_assert(memcmp(hbuf, "delayed", 7) == 0);
	halt();
}
END_TEST

START_TEST(blk_window_of_host_file)
{
	unsigned char buf[8192], hbuf[5 * 4096];
	const char *hp;
	uint64_t size;
	size_t done;
	void *h;

	boot();
	hp = mkhost("img", 5 * 4096);
	ck_assert_int_eq(rump_pub_etfs_register_withsize("/dev/xbd0", hp,
	    RUMP_ETFS_BLK, 8192, 2 * 4096), 0);
	ck_assert_int_eq(rump_ktest_spec_open("/dev/xbd0", O_RDWR, &h), 0);
	ck_assert_int_eq(rump_ktest_spec_ioctl(h, K_BLKGETSIZE64, &size), 0);
	ck_assert_uint_eq(size, 8192);
	ck_assert_int_eq(rump_ktest_spec_rw(h, buf, sizeof(buf), 0, 0, 0,
	    &done), 0);
	ck_assert_uint_eq(done, 8192);
	check_pattern(buf, 8192, 8192);
	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(rump_ktest_spec_rw(h, buf, 8192, 100, 1, 0, &done),
	    0);
	ck_assert_uint_eq(done, 8092);
	ck_assert_int_eq(rump_ktest_spec_rw(h, buf, 10, 8192, 1, 0, &done),
	    ENOSPC);
	ck_assert_int_eq(rump_ktest_spec_close(h, O_RDWR), 0);
	host_pread(hp, hbuf, sizeof(hbuf), 0);
	check_pattern(hbuf, 8192 + 100, 0);
	ck_assert(memcmp(hbuf + 8292, buf, 8092) == 0);
	check_pattern(hbuf + 16384, 4096, 16384);
	halt();
}
END_TEST

START_TEST(blk_window_past_host_end_reads_zeros)
{
	unsigned char buf[4096];
	size_t done, i;
	void *h;

	boot();
	ck_assert_int_eq(rump_pub_etfs_register_withsize("/dev/xbd0",
	    mkhost("img", 1000), RUMP_ETFS_BLK, 0, 64 * 1024), 0);
	ck_assert_int_eq(rump_ktest_spec_open("/dev/xbd0", O_RDONLY, &h), 0);
	ck_assert_int_eq(rump_ktest_spec_rw(h, buf, 4096, 0, 0, 0, &done),
	    0);
	ck_assert_uint_eq(done, 4096);
	check_pattern(buf, 1000, 0);
	for (i = 1000; i < 4096; i++)
		ck_assert_int_eq(buf[i], 0);
	ck_assert_int_eq(rump_ktest_spec_close(h, O_RDONLY), 0);
	halt();
}
END_TEST

START_TEST(chr_window_reads_and_writes_raw)
{
	unsigned char buf[4096], hbuf[3 * 1000];
	const char *hp;
	size_t done;
	void *h;

	boot();
	hp = mkhost("img", 3000);
	ck_assert_int_eq(rump_pub_etfs_register_withsize("/dev/rxbd0", hp,
	    RUMP_ETFS_CHR, 1000, 1000), 0);
	ck_assert_int_eq(rump_ktest_spec_open("/dev/rxbd0", O_RDWR, &h), 0);
	ck_assert_int_eq(rump_ktest_spec_rw(h, buf, sizeof(buf), 1, 0, 0,
	    &done), 0);
	ck_assert_uint_eq(done, 999);
	check_pattern(buf, 999, 1001);
	ck_assert_int_eq(rump_ktest_spec_rw(h, "abc", 3, 998, 1, 0, &done),
	    0);
	ck_assert_uint_eq(done, 2);
	ck_assert_int_eq(rump_ktest_spec_rw(h, "abc", 3, 1000, 1, 0, &done),
	    ENOSPC);
	ck_assert_int_eq(rump_ktest_spec_fsync(h), 0);
	ck_assert_int_eq(rump_ktest_spec_close(h, O_RDWR), 0);
	host_pread(hp, hbuf, sizeof(hbuf), 0);
	check_pattern(hbuf, 1998, 0);
	ck_assert(memcmp(hbuf + 1998, "ab", 2) == 0);
	check_pattern(hbuf + 2000, 1000, 2000);
	halt();
}
END_TEST

START_TEST(blk_remove_while_open_fails_EBUSY)
{
	struct stat st;
	void *h;

	boot();
	ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0",
	    mkhost("img", 8192), RUMP_ETFS_BLK), 0);
	ck_assert_int_eq(rump_ktest_spec_open("/dev/xbd0", O_RDONLY, &h), 0);
	ck_assert_int_eq(rump_pub_etfs_remove("/dev/xbd0"), EBUSY);
	ck_assert_int_eq(rump_ktest_spec_close(h, O_RDONLY), 0);
	ck_assert_int_eq(rump_pub_etfs_remove("/dev/xbd0"), 0);
	ck_assert_int_eq(rump_sys_stat("/dev/xbd0", &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	halt();
}
END_TEST

START_TEST(device_without_driver_is_ENXIO)
{
	struct stat st;
	void *h;

	boot();
	ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0",
	    mkhost("img", 8192), RUMP_ETFS_BLK), 0);
	ck_assert_int_eq(rump_sys_stat("/dev/xbd0", &st), 0);
	/* The same numbers once the registration is gone. */
	ck_assert_int_eq(rump_pub_etfs_remove("/dev/xbd0"), 0);
	ck_assert_int_eq(rump_sys_mknod("/dev/stale", S_IFBLK | 0600,
	    st.st_rdev), 0);
	ck_assert_int_eq(rump_ktest_spec_open("/dev/stale", O_RDONLY, &h),
	    ENXIO);
	ck_assert_int_eq(rump_sys_mknod("/dev/nodrv", S_IFCHR | 0600,
	    makedev(1, 1)), 0);
	ck_assert_int_eq(rump_ktest_spec_open("/dev/nodrv", O_RDONLY, &h),
	    ENXIO);
	halt();
}
END_TEST

START_TEST(register_and_remove_100_times_without_leak)
{
	unsigned long long before = 0;
	const char *h;
	size_t done;
	void *dh;
	int i, fd;

	boot();
	h = mkhost("img", 16384);
	for (i = 0; i < 101; i++) {
		if (i == 1)
			before = rump_ktest_etfs_inuse();
		ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0", h,
		    RUMP_ETFS_BLK), 0);
		ck_assert_int_eq(rump_pub_etfs_register("/f", h,
		    RUMP_ETFS_REG), 0);
		ck_assert_int_eq(rump_ktest_spec_open("/dev/xbd0", O_RDWR,
		    &dh), 0);
		ck_assert_int_eq(rump_ktest_spec_rw(dh, "x", 1, i, 1, 0,
		    &done), 0);
		ck_assert_int_eq(rump_ktest_spec_close(dh, O_RDWR), 0);
		fd = rump_sys_open("/f", O_RDONLY);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(rump_sys_close(fd), 0);
		ck_assert_int_eq(rump_pub_etfs_remove("/f"), 0);
		ck_assert_int_eq(rump_pub_etfs_remove("/dev/xbd0"), 0);
	}
	ck_assert_uint_eq(rump_ktest_etfs_inuse(), before);
	halt();
}
END_TEST

START_TEST(halt_removes_registrations_and_boots_again)
{
	const char *h;
	size_t done;
	void *dh;
	int fd;

	boot();
	h = mkhost("img", 16384);
	ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0", h,
	    RUMP_ETFS_BLK), 0);
	ck_assert_int_eq(rump_pub_etfs_register("/f", h, RUMP_ETFS_REG), 0);
	ck_assert_int_eq(rump_ktest_spec_open("/dev/xbd0", O_RDWR, &dh), 0);
	ck_assert_int_eq(rump_ktest_spec_rw(dh, "z", 1, 5, 1, 0, &done), 0);
	ck_assert_int_eq(rump_ktest_spec_close(dh, O_RDWR), 0);
	fd = rump_sys_open("/f", O_RDONLY);	/* left open: exit closes */
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_reboot(REBOOT_MAGIC1, REBOOT_MAGIC2,
	    REBOOT_CMD_HALT, NULL), 0);
	ck_assert_int_eq(rump_pub_etfs_remove("/f"), ENXIO);
	ck_assert_int_eq(rump_init(), 0);
	ck_assert_int_eq(rump_pub_etfs_register("/f", h, RUMP_ETFS_REG), 0);
	halt();
}
END_TEST

START_TEST(reg_key_is_not_a_directory)
{
	struct stat st;

	boot();
	ck_assert_int_eq(rump_pub_etfs_register("/f", mkhost("file", 10),
	    RUMP_ETFS_REG), 0);
	ck_assert_int_eq(rump_sys_stat("/f/x", &st), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	ck_assert_int_eq(rump_sys_stat("/f/..", &st), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	ck_assert_int_eq(rump_sys_stat("/f/", &st), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	ck_assert_int_eq(rump_sys_unlink("/f"), -1);
	ck_assert_int_eq(errno, EBUSY);
	ck_assert_int_eq(rump_sys_mkdir("/f", 0755), -1);
	ck_assert_int_eq(errno, EEXIST);
	halt();
}
END_TEST

/* Threads writing their own bytes of shared blocks, with flushes. */
#define STRESS_THREADS 4
#define STRESS_ROUNDS 200
#define STRESS_SIZE (128 * 1024)

static void *stress_dev;

static void *
stress_thread(void *arg)
{
	int t = (int)(intptr_t)arg, r, error;
	unsigned char c;
	size_t done;
	int64_t off;

	for (r = 0; r < STRESS_ROUNDS; r++) {
		/* Byte t of every 4-byte word in a 1000-byte stretch. */
		off = (int64_t)((r * 7919) % (STRESS_SIZE / 4 - 250)) * 4 + t;
		c = (unsigned char)(t * 50 + 1);
		error = rump_ktest_spec_rw(stress_dev, &c, 1, off, 1, 0,
		    &done);
		if (error != 0 || done != 1)
			return (void *)1;
		c = 0;
		error = rump_ktest_spec_rw(stress_dev, &c, 1, off, 0, 0,
		    &done);
		if (error != 0 || c != (unsigned char)(t * 50 + 1))
			return (void *)2;
		if (r % 50 == 0 && rump_ktest_spec_fsync(stress_dev) != 0)
			return (void *)3;
	}
	return NULL;
}

START_TEST(blk_concurrent_writers_keep_their_bytes)
{
	pthread_t pt[STRESS_THREADS];
	static unsigned char hbuf[STRESS_SIZE];
	const char *hp;
	void *rv;
	int t, r;
	int64_t off;

	boot();
	hp = mkhost("img", STRESS_SIZE);
	ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0", hp,
	    RUMP_ETFS_BLK), 0);
	ck_assert_int_eq(rump_ktest_spec_open("/dev/xbd0", O_RDWR,
	    &stress_dev), 0);
	for (t = 0; t < STRESS_THREADS; t++)
		ck_assert_int_eq(pthread_create(&pt[t], NULL, stress_thread,
		    (void *)(intptr_t)t), 0);
	for (t = 0; t < STRESS_THREADS; t++) {
		ck_assert_int_eq(pthread_join(pt[t], &rv), 0);
		ck_assert_ptr_null(rv);
	}
	ck_assert_int_eq(rump_ktest_spec_close(stress_dev, O_RDWR), 0);
	host_pread(hp, hbuf, STRESS_SIZE, 0);
	for (t = 0; t < STRESS_THREADS; t++) {
		for (r = 0; r < STRESS_ROUNDS; r++) {
			off = (int64_t)((r * 7919) % (STRESS_SIZE / 4 - 250)) *
			    4 + t;
			ck_assert_int_eq(hbuf[off], (unsigned char)(t * 50 + 1));
		}
	}
	halt();
}
END_TEST

START_TEST(buffer_cache_stays_under_memory_limit)
{
	enum { SZ = 8 * 1024 * 1024 };
	static unsigned char buf[64 * 1024];
	size_t nbufs, bytes, max, done;
	const char *hp;
	int64_t off;
	void *h;

	ck_assert_int_eq(setenv("RUMP_MEMLIMIT", "4m", 1), 0);
	boot();
	hp = mkhost("img", SZ);
	ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0", hp,
	    RUMP_ETFS_BLK), 0);
	ck_assert_int_eq(rump_ktest_spec_open("/dev/xbd0", O_RDWR, &h), 0);
	rump_ktest_bio_stats(&nbufs, &bytes, &max);
	ck_assert_uint_le(max, 1024 * 1024);
	for (off = 0; off < SZ; off += sizeof(buf)) {
		ck_assert_int_eq(rump_ktest_spec_rw(h, buf, sizeof(buf), off,
		    (off / (int64_t)sizeof(buf)) % 2, 0, &done), 0);
		ck_assert_uint_eq(done, sizeof(buf));
		rump_ktest_bio_stats(&nbufs, &bytes, &max);
		ck_assert_uint_le(bytes, max);
	}
	ck_assert_int_eq(rump_ktest_spec_close(h, O_RDWR), 0);
	halt();
}
END_TEST

/* Device nodes through the system calls: the VFS hands them to spec_*. */
START_TEST(blk_through_system_calls)
{
	enum { SZ = 16 * 1024 };
	unsigned char buf[SZ], hbuf[SZ];
	uint64_t size = 0;
	const char *hp;
	int fd;

	boot();
	hp = mkhost("img", SZ);
	ck_assert_int_eq(rump_pub_etfs_register("/dev/xbd0", hp,
	    RUMP_ETFS_BLK), 0);
	fd = rump_sys_open("/dev/xbd0", O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_ioctl(fd, K_BLKGETSIZE64, &size), 0);
	ck_assert_uint_eq(size, SZ);
	ck_assert_int_eq(rump_sys_pread(fd, buf, 3000, 1234), 3000);
	check_pattern(buf, 3000, 1234);
	memset(buf, 'q', sizeof(buf));
	ck_assert_int_eq(rump_sys_pwrite(fd, buf, 5000, 777), 5000);
	ck_assert_int_eq(rump_sys_fsync(fd), 0);
	host_pread(hp, hbuf, SZ, 0);
	check_pattern(hbuf, 777, 0);
	ck_assert(memcmp(hbuf + 777, buf, 5000) == 0);
	check_pattern(hbuf + 5777, SZ - 5777, 5777);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_END), SZ);
	ck_assert_int_eq(rump_sys_read(fd, buf, 10), 0);
	ck_assert_int_eq(rump_sys_write(fd, buf, 10), -1);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(rump_pub_etfs_remove("/dev/xbd0"), EBUSY);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	ck_assert_int_eq(rump_pub_etfs_remove("/dev/xbd0"), 0);
	halt();
}
END_TEST

START_TEST(buffer_cache_unit)
{
	int line;

	boot();
	line = rump_ktest_bio();
	ck_assert_msg(line == 0, "rump_ktest_bio failed at ktest_etfs.k.c:%d",
	    line);
	halt();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("etfs");
	TCase *tc = tcase_create("etfs");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, register_without_kernel_fails_ENXIO);
	tcase_add_test(tc, register_missing_host_file_fails_ENOENT);
	tcase_add_test(tc, register_bad_keys_and_types);
	tcase_add_test(tc, register_unreadable_host_file_fails_EACCES);
	tcase_add_test(tc, reg_round_trip_with_host);
	tcase_add_test(tc, reg_window_stops_at_its_end);
	tcase_add_test(tc, reg_remove_while_open_fails_EBUSY);
	tcase_add_test(tc, reg_read_only_host_file_is_0444);
	tcase_add_test(tc, blk_and_chr_nodes_stat_as_devices);
	tcase_add_test(tc, blk_size_ioctls);
	tcase_add_test(tc, blk_unaligned_io_round_trips);
	tcase_add_test(tc, blk_close_writes_back_delayed_writes);
	tcase_add_test(tc, blk_window_of_host_file);
	tcase_add_test(tc, blk_window_past_host_end_reads_zeros);
	tcase_add_test(tc, chr_window_reads_and_writes_raw);
	tcase_add_test(tc, blk_remove_while_open_fails_EBUSY);
	tcase_add_test(tc, device_without_driver_is_ENXIO);
	tcase_add_test(tc, register_and_remove_100_times_without_leak);
	tcase_add_test(tc, halt_removes_registrations_and_boots_again);
	tcase_add_test(tc, reg_key_is_not_a_directory);
	tcase_add_test(tc, blk_concurrent_writers_keep_their_bytes);
	tcase_add_test(tc, buffer_cache_stays_under_memory_limit);
	tcase_add_test(tc, blk_through_system_calls);
	tcase_add_test(tc, buffer_cache_unit);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
