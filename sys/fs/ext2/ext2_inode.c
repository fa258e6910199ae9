/*
 * ext2_inode.c: inodes of ext2/3/4: reading and validating them from
 * the inode table, writing them back, their fields (size, blocks, ids,
 * times with the large-inode extra fields), the block map of files with
 * indirect blocks (extent-mapped files go to ext4_ext_bmap), and
 * truncation.
 *
 * Locking: an ext2inode is protected by its vnode's lock (exclusive to
 * change it); ext2_iget of an inode not yet attached to a vnode needs no
 * lock.  Inode table buffers are owned only between bread and
 * bdwrite/brelse here, never while another lock is taken.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vnode.h>

#include "ext2fs.h"

enum vtype
ext2_mode_to_vtype(uint16_t mode)
{

	switch (mode & EXT2_S_IFMT) {
	case EXT2_S_IFREG: return VREG;
	case EXT2_S_IFDIR: return VDIR;
	case EXT2_S_IFLNK: return VLNK;
	case EXT2_S_IFCHR: return VCHR;
	case EXT2_S_IFBLK: return VBLK;
	case EXT2_S_IFIFO: return VFIFO;
	case EXT2_S_IFSOCK: return VSOCK;
	default: return VBAD;
	}
}

/* The inode table block and the byte offset in it of inode ino. */
static int
ext2_inode_loc(struct ext2mount *ump, uint32_t ino, uint64_t *blkp,
    uint32_t *offp)
{
	uint32_t g, idx;
	uint16_t flags;

	if (ino == 0 || ino > EXT2_LE32(ump->um_sb.s_inodes_count))
		return EUCLEAN;
	g = (ino - 1) / ump->um_ipg;
	idx = (ino - 1) % ump->um_ipg;
	flags = EXT2_LE16(ext2_gd(ump, g)->bg_flags);
	if ((ext2_has_gdt_csum(ump) || ext2_has_metadata_csum(ump)) &&
	    (flags & EXT2_BG_INODE_UNINIT))
		return ENOENT;
	*blkp = ext2_gd_inode_table(ump, g) + idx / ump->um_ipb;
	*offp = (idx % ump->um_ipb) * ump->um_inode_size;
	return 0;
}

/*
 * Does the inode table say ino is in use (links, or a mode without a
 * deletion time: an unlinked file still open)?  For the allocator,
 * which must not trust a bitmap that says otherwise.  Unreadable: yes.
 */
bool
ext2_inode_busy(struct ext2mount *ump, uint32_t ino)
{
	const struct ext2_dinode *di;
	struct buf *bp;
	uint64_t blk;
	uint32_t off;
	bool busy;

	if (ext2_inode_loc(ump, ino, &blk, &off) != 0)
		return false;
	if (ext2_bread(ump, blk, &bp) != 0)
		return true;
	di = (const void *)((const char *)bp->b_data + off);
	busy = EXT2_LE16(di->i_links_count) != 0 ||
	    (EXT2_LE16(di->i_mode) != 0 && EXT2_LE32(di->i_dtime) == 0);
	brelse(bp);
	return busy;
}

/*
 * Does inode ino (a valid number) hold no file now?  Yes in the part of
 * its group's inode table that is not in use yet (uninit_bg and
 * metadata_csum record it in the group descriptor: the blocks may never
 * have been written), else yes without links.  For ext2_loadvnode,
 * decided before ext2_iget checks the inode: a file handle may name any
 * number, and a free inode's checksum and fields mean nothing, so they
 * must not make an error of the file system.  Unreadable: no (ext2_iget
 * will say why).
 */
