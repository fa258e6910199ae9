/*
 * ext2_htree.c: lookups in hashed directories (dir_index): the three
 * name hashes of the format (legacy, half MD4, TEA, each with signed or
 * unsigned characters) and the walk down the index blocks to the leaf
 * that holds a name's hash.  The index is checked as it is read (its
 * root information, counts and limits, depth, block numbers); anything
 * wrong makes the caller fall back to a linear search, with a message.
 *
 * Locking: the directory's vnode lock (shared is enough); buffers are
 * owned only between bread and brelse here.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>

#include "ext2fs.h"

#define HTREE_EOF_32 0x7fffffffU
#define DX_BLOCK_MASK 0x0fffffffU

static uint32_t
rol32(uint32_t v, int s)
{

	return (v << s) | (v >> (32 - s));
}

/*
 * The name as 32-bit words for the MD4 and TEA hashes: four bytes a
 * word, most significant first, after a seed made of the length; the
 * words past the name are the seed itself.
 */
static void
ext2_hash_words(const char *name, size_t len, bool sgn, uint32_t *w, int nw)
{
	uint32_t pad, acc;
	size_t i, n;
	int c;

	pad = (uint32_t)len | ((uint32_t)len << 8);
	pad |= pad << 16;
	acc = pad;
	n = MIN(len, (size_t)nw * 4);
	for (i = 0; i < n; i++) {
		c = sgn ? (int)(signed char)name[i] : (int)(unsigned char)name[i];
		acc = (uint32_t)c + (acc << 8);
		if (i % 4 == 3) {
			*w++ = acc;
			acc = pad;
			nw--;
		}
	}
	if (nw > 0) {
		*w++ = acc;
		nw--;
	}
	while (nw-- > 0)
		*w++ = pad;
}

#define MD4_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD4_G(x, y, z) (((x) & (y)) + (((x) ^ (y)) & (z)))
#define MD4_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD4_STEP(f, a, b, c, d, x, s) \
	((a) = rol32((a) + f(b, c, d) + (x), (s)))
#define MD4_K2 0x5A827999U
#define MD4_K3 0x6ED9EBA1U

/* Three rounds of MD4 over eight words (the "half MD4" of the format). */
static void
ext2_half_md4(uint32_t st[4], const uint32_t in[8])
{
	uint32_t a = st[0], b = st[1], c = st[2], d = st[3];

	MD4_STEP(MD4_F, a, b, c, d, in[0], 3);
	MD4_STEP(MD4_F, d, a, b, c, in[1], 7);
	MD4_STEP(MD4_F, c, d, a, b, in[2], 11);
	MD4_STEP(MD4_F, b, c, d, a, in[3], 19);
	MD4_STEP(MD4_F, a, b, c, d, in[4], 3);
	MD4_STEP(MD4_F, d, a, b, c, in[5], 7);
	MD4_STEP(MD4_F, c, d, a, b, in[6], 11);
	MD4_STEP(MD4_F, b, c, d, a, in[7], 19);

	MD4_STEP(MD4_G, a, b, c, d, in[1] + MD4_K2, 3);
	MD4_STEP(MD4_G, d, a, b, c, in[3] + MD4_K2, 5);
	MD4_STEP(MD4_G, c, d, a, b, in[5] + MD4_K2, 9);
	MD4_STEP(MD4_G, b, c, d, a, in[7] + MD4_K2, 13);
	MD4_STEP(MD4_G, a, b, c, d, in[0] + MD4_K2, 3);
	MD4_STEP(MD4_G, d, a, b, c, in[2] + MD4_K2, 5);
	MD4_STEP(MD4_G, c, d, a, b, in[4] + MD4_K2, 9);
	MD4_STEP(MD4_G, b, c, d, a, in[6] + MD4_K2, 13);

	MD4_STEP(MD4_H, a, b, c, d, in[3] + MD4_K3, 3);
	MD4_STEP(MD4_H, d, a, b, c, in[7] + MD4_K3, 9);
	MD4_STEP(MD4_H, c, d, a, b, in[2] + MD4_K3, 11);
	MD4_STEP(MD4_H, b, c, d, a, in[6] + MD4_K3, 15);
	MD4_STEP(MD4_H, a, b, c, d, in[1] + MD4_K3, 3);
	MD4_STEP(MD4_H, d, a, b, c, in[5] + MD4_K3, 9);
	MD4_STEP(MD4_H, c, d, a, b, in[0] + MD4_K3, 11);
	MD4_STEP(MD4_H, b, c, d, a, in[4] + MD4_K3, 15);

	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
}

/* Sixteen rounds of TEA over four words. */
static void
ext2_tea(uint32_t st[4], const uint32_t in[4])
{
	uint32_t sum = 0, x = st[0], y = st[1];
	int n;

	for (n = 0; n < 16; n++) {
		sum += 0x9E3779B9U;
		x += ((y << 4) + in[0]) ^ (y + sum) ^ ((y >> 5) + in[1]);
		y += ((x << 4) + in[2]) ^ (x + sum) ^ ((x >> 5) + in[3]);
	}
	st[0] += x;
	st[1] += y;
}

static uint32_t
ext2_legacy_hash(const char *name, size_t len, bool sgn)
{
	uint32_t h0 = 0x12a3fe2dU, h1 = 0x37abe8f9U, h;
	size_t i;
	int c;

	for (i = 0; i < len; i++) {
		c = sgn ? (int)(signed char)name[i] : (int)(unsigned char)name[i];
		h = h1 + (h0 ^ (uint32_t)(c * 7152373));
		if (h & 0x80000000U)
			h -= 0x7fffffffU;
		h1 = h0;
		h0 = h;
	}
	return h0 << 1;
}

