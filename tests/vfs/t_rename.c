/*
 * t_rename.c: rename, renameat and renameat2 (RENAME_NOREPLACE,
 * RENAME_EXCHANGE) against the tmpfs root, every error case as Linux
 * has it.  Also run against the host kernel as t_rename_host.
 */

#include "vfs_test.h"

VTEST(rename, rename_file_to_new_name_moves_it)
{
	ino_t ino;
	char buf[8];

	vt_mkfile("/a", 0644, "aa");
	ino = vt_stat("/a").st_ino;
	ck_assert_ok(rump_sys_rename("/a", "/b"));
	ck_assert(!vt_exists("/a"));
	ck_assert_int_eq(vt_stat("/b").st_ino, ino);
	ck_assert_int_eq(vt_stat("/b").st_nlink, 1);
	ck_assert_str_eq(vt_read("/b", buf, sizeof(buf)), "aa");
	ck_assert_listing("/", "./../b/dev");
}

VTEST(rename, rename_file_over_file_replaces_it)
{
	struct stat st;
	char buf[8];
	int fd;

	vt_mkfile("/a", 0644, "new");
	vt_mkfile("/b", 0644, "old");
	fd = ck_nonneg(rump_sys_open("/b", O_RDONLY));
	ck_assert_ok(rump_sys_rename("/a", "/b"));
	ck_assert(!vt_exists("/a"));
	ck_assert_str_eq(vt_read("/b", buf, sizeof(buf)), "new");
	/* The replaced file lives on, without a name. */
	ck_assert_ok(rump_sys_fstat(fd, &st));
	ck_assert_int_eq(st.st_nlink, 0);
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 3);
	ck_assert_int_eq(memcmp(buf, "old", 3), 0);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(rename, rename_between_two_links_of_one_file_does_nothing)
{

	vt_mkfile("/a", 0644, NULL);
	ck_assert_ok(rump_sys_link("/a", "/b"));
	ck_assert_ok(rump_sys_rename("/a", "/b"));
	ck_assert(vt_exists("/a"));
	ck_assert(vt_exists("/b"));
	ck_assert_int_eq(vt_stat("/a").st_nlink, 2);
}

VTEST(rename, rename_onto_itself_does_nothing)
{

	vt_mkfile("/a", 0644, NULL);
	vt_mkdir("/d", 0755);
	ck_assert_ok(rump_sys_rename("/a", "/a"));
	ck_assert_ok(rump_sys_rename("/d", "/d"));
	ck_assert_ok(rump_sys_rename("/d/../a", "/a"));
	ck_assert(vt_exists("/a"));
	ck_assert(vt_exists("/d"));
}

VTEST(rename, rename_onto_itself_with_trailing_slash_on_file_fails_ENOTDIR)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_rename("/f", "/f/"), ENOTDIR);
	ck_assert_fails(rump_sys_rename("/f/", "/f"), ENOTDIR);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/f", AT_FDCWD, "/f/",
	    RENAME_EXCHANGE), ENOTDIR);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/f/", AT_FDCWD, "/f",
	    RENAME_EXCHANGE), ENOTDIR);
	ck_assert_ok(rump_sys_renameat2(AT_FDCWD, "/f", AT_FDCWD, "/f",
	    RENAME_EXCHANGE));
	ck_assert(vt_exists("/f"));
}

VTEST(rename, rename_never_follows_a_symlink_even_with_trailing_slash)
{

	vt_mkdir("/d", 0755);
	vt_symlink("d", "/l");
	ck_assert_fails(rump_sys_rename("/l/", "/x"), ENOTDIR);
	ck_assert_fails(rump_sys_rename("/l", "/l/"), ENOTDIR);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/l", AT_FDCWD, "/l/",
	    RENAME_EXCHANGE), ENOTDIR);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/d", AT_FDCWD, "/l/",
	    RENAME_EXCHANGE), ENOTDIR);
	ck_assert(S_ISLNK(vt_lstat("/l").st_mode));
	ck_assert(S_ISDIR(vt_lstat("/d").st_mode));
}

