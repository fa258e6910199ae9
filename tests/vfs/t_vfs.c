/*
 * t_vfs.c: the file system calls against the tmpfs root, as Linux
 * behaves: open and its flags, stat and friends, directories, getdents64,
 * links, symbolic links, truncation and I/O, bad input.  Renames are in
 * t_rename.c, permissions and ownership in t_perm.c, times, statx, statfs,
 * mounts and the working directory in t_attr.c.
 *
 * Every expectation here also runs against the host kernel (t_vfs_host,
 * see vfs_test.h), which proves it is Linux's.
 */

#include "vfs_test.h"

#include <sys/uio.h>

/*
 * open, openat, creat.
 */

VTEST(open, open_creat_makes_regular_file_with_mode_minus_umask)
{
	struct stat st;
	int fd;

	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY | O_CREAT, 0777));
	ck_assert_int_eq(rump_sys_fstat(fd, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0755);
	ck_assert_int_eq(st.st_size, 0);
	ck_assert_int_eq(st.st_nlink, 1);
	ck_assert_int_eq(st.st_uid, 0);
	ck_assert_int_eq(st.st_gid, 0);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, open_creat_ignores_file_type_bits_in_the_mode)
{
	int fd;

	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY | O_CREAT, S_IFDIR | 0640));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_int_eq(vt_stat("/f").st_mode, S_IFREG | 0640);
}

VTEST(open, open_creat_keeps_setuid_setgid_sticky_bits_for_root)
{
	int fd;

	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY | O_CREAT, 07777));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 07755);
}

VTEST(open, open_creat_on_existing_file_opens_it_unchanged)
{
	char buf[16];
	int fd;

	vt_mkfile("/f", 0600, "data");
	fd = ck_nonneg(rump_sys_open("/f", O_RDWR | O_CREAT, 0777));
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 4);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 0600);
}

VTEST(open, open_creat_excl_on_existing_fails_EEXIST)
{

	vt_mkfile("/f", 0644, NULL);
	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_open("/f", O_WRONLY | O_CREAT | O_EXCL,
	    0644), EEXIST);
	ck_assert_fails(rump_sys_open("/d", O_RDONLY | O_CREAT | O_EXCL,
	    0644), EEXIST);
}

VTEST(open, open_creat_excl_on_dangling_symlink_fails_EEXIST)
{

	vt_symlink("/nowhere", "/l");
	ck_assert_fails(rump_sys_open("/l", O_WRONLY | O_CREAT | O_EXCL,
	    0644), EEXIST);
	ck_assert(!vt_exists("/nowhere"));
}

VTEST(open, open_creat_through_dangling_symlink_creates_target)
{
	struct stat st;
	int fd;

	vt_symlink("target", "/l");
	fd = ck_nonneg(rump_sys_open("/l", O_WRONLY | O_CREAT, 0644));
	ck_assert_ok(rump_sys_close(fd));
	st = vt_lstat("/target");
	ck_assert(S_ISREG(st.st_mode));
	ck_assert(S_ISLNK(vt_lstat("/l").st_mode));
}

VTEST(open, open_missing_file_without_creat_fails_ENOENT)
{

	ck_assert_fails(rump_sys_open("/nofile", O_RDONLY), ENOENT);
	ck_assert_fails(rump_sys_open("/nodir/f", O_RDWR | O_CREAT, 0644),
	    ENOENT);
}

VTEST(open, open_through_a_file_as_directory_fails_ENOTDIR)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_open("/f/x", O_RDONLY), ENOTDIR);
	ck_assert_fails(rump_sys_open("/f/x", O_WRONLY | O_CREAT, 0644),
	    ENOTDIR);
	ck_assert_fails(rump_sys_open("/f/", O_RDONLY), ENOTDIR);
}

VTEST(open, open_creat_with_trailing_slash_fails_EISDIR)
{

	ck_assert_fails(rump_sys_open("/new/", O_WRONLY | O_CREAT, 0644),
	    EISDIR);
	ck_assert(!vt_exists("/new"));
}

VTEST(open, open_creat_with_trailing_slash_on_existing_file_fails_EISDIR)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_open("/f/", O_RDWR | O_CREAT, 0644), EISDIR);
	ck_assert_fails(rump_sys_open("/f/", O_RDONLY | O_CREAT | O_EXCL,
	    0644), EISDIR);
	/* Even when the name is a symbolic link loop. */
	vt_symlink("loop", "/loop");
	ck_assert_fails(rump_sys_open("/loop/", O_WRONLY | O_CREAT, 0644),
	    EISDIR);
}

VTEST(open, open_creat_with_O_DIRECTORY_fails_EINVAL)
{

	/* Linux 6.4 and later: O_CREAT | O_DIRECTORY is refused outright. */
	vt_mkdir("/d", 0755);
	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_open("/new", O_RDONLY | O_CREAT | O_DIRECTORY,
	    0644), EINVAL);
	ck_assert_fails(rump_sys_open("/d", O_RDONLY | O_CREAT | O_DIRECTORY,
	    0644), EINVAL);
	ck_assert_fails(rump_sys_open("/f", O_RDWR | O_CREAT | O_DIRECTORY,
	    0644), EINVAL);
	ck_assert_fails(rump_sys_open("/nodir/x", O_RDONLY | O_CREAT |
	    O_DIRECTORY, 0644), EINVAL);
	ck_assert(!vt_exists("/new"));
}

VTEST(open, open_existing_dir_with_creat_fails_EISDIR)
{

	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_open("/d", O_RDONLY | O_CREAT, 0644),
	    EISDIR);
}

VTEST(open, open_dir_for_writing_fails_EISDIR)
{

	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_open("/d", O_WRONLY), EISDIR);
	ck_assert_fails(rump_sys_open("/d", O_RDWR), EISDIR);
	ck_assert_fails(rump_sys_open("/d", O_RDONLY | O_TRUNC), EISDIR);
}

VTEST(open, open_trunc_empties_existing_file)
{
	int fd;

	vt_mkfile("/f", 0644, "0123456789");
	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY | O_TRUNC));
	ck_assert_int_eq(vt_stat("/f").st_size, 0);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, open_rdonly_trunc_truncates_too)
{
	int fd;

	vt_mkfile("/f", 0644, "0123456789");
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY | O_TRUNC));
	ck_assert_int_eq(vt_stat("/f").st_size, 0);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, open_append_writes_at_end_after_lseek)
{
	char buf[32];
	int fd;

	vt_mkfile("/f", 0644, "abc");
	fd = ck_nonneg(rump_sys_open("/f", O_RDWR | O_APPEND));
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(rump_sys_write(fd, "de", 2), 2);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 5);
	ck_assert_int_eq(rump_sys_lseek(fd, 1, SEEK_SET), 1);
	ck_assert_int_eq(rump_sys_write(fd, "f", 1), 1);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_str_eq(vt_read("/f", buf, sizeof(buf)), "abcdef");
}

VTEST(open, pwrite_on_append_descriptor_appends)
{
	char buf[32];
	int fd;

	vt_mkfile("/f", 0644, "abc");
	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY | O_APPEND));
	ck_assert_int_eq(rump_sys_pwrite(fd, "X", 1, 0), 1);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_str_eq(vt_read("/f", buf, sizeof(buf)), "abcX");
}

VTEST(open, pwrite_on_append_descriptor_leaves_the_offset_alone)
{
	int fd;

	vt_mkfile("/f", 0644, "abc");
	fd = ck_nonneg(rump_sys_open("/f", O_RDWR | O_APPEND));
	ck_assert_int_eq(rump_sys_lseek(fd, 1, SEEK_SET), 1);
	ck_assert_int_eq(rump_sys_pwrite(fd, "XY", 2, 0), 2);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 1);
	ck_assert_int_eq(vt_stat("/f").st_size, 5);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, empty_write_on_append_descriptor_leaves_the_offset_alone)
{
	int fd;

	vt_mkfile("/f", 0644, "abc");
	fd = ck_nonneg(rump_sys_open("/f", O_RDWR | O_APPEND));
	ck_assert_int_eq(rump_sys_lseek(fd, 1, SEEK_SET), 1);
	ck_assert_int_eq(rump_sys_write(fd, "", 0), 0);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 1);
	ck_assert_int_eq(rump_sys_lseek(fd, 100, SEEK_SET), 100);
	ck_assert_int_eq(rump_sys_write(fd, "", 0), 0);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 100);
	ck_assert_int_eq(rump_sys_write(fd, "d", 1), 1);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 4);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, open_directory_flag_on_file_fails_ENOTDIR)
{
	int fd;

	vt_mkfile("/f", 0644, NULL);
	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_open("/f", O_RDONLY | O_DIRECTORY), ENOTDIR);
	fd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, open_directory_flag_follows_symlink_to_dir)
{
	int fd;

	vt_mkdir("/d", 0755);
	vt_symlink("d", "/ld");
	fd = ck_nonneg(rump_sys_open("/ld", O_RDONLY | O_DIRECTORY));
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, open_nofollow_on_symlink_fails_ELOOP)
{

	vt_mkfile("/f", 0644, NULL);
	vt_symlink("f", "/l");
	ck_assert_fails(rump_sys_open("/l", O_RDONLY | O_NOFOLLOW), ELOOP);
	ck_assert_fails(rump_sys_open("/l", O_WRONLY | O_CREAT | O_NOFOLLOW,
	    0644), ELOOP);
}

