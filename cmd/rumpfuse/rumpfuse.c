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
 * Threads: fuse_loop_mt's worker threads call rump_sys_* directly; a
 * host thread without an lwp of its own borrows one of the kernel's
 * default process, so all of them share one descriptor table, and an
 * open file's kernel descriptor is kept in fi->fh.  No lock of ours is
 * needed: the kernel does its own locking.
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

#define FUSE_USE_VERSION 31

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <fuse_lowlevel.h>
#include <limits.h>
#include <linux/reboot.h>
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

/* Give a new node to the caller, like a kernel mount would. */
static void
own(const char *kp)
{
	struct fuse_context *ctx = fuse_get_context();

	if (ctx != NULL)
		(void)rump_sys_fchownat(AT_FDCWD, kp, ctx->uid, ctx->gid,
		    AT_SYMLINK_NOFOLLOW);
}

static void *
rf_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	cfg->use_ino = 1;
	cfg->nullpath_ok = 0;
	return NULL;
}

static int
rf_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	int r;

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
	KPATH(kp, path);
	return RET(rump_sys_faccessat(AT_FDCWD, kp, mask));
}

static int
rf_readlink(const char *path, char *buf, size_t size)
{
	ssize_t n;
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

static int
rf_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
    struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	char dbuf[16384];
	struct stat st;
	ssize_t n, i;
	int fd, error = 0;
	KPATH(kp, path);

	(void)off;
	(void)fi;
	(void)flags;
	if ((fd = rump_sys_open(kp, O_RDONLY | O_DIRECTORY)) == -1)
		return -errno;
	for (;;) {
		if ((n = rump_sys_getdents64(fd, dbuf, sizeof(dbuf))) == -1) {
			error = -errno;
			break;
		}
		if (n == 0)
			break;
		for (i = 0; i < n;) {
			struct linux_dirent64 *d = (void *)(dbuf + i);

			memset(&st, 0, sizeof(st));
			st.st_ino = d->d_ino;
			st.st_mode = (mode_t)d->d_type << 12;
			if (filler(buf, d->d_name, &st, 0, 0) != 0)
				goto out;
			i += d->d_reclen;
		}
	}
out:
	rump_sys_close(fd);
	return error;
}

static int
rf_mknod(const char *path, mode_t mode, dev_t rdev)
{
	KPATH(kp, path);

	if (rump_sys_mknod(kp, mode, rdev) == -1)
		return -errno;
	own(kp);
	return 0;
}

static int
rf_mkdir(const char *path, mode_t mode)
{
	KPATH(kp, path);

	if (rump_sys_mkdir(kp, mode) == -1)
		return -errno;
	own(kp);
	return 0;
}

static int
rf_unlink(const char *path)
{
	KPATH(kp, path);
	return RET(rump_sys_unlink(kp));
}

static int
rf_rmdir(const char *path)
{
	KPATH(kp, path);
	return RET(rump_sys_rmdir(kp));
}

static int
rf_symlink(const char *target, const char *path)
{
	KPATH(kp, path);

	if (rump_sys_symlink(target, kp) == -1)
		return -errno;
	own(kp);
	return 0;
}

static int
rf_rename(const char *from, const char *to, unsigned int flags)
{
	KPATH(kf, from);
	KPATH(kt, to);
	return RET(rump_sys_renameat2(AT_FDCWD, kf, AT_FDCWD, kt, flags));
}

static int
rf_link(const char *from, const char *to)
{
	KPATH(kf, from);
	KPATH(kt, to);
	return RET(rump_sys_link(kf, kt));
}

static int
rf_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	if (fi != NULL)
		return RET(rump_sys_fchmod((int)fi->fh, mode));
	KPATH(kp, path);
	return RET(rump_sys_chmod(kp, mode));
}

static int
rf_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	if (fi != NULL)
		return RET(rump_sys_fchown((int)fi->fh, uid, gid));
	KPATH(kp, path);
	return RET(rump_sys_lchown(kp, uid, gid));
}

