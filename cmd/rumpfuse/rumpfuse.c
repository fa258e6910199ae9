/*
 * rumpfuse: mount a disk image on a host directory through FUSE, with
 * the rump kernel's file system driver serving it.
 *
 *	rumpfuse [-t TYPE] [-o OPTIONS] [-f] [-s] [-d] IMAGE MOUNTPOINT
 *
 * Without -t, the type is read from the image's superblock (ext2/3/4,
 * mounted as "ext4", which takes all three).
 * The kernel boots in this process; the image is its block device
 * /dev/xbd0 (etfs) and is mounted on /mnt inside it.  The libfuse3
 * high-level (path) API turns each FUSE request into the system call on
 * "/mnt" + path; errors are the kernel's Linux errno values, returned
 * negated.
 *
 * Threads: the kernel runs the server as a process of its own (made by
 * rump_lwproc_rfork at boot, with an empty descriptor table), and every
 * thread that serves FUSE requests, the main one and each worker of
 * fuse_loop_mt, gets an lwp of that process bound to it the first time
 * it enters an operation (rf_thread), given back when the thread exits.
 * The workers thus share the process's descriptor table, so an open
 * file's kernel descriptor is kept in fi->fh, and never share an lwp: a
 * thread enters the kernel on a virtual CPU of its own choosing (the
 * scheduler starts from the CPU its lwp last had), never waiting for
 * another thread's borrowed lwp.  Unless -o max_threads= says otherwise,
 * fuse_loop_mt runs at most as many workers as the kernel has virtual
 * CPUs (RUMP_NCPU, by default the host's CPUs), so that each worker can
 * hold a CPU of its own; -s serves with the main thread alone.  No lock
 * of ours is needed: the kernel does its own locking.
 *
 * Caching: the kernel's driver is the only writer of the image while it
 * is mounted, and every change comes through this mount, so the host
 * kernel may cache what it is told.  -o writeback_cache lets writes go
 * through the host's page cache, which sends them in large requests when
 * a file is closed or synced; it is off by default: the host then keeps
 * a file's times itself, and a new file's ctime can be older than its
 * mtime (the POSIX suite sees it), for no gain measured here.  flush is
 * left unimplemented so that close(2) does not cost a request (there is
 * nothing to push: the kernel has every write already).
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
#include <fuse.h>
#include <fuse_lowlevel.h>
#include <limits.h>
#include <linux/reboot.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvfs.h>

#define MNT	"/mnt"
#define DEV	"/dev/xbd0"

static const char *progname = "rumpfuse";

/* Options of our own (-o), taken out before libfuse sees the rest. */
struct rf_opts {
	int	writeback;		/* the host's writeback cache */
};

static struct rf_opts rf_opts = { .writeback = 0 };

static const struct fuse_opt rf_optspec[] = {
	{ "writeback_cache", offsetof(struct rf_opts, writeback), 1 },
	{ "no_writeback_cache", offsetof(struct rf_opts, writeback), 0 },
	FUSE_OPT_END
};

/* The kernel process of the server (set at boot) and its lwps' key. */
static int rf_pid;
static pthread_key_t rf_lwpkey;
static __thread bool rf_bound;

/*
 * Bind an lwp of the server's process to the calling thread, once; every
 * operation starts here.  Without one (out of memory), the thread borrows
 * a temporary lwp of the default process at each call, which works too
 * but does not see the server's descriptors: the error is returned.
 */
