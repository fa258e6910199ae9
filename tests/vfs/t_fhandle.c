/*
 * t_fhandle.c: file handles, name_to_handle_at and open_by_handle_at, on
 * the tmpfs root: a handle opens its file again (O_PATH too) while the
 * file lives, even unlinked but open; a handle of a removed file, or one
 * whose generation is not the file's, is ESTALE; the open applies the
 * open flags as openat does; the errors of both calls in Linux's order.
 * Also run against the host kernel as t_fhandle_host: Linux's tmpfs
 * makes other handle bytes (12 of them, the generation first), so the
 * tests compare what the calls do and their errors, never the bytes of
 * one kernel with the other's.
 */

#include "vfs_test.h"

#include <linux/stat.h>

#ifndef MAX_HANDLE_SZ
#define MAX_HANDLE_SZ 128
#endif
#ifndef AT_HANDLE_FID
#define AT_HANDLE_FID 0x200
#endif
#define VT_FILEID_INVALID 0xff	/* handle_type with EOVERFLOW */
#define VT_FILEID_IS_DIR 0x20000	/* handle_type flag: a directory */

/*
 * Where the generation is in a handle: ours are (ino, gen), Linux's
 * tmpfs's (gen, ino).  Only the test of a wrong generation looks inside.
 */
#ifdef HOST_MODE
#define VT_FH_GEN_OFFSET 0
#else
#define VT_FH_GEN_OFFSET 4
#endif

/* A handle with room for MAX_HANDLE_SZ bytes; free() it. */
static struct file_handle *
fh_alloc(void)
{
	struct file_handle *fh;

	fh = calloc(1, sizeof(*fh) + MAX_HANDLE_SZ);
	ck_assert_ptr_nonnull(fh);
	fh->handle_bytes = MAX_HANDLE_SZ;
	return fh;
}

/* The handle of path (name_to_handle_at with flags) and its mount id. */
static struct file_handle *
fh_get_at(int dirfd, const char *path, int flags, int *mntidp)
{
	struct file_handle *fh = fh_alloc();
	int mntid = -1;

	ck_assert_msg(rump_sys_name_to_handle_at(dirfd, path, fh, &mntid,
	    flags) == 0, "name_to_handle_at %s: %s", path, strerror(errno));
	ck_assert_uint_gt(fh->handle_bytes, 0);
	ck_assert_uint_le(fh->handle_bytes, MAX_HANDLE_SZ);
	if (mntidp != NULL)
		*mntidp = mntid;
	return fh;
}

static struct file_handle *
fh_get(const char *path)
{

	return fh_get_at(AT_FDCWD, path, 0, NULL);
}

static struct file_handle *
fh_dup(const struct file_handle *fh)
{
	struct file_handle *c = fh_alloc();

	memcpy(c, fh, sizeof(*fh) + fh->handle_bytes);
	return c;
}

static int
fh_equal(const struct file_handle *a, const struct file_handle *b)
{

	return a->handle_bytes == b->handle_bytes &&
	    a->handle_type == b->handle_type &&
	    memcmp(a->f_handle, b->f_handle, a->handle_bytes) == 0;
}

static ino_t
fd_ino(int fd)
{
	struct stat st;

	ck_assert_ok(rump_sys_fstat(fd, &st));
	return st.st_ino;
}

/*
 * name_to_handle_at.
 */

VTEST(name, handle_opens_the_same_file_and_mount_id_is_statx_s)
{
	struct file_handle *fh;
	struct statx sx;
	char buf[16];
	int mntid, fd;

	vt_mkfile("/f", 0644, "hello");
	fh = fh_get_at(AT_FDCWD, "/f", 0, &mntid);
	ck_assert_ok(rump_sys_statx(AT_FDCWD, "/f", 0, STATX_MNT_ID, &sx));
	ck_assert(sx.stx_mask & STATX_MNT_ID);
	ck_assert_int_eq(mntid, (int)sx.stx_mnt_id);
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY));
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
	ck_assert_int_eq(fd_ino(fd), vt_stat("/f").st_ino);
	ck_assert_ok(rump_sys_close(fd));
	free(fh);
}

