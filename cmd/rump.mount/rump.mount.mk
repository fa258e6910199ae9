# rump.mount: mount in a rump_server's kernel (a librumpclient program).
PROGS += rump.mount
rump.mount_SRCS := cmd/rump.mount/rump.mount.c
rump.mount_LIBS := rumpclient
