/*
 * vfs_bio.c: the buffer cache of block devices (sys/sys/buf.h).
 *
 * Buffers are found by (dev, blkno) in a hash table.  Idle buffers (not
 * busy) sit on one LRU list, oldest first; each device's buffers are also
 * on its struct bio_dev, which remembers the buffer size in use and a
 * write error not yet reported.  A busy buffer belongs to one thread, or
 * to the driver while its asynchronous write runs; others wait on
 * bcache_cv, which is broadcast whenever a buffer goes idle or an I/O
 * ends.
 *
 * Size: bcache_bytes (the data of every cached buffer) stays under
 * bcache_max, 16 MiB or a quarter of the memory limit if that is less.
 * Hosted, the host's page cache holds the device's blocks beneath us and
 * gives a miss back in a few microseconds, while every page of new
 * buffer memory costs the host a page fault (about 17 us each on the
 * virtual machines we measured): a 64 MiB cache made an untar of 120 MB
 * about 20% slower in-process and 8% slower through rumpfuse than 16
 * MiB, and reading the tree back 10% slower.  getblk makes room by
 * dropping the oldest idle buffers (writing dirty ones first).  kmem's
 * reclaimer takes clean idle buffers when an allocation elsewhere would
 * pass the limit.
 *
 * I/O: every transfer goes through the device's strategy routine
 * (bio_strategy), which may complete it in any thread; biodone marks it
 * over (and releases an asynchronous write), biowait waits.
 *
 * Locking: bcache_lock protects everything marked l in buf.h and here.
 * It is never held across a call to a driver, a kmem allocation or a
 * sleep other than cv_wait on bcache_cv.  Lock order: kmem's reclaim lock
 * before bcache_lock (the reclaimer).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/queue.h>

#include "dev_private.h"

#define BCACHE_HASHSIZE 16384		/* buckets, a power of two */
#define BCACHE_DEFAULT_MAX (16UL * 1024 * 1024)
#define BCACHE_MIN_MAX (256UL * 1024)
#define BIO_ASYNC_MAX 64		/* write-behind in flight */

TAILQ_HEAD(buflist, buf);

/* A device with cached buffers. */
struct bio_dev {
	TAILQ_ENTRY(bio_dev) bd_list;	/* l */
	dev_t bd_dev;			/* c */
	size_t bd_bsize;		/* l: the size of its buffers */
	unsigned int bd_nbufs;		/* l */
	int bd_error;			/* l: a lost write, not yet reported */
	struct buflist bd_bufs;		/* l */
};

static kmutex_t bcache_lock;
static kcondvar_t bcache_cv;			/* a buffer went idle, an I/O
						 * ended */
static struct buflist *bcache_hash;		/* l */
static struct buflist bcache_lru;		/* l: idle buffers */
static TAILQ_HEAD(, bio_dev) bcache_devs;	/* l */
static size_t bcache_bytes;			/* l */
static size_t bcache_nbufs;			/* l */
static size_t bcache_max;			/* l */
static unsigned int bcache_async;		/* l: asynchronous writes */

static size_t bio_reclaim(size_t);
static struct kmem_reclaimer bio_reclaimer = {
	.kr_name = "bufcache",
	.kr_reclaim = bio_reclaim,
};

static size_t
bio_default_max(void)
{
	uint64_t limit = kmem_limit();

	if (limit == 0 || limit == UINT64_MAX)
		return BCACHE_DEFAULT_MAX;
	return MIN(MAX((size_t)(limit / 4), BCACHE_MIN_MAX),
	    BCACHE_DEFAULT_MAX);
}

int
bio_sys_init(void)
{
	size_t i;

	bcache_hash = kmem_alloc(BCACHE_HASHSIZE * sizeof(*bcache_hash),
	    KM_SLEEP);
	if (bcache_hash == NULL)
		return ENOMEM;
	for (i = 0; i < BCACHE_HASHSIZE; i++)
		TAILQ_INIT(&bcache_hash[i]);
	TAILQ_INIT(&bcache_lru);
	TAILQ_INIT(&bcache_devs);
	bcache_bytes = bcache_nbufs = 0;
	bcache_max = bio_default_max();
	mutex_init(&bcache_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&bcache_cv, "biowait");
	kmem_reclaimer_register(&bio_reclaimer);
	return 0;
}

