/*
 * ext2_journal.c: replay of the ext3/ext4 journal (jbd2, format in
 * ext2_journal.h) at mount, when the superblock says needs_recovery.
 *
 * The log is read in three passes from s_start, transaction after
 * transaction (sequence numbers from s_sequence, one more each):
 *   scan    find the end of the log: the first block that is not the
 *           expected transaction's (bad magic, another sequence, a bad
 *           descriptor/revoke/commit checksum) ends it; only transactions
 *           whose commit block was reached count.  Data block checksums
 *           (csum v2/v3) of committed transactions are checked here: a
 *           bad one is a corrupt journal (EUCLEAN, nothing written).
 *   revoke  note, for each revoked block, the latest transaction that
 *           revoked it;
 *   replay  copy each logged block of each committed transaction to its
 *           home, unless a transaction at or after it revoked it.
 * Then the home blocks are flushed, the log is marked empty (s_start 0,
 * s_sequence two past the last transaction), and needs_recovery is cleared
 * in the superblock on disk.  Every number from the journal is checked
 * before use: its superblock's geometry against the journal inode, every
 * tag and revoke record against the block, every home block against the
 * file system.
 *
 * Locking: runs at mount, before the file system is visible: nothing
 * else uses the mount; the buffers it takes are its own while busy.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/errno.h>
#include <sys/kmem.h>

#include "ext2fs.h"
#include "ext2_journal.h"

/* Revoked blocks: an open-addressing table, block -> latest sequence. */
struct jnl_revoke {
	uint64_t r_blk;
	uint32_t r_seq;
	bool r_used;
};

struct jnl {
	struct ext2mount *j_ump;
	struct ext2inode *j_ip;		/* the journal inode */
	uint32_t j_bsize;
	uint32_t j_first;		/* first log block */
	uint32_t j_maxlen;		/* log blocks end here */
	uint32_t j_start;		/* where the log begins */
	uint32_t j_seq;			/* its first transaction */
	uint32_t j_end_seq;		/* scan: first uncommitted one */
	uint32_t j_incompat;
	uint32_t j_csum_seed;		/* crc32c(~0, journal uuid) */
	bool j_csum;			/* csum v2 or v3 */
	bool j_csum3;
	bool j_64bit;
	size_t j_tagsize;
	struct jnl_revoke *j_rv;	/* j_rvsize slots */
	size_t j_rvsize;
	size_t j_rvcount;
	uint64_t j_replayed;
	const char *j_bad;		/* scan: what is wrong with the
					 * transaction, if it commits */
	uint32_t j_badblk;
	uint64_t j_visited;		/* log blocks this pass, bounded */
	uint8_t *j_buf;			/* one journal block */
};

enum jnl_pass { JNL_SCAN, JNL_REVOKE, JNL_REPLAY };

/* Sequence numbers wrap: a is after b. */
static inline bool
jnl_seq_after(uint32_t a, uint32_t b)
{

	return (int32_t)(a - b) > 0;
}

static int
jnl_corrupt(struct jnl *j, const char *what, uint32_t blk)
{

	ext2_error(j->j_ump, "journal: %s (log block %u)", what, blk);
	return EUCLEAN;
}

/* Read block jblk of the journal inode. */
static int
jnl_bread(struct jnl *j, uint32_t jblk, struct buf **bpp)
{
	uint64_t pblk;
	int error;

	*bpp = NULL;
	error = ext2_bmap(j->j_ip, jblk, false, &pblk);
	if (error != 0)
		return error;
	if (pblk == 0 || !ext2_blk_valid(j->j_ump, pblk, 1))
		return jnl_corrupt(j, "a hole or a bad block in the journal "
		    "inode", jblk);
	return ext2_bread(j->j_ump, pblk, bpp);
}

static inline uint32_t
jnl_next(const struct jnl *j, uint32_t jblk)
{

	return jblk + 1 >= j->j_maxlen ? j->j_first : jblk + 1;
}

/* csum v2/v3 descriptor and revoke blocks: the tail covers the block. */
static bool
jnl_tail_ok(const struct jnl *j, const void *blk)
{
	const struct jbd2_block_tail *t;
	uint32_t zero = 0, crc;

	if (!j->j_csum)
		return true;
	t = (const struct jbd2_block_tail *)((uintptr_t)blk + j->j_bsize -
	    sizeof(*t));
	crc = crc32c(j->j_csum_seed, blk, j->j_bsize - sizeof(*t));
	crc = crc32c(crc, &zero, sizeof(zero));
	return crc == EXT2_BE32(t->t_checksum);
}