static int
rf_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	if (fi != NULL)
		return RET(rump_sys_ftruncate((int)fi->fh, size));
	KPATH(kp, path);
	return RET(rump_sys_truncate(kp, size));
}

static int
rf_utimens(const char *path, const struct timespec ts[2],
    struct fuse_file_info *fi)
{
	if (fi != NULL)
		return RET(rump_sys_utimensat((int)fi->fh, NULL, ts, 0));
	KPATH(kp, path);
	return RET(rump_sys_utimensat(AT_FDCWD, kp, ts, AT_SYMLINK_NOFOLLOW));
}

static int
rf_open(const char *path, struct fuse_file_info *fi)
{
	int fd;
	KPATH(kp, path);

	if ((fd = rump_sys_open(kp, fi->flags & ~O_NOFOLLOW)) == -1)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int
rf_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int fd;
	KPATH(kp, path);

	if ((fd = rump_sys_open(kp, fi->flags | O_CREAT, mode)) == -1)
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

	(void)path;
	if ((n = rump_sys_pwrite((int)fi->fh, buf, size, off)) == -1)
		return -errno;
	return (int)n;
}

static int
rf_statfs(const char *path, struct statvfs *sv)
{
	struct statfs sf;
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
	(void)path;
	return RET(rump_sys_close((int)fi->fh));
}

static int
rf_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	if (datasync)
		return RET(rump_sys_fdatasync((int)fi->fh));
	return RET(rump_sys_fsync((int)fi->fh));
}

/*
 * close(2) on the mount: nothing to push, every write is already in the
 * kernel (its buffer cache reaches the image on fsync and unmount).
 */
static int
rf_flush(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	(void)fi;
	return 0;
}

static int
rf_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi)
{
	int fd, r;
	KPATH(kp, path);

	(void)fi;
	if ((fd = rump_sys_open(kp, O_RDONLY | O_DIRECTORY)) == -1)
		return -errno;
	r = datasync ? rump_sys_fdatasync(fd) : rump_sys_fsync(fd);
	r = RET(r);
	rump_sys_close(fd);
	return r;
}

static off_t
rf_lseek(const char *path, off_t off, int whence, struct fuse_file_info *fi)
{
	off_t r;

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
	.readdir	= rf_readdir,
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
	.flush		= rf_flush,
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

/* Does the comma-separated option list opts hold "ro"? */
static bool
has_ro(const char *opts)
{
	const char *p = opts;
	size_t len;

	while (*p != '\0') {
		len = strcspn(p, ",");
		if (len == 2 && strncmp(p, "ro", 2) == 0)
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
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

/* Boot the kernel and mount the image on /mnt; 0 or an errno. */
static int
kernel_mount(const char *image, const char *type, bool ro)
{
	int error;

	if ((error = rump_init()) != 0) {
		fprintf(stderr, "%s: rump_init: %s\n", progname,
		    strerror(error));
		return error;
	}
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
	struct fuse *fuse = NULL;
	const char *type = NULL, *image = NULL;
	char fsname[PATH_MAX + 16];
	char *imgabs = NULL;
	bool ro = false, mounted = false;
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
			if (has_ro(argv[i]))
				ro = true;
			fuse_opt_add_arg(&args, "-o");
			fuse_opt_add_arg(&args, argv[i]);
		} else if (strncmp(argv[i], "-o", 2) == 0) {
			if (has_ro(argv[i] + 2))
				ro = true;
			fuse_opt_add_arg(&args, argv[i]);
		} else if (argv[i][0] != '-' && image == NULL)
			image = argv[i];
		else
			fuse_opt_add_arg(&args, argv[i]);
	}
	if (fuse_parse_cmdline(&args, &opts) != 0)
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

	if (kernel_mount(imgabs, type, ro) != 0)
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
	else
		i = fuse_loop_mt(fuse, opts.clone_fd);
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
