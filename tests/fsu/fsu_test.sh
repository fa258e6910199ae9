#!/bin/sh
# fsu_test.sh: tests of fsu (cmd/fsu) with the real e2fsprogs tools.
#
#   sh tests/fsu/fsu_test.sh          (from anywhere; BUILD=build-x picks
#                                      the build directory, default build;
#                                      FSU=path/to/fsu picks the binary)
#
# Makes a 64 MiB ext4 image with mke2fs, puts a tree into it with fsu
# (files, an empty file, a 3 MB file, a directory tree, symbolic links,
# odd modes, old times), reads it back with fsu ls/cat/stat/find/du/df,
# gets it back and compares it byte for byte with modes, times and link
# targets; works on it with mkdir, touch, ln, mv, chmod, chown and rm;
# checks that e2fsck -fn is clean after every writing step and that the
# host kernel's loop mount (when root) shows the same tree; applies the
# same symbolic chmod modes and chown/chgrp owners (names too) with
# coreutils to a host tree and with fsu to a copy in the image and
# compares the results; damages the superblock, an inode and a directory
# block of a small image at offsets from dumpe2fs and debugfs, and checks
# that fsu fails cleanly naming the path; and checks the errors: a
# missing path, a missing image, an image that is not ext2, a bad
# command.  Prints one line per failed check; exits 1 if any.

