/*
 * ext2_extent.c: the ext4 extent tree of a file (format in
 * ext2_extent.h): map a logical block to its physical block, allocate a
 * block for a hole (extending the neighbouring extent when the new block
 * is contiguous with it, else inserting an extent, splitting full nodes
 * and growing the tree by one level when the root is full), convert a
 * block of an uninitialised extent on its first write, and free every
 * block from a logical block on (truncate).
 *
 * Every node read from disk is checked before use (ext4_ext_check_node
 * and the block ranges it points to, and with metadata_csum its tail
 * checksum): a bad one is EUCLEAN, logged once through ext2_error.
 *
 * A lookup keeps a path: the node at each level from the root (in the
 * inode's i_block) to the leaf, with the entry chosen in each.  A change
 * that needs room splits one node or grows the tree and looks the path
 * up again, so each step starts from a consistent tree.
 *
 * Locking: the caller holds the inode's vnode lock (exclusively for
 * allocation, conversion, truncate and init); the tree's blocks belong to
 * the inode, so their buffers are only ever busy under that lock.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/errno.h>

#include "ext2fs.h"
#include "ext2_extent.h"

#define EXT4_ROOT_SIZE (EXT2_N_BLOCKS * sizeof(uint32_t))	/* 60 */

struct ext4_path {
	struct buf *p_bp;		/* NULL: the root in i_block */
	struct ext4_extent_header *p_hdr;
	int p_idx;			/* chosen entry; -1: none (leaf) */
	bool p_dirty;			/* changed: write on release */
};

struct ext4_walk {
	int w_depth;			/* of the tree: the leaf's level */
	struct ext4_path w_p[EXT4_EXT_MAX_DEPTH + 1];
};

static inline struct ext4_extent *
eh_ext(const struct ext4_extent_header *eh)
{

	return (struct ext4_extent *)(uintptr_t)(eh + 1);
}

static inline struct ext4_extent_idx *
eh_idx(const struct ext4_extent_header *eh)
{

	return (struct ext4_extent_idx *)(uintptr_t)(eh + 1);
}

static inline struct ext4_extent_header *
ext4_root(const struct ext2inode *ip)
{

	return (struct ext4_extent_header *)ip->i_raw->i_block;
}

/* The capacity of a node in a block: the tail's 4 bytes always fit. */
static inline uint16_t
ext4_block_max(uint32_t bsize)
{

#ifdef EXT4_EXT_TEST_BLOCK_MAX
	/* The unit tests make nodes small to build deep trees. */
	if (EXT4_EXT_TEST_BLOCK_MAX != 0)
		return EXT4_EXT_TEST_BLOCK_MAX;
#endif
	return (uint16_t)((bsize - sizeof(struct ext4_extent_header)) /
	    sizeof(struct ext4_extent));
}

int
ext4_ext_check_node(const void *node, size_t nodesize, int depth)
{
	const struct ext4_extent_header *eh = node;
	const struct ext4_extent *ex;
	const struct ext4_extent_idx *ix;
	uint64_t next = 0;
	size_t need, i, n;
	uint32_t len;

	if (nodesize < sizeof(*eh) + sizeof(struct ext4_extent))
		return EUCLEAN;
	if (EXT2_LE16(eh->eh_magic) != EXT4_EXT_MAGIC)
		return EUCLEAN;
	if (EXT2_LE16(eh->eh_depth) > EXT4_EXT_MAX_DEPTH ||
	    (depth >= 0 && EXT2_LE16(eh->eh_depth) != depth))
		return EUCLEAN;
	n = EXT2_LE16(eh->eh_entries);
	if (EXT2_LE16(eh->eh_max) == 0 || n > EXT2_LE16(eh->eh_max))
		return EUCLEAN;
	need = sizeof(*eh) + (size_t)EXT2_LE16(eh->eh_max) *
	    sizeof(struct ext4_extent);
	if (nodesize != EXT4_ROOT_SIZE)
		need += sizeof(struct ext4_extent_tail);
	if (need > nodesize)
		return EUCLEAN;
	if (EXT2_LE16(eh->eh_depth) > 0) {
		/* An index node without entries leads nowhere. */
		if (n == 0)
			return EUCLEAN;
		ix = eh_idx(eh);
		for (i = 0; i < n; i++) {
			if (i > 0 && EXT2_LE32(ix[i].ei_block) < next)
				return EUCLEAN;
			next = (uint64_t)EXT2_LE32(ix[i].ei_block) + 1;
		}
		return 0;
	}
	ex = eh_ext(eh);
	for (i = 0; i < n; i++) {
		len = ext4_ext_len(&ex[i]);
		if (len == 0 || EXT2_LE32(ex[i].ee_block) < next)
			return EUCLEAN;
		next = (uint64_t)EXT2_LE32(ex[i].ee_block) + len;
		if (next > (uint64_t)EXT4_EXT_MAX_LBLK + 1)
			return EUCLEAN;
	}
	return 0;
}

