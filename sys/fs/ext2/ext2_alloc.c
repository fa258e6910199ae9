/*
 * ext2_alloc.c: block and inode allocation of ext2/3/4: the bitmaps of
 * each group (initialised here when the group was left uninitialised by
 * mke2fs: BLOCK_UNINIT, INODE_UNINIT), goal-based block allocation that
 * keeps a file's blocks together, inode allocation that spreads
 * directories over the groups and keeps files near their directory, and
 * the free counts in the group descriptors and the superblock.
 *
 * Locking: um_lock is held across every change of a bitmap, a group
 * descriptor or a free count, including the bitmap's I/O (bitmap
 * buffers are only ever owned with um_lock held, so the I/O never waits
 * for another um_lock holder).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kauth.h>
#include <sys/mutex.h>
#include <sys/stat.h>

#include "ext2fs.h"

static bool
ext2_uninit_ok(const struct ext2mount *ump)
{

	return ext2_has_gdt_csum(ump) || ext2_has_metadata_csum(ump);
}

static void
ext2_setbit(uint8_t *bm, uint32_t b)
{

	bm[b >> 3] |= (uint8_t)(1U << (b & 7));
}

static void
ext2_clrbit(uint8_t *bm, uint32_t b)
{

	bm[b >> 3] &= (uint8_t)~(1U << (b & 7));
}

static bool
ext2_isset(const uint8_t *bm, uint32_t b)
{

	return (bm[b >> 3] >> (b & 7)) & 1;
}

/* The first block of group g and the number of blocks in it. */
static uint64_t
ext2_group_first(const struct ext2mount *ump, uint32_t g)
{

	return ump->um_first_data_block + (uint64_t)g * ump->um_bpg;
}

static uint32_t
ext2_group_nblocks(const struct ext2mount *ump, uint32_t g)
{
	uint64_t first = ext2_group_first(ump, g);

	return (uint32_t)MIN((uint64_t)ump->um_bpg, ump->um_blocks - first);
}

/* Mark in bm (group g's block bitmap) the blocks b..b+n-1 in g. */
static void
ext2_mark_range(const struct ext2mount *ump, uint8_t *bm, uint32_t g,
    uint64_t b, uint64_t n)
{
	uint64_t first = ext2_group_first(ump, g);
	uint64_t end = first + ext2_group_nblocks(ump, g);

	for (; n > 0; b++, n--)
		if (b >= first && b < end)
			ext2_setbit(bm, (uint32_t)(b - first));
}

/* Build the block bitmap of a BLOCK_UNINIT group: its metadata only. */
static void
ext2_init_block_bitmap(struct ext2mount *ump, uint32_t g, uint8_t *bm)
{
	uint64_t first = ext2_group_first(ump, g), n = 0;
	uint32_t o, nb = ext2_group_nblocks(ump, g), mb;

	memset(bm, 0, ump->um_bsize);
	if (ext2_group_has_super(ump, g))
		n = 1;
	if (EXT2_HAS_INCOMPAT(ump, EXT2_FEATURE_INCOMPAT_META_BG)) {
		mb = g / ump->um_descs_per_block;
		o = g % ump->um_descs_per_block;
		if (mb < EXT2_LE32(ump->um_sb.s_first_meta_bg)) {
			if (ext2_group_has_super(ump, g))
				n += EXT2_LE32(ump->um_sb.s_first_meta_bg) +
				    EXT2_LE16(ump->um_sb.s_reserved_gdt_blocks);
		} else if (o == 0 || o == 1 ||
		    o == ump->um_descs_per_block - 1)
			n += 1;
	} else if (ext2_group_has_super(ump, g))
		n += ump->um_gdb_count +
		    EXT2_LE16(ump->um_sb.s_reserved_gdt_blocks);
	ext2_mark_range(ump, bm, g, first, n);
	for (o = 0; o < ump->um_ngroups; o++) {
		ext2_mark_range(ump, bm, g, ext2_gd_block_bitmap(ump, o), 1);
		ext2_mark_range(ump, bm, g, ext2_gd_inode_bitmap(ump, o), 1);
		ext2_mark_range(ump, bm, g, ext2_gd_inode_table(ump, o),
		    ump->um_itb_per_group);
	}
	for (o = nb; o < ump->um_bsize * 8; o++)
		ext2_setbit(bm, o);
}

