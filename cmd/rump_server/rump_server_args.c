/*
 * rump_server_args.c: rump_server's command line, parsed and checked
 * before anything starts (rump_server.h): every mistake the user can
 * make on it is reported here, before the server boots or detaches.
 */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rump_server.h"

static int
bad(char *msg, size_t msglen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
	return SERVER_BADVALUE;
}

static int
usage_error(char *msg, size_t msglen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
	return SERVER_USAGE;
}

/* A decimal number of bytes, or with a k, m or g suffix when allowed. */
static int
parse_bytes(const char *s, int suffixes, uint64_t *vp)
{
	uint64_t v, mul;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	mul = 1;
	if (suffixes && *end != '\0' && end[1] == '\0') {
		switch (*end) {
		case 'k': case 'K':
			mul = 1ULL << 10;
			break;
		case 'm': case 'M':
			mul = 1ULL << 20;
			break;
		case 'g': case 'G':
			mul = 1ULL << 30;
			break;
		default:
			return -1;
		}
		end++;
	}
	if (*end != '\0' || v > UINT64_MAX / mul)
		return -1;
	*vp = v * mul;
	return 0;
}

static int
parse_drive(char *spec, struct server_drive *d, char *msg, size_t msglen)
{
	char *opt, *val, *next;
	bool havesize;
	struct stat st;

	d->type = RUMP_ETFS_BLK;
	d->offset = 0;
	d->size = RUMP_ETFS_SIZE_ENDOFF;
	havesize = false;
	strcpy(d->spec, spec);
	for (opt = d->spec; opt != NULL; opt = next) {
		next = strchr(opt, ',');
		if (next != NULL)
			*next++ = '\0';
		val = strchr(opt, '=');
		if (val == NULL)
			return bad(msg, msglen, "-d %s: '%s' is not key=value",
			    spec, opt);
		*val++ = '\0';
		if (strcmp(opt, "key") == 0)
			d->key = val;
		else if (strcmp(opt, "hostpath") == 0)
			d->hostpath = val;
		else if (strcmp(opt, "size") == 0) {
			havesize = true;
			if (strcmp(val, "host") == 0)
				d->size = RUMP_ETFS_SIZE_ENDOFF;
			else if (parse_bytes(val, 1, &d->size) != 0 ||
			    d->size == 0)
				return bad(msg, msglen, "-d %s: size '%s' is "
				    "not a number of bytes or 'host'", spec,
				    val);
		} else if (strcmp(opt, "offset") == 0) {
			if (parse_bytes(val, 1, &d->offset) != 0)
				return bad(msg, msglen, "-d %s: offset '%s' "
				    "is not a number of bytes", spec, val);
		} else if (strcmp(opt, "type") == 0) {
			if (strcmp(val, "blk") == 0)
				d->type = RUMP_ETFS_BLK;
			else if (strcmp(val, "chr") == 0)
				d->type = RUMP_ETFS_CHR;
			else if (strcmp(val, "reg") == 0)
				d->type = RUMP_ETFS_REG;
			else
				return bad(msg, msglen, "-d %s: type '%s' is "
				    "not blk, chr or reg", spec, val);
		} else if (strcmp(opt, "disklabel") == 0)
			return bad(msg, msglen, "-d %s: disklabel= is not "
			    "supported: give the partition as offset= and "
			    "size=", spec);
		else
			return bad(msg, msglen, "-d %s: unknown '%s' (key, "
			    "hostpath, size, offset, type)", spec, opt);
	}
	if (d->key == NULL || d->key[0] != '/')
		return bad(msg, msglen, "-d %s: needs key=/PATH", spec);
	if (d->hostpath == NULL || d->hostpath[0] == '\0')
		return bad(msg, msglen, "-d %s: needs hostpath=", spec);
	if (!havesize)
		return bad(msg, msglen, "-d %s: needs size= (bytes or 'host')",
		    spec);
	if (stat(d->hostpath, &st) == -1)
		return bad(msg, msglen, "-d %s: %s: %s", spec, d->hostpath,
		    strerror(errno));
	if (S_ISDIR(st.st_mode))
		return bad(msg, msglen, "-d %s: %s is a directory", spec,
		    d->hostpath);
	if (S_ISREG(st.st_mode) && d->size == RUMP_ETFS_SIZE_ENDOFF &&
	    d->offset > (uint64_t)st.st_size)
		return bad(msg, msglen, "-d %s: offset %ju is past the end "
		    "of %s", spec, (uintmax_t)d->offset, d->hostpath);
	return 0;
}

