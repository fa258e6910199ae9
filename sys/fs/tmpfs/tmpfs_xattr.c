/*
 * tmpfs_xattr.c: extended attributes of tmpfs nodes, in memory.
 *
 * Each node keeps its attributes in a list (tn_xattrs), in the order
 * they were first set: a listing gives them in that order, and a value
 * replaced keeps its place.  An attribute is one allocation: its name,
 * a NUL and its value.  It never changes once made: a new value is a
 * new attribute put in the old one's place, so that a failed allocation
 * leaves the old value as it was.
 *
 * The VFS (sys/vfs/vfs_xattr.c) has checked the name, the permissions
 * and the value's size; what is left here is the file system's limit.
 * Any node may have attributes (the VFS keeps user.* to regular files
 * and directories, as Linux does), every namespace is stored alike.
 * Linux's tmpfs limits user.* attributes by the mount's inode space;
 * ours bounds each node instead, whatever the namespace, so that no
 * caller can fill kernel memory through one file:
 *   - the names and values of a node together take at most
 *     TMPFS_XATTR_SPACE bytes (128 KiB: one value of XATTR_SIZE_MAX and
 *     a full listing's worth of names);
 *   - its listing (each name and a NUL) at most XATTR_LIST_MAX bytes,
 *     so that it can always be listed;
 * past either, setxattr is ENOSPC; and, like every tmpfs allocation,
 * nothing is allocated past the kernel's memory limit (tmpfs_mem_ok).
 * The space is not counted in the mount's size= (Linux does not count it
 * in the blocks either).
 *
 * Locking: the node's vnode lock (tmpfs.h: n), shared for get and list,
 * exclusive for set (the VFS takes it); tmpfs_xattr_free runs when no
 * one can reach the node any more.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/vnode.h>
#include <sys/xattr.h>

#include "tmpfs.h"

static size_t
tmpfs_xattr_allocsize(const struct tmpfs_xattr *tx)
{

	return sizeof(*tx) + tx->tx_namelen + 1 + tx->tx_size;
}

static const void *
tmpfs_xattr_value(const struct tmpfs_xattr *tx)
{

	return tx->tx_data + tx->tx_namelen + 1;
}

static struct tmpfs_xattr *
tmpfs_xattr_find(struct tmpfs_node *tn, const char *name, size_t namelen)
{
	struct tmpfs_xattr *tx;

	TAILQ_FOREACH(tx, &tn->tn_xattrs, tx_entries)
		if (tx->tx_namelen == namelen &&
		    memcmp(tx->tx_data, name, namelen) == 0)
			return tx;
	return NULL;
}

int
tmpfs_getxattr(struct vnode *vp, const char *name, void *buf, size_t *sizep,
    kauth_cred_t cred __unused)
{
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);
	struct tmpfs_xattr *tx;

	if ((tx = tmpfs_xattr_find(tn, name, strlen(name))) == NULL)
		return ENODATA;
	if (*sizep != 0) {
		if (tx->tx_size > *sizep)
			return ERANGE;
		memcpy(buf, tmpfs_xattr_value(tx), tx->tx_size);
	}
	*sizep = tx->tx_size;
	return 0;
}

static void
tmpfs_xattr_unlink(struct tmpfs_node *tn, struct tmpfs_xattr *tx)
{

	TAILQ_REMOVE(&tn->tn_xattrs, tx, tx_entries);
	tn->tn_xattr_space -= tx->tx_namelen + tx->tx_size;
	tn->tn_xattr_listlen -= tx->tx_namelen + 1;
	kmem_free(tx, tmpfs_xattr_allocsize(tx));
}

/* Does an attribute of namelen and size fit once old (or NULL) is gone? */
static bool
tmpfs_xattr_fits(const struct tmpfs_node *tn, const struct tmpfs_xattr *old,
    size_t namelen, size_t size)
{
	size_t space = tn->tn_xattr_space, listlen = tn->tn_xattr_listlen;

	if (old != NULL) {
		space -= old->tx_namelen + old->tx_size;
		listlen -= old->tx_namelen + 1;
	}
	return space + namelen + size <= TMPFS_XATTR_SPACE &&
	    listlen + namelen + 1 <= XATTR_LIST_MAX;
}

int
tmpfs_setxattr(struct vnode *vp, const char *name, const void *value,
    size_t len, int flags, kauth_cred_t cred __unused)
{
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);
	size_t namelen = strlen(name), allocsize;
	struct tmpfs_xattr *old, *tx;

	KASSERT(namelen > 0 && namelen <= XATTR_NAME_MAX);
	KASSERT(len <= XATTR_SIZE_MAX);
	old = tmpfs_xattr_find(tn, name, namelen);
	if (old == NULL && (value == NULL || (flags & XATTR_REPLACE)))
		return ENODATA;
	if (old != NULL && value != NULL && (flags & XATTR_CREATE))
		return EEXIST;
	if (value == NULL) {
		tmpfs_xattr_unlink(tn, old);
		tmpfs_touch(tn, false, true);
		return 0;
	}
	if (!tmpfs_xattr_fits(tn, old, namelen, len))
		return ENOSPC;
	allocsize = sizeof(*tx) + namelen + 1 + len;
	if (!tmpfs_mem_ok(allocsize))
		return ENOSPC;
	if ((tx = kmem_alloc(allocsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	tx->tx_namelen = (uint16_t)namelen;
	tx->tx_size = len;
	memcpy(tx->tx_data, name, namelen + 1);
	memcpy(tx->tx_data + namelen + 1, value, len);
	if (old != NULL) {
		TAILQ_INSERT_BEFORE(old, tx, tx_entries);
		tmpfs_xattr_unlink(tn, old);
	} else
		TAILQ_INSERT_TAIL(&tn->tn_xattrs, tx, tx_entries);
	tn->tn_xattr_space += namelen + len;
	tn->tn_xattr_listlen += namelen + 1;
	tmpfs_touch(tn, false, true);
	return 0;
}

int
tmpfs_listxattr(struct vnode *vp, void *buf, size_t *sizep,
    kauth_cred_t cred __unused)
{
	struct tmpfs_node *tn = VP_TO_TMPFS_NODE(vp);
	struct tmpfs_xattr *tx;
	char *p = buf;

	if (*sizep != 0) {
		if (tn->tn_xattr_listlen > *sizep)
			return ERANGE;
		TAILQ_FOREACH(tx, &tn->tn_xattrs, tx_entries) {
			memcpy(p, tx->tx_data, tx->tx_namelen + 1);
			p += tx->tx_namelen + 1;
		}
	}
	*sizep = tn->tn_xattr_listlen;
	return 0;
}

/* Free a node's attributes (tmpfs_node_free). */
void
tmpfs_xattr_free(struct tmpfs_node *tn)
{
	struct tmpfs_xattr *tx;

	while ((tx = TAILQ_FIRST(&tn->tn_xattrs)) != NULL)
		tmpfs_xattr_unlink(tn, tx);
	KASSERT(tn->tn_xattr_space == 0 && tn->tn_xattr_listlen == 0);
}
