# rumpfuse: serves a disk image through FUSE with the kernel's file system
# driver (docs/rumpfuse.md).
PROGS += rumpfuse
rumpfuse_SRCS := cmd/rumpfuse/rumpfuse.c
rumpfuse_LIBS := rumpfs_ext2 rumpfs_tmpfs rumpvfs rump rumpuser
rumpfuse_PKGS := fuse3
