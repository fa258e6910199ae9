/*
 * t_xattr.c: extended attributes on the tmpfs root: the twelve classic
 * calls ({,l,f}{set,get,list,remove}xattr) and Linux 6.13's *xattrat,
 * their sizes and flags, the permissions of each namespace (trusted.*
 * root's only and hidden from others' listings, user.* on regular files
 * and directories only, security.* changed by root only), the errors in
 * Linux's order, O_PATH descriptors, symbolic links, pipes, read-only
 * mounts.  Also run against the host kernel as t_xattr_host (Linux 6.18's
 * tmpfs), which proves the expectations; the few that only hold for our
 * tmpfs (its bound on a node's attributes, no POSIX ACLs) are left out
 * there.  Listings are compared sorted: each file system lists in its
 * own order.
 */

#include "vfs_test.h"

#include <sys/xattr.h>

/* linux/xattr.h (Linux 6.13): the argument of setxattrat, getxattrat. */
struct xattr_args {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

#define VX_NAME_MAX 255
#define VX_SIZE_MAX 65536
#define VX_LIST_MAX 65536

/* Set name of path to the string value. */
static void
vx_set(const char *path, const char *name, const char *value)
{

	ck_assert_msg(rump_sys_setxattr(path, name, value, strlen(value),
	    0) == 0, "setxattr %s %s: %s", path, name, strerror(errno));
}

/* The value of name of path as a string (buf has 256 bytes). */
static char *
vx_get(const char *path, const char *name, char *buf)
{
	long n;

	n = rump_sys_getxattr(path, name, buf, 255);
	ck_assert_msg(n >= 0, "getxattr %s %s: %s", path, name,
	    strerror(errno));
	buf[n] = '\0';
	return buf;
}

static int
vx_cmp(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The names of a listing of len bytes, sorted, joined by '/' into out;
 * checks that every name ends in a NUL.
 */
static char *
vx_names(const char *list, long len, char *out, size_t size)
{
	const char *names[2048];
	long off;
	int n = 0, i;

	for (off = 0; off < len; off += (long)strlen(list + off) + 1) {
		ck_assert_msg(memchr(list + off, '\0', (size_t)(len - off)) !=
		    NULL, "a name without its NUL");
		ck_assert_int_lt(n, 2048);
		names[n++] = list + off;
	}
	qsort(names, (size_t)n, sizeof(names[0]), vx_cmp);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(out, "/", size - strlen(out) - 1);
		strncat(out, names[i], size - strlen(out) - 1);
	}
	return out;
}

/* listxattr of path, as vx_names joins it. */
static char *
vx_list(const char *path, char *out, size_t size)
{
	static char list[VX_LIST_MAX];
	long len;

	len = rump_sys_listxattr(path, list, sizeof(list));
	ck_assert_msg(len >= 0, "listxattr %s: %s", path, strerror(errno));
	return vx_names(list, len, out, size);
}

#define ck_assert_xattrs(path, expect) do { \
	char xb_[8192]; \
	ck_assert_str_eq(vx_list((path), xb_, sizeof(xb_)), (expect)); \
} while (0)

#define ck_assert_xattr(path, name, expect) do { \
	char vb_[256]; \
	ck_assert_str_eq(vx_get((path), (name), vb_), (expect)); \
} while (0)

/*
 * Set, get, list, remove.
 */
VTEST(basic, set_then_get_gives_the_value_back)
{
	char buf[16];

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_setxattr("/f", "user.a", "hello", 5, 0));
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.a", buf, sizeof(buf)),
	    5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
}

VTEST(basic, set_again_replaces_the_value)
{

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.a", "one");
	vx_set("/f", "user.a", "three");
	ck_assert_xattr("/f", "user.a", "three");
	vx_set("/f", "user.a", "x");
	ck_assert_xattr("/f", "user.a", "x");
	ck_assert_xattrs("/f", "user.a");
}

VTEST(basic, get_of_an_absent_name_is_ENODATA)
{
	char buf[16];

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_getxattr("/f", "user.a", buf, sizeof(buf)),
	    ENODATA);
	ck_assert_fails(rump_sys_getxattr("/f", "user.a", NULL, 0), ENODATA);
}

VTEST(basic, size_zero_gives_the_length_only)
{
	char buf[4] = "xyz";

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.a", "hello");
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.a", NULL, 0), 5);
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.a", buf, 0), 5);
	ck_assert_str_eq(buf, "xyz");
	/* A bad buffer is not touched either. */
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.a", VT_BADPTR, 0), 5);
}

VTEST(basic, a_buffer_too_small_is_ERANGE)
{
	char buf[8];

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.a", "hello");
	ck_assert_fails(rump_sys_getxattr("/f", "user.a", buf, 4), ERANGE);
	ck_assert_fails(rump_sys_getxattr("/f", "user.a", NULL, 3), ERANGE);
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.a", buf, 5), 5);
}

VTEST(basic, a_buffer_over_XATTR_SIZE_MAX_is_clamped)
{
	static char big[1 << 20];

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.a", "hello");
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.a", big, sizeof(big)),
	    5);
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.a", big,
	    (size_t)-1 >> 1), 5);
	ck_assert_int_eq(memcmp(big, "hello", 5), 0);
}

VTEST(basic, an_empty_value_is_a_value)
{
	char buf[8];

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_setxattr("/f", "user.e", NULL, 0, 0));
	ck_assert_ok(rump_sys_setxattr("/f", "user.f", "", 0, 0));
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.e", buf, sizeof(buf)),
	    0);
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.f", NULL, 0), 0);
	ck_assert_xattrs("/f", "user.e/user.f");
}

VTEST(basic, a_value_may_hold_any_bytes)
{
	char v[256], buf[256];
	int i;

	for (i = 0; i < 256; i++)
		v[i] = (char)i;
	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_setxattr("/f", "user.bin", v, sizeof(v), 0));
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.bin", buf, sizeof(buf)),
	    256);
	ck_assert_int_eq(memcmp(v, buf, sizeof(v)), 0);
}

VTEST(basic, remove_then_get_is_ENODATA)
{

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.a", "1");
	vx_set("/f", "user.b", "2");
	ck_assert_ok(rump_sys_removexattr("/f", "user.a"));
	ck_assert_fails(rump_sys_getxattr("/f", "user.a", NULL, 0), ENODATA);
	ck_assert_xattrs("/f", "user.b");
	ck_assert_fails(rump_sys_removexattr("/f", "user.a"), ENODATA);
	ck_assert_fails(rump_sys_removexattr("/f", "user.never"), ENODATA);
}

VTEST(basic, a_directory_has_user_attributes)
{

	vt_mkdir("/d", 0755);
	vx_set("/d", "user.a", "dir");
	ck_assert_xattr("/d", "user.a", "dir");
	ck_assert_xattrs("/d", "user.a");
	ck_assert_ok(rump_sys_removexattr("/d", "user.a"));
	ck_assert_xattrs("/d", "");
}

