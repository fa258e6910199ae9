/*
 * ext2_csum.c: the checksums of ext4: crc32c (Castagnoli) and crc16, and
 * the metadata_csum / gdt_csum functions that compute, check and store
 * them for each kind of metadata block, as the published "ext4 Data
 * Structures and Algorithms" describes what each one covers.
 *
 * crc32c() here is the raw reflected CRC register update, with no
 * inversion on entry or exit, as ext4 chains it: every ext4 checksum
 * starts from ~0 (the superblock) or from the per-file-system seed
 * um_csum_seed = crc32c(~0, uuid) and is stored as the register value.
 * The textbook CRC-32C of a message is ~crc32c(~0, msg, len).  crc16()
 * is the reflected CRC-16 with polynomial 0x8005 (0xA001 reflected),
 * also without inversions; gdt_csum starts it from ~0.
 *
 * The verify functions return 0 or EUCLEAN (and log through ext2_error);
 * the set functions store the checksum in place.  The core calls them
 * only when metadata_csum (or, for group descriptors, gdt_csum) is on.
 *
 * Locking: none of its own; the caller owns the buffer or the in-core
 * copy it passes (the buffer busy, the group descriptors under um_lock).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>

#include "ext2fs.h"
#include "ext2_extent.h"

/*
 * The CRC of each byte value, polynomial 0x82F63B78 (Castagnoli,
 * reflected); computed by the loop that crc32c_table_check() (for the
 * unit tests) runs again.
 */