/* Every block a node points to lies inside the file system. */
static bool
ext4_node_blocks_valid(const struct ext2mount *ump,
    const struct ext4_extent_header *eh)
{
	const struct ext4_extent *ex = eh_ext(eh);
	const struct ext4_extent_idx *ix = eh_idx(eh);
	size_t i, n = EXT2_LE16(eh->eh_entries);

	for (i = 0; i < n; i++) {
		if (EXT2_LE16(eh->eh_depth) > 0) {
			if (!ext2_blk_valid(ump, ext4_idx_pblk(&ix[i]), 1))
				return false;
		} else if (!ext2_blk_valid(ump, ext4_ext_pblk(&ex[i]),
		    ext4_ext_len(&ex[i])))
			return false;
	}
	return true;
}

int
ext4_ext_validate_root(struct ext2inode *ip)
{
	struct ext2mount *ump = ip->i_ump;

	if (ext4_ext_check_node(ext4_root(ip), EXT4_ROOT_SIZE, -1) != 0 ||
	    !ext4_node_blocks_valid(ump, ext4_root(ip))) {
		ext2_error(ump, "inode %u: bad extent tree root", ip->i_ino);
		return EUCLEAN;
	}
	return 0;
}

int
ext4_ext_init(struct ext2inode *ip)
{
	struct ext4_extent_header *eh = ext4_root(ip);

	memset(ip->i_raw->i_block, 0, sizeof(ip->i_raw->i_block));
	eh->eh_magic = EXT2_LE16(EXT4_EXT_MAGIC);
	eh->eh_entries = 0;
	eh->eh_max = EXT2_LE16(EXT4_EXT_ROOT_MAX);
	eh->eh_depth = 0;
	eh->eh_generation = 0;
	ip->i_raw->i_flags |= EXT2_LE32(EXT4_EXTENTS_FL);
	ext2_inode_dirty(ip);
	return 0;
}

/*
 * Read the node at pblk, expected at the given depth, and check it.  On
 * success *bpp is busy and holds a valid node.
 */
static int
ext4_read_node(struct ext2inode *ip, uint64_t pblk, int depth,
    struct buf **bpp)
{
	struct ext2mount *ump = ip->i_ump;
	struct ext4_extent_header *eh;
	struct buf *bp;
	int error;

	*bpp = NULL;
	if (!ext2_blk_valid(ump, pblk, 1)) {
		ext2_error(ump, "inode %u: extent node block %llu out of "
		    "range", ip->i_ino, (unsigned long long)pblk);
		return EUCLEAN;
	}
	error = ext2_bread(ump, pblk, &bp);
	if (error != 0)
		return error;
	eh = bp->b_data;
	if (ext4_ext_check_node(eh, ump->um_bsize, depth) != 0 ||
	    !ext4_node_blocks_valid(ump, eh)) {
		ext2_error(ump, "inode %u: bad extent node in block %llu",
		    ip->i_ino, (unsigned long long)pblk);
		ext2_brelse(bp);
		return EUCLEAN;
	}
	if (ext2_has_metadata_csum(ump)) {
		error = ext2_csum_extent_verify(ip, eh);
		if (error != 0) {
			ext2_brelse(bp);
			return error;
		}
	}
	*bpp = bp;
	return 0;
}

