/*
 * vfs_xattr.c: the extended attribute system calls, Linux's (xattr(7)):
 * {,l,f}{set,get,list,remove}xattr and Linux 6.13's
 * {set,get,list,remove}xattrat.
 *
 * The VFS does everything that does not depend on how a file system
 * stores attributes, as Linux's fs/xattr.c and the capability module do,
 * and in their order where the order shows in the errno:
 *   - the arguments: flags (EINVAL), the name copied in with a bound
 *     (empty or over XATTR_NAME_MAX: ERANGE), the value's size (E2BIG)
 *     and the value itself, all before the file is looked up;
 *   - the file: a path (l*: a final symbolic link itself), a descriptor
 *     (f*; O_PATH is EBADF), or for the *at calls dirfd and a path, where
 *     AT_EMPTY_PATH with "" (or NULL) means the descriptor as f* does;
 *   - a change on a read-only mount: EROFS;
 *   - permission (xattr_permission below): trusted.* is CAP_SYS_ADMIN's
 *     only, user.* is for regular files and directories only and needs
 *     read or write permission on the file, security.* changes need
 *     CAP_SYS_ADMIN, a sticky directory's user.* only its owner's;
 *   - the name's namespace: one that we do not know, or system.* (POSIX
 *     ACLs, which we lack: a file system mounted noacl answers so too),
 *     is EOPNOTSUPP, a bare prefix ("user.") EINVAL;
 *   - then the file system (vop_getxattr, vop_setxattr, vop_listxattr
 *     in vnode.h); one that leaves them NULL has no attributes: get, set
 *     and remove are EOPNOTSUPP, a listing is empty (as Linux lists a
 *     file system without xattr support).
 * A listing hides trusted.* from callers without CAP_SYS_ADMIN here,
 * once, rather than in each file system.  A pipe or socket descriptor
 * has no attributes: the permission rules still apply first (user.*:
 * EPERM, ENODATA), then EOPNOTSUPP, and its listing is empty.
 *
 * Values and listings are bounded (XATTR_SIZE_MAX, XATTR_LIST_MAX) and
 * go through a kernel buffer of at most that size: the file system never
 * sees a user address.
 *
 * Locking: the vnode lock around the permission check and the VOP,
 * shared for get and list, exclusive for set and remove.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/vnode.h>
#include <sys/xattr.h>

#include "vfs_private.h"

/* Linux refuses a struct xattr_args bigger than a page (E2BIG). */
#define XATTR_ARGS_SIZE_LIMIT 4096

enum xattr_ns { XNS_OTHER, XNS_USER, XNS_TRUSTED, XNS_SECURITY, XNS_SYSTEM };

static const struct {
	const char *prefix;
	size_t len;
	enum xattr_ns ns;
} xattr_prefixes[] = {
	{ XATTR_USER_PREFIX, sizeof(XATTR_USER_PREFIX) - 1, XNS_USER },
	{ XATTR_TRUSTED_PREFIX, sizeof(XATTR_TRUSTED_PREFIX) - 1,
	    XNS_TRUSTED },
	{ XATTR_SECURITY_PREFIX, sizeof(XATTR_SECURITY_PREFIX) - 1,
	    XNS_SECURITY },
	{ XATTR_SYSTEM_PREFIX, sizeof(XATTR_SYSTEM_PREFIX) - 1, XNS_SYSTEM },
};

/* The namespace of name; *suffixp: what follows its prefix. */
static enum xattr_ns
xattr_namespace(const char *name, const char **suffixp)
{
	size_t i;

	for (i = 0; i < __arraycount(xattr_prefixes); i++)
		if (strncmp(name, xattr_prefixes[i].prefix,
		    xattr_prefixes[i].len) == 0) {
			*suffixp = name + xattr_prefixes[i].len;
			return xattr_prefixes[i].ns;
		}
	*suffixp = name;
	return XNS_OTHER;
}

/*
 * What a call acts on: a vnode (referenced), or a descriptor's file that
 * is not one (a pipe, a socket: xt_vp NULL), which has no attributes.
 */
struct xattr_target {
	struct vnode *xt_vp;
	enum vtype xt_type;
};