static unsigned int
bio_hashidx(dev_t dev, daddr_t blkno)
{
	uint64_t h = (uint64_t)dev * 0x9e3779b97f4a7c15ULL ^ (uint64_t)blkno;

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (unsigned int)(h & (BCACHE_HASHSIZE - 1));
}

static struct buf *
bio_hash_find(dev_t dev, daddr_t blkno)
{
	struct buf *bp;

	KASSERT(mutex_owned(&bcache_lock));
	TAILQ_FOREACH(bp, &bcache_hash[bio_hashidx(dev, blkno)], b_hash) {
		if (bp->b_dev == dev && bp->b_blkno == blkno)
			return bp;
	}
	return NULL;
}

static struct bio_dev *
bio_dev_find(dev_t dev)
{
	struct bio_dev *bd;

	KASSERT(mutex_owned(&bcache_lock));
	TAILQ_FOREACH(bd, &bcache_devs, bd_list) {
		if (bd->bd_dev == dev)
			return bd;
	}
	return NULL;
}

/* A buffer outside the cache with its data; NULL without memory. */
static struct buf *
bio_alloc(dev_t dev, daddr_t blkno, size_t size)
{
	struct buf *bp;

	if ((bp = kmem_zalloc(sizeof(*bp), KM_SLEEP)) == NULL)
		return NULL;
	if ((bp->b_data = kmem_alloc(size, KM_SLEEP)) == NULL) {
		kmem_free(bp, sizeof(*bp));
		return NULL;
	}
	bp->b_dev = dev;
	bp->b_blkno = blkno;
	bp->b_bcount = size;
	bp->b_flags = B_BUSY;
	return bp;
}

static void
bio_free(struct buf *bp)
{

	kmem_free(bp->b_data, bp->b_bcount);
	kmem_free(bp, sizeof(*bp));
}

/* Take a cached buffer out of the cache and free it; bcache_lock held,
 * the buffer busy (ours) or idle. */
static void
bio_destroy(struct buf *bp)
{
	struct bio_dev *bd = bp->b_biodev;

	KASSERT(mutex_owned(&bcache_lock));
	KASSERT(bp->b_flags & B_CACHED);
	if (!(bp->b_flags & B_BUSY))
		TAILQ_REMOVE(&bcache_lru, bp, b_freelist);
	TAILQ_REMOVE(&bcache_hash[bio_hashidx(bp->b_dev, bp->b_blkno)], bp,
	    b_hash);
	TAILQ_REMOVE(&bd->bd_bufs, bp, b_devlist);
	bd->bd_nbufs--;
	bcache_nbufs--;
	bcache_bytes -= bp->b_bcount;
	bio_free(bp);
}

/* Make an idle buffer ours; bcache_lock held. */
static void
bio_take(struct buf *bp)
{

	KASSERT(mutex_owned(&bcache_lock));
	KASSERT(!(bp->b_flags & B_BUSY));
	TAILQ_REMOVE(&bcache_lru, bp, b_freelist);
	bp->b_flags |= B_BUSY;
}

/* Give a busy buffer back; bcache_lock held.  Invalid buffers, and
 * buffers that hold neither valid nor dirty data, are dropped. */
static void
bio_release_locked(struct buf *bp)
{

	KASSERT(mutex_owned(&bcache_lock));
	KASSERT(bp->b_flags & B_BUSY);
	if ((bp->b_flags & B_INVAL) ||
	    !(bp->b_flags & (B_DONE | B_DELWRI))) {
		bio_destroy(bp);
	} else if (bp->b_flags & B_WBEHIND) {
		/* Written behind because it was the oldest: still the
		 * first to go, now without a write. */
		bp->b_flags &= ~(B_BUSY | B_ASYNC | B_READ | B_IOFIN |
		    B_WBEHIND);
		TAILQ_INSERT_HEAD(&bcache_lru, bp, b_freelist);
	} else {
		bp->b_flags &= ~(B_BUSY | B_ASYNC | B_READ | B_IOFIN);
		TAILQ_INSERT_TAIL(&bcache_lru, bp, b_freelist);
	}
	cv_broadcast(&bcache_cv);
}

/* Hand bp to its driver.  No lock held. */
static void
bio_strategy(struct buf *bp)
{
	const struct bdevsw *bdev;

	bp->b_error = 0;
	bp->b_resid = bp->b_bcount;
	if ((bdev = bdevsw_lookup(bp->b_dev)) == NULL ||
	    bdev->d_strategy == NULL) {
		bp->b_error = ENXIO;
		biodone(bp);
		return;
	}
	(*bdev->d_strategy)(bp);
}

