/*
 * ext2_vfsops.c: ext2, ext3 and ext4 as file system types ("ext2",
 * "ext3", "ext4", one driver): mount (find and open the block device,
 * read and validate the superblock and the group descriptors, apply the
 * feature rules), unmount, root, statfs, sync, loading an inode into a
 * vnode, and the component.
 *
 * Feature rules (the format's): an incompat feature we do not know or
 * cannot read refuses the mount (EINVAL and a message); a ro_compat
 * feature we cannot write, or anything else that stops us from writing
 * safely, makes the mount read-only with a message naming it.  A
 * journal needing recovery is replayed (ext2_journal_recover); if that
 * fails the mount is read-only.
 *
 * Locking: the VFS serialises mount and unmount of one mount; ext2_devs
 * (under ext2_devs_lock) lists the devices mounted, so a device is
 * mounted once (EBUSY).  The rest is in ext2fs.h.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/component.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/specdev.h>
#include <sys/stat.h>
#include <sys/vnode.h>

#include "ext2fs.h"

/* Features we read (incompat) and write (ro_compat). */
#define EXT2_INCOMPAT_READ (EXT2_FEATURE_INCOMPAT_FILETYPE | \
	EXT3_FEATURE_INCOMPAT_RECOVER | EXT2_FEATURE_INCOMPAT_META_BG | \
	EXT4_FEATURE_INCOMPAT_EXTENTS | EXT4_FEATURE_INCOMPAT_64BIT | \
	EXT4_FEATURE_INCOMPAT_FLEX_BG | EXT4_FEATURE_INCOMPAT_CSUM_SEED | \
	EXT4_FEATURE_INCOMPAT_LARGEDIR | EXT4_FEATURE_INCOMPAT_MMP | \
	EXT4_FEATURE_INCOMPAT_EA_INODE)
#define EXT2_RO_COMPAT_WRITE (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
	EXT2_FEATURE_RO_COMPAT_LARGE_FILE | \
	EXT2_FEATURE_RO_COMPAT_BTREE_DIR | \
	EXT4_FEATURE_RO_COMPAT_HUGE_FILE | EXT4_FEATURE_RO_COMPAT_GDT_CSUM | \
	EXT4_FEATURE_RO_COMPAT_DIR_NLINK | \
	EXT4_FEATURE_RO_COMPAT_EXTRA_ISIZE | \
	EXT4_FEATURE_RO_COMPAT_METADATA_CSUM | \
	EXT4_FEATURE_RO_COMPAT_PROJECT)

static const struct {
	uint32_t f;
	const char *name;
} ext2_incompat_names[] = {
	{ EXT2_FEATURE_INCOMPAT_COMPRESSION, "compression" },
	{ EXT3_FEATURE_INCOMPAT_JOURNAL_DEV, "journal_dev" },
	{ EXT4_FEATURE_INCOMPAT_DIRDATA, "dirdata" },
	{ EXT4_FEATURE_INCOMPAT_INLINE_DATA, "inline_data" },
	{ EXT4_FEATURE_INCOMPAT_ENCRYPT, "encrypt" },
	{ EXT4_FEATURE_INCOMPAT_CASEFOLD, "casefold" },
}, ext2_rocompat_names[] = {
	{ EXT4_FEATURE_RO_COMPAT_HAS_SNAPSHOT, "snapshot" },
	{ EXT4_FEATURE_RO_COMPAT_QUOTA, "quota" },
	{ EXT4_FEATURE_RO_COMPAT_BIGALLOC, "bigalloc" },
	{ EXT4_FEATURE_RO_COMPAT_REPLICA, "replica" },
	{ EXT4_FEATURE_RO_COMPAT_READONLY, "read-only" },
	{ EXT4_FEATURE_RO_COMPAT_SHARED_BLOCKS, "shared_blocks" },
	{ EXT4_FEATURE_RO_COMPAT_VERITY, "verity" },
	{ EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT, "orphan_present" },
};

struct ext2_devent {
	dev_t de_dev;
	struct ext2_devent *de_next;
};
static kmutex_t ext2_devs_lock;
static struct ext2_devent *ext2_devs;		/* ext2_devs_lock */

static struct vfsops ext2_vfsops, ext3_vfsops, ext4_vfsops;

/* Claim dev for one mount; EBUSY if it is mounted already. */
static int
ext2_dev_claim(dev_t dev)
{
	struct ext2_devent *de, *n;
	int error = 0;

	if ((n = kmem_alloc(sizeof(*n), KM_SLEEP)) == NULL)
		return ENOMEM;
	mutex_enter(&ext2_devs_lock);
	for (de = ext2_devs; de != NULL; de = de->de_next)
		if (de->de_dev == dev)
			break;
	if (de != NULL)
		error = EBUSY;
	else {
		n->de_dev = dev;
		n->de_next = ext2_devs;
		ext2_devs = n;
		n = NULL;
	}
	mutex_exit(&ext2_devs_lock);
	if (n != NULL)
		kmem_free(n, sizeof(*n));
	return error;
}

