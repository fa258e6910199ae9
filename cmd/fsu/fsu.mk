# fsu: utilities on a file system image (fsu IMAGE COMMAND [ARGS]), with
# the kernel's ext2/3/4 driver in-process (docs/fsu.md).
PROGS += fsu
fsu_SRCS := cmd/fsu/fsu.c cmd/fsu/attr.c cmd/fsu/mode.c \
	cmd/fsu/userspec.c
fsu_LIBS := rumpfs_ext2 rumpfs_tmpfs rumpvfs rump rumpuser
