#!/bin/sh
# hijack_test.sh: unmodified Debian programs on an ext4 image through
# librumphijack.so (lib/librumphijack), in both of its modes.
#
#   sh tests/hijack/hijack_test.sh   (from anywhere; BUILD=build-x picks
#                                     the build directory, default build)
#
# Remote mode: rump_server serves a fresh mke2fs ext4 image (256 MiB,
# 1 KiB blocks) mounted at /mnt in its kernel, and the programs run with
# RUMP_SERVER and LD_PRELOAD, so the image is /rump/mnt.  In-process
# mode: the programs run with RUMPHIJACK=path=/rump,image=IMG (a fresh
# 2 GiB sparse ext4 image, 4 KiB blocks), each booting its own kernel,
# so the image is /rump.  In each, the programs work in /rump[/mnt]/t:
# mkdir -p, cp -a of a small tree (modes, owners, old times, symbolic
# and hard links), ls -l, cat, stat, touch, ln -s, mv, rm -r, find, du,
# tar (out of the image and into it, also through a pipe), sha256sum,
# dd, sort, grep -r, python3 (reading, writing, os.listdir, os.walk,
# os.getcwd, a script in the image), git init/add/commit/log/fsck, make
# (recipes through sh, sed and cat; cc when there is a compiler), cd and
# getcwd, relative paths; the same commands run on a host copy of the
# tree (the mirror) and their outputs and exit statuses must agree.  The
# errors: a missing file (coreutils' messages), a RUMPHIJACK that does
# not parse, a missing image, an unreachable RUMP_SERVER (one line
# "rumphijack: ..." on stderr, exit status 1, the program not run); the
# RUMPHIJACK keys ro, type=, path= and blanket=.  In-process mode also
# copies a 1 GiB file into the image (HIJACK_TEST_BIG=0 leaves it out).
#
# Afterwards (server halted, programs exited) e2fsck -fn must find both
# images clean and, as root, a host loop mount of each must hold what the
# programs wrote: the mirror's contents (diff -r), and exactly the same
# find/ls -lR/du output as the hijacked programs saw last (names, types,
# modes, owners, sizes, blocks, inode numbers, times, link targets); the
# git repository is read by the host's git.  Prints one line per failed
# check and the time of each part; exits 1 if any failed.

