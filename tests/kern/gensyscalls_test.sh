#!/bin/sh
# gensyscalls_test.sh: tests of tools/gensyscalls.awk.
#
#   sh tests/kern/gensyscalls_test.sh      (from anywhere)
#
# Runs the generator with $AWK (default awk) and with mawk and gawk when
# they are installed, and checks that:
#   - the real table generates, and every awk writes the same files;
#   - its public header compiles before and after the host's headers
#     that define the structures it names (<sys/resource.h>, ...);
#   - each kind of malformed line fails with "FILE:LINE: ..." naming the
#     bad line, exit status 1, and no output written;
#   - a second run that changes nothing leaves the outputs untouched;
#   - a variadic call and a second component generate code that compiles
#     warning-free as kernel code ($CC, default cc), and the public
#     header compiles as C and C++;
#   - the remote client's stubs (lib/librumpclient/rumpclient_syscalls.c)
#     define every rump_sys_* of the public header, with the same
#     prototypes (they compile warning-free as host code against it).
# Prints one line per failed check and exits 1 if any failed.

set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
GENAWK=$SRCDIR/tools/gensyscalls.awk
CC=${CC:-cc}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
nfail=0
nok=0

fail() {
	echo "FAIL: $*"
	nfail=$((nfail + 1))
}

ok() {
	nok=$((nok + 1))
}

awks=${AWK:-awk}
for a in mawk gawk; do
	if command -v "$a" >/dev/null 2>&1; then
		case " $awks " in
		*" $a "*) ;;
		*) awks="$awks $a" ;;
		esac
	fi
done

# gen AWK TABLE DIR: run the generator; stderr in DIR.err.
gen() {
	rm -rf "$3"
	$1 -v gen="$3" -f "$GENAWK" "$2" 2>"$3.err"
}

# The real table, with each awk; all must agree.
first=
for a in $awks; do
	d=$TMP/real-$(echo "$a" | tr -c 'a-z0-9\n' _)
	if ! gen "$a" "$SRCDIR/sys/kern/syscalls.tbl" "$d"; then
		fail "$a: the real table does not generate: $(cat "$d.err")"
		continue
	fi
	for f in sys/sys/syscallargs.h sys/kern/syscalls_info.c \
	    sys/kern/syscalls_kern.c sys/kern/rump_syscalls.c \
	    include/rump/rump_syscalls.h \
	    lib/librumpclient/rumpclient_syscalls.c; do
		if [ ! -f "$d/$f" ]; then
			fail "$a: $f not generated"
		elif ! grep -q 'Generated from sys/kern/syscalls.tbl by tools/gensyscalls.awk; do not edit' "$d/$f"; then
			fail "$a: $f lacks the do-not-edit line"
		else
			ok
		fi
	done
	if [ -n "$(ls "$d"/sys/kern/*.tmp "$d"/sys/sys/*.tmp \
	    "$d"/include/rump/*.tmp "$d"/lib/librumpclient/*.tmp \
	    2>/dev/null)" ]; then
		fail "$a: temporary files left behind"
	fi
	if [ -z "$first" ]; then
		first=$d
	elif diff -r "$first" "$d" >/dev/null; then
		ok
	else
		fail "$a writes other files than $(basename "$first")"
	fi
done

# The real header beside the host's headers of its structures, in either
# order: it only declares the structures it names.
if [ -n "$first" ]; then
	for order in before after; do
		hdrs='#include <sys/resource.h>
#include <sys/stat.h>
#include <poll.h>'
		pub='#include <rump/rump_syscalls.h>'
		if [ $order = before ]; then
			printf '%s\n%s\n' "$hdrs" "$pub"
		else
			printf '%s\n%s\n' "$pub" "$hdrs"
		fi >"$TMP/order.c"
		printf 'int main(void) { struct rlimit r; struct stat st;\n  return rump_sys_getrlimit(RLIMIT_NOFILE, &r) + rump_sys_prlimit64(0, RLIMIT_NOFILE, &r, &r) + rump_sys_fstat(0, &st); }\n' \
		    >>"$TMP/order.c"
		if $CC -Wall -Wextra -Werror -D_GNU_SOURCE -I"$first/include" \
		    -fsyntax-only "$TMP/order.c" 2>"$TMP/cc.err"; then
			ok
		else
			fail "rump_syscalls.h $order the host's headers: $(cat "$TMP/cc.err")"
		fi
	done
