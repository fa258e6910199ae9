/*
 * tmpfs_vnops.c: the vnode operations of tmpfs.
 *
 * Each operation works on the nodes behind the vnodes it is given; the
 * VFS has checked permissions, and the operations check the facts of the
 * file system (EEXIST, ENOTEMPTY, EMLINK, ENOSPC, EFBIG, ...) and keep
 * link counts and times as POSIX says.  New nodes get a vnode through
 * vcache_get (which calls tmpfs_loadvnode); a node whose last link goes
 * stays alive while a vnode refers to it (an unlinked open file) and is
 * freed by reclaim, which inactive asks for at once.
 *
 * Locking: the VFS locks the vnodes passed in (vnode.h): directories and
 * files being changed exclusive; lookup, read, readdir, readlink and
 * getattr maybe only shared.  A new vnode is returned locked exclusive
 * (parent before child, the VFS's order).  Under the vnode locks only
 * tm_lock is taken, briefly (tmpfs.h).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "tmpfs.h"

#define TS_GIVEN(ts) ((ts).tv_sec != VNOVAL || (ts).tv_nsec != VNOVAL)

static kauth_cred_t
tmpfs_cred(const struct componentname *cnp)
{

	return cnp->cn_cred != NULL ? cnp->cn_cred : kauth_cred_get();
}

static bool
tmpfs_isdot(const struct componentname *cnp)
{

	return cnp->cn_namelen == 1 && cnp->cn_nameptr[0] == '.';
}

static bool
tmpfs_isdotdot(const struct componentname *cnp)
{

	return cnp->cn_namelen == 2 && cnp->cn_nameptr[0] == '.' &&
	    cnp->cn_nameptr[1] == '.';
}

static int
tmpfs_lookup(struct vnode *dvp, const struct componentname *cnp,
    struct vnode **vpp)
{
	struct tmpfs_node *dn = VP_TO_TMPFS_NODE(dvp), *pn;
	struct tmpfs_dirent *de;

	*vpp = NULL;
	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (tmpfs_isdot(cnp)) {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	if (tmpfs_isdotdot(cnp)) {
		pn = dn->tn_u.tn_dir.td_parent;
		if (pn == NULL)		/* removed */
			return ENOENT;
		if (pn == dn) {		/* the root */
			vref(dvp);
			*vpp = dvp;
			return 0;
		}
		return vcache_get(dvp->v_mount, pn->tn_id, vpp);
	}
	if (cnp->cn_namelen > TMPFS_NAME_MAX)
		return ENAMETOOLONG;
	de = tmpfs_dir_lookup(dn, cnp->cn_nameptr, cnp->cn_namelen);
	if (de == NULL)
		return ENOENT;
	return vcache_get(dvp->v_mount, de->td_node->tn_id, vpp);
}

/* The mode and group of a new file in dn, Linux's rules (setgid dirs). */
static void
tmpfs_new_owner(struct tmpfs_node *dn, enum vtype type, kauth_cred_t cred,
    mode_t *modep, gid_t *gidp)
{
	mode_t mode = *modep & ALLPERMS;

	*gidp = cred->cr_fsgid;
	if (dn->tn_mode & S_ISGID) {
		*gidp = dn->tn_gid;
		if (type == VDIR)
			mode |= S_ISGID;
		else if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
		    !kauth_cred_groupmember(cred, dn->tn_gid) &&
		    !kauth_cred_capable(cred, CAP_FSETID))
			mode &= ~S_ISGID;
	}
	*modep = mode;
}

