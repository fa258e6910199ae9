/*
 * ext2fs_format.h: the on-disk format of ext2, ext3 and ext4 (all but
 * the extent tree, ext2_extent.h, and the journal, ext2_journal.h), as
 * the published "ext4 Data Structures and Algorithms" layout describes
 * it: superblock, group descriptors (32 and 64 bytes), inodes with their
 * large-inode extra fields, directory entries with the checksum tail,
 * the htree index blocks, and the feature flags.
 *
 * Everything on disk is little-endian.  The kernel runs on little-endian
 * hosts only (checked below), so fields are plain integers and the
 * EXT2_LE* accessors are the identity; they mark where a value is read
 * from disk and let a big-endian port swap in one place.
 *
 * Locking: none (types and constants only).
 */
#ifndef _FS_EXT2_EXT2FS_FORMAT_H_
#define _FS_EXT2_EXT2FS_FORMAT_H_

#include <sys/types.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "ext2: only little-endian hosts are supported"
#endif
#define EXT2_LE16(x) ((uint16_t)(x))
#define EXT2_LE32(x) ((uint32_t)(x))
#define EXT2_LE64(x) ((uint64_t)(x))

/* The superblock: 1024 bytes at byte offset 1024 of the device. */
#define EXT2_SB_OFFSET 1024
#define EXT2_SB_SIZE 1024
#define EXT2_MAGIC 0xEF53

#define EXT2_MIN_BLOCK_LOG_SIZE 10	/* 1 KiB */
#define EXT2_MAX_BLOCK_LOG_SIZE 16	/* 64 KiB */
#define EXT2_MIN_BLOCK_SIZE (1 << EXT2_MIN_BLOCK_LOG_SIZE)
#define EXT2_MAX_BLOCK_SIZE (1 << EXT2_MAX_BLOCK_LOG_SIZE)

/* s_state */
#define EXT2_VALID_FS 0x0001		/* cleanly unmounted */
#define EXT2_ERROR_FS 0x0002		/* errors detected */
#define EXT3_ORPHAN_FS 0x0004		/* orphans being recovered */

/* s_errors */
#define EXT2_ERRORS_CONTINUE 1
#define EXT2_ERRORS_RO 2
#define EXT2_ERRORS_PANIC 3

/* s_creator_os */
#define EXT2_OS_LINUX 0

/* s_rev_level */
#define EXT2_GOOD_OLD_REV 0		/* 128-byte inodes, first ino 11 */
#define EXT2_DYNAMIC_REV 1

#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO 11

/* s_def_hash_version and dx_root_info.hash_version */
#define EXT2_HASH_LEGACY 0
#define EXT2_HASH_HALF_MD4 1
#define EXT2_HASH_TEA 2
#define EXT2_HASH_LEGACY_UNSIGNED 3
#define EXT2_HASH_HALF_MD4_UNSIGNED 4
#define EXT2_HASH_TEA_UNSIGNED 5
#define EXT2_HASH_SIPHASH 6

/* s_flags */
#define EXT2_FLAGS_SIGNED_HASH 0x0001
#define EXT2_FLAGS_UNSIGNED_HASH 0x0002
#define EXT2_FLAGS_TEST_FILESYS 0x0004

/* s_checksum_type */
#define EXT4_CRC32C_CHKSUM 1

