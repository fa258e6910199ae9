/*
 * ext2_vnops.c: the vnode operations of ext2/3/4.
 *
 * The VFS has checked permissions; these check the facts of the file
 * system (EEXIST, ENOTEMPTY, EMLINK, ENOSPC, EFBIG, EROFS...) and keep
 * link counts, sizes and times as Linux does.  A new file's inode is
 * written to its inode table buffer before its name is added, and its
 * vnode comes from vcache_get (ext2_loadvnode reads it back from the
 * cached buffer).  A file whose last link goes keeps its inode until its
 * vnode is reclaimed, when its blocks and inode are freed.
 *
 * Locking: the VFS locks the vnodes passed in (vnode.h).  Readers under
 * a shared lock update only the access time, under um_lock.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/cprng.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/unistd.h>
#include <sys/vnode.h>

#include "ext2fs.h"

#define EXT2_LINK_MAX 65000
#define TS_GIVEN(ts) ((ts).tv_sec != VNOVAL || (ts).tv_nsec != VNOVAL)

static kauth_cred_t
ext2_cred(const struct componentname *cnp)
{

	return cnp->cn_cred != NULL ? cnp->cn_cred : kauth_cred_get();
}

static bool
ext2_isdot(const struct componentname *cnp)
{

	return cnp->cn_namelen == 1 && cnp->cn_nameptr[0] == '.';
}

static bool
ext2_isdotdot(const struct componentname *cnp)
{

	return cnp->cn_namelen == 2 && cnp->cn_nameptr[0] == '.' &&
	    cnp->cn_nameptr[1] == '.';
}

static uint16_t
ext2_links(const struct ext2inode *ip)
{

	return EXT2_LE16(ip->i_raw->i_links_count);
}

static void
ext2_set_links(struct ext2inode *ip, uint32_t n)
{

	ip->i_raw->i_links_count = (uint16_t)n;
}

static bool
ext2_readonly(struct vnode *vp)
{
	struct ext2mount *ump = VFSTOEXT2(vp->v_mount);

	return ump->um_ronly || (vp->v_mount->mnt_flag & MS_RDONLY);
}

/* A directory's link count + 1, as dir_nlink allows past the limit. */
static void
ext2_dir_inc_links(struct ext2inode *dp)
{
	uint32_t n = ext2_links(dp);

	if (n == 1 && EXT2_HAS_RO_COMPAT(dp->i_ump,
	    EXT4_FEATURE_RO_COMPAT_DIR_NLINK))
		return;
	if (n + 1 >= EXT2_LINK_MAX && EXT2_HAS_RO_COMPAT(dp->i_ump,
	    EXT4_FEATURE_RO_COMPAT_DIR_NLINK))
		n = 0;
	ext2_set_links(dp, n + 1);
}

static void
ext2_dir_dec_links(struct ext2inode *dp)
{
	uint32_t n = ext2_links(dp);

	if (n > 2 || (n == 2 && !EXT2_HAS_RO_COMPAT(dp->i_ump,
	    EXT4_FEATURE_RO_COMPAT_DIR_NLINK)))
		ext2_set_links(dp, n - 1);
}

static bool
ext2_dir_full(const struct ext2inode *dp)
{

	return ext2_links(dp) >= EXT2_LINK_MAX &&
	    !EXT2_HAS_RO_COMPAT(dp->i_ump, EXT4_FEATURE_RO_COMPAT_DIR_NLINK);
}

static int
ext2_lookup(struct vnode *dvp, const struct componentname *cnp,
    struct vnode **vpp)
{
	struct ext2inode *dp = VTOI(dvp);
	struct ext2_lookup_result lr;
	int error;