/* Give a new symbolic link its target. */
static int
tmpfs_set_target(struct tmpfs_mount *tm, struct tmpfs_node *tn,
    const char *target)
{
	size_t len = strnlen(target, PATH_MAX);
	char *link;
	int error;

	if (len == 0)
		return ENOENT;
	if (len >= PATH_MAX)
		return ENAMETOOLONG;
	if (len >= TMPFS_SHORT_SYMLINK &&
	    (error = tmpfs_pages_reserve(tm, 1)) != 0)
		return error;
	if ((link = kmem_alloc(len + 1, KM_SLEEP)) == NULL) {
		if (len >= TMPFS_SHORT_SYMLINK)
			tmpfs_pages_release(tm, 1);
		return ENOMEM;
	}
	memcpy(link, target, len + 1);
	tn->tn_u.tn_link = link;
	tn->tn_size = (off_t)len;
	return 0;
}

/*
 * Make a file of va's type named cnp in dvp: create, mknod, mkdir and
 * symlink.  *vpp is its vnode, referenced and locked exclusive.
 */
static int
tmpfs_newfile(struct vnode *dvp, const struct componentname *cnp,
    const struct vattr *va, enum vtype type, const char *target,
    struct vnode **vpp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(dvp->v_mount);
	struct tmpfs_node *dn = VP_TO_TMPFS_NODE(dvp), *tn = NULL;
	struct tmpfs_dirent *de = NULL;
	kauth_cred_t cred = tmpfs_cred(cnp);
	mode_t mode = va->va_mode;
	gid_t gid;
	int error;

	*vpp = NULL;
	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (dn->tn_links == 0)
		return ENOENT;
	if (cnp->cn_namelen > TMPFS_NAME_MAX)
		return ENAMETOOLONG;
	if (tmpfs_isdot(cnp) || tmpfs_isdotdot(cnp) ||
	    tmpfs_dir_lookup(dn, cnp->cn_nameptr, cnp->cn_namelen) != NULL)
		return EEXIST;
	if (type == VDIR && dn->tn_links >= TMPFS_LINK_MAX)
		return EMLINK;
	tmpfs_new_owner(dn, type, cred, &mode, &gid);
	if ((error = tmpfs_dirent_alloc(cnp->cn_nameptr, cnp->cn_namelen,
	    &de)) != 0)
		return error;
	error = tmpfs_node_alloc(tm, type, mode, cred->cr_fsuid, gid, &tn);
	if (error)
		goto out;
	switch (type) {
	case VCHR:
	case VBLK:
		tn->tn_u.tn_rdev = va->va_rdev;
		break;
	case VLNK:
		error = tmpfs_set_target(tm, tn, target);
		break;
	default:
		break;
	}
	if (error)
		goto out;
	if (type == VDIR) {
		tn->tn_u.tn_dir.td_parent = dn;
		dn->tn_links++;
	}
	/*
	 * The node is a file from here: tmpfs_loadvnode (a handle may name
	 * the node before its name is in place) reads the links of a node
	 * without a vnode under tm_lock.
	 */
	mutex_enter(&tm->tm_lock);
	tn->tn_links = type == VDIR ? 2 : 1;
	mutex_exit(&tm->tm_lock);
	tmpfs_dir_attach(tm, dn, de, tn);
	if ((error = vcache_get(dvp->v_mount, tn->tn_id, vpp)) != 0) {
		tmpfs_dir_detach(tm, dn, de);
		if (type == VDIR)
			dn->tn_links--;
		mutex_enter(&tm->tm_lock);
		tn->tn_links = 0;
		if (tn->tn_vnode != NULL)
			tn = NULL;	/* a handle's vnode: its reclaim frees */
		mutex_exit(&tm->tm_lock);
		goto out;
	}
	de = NULL;
	tn = NULL;
	tmpfs_touch(dn, true, true);
	vn_lock(*vpp, RW_WRITER);
 out:
	if (tn != NULL)		/* no vnode: loadvnode refused it */
		tmpfs_node_free(tm, tn);
	if (de != NULL)
		tmpfs_dirent_free(de);
	return error;
}

static int
tmpfs_create(struct vnode *dvp, const struct componentname *cnp,
    const struct vattr *va, struct vnode **vpp)
{

	return tmpfs_newfile(dvp, cnp, va, VREG, NULL, vpp);
}

