/*
 * vfs_stubs.c: ENOSYS for the file system calls that are not written
 * yet.  Each is weak: the real handler, where it exists, replaces it at
 * link time.  This file goes away when the faction is complete.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/syscallargs.h>

#define STUB(name) \
	int __weak \
	sys_##name(struct lwp *l __unused, \
	    const struct sys_##name##_args *uap __unused, \
	    register_t *retval __unused) \
	{ \
		return ENOSYS; \
	}

STUB(read)
STUB(write)
STUB(open)
STUB(close)
STUB(stat)
STUB(fstat)
STUB(lstat)
STUB(poll)
STUB(lseek)
STUB(ioctl)
STUB(pread)
STUB(pwrite)
STUB(readv)
STUB(writev)
STUB(access)
STUB(pipe)
STUB(select)
STUB(dup)
STUB(dup2)
STUB(fcntl)
STUB(fsync)
STUB(fdatasync)
STUB(truncate)
STUB(ftruncate)
STUB(getcwd)
STUB(chdir)
STUB(fchdir)
STUB(rename)
STUB(mkdir)
STUB(rmdir)
STUB(creat)
STUB(link)
STUB(unlink)
STUB(symlink)
STUB(readlink)
STUB(chmod)
STUB(fchmod)
STUB(chown)
STUB(fchown)
STUB(lchown)
STUB(umask)
STUB(mknod)
STUB(statfs)
STUB(fstatfs)
STUB(chroot)
STUB(mount)
STUB(umount2)
STUB(getdents64)
STUB(openat)
STUB(mkdirat)
STUB(mknodat)
STUB(fchownat)
STUB(fstatat)
STUB(unlinkat)
STUB(renameat)
STUB(linkat)
STUB(symlinkat)
STUB(readlinkat)
STUB(fchmodat)
STUB(faccessat)
STUB(pselect6)
STUB(ppoll)
STUB(utimensat)
STUB(dup3)
STUB(pipe2)
STUB(preadv)
STUB(pwritev)
STUB(syncfs)
STUB(renameat2)
STUB(statx)
STUB(faccessat2)

int __weak
sys_sync(struct lwp *l __unused, const void *uap __unused,
    register_t *retval __unused)
{

	return ENOSYS;
}
