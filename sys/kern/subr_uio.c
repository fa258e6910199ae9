/*
 * subr_uio.c: moving data described by a struct uio (uio.h).
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/uio.h>

/*
 * Copy up to n bytes between kbuf and the uio's buffers, in the uio's
 * direction, advancing it.  EFAULT from a bad user buffer stops the copy;
 * what was moved before stays accounted in the uio.
 */
int
uiomove(void *kbuf, size_t n, struct uio *uio)
{
	char *cp = kbuf;
	struct iovec *iov;
	size_t cnt;
	int error = 0;

	while (n > 0 && uio->uio_resid > 0) {
		KASSERT(uio->uio_iovcnt > 0);
		iov = uio->uio_iov;
		cnt = MIN(iov->iov_len, n);
		if (cnt == 0) {
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		if (uio->uio_segflg == UIO_SYSSPACE) {
			if (uio->uio_rw == UIO_READ)
				memcpy(iov->iov_base, cp, cnt);
			else
				memcpy(cp, iov->iov_base, cnt);
		} else if (uio->uio_rw == UIO_READ)
			error = copyout(cp, iov->iov_base, cnt);
		else
			error = copyin(iov->iov_base, cp, cnt);
		if (error)
			break;
		iov->iov_base = (char *)iov->iov_base + cnt;
		iov->iov_len -= cnt;
		uio->uio_resid -= cnt;
		uio->uio_offset += (off_t)cnt;
		cp += cnt;
		n -= cnt;
	}
	return error;
}

void
uio_setup_sys(struct uio *uio, struct iovec *iov, void *buf, size_t len,
    off_t off, enum uio_rw rw)
{

	iov->iov_base = buf;
	iov->iov_len = len;
	uio->uio_iov = iov;
	uio->uio_iovcnt = 1;
	uio->uio_offset = off;
	uio->uio_resid = len;
	uio->uio_rw = rw;
	uio->uio_segflg = UIO_SYSSPACE;
}