VTEST(open, open_nofollow_follows_symlinks_before_the_last_component)
{
	int fd;

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	vt_symlink("d", "/ld");
	fd = ck_nonneg(rump_sys_open("/ld/f", O_RDONLY | O_NOFOLLOW));
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, open_cloexec_sets_FD_CLOEXEC_only_when_asked)
{
	int fd1, fd2;

	vt_mkfile("/f", 0644, NULL);
	fd1 = ck_nonneg(rump_sys_open("/f", O_RDONLY | O_CLOEXEC));
	fd2 = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_int_eq(rump_sys_fcntl(fd1, F_GETFD), FD_CLOEXEC);
	ck_assert_int_eq(rump_sys_fcntl(fd2, F_GETFD), 0);
	ck_assert_ok(rump_sys_close(fd1));
	ck_assert_ok(rump_sys_close(fd2));
}

VTEST(open, open_status_flags_visible_in_F_GETFL)
{
	int fd;

	vt_mkfile("/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/f", O_RDWR | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0644));
	ck_assert_int_eq(rump_sys_fcntl(fd, F_GETFL) &
	    (O_ACCMODE | O_APPEND | O_CREAT | O_CLOEXEC), O_RDWR | O_APPEND);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, open_excl_without_creat_opens_existing_file)
{
	int fd;

	vt_mkfile("/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY | O_EXCL));
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, open_rdonly_descriptor_cannot_write_EBADF)
{
	char c;
	int fd;

	vt_mkfile("/f", 0644, "x");
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_fails(rump_sys_write(fd, "y", 1), EBADF);
	ck_assert_int_eq(rump_sys_read(fd, &c, 1), 1);
	ck_assert_ok(rump_sys_close(fd));
	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY));
	ck_assert_fails(rump_sys_read(fd, &c, 1), EBADF);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, open_path_gives_descriptor_without_io)
{
	struct stat st;
	char c;
	int fd;

	vt_mkfile("/f", 0644, "x");
	fd = ck_nonneg(rump_sys_open("/f", O_PATH));
	ck_assert_fails(rump_sys_read(fd, &c, 1), EBADF);
	ck_assert_fails(rump_sys_write(fd, "y", 1), EBADF);
	ck_assert_ok(rump_sys_fstat(fd, &st));
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_size, 1);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, open_path_nofollow_opens_the_symlink_itself)
{
	struct stat st;
	int fd;

	vt_symlink("/nowhere", "/l");
	fd = ck_nonneg(rump_sys_open("/l", O_PATH | O_NOFOLLOW));
	ck_assert_ok(rump_sys_fstat(fd, &st));
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, open_path_dir_serves_as_dirfd_and_fchdir)
{
	int dfd, fd;

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	dfd = ck_nonneg(rump_sys_open("/d", O_PATH | O_DIRECTORY));
	fd = ck_nonneg(rump_sys_openat(dfd, "f", O_RDONLY));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_ok(rump_sys_fchdir(dfd));
	ck_assert(S_ISREG(vt_stat("f").st_mode));
	ck_assert_ok(rump_sys_close(dfd));
}

VTEST(open, openat_resolves_relative_to_dirfd)
{
	int dfd, fd;

	vt_mkdir("/d", 0755);
	dfd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	fd = ck_nonneg(rump_sys_openat(dfd, "f", O_WRONLY | O_CREAT, 0600));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert(S_ISREG(vt_stat("/d/f").st_mode));
	fd = ck_nonneg(rump_sys_openat(dfd, "..", O_RDONLY));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_ok(rump_sys_close(dfd));
}

VTEST(open, openat_with_file_as_dirfd_fails_ENOTDIR)
{
	int fd;

	vt_mkfile("/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_fails(rump_sys_openat(fd, "x", O_RDONLY), ENOTDIR);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, openat_bad_dirfd_fails_EBADF_unless_path_is_absolute)
{
	int fd;

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_openat(-5, "f", O_RDONLY), EBADF);
	ck_assert_fails(rump_sys_openat(9999, "f", O_RDONLY), EBADF);
	fd = ck_nonneg(rump_sys_openat(9999, "/f", O_RDONLY));
	ck_assert_ok(rump_sys_close(fd));
	fd = ck_nonneg(rump_sys_openat(AT_FDCWD, "f", O_RDONLY));
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(open, creat_opens_write_only_and_truncates)
{
	char c;
	int fd;

	vt_mkfile("/f", 0644, "contents");
	fd = ck_nonneg(rump_sys_creat("/f", 0600));
	ck_assert_int_eq(vt_stat("/f").st_size, 0);
	ck_assert_fails(rump_sys_read(fd, &c, 1), EBADF);
	ck_assert_int_eq(rump_sys_write(fd, "ab", 2), 2);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 0644);
	fd = ck_nonneg(rump_sys_creat("/g", 0666));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_int_eq(vt_stat("/g").st_mode & 07777, 0644);
}

VTEST(open, open_empty_path_fails_ENOENT)
{

	ck_assert_fails(rump_sys_open("", O_RDONLY), ENOENT);
	ck_assert_fails(rump_sys_openat(AT_FDCWD, "", O_RDONLY), ENOENT);
}

VTEST(open, descriptors_are_lowest_free_numbers)
{
	int fd1, fd2, fd3;

	vt_mkfile("/f", 0644, NULL);
	fd1 = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	fd2 = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_int_eq(fd2, fd1 + 1);
	ck_assert_ok(rump_sys_close(fd1));
	fd3 = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_int_eq(fd3, fd1);
	ck_assert_ok(rump_sys_close(fd2));
	ck_assert_ok(rump_sys_close(fd3));
}

/*
 * stat, lstat, fstat, fstatat.
 */

VTEST(stat, stat_file_reports_size_links_and_device_of_root)
{
	struct stat st, root;

	vt_mkfile("/f", 0640, "0123456789");
	st = vt_stat("/f");
	root = vt_stat("/");
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0640);
	ck_assert_int_eq(st.st_size, 10);
	ck_assert_int_eq(st.st_nlink, 1);
	ck_assert_int_eq(st.st_dev, root.st_dev);
	ck_assert(st.st_ino != root.st_ino);
	ck_assert(st.st_blksize > 0);
	ck_assert_int_eq(st.st_rdev, 0);
}

VTEST(stat, stat_root_is_directory_and_dotdot_of_root_is_root)
{
	struct stat a, b, c;

	a = vt_stat("/");
	b = vt_stat("/..");
	c = vt_stat("/../../.");
	ck_assert(S_ISDIR(a.st_mode));
	ck_assert_int_eq(a.st_ino, b.st_ino);
	ck_assert_int_eq(a.st_ino, c.st_ino);
	ck_assert_int_ge(a.st_nlink, 2);
}

VTEST(stat, stat_new_dir_has_two_links_and_each_subdir_adds_one)
{

	vt_mkdir("/d", 0755);
	ck_assert_int_eq(vt_stat("/d").st_nlink, 2);
	vt_mkdir("/d/a", 0755);
	vt_mkdir("/d/b", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	ck_assert_int_eq(vt_stat("/d").st_nlink, 4);
	ck_assert_ok(rump_sys_rmdir("/d/a"));
	ck_assert_int_eq(vt_stat("/d").st_nlink, 3);
}

VTEST(stat, stat_follows_symlink_lstat_does_not)
{
	struct stat st;

	vt_mkfile("/f", 0600, "abc");
	vt_symlink("f", "/l");
	st = vt_stat("/l");
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_size, 3);
	ck_assert_int_eq(st.st_ino, vt_stat("/f").st_ino);
	st = vt_lstat("/l");
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0777);
	ck_assert_int_eq(st.st_size, 1);
	ck_assert_int_eq(st.st_nlink, 1);
}

