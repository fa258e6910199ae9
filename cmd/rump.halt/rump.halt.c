/*
 * rump.halt: halt the rump kernel that $RUMP_SERVER names.
 *
 *   rump.halt [-h] [-n]
 *
 * Syncs the file systems (unless -n), then halts the kernel with
 * LINUX_REBOOT_CMD_POWER_OFF, after which rump_server exits 0; -h halts
 * with LINUX_REBOOT_CMD_HALT instead (rump_server also exits once it sees
 * that its kernel is gone).  rump.halt returns once the server has
 * dropped the connection, or after 10 seconds with a message.  Exit
 * status 0 on success, 1 with a message on error.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

#define REBOOT_MAGIC1		0xfee1dead
#define REBOOT_MAGIC2		672274793
#define REBOOT_CMD_HALT		0xcdef0123
#define REBOOT_CMD_POWER_OFF	0x4321fedc

static void
usage(void)
{

	fprintf(stderr, "usage: rump.halt [-h] [-n]\n");
	exit(1);
}

int
main(int argc, char **argv)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	unsigned int cmd;
	int ch, i, nosync;

	cmd = REBOOT_CMD_POWER_OFF;
	nosync = 0;
	while ((ch = getopt(argc, argv, "hn")) != -1) {
		switch (ch) {
		case 'h':
			cmd = REBOOT_CMD_HALT;
			break;
		case 'n':
			nosync = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (rumpclient_init() == -1) {
		fprintf(stderr, "rump.halt: cannot connect to RUMP_SERVER=%s: "
		    "%s\n", getenv("RUMP_SERVER") ? getenv("RUMP_SERVER") :
		    "(unset)", strerror(errno));
		return 1;
	}
	if (!nosync && rump_sys_sync() == -1 && errno != ENOSYS) {
		fprintf(stderr, "rump.halt: sync: %s\n", strerror(errno));
		return 1;
	}
	if (rump_sys_reboot((int)REBOOT_MAGIC1, REBOOT_MAGIC2, cmd, NULL) ==
	    -1) {
		fprintf(stderr, "rump.halt: reboot: %s\n", strerror(errno));
		return 1;
	}
	/* Wait for the server to let go of us. */
	for (i = 0; i < 1000; i++) {
		if (rump_sys_getpid() == -1 && errno == ENOTCONN)
			return 0;
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "rump.halt: the server still answers after 10 s\n");
	return 1;
}
