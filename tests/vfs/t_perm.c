/*
 * t_perm.c: permissions and ownership against the tmpfs root: mode bits
 * for a non-root process (uid 1000, gid 1000, no supplementary groups),
 * root's privileges, sticky and set-group-ID directories, chmod, chown,
 * fchownat, lchown with Linux's rules for non-root callers and the
 * clearing of S_ISUID/S_ISGID, access/faccessat/faccessat2 (AT_EACCESS),
 * utimensat permissions, mknod.  Also run against the host kernel as
 * t_perm_host.
 */

#include "vfs_test.h"

#define U 1000
#define G 1000
#define U2 1001
#define G2 1001

/*
 * Mode bits.
 */

VTEST(mode, nonroot_open_follows_owner_group_other_bits)
{

	vt_mkfile("/r600", 0600, NULL);
	vt_mkfile("/r644", 0644, NULL);
	vt_mkfile("/r604", 0604, NULL);
	vt_mkfile("/r606", 0606, NULL);
	vt_become(U, G);
	ck_assert_fails(rump_sys_open("/r600", O_RDONLY), EACCES);
	ck_assert_ok(rump_sys_close(ck_nonneg(rump_sys_open("/r644",
	    O_RDONLY))));
	ck_assert_fails(rump_sys_open("/r644", O_WRONLY), EACCES);
	ck_assert_fails(rump_sys_open("/r644", O_RDWR), EACCES);
	ck_assert_fails(rump_sys_open("/r604", O_RDWR), EACCES);
	ck_assert_ok(rump_sys_close(ck_nonneg(rump_sys_open("/r606",
	    O_RDWR))));
	vt_unbecome();
}

VTEST(mode, owner_bits_apply_to_owner_even_when_others_may)
{

	vt_mkfile("/f", 0077, NULL);
	ck_assert_ok(rump_sys_chown("/f", U, G));
	ck_assert_ok(rump_sys_chmod("/f", 0077));
	vt_become(U, G);
	ck_assert_fails(rump_sys_open("/f", O_RDONLY), EACCES);
	ck_assert_fails(rump_sys_open("/f", O_WRONLY), EACCES);
	vt_unbecome();
}

VTEST(mode, group_bits_apply_to_group_member)
{

	vt_mkfile("/f", 0640, NULL);
	ck_assert_ok(rump_sys_chown("/f", 0, G));
	vt_become(U, G);
	ck_assert_ok(rump_sys_close(ck_nonneg(rump_sys_open("/f",
	    O_RDONLY))));
	ck_assert_fails(rump_sys_open("/f", O_WRONLY), EACCES);
	vt_unbecome();
	vt_become(U2, G2);
	ck_assert_fails(rump_sys_open("/f", O_RDONLY), EACCES);
	vt_unbecome();
}

VTEST(mode, root_reads_and_writes_regardless_of_mode)
{

	vt_mkfile("/f", 0000, NULL);
	vt_mkdir("/d", 0000);
	ck_assert_ok(rump_sys_close(ck_nonneg(rump_sys_open("/f", O_RDWR))));
	vt_mkfile("/d/g", 0644, NULL);
	ck_assert_listing("/d", "./../g");
}

VTEST(mode, root_execute_access_needs_some_execute_bit)
{

	vt_mkfile("/f", 0644, NULL);
	vt_mkfile("/x", 0100, NULL);
	vt_mkdir("/d", 0000);
	ck_assert_fails(rump_sys_access("/f", X_OK), EACCES);
	ck_assert_ok(rump_sys_access("/x", X_OK));
	ck_assert_ok(rump_sys_access("/d", X_OK));
	ck_assert_ok(rump_sys_access("/f", R_OK | W_OK));
}

VTEST(mode, search_permission_needed_on_every_directory)
{
	struct stat st;

	vt_mkdir("/d", 0700);
	vt_mkfile("/d/f", 0644, NULL);
	vt_mkdir("/r", 0744);
	vt_mkfile("/r/f", 0644, NULL);
	vt_become(U, G);
	ck_assert_fails(rump_sys_stat("/d/f", &st), EACCES);
	ck_assert_fails(rump_sys_open("/d/f", O_RDONLY), EACCES);
	ck_assert_fails(rump_sys_chdir("/d"), EACCES);
	ck_assert_ok(rump_sys_stat("/d", &st));
	ck_assert_fails(rump_sys_stat("/r/f", &st), EACCES);
	ck_assert_fails(rump_sys_stat("/d/missing", &st), EACCES);
	vt_unbecome();
}

