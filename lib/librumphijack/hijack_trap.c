/*
 * hijack_trap.c: catching the program's system calls (x86-64 Linux).
 *
 * Syscall user dispatch (prctl PR_SET_SYSCALL_USER_DISPATCH, Linux 5.11)
 * makes a thread's system call instructions raise SIGSYS while the
 * thread's selector byte says "block"; the handler finds the call's
 * number and arguments in the saved registers, has hj_dispatch() carry
 * it out (to the kernel, or to the host from here, with the selector at
 * "allow"), puts the result in rax and returns after the instruction.
 * That catches the calls that glibc makes internally (fopen's open,
 * opendir's openat, stat's fstatat), which symbol interposition would
 * miss.
 *
 * What must hold for that to work:
 * - The handler returns through hj_restorer, which lies in the one code
 *   range that dispatch always lets through (the "gate"); so do the
 *   program's own signal handlers, whose sa_restorer we replace.  A
 *   return through glibc's own restorer (a handler installed before we
 *   were) traps as rt_sigreturn and is sent round through the gate.
 * - SIGSYS is never blocked: a forced SIGSYS that is blocked kills the
 *   process.  rt_sigprocmask, rt_sigaction's masks and the masks of
 *   ppoll/pselect6/epoll_pwait lose it; the program's own SIGSYS handler
 *   is remembered, not installed.
 * - Dispatch is per thread and a new thread or a forked child starts
 *   without it: pthread_create starts the program's threads through
 *   hj_thread_start, which turns it on; fork, vfork and clone without a
 *   shared address space are done here, and the child turns it on.
 *   Threads that the kernel or libc make for us (selector "allow" at
 *   pthread_create) run untrapped.
 */

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "hijack.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH	59
#define PR_SYS_DISPATCH_OFF		0
#define PR_SYS_DISPATCH_ON		1
#endif
#define SEL_ALLOW	0
#define SEL_BLOCK	1
#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH 2
#endif
#define SA_RESTORER_FLAG 0x04000000

/* The selector: this thread's, read by the host kernel at each call. */
static __thread volatile char hj_sel
    __attribute__((tls_model("initial-exec"))) = SEL_ALLOW;
static __thread bool hj_trapping __attribute__((tls_model("initial-exec")));

/* The gate: a raw system call and the signal restorer. */
extern char hj_gate_start[], hj_gate_end[], hj_restorer[];
__asm__(
	".pushsection .text.hj_gate,\"ax\",@progbits\n"
	".p2align 4\n"
	".globl hj_gate_start\n"
	".hidden hj_gate_start\n"
	"hj_gate_start:\n"
	".globl hj_host\n"
	".hidden hj_host\n"
	".type hj_host,@function\n"
	"hj_host:\n"
	"	movq %rdi, %rax\n"
	"	movq %rsi, %rdi\n"
	"	movq %rdx, %rsi\n"
	"	movq %rcx, %rdx\n"
	"	movq %r8, %r10\n"
	"	movq %r9, %r8\n"
	"	movq 8(%rsp), %r9\n"
	"	syscall\n"
	"	ret\n"
	".size hj_host, .-hj_host\n"
	".globl hj_restorer\n"
	".hidden hj_restorer\n"
	"hj_restorer:\n"
	"	movq $15, %rax\n"
	"	syscall\n"
	"	hlt\n"
	".globl hj_gate_end\n"
	".hidden hj_gate_end\n"
	"hj_gate_end:\n"
	".popsection\n");

/* clone3's arguments, version 0 (64 bytes). */
struct hj_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls;
};

/* The kernel's struct sigaction (rt_sigaction's). */
struct ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

#define SIGBIT(s)	(1ULL << ((s) - 1))

static struct ksigaction hj_app_sigsys;	/* the program's SIGSYS */

void
hj_allow(void)
{

	hj_sel = SEL_ALLOW;
}