bool
ext2_inode_is_free(struct ext2mount *ump, uint32_t ino)
{
	const struct ext2_dinode *di;
	uint32_t g = (ino - 1) / ump->um_ipg, idx = (ino - 1) % ump->um_ipg;
	uint32_t unused;
	struct buf *bp;
	uint64_t blk;
	uint32_t off;
	bool isfree;

	if (ext2_has_gdt_csum(ump) || ext2_has_metadata_csum(ump)) {
		mutex_enter(&ump->um_lock);
		unused = ext2_gd_itable_unused(ump, g);
		if (EXT2_LE16(ext2_gd(ump, g)->bg_flags) & EXT2_BG_INODE_UNINIT)
			unused = ump->um_ipg;
		mutex_exit(&ump->um_lock);
		if (unused <= ump->um_ipg && idx >= ump->um_ipg - unused)
			return true;
	}
	if (ext2_inode_loc(ump, ino, &blk, &off) != 0 ||
	    ext2_bread(ump, blk, &bp) != 0)
		return false;
	di = (const void *)((const char *)bp->b_data + off);
	isfree = EXT2_LE16(di->i_links_count) == 0;
	brelse(bp);
	return isfree;
}

bool
ext2_i_has_extra(const struct ext2inode *ip, size_t fieldend)
{
	const struct ext2mount *ump = ip->i_ump;

	if (ump->um_inode_size <= EXT2_GOOD_OLD_INODE_SIZE)
		return false;
	return EXT2_INODE_EXTRA_START +
	    (size_t)EXT2_LE16(ip->i_raw->i_extra_isize) >= fieldend;
}

/* A new in-core inode for ino with its raw copy zeroed. */
static struct ext2inode *
ext2_inode_alloc(struct ext2mount *ump, uint32_t ino)
{
	struct ext2inode *ip;

	if ((ip = kmem_zalloc(sizeof(*ip), KM_SLEEP)) == NULL)
		return NULL;
	ip->i_rawsize = MAX(ump->um_inode_size, sizeof(struct ext2_dinode));
	if ((ip->i_raw = kmem_zalloc(ip->i_rawsize, KM_SLEEP)) == NULL) {
		kmem_free(ip, sizeof(*ip));
		return NULL;
	}
	ip->i_ump = ump;
	ip->i_ino = ino;
	ip->i_alloc_group = (ino - 1) / ump->um_ipg;
	return ip;
}

void
ext2_ifree_incore(struct ext2inode *ip)
{

	kmem_free(ip->i_raw, ip->i_rawsize);
	kmem_free(ip, sizeof(*ip));
}

/* Check an inode read from disk. */
static int
ext2_inode_check(struct ext2inode *ip)
{
	struct ext2mount *ump = ip->i_ump;
	struct ext2_dinode *di = ip->i_raw;
	uint32_t flags = EXT2_LE32(di->i_flags);
	uint16_t mode = EXT2_LE16(di->i_mode);
	uint64_t acl;

	if (ump->um_inode_size > EXT2_GOOD_OLD_INODE_SIZE) {
		uint32_t ex = EXT2_LE16(di->i_extra_isize);

		if (ex % 4 != 0 ||
		    EXT2_GOOD_OLD_INODE_SIZE + ex > ump->um_inode_size) {
			ext2_error(ump, "inode %u: bad extra size %u",
			    ip->i_ino, ex);
			return EUCLEAN;
		}
	}
	if (EXT2_LE16(di->i_links_count) == 0 || mode == 0)
		return 0;	/* free: the caller decides */
	if (ext2_mode_to_vtype(mode) == VBAD) {
		ext2_error(ump, "inode %u: bad mode 0%o", ip->i_ino, mode);
		return EUCLEAN;
	}
	if (flags & EXT4_INLINE_DATA_FL) {
		ext2_error(ump, "inode %u: inline data not supported",
		    ip->i_ino);
		return EUCLEAN;
	}
	if ((flags & EXT4_EXTENTS_FL) && !ext2_has_extents(ump)) {
		ext2_error(ump, "inode %u: extents without the feature",
		    ip->i_ino);
		return EUCLEAN;
	}
	/* Linux refuses the same ("bad extended attribute block"): a set
	 * would rewrite the block, or its reference count, in place. */
	acl = ext2_i_file_acl(ip);
	if (acl != 0 && !ext2_blk_valid(ump, acl, 1)) {
		ext2_error(ump, "inode %u: bad extended attribute block %llu",
		    ip->i_ino, (unsigned long long)acl);
		return EUCLEAN;
	}
	if (acl != 0 && ext2_blk_is_meta(ump, acl, 1)) {
		ext2_error(ump, "inode %u: bad extended attribute block %llu: "
		    "file-system metadata or the journal", ip->i_ino,
		    (unsigned long long)acl);
		return EUCLEAN;
	}
	if ((flags & EXT4_EXTENTS_FL) &&
	    (S_ISREG(mode) || S_ISDIR(mode) || S_ISLNK(mode)) &&
	    ext4_ext_validate_root(ip) != 0) {
		ext2_error(ump, "inode %u: bad extent tree root", ip->i_ino);
		return EUCLEAN;
	}
	if (S_ISDIR(mode) && ext2_i_size(ip) >= (1ULL << 32) &&
	    !EXT2_HAS_INCOMPAT(ump, EXT4_FEATURE_INCOMPAT_LARGEDIR)) {
		ext2_error(ump, "inode %u: directory too large", ip->i_ino);
		return EUCLEAN;
	}
	return 0;
}

