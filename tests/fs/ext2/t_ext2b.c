/*
 * t_ext2b.c: unit tests of the ext4 parts of the ext2 driver: crc32c and
 * crc16 against published check values, the extent tree's node checks
 * and its writes against a model, every checksum and every file of real
 * images made by mke2fs, mutated images, and the replay of journals that
 * debugfs and the host kernel wrote, compared with e2fsck's own replay.
 * The kernel side is ktest_ext2b.k.c; the images live in a temporary
 * directory.  Tests that need a tool that is missing (or root, for the
 * loop mount) say so and pass.
 */

#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rump/rump.h>

int rump_ktest_ext2b_crc(void);
int rump_ktest_ext2b_extent_check(void);
int rump_ktest_ext2b_extent_model(uint32_t seed, int nops, uint32_t span,
    int frag, int fail_every, int block_max, int check_every, int high);

struct ktest_ext2b_counts {
	uint64_t c_groups;
	uint64_t c_bitmaps;
	uint64_t c_inodes;
	uint64_t c_extent_nodes;
	uint64_t c_dirblocks;
	uint64_t c_dx_blocks;
	int c_depth;
};
int rump_ktest_ext2b_image_check(uint8_t *, size_t,
    struct ktest_ext2b_counts *);
int rump_ktest_ext2b_read_file(uint8_t *, size_t, uint32_t ino, uint8_t *out,
    size_t outsize, size_t *lenp);
int rump_ktest_ext2b_journal(uint8_t *, size_t);
int rump_ktest_ext2b_mutated_writes(uint8_t *, size_t, uint32_t ino,
    uint32_t seed);

#define EUCLEAN_ 117

static char dir[64];
static pid_t mainpid;		/* names the directories to clean up */

static void
boot(void)
{
	int error = rump_init();

	/* CK_FORK=no runs every test in one process: one kernel. */
	ck_assert_msg(error == 0 || error == EBUSY, "rump_init: %s",
	    strerror(error));
}

#define KTEST(call) do { \
	int line_ = (call); \
	ck_assert_msg(line_ == 0, #call " failed at ktest_ext2b.k.c:%d", \
	    line_); \
} while (0)

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

static bool
have_tools(void)
{

	if (sh("command -v mke2fs >/dev/null && command -v debugfs "
	    ">/dev/null && command -v e2fsck >/dev/null") != 0) {
		fprintf(stderr, "t_ext2b: e2fsprogs missing: skipped\n");
		return false;
	}
	return true;
}

static void
mkdir_tmp(void)
{

	snprintf(dir, sizeof(dir), "/tmp/t_ext2b.%d.XXXXXX", (int)mainpid);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
rm_tmp(void)
{

	sh("rm -rf '%s'", dir);
}

static uint8_t *
load(const char *name, size_t *sizep)
{
	char path[256];
	struct stat st;
	uint8_t *buf;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fstat(fileno(f), &st), 0);
	buf = malloc((size_t)st.st_size);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)st.st_size, f),
	    (size_t)st.st_size);
	fclose(f);
	*sizep = (size_t)st.st_size;
	return buf;
}

static void
save(const char *name, const uint8_t *buf, size_t size)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, size, f), size);
	fclose(f);
}

/* The inode number of path in image, through debugfs. */
static uint32_t
ino_of(const char *image, const char *path)
{
	char cmd[512], line[256];
	unsigned int ino = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "debugfs -R 'stat %s' '%s/%s' 2>/dev/null",
	    path, dir, image);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof(line), p) != NULL)
		if (sscanf(line, "Inode: %u", &ino) == 1)
			break;
	while (fgets(line, sizeof(line), p) != NULL)
		;
	pclose(p);
	ck_assert_msg(ino != 0, "no inode for %s", path);
	return ino;
}