/* The last entry whose first block is <= lblk, or -1. */
static int
ext4_search(const struct ext4_extent_header *eh, uint64_t lblk)
{
	int lo = 0, hi = (int)EXT2_LE16(eh->eh_entries) - 1, mid;
	uint32_t key;

	/* ee_block and ei_block sit at the same offset. */
	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		key = EXT2_LE32(eh_ext(eh)[mid].ee_block);
		if (key <= lblk)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return hi;
}

static void
ext4_walk_release(struct ext2inode *ip, struct ext4_walk *w)
{
	struct ext2mount *ump = ip->i_ump;
	struct ext4_path *p;
	int i;

	for (i = 0; i <= w->w_depth; i++) {
		p = &w->w_p[i];
		if (p->p_bp == NULL) {
			if (p->p_dirty)
				ext2_inode_dirty(ip);
		} else if (p->p_dirty) {
			if (ext2_has_metadata_csum(ump))
				ext2_csum_extent_set(ip, p->p_bp->b_data);
			ext2_bdwrite(ump, p->p_bp);
		} else
			ext2_brelse(p->p_bp);
		p->p_bp = NULL;
		p->p_dirty = false;
	}
}

/* The path from the root to the leaf where lblk is or would be. */
static int
ext4_find(struct ext2inode *ip, uint64_t lblk, struct ext4_walk *w)
{
	struct ext4_extent_header *eh = ext4_root(ip);
	struct ext4_path *p;
	struct buf *bp;
	int depth, i, error;

	memset(w, 0, sizeof(*w));
	error = ext4_ext_validate_root(ip);
	if (error != 0)
		return error;
	depth = EXT2_LE16(eh->eh_depth);
	w->w_depth = 0;
	for (i = 0;; i++) {
		p = &w->w_p[i];
		p->p_hdr = eh;
		p->p_idx = ext4_search(eh, lblk);
		if (i == depth)
			break;
		/* Below the first key: descend where an insert goes. */
		if (p->p_idx < 0)
			p->p_idx = 0;
		error = ext4_read_node(ip, ext4_idx_pblk(&eh_idx(eh)[p->p_idx]),
		    depth - i - 1, &bp);
		if (error != 0)
			goto out;
		w->w_depth = i + 1;
		w->w_p[i + 1].p_bp = bp;
		eh = bp->b_data;
	}
	KASSERT(w->w_depth == depth);
out:
	if (error != 0)
		ext4_walk_release(ip, w);
	return error;
}

static uint32_t
ext4_node_key(const struct ext4_extent_header *eh)
{

	KASSERT(EXT2_LE16(eh->eh_entries) > 0);
	return EXT2_LE32(eh_ext(eh)[0].ee_block);
}

/* The first key of the node at level changed: fix the keys above it. */
static void
ext4_fix_keys(struct ext4_walk *w, int level)
{
	struct ext4_path *p;
	uint32_t key;

	while (level > 0 && w->w_p[level].p_idx == 0) {
		key = ext4_node_key(w->w_p[level].p_hdr);
		p = &w->w_p[level - 1];
		if (EXT2_LE32(eh_idx(p->p_hdr)[p->p_idx].ei_block) == key)
			break;
		eh_idx(p->p_hdr)[p->p_idx].ei_block = EXT2_LE32(key);
		p->p_dirty = true;
		level--;
	}
}

/* Insert a 12-byte entry at pos of a node with room. */
static void
ext4_node_insert(struct ext4_walk *w, int level, int pos, const void *ent)
{
	struct ext4_path *p = &w->w_p[level];
	struct ext4_extent *e = eh_ext(p->p_hdr);
	int n = EXT2_LE16(p->p_hdr->eh_entries);

	KASSERT(n < EXT2_LE16(p->p_hdr->eh_max));
	KASSERT(pos >= 0 && pos <= n);
	memmove(&e[pos + 1], &e[pos], (size_t)(n - pos) * sizeof(*e));
	memcpy(&e[pos], ent, sizeof(*e));
	p->p_hdr->eh_entries = EXT2_LE16((uint16_t)(n + 1));
	p->p_dirty = true;
	if (pos == 0) {
		p->p_idx = 0;
		ext4_fix_keys(w, level);
	}
}

