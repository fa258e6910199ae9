/*
 * ext2fs.h: the ext2/ext3/ext4 driver's in-memory structures and its
 * internal API, shared by its files (the contract of
 * /work/notes/ext2-plan.md).
 *
 *   ext2_vfsops.c  mount (superblock and group descriptor validation,
 *                  feature rules), unmount, root, statfs, sync, loadvnode,
 *                  the component ("ext2", "ext3", "ext4")
 *   ext2_subr.c    buffers of file-system blocks, errors, times, super
 *                  block and group descriptor write-back
 *   ext2_inode.c   inodes: read, validate, write; bmap of indirect
 *                  blocks; truncate
 *   ext2_alloc.c   block and inode bitmaps, allocation, free counts
 *   ext2_dir.c     directories: entries, lookup (linear and htree),
 *                  add, remove, readdir
 *   ext2_vnops.c   the vnode operations
 *   ext2_extent.c  (B) extent trees: ext4_ext_*
 *   ext2_csum.c    (B) crc32c, crc16 and the metadata_csum functions
 *   ext2_journal.c (B) jbd2 replay
 *   ext2_xattr.c   extended attributes: in the inode and in a block
 *   ext2_acl.c     POSIX access ACLs kept in step with chmod
 *
 * Locking.  Every field of an ext2inode is protected by its vnode's lock
 * (n below) except where said.  um_lock (one per mount, taken below any
 * vnode lock and never held across I/O that can wait for another
 * um_lock holder) protects the allocation state: the in-memory super
 * block's free counts, the group descriptor array, and the bitmaps'
 * contents (bitmap buffers are changed only with um_lock held).  Buffer
 * contents are otherwise protected by the buffer's BUSY state (a thread
 * owns a buffer between ext2_bread/ext2_bget and ext2_brelse/bdwrite).
 *
 * Field annotations: c constant after mount, n the vnode lock, u um_lock.
 */
#ifndef _FS_EXT2_EXT2FS_H_
#define _FS_EXT2_EXT2FS_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/time.h>
#include <sys/vnode.h>

#include "ext2fs_format.h"

struct buf;
struct mount;
struct uio;

#define EXT2_SUPER_MAGIC 0xEF53		/* statfs f_type */

/* Which of the three names the mount was made with. */
#define EXT2_FLAVOUR_EXT2 2
#define EXT2_FLAVOUR_EXT3 3
#define EXT2_FLAVOUR_EXT4 4

/* Causes for ext2_error's once-per-mount logging (um_errlogged bits). */
#define EXT2_ERRLOG_MAX 32

/* A run of blocks. */
struct ext2_blkrun {
	uint64_t br_start;
	uint64_t br_len;
};

struct ext2mount {
	struct mount *um_mp;			/* c */
	struct vnode *um_devvp;			/* c: VBLK vnode, opened */
	dev_t um_dev;				/* c */
	int um_flavour;				/* c: EXT2_FLAVOUR_* */
	bool um_ronly;				/* c: read-only (asked or forced) */
	int um_openflags;			/* c: spec_open's fflags */

	struct ext2_super_block um_sb;		/* u: in-memory superblock */
	uint32_t um_compat;			/* c: feature words */
	uint32_t um_incompat;			/* c */
	uint32_t um_rocompat;			/* c */

	/* Geometry (c). */
	uint32_t um_bsize;			/* block size in bytes */
	uint32_t um_bshift;			/* log2(um_bsize) */
	uint32_t um_bsectors;			/* um_bsize / DEV_BSIZE */
	uint64_t um_blocks;			/* s_blocks_count (lo|hi) */
	uint32_t um_first_data_block;
	uint32_t um_bpg;			/* blocks per group */
	uint32_t um_ipg;			/* inodes per group */
	uint32_t um_ngroups;
	uint32_t um_inode_size;			/* bytes per on-disk inode */
	uint32_t um_ipb;			/* inodes per block */
	uint32_t um_itb_per_group;		/* inode table blocks */
	uint32_t um_first_ino;			/* first non-reserved inode */
	uint32_t um_desc_size;			/* 32 or s_desc_size */
	uint32_t um_descs_per_block;
	uint32_t um_gdb_count;			/* blocks of descriptors */
	uint32_t um_addr_per_block;		/* uint32_t per block */
	uint32_t um_csum_seed;			/* crc32c(~0, uuid) or seed */
	uint32_t um_hash_seed[4];
	int um_def_hash;			/* EXT2_HASH_*, unsigned-adjusted */
	uint64_t um_maxfilesize;		/* bytes */
	uint64_t um_maxfilesize_ext;		/* bytes, extent-mapped files */

