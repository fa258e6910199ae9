/*
 * t_ext2_xattr.c: extended attributes of ext2/3/4 through our driver,
 * against the host kernel, e2fsck and debugfs.
 *
 * host: attributes the host kernel wrote (in the inode, in a block, a
 * block shared by files with the same attributes, on directories and
 * symbolic links, binary values, names with high-bit bytes, on ext2
 * with 128-byte inodes where all go to the block, ea_inode values) read
 * back through us byte for byte, listing order included; POSIX ACLs
 * (system.*) are kept but neither listed nor changed.
 * write: attributes we wrote (in the inode, spilling to the block,
 * replaced, removed, many, on every flavour) are what the host kernel
 * reads after us, and e2fsck -fn finds the image clean; the last block
 * attribute removed frees the block; a shared block is copied on write
 * and its reference count kept; ENOSPC where Linux says so, the file
 * unchanged; XATTR_CREATE, XATTR_REPLACE, ERANGE, ctime; an inode with
 * i_extra_isize 0 growing to 32 as on the host; a block hash of 0 once
 * an entry's is.
 * acl: chmod through us does to a POSIX access ACL what the host's
 * chmod does (getfacl, mode and access compared on a copy); a malformed
 * ACL refuses the chmod.
 * corrupt: attribute blocks and in-inode areas patched into every kind
 * of bad (magic, h_blocks, reference count, entries and values outside
 * their place, unaligned or overlapping values, no end of entries, a
 * value inode without the feature, a NUL byte in a name, a bad
 * checksum, a block outside the file system or in its metadata or
 * journal) are EUCLEAN, nothing of them is written, and everything else
 * keeps working.
 *
 * Runs as root (the host's loop mounts).
 */

#include <sys/xattr.h>

#include "ext2_test.h"

#define XBUF 65536

/*
 * The attributes of a file: "name=hex\n" for each name, in the order of
 * the listing (system.* left out when asked: the host lists POSIX ACLs,
 * which we keep but do not show).
 */
typedef ssize_t (*x_listfn)(const char *, char *, size_t);
typedef ssize_t (*x_getfn)(const char *, const char *, void *, size_t);

static char *
x_dump(x_listfn lf, x_getfn gf, const char *path, int nosystem)
{
	static char list[XBUF];
	static unsigned char val[XBUF];
	size_t cap = 1 << 20, len = 0, i;
	ssize_t n, v;
	char *out = malloc(cap), *name;

	ck_assert_ptr_nonnull(out);
	n = lf(path, list, sizeof(list));
	ck_assert_msg(n >= 0, "listxattr %s: %s", path, strerror(errno));
	out[0] = '\0';
	for (name = list; name < list + n; name += strlen(name) + 1) {
		if (nosystem && strncmp(name, "system.", 7) == 0)
			continue;
		v = gf(path, name, val, sizeof(val));
		ck_assert_msg(v >= 0, "getxattr %s %s: %s", path, name,
		    strerror(errno));
		ck_assert(len + strlen(name) + 2 * (size_t)v + 3 < cap);
		len += (size_t)sprintf(out + len, "%s=", name);
		for (i = 0; i < (size_t)v; i++)
			len += (size_t)sprintf(out + len, "%02x", val[i]);
		out[len++] = '\n';
		out[len] = '\0';
	}
	return out;
}

static char *
h_dump(const char *path)
{

	return x_dump(llistxattr, lgetxattr, path, 1);
}

static char *
r_dump(const char *path)
{

	return x_dump(rump_sys_llistxattr, rump_sys_lgetxattr, path, 0);
}

static void
dumps_equal(const char *what, const char *a, const char *b)
{

	ck_assert_msg(strcmp(a, b) == 0, "%s: the attributes differ:\n"
	    "--- host\n%s--- ours\n%s", what, a, b);
}

/* Value bytes of a pattern. */
static unsigned char *
x_val(size_t len, int seed)
{
	static unsigned char buf[8][XBUF];
	static int k;
	unsigned char *p = buf[k++ % 8];

	e3_fill(p, len, (uint64_t)seed, 0);
	return p;
}

static void
h_set(const char *dir, const char *file, const char *name, size_t len,
    int seed)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	ck_assert_msg(lsetxattr(path, name, x_val(len, seed), len, 0) == 0,
	    "host setxattr %s %s (%zu): %s", path, name, len, strerror(errno));
}

static void
r_set(const char *file, const char *name, size_t len, int seed)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), E3_MNT "/%s", file);
	ck_assert_msg(rump_sys_lsetxattr(path, name, x_val(len, seed), len,
	    0) == 0, "setxattr %s %s (%zu): %s", path, name, len,
	    strerror(errno));
}

static int
r_set_err(const char *file, const char *name, size_t len, int seed,
    int flags)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), E3_MNT "/%s", file);
	errno = 0;
	if (rump_sys_lsetxattr(path, name, x_val(len, seed), len, flags) == 0)
		return 0;
	return errno;
}

static void
r_remove(const char *file, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), E3_MNT "/%s", file);
	ck_assert_msg(rump_sys_lremovexattr(path, name) == 0,
	    "removexattr %s %s: %s", path, name, strerror(errno));
}

/* A number from debugfs's stat of a file ("File ACL", "Blockcount"). */
static uint64_t
dbg_stat(const char *img, const char *file, const char *field)
{
	char out[64];

	e3_sh_out(out, sizeof(out), "debugfs -R 'stat /%s' %s 2>/dev/null | "
	    "sed -n 's/.*%s: *\\([0-9]*\\).*/\\1/p' | head -1", file, img,
	    field);
	return strtoull(out, NULL, 10);
}

/* Where an inode ("/f", "<1>") is in the image (bytes). */
static uint64_t
dbg_imap(const char *img, const char *spec, uint32_t bs)
{
	char out[128];
	unsigned long long blk = 0;
	unsigned off = 0;

	e3_sh_out(out, sizeof(out), "debugfs -R 'imap %s' %s 2>/dev/null | "
	    "sed -n 's/.*located at block \\([0-9]*\\), offset "
	    "\\(0x[0-9a-f]*\\).*/\\1 \\2/p'", spec, img);
	ck_assert_int_eq(sscanf(out, "%llu %x", &blk, &off), 2);
	return (uint64_t)blk * bs + off;
}

/* Where the inode of a file is in the image (bytes). */
static uint64_t
dbg_inode_off(const char *img, const char *file, uint32_t bs)
{
	char spec[PATH_MAX];

	snprintf(spec, sizeof(spec), "/%s", file);
	return dbg_imap(img, spec, bs);
}

/* A number that a shell pipeline prints. */
static uint64_t
sh_num(const char *fmt, const char *img)
{
	char out[64];

	e3_sh_out(out, sizeof(out), fmt, img);
	ck_assert_msg(out[0] >= '0' && out[0] <= '9', "not a number: %s", fmt);
	return strtoull(out, NULL, 10);
}

static void
patch(const char *img, uint64_t off, const void *p, size_t n)
{
	int fd = open(img, O_RDWR);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, p, n, (off_t)off), (ssize_t)n);
	close(fd);
}

static void
patch32(const char *img, uint64_t off, uint32_t v)
{
	unsigned char b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff,
	    v >> 24 };

	patch(img, off, b, 4);
}

static void
patch16(const char *img, uint64_t off, uint16_t v)
{
	unsigned char b[2] = { v & 0xff, v >> 8 };

	patch(img, off, b, 2);
}

static void
patch8(const char *img, uint64_t off, uint8_t v)
{

	patch(img, off, &v, 1);
}

