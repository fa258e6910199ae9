# librumpvfs: the VFS faction (DESIGN.md section 8): vnodes, names,
# mounts, descriptors, pipes, poll, the file system calls.
KERNLIBS += rumpvfs
rumpvfs_SRCS := $(sort $(wildcard sys/vfs/*.c)) $(GEN)/sys/kern/syscalls_vfs.c
rumpvfs_DEPS := rump
