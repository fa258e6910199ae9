/*
 * kern_auth.c: credentials (kauth.h).
 *
 * A credential is shared by reference and never changed once shared: a
 * change copies it (kauth_cred_dup), edits the copy and installs it in
 * the process (proc_setcred).  Capabilities follow capabilities(7) for a
 * process without file capabilities and with no securebits set.
 *
 * Locking: cr_refcnt is atomic; everything else is constant once shared.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>

kauth_cred_t
kauth_cred_alloc_root(void)
{
	kauth_cred_t cr;

	if ((cr = kmem_zalloc(sizeof(*cr), KM_SLEEP)) == NULL)
		return NULL;
	cr->cr_refcnt = 1;
	cr->cr_cap_permitted = CAP_FULL_SET;
	cr->cr_cap_effective = CAP_FULL_SET;
	return cr;
}

kauth_cred_t
kauth_cred_dup(kauth_cred_t old)
{
	kauth_cred_t cr;

	if ((cr = kmem_alloc(sizeof(*cr), KM_SLEEP)) == NULL)
		return NULL;
	*cr = *old;
	cr->cr_refcnt = 1;
	cr->cr_groups = NULL;
	cr->cr_ngroups = 0;
	if (kauth_cred_setgroups(cr, old->cr_groups, old->cr_ngroups) != 0) {
		kmem_free(cr, sizeof(*cr));
		return NULL;
	}
	return cr;
}

void
kauth_cred_hold(kauth_cred_t cr)
{

	atomic_inc_uint(&cr->cr_refcnt);
}

void
kauth_cred_free(kauth_cred_t cr)
{

	if (atomic_dec_uint_nv(&cr->cr_refcnt) != 0)
		return;
	if (cr->cr_ngroups > 0)
		kmem_free(cr->cr_groups, cr->cr_ngroups * sizeof(gid_t));
	kmem_free(cr, sizeof(*cr));
}

/*
 * Sort gids in place: heapsort, O(n log n) with no extra memory, since a
 * list may hold NGROUPS_MAX (65536) groups in any order.
 */
static void
gids_sift_down(gid_t *g, unsigned int root, unsigned int n)
{
	unsigned int child;
	gid_t v = g[root];

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && g[child + 1] > g[child])
			child++;
		if (g[child] <= v)
			break;
		g[root] = g[child];
		root = child;
	}
	g[root] = v;
}

static void
gids_sort(gid_t *g, unsigned int n)
{
	unsigned int i;
	gid_t v;

	for (i = n / 2; i > 0; i--)
		gids_sift_down(g, i - 1, n);
	for (i = n; i > 1; i--) {
		v = g[0];
		g[0] = g[i - 1];
		g[i - 1] = v;
		gids_sift_down(g, 0, i - 1);
	}
}

int
kauth_cred_setgroups(kauth_cred_t cr, const gid_t *groups, unsigned int n)
{
	gid_t *g = NULL;

	KASSERT(cr->cr_refcnt == 1);
	if (n > NGROUPS_MAX)
		return EINVAL;
	if (n > 0) {
		if ((g = kmem_alloc(n * sizeof(gid_t), KM_SLEEP)) == NULL)
			return ENOMEM;
		memcpy(g, groups, n * sizeof(gid_t));
		gids_sort(g, n);
	}
	if (cr->cr_ngroups > 0)
		kmem_free(cr->cr_groups, cr->cr_ngroups * sizeof(gid_t));
	cr->cr_groups = g;
	cr->cr_ngroups = n;
	return 0;
}

/* Is gid the credential's fs gid or one of its supplementary groups? */
bool
kauth_cred_groupmember(kauth_cred_t cr, gid_t gid)
{
	unsigned int lo = 0, hi = cr->cr_ngroups, mid;

	if (gid == cr->cr_fsgid)
		return true;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cr->cr_groups[mid] == gid)
			return true;
		if (cr->cr_groups[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool
kauth_cred_capable(kauth_cred_t cr, int cap)
{

	KASSERT(cap >= 0 && cap <= CAP_LAST_CAP);
	return (cr->cr_cap_effective >> cap) & 1;
}

/*
 * After a change of the real, effective or saved uid (setuid, setreuid,
 * setresuid), capabilities(7):
 *  - when one of the three was 0 and none is now, permitted and effective
 *    are cleared;
 *  - when the effective uid goes from 0 to nonzero, effective is cleared;
 *  - when it goes from nonzero to 0, effective becomes permitted.
 */
void
kauth_cred_fix_setuid(kauth_cred_t nc, kauth_cred_t oc)
{
	bool was_root = oc->cr_uid == 0 || oc->cr_euid == 0 ||
	    oc->cr_suid == 0;
	bool now_root = nc->cr_uid == 0 || nc->cr_euid == 0 ||
	    nc->cr_suid == 0;

	if (was_root && !now_root) {
		nc->cr_cap_permitted = 0;
		nc->cr_cap_effective = 0;
	}
	if (oc->cr_euid == 0 && nc->cr_euid != 0)
		nc->cr_cap_effective = 0;
	if (oc->cr_euid != 0 && nc->cr_euid == 0)
		nc->cr_cap_effective = nc->cr_cap_permitted;
}

/*
 * After a change of the fs uid (setfsuid): the file-system capabilities
 * leave the effective set when it goes from 0 to nonzero and come back
 * from the permitted set when it goes from nonzero to 0.
 */
void
kauth_cred_fix_setfsuid(kauth_cred_t nc, kauth_cred_t oc)
{

	if (oc->cr_fsuid == 0 && nc->cr_fsuid != 0)
		nc->cr_cap_effective &= ~CAP_FS_MASK;
	if (oc->cr_fsuid != 0 && nc->cr_fsuid == 0)
		nc->cr_cap_effective |= nc->cr_cap_permitted & CAP_FS_MASK;
}

kauth_cred_t
kauth_cred_get(void)
{

	return curlwp->l_cred;
}

void
proc_setcred(struct proc *p, kauth_cred_t cr)
{
	kauth_cred_t old;

	mutex_enter(&p->p_lock);
	old = p->p_cred;
	p->p_cred = cr;
	mutex_exit(&p->p_lock);
	kauth_cred_free(old);
	if (curlwp->l_proc == p)
		lwp_cred_refresh(curlwp);
}
