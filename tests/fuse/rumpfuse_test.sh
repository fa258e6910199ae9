#!/bin/sh
# rumpfuse_test.sh: an ext4 image served by rumpfuse through FUSE takes a
# small tree with the host's own tools (cp -a, ls, cat, mv, rm, ln -s);
# after fusermount3 -u the server exits, e2fsck -fn finds the image
# clean, and the host kernel's loop mount (when we are root) holds the
# same tree; -o ro reads but does not write, and a file that is not an
# image is refused with a message.  Skipped when there is no /dev/fuse or no fusermount3.
#
# RUMPFUSE names the program (default: build/bin/rumpfuse, which make
# test builds).  A failure never leaves a FUSE mount behind.
set -u
. "$(dirname "$0")/fuse_lib.sh"

fuse_skip_unless fusermount3 mke2fs e2fsck

fuse_tmp
lmnt=$tmp/loop

fail() {
	echo "FAIL: $*"
	[ -f "$tmp/log" ] && sed 's/^/    /' "$tmp/log" | tail -n 20
	exit 1
}

mkdir "$mnt" "$lmnt" "$tmp/src" "$tmp/src/sub" || fail "mkdir"
truncate -s 64M "$tmp/img" || fail "truncate"
mke2fs -q -F -t ext4 "$tmp/img" || fail "mke2fs"

# The tree: text, a larger file, a symlink, modes.
echo "hello, world" >"$tmp/src/hello.txt"
head -c 300000 /dev/urandom >"$tmp/src/sub/big.bin"
printf 'x%.0s' $(seq 1 100) >"$tmp/src/sub/small"
chmod 0640 "$tmp/src/sub/small"
ln -s hello.txt "$tmp/src/link"

fuse_up "$tmp/img"

cp -a "$tmp/src" "$mnt/tree" || fail "cp -a into the mount"
ls -l "$mnt/tree" >"$tmp/ls" || fail "ls -l"
grep -q 'link -> hello.txt' "$tmp/ls" || fail "ls -l shows no symlink"
[ "$(cat "$mnt/tree/hello.txt")" = "hello, world" ] || fail "cat"
[ "$(cat "$mnt/tree/link")" = "hello, world" ] || fail "cat through symlink"
cmp "$tmp/src/sub/big.bin" "$mnt/tree/sub/big.bin" || fail "big file differs"
[ "$(stat -c %a "$mnt/tree/sub/small")" = 640 ] || fail "mode not kept"
mv "$mnt/tree/hello.txt" "$mnt/tree/sub/hello2.txt" || fail "mv"
[ ! -e "$mnt/tree/hello.txt" ] || fail "mv left the old name"
rm "$mnt/tree/sub/small" || fail "rm"
ln -s sub/hello2.txt "$mnt/tree/link2" || fail "ln -s"
[ "$(cat "$mnt/tree/link2")" = "hello, world" ] || fail "new symlink"
mkdir "$mnt/tree/d" && rmdir "$mnt/tree/d" || fail "mkdir/rmdir"
df "$mnt" >/dev/null || fail "df"

fuse_down

e2fsck -fn "$tmp/img" >"$tmp/fsck" 2>&1 || { cat "$tmp/fsck"; fail "e2fsck -fn"; }

if [ "$(id -u)" = 0 ] && mount -o loop,ro "$tmp/img" "$lmnt" 2>/dev/null; then
	[ "$(cat "$lmnt/tree/sub/hello2.txt")" = "hello, world" ] ||
	    fail "host mount: moved file"
	[ "$(readlink "$lmnt/tree/link2")" = sub/hello2.txt ] ||
	    fail "host mount: symlink"
	cmp "$tmp/src/sub/big.bin" "$lmnt/tree/sub/big.bin" ||
	    fail "host mount: big file"
	[ ! -e "$lmnt/tree/sub/small" ] || fail "host mount: removed file"
	umount "$lmnt" || fail "umount loop"
	echo "ok: host loop mount holds the tree"
else
	echo "note: no loop mount (not root or no loop device)"
fi
# Read-only: reads work, writes fail, the image is untouched.
sum=$(md5sum <"$tmp/img")
"$prog" -o ro "$tmp/img" "$mnt" >"$tmp/log" 2>&1 || fail "rumpfuse -o ro"
cmp "$tmp/src/sub/big.bin" "$mnt/tree/sub/big.bin" || fail "ro: big file"
if touch "$mnt/tree/new" 2>"$tmp/err"; then
	fail "ro: touch succeeded"
fi
grep -q 'Read-only file system' "$tmp/err" || fail "ro: $(cat "$tmp/err")"
fusermount3 -u "$mnt" || fail "fusermount3 -u (ro)"
i=0
while [ "$(md5sum <"$tmp/img")" != "$sum" ] || pgrep -f "rumpfuse -o ro $tmp/img" >/dev/null; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "ro: server still running or image changed"
	sleep 0.1
done

# Not an image: a message, status 1, nothing mounted.
head -c 65536 /dev/zero >"$tmp/zero"
if "$prog" "$tmp/zero" "$mnt" 2>"$tmp/err"; then
	fail "a zero-filled file mounted"
fi
grep -q 'unknown file system type' "$tmp/err" || fail "bad image: $(cat "$tmp/err")"
! mountpoint -q "$mnt" || fail "bad image: something is mounted"
echo "PASS"
