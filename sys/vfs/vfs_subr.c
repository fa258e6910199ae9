/*
 * vfs_subr.c: permission checks with Linux's rules.
 *
 * vn_access decides whether cred may read, write or execute (search) a
 * file with attributes va: the owner class, then the group class (the
 * fsgid or a supplementary group), then others, as path_resolution(7)
 * describes; failing that, CAP_DAC_OVERRIDE grants everything but the
 * execution of a file with no execute bit at all, and CAP_DAC_READ_SEARCH
 * grants reading any file and searching any directory.  The file
 * system's read-only state is the caller's business (EROFS comes first).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kauth.h>
#include <sys/stat.h>
#include <sys/vnode.h>

#include "vfs_private.h"

/* The rwx bits (as VREAD|VWRITE|VEXEC) that va's mode gives cred. */
static int
vn_mode_bits(const struct vattr *va, kauth_cred_t cred)
{
	mode_t mode = va->va_mode;

	if (cred->cr_fsuid == va->va_uid)
		return (mode >> 6) & 07;
	if (kauth_cred_groupmember(cred, va->va_gid))
		return (mode >> 3) & 07;
	return mode & 07;
}

int
vn_access(struct vnode *vp, const struct vattr *va, int accmode,
    kauth_cred_t cred)
{
	int want = 0, granted;

	if (accmode & VREAD)
		want |= VREAD;
	if (accmode & (VWRITE | VAPPEND))
		want |= VWRITE;
	if (accmode & VEXEC)
		want |= VEXEC;
	granted = vn_mode_bits(va, cred);
	if ((want & ~granted) == 0)
		return 0;

	if (kauth_cred_capable(cred, CAP_DAC_OVERRIDE)) {
		/* Execution needs some execute bit, except on directories. */
		if (!(want & VEXEC) || vp->v_type == VDIR ||
		    (va->va_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
			return 0;
	}
	if (kauth_cred_capable(cred, CAP_DAC_READ_SEARCH)) {
		granted |= VREAD;
		if (vp->v_type == VDIR)
			granted |= VEXEC;
		if ((want & ~granted) == 0)
			return 0;
	}
	return EACCES;
}

/* vn_access on an unlocked vnode: its attributes read under a shared lock. */
int
vn_access_unlocked(struct vnode *vp, int accmode, kauth_cred_t cred)
{
	struct vattr va;
	int error;

	vn_lock(vp, RW_READER);
	error = vp->v_op->vop_getattr(vp, &va, cred);
	vn_unlock(vp);
	if (error)
		return error;
	return vn_access(vp, &va, accmode, cred);
}
