/*
 * ext2_xattr.c: extended attributes of ext2/3/4 (vop_getxattr,
 * vop_setxattr, vop_listxattr) and the release of a freed inode's
 * attribute block.
 *
 * The format (ext2fs_format.h): a large inode keeps attributes in its
 * space after 128 + i_extra_isize, and one block (i_file_acl), which
 * several inodes may share (h_refcount), keeps more.  The names the VFS
 * gives ("user.x", "trusted.x", "security.x") are stored as a name
 * index and the suffix; entries of other indexes (POSIX ACLs, system.,
 * Lustre...) are kept as they are and not shown; only ext2_acl.c
 * changes one (the access ACL, through ext2_xattr_iset, on chmod).  A
 * large inode without extra fields gets them on its first set, as on
 * Linux.
 *
 * Every change works on copies: both places are read and checked whole
 * (ext2_xattr_parse: every entry and value inside its place, aligned,
 * values not overlapping the entries or each other, names without NUL;
 * the block's number outside the system zone, its magic, h_blocks,
 * reference count and checksum), decoded into arrays of
 * attributes, changed there and encoded again into fresh buffers, which
 * must fit before anything on disk changes.  Like Linux, a value goes
 * into the inode when it fits there and into the block otherwise; the
 * block is laid out anew (entries sorted, values packed from its end,
 * the hashes e2fsck checks), in place when this inode is its only user,
 * else in a new block near the inode (copy on write, the old block loses
 * a reference).  Writes go through the buffer cache like the rest of
 * the driver's metadata (the journal is not written, docs/ext2.md).
 *
 * ea_inode (values in inodes of their own): read, on the read-only
 * mounts that the feature gets; never written.
 *
 * Locking: the vnode lock (shared to read, exclusive to change) covers
 * the inode's copy and its attribute block while only this inode uses
 * it.  A shared block is never changed in place: its reference count
 * is changed under the buffer's BUSY state, read and written in one go
 * (ext2_xattr_block_unref), so two sharers dropping it at once count
 * right.  um_lock for the superblock's feature word.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vnode.h>
#include <sys/xattr.h>

#include "ext2fs.h"

/* One attribute, decoded; its name and value point into a copy of its
 * place or into the caller's arguments. */
struct ext2_xattr {
	uint8_t x_index;		/* EXT2_XATTR_INDEX_* */
	uint8_t x_namelen;
	const char *x_name;		/* x_namelen bytes, no NUL */
	const uint8_t *x_value;		/* x_size bytes; NULL with x_inum */
	uint32_t x_size;
	uint32_t x_inum;		/* ea_inode: the value's inode */
};

/* One place: the inode's space or the block, a copy and its entries. */
struct ext2_xattr_area {
	bool xa_isblock;
	uint8_t *xa_raw;		/* the copy, xa_len bytes (NULL: the
					 * place does not exist) */
	size_t xa_len;
	struct ext2_xattr *xa_ents;	/* xa_n of xa_max */
	int xa_n, xa_max;
	uint64_t xa_blk;		/* block: its number, 0 if none */
	uint32_t xa_refcount;		/* block: its h_refcount */
	bool xa_changed;
};

/* The prefixes the VFS passes and their name indexes. */
static const struct {
	const char *prefix;
	size_t len;
	uint8_t index;
} ext2_xattr_prefixes[] = {
	{ XATTR_USER_PREFIX, sizeof(XATTR_USER_PREFIX) - 1,
	    EXT2_XATTR_INDEX_USER },
	{ XATTR_TRUSTED_PREFIX, sizeof(XATTR_TRUSTED_PREFIX) - 1,
	    EXT2_XATTR_INDEX_TRUSTED },
	{ XATTR_SECURITY_PREFIX, sizeof(XATTR_SECURITY_PREFIX) - 1,
	    EXT2_XATTR_INDEX_SECURITY },
};

/* Where the entries start and what value offsets count from. */
static size_t
ext2_xattr_first(const struct ext2_xattr_area *xa)
{

	return xa->xa_isblock ? sizeof(struct ext2_xattr_header) :
	    EXT2_XATTR_IBODY_HDR;
}

static size_t
ext2_xattr_vbase(const struct ext2_xattr_area *xa)
{

	return xa->xa_isblock ? 0 : EXT2_XATTR_IBODY_HDR;
}

static uint32_t
ext2_get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return EXT2_LE32(v);
}

static void
ext2_put32(uint8_t *p, uint32_t v)
{

	v = EXT2_LE32(v);
	memcpy(p, &v, sizeof(v));
}

/* "user.x" and friends: the index and the suffix; EOPNOTSUPP for the
 * names this file system does not keep (system.*). */
static int
ext2_xattr_split(const char *name, uint8_t *indexp, const char **sufp,
    size_t *lenp)
{
	size_t i, len;

	for (i = 0; i < __arraycount(ext2_xattr_prefixes); i++) {
		if (strncmp(name, ext2_xattr_prefixes[i].prefix,
		    ext2_xattr_prefixes[i].len) != 0)
			continue;
		*indexp = ext2_xattr_prefixes[i].index;
		*sufp = name + ext2_xattr_prefixes[i].len;
		len = strlen(*sufp);
		if (len == 0)
			return EINVAL;
		if (len > EXT2_NAME_LEN)
			return ERANGE;
		*lenp = len;
		return 0;
	}
	return EOPNOTSUPP;
}