VTEST(rename, rename_dir_moves_it_and_fixes_link_counts_and_dotdot)
{
	ino_t ino;

	vt_mkdir("/p", 0755);
	vt_mkdir("/q", 0755);
	vt_mkdir("/p/d", 0755);
	vt_mkfile("/p/d/f", 0644, NULL);
	ino = vt_stat("/p/d").st_ino;
	ck_assert_int_eq(vt_stat("/p").st_nlink, 3);
	ck_assert_int_eq(vt_stat("/q").st_nlink, 2);
	ck_assert_ok(rump_sys_rename("/p/d", "/q/e"));
	ck_assert_int_eq(vt_stat("/p").st_nlink, 2);
	ck_assert_int_eq(vt_stat("/q").st_nlink, 3);
	ck_assert_int_eq(vt_stat("/q/e").st_ino, ino);
	ck_assert_int_eq(vt_stat("/q/e").st_nlink, 2);
	ck_assert_int_eq(vt_stat("/q/e/..").st_ino, vt_stat("/q").st_ino);
	ck_assert(vt_exists("/q/e/f"));
	ck_assert_listing("/p", "./..");
	ck_assert_listing("/q", "./../e");
}

VTEST(rename, rename_dir_over_empty_dir_replaces_it)
{
	ino_t ino;

	vt_mkdir("/a", 0755);
	vt_mkfile("/a/f", 0644, NULL);
	vt_mkdir("/b", 0755);
	ino = vt_stat("/a").st_ino;
	nlink_t root = vt_stat("/").st_nlink;
	ck_assert_ok(rump_sys_rename("/a", "/b"));
	ck_assert_int_eq(vt_stat("/b").st_ino, ino);
	ck_assert(vt_exists("/b/f"));
	ck_assert(!vt_exists("/a"));
	ck_assert_int_eq(vt_stat("/").st_nlink, root - 1);
}

VTEST(rename, rename_dir_over_nonempty_dir_fails_ENOTEMPTY)
{

	vt_mkdir("/a", 0755);
	vt_mkdir("/b", 0755);
	vt_mkfile("/b/f", 0644, NULL);
	ck_assert_fails(rump_sys_rename("/a", "/b"), ENOTEMPTY);
	ck_assert(vt_exists("/a"));
	ck_assert(vt_exists("/b/f"));
}

VTEST(rename, rename_file_over_dir_fails_EISDIR)
{

	vt_mkfile("/f", 0644, NULL);
	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_rename("/f", "/d"), EISDIR);
	ck_assert(vt_exists("/f"));
}

VTEST(rename, rename_dir_over_file_fails_ENOTDIR)
{

	vt_mkfile("/f", 0644, NULL);
	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_rename("/d", "/f"), ENOTDIR);
	ck_assert(vt_exists("/d"));
}

VTEST(rename, rename_dir_into_its_own_subtree_fails_EINVAL)
{

	vt_mkdir("/a", 0755);
	vt_mkdir("/a/b", 0755);
	vt_mkdir("/a/b/c", 0755);
	ck_assert_fails(rump_sys_rename("/a", "/a/x"), EINVAL);
	ck_assert_fails(rump_sys_rename("/a", "/a/b/c/x"), EINVAL);
	ck_assert_fails(rump_sys_rename("/a/b", "/a/b/c/x"), EINVAL);
	ck_assert_fails(rump_sys_rename("/a", "/a/b/c"), EINVAL);
}

VTEST(rename, rename_onto_an_ancestor_fails_ENOTEMPTY)
{

	vt_mkdir("/a", 0755);
	vt_mkdir("/a/b", 0755);
	vt_mkdir("/a/b/c", 0755);
	ck_assert_fails(rump_sys_rename("/a/b/c", "/a"), ENOTEMPTY);
	ck_assert_fails(rump_sys_rename("/a/b", "/a"), ENOTEMPTY);
}