/* The file dir/src/name read through our block maps equals the source. */
static void
check_file(uint8_t *img, size_t size, const char *image, const char *name)
{
	char path[256];
	uint8_t *want, *got;
	size_t wlen, glen;
	int error;

	snprintf(path, sizeof(path), "src/%s", name);
	want = load(path, &wlen);
	got = malloc(wlen + 1);
	ck_assert_ptr_nonnull(got);
	snprintf(path, sizeof(path), "/%s", name);
	error = rump_ktest_ext2b_read_file(img, size, ino_of(image, path), got,
	    wlen + 1, &glen);
	ck_assert_msg(error == 0, "read %s: %d", name, error);
	ck_assert_uint_eq(glen, wlen);
	ck_assert_msg(memcmp(got, want, wlen) == 0, "%s differs", name);
	free(want);
	free(got);
}

/* A source tree for mke2fs -d: small, large, sparse and empty files and
 * a directory big enough to be hashed. */
static void
make_src(void)
{

	ck_assert_int_eq(sh("cd '%s' && mkdir -p src/big && "
	    "echo hello > src/small && : > src/empty && "
	    "head -c 3000000 /dev/urandom > src/large && "
	    "head -c 5000 /dev/urandom > src/odd && "
	    "dd if=/dev/urandom of=src/sparse bs=4096 seek=300 count=3 "
	    "2>/dev/null && truncate -s 5000000 src/sparse && "
	    "for i in $(seq 1 600); do : > src/big/file_with_a_long_name_$i; "
	    "done", dir), 0);
}

START_TEST(crc32c_and_crc16_match_published_check_values)
{

	boot();
	KTEST(rump_ktest_ext2b_crc());
}
END_TEST

START_TEST(extent_node_check_rejects_every_malformed_node)
{

	boot();
	KTEST(rump_ktest_ext2b_extent_check());
}
END_TEST

START_TEST(extent_tree_contiguous_writes_stay_few_extents_and_match_model)
{

	boot();
	KTEST(rump_ktest_ext2b_extent_model(1, 3000, 3000, 0, 0, 0, 10, 0));
}
END_TEST

START_TEST(extent_tree_fragmented_writes_grow_deep_trees_and_match_model)
{

	boot();
	KTEST(rump_ktest_ext2b_extent_model(2, 3000, 1500, 100, 0, 5, 7, 0));
}
END_TEST

START_TEST(extent_tree_allocation_failures_lose_nothing)
{

	boot();
	KTEST(rump_ktest_ext2b_extent_model(3, 3000, 600, 70, 4, 4, 3, 0));
	KTEST(rump_ktest_ext2b_extent_model(33, 2000, 300, 100, 2, 4, 1, 0));
}
END_TEST

/* Block numbers past 2^32: the high halves of extents and indexes. */
START_TEST(extent_tree_past_2_to_the_32_blocks_matches_model)
{

	boot();
	KTEST(rump_ktest_ext2b_extent_model(5, 2000, 800, 60, 0, 4, 5, 1));
}
END_TEST

START_TEST(extent_tree_with_1k_block_nodes_matches_model)
{

	boot();
	KTEST(rump_ktest_ext2b_extent_model(4, 1500, 1200, 100, 0, 0, 50, 0));
}
END_TEST

/* mke2fs -t ext4 with a tree, e2fsck -D to hash the big directory. */
static uint8_t *
make_ext4(const char *name, const char *opts, size_t *sizep)
{

	ck_assert_int_eq(sh("cd '%s' && mke2fs -q -F -t ext4 %s -d src %s 64M "
	    ">/dev/null 2>&1 && e2fsck -fyD %s >/dev/null 2>&1; "
	    "e2fsck -fn %s >/dev/null 2>&1", dir, opts, name, name, name), 0);
	return load(name, sizep);
}