/*
 * The end of a write: the buffer is clean and valid, or, when the write
 * failed, dropped (its data cannot reach the device), with the error kept
 * for the device's next bflush when keep says nobody else reports it.
 * bcache_lock held.
 */
static void
bio_write_done_locked(struct buf *bp, int error, bool keep)
{

	KASSERT(mutex_owned(&bcache_lock));
	if (error == 0) {
		bp->b_flags &= ~B_DELWRI;
		bp->b_flags |= B_DONE;
	} else {
		bp->b_flags |= B_INVAL;
		bp->b_flags &= ~B_DELWRI;
		if (keep && (bp->b_flags & B_CACHED) &&
		    bp->b_biodev->bd_error == 0)
			bp->b_biodev->bd_error = error;
	}
}

void
biodone(struct buf *bp)
{

	mutex_enter(&bcache_lock);
	KASSERT(bp->b_flags & B_BUSY);
	KASSERT(!(bp->b_flags & B_IOFIN));
	if (bp->b_error == 0 && bp->b_resid != 0)
		bp->b_error = EIO;	/* a short transfer */
	bp->b_flags |= B_IOFIN;
	if (bp->b_flags & B_ASYNC) {
		KASSERT(!(bp->b_flags & B_READ));
		KASSERT(bcache_async > 0);
		bcache_async--;
		bio_write_done_locked(bp, bp->b_error, true);
		bio_release_locked(bp);
	} else
		cv_broadcast(&bcache_cv);
	mutex_exit(&bcache_lock);
}

int
biowait(struct buf *bp)
{
	int error;

	mutex_enter(&bcache_lock);
	while (!(bp->b_flags & B_IOFIN))
		cv_wait(&bcache_cv, &bcache_lock);
	bp->b_flags &= ~B_IOFIN;
	error = bp->b_error;
	mutex_exit(&bcache_lock);
	return error;
}

/* Start a synchronous transfer of a buffer we own and wait for it. */
static int
bio_io(struct buf *bp, bool read)
{

	mutex_enter(&bcache_lock);
	KASSERT(bp->b_flags & B_BUSY);
	bp->b_flags &= ~(B_IOFIN | B_ASYNC | B_READ);
	if (read)
		bp->b_flags |= B_READ;
	mutex_exit(&bcache_lock);
	bio_strategy(bp);
	return biowait(bp);
}

/*
 * Write back (if dirty) and drop an idle or our own busy buffer.  Drops
 * bcache_lock while writing; the caller must look things up again.
 */
static void
bio_evict(struct buf *bp)
{
	int error;

	KASSERT(mutex_owned(&bcache_lock));
	if (!(bp->b_flags & B_BUSY))
		bio_take(bp);
	if (bp->b_flags & B_DELWRI) {
		mutex_exit(&bcache_lock);
		error = bio_io(bp, false);
		mutex_enter(&bcache_lock);
		bio_write_done_locked(bp, error, true);
	}
	bio_destroy(bp);
	cv_broadcast(&bcache_cv);
}

/* Drop every buffer of bd, writing dirty ones back; waits for busy
 * ones.  bcache_lock held (dropped and taken again meanwhile). */
static void
bio_dev_purge(struct bio_dev *bd)
{
	struct buf *bp;

	KASSERT(mutex_owned(&bcache_lock));
	while ((bp = TAILQ_FIRST(&bd->bd_bufs)) != NULL) {
		if (bp->b_flags & B_BUSY) {
			/* Wait for an idle one: try the others first. */
			TAILQ_FOREACH(bp, &bd->bd_bufs, b_devlist) {
				if (!(bp->b_flags & B_BUSY))
					break;
			}
			if (bp == NULL) {
				cv_wait(&bcache_cv, &bcache_lock);
				continue;
			}
		}
		bio_evict(bp);
	}
}

/*
 * Write-behind: start asynchronous writes of up to n dirty idle buffers,
 * oldest first.  They come back clean (biodone) to the head of the LRU
 * (B_WBEHIND): still the oldest, now the cheapest to drop, so that the
 * trim that wrote them drops them next instead of writing the following
 * batch.  The driver may run them in parallel.  bcache_lock held,
 * dropped meanwhile.
 */