/* The prefix of an index shown to the VFS, NULL if it is not shown. */
static const char *
ext2_xattr_prefix(uint8_t index, size_t *lenp)
{
	size_t i;

	for (i = 0; i < __arraycount(ext2_xattr_prefixes); i++) {
		if (ext2_xattr_prefixes[i].index == index) {
			*lenp = ext2_xattr_prefixes[i].len;
			return ext2_xattr_prefixes[i].prefix;
		}
	}
	return NULL;
}

/*
 * Hashes (the format's, as e2fsck checks them): an entry's over its
 * name's bytes, taken unsigned as Linux does now, then its value's
 * words (zero-padded); the block's over the entries' hashes.
 */
static uint32_t
ext2_xattr_hash_entry(const char *name, size_t namelen, const uint8_t *value,
    size_t size)
{
	uint32_t h = 0, w;
	uint8_t pad[4];
	size_t i;

	for (i = 0; i < namelen; i++)
		h = (h << EXT2_XATTR_NAME_HASH_SHIFT) ^
		    (h >> (32 - EXT2_XATTR_NAME_HASH_SHIFT)) ^
		    (uint8_t)name[i];
	for (i = 0; i < size; i += 4) {
		if (size - i >= 4)
			w = ext2_get32(value + i);
		else {
			memset(pad, 0, sizeof(pad));
			memcpy(pad, value + i, size - i);
			w = ext2_get32(pad);
		}
		h = (h << EXT2_XATTR_VALUE_HASH_SHIFT) ^
		    (h >> (32 - EXT2_XATTR_VALUE_HASH_SHIFT)) ^ w;
	}
	return h;
}

/* metadata_csum: crc32c from the seed over the block's number (64-bit
 * little-endian) and the block with h_checksum taken as 0. */
static uint32_t
ext2_xattr_block_csum(const struct ext2mount *ump, uint64_t blk,
    const uint8_t *data)
{
	const size_t off = __builtin_offsetof(struct ext2_xattr_header,
	    h_checksum);
	uint64_t b64 = EXT2_LE64(blk);
	uint32_t crc, zero = 0;

	crc = crc32c(ump->um_csum_seed, &b64, sizeof(b64));
	crc = crc32c(crc, data, off);
	crc = crc32c(crc, &zero, sizeof(zero));
	return crc32c(crc, data + off + sizeof(zero),
	    ump->um_bsize - off - sizeof(zero));
}

static void
ext2_xattr_block_csum_set(const struct ext2mount *ump, uint64_t blk,
    uint8_t *data)
{
	struct ext2_xattr_header *h = (void *)data;

	if (ext2_has_metadata_csum(ump))
		h->h_checksum = EXT2_LE32(ext2_xattr_block_csum(ump, blk,
		    data));
}

/*
 * May blk be an attribute block at all: inside the file system and
 * none of its own structures (ext2_iget checks it too; again here right
 * before each read and each write of the block, which would otherwise
 * overwrite an inode table or a bitmap that looks like one).
 */
static int
ext2_xattr_blk_check(struct ext2mount *ump, uint32_t ino, uint64_t blk)
{
	const char *why;

	if (!ext2_blk_valid(ump, blk, 1))
		why = "not inside the file system";
	else if (ext2_blk_is_meta(ump, blk, 1))
		why = "file-system metadata or the journal";
	else
		return 0;
	ext2_error(ump, "inode %u: bad extended attribute block %llu: %s",
	    ino, (unsigned long long)blk, why);
	return EUCLEAN;
}

/* The header of an attribute block: 0 or EUCLEAN, logged. */
static int
ext2_xattr_block_check(struct ext2mount *ump, uint32_t ino, uint64_t blk,
    const uint8_t *data)
{
	const struct ext2_xattr_header *h = (const void *)data;
	const char *why = NULL;

	if (EXT2_LE32(h->h_magic) != EXT2_XATTR_MAGIC)
		why = "bad magic";
	else if (EXT2_LE32(h->h_blocks) != 1)
		why = "h_blocks is not 1";
	else if (EXT2_LE32(h->h_refcount) == 0)
		why = "reference count 0";
	else if (ext2_has_metadata_csum(ump) &&
	    EXT2_LE32(h->h_checksum) != ext2_xattr_block_csum(ump, blk, data))
		why = "checksum does not match";
	if (why == NULL)
		return 0;
	ext2_error(ump, "inode %u: extended attribute block %llu: %s", ino,
	    (unsigned long long)blk, why);
	return EUCLEAN;
}

static int
ext2_xattr_corrupt(struct ext2inode *ip, const struct ext2_xattr_area *xa,
    const char *why)
{

	if (xa->xa_isblock)
		ext2_error(ip->i_ump, "inode %u: extended attribute block "
		    "%llu: %s", ip->i_ino, (unsigned long long)xa->xa_blk, why);
	else
		ext2_error(ip->i_ump, "inode %u: in-inode extended "
		    "attributes: %s", ip->i_ino, why);
	return EUCLEAN;
}

/* Mark the 4-byte units [off, off + len) in bm: false if one was. */
static bool
ext2_xattr_claim(uint8_t *bm, size_t off, size_t len)
{
	size_t u;

	for (u = off / 4; u < (off + len) / 4; u++) {
		if (bm[u >> 3] & (1U << (u & 7)))
			return false;
		bm[u >> 3] |= (uint8_t)(1U << (u & 7));
	}
	return true;
}