struct ext2_super_block {
	uint32_t s_inodes_count;		/* 0x000 */
	uint32_t s_blocks_count_lo;
	uint32_t s_r_blocks_count_lo;
	uint32_t s_free_blocks_count_lo;
	uint32_t s_free_inodes_count;		/* 0x010 */
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;		/* block size 1024 << this */
	uint32_t s_log_cluster_size;
	uint32_t s_blocks_per_group;		/* 0x020 */
	uint32_t s_clusters_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;			/* 0x030 */
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;			/* 0x040 */
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;			/* 0x050 */
	uint16_t s_def_resgid;
	/* EXT2_DYNAMIC_REV */
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;		/* 0x060 */
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];			/* 0x068 */
	char s_volume_name[16];			/* 0x078 */
	char s_last_mounted[64];		/* 0x088 */
	uint32_t s_algorithm_usage_bitmap;	/* 0x0c8 */
	uint8_t s_prealloc_blocks;		/* 0x0cc */
	uint8_t s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks;		/* resize_inode */
	uint8_t s_journal_uuid[16];		/* 0x0d0 */
	uint32_t s_journal_inum;		/* 0x0e0 */
	uint32_t s_journal_dev;
	uint32_t s_last_orphan;
	uint32_t s_hash_seed[4];		/* 0x0ec */
	uint8_t s_def_hash_version;		/* 0x0fc */
	uint8_t s_jnl_backup_type;
	uint16_t s_desc_size;			/* 64bit: gd size */
	uint32_t s_default_mount_opts;		/* 0x100 */
	uint32_t s_first_meta_bg;
	uint32_t s_mkfs_time;
	uint32_t s_jnl_blocks[17];		/* 0x10c */
	/* 64bit */
	uint32_t s_blocks_count_hi;		/* 0x150 */
	uint32_t s_r_blocks_count_hi;
	uint32_t s_free_blocks_count_hi;
	uint16_t s_min_extra_isize;
	uint16_t s_want_extra_isize;
	uint32_t s_flags;			/* 0x160 */
	uint16_t s_raid_stride;
	uint16_t s_mmp_interval;
	uint64_t s_mmp_block;
	uint32_t s_raid_stripe_width;		/* 0x170 */
	uint8_t s_log_groups_per_flex;
	uint8_t s_checksum_type;
	uint16_t s_reserved_pad;
	uint64_t s_kbytes_written;		/* 0x178 */
	uint32_t s_snapshot_inum;		/* 0x180 */
	uint32_t s_snapshot_id;
	uint64_t s_snapshot_r_blocks_count;
	uint32_t s_snapshot_list;		/* 0x190 */
	uint32_t s_error_count;
	uint32_t s_first_error_time;
	uint32_t s_first_error_ino;
	uint64_t s_first_error_block;		/* 0x1a0 */
	uint8_t s_first_error_func[32];
	uint32_t s_first_error_line;		/* 0x1c8 */
	uint32_t s_last_error_time;
	uint32_t s_last_error_ino;		/* 0x1d0 */
	uint32_t s_last_error_line;
	uint64_t s_last_error_block;
	uint8_t s_last_error_func[32];		/* 0x1e0 */
	uint8_t s_mount_opts[64];		/* 0x200 */
	uint32_t s_usr_quota_inum;		/* 0x240 */
	uint32_t s_grp_quota_inum;
	uint32_t s_overhead_blocks;
	uint32_t s_backup_bgs[2];		/* sparse_super2 */
	uint8_t s_encrypt_algos[4];		/* 0x254 */
	uint8_t s_encrypt_pw_salt[16];		/* 0x258 */
	uint32_t s_lpf_ino;			/* 0x268 */
	uint32_t s_prj_quota_inum;
	uint32_t s_checksum_seed;		/* 0x270: csum_seed */
	uint8_t s_wtime_hi;
	uint8_t s_mtime_hi;
	uint8_t s_mkfs_time_hi;
	uint8_t s_lastcheck_hi;
	uint8_t s_first_error_time_hi;
	uint8_t s_last_error_time_hi;
	uint8_t s_first_error_errcode;
	uint8_t s_last_error_errcode;
	uint16_t s_encoding;			/* 0x27c: casefold */
	uint16_t s_encoding_flags;
	uint32_t s_orphan_file_inum;		/* 0x280 */
	uint32_t s_reserved[94];
	uint32_t s_checksum;			/* 0x3fc: crc32c of 0..0x3fb */
} __packed;

#define EXT2_SB_CSUM_OFFSET 0x3fc

