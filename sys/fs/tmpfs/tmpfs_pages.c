/*
 * tmpfs_pages.c: the data of tmpfs regular files.
 *
 * A file's data lives in 4 KiB pages taken from kmem when first written,
 * found through a radix tree of page indices: interior nodes of 512
 * pointers, as many levels as the highest page needs (none for a file of
 * one page: the root is the page), up to TMPFS_RADIX_MAXHEIGHT, which
 * sets the largest file.  A hole (a page never written, or a range past
 * the old end of a file extended by truncate) has no page and reads as
 * zeros, so a sparse file of a terabyte costs a few interior nodes.
 *
 * Invariants: no page lies wholly at or past the end of the file, and
 * the bytes of the last page past the end are zero, so growing a file
 * never shows old data.  Only data pages count against the mount's size
 * limit (as Linux counts blocks); interior nodes are kmem all the same.
 *
 * Locking: the file's vnode lock (shared to read, exclusive to write or
 * truncate); the mount's block counter is under tm_lock (tmpfs_subr.c).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "tmpfs.h"

#define TMPFS_PAGE_MASK ((off_t)TMPFS_PAGE_SIZE - 1)

/* What a hole reads as.  Only ever read (uiomove out of it). */
static char tmpfs_zeropage[TMPFS_PAGE_SIZE];

/* The number of pages a tree of height h covers. */
static uint64_t
tmpfs_span(int h)
{

	return (uint64_t)1 << (TMPFS_RADIX_SHIFT * h);
}

static unsigned int
tmpfs_slot(uint64_t idx, int h)
{

	return (unsigned int)(idx >> (TMPFS_RADIX_SHIFT * (h - 1))) &
	    (TMPFS_RADIX - 1);
}

/* The page of index idx, or NULL for a hole. */
static char *
tmpfs_page_lookup(const struct tmpfs_reg *r, uint64_t idx)
{
	void *p = r->tr_root;
	int h = r->tr_height;

	if (p == NULL || idx >= tmpfs_span(h))
		return NULL;
	for (; h > 0 && p != NULL; h--)
		p = ((void **)p)[tmpfs_slot(idx, h)];
	return p;
}

/*
 * The page of index idx, allocated (zeroed) if it is a hole.  ENOSPC at
 * the size limit or when kmem is exhausted; EFBIG past the largest tree.
 */
static int
tmpfs_page_get(struct tmpfs_mount *tm, struct tmpfs_reg *r, uint64_t idx,
    char **pagep)
{
	void **pp, **n;
	int h, error;

	*pagep = NULL;
	if (!tmpfs_mem_ok(TMPFS_PAGE_SIZE))
		return ENOSPC;
	if (r->tr_root == NULL) {
		r->tr_height = 0;
		while (idx >= tmpfs_span(r->tr_height) &&
		    r->tr_height < TMPFS_RADIX_MAXHEIGHT)
			r->tr_height++;
	}
	while (idx >= tmpfs_span(r->tr_height)) {
		if (r->tr_height >= TMPFS_RADIX_MAXHEIGHT)
			return EFBIG;
		if ((n = kmem_zalloc(TMPFS_PAGE_SIZE, KM_SLEEP)) == NULL)
			return ENOSPC;
		n[0] = r->tr_root;
		r->tr_root = n;
		r->tr_height++;
	}
	pp = &r->tr_root;
	for (h = r->tr_height; h > 0; h--) {
		if (*pp == NULL) {
			*pp = kmem_zalloc(TMPFS_PAGE_SIZE, KM_SLEEP);
			if (*pp == NULL)
				return ENOSPC;
		}
		pp = &((void **)*pp)[tmpfs_slot(idx, h)];
	}
	if (*pp == NULL) {
		if ((error = tmpfs_pages_reserve(tm, 1)) != 0)
			return error;
		if ((*pp = kmem_zalloc(TMPFS_PAGE_SIZE, KM_SLEEP)) == NULL) {
			tmpfs_pages_release(tm, 1);
			return ENOSPC;
		}
		r->tr_pages++;
	}
	*pagep = *pp;
	return 0;
}

/*
 * Free the pages of index >= start in the subtree p of height h (indices
 * relative to it); true if the subtree is now empty and freed itself.
 */
static bool
tmpfs_tree_trim(void *p, int h, uint64_t start, uint64_t *freedp)
{
	void **slots = p;
	uint64_t sub, lo;
	bool empty = true;
	unsigned int i;

	if (h == 0) {
		if (start > 0)
			return false;
		kmem_free(p, TMPFS_PAGE_SIZE);
		(*freedp)++;
		return true;
	}
	sub = tmpfs_span(h - 1);
	for (i = 0; i < TMPFS_RADIX; i++) {
		if (slots[i] == NULL)
			continue;
		lo = (uint64_t)i * sub;
		if (lo + sub <= start) {
			empty = false;
			continue;
		}
		if (tmpfs_tree_trim(slots[i], h - 1, start > lo ? start - lo : 0,
		    freedp))
			slots[i] = NULL;
		else
			empty = false;
	}
	if (empty)
		kmem_free(p, TMPFS_PAGE_SIZE);
	return empty;
}

