/*
 * vfs_etfs.c: etfs, host files inside the kernel (include/rump/rumpvfs.h,
 * DESIGN.md section 8).
 *
 * A registration ties a key (an absolute path in the kernel's file
 * system) to an open host file, or to a window of it, with one minor
 * number.  Three kinds:
 *
 *  - BLK and CHR: the key is a device node (made with the parent
 *    directory's mknod) of the "etfs" driver, which this file attaches to
 *    both device switches.  Its strategy routine moves buffers with the
 *    asynchronous rumpuser_bio; its character read and write use
 *    rumpuser_iovread/iovwrite.
 *  - REG: the key is an empty regular file with a one-file file system of
 *    type "etfs" mounted over it (the VFS crosses mounts on any vnode
 *    type), whose root vnode reads and writes the host file.
 *
 * A window beyond the host file's end reads as zeros.  Registrations are
 * removed by rump_pub_etfs_remove, or at halt by etfs_sys_fini, which
 * runs after every file system is unmounted (then the nodes are gone
 * with the root file system; only the host files and buffers are left).
 *
 * Locking: etfs_lock protects the list of registrations and the fields
 * marked l; it is a leaf (no VFS call, no host call with it held).
 * etfs_mount_lock serialises the mounts of REG registrations, so that
 * the mount routine knows which registration it mounts (etfs_pending).
 * A registration stays until remove or fini, which take it out only when
 * nothing has it open (et_opens), so the drivers and vnode operations
 * that run on an open device or file use it without the lock.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/queue.h>
#include <sys/sched.h>
#include <sys/specdev.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rump/rumpvfs.h>

#include "dev_private.h"
#include "vfs_private.h"

#define ETFS_CHUNK (64 * 1024)		/* bounce buffer of host I/O */
#define ETFS_ROOTKEY 1			/* the REG file system's one file */
#define ETFS_MAGIC 0x45544653		/* statfs f_type: "ETFS" */
#define ETFS_MAXMINOR 0xfffff

enum etfs_state { ETFS_SETUP, ETFS_READY, ETFS_REMOVING };

struct etfs {
	TAILQ_ENTRY(etfs) et_list;	/* l */
	char *et_key;			/* c */
	char *et_hostpath;		/* c */
	enum rump_etfs_type et_type;	/* c */
	int et_fd;			/* c: the host file */
	bool et_rdonly;			/* c: the host refused writing */
	bool et_endoff;			/* c: the window ends at the host's
					 * end (REG: as it moves) */
	uint64_t et_begin;		/* c: window start in the host file */
	uint64_t et_size;		/* c: window size (not REG+endoff) */
	unsigned int et_minor;		/* c */
	dev_t et_dev;			/* c: BLK, CHR */
	enum etfs_state et_state;	/* l */
	unsigned int et_opens;		/* l: opens of the device or file */
	struct mount *et_mount;		/* l: REG: the mount over the key */
	struct timespec et_atime;	/* l: REG attributes */
	struct timespec et_mtime;	/* l */
	struct timespec et_ctime;	/* l */
};

static kmutex_t etfs_lock;
static TAILQ_HEAD(, etfs) etfs_list;		/* l */
static bool etfs_ready;				/* c: between init, fini */
static int etfs_bmajor, etfs_cmajor;		/* c */
static kmutex_t etfs_mount_lock;
static struct etfs *etfs_pending;		/* etfs_mount_lock */

static const struct bdevsw etfs_bdevsw;
static const struct cdevsw etfs_cdevsw;
static struct vfsops etfs_vfsops;
static const struct vnodeops etfs_vnodeops;

/*
 * Host I/O of a window: the part of uio in [0, size) of the window,
 * through a bounce buffer (uio may be user memory).  A read past the host
 * file's end gives zeros; a write at or after the end of a fixed window
 * is ENOSPC.  A transfer cut short by an error after some bytes moved
 * returns 0 with uio telling how many.
 */