VTEST(rename, rename_missing_source_or_target_dir_fails_ENOENT)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_rename("/missing", "/x"), ENOENT);
	ck_assert_fails(rump_sys_rename("/f", "/nodir/x"), ENOENT);
	ck_assert_fails(rump_sys_rename("/f", "/f/x"), ENOTDIR);
	ck_assert_fails(rump_sys_rename("", "/x"), ENOENT);
	ck_assert_fails(rump_sys_rename("/f", ""), ENOENT);
}

VTEST(rename, rename_resolves_both_parents_before_the_source_name)
{

	vt_mkfile("/f", 0644, NULL);
	/* The target's parent path fails first: ENOTDIR, not ENOENT. */
	ck_assert_fails(rump_sys_rename("/missing", "/f/x"), ENOTDIR);
	ck_assert_fails(rump_sys_rename("/missing", "/nodir/x"), ENOENT);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/missing", AT_FDCWD,
	    "/f/x", RENAME_NOREPLACE), ENOTDIR);
	vt_symlink("loop", "/loop");
	ck_assert_fails(rump_sys_rename("/missing", "/loop/x"), ELOOP);
}

VTEST(rename, renameat2_noreplace_checks_EEXIST_before_trailing_slash)
{

	vt_mkfile("/f", 0644, NULL);
	vt_mkfile("/g", 0644, NULL);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/f/", AT_FDCWD, "/g",
	    RENAME_NOREPLACE), EEXIST);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/f", AT_FDCWD, "/g/",
	    RENAME_NOREPLACE), EEXIST);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/f/", AT_FDCWD, "/g",
	    0), ENOTDIR);
}

VTEST(rename, rename_of_dot_or_dotdot_fails_EBUSY)
{

	vt_mkdir("/d", 0755);
	vt_mkdir("/d/e", 0755);
	ck_assert_fails(rump_sys_rename("/d/.", "/x"), EBUSY);
	ck_assert_fails(rump_sys_rename("/d/e/..", "/x"), EBUSY);
	ck_assert_fails(rump_sys_rename("/d/e", "/d/."), EBUSY);
	ck_assert_fails(rump_sys_rename("/d/e", "/d/e/.."), EBUSY);
	ck_assert_fails(rump_sys_rename("/", "/x"), EBUSY);
	ck_assert_fails(rump_sys_rename("/d", "/"), EBUSY);
}

VTEST(rename, rename_with_trailing_slash_needs_directories)
{

	vt_mkfile("/f", 0644, NULL);
	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_rename("/f/", "/g"), ENOTDIR);
	ck_assert_fails(rump_sys_rename("/f", "/g/"), ENOTDIR);
	ck_assert(vt_exists("/f"));
	ck_assert_ok(rump_sys_rename("/d/", "/e/"));
	ck_assert(S_ISDIR(vt_stat("/e").st_mode));
}

VTEST(rename, rename_symlink_moves_the_link_itself)
{

	vt_mkfile("/f", 0644, NULL);
	vt_symlink("f", "/l");
	ck_assert_ok(rump_sys_rename("/l", "/m"));
	ck_assert(S_ISLNK(vt_lstat("/m").st_mode));
	ck_assert(vt_exists("/f"));
	ck_assert(!vt_exists("/l"));
}

VTEST(rename, rename_over_symlink_replaces_the_link_not_its_target)
{

	vt_mkdir("/d", 0755);
	vt_mkfile("/f", 0644, NULL);
	vt_symlink("d", "/l");
	ck_assert_ok(rump_sys_rename("/f", "/l"));
	ck_assert(S_ISREG(vt_lstat("/l").st_mode));
	ck_assert(S_ISDIR(vt_stat("/d").st_mode));
	ck_assert_listing("/d", "./..");
}

VTEST(rename, renameat_resolves_each_name_from_its_dirfd)
{
	int d1, d2;

	vt_mkdir("/a", 0755);
	vt_mkdir("/b", 0755);
	vt_mkfile("/a/f", 0644, NULL);
	d1 = ck_nonneg(rump_sys_open("/a", O_RDONLY | O_DIRECTORY));
	d2 = ck_nonneg(rump_sys_open("/b", O_RDONLY | O_DIRECTORY));
	ck_assert_ok(rump_sys_renameat(d1, "f", d2, "g"));
	ck_assert(vt_exists("/b/g"));
	ck_assert_fails(rump_sys_renameat(-1, "g", d2, "h"), EBADF);
	ck_assert_fails(rump_sys_renameat(d2, "g", 4321, "h"), EBADF);
	ck_assert_ok(rump_sys_close(d1));
	ck_assert_ok(rump_sys_close(d2));
}