static int
check_url(const char *url, char *msg, size_t msglen)
{
	const char *p;

	if (strncmp(url, "unix://", 7) == 0) {
		p = url + 7;
		if (*p == '\0')
			return bad(msg, msglen, "%s: no socket path", url);
		if (strlen(p) > 107)
			return bad(msg, msglen, "%s: the socket path is longer "
			    "than 107 bytes", url);
		return 0;
	}
	if (strncmp(url, "tcp://", 6) == 0) {
		p = strrchr(url + 6, ':');
		if (p == NULL || p == url + 6 || p[1] == '\0' ||
		    strspn(p + 1, "0123456789") != strlen(p + 1) ||
		    atol(p + 1) > 65535)
			return bad(msg, msglen, "%s: expected tcp://ADDR:PORT",
			    url);
		return 0;
	}
	return bad(msg, msglen, "%s: not a URL (unix://PATH or "
	    "tcp://ADDR:PORT)", url);
}

int
server_parse_args(int argc, char **argv, struct server_args *sa, char *msg,
    size_t msglen)
{
	struct stat st;
	uint64_t v;
	int ch;

	memset(sa, 0, sizeof(*sa));
	msg[0] = '\0';
	optind = 0;	/* glibc: start afresh (tests parse several) */
	opterr = 0;
	while ((ch = getopt(argc, argv, "sc:r:l:m:d:")) != -1) {
		switch (ch) {
		case 's':
			sa->foreground = true;
			break;
		case 'c':
			if (parse_bytes(optarg, 0, &v) != 0 || v < 1 ||
			    v > 256)
				return bad(msg, msglen, "-c %s: the number of "
				    "CPUs must be 1 to 256", optarg);
			sa->ncpu = optarg;
			break;
		case 'r':
			if (parse_bytes(optarg, 1, &v) != 0 || v == 0)
				return bad(msg, msglen, "-r %s: the memory "
				    "limit must be bytes, with an optional k, "
				    "m or g", optarg);
			sa->memlimit = optarg;
			break;
		case 'l':
			if (sa->nlibs == SERVER_MAXLIBS)
				return bad(msg, msglen, "too many -l and -m");
			if (optarg[0] == '\0')
				return bad(msg, msglen, "-l needs a name");
			sa->libs[sa->nlibs++] = optarg;
			break;
		case 'm':
			if (sa->nmods == SERVER_MAXLIBS)
				return bad(msg, msglen, "too many -m");
			if (stat(optarg, &st) == -1)
				return bad(msg, msglen, "-m %s: %s", optarg,
				    strerror(errno));
			sa->mods[sa->nmods++] = optarg;
			break;
		case 'd':
			if (sa->ndrives == SERVER_MAXDRIVES)
				return bad(msg, msglen, "too many -d");
			if (strlen(optarg) >= sizeof(sa->drives[0].spec))
				return bad(msg, msglen, "-d: too long");
			if (parse_drive(optarg, &sa->drives[sa->ndrives], msg,
			    msglen) != 0)
				return SERVER_BADVALUE;
			sa->ndrives++;
			break;
		case '?':
			if (optopt != 0 && strchr("crlmd", optopt) != NULL)
				return usage_error(msg, msglen,
				    "-%c needs an argument", optopt);
			return usage_error(msg, msglen, "unknown option -%c",
			    optopt);
		default:
			return SERVER_USAGE;
		}
	}
	if (argc - optind != 1)
		return usage_error(msg, msglen, argc == optind ? "no URL" :
		    "one URL only");
	sa->url = argv[optind];
	return check_url(sa->url, msg, msglen);
}

void
server_libfile(const char *name, char *buf, size_t len)
{
	size_t n;

	n = strlen(name);
	if (strchr(name, '/') != NULL ||
	    (n > 3 && strcmp(name + n - 3, ".so") == 0))
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "lib%s.so", name);
}
