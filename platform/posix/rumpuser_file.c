/*
 * rumpuser_file.c: host files for the kernel (etfs devices and files):
 * open, close, what a path is, vectored read and write, and sync.
 */

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <unistd.h>

#include "rumpuser_int.h"

_Static_assert(sizeof(struct rumpuser_iovec) == sizeof(struct iovec),
    "rumpuser_iovec is struct iovec");

int
rumpuser_open(const char *path, int ruflags, int *fdp)
{
	int flags = O_CLOEXEC, fd, error = 0;

	switch (ruflags & RUMPUSER_OPEN_ACCMODE) {
	case RUMPUSER_OPEN_RDONLY: flags |= O_RDONLY; break;
	case RUMPUSER_OPEN_WRONLY: flags |= O_WRONLY; break;
	case RUMPUSER_OPEN_RDWR: flags |= O_RDWR; break;
	default: return EINVAL;
	}
	if (ruflags & RUMPUSER_OPEN_CREATE)
		flags |= O_CREAT;
	if (ruflags & RUMPUSER_OPEN_EXCL)
		flags |= O_EXCL;
	KLOCK_WRAP(fd = open(path, flags, 0644); error = fd == -1 ? errno : 0);
	if (fd == -1)
		return error;
	*fdp = rumpuser__fdhigh(fd);
	return 0;
}

int
rumpuser_close(int fd)
{

	return close(fd) == -1 ? errno : 0;
}

int
rumpuser_getfileinfo(const char *path, uint64_t *sizep, int *typep)
{
	struct stat st;
	uint64_t size;
	int fd, error = 0;

	if (stat(path, &st) == -1)
		return errno;
	size = (uint64_t)st.st_size;
	switch (st.st_mode & S_IFMT) {
	case S_IFDIR:
		*typep = RUMPUSER_FT_DIR;
		break;
	case S_IFREG:
		*typep = RUMPUSER_FT_REG;
		break;
	case S_IFBLK:
		*typep = RUMPUSER_FT_BLK;
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			return errno;
		if (ioctl(fd, BLKGETSIZE64, &size) == -1)
			error = errno;
		close(fd);
		break;
	case S_IFCHR:
		*typep = RUMPUSER_FT_CHR;
		break;
	default:
		*typep = RUMPUSER_FT_OTHER;
		break;
	}
	if (sizep != NULL)
		*sizep = size;
	return error;
}

int
rumpuser_iovread(int fd, struct rumpuser_iovec *ruiov, size_t iovlen,
    int64_t off, size_t *retp)
{
	struct iovec *iov = (struct iovec *)(void *)ruiov;
	ssize_t n;
	int error = 0;

	if (iovlen > INT32_MAX)
		return EINVAL;
	KLOCK_WRAP(
		do
			n = off == RUMPUSER_IOV_NOSEEK ?
			    readv(fd, iov, (int)iovlen) :
			    preadv(fd, iov, (int)iovlen, (off_t)off);
		while (n == -1 && errno == EINTR);
		error = n == -1 ? errno : 0);
	if (n == -1)
		return error;
	*retp = (size_t)n;
	return 0;
}

int
rumpuser_iovwrite(int fd, const struct rumpuser_iovec *ruiov, size_t iovlen,
    int64_t off, size_t *retp)
{
	const struct iovec *iov = (const struct iovec *)(const void *)ruiov;
	ssize_t n;
	int error = 0;

	if (iovlen > INT32_MAX)
		return EINVAL;
	KLOCK_WRAP(
		do
			n = off == RUMPUSER_IOV_NOSEEK ?
			    writev(fd, iov, (int)iovlen) :
			    pwritev(fd, iov, (int)iovlen, (off_t)off);
		while (n == -1 && errno == EINTR);
		error = n == -1 ? errno : 0);
	if (n == -1)
		return error;
	*retp = (size_t)n;
	return 0;
}

int
rumpuser_syncfd(int fd, int flags, uint64_t start, uint64_t len)
{
	int rv, error = 0;

	(void)start;
	(void)len;
	if (!(flags & (RUMPUSER_SYNCFD_WRITE | RUMPUSER_SYNCFD_SYNC)))
		return 0;
	KLOCK_WRAP(
		rv = (flags & RUMPUSER_SYNCFD_SYNC) ? fsync(fd) : fdatasync(fd);
		error = rv == -1 ? errno : 0);
	return error;
}