static int
tmpfs_mknod(struct vnode *dvp, const struct componentname *cnp,
    const struct vattr *va, struct vnode **vpp)
{

	switch (va->va_type) {
	case VREG:
	case VCHR:
	case VBLK:
	case VFIFO:
	case VSOCK:
		return tmpfs_newfile(dvp, cnp, va, va->va_type, NULL, vpp);
	default:
		*vpp = NULL;
		return EINVAL;
	}
}

static int
tmpfs_mkdir(struct vnode *dvp, const struct componentname *cnp,
    const struct vattr *va, struct vnode **vpp)
{

	return tmpfs_newfile(dvp, cnp, va, VDIR, NULL, vpp);
}

static int
tmpfs_symlink(struct vnode *dvp, const struct componentname *cnp,
    const struct vattr *va, const char *target, struct vnode **vpp)
{

	return tmpfs_newfile(dvp, cnp, va, VLNK, target, vpp);
}

/* One name of a file that is not a directory is gone. */
static void
tmpfs_drop_link(struct tmpfs_mount *tm, struct tmpfs_node *tn)
{

	KASSERT(tn->tn_type != VDIR && tn->tn_links > 0);
	if (tn->tn_links > 1)		/* an extra link's inode space */
		tmpfs_inode_release(tm);
	tn->tn_links--;
	tmpfs_touch(tn, false, true);
}

static int
tmpfs_link(struct vnode *dvp, struct vnode *vp,
    const struct componentname *cnp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(dvp->v_mount);
	struct tmpfs_node *dn = VP_TO_TMPFS_NODE(dvp);
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);
	struct tmpfs_dirent *de;
	int error;

	if (vp->v_type == VDIR)
		return EPERM;
	if (vp->v_mount != dvp->v_mount)
		return EXDEV;
	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (dn->tn_links == 0 || tn->tn_links == 0)
		return ENOENT;
	if (tn->tn_links >= TMPFS_LINK_MAX)
		return EMLINK;
	if (cnp->cn_namelen > TMPFS_NAME_MAX)
		return ENAMETOOLONG;
	if (tmpfs_isdot(cnp) || tmpfs_isdotdot(cnp) ||
	    tmpfs_dir_lookup(dn, cnp->cn_nameptr, cnp->cn_namelen) != NULL)
		return EEXIST;
	if ((error = tmpfs_dirent_alloc(cnp->cn_nameptr, cnp->cn_namelen,
	    &de)) != 0)
		return error;
	if ((error = tmpfs_inode_reserve(tm)) != 0) {
		tmpfs_dirent_free(de);
		return error;
	}
	tmpfs_dir_attach(tm, dn, de, tn);
	tn->tn_links++;
	tmpfs_touch(tn, false, true);
	tmpfs_touch(dn, true, true);
	return 0;
}

/* The entry of cnp in dn if it names tn; ENOENT otherwise. */
static int
tmpfs_find_entry(struct tmpfs_node *dn, const struct componentname *cnp,
    struct tmpfs_node *tn, struct tmpfs_dirent **dep)
{
	struct tmpfs_dirent *de;

	de = tmpfs_dir_lookup(dn, cnp->cn_nameptr, cnp->cn_namelen);
	if (de == NULL || de->td_node != tn)
		return ENOENT;
	*dep = de;
	return 0;
}

static int
tmpfs_remove(struct vnode *dvp, struct vnode *vp,
    const struct componentname *cnp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(dvp->v_mount);
	struct tmpfs_node *dn = VP_TO_TMPFS_NODE(dvp);
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);
	struct tmpfs_dirent *de;
	int error;

	if (vp->v_type == VDIR)
		return EISDIR;
	if ((error = tmpfs_find_entry(dn, cnp, tn, &de)) != 0)
		return error;
	tmpfs_dir_detach(tm, dn, de);
	tmpfs_dirent_free(de);
	tmpfs_drop_link(tm, tn);
	tmpfs_touch(dn, true, true);
	return 0;
}

