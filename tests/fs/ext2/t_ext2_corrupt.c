/*
 * t_ext2_corrupt.c: corrupt images never crash, hang or overrun.
 *
 * A small valid image is made for each kind (ext2 with 1 KiB blocks;
 * ext4 without metadata_csum, so that mutations reach the structures
 * behind the checksums; ext4 with the defaults, metadata_csum on; ext3
 * with its journal), holding files (direct, indirect, double indirect
 * blocks), directories, fast and slow symbolic links, a device node, hard
 * links, a hashed (dir_index) directory and, for ext4, a file whose
 * extent tree has depth 1.  This program's own reader of the format
 * (after the published ext4 disk layout) finds the structures, and a
 * generator makes a corpus of mutations from a seed: field mutations
 * (superblock, group descriptors, inodes, extent headers and entries in
 * the inode and in tree blocks, directory entries, the htree root,
 * bitmaps, the journal's superblock and the needs_recovery flag) and
 * random bit flips in those blocks.
 *
 * Mutation 0 is none: the base image must mount read-write, walk, take
 * the writes and unmount without a single error.
 *
 * Each mutated image runs in a child process: boot, mount (read-write;
 * read-only when that is refused), walk everything (getdents, lstat,
 * read every file (the first 2 MiB and the last block), readlink), then
 * when mounted read-write create, write, rename, truncate and remove a
 * little, unmount, a file round trip on the tmpfs root, halt.  The parent
 * fails the test when a child crashes (ASan, UBSan or a panic), hangs
 * (E3_CORRUPT_TIMEOUT seconds, default 20) or a call fails with an errno
 * outside the accepted list:
 *   EIO EUCLEAN(EFSCORRUPTED) EBADMSG(EFSBADCRC) EINVAL ENOENT ENOTDIR
 *   EISDIR ELOOP EFBIG ENAMETOOLONG EOVERFLOW ENOSPC EROFS EPERM EEXIST
 *   ENOTEMPTY EMLINK ENXIO(a device node) EOPNOTSUPP EBUSY(rmdir of a
 *   name that leads back to the mounted root)
 * and the mount itself (when it fails) only with
 *   EINVAL EUCLEAN EBADMSG EIO EROFS EFBIG EOVERFLOW.
 *
 * The corpus of an image has some 1,500 to 2,200 mutations (the field
 * mutations and E3_CORRUPT_RANDOM=N random ones, default 40); a run takes
 * a seeded sample of E3_CORRUPT_N (default 10; 0: all) of them (the
 * regression tests: of the ones whose names match past failures), in
 * kernels of E3_BATCH (default 20) mutations each.  E3_CORRUPT_SEED=S
 * picks another sample, E3_CORRUPT_ONLY=K runs mutation K alone (with
 * its output), E3_VERBOSE=1 names the mutations.  With E3_CORPUS_DIR
 * set, the mutated images are copied there (seeds for fuzz/ext2).
 *
 * Also, one corruption made on purpose (freeino): a directory entry that
 * names a free inode.
 */

#include <poll.h>
#include <signal.h>

#include "ext2_test.h"

/*
 * The image and its reader.
 */
struct img {
	unsigned char *b;
	size_t size;
	uint32_t bs;
	uint32_t fdb;		/* s_first_data_block */
	uint32_t bpg, ipg, isz, ngroups, descsz;
	uint64_t nblocks;
	uint32_t ninodes;
	int extents;
};