static void
check_image_files(const char *opts, bool mcsum)
{
	struct ktest_ext2b_counts c;
	uint8_t *img;
	size_t size;

	boot();
	if (!have_tools())
		return;
	mkdir_tmp();
	make_src();
	img = make_ext4("img", opts, &size);
	KTEST(rump_ktest_ext2b_image_check(img, size, &c));
	ck_assert_uint_gt(c.c_groups, 1);
	if (mcsum) {
		ck_assert_uint_gt(c.c_bitmaps, 1);
		ck_assert_uint_gt(c.c_inodes, 600);
		ck_assert_uint_gt(c.c_dirblocks, 5);
		ck_assert_uint_gt(c.c_dx_blocks, 0);
	}
	check_file(img, size, "img", "small");
	check_file(img, size, "img", "empty");
	check_file(img, size, "img", "large");
	check_file(img, size, "img", "odd");
	check_file(img, size, "img", "sparse");
	free(img);
	rm_tmp();
}

START_TEST(ext4_default_image_every_checksum_verifies_and_files_read_back)
{

	check_image_files("", true);
}
END_TEST

START_TEST(ext4_1k_blocks_image_every_checksum_verifies)
{

	check_image_files("-b 1024", true);
}
END_TEST

START_TEST(ext4_without_64bit_32_byte_descriptors_verify)
{

	check_image_files("-O ^64bit", true);
}
END_TEST

START_TEST(ext4_gdt_csum_crc16_descriptors_verify)
{

	check_image_files("-O ^metadata_csum,uninit_bg", false);
}
END_TEST

START_TEST(ext4_csum_seed_image_verifies)
{

	check_image_files("-O metadata_csum_seed -U random", true);
}
END_TEST

/* A file whose every other block is a hole: one extent per block, a
 * tree two levels deep in 1 KiB blocks. */
START_TEST(fragmented_file_deep_extent_tree_reads_back)
{
	struct ktest_ext2b_counts c;
	uint8_t *img;
	size_t size;

	boot();
	if (!have_tools())
		return;
	mkdir_tmp();
	ck_assert_int_eq(sh("cd '%s' && mkdir src && for i in $(seq 0 2 1600); "
	    "do dd if=/dev/urandom of=src/frag bs=1024 seek=$i count=1 "
	    "conv=notrunc 2>/dev/null; done", dir), 0);
	ck_assert_int_eq(sh("cd '%s' && mke2fs -q -F -t ext4 -b 1024 -d src "
	    "img 16M >/dev/null 2>&1 && e2fsck -fn img >/dev/null 2>&1", dir),
	    0);
	img = load("img", &size);
	KTEST(rump_ktest_ext2b_image_check(img, size, &c));
	ck_assert_int_ge(c.c_depth, 2);
	ck_assert_uint_gt(c.c_extent_nodes, 9);
	check_file(img, size, "img", "frag");
	free(img);
	rm_tmp();
}
END_TEST

/* The blocks (in units of 1 KiB) of path's inode and extent tree nodes. */
static int
meta_blocks(const char *image, const char *path, uint64_t *blk, int max)
{
	char cmd[512], line[4096], *p;
	unsigned long long b, off;
	int n = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "debugfs -R 'imap %s' '%s/%s' 2>/dev/null;"
	    "debugfs -R 'stat %s' '%s/%s' 2>/dev/null", path, dir, image, path,
	    dir, image);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, " located at block %llu, offset 0x%llx", &b,
		    &off) == 2 && n < max)
			blk[n++] = b;	/* the inode's block */
		for (p = line; (p = strstr(p, "(ETB")) != NULL; p++) {
			p = strchr(p, ':');
			if (p != NULL && n < max &&
			    sscanf(p + 1, "%llu", &b) == 1)
				blk[n++] = b;
			if (p == NULL)
				break;
		}
	}
	pclose(f);
	return n;
}

/*
 * Bit flips in the inodes and extent tree blocks of the files and in the
 * first MiBs of metadata, then every file read, and writes and truncates
 * on the fragmented file: each call succeeds or fails with EUCLEAN (or
 * EIO, EFBIG, ENOSPC), and never crashes or overruns (run under ASan).
 * With metadata_csum the checksums catch most flips; without, the
 * structure checks must.
 */