static const uint32_t crc32c_table[256] = {
	0x00000000, 0xf26b8303, 0xe13b70f7, 0x1350f3f4,
	0xc79a971f, 0x35f1141c, 0x26a1e7e8, 0xd4ca64eb,
	0x8ad958cf, 0x78b2dbcc, 0x6be22838, 0x9989ab3b,
	0x4d43cfd0, 0xbf284cd3, 0xac78bf27, 0x5e133c24,
	0x105ec76f, 0xe235446c, 0xf165b798, 0x030e349b,
	0xd7c45070, 0x25afd373, 0x36ff2087, 0xc494a384,
	0x9a879fa0, 0x68ec1ca3, 0x7bbcef57, 0x89d76c54,
	0x5d1d08bf, 0xaf768bbc, 0xbc267848, 0x4e4dfb4b,
	0x20bd8ede, 0xd2d60ddd, 0xc186fe29, 0x33ed7d2a,
	0xe72719c1, 0x154c9ac2, 0x061c6936, 0xf477ea35,
	0xaa64d611, 0x580f5512, 0x4b5fa6e6, 0xb93425e5,
	0x6dfe410e, 0x9f95c20d, 0x8cc531f9, 0x7eaeb2fa,
	0x30e349b1, 0xc288cab2, 0xd1d83946, 0x23b3ba45,
	0xf779deae, 0x05125dad, 0x1642ae59, 0xe4292d5a,
	0xba3a117e, 0x4851927d, 0x5b016189, 0xa96ae28a,
	0x7da08661, 0x8fcb0562, 0x9c9bf696, 0x6ef07595,
	0x417b1dbc, 0xb3109ebf, 0xa0406d4b, 0x522bee48,
	0x86e18aa3, 0x748a09a0, 0x67dafa54, 0x95b17957,
	0xcba24573, 0x39c9c670, 0x2a993584, 0xd8f2b687,
	0x0c38d26c, 0xfe53516f, 0xed03a29b, 0x1f682198,
	0x5125dad3, 0xa34e59d0, 0xb01eaa24, 0x42752927,
	0x96bf4dcc, 0x64d4cecf, 0x77843d3b, 0x85efbe38,
	0xdbfc821c, 0x2997011f, 0x3ac7f2eb, 0xc8ac71e8,
	0x1c661503, 0xee0d9600, 0xfd5d65f4, 0x0f36e6f7,
	0x61c69362, 0x93ad1061, 0x80fde395, 0x72966096,
	0xa65c047d, 0x5437877e, 0x4767748a, 0xb50cf789,
	0xeb1fcbad, 0x197448ae, 0x0a24bb5a, 0xf84f3859,
	0x2c855cb2, 0xdeeedfb1, 0xcdbe2c45, 0x3fd5af46,
	0x7198540d, 0x83f3d70e, 0x90a324fa, 0x62c8a7f9,
	0xb602c312, 0x44694011, 0x5739b3e5, 0xa55230e6,
	0xfb410cc2, 0x092a8fc1, 0x1a7a7c35, 0xe811ff36,
	0x3cdb9bdd, 0xceb018de, 0xdde0eb2a, 0x2f8b6829,
	0x82f63b78, 0x709db87b, 0x63cd4b8f, 0x91a6c88c,
	0x456cac67, 0xb7072f64, 0xa457dc90, 0x563c5f93,
	0x082f63b7, 0xfa44e0b4, 0xe9141340, 0x1b7f9043,
	0xcfb5f4a8, 0x3dde77ab, 0x2e8e845f, 0xdce5075c,
	0x92a8fc17, 0x60c37f14, 0x73938ce0, 0x81f80fe3,
	0x55326b08, 0xa759e80b, 0xb4091bff, 0x466298fc,
	0x1871a4d8, 0xea1a27db, 0xf94ad42f, 0x0b21572c,
	0xdfeb33c7, 0x2d80b0c4, 0x3ed04330, 0xccbbc033,
	0xa24bb5a6, 0x502036a5, 0x4370c551, 0xb11b4652,
	0x65d122b9, 0x97baa1ba, 0x84ea524e, 0x7681d14d,
	0x2892ed69, 0xdaf96e6a, 0xc9a99d9e, 0x3bc21e9d,
	0xef087a76, 0x1d63f975, 0x0e330a81, 0xfc588982,
	0xb21572c9, 0x407ef1ca, 0x532e023e, 0xa145813d,
	0x758fe5d6, 0x87e466d5, 0x94b49521, 0x66df1622,
	0x38cc2a06, 0xcaa7a905, 0xd9f75af1, 0x2b9cd9f2,
	0xff56bd19, 0x0d3d3e1a, 0x1e6dcdee, 0xec064eed,
	0xc38d26c4, 0x31e6a5c7, 0x22b65633, 0xd0ddd530,
	0x0417b1db, 0xf67c32d8, 0xe52cc12c, 0x1747422f,
	0x49547e0b, 0xbb3ffd08, 0xa86f0efc, 0x5a048dff,
	0x8ecee914, 0x7ca56a17, 0x6ff599e3, 0x9d9e1ae0,
	0xd3d3e1ab, 0x21b862a8, 0x32e8915c, 0xc083125f,
	0x144976b4, 0xe622f5b7, 0xf5720643, 0x07198540,
	0x590ab964, 0xab613a67, 0xb831c993, 0x4a5a4a90,
	0x9e902e7b, 0x6cfbad78, 0x7fab5e8c, 0x8dc0dd8f,
	0xe330a81a, 0x115b2b19, 0x020bd8ed, 0xf0605bee,
	0x24aa3f05, 0xd6c1bc06, 0xc5914ff2, 0x37faccf1,
	0x69e9f0d5, 0x9b8273d6, 0x88d28022, 0x7ab90321,
	0xae7367ca, 0x5c18e4c9, 0x4f48173d, 0xbd23943e,
	0xf36e6f75, 0x0105ec76, 0x12551f82, 0xe03e9c81,
	0x34f4f86a, 0xc69f7b69, 0xd5cf889d, 0x27a40b9e,
	0x79b737ba, 0x8bdcb4b9, 0x988c474d, 0x6ae7c44e,
	0xbe2da0a5, 0x4c4623a6, 0x5f16d052, 0xad7d5351,
};

