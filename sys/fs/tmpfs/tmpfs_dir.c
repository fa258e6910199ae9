/*
 * tmpfs_dir.c: tmpfs directories.
 *
 * A directory keeps its entries twice: in a hash table of names (chained,
 * doubled when it holds twice as many entries as buckets, so lookups stay
 * O(1) for big directories) and in a list in increasing cookie order.
 * Each entry's cookie is a per-directory sequence number given when the
 * entry is made and never reused, so a readdir position (the cookie of the
 * next entry to return) stays valid whatever is added or removed: later
 * calls resume at the first entry whose cookie is not smaller, and no
 * surviving entry is returned twice or skipped.  Cookies 0 and 1 are "."
 * and "..".  A hint (the next entry after the last readdir) makes a
 * sequential readdir O(1) per call instead of a walk from the start.
 *
 * Locking: the directory's vnode lock protects the entries (taken
 * exclusive by the VOPs that change them, shared by lookup and readdir);
 * the readdir hint, which readers move, is under tm_lock (tmpfs.h).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/dirent.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "tmpfs.h"

#define TMPFS_DIRHASH_MIN 8

/* FNV-1a. */
static uint32_t
tmpfs_name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261U;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 16777619U;
	}
	return h;
}

int
tmpfs_dir_init(struct tmpfs_node *tn)
{
	struct tmpfs_dir *d = &tn->tn_u.tn_dir;

	d->td_hash = kmem_zalloc(TMPFS_DIRHASH_MIN * sizeof(*d->td_hash),
	    KM_SLEEP);
	if (d->td_hash == NULL)
		return ENOMEM;
	d->td_hashmask = TMPFS_DIRHASH_MIN - 1;
	d->td_count = 0;
	TAILQ_INIT(&d->td_list);
	d->td_nextcookie = TMPFS_COOKIE_FIRST;
	d->td_hint = NULL;
	d->td_hintcookie = 0;
	d->td_parent = NULL;
	tn->tn_size = 2 * TMPFS_BOGO_DIRENT;
	return 0;
}

/* Free the directory's entries and table (the node is being freed: the
 * nodes the entries name are not touched). */
void
tmpfs_dir_fini(struct tmpfs_mount *tm __unused, struct tmpfs_node *tn)
{
	struct tmpfs_dir *d = &tn->tn_u.tn_dir;
	struct tmpfs_dirent *de, *next;

	TAILQ_FOREACH_SAFE(de, &d->td_list, td_entries, next)
		tmpfs_dirent_free(de);
	TAILQ_INIT(&d->td_list);
	d->td_count = 0;
	d->td_hint = NULL;
	if (d->td_hash != NULL)
		kmem_free(d->td_hash,
		    ((size_t)d->td_hashmask + 1) * sizeof(*d->td_hash));
	d->td_hash = NULL;
}

struct tmpfs_dirent *
tmpfs_dir_lookup(struct tmpfs_node *dn, const char *name, size_t len)
{
	struct tmpfs_dir *d = &dn->tn_u.tn_dir;
	struct tmpfs_dirent *de;
	uint32_t h;

	KASSERT(dn->tn_type == VDIR);
	h = tmpfs_name_hash(name, len);
	for (de = d->td_hash[h & d->td_hashmask]; de != NULL;
	    de = de->td_hnext)
		if (de->td_hash == h && de->td_namelen == len &&
		    memcmp(de->td_name, name, len) == 0)
			return de;
	return NULL;
}

int
tmpfs_dirent_alloc(const char *name, size_t len, struct tmpfs_dirent **dep)
{
	struct tmpfs_dirent *de;

	*dep = NULL;
	if (len > TMPFS_NAME_MAX)
		return ENAMETOOLONG;
	if (!tmpfs_mem_ok(sizeof(*de) + len))
		return ENOSPC;
	de = kmem_alloc(sizeof(*de) + len, KM_SLEEP);
	if (de == NULL)
		return ENOMEM;
	de->td_hnext = NULL;
	de->td_node = NULL;
	de->td_cookie = 0;
	de->td_hash = tmpfs_name_hash(name, len);
	de->td_namelen = (uint16_t)len;
	memcpy(de->td_name, name, len);
	*dep = de;
	return 0;
}