static void
ext2_dev_release(dev_t dev)
{
	struct ext2_devent **pp, *de = NULL;

	mutex_enter(&ext2_devs_lock);
	for (pp = &ext2_devs; *pp != NULL; pp = &(*pp)->de_next) {
		if ((*pp)->de_dev == dev) {
			de = *pp;
			*pp = de->de_next;
			break;
		}
	}
	mutex_exit(&ext2_devs_lock);
	if (de != NULL)
		kmem_free(de, sizeof(*de));
}

/* The block device vnode of path, referenced and unlocked. */
static int
ext2_lookup_dev(const char *path, kauth_cred_t cred, struct vnode **vpp)
{
	struct nameidata nd;
	int error;

	*vpp = NULL;
	if (path == NULL || *path == '\0')
		return ENOENT;
	if ((error = namei_kernel(path, LOOKUP, FOLLOW,
	    cred != NULL ? cred : kauth_cred_get(), &nd)) != 0)
		return error;
	if (nd.ni_vp->v_type != VBLK)
		error = ENOTBLK;
	else {
		vref(nd.ni_vp);
		*vpp = nd.ni_vp;
	}
	namei_done(&nd);
	return error;
}

static bool
ext2_is_pow2(uint32_t v)
{

	return v != 0 && (v & (v - 1)) == 0;
}

/* Where descriptor block i is (meta_bg puts them in their groups). */
uint64_t
ext2_gdb_location(const struct ext2mount *ump, uint32_t i)
{
	uint64_t g;

	if (!EXT2_HAS_INCOMPAT(ump, EXT2_FEATURE_INCOMPAT_META_BG) ||
	    i < EXT2_LE32(ump->um_sb.s_first_meta_bg))
		return (uint64_t)ump->um_first_data_block + 1 + i;
	g = (uint64_t)i * ump->um_descs_per_block;
	return ump->um_first_data_block + g * ump->um_bpg +
	    (ext2_group_has_super(ump, (uint32_t)g) ? 1 : 0);
}

/*
 * Read the superblock and check it, and set up the geometry.  EINVAL
 * with a message when it is not an ext2 file system we can mount.
 */