/* The CRC-16 of each byte value, polynomial 0xA001 (0x8005 reflected). */
static const uint16_t crc16_table[256] = {
	0x0000, 0xc0c1, 0xc181, 0x0140, 0xc301, 0x03c0, 0x0280, 0xc241,
	0xc601, 0x06c0, 0x0780, 0xc741, 0x0500, 0xc5c1, 0xc481, 0x0440,
	0xcc01, 0x0cc0, 0x0d80, 0xcd41, 0x0f00, 0xcfc1, 0xce81, 0x0e40,
	0x0a00, 0xcac1, 0xcb81, 0x0b40, 0xc901, 0x09c0, 0x0880, 0xc841,
	0xd801, 0x18c0, 0x1980, 0xd941, 0x1b00, 0xdbc1, 0xda81, 0x1a40,
	0x1e00, 0xdec1, 0xdf81, 0x1f40, 0xdd01, 0x1dc0, 0x1c80, 0xdc41,
	0x1400, 0xd4c1, 0xd581, 0x1540, 0xd701, 0x17c0, 0x1680, 0xd641,
	0xd201, 0x12c0, 0x1380, 0xd341, 0x1100, 0xd1c1, 0xd081, 0x1040,
	0xf001, 0x30c0, 0x3180, 0xf141, 0x3300, 0xf3c1, 0xf281, 0x3240,
	0x3600, 0xf6c1, 0xf781, 0x3740, 0xf501, 0x35c0, 0x3480, 0xf441,
	0x3c00, 0xfcc1, 0xfd81, 0x3d40, 0xff01, 0x3fc0, 0x3e80, 0xfe41,
	0xfa01, 0x3ac0, 0x3b80, 0xfb41, 0x3900, 0xf9c1, 0xf881, 0x3840,
	0x2800, 0xe8c1, 0xe981, 0x2940, 0xeb01, 0x2bc0, 0x2a80, 0xea41,
	0xee01, 0x2ec0, 0x2f80, 0xef41, 0x2d00, 0xedc1, 0xec81, 0x2c40,
	0xe401, 0x24c0, 0x2580, 0xe541, 0x2700, 0xe7c1, 0xe681, 0x2640,
	0x2200, 0xe2c1, 0xe381, 0x2340, 0xe101, 0x21c0, 0x2080, 0xe041,
	0xa001, 0x60c0, 0x6180, 0xa141, 0x6300, 0xa3c1, 0xa281, 0x6240,
	0x6600, 0xa6c1, 0xa781, 0x6740, 0xa501, 0x65c0, 0x6480, 0xa441,
	0x6c00, 0xacc1, 0xad81, 0x6d40, 0xaf01, 0x6fc0, 0x6e80, 0xae41,
	0xaa01, 0x6ac0, 0x6b80, 0xab41, 0x6900, 0xa9c1, 0xa881, 0x6840,
	0x7800, 0xb8c1, 0xb981, 0x7940, 0xbb01, 0x7bc0, 0x7a80, 0xba41,
	0xbe01, 0x7ec0, 0x7f80, 0xbf41, 0x7d00, 0xbdc1, 0xbc81, 0x7c40,
	0xb401, 0x74c0, 0x7580, 0xb541, 0x7700, 0xb7c1, 0xb681, 0x7640,
	0x7200, 0xb2c1, 0xb381, 0x7340, 0xb101, 0x71c0, 0x7080, 0xb041,
	0x5000, 0x90c1, 0x9181, 0x5140, 0x9301, 0x53c0, 0x5280, 0x9241,
	0x9601, 0x56c0, 0x5780, 0x9741, 0x5500, 0x95c1, 0x9481, 0x5440,
	0x9c01, 0x5cc0, 0x5d80, 0x9d41, 0x5f00, 0x9fc1, 0x9e81, 0x5e40,
	0x5a00, 0x9ac1, 0x9b81, 0x5b40, 0x9901, 0x59c0, 0x5880, 0x9841,
	0x8801, 0x48c0, 0x4980, 0x8941, 0x4b00, 0x8bc1, 0x8a81, 0x4a40,
	0x4e00, 0x8ec1, 0x8f81, 0x4f40, 0x8d01, 0x4dc0, 0x4c80, 0x8c41,
	0x4400, 0x84c1, 0x8581, 0x4540, 0x8701, 0x47c0, 0x4680, 0x8641,
	0x8201, 0x42c0, 0x4380, 0x8341, 0x4100, 0x81c1, 0x8081, 0x4040,
};

