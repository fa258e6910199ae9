/*
 * ext2_dir.c: directories of ext2/3/4: checking directory blocks as
 * they are read (rec_len, name_len, inode numbers, checksums), lookup,
 * adding and removing entries, changing the inode of an entry (rename),
 * new directories, emptiness, and readdir (dirent64 records whose
 * cookies are byte offsets in the directory).
 *
 * Hashed directories (dir_index, EXT2_INDEX_FL) are read as what their
 * index blocks also are, empty leaf blocks; a change to one clears the
 * flag first, as Linux's ext2 driver does, so the index never goes
 * stale (with metadata_csum the index blocks are rewritten as empty
 * leaves with a leaf checksum tail).
 *
 * Locking: the directory's vnode lock (shared for lookup and readdir,
 * exclusive for changes); directory buffers are owned only between
 * bread and brelse/bdwrite here.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/dirent.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "ext2fs.h"

#define DIRENT_MIN EXT2_DIR_REC_LEN(1)		/* 12 */

static uint32_t
ext2_reclen_get(const struct ext2mount *ump, const struct ext2_dir_entry_2 *de)
{
	uint32_t r = EXT2_LE16(de->rec_len);

	if (ump->um_bsize >= 65536 && (r == 0 || r == EXT2_MAX_REC_LEN))
		return 65536;
	return r;
}

static void
ext2_reclen_set(const struct ext2mount *ump, struct ext2_dir_entry_2 *de,
    uint32_t r)
{

	if (r >= 65536 && ump->um_bsize >= 65536)
		de->rec_len = EXT2_MAX_REC_LEN;
	else
		de->rec_len = (uint16_t)r;
}

static bool
ext2_has_filetype(const struct ext2mount *ump)
{

	return EXT2_HAS_INCOMPAT(ump, EXT2_FEATURE_INCOMPAT_FILETYPE);
}

static uint32_t
ext2_de_namelen(const struct ext2mount *ump, const struct ext2_dir_entry_2 *de)
{

	if (ext2_has_filetype(ump))
		return de->name_len;
	return EXT2_LE16(((const struct ext2_dir_entry *)de)->name_len);
}

/* Does the block end in a metadata_csum tail? */
static bool
ext2_dir_has_tail(const struct ext2mount *ump, const uint8_t *blk)
{
	const struct ext2_dir_entry_tail *t = (const void *)(blk +
	    ump->um_bsize - EXT2_DIR_TAIL_SIZE);

	return ext2_has_metadata_csum(ump) && t->det_reserved_zero1 == 0 &&
	    EXT2_LE16(t->det_rec_len) == EXT2_DIR_TAIL_SIZE &&
	    t->det_reserved_zero2 == 0 &&
	    t->det_reserved_ft == EXT2_FT_DIR_CSUM;
}

int
ext2_dir_check_block(struct ext2inode *dp, uint64_t lblk, const uint8_t *blk)
{
	struct ext2mount *ump = dp->i_ump;
	const struct ext2_dir_entry_2 *de;
	uint32_t off = 0, rl, nl, ino;
	uint32_t ninodes = EXT2_LE32(ump->um_sb.s_inodes_count);

	while (off < ump->um_bsize) {
		if (ump->um_bsize - off < DIRENT_MIN)
			goto bad;
		de = (const void *)(blk + off);
		rl = ext2_reclen_get(ump, de);
		nl = ext2_de_namelen(ump, de);
		ino = EXT2_LE32(de->inode);
		if (rl < DIRENT_MIN || rl % 4 != 0 ||
		    rl > ump->um_bsize - off || nl > EXT2_NAME_LEN ||
		    EXT2_DIR_REC_LEN(nl) > rl || ino > ninodes)
			goto bad;
		off += rl;
	}
	return 0;
 bad:
	ext2_error(ump, "directory inode %u block %llu: bad entry at offset "
	    "%u", dp->i_ino, (unsigned long long)lblk, off);
	return EUCLEAN;
}