VTEST(name, zero_handle_bytes_is_EOVERFLOW_with_the_size_needed)
{
	struct file_handle *fh = fh_alloc(), *full;
	unsigned int need;
	int mntid = -1, mntid2;

	vt_mkfile("/f", 0644, NULL);
	full = fh_get_at(AT_FDCWD, "/f", 0, &mntid2);
	fh->handle_bytes = 0;
	ck_assert_fails(rump_sys_name_to_handle_at(AT_FDCWD, "/f", fh, &mntid,
	    0), EOVERFLOW);
	need = fh->handle_bytes;
	ck_assert_uint_eq(need, full->handle_bytes);
	ck_assert_int_eq(fh->handle_type, VT_FILEID_INVALID);
	ck_assert_int_eq(mntid, mntid2);	/* written with EOVERFLOW too */
	fh->handle_bytes = need - 1;
	ck_assert_fails(rump_sys_name_to_handle_at(AT_FDCWD, "/f", fh, &mntid,
	    0), EOVERFLOW);
	ck_assert_uint_eq(fh->handle_bytes, need);
	ck_assert_ok(rump_sys_name_to_handle_at(AT_FDCWD, "/f", fh, &mntid,
	    0));
	ck_assert(fh_equal(fh, full));
	free(fh);
	free(full);
}

VTEST(name, bad_flags_or_handle_bytes_over_128_are_EINVAL)
{
	struct file_handle *fh = fh_alloc();
	int mntid;

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_name_to_handle_at(AT_FDCWD, "/f", fh, &mntid,
	    AT_SYMLINK_NOFOLLOW), EINVAL);
	ck_assert_fails(rump_sys_name_to_handle_at(AT_FDCWD, "/f", fh, &mntid,
	    0x8000), EINVAL);
	fh->handle_bytes = MAX_HANDLE_SZ + 1;
	ck_assert_fails(rump_sys_name_to_handle_at(AT_FDCWD, "/f", fh, &mntid,
	    0), EINVAL);
	/* The name first, then the handle (Linux's order). */
	ck_assert_fails(rump_sys_name_to_handle_at(AT_FDCWD, "/missing", fh,
	    &mntid, 0), ENOENT);
	fh->handle_bytes = MAX_HANDLE_SZ;
	ck_assert_fails(rump_sys_name_to_handle_at(AT_FDCWD, "", fh, &mntid,
	    0), ENOENT);
	ck_assert_ok(rump_sys_name_to_handle_at(AT_FDCWD, "/f", fh, &mntid,
	    AT_HANDLE_FID));
	free(fh);
}

VTEST(name, bad_pointers_are_EFAULT)
{
	struct file_handle *fh = fh_alloc();
	int mntid;

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_name_to_handle_at(AT_FDCWD, "/f", VT_BADPTR,
	    &mntid, 0), EFAULT);
	ck_assert_fails(rump_sys_name_to_handle_at(AT_FDCWD, "/f", fh,
	    VT_BADPTR, 0), EFAULT);
	ck_assert_fails(rump_sys_name_to_handle_at(AT_FDCWD, VT_BADPTR, fh,
	    &mntid, 0), EFAULT);
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, VT_BADPTR,
	    O_RDONLY), EFAULT);
	free(fh);
}

VTEST(name, symlink_is_not_followed_without_AT_SYMLINK_FOLLOW)
{
	struct file_handle *lh, *fh, *ff;
	char buf[16];
	struct stat st;
	int fd;

	vt_mkfile("/f", 0644, "target");
	vt_symlink("f", "/l");
	lh = fh_get("/l");
	ff = fh_get_at(AT_FDCWD, "/l", AT_SYMLINK_FOLLOW, NULL);
	fh = fh_get("/f");
	ck_assert(!fh_equal(lh, fh));
	ck_assert(fh_equal(ff, fh));
	/* The link itself: O_PATH only (O_NOFOLLOW or not: ELOOP). */
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, lh, O_RDONLY),
	    ELOOP);
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, lh,
	    O_RDONLY | O_NOFOLLOW), ELOOP);
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, lh,
	    O_PATH | O_DIRECTORY), ENOTDIR);
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, lh,
	    O_PATH | O_NOFOLLOW));
	ck_assert_ok(rump_sys_fstat(fd, &st));
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(rump_sys_readlinkat(fd, "", buf, sizeof(buf)), 1);
	ck_assert_int_eq(buf[0], 'f');
	ck_assert_ok(rump_sys_close(fd));
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, ff, O_RDONLY));
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 6);
	ck_assert_ok(rump_sys_close(fd));
	free(lh);
	free(fh);
	free(ff);
}

VTEST(name, empty_path_names_the_file_of_an_O_PATH_descriptor)
{
	struct file_handle *fh, *eh = fh_alloc();
	int fd, mntid;

	vt_mkfile("/f", 0644, NULL);
	fh = fh_get("/f");
	fd = ck_nonneg(rump_sys_open("/f", O_PATH));
	ck_assert_fails(rump_sys_name_to_handle_at(fd, "", eh, &mntid, 0),
	    ENOENT);
	ck_assert_ok(rump_sys_name_to_handle_at(fd, "", eh, &mntid,
	    AT_EMPTY_PATH));
	ck_assert(fh_equal(eh, fh));
	ck_assert_ok(rump_sys_close(fd));
	free(fh);
	free(eh);
}