VTEST(stat, fstat_matches_stat)
{
	struct stat a, b;
	int fd;

	vt_mkfile("/f", 0644, "xyz");
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_ok(rump_sys_fstat(fd, &a));
	b = vt_stat("/f");
	ck_assert_int_eq(a.st_ino, b.st_ino);
	ck_assert_int_eq(a.st_dev, b.st_dev);
	ck_assert_int_eq(a.st_mode, b.st_mode);
	ck_assert_int_eq(a.st_size, b.st_size);
	ck_assert_int_eq(a.st_nlink, b.st_nlink);
	ck_assert_int_eq(vt_ts_ns(&a.st_mtim), vt_ts_ns(&b.st_mtim));
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(stat, fstatat_symlink_nofollow_and_dirfd)
{
	struct stat st;
	int dfd;

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	vt_symlink("f", "/d/l");
	dfd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_ok(rump_sys_fstatat(dfd, "l", &st, 0));
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_ok(rump_sys_fstatat(dfd, "l", &st, AT_SYMLINK_NOFOLLOW));
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_ok(rump_sys_fstatat(AT_FDCWD, "/d/l", &st,
	    AT_SYMLINK_NOFOLLOW));
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_ok(rump_sys_close(dfd));
}

VTEST(stat, fstatat_empty_path_needs_AT_EMPTY_PATH)
{
	struct stat st;
	int fd;

	vt_mkfile("/f", 0644, "abcd");
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_fails(rump_sys_fstatat(fd, "", &st, 0), ENOENT);
	ck_assert_ok(rump_sys_fstatat(fd, "", &st, AT_EMPTY_PATH));
	ck_assert_int_eq(st.st_size, 4);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(stat, fstatat_unknown_flag_fails_EINVAL)
{
	struct stat st;

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_fstatat(AT_FDCWD, "/f", &st, 0x1), EINVAL);
	ck_assert_fails(rump_sys_fstatat(AT_FDCWD, "/f", &st, AT_REMOVEDIR),
	    EINVAL);
}

VTEST(stat, stat_missing_fails_ENOENT_and_under_file_ENOTDIR)
{
	struct stat st;

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_stat("/missing", &st), ENOENT);
	ck_assert_fails(rump_sys_lstat("/missing/x", &st), ENOENT);
	ck_assert_fails(rump_sys_stat("/f/x", &st), ENOTDIR);
	ck_assert_fails(rump_sys_stat("/f/", &st), ENOTDIR);
	ck_assert_fails(rump_sys_stat("/f/.", &st), ENOTDIR);
	ck_assert_fails(rump_sys_stat("/f/..", &st), ENOTDIR);
}

VTEST(stat, symlink_to_file_in_the_middle_of_a_path_fails_ENOTDIR)
{
	struct stat st;
	char buf[8];

	vt_mkfile("/f", 0644, NULL);
	vt_symlink("f", "/lf");
	ck_assert_fails(rump_sys_stat("/lf/x", &st), ENOTDIR);
	ck_assert_fails(rump_sys_open("/lf/x", O_WRONLY | O_CREAT, 0644),
	    ENOTDIR);
	ck_assert_fails(rump_sys_readlink("/", buf, sizeof(buf)), EINVAL);
}

VTEST(stat, dot_and_dotdot_resolve_in_the_middle_of_paths)
{

	vt_mkdir("/a", 0755);
	vt_mkdir("/a/b", 0755);
	vt_mkfile("/a/f", 0644, NULL);
	ck_assert_int_eq(vt_stat("/a/b/../f").st_ino, vt_stat("/a/f").st_ino);
	ck_assert_int_eq(vt_stat("/a/./b/./..").st_ino, vt_stat("/a").st_ino);
	ck_assert_int_eq(vt_stat("//a//b//").st_ino, vt_stat("/a/b").st_ino);
}

/*
 * mkdir, rmdir, unlink, unlinkat.
 */

VTEST(dir, mkdir_makes_dir_with_mode_minus_umask)
{
	struct stat st;

	ck_assert_ok(rump_sys_mkdir("/d", 0777));
	st = vt_stat("/d");
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0755);
	ck_assert_int_eq(st.st_uid, 0);
	ck_assert_int_eq(st.st_size >= 0, 1);
}

VTEST(dir, mkdir_drops_setuid_and_setgid_from_the_mode)
{

	ck_assert_ok(rump_sys_mkdir("/d", 07777));
	ck_assert_int_eq(vt_stat("/d").st_mode, S_IFDIR | 01755);
}

VTEST(dir, unlinked_name_can_be_created_again_as_a_new_file)
{
	struct stat a, b;
	int fd;

	vt_mkfile("/f", 0644, "old");
	ck_assert_ok(rump_sys_link("/f", "/keep"));
	a = vt_stat("/f");
	ck_assert_ok(rump_sys_unlink("/f"));
	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY | O_CREAT | O_EXCL, 0600));
	ck_assert_ok(rump_sys_close(fd));
	b = vt_stat("/f");
	ck_assert(a.st_ino != b.st_ino);
	ck_assert_int_eq(b.st_nlink, 1);
	ck_assert_int_eq(b.st_size, 0);
	ck_assert_int_eq(vt_stat("/keep").st_nlink, 1);
}

VTEST(dir, mkdir_keeps_sticky_bit)
{

	ck_assert_ok(rump_sys_mkdir("/d", 01777));
	ck_assert_int_eq(vt_stat("/d").st_mode & 07777, 01755);
}

VTEST(dir, mkdir_increments_parent_link_count)
{
	nlink_t before = vt_stat("/").st_nlink;

	vt_mkdir("/d", 0755);
	ck_assert_int_eq(vt_stat("/").st_nlink, before + 1);
	ck_assert_ok(rump_sys_rmdir("/d"));
	ck_assert_int_eq(vt_stat("/").st_nlink, before);
}

VTEST(dir, mkdir_on_existing_name_fails_EEXIST)
{

	vt_mkdir("/d", 0755);
	vt_mkfile("/f", 0644, NULL);
	vt_symlink("/nowhere", "/l");
	ck_assert_fails(rump_sys_mkdir("/d", 0755), EEXIST);
	ck_assert_fails(rump_sys_mkdir("/f", 0755), EEXIST);
	ck_assert_fails(rump_sys_mkdir("/l", 0755), EEXIST);
	ck_assert_fails(rump_sys_mkdir("/", 0755), EEXIST);
	ck_assert_fails(rump_sys_mkdir("/d/.", 0755), EEXIST);
	ck_assert_fails(rump_sys_mkdir("/d/..", 0755), EEXIST);
}

VTEST(dir, mkdir_with_trailing_slash_works)
{

	ck_assert_ok(rump_sys_mkdir("/d/", 0755));
	ck_assert_ok(rump_sys_mkdir("/d/e//", 0755));
	ck_assert(S_ISDIR(vt_stat("/d/e").st_mode));
}

VTEST(dir, mkdir_or_symlink_on_existing_name_with_slash_fails_EEXIST)
{

	vt_mkfile("/f", 0644, NULL);
	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_mkdir("/f/", 0755), EEXIST);
	ck_assert_fails(rump_sys_mkdir("/d/", 0755), EEXIST);
	ck_assert_fails(rump_sys_symlink("t", "/f/"), EEXIST);
	ck_assert_fails(rump_sys_mknod("/f/", S_IFIFO | 0644, 0), EEXIST);
}

VTEST(dir, mkdir_in_missing_parent_fails_ENOENT_under_file_ENOTDIR)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_mkdir("/no/d", 0755), ENOENT);
	ck_assert_fails(rump_sys_mkdir("/f/d", 0755), ENOTDIR);
}

VTEST(dir, mkdirat_resolves_relative_to_dirfd)
{
	int dfd;

	vt_mkdir("/d", 0755);
	dfd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_ok(rump_sys_mkdirat(dfd, "e", 0700));
	ck_assert_int_eq(vt_stat("/d/e").st_mode & 07777, 0700);
	ck_assert_fails(rump_sys_mkdirat(-1, "x", 0700), EBADF);
	ck_assert_ok(rump_sys_close(dfd));
}

VTEST(dir, rmdir_removes_empty_dir)
{

	vt_mkdir("/d", 0755);
	ck_assert_ok(rump_sys_rmdir("/d"));
	ck_assert(!vt_exists("/d"));
	ck_assert_fails(rump_sys_rmdir("/d"), ENOENT);
}

