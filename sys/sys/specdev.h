/*
 * specdev.h: the I/O of device vnodes (VBLK, VCHR), sys/vfs/spec_vnops.c.
 *
 * The VFS calls these, instead of the file system's read/write/ioctl/
 * poll/fsync and in addition to its open/close, for a vnode of type VBLK
 * or VCHR: the file system keeps the node (name, attributes, v_rdev), the
 * device switch (sys/sys/conf.h) does the I/O.  Each is called with the
 * vnode locked as for the corresponding VOP, and returns 0 or an errno;
 * ENXIO when no driver has the device's major.
 *
 * Block devices go through the buffer cache: any offset and length, with
 * read-modify-write of partial blocks; the size is the driver's d_psize;
 * a read at or after the end returns 0 bytes, a write there is ENOSPC
 * (a write that crosses the end is cut short there).  spec_close writes
 * the device's delayed writes back; spec_fsync also asks the driver to
 * make them stable.  ioctl: BLKGETSIZE64, BLKGETSIZE, BLKSSZGET,
 * BLKFLSBUF as Linux, data a user address; other commands go to the
 * driver (ENOTTY without d_ioctl).
 */
#ifndef _SYS_SPECDEV_H_
#define _SYS_SPECDEV_H_

#include <sys/types.h>
#include <sys/kauth.h>

struct uio;
struct vnode;

#define BLKGETSIZE 0x1260	/* unsigned long: size in 512-byte sectors */
#define BLKFLSBUF 0x1261	/* write back and drop the cached blocks */
#define BLKSSZGET 0x1268	/* int: logical sector size */
#define BLKGETSIZE64 0x80081272	/* uint64_t: size in bytes */

int spec_open(struct vnode *, int fflags, kauth_cred_t);
int spec_close(struct vnode *, int fflags, kauth_cred_t);
int spec_read(struct vnode *, struct uio *, int ioflag);
int spec_write(struct vnode *, struct uio *, int ioflag);
int spec_ioctl(struct vnode *, unsigned long cmd, void *data, int fflags);
int spec_poll(struct vnode *, int events);
int spec_fsync(struct vnode *);

/* The size in bytes of the block device dev (its d_psize). */
int spec_blksize(dev_t dev, uint64_t *sizep);

#endif /* _SYS_SPECDEV_H_ */
