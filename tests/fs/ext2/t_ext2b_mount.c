/*
 * t_ext2b_mount.c: the ext4 parts of the ext2 driver through the whole
 * driver and the system calls: journals replayed at mount (written by
 * debugfs and by the host kernel), a corrupt journal, writes that build
 * extent trees (sequential, fragmented, into preallocated space) with
 * every checksum kept right: e2fsck -fn finds nothing and the host
 * kernel reads back the same bytes.  Needs e2fsprogs; the host kernel
 * parts need root and a loop device, and are skipped without.
 */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>

#define DEV "/dev/xbd0"
#define MNT "/mnt"

static char dir[64];
static pid_t mainpid;		/* names the directories to clean up */

static int
sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int n, rc;

	/* Loop devices are shared with whoever else runs: retry. */
	n = snprintf(cmd, sizeof(cmd), "lmount() { o=$1; shift; "
	    "for t in 1 2 3 4 5; do mount -o loop,$o \"$@\" 2>/dev/null && "
	    "return 0; sleep 1; done; return 1; }; lumount() { "
	    "for t in 1 2 3 4 5; do umount \"$1\" 2>/dev/null && return 0; "
	    "sleep 1; done; return 1; }; ");
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

/* Boot, and a temporary directory; false: the tools are missing. */
static bool
setup(void)
{

	ck_assert_int_eq(rump_init(), 0);
	ck_assert_int_eq(rump_sys_mkdir(MNT, 0755), 0);
	if (sh("command -v mke2fs >/dev/null && command -v debugfs "
	    ">/dev/null && command -v e2fsck >/dev/null") != 0) {
		fprintf(stderr, "t_ext2b_mount: e2fsprogs missing: skipped\n");
		return false;
	}
	snprintf(dir, sizeof(dir), "/tmp/t_ext2b_mount.%d.XXXXXX", (int)mainpid);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return true;
}

static void
cleanup(void)
{

	sh("umount '%s/mnt' 2>/dev/null; rm -rf '%s'", dir, dir);
}

static bool
have_loop(void)
{

	if (geteuid() != 0 || sh("cd '%s' && mkdir -p mnt && "
	    "dd if=/dev/zero of=probe bs=1M count=8 2>/dev/null && "
	    "mke2fs -q -F -t ext4 probe >/dev/null 2>&1 && "
	    "lmount rw probe mnt && lumount mnt", dir) != 0) {
		fprintf(stderr, "t_ext2b_mount: no loop mount: skipped\n");
		return false;
	}
	return true;
}

static int
rmount(const char *image, const char *type, int flags)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, image);
	ck_assert_int_eq(rump_pub_etfs_register(DEV, path, RUMP_ETFS_BLK), 0);
	if (rump_sys_mount(DEV, MNT, type, flags, NULL) == -1) {
		int error = errno;

		ck_assert_int_eq(rump_pub_etfs_remove(DEV), 0);
		return error;
	}
	return 0;
}

static void
rumount(void)
{

	ck_assert_msg(rump_sys_umount2(MNT, 0) == 0, "umount: %s",
	    strerror(errno));
	ck_assert_int_eq(rump_pub_etfs_remove(DEV), 0);
}

/* The whole file at path (in the rump kernel) equals the host file. */
static void
rcompare(const char *rpath, const char *hostname)
{
	char path[256], a[8192], b[8192];
	ssize_t n, m;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, hostname);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fd = rump_sys_open(rpath, O_RDONLY);
	ck_assert_msg(fd >= 0, "open %s: %s", rpath, strerror(errno));
	do {
		n = rump_sys_read(fd, a, sizeof(a));
		ck_assert_msg(n >= 0, "read %s: %s", rpath, strerror(errno));
		m = (ssize_t)fread(b, 1, sizeof(b), f);
		ck_assert_msg(n == m && memcmp(a, b, (size_t)n) == 0,
		    "%s differs from %s", rpath, hostname);
	} while (n > 0);
	rump_sys_close(fd);
	fclose(f);
}

static void
rwrite(int fd, const void *buf, size_t len, off_t off)
{

	ck_assert_msg(rump_sys_pwrite(fd, buf, len, off) == (ssize_t)len,
	    "pwrite at %lld: %s", (long long)off, strerror(errno));
}