static void
peek(const char *img, uint64_t off, void *p, size_t n)
{
	int fd = open(img, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, p, n, (off_t)off), (ssize_t)n);
	close(fd);
}

static uint32_t
peek32(const char *img, uint64_t off)
{
	unsigned char b[4];
	int fd = open(img, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, b, 4, (off_t)off), 4);
	close(fd);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	    (uint32_t)b[3] << 24;
}

static uint64_t
r_free_blocks(void)
{
	struct statfs sf;

	ck_assert_int_eq(rump_sys_statfs(E3_MNT, &sf), 0);
	return sf.f_bfree;
}

static void
r_touch(const char *file)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), E3_MNT "/%s", file);
	fd = rump_sys_open(path, O_WRONLY | O_CREAT, 0644);
	ck_assert_msg(fd >= 0, "create %s: %s", path, strerror(errno));
	ck_assert_int_eq(rump_sys_close(fd), 0);
}

/* A POSIX access ACL as Linux stores it in system.posix_acl_access:
 * version 2, then (tag, perm, id) for user::rw-, user:1:r--, group::r--,
 * mask::r--, other::r--. */
static size_t
acl_value(unsigned char *b)
{
	static const struct { uint16_t tag, perm; uint32_t id; } e[] = {
		{ 0x01, 6, 0xffffffff }, { 0x02, 4, 1 },
		{ 0x04, 4, 0xffffffff }, { 0x10, 4, 0xffffffff },
		{ 0x20, 4, 0xffffffff },
	};
	size_t i, n = 0;

	b[n++] = 2; b[n++] = 0; b[n++] = 0; b[n++] = 0;
	for (i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		memcpy(b + n, &e[i].tag, 2);
		memcpy(b + n + 2, &e[i].perm, 2);
		memcpy(b + n + 4, &e[i].id, 4);
		n += 8;
	}
	return n;
}

/*
 * host
 */
static const char *const host_files[] = { "small", "big", "s1", "s2", "s3",
    "many", "d", "l", "hi", "acl", "plain" };
#define NHOST (sizeof(host_files) / sizeof(host_files[0]))

/* The host's tree: every kind of attribute the format has. big: the
 * block size's worth of values. */
static void
host_tree(const char *m, size_t big)
{
	unsigned char acl[64];
	char name[32], path[PATH_MAX];
	size_t alen;
	int i;

	e3_sh_ok("cd %s && touch small big s1 s2 s3 many hi acl plain && "
	    "mkdir d && ln -s small l && echo data >plain", m);
	/* In the inode (when it has room). */
	h_set(m, "small", "user.a", 1, 1);
	h_set(m, "small", "user.empty", 0, 0);
	h_set(m, "small", "trusted.t", 10, 2);
	h_set(m, "small", "security.s", 7, 3);
	/* In the block. */
	h_set(m, "big", "user.big1", big / 4, 4);
	h_set(m, "big", "user.big2", big / 3, 5);
	h_set(m, "big", "trusted.big3", big / 5 + 1, 6);
	h_set(m, "big", "user.e", 0, 0);
	/* The same set on three files: one block, three references. */
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "s%d", i + 1);
		h_set(m, name, "user.shared1", big / 4, 7);
		h_set(m, name, "user.shared2", big / 6, 8);
	}
	for (i = 0; i < (big >= 4096 ? 40 : 12); i++) {
		snprintf(name, sizeof(name), "user.n%03d", i);
		h_set(m, "many", name, (size_t)(i % 9) * 3, 100 + i);
	}
	h_set(m, "d", "user.dir", 12, 9);
	h_set(m, "d", "trusted.dir2", big / 4, 10);
	h_set(m, "l", "trusted.link", 20, 11);
	h_set(m, "l", "trusted.link2", big / 4, 12);
	h_set(m, "hi", "user.\xe9t\xe9", 3, 13);
	h_set(m, "hi", "user.\x7f\x80\xff", big / 4, 14);
	alen = acl_value(acl);
	snprintf(path, sizeof(path), "%s/acl", m);
	ck_assert_msg(setxattr(path, "system.posix_acl_access", acl, alen,
	    0) == 0, "setxattr ACL: %s", strerror(errno));
	h_set(m, "acl", "user.after_acl", 30, 15);
}

static void
host_dumps(const char *m, char **dumps)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < NHOST; i++) {
		snprintf(path, sizeof(path), "%s/%s", m, host_files[i]);
		dumps[i] = h_dump(path);
	}
}

static void
rump_dumps_match(char **dumps)
{
	char path[PATH_MAX];
	char *d;
	size_t i;

	for (i = 0; i < NHOST; i++) {
		snprintf(path, sizeof(path), E3_MNT "/%s", host_files[i]);
		d = r_dump(path);
		dumps_equal(path, dumps[i], d);
		free(d);
	}
}

static void
host_written(const char *type, const char *opts, size_t big)
{
	char *dumps[NHOST];
	const char *img, *m;
	char path[PATH_MAX];
	uint64_t b1, b2, b3;
	size_t i;

	img = e3_mkfs("h.img", type, 32, opts);
	m = e3_hmount(img, "mh", NULL);
	host_tree(m, big);
	host_dumps(m, dumps);
	e3_humount(m);
	ck_assert_int_eq(e3_fsck(img), 0);
	/* Linux shares the block of identical attribute sets. */
	b1 = dbg_stat(img, "s1", "File ACL");
	b2 = dbg_stat(img, "s2", "File ACL");
	b3 = dbg_stat(img, "s3", "File ACL");
	ck_assert_msg(b1 != 0 && b1 == b2 && b2 == b3, "%s: s1..s3 do not "
	    "share a block (%ju %ju %ju)", type, (uintmax_t)b1,
	    (uintmax_t)b2, (uintmax_t)b3);

	e3_rmount_ok(img, type, 0);
	rump_dumps_match(dumps);
	/* The ACL is there, not shown, not reachable by name. */
	ck_assert_fails(rump_sys_getxattr(E3_MNT "/acl",
	    "system.posix_acl_access", path, sizeof(path)), EOPNOTSUPP);
	e3_rumount();
	e3_rmount_ok(img, type, MS_RDONLY);
	rump_dumps_match(dumps);
	ck_assert_fails(rump_sys_setxattr(E3_MNT "/small", "user.x", "1", 1,
	    0), EROFS);
	e3_rumount();
	ck_assert_int_eq(e3_fsck(img), 0);
	for (i = 0; i < NHOST; i++)
		free(dumps[i]);
}

E3TEST(host, ext4_host_attributes_read_back_identically)
{

	host_written("ext4", "-b 4096 -I 256", 4096);
}

E3TEST(host, ext4_1k_blocks_host_attributes_read_back_identically)
{

	host_written("ext4", "-b 1024 -I 256 -O ^metadata_csum", 1024);
}

E3TEST(host, ext3_host_attributes_read_back_identically)
{

	host_written("ext3", "-b 4096 -I 256", 4096);
}

E3TEST(host, ext2_128_byte_inodes_host_attributes_read_back_identically)
{

	host_written("ext2", "-b 1024 -I 128", 1024);
}

/* ea_inode: values too big for a block live in inodes of their own; the
 * mount is read-only and reads them. */
