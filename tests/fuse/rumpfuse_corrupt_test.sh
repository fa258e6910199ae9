#!/bin/sh
# rumpfuse_corrupt_test.sh: rumpfuse on ext4 images corrupted in known
# places (found with debugfs, overwritten with dd).
#
# Refused, with a message and status 1, nothing mounted: the superblock
# magic zeroed (with and without -t ext4), a superblock whose checksum
# does not match, a group descriptor whose checksum does not match, an
# unknown incompat feature.  Mounted read-only with a message: an unknown
# ro_compat feature (reads work, writes fail with EROFS, the image is
# unchanged).  Mounted, the damage found when reached: a file's inode
# with a bad checksum, a file's inode whose extent tree root is not one
# (no metadata_csum), a zeroed directory block (with and without
# metadata_csum): stat, cat, ls of the broken path fail with EUCLEAN
# ("Structure needs cleaning") or EIO, the kernel logs the cause, the
# other files stay readable and writable, the server stays up and exits
# 0 at the unmount, and the superblock then says "clean with errors".
#
# Skipped without /dev/fuse, fusermount3 or e2fsprogs.  RUMPFUSE names
# the program (default build/bin/rumpfuse).  A trap unmounts and kills
# the server whatever fails.
set -u
. "$(dirname "$0")/fuse_lib.sh"

fuse_skip_unless fusermount3 mke2fs debugfs dumpe2fs

fuse_tmp

case_=setup
fail() {
	echo "FAIL ($case_): $*"
	[ -f "$tmp/log" ] && sed 's/^/    /' "$tmp/log" | tail -n 20
	exit 1
}

# poke FILE OFFSET BYTES: overwrite bytes (printf escapes) at OFFSET.
poke() {
	printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none ||
	    fail "dd into $1"
}

# refused IMAGE PATTERN [OPTION...]: rumpfuse exits 1 with a message
# matching PATTERN, and nothing is mounted.
refused() {
	img=$1 pat=$2
	shift 2
	if "$prog" "$@" "$img" "$mnt" >"$tmp/log" 2>&1; then
		fusermount3 -u "$mnt" 2>/dev/null
		fail "mounted"
	else
		rc=$?
	fi
	[ "$rc" = 1 ] || fail "exit status $rc, not 1"
	grep -q "$pat" "$tmp/log" || fail "no message matching '$pat'"
	! mountpoint -q "$mnt" || fail "something is mounted"
	echo "ok: $case_: refused: $(grep "$pat" "$tmp/log" | head -n 1)"
}

# broken CMD...: the command fails on a corruption error, not on another.
broken() {
	if "$@" >/dev/null 2>"$tmp/err"; then
		fail "'$*' succeeded"
	fi
	grep -Eq 'Structure needs cleaning|Input/output error' "$tmp/err" ||
	    fail "'$*': $(cat "$tmp/err")"
}

# alive: the server runs, the mount answers, the good files read and a
# new file can be written.
alive() {
	kill -0 "$pid" 2>/dev/null || fail "the server died"
	mountpoint -q "$mnt" || fail "the mount is gone"
	[ "$(cat "$mnt/good.txt")" = good ] || fail "good.txt"
	[ "$(ls "$mnt/gooddir" | wc -l)" = 20 ] || fail "ls gooddir"
	[ "$(cat "$mnt/gooddir/g7")" = 7 ] || fail "gooddir/g7"
	echo new >"$mnt/new.txt" && [ "$(cat "$mnt/new.txt")" = new ] ||
	    fail "writing a new file"
}

# errors_recorded IMAGE: the read-write mount marked the file system.
errors_recorded() {
	dumpe2fs -h "$1" 2>/dev/null | grep -q '^Filesystem state:.*with errors' ||
	    fail "superblock state: $(dumpe2fs -h "$1" 2>/dev/null |
	    grep '^Filesystem state')"
}

# The tree: good.txt, bad.txt, gooddir and baddir with 20 files each.
mkdir "$mnt" "$tmp/src" "$tmp/src/gooddir" "$tmp/src/baddir" || fail mkdir
echo good >"$tmp/src/good.txt"
echo bad >"$tmp/src/bad.txt"
for i in $(seq 1 20); do
	echo $i >"$tmp/src/gooddir/g$i"
	echo $i >"$tmp/src/baddir/f$i"
done
for v in csum nocsum; do
	truncate -s 16M "$tmp/$v.img" || fail truncate
done
mke2fs -q -F -t ext4 -b 4096 -d "$tmp/src" "$tmp/csum.img" ||
    fail "mke2fs"
mke2fs -q -F -t ext4 -b 4096 -O ^metadata_csum -d "$tmp/src" \
    "$tmp/nocsum.img" || fail "mke2fs -O ^metadata_csum"
dumpe2fs -h "$tmp/csum.img" 2>/dev/null | grep -q 'features:.*metadata_csum' ||
    fail "mke2fs made no metadata_csum image"