void
hj_block(void)
{

	if (hj_trapping)
		hj_sel = SEL_BLOCK;
}

bool
hj_allowed(void)
{

	return hj_sel == SEL_ALLOW;
}

void
hj_die(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	hj_host3(SYS_write, 2, buf, n);
	hj_host1(SYS_exit_group, 1);
	for (;;)
		continue;
}

/*
 * The stack the handler runs on: its own, per thread (sigaltstack), so
 * that neither our code nor the kernel's (in-process, the whole file
 * system call runs in the handler) depends on what the program's stack
 * has left: posix_spawn's child runs on 32 KiB.  The program's own
 * sigaltstack is remembered, not installed; its handlers that ask for
 * the alternate stack run on ours.  A thread that ends gives it back.
 */
#define HJ_ALTSTACK	(1024 * 1024)
#ifndef SS_AUTODISARM
#define SS_AUTODISARM	(1U << 31)
#endif

static __thread void *hj_altstack __attribute__((tls_model("initial-exec")));
static __thread stack_t hj_app_ss __attribute__((tls_model("initial-exec")))
    = { .ss_flags = SS_DISABLE };
static pthread_key_t hj_altstack_key;
static pthread_once_t hj_altstack_once = PTHREAD_ONCE_INIT;

static void
hj_altstack_free(void *stk)
{
	stack_t ss = { .ss_flags = SS_DISABLE };

	hj_allow();
	hj_host2(SYS_sigaltstack, &ss, NULL);
	hj_host2(SYS_munmap, stk, HJ_ALTSTACK);
	hj_altstack = NULL;
}

static void
hj_altstack_keyinit(void)
{

	(void)pthread_key_create(&hj_altstack_key, hj_altstack_free);
}

