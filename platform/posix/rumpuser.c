/*
 * rumpuser.c: the POSIX platform's init, parameters, console, exit, errno
 * and random bytes (rumpuser.h).
 *
 * rumpuser_init may be called again after a halt, to boot a new kernel
 * in the same process: it only records the new upcalls.
 */

#include <sys/random.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rumpuser_int.h"

const struct rumpuser_hyperup *rumpuser__hyp;

int
rumpuser_init(int version, const struct rumpuser_hyperup *hyp)
{

	if (version != RUMPUSER_VERSION) {
		fprintf(stderr, "rumpuser: kernel wants hypercall interface "
		    "version %d, this platform implements version %d\n",
		    version, RUMPUSER_VERSION);
		return EINVAL;
	}
	rumpuser__hyp = hyp;
	return 0;
}

static int
param_copy(const char *value, void *buf, size_t buflen)
{

	if (strlen(value) + 1 > buflen)
		return ENOMEM;
	strcpy(buf, value);
	return 0;
}

int
rumpuser__fdhigh(int fd)
{
	const char *v;
	long base;
	int nfd;

	if (fd < 0 || (v = getenv("RUMP_FDBASE")) == NULL)
		return fd;
	base = strtol(v, NULL, 10);
	if (base <= fd || base > 1 << 20)
		return fd;
	if ((nfd = fcntl(fd, F_DUPFD_CLOEXEC, (int)base)) == -1)
		return fd;
	close(fd);
	return nfd;
}

int
rumpuser_getparam(const char *name, void *buf, size_t buflen)
{
	char tmp[64];
	const char *v;
	long n;

	if (strcmp(name, RUMPUSER_PARAM_NCPU) == 0) {
		if ((v = getenv("RUMP_NCPU")) == NULL) {
			n = sysconf(_SC_NPROCESSORS_ONLN);
			snprintf(tmp, sizeof(tmp), "%ld", n > 0 ? n : 1);
			v = tmp;
		}
	} else if (strcmp(name, RUMPUSER_PARAM_HOSTNAME) == 0) {
		if ((v = getenv("RUMP_HOSTNAME")) == NULL) {
			snprintf(tmp, sizeof(tmp), "rump-%05d", (int)getpid());
			v = tmp;
		}
	} else if (strcmp(name, RUMPUSER_PARAM_VERBOSE) == 0) {
		if ((v = getenv("RUMP_VERBOSE")) == NULL)
			v = "0";
	} else if (strcmp(name, RUMPUSER_PARAM_MEMLIMIT) == 0) {
		if ((v = getenv("RUMP_MEMLIMIT")) == NULL)
			return ENOENT;
	} else
		return ENOENT;
	return param_copy(v, buf, buflen);
}

void
rumpuser_console_write(const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(STDERR_FILENO, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

void
rumpuser_exit(int value)
{

	if (value == RUMPUSER_PANIC)
		abort();
	exit(value);
}

void
rumpuser_seterrno(int error)
{

	errno = error;
}

static int
random_devurandom(void *buf, size_t buflen, size_t *retp)
{
	ssize_t n;
	int fd;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) == -1)
		return errno;
	do
		n = read(fd, buf, buflen);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return errno;
	*retp = (size_t)n;
	return 0;
}

int
rumpuser_getrandom(void *buf, size_t buflen, int flags, size_t *retp)
{
	ssize_t n;
	int error = 0;

	if (flags & RUMPUSER_RANDOM_NOWAIT) {
		n = getrandom(buf, buflen, GRND_NONBLOCK);
	} else {
		KLOCK_WRAP(
			do
				n = getrandom(buf, buflen, 0);
			while (n < 0 && errno == EINTR);
			error = n < 0 ? errno : 0);
		if (n < 0 && error == ENOSYS)
			return random_devurandom(buf, buflen, retp);
	}
	if (n < 0)
		return error ? error : errno;
	*retp = (size_t)n;
	return 0;
}
