/*
 * ext2_acl.c: POSIX access ACLs of ext2/3/4 kept in step with the mode
 * (format in ext2fs_format.h, stored by ext2_xattr.c).
 *
 * The driver does not use ACLs for its own permission checks (the mode
 * bits decide, docs/ext2.md), but the host kernel that mounts the image
 * later does.  So a chmod does to the access ACL what Linux's does: the
 * owner's entry gets the owner's bits, the others' entry the others',
 * the mask (or, without one, the owning group's entry) the group's; an
 * ACL left with nothing the mode does not say (no mask, no named user
 * or group) is removed, as Linux removes it.  Otherwise a chmod that
 * narrows the mode would leave the ACL granting what the mode no longer
 * shows.
 *
 * An ACL that Linux could not read (a bad version or size, an unknown
 * tag, neither a mask nor an owning-group entry) is corrupt (logged): a
 * chmod that changes the permission bits is refused (EUCLEAN) and
 * nothing changes, so the mode never says less than the ACL grants;
 * one that only drops set-ID bits (before a write) goes on.  (Linux
 * changes the mode and then fails with EINVAL or EIO, the ACL as it
 * was.)
 *
 * Locking: the vnode lock, held exclusively (vop_setattr).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "ext2fs.h"

static uint16_t
ext2_acl_get16(const uint8_t *p)
{

	return (uint16_t)(p[0] | p[1] << 8);
}

static void
ext2_acl_put16(uint8_t *p, uint16_t v)
{

	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/*
 * Check the access ACL v (size bytes) as Linux reads one (version 1;
 * the number of entries its size gives, four short ones first if there
 * are more; each entry as long as its tag says; nothing after them) and
 * apply mode to it in place.  *equivp: the ACL says no more than the
 * mode.  NULL, or what is wrong with it.
 */
static const char *
ext2_acl_apply(uint8_t *v, size_t size, mode_t mode, bool *equivp)
{
	uint8_t *mask = NULL, *group = NULL, *perm;
	size_t o, n, count;
	uint32_t version;

	if (size < EXT2_ACL_HDR)
		return "shorter than its header";
	version = (uint32_t)v[0] | (uint32_t)v[1] << 8 |
	    (uint32_t)v[2] << 16 | (uint32_t)v[3] << 24;
	if (version != EXT2_ACL_VERSION)
		return "bad version";
	n = size - EXT2_ACL_HDR;
	if (n < 4 * EXT2_ACL_SHORT) {
		if (n % EXT2_ACL_SHORT != 0)
			return "bad size";
		count = n / EXT2_ACL_SHORT;
	} else {
		if ((n - 4 * EXT2_ACL_SHORT) % EXT2_ACL_LONG != 0)
			return "bad size";
		count = (n - 4 * EXT2_ACL_SHORT) / EXT2_ACL_LONG + 4;
	}
	*equivp = true;
	for (o = EXT2_ACL_HDR; count > 0; count--) {
		if (size - o < EXT2_ACL_SHORT)
			return "an entry runs past the end";
		perm = v + o + 2;
		switch (ext2_acl_get16(v + o)) {
		case EXT2_ACL_USER_OBJ:
			ext2_acl_put16(perm, (uint16_t)((mode >> 6) & 7));
			break;
		case EXT2_ACL_GROUP_OBJ:
			group = perm;
			break;
		case EXT2_ACL_MASK:
			mask = perm;
			*equivp = false;
			break;
		case EXT2_ACL_OTHER:
			ext2_acl_put16(perm, (uint16_t)(mode & 7));
			break;
		case EXT2_ACL_USER:
		case EXT2_ACL_GROUP:
			if (size - o < EXT2_ACL_LONG)
				return "an entry runs past the end";
			*equivp = false;
			o += EXT2_ACL_LONG - EXT2_ACL_SHORT;
			break;
		default:
			return "an unknown tag";
		}
		o += EXT2_ACL_SHORT;
	}
	if (o != size)
		return "its size does not match its entries";
	if (mask == NULL && group == NULL)
		return "neither a mask nor an owning group entry";
	ext2_acl_put16(mask != NULL ? mask : group,
	    (uint16_t)((mode >> 3) & 7));
	return NULL;
}

/*
 * The mode of ip becomes mode (the caller stores it after this
 * succeeds): its access ACL, if it has one, follows.  EUCLEAN for a
 * corrupt ACL; an error of the attribute's write (ENOSPC for the copy
 * of a shared block) also leaves the file as it was.
 */
int
ext2_acl_chmod(struct ext2inode *ip, mode_t mode)
{
	uint8_t *v = NULL, *old = NULL;
	size_t size = 0, got;
	const char *why;
	bool equiv;
	int error;

	error = ext2_xattr_iget(ip, EXT2_XATTR_INDEX_POSIX_ACL_ACCESS, "", 0,
	    NULL, &size);
	if (error == ENODATA)
		return 0;
	if (error != 0)
		return error;
	if (size == 0) {
		why = "empty";
		goto bad;
	}
	v = kmem_alloc(size, KM_SLEEP);
	old = kmem_alloc(size, KM_SLEEP);
	if (v == NULL || old == NULL) {
		error = ENOMEM;
		goto out;
	}
	got = size;
	if ((error = ext2_xattr_iget(ip, EXT2_XATTR_INDEX_POSIX_ACL_ACCESS, "",
	    0, v, &got)) != 0)
		goto out;
	memcpy(old, v, size);
	if ((why = ext2_acl_apply(v, size, mode, &equiv)) != NULL)
		goto bad;
	if (equiv)
		error = ext2_xattr_iset(ip, EXT2_XATTR_INDEX_POSIX_ACL_ACCESS,
		    "", 0, NULL, 0, 0);
	else if (memcmp(v, old, size) != 0)
		error = ext2_xattr_iset(ip, EXT2_XATTR_INDEX_POSIX_ACL_ACCESS,
		    "", 0, v, size, XATTR_REPLACE);
	goto out;
 bad:
	ext2_error(ip->i_ump, "inode %u: bad POSIX access ACL (%s)",
	    ip->i_ino, why);
	/* Only the set-ID bits change (a write drops them): the ACL's
	 * meaning does not, and the change goes on. */
	if (((EXT2_LE16(ip->i_raw->i_mode) ^ mode) &
	    (S_IRWXU | S_IRWXG | S_IRWXO)) != 0)
		error = EUCLEAN;
 out:
	if (v != NULL)
		kmem_free(v, size);
	if (old != NULL)
		kmem_free(old, size);
	return error;
}