/* Read and check block lblk of directory dp. */
int
ext2_dir_bread_raw(struct ext2inode *dp, uint64_t lblk, struct buf **bpp)
{
	struct ext2mount *ump = dp->i_ump;
	uint64_t pblk;
	int error;

	*bpp = NULL;
	if ((error = ext2_bmap(dp, lblk, false, &pblk)) != 0)
		return error;
	if (pblk == 0) {
		ext2_error(ump, "directory inode %u: hole at block %llu",
		    dp->i_ino, (unsigned long long)lblk);
		return EUCLEAN;
	}
	if ((error = ext2_bread(ump, pblk, bpp)) != 0)
		return error;
	if ((error = ext2_dir_check_block(dp, lblk, (*bpp)->b_data)) != 0)
		goto bad;
	if (ext2_has_metadata_csum(ump) &&
	    ext2_csum_dirblock_verify(ump, dp, (*bpp)->b_data) != 0) {
		ext2_error(ump, "directory inode %u block %llu: checksum does "
		    "not match", dp->i_ino, (unsigned long long)lblk);
		error = EUCLEAN;
		goto bad;
	}
	return 0;
 bad:
	brelse(*bpp);
	*bpp = NULL;
	return error;
}

static void
ext2_dir_bwrite(struct ext2inode *dp, struct buf *bp)
{

	if (ext2_has_metadata_csum(dp->i_ump))
		ext2_csum_dirblock_set(dp->i_ump, dp, bp->b_data);
	ext2_bdwrite(dp->i_ump, bp);
}

static uint64_t
ext2_dir_nblocks(const struct ext2inode *dp)
{

	return ext2_i_size(dp) >> dp->i_ump->um_bshift;
}

/* Search block lblk of dp for name: 0, ENOENT or an error. */
static int
ext2_dir_search(struct ext2inode *dp, uint64_t lblk, const char *name,
    size_t len, struct ext2_lookup_result *lr)
{
	struct ext2mount *ump = dp->i_ump;
	struct ext2_dir_entry_2 *de;
	struct buf *bp;
	uint32_t off, prev = UINT32_MAX;
	int error;

	if ((error = ext2_dir_bread_raw(dp, lblk, &bp)) != 0)
		return error;
	for (off = 0; off < ump->um_bsize;
	    prev = off, off += ext2_reclen_get(ump, de)) {
		de = (void *)((uint8_t *)bp->b_data + off);
		if (de->inode == 0 || ext2_de_namelen(ump, de) != len ||
		    memcmp(de->name, name, len) != 0)
			continue;
		lr->lr_ino = EXT2_LE32(de->inode);
		lr->lr_type = ext2_has_filetype(ump) ? de->file_type :
		    EXT2_FT_UNKNOWN;
		lr->lr_lblk = lblk;
		lr->lr_off = off;
		lr->lr_prevoff = prev;
		brelse(bp);
		return 0;
	}
	brelse(bp);
	return ENOENT;
}

/* The entry of name in dp: through the hash index if there is one. */
int
ext2_dir_lookup(struct ext2inode *dp, const char *name, size_t len,
    struct ext2_lookup_result *lr)
{
	uint64_t lblk, n = ext2_dir_nblocks(dp), leaves[4];
	int i, nleaves = __arraycount(leaves), error;

	error = ext2_htree_leaves(dp, name, len, leaves, &nleaves);
	if (error == 0) {
		for (i = 0; i < nleaves; i++) {
			error = ext2_dir_search(dp, leaves[i], name, len, lr);
			if (error != ENOENT)
				return error;
		}
		return ENOENT;
	}
	if (error != ENOTSUP && error != EUCLEAN)
		return error;
	for (lblk = 0; lblk < n; lblk++) {
		error = ext2_dir_search(dp, lblk, name, len, lr);
		if (error != ENOENT)
			return error;
	}
	return ENOENT;
}

/*
 * Before a change to a hashed directory: clear its index flag; with
 * metadata_csum, the index blocks become empty leaves with a tail.
 */
