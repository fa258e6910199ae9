/*
 * rump.sysctl: read and set parameters of the rump kernel that
 * $RUMP_SERVER names.
 *
 *   rump.sysctl [-n] name...
 *   rump.sysctl [-n] -w name=value...
 *   rump.sysctl [-n] -a
 *
 * The parameters are those that the kernel's system calls reach:
 * kern.hostname and kern.domainname (read through uname(2), set with
 * sethostname(2) and setdomainname(2)), and, read-only, kern.ostype,
 * kern.osrelease, kern.version and hw.machine.  Output is "name = value"
 * (-n: the value alone).  Exit status 0, or 1 if any name failed.
 */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

static const struct param {
	const char	*name;
	size_t		field;		/* in struct utsname */
	int		(*set)(const char *, size_t);
} params[] = {
	{ "kern.hostname", offsetof(struct utsname, nodename),
	    rump_sys_sethostname },
	{ "kern.domainname", offsetof(struct utsname, domainname),
	    rump_sys_setdomainname },
	{ "kern.ostype", offsetof(struct utsname, sysname), NULL },
	{ "kern.osrelease", offsetof(struct utsname, release), NULL },
	{ "kern.version", offsetof(struct utsname, version), NULL },
	{ "hw.machine", offsetof(struct utsname, machine), NULL },
};
#define NPARAMS (sizeof(params) / sizeof(params[0]))

static int valueonly;

static const struct param *
lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NPARAMS; i++)
		if (strcmp(params[i].name, name) == 0)
			return &params[i];
	fprintf(stderr, "rump.sysctl: %s: no such parameter\n", name);
	return NULL;
}

static int
show(const struct param *p)
{
	struct utsname u;

	if (rump_sys_uname(&u) == -1) {
		fprintf(stderr, "rump.sysctl: %s: %s\n", p->name,
		    strerror(errno));
		return 1;
	}
	if (valueonly)
		printf("%s\n", (char *)&u + p->field);
	else
		printf("%s = %s\n", p->name, (char *)&u + p->field);
	return 0;
}

static int
set(char *arg)
{
	const struct param *p;
	char *val;

	val = strchr(arg, '=');
	if (val == NULL) {
		fprintf(stderr, "rump.sysctl: -w %s: expected name=value\n",
		    arg);
		return 1;
	}
	*val++ = '\0';
	if ((p = lookup(arg)) == NULL)
		return 1;
	if (p->set == NULL) {
		fprintf(stderr, "rump.sysctl: %s: read-only\n", arg);
		return 1;
	}
	if (p->set(val, strlen(val)) == -1) {
		fprintf(stderr, "rump.sysctl: %s: %s\n", arg, strerror(errno));
		return 1;
	}
	return show(p);
}

int
main(int argc, char **argv)
{
	const struct param *p;
	int all, ch, i, rv, wflag;

	all = wflag = 0;
	while ((ch = getopt(argc, argv, "anw")) != -1) {
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case 'n':
			valueonly = 1;
			break;
		case 'w':
			wflag = 1;
			break;
		default:
			goto usage;
		}
	}
	if (all == (optind < argc) || (all && wflag))
		goto usage;
	if (rumpclient_init() == -1) {
		fprintf(stderr, "rump.sysctl: cannot connect to RUMP_SERVER=%s: "
		    "%s\n", getenv("RUMP_SERVER") ? getenv("RUMP_SERVER") :
		    "(unset)", strerror(errno));
		return 1;
	}
	rv = 0;
	if (all) {
		for (i = 0; i < (int)NPARAMS; i++)
			rv |= show(&params[i]);
		return rv;
	}
	for (i = optind; i < argc; i++) {
		if (wflag)
			rv |= set(argv[i]);
		else if ((p = lookup(argv[i])) == NULL)
			rv = 1;
		else
			rv |= show(p);
	}
	return rv;
usage:
	fprintf(stderr, "usage: rump.sysctl [-n] name...\n"
	    "       rump.sysctl [-n] -w name=value...\n"
	    "       rump.sysctl [-n] -a\n");
	return 1;
}