static void
bio_writebehind(unsigned int n)
{
	struct buflist batch;
	struct buf *bp, *next;

	KASSERT(mutex_owned(&bcache_lock));
	TAILQ_INIT(&batch);
	for (bp = TAILQ_FIRST(&bcache_lru); bp != NULL && n > 0; bp = next) {
		next = TAILQ_NEXT(bp, b_freelist);
		if (!(bp->b_flags & B_DELWRI))
			continue;
		bio_take(bp);
		bp->b_flags &= ~(B_IOFIN | B_READ);
		bp->b_flags |= B_ASYNC | B_WBEHIND;
		bcache_async++;
		TAILQ_INSERT_TAIL(&batch, bp, b_freelist);
		n--;
	}
	mutex_exit(&bcache_lock);
	while ((bp = TAILQ_FIRST(&batch)) != NULL) {
		TAILQ_REMOVE(&batch, bp, b_freelist);
		bio_strategy(bp);
	}
	mutex_enter(&bcache_lock);
}

/*
 * Shrink the cache until need more bytes fit under the bound (all idle
 * buffers when hard), oldest first.  A clean buffer goes at once; when
 * the oldest is dirty, a batch of dirty ones is written behind
 * (asynchronously, BIO_ASYNC_MAX at most in flight) and the trim waits
 * for them rather than writing one block at a time.  No lock held.
 */
static void
bio_trim(size_t need, bool hard)
{
	struct buf *bp;

	mutex_enter(&bcache_lock);
	while (hard || bcache_bytes + need > bcache_max) {
		if ((bp = TAILQ_FIRST(&bcache_lru)) != NULL &&
		    !(bp->b_flags & B_DELWRI)) {
			bio_evict(bp);
			continue;
		}
		if (bp != NULL && bcache_async < BIO_ASYNC_MAX) {
			bio_writebehind(BIO_ASYNC_MAX - bcache_async);
			continue;
		}
		if (bcache_async == 0)
			break;		/* everything is busy: overshoot */
		cv_wait(&bcache_cv, &bcache_lock);
	}
	mutex_exit(&bcache_lock);
}

/* kmem's reclaimer: clean idle buffers, oldest first. */
static size_t
bio_reclaim(size_t want)
{
	struct buf *bp, *next;
	size_t got = 0;

	mutex_enter(&bcache_lock);
	for (bp = TAILQ_FIRST(&bcache_lru); bp != NULL && got < want;
	    bp = next) {
		next = TAILQ_NEXT(bp, b_freelist);
		if (bp->b_flags & B_DELWRI)
			continue;
		got += bp->b_bcount + sizeof(*bp);
		bio_destroy(bp);
	}
	mutex_exit(&bcache_lock);
	return got;
}

static bool
bio_size_ok(daddr_t blkno, size_t size)
{

	return blkno >= 0 && size > 0 && size <= MAXBSIZE &&
	    size % DEV_BSIZE == 0;
}

int
getblk(dev_t dev, daddr_t blkno, size_t size, struct buf **bpp)
{
	struct buf *bp, *nbp = NULL;
	struct bio_dev *bd, *nbd = NULL;
	bool retried = false;

	*bpp = NULL;
	if (!bio_size_ok(blkno, size))
		return EINVAL;
	mutex_enter(&bcache_lock);
 again:
	if ((bp = bio_hash_find(dev, blkno)) != NULL) {
		if (bp->b_flags & B_BUSY) {
			cv_wait(&bcache_cv, &bcache_lock);
			goto again;
		}
		if (bp->b_bcount != size) {
			bio_dev_purge(bp->b_biodev);
			goto again;
		}
		bio_take(bp);
		goto out;
	}
	bd = bio_dev_find(dev);
	if (bd != NULL && bd->bd_nbufs > 0 && bd->bd_bsize != size) {
		bio_dev_purge(bd);
		goto again;
	}
	if (nbp == NULL || (bd == NULL && nbd == NULL)) {
		/* Allocate with the lock dropped, then look again. */
		mutex_exit(&bcache_lock);
		bio_trim(size, false);
		if (nbp == NULL)
			nbp = bio_alloc(dev, blkno, size);
		if (bd == NULL && nbd == NULL)
			nbd = kmem_zalloc(sizeof(*nbd), KM_SLEEP);
		if (nbp == NULL || (bd == NULL && nbd == NULL)) {
			if (retried) {
				if (nbp != NULL)
					bio_free(nbp);
				if (nbd != NULL)
					kmem_free(nbd, sizeof(*nbd));
				return ENOMEM;
			}
			retried = true;
			bio_trim(0, true);
		}
		mutex_enter(&bcache_lock);
		goto again;
	}
	if (bd == NULL) {
		bd = nbd;
		nbd = NULL;
		bd->bd_dev = dev;
		TAILQ_INIT(&bd->bd_bufs);
		TAILQ_INSERT_TAIL(&bcache_devs, bd, bd_list);
	}
	bp = nbp;
	nbp = NULL;
	bd->bd_bsize = size;
	bd->bd_nbufs++;
	bp->b_biodev = bd;
	bp->b_flags = B_BUSY | B_CACHED;
	TAILQ_INSERT_HEAD(&bcache_hash[bio_hashidx(dev, blkno)], bp, b_hash);
	TAILQ_INSERT_TAIL(&bd->bd_bufs, bp, b_devlist);
	bcache_nbufs++;
	bcache_bytes += size;
 out:
	mutex_exit(&bcache_lock);
	if (nbp != NULL)
		bio_free(nbp);
	if (nbd != NULL)
		kmem_free(nbd, sizeof(*nbd));
	*bpp = bp;
	return 0;
}