/* Read inode ino into a new in-core inode (not attached to a vnode). */
int
ext2_iget(struct ext2mount *ump, uint32_t ino, struct ext2inode **ipp)
{
	struct ext2inode *ip;
	struct buf *bp;
	uint64_t blk;
	uint32_t off;
	int error;

	*ipp = NULL;
	if ((error = ext2_inode_loc(ump, ino, &blk, &off)) != 0) {
		if (error == EUCLEAN)
			ext2_error(ump, "bad inode number %u", ino);
		else
			ext2_error(ump, "inode %u is in an unused group", ino);
		return EUCLEAN;
	}
	if ((ip = ext2_inode_alloc(ump, ino)) == NULL)
		return ENOMEM;
	if ((error = ext2_bread(ump, blk, &bp)) != 0)
		goto bad;
	memcpy(ip->i_raw, (char *)bp->b_data + off, ump->um_inode_size);
	if (ext2_has_metadata_csum(ump) &&
	    ext2_csum_inode_verify(ump, ino, (char *)bp->b_data + off)) {
		brelse(bp);
		ext2_error(ump, "inode %u: checksum does not match", ino);
		error = EUCLEAN;
		goto bad;
	}
	brelse(bp);
	if ((error = ext2_inode_check(ip)) != 0)
		goto bad;
	*ipp = ip;
	return 0;
 bad:
	ext2_ifree_incore(ip);
	return error;
}

/* Write the inode into its inode table block (a delayed write). */
int
ext2_inode_write(struct ext2inode *ip)
{
	struct ext2mount *ump = ip->i_ump;
	struct buf *bp;
	uint64_t blk;
	uint32_t off;
	char *p;
	int error;

	if (ump->um_ronly || (ip->i_state & EXT2_IS_GONE))
		return 0;
	if ((error = ext2_inode_loc(ump, ip->i_ino, &blk, &off)) != 0)
		return EUCLEAN;
	if ((error = ext2_bread(ump, blk, &bp)) != 0)
		return error;
	p = (char *)bp->b_data + off;
	memcpy(p, ip->i_raw, ump->um_inode_size);
	if (ext2_has_metadata_csum(ump))
		ext2_csum_inode_set(ump, ip->i_ino, p);
	ext2_bdwrite(ump, bp);
	ip->i_state &= ~EXT2_IS_DIRTY;
	return 0;
}

void
ext2_inode_dirty(struct ext2inode *ip)
{
	int error;

	if ((error = ext2_inode_write(ip)) != 0) {
		ip->i_state |= EXT2_IS_DIRTY;
		ext2_error(ip->i_ump, "inode %u: write-back failed (%d)",
		    ip->i_ino, error);
	}
}

uint64_t
ext2_i_size(const struct ext2inode *ip)
{

	return EXT2_LE32(ip->i_raw->i_size_lo) |
	    (uint64_t)EXT2_LE32(ip->i_raw->i_size_high) << 32;
}