E3TEST(host, ea_inode_values_read_on_a_read_only_mount)
{
	const char *img, *m;
	char path[PATH_MAX], *hd, *rd;

	img = e3_mkfs("e.img", "ext4", 32, "-b 4096 -I 256 -O ea_inode");
	m = e3_hmount(img, "mh", NULL);
	e3_sh_ok("touch %s/f", m);
	h_set(m, "f", "user.small", 5, 1);
	h_set(m, "f", "user.huge", 20000, 2);
	h_set(m, "f", "user.mid", 3000, 3);
	h_set(m, "f", "trusted.huge2", 65536, 4);
	snprintf(path, sizeof(path), "%s/f", m);
	hd = h_dump(path);
	e3_humount(m);
	ck_assert_int_eq(e3_fsck(img), 0);
	e3_rmount_ok(img, "ext4", 0);
	rd = r_dump(E3_MNT "/f");
	dumps_equal("ea_inode", hd, rd);
	ck_assert_fails(rump_sys_setxattr(E3_MNT "/f", "user.x", "1", 1, 0),
	    EROFS);
	e3_rumount();
	free(hd);
	free(rd);
}

/*
 * write
 */

/* Our writes; then what the host kernel reads must be what we read,
 * and e2fsck must find nothing wrong. */
static void
compare_with_host(const char *img, const char *const *files, size_t n)
{
	char path[PATH_MAX], **ours;
	const char *m;
	char *hd;
	size_t i;

	ours = calloc(n, sizeof(*ours));
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), E3_MNT "/%s", files[i]);
		ours[i] = r_dump(path);
	}
	e3_rumount();
	ck_assert_int_eq(e3_fsck(img), 0);
	m = e3_hmount(img, "mh", NULL);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", m, files[i]);
		hd = h_dump(path);
		dumps_equal(path, hd, ours[i]);
		free(hd);
		free(ours[i]);
	}
	e3_humount(m);
	free(ours);
}

static void
written_by_us(const char *type, const char *opts, size_t big)
{
	static const char *const files[] = { "f", "g", "d", "l", "fifo" };
	const char *img, *m;
	int i;

	img = e3_mkfs("w.img", type, 32, opts);
	e3_rmount_ok(img, type, 0);
	r_touch("f");
	r_touch("g");
	ck_assert_int_eq(rump_sys_mkdir(E3_MNT "/d", 0755), 0);
	ck_assert_int_eq(rump_sys_symlink("f", E3_MNT "/l"), 0);
	ck_assert_int_eq(rump_sys_mknod(E3_MNT "/fifo", S_IFIFO | 0644, 0),
	    0);
	/* In the inode, then the block. */
	r_set("f", "user.a", 1, 1);
	r_set("f", "trusted.b", 9, 2);
	r_set("f", "security.c", 0, 0);
	r_set("f", "user.big", big / 3, 3);
	r_set("f", "user.big2", big / 4, 4);
	/* Replaced: bigger (to the block), smaller (back to the inode). */
	r_set("f", "user.a", big / 5, 5);
	r_set("f", "user.big", 6, 6);
	r_remove("f", "trusted.b");
	r_set("f", "user.z", 13, 7);
	/* Bytes past 127 in a block entry's name: e2fsck checks the hash. */
	r_set("f", "user.\xe9t\xe9\xff", big / 8, 30);
	/* g: into the block, one removed, one into the inode. */
	r_set("g", "user.x", big / 2, 8);
	r_set("g", "user.y", big / 8, 9);
	r_remove("g", "user.x");
	r_set("g", "trusted.keep", 3, 10);
	r_set("d", "user.dir", big / 3, 11);
	r_set("d", "trusted.small", 4, 12);
	/* A fast symbolic link with an attribute block stays fast. */
	r_set("l", "trusted.l", big / 2, 13);
	r_set("fifo", "trusted.p", 40, 14);
	for (i = 0; i < 12; i++) {
		char name[32];

		snprintf(name, sizeof(name), "user.many%02d", i);
		r_set("d", name, (size_t)i * (big >= 4096 ? 5 : 2), 20 + i);
	}
	compare_with_host(img, files, sizeof(files) / sizeof(files[0]));
	m = e3_hmount(img, "mh", NULL);
	e3_sh_ok("test \"$(readlink %s/l)\" = f", m);
	e3_humount(m);
}

E3TEST(write, ext4_written_attributes_are_the_host_s_and_e2fsck_clean)
{

	written_by_us("ext4", "-b 4096 -I 256", 4096);
}

E3TEST(write, ext4_nocsum_written_attributes_are_the_host_s)
{

	written_by_us("ext4", "-b 1024 -I 256 -O ^metadata_csum,64bit", 1024);
}

E3TEST(write, ext4_big_inodes_written_attributes_are_the_host_s)
{

	written_by_us("ext4", "-b 4096 -I 1024", 4096);
}

E3TEST(write, ext3_written_attributes_are_the_host_s)
{

	written_by_us("ext3", "-b 4096 -I 256", 4096);
}

E3TEST(write, ext2_written_attributes_are_the_host_s)
{

	written_by_us("ext2", "-b 4096 -I 256", 4096);
}

E3TEST(write, ext2_128_byte_inodes_all_go_to_the_block)
{

	written_by_us("ext2", "-b 1024 -I 128", 1024);
}

E3TEST(write, revision_0_gets_ext_attr_and_revision_1)
{
	static const char *const files[] = { "f" };
	const char *img;

	img = e3_mkfs("r0.img", "ext2", 8, "-r 0 -b 1024");
	e3_rmount_ok(img, "ext2", 0);
	r_touch("f");
	r_set("f", "user.a", 100, 1);
	compare_with_host(img, files, 1);
	e3_sh_ok("dumpe2fs -h %s 2>/dev/null | grep -q 'features:.*ext_attr'",
	    img);
}

/* Where the value goes, as the block count shows: the inode first, the
 * block when the inode is full; the last block attribute frees it. */
E3TEST(write, the_last_block_attribute_removed_frees_the_block)
{
	static const char *const files[] = { "f" };
	const char *img;
	struct stat st0, st;
	uint64_t free0;

	img = e3_mkfs("b.img", "ext4", 16, "-b 4096 -I 256");
	e3_rmount_ok(img, "ext4", 0);
	r_touch("f");
	ck_assert_int_eq(rump_sys_stat(E3_MNT "/f", &st0), 0);
	free0 = r_free_blocks();
	r_set("f", "user.in", 40, 1);
	ck_assert_int_eq(rump_sys_stat(E3_MNT "/f", &st), 0);
	ck_assert_int_eq(st.st_blocks, st0.st_blocks);
	ck_assert_uint_eq(r_free_blocks(), free0);
	r_set("f", "user.out", 1000, 2);
	ck_assert_int_eq(rump_sys_stat(E3_MNT "/f", &st), 0);
	ck_assert_int_eq(st.st_blocks, st0.st_blocks + 8);
	ck_assert_uint_eq(r_free_blocks(), free0 - 1);
	r_set("f", "user.out2", 1000, 3);
	ck_assert_uint_eq(r_free_blocks(), free0 - 1);
	r_remove("f", "user.out");
	r_remove("f", "user.out2");
	ck_assert_int_eq(rump_sys_stat(E3_MNT "/f", &st), 0);
	ck_assert_int_eq(st.st_blocks, st0.st_blocks);
	ck_assert_uint_eq(r_free_blocks(), free0);
	r_remove("f", "user.in");
	compare_with_host(img, files, 1);
	ck_assert_uint_eq(dbg_stat(img, "f", "File ACL"), 0);
	e3_sh_ok("test \"$(debugfs -R 'ea_list /f' %s 2>/dev/null)\" = ''",
	    img);
}