uint32_t
crc32c(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len-- > 0)
		crc = crc32c_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

uint16_t
crc16(uint16_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len-- > 0)
		crc = crc16_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

/* For the unit tests: the tables are what their polynomials give. */
bool
ext2_crc_tables_ok(void)
{
	uint32_t c32;
	uint16_t c16;
	unsigned int b, k;

	for (b = 0; b < 256; b++) {
		c32 = b;
		c16 = (uint16_t)b;
		for (k = 0; k < 8; k++) {
			c32 = (c32 >> 1) ^ ((c32 & 1) ? 0x82F63B78U : 0);
			c16 = (uint16_t)((c16 >> 1) ^ ((c16 & 1) ? 0xA001 : 0));
		}
		if (crc32c_table[b] != c32 || crc16_table[b] != c16)
			return false;
	}
	return true;
}

static uint32_t
crc32c_le32(uint32_t crc, uint32_t v)
{
	uint32_t le = EXT2_LE32(v);

	return crc32c(crc, &le, sizeof(le));
}

/* crc32c of buf[from, to), the bytes of [skip, skip + skiplen) as zeros. */
static uint32_t
crc32c_skip(uint32_t crc, const uint8_t *buf, size_t from, size_t to,
    size_t skip, size_t skiplen)
{
	static const uint8_t zeros[8];

	KASSERT(skiplen <= sizeof(zeros));
	if (skip < from || skip + skiplen > to)
		return crc32c(crc, buf + from, to - from);
	crc = crc32c(crc, buf + from, skip - from);
	crc = crc32c(crc, zeros, skiplen);
	return crc32c(crc, buf + skip + skiplen, to - skip - skiplen);
}

/* The seed of an inode's own checksums: uuid, inode number, generation. */
uint32_t
ext2_csum_inode_seed(const struct ext2mount *ump, uint32_t ino, uint32_t gen)
{

	return crc32c_le32(crc32c_le32(ump->um_csum_seed, ino), gen);
}

/*
 * The superblock: crc32c from ~0 over everything before s_checksum.
 */
static uint32_t
ext2_csum_sb(const void *sbraw)
{

	return crc32c(~0U, sbraw, EXT2_SB_CSUM_OFFSET);
}

int
ext2_csum_sb_verify(struct ext2mount *ump, const void *sbraw)
{
	const struct ext2_super_block *sb = sbraw;

	if (sb->s_checksum_type != EXT4_CRC32C_CHKSUM) {
		ext2_error(ump, "superblock: unknown checksum type %u",
		    sb->s_checksum_type);
		return EUCLEAN;
	}
	if (EXT2_LE32(sb->s_checksum) != ext2_csum_sb(sbraw)) {
		ext2_error(ump, "superblock: bad checksum");
		return EUCLEAN;
	}
	return 0;
}

void
ext2_csum_sb_set(struct ext2mount *ump, void *sbraw)
{
	struct ext2_super_block *sb = sbraw;

	(void)ump;
	sb->s_checksum = EXT2_LE32(ext2_csum_sb(sbraw));
}

/*
 * A group descriptor, um_desc_size bytes with bg_checksum zeroed,
 * preceded by the group number: the low 16 bits of crc32c from the seed
 * (metadata_csum), or crc16 from ~0 over the uuid first (gdt_csum), where
 * a 32-byte descriptor of a non-64bit file system covers only its 32.
 */
static uint16_t
ext2_csum_gd(const struct ext2mount *ump, uint32_t group, const void *gd)
{
	const uint8_t *p = gd;
	size_t size = ump->um_desc_size;
	uint32_t legroup = EXT2_LE32(group);
	uint16_t c16;

	if (ext2_has_metadata_csum(ump)) {
		return (uint16_t)crc32c_skip(crc32c_le32(ump->um_csum_seed,
		    group), p, 0, size, EXT2_GD_CSUM_OFFSET, 2);
	}
	c16 = crc16(0xFFFF, ump->um_sb.s_uuid, sizeof(ump->um_sb.s_uuid));
	c16 = crc16(c16, &legroup, sizeof(legroup));
	c16 = crc16(c16, p, EXT2_GD_CSUM_OFFSET);
	if (ext2_has_64bit(ump) && size > EXT2_GD_CSUM_OFFSET + 2)
		c16 = crc16(c16, p + EXT2_GD_CSUM_OFFSET + 2,
		    size - EXT2_GD_CSUM_OFFSET - 2);
	return c16;
}