/*
 * Check and decode the entries of xa's copy: each inside the place with
 * room for the end word after it, each value (not in an inode of its
 * own) 4-byte aligned, past the entries, inside the place and not
 * overlapping another.  xa_ents gets one free slot more.
 */
static int
ext2_xattr_parse(struct ext2inode *ip, struct ext2_xattr_area *xa)
{
	struct ext2mount *ump = ip->i_ump;
	const struct ext2_xattr_entry *e;
	const uint8_t *raw = xa->xa_raw;
	size_t o, first = ext2_xattr_first(xa), vbase = ext2_xattr_vbase(xa);
	size_t len = xa->xa_len, elen, vstart, entend, bmlen;
	struct ext2_xattr *x;
	uint8_t *bm = NULL;
	int n = 0, i, error = 0;

	for (o = first;; o += elen, n++) {
		if (len - o < EXT2_XATTR_END)
			return ext2_xattr_corrupt(ip, xa, "no end of entries");
		if (ext2_get32(raw + o) == 0)
			break;
		e = (const void *)(raw + o);
		if (len - o < sizeof(*e) ||
		    (elen = EXT2_XATTR_ENTRY_LEN(e->e_name_len)) >
		    len - o - EXT2_XATTR_END)
			return ext2_xattr_corrupt(ip, xa,
			    "an entry runs past the end");
	}
	entend = o + EXT2_XATTR_END;
	xa->xa_max = n + 1;
	xa->xa_ents = kmem_zalloc(sizeof(*x) * (size_t)xa->xa_max, KM_SLEEP);
	bmlen = howmany(len / 4, 8);
	bm = kmem_zalloc(bmlen, KM_SLEEP);
	if (xa->xa_ents == NULL || bm == NULL) {
		error = ENOMEM;
		goto out;
	}
	for (o = first, i = 0; i < n; i++, o += elen) {
		e = (const void *)(raw + o);
		elen = EXT2_XATTR_ENTRY_LEN(e->e_name_len);
		x = &xa->xa_ents[i];
		x->x_index = e->e_name_index;
		x->x_namelen = e->e_name_len;
		x->x_name = (const char *)raw + o + sizeof(*e);
		if (memchr(x->x_name, '\0', x->x_namelen) != NULL) {
			/* Linux: "bad e_name length"; listed, it would
			 * split into names that are not there. */
			error = ext2_xattr_corrupt(ip, xa,
			    "a name holds a NUL byte");
			goto out;
		}
		x->x_size = EXT2_LE32(e->e_value_size);
		x->x_inum = EXT2_LE32(e->e_value_inum);
		if (x->x_inum != 0) {
			if (!EXT2_HAS_INCOMPAT(ump,
			    EXT4_FEATURE_INCOMPAT_EA_INODE)) {
				error = ext2_xattr_corrupt(ip, xa, "a value "
				    "inode without the ea_inode feature");
				goto out;
			}
			if (x->x_size > XATTR_SIZE_MAX) {
				error = ext2_xattr_corrupt(ip, xa,
				    "a value inode's size is too large");
				goto out;
			}
			continue;
		}
		if (x->x_size == 0)
			continue;
		vstart = vbase + EXT2_LE16(e->e_value_offs);
		if (vstart % 4 != 0) {
			error = ext2_xattr_corrupt(ip, xa,
			    "a value is not aligned");
			goto out;
		}
		if (vstart < entend) {
			error = ext2_xattr_corrupt(ip, xa,
			    "a value overlaps the entries");
			goto out;
		}
		if (vstart > len || x->x_size > len - vstart) {
			error = ext2_xattr_corrupt(ip, xa,
			    "a value lies outside its place");
			goto out;
		}
		if (!ext2_xattr_claim(bm, vstart, EXT2_XATTR_ROUND(x->x_size))) {
			error = ext2_xattr_corrupt(ip, xa,
			    "values overlap");
			goto out;
		}
		x->x_value = raw + vstart;
	}
	xa->xa_n = n;
 out:
	if (bm != NULL)
		kmem_free(bm, bmlen);
	return error;
}

static void
ext2_xattr_area_free(struct ext2_xattr_area *xa)
{

	if (xa->xa_ents != NULL)
		kmem_free(xa->xa_ents, sizeof(*xa->xa_ents) *
		    (size_t)xa->xa_max);
	if (xa->xa_raw != NULL)
		kmem_free(xa->xa_raw, xa->xa_len);
	xa->xa_ents = NULL;
	xa->xa_raw = NULL;
}

/* The offset of the in-inode space in an inode whose i_extra_isize is
 * extra, 0 if it has none (a 128-byte inode, extra 0, too little room). */
static size_t
ext2_xattr_ibody_at(const struct ext2mount *ump, size_t extra)
{
	size_t start;

	if (ump->um_inode_size <= EXT2_GOOD_OLD_INODE_SIZE || extra == 0)
		return 0;
	start = EXT2_GOOD_OLD_INODE_SIZE + extra;
	if (start + EXT2_XATTR_IBODY_HDR + EXT2_XATTR_END > ump->um_inode_size)
		return 0;
	return start;
}

static size_t
ext2_xattr_ibody_start(const struct ext2inode *ip)
{

	return ext2_xattr_ibody_at(ip->i_ump,
	    EXT2_LE16(ip->i_raw->i_extra_isize));
}

