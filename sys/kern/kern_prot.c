/*
 * kern_prot.c: process identity: getpid and getppid, and the uid, gid and
 * group system calls with Linux's rules (setuid(2), setreuid(2),
 * setresuid(2), setfsuid(2), getgroups(2)).
 *
 * A change copies the credential, applies the change and the capability
 * fix-up (kern_auth.c), and installs the copy in the process; on error
 * nothing changes.  CAP_SETUID and CAP_SETGID are what "privileged" means
 * here, as in Linux.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscallargs.h>

#define NOID ((uint32_t)-1)	/* "leave unchanged" */

int
sys_getpid(struct lwp *l, const void *uap __unused, register_t *retval)
{

	retval[0] = l->l_proc->p_pid;
	return 0;
}

int
sys_getppid(struct lwp *l, const void *uap __unused, register_t *retval)
{
	struct proc *pp;

	mutex_enter(&proc_lock);
	pp = l->l_proc->p_pptr;
	retval[0] = pp != NULL ? pp->p_pid : 0;
	mutex_exit(&proc_lock);
	return 0;
}

int
sys_getuid(struct lwp *l __unused, const void *uap __unused,
    register_t *retval)
{

	retval[0] = kauth_cred_get()->cr_uid;
	return 0;
}

int
sys_geteuid(struct lwp *l __unused, const void *uap __unused,
    register_t *retval)
{

	retval[0] = kauth_cred_get()->cr_euid;
	return 0;
}

int
sys_getgid(struct lwp *l __unused, const void *uap __unused,
    register_t *retval)
{

	retval[0] = kauth_cred_get()->cr_gid;
	return 0;
}

int
sys_getegid(struct lwp *l __unused, const void *uap __unused,
    register_t *retval)
{

	retval[0] = kauth_cred_get()->cr_egid;
	return 0;
}

/* The four ids that a set call edits: uids or gids of a credential. */
struct ids {
	uint32_t *r, *e, *s, *fs;
};

static void
ids_of(kauth_cred_t cr, bool gid, struct ids *ids)
{

	if (gid) {
		ids->r = &cr->cr_gid;
		ids->e = &cr->cr_egid;
		ids->s = &cr->cr_sgid;
		ids->fs = &cr->cr_fsgid;
	} else {
		ids->r = &cr->cr_uid;
		ids->e = &cr->cr_euid;
		ids->s = &cr->cr_suid;
		ids->fs = &cr->cr_fsuid;
	}
}

enum setid_kind { SETID_ID, SETID_RE, SETID_RES };

/*
 * Apply a setuid/setreuid/setresuid (or gid) to a copy of the current
 * credential: r, e, s are the call's arguments (NOID: unchanged).
 */
static int
setid_apply(kauth_cred_t oc, kauth_cred_t nc, bool gid, enum setid_kind kind,
    uint32_t r, uint32_t e, uint32_t s)
{
	struct ids o, n;
	bool priv = kauth_cred_capable(oc, gid ? CAP_SETGID : CAP_SETUID);

	ids_of(oc, gid, &o);
	ids_of(nc, gid, &n);
	switch (kind) {
	case SETID_ID:
		if (r == NOID)
			return EINVAL;
		if (priv)
			*n.r = *n.s = r;
		else if (r != *o.r && r != *o.s)
			return EPERM;
		*n.e = *n.fs = r;
		break;
	case SETID_RE:
		if (r != NOID) {
			if (!priv && r != *o.r && r != *o.e)
				return EPERM;
			*n.r = r;
		}
		if (e != NOID) {
			if (!priv && e != *o.r && e != *o.e && e != *o.s)
				return EPERM;
			*n.e = e;
		}
		if (r != NOID || (e != NOID && e != *o.r))
			*n.s = *n.e;
		*n.fs = *n.e;
		break;
	case SETID_RES:
#define ALLOWED(x) ((x) == NOID || (x) == *o.r || (x) == *o.e || (x) == *o.s)
		if (!priv && (!ALLOWED(r) || !ALLOWED(e) || !ALLOWED(s)))
			return EPERM;
#undef ALLOWED
		if (r != NOID)
			*n.r = r;
		if (e != NOID)
			*n.e = e;
		if (s != NOID)
			*n.s = s;
		*n.fs = *n.e;
		break;
	}
	if (!gid)
		kauth_cred_fix_setuid(nc, oc);
	return 0;
}

static int
setid(bool gid, enum setid_kind kind, uint32_t r, uint32_t e, uint32_t s)
{
	kauth_cred_t oc = kauth_cred_get(), nc;
	int error;

	if ((nc = kauth_cred_dup(oc)) == NULL)
		return ENOMEM;
	if ((error = setid_apply(oc, nc, gid, kind, r, e, s)) != 0) {
		kauth_cred_free(nc);
		return error;
	}
	proc_setcred(curproc, nc);
	return 0;
}

int
sys_setuid(struct lwp *l __unused, const struct sys_setuid_args *uap,
    register_t *retval __unused)
{

	return setid(false, SETID_ID, SCARG(uap, uid), NOID, NOID);
}

int
sys_setgid(struct lwp *l __unused, const struct sys_setgid_args *uap,
    register_t *retval __unused)
{

	return setid(true, SETID_ID, SCARG(uap, gid), NOID, NOID);
}

