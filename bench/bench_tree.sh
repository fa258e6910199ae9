#!/bin/sh
# bench_tree.sh TARBALL: make the benchmark tree's tarball once, shared by
# the ext2 and FUSE benchmarks (bench/ext2_bench.sh, bench/fuse_bench.sh).
#
# The tree is /usr/include plus generated files (random bytes, in
# directories of 100) until there are 9,000 files and 120 MB; each
# generated file is about the bytes missing over the files missing (at
# least 512 bytes, at most 4 MiB), give or take half.  The tarball is
# ustar, written beside TARBALL and renamed into place when complete, and
# left alone when it exists already.
set -eu
tarball=$1

[ -f "$tarball" ] && exit 0
dir=$(dirname "$tarball")
mkdir -p "$dir"
src=$(mktemp -d "$dir/bench_src.XXXXXX")
trap 'rm -rf "$src" "$tarball.tmp"' EXIT
cp -a /usr/include "$src/include"
files=$(find "$src" -type f | wc -l)
bytes=$(du -sb "$src" | cut -f1)
mkdir "$src/gen"
i=0
while [ "$files" -lt 9000 ] || [ "$bytes" -lt 120000000 ]; do
	d=$src/gen/d$((i / 100))
	[ -d "$d" ] || mkdir "$d"
	left=$((9000 - files))
	[ "$left" -gt 0 ] || left=1
	sz=$(( (120000000 - bytes) / left ))
	[ "$sz" -ge 512 ] || sz=512
	[ "$sz" -le 4194304 ] || sz=4194304
	sz=$(( sz / 2 + sz * (i * 7919 % 100) / 100 + 1 ))
	head -c "$sz" /dev/urandom > "$d/f$i"
	i=$((i + 1))
	files=$((files + 1))
	bytes=$((bytes + sz))
done
tar --format=ustar -cf "$tarball.tmp" -C "$src" .
mv "$tarball.tmp" "$tarball"
