/*
 * ext2_journal.h: the on-disk format of the ext3/ext4 journal (jbd2), as
 * the published "ext4 Data Structures and Algorithms" describes it.
 * Unlike the rest of the file system, every journal field is BIG-endian:
 * read them through EXT2_BE16/32/64.
 *
 * The journal is a circular log in the blocks [s_first, s_maxlen) of the
 * journal inode (block 0 holds the journal superblock).  A transaction is
 * a run of descriptor blocks (each followed by the data blocks its tags
 * name), revoke blocks, and a commit block, all stamped with the
 * transaction's sequence number.  s_start == 0 means the log is empty.
 *
 * ext2_journal_recover() (ext2fs.h) replays it at mount.  Contract with
 * the core: call it after the superblock and group descriptors are
 * loaded (the journal inode must be readable); on success it has written
 * the replayed blocks home, emptied the log, cleared needs_recovery on
 * disk and in um_sb/um_incompat, and re-read um_sb from disk; the caller
 * must then re-read the group descriptors (the replay may have rewritten
 * them) before using them.  EUCLEAN: the journal is corrupt (nothing
 * written home); EINVAL: a journal we cannot replay (external journal,
 * unknown features, fast commits), with a message.
 *
 * Locking: none (types and constants only).
 */
#ifndef _FS_EXT2_EXT2_JOURNAL_H_
#define _FS_EXT2_EXT2_JOURNAL_H_

#include <sys/types.h>

#define EXT2_BE16(x) __builtin_bswap16(x)
#define EXT2_BE32(x) __builtin_bswap32(x)
#define EXT2_BE64(x) __builtin_bswap64(x)

#define JBD2_MAGIC 0xC03B3998U

/* h_blocktype */
#define JBD2_DESCRIPTOR_BLOCK 1
#define JBD2_COMMIT_BLOCK 2
#define JBD2_SUPERBLOCK_V1 3
#define JBD2_SUPERBLOCK_V2 4
#define JBD2_REVOKE_BLOCK 5
#define JBD2_FC_BLOCK 6

struct jbd2_header {
	uint32_t h_magic;
	uint32_t h_blocktype;
	uint32_t h_sequence;		/* the transaction */
} __packed;

/* s_feature_compat */
#define JBD2_FEATURE_COMPAT_CHECKSUM 0x00000001	/* v1 commit crc32 */
/* s_feature_incompat */
#define JBD2_FEATURE_INCOMPAT_REVOKE 0x00000001
#define JBD2_FEATURE_INCOMPAT_64BIT 0x00000002
#define JBD2_FEATURE_INCOMPAT_ASYNC_COMMIT 0x00000004
#define JBD2_FEATURE_INCOMPAT_CSUM_V2 0x00000008
#define JBD2_FEATURE_INCOMPAT_CSUM_V3 0x00000010
#define JBD2_FEATURE_INCOMPAT_FAST_COMMIT 0x00000020
#define JBD2_KNOWN_INCOMPAT (JBD2_FEATURE_INCOMPAT_REVOKE | \
	JBD2_FEATURE_INCOMPAT_64BIT | JBD2_FEATURE_INCOMPAT_ASYNC_COMMIT | \
	JBD2_FEATURE_INCOMPAT_CSUM_V2 | JBD2_FEATURE_INCOMPAT_CSUM_V3 | \
	JBD2_FEATURE_INCOMPAT_FAST_COMMIT)

/* s_checksum_type */
#define JBD2_CRC32C_CHKSUM 4

struct jbd2_superblock {
	struct jbd2_header s_header;		/* 0x00 */
	uint32_t s_blocksize;			/* 0x0c */
	uint32_t s_maxlen;			/* 0x10: journal blocks */
	uint32_t s_first;			/* 0x14: first log block */
	uint32_t s_sequence;			/* 0x18: first tid */
	uint32_t s_start;			/* 0x1c: log start; 0: empty */
	int32_t s_errno;			/* 0x20 */
	/* v2 */
	uint32_t s_feature_compat;		/* 0x24 */
	uint32_t s_feature_incompat;		/* 0x28 */
	uint32_t s_feature_ro_compat;		/* 0x2c */
	uint8_t s_uuid[16];			/* 0x30 */
	uint32_t s_nr_users;			/* 0x40 */
	uint32_t s_dynsuper;			/* 0x44 */
	uint32_t s_max_transaction;		/* 0x48 */
	uint32_t s_max_trans_data;		/* 0x4c */
	uint8_t s_checksum_type;		/* 0x50 */
	uint8_t s_padding2[3];
	uint32_t s_num_fc_blks;			/* 0x54 */
	uint32_t s_head;			/* 0x58 */
	uint32_t s_padding[40];			/* 0x5c */
	uint32_t s_checksum;			/* 0xfc: csum v2/v3 */
	uint8_t s_users[16 * 48];		/* 0x100 */
} __packed;

#define JBD2_SB_SIZE 1024

/* Descriptor block tags.  t_flags: */
#define JBD2_FLAG_ESCAPE 1		/* began with JBD2_MAGIC: zeroed */
#define JBD2_FLAG_SAME_UUID 2		/* else 16 bytes of uuid follow */
#define JBD2_FLAG_DELETED 4
#define JBD2_FLAG_LAST_TAG 8

/* Without csum v3: 8 bytes, +4 with 64bit (t_blocknr_high), +2 with
 * csum v2 (a quirk of the format: the tag grows by two bytes). */
struct jbd2_block_tag {
	uint32_t t_blocknr;
	uint16_t t_checksum;		/* csum v2: low 16 bits */
	uint16_t t_flags;
	uint32_t t_blocknr_high;	/* 64bit */
} __packed;

/* csum v3: always 16 bytes. */
struct jbd2_block_tag3 {
	uint32_t t_blocknr;
	uint32_t t_flags;
	uint32_t t_blocknr_high;	/* 64bit */
	uint32_t t_checksum;		/* crc32c(seq, data) */
} __packed;

/* csum v2/v3: the last 4 bytes of descriptor and revoke blocks. */
struct jbd2_block_tail {
	uint32_t t_checksum;		/* crc32c of the block, this 0 */
} __packed;

struct jbd2_revoke_header {
	struct jbd2_header r_header;
	uint32_t r_count;		/* bytes used, this header included */
} __packed;

struct jbd2_commit_block {
	struct jbd2_header h_header;
	uint8_t h_chksum_type;
	uint8_t h_chksum_size;
	uint8_t h_padding[2];
	uint32_t h_chksum[8];		/* csum v2/v3: [0], of the block */
	uint64_t h_commit_sec;
	uint32_t h_commit_nsec;
} __packed;

_Static_assert(sizeof(struct jbd2_superblock) == JBD2_SB_SIZE, "jsb size");
_Static_assert(sizeof(struct jbd2_block_tag) == 12, "tag size");
_Static_assert(sizeof(struct jbd2_block_tag3) == 16, "tag3 size");
_Static_assert(sizeof(struct jbd2_revoke_header) == 16, "revoke size");

#endif /* _FS_EXT2_EXT2_JOURNAL_H_ */