/* s_feature_compat */
#define EXT2_FEATURE_COMPAT_DIR_PREALLOC 0x0001
#define EXT2_FEATURE_COMPAT_IMAGIC_INODES 0x0002
#define EXT3_FEATURE_COMPAT_HAS_JOURNAL 0x0004
#define EXT2_FEATURE_COMPAT_EXT_ATTR 0x0008
#define EXT2_FEATURE_COMPAT_RESIZE_INODE 0x0010
#define EXT2_FEATURE_COMPAT_DIR_INDEX 0x0020
#define EXT2_FEATURE_COMPAT_LAZY_BG 0x0040
#define EXT2_FEATURE_COMPAT_EXCLUDE_BITMAP 0x0100
#define EXT4_FEATURE_COMPAT_SPARSE_SUPER2 0x0200
#define EXT4_FEATURE_COMPAT_FAST_COMMIT 0x0400
#define EXT4_FEATURE_COMPAT_STABLE_INODES 0x0800
#define EXT4_FEATURE_COMPAT_ORPHAN_FILE 0x1000

/* s_feature_ro_compat */
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_FEATURE_RO_COMPAT_BTREE_DIR 0x0004
#define EXT4_FEATURE_RO_COMPAT_HUGE_FILE 0x0008
#define EXT4_FEATURE_RO_COMPAT_GDT_CSUM 0x0010
#define EXT4_FEATURE_RO_COMPAT_DIR_NLINK 0x0020
#define EXT4_FEATURE_RO_COMPAT_EXTRA_ISIZE 0x0040
#define EXT4_FEATURE_RO_COMPAT_HAS_SNAPSHOT 0x0080
#define EXT4_FEATURE_RO_COMPAT_QUOTA 0x0100
#define EXT4_FEATURE_RO_COMPAT_BIGALLOC 0x0200
#define EXT4_FEATURE_RO_COMPAT_METADATA_CSUM 0x0400
#define EXT4_FEATURE_RO_COMPAT_REPLICA 0x0800
#define EXT4_FEATURE_RO_COMPAT_READONLY 0x1000
#define EXT4_FEATURE_RO_COMPAT_PROJECT 0x2000
#define EXT4_FEATURE_RO_COMPAT_SHARED_BLOCKS 0x4000
#define EXT4_FEATURE_RO_COMPAT_VERITY 0x8000
#define EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT 0x10000

/* s_feature_incompat */
#define EXT2_FEATURE_INCOMPAT_COMPRESSION 0x0001
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
#define EXT3_FEATURE_INCOMPAT_RECOVER 0x0004
#define EXT3_FEATURE_INCOMPAT_JOURNAL_DEV 0x0008
#define EXT2_FEATURE_INCOMPAT_META_BG 0x0010
#define EXT4_FEATURE_INCOMPAT_EXTENTS 0x0040
#define EXT4_FEATURE_INCOMPAT_64BIT 0x0080
#define EXT4_FEATURE_INCOMPAT_MMP 0x0100
#define EXT4_FEATURE_INCOMPAT_FLEX_BG 0x0200
#define EXT4_FEATURE_INCOMPAT_EA_INODE 0x0400
#define EXT4_FEATURE_INCOMPAT_DIRDATA 0x1000
#define EXT4_FEATURE_INCOMPAT_CSUM_SEED 0x2000
#define EXT4_FEATURE_INCOMPAT_LARGEDIR 0x4000
#define EXT4_FEATURE_INCOMPAT_INLINE_DATA 0x8000
#define EXT4_FEATURE_INCOMPAT_ENCRYPT 0x10000
#define EXT4_FEATURE_INCOMPAT_CASEFOLD 0x20000

/* Group descriptors: 32 bytes, or s_desc_size (>= 64) with 64bit. */
#define EXT2_MIN_DESC_SIZE 32
#define EXT2_MIN_DESC_SIZE_64BIT 64
#define EXT2_MAX_DESC_SIZE 1024		/* and a power of two */

