/*
 * ext2_stubs.c: weak stand-ins for the extent, checksum and journal
 * functions (ext2_extent.c, ext2_csum.c, ext2_journal.c) so that the
 * driver links before they exist; the real ones, when linked, take
 * their place.  The mount code sees that the checksum code is missing
 * (crc32c of a known vector) and mounts such file systems read-only.
 *
 * Locking: none.
 */

#include <sys/types.h>
#include <sys/systm.h>

#include "ext2fs.h"

__attribute__((__weak__)) int
ext4_ext_bmap(struct ext2inode *ip __unused, uint64_t lblk __unused,
    bool alloc __unused, uint64_t *pblk)
{

	*pblk = 0;
	return EOPNOTSUPP;
}

__attribute__((__weak__)) int
ext4_ext_truncate(struct ext2inode *ip __unused, uint64_t first __unused)
{

	return EOPNOTSUPP;
}

__attribute__((__weak__)) int
ext4_ext_init(struct ext2inode *ip __unused)
{

	return EOPNOTSUPP;
}

__attribute__((__weak__)) int
ext4_ext_validate_root(struct ext2inode *ip __unused)
{

	return 0;
}

__attribute__((__weak__)) uint32_t
crc32c(uint32_t crc __unused, const void *p __unused, size_t n __unused)
{

	return 0;
}

__attribute__((__weak__)) uint16_t
crc16(uint16_t crc __unused, const void *p __unused, size_t n __unused)
{

	return 0;
}

__attribute__((__weak__)) int
ext2_csum_sb_verify(struct ext2mount *ump __unused, const void *sb __unused)
{

	return 0;
}

__attribute__((__weak__)) void
ext2_csum_sb_set(struct ext2mount *ump __unused, void *sb __unused)
{
}

__attribute__((__weak__)) int
ext2_csum_gd_verify(struct ext2mount *ump __unused, uint32_t g __unused,
    const void *gd __unused)
{

	return 0;
}

__attribute__((__weak__)) void
ext2_csum_gd_set(struct ext2mount *ump __unused, uint32_t g __unused,
    void *gd __unused)
{
}

__attribute__((__weak__)) int
ext2_csum_inode_verify(struct ext2mount *ump __unused, uint32_t ino __unused,
    const void *raw __unused)
{

	return 0;
}

__attribute__((__weak__)) void
ext2_csum_inode_set(struct ext2mount *ump __unused, uint32_t ino __unused,
    void *raw __unused)
{
}

__attribute__((__weak__)) int
ext2_csum_bitmap_verify(struct ext2mount *ump __unused, uint32_t g __unused,
    const void *bm __unused, bool inode __unused)
{

	return 0;
}

__attribute__((__weak__)) void
ext2_csum_bitmap_set(struct ext2mount *ump __unused, uint32_t g __unused,
    const void *bm __unused, bool inode __unused)
{
}

__attribute__((__weak__)) int
ext2_csum_dirblock_verify(struct ext2mount *ump __unused,
    struct ext2inode *dir __unused, const void *blk __unused)
{

	return 0;
}

__attribute__((__weak__)) void
ext2_csum_dirblock_set(struct ext2mount *ump __unused,
    struct ext2inode *dir __unused, void *blk __unused)
{
}

__attribute__((__weak__)) int
ext2_journal_recover(struct ext2mount *ump __unused)
{

	return EOPNOTSUPP;
}