/* A new, zeroed node block near the file's data, counted in i_blocks. */
static int
ext4_new_node(struct ext2inode *ip, uint64_t lblk, struct buf **bpp,
    uint64_t *pblkp)
{
	struct ext2mount *ump = ip->i_ump;
	uint64_t nb;
	int error;

	error = ext2_blkalloc(ip, ext2_blkgoal(ip, lblk), &nb);
	if (error != 0)
		return error;
	error = ext2_bget(ump, nb, bpp);
	if (error != 0) {
		ext2_blkfree(ump, nb, 1);
		return error;
	}
	memset((*bpp)->b_data, 0, ump->um_bsize);
	ext2_add_blocks(ip, 1);
	*pblkp = nb;
	return 0;
}

static void
ext4_node_write(struct ext2inode *ip, struct buf *bp)
{

	if (ext2_has_metadata_csum(ip->i_ump))
		ext2_csum_extent_set(ip, bp->b_data);
	ext2_bdwrite(ip->i_ump, bp);
}

/*
 * The root is full: move its entries into a new block below it, and make
 * the root an index with that one entry; the tree is one level deeper.
 */
static int
ext4_grow(struct ext2inode *ip, uint64_t lblk)
{
	struct ext4_extent_header *root = ext4_root(ip), *eh;
	struct ext4_extent_idx *ix;
	struct buf *bp;
	uint64_t nb;
	uint32_t key;
	int error;

	if (EXT2_LE16(root->eh_depth) >= EXT4_EXT_MAX_DEPTH)
		return EFBIG;
	error = ext4_new_node(ip, lblk, &bp, &nb);
	if (error != 0)
		return error;
	eh = bp->b_data;
	memcpy(eh, root, sizeof(*eh) + (size_t)EXT2_LE16(root->eh_entries) *
	    sizeof(struct ext4_extent));
	eh->eh_max = EXT2_LE16(ext4_block_max(ip->i_ump->um_bsize));
	key = ext4_node_key(eh);
	ext4_node_write(ip, bp);

	ix = eh_idx(root);
	memset(ix, 0, EXT4_ROOT_SIZE - sizeof(*root));
	ix->ei_block = EXT2_LE32(key);
	ix->ei_leaf_lo = EXT2_LE32((uint32_t)nb);
	ix->ei_leaf_hi = EXT2_LE16((uint16_t)(nb >> 32));
	root->eh_entries = EXT2_LE16(1);
	root->eh_max = EXT2_LE16(EXT4_EXT_ROOT_MAX);
	root->eh_depth = EXT2_LE16((uint16_t)(EXT2_LE16(root->eh_depth) + 1));
	ext2_inode_dirty(ip);
	return 0;
}

/*
 * Split the full node at level (a block: level >= 1) whose parent has
 * room: the entries from m on move to a new block, indexed right after
 * the old one.  When the path runs through the last entry (appending),
 * only that entry moves, so sequential files fill their nodes.
 */
static int
ext4_split(struct ext2inode *ip, struct ext4_walk *w, int level,
    uint64_t lblk)
{
	struct ext4_path *p = &w->w_p[level];
	struct ext4_extent_header *eh;
	struct ext4_extent_idx ix;
	struct buf *bp;
	uint64_t nb;
	int n = EXT2_LE16(p->p_hdr->eh_entries), m, error;

	KASSERT(level >= 1 && p->p_bp != NULL);
	if (n < 2) {
		/* Full with one entry: an eh_max of 1 from the disk. */
		ext2_error(ip->i_ump, "inode %u: extent node too small to "
		    "split", ip->i_ino);
		return EUCLEAN;
	}
	m = p->p_idx == n - 1 ? n - 1 : n / 2;
	error = ext4_new_node(ip, lblk, &bp, &nb);
	if (error != 0)
		return error;
	eh = bp->b_data;
	eh->eh_magic = EXT2_LE16(EXT4_EXT_MAGIC);
	eh->eh_entries = EXT2_LE16((uint16_t)(n - m));
	eh->eh_max = EXT2_LE16(ext4_block_max(ip->i_ump->um_bsize));
	eh->eh_depth = p->p_hdr->eh_depth;
	memcpy(eh_ext(eh), &eh_ext(p->p_hdr)[m],
	    (size_t)(n - m) * sizeof(struct ext4_extent));
	memset(&ix, 0, sizeof(ix));
	ix.ei_block = EXT2_LE32(ext4_node_key(eh));
	ix.ei_leaf_lo = EXT2_LE32((uint32_t)nb);
	ix.ei_leaf_hi = EXT2_LE16((uint16_t)(nb >> 32));
	ext4_node_write(ip, bp);

	memset(&eh_ext(p->p_hdr)[m], 0,
	    (size_t)(n - m) * sizeof(struct ext4_extent));
	p->p_hdr->eh_entries = EXT2_LE16((uint16_t)m);
	p->p_dirty = true;
	ext4_node_insert(w, level - 1, w->w_p[level - 1].p_idx + 1, &ix);
	return 0;
}