/*
 * A large inode whose i_extra_isize is 0 (images of old kernels) has no
 * room for attributes until it gets its extra fields: Linux gives it 32
 * bytes on the first set and puts the attribute there (even where
 * s_want_extra_isize says 64).  We do the same, the host's own set on a
 * copy agreeing; one too big for the inode goes to the block, the inode
 * growing all the same.
 */
static void
zero_extra(const char *opts, int want)
{
	static const char *const files[] = { "f", "g" };
	const char *img, *img2, *m;
	char name[2][PATH_MAX];
	int i;

	img = e3_mkfs("z.img", "ext4", 16, opts);
	if (want != 0)
		e3_sh_ok("debugfs -w -R 'ssv want_extra_isize %d' %s "
		    ">/dev/null 2>&1", want, img);
	m = e3_hmount(img, "mh", NULL);
	e3_sh_ok("touch %s/f %s/g", m, m);
	e3_humount(m);
	for (i = 0; i < 2; i++)
		e3_sh_ok("debugfs -w -R 'sif /%s extra_isize 0' %s "
		    ">/dev/null 2>&1", files[i], img);
	ck_assert_uint_eq(dbg_stat(img, "f", "Size of extra inode fields"), 0);
	ck_assert_int_eq(e3_fsck(img), 0);
	img2 = e3_path("z2.img");
	e3_sh_ok("cp %s %s", img, img2);

	m = e3_hmount(img2, "mh", NULL);
	snprintf(name[0], sizeof(name[0]), "%s/f", m);
	snprintf(name[1], sizeof(name[1]), "%s/g", m);
	ck_assert_int_eq(lsetxattr(name[0], "user.a", x_val(10, 1), 10, 0), 0);
	ck_assert_int_eq(lsetxattr(name[1], "user.big", x_val(3000, 2), 3000,
	    0), 0);
	e3_humount(m);

	e3_rmount_ok(img, "ext4", 0);
	r_set("f", "user.a", 10, 1);
	r_set("g", "user.big", 3000, 2);
	compare_with_host(img, files, 2);
	for (i = 0; i < 2; i++) {
		ck_assert_uint_eq(dbg_stat(img, files[i],
		    "Size of extra inode fields"), 32);
		ck_assert_uint_eq(dbg_stat(img2, files[i],
		    "Size of extra inode fields"), 32);
	}
	ck_assert_uint_eq(dbg_stat(img, "f", "File ACL"), 0);
	ck_assert_uint_eq(dbg_stat(img2, "f", "File ACL"), 0);
	ck_assert_uint_ne(dbg_stat(img, "g", "File ACL"), 0);
	ck_assert_uint_ne(dbg_stat(img2, "g", "File ACL"), 0);
}

E3TEST(write, a_zero_extra_isize_grows_to_32_and_holds_the_attribute)
{

	zero_extra("-b 4096 -I 256", 0);
}

E3TEST(write, a_zero_extra_isize_grows_to_32_with_want_extra_isize_64)
{

	zero_extra("-b 4096 -I 512", 64);
}

/*
 * An entry whose hash is 0 makes the block's hash 0 (Linux's rule, and
 * e2fsprogs'): user.z with the value 00 00 7a 00 hashes to 0 (the name
 * gives 0x7a, rotated by 16 and mixed with the value's word 0x7a0000).
 */
E3TEST(write, an_entry_hash_of_0_makes_the_block_hash_0)
{
	static const char *const files[] = { "f" };
	static const unsigned char zval[4] = { 0, 0, 0x7a, 0 };
	const char *img;
	uint64_t blk;

	img = e3_mkfs("h0.img", "ext2", 8, "-b 1024 -I 128");
	e3_rmount_ok(img, "ext2", 0);
	r_touch("f");
	r_set("f", "user.other", 40, 1);
	ck_assert_int_eq(rump_sys_setxattr(E3_MNT "/f", "user.z", zval,
	    sizeof(zval), 0), 0);
	compare_with_host(img, files, 1);
	blk = dbg_stat(img, "f", "File ACL");
	ck_assert_uint_ne(blk, 0);
	/* user.z sorts first: its entry's hash, then the block's. */
	ck_assert_uint_eq(peek32(img, blk * 1024 + 32 + 12), 0);
	ck_assert_uint_ne(peek32(img, blk * 1024 + 32 + 20 + 12), 0);
	ck_assert_uint_eq(peek32(img, blk * 1024 + 12), 0);
}

/* A block three files share: a change to one gives it a block of its
 * own, the others keep theirs, the counts stay right (e2fsck checks
 * them); unlinking a sharer drops its reference. */
E3TEST(write, a_shared_block_is_copied_on_write)
{
	static const char *const files[] = { "s1", "s2", "s3", "p2" };
	const char *img, *m;
	uint64_t b, b1, b2, b3, free0;
	int i;

	img = e3_mkfs("s.img", "ext4", 16, "-b 4096 -I 256");
	m = e3_hmount(img, "mh", NULL);
	e3_sh_ok("cd %s && touch s1 s2 s3 p1 p2", m);
	for (i = 1; i <= 3; i++) {
		char f[8];

		snprintf(f, sizeof(f), "s%d", i);
		h_set(m, f, "user.shared1", 1000, 1);
		h_set(m, f, "user.shared2", 600, 2);
	}
	h_set(m, "p1", "user.pair", 1000, 3);
	h_set(m, "p2", "user.pair", 1000, 3);
	e3_humount(m);
	b = dbg_stat(img, "s1", "File ACL");
	ck_assert_uint_eq(dbg_stat(img, "s3", "File ACL"), b);
	ck_assert_uint_eq(dbg_stat(img, "p1", "File ACL"),
	    dbg_stat(img, "p2", "File ACL"));

	e3_rmount_ok(img, "ext4", 0);
	free0 = r_free_blocks();
	r_set("s1", "user.shared1", 900, 4);		/* replaced */
	ck_assert_uint_eq(r_free_blocks(), free0 - 1);
	r_remove("s2", "user.shared2");			/* removed */
	ck_assert_uint_eq(r_free_blocks(), free0 - 2);
	r_set("s2", "user.tiny", 2, 5);		/* into the inode */
	ck_assert_int_eq(rump_sys_unlink(E3_MNT "/p1"), 0);
	ck_assert_uint_eq(r_free_blocks(), free0 - 2);
	compare_with_host(img, files, sizeof(files) / sizeof(files[0]));
	b1 = dbg_stat(img, "s1", "File ACL");
	b2 = dbg_stat(img, "s2", "File ACL");
	b3 = dbg_stat(img, "s3", "File ACL");
	ck_assert(b1 != b && b2 != b && b1 != b2 && b3 == b);
	ck_assert_uint_eq(dbg_stat(img, "s1", "Blockcount"), 8);

	/* The last two references go: the block is free. */
	e3_rmount_ok(img, "ext4", 0);
	free0 = r_free_blocks();
	ck_assert_int_eq(rump_sys_unlink(E3_MNT "/p2"), 0);
	ck_assert_uint_eq(r_free_blocks(), free0 + 1);
	r_remove("s3", "user.shared1");
	r_remove("s3", "user.shared2");
	ck_assert_uint_eq(r_free_blocks(), free0 + 2);
	e3_rumount();
	ck_assert_int_eq(e3_fsck(img), 0);
}

/* Names until neither place has room: ENOSPC, as on Linux, and the
 * attributes that fit are all there. */
