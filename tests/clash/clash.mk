# The namespace clash test, linked statically and dynamically.
TESTPROGS += t_clash_static t_clash_shared
t_clash_static_SRCS := tests/clash/t_clash.c
t_clash_static_LIBS := rump rumpuser
t_clash_static_CFLAGS := -fno-builtin
t_clash_shared_SRCS := tests/clash/t_clash_shared.c
t_clash_shared_LIBS := rump rumpuser
t_clash_shared_LINK := shared
t_clash_shared_CFLAGS := -fno-builtin
t_clash_shared_LDLIBS := -rdynamic
