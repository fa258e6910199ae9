# Tests of the remote client (librumpclient, docs/rumpclient.md).
#   t_client_proto   the library against a fake server in the test: the
#                    protocol's frames, copies, threads, failures, fork
TESTPROGS += t_client_proto
t_client_proto_SRCS := tests/sysproxy/t_client_proto.c
t_client_proto_LIBS := rumpclient
t_client_proto_CFLAGS := -Ilib/librumpclient
t_client_proto_PKGS := check

#   t_client_server  rump_server's command line: the parser, and the
#                    program's errors before it detaches
TESTPROGS += t_client_server
t_client_server_SRCS := tests/sysproxy/t_client_server.c \
	cmd/rump_server/rump_server_args.c
t_client_server_CFLAGS := -Icmd/rump_server
t_client_server_PKGS := check
# It runs the program.
$(TESTDIR)/t_client_server: $(BINDIR)/rump_server