static void
xattr_target_done(struct xattr_target *xt)
{

	if (xt->xt_vp != NULL)
		vrele(xt->xt_vp);
}

/* The file of descriptor fd: EBADF if not open or opened O_PATH. */
static int
xattr_target_fd(int fd, struct xattr_target *xt)
{
	struct file *fp;
	int error;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	xt->xt_vp = NULL;
	if (fp->f_flag & O_PATH)
		error = EBADF;
	else if ((xt->xt_vp = file_vnode(fp)) != NULL) {
		vref(xt->xt_vp);
		xt->xt_type = xt->xt_vp->v_type;
	} else
		xt->xt_type = fp->f_type == DTYPE_PIPE ? VFIFO : VSOCK;
	fd_putfile(fp);
	return error;
}

/* The working directory. */
static void
xattr_target_cwd(struct xattr_target *xt)
{
	struct cwdinfo *cwdi = cwd_info(NULL);

	rw_enter(&cwdi->cwdi_lock, RW_READER);
	xt->xt_vp = cwdi->cwdi_cdir;
	vref(xt->xt_vp);
	rw_exit(&cwdi->cwdi_lock);
	xt->xt_type = xt->xt_vp->v_type;
}

/*
 * The file of an *at call.  With AT_EMPTY_PATH, a NULL or empty path
 * means dirfd's file, taken as the f* calls take a descriptor (O_PATH:
 * EBADF); but get and set take AT_FDCWD as the working directory there,
 * where list and remove say EBADF (fdonly), as Linux 6.18 does.
 */
static int
xattr_target_at(int dirfd, const char *upath, unsigned int at_flags,
    bool fdonly, struct xattr_target *xt)
{
	bool empty = false;
	char c;
	int error;

	if (at_flags & AT_EMPTY_PATH) {
		if (upath == NULL)
			empty = true;
		else if ((error = copyin(upath, &c, 1)) != 0)
			return error;
		else
			empty = c == '\0';
	}
	if (empty && dirfd == AT_FDCWD && !fdonly) {
		xattr_target_cwd(xt);
		return 0;
	}
	if (empty)
		return xattr_target_fd(dirfd, xt);
	xt->xt_vp = NULL;
	if ((error = lookup_file(dirfd, upath,
	    !(at_flags & AT_SYMLINK_NOFOLLOW), false, &xt->xt_vp)) != 0)
		return error;
	xt->xt_type = xt->xt_vp->v_type;
	return 0;
}

/* Copy a name in: ERANGE if it is empty or longer than XATTR_NAME_MAX. */
static int
xattr_copyin_name(const char *uname, char *kname)
{
	size_t done;
	int error;

	error = copyinstr(uname, kname, XATTR_NAME_MAX + 1, &done);
	if (error == ENAMETOOLONG || (error == 0 && done == 1))
		return ERANGE;
	return error;
}

/*
 * May cred read (write false) or change (true) attribute name of xt's
 * file, whose attributes are va (NULL for a pipe or socket)?  Linux's
 * xattr_permission, then the capability module's rule for security.*.
 * A read that may not see an attribute finds none (ENODATA).
 */
static int
xattr_permission(const struct xattr_target *xt, const struct vattr *va,
    const char *name, bool write, kauth_cred_t cred)
{
	const char *suffix;

	switch (xattr_namespace(name, &suffix)) {
	case XNS_SECURITY:
		if (write && !kauth_cred_capable(cred, CAP_SYS_ADMIN))
			return EPERM;
		return 0;
	case XNS_SYSTEM:
		return 0;	/* the namespace's own business */
	case XNS_TRUSTED:
		if (!kauth_cred_capable(cred, CAP_SYS_ADMIN))
			return write ? EPERM : ENODATA;
		return 0;
	case XNS_USER:
		if (xt->xt_type != VREG && xt->xt_type != VDIR)
			return write ? EPERM : ENODATA;
		if (write && xt->xt_type == VDIR && (va->va_mode & S_ISVTX) &&
		    cred->cr_fsuid != va->va_uid &&
		    !kauth_cred_capable(cred, CAP_FOWNER))
			return EPERM;
		break;
	case XNS_OTHER:
		break;
	}
	if (va == NULL)
		return 0;
	return vn_access(xt->xt_vp, va, write ? VWRITE : VREAD, cred);
}

