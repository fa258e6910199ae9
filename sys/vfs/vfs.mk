# librumpvfs: the VFS faction (DESIGN.md section 8): vnodes, names,
# mounts, descriptors, pipes, poll, the file system calls.
KERNLIBS += rumpvfs
rumpvfs_SRCS := $(sort $(wildcard sys/vfs/*.c)) $(GEN)/sys/kern/syscalls_vfs.c
rumpvfs_DEPS := rump
# The faction is useless without its root file system: its pkg-config
# file names tmpfs too.
rumpvfs_PC_DESC := Anykernel VFS faction with tmpfs as its root file system
rumpvfs_PC_LIBS := rumpfs_tmpfs rumpvfs
rumpvfs_PC_REQUIRES := rump