	*vpp = NULL;
	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (ext2_isdot(cnp)) {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	if (cnp->cn_namelen > EXT2_NAME_LEN)
		return ENAMETOOLONG;
	if (ext2_links(dp) == 0)
		return ENOENT;
	error = ext2_dir_lookup(dp, cnp->cn_nameptr, cnp->cn_namelen, &lr);
	if (error)
		return error;
	if (lr.lr_ino == dp->i_ino) {
		/* Only the root's ".." names the directory itself. */
		if (!ext2_isdotdot(cnp) || dp->i_ino != EXT2_ROOT_INO) {
			ext2_error(dp->i_ump, "directory %u: an entry names "
			    "the directory itself", dp->i_ino);
			return EUCLEAN;
		}
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	if (lr.lr_ino < dp->i_ump->um_first_ino && lr.lr_ino != EXT2_ROOT_INO) {
		ext2_error(dp->i_ump, "directory %u: entry names reserved "
		    "inode %u", dp->i_ino, lr.lr_ino);
		return EUCLEAN;
	}
	error = vcache_get(dvp->v_mount, lr.lr_ino, vpp);
	if (error == ESTALE) {
		/* ext2_loadvnode: the inode is free. */
		ext2_error(dp->i_ump, "directory %u: entry names free inode "
		    "%u", dp->i_ino, lr.lr_ino);
		error = EUCLEAN;
	}
	return error;
}

/* The mode and group of a new file in dp, Linux's rules. */
static void
ext2_new_owner(struct ext2inode *dp, enum vtype type, kauth_cred_t cred,
    mode_t *modep, gid_t *gidp)
{
	mode_t mode = *modep & ALLPERMS;
	uint16_t dmode = EXT2_LE16(dp->i_raw->i_mode);

	*gidp = cred->cr_fsgid;
	if (dmode & S_ISGID) {
		*gidp = ext2_i_gid(dp);
		if (type == VDIR)
			mode |= S_ISGID;
		else if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
		    !kauth_cred_groupmember(cred, *gidp) &&
		    !kauth_cred_capable(cred, CAP_FSETID))
			mode &= ~S_ISGID;
	}
	*modep = mode;
}

static uint16_t
ext2_type_bits(enum vtype t)
{

	switch (t) {
	case VREG: return EXT2_S_IFREG;
	case VDIR: return EXT2_S_IFDIR;
	case VLNK: return EXT2_S_IFLNK;
	case VCHR: return EXT2_S_IFCHR;
	case VBLK: return EXT2_S_IFBLK;
	case VFIFO: return EXT2_S_IFIFO;
	case VSOCK: return EXT2_S_IFSOCK;
	default: return 0;
	}
}

static void
ext2_set_ids(struct ext2inode *ip, uint32_t uid, uint32_t gid)
{

	ip->i_raw->i_uid = (uint16_t)uid;
	ip->i_raw->i_uid_high = (uint16_t)(uid >> 16);
	ip->i_raw->i_gid = (uint16_t)gid;
	ip->i_raw->i_gid_high = (uint16_t)(gid >> 16);
}

/*
 * A new inode of type (and mode, ids) for a file in dp: allocated,
 * initialised and written to its inode table buffer; *inop its number.
 */
static int
ext2_new_inode(struct ext2inode *dp, enum vtype type, mode_t mode,
    uid_t uid, gid_t gid, dev_t rdev, const char *target, size_t tlen,
    uint32_t *inop)
{
	struct ext2mount *ump = dp->i_ump;
	struct ext2inode *ip = NULL;
	struct ext2_dinode *di;
	struct timespec now;
	uint64_t pblk;
	struct buf *bp;
	uint32_t ino, ma, mi, extra;
	uint16_t imode = ext2_type_bits(type) | (mode & ALLPERMS);
	int error;

	*inop = 0;
	if ((error = ext2_ialloc(dp, imode, &ino)) != 0)
		return error;
	if ((ip = kmem_zalloc(sizeof(*ip), KM_SLEEP)) == NULL ||
	    (ip->i_rawsize = MAX(ump->um_inode_size,
	    sizeof(struct ext2_dinode)),
	    (ip->i_raw = kmem_zalloc(ip->i_rawsize, KM_SLEEP)) == NULL)) {
		error = ENOMEM;
		goto bad;
	}
	ip->i_ump = ump;
	ip->i_ino = ino;
	ip->i_alloc_group = (ino - 1) / ump->um_ipg;
	di = ip->i_raw;
	di->i_mode = imode;
	ext2_set_ids(ip, uid, gid);
	di->i_links_count = type == VDIR ? 2 : 1;
	di->i_generation = cprng_u32();
	if (ump->um_inode_size > EXT2_GOOD_OLD_INODE_SIZE) {
		extra = EXT2_LE16(ump->um_sb.s_want_extra_isize);
		if (extra < 32)
			extra = 32;
		if (extra > ump->um_inode_size - EXT2_GOOD_OLD_INODE_SIZE)
			extra = ump->um_inode_size - EXT2_GOOD_OLD_INODE_SIZE;
		di->i_extra_isize = (uint16_t)(extra & ~3U);
	}
	ext2_time_now(&now);
	ext2_i_set_time(ip, EXT2_TIME_ATIME, &now);
	ext2_i_set_time(ip, EXT2_TIME_MTIME, &now);
	ext2_i_set_time(ip, EXT2_TIME_CTIME, &now);
	ext2_i_set_time(ip, EXT2_TIME_CRTIME, &now);
	di->i_flags = EXT2_LE32(dp->i_raw->i_flags) & (EXT2_NODUMP_FL |
	    EXT2_NOATIME_FL | EXT2_SYNC_FL | EXT2_DIRSYNC_FL |
	    EXT4_PROJINHERIT_FL);
	if (type != VDIR)
		di->i_flags &= ~EXT2_DIRSYNC_FL;
	if (ext2_i_has_extra(ip, EXT2_INODE_FIELD_END(i_projid)) &&
	    ext2_i_has_extra(dp, EXT2_INODE_FIELD_END(i_projid)) &&
	    (EXT2_LE32(dp->i_raw->i_flags) & EXT4_PROJINHERIT_FL))
		di->i_projid = dp->i_raw->i_projid;
	if (type == VCHR || type == VBLK) {
		ma = major(rdev);
		mi = minor(rdev);
		if (ma < 256 && mi < 256)
			di->i_block[0] = (ma << 8) | mi;
		else
			di->i_block[1] = (mi & 0xff) | (ma << 8) |
			    ((mi & ~0xffU) << 12);
	} else if (type == VLNK && tlen <= EXT2_FAST_SYMLINK_MAX) {
		memcpy(di->i_block, target, tlen);
		ext2_i_set_size(ip, tlen);
	} else if (type == VREG || type == VDIR || type == VLNK) {
		if ((error = ext2_inode_init_blocks(ip)) != 0)
			goto bad;
	}
	if (type == VLNK && tlen > EXT2_FAST_SYMLINK_MAX) {
		if ((error = ext2_bmap(ip, 0, true, &pblk)) != 0)
			goto bad;
		if ((error = ext2_bget(ump, pblk, &bp)) != 0)
			goto bad;
		memcpy(bp->b_data, target, tlen);
		ext2_bdwrite(ump, bp);
		ext2_i_set_size(ip, tlen);
	}
	if (type == VDIR && (error = ext2_dir_init(ip, dp->i_ino)) != 0)
		goto bad;
	if ((error = ext2_inode_write(ip)) != 0)
		goto bad;
	ext2_ifree_incore(ip);
	*inop = ino;
	return 0;
 bad:
	if (ip != NULL && ip->i_raw != NULL) {
		if (ext2_i_blocks512(ip) != 0)
			(void)ext2_truncate(ip, 0);
		ip->i_state |= EXT2_IS_GONE;
		ext2_ifree_incore(ip);
	} else if (ip != NULL)
		kmem_free(ip, sizeof(*ip));
	ext2_ifree(ump, ino, type == VDIR);
	return error;
}

/* create, mknod, mkdir, symlink: a new file named cnp in dvp. */
static int
ext2_newfile(struct vnode *dvp, const struct componentname *cnp,
    const struct vattr *va, enum vtype type, const char *target,
    struct vnode **vpp)
{
	struct ext2inode *dp = VTOI(dvp);
	struct ext2_lookup_result lr;
	kauth_cred_t cred = ext2_cred(cnp);
	mode_t mode = va->va_mode;
	size_t tlen = 0;
	uint32_t ino;
	gid_t gid;
	int error;

