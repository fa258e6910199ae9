/*
 * vfs_fhandle.c: file handles, name_to_handle_at and open_by_handle_at
 * (Linux 2.6.39).  name_to_handle_at gives a handle for a file, which
 * open_by_handle_at opens again without a path, for a file server that
 * keeps handles rather than open files.
 *
 * A handle is the file's vnode key in its mount (the inode number) and
 * its generation (va_gen), so that the handle of a removed file whose
 * number was given to a new one is stale.  The layouts and type numbers
 * are Linux's for such handles (exportfs's FILEID_INO32_GEN and
 * FILEID_INO64_GEN), in the machine's byte order; callers treat them as
 * opaque.  open_by_handle_at finds the file with vcache_get: a file
 * system's vfs_loadvnode must refuse a number that names no file
 * (ESTALE) rather than load it, as a handle may name any number.  The
 * open itself is openat's (vfs_vnops.c: vn_open_flags, vn_open_vnode,
 * vn_open_install).
 *
 * Locking: none of its own; the vnode lock around the open, as openat.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/proc.h>
#include <sys/syscallargs.h>
#include <sys/vnode.h>

#include "vfs_private.h"

#define FH_INO32_GEN 1		/* uint32_t ino, uint32_t gen */
#define FH_INO32_GEN_SIZE 8
#define FH_INO64_GEN 0x81	/* uint64_t ino, uint32_t gen */
#define FH_INO64_GEN_SIZE 12
#define FH_INVALID 0xff		/* the type that EOVERFLOW reports */
/* handle_type's upper half: flags; Linux knows these two. */
#define FH_FLAGS_MASK 0xffff0000
#define FH_IS_CONNECTABLE 0x10000	/* nothing to us: ignored */
#define FH_IS_DIR 0x20000		/* the file must be a directory */

/* vp's handle: its type, its bytes in buf (MAX_HANDLE_SZ), its size. */
static int
fh_encode(struct vnode *vp, int *typep, unsigned char *buf,
    unsigned int *sizep)
{
	struct vattr va;
	uint64_t ino = vp->v_key;
	uint32_t ino32, gen;
	int error;

	if ((error = vn_getattr(vp, &va, kauth_cred_get())) != 0)
		return error;
	gen = (uint32_t)va.va_gen;
	if (ino <= UINT32_MAX) {
		ino32 = (uint32_t)ino;
		memcpy(buf, &ino32, sizeof(ino32));
		memcpy(buf + sizeof(ino32), &gen, sizeof(gen));
		*typep = FH_INO32_GEN;
		*sizep = FH_INO32_GEN_SIZE;
	} else {
		memcpy(buf, &ino, sizeof(ino));
		memcpy(buf + sizeof(ino), &gen, sizeof(gen));
		*typep = FH_INO64_GEN;
		*sizep = FH_INO64_GEN_SIZE;
	}
	return 0;
}

/* The inode number and generation in a handle: ESTALE if none. */
static int
fh_decode(const struct file_handle *fh, const unsigned char *buf,
    uint64_t *inop, uint32_t *genp)
{
	uint32_t ino32;

	switch (fh->handle_type & ~FH_FLAGS_MASK) {
	case FH_INO32_GEN:
		if (fh->handle_bytes != FH_INO32_GEN_SIZE)
			return ESTALE;
		memcpy(&ino32, buf, sizeof(ino32));
		memcpy(genp, buf + sizeof(ino32), sizeof(*genp));
		*inop = ino32;
		return 0;
	case FH_INO64_GEN:
		if (fh->handle_bytes != FH_INO64_GEN_SIZE)
			return ESTALE;
		memcpy(inop, buf, sizeof(*inop));
		memcpy(genp, buf + sizeof(*inop), sizeof(*genp));
		return 0;
	default:
		return ESTALE;	/* Linux's ext4: a type it does not know */
	}
}

/*
 * name_to_handle_at: the handle of the file that path names (a final
 * symbolic link itself unless AT_SYMLINK_FOLLOW; dirfd's file with
 * AT_EMPTY_PATH and ""), and the mount's id (statx's stx_mnt_id).
 * AT_HANDLE_FID asks for a handle only to compare: ours can all be
 * opened, so it changes nothing.  A handle_bytes too small for the
 * handle is EOVERFLOW with the size needed written back; the mount's id
 * is written then too.
 */
int
sys_name_to_handle_at(struct lwp *l __unused,
    const struct sys_name_to_handle_at_args *uap, register_t *retval __unused)
{
	struct file_handle fh, *ufh = SCARG(uap, handle);
	unsigned char buf[MAX_HANDLE_SZ];
	int flags = SCARG(uap, flags), type, mntid, error;
	unsigned int size;
	struct vnode *vp;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH | AT_HANDLE_FID))
		return EINVAL;
	error = lookup_file(SCARG(uap, dirfd), SCARG(uap, path),
	    (flags & AT_SYMLINK_FOLLOW) != 0, (flags & AT_EMPTY_PATH) != 0,
	    &vp);
	if (error)
		return error;
	/* Linux's order: the name, then the handle's header. */
	if ((error = copyin(ufh, &fh, sizeof(fh))) == 0 &&
	    fh.handle_bytes > MAX_HANDLE_SZ)
		error = EINVAL;
	if (error == 0)
		error = fh_encode(vp, &type, buf, &size);
	mntid = (int)vp->v_mount->mnt_id;
	vrele(vp);
	if (error)
		return error;
	if (size > fh.handle_bytes) {
		error = EOVERFLOW;
		type = FH_INVALID;
	}
	fh.handle_bytes = size;
	fh.handle_type = type;
	if (copyout(&mntid, SCARG(uap, mount_id), sizeof(mntid)) != 0 ||
	    copyout(&fh, ufh, sizeof(fh)) != 0)
		return EFAULT;
	if (error == 0 && copyout(buf, (char *)ufh +
	    offsetof(struct file_handle, f_handle), size) != 0)
		return EFAULT;
	return error;
}