	kmutex_t um_lock;
	uint8_t *um_gd;				/* u: ngroups * desc_size raw */
	bool um_sbdirty;			/* u: superblock to write */
	bool *um_gddirty;			/* u: per descriptor block */
	uint64_t um_free_blocks;		/* u */
	uint64_t um_free_inodes;		/* u */
	uint32_t um_last_dir_group;		/* u: Orlov-ish spreading */

	/* The system zone (ext2_alloc.c): the bitmaps, inode tables and
	 * the journal as sorted, merged runs of blocks (c: built at
	 * mount). */
	struct ext2_blkrun *um_sys;
	size_t um_nsys, um_sysmax;

	int um_errlogged[EXT2_ERRLOG_MAX];	/* log_once state */
	volatile int um_fs_error;		/* ext2_error ran: EXT2_ERROR_FS
						 * goes into s_state (any) */
	int um_errlog_any;			/* log_once: ext2_error */
};

/* In-core state bits (i_state). */
#define EXT2_IS_DIRTY 0x01		/* i_raw differs from disk */
#define EXT2_IS_GONE 0x02		/* freed: do not write back */

struct ext2inode {
	struct ext2mount *i_ump;		/* c */
	uint32_t i_ino;				/* c */
	struct vnode *i_vnode;			/* c */
	int i_state;				/* n: EXT2_IS_* */
	/* The whole on-disk inode, um_inode_size bytes (at least 160,
	 * zero past what the disk has); the on-disk flags are
	 * i_raw->i_flags. */
	struct ext2_dinode *i_raw;		/* n */
	size_t i_rawsize;			/* c */
	uint32_t i_dir_lastblk;			/* n: directory: add hint */
	uint32_t i_alloc_group;			/* n: allocation hint */
	uint64_t i_last_lblk;			/* n: last block mapped */
	uint64_t i_last_pblk;			/* n: its physical block */
};

#define VTOI(vp) ((struct ext2inode *)(vp)->v_data)
#define VFSTOEXT2(mp) ((struct ext2mount *)(mp)->mnt_data)

/* Feature tests. */
#define EXT2_HAS_COMPAT(ump, f) (((ump)->um_compat & (f)) != 0)
#define EXT2_HAS_INCOMPAT(ump, f) (((ump)->um_incompat & (f)) != 0)
#define EXT2_HAS_RO_COMPAT(ump, f) (((ump)->um_rocompat & (f)) != 0)
#define ext2_has_metadata_csum(ump) \
	EXT2_HAS_RO_COMPAT(ump, EXT4_FEATURE_RO_COMPAT_METADATA_CSUM)
#define ext2_has_gdt_csum(ump) \
	EXT2_HAS_RO_COMPAT(ump, EXT4_FEATURE_RO_COMPAT_GDT_CSUM)
#define ext2_has_64bit(ump) \
	EXT2_HAS_INCOMPAT(ump, EXT4_FEATURE_INCOMPAT_64BIT)
#define ext2_has_extents(ump) \
	EXT2_HAS_INCOMPAT(ump, EXT4_FEATURE_INCOMPAT_EXTENTS)

/* Group descriptor i of the in-memory array (um_lock for writers). */
static inline struct ext2_group_desc *
ext2_gd(const struct ext2mount *ump, uint32_t group)
{

	return (struct ext2_group_desc *)(ump->um_gd +
	    (size_t)group * ump->um_desc_size);
}

/* ext2_subr.c: blocks, errors, times. */
bool ext2_blk_valid(const struct ext2mount *, uint64_t blk, uint64_t count);
int ext2_bread(struct ext2mount *, uint64_t blk, struct buf **bpp);
int ext2_bget(struct ext2mount *, uint64_t blk, struct buf **bpp);
void ext2_bdwrite(struct ext2mount *, struct buf *);
void ext2_brelse(struct buf *);
void ext2_error(struct ext2mount *, const char *fmt, ...)
    __printflike(2, 3);
uint64_t ext2_gd_block_bitmap(const struct ext2mount *, uint32_t group);
uint64_t ext2_gd_inode_bitmap(const struct ext2mount *, uint32_t group);
uint64_t ext2_gd_inode_table(const struct ext2mount *, uint32_t group);
uint32_t ext2_gd_free_blocks(const struct ext2mount *, uint32_t group);
uint32_t ext2_gd_free_inodes(const struct ext2mount *, uint32_t group);
uint32_t ext2_gd_used_dirs(const struct ext2mount *, uint32_t group);
uint32_t ext2_gd_itable_unused(const struct ext2mount *, uint32_t group);
void ext2_gd_set_free_blocks(struct ext2mount *, uint32_t group, uint32_t);
void ext2_gd_set_free_inodes(struct ext2mount *, uint32_t group, uint32_t);
void ext2_gd_set_used_dirs(struct ext2mount *, uint32_t group, uint32_t);
void ext2_gd_set_itable_unused(struct ext2mount *, uint32_t group,
    uint32_t);
