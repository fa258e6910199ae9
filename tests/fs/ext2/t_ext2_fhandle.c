/*
 * t_ext2_fhandle.c: file handles (name_to_handle_at, open_by_handle_at)
 * on ext2/3/4 images through our driver.
 *
 * host: the handles of a tree the host kernel wrote are byte for byte
 * the host's own for the same image (both are Linux's FILEID_INO32_GEN:
 * inode number and generation), and a handle the host made opens the
 * same file in the rump kernel.
 * reuse: a removed file's inode number, given to a new file, does not
 * open through the old handle (the generation differs): ESTALE.
 * inodes: a handle of a number that is no file (0, past the last inode,
 * a reserved one such as the journal's, a free one) is ESTALE, and
 * loads nothing: the image stays clean, no "freeing free inode".
 * unlinked: an unlinked file opens by its handle while it is open; once
 * closed it is freed once, ESTALE after, e2fsck clean.
 *
 * Runs as root (the host's loop mount, its open_by_handle_at).
 */

#include "ext2_test.h"

#ifndef MAX_HANDLE_SZ
#define MAX_HANDLE_SZ 128
#endif

static struct file_handle *
fh_alloc(void)
{
	struct file_handle *fh;

	fh = calloc(1, sizeof(*fh) + MAX_HANDLE_SZ);
	ck_assert_ptr_nonnull(fh);
	fh->handle_bytes = MAX_HANDLE_SZ;
	return fh;
}

/* The handle of path in the rump kernel. */
static struct file_handle *
r_handle(const char *path)
{
	struct file_handle *fh = fh_alloc();
	int mntid;

	ck_assert_msg(rump_sys_name_to_handle_at(AT_FDCWD, path, fh, &mntid,
	    0) == 0, "name_to_handle_at %s: %s", path, strerror(errno));
	return fh;
}

/* A handle of our layout (type 1: inode number, generation). */
static struct file_handle *
fh_make(uint32_t ino, uint32_t gen)
{
	struct file_handle *fh = fh_alloc();

	fh->handle_type = 1;
	fh->handle_bytes = 8;
	memcpy(fh->f_handle, &ino, 4);
	memcpy(fh->f_handle + 4, &gen, 4);
	return fh;
}

static int
r_open_handle(struct file_handle *fh, int flags)
{
	int mfd, fd, e;

	mfd = rump_sys_open(E3_MNT, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(mfd, 0);
	fd = rump_sys_open_by_handle_at(mfd, fh, flags);
	e = errno;
	ck_assert_int_eq(rump_sys_close(mfd), 0);
	errno = e;
	return fd;
}

/* Is the superblock's state clean (no error recorded)? */
static void
assert_state_clean(const char *img)
{
	char out[256];

	e3_sh_out(out, sizeof(out), "dumpe2fs -h %s 2>/dev/null | "
	    "sed -n 's/^Filesystem state: *//p'", img);
	ck_assert_str_eq(out, "clean\n");
}

/*
 * host
 */
static void
same_handles_as_the_host(const char *type)
{
	static const char *const names[] = { "f", "d", "d/g", "l" };
	struct file_handle *hh[4], *rh;
	const char *img, *m;
	char path[PATH_MAX], buf[16];
	size_t i;
	int mntid, hfd, fd;

	img = e3_mkfs("h.img", type, 16, NULL);
	m = e3_hmount(img, "mh", NULL);
	e3_sh_ok("cd %s && echo hello >f && mkdir d && echo there >d/g && "
	    "ln -s f l", m);
	for (i = 0; i < 4; i++) {
		hh[i] = fh_alloc();
		snprintf(path, sizeof(path), "%s/%s", m, names[i]);
		ck_assert_msg(name_to_handle_at(AT_FDCWD, path, hh[i], &mntid,
		    0) == 0, "host name_to_handle_at %s: %s", path,
		    strerror(errno));
	}
	/* The host's open_by_handle_at of its own handle, as we do ours. */
	hfd = open(m, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(hfd, 0);
	fd = open_by_handle_at(hfd, hh[2], O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 6);
	close(fd);
	close(hfd);
	e3_humount(m);

	e3_rmount_ok(img, type, 0);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), E3_MNT "/%s", names[i]);
		rh = r_handle(path);
		ck_assert_int_eq(rh->handle_type, hh[i]->handle_type);
		ck_assert_uint_eq(rh->handle_bytes, hh[i]->handle_bytes);
		ck_assert_msg(memcmp(rh->f_handle, hh[i]->f_handle,
		    rh->handle_bytes) == 0, "%s: the handle is not the host's",
		    names[i]);
		free(rh);
	}
	fd = r_open_handle(hh[2], O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 6);
	ck_assert_int_eq(memcmp(buf, "there\n", 6), 0);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	fd = r_open_handle(hh[3], O_PATH);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_readlinkat(fd, "", buf, sizeof(buf)), 1);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	e3_rumount();
	for (i = 0; i < 4; i++)
		free(hh[i]);
	ck_assert_int_eq(e3_fsck(img), 0);
}