static uint16_t
g16(const unsigned char *p)
{

	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
g32(const unsigned char *p)
{

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
img_parse(struct img *im)
{
	const unsigned char *sb = im->b + 1024;

	ck_assert_int_eq(g16(sb + 56), E3_EXT2_MAGIC);
	im->bs = 1024u << g32(sb + 24);
	im->fdb = g32(sb + 20);
	im->bpg = g32(sb + 32);
	im->ipg = g32(sb + 40);
	im->isz = g16(sb + 88);
	im->ninodes = g32(sb + 0);
	im->nblocks = g32(sb + 4);
	im->descsz = (g32(sb + 96) & 0x80) ? g16(sb + 254) : 32;
	if (im->descsz < 32)
		im->descsz = 32;
	im->ngroups = (uint32_t)((im->nblocks - im->fdb + im->bpg - 1) /
	    im->bpg);
	im->extents = (g32(sb + 96) & 0x40) != 0;
}

static uint64_t
gd_off(const struct img *im, uint32_t g)
{

	return (uint64_t)(im->fdb + 1) * im->bs + (uint64_t)g * im->descsz;
}

static uint64_t
inode_table(const struct img *im, uint32_t g)
{
	const unsigned char *gd = im->b + gd_off(im, g);
	uint64_t t = g32(gd + 8);

	if (im->descsz >= 64)
		t |= (uint64_t)g32(gd + 0x28) << 32;
	return t;
}

static uint64_t
inode_off(const struct img *im, uint32_t ino)
{
	uint32_t g = (ino - 1) / im->ipg, i = (ino - 1) % im->ipg;

	return inode_table(im, g) * im->bs + (uint64_t)i * im->isz;
}

/* Physical block of logical block lblk of inode ino (0: a hole or not
 * found).  Enough for the test images: direct and single indirect
 * blocks, extent trees of any depth. */
static uint64_t
bmap(const struct img *im, uint32_t ino, uint32_t lblk)
{
	const unsigned char *in = im->b + inode_off(im, ino);
	const unsigned char *h = in + 40;
	int depth, i, n;

	if (g32(in + 32) & 0x80000) {
		for (;;) {
			if (g16(h) != 0xF30A)
				return 0;
			n = g16(h + 2);
			depth = g16(h + 6);
			if (depth == 0) {
				for (i = 0; i < n; i++) {
					const unsigned char *e = h + 12 +
					    12 * i;
					uint32_t b = g32(e), len = g16(e + 4);

					if (len > 32768)
						len -= 32768;
					if (lblk >= b && lblk < b + len)
						return ((uint64_t)g16(e + 6) <<
						    32 | g32(e + 8)) +
						    (lblk - b);
				}
				return 0;
			}
			for (i = n - 1; i >= 0; i--)
				if (g32(h + 12 + 12 * i) <= lblk)
					break;
			if (i < 0)
				return 0;
			h = im->b + (((uint64_t)g16(h + 12 + 12 * i + 8) <<
			    32 | g32(h + 12 + 12 * i + 4)) * im->bs);
		}
	}
	if (lblk < 12)
		return g32(in + 40 + 4 * lblk);
	lblk -= 12;
	if (lblk < im->bs / 4 && g32(in + 40 + 48) != 0)
		return g32(im->b + (uint64_t)g32(in + 40 + 48) * im->bs +
		    4 * lblk);
	return 0;
}

/* Physical block of the extent tree's first non-root node of ino. */
static uint64_t
extent_node(const struct img *im, uint32_t ino)
{
	const unsigned char *h = im->b + inode_off(im, ino) + 40;

	if (g16(h) != 0xF30A || g16(h + 6) == 0 || g16(h + 2) == 0)
		return 0;
	return (uint64_t)g16(h + 12 + 8) << 32 | g32(h + 12 + 4);
}

/*
 * Mutations.
 */
#define MAXPATCH 4
struct patch {
	uint64_t off;
	int width;		/* 1, 2, 4 bytes; 0: xor mask byte */
	uint32_t val;
};

struct mutation {
	char what[96];
	int npatch;
	struct patch p[MAXPATCH];
};

static struct mutation *muts;
static int nmuts, capmuts;

static void
mut_add(const char *what, uint64_t off, int width, uint32_t val)
{
	struct mutation *m;

	if (nmuts == capmuts) {
		capmuts = capmuts ? capmuts * 2 : 256;
		muts = realloc(muts, (size_t)capmuts * sizeof(*muts));
		ck_assert_ptr_nonnull(muts);
	}
	m = &muts[nmuts++];
	memset(m, 0, sizeof(*m));
	snprintf(m->what, sizeof(m->what), "%s", what);
	m->npatch = 1;
	m->p[0].off = off;
	m->p[0].width = width;
	m->p[0].val = val;
}

/* One field, several values: 0, all ones, and the others given. */
static void
mut_field(const char *what, uint64_t off, int width, int nv,
    const uint32_t *vals)
{
	char d[96];
	uint32_t ones = width == 1 ? 0xff : width == 2 ? 0xffff : 0xffffffff;
	int i;

	snprintf(d, sizeof(d), "%s=0", what);
	mut_add(d, off, width, 0);
	snprintf(d, sizeof(d), "%s=~0", what);
	mut_add(d, off, width, ones);
	for (i = 0; i < nv; i++) {
		snprintf(d, sizeof(d), "%s=%#x", what, vals[i]);
		mut_add(d, off, width, vals[i] & ones);
	}
}

#define FIELD(what, off, width, ...) do { \
	const uint32_t v_[] = { 1, ##__VA_ARGS__ }; \
	mut_field((what), (off), (width), (int)(sizeof(v_) / \
	    sizeof(v_[0])), v_); \
} while (0)

/* Flip nbits random bits in [off, off + len). */
static uint64_t crng;

static uint64_t
crnd(void)
{

	crng ^= crng << 13;
	crng ^= crng >> 7;
	crng ^= crng << 17;
	return crng;
}

static void
mut_flips(const char *what, uint64_t off, uint64_t len)
{
	struct mutation *m;
	int i, n = 1 + (int)(crnd() % MAXPATCH);

	mut_add(what, 0, 0, 0);
	m = &muts[nmuts - 1];
	m->npatch = n;
	for (i = 0; i < n; i++) {
		m->p[i].off = off + crnd() % len;
		m->p[i].width = 0;
		m->p[i].val = 1u << (crnd() % 8);
	}
	snprintf(m->what + strlen(m->what), sizeof(m->what) -
	    strlen(m->what), " flip %d bits @%llu", n,
	    (unsigned long long)m->p[0].off);
}

static void
apply(unsigned char *b, const struct mutation *m)
{
	int i;

	for (i = 0; i < m->npatch; i++) {
		const struct patch *p = &m->p[i];
		unsigned char *q = b + p->off;

		switch (p->width) {
		case 0:
			q[0] ^= (unsigned char)p->val;
			break;
		case 1:
			q[0] = (unsigned char)p->val;
			break;
		case 2:
			q[0] = (unsigned char)p->val;
			q[1] = (unsigned char)(p->val >> 8);
			break;
		default:
			q[0] = (unsigned char)p->val;
			q[1] = (unsigned char)(p->val >> 8);
			q[2] = (unsigned char)(p->val >> 16);
			q[3] = (unsigned char)(p->val >> 24);
			break;
		}
	}
}

/* The named inodes of the base tree. */
struct target {
	const char *path;
	uint32_t ino;
};
static struct target targets[] = {
	{ ".", 0 }, { "d", 0 }, { "d/small", 0 }, { "ind", 0 },
	{ "dind", 0 }, { "fast", 0 }, { "slow", 0 }, { "idx", 0 },
	{ "frag", 0 }, { "cdev", 0 }, { "d/sub", 0 },
};
#define NTARGETS (int)(sizeof(targets) / sizeof(targets[0]))

static void
gen_corpus(const struct img *im, int nrandom)
{
	char d[96];
	uint64_t sb = 1024, o, blk;
	uint32_t g, nb = (uint32_t)im->nblocks;
	int t, i;

	nmuts = 0;
	/* Mutation 0: none (the base image must mount read-write and walk,
	 * write and unmount without a single error). */
	mut_add("none", 0, 0, 0);
	muts[0].npatch = 0;
	/* Superblock fields. */
	FIELD("sb.inodes_count", sb + 0, 4, im->ninodes + 1, im->ipg - 1);
	FIELD("sb.blocks_count", sb + 4, 4, nb * 2, nb - 1, 0x7fffffff);
	FIELD("sb.free_blocks", sb + 12, 4, nb + 10);
	FIELD("sb.free_inodes", sb + 16, 4, im->ninodes + 10);
	FIELD("sb.first_data_block", sb + 20, 4, im->fdb ? 0 : 1, nb);
	FIELD("sb.log_block_size", sb + 24, 4, 2, 6, 7, 31);
	FIELD("sb.log_cluster_size", sb + 28, 4, 3, 31);
	FIELD("sb.blocks_per_group", sb + 32, 4, 8, im->bpg + 8, im->bpg * 8 +
	    1);
	FIELD("sb.clusters_per_group", sb + 36, 4, im->bpg * 2);
	FIELD("sb.inodes_per_group", sb + 40, 4, 7, im->ipg + 8,
	    im->bs * 8 + 8);
	FIELD("sb.magic", sb + 56, 2, 0xEF52);
	FIELD("sb.state", sb + 58, 2, 2, 4);
	FIELD("sb.rev_level", sb + 76, 4, 0, 2);
	FIELD("sb.first_ino", sb + 84, 4, 2, 5, im->ninodes + 1);
	FIELD("sb.inode_size", sb + 88, 2, 64, 129, 130, 512, im->bs * 2);
	FIELD("sb.feature_compat", sb + 92, 4, 0x80000000, 0x200);
	FIELD("sb.feature_incompat", sb + 96, 4, 0x80000000, 0x4, 0x8,
	    0x10, 0x40, 0x80, 0x200, 0x8000, 0x10000);
	FIELD("sb.feature_ro_compat", sb + 100, 4, 0x80000000, 0x400, 0x1000,
	    0x8);
	FIELD("sb.reserved_gdt_blocks", sb + 206, 2, 1000);
	FIELD("sb.journal_inum", sb + 224, 4, 2, 11, im->ninodes + 1);
	FIELD("sb.desc_size", sb + 254, 2, 16, 33, 64, 128, 1024);
	FIELD("sb.first_meta_bg", sb + 260, 4, 1, 1000);
	FIELD("sb.blocks_count_hi", sb + 336, 4, 2);
	FIELD("sb.min_extra_isize", sb + 348, 2, 200, 3);
	FIELD("sb.want_extra_isize", sb + 350, 2, 200, 3);
	FIELD("sb.log_groups_per_flex", sb + 372, 1, 31, 64);
	FIELD("sb.checksum_type", sb + 375, 1, 2);
	FIELD("sb.checksum", sb + 1020, 4, 0x12345678);

	/* Group descriptors of group 0 and of the last group. */
	for (g = 0; g < im->ngroups; g += im->ngroups - 1 ? im->ngroups - 1 :
	    1) {
		o = gd_off(im, g);
#define GDF(n, off, w, ...) do { \
		snprintf(d, sizeof(d), "gd%u.%s", g, (n)); \
		FIELD(d, o + (off), (w), ##__VA_ARGS__); \
	} while (0)
		GDF("block_bitmap", 0, 4, im->fdb, nb, (uint32_t)inode_table(im,
		    g));
		GDF("inode_bitmap", 4, 4, im->fdb, nb, (uint32_t)inode_table(im,
		    g) + 1);
		GDF("inode_table", 8, 4, im->fdb, nb - 1, nb - 2, (uint32_t)
		    inode_table(im, g) + 1);
		GDF("free_blocks", 12, 2, 0x7fff);
		GDF("free_inodes", 14, 2, 0x7fff);
		GDF("used_dirs", 16, 2, 0x7fff);
		GDF("flags", 18, 2, 1, 2, 4, 7);
		GDF("itable_unused", 28, 2, im->ipg, im->ipg - 1);
		GDF("checksum", 30, 2, 0x1234);
		if (im->descsz >= 64) {
			GDF("inode_table_hi", 0x28, 4, 1);
			GDF("block_bitmap_hi", 0x20, 4, 1);
		}
		mut_flips("gd bits", o, im->descsz);
		if (im->ngroups == 1)
			break;
	}

	/* Inodes. */
	for (t = 0; t < NTARGETS; t++) {
		if (targets[t].ino == 0)
			continue;
		o = inode_off(im, targets[t].ino);
#define INF(n, off, w, ...) do { \
		snprintf(d, sizeof(d), "ino %s.%s", targets[t].path, (n)); \
		FIELD(d, o + (off), (w), ##__VA_ARGS__); \
	} while (0)
		INF("mode", 0, 2, 0x41ed, 0x81a4, 0xa1ff, 0x21b6, 0xc1ff,
		    0xf1ff);
		INF("size", 4, 4, 2, 1023, 0x7fffffff);
		INF("size_high", 108, 4, 1, 0x7fffffff);
		INF("links", 26, 2, 2);
		INF("blocks", 28, 4, 2);
		INF("flags", 32, 4, 0x80000, 0x1000, 0x10000000, 0x40000,
		    0x10, 0x20, 0x200000, 0x4000);
		INF("file_acl", 104, 4, 2, nb - 1);
		if (im->isz > 128)
			INF("extra_isize", 128, 2, 3, 200, 4);
		for (i = 0; i < 15; i += (i < 1 ? 1 : i < 12 ? 11 : 1)) {
			char n[16];

			snprintf(n, sizeof(n), "block[%d]", i);
			INF(n, 40 + 4 * i, 4, 2, im->fdb, nb, nb - 1,
			    (uint32_t)inode_table(im, 0), (uint32_t)bmap(im,
			    2, 0));
		}
		if (im->extents && g16(im->b + o + 40) == 0xF30A) {
			INF("eh_magic", 40, 2, 0xF30B);
			INF("eh_entries", 42, 2, 2, 4, 5);
			INF("eh_max", 44, 2, 3, 5);
			INF("eh_depth", 46, 2, 2, 5, 0x7fff);
			INF("ee0.block", 52, 4, 0x7fffffff, 2);
			INF("ee0.len", 56, 2, 0x8000, 0x8001, 32768 + 10,
			    1000);
			INF("ee0.start_hi", 58, 2, 1);
			INF("ee0.start_lo", 60, 4, nb, nb - 1, 2, im->fdb);
			INF("ee1.block", 64, 4, 0);
			INF("ee1.start_lo", 72, 4, nb);
		}
		snprintf(d, sizeof(d), "ino %s bits", targets[t].path);
		mut_flips(d, o, im->isz);
		mut_flips(d, o + 40, 60);
	}

	/* Extent tree node below the root of "frag" (depth 1). */
	for (t = 0; t < NTARGETS; t++) {
		if (strcmp(targets[t].path, "frag") != 0 ||
		    targets[t].ino == 0 || !im->extents)
			continue;
		blk = extent_node(im, targets[t].ino);
		if (blk == 0 || blk >= im->nblocks)
			continue;
		o = blk * im->bs;
		FIELD("leaf.eh_magic", o, 2, 0xF30B);
		FIELD("leaf.eh_entries", o + 2, 2, 2, (im->bs - 12) / 12 + 1,
		    g16(im->b + o + 4) + 1);
		FIELD("leaf.eh_max", o + 4, 2, 2, (im->bs - 12) / 12 + 1);
		FIELD("leaf.eh_depth", o + 6, 2, 2, 1);
		for (i = 0; i < 3; i++) {
			uint64_t e = o + 12 + 12 * (uint64_t)i;

			snprintf(d, sizeof(d), "leaf.ee%d.block", i);
			FIELD(d, e, 4, 0x7fffffff, 0xfffffff0);
			snprintf(d, sizeof(d), "leaf.ee%d.len", i);
			FIELD(d, e + 4, 2, 0x8000, 32769, 20000);
			snprintf(d, sizeof(d), "leaf.ee%d.start_lo", i);
			FIELD(d, e + 8, 4, nb, nb - 1, (uint32_t)blk, 1);
			snprintf(d, sizeof(d), "leaf.ee%d.start_hi", i);
			FIELD(d, e + 6, 2, 0x100);
		}
		FIELD("leaf.tail", o + im->bs - 4, 4, 0x1234);
		mut_flips("leaf bits", o, im->bs);
		/* The index entry in the inode. */
		o = inode_off(im, targets[t].ino) + 40 + 12;
		FIELD("idx.ei_block", o, 4, 5, 0x7fffffff);
		FIELD("idx.ei_leaf_lo", o + 4, 4, nb, nb - 1, 2,
		    (uint32_t)inode_table(im, 0));
		FIELD("idx.ei_leaf_hi", o + 8, 2, 1);
	}

	/* Directory blocks: the root's, d's and the hashed directory's
	 * first block and one of its leaves. */
	for (t = 0; t < NTARGETS; t++) {
		const char *p = targets[t].path;
		uint32_t lb;

		if (targets[t].ino == 0 || (strcmp(p, ".") != 0 &&
		    strcmp(p, "d") != 0 && strcmp(p, "idx") != 0))
			continue;
		for (lb = 0; lb < 2; lb++) {
			uint64_t e2, e3;

			blk = bmap(im, targets[t].ino, lb);
			if (blk == 0 || blk >= im->nblocks)
				continue;
			o = blk * im->bs;
#define DEF(n, off, w, ...) do { \
			snprintf(d, sizeof(d), "dir %s blk%u %s", p, lb, (n)); \
			FIELD(d, o + (off), (w), ##__VA_ARGS__); \
		} while (0)
			DEF(".inode", 0, 4, targets[t].ino + 1, im->ninodes + 1,
			    2, 11);
			DEF(".rec_len", 4, 2, 4, 8, 11, 13, im->bs,
			    im->bs + 4, 0xfffc);
			DEF(".name_len", 6, 1, 2, 12, 200);
			DEF(".file_type", 7, 1, 1, 7, 8);
			e2 = g16(im->b + o + 4);
			if (e2 >= 12 && e2 < im->bs - 12) {
				DEF("2nd.inode", e2, 4, im->ninodes + 1, 2,
				    targets[t].ino);
				DEF("2nd.rec_len", e2 + 4, 2, 4, 12, im->bs -
				    e2 + 4, 0x8000);
				DEF("2nd.name_len", e2 + 6, 1, 3, 255);
				DEF("2nd.file_type", e2 + 7, 1, 2, 7);
				e3 = e2 + g16(im->b + o + e2 + 4);
				/* A name for the directory itself, its
				 * parent, the root: loops. */
				if (e3 >= 24 && e3 < im->bs - 12)
					DEF("3rd.inode", e3, 4, targets[t].ino,
					    2, targets[1].ino);
			}
			if (strcmp(p, "idx") == 0 && lb == 0) {
				/* dx_root: info at 24, countlimit at 32,
				 * entries from 40. */
				DEF("dx.hash_version", 28, 1, 2, 5, 6, 0x80);
				DEF("dx.info_length", 29, 1, 4, 16);
				DEF("dx.indirect_levels", 30, 1, 2, 3, 0x7f);
				DEF("dx.flags", 31, 1, 4);
				DEF("dx.limit", 32, 2, 2, 0x7fff);
				DEF("dx.count", 34, 2, 2, g16(im->b + o + 32) +
				    1, 0x7fff);
				DEF("dx.block0", 36, 4, 2, 1000, 0x7fffffff);
				DEF("dx.hash1", 40, 4, 0x7fffffff, 2);
				DEF("dx.block1", 44, 4, 0, 1000, 0x7fffffff);
				DEF("dx.hash2", 48, 4, 3);
			}
			snprintf(d, sizeof(d), "dir %s blk%u bits", p, lb);
			mut_flips(d, o, im->bs);
			mut_flips(d, o, 64);
		}
	}

	/* Bitmaps of group 0: all zeros, all ones. */
	{
		const unsigned char *gd = im->b + gd_off(im, 0);
		uint64_t bb = g32(gd), ib = g32(gd + 4);

		if (bb > 0 && bb < im->nblocks && ib > 0 && ib < im->nblocks) {
			for (i = 0; i < 2; i++) {
				struct mutation *m;
				uint32_t k;

				for (k = 0; k < 2; k++) {
					mut_add(k ? "inode bitmap" :
					    "block bitmap", 0, 0, 0);
					m = &muts[nmuts - 1];
					snprintf(m->what + strlen(m->what), 16,
					    i ? " ones" : " zeros");
					m->npatch = 0;
					/* expanded by run_one */
					m->p[0].off = (k ? ib : bb) * im->bs;
					m->p[0].width = -1;
					m->p[0].val = i ? 0xff : 0;
					m->npatch = 1;
				}
			}
		}
	}

	/* The journal: its superblock's magic, and needs_recovery. */
	if (g32(im->b + sb + 92) & 0x4) {
		uint32_t jino = g32(im->b + sb + 224);
		uint64_t jb = jino ? bmap(im, jino, 0) : 0;

		if (jb > 0 && jb < im->nblocks) {
			o = jb * im->bs;
			FIELD("journal.magic", o, 4, 0x12345678);
			FIELD("journal.blocksize", o + 12, 4, 0x100);
			FIELD("journal.maxlen", o + 16, 4, 0x1000000);
			FIELD("journal.first", o + 20, 4, 0x1000000);
			FIELD("journal.start", o + 28, 4, 0x1000000);
			mut_flips("journal sb bits", o, 1024);
		}
		mut_add("sb.needs_recovery", sb + 96, 4,
		    g32(im->b + sb + 96) | 0x4);
	}

	/* Random bit flips anywhere in the metadata met so far. */
	for (i = 0; i < nrandom; i++) {
		switch (crnd() % 6) {
		case 0:
			mut_flips("random sb", sb, 1024);
			break;
		case 1:
			mut_flips("random gdt", gd_off(im, 0), im->bs);
			break;
		case 2:
			t = (int)(crnd() % NTARGETS);
			if (targets[t].ino == 0)
				break;
			mut_flips("random inode", inode_off(im,
			    targets[t].ino), im->isz);
			break;
		case 3:
			mut_flips("random inode table", inode_table(im, 0) *
			    im->bs, 4 * im->bs);
			break;
		default:
			t = (int)(crnd() % NTARGETS);
			if (targets[t].ino == 0)
				break;
			blk = bmap(im, targets[t].ino, (uint32_t)(crnd() % 3));
			if (blk == 0 || blk >= im->nblocks)
				break;
			mut_flips("random data/dir block", blk * im->bs,
			    im->bs);
			break;
		}
	}
}

/*
 * Mount and walk in a child.
 */
static int child_bad;
static const struct mutation *child_mut;

static int
accepted(int e)
{

	switch (e) {
	case EIO: case EUCLEAN: case EBADMSG: case EINVAL: case ENOENT:
	case ENOTDIR: case EISDIR: case ELOOP: case EFBIG: case ENAMETOOLONG:
	case EOVERFLOW: case ENOSPC: case EROFS: case EPERM: case EEXIST:
	case ENOTEMPTY: case EMLINK: case ENXIO: case EOPNOTSUPP: case EBUSY:
		return 1;
	}
	return 0;
}

static int child_strict;	/* the unmutated image: no error at all */

static void
check(long r, const char *call, const char *path)
{

	if (r >= 0 || (!child_strict && accepted(errno)))
		return;
	fprintf(stderr, "BAD ERRNO: %s: %s %s: %s (%d)\n", child_mut->what,
	    call, path, strerror(errno), errno);
	child_bad = 1;
}

static int walked;
static char some_file[PATH_MAX + 300];

static void
cwalk(const char *path, int depth)
{
	static char buf[65536];
	char dbuf[4096], p[PATH_MAX + 300];
	struct stat st;
	ssize_t len, off, n;
	int fd, rounds = 0, fd2;

	if (depth > 12)
		return;
	fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY);
	check(fd, "opendir", path);
	if (fd < 0)
		return;
	while (rounds++ < 2000 && walked < 6000) {
		len = rump_sys_getdents64(fd, dbuf, sizeof(dbuf));
		check(len, "getdents", path);
		if (len <= 0)
			break;
		for (off = 0; off < len; ) {
			struct e3_dirent64 *d = (void *)(dbuf + off);

			if (d->d_reclen == 0 || off + d->d_reclen > len) {
				fprintf(stderr, "BAD DIRENT: %s: %s\n",
				    child_mut->what, path);
				child_bad = 1;
				break;
			}
			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			walked++;
			snprintf(p, sizeof(p), "%s/%s", path, d->d_name);
			if (rump_sys_lstat(p, &st) == -1) {
				check(-1, "lstat", p);
				continue;
			}
			if (S_ISDIR(st.st_mode)) {
				cwalk(p, depth + 1);
			} else if (S_ISLNK(st.st_mode)) {
				check(rump_sys_readlink(p, buf, sizeof(buf)),
				    "readlink", p);
			} else if (S_ISREG(st.st_mode)) {
				fd2 = rump_sys_open(p, O_RDONLY);
				check(fd2, "open", p);
				if (fd2 < 0)
					continue;
				if (some_file[0] == '\0')
					snprintf(some_file, sizeof(some_file),
					    "%s", p);
				for (n = 0; n < 32; n++) {
					ssize_t r = rump_sys_read(fd2, buf,
					    sizeof(buf));

					check(r, "read", p);
					if (r <= 0)
						break;
				}
				if (st.st_size > 4096)
					check(rump_sys_pread(fd2, buf, 4096,
					    st.st_size - 4096), "pread end",
					    p);
				rump_sys_close(fd2);
			}
		}
	}
	rump_sys_close(fd);
}

static void
cwrite(void)
{
	static char buf[20000];
	int fd;

	memset(buf, 'w', sizeof(buf));
	fd = rump_sys_open(E3_MNT "/new", O_RDWR | O_CREAT, 0644);
	check(fd, "create", "new");
	if (fd >= 0) {
		check(rump_sys_write(fd, buf, sizeof(buf)), "write", "new");
		check(rump_sys_pwrite(fd, buf, 100, 5000000), "pwrite", "new");
		check(rump_sys_ftruncate(fd, 3000), "ftruncate", "new");
		check(rump_sys_fsync(fd), "fsync", "new");
		rump_sys_close(fd);
	}
	check(rump_sys_mkdir(E3_MNT "/newdir", 0755), "mkdir", "newdir");
	check(rump_sys_rename(E3_MNT "/new", E3_MNT "/newdir/moved"),
	    "rename", "new");
	check(rump_sys_symlink("target", E3_MNT "/d/newlink"), "symlink",
	    "d/newlink");
	check(rump_sys_mknod(E3_MNT "/idx/newfifo", S_IFIFO | 0644, 0),
	    "mknod", "idx/newfifo");
	check(rump_sys_unlink(E3_MNT "/idx/e00007"), "unlink", "idx/e00007");
	check(rump_sys_rmdir(E3_MNT "/d/sub"), "rmdir", "d/sub");
	check(rump_sys_link(E3_MNT "/ind", E3_MNT "/d/newhard"), "link",
	    "d/newhard");
	if (some_file[0] != '\0') {
		check(rump_sys_truncate(some_file, 100), "truncate",
		    some_file);
		check(rump_sys_unlink(some_file), "unlink", some_file);
	}
	check(rump_sys_unlink(E3_MNT "/dind"), "unlink", "dind");
	check(rump_sys_unlink(E3_MNT "/frag"), "unlink", "frag");
	check(rump_sys_sync(), "sync", "");
}

/* Write base with mutation m applied to the file img. */
static void
write_mutated(const struct img *base, const struct mutation *m,
    const char *img)
{
	unsigned char *b;
	int fd;

	b = malloc(base->size);
	if (b == NULL)
		abort();
	memcpy(b, base->b, base->size);
	if (m->npatch == 1 && m->p[0].width == -1)
		memset(b + m->p[0].off, (int)m->p[0].val, base->bs);
	else
		apply(b, m);
	fd = open(img, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, b, base->size) != (ssize_t)base->size)
		abort();
	close(fd);
	free(b);
}

