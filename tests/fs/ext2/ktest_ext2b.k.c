/*
 * ktest_ext2b.k.c: kernel-side unit tests of the ext4 parts of the ext2
 * driver (sys/fs/ext2/ext2_csum.c, ext2_extent.c, ext2_journal.c), called
 * by t_ext2b.c.  Kernel code: built with the kernel's flags into
 * librumpktest_ext2b.
 *
 * The three files are compiled into this one (#include), with the rest of
 * the driver replaced by a small test double: a "device" that is an image
 * in memory (a host buffer that t_ext2b.c filled from a file mke2fs
 * made), buffers that are private copies of its blocks (ASan sees any
 * use after release), a read-only inode reader, and an allocator over a
 * bitmap of its own that can fragment on purpose and fail on demand.
 * So the functions are tested alone: against real images for reading and
 * checksums, against a model for the tree's writes.
 *
 * Each rump_ktest_* returns 0, or the line of the first check that
 * failed.  The caller has booted a kernel; each function enters it.
 */

/* The journal writes through bwrite and waits with bflush: ours here. */
#define bwrite ktest_bwrite
#define bflush ktest_bflush

/* Nodes of at most this many entries (0: as the block size says). */
#include <sys/types.h>
static uint16_t ki_block_max;
#define EXT4_EXT_TEST_BLOCK_MAX ki_block_max

#include "fs/ext2/ext2_csum.c"
#include "fs/ext2/ext2_extent.c"
#include "fs/ext2/ext2_journal.c"

#include <sys/kmem.h>
#include <rump/rump.h>

#define CHECK(e) do { if (!(e)) { error = __LINE__; goto out; } } while (0)

/* The test double's state: one image at a time. */
struct ktimg {
	struct ext2mount ki_mount;
	uint8_t *ki_data;		/* the image (the caller's memory) */
	size_t ki_size;
	uint8_t *ki_used;		/* model: one byte per block */
	uint64_t ki_base;		/* block of ki_data[0], ki_used[0] */
	uint64_t ki_nused;
	int64_t ki_iblocks;		/* what ext2_add_blocks added */
	int ki_bufs;			/* busy buffers */
	int ki_errors;			/* ext2_error calls */
	int ki_badfree;			/* frees of free blocks */
	int ki_alloc_fail;		/* > 0: the n-th allocation fails */
	int ki_frag;			/* 0..100: % of goals ignored */
	uint32_t ki_rand;
};

static struct ktimg ki;
static int ki_logged;			/* messages printed, at most 20 */

static uint32_t
ki_random(void)
{

	ki.ki_rand = ki.ki_rand * 1103515245U + 12345U;
	return ki.ki_rand >> 8;
}

/* The driver's functions the three files call. */

bool
ext2_blk_valid(const struct ext2mount *ump, uint64_t blk, uint64_t count)
{

	if (count == 0 || blk < ump->um_first_data_block)
		return false;
	return blk < ump->um_blocks && count <= ump->um_blocks - blk;
}

static int
ki_getbuf(struct ext2mount *ump, uint64_t blk, bool read, struct buf **bpp)
{
	struct buf *bp;

	*bpp = NULL;
	if (blk >= ump->um_blocks || blk < ki.ki_base ||
	    (blk - ki.ki_base + 1) * ump->um_bsize > ki.ki_size)
		return EIO;
	bp = kmem_zalloc(sizeof(*bp), KM_SLEEP);
	if (bp == NULL)
		return ENOMEM;
	bp->b_data = kmem_alloc(ump->um_bsize, KM_SLEEP);
	if (bp->b_data == NULL) {
		kmem_free(bp, sizeof(*bp));
		return ENOMEM;
	}
	bp->b_blkno = (daddr_t)blk;
	bp->b_bcount = ump->um_bsize;
	if (read)
		memcpy(bp->b_data, ki.ki_data + (blk - ki.ki_base) *
		    ump->um_bsize, ump->um_bsize);
	else
		memset(bp->b_data, 0xA5, ump->um_bsize);	/* junk */
	ki.ki_bufs++;
	*bpp = bp;
	return 0;
}

int
ext2_bread(struct ext2mount *ump, uint64_t blk, struct buf **bpp)
{

	return ki_getbuf(ump, blk, true, bpp);
}

int
ext2_bget(struct ext2mount *ump, uint64_t blk, struct buf **bpp)
{

	return ki_getbuf(ump, blk, false, bpp);
}

void
ext2_brelse(struct buf *bp)
{

	ki.ki_bufs--;
	kmem_free(bp->b_data, bp->b_bcount);
	kmem_free(bp, sizeof(*bp));
}

void
ext2_bdwrite(struct ext2mount *ump, struct buf *bp)
{

	memcpy(ki.ki_data + ((uint64_t)bp->b_blkno - ki.ki_base) *
	    ump->um_bsize, bp->b_data, ump->um_bsize);
	ext2_brelse(bp);
}

int
ktest_bwrite(struct buf *bp)
{

	ext2_bdwrite(&ki.ki_mount, bp);
	return 0;
}

int
ktest_bflush(dev_t dev)
{

	(void)dev;
	return 0;
}