E3TEST(host, ext2_handles_are_the_host_s)
{

	same_handles_as_the_host("ext2");
}

E3TEST(host, ext4_handles_are_the_host_s)
{

	same_handles_as_the_host("ext4");
}

/*
 * reuse
 */
E3TEST(reuse, a_reused_inode_number_is_ESTALE_by_the_old_handle)
{
	struct file_handle *oh, *nh;
	struct stat st0, st1;
	const char *img;
	int fd;

	img = e3_mkfs("r.img", "ext4", 16, NULL);
	e3_rmount_ok(img, "ext4", 0);
	fd = rump_sys_open(E3_MNT "/f", O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	ck_assert_int_eq(rump_sys_stat(E3_MNT "/f", &st0), 0);
	oh = r_handle(E3_MNT "/f");
	ck_assert_int_eq(rump_sys_unlink(E3_MNT "/f"), 0);
	fd = rump_sys_open(E3_MNT "/g", O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	ck_assert_int_eq(rump_sys_stat(E3_MNT "/g", &st1), 0);
	ck_assert_int_eq(st1.st_ino, st0.st_ino);	/* the number again */
	nh = r_handle(E3_MNT "/g");
	ck_assert_int_ne(memcmp(oh->f_handle, nh->f_handle, 8), 0);
	ck_assert_fails(r_open_handle(oh, O_RDONLY), ESTALE);
	fd = r_open_handle(nh, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	e3_rumount();
	free(oh);
	free(nh);
	ck_assert_int_eq(e3_fsck(img), 0);
}

/*
 * inodes
 */
static void
no_file_inodes(const char *type)
{
	/* 0, the bad blocks', the root's with a wrong generation, the
	 * resize inode's, the journal's, free ones, past the end. */
	static const uint32_t inos[] = { 0, 1, 2, 7, 8, 20, 100, 4096, 1u << 30,
	    0xffffffff };
	struct file_handle *fh;
	const char *img;
	struct stat st;
	size_t i;
	int fd;

	img = e3_mkfs("i.img", type, 16, "-N 256");
	e3_rmount_ok(img, type, 0);
	for (i = 0; i < sizeof(inos) / sizeof(inos[0]); i++) {
		fh = fh_make(inos[i], inos[i] == 2 ? 0x5a5a5a5a : 0);
		errno = 0;
		fd = r_open_handle(fh, O_RDONLY);
		ck_assert_msg(fd == -1 && errno == ESTALE, "%s: inode %u: "
		    "returned %d errno %d, not ESTALE", type, inos[i], fd,
		    errno);
		errno = 0;
		fd = r_open_handle(fh, O_PATH);
		ck_assert_msg(fd == -1 && errno == ESTALE, "%s: inode %u "
		    "(O_PATH): returned %d errno %d", type, inos[i], fd, errno);
		free(fh);
	}
	/* The root by its real handle opens. */
	fh = r_handle(E3_MNT);
	fd = r_open_handle(fh, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_ino, 2);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	free(fh);
	e3_rumount();
	ck_assert_int_eq(e3_fsck(img), 0);
	assert_state_clean(img);
}

E3TEST(inodes, ext2_handles_of_no_file_are_ESTALE_and_load_nothing)
{

	no_file_inodes("ext2");
}

E3TEST(inodes, ext4_handles_of_no_file_are_ESTALE_and_load_nothing)
{

	no_file_inodes("ext4");
}

/*
 * unlinked
 */
E3TEST(unlinked, an_unlinked_open_file_opens_then_is_freed_once)
{
	struct file_handle *fh;
	const char *img;
	char buf[8];
	int fd, fd2;

	img = e3_mkfs("u.img", "ext4", 16, NULL);
	e3_rmount_ok(img, "ext4", 0);
	fd = rump_sys_open(E3_MNT "/f", O_RDWR | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_write(fd, "still", 5), 5);
	fh = r_handle(E3_MNT "/f");
	ck_assert_int_eq(rump_sys_unlink(E3_MNT "/f"), 0);
	fd2 = r_open_handle(fh, O_RDONLY);
	ck_assert_int_ge(fd2, 0);
	ck_assert_int_eq(rump_sys_read(fd2, buf, sizeof(buf)), 5);
	ck_assert_int_eq(rump_sys_close(fd2), 0);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	ck_assert_fails(r_open_handle(fh, O_RDONLY), ESTALE);
	e3_rumount();
	free(fh);
	ck_assert_int_eq(e3_fsck(img), 0);
	assert_state_clean(img);
}

int
main(void)
{

	return e3_main("ext2_fhandle", e3_envint("E3_TIMEOUT", 300));
}