set -u
LC_ALL=C
TZ=UTC0
export LC_ALL TZ
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
case $BUILD in
/*) B=$BUILD ;;
*) B=$SRCDIR/$BUILD ;;
esac
LIB=$B/lib/librumphijack.so
# HIJACK_PRELOAD: libraries to preload before the hijack (the sanitizers'
# runtimes for an ASan build: see docs/hijack.md).
PRELOAD="${HIJACK_PRELOAD:+$HIJACK_PRELOAD }$LIB"
SERVER=$B/bin/rump_server
RMOUNT=$B/bin/rump.mount
RHALT=$B/bin/rump.halt
BIG=${HIJACK_TEST_BIG:-1}
# A hijacked command that runs longer than this is killed (and fails).
TMO=${HIJACK_TEST_TIMEOUT:-60}

for f in "$LIB" "$SERVER" "$RMOUNT" "$RHALT"; do
	if [ ! -x "$f" ] && [ ! -f "$f" ]; then
		echo "FAIL: no $f (build it first)"
		exit 1
	fi
done
for t in mke2fs e2fsck tar sha256sum timeout; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "hijack_test: skipped (no $t)"
		exit 0
	fi
done
if [ -e /rump ]; then
	echo "hijack_test: skipped (/rump exists on the host)"
	exit 0
fi
PY=
for p in /usr/bin/python3 "$(command -v python3 2>/dev/null)"; do
	[ -n "$p" ] && [ -x "$p" ] && { PY=$p; break; }
done
GIT=$(command -v git 2>/dev/null)
MAKE=$(command -v make 2>/dev/null)
CC=$(command -v cc 2>/dev/null)

TMP=$(mktemp -d)
SPID=
LMNT=
# A kernel descriptor must never reach the host's files: /dev/null (what
# a host descriptor behind a kernel descriptor could be) is watched, and
# put back if it changed.
DEVNULL=$(stat -c '%a %u %g' /dev/null)
cleanup() {
	if [ "$(stat -c '%a %u %g' /dev/null)" != "$DEVNULL" ]; then
		set -- $DEVNULL
		chmod "$1" /dev/null 2>/dev/null
		chown "$2:$3" /dev/null 2>/dev/null
	fi
	if [ -n "$SPID" ] && kill -0 "$SPID" 2>/dev/null; then
		kill "$SPID" 2>/dev/null
		sleep 1
		kill -9 "$SPID" 2>/dev/null
	fi
	if [ -n "$LMNT" ] && mountpoint -q "$LMNT" 2>/dev/null; then
		umount "$LMNT" 2>/dev/null || umount -l "$LMNT" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
nfail=0
nok=0
MODE=none

fail() {
	echo "FAIL [$MODE]: $*"
	nfail=$((nfail + 1))
}
ok() {
	nok=$((nok + 1))
}
now() {
	date +%s.%N
}
secs() {
	awk "BEGIN { printf \"%.1f\", $2 - $1 }"
}

# hj COMMAND...: COMMAND under the hijack of the current mode, killed
# after $TMO seconds.  (timeout and env are not hijacked: env puts
# LD_PRELOAD into the environment of COMMAND only.)
hj() {
	if [ "$MODE" = remote ]; then
		timeout -k 5 "$TMO" env RUMP_SERVER="unix://$SOCK" \
		    LD_PRELOAD="$PRELOAD" "$@"
	else
		timeout -k 5 "$TMO" env RUMPHIJACK="path=/rump,image=$IMG" \
		    LD_PRELOAD="$PRELOAD" "$@"
	fi
}
# run DESCRIPTION COMMAND...: COMMAND must exit 0; stdout in $TMP/out,
# stderr in $TMP/err.
run() {
	d=$1
	shift
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -eq 0 ]; then
		ok
		return 0
	fi
	fail "$d: exit status $rc: $(head -n 3 "$TMP/err" | tr '\n' ' ')"
	return 1
}
# mirror COMMAND...: the same step on the host's copy.
mirror() {
	"$@" >/dev/null 2>"$TMP/merr" ||
	    fail "host mirror: $*: $(head -n 2 "$TMP/merr")"
}
# same DESCRIPTION EXPECTED ACTUAL: the files must be equal.
same() {
	if cmp -s "$2" "$3"; then ok; else
		fail "$1: differs (-expected +actual): $(diff "$2" "$3" |
		    grep '^[<>]' | head -n 6 | sed 's/^</-/; s/^>/+/' |
		    tr '\n' ' ')"
	fi
}
# is DESCRIPTION STRING: $TMP/out must hold STRING (and a newline).
is() {
	if [ "$(cat "$TMP/out")" = "$2" ]; then ok; else
		fail "$1: got '$(head -c 300 "$TMP/out")', not '$2'"
	fi
}
# fsck IMAGE WHEN
fsck() {
	if e2fsck -fn "$1" >"$TMP/fsck" 2>&1; then ok; else
		fail "e2fsck -fn after $2: $(sed -n 2,8p "$TMP/fsck" |
		    tr '\n' ' ')"
	fi
}
# errsame DESCRIPTION STATUS COMMAND...: COMMAND (on the image, under
# the hijack) must fail with STATUS and print on stderr what the same
# command on the mirror printed ($TMP/herr, made by the caller), the
# mirror's path replaced by the image's.
errsame() {
	d=$1
	want=$2
	shift 2
	"$@" >/dev/null 2>"$TMP/err"
	rc=$?
	exp=$(sed "s#$M#$W#g" "$TMP/herr")
	if [ $rc -ne "$want" ]; then
		fail "$d: exit status $rc, not $want ($(head -n 2 "$TMP/err"))"
	elif [ "$(cat "$TMP/err")" != "$exp" ]; then
		fail "$d: said '$(cat "$TMP/err")', not '$exp'"
	else
		ok
	fi
}
# refused DESCRIPTION VAR=VALUE...: the hijacked program must not run:
# exit status 1, exactly one line starting with "rumphijack:" on stderr.
refused() {
	d=$1
	shift
	rm -f "$TMP/ran"
	timeout -k 5 "$TMO" env "$@" LD_PRELOAD="$PRELOAD" \
	    sh -c "echo ran >'$TMP/ran'" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$d: exit status $rc, not 1 ($(head -n 2 "$TMP/err"))"
	elif [ -e "$TMP/ran" ]; then
		fail "$d: the program ran"
	elif [ "$(wc -l <"$TMP/err")" -ne 1 ] ||
	    ! grep -q '^rumphijack: ' "$TMP/err"; then
		fail "$d: stderr is not one 'rumphijack:' line: $(head -n 3 "$TMP/err" | tr '\n' '|')"
	else
		ok
	fi
}
# devnull STEP: the host's /dev/null must be as it was (and is put back).
devnull() {
	if [ "$(stat -c '%a %u %g' /dev/null)" != "$DEVNULL" ]; then
		fail "$1 changed the host's /dev/null (mode uid gid): $DEVNULL -> $(stat -c '%a %u %g' /dev/null)"
		set -- $DEVNULL
		chmod "$1" /dev/null
		chown "$2:$3" /dev/null
	fi
}
# listing DIR: names, types, modes, sizes (not of directories), mtimes,
# link targets, and owners when root: what two file systems agree on.
listing() {
	(cd "$1" && find . -printf '%P|%y|%m|%s|%T@|%l|%U:%G\n') |
	    awk -F'|' -v root="$ROOT" 'BEGIN { OFS = "|" }
	    $2 == "d" { $4 = "-" } !root { $7 = "-" } 1' | sort
}

# The tree.
ROOT=0
[ "$(id -u)" = 0 ] && ROOT=1
SRC=$TMP/src
mkdir -p "$SRC/dir/sub/deeper" "$SRC/bin" "$SRC/sticky"
printf 'hello, world\n' >"$SRC/hello.txt"
printf 'spaced out\n' >"$SRC/name with space.txt"
head -c 300000 /dev/urandom >"$SRC/bin/rand.bin"
: >"$SRC/bin/empty"
ln -s rand.bin "$SRC/bin/l"
i=0
while [ $i -lt 20 ]; do
	printf '/* file %d */\nint f%d(void) { return %d; }\n' $i $i $i \
	    >"$SRC/dir/sub/f$i.c"
	i=$((i + 1))
done
awk 'BEGIN { srand(7); for (i = 0; i < 400; i++) {
	w = ""; n = 3 + int(rand() * 6)
	for (j = 0; j < n; j++) w = w sprintf("%c", 97 + int(rand() * 26))
	print w (i % 37 == 0 ? " needle" : "") } }' >"$SRC/words.txt"
printf '#!/bin/sh\necho run\n' >"$SRC/dir/run.sh"
chmod 755 "$SRC/dir/run.sh"
chmod 600 "$SRC/hello.txt"
chmod 1777 "$SRC/sticky"
chmod 2750 "$SRC/dir/sub/deeper"
chmod 444 "$SRC/bin/empty"
ln -s hello.txt "$SRC/link"
ln -s ../nowhere "$SRC/dir/dangling"
ln "$SRC/dir/sub/f3.c" "$SRC/dir/hard3"
touch -d '2001-02-03 04:05:06.123456789' "$SRC/bin/rand.bin"
touch -h -d '1999-12-31 23:59:59' "$SRC/link"
touch -d '2010-10-10 10:10:10' "$SRC/dir/sub"
[ $ROOT = 1 ] && chown -h 1234:5678 "$SRC/dir/run.sh" "$SRC/dir/dangling"
tar --format=posix -cf "$TMP/src.tar" -C "$SRC" .
mkdir -p "$TMP/home"
HOME=$TMP/home
GIT_CONFIG_NOSYSTEM=1
GIT_AUTHOR_DATE='2020-02-02T02:02:02Z'
GIT_COMMITTER_DATE='2020-02-02T02:02:02Z'
export HOME GIT_CONFIG_NOSYSTEM GIT_AUTHOR_DATE GIT_COMMITTER_DATE
cat >"$HOME/.gitconfig" <<'EOF'
[user]
	name = Hijack Test
	email = hijack@example.org
