# gensyscalls.awk: generate the system call layer from sys/kern/syscalls.tbl.
#
#   awk -v gen=DIR -f tools/gensyscalls.awk sys/kern/syscalls.tbl
#
# writes, under DIR (default build/gen):
#   sys/sys/syscallargs.h          SYS_* numbers, argument structures,
#                                  handler prototypes
#   sys/kern/syscalls_info.c       names and argument counts by number
#   sys/kern/syscalls_COMP.c       the handler package of each component
#   sys/kern/rump_syscalls.c       the kernel's rump_sys_* entry points
#   include/rump/rump_syscalls.h   their public prototypes, RUMP_SYS_*
#   lib/librumpclient/rumpclient_syscalls.c
#                                  the same rump_sys_* for a remote client
#                                  (host code, over librumpclient)
#
# The table is checked completely before anything is written: a malformed
# line stops the generator with "FILE:LINE: what is wrong" on stderr and
# exit status 1.  An output whose content did not change is left alone
# (so a comment in the table rebuilds nothing).
#
# Types.  An argument or result type is one of the integer types below,
# or a pointer to one of them, to void, char or a struct.  Each has the
# same name and size in the kernel (sys/sys/types.h) and for a program
# (the host's <sys/types.h>, Linux ABI); pubtype[] renames the few that a
# program does not get from <sys/types.h> alone.  A new type goes here.
#
# POSIX awk only: must run with mawk and gawk.

function init_types(    t, i, k) {
	k = split("int,unsigned int,long,unsigned long,size_t,ssize_t," \
	    "pid_t,uid_t,gid_t,mode_t,off_t,loff_t,dev_t,clockid_t," \
	    "socklen_t", t, ",")
	for (i = 1; i <= k; i++)
		inttype[t[i]] = 1
	# The host spells these differently (or in another header).
	pubtype["loff_t"] = "off_t"
	pubtype["socklen_t"] = "unsigned int"
}

function fail(msg) {
	printf("%s:%d: %s\n", FILENAME, FNR, msg) > "/dev/stderr"
	failed = 1
	exit 1
}

function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t]+$/, "", s)
	return s
}

# Normalise the spacing of a type: "const  char*" -> "const char *".
function normtype(t) {
	gsub(/\*/, " * ", t)
	gsub(/[ \t]+/, " ", t)
	t = trim(t)
	while (sub(/\* \*/, "**", t))
		;
	return t
}

function is_pointer(t) {
	return t ~ /\*$/
}

# Check a type; what = "argument NAME" or "result", for the message.
function check_type(t, what,    base) {
	base = t
	sub(/^const /, "", base)
	gsub(/[ *]+$/, "", base)
	if (is_pointer(t)) {
		if (base == "void" || base == "char" || base in inttype)
			return
		if (base ~ /^struct [A-Za-z_][A-Za-z_0-9]*$/) {
			if (!(base in structseen)) {
				structseen[base] = 1
				structs[++nstructs] = base
			}
			return
		}
		fail(what ": unknown type '" t "'")
	}
	if (t ~ /^const /)
		fail(what ": 'const' on a value: '" t "'")
	if (t in inttype)
		return
	fail(what ": unknown type '" t "' (a value must be an integer type " \
	    "listed in tools/gensyscalls.awk)")
}

# "const char *path" -> atype[n, i] = "const char *", aname[n, i] = "path"
function parse_arg(a, i,    t) {
	a = trim(a)
	if (!match(a, /[A-Za-z_][A-Za-z_0-9]*$/))
		fail("argument " i " has no name: '" a "'")
	aname[n, i] = substr(a, RSTART)
	t = normtype(substr(a, 1, RSTART - 1))
	if (t == "")
		fail("argument " i " ('" a "') has no type")
	check_type(t, "argument " aname[n, i])
	atype[n, i] = t
}

# The public spelling of a kernel type.
function pub(t,    c, base, stars) {
	c = ""
	if (t ~ /^const /) {
		c = "const "
		t = substr(t, 7)
	}
	base = t
	stars = ""
	if (match(t, / ?\*+$/)) {
		base = substr(t, 1, RSTART - 1)
		stars = substr(t, RSTART)
	}
	if (base in pubtype)
		base = pubtype[base]
	return c base stars
}