static int
tmpfs_rmdir(struct vnode *dvp, struct vnode *vp,
    const struct componentname *cnp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(dvp->v_mount);
	struct tmpfs_node *dn = VP_TO_TMPFS_NODE(dvp);
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);
	struct tmpfs_dirent *de;
	int error;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (vp == dvp)
		return EINVAL;
	if ((error = tmpfs_find_entry(dn, cnp, tn, &de)) != 0)
		return error;
	if (tn->tn_u.tn_dir.td_count > 0)
		return ENOTEMPTY;
	tmpfs_dir_detach(tm, dn, de);
	tmpfs_dirent_free(de);
	dn->tn_links--;
	tn->tn_links = 0;
	tn->tn_u.tn_dir.td_parent = NULL;
	tmpfs_touch(tn, false, true);
	tmpfs_touch(dn, true, true);
	return 0;
}

/* RENAME_EXCHANGE: the two entries swap files. */
static int
tmpfs_exchange(struct tmpfs_node *fdn, struct tmpfs_dirent *fde,
    struct tmpfs_node *fn, struct tmpfs_node *tdn, struct tmpfs_dirent *tde,
    struct tmpfs_node *tn)
{
	bool fisdir = fn->tn_type == VDIR, tisdir = tn->tn_type == VDIR;

	if (fdn != tdn && fisdir != tisdir) {
		if (fisdir && tdn->tn_links >= TMPFS_LINK_MAX)
			return EMLINK;
		if (tisdir && fdn->tn_links >= TMPFS_LINK_MAX)
			return EMLINK;
	}
	fde->td_node = tn;
	tde->td_node = fn;
	if (fdn != tdn) {
		if (fisdir) {
			fn->tn_u.tn_dir.td_parent = tdn;
			fdn->tn_links--;
			tdn->tn_links++;
		}
		if (tisdir) {
			tn->tn_u.tn_dir.td_parent = fdn;
			tdn->tn_links--;
			fdn->tn_links++;
		}
	}
	tmpfs_touch(fn, false, true);
	tmpfs_touch(tn, false, true);
	tmpfs_touch(fdn, true, true);
	if (tdn != fdn)
		tmpfs_touch(tdn, true, true);
	return 0;
}

/*
 * rename: the VFS has checked permissions, the types of the two files
 * against each other, that a directory does not move below itself, and
 * RENAME_NOREPLACE; left here are ENOTEMPTY, EMLINK, the link counts and
 * the ".." of a directory that changes parent.
 */