void
ext2_error(struct ext2mount *ump, const char *fmt, ...)
{
	char buf[192];
	va_list ap;

	(void)ump;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ki.ki_errors++;
	if (ki_logged++ < 20)
		printf("ktest_ext2b: ext2_error: %s\n", buf);
}

/* The first block the allocator hands out. */
static uint64_t
ki_lo(const struct ext2mount *ump)
{

	return ki.ki_base != 0 ? ki.ki_base : ump->um_first_data_block;
}

int
ext2_blkalloc(struct ext2inode *ip, uint64_t goal, uint64_t *blkp)
{
	struct ext2mount *ump = ip->i_ump;
	uint64_t b, n = ump->um_blocks, lo = ki_lo(ump);

	if (ki.ki_alloc_fail > 0 && --ki.ki_alloc_fail == 0)
		return ENOSPC;
	if (ki.ki_nused >= n - lo)
		return ENOSPC;
	if (goal < lo || goal >= n || (int)(ki_random() % 100) < ki.ki_frag)
		goal = lo + ki_random() % (n - lo);
	for (b = goal; ki.ki_used[b - ki.ki_base]; ) {
		if (++b == n)
			b = lo;
	}
	ki.ki_used[b - ki.ki_base] = 1;
	ki.ki_nused++;
	*blkp = b;
	return 0;
}

void
ext2_blkfree(struct ext2mount *ump, uint64_t blk, uint64_t count)
{
	uint64_t i;

	for (i = 0; i < count; i++) {
		if (blk + i >= ump->um_blocks || blk + i < ki.ki_base ||
		    !ki.ki_used[blk + i - ki.ki_base]) {
			ki.ki_badfree++;
			continue;
		}
		ki.ki_used[blk + i - ki.ki_base] = 0;
		ki.ki_nused--;
	}
}

uint64_t
ext2_blkgoal(struct ext2inode *ip, uint64_t lblk)
{

	return ki_lo(ip->i_ump) + lblk % 7;
}

void
ext2_add_blocks(struct ext2inode *ip, int64_t n)
{

	(void)ip;
	ki.ki_iblocks += n;
}

void
ext2_inode_dirty(struct ext2inode *ip)
{

	(void)ip;
}

static uint64_t
ki_gd64(const struct ext2mount *ump, uint32_t lo, uint32_t hi)
{

	return lo | (ump->um_desc_size >= EXT2_MIN_DESC_SIZE_64BIT ?
	    (uint64_t)hi << 32 : 0);
}

uint64_t
ext2_gd_block_bitmap(const struct ext2mount *ump, uint32_t g)
{
	const struct ext2_group_desc *gd = ext2_gd(ump, g);

	return ki_gd64(ump, gd->bg_block_bitmap_lo, gd->bg_block_bitmap_hi);
}

uint64_t
ext2_gd_inode_bitmap(const struct ext2mount *ump, uint32_t g)
{
	const struct ext2_group_desc *gd = ext2_gd(ump, g);

	return ki_gd64(ump, gd->bg_inode_bitmap_lo, gd->bg_inode_bitmap_hi);
}

uint64_t
ext2_gd_inode_table(const struct ext2mount *ump, uint32_t g)
{
	const struct ext2_group_desc *gd = ext2_gd(ump, g);

	return ki_gd64(ump, gd->bg_inode_table_lo, gd->bg_inode_table_hi);
}

uint64_t
ext2_gdb_location(const struct ext2mount *ump, uint32_t i)
{

	return ump->um_first_data_block + 1 + i;	/* no meta_bg here */
}

uint64_t
ext2_i_size(const struct ext2inode *ip)
{

	return ip->i_raw->i_size_lo | (uint64_t)ip->i_raw->i_size_high << 32;
}

void
ext2_ifree_incore(struct ext2inode *ip)
{

	if (ip == NULL)
		return;
	kmem_free(ip->i_raw, ip->i_rawsize);
	kmem_free(ip, sizeof(*ip));
}

int
ext2_iget(struct ext2mount *ump, uint32_t ino, struct ext2inode **ipp)
{
	struct ext2inode *ip;
	struct buf *bp;
	uint32_t g, idx;
	uint64_t blk;
	int error;

	*ipp = NULL;
	if (ino == 0 || ino > ump->um_ipg * ump->um_ngroups)
		return EUCLEAN;
	g = (ino - 1) / ump->um_ipg;
	idx = (ino - 1) % ump->um_ipg;
	blk = ext2_gd_inode_table(ump, g) + idx / ump->um_ipb;
	if ((error = ext2_bread(ump, blk, &bp)) != 0)
		return error;
	ip = kmem_zalloc(sizeof(*ip), KM_SLEEP);
	ip->i_rawsize = MAX(ump->um_inode_size, sizeof(struct ext2_dinode));
	ip->i_raw = kmem_zalloc(ip->i_rawsize, KM_SLEEP);
	ip->i_ump = ump;
	ip->i_ino = ino;
	memcpy(ip->i_raw, (uint8_t *)bp->b_data +
	    (idx % ump->um_ipb) * ump->um_inode_size, ump->um_inode_size);
	ext2_brelse(bp);
	if (ext2_has_metadata_csum(ump) &&
	    (error = ext2_csum_inode_verify(ump, ino, ip->i_raw)) != 0) {
		ext2_ifree_incore(ip);
		return error;
	}
	*ipp = ip;
	return 0;
}