void
ext2_i_set_size(struct ext2inode *ip, uint64_t size)
{

	ip->i_raw->i_size_lo = (uint32_t)size;
	ip->i_raw->i_size_high = (uint32_t)(size >> 32);
	if (size > INT32_MAX && S_ISREG(EXT2_LE16(ip->i_raw->i_mode)) &&
	    !EXT2_HAS_RO_COMPAT(ip->i_ump,
	    EXT2_FEATURE_RO_COMPAT_LARGE_FILE)) {
		struct ext2mount *ump = ip->i_ump;

		mutex_enter(&ump->um_lock);
		if (EXT2_LE32(ump->um_sb.s_rev_level) == EXT2_GOOD_OLD_REV) {
			/* Features need revision 1 (as Linux upgrades). */
			ump->um_sb.s_rev_level = EXT2_DYNAMIC_REV;
			ump->um_sb.s_first_ino = EXT2_GOOD_OLD_FIRST_INO;
			ump->um_sb.s_inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		}
		ump->um_rocompat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
		ump->um_sb.s_feature_ro_compat = ump->um_rocompat;
		ump->um_sbdirty = true;
		mutex_exit(&ump->um_lock);
	}
}

uint64_t
ext2_i_blocks512(const struct ext2inode *ip)
{
	const struct ext2_dinode *di = ip->i_raw;
	uint64_t b = EXT2_LE32(di->i_blocks_lo);

	if (EXT2_HAS_RO_COMPAT(ip->i_ump, EXT4_FEATURE_RO_COMPAT_HUGE_FILE)) {
		b |= (uint64_t)EXT2_LE16(di->i_blocks_high) << 32;
		if (EXT2_LE32(di->i_flags) & EXT4_HUGE_FILE_FL)
			b *= ip->i_ump->um_bsectors;
	}
	return b;
}

/* i_blocks += n file-system blocks (n may be negative). */
void
ext2_add_blocks(struct ext2inode *ip, int64_t n)
{
	struct ext2_dinode *di = ip->i_raw;
	uint64_t b = ext2_i_blocks512(ip);
	int64_t d = n * (int64_t)ip->i_ump->um_bsectors;

	if (d < 0 && (uint64_t)-d > b)
		b = 0;
	else
		b += (uint64_t)d;
	di->i_flags = EXT2_LE32(di->i_flags) & ~EXT4_HUGE_FILE_FL;
	if (b <= UINT32_MAX) {
		di->i_blocks_lo = (uint32_t)b;
		di->i_blocks_high = 0;
	} else if (b < (1ULL << 48)) {
		di->i_blocks_lo = (uint32_t)b;
		di->i_blocks_high = (uint16_t)(b >> 32);
	} else {
		b /= ip->i_ump->um_bsectors;
		di->i_flags |= EXT4_HUGE_FILE_FL;
		di->i_blocks_lo = (uint32_t)b;
		di->i_blocks_high = (uint16_t)(b >> 32);
	}
}

uint32_t
ext2_i_uid(const struct ext2inode *ip)
{

	return EXT2_LE16(ip->i_raw->i_uid) |
	    (uint32_t)EXT2_LE16(ip->i_raw->i_uid_high) << 16;
}

uint32_t
ext2_i_gid(const struct ext2inode *ip)
{

	return EXT2_LE16(ip->i_raw->i_gid) |
	    (uint32_t)EXT2_LE16(ip->i_raw->i_gid_high) << 16;
}

uint64_t
ext2_i_file_acl(const struct ext2inode *ip)
{
	uint64_t b = EXT2_LE32(ip->i_raw->i_file_acl_lo);

	if (ext2_has_64bit(ip->i_ump))
		b |= (uint64_t)EXT2_LE16(ip->i_raw->i_file_acl_high) << 32;
	return b;
}

static void
ext2_time_decode(uint32_t lo, uint32_t extra, bool hasextra,
    struct timespec *ts)
{
	int64_t sec = (int32_t)lo;

	ts->tv_nsec = 0;
	if (hasextra) {
		sec += (int64_t)(extra & EXT4_EPOCH_MASK) << 32;
		ts->tv_nsec = (long)(extra >> EXT4_EPOCH_BITS);
		if (ts->tv_nsec >= 1000000000L)
			ts->tv_nsec = 0;
	}
	ts->tv_sec = sec;
}

