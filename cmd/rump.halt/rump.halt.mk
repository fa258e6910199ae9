# rump.halt: halt a rump_server's kernel (a librumpclient program).
PROGS += rump.halt
rump.halt_SRCS := cmd/rump.halt/rump.halt.c
rump.halt_LIBS := rumpclient