static int
tmpfs_rename(struct vnode *fdvp, struct vnode *fvp,
    const struct componentname *fcnp, struct vnode *tdvp, struct vnode *tvp,
    const struct componentname *tcnp, int flags)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(fdvp->v_mount);
	struct tmpfs_node *fdn = VP_TO_TMPFS_NODE(fdvp);
	struct tmpfs_node *fn = VP_TO_TMPFS_NODE(fvp);
	struct tmpfs_node *tdn = VP_TO_TMPFS_NODE(tdvp);
	struct tmpfs_node *tn = tvp != NULL ? VP_TO_TMPFS_NODE(tvp) : NULL;
	struct tmpfs_dirent *fde, *tde, *nde = NULL;
	bool fisdir = fn->tn_type == VDIR;
	int error;

	if (fvp->v_mount != tdvp->v_mount ||
	    (tvp != NULL && tvp->v_mount != tdvp->v_mount))
		return EXDEV;
	if ((error = tmpfs_find_entry(fdn, fcnp, fn, &fde)) != 0)
		return error;
	if (tcnp->cn_namelen > TMPFS_NAME_MAX)
		return ENAMETOOLONG;
	if (tdn->tn_links == 0)
		return ENOENT;
	tde = tmpfs_dir_lookup(tdn, tcnp->cn_nameptr, tcnp->cn_namelen);
	if (tn != NULL && (tde == NULL || tde->td_node != tn))
		return ENOENT;
	if (tn == NULL && tde != NULL)	/* the VFS saw no file there */
		return EEXIST;
	if (tn == fn)
		return 0;
	if (flags & RENAME_EXCHANGE) {
		if (tn == NULL)
			return ENOENT;
		return tmpfs_exchange(fdn, fde, fn, tdn, tde, tn);
	}
	if (tn != NULL && (flags & RENAME_NOREPLACE))
		return EEXIST;
	if (tn != NULL && tn->tn_type == VDIR) {
		if (!fisdir)
			return EISDIR;
		if (tn->tn_u.tn_dir.td_count > 0)
			return ENOTEMPTY;
	} else if (tn != NULL && fisdir)
		return ENOTDIR;
	if (fisdir && fdn != tdn && tn == NULL &&
	    tdn->tn_links >= TMPFS_LINK_MAX)
		return EMLINK;
	if (tn == NULL && (error = tmpfs_dirent_alloc(tcnp->cn_nameptr,
	    tcnp->cn_namelen, &nde)) != 0)
		return error;

	/* Nothing fails from here on. */
	tmpfs_dir_detach(tm, fdn, fde);
	tmpfs_dirent_free(fde);
	if (tn == NULL)
		tmpfs_dir_attach(tm, tdn, nde, fn);
	else {
		tde->td_node = fn;	/* the target name keeps its place */
		if (tn->tn_type == VDIR) {
			tn->tn_links = 0;
			tn->tn_u.tn_dir.td_parent = NULL;
			tdn->tn_links--;
			tmpfs_touch(tn, false, true);
		} else
			tmpfs_drop_link(tm, tn);
	}
	if (fisdir && fdn != tdn) {
		fn->tn_u.tn_dir.td_parent = tdn;
		fdn->tn_links--;
		tdn->tn_links++;
	}
	tmpfs_touch(fn, false, true);
	tmpfs_touch(fdn, true, true);
	if (tdn != fdn)
		tmpfs_touch(tdn, true, true);
	return 0;
}

static int
tmpfs_open(struct vnode *vp __unused, int fflags __unused,
    kauth_cred_t cred __unused)
{

	return 0;
}

static int
tmpfs_close(struct vnode *vp __unused, int fflags __unused,
    kauth_cred_t cred __unused)
{

	return 0;
}

static int
tmpfs_getattr(struct vnode *vp, struct vattr *va, kauth_cred_t cred __unused)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(vp->v_mount);
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);

	memset(va, 0, sizeof(*va));
	va->va_type = tn->tn_type;
	va->va_mode = tn->tn_mode;
	va->va_nlink = tn->tn_links;
	va->va_uid = tn->tn_uid;
	va->va_gid = tn->tn_gid;
	va->va_fileid = tn->tn_id;
	va->va_size = tn->tn_size;
	va->va_blksize = TMPFS_PAGE_SIZE;
	switch (tn->tn_type) {
	case VREG:
		va->va_bytes = tn->tn_u.tn_reg.tr_pages * TMPFS_PAGE_SIZE;
		break;
	case VLNK:
		va->va_bytes = tn->tn_size >= TMPFS_SHORT_SYMLINK ?
		    TMPFS_PAGE_SIZE : 0;
		break;
	default:
		va->va_bytes = 0;
		break;
	}
	tmpfs_get_atime(tm, tn, &va->va_atime);
	va->va_mtime = tn->tn_mtime;
	va->va_ctime = tn->tn_ctime;
	va->va_btime = tn->tn_btime;
	va->va_rdev = (tn->tn_type == VCHR || tn->tn_type == VBLK) ?
	    tn->tn_u.tn_rdev : 0;
	va->va_fsid = vp->v_mount->mnt_dev;
	va->va_gen = tn->tn_gen;
	va->va_vaflags = 0;
	return 0;
}