static int
etfs_host_rw(struct etfs *et, struct uio *uio, uint64_t size)
{
	struct rumpuser_iovec iov;
	size_t start_resid = uio->uio_resid, n, done;
	uint64_t off;
	char *buf = NULL;
	int error = 0;

	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_rw == UIO_WRITE && uio->uio_resid > 0 &&
	    (uint64_t)uio->uio_offset >= size)
		return ENOSPC;
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < size) {
		off = (uint64_t)uio->uio_offset;
		n = (size_t)MIN((uint64_t)MIN(uio->uio_resid, ETFS_CHUNK),
		    size - off);
		if (buf == NULL &&
		    (buf = kmem_alloc(ETFS_CHUNK, KM_SLEEP)) == NULL) {
			error = ENOMEM;
			break;
		}
		iov.iov_base = buf;
		iov.iov_len = n;
		if (uio->uio_rw == UIO_READ) {
			error = rumpuser_iovread(et->et_fd, &iov, 1,
			    (int64_t)(et->et_begin + off), &done);
			if (error)
				break;
			if (done < n)	/* past the host file's end */
				memset(buf + done, 0, n - done);
			if ((error = uiomove(buf, n, uio)) != 0)
				break;
		} else {
			if ((error = uiomove(buf, n, uio)) != 0)
				break;
			done = 0;
			error = rumpuser_iovwrite(et->et_fd, &iov, 1,
			    (int64_t)(et->et_begin + off), &done);
			if (error == 0 && done < n)
				error = ENOSPC;
			if (error) {
				/* Count only what the host took (the iovecs
				 * are not rewound: the caller only reads
				 * the counts). */
				done = MIN(done, n);
				uio->uio_resid += n - done;
				uio->uio_offset -= (off_t)(n - done);
				break;
			}
		}
	}
	if (buf != NULL)
		kmem_free(buf, ETFS_CHUNK);
	if (error && uio->uio_resid < start_resid)
		error = 0;
	return error;
}

/* The registration with minor m of the given type, or NULL. */
static struct etfs *
etfs_find_minor(unsigned int m, enum rump_etfs_type type)
{
	struct etfs *et;

	KASSERT(mutex_owned(&etfs_lock));
	TAILQ_FOREACH(et, &etfs_list, et_list) {
		if (et->et_minor == m && et->et_type == type)
			return et;
	}
	return NULL;
}

static struct etfs *
etfs_find_key(const char *key)
{
	struct etfs *et;

	KASSERT(mutex_owned(&etfs_lock));
	TAILQ_FOREACH(et, &etfs_list, et_list) {
		if (strcmp(et->et_key, key) == 0)
			return et;
	}
	return NULL;
}

/* A registration that is open: its pointer is stable (see the top). */
static struct etfs *
etfs_lookup_dev(dev_t dev, enum rump_etfs_type type)
{
	struct etfs *et;

	mutex_enter(&etfs_lock);
	et = etfs_find_minor(minor(dev), type);
	mutex_exit(&etfs_lock);
	return et;
}

/* Count an open of et; ENXIO if it is going away, EROFS for writing a
 * read-only host file. */
static int
etfs_open_count(struct etfs *et, int fflags)
{
	int error = 0;

	KASSERT(mutex_owned(&etfs_lock));
	if (et == NULL || et->et_state != ETFS_READY)
		error = ENXIO;
	else if (et->et_rdonly && ((fflags & O_ACCMODE) != O_RDONLY ||
	    (fflags & O_TRUNC)))
		error = EROFS;
	else
		et->et_opens++;
	return error;
}

static void
etfs_close_count(struct etfs *et)
{

	KASSERT(mutex_owned(&etfs_lock));
	KASSERT(et != NULL && et->et_opens > 0);
	et->et_opens--;
}

static int
etfs_sync(struct etfs *et, bool dataonly)
{

	return rumpuser_syncfd(et->et_fd, RUMPUSER_SYNCFD_WRITE |
	    (dataonly ? 0 : RUMPUSER_SYNCFD_SYNC), 0, 0);
}

/*
 * The device driver.
 */

static enum rump_etfs_type
etfs_devtype(int devtype)
{

	return devtype == D_BLK ? RUMP_ETFS_BLK : RUMP_ETFS_CHR;
}

static int
etfs_d_open(dev_t dev, int fflags, int devtype)
{
	int error;

	mutex_enter(&etfs_lock);
	error = etfs_open_count(etfs_find_minor(minor(dev),
	    etfs_devtype(devtype)), fflags);
	mutex_exit(&etfs_lock);
	return error;
}

static int
etfs_d_close(dev_t dev, int fflags __unused, int devtype)
{

	mutex_enter(&etfs_lock);
	etfs_close_count(etfs_find_minor(minor(dev), etfs_devtype(devtype)));
	mutex_exit(&etfs_lock);
	return 0;
}

static int
etfs_d_psize(dev_t dev, uint64_t *sizep)
{
	struct etfs *et;

	if ((et = etfs_lookup_dev(dev, RUMP_ETFS_BLK)) == NULL)
		return ENXIO;
	*sizep = rounddown(et->et_size, DEV_BSIZE);
	return 0;
}

/* rumpuser_bio's completion: a short read is the host file's end. */
static void
etfs_biodone(void *arg, size_t done, int error)
{
	struct buf *bp = arg;

	if (error == 0 && done < bp->b_bcount && (bp->b_flags & B_READ)) {
		memset((char *)bp->b_data + done, 0, bp->b_bcount - done);
		done = bp->b_bcount;
	}
	bp->b_error = error;
	bp->b_resid = bp->b_bcount - MIN(done, bp->b_bcount);
	biodone(bp);
}