/*
 * open_by_handle_at.
 */

VTEST(open, O_PATH_open_gives_the_same_inode)
{
	struct file_handle *fh;
	char c;
	int fd;

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, "x");
	fh = fh_get("/d/f");
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_PATH));
	ck_assert_int_eq(fd_ino(fd), vt_stat("/d/f").st_ino);
	ck_assert_fails(rump_sys_read(fd, &c, 1), EBADF);
	ck_assert_ok(rump_sys_close(fd));
	free(fh);
	fh = fh_get("/d");
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, fh,
	    O_RDONLY | O_DIRECTORY));
	ck_assert_int_eq(fd_ino(fd), vt_stat("/d").st_ino);
	ck_assert_ok(rump_sys_fstatat(fd, "f", &(struct stat){ 0 }, 0));
	ck_assert_ok(rump_sys_close(fd));
	free(fh);
}

VTEST(open, handle_bytes_0_or_over_128_and_bad_types_are_EINVAL)
{
	struct file_handle *fh, *c;

	vt_mkfile("/f", 0644, NULL);
	fh = fh_get("/f");
	c = fh_dup(fh);
	c->handle_bytes = 0;
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, c, O_RDONLY),
	    EINVAL);
	c->handle_bytes = MAX_HANDLE_SZ + 1;
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, c, O_RDONLY),
	    EINVAL);
	c->handle_bytes = fh->handle_bytes;
	c->handle_type = -1;
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, c, O_RDONLY),
	    EINVAL);
	c->handle_type = fh->handle_type | 0x40000;	/* an unknown flag */
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, c, O_RDONLY),
	    EINVAL);
	free(c);
	free(fh);
}

VTEST(open, a_handle_cut_short_or_a_directory_flag_on_a_file_is_ESTALE)
{
	struct file_handle *fh, *c;
	int fd;

	vt_mkfile("/f", 0644, NULL);
	fh = fh_get("/f");
	c = fh_dup(fh);
	c->handle_bytes = fh->handle_bytes - 1;
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, c, O_RDONLY),
	    ESTALE);
	c->handle_bytes = fh->handle_bytes;
	c->handle_type = fh->handle_type | VT_FILEID_IS_DIR;
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, c, O_RDONLY),
	    ESTALE);
	free(c);
	free(fh);
	vt_mkdir("/d", 0755);
	fh = fh_get("/d");
	fh->handle_type |= VT_FILEID_IS_DIR;
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY));
	ck_assert_ok(rump_sys_close(fd));
	free(fh);
}

#ifndef HOST_MODE
/*
 * Linux leaves the type to the file system: its ext4 says ESTALE for a
 * type it does not know, its tmpfs ignores the type.  We know two.
 */
VTEST(open, an_unknown_handle_type_is_ESTALE)
{
	struct file_handle *fh;

	vt_mkfile("/f", 0644, NULL);
	fh = fh_get("/f");
	ck_assert_int_eq(fh->handle_type, 1);	/* FILEID_INO32_GEN */
	ck_assert_uint_eq(fh->handle_bytes, 8);
	fh->handle_type = 2;
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY),
	    ESTALE);
	fh->handle_type = 0x81;	/* FILEID_INO64_GEN: 12 bytes, not 8 */
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY),
	    ESTALE);
	free(fh);
}

/* Inode numbers that are no file: ESTALE, whatever the reason. */
VTEST(open, a_handle_of_an_inode_number_in_no_use_is_ESTALE)
{
	struct file_handle *fh;
	uint32_t ino;

	vt_mkfile("/f", 0644, NULL);
	fh = fh_get("/f");
	ino = 0;
	memcpy(fh->f_handle, &ino, sizeof(ino));
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY),
	    ESTALE);
	ino = 0xfffffff0;
	memcpy(fh->f_handle, &ino, sizeof(ino));
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY),
	    ESTALE);
	free(fh);
}
#endif

VTEST(open, a_handle_of_a_removed_file_is_ESTALE)
{
	struct file_handle *fh, *dh;

	vt_mkfile("/f", 0644, NULL);
	vt_mkdir("/d", 0755);
	fh = fh_get("/f");
	dh = fh_get("/d");
	ck_assert_ok(rump_sys_unlink("/f"));
	ck_assert_ok(rump_sys_rmdir("/d"));
	vt_mkfile("/f", 0644, NULL);	/* the names again: other files */
	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY),
	    ESTALE);
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_PATH),
	    ESTALE);
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, dh, O_RDONLY),
	    ESTALE);
	free(fh);
	free(dh);
}

