/*
 * rumpfuse: mount a disk image on a host directory through FUSE, with
 * the rump kernel's file system driver serving it.
 *
 *	rumpfuse [-t TYPE] [-o OPTIONS] [-f] [-s] [-d] IMAGE MOUNTPOINT
 *
 * Without -t, the type is read from the image's superblock (ext2/3/4,
 * mounted as "ext4", which takes all three).
 * The kernel boots in this process; the image is its block device
 * /dev/xbd0 (etfs) and is mounted on /mnt inside it.
 *
 * Requests: the libfuse3 low-level API, where the host names files by
 * node ids.  A node (struct rf_node) is one file of the kernel's file
 * system: its file handle (name_to_handle_at: inode number and
 * generation), found again with open_by_handle_at on the mount, so that
 * no request walks a path from the root and every name of a file (hard
 * links) is the same node with the same attributes.  The node id is the
 * node's address (FUSE_ROOT_ID for the root); a lookup counts a
 * reference, FORGET gives them back and frees the node.  Nodes are found
 * by inode number (rf_nodes, under rf_lock) so that a second lookup of a
 * file gives the same node.  Each request opens what it needs by handle
 * (O_PATH for attributes and as the directory of *at calls), makes the
 * system calls and closes it; an open file's or directory's kernel
 * descriptor is kept in fi->fh.  Errors are the kernel's Linux errno
 * values.
 *
 * Threads: the kernel runs the server as a process of its own (made by
 * rump_lwproc_rfork at boot), and every thread that serves FUSE requests
 * gets an lwp of that process bound to it the first time it enters an
 * operation (rf_thread), given back when the thread exits.  The workers
 * thus share the process's descriptor table and never share an lwp.  By
 * default there are as many workers as the kernel has virtual CPUs
 * (RUMP_NCPU, by default the host's CPUs; -o max_threads=N, -s for one).
 * The loop (rf_serve, leader and followers) is described there: one
 * worker reads the device and, after a request, keeps polling for the
 * next one for a while (-o spin=MICROSECONDS, 50 by default, 0 never)
 * before it sleeps; the others are woken only when requests come faster
 * than one at a time.
 *
 * Removed files: a file whose node the host still holds is kept alive
 * by an O_PATH descriptor (node_pin) until the node is forgotten, so
 * that a removed working directory can still be looked at, as on a
 * local file system.
 *
 * Caching: the kernel's driver is the only writer of the image while it
 * is mounted, and every change comes through this mount, so the host
 * kernel may cache what it is told, negative lookups too
 * (attr_timeout, entry_timeout, negative_timeout: 1 s by default).
 * -o writeback_cache lets writes go through the host's page cache (off
 * by default: the host then keeps a file's times itself, and a new
 * file's ctime can be older than its mtime).  flush is left unimplemented
 * so that close(2) does not cost a request.  The server clears the
 * set-user-ID and set-group-ID bits itself (FUSE_CAP_HANDLE_KILLPRIV),
 * which saves the host's GETATTR before every chown: the kernel does it
 * for chown (Linux's rule, even for root), rf_killpriv for a write or
 * truncate by a caller other than root (with -o writeback_cache, whose
 * WRITEs do not carry the writer, at the SETATTR of nothing that the
 * host sends from the writer of a file with set-ID bits).
 *
 * When the FUSE file system is unmounted (fusermount3 -u, umount) or the
 * server gets SIGINT/SIGTERM/SIGHUP, the loop ends; the kernel's file
 * system is then unmounted and the kernel halted, which writes
 * everything back to the image.
 *
 * Without -f, the server detaches itself only after the kernel has
 * mounted the image and the FUSE mount is in place (the kernel's threads
 * cannot survive a fork, so the fork happens before the kernel boots and
 * the parent waits for the child's word).
 */

#define FUSE_USE_VERSION 312

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <limits.h>
#include <linux/reboot.h>
#include <linux/fuse.h>
#include <linux/limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/param.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>

#define MNT	"/mnt"
#define DEV	"/dev/xbd0"
#define RF_NOFILE 1048576	/* the kernel's nr_open, as Linux's */

static const char *progname = "rumpfuse";

/* Options of our own (-o), taken out before libfuse sees the rest. */
struct rf_opts {
	int	writeback;		/* the host's writeback cache */
	double	attr_timeout;		/* seconds the host keeps attributes */
	double	entry_timeout;		/* ... a name */
	double	negative_timeout;	/* ... that a name does not exist */
	unsigned int spin;		/* microseconds a worker polls */
};

static struct rf_opts rf_opts = {
	.writeback = 0,
	.attr_timeout = 1.0,
	.entry_timeout = 1.0,
	.negative_timeout = 1.0,
	.spin = 50,
};

#define RF_OPT(t, f, v) { t, offsetof(struct rf_opts, f), v }
static const struct fuse_opt rf_optspec[] = {
	RF_OPT("writeback_cache", writeback, 1),
	RF_OPT("no_writeback_cache", writeback, 0),
	RF_OPT("attr_timeout=%lf", attr_timeout, 0),
	RF_OPT("entry_timeout=%lf", entry_timeout, 0),
	RF_OPT("negative_timeout=%lf", negative_timeout, 0),
	RF_OPT("spin=%u", spin, 0),
	FUSE_OPT_END
};

/* The kernel process of the server (set at boot) and its lwps' key. */
static int rf_pid;
static pthread_key_t rf_lwpkey;
static __thread bool rf_bound;

/*
 * A descriptor of the mount's root, the mount of the handles (as for
 * Linux, open_by_handle_at takes no O_PATH descriptor for it).
 */
static int rf_mntfd = -1;

static struct fuse_session *rf_se;	/* the session (main) */

/* FUSE_* flags for INIT's answer that libfuse leaves out (serve_init). */
static uint32_t rf_initflags;

/*
 * Bind an lwp of the server's process to the calling thread, once; every
 * operation starts here.  Without one (out of memory), the thread would
 * borrow a temporary lwp of the default process at each call, which does
 * not see the server's descriptors: the error is returned instead.
 */
static int
rf_thread(void)
{
	int error;

	if (rf_bound)
		return 0;
	if ((error = rump_lwproc_newlwp(rf_pid)) != 0)
		return error;
	rf_bound = true;
	(void)pthread_setspecific(rf_lwpkey, rump_lwproc_curlwp());
	return 0;
}

/* A worker thread exits: give its lwp back (an orphan after a halt). */
static void
rf_thread_exit(void *l)
{
	(void)l;
	rump_lwproc_releaselwp();
}

/* Every operation: bind the lwp or answer the error. */
#define ENTER(req) \
	do { \
		int en_err_ = rf_thread(); \
		if (en_err_ != 0) { \
			fuse_reply_err((req), en_err_); \
			return; \
		} \
	} while (0)

/* errno of a failed rump_sys_* call, or 0 when it returned r != -1. */
#define ERR(r)	((r) == -1 ? errno : 0)

/* Exchange the values of a and b (of one type). */
#define SWAP(a, b) \
	do { \
		__typeof__(a) sw_tmp_ = (a); \
		(a) = (b); \
		(b) = sw_tmp_; \
	} while (0)

/*
 * Nodes.  The handle's bytes follow the node (handle_bytes of them).
 * nlookup is the host's count of references; the root node is never
 * freed.
 */
struct rf_node {
	struct rf_node	*next;		/* rf_nodes chain (rf_lock) */
	uint64_t	nlookup;	/* rf_lock */
	ino_t		ino;
	mode_t		type;		/* S_IFMT bits */
	int		pinfd;		/* O_PATH, once a name is removed */
	char		*lname;		/* rf_lock: a name of a file that cannot
					 * be opened (node_opens), in the
					 * directory of handle ldir (xattrs) */
	struct file_handle *ldir;	/* rf_lock */
	struct file_handle fh;		/* last member: f_handle follows */
};

/* A handle with room for any file system's. */
struct rf_handle {
	struct file_handle fh;
	unsigned char	bytes[MAX_HANDLE_SZ];
};

static pthread_mutex_t rf_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rf_node **rf_nodes;	/* hash by inode number (rf_lock) */
static size_t rf_nbuckets, rf_nnodes;
static struct rf_node *rf_root;

static size_t
node_bucket(ino_t ino, size_t nbuckets)
{
	return (size_t)((ino * 0x9e3779b97f4a7c15ull) >> 20) &
	    (nbuckets - 1);
}

/* Double the hash table when it holds more nodes than buckets. */
static void
node_grow(void)
{
	struct rf_node **nt, *n, *next;
	size_t nb = rf_nbuckets * 2, i, b;

	if ((nt = calloc(nb, sizeof(*nt))) == NULL)
		return;		/* longer chains, still correct */
	for (i = 0; i < rf_nbuckets; i++) {
		for (n = rf_nodes[i]; n != NULL; n = next) {
			next = n->next;
			b = node_bucket(n->ino, nb);
			n->next = nt[b];
			nt[b] = n;
		}
	}
	free(rf_nodes);
	rf_nodes = nt;
	rf_nbuckets = nb;
}

static bool
same_handle(const struct file_handle *a, const struct file_handle *b)
{
	return a->handle_type == b->handle_type &&
	    a->handle_bytes == b->handle_bytes &&
	    memcmp(a->f_handle, b->f_handle, a->handle_bytes) == 0;
}