/*
 * After the permission: is name one that a file system with (supported)
 * or without extended attributes can have?
 */
static int
xattr_name_ok(const char *name, bool supported)
{
	const char *suffix;

	if (!supported)
		return EOPNOTSUPP;
	switch (xattr_namespace(name, &suffix)) {
	case XNS_OTHER:
	case XNS_SYSTEM:
		return EOPNOTSUPP;
	default:
		return *suffix == '\0' ? EINVAL : 0;
	}
}

/*
 * The value of name into buf (size bytes, at most XATTR_SIZE_MAX; 0:
 * only its length is wanted): *lenp its length.
 */
static int
xattr_get(struct xattr_target *xt, const char *name, void *buf, size_t size,
    size_t *lenp)
{
	kauth_cred_t cred = kauth_cred_get();
	struct vnode *vp = xt->xt_vp;
	struct vattr va;
	int error;

	if (vp == NULL) {
		error = xattr_permission(xt, NULL, name, false, cred);
		return error != 0 ? error : EOPNOTSUPP;
	}
	vn_lock(vp, RW_READER);
	if ((error = vp->v_op->vop_getattr(vp, &va, cred)) == 0 &&
	    (error = xattr_permission(xt, &va, name, false, cred)) == 0 &&
	    (error = xattr_name_ok(name,
	    vp->v_op->vop_getxattr != NULL)) == 0) {
		*lenp = size;
		error = vp->v_op->vop_getxattr(vp, name, buf, lenp, cred);
		KASSERT(error != 0 || size == 0 || *lenp <= size);
	}
	vn_unlock(vp);
	return error;
}

/* Set name to value (len bytes), or remove it (value NULL). */
static int
xattr_set(struct xattr_target *xt, const char *name, const void *value,
    size_t len, int flags)
{
	kauth_cred_t cred = kauth_cred_get();
	struct vnode *vp = xt->xt_vp;
	struct vattr va;
	int error;

	if (vp == NULL) {
		error = xattr_permission(xt, NULL, name, true, cred);
		return error != 0 ? error : EOPNOTSUPP;
	}
	if (vp->v_mount != NULL && (vp->v_mount->mnt_flag & MS_RDONLY))
		return EROFS;
	vn_lock(vp, RW_WRITER);
	if ((error = vp->v_op->vop_getattr(vp, &va, cred)) == 0 &&
	    (error = xattr_permission(xt, &va, name, true, cred)) == 0 &&
	    (error = xattr_name_ok(name,
	    vp->v_op->vop_setxattr != NULL)) == 0)
		error = vp->v_op->vop_setxattr(vp, name, value, len, flags,
		    cred);
	vn_unlock(vp);
	return error;
}

/*
 * Drop the trusted.* names from a listing of *lenp bytes in buf, in
 * place.  The file system's listing is trusted to be names that each end
 * in a NUL; a last name without one is dropped.
 */
static void
xattr_list_untrusted(char *buf, size_t *lenp)
{
	size_t in = 0, out = 0, n;
	const char *end, *suffix;

	while (in < *lenp) {
		end = memchr(buf + in, '\0', *lenp - in);
		if (end == NULL)
			break;
		n = (size_t)(end - (buf + in)) + 1;
		if (xattr_namespace(buf + in, &suffix) != XNS_TRUSTED) {
			memmove(buf + out, buf + in, n);
			out += n;
		}
		in += n;
	}
	*lenp = out;
}

/*
 * The listing of vp (locked) for a caller without CAP_SYS_ADMIN: the
 * whole of it (bounded by XATTR_LIST_MAX: E2BIG past that), less the
 * trusted.* names, into buf (size bytes; 0: only the length).
 */