struct ext2_group_desc {
	uint32_t bg_block_bitmap_lo;		/* 0x00 */
	uint32_t bg_inode_bitmap_lo;
	uint32_t bg_inode_table_lo;
	uint16_t bg_free_blocks_count_lo;	/* 0x0c */
	uint16_t bg_free_inodes_count_lo;
	uint16_t bg_used_dirs_count_lo;		/* 0x10 */
	uint16_t bg_flags;
	uint32_t bg_exclude_bitmap_lo;
	uint16_t bg_block_bitmap_csum_lo;	/* 0x18 */
	uint16_t bg_inode_bitmap_csum_lo;
	uint16_t bg_itable_unused_lo;		/* 0x1c */
	uint16_t bg_checksum;			/* 0x1e */
	/* 64bit with s_desc_size >= 64 */
	uint32_t bg_block_bitmap_hi;		/* 0x20 */
	uint32_t bg_inode_bitmap_hi;
	uint32_t bg_inode_table_hi;
	uint16_t bg_free_blocks_count_hi;	/* 0x2c */
	uint16_t bg_free_inodes_count_hi;
	uint16_t bg_used_dirs_count_hi;		/* 0x30 */
	uint16_t bg_itable_unused_hi;
	uint32_t bg_exclude_bitmap_hi;
	uint16_t bg_block_bitmap_csum_hi;	/* 0x38 */
	uint16_t bg_inode_bitmap_csum_hi;
	uint32_t bg_reserved;
} __packed;

#define EXT2_GD_CSUM_OFFSET 0x1e

/* bg_flags */
#define EXT2_BG_INODE_UNINIT 0x0001	/* inode table and bitmap unused */
#define EXT2_BG_BLOCK_UNINIT 0x0002	/* block bitmap not initialised */
#define EXT2_BG_INODE_ZEROED 0x0004	/* inode table zeroed */

/* Reserved inode numbers. */
#define EXT2_BAD_INO 1
#define EXT2_ROOT_INO 2
#define EXT4_USR_QUOTA_INO 3
#define EXT4_GRP_QUOTA_INO 4
#define EXT2_BOOT_LOADER_INO 5
#define EXT2_UNDEL_DIR_INO 6
#define EXT2_RESIZE_INO 7
#define EXT2_JOURNAL_INO 8
#define EXT2_EXCLUDE_INO 9

/* i_block: 12 direct, one single, one double, one triple indirect. */
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK 12
#define EXT2_DIND_BLOCK 13
#define EXT2_TIND_BLOCK 14
#define EXT2_N_BLOCKS 15

/* A fast symbolic link keeps its target in i_block: under 60 bytes. */
#define EXT2_FAST_SYMLINK_MAX (EXT2_N_BLOCKS * 4 - 1)

struct ext2_dinode {
	uint16_t i_mode;			/* 0x00 */
	uint16_t i_uid;
	uint32_t i_size_lo;
	uint32_t i_atime;			/* 0x08 */
	uint32_t i_ctime;
	uint32_t i_mtime;			/* 0x10 */
	uint32_t i_dtime;
	uint16_t i_gid;				/* 0x18 */
	uint16_t i_links_count;
	uint32_t i_blocks_lo;			/* 0x1c */
	uint32_t i_flags;			/* 0x20 */
	uint32_t i_version;			/* osd1 (Linux: l_i_version) */
	uint32_t i_block[EXT2_N_BLOCKS];	/* 0x28 */
	uint32_t i_generation;			/* 0x64 */
	uint32_t i_file_acl_lo;
	uint32_t i_size_high;			/* 0x6c */
	uint32_t i_faddr;			/* obsolete */
	/* osd2, Linux's layout */
	uint16_t i_blocks_high;			/* 0x74 */
	uint16_t i_file_acl_high;
	uint16_t i_uid_high;			/* 0x78 */
	uint16_t i_gid_high;
	uint16_t i_checksum_lo;			/* 0x7c: metadata_csum */
	uint16_t i_reserved;
	/* Large inodes: s_inode_size > 128, i_extra_isize bytes. */
	uint16_t i_extra_isize;			/* 0x80 */
	uint16_t i_checksum_hi;			/* 0x82 */
	uint32_t i_ctime_extra;			/* 0x84 */
	uint32_t i_mtime_extra;			/* 0x88 */
	uint32_t i_atime_extra;			/* 0x8c */
	uint32_t i_crtime;			/* 0x90 */
	uint32_t i_crtime_extra;		/* 0x94 */
	uint32_t i_version_hi;			/* 0x98 */
	uint32_t i_projid;			/* 0x9c */
} __packed;

