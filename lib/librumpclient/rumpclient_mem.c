/*
 * rumpclient_mem.c: the client's own memory, as the server's copy
 * requests reach it.
 *
 * The server names addresses in this process (the pointers a program
 * passed to rump_sys_*); any of them may be bad.  They are never
 * dereferenced: process_vm_readv(2) and process_vm_writev(2) on our own
 * pid move the bytes, and a bad address is EFAULT from the host kernel,
 * never a crash.  A single-iovec transfer fails whole if any page of it
 * is unmapped, so a string is read a page at a time: a string that ends
 * just before an unmapped page still reads.
 *
 * No state: these run on whichever thread reads the socket.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "rumpclient_mem.h"

static int
vm_xfer(void *local, uint64_t remote, size_t len, int towrite)
{
	struct iovec liov, riov;
	ssize_t n;

	if (len == 0)
		return 0;
	if (remote > UINTPTR_MAX || remote + len < remote)
		return EFAULT;
	liov.iov_base = local;
	liov.iov_len = len;
	riov.iov_base = (void *)(uintptr_t)remote;
	riov.iov_len = len;
	do {
		if (towrite)
			n = process_vm_writev(getpid(), &liov, 1, &riov, 1, 0);
		else
			n = process_vm_readv(getpid(), &liov, 1, &riov, 1, 0);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno == ESRCH ? EFAULT : errno;
	if ((size_t)n != len)
		return EFAULT;
	return 0;
}

int
rumpclient_mem_read(void *dst, uint64_t uaddr, size_t len)
{

	return vm_xfer(dst, uaddr, len, 0);
}

int
rumpclient_mem_write(uint64_t uaddr, const void *src, size_t len)
{

	return vm_xfer((void *)(uintptr_t)src, uaddr, len, 1);
}

int
rumpclient_mem_readstr(char *dst, uint64_t uaddr, size_t maxlen,
    size_t *lenp)
{
	size_t done, chunk, page;
	char *nul;
	int error;

	page = (size_t)sysconf(_SC_PAGESIZE);
	done = 0;
	while (done < maxlen) {
		chunk = page - (size_t)((uaddr + done) % page);
		if (chunk > maxlen - done)
			chunk = maxlen - done;
		error = rumpclient_mem_read(dst + done, uaddr + done, chunk);
		if (error != 0) {
			*lenp = done;	/* the bytes that could be read */
			return error;
		}
		nul = memchr(dst + done, '\0', chunk);
		if (nul != NULL) {
			*lenp = (size_t)(nul - dst) + 1;
			return 0;
		}
		done += chunk;
	}
	*lenp = maxlen;		/* no NUL: all of it, the kernel decides */
	return 0;
}