/* One mutated image in a running kernel: mount, walk, write, unmount,
 * and the tmpfs root still works. */
static void
child_one(const char *img, const char *type, const struct mutation *m)
{
	char buf[16];
	int error, fd, rw = 1;

	child_mut = m;
	child_strict = m->npatch == 0;
	error = rump_pub_etfs_register(E3_DEV, img, RUMP_ETFS_BLK);
	if (error != 0) {
		fprintf(stderr, "BAD: %s: etfs_register: %d\n", m->what,
		    error);
		child_bad = 1;
		return;
	}
	if (rump_sys_mount(E3_DEV, E3_MNT, type, 0, NULL) == -1) {
		rw = 0;
		if (rump_sys_mount(E3_DEV, E3_MNT, type, MS_RDONLY, NULL) ==
		    -1)
			rw = -1;
	}
	if (rw < 0 && child_strict) {
		fprintf(stderr, "BAD: the unmutated image does not mount: %s\n",
		    strerror(errno));
		child_bad = 1;
	} else if (rw < 0) {
		switch (errno) {
		case EINVAL: case EUCLEAN: case EBADMSG: case EIO: case EROFS:
		case EFBIG: case EOVERFLOW:
			break;
		default:
			fprintf(stderr, "BAD ERRNO: %s: mount: %s (%d)\n",
			    m->what, strerror(errno), errno);
			child_bad = 1;
		}
	} else {
		walked = 0;
		some_file[0] = '\0';
		cwalk(E3_MNT, 0);
		if (rw)
			cwrite();
		if (rump_sys_umount2(E3_MNT, 0) != 0) {
			fprintf(stderr, "BAD: %s: umount: %s\n", m->what,
			    strerror(errno));
			child_bad = 1;
		}
	}
	error = rump_pub_etfs_remove(E3_DEV);
	if (error != 0) {
		fprintf(stderr, "BAD: %s: etfs_remove: %d\n", m->what, error);
		child_bad = 1;
	}
	fd = rump_sys_open("/after", O_RDWR | O_CREAT, 0600);
	if (fd < 0 || rump_sys_write(fd, "alive", 5) != 5 ||
	    rump_sys_pread(fd, buf, 5, 0) != 5 || memcmp(buf, "alive", 5) != 0
	    || rump_sys_close(fd) != 0 || rump_sys_unlink("/after") != 0) {
		fprintf(stderr, "BAD: %s: tmpfs round trip failed: %s\n",
		    m->what, strerror(errno));
		child_bad = 1;
	}
}

