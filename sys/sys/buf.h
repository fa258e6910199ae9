/*
 * buf.h: I/O buffers and the buffer cache of block devices.
 *
 * A struct buf describes one transfer between memory and a block device:
 * b_bcount bytes at block b_blkno (in DEV_BSIZE units) of device b_dev.
 * The driver's strategy routine (struct bdevsw, sys/sys/conf.h) starts it
 * and calls biodone() when it is over; biowait() waits for that.
 *
 * The buffer cache (sys/vfs/vfs_bio.c) keeps buffers keyed by (dev,
 * blkno).  A buffer is BUSY while one thread owns it (between getblk or
 * bread and brelse, bwrite, bdwrite or bawrite) or while its asynchronous
 * write runs; everyone else waits.  Valid data (B_DONE) stays cached
 * after release; a delayed write (B_DELWRI) reaches the device later:
 * when the buffer is reused, by bflush(dev) (fsync, last close,
 * unmount), or when the cache shrinks.  The cache is bounded by the
 * kernel's memory limit: it keeps at most a quarter of RUMP_MEMLIMIT (64
 * MiB without a limit) and gives clean buffers back to kmem's reclaimer.
 *
 * All users of one device must use one buffer size while data is
 * cached: asking for another size writes back and drops the device's
 * buffers first (as Linux's set_blocksize).  A thread must not hold a
 * buffer of a device while it asks for another size of the same device.
 *
 * Errors: a failed or short read is EIO (or the driver's errno) to the
 * caller of bread, and the buffer is not cached.  A failed delayed or
 * asynchronous write drops the buffer and is reported by the next
 * bflush/binvalidate of its device, once.
 */
#ifndef _SYS_BUF_H_
#define _SYS_BUF_H_

#include <sys/types.h>
#include <sys/queue.h>

typedef int64_t daddr_t;

#define DEV_BSHIFT 9
#define DEV_BSIZE (1 << DEV_BSHIFT)	/* the unit of b_blkno */
#define MAXBSIZE (64 * 1024)		/* the largest buffer */

struct bio_dev;

/*
 * Field annotations: l: bcache_lock (vfs_bio.c); o: the owner of the busy
 * buffer (and the driver while the I/O runs); c: constant while cached.
 */
struct buf {
	TAILQ_ENTRY(buf) b_hash;	/* l: hash chain */
	TAILQ_ENTRY(buf) b_freelist;	/* l: LRU of idle buffers */
	TAILQ_ENTRY(buf) b_devlist;	/* l: its device's buffers */
	int b_flags;			/* l: B_* */
	int b_error;			/* o: errno of the last I/O */
	size_t b_resid;			/* o: bytes not transferred */
	dev_t b_dev;			/* c */
	daddr_t b_blkno;		/* c: in DEV_BSIZE units */
	size_t b_bcount;		/* c: bytes, a multiple of DEV_BSIZE */
	void *b_data;			/* c: b_bcount bytes */
	struct bio_dev *b_biodev;	/* c: the cache's device state */
	void *b_private;		/* o: the driver's, during I/O */
};

#define B_BUSY 0x0001		/* owned, or its I/O runs */
#define B_DONE 0x0002		/* b_data holds the block's contents */
#define B_DELWRI 0x0004		/* dirty: to be written */
#define B_READ 0x0008		/* the I/O is a read (else a write) */
#define B_ASYNC 0x0010		/* release on completion (bawrite) */
#define B_INVAL 0x0020		/* do not keep it after release */
#define B_IOFIN 0x0040		/* the I/O is over (biodone ran) */
#define B_CACHED 0x0080		/* in the cache (else a private buffer) */
#define B_WBEHIND 0x0100	/* an asynchronous write of write-behind */

/*
 * Buffers of the cache.  size is a multiple of DEV_BSIZE, at most
 * MAXBSIZE; blkno >= 0.  Each returns 0 and a busy buffer in *bpp, or an
 * errno (EINVAL, ENOMEM, EIO, ENXIO...) and no buffer.
 */
int getblk(dev_t, daddr_t blkno, size_t size, struct buf **bpp);
int bread(dev_t, daddr_t blkno, size_t size, struct buf **bpp);
/* Release a busy buffer: keep it if it holds valid or dirty data. */
void brelse(struct buf *);
/* Release a busy buffer and drop it from the cache (its data is bad). */
void brelse_inval(struct buf *);
/* Write now and wait; the buffer is released.  0 or the I/O error. */
int bwrite(struct buf *);
/* Mark dirty and release; written later. */
void bdwrite(struct buf *);
/* Start the write and release; the buffer stays busy until it is done. */
void bawrite(struct buf *);

/* For drivers: end the transfer (b_error, b_resid set); any context. */
void biodone(struct buf *);
/* Wait for the transfer; 0, the driver's error, or EIO if short. */
int biowait(struct buf *);

/* Write every dirty buffer of dev and wait: the first error, or the
 * error of an earlier delayed write that failed. */
int bflush(dev_t);
/* bflush, then drop every cached buffer of dev (unmount, detach). */
int binvalidate(dev_t);
/* The buffer size in use for dev, or deflt when nothing is cached. */
size_t bio_devbsize(dev_t, size_t deflt);
/* An uncached transfer of len bytes (a multiple of DEV_BSIZE) at blkno,
 * for I/O that must not enter the cache; waits.  0 or an errno. */
int bio_rawio(dev_t, daddr_t blkno, void *data, size_t len, bool read);

/* Counters and the size bound, for tests and statistics. */
struct bio_stats {
	size_t bs_nbufs;	/* cached buffers */
	size_t bs_bytes;	/* their data bytes */
	size_t bs_max;		/* the bound on bs_bytes */
	size_t bs_ndirty;	/* delayed writes pending */
};
void bio_getstats(struct bio_stats *);
/* Set the bound (0: the default); returns the old one. */
size_t bio_setmax(size_t);

#endif /* _SYS_BUF_H_ */
