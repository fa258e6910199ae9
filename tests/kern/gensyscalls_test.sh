#!/bin/sh
# The system call generator: the real table generates, and a malformed
# table stops it with a message naming the line.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk=${AWK:-awk}
fail=0

gen() {
	rm -rf "$tmp/gen"
	mkdir -p "$tmp/gen/sys/sys" "$tmp/gen/sys/kern" "$tmp/gen/include/rump"
	$awk -v gen="$tmp/gen" -f "$top/tools/gensyscalls.awk" "$1" \
	    >"$tmp/out" 2>&1
}

gen "$top/sys/kern/syscalls.tbl" || { echo "real table failed"; cat "$tmp/out"; exit 1; }
grep -q 'rump_sys_getpid(void);' "$tmp/gen/include/rump/rump_syscalls.h" ||
    { echo "no rump_sys_getpid"; fail=1; }
grep -q '#define SYS_getpid 39' "$tmp/gen/sys/sys/syscallargs.h" ||
    { echo "no SYS_getpid"; fail=1; }

expect_error() {	# table-line, message fragment
	printf '# test\n39\tkern\tpid_t getpid(void);\n%s\n' "$1" >"$tmp/bad.tbl"
	if gen "$tmp/bad.tbl"; then
		echo "accepted: $1"
		fail=1
	elif ! grep -q "bad.tbl:3: .*$2" "$tmp/out"; then
		echo "for '$1' expected line 3 and '$2', got: $(cat "$tmp/out")"
		fail=1
	fi
}

expect_error 'x	kern	int f(void);' 'bad system call number'
expect_error '40	KERN	int f(void);' 'bad component name'
expect_error '40	kern	int f(void' 'bad prototype'
expect_error '39	kern	int f(void);' 'used twice'
expect_error '41	kern	pid_t getpid(void);' 'used twice'
expect_error '42	kern	int f(int a, int b, int c, int d, int e, int f, int g);' 'more than 6'
expect_error '43	kern	int f(int);' 'without a type'
expect_error '44	kern	int f(..., int a, int b);' 'must come last'
expect_error '45' 'expected'

[ "$fail" -eq 0 ] && echo "gensyscalls: table generates, bad lines are refused"
exit "$fail"