/*
 * Read the bitmap of group g (block or inode): initialised if the group
 * was not, and its checksum checked.  um_lock held.
 */
static int
ext2_read_bitmap(struct ext2mount *ump, uint32_t g, bool inode,
    struct buf **bpp)
{
	struct ext2_group_desc *gd = ext2_gd(ump, g);
	uint16_t flags = EXT2_LE16(gd->bg_flags);
	uint16_t uflag = inode ? EXT2_BG_INODE_UNINIT : EXT2_BG_BLOCK_UNINIT;
	uint64_t blk = inode ? ext2_gd_inode_bitmap(ump, g) :
	    ext2_gd_block_bitmap(ump, g);
	uint32_t i;
	int error;

	KASSERT(mutex_owned(&ump->um_lock));
	if (ext2_uninit_ok(ump) && (flags & uflag)) {
		if ((error = ext2_bget(ump, blk, bpp)) != 0)
			return error;
		if (inode) {
			for (i = ump->um_ipg; i < ump->um_bsize * 8; i++)
				ext2_setbit((*bpp)->b_data, i);
		} else
			ext2_init_block_bitmap(ump, g, (*bpp)->b_data);
		gd->bg_flags = flags & ~uflag;
		if (ext2_has_metadata_csum(ump))
			ext2_csum_bitmap_set(ump, g, (*bpp)->b_data, inode);
		ext2_gd_dirty(ump, g);
		return 0;
	}
	if ((error = ext2_bread(ump, blk, bpp)) != 0)
		return error;
	if (ext2_has_metadata_csum(ump) &&
	    ext2_csum_bitmap_verify(ump, g, (*bpp)->b_data, inode) != 0) {
		brelse(*bpp);
		*bpp = NULL;
		ext2_error(ump, "group %u: %s bitmap checksum does not match",
		    g, inode ? "inode" : "block");
		return EUCLEAN;
	}
	return 0;
}

static void
ext2_write_bitmap(struct ext2mount *ump, uint32_t g, bool inode,
    struct buf *bp)
{

	if (ext2_has_metadata_csum(ump))
		ext2_csum_bitmap_set(ump, g, bp->b_data, inode);
	ext2_gd_dirty(ump, g);
	ext2_bdwrite(ump, bp);
}

/* May the caller use the reserved blocks? */
static bool
ext2_may_use_reserved(const struct ext2mount *ump)
{
	kauth_cred_t cred = kauth_cred_get();

	if (cred == NULL || kauth_cred_capable(cred, CAP_SYS_RESOURCE))
		return true;
	return cred->cr_fsuid == EXT2_LE16(ump->um_sb.s_def_resuid) ||
	    kauth_cred_groupmember(cred, EXT2_LE16(ump->um_sb.s_def_resgid));
}

static uint64_t
ext2_reserved_blocks(const struct ext2mount *ump)
{
	uint64_t r = EXT2_LE32(ump->um_sb.s_r_blocks_count_lo);

	if (ext2_has_64bit(ump))
		r |= (uint64_t)EXT2_LE32(ump->um_sb.s_r_blocks_count_hi) << 32;
	return r;
}

/* Is blk metadata of its own group (a superblock copy with the
 * descriptors and reserved GDT blocks, a bitmap, the inode table)? */
static bool
ext2_is_group_meta(const struct ext2mount *ump, uint32_t g, uint64_t blk)
{
	uint64_t it = ext2_gd_inode_table(ump, g);
	uint64_t first = ext2_group_first(ump, g);

	if (ext2_group_has_super(ump, g) &&
	    !EXT2_HAS_INCOMPAT(ump, EXT2_FEATURE_INCOMPAT_META_BG) &&
	    blk < first + 1 + ump->um_gdb_count +
	    EXT2_LE16(ump->um_sb.s_reserved_gdt_blocks))
		return true;
	if (blk < ump->um_first_data_block + 1)
		return true;
	return blk == ext2_gd_block_bitmap(ump, g) ||
	    blk == ext2_gd_inode_bitmap(ump, g) ||
	    (blk >= it && blk < it + ump->um_itb_per_group);
}

