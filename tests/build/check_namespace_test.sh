#!/bin/sh
# The anykernel check catches what it must: a kernel library that defines
# a symbol outside the rump namespace or needs one from libc, and kernel
# code that includes a host header.  And it passes the real libraries.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top"

kernlibs=$(make -s print-KERNLIBS)
sh tools/check-namespace.sh "$build/lib" $kernlibs

# A kernel object that skipped the renaming step.
cat >"$tmp/bogus.c" <<'EOC'
int foo;
void *malloc(unsigned long);
void *rump_bogus(void) { foo++; return malloc(1); }
EOC
cc -fPIC -c "$tmp/bogus.c" -o "$tmp/bogus.o"
ar rcs "$tmp/librumpbogus.a" "$tmp/bogus.o"
cc -shared -nostdlib -o "$tmp/librumpbogus.so" "$tmp/bogus.o"
if sh tools/check-namespace.sh "$tmp" rumpbogus >"$tmp/out" 2>&1; then
	echo "check-namespace passed a library defining foo and needing malloc"
	exit 1
fi
grep -q 'defines foo' "$tmp/out" || { echo "foo not named"; cat "$tmp/out"; exit 1; }
grep -q 'needs malloc' "$tmp/out" || { echo "malloc not named"; cat "$tmp/out"; exit 1; }

# A shared library that depends on libc.
objcopy --redefine-sym foo=rumpns_foo --redefine-sym malloc=rumpns_malloc \
    "$tmp/bogus.o" "$tmp/bogus2.o"
ar rcs "$tmp/librumpbogus.a" "$tmp/bogus2.o"
cc -shared -o "$tmp/librumpbogus.so" "$tmp/bogus2.o" -Wl,--no-as-needed -lc
if sh tools/check-namespace.sh "$tmp" rumpbogus >"$tmp/out" 2>&1; then
	echo "check-namespace passed a kernel library that needs libc"
	exit 1
fi
grep -q 'depends on libc' "$tmp/out" || { cat "$tmp/out"; exit 1; }
echo "check-namespace catches renaming and libc dependencies"
