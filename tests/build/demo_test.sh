#!/bin/sh
# make demo, the README's first command, runs to the end: the kernel in a
# process, the hijacked programs and (where FUSE works) rumpfuse, each
# image found clean by the host's e2fsck -fn.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
cd "$top"
if ! make -s demo >"$out" 2>&1; then
	tail -n 20 "$out"
	echo "FAIL: make demo"
	exit 1
fi
fail() {
	tail -n 20 "$out"
	echo "FAIL: make demo: $*"
	exit 1
}
grep -q "== the host's e2fsck -fn on the image$" "$out" ||
    fail "no e2fsck of the hijack's image"
if grep -q "rumpfuse part skipped" "$out"; then
	echo "note: $(grep 'rumpfuse part skipped' "$out")"
else
	grep -q "== the host's e2fsck -fn on the image rumpfuse wrote" "$out" ||
	    fail "no e2fsck of rumpfuse's image"
	grep -q "include  *[0-9.]*M$\|M	.*/mnt/include$" "$out" || fail "no du of the copy"
	if command -v setfattr >/dev/null 2>&1; then
		grep -q '^user.origin="/usr/include/linux"$' "$out" ||
		    fail "getfattr did not show the attribute"
	fi
fi
n=$(grep -c "^Pass 5: Checking group summary information$" "$out")
[ "$n" -ge 2 ] || fail "$n e2fsck runs, expected 2 or 3"
if grep -q "^Error\|UNEXPECTED INCONSISTENCY\|was not cleanly unmounted" "$out"; then
	fail "e2fsck found problems"
fi
echo "ok: make demo"
