# bench_lib.sh: shell functions the untar benchmarks share (sourced by
# bench/ext2_bench.sh, bench/fuse_bench.sh, bench/hijack_bench.sh).
#
#   mkimg             a fresh 1 GiB image at $img, mke2fs -t ${fstype:-ext2}
#   now               the time, in seconds with nanoseconds
#   elapsed T0 T1     T1 - T0, three decimals
#   listing [SUB]     the tree at $mnt[/SUB]: name, type, mode, owner, size
#                     (not of directories: their layout is each driver's
#                     own), time, symlink target; sorted
#   median V...       the median of the values

mkimg() {
	rm -f "$img"
	truncate -s 1G "$img"
	mke2fs -F -q -t "${fstype:-ext2}" "$img"
}

now() {
	date +%s.%N
}

elapsed() {
	awk "BEGIN { printf \"%.3f\", $2 - $1 }"
}

listing() {
	(cd "$mnt/${1:-}" && find . -path ./lost+found -prune -o -printf \
	    '%p %y %m %U %G %s %T@ %l\n') |
	    awk '$2 == "d" { $6 = "-" } 1' | sort
}

median() {
	echo "$@" | tr ' ' '\n' | grep . | sort -n | awk \
	    '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	    else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
