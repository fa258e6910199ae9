/*
 * vnode.h: vnodes, the VFS's in-memory files.
 *
 * A vnode stands for one file of one mounted file system.  The file
 * system's operations vector (struct vnodeops) does the work; the VFS
 * (sys/vfs) names files (namei), counts references, caches vnodes by
 * (mount, key) and calls the operations with the right locks held.
 *
 * Life cycle (sys/vfs/vfs_vnode.c): vcache_get() finds or loads a vnode
 * (vfs_loadvnode) and returns it referenced.  vref() adds a reference,
 * vrele() drops one; on the last, VOP_INACTIVE runs and the vnode stays
 * cached, unreferenced, until it is recycled (the cache is full, its
 * mount goes, or inactive said the file is gone), when VOP_RECLAIM frees
 * the file system's data.
 *
 * Locking:
 *   vcache_lock  (vfs_vnode.c) v_usecount, v_iflag, v_cache, v_lru,
 *                v_mntvnodes.
 *   v_interlock  free for short per-vnode state (record locks, ...).
 *   v_lock       the file's contents and attributes: VOPs that change
 *                the file or a directory take it exclusive (the VFS does
 *                that before calling), reads take it shared.  Lock order:
 *                parent directory before child; two unrelated directories
 *                (rename) in the order of the mount's rename lock.
 *   c            constant after the vnode is loaded.
 */
#ifndef _SYS_VNODE_H_
#define _SYS_VNODE_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/condvar.h>
#include <sys/time.h>
#include <sys/kauth.h>

struct mount;
struct namecache;
struct uio;
struct vnode;

enum vtype { VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD };

/* File attributes.  In setattr, a field left at VNOVAL is not changed. */
#define VNOVAL (-1)
struct vattr {
	enum vtype va_type;
	mode_t va_mode;			/* permission bits and S_ISUID etc. */
	nlink_t va_nlink;
	uid_t va_uid;
	gid_t va_gid;
	uint64_t va_fileid;		/* inode number */
	off_t va_size;
	blksize_t va_blksize;
	uint64_t va_bytes;		/* space used */
	struct timespec va_atime;
	struct timespec va_mtime;
	struct timespec va_ctime;
	struct timespec va_btime;	/* birth; tv_sec VNOVAL if unknown */
	dev_t va_rdev;
	dev_t va_fsid;
	uint64_t va_gen;
	int va_vaflags;			/* VA_UTIMES_NULL etc. */
};
#define VA_UTIMES_NOW 0x01	/* setattr: times are "now" (utimensat) */
void vattr_null(struct vattr *);	/* every field VNOVAL */

/* The name of a directory entry passed to the directory operations. */
struct componentname {
	const char *cn_nameptr;		/* not NUL-terminated */
	size_t cn_namelen;
	kauth_cred_t cn_cred;
};

struct vnode {
	kmutex_t v_interlock;
	krwlock_t v_lock;
	unsigned int v_usecount;	/* vcache_lock */
	int v_iflag;			/* vcache_lock */
	enum vtype v_type;		/* c */
	struct mount *v_mount;		/* c */
	const struct vnodeops *v_op;	/* c */
	void *v_data;			/* c: the file system's */
	uint64_t v_key;			/* c: vcache key (inode number) */
	dev_t v_rdev;			/* c: VBLK, VCHR */
	struct mount *v_mountedhere;	/* mount_lock: covered directory */
	TAILQ_ENTRY(vnode) v_cache;	/* vcache_lock: hash chain */
	TAILQ_ENTRY(vnode) v_lru;	/* vcache_lock: unreferenced */
	TAILQ_ENTRY(vnode) v_mntvnodes;	/* vcache_lock: mount's vnodes */
	TAILQ_HEAD(, namecache) v_dnclist; /* cache_lock: names in vp */
	TAILQ_HEAD(, namecache) v_nclist; /* cache_lock: names of vp */
	kcondvar_t v_cv;		/* v_interlock: state changes */
	void *v_lockf;			/* vfs_lockf.c: record locks */
};

#define VI_LOADING 0x01		/* being loaded by vcache_get */
#define VI_RECLAIMING 0x02	/* being reclaimed */
#define VI_RECLAIMED 0x04	/* dead: only the memory is left */
#define VI_ROOT 0x08		/* the root of its file system (set once,
				 * before the root is reachable: vn_isroot) */

/* ioflag of read and write. */
#define IO_APPEND 0x01
#define IO_SYNC 0x02
#define IO_DSYNC 0x04
#define IO_NDELAY 0x08

/* fsync flags. */
#define FSYNC_WAIT 0x01
#define FSYNC_DATAONLY 0x02

/*
 * The operations vector.  Directory operations that change the directory
 * get dvp locked exclusive and return a referenced, locked new vnode in
 * *vpp; operations on one vnode get it locked (shared for read, readdir,
 * readlink, getattr; exclusive otherwise).  Each returns 0 or an errno.
 *
 * NOTE vop_lookup is different: dvp is locked (shared is enough) and the
 * result *vpp is referenced but NOT locked (so that looking up ".." never
 * locks a parent while its child is locked); "." returns dvp itself with
 * a new reference.  The caller locks the result if it needs to, after
 * unlocking dvp when the result is "..".
 */
