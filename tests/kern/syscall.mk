# Tests of the system call layer: dispatch, time, uname, reboot
# (t_syscall, with the kernel-side checks of ktest_syscall.k.c).  The
# generator's own test, tests/kern/gensyscalls_test.sh, is a script that
# runs from the source tree (TEST_SCRIPTS in mk/test.mk).
KERNLIBS += rumpkern_ktest_syscall
rumpkern_ktest_syscall_SRCS := tests/kern/ktest_syscall.k.c
rumpkern_ktest_syscall_DEPS := rump

TESTPROGS += t_syscall
t_syscall_SRCS := tests/kern/t_syscall.c
t_syscall_LIBS := rumpkern_ktest_syscall rump rumpuser
t_syscall_PKGS := check