set -u
TZ=UTC0
export TZ
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
case ${FSU:-} in
/*) ;;
?*) FSU=$(pwd)/$FSU ;;
*)
	case $BUILD in
	/*) FSU=$BUILD/bin/fsu ;;
	*) FSU=$SRCDIR/$BUILD/bin/fsu ;;
	esac
	;;
esac
TMP=$(mktemp -d)
MNTED=
cleanup() {
	[ -n "$MNTED" ] && umount "$TMP/mnt" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
nfail=0
nok=0

fail() {
	echo "FAIL: $*"
	nfail=$((nfail + 1))
}
ok() {
	nok=$((nok + 1))
}
# check DESCRIPTION COMMAND...: the command must succeed.
check() {
	d=$1
	shift
	if "$@" >"$TMP/out" 2>"$TMP/err"; then ok; else
		fail "$d: $(head -3 "$TMP/err")"
	fi
}
# fsck DESCRIPTION: the image must be clean.
fsck() {
	if e2fsck -fn "$IMG" >"$TMP/fsck" 2>&1; then ok; else
		fail "e2fsck after $1: $(sed -n 2,6p "$TMP/fsck")"
	fi
}
# err DESCRIPTION EXPECTED-STDERR COMMAND...: must fail with exit 1 and
# exactly that message.
err() {
	d=$1
	want=$2
	shift 2
	"$@" >/dev/null 2>"$TMP/err"
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$d: exit status $rc, not 1"
	elif [ "$(cat "$TMP/err")" != "$want" ]; then
		fail "$d: said '$(cat "$TMP/err")', not '$want'"
	else
		ok
	fi
}

# errgrep DESCRIPTION PATTERN COMMAND...: must fail with exit 1 (not a
# crash) and say something matching PATTERN (grep -E) on standard error.
errgrep() {
	d=$1
	want=$2
	shift 2
	"$@" >/dev/null 2>"$TMP/err"
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$d: exit status $rc, not 1: $(tail -2 "$TMP/err")"
	elif ! grep -Eq "$want" "$TMP/err"; then
		fail "$d: said '$(cat "$TMP/err")', not '$want'"
	else
		ok
	fi
}

if [ ! -x "$FSU" ]; then
	echo "FAIL: no $FSU (build it first)"
	exit 1
fi
if ! command -v mke2fs >/dev/null || ! command -v e2fsck >/dev/null; then
	echo "fsu_test: skipped (no e2fsprogs)"
	exit 0
fi

IMG=$TMP/img
truncate -s 64M "$IMG"
mke2fs -q -F -t ext4 "$IMG" || { echo "FAIL: mke2fs"; exit 1; }

# The tree.
T=$TMP/tree
mkdir -p "$T/dir/sub/deeper" "$T/empty dir"
printf 'hello, image\n' >"$T/hello.txt"
: >"$T/empty"
head -c 3000000 /dev/urandom >"$T/big.bin"
i=0
while [ $i -lt 40 ]; do
	printf 'file %d\n' $i >"$T/dir/sub/f$i.c"
	i=$((i + 1))
done
printf '#!/bin/sh\necho run\n' >"$T/dir/run.sh"
chmod 755 "$T/dir/run.sh"
chmod 600 "$T/hello.txt"
chmod 1777 "$T/empty dir"
chmod 2750 "$T/dir/sub/deeper"
ln -s hello.txt "$T/link"
ln -s ../nowhere "$T/dir/dangling"
ln -s "$(printf 'x%.0s' $(seq 1 200))" "$T/dir/longlink"
ln "$T/dir/sub/f7.c" "$T/dir/hard7"
ln "$T/dir/sub/f7.c" "$T/hard7b"
touch -d '2001-02-03 04:05:06.123456789' "$T/big.bin"
touch -h -d '1999-12-31 23:59:59' "$T/link"
chown -h 1234:5678 "$T/dir/run.sh" 2>/dev/null

check "put" "$FSU" "$IMG" put "$T" /
fsck "put"

# Reading.
check "ls /" "$FSU" "$IMG" ls /
[ "$(cat "$TMP/out")" = "$(printf 'lost+found\ntree')" ] ||
    fail "ls /: $(cat "$TMP/out")"
check "ls -a /tree" "$FSU" "$IMG" ls -a /tree
[ "$(cat "$TMP/out")" = "$(LC_ALL=C ls -a "$T")" ] ||
    fail "ls -a /tree differs from the host's"
check "ls -l /tree" "$FSU" "$IMG" ls -l /tree
grep -q '^-rw-r--r-- 3 0 0 *7 .* hard7b$' "$TMP/out" ||
    fail "put: hard links not kept: $(grep hard7b "$TMP/out")"
grep -q '^-rw------- 1 0 0 *13 .* hello.txt$' "$TMP/out" ||
    fail "ls -l hello.txt: $(grep hello "$TMP/out")"
grep -q '^lrwxrwxrwx 1 0 0 .* Dec 31  1999 link -> hello.txt$' "$TMP/out" ||
    fail "ls -l link: $(grep link "$TMP/out")"
grep -q '^drwxrwxrwt .* empty dir$' "$TMP/out" ||
    fail "ls -l empty dir: $(grep empty "$TMP/out")"
grep -q '^total [0-9]' "$TMP/out" || fail "ls -l: no total"
check "ls -R" "$FSU" "$IMG" ls -R /tree/dir
[ "$(grep -c '^/tree/dir.*:$' "$TMP/out")" = 3 ] ||
    fail "ls -R: $(grep ':$' "$TMP/out")"
ln -s tree/dir/sub "$TMP/sublink"
check "put a link to a dir" "$FSU" "$IMG" put "$TMP/sublink" /
check "ls a link to a dir" "$FSU" "$IMG" ls /sublink /tree/hello.txt
[ "$(tr '\n' ' ' <"$TMP/out")" = \
    "/tree/hello.txt  /sublink: $(LC_ALL=C ls "$T/dir/sub" | tr '\n' ' ')" ] ||
    fail "ls a link to a dir: $(tr '\n' ' ' <"$TMP/out")"
check "ls -l a link to a dir" "$FSU" "$IMG" ls -l /sublink
grep -q ' /sublink -> tree/dir/sub$' "$TMP/out" ||
    fail "ls -l a link to a dir: $(cat "$TMP/out")"
check "rm a link to a dir" "$FSU" "$IMG" rm /sublink
mkdir "$TMP/hello.txt"
err "put a dir onto a file" \
    "fsu: cannot create directory '/tree/hello.txt': File exists" \
    "$FSU" "$IMG" put "$TMP/hello.txt" /tree
rmdir "$TMP/hello.txt"
check "cat" "$FSU" "$IMG" cat /tree/hello.txt tree/link
[ "$(cat "$TMP/out")" = "$(printf 'hello, image\nhello, image')" ] ||
    fail "cat: $(cat "$TMP/out")"
check "cat big" "$FSU" "$IMG" cat /tree/big.bin
cmp -s "$TMP/out" "$T/big.bin" || fail "cat big.bin differs"
check "stat" "$FSU" "$IMG" stat /tree/big.bin
grep -q 'Size: 3000000 .*regular file' "$TMP/out" ||
    fail "stat: $(head -2 "$TMP/out")"
grep -q '^Modify: 2001-02-03 04:05:06.123456789' "$TMP/out" ||
    fail "stat: $(grep Modify "$TMP/out")"
check "find" "$FSU" "$IMG" find /tree -name 'f1*.c' -type f
[ "$(wc -l <"$TMP/out")" = 11 ] || fail "find -name: $(cat "$TMP/out")"
check "find -type l" "$FSU" "$IMG" find /tree -type l
[ "$(sort "$TMP/out" | tr '\n' ' ')" = \
    "/tree/dir/dangling /tree/dir/longlink /tree/link " ] ||
    fail "find -type l: $(cat "$TMP/out")"
check "du -s" "$FSU" "$IMG" du -s /tree
[ "$(cut -f1 "$TMP/out")" -gt 2900 ] || fail "du -s: $(cat "$TMP/out")"
check "df" "$FSU" "$IMG" df
tail -1 "$TMP/out" | grep -q ' /$' || fail "df: $(cat "$TMP/out")"

# The round trip.
mkdir "$TMP/back"
check "get" "$FSU" "$IMG" get /tree "$TMP/back"
diff -r --no-dereference "$T" "$TMP/back/tree" >/dev/null ||
    fail "get: the tree differs"
(cd "$T" && find . -exec stat -c '%n %f %s %u %g %Y %N' {} + | sort) \
    >"$TMP/st1"
(cd "$TMP/back/tree" && find . -exec stat -c '%n %f %s %u %g %Y %N' {} + |
    sort) >"$TMP/st2"
cmp -s "$TMP/st1" "$TMP/st2" ||
    fail "get: modes, owners, times or links differ: $(diff "$TMP/st1" "$TMP/st2" | head -4)"

[ "$(stat -c %i "$TMP/back/tree/dir/sub/f7.c")" = \
    "$(stat -c %i "$TMP/back/tree/hard7b")" ] &&
    [ "$(stat -c %h "$TMP/back/tree/dir/hard7")" = 3 ] ||
    fail "get: hard links not kept"

# The host kernel's view.
if [ "$(id -u)" = 0 ] && mkdir "$TMP/mnt" &&
    mount -o loop,ro "$IMG" "$TMP/mnt" 2>/dev/null; then
	MNTED=1
	# Directory sizes depend on the block size: not compared.
	(cd "$T" && find . -exec stat -c '%n %f %u %g %Y %N' {} + | sort) \
	    >"$TMP/st1"
	(cd "$TMP/mnt/tree" && find . -exec stat -c '%n %f %u %g %Y %N' {} + |
	    sort) >"$TMP/st3"
	cmp -s "$TMP/st1" "$TMP/st3" ||
	    fail "loop mount: the tree differs: $(diff "$TMP/st1" "$TMP/st3" | head -4)"
	diff -r --no-dereference "$T" "$TMP/mnt/tree" >/dev/null ||
	    fail "loop mount: contents differ"
	# fsu ls prints what coreutils' ls prints (numeric owners).
	(cd "$TMP/mnt" && LC_ALL=C ls -lnaR tree tree/link tree/big.bin) \
	    >"$TMP/ls1" 2>&1
	"$FSU" "$IMG" ls -laR tree tree/link tree/big.bin >"$TMP/ls2" 2>&1
	cmp -s "$TMP/ls1" "$TMP/ls2" ||
	    fail "ls -laR differs from coreutils': $(diff "$TMP/ls1" "$TMP/ls2" | head -4)"
	# (Which directory a hard-linked file counts in depends on the
	# order of the walk: only the totals are compared.)
	(cd "$TMP/mnt" && du -s tree) >"$TMP/du1"
	"$FSU" "$IMG" du -s tree >"$TMP/du2"
	cmp -s "$TMP/du1" "$TMP/du2" ||
	    fail "du differs from coreutils': $(diff "$TMP/du1" "$TMP/du2" | head -4)"
	(cd "$TMP/mnt" && find tree -name '*.c' | sort) >"$TMP/find1"
	"$FSU" "$IMG" find tree -name '*.c' >"$TMP/find2"
	cmp -s "$TMP/find1" "$TMP/find2" || fail "find differs from the host's"
	umount "$TMP/mnt" && MNTED=
fi

# Changes.
check "mkdir -p" "$FSU" "$IMG" mkdir -p /new/a/b/c
check "mkdir -p existing" "$FSU" "$IMG" mkdir -p /new/a
check "touch" "$FSU" "$IMG" touch /new/a/t
check "ln -s" "$FSU" "$IMG" ln -s a/t /new/sl
check "ln" "$FSU" "$IMG" ln /tree/hello.txt /new/hard
check "mv" "$FSU" "$IMG" mv /new/a/b /new/moved
check "mv into dir" "$FSU" "$IMG" mv /tree/empty /new
check "chown" "$FSU" "$IMG" chown 42:43 /new/a/t
check "chmod" "$FSU" "$IMG" chmod 4711 /new/a/t
check "stat changed" "$FSU" "$IMG" stat /new/a/t
grep -q '^Access: (4711/-rws--x--x)  Uid: (   42)   Gid: (   43)' \
    "$TMP/out" || fail "chmod/chown: $(grep Uid "$TMP/out")"
check "ls -R /new" "$FSU" "$IMG" ls -R /new
[ "$(tr '\n' ' ' <"$TMP/out")" = \
    "/new: a empty hard moved sl  /new/a: t  /new/moved: c  /new/moved/c: " ] ||
    fail "after changes: $(tr '\n' ' ' <"$TMP/out")"
fsck "mkdir, touch, ln, mv, chmod, chown"
check "mv several" "$FSU" "$IMG" mv /new/sl /new/hard /new/moved
check "ln several" "$FSU" "$IMG" ln -s x y /new/moved
check "ls -d" "$FSU" "$IMG" ls -d /new /new/moved/c
[ "$(tr '\n' ' ' <"$TMP/out")" = "/new /new/moved/c " ] ||
    fail "ls -d: $(tr '\n' ' ' <"$TMP/out")"
check "ls after mv and ln" "$FSU" "$IMG" ls /new/moved
[ "$(tr '\n' ' ' <"$TMP/out")" = "c hard sl x y " ] ||
    fail "mv and ln several: $(tr '\n' ' ' <"$TMP/out")"
err "mv several, not a dir" "fsu: target '/new/a/t' is not a directory" \
    "$FSU" "$IMG" mv /new/moved/x /new/moved/y /new/a/t
check "touch -d" "$FSU" "$IMG" touch -d '2001-02-03 04:05:06.5' /new/a/t
check "stat after touch -d" "$FSU" "$IMG" stat /new/a/t
grep -q '^Modify: 2001-02-03 04:05:06.500000000 +0000$' "$TMP/out" ||
    fail "touch -d: $(grep Modify "$TMP/out")"
check "touch -m -t" "$FSU" "$IMG" touch -m -t 199912312359.30 /new/a/t
check "stat after touch -t" "$FSU" "$IMG" stat /new/a/t
grep -q '^Modify: 1999-12-31 23:59:30.000000000 +0000$' "$TMP/out" &&
    grep -q '^Access: 2001-02-03 04:05:06.500000000 +0000$' "$TMP/out" ||
    fail "touch -m -t: $(grep -e Modify -e '^Access: 2' "$TMP/out")"
"$FSU" "$IMG" mkdir >/dev/null 2>&1
[ $? -eq 2 ] || fail "mkdir without operands: exit status not 2"
dumpe2fs -h "$IMG" 2>/dev/null | grep -q '^Filesystem state: *clean$' ||
    fail "a usage error left the image mounted (not clean)"
fsck "a usage error after mounting"
check "rm -r" "$FSU" "$IMG" rm -r /tree/dir /new/moved/sl
check "rm -f missing" "$FSU" "$IMG" rm -f /nothing
check "ls after rm" "$FSU" "$IMG" ls /tree
[ "$(tr '\n' ' ' <"$TMP/out")" = "big.bin empty dir hard7b hello.txt link " ] ||
    fail "after rm: $(tr '\n' ' ' <"$TMP/out")"
fsck "rm -r"

# put and get replace a symbolic link instead of writing through it.
printf 'link replaced\n' >"$TMP/link"
check "put over a link" "$FSU" "$IMG" put "$TMP/link" /tree
check "cat after put" "$FSU" "$IMG" cat /tree/link /tree/hello.txt
[ "$(cat "$TMP/out")" = "$(printf 'link replaced\nhello, image')" ] ||
    fail "put over a link: $(cat "$TMP/out")"
rm "$TMP/back/tree/big.bin"
ln -s "$TMP/victim" "$TMP/back/tree/big.bin"
printf 'victim\n' >"$TMP/victim"
check "get over a link" "$FSU" "$IMG" get /tree/big.bin "$TMP/back/tree"
[ "$(cat "$TMP/victim")" = victim ] && [ ! -L "$TMP/back/tree/big.bin" ] &&
    cmp -s "$T/big.bin" "$TMP/back/tree/big.bin" ||
    fail "get over a link wrote through it"
fsck "put over a link"

# chmod with symbolic modes: the same modes with coreutils' chmod on a
# host tree and with fsu on its copy in the image, under umask 027 (a
# mode without u, g, o or a leaves the umask's bits alone).
MODES='u+x go-w a=r u=rwx,g=rx,o= +t u+s g+s +X =X +x -w =rw -s u=g
o=u,u=o a-r,o+X 755 00755 =755 -6000 ug=rwX,o= go=,+X'
C=$TMP/chm
n=0
for m in $MODES; do
	mkdir -p "$C/m$n/d" "$C/m$n/dsg"
	: >"$C/m$n/f"
	: >"$C/m$n/fx"
	: >"$C/m$n/fsu"
	chmod 640 "$C/m$n/f"
	chmod 751 "$C/m$n/fx"
	chmod 4755 "$C/m$n/fsu"
	chmod 700 "$C/m$n/d"
	chmod 2755 "$C/m$n/dsg"
	n=$((n + 1))
done
mkdir -p "$C/r/a/b" "$C/o/d/e"
: >"$C/r/a/f"
: >"$C/r/a/b/g"
ln -s f "$C/r/a/l"
ln -s a "$C/r/la"
ln -s nowhere "$C/dl"
: >"$C/s"
chmod 666 "$C/s"
i=0
while [ $i -lt 12 ]; do
	: >"$C/o/f$i"
	chmod 6755 "$C/o/f$i"
	i=$((i + 1))
done
: >"$C/o/d/e/g"
ln -s g "$C/o/d/e/l"
ln -s f0 "$C/o/l"
chmod 2755 "$C/o/d"
check "put the chmod tree" "$FSU" "$IMG" put "$C" /
(
	umask 027
	n=0
	for m in $MODES; do
		chmod "$m" "$C/m$n"/*
		"$FSU" "$IMG" chmod "$m" /chm/m$n/d /chm/m$n/dsg /chm/m$n/f \
		    /chm/m$n/fx /chm/m$n/fsu || echo "chmod $m: exit status $?"
		n=$((n + 1))
	done
	chmod -R go-rx,+X "$C/r/a"
	"$FSU" "$IMG" chmod -R go-rx,+X /chm/r/a || echo "chmod -R: $?"
	chmod -R u-w "$C/r/la"
	"$FSU" "$IMG" chmod -R u-w /chm/r/la || echo "chmod -R a link: $?"
) >"$TMP/out" 2>&1
[ -s "$TMP/out" ] && fail "fsu chmod: $(head -3 "$TMP/out")"
err "chmod -w, the umask in the way" \
    "fsu: /chm/s: new permissions are r--rw-rw-, not r--r--r--" \
    "$FSU" "$IMG" chmod -w /chm/s
chmod -w "$C/s" 2>/dev/null
err "chmod invalid mode" "fsu: invalid mode: 'u+q'" \
    "$FSU" "$IMG" chmod u+q /chm/s
err "chmod a dangling link" \
    "fsu: cannot operate on dangling symlink '/chm/dl'" \
    "$FSU" "$IMG" chmod 644 /chm/dl
err "chmod -f missing" "" "$FSU" "$IMG" chmod -f 644 /chm/nope

# chown and chgrp with names from the host's passwd and group, numbers,
# OWNER: (the login group), :GROUP, the old OWNER.GROUP, -R and -h; set-id
# bits go on chown, as on the host.
U=$(awk -F: '$3 == 1 { print $1; exit }' /etc/passwd)
G=$(awk -F: '$3 == 4 { print $1; exit }' /etc/group)
if [ "$(id -u)" = 0 ] && [ -n "$U" ] && [ -n "$G" ]; then
	i=0
	for spec in "$U" "$U:$G" "$U:" ":$G" 1234 5:6 +7:+8 "" : "root.$G" \
	    "$U:0"; do
		chown "$spec" "$C/o/f$i" 2>/dev/null
		check "chown '$spec'" "$FSU" "$IMG" chown "$spec" /chm/o/f$i
		i=$((i + 1))
	done
	chown 11 "$C/o/l"
	chown -h 12 "$C/o/d/e/l"
	chown -R 14:15 "$C/o/d"
	chgrp -R "$G" "$C/o/d/e"
	check "chown a link" "$FSU" "$IMG" chown 11 /chm/o/l
	check "chown -h" "$FSU" "$IMG" chown -h 12 /chm/o/d/e/l
	check "chown -R" "$FSU" "$IMG" chown -R 14:15 /chm/o/d
	check "chgrp -R" "$FSU" "$IMG" chgrp -R "$G" /chm/o/d/e
fi
err "chown unknown user" "fsu: invalid user: 'nosuchuser'" \
    "$FSU" "$IMG" chown nosuchuser /chm/s
err "chown unknown group" "fsu: invalid group: '0:nosuchgroup'" \
    "$FSU" "$IMG" chown 0:nosuchgroup /chm/s
err "chgrp unknown group" "fsu: invalid group: 'nosuchgroup'" \
    "$FSU" "$IMG" chgrp nosuchgroup /chm/s
fsck "chmod, chown"
mkdir "$TMP/chmback"
check "get the chmod tree" "$FSU" "$IMG" get /chm "$TMP/chmback"
(cd "$C" && find . -exec stat -c '%n %a %u %g' {} + | sort) >"$TMP/st1"
(cd "$TMP/chmback/chm" && find . -exec stat -c '%n %a %u %g' {} + | sort) \
    >"$TMP/st2"
cmp -s "$TMP/st1" "$TMP/st2" ||
    fail "chmod/chown differ from coreutils': $(diff "$TMP/st1" "$TMP/st2" | grep '^[<>]' | head -6 | tr '\n' ' ')"

# A partition: the file system 1 MiB into the image (-o).
PIMG=$TMP/part
truncate -s 34M "$PIMG"
if mke2fs -q -F -t ext4 -E offset=1048576 "$PIMG" 32M 2>/dev/null; then
	check "put -o" "$FSU" -o 1M "$PIMG" put "$T/hello.txt" "$T/link" /
	check "cat -o" "$FSU" -o 2048s "$PIMG" cat /link
	[ "$(cat "$TMP/out")" = "hello, image" ] ||
	    fail "cat -o: $(cat "$TMP/out")"
	cmp -s -n 1048576 "$PIMG" /dev/zero ||
	    fail "-o: the bytes before the partition changed"
	dd if="$PIMG" of="$TMP/part2" bs=1M skip=1 2>/dev/null
	if e2fsck -fn "$TMP/part2" >"$TMP/fsck" 2>&1; then ok; else
		fail "e2fsck after put -o: $(sed -n 2,6p "$TMP/fsck")"
	fi
	err "no -o" "fsu: $PIMG: not an ext2/3/4 file system image" \
	    "$FSU" "$PIMG" ls
fi

# A corrupt image fails to mount, with a message and exit status 1.
cp "$IMG" "$TMP/bad"
dd if=/dev/zero of="$TMP/bad" bs=1024 seek=2 count=1 conv=notrunc \
    2>/dev/null
"$FSU" "$TMP/bad" ls / >/dev/null 2>"$TMP/err"
rc=$?
[ $rc -eq 1 ] && grep -q "^fsu: cannot mount '$TMP/bad': " "$TMP/err" ||
    fail "corrupt image: exit $rc, $(cat "$TMP/err")"

# A damaged superblock, inode and directory block, at offsets found
# with dumpe2fs and debugfs, in an ext2 image (no checksums: the driver
# checks the values) and an ext4 one (metadata checksums): fsu fails
# with exit status 1, naming the path, and the rest stays readable.
mkdir -p "$TMP/ct/dir/sub"
printf 'still here\n' >"$TMP/ct/hello"
: >"$TMP/ct/dir/sub/f"
ff() {	# ff FILE OFFSET COUNT: COUNT bytes of 0xff at OFFSET
	head -c "$3" /dev/zero | tr '\0' '\377' |
	    dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
sbval() { dumpe2fs -h "$1" 2>/dev/null | sed -n "s/^$2: *//p"; }
for t in ext2 ext4; do
	B=$TMP/dmg-$t
	truncate -s 8M "$B"
	mke2fs -q -F -t $t "$B" || { fail "mke2fs -t $t"; continue; }
	check "put ($t)" "$FSU" "$B" put "$TMP/ct" /
	bs=$(sbval "$B" 'Block size')
	ipg=$(sbval "$B" 'Inodes per group')
	isz=$(sbval "$B" 'Inode size')
	ino=$(debugfs -R 'stat /ct/dir' "$B" 2>/dev/null |
	    sed -n 's/^Inode: *\([0-9]*\).*/\1/p')
	itab=$(dumpe2fs "$B" 2>/dev/null | grep 'Inode table at' |
	    sed -n "$(((ino - 1) / ipg + 1))s/.*at \([0-9]*\)-.*/\1/p")
	dblk=$(debugfs -R 'bmap /ct/dir/sub 0' "$B" 2>/dev/null)
	if [ -z "$itab" ] || [ -z "$dblk" ]; then
		fail "$t: no offsets from dumpe2fs and debugfs"
		continue
	fi
	# The superblock: inodes per group all ones.
	cp "$B" "$B.sb"
	ff "$B.sb" $((1024 + 40)) 4
	errgrep "$t: garbage in the superblock" \
	    "^fsu: cannot mount '$B.sb': " "$FSU" "$B.sb" ls /
	# The inode of /ct/dir.
	cp "$B" "$B.ino"
	ff "$B.ino" $((itab * bs + (ino - 1) % ipg * isz)) 128
	errgrep "$t: a damaged inode, ls" \
	    "^fsu: cannot access '/ct/dir': " "$FSU" "$B.ino" ls -l /ct
	errgrep "$t: a damaged inode, find" "^fsu: '/ct/dir': " \
	    "$FSU" "$B.ino" find /
	check "$t: a damaged inode, the rest" "$FSU" "$B.ino" cat /ct/hello
	[ "$(cat "$TMP/out")" = "still here" ] || fail "$t: cat after damage"
	errgrep "$t: a damaged inode, chmod -R" \
	    "^fsu: cannot access '/ct/dir': " "$FSU" "$B.ino" chmod -R a+r /ct
	errgrep "$t: a damaged inode, rm -r" \
	    "^fsu: cannot remove '/ct/dir': " "$FSU" "$B.ino" rm -r /ct
	# The block of directory /ct/dir/sub.
	cp "$B" "$B.dir"
	ff "$B.dir" $((dblk * bs)) "$bs"
	errgrep "$t: a damaged directory, ls" \
	    "^fsu: cannot open directory '/ct/dir/sub': " \
	    "$FSU" "$B.dir" ls /ct/dir/sub
	mkdir -p "$TMP/dmgback"
	errgrep "$t: a damaged directory, get" \
	    "^fsu: cannot open directory '/ct/dir/sub': " \
	    "$FSU" "$B.dir" get /ct "$TMP/dmgback"
	errgrep "$t: a damaged directory, put" \
	    "^fsu: cannot create regular file '/ct/dir/sub/hello': " \
	    "$FSU" "$B.dir" put "$TMP/ct/hello" /ct/dir/sub
	errgrep "$t: a damaged directory, chown -R" \
	    "^fsu: cannot read directory '/ct/dir/sub': " \
	    "$FSU" "$B.dir" chown -R 1 /ct