VTEST(mode, listing_needs_read_permission_on_directory)
{

	vt_mkdir("/d", 0711);
	vt_mkfile("/d/f", 0644, NULL);
	vt_become(U, G);
	ck_assert_fails(rump_sys_open("/d", O_RDONLY | O_DIRECTORY), EACCES);
	ck_assert(S_ISREG(vt_stat("/d/f").st_mode));
	vt_unbecome();
}

VTEST(mode, creating_and_removing_need_write_on_directory)
{

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0666, NULL);
	vt_mkdir("/d/e", 0777);
	vt_become(U, G);
	ck_assert_fails(rump_sys_open("/d/g", O_WRONLY | O_CREAT, 0644),
	    EACCES);
	ck_assert_fails(rump_sys_mkdir("/d/g", 0755), EACCES);
	ck_assert_fails(rump_sys_symlink("x", "/d/g"), EACCES);
	ck_assert_fails(rump_sys_link("/d/f", "/d/g"), EACCES);
	ck_assert_fails(rump_sys_mknod("/d/g", S_IFIFO | 0644, 0), EACCES);
	ck_assert_fails(rump_sys_unlink("/d/f"), EACCES);
	ck_assert_fails(rump_sys_rmdir("/d/e"), EACCES);
	ck_assert_fails(rump_sys_rename("/d/f", "/d/g"), EACCES);
	vt_unbecome();
	ck_assert(vt_exists("/d/f"));
	ck_assert(vt_exists("/d/e"));
}

VTEST(mode, existing_name_with_creat_is_EEXIST_before_EACCES)
{

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	vt_become(U, G);
	ck_assert_fails(rump_sys_mkdir("/d/f", 0755), EEXIST);
	ck_assert_fails(rump_sys_open("/d/f", O_WRONLY | O_CREAT | O_EXCL,
	    0644), EEXIST);
	ck_assert_ok(rump_sys_close(ck_nonneg(rump_sys_open("/d/f",
	    O_RDONLY | O_CREAT, 0644))));
	vt_unbecome();
}

VTEST(mode, write_without_search_on_directory_is_not_enough)
{

	vt_mkdir("/d", 0733);
	vt_mkdir("/w", 0722);
	vt_become(U, G);
	ck_assert_ok(rump_sys_close(ck_nonneg(rump_sys_open("/d/f",
	    O_WRONLY | O_CREAT, 0644))));
	ck_assert_fails(rump_sys_open("/w/f", O_WRONLY | O_CREAT, 0644),
	    EACCES);
	ck_assert_fails(rump_sys_mkdir("/w/e", 0755), EACCES);
	vt_unbecome();
}

/* Like vt_become, with one supplementary group. */
static void
become_with_group(gid_t extra)
{

#ifdef HOST_MODE
	ck_assert_ok(rump_sys_setgroups(1, &extra));
	ck_assert_ok(rump_sys_setresgid(G, G, 0));
	ck_assert_ok(rump_sys_setresuid(U, U, 0));
#else
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFFDG), 0);
	ck_assert_ok(rump_sys_setgroups(1, &extra));
	ck_assert_ok(rump_sys_setresgid(G, G, G));
	ck_assert_ok(rump_sys_setresuid(U, U, U));
#endif
}

VTEST(mode, supplementary_group_grants_the_group_bits)
{

	vt_mkfile("/f", 0640, NULL);
	ck_assert_ok(rump_sys_chown("/f", 0, 55));
	become_with_group(55);
	ck_assert_ok(rump_sys_close(ck_nonneg(rump_sys_open("/f",
	    O_RDONLY))));
	ck_assert_fails(rump_sys_open("/f", O_WRONLY), EACCES);
	/* And lets the owner give the file to that group. */
	vt_unbecome();
	ck_assert_ok(rump_sys_chown("/f", U, 0));
	become_with_group(55);
	ck_assert_ok(rump_sys_chown("/f", -1, 55));
	ck_assert_fails(rump_sys_chown("/f", -1, 56), EPERM);
#ifdef HOST_MODE
	ck_assert_ok(rump_sys_setresuid(0, 0, 0));
	ck_assert_ok(rump_sys_setresgid(0, 0, 0));
	ck_assert_ok(rump_sys_setgroups(0, NULL));
#else
	rump_lwproc_releaselwp();
#endif
	ck_assert_int_eq(vt_stat("/f").st_gid, 55);
}