void ext2_gd_dirty(struct ext2mount *, uint32_t group);	/* um_lock */
int ext2_write_super(struct ext2mount *, bool wait);	/* sb and gds */
bool ext2_group_has_super(const struct ext2mount *, uint32_t group);
uint64_t ext2_gdb_location(const struct ext2mount *, uint32_t gdblock);
void ext2_time_now(struct timespec *);

/* ext2_inode.c */
int ext2_iget(struct ext2mount *, uint32_t ino, struct ext2inode **ipp);
void ext2_ifree_incore(struct ext2inode *);
bool ext2_inode_busy(struct ext2mount *, uint32_t ino);
bool ext2_inode_is_free(struct ext2mount *, uint32_t ino);
void ext2_inode_dirty(struct ext2inode *);
int ext2_inode_write(struct ext2inode *);
uint64_t ext2_i_size(const struct ext2inode *);
void ext2_i_set_size(struct ext2inode *, uint64_t);
uint64_t ext2_i_blocks512(const struct ext2inode *);
void ext2_add_blocks(struct ext2inode *, int64_t nfsblocks);
uint32_t ext2_i_uid(const struct ext2inode *);
uint32_t ext2_i_gid(const struct ext2inode *);
uint64_t ext2_i_file_acl(const struct ext2inode *);
void ext2_i_get_time(const struct ext2inode *, int which,
    struct timespec *);
void ext2_i_set_time(struct ext2inode *, int which,
    const struct timespec *);
#define EXT2_TIME_ATIME 0
#define EXT2_TIME_MTIME 1
#define EXT2_TIME_CTIME 2
#define EXT2_TIME_CRTIME 3
void ext2_itimes(struct ext2inode *, bool atime, bool mtime, bool ctime);
bool ext2_i_has_extra(const struct ext2inode *, size_t fieldend);
int ext2_bmap(struct ext2inode *, uint64_t lblk, bool alloc,
    uint64_t *pblk);
int ext2_bmap_run(struct ext2inode *, uint64_t lblk, uint64_t *pblk,
    uint64_t *lenp);	/* lblk.. mapped in a row (*pblk 0: a hole) */
int ext2_truncate(struct ext2inode *, uint64_t newsize);
int ext2_inode_init_blocks(struct ext2inode *);	/* new inode's i_block */
enum vtype ext2_mode_to_vtype(uint16_t mode);

/* ext2_alloc.c */
int ext2_blkalloc(struct ext2inode *, uint64_t goal, uint64_t *blkp);
int ext2_blkalloc_n(struct ext2inode *, uint64_t goal, uint64_t want,
    uint64_t *blkp, uint64_t *gotp);
void ext2_blkfree(struct ext2mount *, uint64_t blk, uint64_t count);
uint64_t ext2_blkgoal(struct ext2inode *, uint64_t lblk);
int ext2_ialloc(struct ext2inode *dir, uint16_t mode, uint32_t *inop);
void ext2_ifree(struct ext2mount *, uint32_t ino, bool isdir);
int ext2_count_free(struct ext2mount *);	/* at mount: check gds */
/* The system zone: blocks no file may point into (superblock copies,
 * descriptors, reserved GDT blocks, bitmaps, inode tables, journal). */
int ext2_sysmap_build(struct ext2mount *);	/* at mount */
void ext2_sysmap_free(struct ext2mount *);
bool ext2_blk_is_meta(const struct ext2mount *, uint64_t blk,
    uint64_t count);	/* blk..count: ext2_blk_valid */

/* ext2_dir.c */
struct ext2_lookup_result {
	uint32_t lr_ino;		/* the entry's inode */
	uint8_t lr_type;		/* its file_type */
	uint64_t lr_lblk;		/* block of the entry */
	uint32_t lr_off;		/* offset of the entry in it */
	uint32_t lr_prevoff;		/* offset of the previous entry, or
					 * UINT32_MAX: the entry is first */
};
int ext2_dir_lookup(struct ext2inode *dp, const char *name, size_t len,
    struct ext2_lookup_result *);	/* ENOENT */
int ext2_dir_add(struct ext2inode *dp, const char *name, size_t len,
    uint32_t ino, uint8_t ftype);
int ext2_dir_remove(struct ext2inode *dp, const struct ext2_lookup_result *);
int ext2_dir_set_ino(struct ext2inode *dp, const struct ext2_lookup_result *,
    uint32_t ino, uint8_t ftype);
int ext2_dir_init(struct ext2inode *dp, uint32_t parent);  /* "." ".." */
int ext2_dir_isempty(struct ext2inode *dp, bool *emptyp);
int ext2_dir_readdir(struct ext2inode *dp, struct uio *, int *eofp);
uint8_t ext2_vtype_to_ft(enum vtype);
int ext2_dir_check_block(struct ext2inode *dp, uint64_t lblk,
    const uint8_t *blk);	/* EUCLEAN: bad entries */