/* Offsets of the extra fields from the start of the inode: a field is
 * present when 128 + i_extra_isize covers its end. */
#define EXT2_INODE_EXTRA_START 128
#define EXT2_INODE_FIELD_END(f) \
	(__builtin_offsetof(struct ext2_dinode, f) + \
	 sizeof(((struct ext2_dinode *)0)->f))
#define EXT2_INODE_CSUM_LO_OFFSET 0x7c
#define EXT2_INODE_CSUM_HI_OFFSET 0x82

/* The *_extra time fields: bits 0-1 extend the seconds (epoch bits 32
 * and 33), bits 2-31 are the nanoseconds. */
#define EXT4_EPOCH_BITS 2
#define EXT4_EPOCH_MASK ((1 << EXT4_EPOCH_BITS) - 1)
#define EXT4_NSEC_MASK (~0U << EXT4_EPOCH_BITS)

/* i_mode file types (as S_IF*). */
#define EXT2_S_IFMT 0xF000
#define EXT2_S_IFSOCK 0xC000
#define EXT2_S_IFLNK 0xA000
#define EXT2_S_IFREG 0x8000
#define EXT2_S_IFBLK 0x6000
#define EXT2_S_IFDIR 0x4000
#define EXT2_S_IFCHR 0x2000
#define EXT2_S_IFIFO 0x1000

/* i_flags */
#define EXT2_SECRM_FL 0x00000001
#define EXT2_UNRM_FL 0x00000002
#define EXT2_COMPR_FL 0x00000004
#define EXT2_SYNC_FL 0x00000008
#define EXT2_IMMUTABLE_FL 0x00000010
#define EXT2_APPEND_FL 0x00000020
#define EXT2_NODUMP_FL 0x00000040
#define EXT2_NOATIME_FL 0x00000080
#define EXT2_DIRTY_FL 0x00000100
#define EXT2_COMPRBLK_FL 0x00000200
#define EXT2_NOCOMPR_FL 0x00000400
#define EXT4_ENCRYPT_FL 0x00000800
#define EXT2_BTREE_FL 0x00001000
#define EXT2_INDEX_FL 0x00001000	/* hashed directory */
#define EXT2_IMAGIC_FL 0x00002000
#define EXT3_JOURNAL_DATA_FL 0x00004000
#define EXT2_NOTAIL_FL 0x00008000
#define EXT2_DIRSYNC_FL 0x00010000
#define EXT2_TOPDIR_FL 0x00020000
#define EXT4_HUGE_FILE_FL 0x00040000	/* i_blocks in fs blocks */
#define EXT4_EXTENTS_FL 0x00080000
#define EXT4_VERITY_FL 0x00100000
#define EXT4_EA_INODE_FL 0x00200000
#define EXT4_DAX_FL 0x02000000
#define EXT4_INLINE_DATA_FL 0x10000000
#define EXT4_PROJINHERIT_FL 0x20000000
#define EXT4_CASEFOLD_FL 0x40000000

/* Old and new device number encodings in i_block[0] / i_block[1]. */
#define EXT2_OLD_DEV_MAJOR(v) (((v) >> 8) & 0xff)
#define EXT2_OLD_DEV_MINOR(v) ((v) & 0xff)
#define EXT2_NEW_DEV_MAJOR(v) (((v) & 0xfff00) >> 8)
#define EXT2_NEW_DEV_MINOR(v) (((v) & 0xff) | (((v) >> 12) & 0xfff00))

/* Directory entries. */
#define EXT2_NAME_LEN 255
#define EXT2_DIR_PAD 4
#define EXT2_DIR_ROUND (EXT2_DIR_PAD - 1)
#define EXT2_DIR_REC_LEN(namelen) (((namelen) + 8 + EXT2_DIR_ROUND) & \
	~EXT2_DIR_ROUND)
