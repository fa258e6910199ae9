# fuse_lib.sh: what the rumpfuse test scripts share (sourced by
# tests/fuse/*_test.sh).
#
#   top, prog        the source tree; the program ($RUMPFUSE, default
#                    build/bin/rumpfuse; relative to the tree)
#   fuse_skip_unless TOOL...
#                    exit 0 with a SKIP line without /dev/fuse or a TOOL,
#                    exit 1 without the program
#   fuse_tmp         tmp (a new directory), mnt ($tmp/mnt, not made),
#                    pid= (the script's server), and a trap that on any
#                    exit unmounts $mnt (and $lmnt, a host loop mount,
#                    when the script sets it), kills the server and
#                    removes $tmp
#   fuse_up [OPTION...] IMAGE
#                    $prog -f in the background on $mnt, its output in
#                    $tmp/log, pid set; fails unless mounted within 10 s
#   fuse_wait WHAT   the server must exit 0 within 10 s (after WHAT)
#   fuse_down        fusermount3 -u, then fuse_wait
# The last three call the script's fail() on failure.
top=$(cd "$(dirname "$0")/../.." && pwd)
prog=${RUMPFUSE:-$top/build/bin/rumpfuse}
case $prog in /*) ;; *) prog=$top/$prog ;; esac

fuse_skip_unless() {
	if [ ! -c /dev/fuse ]; then
		echo "SKIP: /dev/fuse does not exist"
		exit 0
	fi
	for t in "$@"; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "SKIP: $t is not installed"
			exit 0
		fi
	done
	[ -x "$prog" ] || { echo "FAIL: no $prog"; exit 1; }
}

fuse_cleanup() {
	if mountpoint -q "$mnt" 2>/dev/null; then
		fusermount3 -u "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
	fi
	if [ -n "${lmnt:-}" ] && mountpoint -q "$lmnt" 2>/dev/null; then
		umount "$lmnt" 2>/dev/null
	fi
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null
		sleep 1
		kill -9 "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}

fuse_tmp() {
	tmp=$(mktemp -d)
	mnt=$tmp/mnt
	pid=
	trap fuse_cleanup EXIT
	trap 'exit 1' INT TERM HUP PIPE
}

fuse_up() {
	"$prog" -f "$@" "$mnt" >"$tmp/log" 2>&1 &
	pid=$!
	i=0
	while ! mountpoint -q "$mnt"; do
		kill -0 "$pid" 2>/dev/null || fail "rumpfuse exited before mounting"
		i=$((i + 1))
		[ $i -lt 100 ] || fail "not mounted after 10 s"
		sleep 0.1
	done
}

fuse_wait() {
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "rumpfuse still running 10 s after $1"
		sleep 0.1
	done
	wait "$pid" || fail "rumpfuse exited with status $? after $1"
	pid=
}

fuse_down() {
	fusermount3 -u "$mnt" || fail "fusermount3 -u"
	fuse_wait "fusermount3 -u"
}
