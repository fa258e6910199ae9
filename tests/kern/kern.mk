# Tests of the kernel base: boot and halt, processes, locks, memory,
# kernel threads, callouts, components.
KERNLIBS += rumpkern_ktest_kern
rumpkern_ktest_kern_SRCS := tests/kern/ktest_kern.k.c
rumpkern_ktest_kern_DEPS := rump

TESTPROGS += t_kern
t_kern_SRCS := tests/kern/t_kern.c
t_kern_LIBS := rumpkern_ktest_kern rump rumpuser
t_kern_PKGS := check
