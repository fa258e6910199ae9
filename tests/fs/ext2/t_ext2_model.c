/*
 * t_ext2_model.c: the model-based random test of the driver's write path.
 *
 * For each seed: mke2fs makes a fresh 128 MiB image (ext2, ext3 and ext4
 * in turn; 1 KiB blocks, 4 KiB for every other three seeds), our driver
 * mounts it read-write, and a seeded random sequence of
 * operations runs through the rump kernel while a model in this program
 * (a tree of nodes; file data as sorted segments over zeros) says what
 * each call must return and what the tree must be after it.  The
 * operations: create, write at random offsets, truncate up and down,
 * rename (over files, over empty directories, and the errors EISDIR,
 * ENOTDIR, ENOTEMPTY, EINVAL), unlink, mkdir, rmdir, symlink (fast and
 * slow), link, chmod, chown (32-bit ids), mknod, reads compared with the
 * model, a directory of many entries churned, a file written past 4 GiB,
 * and unmount-mount cycles.  At the end the image is unmounted and
 *   - e2fsck -fn must exit 0,
 *   - the host kernel's read-only loop mount must show exactly the
 *     model's tree (ext2_test.h manifests: types, modes, owners, link
 *     counts, hard-link groups, sizes, data, symlink targets, devices),
 *   - and so must our driver after a fresh mount.
 * A mismatch prints the seed, the step and the operations before it.
 *
 * Environment: E3_SEEDS=N seeds (default 3), E3_SEED=S the first
 * (default 1), E3_STEPS=N steps per seed (default 400), E3_BIG=N entries
 * in the big directory (default 1500; E3_LONG=1: 10000 and 4000 steps),
 * E3_VERBOSE=1 prints every step.
 */

#include "ext2_test.h"

#define NAMEMAX 64
#define MAXNODES 40000
#define HIST 30
#define DATA_CAP (40u << 20)	/* bytes of data the model may hold */

struct seg {
	uint64_t off;
	size_t len;
	unsigned char *data;
};

struct ment {
	char name[NAMEMAX];
	int node;
};

struct mnode {
	int alive;
	mode_t mode;		/* type and permissions */
	uid_t uid;
	gid_t gid;
	int links;		/* entries naming it (non-directories) */
	dev_t rdev;
	char *target;
	/* regular files */
	uint64_t size;
	struct seg *segs;
	size_t nseg;
	/* directories */
	struct ment *ents;
	size_t nents, capents;
	int parent;
	char pname[NAMEMAX];
};

static struct mnode *nodes;
static int nnodes;
static uint64_t rng;
static uint64_t datasum;
static int step, verbose;
static char hist[HIST][320];
static int nhist;

static uint64_t
rnd(void)
{

	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t
pick(uint64_t n)
{

	return n == 0 ? 0 : rnd() % n;
}

static void
note(const char *fmt, ...)
{
	va_list ap;
	char *h = hist[nhist % HIST];

	va_start(ap, fmt);
	vsnprintf(h, sizeof(hist[0]), fmt, ap);
	va_end(ap);
	nhist++;
	if (verbose)
		fprintf(stderr, "%d: %s\n", step, h);
}

static void
dump_history(void)
{
	int i = nhist > HIST ? nhist - HIST : 0;

	for (; i < nhist; i++)
		fprintf(stderr, "  history: %s\n", hist[i % HIST]);
}

/* A call's result against the model's: 0 or an errno. */
#define expect(call, want) do { \
	long r_; \
	int e_; \
	errno = 0; \
	r_ = (long)(call); \
	e_ = r_ < 0 ? errno : 0; \
	if (e_ != (want)) { \
		dump_history(); \
		ck_abort_msg("step %d: %s: got %ld errno %d (%s), model " \
		    "says %d (%s)", step, #call, r_, e_, strerror(e_), \
		    (want), strerror(want)); \
	} \
} while (0)

/*
 * The model.
 */
static int
newnode(mode_t mode, uid_t uid, gid_t gid)
{
	struct mnode *n;

	ck_assert_int_lt(nnodes, MAXNODES);
	n = &nodes[nnodes];
	memset(n, 0, sizeof(*n));
	n->alive = 1;
	n->mode = mode;
	n->uid = uid;
	n->gid = gid;
	n->parent = -1;
	return nnodes++;
}

static void
freedata(struct mnode *n)
{
	size_t i;

	for (i = 0; i < n->nseg; i++) {
		datasum -= n->segs[i].len;
		free(n->segs[i].data);
	}
	free(n->segs);
	n->segs = NULL;
	n->nseg = 0;
}

static void
dropnode(int i)
{
	struct mnode *n = &nodes[i];

	freedata(n);
	free(n->target);
	free(n->ents);
	memset(n, 0, sizeof(*n));
}

