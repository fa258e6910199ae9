/*
 * spec_vnops.c: the I/O of device vnodes (sys/sys/specdev.h).
 *
 * A device node belongs to a file system (its name and attributes); its
 * I/O belongs to the driver that the node's device number names in the
 * device switches.  Character devices get the uio as it is.  Block
 * devices are read and written through the buffer cache in blocks of the
 * size the device's other users chose (SPEC_BSIZE when nothing is cached):
 * a partial block is read, changed and written back (a delayed write,
 * unless the file was opened O_SYNC/O_DSYNC).  A device whose size is
 * not a multiple of the block size has a tail shorter than a block: that
 * is moved uncached (bio_rawio), since a full buffer there would read
 * past the end.
 *
 * Locking: none of its own.  The caller holds the vnode lock as for the
 * corresponding VOP; buffers are serialised by the buffer cache.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/file.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/specdev.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#define SPEC_BSIZE 4096		/* block size when the device has none */

int
spec_blksize(dev_t dev, uint64_t *sizep)
{
	const struct bdevsw *bdev;
	uint64_t size;
	int error;

	if ((bdev = bdevsw_lookup(dev)) == NULL)
		return ENXIO;
	if (bdev->d_psize == NULL)
		return ENODEV;
	if ((error = (*bdev->d_psize)(dev, &size)) != 0)
		return error;
	*sizep = rounddown(size, DEV_BSIZE);
	return 0;
}

int
spec_open(struct vnode *vp, int fflags, kauth_cred_t cred __unused)
{
	const struct bdevsw *bdev;
	const struct cdevsw *cdev;
	dev_t dev = vp->v_rdev;

	if (vp->v_mount != NULL && (vp->v_mount->mnt_flag & MS_NODEV))
		return EACCES;
	switch (vp->v_type) {
	case VBLK:
		if ((bdev = bdevsw_lookup(dev)) == NULL ||
		    bdev->d_open == NULL)
			return ENXIO;
		return (*bdev->d_open)(dev, fflags, D_BLK);
	case VCHR:
		if ((cdev = cdevsw_lookup(dev)) == NULL ||
		    cdev->d_open == NULL)
			return ENXIO;
		return (*cdev->d_open)(dev, fflags, D_CHR);
	default:
		return ENODEV;
	}
}

int
spec_close(struct vnode *vp, int fflags, kauth_cred_t cred __unused)
{
	const struct bdevsw *bdev;
	const struct cdevsw *cdev;
	dev_t dev = vp->v_rdev;
	int error, e;

	switch (vp->v_type) {
	case VBLK:
		/* As Linux at the last close: the data reaches the driver. */
		error = bflush(dev);
		if ((bdev = bdevsw_lookup(dev)) == NULL ||
		    bdev->d_close == NULL)
			return ENXIO;
		e = (*bdev->d_close)(dev, fflags, D_BLK);
		return error != 0 ? error : e;
	case VCHR:
		if ((cdev = cdevsw_lookup(dev)) == NULL ||
		    cdev->d_close == NULL)
			return ENXIO;
		return (*cdev->d_close)(dev, fflags, D_CHR);
	default:
		return ENODEV;
	}
}

/*
 * Move the part of uio that falls in [start, end) of the device's tail
 * (shorter than a block) without the cache: read it, and for a write
 * change it and write it back.
 */