int
ext2_csum_gd_verify(struct ext2mount *ump, uint32_t group, const void *gd)
{
	const struct ext2_group_desc *d = gd;

	if (!ext2_has_metadata_csum(ump) && !ext2_has_gdt_csum(ump))
		return 0;
	if (EXT2_LE16(d->bg_checksum) != ext2_csum_gd(ump, group, gd)) {
		ext2_error(ump, "group descriptor %u: bad checksum", group);
		return EUCLEAN;
	}
	return 0;
}

void
ext2_csum_gd_set(struct ext2mount *ump, uint32_t group, void *gd)
{
	struct ext2_group_desc *d = gd;

	if (!ext2_has_metadata_csum(ump) && !ext2_has_gdt_csum(ump))
		return;
	d->bg_checksum = EXT2_LE16(ext2_csum_gd(ump, group, gd));
}

/*
 * An inode: crc32c from its seed over um_inode_size bytes with
 * i_checksum_lo and (when i_extra_isize covers it) i_checksum_hi zeroed.
 * *hasHi says whether the checksum is 32 bits or only its low 16.
 */
static uint32_t
ext2_csum_inode(const struct ext2mount *ump, uint32_t ino, const void *raw,
    bool *hashi)
{
	const struct ext2_dinode *di = raw;
	const uint8_t *p = raw;
	size_t isize = ump->um_inode_size;
	uint32_t crc;

	crc = ext2_csum_inode_seed(ump, ino, EXT2_LE32(di->i_generation));
	crc = crc32c_skip(crc, p, 0, EXT2_GOOD_OLD_INODE_SIZE,
	    EXT2_INODE_CSUM_LO_OFFSET, 2);
	*hashi = false;
	if (isize <= EXT2_GOOD_OLD_INODE_SIZE)
		return crc;
	if (EXT2_GOOD_OLD_INODE_SIZE + (size_t)EXT2_LE16(di->i_extra_isize) >=
	    EXT2_INODE_FIELD_END(i_checksum_hi) &&
	    EXT2_GOOD_OLD_INODE_SIZE + (size_t)EXT2_LE16(di->i_extra_isize) <=
	    isize)
		*hashi = true;
	return crc32c_skip(crc, p, EXT2_GOOD_OLD_INODE_SIZE, isize,
	    *hashi ? EXT2_INODE_CSUM_HI_OFFSET : isize, 2);
}

int
ext2_csum_inode_verify(struct ext2mount *ump, uint32_t ino, const void *raw)
{
	const struct ext2_dinode *di = raw;
	uint32_t crc, stored;
	bool hashi;

	crc = ext2_csum_inode(ump, ino, raw, &hashi);
	stored = EXT2_LE16(di->i_checksum_lo);
	if (hashi)
		stored |= (uint32_t)EXT2_LE16(di->i_checksum_hi) << 16;
	else
		crc &= 0xFFFF;
	if (crc != stored) {
		ext2_error(ump, "inode %u: bad checksum", ino);
		return EUCLEAN;
	}
	return 0;
}

void
ext2_csum_inode_set(struct ext2mount *ump, uint32_t ino, void *raw)
{
	struct ext2_dinode *di = raw;
	uint32_t crc;
	bool hashi;

	crc = ext2_csum_inode(ump, ino, raw, &hashi);
	di->i_checksum_lo = EXT2_LE16((uint16_t)crc);
	if (hashi)
		di->i_checksum_hi = EXT2_LE16((uint16_t)(crc >> 16));
}

