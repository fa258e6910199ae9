/*
 * t_ext2_read.c: images made by the real tools, read through our driver.
 *
 * mkfs: images that mke2fs makes (-t ext2, ext3, ext4 with the defaults
 * of /etc/mke2fs.conf, 1 KiB and 4 KiB blocks, ext4 with orphan_file)
 * mount; the root, lost+found and statfs are what the host kernel shows
 * for the same image; a mount and unmount (read-only, then read-write)
 * leave e2fsck -fn clean.  An image that is not ext2/3/4 is EINVAL.
 *
 * trees: a tree written by the host kernel (loop mount), by debugfs
 * (debugfs -w -f script) and by mke2fs -d (from a host directory) is
 * read back through our driver: the manifest (ext2_test.h: data, sizes,
 * modes, owners, link counts and hard-link groups, symlink targets,
 * device numbers, inode numbers, block counts, nanosecond times) must be
 * exactly the host kernel's for the same image, read-only loop-mounted.
 * The trees hold a sparse file past 4 GiB, a file with holes, fast and
 * slow symlinks, 32-bit owners, devices with large numbers, fifos and
 * sockets, hard links across directories, a 255-byte name and a
 * directory of E3_BIGDIR entries (default 1,000) that the host indexes
 * (dir_index; the test checks that it did); bigdir: a directory of
 * 10,000 entries (E3_BIGDIR) alone.
 *
 * Also: unknown incompat and ro_compat features (the compat rules); a
 * directory the host indexed, changed through our driver, stays valid
 * (e2fsck) and the host sees the changes.
 *
 * journal: an ext3 and an ext4 image copied while the host had them
 * mounted (needs_recovery, transactions only in the journal) mount
 * read-write through our driver, which replays the journal: the tree is
 * the host's after its own replay, and e2fsck -fn is clean after.
 *
 * Runs as root.  E3_KEEP=1 keeps the temporary directory, E3_SELFCHECK=1
 * compares the host with itself (a check of the test).
 */

#include "ext2_test.h"

static const char *const fstypes[] = { "ext2", "ext3", "ext4" };

/*
 * mkfs
 */

/* statfs through the host kernel on a read-only loop mount. */
static void
host_statfs(const char *img, struct statfs *sf)
{
	const char *m = e3_hmount(img, "mstatfs", "ro");

	ck_assert_int_eq(statfs(m, sf), 0);
	e3_humount(m);
}

static void
check_fresh_image(const char *type, const char *opts)
{
	struct e3_manifest hm, rm;
	struct statfs hs, rs;
	const char *img, *m;

	img = e3_mkfs("fresh.img", type, 64, opts);
	host_statfs(img, &hs);
	m = e3_hmount(img, "mh", "ro");
	e3_manifest(&e3_host_ops, m, E3M_SAME_IMAGE, &hm);
	e3_humount(m);

	e3_rmount_ok(img, type, MS_RDONLY);
	ck_assert_int_eq(rump_sys_statfs(E3_MNT, &rs), 0);
	ck_assert_int_eq(rs.f_type, E3_EXT2_MAGIC);
	ck_assert_int_eq(rs.f_bsize, hs.f_bsize);
	ck_assert_int_eq(rs.f_frsize, hs.f_frsize);
	ck_assert_int_eq(rs.f_blocks, hs.f_blocks);
	ck_assert_int_eq(rs.f_bfree, hs.f_bfree);
	ck_assert_int_eq(rs.f_bavail, hs.f_bavail);
	ck_assert_int_eq(rs.f_files, hs.f_files);
	ck_assert_int_eq(rs.f_ffree, hs.f_ffree);
	ck_assert_int_eq(rs.f_namelen, 255);
	e3_manifest(&e3_rump_ops, E3_MNT, E3M_SAME_IMAGE, &rm);
	ck_assert_manifests_eq("host", &hm, "rump", &rm);
	e3_rumount();
	ck_assert_int_eq(e3_fsck(img), 0);
	e3_mfree(&hm);
	e3_mfree(&rm);
}

E3TEST(mkfs, mkfs_ext2_1k_mounts_as_the_host_sees_it)
{

	check_fresh_image("ext2", NULL);
}