static void
fsck_clean(const char *image)
{

	ck_assert_msg(sh("cd '%s' && e2fsck -fn %s >fsck.out 2>&1", dir,
	    image) == 0, "e2fsck -fn %s: not clean (%s/fsck.out)", image, dir);
}

/*
 * debugfs logs new contents for a file's two blocks in one committed
 * transaction (csum v3): the mount replays it, the file reads the new
 * contents, and the image is clean with needs_recovery gone.
 */
START_TEST(journal_replayed_at_mount_gives_the_logged_contents)
{

	if (!setup())
		return;
	ck_assert_int_eq(sh("cd '%s' && mkdir src && head -c 8192 "
	    "/dev/urandom > src/f && mke2fs -q -F -t ext4 -b 4096 -d src "
	    "img 64M "
	    ">/dev/null 2>&1 && head -c 8192 /dev/urandom > new && "
	    "b0=$(debugfs -R 'bmap /f 0' img 2>/dev/null) && "
	    "b1=$(debugfs -R 'bmap /f 1' img 2>/dev/null) && "
	    "printf 'jo -c -v 3\\njw -b %%s,%%s new\\njc\\n' $b0 $b1 | "
	    "debugfs -w -f - img >/dev/null 2>&1 && "
	    "dumpe2fs -h img 2>/dev/null | grep -q needs_recovery", dir), 0);
	ck_assert_int_eq(rmount("img", "ext4", 0), 0);
	rcompare(MNT "/f", "new");
	rumount();
	fsck_clean("img");
	ck_assert_int_eq(sh("cd '%s' && ! dumpe2fs -h img 2>/dev/null | "
	    "grep -q needs_recovery && debugfs -R 'dump /f out' img "
	    ">/dev/null 2>&1 && cmp -s out new", dir), 0);
	cleanup();
}
END_TEST

/* The same on ext3: no checksums, a journal inode of indirect blocks. */
START_TEST(ext3_journal_replayed_at_mount)
{

	if (!setup())
		return;
	ck_assert_int_eq(sh("cd '%s' && mkdir src && head -c 8192 "
	    "/dev/urandom > src/f && mke2fs -q -F -t ext3 -b 4096 -d src img "
	    "64M >/dev/null 2>&1 && head -c 8192 /dev/urandom > new && "
	    "b0=$(debugfs -R 'bmap /f 0' img 2>/dev/null) && "
	    "b1=$(debugfs -R 'bmap /f 1' img 2>/dev/null) && "
	    "printf 'jo\\njw -b %%s new\\njc\\njo\\njw -b %%s new\\njc\\n' "
	    "$b0 $b1 | debugfs -w -f - img >/dev/null 2>&1 && "
	    "head -c 4096 new > new0 && cat new0 new0 > want && "
	    "dumpe2fs -h img 2>/dev/null | grep -q needs_recovery", dir), 0);
	ck_assert_int_eq(rmount("img", "ext3", 0), 0);
	rcompare(MNT "/f", "want");
	rumount();
	fsck_clean("img");
	cleanup();
}
END_TEST

/* A bad data block checksum in a committed transaction: the journal is
 * corrupt, nothing is replayed and the mount is read-only. */
START_TEST(corrupt_journal_is_not_replayed_and_mount_is_read_only)
{
	int fd;

	if (!setup())
		return;
	ck_assert_int_eq(sh("cd '%s' && mkdir src && head -c 8192 "
	    "/dev/urandom > src/f && cp src/f old && mke2fs -q -F -t ext4 "
	    "-b 4096 -d src img 64M >/dev/null 2>&1 && "
	    "head -c 4096 /dev/urandom "
	    "> new && b0=$(debugfs -R 'bmap /f 0' img 2>/dev/null) && "
	    "printf 'jo -c -v 3\\njw -b %%s new\\njc\\n' $b0 | "
	    "debugfs -w -f - img >/dev/null 2>&1 && "
	    "p=$(debugfs -R 'bmap <8> 2' img 2>/dev/null) && "
	    /* a byte of the block's random data, complemented: changed
	     * whatever it was ('X' left it as it was 1 time in 256) */
	    "o=$((p * 4096 + 100)) && b=$(od -An -tu1 -j $o -N1 img) && "
	    "printf \"\\\\$(printf %%o $((255 - b)))\" | "
	    "dd of=img bs=1 seek=$o conv=notrunc 2>/dev/null", dir), 0);
	ck_assert_int_eq(rmount("img", "ext4", 0), 0);
	rcompare(MNT "/f", "old");
	fd = rump_sys_open(MNT "/g", O_CREAT | O_WRONLY, 0644);
	ck_assert_int_eq(fd, -1);
	ck_assert_int_eq(errno, EROFS);
	rumount();
	cleanup();
}
END_TEST