static int
lookup(int dir, const char *name)
{
	struct mnode *d = &nodes[dir];
	size_t i;

	for (i = 0; i < d->nents; i++)
		if (strcmp(d->ents[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void
addent(int dir, const char *name, int node)
{
	struct mnode *d = &nodes[dir];

	if (d->nents == d->capents) {
		d->capents = d->capents ? d->capents * 2 : 8;
		d->ents = realloc(d->ents, d->capents * sizeof(d->ents[0]));
		ck_assert_ptr_nonnull(d->ents);
	}
	snprintf(d->ents[d->nents].name, NAMEMAX, "%s", name);
	d->ents[d->nents].node = node;
	d->nents++;
	if (S_ISDIR(nodes[node].mode)) {
		nodes[node].parent = dir;
		snprintf(nodes[node].pname, NAMEMAX, "%s", name);
	} else {
		nodes[node].links++;
	}
}

/* Remove entry i of dir; the node goes when nothing names it. */
static void
delent(int dir, size_t i, int drop)
{
	struct mnode *d = &nodes[dir];
	int node = d->ents[i].node;

	d->ents[i] = d->ents[d->nents - 1];
	d->nents--;
	if (!S_ISDIR(nodes[node].mode))
		nodes[node].links--;
	if (drop && (S_ISDIR(nodes[node].mode) || nodes[node].links == 0))
		dropnode(node);
}

/* Is a an ancestor of (or equal to) directory b? */
static int
ancestor(int a, int b)
{

	for (; b >= 0; b = nodes[b].parent)
		if (a == b)
			return 1;
	return 0;
}

/* buf = a "/" b; a path longer than PATH_MAX is a bug of the test. */
static void
pathcat(char *buf, size_t size, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	ck_assert_uint_lt(la + 1 + lb, size);
	memmove(buf, a, la);
	buf[la] = '/';
	memcpy(buf + la + 1, b, lb + 1);
}

static void
dirpath(int dir, char *buf, size_t size)
{
	char tmp[PATH_MAX];

	if (dir == 0) {
		snprintf(buf, size, "%s", E3_MNT);
		return;
	}
	dirpath(nodes[dir].parent, tmp, sizeof(tmp));
	pathcat(buf, size, tmp, nodes[dir].pname);
}

static void
entpath(int dir, const char *name, char *buf, size_t size)
{
	char tmp[PATH_MAX];

	dirpath(dir, tmp, sizeof(tmp));
	pathcat(buf, size, tmp, name);
}

/* File data. */
static void
m_truncate(struct mnode *n, uint64_t size)
{
	size_t i, j;

	for (i = j = 0; i < n->nseg; i++) {
		struct seg *s = &n->segs[i];

		if (s->off >= size) {
			datasum -= s->len;
			free(s->data);
			continue;
		}
		if (s->off + s->len > size) {
			datasum -= s->len - (size - s->off);
			s->len = size - s->off;
		}
		n->segs[j++] = *s;
	}
	n->nseg = j;
	n->size = size;
}

static int
segcmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

static struct seg
subseg(const struct seg *s, uint64_t from, uint64_t to)
{
	struct seg r;

	r.off = from;
	r.len = (size_t)(to - from);
	r.data = malloc(r.len);
	ck_assert_ptr_nonnull(r.data);
	memcpy(r.data, s->data + (from - s->off), r.len);
	datasum += r.len;
	return r;
}

static void
m_write(struct mnode *n, uint64_t off, const unsigned char *buf, size_t len)
{
	uint64_t end = off + len;
	struct seg *out, nw;
	size_t i, k = 0;

	out = malloc((n->nseg * 2 + 1) * sizeof(*out));
	ck_assert_ptr_nonnull(out);
	for (i = 0; i < n->nseg; i++) {
		struct seg *s = &n->segs[i];
		uint64_t send = s->off + s->len;

		if (send <= off || s->off >= end) {
			out[k++] = *s;
			continue;
		}
		/* The parts outside [off, end) stay. */
		if (s->off < off)
			out[k++] = subseg(s, s->off, off);
		if (send > end)
			out[k++] = subseg(s, end, send);
		datasum -= s->len;
		free(s->data);
	}
	nw.off = off;
	nw.len = len;
	nw.data = malloc(len);
	ck_assert_ptr_nonnull(nw.data);
	memcpy(nw.data, buf, len);
	datasum += len;
	out[k++] = nw;
	free(n->segs);
	n->segs = out;
	n->nseg = k;
	qsort(n->segs, n->nseg, sizeof(*n->segs), segcmp);
	if (end > n->size)
		n->size = end;
}

struct mread {
	struct mnode *n;
};

static ssize_t
m_reader(void *arg, void *buf, size_t len, uint64_t off)
{
	struct mnode *n = ((struct mread *)arg)->n;
	size_t i;

	if (off >= n->size)
		return 0;
	if (off + len > n->size)
		len = (size_t)(n->size - off);
	memset(buf, 0, len);
	for (i = 0; i < n->nseg; i++) {
		struct seg *s = &n->segs[i];
		uint64_t a = s->off > off ? s->off : off;
		uint64_t b = s->off + s->len < off + len ? s->off + s->len :
		    off + len;

		if (a < b)
			memcpy((unsigned char *)buf + (a - off),
			    s->data + (a - s->off), (size_t)(b - a));
	}
	return (ssize_t)len;
}

/* The model's manifest, in e3_walk's order. */
static void
m_walk(int dir, const char *rel, struct e3_manifest *m)
{
	struct mnode *d = &nodes[dir];
	struct ment *ents;
	char crel[PATH_MAX];
	struct stat st;
	size_t i, j;

	ents = malloc((d->nents + 1) * sizeof(*ents));
	if (d->nents > 0)
		memcpy(ents, d->ents, d->nents * sizeof(*ents));
	/* sorted by name, as e3_walk sorts */
	for (i = 1; i < d->nents; i++)
		for (j = i; j > 0 && strcmp(ents[j - 1].name,
		    ents[j].name) > 0; j--) {
			struct ment t = ents[j];

			ents[j] = ents[j - 1];
			ents[j - 1] = t;
		}
	for (i = 0; i < d->nents; i++) {
		struct mnode *n = &nodes[ents[i].node];
		const char *group = NULL;
		uint64_t hash = 0;
		int herr = 0;

		if (strcmp(rel, ".") == 0)
			snprintf(crel, sizeof(crel), "%s", ents[i].name);
		else
			snprintf(crel, sizeof(crel), "%s/%s", rel,
			    ents[i].name);
		memset(&st, 0, sizeof(st));
		st.st_mode = n->mode;
		st.st_uid = n->uid;
		st.st_gid = n->gid;
		st.st_rdev = n->rdev;
		st.st_ino = (ino_t)ents[i].node;
		if (S_ISDIR(n->mode)) {
			size_t k;

			st.st_nlink = 2;
			for (k = 0; k < n->nents; k++)
				if (S_ISDIR(nodes[n->ents[k].node].mode))
					st.st_nlink++;
		} else {
			st.st_nlink = (nlink_t)n->links;
		}
		if (S_ISREG(n->mode)) {
			struct mread r = { n };

			st.st_size = (off_t)n->size;
			hash = e3_hash_file(m_reader, &r, n->size, &herr);
		} else if (S_ISLNK(n->mode)) {
			st.st_size = (off_t)strlen(n->target);
		}
		if (!S_ISDIR(n->mode) && n->links > 1)
			group = e3_mgroup(m, (uint64_t)ents[i].node, crel);
		e3_mline(m, crel, &st, S_ISLNK(n->mode) ? n->target : NULL,
		    hash, herr, group);
		if (S_ISDIR(n->mode))
			m_walk(ents[i].node, crel, m);
	}
	free(ents);
}

static void
m_manifest(struct e3_manifest *m)
{
	struct stat st;
	size_t k;

	memset(m, 0, sizeof(*m));
	memset(&st, 0, sizeof(st));
	st.st_mode = nodes[0].mode;
	st.st_uid = nodes[0].uid;
	st.st_gid = nodes[0].gid;
	st.st_nlink = 2;
	for (k = 0; k < nodes[0].nents; k++)
		if (S_ISDIR(nodes[nodes[0].ents[k].node].mode))
			st.st_nlink++;
	e3_mline(m, ".", &st, NULL, 0, 0, NULL);
	m_walk(0, ".", m);
	e3_msort(m);
}

/*
 * Picking things.
 */
static int
random_dir(void)
{
	int tries, i;

	for (tries = 0; tries < 100; tries++) {
		i = (int)pick((uint64_t)nnodes);
		if (nodes[i].alive && S_ISDIR(nodes[i].mode))
			return i;
	}
	return 0;
}

/* A random entry (dir, index); -1 when none found. */
static int
random_ent(int *dirp, size_t *ip, int want_type)
{
	int tries, d;

	for (tries = 0; tries < 50; tries++) {
		d = random_dir();
		if (nodes[d].nents == 0)
			continue;
		*dirp = d;
		*ip = pick(nodes[d].nents);
		if (want_type == 0 || (nodes[nodes[d].ents[*ip].node].mode &
		    S_IFMT) == (mode_t)want_type)
			return 0;
	}
	return -1;
}

static void
random_name(char *buf)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789._-";
	int len, i;

	if (pick(4) != 0) {
		/* a small name space, so that names collide */
		snprintf(buf, NAMEMAX, "n%d", (int)pick(40));
		return;
	}
	len = 1 + (int)pick(NAMEMAX - 2);
	for (i = 0; i < len; i++)
		buf[i] = chars[pick(sizeof(chars) - 1)];
	buf[len] = '\0';
	if (strcmp(buf, ".") == 0 || strcmp(buf, "..") == 0)
		buf[0] = 'x';
}

static gid_t
new_gid(int dir)
{

	return (nodes[dir].mode & S_ISGID) ? nodes[dir].gid : 0;
}

static uid_t
random_id(void)
{
	static const uint32_t ids[] = { 0, 1, 1000, 65534, 65535, 65536,
	    100000, 4000000000u, 4294967294u };

	return pick(3) == 0 ? (uid_t)pick(70000) : ids[pick(9)];
}

static const mode_t perms[] = { 0644, 0600, 0755, 0700, 0, 0444, 04755,
    02755, 01777, 0111, 06711, 02775 };

/*
 * The operations.
 */
static void
op_create(void)
{
	char name[NAMEMAX], p[PATH_MAX];
	int d = random_dir(), n, fd;
	mode_t mode = perms[pick(6)];

	random_name(name);
	entpath(d, name, p, sizeof(p));
	note("create %s %o", p, mode);
	if (lookup(d, name) >= 0) {
		expect(rump_sys_open(p, O_WRONLY | O_CREAT | O_EXCL, mode),
		    EEXIST);
		return;
	}
	fd = rump_sys_open(p, O_WRONLY | O_CREAT | O_EXCL, mode);
	expect(fd, 0);
	expect(rump_sys_close(fd), 0);
	n = newnode(S_IFREG | mode, 0, new_gid(d));
	addent(d, name, n);
}

static void
op_write(int far)
{
	char p[PATH_MAX];
	unsigned char *buf;
	uint64_t off;
	size_t len, i;
	int d, fd;
	struct mnode *n;

	if (random_ent(&d, &i, S_IFREG) != 0)
		return;
	n = &nodes[nodes[d].ents[i].node];
	len = 1 + pick(pick(4) == 0 ? 65536 : 4096);
	if (far)
		off = (1ULL << 32) - 8192 + pick(3ULL << 30);
	else if (pick(3) == 0)
		off = n->size < (2u << 20) ? n->size : pick(1 << 20);
	else
		off = pick(pick(5) == 0 ? (2u << 20) : (256u << 10));
	if (datasum + len > DATA_CAP)
		return;
	buf = malloc(len);
	ck_assert_ptr_nonnull(buf);
	e3_fill(buf, len, rnd(), off);
	entpath(d, nodes[d].ents[i].name, p, sizeof(p));
	note("write %s off %llu len %zu", p, (unsigned long long)off, len);
	fd = rump_sys_open(p, O_WRONLY);
	expect(fd, 0);
	errno = 0;
	if (rump_sys_pwrite(fd, buf, len, (off_t)off) != (ssize_t)len) {
		dump_history();
		ck_abort_msg("step %d: pwrite %s: %s", step, p,
		    strerror(errno));
	}
	expect(rump_sys_close(fd), 0);
	m_write(n, off, buf, len);
	free(buf);
}

static void
op_truncate(void)
{
	char p[PATH_MAX];
	uint64_t size;
	size_t i;
	int d;
	struct mnode *n;

	if (random_ent(&d, &i, S_IFREG) != 0)
		return;
	n = &nodes[nodes[d].ents[i].node];
	switch (pick(4)) {
	case 0:
		size = 0;
		break;
	case 1:
		size = n->size / 2 + pick(n->size / 2 + 1);
		break;
	case 2:
		size = n->size + pick(3u << 20);	/* up: a hole */
		break;
	default:
		size = pick(1u << 20);
		break;
	}
	entpath(d, nodes[d].ents[i].name, p, sizeof(p));
	note("truncate %s %llu", p, (unsigned long long)size);
	expect(rump_sys_truncate(p, (off_t)size), 0);
	m_truncate(n, size);
}

static int
dir_empty(int node)
{

	return nodes[node].nents == 0;
}

static void
op_rename(void)
{
	char sname[NAMEMAX], dname[NAMEMAX], sp[PATH_MAX], dp[PATH_MAX];
	int sd, dd, sn, dn, want;
	size_t si;
	int di;

	if (random_ent(&sd, &si, 0) != 0)
		return;
	snprintf(sname, sizeof(sname), "%s", nodes[sd].ents[si].name);
	sn = nodes[sd].ents[si].node;
	dd = random_dir();
	if (pick(3) == 0 && nodes[dd].nents > 0)
		snprintf(dname, sizeof(dname), "%s",
		    nodes[dd].ents[pick(nodes[dd].nents)].name);
	else
		random_name(dname);
	entpath(sd, sname, sp, sizeof(sp));
	entpath(dd, dname, dp, sizeof(dp));
	di = lookup(dd, dname);
	dn = di >= 0 ? nodes[dd].ents[di].node : -1;
	note("rename %s %s", sp, dp);

	/* Linux's order: the source an ancestor of the target's directory
	 * (EINVAL), the target an ancestor of the source's directory
	 * (ENOTEMPTY), then the types. */
	want = 0;
	if (S_ISDIR(nodes[sn].mode) && ancestor(sn, dd))
		want = sn == dn ? 0 : EINVAL;
	else if (dn >= 0 && S_ISDIR(nodes[dn].mode) && ancestor(dn, sd))
		want = ENOTEMPTY;
	else if (dn >= 0 && dn != sn) {
		if (S_ISDIR(nodes[sn].mode) && !S_ISDIR(nodes[dn].mode))
			want = ENOTDIR;
		else if (!S_ISDIR(nodes[sn].mode) && S_ISDIR(nodes[dn].mode))
			want = EISDIR;
		else if (S_ISDIR(nodes[dn].mode) && !dir_empty(dn))
			want = ENOTEMPTY;
	}
	/* The target is the source itself, or a hard link of it: nothing
	 * happens (and the source's directory may be the target's
	 * ancestor). */
	if (dn == sn)
		want = 0;
	expect(rump_sys_rename(sp, dp), want);
	if (want != 0 || dn == sn)
		return;
	if (dn >= 0)
		delent(dd, (size_t)di, 1);
	/* the source's index may have moved if sd == dd */
	si = (size_t)lookup(sd, sname);
	delent(sd, si, 0);
	addent(dd, dname, sn);
}

static void
op_unlink(void)
{
	char p[PATH_MAX];
	size_t i;
	int d, n;

	if (random_ent(&d, &i, 0) != 0)
		return;
	n = nodes[d].ents[i].node;
	entpath(d, nodes[d].ents[i].name, p, sizeof(p));
	note("unlink %s", p);
	if (S_ISDIR(nodes[n].mode)) {
		expect(rump_sys_unlink(p), EISDIR);
		return;
	}
	expect(rump_sys_unlink(p), 0);
	delent(d, i, 1);
}

static void
op_mkdir(void)
{
	char name[NAMEMAX], p[PATH_MAX];
	int d = random_dir(), n;
	mode_t mode = perms[pick(4)];

	random_name(name);
	entpath(d, name, p, sizeof(p));
	note("mkdir %s %o", p, mode);
	if (lookup(d, name) >= 0) {
		expect(rump_sys_mkdir(p, mode), EEXIST);
		return;
	}
	expect(rump_sys_mkdir(p, mode), 0);
	if (nodes[d].mode & S_ISGID)
		mode |= S_ISGID;
	n = newnode(S_IFDIR | mode, 0, new_gid(d));
	addent(d, name, n);
}

static void
op_rmdir(void)
{
	char p[PATH_MAX];
	size_t i;
	int d, n;

	if (random_ent(&d, &i, S_IFDIR) != 0)
		return;
	n = nodes[d].ents[i].node;
	entpath(d, nodes[d].ents[i].name, p, sizeof(p));
	note("rmdir %s", p);
	if (!dir_empty(n)) {
		expect(rump_sys_rmdir(p), ENOTEMPTY);
		return;
	}
	expect(rump_sys_rmdir(p), 0);
	delent(d, i, 1);
}

static void
op_symlink(void)
{
	char name[NAMEMAX], p[PATH_MAX], target[400];
	int d = random_dir(), n, len, i;

	random_name(name);
	len = 1 + (int)pick(pick(2) ? 59 : 300);
	for (i = 0; i < len; i++)
		target[i] = "abcxyz/._"[pick(9)];
	target[len] = '\0';
	entpath(d, name, p, sizeof(p));
	note("symlink %s -> %s", p, target);
	if (lookup(d, name) >= 0) {
		expect(rump_sys_symlink(target, p), EEXIST);
		return;
	}
	expect(rump_sys_symlink(target, p), 0);
	n = newnode(S_IFLNK | 0777, 0, new_gid(d));
	nodes[n].target = strdup(target);
	addent(d, name, n);
}

static void
op_link(void)
{
	char name[NAMEMAX], sp[PATH_MAX], dp[PATH_MAX];
	int sd, dd, n;
	size_t si;

	if (random_ent(&sd, &si, 0) != 0)
		return;
	n = nodes[sd].ents[si].node;
	dd = random_dir();
	random_name(name);
	entpath(sd, nodes[sd].ents[si].name, sp, sizeof(sp));
	entpath(dd, name, dp, sizeof(dp));
	note("link %s %s", sp, dp);
	/* Linux looks the new name up first. */
	if (lookup(dd, name) >= 0) {
		expect(rump_sys_link(sp, dp), EEXIST);
		return;
	}
	if (S_ISDIR(nodes[n].mode)) {
		expect(rump_sys_link(sp, dp), EPERM);
		return;
	}
	expect(rump_sys_link(sp, dp), 0);
	addent(dd, name, n);
}

static void
op_chmod(void)
{
	char p[PATH_MAX];
	size_t i;
	int d, n;
	mode_t mode = perms[pick(sizeof(perms) / sizeof(perms[0]))];

	if (random_ent(&d, &i, 0) != 0)
		return;
	n = nodes[d].ents[i].node;
	if (S_ISLNK(nodes[n].mode))
		return;
	entpath(d, nodes[d].ents[i].name, p, sizeof(p));
	note("chmod %s %o", p, mode);
	expect(rump_sys_chmod(p, mode), 0);
	nodes[n].mode = (nodes[n].mode & S_IFMT) | mode;
}

static void
op_chown(void)
{
	char p[PATH_MAX];
	size_t i;
	int d, n;
	uid_t uid = random_id();
	gid_t gid = random_id();
	struct mnode *m;

	if (random_ent(&d, &i, 0) != 0)
		return;
	n = nodes[d].ents[i].node;
	m = &nodes[n];
	entpath(d, nodes[d].ents[i].name, p, sizeof(p));
	note("lchown %s %u %u", p, (unsigned)uid, (unsigned)gid);
	expect(rump_sys_lchown(p, uid, gid), 0);
	m->uid = uid;
	m->gid = gid;
	/* Linux: a change of owner of a non-directory drops set-user-ID,
	 * and set-group-ID when group execution is on, even for root. */
	if (!S_ISDIR(m->mode) && !S_ISLNK(m->mode)) {
		m->mode &= ~(mode_t)S_ISUID;
		if (m->mode & S_IXGRP)
			m->mode &= ~(mode_t)S_ISGID;
	}
}

static void
op_mknod(void)
{
	static const mode_t types[] = { S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK };
	char name[NAMEMAX], p[PATH_MAX];
	int d = random_dir(), n;
	mode_t mode = types[pick(4)] | perms[pick(4)];
	dev_t dev = 0;

	if (S_ISCHR(mode) || S_ISBLK(mode))
		dev = pick(2) ? makedev(pick(256), pick(256)) :
		    makedev(pick(4096), pick(1 << 20));
	random_name(name);
	entpath(d, name, p, sizeof(p));
	note("mknod %s %o %u:%u", p, mode, major(dev), minor(dev));
	if (lookup(d, name) >= 0) {
		expect(rump_sys_mknod(p, mode, dev), EEXIST);
		return;
	}
	expect(rump_sys_mknod(p, mode, dev), 0);
	n = newnode(mode, 0, new_gid(d));
	nodes[n].rdev = dev;
	addent(d, name, n);
}

/* Read a random range of a random file and compare with the model. */
static void
op_read(void)
{
	static unsigned char a[70000], b[70000];
	char p[PATH_MAX];
	struct mread r;
	uint64_t off;
	size_t i, len;
	ssize_t got, want;
	int d, fd;

	if (random_ent(&d, &i, S_IFREG) != 0)
		return;
	r.n = &nodes[nodes[d].ents[i].node];
	off = pick(r.n->size + 10);
	if (r.n->size > (8u << 20) && pick(2))
		off = (1ULL << 32) - 4096 + pick(8192);
	len = 1 + pick(sizeof(a));
	entpath(d, nodes[d].ents[i].name, p, sizeof(p));
	note("read %s off %llu len %zu", p, (unsigned long long)off, len);
	fd = rump_sys_open(p, O_RDONLY);
	expect(fd, 0);
	got = rump_sys_pread(fd, a, len, (off_t)off);
	want = m_reader(&r, b, len, off);
	expect(rump_sys_close(fd), 0);
	if (got != want || memcmp(a, b, (size_t)want) != 0) {
		dump_history();
		ck_abort_msg("step %d: read %s at %llu: got %zd bytes, model "
		    "%zd, or different bytes", step, p,
		    (unsigned long long)off, got, want);
	}
}

static const char *fstype;
static const char *img;

static void
op_remount(void)
{

	note("remount");
	e3_rumount();
	e3_rmount_ok(img, fstype, 0);
}

/* The big directory: fill it, then churn a few entries at a time. */
static int bigdir = -1;

static void
op_big(int fill)
{
	char name[NAMEMAX], p[PATH_MAX];
	int i, count, n, fd;

	if (bigdir < 0 || !nodes[bigdir].alive ||
	    !S_ISDIR(nodes[bigdir].mode))
		return;
	count = fill ? e3_envint("E3_BIG", getenv("E3_LONG") ? 10000 :
	    1500) : 20;
	note("big dir: %s %d", fill ? "fill" : "churn", count);
	for (i = 0; i < count; i++) {
		if (!fill && nodes[bigdir].nents > 0 && pick(2)) {
			size_t k = pick(nodes[bigdir].nents);

			n = nodes[bigdir].ents[k].node;
			if (S_ISDIR(nodes[n].mode))
				continue;
			entpath(bigdir, nodes[bigdir].ents[k].name, p,
			    sizeof(p));
			expect(rump_sys_unlink(p), 0);
			delent(bigdir, k, 1);
			continue;
		}
		snprintf(name, sizeof(name), "entry-%llx-%.*s",
		    (unsigned long long)rnd(), (int)pick(30),
		    "abcdefghijklmnopqrstuvwxyz0123");
		if (lookup(bigdir, name) >= 0)
			continue;
		entpath(bigdir, name, p, sizeof(p));
		fd = rump_sys_open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0) {
			dump_history();
			ck_abort_msg("step %d: create %s: %s", step, p,
			    strerror(errno));
		}
		expect(rump_sys_close(fd), 0);
		n = newnode(S_IFREG | 0644, 0, new_gid(bigdir));
		addent(bigdir, name, n);
	}
}

static void
run_seed(uint64_t seed, int steps)
{
	static const char *const types[] = { "ext2", "ext3", "ext4" };
	struct e3_manifest mm, hm, rm;
	const char *m;
	int r, i;

	fstype = types[seed % 3];
	rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	nhist = 0;
	nnodes = 0;
	datasum = 0;
	/* 1 KiB blocks (mke2fs's choice for this size), and 4 KiB blocks for
	 * every other triple of seeds. */
	img = e3_mkfs("model.img", fstype, 128, (seed / 3) % 2 ? "-b 4096" :
	    NULL);
	fprintf(stderr, "t_ext2_model: seed %llu: %s, %s blocks\n",
	    (unsigned long long)seed, fstype, (seed / 3) % 2 ? "4 KiB" :
	    "1 KiB");
	e3_rmount_ok(img, fstype, 0);
	rump_sys_umask(0);

	/* The model of a fresh image: / and lost+found. */
	i = newnode(S_IFDIR | 0755, 0, 0);
	i = newnode(S_IFDIR | 0700, 0, 0);
	addent(0, "lost+found", i);
	/* The big directory and a file past 4 GiB. */
	expect(rump_sys_mkdir(E3_MNT "/big", 0755), 0);
	bigdir = newnode(S_IFDIR | 0755, 0, 0);
	addent(0, "big", bigdir);
	op_big(1);
	i = rump_sys_open(E3_MNT "/sparse", O_CREAT | O_WRONLY, 0644);
	expect(i, 0);
	expect(rump_sys_close(i), 0);
	i = newnode(S_IFREG | 0644, 0, 0);
	addent(0, "sparse", i);
	{
		static unsigned char b[5000];
		int fd = rump_sys_open(E3_MNT "/sparse", O_WRONLY);

		e3_fill(b, sizeof(b), 77, 0);
		expect(fd, 0);
		ck_assert_int_eq(rump_sys_pwrite(fd, b, sizeof(b),
		    (1LL << 32) - 2000), (ssize_t)sizeof(b));
		expect(rump_sys_close(fd), 0);
		m_write(&nodes[i], (1ULL << 32) - 2000, b, sizeof(b));
	}

	for (step = 0; step < steps; step++) {
		r = (int)pick(100);
		if (r < 10)
			op_create();
		else if (r < 26)
			op_write(0);
		else if (r < 27)
			op_write(1);
		else if (r < 33)
			op_truncate();
		else if (r < 41)
			op_rename();
		else if (r < 47)
			op_unlink();
		else if (r < 53)
			op_mkdir();
		else if (r < 57)
			op_rmdir();
		else if (r < 62)
			op_symlink();
		else if (r < 67)
			op_link();
		else if (r < 71)
			op_chmod();
		else if (r < 75)
			op_chown();
		else if (r < 78)
			op_mknod();
		else if (r < 92)
			op_read();
		else if (r < 97)
			op_big(0);
		else if (r < 98)
			op_remount();
	}

	e3_rumount();
	m_manifest(&mm);
	/* e2fsck must find nothing. */
	if (e3_fsck(img) != 0) {
		dump_history();
		ck_abort_msg("seed %llu (%s): e2fsck -fn found problems "
		    "(above)", (unsigned long long)seed, fstype);
	}
	/* The host kernel reads back the model's tree. */
	m = e3_hmount(img, "mh", "ro");
	e3_manifest(&e3_host_ops, m, 0, &hm);
	e3_humount(m);
	if (e3_mdiff("model", &mm, "host", &hm) != 0) {
		dump_history();
		ck_abort_msg("seed %llu (%s): the host's tree is not the "
		    "model's", (unsigned long long)seed, fstype);
	}
	/* So does our driver, freshly mounted. */
	e3_rmount_ok(img, fstype, MS_RDONLY);
	e3_manifest(&e3_rump_ops, E3_MNT, 0, &rm);
	e3_rumount();
	if (e3_mdiff("model", &mm, "rump", &rm) != 0) {
		dump_history();
		ck_abort_msg("seed %llu (%s): our tree after a remount is not "
		    "the model's", (unsigned long long)seed, fstype);
	}
	e3_mfree(&hm);
	e3_mfree(&rm);
	/* And the host's view of the image is our driver's, to the inode
	 * numbers, block counts, directory sizes and times. */
	m = e3_hmount(img, "mh", "ro");
	e3_manifest(&e3_host_ops, m, E3M_SAME_IMAGE, &hm);
	e3_humount(m);
	e3_rmount_ok(img, fstype, MS_RDONLY);
	e3_manifest(&e3_rump_ops, E3_MNT, E3M_SAME_IMAGE, &rm);
	e3_rumount();
	if (e3_mdiff("host", &hm, "rump", &rm) != 0)
		ck_abort_msg("seed %llu (%s): our driver and the host read the "
		    "image differently", (unsigned long long)seed, fstype);
	e3_mfree(&mm);
	e3_mfree(&hm);
	e3_mfree(&rm);
	for (i = 0; i < nnodes; i++)
		if (nodes[i].alive)
			dropnode(i);
}

/*
 * A full file system: files written until ENOSPC; what a write said it
 * wrote is there (the host reads it back), e2fsck -fn is clean, and the
 * space comes back when a file goes.
 */
static void
fill_up(const char *type)
{
	static unsigned char buf[65536], rb[65536];
	const char *m;
	char p[PATH_MAX];
	uint64_t sizes[400];
	int nf, fd, i, full = 0;
	ssize_t w;

	img = e3_mkfs("full.img", type, 8, NULL);
	e3_rmount_ok(img, type, 0);
	for (nf = 0; nf < 400 && !full; nf++) {
		snprintf(p, sizeof(p), E3_MNT "/f%03d", nf);
		fd = rump_sys_open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0) {
			ck_assert_msg(errno == ENOSPC, "create %s: %s", p,
			    strerror(errno));
			break;
		}
		sizes[nf] = 0;
		for (i = 0; i < 8; i++) {
			e3_fill(buf, sizeof(buf), (uint64_t)nf, sizes[nf]);
			w = rump_sys_write(fd, buf, sizeof(buf));
			if (w < 0) {
				ck_assert_msg(errno == ENOSPC, "write %s: %s",
				    p, strerror(errno));
				full = 1;
				break;
			}
			sizes[nf] += (uint64_t)w;
			if (w < (ssize_t)sizeof(buf)) {
				full = 1;
				break;
			}
		}
		ck_assert_int_eq(rump_sys_close(fd), 0);
	}
	ck_assert_msg(full, "%s: 8 MiB never filled up", type);
	/* Everything written reads back through our driver. */
	for (i = 0; i < nf; i++) {
		uint64_t off;

		snprintf(p, sizeof(p), E3_MNT "/f%03d", i);
		fd = rump_sys_open(p, O_RDONLY);
		ck_assert_int_ge(fd, 0);
		for (off = 0; off < sizes[i]; off += sizeof(rb)) {
			size_t want = sizes[i] - off < sizeof(rb) ?
			    (size_t)(sizes[i] - off) : sizeof(rb);

			ck_assert_int_eq(rump_sys_pread(fd, rb, want,
			    (off_t)off), (ssize_t)want);
			e3_fill(buf, want, (uint64_t)i, off);
			ck_assert_msg(memcmp(rb, buf, want) == 0,
			    "%s: data differ at %llu", p,
			    (unsigned long long)off);
		}
		ck_assert_int_eq(rump_sys_close(fd), 0);
	}
	/* Space comes back. */
	ck_assert_int_eq(rump_sys_unlink(E3_MNT "/f000"), 0);
	fd = rump_sys_open(E3_MNT "/again", O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_write(fd, buf, 4096), 4096);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	e3_rumount();
	ck_assert_int_eq(e3_fsck(img), 0);

	/* The host reads the same sizes and data. */
	m = e3_hmount(img, "mh", "ro");
	for (i = 1; i < nf; i++) {
		struct stat st;
		uint64_t off;

		snprintf(p, sizeof(p), "%s/f%03d", m, i);
		ck_assert_int_eq(stat(p, &st), 0);
		ck_assert_int_eq((uint64_t)st.st_size, sizes[i]);
		fd = open(p, O_RDONLY);
		ck_assert_int_ge(fd, 0);
		for (off = 0; off < sizes[i]; off += sizeof(rb)) {
			size_t want = sizes[i] - off < sizeof(rb) ?
			    (size_t)(sizes[i] - off) : sizeof(rb);

			ck_assert_int_eq(pread(fd, rb, want, (off_t)off),
			    (ssize_t)want);
			e3_fill(buf, want, (uint64_t)i, off);
			ck_assert_msg(memcmp(rb, buf, want) == 0,
			    "host %s: data differ at %llu", p,
			    (unsigned long long)off);
		}
		close(fd);
	}
	e3_humount(m);
}

E3TEST(enospc, full_file_system_is_ENOSPC_and_loses_nothing)
{

	fill_up("ext2");
	e3_sh_ok("rm -f %s", img);
	fill_up("ext4");
}

E3TEST(model, random_operations_match_the_model_fsck_and_host)
{
	int seeds = e3_envint("E3_SEEDS", 3);
	int first = e3_envint("E3_SEED", 1);
	int steps = e3_envint("E3_STEPS", getenv("E3_LONG") ? 4000 : 400);
	int s;

	verbose = getenv("E3_VERBOSE") != NULL;
	nodes = calloc(MAXNODES, sizeof(*nodes));
	ck_assert_ptr_nonnull(nodes);
	for (s = first; s < first + seeds; s++) {
		run_seed((uint64_t)s, steps);
	}
	free(nodes);
}

/*
 * A halt while the buffer cache still writes behind: the I/O completions
 * that arrive after the halt has ended the processes must not use them
 * (an AddressSanitizer run of the hijack found a temporary lwp of the
 * freed default process in use), and every byte written is on the image.
 */
E3TEST(halt, halt_with_writes_in_flight_loses_nothing)
{
	static unsigned char buf[256 * 1024];
	const char *img = e3_mkfs("halt.img", "ext2", 96, NULL);
	char path[64];
	int fd, i, j;

	e3_halt_rump();
	setenv("RUMP_MEMLIMIT", "12m", 1);	/* the cache writes behind */
	e3_boot_rump();
	unsetenv("RUMP_MEMLIMIT");
	e3_rmount_ok(img, "ext2", 0);
	for (i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), E3_MNT "/f%d", i);
		fd = rump_sys_open(path, O_CREAT | O_WRONLY, 0644);
		ck_assert_int_ge(fd, 0);
		for (j = 0; j < 4; j++) {
			e3_fill(buf, sizeof(buf), (uint64_t)i, (uint64_t)j *
			    sizeof(buf));
			ck_assert_int_eq(rump_sys_write(fd, buf, sizeof(buf)),
			    (ssize_t)sizeof(buf));
		}
		ck_assert_int_eq(rump_sys_close(fd), 0);
	}
	e3_halt_rump();		/* no unmount first: the halt's own */
	ck_assert_int_eq(e3_fsck(img), 0);
	ck_assert_int_eq(e3_sh("debugfs -R 'dump /f39 %s' %s >/dev/null "
	    "2>&1 && test $(stat -c %%s %s) -eq %zu", e3_path("f39"), img,
	    e3_path("f39"), 4 * sizeof(buf)), 0);
	e3_boot_rump();
}

int
main(void)
{

	return e3_main("ext2_model", e3_envint("E3_TIMEOUT", 600));
}