done

# Errors.
err "ls missing" "fsu: cannot access '/nope': No such file or directory" \
    "$FSU" "$IMG" ls /nope
err "cat missing" "fsu: /nope: No such file or directory" \
    "$FSU" "$IMG" cat /nope
err "cat dir" "fsu: /tree: Is a directory" "$FSU" "$IMG" cat /tree
err "stat missing" "fsu: cannot stat 'x': No such file or directory" \
    "$FSU" "$IMG" stat x
err "get missing" "fsu: cannot stat '/nope': No such file or directory" \
    "$FSU" "$IMG" get /nope "$TMP"
err "put missing" "fsu: cannot stat '$TMP/nope': No such file or directory" \
    "$FSU" "$IMG" put "$TMP/nope" /
err "mkdir existing" "fsu: cannot create directory '/new': File exists" \
    "$FSU" "$IMG" mkdir /new
err "rm dir" "fsu: cannot remove '/new': Is a directory" \
    "$FSU" "$IMG" rm /new
err "rm missing" "fsu: cannot remove '/nope': No such file or directory" \
    "$FSU" "$IMG" rm /nope
err "mv missing" "fsu: cannot stat '/nope': No such file or directory" \
    "$FSU" "$IMG" mv /nope /x
err "missing image" "fsu: cannot open '$TMP/noimg': No such file or directory" \
    "$FSU" "$TMP/noimg" ls
head -c 1048576 /dev/zero >"$TMP/zero"
err "not ext2" "fsu: $TMP/zero: not an ext2/3/4 file system image" \
    "$FSU" "$TMP/zero" ls
"$FSU" "$IMG" frobnicate >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown command: exit status not 2"
"$FSU" >/dev/null 2>&1
[ $? -eq 2 ] || fail "no arguments: exit status not 2"
fsck "the error cases"

if [ $nfail -ne 0 ]; then
	echo "fsu_test: $nfail failed, $nok passed"
	exit 1
fi
echo "fsu_test: $nok passed"
exit 0
