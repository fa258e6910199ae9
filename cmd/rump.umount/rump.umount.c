/*
 * rump.umount: unmount file systems in the rump kernel that $RUMP_SERVER
 * names.
 *
 *   rump.umount [-f] [-l] target...
 *
 * -f forces (MNT_FORCE), -l detaches a busy mount at once (MNT_DETACH).
 * Exit status 0 if every target was unmounted, 1 otherwise, with a
 * message per failure.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

#define UMOUNT_MNT_FORCE	1
#define UMOUNT_MNT_DETACH	2

int
main(int argc, char **argv)
{
	int ch, flags, i, rv;

	flags = 0;
	while ((ch = getopt(argc, argv, "fl")) != -1) {
		switch (ch) {
		case 'f':
			flags |= UMOUNT_MNT_FORCE;
			break;
		case 'l':
			flags |= UMOUNT_MNT_DETACH;
			break;
		default:
			goto usage;
		}
	}
	if (optind == argc)
		goto usage;
	if (rumpclient_init() == -1) {
		fprintf(stderr, "rump.umount: cannot connect to RUMP_SERVER=%s: "
		    "%s\n", getenv("RUMP_SERVER") ? getenv("RUMP_SERVER") :
		    "(unset)", strerror(errno));
		return 1;
	}
	rv = 0;
	for (i = optind; i < argc; i++)
		if (rump_sys_umount2(argv[i], flags) == -1) {
			fprintf(stderr, "rump.umount: %s: %s\n", argv[i],
			    strerror(errno));
			rv = 1;
		}
	return rv;
usage:
	fprintf(stderr, "usage: rump.umount [-f] [-l] target...\n");
	return 1;
}