[init]
	defaultBranch = main
[safe]
	directory = *
EOF

cat >"$TMP/walk.py" <<'EOF'
import hashlib, os, sys
root = sys.argv[1]
with open(os.path.join(root, "tree/words.txt")) as f:
    words = f.read()
print(len(words), hashlib.sha256(words.encode()).hexdigest())
with open(os.path.join(root, "tree/bin/rand.bin"), "rb") as f:
    f.seek(1000)
    print(hashlib.sha256(f.read(70000)).hexdigest())
os.makedirs(os.path.join(root, "py/sub/subsub"), exist_ok=True)
with open(os.path.join(root, "py/upper.txt"), "w") as f:
    f.write(words.upper())
with open(os.path.join(root, "py/bytes.bin"), "wb") as f:
    for i in range(64):
        f.write(bytes([i]) * 4093)
with open(os.path.join(root, "py/upper.txt"), "a") as f:
    f.write("appended\n")
os.rename(os.path.join(root, "py/bytes.bin"), os.path.join(root, "py/sub/b"))
os.symlink("../upper.txt", os.path.join(root, "py/sub/up"))
os.chmod(os.path.join(root, "py/sub/b"), 0o640)
print(sorted(os.listdir(os.path.join(root, "tree"))))
for d, ds, fs in os.walk(root):
    ds.sort()
    if "/repo" in d or "/.git" in d:
        continue
    print(os.path.relpath(d, root), sorted(ds), sorted(fs))
st = os.lstat(os.path.join(root, "py/sub/b"))
print(st.st_size, oct(st.st_mode), os.readlink(os.path.join(root, "py/sub/up")))
os.chdir(os.path.join(root, "py"))
print(os.getcwd() == os.path.join(root, "py"), os.path.exists("sub/b"))
with open("sub/up") as f:
    print(f.readline().strip())
EOF
printf 'import os, sys\nprint("script", os.path.basename(__file__), sys.path[0] == os.path.dirname(os.path.abspath(__file__)))\n' \
    >"$TMP/script.py"
printf '#include <stdio.h>\nint main(void) { puts("hello, image"); return 0; }\n' \
    >"$TMP/hello.c"
printf 'hello, world\nbye, world\n' >"$TMP/in.txt"
TAB=$(printf '\t')
cat >"$TMP/Makefile" <<EOF
all: out.txt count.txt
out.txt: in.txt
${TAB}sed 's/world/image/' in.txt >out.txt
count.txt: out.txt in.txt
${TAB}cat in.txt out.txt | wc -l >count.txt
${TAB}ls -1 >>count.txt
hello: hello.c
${TAB}cc -o hello hello.c
EOF