int ext2_dir_bread_raw(struct ext2inode *dp, uint64_t lblk,
    struct buf **bpp);		/* read, checked, csum verified */

/* ext2_htree.c */
int ext2_htree_leaves(struct ext2inode *dp, const char *name, size_t len,
    uint64_t *leaves, int *np);	/* ENOTSUP: search linearly */

/* ext2_xattr.c: the vnode operations (vnode.h) and the release of a
 * freed inode's attribute block (one reference less). */
int ext2_xattr_get(struct vnode *, const char *name, void *buf,
    size_t *sizep, kauth_cred_t);
int ext2_xattr_set(struct vnode *, const char *name, const void *value,
    size_t len, int flags, kauth_cred_t);
int ext2_xattr_list(struct vnode *, void *buf, size_t *sizep,
    kauth_cred_t);
void ext2_xattr_release(struct ext2inode *);
/* The same by name index and suffix, for names the VFS does not pass
 * (the POSIX ACLs); iset needs the vnode lock exclusively. */
int ext2_xattr_iget(struct ext2inode *, uint8_t index, const char *suf,
    size_t len, void *buf, size_t *sizep);
int ext2_xattr_iset(struct ext2inode *, uint8_t index, const char *suf,
    size_t len, const void *value, size_t size, int flags);

/* ext2_acl.c: a chmod's change of the access ACL (before the mode). */
int ext2_acl_chmod(struct ext2inode *, mode_t mode);

/* ext2_vfsops.c / ext2_vnops.c */
extern const struct vnodeops ext2_vnodeops;

/*
 * Implemented by B.  The extent tree (ext2_extent.c): called for an
 * inode with EXT4_EXTENTS_FL.  0 and *pblk 0: a hole (alloc false).
 */
int ext4_ext_bmap(struct ext2inode *, uint64_t lblk, bool alloc,
    uint64_t *pblk);
int ext4_ext_truncate(struct ext2inode *, uint64_t first_lblk_to_free);
int ext4_ext_init(struct ext2inode *);
int ext4_ext_validate_root(struct ext2inode *);
int ext4_ext_run(struct ext2inode *, uint64_t lblk, uint64_t *pblk,
    uint64_t *lenp);

/*
 * Checksums (ext2_csum.c).  A calls the *_verify/_set functions only
 * when metadata_csum is on (gd: also with gdt_csum).  verify: 0 or
 * EUCLEAN.
 */
uint32_t crc32c(uint32_t crc, const void *, size_t);
uint16_t crc16(uint16_t crc, const void *, size_t);
int ext2_csum_sb_verify(struct ext2mount *, const void *sbraw);
void ext2_csum_sb_set(struct ext2mount *, void *sbraw);
int ext2_csum_gd_verify(struct ext2mount *, uint32_t group, const void *gd);
void ext2_csum_gd_set(struct ext2mount *, uint32_t group, void *gd);
int ext2_csum_inode_verify(struct ext2mount *, uint32_t ino,
    const void *raw);
void ext2_csum_inode_set(struct ext2mount *, uint32_t ino, void *raw);
int ext2_csum_bitmap_verify(struct ext2mount *, uint32_t group,
    const void *bm, bool inode);
void ext2_csum_bitmap_set(struct ext2mount *, uint32_t group,
    const void *bm, bool inode);	/* stores into the gd (um_lock) */
int ext2_csum_dirblock_verify(struct ext2mount *, struct ext2inode *dir,
    const void *blk);		/* leaf tail or dx tail, as it finds */
void ext2_csum_dirblock_set(struct ext2mount *, struct ext2inode *dir,
    void *blk);
/* (B) Lay out the empty 12-byte checksum tail ending a leaf block. */
void ext2_dir_tail_init(struct ext2mount *, void *blk);
/* (B) crc32c(crc32c(um_csum_seed, ino), gen): an inode's own seed. */
uint32_t ext2_csum_inode_seed(const struct ext2mount *, uint32_t ino,
    uint32_t gen);
/* (B) For the unit tests: the crc tables match their polynomials. */
bool ext2_crc_tables_ok(void);
/* (B) crc32c without the CPU's instruction, for the unit tests. */
uint32_t crc32c_sw(uint32_t crc, const void *, size_t);

/* The journal (ext2_journal.c): replay at mount with needs_recovery;
 * clears EXT3_FEATURE_INCOMPAT_RECOVER in um_sb (and um_incompat) on
 * success.  EUCLEAN: corrupt journal. */
int ext2_journal_recover(struct ext2mount *);

#endif /* _FS_EXT2_EXT2FS_H_ */