static void
ext2_time_encode(const struct timespec *ts, uint32_t *lo, uint32_t *extra)
{
	int64_t sec = ts->tv_sec;
	uint32_t epoch = (uint32_t)(((sec - (int32_t)(uint32_t)sec) >> 32) &
	    EXT4_EPOCH_MASK);

	*lo = (uint32_t)sec;
	*extra = epoch | ((uint32_t)ts->tv_nsec << EXT4_EPOCH_BITS);
}

void
ext2_i_get_time(const struct ext2inode *ip, int which, struct timespec *ts)
{
	const struct ext2_dinode *di = ip->i_raw;

	switch (which) {
	case EXT2_TIME_ATIME:
		ext2_time_decode(di->i_atime, di->i_atime_extra,
		    ext2_i_has_extra(ip, EXT2_INODE_FIELD_END(i_atime_extra)),
		    ts);
		break;
	case EXT2_TIME_MTIME:
		ext2_time_decode(di->i_mtime, di->i_mtime_extra,
		    ext2_i_has_extra(ip, EXT2_INODE_FIELD_END(i_mtime_extra)),
		    ts);
		break;
	case EXT2_TIME_CTIME:
		ext2_time_decode(di->i_ctime, di->i_ctime_extra,
		    ext2_i_has_extra(ip, EXT2_INODE_FIELD_END(i_ctime_extra)),
		    ts);
		break;
	default:
		if (!ext2_i_has_extra(ip,
		    EXT2_INODE_FIELD_END(i_crtime_extra))) {
			ts->tv_sec = VNOVAL;
			ts->tv_nsec = 0;
			break;
		}
		ext2_time_decode(di->i_crtime, di->i_crtime_extra, true, ts);
		break;
	}
}

void
ext2_i_set_time(struct ext2inode *ip, int which, const struct timespec *ts)
{
	struct ext2_dinode *di = ip->i_raw;
	uint32_t lo, extra;

	ext2_time_encode(ts, &lo, &extra);
	switch (which) {
	case EXT2_TIME_ATIME:
		di->i_atime = lo;
		if (ext2_i_has_extra(ip, EXT2_INODE_FIELD_END(i_atime_extra)))
			di->i_atime_extra = extra;
		break;
	case EXT2_TIME_MTIME:
		di->i_mtime = lo;
		if (ext2_i_has_extra(ip, EXT2_INODE_FIELD_END(i_mtime_extra)))
			di->i_mtime_extra = extra;
		break;
	case EXT2_TIME_CTIME:
		di->i_ctime = lo;
		if (ext2_i_has_extra(ip, EXT2_INODE_FIELD_END(i_ctime_extra)))
			di->i_ctime_extra = extra;
		break;
	default:
		if (ext2_i_has_extra(ip,
		    EXT2_INODE_FIELD_END(i_crtime_extra))) {
			di->i_crtime = lo;
			di->i_crtime_extra = extra;
		}
		break;
	}
}

/* Set the chosen times to now (the caller writes the inode back). */
void
ext2_itimes(struct ext2inode *ip, bool atime, bool mtime, bool ctime)
{
	struct timespec now;

	ext2_time_now(&now);
	if (atime)
		ext2_i_set_time(ip, EXT2_TIME_ATIME, &now);
	if (mtime)
		ext2_i_set_time(ip, EXT2_TIME_MTIME, &now);
	if (ctime)
		ext2_i_set_time(ip, EXT2_TIME_CTIME, &now);
}

/*
 * The path to logical block lblk through the indirect blocks: the index
 * in i_block, then one index per level.  Returns the depth (1 direct, 2
 * single, 3 double, 4 triple indirect) or 0 if lblk is too far.
 */
