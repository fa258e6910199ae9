/*
 * tmpfs_vfsops.c: tmpfs as a file system type: mount options, mount and
 * unmount, the root, statfs, sync, loading a node into a vnode, and the
 * component that registers the type.
 *
 * Options (Linux's tmpfs(5)), comma-separated: size=N[k|m|g|t|p|e|%]
 * (bytes, rounded up to pages; a percentage of the kernel's memory limit;
 * 0 or a percentage without a limit: unlimited), nr_inodes=N[k|m|g]
 * (0: unlimited), mode=OCTAL, uid=N, gid=N (of the root directory).
 * Anything else is EINVAL.  Without size=, a kernel with a memory limit
 * gets half of it, as Linux gives half of the RAM; without a limit, the
 * size is not limited (kmem still is).
 *
 * Locking: the VFS serialises mount and unmount of one mount; tm_lock
 * covers the node table that loadvnode searches (tmpfs_subr.c).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/stat.h>
#include <sys/vnode.h>

#include "tmpfs.h"

#define TMPFS_OPT_MAX 64		/* longest option we parse */
#define TMPFS_IDHASH_INITIAL 64

struct tmpfs_args {
	uint64_t ta_pages;		/* 0: unlimited */
	bool ta_pages_set;
	uint64_t ta_inodes;		/* 0: unlimited */
	mode_t ta_mode;
	uid_t ta_uid;
	gid_t ta_gid;
};

/*
 * A number as Linux's memparse reads it: decimal, octal (0...) or hex
 * (0x...) with an optional binary suffix; percent allows a trailing '%'
 * (then *pctp is set).  EINVAL for anything else, and on overflow.
 */
static int
tmpfs_parse_size(const char *s, bool percent, uint64_t *vp, bool *pctp)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (pctp != NULL)
		*pctp = false;
	if (*s < '0' || *s > '9')
		return EINVAL;
	v = strtoull(s, &end, 0);
	if (end == s || v == ~0ULL)
		return EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	case 'p': case 'P': shift = 50; end++; break;
	case 'e': case 'E': shift = 60; end++; break;
	case '%':
		if (!percent)
			return EINVAL;
		*pctp = true;
		end++;
		break;
	}
	if (*end != '\0')
		return EINVAL;
	if (shift != 0 && v > (~0ULL >> shift))
		return EINVAL;
	*vp = v << shift;
	return 0;
}

/* An unsigned 32-bit number in base (0: C's rules); -1 is no id. */
static int
tmpfs_parse_u32(const char *s, int base, uint32_t *vp)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return EINVAL;
	v = strtoull(s, &end, base);
	if (end == s || *end != '\0' || v >= 0xffffffffULL)
		return EINVAL;
	*vp = (uint32_t)v;
	return 0;
}

static int
tmpfs_parse_option(struct tmpfs_args *ta, const char *opt)
{
	const char *val;
	uint64_t v, limit;
	uint32_t u;
	bool pct;
	int error;

	if ((val = strchr(opt, '=')) == NULL)
		return EINVAL;
	val++;
	if (strncmp(opt, "size=", 5) == 0) {
		if ((error = tmpfs_parse_size(val, true, &v, &pct)) != 0)
			return error;
		if (pct) {
			limit = kmem_limit();
			if (limit == UINT64_MAX)	/* no limit: none */
				v = 0;
			else if (v > UINT64_MAX / (limit / 100 + 1))
				return EINVAL;
			else
				v = limit / 100 * v;
		}
		ta->ta_pages = howmany(v, TMPFS_PAGE_SIZE);
		ta->ta_pages_set = true;
	} else if (strncmp(opt, "nr_inodes=", 10) == 0) {
		if ((error = tmpfs_parse_size(val, false, &v, NULL)) != 0)
			return error;
		ta->ta_inodes = v;
	} else if (strncmp(opt, "mode=", 5) == 0) {
		if ((error = tmpfs_parse_u32(val, 8, &u)) != 0)
			return error;
		ta->ta_mode = u & ALLPERMS;
	} else if (strncmp(opt, "uid=", 4) == 0) {
		if ((error = tmpfs_parse_u32(val, 0, &u)) != 0)
			return error;
		ta->ta_uid = u;
	} else if (strncmp(opt, "gid=", 4) == 0) {
		if ((error = tmpfs_parse_u32(val, 0, &u)) != 0)
			return error;
		ta->ta_gid = u;
	} else
		return EINVAL;
	return 0;
}

