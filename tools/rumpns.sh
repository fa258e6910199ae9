#!/bin/sh
# rumpns.sh OBJECT: isolate a kernel library's symbol namespace.
#
# Renames every global symbol of the relocatable OBJECT, defined or
# undefined, that is not part of the rump interface (rump_*, rumpuser_*)
# to rumpns_NAME, so that a program's own malloc, printf or namei never
# meets the kernel's (DESIGN.md section 2).  Symbols the toolchain owns
# (the GOT, sanitizer runtimes) are left alone.
set -eu
obj=$1
NM=${NM:-nm}
OBJCOPY=${OBJCOPY:-objcopy}
map=$obj.rename
$NM -g "$obj" | awk '
	{ name = $NF }
	name ~ /^(rump_|rumpuser_|rumpns_)/ { next }
	name ~ /^(_GLOBAL_OFFSET_TABLE_|__tls_get_addr|__dso_handle)$/ { next }
	name ~ /^__(asan|ubsan|lsan|msan|tsan|sanitizer|odr_asan)/ { next }
	name ~ /^___?asan/ { next }
	!seen[name]++ { print name " rumpns_" name }
' >"$map"
if [ -s "$map" ]; then
	$OBJCOPY --redefine-syms="$map" "$obj"
fi
rm -f "$map"