/* The hash of a name with version v; false for a version we lack. */
static bool
ext2_name_hash(const struct ext2mount *ump, int v, const char *name,
    size_t len, uint32_t *hp)
{
	uint32_t st[4], in[8], h;
	bool sgn = v <= EXT2_HASH_TEA;
	size_t off;

	st[0] = 0x67452301U;
	st[1] = 0xefcdab89U;
	st[2] = 0x98badcfeU;
	st[3] = 0x10325476U;
	if (ump->um_hash_seed[0] | ump->um_hash_seed[1] |
	    ump->um_hash_seed[2] | ump->um_hash_seed[3])
		memcpy(st, ump->um_hash_seed, sizeof(st));
	switch (v) {
	case EXT2_HASH_LEGACY:
	case EXT2_HASH_LEGACY_UNSIGNED:
		h = ext2_legacy_hash(name, len, sgn);
		break;
	case EXT2_HASH_HALF_MD4:
	case EXT2_HASH_HALF_MD4_UNSIGNED:
		for (off = 0; off < len; off += 32) {
			ext2_hash_words(name + off, len - off, sgn, in, 8);
			ext2_half_md4(st, in);
		}
		h = st[1];
		break;
	case EXT2_HASH_TEA:
	case EXT2_HASH_TEA_UNSIGNED:
		for (off = 0; off < len; off += 16) {
			ext2_hash_words(name + off, len - off, sgn, in, 4);
			ext2_tea(st, in);
		}
		h = st[0];
		break;
	default:
		return false;
	}
	h &= ~1U;
	if (h == (HTREE_EOF_32 << 1))
		h = (HTREE_EOF_32 - 1) << 1;
	*hp = h;
	return true;
}

/*
 * The leaf blocks of hashed directory dp that may hold name: up to *np
 * of them (the first, and the following ones while the index says the
 * hash continues there).  ENOTSUP: not hashed, or a hash we lack; EUCLEAN:
 * a bad index (logged); the caller then searches linearly.
 */
int
ext2_htree_leaves(struct ext2inode *dp, const char *name, size_t len,
    uint64_t *leaves, int *np)
{
	struct ext2mount *ump = dp->i_ump;
	const struct ext2_dx_root *root;
	const struct ext2_dx_entry *ent;
	const struct ext2_dx_countlimit *cl;
	struct buf *bp;
	uint64_t nblocks = ext2_i_size(dp) >> ump->um_bshift, blk;
	uint32_t hash, count, limit, lo, hi, mid, maxent, tail;
	int levels, maxlevels, lvl, v, n = 0, error;

	if (!EXT2_HAS_COMPAT(ump, EXT2_FEATURE_COMPAT_DIR_INDEX) ||
	    !(EXT2_LE32(dp->i_raw->i_flags) & EXT2_INDEX_FL) ||
	    nblocks < 2)
		return ENOTSUP;
	tail = ext2_has_metadata_csum(ump) ? sizeof(struct ext2_dx_tail) : 0;
	maxlevels = EXT2_HAS_INCOMPAT(ump, EXT4_FEATURE_INCOMPAT_LARGEDIR) ?
	    3 : 2;
	if ((error = ext2_dir_bread_raw(dp, 0, &bp)) != 0)
		return error;
	root = bp->b_data;
	v = root->info.hash_version;
	if (v <= EXT2_HASH_TEA && (EXT2_LE32(ump->um_sb.s_flags) &
	    EXT2_FLAGS_UNSIGNED_HASH))
		v += 3;		/* the file system's unsigned flavour */
	levels = root->info.indirect_levels;
	if (root->info.reserved_zero != 0 || root->info.info_length != 8 ||
	    levels >= maxlevels) {
		brelse(bp);
		goto bad;
	}
	if (!ext2_name_hash(ump, v, name, len, &hash)) {
		brelse(bp);
		return ENOTSUP;
	}
	ent = root->entries;
	maxent = (ump->um_bsize - sizeof(*root) - tail) /
	    sizeof(struct ext2_dx_entry);
	for (lvl = 0;; lvl++) {
		cl = (const void *)ent;
		count = EXT2_LE16(cl->count);
		limit = EXT2_LE16(cl->limit);
		if (limit != maxent || count == 0 || count > limit) {
			brelse(bp);
			goto bad;
		}
		/* The last entry whose hash is <= hash (entry 0 has none). */
		lo = 1;
		hi = count;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (EXT2_LE32(ent[mid].hash) > hash)
				hi = mid;
			else
				lo = mid + 1;
		}
		lo--;
		blk = EXT2_LE32(ent[lo].block) & DX_BLOCK_MASK;
		if (blk == 0 || blk >= nblocks) {
			brelse(bp);
			goto bad;
		}
		if (lvl == levels) {
			leaves[n++] = blk;
			while (n < *np && lo + 1 < count &&
			    (EXT2_LE32(ent[lo + 1].hash) & 1) &&
			    (EXT2_LE32(ent[lo + 1].hash) & ~1U) == hash) {
				lo++;
				blk = EXT2_LE32(ent[lo].block) & DX_BLOCK_MASK;
				if (blk == 0 || blk >= nblocks)
					break;
				leaves[n++] = blk;
			}
			brelse(bp);
			*np = n;
			return 0;
		}
		brelse(bp);
		if ((error = ext2_dir_bread_raw(dp, blk, &bp)) != 0)
			return error;
		ent = (const void *)((const uint8_t *)bp->b_data +
		    sizeof(struct ext2_dx_node));
		maxent = (ump->um_bsize - sizeof(struct ext2_dx_node) - tail) /
		    sizeof(struct ext2_dx_entry);
	}
 bad:
	ext2_error(ump, "directory inode %u: bad hash index, searching it "
	    "linearly", dp->i_ino);
	return EUCLEAN;
}