static void
etfs_d_strategy(struct buf *bp)
{
	struct etfs *et;
	uint64_t off, size;
	int op;

	if ((et = etfs_lookup_dev(bp->b_dev, RUMP_ETFS_BLK)) == NULL) {
		bp->b_error = ENXIO;
		biodone(bp);
		return;
	}
	off = (uint64_t)bp->b_blkno * DEV_BSIZE;
	size = rounddown(et->et_size, DEV_BSIZE);
	if (bp->b_blkno < 0 || off > size || bp->b_bcount > size - off) {
		bp->b_error = EIO;	/* beyond the device */
		biodone(bp);
		return;
	}
	if (!(bp->b_flags & B_READ) && et->et_rdonly) {
		bp->b_error = EROFS;
		biodone(bp);
		return;
	}
	op = (bp->b_flags & B_READ) ? RUMPUSER_BIO_READ : RUMPUSER_BIO_WRITE;
	rumpuser_bio(et->et_fd, op, bp->b_data, bp->b_bcount,
	    (int64_t)(et->et_begin + off), etfs_biodone, bp);
}

static int
etfs_d_sync(dev_t dev, enum rump_etfs_type type)
{
	struct etfs *et;

	if ((et = etfs_lookup_dev(dev, type)) == NULL)
		return ENXIO;
	return et->et_rdonly ? 0 : etfs_sync(et, false);
}

static int
etfs_bd_sync(dev_t dev)
{

	return etfs_d_sync(dev, RUMP_ETFS_BLK);
}

static int
etfs_cd_sync(dev_t dev)
{

	return etfs_d_sync(dev, RUMP_ETFS_CHR);
}

static int
etfs_d_rw(dev_t dev, struct uio *uio, int ioflag)
{
	struct etfs *et;
	int error;

	if ((et = etfs_lookup_dev(dev, RUMP_ETFS_CHR)) == NULL)
		return ENXIO;
	error = etfs_host_rw(et, uio, et->et_size);
	if (error == 0 && uio->uio_rw == UIO_WRITE &&
	    (ioflag & (IO_SYNC | IO_DSYNC)))
		error = etfs_sync(et, (ioflag & IO_SYNC) == 0);
	return error;
}

static const struct bdevsw etfs_bdevsw = {
	.d_open = etfs_d_open,
	.d_close = etfs_d_close,
	.d_strategy = etfs_d_strategy,
	.d_ioctl = NULL,
	.d_psize = etfs_d_psize,
	.d_sync = etfs_bd_sync,
};

static const struct cdevsw etfs_cdevsw = {
	.d_open = etfs_d_open,
	.d_close = etfs_d_close,
	.d_read = etfs_d_rw,
	.d_write = etfs_d_rw,
	.d_ioctl = NULL,
	.d_poll = NULL,
	.d_sync = etfs_cd_sync,
};

/*
 * The REG file system: one regular file, the root, over the key.
 */

/* The size of a REG registration's file. */
static int
etfs_reg_size(struct etfs *et, uint64_t *sizep)
{
	uint64_t hsize;
	int type, error;

	if (!et->et_endoff) {
		*sizep = et->et_size;
		return 0;
	}
	if ((error = rumpuser_getfileinfo(et->et_hostpath, &hsize,
	    &type)) != 0)
		return error;
	*sizep = hsize > et->et_begin ? hsize - et->et_begin : 0;
	return 0;
}

static int
etfs_vfs_mount(struct mount *mp, const char *source __unused,
    const char *data __unused, kauth_cred_t cred __unused)
{
	struct etfs *et;

	/* Only etfs_register mounts it: mount(2) of "etfs" is EINVAL. */
	if (!mutex_owned(&etfs_mount_lock) || etfs_pending == NULL)
		return EINVAL;
	et = etfs_pending;
	mp->mnt_data = et;
	mutex_enter(&etfs_lock);
	et->et_mount = mp;
	mutex_exit(&etfs_lock);
	return 0;
}

static int
etfs_vfs_unmount(struct mount *mp, int flags __unused)
{
	struct etfs *et = mp->mnt_data;

	mutex_enter(&etfs_lock);
	if (et->et_mount == mp)
		et->et_mount = NULL;
	mutex_exit(&etfs_lock);
	mp->mnt_data = NULL;
	return 0;
}

static int
etfs_vfs_root(struct mount *mp, struct vnode **vpp)
{

	return vcache_get(mp, ETFS_ROOTKEY, vpp);
}