VTEST(rename, renameat2_noreplace_refuses_existing_target_EEXIST)
{

	vt_mkfile("/a", 0644, NULL);
	vt_mkfile("/b", 0644, NULL);
	vt_symlink("/nowhere", "/l");
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/a", AT_FDCWD, "/b",
	    RENAME_NOREPLACE), EEXIST);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/a", AT_FDCWD, "/l",
	    RENAME_NOREPLACE), EEXIST);
	ck_assert_ok(rump_sys_renameat2(AT_FDCWD, "/a", AT_FDCWD, "/c",
	    RENAME_NOREPLACE));
	ck_assert(!vt_exists("/a"));
	ck_assert(vt_exists("/c"));
}

VTEST(rename, renameat2_noreplace_onto_dot_fails_EEXIST)
{

	vt_mkdir("/d", 0755);
	vt_mkdir("/e", 0755);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/e", AT_FDCWD, "/d/.",
	    RENAME_NOREPLACE), EEXIST);
}

VTEST(rename, renameat2_exchange_swaps_two_names)
{
	ino_t fi, di;

	vt_mkfile("/f", 0644, NULL);
	vt_mkdir("/d", 0755);
	fi = vt_stat("/f").st_ino;
	di = vt_stat("/d").st_ino;
	ck_assert_ok(rump_sys_renameat2(AT_FDCWD, "/f", AT_FDCWD, "/d",
	    RENAME_EXCHANGE));
	ck_assert_int_eq(vt_stat("/f").st_ino, di);
	ck_assert_int_eq(vt_stat("/d").st_ino, fi);
	ck_assert(S_ISDIR(vt_stat("/f").st_mode));
	ck_assert(S_ISREG(vt_stat("/d").st_mode));
}

VTEST(rename, renameat2_exchange_across_dirs_fixes_link_counts)
{
	ino_t di;

	vt_mkdir("/p", 0755);
	vt_mkdir("/q", 0755);
	vt_mkdir("/p/d", 0755);
	vt_mkfile("/q/f", 0644, NULL);
	di = vt_stat("/p/d").st_ino;
	ck_assert_ok(rump_sys_renameat2(AT_FDCWD, "/p/d", AT_FDCWD, "/q/f",
	    RENAME_EXCHANGE));
	ck_assert_int_eq(vt_stat("/q/f").st_ino, di);
	ck_assert_int_eq(vt_stat("/p").st_nlink, 2);
	ck_assert_int_eq(vt_stat("/q").st_nlink, 3);
	ck_assert_int_eq(vt_stat("/q/f/..").st_ino, vt_stat("/q").st_ino);
	ck_assert(S_ISREG(vt_stat("/p/d").st_mode));
}

VTEST(rename, renameat2_exchange_with_missing_name_fails_ENOENT)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/f", AT_FDCWD, "/none",
	    RENAME_EXCHANGE), ENOENT);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/none", AT_FDCWD, "/f",
	    RENAME_EXCHANGE), ENOENT);
	ck_assert(vt_exists("/f"));
}

VTEST(rename, renameat2_exchange_into_own_subtree_fails_EINVAL)
{

	vt_mkdir("/a", 0755);
	vt_mkdir("/a/b", 0755);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/a", AT_FDCWD, "/a/b",
	    RENAME_EXCHANGE), EINVAL);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/a/b", AT_FDCWD, "/a",
	    RENAME_EXCHANGE), EINVAL);
}

VTEST(rename, renameat2_exchange_of_nonempty_dirs_works)
{

	vt_mkdir("/a", 0755);
	vt_mkdir("/b", 0755);
	vt_mkfile("/a/fa", 0644, NULL);
	vt_mkfile("/b/fb", 0644, NULL);
	ck_assert_ok(rump_sys_renameat2(AT_FDCWD, "/a", AT_FDCWD, "/b",
	    RENAME_EXCHANGE));
	ck_assert_listing("/a", "./../fb");
	ck_assert_listing("/b", "./../fa");
}