	*vpp = NULL;
	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (ext2_readonly(dvp))
		return EROFS;
	if (ext2_links(dp) == 0)
		return ENOENT;
	if (cnp->cn_namelen > EXT2_NAME_LEN)
		return ENAMETOOLONG;
	if (ext2_isdot(cnp) || ext2_isdotdot(cnp))
		return EEXIST;
	error = ext2_dir_lookup(dp, cnp->cn_nameptr, cnp->cn_namelen, &lr);
	if (error == 0)
		return EEXIST;
	if (error != ENOENT)
		return error;
	if (type == VDIR && ext2_dir_full(dp))
		return EMLINK;
	if (type == VLNK) {
		tlen = strnlen(target, PATH_MAX);
		if (tlen == 0)
			return ENOENT;
		if (tlen >= PATH_MAX || tlen >= dp->i_ump->um_bsize)
			return ENAMETOOLONG;
		mode = 0777;
	}
	ext2_new_owner(dp, type, cred, &mode, &gid);
	error = ext2_new_inode(dp, type, mode, cred->cr_fsuid, gid,
	    va->va_rdev, target, tlen, &ino);
	if (error)
		return error;
	error = ext2_dir_add(dp, cnp->cn_nameptr, cnp->cn_namelen, ino,
	    ext2_vtype_to_ft(type));
	if (error == 0)
		error = vcache_get(dvp->v_mount, ino, vpp);
	if (error) {
		struct ext2inode *ip;

		if (ext2_dir_lookup(dp, cnp->cn_nameptr, cnp->cn_namelen,
		    &lr) == 0 && lr.lr_ino == ino)
			(void)ext2_dir_remove(dp, &lr);
		if (ext2_iget(dp->i_ump, ino, &ip) == 0) {
			(void)ext2_truncate(ip, 0);
			ip->i_state |= EXT2_IS_GONE;
			ext2_ifree_incore(ip);
		}
		ext2_ifree(dp->i_ump, ino, type == VDIR);
		return error;
	}
	if (type == VDIR)
		ext2_dir_inc_links(dp);
	ext2_itimes(dp, false, true, true);
	ext2_inode_dirty(dp);
	vn_lock(*vpp, RW_WRITER);
	return 0;
}

static int
ext2_create(struct vnode *dvp, const struct componentname *cnp,
    const struct vattr *va, struct vnode **vpp)
{

	return ext2_newfile(dvp, cnp, va, VREG, NULL, vpp);
}

static int
ext2_mknod(struct vnode *dvp, const struct componentname *cnp,
    const struct vattr *va, struct vnode **vpp)
{

	switch (va->va_type) {
	case VREG:
	case VCHR:
	case VBLK:
	case VFIFO:
	case VSOCK:
		return ext2_newfile(dvp, cnp, va, va->va_type, NULL, vpp);
	default:
		*vpp = NULL;
		return EINVAL;
	}
}

static int
ext2_mkdir(struct vnode *dvp, const struct componentname *cnp,
    const struct vattr *va, struct vnode **vpp)
{

	return ext2_newfile(dvp, cnp, va, VDIR, NULL, vpp);
}

static int
ext2_symlink(struct vnode *dvp, const struct componentname *cnp,
    const struct vattr *va, const char *target, struct vnode **vpp)
{

	return ext2_newfile(dvp, cnp, va, VLNK, target, vpp);
}

static int
ext2_link(struct vnode *dvp, struct vnode *vp,
    const struct componentname *cnp)
{
	struct ext2inode *dp = VTOI(dvp), *ip = VTOI(vp);
	struct ext2_lookup_result lr;
	int error;

	if (vp->v_type == VDIR)
		return EPERM;
	if (vp->v_mount != dvp->v_mount)
		return EXDEV;
	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (ext2_readonly(dvp))
		return EROFS;
	if (ext2_links(dp) == 0 || ext2_links(ip) == 0)
		return ENOENT;
	if (ext2_links(ip) >= EXT2_LINK_MAX)
		return EMLINK;
	if (cnp->cn_namelen > EXT2_NAME_LEN)
		return ENAMETOOLONG;
	if (ext2_isdot(cnp) || ext2_isdotdot(cnp))
		return EEXIST;
	error = ext2_dir_lookup(dp, cnp->cn_nameptr, cnp->cn_namelen, &lr);
	if (error == 0)
		return EEXIST;
	if (error != ENOENT)
		return error;
	error = ext2_dir_add(dp, cnp->cn_nameptr, cnp->cn_namelen, ip->i_ino,
	    ext2_vtype_to_ft(vp->v_type));
	if (error)
		return error;
	ext2_set_links(ip, ext2_links(ip) + 1);
	ext2_itimes(ip, false, false, true);
	ext2_inode_dirty(ip);
	ext2_itimes(dp, false, true, true);
	ext2_inode_dirty(dp);
	return 0;
}

/* The entry of cnp in dp if it names ino. */
static int
ext2_find_entry(struct ext2inode *dp, const struct componentname *cnp,
    uint32_t ino, struct ext2_lookup_result *lr)
{
	int error;

	error = ext2_dir_lookup(dp, cnp->cn_nameptr, cnp->cn_namelen, lr);
	if (error == 0 && lr->lr_ino != ino)
		error = ENOENT;
	return error;
}

static int
ext2_remove(struct vnode *dvp, struct vnode *vp,
    const struct componentname *cnp)
{
	struct ext2inode *dp = VTOI(dvp), *ip = VTOI(vp);
	struct ext2_lookup_result lr;
	int error;

	if (vp->v_type == VDIR)
		return EISDIR;
	if (ext2_readonly(dvp))
		return EROFS;
	if ((error = ext2_find_entry(dp, cnp, ip->i_ino, &lr)) != 0)
		return error;
	if ((error = ext2_dir_remove(dp, &lr)) != 0)
		return error;
	if (ext2_links(ip) > 0)
		ext2_set_links(ip, ext2_links(ip) - 1);
	ext2_itimes(ip, false, false, true);
	ext2_inode_dirty(ip);
	ext2_itimes(dp, false, true, true);
	ext2_inode_dirty(dp);
	return 0;
}

static int
ext2_rmdir(struct vnode *dvp, struct vnode *vp,
    const struct componentname *cnp)
{
	struct ext2inode *dp = VTOI(dvp), *ip = VTOI(vp);
	struct ext2_lookup_result lr;
	bool empty;
	int error;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (vp == dvp)
		return EINVAL;
	if (ext2_readonly(dvp))
		return EROFS;
	if ((error = ext2_find_entry(dp, cnp, ip->i_ino, &lr)) != 0)
		return error;
	if ((error = ext2_dir_isempty(ip, &empty)) != 0)
		return error;
	if (!empty)
		return ENOTEMPTY;
	if ((error = ext2_dir_remove(dp, &lr)) != 0)
		return error;
	ext2_dir_dec_links(dp);
	ext2_set_links(ip, 0);
	ext2_itimes(ip, false, false, true);
	ext2_inode_dirty(ip);
	ext2_itimes(dp, false, true, true);
	ext2_inode_dirty(dp);
	return 0;
}

/* Point the ".." of directory ip at newparent. */
static int
ext2_set_dotdot(struct ext2inode *ip, uint32_t newparent)
{
	struct ext2_lookup_result lr;
	int error;

	if ((error = ext2_dir_lookup(ip, "..", 2, &lr)) != 0)
		return error == ENOENT ? EUCLEAN : error;
	return ext2_dir_set_ino(ip, &lr, newparent, EXT2_FT_DIR);
}


/* Directory ip moved from parent from to parent to: its ".." and the
 * parents' link counts follow. */
static int
ext2_dir_moved(struct ext2inode *ip, struct ext2inode *from,
    struct ext2inode *to)
{
	int error;

