/*
 * tmpfs_subr.c: tmpfs nodes.  Allocation and freeing, the mount's node
 * table (inode number -> node, for vfs_loadvnode), the block and inode
 * counters that size= and nr_inodes= limit, and file times.
 *
 * Locking: tm_lock (a leaf: nothing else is taken while it is held, not
 * even kmem) protects the node table and list, the inode numbers, the
 * counters and the atimes.  Other node fields belong to the node's vnode
 * lock, which the VFS holds around each VOP (tmpfs.h).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/cprng.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/stat.h>
#include <sys/vnode.h>

#include "tmpfs.h"

static uint64_t
tmpfs_idhash(uint64_t id)
{

	return id * 0x9e3779b97f4a7c15ULL >> 17;
}

/* Grow the node table when it is more than twice as full as it is wide.
 * Failure to grow is harmless: chains just get longer. */
static void
tmpfs_idhash_grow(struct tmpfs_mount *tm)
{
	struct tmpfs_node **nh, **oh, *tn, *next;
	uint64_t nsize, osize, i, nmask;

	mutex_enter(&tm->tm_lock);
	osize = tm->tm_idmask + 1;
	mutex_exit(&tm->tm_lock);
	nsize = osize * 2;
	if (nsize > (SIZE_MAX / sizeof(*nh)))
		return;
	nh = kmem_zalloc(nsize * sizeof(*nh), KM_SLEEP);
	if (nh == NULL)
		return;
	mutex_enter(&tm->tm_lock);
	if (tm->tm_idmask + 1 != osize) {	/* someone else grew it */
		mutex_exit(&tm->tm_lock);
		kmem_free(nh, nsize * sizeof(*nh));
		return;
	}
	nmask = nsize - 1;
	oh = tm->tm_idhash;
	for (i = 0; i < osize; i++) {
		for (tn = oh[i]; tn != NULL; tn = next) {
			next = tn->tn_idnext;
			tn->tn_idnext = nh[tmpfs_idhash(tn->tn_id) & nmask];
			nh[tmpfs_idhash(tn->tn_id) & nmask] = tn;
		}
	}
	tm->tm_idhash = nh;
	tm->tm_idmask = nmask;
	mutex_exit(&tm->tm_lock);
	kmem_free(oh, osize * sizeof(*oh));
}

/* The node of inode number id, or NULL.  Called with tm_lock held. */
struct tmpfs_node *
tmpfs_node_find_locked(struct tmpfs_mount *tm, uint64_t id)
{
	struct tmpfs_node *tn;

	KASSERT(mutex_owned(&tm->tm_lock));
	for (tn = tm->tm_idhash[tmpfs_idhash(id) & tm->tm_idmask];
	    tn != NULL; tn = tn->tn_idnext)
		if (tn->tn_id == id)
			return tn;
	return NULL;
}

/*
 * May tmpfs take size more bytes of kmem?  Not if that would leave the
 * rest of the kernel less than a reserve (a sixteenth of the memory
 * limit, at most 4 MiB): a tmpfs mounted without a size limit that fills
 * the kernel's memory must still leave enough for namei, descriptors and
 * the unlink that frees it.  Files meet ENOSPC at the reserve.
 */
bool
tmpfs_mem_ok(size_t size)
{
	uint64_t limit = kmem_limit(), reserve;

	if (limit == UINT64_MAX)
		return true;
	reserve = MIN(limit / 16, (uint64_t)4 << 20);
	return kmem_inuse() + size + reserve <= limit;
}

/* Take one unit of inode space (a node or an extra hard link). */
int
tmpfs_inode_reserve(struct tmpfs_mount *tm)
{
	int error = 0;

	mutex_enter(&tm->tm_lock);
	if (tm->tm_inodes_max != 0 && tm->tm_inodes_used >= tm->tm_inodes_max)
		error = ENOSPC;
	else
		tm->tm_inodes_used++;
	mutex_exit(&tm->tm_lock);
	return error;
}

void
tmpfs_inode_release(struct tmpfs_mount *tm)
{

	mutex_enter(&tm->tm_lock);
	KASSERT(tm->tm_inodes_used > 0);
	tm->tm_inodes_used--;
	mutex_exit(&tm->tm_lock);
}

/* Take n blocks (pages) of the size limit: ENOSPC past it. */
int
tmpfs_pages_reserve(struct tmpfs_mount *tm, uint64_t n)
{
	int error = 0;

	mutex_enter(&tm->tm_lock);
	if (tm->tm_pages_max != 0 &&
	    (tm->tm_pages_used + n > tm->tm_pages_max ||
	    tm->tm_pages_used + n < tm->tm_pages_used))
		error = ENOSPC;
	else
		tm->tm_pages_used += n;
	mutex_exit(&tm->tm_lock);
	return error;
}

void
tmpfs_pages_release(struct tmpfs_mount *tm, uint64_t n)
{

	mutex_enter(&tm->tm_lock);
	KASSERT(tm->tm_pages_used >= n);
	tm->tm_pages_used -= n;
	mutex_exit(&tm->tm_lock);
}

/*
 * A new node of type, with no name yet (tn_links 0) and all times now.
 * ENOSPC past nr_inodes, ENOMEM when kmem is exhausted.  A directory
 * gets its (empty) name table; the caller fills in the rest.
 */
