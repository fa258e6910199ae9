#!/bin/sh
# check-namespace.sh LIBDIR KERNLIB...: the anykernel check (DESIGN.md
# section 2).  For each kernel library, static and shared:
#  - every defined global symbol is rump_* or rumpns_*;
#  - every undefined symbol is rumpuser_*, rump_* or rumpns_* (sanitizer
#    runtime symbols are allowed in a sanitizer build);
#  - the shared library needs no other library but kernel ones (no libc).
# And kernel sources include only headers of the kernel's own trees.
# Prints each violation; exits 1 if there is any.
set -u
LC_ALL=C
export LC_ALL
libdir=$1
shift
NM=${NM:-nm}
READELF=${READELF:-readelf}
top=$(cd "$(dirname "$0")/.." && pwd)
bad=0

sanitizer='^__(asan|ubsan|lsan|sanitizer|odr_asan)|^___asan'

check_syms() {	# file, nm options...
	f=$1
	shift
	$NM "$@" "$f" 2>/dev/null | awk -v f="$f" -v san="$sanitizer" '
		NF >= 2 {
			type = $(NF - 1); name = $NF
			if (name ~ san || name == "_GLOBAL_OFFSET_TABLE_")
				next
			if (type == "U" || type == "w" || type == "v") {
				if (name !~ /^(rumpuser_|rump_|rumpns_)/) {
					print f ": needs " name; bad = 1
				}
			} else if (type ~ /^[A-Z]$/ && name !~ /^(rump_|rumpns_)/) {
				print f ": defines " name; bad = 1
			}
		}
		END { exit bad }'
}

for lib in "$@"; do
	a=$libdir/lib$lib.a
	so=$libdir/lib$lib.so
	if [ ! -f "$a" ] || [ ! -f "$so" ]; then
		echo "$lib: missing $a or $so"
		bad=1
		continue
	fi
	check_syms "$a" -g || bad=1
	check_syms "$so" -D --defined-only || bad=1
	check_syms "$so" -D --undefined-only || bad=1
	needed=$($READELF -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
	    grep -v '^librump' || true)
	if [ -n "$needed" ]; then
		echo "$so: depends on $needed"
		bad=1
	fi
done

# Kernel code includes only headers under sys/ or include/ (or generated).
hosthdrs=$(cd "$top" && for src in $(find sys -name '*.[ch]'; find tests -name '*.k.c'); do
	dir=$(dirname "$src")
	sed -n 's/^[ \t]*#[ \t]*include[ \t]*[<"]\([^>"]*\)[>"].*/\1/p' "$src" |
	while read -r h; do
		[ -f "sys/$h" ] || [ -f "include/$h" ] || [ -f "$dir/$h" ] ||
		    [ "$h" = sys/syscallargs.h ] ||
		    echo "$src: includes <$h>, which is not a kernel header"
	done
done)
if [ -n "$hosthdrs" ]; then
	echo "$hosthdrs"
	bad=1
fi

if [ "$bad" -ne 0 ]; then
	echo "check-namespace: FAILED"
	exit 1
fi
echo "check-namespace: $# kernel libraries clean"