static int
spec_tail_rw(dev_t dev, uint64_t start, uint64_t end, struct uio *uio)
{
	size_t len = (size_t)(end - start), off, n;
	char *data;
	int error;

	KASSERT(len > 0 && len % DEV_BSIZE == 0 && len < MAXBSIZE);
	KASSERT((uint64_t)uio->uio_offset >= start &&
	    (uint64_t)uio->uio_offset < end);
	if ((data = kmem_alloc(len, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = bio_rawio(dev, (daddr_t)(start / DEV_BSIZE), data, len, true);
	if (error)
		goto out;
	off = (size_t)((uint64_t)uio->uio_offset - start);
	n = MIN(len - off, uio->uio_resid);
	if ((error = uiomove(data + off, n, uio)) != 0)
		goto out;
	if (uio->uio_rw == UIO_WRITE)
		error = bio_rawio(dev, (daddr_t)(start / DEV_BSIZE), data,
		    len, false);
 out:
	kmem_free(data, len);
	return error;
}

/* Move the part of uio that falls in the block at bstart (bsize bytes). */
static int
spec_block_rw(dev_t dev, uint64_t bstart, size_t bsize, struct uio *uio,
    int ioflag)
{
	size_t blkoff = (size_t)((uint64_t)uio->uio_offset - bstart);
	size_t n = MIN(bsize - blkoff, uio->uio_resid);
	daddr_t blkno = (daddr_t)(bstart / DEV_BSIZE);
	struct buf *bp;
	bool whole;
	int error;

	whole = uio->uio_rw == UIO_WRITE && n == bsize;
	error = whole ? getblk(dev, blkno, bsize, &bp) :
	    bread(dev, blkno, bsize, &bp);
	if (error)
		return error;
	error = uiomove((char *)bp->b_data + blkoff, n, uio);
	if (uio->uio_rw == UIO_READ) {
		brelse(bp);
		return error;
	}
	if (error && !(bp->b_flags & B_DONE)) {
		/* A fresh block only partly filled: nothing to keep. */
		brelse_inval(bp);
		return error;
	}
	if (ioflag & (IO_SYNC | IO_DSYNC)) {
		int e = bwrite(bp);

		return error != 0 ? error : e;
	}
	bdwrite(bp);
	return error;
}

/* Read or write a block device: the buffer cache's blocks, then the
 * tail. */
static int
spec_blk_rw(struct vnode *vp, struct uio *uio, int ioflag)
{
	dev_t dev = vp->v_rdev;
	uint64_t size, off, bstart;
	size_t bsize, start_resid = uio->uio_resid;
	int error;

	if (uio->uio_offset < 0)
		return EINVAL;
	if ((error = spec_blksize(dev, &size)) != 0)
		return error;
	if (uio->uio_rw == UIO_WRITE && uio->uio_resid > 0 &&
	    (uint64_t)uio->uio_offset >= size)
		return ENOSPC;
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < size) {
		off = (uint64_t)uio->uio_offset;
		bsize = bio_devbsize(dev, SPEC_BSIZE);
		bstart = off - off % bsize;
		if (bstart + bsize <= size)
			error = spec_block_rw(dev, bstart, bsize, uio, ioflag);
		else
			error = spec_tail_rw(dev, bstart, size, uio);
		if (error)
			break;
	}
	/* Bytes that moved before an error are the call's result. */
	if (error && uio->uio_resid < start_resid)
		error = 0;
	return error;
}

int
spec_read(struct vnode *vp, struct uio *uio, int ioflag)
{
	const struct cdevsw *cdev;

	switch (vp->v_type) {
	case VBLK:
		return spec_blk_rw(vp, uio, ioflag);
	case VCHR:
		if ((cdev = cdevsw_lookup(vp->v_rdev)) == NULL ||
		    cdev->d_read == NULL)
			return ENXIO;
		return (*cdev->d_read)(vp->v_rdev, uio, ioflag);
	default:
		return ENODEV;
	}
}

int
spec_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	const struct cdevsw *cdev;

	switch (vp->v_type) {
	case VBLK:
		return spec_blk_rw(vp, uio, ioflag);
	case VCHR:
		if ((cdev = cdevsw_lookup(vp->v_rdev)) == NULL ||
		    cdev->d_write == NULL)
			return ENXIO;
		return (*cdev->d_write)(vp->v_rdev, uio, ioflag);
	default:
		return ENODEV;
	}
}

/* The block ioctls that every block device answers alike. */
static int
spec_blk_ioctl(dev_t dev, unsigned long cmd, void *data, int fflags)
{
	const struct bdevsw *bdev;
	uint64_t size;
	unsigned long sectors;
	int ssize = DEV_BSIZE, error;

	switch (cmd) {
	case BLKGETSIZE64:
		if ((error = spec_blksize(dev, &size)) != 0)
			return error;
		return copyout(&size, data, sizeof(size));
	case BLKGETSIZE:
		if ((error = spec_blksize(dev, &size)) != 0)
			return error;
		sectors = (unsigned long)(size / DEV_BSIZE);
		return copyout(&sectors, data, sizeof(sectors));
	case BLKSSZGET:
		if (bdevsw_lookup(dev) == NULL)
			return ENXIO;
		return copyout(&ssize, data, sizeof(ssize));
	case BLKFLSBUF:
		if (bdevsw_lookup(dev) == NULL)
			return ENXIO;
		return binvalidate(dev);
	default:
		if ((bdev = bdevsw_lookup(dev)) == NULL)
			return ENXIO;
		if (bdev->d_ioctl == NULL)
			return ENOTTY;
		return (*bdev->d_ioctl)(dev, cmd, data, fflags);
	}
}

int
spec_ioctl(struct vnode *vp, unsigned long cmd, void *data, int fflags)
{
	const struct cdevsw *cdev;

	switch (vp->v_type) {
	case VBLK:
		return spec_blk_ioctl(vp->v_rdev, cmd, data, fflags);
	case VCHR:
		if ((cdev = cdevsw_lookup(vp->v_rdev)) == NULL)
			return ENXIO;
		if (cdev->d_ioctl == NULL)
			return ENOTTY;
		return (*cdev->d_ioctl)(vp->v_rdev, cmd, data, fflags);
	default:
		return ENOTTY;
	}
}

int
spec_poll(struct vnode *vp, int events)
{
	const struct cdevsw *cdev;
	int ready = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

	if (vp->v_type == VCHR && (cdev = cdevsw_lookup(vp->v_rdev)) != NULL &&
	    cdev->d_poll != NULL)
		return (*cdev->d_poll)(vp->v_rdev, events);
	return events & ready;
}

int
spec_fsync(struct vnode *vp)
{
	const struct bdevsw *bdev;
	const struct cdevsw *cdev;
	dev_t dev = vp->v_rdev;
	int error, e;

	switch (vp->v_type) {
	case VBLK:
		error = bflush(dev);
		if ((bdev = bdevsw_lookup(dev)) == NULL)
			return ENXIO;
		e = bdev->d_sync != NULL ? (*bdev->d_sync)(dev) : 0;
		return error != 0 ? error : e;
	case VCHR:
		if ((cdev = cdevsw_lookup(dev)) == NULL)
			return ENXIO;
		return cdev->d_sync != NULL ? (*cdev->d_sync)(dev) : 0;
	default:
		return 0;
	}
}