static bool
jnl_commit_ok(const struct jnl *j, const void *blk)
{
	const struct jbd2_commit_block *c = blk;
	size_t off = __builtin_offsetof(struct jbd2_commit_block, h_chksum);
	uint32_t zero = 0, crc;

	if (!j->j_csum)
		return true;	/* v1 commit checksums are not checked */
	crc = crc32c(j->j_csum_seed, blk, off);
	crc = crc32c(crc, &zero, sizeof(zero));
	crc = crc32c(crc, (const uint8_t *)blk + off + 4,
	    j->j_bsize - off - 4);
	return crc == EXT2_BE32(c->h_chksum[0]);
}

/* A tag, decoded. */
struct jnl_tag {
	uint64_t t_blk;
	uint32_t t_flags;
	uint32_t t_csum;
};

/*
 * The tag at *offp of a descriptor block (bytes [12, end) hold tags);
 * advances *offp past it and its uuid.  false when none fits.
 */
static bool
jnl_tag_get(const struct jnl *j, const uint8_t *blk, size_t end,
    size_t *offp, struct jnl_tag *tg)
{
	const struct jbd2_block_tag3 *t3;
	const struct jbd2_block_tag *t;
	size_t off = *offp;

	if (off + j->j_tagsize > end)
		return false;
	if (j->j_csum3) {
		t3 = (const struct jbd2_block_tag3 *)(blk + off);
		tg->t_blk = EXT2_BE32(t3->t_blocknr);
		tg->t_flags = EXT2_BE32(t3->t_flags);
		tg->t_csum = EXT2_BE32(t3->t_checksum);
		if (j->j_64bit)
			tg->t_blk |= (uint64_t)EXT2_BE32(t3->t_blocknr_high)
			    << 32;
	} else {
		t = (const struct jbd2_block_tag *)(blk + off);
		tg->t_blk = EXT2_BE32(t->t_blocknr);
		tg->t_flags = EXT2_BE16(t->t_flags);
		tg->t_csum = EXT2_BE16(t->t_checksum);
		if (j->j_64bit)
			tg->t_blk |= (uint64_t)EXT2_BE32(t->t_blocknr_high)
			    << 32;
	}
	off += j->j_tagsize;
	if (!(tg->t_flags & JBD2_FLAG_SAME_UUID)) {
		if (off + 16 > end)
			return false;
		off += 16;
	}
	*offp = off;
	return true;
}

static bool
jnl_data_ok(const struct jnl *j, const struct jnl_tag *tg, uint32_t seq,
    const void *data)
{
	uint32_t beseq = EXT2_BE32(seq), crc;

	if (!j->j_csum)
		return true;
	crc = crc32c(crc32c(j->j_csum_seed, &beseq, sizeof(beseq)), data,
	    j->j_bsize);
	if (!j->j_csum3)
		crc &= 0xFFFF;
	return crc == tg->t_csum;
}

static struct jnl_revoke *
jnl_revoke_slot(struct jnl_revoke *tab, size_t size, uint64_t blk)
{
	size_t i = (size_t)((blk * 0x9E3779B97F4A7C15ULL) >> 40) & (size - 1);

	while (tab[i].r_used && tab[i].r_blk != blk)
		i = (i + 1) & (size - 1);
	return &tab[i];
}

static int
jnl_revoke_add(struct jnl *j, uint64_t blk, uint32_t seq)
{
	struct jnl_revoke *ntab, *r;
	size_t nsize, i;

	if (j->j_rvcount * 2 >= j->j_rvsize) {
		nsize = j->j_rvsize == 0 ? 256 : j->j_rvsize * 2;
		ntab = kmem_zalloc(nsize * sizeof(*ntab), KM_SLEEP);
		if (ntab == NULL)
			return ENOMEM;
		for (i = 0; i < j->j_rvsize; i++)
			if (j->j_rv[i].r_used)
				*jnl_revoke_slot(ntab, nsize,
				    j->j_rv[i].r_blk) = j->j_rv[i];
		if (j->j_rv != NULL)
			kmem_free(j->j_rv, j->j_rvsize * sizeof(*ntab));
		j->j_rv = ntab;
		j->j_rvsize = nsize;
	}
	r = jnl_revoke_slot(j->j_rv, j->j_rvsize, blk);
	if (!r->r_used) {
		r->r_used = true;
		r->r_blk = blk;
		r->r_seq = seq;
		j->j_rvcount++;
	} else if (jnl_seq_after(seq, r->r_seq))
		r->r_seq = seq;
	return 0;
}

