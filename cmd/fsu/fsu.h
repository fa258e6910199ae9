/*
 * fsu.h: what fsu's files share.  fsu.c boots the kernel, mounts the
 * image on MNT and runs one command; the commands that change owners
 * and modes are in attr.c, with chmod's MODE in mode.c and chown's
 * OWNER[:GROUP] in userspec.c.  Paths given to the kernel ("kernel
 * paths") are MNT followed by the path inside the image; paths shown to
 * the user are the operands as given.
 *
 * Single-threaded: no locking.
 */
#ifndef _FSU_H_
#define _FSU_H_

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define MNT		"/mnt"

/* fsu.c */
void	failed(void);
void	warnmsg(const char *, ...) __attribute__((format(printf, 1, 2)));
void	usage(void) __attribute__((noreturn));
void	*xmalloc(size_t);
char	*ipath(const char *);
char	*pjoin(const char *, const char *);
int	readdir_image(const char *, bool, char ***, size_t *);
void	freenames(char **, size_t);
void	modestr(mode_t, char *);

/* attr.c */
void	cmd_chmod(int, char **);
void	cmd_chown(int, char **);
void	cmd_chgrp(int, char **);
void	cmd_touch(int, char **);

/* mode.c: chmod's MODE, as coreutils' chmod reads and applies it. */
struct modechange;
int	mode_compile(const char *, struct modechange **);
mode_t	mode_adjust(mode_t, bool, mode_t, const struct modechange *);

/* userspec.c: OWNER[:GROUP] for chown, GROUP for chgrp. */
#define ID_NONE		((unsigned)-1)	/* leave unchanged */
int	userspec_parse(const char *, uid_t *, gid_t *, const char **);
int	groupspec_parse(const char *, gid_t *);

#endif /* !_FSU_H_ */