	if ((error = ext2_set_dotdot(ip, to->i_ino)) != 0)
		return error;
	ext2_dir_dec_links(from);
	ext2_dir_inc_links(to);
	return 0;
}

/* The end of a rename: both directories changed. */
static void
ext2_rename_touch_dirs(struct ext2inode *fdp, struct ext2inode *tdp)
{

	ext2_itimes(fdp, false, true, true);
	ext2_inode_dirty(fdp);
	if (tdp != fdp) {
		ext2_itimes(tdp, false, true, true);
		ext2_inode_dirty(tdp);
	}
}

static int
ext2_exchange(struct ext2inode *fdp, struct ext2_lookup_result *flr,
    struct ext2inode *fp, struct ext2inode *tdp,
    struct ext2_lookup_result *tlr, struct ext2inode *tp)
{
	enum vtype ft = fp->i_vnode->v_type, tt = tp->i_vnode->v_type;
	bool fisdir = ft == VDIR, tisdir = tt == VDIR;
	int error;

	if (fdp != tdp && fisdir != tisdir) {
		if (fisdir && ext2_dir_full(tdp))
			return EMLINK;
		if (tisdir && ext2_dir_full(fdp))
			return EMLINK;
	}
	if ((error = ext2_dir_set_ino(fdp, flr, tp->i_ino,
	    ext2_vtype_to_ft(tt))) != 0)
		return error;
	if ((error = ext2_dir_set_ino(tdp, tlr, fp->i_ino,
	    ext2_vtype_to_ft(ft))) != 0)
		return error;
	if (fdp != tdp) {
		if (fisdir)
			(void)ext2_dir_moved(fp, fdp, tdp);
		if (tisdir)
			(void)ext2_dir_moved(tp, tdp, fdp);
	}
	ext2_itimes(fp, false, false, true);
	ext2_inode_dirty(fp);
	ext2_itimes(tp, false, false, true);
	ext2_inode_dirty(tp);
	ext2_rename_touch_dirs(fdp, tdp);
	return 0;
}

static int
ext2_rename(struct vnode *fdvp, struct vnode *fvp,
    const struct componentname *fcnp, struct vnode *tdvp, struct vnode *tvp,
    const struct componentname *tcnp, int flags)
{
	struct ext2inode *fdp = VTOI(fdvp), *fp = VTOI(fvp);
	struct ext2inode *tdp = VTOI(tdvp);
	struct ext2inode *tp = tvp != NULL ? VTOI(tvp) : NULL;
	struct ext2_lookup_result flr, tlr;
	bool fisdir = fvp->v_type == VDIR, empty;
	int error;

	if (fvp->v_mount != tdvp->v_mount ||
	    (tvp != NULL && tvp->v_mount != tdvp->v_mount))
		return EXDEV;
	if (ext2_readonly(fdvp))
		return EROFS;
	if ((error = ext2_find_entry(fdp, fcnp, fp->i_ino, &flr)) != 0)
		return error;
	if (tcnp->cn_namelen > EXT2_NAME_LEN)
		return ENAMETOOLONG;
	if (ext2_links(tdp) == 0)
		return ENOENT;
	error = ext2_dir_lookup(tdp, tcnp->cn_nameptr, tcnp->cn_namelen,
	    &tlr);
	if (error != 0 && error != ENOENT)
		return error;
	if (tp != NULL && (error != 0 || tlr.lr_ino != tp->i_ino))
		return ENOENT;
	if (tp == NULL && error == 0)
		return EEXIST;
	if (tp == fp)
		return 0;
	if (flags & RENAME_EXCHANGE) {
		if (tp == NULL)
			return ENOENT;
		return ext2_exchange(fdp, &flr, fp, tdp, &tlr, tp);
	}
	if (tp != NULL && (flags & RENAME_NOREPLACE))
		return EEXIST;
	if (tp != NULL && tvp->v_type == VDIR) {
		if (!fisdir)
			return EISDIR;
		if ((error = ext2_dir_isempty(tp, &empty)) != 0)
			return error;
		if (!empty)
			return ENOTEMPTY;
	} else if (tp != NULL && fisdir)
		return ENOTDIR;
	if (fisdir && fdp != tdp && tp == NULL && ext2_dir_full(tdp))
		return EMLINK;

	/* The new name first, then the old one goes. */
	if (tp != NULL)
		error = ext2_dir_set_ino(tdp, &tlr, fp->i_ino,
		    ext2_vtype_to_ft(fvp->v_type));
	else
		error = ext2_dir_add(tdp, tcnp->cn_nameptr, tcnp->cn_namelen,
		    fp->i_ino, ext2_vtype_to_ft(fvp->v_type));
	if (error)
		return error;
	if ((error = ext2_find_entry(fdp, fcnp, fp->i_ino, &flr)) != 0 ||
	    (error = ext2_dir_remove(fdp, &flr)) != 0)
		return error;
	if (tp != NULL) {
		if (tvp->v_type == VDIR) {
			ext2_set_links(tp, 0);
			ext2_dir_dec_links(tdp);
		} else if (ext2_links(tp) > 0)
			ext2_set_links(tp, ext2_links(tp) - 1);
		ext2_itimes(tp, false, false, true);
		ext2_inode_dirty(tp);
	}
	if (fisdir && fdp != tdp &&
	    (error = ext2_dir_moved(fp, fdp, tdp)) != 0)
		return error;
	ext2_itimes(fp, false, false, true);
	ext2_inode_dirty(fp);
	ext2_rename_touch_dirs(fdp, tdp);
	return 0;
}

static int
ext2_open(struct vnode *vp __unused, int fflags __unused,
    kauth_cred_t cred __unused)
{

	return 0;
}

static int
ext2_close(struct vnode *vp __unused, int fflags __unused,
    kauth_cred_t cred __unused)
{

	return 0;
}

static int
ext2_getattr(struct vnode *vp, struct vattr *va, kauth_cred_t cred __unused)
{
	struct ext2inode *ip = VTOI(vp);
	struct ext2mount *ump = ip->i_ump;

	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_mode = EXT2_LE16(ip->i_raw->i_mode) & ALLPERMS;
	va->va_nlink = ext2_links(ip);
	va->va_uid = ext2_i_uid(ip);
	va->va_gid = ext2_i_gid(ip);
	va->va_fileid = ip->i_ino;
	va->va_size = (off_t)ext2_i_size(ip);
	va->va_blksize = ump->um_bsize;
	va->va_bytes = ext2_i_blocks512(ip) * DEV_BSIZE;
	mutex_enter(&ump->um_lock);
	ext2_i_get_time(ip, EXT2_TIME_ATIME, &va->va_atime);
	mutex_exit(&ump->um_lock);
	ext2_i_get_time(ip, EXT2_TIME_MTIME, &va->va_mtime);
	ext2_i_get_time(ip, EXT2_TIME_CTIME, &va->va_ctime);
	ext2_i_get_time(ip, EXT2_TIME_CRTIME, &va->va_btime);
	va->va_rdev = vp->v_rdev;
	va->va_fsid = vp->v_mount->mnt_dev;
	va->va_gen = EXT2_LE32(ip->i_raw->i_generation);
	return 0;
}

static int
ext2_setattr(struct vnode *vp, const struct vattr *va,
    kauth_cred_t cred __unused)
{
	struct ext2inode *ip = VTOI(vp);
	struct ext2mount *ump = ip->i_ump;
	struct ext2_dinode *di = ip->i_raw;
	uint64_t max;
	uint32_t uid, gid;
	int error;

	if (ext2_readonly(vp))
		return EROFS;
	if (va->va_size != (off_t)VNOVAL) {
		if (vp->v_type == VDIR)
			return EISDIR;
		if (vp->v_type != VREG)
			return EINVAL;
		if (va->va_size < 0)
			return EINVAL;
		max = (EXT2_LE32(di->i_flags) & EXT4_EXTENTS_FL) ?
		    ump->um_maxfilesize_ext : ump->um_maxfilesize;
		if ((uint64_t)va->va_size > max)
			return EFBIG;
		if ((uint64_t)va->va_size != ext2_i_size(ip)) {
			error = ext2_truncate(ip, (uint64_t)va->va_size);
			if (error)
				return error;
		}
		ext2_itimes(ip, false, true, false);
	}
	if (va->va_mode != (mode_t)VNOVAL) {
		/* The access ACL follows first: if it cannot, the mode
		 * stays as it was (ext2_acl.c). */
		if (vp->v_type != VLNK &&
		    (error = ext2_acl_chmod(ip, va->va_mode & ALLPERMS)) != 0)
			return error;
		di->i_mode = (uint16_t)((EXT2_LE16(di->i_mode) &
		    EXT2_S_IFMT) | (va->va_mode & ALLPERMS));
	}
	uid = va->va_uid != (uid_t)VNOVAL ? va->va_uid : ext2_i_uid(ip);
	gid = va->va_gid != (gid_t)VNOVAL ? va->va_gid : ext2_i_gid(ip);
	ext2_set_ids(ip, uid, gid);
	if (TS_GIVEN(va->va_atime)) {
		mutex_enter(&ump->um_lock);
		ext2_i_set_time(ip, EXT2_TIME_ATIME, &va->va_atime);
		mutex_exit(&ump->um_lock);
	}
	if (TS_GIVEN(va->va_mtime))
		ext2_i_set_time(ip, EXT2_TIME_MTIME, &va->va_mtime);
	if (TS_GIVEN(va->va_ctime))
		ext2_i_set_time(ip, EXT2_TIME_CTIME, &va->va_ctime);
	else
		ext2_itimes(ip, false, false, true);
	ext2_inode_dirty(ip);
	return 0;
}

/* Access time after a read, Linux's relatime rule by default. */
static void
ext2_touch_atime(struct vnode *vp)
{
	struct ext2inode *ip = VTOI(vp);
	struct ext2mount *ump = ip->i_ump;
	int mflag = vp->v_mount->mnt_flag;
	struct timespec now, at, mt, ct;

	if (ext2_readonly(vp) || (mflag & MS_NOATIME) ||
	    ((mflag & MS_NODIRATIME) && vp->v_type == VDIR) ||
	    (EXT2_LE32(ip->i_raw->i_flags) & EXT2_NOATIME_FL))
		return;
	ext2_time_now(&now);
	mutex_enter(&ump->um_lock);
	ext2_i_get_time(ip, EXT2_TIME_ATIME, &at);
	if (!(mflag & MS_STRICTATIME)) {
		ext2_i_get_time(ip, EXT2_TIME_MTIME, &mt);
		ext2_i_get_time(ip, EXT2_TIME_CTIME, &ct);
		if (at.tv_sec > mt.tv_sec ||
		    (at.tv_sec == mt.tv_sec && at.tv_nsec > mt.tv_nsec)) {
			if ((at.tv_sec > ct.tv_sec || (at.tv_sec ==
			    ct.tv_sec && at.tv_nsec > ct.tv_nsec)) &&
			    now.tv_sec - at.tv_sec < 24 * 60 * 60) {
				mutex_exit(&ump->um_lock);
				return;
			}
		}
	}
	ext2_i_set_time(ip, EXT2_TIME_ATIME, &now);
	(void)ext2_inode_write(ip);
	mutex_exit(&ump->um_lock);
}

static int
ext2_read(struct vnode *vp, struct uio *uio, int ioflag __unused,
    kauth_cred_t cred __unused)
{
	struct ext2inode *ip = VTOI(vp);
	struct ext2mount *ump = ip->i_ump;
	uint64_t size, lblk, pblk;
	uint32_t off, n;
	struct buf *bp;
	int error = 0;

	if (vp->v_type == VDIR)
		return EISDIR;
	if (vp->v_type != VREG)
		return EINVAL;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;
	size = ext2_i_size(ip);
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < size) {
		lblk = (uint64_t)uio->uio_offset >> ump->um_bshift;
		off = (uint32_t)(uio->uio_offset & (ump->um_bsize - 1));
		n = (uint32_t)MIN((uint64_t)(ump->um_bsize - off),
		    size - (uint64_t)uio->uio_offset);
		n = (uint32_t)MIN((size_t)n, uio->uio_resid);
		if ((error = ext2_bmap(ip, lblk, false, &pblk)) != 0)
			break;
		if (pblk == 0) {
			static const char zeros[512];
			uint32_t k;

			for (k = 0; k < n && error == 0; k += sizeof(zeros))
				error = uiomove((void *)(uintptr_t)zeros,
				    MIN((uint32_t)sizeof(zeros), n - k), uio);
			if (error)
				break;
			continue;
		}
		if ((error = ext2_bread(ump, pblk, &bp)) != 0)
			break;
		error = uiomove((char *)bp->b_data + off, n, uio);
		brelse(bp);
		if (error)
			break;
	}
	ext2_touch_atime(vp);
	return error;
}