# The superblock is at byte 1024: magic at +56, uuid at +104.
case_="superblock magic"
cp "$tmp/csum.img" "$tmp/x.img"
poke "$tmp/x.img" $((1024 + 56)) '\000\000'
refused "$tmp/x.img" 'unknown file system type'
case_="superblock magic, -t ext4"
refused "$tmp/x.img" 'Invalid argument' -t ext4

case_="superblock checksum"
cp "$tmp/csum.img" "$tmp/x.img"
poke "$tmp/x.img" $((1024 + 104)) '\252'
refused "$tmp/x.img" 'Structure needs cleaning'

# Group descriptor 0 in block 1; bg_checksum at +0x1e.
case_="group descriptor checksum"
cp "$tmp/csum.img" "$tmp/x.img"
poke "$tmp/x.img" $((4096 + 30)) '\000\000'
refused "$tmp/x.img" 'Structure needs cleaning'

case_="unknown incompat feature"
cp "$tmp/csum.img" "$tmp/x.img"
debugfs -w -R "feature FEATURE_I31" "$tmp/x.img" >/dev/null 2>&1 ||
    fail "debugfs feature"
refused "$tmp/x.img" 'unknown incompatible features'

case_="unknown ro_compat feature"
cp "$tmp/csum.img" "$tmp/x.img"
debugfs -w -R "feature FEATURE_R31" "$tmp/x.img" >/dev/null 2>&1 ||
    fail "debugfs feature"
sum=$(md5sum <"$tmp/x.img")
fuse_up "$tmp/x.img"
grep -q 'mounted read-only' "$tmp/log" || fail "no message"
[ "$(cat "$mnt/baddir/f3")" = 3 ] || fail "read"
if touch "$mnt/new" 2>"$tmp/err"; then
	fail "touch succeeded"
fi
grep -q 'Read-only file system' "$tmp/err" || fail "touch: $(cat "$tmp/err")"
fuse_down
[ "$(md5sum <"$tmp/x.img")" = "$sum" ] || fail "the image changed"
echo "ok: $case_: mounted read-only: $(grep 'read-only' "$tmp/log")"

# inodeloc IMAGE PATH: the byte offset of PATH's inode.
inodeloc() {
	debugfs -R "imap $2" "$1" 2>/dev/null | sed -n \
	    's/.*located at block \([0-9]*\), offset \(0x[0-9a-f]*\).*/\1 \2/p' |
	    { read -r b o && echo $((b * 4096 + o)); }
}
ino=$(debugfs -R "stat /bad.txt" "$tmp/csum.img" 2>/dev/null |
    sed -n 's/^Inode: \([0-9]*\) .*/\1/p')
[ -n "$ino" ] || fail "debugfs stat /bad.txt"

# The inode's i_block (+40) starts with the extent header's magic
# 0xf30a: zeroing it breaks the checksum (csum) or the tree (nocsum).
for v in csum nocsum; do
	case_="bad.txt's inode ($v)"
	cp "$tmp/$v.img" "$tmp/x.img"
	off=$(inodeloc "$tmp/x.img" /bad.txt)
	[ -n "$off" ] || fail "debugfs imap /bad.txt"
	poke "$tmp/x.img" $((off + 40)) '\000\000'
	fuse_up "$tmp/x.img"
	ls "$mnt" | grep -qx bad.txt || fail "ls of the root lost bad.txt"
	broken cat "$mnt/bad.txt"
	broken stat "$mnt/bad.txt"
	broken cat "$mnt/bad.txt"
	grep -q "inode $ino" "$tmp/log" || fail "the kernel logged nothing"
	alive
	fuse_down
	errors_recorded "$tmp/x.img"
	echo "ok: $case_: $(sed -n '1s/^kernel: //p' "$tmp/log")"
done

# baddir's only block, zeroed: no entry in it is valid.
for v in csum nocsum; do
	case_="baddir's block ($v)"
	cp "$tmp/$v.img" "$tmp/x.img"
	blk=$(debugfs -R "blocks /baddir" "$tmp/x.img" 2>/dev/null)
	case $blk in ''|*[!0-9\ ]*) fail "debugfs blocks /baddir: $blk" ;; esac
	dd if=/dev/zero of="$tmp/x.img" bs=4096 seek=$blk count=1 \
	    conv=notrunc status=none || fail "dd"
	fuse_up "$tmp/x.img"
	broken ls "$mnt/baddir"
	broken cat "$mnt/baddir/f1"
	broken touch "$mnt/baddir/new"
	grep -q "directory inode" "$tmp/log" || fail "the kernel logged nothing"
	alive
	[ "$(cat "$mnt/bad.txt")" = bad ] || fail "bad.txt"
	fuse_down
	errors_recorded "$tmp/x.img"
	echo "ok: $case_: $(sed -n '1s/^kernel: //p' "$tmp/log")"
done
echo "PASS"
