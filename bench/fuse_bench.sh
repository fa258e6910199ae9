#!/bin/sh
# fuse_bench.sh RUMPFUSE FSU WORKDIR: the FUSE and image-tool benchmarks of
# make bench (make bench-fuse).
#
# (a) Untar the benchmark tree (bench/bench_tree.sh: about 9,000 files and
#     120 MB, the tarball of the ext2 benchmark, kept in WORKDIR) into a
#     fresh 1 GiB ext2 image (mke2fs -t ext2) mounted through rumpfuse (our
#     kernel's driver in the FUSE server; as it starts by default, and with
#     -s, one serving thread), through fuse2fs (e2fsprogs' FUSE server,
#     libext2fs) and, for reference, through the host kernel on a loop
#     mount.  A FUSE timing runs from the start of the server
#     (in the foreground, in the background of this script) to its exit
#     after tar -x and umount, so the image is complete and consistent
#     when the clock stops; the host's from mount to umount.
# (b) Copy the same tree, extracted once into WORKDIR, into a fresh image:
#     fsu IMAGE put TREE / against e2tools (e2mkdir for every directory,
#     then one e2cp -ap reading the list of all files, so each tool opens
#     the image once or a few times; e2tools cannot make symbolic links,
#     e2ln -s is not implemented, so its copy lacks the tree's few links).
#
# Each round runs every side once on a fresh image, in an order that
# rotates from round to round; after every run e2fsck -fn must find the
# image clean, or the benchmark fails.  In the first round the tree that
# rumpfuse wrote must list the same as the host kernel's, and the one fsu
# wrote the same as its source (names, types, modes, owners, sizes but of
# directories, modification times, symlink targets).  Medians and the
# ratios (rumpfuse/fuse2fs, fsu/e2tools) are printed; nothing fails on
# time.
#
# Needs root (the loop mount, fuse2fs on a fresh image), /dev/fuse,
# fuse2fs and e2tools; skipped otherwise.  BENCH_FUSE_RUNS=n rounds
# (default 5), BENCH_FUSE_ARGS adds options to rumpfuse's command line.
set -eu
rumpfuse=$1
fsu=$2
dir=$3
runs=${BENCH_FUSE_RUNS:-5}
rfargs=${BENCH_FUSE_ARGS:-}
here=$(dirname "$0")

skip() {
	echo "fuse untar and image copy: skipped ($1)"
	exit 0
}
[ "$(id -u)" = 0 ] || skip "needs root for the loop mount"
[ -c /dev/fuse ] || skip "no /dev/fuse"
for t in fuse2fs e2cp e2mkdir mke2fs e2fsck; do
	command -v "$t" >/dev/null 2>&1 || skip "no $t"
done
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
tarball=$dir/ext2_tree.tar
img=$dir/fuse_bench.img
mnt=$dir/fuse_bench.mnt
src=$dir/fuse_tree
mkdir -p "$mnt"
sh "$here/bench_tree.sh" "$tarball"
nfiles=$(tar -tvf "$tarball" | grep -c '^-')
mb=$(( $(stat -c %s "$tarball") / 1000000 ))

server=""
cleanup() {
	if grep -q " $mnt " /proc/mounts; then
		umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || :
	fi
	[ -z "$server" ] || kill "$server" 2>/dev/null || :
}
trap cleanup EXIT

bench=fuse
. "$(dirname "$0")/bench_lib.sh"

# Untar through the FUSE server "$@" (started with IMAGE MOUNTPOINT after
# its arguments), unmount, wait for the server: the seconds in t.
fuse_untar() {
	t0=$(now)
	"$@" "$img" "$mnt" &
	server=$!
	while ! grep -q " $mnt fuse" /proc/mounts; do
		if ! kill -0 "$server" 2>/dev/null; then
			server=""
			echo "fuse bench: $1 did not mount"
			exit 1
		fi
		sleep 0.005
	done
	tar -xpf "$tarball" -C "$mnt"
	umount "$mnt"
	wait "$server"
	server=""
	t=$(elapsed "$t0" "$(now)")
}

run_rumpfuse() {
	mkimg
	# shellcheck disable=SC2086
	fuse_untar "$rumpfuse" -f $rfargs
	rf="$rf $t"
	fsck rumpfuse
	[ "$1" -ne 0 ] || keep_listing rumpfuse .
	mkimg
	# shellcheck disable=SC2086
	fuse_untar "$rumpfuse" -f -s $rfargs
	rfs="$rfs $t"
	fsck "rumpfuse -s"
}

