/*
 * subr_copy.c: copyin, copyout and their string forms: the only way
 * kernel code touches user memory (DESIGN.md section 6).
 *
 * For a local client, user memory is the program's own address space, so
 * a copy is a memcpy after the checks that can be made without touching
 * the memory: the null page and addresses outside the user half of the
 * address space (and ranges that wrap) are EFAULT.  A remote client's
 * memory is reached through the sysproxy: an lwp that runs a remote call
 * has l_sysproxy set, and its copies (after the same checks, which hold
 * for a Linux x86-64 client too) become requests to the client
 * (kern_sysproxy.c); a client that cannot copy, or is gone, is EFAULT.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/lwp.h>

#include "kern_private.h"

/* The remote call of the current lwp, or NULL for a local client. */
static inline void *
copy_remote(void)
{

	return curlwp->l_sysproxy;
}

/* The lowest address that a user buffer may start at (the null page is
 * never mapped) and the end of the user half on 64-bit hosts. */
#define USER_MIN 4096UL
#if __SIZEOF_POINTER__ == 8
#define USER_MAX 0x0000800000000000UL
#else
#define USER_MAX 0xffffffffUL
#endif

static bool
user_range_ok(const void *uaddr, size_t len)
{
	uintptr_t a = (uintptr_t)uaddr;

	if (a < USER_MIN || a >= USER_MAX)
		return false;
	return len <= USER_MAX - a;
}

int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	void *call;

	if (len == 0)
		return 0;
	if (!user_range_ok(uaddr, len))
		return EFAULT;
	if (__predict_false((call = copy_remote()) != NULL))
		return sysproxy_copyin(call, uaddr, kaddr, len);
	memcpy(kaddr, uaddr, len);
	return 0;
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	void *call;

	if (len == 0)
		return 0;
	if (!user_range_ok(uaddr, len))
		return EFAULT;
	if (__predict_false((call = copy_remote()) != NULL))
		return sysproxy_copyout(call, kaddr, uaddr, len, false);
	memcpy(uaddr, kaddr, len);
	return 0;
}

/*
 * Copy a NUL-terminated string of at most len bytes (NUL included).
 * *done, if not NULL, gets the bytes copied with the NUL.  ENAMETOOLONG
 * when there is no NUL within len bytes.
 */
int
copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done)
{
	const char *src = uaddr;
	char *dst = kaddr;
	void *call;
	size_t i;

	if (!user_range_ok(uaddr, 1))
		return EFAULT;
	if (__predict_false((call = copy_remote()) != NULL)) {
		/* The client's memory ends where the user half does. */
		if (len > USER_MAX - (uintptr_t)uaddr)
			len = USER_MAX - (uintptr_t)uaddr;
		return sysproxy_copyinstr(call, uaddr, kaddr, len, done);
	}
	for (i = 0; i < len; i++) {
		if (!user_range_ok(src + i, 1))
			return EFAULT;
		if ((dst[i] = src[i]) == '\0') {
			if (done != NULL)
				*done = i + 1;
			return 0;
		}
	}
	if (done != NULL)
		*done = len;
	return ENAMETOOLONG;
}

int
copyoutstr(const void *kaddr, void *uaddr, size_t len, size_t *done)
{
	const char *src = kaddr;
	char *dst = uaddr;
	void *call;
	size_t i, n;
	int error;

	if (!user_range_ok(uaddr, len == 0 ? 1 : len))
		return EFAULT;
	if (__predict_false((call = copy_remote()) != NULL)) {
		/* Send the string with its NUL, or len bytes without. */
		for (n = 0; n < len && src[n] != '\0'; n++)
			continue;
		if (n < len)
			n++;
		if ((error = sysproxy_copyout(call, src, dst, n, true)) != 0)
			return error;
		if (done != NULL)
			*done = n;
		return n > 0 && src[n - 1] == '\0' ? 0 : ENAMETOOLONG;
	}
	for (i = 0; i < len; i++) {
		if ((dst[i] = src[i]) == '\0') {
			if (done != NULL)
				*done = i + 1;
			return 0;
		}
	}
	if (done != NULL)
		*done = len;
	return ENAMETOOLONG;
}
