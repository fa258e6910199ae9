# rump_server: hosts a rump kernel and serves it to remote clients
# (docs/rumpclient.md).  Linked with the shared kernel libraries: the
# components named with -l are dlopen()ed beside librump.so before the
# kernel boots, and must share its one copy of the kernel.
PROGS += rump_server
rump_server_SRCS := cmd/rump_server/rump_server.c \
	cmd/rump_server/rump_server_args.c
rump_server_LIBS := rump rumpuser
rump_server_LINK := shared
rump_server_LDLIBS := -ldl