BEGIN {
	if (gen == "")
		gen = "build/gen"
	init_types()
	n = 0
	maxnum = -1
	ncomp = 0
	banner = "/*\n * Generated from sys/kern/syscalls.tbl by " \
	    "tools/gensyscalls.awk; do not edit.\n */"
}

/^[ \t]*(#|$)/ { next }

{
	if (NF < 3)
		fail("expected 'number component prototype'")
	if ($1 !~ /^[0-9]+$/)
		fail("bad system call number '" $1 "'")
	if ($2 !~ /^[a-z][a-z0-9_]*$/)
		fail("bad component name '" $2 "'")
	num = $1 + 0
	if (num > 1023)
		fail("system call number " num " is too large (max 1023)")
	if (num in bynum)
		fail("number " num " is already used by " name[bynum[num]])
	if (num < maxnum)
		fail("number " num " is out of order (the table is sorted " \
		    "by number)")

	proto = $0
	sub(/^[ \t]*[0-9]+[ \t]+[a-z][a-z0-9_]*[ \t]+/, "", proto)
	proto = trim(proto)
	if (proto !~ /^[A-Za-z_][A-Za-z_0-9 *]*[ *][a-z_][a-z_0-9]*\([^()]*\);$/)
		fail("bad prototype '" proto "' (expected 'type name(args);')")
	head = substr(proto, 1, index(proto, "(") - 1)
	args = substr(proto, index(proto, "(") + 1)
	sub(/\);$/, "", args)
	args = trim(args)
	match(head, /[a-z_][a-z_0-9]*$/)
	sname = substr(head, RSTART)
	if (sname in byname)
		fail("name " sname " is already used by number " \
		    snum[byname[sname]])

	n++
	bynum[num] = n
	byname[sname] = n
	snum[n] = num
	name[n] = sname
	rtype = normtype(substr(head, 1, RSTART - 1))
	check_type(rtype, "result")
	ret[n] = rtype
	scomp[n] = $2
	if (!($2 in compseen)) {
		compseen[$2] = 1
		comp[++ncomp] = $2
	}
	variadic[n] = 0
	nargs[n] = 0
	if (num > maxnum)
		maxnum = num

	if (args == "" || args == "void")
		next
	k = split(args, parts, ",")
	if (k > 6)
		fail(sname ": more than 6 arguments")
	for (i = 1; i <= k; i++) {
		p = trim(parts[i])
		if (p ~ /^\.\.\./) {
			if (i != k)
				fail(sname ": '...' must introduce the last " \
				    "argument")
			if (i == 1)
				fail(sname ": '...' needs an argument before " \
				    "it")
			variadic[n] = 1
			p = substr(p, 4)
		}
		parse_arg(p, i)
		for (j = 1; j < i; j++)
			if (aname[n, j] == aname[n, i])
				fail(sname ": argument name " aname[n, i] \
				    " is used twice")
	}
	nargs[n] = k
}

# Output goes to a temporary file, which replaces the real one only if it
# differs (see output_done).
function output_begin(f) {
	outfile = f
	outtmp = f ".tmp"
	print banner > outtmp
}

function emit(s) {
	print s > outtmp
}

