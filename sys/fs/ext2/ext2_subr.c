/*
 * ext2_subr.c: what every part of the ext2 driver uses: file-system
 * blocks through the buffer cache, the once-per-cause error log, the
 * group descriptor fields (32- and 64-byte layouts), which groups hold
 * a superblock backup, and writing the superblock and the group
 * descriptors back.
 *
 * Locking: the buffer functions take no lock (the buffer's BUSY state
 * serialises its users).  The descriptor accessors read or write the
 * in-memory descriptor array: writers hold um_lock (ext2fs.h); readers
 * outside um_lock see a value that may be stale, which only allocation
 * hints tolerate.  ext2_write_super takes um_lock to copy the state and
 * drops it for the I/O.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/time.h>

#include "ext2fs.h"

bool
ext2_blk_valid(const struct ext2mount *ump, uint64_t blk, uint64_t count)
{

	if (count == 0 || blk < ump->um_first_data_block)
		return false;
	if (blk >= ump->um_blocks || count > ump->um_blocks - blk)
		return false;
	return true;
}

int
ext2_bread(struct ext2mount *ump, uint64_t blk, struct buf **bpp)
{
	int error;

	*bpp = NULL;
	if (blk >= ump->um_blocks) {
		ext2_error(ump, "read of block %llu past the end (%llu)",
		    (unsigned long long)blk,
		    (unsigned long long)ump->um_blocks);
		return EUCLEAN;
	}
	error = bread(ump->um_dev, (daddr_t)(blk * ump->um_bsectors),
	    ump->um_bsize, bpp);
	if (error) {
		*bpp = NULL;
		ext2_error(ump, "I/O error %d reading block %llu", error,
		    (unsigned long long)blk);
		return EIO;
	}
	return 0;
}

int
ext2_bget(struct ext2mount *ump, uint64_t blk, struct buf **bpp)
{
	int error;

	*bpp = NULL;
	if (blk >= ump->um_blocks)
		return EUCLEAN;
	error = getblk(ump->um_dev, (daddr_t)(blk * ump->um_bsectors),
	    ump->um_bsize, bpp);
	if (error) {
		*bpp = NULL;
		return error == ENOMEM ? ENOMEM : EIO;
	}
	memset((*bpp)->b_data, 0, ump->um_bsize);
	return 0;
}

void
ext2_bdwrite(struct ext2mount *ump __unused, struct buf *bp)
{

	bdwrite(bp);
}

void
ext2_brelse(struct buf *bp)
{

	brelse(bp);
}

/*
 * Log a problem with the file system once per mount and cause (the
 * format string is the cause); a read-write mount records it in the
 * superblock's state (EXT2_ERROR_FS) at the next write-back, as Linux
 * does, so that e2fsck checks the file system.
 */
void
ext2_error(struct ext2mount *ump, const char *fmt, ...)
{
	char buf[192];
	va_list ap;
	uintptr_t h = (uintptr_t)fmt;
	int *once;

	h ^= h >> 7;
	h ^= h >> 13;
	once = &ump->um_errlogged[h % EXT2_ERRLOG_MAX];
	ump->um_fs_error = 1;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_once(once, "ext2: %s: %s", ump->um_mp != NULL ?
	    ump->um_mp->mnt_source : "?", buf);
}

/* Group descriptor fields: the low half, and the high half with 64bit. */
#define GD_HI(ump) ((ump)->um_desc_size >= EXT2_MIN_DESC_SIZE_64BIT)

uint64_t
ext2_gd_block_bitmap(const struct ext2mount *ump, uint32_t g)
{
	const struct ext2_group_desc *gd = ext2_gd(ump, g);

	return EXT2_LE32(gd->bg_block_bitmap_lo) | (GD_HI(ump) ?
	    (uint64_t)EXT2_LE32(gd->bg_block_bitmap_hi) << 32 : 0);
}

uint64_t
ext2_gd_inode_bitmap(const struct ext2mount *ump, uint32_t g)
{
	const struct ext2_group_desc *gd = ext2_gd(ump, g);

	return EXT2_LE32(gd->bg_inode_bitmap_lo) | (GD_HI(ump) ?
	    (uint64_t)EXT2_LE32(gd->bg_inode_bitmap_hi) << 32 : 0);
}

uint64_t
ext2_gd_inode_table(const struct ext2mount *ump, uint32_t g)
{
	const struct ext2_group_desc *gd = ext2_gd(ump, g);

	return EXT2_LE32(gd->bg_inode_table_lo) | (GD_HI(ump) ?
	    (uint64_t)EXT2_LE32(gd->bg_inode_table_hi) << 32 : 0);
}