VTEST(mode, noatime_open_needs_ownership_EPERM)
{

	vt_mkfile("/f", 0644, NULL);
	vt_become(U, G);
	ck_assert_fails(rump_sys_open("/f", O_RDONLY | O_NOATIME), EPERM);
	vt_unbecome();
	ck_assert_ok(rump_sys_close(ck_nonneg(rump_sys_open("/f",
	    O_RDONLY | O_NOATIME))));
}

VTEST(mode, nonroot_creates_files_with_its_ids_and_umask)
{
	struct stat st;

	vt_mkdir("/d", 0777);
	vt_become(U, G);
	ck_assert_ok(rump_sys_close(ck_nonneg(rump_sys_open("/d/f",
	    O_WRONLY | O_CREAT, 0666))));
	ck_assert_ok(rump_sys_mkdir("/d/e", 0777));
	vt_unbecome();
	st = vt_stat("/d/f");
	ck_assert_int_eq(st.st_uid, U);
	ck_assert_int_eq(st.st_gid, G);
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	st = vt_stat("/d/e");
	ck_assert_int_eq(st.st_uid, U);
	ck_assert_int_eq(st.st_mode & 07777, 0755);
}

VTEST(mode, trunc_needs_write_permission)
{

	vt_mkfile("/f", 0644, "data");
	vt_become(U, G);
	ck_assert_fails(rump_sys_open("/f", O_RDONLY | O_TRUNC), EACCES);
	ck_assert_fails(rump_sys_truncate("/f", 0), EACCES);
	ck_assert_fails(rump_sys_open("/f", O_WRONLY | O_CREAT, 0644),
	    EACCES);
	vt_unbecome();
	ck_assert_int_eq(vt_stat("/f").st_size, 4);
}

VTEST(mode, moving_a_directory_to_another_parent_needs_write_on_it)
{

	vt_mkdir("/p", 0777);
	vt_mkdir("/q", 0777);
	vt_mkdir("/p/d", 0755);
	vt_mkfile("/p/f", 0644, NULL);
	vt_become(U, G);
	ck_assert_fails(rump_sys_rename("/p/d", "/q/d"), EACCES);
	ck_assert_ok(rump_sys_rename("/p/d", "/p/e"));
	ck_assert_ok(rump_sys_rename("/p/f", "/q/f"));
	vt_unbecome();
}

/*
 * Sticky directories.
 */

VTEST(sticky, sticky_dir_lets_only_owners_remove_or_rename)
{

	vt_mkdir("/s", 01777);
	ck_assert_ok(rump_sys_chmod("/s", 01777));
	vt_become(U, G);
	vt_mkfile("/s/mine", 0666, NULL);
	vt_mkdir("/s/mydir", 0777);
	vt_unbecome();
	vt_become(U2, G2);
	ck_assert_fails(rump_sys_unlink("/s/mine"), EPERM);
	ck_assert_fails(rump_sys_rmdir("/s/mydir"), EPERM);
	ck_assert_fails(rump_sys_rename("/s/mine", "/s/other"), EPERM);
	vt_mkfile("/s/theirs", 0666, NULL);
	ck_assert_fails(rump_sys_rename("/s/theirs", "/s/mine"), EPERM);
	ck_assert_ok(rump_sys_unlink("/s/theirs"));
	vt_unbecome();
	vt_become(U, G);
	ck_assert_ok(rump_sys_rename("/s/mine", "/s/renamed"));
	ck_assert_ok(rump_sys_unlink("/s/renamed"));
	vt_unbecome();
	/* Root may. */
	ck_assert_ok(rump_sys_rmdir("/s/mydir"));
}

