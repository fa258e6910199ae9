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
$(BUILD)/tests/t_client_server: $(BUILD)/bin/rump_server \
	$(BUILD)/lib/librumpvfs.so $(BUILD)/lib/librumpfs_tmpfs.so

#   t_client_e2e     against the real rump_server: 32 clients x 1,000
#                    checked operations, SIGKILL mid-call, rump.halt with
#                    clients connected, the socket's mode, fork, the tools
TESTPROGS += t_client_e2e
t_client_e2e_SRCS := tests/sysproxy/t_client_e2e.c
t_client_e2e_LIBS := rumpclient
t_client_e2e_PKGS := check
# It runs the programs (and the server loads the VFS libraries).
$(BUILD)/tests/t_client_e2e: $(BUILD)/bin/rump_server $(BUILD)/bin/rump.halt \
	$(BUILD)/bin/rump.mount $(BUILD)/bin/rump.umount \
	$(BUILD)/bin/rump.sysctl $(BUILD)/lib/librumpvfs.so \
	$(BUILD)/lib/librumpfs_tmpfs.so