E3TEST(mkfs, mkfs_ext3_1k_mounts_as_the_host_sees_it)
{

	check_fresh_image("ext3", NULL);
}

E3TEST(mkfs, mkfs_ext4_1k_mounts_as_the_host_sees_it)
{

	check_fresh_image("ext4", NULL);
}

E3TEST(mkfs, mkfs_ext2_4k_mounts_as_the_host_sees_it)
{

	check_fresh_image("ext2", "-b 4096");
}

E3TEST(mkfs, mkfs_ext4_4k_mounts_as_the_host_sees_it)
{

	check_fresh_image("ext4", "-b 4096");
}

E3TEST(mkfs, mkfs_ext4_orphan_file_mounts_as_the_host_sees_it)
{

	check_fresh_image("ext4", "-b 4096 -O orphan_file");
}

/* A read-write mount and unmount of each fresh image changes nothing
 * e2fsck minds (a clean unmount state, free counts, checksums). */
E3TEST(mkfs, mkfs_images_mount_read_write_and_stay_clean)
{
	const char *img;
	size_t i;

	for (i = 0; i < 3; i++) {
		img = e3_mkfs("rw.img", fstypes[i], 64, NULL);
		e3_rmount_ok(img, fstypes[i], 0);
		ck_assert_int_eq(rump_sys_access(E3_MNT "/lost+found", F_OK),
		    0);
		e3_rumount();
		ck_assert_msg(e3_fsck(img) == 0, "%s", fstypes[i]);
	}
}

/* Not an ext2 file system: zeros, and an ext2 image with its magic
 * number off by one.  Linux: EINVAL. */
E3TEST(mkfs, mount_of_a_non_ext2_image_is_EINVAL)
{
	const char *img = e3_path("zero.img");
	size_t i;
	int fd;

	e3_sh_ok("truncate -s 8M %s", img);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(e3_rmount(img, fstypes[i], MS_RDONLY),
		    EINVAL);
	img = e3_mkfs("magic.img", "ext2", 8, NULL);
	fd = open(img, O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, "\x54\xef", 2, 1024 + 56), 2);
	close(fd);
	ck_assert_int_eq(e3_rmount(img, "ext2", MS_RDONLY), EINVAL);
	/* The kernel still works. */
	ck_assert_int_eq(rump_sys_mkdir("/after", 0755), 0);
}

/*
 * Trees
 */

static int
bigdir_n(void)
{

	return e3_envint("E3_BIGDIR", 1000);
}

static void
hwrite_at(int fd, uint64_t seed, off_t off, size_t len)
{
	unsigned char *b = malloc(len);

	ck_assert_ptr_nonnull(b);
	e3_fill(b, len, seed, (uint64_t)off);
	ck_assert_int_eq(pwrite(fd, b, len, off), (ssize_t)len);
	free(b);
}

static void
hfile(const char *root, const char *name, mode_t mode, size_t size,
    uint64_t seed)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", root, name);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_msg(fd >= 0, "create %s: %s", p, strerror(errno));
	if (size > 0)
		hwrite_at(fd, seed, 0, size);
	close(fd);
	ck_assert_int_eq(chmod(p, mode), 0);
}