VTEST(basic, root_uses_every_namespace)
{

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.u", "1");
	vx_set("/f", "trusted.t", "2");
	vx_set("/f", "security.s", "3");
	ck_assert_xattr("/f", "trusted.t", "2");
	ck_assert_xattr("/f", "security.s", "3");
	ck_assert_xattrs("/f", "security.s/trusted.t/user.u");
	ck_assert_ok(rump_sys_removexattr("/f", "trusted.t"));
	ck_assert_ok(rump_sys_removexattr("/f", "security.s"));
	ck_assert_xattrs("/f", "user.u");
}

VTEST(basic, attributes_belong_to_the_file_not_the_name)
{

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.a", "1");
	ck_assert_ok(rump_sys_link("/f", "/g"));
	ck_assert_xattr("/g", "user.a", "1");
	vx_set("/g", "user.b", "2");
	ck_assert_ok(rump_sys_rename("/f", "/h"));
	ck_assert_xattrs("/h", "user.a/user.b");
	ck_assert_ok(rump_sys_unlink("/h"));
	ck_assert_ok(rump_sys_unlink("/g"));
	/* A new file of the same name starts without any. */
	vt_mkfile("/g", 0644, NULL);
	ck_assert_xattrs("/g", "");
}

VTEST(basic, an_unlinked_open_file_keeps_its_attributes)
{
	char buf[8];
	int fd;

	fd = ck_nonneg(rump_sys_open("/f", O_CREAT | O_RDWR, 0644));
	vx_set("/f", "user.a", "1");
	ck_assert_ok(rump_sys_unlink("/f"));
	ck_assert_ok(rump_sys_fsetxattr(fd, "user.b", "22", 2, 0));
	ck_assert_int_eq(rump_sys_fgetxattr(fd, "user.a", buf, sizeof(buf)),
	    1);
	ck_assert_int_eq(rump_sys_flistxattr(fd, NULL, 0), 14);
	ck_assert_ok(rump_sys_close(fd));	/* and they are freed */
}

/*
 * XATTR_CREATE and XATTR_REPLACE.
 */
VTEST(flags, create_fails_EEXIST_when_present)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_setxattr("/f", "user.a", "1", 1, XATTR_CREATE));
	ck_assert_fails(rump_sys_setxattr("/f", "user.a", "2", 1,
	    XATTR_CREATE), EEXIST);
	ck_assert_xattr("/f", "user.a", "1");
}

VTEST(flags, replace_fails_ENODATA_when_absent)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_setxattr("/f", "user.a", "1", 1,
	    XATTR_REPLACE), ENODATA);
	ck_assert_fails(rump_sys_getxattr("/f", "user.a", NULL, 0), ENODATA);
	vx_set("/f", "user.a", "1");
	ck_assert_ok(rump_sys_setxattr("/f", "user.a", "22", 2,
	    XATTR_REPLACE));
	ck_assert_xattr("/f", "user.a", "22");
}

VTEST(flags, create_and_replace_together_fail_both_ways)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_setxattr("/f", "user.a", "1", 1,
	    XATTR_CREATE | XATTR_REPLACE), ENODATA);
	vx_set("/f", "user.a", "1");
	ck_assert_fails(rump_sys_setxattr("/f", "user.a", "2", 1,
	    XATTR_CREATE | XATTR_REPLACE), EEXIST);
}

VTEST(flags, other_flags_are_EINVAL_before_the_lookup)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_setxattr("/f", "user.a", "1", 1, 4), EINVAL);
	ck_assert_fails(rump_sys_setxattr("/nonexistent", "user.a", "1", 1,
	    4), EINVAL);
	ck_assert_fails(rump_sys_setxattr("/f", "user.a", "1", 1, -1),
	    EINVAL);
	ck_assert_fails(rump_sys_getxattr("/f", "user.a", NULL, 0), ENODATA);
}

/*
 * Names.
 */
VTEST(names, empty_or_over_255_bytes_is_ERANGE)
{
	char name[300], buf[8];

	vt_mkfile("/f", 0644, NULL);
	memset(name, 'a', sizeof(name));
	memcpy(name, "user.", 5);
	name[VX_NAME_MAX] = '\0';
	ck_assert_ok(rump_sys_setxattr("/f", name, "1", 1, 0));
	ck_assert_int_eq(rump_sys_getxattr("/f", name, buf, sizeof(buf)), 1);
	ck_assert_int_eq(rump_sys_listxattr("/f", NULL, 0), VX_NAME_MAX + 1);
	ck_assert_ok(rump_sys_removexattr("/f", name));
	name[VX_NAME_MAX] = 'a';
	name[VX_NAME_MAX + 1] = '\0';
	ck_assert_fails(rump_sys_setxattr("/f", name, "1", 1, 0), ERANGE);
	ck_assert_fails(rump_sys_getxattr("/f", name, buf, sizeof(buf)),
	    ERANGE);
	ck_assert_fails(rump_sys_removexattr("/f", name), ERANGE);
	ck_assert_fails(rump_sys_setxattr("/f", "", "1", 1, 0), ERANGE);
	ck_assert_fails(rump_sys_getxattr("/f", "", buf, sizeof(buf)),
	    ERANGE);
	ck_assert_fails(rump_sys_removexattr("/f", ""), ERANGE);
}

VTEST(names, bad_names_are_refused_before_the_lookup)
{
	char name[300];

	memset(name, 'a', sizeof(name));
	name[sizeof(name) - 1] = '\0';
	ck_assert_fails(rump_sys_setxattr("/nonexistent", "", "1", 1, 0),
	    ERANGE);
	ck_assert_fails(rump_sys_getxattr("/nonexistent", name, NULL, 0),
	    ERANGE);
	ck_assert_fails(rump_sys_removexattr("/nonexistent", ""), ERANGE);
	ck_assert_fails(rump_sys_getxattr("/nonexistent", VT_BADPTR, NULL,
	    0), EFAULT);
	/* A name that is well formed but unknown waits for the file. */
	ck_assert_fails(rump_sys_getxattr("/nonexistent", "foo.x", NULL, 0),
	    ENOENT);
}

VTEST(names, an_unknown_namespace_is_EOPNOTSUPP)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_setxattr("/f", "foo.x", "1", 1, 0),
	    EOPNOTSUPP);
	ck_assert_fails(rump_sys_setxattr("/f", "foo", "1", 1, 0),
	    EOPNOTSUPP);
	ck_assert_fails(rump_sys_setxattr("/f", "User.x", "1", 1, 0),
	    EOPNOTSUPP);
	ck_assert_fails(rump_sys_setxattr("/f", "user", "1", 1, 0),
	    EOPNOTSUPP);
	ck_assert_fails(rump_sys_getxattr("/f", "foo.x", NULL, 0),
	    EOPNOTSUPP);
	ck_assert_fails(rump_sys_removexattr("/f", "foo.x"), EOPNOTSUPP);
}