static int
etfs_vfs_statfs(struct mount *mp, struct statfs *sf)
{
	struct etfs *et = mp->mnt_data;
	uint64_t size;
	int error;

	if ((error = etfs_reg_size(et, &size)) != 0)
		return error;
	memset(sf, 0, sizeof(*sf));
	sf->f_type = ETFS_MAGIC;
	sf->f_bsize = sf->f_frsize = 4096;
	sf->f_blocks = howmany(size, 4096);
	sf->f_files = 1;
	sf->f_fsid.val[0] = (int)(mp->mnt_dev & 0xffffffff);
	sf->f_fsid.val[1] = (int)(mp->mnt_dev >> 32);
	sf->f_namelen = NAME_MAX;
	if (et->et_rdonly)
		sf->f_flags |= ST_RDONLY;
	return 0;
}

static int
etfs_vfs_sync(struct mount *mp, int waitfor __unused)
{
	struct etfs *et = mp->mnt_data;

	return et->et_rdonly ? 0 : etfs_sync(et, false);
}

static int
etfs_vfs_loadvnode(struct mount *mp, struct vnode *vp, uint64_t key)
{
	if (key != ETFS_ROOTKEY)
		return ENOENT;
	vp->v_type = VREG;
	vp->v_op = &etfs_vnodeops;
	vp->v_data = mp->mnt_data;
	vp->v_rdev = 0;
	return 0;
}

static struct vfsops etfs_vfsops = {
	.vfs_name = "etfs",
	.vfs_mount = etfs_vfs_mount,
	.vfs_unmount = etfs_vfs_unmount,
	.vfs_root = etfs_vfs_root,
	.vfs_statfs = etfs_vfs_statfs,
	.vfs_sync = etfs_vfs_sync,
	.vfs_loadvnode = etfs_vfs_loadvnode,
};

static int
etfs_lookup(struct vnode *dvp __unused,
    const struct componentname *cnp __unused, struct vnode **vpp)
{

	*vpp = NULL;
	return ENOTDIR;
}

static int
etfs_dirop(struct vnode *dvp __unused,
    const struct componentname *cnp __unused,
    const struct vattr *va __unused, struct vnode **vpp)
{

	*vpp = NULL;
	return ENOTDIR;
}

static int
etfs_symlink(struct vnode *dvp __unused,
    const struct componentname *cnp __unused,
    const struct vattr *va __unused, const char *target __unused,
    struct vnode **vpp)
{

	*vpp = NULL;
	return ENOTDIR;
}

static int
etfs_link(struct vnode *dvp __unused, struct vnode *vp __unused,
    const struct componentname *cnp __unused)
{

	return ENOTDIR;
}

static int
etfs_rename(struct vnode *fdvp __unused, struct vnode *fvp __unused,
    const struct componentname *fcnp __unused, struct vnode *tdvp __unused,
    struct vnode *tvp __unused, const struct componentname *tcnp __unused,
    int flags __unused)
{

	return ENOTDIR;
}

static int
etfs_open(struct vnode *vp, int fflags, kauth_cred_t cred __unused)
{
	int error;

	mutex_enter(&etfs_lock);
	error = etfs_open_count(vp->v_data, fflags);
	mutex_exit(&etfs_lock);
	return error;
}

static int
etfs_close(struct vnode *vp, int fflags __unused, kauth_cred_t cred __unused)
{

	mutex_enter(&etfs_lock);
	etfs_close_count(vp->v_data);
	mutex_exit(&etfs_lock);
	return 0;
}

static int
etfs_getattr(struct vnode *vp, struct vattr *va, kauth_cred_t cred __unused)
{
	struct etfs *et = vp->v_data;
	uint64_t size;
	int error;

	if ((error = etfs_reg_size(et, &size)) != 0)
		return error;
	memset(va, 0, sizeof(*va));
	va->va_type = VREG;
	va->va_mode = et->et_rdonly ? 0444 : 0644;
	va->va_nlink = 1;
	va->va_uid = 0;
	va->va_gid = 0;
	va->va_fileid = ETFS_ROOTKEY;
	va->va_size = (off_t)size;
	va->va_blksize = 4096;
	va->va_bytes = roundup(size, DEV_BSIZE);
	mutex_enter(&etfs_lock);
	va->va_atime = et->et_atime;
	va->va_mtime = et->et_mtime;
	va->va_ctime = et->et_ctime;
	mutex_exit(&etfs_lock);
	va->va_btime.tv_sec = VNOVAL;
	va->va_btime.tv_nsec = 0;
	va->va_rdev = 0;
	va->va_fsid = vp->v_mount->mnt_dev;
	va->va_gen = 0;
	va->va_vaflags = 0;
	return 0;
}

