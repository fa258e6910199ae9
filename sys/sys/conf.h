/*
 * conf.h: the device switches, through which the kernel reaches device
 * drivers by device number.
 *
 * A driver attaches itself by name (devsw_attach) with a block device
 * switch (struct bdevsw: opened, closed and moved in whole blocks through
 * the buffer cache, sys/sys/buf.h) and/or a character device switch
 * (struct cdevsw: raw reads and writes through a uio).  Majors are
 * allocated dynamically, as Linux does for drivers without a fixed
 * number: downward from 254.  A device number (dev_t) has Linux's (glibc's)
 * encoding: makedev/major/minor, from sys/sys/stat.h.  The minor numbers
 * are the driver's business.
 *
 * Device vnodes (VBLK, VCHR) reach the switches through the spec_*
 * functions of sys/sys/specdev.h.
 *
 * Locking: devsw_lock (subr_devsw.c) protects the table.  A switch that a
 * lookup returned stays valid until the driver detaches it; a driver
 * detaches only when none of its devices is open (its own count says so),
 * so callers that hold a device open may use the switch without a lock.
 */
#ifndef _SYS_CONF_H_
#define _SYS_CONF_H_

#include <sys/types.h>
#include <sys/stat.h>

struct buf;
struct uio;

/* devtype argument of d_open/d_close. */
#define D_BLK S_IFBLK
#define D_CHR S_IFCHR

/*
 * Block devices.  d_strategy starts the transfer that bp describes
 * (b_blkno in DEV_BSIZE units, b_bcount bytes, B_READ or a write) and
 * calls biodone(bp) when it is over, possibly before it returns, possibly
 * from another thread; it never returns an error itself (b_error).
 * d_psize is the size of the device in bytes (a multiple of DEV_BSIZE).
 * d_sync (may be NULL) makes written data stable (fsync).
 */
struct bdevsw {
	int (*d_open)(dev_t, int fflags, int devtype);
	int (*d_close)(dev_t, int fflags, int devtype);
	void (*d_strategy)(struct buf *);
	int (*d_ioctl)(dev_t, unsigned long cmd, void *data, int fflags);
	int (*d_psize)(dev_t, uint64_t *bytesp);
	int (*d_sync)(dev_t);
};

/*
 * Character devices.  d_read/d_write move uio_resid bytes at uio_offset
 * (uiomove) and return 0 or an errno; d_poll returns the ready events;
 * d_sync may be NULL.
 */
struct cdevsw {
	int (*d_open)(dev_t, int fflags, int devtype);
	int (*d_close)(dev_t, int fflags, int devtype);
	int (*d_read)(dev_t, struct uio *, int ioflag);
	int (*d_write)(dev_t, struct uio *, int ioflag);
	int (*d_ioctl)(dev_t, unsigned long cmd, void *data, int fflags);
	int (*d_poll)(dev_t, int events);
	int (*d_sync)(dev_t);
};

/*
 * Attach the driver name with a block switch, a character switch or both
 * (either may be NULL).  The majors are allocated and returned through
 * *bmajorp and *cmajorp.  EEXIST if the name is attached, ENOSPC if no major
 * is free, EINVAL if both switches are NULL.
 */
int devsw_attach(const char *name, const struct bdevsw *, int *bmajorp,
    const struct cdevsw *, int *cmajorp);
/* Detach the switches attached with devsw_attach (either may be NULL). */
void devsw_detach(const struct bdevsw *, const struct cdevsw *);

/* The switch of a device number, or NULL when no driver has its major. */
const struct bdevsw *bdevsw_lookup(dev_t);
const struct cdevsw *cdevsw_lookup(dev_t);

/* sys/vfs/subr_devsw.c: the table's life, from vfs_init.c. */
int devsw_init(void);
void devsw_fini(void);

#endif /* _SYS_CONF_H_ */