void
tmpfs_dirent_free(struct tmpfs_dirent *de)
{

	kmem_free(de, sizeof(*de) + de->td_namelen);
}

/* Double the hash table; on ENOMEM keep the old one (longer chains). */
static void
tmpfs_dir_grow(struct tmpfs_dir *d)
{
	struct tmpfs_dirent **nh, *de;
	size_t osize = (size_t)d->td_hashmask + 1, nsize = osize * 2;
	uint32_t nmask = (uint32_t)(nsize - 1);

	if (nsize > (1U << 24))
		return;
	nh = kmem_zalloc(nsize * sizeof(*nh), KM_SLEEP);
	if (nh == NULL)
		return;
	TAILQ_FOREACH(de, &d->td_list, td_entries) {
		de->td_hnext = nh[de->td_hash & nmask];
		nh[de->td_hash & nmask] = de;
	}
	kmem_free(d->td_hash, osize * sizeof(*nh));
	d->td_hash = nh;
	d->td_hashmask = nmask;
}

/* Enter de (its name set) in directory dn, naming tn, at the end of the
 * cookie order.  Link counts are the caller's business. */
void
tmpfs_dir_attach(struct tmpfs_mount *tm __unused, struct tmpfs_node *dn,
    struct tmpfs_dirent *de, struct tmpfs_node *tn)
{
	struct tmpfs_dir *d = &dn->tn_u.tn_dir;
	uint32_t b;

	KASSERT(dn->tn_type == VDIR);
	de->td_node = tn;
	de->td_cookie = d->td_nextcookie++;
	TAILQ_INSERT_TAIL(&d->td_list, de, td_entries);
	b = de->td_hash & d->td_hashmask;
	de->td_hnext = d->td_hash[b];
	d->td_hash[b] = de;
	d->td_count++;
	dn->tn_size += TMPFS_BOGO_DIRENT;
	if (d->td_count > 2 * (d->td_hashmask + 1))
		tmpfs_dir_grow(d);
}

/* Take de out of directory dn (the caller frees or reuses it). */
void
tmpfs_dir_detach(struct tmpfs_mount *tm, struct tmpfs_node *dn,
    struct tmpfs_dirent *de)
{
	struct tmpfs_dir *d = &dn->tn_u.tn_dir;
	struct tmpfs_dirent **dep;

	KASSERT(d->td_count > 0);
	for (dep = &d->td_hash[de->td_hash & d->td_hashmask]; *dep != de;
	    dep = &(*dep)->td_hnext)
		KASSERT(*dep != NULL);
	*dep = de->td_hnext;
	de->td_hnext = NULL;
	mutex_enter(&tm->tm_lock);
	if (d->td_hint == de)	/* still the first entry >= hintcookie */
		d->td_hint = TAILQ_NEXT(de, td_entries);
	mutex_exit(&tm->tm_lock);
	TAILQ_REMOVE(&d->td_list, de, td_entries);
	d->td_count--;
	dn->tn_size -= TMPFS_BOGO_DIRENT;
}

static uint8_t
tmpfs_dtype(enum vtype type)
{

	switch (type) {
	case VREG: return DT_REG;
	case VDIR: return DT_DIR;
	case VLNK: return DT_LNK;
	case VCHR: return DT_CHR;
	case VBLK: return DT_BLK;
	case VFIFO: return DT_FIFO;
	case VSOCK: return DT_SOCK;
	default: return DT_UNKNOWN;
	}
}

/*
 * Copy one dirent64 record out and move the position to next.  *fullp
 * when it does not fit in what is left of the buffer.
 */
