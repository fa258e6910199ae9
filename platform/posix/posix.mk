# librumpuser: the hypercalls on a POSIX host (platform/posix).
HOSTLIBS += rumpuser
rumpuser_SRCS := \
	platform/posix/rumpuser.c \
	platform/posix/rumpuser_bio.c \
	platform/posix/rumpuser_clock.c \
	platform/posix/rumpuser_file.c \
	platform/posix/rumpuser_mem.c \
	platform/posix/rumpuser_sp.c \
	platform/posix/rumpuser_sync.c \
	platform/posix/rumpuser_thread.c
rumpuser_LDLIBS := -lpthread
