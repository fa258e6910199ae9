/*
 * systm.h: what every kernel file needs: console output, panic and
 * assertions, the kernel's own string and memory functions, and the
 * copyin/copyout family through which all user memory is reached.
 */
#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_

#include <sys/types.h>
#include <sys/errno.h>

/* subr_prf.c: formatted output.  printf writes to the console (through
 * rumpuser_console_write); the formats are the usual C ones (d i u x X o
 * c s p %, flags - + space 0 #, width, precision, length hh h l ll z j t). */
int printf(const char *, ...) __printflike(1, 2);
int vprintf(const char *, va_list);
int snprintf(char *, size_t, const char *, ...) __printflike(3, 4);
int vsnprintf(char *, size_t, const char *, va_list);
/* Printed only when RUMP_VERBOSE is set (boot messages). */
void aprint_verbose(const char *, ...) __printflike(1, 2);
extern int rump_verbose;
/* Log a message about a problem with outside input (a disk image, a
 * packet): printed once per distinct call site and subsystem. */
void log_once(int *, const char *, ...) __printflike(2, 3);

/* init_main.c: a halt has begun; long sleeps give up with EINTR. */
bool kernel_halting(void);

__dead void panic(const char *, ...) __printflike(1, 2);
__dead void kern_assert_failed(const char *expr, const char *file,
    int line, const char *func);

#ifdef DIAGNOSTIC
#define KASSERT(e) \
	(__predict_true(e) ? (void)0 : \
	    kern_assert_failed(#e, __FILE__, __LINE__, __func__))
#define KASSERTMSG(e, ...) \
	(__predict_true(e) ? (void)0 : panic(__VA_ARGS__))
#else
#define KASSERT(e) ((void)0)
#define KASSERTMSG(e, ...) ((void)0)
#endif
/* Checked in every build: for invariants whose failure would corrupt. */
#define KREQUIRE(e) \
	(__predict_true(e) ? (void)0 : \
	    kern_assert_failed(#e, __FILE__, __LINE__, __func__))

/* subr_string.c */
void *memcpy(void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);
void *memchr(const void *, int, size_t);
size_t strlen(const char *);
size_t strnlen(const char *, size_t);
int strcmp(const char *, const char *);
int strncmp(const char *, const char *, size_t);
char *strchr(const char *, int);
char *strrchr(const char *, int);
size_t strlcpy(char *, const char *, size_t);
size_t strlcat(char *, const char *, size_t);
/* Parse an unsigned decimal/hex/octal number (base 0 as strtoul). */
unsigned long long strtoull(const char *, char **, int);
long long strtoll(const char *, char **, int);
#define memzero(p, n) memset(p, 0, n)

/* subr_copy.c: user memory.  Return 0 or EFAULT; copyinstr also
 * ENAMETOOLONG when no NUL is within len bytes (done counts the NUL). */
int copyin(const void *uaddr, void *kaddr, size_t len);
int copyout(const void *kaddr, void *uaddr, size_t len);
int copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done);
int copyoutstr(const void *kaddr, void *uaddr, size_t len, size_t *done);

#endif /* _SYS_SYSTM_H_ */
