#!/bin/sh
# rumpfuse_test.sh: an ext4 image served by rumpfuse through FUSE takes a
# small tree with the host's own tools (cp -a, ls, cat, mv, rm, ln -s);
# after fusermount3 -u the server exits, e2fsck -fn finds the image
# clean, and the host kernel's loop mount (when we are root) holds the
# same tree; a second image takes hard links (one node: st_nlink right at
# once), a directory of 3,000 names, four tars at once, a removed working
# directory, writes by root and by another user to set-ID files, and
# SIGTERM (the server unmounts and exits, e2fsck clean); -o ro reads but
# does not write, and a file that is not an image is refused with a
# message.  Skipped when there is no /dev/fuse or no fusermount3.
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

# The set-ID bits of a file written through $mnt (rumpfuse clears them
# itself: FUSE_CAP_HANDLE_KILLPRIV): root's write keeps them, a write and
# a truncate by user 1000 clear them, so does a chown; the host sees each
# at once.  As root only, with setpriv.  $1 names the mount in messages.
setid_checks() {
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 || return 0
	chmod 0755 "$tmp" || fail "chmod $tmp"	# user 1000 reaches the mount
	rm -f "$mnt/suid"
	echo a >"$mnt/suid" && chown 1000:1000 "$mnt/suid" &&
	    chmod 6775 "$mnt/suid" || fail "$1: suid file"
	echo b >>"$mnt/suid" || fail "$1: root's write"
	[ "$(stat -c %a "$mnt/suid")" = 6775 ] ||
	    fail "$1: root's write cleared set-ID bits: $(stat -c %a "$mnt/suid")"
	setpriv --reuid=1000 --regid=1000 --clear-groups \
	    sh -c "echo c >>'$mnt/suid'" || fail "$1: user 1000's write"
	[ "$(stat -c %a "$mnt/suid")" = 775 ] ||
	    fail "$1: a user's write kept set-ID bits: $(stat -c %a "$mnt/suid")"
	[ "$(cat "$mnt/suid")" = "$(printf 'a\nb\nc')" ] || fail "$1: suid file's data"
	chmod 6775 "$mnt/suid" && setpriv --reuid=1000 --regid=1000 \
	    --clear-groups truncate -s 1 "$mnt/suid" || fail "$1: user's truncate"
	[ "$(stat -c %a "$mnt/suid")" = 775 ] ||
	    fail "$1: a user's truncate kept set-ID bits: $(stat -c %a "$mnt/suid")"
	chmod 6775 "$mnt/suid" && chown 0:0 "$mnt/suid" || fail "$1: chown"
	[ "$(stat -c %a "$mnt/suid")" = 775 ] ||
	    fail "$1: chown kept set-ID bits: $(stat -c %a "$mnt/suid")"
	echo "ok: set-ID bits ($1)"
}

