/*
 * hijack_main.c: librumphijack's start in a program (docs/hijack.md).
 *
 * The constructor runs before the program's main: it reads $RUMPHIJACK,
 * reaches the kernel (remote, or boots one in-process), takes over what
 * the image before an exec left ($RUMPHIJACK__STATE: the working
 * directory's world and the kernel descriptors), and turns trapping on
 * for the main thread.  Whatever fails ends the program with one line on
 * standard error and status 1 before it runs: a path under the prefix
 * must never silently reach the host.
 */

#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hijack.h"

/* The kernel's host descriptors go high: see hijack_fd.c. */
static void
hj_set_fdbase(void)
{
	struct rlimit rl;
	const char *v = getenv("RUMP_FDBASE");
	char buf[16];
	long base;

	if (v == NULL) {
		if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < 256)
			return;
		base = (rl.rlim_cur > 4096 ? 4096 : (long)rl.rlim_cur) - 64;
		snprintf(buf, sizeof(buf), "%ld", base);
		setenv("RUMP_FDBASE", buf, 1);
	} else
		base = strtol(v, NULL, 10);
	if (base > 2 && base < HJ_MAXFD)
		hj_fdbase = (int)base;
}

static void
hj_take_state(void)
{
	const char *s = getenv("RUMPHIJACK__STATE");

	if (s == NULL)
		return;
	hj_cwd_rump = s[0] == '1';
	if (s[0] != '\0' && s[1] == ';')
		hj_fd_state_load(s + 2);
	unsetenv("RUMPHIJACK__STATE");
}

__attribute__((constructor)) static void
hj_init(void)
{
	char err[512];
	int e;

	if (hj_config_parse(getenv("RUMPHIJACK"), &hj_cfg, err,
	    sizeof(err)) != 0)
		hj_die("rumphijack: RUMPHIJACK: %s", err);
	hj_set_fdbase();
	hj_trace = getenv("RUMPHIJACK_TRACE") != NULL;
	if (hj_kernel_init(err, sizeof(err)) != 0)
		hj_die("rumphijack: %s", err);
	hj_take_state();
	if ((e = hj_trap_init()) != 0)
		hj_die("rumphijack: cannot trap system calls (syscall user "
		    "dispatch): %s", strerror(e));
	hj_block();
}
