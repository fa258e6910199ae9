/*
 * ktest_etfs.k.c: kernel-side helpers and tests for t_etfs.c: the buffer
 * cache against a memory disk driver with injectable errors, and I/O on
 * device nodes through the spec_* functions (the way the VFS reaches a
 * device).  Kernel code, built into librumpvfs_ktest_etfs.  Each
 * rump_ktest_* enters the kernel itself; the tests return 0 or the line
 * of the first failed check, the helpers 0 or an errno.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/kmem.h>
#include <sys/namei.h>
#include <sys/specdev.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <rump/rump.h>

#define CHECK(e) do { if (!(e)) { error = __LINE__; goto out; } } while (0)

/*
 * The memory disk: MD_SIZE bytes; strategy completes at once.  Faults:
 * md_fail_blkno fails I/O touching that DEV_BSIZE block with md_fail_err;
 * md_short makes reads come back short.
 */
#define MD_SIZE (256 * 1024)
static char *md_data;
static unsigned int md_reads, md_writes;
static daddr_t md_fail_blkno = -1;
static int md_fail_err;
static bool md_short;
static int md_bmajor;

static void
md_strategy(struct buf *bp)
{
	uint64_t off = (uint64_t)bp->b_blkno * DEV_BSIZE;
	daddr_t nblk = (daddr_t)(bp->b_bcount / DEV_BSIZE);

	if (off + bp->b_bcount > MD_SIZE) {
		bp->b_error = EIO;
	} else if (md_fail_blkno >= bp->b_blkno &&
	    md_fail_blkno < bp->b_blkno + nblk) {
		bp->b_error = md_fail_err;
	} else if (bp->b_flags & B_READ) {
		md_reads++;
		memcpy(bp->b_data, md_data + off, bp->b_bcount);
		bp->b_resid = md_short ? DEV_BSIZE : 0;
	} else {
		md_writes++;
		memcpy(md_data + off, bp->b_data, bp->b_bcount);
		bp->b_resid = 0;
	}
	biodone(bp);
}

static int
md_open(dev_t dev __unused, int fflags __unused, int devtype __unused)
{

	return 0;
}

static int
md_psize(dev_t dev __unused, uint64_t *sizep)
{

	*sizep = MD_SIZE;
	return 0;
}

static const struct bdevsw md_bdevsw = {
	.d_open = md_open,
	.d_close = md_open,
	.d_strategy = md_strategy,
	.d_psize = md_psize,
};

static size_t
dev_nbufs(void)
{
	struct bio_stats bs;

	bio_getstats(&bs);
	return bs.bs_nbufs;
}