fi

# A second run that changes nothing does not touch the outputs.
a=${awks%% *}
d=$TMP/again
gen "$a" "$SRCDIR/sys/kern/syscalls.tbl" "$d"
touch -d '2000-01-01' "$d/sys/sys/syscallargs.h"
$a -v gen="$d" -f "$GENAWK" "$SRCDIR/sys/kern/syscalls.tbl"
if [ -n "$(find "$d/sys/sys/syscallargs.h" -newermt '2000-01-02')" ]; then
	fail "an unchanged output was rewritten"
else
	ok
fi

# Malformed lines.  Each table has the bad line on line 4.
good='39	kern	pid_t getpid(void);'
badcase() {
	what=$1
	line=$2
	expect=$3
	t=$TMP/bad.tbl
	printf '# a test table\n\n%s\n%s\n' "$good" "$line" >"$t"
	for a in $awks; do
		d=$TMP/bad
		gen "$a" "$t" "$d"
		rc=$?
		if [ "$rc" -ne 1 ]; then
			fail "$a: $what: exit status $rc, not 1"
		elif ! grep -q "^$t:4: " "$d.err"; then
			fail "$a: $what: message does not name line 4: $(cat "$d.err")"
		elif ! grep -q -- "$expect" "$d.err"; then
			fail "$a: $what: message lacks '$expect': $(cat "$d.err")"
		elif [ -e "$d" ]; then
			fail "$a: $what: output written anyway"
		else
			ok
		fi
	done
}

badcase "bad number" 'x2	kern	int f(void);' "bad system call number"
badcase "negative number" '-2	kern	int f(void);' "bad system call number"
badcase "number too large" '5000	kern	int f(void);' "too large"
badcase "bad component" '40	Kern!	int f(void);' "bad component"
badcase "no prototype" '40	kern' "expected 'number component prototype'"
badcase "no semicolon" '40	kern	int f(void)' "bad prototype"
badcase "no result type" '40	kern	f(void);' "bad prototype"
badcase "nested parentheses" '40	kern	int f(int (*g)(void));' "bad prototype"
badcase "number twice" '39	kern	int f(void);' "already used by getpid"
badcase "name twice" '40	kern	pid_t getpid(void);' "already used by number 39"
badcase "out of order" '38	kern	int f(void);' "out of order"
badcase "argument without a name" '40	kern	int f(int);' "has no type"
badcase "argument without anything" '40	kern	int f(int a, );' "has no name"
badcase "unknown type" '40	kern	int f(float x);' "unknown type 'float'"
badcase "unknown result type" '40	kern	double f(void);' "unknown type 'double'"
badcase "struct by value" '40	kern	int f(struct timespec ts);' "unknown type"
badcase "const value" '40	kern	int f(const int x);' "'const' on a value"
badcase "seven arguments" '40	kern	int f(int a, int b, int c, int d, int e, int f, int g);' "more than 6"
badcase "... not last" '40	kern	int f(int a, ... int b, int c);' "must introduce the last"
badcase "... first" '40	kern	int f(... int a);' "needs an argument before"
badcase "argument name twice" '40	kern	int f(int a, int a);' "used twice"

# An empty table is an error too.
printf '# nothing\n' >"$TMP/empty.tbl"
for a in $awks; do
	if gen "$a" "$TMP/empty.tbl" "$TMP/empty" ||
	    ! grep -q "no system calls" "$TMP/empty.err"; then
		fail "$a: an empty table is accepted"
	else
		ok
	fi
done

# A variadic call in a second component: the code must compile as
# kernel code, warning-free, and the public header as C and C++.
t=$TMP/var.tbl
cat >"$t" <<'EOF'
2	vfs	int open(const char *path, int flags, ... mode_t mode);
39	kern	pid_t getpid(void);
63	kern	int uname(struct utsname *buf);
100	vfs	ssize_t pread(int fd, void *buf, size_t len, off_t off);
200	vfs	void *mapit(void *addr, size_t len, int prot, int flags, int fd, off_t off);
EOF
d=$TMP/var
if ! gen "${awks%% *}" "$t" "$d"; then
	fail "variadic table: $(cat "$d.err")"
