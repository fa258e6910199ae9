/*
 * rump_server.h: rump_server's command line (rump_server_args.c), kept
 * apart from the program so that a test can parse command lines.
 */
#ifndef _RUMP_SERVER_H_
#define _RUMP_SERVER_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rump/rumpvfs.h>

#define SERVER_MAXLIBS		64
#define SERVER_MAXDRIVES	32

/* -d key=,hostpath=,size=,offset=,type= */
struct server_drive {
	const char	*key;		/* inside the kernel, e.g. /dev/xbd0 */
	const char	*hostpath;	/* the host file */
	enum rump_etfs_type type;	/* type=blk (default), chr or reg */
	uint64_t	offset;		/* offset= (default 0) */
	uint64_t	size;		/* size=; RUMP_ETFS_SIZE_ENDOFF: host */
	char		spec[512];	/* a copy of the spec, cut up */
};

struct server_args {
	bool		foreground;	/* -s */
	const char	*ncpu;		/* -c, checked */
	const char	*memlimit;	/* -r, checked */
	const char	*libs[SERVER_MAXLIBS];	/* -l */
	int		nlibs;
	const char	*mods[SERVER_MAXLIBS];	/* -m */
	int		nmods;
	struct server_drive drives[SERVER_MAXDRIVES];	/* -d */
	int		ndrives;
	const char	*url;
};

/*
 * Parse and check a command line: 0, or with what is wrong in msg:
 * SERVER_USAGE for a line of the wrong shape (an unknown option, no URL),
 * SERVER_BADVALUE for a bad value (a file named by -d or -m that does not
 * exist, a bad -c, a URL that is not one).
 */
#define SERVER_USAGE	1
#define SERVER_BADVALUE	2
int server_parse_args(int argc, char **argv, struct server_args *sa,
    char *msg, size_t msglen);

/* The file that -l NAME loads: libNAME.so, or NAME itself when it has a
 * '/' or ends in .so. */
void server_libfile(const char *name, char *buf, size_t len);

#endif /* _RUMP_SERVER_H_ */
