/*
 * subr_devsw.c: the table of device switches (sys/sys/conf.h).
 *
 * Each attached driver has one entry: its name and its block and
 * character switches with their majors.  Majors are handed out downward
 * from DEVSW_MAJOR_TOP, separately for block and character devices (as
 * Linux's dynamic majors), and given back on detach.  A lookup by device
 * number is a walk of the few entries in use.
 *
 * Locking: devsw_lock protects devsw_table.  It is a leaf lock: a driver
 * is never called with it held.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/conf.h>
#include <sys/mutex.h>
#include <sys/stat.h>

#include "dev_private.h"

#define DEVSW_MAX 32		/* attached drivers */
#define DEVSW_MAJOR_TOP 254	/* first dynamic major */
#define DEVSW_MAJOR_BOTTOM 200	/* last */
#define DEVSW_NAMELEN 16

struct devsw_entry {
	char de_name[DEVSW_NAMELEN];	/* "" when the entry is free */
	const struct bdevsw *de_bdev;
	const struct cdevsw *de_cdev;
	int de_bmajor;			/* -1 without a block switch */
	int de_cmajor;			/* -1 without a character switch */
};

static kmutex_t devsw_lock;
static struct devsw_entry devsw_table[DEVSW_MAX];	/* devsw_lock */

int
devsw_init(void)
{
	int i;

	mutex_init(&devsw_lock, MUTEX_DEFAULT, IPL_NONE);
	for (i = 0; i < DEVSW_MAX; i++) {
		devsw_table[i].de_name[0] = '\0';
		devsw_table[i].de_bmajor = devsw_table[i].de_cmajor = -1;
	}
	return 0;
}

void
devsw_fini(void)
{
	int i;

	for (i = 0; i < DEVSW_MAX; i++)
		KASSERTMSG(devsw_table[i].de_name[0] == '\0',
		    "devsw: %s still attached at halt", devsw_table[i].de_name);
	mutex_destroy(&devsw_lock);
}

/* The highest free major of one kind (block or not); devsw_lock held. */
static int
devsw_free_major(bool blk)
{
	int major, i;

	KASSERT(mutex_owned(&devsw_lock));
	for (major = DEVSW_MAJOR_TOP; major >= DEVSW_MAJOR_BOTTOM; major--) {
		for (i = 0; i < DEVSW_MAX; i++) {
			if ((blk ? devsw_table[i].de_bmajor :
			    devsw_table[i].de_cmajor) == major)
				break;
		}
		if (i == DEVSW_MAX)
			return major;
	}
	return -1;
}

int
devsw_attach(const char *name, const struct bdevsw *bdev, int *bmajorp,
    const struct cdevsw *cdev, int *cmajorp)
{
	struct devsw_entry *de = NULL;
	int i, bmajor = -1, cmajor = -1, error = 0;

	if ((bdev == NULL && cdev == NULL) || name == NULL ||
	    name[0] == '\0' || strlen(name) >= DEVSW_NAMELEN)
		return EINVAL;
	mutex_enter(&devsw_lock);
	for (i = 0; i < DEVSW_MAX; i++) {
		if (strcmp(devsw_table[i].de_name, name) == 0) {
			error = EEXIST;
			goto out;
		}
		if (de == NULL && devsw_table[i].de_name[0] == '\0')
			de = &devsw_table[i];
	}
	if (de == NULL ||
	    (bdev != NULL && (bmajor = devsw_free_major(true)) < 0) ||
	    (cdev != NULL && (cmajor = devsw_free_major(false)) < 0)) {
		error = ENOSPC;
		goto out;
	}
	strlcpy(de->de_name, name, sizeof(de->de_name));
	de->de_bdev = bdev;
	de->de_cdev = cdev;
	de->de_bmajor = bmajor;
	de->de_cmajor = cmajor;
	if (bmajorp != NULL)
		*bmajorp = bmajor;
	if (cmajorp != NULL)
		*cmajorp = cmajor;
 out:
	mutex_exit(&devsw_lock);
	return error;
}

void
devsw_detach(const struct bdevsw *bdev, const struct cdevsw *cdev)
{
	struct devsw_entry *de;
	int i;

	mutex_enter(&devsw_lock);
	for (i = 0; i < DEVSW_MAX; i++) {
		de = &devsw_table[i];
		if (de->de_name[0] == '\0')
			continue;
		if ((bdev != NULL && de->de_bdev == bdev) ||
		    (cdev != NULL && de->de_cdev == cdev)) {
			de->de_name[0] = '\0';
			de->de_bdev = NULL;
			de->de_cdev = NULL;
			de->de_bmajor = de->de_cmajor = -1;
		}
	}
	mutex_exit(&devsw_lock);
}

const struct bdevsw *
bdevsw_lookup(dev_t dev)
{
	const struct bdevsw *bdev = NULL;
	int i, maj = (int)major(dev);

	mutex_enter(&devsw_lock);
	for (i = 0; i < DEVSW_MAX; i++) {
		if (devsw_table[i].de_bmajor == maj) {
			bdev = devsw_table[i].de_bdev;
			break;
		}
	}
	mutex_exit(&devsw_lock);
	return bdev;
}

const struct cdevsw *
cdevsw_lookup(dev_t dev)
{
	const struct cdevsw *cdev = NULL;
	int i, maj = (int)major(dev);

	mutex_enter(&devsw_lock);
	for (i = 0; i < DEVSW_MAX; i++) {
		if (devsw_table[i].de_cmajor == maj) {
			cdev = devsw_table[i].de_cdev;
			break;
		}
	}
	mutex_exit(&devsw_lock);
	return cdev;
}

/*
 * The device pieces of the VFS faction, for vfs_init.c: the switches,
 * the buffer cache, etfs.  dev_sys_fini runs after every file system is
 * unmounted.
 */
int
dev_sys_init(void)
{
	int error;

	if ((error = devsw_init()) != 0)
		return error;
	if ((error = bio_sys_init()) != 0)
		goto fail_bio;
	if ((error = etfs_sys_init()) != 0)
		goto fail_etfs;
	return 0;

 fail_etfs:
	bio_sys_fini();
 fail_bio:
	devsw_fini();
	return error;
}

void
dev_sys_fini(void)
{

	etfs_sys_fini();
	bio_sys_fini();
	devsw_fini();
}