/* Whether a can take b's blocks after its own (same kind, contiguous). */
static bool
ext4_can_append(const struct ext4_extent *a, const struct ext4_extent *b)
{
	uint32_t la = ext4_ext_len(a), lb = ext4_ext_len(b);
	uint32_t maxlen = ext4_ext_is_uninit(a) ? EXT4_EXT_UNINIT_MAX_LEN :
	    EXT4_EXT_INIT_MAX_LEN;

	return ext4_ext_is_uninit(a) == ext4_ext_is_uninit(b) &&
	    (uint64_t)EXT2_LE32(a->ee_block) + la == EXT2_LE32(b->ee_block) &&
	    ext4_ext_pblk(a) + la == ext4_ext_pblk(b) &&
	    (uint64_t)la + lb <= maxlen;
}

static void
ext4_ext_set(struct ext4_extent *ex, uint32_t lblk, uint32_t len,
    uint64_t pblk, bool uninit)
{

	KASSERT(len > 0 && len <= (uninit ? EXT4_EXT_UNINIT_MAX_LEN :
	    EXT4_EXT_INIT_MAX_LEN));
	ex->ee_block = EXT2_LE32(lblk);
	ex->ee_len = EXT2_LE16((uint16_t)(uninit ?
	    len + EXT4_EXT_INIT_MAX_LEN : len));
	ex->ee_start_hi = EXT2_LE16((uint16_t)(pblk >> 32));
	ex->ee_start_lo = EXT2_LE32((uint32_t)pblk);
}

/*
 * Put the extent nex (its range a hole of the tree) into the tree:
 * merged into a neighbour when contiguous (if merge), else inserted in
 * its leaf, making room first by splitting or growing.
 */
static int
ext4_insert(struct ext2inode *ip, const struct ext4_extent *nex, bool merge)
{
	uint32_t lblk = EXT2_LE32(nex->ee_block);
	struct ext4_extent_header *leaf;
	struct ext4_extent *ex;
	struct ext4_walk w;
	struct ext4_path *lp;
	int k, n, tries, error;

	/* Each round splits one level or grows the tree: a bounded number
	 * of rounds makes room, or the tree is not what it claims. */
	for (tries = 0;; tries++) {
		if (tries > 2 * (EXT4_EXT_MAX_DEPTH + 2)) {
			ext2_error(ip->i_ump, "inode %u: no room in the "
			    "extent tree", ip->i_ino);
			return EUCLEAN;
		}
		error = ext4_find(ip, lblk, &w);
		if (error != 0)
			return error;
		lp = &w.w_p[w.w_depth];
		leaf = lp->p_hdr;
		ex = eh_ext(leaf);
		n = EXT2_LE16(leaf->eh_entries);
		if (merge && lp->p_idx >= 0 &&
		    ext4_can_append(&ex[lp->p_idx], nex)) {
			ex = &ex[lp->p_idx];
			ext4_ext_set(ex, EXT2_LE32(ex->ee_block),
			    ext4_ext_len(ex) + ext4_ext_len(nex),
			    ext4_ext_pblk(ex), ext4_ext_is_uninit(ex));
			lp->p_dirty = true;
			break;
		}
		if (merge && lp->p_idx + 1 < n && ext4_can_append(nex,
		    &ex[lp->p_idx + 1])) {
			ex = &ex[lp->p_idx + 1];
			ext4_ext_set(ex, lblk, ext4_ext_len(ex) +
			    ext4_ext_len(nex), ext4_ext_pblk(nex),
			    ext4_ext_is_uninit(ex));
			lp->p_dirty = true;
			if (lp->p_idx + 1 == 0) {
				lp->p_idx = 0;
				ext4_fix_keys(&w, w.w_depth);
			}
			break;
		}
		if (n < EXT2_LE16(leaf->eh_max)) {
			ext4_node_insert(&w, w.w_depth, lp->p_idx + 1, nex);
			break;
		}
		/* Full: split below the deepest level with room. */
		for (k = w.w_depth - 1; k >= 0; k--)
			if (EXT2_LE16(w.w_p[k].p_hdr->eh_entries) <
			    EXT2_LE16(w.w_p[k].p_hdr->eh_max))
				break;
		if (k < 0)
			error = ext4_grow(ip, lblk);
		else
			error = ext4_split(ip, &w, k + 1, lblk);
		ext4_walk_release(ip, &w);
		if (error != 0)
			return error;
	}
	ext4_walk_release(ip, &w);
	return 0;
}