/*
 * A large inode with i_extra_isize 0 has no room for attributes yet; a
 * set gives it the 32 bytes of extra fields that Linux gives it (it
 * takes them at every load; Linux 6.18's set leaves 32 even where
 * s_want_extra_isize asks for more), within the inode.  0: the inode
 * keeps its size.
 */
static size_t
ext2_xattr_grow_extra(const struct ext2inode *ip)
{
	const struct ext2mount *ump = ip->i_ump;

	if (ump->um_inode_size <= EXT2_GOOD_OLD_INODE_SIZE ||
	    EXT2_LE16(ip->i_raw->i_extra_isize) != 0)
		return 0;
	return MIN(sizeof(struct ext2_dinode), ump->um_inode_size) -
	    EXT2_GOOD_OLD_INODE_SIZE;
}

/* The in-inode attributes, for an i_extra_isize of extra: a copy of the
 * space, decoded.  Without the magic, or when the extra fields are
 * about to grow (grow), the space holds none. */
static int
ext2_xattr_ibody_load(struct ext2inode *ip, struct ext2_xattr_area *xa,
    size_t grow)
{
	size_t start = grow != 0 ? ext2_xattr_ibody_at(ip->i_ump, grow) :
	    ext2_xattr_ibody_start(ip);

	memset(xa, 0, sizeof(*xa));
	if (start == 0)
		return 0;
	xa->xa_len = ip->i_ump->um_inode_size - start;
	if ((xa->xa_raw = kmem_alloc(xa->xa_len, KM_SLEEP)) == NULL)
		return ENOMEM;
	memcpy(xa->xa_raw, (const uint8_t *)ip->i_raw + start, xa->xa_len);
	if (grow != 0 || ext2_get32(xa->xa_raw) != EXT2_XATTR_MAGIC) {
		xa->xa_max = 1;
		xa->xa_ents = kmem_zalloc(sizeof(*xa->xa_ents), KM_SLEEP);
		return xa->xa_ents == NULL ? ENOMEM : 0;
	}
	return ext2_xattr_parse(ip, xa);
}

/* The block's attributes: a copy, checked and decoded (an empty area
 * without xa_raw if the inode has no block). */
static int
ext2_xattr_block_load(struct ext2inode *ip, struct ext2_xattr_area *xa)
{
	struct ext2mount *ump = ip->i_ump;
	struct buf *bp;
	int error;

	memset(xa, 0, sizeof(*xa));
	xa->xa_isblock = true;
	xa->xa_blk = ext2_i_file_acl(ip);
	if (xa->xa_blk == 0) {
		xa->xa_max = 1;
		xa->xa_ents = kmem_zalloc(sizeof(*xa->xa_ents), KM_SLEEP);
		return xa->xa_ents == NULL ? ENOMEM : 0;
	}
	if ((error = ext2_xattr_blk_check(ump, ip->i_ino, xa->xa_blk)) != 0)
		return error;
	if ((error = ext2_bread(ump, xa->xa_blk, &bp)) != 0)
		return error;
	error = ext2_xattr_block_check(ump, ip->i_ino, xa->xa_blk, bp->b_data);
	if (error == 0) {
		xa->xa_len = ump->um_bsize;
		if ((xa->xa_raw = kmem_alloc(xa->xa_len, KM_SLEEP)) == NULL)
			error = ENOMEM;
		else
			memcpy(xa->xa_raw, bp->b_data, xa->xa_len);
	}
	brelse(bp);
	if (error)
		return error;
	xa->xa_refcount = ext2_get32(xa->xa_raw +
	    __builtin_offsetof(struct ext2_xattr_header, h_refcount));
	return ext2_xattr_parse(ip, xa);
}

static int
ext2_xattr_find(const struct ext2_xattr_area *xa, uint8_t index,
    const char *name, size_t len)
{
	int i;

	for (i = 0; i < xa->xa_n; i++)
		if (xa->xa_ents[i].x_index == index &&
		    xa->xa_ents[i].x_namelen == len &&
		    memcmp(xa->xa_ents[i].x_name, name, len) == 0)
			return i;
	return -1;
}

static void
ext2_xattr_remove(struct ext2_xattr_area *xa, int i)
{

	memmove(&xa->xa_ents[i], &xa->xa_ents[i + 1],
	    sizeof(xa->xa_ents[0]) * (size_t)(xa->xa_n - i - 1));
	xa->xa_n--;
	xa->xa_changed = true;
}

/* Put x in place of entry i, or after the others (i < 0). */
static void
ext2_xattr_put(struct ext2_xattr_area *xa, int i, const struct ext2_xattr *x)
{

	if (i < 0) {
		KASSERT(xa->xa_n < xa->xa_max);
		i = xa->xa_n++;
	}
	xa->xa_ents[i] = *x;
	xa->xa_changed = true;
}

/* Do the entries and values of xa fit into len bytes after hdr? */
static bool
ext2_xattr_fits(const struct ext2_xattr_area *xa, size_t hdr, size_t len)
{
	size_t need = hdr + EXT2_XATTR_END;
	int i;

	for (i = 0; i < xa->xa_n; i++) {
		need += EXT2_XATTR_ENTRY_LEN(xa->xa_ents[i].x_namelen);
		if (xa->xa_ents[i].x_inum == 0)
			need += EXT2_XATTR_ROUND(xa->xa_ents[i].x_size);
	}
	return need <= len;
}