static int
ext2_read_super(struct ext2mount *ump, uint64_t devsize, const char *src)
{
	struct ext2_super_block *sb = &ump->um_sb;
	uint64_t blocks, need;
	uint32_t logbs, i;
	int error;

	if (devsize < EXT2_SB_OFFSET + EXT2_SB_SIZE) {
		printf("ext2: %s: device too small for a file system\n", src);
		return EINVAL;
	}
	(void)bflush(ump->um_dev);
	error = bio_rawio(ump->um_dev, EXT2_SB_OFFSET / DEV_BSIZE, sb,
	    EXT2_SB_SIZE, true);
	if (error) {
		printf("ext2: %s: cannot read the superblock (error %d)\n",
		    src, error);
		return EIO;
	}
	if (EXT2_LE16(sb->s_magic) != EXT2_MAGIC) {
		printf("ext2: %s: not an ext2/ext3/ext4 file system "
		    "(no superblock magic)\n", src);
		return EINVAL;
	}
	if (EXT2_LE32(sb->s_rev_level) > EXT2_DYNAMIC_REV) {
		printf("ext2: %s: unknown revision %u\n", src,
		    EXT2_LE32(sb->s_rev_level));
		return EINVAL;
	}
	if (EXT2_LE32(sb->s_rev_level) == EXT2_GOOD_OLD_REV) {
		ump->um_compat = ump->um_incompat = ump->um_rocompat = 0;
		ump->um_inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		ump->um_first_ino = EXT2_GOOD_OLD_FIRST_INO;
	} else {
		ump->um_compat = EXT2_LE32(sb->s_feature_compat);
		ump->um_incompat = EXT2_LE32(sb->s_feature_incompat);
		ump->um_rocompat = EXT2_LE32(sb->s_feature_ro_compat);
		ump->um_inode_size = EXT2_LE16(sb->s_inode_size);
		ump->um_first_ino = EXT2_LE32(sb->s_first_ino);
	}
	if (ext2_has_metadata_csum(ump)) {
		if (sb->s_checksum_type != EXT4_CRC32C_CHKSUM) {
			printf("ext2: %s: unknown checksum type %u\n", src,
			    sb->s_checksum_type);
			return EINVAL;
		}
		if (ext2_csum_sb_verify(ump, sb) != 0) {
			printf("ext2: %s: superblock checksum does not "
			    "match\n", src);
			return EUCLEAN;
		}
	}
	logbs = EXT2_LE32(sb->s_log_block_size);
	if (logbs > EXT2_MAX_BLOCK_LOG_SIZE - EXT2_MIN_BLOCK_LOG_SIZE) {
		printf("ext2: %s: bad block size (log %u)\n", src, logbs);
		return EINVAL;
	}
	ump->um_bshift = logbs + EXT2_MIN_BLOCK_LOG_SIZE;
	ump->um_bsize = 1U << ump->um_bshift;
	ump->um_bsectors = ump->um_bsize / DEV_BSIZE;
	ump->um_addr_per_block = ump->um_bsize / 4;
	if (!EXT2_HAS_RO_COMPAT(ump, EXT4_FEATURE_RO_COMPAT_BIGALLOC) &&
	    EXT2_LE32(sb->s_log_cluster_size) != logbs) {
		printf("ext2: %s: cluster size differs from block size "
		    "without bigalloc\n", src);
		return EINVAL;
	}
	ump->um_first_data_block = EXT2_LE32(sb->s_first_data_block);
	if (ump->um_first_data_block != (ump->um_bsize == 1024 ? 1U : 0U)) {
		printf("ext2: %s: bad first data block %u\n", src,
		    ump->um_first_data_block);
		return EINVAL;
	}
	blocks = EXT2_LE32(sb->s_blocks_count_lo);
	if (ext2_has_64bit(ump))
		blocks |= (uint64_t)EXT2_LE32(sb->s_blocks_count_hi) << 32;
	ump->um_blocks = blocks;
	if (blocks <= ump->um_first_data_block || blocks > (1ULL << 48)) {
		printf("ext2: %s: bad block count %llu\n", src,
		    (unsigned long long)blocks);
		return EINVAL;
	}
	if (blocks > devsize / ump->um_bsize) {
		printf("ext2: %s: bad geometry: block count %llu exceeds the "
		    "size of the device (%llu blocks)\n", src,
		    (unsigned long long)blocks,
		    (unsigned long long)(devsize / ump->um_bsize));
		return EINVAL;
	}
	ump->um_bpg = EXT2_LE32(sb->s_blocks_per_group);
	ump->um_ipg = EXT2_LE32(sb->s_inodes_per_group);
	if (ump->um_bpg == 0 || ump->um_bpg > 8 * ump->um_bsize ||
	    ump->um_bpg % 8 != 0 ||
	    (!EXT2_HAS_RO_COMPAT(ump, EXT4_FEATURE_RO_COMPAT_BIGALLOC) &&
	     EXT2_LE32(sb->s_clusters_per_group) != ump->um_bpg)) {
		printf("ext2: %s: bad blocks per group %u\n", src,
		    ump->um_bpg);
		return EINVAL;
	}
	if (ump->um_inode_size < EXT2_GOOD_OLD_INODE_SIZE ||
	    !ext2_is_pow2(ump->um_inode_size) ||
	    ump->um_inode_size > ump->um_bsize) {
		printf("ext2: %s: bad inode size %u\n", src,
		    ump->um_inode_size);
		return EINVAL;
	}
	ump->um_ipb = ump->um_bsize / ump->um_inode_size;
	if (ump->um_ipg == 0 || ump->um_ipg > 8 * ump->um_bsize ||
	    ump->um_ipg % ump->um_ipb != 0) {
		printf("ext2: %s: bad inodes per group %u\n", src,
		    ump->um_ipg);
		return EINVAL;
	}
	ump->um_itb_per_group = ump->um_ipg / ump->um_ipb;
	need = howmany(blocks - ump->um_first_data_block, ump->um_bpg);
	if (need > UINT32_MAX ||
	    need * ump->um_ipg != EXT2_LE32(sb->s_inodes_count)) {
		printf("ext2: %s: inode count %u does not match %llu groups "
		    "of %u\n", src, EXT2_LE32(sb->s_inodes_count),
		    (unsigned long long)need, ump->um_ipg);
		return EINVAL;
	}
	ump->um_ngroups = (uint32_t)need;
	if (ump->um_first_ino < EXT2_GOOD_OLD_FIRST_INO ||
	    ump->um_first_ino >= EXT2_LE32(sb->s_inodes_count)) {
		printf("ext2: %s: bad first inode %u\n", src,
		    ump->um_first_ino);
		return EINVAL;
	}
	if (ext2_has_64bit(ump)) {
		ump->um_desc_size = EXT2_LE16(sb->s_desc_size);
		if (ump->um_desc_size < EXT2_MIN_DESC_SIZE_64BIT ||
		    ump->um_desc_size > EXT2_MAX_DESC_SIZE ||
		    !ext2_is_pow2(ump->um_desc_size)) {
			printf("ext2: %s: bad group descriptor size %u\n",
			    src, ump->um_desc_size);
			return EINVAL;
		}
	} else
		ump->um_desc_size = EXT2_MIN_DESC_SIZE;
	ump->um_descs_per_block = ump->um_bsize / ump->um_desc_size;
	ump->um_gdb_count = howmany(ump->um_ngroups, ump->um_descs_per_block);
	if (EXT2_HAS_INCOMPAT(ump, EXT2_FEATURE_INCOMPAT_META_BG) &&
	    EXT2_LE32(sb->s_first_meta_bg) > ump->um_gdb_count) {
		printf("ext2: %s: bad first meta_bg %u\n", src,
		    EXT2_LE32(sb->s_first_meta_bg));
		return EINVAL;
	}
	if (!EXT2_HAS_INCOMPAT(ump, EXT2_FEATURE_INCOMPAT_META_BG) &&
	    (uint64_t)ump->um_first_data_block + 1 + ump->um_gdb_count +
	    EXT2_LE16(sb->s_reserved_gdt_blocks) > ump->um_bpg) {
		printf("ext2: %s: group descriptors do not fit in group 0\n",
		    src);
		return EINVAL;
	}
	for (i = 0; i < 4; i++)
		ump->um_hash_seed[i] = EXT2_LE32(sb->s_hash_seed[i]);
	ump->um_def_hash = sb->s_def_hash_version;
	if (ump->um_def_hash <= EXT2_HASH_TEA &&
	    (EXT2_LE32(sb->s_flags) & EXT2_FLAGS_UNSIGNED_HASH))
		ump->um_def_hash += 3;
	if (EXT2_HAS_INCOMPAT(ump, EXT4_FEATURE_INCOMPAT_CSUM_SEED))
		ump->um_csum_seed = EXT2_LE32(sb->s_checksum_seed);
	else if (ext2_has_metadata_csum(ump))
		ump->um_csum_seed = crc32c(~0U, sb->s_uuid,
		    sizeof(sb->s_uuid));
	return 0;
}