struct vnodeops {
	int (*vop_lookup)(struct vnode *dvp, const struct componentname *,
	    struct vnode **vpp);
	int (*vop_create)(struct vnode *dvp, const struct componentname *,
	    const struct vattr *, struct vnode **vpp);
	int (*vop_mknod)(struct vnode *dvp, const struct componentname *,
	    const struct vattr *, struct vnode **vpp);
	int (*vop_mkdir)(struct vnode *dvp, const struct componentname *,
	    const struct vattr *, struct vnode **vpp);
	int (*vop_symlink)(struct vnode *dvp, const struct componentname *,
	    const struct vattr *, const char *target, struct vnode **vpp);
	int (*vop_link)(struct vnode *dvp, struct vnode *vp,
	    const struct componentname *);
	int (*vop_remove)(struct vnode *dvp, struct vnode *vp,
	    const struct componentname *);
	int (*vop_rmdir)(struct vnode *dvp, struct vnode *vp,
	    const struct componentname *);
	/* fvp and tvp (NULL if the target does not exist) locked; both
	 * directories locked; flags RENAME_NOREPLACE / RENAME_EXCHANGE. */
	int (*vop_rename)(struct vnode *fdvp, struct vnode *fvp,
	    const struct componentname *fcnp, struct vnode *tdvp,
	    struct vnode *tvp, const struct componentname *tcnp, int flags);
	int (*vop_open)(struct vnode *, int fflags, kauth_cred_t);
	int (*vop_close)(struct vnode *, int fflags, kauth_cred_t);
	int (*vop_getattr)(struct vnode *, struct vattr *, kauth_cred_t);
	int (*vop_setattr)(struct vnode *, const struct vattr *,
	    kauth_cred_t);
	int (*vop_read)(struct vnode *, struct uio *, int ioflag,
	    kauth_cred_t);
	int (*vop_write)(struct vnode *, struct uio *, int ioflag,
	    kauth_cred_t);
	int (*vop_fsync)(struct vnode *, int flags, kauth_cred_t);
	/* Linux dirent64 records from offset uio_offset (a cookie the file
	 * system chooses; 0 is the start); sets *eofp at the end. */
	int (*vop_readdir)(struct vnode *, struct uio *, kauth_cred_t,
	    int *eofp);
	int (*vop_readlink)(struct vnode *, struct uio *, kauth_cred_t);
	/* Last reference gone; *recyclep = true to reclaim at once. */
	int (*vop_inactive)(struct vnode *, bool *recyclep);
	int (*vop_reclaim)(struct vnode *);
	int (*vop_ioctl)(struct vnode *, unsigned long cmd, void *data,
	    int fflags, kauth_cred_t);
	int (*vop_poll)(struct vnode *, int events);
	int (*vop_pathconf)(struct vnode *, int name, register_t *retval);
	/*
	 * Extended attributes by full name ("user.x", "trusted.x",
	 * "security.x"; sys/xattr.h); the VFS has checked the name (1..255
	 * bytes, a known prefix, a nonempty suffix), the caller's permission
	 * and the value's size (<= XATTR_SIZE_MAX 65536) before calling.
	 * A file system without extended attributes leaves the three NULL:
	 * the VFS then answers EOPNOTSUPP.
	 * getxattr: vp locked shared; *sizep in: the size of buf (0: only
	 * the value's length is wanted, buf may be NULL); out: the
	 * value's length.  ENODATA if absent, ERANGE if buf is too small.
	 * setxattr: vp locked exclusive; value NULL removes the attribute
	 * (ENODATA if absent), an empty value is a non-NULL value of len 0;
	 * flags XATTR_CREATE (EEXIST if present) or XATTR_REPLACE (ENODATA
	 * if absent); ENOSPC if it does not fit.  A change (or removal)
	 * updates the file's ctime.  The VFS has refused a read-only mount.
	 * listxattr: vp locked shared; the names, each NUL-terminated, one
	 * after the other, like getxattr's sizes (ERANGE if too small).
	 * Every name the file has, trusted.* too: the VFS hides those from
	 * callers without CAP_SYS_ADMIN.
	 */
	int (*vop_getxattr)(struct vnode *, const char *name, void *buf,
	    size_t *sizep, kauth_cred_t);
	int (*vop_setxattr)(struct vnode *, const char *name,
	    const void *value, size_t len, int flags, kauth_cred_t);
	int (*vop_listxattr)(struct vnode *, void *buf, size_t *sizep,
	    kauth_cred_t);
};

/* sys/vfs/vfs_vnode.c */
void vref(struct vnode *);		/* vp already referenced */
bool vref_try(struct vnode *);		/* false: loading or reclaimed */
void vrele(struct vnode *);		/* vp unlocked */
void vput(struct vnode *);		/* unlock and vrele */
void vn_lock(struct vnode *, krw_t);
void vn_unlock(struct vnode *);
/* The vnode of (mp, key), loaded if need be: referenced, unlocked. */
int vcache_get(struct mount *, uint64_t key, struct vnode **vpp);
bool vn_isroot(struct vnode *);		/* the root of its mount? */

/* sys/vfs/vfs_subr.c: permission checks with Linux's rules. */
int vn_access(struct vnode *, const struct vattr *, int accmode,
    kauth_cred_t);
int vn_access_unlocked(struct vnode *, int accmode, kauth_cred_t);
#define VEXEC 01
#define VWRITE 02
#define VREAD 04
#define VAPPEND 010

#endif /* _SYS_VNODE_H_ */
