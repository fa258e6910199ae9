/*
 * rumpuser_thread.c: host threads for the kernel, and the thread-local
 * pointer to the lwp a thread runs as.
 */

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rumpuser_int.h"

static __thread struct lwp *curlwp_tls;

int
rumpuser_thread_create(void *(*f)(void *), void *arg, const char *name,
    int mustjoin, int priority, int cpuidx, void **cookie)
{
	pthread_t *pt;
	char tname[16];
	int error;

	(void)priority;
	(void)cpuidx;
	if ((pt = malloc(sizeof(*pt))) == NULL)
		return ENOMEM;
	if ((error = pthread_create(pt, NULL, f, arg)) != 0) {
		free(pt);
		return error;
	}
	if (name != NULL) {
		strncpy(tname, name, sizeof(tname) - 1);
		tname[sizeof(tname) - 1] = '\0';
		pthread_setname_np(*pt, tname);
	}
	if (mustjoin) {
		*cookie = pt;
	} else {
		pthread_detach(*pt);
		free(pt);
		*cookie = NULL;
	}
	return 0;
}

void
rumpuser_thread_exit(void)
{

	pthread_exit(NULL);
}

int
rumpuser_thread_join(void *cookie)
{
	pthread_t *pt = cookie;
	int error;

	KLOCK_WRAP(error = pthread_join(*pt, NULL));
	if (error == 0)
		free(pt);
	return error;
}

void
rumpuser_curlwpop(int op, struct lwp *l)
{

	switch (op) {
	case RUMPUSER_LWP_SET:
		assert(curlwp_tls == NULL);
		curlwp_tls = l;
		break;
	case RUMPUSER_LWP_CLEAR:
		assert(curlwp_tls == l);
		curlwp_tls = NULL;
		break;
	default:	/* CREATE and DESTROY need nothing here */
		break;
	}
}

struct lwp *
rumpuser_curlwp(void)
{

	return curlwp_tls;
}