# suite: the programs on $W (under the hijack) and on $M (host mirror).
suite() {
	# mkdir -p, cp -a, and what the tree looks like
	run "mkdir -p" hj mkdir -p "$W/a/b/c" && mirror mkdir -p "$M/a/b/c"
	run "stat -c %F" hj stat -c %F "$W/a/b/c" && is "stat -c %F" directory
	run "cp -a into the image" hj cp -a "$SRC" "$W/tree"
	mirror cp -a "$SRC" "$M/tree"
	devnull "cp -a"
	listing "$SRC" >"$TMP/l1"
	run "find -printf after cp -a" hj find "$W/tree" -printf \
	    '%P|%y|%m|%s|%T@|%l|%U:%G\n'
	awk -F'|' -v root="$ROOT" 'BEGIN { OFS = "|" }
	    $2 == "d" { $4 = "-" } !root { $7 = "-" } 1' "$TMP/out" |
	    sort >"$TMP/l2"
	same "cp -a: names, types, modes, sizes, times, links, owners" \
	    "$TMP/l1" "$TMP/l2"
	# (Not the sizes of directories, nor the totals: the block size's.)
	ls -l --time-style=full-iso "$SRC/bin" "$SRC/dir/sub" |
	    grep -v -e '^total' -e '^d' | sed "s#$SRC#T#" >"$TMP/e"
	run "ls -l" hj ls -l --time-style=full-iso "$W/tree/bin" "$W/tree/dir/sub"
	grep -v -e '^total' -e '^d' "$TMP/out" | sed "s#$W/tree#T#" >"$TMP/a"
	same "ls -l" "$TMP/e" "$TMP/a"
	(cd "$SRC" && ls -a dir sticky) >"$TMP/e"
	run "ls -a, relative, in cwd" hj sh -c "cd '$W/tree' && ls -a dir sticky"
	same "ls -a, relative" "$TMP/e" "$TMP/out"
	run "cat" hj cat "$W/tree/hello.txt" "$W/tree/link"
	is "cat" "$(printf 'hello, world\nhello, world')"
	run "cat a binary" hj cat "$W/tree/bin/rand.bin"
	same "cat a binary" "$SRC/bin/rand.bin" "$TMP/out"
	stat -c '%n|%F|%a|%s|%h|%u|%y|%N' "$SRC/bin/rand.bin" "$SRC/link" \
	    "$SRC/dir/hard3" "$SRC/dir/run.sh" "$SRC/sticky" |
	    sed "s#$SRC#T#g" | awk -F'|' 'BEGIN { OFS = "|" }
	    $2 == "directory" { $4 = "-" } 1' >"$TMP/e"
	run "stat" hj stat -c '%n|%F|%a|%s|%h|%u|%y|%N' "$W/tree/bin/rand.bin" \
	    "$W/tree/link" "$W/tree/dir/hard3" "$W/tree/dir/run.sh" \
	    "$W/tree/sticky"
	sed "s#$W/tree#T#g" "$TMP/out" | awk -F'|' 'BEGIN { OFS = "|" }
	    $2 == "directory" { $4 = "-" } 1' >"$TMP/a"
	same "stat" "$TMP/e" "$TMP/a"
	(cd "$SRC" && find . -type f -print0 | sort -z |
	    xargs -0 sha256sum) >"$TMP/e"
	run "sha256sum of every file (sh, find, xargs)" hj sh -c \
	    "cd '$W/tree' && find . -type f -print0 | sort -z | xargs -0 sha256sum"
	same "sha256sum of every file" "$TMP/e" "$TMP/out"
	run "sha256sum" hj sha256sum "$W/tree/bin/rand.bin"
	is "sha256sum" "$(sha256sum <"$SRC/bin/rand.bin" |
	    sed "s#-\$#$W/tree/bin/rand.bin#")"

	# touch, ln -s, mv, rm -r
	run "touch -d" hj touch -d '2002-03-04 05:06:07.5' "$W/tree/hello.txt"
	mirror touch -d '2002-03-04 05:06:07.5' "$M/tree/hello.txt"
	run "touch a new file" hj touch "$W/new"
	mirror touch "$M/new"
	run "stat after touch" hj stat -c '%y %s' "$W/tree/hello.txt"
	is "stat after touch" "2002-03-04 05:06:07.500000000 +0000 13"
	run "stat a new file" hj stat -c '%F %s' "$W/new"
	is "stat a new file" "regular empty file 0"
	run "ln -s" hj ln -s tree/hello.txt "$W/sl" && mirror ln -s tree/hello.txt "$M/sl"
	run "ln -s dangling" hj ln -s /nowhere/at/all "$W/dl"
	mirror ln -s /nowhere/at/all "$M/dl"
	run "readlink" hj readlink "$W/sl" "$W/dl"
	is "readlink" "$(printf 'tree/hello.txt\n/nowhere/at/all')"
	run "cat through a new link" hj cat "$W/sl"
	is "cat through a new link" "hello, world"
	run "mv a file" hj mv "$W/tree/hello.txt" "$W/tree/hello2.txt"
	mirror mv "$M/tree/hello.txt" "$M/tree/hello2.txt"
	run "mv a directory" hj mv "$W/tree/dir/sub" "$W/moved"
	mirror mv "$M/tree/dir/sub" "$M/moved"
	run "mv into a directory" hj mv "$W/new" "$W/sl" "$W/a/b"
	mirror mv "$M/new" "$M/sl" "$M/a/b"
	run "rm -r" hj rm -r "$W/a/b/c" "$W/tree/sticky"
	mirror rm -r "$M/a/b/c" "$M/tree/sticky"
	(cd "$M" && find . | sort) >"$TMP/e"
	run "find after mv and rm" hj sh -c "cd '$W' && find ."
	sort "$TMP/out" >"$TMP/a"
	same "find after mv and rm" "$TMP/e" "$TMP/a"
	(cd "$M" && find . -name '*.c' -newer tree/bin/rand.bin -type f |
	    sort) >"$TMP/e"
	run "find -name -newer -type" hj find "$W" -name '*.c' -newer \
	    "$W/tree/bin/rand.bin" -type f
	sed "s#^$W#.#" "$TMP/out" | sort >"$TMP/a"
	same "find -name -newer -type" "$TMP/e" "$TMP/a"
	[ "$(wc -l <"$TMP/a")" -eq 20 ] || fail "find -name: not 20 files"

	# du
	run "du --apparent-size" hj du -b --apparent-size "$W/tree/bin/rand.bin"
	is "du --apparent-size" "300000	$W/tree/bin/rand.bin"
	run "du -s" hj du -sk "$W/tree"
	[ "$(cut -f1 "$TMP/out")" -ge 300 ] 2>/dev/null ||
	    fail "du -s: $(cat "$TMP/out")"

	# extended attributes (attr's setfattr and getfattr)
	if command -v setfattr >/dev/null 2>&1; then
		run "setfattr" hj setfattr -n user.note -v hello \
		    "$W/tree/bin/rand.bin" &&
		    mirror setfattr -n user.note -v hello "$M/tree/bin/rand.bin"
		run "setfattr of a directory" hj setfattr -n user.dir -v 0x0102 \
		    "$W/tree/bin" &&
		    mirror setfattr -n user.dir -v 0x0102 "$M/tree/bin"
		run "getfattr -d" hj getfattr --absolute-names -d -e hex \
		    "$W/tree/bin/rand.bin" "$W/tree/bin"
		is "getfattr -d" "$(printf '# file: %s\nuser.note=0x68656c6c6f\n\n# file: %s\nuser.dir=0x0102' \
		    "$W/tree/bin/rand.bin" "$W/tree/bin")"
		hj getfattr --absolute-names -n user.none "$W/tree/bin" \
		    >"$TMP/out" 2>&1
		grep -q 'No such attribute' "$TMP/out" && ok ||
		    fail "getfattr of a missing name: $(cat "$TMP/out")"
	fi

	# tar out of the image and into it
	run "tar -c out of the image" hj tar --format=posix -cf "$TMP/out.tar" \
	    -C "$W" tree moved
	rm -rf "$TMP/x" && mkdir "$TMP/x" &&
	    tar -xf "$TMP/out.tar" -C "$TMP/x" ||
	    fail "tar -x of the image's tar on the host"
	diff -r --no-dereference "$M/tree" "$TMP/x/tree" >/dev/null &&
	    diff -r --no-dereference "$M/moved" "$TMP/x/moved" >/dev/null ||
	    fail "tar -c: the tree differs"
	run "find -printf before tar -c" hj find "$W/tree" -printf \
	    '%P|%y|%m|%s|%T@|%l|%U:%G\n'
	awk -F'|' -v root="$ROOT" 'BEGIN { OFS = "|" }
	    $2 == "d" { $4 = "-" } !root { $7 = "-" } 1' "$TMP/out" |
	    sort >"$TMP/e"
	listing "$TMP/x/tree" >"$TMP/a"
	same "tar -c: modes, times, owners" "$TMP/e" "$TMP/a"
	run "mkdir untar" hj mkdir "$W/untar" "$W/untar2"
	mirror mkdir "$M/untar" "$M/untar2"
	run "tar -x into the image" hj tar -xf "$TMP/src.tar" -C "$W/untar"
	mirror tar -xf "$TMP/src.tar" -C "$M/untar"
	devnull "tar -x"
	tar --format=posix -cf - -C "$SRC" . | hj tar -xf - -C "$W/untar2" 2>"$TMP/err" ||
	    fail "tar -x from a pipe: $(head -n 2 "$TMP/err")"
	mirror tar -xf "$TMP/src.tar" -C "$M/untar2"
	# (Compared with the mirror's: tar -x of a user who is not root
	# drops set-id and sticky bits.)
	for u in untar untar2; do
		listing "$M/$u" >"$TMP/e"
		run "find -printf after tar -x ($u)" hj find "$W/$u" -printf \
		    '%P|%y|%m|%s|%T@|%l|%U:%G\n'
		awk -F'|' -v root="$ROOT" 'BEGIN { OFS = "|" }
		    $2 == "d" { $4 = "-" } !root { $7 = "-" } 1' "$TMP/out" |
		    sort >"$TMP/a"
		same "tar -x ($u)" "$TMP/e" "$TMP/a"
	done

	# dd, sort, grep -r
	run "dd into the image" hj dd if="$SRC/bin/rand.bin" of="$W/dd.bin" \
	    bs=4096 status=none
	mirror dd if="$SRC/bin/rand.bin" of="$M/dd.bin" bs=4096 status=none
	run "dd in place" hj dd if=/dev/zero of="$W/dd.bin" bs=512 seek=3 \
	    count=5 conv=notrunc status=none
	mirror dd if=/dev/zero of="$M/dd.bin" bs=512 seek=3 count=5 \
	    conv=notrunc status=none
	run "dd out of the image" hj dd if="$W/dd.bin" bs=1000 skip=1 count=9 \
	    status=none
	dd if="$M/dd.bin" bs=1000 skip=1 count=9 status=none >"$TMP/e"
	same "dd" "$TMP/e" "$TMP/out"
	run "cmp image and host" hj cmp "$W/dd.bin" "$M/dd.bin"
	run "sort -o into the image" hj sort -o "$W/sorted.txt" "$W/tree/words.txt"
	mirror sort -o "$M/sorted.txt" "$M/tree/words.txt"
	run "sort -r" hj sort -r -k1,1 "$W/tree/words.txt" "$W/sorted.txt"
	sort -r -k1,1 "$M/tree/words.txt" "$M/sorted.txt" >"$TMP/e"
	same "sort -r" "$TMP/e" "$TMP/out"
	run "cat sorted" hj cat "$W/sorted.txt"
	sort "$SRC/words.txt" >"$TMP/e"
	same "sort -o" "$TMP/e" "$TMP/out"
	(cd "$M" && grep -rn needle . | sort) >"$TMP/e"
	run "grep -r" hj grep -rn needle "$W"
	sed "s#^$W#.#" "$TMP/out" | sort >"$TMP/a"
	same "grep -r" "$TMP/e" "$TMP/a"
	[ "$(wc -l <"$TMP/a")" -gt 20 ] || fail "grep -r: too few lines"
	hj grep -r nosuchwordanywhere "$W/tree" >/dev/null 2>&1
	rc=$?
	[ $rc -eq 1 ] || fail "grep -r without a match: exit status $rc, not 1"

	# cd, getcwd, relative paths
	run "cd and getcwd" hj sh -c "cd '$W/moved' && /bin/pwd && ls f1.c && cat ../tree/hello2.txt"
	is "cd and getcwd" "$(printf '%s\nf1.c\nhello, world' "$W/moved")"

	# Forked children: a subshell (fork, no exec), redirections (the
	# kernel's descriptors as an exec'd program's standard streams).
	run "a forked subshell writes, the parent reads" hj sh -c \
	    "(echo child >'$W/fork.txt'); cat '$W/fork.txt'"
	is "a forked subshell writes, the parent reads" "child"
	mirror sh -c "echo child >'$M/fork.txt'"
	run "redirections to and from the image" hj sh -c \
	    "tr a-z A-Z <'$W/tree/hello2.txt' >'$W/redir.txt' && cat <'$W/redir.txt'"
	is "redirections to and from the image" "HELLO, WORLD"
	mirror sh -c "tr a-z A-Z <'$M/tree/hello2.txt' >'$M/redir.txt'"
	if [ -n "$PY" ]; then
		run "python3 os.fork" hj "$PY" -c "