/* Block maps without extents: direct, single, double, triple indirect. */
int
ext2_bmap(struct ext2inode *ip, uint64_t lblk, bool alloc, uint64_t *pblk)
{
	struct ext2mount *ump = ip->i_ump;
	uint64_t apb = ump->um_bsize / 4, span = 1, blk;
	struct buf *bp;
	int level, error;

	*pblk = 0;
	if (ip->i_raw->i_flags & EXT4_EXTENTS_FL)
		return ext4_ext_bmap(ip, lblk, alloc, pblk);
	if (alloc)
		return EROFS;
	if (lblk < EXT2_NDIR_BLOCKS) {
		*pblk = ip->i_raw->i_block[lblk];
		return 0;
	}
	lblk -= EXT2_NDIR_BLOCKS;
	for (level = 1; level <= 3; level++) {
		span *= apb;
		if (lblk < span)
			break;
		lblk -= span;
	}
	if (level > 3)
		return EFBIG;
	blk = ip->i_raw->i_block[EXT2_IND_BLOCK + level - 1];
	while (level-- > 0) {
		if (blk == 0)
			return 0;
		if (!ext2_blk_valid(ump, blk, 1))
			return EUCLEAN;
		if ((error = ext2_bread(ump, blk, &bp)) != 0)
			return error;
		span /= apb;
		blk = ((uint32_t *)bp->b_data)[lblk / span];
		lblk %= span;
		ext2_brelse(bp);
	}
	*pblk = blk;
	return 0;
}

/* "Mount" an image: the geometry that ext2_vfsops.c would compute. */
static int
ki_setup(uint8_t *data, size_t size)
{
	struct ext2mount *ump = &ki.ki_mount;
	struct ext2_super_block *sb;
	size_t gdsize;
	uint32_t i;

	memset(&ki, 0, sizeof(ki));
	ki.ki_data = data;
	ki.ki_size = size;
	if (size < 2048)
		return EINVAL;
	sb = (struct ext2_super_block *)(data + EXT2_SB_OFFSET);
	if (sb->s_magic != EXT2_MAGIC || sb->s_log_block_size > 6)
		return EINVAL;
	memcpy(&ump->um_sb, sb, sizeof(*sb));
	ump->um_compat = sb->s_feature_compat;
	ump->um_incompat = sb->s_feature_incompat;
	ump->um_rocompat = sb->s_feature_ro_compat;
	ump->um_bshift = 10 + sb->s_log_block_size;
	ump->um_bsize = 1U << ump->um_bshift;
	ump->um_bsectors = ump->um_bsize / DEV_BSIZE;
	ump->um_blocks = sb->s_blocks_count_lo | (ext2_has_64bit(ump) ?
	    (uint64_t)sb->s_blocks_count_hi << 32 : 0);
	if (ump->um_blocks * ump->um_bsize > size)
		return EINVAL;
	ump->um_first_data_block = sb->s_first_data_block;
	ump->um_bpg = sb->s_blocks_per_group;
	ump->um_ipg = sb->s_inodes_per_group;
	ump->um_inode_size = sb->s_rev_level == 0 ? 128 : sb->s_inode_size;
	ump->um_ipb = ump->um_bsize / ump->um_inode_size;
	ump->um_itb_per_group = ump->um_ipg / ump->um_ipb;
	ump->um_ngroups = (uint32_t)((ump->um_blocks -
	    ump->um_first_data_block + ump->um_bpg - 1) / ump->um_bpg);
	ump->um_desc_size = ext2_has_64bit(ump) ? sb->s_desc_size : 32;
	ump->um_descs_per_block = ump->um_bsize / ump->um_desc_size;
	ump->um_gdb_count = (ump->um_ngroups + ump->um_descs_per_block - 1) /
	    ump->um_descs_per_block;
	ump->um_csum_seed = EXT2_HAS_INCOMPAT(ump,
	    EXT4_FEATURE_INCOMPAT_CSUM_SEED) ? sb->s_checksum_seed :
	    crc32c(~0U, sb->s_uuid, sizeof(sb->s_uuid));
	gdsize = (size_t)ump->um_gdb_count * ump->um_bsize;
	ump->um_gd = kmem_zalloc(gdsize, KM_SLEEP);
	for (i = 0; i < ump->um_gdb_count; i++)
		memcpy(ump->um_gd + (size_t)i * ump->um_bsize, data +
		    (ext2_gdb_location(ump, i)) * ump->um_bsize,
		    ump->um_bsize);
	return 0;
}

static void
ki_teardown(void)
{
	struct ext2mount *ump = &ki.ki_mount;

	if (ump->um_gd != NULL)
		kmem_free(ump->um_gd, (size_t)ump->um_gdb_count *
		    ump->um_bsize);
	if (ki.ki_used != NULL)
		kmem_free(ki.ki_used, ump->um_blocks);
	ump->um_gd = NULL;
	ki.ki_used = NULL;
}