static void
many_names(const char *type, const char *opts)
{
	static const char *const files[] = { "f" };
	char name[64], list[XBUF];
	const char *img;
	ssize_t n;
	int i, e = 0;

	img = e3_mkfs("m.img", type, 16, opts);
	e3_rmount_ok(img, type, 0);
	r_touch("f");
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "user.attribute_number_%04d", i);
		if ((e = r_set_err("f", name, 24, i, XATTR_CREATE)) != 0)
			break;
	}
	ck_assert_msg(e == ENOSPC, "after %d names: %s", i, strerror(e));
	ck_assert_int_gt(i, 10);
	n = rump_sys_listxattr(E3_MNT "/f", list, sizeof(list));
	ck_assert_int_eq(n, (ssize_t)i * 27);
	/* One removed makes room again. */
	r_remove("f", "user.attribute_number_0007");
	ck_assert_int_eq(r_set_err("f", name, 24, i, XATTR_CREATE), 0);
	compare_with_host(img, files, 1);
}

E3TEST(write, ext4_many_names_until_ENOSPC)
{

	many_names("ext4", "-b 4096 -I 512");
}

E3TEST(write, ext2_many_names_until_ENOSPC)
{

	many_names("ext2", "-b 1024 -I 128");
}

/* The biggest value a block holds (the host's answer too), one byte
 * more is ENOSPC and leaves the file as it was. */
static void
biggest_value(const char *type, const char *opts, uint32_t bs)
{
	static const char *const files[] = { "f", "g" };
	size_t max = bs - 32 - 20 - 4;		/* header, "v"'s entry, end */
	const char *img, *m;
	char path[PATH_MAX], *before, *after;

	img = e3_mkfs("v.img", type, 16, opts);
	m = e3_hmount(img, "mh", NULL);
	e3_sh_ok("touch %s/h1 %s/h2", m, m);
	snprintf(path, sizeof(path), "%s/h1", m);
	ck_assert_int_eq(lsetxattr(path, "user.v", x_val(max, 1), max, 0), 0);
	snprintf(path, sizeof(path), "%s/h2", m);
	errno = 0;
	ck_assert_int_eq(lsetxattr(path, "user.v", x_val(max + 1, 1), max + 1,
	    0), -1);
	ck_assert_int_eq(errno, ENOSPC);
	e3_humount(m);

	e3_rmount_ok(img, type, 0);
	r_touch("f");
	r_touch("g");
	r_set("f", "user.small", 10, 2);
	before = r_dump(E3_MNT "/f");
	ck_assert_int_eq(r_set_err("f", "user.v", max + 1, 1, 0), ENOSPC);
	ck_assert_int_eq(r_set_err("f", "user.v", 65536, 1, 0), ENOSPC);
	ck_assert_int_eq(r_set_err("f", "user.small", max + 1, 1, 0), ENOSPC);
	after = r_dump(E3_MNT "/f");
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(r_set_err("g", "user.v", max + 1, 1, 0), ENOSPC);
	r_set("g", "user.v", max, 1);
	free(before);
	free(after);
	compare_with_host(img, files, 2);
}

E3TEST(write, ext4_a_value_too_big_for_a_block_is_ENOSPC)
{

	biggest_value("ext4", "-b 4096 -I 256", 4096);
}

E3TEST(write, ext2_a_value_too_big_for_a_block_is_ENOSPC)
{

	biggest_value("ext2", "-b 1024 -I 128", 1024);
}

E3TEST(write, create_replace_and_remove_flags)
{
	static const char *const files[] = { "f" };
	const char *img;
	char buf[16];

	img = e3_mkfs("c.img", "ext4", 16, "-b 4096 -I 256");
	e3_rmount_ok(img, "ext4", 0);
	r_touch("f");
	ck_assert_int_eq(r_set_err("f", "user.a", 3, 1, XATTR_REPLACE),
	    ENODATA);
	ck_assert_int_eq(r_set_err("f", "user.a", 3, 1, XATTR_CREATE), 0);
	ck_assert_int_eq(r_set_err("f", "user.a", 3, 2, XATTR_CREATE), EEXIST);
	ck_assert_int_eq(r_set_err("f", "user.a", 5, 3, XATTR_REPLACE), 0);
	/* In the block: the same rules. */
	ck_assert_int_eq(r_set_err("f", "user.b", 2000, 4, XATTR_CREATE), 0);
	ck_assert_int_eq(r_set_err("f", "user.b", 20, 5, XATTR_CREATE),
	    EEXIST);
	ck_assert_int_eq(r_set_err("f", "user.b", 3000, 6, XATTR_REPLACE), 0);
	ck_assert_fails(rump_sys_removexattr(E3_MNT "/f", "user.nope"),
	    ENODATA);
	ck_assert_fails(rump_sys_getxattr(E3_MNT "/f", "user.nope", buf,
	    sizeof(buf)), ENODATA);
	/* Sizes: 0 asks for the length; a short buffer is ERANGE. */
	ck_assert_int_eq(rump_sys_getxattr(E3_MNT "/f", "user.a", NULL, 0), 5);
	ck_assert_int_eq(rump_sys_getxattr(E3_MNT "/f", "user.b", NULL, 0),
	    3000);
	ck_assert_fails(rump_sys_getxattr(E3_MNT "/f", "user.a", buf, 4),
	    ERANGE);
	ck_assert_fails(rump_sys_getxattr(E3_MNT "/f", "user.b", buf,
	    sizeof(buf)), ERANGE);
	ck_assert_int_eq(rump_sys_listxattr(E3_MNT "/f", NULL, 0), 14);
	ck_assert_fails(rump_sys_listxattr(E3_MNT "/f", buf, 13), ERANGE);
	ck_assert_int_eq(rump_sys_listxattr(E3_MNT "/f", buf, 14), 14);
	ck_assert_int_eq(memcmp(buf, "user.a\0user.b\0", 14), 0);
	compare_with_host(img, files, 1);
}

E3TEST(write, set_and_remove_change_ctime)
{
	struct stat st0, st1, st2;
	const char *img;

	img = e3_mkfs("t.img", "ext4", 16, "-b 4096 -I 256");
	e3_rmount_ok(img, "ext4", 0);
	r_touch("f");
	ck_assert_int_eq(rump_sys_stat(E3_MNT "/f", &st0), 0);
	usleep(20000);
	r_set("f", "user.a", 3, 1);
	ck_assert_int_eq(rump_sys_stat(E3_MNT "/f", &st1), 0);
	ck_assert(st1.st_ctim.tv_sec > st0.st_ctim.tv_sec ||
	    (st1.st_ctim.tv_sec == st0.st_ctim.tv_sec &&
	    st1.st_ctim.tv_nsec > st0.st_ctim.tv_nsec));
	ck_assert(st1.st_mtim.tv_sec == st0.st_mtim.tv_sec &&
	    st1.st_mtim.tv_nsec == st0.st_mtim.tv_nsec);
	usleep(20000);
	r_remove("f", "user.a");
	ck_assert_int_eq(rump_sys_stat(E3_MNT "/f", &st2), 0);
	ck_assert(st2.st_ctim.tv_sec > st1.st_ctim.tv_sec ||
	    (st2.st_ctim.tv_sec == st1.st_ctim.tv_sec &&
	    st2.st_ctim.tv_nsec > st1.st_ctim.tv_nsec));
	e3_rumount();
	ck_assert_int_eq(e3_fsck(img), 0);
}