static int
tmpfs_dir_emit(struct uio *uio, uint64_t ino, const char *name, size_t len,
    uint8_t type, uint64_t next, bool *fullp)
{
	union {
		struct dirent64 d;
		char buf[DIRENT64_RECLEN(TMPFS_NAME_MAX)];
	} u;
	size_t reclen = DIRENT64_RECLEN(len);
	off_t here = uio->uio_offset;
	int error;

	if (reclen > uio->uio_resid) {
		*fullp = true;
		return 0;
	}
	memset(&u, 0, reclen);
	u.d.d_ino = ino;
	u.d.d_off = (int64_t)next;
	u.d.d_reclen = (uint16_t)reclen;
	u.d.d_type = type;
	memcpy(u.d.d_name, name, len);
	error = uiomove(&u, reclen, uio);
	uio->uio_offset = error ? here : (off_t)next;
	return error;
}

/* The first entry whose cookie is not below cookie, or NULL. */
static struct tmpfs_dirent *
tmpfs_dir_seek(struct tmpfs_mount *tm, struct tmpfs_dir *d, uint64_t cookie)
{
	struct tmpfs_dirent *de;

	mutex_enter(&tm->tm_lock);
	if (d->td_hint != NULL && d->td_hintcookie <= cookie)
		de = d->td_hint;
	else
		de = TAILQ_FIRST(&d->td_list);
	mutex_exit(&tm->tm_lock);
	while (de != NULL && de->td_cookie < cookie)
		de = TAILQ_NEXT(de, td_entries);
	return de;
}

/*
 * readdir: dirent64 records from the cookie uio_offset on, as many as fit.
 * The directory's vnode is locked (shared is enough).
 */
int
tmpfs_dir_getdents(struct tmpfs_mount *tm, struct tmpfs_node *dn,
    struct uio *uio, int *eofp)
{
	struct tmpfs_dir *d = &dn->tn_u.tn_dir;
	struct tmpfs_dirent *de, *next;
	uint64_t cookie, nextcookie;
	size_t startresid = uio->uio_resid;
	bool full = false;
	int error = 0;

	if (eofp != NULL)
		*eofp = 0;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (dn->tn_links == 0)		/* removed: Linux says ENOENT */
		return ENOENT;
	cookie = (uint64_t)uio->uio_offset;
	if (cookie == TMPFS_COOKIE_DOT) {
		error = tmpfs_dir_emit(uio, dn->tn_id, ".", 1, DT_DIR,
		    TMPFS_COOKIE_DOTDOT, &full);
		if (error || full)
			goto out;
		cookie = TMPFS_COOKIE_DOTDOT;
	}
	if (cookie == TMPFS_COOKIE_DOTDOT) {
		de = TAILQ_FIRST(&d->td_list);
		nextcookie = de != NULL ? de->td_cookie : d->td_nextcookie;
		error = tmpfs_dir_emit(uio, d->td_parent != NULL ?
		    d->td_parent->tn_id : dn->tn_id, "..", 2, DT_DIR,
		    nextcookie, &full);
		if (error || full)
			goto out;
		cookie = nextcookie;
	}
	for (de = tmpfs_dir_seek(tm, d, cookie); de != NULL; de = next) {
		next = TAILQ_NEXT(de, td_entries);
		nextcookie = next != NULL ? next->td_cookie : d->td_nextcookie;
		error = tmpfs_dir_emit(uio, de->td_node->tn_id, de->td_name,
		    de->td_namelen, tmpfs_dtype(de->td_node->tn_type),
		    nextcookie, &full);
		if (error || full)
			break;
	}
	if (de == NULL && eofp != NULL)
		*eofp = 1;
	mutex_enter(&tm->tm_lock);
	d->td_hint = de;
	d->td_hintcookie = (uint64_t)uio->uio_offset;
	mutex_exit(&tm->tm_lock);
 out:
	if (full && uio->uio_resid == startresid)
		error = EINVAL;		/* not even one record fits */
	return error;
}