/* Block order: name index, name length, name. */
static int
ext2_xattr_cmp(const struct ext2_xattr *a, const struct ext2_xattr *b)
{

	if (a->x_index != b->x_index)
		return a->x_index < b->x_index ? -1 : 1;
	if (a->x_namelen != b->x_namelen)
		return a->x_namelen < b->x_namelen ? -1 : 1;
	return memcmp(a->x_name, b->x_name, a->x_namelen);
}

static void
ext2_xattr_sort(struct ext2_xattr_area *xa)
{
	struct ext2_xattr t;
	int i, j;

	/* Insertion sort: the entries come sorted but for one. */
	for (i = 1; i < xa->xa_n; i++) {
		t = xa->xa_ents[i];
		for (j = i; j > 0 && ext2_xattr_cmp(&xa->xa_ents[j - 1],
		    &t) > 0; j--)
			xa->xa_ents[j] = xa->xa_ents[j - 1];
		xa->xa_ents[j] = t;
	}
}

/*
 * Lay out xa's attributes in dst (len bytes, zeroed here): the block's
 * header or the inode's magic, the entries (sorted in a block, with
 * their hashes), the end word, the values from the end down.  Nothing
 * at all for an inode without attributes.  ENOSPC if they do not fit.
 */
static int
ext2_xattr_encode(struct ext2_xattr_area *xa, uint8_t *dst, size_t len)
{
	struct ext2_xattr_header *h = (void *)dst;
	struct ext2_xattr_entry *e;
	size_t o = ext2_xattr_first(xa), vbase = ext2_xattr_vbase(xa);
	size_t vend = len;
	uint32_t bhash = 0, ehash;
	bool hash0 = false;
	struct ext2_xattr *x;
	int i;

	if (!ext2_xattr_fits(xa, o, len))
		return ENOSPC;
	for (i = 0; i < xa->xa_n; i++)
		if (xa->xa_ents[i].x_inum != 0)
			return EOPNOTSUPP;	/* ea_inode: never written */
	memset(dst, 0, len);
	if (xa->xa_n == 0 && !xa->xa_isblock)
		return 0;
	if (xa->xa_isblock)
		ext2_xattr_sort(xa);
	for (i = 0; i < xa->xa_n; i++) {
		x = &xa->xa_ents[i];
		e = (void *)(dst + o);
		e->e_name_len = x->x_namelen;
		e->e_name_index = x->x_index;
		e->e_value_size = EXT2_LE32(x->x_size);
		memcpy(dst + o + sizeof(*e), x->x_name, x->x_namelen);
		if (x->x_size != 0) {
			vend -= EXT2_XATTR_ROUND(x->x_size);
			memcpy(dst + vend, x->x_value, x->x_size);
			e->e_value_offs = EXT2_LE16((uint16_t)(vend - vbase));
		}
		if (xa->xa_isblock) {
			ehash = ext2_xattr_hash_entry(x->x_name, x->x_namelen,
			    dst + vend, x->x_size);
			e->e_hash = EXT2_LE32(ehash);
			hash0 |= ehash == 0;
			bhash = (bhash << EXT2_XATTR_BLOCK_HASH_SHIFT) ^
			    (bhash >> (32 - EXT2_XATTR_BLOCK_HASH_SHIFT)) ^
			    ehash;
		}
		o += EXT2_XATTR_ENTRY_LEN(x->x_namelen);
	}
	if (xa->xa_isblock) {
		h->h_magic = EXT2_LE32(EXT2_XATTR_MAGIC);
		h->h_refcount = EXT2_LE32(1);
		h->h_blocks = EXT2_LE32(1);
		/* An entry hashed to 0 makes the block's hash 0 (Linux:
		 * such a block is never shared). */
		h->h_hash = EXT2_LE32(hash0 ? 0 : bhash);
	} else
		ext2_put32(dst, EXT2_XATTR_MAGIC);
	return 0;
}

/*
 * One inode less uses attribute block blk: the last frees it, else its
 * count goes down (read, changed and written under the buffer's BUSY
 * state).  A block that fails its checks is left alone (leaked).
 */
static int
ext2_xattr_block_unref(struct ext2mount *ump, uint32_t ino, uint64_t blk)
{
	struct ext2_xattr_header *h;
	struct buf *bp;
	uint32_t ref;
	int error;

	if ((error = ext2_xattr_blk_check(ump, ino, blk)) != 0)
		return error;
	if ((error = ext2_bread(ump, blk, &bp)) != 0)
		return error;
	if ((error = ext2_xattr_block_check(ump, ino, blk, bp->b_data)) != 0) {
		brelse(bp);
		return error;
	}
	h = bp->b_data;
	ref = EXT2_LE32(h->h_refcount);
	if (ref == 1) {
		brelse(bp);
		ext2_blkfree(ump, blk, 1);
		return 0;
	}
	h->h_refcount = EXT2_LE32(ref - 1);
	ext2_xattr_block_csum_set(ump, blk, bp->b_data);
	ext2_bdwrite(ump, bp);
	return 0;
}

static void
ext2_xattr_set_acl(struct ext2inode *ip, uint64_t blk)
{

	ip->i_raw->i_file_acl_lo = EXT2_LE32((uint32_t)blk);
	ip->i_raw->i_file_acl_high = EXT2_LE16((uint16_t)(blk >> 32));
}