function sq(s) {
	gsub(/'/, "'\\''", s)
	return "'" s "'"
}

function output_done() {
	close(outtmp)
	if (system("cmp -s " sq(outtmp) " " sq(outfile) " || mv -f " \
	    sq(outtmp) " " sq(outfile)) != 0) {
		printf("gensyscalls.awk: cannot write %s\n", outfile) \
		    > "/dev/stderr"
		exit 1
	}
	system("rm -f " sq(outtmp))
}

# "T name, T name" (kernel or public spelling); a variadic call's last
# argument becomes "...".
function arglist(i, public,    j, s, t) {
	if (nargs[i] == 0)
		return "void"
	s = ""
	for (j = 1; j <= nargs[i]; j++) {
		if (j == nargs[i] && variadic[i]) {
			s = s ", ..."
			break
		}
		t = public ? pub(atype[i, j]) : atype[i, j]
		s = s (j > 1 ? ", " : "") t (is_pointer(t) ? "" : " ") \
		    aname[i, j]
	}
	return s
}

# Break a declaration after commas so that no line passes 79 columns;
# continuation lines are indented by four spaces.
function wrap(s,    out, cut, i) {
	out = ""
	while (length(s) > 79) {
		cut = 0
		for (i = 1; i < 79; i++)
			if (substr(s, i, 2) == ", ")
				cut = i
		if (cut == 0)
			break
		out = out substr(s, 1, cut) "\n"
		s = "    " substr(s, cut + 2)
	}
	return out s
}

function struct_decls(    i) {
	for (i = 1; i <= nstructs; i++)
		emit(structs[i] ";")
}

function gen_syscallargs(    i, j) {
	output_begin(gen "/sys/sys/syscallargs.h")
	emit("/*\n * The system calls' numbers, argument structures and " \
	    "handlers.  A handler\n * reads its arguments with SCARG(uap, " \
	    "name) and is called through the\n * wrappers of its component's " \
	    "package (syscalls_COMPONENT.c).\n */")
	emit("#ifndef _SYS_SYSCALLARGS_H_\n#define _SYS_SYSCALLARGS_H_\n")
	emit("#include <sys/types.h>\n#include <sys/syscall.h>\n")
	emit("struct lwp;")
	struct_decls()
	emit("")
	for (i = 1; i <= n; i++)
		emit("#define SYS_" name[i] " " snum[i])
	emit("#define SYS_MAXSYSCALL " (maxnum + 1) \
	    "\t/* highest number + 1 */\n")
	for (i = 1; i <= n; i++) {
		if (nargs[i] == 0) {
			emit("int sys_" name[i] \
			    "(struct lwp *, const void *, register_t *);\n")
			continue
		}
		emit("struct sys_" name[i] "_args {")
		for (j = 1; j <= nargs[i]; j++)
			emit("\tsyscallarg(" atype[i, j] ") " aname[i, j] ";")
		emit("};")
		emit(wrap("int sys_" name[i] "(struct lwp *, const struct " \
		    "sys_" name[i] "_args *, register_t *);") "\n")
	}
	emit("#endif /* _SYS_SYSCALLARGS_H_ */")
	output_done()
}

function gen_info(    i) {
	output_begin(gen "/sys/kern/syscalls_info.c")
	emit("/* Names and argument counts by number; holes are NULL and " \
	    "0. */\n")
	emit("#include <sys/types.h>\n#include <sys/syscall.h>\n")
	emit("const int syscall_nsysent = " (maxnum + 1) ";\n")
	emit("const char *const syscallnames[" (maxnum + 1) "] = {")
	for (i = 1; i <= n; i++)
		emit("\t[" snum[i] "] = \"" name[i] "\",")
	emit("};\n")
	emit("const unsigned char syscallnargs[" (maxnum + 1) "] = {")
	for (i = 1; i <= n; i++)
		emit("\t[" snum[i] "] = " nargs[i] ",")
	emit("};")
	output_done()
}

# The package of component c.  A handler with arguments takes its own
# structure; a wrapper of the table's type (sy_call_t) hands it over, so
# no function pointer is ever cast.
function gen_package(c,    i) {
	output_begin(gen "/sys/kern/syscalls_" c ".c")
	emit("/* The system calls of component " c \
	    ", established when it initialises. */\n")
	emit("#include <sys/types.h>\n#include <sys/syscall.h>\n" \
	    "#include <sys/syscallargs.h>\n")
	for (i = 1; i <= n; i++) {
		if (scomp[i] != c || nargs[i] == 0)
			continue
		emit("static int\nsy_" name[i] "(struct lwp *l, " \
		    "const void *uap, register_t *retval)\n{\n\n" \
		    "\treturn sys_" name[i] "(l, uap, retval);\n}\n")
	}
	emit("const struct syscall_package syscalls_" c "[] = {")
	for (i = 1; i <= n; i++)
		if (scomp[i] == c)
			emit("\t{ SYS_" name[i] ", " \
			    (nargs[i] == 0 ? "sys_" : "sy_") name[i] " },")
	emit("\t{ 0, NULL }\n};")
	output_done()
}

function gen_entry(i,    j, last, t) {
	emit(ret[i] "\n" wrap("rump_sys_" name[i] "(" arglist(i, 0) ")") "\n{")
	if (nargs[i] > 0)
		emit("\tregister_t args[6] = { 0 };")
	emit("\tregister_t rv[2];")
	if (variadic[i]) {
		last = nargs[i]
		emit("\tva_list ap;")
		t = atype[i, last]
		emit("\t" t (is_pointer(t) ? "" : " ") aname[i, last] ";")
	}
	emit("\tint error;\n")
	if (variadic[i]) {
		emit("\tva_start(ap, " aname[i, last - 1] ");")
		emit("\t" aname[i, last] " = va_arg(ap, " t ");")
		emit("\tva_end(ap);")
	}
	for (j = 1; j <= nargs[i]; j++) {
		t = atype[i, j]
		emit("\targs[" (j - 1) "] = (register_t)" \
		    (is_pointer(t) ? "(uintptr_t)" : "") aname[i, j] ";")
	}
	emit("\terror = rump_syscall(SYS_" name[i] ", " \
	    (nargs[i] > 0 ? "args" : "NULL") ", " nargs[i] ", rv);")
	emit("\tif (error != 0) {\n\t\trumpuser_seterrno(error);")
	if (is_pointer(ret[i])) {
		emit("\t\treturn (" ret[i] ")(intptr_t)-1;\n\t}")
		emit("\treturn (" ret[i] ")(uintptr_t)rv[0];\n}\n")
	} else {
		emit("\t\treturn -1;\n\t}")
		emit("\treturn (" ret[i] ")rv[0];\n}\n")
	}
}

function gen_entries(    i) {
	output_begin(gen "/sys/kern/rump_syscalls.c")
	emit("/*\n * The rump_sys_* entry points of a local client (see " \
	    "rump_syscalls.h):\n * each packs its arguments into registers " \
	    "(pointers as addresses,\n * integers sign- or zero-extended by " \
	    "type), runs the call through\n * rump_syscall() and returns " \
	    "like the raw system call through libc's\n * syscall(): -1 with " \
	    "the host's errno set on error.\n */\n")
	emit("#include <sys/types.h>\n#include <sys/syscallargs.h>\n" \
	    "#include <rump/rump.h>\n#include <rump/rumpuser.h>\n")
	struct_decls()
	emit("")
	for (i = 1; i <= n; i++)
		gen_entry(i)
	output_done()
}

function gen_public(    i) {
	output_begin(gen "/include/rump/rump_syscalls.h")
	emit("/*\n * rump_syscalls.h: the system calls of a rump kernel: " \
	    "rump_sys_NAME for\n * each Linux system call NAME in the " \
	    "table, and RUMP_SYS_NAME, its Linux\n * x86-64 number (for " \
	    "rump_syscall() in rump.h).\n *\n * Arguments, structures, flags " \
	    "and error numbers are Linux's: a program\n * uses its own " \
	    "headers for them.  Each call returns like the raw system\n * " \
	    "call through libc's syscall(2): -1 with errno set on error.  " \
	    "Note that\n * rump_sys_clock_nanosleep follows that rule too, " \
	    "unlike libc's\n * clock_nanosleep(3), which returns the error " \
	    "number.  A call whose\n * component is not linked into the " \
	    "kernel fails with ENOSYS, and every\n * call fails with ENXIO " \
	    "when no kernel is running.\n */")
	emit("#ifndef _RUMP_RUMP_SYSCALLS_H_\n#define _RUMP_RUMP_SYSCALLS_H_\n")
	emit("#include <stddef.h>\n#include <sys/types.h>\n")
	emit("#ifdef __cplusplus\nextern \"C\" {\n#endif\n")
	struct_decls()
	emit("")
	for (i = 1; i <= n; i++)
		emit("#define RUMP_SYS_" name[i] " " snum[i])
	emit("")
	for (i = 1; i <= n; i++)
		emit(wrap(pub(ret[i]) " rump_sys_" name[i] "(" arglist(i, 1) \
		    ");"))
	emit("\n#ifdef __cplusplus\n}\n#endif\n\n" \
	    "#endif /* _RUMP_RUMP_SYSCALLS_H_ */")
	output_done()
}

# The client stub of call i: the same name and signature as the local
# entry point (the public spelling, as in rump_syscalls.h), the arguments
# packed as 64-bit registers the same way (pointers as addresses, integers
# sign- or zero-extended by type), sent by rumpclient_syscall().
function gen_client_entry(i,    j, last, t) {
	emit(pub(ret[i]) "\n" wrap("rump_sys_" name[i] "(" arglist(i, 1) ")") \
	    "\n{")
	if (nargs[i] > 0)
		emit("\tint64_t args[6] = { 0 };")
	emit("\tint64_t rv[2];")
	if (variadic[i]) {
		last = nargs[i]
		emit("\tva_list ap;")
		t = pub(atype[i, last])
		emit("\t" t (is_pointer(t) ? "" : " ") aname[i, last] ";")
	}
	emit("\tint error;\n")
	if (variadic[i]) {
		emit("\tva_start(ap, " aname[i, last - 1] ");")
		emit("\t" aname[i, last] " = va_arg(ap, " t ");")
		emit("\tva_end(ap);")
	}
	for (j = 1; j <= nargs[i]; j++) {
		t = atype[i, j]
		emit("\targs[" (j - 1) "] = (int64_t)" \
		    (is_pointer(t) ? "(uintptr_t)" : "") aname[i, j] ";")
	}
	emit("\terror = rumpclient_syscall(RUMP_SYS_" name[i] ", " \
	    (nargs[i] > 0 ? "args" : "NULL") ", " nargs[i] ", rv);")
	emit("\tif (error != 0) {\n\t\terrno = error;")
	if (is_pointer(ret[i])) {
		emit("\t\treturn (" pub(ret[i]) ")(intptr_t)-1;\n\t}")
		emit("\treturn (" pub(ret[i]) ")(uintptr_t)rv[0];\n}\n")
	} else {
		emit("\t\treturn -1;\n\t}")
		emit("\treturn (" pub(ret[i]) ")rv[0];\n}\n")
	}
}

function gen_client(    i) {
	output_begin(gen "/lib/librumpclient/rumpclient_syscalls.c")
	emit("/*\n * The rump_sys_* entry points of a remote client " \
	    "(librumpclient): the\n * same names and signatures as the " \
	    "local ones in rump_syscalls.h, so a\n * program builds against " \
	    "either library unchanged.  Each packs its\n * arguments into " \
	    "64-bit registers as the local entry point does, sends\n * the " \
	    "call to the server with rumpclient_syscall() and returns like " \
	    "libc:\n * -1 with errno set on error (ENOTCONN once the " \
	    "connection is gone).\n */\n")
	emit("#include <errno.h>\n#include <stdarg.h>\n#include <stddef.h>\n" \
	    "#include <stdint.h>\n#include <sys/types.h>\n\n" \
	    "#include <rump/rump_syscalls.h>\n#include <rump/rumpclient.h>\n")
	struct_decls()
	emit("")
	for (i = 1; i <= n; i++)
		gen_client_entry(i)
	output_done()
}

END {
	if (failed)
		exit 1
	if (n == 0) {
		printf("%s: no system calls in the table\n", FILENAME) \
		    > "/dev/stderr"
		exit 1
	}
	system("mkdir -p " sq(gen "/sys/sys") " " sq(gen "/sys/kern") " " \
	    sq(gen "/include/rump") " " sq(gen "/lib/librumpclient"))
	gen_syscallargs()
	gen_info()
	for (c = 1; c <= ncomp; c++)
		gen_package(comp[c])
	gen_entries()
	gen_public()
	gen_client()
}
