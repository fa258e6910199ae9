/*
 * mode.c: chmod's MODE argument, read and applied as coreutils' chmod(1)
 * does (its manual, "Symbolic Modes" and "Numeric Modes").
 *
 * A MODE is an octal number, or a comma-separated list of symbolic
 * changes [ugoa]*([-+=]([rwxXst]*|[ugo]|[0-7]+))+.  mode_compile turns
 * it into an array of changes, one per operator; mode_adjust applies the
 * array to a file's mode.  The rules that surprise:
 *
 *  - With no [ugoa], a change acts as "a" but leaves alone the bits set
 *    in the umask ("+x" under umask 022 is a+x; "+w" is u+w); "=" with
 *    no [ugoa] still clears every bit first.
 *  - "X" is x for a directory or a file with an x bit already set.
 *  - "s" is the set-user-id bit for u and set-group-id for g; "t" is the
 *    sticky bit, for o (and a).
 *  - "u", "g" or "o" after the operator copies that class's current
 *    bits.
 *  - A directory keeps its set-user-id and set-group-id bits unless the
 *    mode names them: symbolically (u-s), or numerically with 5 or more
 *    digits (00755) or after an operator (=755, -6000).
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsu.h"

#define ALLBITS		07777
#define RBITS		(S_IRUSR | S_IRGRP | S_IROTH)
#define WBITS		(S_IWUSR | S_IWGRP | S_IWOTH)
#define XBITS		(S_IXUSR | S_IXGRP | S_IXOTH)
#define IDBITS		(S_ISUID | S_ISGID)

enum mc_kind {
	MC_END,			/* the end of the array */
	MC_BITS,		/* the bits in bits */
	MC_X_IF_ANY,		/* bits, and x if a directory or any x set */
	MC_COPY			/* the class bits of the file's mode */
};

struct modechange {
	char		op;		/* '=', '+' or '-' */
	enum mc_kind	kind;
	mode_t		who;		/* [ugoa] bits; 0: none, the umask */
	mode_t		bits;		/* the bits; for MC_COPY the class */
	mode_t		mentioned;	/* bits named: not kept on a dir */
};

/* Octal digits at *sp, at most 07777; false if more. */
static bool
parse_octal(const char **sp, mode_t *mp)
{
	const char *s = *sp;
	mode_t m = 0;

	do {
		m = m * 8 + (mode_t)(*s++ - '0');
		if (m > ALLBITS)
			return false;
	} while (*s >= '0' && *s <= '7');
	*sp = s;
	*mp = m;
	return true;
}

/* A purely numeric MODE: "=" of all bits, set-id kept on dirs if short. */
static int
compile_numeric(const char *s, struct modechange *mc)
{
	const char *p = s;
	mode_t m;

	if (!parse_octal(&p, &m) || *p != '\0')
		return EINVAL;
	mc->op = '=';
	mc->kind = MC_BITS;
	mc->who = ALLBITS;
	mc->bits = m;
	mc->mentioned = p - s < 5 ? (m & IDBITS) | S_ISVTX | 0777 : ALLBITS;
	mc[1].kind = MC_END;
	return 0;
}

/* [ugoa]* at *sp, as the bits they affect. */
static mode_t
parse_who(const char **sp)
{
	mode_t who = 0;

	for (;; (*sp)++) {
		switch (**sp) {
		case 'u': who |= S_ISUID | S_IRWXU; break;
		case 'g': who |= S_ISGID | S_IRWXG; break;
		case 'o': who |= S_ISVTX | S_IRWXO; break;
		case 'a': who |= ALLBITS; break;
		default: return who;
		}
	}
}

/* [rwxXst]* at *sp into mc. */
static void
parse_perms(const char **sp, struct modechange *mc)
{
	mc->kind = MC_BITS;
	mc->bits = 0;
	for (;; (*sp)++) {
		switch (**sp) {
		case 'r': mc->bits |= RBITS; break;
		case 'w': mc->bits |= WBITS; break;
		case 'x': mc->bits |= XBITS; break;
		case 'X': mc->kind = MC_X_IF_ANY; break;
		case 's': mc->bits |= IDBITS; break;
		case 't': mc->bits |= S_ISVTX; break;
		default: return;
		}
	}
}

