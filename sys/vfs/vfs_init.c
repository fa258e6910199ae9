/*
 * vfs_init.c: the VFS faction as a component: it establishes the file
 * system calls.  (Being written: the vnode layer, names, mounts and
 * descriptors arrive in their own files.)
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/syscall.h>

extern const struct syscall_package syscalls_vfs[];

static int
vfs_init(void)
{

	return syscall_establish(syscalls_vfs);
}

static void
vfs_fini(void)
{

	syscall_disestablish(syscalls_vfs);
}

RUMP_COMPONENT(vfs, "", vfs_init, vfs_fini)