/* rec_len of 65536 (a 64 KiB block's only entry) is stored as 0 or
 * 65535; see ext2_rec_len_from_disk in ext2_dir.c. */
#define EXT2_MAX_REC_LEN ((1 << 16) - 1)

struct ext2_dir_entry {			/* without filetype */
	uint32_t inode;
	uint16_t rec_len;
	uint16_t name_len;
	char name[];
} __packed;

struct ext2_dir_entry_2 {		/* with filetype */
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;
	char name[];
} __packed;

/* file_type */
#define EXT2_FT_UNKNOWN 0
#define EXT2_FT_REG_FILE 1
#define EXT2_FT_DIR 2
#define EXT2_FT_CHRDEV 3
#define EXT2_FT_BLKDEV 4
#define EXT2_FT_FIFO 5
#define EXT2_FT_SOCK 6
#define EXT2_FT_SYMLINK 7
#define EXT2_FT_MAX 8
#define EXT2_FT_DIR_CSUM 0xDE		/* the checksum tail's file_type */

/* metadata_csum: a fake entry of 12 bytes ending each leaf block. */
struct ext2_dir_entry_tail {
	uint32_t det_reserved_zero1;		/* inode 0 */
	uint16_t det_rec_len;			/* 12 */
	uint8_t det_reserved_zero2;		/* name_len 0 */
	uint8_t det_reserved_ft;		/* EXT2_FT_DIR_CSUM */
	uint32_t det_checksum;			/* crc32c */
} __packed;
#define EXT2_DIR_TAIL_SIZE 12

/* htree (dir_index): block 0 of an indexed directory. */
struct ext2_dx_root_info {
	uint32_t reserved_zero;
	uint8_t hash_version;
	uint8_t info_length;			/* 8 */
	uint8_t indirect_levels;		/* 0..1, 0..2 with largedir */
	uint8_t unused_flags;
} __packed;

struct ext2_dx_entry {
	uint32_t hash;				/* first: the limit/count */
	uint32_t block;				/* logical block */
} __packed;

struct ext2_dx_countlimit {			/* overlays dx_entry 0's hash */
	uint16_t limit;
	uint16_t count;
} __packed;

/* dx_root: "." (12 bytes), ".." (rec_len to the block end), info, and
 * then the entries, the first of which is the countlimit and block. */
struct ext2_dx_root {
	uint32_t dot_inode;
	uint16_t dot_rec_len;			/* 12 */
	uint8_t dot_name_len;			/* 1 */
	uint8_t dot_file_type;
	char dot_name[4];			/* ".\0\0\0" */
	uint32_t dotdot_inode;
	uint16_t dotdot_rec_len;		/* block size - 12 */
	uint8_t dotdot_name_len;		/* 2 */
	uint8_t dotdot_file_type;
	char dotdot_name[4];			/* "..\0\0" */
	struct ext2_dx_root_info info;
	struct ext2_dx_entry entries[];
} __packed;

/* dx_node: an empty entry spanning the block, then the entries. */
struct ext2_dx_node {
	uint32_t fake_inode;			/* 0 */
	uint16_t fake_rec_len;			/* block size */
	uint8_t fake_name_len;			/* 0 */
	uint8_t fake_file_type;
	struct ext2_dx_entry entries[];
} __packed;

/* metadata_csum: after the last dx_entry slot of limit. */
struct ext2_dx_tail {
	uint32_t dt_reserved;
	uint32_t dt_checksum;			/* crc32c */
} __packed;

#define EXT2_DX_MAX_LEVELS 3			/* largedir: 3, else 2 */

/*
 * Extended attributes.  Two places hold them: the space of a large
 * inode after 128 + i_extra_isize (a 4-byte magic, then the entries;
 * their values are placed from the inode's end down, e_value_offs counted
 * from the first entry, e_hash 0) and one block, i_file_acl (the header,
 * then the entries sorted by name index, name length and name; values
 * from the block's end down, e_value_offs counted from the block's
 * start).  Entries are 4-byte aligned and end with 4 zero bytes; values
 * are padded to 4 bytes with zeros.  A block may be shared by several
 * inodes (h_refcount); each counts it in its i_blocks.
 */