/* Replace the extent that begins at lblk (it is there) by ex. */
static int
ext4_replace(struct ext2inode *ip, uint64_t lblk, const struct ext4_extent *ex)
{
	struct ext4_walk w;
	struct ext4_path *lp;
	int error;

	if ((error = ext4_find(ip, lblk, &w)) != 0)
		return error;
	lp = &w.w_p[w.w_depth];
	if (lp->p_idx < 0 ||
	    EXT2_LE32(eh_ext(lp->p_hdr)[lp->p_idx].ee_block) != lblk) {
		ext4_walk_release(ip, &w);
		return EUCLEAN;
	}
	memcpy(&eh_ext(lp->p_hdr)[lp->p_idx], ex, sizeof(*ex));
	lp->p_dirty = true;
	ext4_walk_release(ip, &w);
	return 0;
}

/*
 * The first write to a block of an uninitialised extent: the block
 * becomes an initialised extent of its own (the rest stays
 * uninitialised), and its contents, which may be anything, are zeroed
 * so that a partial write leaves zeros around it.  First the part after
 * the block is split off, then the block itself; when an insert fails
 * (no room for a new node), the extent is put back as it was before that
 * step, so no block is ever lost from the tree.
 */
static int
ext4_convert(struct ext2inode *ip, struct ext4_walk *w, uint64_t lblk,
    uint64_t *pblkp)
{
	struct ext2mount *ump = ip->i_ump;
	struct ext4_path *lp = &w->w_p[w->w_depth];
	struct ext4_extent *ex = &eh_ext(lp->p_hdr)[lp->p_idx];
	struct ext4_extent piece, orig;
	uint32_t b = EXT2_LE32(ex->ee_block), len = ext4_ext_len(ex);
	uint64_t s = ext4_ext_pblk(ex), pblk = s + (lblk - b);
	struct buf *bp;
	int error;

	error = ext2_bget(ump, pblk, &bp);
	if (error != 0) {
		ext4_walk_release(ip, w);
		return error;
	}
	memset(bp->b_data, 0, ump->um_bsize);
	ext2_bdwrite(ump, bp);

	orig = *ex;
	if (lblk + 1 < (uint64_t)b + len) {
		ext4_ext_set(ex, b, (uint32_t)(lblk - b + 1), s, true);
		lp->p_dirty = true;
		ext4_walk_release(ip, w);
		ext4_ext_set(&piece, (uint32_t)lblk + 1,
		    (uint32_t)(b + len - lblk - 1), pblk + 1, true);
		if ((error = ext4_insert(ip, &piece, false)) != 0)
			goto undo;
		/* The next step's undo: back to [b, lblk]. */
		ext4_ext_set(&orig, b, (uint32_t)(lblk - b + 1), s, true);
	} else
		ext4_walk_release(ip, w);
	if (lblk == b) {
		ext4_ext_set(&piece, b, 1, s, false);
		if ((error = ext4_replace(ip, b, &piece)) != 0)
			goto fail;
	} else {
		ext4_ext_set(&piece, b, (uint32_t)(lblk - b), s, true);
		if ((error = ext4_replace(ip, b, &piece)) != 0)
			goto fail;
		ext4_ext_set(&piece, (uint32_t)lblk, 1, pblk, false);
		if ((error = ext4_insert(ip, &piece, false)) != 0)
			goto undo;
	}
	*pblkp = pblk;
	return 0;
undo:
	if (ext4_replace(ip, b, &orig) == 0)
		return error;
fail:
	ext2_error(ump, "inode %u: cannot split an uninitialised extent: "
	    "error %d", ip->i_ino, error);
	return error;
}

