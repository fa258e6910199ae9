#!/bin/sh
# make install puts headers, libraries and pkg-config files where a user
# expects them, and `pkg-config --cflags --libs rump' (or rumpvfs, for the
# file systems) is all a program needs to link a kernel, shared (the
# default) or static.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top"
make -s install PREFIX=/usr DESTDIR="$tmp/root" >/dev/null

for f in include/rump/rump.h include/rump/rumpuser.h \
    include/rump/rump_syscalls.h lib/librump.a lib/librump.so \
    lib/librumpuser.a lib/librumpuser.so lib/pkgconfig/rump.pc \
    lib/librumpvfs.so lib/librumpfs_tmpfs.a lib/pkgconfig/rumpvfs.pc \
    lib/pkgconfig/rumpfs_tmpfs.pc; do
	[ -f "$tmp/root/usr/$f" ] || { echo "not installed: $f"; exit 1; }
done

cat >"$tmp/prog.c" <<'EOC'
#include <stdio.h>
#include <sys/utsname.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

int
main(void)
{
	struct utsname u;

	if (rump_init() != 0 || rump_sys_uname(&u) != 0)
		return 1;
	printf("%d %s\n", rump_sys_getpid(), u.sysname);
	return 0;
}
EOC
PKG_CONFIG_PATH=$tmp/root/usr/lib/pkgconfig
export PKG_CONFIG_PATH
flags=$(pkg-config --define-variable=prefix="$tmp/root/usr" --cflags --libs rump)

# Shared, with --as-needed as some distributions default to.
cc -o "$tmp/prog" "$tmp/prog.c" -Wl,--as-needed $flags
out=$(LD_LIBRARY_PATH=$tmp/root/usr/lib "$tmp/prog")
[ "$out" = "1 Linux" ] || { echo "shared: got '$out'"; exit 1; }
ldd "$tmp/prog" | grep -q 'librump\.so' ||
    { echo "shared: librump.so not linked"; exit 1; }

# Static: only the archives are there.
mkdir "$tmp/static"
cp "$tmp/root/usr/lib/"*.a "$tmp/static/"
sflags=$(echo "$flags" | sed "s|-L$tmp/root/usr/lib|-L$tmp/static|")
cc -o "$tmp/prog-static" "$tmp/prog.c" $sflags
out=$("$tmp/prog-static")
[ "$out" = "1 Linux" ] || { echo "static: got '$out'"; exit 1; }
if ldd "$tmp/prog-static" | grep -q librump; then
	echo "static: linked a shared librump"
	exit 1
fi
# The VFS faction: a file on the tmpfs root, written and read back.
cat >"$tmp/vfs.c" <<'EOC'
#include <fcntl.h>
#include <stdio.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

int
main(void)
{
	char buf[8] = "";
	int fd;

	if (rump_init() != 0 || rump_sys_mkdir("/d", 0755) != 0)
		return 1;
	fd = rump_sys_open("/d/f", O_CREAT | O_RDWR, 0644);
	if (fd < 0 || rump_sys_write(fd, "tmpfs", 5) != 5 ||
	    rump_sys_pread(fd, buf, sizeof(buf) - 1, 0) != 5)
		return 1;
	printf("%s\n", buf);
	return 0;
}
EOC
vflags=$(pkg-config --define-variable=prefix="$tmp/root/usr" --cflags --libs rumpvfs)
cc -o "$tmp/vfs" "$tmp/vfs.c" -Wl,--as-needed $vflags
out=$(LD_LIBRARY_PATH=$tmp/root/usr/lib "$tmp/vfs")
[ "$out" = "tmpfs" ] || { echo "vfs shared: got '$out'"; exit 1; }
svflags=$(echo "$vflags" | sed "s|-L$tmp/root/usr/lib|-L$tmp/static|")
cc -o "$tmp/vfs-static" "$tmp/vfs.c" $svflags
out=$("$tmp/vfs-static")
[ "$out" = "tmpfs" ] || { echo "vfs static: got '$out'"; exit 1; }
echo "install: headers, libraries and pkg-config work, shared and static"