VTEST(names, a_bare_prefix_is_EINVAL)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_setxattr("/f", "user.", "1", 1, 0), EINVAL);
	ck_assert_fails(rump_sys_setxattr("/f", "trusted.", "1", 1, 0),
	    EINVAL);
	ck_assert_fails(rump_sys_setxattr("/f", "security.", "1", 1, 0),
	    EINVAL);
	ck_assert_fails(rump_sys_getxattr("/f", "user.", NULL, 0), EINVAL);
	ck_assert_fails(rump_sys_removexattr("/f", "user."), EINVAL);
	/* system.* has no prefix of its own: only whole names. */
	ck_assert_fails(rump_sys_getxattr("/f", "system.", NULL, 0),
	    EOPNOTSUPP);
}

VTEST(names, system_names_other_than_acls_are_EOPNOTSUPP)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_setxattr("/f", "system.foo", "1", 1, 0),
	    EOPNOTSUPP);
	ck_assert_fails(rump_sys_getxattr("/f", "system.foo", NULL, 0),
	    EOPNOTSUPP);
	ck_assert_fails(rump_sys_removexattr("/f", "system.foo"),
	    EOPNOTSUPP);
}

#ifndef HOST_MODE
/* No POSIX ACLs: as a file system mounted noacl (the host's tmpfs has
 * them, so this is ours only). */
VTEST(names, posix_acl_names_are_EOPNOTSUPP)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(rump_sys_getxattr("/f", "system.posix_acl_access",
	    NULL, 0), EOPNOTSUPP);
	ck_assert_fails(rump_sys_setxattr("/f", "system.posix_acl_default",
	    "x", 1, 0), EOPNOTSUPP);
	ck_assert_int_eq(rump_sys_listxattr("/f", NULL, 0), 0);
}
#endif

/*
 * Sizes.
 */
VTEST(sizes, a_value_of_64KiB_works_and_one_byte_more_is_E2BIG)
{
	static char v[VX_SIZE_MAX + 1], buf[VX_SIZE_MAX + 1];
	size_t i;

	for (i = 0; i < sizeof(v); i++)
		v[i] = (char)(i * 7);
	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_setxattr("/f", "user.big", v, VX_SIZE_MAX, 0));
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.big", NULL, 0),
	    VX_SIZE_MAX);
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.big", buf,
	    VX_SIZE_MAX), VX_SIZE_MAX);
	ck_assert_int_eq(memcmp(v, buf, VX_SIZE_MAX), 0);
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.big", buf,
	    sizeof(buf)), VX_SIZE_MAX);
	ck_assert_fails(rump_sys_getxattr("/f", "user.big", buf,
	    VX_SIZE_MAX - 1), ERANGE);
	ck_assert_fails(rump_sys_setxattr("/f", "user.big2", v,
	    VX_SIZE_MAX + 1, 0), E2BIG);
	ck_assert_fails(rump_sys_setxattr("/nonexistent", "user.big2", v,
	    VX_SIZE_MAX + 1, 0), E2BIG);
	ck_assert_fails(rump_sys_getxattr("/f", "user.big2", NULL, 0),
	    ENODATA);
}

VTEST(sizes, many_names_are_all_listed)
{
	static char list[VX_LIST_MAX];
	char name[32], value[16], buf[16];
	long len, off;
	int i, n;

	vt_mkfile("/f", 0644, NULL);
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "user.n%04d", i);
		snprintf(value, sizeof(value), "%d", i);
		vx_set("/f", name, value);
	}
	len = rump_sys_listxattr("/f", NULL, 0);
	ck_assert_int_eq(len, 1000 * 11);
	ck_assert_int_eq(rump_sys_listxattr("/f", list, sizeof(list)), len);
	for (off = 0, n = 0; off < len; off += 11, n++) {
		ck_assert_int_eq(strlen(list + off), 10);
		ck_assert_int_eq(strncmp(list + off, "user.n", 6), 0);
		i = atoi(list + off + 6);
		snprintf(value, sizeof(value), "%d", i);
		ck_assert_str_eq(vx_get("/f", list + off, buf), value);
	}
	ck_assert_int_eq(n, 1000);
	for (i = 0; i < 1000; i += 2) {
		snprintf(name, sizeof(name), "user.n%04d", i);
		ck_assert_ok(rump_sys_removexattr("/f", name));
	}
	ck_assert_int_eq(rump_sys_listxattr("/f", NULL, 0), 500 * 11);
	ck_assert_fails(rump_sys_getxattr("/f", "user.n0998", NULL, 0),
	    ENODATA);
	ck_assert_str_eq(vx_get("/f", "user.n0999", buf), "999");
}

VTEST(sizes, list_probes_and_ERANGE_like_get)
{
	char list[64], out[256];

	vt_mkfile("/f", 0644, NULL);
	ck_assert_int_eq(rump_sys_listxattr("/f", NULL, 0), 0);
	ck_assert_int_eq(rump_sys_listxattr("/f", list, sizeof(list)), 0);
	vx_set("/f", "user.a", "1");
	vx_set("/f", "user.bb", "2");
	ck_assert_int_eq(rump_sys_listxattr("/f", NULL, 0), 15);
	ck_assert_fails(rump_sys_listxattr("/f", list, 14), ERANGE);
	ck_assert_int_eq(rump_sys_listxattr("/f", list, 15), 15);
	ck_assert_str_eq(vx_names(list, 15, out, sizeof(out)),
	    "user.a/user.bb");
	ck_assert_int_eq(rump_sys_listxattr("/f", list, (size_t)-1 >> 1), 15);
}

VTEST(sizes, bad_buffers_are_EFAULT)
{

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.a", "1");
	ck_assert_fails(rump_sys_getxattr("/f", "user.a", VT_BADPTR, 8),
	    EFAULT);
	ck_assert_fails(rump_sys_listxattr("/f", VT_BADPTR, 8), EFAULT);
	ck_assert_fails(rump_sys_listxattr("/f", NULL, 8), EFAULT);
	ck_assert_fails(rump_sys_setxattr("/f", "user.b", VT_BADPTR, 8, 0),
	    EFAULT);
	ck_assert_fails(rump_sys_setxattr("/f", "user.b", NULL, 1, 0),
	    EFAULT);
	/* The value is copied before the lookup. */
	ck_assert_fails(rump_sys_setxattr("/nonexistent", "user.b", NULL, 1,
	    0), EFAULT);
	ck_assert_fails(rump_sys_getxattr("/f", "user.b", NULL, 0), ENODATA);
}

/*
 * Times.
 */
