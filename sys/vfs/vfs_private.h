/*
 * vfs_private.h: interfaces between the files of the VFS faction that the
 * rest of the kernel does not use.
 */
#ifndef _VFS_PRIVATE_H_
#define _VFS_PRIVATE_H_

#include <sys/types.h>
#include <sys/vnode.h>

struct file;
struct mount;
struct nameidata;
struct stat;
struct statx;

/* vfs_vnode.c */
int vcache_init(void);
void vcache_fini(void);
/* Reclaim mp's idle vnodes; EBUSY if one besides skip is in use. */
int vflush(struct mount *, struct vnode *skip);
/* Reclaim mp's root vnode (its one reference is the mount's). */
void vflush_root(struct mount *, struct vnode *rootvp);
void vn_setroot(struct vnode *);

/* vfs_cache.c */
int cache_init(void);
void cache_fini(void);

/* vfs_lookup.c */
int namei_init(void);
void namei_fini(void);

/* vfs_mount.c */
int vfs_mount_init(void);
void vfs_mount_fini(void);
void vfs_unmount_all(void);
int vfs_sync_all(void);

/* vfs_subr.c / vfs_syscalls.c: permission helpers. */
int vn_sticky_ok(struct vnode *dvp, struct vnode *vp, kauth_cred_t);
/* vfs_syscalls.c: path (or AT_EMPTY_PATH's dirfd) to a referenced vnode. */
int lookup_file(int dirfd, const char *upath, bool follow, bool emptypath,
    struct vnode **);

/* vfs_vnops.c */
extern const struct fileops vnfileops;
mode_t vn_ifmt(enum vtype);
enum vtype vn_mode_to_vtype(mode_t);
int vn_open(int dirfd, const char *upath, int flags, mode_t mode,
    struct vnode **);
int vn_open_vnode(struct vnode *dvp, struct vnode *vp, int flags,
    kauth_cred_t);
int vn_open_flags(int *flagsp);
int vn_open_install(struct vnode *, int flags, int *fdp);
int vn_getattr(struct vnode *, struct vattr *, kauth_cred_t);
int vn_truncate_locked(struct vnode *, off_t size, kauth_cred_t);
int vn_stat(struct vnode *, struct stat *, kauth_cred_t);
void vn_stat_fill(struct vnode *, const struct vattr *, struct stat *);
int vn_statx(struct vnode *, unsigned int mask, struct statx *,
    kauth_cred_t);
struct vnode *file_vnode(struct file *);

/* kern_descrip.c */
int fd_sys_init(void);
void fd_sys_fini(void);

#endif /* _VFS_PRIVATE_H_ */
