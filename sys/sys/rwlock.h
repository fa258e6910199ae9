/*
 * rwlock.h: reader/writer locks over host rwlocks.  Blocking gives up the
 * virtual CPU.  The writer is recorded for rw_write_held(); readers are
 * counted for rw_lock_held().
 */
#ifndef _SYS_RWLOCK_H_
#define _SYS_RWLOCK_H_

#include <sys/types.h>

struct rumpuser_rw;
struct lwp;

typedef enum {
	RW_READER,
	RW_WRITER
} krw_t;

typedef struct krwlock {
	struct rumpuser_rw *rw_host;
	struct lwp *rw_writer;
	unsigned int rw_readers;
	uint16_t rw_class;		/* lockdebug */
} krwlock_t;

void rw_init(krwlock_t *);
void rw_destroy(krwlock_t *);
void rw_enter(krwlock_t *, krw_t);
int rw_tryenter(krwlock_t *, krw_t);
void rw_exit(krwlock_t *);
bool rw_write_held(const krwlock_t *);
bool rw_read_held(const krwlock_t *);
bool rw_lock_held(const krwlock_t *);

#endif /* _SYS_RWLOCK_H_ */