/* A write by someone without CAP_FSETID drops set-user-ID and
 * set-group-ID (the latter only with group execute), as Linux does. */
static void
ext2_kill_suid(struct ext2inode *ip)
{
	uint16_t m = EXT2_LE16(ip->i_raw->i_mode);

	if (!(m & S_ISUID) && (m & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP))
		return;
	if (kauth_cred_capable(kauth_cred_get(), CAP_FSETID))
		return;
	m &= ~S_ISUID;
	if (m & S_IXGRP)
		m &= ~S_ISGID;
	ip->i_raw->i_mode = m;
}

static int
ext2_write(struct vnode *vp, struct uio *uio, int ioflag,
    kauth_cred_t cred __unused)
{
	struct ext2inode *ip = VTOI(vp);
	struct ext2mount *ump = ip->i_ump;
	uint64_t max, lblk, pblk, end;
	size_t startresid, n;
	uint32_t off;
	struct buf *bp;
	bool fresh;
	int error = 0;

	if (vp->v_type == VDIR)
		return EISDIR;
	if (vp->v_type != VREG)
		return EINVAL;
	if (ext2_readonly(vp))
		return EROFS;
	if (ioflag & IO_APPEND)
		uio->uio_offset = (off_t)ext2_i_size(ip);
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;
	max = (EXT2_LE32(ip->i_raw->i_flags) & EXT4_EXTENTS_FL) ?
	    ump->um_maxfilesize_ext : ump->um_maxfilesize;
	if ((uint64_t)uio->uio_offset >= max)
		return EFBIG;
	startresid = uio->uio_resid;
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < max) {
		lblk = (uint64_t)uio->uio_offset >> ump->um_bshift;
		off = (uint32_t)(uio->uio_offset & (ump->um_bsize - 1));
		n = MIN((size_t)(ump->um_bsize - off), uio->uio_resid);
		n = (size_t)MIN((uint64_t)n, max - (uint64_t)uio->uio_offset);
		/* A whole block is written over whatever was there: map
		 * it (filling a hole) at once; a part of a block needs to
		 * know whether it was a hole (then the rest is zeros). */
		fresh = n == ump->um_bsize;
		if (!fresh) {
			if ((error = ext2_bmap(ip, lblk, false, &pblk)) != 0)
				break;
			fresh = pblk == 0;
		}
		if (fresh && (error = ext2_bmap(ip, lblk, true, &pblk)) != 0)
			break;
		if (fresh)
			error = ext2_bget(ump, pblk, &bp);
		else
			error = ext2_bread(ump, pblk, &bp);
		if (error)
			break;
		error = uiomove((char *)bp->b_data + off, n, uio);
		ext2_bdwrite(ump, bp);
		if (error)
			break;
		end = (uint64_t)uio->uio_offset;
		if (end > ext2_i_size(ip))
			ext2_i_set_size(ip, end);
	}
	if (uio->uio_resid < startresid) {
		error = 0;		/* a short write */
		ext2_kill_suid(ip);
		ext2_itimes(ip, false, true, true);
	}
	ext2_inode_dirty(ip);
	if (error == 0 && ((ioflag & (IO_SYNC | IO_DSYNC)) ||
	    (vp->v_mount->mnt_flag & MS_SYNCHRONOUS) ||
	    (EXT2_LE32(ip->i_raw->i_flags) & EXT2_SYNC_FL)))
		error = bflush(ump->um_dev);
	return error;
}