/*
 * The host kernel's journal, caught before its checkpoint: our mount
 * replays it, reads the files, writes one more; e2fsck and the host
 * agree afterwards.
 */
START_TEST(host_kernel_journal_replays_at_mount)
{
	int fd;

	if (!setup())
		return;
	if (!have_loop()) {
		cleanup();
		return;
	}
	ck_assert_int_eq(sh("cd '%s' && mke2fs -q -F -t ext4 img 64M "
	    ">/dev/null 2>&1 && lmount commit=60 img mnt && "
	    "head -c 300000 /dev/urandom > data && mkdir mnt/d && "
	    "cp data mnt/d/f && for i in $(seq 1 40); do echo $i > mnt/d/n$i; "
	    "done && sync -f mnt/d/f && cp img snap; lumount mnt && "
	    "dumpe2fs -h snap 2>/dev/null | grep -q needs_recovery", dir), 0);
	ck_assert_int_eq(rmount("snap", "ext4", 0), 0);
	rcompare(MNT "/d/f", "data");
	fd = rump_sys_open(MNT "/d/g", O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	rwrite(fd, "written by rump\n", 16, 0);
	rump_sys_close(fd);
	rumount();
	fsck_clean("snap");
	ck_assert_int_eq(sh("cd '%s' && lmount ro snap mnt && "
	    "cmp -s mnt/d/f data && grep -qx 40 mnt/d/n40 && "
	    "grep -q 'written by rump' mnt/d/g; r=$?; lumount mnt; exit $r",
	    dir), 0);
	cleanup();
}
END_TEST

/* Deterministic contents: block b of file seed. */
static void
fill(uint8_t *buf, size_t len, unsigned int seed, uint64_t b)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)((b * 131 + i * 7 + seed) ^ (i >> 5));
}

/*
 * Files that need extent trees: one written sequentially (few extents:
 * the allocator's goal keeps it contiguous), one written a block at a
 * time backwards and with every other block left a hole (one extent per
 * block: splits and a tree two levels deep in 1 KiB blocks), then cut
 * in the middle.  e2fsck finds nothing wrong (extent tree checksums,
 * inode checksums, i_blocks, bitmaps) and the host reads the same bytes.
 */