import os
p = os.fork()
if p == 0:
    with open('$W/pyfork.txt', 'w') as f:
        f.write('from the child\\n')
    os._exit(0)
os.waitpid(p, 0)
print(open('$W/pyfork.txt').read(), end='')"
		is "python3 os.fork" "from the child"
		mirror sh -c "echo 'from the child' >'$M/pyfork.txt'"
	fi

	# python3
	if [ -n "$PY" ]; then
		"$PY" "$TMP/walk.py" "$M" >"$TMP/e" 2>&1 ||
		    fail "host python3: $(tail -n 2 "$TMP/e")"
		run "python3" hj "$PY" "$TMP/walk.py" "$W"
		same "python3" "$TMP/e" "$TMP/out"
		run "cp a script" hj cp "$TMP/script.py" "$W/py/script.py"
		mirror cp "$TMP/script.py" "$M/py/script.py"
		run "python3 script in the image" hj "$PY" "$W/py/script.py"
		is "python3 script in the image" "script script.py True"
	else
		echo "note: no python3: its steps left out"
	fi

	# git
	if [ -n "$GIT" ]; then
		g=$GIT
		for r in "$W" "$M"; do
			if [ "$r" = "$W" ]; then h=hj; else h=; fi
			run "git init ($r)" $h $g init -q "$r/repo" &&
			    run "cp -a to the repo ($r)" $h cp -a "$r/tree/." \
			    "$r/moved" "$r/repo/" &&
			    run "git add ($r)" $h $g -C "$r/repo" add -A &&
			    run "git commit ($r)" $h $g -C "$r/repo" commit -q -m first &&
			    run "change a file ($r)" $h sed -i 's/hello/HELLO/' \
			    "$r/repo/hello2.txt" &&
			    run "git rm ($r)" $h $g -C "$r/repo" rm -q moved/f7.c &&
			    run "git commit -a ($r)" $h $g -C "$r/repo" commit -q \
			    -a -m second &&
			    run "git log ($r)" $h $g -C "$r/repo" log --format='%H %s' \
			    --stat
			cp "$TMP/out" "$TMP/gitlog.${h:-host}"
			run "git status ($r)" $h $g -C "$r/repo" status --porcelain
			is "git status --porcelain ($r)" ""
			run "git fsck ($r)" $h $g -C "$r/repo" fsck --strict --no-progress
		done
		same "git log (commits as the host's)" "$TMP/gitlog.host" "$TMP/gitlog.hj"
		git -C "$M/repo" log --format=%H >"$TMP/githead.$MODE"
	else
		echo "note: no git: its steps left out"
	fi

	# make
	if [ -n "$MAKE" ]; then
		run "mkdir mk" hj mkdir "$W/mk" && mirror mkdir "$M/mk"
		run "cp Makefile" hj cp "$TMP/Makefile" "$TMP/in.txt" "$TMP/hello.c" "$W/mk/"
		mirror cp "$TMP/Makefile" "$TMP/in.txt" "$TMP/hello.c" "$M/mk/"
		run "make" hj "$MAKE" -s -C "$W/mk"
		mirror "$MAKE" -s -C "$M/mk"
		run "make's output" hj cat "$W/mk/out.txt" "$W/mk/count.txt"
		cat "$M/mk/out.txt" "$M/mk/count.txt" >"$TMP/e"
		same "make's output" "$TMP/e" "$TMP/out"
		grep -q '^hello, image$' "$TMP/out" || fail "make: no out.txt"
		run "make -q (up to date)" hj "$MAKE" -q -C "$W/mk"
		run "touch in.txt" hj touch -d '+1 min' "$W/mk/in.txt"
		hj "$MAKE" -q -C "$W/mk" >/dev/null 2>&1
		rc=$?
		[ $rc -eq 1 ] || fail "make -q after touch: exit status $rc, not 1"
		run "make again" hj "$MAKE" -C "$W/mk"
		[ "$(grep -c -e '^sed' -e '^cat' "$TMP/out")" = 2 ] ||
		    fail "make again: $(tr '\n' ' ' <"$TMP/out")"
		mirror touch -d '+1 min' "$M/mk/in.txt"
		mirror "$MAKE" -C "$M/mk"
		if [ -n "$CC" ]; then
			run "make hello (cc)" hj "$MAKE" -C "$W/mk" hello
			mirror "$MAKE" -C "$M/mk" hello
			run "cp the program out" hj cp "$W/mk/hello" "$TMP/hello.$MODE"
			"$TMP/hello.$MODE" >"$TMP/out" 2>&1 ||
			    fail "hello compiled in the image does not run"
			is "hello compiled in the image" "hello, image"
		else
			echo "note: no cc: the compile left out"
		fi
	else
		echo "note: no make: its steps left out"
	fi

	# Errors: coreutils' messages and statuses, as on the host.
	cat "$M/nope" >/dev/null 2>"$TMP/herr"
	errsame "cat a missing file" 1 hj cat "$W/nope"
	ls "$M/nope/deeper" >/dev/null 2>"$TMP/herr"
	errsame "ls a missing file" 2 hj ls "$W/nope/deeper"
	mkdir "$M/tree" 2>"$TMP/herr"
	errsame "mkdir an existing directory" 1 hj mkdir "$W/tree"
	rmdir "$M/tree" 2>"$TMP/herr"
	errsame "rmdir a non-empty directory" 1 hj rmdir "$W/tree"
	cat "$M/tree" 2>"$TMP/herr"
	errsame "cat a directory" 1 hj cat "$W/tree"
	(cd "$M" && rm nope) 2>"$TMP/herr"
	errsame "rm a missing file, relative" 1 hj sh -c "cd '$W' && rm nope"

	# Host paths stay the host's.
	run "cp out of the image to the host" hj cp "$W/tree/hello2.txt" \
	    "$SRC/words.txt" "$TMP/x/"
	cmp -s "$TMP/x/hello2.txt" "$M/tree/hello2.txt" ||
	    fail "cp out of the image: wrong bytes"
	[ ! -e /rump ] || fail "/rump appeared on the host"
	devnull "the whole suite"
}

