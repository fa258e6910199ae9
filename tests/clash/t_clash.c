/*
 * t_clash.c: a program with its own malloc, free, printf, memcpy, open,
 * panic, namei and copyin links with a rump kernel, statically and
 * dynamically, without a clash and without either side calling the
 * other's functions (DESIGN.md section 2: the kernel's namespace is
 * isolated).  Built twice: t_clash_static and t_clash_shared.
 */

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

static int n_malloc, n_free, n_printf, n_memcpy, n_open, n_panic, n_namei,
    n_copyin;

extern void *__libc_malloc(size_t);
extern void __libc_free(void *);

void *
malloc(size_t n)
{
	n_malloc++;
	return __libc_malloc(n);
}

void
free(void *p)
{
	n_free++;
	__libc_free(p);
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int r;

	n_printf++;
	va_start(ap, fmt);
	r = vprintf(fmt, ap);
	va_end(ap);
	return r;
}

void *
memcpy(void *dst, const void *src, size_t n)
{
	volatile char *d = dst;
	const volatile char *s = src;

	n_memcpy++;
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

int
open(const char *path, int flags, ...)
{
	(void)path;
	(void)flags;
	n_open++;
	errno = ENOSYS;
	return -1;
}

void
panic(const char *msg)
{
	(void)msg;
	n_panic++;
}

int
namei(void *nd)
{
	(void)nd;
	return ++n_namei;
}

int
copyin(const void *u, void *k, size_t len)
{
	(void)u;
	(void)k;
	(void)len;
	return ++n_copyin;
}

static int passed, failed;

#define CHECK(e) do { \
	if (e) \
		passed++; \
	else { \
		failed++; \
		fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #e); \
	} \
} while (0)

int
main(void)
{
	struct utsname u;
	char buf[16];
	void *p;
	int before_printf, before_memcpy;

	/* The program's own functions are the ones it calls. */
	p = malloc(10);
	CHECK(p != NULL && n_malloc == 1);
	free(p);
	CHECK(n_free == 1);
	panic("mine");
	CHECK(n_panic == 1);
	CHECK(namei(NULL) == 1 && copyin(NULL, NULL, 0) == 1);
	CHECK(open("/x", 0) == -1 && n_open == 1);

	/* The kernel boots and runs its calls on its own functions. */
	setenv("RUMP_VERBOSE", "1", 1);
	setenv("RUMP_HOSTNAME", "clash", 1);
	before_printf = n_printf;
	before_memcpy = n_memcpy;
	CHECK(rump_init() == 0);
	CHECK(rump_sys_getpid() == 1);
	CHECK(rump_sys_uname(&u) == 0 && strcmp(u.nodename, "clash") == 0);
	CHECK(rump_sys_sethostname("other", 5) == 0);
	CHECK(rump_sys_uname(&u) == 0 && strcmp(u.nodename, "other") == 0);
	CHECK(rump_sys_getrandom(buf, sizeof(buf), 0) == sizeof(buf));
	CHECK(n_printf == before_printf);
	CHECK(n_memcpy == before_memcpy);
	CHECK(n_panic == 1 && n_namei == 1 && n_copyin == 1 && n_open == 1);

#ifdef CLASH_SHARED
	/* No interposition either way in the dynamic symbol table. */
	CHECK(dlsym(RTLD_DEFAULT, "panic") == (void *)panic);
	CHECK(dlsym(RTLD_DEFAULT, "copyin") == (void *)copyin);
	CHECK(dlsym(RTLD_DEFAULT, "memcpy") == (void *)memcpy);
	CHECK(dlsym(RTLD_DEFAULT, "rumpns_panic") != NULL);
	CHECK(dlsym(RTLD_DEFAULT, "rumpns_panic") != (void *)panic);
	CHECK(dlsym(RTLD_DEFAULT, "rumpns_copyin") != NULL);
#endif

	fprintf(stderr, "%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