VTEST(rename, renameat2_exchange_with_noreplace_fails_EINVAL)
{

	vt_mkfile("/a", 0644, NULL);
	vt_mkfile("/b", 0644, NULL);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/a", AT_FDCWD, "/b",
	    RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL);
}

VTEST(rename, renameat2_unknown_flag_fails_EINVAL)
{

	vt_mkfile("/a", 0644, NULL);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/a", AT_FDCWD, "/b",
	    1 << 5), EINVAL);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/a", AT_FDCWD, "/b",
	    -1), EINVAL);
	ck_assert(vt_exists("/a"));
	ck_assert(!vt_exists("/b"));
}

VTEST(rename, renameat2_zero_flags_is_rename)
{

	vt_mkfile("/a", 0644, NULL);
	vt_mkfile("/b", 0644, NULL);
	ck_assert_ok(rump_sys_renameat2(AT_FDCWD, "/a", AT_FDCWD, "/b", 0));
	ck_assert(!vt_exists("/a"));
}

VTEST(rename, rename_keeps_the_file_open_through_it)
{
	char buf[8];
	int fd;

	vt_mkdir("/d", 0755);
	vt_mkfile("/a", 0644, "abc");
	fd = ck_nonneg(rump_sys_open("/a", O_RDWR));
	ck_assert_ok(rump_sys_rename("/a", "/d/b"));
	ck_assert_int_eq(rump_sys_write(fd, "d", 1), 1);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_str_eq(vt_read("/d/b", buf, sizeof(buf)), "dbc");
}

VTEST(rename, rename_many_names_in_a_ring)
{
	char from[16], to[16];
	int i;

	for (i = 0; i < 20; i++) {
		snprintf(from, sizeof(from), "/n%d", i);
		vt_mkfile(from, 0644, from);
	}
	ck_assert_ok(rump_sys_rename("/n0", "/tmp0"));
	for (i = 1; i < 20; i++) {
		snprintf(from, sizeof(from), "/n%d", i);
		snprintf(to, sizeof(to), "/n%d", i - 1);
		ck_assert_ok(rump_sys_rename(from, to));
	}
	ck_assert_ok(rump_sys_rename("/tmp0", "/n19"));
	for (i = 0; i < 20; i++) {
		char buf[16];

		snprintf(from, sizeof(from), "/n%d", i);
		snprintf(to, sizeof(to), "/n%d", (i + 1) % 20);
		ck_assert_str_eq(vt_read(from, buf, sizeof(buf)), to);
	}
}

/*
 * Across and onto mount points.
 */

static void
mount_tmpfs(const char *dir)
{

	vt_mkdir(dir, 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", dir, "tmpfs", 0, NULL));
}

VTEST(mount, rename_across_mounts_fails_EXDEV)
{

	mount_tmpfs("/mnt");
	vt_mkfile("/f", 0644, NULL);
	vt_mkfile("/mnt/g", 0644, NULL);
	ck_assert_fails(rump_sys_rename("/f", "/mnt/f"), EXDEV);
	ck_assert_fails(rump_sys_rename("/mnt/g", "/g"), EXDEV);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/f", AT_FDCWD,
	    "/mnt/g", RENAME_EXCHANGE), EXDEV);
	ck_assert_fails(rump_sys_link("/f", "/mnt/h"), EXDEV);
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
}

VTEST(mount, rename_of_or_onto_a_mount_point_fails_EBUSY)
{

	mount_tmpfs("/mnt");
	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_rename("/mnt", "/x"), EBUSY);
	ck_assert_fails(rump_sys_rename("/d", "/mnt"), EBUSY);
	ck_assert_fails(rump_sys_rmdir("/mnt"), EBUSY);
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
	ck_assert_ok(rump_sys_rename("/d", "/mnt"));
}

int
main(void)
{

	return vt_main("rename", 60);
}
