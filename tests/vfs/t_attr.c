/*
 * t_attr.c: attributes and the name space around the tmpfs root: atime,
 * mtime and ctime as POSIX updates them, utimensat, statx, statfs,
 * mount and umount2 of a second tmpfs, chdir/fchdir/getcwd, chroot,
 * umask.  Also run against the host kernel as t_attr_host.
 */

#include "vfs_test.h"

#include <linux/stat.h>

#define NS(ts) vt_ts_ns(&(ts))

/*
 * Times.
 */

VTEST(times, create_sets_all_times_and_touches_the_directory)
{
	struct timespec before;
	struct stat d0, d1, st;

	vt_mkdir("/d", 0755);
	d0 = vt_stat("/d");
	vt_tick();
	ck_assert_ok(rump_sys_clock_gettime(CLOCK_REALTIME, &before));
	vt_mkfile("/d/f", 0644, NULL);
	st = vt_stat("/d/f");
	d1 = vt_stat("/d");
	ck_assert_int_ge(NS(st.st_mtim), NS(before) - 10000000);
	ck_assert_int_eq(NS(st.st_atim), NS(st.st_mtim));
	ck_assert_int_ge(NS(st.st_ctim), NS(st.st_mtim));
	ck_assert_int_gt(NS(d1.st_mtim), NS(d0.st_mtim));
	ck_assert_int_gt(NS(d1.st_ctim), NS(d0.st_ctim));
}

VTEST(times, write_updates_mtime_and_ctime_not_atime)
{
	struct stat a, b;
	int fd;

	vt_mkfile("/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY));
	a = vt_stat("/f");
	vt_tick();
	ck_assert_int_eq(rump_sys_write(fd, "x", 1), 1);
	b = vt_stat("/f");
	ck_assert_int_gt(NS(b.st_mtim), NS(a.st_mtim));
	ck_assert_int_gt(NS(b.st_ctim), NS(a.st_ctim));
	ck_assert_int_eq(NS(b.st_atim), NS(a.st_atim));
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(times, first_read_after_a_write_updates_atime_only)
{
	struct stat a, b;
	char c;
	int fd;

	vt_mkfile("/f", 0644, "abc");
	a = vt_stat("/f");
	vt_tick();
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_int_eq(rump_sys_read(fd, &c, 1), 1);
	ck_assert_ok(rump_sys_close(fd));
	b = vt_stat("/f");
	ck_assert_int_gt(NS(b.st_atim), NS(a.st_atim));
	ck_assert_int_eq(NS(b.st_mtim), NS(a.st_mtim));
	ck_assert_int_eq(NS(b.st_ctim), NS(a.st_ctim));
}

VTEST(times, chmod_updates_ctime_only)
{
	struct stat a, b;

	vt_mkfile("/f", 0644, NULL);
	a = vt_stat("/f");
	vt_tick();
	ck_assert_ok(rump_sys_chmod("/f", 0600));
	b = vt_stat("/f");
	ck_assert_int_gt(NS(b.st_ctim), NS(a.st_ctim));
	ck_assert_int_eq(NS(b.st_mtim), NS(a.st_mtim));
	ck_assert_int_eq(NS(b.st_atim), NS(a.st_atim));
}

VTEST(times, truncate_to_new_size_updates_mtime_and_ctime)
{
	struct stat a, b;
	int fd;

	vt_mkfile("/f", 0644, "abcdef");
	a = vt_stat("/f");
	vt_tick();
	ck_assert_ok(rump_sys_truncate("/f", 2));
	b = vt_stat("/f");
	ck_assert_int_gt(NS(b.st_mtim), NS(a.st_mtim));
	ck_assert_int_gt(NS(b.st_ctim), NS(a.st_ctim));
	vt_tick();
	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY));
	ck_assert_ok(rump_sys_ftruncate(fd, 100));
	ck_assert_ok(rump_sys_close(fd));
	a = vt_stat("/f");
	ck_assert_int_gt(NS(a.st_mtim), NS(b.st_mtim));
}

VTEST(times, open_trunc_updates_mtime_and_ctime)
{
	struct stat a, b;
	int fd;

	vt_mkfile("/f", 0644, "abcdef");
	a = vt_stat("/f");
	vt_tick();
	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY | O_TRUNC));
	ck_assert_ok(rump_sys_close(fd));
	b = vt_stat("/f");
	ck_assert_int_gt(NS(b.st_mtim), NS(a.st_mtim));
	ck_assert_int_gt(NS(b.st_ctim), NS(a.st_ctim));
}