static int
xattr_list_filtered(struct vnode *vp, char *buf, size_t size, size_t *lenp,
    kauth_cred_t cred)
{
	size_t rawlen = 0, rawsize;
	char *raw;
	int error;

	if ((error = vp->v_op->vop_listxattr(vp, NULL, &rawlen, cred)) != 0)
		return error;
	if (rawlen == 0) {
		*lenp = 0;
		return 0;
	}
	if (rawlen > XATTR_LIST_MAX)
		return E2BIG;
	rawsize = rawlen;
	if ((raw = kmem_alloc(rawsize, KM_SLEEP)) == NULL)
		return ENOMEM;
	/* The lock is held since the probe: the listing is the same. */
	if ((error = vp->v_op->vop_listxattr(vp, raw, &rawlen, cred)) != 0)
		goto out;
	xattr_list_untrusted(raw, &rawlen);
	if (size != 0 && rawlen > size)
		error = ERANGE;
	else if (size != 0)
		memcpy(buf, raw, rawlen);
	*lenp = rawlen;
 out:
	kmem_free(raw, rawsize);
	return error;
}

/* The names of xt's attributes into buf (size bytes; 0: the length). */
static int
xattr_list(struct xattr_target *xt, char *buf, size_t size, size_t *lenp)
{
	kauth_cred_t cred = kauth_cred_get();
	struct vnode *vp = xt->xt_vp;
	int error;

	*lenp = 0;
	if (vp == NULL || vp->v_op->vop_listxattr == NULL)
		return 0;
	vn_lock(vp, RW_READER);
	if (kauth_cred_capable(cred, CAP_SYS_ADMIN)) {
		*lenp = size;
		error = vp->v_op->vop_listxattr(vp, buf, lenp, cred);
		KASSERT(error != 0 || size == 0 || *lenp <= size);
	} else
		error = xattr_list_filtered(vp, buf, size, lenp, cred);
	vn_unlock(vp);
	return error;
}

/*
 * The end of a get (name) or a list (name NULL) on xt's file: into a
 * kernel buffer of size bytes (clamped to max; none for 0, which asks
 * for the length), then out to uaddr; the length in retval[0].  A value
 * or listing that does not fit in the largest buffer is E2BIG, not
 * ERANGE, as Linux says.  Ends xt.
 */
static int
xattr_read_out(struct xattr_target *xt, const char *name, size_t size,
    size_t max, void *uaddr, register_t *retval)
{
	void *buf = NULL;
	size_t len = 0;
	int error = 0;

	if (size > max)
		size = max;
	if (size > 0 && (buf = kmem_alloc(size, KM_SLEEP)) == NULL)
		error = ENOMEM;
	if (error == 0)
		error = name != NULL ? xattr_get(xt, name, buf, size, &len) :
		    xattr_list(xt, buf, size, &len);
	xattr_target_done(xt);
	if (error == ERANGE && size >= max)
		error = E2BIG;
	if (error == 0 && size > 0 && len > 0)
		error = copyout(buf, uaddr, len);
	if (buf != NULL)
		kmem_free(buf, size);
	if (error == 0)
		retval[0] = (register_t)len;
	return error;
}

/*
 * The system calls.  Each of the classic twelve is its *at form's, as in
 * Linux: the path form with dirfd AT_FDCWD, l* with AT_SYMLINK_NOFOLLOW,
 * f* with a NULL path and AT_EMPTY_PATH.
 */
#define XATTR_AT_FLAGS (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)

/* The start of a get or a remove: the flags checked, the name copied in
 * (into name), then the file (fdonly: see xattr_target_at). */
static int
xattr_named_at(int dirfd, const char *upath, unsigned int at_flags,
    const char *uname, char name[XATTR_NAME_MAX + 1], bool fdonly,
    struct xattr_target *xt)
{
	int error;

	if (at_flags & ~XATTR_AT_FLAGS)
		return EINVAL;
	if ((error = xattr_copyin_name(uname, name)) != 0)
		return error;
	return xattr_target_at(dirfd, upath, at_flags, fdonly, xt);
}

static int
xattr_getat(int dirfd, const char *upath, unsigned int at_flags,
    const char *uname, void *uvalue, size_t size, register_t *retval)
{
	char name[XATTR_NAME_MAX + 1];
	struct xattr_target xt;
	int error;

	if ((error = xattr_named_at(dirfd, upath, at_flags, uname, name,
	    false, &xt)) != 0)
		return error;
	return xattr_read_out(&xt, name, size, XATTR_SIZE_MAX, uvalue, retval);
}