/* Fields not VNOVAL change; ctime becomes now (or va_ctime if given). */
static int
tmpfs_setattr(struct vnode *vp, const struct vattr *va,
    kauth_cred_t cred __unused)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(vp->v_mount);
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);
	bool sized = va->va_size != (off_t)VNOVAL;
	int error;

	if (sized) {
		if (vp->v_type == VDIR)
			return EISDIR;
		if (vp->v_type != VREG)
			return EINVAL;
		if (va->va_size < 0)
			return EINVAL;
		if (va->va_size > TMPFS_MAXFILESIZE)
			return EFBIG;
		if ((error = tmpfs_reg_truncate(tm, tn, va->va_size)) != 0)
			return error;
		tmpfs_touch(tn, true, false);
	}
	if (va->va_mode != (mode_t)VNOVAL)
		tn->tn_mode = va->va_mode & ALLPERMS;
	if (va->va_uid != (uid_t)VNOVAL)
		tn->tn_uid = va->va_uid;
	if (va->va_gid != (gid_t)VNOVAL)
		tn->tn_gid = va->va_gid;
	if (TS_GIVEN(va->va_atime))
		tmpfs_set_atime(tm, tn, &va->va_atime);
	if (TS_GIVEN(va->va_mtime))
		tn->tn_mtime = va->va_mtime;
	if (TS_GIVEN(va->va_ctime))
		tn->tn_ctime = va->va_ctime;
	else
		tmpfs_touch(tn, false, true);
	return 0;
}

static int
tmpfs_read(struct vnode *vp, struct uio *uio, int ioflag __unused,
    kauth_cred_t cred __unused)
{
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);
	int error;

	if (vp->v_type == VDIR)
		return EISDIR;
	if (vp->v_type != VREG)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;
	error = tmpfs_reg_read(tn, uio);
	tmpfs_touch_atime(VFS_TO_TMPFS(vp->v_mount), vp->v_mount, tn);
	return error;
}

/* A write by someone without CAP_FSETID drops set-user-ID and
 * set-group-ID (the latter only with group execute), as Linux does. */
static void
tmpfs_kill_suid(struct tmpfs_node *tn)
{
	mode_t m = tn->tn_mode;

	if (!(m & S_ISUID) && (m & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP))
		return;
	if (kauth_cred_capable(kauth_cred_get(), CAP_FSETID))
		return;
	m &= ~S_ISUID;
	if (m & S_IXGRP)
		m &= ~S_ISGID;
	tn->tn_mode = m;
}

static int
tmpfs_write(struct vnode *vp, struct uio *uio, int ioflag,
    kauth_cred_t cred __unused)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(vp->v_mount);
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);
	size_t written;
	int error;

	if (vp->v_type == VDIR)
		return EISDIR;
	if (vp->v_type != VREG)
		return EINVAL;
	if (ioflag & IO_APPEND)
		uio->uio_offset = tn->tn_size;
	if (uio->uio_resid == 0)
		return 0;
	error = tmpfs_reg_write(tm, tn, uio, &written);
	if (written > 0) {
		error = 0;	/* a short write */
		tmpfs_kill_suid(tn);
		tmpfs_touch(tn, true, true);
	}
	return error;
}

static int
tmpfs_fsync(struct vnode *vp __unused, int flags __unused,
    kauth_cred_t cred __unused)
{

	return 0;
}

static int
tmpfs_readdir(struct vnode *vp, struct uio *uio, kauth_cred_t cred __unused,
    int *eofp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(vp->v_mount);
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);
	int error;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	error = tmpfs_dir_getdents(tm, tn, uio, eofp);
	if (error == 0)
		tmpfs_touch_atime(tm, vp->v_mount, tn);
	return error;
}