/* The node of handle fh and inode number ino, or NULL; rf_lock held. */
static struct rf_node *
node_find(const struct file_handle *fh, ino_t ino)
{
	struct rf_node *n;

	for (n = rf_nodes[node_bucket(ino, rf_nbuckets)]; n != NULL;
	    n = n->next)
		if (n->ino == ino && same_handle(&n->fh, fh))
			break;
	return n;
}

/*
 * The handle (into h, with room for any) and attributes of name in dfd
 * (or, name "", of dfd's file), not following a last symbolic link: 0
 * or an errno.
 */
static int
handle_at(int dfd, const char *name, struct rf_handle *h, struct stat *st)
{
	int mntid, flags = *name == '\0' ? AT_EMPTY_PATH : 0;

	if (rump_sys_fstatat(dfd, name, st, flags | AT_SYMLINK_NOFOLLOW) == -1)
		return errno;
	h->fh.handle_bytes = MAX_HANDLE_SZ;
	if (rump_sys_name_to_handle_at(dfd, name, &h->fh, &mntid, flags) == -1)
		return errno;
	return 0;
}

/*
 * The node of the file with handle fh and inode number ino, with one more
 * lookup counted: the one that exists, else a new one.  NULL: no memory.
 */
static struct rf_node *
node_get(const struct file_handle *fh, ino_t ino, mode_t mode)
{
	struct rf_node *n;
	size_t b;

	pthread_mutex_lock(&rf_lock);
	b = node_bucket(ino, rf_nbuckets);
	if ((n = node_find(fh, ino)) == NULL &&
	    (n = malloc(sizeof(*n) + fh->handle_bytes)) != NULL) {
		n->nlookup = 0;
		n->ino = ino;
		n->type = mode & S_IFMT;
		n->pinfd = -1;
		n->lname = NULL;
		n->ldir = NULL;
		memcpy(&n->fh, fh, sizeof(*fh) + fh->handle_bytes);
		n->next = rf_nodes[b];
		rf_nodes[b] = n;
		if (++rf_nnodes > rf_nbuckets)
			node_grow();
	}
	if (n != NULL)
		n->nlookup++;
	pthread_mutex_unlock(&rf_lock);
	return n;
}

/*
 * The host gives back nlookup references of n; the last frees it (and
 * closes its pin: the calling thread must have its lwp).
 */
static void
node_put(struct rf_node *n, uint64_t nlookup)
{
	struct rf_node **pp;
	int pinfd = -1;

	if (n == rf_root)
		return;
	pthread_mutex_lock(&rf_lock);
	n->nlookup -= nlookup < n->nlookup ? nlookup : n->nlookup;
	if (n->nlookup == 0) {
		pp = &rf_nodes[node_bucket(n->ino, rf_nbuckets)];
		while (*pp != n)
			pp = &(*pp)->next;
		*pp = n->next;
		rf_nnodes--;
		pinfd = n->pinfd;
		free(n->lname);
		free(n->ldir);
		free(n);
	}
	pthread_mutex_unlock(&rf_lock);
	if (pinfd != -1)
		(void)rump_sys_close(pinfd);
}

/*
 * Before name in dfd is removed (unlink, rmdir, the target of a rename):
 * when the host holds the node of its file, keep the file alive with an
 * O_PATH descriptor until the node is forgotten, as a local file system
 * keeps a removed directory that is someone's working directory (stat of
 * "." works, with no links).  Otherwise the file could go, and every
 * request on the node would find its handle stale.
 */
static void
node_pin(int dfd, const char *name)
{
	struct rf_handle h;
	struct rf_node *n;
	struct stat st;
	int fd;

	if (handle_at(dfd, name, &h, &st) != 0)
		return;
	pthread_mutex_lock(&rf_lock);
	if ((n = node_find(&h.fh, st.st_ino)) != NULL && n->pinfd == -1 &&
	    (fd = rump_sys_openat(dfd, name, O_PATH | O_NOFOLLOW |
	    O_CLOEXEC)) != -1)
		n->pinfd = fd;
	pthread_mutex_unlock(&rf_lock);
}

static struct rf_node *
node_of(fuse_ino_t id)
{
	return id == FUSE_ROOT_ID ? rf_root : (struct rf_node *)(uintptr_t)id;
}

static fuse_ino_t
node_id(const struct rf_node *n)
{
	return n == rf_root ? FUSE_ROOT_ID : (fuse_ino_t)(uintptr_t)n;
}

/* A kernel descriptor of node id opened with flags, or -1 and errno. */
static int
node_open(fuse_ino_t id, int flags)
{
	return rump_sys_open_by_handle_at(rf_mntfd, &node_of(id)->fh,
	    flags | O_CLOEXEC);
}

/* node_open(id, O_PATH), or -1 with the error answered. */
static int
path_fd(fuse_req_t req, fuse_ino_t id)
{
	int fd;

	if ((fd = node_open(id, O_PATH)) == -1)
		fuse_reply_err(req, errno);
	return fd;
}

/* path_fd of a and of b, or false with the error answered. */
static bool
path_fds(fuse_req_t req, fuse_ino_t a, fuse_ino_t b, int *fa, int *fb)
{
	if ((*fa = path_fd(req, a)) == -1)
		return false;
	if ((*fb = path_fd(req, b)) == -1) {
		(void)rump_sys_close(*fa);
		return false;
	}
	return true;
}

/*
 * Can the server open a file of this type for its extended attributes?
 * A regular file, a directory and a FIFO (opened without blocking; the
 * host serves the FIFO itself, the kernel's is never used otherwise).
 * A symbolic link cannot be opened and a device must not be: for those
 * a node keeps a name (node_name).
 */
static bool
node_opens(mode_t type)
{
	return type == S_IFREG || type == S_IFDIR || type == S_IFIFO;
}

/*
 * Remember name in the directory of node parent as where a file that
 * cannot be opened is (xattr_target; the files node_opens allows are
 * opened by their handles): the file of node n, held by the caller, or,
 * n NULL, of the node with handle fh and inode number ino if the host
 * holds one.  The copies are made before rf_lock is taken and the old
 * ones freed after; without memory the attributes of the file stay out
 * of reach.
 */
static void
node_name(struct rf_node *n, const struct file_handle *fh, ino_t ino,
    fuse_ino_t parent, const char *name)
{
	const struct file_handle *pfh = &node_of(parent)->fh;
	struct file_handle *d = NULL;
	char *s;

	if ((s = strdup(name)) == NULL ||
	    (d = malloc(sizeof(*pfh) + pfh->handle_bytes)) == NULL) {
		free(s);
		return;
	}
	memcpy(d, pfh, sizeof(*pfh) + pfh->handle_bytes);
	pthread_mutex_lock(&rf_lock);
	if (n == NULL)
		n = node_find(fh, ino);
	if (n != NULL) {
		SWAP(n->lname, s);
		SWAP(n->ldir, d);
	}
	pthread_mutex_unlock(&rf_lock);
	free(s);
	free(d);
}

/*
 * Look up name in the directory dfd, node parent (or, name "", the file
 * of dfd; parent 0) and fill the entry for the host, counting a lookup
 * of its node: 0 or an errno.
 */
static int
entry_at(fuse_ino_t parent, int dfd, const char *name,
    struct fuse_entry_param *e)
{
	struct rf_handle h;
	struct rf_node *n;
	int error;

	memset(e, 0, sizeof(*e));
	if ((error = handle_at(dfd, name, &h, &e->attr)) != 0)
		return error;
	if ((n = node_get(&h.fh, e->attr.st_ino, e->attr.st_mode)) == NULL)
		return ENOMEM;
	if (parent != 0 && !node_opens(n->type))
		node_name(n, NULL, 0, parent, name);
	e->ino = node_id(n);
	e->attr_timeout = rf_opts.attr_timeout;
	e->entry_timeout = rf_opts.entry_timeout;
	return 0;
}

/* Reply to a request that made a node (name in dfd, node parent): its
 * entry. */
static void
reply_entry(fuse_req_t req, fuse_ino_t parent, int dfd, const char *name)
{
	struct fuse_entry_param e;
	int error;

	if ((error = entry_at(parent, dfd, name, &e)) != 0)
		fuse_reply_err(req, error);
	else if (fuse_reply_entry(req, &e) == -ENOENT)
		node_put(node_of(e.ino), 1);	/* the request was interrupted */
}

/* Reply with the attributes of fd. */
static void
reply_attr(fuse_req_t req, int fd)
{
	struct stat st;

	if (rump_sys_fstat(fd, &st) == -1)
		fuse_reply_err(req, errno);
	else
		fuse_reply_attr(req, &st, rf_opts.attr_timeout);
}

/*
 * Give a new node (name in dfd) to the caller, like a kernel mount
 * would.  The kernel's calls run as root, so the node is root's, in the
 * group that the kernel chose: a set-group-ID directory's stays.  chown
 * clears the set-user-ID and set-group-ID bits of a file (Linux's rule,
 * which the kernel follows), so they are put back: the caller asked for
 * them.
 */