static int
xattr_setat(int dirfd, const char *upath, unsigned int at_flags,
    const char *uname, const void *uvalue, size_t size, int flags)
{
	char name[XATTR_NAME_MAX + 1];
	static const char empty[1];
	struct xattr_target xt;
	void *value = NULL;
	int error;

	if (at_flags & ~XATTR_AT_FLAGS)
		return EINVAL;
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return EINVAL;
	if ((error = xattr_copyin_name(uname, name)) != 0)
		return error;
	if (size > XATTR_SIZE_MAX)
		return E2BIG;
	if (size > 0) {
		if ((value = kmem_alloc(size, KM_SLEEP)) == NULL)
			return ENOMEM;
		if ((error = copyin(uvalue, value, size)) != 0)
			goto out;
	}
	if ((error = xattr_target_at(dirfd, upath, at_flags, false,
	    &xt)) != 0)
		goto out;
	/* An empty value is a value: only removal passes NULL. */
	error = xattr_set(&xt, name, size > 0 ? value : empty, size, flags);
	xattr_target_done(&xt);
 out:
	if (value != NULL)
		kmem_free(value, size);
	return error;
}

static int
xattr_removeat(int dirfd, const char *upath, unsigned int at_flags,
    const char *uname)
{
	char name[XATTR_NAME_MAX + 1];
	struct xattr_target xt;
	int error;

	if ((error = xattr_named_at(dirfd, upath, at_flags, uname, name,
	    true, &xt)) != 0)
		return error;
	error = xattr_set(&xt, name, NULL, 0, 0);
	xattr_target_done(&xt);
	return error;
}

static int
xattr_listat(int dirfd, const char *upath, unsigned int at_flags,
    char *ulist, size_t size, register_t *retval)
{
	struct xattr_target xt;
	int error;

	if (at_flags & ~XATTR_AT_FLAGS)
		return EINVAL;
	if ((error = xattr_target_at(dirfd, upath, at_flags, true,
	    &xt)) != 0)
		return error;
	return xattr_read_out(&xt, NULL, size, XATTR_LIST_MAX, ulist, retval);
}

/*
 * struct xattr_args of size usize: at least version 0's 16 bytes
 * (EINVAL), at most a page (E2BIG); bytes past the ones we know must be
 * zero (E2BIG), as Linux's copy_struct_from_user wants.
 */
static int
xattr_args_copyin(const struct xattr_args *uargs, size_t usize,
    struct xattr_args *args)
{
	unsigned char tail[64];
	size_t off, n, i;
	int error;

	if (usize < XATTR_ARGS_SIZE_VER0)
		return EINVAL;
	if (usize > XATTR_ARGS_SIZE_LIMIT)
		return E2BIG;
	memset(args, 0, sizeof(*args));
	for (off = sizeof(*args); off < usize; off += n) {
		n = MIN(usize - off, sizeof(tail));
		if ((error = copyin((const char *)uargs + off, tail, n)) != 0)
			return error;
		for (i = 0; i < n; i++)
			if (tail[i] != 0)
				return E2BIG;
	}
	return copyin(uargs, args, MIN(usize, sizeof(*args)));
}

int
sys_setxattrat(struct lwp *l __unused, const struct sys_setxattrat_args *uap,
    register_t *retval __unused)
{
	struct xattr_args args;
	int error;

	if ((error = xattr_args_copyin(SCARG(uap, uargs), SCARG(uap, usize),
	    &args)) != 0)
		return error;
	return xattr_setat(SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, at_flags), SCARG(uap, name),
	    (const void *)(uintptr_t)args.value, args.size, (int)args.flags);
}

int
sys_setxattr(struct lwp *l __unused, const struct sys_setxattr_args *uap,
    register_t *retval __unused)
{

	return xattr_setat(AT_FDCWD, SCARG(uap, path), 0, SCARG(uap, name),
	    SCARG(uap, value), SCARG(uap, size), SCARG(uap, flags));
}

int
sys_lsetxattr(struct lwp *l __unused, const struct sys_lsetxattr_args *uap,
    register_t *retval __unused)
{

	return xattr_setat(AT_FDCWD, SCARG(uap, path), AT_SYMLINK_NOFOLLOW,
	    SCARG(uap, name), SCARG(uap, value), SCARG(uap, size),
	    SCARG(uap, flags));
}