VTEST(times, set_and_remove_change_ctime_only)
{
	struct stat a, b;
	char buf[8];

	vt_mkfile("/f", 0644, NULL);
	a = vt_stat("/f");
	vt_tick();
	vx_set("/f", "user.a", "1");
	b = vt_stat("/f");
	ck_assert_int_gt(vt_ts_ns(&b.st_ctim), vt_ts_ns(&a.st_ctim));
	ck_assert_int_eq(vt_ts_ns(&b.st_mtim), vt_ts_ns(&a.st_mtim));
	vt_tick();
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.a", buf, sizeof(buf)),
	    1);
	ck_assert_int_eq(rump_sys_listxattr("/f", buf, sizeof(buf)), 7);
	a = vt_stat("/f");
	ck_assert_int_eq(vt_ts_ns(&a.st_ctim), vt_ts_ns(&b.st_ctim));
	vt_tick();
	ck_assert_ok(rump_sys_removexattr("/f", "user.a"));
	a = vt_stat("/f");
	ck_assert_int_gt(vt_ts_ns(&a.st_ctim), vt_ts_ns(&b.st_ctim));
	ck_assert_int_eq(vt_ts_ns(&a.st_mtim), vt_ts_ns(&b.st_mtim));
}

/*
 * Symbolic links and other file types.
 */
VTEST(links, the_path_calls_follow_a_final_symlink)
{
	char buf[8];

	vt_mkfile("/f", 0644, NULL);
	vt_symlink("f", "/l");
	vx_set("/l", "user.a", "1");
	ck_assert_xattr("/f", "user.a", "1");
	ck_assert_xattrs("/l", "user.a");
	ck_assert_int_eq(rump_sys_getxattr("/l", "user.a", buf, sizeof(buf)),
	    1);
	ck_assert_ok(rump_sys_removexattr("/l", "user.a"));
	ck_assert_xattrs("/f", "");
}

VTEST(links, l_calls_act_on_the_link_which_has_no_user_attributes)
{
	char buf[8];

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.a", "1");
	vt_symlink("f", "/l");
	ck_assert_fails(rump_sys_lsetxattr("/l", "user.a", "1", 1, 0), EPERM);
	ck_assert_fails(rump_sys_lgetxattr("/l", "user.a", buf, sizeof(buf)),
	    ENODATA);
	ck_assert_fails(rump_sys_lremovexattr("/l", "user.a"), EPERM);
	ck_assert_int_eq(rump_sys_llistxattr("/l", buf, sizeof(buf)), 0);
}

VTEST(links, a_link_has_trusted_and_security_attributes_of_its_own)
{
	char out[256], list[64];
	long n;

	vt_mkfile("/f", 0644, NULL);
	vt_symlink("f", "/l");
	ck_assert_ok(rump_sys_lsetxattr("/l", "trusted.t", "link", 4, 0));
	ck_assert_ok(rump_sys_lsetxattr("/l", "security.s", "x", 1, 0));
	ck_assert_int_eq(rump_sys_lgetxattr("/l", "trusted.t", list,
	    sizeof(list)), 4);
	ck_assert_fails(rump_sys_getxattr("/l", "trusted.t", NULL, 0),
	    ENODATA);
	n = rump_sys_llistxattr("/l", list, sizeof(list));
	ck_assert_int_eq(n, 21);
	ck_assert_str_eq(vx_names(list, n, out, sizeof(out)),
	    "security.s/trusted.t");
	ck_assert_xattrs("/l", "");
	ck_assert_ok(rump_sys_lremovexattr("/l", "trusted.t"));
	ck_assert_int_eq(rump_sys_llistxattr("/l", NULL, 0), 11);
}

VTEST(links, device_and_fifo_nodes_have_no_user_attributes)
{
	const char *paths[] = { "/c", "/p" };
	char buf[8];
	int i;

	ck_assert_ok(rump_sys_mknod("/c", S_IFCHR | 0666, makedev(1, 3)));
	ck_assert_ok(rump_sys_mknod("/p", S_IFIFO | 0666, 0));
	for (i = 0; i < 2; i++) {
		ck_assert_fails(rump_sys_setxattr(paths[i], "user.a", "1", 1,
		    0), EPERM);
		ck_assert_fails(rump_sys_getxattr(paths[i], "user.a", buf,
		    sizeof(buf)), ENODATA);
		ck_assert_fails(rump_sys_removexattr(paths[i], "user.a"),
		    EPERM);
		vx_set(paths[i], "trusted.a", "1");
		ck_assert_xattr(paths[i], "trusted.a", "1");
		ck_assert_xattrs(paths[i], "trusted.a");
	}
}

VTEST(links, a_pipe_has_no_attributes)
{
	int p[2];
	char buf[8];

	ck_assert_ok(rump_sys_pipe(p));
	ck_assert_fails(rump_sys_fgetxattr(p[0], "user.a", buf, sizeof(buf)),
	    ENODATA);
	ck_assert_fails(rump_sys_fsetxattr(p[0], "user.a", "1", 1, 0), EPERM);
	ck_assert_fails(rump_sys_fremovexattr(p[1], "user.a"), EPERM);
	ck_assert_int_eq(rump_sys_flistxattr(p[0], buf, sizeof(buf)), 0);
	ck_assert_fails(rump_sys_fgetxattr(p[0], "trusted.a", buf,
	    sizeof(buf)), EOPNOTSUPP);
	ck_assert_fails(rump_sys_fsetxattr(p[1], "security.a", "1", 1, 0),
	    EOPNOTSUPP);
	ck_assert_ok(rump_sys_close(p[0]));
	ck_assert_ok(rump_sys_close(p[1]));
}

/*
 * Descriptors.
 */