VTEST(dir, rmdir_nonempty_fails_ENOTEMPTY)
{

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	ck_assert_fails(rump_sys_rmdir("/d"), ENOTEMPTY);
	ck_assert_ok(rump_sys_unlink("/d/f"));
	vt_mkdir("/d/e", 0755);
	ck_assert_fails(rump_sys_rmdir("/d"), ENOTEMPTY);
	ck_assert_ok(rump_sys_rmdir("/d/e"));
	ck_assert_ok(rump_sys_rmdir("/d"));
}

VTEST(dir, rmdir_of_non_directory_fails_ENOTDIR)
{

	vt_mkfile("/f", 0644, NULL);
	vt_mkdir("/d", 0755);
	vt_symlink("d", "/l");
	ck_assert_fails(rump_sys_rmdir("/f"), ENOTDIR);
	ck_assert_fails(rump_sys_rmdir("/l"), ENOTDIR);
	ck_assert(vt_exists("/d"));
}

VTEST(dir, rmdir_dot_fails_EINVAL_dotdot_ENOTEMPTY_root_EBUSY)
{

	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_rmdir("/d/."), EINVAL);
	ck_assert_fails(rump_sys_rmdir("/d/.."), ENOTEMPTY);
	ck_assert_fails(rump_sys_rmdir("/"), EBUSY);
	ck_assert_fails(rump_sys_rmdir("."), EINVAL);
}

VTEST(dir, rmdir_with_trailing_slash_works)
{

	vt_mkdir("/d", 0755);
	ck_assert_ok(rump_sys_rmdir("/d/"));
	ck_assert(!vt_exists("/d"));
}

VTEST(dir, unlink_removes_name_and_decrements_links)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_link("/f", "/g"));
	ck_assert_int_eq(vt_stat("/f").st_nlink, 2);
	ck_assert_ok(rump_sys_unlink("/f"));
	ck_assert(!vt_exists("/f"));
	ck_assert_int_eq(vt_stat("/g").st_nlink, 1);
	ck_assert_fails(rump_sys_unlink("/f"), ENOENT);
}

VTEST(dir, unlink_of_directory_fails_EISDIR)
{

	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_unlink("/d"), EISDIR);
	ck_assert_fails(rump_sys_unlink("/"), EISDIR);
	ck_assert(vt_exists("/d"));
}

VTEST(dir, unlink_with_trailing_slash_on_file_fails_ENOTDIR)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_unlink("/f/"), ENOTDIR);
	ck_assert(vt_exists("/f"));
}

VTEST(dir, unlink_symlink_removes_the_link_not_the_target)
{

	vt_mkfile("/f", 0644, NULL);
	vt_symlink("f", "/l");
	ck_assert_ok(rump_sys_unlink("/l"));
	ck_assert(!vt_exists("/l"));
	ck_assert(vt_exists("/f"));
}

VTEST(dir, unlinked_open_file_stays_readable_with_zero_links)
{
	struct stat st;
	char buf[8];
	int fd;

	vt_mkfile("/f", 0644, "alive");
	fd = ck_nonneg(rump_sys_open("/f", O_RDWR));
	ck_assert_ok(rump_sys_unlink("/f"));
	ck_assert_ok(rump_sys_fstat(fd, &st));
	ck_assert_int_eq(st.st_nlink, 0);
	ck_assert_int_eq(rump_sys_pread(fd, buf, sizeof(buf), 0), 5);
	ck_assert_int_eq(memcmp(buf, "alive", 5), 0);
	ck_assert_int_eq(rump_sys_pwrite(fd, "!", 1, 5), 1);
	ck_assert_ok(rump_sys_fstat(fd, &st));
	ck_assert_int_eq(st.st_size, 6);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(dir, unlinkat_removedir_removes_directories_only)
{
	int dfd;

	vt_mkdir("/d", 0755);
	vt_mkdir("/d/e", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	dfd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_fails(rump_sys_unlinkat(dfd, "f", AT_REMOVEDIR), ENOTDIR);
	ck_assert_fails(rump_sys_unlinkat(dfd, "e", 0), EISDIR);
	ck_assert_ok(rump_sys_unlinkat(dfd, "e", AT_REMOVEDIR));
	ck_assert_ok(rump_sys_unlinkat(dfd, "f", 0));
	ck_assert_listing("/d", "./..");
	ck_assert_ok(rump_sys_close(dfd));
}

VTEST(dir, unlinkat_unknown_flag_fails_EINVAL)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_unlinkat(AT_FDCWD, "/f", 0x1), EINVAL);
	ck_assert_fails(rump_sys_unlinkat(AT_FDCWD, "/f",
	    AT_SYMLINK_NOFOLLOW), EINVAL);
	ck_assert(vt_exists("/f"));
}

VTEST(dir, create_in_removed_directory_fails_ENOENT)
{
	int dfd;

	vt_mkdir("/d", 0755);
	dfd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_ok(rump_sys_rmdir("/d"));
	ck_assert_fails(rump_sys_openat(dfd, "f", O_WRONLY | O_CREAT, 0644),
	    ENOENT);
	ck_assert_fails(rump_sys_mkdirat(dfd, "e", 0755), ENOENT);
	ck_assert_ok(rump_sys_close(dfd));
}

/*
 * getdents64.
 */

VTEST(getdents, getdents_of_new_dir_lists_dot_and_dotdot)
{

	vt_mkdir("/d", 0755);
	ck_assert_listing("/d", "./..");
}

VTEST(getdents, getdents_lists_every_name_with_its_type)
{

	vt_mkdir("/d", 0755);
	vt_mkdir("/d/sub", 0755);
	vt_mkfile("/d/file", 0644, NULL);
	vt_symlink("file", "/d/link");
	ck_assert_ok(rump_sys_mknod("/d/fifo", S_IFIFO | 0644, 0));
	ck_assert_listing("/d", "./../fifo/file/link/sub");
	ck_assert_ok(rump_sys_unlink("/d/file"));
	ck_assert_listing("/d", "./../fifo/link/sub");
}

