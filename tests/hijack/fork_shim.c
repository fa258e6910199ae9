/*
 * fork_shim.c: a library that interposes fork(3) before librumphijack
 * does (as libasan does), calling the C library's fork directly, so that
 * the hijack sees only the raw clone of a fork(3) whose atfork handlers
 * have run (hijack_test.sh preloads it first for one check).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <unistd.h>

pid_t
fork(void)
{
	static pid_t (*libc_fork)(void);
	void *h;

	if (libc_fork == NULL) {
		if ((h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD)) == NULL)
			return -1;
		*(void **)&libc_fork = dlsym(h, "fork");
	}
	return libc_fork();
}
