/*
 * ext2_extent.h: the ext4 extent tree, its on-disk format (as the
 * published "ext4 Data Structures and Algorithms" describes it) and the
 * functions of ext2_extent.c that map, allocate and free through it.
 *
 * The tree's root lives in the inode's i_block (60 bytes: a header and
 * four entries); its other nodes are whole file-system blocks, each a
 * header, eh_max entries and, with metadata_csum, a 4-byte crc32c tail
 * right after the eh_max-th entry.  Index nodes (eh_depth > 0) hold
 * ext4_extent_idx entries, leaves (eh_depth == 0) ext4_extent entries,
 * both sorted by their first logical block.
 *
 * Locking: the caller holds the inode's vnode lock exclusively for the
 * functions that change the tree (alloc, truncate, init), at least
 * shared for the lookups; block allocation takes the mount's um_lock
 * inside A's allocator.
 */
#ifndef _FS_EXT2_EXT2_EXTENT_H_
#define _FS_EXT2_EXT2_EXTENT_H_

#include <sys/types.h>

#define EXT4_EXT_MAGIC 0xF30A

struct ext4_extent_header {
	uint16_t eh_magic;		/* EXT4_EXT_MAGIC */
	uint16_t eh_entries;		/* valid entries */
	uint16_t eh_max;		/* capacity */
	uint16_t eh_depth;		/* 0: a leaf */
	uint32_t eh_generation;		/* unused here */
} __packed;

/* An index entry: the node at ei_leaf covers logical blocks >= ei_block. */
struct ext4_extent_idx {
	uint32_t ei_block;
	uint32_t ei_leaf_lo;
	uint16_t ei_leaf_hi;
	uint16_t ei_unused;
} __packed;

/*
 * A leaf entry: ee_len blocks from ee_block map to ee_start.  ee_len <=
 * 32768 is an initialised extent; ee_len > 32768 is an uninitialised
 * (preallocated, reads as zeros) one of ee_len - 32768 blocks.
 */
struct ext4_extent {
	uint32_t ee_block;
	uint16_t ee_len;
	uint16_t ee_start_hi;
	uint32_t ee_start_lo;
} __packed;

/* metadata_csum: after eh_max entries of a non-root node. */
struct ext4_extent_tail {
	uint32_t et_checksum;
} __packed;

#define EXT4_EXT_INIT_MAX_LEN 32768U	/* longest initialised extent */
#define EXT4_EXT_UNINIT_MAX_LEN (65535U - 32768U)
#define EXT4_EXT_MAX_DEPTH 5		/* as Linux and e2fsck accept */
#define EXT4_EXT_ROOT_MAX 4		/* entries in i_block */
#define EXT4_EXT_MAX_LBLK 0xFFFFFFFFU	/* logical blocks are 32-bit */

_Static_assert(sizeof(struct ext4_extent_header) == 12, "eh size");
_Static_assert(sizeof(struct ext4_extent_idx) == 12, "ei size");
_Static_assert(sizeof(struct ext4_extent) == 12, "ee size");

static inline uint64_t
ext4_ext_pblk(const struct ext4_extent *ex)
{

	return (uint64_t)ex->ee_start_hi << 32 | ex->ee_start_lo;
}

static inline uint64_t
ext4_idx_pblk(const struct ext4_extent_idx *ix)
{

	return (uint64_t)ix->ei_leaf_hi << 32 | ix->ei_leaf_lo;
}

static inline bool
ext4_ext_is_uninit(const struct ext4_extent *ex)
{

	return ex->ee_len > EXT4_EXT_INIT_MAX_LEN;
}

/* The number of blocks ex maps, initialised or not. */
static inline uint32_t
ext4_ext_len(const struct ext4_extent *ex)
{

	return ex->ee_len > EXT4_EXT_INIT_MAX_LEN ?
	    ex->ee_len - EXT4_EXT_INIT_MAX_LEN : ex->ee_len;
}

/*
 * Check one node (the i_block root when nodesize is 60, a block
 * otherwise) without trusting anything in it: magic, eh_max fitting
 * nodesize (minus the tail for a block), eh_entries <= eh_max, eh_depth
 * == depth (pass -1 for "any, at most EXT4_EXT_MAX_DEPTH"), entries in
 * strictly increasing order and, for a leaf, not overlapping and not
 * past 2^32 blocks.  Pure: 0 or EUCLEAN, nothing logged.  Exposed for
 * the unit tests.
 */
int ext4_ext_check_node(const void *node, size_t nodesize, int depth);

struct ext2inode;

/* ext2_csum.c: the tail of a non-root node; the caller checked that the
 * header's eh_max entries and the tail fit in the block. */
int ext2_csum_extent_verify(struct ext2inode *, const void *blk);
void ext2_csum_extent_set(struct ext2inode *, void *blk);

/* Implemented in ext2_extent.c, called by the core (ext2fs.h). */
int ext4_ext_bmap(struct ext2inode *, uint64_t lblk, bool alloc,
    uint64_t *pblk);
int ext4_ext_truncate(struct ext2inode *, uint64_t first_lblk_to_free);
int ext4_ext_init(struct ext2inode *);
int ext4_ext_validate_root(struct ext2inode *);

#endif /* _FS_EXT2_EXT2_EXTENT_H_ */