# final: what the hijacked programs see, once the work is done.
final_hj() {
	run "find -printf (final)" hj find "$W" -printf \
	    '%p|%y|%m|%n|%U|%G|%s|%b|%i|%T@|%C@|%l\n'
	sed "s#^$W#T#" "$TMP/out" | sort >"$TMP/fin.find.$MODE"
	run "ls -lR (final)" hj ls -lR --time-style=full-iso "$W"
	sed "s#$W#T#" "$TMP/out" >"$TMP/fin.ls.$MODE"
	# (-l: which name of a file with several links du counts depends
	# on the order of the directory's entries, each driver's own.)
	run "du -a (final)" hj du -al "$W"
	sed "s#$W#T#" "$TMP/out" | sort >"$TMP/fin.du.$MODE"
}
# loopcheck IMAGE DIR: the host kernel's view of DIR in IMAGE (as root).
loopcheck() {
	if [ $ROOT != 1 ]; then
		echo "note: not root: no loop mount of the $MODE image"
		return
	fi
	LMNT=$TMP/lmnt
	mkdir -p "$LMNT"
	if ! mount -o loop,ro "$1" "$LMNT" 2>"$TMP/err"; then
		fail "mount -o loop,ro: $(cat "$TMP/err")"
		return
	fi
	L=$LMNT$2
	find "$L" -printf '%p|%y|%m|%n|%U|%G|%s|%b|%i|%T@|%C@|%l\n' |
	    sed "s#^$L#T#" | sort >"$TMP/a"
	same "loop mount: find -printf as seen through the hijack" \
	    "$TMP/a" "$TMP/fin.find.$MODE"
	ls -lR --time-style=full-iso "$L" | sed "s#$L#T#" >"$TMP/a"
	same "loop mount: ls -lR as seen through the hijack" "$TMP/a" "$TMP/fin.ls.$MODE"
	du -al "$L" | sed "s#$L#T#" | sort >"$TMP/a"
	same "loop mount: du -a as seen through the hijack" "$TMP/a" "$TMP/fin.du.$MODE"
	# The mirror: the same contents and names, types, modes, owners,
	# link targets (times: only the exact comparison above).
	diff -r --no-dereference -x .git -x big "$M" "$L" >"$TMP/diff" 2>&1 ||
	    fail "loop mount: differs from the mirror: $(head -n 5 "$TMP/diff" | tr '\n' ' ')"
	for d in "$M" "$L"; do
		(cd "$d" && find . \( -path ./repo/.git -o -path ./big \) \
		    -prune -o -printf \
		    '%P|%y|%m|%U:%G|%l\n' | sort) >"$TMP/m.$(basename "$d")"
	done
	same "loop mount: names, types, modes, owners, links (mirror)" \
	    "$TMP/m.$(basename "$M")" "$TMP/m.$(basename "$L")"
	if [ -n "$GIT" ]; then
		git -C "$L/repo" log --format=%H \
		    >"$TMP/a" 2>&1
		same "loop mount: host git log" "$TMP/githead.$MODE" "$TMP/a"
		git -C "$L/repo" fsck --strict \
		    --no-progress >"$TMP/a" 2>&1 ||
		    fail "loop mount: host git fsck: $(head -n 3 "$TMP/a")"
		git -C "$L/repo" cat-file -p \
		    HEAD:hello2.txt >"$TMP/a" 2>&1
		[ "$(cat "$TMP/a")" = "HELLO, world" ] ||
		    fail "loop mount: git cat-file: $(cat "$TMP/a")"
	fi
	if command -v getfattr >/dev/null 2>&1; then
		getfattr --absolute-names -d -e hex "$L/tree/bin/rand.bin" \
		    "$L/tree/bin" 2>&1 | sed "s#$L#T#" >"$TMP/a"
		printf '# file: T/tree/bin/rand.bin\nuser.note=0x68656c6c6f\n\n# file: T/tree/bin\nuser.dir=0x0102\n\n' >"$TMP/b"
		same "loop mount: extended attributes set through the hijack" \
		    "$TMP/b" "$TMP/a"
	fi
	if [ -n "${BIGSUM:-}" ] && [ "$MODE" = in-process ]; then
		sha256sum <"$L/big" | cut -d' ' -f1 >"$TMP/a"
		[ "$(cat "$TMP/a")" = "$BIGSUM" ] ||
		    fail "loop mount: the 1 GiB file's sha256 differs"
	fi
	umount "$LMNT" || fail "umount the loop mount"
	LMNT=
}