START_TEST(extent_trees_written_through_the_driver_are_clean)
{
	static uint8_t buf[1024 * 64];
	uint64_t b;
	int fd;

	if (!setup())
		return;
	ck_assert_int_eq(sh("cd '%s' && mke2fs -q -F -t ext4 -b 1024 img 64M "
	    ">/dev/null 2>&1", dir), 0);
	ck_assert_int_eq(rmount("img", "ext4", 0), 0);
	fd = rump_sys_open(MNT "/seq", O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	for (b = 0; b < 160; b++) {
		fill(buf, sizeof(buf), 1, b);
		rwrite(fd, buf, sizeof(buf), (off_t)(b * sizeof(buf)));
	}
	rump_sys_close(fd);
	fd = rump_sys_open(MNT "/frag", O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	for (b = 2400; b > 0; b -= 2) {
		fill(buf, 1024, 2, b);
		rwrite(fd, buf, 1024, (off_t)(b * 1024));
	}
	rump_sys_close(fd);
	rumount();
	fsck_clean("img");
	ck_assert_int_eq(sh("cd '%s' && debugfs -R 'stat /frag' img "
	    "2>/dev/null | grep -q 'ETB1' && [ $(debugfs -R 'ex /seq' img "
	    "2>/dev/null | wc -l) -lt 20 ]", dir), 0);

	/* Cut both in the middle, remount, check again. */
	ck_assert_int_eq(rmount("img", "ext4", 0), 0);
	ck_assert_int_eq(rump_sys_truncate(MNT "/seq", 5 * 1024 * 1024 + 100),
	    0);
	ck_assert_int_eq(rump_sys_truncate(MNT "/frag", 1000 * 1024 + 1), 0);
	rumount();
	fsck_clean("img");
	if (have_loop()) {
		/* Our bytes, as the host reads them. */
		ck_assert_int_eq(rmount("img", "ext4", MS_RDONLY), 0);
		ck_assert_int_eq(sh("cd '%s' && lmount ro img mnt && "
		    "cp mnt/seq seq && cp mnt/frag frag; r=$?; lumount mnt; "
		    "exit $r", dir), 0);
		rcompare(MNT "/seq", "seq");
		rcompare(MNT "/frag", "frag");
		rumount();
	}
	cleanup();
}
END_TEST

/*
 * Preallocated space (fallocate on the host: uninitialised extents)
 * reads as zeros through our driver; writes into its middle turn just
 * those blocks into data; e2fsck and the host agree.
 */
START_TEST(writes_into_preallocated_extents_convert_them)
{
	static uint8_t buf[4096], got[4096];
	size_t i;
	int fd;

	if (!setup())
		return;
	if (!have_loop()) {
		cleanup();
		return;
	}
	ck_assert_int_eq(sh("cd '%s' && mke2fs -q -F -t ext4 img 64M "
	    ">/dev/null 2>&1 && lmount rw img mnt && "
	    "fallocate -l 4M mnt/pre && lumount mnt && "
	    "debugfs -R 'ex /pre' img 2>/dev/null | grep -q Uninit", dir), 0);
	ck_assert_int_eq(rmount("img", "ext4", 0), 0);
	fd = rump_sys_open(MNT "/pre", O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_pread(fd, buf, sizeof(buf), 8192),
	    (ssize_t)sizeof(buf));
	ck_assert(buf[0] == 0 && buf[4095] == 0);
	fill(buf, sizeof(buf), 3, 0);
	rwrite(fd, buf, 100, 100 * 4096 + 10);	/* partial block */
	rwrite(fd, buf, sizeof(buf), 0);		/* the first */
	rwrite(fd, buf, sizeof(buf), 1023 * 4096);	/* the last */
	rump_sys_close(fd);
	rumount();
	fsck_clean("img");
	ck_assert_int_eq(sh("cd '%s' && lmount ro img mnt && "
	    "cp mnt/pre pre; r=$?; lumount mnt; exit $r", dir), 0);
	ck_assert_int_eq(rmount("img", "ext4", MS_RDONLY), 0);
	rcompare(MNT "/pre", "pre");
	/* Zeros around the partial write, its data inside. */
	fd = rump_sys_open(MNT "/pre", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_pread(fd, got, sizeof(got), 100 * 4096),
	    (ssize_t)sizeof(got));
	rump_sys_close(fd);
	for (i = 0; i < sizeof(got); i++)
		ck_assert_msg(got[i] == (i >= 10 && i < 110 ? buf[i - 10] : 0),
		    "byte %zu of block 100", i);
	rumount();
	cleanup();
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ext2b_mount");
	TCase *tc = tcase_create("ext2b_mount");

	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, journal_replayed_at_mount_gives_the_logged_contents);
	tcase_add_test(tc, ext3_journal_replayed_at_mount);
	tcase_add_test(tc,
	    corrupt_journal_is_not_replayed_and_mount_is_read_only);
	tcase_add_test(tc, host_kernel_journal_replays_at_mount);
	tcase_add_test(tc, extent_trees_written_through_the_driver_are_clean);
	tcase_add_test(tc, writes_into_preallocated_extents_convert_them);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nfailed;

	/* What failed tests leave behind goes at the end. */
	mainpid = getpid();
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	sh("for d in /tmp/t_ext2b_mount.%d.*; do [ -d \"$d\" ] || continue; "
	    "umount \"$d/mnt\" 2>/dev/null; rm -rf \"$d\"; done",
	    (int)mainpid);
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