else
	if [ -f "$d/sys/kern/syscalls_vfs.c" ] &&
	    grep -q 'mode = va_arg(ap, mode_t);' "$d/sys/kern/rump_syscalls.c" &&
	    grep -q 'int rump_sys_open(const char \*path, int flags, \.\.\.);' \
	    "$d/include/rump/rump_syscalls.h" &&
	    grep -q '\[2\] = 3,' "$d/sys/kern/syscalls_info.c"; then
		ok
	else
		fail "variadic table: open is not generated as expected"
	fi
	for c in syscalls_vfs.c syscalls_kern.c rump_syscalls.c \
	    syscalls_info.c; do
		if $CC -std=gnu11 -Wall -Wextra -Werror -ffreestanding \
		    -nostdinc -D_KERNEL -I"$SRCDIR/sys" -I"$d/sys" \
		    -I"$SRCDIR/include" -I"$d/include" -c \
		    "$d/sys/kern/$c" -o "$TMP/out.o" 2>"$TMP/cc.err"; then
			ok
		else
			fail "$c does not compile: $(cat "$TMP/cc.err")"
		fi
	done
	printf '#include <rump/rump_syscalls.h>\nint main(void) { return rump_sys_getpid(); }\n' >"$TMP/pub.c"
	if $CC -Wall -Wextra -Werror -I"$d/include" -fsyntax-only \
	    "$TMP/pub.c" 2>"$TMP/cc.err"; then
		ok
	else
		fail "rump_syscalls.h does not compile as C: $(cat "$TMP/cc.err")"
	fi
	if command -v c++ >/dev/null 2>&1; then
		cp "$TMP/pub.c" "$TMP/pub.cc"
		if c++ -Wall -Wextra -Werror -I"$d/include" -fsyntax-only \
		    "$TMP/pub.cc" 2>"$TMP/cc.err"; then
			ok
		else
			fail "rump_syscalls.h does not compile as C++: $(cat "$TMP/cc.err")"
		fi
	fi
fi

# The client stubs: one per call of the public header, same prototypes.
# clientnames DIR: the names the header declares and the stubs define.
clientnames() {
	sed -n 's/.* \**rump_sys_\([a-z0-9_]*\)(.*/\1/p' \
	    "$1/include/rump/rump_syscalls.h" | sort >"$TMP/hnames"
	sed -n 's/^rump_sys_\([a-z0-9_]*\)(.*/\1/p' \
	    "$1/lib/librumpclient/rumpclient_syscalls.c" | sort >"$TMP/cnames"
}
for d in "$first" "$TMP/var"; do
	[ -n "$d" ] && [ -f "$d/lib/librumpclient/rumpclient_syscalls.c" ] || {
		fail "no client stubs in $d"
		continue
	}
	clientnames "$d"
	if [ ! -s "$TMP/hnames" ]; then
		fail "$d: no rump_sys_* found in rump_syscalls.h"
	elif cmp -s "$TMP/hnames" "$TMP/cnames"; then
		ok
	else
		fail "$d: the client stubs are not the header's calls: $(diff "$TMP/hnames" "$TMP/cnames" | tr '\n' ' ')"
	fi
	if $CC -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
	    -I"$SRCDIR/include" -I"$d/include" -c \
	    "$d/lib/librumpclient/rumpclient_syscalls.c" -o "$TMP/out.o" \
	    2>"$TMP/cc.err"; then
		ok
	else
		fail "$d: the client stubs do not compile: $(cat "$TMP/cc.err")"
	fi
done
if [ -f "$TMP/var/lib/librumpclient/rumpclient_syscalls.c" ]; then
	c=$TMP/var/lib/librumpclient/rumpclient_syscalls.c
	if grep -q 'mode = va_arg(ap, mode_t);' "$c" &&
	    grep -q 'rumpclient_syscall(RUMP_SYS_open, args, 3, rv);' "$c" &&
	    grep -q 'rumpclient_syscall(RUMP_SYS_getpid, NULL, 0, rv);' "$c" &&
	    grep -q 'args\[3\] = (int64_t)off;' "$c" &&
	    grep -q 'return (void \*)(intptr_t)-1;' "$c"; then
		ok
	else
		fail "client stubs: open, getpid, pread or mapit not as expected"
	fi
fi

echo "gensyscalls_test: $nok passed, $nfail failed (awks: $awks)"
[ "$nfail" -eq 0 ]