static int
ext2_ind_path(const struct ext2mount *ump, uint64_t lblk, uint32_t off[4])
{
	uint64_t apb = ump->um_addr_per_block;

	if (lblk < EXT2_NDIR_BLOCKS) {
		off[0] = (uint32_t)lblk;
		return 1;
	}
	lblk -= EXT2_NDIR_BLOCKS;
	if (lblk < apb) {
		off[0] = EXT2_IND_BLOCK;
		off[1] = (uint32_t)lblk;
		return 2;
	}
	lblk -= apb;
	if (lblk < apb * apb) {
		off[0] = EXT2_DIND_BLOCK;
		off[1] = (uint32_t)(lblk / apb);
		off[2] = (uint32_t)(lblk % apb);
		return 3;
	}
	lblk -= apb * apb;
	if (lblk < apb * apb * apb) {
		off[0] = EXT2_TIND_BLOCK;
		off[1] = (uint32_t)(lblk / (apb * apb));
		off[2] = (uint32_t)((lblk / apb) % apb);
		off[3] = (uint32_t)(lblk % apb);
		return 4;
	}
	return 0;
}

/* A new block for an indirect block or data, zeroed on disk if meta. */
static int
ext2_ind_newblock(struct ext2inode *ip, uint64_t goal, bool meta,
    uint64_t *blkp)
{
	struct buf *bp;
	int error;

	if ((error = ext2_blkalloc(ip, goal, blkp)) != 0)
		return error;
	ext2_add_blocks(ip, 1);
	if (meta) {
		if ((error = ext2_bget(ip->i_ump, *blkp, &bp)) != 0) {
			ext2_blkfree(ip->i_ump, *blkp, 1);
			ext2_add_blocks(ip, -1);
			return error;
		}
		ext2_bdwrite(ip->i_ump, bp);
	}
	return 0;
}

/*
 * The blocks mapped in a row from lblk, without allocating: a whole
 * extent's rest with extents, one block at a time through indirect
 * blocks.  *pblk 0: a hole (or unwritten) of *lenp blocks.
 */
int
ext2_bmap_run(struct ext2inode *ip, uint64_t lblk, uint64_t *pblk,
    uint64_t *lenp)
{

	*lenp = 1;
	if (EXT2_LE32(ip->i_raw->i_flags) & EXT4_EXTENTS_FL)
		return ext4_ext_run(ip, lblk, pblk, lenp);
	return ext2_bmap(ip, lblk, false, pblk);
}

/*
 * Map logical block lblk of ip: *pblk the block, or 0 for a hole
 * (alloc false).  With alloc a hole is filled with a new block (not
 * zeroed: the caller writes it) and the indirect blocks on the way.
 */
int
ext2_bmap(struct ext2inode *ip, uint64_t lblk, bool alloc, uint64_t *pblk)
{
	struct ext2mount *ump = ip->i_ump;
	struct buf *bp;
	uint32_t off[4], *slot;
	uint64_t blk, nblk, goal;
	int depth, i, error;
	bool dirty = false;

	*pblk = 0;
	if (EXT2_LE32(ip->i_raw->i_flags) & EXT4_EXTENTS_FL)
		return ext4_ext_bmap(ip, lblk, alloc, pblk);
	if (alloc && ump->um_ronly)
		return EROFS;
	if ((depth = ext2_ind_path(ump, lblk, off)) == 0)
		return EFBIG;
	goal = alloc ? ext2_blkgoal(ip, lblk) : 0;
	blk = EXT2_LE32(ip->i_raw->i_block[off[0]]);
	if (blk == 0) {
		if (!alloc)
			return 0;
		if ((error = ext2_ind_newblock(ip, goal, depth > 1,
		    &blk)) != 0)
			return error;
		ip->i_raw->i_block[off[0]] = (uint32_t)blk;
		dirty = true;
	} else if (!ext2_blk_valid(ump, blk, 1)) {
		ext2_error(ump, "inode %u: bad block %llu", ip->i_ino,
		    (unsigned long long)blk);
		return EUCLEAN;
	}
	for (i = 1; i < depth; i++) {
		/* No buffer is held while allocating: a corrupt map may
		 * name a bitmap (or this very block) as indirect block. */
		if ((error = ext2_bread(ump, blk, &bp)) != 0)
			goto out;
		nblk = EXT2_LE32(((uint32_t *)bp->b_data)[off[i]]);
		brelse(bp);
		if (nblk == 0) {
			if (!alloc) {
				blk = 0;
				goto out;
			}
			error = ext2_ind_newblock(ip, goal, i + 1 < depth,
			    &nblk);
			if (error)
				goto out;
			if ((error = ext2_bread(ump, blk, &bp)) != 0) {
				ext2_blkfree(ump, nblk, 1);
				ext2_add_blocks(ip, -1);
				goto out;
			}
			slot = (uint32_t *)bp->b_data + off[i];
			*slot = (uint32_t)nblk;
			ext2_bdwrite(ump, bp);
			dirty = true;
		} else if (!ext2_blk_valid(ump, nblk, 1)) {
			ext2_error(ump, "inode %u: bad block %llu",
			    ip->i_ino, (unsigned long long)nblk);
			error = EUCLEAN;
			goto out;
		}
		blk = nblk;
	}
	*pblk = blk;
	if (blk != 0) {
		ip->i_last_lblk = lblk;
		ip->i_last_pblk = blk;
	}
 out:
	if (dirty)
		ext2_inode_dirty(ip);
	return error;
}

