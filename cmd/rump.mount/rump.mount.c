/*
 * rump.mount: mount a file system in the rump kernel that $RUMP_SERVER
 * names.
 *
 *   rump.mount -t fstype [-r] [-m] [-o option[,option]...] source target
 *
 * e.g. rump.mount -t ext2 /dev/xbd0 /mnt after rump_server -d
 * key=/dev/xbd0,...  The options that mount(8) turns into flags (ro, rw,
 * nosuid, suid, nodev, dev, noexec, exec, sync, async, remount, noatime,
 * nodiratime, relatime, strictatime, bind) become flags of mount(2); the
 * others are passed to the file system as its data, comma-separated
 * (e.g. size=1m for tmpfs).  -r is -o ro.  -m makes the target
 * directory first (mode 0755) when it is missing, as util-linux's
 * mount --mkdir.  Exit status 0, or 1 with a message.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

/* mount(2)'s flags (Linux's values, as <sys/mount.h> has them). */
static const struct {
	const char	*name;
	unsigned long	set;
	unsigned long	clear;
} mount_opts[] = {
	{ "ro",		0x1,		0 },		/* MS_RDONLY */
	{ "rw",		0,		0x1 },
	{ "nosuid",	0x2,		0 },		/* MS_NOSUID */
	{ "suid",	0,		0x2 },
	{ "nodev",	0x4,		0 },		/* MS_NODEV */
	{ "dev",	0,		0x4 },
	{ "noexec",	0x8,		0 },		/* MS_NOEXEC */
	{ "exec",	0,		0x8 },
	{ "sync",	0x10,		0 },		/* MS_SYNCHRONOUS */
	{ "async",	0,		0x10 },
	{ "remount",	0x20,		0 },		/* MS_REMOUNT */
	{ "noatime",	0x400,		0 },		/* MS_NOATIME */
	{ "nodiratime",	0x800,		0 },		/* MS_NODIRATIME */
	{ "bind",	0x1000,		0 },		/* MS_BIND */
	{ "relatime",	0x200000,	0 },		/* MS_RELATIME */
	{ "strictatime", 0x1000000,	0 },		/* MS_STRICTATIME */
};

static void
usage(void)
{

	fprintf(stderr, "usage: rump.mount -t fstype [-r] [-m] "
	    "[-o option[,option]...] source target\n");
	exit(1);
}

/* Split opts: flags into *flagsp, the rest appended to data. */
static void
parse_opts(char *opts, unsigned long *flagsp, char *data, size_t datalen)
{
	char *o, *next;
	size_t i;

	for (o = opts; o != NULL; o = next) {
		next = strchr(o, ',');
		if (next != NULL)
			*next++ = '\0';
		if (*o == '\0')
			continue;
		for (i = 0; i < sizeof(mount_opts) / sizeof(mount_opts[0]);
		    i++)
			if (strcmp(o, mount_opts[i].name) == 0)
				break;
		if (i < sizeof(mount_opts) / sizeof(mount_opts[0])) {
			*flagsp |= mount_opts[i].set;
			*flagsp &= ~mount_opts[i].clear;
			continue;
		}
		if (strlen(data) + strlen(o) + 2 > datalen) {
			fprintf(stderr, "rump.mount: options too long\n");
			exit(1);
		}
		if (data[0] != '\0')
			strcat(data, ",");
		strcat(data, o);
	}
}

int
main(int argc, char **argv)
{
	char data[4096];
	const char *fstype;
	unsigned long flags;
	bool mkdir_first = false;
	int ch;

	fstype = NULL;
	flags = 0;
	data[0] = '\0';
	while ((ch = getopt(argc, argv, "t:o:rm")) != -1) {
		switch (ch) {
		case 't':
			fstype = optarg;
			break;
		case 'o':
			parse_opts(optarg, &flags, data, sizeof(data));
			break;
		case 'r':
			flags |= 0x1;
			break;
		case 'm':
			mkdir_first = true;
			break;
		default:
			usage();
		}
	}
	if (fstype == NULL || argc - optind != 2)
		usage();
	if (rumpclient_init() == -1) {
		fprintf(stderr, "rump.mount: cannot connect to RUMP_SERVER=%s: "
		    "%s\n", getenv("RUMP_SERVER") ? getenv("RUMP_SERVER") :
		    "(unset)", strerror(errno));
		return 1;
	}
	if (mkdir_first && rump_sys_mkdir(argv[optind + 1], 0755) == -1 &&
	    errno != EEXIST) {
		fprintf(stderr, "rump.mount: cannot create %s: %s\n",
		    argv[optind + 1], strerror(errno));
		return 1;
	}
	if (rump_sys_mount(argv[optind], argv[optind + 1], fstype, flags,
	    data[0] != '\0' ? data : NULL) == -1) {
		fprintf(stderr, "rump.mount: %s on %s (%s): %s\n",
		    argv[optind], argv[optind + 1], fstype, strerror(errno));
		return 1;
	}
	return 0;
}