int
tmpfs_node_alloc(struct tmpfs_mount *tm, enum vtype type, mode_t mode,
    uid_t uid, gid_t gid, struct tmpfs_node **tnp)
{
	struct tmpfs_node *tn;
	uint64_t bucket;
	bool grow;
	int error;

	*tnp = NULL;
	if (!tmpfs_mem_ok(sizeof(*tn)))
		return ENOSPC;
	if ((error = tmpfs_inode_reserve(tm)) != 0)
		return error;
	tn = kmem_zalloc(sizeof(*tn), KM_SLEEP);
	if (tn == NULL) {
		tmpfs_inode_release(tm);
		return ENOMEM;
	}
	tn->tn_type = type;
	/* As Linux's: a handle of another mount's node is stale. */
	tn->tn_gen = cprng_u32();
	tn->tn_mode = mode & ALLPERMS;
	tn->tn_uid = uid;
	tn->tn_gid = gid;
	tmpfs_time_now(&tn->tn_btime);
	tn->tn_atime = tn->tn_mtime = tn->tn_ctime = tn->tn_btime;
	TAILQ_INIT(&tn->tn_xattrs);
	if (type == VDIR && (error = tmpfs_dir_init(tn)) != 0) {
		kmem_free(tn, sizeof(*tn));
		tmpfs_inode_release(tm);
		return error;
	}
	mutex_enter(&tm->tm_lock);
	tn->tn_id = tm->tm_nextid++;
	bucket = tmpfs_idhash(tn->tn_id) & tm->tm_idmask;
	tn->tn_idnext = tm->tm_idhash[bucket];
	tm->tm_idhash[bucket] = tn;
	TAILQ_INSERT_TAIL(&tm->tm_nodes, tn, tn_entries);
	tm->tm_nnodes++;
	grow = tm->tm_nnodes > 2 * (tm->tm_idmask + 1);
	mutex_exit(&tm->tm_lock);
	if (grow)
		tmpfs_idhash_grow(tm);
	*tnp = tn;
	return 0;
}

/*
 * Free a node and everything it holds, giving its inode and blocks back.
 * Nobody may reach it any more: it has no name left (or the mount is going
 * away) and no vnode.
 */
void
tmpfs_node_free(struct tmpfs_mount *tm, struct tmpfs_node *tn)
{
	struct tmpfs_node **tnp;

	tmpfs_xattr_free(tn);
	switch (tn->tn_type) {
	case VDIR:
		tmpfs_dir_fini(tm, tn);
		break;
	case VREG:
		tmpfs_reg_free(tm, tn);
		break;
	case VLNK:
		if (tn->tn_u.tn_link != NULL)
			kmem_free(tn->tn_u.tn_link, (size_t)tn->tn_size + 1);
		if (tn->tn_size >= TMPFS_SHORT_SYMLINK)
			tmpfs_pages_release(tm, 1);
		break;
	default:
		break;
	}
	mutex_enter(&tm->tm_lock);
	for (tnp = &tm->tm_idhash[tmpfs_idhash(tn->tn_id) & tm->tm_idmask];
	    *tnp != tn; tnp = &(*tnp)->tn_idnext)
		KASSERT(*tnp != NULL);
	*tnp = tn->tn_idnext;
	TAILQ_REMOVE(&tm->tm_nodes, tn, tn_entries);
	tm->tm_nnodes--;
	KASSERT(tm->tm_inodes_used > 0);
	tm->tm_inodes_used--;
	mutex_exit(&tm->tm_lock);
	kmem_free(tn, sizeof(*tn));
}

void
tmpfs_time_now(struct timespec *ts)
{

	nanotime(ts);
}

/* Set mtime and/or ctime to now.  The node's vnode is locked exclusive. */
void
tmpfs_touch(struct tmpfs_node *tn, bool mtime, bool ctime)
{
	struct timespec now;

	tmpfs_time_now(&now);
	if (mtime)
		tn->tn_mtime = now;
	if (ctime)
		tn->tn_ctime = now;
}

static bool
ts_le(const struct timespec *a, const struct timespec *b)
{

	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

/*
 * A read or a readdir accessed the node (its vnode locked, maybe only
 * shared): update the atime as the mount's flags say.  Linux's default is
 * relatime: only when the atime is not newer than mtime or ctime, or is a
 * day old; MS_STRICTATIME always; MS_NOATIME never; MS_NODIRATIME never
 * for directories.
 */
void
tmpfs_touch_atime(struct tmpfs_mount *tm, struct mount *mp,
    struct tmpfs_node *tn)
{
	int flags = mp->mnt_flag;
	struct timespec now;

	if ((flags & MS_NOATIME) ||
	    ((flags & MS_NODIRATIME) && tn->tn_type == VDIR))
		return;
	tmpfs_time_now(&now);
	mutex_enter(&tm->tm_lock);
	if ((flags & MS_STRICTATIME) ||
	    ts_le(&tn->tn_atime, &tn->tn_mtime) ||
	    ts_le(&tn->tn_atime, &tn->tn_ctime) ||
	    now.tv_sec - tn->tn_atime.tv_sec >= 24 * 60 * 60)
		tn->tn_atime = now;
	mutex_exit(&tm->tm_lock);
}

void
tmpfs_get_atime(struct tmpfs_mount *tm, struct tmpfs_node *tn,
    struct timespec *ts)
{

	mutex_enter(&tm->tm_lock);
	*ts = tn->tn_atime;
	mutex_exit(&tm->tm_lock);
}

void
tmpfs_set_atime(struct tmpfs_mount *tm, struct tmpfs_node *tn,
    const struct timespec *ts)
{

	mutex_enter(&tm->tm_lock);
	tn->tn_atime = *ts;
	mutex_exit(&tm->tm_lock);
}
