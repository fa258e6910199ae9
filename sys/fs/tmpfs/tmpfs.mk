# librumpfs_tmpfs: the in-memory file system (component "tmpfs"), the
# root of every rump kernel with the VFS faction.
KERNLIBS += rumpfs_tmpfs
rumpfs_tmpfs_SRCS := $(sort $(wildcard sys/fs/tmpfs/*.c))
rumpfs_tmpfs_DEPS := rumpvfs rump
rumpfs_tmpfs_PC_DESC := Anykernel tmpfs, the in-memory file system
rumpfs_tmpfs_PC_LIBS := rumpfs_tmpfs
rumpfs_tmpfs_PC_REQUIRES := rumpvfs