static int
rf_thread(void)
{
	int error;

	if (rf_bound)
		return 0;
	if ((error = rump_lwproc_newlwp(rf_pid)) != 0)
		return -error;
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

#define ENTER() \
	do { \
		int en_err_ = rf_thread(); \
		if (en_err_ != 0) \
			return en_err_; \
	} while (0)

/* The kernel path of a FUSE path: "/mnt" + path. */
static int
kpath(char *buf, size_t len, const char *path)
{
	if ((size_t)snprintf(buf, len, MNT "%s", path) >= len)
		return -ENAMETOOLONG;
	return 0;
}

#define KPATH(var, path) \
	char var[PATH_MAX + sizeof(MNT)]; \
	do { \
		int kp_err_ = kpath(var, sizeof(var), (path)); \
		if (kp_err_ != 0) \
			return kp_err_; \
	} while (0)

/* -errno of a rump_sys_* call that returned r. */
#define RET(r)	((r) == -1 ? -errno : 0)

/*
 * Give a new node to the caller, like a kernel mount would.  The
 * kernel's calls run as root, so the node is root's, in the group that
 * the kernel chose: a set-group-ID directory's stays.  chown clears the
 * set-user-ID and set-group-ID bits of a file (Linux's rule, which the
 * kernel follows), so they are put back: the caller asked for them.
 */
static void
own(const char *kp)
{
	struct fuse_context *ctx = fuse_get_context();
	struct stat st, pst;
	char parent[PATH_MAX + sizeof(MNT)];
	char *slash;
	gid_t gid;

	if (ctx == NULL || rump_sys_lstat(kp, &st) == -1)
		return;
	gid = ctx->gid;
	snprintf(parent, sizeof(parent), "%s", kp);
	if ((slash = strrchr(parent, '/')) != NULL && slash != parent) {
		*slash = '\0';
		if (rump_sys_stat(parent, &pst) == 0 && (pst.st_mode & S_ISGID))
			gid = st.st_gid;
	}
	if (st.st_uid == ctx->uid && st.st_gid == gid)
		return;
	if (rump_sys_fchownat(AT_FDCWD, kp, ctx->uid, gid,
	    AT_SYMLINK_NOFOLLOW) == -1 || S_ISLNK(st.st_mode) ||
	    !(st.st_mode & (S_ISUID | S_ISGID)))
		return;
	(void)rump_sys_chmod(kp, st.st_mode & 07777);
}

static void *
rf_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	cfg->use_ino = 1;
	cfg->nullpath_ok = 0;
	if (rf_opts.writeback && (conn->capable & FUSE_CAP_WRITEBACK_CACHE))
		conn->want |= FUSE_CAP_WRITEBACK_CACHE;
	else {
		rf_opts.writeback = 0;
		conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
	}
	if (conn->capable & FUSE_CAP_READDIRPLUS)
		conn->want |= FUSE_CAP_READDIRPLUS | FUSE_CAP_READDIRPLUS_AUTO;
	return NULL;
}

static int
rf_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	int r;

	ENTER();
	if (fi != NULL)
		r = rump_sys_fstat((int)fi->fh, st);
	else {
		KPATH(kp, path);
		r = rump_sys_lstat(kp, st);
	}
	return RET(r);
}

static int
rf_access(const char *path, int mask)
{
	ENTER();
	KPATH(kp, path);
	return RET(rump_sys_faccessat(AT_FDCWD, kp, mask));
}

static int
rf_readlink(const char *path, char *buf, size_t size)
{
	ssize_t n;

	ENTER();
	KPATH(kp, path);
	if (size == 0)
		return -EINVAL;
	if ((n = rump_sys_readlink(kp, buf, size - 1)) == -1)
		return -errno;
	buf[n] = '\0';
	return 0;
}

struct linux_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

/* A directory is opened once per opendir; its descriptor is fi->fh. */
static int
rf_opendir(const char *path, struct fuse_file_info *fi)
{
	int fd;

	ENTER();
	KPATH(kp, path);
	if ((fd = rump_sys_open(kp, O_RDONLY | O_DIRECTORY)) == -1)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int
rf_releasedir(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	ENTER();
	return RET(rump_sys_close((int)fi->fh));
}

/*
 * The whole directory in one call, from its start (offsets 0: libfuse
 * keeps the listing for the open directory).  For readdirplus
 * (FUSE_READDIR_PLUS) each entry comes with its full attributes, from
 * fstatat on the open directory, so that ls -l or find need no lookup and
 * getattr per entry; otherwise with its inode number and type only.
 */
static int
rf_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
    struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	char dbuf[16384];
	struct stat st;
	enum fuse_fill_dir_flags fill;
	ssize_t n, i;
	int fd = (int)fi->fh;

	(void)path;
	(void)off;
	ENTER();
	if (rump_sys_lseek(fd, 0, SEEK_SET) == -1)
		return -errno;
	while ((n = rump_sys_getdents64(fd, dbuf, sizeof(dbuf))) > 0) {
		for (i = 0; i < n;) {
			struct linux_dirent64 *d = (void *)(dbuf + i);

			i += d->d_reclen;
			fill = 0;
			if ((flags & FUSE_READDIR_PLUS) &&
			    rump_sys_fstatat(fd, d->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) == 0)
				fill = FUSE_FILL_DIR_PLUS;
			else {
				memset(&st, 0, sizeof(st));
				st.st_ino = d->d_ino;
				st.st_mode = (mode_t)d->d_type << 12;
			}
			if (filler(buf, d->d_name, &st, 0, fill) != 0)
				return 0;
		}
	}
	return n == -1 ? -errno : 0;
}