int
sys_setreuid(struct lwp *l __unused, const struct sys_setreuid_args *uap,
    register_t *retval __unused)
{

	return setid(false, SETID_RE, SCARG(uap, ruid), SCARG(uap, euid), NOID);
}

int
sys_setregid(struct lwp *l __unused, const struct sys_setregid_args *uap,
    register_t *retval __unused)
{

	return setid(true, SETID_RE, SCARG(uap, rgid), SCARG(uap, egid), NOID);
}

int
sys_setresuid(struct lwp *l __unused, const struct sys_setresuid_args *uap,
    register_t *retval __unused)
{

	return setid(false, SETID_RES, SCARG(uap, ruid), SCARG(uap, euid),
	    SCARG(uap, suid));
}

int
sys_setresgid(struct lwp *l __unused, const struct sys_setresgid_args *uap,
    register_t *retval __unused)
{

	return setid(true, SETID_RES, SCARG(uap, rgid), SCARG(uap, egid),
	    SCARG(uap, sgid));
}

static int
getres(uint32_t r, uint32_t e, uint32_t s, void *ur, void *ue, void *us)
{
	int error;

	if ((error = copyout(&r, ur, sizeof(r))) != 0)
		return error;
	if ((error = copyout(&e, ue, sizeof(e))) != 0)
		return error;
	return copyout(&s, us, sizeof(s));
}

int
sys_getresuid(struct lwp *l __unused, const struct sys_getresuid_args *uap,
    register_t *retval __unused)
{
	kauth_cred_t cr = kauth_cred_get();

	return getres(cr->cr_uid, cr->cr_euid, cr->cr_suid, SCARG(uap, ruid),
	    SCARG(uap, euid), SCARG(uap, suid));
}

int
sys_getresgid(struct lwp *l __unused, const struct sys_getresgid_args *uap,
    register_t *retval __unused)
{
	kauth_cred_t cr = kauth_cred_get();

	return getres(cr->cr_gid, cr->cr_egid, cr->cr_sgid, SCARG(uap, rgid),
	    SCARG(uap, egid), SCARG(uap, sgid));
}

/*
 * setfsuid and setfsgid never fail: they return the previous value, and
 * a value the caller may not set (or -1) leaves it unchanged.
 */
static void
setfsid(bool gid, uint32_t id, register_t *retval)
{
	kauth_cred_t oc = kauth_cred_get(), nc;
	struct ids o;

	ids_of(oc, gid, &o);
	retval[0] = *o.fs;
	if (id == NOID || id == *o.fs)
		return;
	if (id != *o.r && id != *o.e && id != *o.s &&
	    !kauth_cred_capable(oc, gid ? CAP_SETGID : CAP_SETUID))
		return;
	if ((nc = kauth_cred_dup(oc)) == NULL)
		return;		/* Linux too gives no error for this */
	if (gid)
		nc->cr_fsgid = id;
	else {
		nc->cr_fsuid = id;
		kauth_cred_fix_setfsuid(nc, oc);
	}
	proc_setcred(curproc, nc);
}

int
sys_setfsuid(struct lwp *l __unused, const struct sys_setfsuid_args *uap,
    register_t *retval)
{

	setfsid(false, SCARG(uap, fsuid), retval);
	return 0;
}

int
sys_setfsgid(struct lwp *l __unused, const struct sys_setfsgid_args *uap,
    register_t *retval)
{

	setfsid(true, SCARG(uap, fsgid), retval);
	return 0;
}

int
sys_getgroups(struct lwp *l __unused, const struct sys_getgroups_args *uap,
    register_t *retval)
{
	kauth_cred_t cr = kauth_cred_get();
	int size = SCARG(uap, size);
	int error;

	if (size < 0)
		return EINVAL;
	if (size > 0) {
		if ((unsigned int)size < cr->cr_ngroups)
			return EINVAL;
		error = copyout(cr->cr_groups, SCARG(uap, list),
		    cr->cr_ngroups * sizeof(gid_t));
		if (error)
			return error;
	}
	retval[0] = cr->cr_ngroups;
	return 0;
}

int
sys_setgroups(struct lwp *l __unused, const struct sys_setgroups_args *uap,
    register_t *retval __unused)
{
	kauth_cred_t nc;
	unsigned int n = (unsigned int)SCARG(uap, size);
	gid_t *g = NULL;
	int error;

	if (!kauth_cred_capable(kauth_cred_get(), CAP_SETGID))
		return EPERM;
	if (n > NGROUPS_MAX)
		return EINVAL;
	if (n > 0) {
		if ((g = kmem_alloc(n * sizeof(gid_t), KM_SLEEP)) == NULL)
			return ENOMEM;
		if ((error = copyin(SCARG(uap, list), g, n * sizeof(gid_t)))) {
			kmem_free(g, n * sizeof(gid_t));
			return error;
		}
	}
	error = ENOMEM;
	if ((nc = kauth_cred_dup(kauth_cred_get())) != NULL &&
	    (error = kauth_cred_setgroups(nc, g, n)) == 0)
		proc_setcred(curproc, nc);
	else if (nc != NULL)
		kauth_cred_free(nc);
	if (g != NULL)
		kmem_free(g, n * sizeof(gid_t));
	return error;
}
