/*
 * tmpfs.h: the in-memory file system, shared between its files.
 *
 * A tmpfs mount (struct tmpfs_mount) owns every file (struct tmpfs_node)
 * it holds, whether or not a vnode stands for it at the moment.  A node
 * is found by its inode number (the vcache key) through the mount's node
 * table; vfs_loadvnode attaches it to a vnode, vop_reclaim detaches it
 * and frees it once its last link is gone.  Everything is kmem memory,
 * so RUMP_MEMLIMIT bounds it; the size= and nr_inodes= options bound it
 * further, as Linux's tmpfs does.
 *
 *   tmpfs_vfsops.c  mount options, mount/unmount, root, statfs, loadvnode,
 *                   the component
 *   tmpfs_subr.c    nodes: allocation and freeing, the node table, the
 *                   block and inode accounting, times
 *   tmpfs_dir.c     directories: a hash of names per directory, cookies
 *                   for readdir, the dirent64 records
 *   tmpfs_pages.c   regular files: a sparse radix tree of pages, read,
 *                   write, truncate
 *   tmpfs_xattr.c   extended attributes, a bounded list per node
 *   tmpfs_vnops.c   the vnode operations
 *
 * Locking.  The VFS holds the vnode lock of each vnode passed to a VOP
 * (vnode.h), and every field of a node is protected by the lock of its
 * vnode (n below), except where said.  Below the vnode locks, tm_lock (one
 * per mount, a leaf lock) protects what is shared by the whole mount: the
 * node table and list, inode numbers, the block and inode counters, the
 * atimes (written by readers under a shared vnode lock) and each
 * directory's readdir hint (also moved by readers).
 *
 * Field annotations: c constant, n the node's vnode lock, m tm_lock.
 */
#ifndef _FS_TMPFS_TMPFS_H_
#define _FS_TMPFS_TMPFS_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/time.h>
#include <sys/unistd.h>
#include <sys/vnode.h>

#define TMPFS_MAGIC 0x01021994
#define TMPFS_PAGE_SIZE 4096
#define TMPFS_PAGE_SHIFT 12
/* Interior nodes of the page tree: 512 pointers, one page. */
#define TMPFS_RADIX_SHIFT 9
#define TMPFS_RADIX (1 << TMPFS_RADIX_SHIFT)
#define TMPFS_RADIX_MAXHEIGHT 5
/* The largest file: what a tree of the maximal height holds (2^57). */
#define TMPFS_MAXFILESIZE \
	((off_t)1 << (TMPFS_PAGE_SHIFT + \
	    TMPFS_RADIX_SHIFT * TMPFS_RADIX_MAXHEIGHT))
#define TMPFS_LINK_MAX 32767
#define TMPFS_NAME_MAX 255
/* A symbolic link this long or longer takes a block (as Linux counts). */
#define TMPFS_SHORT_SYMLINK 128
/* Linux's tmpfs reports a directory's size as 20 bytes per entry. */
#define TMPFS_BOGO_DIRENT 20
/* Cookies: 0 is ".", 1 is "..", entries count up from 2. */
#define TMPFS_COOKIE_DOT 0
#define TMPFS_COOKIE_DOTDOT 1
#define TMPFS_COOKIE_FIRST 2


struct tmpfs_node;

/* A name in a directory. */
struct tmpfs_dirent {
	struct tmpfs_dirent *td_hnext;		/* n: hash chain */
	TAILQ_ENTRY(tmpfs_dirent) td_entries;	/* n: in cookie order */
	struct tmpfs_node *td_node;		/* n: the file named */
	uint64_t td_cookie;			/* n: readdir position */
	uint32_t td_hash;			/* c */
	uint16_t td_namelen;			/* c */
	char td_name[];				/* c: not NUL-terminated */
};
TAILQ_HEAD(tmpfs_dirq, tmpfs_dirent);

struct tmpfs_dir {
	struct tmpfs_node *td_parent;	/* n: NULL once removed; root: self */
	struct tmpfs_dirent **td_hash;	/* n: buckets */
	uint32_t td_hashmask;		/* n: buckets - 1 */
	uint32_t td_count;		/* n: entries */
	struct tmpfs_dirq td_list;	/* n: in increasing cookie order */
	uint64_t td_nextcookie;		/* n: the next entry's cookie */
	/* readdir hint: the first entry whose cookie >= td_hintcookie */
	uint64_t td_hintcookie;		/* m */
	struct tmpfs_dirent *td_hint;	/* m; NULL: no hint */
};

struct tmpfs_reg {
	void *tr_root;			/* n: page tree (a page if height 0) */
	int tr_height;			/* n: levels of interior nodes */
	uint64_t tr_pages;		/* n: data pages allocated */
};

/* An extended attribute: its name, a NUL, its value (tmpfs_xattr.c). */
struct tmpfs_xattr {
	TAILQ_ENTRY(tmpfs_xattr) tx_entries;	/* n: the node's list */
	size_t tx_size;				/* c: bytes of the value */
	uint16_t tx_namelen;			/* c: bytes of the name */
	char tx_data[];				/* c */
};
TAILQ_HEAD(tmpfs_xattrq, tmpfs_xattr);
/* A node's names and values take at most this much (tmpfs_xattr.c). */
#define TMPFS_XATTR_SPACE (128 * 1024)

