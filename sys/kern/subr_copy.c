/*
 * subr_copy.c: copyin, copyout and their string forms: the only way
 * kernel code touches user memory (DESIGN.md section 6).
 *
 * For a local client, user memory is the program's own address space, so
 * a copy is a memcpy after the checks that can be made without touching
 * the memory: the null page and addresses outside the user half of the
 * address space (and ranges that wrap) are EFAULT.  A remote client's
 * memory will be reached through the sysproxy instead.
 */

#include <sys/types.h>
#include <sys/systm.h>

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

	if (len == 0)
		return 0;
	if (!user_range_ok(uaddr, len))
		return EFAULT;
	memcpy(kaddr, uaddr, len);
	return 0;
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{

	if (len == 0)
		return 0;
	if (!user_range_ok(uaddr, len))
		return EFAULT;
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
	size_t i;

	if (!user_range_ok(uaddr, 1))
		return EFAULT;
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
	size_t i;

	if (!user_range_ok(uaddr, len == 0 ? 1 : len))
		return EFAULT;
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