/* Whether transaction seq's copy of blk was revoked (then or later). */
static bool
jnl_revoked(const struct jnl *j, uint64_t blk, uint32_t seq)
{
	const struct jnl_revoke *r;

	if (j->j_rvsize == 0)
		return false;
	r = jnl_revoke_slot(j->j_rv, j->j_rvsize, blk);
	return r->r_used && !jnl_seq_after(seq, r->r_seq);
}

static int
jnl_revoke_block(struct jnl *j, const uint8_t *blk, uint32_t seq,
    uint32_t jblk)
{
	const struct jbd2_revoke_header *rh = (const void *)blk;
	size_t rsize = j->j_64bit ? 8 : 4, off, count;
	uint64_t b;
	int error;

	count = EXT2_BE32(rh->r_count);
	if (count < sizeof(*rh) || count > j->j_bsize -
	    (j->j_csum ? sizeof(struct jbd2_block_tail) : 0))
		return jnl_corrupt(j, "bad revoke block count", jblk);
	for (off = sizeof(*rh); off + rsize <= count; off += rsize) {
		if (j->j_64bit)
			b = EXT2_BE64(*(const uint64_t *)(blk + off));
		else
			b = EXT2_BE32(*(const uint32_t *)(blk + off));
		if ((error = jnl_revoke_add(j, b, seq)) != 0)
			return error;
	}
	return 0;
}

/* Write the logged copy (journal block jblk) of tg's block home. */
static int
jnl_replay_block(struct jnl *j, const struct jnl_tag *tg, uint32_t jblk)
{
	struct ext2mount *ump = j->j_ump;
	struct buf *jbp, *hbp;
	uint32_t magic = EXT2_BE32(JBD2_MAGIC);
	int error;

	if (!ext2_blk_valid(ump, tg->t_blk, 1))
		return jnl_corrupt(j, "logged block outside the file system",
		    jblk);
	if ((error = jnl_bread(j, jblk, &jbp)) != 0)
		return error;
	if ((error = ext2_bget(ump, tg->t_blk, &hbp)) != 0) {
		ext2_brelse(jbp);
		return error;
	}
	memcpy(hbp->b_data, jbp->b_data, j->j_bsize);
	if (tg->t_flags & JBD2_FLAG_ESCAPE)
		memcpy(hbp->b_data, &magic, sizeof(magic));
	ext2_brelse(jbp);
	ext2_bdwrite(ump, hbp);
	j->j_replayed++;
	return 0;
}

/*
 * The tags of the descriptor block blk (log block jblk, transaction seq),
 * and the data blocks after it: checked (scan) or replayed.  *nextp: the
 * log block after the last data block.
 */
static int
jnl_descriptor(struct jnl *j, enum jnl_pass pass, const uint8_t *blk,
    uint32_t seq, uint32_t jblk, uint32_t *nextp)
{
	size_t end = j->j_bsize - (j->j_csum ?
	    sizeof(struct jbd2_block_tail) : 0);
	size_t off = sizeof(struct jbd2_header);
	struct jnl_tag tg;
	struct buf *bp;
	uint32_t dblk = jblk;
	int error;

	while (jnl_tag_get(j, blk, end, &off, &tg)) {
		dblk = jnl_next(j, dblk);
		if (++j->j_visited > j->j_maxlen)
			return jnl_corrupt(j, "log longer than the journal",
			    jblk);
		/* What is wrong only matters if the transaction commits. */
		if (pass == JNL_SCAN && j->j_csum && j->j_bad == NULL) {
			if ((error = jnl_bread(j, dblk, &bp)) != 0)
				return error;
			if (!jnl_data_ok(j, &tg, seq, bp->b_data)) {
				j->j_bad = "bad data block checksum";
				j->j_badblk = dblk;
			}
			ext2_brelse(bp);
		}
		if (pass == JNL_SCAN && j->j_bad == NULL &&
		    !ext2_blk_valid(j->j_ump, tg.t_blk, 1)) {
			j->j_bad = "logged block outside the file system";
			j->j_badblk = dblk;
		}
		if (pass == JNL_REPLAY && !jnl_revoked(j, tg.t_blk, seq)) {
			if ((error = jnl_replay_block(j, &tg, dblk)) != 0)
				return error;
		}
		if (tg.t_flags & JBD2_FLAG_LAST_TAG)
			break;
	}
	*nextp = jnl_next(j, dblk);
	return 0;
}

