/*
 * kern_file.c: open files (struct file, file.h).
 *
 * A file is created with one reference (file_alloc), which its creator
 * usually hands to a descriptor table (fd_install takes a reference of
 * its own, then the creator drops the first).  Descriptors, dup(2)
 * copies, forked tables and system calls in progress (fd_getfile) each
 * hold a reference; the last file_release() closes the object behind
 * the file (fo_close) and frees it.
 *
 * Locking: f_count is atomic.  f_lock protects f_offset and f_flag and is
 * a leaf: nothing else is taken while it is held.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mutex.h>

struct file *
file_alloc(int type, const struct fileops *ops, void *data, int flag)
{
	struct file *fp;

	KASSERT(ops != NULL && ops->fo_close != NULL);
	if ((fp = kmem_zalloc(sizeof(*fp), KM_SLEEP)) == NULL)
		return NULL;
	mutex_init(&fp->f_lock, MUTEX_DEFAULT, IPL_NONE);
	fp->f_count = 1;
	fp->f_flag = flag;
	fp->f_type = type;
	fp->f_ops = ops;
	fp->f_data = data;
	fp->f_offset = 0;
	fp->f_cred = kauth_cred_get();
	kauth_cred_hold(fp->f_cred);
	return fp;
}

void
file_hold(struct file *fp)
{

	KASSERT(atomic_load_relaxed(&fp->f_count) > 0);
	atomic_inc_uint(&fp->f_count);
}

void
file_release(struct file *fp)
{

	KASSERT(atomic_load_relaxed(&fp->f_count) > 0);
	if (atomic_dec_uint_nv(&fp->f_count) > 0)
		return;
	/* The last reference: nobody else can reach fp any more. */
	(void)fp->f_ops->fo_close(fp);
	kauth_cred_free(fp->f_cred);
	mutex_destroy(&fp->f_lock);
	kmem_free(fp, sizeof(*fp));
}
