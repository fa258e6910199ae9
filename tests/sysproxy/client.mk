# Tests of the remote client (librumpclient, docs/rumpclient.md).
#   t_client_proto   the library against a fake server in the test: the
#                    protocol's frames, copies, threads, failures, fork
TESTPROGS += t_client_proto
t_client_proto_SRCS := tests/sysproxy/t_client_proto.c
t_client_proto_LIBS := rumpclient
t_client_proto_CFLAGS := -Ilib/librumpclient
t_client_proto_PKGS := check
