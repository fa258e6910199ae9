# bench_lib.sh: shell functions the untar benchmarks share (sourced by
# bench/ext2_bench.sh, bench/fuse_bench.sh, bench/hijack_bench.sh, each
# of which sets $bench, its name, and $img, $mnt, $dir, $tarball).
#
#   mkimg             a fresh 1 GiB image at $img, mke2fs -t ${fstype:-ext2}
#   now               the time, in seconds with nanoseconds
#   elapsed T0 T1     T1 - T0, three decimals
#   listing [SUB]     the tree at $mnt[/SUB]: name, type, mode, owner, size
#                     (not of directories: their layout is each driver's
#                     own), time, symlink target; sorted
#   median V...       the median of the values
#   host_untar        untar $tarball into a fresh image on a host loop
#                     mount, mount to umount: the seconds in t
#   fsck WHAT         e2fsck -fn $img must be clean, else exit 1
#   keep_listing NAME [SUB]
#                     the image's tree (at SUB) as $dir/${bench}_NAME.lst
#   same_tree A B     the kept listings A and B must be equal, else exit 1

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

host_untar() {
	mkimg
	t0=$(now)
	mount -o loop "$img" "$mnt"
	tar -xpf "$tarball" -C "$mnt"
	umount "$mnt"
	t=$(elapsed "$t0" "$(now)")
}

fsck() {
	if ! e2fsck -fn "$img" >/dev/null 2>&1; then
		echo "$bench bench: e2fsck -fn: problems in the image of $1:"
		e2fsck -fn "$img" 2>&1 | head -n 20
		exit 1
	fi
}

keep_listing() {
	mount -o loop,ro "$img" "$mnt"
	listing "${2:-}" > "$dir/${bench}_$1.lst"
	umount "$mnt"
}

same_tree() {
	if ! cmp -s "$dir/${bench}_$1.lst" "$dir/${bench}_$2.lst"; then
		echo "$bench bench: the tree of $1 differs from that of $2:"
		diff "$dir/${bench}_$2.lst" "$dir/${bench}_$1.lst" | head
		exit 1
	fi
}