/* Attributes: the times may change, the size only to itself; the rest
 * is the host file's business. */
static int
etfs_setattr(struct vnode *vp, const struct vattr *va,
    kauth_cred_t cred __unused)
{
	struct etfs *et = vp->v_data;
	struct timespec now;
	uint64_t size;
	int error;

	if (va->va_mode != (mode_t)VNOVAL ||
	    va->va_uid != (uid_t)VNOVAL || va->va_gid != (gid_t)VNOVAL)
		return EPERM;
	if (va->va_size != VNOVAL) {
		if ((error = etfs_reg_size(et, &size)) != 0)
			return error;
		if (va->va_size < 0 || (uint64_t)va->va_size != size)
			return EINVAL;
	}
	nanotime(&now);
	mutex_enter(&etfs_lock);
	if (va->va_atime.tv_sec != VNOVAL)
		et->et_atime = (va->va_vaflags & VA_UTIMES_NOW) ? now :
		    va->va_atime;
	if (va->va_mtime.tv_sec != VNOVAL)
		et->et_mtime = (va->va_vaflags & VA_UTIMES_NOW) ? now :
		    va->va_mtime;
	et->et_ctime = now;
	mutex_exit(&etfs_lock);
	return 0;
}

static int
etfs_read(struct vnode *vp, struct uio *uio, int ioflag __unused,
    kauth_cred_t cred __unused)
{
	struct etfs *et = vp->v_data;
	uint64_t size;
	int error;

	if ((error = etfs_reg_size(et, &size)) != 0)
		return error;
	return etfs_host_rw(et, uio, size);
}

static int
etfs_write(struct vnode *vp, struct uio *uio, int ioflag,
    kauth_cred_t cred __unused)
{
	struct etfs *et = vp->v_data;
	struct timespec now;
	uint64_t size, limit;
	int error;

	if (et->et_rdonly)
		return EROFS;
	if ((error = etfs_reg_size(et, &size)) != 0)
		return error;
	if (ioflag & IO_APPEND)
		uio->uio_offset = (off_t)size;
	if (et->et_endoff) {
		limit = (uint64_t)INT64_MAX - et->et_begin;
		if (uio->uio_offset >= 0 && uio->uio_resid > 0 &&
		    (uint64_t)uio->uio_offset >= limit)
			return EFBIG;
	} else
		limit = et->et_size;
	if ((error = etfs_host_rw(et, uio, limit)) != 0)
		return error;
	nanotime(&now);
	mutex_enter(&etfs_lock);
	et->et_mtime = et->et_ctime = now;
	mutex_exit(&etfs_lock);
	if (ioflag & (IO_SYNC | IO_DSYNC))
		error = etfs_sync(et, (ioflag & IO_SYNC) == 0);
	return error;
}

static int
etfs_fsync(struct vnode *vp, int flags, kauth_cred_t cred __unused)
{
	struct etfs *et = vp->v_data;

	if (et->et_rdonly)
		return 0;
	return etfs_sync(et, (flags & FSYNC_DATAONLY) != 0);
}

static int
etfs_readdir(struct vnode *vp __unused, struct uio *uio __unused,
    kauth_cred_t cred __unused, int *eofp __unused)
{

	return ENOTDIR;
}

static int
etfs_readlink(struct vnode *vp __unused, struct uio *uio __unused,
    kauth_cred_t cred __unused)
{

	return EINVAL;
}

static int
etfs_inactive(struct vnode *vp __unused, bool *recyclep)
{

	*recyclep = false;
	return 0;
}

static int
etfs_reclaim(struct vnode *vp)
{

	vp->v_data = NULL;
	return 0;
}

static int
etfs_ioctl(struct vnode *vp __unused, unsigned long cmd __unused,
    void *data __unused, int fflags __unused, kauth_cred_t cred __unused)
{

	return ENOTTY;
}

static int
etfs_pathconf(struct vnode *vp __unused, int name __unused,
    register_t *retval __unused)
{

	return EINVAL;
}

static const struct vnodeops etfs_vnodeops = {
	.vop_lookup = etfs_lookup,
	.vop_create = etfs_dirop,
	.vop_mknod = etfs_dirop,
	.vop_mkdir = etfs_dirop,
	.vop_symlink = etfs_symlink,
	.vop_link = etfs_link,
	.vop_remove = etfs_link,
	.vop_rmdir = etfs_link,
	.vop_rename = etfs_rename,
	.vop_open = etfs_open,
	.vop_close = etfs_close,
	.vop_getattr = etfs_getattr,
	.vop_setattr = etfs_setattr,
	.vop_read = etfs_read,
	.vop_write = etfs_write,
	.vop_fsync = etfs_fsync,
	.vop_readdir = etfs_readdir,
	.vop_readlink = etfs_readlink,
	.vop_inactive = etfs_inactive,
	.vop_reclaim = etfs_reclaim,
	.vop_ioctl = etfs_ioctl,
	.vop_poll = NULL,
	.vop_pathconf = etfs_pathconf,
};