/* Parse the option string (NULL or "" for none) into ta. */
static int
tmpfs_parse_options(const char *data, struct tmpfs_args *ta)
{
	char opt[TMPFS_OPT_MAX + 1];
	const char *p, *comma;
	size_t len;
	int error;

	for (p = data; p != NULL && *p != '\0'; p = comma ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (len == 0)
			continue;
		if (len > TMPFS_OPT_MAX)
			return EINVAL;
		memcpy(opt, p, len);
		opt[len] = '\0';
		if ((error = tmpfs_parse_option(ta, opt)) != 0)
			return error;
	}
	return 0;
}

static int
tmpfs_mount(struct mount *mp, const char *source __unused, const char *data,
    kauth_cred_t cred)
{
	struct tmpfs_args ta;
	struct tmpfs_mount *tm;
	struct tmpfs_node *root;
	uint64_t limit;
	int error;

	memset(&ta, 0, sizeof(ta));
	ta.ta_mode = 01777;
	ta.ta_uid = cred != NULL ? cred->cr_fsuid : 0;
	ta.ta_gid = cred != NULL ? cred->cr_fsgid : 0;
	if ((error = tmpfs_parse_options(data, &ta)) != 0)
		return error;
	if (!ta.ta_pages_set && (limit = kmem_limit()) != UINT64_MAX)
		ta.ta_pages = howmany(limit / 2, TMPFS_PAGE_SIZE);

	tm = kmem_zalloc(sizeof(*tm), KM_SLEEP);
	if (tm == NULL)
		return ENOMEM;
	tm->tm_idhash = kmem_zalloc(TMPFS_IDHASH_INITIAL *
	    sizeof(*tm->tm_idhash), KM_SLEEP);
	if (tm->tm_idhash == NULL) {
		kmem_free(tm, sizeof(*tm));
		return ENOMEM;
	}
	mutex_init(&tm->tm_lock, MUTEX_DEFAULT, IPL_NONE);
	tm->tm_idmask = TMPFS_IDHASH_INITIAL - 1;
	TAILQ_INIT(&tm->tm_nodes);
	tm->tm_nextid = 1;		/* the root is inode 1, as in Linux */
	tm->tm_pages_max = ta.ta_pages;
	tm->tm_inodes_max = ta.ta_inodes;

	error = tmpfs_node_alloc(tm, VDIR, ta.ta_mode, ta.ta_uid, ta.ta_gid,
	    &root);
	if (error) {
		kmem_free(tm->tm_idhash, TMPFS_IDHASH_INITIAL *
		    sizeof(*tm->tm_idhash));
		mutex_destroy(&tm->tm_lock);
		kmem_free(tm, sizeof(*tm));
		return error;
	}
	root->tn_links = 2;
	root->tn_u.tn_dir.td_parent = root;
	tm->tm_root = root;
	mp->mnt_data = tm;
	return 0;
}

/*
 * Free every node.  The VFS has reclaimed every vnode but maybe the
 * root's; a vnode still attached is detached (v_data NULL), so that its
 * later reclaim finds nothing to free.
 */
static int
tmpfs_unmount(struct mount *mp, int flags __unused)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	struct tmpfs_node *tn;

	if (tm == NULL)
		return 0;
	while ((tn = TAILQ_FIRST(&tm->tm_nodes)) != NULL) {
		mutex_enter(&tm->tm_lock);
		if (tn->tn_vnode != NULL) {
			tn->tn_vnode->v_data = NULL;
			tn->tn_vnode = NULL;
		}
		mutex_exit(&tm->tm_lock);
		tmpfs_node_free(tm, tn);
	}
	KASSERT(tm->tm_pages_used == 0);
	kmem_free(tm->tm_idhash, (tm->tm_idmask + 1) * sizeof(*tm->tm_idhash));
	mutex_destroy(&tm->tm_lock);
	kmem_free(tm, sizeof(*tm));
	mp->mnt_data = NULL;
	return 0;
}

