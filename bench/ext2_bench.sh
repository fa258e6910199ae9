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

. "$(dirname "$0")/bench_lib.sh"

ours=""
host=""
r=0
while [ "$r" -lt "$runs" ]; do
	mkimg
	t=$("$untar" "$img" "$tarball" "$fstype" 2>/dev/null)
	ours="$ours $t"
	if [ "$r" -eq 0 ]; then
		if ! e2fsck -fn "$img" >/dev/null 2>&1; then
			echo "ext2 untar: e2fsck -fn: problems in our image:"
			e2fsck -fn "$img" 2>&1 | head -n 20
			exit 1
		fi
		mount -o loop,ro "$img" "$mnt"
		listing > "$dir/ext2_ours.lst"
		umount "$mnt"
	fi

	mkimg
	t0=$(now)
	mount -o loop "$img" "$mnt"
	tar -xpf "$tarball" -C "$mnt"
	umount "$mnt"
	t1=$(now)
	host="$host $(awk "BEGIN { printf \"%.3f\", $t1 - $t0 }")"
	if [ "$r" -eq 0 ]; then
		mount -o loop,ro "$img" "$mnt"
		listing > "$dir/ext2_host.lst"
		umount "$mnt"
		if ! cmp -s "$dir/ext2_ours.lst" "$dir/ext2_host.lst"; then
			echo "ext2 untar: our tree differs from the host's:"
			diff "$dir/ext2_host.lst" "$dir/ext2_ours.lst" | head
			exit 1
		fi
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