int
sys_fsetxattr(struct lwp *l __unused, const struct sys_fsetxattr_args *uap,
    register_t *retval __unused)
{

	return xattr_setat(SCARG(uap, fd), NULL, AT_EMPTY_PATH,
	    SCARG(uap, name), SCARG(uap, value), SCARG(uap, size),
	    SCARG(uap, flags));
}

/* getxattrat: args.flags must be 0; the length is the result. */
int
sys_getxattrat(struct lwp *l __unused, const struct sys_getxattrat_args *uap,
    register_t *retval)
{
	struct xattr_args args;
	int error;

	if ((error = xattr_args_copyin(SCARG(uap, uargs), SCARG(uap, usize),
	    &args)) != 0)
		return error;
	if (args.flags != 0)
		return EINVAL;
	return xattr_getat(SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, at_flags), SCARG(uap, name),
	    (void *)(uintptr_t)args.value, args.size, retval);
}

int
sys_getxattr(struct lwp *l __unused, const struct sys_getxattr_args *uap,
    register_t *retval)
{

	return xattr_getat(AT_FDCWD, SCARG(uap, path), 0, SCARG(uap, name),
	    SCARG(uap, value), SCARG(uap, size), retval);
}

int
sys_lgetxattr(struct lwp *l __unused, const struct sys_lgetxattr_args *uap,
    register_t *retval)
{

	return xattr_getat(AT_FDCWD, SCARG(uap, path), AT_SYMLINK_NOFOLLOW,
	    SCARG(uap, name), SCARG(uap, value), SCARG(uap, size), retval);
}

int
sys_fgetxattr(struct lwp *l __unused, const struct sys_fgetxattr_args *uap,
    register_t *retval)
{

	return xattr_getat(SCARG(uap, fd), NULL, AT_EMPTY_PATH,
	    SCARG(uap, name), SCARG(uap, value), SCARG(uap, size), retval);
}

int
sys_listxattrat(struct lwp *l __unused,
    const struct sys_listxattrat_args *uap, register_t *retval)
{

	return xattr_listat(SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, at_flags), SCARG(uap, list), SCARG(uap, size), retval);
}

int
sys_listxattr(struct lwp *l __unused, const struct sys_listxattr_args *uap,
    register_t *retval)
{

	return xattr_listat(AT_FDCWD, SCARG(uap, path), 0, SCARG(uap, list),
	    SCARG(uap, size), retval);
}

int
sys_llistxattr(struct lwp *l __unused, const struct sys_llistxattr_args *uap,
    register_t *retval)
{

	return xattr_listat(AT_FDCWD, SCARG(uap, path), AT_SYMLINK_NOFOLLOW,
	    SCARG(uap, list), SCARG(uap, size), retval);
}

int
sys_flistxattr(struct lwp *l __unused, const struct sys_flistxattr_args *uap,
    register_t *retval)
{

	return xattr_listat(SCARG(uap, fd), NULL, AT_EMPTY_PATH,
	    SCARG(uap, list), SCARG(uap, size), retval);
}

int
sys_removexattrat(struct lwp *l __unused,
    const struct sys_removexattrat_args *uap, register_t *retval __unused)
{

	return xattr_removeat(SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, at_flags), SCARG(uap, name));
}

int
sys_removexattr(struct lwp *l __unused,
    const struct sys_removexattr_args *uap, register_t *retval __unused)
{

	return xattr_removeat(AT_FDCWD, SCARG(uap, path), 0,
	    SCARG(uap, name));
}

int
sys_lremovexattr(struct lwp *l __unused,
    const struct sys_lremovexattr_args *uap, register_t *retval __unused)
{

	return xattr_removeat(AT_FDCWD, SCARG(uap, path),
	    AT_SYMLINK_NOFOLLOW, SCARG(uap, name));
}

int
sys_fremovexattr(struct lwp *l __unused,
    const struct sys_fremovexattr_args *uap, register_t *retval __unused)
{

	return xattr_removeat(SCARG(uap, fd), NULL, AT_EMPTY_PATH,
	    SCARG(uap, name));
}