VTEST(open, a_wrong_generation_is_ESTALE)
{
	struct file_handle *fh;
	int fd;

	vt_mkfile("/f", 0644, NULL);
	fh = fh_get("/f");
	fh->f_handle[VT_FH_GEN_OFFSET] ^= 0x01;
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY),
	    ESTALE);
	fh->f_handle[VT_FH_GEN_OFFSET] ^= 0x01;
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY));
	ck_assert_ok(rump_sys_close(fd));
	free(fh);
}

VTEST(open, an_unlinked_file_opens_while_it_is_open)
{
	struct file_handle *fh;
	char buf[8];
	int fd, fd2;

	fd = ck_nonneg(rump_sys_open("/f", O_RDWR | O_CREAT, 0644));
	ck_assert_int_eq(rump_sys_write(fd, "still", 5), 5);
	fh = fh_get("/f");
	ck_assert_ok(rump_sys_unlink("/f"));
	fd2 = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY));
	ck_assert_int_eq(rump_sys_read(fd2, buf, sizeof(buf)), 5);
	ck_assert_int_eq(memcmp(buf, "still", 5), 0);
	ck_assert_ok(rump_sys_close(fd2));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY),
	    ESTALE);
	free(fh);
}

VTEST(open, needs_CAP_DAC_READ_SEARCH_EPERM)
{
	struct file_handle *fh, *uh;
	int fd;

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, "x");
	fh = fh_get("/d/f");
	vt_become(1000, 1000);
	/* Anyone may make a handle; only the capable may open one. */
	uh = fh_get("/d/f");
	ck_assert(fh_equal(uh, fh));
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY),
	    EPERM);
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_PATH),
	    EPERM);
	/* Linux (6.18) reads and checks the handle first. */
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, VT_BADPTR,
	    O_RDONLY), EFAULT);
	fh->handle_bytes = 0;
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY),
	    EINVAL);
	fh->handle_bytes = uh->handle_bytes;
	vt_unbecome();
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, fh, O_RDONLY));
	ck_assert_ok(rump_sys_close(fd));
	free(fh);
	free(uh);
}

VTEST(open, mount_fd_is_any_open_file_or_AT_FDCWD_not_O_PATH)
{
	struct file_handle *fh;
	int mfd, pfd, fd, p[2];

	vt_mkfile("/f", 0644, NULL);
	vt_mkfile("/g", 0644, NULL);
	fh = fh_get("/f");
	mfd = ck_nonneg(rump_sys_open("/g", O_RDONLY));
	fd = ck_nonneg(rump_sys_open_by_handle_at(mfd, fh, O_RDONLY));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_ok(rump_sys_close(mfd));
	/* Linux takes mount_fd as read(2) takes a descriptor. */
	pfd = ck_nonneg(rump_sys_open("/", O_PATH | O_DIRECTORY));
	ck_assert_fails(rump_sys_open_by_handle_at(pfd, fh, O_RDONLY), EBADF);
	ck_assert_ok(rump_sys_close(pfd));
	ck_assert_fails(rump_sys_open_by_handle_at(pfd, fh, O_RDONLY), EBADF);
	ck_assert_fails(rump_sys_open_by_handle_at(-1, fh, O_RDONLY), EBADF);
	/* The handle before the descriptor (Linux 6.18's order). */
	ck_assert_fails(rump_sys_open_by_handle_at(-1, VT_BADPTR, O_RDONLY),
	    EFAULT);
	/* A pipe's is no file system of handles. */
	ck_assert_ok(rump_sys_pipe(p));
	ck_assert_fails(rump_sys_open_by_handle_at(p[0], fh, O_RDONLY),
	    ESTALE);
	ck_assert_ok(rump_sys_close(p[0]));
	ck_assert_ok(rump_sys_close(p[1]));
	free(fh);
}

