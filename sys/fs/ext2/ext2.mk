# librumpfs_ext2: ext2, ext3 and ext4 (component "ext2", file system
# types "ext2", "ext3", "ext4"); docs/ext2.md.
KERNLIBS += rumpfs_ext2
rumpfs_ext2_SRCS := $(sort $(wildcard sys/fs/ext2/*.c))
rumpfs_ext2_DEPS := rumpvfs rump
rumpfs_ext2_PC_DESC := Anykernel ext2/ext3/ext4 file system driver
rumpfs_ext2_PC_LIBS := rumpfs_ext2
rumpfs_ext2_PC_REQUIRES := rumpvfs