/*
 * One pass over the log.  The scan sets j_end_seq; the later passes stop
 * there.  A block that is not part of the expected transaction ends the
 * log (scan), or is corruption (later passes: the scan saw it).
 */
static int
jnl_pass(struct jnl *j, enum jnl_pass pass)
{
	const struct jbd2_header *h;
	struct buf *bp;
	uint32_t jblk = j->j_start, seq = j->j_seq, next;
	uint32_t type;
	int error = 0;

	j->j_visited = 0;
	for (;;) {
		if (pass != JNL_SCAN && seq == j->j_end_seq)
			break;
		if (++j->j_visited > j->j_maxlen)
			return jnl_corrupt(j, "log longer than the journal",
			    jblk);
		if ((error = jnl_bread(j, jblk, &bp)) != 0)
			return error;
		memcpy(j->j_buf, bp->b_data, j->j_bsize);
		ext2_brelse(bp);
		h = (const struct jbd2_header *)j->j_buf;
		if (EXT2_BE32(h->h_magic) != JBD2_MAGIC ||
		    EXT2_BE32(h->h_sequence) != seq)
			break;
		type = EXT2_BE32(h->h_blocktype);
		next = jnl_next(j, jblk);
		switch (type) {
		case JBD2_DESCRIPTOR_BLOCK:
			if (!jnl_tail_ok(j, j->j_buf))
				goto end;
			error = jnl_descriptor(j, pass, j->j_buf, seq, jblk,
			    &next);
			break;
		case JBD2_REVOKE_BLOCK:
			if (!jnl_tail_ok(j, j->j_buf))
				goto end;
			if (pass == JNL_REVOKE)
				error = jnl_revoke_block(j, j->j_buf, seq,
				    jblk);
			break;
		case JBD2_COMMIT_BLOCK:
			if (!jnl_commit_ok(j, j->j_buf))
				goto end;
			if (pass == JNL_SCAN && j->j_bad != NULL)
				return jnl_corrupt(j, j->j_bad, j->j_badblk);
			seq++;
			break;
		default:
			goto end;
		}
		if (error != 0)
			return error;
		jblk = next;
	}
end:
	if (pass == JNL_SCAN)
		j->j_end_seq = seq;
	else if (seq != j->j_end_seq)
		return jnl_corrupt(j, "log changed between passes", jblk);
	return 0;
}

