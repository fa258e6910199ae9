/*
 * vfs_mountcalls.c: mount(2) and umount2(2), Linux's interface.
 *
 * mount(source, target, fstype, flags, data) mounts a new file system of
 * fstype over the directory target (MS_RDONLY, MS_NOSUID, MS_NODEV,
 * MS_NOEXEC, MS_SYNCHRONOUS, MS_NOATIME, MS_NODIRATIME are kept and
 * reported by statfs), or with MS_REMOUNT changes the flags of the mount
 * whose root target is.  Bind mounts and propagation flags are not
 * supported (EINVAL).  data is the file system's option string, at most
 * a page.  Both calls need CAP_SYS_ADMIN.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/rwlock.h>
#include <sys/syscallargs.h>
#include <sys/vnode.h>

#include "vfs_private.h"

#define MOUNT_DATA_MAX 4096	/* Linux copies one page of options */
#define MOUNT_TYPE_MAX 64

/* The flags a mount keeps; the rest of MS_* is refused or ignored. */
#define MS_KEPT (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | \
	MS_SYNCHRONOUS | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | \
	MS_STRICTATIME)
#define MS_UNSUPPORTED (MS_BIND | MS_MOVE | MS_SHARED | MS_PRIVATE | \
	MS_SLAVE | MS_UNBINDABLE | MS_REC)

/* Copy an optional user string into a fresh kernel buffer of size max. */
static int
copyin_optstr(const char *ustr, size_t max, char **kstrp)
{
	char *k;
	int error;

	*kstrp = NULL;
	if (ustr == NULL)
		return 0;
	if ((k = kmem_alloc(max, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = copyinstr(ustr, k, max, NULL);
	if (error) {
		kmem_free(k, max);
		return error;
	}
	*kstrp = k;
	return 0;
}

/* The mount whose root vp is, or NULL. */
static struct mount *
mount_of_root(struct vnode *vp)
{

	return vn_isroot(vp) ? vp->v_mount : NULL;
}

static int
mount_remount(struct vnode *vp, unsigned long flags)
{
	struct mount *mp = mount_of_root(vp);
	int error;

	if (mp == NULL)
		return EINVAL;
	if ((flags & MS_RDONLY) && !(mp->mnt_flag & MS_RDONLY))
		(void)mp->mnt_op->vfs_sync(mp, FSYNC_WAIT);
	if (mp->mnt_op->vfs_remount != NULL &&
	    (error = mp->mnt_op->vfs_remount(mp, (int)(flags & MS_KEPT))) != 0)
		return error;
	rw_enter(&mount_lock, RW_WRITER);
	mp->mnt_flag = (int)(flags & MS_KEPT);
	rw_exit(&mount_lock);
	return 0;
}

int
sys_mount(struct lwp *l __unused, const struct sys_mount_args *uap,
    register_t *retval __unused)
{
	unsigned long flags = SCARG(uap, flags);
	char *type = NULL, *source = NULL, *data = NULL;
	struct nameidata nd;
	struct vnode *vp;
	kauth_cred_t cred = kauth_cred_get();
	int error;

	if (!kauth_cred_capable(cred, CAP_SYS_ADMIN))
		return EPERM;
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (flags & MS_UNSUPPORTED)
		return EINVAL;
	error = namei_at(AT_FDCWD, SCARG(uap, target), LOOKUP, FOLLOW, &nd);
	if (error)
		return error;
	vp = nd.ni_vp;
	if (flags & MS_REMOUNT) {
		error = mount_remount(vp, flags);
		goto out;
	}
	if (vp->v_type != VDIR) {
		error = ENOTDIR;
		goto out;
	}
	if (SCARG(uap, fstype) == NULL) {
		error = EINVAL;
		goto out;
	}
	if ((error = copyin_optstr(SCARG(uap, fstype), MOUNT_TYPE_MAX,
	    &type)) != 0) {
		if (error == ENAMETOOLONG)
			error = ENODEV;
		goto out;
	}
	if ((error = copyin_optstr(SCARG(uap, source), PATH_MAX,
	    &source)) != 0)
		goto out;
	if ((error = copyin_optstr(SCARG(uap, data), MOUNT_DATA_MAX,
	    &data)) != 0)
		goto out;
	error = vfs_mount(type, vp, (int)(flags & MS_KEPT), source, data,
	    cred, NULL);
 out:
	if (type != NULL)
		kmem_free(type, MOUNT_TYPE_MAX);
	if (source != NULL)
		kmem_free(source, PATH_MAX);
	if (data != NULL)
		kmem_free(data, MOUNT_DATA_MAX);
	namei_done(&nd);
	return error;
}

int
sys_umount2(struct lwp *l __unused, const struct sys_umount2_args *uap,
    register_t *retval __unused)
{
	int flags = SCARG(uap, flags), error;
	struct nameidata nd;
	struct mount *mp;
	struct vnode *vp;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return EINVAL;
	if (!kauth_cred_capable(kauth_cred_get(), CAP_SYS_ADMIN))
		return EPERM;
	error = namei_at(AT_FDCWD, SCARG(uap, target), LOOKUP,
	    (flags & UMOUNT_NOFOLLOW) ? 0 : FOLLOW, &nd);
	if (error)
		return error;
	mp = mount_of_root(nd.ni_vp);
	if (mp == NULL)
		error = EINVAL;
	else if (mp->mnt_vnodecovered == NULL)
		error = EBUSY;		/* the kernel's root */
	else if (flags & MNT_EXPIRE)
		error = EAGAIN;		/* never marked: Linux's first answer */
	if (error) {
		namei_done(&nd);
		return error;
	}
	/* vfs_unmount takes over the reference to the root. */
	vp = nd.ni_vp;
	nd.ni_vp = NULL;
	namei_done(&nd);
	return vfs_unmount(mp, flags, vp);
}
