/*
 * userspec.c: chown's OWNER[:GROUP] and chgrp's GROUP, read as
 * coreutils reads them.  Names are looked up in the host's user and
 * group databases (getpwnam, getgrnam: /etc/passwd, /etc/group); a name
 * that is not there and is a number is that id; a leading '+' skips the
 * look-up.  The ids go into the image as they are: the image's users
 * are the host's only when the two agree.
 *
 *	OWNER		the owner; the group unchanged
 *	OWNER:GROUP	both
 *	OWNER:		the owner and the owner's login group (a name only)
 *	:GROUP		the group only
 *	: or ""		neither (chown still runs: set-id bits go)
 *	OWNER.GROUP	the old form, when OWNER:GROUP would not do
 */

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsu.h"

/* A numeric id: [+]digits, below (unsigned)-1. */
static int
parse_id(const char *s, unsigned *idp)
{
	unsigned long long v;
	char *end;

	if (*s == '+')
		s++;
	if (*s < '0' || *s > '9')
		return EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v >= ID_NONE)
		return EINVAL;
	*idp = (unsigned)v;
	return 0;
}

/* GROUP: a name from the group database, or a number. */
int
groupspec_parse(const char *g, gid_t *gidp)
{
	struct group *gr;
	unsigned id;

	gr = *g == '+' ? NULL : getgrnam(g);
	if (gr != NULL) {
		*gidp = gr->gr_gid;
		return 0;
	}
	if (parse_id(g, &id) != 0)
		return EINVAL;
	*gidp = id;
	return 0;
}

/*
 * OWNER (ulen bytes of u): its uid, and with login its login group
 * (which only a name has).
 */
static const char *
owner_parse(const char *u, size_t ulen, bool login, uid_t *uidp,
    gid_t *gidp)
{
	struct passwd *pw;
	char *name;
	unsigned id;
	int error;

	name = xmalloc(ulen + 1);
	memcpy(name, u, ulen);
	name[ulen] = '\0';
	pw = *name == '+' ? NULL : getpwnam(name);
	if (pw != NULL) {
		*uidp = pw->pw_uid;
		if (login)
			*gidp = pw->pw_gid;
		free(name);
		return NULL;
	}
	error = login ? EINVAL : parse_id(name, &id);
	free(name);
	if (error != 0)
		return login ? "invalid spec" : "invalid user";
	*uidp = id;
	return NULL;
}

/* OWNER and GROUP around the separator sep (NULL: OWNER only). */
static const char *
parse_with(const char *spec, const char *sep, uid_t *uidp, gid_t *gidp)
{
	size_t ulen = sep != NULL ? (size_t)(sep - spec) : strlen(spec);
	const char *g = sep != NULL && sep[1] != '\0' ? sep + 1 : NULL;
	const char *why;

	*uidp = ID_NONE;
	*gidp = ID_NONE;
	if (ulen > 0 && (why = owner_parse(spec, ulen, sep != NULL &&
	    g == NULL, uidp, gidp)) != NULL)
		return why;
	if (g != NULL && groupspec_parse(g, gidp) != 0)
		return "invalid group";
	return NULL;
}

/*
 * OWNER[:GROUP] into *uidp and *gidp (ID_NONE: unchanged); 0, or EINVAL
 * with *whyp "invalid user", "invalid group" or "invalid spec".
 */
int
userspec_parse(const char *spec, uid_t *uidp, gid_t *gidp,
    const char **whyp)
{
	const char *colon = strchr(spec, ':'), *dot;

	*whyp = parse_with(spec, colon, uidp, gidp);
	if (*whyp != NULL && colon == NULL &&
	    (dot = strchr(spec, '.')) != NULL &&
	    parse_with(spec, dot, uidp, gidp) == NULL) {
		fprintf(stderr, "fsu: warning: '.' should be ':': '%s'\n",
		    spec);
		*whyp = NULL;
	}
	endpwent();
	endgrent();
	return *whyp != NULL ? EINVAL : 0;
}