/*
 * The feature rules: EINVAL for what we cannot read; *rop set, with a
 * message, for what we cannot write.
 */
static int
ext2_check_features(struct ext2mount *ump, const char *src, bool *rop)
{
	uint32_t f;
	size_t i;

	f = ump->um_incompat & ~EXT2_INCOMPAT_READ;
	if (f != 0) {
		for (i = 0; i < __arraycount(ext2_incompat_names); i++) {
			if (f & ext2_incompat_names[i].f) {
				printf("ext2: %s: cannot mount: unsupported "
				    "feature %s\n", src,
				    ext2_incompat_names[i].name);
				return EINVAL;
			}
		}
		printf("ext2: %s: cannot mount: unknown incompatible "
		    "features 0x%x\n", src, f);
		return EINVAL;
	}
	if (ump->um_flavour == EXT2_FLAVOUR_EXT2 &&
	    (ump->um_incompat & (EXT4_FEATURE_INCOMPAT_EXTENTS |
	    EXT4_FEATURE_INCOMPAT_64BIT | EXT4_FEATURE_INCOMPAT_FLEX_BG |
	    EXT4_FEATURE_INCOMPAT_CSUM_SEED)) != 0)
		printf("ext2: %s: ext4 features, mounted as ext4\n", src);
	if (*rop)
		return 0;
	f = ump->um_rocompat & ~EXT2_RO_COMPAT_WRITE;
	if (f != 0) {
		for (i = 0; i < __arraycount(ext2_rocompat_names); i++) {
			if (f & ext2_rocompat_names[i].f) {
				printf("ext2: %s: feature %s cannot be "
				    "written: mounted read-only\n", src,
				    ext2_rocompat_names[i].name);
				*rop = true;
				return 0;
			}
		}
		printf("ext2: %s: unknown read-only-compatible features "
		    "0x%x: mounted read-only\n", src, f);
		*rop = true;
		return 0;
	}
	if (EXT2_HAS_INCOMPAT(ump, EXT4_FEATURE_INCOMPAT_EA_INODE)) {
		/* Attribute values in inodes are read (ext2_xattr.c), but
		 * their inodes' references are never kept. */
		printf("ext2: %s: feature ea_inode cannot be written: mounted "
		    "read-only\n", src);
		*rop = true;
		return 0;
	}
	if (EXT2_HAS_INCOMPAT(ump, EXT4_FEATURE_INCOMPAT_MMP)) {
		printf("ext2: %s: feature mmp cannot be written: mounted "
		    "read-only\n", src);
		*rop = true;
		return 0;
	}
	if (EXT2_HAS_COMPAT(ump, EXT3_FEATURE_COMPAT_HAS_JOURNAL) &&
	    EXT2_LE32(ump->um_sb.s_journal_inum) == 0) {
		printf("ext2: %s: external journal: mounted read-only\n", src);
		*rop = true;
		return 0;
	}
	return 0;
}