VTEST(times, link_and_unlink_update_file_ctime_and_dir_mtime)
{
	struct stat f0, f1, d0, d1;

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	f0 = vt_stat("/d/f");
	d0 = vt_stat("/d");
	vt_tick();
	ck_assert_ok(rump_sys_link("/d/f", "/d/g"));
	f1 = vt_stat("/d/f");
	d1 = vt_stat("/d");
	ck_assert_int_gt(NS(f1.st_ctim), NS(f0.st_ctim));
	ck_assert_int_eq(NS(f1.st_mtim), NS(f0.st_mtim));
	ck_assert_int_gt(NS(d1.st_mtim), NS(d0.st_mtim));
	ck_assert_int_gt(NS(d1.st_ctim), NS(d0.st_ctim));
	vt_tick();
	ck_assert_ok(rump_sys_unlink("/d/g"));
	f0 = vt_stat("/d/f");
	d0 = vt_stat("/d");
	ck_assert_int_gt(NS(f0.st_ctim), NS(f1.st_ctim));
	ck_assert_int_gt(NS(d0.st_mtim), NS(d1.st_mtim));
}

VTEST(times, rename_updates_both_directories_and_the_moved_ctime)
{
	struct stat f0, f1, p0, p1, q0, q1;

	vt_mkdir("/p", 0755);
	vt_mkdir("/q", 0755);
	vt_mkfile("/p/f", 0644, NULL);
	f0 = vt_stat("/p/f");
	p0 = vt_stat("/p");
	q0 = vt_stat("/q");
	vt_tick();
	ck_assert_ok(rump_sys_rename("/p/f", "/q/f"));
	f1 = vt_stat("/q/f");
	p1 = vt_stat("/p");
	q1 = vt_stat("/q");
	ck_assert_int_gt(NS(p1.st_mtim), NS(p0.st_mtim));
	ck_assert_int_gt(NS(q1.st_mtim), NS(q0.st_mtim));
	ck_assert_int_gt(NS(f1.st_ctim), NS(f0.st_ctim));
	ck_assert_int_eq(NS(f1.st_mtim), NS(f0.st_mtim));
}

VTEST(times, mkdir_and_rmdir_update_parent_times)
{
	struct stat a, b;

	a = vt_stat("/");
	vt_tick();
	vt_mkdir("/d", 0755);
	b = vt_stat("/");
	ck_assert_int_gt(NS(b.st_mtim), NS(a.st_mtim));
	vt_tick();
	ck_assert_ok(rump_sys_rmdir("/d"));
	a = vt_stat("/");
	ck_assert_int_gt(NS(a.st_mtim), NS(b.st_mtim));
	ck_assert_int_gt(NS(a.st_ctim), NS(b.st_ctim));
}

VTEST(times, listing_a_directory_does_not_change_its_mtime)
{
	struct stat a, b;

	vt_mkdir("/d", 0755);
	a = vt_stat("/d");
	vt_tick();
	ck_assert_listing("/d", "./..");
	b = vt_stat("/d");
	ck_assert_int_eq(NS(b.st_mtim), NS(a.st_mtim));
	ck_assert_int_eq(NS(b.st_ctim), NS(a.st_ctim));
}

/*
 * utimensat.
 */

VTEST(utimensat, utimensat_sets_given_times_to_the_nanosecond)
{
	struct timespec ts[2] = { { 1000000000, 123456789 },
	    { 1100000000, 987654321 } };
	struct stat st;

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/f", ts, 0));
	st = vt_stat("/f");
	ck_assert_int_eq(st.st_atim.tv_sec, 1000000000);
	ck_assert_int_eq(st.st_atim.tv_nsec, 123456789);
	ck_assert_int_eq(st.st_mtim.tv_sec, 1100000000);
	ck_assert_int_eq(st.st_mtim.tv_nsec, 987654321);
}

VTEST(utimensat, utimensat_omit_leaves_a_time_alone)
{
	struct timespec ts[2] = { { 5000, 0 }, { 0, UTIME_OMIT } };
	struct stat a, b;

	vt_mkfile("/f", 0644, NULL);
	a = vt_stat("/f");
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/f", ts, 0));
	b = vt_stat("/f");
	ck_assert_int_eq(b.st_atim.tv_sec, 5000);
	ck_assert_int_eq(NS(b.st_mtim), NS(a.st_mtim));
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = 6000;
	ts[1].tv_nsec = 0;
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/f", ts, 0));
	b = vt_stat("/f");
	ck_assert_int_eq(b.st_atim.tv_sec, 5000);
	ck_assert_int_eq(b.st_mtim.tv_sec, 6000);
}