/* The definition: one bit at a time. */
static uint32_t
ki_crc32c_bitwise(uint32_t crc, const uint8_t *p, size_t len)
{
	int k;

	while (len-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ ((crc & 1) ? 0x82F63B78U : 0);
	}
	return crc;
}

/*
 * crc32c and crc16 against published check values: RFC 3720's iSCSI
 * vectors and the CRC catalogue's "123456789" checks.
 */
int
rump_ktest_ext2b_crc(void)
{
	static const char check[] = "123456789";
	uint8_t buf[32], big[256];
	size_t off, len;
	int error = 0, i;

	rump_schedule();
	CHECK(ext2_crc_tables_ok());
	CHECK(~crc32c(~0U, check, 9) == 0xE3069283U);
	memset(buf, 0, sizeof(buf));
	CHECK(~crc32c(~0U, buf, 32) == 0x8A9136AAU);
	memset(buf, 0xFF, sizeof(buf));
	CHECK(~crc32c(~0U, buf, 32) == 0x62A8AB43U);
	for (i = 0; i < 32; i++)
		buf[i] = (uint8_t)i;
	CHECK(~crc32c(~0U, buf, 32) == 0x46DD794EU);
	for (i = 0; i < 32; i++)
		buf[i] = (uint8_t)(31 - i);
	CHECK(~crc32c(~0U, buf, 32) == 0x113FDB5CU);
	/* Chaining: two halves give the whole. */
	CHECK(crc32c(crc32c(~0U, check, 4), check + 4, 5) ==
	    crc32c(~0U, check, 9));
	CHECK(crc32c(1234, check, 0) == 1234);
	/* Slicing by 8 and the CPU's instruction agree with a bit at a
	 * time, at every alignment and length. */
	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (uint8_t)(i * 37 + (i >> 3));
	for (off = 0; off < 8; off++)
		for (len = 0; len < 200; len += 1 + len / 8)
			CHECK(crc32c(0x12345678U, big + off, len) ==
			    ki_crc32c_bitwise(0x12345678U, big + off, len) &&
			    crc32c_sw(0x12345678U, big + off, len) ==
			    ki_crc32c_bitwise(0x12345678U, big + off, len));
	CHECK(~crc32c_sw(~0U, check, 9) == 0xE3069283U);
	CHECK(crc16(0, check, 9) == 0xBB3D);		/* CRC-16/ARC */
	CHECK(crc16(0xFFFF, check, 9) == 0x4B37);	/* CRC-16/MODBUS */
out:
	rump_unschedule();
	return error;
}

static void
ki_leaf(void *node, uint16_t max, uint16_t n, const uint32_t *blk,
    const uint16_t *len)
{
	struct ext4_extent_header *eh = node;
	uint16_t i;

	eh->eh_magic = EXT4_EXT_MAGIC;
	eh->eh_max = max;
	eh->eh_entries = n;
	eh->eh_depth = 0;
	for (i = 0; i < n; i++) {
		eh_ext(eh)[i].ee_block = blk[i];
		eh_ext(eh)[i].ee_len = len[i];
		eh_ext(eh)[i].ee_start_lo = 1000 + i * 100U;
		eh_ext(eh)[i].ee_start_hi = 0;
	}
}

/* ext4_ext_check_node accepts good nodes and nothing else. */
int
rump_ktest_ext2b_extent_check(void)
{
	uint32_t root[15], blk[4] = { 0, 10, 20, 0xFFFFFFF0U };
	uint16_t len[4] = { 10, 5, 32768 + 100, 16 };
	uint8_t block[1024];
	struct ext4_extent_header *eh = (void *)root;
	int error = 0;

	rump_schedule();
	memset(root, 0, sizeof(root));
	ki_leaf(root, 4, 4, blk, len);
	CHECK(ext4_ext_check_node(root, 60, 0) == 0);
	CHECK(ext4_ext_check_node(root, 60, -1) == 0);
	CHECK(ext4_ext_check_node(root, 60, 1) == EUCLEAN);
	eh->eh_magic = 0xF30B;
	CHECK(ext4_ext_check_node(root, 60, -1) == EUCLEAN);
	eh->eh_magic = EXT4_EXT_MAGIC;
	eh->eh_max = 5;			/* does not fit 60 bytes */
	CHECK(ext4_ext_check_node(root, 60, -1) == EUCLEAN);
	eh->eh_max = 3;				/* entries > max */
	CHECK(ext4_ext_check_node(root, 60, -1) == EUCLEAN);
	eh->eh_max = 0;
	eh->eh_entries = 0;
	CHECK(ext4_ext_check_node(root, 60, -1) == EUCLEAN);
	/* Overlap: 0+10 > 9. */
	blk[1] = 9;
	ki_leaf(root, 4, 4, blk, len);
	CHECK(ext4_ext_check_node(root, 60, -1) == EUCLEAN);
	/* Past 2^32 blocks: 0xFFFFFFF0 + 17. */
	blk[1] = 10;
	len[3] = 17;
	ki_leaf(root, 4, 4, blk, len);
	CHECK(ext4_ext_check_node(root, 60, -1) == EUCLEAN);
	len[3] = 16;
	/* Zero length. */
	len[1] = 0;
	ki_leaf(root, 4, 4, blk, len);
	CHECK(ext4_ext_check_node(root, 60, -1) == EUCLEAN);
	len[1] = 5;
	/* Depth past the limit; index node without entries. */
	ki_leaf(root, 4, 4, blk, len);
	eh->eh_depth = EXT4_EXT_MAX_DEPTH + 1;
	CHECK(ext4_ext_check_node(root, 60, -1) == EUCLEAN);
	eh->eh_depth = 1;
	CHECK(ext4_ext_check_node(root, 60, -1) == 0);	/* keys ordered */
	eh->eh_entries = 0;
	CHECK(ext4_ext_check_node(root, 60, -1) == EUCLEAN);
	/* Index keys not increasing. */
	eh->eh_entries = 2;
	eh_idx(eh)[1].ei_block = eh_idx(eh)[0].ei_block;
	CHECK(ext4_ext_check_node(root, 60, -1) == EUCLEAN);
	/* A block node: max 84 in 1 KiB (the tail fits), not 85. */
	memset(block, 0, sizeof(block));
	ki_leaf(block, 84, 4, blk, len);
	CHECK(ext4_ext_check_node(block, sizeof(block), 0) == 0);
	CHECK(ext4_block_max(1024) == 84 && ext4_block_max(4096) == 340);
	((struct ext4_extent_header *)block)->eh_max = 85;
	CHECK(ext4_ext_check_node(block, sizeof(block), 0) == EUCLEAN);
	/* Lengths: 32768 initialised, 32769 an uninitialised 1. */
	CHECK(ext4_ext_len(&eh_ext(eh)[2]) == 100);
	CHECK(ext4_ext_is_uninit(&eh_ext(eh)[2]));
	ext4_ext_set(&eh_ext(eh)[0], 0, 32768, 5, false);
	CHECK(!ext4_ext_is_uninit(&eh_ext(eh)[0]) &&
	    ext4_ext_len(&eh_ext(eh)[0]) == 32768);
out:
	rump_unschedule();
	return error;
}