/*
 * Registration and removal.
 */

/* Make the key's node: a device node, or the file that REG covers
 * (returned referenced and unlocked in *vpp). */
static int
etfs_mknode(struct etfs *et, kauth_cred_t cred, struct vnode **vpp)
{
	struct nameidata nd;
	struct vnode *dvp, *vp = NULL;
	struct vattr va;
	int error;

	*vpp = NULL;
	if ((error = namei_kernel(et->et_key, CREATE, LOCKPARENT, cred,
	    &nd)) != 0)
		return error;
	dvp = nd.ni_dvp;
	if (nd.ni_vp != NULL || nd.ni_lastdot != 0) {
		error = EEXIST;
		goto out;
	}
	if (nd.ni_trailing_slash) {
		error = ENOENT;
		goto out;
	}
	vattr_null(&va);
	va.va_mode = et->et_rdonly ? 0444 : 0644;
	switch (et->et_type) {
	case RUMP_ETFS_REG:
		va.va_type = VREG;
		error = dvp->v_op->vop_create(dvp, &nd.ni_cnd, &va, &vp);
		break;
	default:
		va.va_type = et->et_type == RUMP_ETFS_BLK ? VBLK : VCHR;
		va.va_rdev = et->et_dev;
		error = dvp->v_op->vop_mknod(dvp, &nd.ni_cnd, &va, &vp);
		break;
	}
	if (error == 0) {
		cache_enter(dvp, vp, nd.ni_cnd.cn_nameptr,
		    nd.ni_cnd.cn_namelen);
		vn_unlock(vp);
		*vpp = vp;
	}
 out:
	namei_done(&nd);
	return error;
}

/* Unlink the key's node if it is still ours. */
static int
etfs_rmnode(struct etfs *et, kauth_cred_t cred)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	error = namei_kernel(et->et_key, DELETE, LOCKPARENT | LOCKLEAF, cred,
	    &nd);
	if (error)
		return error;
	vp = nd.ni_vp;
	if (nd.ni_lastdot != 0 || nd.ni_dvp == NULL ||
	    vp->v_mountedhere != NULL || vn_isroot(vp))
		error = EBUSY;
	else if (et->et_type == RUMP_ETFS_REG ? vp->v_type != VREG :
	    (vp->v_type != (et->et_type == RUMP_ETFS_BLK ? VBLK : VCHR) ||
	    vp->v_rdev != et->et_dev))
		error = 0;		/* replaced by someone: leave it */
	else {
		error = nd.ni_dvp->v_op->vop_remove(nd.ni_dvp, vp,
		    &nd.ni_cnd);
		if (error == 0)
			cache_purge(vp);
	}
	namei_done(&nd);
	return error;
}

/* Unmount the REG file system over the key, if it is still there. */
static int
etfs_unmount(struct etfs *et, kauth_cred_t cred)
{
	struct nameidata nd;
	struct vnode *vp;
	struct mount *mp;
	int error;

	if ((error = namei_kernel(et->et_key, LOOKUP, 0, cred, &nd)) != 0)
		return error == ENOENT ? 0 : error;
	vp = nd.ni_vp;
	nd.ni_vp = NULL;
	namei_done(&nd);
	mp = vp->v_mount;
	if (!vn_isroot(vp) || mp->mnt_op != &etfs_vfsops ||
	    mp->mnt_data != et) {
		vrele(vp);		/* unmounted already */
		return 0;
	}
	return vfs_unmount(mp, 0, vp);	/* releases vp */
}

/* Free a registration that is on no list. */
static void
etfs_free(struct etfs *et)
{

	if (et->et_fd >= 0)
		(void)rumpuser_close(et->et_fd);
	if (et->et_key != NULL)
		kmem_strfree(et->et_key);
	if (et->et_hostpath != NULL)
		kmem_strfree(et->et_hostpath);
	kmem_free(et, sizeof(*et));
}