VTEST(sticky, creat_on_others_symlink_in_sticky_dir_fails_EACCES_even_for_root)
{

	/* Linux (may_create_in_sticky): O_CREAT on an existing name that is
	 * neither a regular file nor a FIFO, in a sticky world-writable
	 * directory, owned by neither the directory's owner nor the caller,
	 * is refused before the name is looked at further. */
	vt_mkdir("/s", 01777);
	vt_symlink("target", "/s/l");
	ck_assert_fails(rump_sys_open("/s/l", O_WRONLY | O_CREAT | O_NOFOLLOW,
	    0644), ELOOP);
	ck_assert_ok(rump_sys_lchown("/s/l", U, G));
	ck_assert_fails(rump_sys_open("/s/l", O_WRONLY | O_CREAT | O_NOFOLLOW,
	    0644), EACCES);
	ck_assert_fails(rump_sys_open("/s/l", O_RDONLY | O_NOFOLLOW), ELOOP);
	/* (Following such a link depends on the host's
	 * fs.protected_symlinks: not tested.) */
}

VTEST(sticky, sticky_dir_owner_may_remove_anything_in_it)
{

	vt_mkdir("/s", 0777);
	ck_assert_ok(rump_sys_chown("/s", U, G));
	ck_assert_ok(rump_sys_chmod("/s", 01777));
	vt_become(U2, G2);
	vt_mkfile("/s/theirs", 0644, NULL);
	vt_unbecome();
	vt_become(U, G);
	ck_assert_ok(rump_sys_unlink("/s/theirs"));
	vt_unbecome();
}

/*
 * chmod.
 */

VTEST(chmod, chmod_sets_the_permission_bits)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_chmod("/f", 0600));
	ck_assert_int_eq(vt_stat("/f").st_mode, S_IFREG | 0600);
	ck_assert_ok(rump_sys_chmod("/f", 07777));
	ck_assert_int_eq(vt_stat("/f").st_mode, S_IFREG | 07777);
	ck_assert_ok(rump_sys_chmod("/f", S_IFDIR | 0640));
	ck_assert_int_eq(vt_stat("/f").st_mode, S_IFREG | 0640);
}

VTEST(chmod, chmod_follows_symlinks)
{

	vt_mkfile("/f", 0644, NULL);
	vt_symlink("f", "/l");
	ck_assert_ok(rump_sys_chmod("/l", 0600));
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 0600);
	ck_assert_int_eq(vt_lstat("/l").st_mode & 07777, 0777);
}

VTEST(chmod, chmod_by_non_owner_fails_EPERM)
{

	vt_mkfile("/f", 0666, NULL);
	vt_become(U, G);
	ck_assert_fails(rump_sys_chmod("/f", 0777), EPERM);
	vt_unbecome();
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 0666);
}

VTEST(chmod, owner_chmod_may_set_setuid)
{

	vt_mkdir("/d", 0777);
	vt_become(U, G);
	vt_mkfile("/d/f", 0644, NULL);
	ck_assert_ok(rump_sys_chmod("/d/f", 04755));
	ck_assert_int_eq(vt_stat("/d/f").st_mode & 07777, 04755);
	vt_unbecome();
}

VTEST(chmod, chmod_by_owner_outside_the_group_drops_setgid)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_chown("/f", U, 0));
	vt_become(U, G);
	ck_assert_ok(rump_sys_chmod("/f", 02755));
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 0755);
	vt_unbecome();
	ck_assert_ok(rump_sys_chmod("/f", 02755));
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 02755);
}

VTEST(chmod, fchmod_and_fchmodat_work_and_check_descriptors)
{
	int fd, dfd;

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/d/f", O_RDONLY));
	ck_assert_ok(rump_sys_fchmod(fd, 0611));
	ck_assert_int_eq(vt_stat("/d/f").st_mode & 07777, 0611);
	ck_assert_ok(rump_sys_close(fd));
	dfd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_ok(rump_sys_fchmodat(dfd, "f", 0622));
	ck_assert_int_eq(vt_stat("/d/f").st_mode & 07777, 0622);
	ck_assert_ok(rump_sys_close(dfd));
	ck_assert_fails(rump_sys_fchmod(-1, 0644), EBADF);
	fd = ck_nonneg(rump_sys_open("/d/f", O_PATH));
	ck_assert_fails(rump_sys_fchmod(fd, 0644), EBADF);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_fails(rump_sys_chmod("/missing", 0644), ENOENT);
}

/*
 * chown, fchown, lchown, fchownat.
 */