static void
own(fuse_req_t req, int dfd, const char *name)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct stat st, dst;
	gid_t gid;

	if (ctx->uid == 0 && ctx->gid == 0)
		return;		/* root's already, in the group it would get */
	if (rump_sys_fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return;
	gid = ctx->gid;
	if (st.st_gid != gid && rump_sys_fstat(dfd, &dst) == 0 &&
	    (dst.st_mode & S_ISGID))
		gid = st.st_gid;
	if (st.st_uid == ctx->uid && st.st_gid == gid)
		return;
	if (rump_sys_fchownat(dfd, name, ctx->uid, gid,
	    AT_SYMLINK_NOFOLLOW) == -1 || S_ISLNK(st.st_mode) ||
	    !(st.st_mode & (S_ISUID | S_ISGID)))
		return;
	(void)rump_sys_fchmodat2(dfd, name, st.st_mode & 07777,
	    AT_SYMLINK_NOFOLLOW);
}

/*
 * After a write or truncate by the caller of req through fd: clear the
 * set-user-ID bit, and the set-group-ID bit with group execution, unless
 * the caller is root (FUSE_CAP_HANDLE_KILLPRIV leaves it to us; the
 * kernel's calls run as root, which keeps them).
 */
static void
rf_killpriv(fuse_req_t req, fuse_ino_t id, int fd)
{
	struct stat st;
	mode_t mode;

	if (fuse_req_ctx(req)->uid == 0 || rump_sys_fstat(fd, &st) == -1 ||
	    !S_ISREG(st.st_mode))
		return;
	mode = st.st_mode & 07777 & ~S_ISUID;
	if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		mode &= ~S_ISGID;
	if (mode == (st.st_mode & 07777) ||
	    rump_sys_fchmodat2(fd, "", mode, AT_EMPTY_PATH) == -1)
		return;
	/* The host's copy of the mode is stale now (offset -1: only the
	 * attributes; safe inside the request). */
	(void)fuse_lowlevel_notify_inval_inode(rf_se, id,
	    -1, 0);
}

static void
rf_init(void *ud, struct fuse_conn_info *conn)
{
	(void)ud;
	if (rf_opts.writeback && (conn->capable & FUSE_CAP_WRITEBACK_CACHE))
		conn->want |= FUSE_CAP_WRITEBACK_CACHE;
	else {
		rf_opts.writeback = 0;
		conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
	}
	conn->want |= conn->capable & (FUSE_CAP_READDIRPLUS |
	    FUSE_CAP_READDIRPLUS_AUTO | FUSE_CAP_PARALLEL_DIROPS |
	    FUSE_CAP_ATOMIC_O_TRUNC);
	conn->want |= conn->capable & FUSE_CAP_HANDLE_KILLPRIV;
	/* What libfuse 3.14 does not pass on (serve_init). */
	rf_initflags = 0;
	if (conn->want & FUSE_CAP_HANDLE_KILLPRIV)
		rf_initflags |= FUSE_HANDLE_KILLPRIV;
	if (conn->want & FUSE_CAP_PARALLEL_DIROPS)
		rf_initflags |= FUSE_PARALLEL_DIROPS;
}

static void
rf_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;
	int dfd, error;

	ENTER(req);
	if ((dfd = path_fd(req, parent)) == -1)
		return;
	error = entry_at(parent, dfd, name, &e);
	(void)rump_sys_close(dfd);
	if (error == ENOENT && rf_opts.negative_timeout > 0) {
		/* Node id 0: the host remembers that name is not there. */
		memset(&e, 0, sizeof(e));
		e.entry_timeout = rf_opts.negative_timeout;
		fuse_reply_entry(req, &e);
	} else if (error != 0)
		fuse_reply_err(req, error);
	else if (fuse_reply_entry(req, &e) == -ENOENT)
		node_put(node_of(e.ino), 1);
}

static void
rf_forget(fuse_req_t req, fuse_ino_t id, uint64_t nlookup)
{
	(void)rf_thread();	/* for node_put's close of a pin */
	node_put(node_of(id), nlookup);
	fuse_reply_none(req);
}

static void
rf_forget_multi(fuse_req_t req, size_t count,
    struct fuse_forget_data *forgets)
{
	size_t i;

	(void)rf_thread();
	for (i = 0; i < count; i++)
		node_put(node_of(forgets[i].ino), forgets[i].nlookup);
	fuse_reply_none(req);
}

static void
rf_getattr(fuse_req_t req, fuse_ino_t id, struct fuse_file_info *fi)
{
	int fd;

	ENTER(req);
	if (fi != NULL) {
		reply_attr(req, (int)fi->fh);
		return;
	}
	if ((fd = path_fd(req, id)) == -1)
		return;
	reply_attr(req, fd);
	(void)rump_sys_close(fd);
}

/* What setattr can be asked to change. */
#define RF_SET_ANY (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | \
	FUSE_SET_ATTR_GID | FUSE_SET_ATTR_SIZE | FUSE_SET_ATTR_ATIME | \
	FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_ATIME_NOW | \
	FUSE_SET_ATTR_MTIME_NOW | FUSE_SET_ATTR_CTIME)

/* A timestamp of setattr: the time given, now, or left alone. */
static struct timespec
set_time(int to_set, int set, int now, struct timespec t)
{
	if (to_set & now)
		t.tv_nsec = UTIME_NOW;
	else if (!(to_set & set))
		t.tv_nsec = UTIME_OMIT;
	return t;
}

static void
rf_setattr(fuse_req_t req, fuse_ino_t id, struct stat *attr, int to_set,
    struct fuse_file_info *fi)
{
	struct timespec ts[2];
	int fd, tfd = -1, error = 0;

	ENTER(req);
	if (fi != NULL)
		fd = (int)fi->fh;
	else if ((fd = node_open(id, O_PATH)) == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	/*
	 * Nothing to set: a write through the host's page cache (-o
	 * writeback_cache) asks, from the writer, to clear the set-ID bits
	 * of a file that has them.
	 */
	if (!(to_set & RF_SET_ANY))
		rf_killpriv(req, id, fd);
	if (to_set & FUSE_SET_ATTR_MODE)
		error = ERR(rump_sys_fchmodat2(fd, "", attr->st_mode & 07777,
		    AT_EMPTY_PATH));
	if (error == 0 && (to_set & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)))
		error = ERR(rump_sys_fchownat(fd, "",
		    (to_set & FUSE_SET_ATTR_UID) ? attr->st_uid : (uid_t)-1,
		    (to_set & FUSE_SET_ATTR_GID) ? attr->st_gid : (gid_t)-1,
		    AT_EMPTY_PATH));
	if (error == 0 && (to_set & FUSE_SET_ATTR_SIZE)) {
		/* An O_PATH descriptor cannot be truncated: open the file. */
		if (fi == NULL && (tfd = node_open(id, O_WRONLY)) == -1)
			error = errno;
		else {
			error = ERR(rump_sys_ftruncate(fi != NULL ? fd : tfd,
			    attr->st_size));
			if (error == 0)
				rf_killpriv(req, id, fi != NULL ? fd : tfd);
		}
	}
	if (error == 0 && (to_set & (FUSE_SET_ATTR_ATIME |
	    FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_MTIME |
	    FUSE_SET_ATTR_MTIME_NOW))) {
		ts[0] = set_time(to_set, FUSE_SET_ATTR_ATIME,
		    FUSE_SET_ATTR_ATIME_NOW, attr->st_atim);
		ts[1] = set_time(to_set, FUSE_SET_ATTR_MTIME,
		    FUSE_SET_ATTR_MTIME_NOW, attr->st_mtim);
		error = ERR(rump_sys_utimensat(fd, "", ts, AT_EMPTY_PATH));
	}
	if (error != 0)
		fuse_reply_err(req, error);
	else
		reply_attr(req, fd);
	if (tfd != -1)
		(void)rump_sys_close(tfd);
	if (fi == NULL)
		(void)rump_sys_close(fd);
}

static void
rf_readlink(fuse_req_t req, fuse_ino_t id)
{
	char buf[PATH_MAX + 1];
	ssize_t n;
	int fd;

	ENTER(req);
	if ((fd = path_fd(req, id)) == -1)
		return;
	n = rump_sys_readlinkat(fd, "", buf, sizeof(buf) - 1);
	(void)rump_sys_close(fd);
	if (n == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	buf[n] = '\0';
	fuse_reply_readlink(req, buf);
}

/*
 * Make a node in parent (mkdir, mknod, symlink: make() does the call on
 * the parent's descriptor), give it to the caller and reply its entry.
 */
static void
make_node(fuse_req_t req, fuse_ino_t parent, const char *name,
    int (*make)(int, const char *, mode_t, dev_t, const char *),
    mode_t mode, dev_t rdev, const char *target)
{
	int dfd;

	ENTER(req);
	if ((dfd = path_fd(req, parent)) == -1)
		return;
	if (make(dfd, name, mode, rdev, target) == -1)
		fuse_reply_err(req, errno);
	else {
		own(req, dfd, name);
		reply_entry(req, parent, dfd, name);
	}
	(void)rump_sys_close(dfd);
}

static int
do_mknod(int dfd, const char *name, mode_t mode, dev_t rdev, const char *t)
{
	(void)t;
	return rump_sys_mknodat(dfd, name, mode, rdev);
}

static int
do_mkdir(int dfd, const char *name, mode_t mode, dev_t rdev, const char *t)
{
	(void)rdev;
	(void)t;
	return rump_sys_mkdirat(dfd, name, mode);
}

static int
do_symlink(int dfd, const char *name, mode_t mode, dev_t rdev,
    const char *target)
{
	(void)mode;
	(void)rdev;
	return rump_sys_symlinkat(target, dfd, name);
}

static void
rf_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    dev_t rdev)
{
	make_node(req, parent, name, do_mknod, mode, rdev, NULL);
}