int
ext4_ext_bmap(struct ext2inode *ip, uint64_t lblk, bool alloc,
    uint64_t *pblkp)
{
	struct ext4_extent *ex = NULL, nex;
	struct ext4_path *lp;
	struct ext4_walk w;
	uint64_t goal, nb;
	int error;

	*pblkp = 0;
	if (alloc && ip->i_ump->um_ronly)
		return EROFS;
	if (lblk > EXT4_EXT_MAX_LBLK)
		return alloc ? EFBIG : 0;
	error = ext4_find(ip, lblk, &w);
	if (error != 0)
		return error;
	lp = &w.w_p[w.w_depth];
	if (lp->p_idx >= 0)
		ex = &eh_ext(lp->p_hdr)[lp->p_idx];
	if (ex != NULL &&
	    lblk < (uint64_t)EXT2_LE32(ex->ee_block) + ext4_ext_len(ex)) {
		if (!ext4_ext_is_uninit(ex)) {
			*pblkp = ext4_ext_pblk(ex) +
			    (lblk - EXT2_LE32(ex->ee_block));
			goto out;
		}
		if (!alloc)
			goto out;	/* reads as zeros */
		return ext4_convert(ip, &w, lblk, pblkp);
	}
	if (!alloc)
		goto out;
	/* A hole: a block right after the previous extent's, if free. */
	if (ex != NULL && !ext4_ext_is_uninit(ex))
		goal = ext4_ext_pblk(ex) + (lblk - EXT2_LE32(ex->ee_block));
	else
		goal = ext2_blkgoal(ip, lblk);
	ext4_walk_release(ip, &w);
	error = ext2_blkalloc(ip, goal, &nb);
	if (error != 0)
		return error;
	ext4_ext_set(&nex, (uint32_t)lblk, 1, nb, false);
	error = ext4_insert(ip, &nex, true);
	if (error != 0) {
		ext2_blkfree(ip->i_ump, nb, 1);
		return error;
	}
	ext2_add_blocks(ip, 1);
	*pblkp = nb;
	return 0;
out:
	ext4_walk_release(ip, &w);
	return error;
}

/*
 * The blocks mapped in a row from lblk: the rest of the extent holding
 * it (*pblkp 0 for an uninitialised one, which reads as zeros), or a
 * hole up to the leaf's next extent (one block past the leaf's last).
 */
int
ext4_ext_run(struct ext2inode *ip, uint64_t lblk, uint64_t *pblkp,
    uint64_t *lenp)
{
	struct ext4_extent *ex = NULL;
	struct ext4_path *lp;
	struct ext4_walk w;
	uint64_t start;
	int error;

	*pblkp = 0;
	*lenp = 1;
	if (lblk > EXT4_EXT_MAX_LBLK)
		return 0;
	if ((error = ext4_find(ip, lblk, &w)) != 0)
		return error;
	lp = &w.w_p[w.w_depth];
	if (lp->p_idx >= 0)
		ex = &eh_ext(lp->p_hdr)[lp->p_idx];
	start = ex != NULL ? EXT2_LE32(ex->ee_block) : 0;
	if (ex != NULL && lblk < start + ext4_ext_len(ex)) {
		*lenp = start + ext4_ext_len(ex) - lblk;
		if (!ext4_ext_is_uninit(ex))
			*pblkp = ext4_ext_pblk(ex) + (lblk - start);
	} else if (lp->p_idx + 1 < (int)EXT2_LE16(lp->p_hdr->eh_entries))
		*lenp = EXT2_LE32(eh_ext(lp->p_hdr)[lp->p_idx + 1].ee_block) -
		    lblk;
	ext4_walk_release(ip, &w);
	return 0;
}

