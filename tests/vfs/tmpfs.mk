# Tests of tmpfs (sys/fs/tmpfs) through the system calls: mount options,
# space and inode limits, sparse files, big directories, readdir
# positions, unlinked open files, renames, the memory limit.
TESTPROGS += t_tmpfs
t_tmpfs_SRCS := tests/vfs/t_tmpfs.c
t_tmpfs_LIBS := rumpfs_tmpfs rumpvfs rump rumpuser
t_tmpfs_PKGS := check