static int
ext2_fsync(struct vnode *vp, int flags __unused, kauth_cred_t cred __unused)
{
	struct ext2inode *ip = VTOI(vp);
	struct ext2mount *ump = ip->i_ump;
	int error = 0;

	if (ump->um_ronly)
		return 0;
	if (ip->i_state & EXT2_IS_DIRTY)
		error = ext2_inode_write(ip);
	if (error == 0)
		error = ext2_write_super(ump, false);
	if (error == 0)
		error = bflush(ump->um_dev);
	return error;
}

static int
ext2_readdir(struct vnode *vp, struct uio *uio, kauth_cred_t cred __unused,
    int *eofp)
{
	struct ext2inode *ip = VTOI(vp);
	int eof = 0, error;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (ext2_links(ip) == 0)
		return ENOENT;
	error = ext2_dir_readdir(ip, uio, &eof);
	if (eofp != NULL)
		*eofp = eof;
	if (error == 0)
		ext2_touch_atime(vp);
	return error;
}

static int
ext2_readlink(struct vnode *vp, struct uio *uio, kauth_cred_t cred __unused)
{
	struct ext2inode *ip = VTOI(vp);
	struct ext2mount *ump = ip->i_ump;
	uint64_t size = ext2_i_size(ip), pblk, ea;
	struct buf *bp;
	int error;

	if (vp->v_type != VLNK)
		return EINVAL;
	ea = ext2_i_file_acl(ip) != 0 ? ump->um_bsectors : 0;
	if (size == 0 || size >= ump->um_bsize || size >= PATH_MAX) {
		ext2_error(ump, "symbolic link %u: bad size %llu", ip->i_ino,
		    (unsigned long long)size);
		return EUCLEAN;
	}
	if (!(EXT2_LE32(ip->i_raw->i_flags) & EXT4_EXTENTS_FL) &&
	    ext2_i_blocks512(ip) <= ea) {
		if (size > EXT2_FAST_SYMLINK_MAX) {
			ext2_error(ump, "symbolic link %u: bad size %llu",
			    ip->i_ino, (unsigned long long)size);
			return EUCLEAN;
		}
		error = uiomove(ip->i_raw->i_block, MIN((size_t)size,
		    uio->uio_resid), uio);
	} else {
		if ((error = ext2_bmap(ip, 0, false, &pblk)) != 0)
			return error;
		if (pblk == 0)
			return EUCLEAN;
		if ((error = ext2_bread(ump, pblk, &bp)) != 0)
			return error;
		error = uiomove(bp->b_data, MIN((size_t)size, uio->uio_resid),
		    uio);
		brelse(bp);
	}
	if (error == 0)
		ext2_touch_atime(vp);
	return error;
}

