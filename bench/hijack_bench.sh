#!/bin/sh
# hijack_bench.sh LIB WORKDIR: the hijack benchmark of make bench.
#
# Untar the benchmark tree (about 9,000 files and 120 MB) into a fresh
# 1 GiB ext2 image (mke2fs -t ext2) with the host's own tar, through the
# hijack LIB in-process (RUMPHIJACK=path=/rump,image=IMG LD_PRELOAD=LIB
# tar -xf TARBALL -C /rump/: the kernel's boot, the mount, the extraction
# and the write-back at exit) and through the host kernel on a loop mount
# (mount, tar -xf, umount), alternately, in the same run; prints the
# medians and the ratio (ours / host: below 1.0 is faster than the host).
# The tarball is the ext2 benchmark's (bench/bench_tree.sh, kept in
# WORKDIR as ext2_tree.tar).  After every run of ours e2fsck -fn checks
# the image; after the first, the host kernel must read back the same
# tree from both images: names, types, modes, owners, sizes (not of
# directories), times, symlink targets.
#
# Needs root (the loop mount) and LIB; skipped otherwise.
# BENCH_HIJACK_RUNS=n runs of each side (default 3),
# BENCH_HIJACK_FSTYPE=ext4 for another type.
set -eu
lib=$1
dir=$2
runs=${BENCH_HIJACK_RUNS:-3}
fstype=${BENCH_HIJACK_FSTYPE:-ext2}
tarball=$dir/ext2_tree.tar
img=$dir/hijack_bench.img
mnt=$dir/hijack_bench.mnt

if [ "$(id -u)" != 0 ]; then
	echo "hijack untar: skipped (needs root for the host's loop mount)"
	exit 0
fi
if [ ! -f "$lib" ]; then
	echo "hijack untar: skipped (no $lib)"
	exit 0
fi
case $lib in /*) ;; *) lib=$(pwd)/$lib ;; esac
mkdir -p "$dir" "$mnt"
# A kernel descriptor must never reach the host's files: /dev/null (what
# the host sees behind one) is checked after each run and put back.
devnull=$(stat -c '%a %u %g' /dev/null)
restore_devnull() {
	set -- $devnull
	chmod "$1" /dev/null
	chown "$2:$3" /dev/null
}
cleanup() {
	if mountpoint -q "$mnt" 2>/dev/null; then
		umount "$mnt" 2>/dev/null || true
	fi
	[ "$(stat -c '%a %u %g' /dev/null)" = "$devnull" ] || restore_devnull
	rm -f "$img" "$dir/hijack_err"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

sh "$(dirname "$0")/bench_tree.sh" "$tarball"
nfiles=$(tar -tvf "$tarball" | grep -c '^-')
mb=$(( $(stat -c %s "$tarball") / 1000000 ))

bench=hijack
. "$(dirname "$0")/bench_lib.sh"

ours=""
host=""
r=0
while [ "$r" -lt "$runs" ]; do
	mkimg
	t0=$(now)
	if ! RUMPHIJACK="path=/rump,image=$img" LD_PRELOAD="$lib" \
	    tar -xf "$tarball" -C /rump/ 2>"$dir/hijack_err"; then
		echo "hijack untar: tar -xf through the hijack failed:"
		head -n 10 "$dir/hijack_err"
		exit 1
	fi
	t1=$(now)
	ours="$ours $(awk "BEGIN { printf \"%.3f\", $t1 - $t0 }")"
	if [ "$(stat -c '%a %u %g' /dev/null)" != "$devnull" ]; then
		echo "hijack untar: the hijacked tar changed the host's" \
		    "/dev/null: $devnull -> $(stat -c '%a %u %g' /dev/null)"
		exit 1
	fi
	fsck "ours (run $r)"
	[ "$r" -ne 0 ] || keep_listing ours
	host_untar
	host="$host $t"
	if [ "$r" -eq 0 ]; then
		keep_listing host
		same_tree ours host
	fi
	r=$((r + 1))
done

mo=$(median $ours)
mh=$(median $host)
printf 'hijack untar (%s files, %s MB, %s, 1 GiB image), median of %s:\n' \
    "$nfiles" "$mb" "$fstype" "$runs"
printf '  ours (tar, LD_PRELOAD, in-process)  %8.3f s   runs:%s\n' "$mo" "$ours"
printf '  host (tar, loop mount)              %8.3f s   runs:%s\n' "$mh" "$host"
printf '  ratio ours/host                     %8.2fx   (below 1.0 is faster)\n' \
    "$(awk "BEGIN { print $mo / $mh }")"