VTEST(chown, root_chown_changes_owner_and_group)
{
	struct stat st;

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_chown("/f", U, G2));
	st = vt_stat("/f");
	ck_assert_int_eq(st.st_uid, U);
	ck_assert_int_eq(st.st_gid, G2);
	ck_assert_ok(rump_sys_chown("/f", -1, 7));
	st = vt_stat("/f");
	ck_assert_int_eq(st.st_uid, U);
	ck_assert_int_eq(st.st_gid, 7);
	ck_assert_ok(rump_sys_chown("/f", 8, -1));
	st = vt_stat("/f");
	ck_assert_int_eq(st.st_uid, 8);
	ck_assert_int_eq(st.st_gid, 7);
}

VTEST(chown, nonroot_cannot_give_a_file_away_EPERM)
{

	vt_mkdir("/d", 0777);
	vt_become(U, G);
	vt_mkfile("/d/f", 0644, NULL);
	ck_assert_fails(rump_sys_chown("/d/f", U2, -1), EPERM);
	ck_assert_fails(rump_sys_chown("/d/f", -1, G2), EPERM);
	ck_assert_fails(rump_sys_chown("/d/f", 0, 0), EPERM);
	ck_assert_ok(rump_sys_chown("/d/f", U, G));
	ck_assert_ok(rump_sys_chown("/d/f", -1, -1));
	vt_unbecome();
	ck_assert_int_eq(vt_stat("/d/f").st_uid, U);
}

VTEST(chown, nonroot_cannot_chown_anothers_file_EPERM)
{

	vt_mkfile("/f", 0666, NULL);
	vt_become(U, G);
	ck_assert_fails(rump_sys_chown("/f", U, G), EPERM);
	ck_assert_fails(rump_sys_chown("/f", -1, G), EPERM);
	vt_unbecome();
}

VTEST(chown, chown_to_minus_one_changes_nothing_and_is_allowed)
{
	struct stat a, b;

	vt_mkfile("/f", 0644, NULL);
	a = vt_stat("/f");
	vt_become(U, G);
	ck_assert_ok(rump_sys_chown("/f", -1, -1));
	vt_unbecome();
	b = vt_stat("/f");
	ck_assert_int_eq(b.st_uid, 0);
	ck_assert_int_eq(b.st_gid, 0);
	ck_assert_int_eq(b.st_mode, a.st_mode);
}

VTEST(chown, owner_may_change_group_to_own_group)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_chown("/f", U, 0));
	vt_become(U, G);
	ck_assert_ok(rump_sys_chown("/f", -1, G));
	vt_unbecome();
	ck_assert_int_eq(vt_stat("/f").st_gid, G);
}

VTEST(chown, chown_clears_setuid_and_group_exec_setgid_of_files)
{

	vt_mkfile("/f", 0644, NULL);
	vt_mkfile("/g", 0644, NULL);
	ck_assert_ok(rump_sys_chmod("/f", 06755));
	ck_assert_ok(rump_sys_chmod("/g", 06744));
	ck_assert_ok(rump_sys_chown("/f", U, G));
	ck_assert_ok(rump_sys_chown("/g", U, G));
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 0755);
	/* Set-group-ID without group execute is not a privilege. */
	ck_assert_int_eq(vt_stat("/g").st_mode & 07777, 02744);
}

VTEST(chown, chown_keeps_setgid_of_directories)
{

	vt_mkdir("/d", 0755);
	ck_assert_ok(rump_sys_chmod("/d", 02755));
	ck_assert_ok(rump_sys_chown("/d", U, G));
	ck_assert_int_eq(vt_stat("/d").st_mode & 07777, 02755);
}

VTEST(chown, lchown_changes_the_link_chown_follows_it)
{

	vt_mkfile("/f", 0644, NULL);
	vt_symlink("f", "/l");
	ck_assert_ok(rump_sys_lchown("/l", U, G));
	ck_assert_int_eq(vt_lstat("/l").st_uid, U);
	ck_assert_int_eq(vt_stat("/f").st_uid, 0);
	ck_assert_ok(rump_sys_chown("/l", U2, G2));
	ck_assert_int_eq(vt_stat("/f").st_uid, U2);
	ck_assert_int_eq(vt_lstat("/l").st_uid, U);
}