# The extended attributes a user other than root may and may not set
# through $mnt: the host refuses trusted.* to users and hides them from
# their listings; with $2 = modes (a default_permissions mount) it also
# checks the file's mode for user.*.  $1 names the mount in messages.
xattr_user_checks() {
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
	    command -v setfattr >/dev/null 2>&1 || return 0
	chmod 0755 "$tmp" || fail "chmod $tmp"
	rm -f "$mnt/xo" "$mnt/xr"
	echo a >"$mnt/xo" && chown 1000:1000 "$mnt/xo" && echo b >"$mnt/xr" &&
	    chmod 0644 "$mnt/xr" || fail "$1: xattr files"
	u() { setpriv --reuid=1000 --regid=1000 --clear-groups "$@"; }
	u setfattr -n user.mine -v 1 "$mnt/xo" || fail "$1: user's own user.*"
	[ "$(u getfattr --absolute-names --only-values -n user.mine "$mnt/xo")" = 1 ] ||
	    fail "$1: user's getfattr"
	if [ "${2:-}" = modes ]; then
		u setfattr -n user.x -v 1 "$mnt/xr" 2>"$tmp/err" &&
		    fail "$1: a user set user.* on root's 0644 file"
		grep -q 'Permission denied' "$tmp/err" ||
		    fail "$1: user.*: $(cat "$tmp/err")"
	fi
	u setfattr -n trusted.x -v 1 "$mnt/xo" 2>"$tmp/err" &&
	    fail "$1: a user set trusted.*"
	grep -q 'Operation not permitted' "$tmp/err" || fail "$1: trusted.*: $(cat "$tmp/err")"
	setfattr -n trusted.root -v 1 "$mnt/xo" || fail "$1: root's trusted.*"
	[ "$(u getfattr --absolute-names -d -m - "$mnt/xo" 2>&1 | tr "\n" " ")" = "# file: $mnt/xo user.mine=\"1\"  " ] ||
	    fail "$1: a user's listing: $(u getfattr --absolute-names -d -m - "$mnt/xo" 2>&1)"
	echo "ok: extended attributes of another user ($1)"
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
# Extended attributes with attr's setfattr and getfattr: each namespace,
# a value that leaves the inode for the attribute block, replace,
# remove, missing names, a directory's, cp -a keeping them; a symbolic
# link's are not served (Linux gives a server no way to them).
xf=$mnt/tree/sub/hello2.txt
big=$(head -c 600 /dev/urandom | od -An -tx1 | tr -d ' \n')
if command -v setfattr >/dev/null 2>&1; then
	setfattr -n user.color -v blue "$xf" && setfattr -n trusted.t -v 1 "$xf" &&
	    setfattr -n security.s -v 2 "$xf" || fail "setfattr"
	setfattr -n user.big -v "0x$big" "$xf" || fail "setfattr of 600 bytes"
	[ "$(getfattr --absolute-names --only-values -n user.color "$xf")" = blue ] ||
	    fail "getfattr user.color"
	[ "$(getfattr --absolute-names -e hex -n user.big "$xf" | sed -n "s/^user.big=//p")" = "0x$big" ] ||
	    fail "getfattr user.big"
	[ "$(getfattr --absolute-names -d -m - "$xf" | grep = | cut -d= -f1 | sort | tr '\n' ' ')" = \
	    "security.s trusted.t user.big user.color " ] ||
	    fail "getfattr -d: $(getfattr --absolute-names -d -m - "$xf")"
	setfattr -n user.color -v red "$xf" &&
	    [ "$(getfattr --absolute-names --only-values -n user.color "$xf")" = red ] ||
	    fail "replace user.color"
	setfattr -x user.color "$xf" || fail "setfattr -x"
	getfattr --absolute-names -n user.color "$xf" 2>"$tmp/err" && fail "a removed name"
	grep -q 'No such attribute' "$tmp/err" || fail "removed: $(cat "$tmp/err")"
	setfattr -x user.none "$xf" 2>"$tmp/err" && fail "removed a missing name"
	grep -q 'No such attribute' "$tmp/err" || fail "remove missing: $(cat "$tmp/err")"
	setfattr -n user.dir -v d "$mnt/tree/sub" || fail "a directory's"
	cp -a "$xf" "$mnt/tree/xcopy" || fail "cp -a of a file with attributes"
	[ "$(getfattr --absolute-names -e hex -n user.big "$mnt/tree/xcopy" | sed -n "s/^user.big=//p")" = "0x$big" ] ||
	    fail "cp -a lost user.big"
	# A symbolic link's own (it cannot be opened: served by its name,
	# also after a rename) and a FIFO's (which must not be opened).
	ln -s sub "$mnt/tree/xlink" && setfattr -h -n trusted.l -v 1 "$mnt/tree/xlink" &&
	    mv "$mnt/tree/xlink" "$mnt/tree/link3" &&
	    setfattr -h -n trusted.l -v 2 "$mnt/tree/link3" ||
	    fail "a symbolic link's attribute"
	[ "$(getfattr --absolute-names -h --only-values -n trusted.l "$mnt/tree/link3")" = 2 ] ||
	    fail "a symbolic link's attribute after a rename"
	getfattr --absolute-names -n trusted.l "$mnt/tree/link3" 2>"$tmp/err" &&
	    fail "getfattr followed the link to the attribute"
	mkfifo "$mnt/tree/fifo" && timeout 10 setfattr -n trusted.f -v 3 "$mnt/tree/fifo" &&
	    [ "$(timeout 10 getfattr --absolute-names --only-values -n trusted.f "$mnt/tree/fifo")" = 3 ] ||
	    fail "a FIFO's attribute"
	# Through a descriptor of a FIFO whose other name was removed.
	if command -v python3 >/dev/null 2>&1; then
		ln "$mnt/tree/fifo" "$mnt/tree/fifo2" && rm "$mnt/tree/fifo2" &&
		    timeout 10 python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
os.setxattr(fd, "trusted.g", b"4")
assert os.getxattr(fd, "trusted.g") == b"4"
assert sorted(os.listxattr(fd)) == ["trusted.f", "trusted.g"], os.listxattr(fd)
' "$mnt/tree/fifo" >"$tmp/err" 2>&1 || fail "a FIFO's attributes by descriptor: $(tail -n 1 "$tmp/err")"
	fi
	echo "ok: extended attributes"
fi

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
	if command -v setfattr >/dev/null 2>&1; then
		[ "$(getfattr --absolute-names -d -m - -e hex "$lmnt/tree/sub/hello2.txt" | grep = | sort | tr '\n' ' ')" = \
		    "security.s=0x32 trusted.t=0x31 user.big=0x$big " ] ||
		    fail "host mount: attributes: $(getfattr --absolute-names -d -m - "$lmnt/tree/sub/hello2.txt")"
		[ "$(getfattr --absolute-names --only-values -n user.dir "$lmnt/tree/sub")" = d ] &&
		    [ "$(getfattr --absolute-names -h --only-values -n trusted.l "$lmnt/tree/link3")" = 2 ] &&
		    [ "$(getfattr --absolute-names --only-values -n trusted.f "$lmnt/tree/fifo")" = 3 ] &&
		    [ "$(getfattr --absolute-names -e hex -n user.big "$lmnt/tree/xcopy" | sed -n "s/^user.big=//p")" = "0x$big" ] ||
		    fail "host mount: attributes of a directory, of a copy"
	fi
	umount "$lmnt" || fail "umount loop"
	echo "ok: host loop mount holds the tree"
else
	echo "note: no loop mount (not root or no loop device)"
fi
# Nodes, directories, threads, set-ID bits, a signal: a second mount
# with allow_other (a user other than root writes) and two workers.
truncate -s 64M "$tmp/img2" || fail "truncate"
mke2fs -q -F -t ext4 "$tmp/img2" || fail "mke2fs"
RUMP_NCPU=2 fuse_up -o allow_other "$tmp/img2"
# One node per file: the other name of a hard link is right at once.
echo x >"$mnt/f" && ln "$mnt/f" "$mnt/g" || fail "ln"
[ "$(stat -c %h "$mnt/f")" = 2 ] || fail "st_nlink after ln: $(stat -c %h "$mnt/f")"
rm "$mnt/g" || fail "rm of a link"
[ "$(stat -c %h "$mnt/f")" = 1 ] || fail "st_nlink after rm: $(stat -c %h "$mnt/f")"
[ "$(stat -c %i "$mnt/f")" = "$(ls -i "$mnt/f" | cut -d' ' -f1)" ] ||
    fail "inode numbers"
# A directory larger than one READDIR(PLUS) answer, listed whole.
mkdir "$mnt/big" || fail "mkdir big"
seq 1 3000 | sed "s|^|$mnt/big/file-with-a-longer-name-|" | xargs touch ||
    fail "3000 touches"
[ "$(ls "$mnt/big" | wc -l)" = 3000 ] || fail "ls: $(ls "$mnt/big" | wc -l) names"
[ "$(ls -l "$mnt/big" | grep -c '^-rw')" = 3000 ] || fail "ls -l of 3000"
[ "$(find "$mnt/big" -type f | sort -u | wc -l)" = 3000 ] || fail "find"
rm -r "$mnt/big" || fail "rm -r big"
# Two writers at once (requests handed between the workers).
(cd "$tmp/src" && tar -cf - .) >"$tmp/src.tar"
for i in 1 2 3 4; do mkdir "$mnt/p$i" || fail "mkdir p$i"; done
tars=
for i in 1 2 3 4; do
	tar -xf "$tmp/src.tar" -C "$mnt/p$i" &
	tars="$tars $!"
done
for t in $tars; do wait "$t" || fail "a parallel tar failed"; done
for i in 1 2 3 4; do
	cmp "$tmp/src/sub/big.bin" "$mnt/p$i/sub/big.bin" || fail "parallel tar $i"
done
# More files open at once than a kernel process may have by default
# (1024): the server raises its own limit.
if command -v python3 >/dev/null 2>&1; then
	mkdir "$mnt/many" || fail "mkdir many"
	python3 - "$mnt/many" <<'PY' >"$tmp/many" 2>&1 || fail "2,000 files open at once: $(tail -n 1 "$tmp/many")"
import os, resource, sys
d, n = sys.argv[1], 2000
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
try:
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(hard, n + 100),) * 2)
except (ValueError, OSError):
    if hard < n + 100:
        print("note: cannot open", n, "files here"); sys.exit(0)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
fds = [os.open(os.path.join(d, "f%d" % i), os.O_CREAT | os.O_RDWR, 0o644)
       for i in range(n)]
for i, fd in enumerate(fds):
    os.write(fd, b"%d" % i)
for i, fd in enumerate(fds):
    assert os.pread(fd, 10, 0) == b"%d" % i, i
    os.close(fd)
PY
	rm -r "$mnt/many" || fail "rm many"
fi
# A file opened write-only bypasses the host's page cache (direct I/O):
# a reader's cached pages of it and a second reader see the new bytes.
if command -v python3 >/dev/null 2>&1; then
	python3 - "$mnt/coh" <<'PY' >"$tmp/coh" 2>&1 || fail "cached reader after a write-only write: $(tail -n 1 "$tmp/coh")"
import os, sys
p = sys.argv[1]
with open(p, "wb") as f:
    f.write(b"a" * 8192)
r = os.open(p, os.O_RDONLY)
assert os.pread(r, 8192, 0) == b"a" * 8192
w = os.open(p, os.O_WRONLY)
assert os.pwrite(w, b"bbbb", 4096) == 4
os.close(w)
assert os.pread(r, 8, 4092) == b"aaaabbbb", os.pread(r, 8, 4092)
with open(p, "rb") as f:
    assert f.read() == b"a" * 4096 + b"bbbb" + b"a" * 4092
w = os.open(p, os.O_WRONLY | os.O_APPEND)
os.write(w, b"end")
os.close(w)
assert os.pread(r, 16, 8189) == b"aaaend", os.pread(r, 16, 8189)
os.close(r)
PY
	rm "$mnt/coh" || fail "rm coh"
fi
# A removed working directory stays (stat "." works, it has no links).
mkdir "$mnt/gone" || fail "mkdir gone"
[ "$(cd "$mnt/gone" && rmdir ../gone && stat -c %h .)" = 0 ] ||
    fail "stat of a removed working directory"
# Set-ID bits.
setid_checks "two workers"
xattr_user_checks "two workers"
# SIGTERM: the server unmounts, writes the image back and exits.
kill -TERM "$pid"
fuse_wait SIGTERM
! mountpoint -q "$mnt" || fail "still mounted after SIGTERM"
e2fsck -fn "$tmp/img2" >"$tmp/fsck" 2>&1 || { cat "$tmp/fsck"; fail "e2fsck -fn after SIGTERM"; }
echo "ok: links, a large directory, parallel writers, set-ID bits, SIGTERM"
# The same set-ID bits through the host's page cache.
fuse_up -o allow_other,writeback_cache,default_permissions "$tmp/img2"
setid_checks writeback_cache
xattr_user_checks default_permissions modes
fuse_down
e2fsck -fn "$tmp/img2" >"$tmp/fsck" 2>&1 || { cat "$tmp/fsck"; fail "e2fsck -fn (writeback_cache)"; }

# Read-only: reads work, writes fail, the image is untouched.
sum=$(md5sum <"$tmp/img")
"$prog" -o ro "$tmp/img" "$mnt" >"$tmp/log" 2>&1 || fail "rumpfuse -o ro"
cmp "$tmp/src/sub/big.bin" "$mnt/tree/sub/big.bin" || fail "ro: big file"
if touch "$mnt/tree/new" 2>"$tmp/err"; then
	fail "ro: touch succeeded"
fi
grep -q 'Read-only file system' "$tmp/err" || fail "ro: $(cat "$tmp/err")"
if command -v setfattr >/dev/null 2>&1; then
	[ "$(getfattr --absolute-names --only-values -n user.dir "$mnt/tree/sub")" = d ] ||
	    fail "ro: getfattr"
	setfattr -n user.ro -v 1 "$mnt/tree/sub" 2>"$tmp/err" && fail "ro: setfattr succeeded"
	grep -q 'Read-only file system' "$tmp/err" || fail "ro: setfattr: $(cat "$tmp/err")"
fi
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