/*
 * Up to want free blocks in a row, the first at goal or after it (in
 * goal's group first, then the following groups, wrapping round).
 */
int
ext2_blkalloc_n(struct ext2inode *ip, uint64_t goal, uint64_t want,
    uint64_t *blkp, uint64_t *gotp)
{
	struct ext2mount *ump = ip->i_ump;
	struct buf *bp = NULL;
	uint8_t *bm;
	uint32_t g, g0, i, start, nb, bit, n, fr;
	uint64_t avail;
	int error = 0;

	*blkp = 0;
	*gotp = 0;
	if (ump->um_ronly)
		return EROFS;
	if (want == 0)
		want = 1;
	if (goal < ump->um_first_data_block || goal >= ump->um_blocks)
		goal = ump->um_first_data_block;
	g0 = (uint32_t)((goal - ump->um_first_data_block) / ump->um_bpg);
	mutex_enter(&ump->um_lock);
	avail = ump->um_free_blocks;
	if (!ext2_may_use_reserved(ump))
		avail = avail > ext2_reserved_blocks(ump) ?
		    avail - ext2_reserved_blocks(ump) : 0;
	if (avail == 0) {
		error = ENOSPC;
		goto out;
	}
	if (want > avail)
		want = avail;
	for (i = 0; i <= ump->um_ngroups; i++) {
		g = (g0 + i) % ump->um_ngroups;
		if (ext2_gd_free_blocks(ump, g) == 0)
			continue;
		if ((error = ext2_read_bitmap(ump, g, false, &bp)) != 0)
			goto out;
		bm = bp->b_data;
		nb = ext2_group_nblocks(ump, g);
		start = 0;
		if (i == 0)
			start = (uint32_t)(goal - ext2_group_first(ump, g));
		for (bit = start; bit < nb; bit++) {
			if ((bit & 7) == 0 && bm[bit >> 3] == 0xff &&
			    bit + 8 <= nb) {
				bit += 7;
				continue;
			}
			if (ext2_isset(bm, bit))
				continue;
			if (ext2_is_group_meta(ump, g,
			    ext2_group_first(ump, g) + bit)) {
				ext2_error(ump, "group %u: block bitmap marks "
				    "metadata free", g);
				continue;
			}
			break;
		}
		if (bit >= nb) {
			brelse(bp);
			bp = NULL;
			continue;	/* g0's start: at i == ngroups */
		}
		fr = ext2_gd_free_blocks(ump, g);
		for (n = 0; n < want && bit + n < nb && n < fr &&
		    !ext2_isset(bm, bit + n); n++)
			ext2_setbit(bm, bit + n);
		ext2_gd_set_free_blocks(ump, g, fr - n);
		ump->um_free_blocks -= n;
		ext2_write_bitmap(ump, g, false, bp);
		bp = NULL;
		*blkp = ext2_group_first(ump, g) + bit;
		*gotp = n;
		goto out;
	}
	error = ENOSPC;
 out:
	mutex_exit(&ump->um_lock);
	return error;
}

int
ext2_blkalloc(struct ext2inode *ip, uint64_t goal, uint64_t *blkp)
{
	uint64_t got;

	return ext2_blkalloc_n(ip, goal, 1, blkp, &got);
}