VTEST(chown, fchownat_flags)
{
	int fd;

	vt_mkfile("/f", 0644, NULL);
	vt_symlink("f", "/l");
	ck_assert_ok(rump_sys_fchownat(AT_FDCWD, "/l", U, G,
	    AT_SYMLINK_NOFOLLOW));
	ck_assert_int_eq(vt_lstat("/l").st_uid, U);
	ck_assert_int_eq(vt_stat("/f").st_uid, 0);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_ok(rump_sys_fchownat(fd, "", U2, G2, AT_EMPTY_PATH));
	ck_assert_int_eq(vt_stat("/f").st_uid, U2);
	ck_assert_fails(rump_sys_fchownat(fd, "", 0, 0, 0), ENOENT);
	ck_assert_fails(rump_sys_fchownat(AT_FDCWD, "/f", 0, 0, 0x1),
	    EINVAL);
	ck_assert_ok(rump_sys_fchown(fd, 3, 4));
	ck_assert_int_eq(vt_stat("/f").st_uid, 3);
	ck_assert_int_eq(vt_stat("/f").st_gid, 4);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_fails(rump_sys_fchown(-1, 0, 0), EBADF);
	ck_assert_fails(rump_sys_chown("/missing", 0, 0), ENOENT);
}

VTEST(chown, chown_changes_ctime_only)
{
	struct stat a, b;

	vt_mkfile("/f", 0644, NULL);
	a = vt_stat("/f");
	vt_tick();
	ck_assert_ok(rump_sys_chown("/f", U, G));
	b = vt_stat("/f");
	ck_assert_int_gt(vt_ts_ns(&b.st_ctim), vt_ts_ns(&a.st_ctim));
	ck_assert_int_eq(vt_ts_ns(&b.st_mtim), vt_ts_ns(&a.st_mtim));
}

/*
 * Privileges dropped by writing.
 */

VTEST(setid, nonroot_write_clears_setuid_and_setgid)
{
	int fd;

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_chmod("/f", 06777));
	vt_become(U, G);
	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY));
	ck_assert_int_eq(rump_sys_write(fd, "x", 1), 1);
	ck_assert_ok(rump_sys_close(fd));
	vt_unbecome();
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 0777);
}

VTEST(setid, nonroot_truncate_clears_setuid)
{

	vt_mkfile("/f", 0644, "data");
	ck_assert_ok(rump_sys_chmod("/f", 04777));
	vt_become(U, G);
	ck_assert_ok(rump_sys_truncate("/f", 1));
	vt_unbecome();
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 0777);
}

VTEST(setid, root_write_keeps_setuid)
{
	int fd;

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_chmod("/f", 06777));
	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY));
	ck_assert_int_eq(rump_sys_write(fd, "x", 1), 1);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 06777);
}

VTEST(setid, setgid_directory_passes_its_group_and_bit_on)
{
	struct stat st;

	vt_mkdir("/d", 0777);
	ck_assert_ok(rump_sys_chown("/d", 0, 55));
	ck_assert_ok(rump_sys_chmod("/d", 02777));
	vt_become(U, G);
	vt_mkfile("/d/f", 0644, NULL);
	ck_assert_ok(rump_sys_mkdir("/d/e", 0755));
	vt_unbecome();
	st = vt_stat("/d/f");
	ck_assert_int_eq(st.st_gid, 55);
	ck_assert_int_eq(st.st_uid, U);
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	st = vt_stat("/d/e");
	ck_assert_int_eq(st.st_gid, 55);
	ck_assert_int_eq(st.st_mode & 07777, 02755);
}

/*
 * access, faccessat, faccessat2.
 */

VTEST(access, access_checks_each_mode_bit)
{

	vt_mkfile("/f", 0640, NULL);
	ck_assert_ok(rump_sys_chown("/f", U, G2));
	vt_become(U, G);
	ck_assert_ok(rump_sys_access("/f", F_OK));
	ck_assert_ok(rump_sys_access("/f", R_OK));
	ck_assert_ok(rump_sys_access("/f", R_OK | W_OK));
	ck_assert_fails(rump_sys_access("/f", X_OK), EACCES);
	ck_assert_fails(rump_sys_access("/f", R_OK | X_OK), EACCES);
	ck_assert_fails(rump_sys_access("/missing", F_OK), ENOENT);
	vt_unbecome();
	vt_become(U2, G2);
	ck_assert_ok(rump_sys_access("/f", R_OK));
	ck_assert_fails(rump_sys_access("/f", W_OK), EACCES);
	vt_unbecome();
}