static int
hj_altstack_get(void)
{
	stack_t ss;
	long stk;

	if (hj_altstack != NULL)
		return 0;	/* a forked child has its parent's */
	stk = hj_host(SYS_mmap, 0, HJ_ALTSTACK, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (stk < 0)
		return (int)-stk;
	hj_host3(SYS_mprotect, stk, 4096, PROT_NONE);	/* a guard page */
	hj_altstack = (void *)stk;
	pthread_once(&hj_altstack_once, hj_altstack_keyinit);
	(void)pthread_setspecific(hj_altstack_key, hj_altstack);
	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = hj_altstack;
	ss.ss_size = HJ_ALTSTACK;
	return (int)-hj_host2(SYS_sigaltstack, &ss, NULL);
}

/* sigaltstack: the program's is remembered (see hj_altstack_get). */
static long
hj_sigaltstack(const stack_t *ss, stack_t *old)
{

	if (old != NULL)
		*old = hj_app_ss;
	if (ss != NULL) {
		if ((unsigned int)ss->ss_flags & ~(SS_DISABLE | SS_AUTODISARM))
			return -EINVAL;
		if (!(ss->ss_flags & SS_DISABLE) && ss->ss_size < (size_t)MINSIGSTKSZ)
			return -ENOMEM;
		hj_app_ss = *ss;
	}
	return 0;
}

int
hj_trap_thread(void)
{
	long r;
	int e;

	hj_sel = SEL_ALLOW;
	if ((e = hj_altstack_get()) != 0)
		return e;
	r = hj_host(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH,
	    PR_SYS_DISPATCH_ON, (long)hj_gate_start,
	    (long)(hj_gate_end - hj_gate_start), (long)&hj_sel, 0);
	if (r < 0)
		return (int)-r;
	hj_trapping = true;
	return 0;
}

/* rt_sigaction: ours for SIGSYS, our restorer and no SIGSYS in masks. */
static long
hj_sigaction(long a[6])
{
	struct ksigaction act, *uact = (struct ksigaction *)a[1];
	struct ksigaction *oact = (struct ksigaction *)a[2];

	if (a[3] != 8)
		return -EINVAL;
	if (a[0] == SIGSYS) {
		if (oact != NULL)
			*oact = hj_app_sigsys;
		if (uact != NULL)
			hj_app_sigsys = *uact;
		return 0;
	}
	if (uact == NULL)
		return hj_host(SYS_rt_sigaction, a[0], 0, a[2], 8, 0, 0);
	act = *uact;
	act.mask &= ~SIGBIT(SIGSYS);
	if (act.handler != SIG_DFL && act.handler != SIG_IGN) {
		act.flags |= SA_RESTORER_FLAG;
		act.restorer = hj_restorer;
	}
	return hj_host(SYS_rt_sigaction, a[0], (long)&act, a[2], 8, 0, 0);
}

/* A signal mask argument without SIGSYS, in *copy; NULL stays NULL. */
static const void *
hj_mask_nosys(const void *mask, uint64_t *copy)
{

	if (mask == NULL)
		return NULL;
	memcpy(copy, mask, sizeof(*copy));
	*copy &= ~SIGBIT(SIGSYS);
	return copy;
}

/*
 * fork, vfork and clone or clone3 without a shared address space, or
 * with CLONE_VFORK, which is taken as a fork: the child gets a copy of
 * its parent's memory instead of the memory itself, and so returns from
 * this handler on its copy of the stack, switching to the stack that the
 * call named (where glibc's clone left the child's function) as it
 * leaves.  The parent does not wait for the child's exec.
 */
static long
hj_clone(long nr, long a[6], ucontext_t *uc)
{
	struct hj_clone_args ca;
	unsigned long flags;
	long r, stack = 0;

	switch (nr) {
	case SYS_clone:
		flags = (unsigned long)a[0];
		if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
			return -ENOSYS;	/* a thread outside pthread_create */
		flags &= ~(unsigned long)(CLONE_VM | CLONE_VFORK);
		stack = a[1];
		r = hj_fork_call(SYS_clone, (long)flags, 0, a[2], a[3], a[4]);
		break;
	case SYS_clone3:
		if ((size_t)a[1] < 64 || a[0] == 0)
			return -EINVAL;
		memset(&ca, 0, sizeof(ca));
		memcpy(&ca, (void *)a[0], (size_t)a[1] < sizeof(ca) ?
		    (size_t)a[1] : sizeof(ca));
		if ((ca.flags & CLONE_VM) && !(ca.flags & CLONE_VFORK))
			return -ENOSYS;
		ca.flags &= ~(uint64_t)(CLONE_VM | CLONE_VFORK);
		if (ca.stack != 0)
			stack = (long)(ca.stack + ca.stack_size);
		ca.stack = 0;
		ca.stack_size = 0;
		r = hj_fork_call(SYS_clone3, (long)&ca, 64, 0, 0, 0);
		break;
	default:	/* fork, vfork */
		r = hj_fork_call(SYS_fork, 0, 0, 0, 0, 0);
		break;
	}
	if (r == 0 && stack != 0)
		uc->uc_mcontext.gregs[REG_RSP] = (greg_t)stack;
	return r;
}

/* The handler's work for one call.  Returns rax. */
static long
hj_trapped(long nr, long a[6], ucontext_t *uc)
{
	uint64_t m;

	switch (nr) {
	case SYS_rt_sigreturn:
		/* Through glibc's restorer: round through the gate. */
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)hj_restorer;
		return SYS_rt_sigreturn;
	case SYS_rt_sigaction:
		return hj_sigaction(a);
	case SYS_rt_sigprocmask:
		return hj_host(nr, a[0], (long)hj_mask_nosys((void *)a[1], &m),
		    a[2], a[3], 0, 0);
	case SYS_rt_sigsuspend:
		return hj_host(nr, (long)hj_mask_nosys((void *)a[0], &m), a[1],
		    0, 0, 0, 0);
	case SYS_epoll_pwait:
	case SYS_epoll_pwait2:
		return hj_host(nr, a[0], a[1], a[2], a[3],
		    (long)hj_mask_nosys((void *)a[4], &m), a[5]);
	case SYS_clone:
	case SYS_clone3:
	case SYS_fork:
	case SYS_vfork:
		return hj_clone(nr, a, uc);
	case SYS_sigaltstack:
		return hj_sigaltstack((const stack_t *)a[0], (stack_t *)a[1]);
	case SYS_exit_group:
		hj_kernel_halt();
		return hj_host1(nr, a[0]);
	default:
		return hj_dispatch(nr, a, uc);
	}
}

