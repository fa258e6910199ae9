/*
 * uio.h: descriptions of I/O transfers between the kernel and a user or
 * kernel buffer.  Every read and write in the VFS moves data through a
 * uio; uiomove() copies and advances it, using copyin/copyout for user
 * space (UIO_USERSPACE) and memcpy for kernel buffers (UIO_SYSSPACE).
 */
#ifndef _SYS_UIO_H_
#define _SYS_UIO_H_

#include <sys/types.h>

/* Linux's struct iovec. */
struct iovec {
	void *iov_base;
	size_t iov_len;
};

#define UIO_MAXIOV 1024		/* Linux IOV_MAX */

enum uio_rw { UIO_READ, UIO_WRITE };
enum uio_seg { UIO_USERSPACE, UIO_SYSSPACE };

struct uio {
	struct iovec *uio_iov;		/* the remaining vectors */
	int uio_iovcnt;
	off_t uio_offset;		/* file offset of the next byte */
	size_t uio_resid;		/* bytes still to move */
	enum uio_rw uio_rw;		/* UIO_READ: from the kernel out */
	enum uio_seg uio_segflg;
};

/* Move up to n bytes between kbuf and the uio, in the uio's direction. */
int uiomove(void *kbuf, size_t n, struct uio *);
/* A uio over one kernel buffer. */
void uio_setup_sys(struct uio *, struct iovec *, void *buf, size_t len,
    off_t off, enum uio_rw);

#endif /* _SYS_UIO_H_ */