static const char *
hp(const char *root, const char *name)
{
	static char buf[4][PATH_MAX];
	static int n;
	char *p = buf[n++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", root, name);
	return p;
}

static void
settime(const char *root, const char *name, time_t a, long an, time_t m,
    long mn)
{
	struct timespec ts[2] = { { a, an }, { m, mn } };

	ck_assert_int_eq(utimensat(AT_FDCWD, hp(root, name), ts,
	    AT_SYMLINK_NOFOLLOW), 0);
}

/* The big directory: nbig names of 1 to 60 bytes, a few
 * subdirectories, a few hard links (to "small" when it exists). */
static void
populate_bigdir(const char *root, int nbig)
{
	char name[300], target[1100];
	int i, len, haslink;
	struct stat st;

	haslink = lstat(hp(root, "small"), &st) == 0;
	ck_assert_int_eq(mkdir(hp(root, "big"), 0755), 0);
	for (i = 0; i < nbig; i++) {
		len = snprintf(name, sizeof(name), "%x", i);
		while (len < 1 + (i * 7) % 60) {
			name[len] = "ghijklmnop"[(i + len) % 10];
			len++;
		}
		name[len] = '\0';
		snprintf(target, sizeof(target), "big/%s", name);
		if (i % 1000 == 999)
			ck_assert_int_eq(mkdir(hp(root, target), 0755), 0);
		else if (i % 1000 == 500 && haslink)
			ck_assert_int_eq(link(hp(root, "small"),
			    hp(root, target)), 0);
		else
			hfile(root, target, 0644, i % 100 == 0 ? (size_t)i : 0,
			    (uint64_t)i);
	}
}

/*
 * The tree, written through the host kernel at root.  sockets: make a
 * socket node too (mke2fs -d does not copy them).  With big, the big
 * directory and the sparse file past 4 GiB.
 */
static void
populate(const char *root, int sockets, int big, int nbig)
{
	char name[300], target[1100];
	int fd, i;

	ck_assert_int_eq(mkdir(hp(root, "d"), 0755), 0);
	ck_assert_int_eq(mkdir(hp(root, "d/sub"), 0700), 0);
	ck_assert_int_eq(mkdir(hp(root, "d/sub/deep"), 0755), 0);
	ck_assert_int_eq(mkdir(hp(root, "sticky"), 0755), 0);
	ck_assert_int_eq(chmod(hp(root, "sticky"), 01777), 0);
	hfile(root, "empty", 0644, 0, 1);
	hfile(root, "small", 0644, 100, 2);
	hfile(root, "oneblock", 0600, 1024, 3);
	hfile(root, "fourk", 0640, 4096, 4);
	hfile(root, "indirect", 0644, 12 * 1024 + 1, 5);
	hfile(root, "dindirect", 0755, 300 * 1024 + 7, 6);
	hfile(root, "d/five_mb", 0644, 5 * 1024 * 1024 + 3, 7);
	hfile(root, "d/sub/deep/setuid", 04755, 33, 8);
	hfile(root, "d/setgid", 02711, 44, 9);
	hfile(root, "d/nomode", 0, 55, 10);
	hfile(root, "sticky/f", 0666, 66, 11);
	memset(name, 'n', 255);
	name[255] = '\0';
	hfile(root, name, 0644, 77, 12);

	/* Holes inside the first 64 MiB (hashed in full). */
	fd = open(hp(root, "holes"), O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	hwrite_at(fd, 13, 0, 1000);
	hwrite_at(fd, 13, 1 << 20, 5000);
	hwrite_at(fd, 13, (3 << 20) + 5, 4096);
	ck_assert_int_eq(ftruncate(fd, 9 << 20), 0);
	close(fd);

	/* Owners, 16 and 32 bits. */
	ck_assert_int_eq(chown(hp(root, "small"), 1000, 1000), 0);
	ck_assert_int_eq(chown(hp(root, "oneblock"), 65534, 65534), 0);
	ck_assert_int_eq(chown(hp(root, "fourk"), 100000, 200000), 0);
	ck_assert_int_eq(chown(hp(root, "d/sub"), 4000000000u, 4000000001u),
	    0);
	ck_assert_int_eq(chmod(hp(root, "d/sub"), 0700), 0);

	/* Symbolic links: fast (in the inode), slow (a block). */
	ck_assert_int_eq(symlink("small", hp(root, "fast")), 0);
	ck_assert_int_eq(symlink("d/sub", hp(root, "dirlink")), 0);
	ck_assert_int_eq(symlink("/nonexistent/x", hp(root, "dangling")), 0);
	memset(target, 0, sizeof(target));
	for (i = 0; i < 59; i++)
		target[i] = 'a' + i % 26;
	ck_assert_int_eq(symlink(target, hp(root, "fast59")), 0);
	target[59] = 'z';
	ck_assert_int_eq(symlink(target, hp(root, "slow60")), 0);
	for (i = 0; i < 1000; i++)
		target[i] = i % 50 == 49 ? '/' : 'a' + i % 26;
	ck_assert_int_eq(symlink(target, hp(root, "slow1000")), 0);
	ck_assert_int_eq(lchown(hp(root, "slow1000"), 4321, 8765), 0);

	/* Hard links across directories. */
	ck_assert_int_eq(link(hp(root, "small"), hp(root, "d/hard1")), 0);
	ck_assert_int_eq(link(hp(root, "small"), hp(root, "d/sub/hard2")),
	    0);
	ck_assert_int_eq(link(hp(root, "indirect"), hp(root, "d/hard3")), 0);

	/* Devices, fifos, sockets. */
	ck_assert_int_eq(mknod(hp(root, "cdev"), S_IFCHR | 0666,
	    makedev(1, 3)), 0);
	ck_assert_int_eq(mknod(hp(root, "bdev"), S_IFBLK | 0660,
	    makedev(8, 1)), 0);
	ck_assert_int_eq(mknod(hp(root, "bigdev"), S_IFCHR | 0600,
	    makedev(300, 70000)), 0);
	ck_assert_int_eq(mknod(hp(root, "d/fifo"), S_IFIFO | 0644, 0), 0);
	if (sockets)
		ck_assert_int_eq(mknod(hp(root, "sock"), S_IFSOCK | 0755, 0),
		    0);

	if (big) {
		/* Past 4 GiB: data at 0, at every 64 MiB up to 256 MiB,
		 * across 4 GiB and at the end. */
		fd = open(hp(root, "sparse"), O_WRONLY | O_CREAT, 0644);
		ck_assert_int_ge(fd, 0);
		hwrite_at(fd, 14, 0, 4096);
		for (i = 1; i <= 4; i++)
			hwrite_at(fd, 14, ((off_t)i << 26) + 100, 3000);
		hwrite_at(fd, 14, (1LL << 32) - 2000, 5000);
		hwrite_at(fd, 14, (1LL << 32) + 100000, 4096);
		close(fd);

		populate_bigdir(root, nbig);
	}

	/* Times, with nanoseconds, before 1970 and after 2038. */
	settime(root, "small", 1234567890, 123456789, 1234567891, 987654321);
	settime(root, "empty", -1000, 5, 0, 999999999);
	settime(root, "oneblock", 2200000000LL, 1, 3000000000LL, 2);
	settime(root, "fast", 1000000000, 0, 1000000001, 500);
	settime(root, "d/sub", 1600000000, 42, 1600000001, 43);
}

/* Host tree vs our driver for img, then e2fsck. */
static void
compare_with_host(const char *img, const char *type)
{
	struct e3_manifest hm, rm;
	const char *m;

	ck_assert_int_eq(e3_fsck(img), 0);
	m = e3_hmount(img, "mh", "ro");
	e3_manifest(&e3_host_ops, m, E3M_SAME_IMAGE, &hm);
	e3_humount(m);
	ck_assert_int_eq(hm.errors, 0);

	if (getenv("E3_SELFCHECK") != NULL) {
		/* A check of the test: the host against itself. */
		m = e3_hmount(img, "mh2", "ro");
		e3_manifest(&e3_host_ops, m, E3M_SAME_IMAGE, &rm);
		e3_humount(m);
	} else {
		e3_rmount_ok(img, type, MS_RDONLY);
		e3_manifest(&e3_rump_ops, E3_MNT, E3M_SAME_IMAGE, &rm);
		e3_rumount();
	}
	ck_assert_manifests_eq("host", &hm, "rump", &rm);
	e3_mfree(&hm);
	e3_mfree(&rm);
}

static void
host_tree(const char *type, int nbig)
{
	const char *img, *m;

	img = e3_mkfs("tree.img", type, 64, NULL);
	m = e3_hmount(img, "mw", NULL);
	populate(m, 1, 1, nbig);
	/* The host indexed the big directory. */
	ck_assert_int_eq(e3_sh("lsattr -d %s/big | cut -d' ' -f1 | "
	    "grep -q I", m), 0);
	e3_humount(m);
	compare_with_host(img, type);
}

E3TEST(trees, host_written_ext2_tree_reads_back_identical)
{

	host_tree("ext2", bigdir_n());
}

E3TEST(trees, host_written_ext3_tree_reads_back_identical)
{

	host_tree("ext3", bigdir_n());
}

E3TEST(trees, host_written_ext4_tree_reads_back_identical)
{

	host_tree("ext4", bigdir_n());
}

/* The 10,000-entry directory (E3_BIGDIR) alone, which the host indexes
 * (dir_index, two levels with 1 KiB blocks): ext4, and with E3_LONG=1
 * ext2 and ext3 too. */
static void
host_bigdir(const char *type, int n)
{
	const char *img, *m;

	img = e3_mkfs("big.img", type, 64, NULL);
	m = e3_hmount(img, "mw", NULL);
	hfile(m, "small", 0644, 100, 2);
	populate_bigdir(m, n);
	ck_assert_int_eq(e3_sh("lsattr -d %s/big | cut -d' ' -f1 | "
	    "grep -q I", m), 0);
	e3_humount(m);
	compare_with_host(img, type);
}

E3TEST(bigdir, host_written_10000_entry_directory_reads_back_identical)
{
	int n = e3_envint("E3_BIGDIR", 10000);

	host_bigdir("ext4", n);
	if (getenv("E3_LONG") != NULL) {
		host_bigdir("ext2", n);
		host_bigdir("ext3", n);
	}
}

/* mke2fs -d: a tree copied from a host directory at mkfs time. */
static void
mkfs_d_tree(const char *type)
{
	const char *src = e3_path("src"), *img;

	ck_assert_int_eq(mkdir(src, 0755), 0);
	populate(src, 0, 0, 0);
	img = e3_path("tree.img");
	e3_sh_ok("truncate -s 64M %s && mke2fs -F -q -t %s -d %s %s "
	    ">/dev/null", img, type, src, img);
	compare_with_host(img, type);
}

E3TEST(trees, mkfs_d_ext2_tree_reads_back_identical)
{

	mkfs_d_tree("ext2");
}

E3TEST(trees, mkfs_d_ext4_tree_reads_back_identical)
{

	mkfs_d_tree("ext4");
}

/* debugfs -w: files written by e2fsprogs' own code. */
static void
debugfs_tree(const char *type)
{
	const char *img, *script = e3_path("script");
	char slow[200];
	FILE *f;
	int fd, i;

	hfile(e3_tmp, "src_small", 0644, 777, 21);
	hfile(e3_tmp, "src_mid", 0644, 300 * 1024 + 1, 22);
	fd = open(e3_path("src_holes"), O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	hwrite_at(fd, 23, 0, 100);
	hwrite_at(fd, 23, 2 << 20, 100);
	close(fd);
	for (i = 0; i < 150; i++)
		slow[i] = 'A' + i % 26;
	slow[150] = '\0';

	img = e3_mkfs("tree.img", type, 32, NULL);
	f = fopen(script, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "mkdir dd\nmkdir dd/sub\n"
	    "write %s dd/small\nwrite %s dd/mid\nwrite %s dd/holes\n"
	    "symlink dd/fast small\nsymlink dd/slow %s\n"
	    "cd dd\nmknod cdev c 4 5\nmknod bdev b 7 0\nmknod fifo p\ncd /\n"
	    "ln dd/small dd/sub/hard\nsif dd/small links_count 2\n"
	    "sif dd/small uid 1234\nsif dd/small gid 5678\n"
	    "sif dd/small mode 0100600\n"
	    "sif dd/mid uid 34464\nsif dd/mid uid_high 1\n"
	    "sif dd/mid mtime 20200102030405\n"
	    "sif dd/sub mode 040711\n",
	    e3_path("src_small"), e3_path("src_mid"), e3_path("src_holes"),
	    slow);
	fclose(f);
	e3_sh_ok("debugfs -w -f %s %s >/dev/null 2>&1", script, img);
	compare_with_host(img, type);
}

E3TEST(trees, debugfs_written_ext2_tree_reads_back_identical)
{

	debugfs_tree("ext2");
}

E3TEST(trees, debugfs_written_ext4_tree_reads_back_identical)
{

	debugfs_tree("ext4");
}

/*
 * Journals that need recovery: the host writes a tree on ext3/ext4,
 * fsyncs (the journal commits), and a copy of the image is taken while
 * it is still mounted: needs_recovery is set and the last transactions
 * may be only in the journal.  The host kernel's mount of one copy
 * replays them; ours of another copy must show the same tree, and leave
 * e2fsck -fn clean after unmounting.
 */
static void
journal_replay(const char *type)
{
	struct e3_manifest hm, rm;
	const char *img, *m, *a = e3_path("crash_host.img"),
	    *b = e3_path("crash_rump.img");
	char p[PATH_MAX];
	int fd, i;

	img = e3_mkfs("j.img", type, 64, NULL);
	m = e3_hmount(img, "mw", "commit=600");
	/* a first tree, checkpointed */
	populate(m, 1, 0, 0);
	e3_sh_ok("sync -f %s", m);
	/* then more, only committed to the journal */
	for (i = 0; i < 50; i++) {
		snprintf(p, sizeof(p), "%s/j%d", m, i);
		fd = open(p, O_WRONLY | O_CREAT, 0640);
		ck_assert_int_ge(fd, 0);
		hwrite_at(fd, (uint64_t)i, 0, (size_t)(i * 97));
		ck_assert_int_eq(fsync(fd), 0);
		close(fd);
	}
	ck_assert_int_eq(rename(hp(m, "small"), hp(m, "renamed")), 0);
	ck_assert_int_eq(unlink(hp(m, "indirect")), 0);
	ck_assert_int_eq(chmod(hp(m, "d"), 0711), 0);
	fd = open(hp(m, "j0"), O_RDONLY);
	ck_assert_int_eq(fsync(fd), 0);
	close(fd);
	e3_sh_ok("cp --sparse=always %s %s && cp --sparse=always %s %s", img,
	    a, img, b);
	e3_humount(m);
	ck_assert_int_eq(e3_sh("dumpe2fs -h %s 2>/dev/null | grep -q "
	    "needs_recovery", a), 0);

	m = e3_hmount(a, "mh", NULL);
	e3_manifest(&e3_host_ops, m, E3M_INO | E3M_BLOCKS | E3M_DIRSIZE, &hm);
	e3_humount(m);
	e3_rmount_ok(b, type, 0);
	e3_manifest(&e3_rump_ops, E3_MNT, E3M_INO | E3M_BLOCKS | E3M_DIRSIZE,
	    &rm);
	e3_rumount();
	ck_assert_manifests_eq("host", &hm, "rump", &rm);
	ck_assert_int_eq(e3_fsck(b), 0);
	e3_mfree(&hm);
	e3_mfree(&rm);
}

E3TEST(journal, ext3_journal_is_replayed_as_the_host_does)
{

	journal_replay("ext3");
}

E3TEST(journal, ext4_journal_is_replayed_as_the_host_does)
{

	journal_replay("ext4");
}

/*
 * Feature rules: an unknown incompat feature refuses the mount (EINVAL,
 * read-only too); an unknown ro_compat feature refuses a read-write
 * mount (Linux: EINVAL; a read-only mount instead, whose writes are
 * EROFS, is what the issue allows) and allows a read-only one.
 */
static void
set_feature(const char *img, int off, uint32_t bit)
{
	unsigned char b[4];
	uint32_t v;
	int fd = open(img, O_RDWR);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, b, 4, 1024 + off), 4);
	v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	    (uint32_t)b[3] << 24;
	v |= bit;
	b[0] = (unsigned char)v;
	b[1] = (unsigned char)(v >> 8);
	b[2] = (unsigned char)(v >> 16);
	b[3] = (unsigned char)(v >> 24);
	ck_assert_int_eq(pwrite(fd, b, 4, 1024 + off), 4);
	close(fd);
}

E3TEST(mkfs, unknown_features_follow_the_compat_rules)
{
	const char *img;
	int e;

	/* ro_compat 0x80000000 */
	img = e3_mkfs("rocompat.img", "ext2", 8, NULL);
	set_feature(img, 100, 0x80000000u);
	e = e3_rmount(img, "ext2", 0);
	if (e == 0) {
		ck_assert_fails(rump_sys_mkdir(E3_MNT "/x", 0755), EROFS);
		e3_rumount();
	} else {
		ck_assert_int_eq(e, EINVAL);
	}
	e3_rmount_ok(img, "ext2", MS_RDONLY);
	ck_assert_int_eq(rump_sys_access(E3_MNT "/lost+found", F_OK), 0);
	e3_rumount();
	/* incompat 0x80000000 */
	img = e3_mkfs("incompat.img", "ext2", 8, NULL);
	set_feature(img, 96, 0x80000000u);
	ck_assert_int_eq(e3_rmount(img, "ext2", 0), EINVAL);
	ck_assert_int_eq(e3_rmount(img, "ext2", MS_RDONLY), EINVAL);
}

/*
 * An indexed directory (written by the host) changed through our
 * driver: names added, removed, renamed within and out.  The index
 * stays valid or is cleared (as Linux's ext2 does): e2fsck -fn is
 * clean, the host sees exactly the expected names, and the host's view
 * of the image is our driver's.
 */
#define UPPER50 "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWX"

static void
indexed_dir_writes(const char *type)
{
	struct e3_manifest hm, rm;
	const char *img, *m;
	char p[PATH_MAX], q[PATH_MAX];
	struct stat st;
	int i, fd, n = 2000;

	img = e3_mkfs("idx.img", type, 64, NULL);
	m = e3_hmount(img, "mw", NULL);
	hfile(m, "small", 0644, 100, 2);
	ck_assert_int_eq(mkdir(hp(m, "big"), 0755), 0);
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "big/host-%05d-%.*s", i, i % 40,
		    "abcdefghijklmnopqrstuvwxyzabcdefghijklmn");
		hfile(m, p, 0644, 0, 0);
	}
	ck_assert_int_eq(e3_sh("lsattr -d %s/big | cut -d' ' -f1 | "
	    "grep -q I", m), 0);
	e3_humount(m);

	e3_rmount_ok(img, type, 0);
	ck_assert_int_eq(rump_sys_mkdir(E3_MNT "/out", 0755), 0);
	for (i = 0; i < 600; i++) {
		snprintf(p, sizeof(p), E3_MNT "/big/ours-%05d-%.*s", i,
		    i % 50, UPPER50);
		fd = rump_sys_open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
		ck_assert_msg(fd >= 0, "create %s: %s", p, strerror(errno));
		ck_assert_int_eq(rump_sys_close(fd), 0);
	}
	for (i = 0; i < n; i += 4) {
		snprintf(p, sizeof(p), E3_MNT "/big/host-%05d-%.*s", i, i % 40,
		    "abcdefghijklmnopqrstuvwxyzabcdefghijklmn");
		ck_assert_msg(rump_sys_unlink(p) == 0, "unlink %s: %s", p,
		    strerror(errno));
	}
	for (i = 1; i < n; i += 20) {
		snprintf(p, sizeof(p), E3_MNT "/big/host-%05d-%.*s", i, i % 40,
		    "abcdefghijklmnopqrstuvwxyzabcdefghijklmn");
		snprintf(q, sizeof(q), E3_MNT "/%s/moved-%05d",
		    i % 40 == 1 ? "out" : "big", i);
		ck_assert_msg(rump_sys_rename(p, q) == 0, "rename %s: %s", p,
		    strerror(errno));
	}
	e3_rumount();
	ck_assert_int_eq(e3_fsck(img), 0);

	/* The host sees what we did. */
	m = e3_hmount(img, "mh", "ro");
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/big/host-%05d-%.*s", m, i, i % 40,
		    "abcdefghijklmnopqrstuvwxyzabcdefghijklmn");
		ck_assert_msg((lstat(p, &st) == 0) == (i % 4 != 0 &&
		    i % 20 != 1), "%s: host lstat %s", p, strerror(errno));
	}
	for (i = 0; i < 600; i++) {
		snprintf(p, sizeof(p), "%s/big/ours-%05d-%.*s", m, i, i % 50,
		    UPPER50);
		ck_assert_msg(lstat(p, &st) == 0, "%s: host lstat %s", p,
		    strerror(errno));
	}
	e3_manifest(&e3_host_ops, m, E3M_SAME_IMAGE, &hm);
	e3_humount(m);
	e3_rmount_ok(img, type, MS_RDONLY);
	e3_manifest(&e3_rump_ops, E3_MNT, E3M_SAME_IMAGE, &rm);
	e3_rumount();
	ck_assert_manifests_eq("host", &hm, "rump", &rm);
	e3_mfree(&hm);
	e3_mfree(&rm);
}

E3TEST(trees, indexed_ext2_directory_written_by_us_stays_valid)
{

	indexed_dir_writes("ext2");
}

E3TEST(trees, indexed_ext4_directory_written_by_us_stays_valid)
{

	indexed_dir_writes("ext4");
}

int
main(void)
{

	return e3_main("ext2_read", 120);
}