static void
hj_sigsys(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;
	long a[6], nr;
	int saved = errno;

	(void)sig;
	hj_sel = SEL_ALLOW;
	if (si->si_code != SYS_USER_DISPATCH) {
		/* Not ours (seccomp, kill): the program's handler, if any. */
		if (hj_app_sigsys.handler != SIG_DFL &&
		    hj_app_sigsys.handler != SIG_IGN)
			((void (*)(int, siginfo_t *, void *))
			    hj_app_sigsys.handler)(SIGSYS, si, ucv);
		goto out;
	}
	nr = g[REG_RAX];
	a[0] = g[REG_RDI];
	a[1] = g[REG_RSI];
	a[2] = g[REG_RDX];
	a[3] = g[REG_R10];
	a[4] = g[REG_R8];
	a[5] = g[REG_R9];
	g[REG_RAX] = hj_trapped(nr, a, uc);
 out:
	errno = saved;
	if (hj_trapping)
		hj_sel = SEL_BLOCK;
}

int
hj_trap_init(void)
{
	struct ksigaction act;
	long r;

	memset(&act, 0, sizeof(act));
	act.handler = (void *)hj_sigsys;
	act.flags = SA_SIGINFO | SA_RESTORER_FLAG | SA_NODEFER | SA_ONSTACK;
	act.restorer = hj_restorer;
	act.mask = ~SIGBIT(SIGSYS);
	r = hj_host(SYS_rt_sigaction, SIGSYS, (long)&act, 0, 8, 0, 0);
	if (r < 0)
		return (int)-r;
	return hj_trap_thread();
}

/*
 * The program's own thread and process creation, interposed: the real
 * call runs untrapped, and the new thread traps from its first line.
 */
struct hj_start {
	void *(*fn)(void *);
	void *arg;
};

static void *
hj_thread_start(void *v)
{
	struct hj_start s = *(struct hj_start *)v;

	free(v);
	if (hj_trap_thread() != 0)
		hj_die("rumphijack: a new thread cannot trap its system calls");
	hj_block();
	return s.fn(s.arg);
}

int
pthread_create(pthread_t *t, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg)
{
	static int (*real)(pthread_t *, const pthread_attr_t *,
	    void *(*)(void *), void *);
	struct hj_start *s;
	bool ours = hj_allowed();
	int error;

	hj_allow();
	if (real == NULL)
		real = (int (*)(pthread_t *, const pthread_attr_t *,
		    void *(*)(void *), void *))(uintptr_t)dlsym(RTLD_NEXT,
		    "pthread_create");
	if (ours || !hj_trapping) {
		/* The kernel's or libc's own thread: not trapped. */
		error = real(t, attr, fn, arg);
		goto out;
	}
	if ((s = malloc(sizeof(*s))) == NULL) {
		error = EAGAIN;
		goto out;
	}
	s->fn = fn;
	s->arg = arg;
	error = real(t, attr, hj_thread_start, s);
	if (error != 0)
		free(s);
 out:
	if (!ours)
		hj_block();
	return error;
}

pid_t
fork(void)
{
	bool ours = hj_allowed();
	pid_t pid;

	hj_allow();
	pid = hj_fork();
	if (!ours)
		hj_block();
	return pid;
}

pid_t
vfork(void)
{

	return fork();
}