/* The child: mutations order[from..to) in one kernel; before each it
 * writes its index to wfd.  Exit status 0 when all went well. */
static int
child(const struct img *base, const char *type, const int *order, int from,
    int to, int wfd)
{
	const char *img = e3_path("mut.img");
	char line[32];
	int error, i, n;

	error = rump_init();
	if (error != 0 || rump_sys_mkdir(E3_MNT, 0755) != 0) {
		fprintf(stderr, "rump_init: %d\n", error);
		return 2;
	}
	child_bad = 0;
	for (i = from; i < to; i++) {
		const struct mutation *m = &muts[order[i]];

		n = snprintf(line, sizeof(line), "%d\n", i);
		if (write(wfd, line, (size_t)n) != n)
			return 2;
		write_mutated(base, m, img);
		child_one(img, type, m);
		if (child_bad)
			return 1;
	}
	n = snprintf(line, sizeof(line), "halt\n");
	if (write(wfd, line, (size_t)n) != n)
		return 2;
	if (rump_sys_reboot(E3_MAGIC1, E3_MAGIC2, E3_CMD_HALT, NULL) != 0) {
		fprintf(stderr, "BAD: halt: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

/*
 * Run order[from..to) in a child, at most E3_BATCH per kernel.  Returns
 * the index after the last one done, and sets *bad when one failed (the
 * one at the returned index - 1).  timeout: seconds without progress.
 */
static int
run_batch(const struct img *base, const char *type, const int *order,
    int from, int to, int timeout, int show, int *bad)
{
	const char *log = e3_path("mut.log");
	char buf[256], *nl;
	size_t have = 0;
	int pfd[2], fd, st, cur = from - 1, halting = 0, idle = 0;
	pid_t pid;
	ssize_t r;

	*bad = 0;
	ck_assert_int_eq(pipe(pfd), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(pfd[0]);
		if (!show) {
			fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
				close(fd);
			}
		}
		_exit(child(base, type, order, from, to, pfd[1]));
	}
	close(pfd[1]);
	for (;;) {
		struct pollfd p = { pfd[0], POLLIN, 0 };

		if (poll(&p, 1, 100) == 0) {
			if (++idle < timeout * 10)
				continue;
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			fprintf(stderr, "HANG (%d s without progress): %s %s\n",
			    timeout, type, halting ? "at the halt" :
			    muts[order[cur]].what);
			*bad = 1;
			break;
		}
		idle = 0;
		r = read(pfd[0], buf + have, sizeof(buf) - 1 - have);
		if (r <= 0) {
			waitpid(pid, &st, 0);
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
				fprintf(stderr, "FAIL: %s: %s %d (%s)\n", type,
				    WIFEXITED(st) ? "exit" : "signal",
				    WIFEXITED(st) ? WEXITSTATUS(st) :
				    WTERMSIG(st), halting ? "at the halt" :
				    cur >= from ? muts[order[cur]].what :
				    "before the first");
				*bad = 1;
			}
			break;
		}
		have += (size_t)r;
		buf[have] = '\0';
		while ((nl = strchr(buf, '\n')) != NULL) {
			*nl = '\0';
			if (strcmp(buf, "halt") == 0)
				halting = 1;
			else
				cur = atoi(buf);
			have -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, have + 1);
		}
	}
	close(pfd[0]);
	if (*bad && !show)
		e3_sh("tail -n 40 %s >&2", log);
	if (*bad && !halting)
		return cur + 1;
	return to;
}