struct tmpfs_node {
	TAILQ_ENTRY(tmpfs_node) tn_entries;	/* m: the mount's list */
	struct tmpfs_node *tn_idnext;		/* m: node table chain */
	uint64_t tn_id;				/* c: inode number */
	uint64_t tn_gen;			/* c */
	enum vtype tn_type;			/* c */
	struct vnode *tn_vnode;			/* m: attached vnode */
	mode_t tn_mode;				/* n: ALLPERMS bits */
	uid_t tn_uid;				/* n */
	gid_t tn_gid;				/* n */
	nlink_t tn_links;			/* n; and m without a vnode */
	off_t tn_size;				/* n */
	struct timespec tn_atime;		/* m */
	struct timespec tn_mtime;		/* n */
	struct timespec tn_ctime;		/* n */
	struct timespec tn_btime;		/* c */
	struct tmpfs_xattrq tn_xattrs;		/* n: extended attributes */
	size_t tn_xattr_space;			/* n: their names and values */
	size_t tn_xattr_listlen;		/* n: their listing's bytes */
	union {
		dev_t tn_rdev;			/* c: VCHR, VBLK */
		char *tn_link;			/* c: VLNK, tn_size bytes */
		struct tmpfs_dir tn_dir;	/* VDIR */
		struct tmpfs_reg tn_reg;	/* VREG */
	} tn_u;
};
TAILQ_HEAD(tmpfs_nodeq, tmpfs_node);

struct tmpfs_mount {
	kmutex_t tm_lock;
	struct tmpfs_node *tm_root;		/* c */
	struct tmpfs_nodeq tm_nodes;		/* m: every node */
	struct tmpfs_node **tm_idhash;		/* m: node table */
	uint64_t tm_idmask;			/* m: buckets - 1 */
	uint64_t tm_nextid;			/* m: next inode number */
	uint64_t tm_nnodes;			/* m: nodes in tm_nodes */
	uint64_t tm_pages_max;			/* c: 0 unlimited */
	uint64_t tm_pages_used;			/* m */
	uint64_t tm_inodes_max;			/* c: 0 unlimited */
	uint64_t tm_inodes_used;		/* m: nodes + extra links */
};

#define VP_TO_TMPFS_NODE(vp) ((struct tmpfs_node *)(vp)->v_data)
#define VFS_TO_TMPFS(mp) ((struct tmpfs_mount *)(mp)->mnt_data)

/* tmpfs_vfsops.c */
extern struct vfsops tmpfs_vfsops;

/* tmpfs_vnops.c */
extern const struct vnodeops tmpfs_vnodeops;

/* tmpfs_subr.c */
int tmpfs_node_alloc(struct tmpfs_mount *, enum vtype, mode_t, uid_t,
    gid_t, struct tmpfs_node **);
void tmpfs_node_free(struct tmpfs_mount *, struct tmpfs_node *);
struct tmpfs_node *tmpfs_node_find_locked(struct tmpfs_mount *, uint64_t);
bool tmpfs_mem_ok(size_t);
int tmpfs_inode_reserve(struct tmpfs_mount *);
void tmpfs_inode_release(struct tmpfs_mount *);
int tmpfs_pages_reserve(struct tmpfs_mount *, uint64_t);
void tmpfs_pages_release(struct tmpfs_mount *, uint64_t);
void tmpfs_time_now(struct timespec *);
void tmpfs_touch(struct tmpfs_node *, bool mtime, bool ctime);
void tmpfs_touch_atime(struct tmpfs_mount *, struct mount *,
    struct tmpfs_node *);
void tmpfs_get_atime(struct tmpfs_mount *, struct tmpfs_node *,
    struct timespec *);
void tmpfs_set_atime(struct tmpfs_mount *, struct tmpfs_node *,
    const struct timespec *);

/* tmpfs_dir.c */
int tmpfs_dir_init(struct tmpfs_node *);
void tmpfs_dir_fini(struct tmpfs_mount *, struct tmpfs_node *);
struct tmpfs_dirent *tmpfs_dir_lookup(struct tmpfs_node *,
    const char *name, size_t len);
int tmpfs_dirent_alloc(const char *name, size_t len,
    struct tmpfs_dirent **);
void tmpfs_dirent_free(struct tmpfs_dirent *);
void tmpfs_dir_attach(struct tmpfs_mount *, struct tmpfs_node *dir,
    struct tmpfs_dirent *, struct tmpfs_node *);
void tmpfs_dir_detach(struct tmpfs_mount *, struct tmpfs_node *dir,
    struct tmpfs_dirent *);
int tmpfs_dir_getdents(struct tmpfs_mount *, struct tmpfs_node *,
    struct uio *, int *eofp);

/* tmpfs_xattr.c */
int tmpfs_getxattr(struct vnode *, const char *name, void *buf,
    size_t *sizep, kauth_cred_t);
int tmpfs_setxattr(struct vnode *, const char *name, const void *value,
    size_t len, int flags, kauth_cred_t);
int tmpfs_listxattr(struct vnode *, void *buf, size_t *sizep, kauth_cred_t);
void tmpfs_xattr_free(struct tmpfs_node *);

/* tmpfs_pages.c */
int tmpfs_reg_read(struct tmpfs_node *, struct uio *);
int tmpfs_reg_write(struct tmpfs_mount *, struct tmpfs_node *,
    struct uio *, size_t *writtenp);
int tmpfs_reg_truncate(struct tmpfs_mount *, struct tmpfs_node *, off_t);
void tmpfs_reg_free(struct tmpfs_mount *, struct tmpfs_node *);

#endif /* _FS_TMPFS_TMPFS_H_ */
