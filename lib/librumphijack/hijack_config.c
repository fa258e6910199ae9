/*
 * hijack_config.c: $RUMPHIJACK, a comma-separated list of key=value
 * (docs/hijack.md):
 *
 *   path=PREFIX      host paths under PREFIX go to the kernel, without it
 *                    (default /rump; path= alone: no prefix)
 *   blanket=A:B:...  host paths under A, B, ... go to the kernel as they are
 *   socket=LIST      socket families for the kernel: all, none (default),
 *                    or names (inet, inet6, unix, ...)
 *   image=FILE       no RUMP_SERVER: boot a kernel in the program with the
 *                    file system image FILE as its root
 *   type=TYPE        the image's file system type (default: from the image)
 *   ro               mount the image read-only
 *
 * Anything else is an error that names the offending part.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hijack.h"

struct hj_config hj_cfg;

static const char *const hj_families[] = {
	"unix", "local", "inet", "inet6", "netlink", "packet", "all", "none",
	NULL
};

static int
hj_set_path(struct hj_config *cfg, const char *v, char *err, size_t errlen)
{
	size_t n = strlen(v);

	while (n > 1 && v[n - 1] == '/')
		n--;
	if (n > 0 && v[0] != '/') {
		snprintf(err, errlen, "path=%s: not an absolute path", v);
		return -1;
	}
	if (n == 1 || n >= sizeof(cfg->prefix)) {
		snprintf(err, errlen, "path=%s: not usable as a prefix", v);
		return -1;
	}
	memcpy(cfg->prefix, v, n);
	cfg->prefix[n] = '\0';
	cfg->prefixlen = n;
	return 0;
}

static int
hj_set_blanket(struct hj_config *cfg, char *v, char *err, size_t errlen)
{
	char *p, *save = NULL;
	size_t n;

	for (p = strtok_r(v, ":", &save); p != NULL;
	    p = strtok_r(NULL, ":", &save)) {
		n = strlen(p);
		while (n > 1 && p[n - 1] == '/')
			p[--n] = '\0';
		if (p[0] != '/' || n < 2) {
			snprintf(err, errlen, "blanket=%s: not an absolute path "
			    "below /", p);
			return -1;
		}
		if (cfg->nblanket == HJ_MAXBLANKET) {
			snprintf(err, errlen, "blanket=: more than %d paths",
			    HJ_MAXBLANKET);
			return -1;
		}
		if ((cfg->blanket[cfg->nblanket++] = strdup(p)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

static int
hj_set_socket(struct hj_config *cfg, char *v, char *err, size_t errlen)
{
	char *p, *save = NULL;
	size_t i;

	cfg->socket_any = false;
	for (p = strtok_r(v, ":", &save); p != NULL;
	    p = strtok_r(NULL, ":", &save)) {
		for (i = 0; hj_families[i] != NULL; i++)
			if (strcmp(p, hj_families[i]) == 0)
				break;
		if (hj_families[i] == NULL) {
			snprintf(err, errlen, "socket=: unknown family '%s'", p);
			return -1;
		}
		if (strcmp(p, "none") != 0)
			cfg->socket_any = true;
	}
	return 0;
}

static int
hj_set_string(char *dst, size_t len, const char *key, const char *v,
    char *err, size_t errlen)
{

	if (*v == '\0' || strlen(v) >= len) {
		snprintf(err, errlen, "%s=%s: %s", key, v,
		    *v == '\0' ? "empty" : "too long");
		return -1;
	}
	strcpy(dst, v);
	return 0;
}

/* Parse s into cfg (defaults first).  0, or -1 with a message in err. */
int
hj_config_parse(const char *s, struct hj_config *cfg, char *err,
    size_t errlen)
{
	char *copy, *item, *save = NULL, *v;
	int error = 0;

	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->prefix, "/rump");
	cfg->prefixlen = strlen(cfg->prefix);
	if (s == NULL)
		return 0;
	if ((copy = strdup(s)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (item = strtok_r(copy, ",", &save); item != NULL && error == 0;
	    item = strtok_r(NULL, ",", &save)) {
		if ((v = strchr(item, '=')) != NULL)
			*v++ = '\0';
		if (strcmp(item, "ro") == 0 && v == NULL)
			cfg->readonly = true;
		else if (v == NULL) {
			snprintf(err, errlen, "'%s': expected key=value", item);
			error = -1;
		} else if (strcmp(item, "path") == 0)
			error = hj_set_path(cfg, v, err, errlen);
		else if (strcmp(item, "blanket") == 0)
			error = hj_set_blanket(cfg, v, err, errlen);
		else if (strcmp(item, "socket") == 0)
			error = hj_set_socket(cfg, v, err, errlen);
		else if (strcmp(item, "image") == 0)
			error = hj_set_string(cfg->image, sizeof(cfg->image),
			    item, v, err, errlen);
		else if (strcmp(item, "type") == 0)
			error = hj_set_string(cfg->fstype, sizeof(cfg->fstype),
			    item, v, err, errlen);
		else {
			snprintf(err, errlen, "unknown key '%s'", item);
			error = -1;
		}
	}
	free(copy);
	if (error == 0 && cfg->prefixlen == 0 && cfg->nblanket == 0) {
		snprintf(err, errlen, "neither path= nor blanket= names "
		    "anything for the kernel");
		error = -1;
	}
	return error;
}