VTEST(getdents, getdents_dot_and_dotdot_carry_the_right_inodes)
{
	char buf[4096];
	long len, off;
	int fd, seen = 0;

	vt_mkdir("/d", 0755);
	fd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	len = ck_nonneg(rump_sys_getdents64(fd, buf, sizeof(buf)));
	for (off = 0; off < len;) {
		struct vt_dirent *d = (struct vt_dirent *)(buf + off);

		if (strcmp(d->d_name, ".") == 0) {
			ck_assert_int_eq(d->d_ino, vt_stat("/d").st_ino);
			ck_assert_int_eq(d->d_type, DT_DIR);
			seen++;
		} else if (strcmp(d->d_name, "..") == 0) {
			ck_assert_int_eq(d->d_ino, vt_stat("/").st_ino);
			ck_assert_int_eq(d->d_type, DT_DIR);
			seen++;
		}
		off += d->d_reclen;
	}
	ck_assert_int_eq(seen, 2);
	ck_assert_int_eq(rump_sys_getdents64(fd, buf, sizeof(buf)), 0);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(getdents, getdents_resumes_across_small_buffers)
{
	char buf[128], name[64];
	int seen[100], fd, i, total = 0;
	long len, off;

	vt_mkdir("/d", 0755);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "/d/file-with-a-long-name-%03d", i);
		vt_mkfile(name, 0644, NULL);
		seen[i] = 0;
	}
	fd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	while ((len = ck_nonneg(rump_sys_getdents64(fd, buf,
	    sizeof(buf)))) > 0) {
		for (off = 0; off < len;) {
			struct vt_dirent *d = (struct vt_dirent *)(buf + off);

			if (d->d_name[0] != '.') {
				i = atoi(d->d_name + 22);
				ck_assert(i >= 0 && i < 100);
				ck_assert_msg(seen[i] == 0, "%s twice",
				    d->d_name);
				seen[i] = 1;
			}
			total++;
			off += d->d_reclen;
		}
	}
	ck_assert_int_eq(total, 102);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(getdents, getdents_lseek_to_zero_rewinds)
{
	char buf[4096];
	long a, b;
	int fd;

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	a = ck_nonneg(rump_sys_getdents64(fd, buf, sizeof(buf)));
	ck_assert_int_gt(a, 0);
	ck_assert_int_eq(rump_sys_getdents64(fd, buf, sizeof(buf)), 0);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	b = ck_nonneg(rump_sys_getdents64(fd, buf, sizeof(buf)));
	ck_assert_int_eq(a, b);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(getdents, getdents_survives_removal_during_iteration)
{
	char buf[96], name[64];
	int fd, i, count = 0;
	long len, off;

	vt_mkdir("/d", 0755);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "/d/n%02d", i);
		vt_mkfile(name, 0644, NULL);
	}
	fd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	len = ck_nonneg(rump_sys_getdents64(fd, buf, sizeof(buf)));
	ck_assert_int_gt(len, 0);
	for (i = 0; i < 40; i += 2) {
		snprintf(name, sizeof(name), "/d/n%02d", i);
		ck_assert_ok(rump_sys_unlink(name));
	}
	while ((len = ck_nonneg(rump_sys_getdents64(fd, buf,
	    sizeof(buf)))) > 0) {
		for (off = 0; off < len;) {
			struct vt_dirent *d = (struct vt_dirent *)(buf + off);

			ck_assert(d->d_reclen > 0);
			count++;
			off += d->d_reclen;
		}
	}
	ck_assert_int_le(count, 42);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(getdents, getdents_of_removed_directory_fails_ENOENT)
{
	char buf[1024];
	int fd;

	vt_mkdir("/d", 0755);
	fd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_ok(rump_sys_rmdir("/d"));
	ck_assert_fails(rump_sys_getdents64(fd, buf, sizeof(buf)), ENOENT);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(getdents, getdents_on_file_fails_ENOTDIR)
{
	char buf[1024];
	int fd;

	vt_mkfile("/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_fails(rump_sys_getdents64(fd, buf, sizeof(buf)), ENOTDIR);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(getdents, getdents_too_small_buffer_fails_EINVAL)
{
	char buf[1024];
	int fd;

	fd = ck_nonneg(rump_sys_open("/", O_RDONLY | O_DIRECTORY));
	ck_assert_fails(rump_sys_getdents64(fd, buf, 1), EINVAL);
	ck_assert_fails(rump_sys_getdents64(fd, buf, 0), EINVAL);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(getdents, getdents_bad_descriptor_EBADF_bad_buffer_EFAULT)
{
	char buf[1024];
	int fd;

	ck_assert_fails(rump_sys_getdents64(-1, buf, sizeof(buf)), EBADF);
	ck_assert_fails(rump_sys_getdents64(4000, buf, sizeof(buf)), EBADF);
	fd = ck_nonneg(rump_sys_open("/", O_RDONLY | O_DIRECTORY));
	ck_assert_fails(rump_sys_getdents64(fd, VT_BADPTR, 1024), EFAULT);
	ck_assert_ok(rump_sys_close(fd));
	fd = ck_nonneg(rump_sys_open("/", O_PATH));
	ck_assert_fails(rump_sys_getdents64(fd, buf, sizeof(buf)), EBADF);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(getdents, read_on_directory_fails_EISDIR)
{
	char buf[64];
	int fd;

	fd = ck_nonneg(rump_sys_open("/", O_RDONLY | O_DIRECTORY));
	ck_assert_fails(rump_sys_read(fd, buf, sizeof(buf)), EISDIR);
	ck_assert_fails(rump_sys_pread(fd, buf, sizeof(buf), 0), EISDIR);
	ck_assert_fails(rump_sys_write(fd, buf, 1), EBADF);
	ck_assert_ok(rump_sys_close(fd));
}

/*
 * link, linkat.
 */

VTEST(link, link_adds_a_name_for_the_same_inode)
{
	char buf[16];
	struct stat a, b;

	vt_mkfile("/f", 0644, "same");
	vt_mkdir("/d", 0755);
	ck_assert_ok(rump_sys_link("/f", "/d/g"));
	a = vt_stat("/f");
	b = vt_stat("/d/g");
	ck_assert_int_eq(a.st_ino, b.st_ino);
	ck_assert_int_eq(a.st_nlink, 2);
	ck_assert_str_eq(vt_read("/d/g", buf, sizeof(buf)), "same");
}

VTEST(link, link_onto_existing_name_fails_EEXIST)
{

	vt_mkfile("/f", 0644, NULL);
	vt_mkfile("/g", 0644, NULL);
	vt_symlink("/nowhere", "/l");
	ck_assert_fails(rump_sys_link("/f", "/g"), EEXIST);
	ck_assert_fails(rump_sys_link("/f", "/l"), EEXIST);
	ck_assert_fails(rump_sys_link("/f", "/f"), EEXIST);
	ck_assert_int_eq(vt_stat("/f").st_nlink, 1);
}

VTEST(link, link_checks_the_new_name_before_refusing_a_directory)
{

	vt_mkdir("/d", 0755);
	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_link("/d", "/f"), EEXIST);
	ck_assert_fails(rump_sys_link("/d", "/d"), EEXIST);
	ck_assert_fails(rump_sys_link("/d", "/nodir/x"), ENOENT);
	ck_assert_fails(rump_sys_link("/d", "/f/x"), ENOTDIR);
	ck_assert_fails(rump_sys_link("/d", "/x"), EPERM);
	ck_assert_fails(rump_sys_link("/f", "/f/"), EEXIST);
	ck_assert_fails(rump_sys_link("/f", "/d/"), EEXIST);
	ck_assert_fails(rump_sys_link("/f", "/new/"), ENOENT);
}

VTEST(link, link_of_directory_fails_EPERM)
{

	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_link("/d", "/e"), EPERM);
	ck_assert(!vt_exists("/e"));
}

VTEST(link, link_missing_source_ENOENT_missing_dir_ENOENT)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_link("/nofile", "/g"), ENOENT);
	ck_assert_fails(rump_sys_link("/f", "/nodir/g"), ENOENT);
	ck_assert_fails(rump_sys_link("/f", "/f/g"), ENOTDIR);
	ck_assert_fails(rump_sys_link("/f/", "/g"), ENOTDIR);
}

VTEST(link, link_does_not_follow_a_symlink_source)
{
	struct stat st;

	vt_mkfile("/f", 0644, NULL);
	vt_symlink("f", "/l");
	ck_assert_ok(rump_sys_link("/l", "/l2"));
	st = vt_lstat("/l2");
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(st.st_nlink, 2);
	ck_assert_int_eq(vt_stat("/f").st_nlink, 1);
}

VTEST(link, linkat_symlink_follow_links_the_target)
{
	struct stat st;

	vt_mkfile("/f", 0644, NULL);
	vt_symlink("f", "/l");
	ck_assert_ok(rump_sys_linkat(AT_FDCWD, "/l", AT_FDCWD, "/g",
	    AT_SYMLINK_FOLLOW));
	st = vt_lstat("/g");
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_ino, vt_stat("/f").st_ino);
	ck_assert_int_eq(st.st_nlink, 2);
}

