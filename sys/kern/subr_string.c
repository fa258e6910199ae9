/*
 * subr_string.c: the kernel's own memory and string functions.
 *
 * Kernel code never calls libc (DESIGN.md section 2), so these are ours.
 * memcpy and memset move a word at a time once the destination is
 * aligned: they carry I/O buffers.  The build keeps gcc from turning the
 * loops here back into calls to memcpy and memset
 * (-fno-tree-loop-distribute-patterns).
 */

#include <sys/types.h>
#include <sys/systm.h>

typedef unsigned long word_t;
#define WSIZE sizeof(word_t)
#define WMASK (WSIZE - 1)

/* Loads and stores of words at addresses that may be unaligned. */
typedef word_t __attribute__((__may_alias__, __aligned__(1))) uword_t;

void *
memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n > 0 && ((uintptr_t)d & WMASK) != 0) {
		*d++ = *s++;
		n--;
	}
	for (; n >= 4 * WSIZE; n -= 4 * WSIZE, d += 4 * WSIZE, s += 4 * WSIZE) {
		((uword_t *)d)[0] = ((const uword_t *)s)[0];
		((uword_t *)d)[1] = ((const uword_t *)s)[1];
		((uword_t *)d)[2] = ((const uword_t *)s)[2];
		((uword_t *)d)[3] = ((const uword_t *)s)[3];
	}
	for (; n >= WSIZE; n -= WSIZE, d += WSIZE, s += WSIZE)
		*(uword_t *)d = *(const uword_t *)s;
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if ((uintptr_t)d - (uintptr_t)s >= n)	/* no harmful overlap */
		return memcpy(dst, src, n);
	d += n;
	s += n;
	while (n-- > 0)
		*--d = *--s;
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t w = (unsigned char)c;

	w |= w << 8;
	w |= w << 16;
	w |= w << 16 << 16;
	while (n > 0 && ((uintptr_t)d & WMASK) != 0) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= WSIZE; n -= WSIZE, d += WSIZE)
		*(word_t *)(void *)d = w;
	while (n-- > 0)
		*d++ = (unsigned char)c;
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)(uintptr_t)p;
	return NULL;
}

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{

	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{

	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (*a == '\0')
			return 0;
	}
	return 0;
}

char *
strchr(const char *s, int c)
{

	for (;; s++) {
		if (*s == (char)c)
			return (char *)(uintptr_t)s;
		if (*s == '\0')
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)(uintptr_t)last;
	}
}

/* Copy with truncation; the length of src (truncation if >= size). */
size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

size_t
strlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size)
		return size + strlen(src);
	return dlen + strlcpy(dst + dlen, src, size - dlen);
}

static int
digit_value(char c)
{

	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * As C's strtoull, without errno: an overflow saturates at ULLONG_MAX
 * (callers that care compare against it).  A leading '-' negates, as C
 * does.
 */
unsigned long long
strtoull(const char *s, char **end, int base)
{
	const char *p = s, *digits;
	unsigned long long v = 0, lim;
	bool neg = false, over = false;
	int d;

	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0)
		base = p[0] == '0' ? 8 : 10;
	if (base < 2 || base > 36) {
		if (end != NULL)
			*end = (char *)(uintptr_t)s;
		return 0;
	}
	lim = ~0ULL / (unsigned)base;
	digits = p;
	for (; (d = digit_value(*p)) < base; p++) {
		if (v > lim || v * (unsigned)base > ~0ULL - (unsigned)d)
			over = true;
		v = v * (unsigned)base + (unsigned)d;
	}
	if (end != NULL)
		*end = (char *)(uintptr_t)(p == digits ? s : p);
	if (over)
		return ~0ULL;
	return neg ? -v : v;
}

/* Saturates at LLONG_MIN and LLONG_MAX. */
long long
strtoll(const char *s, char **end, int base)
{
	const char *p = s;
	unsigned long long v;
	bool neg;

	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	neg = *p == '-';
	if (*p == '+' || *p == '-')
		p++;
	if (*p == '+' || *p == '-') {	/* a second sign: no number */
		if (end != NULL)
			*end = (char *)(uintptr_t)s;
		return 0;
	}
	v = strtoull(p, end, base);
	if (end != NULL && *end == p)
		*end = (char *)(uintptr_t)s;
	if (neg)
		return v > (unsigned long long)INT64_MAX + 1 ? INT64_MIN :
		    (long long)(0 - v);
	return v > (unsigned long long)INT64_MAX ? INT64_MAX : (long long)v;
}