static int
rf_mknod(const char *path, mode_t mode, dev_t rdev)
{
	ENTER();
	KPATH(kp, path);

	if (rump_sys_mknod(kp, mode, rdev) == -1)
		return -errno;
	own(kp);
	return 0;
}

static int
rf_mkdir(const char *path, mode_t mode)
{
	ENTER();
	KPATH(kp, path);

	if (rump_sys_mkdir(kp, mode) == -1)
		return -errno;
	own(kp);
	return 0;
}

static int
rf_unlink(const char *path)
{
	ENTER();
	KPATH(kp, path);
	return RET(rump_sys_unlink(kp));
}

static int
rf_rmdir(const char *path)
{
	ENTER();
	KPATH(kp, path);
	return RET(rump_sys_rmdir(kp));
}

static int
rf_symlink(const char *target, const char *path)
{
	ENTER();
	KPATH(kp, path);

	if (rump_sys_symlink(target, kp) == -1)
		return -errno;
	own(kp);
	return 0;
}

static int
rf_rename(const char *from, const char *to, unsigned int flags)
{
	ENTER();
	KPATH(kf, from);
	KPATH(kt, to);
	return RET(rump_sys_renameat2(AT_FDCWD, kf, AT_FDCWD, kt, flags));
}

static int
rf_link(const char *from, const char *to)
{
	ENTER();
	KPATH(kf, from);
	KPATH(kt, to);
	return RET(rump_sys_link(kf, kt));
}

static int
rf_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	ENTER();
	if (fi != NULL)
		return RET(rump_sys_fchmod((int)fi->fh, mode));
	KPATH(kp, path);
	return RET(rump_sys_chmod(kp, mode));
}

static int
rf_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	ENTER();
	if (fi != NULL)
		return RET(rump_sys_fchown((int)fi->fh, uid, gid));
	KPATH(kp, path);
	return RET(rump_sys_lchown(kp, uid, gid));
}

static int
rf_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	ENTER();
	if (fi != NULL)
		return RET(rump_sys_ftruncate((int)fi->fh, size));
	KPATH(kp, path);
	return RET(rump_sys_truncate(kp, size));
}

static int
rf_utimens(const char *path, const struct timespec ts[2],
    struct fuse_file_info *fi)
{
	ENTER();
	if (fi != NULL)
		return RET(rump_sys_utimensat((int)fi->fh, NULL, ts, 0));
	KPATH(kp, path);
	return RET(rump_sys_utimensat(AT_FDCWD, kp, ts, AT_SYMLINK_NOFOLLOW));
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
	return flags;
}

static int
rf_open(const char *path, struct fuse_file_info *fi)
{
	int fd;

	ENTER();
	KPATH(kp, path);
	if ((fd = rump_sys_open(kp, oflags(fi->flags) & ~O_NOFOLLOW)) == -1)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int
rf_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int fd;

	ENTER();
	KPATH(kp, path);
	if ((fd = rump_sys_open(kp, oflags(fi->flags) | O_CREAT, mode)) == -1)
		return -errno;
	own(kp);
	fi->fh = (uint64_t)fd;
	return 0;
}

static int
rf_read(const char *path, char *buf, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	ssize_t n;

	ENTER();

	(void)path;
	if ((n = rump_sys_pread((int)fi->fh, buf, size, off)) == -1)
		return -errno;
	return (int)n;
}

static int
rf_write(const char *path, const char *buf, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	ssize_t n;

	ENTER();

	(void)path;
	if ((n = rump_sys_pwrite((int)fi->fh, buf, size, off)) == -1)
		return -errno;
	return (int)n;
}