static int
ext2_dir_unindex(struct ext2inode *dp)
{
	struct ext2mount *ump = dp->i_ump;
	struct ext2_dir_entry_2 *de;
	struct ext2_dir_entry_tail *t;
	struct buf *bp;
	uint64_t lblk, n = ext2_dir_nblocks(dp);
	uint32_t lim = ump->um_bsize - EXT2_DIR_TAIL_SIZE, rl;
	int error;

	if (!(EXT2_LE32(dp->i_raw->i_flags) & EXT2_INDEX_FL))
		return 0;
	if (ext2_has_metadata_csum(ump)) {
		for (lblk = 0; lblk < n; lblk++) {
			if ((error = ext2_dir_bread_raw(dp, lblk, &bp)) != 0)
				return error;
			/* Index blocks by their structure (a root may end
			 * in an old leaf tail, see ext2_csum.c). */
			de = bp->b_data;
			if (lblk == 0) {
				/* "." then ".." up to the tail */
				rl = ext2_reclen_get(ump, de);
				if (rl != DIRENT_MIN) {
					brelse(bp);
					return EUCLEAN;
				}
				de = (void *)((uint8_t *)bp->b_data + rl);
				ext2_reclen_set(ump, de, lim - rl);
			} else if (de->inode == 0 &&
			    ext2_reclen_get(ump, de) == ump->um_bsize) {
				ext2_reclen_set(ump, de, lim);
			} else {
				brelse(bp);
				continue;	/* a leaf without a tail */
			}
			memset((uint8_t *)bp->b_data + lim, 0,
			    EXT2_DIR_TAIL_SIZE);
			t = (void *)((uint8_t *)bp->b_data + lim);
			t->det_rec_len = EXT2_DIR_TAIL_SIZE;
			t->det_reserved_ft = EXT2_FT_DIR_CSUM;
			ext2_dir_bwrite(dp, bp);
		}
	}
	dp->i_raw->i_flags = EXT2_LE32(dp->i_raw->i_flags) & ~EXT2_INDEX_FL;
	ext2_inode_dirty(dp);
	return 0;
}

static void
ext2_de_fill(const struct ext2mount *ump, struct ext2_dir_entry_2 *de,
    uint32_t ino, const char *name, size_t len, uint8_t ftype)
{

	de->inode = ino;
	if (ext2_has_filetype(ump)) {
		de->name_len = (uint8_t)len;
		de->file_type = ftype;
	} else
		((struct ext2_dir_entry *)de)->name_len = (uint16_t)len;
	memcpy(de->name, name, len);
}

/* A new, empty leaf block (one free entry, and the tail). */
static void
ext2_dir_newblock(const struct ext2mount *ump, uint8_t *blk)
{
	struct ext2_dir_entry_2 *de = (void *)blk;
	struct ext2_dir_entry_tail *t;

	memset(blk, 0, ump->um_bsize);
	if (ext2_has_metadata_csum(ump)) {
		ext2_reclen_set(ump, de, ump->um_bsize - EXT2_DIR_TAIL_SIZE);
		t = (void *)(blk + ump->um_bsize - EXT2_DIR_TAIL_SIZE);
		t->det_rec_len = EXT2_DIR_TAIL_SIZE;
		t->det_reserved_ft = EXT2_FT_DIR_CSUM;
	} else
		ext2_reclen_set(ump, de, ump->um_bsize);
}

/* Add one more block to dp, initialised empty; *bpp owned. */
static int
ext2_dir_grow(struct ext2inode *dp, uint64_t *lblkp, struct buf **bpp)
{
	struct ext2mount *ump = dp->i_ump;
	uint64_t lblk = ext2_dir_nblocks(dp), pblk;
	int error;

	*bpp = NULL;
	if (lblk >= (1ULL << 32) / ump->um_bsize &&
	    !EXT2_HAS_INCOMPAT(ump, EXT4_FEATURE_INCOMPAT_LARGEDIR))
		return EFBIG;
	if ((error = ext2_bmap(dp, lblk, true, &pblk)) != 0)
		return error;
	if ((error = ext2_bget(ump, pblk, bpp)) != 0)
		return error;
	ext2_dir_newblock(ump, (*bpp)->b_data);
	ext2_i_set_size(dp, (lblk + 1) << ump->um_bshift);
	ext2_inode_dirty(dp);
	*lblkp = lblk;
	return 0;
}