/*
 * Walk a whole tree, checking what the lookups do not: each child's keys
 * lie within its index entry's range, and counting nodes and blocks.
 */
static int
ki_walk(struct ext2inode *ip, struct ext4_extent_header *eh, uint64_t lo,
    uint64_t hi, uint64_t *nodes, uint64_t *blocks)
{
	struct ext4_extent_header *ceh;
	struct buf *bp;
	uint64_t clo, chi, b;
	int i, n = eh->eh_entries, error = 0;

	for (i = 0; i < n; i++) {
		if (eh->eh_depth == 0) {
			b = eh_ext(eh)[i].ee_block;
			CHECK(b >= lo &&
			    b + ext4_ext_len(&eh_ext(eh)[i]) <= hi);
			*blocks += ext4_ext_len(&eh_ext(eh)[i]);
			continue;
		}
		clo = eh_idx(eh)[i].ei_block;
		chi = i + 1 < n ? eh_idx(eh)[i + 1].ei_block : hi;
		CHECK(clo >= lo);
		error = ext4_read_node(ip, ext4_idx_pblk(&eh_idx(eh)[i]),
		    eh->eh_depth - 1, &bp);
		if (error != 0)
			goto out;
		ceh = bp->b_data;
		(*nodes)++;
		error = ki_walk(ip, ceh, clo, chi, nodes, blocks);
		ext2_brelse(bp);
		if (error != 0)
			goto out;
	}
out:
	return error;
}

/*
 * The tree's writes against a model: nops random steps on a file of
 * span blocks (allocate a block, which must keep every earlier mapping;
 * truncate; convert an uninitialised extent), on a synthetic 1 KiB-block
 * device of nblocks, with frag% of the goals ignored so that extents
 * stay short and the tree deep.  After each step the tree is walked:
 * every block mapped as the model says, i_blocks = data + nodes, and the
 * allocator's count the same (each check_every steps, and at the end).
 */