static int
ktest_bio(void)
{
	struct buf *bp, *bp2;
	struct bio_stats bs;
	dev_t dev;
	unsigned int r;
	size_t oldmax;
	int error = 0, i;

	md_data = kmem_zalloc(MD_SIZE, KM_SLEEP);
	CHECK(md_data != NULL);
	for (i = 0; i < MD_SIZE; i++)
		md_data[i] = (char)(i * 7 + 3);
	CHECK(devsw_attach("ktestmd", &md_bdevsw, &md_bmajor, NULL,
	    NULL) == 0);
	CHECK(devsw_attach("ktestmd", &md_bdevsw, &i, NULL, NULL) == EEXIST);
	dev = makedev(md_bmajor, 0);
	CHECK(bdevsw_lookup(dev) == &md_bdevsw);
	CHECK(cdevsw_lookup(dev) == NULL);

	/* Bad arguments; no driver. */
	CHECK(bread(dev, 0, 1000, &bp) == EINVAL && bp == NULL);
	CHECK(bread(dev, -1, 1024, &bp) == EINVAL);
	CHECK(bread(dev, 0, MAXBSIZE * 2, &bp) == EINVAL);
	CHECK(bread(makedev(3, 3), 0, 1024, &bp) == ENXIO);

	/* A read is cached: the second costs no I/O. */
	r = md_reads;
	CHECK(bread(dev, 2, 1024, &bp) == 0);
	CHECK(memcmp(bp->b_data, md_data + 1024, 1024) == 0);
	brelse(bp);
	CHECK(bread(dev, 2, 1024, &bp) == 0);
	CHECK(md_reads == r + 1);
	CHECK(bio_devbsize(dev, 4096) == 1024);

	/* A delayed write reaches the device at bflush. */
	memset(bp->b_data, 0xaa, 1024);
	bdwrite(bp);
	CHECK((unsigned char)md_data[1024] != 0xaa);
	bio_getstats(&bs);
	CHECK(bs.bs_ndirty == 1);
	CHECK(bflush(dev) == 0);
	CHECK((unsigned char)md_data[1024] == 0xaa);
	bio_getstats(&bs);
	CHECK(bs.bs_ndirty == 0);

	/* bwrite at once, bawrite by the next bflush. */
	CHECK(getblk(dev, 4, 1024, &bp) == 0);
	memset(bp->b_data, 0xbb, 1024);
	CHECK(bwrite(bp) == 0);
	CHECK((unsigned char)md_data[2048] == 0xbb);
	CHECK(getblk(dev, 6, 1024, &bp) == 0);
	memset(bp->b_data, 0xcc, 1024);
	bawrite(bp);
	CHECK(bflush(dev) == 0);
	CHECK((unsigned char)md_data[3072] == 0xcc);
	CHECK(bread(dev, 6, 1024, &bp) == 0);	/* still cached, valid */
	CHECK((unsigned char)((char *)bp->b_data)[5] == 0xcc);
	brelse(bp);

	/* A read error is the driver's errno; a short read EIO; neither
	 * is cached. */
	i = (int)dev_nbufs();
	md_fail_blkno = 20;
	md_fail_err = EIO;
	CHECK(bread(dev, 20, 1024, &bp) == EIO && bp == NULL);
	md_fail_err = ENOSPC;
	CHECK(bread(dev, 20, 1024, &bp) == ENOSPC);
	md_fail_blkno = -1;
	md_short = true;
	CHECK(bread(dev, 22, 1024, &bp) == EIO);
	md_short = false;
	CHECK((int)dev_nbufs() == i);
	CHECK(bread(dev, 20, 1024, &bp) == 0);
	brelse(bp);

	/* A failed delayed write: reported once by bflush, data dropped. */
	CHECK(getblk(dev, 30, 1024, &bp) == 0);
	memset(bp->b_data, 0xdd, 1024);
	bdwrite(bp);
	md_fail_blkno = 30;
	md_fail_err = EIO;
	CHECK(bflush(dev) == EIO);
	CHECK(bflush(dev) == 0);
	md_fail_blkno = -1;
	CHECK(bread(dev, 30, 1024, &bp) == 0);
	CHECK((unsigned char)((char *)bp->b_data)[0] != 0xdd);
	brelse(bp);
	/* A failed bwrite is its caller's error only. */
	CHECK(getblk(dev, 32, 1024, &bp) == 0);
	md_fail_blkno = 32;
	CHECK(bwrite(bp) == EIO);
	md_fail_blkno = -1;
	CHECK(bflush(dev) == 0);

	/* Two buffers at once; a busy one is not given twice (same
	 * thread would deadlock, so only distinct blocks here). */
	CHECK(bread(dev, 40, 1024, &bp) == 0);
	CHECK(bread(dev, 42, 1024, &bp2) == 0);
	CHECK(bp != bp2);
	brelse(bp);
	brelse(bp2);

	/* Another size: dirty buffers of the old size are written first. */
	CHECK(getblk(dev, 50, 1024, &bp) == 0);
	memset(bp->b_data, 0xee, 1024);
	bdwrite(bp);
	CHECK(bread(dev, 48, 4096, &bp) == 0);
	CHECK(bio_devbsize(dev, 512) == 4096);
	CHECK((unsigned char)((char *)bp->b_data)[1024] == 0xee);
	CHECK((unsigned char)md_data[50 * 512] == 0xee);
	brelse(bp);
	CHECK(dev_nbufs() == 1);

	/* The bound: reading the whole disk keeps at most max bytes. */
	oldmax = bio_setmax(64 * 1024);
	for (i = 0; i < MD_SIZE / 4096; i++) {
		CHECK(bread(dev, (daddr_t)i * 8, 4096, &bp) == 0);
		if (i % 3 == 0) {
			memset(bp->b_data, i, 100);
			bdwrite(bp);
		} else
			brelse(bp);
		bio_getstats(&bs);
		CHECK(bs.bs_bytes <= 64 * 1024);
	}
	(void)bio_setmax(oldmax);
	CHECK(binvalidate(dev) == 0);
	for (i = 0; i < MD_SIZE / 4096; i += 3)
		CHECK(md_data[i * 4096] == (char)i);
	CHECK(dev_nbufs() == 0);

	/* Uncached I/O. */
	CHECK(bio_rawio(dev, 0, md_data + MD_SIZE - 1024, 1000, true) ==
	    EINVAL);
	CHECK(dev_nbufs() == 0);
 out:
	if (md_data != NULL) {
		(void)binvalidate(makedev(md_bmajor, 0));
		devsw_detach(&md_bdevsw, NULL);
		kmem_free(md_data, MD_SIZE);
		md_data = NULL;
	}
	return error;
}