int
ext2_dir_add(struct ext2inode *dp, const char *name, size_t len,
    uint32_t ino, uint8_t ftype)
{
	struct ext2mount *ump = dp->i_ump;
	struct ext2_dir_entry_2 *de, *nde;
	struct buf *bp;
	uint64_t lblk, n = ext2_dir_nblocks(dp);
	uint32_t off, rl, used, need = EXT2_DIR_REC_LEN(len), lim;
	int error;

	if (len == 0 || len > EXT2_NAME_LEN)
		return ENAMETOOLONG;
	if ((error = ext2_dir_unindex(dp)) != 0)
		return error;
	if (!ext2_has_filetype(ump))
		ftype = 0;
	lblk = dp->i_dir_lastblk < n ? dp->i_dir_lastblk : 0;
	for (; lblk < n; lblk++) {
		if ((error = ext2_dir_bread_raw(dp, lblk, &bp)) != 0)
			return error;
		lim = ext2_dir_has_tail(ump, bp->b_data) ?
		    ump->um_bsize - EXT2_DIR_TAIL_SIZE : ump->um_bsize;
		for (off = 0; off < lim; off += rl) {
			de = (void *)((uint8_t *)bp->b_data + off);
			rl = ext2_reclen_get(ump, de);
			used = de->inode != 0 ?
			    EXT2_DIR_REC_LEN(ext2_de_namelen(ump, de)) : 0;
			if (off + rl > lim || rl < used + need)
				continue;
			if (used == 0) {
				ext2_de_fill(ump, de, ino, name, len, ftype);
			} else {
				ext2_reclen_set(ump, de, used);
				nde = (void *)((uint8_t *)de + used);
				memset(nde, 0, 8);
				ext2_reclen_set(ump, nde, rl - used);
				ext2_de_fill(ump, nde, ino, name, len, ftype);
			}
			ext2_dir_bwrite(dp, bp);
			dp->i_dir_lastblk = (uint32_t)lblk;
			return 0;
		}
		brelse(bp);
	}
	if ((error = ext2_dir_grow(dp, &lblk, &bp)) != 0)
		return error;
	de = bp->b_data;
	ext2_de_fill(ump, de, ino, name, len, ftype);
	ext2_dir_bwrite(dp, bp);
	dp->i_dir_lastblk = (uint32_t)lblk;
	return 0;
}

int
ext2_dir_remove(struct ext2inode *dp, const struct ext2_lookup_result *lr)
{
	struct ext2mount *ump = dp->i_ump;
	struct ext2_dir_entry_2 *de, *prev;
	struct buf *bp;
	int error;

	if ((error = ext2_dir_unindex(dp)) != 0)
		return error;
	if ((error = ext2_dir_bread_raw(dp, lr->lr_lblk, &bp)) != 0)
		return error;
	de = (void *)((uint8_t *)bp->b_data + lr->lr_off);
	if (lr->lr_prevoff == UINT32_MAX)
		de->inode = 0;
	else {
		prev = (void *)((uint8_t *)bp->b_data + lr->lr_prevoff);
		ext2_reclen_set(ump, prev, ext2_reclen_get(ump, prev) +
		    ext2_reclen_get(ump, de));
	}
	ext2_dir_bwrite(dp, bp);
	if (lr->lr_lblk < dp->i_dir_lastblk)
		dp->i_dir_lastblk = (uint32_t)lr->lr_lblk;
	return 0;
}

int
ext2_dir_set_ino(struct ext2inode *dp, const struct ext2_lookup_result *lr,
    uint32_t ino, uint8_t ftype)
{
	struct ext2mount *ump = dp->i_ump;
	struct ext2_dir_entry_2 *de;
	struct buf *bp;
	int error;

	if ((error = ext2_dir_unindex(dp)) != 0 && lr->lr_lblk != 0)
		return error;
	if ((error = ext2_dir_bread_raw(dp, lr->lr_lblk, &bp)) != 0)
		return error;
	de = (void *)((uint8_t *)bp->b_data + lr->lr_off);
	de->inode = ino;
	if (ext2_has_filetype(ump))
		de->file_type = ftype;
	ext2_dir_bwrite(dp, bp);
	return 0;
}

int
ext2_dir_init(struct ext2inode *dp, uint32_t parent)
{
	struct ext2mount *ump = dp->i_ump;
	struct ext2_dir_entry_2 *de;
	struct buf *bp;
	uint64_t lblk;
	uint32_t rl;
	int error;

	if ((error = ext2_dir_grow(dp, &lblk, &bp)) != 0)
		return error;
	de = bp->b_data;
	rl = ext2_reclen_get(ump, de);
	ext2_reclen_set(ump, de, DIRENT_MIN);
	ext2_de_fill(ump, de, dp->i_ino, ".", 1, EXT2_FT_DIR);
	de = (void *)((uint8_t *)bp->b_data + DIRENT_MIN);
	ext2_reclen_set(ump, de, rl - DIRENT_MIN);
	ext2_de_fill(ump, de, parent, "..", 2, EXT2_FT_DIR);
	ext2_dir_bwrite(dp, bp);
	return 0;
}

static bool
ext2_is_dots(const struct ext2mount *ump, const struct ext2_dir_entry_2 *de)
{
	uint32_t nl = ext2_de_namelen(ump, de);

	return (nl == 1 && de->name[0] == '.') ||
	    (nl == 2 && de->name[0] == '.' && de->name[1] == '.');
}