int
rump_ktest_ext2b_extent_model(uint32_t seed, int nops, uint32_t span,
    int frag, int fail_every, int block_max, int check_every, int high)
{
	struct ext2mount *ump = &ki.ki_mount;
	struct ext2inode ino, *ip = &ino;
	struct ext2_dinode *raw = NULL;
	uint64_t *model = NULL, pblk, nodes, blocks, nmapped, b;
	uint64_t nblocks = 1 << 17;
	struct ext4_extent nex;
	int error = 0, op, e, step = 0;
	uint32_t lblk, k;

	rump_schedule();
	memset(&ki, 0, sizeof(ki));
	ki.ki_rand = seed;
	ki.ki_frag = frag;
	ki_block_max = (uint16_t)block_max;
	ump->um_bsize = 1024;
	ump->um_bshift = 10;
	/* high: a device past 2^32 blocks, ours its last 2^17. */
	ki.ki_base = high ? 5ULL << 32 : 0;
	ump->um_blocks = ki.ki_base + nblocks;
	ump->um_first_data_block = 1;
	ump->um_rocompat = EXT4_FEATURE_RO_COMPAT_METADATA_CSUM;
	ump->um_csum_seed = seed;
	ki.ki_size = nblocks * 1024;
	ki.ki_data = kmem_zalloc(ki.ki_size, KM_SLEEP);
	ki.ki_used = kmem_zalloc(nblocks, KM_SLEEP);
	model = kmem_zalloc(span * sizeof(*model), KM_SLEEP);
	raw = kmem_zalloc(sizeof(*raw), KM_SLEEP);
	CHECK(ki.ki_data != NULL && ki.ki_used != NULL && model != NULL &&
	    raw != NULL);
	memset(ip, 0, sizeof(*ip));
	ip->i_ump = ump;
	ip->i_ino = 12;
	ip->i_raw = raw;
	ip->i_rawsize = sizeof(*raw);
	raw->i_generation = seed;
	CHECK(ext4_ext_init(ip) == 0);
	CHECK(ext4_ext_validate_root(ip) == 0);
	CHECK(raw->i_flags & EXT4_EXTENTS_FL);

	for (step = 0; step < nops; step++) {
		op = (int)(ki_random() % 100);
		lblk = ki_random() % span;
		if (op < 3) {
			/* Truncate at a random point, often the end. */
			CHECK(ext4_ext_truncate(ip, lblk) == 0);
			for (k = lblk; k < span; k++)
				model[k] = 0;
		} else if (op < 8 && model[lblk] == 0) {
			/* A preallocated (uninitialised) run. */
			for (k = 0; k < 8 && lblk + k < span &&
			    model[lblk + k] == 0; k++)
				;
			CHECK(ext2_blkalloc(ip, 0, &b) == 0);
			for (e = 1; e < (int)k; e++)
				if (b + e >= ump->um_blocks ||
				    ki.ki_used[b + e - ki.ki_base])
					break;
			k = (uint32_t)e;
			for (e = 1; e < (int)k; e++) {
				ki.ki_used[b + e - ki.ki_base] = 1;
				ki.ki_nused++;
			}
			ext4_ext_set(&nex, lblk, k, b, true);
			e = ext4_insert(ip, &nex, true);
			if (e != 0) {
				CHECK(e == ENOSPC && fail_every > 0);
				ext2_blkfree(ump, b, k);
				continue;
			}
			ki.ki_iblocks += k;
			for (e = 0; e < (int)k; e++)
				model[lblk + e] = ~(b + e);	/* uninit */
		} else {
			if (fail_every > 0 && ki_random() % fail_every == 0)
				ki.ki_alloc_fail = 1 + ki_random() % 3;
			e = ext4_ext_bmap(ip, lblk, true, &pblk);
			ki.ki_alloc_fail = 0;
			if (e != 0) {
				CHECK(e == ENOSPC && fail_every > 0);
				continue;
			}
			CHECK(pblk != 0);
			if (model[lblk] != 0 && (model[lblk] >> 63) == 0)
				CHECK(pblk == model[lblk]);
			if (model[lblk] >> 63)
				CHECK(pblk == ~model[lblk]);
			model[lblk] = pblk;
		}
		/* The whole tree against the model. */
		if (step % check_every != 0 && step != nops - 1)
			continue;
		nodes = blocks = 0;
		CHECK(ki_walk(ip, ext4_root(ip), 0, 1ULL << 32, &nodes,
		    &blocks) == 0);
		for (k = 0, nmapped = 0; k < span; k++) {
			CHECK(ext4_ext_bmap(ip, k, false, &pblk) == 0);
			if (model[k] >> 63)
				CHECK(pblk == 0);	/* reads as zeros */
			else
				CHECK(pblk == model[k]);
			if (model[k] != 0)
				nmapped++;
		}
		CHECK(blocks == nmapped);
		CHECK((uint64_t)ki.ki_iblocks == nmapped + nodes);
		CHECK(ki.ki_nused == nmapped + nodes);
		CHECK(ki.ki_bufs == 0 && ki.ki_badfree == 0);
		CHECK(ki.ki_errors == 0);
	}
	CHECK(ext4_ext_truncate(ip, 0) == 0);
	CHECK(ki.ki_nused == 0 && ki.ki_iblocks == 0);
	CHECK(ext4_root(ip)->eh_depth == 0 && ext4_root(ip)->eh_entries == 0);
out:
	if (error != 0)
		printf("ktest_ext2b: extent model: step %d depth %u\n", step,
		    raw != NULL ? ext4_root(ip)->eh_depth : 0);
	if (raw != NULL)
		kmem_free(raw, sizeof(*raw));
	if (model != NULL)
		kmem_free(model, span * sizeof(*model));
	if (ki.ki_data != NULL)
		kmem_free(ki.ki_data, ki.ki_size);
	if (ki.ki_used != NULL)
		kmem_free(ki.ki_used, nblocks);
	ki.ki_used = NULL;
	ki_block_max = 0;
	rump_unschedule();
	return error;
}

/* The result of an image check, for the caller's assertions. */
struct ktest_ext2b_counts {
	uint64_t c_groups;
	uint64_t c_bitmaps;
	uint64_t c_inodes;
	uint64_t c_extent_nodes;
	uint64_t c_dirblocks;
	uint64_t c_dx_blocks;
	int c_depth;			/* deepest extent tree */
};

static bool
ki_allzero(const void *p, size_t n)
{
	const uint8_t *c = p;

	while (n-- > 0)
		if (*c++ != 0)
			return false;
	return true;
}