/*
 * open_by_handle_at's mount_fd: the vnode of its file (referenced), or
 * the working directory's for AT_FDCWD; its mount is the one the handle
 * is for.  An O_PATH descriptor is EBADF (Linux takes mount_fd as it
 * takes the descriptor of read(2)); one that is not a vnode's gives
 * *vpp NULL, a mount that knows no handles.
 */
static int
fh_mount_vnode(int fd, struct vnode **vpp)
{
	struct cwdinfo *cwdi;
	struct file *fp;
	int error = 0;

	*vpp = NULL;
	if (fd == AT_FDCWD) {
		cwdi = cwd_info(NULL);
		rw_enter(&cwdi->cwdi_lock, RW_READER);
		*vpp = cwdi->cwdi_cdir;
		vref(*vpp);
		rw_exit(&cwdi->cwdi_lock);
		return 0;
	}
	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (fp->f_flag & O_PATH)
		error = EBADF;
	else if ((*vpp = file_vnode(fp)) != NULL)
		vref(*vpp);
	fd_putfile(fp);
	return error;
}

/* Copy a handle in: its header into *fh, its bytes into buf. */
static int
fh_copyin(const struct file_handle *ufh, struct file_handle *fh,
    unsigned char *buf)
{
	int error;

	if ((error = copyin(ufh, fh, sizeof(*fh))) != 0)
		return error;
	if (fh->handle_bytes == 0 || fh->handle_bytes > MAX_HANDLE_SZ)
		return EINVAL;
	if (fh->handle_type < 0 || (fh->handle_type & FH_FLAGS_MASK &
	    ~(FH_IS_CONNECTABLE | FH_IS_DIR)) != 0)
		return EINVAL;
	return copyin((const char *)ufh + offsetof(struct file_handle,
	    f_handle), buf, fh->handle_bytes);
}

/*
 * The file of a handle in mp: referenced, unlocked.  ESTALE when the
 * handle names no file: no such inode, a free one, a generation that is
 * not the file's (the number was used again).
 */
static int
fh_to_vnode(struct mount *mp, const struct file_handle *fh,
    const unsigned char *buf, struct vnode **vpp)
{
	struct vattr va;
	struct vnode *vp;
	uint64_t ino;
	uint32_t gen;
	int error;

	if ((error = fh_decode(fh, buf, &ino, &gen)) != 0)
		return error;
	if ((error = vcache_get(mp, ino, &vp)) != 0)
		return error;
	if (vp->v_type == VNON || vp->v_type == VBAD)
		error = ESTALE;
	else if ((fh->handle_type & FH_IS_DIR) && vp->v_type != VDIR)
		error = ESTALE;
	else if ((error = vn_getattr(vp, &va, kauth_cred_get())) == 0 &&
	    (uint32_t)va.va_gen != gen)
		error = ESTALE;
	if (error) {
		vrele(vp);
		return error;
	}
	*vpp = vp;
	return 0;
}

/*
 * open_by_handle_at: open the file of a handle from name_to_handle_at in
 * the mount of mount_fd, as openat opens a file it has found (flags as
 * openat's; a symbolic link opens with O_PATH only).  Needs
 * CAP_DAC_READ_SEARCH: a handle passes by every directory's permissions.
 * The errors come in Linux's (6.18) order: the handle's size and type
 * (EFAULT, EINVAL), the descriptor, the capability, the file (ESTALE),
 * then the open's.
 */
int
sys_open_by_handle_at(struct lwp *l __unused,
    const struct sys_open_by_handle_at_args *uap, register_t *retval)
{
	struct file_handle fh;
	unsigned char buf[MAX_HANDLE_SZ];
	kauth_cred_t cred = kauth_cred_get();
	int flags = SCARG(uap, flags), fd, error;
	struct vnode *mvp, *vp = NULL;

	if ((error = fh_copyin(SCARG(uap, handle), &fh, buf)) != 0)
		return error;
	if ((error = fh_mount_vnode(SCARG(uap, mount_fd), &mvp)) != 0)
		return error;
	if (!kauth_cred_capable(cred, CAP_DAC_READ_SEARCH))
		error = EPERM;
	else {
		error = mvp == NULL ? ESTALE :
		    fh_to_vnode(mvp->v_mount, &fh, buf, &vp);
		/* Linux: whatever goes wrong finding it, but memory. */
		if (error != 0 && error != ENOMEM)
			error = ESTALE;
	}
	if (mvp != NULL)
		vrele(mvp);
	if (error)
		return error;
	if ((error = vn_open_flags(&flags)) == 0) {
		vn_lock(vp, RW_WRITER);
		error = vn_open_vnode(NULL, vp, flags, cred);
		vn_unlock(vp);
	}
	if (error) {
		vrele(vp);
		return error;
	}
	if ((error = vn_open_install(vp, flags, &fd)) != 0)
		return error;
	retval[0] = fd;
	return 0;
}
