/*
 * cdefs.h: compiler attributes and helper macros for kernel code.
 *
 * Kernel code is compiled freestanding (-ffreestanding -nostdinc): it sees
 * only the headers under sys/ and include/rump/, never the host's.
 */
#ifndef _SYS_CDEFS_H_
#define _SYS_CDEFS_H_

#define __packed __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __unused __attribute__((__unused__))
#define __used __attribute__((__used__))
#define __dead __attribute__((__noreturn__))
#define __printflike(f, a) __attribute__((__format__(__printf__, f, a)))
#define __weak __attribute__((__weak__))
#define __constructor __attribute__((__constructor__))
#define __predict_true(x) __builtin_expect(!!(x), 1)
#define __predict_false(x) __builtin_expect(!!(x), 0)
#define __CTASSERT(x) _Static_assert(x, #x)
#define CTASSERT(x) __CTASSERT(x)

#define __STRING(x) #x
#define __CONCAT(a, b) a##b

#define __arraycount(a) (sizeof(a) / sizeof((a)[0]))
#define offsetof(type, member) __builtin_offsetof(type, member)
#define container_of(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define roundup(x, y) ((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y) (((x) / (y)) * (y))
#define howmany(x, y) (((x) + ((y) - 1)) / (y))
#define powerof2(x) ((((x) - 1) & (x)) == 0)

#endif /* _SYS_CDEFS_H_ */