static int
ki_check_inode(struct ext2inode *ip, struct ktest_ext2b_counts *c)
{
	struct ext2mount *ump = ip->i_ump;
	uint64_t size = ext2_i_size(ip), nblk, lb, pblk, nodes = 0, blocks = 0;
	struct buf *bp;
	int error = 0;

	if (ip->i_raw->i_flags & EXT4_EXTENTS_FL) {
		CHECK(ext4_ext_validate_root(ip) == 0);
		CHECK(ki_walk(ip, ext4_root(ip), 0, 1ULL << 32, &nodes,
		    &blocks) == 0);
		c->c_extent_nodes += nodes;
		if (ext4_root(ip)->eh_depth > c->c_depth)
			c->c_depth = ext4_root(ip)->eh_depth;
	}
	if ((ip->i_raw->i_mode & EXT2_S_IFMT) != EXT2_S_IFDIR ||
	    (ip->i_raw->i_flags & EXT4_INLINE_DATA_FL))
		goto out;
	nblk = size / ump->um_bsize;
	for (lb = 0; lb < nblk; lb++) {
		CHECK(ext2_bmap(ip, lb, false, &pblk) == 0 && pblk != 0);
		CHECK(ext2_bread(ump, pblk, &bp) == 0);
		error = ext2_csum_dirblock_verify(ump, ip, bp->b_data);
		/*
		 * An indexed directory's block 0 is its htree root even when
		 * its last 12 bytes look like a leaf's tail: Linux turns a
		 * leaf into the root in place and leaves the old tail's
		 * bytes in dx_tail's reserved word (seen on a host image).
		 */
		if (((EXT2_LE32(ip->i_raw->i_flags) & EXT2_INDEX_FL) && lb == 0) ||
		    ext2_dir_leaf_tail(ump, bp->b_data) == NULL)
			c->c_dx_blocks++;
		ext2_brelse(bp);
		CHECK(error == 0);
		c->c_dirblocks++;
	}
out:
	return error;
}

/*
 * Every checksum of a real image (made by mke2fs and written by Linux):
 * the superblock, each group descriptor, the bitmaps of initialised
 * groups, every inode in use or once used, the extent tree of each
 * extent-mapped inode (walked whole), each directory block.  With
 * gdt_csum instead of metadata_csum, only the descriptors.
 */
int
rump_ktest_ext2b_image_check(uint8_t *data, size_t size,
    struct ktest_ext2b_counts *c)
{
	struct ext2mount *ump = &ki.ki_mount;
	struct ext2_group_desc *gd;
	struct ext2inode *ip;
	struct buf *bp;
	uint32_t g, i, ino, used;
	bool mcsum;
	int error = 0;

	rump_schedule();
	memset(c, 0, sizeof(*c));
	CHECK(ki_setup(data, size) == 0);
	mcsum = ext2_has_metadata_csum(ump);
	if (mcsum)
		CHECK(ext2_csum_sb_verify(ump, data + EXT2_SB_OFFSET) == 0);
	for (g = 0; g < ump->um_ngroups; g++) {
		gd = ext2_gd(ump, g);
		CHECK(ext2_csum_gd_verify(ump, g, gd) == 0);
		c->c_groups++;
		if (!mcsum)
			continue;
		if (!(gd->bg_flags & EXT2_BG_BLOCK_UNINIT)) {
			CHECK(ext2_bread(ump, ext2_gd_block_bitmap(ump, g),
			    &bp) == 0);
			error = ext2_csum_bitmap_verify(ump, g, bp->b_data,
			    false);
			ext2_brelse(bp);
			CHECK(error == 0);
			c->c_bitmaps++;
		}
		if (gd->bg_flags & EXT2_BG_INODE_UNINIT)
			continue;
		CHECK(ext2_bread(ump, ext2_gd_inode_bitmap(ump, g), &bp) == 0);
		error = ext2_csum_bitmap_verify(ump, g, bp->b_data, true);
		ext2_brelse(bp);
		CHECK(error == 0);
		c->c_bitmaps++;
		used = ump->um_ipg - gd->bg_itable_unused_lo;
		for (i = 0; i < used; i++) {
			ino = g * ump->um_ipg + i + 1;
			if (ext2_iget(ump, ino, &ip) != 0) {
				/* Never-used inodes are all zeros. */
				CHECK(ext2_bread(ump, ext2_gd_inode_table(ump,
				    g) + i / ump->um_ipb, &bp) == 0);
				error = ki_allzero((uint8_t *)bp->b_data +
				    (i % ump->um_ipb) * ump->um_inode_size,
				    ump->um_inode_size) ? 0 : __LINE__;
				ext2_brelse(bp);
				if (error != 0)
					printf("ktest_ext2b: inode %u\n", ino);
				CHECK(error == 0);
				ki.ki_errors--;
				continue;
			}
			c->c_inodes++;
			if (ip->i_raw->i_links_count != 0 &&
			    ip->i_raw->i_mode != 0 && ino != EXT2_RESIZE_INO)
				error = ki_check_inode(ip, c);
			ext2_ifree_incore(ip);
			if (error != 0)
				printf("ktest_ext2b: inode %u\n", ino);
			if (error != 0)
				goto out;
		}
	}
	CHECK(ki.ki_bufs == 0 && ki.ki_errors == 0);
	/* And the set functions give back what is there. */
	if (mcsum) {
		struct ext2_super_block sb;

		memcpy(&sb, data + EXT2_SB_OFFSET, sizeof(sb));
		sb.s_checksum ^= 1;
		ext2_csum_sb_set(ump, &sb);
		CHECK(memcmp(&sb, data + EXT2_SB_OFFSET, sizeof(sb)) == 0);
	}
	gd = ext2_gd(ump, 0);
	gd->bg_checksum ^= 0x100;
	CHECK(ext2_csum_gd_verify(ump, 0, gd) == EUCLEAN);
	ext2_csum_gd_set(ump, 0, gd);
	CHECK(ext2_csum_gd_verify(ump, 0, gd) == 0);
out:
	ki_teardown();
	rump_unschedule();
	return error;
}