VTEST(utimensat, utimensat_now_and_null_set_the_current_time)
{
	struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
	struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	struct timespec t0;
	struct stat st;

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_clock_gettime(CLOCK_REALTIME, &t0));
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/f", ts, 0));
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/f", now, 0));
	st = vt_stat("/f");
	ck_assert_int_ge(st.st_atim.tv_sec, t0.tv_sec - 1);
	ck_assert_int_eq(st.st_mtim.tv_sec, 1);
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/f", NULL, 0));
	st = vt_stat("/f");
	ck_assert_int_ge(st.st_mtim.tv_sec, t0.tv_sec - 1);
	ck_assert_int_ge(NS(st.st_ctim), NS(st.st_mtim));
}

VTEST(utimensat, utimensat_updates_ctime_unless_both_omitted)
{
	struct timespec ts[2] = { { 7, 0 }, { 8, 0 } };
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
	struct stat a, b;

	vt_mkfile("/f", 0644, NULL);
	a = vt_stat("/f");
	vt_tick();
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/f", ts, 0));
	b = vt_stat("/f");
	ck_assert_int_gt(NS(b.st_ctim), NS(a.st_ctim));
	vt_tick();
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/f", omit, 0));
	a = vt_stat("/f");
	ck_assert_int_eq(NS(a.st_ctim), NS(b.st_ctim));
}

VTEST(utimensat, utimensat_bad_nanoseconds_fail_EINVAL)
{
	struct timespec ts[2] = { { 1, 1000000000 }, { 1, 0 } };
	struct timespec neg[2] = { { 1, 0 }, { 1, -1 } };

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_utimensat(AT_FDCWD, "/f", ts, 0), EINVAL);
	ck_assert_fails(rump_sys_utimensat(AT_FDCWD, "/f", neg, 0), EINVAL);
	ck_assert_fails(rump_sys_utimensat(AT_FDCWD, "/f", NULL, 0x1),
	    EINVAL);
	ck_assert_fails(rump_sys_utimensat(AT_FDCWD, "/f", VT_BADPTR, 0),
	    EFAULT);
	ck_assert_fails(rump_sys_utimensat(AT_FDCWD, "/missing", NULL, 0),
	    ENOENT);
}

VTEST(utimensat, utimensat_nofollow_sets_the_link_times)
{
	struct timespec ts[2] = { { 10, 0 }, { 20, 0 } };

	vt_mkfile("/f", 0644, NULL);
	vt_symlink("f", "/l");
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/l", ts,
	    AT_SYMLINK_NOFOLLOW));
	ck_assert_int_eq(vt_lstat("/l").st_mtim.tv_sec, 20);
	ck_assert_int_ne(vt_stat("/f").st_mtim.tv_sec, 20);
	ck_assert_ok(rump_sys_utimensat(AT_FDCWD, "/l", ts, 0));
	ck_assert_int_eq(vt_stat("/f").st_mtim.tv_sec, 20);
}