#define GD_GET16(ump, g, f) \
	(EXT2_LE16(ext2_gd(ump, g)->f##_lo) | (GD_HI(ump) ? \
	    (uint32_t)EXT2_LE16(ext2_gd(ump, g)->f##_hi) << 16 : 0))
#define GD_SET16(ump, g, f, v) do { \
	ext2_gd(ump, g)->f##_lo = (uint16_t)(v); \
	if (GD_HI(ump)) \
		ext2_gd(ump, g)->f##_hi = (uint16_t)((v) >> 16); \
} while (0)

uint32_t
ext2_gd_free_blocks(const struct ext2mount *ump, uint32_t g)
{

	return GD_GET16(ump, g, bg_free_blocks_count);
}

uint32_t
ext2_gd_free_inodes(const struct ext2mount *ump, uint32_t g)
{

	return GD_GET16(ump, g, bg_free_inodes_count);
}

uint32_t
ext2_gd_used_dirs(const struct ext2mount *ump, uint32_t g)
{

	return GD_GET16(ump, g, bg_used_dirs_count);
}

uint32_t
ext2_gd_itable_unused(const struct ext2mount *ump, uint32_t g)
{

	return GD_GET16(ump, g, bg_itable_unused);
}

void
ext2_gd_set_free_blocks(struct ext2mount *ump, uint32_t g, uint32_t v)
{

	GD_SET16(ump, g, bg_free_blocks_count, v);
}

void
ext2_gd_set_free_inodes(struct ext2mount *ump, uint32_t g, uint32_t v)
{

	GD_SET16(ump, g, bg_free_inodes_count, v);
}

void
ext2_gd_set_used_dirs(struct ext2mount *ump, uint32_t g, uint32_t v)
{

	GD_SET16(ump, g, bg_used_dirs_count, v);
}

void
ext2_gd_set_itable_unused(struct ext2mount *ump, uint32_t g, uint32_t v)
{

	GD_SET16(ump, g, bg_itable_unused, v);
}

/* Mark descriptor g changed: its checksum is set at write-back. */
void
ext2_gd_dirty(struct ext2mount *ump, uint32_t g)
{

	KASSERT(mutex_owned(&ump->um_lock));
	ump->um_gddirty[g / ump->um_descs_per_block] = true;
	ump->um_sbdirty = true;
}

static bool
ext2_is_power_of(uint32_t n, uint32_t base)
{

	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

/* Does group g hold a copy of the superblock (and, without meta_bg,
 * of the descriptors and the reserved GDT blocks)? */
bool
ext2_group_has_super(const struct ext2mount *ump, uint32_t g)
{

	if (g == 0)
		return true;
	if (EXT2_HAS_COMPAT(ump, EXT4_FEATURE_COMPAT_SPARSE_SUPER2))
		return g == EXT2_LE32(ump->um_sb.s_backup_bgs[0]) ||
		    g == EXT2_LE32(ump->um_sb.s_backup_bgs[1]);
	if (!EXT2_HAS_RO_COMPAT(ump, EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER))
		return true;
	return g == 1 || ext2_is_power_of(g, 3) || ext2_is_power_of(g, 5) ||
	    ext2_is_power_of(g, 7);
}

/*
 * Write the superblock (with the current free counts) and the changed
 * descriptor blocks.  The descriptor block locations were validated at
 * mount (ext2_vfsops.c keeps them in the order of the array).
 */
int
ext2_write_super(struct ext2mount *ump, bool wait)
{
	struct ext2_super_block *sb;
	struct buf *bp;
	uint64_t sbblk, gdblk;
	uint32_t i, first, n, off;
	bool dirty;
	int error = 0, e;

	if (ump->um_ronly)
		return 0;
	sb = kmem_alloc(sizeof(*sb), KM_SLEEP);
	if (sb == NULL)
		return ENOMEM;
	for (i = 0; i < ump->um_gdb_count; i++) {
		mutex_enter(&ump->um_lock);
		dirty = ump->um_gddirty[i];
		ump->um_gddirty[i] = false;
		mutex_exit(&ump->um_lock);
		if (!dirty)
			continue;
		gdblk = ext2_gdb_location(ump, i);
		if ((e = ext2_bread(ump, gdblk, &bp)) != 0) {
			if (error == 0)
				error = e;
			continue;
		}
		first = i * ump->um_descs_per_block;
		n = MIN(ump->um_descs_per_block, ump->um_ngroups - first);
		mutex_enter(&ump->um_lock);
		for (off = 0; off < n; off++) {
			if (ext2_has_metadata_csum(ump) ||
			    ext2_has_gdt_csum(ump))
				ext2_csum_gd_set(ump, first + off,
				    ext2_gd(ump, first + off));
		}
		memcpy(bp->b_data, ext2_gd(ump, first),
		    (size_t)n * ump->um_desc_size);
		mutex_exit(&ump->um_lock);
		if (wait) {
			if ((e = bwrite(bp)) != 0 && error == 0)
				error = e;
		} else
			bdwrite(bp);
	}

	mutex_enter(&ump->um_lock);
	ump->um_sbdirty = false;
	ump->um_sb.s_free_blocks_count_lo = (uint32_t)ump->um_free_blocks;
	if (ext2_has_64bit(ump))
		ump->um_sb.s_free_blocks_count_hi =
		    (uint32_t)(ump->um_free_blocks >> 32);
	ump->um_sb.s_free_inodes_count = (uint32_t)ump->um_free_inodes;
	if (ump->um_fs_error)
		ump->um_sb.s_state = EXT2_LE16(ump->um_sb.s_state) |
		    EXT2_ERROR_FS;
	memcpy(sb, &ump->um_sb, sizeof(*sb));
	mutex_exit(&ump->um_lock);
	if (ext2_has_metadata_csum(ump))
		ext2_csum_sb_set(ump, sb);
	sbblk = ump->um_bsize == EXT2_SB_OFFSET ? 1 : 0;
	off = ump->um_bsize == EXT2_SB_OFFSET ? 0 : EXT2_SB_OFFSET;
	if ((e = bread(ump->um_dev, (daddr_t)(sbblk * ump->um_bsectors),
	    ump->um_bsize, &bp)) != 0) {
		if (error == 0)
			error = EIO;
		goto out;
	}
	memcpy((char *)bp->b_data + off, sb, sizeof(*sb));
	if (wait) {
		if ((e = bwrite(bp)) != 0 && error == 0)
			error = e;
	} else
		bdwrite(bp);
 out:
	kmem_free(sb, sizeof(*sb));
	return error;
}

void
ext2_time_now(struct timespec *ts)
{

	nanotime(ts);
}
