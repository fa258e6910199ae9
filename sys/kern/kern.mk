# librump: the kernel base (DESIGN.md section 4).
KERNLIBS += rump
rump_SRCS := \
	sys/kern/init_main.c \
	sys/kern/kern_auth.c \
	sys/kern/kern_callout.c \
	sys/kern/kern_component.c \
	sys/kern/kern_kmem.c \
	sys/kern/kern_kthread.c \
	sys/kern/kern_lockdebug.c \
	sys/kern/kern_lwp.c \
	sys/kern/kern_lwproc.c \
	sys/kern/kern_proc.c \
	sys/kern/kern_prot.c \
	sys/kern/kern_reboot.c \
	sys/kern/kern_resource.c \
	sys/kern/kern_sched.c \
	sys/kern/kern_synch.c \
	sys/kern/kern_syscall.c \
	sys/kern/kern_sysproxy.c \
	sys/kern/kern_time.c \
	sys/kern/kern_uname.c \
	sys/kern/subr_copy.c \
	sys/kern/subr_cprng.c \
	sys/kern/subr_pool.c \
	sys/kern/subr_prf.c \
	sys/kern/subr_string.c \
	sys/kern/subr_uio.c \
	$(GEN)/sys/kern/rump_syscalls.c \
	$(GEN)/sys/kern/syscalls_info.c \
	$(GEN)/sys/kern/syscalls_kern.c
rump_DEPS :=