/*
 * Free the blocks under indirect block blk (level 1: it points to data)
 * whose logical numbers are >= first; base is the logical block of its
 * first entry, span the blocks each entry covers.  *emptyp: nothing is
 * left in it.
 */
static int
ext2_ind_free(struct ext2inode *ip, uint64_t blk, int level, uint64_t base,
    uint64_t first, bool *emptyp)
{
	struct ext2mount *ump = ip->i_ump;
	uint64_t span = 1, b, ebase;
	uint32_t i, *p, apb = ump->um_addr_per_block;
	struct buf *bp;
	bool changed = false, empty = true, sub;
	int l, error = 0;

	*emptyp = false;
	for (l = 1; l < level; l++)
		span *= apb;
	/* Work on a copy: no buffer is held while the blocks below are
	 * read and freed (a corrupt map may point back at this block). */
	if ((p = kmem_alloc(ump->um_bsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = ext2_bread(ump, blk, &bp)) != 0)
		goto out;
	memcpy(p, bp->b_data, ump->um_bsize);
	brelse(bp);
	for (i = 0; i < apb; i++) {
		b = EXT2_LE32(p[i]);
		if (b == 0)
			continue;
		ebase = base + (uint64_t)i * span;
		if (ebase + span <= first) {
			empty = false;
			continue;
		}
		if (!ext2_blk_valid(ump, b, 1)) {
			ext2_error(ump, "inode %u: bad block %llu", ip->i_ino,
			    (unsigned long long)b);
			error = EUCLEAN;
			empty = false;
			continue;
		}
		if (level > 1) {
			if (ext2_ind_free(ip, b, level - 1, ebase, first,
			    &sub) != 0 || !sub) {
				empty = false;
				continue;
			}
		}
		ext2_blkfree(ump, b, 1);
		ext2_add_blocks(ip, -1);
		p[i] = 0;
		changed = true;
	}
	if (changed && !empty) {
		/* The block stays: write the pointers that are left. */
		if ((error = ext2_bread(ump, blk, &bp)) == 0) {
			memcpy(bp->b_data, p, ump->um_bsize);
			ext2_bdwrite(ump, bp);
		}
	}
	*emptyp = empty;
 out:
	kmem_free(p, ump->um_bsize);
	return error;
}

/* Zero the bytes of the last block past size (so growing reads 0). */
static int
ext2_zero_tail(struct ext2inode *ip, uint64_t size)
{
	struct ext2mount *ump = ip->i_ump;
	uint32_t off = (uint32_t)(size & (ump->um_bsize - 1));
	uint64_t pblk;
	struct buf *bp;
	int error;

	if (off == 0)
		return 0;
	if ((error = ext2_bmap(ip, size >> ump->um_bshift, false,
	    &pblk)) != 0 || pblk == 0)
		return error;
	if ((error = ext2_bread(ump, pblk, &bp)) != 0)
		return error;
	memset((char *)bp->b_data + off, 0, ump->um_bsize - off);
	ext2_bdwrite(ump, bp);
	return 0;
}

/* Is ip a fast symbolic link (target in i_block)? */
static bool
ext2_is_fast_symlink(const struct ext2inode *ip)
{
	uint64_t ea = ext2_i_file_acl(ip) != 0 ? ip->i_ump->um_bsectors : 0;

	if (!S_ISLNK(EXT2_LE16(ip->i_raw->i_mode)))
		return false;
	if (EXT2_LE32(ip->i_raw->i_flags) & EXT4_EXTENTS_FL)
		return false;
	return ext2_i_blocks512(ip) <= ea &&
	    ext2_i_size(ip) <= EXT2_FAST_SYMLINK_MAX;
}

/*
 * Set the size to newsize, freeing the blocks past it (holes stay holes
 * when growing).  The inode is written back.
 */
int
ext2_truncate(struct ext2inode *ip, uint64_t newsize)
{
	struct ext2mount *ump = ip->i_ump;
	struct ext2_dinode *di = ip->i_raw;
	uint64_t first, oldsize = ext2_i_size(ip), base, span, b;
	uint64_t apb = ump->um_addr_per_block;
	int error = 0, e, k;
	bool empty;

	if (ump->um_ronly)
		return EROFS;
	if (ext2_is_fast_symlink(ip)) {
		if (newsize == 0)
			memset(di->i_block, 0, sizeof(di->i_block));
		ext2_i_set_size(ip, newsize);
		ext2_inode_dirty(ip);
		return 0;
	}
	if (newsize >= oldsize) {
		ext2_i_set_size(ip, newsize);
		ext2_inode_dirty(ip);
		return 0;
	}
	first = howmany(newsize, (uint64_t)ump->um_bsize);
	if ((error = ext2_zero_tail(ip, newsize)) != 0)
		return error;
	ext2_i_set_size(ip, newsize);
	ip->i_last_lblk = ip->i_last_pblk = 0;
	if (EXT2_LE32(di->i_flags) & EXT4_EXTENTS_FL) {
		error = ext4_ext_truncate(ip, first);
		ext2_inode_dirty(ip);
		return error;
	}
	for (k = 0; k < EXT2_NDIR_BLOCKS; k++) {
		b = EXT2_LE32(di->i_block[k]);
		if (b == 0 || (uint64_t)k < first)
			continue;
		if (ext2_blk_valid(ump, b, 1)) {
			ext2_blkfree(ump, b, 1);
			ext2_add_blocks(ip, -1);
		}
		di->i_block[k] = 0;
	}
	base = EXT2_NDIR_BLOCKS;
	span = apb;
	for (k = EXT2_IND_BLOCK; k <= EXT2_TIND_BLOCK; k++) {
		b = EXT2_LE32(di->i_block[k]);
		if (b != 0 && base + span > first) {
			if (!ext2_blk_valid(ump, b, 1)) {
				ext2_error(ump, "inode %u: bad block %llu",
				    ip->i_ino, (unsigned long long)b);
				error = EUCLEAN;
			} else if ((e = ext2_ind_free(ip, b,
			    k - EXT2_IND_BLOCK + 1, base, first,
			    &empty)) != 0) {
				error = e;
			} else if (empty) {
				ext2_blkfree(ump, b, 1);
				ext2_add_blocks(ip, -1);
				di->i_block[k] = 0;
			}
		}
		base += span;
		span *= apb;
	}
	ext2_inode_dirty(ip);
	return error;
}

/* A new file's block map: extents when the file system has them. */
int
ext2_inode_init_blocks(struct ext2inode *ip)
{
	struct ext2_dinode *di = ip->i_raw;
	uint16_t mode = EXT2_LE16(di->i_mode);

	memset(di->i_block, 0, sizeof(di->i_block));
	if (ext2_has_extents(ip->i_ump) && (S_ISREG(mode) || S_ISDIR(mode) ||
	    S_ISLNK(mode))) {
		di->i_flags = EXT2_LE32(di->i_flags) | EXT4_EXTENTS_FL;
		return ext4_ext_init(ip);
	}
	return 0;
}