/*
 * Bitmaps: crc32c from the seed over the group's bits (inodes per group
 * or blocks per group, in bytes), stored in the descriptor: low 16 bits,
 * and the high 16 where the descriptor is large enough to hold them.
 */
static uint32_t
ext2_csum_bitmap(const struct ext2mount *ump, const void *bm, bool inode)
{
	size_t len = (inode ? ump->um_ipg : ump->um_bpg) / 8;

	return crc32c(ump->um_csum_seed, bm, len);
}

#define EXT2_GD_HAS(ump, f) ((ump)->um_desc_size >= \
	__builtin_offsetof(struct ext2_group_desc, f) + sizeof(uint16_t))

int
ext2_csum_bitmap_verify(struct ext2mount *ump, uint32_t group,
    const void *bm, bool inode)
{
	const struct ext2_group_desc *gd = ext2_gd(ump, group);
	uint32_t crc, stored;
	bool hashi;

	crc = ext2_csum_bitmap(ump, bm, inode);
	if (inode) {
		stored = EXT2_LE16(gd->bg_inode_bitmap_csum_lo);
		hashi = EXT2_GD_HAS(ump, bg_inode_bitmap_csum_hi);
		if (hashi)
			stored |= (uint32_t)EXT2_LE16(
			    gd->bg_inode_bitmap_csum_hi) << 16;
	} else {
		stored = EXT2_LE16(gd->bg_block_bitmap_csum_lo);
		hashi = EXT2_GD_HAS(ump, bg_block_bitmap_csum_hi);
		if (hashi)
			stored |= (uint32_t)EXT2_LE16(
			    gd->bg_block_bitmap_csum_hi) << 16;
	}
	if (!hashi)
		crc &= 0xFFFF;
	if (crc != stored) {
		ext2_error(ump, "group %u: %s bitmap: bad checksum", group,
		    inode ? "inode" : "block");
		return EUCLEAN;
	}
	return 0;
}

void
ext2_csum_bitmap_set(struct ext2mount *ump, uint32_t group, const void *bm,
    bool inode)
{
	struct ext2_group_desc *gd = ext2_gd(ump, group);
	uint32_t crc;

	crc = ext2_csum_bitmap(ump, bm, inode);
	if (inode) {
		gd->bg_inode_bitmap_csum_lo = EXT2_LE16((uint16_t)crc);
		if (EXT2_GD_HAS(ump, bg_inode_bitmap_csum_hi))
			gd->bg_inode_bitmap_csum_hi =
			    EXT2_LE16((uint16_t)(crc >> 16));
	} else {
		gd->bg_block_bitmap_csum_lo = EXT2_LE16((uint16_t)crc);
		if (EXT2_GD_HAS(ump, bg_block_bitmap_csum_hi))
			gd->bg_block_bitmap_csum_hi =
			    EXT2_LE16((uint16_t)(crc >> 16));
	}
}

/*
 * Directory blocks.  A leaf ends with a 12-byte fake entry (inode 0,
 * rec_len 12, name_len 0, file_type 0xDE) whose last 4 bytes hold crc32c
 * from the directory's inode seed over the block before the tail.  An
 * htree node (the dx root, or a block whose only entry is an empty one
 * spanning it) has its limit lowered by one entry to make room for a
 * dx_tail after the limit-th entry, whose checksum covers the header and
 * the count used entries, then the tail's reserved word and a zero word.
 */
static struct ext2_dir_entry_tail *
ext2_dir_leaf_tail(const struct ext2mount *ump, const void *blk)
{
	struct ext2_dir_entry_tail *t;

	t = (struct ext2_dir_entry_tail *)((uintptr_t)blk + ump->um_bsize -
	    EXT2_DIR_TAIL_SIZE);
	if (t->det_reserved_zero1 != 0 ||
	    EXT2_LE16(t->det_rec_len) != EXT2_DIR_TAIL_SIZE ||
	    t->det_reserved_zero2 != 0 ||
	    t->det_reserved_ft != EXT2_FT_DIR_CSUM)
		return NULL;
	return t;
}

