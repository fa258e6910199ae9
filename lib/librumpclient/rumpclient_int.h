/*
 * rumpclient_int.h: the sysproxy protocol as the client sees it
 * (docs/sysproxy.md, version 1), shared by the library's files and its
 * tests.  All integers on the wire are little-endian; the helpers below
 * read and write them byte by byte, so the code does not depend on the
 * host's byte order or alignment.
 */
#ifndef _RUMPCLIENT_INT_H_
#define _RUMPCLIENT_INT_H_

#include <stddef.h>
#include <stdint.h>

#define SP_VERSION	1
#define SP_MAGIC	"RUMPSP\0\1"	/* 8 bytes */
#define SP_HDRLEN	16
#define SP_MAXDATA	65536		/* bytes of one copy request */
#define SP_MAXFRAME	(SP_HDRLEN + SP_MAXDATA + 64)
#define SP_COOKIELEN	16
#define SP_COMMLEN	16
#define SP_MAXINFLIGHT	64		/* calls in flight per client */

/* Client -> server. */
#define SP_HANDSHAKE	1
#define SP_SYSCALL	2
#define SP_FORKPREP	3
#define SP_COPYDATA	4
#define SP_COPYDONE	5
/* Server -> client. */
#define SP_HANDSHAKE_R	129
#define SP_SYSCALL_R	130
#define SP_FORKPREP_R	131
#define SP_COPYIN	132
#define SP_COPYINSTR	133
#define SP_COPYOUT	134
#define SP_COPYOUTSTR	135

/* Kinds of HANDSHAKE. */
#define SP_KIND_NEW	0
#define SP_KIND_FORK	1
#define SP_KIND_EXEC	2

/* Payload lengths of the fixed-size frames. */
#define SP_SYSCALL_LEN		(SP_HDRLEN + 8 + 6 * 8)
#define SP_HANDSHAKE_R_LEN	(SP_HDRLEN + 12)
#define SP_SYSCALL_R_LEN	(SP_HDRLEN + 8 + 16)
#define SP_FORKPREP_R_LEN	(SP_HDRLEN + 8 + SP_COOKIELEN)
#define SP_COPYREQ_LEN		(SP_HDRLEN + 16)

static inline void
sp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
sp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void
sp_put64(uint8_t *p, uint64_t v)
{
	sp_put32(p, (uint32_t)v);
	sp_put32(p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t
sp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
sp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint64_t
sp_get64(const uint8_t *p)
{
	return (uint64_t)sp_get32(p) | (uint64_t)sp_get32(p + 4) << 32;
}

/* The 16-byte header of every frame. */
static inline void
sp_puthdr(uint8_t *p, uint32_t len, uint16_t type, uint64_t reqno)
{
	sp_put32(p, len);
	sp_put16(p + 4, type);
	sp_put16(p + 6, 0);
	sp_put64(p + 8, reqno);
}

#endif /* _RUMPCLIENT_INT_H_ */
