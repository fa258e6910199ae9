/*
 * rumpuser_bio.c: asynchronous block I/O.
 *
 * rumpuser_bio() queues a request and returns; a small pool of host
 * worker threads, started on first use, does the transfer and calls the
 * kernel's completion function with a virtual CPU held (taken through the
 * hyp_schedule upcall).  The workers outlive a kernel halt and serve the
 * next kernel (they read the current upcalls for each request); they are
 * detached and never keep the process from exiting.
 *
 * Locking: bio_mtx protects the queue and the worker count.
 */

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "rumpuser_int.h"

#define BIO_WORKERS 4

struct bio_req {
	struct bio_req *br_next;
	int br_fd;
	int br_op;
	void *br_data;
	size_t br_dlen;
	int64_t br_off;
	rump_biodone_fn br_done;
	void *br_donearg;
};

static pthread_mutex_t bio_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bio_cv = PTHREAD_COND_INITIALIZER;
static struct bio_req *bio_head, **bio_tail = &bio_head; /* bio_mtx */
static int bio_nworkers;				/* bio_mtx */

/* Transfer the whole request; a read stops short at end of file. */
static int
bio_transfer(const struct bio_req *br, size_t *donep)
{
	char *p = br->br_data;
	size_t done = 0;
	ssize_t n;

	while (done < br->br_dlen) {
		if (br->br_op & RUMPUSER_BIO_READ)
			n = pread(br->br_fd, p + done, br->br_dlen - done,
			    (off_t)(br->br_off + (int64_t)done));
		else
			n = pwrite(br->br_fd, p + done, br->br_dlen - done,
			    (off_t)(br->br_off + (int64_t)done));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*donep = done;
			return errno;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	*donep = done;
	if ((br->br_op & RUMPUSER_BIO_WRITE) && (br->br_op & RUMPUSER_BIO_SYNC))
		if (fdatasync(br->br_fd) == -1)
			return errno;
	return 0;
}

static void
bio_complete(const struct bio_req *br, size_t done, int error)
{
	const struct rumpuser_hyperup *hyp = rumpuser__hyp;

	hyp->hyp_schedule();
	br->br_done(br->br_donearg, done, error);
	hyp->hyp_unschedule();
}

static void *
bio_worker(void *arg)
{
	struct bio_req *br;
	size_t done;
	int error;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&bio_mtx);
		while ((br = bio_head) == NULL)
			pthread_cond_wait(&bio_cv, &bio_mtx);
		if ((bio_head = br->br_next) == NULL)
			bio_tail = &bio_head;
		pthread_mutex_unlock(&bio_mtx);

		error = bio_transfer(br, &done);
		bio_complete(br, done, error);
		free(br);
	}
	return NULL;
}

/* Start workers up to BIO_WORKERS; bio_mtx held. */
static void
bio_start_workers(void)
{
	pthread_t pt;

	while (bio_nworkers < BIO_WORKERS) {
		if (pthread_create(&pt, NULL, bio_worker, NULL) != 0)
			break;
		pthread_setname_np(pt, "rumpuser_bio");
		pthread_detach(pt);
		bio_nworkers++;
	}
}

void
rumpuser_bio(int fd, int op, void *data, size_t dlen, int64_t off,
    rump_biodone_fn biodone, void *donearg)
{
	struct bio_req *br;

	if ((br = malloc(sizeof(*br))) == NULL) {
		/* Inline completion: the caller holds a virtual CPU. */
		biodone(donearg, 0, ENOMEM);
		return;
	}
	br->br_next = NULL;
	br->br_fd = fd;
	br->br_op = op;
	br->br_data = data;
	br->br_dlen = dlen;
	br->br_off = off;
	br->br_done = biodone;
	br->br_donearg = donearg;

	pthread_mutex_lock(&bio_mtx);
	if (bio_nworkers < BIO_WORKERS)
		bio_start_workers();
	if (bio_nworkers == 0) {
		pthread_mutex_unlock(&bio_mtx);
		free(br);
		biodone(donearg, 0, EAGAIN);
		return;
	}
	*bio_tail = br;
	bio_tail = &br->br_next;
	pthread_cond_signal(&bio_cv);
	pthread_mutex_unlock(&bio_mtx);
}