/* One operator and what follows it, at *sp, for the classes who. */
static int
parse_change(const char **sp, mode_t who, struct modechange *mc)
{
	const char *s = *sp;

	mc->op = *s++;
	mc->who = who;
	mc->mentioned = 0;
	switch (*s) {
	case 'u': case 'g': case 'o':
		mc->kind = MC_COPY;
		mc->bits = *s == 'u' ? S_IRWXU : *s == 'g' ? S_IRWXG :
		    S_IRWXO;
		s++;
		break;
	case '0': case '1': case '2': case '3':
	case '4': case '5': case '6': case '7':
		/* "=755": all bits, and no [ugoa] before it. */
		if (!parse_octal(&s, &mc->bits) || who != 0 ||
		    (*s != '\0' && *s != ','))
			return EINVAL;
		mc->kind = MC_BITS;
		mc->who = mc->mentioned = ALLBITS;
		break;
	default:
		parse_perms(&s, mc);
		break;
	}
	if (mc->mentioned == 0)
		mc->mentioned = who != 0 ? who & mc->bits : mc->bits;
	*sp = s;
	return 0;
}

static bool
isop(char c)
{
	return c == '=' || c == '+' || c == '-';
}

/*
 * The changes for MODE in *mcp (the caller frees it), or EINVAL when
 * MODE is not one.
 */
int
mode_compile(const char *mode, struct modechange **mcp)
{
	struct modechange *mc;
	const char *s;
	size_t n = 2, used = 0;	/* the END, and a numeric mode */
	mode_t who;
	int error = EINVAL;

	for (s = mode; *s != '\0'; s++)
		n += isop(*s);
	mc = xmalloc(n * sizeof(*mc));
	if (*mode >= '0' && *mode <= '7') {
		error = compile_numeric(mode, mc);
		goto out;
	}
	for (s = mode;; s++) {
		who = parse_who(&s);
		if (!isop(*s))
			goto out;
		while (isop(*s))
			if (parse_change(&s, who, &mc[used++]) != 0)
				goto out;
		if (*s != ',')
			break;
	}
	if (*s == '\0') {
		mc[used].kind = MC_END;
		error = 0;
	}
out:
	if (error != 0)
		free(mc);
	else
		*mcp = mc;
	return error;
}

/* The bits one change sets, clears or assigns, before who and umask. */
static mode_t
change_bits(const struct modechange *mc, mode_t mode, bool dir)
{
	mode_t v = mc->bits;

	switch (mc->kind) {
	case MC_COPY:
		/* The class's bits, copied to all three classes. */
		v &= mode;
		v |= ((v & RBITS) ? RBITS : 0) | ((v & WBITS) ? WBITS : 0) |
		    ((v & XBITS) ? XBITS : 0);
		break;
	case MC_X_IF_ANY:
		if (dir || (mode & XBITS) != 0)
			v |= XBITS;
		break;
	default:
		break;
	}
	return v;
}

/*
 * The permission bits of a file of mode oldmode (a directory if dir)
 * after the changes mc, with umask umask_ (for changes without [ugoa]).
 */
mode_t
mode_adjust(mode_t oldmode, bool dir, mode_t umask_,
    const struct modechange *mc)
{
	mode_t mode = oldmode & ALLBITS, keep, v;

	for (; mc->kind != MC_END; mc++) {
		/* A directory's set-id bits change only when named. */
		keep = dir ? IDBITS & ~mc->mentioned : 0;
		v = change_bits(mc, mode, dir);
		v &= (mc->who != 0 ? mc->who : ~umask_) & ~keep;
		switch (mc->op) {
		case '=':
			mode = (mode & ((mc->who != 0 ? ~mc->who : 0) | keep)) |
			    v;
			break;
		case '+':
			mode |= v;
			break;
		default:
			mode &= ~v;
			break;
		}
	}
	return mode;
}