/* A new attribute block goes near the inode: its group's first block. */
static uint64_t
ext2_xattr_goal(const struct ext2inode *ip)
{
	const struct ext2mount *ump = ip->i_ump;
	uint32_t g = (ip->i_ino - 1) / ump->um_ipg;

	return ump->um_first_data_block + (uint64_t)g * ump->um_bpg;
}

/*
 * Write the block's new contents (enc, laid out by ext2_xattr_encode):
 * none (the inode lets go of its block), in place (the inode is the
 * block's only user) or into a new block near the inode.
 */
static int
ext2_xattr_block_commit(struct ext2inode *ip, struct ext2_xattr_area *xa,
    uint8_t *enc)
{
	struct ext2mount *ump = ip->i_ump;
	uint64_t old = xa->xa_blk, blk;
	struct buf *bp;
	int error;

	if (xa->xa_n == 0) {
		if (old == 0)
			return 0;
		ext2_xattr_set_acl(ip, 0);
		ext2_add_blocks(ip, -1);
		(void)ext2_xattr_block_unref(ump, ip->i_ino, old);
		return 0;
	}
	if (old != 0 && xa->xa_refcount == 1) {
		if ((error = ext2_xattr_blk_check(ump, ip->i_ino, old)) != 0)
			return error;
		if ((error = ext2_bread(ump, old, &bp)) != 0)
			return error;
		if (ext2_get32(bp->b_data) != EXT2_XATTR_MAGIC ||
		    ext2_get32((uint8_t *)bp->b_data +
		    __builtin_offsetof(struct ext2_xattr_header, h_refcount)) !=
		    1) {
			brelse(bp);
			return ext2_xattr_corrupt(ip, xa, "changed under us");
		}
		memcpy(bp->b_data, enc, ump->um_bsize);
		ext2_xattr_block_csum_set(ump, old, bp->b_data);
		ext2_bdwrite(ump, bp);
		return 0;
	}
	error = ext2_blkalloc(ip, ext2_xattr_goal(ip), &blk);
	if (error)
		return error;
	if ((error = ext2_bget(ump, blk, &bp)) != 0) {
		ext2_blkfree(ump, blk, 1);
		return error;
	}
	memcpy(bp->b_data, enc, ump->um_bsize);
	ext2_xattr_block_csum_set(ump, blk, bp->b_data);
	ext2_bdwrite(ump, bp);
	ext2_xattr_set_acl(ip, blk);
	ext2_add_blocks(ip, 1);
	if (old != 0) {
		/* Copy on write: the shared block loses this inode. */
		ext2_add_blocks(ip, -1);
		(void)ext2_xattr_block_unref(ump, ip->i_ino, old);
	}
	return 0;
}

/* The first attribute written sets ext_attr, as Linux does (e2fsck
 * wants it wherever an inode has attributes). */
static void
ext2_xattr_feature(struct ext2mount *ump)
{

	if (EXT2_HAS_COMPAT(ump, EXT2_FEATURE_COMPAT_EXT_ATTR))
		return;
	mutex_enter(&ump->um_lock);
	if (EXT2_LE32(ump->um_sb.s_rev_level) == EXT2_GOOD_OLD_REV) {
		/* Features need revision 1 (ext2_i_set_size does the
		 * same for large_file). */
		ump->um_sb.s_rev_level = EXT2_DYNAMIC_REV;
		ump->um_sb.s_first_ino = EXT2_GOOD_OLD_FIRST_INO;
		ump->um_sb.s_inode_size = EXT2_GOOD_OLD_INODE_SIZE;
	}
	ump->um_compat |= EXT2_FEATURE_COMPAT_EXT_ATTR;
	ump->um_sb.s_feature_compat = EXT2_LE32(ump->um_compat);
	ump->um_sbdirty = true;
	mutex_exit(&ump->um_lock);
}

/*
 * ea_inode: a value kept in an inode of its own (read-only mounts):
 * the inode must say so (EXT4_EA_INODE_FL, a regular file of the
 * value's size); its blocks are read like a file's.
 */
static int
ext2_xattr_inode_read(struct ext2inode *ip, const struct ext2_xattr *x,
    uint8_t *buf)
{
	struct ext2mount *ump = ip->i_ump;
	struct ext2inode *eip;
	uint64_t pblk;
	size_t o, n;
	struct buf *bp;
	int error;

	if (x->x_inum < ump->um_first_ino || x->x_inum == ip->i_ino ||
	    x->x_inum > EXT2_LE32(ump->um_sb.s_inodes_count)) {
		ext2_error(ump, "inode %u: extended attribute value in bad "
		    "inode %u", ip->i_ino, x->x_inum);
		return EUCLEAN;
	}
	if ((error = ext2_iget(ump, x->x_inum, &eip)) != 0)
		return error;
	if (EXT2_LE16(eip->i_raw->i_links_count) == 0 ||
	    !S_ISREG(EXT2_LE16(eip->i_raw->i_mode)) ||
	    !(EXT2_LE32(eip->i_raw->i_flags) & EXT4_EA_INODE_FL) ||
	    ext2_i_size(eip) != x->x_size) {
		ext2_error(ump, "inode %u: extended attribute value inode %u "
		    "is not one", ip->i_ino, x->x_inum);
		error = EUCLEAN;
		goto out;
	}
	for (o = 0; o < x->x_size; o += n) {
		n = MIN((size_t)ump->um_bsize, x->x_size - o);
		if ((error = ext2_bmap(eip, o >> ump->um_bshift, false,
		    &pblk)) != 0)
			goto out;
		if (pblk == 0) {
			memset(buf + o, 0, n);
			continue;
		}
		if ((error = ext2_bread(ump, pblk, &bp)) != 0)
			goto out;
		memcpy(buf + o, bp->b_data, n);
		brelse(bp);
	}
 out:
	ext2_ifree_incore(eip);
	return error;
}