int
ext2_dir_isempty(struct ext2inode *dp, bool *emptyp)
{
	struct ext2mount *ump = dp->i_ump;
	struct ext2_dir_entry_2 *de;
	struct buf *bp;
	uint64_t lblk, n = ext2_dir_nblocks(dp);
	uint32_t off;
	int error;

	*emptyp = true;
	for (lblk = 0; lblk < n; lblk++) {
		if ((error = ext2_dir_bread_raw(dp, lblk, &bp)) != 0)
			return error;
		for (off = 0; off < ump->um_bsize;
		    off += ext2_reclen_get(ump, de)) {
			de = (void *)((uint8_t *)bp->b_data + off);
			if (de->inode != 0 && !ext2_is_dots(ump, de)) {
				*emptyp = false;
				brelse(bp);
				return 0;
			}
		}
		brelse(bp);
	}
	return 0;
}

uint8_t
ext2_vtype_to_ft(enum vtype t)
{

	switch (t) {
	case VREG: return EXT2_FT_REG_FILE;
	case VDIR: return EXT2_FT_DIR;
	case VCHR: return EXT2_FT_CHRDEV;
	case VBLK: return EXT2_FT_BLKDEV;
	case VFIFO: return EXT2_FT_FIFO;
	case VSOCK: return EXT2_FT_SOCK;
	case VLNK: return EXT2_FT_SYMLINK;
	default: return EXT2_FT_UNKNOWN;
	}
}

static uint8_t
ext2_ft_to_dt(uint8_t ft)
{

	switch (ft) {
	case EXT2_FT_REG_FILE: return DT_REG;
	case EXT2_FT_DIR: return DT_DIR;
	case EXT2_FT_CHRDEV: return DT_CHR;
	case EXT2_FT_BLKDEV: return DT_BLK;
	case EXT2_FT_FIFO: return DT_FIFO;
	case EXT2_FT_SOCK: return DT_SOCK;
	case EXT2_FT_SYMLINK: return DT_LNK;
	default: return DT_UNKNOWN;
	}
}

/*
 * readdir: the entries from byte offset uio_offset on (an offset inside
 * an entry, left by a removal, continues with the next entry).
 */
int
ext2_dir_readdir(struct ext2inode *dp, struct uio *uio, int *eofp)
{
	struct ext2mount *ump = dp->i_ump;
	struct ext2_dir_entry_2 *de;
	struct buf *bp;
	union {
		struct dirent64 d;
		char buf[DIRENT64_RECLEN(EXT2_NAME_LEN)];
	} u;
	uint64_t pos, lblk, size = ext2_i_size(dp) & ~(uint64_t)
	    (ump->um_bsize - 1);
	uint32_t off, rl, nl, start;
	size_t reclen, startresid = uio->uio_resid;
	bool full = false;
	int error = 0;

	*eofp = 0;
	if (uio->uio_offset < 0)
		return EINVAL;
	pos = (uint64_t)uio->uio_offset;
	while (pos < size && !full) {
		lblk = pos >> ump->um_bshift;
		start = (uint32_t)(pos & (ump->um_bsize - 1));
		if ((error = ext2_dir_bread_raw(dp, lblk, &bp)) != 0)
			break;
		for (off = 0; off < ump->um_bsize; off += rl) {
			de = (void *)((uint8_t *)bp->b_data + off);
			rl = ext2_reclen_get(ump, de);
			if (off < start || de->inode == 0)
				continue;
			nl = ext2_de_namelen(ump, de);
			reclen = DIRENT64_RECLEN(nl);
			if (reclen > uio->uio_resid) {
				full = true;
				break;
			}
			memset(&u, 0, reclen);
			u.d.d_ino = EXT2_LE32(de->inode);
			u.d.d_off = (int64_t)((lblk << ump->um_bshift) + off +
			    rl);
			u.d.d_reclen = (uint16_t)reclen;
			u.d.d_type = ext2_has_filetype(ump) ?
			    ext2_ft_to_dt(de->file_type) : DT_UNKNOWN;
			memcpy(u.d.d_name, de->name, nl);
			if ((error = uiomove(&u, reclen, uio)) != 0)
				break;
			uio->uio_offset = u.d.d_off;
		}
		brelse(bp);
		if (error)
			break;
		if (!full) {
			pos = (lblk + 1) << ump->um_bshift;
			uio->uio_offset = (off_t)pos;
		}
	}
	if (!full && error == 0 && pos >= size)
		*eofp = 1;
	if (full && uio->uio_resid == startresid)
		error = EINVAL;
	return error;
}