/* Load and check the journal superblock; EINVAL for what we cannot do. */
static int
jnl_load_super(struct jnl *j, struct jbd2_superblock *jsb)
{
	struct ext2mount *ump = j->j_ump;
	uint64_t isize = ext2_i_size(j->j_ip);
	uint32_t type, sum;

	if (EXT2_BE32(jsb->s_header.h_magic) != JBD2_MAGIC)
		return jnl_corrupt(j, "bad superblock magic", 0);
	type = EXT2_BE32(jsb->s_header.h_blocktype);
	if (type != JBD2_SUPERBLOCK_V1 && type != JBD2_SUPERBLOCK_V2)
		return jnl_corrupt(j, "bad superblock type", 0);
	if (EXT2_BE32(jsb->s_blocksize) != ump->um_bsize) {
		ext2_error(ump, "journal: block size %u is not the file "
		    "system's", EXT2_BE32(jsb->s_blocksize));
		return EINVAL;
	}
	j->j_bsize = ump->um_bsize;
	j->j_maxlen = EXT2_BE32(jsb->s_maxlen);
	j->j_first = EXT2_BE32(jsb->s_first);
	j->j_start = EXT2_BE32(jsb->s_start);
	j->j_seq = EXT2_BE32(jsb->s_sequence);
	if (j->j_maxlen < 2 || j->j_maxlen > isize / j->j_bsize ||
	    j->j_first == 0 || j->j_first >= j->j_maxlen ||
	    (j->j_start != 0 && (j->j_start < j->j_first ||
	    j->j_start >= j->j_maxlen)))
		return jnl_corrupt(j, "bad superblock geometry", 0);
	if (type == JBD2_SUPERBLOCK_V1)
		return 0;
	j->j_incompat = EXT2_BE32(jsb->s_feature_incompat);
	if (j->j_incompat & ~JBD2_KNOWN_INCOMPAT) {
		ext2_error(ump, "journal: unknown features 0x%x",
		    j->j_incompat & ~JBD2_KNOWN_INCOMPAT);
		return EINVAL;
	}
	if (j->j_incompat & JBD2_FEATURE_INCOMPAT_FAST_COMMIT) {
		ext2_error(ump, "journal: fast commits are not supported");
		return EINVAL;
	}
	j->j_64bit = (j->j_incompat & JBD2_FEATURE_INCOMPAT_64BIT) != 0;
	j->j_csum3 = (j->j_incompat & JBD2_FEATURE_INCOMPAT_CSUM_V3) != 0;
	j->j_csum = j->j_csum3 ||
	    (j->j_incompat & JBD2_FEATURE_INCOMPAT_CSUM_V2) != 0;
	if (j->j_csum) {
		if (jsb->s_checksum_type != JBD2_CRC32C_CHKSUM)
			return jnl_corrupt(j, "unknown checksum type", 0);
		sum = EXT2_BE32(jsb->s_checksum);
		jsb->s_checksum = 0;
		if (crc32c(~0U, jsb, sizeof(*jsb)) != sum)
			return jnl_corrupt(j, "bad superblock checksum", 0);
		jsb->s_checksum = EXT2_BE32(sum);
		j->j_csum_seed = crc32c(~0U, jsb->s_uuid,
		    sizeof(jsb->s_uuid));
	}
	return 0;
}

static void
jnl_set_tagsize(struct jnl *j)
{

	if (j->j_csum3)
		j->j_tagsize = sizeof(struct jbd2_block_tag3);
	else {
		j->j_tagsize = sizeof(struct jbd2_block_tag);
		if (j->j_csum)
			j->j_tagsize += 2;
		if (!j->j_64bit)
			j->j_tagsize -= 4;
	}
}

/*
 * Mark the log empty.  The next transaction skips one sequence number
 * past the first that did not commit (as Linux and e2fsck do), so that
 * none of that transaction's blocks left in the log can ever look like
 * part of a later one.
 */
static int
jnl_mark_empty(struct jnl *j)
{
	struct jbd2_superblock *jsb;
	struct buf *bp;
	int error;

	if ((error = jnl_bread(j, 0, &bp)) != 0)
		return error;
	jsb = bp->b_data;
	jsb->s_start = 0;
	jsb->s_sequence = EXT2_BE32(j->j_end_seq + 1);
	if (j->j_csum) {
		jsb->s_checksum = 0;
		jsb->s_checksum = EXT2_BE32(crc32c(~0U, jsb, sizeof(*jsb)));
	}
	return bwrite(bp);
}

/*
 * Reload the group descriptors, which the replay may have rewritten, as
 * the mount read them (ext2_vfsops.c), and check them.
 */
