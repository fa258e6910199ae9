# Unit tests of the ext4 parts of the ext2 driver: crc32c and crc16, the
# metadata_csum functions, the extent tree and the journal replay
# (sys/fs/ext2/ext2_csum.c, ext2_extent.c, ext2_journal.c).
#
# ktest_ext2b.k.c compiles those three files with a test double of the
# rest of the driver (an image in memory), so it links without
# librumpfs_ext2; t_ext2b.c drives it, with images that mke2fs, debugfs
# and the host kernel's loop mount make (root for the loop mount; the
# tests that need it skip without).
KERNLIBS += rumpktest_ext2b
rumpktest_ext2b_SRCS := tests/fs/ext2/ktest_ext2b.k.c
rumpktest_ext2b_DEPS := rump

TESTPROGS += t_ext2b
t_ext2b_SRCS := tests/fs/ext2/t_ext2b.c
t_ext2b_LIBS := rumpktest_ext2b rump rumpuser
t_ext2b_PKGS := check

# The same parts through the whole driver and the system calls.
ifneq ($(filter rumpfs_ext2,$(KERNLIBS)),)
TESTPROGS += t_ext2b_mount
t_ext2b_mount_SRCS := tests/fs/ext2/t_ext2b_mount.c
t_ext2b_mount_LIBS := rumpfs_ext2 rumpfs_tmpfs rumpvfs rump rumpuser
t_ext2b_mount_PKGS := check
endif