/*
 * Free what the node eh (at depth, of a tree being cut) maps from first
 * on; *dirtyp when it changed.  Children left empty are freed and their
 * index entries removed.  Entries are visited from the last: once one
 * starts below first, those before it lie wholly below it too.
 */
static int
ext4_trunc_node(struct ext2inode *ip, struct ext4_extent_header *eh,
    uint64_t first, bool *dirtyp)
{
	struct ext2mount *ump = ip->i_ump;
	struct ext4_extent_header *ceh;
	struct ext4_extent *ex;
	struct ext4_extent_idx *ix;
	uint64_t b, len, child, key;
	struct buf *bp;
	bool cdirty;
	int i, n, error = 0;

	if (EXT2_LE16(eh->eh_depth) == 0) {
		for (i = EXT2_LE16(eh->eh_entries) - 1; i >= 0; i--) {
			ex = &eh_ext(eh)[i];
			b = EXT2_LE32(ex->ee_block);
			len = ext4_ext_len(ex);
			if (b + len <= first)
				break;
			*dirtyp = true;
			if (b >= first) {
				ext2_blkfree(ump, ext4_ext_pblk(ex), len);
				ext2_add_blocks(ip, -(int64_t)len);
				memset(ex, 0, sizeof(*ex));
				eh->eh_entries = EXT2_LE16((uint16_t)i);
				continue;
			}
			ext2_blkfree(ump, ext4_ext_pblk(ex) + (first - b),
			    b + len - first);
			ext2_add_blocks(ip, -(int64_t)(b + len - first));
			ext4_ext_set(ex, (uint32_t)b, (uint32_t)(first - b),
			    ext4_ext_pblk(ex), ext4_ext_is_uninit(ex));
			break;
		}
		return 0;
	}
	for (i = EXT2_LE16(eh->eh_entries) - 1; i >= 0; i--) {
		ix = &eh_idx(eh)[i];
		child = ext4_idx_pblk(ix);
		key = EXT2_LE32(ix->ei_block);
		error = ext4_read_node(ip, child, EXT2_LE16(eh->eh_depth) - 1,
		    &bp);
		if (error != 0)
			return error;
		ceh = bp->b_data;
		cdirty = false;
		error = ext4_trunc_node(ip, ceh, first, &cdirty);
		if (error == 0 && EXT2_LE16(ceh->eh_entries) == 0) {
			ext2_brelse(bp);
			ext2_blkfree(ump, child, 1);
			ext2_add_blocks(ip, -1);
			n = EXT2_LE16(eh->eh_entries);
			memmove(ix, ix + 1, (size_t)(n - 1 - i) * sizeof(*ix));
			memset(&eh_idx(eh)[n - 1], 0, sizeof(*ix));
			eh->eh_entries = EXT2_LE16((uint16_t)(n - 1));
			*dirtyp = true;
		} else if (cdirty)
			ext4_node_write(ip, bp);
		else
			ext2_brelse(bp);
		if (error != 0 || key < first)
			break;
	}
	return error;
}

int
ext4_ext_truncate(struct ext2inode *ip, uint64_t first)
{
	struct ext4_extent_header *root = ext4_root(ip);
	bool dirty = false;
	int error;

	if (first > EXT4_EXT_MAX_LBLK)
		return 0;
	error = ext4_ext_validate_root(ip);
	if (error != 0)
		return error;
	error = ext4_trunc_node(ip, root, first, &dirty);
	if (EXT2_LE16(root->eh_entries) == 0 &&
	    EXT2_LE16(root->eh_depth) != 0) {
		/* Emptied: back to an empty leaf root. */
		root->eh_depth = 0;
		root->eh_max = EXT2_LE16(EXT4_EXT_ROOT_MAX);
		dirty = true;
	}
	if (dirty)
		ext2_inode_dirty(ip);
	return error;
}
