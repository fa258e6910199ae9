# rump.sysctl: kernel parameters of a rump_server (a librumpclient program).
PROGS += rump.sysctl
rump.sysctl_SRCS := cmd/rump.sysctl/rump.sysctl.c
rump.sysctl_LIBS := rumpclient
