# rump_demo: boots a kernel with its file systems and shows it working
# (make demo runs it; it is the README's main job).
PROGS += rump_demo
rump_demo_SRCS := cmd/rump_demo/rump_demo.c
rump_demo_LIBS := rumpfs_ext2 rumpfs_tmpfs rumpvfs rump rumpuser