static void
mutate_and_read(const char *opts, bool mcsum)
{
	static const char *files[] = { "/small", "/large", "/sparse", "/frag" };
	uint32_t inos[4];
	uint64_t meta[64];
	uint8_t *img, *copy, *out;
	size_t size, len, off;
	int round, k, i, error, nmeta = 0, nbad = 0;

	boot();
	if (!have_tools())
		return;
	mkdir_tmp();
	make_src();
	ck_assert_int_eq(sh("cd '%s' && for i in $(seq 0 2 500); do "
	    "dd if=/dev/urandom of=src/frag bs=1024 seek=$i count=1 "
	    "conv=notrunc 2>/dev/null; done", dir), 0);
	img = make_ext4("img", opts, &size);
	for (i = 0; i < 4; i++) {
		inos[i] = ino_of("img", files[i]);
		nmeta += meta_blocks("img", files[i], meta + nmeta, 64 - nmeta);
	}
	ck_assert_int_gt(nmeta, 4);
	copy = malloc(size);
	out = malloc(6000000);
	ck_assert_ptr_nonnull(copy);
	ck_assert_ptr_nonnull(out);
	srandom(7);
	for (round = 0; round < 200; round++) {
		memcpy(copy, img, size);
		for (k = 0; k < 1 + round % 4; k++) {
			if (random() % 5 == 0)
				off = (size_t)random() % (4u << 20);
			else
				off = meta[random() % nmeta] * 1024 +
				    (size_t)random() % 1024;
			copy[off] ^= (uint8_t)(1u << (random() % 8));
		}
		for (i = 0; i < 4; i++) {
			error = rump_ktest_ext2b_read_file(copy, size, inos[i],
			    out, 6000000, &len);
			ck_assert_msg(error == 0 || error == EUCLEAN_ ||
			    error == EIO || error == EFBIG,
			    "round %d: error %d", round, error);
			if (error != 0)
				nbad++;
		}
		/* And writes on the frag file's tree (the copy is spoilt). */
		KTEST(rump_ktest_ext2b_mutated_writes(copy, size, inos[3],
		    (uint32_t)round));
	}
	ck_assert_msg(nbad > (mcsum ? 100 : 10), "only %d reads failed", nbad);
	free(out);
	free(copy);
	free(img);
	rm_tmp();
}

START_TEST(mutated_images_read_or_fail_EUCLEAN_never_crash)
{

	mutate_and_read("-b 1024", true);
}
END_TEST

START_TEST(mutated_images_without_checksums_never_crash)
{

	mutate_and_read("-b 1024 -O ^metadata_csum", false);
}
END_TEST

/* Each logged block of blocks[] in ours equals e2fsck's replay. */
static void
compare_blocks(const uint8_t *ours, const uint8_t *ref, size_t bsize,
    const unsigned int *blocks, int n)
{
	int i;

	for (i = 0; i < n; i++)
		ck_assert_msg(memcmp(ours + blocks[i] * bsize,
		    ref + blocks[i] * bsize, bsize) == 0,
		    "block %u differs from e2fsck's replay", blocks[i]);
}

/*
 * Transactions written by debugfs (jo/jw/jc) to free blocks of group 2:
 * data, more data and a revoke of a block of the first, a block
 * beginning with the journal's magic (the escape flag).  Our replay and
 * e2fsck's leave the same blocks, and e2fsck finds nothing to fix after
 * ours.
 */