VTEST(open, the_handle_is_of_the_mount_of_mount_fd)
{
	struct file_handle *fh, *mh;
	int mntid, mmntid, mfd, fd;

	vt_mkfile("/f", 0644, "root");
	vt_mkdir("/mnt", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, NULL));
	vt_mkfile("/mnt/g", 0644, "mounted");
	fh = fh_get_at(AT_FDCWD, "/f", 0, &mntid);
	mh = fh_get_at(AT_FDCWD, "/mnt/g", 0, &mmntid);
	ck_assert_int_ne(mntid, mmntid);
	mfd = ck_nonneg(rump_sys_open("/mnt", O_RDONLY | O_DIRECTORY));
	fd = ck_nonneg(rump_sys_open_by_handle_at(mfd, mh, O_RDONLY));
	ck_assert_int_eq(fd_ino(fd), vt_stat("/mnt/g").st_ino);
	ck_assert_ok(rump_sys_close(fd));
	/* Another mount's handle names nothing here (the generations of
	 * tmpfs files are random). */
	ck_assert_fails(rump_sys_open_by_handle_at(mfd, fh, O_RDONLY),
	    ESTALE);
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, mh, O_RDONLY),
	    ESTALE);
	ck_assert_ok(rump_sys_chdir("/mnt"));
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, mh, O_RDONLY));
	ck_assert_int_eq(fd_ino(fd), vt_stat("/mnt/g").st_ino);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_ok(rump_sys_chdir("/"));
	ck_assert_ok(rump_sys_close(mfd));
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
	free(fh);
	free(mh);
}

VTEST(open, the_open_flags_apply_as_for_openat)
{
	struct file_handle *fh, *dh;
	int fd, fl;

	vt_mkfile("/f", 0644, "data");
	vt_mkdir("/d", 0755);
	fh = fh_get("/f");
	dh = fh_get("/d");
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, fh,
	    O_RDONLY | O_DIRECTORY), ENOTDIR);
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, dh, O_WRONLY),
	    EISDIR);
	/* O_CREAT: the file is there; O_EXCL makes that an error. */
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, fh,
	    O_RDONLY | O_CREAT));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, fh,
	    O_RDONLY | O_CREAT | O_EXCL), EEXIST);
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, dh,
	    O_RDONLY | O_CREAT), EISDIR);
	ck_assert_fails(rump_sys_open_by_handle_at(AT_FDCWD, dh,
	    O_RDONLY | O_CREAT | O_DIRECTORY), EINVAL);
	/* O_PATH drops O_CREAT and O_EXCL, as openat's O_PATH does. */
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, fh,
	    O_PATH | O_CREAT | O_EXCL));
	ck_assert_ok(rump_sys_close(fd));
	/* Access mode 3: for ioctl only, as open(2) gives it. */
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, fh, 3));
	ck_assert_ok(rump_sys_close(fd));
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, fh,
	    O_WRONLY | O_APPEND | O_CLOEXEC));
	fl = (int)rump_sys_fcntl(fd, F_GETFD);
	ck_assert_int_eq(fl, FD_CLOEXEC);
	ck_assert(rump_sys_fcntl(fd, F_GETFL) & O_APPEND);
	ck_assert_int_eq(rump_sys_write(fd, "!", 1), 1);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_int_eq(vt_stat("/f").st_size, 5);
	fd = ck_nonneg(rump_sys_open_by_handle_at(AT_FDCWD, fh,
	    O_RDONLY | O_TRUNC));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_int_eq(vt_stat("/f").st_size, 0);
	free(fh);
	free(dh);
}

VTEST(open, the_mount_s_flags_apply_EROFS_and_EACCES)
{
	struct file_handle *fh, *nh;
	int mfd, fd;

	vt_mkdir("/mnt", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs", MS_NODEV,
	    NULL));
	vt_mkfile("/mnt/f", 0644, "data");
	ck_assert_ok(rump_sys_mknod("/mnt/null", S_IFCHR | 0666,
	    makedev(1, 3)));
	fh = fh_get("/mnt/f");
	nh = fh_get("/mnt/null");
	mfd = ck_nonneg(rump_sys_open("/mnt", O_RDONLY | O_DIRECTORY));
	ck_assert_fails(rump_sys_open_by_handle_at(mfd, nh, O_RDONLY),
	    EACCES);
	fd = ck_nonneg(rump_sys_open_by_handle_at(mfd, nh, O_PATH));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs",
	    MS_REMOUNT | MS_RDONLY | MS_NODEV, NULL));
	ck_assert_fails(rump_sys_open_by_handle_at(mfd, fh, O_WRONLY), EROFS);
	ck_assert_fails(rump_sys_open_by_handle_at(mfd, fh,
	    O_RDONLY | O_TRUNC), EROFS);
	fd = ck_nonneg(rump_sys_open_by_handle_at(mfd, fh, O_RDONLY));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_ok(rump_sys_close(mfd));
	ck_assert_int_eq(vt_stat("/mnt/f").st_size, 4);
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
	free(fh);
	free(nh);
}

int
main(void)
{

	return vt_main("fhandle", 60);
}