/*
 * The value of attribute (index, suf) into buf (*sizep bytes; 0 asks
 * for the size only): the inode's own attributes first, then the
 * block's.  For vop_getxattr and for what the VFS cannot name (the
 * POSIX ACLs, ext2_acl.c).
 */
int
ext2_xattr_iget(struct ext2inode *ip, uint8_t index, const char *suf,
    size_t len, void *buf, size_t *sizep)
{
	struct ext2_xattr_area ib, bl;
	const struct ext2_xattr *x = NULL;
	int i, error;

	memset(&bl, 0, sizeof(bl));
	if ((error = ext2_xattr_ibody_load(ip, &ib, 0)) != 0)
		goto out;
	if ((i = ext2_xattr_find(&ib, index, suf, len)) >= 0)
		x = &ib.xa_ents[i];
	else {
		if ((error = ext2_xattr_block_load(ip, &bl)) != 0)
			goto out;
		if ((i = ext2_xattr_find(&bl, index, suf, len)) >= 0)
			x = &bl.xa_ents[i];
	}
	if (x == NULL)
		error = ENODATA;
	else if (*sizep != 0 && *sizep < x->x_size)
		error = ERANGE;
	else if (*sizep != 0 && x->x_inum != 0)
		error = ext2_xattr_inode_read(ip, x, buf);
	else if (*sizep != 0 && x->x_size != 0)
		memcpy(buf, x->x_value, x->x_size);
	if (x != NULL)
		*sizep = x->x_size;
 out:
	ext2_xattr_area_free(&ib);
	ext2_xattr_area_free(&bl);
	return error;
}

/* vop_getxattr */
int
ext2_xattr_get(struct vnode *vp, const char *name, void *buf, size_t *sizep,
    kauth_cred_t cred __unused)
{
	const char *suf;
	uint8_t index;
	size_t len;
	int error;

	if ((error = ext2_xattr_split(name, &index, &suf, &len)) != 0)
		return error == EOPNOTSUPP ? error : ENODATA;
	return ext2_xattr_iget(VTOI(vp), index, suf, len, buf, sizep);
}

/* The names of xa that the VFS may see, appended at buf + *offp. */
static int
ext2_xattr_names(const struct ext2_xattr_area *xa, char *buf, size_t size,
    size_t *offp)
{
	const struct ext2_xattr *x;
	const char *prefix;
	size_t plen, n;
	int i;

	for (i = 0; i < xa->xa_n; i++) {
		x = &xa->xa_ents[i];
		prefix = ext2_xattr_prefix(x->x_index, &plen);
		if (prefix == NULL || x->x_namelen == 0)
			continue;
		n = plen + x->x_namelen + 1;
		if (size != 0) {
			if (size - *offp < n)
				return ERANGE;
			memcpy(buf + *offp, prefix, plen);
			memcpy(buf + *offp + plen, x->x_name, x->x_namelen);
			buf[*offp + n - 1] = '\0';
		}
		*offp += n;
	}
	return 0;
}

/* vop_listxattr: the inode's names, then the block's, in their order. */
int
ext2_xattr_list(struct vnode *vp, void *buf, size_t *sizep,
    kauth_cred_t cred __unused)
{
	struct ext2inode *ip = VTOI(vp);
	struct ext2_xattr_area ib, bl;
	size_t off = 0;
	int error;

	memset(&bl, 0, sizeof(bl));
	if ((error = ext2_xattr_ibody_load(ip, &ib, 0)) != 0 ||
	    (error = ext2_xattr_block_load(ip, &bl)) != 0)
		goto out;
	if ((error = ext2_xattr_names(&ib, buf, *sizep, &off)) != 0 ||
	    (error = ext2_xattr_names(&bl, buf, *sizep, &off)) != 0)
		goto out;
	*sizep = off;
 out:
	ext2_xattr_area_free(&ib);
	ext2_xattr_area_free(&bl);
	return error;
}

/*
 * Change the decoded places for a set (value non-NULL) or a removal:
 * a value goes into the inode if everything there fits with it, else
 * into the block; it leaves the other place.
 */
