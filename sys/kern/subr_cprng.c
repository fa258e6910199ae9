/*
 * subr_cprng.c: the kernel's random number generator and getrandom(2).
 *
 * ChaCha20 (RFC 8439 block function) as a generator with fast key
 * erasure: each request runs the block function under the current 256-bit
 * key, hands out keystream, and replaces the key with the first 32 bytes
 * of keystream of that request, so a later compromise of the key reveals
 * nothing handed out before.  The key is seeded from the host's entropy at
 * boot and mixed with fresh host entropy every CPRNG_RESEED bytes.
 *
 * Locking: cprng_lock protects the key and the byte counter.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/cprng.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/syscallargs.h>
#include <rump/rumpuser.h>

#define CPRNG_RESEED (1UL << 20)
#define CHACHA_BLOCK 64

#define GRND_NONBLOCK 0x01
#define GRND_RANDOM 0x02
#define GRND_INSECURE 0x04
/*
 * Linux's per-call limit since 5.19, MAX_RW_COUNT (INT_MAX rounded down
 * to a page), as for any read.  The older limit of INT_MAX >> 6 and the
 * 512 bytes of GRND_RANDOM went with the blocking pool (Linux 5.6).
 */
#define GETRANDOM_MAX (0x7fffffff & ~0xfff)

static kmutex_t cprng_lock;
static uint32_t cprng_key[8];		/* cprng_lock */
static uint64_t cprng_nonce;		/* cprng_lock: per request */
static unsigned long cprng_since_seed;	/* cprng_lock */

static uint32_t
rotl(uint32_t v, int n)
{

	return (v << n) | (v >> (32 - n));
}

#define QR(a, b, c, d) do { \
	a += b; d ^= a; d = rotl(d, 16); \
	c += d; b ^= c; b = rotl(b, 12); \
	a += b; d ^= a; d = rotl(d, 8); \
	c += d; b ^= c; b = rotl(b, 7); \
} while (0)

/* The RFC 8439 block function: 64 bytes of keystream. */
void
chacha20_block(const uint32_t key[8], uint32_t counter,
    const uint32_t nonce[3], uint8_t out[CHACHA_BLOCK])
{
	uint32_t in[16], x[16];
	int i;

	in[0] = 0x61707865;
	in[1] = 0x3320646e;
	in[2] = 0x79622d32;
	in[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		in[4 + i] = key[i];
	in[12] = counter;
	in[13] = nonce[0];
	in[14] = nonce[1];
	in[15] = nonce[2];
	memcpy(x, in, sizeof(x));
	for (i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (i = 0; i < 16; i++) {
		uint32_t v = x[i] + in[i];

		out[4 * i] = (uint8_t)v;
		out[4 * i + 1] = (uint8_t)(v >> 8);
		out[4 * i + 2] = (uint8_t)(v >> 16);
		out[4 * i + 3] = (uint8_t)(v >> 24);
	}
}

static int
host_entropy(void *buf, size_t len)
{
	size_t got, done = 0;
	int error;

	while (done < len) {
		error = rumpuser_getrandom((char *)buf + done, len - done,
		    RUMPUSER_RANDOM_HARD, &got);
		if (error)
			return error;
		if (got == 0)
			return EIO;
		done += got;
	}
	return 0;
}

/* Mix fresh host bytes into the key.  cprng_lock held. */
static void
cprng_reseed(void)
{
	uint32_t fresh[8], nonce[3] = { 0x7265736b, 0, 0 };
	uint8_t block[CHACHA_BLOCK];
	int i;

	if (host_entropy(fresh, sizeof(fresh)) != 0)
		return;		/* keep going on the current key */
	for (i = 0; i < 8; i++)
		cprng_key[i] ^= fresh[i];
	chacha20_block(cprng_key, 0, nonce, block);
	memcpy(cprng_key, block, sizeof(cprng_key));
	memset(block, 0, sizeof(block));
	memset(fresh, 0, sizeof(fresh));
	cprng_since_seed = 0;
}

int
cprng_init(void)
{
	int error;

	if ((error = host_entropy(cprng_key, sizeof(cprng_key))) != 0) {
		printf("cprng: no entropy from the host: error %d\n", error);
		return error;
	}
	mutex_init(&cprng_lock, MUTEX_DEFAULT, IPL_NONE);
	cprng_nonce = 0;
	cprng_since_seed = 0;
	return 0;
}

void
cprng_fini(void)
{

	mutex_destroy(&cprng_lock);
	memset(cprng_key, 0, sizeof(cprng_key));
}

void
cprng_bytes(void *buf, size_t len)
{
	uint8_t block[CHACHA_BLOCK], *out = buf;
	uint32_t nonce[3], counter = 1;
	size_t n;

	mutex_enter(&cprng_lock);
	if (cprng_since_seed >= CPRNG_RESEED)
		cprng_reseed();
	cprng_since_seed += len;
	nonce[0] = (uint32_t)cprng_nonce;
	nonce[1] = (uint32_t)(cprng_nonce >> 32);
	nonce[2] = 0;
	cprng_nonce++;
	/* Block 0 becomes the next key; output starts at block 1. */
	chacha20_block(cprng_key, 0, nonce, block);
	while (len > 0) {
		uint8_t ks[CHACHA_BLOCK];

		chacha20_block(cprng_key, counter++, nonce, ks);
		n = MIN(len, sizeof(ks));
		memcpy(out, ks, n);
		memset(ks, 0, sizeof(ks));
		out += n;
		len -= n;
	}
	memcpy(cprng_key, block, sizeof(cprng_key));
	mutex_exit(&cprng_lock);
	memset(block, 0, sizeof(block));
}

uint32_t
cprng_u32(void)
{
	uint32_t v;

	cprng_bytes(&v, sizeof(v));
	return v;
}

uint64_t
cprng_u64(void)
{
	uint64_t v;

	cprng_bytes(&v, sizeof(v));
	return v;
}

/*
 * getrandom(2): our generator is seeded at boot, so it never blocks, and
 * GRND_RANDOM reads from it like any other call, as in Linux since 5.6.
 * Output is copied out in chunks; a fault after some bytes returns the
 * count so far, as Linux does.
 */
int
sys_getrandom(struct lwp *l __unused, const struct sys_getrandom_args *uap,
    register_t *retval)
{
	uint8_t chunk[256];
	char *ubuf = SCARG(uap, buf);
	size_t len = SCARG(uap, buflen), done = 0, n;
	unsigned int flags = SCARG(uap, flags);
	int error = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return EINVAL;
	if (len > GETRANDOM_MAX)
		len = GETRANDOM_MAX;
	while (done < len) {
		n = MIN(len - done, sizeof(chunk));
		cprng_bytes(chunk, n);
		if ((error = copyout(chunk, ubuf + done, n)) != 0)
			break;
		done += n;
	}
	memset(chunk, 0, sizeof(chunk));
	if (error && done == 0)
		return error;
	retval[0] = (register_t)done;
	return 0;
}
