#!/bin/sh
# demo-hijack.sh BUILD: the second half of `make demo'.  Unmodified
# Debian programs (sh, tar, ls, sha256sum, python3 when present) work on
# an ext4 image that mke2fs makes, through librumphijack in-process: the
# kernel boots inside each program, the image is its root at /rump, and
# no root, loop device or server is needed.  The host's e2fsck -fn then
# checks what the kernel's driver wrote.
set -eu
build=${1:-build}
lib=$(cd "$build/lib" && pwd)/librumphijack.so
tmp=$(mktemp -d /tmp/anykernel-demo.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
img=$tmp/disk.img

command -v mke2fs >/dev/null 2>&1 || PATH=$PATH:/sbin:/usr/sbin
truncate -s 64M "$img"
mke2fs -q -F -t ext4 "$img"
echo "== unmodified programs on $img through librumphijack (in-process kernel)"
run() {
	echo "\$ $*"
	RUMPHIJACK=image=$img LD_PRELOAD=$lib "$@"
}
run sh -c 'mkdir -p /rump/src && tar -C /usr/include -cf - stdio.h stdlib.h string.h | tar -C /rump/src -xf -'
run ls -l /rump/src
run sh -c 'cd /rump/src && sha256sum *.h > SUMS && cat SUMS | cut -c1-16,65-'
if command -v python3 >/dev/null 2>&1; then
	run python3 -c 'import os; print(sorted(os.listdir("/rump/src")), os.getcwd())'
fi
echo "== the host's e2fsck -fn on the image"
e2fsck -fn "$img"
