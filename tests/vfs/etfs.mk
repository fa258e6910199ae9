# Tests of etfs, device I/O and the buffer cache (make VFS=1 for now).
# ktest_etfs.k.c is kernel code: the buffer cache unit test with a
# memory disk driver, and I/O on device nodes through spec_*.
KERNLIBS += rumpvfs_ktest_etfs
rumpvfs_ktest_etfs_SRCS := tests/vfs/ktest_etfs.k.c
rumpvfs_ktest_etfs_DEPS := rumpvfs rump

TESTPROGS += t_etfs
t_etfs_SRCS := tests/vfs/t_etfs.c
t_etfs_LIBS := rumpvfs_ktest_etfs rumpfs_tmpfs rumpvfs rump rumpuser
t_etfs_PKGS := check
