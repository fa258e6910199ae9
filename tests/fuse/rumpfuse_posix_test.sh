#!/bin/sh
# rumpfuse_posix_test.sh: the POSIX semantics suites (tests/vfs t_vfs,
# t_rename, t_perm, t_attr, t_xattr) run through an ext4 image served by rumpfuse,
# in their host variants (t_*_host: the host's own system calls), so that
# the host kernel's FUSE layer and rumpfuse's kernel driver answer them.
#
# VT_HOSTDIR_DIR (tests/vfs/vfs_test.h) makes each case chroot into a
# fresh directory of its own on the mount instead of a private tmpfs.
# The mount has -o allow_other (the cases switch to uid 1000 and other
# ids, which FUSE would otherwise refuse outright) and default_permissions
# (rumpfuse's kernel calls run as root, so without it nothing checks
# modes: 20 of t_perm's cases fail; with it the host kernel checks them
# as for any local file system).  The attribute and entry caches are
# rumpfuse's defaults, as a user gets them.
#
# Every case must pass except those listed in "known" below, each with
# its reason; a listed case that passes is reported, not failed.  Then
# the tree is removed through the mount, fusermount3 -u, the server must
# exit and e2fsck -fn must find the image clean.
#
# Needs root (the host variants unshare a mount namespace and chroot);
# skipped without root, /dev/fuse, fusermount3 or e2fsprogs.  RUMPFUSE
# names the program (default build/bin/rumpfuse), VT_HOST_TESTS the
# directory of the t_*_host programs (default: the newest of build/tests,
# build-test/tests, build-clang/tests; make test builds the last two).
set -u
. "$(dirname "$0")/fuse_lib.sh"
suites="t_vfs t_rename t_perm t_attr t_xattr"

# Cases expected to fail through the mount: "suite:case reason".  A
# reason that starts with "maybe:" names a case that may pass or fail
# (it depends on FUSE's caches); no note when it passes.
known() {
	cat <<'EOF'
t_vfs:lseek_on_tmpfs_directory_allows_only_set_and_cur tmpfs only: ext4 (the host's too) allows SEEK_END on a directory
t_attr:statfs_reports_tmpfs tmpfs only: f_type is FUSE's (0x65735546), not TMPFS_MAGIC
t_xattr:a_value_of_64KiB_works_and_one_byte_more_is_E2BIG tmpfs only: ext4 without ea_inode keeps a file's attributes in its inode and one block (ENOSPC, Linux's ext4 too)
t_xattr:many_names_are_all_listed tmpfs only: 400 names do not fit in an inode and one 4 KiB block (ENOSPC, Linux's ext4 too)
EOF
}

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: the host variants of the suites need root"
	exit 0
fi
fuse_skip_unless fusermount3 mke2fs e2fsck
tdir=${VT_HOST_TESTS:-}
if [ -z "$tdir" ]; then
	newest=$(ls -t "$top"/build/tests/t_vfs_host \
	    "$top"/build-test/tests/t_vfs_host \
	    "$top"/build-clang/tests/t_vfs_host 2>/dev/null | head -n 1)
	tdir=$(dirname "${newest:-.}")
fi
for s in $suites; do
	[ -x "$tdir/${s}_host" ] ||
	    { echo "FAIL: no ${s}_host (make tests, or set VT_HOST_TESTS)"; exit 1; }
done

fuse_tmp

fail() {
	echo "FAIL: $*"
	[ -f "$tmp/log" ] && sed 's/^/    /' "$tmp/log" | tail -n 20
	exit 1
}

mkdir "$mnt" || fail "mkdir"
truncate -s 64M "$tmp/img" || fail "truncate"
# 4 KiB blocks: symbolic links of 4095 bytes fit (1 KiB blocks, mke2fs's
# choice for a small image, would hold 1023).
mke2fs -q -F -t ext4 -b 4096 "$tmp/img" || fail "mke2fs"
fuse_up -o allow_other,default_permissions "$tmp/img"
mkdir "$mnt/posix" || fail "mkdir on the mount"

echo "suites from $tdir"
known >"$tmp/known"
bad=0
for s in $suites; do
	VT_HOSTDIR_DIR=$mnt/posix timeout 120 "$tdir/${s}_host" \
	    >"$tmp/$s.out" 2>&1
	rc=$?
	summary=$(grep -E '^[0-9]+%: Checks: ' "$tmp/$s.out" | tail -n 1)
	if [ -z "$summary" ]; then
		echo "FAIL $s: no summary (exit $rc)"
		tail -n 20 "$tmp/$s.out" | sed 's/^/    /'
		bad=1
		continue
	fi
	# file:line:F:tcase:case:iteration: message (E: an error).
	grep -E '^[^:]+:[0-9]+:[FE]:' "$tmp/$s.out" >"$tmp/$s.failed"
	cut -d: -f5 "$tmp/$s.failed" | sort -u >"$tmp/$s.names"
	if [ "$rc" -ne 0 ] && [ ! -s "$tmp/$s.names" ]; then
		echo "FAIL $s: exit $rc with $summary"
		bad=1
	fi
	nk=0
	while read -r name; do
		if grep -q "^$s:$name " "$tmp/known"; then
			nk=$((nk + 1))
			continue
		fi
		echo "FAIL $s: $name"
		grep -F ":$name:" "$tmp/$s.failed" | sed 's/^/    /'
		bad=1
	done <"$tmp/$s.names"
	grep "^$s:" "$tmp/known" | grep -v '^[^ ]* maybe:' |
	    while read -r sc why; do
		grep -qx "${sc#*:}" "$tmp/$s.names" ||
		    echo "note: $sc passes now (listed as failing: $why)"
	done
	echo "$s: $summary ($nk known to fail through FUSE)"
done

# The cases' directories go through the mount too.
rm -rf "$mnt/posix" || fail "rm -rf of the cases' directories"
[ ! -e "$mnt/posix" ] || fail "rm -rf left $mnt/posix"

fuse_down
e2fsck -fn "$tmp/img" >"$tmp/fsck" 2>&1 || { cat "$tmp/fsck"; fail "e2fsck -fn"; }
[ $bad -eq 0 ] || fail "cases expected to pass through FUSE failed"
echo "PASS"