static int
rf_statfs(const char *path, struct statvfs *sv)
{
	struct statfs sf;

	ENTER();
	KPATH(kp, path);

	if (rump_sys_statfs(kp, &sf) == -1)
		return -errno;
	memset(sv, 0, sizeof(*sv));
	sv->f_bsize = (unsigned long)sf.f_bsize;
	sv->f_frsize = sf.f_frsize != 0 ? (unsigned long)sf.f_frsize :
	    (unsigned long)sf.f_bsize;
	sv->f_blocks = sf.f_blocks;
	sv->f_bfree = sf.f_bfree;
	sv->f_bavail = sf.f_bavail;
	sv->f_files = sf.f_files;
	sv->f_ffree = sf.f_ffree;
	sv->f_favail = sf.f_ffree;
	sv->f_namemax = (unsigned long)sf.f_namelen;
	return 0;
}

static int
rf_release(const char *path, struct fuse_file_info *fi)
{
	ENTER();
	(void)path;
	return RET(rump_sys_close((int)fi->fh));
}

static int
rf_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	ENTER();
	(void)path;
	if (datasync)
		return RET(rump_sys_fdatasync((int)fi->fh));
	return RET(rump_sys_fsync((int)fi->fh));
}

static int
rf_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	ENTER();
	if (datasync)
		return RET(rump_sys_fdatasync((int)fi->fh));
	return RET(rump_sys_fsync((int)fi->fh));
}

static off_t
rf_lseek(const char *path, off_t off, int whence, struct fuse_file_info *fi)
{
	off_t r;

	ENTER();

	(void)path;
	if ((r = rump_sys_lseek((int)fi->fh, off, whence)) == -1)
		return -errno;
	return r;
}

static const struct fuse_operations rf_ops = {
	.init		= rf_init,
	.getattr	= rf_getattr,
	.access		= rf_access,
	.readlink	= rf_readlink,
	.opendir	= rf_opendir,
	.readdir	= rf_readdir,
	.releasedir	= rf_releasedir,
	.mknod		= rf_mknod,
	.mkdir		= rf_mkdir,
	.unlink		= rf_unlink,
	.rmdir		= rf_rmdir,
	.symlink	= rf_symlink,
	.rename		= rf_rename,
	.link		= rf_link,
	.chmod		= rf_chmod,
	.chown		= rf_chown,
	.truncate	= rf_truncate,
	.utimens	= rf_utimens,
	.open		= rf_open,
	.create		= rf_create,
	.read		= rf_read,
	.write		= rf_write,
	.statfs		= rf_statfs,
	.release	= rf_release,
	.fsync		= rf_fsync,
	.fsyncdir	= rf_fsyncdir,
	.lseek		= rf_lseek,
};

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
 * Boot the kernel, become the server's process (bound to the calling
 * thread) and mount the image on /mnt; 0 or an errno.
 */
static int
kernel_mount(const char *image, const char *type, bool ro)
{
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
	return 0;
}

static void
kernel_halt(void)
{
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
	struct fuse_loop_config *loop = NULL;
	struct fuse *fuse = NULL;
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
		printf("usage: %s [-t TYPE] [-o OPTIONS] IMAGE MOUNTPOINT\n\n",
		    progname);
		fuse_cmdline_help();
		fuse_lib_help(&args);
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
	if ((fuse = fuse_new(&args, &rf_ops, sizeof(rf_ops), NULL)) == NULL)
		goto halt;
	if (fuse_mount(fuse, opts.mountpoint) != 0)
		goto destroy;
	if (fuse_set_signal_handlers(fuse_get_session(fuse)) != 0)
		goto unmount;
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
	/* Negative: an error; positive: the signal that ended the loop. */
	if (opts.singlethread)
		i = fuse_loop(fuse);
	else if ((loop = fuse_loop_cfg_create()) == NULL)
		i = -ENOMEM;
	else {
		fuse_loop_cfg_set_clone_fd(loop, (unsigned int)opts.clone_fd);
		if (opts.max_idle_threads != UINT_MAX)
			fuse_loop_cfg_set_idle_threads(loop,
			    opts.max_idle_threads);
		fuse_loop_cfg_set_max_threads(loop,
		    nthreads ? opts.max_threads : kernel_ncpu());
		i = fuse_loop_mt(fuse, loop);
		fuse_loop_cfg_destroy(loop);
	}
	rc = i < 0;
	fuse_remove_signal_handlers(fuse_get_session(fuse));
unmount:
	fuse_unmount(fuse);
destroy:
	fuse_destroy(fuse);
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
	free(imgabs);
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	return rc;
}
