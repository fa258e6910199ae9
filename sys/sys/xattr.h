/*
 * xattr.h: extended attributes, Linux's ABI (linux/xattr.h, linux/limits.h,
 * the xattr(7) manual page).
 *
 * An extended attribute is a name and a value of bytes attached to a
 * file.  A name is "namespace.suffix" with one of the prefixes below and
 * a nonempty suffix, XATTR_NAME_MAX bytes at most; a value holds
 * XATTR_SIZE_MAX bytes at most, and a listing of a file's names
 * XATTR_LIST_MAX.  The system calls are in sys/vfs/vfs_xattr.c, the file
 * systems' side is struct vnodeops's vop_getxattr, vop_setxattr and
 * vop_listxattr (vnode.h).
 */
#ifndef _SYS_XATTR_H_
#define _SYS_XATTR_H_

#include <sys/types.h>

/* setxattr flags */
#define XATTR_CREATE 0x1	/* fail with EEXIST if the name exists */
#define XATTR_REPLACE 0x2	/* fail with ENODATA if it does not */

#define XATTR_NAME_MAX 255	/* bytes of a name, its prefix included */
#define XATTR_SIZE_MAX 65536	/* bytes of a value */
#define XATTR_LIST_MAX 65536	/* bytes of a listing */

/* The namespaces.  The VFS knows these four and refuses others. */
#define XATTR_SECURITY_PREFIX "security."
#define XATTR_SYSTEM_PREFIX "system."
#define XATTR_TRUSTED_PREFIX "trusted."
#define XATTR_USER_PREFIX "user."

/*
 * setxattrat and getxattrat (Linux 6.13): the value, its size and the
 * flags, extensible: the caller passes sizeof its version of the
 * structure (at least XATTR_ARGS_SIZE_VER0).
 */
struct xattr_args {
	uint64_t value;		/* a pointer to the value */
	uint32_t size;		/* bytes of the value (get: of the buffer) */
	uint32_t flags;		/* setxattrat: XATTR_CREATE etc.; get: 0 */
};
#define XATTR_ARGS_SIZE_VER0 16

#endif /* _SYS_XATTR_H_ */