VTEST(fd, f_calls_act_on_the_open_file)
{
	char buf[64], out[64];
	long n;
	int fd;

	vt_mkfile("/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	/* Changing needs permission on the file, not a writable descriptor. */
	ck_assert_ok(rump_sys_fsetxattr(fd, "user.a", "1", 1, 0));
	ck_assert_ok(rump_sys_fsetxattr(fd, "user.b", "2", 1, XATTR_CREATE));
	ck_assert_int_eq(rump_sys_fgetxattr(fd, "user.a", buf, sizeof(buf)),
	    1);
	ck_assert_int_eq(rump_sys_fgetxattr(fd, "user.a", NULL, 0), 1);
	n = rump_sys_flistxattr(fd, buf, 0);
	ck_assert_int_eq(n, 14);
	ck_assert_int_eq(rump_sys_flistxattr(fd, out, sizeof(out)), 14);
	ck_assert_str_eq(vx_names(out, 14, buf, sizeof(buf)),
	    "user.a/user.b");
	ck_assert_ok(rump_sys_fremovexattr(fd, "user.a"));
	ck_assert_fails(rump_sys_fremovexattr(fd, "user.a"), ENODATA);
	ck_assert_xattrs("/f", "user.b");
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(fd, f_calls_on_an_O_PATH_descriptor_are_EBADF)
{
	char buf[8];
	int fd;

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.a", "1");
	fd = ck_nonneg(rump_sys_open("/f", O_PATH));
	ck_assert_fails(rump_sys_fsetxattr(fd, "user.b", "1", 1, 0), EBADF);
	ck_assert_fails(rump_sys_fgetxattr(fd, "user.a", buf, sizeof(buf)),
	    EBADF);
	ck_assert_fails(rump_sys_flistxattr(fd, buf, sizeof(buf)), EBADF);
	ck_assert_fails(rump_sys_fremovexattr(fd, "user.a"), EBADF);
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(fd, f_calls_on_a_bad_descriptor_are_EBADF)
{
	char buf[8];

	ck_assert_fails(rump_sys_fgetxattr(-1, "user.a", buf, sizeof(buf)),
	    EBADF);
	ck_assert_fails(rump_sys_fsetxattr(1000, "user.a", "1", 1, 0), EBADF);
	ck_assert_fails(rump_sys_flistxattr(-1, buf, sizeof(buf)), EBADF);
	ck_assert_fails(rump_sys_fremovexattr(-5, "user.a"), EBADF);
	/* The name is checked first. */
	ck_assert_fails(rump_sys_fgetxattr(-1, "", buf, sizeof(buf)), ERANGE);
}

/*
 * A quirk of Linux 6.13 and later: f*xattr are the *at calls with a NULL
 * path and AT_EMPTY_PATH, and getxattrat and setxattrat take AT_FDCWD as
 * the working directory there (listxattrat and removexattrat do not).
 */
VTEST(fd, fget_and_fset_take_AT_FDCWD_as_the_working_directory)
{
	char buf[8];

	vt_mkdir("/d", 0755);
	ck_assert_ok(rump_sys_chdir("/d"));
	ck_assert_ok(rump_sys_fsetxattr(AT_FDCWD, "user.cwd", "1", 1, 0));
	ck_assert_xattr("/d", "user.cwd", "1");
	ck_assert_int_eq(rump_sys_fgetxattr(AT_FDCWD, "user.cwd", buf,
	    sizeof(buf)), 1);
	ck_assert_fails(rump_sys_flistxattr(AT_FDCWD, buf, sizeof(buf)),
	    EBADF);
	ck_assert_fails(rump_sys_fremovexattr(AT_FDCWD, "user.cwd"), EBADF);
	ck_assert_xattrs("/d", "user.cwd");
}

/*
 * The *at calls.
 */
static long
vx_getat(int dirfd, const char *path, unsigned int at_flags,
    const char *name, void *buf, uint32_t size)
{
	struct xattr_args args = { (uintptr_t)buf, size, 0 };

	return rump_sys_getxattrat(dirfd, path, at_flags, name, &args,
	    sizeof(args));
}

static long
vx_setat(int dirfd, const char *path, unsigned int at_flags,
    const char *name, const char *value, uint32_t flags)
{
	struct xattr_args args = { (uintptr_t)value,
	    value != NULL ? (uint32_t)strlen(value) : 0, flags };

	return rump_sys_setxattrat(dirfd, path, at_flags, name, &args,
	    sizeof(args));
}

VTEST(at, the_at_calls_work_relative_to_a_directory)
{
	char buf[16], list[64];
	int dfd;

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	dfd = ck_nonneg(rump_sys_open("/d", O_RDONLY | O_DIRECTORY));
	ck_assert_ok(vx_setat(dfd, "f", 0, "user.a", "hello", 0));
	ck_assert_xattr("/d/f", "user.a", "hello");
	ck_assert_int_eq(vx_getat(dfd, "f", 0, "user.a", buf, sizeof(buf)),
	    5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
	ck_assert_int_eq(vx_getat(dfd, "f", 0, "user.a", NULL, 0), 5);
	ck_assert_fails(vx_getat(dfd, "f", 0, "user.a", buf, 4), ERANGE);
	ck_assert_int_eq(rump_sys_listxattrat(dfd, "f", 0, list,
	    sizeof(list)), 7);
	ck_assert_str_eq(list, "user.a");
	ck_assert_fails(vx_setat(dfd, "f", 0, "user.a", "x", XATTR_CREATE),
	    EEXIST);
	ck_assert_ok(rump_sys_removexattrat(dfd, "f", 0, "user.a"));
	ck_assert_fails(rump_sys_removexattrat(dfd, "f", 0, "user.a"),
	    ENODATA);
	ck_assert_fails(vx_getat(dfd, "g", 0, "user.a", NULL, 0), ENOENT);
	ck_assert_ok(rump_sys_close(dfd));
}

/* What a FUSE server does with a directory it holds by an O_PATH
 * descriptor: the names in it. */
VTEST(at, an_O_PATH_directory_and_a_name_work)
{
	char buf[16];
	int dfd;

	vt_mkdir("/d", 0755);
	vt_mkfile("/d/f", 0644, NULL);
	vt_symlink("f", "/d/l");
	dfd = ck_nonneg(rump_sys_open("/d", O_PATH | O_DIRECTORY));
	ck_assert_ok(vx_setat(dfd, "f", 0, "user.a", "1", 0));
	ck_assert_int_eq(vx_getat(dfd, "f", 0, "user.a", buf, sizeof(buf)),
	    1);
	ck_assert_int_eq(rump_sys_listxattrat(dfd, "f", 0, buf, sizeof(buf)),
	    7);
	ck_assert_ok(vx_setat(dfd, "l", AT_SYMLINK_NOFOLLOW, "trusted.a", "2",
	    0));
	ck_assert_int_eq(rump_sys_listxattrat(dfd, "l", AT_SYMLINK_NOFOLLOW,
	    NULL, 0), 10);
	ck_assert_ok(rump_sys_removexattrat(dfd, "f", 0, "user.a"));
	ck_assert_ok(vx_setat(dfd, ".", 0, "user.dir", "3", 0));
	ck_assert_xattr("/d", "user.dir", "3");
	ck_assert_ok(rump_sys_close(dfd));
}

VTEST(at, AT_EMPTY_PATH_acts_on_the_descriptor)
{
	char buf[16];
	int fd;

	vt_mkfile("/f", 0644, NULL);
	fd = ck_nonneg(rump_sys_open("/f", O_RDONLY));
	ck_assert_ok(vx_setat(fd, "", AT_EMPTY_PATH, "user.a", "1", 0));
	ck_assert_ok(vx_setat(fd, NULL, AT_EMPTY_PATH, "user.b", "2", 0));
	ck_assert_xattrs("/f", "user.a/user.b");
	ck_assert_int_eq(vx_getat(fd, "", AT_EMPTY_PATH, "user.a", buf,
	    sizeof(buf)), 1);
	ck_assert_int_eq(vx_getat(fd, NULL, AT_EMPTY_PATH, "user.b", buf,
	    sizeof(buf)), 1);
	ck_assert_int_eq(rump_sys_listxattrat(fd, "", AT_EMPTY_PATH, NULL, 0),
	    14);
	ck_assert_int_eq(rump_sys_listxattrat(fd, NULL, AT_EMPTY_PATH, NULL,
	    0), 14);
	ck_assert_ok(rump_sys_removexattrat(fd, "", AT_EMPTY_PATH, "user.a"));
	ck_assert_ok(rump_sys_removexattrat(fd, NULL, AT_EMPTY_PATH,
	    "user.b"));
	ck_assert_xattrs("/f", "");
	/* Without AT_EMPTY_PATH, "" names nothing and NULL is a bad path. */
	ck_assert_fails(vx_getat(fd, "", 0, "user.a", NULL, 0), ENOENT);
	ck_assert_fails(vx_getat(fd, NULL, 0, "user.a", NULL, 0), EFAULT);
	ck_assert_fails(rump_sys_listxattrat(fd, "", 0, NULL, 0), ENOENT);
	ck_assert_ok(rump_sys_close(fd));
}

/*
 * Linux 6.18 takes an AT_EMPTY_PATH descriptor as f*xattr take theirs:
 * an O_PATH one is EBADF (its file is reached with a name instead: see
 * an_O_PATH_directory_and_a_name_work).
 */
VTEST(at, AT_EMPTY_PATH_on_an_O_PATH_descriptor_is_EBADF)
{
	char buf[16];
	int fd;

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.a", "1");
	fd = ck_nonneg(rump_sys_open("/f", O_PATH));
	ck_assert_fails(vx_setat(fd, "", AT_EMPTY_PATH, "user.b", "1", 0),
	    EBADF);
	ck_assert_fails(vx_getat(fd, "", AT_EMPTY_PATH, "user.a", buf,
	    sizeof(buf)), EBADF);
	ck_assert_fails(rump_sys_listxattrat(fd, "", AT_EMPTY_PATH, buf,
	    sizeof(buf)), EBADF);
	ck_assert_fails(rump_sys_removexattrat(fd, "", AT_EMPTY_PATH,
	    "user.a"), EBADF);
	ck_assert_fails(vx_getat(fd, NULL, AT_EMPTY_PATH, "user.a", buf,
	    sizeof(buf)), EBADF);
	ck_assert_xattrs("/f", "user.a");
	ck_assert_ok(rump_sys_close(fd));
}

VTEST(at, AT_EMPTY_PATH_with_AT_FDCWD_gets_and_sets_the_working_directory)
{
	char buf[16];

	vt_mkdir("/d", 0755);
	ck_assert_ok(rump_sys_chdir("/d"));
	ck_assert_ok(vx_setat(AT_FDCWD, "", AT_EMPTY_PATH, "user.a", "1", 0));
	ck_assert_ok(vx_setat(AT_FDCWD, NULL, AT_EMPTY_PATH, "user.b", "2",
	    0));
	ck_assert_xattrs("/d", "user.a/user.b");
	ck_assert_int_eq(vx_getat(AT_FDCWD, "", AT_EMPTY_PATH, "user.a", buf,
	    sizeof(buf)), 1);
	ck_assert_fails(rump_sys_listxattrat(AT_FDCWD, "", AT_EMPTY_PATH,
	    buf, sizeof(buf)), EBADF);
	ck_assert_fails(rump_sys_removexattrat(AT_FDCWD, "", AT_EMPTY_PATH,
	    "user.a"), EBADF);
	ck_assert_xattrs("/d", "user.a/user.b");
	/* Another negative descriptor is no directory. */
	ck_assert_fails(vx_getat(-5, "", AT_EMPTY_PATH, "user.b", buf,
	    sizeof(buf)), EBADF);
}

VTEST(at, AT_SYMLINK_NOFOLLOW_acts_on_the_link)
{
	char buf[16];

	vt_mkfile("/f", 0644, NULL);
	vt_symlink("f", "/l");
	ck_assert_ok(vx_setat(AT_FDCWD, "/l", 0, "user.a", "1", 0));
	ck_assert_xattr("/f", "user.a", "1");
	ck_assert_fails(vx_setat(AT_FDCWD, "/l", AT_SYMLINK_NOFOLLOW,
	    "user.a", "1", 0), EPERM);
	ck_assert_fails(vx_getat(AT_FDCWD, "/l", AT_SYMLINK_NOFOLLOW,
	    "user.a", buf, sizeof(buf)), ENODATA);
	ck_assert_int_eq(rump_sys_listxattrat(AT_FDCWD, "/l",
	    AT_SYMLINK_NOFOLLOW, buf, sizeof(buf)), 0);
	ck_assert_int_eq(rump_sys_listxattrat(AT_FDCWD, "/l", 0, buf,
	    sizeof(buf)), 7);
	ck_assert_fails(rump_sys_removexattrat(AT_FDCWD, "/l",
	    AT_SYMLINK_NOFOLLOW, "user.a"), EPERM);
	ck_assert_ok(rump_sys_removexattrat(AT_FDCWD, "/l", 0, "user.a"));
}

VTEST(at, other_at_flags_are_EINVAL)
{
	char buf[16];

	vt_mkfile("/f", 0644, NULL);
	ck_assert_fails(vx_setat(AT_FDCWD, "/f", AT_SYMLINK_FOLLOW, "user.a",
	    "1", 0), EINVAL);
	ck_assert_fails(vx_getat(AT_FDCWD, "/f", AT_REMOVEDIR, "user.a", buf,
	    sizeof(buf)), EINVAL);
	ck_assert_fails(rump_sys_listxattrat(AT_FDCWD, "/f", 0x10000, buf,
	    sizeof(buf)), EINVAL);
	ck_assert_fails(rump_sys_removexattrat(AT_FDCWD, "/f", AT_NO_AUTOMOUNT,
	    "user.a"), EINVAL);
	/* Before the name and the path. */
	ck_assert_fails(vx_setat(AT_FDCWD, "/nonexistent", AT_SYMLINK_FOLLOW,
	    "", "1", 0), EINVAL);
	ck_assert_fails(rump_sys_removexattrat(AT_FDCWD, "/nonexistent",
	    AT_SYMLINK_FOLLOW, ""), EINVAL);
}

VTEST(at, xattr_args_size_and_flags_are_checked)
{
	struct xattr_args args = { 0, 0, 0 };
	unsigned char big[64];
	char buf[16];

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.a", "1");
	args.value = (uintptr_t)buf;
	args.size = sizeof(buf);
	ck_assert_fails(rump_sys_getxattrat(AT_FDCWD, "/f", 0, "user.a",
	    &args, 15), EINVAL);
	ck_assert_fails(rump_sys_getxattrat(AT_FDCWD, "/f", 0, "user.a",
	    &args, 0), EINVAL);
	ck_assert_fails(rump_sys_setxattrat(AT_FDCWD, "/f", 0, "user.a",
	    &args, 8), EINVAL);
	ck_assert_fails(rump_sys_getxattrat(AT_FDCWD, "/f", 0, "user.a",
	    &args, 4097), E2BIG);
	ck_assert_fails(rump_sys_getxattrat(AT_FDCWD, "/f", 0, "user.a",
	    VT_BADPTR, sizeof(args)), EFAULT);
	ck_assert_fails(rump_sys_setxattrat(AT_FDCWD, "/f", 0, "user.a",
	    NULL, sizeof(args)), EFAULT);
	/* A longer structure is fine while the rest is zero. */
	memset(big, 0, sizeof(big));
	memcpy(big, &args, sizeof(args));
	ck_assert_int_eq(rump_sys_getxattrat(AT_FDCWD, "/f", 0, "user.a",
	    (struct xattr_args *)big, sizeof(big)), 1);
	big[40] = 1;
	ck_assert_fails(rump_sys_getxattrat(AT_FDCWD, "/f", 0, "user.a",
	    (struct xattr_args *)big, sizeof(big)), E2BIG);
	/* getxattrat has no flags. */
	args.flags = XATTR_CREATE;
	ck_assert_fails(rump_sys_getxattrat(AT_FDCWD, "/f", 0, "user.a",
	    &args, sizeof(args)), EINVAL);
	ck_assert_fails(rump_sys_getxattrat(AT_FDCWD, "/nonexistent", 0,
	    "user.a", &args, sizeof(args)), EINVAL);
	/* setxattrat's are setxattr's. */
	args.value = (uintptr_t)"2";
	args.size = 1;
	ck_assert_fails(rump_sys_setxattrat(AT_FDCWD, "/f", 0, "user.a",
	    &args, sizeof(args)), EEXIST);
	args.flags = 4;
	ck_assert_fails(rump_sys_setxattrat(AT_FDCWD, "/f", 0, "user.a",
	    &args, sizeof(args)), EINVAL);
	args.flags = XATTR_REPLACE;
	args.size = VX_SIZE_MAX + 1;
	ck_assert_fails(rump_sys_setxattrat(AT_FDCWD, "/f", 0, "user.a",
	    &args, sizeof(args)), E2BIG);
	args.size = 1;
	ck_assert_ok(rump_sys_setxattrat(AT_FDCWD, "/f", 0, "user.a", &args,
	    sizeof(args)));
	ck_assert_xattr("/f", "user.a", "2");
}

/*
 * Permissions.
 */
VTEST(perm, trusted_is_roots_only)
{
	char buf[16];

	vt_mkfile("/f", 0666, NULL);
	vx_set("/f", "trusted.t", "1");
	vt_become(1000, 1000);
	ck_assert_fails(rump_sys_getxattr("/f", "trusted.t", buf,
	    sizeof(buf)), ENODATA);
	ck_assert_fails(rump_sys_getxattr("/f", "trusted.none", buf,
	    sizeof(buf)), ENODATA);
	ck_assert_fails(rump_sys_setxattr("/f", "trusted.u", "1", 1, 0),
	    EPERM);
	ck_assert_fails(rump_sys_removexattr("/f", "trusted.t"), EPERM);
	/* Before the namespace is checked for a suffix. */
	ck_assert_fails(rump_sys_getxattr("/f", "trusted.", buf,
	    sizeof(buf)), ENODATA);
	vt_unbecome();
	ck_assert_xattr("/f", "trusted.t", "1");
}

VTEST(perm, listings_hide_trusted_names_from_others)
{
	char list[64], out[256];

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.a", "1");
	vx_set("/f", "trusted.t", "2");
	vx_set("/f", "security.s", "3");
	vx_set("/f", "trusted.u", "4");
	ck_assert_int_eq(rump_sys_listxattr("/f", NULL, 0), 38);
	vt_become(1000, 1000);
	ck_assert_int_eq(rump_sys_listxattr("/f", NULL, 0), 18);
	ck_assert_fails(rump_sys_listxattr("/f", list, 17), ERANGE);
	ck_assert_int_eq(rump_sys_listxattr("/f", list, 18), 18);
	ck_assert_str_eq(vx_names(list, 18, out, sizeof(out)),
	    "security.s/user.a");
	vt_unbecome();
	ck_assert_xattrs("/f", "security.s/trusted.t/trusted.u/user.a");
}

VTEST(perm, security_is_changed_by_root_and_read_by_anyone)
{
	char buf[16];

	vt_mkfile("/f", 0600, NULL);
	vx_set("/f", "security.s", "1");
	ck_assert_ok(rump_sys_chown("/f", 1000, 1000));
	vt_become(1000, 1000);
	ck_assert_fails(rump_sys_setxattr("/f", "security.t", "1", 1, 0),
	    EPERM);
	ck_assert_fails(rump_sys_removexattr("/f", "security.s"), EPERM);
	ck_assert_int_eq(rump_sys_getxattr("/f", "security.s", buf,
	    sizeof(buf)), 1);
	vt_unbecome();
	/* Read by anyone, without read permission on the file. */
	ck_assert_ok(rump_sys_chown("/f", 0, 0));
	vt_become(1000, 1000);
	ck_assert_int_eq(rump_sys_getxattr("/f", "security.s", buf,
	    sizeof(buf)), 1);
	vt_unbecome();
}

VTEST(perm, user_get_needs_read_permission_and_set_write)
{
	char buf[16];

	vt_mkfile("/r", 0644, NULL);
	vt_mkfile("/w", 0622, NULL);
	vt_mkfile("/n", 0600, NULL);
	vx_set("/r", "user.a", "1");
	vx_set("/w", "user.a", "1");
	vx_set("/n", "user.a", "1");
	vt_become(1000, 1000);
	ck_assert_int_eq(rump_sys_getxattr("/r", "user.a", buf, sizeof(buf)),
	    1);
	ck_assert_fails(rump_sys_setxattr("/r", "user.a", "2", 1, 0), EACCES);
	ck_assert_fails(rump_sys_removexattr("/r", "user.a"), EACCES);
	ck_assert_fails(rump_sys_getxattr("/w", "user.a", buf, sizeof(buf)),
	    EACCES);
	ck_assert_ok(rump_sys_setxattr("/w", "user.a", "2", 1, 0));
	ck_assert_ok(rump_sys_removexattr("/w", "user.a"));
	ck_assert_fails(rump_sys_getxattr("/n", "user.a", buf, sizeof(buf)),
	    EACCES);
	/* An absent name too: permission comes first. */
	ck_assert_fails(rump_sys_getxattr("/n", "user.none", buf,
	    sizeof(buf)), EACCES);
	ck_assert_fails(rump_sys_setxattr("/n", "user.a", "2", 1, 0), EACCES);
	vt_unbecome();
}

VTEST(perm, listing_needs_no_permission)
{
	char list[16];

	vt_mkfile("/n", 0600, NULL);
	vx_set("/n", "user.a", "1");
	vt_become(1000, 1000);
	ck_assert_int_eq(rump_sys_listxattr("/n", list, sizeof(list)), 7);
	ck_assert_str_eq(list, "user.a");
	vt_unbecome();
}

VTEST(perm, an_unknown_namespace_checks_permission_first)
{

	vt_mkfile("/n", 0600, NULL);
	vt_become(1000, 1000);
	ck_assert_fails(rump_sys_getxattr("/n", "foo.x", NULL, 0), EACCES);
	ck_assert_fails(rump_sys_setxattr("/n", "foo.x", "1", 1, 0), EACCES);
	/* system.* is the namespace's own business: no permission check. */
	ck_assert_fails(rump_sys_getxattr("/n", "system.foo", NULL, 0),
	    EOPNOTSUPP);
	vt_unbecome();
}

VTEST(perm, the_owner_of_a_file_may_set_user_attributes)
{

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_chown("/f", 1000, 1000));
	vt_become(1000, 1000);
	vx_set("/f", "user.mine", "1");
	ck_assert_xattrs("/f", "user.mine");
	/* Not with the write bit gone: the permission is the mode's. */
	ck_assert_ok(rump_sys_chmod("/f", 0444));
	ck_assert_fails(rump_sys_setxattr("/f", "user.mine", "2", 1, 0),
	    EACCES);
	vt_unbecome();
}

VTEST(perm, a_sticky_directory_takes_user_attributes_from_its_owner_only)
{

	vt_mkdir("/t", 01777);
	vt_mkdir("/u", 01777);
	ck_assert_ok(rump_sys_chown("/u", 1000, 1000));
	vx_set("/t", "user.a", "1");
	vt_become(1000, 1000);
	ck_assert_fails(rump_sys_setxattr("/t", "user.b", "1", 1, 0), EPERM);
	ck_assert_fails(rump_sys_removexattr("/t", "user.a"), EPERM);
	ck_assert_xattr("/t", "user.a", "1");
	vx_set("/u", "user.b", "1");
	ck_assert_ok(rump_sys_removexattr("/u", "user.b"));
	vt_unbecome();
	vx_set("/t", "user.b", "2");
}

VTEST(perm, a_link_is_no_place_for_anyones_user_attributes)
{

	vt_mkfile("/f", 0666, NULL);
	vt_symlink("f", "/l");
	vt_become(1000, 1000);
	ck_assert_fails(rump_sys_lsetxattr("/l", "user.a", "1", 1, 0), EPERM);
	ck_assert_fails(rump_sys_lsetxattr("/l", "trusted.a", "1", 1, 0),
	    EPERM);
	vx_set("/l", "user.a", "1");
	vt_unbecome();
	ck_assert_xattr("/f", "user.a", "1");
}

/*
 * Read-only mounts.
 */
VTEST(rofs, a_read_only_mount_refuses_changes_with_EROFS)
{
	char buf[16];

	vt_mkdir("/mnt", 0755);
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs", 0, NULL));
	vt_mkfile("/mnt/f", 0644, NULL);
	vx_set("/mnt/f", "user.a", "1");
	ck_assert_ok(rump_sys_mount("tmpfs", "/mnt", "tmpfs",
	    MS_REMOUNT | MS_RDONLY, NULL));
	ck_assert_fails(rump_sys_setxattr("/mnt/f", "user.b", "1", 1, 0),
	    EROFS);
	ck_assert_fails(rump_sys_removexattr("/mnt/f", "user.a"), EROFS);
	/* Before the namespace and the permission. */
	ck_assert_fails(rump_sys_setxattr("/mnt/f", "foo.b", "1", 1, 0),
	    EROFS);
	ck_assert_fails(rump_sys_removexattr("/mnt/f", "user.none"), EROFS);
	/* Reading is fine. */
	ck_assert_int_eq(rump_sys_getxattr("/mnt/f", "user.a", buf,
	    sizeof(buf)), 1);
	ck_assert_xattrs("/mnt/f", "user.a");
	ck_assert_ok(rump_sys_umount2("/mnt", 0));
}

#ifndef HOST_MODE
/*
 * Our tmpfs's bound on a node's attributes (tmpfs_xattr.c): names and
 * values at most 128 KiB, the listing at most 64 KiB.  Linux's tmpfs
 * bounds the mount's user.* space by its inode count instead.
 */
VTEST(tmpfs, a_node_holds_at_most_128KiB_of_names_and_values)
{
	static char v[VX_SIZE_MAX];

	vt_mkfile("/f", 0644, NULL);
	ck_assert_ok(rump_sys_setxattr("/f", "user.a", v, VX_SIZE_MAX, 0));
	ck_assert_ok(rump_sys_setxattr("/f", "user.b", v,
	    128 * 1024 - VX_SIZE_MAX - 12, 0));
	ck_assert_fails(rump_sys_setxattr("/f", "user.c", "", 0, 0), ENOSPC);
	/* A replacement counts without the value it replaces. */
	ck_assert_ok(rump_sys_setxattr("/f", "user.a", v, VX_SIZE_MAX, 0));
	ck_assert_fails(rump_sys_setxattr("/f", "user.b", v,
	    128 * 1024 - VX_SIZE_MAX - 11, 0), ENOSPC);
	ck_assert_int_eq(rump_sys_getxattr("/f", "user.b", NULL, 0),
	    128 * 1024 - VX_SIZE_MAX - 12);
	ck_assert_ok(rump_sys_removexattr("/f", "user.a"));
	ck_assert_ok(rump_sys_setxattr("/f", "user.c", v, VX_SIZE_MAX, 0));
	/* Another file has its own space. */
	vt_mkfile("/g", 0644, NULL);
	ck_assert_ok(rump_sys_setxattr("/g", "user.a", v, VX_SIZE_MAX, 0));
}

VTEST(tmpfs, a_nodes_listing_stays_within_64KiB)
{
	char name[VX_NAME_MAX + 1];
	int i;

	vt_mkfile("/f", 0644, NULL);
	memset(name, 'n', VX_NAME_MAX);
	name[VX_NAME_MAX] = '\0';
	memcpy(name, "user.", 5);
	for (i = 0; i < VX_LIST_MAX / (VX_NAME_MAX + 1); i++) {
		snprintf(name + 5, 5, "%04d", i);
		name[9] = 'n';
		ck_assert_ok(rump_sys_setxattr("/f", name, "", 0, 0));
	}
	ck_assert_int_eq(rump_sys_listxattr("/f", NULL, 0), VX_LIST_MAX);
	ck_assert_fails(rump_sys_setxattr("/f", "user.x", "", 0, 0), ENOSPC);
	vt_become(1000, 1000);
	ck_assert_int_eq(rump_sys_listxattr("/f", NULL, 0), VX_LIST_MAX);
	vt_unbecome();
}

/* Attributes of a file with a vnode and of one without are freed (the
 * sanitizer build's leak checker sees the rest). */
VTEST(tmpfs, attributes_go_with_their_file)
{

	vt_mkfile("/f", 0644, NULL);
	vx_set("/f", "user.a", "1");
	vx_set("/f", "trusted.b", "2");
	ck_assert_ok(rump_sys_unlink("/f"));
	vt_mkdir("/d", 0755);
	vx_set("/d", "user.a", "1");
	ck_assert_ok(rump_sys_rmdir("/d"));
	vt_mkfile("/kept", 0644, NULL);
	vx_set("/kept", "user.a", "freed at the halt");
}
#endif /* !HOST_MODE */

int
main(void)
{

	return vt_main("xattr", 60);
}
