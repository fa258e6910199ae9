/*
 * namei.h: path name lookup.
 *
 * namei() walks a path one component at a time from the process's root
 * or current directory (or a directory given by an *at() call), crossing
 * mount points both ways, following symbolic links (at most MAXSYMLINKS,
 * then ELOOP), with Linux's rules for "..", trailing slashes, empty paths
 * and over-long names (ENAMETOOLONG: a component over NAME_MAX, a path
 * over PATH_MAX).  Recently looked-up names are cached (name cache).
 */
#ifndef _SYS_NAMEI_H_
#define _SYS_NAMEI_H_

#include <sys/types.h>
#include <sys/vnode.h>

#define NAME_MAX 255
#define PATH_MAX 4096
#define MAXSYMLINKS 40

/* What the caller will do with the last component. */
enum nameiop { LOOKUP, CREATE, DELETE, RENAME };

/* ni_flags */
#define FOLLOW 0x0001		/* follow a final symbolic link */
#define LOCKLEAF 0x0002		/* return ni_vp locked (exclusive) */
#define LOCKSHARED 0x0004	/* ... shared */
#define LOCKPARENT 0x0008	/* return ni_dvp locked exclusive */
#define WANTPARENT 0x0010	/* return ni_dvp referenced */
#define EMPTYPATH 0x0020	/* "" means the start directory itself */
#define DIRONLY 0x0040		/* the result must be a directory */

struct nameidata {
	/* In. */
	enum nameiop ni_op;
	int ni_flags;
	struct vnode *ni_startdir;	/* referenced, or NULL: cwd */
	kauth_cred_t ni_cred;
	/* Out. */
	struct vnode *ni_dvp;		/* the parent (WANTPARENT/LOCKPARENT) */
	struct vnode *ni_vp;		/* the file, or NULL if it does not
					 * exist (CREATE/RENAME only) */
	struct componentname ni_cnd;	/* the last component */
	bool ni_trailing_slash;		/* the path ended in '/' */
	int ni_lastdot;			/* NI_LAST*: see below */
	char *ni_pathbuf;		/* private: the path, links spliced */
	int ni_state;			/* private: what is locked */
};

/*
 * ni_lastdot: the path ended in "." or "..", or named its start itself
 * ("/", "a/", "" with EMPTYPATH).  Then ni_vp is that directory and
 * ni_dvp is NULL whatever the flags: creating or removing such a name is
 * the caller's error to give (EEXIST, EINVAL, ENOTEMPTY, EBUSY, EISDIR).
 */
#define NI_LASTDOT 1
#define NI_LASTDOTDOT 2
#define NI_LASTSELF 3

/* 0, or an errno with nothing held.  On success, release with
 * namei_done (unlocks and releases ni_vp and ni_dvp as acquired).
 * ni_vp is NULL only for CREATE and RENAME when the last name does not
 * exist.  A final symbolic link is followed with FOLLOW, and for LOOKUP
 * also when the path ends in "/". */
int namei(struct nameidata *);
void namei_done(struct nameidata *);
/* Copy a user path in and look it up relative to dirfd (AT_FDCWD or a
 * directory descriptor), the usual front of a path system call. */
int namei_at(int dirfd, const char *upath, enum nameiop, int flags,
    struct nameidata *);
/* The same for a path of the kernel's own (ENAMETOOLONG past PATH_MAX),
 * looked up with cred. */
int namei_kernel(const char *path, enum nameiop, int flags, kauth_cred_t,
    struct nameidata *);

/* The name cache (sys/vfs/vfs_cache.c). */
void cache_enter(struct vnode *dvp, struct vnode *vp, const char *name,
    size_t len);	/* vp NULL: a negative entry */
int cache_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp);	/* 0 hit (vpp referenced), ENOENT negative
				 * hit, -1 miss */
void cache_remove(struct vnode *dvp, const char *name, size_t len);
void cache_purge(struct vnode *);	/* the names in vp and of vp */

#endif /* _SYS_NAMEI_H_ */