/* Restore the invariants for the end of file size: free the pages past
 * it, zero the rest of the last page. */
static void
tmpfs_reg_trim(struct tmpfs_mount *tm, struct tmpfs_node *tn, off_t size)
{
	struct tmpfs_reg *r = &tn->tn_u.tn_reg;
	uint64_t freed = 0, start;
	char *pg;

	start = (uint64_t)(size + TMPFS_PAGE_MASK) >> TMPFS_PAGE_SHIFT;
	if (r->tr_root != NULL &&
	    tmpfs_tree_trim(r->tr_root, r->tr_height, start, &freed)) {
		r->tr_root = NULL;
		r->tr_height = 0;
	}
	if (freed > 0) {
		KASSERT(r->tr_pages >= freed);
		r->tr_pages -= freed;
		tmpfs_pages_release(tm, freed);
	}
	if ((size & TMPFS_PAGE_MASK) != 0 &&
	    (pg = tmpfs_page_lookup(r, (uint64_t)size >> TMPFS_PAGE_SHIFT)) !=
	    NULL)
		memset(pg + (size & TMPFS_PAGE_MASK), 0,
		    TMPFS_PAGE_SIZE - (size_t)(size & TMPFS_PAGE_MASK));
}

/* Free all the data of a file. */
void
tmpfs_reg_free(struct tmpfs_mount *tm, struct tmpfs_node *tn)
{

	tmpfs_reg_trim(tm, tn, 0);
	KASSERT(tn->tn_u.tn_reg.tr_pages == 0);
}

/* Set the size: shrink (freeing pages) or grow (a hole). */
int
tmpfs_reg_truncate(struct tmpfs_mount *tm, struct tmpfs_node *tn,
    off_t size)
{

	if (size < 0)
		return EINVAL;
	if (size > TMPFS_MAXFILESIZE)
		return EFBIG;
	if (size < tn->tn_size)
		tmpfs_reg_trim(tm, tn, size);
	tn->tn_size = size;
	return 0;
}

/* Read from uio_offset up to the end of file; holes read as zeros. */
int
tmpfs_reg_read(struct tmpfs_node *tn, struct uio *uio)
{
	struct tmpfs_reg *r = &tn->tn_u.tn_reg;
	off_t off;
	size_t pgoff, len;
	char *pg;
	int error = 0;

	if (uio->uio_offset < 0)
		return EINVAL;
	while (uio->uio_resid > 0 && uio->uio_offset < tn->tn_size) {
		off = uio->uio_offset;
		pgoff = (size_t)(off & TMPFS_PAGE_MASK);
		len = MIN(TMPFS_PAGE_SIZE - pgoff, uio->uio_resid);
		if ((off_t)len > tn->tn_size - off)
			len = (size_t)(tn->tn_size - off);
		pg = tmpfs_page_lookup(r, (uint64_t)off >> TMPFS_PAGE_SHIFT);
		error = uiomove((pg != NULL ? pg : tmpfs_zeropage) + pgoff, len,
		    uio);
		if (error)
			break;
	}
	return error;
}

/*
 * Write at uio_offset, extending the file.  Stops at the size limit
 * (ENOSPC), at memory exhaustion (ENOSPC) or at the largest file size
 * (EFBIG); *writtenp says how much went in, and the caller turns an
 * error after a partial write into a short write.
 */
int
tmpfs_reg_write(struct tmpfs_mount *tm, struct tmpfs_node *tn,
    struct uio *uio, size_t *writtenp)
{
	struct tmpfs_reg *r = &tn->tn_u.tn_reg;
	size_t startresid = uio->uio_resid, excess = 0, pgoff, len;
	off_t off;
	char *pg;
	int error = 0;

	*writtenp = 0;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;
	if (uio->uio_offset >= TMPFS_MAXFILESIZE)
		return EFBIG;
	if (uio->uio_resid > (size_t)(TMPFS_MAXFILESIZE - uio->uio_offset)) {
		excess = uio->uio_resid -
		    (size_t)(TMPFS_MAXFILESIZE - uio->uio_offset);
		uio->uio_resid -= excess;
	}
	while (uio->uio_resid > 0) {
		off = uio->uio_offset;
		pgoff = (size_t)(off & TMPFS_PAGE_MASK);
		len = MIN(TMPFS_PAGE_SIZE - pgoff, uio->uio_resid);
		error = tmpfs_page_get(tm, r, (uint64_t)off >> TMPFS_PAGE_SHIFT,
		    &pg);
		if (error)
			break;
		error = uiomove(pg + pgoff, len, uio);
		if (uio->uio_offset > tn->tn_size)
			tn->tn_size = uio->uio_offset;
		if (error)
			break;
	}
	*writtenp = startresid - excess - uio->uio_resid;
	uio->uio_resid += excess;
	if (error)	/* a page may have been made past the end */
		tmpfs_reg_trim(tm, tn, tn->tn_size);
	return error;
}
