# Tests of descriptors, pipes, poll/select and record locks (t_fd.c).
TESTPROGS += t_fd
t_fd_SRCS := tests/vfs/t_fd.c
t_fd_LIBS := rumpfs_tmpfs rumpvfs rump rumpuser
t_fd_PKGS := check