static void
rf_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	make_node(req, parent, name, do_mkdir, mode, 0, NULL);
}

static void
rf_symlink(fuse_req_t req, const char *target, fuse_ino_t parent,
    const char *name)
{
	make_node(req, parent, name, do_symlink, 0, 0, target);
}

/* unlink and rmdir: unlinkat(parent, name, flags). */
static void
remove_node(fuse_req_t req, fuse_ino_t parent, const char *name, int flags)
{
	int dfd;

	ENTER(req);
	if ((dfd = path_fd(req, parent)) == -1)
		return;
	node_pin(dfd, name);
	fuse_reply_err(req, ERR(rump_sys_unlinkat(dfd, name, flags)));
	(void)rump_sys_close(dfd);
}

static void
rf_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	remove_node(req, parent, name, 0);
}

static void
rf_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	remove_node(req, parent, name, AT_REMOVEDIR);
}

/* After a rename: the node of the file now at name in dfd (node parent),
 * if the host holds one, remembers that name when it keeps one. */
static void
node_moved(fuse_ino_t parent, int dfd, const char *name)
{
	struct rf_handle h;
	struct stat st;

	if (rump_sys_fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !node_opens(st.st_mode & S_IFMT) &&
	    handle_at(dfd, name, &h, &st) == 0)
		node_name(NULL, &h.fh, st.st_ino, parent, name);
}

static void
rf_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
    fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	int dfd, ndfd;

	ENTER(req);
	if (!path_fds(req, parent, newparent, &dfd, &ndfd))
		return;
	if (!(flags & (RENAME_NOREPLACE | RENAME_EXCHANGE)))
		node_pin(ndfd, newname);
	if (rump_sys_renameat2(dfd, name, ndfd, newname, flags) == -1)
		fuse_reply_err(req, errno);
	else {
		/* Before the answer: until then the host holds both
		 * directories' nodes, and no request of the host can come
		 * with the old name. */
		node_moved(newparent, ndfd, newname);
		if (flags & RENAME_EXCHANGE)
			node_moved(parent, dfd, name);
		fuse_reply_err(req, 0);
	}
	(void)rump_sys_close(ndfd);
	(void)rump_sys_close(dfd);
}

static void
rf_link(fuse_req_t req, fuse_ino_t id, fuse_ino_t newparent,
    const char *newname)
{
	int fd, ndfd;

	ENTER(req);
	if (!path_fds(req, id, newparent, &fd, &ndfd))
		return;
	if (rump_sys_linkat(fd, "", ndfd, newname, AT_EMPTY_PATH) == -1)
		fuse_reply_err(req, errno);
	else
		reply_entry(req, newparent, ndfd, newname);
	(void)rump_sys_close(ndfd);
	(void)rump_sys_close(fd);
}

/*
 * The kernel flags of an open through the mount.  With the writeback
 * cache the host reads pages of a file opened write-only (to fill a page
 * that is written in part) and places appends itself: the kernel file is
 * opened for reading and writing and without O_APPEND.
 */
static int
oflags(int flags)
{
	if (rf_opts.writeback) {
		if ((flags & O_ACCMODE) == O_WRONLY)
			flags = (flags & ~O_ACCMODE) | O_RDWR;
		flags &= ~O_APPEND;
	}
	return flags & ~(O_NOFOLLOW | O_CREAT | O_EXCL | O_NOCTTY);
}

static int
direct(int flags)
{
	return !rf_opts.writeback && (flags & O_ACCMODE) == O_WRONLY;
}

static void
rf_open(fuse_req_t req, fuse_ino_t id, struct fuse_file_info *fi)
{
	int fd;

	ENTER(req);
	if ((fd = node_open(id, oflags(fi->flags))) == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	if (fi->flags & O_TRUNC)
		rf_killpriv(req, id, fd);
	fi->fh = (uint64_t)fd;
	fi->keep_cache = 1;	/* nobody else changes the file */
	fi->direct_io = direct(fi->flags);
	if (fuse_reply_open(req, fi) == -ENOENT)
		(void)rump_sys_close(fd);
}

static void
rf_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    struct fuse_file_info *fi)
{
	struct fuse_entry_param e;
	int dfd, fd, error;

	ENTER(req);
	if ((dfd = path_fd(req, parent)) == -1)
		return;
	fd = rump_sys_openat(dfd, name, oflags(fi->flags) | O_CREAT |
	    (fi->flags & O_EXCL) | O_CLOEXEC, mode);
	if (fd == -1) {
		fuse_reply_err(req, errno);
		(void)rump_sys_close(dfd);
		return;
	}
	own(req, dfd, name);
	(void)rump_sys_close(dfd);
	if ((error = entry_at(0, fd, "", &e)) != 0) {
		(void)rump_sys_close(fd);
		fuse_reply_err(req, error);
		return;
	}
	fi->fh = (uint64_t)fd;
	fi->keep_cache = 1;
	fi->direct_io = direct(fi->flags);
	if (fuse_reply_create(req, &e, fi) == -ENOENT) {
		node_put(node_of(e.ino), 1);
		(void)rump_sys_close(fd);
	}
}

/* A buffer of each thread for reads, grown as needed. */
static __thread char *rf_rbuf;
static __thread size_t rf_rbufsize;

static void
rf_read(fuse_req_t req, fuse_ino_t id, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	ssize_t n;
	char *b;

	(void)id;
	ENTER(req);
	if (size > rf_rbufsize) {
		if ((b = realloc(rf_rbuf, size)) == NULL) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		rf_rbuf = b;
		rf_rbufsize = size;
	}
	if ((n = rump_sys_pread((int)fi->fh, rf_rbuf, size, off)) == -1)
		fuse_reply_err(req, errno);
	else
		fuse_reply_buf(req, rf_rbuf, (size_t)n);
}

