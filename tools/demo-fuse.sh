#!/bin/sh
# demo-fuse.sh BUILD: the last part of `make demo'.  rumpfuse mounts an
# ext4 image that mke2fs makes on a host directory, without root: a rump
# kernel inside the rumpfuse process serves it with its own ext4 driver
# through FUSE, and the host's ordinary programs (cp, ls, du, df, setfattr,
# getfattr) use it like any directory.  After fusermount3 -u the server
# writes everything back and exits, and the host's e2fsck -fn checks the
# image.  Skipped, with a note, where rumpfuse was not built (no
# libfuse3-dev) or FUSE is not usable (/dev/fuse, fusermount3).
set -eu
build=${1:-build}
prog=$build/bin/rumpfuse
command -v mke2fs >/dev/null 2>&1 || PATH=$PATH:/sbin:/usr/sbin
if [ ! -x "$prog" ] || [ ! -c /dev/fuse ] || [ ! -r /dev/fuse ] ||
    [ ! -w /dev/fuse ] || ! command -v fusermount3 >/dev/null 2>&1; then
	echo "== rumpfuse part skipped (it needs libfuse3-dev to build, and /dev/fuse (readable and writable) and fusermount3 to run)"
	exit 0
fi
tmp=$(mktemp -d /tmp/anykernel-fuse.XXXXXX)
img=$tmp/disk.img
mnt=$tmp/mnt
pid=
cleanup() {
	if mountpoint -q "$mnt" 2>/dev/null; then
		fusermount3 -u "$mnt" 2>/dev/null || :
	fi
	[ -z "$pid" ] || wait "$pid" 2>/dev/null || :
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir "$mnt"
truncate -s 64M "$img"
mke2fs -q -F -t ext4 "$img"
echo "== $img on $mnt through FUSE, served by the kernel's ext4 driver in rumpfuse (no root)"
run() {
	echo "\$ $*"
	"$@"
}
echo "\$ $prog -f $img $mnt &"
"$prog" -f "$img" "$mnt" &
pid=$!
i=0
until mountpoint -q "$mnt"; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "rumpfuse did not mount the image"
		exit 1
	fi
	sleep 0.1
done
run cp -a /usr/include/linux "$mnt/include"
run du -sh "$mnt/include"
run sh -c "ls -l '$mnt/include' | head -n 4"
if command -v setfattr >/dev/null 2>&1; then
	run setfattr -n user.origin -v /usr/include/linux "$mnt/include"
	run getfattr --absolute-names -d "$mnt/include"
fi
run df -h "$mnt"
run fusermount3 -u "$mnt"
wait "$pid"
pid=
echo "== the host's e2fsck -fn on the image rumpfuse wrote"
e2fsck -fn "$img"