VTEST(link, linkat_empty_path_links_an_open_file)
{
	int fd;

	vt_mkfile("/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_fails(rump_sys_linkat(fd, "", AT_FDCWD, "/g", 0), ENOENT);
	ck_assert_ok(rump_sys_linkat(fd, "", AT_FDCWD, "/g", AT_EMPTY_PATH));
	ck_assert_int_eq(vt_stat("/g").st_ino, vt_stat("/f").st_ino);
	ck_assert_int_eq(vt_stat("/f").st_nlink, 2);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(link, linkat_empty_path_of_unlinked_file_fails_ENOENT)
{
	int fd;

	vt_mkfile("/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_ok(rump_sys_unlink("/f"));
	ck_assert_fails(rump_sys_linkat(fd, "", AT_FDCWD, "/g",
	    AT_EMPTY_PATH), ENOENT);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(link, linkat_unknown_flag_fails_EINVAL)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_linkat(AT_FDCWD, "/f", AT_FDCWD, "/g",
	    AT_SYMLINK_NOFOLLOW), EINVAL);
	ck_assert_fails(rump_sys_linkat(AT_FDCWD, "/f", AT_FDCWD, "/g", 0x1),
	    EINVAL);
	ck_assert(!vt_exists("/g"));
}

VTEST(link, linkat_resolves_each_name_from_its_dirfd)
{
	int d1, d2;

	vt_mkdir("/a", 0755);
	vt_mkdir("/b", 0755);
	vt_mkfile("/a/f", 0644, NULL);
	d1 = ck_nonneg(rump_sys_open("/a", O_RDONLY | O_DIRECTORY));
	d2 = ck_nonneg(rump_sys_open("/b", O_RDONLY | O_DIRECTORY));
	ck_assert_ok(rump_sys_linkat(d1, "f", d2, "g", 0));
	ck_assert_int_eq(vt_stat("/b/g").st_ino, vt_stat("/a/f").st_ino);
	ck_assert_ok(rump_sys_close(d1));
	ck_assert_ok(rump_sys_close(d2));
}

/*
 * symlink, readlink.
 */

VTEST(symlink, symlink_and_readlink_round_trip_without_NUL)
{
	char buf[64];

	memset(buf, 'X', sizeof(buf));
	ck_assert_ok(rump_sys_symlink("some/target", "/l"));
	ck_assert_int_eq(rump_sys_readlink("/l", buf, sizeof(buf)), 11);
	ck_assert_int_eq(memcmp(buf, "some/target", 11), 0);
	ck_assert_int_eq(buf[11], 'X');
}

VTEST(symlink, readlink_into_small_buffer_truncates)
{
	char buf[4];

	vt_symlink("abcdefgh", "/l");
	ck_assert_int_eq(rump_sys_readlink("/l", buf, sizeof(buf)), 4);
	ck_assert_int_eq(memcmp(buf, "abcd", 4), 0);
}

VTEST(symlink, readlink_of_non_symlink_fails_EINVAL)
{
	char buf[16];

	vt_mkfile("/f", 0644, NULL);
	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_readlink("/f", buf, sizeof(buf)), EINVAL);
	ck_assert_fails(rump_sys_readlink("/d", buf, sizeof(buf)), EINVAL);
	ck_assert_fails(rump_sys_readlink("/missing", buf, sizeof(buf)),
	    ENOENT);
}

VTEST(symlink, readlink_zero_size_fails_EINVAL)
{
	char buf[16];

	vt_symlink("t", "/l");
	ck_assert_fails(rump_sys_readlink("/l", buf, 0), EINVAL);
}

VTEST(symlink, readlink_follows_symlinks_before_the_last_component)
{
	char buf[16];

	vt_mkdir("/d", 0755);
	vt_symlink("target", "/d/l");
	vt_symlink("d", "/ld");
	ck_assert_int_eq(rump_sys_readlink("/ld/l", buf, sizeof(buf)), 6);
	ck_assert_int_eq(rump_sys_readlink("/ld", buf, sizeof(buf)), 1);
}

VTEST(symlink, readlinkat_empty_path_reads_an_O_PATH_link)
{
	char buf[16];
	int fd;

	vt_symlink("target", "/l");
	fd = ck_nonneg(rump_sys_open("/l", O_PATH | O_NOFOLLOW));
	ck_assert_int_eq(rump_sys_readlinkat(fd, "", buf, sizeof(buf)), 6);
	ck_assert_int_eq(memcmp(buf, "target", 6), 0);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(symlink, symlink_onto_existing_name_fails_EEXIST)
{

	vt_mkfile("/f", 0644, NULL);
	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_symlink("x", "/f"), EEXIST);
	ck_assert_fails(rump_sys_symlink("x", "/d"), EEXIST);
	ck_assert_fails(rump_sys_symlink("x", "/d/"), EEXIST);
}

VTEST(symlink, symlink_with_empty_target_fails_ENOENT)
{

	ck_assert_fails(rump_sys_symlink("", "/l"), ENOENT);
	ck_assert(!vt_exists("/l"));
}

VTEST(symlink, symlink_new_name_with_trailing_slash_fails_ENOENT)
{

	ck_assert_fails(rump_sys_symlink("x", "/l/"), ENOENT);
	ck_assert(!vt_exists("/l"));
}

VTEST(symlink, dangling_symlink_stat_fails_ENOENT_lstat_works)
{
	struct stat st;

	vt_symlink("/nowhere", "/l");
	ck_assert_fails(rump_sys_stat("/l", &st), ENOENT);
	ck_assert_ok(rump_sys_lstat("/l", &st));
	ck_assert_int_eq(st.st_size, 8);
	ck_assert_fails(rump_sys_open("/l", O_RDONLY), ENOENT);
}

VTEST(symlink, symlink_loop_fails_ELOOP)
{
	struct stat st;

	vt_symlink("b", "/a");
	vt_symlink("a", "/b");
	vt_symlink("self", "/self");
	ck_assert_fails(rump_sys_stat("/a", &st), ELOOP);
	ck_assert_fails(rump_sys_open("/self", O_RDONLY), ELOOP);
	ck_assert_fails(rump_sys_stat("/a/x", &st), ELOOP);
	ck_assert_ok(rump_sys_lstat("/a", &st));
	ck_assert_fails(rump_sys_open("/self", O_WRONLY | O_CREAT, 0644),
	    ELOOP);
}

/* A chain /l1 -> l2 -> ... -> lN -> f: stat(/l1) follows N links. */
static void
make_chain(int n)
{
	char name[32], target[32];
	int i;

	vt_mkfile("/f", 0644, NULL);
	for (i = 1; i <= n; i++) {
		snprintf(name, sizeof(name), "/l%d", i);
		if (i == n)
			snprintf(target, sizeof(target), "f");
		else
			snprintf(target, sizeof(target), "l%d", i + 1);
		vt_symlink(target, name);
	}
}

VTEST(symlink, chain_of_40_symlinks_resolves)
{

	make_chain(40);
	ck_assert(S_ISREG(vt_stat("/l1").st_mode));
}

VTEST(symlink, chain_of_41_symlinks_fails_ELOOP)
{
	struct stat st;

	make_chain(41);
	ck_assert(S_ISREG(vt_stat("/l2").st_mode));
	ck_assert_fails(rump_sys_stat("/l1", &st), ELOOP);
	ck_assert_fails(rump_sys_open("/l1", O_RDONLY), ELOOP);
}

/* /A1 -> A2 -> ... -> Aa -> d, and d/B1 -> B2 -> ... -> Bb -> f. */
static void
make_two_chains(int a, int b)
{
	char name[32], target[32];
	int i;

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	for (i = 1; i <= a; i++) {
		snprintf(name, sizeof(name), "/A%d", i);
		snprintf(target, sizeof(target), i == a ? "d" : "A%d", i + 1);
		vt_symlink(target, name);
	}
	for (i = 1; i <= b; i++) {
		snprintf(name, sizeof(name), "/d/B%d", i);
		snprintf(target, sizeof(target), i == b ? "f" : "B%d", i + 1);
		vt_symlink(target, name);
	}
}

VTEST(symlink, forty_links_in_one_path_resolve)
{

	make_two_chains(20, 20);
	ck_assert(S_ISREG(vt_stat("/A1/B1").st_mode));
}

VTEST(symlink, forty_one_links_in_one_path_fail_ELOOP)
{
	struct stat st;

	make_two_chains(20, 21);
	ck_assert(S_ISREG(vt_stat("/d/B1").st_mode));
	ck_assert(S_ISDIR(vt_stat("/A1").st_mode));
	ck_assert_fails(rump_sys_stat("/A1/B1", &st), ELOOP);
	ck_assert_ok(rump_sys_lstat("/A1/B1", &st));
}

VTEST(symlink, symlink_target_with_trailing_slash_needs_a_directory)
{
	struct stat st;

	vt_mkfile("/f", 0644, NULL);
	vt_mkdir("/d", 0755);
	vt_symlink("f/", "/lf");
	vt_symlink("d/", "/ld");
	ck_assert_fails(rump_sys_stat("/lf", &st), ENOTDIR);
	ck_assert_fails(rump_sys_open("/lf", O_RDONLY), ENOTDIR);
	ck_assert(S_ISDIR(vt_stat("/ld").st_mode));
}

VTEST(symlink, symlinks_to_root_and_dot_resolve)
{

	vt_mkdir("/d", 0755);
	vt_symlink("/", "/d/root");
	vt_symlink(".", "/d/self");
	vt_symlink("..", "/d/up");
	ck_assert_int_eq(vt_stat("/d/root").st_ino, vt_stat("/").st_ino);
	ck_assert_int_eq(vt_stat("/d/self").st_ino, vt_stat("/d").st_ino);
	ck_assert_int_eq(vt_stat("/d/up/d/self/self/up").st_ino,
	    vt_stat("/").st_ino);
}

VTEST(symlink, relative_symlink_resolves_from_its_own_directory)
{
	char buf[16];

	vt_mkdir("/a", 0755);
	vt_mkdir("/a/b", 0755);
	vt_mkfile("/a/f", 0644, "af");
	vt_symlink("../f", "/a/b/l");
	ck_assert_ok(rump_sys_chdir("/a/b"));
	ck_assert_str_eq(vt_read("/a/b/l", buf, sizeof(buf)), "af");
	ck_assert_str_eq(vt_read("l", buf, sizeof(buf)), "af");
}

VTEST(symlink, absolute_symlink_resolves_from_root)
{
	char buf[16];

	vt_mkdir("/a", 0755);
	vt_mkfile("/f", 0644, "root");
	vt_symlink("/f", "/a/l");
	ck_assert_str_eq(vt_read("/a/l", buf, sizeof(buf)), "root");
}

VTEST(symlink, trailing_slash_follows_symlink_to_directory)
{
	struct stat st;

	vt_mkdir("/d", 0755);
	vt_mkfile("/f", 0644, NULL);
	vt_symlink("d", "/ld");
	vt_symlink("f", "/lf");
	ck_assert_ok(rump_sys_lstat("/ld/", &st));
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_fails(rump_sys_lstat("/lf/", &st), ENOTDIR);
	ck_assert_fails(rump_sys_unlink("/ld/"), ENOTDIR);
	ck_assert_fails(rump_sys_rmdir("/ld/"), ENOTDIR);
}

VTEST(symlink, symlinkat_and_readlinkat_use_dirfd)
{
	char buf[16];
	int dfd;

	vt_mkdir("/d", 0755);
	dfd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_ok(rump_sys_symlinkat("tgt", dfd, "l"));
	ck_assert_int_eq(rump_sys_readlinkat(dfd, "l", buf, sizeof(buf)), 3);
	ck_assert_int_eq(rump_sys_readlink("/d/l", buf, sizeof(buf)), 3);
	ck_assert_fails(rump_sys_symlinkat("tgt", -1, "l2"), EBADF);
	ck_assert_ok(rump_sys_close(dfd));
}

VTEST(symlink, symlink_target_of_4095_bytes_works_4096_fails_ENAMETOOLONG)
{
	static char target[4200];
	static char buf[4200];

	memset(target, 'a', 4095);
	target[4095] = '\0';
	ck_assert_ok(rump_sys_symlink(target, "/l"));
	ck_assert_int_eq(rump_sys_readlink("/l", buf, sizeof(buf)), 4095);
	ck_assert_int_eq(vt_lstat("/l").st_size, 4095);
	memset(target, 'a', 4096);
	target[4096] = '\0';
	ck_assert_fails(rump_sys_symlink(target, "/l2"), ENAMETOOLONG);
}

/*
 * truncate, ftruncate, read, write, lseek.
 */

VTEST(io, truncate_shrinks_and_extends_with_zeros)
{
	char buf[32];
	int fd;

	vt_mkfile("/f", 0644, "0123456789");
	ck_assert_ok(rump_sys_truncate("/f", 4));
	ck_assert_int_eq(vt_stat("/f").st_size, 4);
	ck_assert_ok(rump_sys_truncate("/f", 8));
	ck_assert_int_eq(vt_stat("/f").st_size, 8);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 8);
	ck_assert_int_eq(memcmp(buf, "0123\0\0\0\0", 8), 0);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(io, ftruncate_works_on_writable_descriptor)
{
	struct stat st;
	int fd;

	vt_mkfile("/f", 0644, "0123456789");
	fd = ck_nonneg(rump_sys_open("/f", O_RDWR));
	ck_assert_ok(rump_sys_ftruncate(fd, 3));
	ck_assert_ok(rump_sys_fstat(fd, &st));
	ck_assert_int_eq(st.st_size, 3);
	ck_assert_ok(rump_sys_ftruncate(fd, 1 << 20));
	ck_assert_ok(rump_sys_fstat(fd, &st));
	ck_assert_int_eq(st.st_size, 1 << 20);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(io, ftruncate_of_read_only_descriptor_fails_EINVAL)
{
	int fd;

	vt_mkfile("/f", 0644, "0123456789");
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_fails(rump_sys_ftruncate(fd, 0), EINVAL);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_int_eq(vt_stat("/f").st_size, 10);
}

VTEST(io, ftruncate_on_append_descriptor_works)
{
	struct stat st;
	int fd;

	vt_mkfile("/f", 0644, "0123456789");
	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY | O_APPEND));
	ck_assert_ok(rump_sys_ftruncate(fd, 3));
	ck_assert_ok(rump_sys_fstat(fd, &st));
	ck_assert_int_eq(st.st_size, 3);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(io, truncate_negative_length_fails_EINVAL)
{
	int fd;

	vt_mkfile("/f", 0644, "0123456789");
	ck_assert_fails(rump_sys_truncate("/f", -1), EINVAL);
	fd = ck_nonneg(rump_sys_open("/f", O_RDWR));
	ck_assert_fails(rump_sys_ftruncate(fd, -1), EINVAL);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(io, truncate_of_directory_fails_EISDIR)
{
	int fd;

	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_truncate("/d", 0), EISDIR);
	fd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_fails(rump_sys_ftruncate(fd, 0), EINVAL);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(io, truncate_missing_ENOENT_bad_descriptor_EBADF)
{

	ck_assert_fails(rump_sys_truncate("/missing", 0), ENOENT);
	ck_assert_fails(rump_sys_ftruncate(-1, 0), EBADF);
	ck_assert_fails(rump_sys_ftruncate(777, 0), EBADF);
}

VTEST(io, write_past_end_leaves_a_hole_of_zeros)
{
	char buf[16];
	int fd, i;

	fd = ck_nonneg(rump_sys_open("/f", O_RDWR | O_CREAT, 0644));
	ck_assert_int_eq(rump_sys_pwrite(fd, "end", 3, 10000), 3);
	ck_assert_int_eq(vt_stat("/f").st_size, 10003);
	ck_assert_int_eq(rump_sys_pread(fd, buf, 16, 5000), 16);
	for (i = 0; i < 16; i++)
		ck_assert_int_eq(buf[i], 0);
	ck_assert_int_eq(rump_sys_pread(fd, buf, 16, 9999), 4);
	ck_assert_int_eq(memcmp(buf, "\0end", 4), 0);
	ck_assert_int_eq(rump_sys_pread(fd, buf, 16, 10003), 0);
	ck_assert_int_eq(rump_sys_pread(fd, buf, 16, 20000), 0);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(io, read_and_write_advance_the_offset_pread_does_not)
{
	char buf[16];
	int fd;

	fd = ck_nonneg(rump_sys_open("/f", O_RDWR | O_CREAT, 0644));
	ck_assert_int_eq(rump_sys_write(fd, "hello world", 11), 11);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 11);
	ck_assert_int_eq(rump_sys_pread(fd, buf, 5, 6), 5);
	ck_assert_int_eq(memcmp(buf, "world", 5), 0);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 11);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(rump_sys_read(fd, buf, 5), 5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 5);
	ck_assert_int_eq(rump_sys_pwrite(fd, "W", 1, 6), 1);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 5);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_str_eq(vt_read("/f", buf, sizeof(buf)), "hello World");
}