static void
journal_debugfs(const char *mkopts, const char *joopts, int corrupt)
{
	static const unsigned int blocks[] = { 20000, 20001, 20002, 20003,
	    20010 };
	uint8_t *img, *ref;
	size_t size, rsize;
	int error;

	boot();
	if (!have_tools())
		return;
	mkdir_tmp();
	ck_assert_int_eq(sh("cd '%s' && mke2fs -q -F -t ext4 -b 1024 %s img "
	    "32M >/dev/null 2>&1 && head -c 3072 /dev/urandom > a && "
	    "head -c 2048 /dev/urandom > b && "
	    "(printf '\\300\\073\\071\\230'; head -c 1020 /dev/zero) > m && "
	    "printf 'jo %s\\njw -b 20000,20001,20002 a\\njc\\njo\\n"
	    "jw -b 20003,20010 b\\njw -r 20001\\njc\\njo\\n"
	    "jw -b 20002 m\\njc\\n' | "
	    "debugfs -w -f - img >/dev/null 2>&1 && "
	    "dumpe2fs -h img 2>/dev/null | grep -q needs_recovery",
	    dir, mkopts, joopts), 0);
	if (corrupt != 0) {
		/* A byte of the first transaction's second data block (log
		 * block 3): with checksums, a corrupt journal. */
		ck_assert_int_eq(sh("cd '%s' && p=$(debugfs -R 'bmap <8> 3' "
		    "img 2>/dev/null) && printf 'X' | dd of=img bs=1 "
		    "seek=$((p * 1024 + 17)) conv=notrunc 2>/dev/null", dir),
		    0);
	}
	ck_assert_int_eq(sh("cd '%s' && cp img ref && e2fsck -fy ref "
	    ">/dev/null 2>&1; e2fsck -fn ref >/dev/null 2>&1", dir), 0);
	img = load("img", &size);
	ref = load("ref", &rsize);
	error = rump_ktest_ext2b_journal(img, size);
	if (corrupt != 0) {
		ck_assert_int_eq(error, EUCLEAN_);
		goto out;
	}
	ck_assert_int_eq(error, 0);
	compare_blocks(img, ref, 1024, blocks, 5);
	save("img", img, size);
	ck_assert_int_eq(sh("cd '%s' && e2fsck -fn img >/dev/null 2>&1 && "
	    "! dumpe2fs -h img 2>/dev/null | grep -q needs_recovery && "
	    "debugfs -R logdump img 2>/dev/null | grep -q 'Journal starts "
	    "at block 0'", dir), 0);
	/* The next transaction's number, as e2fsck sets it. */
	ck_assert_int_eq(sh("cd '%s' && [ \"$(dumpe2fs -h img 2>/dev/null | "
	    "grep 'Journal sequence')\" = \"$(dumpe2fs -h ref 2>/dev/null | "
	    "grep 'Journal sequence')\" ]", dir), 0);
out:
	free(img);
	free(ref);
	rm_tmp();
}

START_TEST(journal_csum_v3_replays_as_e2fsck_does)
{

	journal_debugfs("", "-c -v 3", 0);
}
END_TEST

START_TEST(journal_csum_v2_replays_as_e2fsck_does)
{

	journal_debugfs("", "-c -v 2", 0);
}
END_TEST

START_TEST(journal_without_checksums_replays_as_e2fsck_does)
{

	journal_debugfs("-O ^metadata_csum", "", 0);
}
END_TEST

START_TEST(journal_ext3_32bit_replays_as_e2fsck_does)
{

	journal_debugfs("-O ^64bit,^extent,^flex_bg,^metadata_csum", "", 0);
}
END_TEST

START_TEST(journal_with_a_corrupt_data_block_fails_EUCLEAN)
{

	journal_debugfs("", "-c -v 3", 1);
}
END_TEST

static uint64_t
jbmap(const char *image, unsigned int jblk)
{
	char cmd[512];
	unsigned long long b = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "debugfs -R 'bmap <8> %u' '%s/%s' "
	    "2>/dev/null", jblk, dir, image);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fscanf(p, "%llu", &b), 1);
	pclose(p);
	return b;
}