VTEST(utimensat, utimensat_null_path_works_on_the_descriptor)
{
	struct timespec ts[2] = { { 30, 0 }, { 40, 0 } };
	int fd;

	vt_mkfile("/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_ok(rump_sys_utimensat(fd, NULL, ts, 0));
	ck_assert_int_eq(vt_stat("/f").st_mtim.tv_sec, 40);
	ck_assert_fails(rump_sys_utimensat(-1, NULL, ts, 0), EBADF);
	ck_assert_ok(rump_sys_close(fd));
}

/*
 * statx.
 */

VTEST(statx, statx_agrees_with_stat)
{
	struct statx sx;
	struct stat st;

	vt_mkfile("/f", 0640, "12345");
	ck_assert_ok(rump_sys_chown("/f", 3, 4));
	memset(&sx, 0xff, sizeof(sx));
	ck_assert_ok(rump_sys_statx(AT_FDCWD, "/f", 0, STATX_BASIC_STATS,
	    &sx));
	st = vt_stat("/f");
	ck_assert_int_eq(sx.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
	ck_assert_int_eq(sx.stx_mode, st.st_mode);
	ck_assert_int_eq(sx.stx_nlink, st.st_nlink);
	ck_assert_int_eq(sx.stx_uid, 3);
	ck_assert_int_eq(sx.stx_gid, 4);
	ck_assert_int_eq(sx.stx_ino, st.st_ino);
	ck_assert_int_eq(sx.stx_size, 5);
	ck_assert_int_eq(sx.stx_blksize, st.st_blksize);
	ck_assert_int_eq(sx.stx_blocks, st.st_blocks);
	ck_assert_int_eq(sx.stx_mtime.tv_sec, st.st_mtim.tv_sec);
	ck_assert_int_eq(sx.stx_mtime.tv_nsec, st.st_mtim.tv_nsec);
	ck_assert_int_eq(sx.stx_ctime.tv_nsec, st.st_ctim.tv_nsec);
	ck_assert_int_eq(makedev(sx.stx_dev_major, sx.stx_dev_minor),
	    st.st_dev);
	ck_assert_int_eq(sx.stx_rdev_major, 0);
}

VTEST(statx, statx_symlink_nofollow_and_empty_path)
{
	struct statx sx;
	int fd;

	vt_mkfile("/f", 0644, "abc");
	vt_symlink("f", "/l");
	ck_assert_ok(rump_sys_statx(AT_FDCWD, "/l", 0, STATX_BASIC_STATS,
	    &sx));
	ck_assert(S_ISREG(sx.stx_mode));
	ck_assert_ok(rump_sys_statx(AT_FDCWD, "/l", AT_SYMLINK_NOFOLLOW,
	    STATX_BASIC_STATS, &sx));
	ck_assert(S_ISLNK(sx.stx_mode));
	ck_assert_int_eq(sx.stx_size, 1);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_ok(rump_sys_statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS,
	    &sx));
	ck_assert_int_eq(sx.stx_size, 3);
	ck_assert_fails(rump_sys_statx(fd, "", 0, STATX_BASIC_STATS, &sx),
	    ENOENT);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(statx, statx_bad_flags_or_mask_fail_EINVAL)
{
	struct statx sx;

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_statx(AT_FDCWD, "/f", 0x1,
	    STATX_BASIC_STATS, &sx), EINVAL);
	ck_assert_fails(rump_sys_statx(AT_FDCWD, "/f",
	    AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS,
	    &sx), EINVAL);
	ck_assert_fails(rump_sys_statx(AT_FDCWD, "/f", 0, 0x80000000U, &sx),
	    EINVAL);
	ck_assert_fails(rump_sys_statx(AT_FDCWD, "/f", 0, STATX_BASIC_STATS,
	    VT_BADPTR), EFAULT);
	ck_assert_fails(rump_sys_statx(AT_FDCWD, "/missing", 0,
	    STATX_BASIC_STATS, &sx), ENOENT);
}

/*
 * statfs, fstatfs.
 */

VTEST(statfs, statfs_reports_tmpfs)
{
	struct statfs sf, sf2;
	int fd;

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_statfs("/", &sf));
	ck_assert_int_eq(sf.f_type, TMPFS_MAGIC);
	ck_assert_int_eq(sf.f_namelen, 255);
	ck_assert_int_gt(sf.f_bsize, 0);
	ck_assert_ok(rump_sys_statfs("/f", &sf2));
	ck_assert_int_eq(sf2.f_type, TMPFS_MAGIC);
	ck_assert_int_eq(memcmp(&sf.f_fsid, &sf2.f_fsid, sizeof(sf.f_fsid)),
	    0);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_ok(rump_sys_fstatfs(fd, &sf2));
	ck_assert_int_eq(sf2.f_type, TMPFS_MAGIC);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(statfs, statfs_errors)
{
	struct statfs sf;

	ck_assert_fails(rump_sys_statfs("/missing", &sf), ENOENT);
	ck_assert_fails(rump_sys_statfs("/", VT_BADPTR), EFAULT);
	ck_assert_fails(rump_sys_fstatfs(-1, &sf), EBADF);
}

/*
 * mount, umount2.
 */

VTEST(mount, mount_tmpfs_makes_a_new_file_system)
{
	struct stat root, mnt, f;
	struct statfs sf;

	vt_mkdir("/mnt", 0755);
	vt_mkfile("/mnt/hidden", 0644, NULL);
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, NULL));
	root = vt_stat("/");
	mnt = vt_stat("/mnt");
	ck_assert(root.st_dev != mnt.st_dev);
	ck_assert(S_ISDIR(mnt.st_mode));
	ck_assert_listing("/mnt", "./..");
	vt_mkfile("/mnt/f", 0644, "on mnt");
	f = vt_stat("/mnt/f");
	ck_assert_int_eq(f.st_dev, mnt.st_dev);
	ck_assert_ok(rump_sys_statfs("/mnt", &sf));
	ck_assert_int_eq(sf.f_type, TMPFS_MAGIC);
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
	ck_assert_listing("/mnt", "./../hidden");
	ck_assert_int_eq(vt_stat("/mnt").st_dev, root.st_dev);
}