int
rump_ktest_bio(void)
{
	int error;

	rump_schedule();
	error = ktest_bio();
	rump_unschedule();
	return error;
}

/*
 * Device nodes through spec_*: a handle is an opened device vnode.
 */

static int
ktest_lookup(const char *path, struct vnode **vpp)
{
	struct nameidata nd;
	int error;

	if ((error = namei_kernel(path, LOOKUP, FOLLOW, kauth_cred_get(),
	    &nd)) != 0)
		return error;
	*vpp = nd.ni_vp;
	nd.ni_vp = NULL;
	namei_done(&nd);
	return 0;
}

int
rump_ktest_spec_open(const char *path, int fflags, void **handlep)
{
	struct vnode *vp = NULL;
	int error;

	rump_schedule();
	if ((error = ktest_lookup(path, &vp)) != 0)
		goto out;
	if (vp->v_type != VBLK && vp->v_type != VCHR) {
		error = ENODEV;
		goto out;
	}
	vn_lock(vp, RW_WRITER);
	error = spec_open(vp, fflags, kauth_cred_get());
	vn_unlock(vp);
 out:
	if (error && vp != NULL)
		vrele(vp);
	else
		*handlep = vp;
	rump_unschedule();
	return error;
}

int
rump_ktest_spec_close(void *handle, int fflags)
{
	struct vnode *vp = handle;
	int error;

	rump_schedule();
	vn_lock(vp, RW_WRITER);
	error = spec_close(vp, fflags, kauth_cred_get());
	vn_unlock(vp);
	vrele(vp);
	rump_unschedule();
	return error;
}

/* Read (write 0) or write len bytes at off; *donep bytes moved. */
int
rump_ktest_spec_rw(void *handle, void *buf, size_t len, int64_t off,
    int write, int ioflag, size_t *donep)
{
	struct vnode *vp = handle;
	struct iovec iov;
	struct uio uio;
	int error;

	rump_schedule();
	uio_setup_sys(&uio, &iov, buf, len, off, write ? UIO_WRITE :
	    UIO_READ);
	vn_lock(vp, write ? RW_WRITER : RW_READER);
	error = write ? spec_write(vp, &uio, ioflag) :
	    spec_read(vp, &uio, ioflag);
	vn_unlock(vp);
	*donep = len - uio.uio_resid;
	rump_unschedule();
	return error;
}

int
rump_ktest_spec_ioctl(void *handle, unsigned long cmd, void *data)
{
	struct vnode *vp = handle;
	int error;

	rump_schedule();
	vn_lock(vp, RW_WRITER);
	error = spec_ioctl(vp, cmd, data, 0);
	vn_unlock(vp);
	rump_unschedule();
	return error;
}

int
rump_ktest_spec_fsync(void *handle)
{
	struct vnode *vp = handle;
	int error;

	rump_schedule();
	vn_lock(vp, RW_WRITER);
	error = spec_fsync(vp);
	vn_unlock(vp);
	rump_unschedule();
	return error;
}

unsigned long long
rump_ktest_etfs_inuse(void)
{
	unsigned long long n;

	rump_schedule();
	n = kmem_inuse();
	rump_unschedule();
	return n;
}

void
rump_ktest_bio_stats(size_t *nbufs, size_t *bytes, size_t *max)
{
	struct bio_stats bs;

	rump_schedule();
	bio_getstats(&bs);
	rump_unschedule();
	*nbufs = bs.bs_nbufs;
	*bytes = bs.bs_bytes;
	*max = bs.bs_max;
}