static int
tmpfs_readlink(struct vnode *vp, struct uio *uio, kauth_cred_t cred __unused)
{
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);
	int error;

	if (vp->v_type != VLNK)
		return EINVAL;
	error = uiomove(tn->tn_u.tn_link,
	    MIN((size_t)tn->tn_size, uio->uio_resid), uio);
	if (error == 0)
		tmpfs_touch_atime(VFS_TO_TMPFS(vp->v_mount), vp->v_mount, tn);
	return error;
}

/* The last reference went: a file without links goes at once. */
static int
tmpfs_inactive(struct vnode *vp, bool *recyclep)
{
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);

	*recyclep = tn == NULL || tn->tn_links == 0;
	return 0;
}

/* Detach the node from the vnode; free it if no name is left. */
static int
tmpfs_reclaim(struct vnode *vp)
{
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);
	struct tmpfs_mount *tm;

	if (tn == NULL)		/* the mount is gone already */
		return 0;
	tm = VFS_TO_TMPFS(vp->v_mount);
	mutex_enter(&tm->tm_lock);
	KASSERT(tn->tn_vnode == vp);
	tn->tn_vnode = NULL;
	mutex_exit(&tm->tm_lock);
	vp->v_data = NULL;
	if (tn->tn_links == 0)
		tmpfs_node_free(tm, tn);
	return 0;
}

static int
tmpfs_ioctl(struct vnode *vp __unused, unsigned long cmd __unused,
    void *data __unused, int fflags __unused, kauth_cred_t cred __unused)
{

	return ENOTTY;
}

/* Files in memory never block. */
static int
tmpfs_poll(struct vnode *vp __unused, int events)
{

	return events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}

static int
tmpfs_pathconf(struct vnode *vp __unused, int name, register_t *retval)
{

	switch (name) {
	case _PC_LINK_MAX:
		*retval = TMPFS_LINK_MAX;
		return 0;
	case _PC_NAME_MAX:
		*retval = TMPFS_NAME_MAX;
		return 0;
	case _PC_PATH_MAX:
		*retval = PATH_MAX;
		return 0;
	case _PC_PIPE_BUF:
		*retval = TMPFS_PAGE_SIZE;
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
		*retval = TMPFS_PAGE_SHIFT +
		    TMPFS_RADIX_SHIFT * TMPFS_RADIX_MAXHEIGHT + 1;
		return 0;
	case _PC_SYMLINK_MAX:
		*retval = PATH_MAX - 1;
		return 0;
	default:
		return EINVAL;
	}
}

const struct vnodeops tmpfs_vnodeops = {
	.vop_lookup = tmpfs_lookup,
	.vop_create = tmpfs_create,
	.vop_mknod = tmpfs_mknod,
	.vop_mkdir = tmpfs_mkdir,
	.vop_symlink = tmpfs_symlink,
	.vop_link = tmpfs_link,
	.vop_remove = tmpfs_remove,
	.vop_rmdir = tmpfs_rmdir,
	.vop_rename = tmpfs_rename,
	.vop_open = tmpfs_open,
	.vop_close = tmpfs_close,
	.vop_getattr = tmpfs_getattr,
	.vop_setattr = tmpfs_setattr,
	.vop_read = tmpfs_read,
	.vop_write = tmpfs_write,
	.vop_fsync = tmpfs_fsync,
	.vop_readdir = tmpfs_readdir,
	.vop_readlink = tmpfs_readlink,
	.vop_inactive = tmpfs_inactive,
	.vop_reclaim = tmpfs_reclaim,
	.vop_ioctl = tmpfs_ioctl,
	.vop_poll = tmpfs_poll,
	.vop_pathconf = tmpfs_pathconf,
	.vop_getxattr = tmpfs_getxattr,
	.vop_setxattr = tmpfs_setxattr,
	.vop_listxattr = tmpfs_listxattr,
};