VTEST(access, access_bad_mode_fails_EINVAL)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_access("/f", 8), EINVAL);
	ck_assert_fails(rump_sys_faccessat(AT_FDCWD, "/f", 0x10), EINVAL);
	ck_assert_fails(rump_sys_faccessat2(AT_FDCWD, "/f", R_OK, 0x1),
	    EINVAL);
}

/* Real uid 1000, effective uid 0: access() uses the real one. */
static void
become_real_nonroot(void)
{

#ifdef HOST_MODE
	ck_assert_ok(rump_sys_setresuid(U, 0, 0));
#else
	ck_assert_int_eq(rump_lwproc_rfork(RUMP_RFFDG), 0);
	ck_assert_ok(rump_sys_setresuid(U, 0, 0));
#endif
}

static void
unbecome_real_nonroot(void)
{

#ifdef HOST_MODE
	ck_assert_ok(rump_sys_setresuid(0, 0, 0));
#else
	rump_lwproc_releaselwp();
#endif
}

VTEST(access, access_uses_real_ids_AT_EACCESS_effective_ones)
{

	vt_mkfile("/f", 0600, NULL);
	become_real_nonroot();
	ck_assert_fails(rump_sys_access("/f", R_OK), EACCES);
	ck_assert_fails(rump_sys_faccessat(AT_FDCWD, "/f", R_OK), EACCES);
	ck_assert_fails(rump_sys_faccessat2(AT_FDCWD, "/f", R_OK, 0), EACCES);
	ck_assert_ok(rump_sys_faccessat2(AT_FDCWD, "/f", R_OK, AT_EACCESS));
	ck_assert_ok(rump_sys_close(ck_nonneg(rump_sys_open("/f",
	    O_RDONLY))));
	unbecome_real_nonroot();
}