VTEST(mount, dotdot_at_the_mount_root_leads_back_to_the_parent)
{
	struct stat st;

	vt_mkdir("/a", 0755);
	vt_mkdir("/a/mnt", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/a/mnt", "tmpfs", 0, NULL));
	vt_mkdir("/a/mnt/sub", 0755);
	st = vt_stat("/a/mnt/..");
	ck_assert_int_eq(st.st_ino, vt_stat("/a").st_ino);
	ck_assert_int_eq(st.st_dev, vt_stat("/a").st_dev);
	ck_assert_int_eq(vt_stat("/a/mnt/sub/../..").st_ino,
	    vt_stat("/a").st_ino);
	ck_assert_ok(rump_sys_chdir("/a/mnt/sub"));
	ck_assert_int_eq(vt_stat("../..").st_ino, vt_stat("/a").st_ino);
	ck_assert_ok(rump_sys_chdir("/"));
	ck_assert_ok(rump_sys_umount2("/a/mnt", 0));
}

VTEST(mount, relative_symlink_climbs_out_of_a_mount)
{
	char buf[16];

	vt_mkfile("/f", 0644, "outside");
	vt_mkdir("/mnt", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, NULL));
	vt_mkdir("/mnt/d", 0755);
	vt_symlink("../../f", "/mnt/d/l");
	ck_assert_str_eq(vt_read("/mnt/d/l", buf, sizeof(buf)), "outside");
	ck_assert_ok(rump_sys_unlink("/mnt/d/l"));
	ck_assert_ok(rump_sys_rmdir("/mnt/d"));
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
}

VTEST(mount, umount_busy_file_system_fails_EBUSY)
{
	int fd;

	vt_mkdir("/mnt", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, NULL));
	vt_mkfile("/mnt/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/mnt/f", O_RDONLY));
	ck_assert_fails(rump_sys_umount2("/mnt", 0), EBUSY);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_ok(rump_sys_chdir("/mnt"));
	ck_assert_fails(rump_sys_umount2("/mnt", 0), EBUSY);
	ck_assert_ok(rump_sys_chdir("/"));
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
	ck_assert(!vt_exists("/mnt/f"));
}

VTEST(mount, mount_unknown_type_fails_ENODEV)
{

	vt_mkdir("/mnt", 0755);
	ck_assert_fails(rump_sys_mount("x", "/mnt", "nosuchfs", 0, NULL),
	    ENODEV);
}

VTEST(mount, mount_on_missing_or_file_fails)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_mount("tmpfs", "/missing", "tmpfs", 0,
	    NULL), ENOENT);
	ck_assert_fails(rump_sys_mount("tmpfs", "/f/x", "tmpfs", 0, NULL),
	    ENOTDIR);
	ck_assert_fails(rump_sys_mount("tmpfs", VT_BADPTR, "tmpfs", 0, NULL),
	    EFAULT);
}

VTEST(mount, mount_unknown_tmpfs_option_fails_EINVAL)
{

	vt_mkdir("/mnt", 0755);
	ck_assert_fails(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0,
	    "nosuchoption=1"), EINVAL);
	ck_assert_fails(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0,
	    "size=bogus"), EINVAL);
}

VTEST(mount, mount_options_mode_uid_gid_set_the_root)
{
	struct stat st;

	vt_mkdir("/mnt", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0,
	    "mode=1700,uid=12,gid=34"));
	st = vt_stat("/mnt");
	ck_assert_int_eq(st.st_mode & 07777, 01700);
	ck_assert_int_eq(st.st_uid, 12);
	ck_assert_int_eq(st.st_gid, 34);
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
}

VTEST(mount, mount_size_limit_gives_ENOSPC)
{
	static char buf[65536];
	struct statfs sf;
	long n, total = 0;
	int fd;

	vt_mkdir("/mnt", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0,
	    "size=256k"));
	ck_assert_ok(rump_sys_statfs("/mnt", &sf));
	ck_assert_int_eq((long)sf.f_blocks * sf.f_bsize, 256 * 1024);
	fd = ck_nonneg(rump_sys_open("/mnt/f", O_WRONLY | O_CREAT, 0644));
	while ((n = rump_sys_write(fd, buf, sizeof(buf))) > 0)
		total += n;
	ck_assert_int_eq(n, -1);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(total, 256 * 1024);
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_ok(rump_sys_unlink("/mnt/f"));
	fd = ck_nonneg(rump_sys_open("/mnt/g", O_WRONLY | O_CREAT, 0644));
	ck_assert_int_eq(rump_sys_write(fd, buf, sizeof(buf)), sizeof(buf));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
}