static int
ext2_inactive(struct vnode *vp, bool *recyclep)
{
	struct ext2inode *ip = VTOI(vp);

	*recyclep = ip == NULL || ext2_links(ip) == 0;
	return 0;
}

/* Detach the inode; free it on disk if no name is left. */
static int
ext2_reclaim(struct vnode *vp)
{
	struct ext2inode *ip = VTOI(vp);
	struct ext2mount *ump;
	struct timespec now;

	if (ip == NULL)
		return 0;
	ump = ip->i_ump;
	if (ext2_links(ip) == 0 && !ump->um_ronly &&
	    !(ip->i_state & EXT2_IS_GONE)) {
		(void)ext2_truncate(ip, 0);
		ext2_xattr_release(ip);
		ext2_time_now(&now);
		ip->i_raw->i_dtime = (uint32_t)now.tv_sec;
		ext2_inode_dirty(ip);
		ext2_ifree(ump, ip->i_ino, vp->v_type == VDIR);
	} else if (ip->i_state & EXT2_IS_DIRTY)
		(void)ext2_inode_write(ip);
	vp->v_data = NULL;
	ext2_ifree_incore(ip);
	return 0;
}

static int
ext2_ioctl(struct vnode *vp __unused, unsigned long cmd __unused,
    void *data __unused, int fflags __unused, kauth_cred_t cred __unused)
{

	return ENOTTY;
}

