# rump_demo: boots a kernel and shows it working (make demo runs it).
PROGS += rump_demo
rump_demo_SRCS := cmd/rump_demo/rump_demo.c
rump_demo_LIBS := rump rumpuser
