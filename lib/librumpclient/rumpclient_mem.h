/*
 * rumpclient_mem.h: reading and writing this process's memory at
 * addresses that may be bad (rumpclient_mem.c).  Each returns 0 or an
 * errno value (EFAULT for a bad address).
 */
#ifndef _RUMPCLIENT_MEM_H_
#define _RUMPCLIENT_MEM_H_

#include <stddef.h>
#include <stdint.h>

#define RUMPCLIENT_HIDDEN __attribute__((visibility("hidden")))

RUMPCLIENT_HIDDEN int rumpclient_mem_read(void *dst, uint64_t uaddr,
    size_t len);
RUMPCLIENT_HIDDEN int rumpclient_mem_write(uint64_t uaddr, const void *src,
    size_t len);
/* The string at uaddr, at most maxlen bytes with its NUL (*lenp counts
 * it); if no NUL is within maxlen, 0 and all maxlen bytes.  On EFAULT,
 * *lenp bytes before the bad page were read. */
RUMPCLIENT_HIDDEN int rumpclient_mem_readstr(char *dst, uint64_t uaddr, size_t maxlen,
    size_t *lenp);

#endif /* _RUMPCLIENT_MEM_H_ */