run_fuse2fs() {
	mkimg
	fuse_untar fuse2fs -f
	f2="$f2 $t"
	fsck fuse2fs
}

run_host() {
	host_untar
	host="$host $t"
	fsck "the host kernel"
	[ "$1" -ne 0 ] || keep_listing host .
}

run_fsu() {
	mkimg
	t0=$(now)
	"$fsu" "$img" put "$src/tree" /
	fsu_t="$fsu_t $(elapsed "$t0" "$(now)")"
	fsck "fsu put"
	[ "$1" -ne 0 ] || keep_listing fsu tree
}

run_e2tools() {
	mkimg
	t0=$(now)
	(cd "$src" && find tree -type d | sed "s|^|$img:/|" | xargs e2mkdir &&
	    find tree -type f | e2cp -ap -d "$img:/")
	e2="$e2 $(elapsed "$t0" "$(now)")"
	fsck e2tools
}

# The tree for (b), on the host's file system, as tar -x makes it.
rm -rf "$src"
mkdir -p "$src/tree"
tar -xpf "$tarball" -C "$src/tree"
(cd "$src/tree" && find . -printf '%p %y %m %U %G %s %T@ %l\n') |
    awk '$2 == "d" { $6 = "-" } 1' | sort > "$dir/fuse_src.lst"

rf="" rfs="" f2="" host="" fsu_t="" e2=""
r=0
while [ "$r" -lt "$runs" ]; do
	case $((r % 3)) in
	0)	run_rumpfuse "$r"; run_fuse2fs; run_host "$r" ;;
	1)	run_fuse2fs; run_host "$r"; run_rumpfuse "$r" ;;
	2)	run_host "$r"; run_rumpfuse "$r"; run_fuse2fs ;;
	esac
	if [ $((r % 2)) -eq 0 ]; then
		run_fsu "$r"; run_e2tools
	else
		run_e2tools; run_fsu "$r"
	fi
	if [ "$r" -eq 0 ]; then
		same_tree rumpfuse host
		same_tree fsu src
	fi
	r=$((r + 1))
done
rm -rf "$img" "$src"

mr=$(median $rf)
mrs=$(median $rfs)
mf=$(median $f2)
mh=$(median $host)
mu=$(median $fsu_t)
me=$(median $e2)
printf 'fuse untar (%s files, %s MB, ext2, 1 GiB image), median of %s:\n' \
    "$nfiles" "$mb" "$runs"
printf '  rumpfuse            %8.3f s   runs:%s\n' "$mr" "$rf"
printf '  rumpfuse -s         %8.3f s   runs:%s\n' "$mrs" "$rfs"
printf '  fuse2fs             %8.3f s   runs:%s\n' "$mf" "$f2"
printf '  host (loop mount)   %8.3f s   runs:%s\n' "$mh" "$host"
printf '  ratio rumpfuse/fuse2fs    %2.2fx   (target 0.33x or less)\n' \
    "$(awk "BEGIN { print $mr / $mf }")"
# The machine's speed drifts within minutes: the ratio of each round's
# two runs, which ran a few seconds apart, is steadier.
per_round() {
	echo "$1" "$2" | awk '{ n = NF / 2; for (i = 1; i <= n; i++)
	    printf "%.4f ", $i / $(i + n); print "" }'
}
printf '  ratio rumpfuse/fuse2fs    %2.2fx   median of the rounds'"'"' ratios\n' \
    "$(median $(per_round "$rf" "$f2"))"
printf '  ratio rumpfuse -s/fuse2fs %2.2fx\n' \
    "$(awk "BEGIN { print $mrs / $mf }")"
printf '  ratio rumpfuse/host       %2.2fx\n' "$(awk "BEGIN { print $mr / $mh }")"
printf 'image copy of the same tree, median of %s:\n' "$runs"
printf '  fsu put             %8.3f s   runs:%s\n' "$mu" "$fsu_t"
printf '  e2mkdir + e2cp -ap  %8.3f s   runs:%s\n' "$me" "$e2"
printf '  ratio fsu/e2tools         %2.2fx\n' "$(awk "BEGIN { print $mu / $me }")"