static int
tmpfs_root(struct mount *mp, struct vnode **vpp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);

	return vcache_get(mp, tm->tm_root->tn_id, vpp);
}

static int
tmpfs_statfs(struct mount *mp, struct statfs *sf)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	int flags = mp->mnt_flag;

	memset(sf, 0, sizeof(*sf));
	sf->f_type = TMPFS_MAGIC;
	sf->f_bsize = TMPFS_PAGE_SIZE;
	sf->f_frsize = TMPFS_PAGE_SIZE;
	sf->f_namelen = TMPFS_NAME_MAX;
	mutex_enter(&tm->tm_lock);
	if (tm->tm_pages_max != 0) {
		sf->f_blocks = tm->tm_pages_max;
		sf->f_bfree = tm->tm_pages_max > tm->tm_pages_used ?
		    tm->tm_pages_max - tm->tm_pages_used : 0;
		sf->f_bavail = sf->f_bfree;
	}
	if (tm->tm_inodes_max != 0) {
		sf->f_files = tm->tm_inodes_max;
		sf->f_ffree = tm->tm_inodes_max > tm->tm_inodes_used ?
		    tm->tm_inodes_max - tm->tm_inodes_used : 0;
	}
	mutex_exit(&tm->tm_lock);
	sf->f_flags = ((flags & MS_RDONLY) ? ST_RDONLY : 0) |
	    ((flags & MS_NOSUID) ? ST_NOSUID : 0) |
	    ((flags & MS_NODEV) ? ST_NODEV : 0) |
	    ((flags & MS_NOEXEC) ? ST_NOEXEC : 0) |
	    ((flags & MS_SYNCHRONOUS) ? ST_SYNCHRONOUS : 0) |
	    ((flags & MS_NOATIME) ? ST_NOATIME : 0) |
	    ((flags & MS_NODIRATIME) ? ST_NODIRATIME : 0) |
	    ((flags & MS_RELATIME) ? ST_RELATIME : 0);
	return 0;
}

/* Everything is in memory already. */
static int
tmpfs_sync(struct mount *mp __unused, int waitfor __unused)
{

	return 0;
}

static int
tmpfs_loadvnode(struct mount *mp, struct vnode *vp, uint64_t key)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	struct tmpfs_node *tn;
	int error = 0;

	mutex_enter(&tm->tm_lock);
	if ((tn = tmpfs_node_find_locked(tm, key)) == NULL) {
		error = ENOENT;
		goto out;
	}
	if (tn->tn_vnode != NULL) {
		error = EBUSY;	/* vcache gives one vnode per key */
		goto out;
	}
	/*
	 * A node without links and without a vnode is not a file (yet: its
	 * creator has not named it; or any more: its reclaim is freeing
	 * it).  Only a handle (open_by_handle_at) may ask for it.
	 */
	if (tn->tn_links == 0) {
		error = ESTALE;
		goto out;
	}
	tn->tn_vnode = vp;
	vp->v_type = tn->tn_type;
	vp->v_op = &tmpfs_vnodeops;
	vp->v_data = tn;
	vp->v_rdev = (tn->tn_type == VCHR || tn->tn_type == VBLK) ?
	    tn->tn_u.tn_rdev : 0;
 out:
	mutex_exit(&tm->tm_lock);
	return error;
}

struct vfsops tmpfs_vfsops = {
	.vfs_name = "tmpfs",
	.vfs_mount = tmpfs_mount,
	.vfs_unmount = tmpfs_unmount,
	.vfs_root = tmpfs_root,
	.vfs_statfs = tmpfs_statfs,
	.vfs_sync = tmpfs_sync,
	.vfs_loadvnode = tmpfs_loadvnode,
};

static int
tmpfs_modinit(void)
{

	return vfs_register(&tmpfs_vfsops);
}

static void
tmpfs_modfini(void)
{

	vfs_unregister(&tmpfs_vfsops);
}

RUMP_COMPONENT(tmpfs, "vfs", tmpfs_modinit, tmpfs_modfini)