int
bread(dev_t dev, daddr_t blkno, size_t size, struct buf **bpp)
{
	struct buf *bp;
	int error;

	*bpp = NULL;
	if ((error = getblk(dev, blkno, size, &bp)) != 0)
		return error;
	if (!(bp->b_flags & B_DONE)) {
		if ((error = bio_io(bp, true)) != 0) {
			brelse_inval(bp);
			return error;
		}
		mutex_enter(&bcache_lock);
		bp->b_flags |= B_DONE;
		mutex_exit(&bcache_lock);
	}
	*bpp = bp;
	return 0;
}

void
brelse(struct buf *bp)
{

	mutex_enter(&bcache_lock);
	bio_release_locked(bp);
	mutex_exit(&bcache_lock);
}

void
brelse_inval(struct buf *bp)
{

	mutex_enter(&bcache_lock);
	bp->b_flags |= B_INVAL;
	bp->b_flags &= ~B_DELWRI;
	bio_release_locked(bp);
	mutex_exit(&bcache_lock);
}

int
bwrite(struct buf *bp)
{
	int error;

	error = bio_io(bp, false);
	mutex_enter(&bcache_lock);
	bio_write_done_locked(bp, error, false);	/* our caller's */
	bio_release_locked(bp);
	mutex_exit(&bcache_lock);
	return error;
}

void
bdwrite(struct buf *bp)
{

	mutex_enter(&bcache_lock);
	bp->b_flags |= B_DELWRI | B_DONE;
	bio_release_locked(bp);
	mutex_exit(&bcache_lock);
}

void
bawrite(struct buf *bp)
{

	mutex_enter(&bcache_lock);
	KASSERT(bp->b_flags & B_BUSY);
	bp->b_flags &= ~(B_IOFIN | B_READ);
	bp->b_flags |= B_ASYNC | B_DELWRI | B_DONE;
	bcache_async++;
	mutex_exit(&bcache_lock);
	bio_strategy(bp);
}

/*
 * Write every dirty idle buffer of dev: start them all, then wait for
 * each.  Waits for asynchronous writes of dev that are running.
 */