static int
ext2_xattr_change(struct ext2_xattr_area *ib, struct ext2_xattr_area *bl,
    const struct ext2_xattr *x, int flags)
{
	int fi, fb;

	fi = ext2_xattr_find(ib, x->x_index, x->x_name, x->x_namelen);
	fb = ext2_xattr_find(bl, x->x_index, x->x_name, x->x_namelen);
	if ((flags & XATTR_CREATE) && (fi >= 0 || fb >= 0))
		return EEXIST;
	if ((x->x_value == NULL || (flags & XATTR_REPLACE)) && fi < 0 &&
	    fb < 0)
		return ENODATA;
	if (x->x_value == NULL) {
		if (fi >= 0)
			ext2_xattr_remove(ib, fi);
		if (fb >= 0)
			ext2_xattr_remove(bl, fb);
		return 0;
	}
	if (ib->xa_raw != NULL) {
		ext2_xattr_put(ib, fi, x);
		if (ext2_xattr_fits(ib, EXT2_XATTR_IBODY_HDR, ib->xa_len)) {
			if (fb >= 0)
				ext2_xattr_remove(bl, fb);
			return 0;
		}
		/* Not in the inode: the old value leaves it too. */
		if (fi >= 0)
			ext2_xattr_remove(ib, fi);
		else {
			ib->xa_n--;
			ib->xa_changed = false;
		}
	}
	ext2_xattr_put(bl, fb, x);
	return 0;
}

/*
 * Set attribute (index, suf) to value (len bytes), or remove it (value
 * NULL); flags XATTR_CREATE, XATTR_REPLACE.  For vop_setxattr and the
 * POSIX ACLs (ext2_acl.c).  The vnode lock is held exclusively.
 */
int
ext2_xattr_iset(struct ext2inode *ip, uint8_t index, const char *suf,
    size_t namelen, const void *value, size_t len, int flags)
{
	struct ext2mount *ump = ip->i_ump;
	struct ext2_xattr_area ib, bl;
	struct ext2_xattr x;
	uint8_t *ienc = NULL, *benc = NULL;
	size_t grow;
	int error;

	KASSERT(namelen <= EXT2_NAME_LEN);
	if (ump->um_ronly)
		return EROFS;
	if (value != NULL && len > XATTR_SIZE_MAX)
		return E2BIG;
	memset(&x, 0, sizeof(x));
	x.x_index = index;
	x.x_name = suf;
	x.x_namelen = (uint8_t)namelen;
	x.x_value = value != NULL ? (len != 0 ? value : (const void *)"") :
	    NULL;
	x.x_size = (uint32_t)len;
	grow = value != NULL ? ext2_xattr_grow_extra(ip) : 0;
	memset(&bl, 0, sizeof(bl));
	if ((error = ext2_xattr_ibody_load(ip, &ib, grow)) != 0 ||
	    (error = ext2_xattr_block_load(ip, &bl)) != 0)
		goto out;
	if ((error = ext2_xattr_change(&ib, &bl, &x, flags)) != 0)
		goto out;
	/* Grown extra fields: the space after them is laid out anew. */
	if (grow != 0 && ib.xa_raw != NULL)
		ib.xa_changed = true;
	/* Both places laid out before anything changes: ENOSPC here
	 * leaves the file as it was. */
	if (ib.xa_changed) {
		if ((ienc = kmem_alloc(ib.xa_len, KM_SLEEP)) == NULL) {
			error = ENOMEM;
			goto out;
		}
		if ((error = ext2_xattr_encode(&ib, ienc, ib.xa_len)) != 0)
			goto out;
	}
	if (bl.xa_changed && bl.xa_n > 0) {
		if ((benc = kmem_alloc(ump->um_bsize, KM_SLEEP)) == NULL) {
			error = ENOMEM;
			goto out;
		}
		if ((error = ext2_xattr_encode(&bl, benc, ump->um_bsize)) != 0)
			goto out;
	}
	if (bl.xa_changed &&
	    (error = ext2_xattr_block_commit(ip, &bl, benc)) != 0)
		goto out;
	if (grow != 0) {
		/* The extra fields start zeroed (times without their
		 * nanoseconds, as they were); the checksum covers them. */
		memset((uint8_t *)ip->i_raw + EXT2_GOOD_OLD_INODE_SIZE, 0,
		    grow);
		ip->i_raw->i_extra_isize = EXT2_LE16((uint16_t)grow);
	}
	if (ib.xa_changed)
		memcpy((uint8_t *)ip->i_raw + ext2_xattr_ibody_start(ip), ienc,
		    ib.xa_len);
	ext2_xattr_feature(ump);
	ext2_itimes(ip, false, false, true);
	ext2_inode_dirty(ip);
 out:
	if (ienc != NULL)
		kmem_free(ienc, ib.xa_len);
	if (benc != NULL)
		kmem_free(benc, ump->um_bsize);
	ext2_xattr_area_free(&ib);
	ext2_xattr_area_free(&bl);
	return error;
}

/* vop_setxattr (value NULL: remove). */
int
ext2_xattr_set(struct vnode *vp, const char *name, const void *value,
    size_t len, int flags, kauth_cred_t cred __unused)
{
	const char *suf;
	uint8_t index;
	size_t namelen;
	int error;

	if (VTOI(vp)->i_ump->um_ronly || (vp->v_mount->mnt_flag & MS_RDONLY))
		return EROFS;
	if ((error = ext2_xattr_split(name, &index, &suf, &namelen)) != 0)
		return error;
	return ext2_xattr_iset(VTOI(vp), index, suf, namelen, value, len,
	    flags);
}

/* A freed inode lets go of its attribute block. */
void
ext2_xattr_release(struct ext2inode *ip)
{
	uint64_t blk = ext2_i_file_acl(ip);

	if (blk == 0)
		return;
	ext2_xattr_set_acl(ip, 0);
	ext2_add_blocks(ip, -1);
	(void)ext2_xattr_block_unref(ip->i_ump, ip->i_ino, blk);
}