void
ext2_blkfree(struct ext2mount *ump, uint64_t blk, uint64_t count)
{
	struct buf *bp = NULL;
	uint32_t g, cur = UINT32_MAX, bit;
	uint64_t b;

	if (!ext2_blk_valid(ump, blk, count)) {
		ext2_error(ump, "freeing bad blocks %llu+%llu",
		    (unsigned long long)blk, (unsigned long long)count);
		return;
	}
	mutex_enter(&ump->um_lock);
	for (b = blk; b < blk + count; b++) {
		g = (uint32_t)((b - ump->um_first_data_block) / ump->um_bpg);
		if (g != cur) {
			if (bp != NULL)
				ext2_write_bitmap(ump, cur, false, bp);
			bp = NULL;
			cur = g;
			if (ext2_read_bitmap(ump, g, false, &bp) != 0) {
				bp = NULL;
				cur = UINT32_MAX;
				continue;
			}
		}
		bit = (uint32_t)(b - ext2_group_first(ump, g));
		if (!ext2_isset(bp->b_data, bit) ||
		    ext2_is_group_meta(ump, g, b)) {
			ext2_error(ump, "freeing free or metadata block %llu",
			    (unsigned long long)b);
			continue;
		}
		ext2_clrbit(bp->b_data, bit);
		ext2_gd_set_free_blocks(ump, g,
		    ext2_gd_free_blocks(ump, g) + 1);
		ump->um_free_blocks++;
	}
	if (bp != NULL)
		ext2_write_bitmap(ump, cur, false, bp);
	mutex_exit(&ump->um_lock);
}

/* Where to put logical block lblk of ip: after its previous block. */
uint64_t
ext2_blkgoal(struct ext2inode *ip, uint64_t lblk)
{
	struct ext2mount *ump = ip->i_ump;
	uint64_t g;

	if (ip->i_last_pblk != 0 && lblk > ip->i_last_lblk &&
	    lblk - ip->i_last_lblk < 64 &&
	    ip->i_last_pblk + (lblk - ip->i_last_lblk) < ump->um_blocks)
		return ip->i_last_pblk + (lblk - ip->i_last_lblk);
	g = ip->i_alloc_group;
	if (g >= ump->um_ngroups)
		g = 0;
	return ump->um_first_data_block + g * ump->um_bpg;
}

/* Pick a group for a new directory: many free inodes and blocks, few
 * directories, spread round from the last one chosen. */
static uint32_t
ext2_dir_group(struct ext2mount *ump, uint32_t parentg)
{
	uint64_t avgi = ump->um_free_inodes / ump->um_ngroups;
	uint64_t avgb = ump->um_free_blocks / ump->um_ngroups;
	uint32_t i, g, best = UINT32_MAX, bestdirs = UINT32_MAX;

	(void)parentg;
	for (i = 0; i < ump->um_ngroups; i++) {
		g = (ump->um_last_dir_group + 1 + i) % ump->um_ngroups;
		if (ext2_gd_free_inodes(ump, g) == 0)
			continue;
		if (ext2_gd_free_inodes(ump, g) < avgi ||
		    ext2_gd_free_blocks(ump, g) < avgb)
			continue;
		if (ext2_gd_used_dirs(ump, g) < bestdirs) {
			best = g;
			bestdirs = ext2_gd_used_dirs(ump, g);
		}
	}
	if (best == UINT32_MAX) {
		for (i = 0; i < ump->um_ngroups; i++) {
			g = (parentg + i) % ump->um_ngroups;
			if (ext2_gd_free_inodes(ump, g) > 0)
				return g;
		}
		return parentg;
	}
	ump->um_last_dir_group = best;
	return best;
}

