#!/bin/sh
# ext2_bench.sh UNTAR WORKDIR: the ext2 benchmark of make bench.
#
# Untar a tree of about 9,000 files and 120 MB into a fresh 1 GiB ext2
# image (mke2fs -t ext2), through our driver in-process (UNTAR, built from
# bench/ext2_untar.c: mount + extraction + unmount) and through the host
# kernel on a loop mount (mount, tar -x, umount), alternately, in the same
# run; prints the medians and the ratio (ours / host: below 1.0 is
# faster than the host).  The tarball is /usr/include plus generated files
# up to the size, made once by bench/bench_tree.sh and kept in WORKDIR
# (ext2_tree.tar).  After the first run of ours, e2fsck -fn checks the
# image and the host kernel must read back the tree it wrote itself:
# names, types, modes, owners, sizes (not of directories: their layout is
# each driver's own), times, symlink targets.
#
# Needs root (the loop mount); skipped otherwise.  BENCH_EXT2_RUNS=n runs
# of each side (default 3), BENCH_EXT2_FSTYPE=ext4 for another type.
set -eu
untar=$1
dir=$2
runs=${BENCH_EXT2_RUNS:-3}
fstype=${BENCH_EXT2_FSTYPE:-ext2}
tarball=$dir/ext2_tree.tar
img=$dir/ext2_bench.img
mnt=$dir/ext2_bench.mnt

if [ "$(id -u)" != 0 ]; then
	echo "ext2 untar: skipped (needs root for the host's loop mount)"
	exit 0
fi
mkdir -p "$dir" "$mnt"

sh "$(dirname "$0")/bench_tree.sh" "$tarball"
nfiles=$(tar -tvf "$tarball" | grep -c '^-')
mb=$(( $(stat -c %s "$tarball") / 1000000 ))

bench=ext2
. "$(dirname "$0")/bench_lib.sh"

ours=""
host=""
r=0
while [ "$r" -lt "$runs" ]; do
	mkimg
	t=$("$untar" "$img" "$tarball" "$fstype" 2>/dev/null)
	ours="$ours $t"
	if [ "$r" -eq 0 ]; then
		fsck ours
		keep_listing ours
	fi
	host_untar
	host="$host $t"
	if [ "$r" -eq 0 ]; then
		keep_listing host
		same_tree ours host
	fi
	r=$((r + 1))
done
rm -f "$img"

mo=$(median $ours)
mh=$(median $host)
printf 'ext2 untar (%s files, %s MB, %s, 1 GiB image), median of %s:\n' \
    "$nfiles" "$mb" "$fstype" "$runs"
printf '  ours (in-process)   %8.3f s   runs:%s\n' "$mo" "$ours"
printf '  host (loop mount)   %8.3f s   runs:%s\n' "$mh" "$host"
printf '  ratio ours/host     %8.2fx   (target 1.0x or less)\n' \
    "$(awk "BEGIN { print $mo / $mh }")"