/* Read the group descriptors and check every one. */
static int
ext2_read_gds(struct ext2mount *ump, const char *src)
{
	struct buf *bp;
	uint64_t blk, bb, ib, it, first, last;
	uint32_t i, n, g;
	uint64_t freeb = 0, freei = 0;
	bool flex = EXT2_HAS_INCOMPAT(ump, EXT4_FEATURE_INCOMPAT_FLEX_BG);
	bool csum = ext2_has_metadata_csum(ump) || ext2_has_gdt_csum(ump);
	int error;

	ump->um_gd = kmem_zalloc((size_t)ump->um_gdb_count * ump->um_bsize,
	    KM_SLEEP);
	ump->um_gddirty = kmem_zalloc(ump->um_gdb_count * sizeof(bool),
	    KM_SLEEP);
	if (ump->um_gd == NULL || ump->um_gddirty == NULL)
		return ENOMEM;
	for (i = 0; i < ump->um_gdb_count; i++) {
		blk = ext2_gdb_location(ump, i);
		if (blk >= ump->um_blocks) {
			printf("ext2: %s: group descriptor block %u past the "
			    "end\n", src, i);
			return EINVAL;
		}
		if ((error = ext2_bread(ump, blk, &bp)) != 0)
			return error;
		n = MIN(ump->um_descs_per_block,
		    ump->um_ngroups - i * ump->um_descs_per_block);
		memcpy(ump->um_gd + (size_t)i * ump->um_bsize, bp->b_data,
		    (size_t)n * ump->um_desc_size);
		brelse(bp);
	}
	for (g = 0; g < ump->um_ngroups; g++) {
		first = ump->um_first_data_block + (uint64_t)g * ump->um_bpg;
		last = MIN(first + ump->um_bpg, ump->um_blocks) - 1;
		if (flex) {
			first = ump->um_first_data_block;
			last = ump->um_blocks - 1;
		}
		bb = ext2_gd_block_bitmap(ump, g);
		ib = ext2_gd_inode_bitmap(ump, g);
		it = ext2_gd_inode_table(ump, g);
		if (bb < first || bb > last || ib < first || ib > last ||
		    it < first || it > last ||
		    ump->um_itb_per_group - 1 > last - it) {
			printf("ext2: %s: group %u: bitmaps or inode table "
			    "outside the %s\n", src, g,
			    flex ? "file system" : "group");
			return EUCLEAN;
		}
		if (csum && ext2_csum_gd_verify(ump, g, ext2_gd(ump, g))) {
			printf("ext2: %s: group %u: descriptor checksum does "
			    "not match\n", src, g);
			return EUCLEAN;
		}
		if (ext2_gd_free_blocks(ump, g) > ump->um_bpg ||
		    ext2_gd_free_inodes(ump, g) > ump->um_ipg ||
		    ext2_gd_used_dirs(ump, g) > ump->um_ipg) {
			printf("ext2: %s: group %u: bad free counts\n", src,
			    g);
			return EUCLEAN;
		}
		freeb += ext2_gd_free_blocks(ump, g);
		freei += ext2_gd_free_inodes(ump, g);
	}
	ump->um_free_blocks = freeb;
	ump->um_free_inodes = freei;
	return 0;
}

/* Free what ext2_mount built; the device is closed and released. */
static void
ext2_mount_free(struct ext2mount *ump)
{

	if (ump->um_gd != NULL)
		kmem_free(ump->um_gd, (size_t)ump->um_gdb_count *
		    ump->um_bsize);
	if (ump->um_gddirty != NULL)
		kmem_free(ump->um_gddirty, ump->um_gdb_count * sizeof(bool));
	ext2_sysmap_free(ump);
	mutex_destroy(&ump->um_lock);
	kmem_free(ump, sizeof(*ump));
}