/* A new inode number near dir (directories: in a well-chosen group). */
int
ext2_ialloc(struct ext2inode *dir, uint16_t mode, uint32_t *inop)
{
	struct ext2mount *ump = dir->i_ump;
	struct buf *bp;
	uint8_t *bm;
	uint32_t g0, g, i, bit, start, unused, used;
	bool isdir = S_ISDIR(mode);
	int error = 0;

	*inop = 0;
	if (ump->um_ronly)
		return EROFS;
	mutex_enter(&ump->um_lock);
	if (ump->um_free_inodes == 0) {
		error = ENOSPC;
		goto out;
	}
	g0 = (dir->i_ino - 1) / ump->um_ipg;
	if (isdir)
		g0 = ext2_dir_group(ump, g0);
	for (i = 0; i < ump->um_ngroups; i++) {
		g = (g0 + i) % ump->um_ngroups;
		if (ext2_gd_free_inodes(ump, g) == 0)
			continue;
		/* The part of the table in use so far (the rest may never
		 * have been written, and is taken on trust). */
		used = ump->um_ipg;
		if (ext2_uninit_ok(ump)) {
			if (EXT2_LE16(ext2_gd(ump, g)->bg_flags) &
			    EXT2_BG_INODE_UNINIT)
				used = 0;
			else if (ext2_gd_itable_unused(ump, g) <= ump->um_ipg)
				used = ump->um_ipg -
				    ext2_gd_itable_unused(ump, g);
		}
		if ((error = ext2_read_bitmap(ump, g, true, &bp)) != 0)
			goto out;
		bm = bp->b_data;
		start = g == 0 ? ump->um_first_ino - 1 : 0;
		for (bit = start; bit < ump->um_ipg; bit++) {
			if (ext2_isset(bm, bit))
				continue;
			if (bit < used &&
			    ext2_inode_busy(ump, g * ump->um_ipg + bit + 1)) {
				ext2_error(ump, "group %u: inode bitmap marks "
				    "inode %u free, it is in use", g,
				    g * ump->um_ipg + bit + 1);
				continue;
			}
			break;
		}
		if (bit >= ump->um_ipg) {
			brelse(bp);
			continue;
		}
		ext2_setbit(bm, bit);
		ext2_gd_set_free_inodes(ump, g,
		    ext2_gd_free_inodes(ump, g) - 1);
		if (isdir)
			ext2_gd_set_used_dirs(ump, g,
			    ext2_gd_used_dirs(ump, g) + 1);
		if (ext2_uninit_ok(ump)) {
			unused = ext2_gd_itable_unused(ump, g);
			if (unused > ump->um_ipg)
				unused = ump->um_ipg;
			if (bit >= ump->um_ipg - unused)
				ext2_gd_set_itable_unused(ump, g,
				    ump->um_ipg - bit - 1);
		}
		ump->um_free_inodes--;
		ext2_write_bitmap(ump, g, true, bp);
		*inop = g * ump->um_ipg + bit + 1;
		goto out;
	}
	error = ENOSPC;
 out:
	mutex_exit(&ump->um_lock);
	return error;
}

void
ext2_ifree(struct ext2mount *ump, uint32_t ino, bool isdir)
{
	struct buf *bp;
	uint32_t g, bit;

	if (ino < ump->um_first_ino ||
	    ino > EXT2_LE32(ump->um_sb.s_inodes_count)) {
		ext2_error(ump, "freeing bad inode %u", ino);
		return;
	}
	g = (ino - 1) / ump->um_ipg;
	bit = (ino - 1) % ump->um_ipg;
	mutex_enter(&ump->um_lock);
	if (ext2_read_bitmap(ump, g, true, &bp) != 0)
		goto out;
	if (!ext2_isset(bp->b_data, bit)) {
		ext2_error(ump, "freeing free inode %u", ino);
		brelse(bp);
		goto out;
	}
	ext2_clrbit(bp->b_data, bit);
	ext2_gd_set_free_inodes(ump, g, ext2_gd_free_inodes(ump, g) + 1);
	if (isdir && ext2_gd_used_dirs(ump, g) > 0)
		ext2_gd_set_used_dirs(ump, g, ext2_gd_used_dirs(ump, g) - 1);
	ump->um_free_inodes++;
	ext2_write_bitmap(ump, g, true, bp);
 out:
	mutex_exit(&ump->um_lock);
}

/*
 * The free counts of the file system: the sums over the group
 * descriptors (at mount, and again after a journal replay rewrote
 * them), as Linux takes them.
 */
int
ext2_count_free(struct ext2mount *ump)
{
	uint64_t fb = 0, fi = 0;
	uint32_t g;

	mutex_enter(&ump->um_lock);
	for (g = 0; g < ump->um_ngroups; g++) {
		if (ext2_gd_free_blocks(ump, g) > ump->um_bpg ||
		    ext2_gd_free_inodes(ump, g) > ump->um_ipg) {
			mutex_exit(&ump->um_lock);
			ext2_error(ump, "group %u: bad free counts", g);
			return EUCLEAN;
		}
		fb += ext2_gd_free_blocks(ump, g);
		fi += ext2_gd_free_inodes(ump, g);
	}
	ump->um_free_blocks = fb;
	ump->um_free_inodes = fi;
	mutex_exit(&ump->um_lock);
	return 0;
}