/* What we do not show we keep: a POSIX ACL survives our changes. */
E3TEST(write, acl_entries_survive_our_changes)
{
	static const char *const files[] = { "f" };
	unsigned char acl[64], got[64];
	const char *img, *m;
	char path[PATH_MAX];
	size_t alen = acl_value(acl);

	img = e3_mkfs("a.img", "ext4", 16, "-b 4096 -I 256");
	m = e3_hmount(img, "mh", NULL);
	e3_sh_ok("touch %s/f", m);
	snprintf(path, sizeof(path), "%s/f", m);
	ck_assert_int_eq(setxattr(path, "system.posix_acl_access", acl, alen,
	    0), 0);
	e3_humount(m);
	e3_rmount_ok(img, "ext4", 0);
	r_set("f", "user.a", 10, 1);
	r_set("f", "user.b", 3000, 2);
	r_remove("f", "user.a");
	compare_with_host(img, files, 1);
	m = e3_hmount(img, "mh", NULL);
	ck_assert_int_eq(getxattr(path, "system.posix_acl_access", got,
	    sizeof(got)), (ssize_t)alen);
	ck_assert_int_eq(memcmp(got, acl, alen), 0);
	e3_humount(m);
}

/*
 * acl: a chmod through us does to a POSIX access ACL what the host's
 * own chmod does (the owner's, the mask's and the others' entries from
 * the mode; an ACL the mode says all of removed), compared on a copy of
 * the image by the host: getfacl, the mode, and what a named user, a
 * named group's member and anyone else may do.
 */

/* An ACL as ext4 stores it (debugfs ea_set -r writes it as it is):
 * version, then (tag, perm) pairs; only short entries here. */
static void
acl_raw(const char *img, const char *file, uint32_t version,
    const uint16_t *tp, size_t n)
{
	const char *bin = e3_path("acl.bin");
	unsigned char b[64];
	size_t i, len = 0;
	FILE *f;

	b[len++] = version & 0xff;
	b[len++] = 0;
	b[len++] = 0;
	b[len++] = 0;
	for (i = 0; i < n; i++) {
		b[len++] = tp[i] & 0xff;
		b[len++] = tp[i] >> 8;
	}
	ck_assert_ptr_nonnull(f = fopen(bin, "w"));
	ck_assert_int_eq(fwrite(b, 1, len, f), len);
	fclose(f);
	e3_sh_ok("debugfs -w -R 'ea_set -r -f %s /%s system.posix_acl_access' "
	    "%s >/dev/null 2>&1", bin, file, img);
}

/* What the host shows of file under m: its ACL and mode, and what uid
 * 1000 (named in the ACLs), uid 2000 of group 1001 (named) and uid 3000
 * may do with it. */
static char *
acl_view(const char *m, const char *file)
{
	static char buf[2][4096];
	static int k;
	char *b = buf[k++ % 2];

	return e3_sh_out(b, sizeof(buf[0]), "cd %s && getfacl -n -- %s 2>&1; "
	    "stat -c %%a -- %s; for u in 1000:1000 2000:1001 3000:3000; do "
	    "setpriv --reuid=${u%%%%:*} --regid=${u#*:} --clear-groups "
	    "sh -c 'test -r \"$1\" && echo r$0; test -w \"$1\" && echo w$0; "
	    "test -x \"$1\" && echo x$0; true' $u %s; done", m, file, file,
	    file);
}

static const struct {
	const char *file;
	mode_t mode;
} acl_chmods[] = {
	{ "f0", 0640 }, { "f1", 0600 }, { "f2", 0777 }, { "f3", 0 },
	{ "f4", 04750 }, { "f5", 0604 }, { "d", 0750 }, { "min", 0600 },
	{ "same", 0664 },	/* setfacl made it 664: the ACL stays */
};
#define NCHMOD (sizeof(acl_chmods) / sizeof(acl_chmods[0]))

static void
acl_chmod_like_the_host(const char *type, const char *opts)
{
	static const uint16_t minimal[] = { 0x01, 6, 0x04, 4, 0x20, 4 };
	const char *img, *img2, *m, *m2;
	char path[PATH_MAX], *v, *v2;
	size_t i;
	int fd;

	img = e3_mkfs("acl.img", type, 16, opts);
	m = e3_hmount(img, "mh", NULL);
	e3_sh_ok("cd %s && touch f0 f1 f2 f3 f4 f5 min same && mkdir d && "
	    "chmod 644 f? min same && "
	    "setfacl -m u:1000:rw,g:1001:r f0 f1 f2 f3 f4 f5 same && "
	    "setfacl -m u:1000:rwx,g:1001:rx d && setfacl -d -m u:1000:rx d",
	    m);
	e3_humount(m);
	/* A minimal ACL (Linux never stores one, older kernels did). */
	acl_raw(img, "min", 1, minimal, 6);
	ck_assert_int_eq(e3_fsck(img), 0);
	img2 = e3_path("acl2.img");
	e3_sh_ok("cp %s %s", img, img2);

	m2 = e3_hmount(img2, "mh2", NULL);
	for (i = 0; i < NCHMOD; i++)
		e3_sh_ok("chmod %o %s/%s", (unsigned)acl_chmods[i].mode, m2,
		    acl_chmods[i].file);
	e3_humount(m2);

	e3_rmount_ok(img, type, 0);
	for (i = 0; i < NCHMOD; i++) {
		snprintf(path, sizeof(path), E3_MNT "/%s", acl_chmods[i].file);
		if (i % 2 == 0) {
			ck_assert_msg(rump_sys_chmod(path,
			    acl_chmods[i].mode) == 0, "chmod %s: %s", path,
			    strerror(errno));
			continue;
		}
		fd = rump_sys_open(path, O_RDONLY);
		ck_assert_int_ge(fd, 0);
		ck_assert_msg(rump_sys_fchmod(fd, acl_chmods[i].mode) == 0,
		    "fchmod %s: %s", path, strerror(errno));
		ck_assert_int_eq(rump_sys_close(fd), 0);
	}
	e3_rumount();
	ck_assert_int_eq(e3_fsck(img), 0);
	ck_assert_int_eq(e3_fsck(img2), 0);

	m = e3_hmount(img, "mh", NULL);
	m2 = e3_hmount(img2, "mh2", NULL);
	for (i = 0; i < NCHMOD; i++) {
		v = acl_view(m, acl_chmods[i].file);
		v2 = acl_view(m2, acl_chmods[i].file);
		ck_assert_msg(strcmp(v, v2) == 0, "%s after chmod %o:\n"
		    "--- the host's chmod\n%s--- ours\n%s", acl_chmods[i].file,
		    (unsigned)acl_chmods[i].mode, v2, v);
	}
	/* The reviewer's case: the named user lost write with the mask. */
	e3_sh_ok("cd %s && ! setpriv --reuid=1000 --regid=1000 --clear-groups "
	    "sh -c 'echo x >>f0' 2>/dev/null", m);
	e3_humount(m);
	e3_humount(m2);
}

E3TEST(acl, ext4_chmod_updates_the_access_acl_as_the_host_does)
{

	acl_chmod_like_the_host("ext4", "-b 4096 -I 256");
}

/* 128-byte inodes: the ACLs live in blocks the host shares between the
 * files with the same ACL; each change is a copy. */
E3TEST(acl, ext2_chmod_updates_shared_acl_blocks_as_the_host_does)
{

	acl_chmod_like_the_host("ext2", "-b 1024 -I 128");
}

/*
 * An access ACL that Linux cannot read: a chmod of the permission bits
 * is refused with EUCLEAN and changes nothing (the host would change
 * the mode, fail with EINVAL, and leave the ACL); one that only adds or
 * drops set-ID bits goes on.
 */
