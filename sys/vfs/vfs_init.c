/*
 * vfs_init.c: the VFS faction as components.
 *
 * "vfs" sets up the vnode cache, the name cache, the mount table and the
 * descriptor layer, and establishes the file system calls.  "vfsroot"
 * comes after every file system component the root needs (tmpfs): it
 * mounts the kernel's root file system with a /dev directory, before the
 * kernel creates its default process, whose current and root directories
 * are that root.  At halt, after every process has exited, "vfsroot"
 * unmounts everything, newest first, and "vfs" tears the rest down.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/kauth.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vnode.h>

#include "vfs_private.h"
#include "dev_private.h"	/* device switches, buffer cache, etfs */

extern const struct syscall_package syscalls_vfs[];

static int
vfs_init(void)
{
	int error;

	if ((error = vfs_mount_init()) != 0)
		return error;
	if ((error = vcache_init()) != 0)
		goto fail_vcache;
	if ((error = cache_init()) != 0)
		goto fail_cache;
	if ((error = namei_init()) != 0)
		goto fail_namei;
	if ((error = fd_sys_init()) != 0)
		goto fail_fd;
	if ((error = dev_sys_init()) != 0)
		goto fail_dev;
	if ((error = syscall_establish(syscalls_vfs)) != 0)
		goto fail_syscalls;
	return 0;

 fail_syscalls:
	dev_sys_fini();
 fail_dev:
	fd_sys_fini();
 fail_fd:
	namei_fini();
 fail_namei:
	cache_fini();
 fail_cache:
	vcache_fini();
 fail_vcache:
	vfs_mount_fini();
	return error;
}

static void
vfs_fini(void)
{

	syscall_disestablish(syscalls_vfs);
	dev_sys_fini();		/* after vfsroot unmounted everything */
	fd_sys_fini();
	namei_fini();
	cache_fini();
	vcache_fini();
	vfs_mount_fini();
}

RUMP_COMPONENT(vfs, "", vfs_init, vfs_fini)

/* Make the directory name (mode) in the root directory rootvp. */
static int
vfs_mkdir_root(struct vnode *rootvp, const char *name, mode_t mode,
    kauth_cred_t cred)
{
	struct componentname cn = { name, strlen(name), cred };
	struct vattr va;
	struct vnode *vp;
	int error;

	vattr_null(&va);
	va.va_type = VDIR;
	va.va_mode = mode;
	vn_lock(rootvp, RW_WRITER);
	error = rootvp->v_op->vop_mkdir(rootvp, &cn, &va, &vp);
	vn_unlock(rootvp);
	if (error == 0)
		vput(vp);
	return error;
}

static int
vfsroot_init(void)
{
	kauth_cred_t cred;
	struct mount *mp;
	int error;

	if ((cred = kauth_cred_alloc_root()) == NULL)
		return ENOMEM;
	error = vfs_mount("tmpfs", NULL, 0, "rootfs", "mode=0755", cred, &mp);
	if (error == 0) {
		error = vfs_mkdir_root(mp->mnt_rootvnode, "dev", 0755, cred);
		if (error)
			vfs_unmount_all();
	}
	kauth_cred_free(cred);
	if (error)
		printf("vfs: cannot mount the root file system: error %d\n",
		    error);
	return error;
}

static void
vfsroot_fini(void)
{

	vfs_unmount_all();
}

RUMP_COMPONENT(vfsroot, "vfs,tmpfs", vfsroot_init, vfsroot_fini)
