/*
 * component.h: link-time composition of a rump kernel.
 *
 * Each component (a faction such as vfs, a driver such as tmpfs) declares
 * itself with RUMP_COMPONENT.  A constructor registers the declaration
 * when the component's object is loaded (linked statically or as a shared
 * library, or dlopen()ed before rump_init), so rump_init() finds exactly
 * the components that were linked, and initialises them after those they
 * depend on.  rc_deps is a comma-separated list of component names.
 *
 * The registry is written by constructors before rump_init runs and read
 * by rump_init and the halt path; it is not otherwise locked.
 */
#ifndef _SYS_COMPONENT_H_
#define _SYS_COMPONENT_H_

#include <sys/types.h>

struct rump_component {
	const char *rc_name;		/* c */
	const char *rc_deps;		/* c: "vfs,dev" or "" */
	int (*rc_init)(void);		/* c: 0 or an errno */
	void (*rc_fini)(void);		/* c: undoes rc_init, may be NULL */
	struct rump_component *rc_next;	/* registry */
	int rc_state;			/* registry: RC_* */
};
#define RC_REGISTERED 0
#define RC_INITING 1
#define RC_INITED 2

void rump_component_register(struct rump_component *);
/* Is the named component initialised in the running kernel? */
bool rump_component_present(const char *);

#define RUMP_COMPONENT(cname, deps, initfn, finifn) \
	static struct rump_component __CONCAT(rump_component_, cname) = { \
		.rc_name = #cname, \
		.rc_deps = deps, \
		.rc_init = initfn, \
		.rc_fini = finifn, \
	}; \
	static void __constructor __used \
	__CONCAT(rump_component_register_, cname)(void) \
	{ \
		rump_component_register(&__CONCAT(rump_component_, cname)); \
	}

#endif /* _SYS_COMPONENT_H_ */