static int
jnl_reload_gds(struct ext2mount *ump)
{
	struct ext2_group_desc *gd;
	struct buf *bp;
	uint64_t blk;
	uint32_t i, n, g;
	int error;

	for (i = 0; i < ump->um_gdb_count; i++) {
		blk = ext2_gdb_location(ump, i);
		if (!ext2_blk_valid(ump, blk, 1))
			return EUCLEAN;
		if ((error = ext2_bread(ump, blk, &bp)) != 0)
			return error;
		n = MIN(ump->um_descs_per_block,
		    ump->um_ngroups - i * ump->um_descs_per_block);
		memcpy(ump->um_gd + (size_t)i * ump->um_bsize, bp->b_data,
		    (size_t)n * ump->um_desc_size);
		ext2_brelse(bp);
	}
	for (g = 0; g < ump->um_ngroups; g++) {
		gd = ext2_gd(ump, g);
		if ((ext2_has_metadata_csum(ump) || ext2_has_gdt_csum(ump)) &&
		    (error = ext2_csum_gd_verify(ump, g, gd)) != 0)
			return error;
		if (!ext2_blk_valid(ump, ext2_gd_block_bitmap(ump, g), 1) ||
		    !ext2_blk_valid(ump, ext2_gd_inode_bitmap(ump, g), 1) ||
		    !ext2_blk_valid(ump, ext2_gd_inode_table(ump, g),
		    ump->um_itb_per_group)) {
			ext2_error(ump, "journal replay: group %u: bitmaps or "
			    "inode table outside the file system", g);
			return EUCLEAN;
		}
	}
	return 0;
}

/*
 * Clear needs_recovery in the superblock on disk (as the replay left
 * it), and reload um_sb from it.
 */
static int
jnl_clear_recover(struct ext2mount *ump)
{
	struct ext2_super_block *sb;
	uint64_t blk = EXT2_SB_OFFSET / ump->um_bsize;
	struct buf *bp;
	int error;

	if ((error = ext2_bread(ump, blk, &bp)) != 0)
		return error;
	sb = (struct ext2_super_block *)((uint8_t *)bp->b_data +
	    EXT2_SB_OFFSET % ump->um_bsize);
	if (EXT2_LE16(sb->s_magic) != EXT2_MAGIC) {
		ext2_brelse(bp);
		ext2_error(ump, "journal replay overwrote the superblock");
		return EUCLEAN;
	}
	sb->s_feature_incompat = EXT2_LE32(EXT2_LE32(sb->s_feature_incompat) &
	    ~EXT3_FEATURE_INCOMPAT_RECOVER);
	if (ext2_has_metadata_csum(ump))
		ext2_csum_sb_set(ump, sb);
	memcpy(&ump->um_sb, sb, sizeof(*sb));
	ump->um_incompat &= ~EXT3_FEATURE_INCOMPAT_RECOVER;
	return bwrite(bp);
}

int
ext2_journal_recover(struct ext2mount *ump)
{
	struct jbd2_superblock *jsb;
	uint32_t inum = EXT2_LE32(ump->um_sb.s_journal_inum);
	struct buf *bp;
	struct jnl j;
	int error;

	memset(&j, 0, sizeof(j));
	j.j_ump = ump;
	if (EXT2_HAS_INCOMPAT(ump, EXT3_FEATURE_INCOMPAT_JOURNAL_DEV) ||
	    inum == 0) {
		ext2_error(ump, "journal: an external journal cannot be "
		    "replayed");
		return EINVAL;
	}
	if ((error = ext2_iget(ump, inum, &j.j_ip)) != 0)
		return error;
	j.j_buf = kmem_alloc(ump->um_bsize, KM_SLEEP);
	if (j.j_buf == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = jnl_bread(&j, 0, &bp)) != 0)
		goto out;
	jsb = bp->b_data;
	error = jnl_load_super(&j, jsb);
	ext2_brelse(bp);
	if (error != 0)
		goto out;
	jnl_set_tagsize(&j);
	if (j.j_start != 0) {
		if ((error = jnl_pass(&j, JNL_SCAN)) != 0 ||
		    (error = jnl_pass(&j, JNL_REVOKE)) != 0 ||
		    (error = jnl_pass(&j, JNL_REPLAY)) != 0)
			goto out;
		if ((error = bflush(ump->um_dev)) != 0)
			goto out;
		if ((error = jnl_mark_empty(&j)) != 0)
			goto out;
		printf("ext2: journal: %u transactions, %llu blocks "
		    "replayed\n", j.j_end_seq - j.j_seq,
		    (unsigned long long)j.j_replayed);
		if ((error = jnl_reload_gds(ump)) != 0)
			goto out;
	}
	error = jnl_clear_recover(ump);
out:
	if (j.j_rv != NULL)
		kmem_free(j.j_rv, j.j_rvsize * sizeof(*j.j_rv));
	if (j.j_buf != NULL)
		kmem_free(j.j_buf, ump->um_bsize);
	ext2_ifree_incore(j.j_ip);
	return error;
}