static uint32_t
be32(const uint8_t *p)
{

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * A log that runs past the journal's end and on from its first block:
 * debugfs's transactions (without checksums), moved by hand to start 7
 * blocks before the end.  Our replay and e2fsck's agree.
 */
START_TEST(journal_wrapping_past_its_end_replays_as_e2fsck_does)
{
	static const unsigned int blocks[] = { 20000, 20003, 20009, 20010,
	    20011 };
	uint8_t *img, *ref, *log;
	uint64_t j0;
	uint32_t maxlen, first, start, n = 24, i, pos;
	size_t size, rsize, bs = 1024;

	boot();
	if (!have_tools())
		return;
	mkdir_tmp();
	ck_assert_int_eq(sh("cd '%s' && mke2fs -q -F -t ext4 -b 1024 "
	    "-O ^metadata_csum img 32M >/dev/null 2>&1 && "
	    "head -c 10240 /dev/urandom > a && head -c 3072 /dev/urandom > b "
	    "&& printf 'jo\\njw -b 20000-20009 a\\njc\\njo\\n"
	    "jw -b 20003,20010,20011 b\\njw -r 20009\\njc\\n' | "
	    "debugfs -w -f - img >/dev/null 2>&1", dir), 0);
	img = load("img", &size);
	j0 = jbmap("img", 0);
	maxlen = be32(img + j0 * bs + 16);
	first = be32(img + j0 * bs + 20);
	start = be32(img + j0 * bs + 28);
	ck_assert_uint_eq(start, first);
	/* The journal is contiguous on disk: log block k at j0 + k. */
	ck_assert_uint_eq(jbmap("img", maxlen - 1), j0 + maxlen - 1);
	log = malloc(n * bs);
	ck_assert_ptr_nonnull(log);
	memcpy(log, img + (j0 + first) * bs, n * bs);
	memset(img + (j0 + first) * bs, 0, n * bs);
	for (i = 0; i < n; i++) {
		pos = maxlen - 7 + i;
		if (pos >= maxlen)
			pos = pos - maxlen + first;
		memcpy(img + (j0 + pos) * bs, log + i * bs, bs);
	}
	start = maxlen - 7;
	img[j0 * bs + 28] = (uint8_t)(start >> 24);
	img[j0 * bs + 29] = (uint8_t)(start >> 16);
	img[j0 * bs + 30] = (uint8_t)(start >> 8);
	img[j0 * bs + 31] = (uint8_t)start;
	save("img", img, size);
	ck_assert_int_eq(sh("cd '%s' && cp img ref && e2fsck -fy ref "
	    ">/dev/null 2>&1; e2fsck -fn ref >/dev/null 2>&1", dir), 0);
	ref = load("ref", &rsize);
	ck_assert_int_eq(rump_ktest_ext2b_journal(img, size), 0);
	compare_blocks(img, ref, bs, blocks, 5);
	/* 20009 was revoked: never written, zeros as mke2fs left it. */
	for (i = 0; i < bs; i++)
		ck_assert_int_eq(img[20009 * bs + i], 0);
	save("img", img, size);
	ck_assert_int_eq(sh("cd '%s' && e2fsck -fn img >/dev/null 2>&1", dir),
	    0);
	free(log);
	free(img);
	free(ref);
	rm_tmp();
}
END_TEST

/*
 * The host kernel's own journal: a loop mount, files written and synced,
 * the image copied while still mounted (the log not checkpointed).  Our
 * replay leaves an image e2fsck accepts, with the files' contents, and
 * every checksum there (a hashed directory's too) verifies.
 */
START_TEST(journal_written_by_the_host_kernel_replays)
{
	struct ktest_ext2b_counts c;
	uint8_t *img;
	size_t size;

	boot();
	if (!have_tools() || geteuid() != 0)
		return;
	mkdir_tmp();
	if (sh("cd '%s' && mke2fs -q -F -t ext4 img 64M >/dev/null 2>&1 && "
	    "mkdir mnt && lmount commit=60 img mnt", dir)
	    != 0) {
		fprintf(stderr, "t_ext2b: no loop mount: skipped\n");
		rm_tmp();
		return;
	}
	sh("cd '%s' && head -c 200000 /dev/urandom > data && "
	    "mkdir mnt/d && cp data mnt/d/f && for i in $(seq 1 50); do "
	    "echo $i > mnt/d/n$i; done && mkdir mnt/h && cd mnt/h && "
	    "seq -f 'a_rather_long_file_name_%%g' 1 2500 | xargs touch && "
	    "cd ../.. && sync -f mnt/d/f && cp img snap; lumount mnt", dir);
	ck_assert_int_eq(sh("cd '%s' && dumpe2fs -h snap 2>/dev/null | "
	    "grep -q needs_recovery", dir), 0);
	img = load("snap", &size);
	ck_assert_int_eq(rump_ktest_ext2b_journal(img, size), 0);
	/* Every checksum Linux wrote, its htree's dx tails among them. */
	KTEST(rump_ktest_ext2b_image_check(img, size, &c));
	/*
	 * Whether /h is indexed in the snapshot is the host's timing (seen
	 * unindexed once on a loaded machine): ask e2fsck's replay of the
	 * same snapshot, and expect dx blocks when it has them.
	 */
	if (sh("cd '%s' && cp snap snap2 && e2fsck -fy snap2 >/dev/null 2>&1; "
	    "debugfs -R 'htree /h' snap2 2>&1 | grep -q 'Root node'", dir) ==
	    0)
		ck_assert_uint_gt(c.c_dx_blocks, 0);
	save("snap", img, size);
	ck_assert_int_eq(sh("cd '%s' && e2fsck -fn snap >/dev/null 2>&1 && "
	    "debugfs -R 'dump /d/f out' snap >/dev/null 2>&1 && "
	    "cmp -s out data && debugfs -R 'cat /d/n50' snap 2>/dev/null | "
	    "grep -qx 50", dir), 0);
	free(img);
	rm_tmp();
}
END_TEST

static Suite *
ext2b_suite(void)
{
	Suite *s = suite_create("ext2b");
	TCase *tc = tcase_create("ext2b");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, crc32c_and_crc16_match_published_check_values);
	tcase_add_test(tc, extent_node_check_rejects_every_malformed_node);
	tcase_add_test(tc,
	    extent_tree_contiguous_writes_stay_few_extents_and_match_model);
	tcase_add_test(tc,
	    extent_tree_fragmented_writes_grow_deep_trees_and_match_model);
	tcase_add_test(tc, extent_tree_allocation_failures_lose_nothing);
	tcase_add_test(tc, extent_tree_with_1k_block_nodes_matches_model);
	tcase_add_test(tc, extent_tree_past_2_to_the_32_blocks_matches_model);
	tcase_add_test(tc,
	    ext4_default_image_every_checksum_verifies_and_files_read_back);
	tcase_add_test(tc, ext4_1k_blocks_image_every_checksum_verifies);
	tcase_add_test(tc, ext4_without_64bit_32_byte_descriptors_verify);
	tcase_add_test(tc, ext4_gdt_csum_crc16_descriptors_verify);
	tcase_add_test(tc, ext4_csum_seed_image_verifies);
	tcase_add_test(tc, fragmented_file_deep_extent_tree_reads_back);
	tcase_add_test(tc, mutated_images_read_or_fail_EUCLEAN_never_crash);
	tcase_add_test(tc, mutated_images_without_checksums_never_crash);
	tcase_add_test(tc, journal_csum_v3_replays_as_e2fsck_does);
	tcase_add_test(tc, journal_csum_v2_replays_as_e2fsck_does);
	tcase_add_test(tc, journal_without_checksums_replays_as_e2fsck_does);
	tcase_add_test(tc, journal_ext3_32bit_replays_as_e2fsck_does);
	tcase_add_test(tc, journal_with_a_corrupt_data_block_fails_EUCLEAN);
	tcase_add_test(tc,
	    journal_wrapping_past_its_end_replays_as_e2fsck_does);
	tcase_add_test(tc, journal_written_by_the_host_kernel_replays);
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
	sr = srunner_create(ext2b_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	sh("for d in /tmp/t_ext2b.%d.*; do [ -d \"$d\" ] || continue; "
	    "umount \"$d/mnt\" 2>/dev/null; rm -rf \"$d\"; done",
	    (int)mainpid);
	return nfailed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