# The RUMPHIJACK and RUMP_SERVER errors.
t0=$(now)
MODE=errors
printf 'x\n' >"$TMP/notimg"
truncate -s 64M "$TMP/eimg"
mke2fs -q -F -t ext4 "$TMP/eimg" || { echo "FAIL: mke2fs"; exit 1; }
refused "RUMPHIJACK with an unknown key" RUMPHIJACK="path=/rump,bogus=1,image=$TMP/eimg"
refused "RUMPHIJACK with an unknown word" RUMPHIJACK="path=/rump,frobnicate"
refused "RUMPHIJACK with a relative path=" RUMPHIJACK="path=rump,image=$TMP/eimg"
refused "RUMPHIJACK with an unknown socket family" RUMPHIJACK="socket=bogus,image=$TMP/eimg"
refused "RUMPHIJACK with a missing image" RUMPHIJACK="path=/rump,image=$TMP/noimg"
refused "RUMPHIJACK with an image that is not ext2" RUMPHIJACK="path=/rump,image=$TMP/notimg"
refused "unreachable RUMP_SERVER" RUMP_SERVER="unix://$TMP/nosock"
refused "RUMP_SERVER that is not a URL" RUMP_SERVER="bogus"
t1=$(now)
echo "hijack_test: errors: $(secs "$t0" "$t1") s"

# Remote mode.
MODE=remote
IMG=$TMP/remote.img
SOCK=$TMP/sock
W=/rump/mnt/t
M=$TMP/m-remote
mkdir -p "$M"
truncate -s 256M "$IMG"
mke2fs -q -F -t ext4 "$IMG" || { echo "FAIL: mke2fs"; exit 1; }
"$SERVER" -s -lrumpvfs -lrumpfs_ext2 \
    -d "key=/dev/xbd0,hostpath=$IMG,size=host" "unix://$SOCK" \
    >"$TMP/server.log" 2>&1 &
SPID=$!
i=0
while [ ! -S "$SOCK" ] && kill -0 "$SPID" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ ! -S "$SOCK" ]; then
	fail "rump_server did not start: $(cat "$TMP/server.log")"
else
	run "rump.mount" env RUMP_SERVER="unix://$SOCK" "$RMOUNT" -m -t ext4 \
	    /dev/xbd0 /mnt
	run "mkdir in the image" hj mkdir "$W" && suite
	final_hj
	run "rump.halt" env RUMP_SERVER="unix://$SOCK" "$RHALT"
	i=0
	while kill -0 "$SPID" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 "$SPID" 2>/dev/null && fail "rump_server still runs 10 s after rump.halt"
	wait "$SPID" || fail "rump_server exit status $?"
	SPID=
fi
t2=$(now)
fsck "$IMG" "the remote mode"
loopcheck "$IMG" /t
t3=$(now)
echo "hijack_test: remote mode: $(secs "$t1" "$t2") s, checks $(secs "$t2" "$t3") s"