static void
rf_write(fuse_req_t req, fuse_ino_t id, const char *buf, size_t size,
    off_t off, struct fuse_file_info *fi)
{
	ssize_t n;

	ENTER(req);
	if ((n = rump_sys_pwrite((int)fi->fh, buf, size, off)) == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	if (!fi->writepage)
		rf_killpriv(req, id, (int)fi->fh);
	fuse_reply_write(req, (size_t)n);
}

static void
rf_release(fuse_req_t req, fuse_ino_t id, struct fuse_file_info *fi)
{
	(void)id;
	ENTER(req);
	fuse_reply_err(req, ERR(rump_sys_close((int)fi->fh)));
}

static void
rf_fsync(fuse_req_t req, fuse_ino_t id, int datasync,
    struct fuse_file_info *fi)
{
	(void)id;
	ENTER(req);
	fuse_reply_err(req, ERR(datasync ? rump_sys_fdatasync((int)fi->fh) :
	    rump_sys_fsync((int)fi->fh)));
}

static void
rf_lseek(fuse_req_t req, fuse_ino_t id, off_t off, int whence,
    struct fuse_file_info *fi)
{
	off_t r;

	(void)id;
	ENTER(req);
	if ((r = rump_sys_lseek((int)fi->fh, off, whence)) == -1)
		fuse_reply_err(req, errno);
	else
		fuse_reply_lseek(req, r);
}

static void
rf_access(fuse_req_t req, fuse_ino_t id, int mask)
{
	int fd;

	ENTER(req);
	if ((fd = path_fd(req, id)) == -1)
		return;
	fuse_reply_err(req, ERR(rump_sys_faccessat2(fd, "", mask,
	    AT_EMPTY_PATH)));
	(void)rump_sys_close(fd);
}

static void
rf_statfs(fuse_req_t req, fuse_ino_t id)
{
	struct statvfs sv;
	struct statfs sf;

	(void)id;
	ENTER(req);
	if (rump_sys_fstatfs(rf_mntfd, &sf) == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	memset(&sv, 0, sizeof(sv));
	sv.f_bsize = (unsigned long)sf.f_bsize;
	sv.f_frsize = sf.f_frsize != 0 ? (unsigned long)sf.f_frsize :
	    (unsigned long)sf.f_bsize;
	sv.f_blocks = sf.f_blocks;
	sv.f_bfree = sf.f_bfree;
	sv.f_bavail = sf.f_bavail;
	sv.f_files = sf.f_files;
	sv.f_ffree = sf.f_ffree;
	sv.f_favail = sf.f_ffree;
	sv.f_namemax = (unsigned long)sf.f_namelen;
	fuse_reply_statfs(req, &sv);
}

/*
 * Directories.  An open directory is its kernel descriptor and the
 * listing read from it at the first readdir from offset 0 (again at
 * each rewind); the offset of an entry for the host is its index + 1.
 */
struct linux_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

struct rf_dir {
	int	fd;
	char	*buf;		/* the listing: getdents64 records */
	size_t	len, cap;
	size_t	*index;		/* offset in buf of each entry */
	size_t	nent;
};

static void
rf_opendir(fuse_req_t req, fuse_ino_t id, struct fuse_file_info *fi)
{
	struct rf_dir *d;

	ENTER(req);
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if ((d->fd = node_open(id, O_RDONLY | O_DIRECTORY)) == -1) {
		fuse_reply_err(req, errno);
		free(d);
		return;
	}
	fi->fh = (uint64_t)(uintptr_t)d;
	fi->cache_readdir = 1;	/* nobody else changes the directory */
	if (fuse_reply_open(req, fi) == -ENOENT) {
		(void)rump_sys_close(d->fd);
		free(d);
	}
}

/* Read d's whole listing from its start: 0 or an errno. */
static int
dir_load(struct rf_dir *d)
{
	size_t *ix, i;
	ssize_t n;
	char *b;

	d->len = 0;
	d->nent = 0;
	if (rump_sys_lseek(d->fd, 0, SEEK_SET) == -1)
		return errno;
	for (;;) {
		if (d->cap - d->len < 32768) {
			if ((b = realloc(d->buf, d->cap + 65536)) == NULL)
				return ENOMEM;
			d->buf = b;
			d->cap += 65536;
		}
		n = rump_sys_getdents64(d->fd, d->buf + d->len,
		    d->cap - d->len);
		if (n == -1)
			return errno;
		if (n == 0)
			break;
		d->len += (size_t)n;
	}
	for (i = 0; i < d->len; d->nent++)
		i += ((struct linux_dirent64 *)(void *)(d->buf + i))->d_reclen;
	if ((ix = realloc(d->index, (d->nent + 1) * sizeof(*ix))) == NULL)
		return ENOMEM;
	d->index = ix;
	for (i = 0, n = 0; i < d->len; n++) {
		ix[n] = i;
		i += ((struct linux_dirent64 *)(void *)(d->buf + i))->d_reclen;
	}
	return 0;
}

static bool
dot_or_dotdot(const char *name)
{
	return name[0] == '.' && (name[1] == '\0' ||
	    (name[1] == '.' && name[2] == '\0'));
}

/*
 * readdir and readdirplus from entry off.  For readdirplus each entry
 * but "." and ".." comes with its node (a lookup counted, given back
 * when the entry does not fit) and full attributes, so that ls -l or
 * find need no LOOKUP and GETATTR per entry.
 */
static void
read_dir(fuse_req_t req, fuse_ino_t id, size_t size, off_t off,
    struct fuse_file_info *fi, bool plus)
{
	struct rf_dir *d = (struct rf_dir *)(uintptr_t)fi->fh;
	struct fuse_entry_param e;
	struct linux_dirent64 *de;
	size_t i, used = 0, len;
	char *out;
	int error = 0;

	ENTER(req);
	if ((out = malloc(size)) == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if ((off == 0 || d->index == NULL) && (error = dir_load(d)) != 0)
		goto out;
	for (i = (size_t)off; i < d->nent; i++) {
		de = (void *)(d->buf + d->index[i]);
		if (plus && !dot_or_dotdot(de->d_name)) {
			if ((error = entry_at(id, d->fd, de->d_name, &e)) != 0) {
				if (error != ENOENT)
					break;
				error = 0;	/* removed meanwhile */
				continue;
			}
		} else {
			memset(&e, 0, sizeof(e));
			e.attr.st_ino = (ino_t)de->d_ino;
			e.attr.st_mode = (mode_t)de->d_type << 12;
		}
		len = plus ? fuse_add_direntry_plus(req, out + used,
		    size - used, de->d_name, &e, (off_t)(i + 1)) :
		    fuse_add_direntry(req, out + used, size - used,
		    de->d_name, &e.attr, (off_t)(i + 1));
		if (len > size - used) {
			if (e.ino != 0)
				node_put(node_of(e.ino), 1);
			break;
		}
		used += len;
	}
 out:
	if (error != 0 && used == 0)
		fuse_reply_err(req, error);
	else
		fuse_reply_buf(req, out, used);
	free(out);
}

static void
rf_readdir(fuse_req_t req, fuse_ino_t id, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	read_dir(req, id, size, off, fi, false);
}

static void
rf_readdirplus(fuse_req_t req, fuse_ino_t id, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	read_dir(req, id, size, off, fi, true);
}

static void
rf_releasedir(fuse_req_t req, fuse_ino_t id, struct fuse_file_info *fi)
{
	struct rf_dir *d = (struct rf_dir *)(uintptr_t)fi->fh;

	(void)id;
	ENTER(req);
	(void)rump_sys_close(d->fd);
	free(d->buf);
	free(d->index);
	free(d);
	fuse_reply_err(req, 0);
}

static void
rf_fsyncdir(fuse_req_t req, fuse_ino_t id, int datasync,
    struct fuse_file_info *fi)
{
	struct rf_dir *d = (struct rf_dir *)(uintptr_t)fi->fh;

	(void)id;
	ENTER(req);
	fuse_reply_err(req, ERR(datasync ? rump_sys_fdatasync(d->fd) :
	    rump_sys_fsync(d->fd)));
}

/*
 * Extended attributes, with the *xattrat calls.  The server acts as
 * root; the host has checked the caller's permission (trusted.* and
 * writing security.* need root there, user.* the file's mode with -o
 * default_permissions).  A file that node_opens allows is opened by its
 * handle and named by its descriptor (AT_EMPTY_PATH; Linux refuses an
 * O_PATH descriptor there).  A symbolic link or a device is named by
 * the name its node was last seen under (node_name) in that directory,
 * checked to still lead to the node's file before the call (and, for
 * get and list, which another worker's rename could slip under, after
 * it too): ESTALE if it does not, as when that name was removed while
 * another name of the file is left (a hard link), where a local file
 * system would still answer.
 */
struct xattr_target {
	int	fd;			/* to close */
	int	flags;			/* at_flags */
	char	name[NAME_MAX + 1];	/* "" with AT_EMPTY_PATH */
};

/* Does name in dfd still lead to the file of node n? */
static bool
xattr_name_ok(const struct rf_node *n, int dfd, const char *name)
{
	struct rf_handle h;
	struct stat st;

	return handle_at(dfd, name, &h, &st) == 0 && same_handle(&h.fh,
	    &n->fh);
}

/* The target of node id's attributes: 0, or an errno. */
static int
xattr_target(fuse_ino_t id, struct xattr_target *t)
{
	struct rf_node *n = node_of(id);
	struct rf_handle dir;
	int error;

	if (node_opens(n->type)) {
		t->name[0] = '\0';
		t->flags = AT_EMPTY_PATH;
		t->fd = node_open(id, O_RDONLY | O_NONBLOCK);
		return t->fd == -1 ? errno : 0;
	}
	t->flags = AT_SYMLINK_NOFOLLOW;
	pthread_mutex_lock(&rf_lock);
	error = n->lname == NULL ? ESTALE : 0;
	if (error == 0) {
		(void)snprintf(t->name, sizeof(t->name), "%s", n->lname);
		memcpy(&dir.fh, n->ldir, sizeof(*n->ldir) +
		    n->ldir->handle_bytes);
	}
	pthread_mutex_unlock(&rf_lock);
	if (error != 0)
		return error;
	if ((t->fd = rump_sys_open_by_handle_at(rf_mntfd, &dir.fh,
	    O_PATH | O_CLOEXEC)) == -1)
		return errno;
	if (!xattr_name_ok(n, t->fd, t->name)) {
		(void)rump_sys_close(t->fd);
		return ESTALE;	/* renamed or removed by another name */
	}
	return 0;
}

/* After a get or list by name: close the target; did the name still
 * lead to the node's file (else the answer may be another file's)? */
static bool
xattr_done(fuse_ino_t id, struct xattr_target *t)
{
	bool ok = t->name[0] == '\0' || xattr_name_ok(node_of(id), t->fd,
	    t->name);

	(void)rump_sys_close(t->fd);
	return ok;
}

/* setxattrat and getxattrat's arguments (Linux 6.13's <linux/xattr.h>,
 * newer than Debian 12's). */
struct xattr_args {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

static void
rf_setxattr(fuse_req_t req, fuse_ino_t id, const char *xname,
    const char *value, size_t size, int xflags)
{
	struct xattr_target t;
	struct xattr_args args;
	int error;

	ENTER(req);
	if ((error = xattr_target(id, &t)) != 0) {
		fuse_reply_err(req, error);
		return;
	}
	memset(&args, 0, sizeof(args));
	args.value = (uint64_t)(uintptr_t)value;
	args.size = (uint32_t)size;
	args.flags = (uint32_t)xflags;
	error = ERR(rump_sys_setxattrat(t.fd, t.name, t.flags, xname, &args,
	    sizeof(args)));
	(void)rump_sys_close(t.fd);
	fuse_reply_err(req, error);
}

static void
rf_removexattr(fuse_req_t req, fuse_ino_t id, const char *xname)
{
	struct xattr_target t;
	int error;

	ENTER(req);
	if ((error = xattr_target(id, &t)) != 0) {
		fuse_reply_err(req, error);
		return;
	}
	error = ERR(rump_sys_removexattrat(t.fd, t.name, t.flags, xname));
	(void)rump_sys_close(t.fd);
	fuse_reply_err(req, error);
}

/*
 * Answer a GETXATTR or LISTXATTR from n bytes at buf (or -1 and errno):
 * the length when the host asks with size 0, else the bytes (ERANGE
 * when they do not fit in size).
 */
static void
reply_xattr(fuse_req_t req, const char *buf, ssize_t n, size_t size)
{
	if (n == -1)
		fuse_reply_err(req, errno);
	else if (size == 0)
		fuse_reply_xattr(req, (size_t)n);
	else if ((size_t)n > size)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, buf, (size_t)n);
}

static void
rf_getxattr(fuse_req_t req, fuse_ino_t id, const char *xname, size_t size)
{
	struct xattr_target t;
	struct xattr_args args;
	char *buf = NULL;
	ssize_t n;
	int error;

	ENTER(req);
	size = MIN(size, XATTR_SIZE_MAX);
	if (size != 0 && (buf = malloc(size)) == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if ((error = xattr_target(id, &t)) != 0) {
		fuse_reply_err(req, error);
		free(buf);
		return;
	}
	memset(&args, 0, sizeof(args));
	args.value = (uint64_t)(uintptr_t)buf;
	args.size = (uint32_t)size;
	n = rump_sys_getxattrat(t.fd, t.name, t.flags, xname, &args,
	    sizeof(args));
	error = errno;
	if (!xattr_done(id, &t))
		fuse_reply_err(req, ESTALE);
	else {
		errno = error;
		reply_xattr(req, buf, n, size);
	}
	free(buf);
}

/*
 * Drop the trusted.* names from the n bytes of a listing at buf, as a
 * local file system does for a caller other than root (the host passes
 * the server's listing on as it is), and an unterminated last name; the
 * new length.
 */
static size_t
xattr_hide_trusted(char *buf, size_t n)
{
	size_t i = 0, o = 0, len;
	char *end;

	while (i < n && (end = memchr(buf + i, '\0', n - i)) != NULL) {
		len = (size_t)(end - (buf + i)) + 1;
		if (len <= 8 || memcmp(buf + i, "trusted.", 8) != 0) {
			memmove(buf + o, buf + i, len);
			o += len;
		}
		i += len;
	}
	return o;
}

static void
rf_listxattr(fuse_req_t req, fuse_ino_t id, size_t size)
{
	struct xattr_target t;
	char *buf;
	ssize_t n;
	int error;

	ENTER(req);
	if ((buf = malloc(XATTR_LIST_MAX)) == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if ((error = xattr_target(id, &t)) != 0) {
		fuse_reply_err(req, error);
		free(buf);
		return;
	}
	n = rump_sys_listxattrat(t.fd, t.name, t.flags, buf, XATTR_LIST_MAX);
	error = errno;
	if (!xattr_done(id, &t)) {
		fuse_reply_err(req, ESTALE);
		free(buf);
		return;
	}
	if (n > 0 && fuse_req_ctx(req)->uid != 0)
		n = (ssize_t)xattr_hide_trusted(buf, (size_t)n);
	errno = error;
	reply_xattr(req, buf, n, size);
	free(buf);
}

static const struct fuse_lowlevel_ops rf_ops = {
	.init		= rf_init,
	.lookup		= rf_lookup,
	.forget		= rf_forget,
	.forget_multi	= rf_forget_multi,
	.getattr	= rf_getattr,
	.setattr	= rf_setattr,
	.readlink	= rf_readlink,
	.mknod		= rf_mknod,
	.mkdir		= rf_mkdir,
	.unlink		= rf_unlink,
	.rmdir		= rf_rmdir,
	.symlink	= rf_symlink,
	.rename		= rf_rename,
	.link		= rf_link,
	.open		= rf_open,
	.create		= rf_create,
	.read		= rf_read,
	.write		= rf_write,
	.release	= rf_release,
	.fsync		= rf_fsync,
	.lseek		= rf_lseek,
	.access		= rf_access,
	.statfs		= rf_statfs,
	.opendir	= rf_opendir,
	.readdir	= rf_readdir,
	.readdirplus	= rf_readdirplus,
	.releasedir	= rf_releasedir,
	.fsyncdir	= rf_fsyncdir,
	.setxattr	= rf_setxattr,
	.getxattr	= rf_getxattr,
	.listxattr	= rf_listxattr,
	.removexattr	= rf_removexattr,
};

/*
 * The loop: leader and followers.  One worker at a time, the leader,
 * reads the FUSE device (not blocking) and hands each request to libfuse
 * (which calls the operations above and writes the answer).  When there
 * is none, it reads again until rf_opts.spin microseconds have passed
 * since its last request (a program on the mount waits for every answer,
 * and on a virtual machine waking a sleeping server costs about as much
 * as the request), then sleeps in epoll.  The followers sleep on a
 * condition variable, so that a program's requests, one after the
 * other, wake no one.  Only when requests come faster than one at a
 * time (after taking one the leader finds a second waiting, and a
 * program waits for each: not a RELEASE or FORGET, which the host sends
 * in the background, as after every close) does the leader hand the
 * second to a follower, give up the lead to another and serve the first
 * itself; a follower done with a request reads the device once more
 * before it sleeps.  The end (unmount: ENODEV; a
 * signal, rf_signal) wakes everyone through rf_endfd and the condition
 * variable.
 */
struct rf_loop {
	struct fuse_session *se;
	int	fd;		/* the FUSE device */
	size_t	bufsize;
	unsigned int nworkers;	/* set before the workers start */
	pthread_mutex_t lock;
	pthread_cond_t cv;
	bool	leading;	/* a worker is the leader (lock) */
	unsigned int waiting;	/* followers asleep (lock) */
	char	*handoff;	/* a request for a follower (lock) */
	size_t	handofflen;
	char	**pool;		/* free buffers for handoffs (lock) */
	size_t	npool;
	int	error;		/* the first read error (lock) */
	unsigned int credit;	/* the leader's: probe() */
	unsigned int nth;	/* the leader's: probe() */
};

static int rf_endfd = -1;	/* eventfd: the loop ends */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* SIGINT, SIGTERM, SIGHUP: end the loop. */
static void
rf_signal(int sig)
{
	(void)sig;
	fuse_session_exit(rf_se);
	(void)eventfd_write(rf_endfd, 1);
}

static int
set_signals(void (*handler)(int))
{
	struct sigaction sa = { .sa_handler = handler };
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) == -1)
			return -1;
	sa.sa_handler = handler == SIG_DFL ? SIG_DFL : SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

/* The loop ends (error: a read error, else 0); lp->lock held. */
static void
loop_end(struct rf_loop *lp, int error)
{
	if (error != 0 && lp->error == 0)
		lp->error = error;
	fuse_session_exit(lp->se);
	(void)eventfd_write(rf_endfd, 1);
	pthread_cond_broadcast(&lp->cv);
}

static void
process(struct rf_loop *lp, char *buf, size_t len)
{
	struct fuse_buf fbuf = { .mem = buf, .size = len };

	fuse_session_process_buf(lp->se, &fbuf);
}

/*
 * Read a request into buf: its length, 0 when there is none now, -1 when
 * the loop is to end (lp->error set for an error).
 */
static ssize_t
get_request(struct rf_loop *lp, char *buf)
{
	ssize_t n;

	for (;;) {
		if (fuse_session_exited(lp->se))
			return -1;
		if ((n = read(lp->fd, buf, lp->bufsize)) > 0)
			return n;
		if (n == 0 || errno == ENODEV) {	/* unmounted */
			pthread_mutex_lock(&lp->lock);
			loop_end(lp, 0);
			pthread_mutex_unlock(&lp->lock);
			return -1;
		}
		if (errno == EAGAIN)
			return 0;
		if (errno != EINTR && errno != ENOENT) {
			pthread_mutex_lock(&lp->lock);
			loop_end(lp, errno);
			pthread_mutex_unlock(&lp->lock);
			return -1;
		}
	}
}

/*
 * Is the request in buf one that no program waits for: the host sends
 * RELEASE (of a file; a directory's too) and FORGET in the background.
 */
static bool
no_waiter(const char *buf)
{
	switch (((const struct fuse_in_header *)(const void *)buf)->opcode) {
	case FUSE_RELEASE:
	case FUSE_RELEASEDIR:
	case FUSE_FORGET:
	case FUSE_BATCH_FORGET:
		return true;
	default:
		return false;
	}
}

/*
 * Does the leader, holding the request in buf, look for a second one
 * waiting (a read of the device more, on the way of the request)?  Not
 * with a single worker.  After a RELEASE or FORGET (the program that
 * closed goes on with its next request, which should come first), and
 * for RF_PROBE_CREDIT requests after a look found two requests that
 * programs wait for (programs on the mount at once; a close's RELEASE
 * with the program's next request is one program); otherwise on every
 * RF_PROBE_EVERY-th request only, so that one program's requests, one
 * after the other, cost one read each.
 */
#define RF_PROBE_CREDIT 64
#define RF_PROBE_EVERY 16

static bool
probe(struct rf_loop *lp, const char *buf)
{
	if (lp->nworkers < 2)
		return false;
	return no_waiter(buf) || lp->credit > 0 ||
	    ++lp->nth % RF_PROBE_EVERY == 0;
}

/*
 * Lead until the loop ends (-1) or a request was handed to a follower
 * and the lead given up (0).  buf is the worker's own buffer.
 */
static int
lead(struct rf_loop *lp, char *buf, int ep)
{
	uint64_t spin = (uint64_t)rf_opts.spin * 1000, last = now_ns();
	struct epoll_event ev;
	ssize_t n, n2;
	char *spare;

	for (;;) {
		if ((n = get_request(lp, buf)) < 0)
			return -1;
		if (n > 0) {
			spare = NULL;
			if (probe(lp, buf)) {
				pthread_mutex_lock(&lp->lock);
				if (lp->waiting > 0 && lp->handoff == NULL &&
				    lp->npool > 0)
					spare = lp->pool[--lp->npool];
				pthread_mutex_unlock(&lp->lock);
			}
			n2 = spare != NULL ? get_request(lp, spare) : 0;
			if (n2 > 0 && !no_waiter(spare) && !no_waiter(buf))
				lp->credit = RF_PROBE_CREDIT;
			else if (lp->credit > 0)
				lp->credit--;
			if (n2 > 0 && (no_waiter(spare) || no_waiter(buf))) {
				/* Nobody waits for one of them (a close's
				 * RELEASE after a program's last request on
				 * a file): both here, the other first. */
				if (no_waiter(buf)) {
					process(lp, spare, (size_t)n2);
					process(lp, buf, (size_t)n);
				} else {
					process(lp, buf, (size_t)n);
					process(lp, spare, (size_t)n2);
				}
				pthread_mutex_lock(&lp->lock);
				lp->pool[lp->npool++] = spare;
				pthread_mutex_unlock(&lp->lock);
				last = now_ns();
				continue;
			}
			if (n2 > 0) {
				/* Two at once: one to a follower, the lead
				 * to another. */
				pthread_mutex_lock(&lp->lock);
				lp->handoff = spare;
				lp->handofflen = (size_t)n2;
				lp->leading = false;
				pthread_cond_broadcast(&lp->cv);
				pthread_mutex_unlock(&lp->lock);
				process(lp, buf, (size_t)n);
				return 0;
			}
			if (spare != NULL) {
				pthread_mutex_lock(&lp->lock);
				lp->pool[lp->npool++] = spare;
				pthread_mutex_unlock(&lp->lock);
			}
			process(lp, buf, (size_t)n);
			if (n2 < 0)
				return -1;
			last = now_ns();
			continue;
		}
		if (spin != 0 && now_ns() - last < spin)
			continue;
		if (epoll_wait(ep, &ev, 1, -1) == -1 && errno != EINTR) {
			pthread_mutex_lock(&lp->lock);
			loop_end(lp, errno);
			pthread_mutex_unlock(&lp->lock);
			return -1;
		}
		last = now_ns();
	}
}

static void *
rf_worker(void *arg)
{
	struct rf_loop *lp = arg;
	struct epoll_event ev = { .events = EPOLLIN };
	char *buf, *b;
	size_t len;
	ssize_t n;
	int ep = -1;

	if ((buf = malloc(lp->bufsize)) == NULL ||
	    (ep = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, lp->fd, &ev) == -1 ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, rf_endfd, &ev) == -1) {
		pthread_mutex_lock(&lp->lock);
		loop_end(lp, errno != 0 ? errno : ENOMEM);
		pthread_mutex_unlock(&lp->lock);
		goto out;
	}
	pthread_mutex_lock(&lp->lock);
	while (!fuse_session_exited(lp->se)) {
		if (lp->handoff != NULL) {
			b = lp->handoff;
			len = lp->handofflen;
			lp->handoff = NULL;
			pthread_mutex_unlock(&lp->lock);
			process(lp, b, len);
			/* More may be waiting: one read before sleeping. */
			n = get_request(lp, b);
			if (n > 0)
				process(lp, b, (size_t)n);
			pthread_mutex_lock(&lp->lock);
			lp->pool[lp->npool++] = b;
			continue;
		}
		if (!lp->leading) {
			lp->leading = true;
			pthread_mutex_unlock(&lp->lock);
			n = lead(lp, buf, ep);
			pthread_mutex_lock(&lp->lock);
			if (n < 0) {
				lp->leading = false;
				break;
			}
			continue;
		}
		lp->waiting++;
		pthread_cond_wait(&lp->cv, &lp->lock);
		lp->waiting--;
	}
	pthread_cond_broadcast(&lp->cv);
	pthread_mutex_unlock(&lp->lock);
 out:
	if (ep != -1)
		(void)close(ep);
	free(buf);
	free(rf_rbuf);
	rf_rbuf = NULL;
	rf_rbufsize = 0;
	return NULL;
}

/*
 * The INIT request.  libfuse 3.14 leaves FUSE_HANDLE_KILLPRIV and
 * FUSE_PARALLEL_DIROPS out of its answer whatever the file system wants
 * (conn->want; the -d output shows the flags it sends), which costs a
 * GETATTR before every chown and serialises the host's lookups in a
 * directory.  So INIT is served, before the workers start, with the
 * device's descriptor number pointing at a pipe; the answer, with the
 * flags of rf_initflags that the kernel offered added, is then written
 * to the device here.  Any other first request is served as it is.
 * 0, or -1 when the loop is to end.
 */
static int
serve_init(struct rf_loop *lp, char *buf)
{
	struct pollfd pfd = { .fd = lp->fd, .events = POLLIN };
	const struct fuse_in_header *ih = (const void *)buf;
	const struct fuse_init_in *in = (const void *)(ih + 1);
	char out[sizeof(struct fuse_out_header) + sizeof(struct fuse_init_out)];
	struct fuse_out_header *oh = (void *)out;
	struct fuse_init_out *io = (void *)(oh + 1);
	int p[2], saved;
	ssize_t n, r;

	while ((n = get_request(lp, buf)) == 0)
		(void)poll(&pfd, 1, -1);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(*ih) + offsetof(struct fuse_init_in, flags2) ||
	    ih->opcode != FUSE_INIT || pipe2(p, O_CLOEXEC) == -1) {
		process(lp, buf, (size_t)n);
		return 0;
	}
	if ((saved = dup(lp->fd)) == -1 || dup2(p[1], lp->fd) == -1) {
		if (saved != -1)
			(void)close(saved);
		(void)close(p[0]);
		(void)close(p[1]);
		process(lp, buf, (size_t)n);
		return 0;
	}
	process(lp, buf, (size_t)n);
	(void)dup2(saved, lp->fd);
	(void)close(saved);
	(void)close(p[1]);
	r = read(p[0], out, sizeof(out));
	(void)close(p[0]);
	if (r >= (ssize_t)(sizeof(*oh) + offsetof(struct fuse_init_out,
	    max_background)) && oh->error == 0)
		io->flags |= rf_initflags & in->flags;
	if (r > 0 && write(lp->fd, out, (size_t)r) != r) {
		pthread_mutex_lock(&lp->lock);
		loop_end(lp, errno);
		pthread_mutex_unlock(&lp->lock);
		return -1;
	}
	return 0;
}

/* Serve se with nworkers threads (the caller's one of them): 0 or -1. */
static int
rf_serve(struct fuse_session *se, unsigned int nworkers)
{
	struct rf_loop lp = {
		.se = se,
		.fd = fuse_session_fd(se),
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cv = PTHREAD_COND_INITIALIZER,
	};
	pthread_t *tids = NULL;
	unsigned int i, started = 0;
	int fl, rc = 0;
	char *buf;

	/* libfuse's own: the most a request can hold, and a header. */
	lp.bufsize = (size_t)sysconf(_SC_PAGESIZE) * 256 + 4096;
	if ((fl = fcntl(lp.fd, F_GETFL)) == -1 ||
	    fcntl(lp.fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    (buf = malloc(lp.bufsize)) == NULL) {
		fprintf(stderr, "%s: %s\n", progname, strerror(errno));
		return -1;
	}
	i = (unsigned int)serve_init(&lp, buf);
	free(buf);
	if (i != 0)
		goto out;
	tids = calloc(nworkers, sizeof(*tids));
	lp.pool = calloc(nworkers, sizeof(*lp.pool));
	if (tids == NULL || lp.pool == NULL)
		nworkers = 1;
	lp.nworkers = nworkers;
	/* A buffer for each follower's handoff (none with one worker). */
	for (i = 1; i < nworkers; i++)
		if ((lp.pool[lp.npool] = malloc(lp.bufsize)) != NULL)
			lp.npool++;
	for (i = 1; i < nworkers; i++)
		if (pthread_create(&tids[started], NULL, rf_worker, &lp) == 0)
			started++;
	rf_worker(&lp);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	for (i = 0; i < lp.npool; i++)
		free(lp.pool[i]);
	free(lp.pool);
	free(tids);
 out:
	fuse_session_reset(se);
	if (lp.error != 0) {
		fprintf(stderr, "%s: reading the FUSE device: %s\n", progname,
		    strerror(lp.error));
		rc = -1;
	}
	return rc;
}

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-t TYPE] [-o OPTIONS] [-f] [-s] [-d] "
	    "IMAGE MOUNTPOINT\n", progname);
	exit(2);
}