#define EXT2_XATTR_MAGIC 0xEA020000

struct ext2_xattr_header {		/* the block's */
	uint32_t h_magic;			/* EXT2_XATTR_MAGIC */
	uint32_t h_refcount;			/* inodes that use it */
	uint32_t h_blocks;			/* 1 */
	uint32_t h_hash;			/* of the entries' hashes */
	uint32_t h_checksum;			/* metadata_csum: crc32c */
	uint32_t h_reserved[3];
} __packed;

struct ext2_xattr_entry {
	uint8_t e_name_len;			/* the name without its prefix */
	uint8_t e_name_index;			/* EXT2_XATTR_INDEX_*: prefix */
	uint16_t e_value_offs;
	uint32_t e_value_inum;			/* ea_inode: value's inode */
	uint32_t e_value_size;
	uint32_t e_hash;			/* of name and value; 0 in inode */
	char e_name[];				/* no NUL */
} __packed;

#define EXT2_XATTR_ROUND(n) (((n) + 3) & ~(size_t)3)
#define EXT2_XATTR_ENTRY_LEN(namelen) \
	EXT2_XATTR_ROUND(sizeof(struct ext2_xattr_entry) + (namelen))
#define EXT2_XATTR_IBODY_HDR 4			/* the in-inode magic */
#define EXT2_XATTR_END 4			/* the zero word after entries */

/* e_name_index */
#define EXT2_XATTR_INDEX_USER 1			/* "user." */
#define EXT2_XATTR_INDEX_POSIX_ACL_ACCESS 2	/* "system.posix_acl_access" */
#define EXT2_XATTR_INDEX_POSIX_ACL_DEFAULT 3	/* "system.posix_acl_default" */
#define EXT2_XATTR_INDEX_TRUSTED 4		/* "trusted." */
#define EXT2_XATTR_INDEX_SECURITY 6		/* "security." */
#define EXT2_XATTR_INDEX_SYSTEM 7		/* "system." (inline data) */

/* The hashes: an entry's hash mixes the name's bytes (unsigned) and
 * then the padded value's little-endian words into a word rotated left
 * by these; the block's hash the entries' hashes in order (0 if one is
 * 0). */
#define EXT2_XATTR_NAME_HASH_SHIFT 5
#define EXT2_XATTR_VALUE_HASH_SHIFT 16
#define EXT2_XATTR_BLOCK_HASH_SHIFT 16

/*
 * POSIX ACLs as ext2/3/4 keep them, in the attributes of name index 2
 * (system.posix_acl_access) and 3 (..._default) with an empty name: a
 * header (version 1), then the entries: 4 bytes (tag, permissions) for
 * the owner, the owning group, the mask and others, 8 bytes (with the
 * id) for a named user or group.  An ACL with named entries has all
 * four short ones, so its size says how many entries it holds.
 */
#define EXT2_ACL_VERSION 1
#define EXT2_ACL_HDR 4
#define EXT2_ACL_SHORT 4			/* e_tag, e_perm */
#define EXT2_ACL_LONG 8				/* e_tag, e_perm, e_id */

/* e_tag */
#define EXT2_ACL_USER_OBJ 0x01
#define EXT2_ACL_USER 0x02
#define EXT2_ACL_GROUP_OBJ 0x04
#define EXT2_ACL_GROUP 0x08
#define EXT2_ACL_MASK 0x10
#define EXT2_ACL_OTHER 0x20

_Static_assert(sizeof(struct ext2_super_block) == 1024, "sb size");
_Static_assert(sizeof(struct ext2_group_desc) == 64, "gd size");
_Static_assert(sizeof(struct ext2_dinode) == 160, "inode size");
_Static_assert(sizeof(struct ext2_dx_root) == 32, "dx_root size");
_Static_assert(sizeof(struct ext2_xattr_header) == 32, "xattr header size");
_Static_assert(sizeof(struct ext2_xattr_entry) == 16, "xattr entry size");

#endif /* _FS_EXT2_EXT2FS_FORMAT_H_ */