int
bflush(dev_t dev)
{
	struct buflist batch;
	struct bio_dev *bd;
	struct buf *bp;
	bool inflight;
	int error = 0, e;

	mutex_enter(&bcache_lock);
	for (;;) {
		if ((bd = bio_dev_find(dev)) == NULL)
			break;
		TAILQ_INIT(&batch);
		inflight = false;
		TAILQ_FOREACH(bp, &bd->bd_bufs, b_devlist) {
			/* Being written (ours are DELWRI until done). */
			if ((bp->b_flags & B_BUSY) &&
			    (bp->b_flags & (B_ASYNC | B_DELWRI)))
				inflight = true;
			else if ((bp->b_flags & (B_BUSY | B_DELWRI)) ==
			    B_DELWRI) {
				bio_take(bp);
				bp->b_flags &= ~(B_IOFIN | B_READ);
				TAILQ_INSERT_TAIL(&batch, bp, b_freelist);
			}
		}
		if (TAILQ_EMPTY(&batch) && !inflight)
			break;
		if (TAILQ_EMPTY(&batch)) {
			cv_wait(&bcache_cv, &bcache_lock);
			continue;
		}
		mutex_exit(&bcache_lock);
		TAILQ_FOREACH(bp, &batch, b_freelist)
			bio_strategy(bp);
		while ((bp = TAILQ_FIRST(&batch)) != NULL) {
			TAILQ_REMOVE(&batch, bp, b_freelist);
			e = biowait(bp);
			mutex_enter(&bcache_lock);
			bio_write_done_locked(bp, e, true);
			bio_release_locked(bp);
			mutex_exit(&bcache_lock);
		}
		mutex_enter(&bcache_lock);
	}
	if (bd != NULL && bd->bd_error != 0) {
		error = bd->bd_error;
		bd->bd_error = 0;
	}
	mutex_exit(&bcache_lock);
	return error;
}

int
binvalidate(dev_t dev)
{
	struct bio_dev *bd;
	int error;

	error = bflush(dev);
	mutex_enter(&bcache_lock);
	if ((bd = bio_dev_find(dev)) != NULL) {
		bio_dev_purge(bd);
		if (error == 0)
			error = bd->bd_error;
		TAILQ_REMOVE(&bcache_devs, bd, bd_list);
		kmem_free(bd, sizeof(*bd));
	}
	mutex_exit(&bcache_lock);
	return error;
}

size_t
bio_devbsize(dev_t dev, size_t deflt)
{
	struct bio_dev *bd;
	size_t size = deflt;

	mutex_enter(&bcache_lock);
	if ((bd = bio_dev_find(dev)) != NULL && bd->bd_nbufs > 0)
		size = bd->bd_bsize;
	mutex_exit(&bcache_lock);
	return size;
}

int
bio_rawio(dev_t dev, daddr_t blkno, void *data, size_t len, bool read)
{
	struct buf *bp;
	int error;

	if (blkno < 0 || len == 0 || len % DEV_BSIZE != 0)
		return EINVAL;
	if ((bp = kmem_zalloc(sizeof(*bp), KM_SLEEP)) == NULL)
		return ENOMEM;
	bp->b_dev = dev;
	bp->b_blkno = blkno;
	bp->b_bcount = len;
	bp->b_data = data;
	bp->b_flags = B_BUSY;
	error = bio_io(bp, read);
	kmem_free(bp, sizeof(*bp));
	return error;
}

void
bio_getstats(struct bio_stats *bs)
{
	struct buf *bp;

	mutex_enter(&bcache_lock);
	bs->bs_nbufs = bcache_nbufs;
	bs->bs_bytes = bcache_bytes;
	bs->bs_max = bcache_max;
	bs->bs_ndirty = 0;
	TAILQ_FOREACH(bp, &bcache_lru, b_freelist) {
		if (bp->b_flags & B_DELWRI)
			bs->bs_ndirty++;
	}
	mutex_exit(&bcache_lock);
}

size_t
bio_setmax(size_t max)
{
	size_t old;

	mutex_enter(&bcache_lock);
	old = bcache_max;
	bcache_max = max != 0 ? MAX(max, (size_t)MAXBSIZE) :
	    bio_default_max();
	mutex_exit(&bcache_lock);
	bio_trim(0, false);
	return old;
}

/*
 * At halt, after every device user is gone: write back what is left
 * (drivers still attached get it) and free everything.
 */
void
bio_sys_fini(void)
{
	struct bio_dev *bd;
	int error;

	kmem_reclaimer_unregister(&bio_reclaimer);
	for (;;) {
		mutex_enter(&bcache_lock);
		bd = TAILQ_FIRST(&bcache_devs);
		mutex_exit(&bcache_lock);
		if (bd == NULL)
			break;
		if ((error = binvalidate(bd->bd_dev)) != 0)
			printf("bio: device %u,%u: data lost at halt: "
			    "error %d\n", major(bd->bd_dev),
			    minor(bd->bd_dev), error);
	}
	KASSERT(bcache_nbufs == 0 && bcache_bytes == 0);
	kmem_free(bcache_hash, BCACHE_HASHSIZE * sizeof(*bcache_hash));
	bcache_hash = NULL;
	cv_destroy(&bcache_cv);
	mutex_destroy(&bcache_lock);
}