VTEST(mount, mount_nr_inodes_limit_gives_ENOSPC)
{
	char name[32];
	int i, made = 0;

	vt_mkdir("/mnt", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0,
	    "nr_inodes=8"));
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "/mnt/f%d", i);
		if (rump_sys_mknod(name, S_IFREG | 0644, 0) == -1) {
			ck_assert_int_eq(errno, ENOSPC);
			break;
		}
		made++;
	}
	/* The root takes one inode. */
	ck_assert_int_eq(made, 7);
	ck_assert_fails(rump_sys_mkdir("/mnt/d", 0755), ENOSPC);
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
}

VTEST(mount, statfs_counts_free_inodes)
{
	struct statfs a, b;

	vt_mkdir("/mnt", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0,
	    "nr_inodes=100"));
	ck_assert_ok(rump_sys_statfs("/mnt", &a));
	ck_assert_int_eq(a.f_files, 100);
	vt_mkfile("/mnt/f", 0644, NULL);
	vt_mkdir("/mnt/d", 0755);
	ck_assert_ok(rump_sys_statfs("/mnt", &b));
	ck_assert_int_eq(b.f_ffree, a.f_ffree - 2);
	ck_assert_ok(rump_sys_unlink("/mnt/f"));
	ck_assert_ok(rump_sys_statfs("/mnt", &b));
	ck_assert_int_eq(b.f_ffree, a.f_ffree - 1);
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
}

VTEST(mount, read_only_mount_refuses_changes_EROFS)
{
	struct stat st;
	int fd;

	vt_mkdir("/mnt", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs", MS_RDONLY,
	    NULL));
	ck_assert_fails(rump_sys_open("/mnt/f", O_WRONLY | O_CREAT, 0644),
	    EROFS);
	ck_assert_fails(rump_sys_mkdir("/mnt/d", 0755), EROFS);
	ck_assert_fails(rump_sys_chmod("/mnt", 0700), EROFS);
	ck_assert_fails(rump_sys_access("/mnt", W_OK), EROFS);
	ck_assert_ok(rump_sys_access("/mnt", R_OK));
	fd = ck_nonneg(rump_sys_open("/mnt", O_RDONLY | O_DIRECTORY));
	ck_assert_ok(rump_sys_fstat(fd, &st));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
}

VTEST(mount, umount_of_a_non_mount_point_fails_EINVAL)
{

	vt_mkdir("/d", 0755);
	ck_assert_fails(rump_sys_umount2("/d", 0), EINVAL);
	ck_assert_fails(rump_sys_umount2("/missing", 0), ENOENT);
	vt_mkdir("/mnt", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, NULL));
	ck_assert_fails(rump_sys_umount2("/mnt", 0x100), EINVAL);
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
	ck_assert_fails(rump_sys_umount2("/mnt", 0), EINVAL);
}

VTEST(mount, umount_detach_removes_a_busy_mount_from_the_tree)
{
	char buf[16];
	int fd;

	vt_mkdir("/mnt", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, NULL));
	vt_mkfile("/mnt/f", 0644, "still");
	fd = ck_nonneg(rump_sys_open("/mnt/f", O_RDONLY));
	ck_assert_ok(rump_sys_umount2("/mnt", MNT_DETACH));
	ck_assert(!vt_exists("/mnt/f"));
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 5);
	ck_assert_ok(rump_sys_close(fd));
}

/*
 * The working directory.
 */