VTEST(access, faccessat2_symlink_nofollow_and_empty_path)
{
	int fd;

	vt_symlink("/nowhere", "/l");
	ck_assert_fails(rump_sys_faccessat2(AT_FDCWD, "/l", F_OK, 0), ENOENT);
	ck_assert_ok(rump_sys_faccessat2(AT_FDCWD, "/l", F_OK,
	    AT_SYMLINK_NOFOLLOW));
	vt_mkfile("/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_ok(rump_sys_faccessat2(fd, "", R_OK, AT_EMPTY_PATH));
	ck_assert_fails(rump_sys_faccessat2(fd, "", R_OK, 0), ENOENT);
	ck_assert_ok(rump_sys_close(fd));
}

/*
 * utimensat permissions.
 */

VTEST(utimes, utimensat_now_needs_write_or_ownership)
{
	struct timespec now2[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct timespec set[2] = { { 1000, 0 }, { 2000, 0 } };

	vt_mkfile("/w", 0666, NULL);
	vt_mkfile("/r", 0644, NULL);
	vt_become(U, G);
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/w", NULL, 0));
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/w", now2, 0));
	ck_assert_fails(rump_sys_utimensat(AT_FDCWD, "/w", set, 0), EPERM);
	ck_assert_fails(rump_sys_utimensat(AT_FDCWD, "/r", NULL, 0), EACCES);
	ck_assert_fails(rump_sys_utimensat(AT_FDCWD, "/r", now2, 0), EACCES);
	ck_assert_fails(rump_sys_utimensat(AT_FDCWD, "/r", set, 0), EPERM);
	vt_unbecome();
}

VTEST(utimes, owner_may_set_any_times)
{
	struct timespec set[2] = { { 1000, 5 }, { 2000, 7 } };
	struct stat st;

	vt_mkfile("/f", 0444, NULL);
	ck_assert_ok(rump_sys_chown("/f", U, G));
	vt_become(U, G);
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/f", set, 0));
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/f", NULL, 0));
	vt_unbecome();
	st = vt_stat("/f");
	ck_assert_int_gt(st.st_mtim.tv_sec, 2000);
}

/*
 * mknod.
 */

VTEST(mknod, mknod_fifo_works_for_anyone)
{
	struct stat st;

	vt_mkdir("/d", 0777);
	ck_assert_ok(rump_sys_mknod("/d/p", S_IFIFO | 0666, 0));
	vt_become(U, G);
	ck_assert_ok(rump_sys_mknod("/d/q", S_IFIFO | 0600, 0));
	vt_unbecome();
	st = vt_stat("/d/p");
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0644);
	st = vt_stat("/d/q");
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_int_eq(st.st_uid, U);
}

VTEST(mknod, mknod_devices_need_CAP_MKNOD)
{
	struct stat st;

	vt_mkdir("/d", 0777);
	ck_assert_ok(rump_sys_mknod("/d/c", S_IFCHR | 0600, makedev(1, 3)));
	ck_assert_ok(rump_sys_mknod("/d/b", S_IFBLK | 0600, makedev(7, 0)));
	st = vt_stat("/d/c");
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert_int_eq(major(st.st_rdev), 1);
	ck_assert_int_eq(minor(st.st_rdev), 3);
	ck_assert(S_ISBLK(vt_stat("/d/b").st_mode));
	vt_become(U, G);
	ck_assert_fails(rump_sys_mknod("/d/c2", S_IFCHR | 0600,
	    makedev(1, 3)), EPERM);
	ck_assert_fails(rump_sys_mknod("/d/b2", S_IFBLK | 0600,
	    makedev(7, 0)), EPERM);
	vt_unbecome();
	ck_assert(!vt_exists("/d/c2"));
}

VTEST(mknod, mknod_type_zero_makes_regular_file)
{
	struct stat st;

	ck_assert_ok(rump_sys_mknod("/f", 0644, 0));
	ck_assert_ok(rump_sys_mknod("/g", S_IFREG | 0644, 0));
	st = vt_stat("/f");
	ck_assert(S_ISREG(st.st_mode));
	ck_assert(S_ISREG(vt_stat("/g").st_mode));
}

VTEST(mknod, mknod_socket_works)
{

	ck_assert_ok(rump_sys_mknod("/s", S_IFSOCK | 0644, 0));
	ck_assert(S_ISSOCK(vt_stat("/s").st_mode));
}

VTEST(mknod, mknod_directory_fails_EPERM_bad_type_EINVAL)
{

	ck_assert_fails(rump_sys_mknod("/d", S_IFDIR | 0755, 0), EPERM);
	ck_assert_fails(rump_sys_mknod("/l", S_IFLNK | 0755, 0), EINVAL);
	ck_assert_fails(rump_sys_mknod("/x", 0110000 | 0644, 0), EINVAL);
	ck_assert(!vt_exists("/d"));
	ck_assert(!vt_exists("/x"));
}

VTEST(mknod, mknod_existing_fails_EEXIST)
{
	int dfd;

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	ck_assert_fails(rump_sys_mknod("/d/f", S_IFIFO | 0644, 0), EEXIST);
	dfd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_fails(rump_sys_mknodat(dfd, "f", S_IFIFO | 0644, 0),
	    EEXIST);
	ck_assert_ok(rump_sys_mknodat(dfd, "p", S_IFIFO | 0644, 0));
	ck_assert(S_ISFIFO(vt_stat("/d/p").st_mode));
	ck_assert_ok(rump_sys_close(dfd));
}

VTEST(mknod, open_fifo_nonblocking_for_reading_works_writing_ENXIO)
{
	int fd;

	ck_assert_ok(rump_sys_mknod("/p", S_IFIFO | 0644, 0));
	fd = ck_nonneg(rump_sys_open("/p", O_RDONLY | O_NONBLOCK));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_fails(rump_sys_open("/p", O_WRONLY | O_NONBLOCK), ENXIO);
}

/*
 * chroot and mount need privileges.
 */

VTEST(priv, chroot_and_mount_need_root_EPERM)
{

	vt_mkdir("/d", 0777);
	vt_become(U, G);
	ck_assert_fails(rump_sys_chroot("/d"), EPERM);
	ck_assert_fails(rump_sys_mount("tmpfs", "/d", "tmpfs", 0, NULL),
	    EPERM);
	ck_assert_fails(rump_sys_umount2("/", 0), EPERM);
	vt_unbecome();
}

int
main(void)
{

	return vt_main("perm", 60);
}
