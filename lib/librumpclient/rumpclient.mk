# librumpclient: the remote client (DESIGN.md section 1, docs/rumpclient.md):
# the rump_sys_* of rump_syscalls.h sent to a rump_server over a socket.
# A host library; a program links it INSTEAD of the kernel libraries.
# Its rump_sys_* are generated from the system call table (mk/syscalls.mk).
HOSTLIBS += rumpclient
rumpclient_SRCS := lib/librumpclient/rumpclient.c \
	lib/librumpclient/rumpclient_mem.c \
	$(GEN)/lib/librumpclient/rumpclient_syscalls.c
rumpclient_LDLIBS := -lpthread
rumpclient_PC_DESC := Anykernel remote client: rump_sys_* calls to a rump_server
rumpclient_PC_LIBS := rumpclient
rumpclient_PC_REQUIRES :=