E3TEST(acl, a_malformed_access_acl_refuses_a_chmod_of_the_permissions)
{
	static const uint16_t v2[] = { 0x01, 6, 0x04, 4, 0x20, 4 };
	static const uint16_t nogroup[] = { 0x01, 6, 0x20, 4 };
	static const uint16_t badtag[] = { 0x01, 6, 0x04, 4, 0x40, 4,
	    0x20, 4 };
	const char *img, *m;
	char before[3][512], after[512];
	static const char *const bad[] = { "version2", "nogroup", "badtag" };
	struct stat st;
	char path[PATH_MAX];
	size_t i;

	img = e3_mkfs("bad.img", "ext4", 16, "-b 4096 -I 256");
	m = e3_hmount(img, "mh", NULL);
	e3_sh_ok("cd %s && touch version2 nogroup badtag good && chmod 644 * "
	    "&& setfacl -m u:1000:rw good", m);
	e3_humount(m);
	acl_raw(img, "version2", 2, v2, 6);
	acl_raw(img, "nogroup", 1, nogroup, 4);
	acl_raw(img, "badtag", 1, badtag, 8);
	for (i = 0; i < 3; i++)
		e3_sh_out(before[i], sizeof(before[i]), "debugfs -R "
		    "'ea_list /%s' %s 2>/dev/null", bad[i], img);
	e3_rmount_ok(img, "ext4", 0);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), E3_MNT "/%s", bad[i]);
		ck_assert_fails(rump_sys_chmod(path, 0600), EUCLEAN);
		ck_assert_int_eq(rump_sys_stat(path, &st), 0);
		ck_assert_int_eq(st.st_mode & 07777, 0644);
		ck_assert_int_eq(rump_sys_chmod(path, 04644), 0);
		ck_assert_int_eq(rump_sys_stat(path, &st), 0);
		ck_assert_int_eq(st.st_mode & 07777, 04644);
	}
	ck_assert_int_eq(rump_sys_chmod(E3_MNT "/good", 0600), 0);
	e3_rumount();
	for (i = 0; i < 3; i++) {
		e3_sh_out(after, sizeof(after), "debugfs -R 'ea_list /%s' %s "
		    "2>/dev/null", bad[i], img);
		ck_assert_str_eq(before[i], after);
	}
	m = e3_hmount(img, "mh", NULL);
	e3_sh_ok("cd %s && getfacl -n good | grep -q '^mask::---'", m);
	e3_humount(m);
}

/*
 * corrupt
 */

/* The image for the corruptions: f with two values in its block, g with
 * two in its inode, h with both, "other" a plain file. */
struct cimg {
	char img[256];
	uint32_t bs;
	uint64_t blk;		/* f's block (bytes) */
	uint64_t ibody;		/* g's first in-inode entry (bytes) */
	uint64_t facl;		/* f's i_file_acl field (bytes) */
};

static void
cimg_make_mb(struct cimg *c, const char *opts, int mb)
{
	const char *m;

	c->bs = 4096;
	snprintf(c->img, sizeof(c->img), "%s", e3_mkfs("c0.img", "ext4", mb,
	    opts));
	m = e3_hmount(c->img, "mh", NULL);
	e3_sh_ok("cd %s && touch f g h && echo hello >other", m);
	h_set(m, "f", "user.a", 1000, 1);
	h_set(m, "f", "user.b", 500, 2);
	h_set(m, "g", "user.x", 3, 3);
	h_set(m, "g", "user.y", 5, 4);
	h_set(m, "h", "user.in", 5, 5);
	h_set(m, "h", "user.out", 2000, 6);
	e3_humount(m);
	c->blk = dbg_stat(c->img, "f", "File ACL") * c->bs;
	c->ibody = dbg_inode_off(c->img, "g", c->bs) + 128 + 32 + 4;
	c->facl = dbg_inode_off(c->img, "f", c->bs) + 0x68;
	ck_assert_uint_eq(peek32(c->img, c->blk), 0xEA020000);
	ck_assert_uint_eq(peek32(c->img, c->ibody - 4), 0xEA020000);
}

static void
cimg_make(struct cimg *c, const char *opts)
{

	cimg_make_mb(c, opts, 16);
}

/* A copy of the image with a patch applied by the caller. */
static const char *
cimg_copy(const struct cimg *c)
{
	const char *img = e3_path("c1.img");

	e3_sh_ok("cp %s %s", c->img, img);
	return img;
}

/* file's attributes are EUCLEAN (or EIO), the other files' are fine and
 * "other" reads; unlinking the bad file does not crash. */
static void
corrupt_check(const char *img, const char *bad, const char *good,
    const char *what)
{
	char path[PATH_MAX], buf[XBUF];
	ssize_t n;
	int fd;

	e3_rmount_ok(img, "ext4", 0);
	snprintf(path, sizeof(path), E3_MNT "/%s", bad);
	errno = 0;
	n = rump_sys_listxattr(path, buf, sizeof(buf));
	ck_assert_msg(n == -1 && (errno == EUCLEAN || errno == EIO),
	    "%s: listxattr %s: %zd %s", what, bad, n, strerror(errno));
	errno = 0;
	n = rump_sys_getxattr(path, "user.a", buf, sizeof(buf));
	ck_assert_msg(n == -1 && (errno == EUCLEAN || errno == EIO),
	    "%s: getxattr %s: %zd %s", what, bad, n, strerror(errno));
	errno = 0;
	n = rump_sys_setxattr(path, "user.new", "v", 1, 0);
	ck_assert_msg(n == -1 && (errno == EUCLEAN || errno == EIO),
	    "%s: setxattr %s: %zd %s", what, bad, n, strerror(errno));
	errno = 0;
	n = rump_sys_removexattr(path, "user.a");
	ck_assert_msg(n == -1 && (errno == EUCLEAN || errno == EIO),
	    "%s: removexattr %s: %zd %s", what, bad, n, strerror(errno));
	snprintf(path, sizeof(path), E3_MNT "/%s", good);
	ck_assert_msg(rump_sys_listxattr(path, buf, sizeof(buf)) > 0,
	    "%s: listxattr %s: %s", what, good, strerror(errno));
	ck_assert_int_ge(rump_sys_getxattr(path, good[0] == 'g' ? "user.x" :
	    "user.a", buf, sizeof(buf)), 0);
	fd = rump_sys_open(E3_MNT "/other", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 6);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	ck_assert_int_eq(rump_sys_getxattr(E3_MNT "/h", "user.out", buf,
	    sizeof(buf)), 2000);
	snprintf(path, sizeof(path), E3_MNT "/%s", bad);
	(void)rump_sys_unlink(path);
	e3_rumount();
}

