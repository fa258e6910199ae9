# rump.umount: unmount in a rump_server's kernel (a librumpclient program).
PROGS += rump.umount
rump.umount_SRCS := cmd/rump.umount/rump.umount.c
rump.umount_LIBS := rumpclient