/* Copy a string from the caller into kmem. */
static int
etfs_copystr(const char *ustr, char **kstrp)
{
	char *buf;
	int error;

	*kstrp = NULL;
	if ((buf = kmem_alloc(PATH_MAX, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = copyinstr(ustr, buf, PATH_MAX, NULL);
	if (error == 0 && buf[0] == '\0')
		error = ENOENT;
	if (error == 0 && (*kstrp = kmem_strdup(buf, KM_SLEEP)) == NULL)
		error = ENOMEM;
	kmem_free(buf, PATH_MAX);
	return error;
}

/* Open the host file and work out the window. */
static int
etfs_open_host(struct etfs *et, uint64_t begin, uint64_t size)
{
	uint64_t hsize;
	int htype, flags, error;

	if ((error = rumpuser_getfileinfo(et->et_hostpath, &hsize,
	    &htype)) != 0)
		return error;
	if (htype == RUMPUSER_FT_DIR)
		return EISDIR;
	if (htype == RUMPUSER_FT_OTHER)
		return EINVAL;
	if (begin > (uint64_t)INT64_MAX)
		return EINVAL;
	if (size == RUMP_ETFS_SIZE_ENDOFF) {
		if (begin > hsize)
			return EINVAL;
		et->et_endoff = true;
		size = hsize - begin;
	} else if (begin + size < begin || begin + size > (uint64_t)INT64_MAX)
		return EINVAL;
	et->et_begin = begin;
	et->et_size = size;
	flags = et->et_type == RUMP_ETFS_BLK ? RUMPUSER_OPEN_BIO : 0;
	error = rumpuser_open(et->et_hostpath, RUMPUSER_OPEN_RDWR | flags,
	    &et->et_fd);
	if (error == EACCES || error == EROFS || error == EPERM) {
		error = rumpuser_open(et->et_hostpath,
		    RUMPUSER_OPEN_RDONLY | flags, &et->et_fd);
		et->et_rdonly = true;
	}
	return error;
}

/* Enter et in the list with a free minor, if its key is new. */
static int
etfs_enter(struct etfs *et)
{
	struct etfs *o;
	unsigned int m;
	int error = 0;

	mutex_enter(&etfs_lock);
	if (etfs_find_key(et->et_key) != NULL) {
		error = EEXIST;
		goto out;
	}
	for (m = 0; m <= ETFS_MAXMINOR; m++) {
		TAILQ_FOREACH(o, &etfs_list, et_list) {
			if (o->et_minor == m)
				break;
		}
		if (o == NULL)
			break;
	}
	if (m > ETFS_MAXMINOR) {
		error = ENOSPC;
		goto out;
	}
	et->et_minor = m;
	if (et->et_type == RUMP_ETFS_BLK)
		et->et_dev = makedev(etfs_bmajor, m);
	else if (et->et_type == RUMP_ETFS_CHR)
		et->et_dev = makedev(etfs_cmajor, m);
	et->et_state = ETFS_SETUP;
	TAILQ_INSERT_TAIL(&etfs_list, et, et_list);
 out:
	mutex_exit(&etfs_lock);
	return error;
}

static void
etfs_leave(struct etfs *et)
{

	mutex_enter(&etfs_lock);
	TAILQ_REMOVE(&etfs_list, et, et_list);
	mutex_exit(&etfs_lock);
}

/* Make the key: the node, and for REG the mount over it. */
static int
etfs_publish(struct etfs *et, kauth_cred_t cred)
{
	struct vnode *vp;
	struct mount *mp;
	int error;

	if ((error = etfs_mknode(et, cred, &vp)) != 0)
		return error;
	if (et->et_type == RUMP_ETFS_REG) {
		mutex_enter(&etfs_mount_lock);
		etfs_pending = et;
		error = vfs_mount("etfs", vp, 0, et->et_key, NULL, cred, &mp);
		etfs_pending = NULL;
		mutex_exit(&etfs_mount_lock);
	}
	vrele(vp);
	if (error)
		(void)etfs_rmnode(et, cred);
	return error;
}

static int
etfs_register(const char *ukey, const char *uhostpath,
    enum rump_etfs_type type, uint64_t begin, uint64_t size)
{
	struct etfs *et;
	kauth_cred_t cred = NULL;
	struct timespec now;
	int error;

	if (!etfs_ready)
		return ENXIO;
	if (type == RUMP_ETFS_DIR || type == RUMP_ETFS_DIR_SUBDIRS)
		return EOPNOTSUPP;
	if (type != RUMP_ETFS_REG && type != RUMP_ETFS_BLK &&
	    type != RUMP_ETFS_CHR)
		return EINVAL;
	if ((et = kmem_zalloc(sizeof(*et), KM_SLEEP)) == NULL)
		return ENOMEM;
	et->et_fd = -1;
	et->et_type = type;
	if ((error = etfs_copystr(ukey, &et->et_key)) != 0 ||
	    (error = etfs_copystr(uhostpath, &et->et_hostpath)) != 0)
		goto fail;
	if (et->et_key[0] != '/') {
		error = EINVAL;
		goto fail;
	}
	if ((error = etfs_open_host(et, begin, size)) != 0)
		goto fail;
	nanotime(&now);
	et->et_atime = et->et_mtime = et->et_ctime = now;
	if ((error = etfs_enter(et)) != 0)
		goto fail;
	if ((cred = kauth_cred_alloc_root()) == NULL) {
		error = ENOMEM;
		goto fail_listed;
	}
	if ((error = etfs_publish(et, cred)) != 0)
		goto fail_listed;
	kauth_cred_free(cred);
	mutex_enter(&etfs_lock);
	et->et_state = ETFS_READY;
	mutex_exit(&etfs_lock);
	return 0;

 fail_listed:
	if (cred != NULL)
		kauth_cred_free(cred);
	etfs_leave(et);
 fail:
	etfs_free(et);
	return error;
}

static int
etfs_remove(const char *ukey)
{
	struct etfs *et;
	kauth_cred_t cred;
	char *key;
	int error;

	if (!etfs_ready)
		return ENXIO;
	if ((error = etfs_copystr(ukey, &key)) != 0)
		return error;
	if ((cred = kauth_cred_alloc_root()) == NULL) {
		kmem_strfree(key);
		return ENOMEM;
	}
	mutex_enter(&etfs_lock);
	if ((et = etfs_find_key(key)) == NULL ||
	    et->et_state != ETFS_READY)
		error = ENOENT;
	else if (et->et_opens > 0)
		error = EBUSY;
	else
		et->et_state = ETFS_REMOVING;
	mutex_exit(&etfs_lock);
	if (error)
		goto out;

	if (et->et_type == RUMP_ETFS_REG &&
	    (error = etfs_unmount(et, cred)) != 0) {
		mutex_enter(&etfs_lock);
		et->et_state = ETFS_READY;
		mutex_exit(&etfs_lock);
		goto out;
	}
	/* The node goes whatever happens below; a user who removed it
	 * already has done our work. */
	if ((error = etfs_rmnode(et, cred)) == ENOENT)
		error = 0;
	if (et->et_type == RUMP_ETFS_BLK) {
		int e = binvalidate(et->et_dev);

		if (error == 0)
			error = e;
	}
	etfs_leave(et);
	etfs_free(et);
 out:
	kauth_cred_free(cred);
	kmem_strfree(key);
	return error;
}

/*
 * The public calls: enter the kernel, as a system call does.
 */

int
rump_pub_etfs_register_withsize(const char *key, const char *hostpath,
    enum rump_etfs_type type, uint64_t begin, uint64_t size)
{
	int error;

	if (!sched_enter_booted())
		return ENXIO;
	error = etfs_register(key, hostpath, type, begin, size);
	rump_unschedule();
	return error;
}

int
rump_pub_etfs_register(const char *key, const char *hostpath,
    enum rump_etfs_type type)
{

	return rump_pub_etfs_register_withsize(key, hostpath, type, 0,
	    RUMP_ETFS_SIZE_ENDOFF);
}

int
rump_pub_etfs_remove(const char *key)
{
	int error;

	if (!sched_enter_booted())
		return ENXIO;
	error = etfs_remove(key);
	rump_unschedule();
	return error;
}

int
etfs_sys_init(void)
{
	int error;

	mutex_init(&etfs_lock, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&etfs_mount_lock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&etfs_list);
	etfs_pending = NULL;
	error = devsw_attach("etfs", &etfs_bdevsw, &etfs_bmajor,
	    &etfs_cdevsw, &etfs_cmajor);
	if (error)
		goto fail;
	if ((error = vfs_register(&etfs_vfsops)) != 0) {
		devsw_detach(&etfs_bdevsw, &etfs_cdevsw);
		goto fail;
	}
	etfs_ready = true;
	return 0;
 fail:
	mutex_destroy(&etfs_mount_lock);
	mutex_destroy(&etfs_lock);
	return error;
}

/*
 * At halt, after every file system is unmounted and every process has
 * exited: nothing has a registration open; write back and free them.
 */
void
etfs_sys_fini(void)
{
	struct etfs *et;
	int error;

	etfs_ready = false;
	while ((et = TAILQ_FIRST(&etfs_list)) != NULL) {
		KASSERT(et->et_opens == 0 && et->et_mount == NULL);
		if (et->et_type == RUMP_ETFS_BLK &&
		    (error = binvalidate(et->et_dev)) != 0)
			printf("etfs: %s: data lost at halt: error %d\n",
			    et->et_key, error);
		TAILQ_REMOVE(&etfs_list, et, et_list);
		etfs_free(et);
	}
	vfs_unregister(&etfs_vfsops);
	devsw_detach(&etfs_bdevsw, &etfs_cdevsw);
	mutex_destroy(&etfs_mount_lock);
	mutex_destroy(&etfs_lock);
}