E3TEST(corrupt, bad_attribute_blocks_are_EUCLEAN)
{
	struct cimg c;
	const char *img;
	uint64_t e0, e1;
	uint32_t v;
	int k;

	cimg_make(&c, "-b 4096 -I 256 -O ^metadata_csum");
	e0 = c.blk + 32;				/* user.a's entry */
	e1 = e0 + 20;					/* user.b's */
	for (k = 0; k < 11; k++) {
		const char *what = "";

		img = cimg_copy(&c);
		switch (k) {
		case 0:
			what = "bad magic";
			patch32(img, c.blk, 0xEA020001);
			break;
		case 1:
			what = "h_blocks 2";
			patch32(img, c.blk + 8, 2);
			break;
		case 2:
			what = "reference count 0";
			patch32(img, c.blk + 4, 0);
			break;
		case 3:
			what = "value past the end";
			patch16(img, e0 + 2, 4092);
			break;
		case 4:
			what = "unaligned value";
			v = peek32(img, e0) >> 16;
			patch16(img, e0 + 2, (uint16_t)(v + 2));
			break;
		case 5:
			what = "values overlap";
			v = peek32(img, e0) >> 16;
			patch16(img, e1 + 2, (uint16_t)(v + 4));
			break;
		case 6:
			what = "a value over the entries";
			patch16(img, e0 + 2, 32);
			break;
		case 7:
			what = "huge value size";
			patch32(img, e0 + 8, 0xfffffff0);
			break;
		case 8:
			what = "no end of entries";
			{
				unsigned char *fill = malloc(c.bs - 32);

				memset(fill, 0x01, c.bs - 32);
				patch(img, e0, fill, c.bs - 32);
				free(fill);
			}
			break;
		case 9:
			what = "a value inode without ea_inode";
			patch32(img, e0 + 4, 12);
			break;
		case 10:
			/* Linux: "bad e_name length"; listed, it would be
			 * "user." and a name of its own. */
			what = "a NUL byte in a name";
			patch8(img, e1 + 16, 0);
			break;
		}
		corrupt_check(img, "f", "g", what);
	}
}

E3TEST(corrupt, bad_in_inode_attributes_are_EUCLEAN)
{
	struct cimg c;
	const char *img;
	uint64_t e0, e1;
	uint32_t v;
	int k;

	cimg_make(&c, "-b 4096 -I 256 -O ^metadata_csum");
	e0 = c.ibody;					/* user.x */
	e1 = e0 + 20;					/* user.y */
	for (k = 0; k < 8; k++) {
		const char *what = "";

		img = cimg_copy(&c);
		switch (k) {
		case 0:
			what = "a name running past the inode";
			patch8(img, e0, 200);
			break;
		case 1:
			what = "value past the inode";
			patch16(img, e0 + 2, 0x1000);
			break;
		case 2:
			what = "unaligned value";
			v = peek32(img, e0) >> 16;
			patch16(img, e0 + 2, (uint16_t)(v + 1));
			break;
		case 3:
			what = "values overlap";
			v = peek32(img, e1) >> 16;
			patch16(img, e0 + 2, (uint16_t)v);
			break;
		case 4:
			what = "huge value size";
			patch32(img, e1 + 8, 0x10000);
			break;
		case 5:
			what = "no end of entries";
			{
				unsigned char fill[92];

				memset(fill, 0x01, sizeof(fill));
				patch(img, e0, fill, sizeof(fill));
			}
			break;
		case 6:
			what = "a value over the entries";
			patch16(img, e1 + 2, 0);
			break;
		case 7:
			what = "a NUL byte in a name";
			patch8(img, e0 + 16, 0);
			break;
		}
		corrupt_check(img, "g", "f", what);
	}
}

/* Checksums (metadata_csum): a changed byte in the block is EUCLEAN; a
 * block number outside the file system makes the inode bad. */
E3TEST(corrupt, a_bad_block_checksum_is_EUCLEAN)
{
	struct cimg c;
	const char *img;
	uint32_t v;

	cimg_make(&c, "-b 4096 -I 256");
	img = cimg_copy(&c);
	v = peek32(img, c.blk + c.bs - 8);
	patch32(img, c.blk + c.bs - 8, v ^ 0x100);
	corrupt_check(img, "f", "g", "bad checksum");
}

E3TEST(corrupt, an_attribute_block_outside_the_fs_is_EUCLEAN)
{
	struct cimg c;
	const char *img;
	char buf[16];
	int fd;

	cimg_make(&c, "-b 4096 -I 256 -O ^metadata_csum");
	img = cimg_copy(&c);
	patch32(img, c.facl, 0x7fffffff);
	e3_rmount_ok(img, "ext4", 0);
	ck_assert_fails(rump_sys_listxattr(E3_MNT "/f", buf, sizeof(buf)),
	    EUCLEAN);
	ck_assert_int_eq(rump_sys_getxattr(E3_MNT "/g", "user.x", buf,
	    sizeof(buf)), 3);
	fd = rump_sys_open(E3_MNT "/other", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_read(fd, buf, sizeof(buf)), 6);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	e3_rumount();
}

/*
 * An i_file_acl that points into the file system's own structures, at
 * a block dressed up as an empty attribute block (what the bad-blocks
 * inode's fields can look like): Linux refuses the inode ("bad extended
 * attribute block"), and so do we, before a set rewrites the block in
 * place (reference count 1: the inode table lost 16 inodes, the root's
 * among them) or writes a count one less into it (count 2).  The block
 * is as it was afterwards.  Two groups, so that a backup superblock is
 * there too.
 */
E3TEST(corrupt, an_attribute_block_in_the_metadata_is_EUCLEAN_never_written)
{
	static const char *const what[] = { "the inode table (count 1)",
	    "the inode table (count 2)", "the journal", "the block bitmap",
	    "the inode bitmap", "a reserved GDT block",
	    "the backup superblock of group 1" };
	unsigned char hdr[36], before[256], after[256];
	struct cimg c;
	const char *img;
	uint64_t blk = 0, off;
	size_t k;

	cimg_make_mb(&c, "-b 4096 -I 256 -O ^metadata_csum", 160);
	for (k = 0; k < sizeof(what) / sizeof(what[0]); k++) {
		img = cimg_copy(&c);
		switch (k) {
		case 0:
		case 1:
			blk = dbg_imap(img, "<1>", c.bs) / c.bs;
			break;
		case 2:
			blk = sh_num("debugfs -R 'bmap <8> 100' %s 2>/dev/null",
			    img);
			break;
		case 3:
			blk = sh_num("dumpe2fs %s 2>/dev/null | sed -n "
			    "'s/.*Block bitmap at \\([0-9]*\\).*/\\1/p' | "
			    "head -1", img);
			break;
		case 4:
			blk = sh_num("dumpe2fs %s 2>/dev/null | sed -n "
			    "'s/.*Inode bitmap at \\([0-9]*\\).*/\\1/p' | "
			    "head -1", img);
			break;
		case 5:
			blk = sh_num("dumpe2fs %s 2>/dev/null | sed -n "
			    "'s/.*Reserved GDT blocks at \\([0-9]*\\)-.*/"
			    "\\1/p' | head -1", img);
			break;
		case 6:
			blk = 32768;
			ck_assert_uint_eq(peek32(img, blk * c.bs + 56) & 0xffff,
			    0xEF53);
			break;
		}
		off = blk * c.bs;
		memset(hdr, 0, sizeof(hdr));
		hdr[2] = 0x02;
		hdr[3] = 0xEA;				/* h_magic */
		hdr[4] = k == 1 ? 2 : 1;		/* h_refcount */
		hdr[8] = 1;				/* h_blocks */
		patch(img, off, hdr, sizeof(hdr));
		patch32(img, c.facl, (uint32_t)blk);
		peek(img, off, before, sizeof(before));
		corrupt_check(img, "f", "g", what[k]);
		peek(img, off, after, sizeof(after));
		ck_assert_msg(memcmp(before, after, sizeof(before)) == 0,
		    "%s (block %ju) was written", what[k], (uintmax_t)blk);
		e3_sh_ok("debugfs -R 'ls /' %s 2>/dev/null | grep -q other",
		    img);
	}
}

int
main(void)
{

	return e3_main("ext2_xattr", e3_envint("E3_TIMEOUT", 300));
}