# In-process mode.
MODE=in-process
IMG=$TMP/local.img
W=/rump/t
M=$TMP/m-local
mkdir -p "$M"
truncate -s 2G "$IMG"
mke2fs -q -F -t ext4 "$IMG" || { echo "FAIL: mke2fs"; exit 1; }
run "mkdir in the image" hj mkdir "$W" && suite
# hijack_calls.c: poll, select, sendfile, dup2, mmap, fork, ... on the
# kernel's descriptors and paths mixed with the host's (in /rump/calls,
# beside $W, out of the mirror's comparisons); one ok or FAIL per check.
if [ -n "$CC" ]; then
	mkdir -p "$TMP/calls"
	if cc -O1 -pthread -o "$TMP/hijack_calls" \
	    "$SRCDIR/tests/hijack/hijack_calls.c" \
	    2>"$TMP/err"; then
		hj "$TMP/hijack_calls" /rump/calls "$TMP/calls" >"$TMP/out" \
		    2>"$TMP/err"
		rc=$?
		while read -r w rest; do
			case $w in
			ok) ok ;;
			FAIL) fail "hijack_calls: $rest" ;;
			esac
		done <"$TMP/out"
		grep -q '^ok ' "$TMP/out" ||
		    fail "hijack_calls: no checks ran: $(head -n 2 "$TMP/err")"
		[ $rc -eq 0 ] || grep -q '^FAIL' "$TMP/out" ||
		    fail "hijack_calls: exit status $rc: $(head -n 2 "$TMP/err")"
	else
		fail "cc hijack_calls.c: $(head -n 3 "$TMP/err" | tr '\n' ' ')"
	fi
	devnull "hijack_calls"
	# A library that interposes fork before the hijack (as libasan
	# does): the raw clone comes from inside fork(3), whose atfork
	# handlers gave the child its kernel process already.
	if cc -shared -fPIC -o "$TMP/fork_shim.so" \
	    "$SRCDIR/tests/hijack/fork_shim.c" -ldl 2>"$TMP/err"; then
		run "fork interposed before the hijack" timeout -k 5 "$TMO" \
		    env RUMPHIJACK="path=/rump,image=$IMG" \
		    LD_PRELOAD="$TMP/fork_shim.so $PRELOAD" sh -c \
		    'echo forked >/rump/calls/shim && cat /rump/calls/shim |
		    cat && rm /rump/calls/shim'
		is "fork interposed before the hijack" "forked"
	else
		fail "cc fork_shim.c: $(head -n 3 "$TMP/err" | tr '\n' ' ')"
	fi
else
	echo "note: no cc: hijack_calls left out"
fi
fsck "$IMG" "the in-process mode"
t4=$(now)
echo "hijack_test: in-process mode: $(secs "$t3" "$t4") s"

MODE=keys
# The RUMPHIJACK keys: type=, another path=, blanket=, ro (on the
# small image of the error cases).
EIMG=$TMP/eimg
# key OPTIONS COMMAND...: COMMAND with RUMPHIJACK=OPTIONS,image=EIMG.
key() {
	o=$1
	shift
	timeout -k 5 "$TMO" env RUMPHIJACK="$o,image=$EIMG" LD_PRELOAD="$PRELOAD" "$@"
}
run "type=ext4, path=/img" key path=/img,type=ext4 mkdir /img/k
run "path=/img: cp" key path=/img cp "$SRC/hello.txt" /img/k/hello
run "path=/img: cat" key path=/img cat /img/k/hello
is "path=/img: cat" "hello, world"
run "blanket=" key blanket=/k:/nothing cat /k/hello /rump/k/hello
is "blanket=" "$(printf 'hello, world\nhello, world')"
run "type=ext4: /rump" key type=ext4 ls /rump/k
is "type=ext4: /rump" "hello"
sha256sum <"$EIMG" >"$TMP/sum1"
key path=/rump,ro touch /rump/k/rofile >/dev/null 2>"$TMP/err"
rc=$?
[ $rc -eq 1 ] && [ "$(cat "$TMP/err")" = \
    "touch: cannot touch '/rump/k/rofile': Read-only file system" ] ||
    fail "ro: touch: exit status $rc, $(cat "$TMP/err")"
run "ro: reading" key ro,path=/rump cat /rump/k/hello
is "ro: reading" "hello, world"
sha256sum <"$EIMG" >"$TMP/sum2"
same "ro: the image is unchanged" "$TMP/sum1" "$TMP/sum2"
fsck "$EIMG" "the RUMPHIJACK keys"
t5=$(now)
echo "hijack_test: RUMPHIJACK keys: $(secs "$t4" "$t5") s"

# 1 GiB through cp, in-process.
MODE=in-process
BIGSUM=
if [ "$BIG" = 1 ]; then
	if command -v openssl >/dev/null 2>&1; then
		openssl enc -aes-128-ctr -pass pass:hijack -nosalt -pbkdf2 \
		    </dev/zero 2>/dev/null
	else
		cat /dev/urandom
	fi | head -c 1073741824 | tee "$TMP/big" | sha256sum |
	    cut -d' ' -f1 >"$TMP/bigsum"
	BIGSUM=$(cat "$TMP/bigsum")
	t6=$(now)
	TMO=300
	run "cp 1 GiB into the image" hj cp "$TMP/big" "$W/big"
	t7=$(now)
	rm -f "$TMP/big"
	run "sha256sum of 1 GiB" hj sha256sum "$W/big"
	TMO=${HIJACK_TEST_TIMEOUT:-60}
	is "sha256sum of 1 GiB" "$BIGSUM  $W/big"
	t8=$(now)
	fsck "$IMG" "the 1 GiB cp"
	echo "hijack_test: 1 GiB: made in $(secs "$t5" "$t6") s, cp $(secs "$t6" "$t7") s, sha256sum $(secs "$t7" "$t8") s"
fi
t8=$(now)
final_hj
loopcheck "$IMG" /t
t9=$(now)
echo "hijack_test: in-process checks: $(secs "$t8" "$t9") s"

MODE=all
if [ $nfail -ne 0 ]; then
	echo "hijack_test: $nfail failed, $nok passed"
	exit 1
fi
echo "hijack_test: $nok passed"
exit 0