static int
ext2_poll(struct vnode *vp __unused, int events)
{

	return events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}

static int
ext2_pathconf(struct vnode *vp, int name, register_t *retval)
{

	switch (name) {
	case _PC_LINK_MAX:
		*retval = EXT2_LINK_MAX;
		return 0;
	case _PC_NAME_MAX:
		*retval = EXT2_NAME_LEN;
		return 0;
	case _PC_PATH_MAX:
		*retval = PATH_MAX;
		return 0;
	case _PC_PIPE_BUF:
		*retval = 4096;
		return 0;
	case _PC_CHOWN_RESTRICTED:
	case _PC_NO_TRUNC:
		*retval = 1;
		return 0;
	case _PC_MAX_CANON:
	case _PC_MAX_INPUT:
		*retval = 255;
		return 0;
	case _PC_VDISABLE:
		*retval = 0;
		return 0;
	case _PC_FILESIZEBITS:
		*retval = 64;
		return 0;
	case _PC_SYMLINK_MAX:
		*retval = (register_t)VTOI(vp)->i_ump->um_bsize - 1;
		return 0;
	default:
		return EINVAL;
	}
}

const struct vnodeops ext2_vnodeops = {
	.vop_lookup = ext2_lookup,
	.vop_create = ext2_create,
	.vop_mknod = ext2_mknod,
	.vop_mkdir = ext2_mkdir,
	.vop_symlink = ext2_symlink,
	.vop_link = ext2_link,
	.vop_remove = ext2_remove,
	.vop_rmdir = ext2_rmdir,
	.vop_rename = ext2_rename,
	.vop_open = ext2_open,
	.vop_close = ext2_close,
	.vop_getattr = ext2_getattr,
	.vop_setattr = ext2_setattr,
	.vop_read = ext2_read,
	.vop_write = ext2_write,
	.vop_fsync = ext2_fsync,
	.vop_readdir = ext2_readdir,
	.vop_readlink = ext2_readlink,
	.vop_inactive = ext2_inactive,
	.vop_reclaim = ext2_reclaim,
	.vop_ioctl = ext2_ioctl,
	.vop_poll = ext2_poll,
	.vop_pathconf = ext2_pathconf,
	.vop_getxattr = ext2_xattr_get,
	.vop_setxattr = ext2_xattr_set,
	.vop_listxattr = ext2_xattr_list,
};
