/*
 * mount.h: mounted file systems and file system types.
 *
 * A file system type (struct vfsops) is registered by its component
 * (vfs_register); mount(2) finds it by name.  Each mount has a root vnode
 * and covers a directory vnode of its parent (none for the root mount).
 *
 * Locking:
 *   mount_lock (vfs_mount.c, a global rwlock) protects the mount list,
 *   every v_mountedhere, mnt_vnodecovered and mnt_flag's MNT_UNMOUNTING;
 *   namei takes it shared to cross mount points, mount and unmount take
 *   it exclusive.  mnt_renamelock serialises renames within the mount.
 */
#ifndef _SYS_MOUNT_H_
#define _SYS_MOUNT_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/kauth.h>
#include <sys/rwlock.h>

struct vnode;
struct mount;
struct statfs;

/* mount(2) flags (Linux MS_*). */
#define MS_RDONLY 0x1
#define MS_NOSUID 0x2
#define MS_NODEV 0x4
#define MS_NOEXEC 0x8
#define MS_SYNCHRONOUS 0x10
#define MS_REMOUNT 0x20
#define MS_NOATIME 0x400
#define MS_NODIRATIME 0x800
#define MS_BIND 0x1000
#define MS_MOVE 0x2000
#define MS_REC 0x4000
#define MS_UNBINDABLE 0x20000
#define MS_PRIVATE 0x40000
#define MS_SLAVE 0x80000
#define MS_SHARED 0x100000
#define MS_RELATIME 0x200000
#define MS_STRICTATIME 0x1000000
#define MS_MGC_VAL 0xc0ed0000	/* old magic in the top bits: ignored */
#define MS_MGC_MSK 0xffff0000

/* umount2(2) flags. */
#define MNT_FORCE 0x1
#define MNT_DETACH 0x2
#define MNT_EXPIRE 0x4
#define UMOUNT_NOFOLLOW 0x8

/* Linux struct statfs (x86-64), 120 bytes. */
struct statfs {
	int64_t f_type;
	int64_t f_bsize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_bavail;
	uint64_t f_files;
	uint64_t f_ffree;
	struct { int val[2]; } f_fsid;
	int64_t f_namelen;
	int64_t f_frsize;
	int64_t f_flags;		/* ST_RDONLY etc. */
	int64_t f_spare[4];
};
#define ST_RDONLY 0x0001
#define ST_NOSUID 0x0002
#define ST_NODEV 0x0004
#define ST_NOEXEC 0x0008
#define ST_SYNCHRONOUS 0x0010
#define ST_NOATIME 0x0400
#define ST_NODIRATIME 0x0800
#define ST_RELATIME 0x1000

struct vfsops {
	const char *vfs_name;		/* "tmpfs", "ext2", ... */
	/* Mount: source is the device path or "" (tmpfs); data is the
	 * option string (copied into the kernel, NUL-terminated, or NULL).
	 * Sets mp->mnt_data and whatever the fs keeps. */
	int (*vfs_mount)(struct mount *mp, const char *source,
	    const char *data, kauth_cred_t);
	int (*vfs_unmount)(struct mount *mp, int flags);
	/* The root vnode, referenced and unlocked. */
	int (*vfs_root)(struct mount *mp, struct vnode **vpp);
	int (*vfs_statfs)(struct mount *mp, struct statfs *);
	int (*vfs_sync)(struct mount *mp, int waitfor);
	/* Load the vnode of key (an inode number) for vcache_get: set
	 * v_type, v_op, v_data, v_rdev.  ENOENT if there is no such number,
	 * ESTALE if the number names no file (a free inode: a handle of
	 * open_by_handle_at may name any number), EUCLEAN/EIO if it is
	 * corrupt. */
	int (*vfs_loadvnode)(struct mount *mp, struct vnode *vp,
	    uint64_t key);
	/* Optional: mount(2) with MS_REMOUNT asks for newflags (MS_*);
	 * called before they change, it may refuse (EROFS, EBUSY).  A file
	 * system without it takes the VFS's read-only checks as they come. */
	int (*vfs_remount)(struct mount *mp, int newflags);
	TAILQ_ENTRY(vfsops) vfs_list;	/* vfs registry */
};

struct mount {
	TAILQ_ENTRY(mount) mnt_list;		/* mount_lock */
	const struct vfsops *mnt_op;		/* c */
	struct vnode *mnt_vnodecovered;		/* mount_lock; NULL: root */
	struct vnode *mnt_rootvnode;		/* c: referenced */
	int mnt_flag;				/* mount_lock: MS_* */
	int mnt_iflag;				/* mount_lock: IMNT_* */
	unsigned int mnt_refcnt;		/* atomic */
	uint64_t mnt_id;			/* c: statx stx_mnt_id */
	dev_t mnt_dev;				/* c: st_dev of its files */
	kmutex_t mnt_renamelock;
	TAILQ_HEAD(, vnode) mnt_vnodelist;	/* vcache_lock */
	bool mnt_gone;				/* vcache_lock: no new vnodes */
	void *mnt_data;				/* the file system's */
	char mnt_source[256];			/* c */
};
#define IMNT_UNMOUNTING 0x01	/* being unmounted, or detached */
#define IMNT_DETACHED 0x02	/* lazily unmounted: off the tree, in use */
#define IMNT_REAPING 0x04	/* the reaper is trying to finish it */

/* sys/vfs/vfs_mount.c */
int vfs_register(struct vfsops *);
void vfs_unregister(struct vfsops *);
/* Mount type on the directory vnode covered (NULL: the root). */
int vfs_mount(const char *type, struct vnode *covered, int flags,
    const char *source, const char *data, kauth_cred_t, struct mount **mpp);
/* Unmount mp; the caller holds a reference to its root vnode, which the
 * call releases (so the mount cannot vanish before it is marked). */
int vfs_unmount(struct mount *, int flags, struct vnode *heldroot);
struct vnode *vfs_rootvnode(void);	/* the kernel's root, referenced */
extern krwlock_t mount_lock;

#endif /* _SYS_MOUNT_H_ */
