/*
 * mutex.h: kernel mutexes.
 *
 * A kmutex_t wraps a host mutex (rumpuser_mutex_*).  Taking a contended
 * mutex gives up the virtual CPU while waiting (rumpuser_mutex_enter does
 * the wrapping).  MUTEX_SPIN mutexes are for short sections that never
 * sleep; they are taken without giving up the virtual CPU.  The owner is
 * recorded so that mutex_owned() works and DIAGNOSTIC builds catch a mutex
 * released by a thread that does not hold it.
 */
#ifndef _SYS_MUTEX_H_
#define _SYS_MUTEX_H_

#include <sys/types.h>

struct rumpuser_mtx;
struct lwp;

typedef enum {
	MUTEX_DEFAULT,
	MUTEX_DRIVER = MUTEX_DEFAULT,
	MUTEX_SPIN
} kmutex_type_t;

/* Interrupt priority levels: accepted for source compatibility with
 * drivers; a rump kernel has no interrupts to mask. */
#define IPL_NONE 0
#define IPL_SOFTNET 1
#define IPL_BIO 2
#define IPL_NET 3
#define IPL_VM 4
#define IPL_SCHED 5
#define IPL_HIGH 6

typedef struct kmutex {
	struct rumpuser_mtx *mtx_host;
	struct lwp *mtx_owner;
	kmutex_type_t mtx_type;
	uint16_t mtx_class;		/* lockdebug */
} kmutex_t;

void mutex_init(kmutex_t *, kmutex_type_t, int ipl);
void mutex_destroy(kmutex_t *);
void mutex_enter(kmutex_t *);
void mutex_exit(kmutex_t *);
int mutex_tryenter(kmutex_t *);
bool mutex_owned(const kmutex_t *);

#endif /* _SYS_MUTEX_H_ */