VTEST(cwd, chdir_and_getcwd)
{
	char buf[256];

	vt_mkdir("/a", 0755);
	vt_mkdir("/a/b", 0755);
	ck_assert_int_eq(rump_sys_getcwd(buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf, "/");
	ck_assert_ok(rump_sys_chdir("/a/b"));
	ck_assert_int_eq(rump_sys_getcwd(buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "/a/b");
	ck_assert_ok(rump_sys_chdir(".."));
	ck_assert_int_eq(rump_sys_getcwd(buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "/a");
	ck_assert_ok(rump_sys_chdir("../../.."));
	ck_assert_int_eq(rump_sys_getcwd(buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf, "/");
}

VTEST(cwd, getcwd_follows_renames_of_ancestors)
{
	char buf[64];

	vt_mkdir("/a", 0755);
	vt_mkdir("/a/b", 0755);
	ck_assert_ok(rump_sys_chdir("/a/b"));
	ck_assert_ok(rump_sys_rename("/a", "/c"));
	ck_assert_int_eq(rump_sys_getcwd(buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "/c/b");
}

VTEST(cwd, getcwd_crosses_mount_points)
{
	char buf[64];

	vt_mkdir("/m", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/m", "tmpfs", 0, NULL));
	vt_mkdir("/m/sub", 0755);
	ck_assert_ok(rump_sys_chdir("/m/sub"));
	ck_assert_int_eq(rump_sys_getcwd(buf, sizeof(buf)), 7);
	ck_assert_str_eq(buf, "/m/sub");
	ck_assert_ok(rump_sys_chdir("/m"));
	ck_assert_int_eq(rump_sys_getcwd(buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "/m");
	ck_assert_ok(rump_sys_chdir("/"));
	ck_assert_ok(rump_sys_umount2("/m", 0));
}

VTEST(cwd, relative_paths_start_at_the_working_directory)
{
	int fd;

	vt_mkdir("/a", 0755);
	ck_assert_ok(rump_sys_chdir("/a"));
	fd = ck_nonneg(rump_sys_open("f", O_WRONLY | O_CREAT, 0644));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert(vt_exists("/a/f"));
	ck_assert_ok(rump_sys_mkdir("d", 0755));
	ck_assert_ok(rump_sys_rename("f", "d/g"));
	ck_assert(vt_exists("/a/d/g"));
}

VTEST(cwd, getcwd_small_buffer_fails_ERANGE_bad_buffer_EFAULT)
{
	char buf[8];

	vt_mkdir("/abcdef", 0755);
	ck_assert_ok(rump_sys_chdir("/abcdef"));
	ck_assert_fails(rump_sys_getcwd(buf, 7), ERANGE);
	ck_assert_fails(rump_sys_getcwd(buf, 0), ERANGE);
	ck_assert_int_eq(rump_sys_getcwd(buf, 8), 8);
	ck_assert_str_eq(buf, "/abcdef");
	ck_assert_fails(rump_sys_getcwd(VT_BADPTR, 8), EFAULT);
}

VTEST(cwd, getcwd_of_removed_directory_fails_ENOENT)
{
	char buf[64];

	vt_mkdir("/d", 0755);
	ck_assert_ok(rump_sys_chdir("/d"));
	ck_assert_ok(rump_sys_rmdir("/d"));
	ck_assert_fails(rump_sys_getcwd(buf, sizeof(buf)), ENOENT);
	ck_assert_fails(rump_sys_open("f", O_WRONLY | O_CREAT, 0644), ENOENT);
	ck_assert_int_eq(vt_stat(".").st_nlink, 0);
}

VTEST(cwd, names_in_a_removed_working_directory_are_ENOENT)
{
	struct stat st;

	vt_mkfile("/f", 0644, NULL);
	vt_mkdir("/d", 0755);
	ck_assert_ok(rump_sys_chdir("/d"));
	ck_assert_ok(rump_sys_rmdir("/d"));
	ck_assert_fails(rump_sys_rename("/f", "x"), ENOENT);
	ck_assert_fails(rump_sys_rename("/f", "x/"), ENOENT);
	ck_assert_fails(rump_sys_renameat2(AT_FDCWD, "/f", AT_FDCWD, "x/",
	    RENAME_NOREPLACE), ENOENT);
	ck_assert_fails(rump_sys_link("/f", "x"), ENOENT);
	ck_assert_fails(rump_sys_mkdir("x", 0755), ENOENT);
	ck_assert_fails(rump_sys_symlink("t", "x"), ENOENT);
	ck_assert_fails(rump_sys_lstat("x", &st), ENOENT);
	ck_assert_ok(rump_sys_stat(".", &st));
	ck_assert(vt_exists("/f"));
}

VTEST(cwd, chdir_errors)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_chdir("/f"), ENOTDIR);
	ck_assert_fails(rump_sys_chdir("/missing"), ENOENT);
	ck_assert_fails(rump_sys_chdir(""), ENOENT);
}

VTEST(cwd, fchdir_goes_to_an_open_directory)
{
	char buf[64];
	int fd;

	vt_mkdir("/d", 0755);
	vt_mkfile("/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_ok(rump_sys_fchdir(fd));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_int_eq(rump_sys_getcwd(buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "/d");
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_fails(rump_sys_fchdir(fd), ENOTDIR);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(cwd, fchdir_needs_search_permission)
{
	int fd;

	vt_mkdir("/d", 0644);
	fd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	vt_become(1000, 1000);
	ck_assert_fails(rump_sys_fchdir(fd), EACCES);
	vt_unbecome();
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(cwd, chroot_confines_absolute_paths_and_dotdot)
{
	char buf[64];

	vt_mkdir("/jail", 0755);
	vt_mkfile("/jail/inside", 0644, NULL);
	vt_mkfile("/outside", 0644, NULL);
	ck_assert_ok(rump_sys_chdir("/jail"));
	ck_assert_ok(rump_sys_chroot("/jail"));
	ck_assert(vt_exists("/inside"));
	ck_assert(!vt_exists("/outside"));
	ck_assert(!vt_exists("/../outside"));
	ck_assert(!vt_exists("../outside"));
	ck_assert_int_eq(vt_stat("/..").st_ino, vt_stat("/").st_ino);
	ck_assert_int_eq(rump_sys_getcwd(buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf, "/");
}

VTEST(cwd, chroot_errors)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_chroot("/f"), ENOTDIR);
	ck_assert_fails(rump_sys_chroot("/missing"), ENOENT);
	ck_assert_fails(rump_sys_chroot(VT_BADPTR), EFAULT);
}

/*
 * umask.
 */

VTEST(umask, umask_returns_the_old_mask_and_applies)
{
	int fd;

	ck_assert_int_eq(rump_sys_umask(077), 022);
	fd = ck_nonneg(rump_sys_open("/f", O_WRONLY | O_CREAT, 0666));
	ck_assert_ok(rump_sys_close(fd));
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 0600);
	ck_assert_int_eq(rump_sys_umask(0), 077);
	ck_assert_ok(rump_sys_mkdir("/d", 0777));
	ck_assert_int_eq(vt_stat("/d").st_mode & 07777, 0777);
	ck_assert_ok(rump_sys_mknod("/p", S_IFIFO | 0666, 0));
	ck_assert_int_eq(vt_stat("/p").st_mode & 07777, 0666);
	ck_assert_int_eq(rump_sys_umask(07777), 0);
	ck_assert_int_eq(rump_sys_umask(022), 0777);
}

VTEST(umask, umask_does_not_apply_to_chmod_or_symlinks)
{

	ck_assert_int_eq(rump_sys_umask(0777), 022);
	vt_symlink("x", "/l");
	ck_assert_int_eq(vt_lstat("/l").st_mode & 07777, 0777);
	ck_assert_ok(rump_sys_mknod("/f", S_IFREG, 0));
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 0);
	ck_assert_ok(rump_sys_chmod("/f", 0666));
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 0666);
}

VTEST(chmod, fchmodat2_empty_path_changes_an_O_PATH_file)
{
	int fd;

	ck_assert_ok(rump_sys_mknod("/f", S_IFREG | 0600, 0));
	fd = rump_sys_open("/f", O_PATH);
	ck_assert_int_ge(fd, 0);
	ck_assert_fails(rump_sys_fchmod(fd, 0640), EBADF);
	ck_assert_ok(rump_sys_fchmodat2(fd, "", 0640, AT_EMPTY_PATH));
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 0640);
	ck_assert_fails(rump_sys_fchmodat2(fd, "", 0600, 0), ENOENT);
	ck_assert_fails(rump_sys_fchmodat2(AT_FDCWD, "/f", 0600, 0x8000),
	    EINVAL);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(chmod, fchmodat2_nofollow_on_a_symlink_is_EOPNOTSUPP)
{

	vt_symlink("f", "/l");
	ck_assert_ok(rump_sys_mknod("/f", S_IFREG | 0600, 0));
	ck_assert_fails(rump_sys_fchmodat2(AT_FDCWD, "/l", 0644,
	    AT_SYMLINK_NOFOLLOW), EOPNOTSUPP);
	ck_assert_ok(rump_sys_fchmodat2(AT_FDCWD, "/f", 0644,
	    AT_SYMLINK_NOFOLLOW));
	ck_assert_ok(rump_sys_fchmodat2(AT_FDCWD, "/l", 0604, 0));
	ck_assert_int_eq(vt_stat("/f").st_mode & 07777, 0604);
	ck_assert_int_eq(vt_lstat("/l").st_mode & 07777, 0777);
}

int
main(void)
{

	return vt_main("attr", 60);
}