static int
ext2_mount(struct mount *mp, const char *source, const char *data __unused,
    kauth_cred_t cred)
{
	struct ext2mount *ump = NULL;
	struct vnode *devvp = NULL;
	struct ext2inode *rip = NULL;
	struct timespec now;
	uint64_t devsize;
	bool ronly = (mp->mnt_flag & MS_RDONLY) != 0, claimed = false;
	bool opened = false;
	int error;

	if ((error = ext2_lookup_dev(source, cred, &devvp)) != 0)
		return error;
	if ((error = ext2_dev_claim(devvp->v_rdev)) != 0)
		goto out;
	claimed = true;
	if ((ump = kmem_zalloc(sizeof(*ump), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	mutex_init(&ump->um_lock, MUTEX_DEFAULT, IPL_NONE);
	ump->um_mp = mp;
	ump->um_devvp = devvp;
	ump->um_dev = devvp->v_rdev;
	ump->um_flavour = mp->mnt_op == &ext2_vfsops ? EXT2_FLAVOUR_EXT2 :
	    mp->mnt_op == &ext3_vfsops ? EXT2_FLAVOUR_EXT3 :
	    EXT2_FLAVOUR_EXT4;
	ump->um_openflags = FREAD | (ronly ? 0 : FWRITE);
	vn_lock(devvp, RW_WRITER);
	error = spec_open(devvp, ump->um_openflags, cred);
	vn_unlock(devvp);
	if (error)
		goto out;
	opened = true;
	if ((error = spec_blksize(ump->um_dev, &devsize)) != 0)
		goto out;
	if ((error = ext2_read_super(ump, devsize, source)) != 0)
		goto out;
	if ((error = ext2_check_features(ump, source, &ronly)) != 0)
		goto out;
	ump->um_ronly = ronly;
	if ((error = ext2_read_gds(ump, source)) != 0)
		goto out;
	/* A bad free count in the superblock is fixed from the groups. */
	ump->um_maxfilesize = (uint64_t)ump->um_bsize *
	    (EXT2_NDIR_BLOCKS + ump->um_addr_per_block +
	    (uint64_t)ump->um_addr_per_block * ump->um_addr_per_block +
	    (uint64_t)ump->um_addr_per_block * ump->um_addr_per_block *
	    ump->um_addr_per_block);
	if (ump->um_maxfilesize > (1ULL << 32) * 512 - 1 &&
	    !EXT2_HAS_RO_COMPAT(ump, EXT4_FEATURE_RO_COMPAT_HUGE_FILE))
		ump->um_maxfilesize = (1ULL << 32) * 512 - 1;
	ump->um_maxfilesize_ext = ((uint64_t)UINT32_MAX) * ump->um_bsize;
	if (!EXT2_HAS_RO_COMPAT(ump, EXT4_FEATURE_RO_COMPAT_HUGE_FILE))
		ump->um_maxfilesize_ext = MIN(ump->um_maxfilesize_ext,
		    (1ULL << 32) * 512 - 1);

	if (EXT2_HAS_INCOMPAT(ump, EXT3_FEATURE_INCOMPAT_RECOVER)) {
		if (!EXT2_HAS_COMPAT(ump, EXT3_FEATURE_COMPAT_HAS_JOURNAL)) {
			printf("ext2: %s: needs_recovery without a journal\n",
			    source);
			error = EUCLEAN;
			goto out;
		}
		if (ronly || ump->um_ronly) {
			printf("ext2: %s: the journal needs recovery and the "
			    "mount is read-only: not replayed, the files may "
			    "be out of date\n", source);
		} else if ((error = ext2_journal_recover(ump)) != 0) {
			printf("ext2: %s: journal recovery failed (error "
			    "%d): mounted read-only\n", source, error);
			ump->um_ronly = true;
			error = 0;
		} else
			ump->um_incompat &= ~EXT3_FEATURE_INCOMPAT_RECOVER;
	}

	/* The blocks no file may point into, before any file is read (the
	 * group descriptors are final: a replay may have rewritten them). */
	if ((error = ext2_sysmap_build(ump)) != 0)
		goto out;
	mp->mnt_data = ump;
	if ((error = ext2_iget(ump, EXT2_ROOT_INO, &rip)) != 0) {
		printf("ext2: %s: cannot read the root directory\n", source);
		goto out;
	}
	if (!S_ISDIR(EXT2_LE16(rip->i_raw->i_mode))) {
		printf("ext2: %s: the root inode is not a directory\n",
		    source);
		error = EUCLEAN;
		goto out;
	}
	if (EXT2_LE16(rip->i_raw->i_links_count) == 0) {
		printf("ext2: %s: the root inode is free\n", source);
		error = EUCLEAN;
		goto out;
	}
	ext2_ifree_incore(rip);
	rip = NULL;
	if ((error = ext2_count_free(ump)) != 0)
		goto out;

	if (ump->um_ronly)
		mp->mnt_flag |= MS_RDONLY;
	else {
		if (!(EXT2_LE16(ump->um_sb.s_state) & EXT2_VALID_FS))
			printf("ext2: %s: warning: mounting an unchecked file "
			    "system, running e2fsck is recommended\n", source);
		else if (EXT2_LE16(ump->um_sb.s_state) & EXT2_ERROR_FS)
			printf("ext2: %s: warning: mounting a file system "
			    "with errors, running e2fsck is recommended\n",
			    source);
		else if ((int16_t)EXT2_LE16(ump->um_sb.s_max_mnt_count) > 0 &&
		    EXT2_LE16(ump->um_sb.s_mnt_count) >=
		    (uint16_t)EXT2_LE16(ump->um_sb.s_max_mnt_count))
			printf("ext2: %s: warning: maximal mount count "
			    "reached, running e2fsck is recommended\n",
			    source);
		ext2_time_now(&now);
		mutex_enter(&ump->um_lock);
		ump->um_sb.s_state = EXT2_LE16(ump->um_sb.s_state) &
		    ~EXT2_VALID_FS;
		ump->um_sb.s_mnt_count = EXT2_LE16(ump->um_sb.s_mnt_count) + 1;
		ump->um_sb.s_mtime = (uint32_t)now.tv_sec;
		ump->um_sb.s_mtime_hi = (uint8_t)((uint64_t)now.tv_sec >> 32);
		if (ump->um_sb.s_feature_incompat != ump->um_incompat)
			ump->um_sb.s_feature_incompat = ump->um_incompat;
		mutex_exit(&ump->um_lock);
		if ((error = ext2_write_super(ump, true)) != 0)
			goto out;
	}
	mp->mnt_dev = ump->um_dev;
	return 0;
 out:
	mp->mnt_data = NULL;
	if (rip != NULL)
		ext2_ifree_incore(rip);
	if (opened) {
		(void)binvalidate(ump->um_dev);
		vn_lock(devvp, RW_WRITER);
		(void)spec_close(devvp, ump->um_openflags, cred);
		vn_unlock(devvp);
	}
	if (ump != NULL)
		ext2_mount_free(ump);
	if (claimed)
		ext2_dev_release(devvp->v_rdev);
	vrele(devvp);
	return error;
}

/*
 * A read-write mount ends (unmount, remount read-only): write the data
 * and inodes, then the superblock marked clean.
 */
static int
ext2_mark_clean(struct ext2mount *ump)
{
	struct timespec now;
	int error, e;

	ext2_time_now(&now);
	mutex_enter(&ump->um_lock);
	ump->um_sb.s_state = EXT2_LE16(ump->um_sb.s_state) | EXT2_VALID_FS;
	ump->um_sb.s_wtime = (uint32_t)now.tv_sec;
	ump->um_sb.s_wtime_hi = (uint8_t)((uint64_t)now.tv_sec >> 32);
	mutex_exit(&ump->um_lock);
	error = bflush(ump->um_dev);
	if ((e = ext2_write_super(ump, true)) != 0 && error == 0)
		error = e;
	return error;
}

/*
 * mount -o remount: going read-only writes everything back and marks the
 * file system clean.  Going read-write again is not supported yet: the
 * device was opened, and the features checked, for reading only.
 */
static int
ext2_remount(struct mount *mp, int newflags)
{
	struct ext2mount *ump = VFSTOEXT2(mp);
	int error;

	if (!(newflags & MS_RDONLY))
		return ump->um_ronly ? EROFS : 0;
	if (ump->um_ronly)
		return 0;
	if ((error = ext2_mark_clean(ump)) != 0)
		return error;
	ump->um_ronly = true;
	return 0;
}

static int
ext2_unmount(struct mount *mp, int flags __unused)
{
	struct ext2mount *ump = VFSTOEXT2(mp);
	struct vnode *devvp;
	int error = 0, e;

	if (ump == NULL)
		return 0;
	devvp = ump->um_devvp;
	if (!ump->um_ronly)
		error = ext2_mark_clean(ump);
	if ((e = binvalidate(ump->um_dev)) != 0 && error == 0)
		error = e;
	vn_lock(devvp, RW_WRITER);
	(void)spec_close(devvp, ump->um_openflags, NULL);
	vn_unlock(devvp);
	ext2_dev_release(ump->um_dev);
	vrele(devvp);
	mp->mnt_data = NULL;
	ext2_mount_free(ump);
	return error;
}

static int
ext2_root(struct mount *mp, struct vnode **vpp)
{

	return vcache_get(mp, EXT2_ROOT_INO, vpp);
}

static int
ext2_statfs(struct mount *mp, struct statfs *sf)
{
	struct ext2mount *ump = VFSTOEXT2(mp);
	uint64_t overhead, resv, u[2];
	int flags = mp->mnt_flag;

	memset(sf, 0, sizeof(*sf));
	sf->f_type = EXT2_SUPER_MAGIC;
	sf->f_bsize = ump->um_bsize;
	sf->f_frsize = ump->um_bsize;
	sf->f_namelen = EXT2_NAME_LEN;
	mutex_enter(&ump->um_lock);
	/* Linux's "bsddf": the metadata overhead is not counted. */
	overhead = EXT2_LE32(ump->um_sb.s_overhead_blocks);
	if (overhead == 0 || overhead >= ump->um_blocks)
		overhead = ump->um_first_data_block + (uint64_t)
		    ump->um_ngroups * (2 + ump->um_itb_per_group);
	if (overhead >= ump->um_blocks)
		overhead = 0;
	sf->f_blocks = ump->um_blocks - overhead;
	sf->f_bfree = ump->um_free_blocks;
	resv = EXT2_LE32(ump->um_sb.s_r_blocks_count_lo);
	if (ext2_has_64bit(ump))
		resv |= (uint64_t)EXT2_LE32(ump->um_sb.s_r_blocks_count_hi)
		    << 32;
	/* With extents, Linux also holds back 2% of the blocks, at most
	 * 4096, for its own metadata. */
	if (ext2_has_extents(ump))
		resv += MIN(ump->um_blocks / 50, 4096);
	sf->f_bavail = sf->f_bfree > resv ? sf->f_bfree - resv : 0;
	sf->f_files = EXT2_LE32(ump->um_sb.s_inodes_count);
	sf->f_ffree = ump->um_free_inodes;
	mutex_exit(&ump->um_lock);
	/* Linux's fsid: the two halves of the UUID folded together. */
	memcpy(&u[0], ump->um_sb.s_uuid, 8);
	memcpy(&u[1], ump->um_sb.s_uuid + 8, 8);
	u[0] ^= u[1];
	sf->f_fsid.val[0] = (int)(uint32_t)u[0];
	sf->f_fsid.val[1] = (int)(uint32_t)(u[0] >> 32);
	sf->f_flags = ((flags & MS_RDONLY) ? ST_RDONLY : 0) |
	    ((flags & MS_NOSUID) ? ST_NOSUID : 0) |
	    ((flags & MS_NODEV) ? ST_NODEV : 0) |
	    ((flags & MS_NOEXEC) ? ST_NOEXEC : 0) |
	    ((flags & MS_SYNCHRONOUS) ? ST_SYNCHRONOUS : 0) |
	    ((flags & MS_NOATIME) ? ST_NOATIME : 0) |
	    ((flags & MS_NODIRATIME) ? ST_NODIRATIME : 0) |
	    ((flags & MS_RELATIME) ? ST_RELATIME : 0);
	return 0;
}

/* Inodes are written into their buffers when they change; write the
 * superblock, the descriptors and every dirty buffer. */
static int
ext2_sync(struct mount *mp, int waitfor)
{
	struct ext2mount *ump = VFSTOEXT2(mp);
	int error, e;

	if (ump == NULL || ump->um_ronly)
		return 0;
	error = ext2_write_super(ump, false);
	if (waitfor & FSYNC_WAIT) {
		if ((e = bflush(ump->um_dev)) != 0 && error == 0)
			error = e;
	}
	return error;
}

static int
ext2_loadvnode(struct mount *mp, struct vnode *vp, uint64_t key)
{
	struct ext2mount *ump = VFSTOEXT2(mp);
	struct ext2inode *ip;
	struct ext2_dinode *di;
	uint32_t dev;
	int error;

	if (key == 0 || key > EXT2_LE32(ump->um_sb.s_inodes_count))
		return ENOENT;
	/*
	 * Only the root of the reserved inodes is a file (the journal and
	 * the rest are the driver's, never a vnode's).  A handle
	 * (open_by_handle_at) may name any number.
	 */
	if (key < ump->um_first_ino && key != EXT2_ROOT_INO)
		return ESTALE;
	/*
	 * A free inode is no file: loading it would let its reclaim free it
	 * (and the blocks it still lists) a second time.  An unlinked file
	 * that is still open is never loaded again: its vnode stays in the
	 * cache while it is referenced.
	 */
	if (ext2_inode_is_free(ump, (uint32_t)key))
		return ESTALE;
	if ((error = ext2_iget(ump, (uint32_t)key, &ip)) != 0)
		return error;
	di = ip->i_raw;
	error = EXT2_LE16(di->i_links_count) == 0 ? ESTALE : 0;
	if (error == 0 && ext2_mode_to_vtype(EXT2_LE16(di->i_mode)) == VBAD) {
		ext2_error(ump, "inode %u: links but mode 0%o", (uint32_t)key,
		    EXT2_LE16(di->i_mode));
		error = EUCLEAN;
	}
	if (error) {
		ext2_ifree_incore(ip);
		return error;
	}
	ip->i_vnode = vp;
	vp->v_type = ext2_mode_to_vtype(EXT2_LE16(di->i_mode));
	vp->v_op = &ext2_vnodeops;
	vp->v_data = ip;
	vp->v_rdev = 0;
	if (vp->v_type == VCHR || vp->v_type == VBLK) {
		if ((dev = EXT2_LE32(di->i_block[0])) != 0)
			vp->v_rdev = makedev(EXT2_OLD_DEV_MAJOR(dev),
			    EXT2_OLD_DEV_MINOR(dev));
		else {
			dev = EXT2_LE32(di->i_block[1]);
			vp->v_rdev = makedev(EXT2_NEW_DEV_MAJOR(dev),
			    EXT2_NEW_DEV_MINOR(dev));
		}
	}
	return 0;
}

#define EXT2_VFSOPS(var, name) \
static struct vfsops var = { \
	.vfs_name = name, \
	.vfs_mount = ext2_mount, \
	.vfs_unmount = ext2_unmount, \
	.vfs_root = ext2_root, \
	.vfs_statfs = ext2_statfs, \
	.vfs_sync = ext2_sync, \
	.vfs_loadvnode = ext2_loadvnode, \
	.vfs_remount = ext2_remount, \
}
EXT2_VFSOPS(ext2_vfsops, "ext2");
EXT2_VFSOPS(ext3_vfsops, "ext3");
EXT2_VFSOPS(ext4_vfsops, "ext4");

static int
ext2_modinit(void)
{
	int error;

	mutex_init(&ext2_devs_lock, MUTEX_DEFAULT, IPL_NONE);
	if ((error = vfs_register(&ext2_vfsops)) != 0)
		goto out;
	if ((error = vfs_register(&ext3_vfsops)) != 0) {
		vfs_unregister(&ext2_vfsops);
		goto out;
	}
	if ((error = vfs_register(&ext4_vfsops)) != 0) {
		vfs_unregister(&ext3_vfsops);
		vfs_unregister(&ext2_vfsops);
		goto out;
	}
	return 0;
 out:
	mutex_destroy(&ext2_devs_lock);
	return error;
}

static void
ext2_modfini(void)
{

	vfs_unregister(&ext4_vfsops);
	vfs_unregister(&ext3_vfsops);
	vfs_unregister(&ext2_vfsops);
	mutex_destroy(&ext2_devs_lock);
}

RUMP_COMPONENT(ext2, "vfs", ext2_modinit, ext2_modfini)