/*
 * Read inode ino's data (up to its size, at most outsize bytes) into out
 * through the block maps: holes and uninitialised extents read as zeros.
 * *lenp: the bytes read.  0, or the errno of the first failure (EUCLEAN
 * for a corrupt tree), never a crash.
 */
int
rump_ktest_ext2b_read_file(uint8_t *data, size_t size, uint32_t ino,
    uint8_t *out, size_t outsize, size_t *lenp)
{
	struct ext2mount *ump;
	struct ext2inode *ip = NULL;
	uint64_t fsize, lb, pblk;
	struct buf *bp;
	size_t n, done = 0;
	int error;

	rump_schedule();
	*lenp = 0;
	if ((error = ki_setup(data, size)) != 0)
		goto out;
	ump = &ki.ki_mount;
	if ((error = ext2_iget(ump, ino, &ip)) != 0)
		goto out;
	if ((ip->i_raw->i_flags & EXT4_EXTENTS_FL) &&
	    (error = ext4_ext_validate_root(ip)) != 0)
		goto out;
	fsize = MIN(ext2_i_size(ip), outsize);
	for (lb = 0; done < fsize; lb++) {
		n = MIN(fsize - done, ump->um_bsize);
		if ((error = ext2_bmap(ip, lb, false, &pblk)) != 0)
			goto out;
		if (pblk == 0)
			memset(out + done, 0, n);
		else {
			if ((error = ext2_bread(ump, pblk, &bp)) != 0)
				goto out;
			memcpy(out + done, bp->b_data, n);
			ext2_brelse(bp);
		}
		done += n;
	}
	*lenp = done;
out:
	if (error == 0 && ki.ki_bufs != 0)
		error = EBUSY;
	ext2_ifree_incore(ip);
	ki_teardown();
	rump_unschedule();
	return error;
}

/*
 * Writes and truncates on inode ino of a (mutated) image in memory, with
 * an allocator that knows nothing of the image: whatever the tree holds,
 * each call returns 0 or an accepted error (EUCLEAN, EIO, ENOSPC, EFBIG),
 * holds no buffer after, and never crashes or overruns.  The image's
 * contents after are not looked at.
 */
int
rump_ktest_ext2b_mutated_writes(uint8_t *data, size_t size, uint32_t ino,
    uint32_t seed)
{
	struct ext2inode *ip = NULL;
	uint64_t pblk;
	int error = 0, e, i;

	rump_schedule();
	CHECK(ki_setup(data, size) == 0);
	ki.ki_rand = seed;
	ki.ki_frag = 50;
	ki.ki_used = kmem_zalloc(ki.ki_mount.um_blocks, KM_SLEEP);
	CHECK(ki.ki_used != NULL);
	e = ext2_iget(&ki.ki_mount, ino, &ip);
	if (e != 0 || !(ip->i_raw->i_flags & EXT4_EXTENTS_FL))
		goto out;
	if (ext4_ext_validate_root(ip) != 0)
		goto out;
	for (i = 0; i < 200; i++) {
		if (ki_random() % 10 == 0)
			e = ext4_ext_truncate(ip, ki_random() % 3000);
		else
			e = ext4_ext_bmap(ip, ki_random() % 3000,
			    ki_random() % 4 != 0, &pblk);
		CHECK(e == 0 || e == EUCLEAN || e == EIO || e == ENOSPC ||
		    e == EFBIG);
		CHECK(ki.ki_bufs == 0);
	}
out:
	ext2_ifree_incore(ip);
	ki_teardown();
	rump_unschedule();
	return error;
}

/*
 * Replay the journal of an image in memory (which the caller then writes
 * to a file for e2fsck and debugfs).  *replayed: blocks written home.
 */
int
rump_ktest_ext2b_journal(uint8_t *data, size_t size)
{
	int error;

	rump_schedule();
	if ((error = ki_setup(data, size)) != 0)
		goto out;
	error = ext2_journal_recover(&ki.ki_mount);
	if (error == 0 && ki.ki_bufs != 0)
		error = EBUSY;
	if (error == 0 && (ki.ki_mount.um_incompat &
	    EXT3_FEATURE_INCOMPAT_RECOVER))
		error = EDOM;
out:
	ki_teardown();
	rump_unschedule();
	return error;
}
