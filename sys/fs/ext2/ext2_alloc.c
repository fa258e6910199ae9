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
#include <sys/kmem.h>
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

/*
 * How many blocks at the start of group g hold a copy of the superblock,
 * of the descriptors and the reserved GDT blocks (meta_bg: a descriptor
 * block in the first, second and last group of its meta group).
 */
static uint64_t
ext2_group_super_blocks(const struct ext2mount *ump, uint32_t g)
{
	uint64_t n = 0;
	uint32_t o, mb;

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
	return n;
}

/* Build the block bitmap of a BLOCK_UNINIT group: its metadata only. */
static void
ext2_init_block_bitmap(struct ext2mount *ump, uint32_t g, uint8_t *bm)
{
	uint64_t first = ext2_group_first(ump, g);
	uint32_t o, nb = ext2_group_nblocks(ump, g);

	memset(bm, 0, ump->um_bsize);
	ext2_mark_range(ump, bm, g, first, ext2_group_super_blocks(ump, g));
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
			if (ext2_blk_is_meta(ump,
			    ext2_group_first(ump, g) + bit, 1)) {
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
		    ext2_blk_is_meta(ump, b, 1)) {
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

/*
 * The system zone: the blocks that the file system's own structures
 * hold, which no file may point into (Linux's "system zone" rejects the
 * same).  A block at the start of its group (a superblock copy, the
 * descriptors, the reserved GDT blocks) is found by arithmetic; the
 * bitmaps, the inode tables (anywhere with flex_bg) and the journal's
 * blocks are runs in um_sys, built at mount, sorted and merged, and
 * searched by bisection.  Constant after mount: read without locks.
 */

/* Add the run [blk, blk + n) (at mount, before the sort). */
static int
ext2_sysmap_add(struct ext2mount *ump, uint64_t blk, uint64_t n)
{
	struct ext2_blkrun *r, *nr;
	size_t max;

	if (n == 0)
		return 0;
	r = ump->um_nsys > 0 ? &ump->um_sys[ump->um_nsys - 1] : NULL;
	if (r != NULL && blk >= r->br_start && blk <= r->br_start + r->br_len) {
		/* Common: the next run touches the last one. */
		r->br_len = MAX(r->br_len, blk + n - r->br_start);
		return 0;
	}
	if (ump->um_nsys == ump->um_sysmax) {
		max = ump->um_sysmax < 16 ? 16 : ump->um_sysmax * 2;
		if ((nr = kmem_alloc(max * sizeof(*nr), KM_SLEEP)) == NULL)
			return ENOMEM;
		if (ump->um_sys != NULL) {
			memcpy(nr, ump->um_sys, ump->um_nsys * sizeof(*nr));
			kmem_free(ump->um_sys, ump->um_sysmax * sizeof(*nr));
		}
		ump->um_sys = nr;
		ump->um_sysmax = max;
	}
	ump->um_sys[ump->um_nsys].br_start = blk;
	ump->um_sys[ump->um_nsys].br_len = n;
	ump->um_nsys++;
	return 0;
}

void
ext2_sysmap_free(struct ext2mount *ump)
{

	if (ump->um_sys != NULL)
		kmem_free(ump->um_sys, ump->um_sysmax * sizeof(*ump->um_sys));
	ump->um_sys = NULL;
	ump->um_sysmax = 0;
	ump->um_nsys = 0;
}

/* Heapsort of the runs by their first block (no allocation; the runs of
 * a large file system without flex_bg number three per group). */
static void
ext2_sysmap_sift(struct ext2_blkrun *a, size_t i, size_t n)
{
	struct ext2_blkrun t;
	size_t c;

	for (; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && a[c + 1].br_start > a[c].br_start)
			c++;
		if (a[i].br_start >= a[c].br_start)
			break;
		t = a[i];
		a[i] = a[c];
		a[c] = t;
	}
}

static void
ext2_sysmap_sort(struct ext2_blkrun *a, size_t n)
{
	struct ext2_blkrun t;
	size_t i;

	for (i = n / 2; i-- > 0;)
		ext2_sysmap_sift(a, i, n);
	for (i = n; i-- > 1;) {
		t = a[0];
		a[0] = a[i];
		a[i] = t;
		ext2_sysmap_sift(a, 0, i);
	}
}

/*
 * The internal journal's blocks go into the system zone, so that no
 * file's block number (an attribute block) may point into the log.  The
 * walk stops at the inode's size, at its block count and at the first
 * hole (a journal has none: jbd2 refuses one).  A journal inode that
 * cannot be read or mapped is logged and left out: only the check is
 * lost, and the journal is never written here.
 */
static int
ext2_sysmap_journal(struct ext2mount *ump)
{
	uint32_t inum = EXT2_LE32(ump->um_sb.s_journal_inum);
	struct ext2inode *ip;
	uint64_t lblk, nblk, pblk, len;
	int error;

	if (!EXT2_HAS_COMPAT(ump, EXT3_FEATURE_COMPAT_HAS_JOURNAL) ||
	    EXT2_HAS_INCOMPAT(ump, EXT3_FEATURE_INCOMPAT_JOURNAL_DEV) ||
	    inum == 0)
		return 0;
	if ((error = ext2_iget(ump, inum, &ip)) != 0) {
		if (error == ENOMEM)
			return error;
		ext2_error(ump, "journal: inode %u unreadable: its blocks are "
		    "not protected", inum);
		return 0;
	}
	nblk = MIN(ext2_i_size(ip) >> ump->um_bshift,
	    ext2_i_blocks512(ip) / ump->um_bsectors);
	for (lblk = 0, error = 0; lblk < nblk; lblk += len) {
		if ((error = ext2_bmap_run(ip, lblk, &pblk, &len)) != 0 ||
		    pblk == 0)
			break;
		len = MIN(len, nblk - lblk);
		if (!ext2_blk_valid(ump, pblk, len)) {
			error = EUCLEAN;
			break;
		}
		if ((error = ext2_sysmap_add(ump, pblk, len)) != 0)
			break;
	}
	ext2_ifree_incore(ip);
	if (error == ENOMEM)
		return error;
	if (error != 0)
		ext2_error(ump, "journal: inode %u: block %llu cannot be "
		    "mapped: the rest is not protected", inum,
		    (unsigned long long)lblk);
	return 0;
}

/*
 * Build the system zone (at mount, after a journal replay, before any
 * file is read): every group's bitmaps and inode table, then the
 * journal's blocks (ext2_sysmap_journal, which only logs a journal it
 * cannot map), sorted and merged.
 */
int
ext2_sysmap_build(struct ext2mount *ump)
{
	struct ext2_blkrun *a;
	uint32_t g;
	size_t i, n;
	int error = 0;

	/* At mount, alone: the descriptors are read without um_lock. */
	for (g = 0; g < ump->um_ngroups && error == 0; g++) {
		if ((error = ext2_sysmap_add(ump, ext2_gd_block_bitmap(ump, g),
		    1)) != 0 ||
		    (error = ext2_sysmap_add(ump, ext2_gd_inode_bitmap(ump, g),
		    1)) != 0)
			break;
		error = ext2_sysmap_add(ump, ext2_gd_inode_table(ump, g),
		    ump->um_itb_per_group);
	}
	if (error == 0)
		error = ext2_sysmap_journal(ump);
	if (error != 0)
		return error;
	a = ump->um_sys;
	ext2_sysmap_sort(a, ump->um_nsys);
	for (i = 0, n = 0; i < ump->um_nsys; i++) {
		if (n > 0 && a[i].br_start <= a[n - 1].br_start +
		    a[n - 1].br_len) {
			a[n - 1].br_len = MAX(a[n - 1].br_len, a[i].br_start +
			    a[i].br_len - a[n - 1].br_start);
			continue;
		}
		a[n++] = a[i];
	}
	ump->um_nsys = n;
	return 0;
}

/*
 * Does [blk, blk + count) (inside the file system) meet the system zone:
 * a superblock copy, the descriptors, the reserved GDT blocks, a bitmap,
 * an inode table or the journal?
 */
bool
ext2_blk_is_meta(const struct ext2mount *ump, uint64_t blk, uint64_t count)
{
	const struct ext2_blkrun *r;
	uint64_t b;
	uint32_t g;
	size_t lo, hi, mid;

	KASSERT(ext2_blk_valid(ump, blk, count));
	/* The groups' first blocks: only groups with a copy have any. */
	for (b = blk; b < blk + count; b = ext2_group_first(ump, g + 1)) {
		g = (uint32_t)((b - ump->um_first_data_block) / ump->um_bpg);
		if (b < ext2_group_first(ump, g) +
		    ext2_group_super_blocks(ump, g))
			return true;
		if (g + 1 >= ump->um_ngroups)
			break;
	}
	/* The last run that starts before the range ends. */
	lo = 0;
	hi = ump->um_nsys;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ump->um_sys[mid].br_start < blk + count)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	r = &ump->um_sys[lo - 1];
	return r->br_start + r->br_len > blk;
}