/*
 * The base images.
 */
static void
make_base(const char *type, const char *opts, struct img *im)
{
	const char *img, *m;
	char p[PATH_MAX];
	struct stat st;
	int fd, i;

	img = e3_mkfs("base.img", type, 8, opts);
	m = e3_hmount(img, "mb", NULL);
	e3_sh_ok("cd %s && mkdir -p d/sub idx && "
	    "head -c 100 /dev/urandom > d/small && "
	    "head -c 20000 /dev/urandom > ind && "
	    "head -c 300000 /dev/urandom > dind && "
	    "ln -s d/small fast && "
	    "ln -s $(printf 'x%%.0s' $(seq 1 100))/../d/small slow && "
	    "ln d/small d/hard && mknod cdev c 1 3 && "
	    "for i in $(seq -w 0 199); do echo $i > idx/e00$i; done", m);
	/* frag: single blocks with holes between, so that an ext4 extent
	 * tree needs more than the 4 extents of the inode. */
	snprintf(p, sizeof(p), "%s/frag", m);
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	for (i = 0; i < 40; i++)
		ck_assert_int_eq(pwrite(fd, p, 100, (off_t)i * 2 * 4096),
		    100);
	close(fd);
	for (i = 0; i < NTARGETS; i++) {
		snprintf(p, sizeof(p), "%s/%s", m, targets[i].path);
		ck_assert_int_eq(lstat(p, &st), 0);
		targets[i].ino = (uint32_t)st.st_ino;
	}
	/* The host indexed idx. */
	ck_assert_int_eq(e3_sh("lsattr -d %s/idx | cut -d' ' -f1 | grep -q I",
	    m), 0);
	e3_humount(m);
	ck_assert_int_eq(e3_fsck(img), 0);

	fd = open(img, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	im->size = (size_t)st.st_size;
	im->b = malloc(im->size);
	ck_assert_ptr_nonnull(im->b);
	ck_assert_int_eq(read(fd, im->b, im->size), (ssize_t)im->size);
	close(fd);
	img_parse(im);
	if (im->extents) {
		for (i = 0; i < NTARGETS; i++)
			if (strcmp(targets[i].path, "frag") == 0)
				ck_assert_msg(extent_node(im,
				    targets[i].ino) != 0,
				    "frag has no extent tree of depth > 0");
	}
}

/* Does what match one of the '|'-separated words of match? */
static int
matches(const char *what, const char *match)
{
	char buf[256], *w, *save;

	snprintf(buf, sizeof(buf), "%s", match);
	for (w = strtok_r(buf, "|", &save); w != NULL;
	    w = strtok_r(NULL, "|", &save))
		if (strstr(what, w) != NULL)
			return 1;
	return 0;
}

/*
 * Run the corpus of an image kind: a seeded sample, or with match the
 * mutations whose names hold one of its words.
 */
static __attribute__((unused)) void
corpus_match(const char *type, const char *opts, const char *match)
{
	struct img im;
	int *order, k, n, i, bad, nbad = 0, only, timeout, batch;

	crng = (uint64_t)e3_envint("E3_CORRUPT_SEED", 1) * 0x2545F4914F6CDD1DULL
	    + 7;
	make_base(type, opts, &im);
	gen_corpus(&im, e3_envint("E3_CORRUPT_RANDOM", 40));
	/* A seeded sample of the corpus (all of it with E3_CORRUPT_N=0). */
	order = malloc((size_t)nmuts * sizeof(*order));
	ck_assert_ptr_nonnull(order);
	for (i = 0; i < nmuts; i++)
		order[i] = i;
	for (i = nmuts - 1; i > 0; i--) {
		int j = (int)(crnd() % (uint64_t)(i + 1)), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	/* "none" first, always. */
	for (i = 0; i < nmuts; i++)
		if (order[i] == 0) {
			order[i] = order[0];
			order[0] = 0;
			break;
		}
	/* With match, only the matching ones (in the shuffled order). */
	k = nmuts;
	if (match != NULL) {
		for (i = k = 0; i < nmuts; i++)
			if (order[i] == 0 ||
			    matches(muts[order[i]].what, match))
				order[k++] = order[i];
		ck_assert_int_gt(k, 0);
	}
	n = e3_envint("E3_CORRUPT_N", 10) + 1;
	if (n <= 1 || n > k)
		n = k;
	only = e3_envint("E3_CORRUPT_ONLY", -1);
	if (only >= 0) {
		ck_assert_int_lt(only, nmuts);
		order[0] = only;
		n = 1;
	}
	timeout = e3_envint("E3_CORRUPT_TIMEOUT", 20);
	batch = e3_envint("E3_BATCH", 20);
	fprintf(stderr, "t_ext2_corrupt: %s%s%s: %d of %d mutations\n", type,
	    opts ? " " : "", opts ? opts : "", n, nmuts);
	if (getenv("E3_VERBOSE") != NULL)
		for (i = 0; i < n; i++)
			fprintf(stderr, "  %d: %s\n", order[i],
			    muts[order[i]].what);
	for (k = 0; k < n; ) {
		int to = k + batch < n ? k + batch : n;

		k = run_batch(&im, type, order, k, to, timeout, only >= 0,
		    &bad);
		if (bad) {
			nbad++;
			if (k > 0)
				fprintf(stderr, "  (E3_CORRUPT_ONLY=%d runs "
				    "it alone)\n", order[k - 1]);
		}
	}
	free(order);
	free(im.b);
	free(muts);
	muts = NULL;
	capmuts = nmuts = 0;
	ck_assert_msg(nbad == 0, "%d of the mutated %s images failed (above)",
	    nbad, type);
}

static __attribute__((unused)) void
corpus(const char *type, const char *opts)
{

	corpus_match(type, opts, NULL);
}

/* The host's parts only: the rump kernels run in the children. */
#define E3TEST_HOST_(tc, name) \
	static void name##_body(void); \
	START_TEST(name) \
	{ \
		e3_boot_host(); \
		name##_body(); \
		e3_halt(); \
	} \
	END_TEST \
	__attribute__((constructor)) static void \
	name##_register(void) \
	{ \
		e3_register(#tc, name); \
	} \
	static void \
	name##_body(void)
#ifdef E3_PENDING
#define E3TEST_HOST(tc, name) E3TEST_OFF_(tc, name)
#define E3TEST_HOST_PENDING(tc, name) E3TEST_HOST_(tc, name)
#else
#define E3TEST_HOST(tc, name) E3TEST_HOST_(tc, name)
#define E3TEST_HOST_PENDING(tc, name) E3TEST_OFF_(tc, name)
#endif

E3TEST_HOST(corrupt, corrupt_ext2_images_fail_cleanly)
{

	corpus("ext2", NULL);
}

E3TEST_HOST(corrupt, corrupt_ext4_images_without_csums_fail_cleanly)
{

	corpus("ext4", "-O ^metadata_csum");
}

E3TEST_HOST(corrupt, corrupt_ext4_images_fail_cleanly)
{

	corpus("ext4", NULL);
}

E3TEST_HOST(corrupt, corrupt_ext3_images_fail_cleanly)
{

	corpus("ext3", NULL);
}

/* Regression: a directory entry (other than "." and "..") naming the
 * directory itself, its parent or the root ("dir d blk0 3rd.inode=0xc",
 * "dir idx blk1 2nd.inode=0xe", "ino d.block[0]=..." pointing d's block
 * at another directory's) made lookup hand the VFS the directory's own
 * vnode (panic in lookup_finish, KASSERT "vp != dvp"); now EUCLEAN. */
E3TEST_HOST(loops, directory_entries_naming_their_directory_fail_cleanly)
{

	corpus_match("ext4", "-O ^metadata_csum", "3rd.inode|2nd.inode");
	corpus_match("ext3", NULL, "3rd.inode|2nd.inode|ino d.block[0]|"
	    "ino idx.block[0]");
}

/* Regression: an inode bitmap of zeros, or one that points at another
 * block ("gd0.inode_bitmap=0x1", "inode bitmap zeros"), made a create
 * allocate an inode in use (the directory's own): panic "rw_enter:
 * locking against myself". */
E3TEST_HOST(bitmaps, corrupt_inode_bitmaps_fail_cleanly)
{

	corpus_match("ext3", NULL, "inode_bitmap|inode bitmap");
	corpus_match("ext2", NULL, "inode_bitmap|inode bitmap");
}

/*
 * A directory entry that names a free inode: debugfs removes a file (its
 * inode keeps mode, size and block list, with links 0 and a deletion
 * time), gives the blocks to a new file, and links the old number under
 * a new name.  Looking the name up is EUCLEAN, and nothing is loaded:
 * before, the free inode became a vnode whose reclaim freed it again,
 * with the blocks it lists, which are the new file's now.  The block
 * groups (free counts, bitmaps), e2fsck's findings and the new file's
 * data are what they were.
 */
E3TEST(freeino, directory_entry_naming_a_free_inode_is_EUCLEAN)
{
	static char groups0[16384], groups1[16384], fsck0[4096], fsck1[4096];
	const char *img, *script = e3_path("script");
	struct stat st;
	FILE *f;

	img = e3_mkfs("free.img", "ext2", 8, "-b 1024");
	e3_sh_ok("head -c 20000 /dev/urandom >%s && "
	    "head -c 20000 /dev/urandom >%s", e3_path("d1"), e3_path("d2"));
	e3_sh_ok("debugfs -w -R 'write %s victim' %s >/dev/null 2>&1",
	    e3_path("d1"), img);
	f = fopen(script, "w");
	ck_assert_ptr_nonnull(f);
	/* seti/freei: the new file must not get the free number back. */
	fprintf(f, "rm victim\nseti <12>\nwrite %s other\nfreei <12>\n"
	    "ln <12> ghost\n", e3_path("d2"));
	fclose(f);
	e3_sh_ok("debugfs -R 'stat victim' %s 2>/dev/null | "
	    "grep -q '^Inode: 12 '", img);
	e3_sh_ok("debugfs -w -f %s %s >/dev/null 2>&1", script, img);
	e3_groups(img, groups0, sizeof(groups0));
	e3_sh_out(fsck0, sizeof(fsck0), "e2fsck -fn %s 2>&1 | "
	    "grep -v '^e2fsck [0-9]'; true", img);
	ck_assert_msg(strstr(fsck0, "deleted/unused inode 12") != NULL,
	    "the image is not as the test needs it:\n%s", fsck0);

	e3_rmount_ok(img, "ext2", 0);
	ck_assert_fails(rump_sys_stat(E3_MNT "/ghost", &st), EUCLEAN);
	ck_assert_fails(rump_sys_open(E3_MNT "/ghost", O_RDONLY), EUCLEAN);
	ck_assert_fails(rump_sys_unlink(E3_MNT "/ghost"), EUCLEAN);
	ck_assert_int_eq(rump_sys_stat(E3_MNT "/other", &st), 0);
	ck_assert_int_eq(st.st_ino, 13);
	e3_rumount();

	e3_groups(img, groups1, sizeof(groups1));
	ck_assert_str_eq(groups1, groups0);
	e3_sh_out(fsck1, sizeof(fsck1), "e2fsck -fn %s 2>&1 | "
	    "grep -v '^e2fsck [0-9]'; true", img);
	ck_assert_str_eq(fsck1, fsck0);
	e3_sh_ok("debugfs -R 'dump other %s' %s >/dev/null 2>&1 && "
	    "cmp -s %s %s", e3_path("out"), img, e3_path("out"),
	    e3_path("d2"));
}

int
main(void)
{

	return e3_main("ext2_corrupt", e3_envint("E3_TIMEOUT", 900));
}