/* Does the comma-separated option list opts hold name or name=...? */
static bool
has_opt(const char *opts, const char *name)
{
	const char *p = opts;
	size_t len, nlen = strlen(name);

	while (*p != '\0') {
		len = strcspn(p, ",");
		if (len >= nlen && strncmp(p, name, nlen) == 0 &&
		    (len == nlen || p[nlen] == '='))
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

/*
 * The kernel's virtual CPUs, as it counts them (RUMP_NCPU, by default
 * the host's online CPUs): the default number of FUSE worker threads.
 */
static unsigned int
kernel_ncpu(void)
{
	const char *v = getenv("RUMP_NCPU");
	long n = 0;

	if (v != NULL)
		n = strtol(v, NULL, 10);
	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned int)n : 1;
}

/*
 * The kernel file system type of an image, from its superblock: "ext4"
 * (any ext2/3/4: magic 0xEF53 at byte 1080), or NULL with a message.
 */
static const char *
detect_type(const char *image)
{
	unsigned char m[2];
	int fd;
	ssize_t n;

	if ((fd = open(image, O_RDONLY)) == -1) {
		fprintf(stderr, "%s: %s: %s\n", progname, image,
		    strerror(errno));
		return NULL;
	}
	n = pread(fd, m, sizeof(m), 1024 + 56);
	close(fd);
	if (n == (ssize_t)sizeof(m) && m[0] == 0x53 && m[1] == 0xef)
		return "ext4";
	fprintf(stderr, "%s: %s: unknown file system type (give it with -t)\n",
	    progname, image);
	return NULL;
}

/*
 * The root node: the handle of /mnt, the mount's root, whose descriptor
 * rf_mntfd names the mount for open_by_handle_at.
 */
static int
root_node(void)
{
	struct rf_handle h;
	struct stat st;
	int error;

	if ((rf_mntfd = rump_sys_open(MNT, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return errno;
	if ((error = handle_at(rf_mntfd, "", &h, &st)) != 0)
		return error;
	rf_nbuckets = 1024;
	if ((rf_nodes = calloc(rf_nbuckets, sizeof(*rf_nodes))) == NULL ||
	    (rf_root = malloc(sizeof(*rf_root) + h.fh.handle_bytes)) == NULL)
		return ENOMEM;
	memcpy(&rf_root->fh, &h.fh, sizeof(h.fh) + h.fh.handle_bytes);
	rf_root->ino = 0;	/* not in rf_nodes: a lookup never finds it */
	rf_root->type = S_IFDIR;
	rf_root->nlookup = 1;
	rf_root->pinfd = -1;
	rf_root->lname = NULL;
	rf_root->ldir = NULL;
	rf_root->next = NULL;
	return 0;
}

/*
 * Boot the kernel, become the server's process (bound to the calling
 * thread) and mount the image on /mnt; 0 or an errno.
 */
static int
kernel_mount(const char *image, const char *type, bool ro)
{
	struct rlimit rl;
	int error;

	if ((error = rump_init()) != 0) {
		fprintf(stderr, "%s: rump_init: %s\n", progname,
		    strerror(error));
		return error;
	}
	if ((error = rump_lwproc_rfork(RUMP_RFCFDG)) != 0) {
		fprintf(stderr, "%s: rfork: %s\n", progname, strerror(error));
		return error;
	}
	rf_pid = rump_sys_getpid();
	rf_bound = true;
	/*
	 * Every file the host holds open through the mount is a descriptor
	 * of this process: the most a kernel process may have, not 1024.
	 */
	rl.rlim_cur = rl.rlim_max = RF_NOFILE;
	if (rump_sys_setrlimit(RLIMIT_NOFILE, &rl) == -1)
		fprintf(stderr, "%s: setrlimit RLIMIT_NOFILE %lu: %s\n",
		    progname, (unsigned long)RF_NOFILE, strerror(errno));
	/* The host applied the caller's umask to the modes we are given. */
	(void)rump_sys_umask(0);
	if ((error = rump_pub_etfs_register(DEV, image, RUMP_ETFS_BLK)) != 0) {
		fprintf(stderr, "%s: %s: %s\n", progname, image,
		    strerror(error));
		return error;
	}
	if ((rump_sys_mkdir(MNT, 0755) == -1 && errno != EEXIST) ||
	    rump_sys_mount(DEV, MNT, type, ro ? MS_RDONLY : 0, NULL) == -1) {
		error = errno;
		fprintf(stderr, "%s: mount %s (type %s): %s\n", progname, image,
		    type, strerror(error));
		return error;
	}
	if ((error = root_node()) != 0) {
		fprintf(stderr, "%s: the root of %s: %s\n", progname, image,
		    strerror(error));
		return error;
	}
	return 0;
}

static void
kernel_halt(void)
{
	if (rf_mntfd != -1)
		(void)rump_sys_close(rf_mntfd);
	if (rump_sys_umount2(MNT, 0) == -1)
		fprintf(stderr, "%s: umount: %s\n", progname, strerror(errno));
	if (rump_sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	    LINUX_REBOOT_CMD_HALT, NULL) == -1)
		fprintf(stderr, "%s: halt: %s\n", progname, strerror(errno));
}

int
main(int argc, char **argv)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_cmdline_opts opts;
	struct fuse_session *se = NULL;
	const char *type = NULL, *image = NULL;
	char fsname[PATH_MAX + 16];
	char *imgabs = NULL;
	bool ro = false, mounted = false, nthreads = false;
	int i, rc = 1, pfd[2] = { -1, -1 };
	pid_t pid;
	char ok;

	/* Take -t and IMAGE; libfuse parses the rest. */
	fuse_opt_add_arg(&args, argv[0]);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-t") == 0) {
			if (++i == argc)
				usage();
			type = argv[i];
		} else if (strcmp(argv[i], "-o") == 0) {
			if (++i == argc)
				usage();
			ro |= has_opt(argv[i], "ro");
			nthreads |= has_opt(argv[i], "max_threads");
			fuse_opt_add_arg(&args, "-o");
			fuse_opt_add_arg(&args, argv[i]);
		} else if (strncmp(argv[i], "-o", 2) == 0) {
			ro |= has_opt(argv[i] + 2, "ro");
			nthreads |= has_opt(argv[i] + 2, "max_threads");
			fuse_opt_add_arg(&args, argv[i]);
		} else if (argv[i][0] != '-' && image == NULL)
			image = argv[i];
		else
			fuse_opt_add_arg(&args, argv[i]);
	}
	if (fuse_opt_parse(&args, &rf_opts, rf_optspec, NULL) != 0 ||
	    fuse_parse_cmdline(&args, &opts) != 0)
		usage();
	if (opts.show_help) {
		printf("usage: %s [-t TYPE] [-o OPTIONS] IMAGE MOUNTPOINT\n\n"
		    "rumpfuse options:\n"
		    "    -o writeback_cache     writes through the host's "
		    "page cache\n"
		    "    -o attr_timeout=S      attributes cached S seconds "
		    "(1)\n"
		    "    -o entry_timeout=S     names cached S seconds (1)\n"
		    "    -o negative_timeout=S  missing names cached S "
		    "seconds (1)\n"
		    "    -o spin=US             a worker polls US "
		    "microseconds before it sleeps (50)\n\n", progname);
		fuse_cmdline_help();
		fuse_lowlevel_help();
		return 0;
	}
	if (opts.show_version) {
		printf("%s, libfuse %s\n", progname, fuse_pkgversion());
		return 0;
	}
	if (image == NULL || opts.mountpoint == NULL)
		usage();
	if ((imgabs = realpath(image, NULL)) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, image,
		    strerror(errno));
		goto out;
	}
	if (type == NULL && (type = detect_type(imgabs)) == NULL)
		goto out;
	snprintf(fsname, sizeof(fsname), "-ofsname=%s,subtype=rumpfuse",
	    imgabs);
	fuse_opt_add_arg(&args, fsname);

	/* Detach before the kernel boots; the parent waits for the word. */
	if (!opts.foreground) {
		if (pipe(pfd) == -1 || (pid = fork()) == -1) {
			fprintf(stderr, "%s: fork: %s\n", progname,
			    strerror(errno));
			goto out;
		}
		if (pid != 0) {
			close(pfd[1]);
			if (read(pfd[0], &ok, 1) == 1 && ok == 0)
				_exit(0);
			waitpid(pid, NULL, 0);
			_exit(1);
		}
		close(pfd[0]);
	}

	if (pthread_key_create(&rf_lwpkey, rf_thread_exit) != 0 ||
	    kernel_mount(imgabs, type, ro) != 0)
		goto halt;
	mounted = true;
	if ((se = fuse_session_new(&args, &rf_ops, sizeof(rf_ops),
	    NULL)) == NULL)
		goto halt;
	if (fuse_session_mount(se, opts.mountpoint) != 0)
		goto destroy;
	rf_se = se;
	if ((rf_endfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) == -1 ||
	    set_signals(rf_signal) != 0) {
		fprintf(stderr, "%s: %s\n", progname, strerror(errno));
		goto unmount;
	}
	if (!opts.foreground) {
		(void)setsid();
		(void)chdir("/");
		i = open("/dev/null", O_RDWR);
		if (i != -1) {
			dup2(i, 0);
			dup2(i, 1);
			dup2(i, 2);
			if (i > 2)
				close(i);
		}
		ok = 0;
		(void)write(pfd[1], &ok, 1);
		close(pfd[1]);
		pfd[1] = -1;
	}
	rc = rf_serve(se, opts.singlethread ? 1 : nthreads ?
	    (opts.max_threads > 0 ? opts.max_threads : 1) : kernel_ncpu()) != 0;
	(void)set_signals(SIG_DFL);
unmount:
	fuse_session_unmount(se);
destroy:
	fuse_session_destroy(se);
halt:
	if (mounted)
		kernel_halt();
	else
		(void)rump_sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		    LINUX_REBOOT_CMD_HALT, NULL);
out:
	if (pfd[1] != -1) {
		ok = 1;
		(void)write(pfd[1], &ok, 1);
	}
	if (rf_endfd != -1)
		(void)close(rf_endfd);
	free(imgabs);
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	return rc;
}