/*
 * If blk is an htree node, the offset of its countlimit (the first
 * dx_entry) into *offp; false otherwise.  Only the structure is looked
 * at: the directory's index flag says whether this is expected.
 */
static bool
ext2_dir_dx_offset(const struct ext2mount *ump, const void *blk,
    size_t *offp)
{
	const struct ext2_dx_root *root = blk;
	const struct ext2_dx_node *node = blk;
	uint32_t bsize = ump->um_bsize;
	uint16_t rl;

	/* A 64 KiB block's rec_len of 65536 reads as 0 or 65535. */
	rl = EXT2_LE16(node->fake_rec_len);
	if (node->fake_inode == 0 && node->fake_name_len == 0 &&
	    (rl == bsize || (bsize == 65536 && (rl == 0 || rl == 65535)))) {
		*offp = sizeof(struct ext2_dx_node);
		return true;
	}
	if (EXT2_LE16(root->dot_rec_len) == 12 && root->dot_name_len == 1 &&
	    root->dot_name[0] == '.' &&
	    EXT2_LE16(root->dotdot_rec_len) == bsize - 12 &&
	    root->dotdot_name_len == 2 && root->dotdot_name[0] == '.' &&
	    root->dotdot_name[1] == '.' && root->info.reserved_zero == 0 &&
	    root->info.info_length == sizeof(struct ext2_dx_root_info)) {
		*offp = sizeof(struct ext2_dx_root);
		return true;
	}
	return false;
}

/* The dx tail's place and checksum; EUCLEAN if count/limit do not fit. */
static int
ext2_dir_dx_csum(const struct ext2mount *ump, struct ext2inode *dir,
    const void *blk, size_t off, struct ext2_dx_tail **tailp,
    uint32_t *crcp)
{
	const struct ext2_dx_countlimit *cl;
	const uint8_t *p = blk;
	struct ext2_dx_tail *t;
	size_t limit, count, toff;
	uint32_t crc;

	cl = (const struct ext2_dx_countlimit *)(p + off);
	limit = EXT2_LE16(cl->limit);
	count = EXT2_LE16(cl->count);
	toff = off + limit * sizeof(struct ext2_dx_entry);
	if (count > limit || toff + sizeof(*t) > ump->um_bsize ||
	    limit != (ump->um_bsize - off - sizeof(*t)) /
	    sizeof(struct ext2_dx_entry))
		return EUCLEAN;
	t = (struct ext2_dx_tail *)(uintptr_t)(p + toff);
	crc = ext2_csum_inode_seed(ump, dir->i_ino,
	    EXT2_LE32(dir->i_raw->i_generation));
	crc = crc32c(crc, p, off + count * sizeof(struct ext2_dx_entry));
	crc = crc32c_skip(crc, (const uint8_t *)t, 0, sizeof(*t), 4, 4);
	*tailp = t;
	*crcp = crc;
	return 0;
}

static bool
ext2_dir_is_indexed(const struct ext2inode *dir)
{

	return (EXT2_LE32(dir->i_raw->i_flags) & EXT2_INDEX_FL) != 0;
}

int
ext2_csum_dirblock_verify(struct ext2mount *ump, struct ext2inode *dir,
    const void *blk)
{
	struct ext2_dir_entry_tail *lt;
	struct ext2_dx_tail *dt;
	uint32_t crc;
	size_t off;
	int error;

	lt = ext2_dir_leaf_tail(ump, blk);
	if (lt != NULL) {
		crc = crc32c(ext2_csum_inode_seed(ump, dir->i_ino,
		    EXT2_LE32(dir->i_raw->i_generation)), blk,
		    ump->um_bsize - EXT2_DIR_TAIL_SIZE);
		if (crc != EXT2_LE32(lt->det_checksum)) {
			ext2_error(ump, "directory %u: leaf block: bad "
			    "checksum", dir->i_ino);
			return EUCLEAN;
		}
		return 0;
	}
	if (!ext2_dir_is_indexed(dir) || !ext2_dir_dx_offset(ump, blk, &off)) {
		ext2_error(ump, "directory %u: block without a checksum tail",
		    dir->i_ino);
		return EUCLEAN;
	}
	error = ext2_dir_dx_csum(ump, dir, blk, off, &dt, &crc);
	if (error != 0) {
		ext2_error(ump, "directory %u: htree node: bad count or "
		    "limit", dir->i_ino);
		return error;
	}
	if (crc != EXT2_LE32(dt->dt_checksum)) {
		ext2_error(ump, "directory %u: htree node: bad checksum",
		    dir->i_ino);
		return EUCLEAN;
	}
	return 0;
}

