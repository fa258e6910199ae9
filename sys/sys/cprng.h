/*
 * cprng.h: the kernel's cryptographically secure random number generator
 * (ChaCha20 keyed from the host's entropy at boot, rekeyed periodically
 * and with fast key erasure after each request).
 */
#ifndef _SYS_CPRNG_H_
#define _SYS_CPRNG_H_

#include <sys/types.h>

int cprng_init(void);	/* 0 or the error of seeding */
void cprng_fini(void);
void cprng_bytes(void *, size_t);
uint32_t cprng_u32(void);
uint64_t cprng_u64(void);
/* The RFC 8439 ChaCha20 block function (64 bytes of keystream). */
void chacha20_block(const uint32_t key[8], uint32_t counter,
    const uint32_t nonce[3], uint8_t out[64]);

#endif /* _SYS_CPRNG_H_ */
