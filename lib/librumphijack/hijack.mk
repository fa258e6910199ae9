# librumphijack: unmodified programs on a rump kernel (docs/hijack.md).
# Preloaded (LD_PRELOAD); it loads librumpclient or the kernel libraries
# from its own directory at run time, so it links none of them.
HOSTLIBS += rumphijack
rumphijack_SRCS := lib/librumphijack/hijack_main.c \
	lib/librumphijack/hijack_config.c \
	lib/librumphijack/hijack_trap.c \
	lib/librumphijack/hijack_route.c \
	lib/librumphijack/hijack_fd.c \
	lib/librumphijack/hijack_io.c \
	lib/librumphijack/hijack_kernel.c
rumphijack_LDLIBS := -ldl -lpthread