VTEST(io, two_descriptors_have_separate_offsets_dup_shares_one)
{
	char c;
	int fd1, fd2, fd3;

	vt_mkfile("/f", 0644, "abc");
	fd1 = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	fd2 = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	fd3 = ck_nonneg(rump_sys_dup(fd1));
	ck_assert_int_eq(rump_sys_read(fd1, &c, 1), 1);
	ck_assert_int_eq(c, 'a');
	ck_assert_int_eq(rump_sys_read(fd2, &c, 1), 1);
	ck_assert_int_eq(c, 'a');
	ck_assert_int_eq(rump_sys_read(fd3, &c, 1), 1);
	ck_assert_int_eq(c, 'b');
	ck_assert_ok(rump_sys_close(fd1));
	ck_assert_ok(rump_sys_close(fd2));
	ck_assert_ok(rump_sys_close(fd3));
}

VTEST(io, lseek_whence_rules)
{
	int fd;

	vt_mkfile("/f", 0644, "0123456789");
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_int_eq(rump_sys_lseek(fd, -3, SEEK_END), 7);
	ck_assert_int_eq(rump_sys_lseek(fd, 2, SEEK_CUR), 9);
	ck_assert_int_eq(rump_sys_lseek(fd, 100, SEEK_SET), 100);
	ck_assert_fails(rump_sys_lseek(fd, -1, SEEK_SET), EINVAL);
	ck_assert_fails(rump_sys_lseek(fd, -101, SEEK_CUR), EINVAL);
	ck_assert_fails(rump_sys_lseek(fd, 0, 77), EINVAL);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 100);
	ck_assert_fails(rump_sys_lseek(-1, 0, SEEK_SET), EBADF);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(io, lseek_on_tmpfs_directory_allows_only_set_and_cur)
{
	int fd;

	vt_mkdir("/d", 0755);
	fd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_fails(rump_sys_lseek(fd, 0, SEEK_END), EINVAL);
	ck_assert_fails(rump_sys_lseek(fd, 10, SEEK_END), EINVAL);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_CUR), 0);
	ck_assert_fails(rump_sys_lseek(fd, -1, SEEK_SET), EINVAL);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(io, pread_negative_offset_fails_EINVAL)
{
	char buf[4];
	int fd;

	vt_mkfile("/f", 0644, "abc");
	fd = ck_nonneg(rump_sys_open("/f", O_RDWR));
	ck_assert_fails(rump_sys_pread(fd, buf, 1, -1), EINVAL);
	ck_assert_fails(rump_sys_pwrite(fd, buf, 1, -1), EINVAL);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(io, zero_length_read_and_write_return_zero)
{
	char c;
	int fd;

	vt_mkfile("/f", 0644, "abc");
	fd = ck_nonneg(rump_sys_open("/f", O_RDWR));
	ck_assert_int_eq(rump_sys_read(fd, &c, 0), 0);
	ck_assert_int_eq(rump_sys_write(fd, &c, 0), 0);
	ck_assert_int_eq(vt_stat("/f").st_size, 3);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(io, readv_and_writev_gather_and_scatter)
{
	struct iovec iov[3];
	char a[3], b[4], c[8];
	int fd;

	fd = ck_nonneg(rump_sys_open("/f", O_RDWR | O_CREAT, 0644));
	iov[0].iov_base = "abc";
	iov[0].iov_len = 3;
	iov[1].iov_base = "";
	iov[1].iov_len = 0;
	iov[2].iov_base = "defgh";
	iov[2].iov_len = 5;
	ck_assert_int_eq(rump_sys_writev(fd, iov, 3), 8);
	ck_assert_int_eq(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	iov[0].iov_base = a;
	iov[0].iov_len = 3;
	iov[1].iov_base = b;
	iov[1].iov_len = 4;
	iov[2].iov_base = c;
	iov[2].iov_len = 8;
	ck_assert_int_eq(rump_sys_readv(fd, iov, 3), 8);
	ck_assert_int_eq(memcmp(a, "abc", 3), 0);
	ck_assert_int_eq(memcmp(b, "defg", 4), 0);
	ck_assert_int_eq(c[0], 'h');
	ck_assert_fails(rump_sys_readv(fd, iov, -1), EINVAL);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(io, large_write_and_read_back)
{
	static char out[300000], in[300000];
	size_t i;
	int fd;

	for (i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 7 + i / 4096);
	fd = ck_nonneg(rump_sys_open("/f", O_RDWR | O_CREAT, 0644));
	ck_assert_int_eq(rump_sys_write(fd, out, sizeof(out)), sizeof(out));
	ck_assert_int_eq(rump_sys_pread(fd, in, sizeof(in), 0), sizeof(in));
	ck_assert_int_eq(memcmp(in, out, sizeof(out)), 0);
	ck_assert_int_eq(rump_sys_pread(fd, in, 10, 4090), 10);
	ck_assert_int_eq(memcmp(in, out + 4090, 10), 0);
	ck_assert_ok(rump_sys_close(fd));
}

/*
 * Bad input.
 */

VTEST(badinput, bad_path_pointer_fails_EFAULT)
{
	struct stat st;
	char buf[8];

	ck_assert_fails(rump_sys_open(VT_BADPTR, O_RDONLY), EFAULT);
	ck_assert_fails(rump_sys_open(NULL, O_RDONLY), EFAULT);
	ck_assert_fails(rump_sys_stat(VT_BADPTR, &st), EFAULT);
	ck_assert_fails(rump_sys_mkdir(VT_BADPTR, 0755), EFAULT);
	ck_assert_fails(rump_sys_unlink(VT_BADPTR), EFAULT);
	ck_assert_fails(rump_sys_rmdir(NULL), EFAULT);
	ck_assert_fails(rump_sys_rename(VT_BADPTR, "/x"), EFAULT);
	ck_assert_fails(rump_sys_symlink(VT_BADPTR, "/x"), EFAULT);
	ck_assert_fails(rump_sys_readlink(VT_BADPTR, buf, sizeof(buf)),
	    EFAULT);
	ck_assert_fails(rump_sys_chdir(VT_BADPTR), EFAULT);
	ck_assert_fails(rump_sys_access(VT_BADPTR, F_OK), EFAULT);
	ck_assert_fails(rump_sys_truncate(VT_BADPTR, 0), EFAULT);
}

VTEST(badinput, bad_result_pointer_fails_EFAULT)
{
	char buf[8];
	int fd;

	vt_mkfile("/f", 0644, "abc");
	vt_symlink("f", "/l");
	ck_assert_fails(rump_sys_stat("/f", VT_BADPTR), EFAULT);
	ck_assert_fails(rump_sys_lstat("/f", NULL), EFAULT);
	ck_assert_fails(rump_sys_readlink("/l", VT_BADPTR, 8), EFAULT);
	fd = ck_nonneg(rump_sys_open("/f", O_RDWR));
	ck_assert_fails(rump_sys_fstat(fd, VT_BADPTR), EFAULT);
	ck_assert_fails(rump_sys_read(fd, VT_BADPTR, 3), EFAULT);
	ck_assert_fails(rump_sys_write(fd, VT_BADPTR, 3), EFAULT);
	ck_assert_int_eq(rump_sys_pread(fd, buf, 8, 0), 3);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_int_eq(vt_stat("/f").st_size, 3);
}

VTEST(badinput, component_of_255_bytes_works_256_fails_ENAMETOOLONG)
{
	char name[300];
	struct stat st;
	int fd;

	name[0] = '/';
	memset(name + 1, 'n', 255);
	name[256] = '\0';
	ck_assert_fails(rump_sys_stat(name, &st), ENOENT);
	fd = ck_nonneg(rump_sys_open(name, O_WRONLY | O_CREAT, 0644));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_ok(rump_sys_stat(name, &st));
	name[256] = 'n';
	name[257] = '\0';
	ck_assert_fails(rump_sys_stat(name, &st), ENAMETOOLONG);
	ck_assert_fails(rump_sys_open(name, O_WRONLY | O_CREAT, 0644),
	    ENAMETOOLONG);
	ck_assert_fails(rump_sys_mkdir(name, 0755), ENAMETOOLONG);
	ck_assert_fails(rump_sys_symlink("x", name), ENAMETOOLONG);
}

VTEST(badinput, path_of_4095_bytes_works_4096_fails_ENAMETOOLONG)
{
	static char path[4200];
	struct stat st;

	memset(path, '/', 4095);
	path[4095] = '\0';
	ck_assert_ok(rump_sys_stat(path, &st));
	ck_assert(S_ISDIR(st.st_mode));
	memset(path, '/', 4096);
	path[4096] = '\0';
	ck_assert_fails(rump_sys_stat(path, &st), ENAMETOOLONG);
	ck_assert_fails(rump_sys_open(path, O_RDONLY), ENAMETOOLONG);
	ck_assert_fails(rump_sys_mkdir(path, 0755), ENAMETOOLONG);
}

VTEST(badinput, descriptor_out_of_range_fails_EBADF)
{
	struct stat st;
	char buf[8];

	ck_assert_fails(rump_sys_close(-1), EBADF);
	ck_assert_fails(rump_sys_close(1 << 20), EBADF);
	ck_assert_fails(rump_sys_close(INT_MAX), EBADF);
	ck_assert_fails(rump_sys_read(-1, buf, 1), EBADF);
	ck_assert_fails(rump_sys_write(INT_MAX, buf, 1), EBADF);
	ck_assert_fails(rump_sys_fstat(-100, &st), EBADF);
	ck_assert_fails(rump_sys_fstat(12345, &st), EBADF);
	ck_assert_fails(rump_sys_fchdir(-1), EBADF);
	ck_assert_fails(rump_sys_dup(-1), EBADF);
	ck_assert_fails(rump_sys_fstatat(1000, "x", &st, 0), EBADF);
}

VTEST(badinput, closed_descriptor_fails_EBADF)
{
	char c;
	int fd;

	vt_mkfile("/f", 0644, "x");
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_fails(rump_sys_read(fd, &c, 1), EBADF);
	ck_assert_fails(rump_sys_close(fd), EBADF);
}

VTEST(badinput, unknown_open_access_mode_3_is_accepted_on_files)
{
	char c;
	int fd;

	/* Linux: access mode 3 needs read and write permission, allows
	 * neither read nor write. */
	vt_mkfile("/f", 0644, "x");
	fd = ck_nonneg(rump_sys_open("/f", 3));
	ck_assert_fails(rump_sys_read(fd, &c, 1), EBADF);
	ck_assert_fails(rump_sys_write(fd, "y", 1), EBADF);
	ck_assert_ok(rump_sys_close(fd));
}

int
main(void)
{

	return vt_main("vfs", 60);
}