/*
 * Store the checksum of a directory block the core has laid out: a leaf
 * with its tail in place (ext2_dir_tail_init), or an htree node whose
 * limit leaves room for the dx tail.  A block that is neither is a bug
 * of the caller.
 */
void
ext2_csum_dirblock_set(struct ext2mount *ump, struct ext2inode *dir,
    void *blk)
{
	struct ext2_dir_entry_tail *lt;
	struct ext2_dx_tail *dt;
	uint32_t crc;
	size_t off;

	lt = ext2_dir_leaf_tail(ump, blk);
	if (lt != NULL) {
		lt->det_checksum = EXT2_LE32(crc32c(ext2_csum_inode_seed(ump,
		    dir->i_ino, EXT2_LE32(dir->i_raw->i_generation)), blk,
		    ump->um_bsize - EXT2_DIR_TAIL_SIZE));
		return;
	}
	if (ext2_dir_dx_offset(ump, blk, &off) &&
	    ext2_dir_dx_csum(ump, dir, blk, off, &dt, &crc) == 0) {
		dt->dt_checksum = EXT2_LE32(crc);
		return;
	}
	KASSERT(!"ext2_csum_dirblock_set: no checksum tail");
}

/* Lay out the 12-byte checksum tail at the end of a leaf block. */
void
ext2_dir_tail_init(struct ext2mount *ump, void *blk)
{
	struct ext2_dir_entry_tail *t;

	t = (struct ext2_dir_entry_tail *)((uintptr_t)blk + ump->um_bsize -
	    EXT2_DIR_TAIL_SIZE);
	memset(t, 0, sizeof(*t));
	t->det_rec_len = EXT2_LE16(EXT2_DIR_TAIL_SIZE);
	t->det_reserved_ft = EXT2_FT_DIR_CSUM;
}

/*
 * Extent tree blocks: crc32c from the file's inode seed over the header
 * and eh_max entries; the tail follows them.  The caller has checked
 * that eh_max entries and the tail fit in the block.
 */
static uint32_t
ext2_csum_extent(struct ext2inode *ip, const void *blk, size_t *offp)
{
	const struct ext4_extent_header *eh = blk;
	struct ext2mount *ump = ip->i_ump;

	*offp = sizeof(*eh) + (size_t)EXT2_LE16(eh->eh_max) *
	    sizeof(struct ext4_extent);
	KASSERT(*offp + sizeof(struct ext4_extent_tail) <= ump->um_bsize);
	return crc32c(ext2_csum_inode_seed(ump, ip->i_ino,
	    EXT2_LE32(ip->i_raw->i_generation)), blk, *offp);
}

int
ext2_csum_extent_verify(struct ext2inode *ip, const void *blk)
{
	const struct ext4_extent_tail *et;
	uint32_t crc;
	size_t off;

	crc = ext2_csum_extent(ip, blk, &off);
	et = (const struct ext4_extent_tail *)((uintptr_t)blk + off);
	if (crc != EXT2_LE32(et->et_checksum)) {
		ext2_error(ip->i_ump, "inode %u: extent block: bad checksum",
		    ip->i_ino);
		return EUCLEAN;
	}
	return 0;
}

void
ext2_csum_extent_set(struct ext2inode *ip, void *blk)
{
	struct ext4_extent_tail *et;
	uint32_t crc;
	size_t off;

	crc = ext2_csum_extent(ip, blk, &off);
	et = (struct ext4_extent_tail *)((uintptr_t)blk + off);
	et->et_checksum = EXT2_LE32(crc);
}
