/*
 * kern_component.c: the registry of linked components and their
 * initialisation in dependency order.
 *
 * Constructors put each component on the registry list when its object is
 * loaded (component.h).  At boot, component_init_all() initialises every
 * registered component after the ones named in its rc_deps, depth first;
 * a dependency that is not linked, or a cycle, fails the boot with a
 * message naming the component.  At halt, components are finalised in
 * the reverse order of their initialisation.
 *
 * Locking: none; boot and halt run single-threaded in the kernel.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/component.h>

#include "kern_private.h"

#define COMPONENT_MAX 64
#define COMPONENT_NAMEMAX 32

static struct rump_component *component_list;
static struct rump_component *component_order[COMPONENT_MAX];
static unsigned int component_ninit;

void
rump_component_register(struct rump_component *rc)
{
	struct rump_component *o;

	for (o = component_list; o != NULL; o = o->rc_next)
		if (o == rc || strcmp(o->rc_name, rc->rc_name) == 0)
			return;		/* loaded twice: keep the first */
	rc->rc_state = RC_REGISTERED;
	rc->rc_next = component_list;
	component_list = rc;
}

static struct rump_component *
component_find(const char *name, size_t len)
{
	struct rump_component *rc;

	for (rc = component_list; rc != NULL; rc = rc->rc_next)
		if (strlen(rc->rc_name) == len &&
		    strncmp(rc->rc_name, name, len) == 0)
			return rc;
	return NULL;
}

bool
rump_component_present(const char *name)
{
	struct rump_component *rc = component_find(name, strlen(name));

	return rc != NULL && rc->rc_state == RC_INITED;
}

static int component_init(struct rump_component *);

/* Initialise every component named in rc's dependency list. */
static int
component_init_deps(struct rump_component *rc)
{
	const char *p = rc->rc_deps, *end;
	struct rump_component *dep;
	int error;

	while (p != NULL && *p != '\0') {
		for (end = p; *end != '\0' && *end != ','; end++)
			continue;
		if (end > p) {
			dep = component_find(p, (size_t)(end - p));
			if (dep == NULL) {
				printf("rump: component %s needs %.*s, which "
				    "is not linked\n", rc->rc_name,
				    (int)(end - p), p);
				return ENOENT;
			}
			if ((error = component_init(dep)) != 0)
				return error;
		}
		p = *end == ',' ? end + 1 : end;
	}
	return 0;
}

static int
component_init(struct rump_component *rc)
{
	int error;

	if (rc->rc_state == RC_INITED)
		return 0;
	if (rc->rc_state == RC_INITING) {
		printf("rump: component %s depends on itself\n", rc->rc_name);
		return ELOOP;
	}
	if (component_ninit == COMPONENT_MAX) {
		printf("rump: too many components\n");
		return ENOSPC;
	}
	rc->rc_state = RC_INITING;
	if ((error = component_init_deps(rc)) != 0) {
		rc->rc_state = RC_REGISTERED;
		return error;
	}
	error = rc->rc_init != NULL ? rc->rc_init() : 0;
	if (error) {
		printf("rump: component %s failed to initialise: error %d\n",
		    rc->rc_name, error);
		rc->rc_state = RC_REGISTERED;
		return error;
	}
	aprint_verbose("rump: component %s\n", rc->rc_name);
	rc->rc_state = RC_INITED;
	component_order[component_ninit++] = rc;
	return 0;
}

int
component_init_all(void)
{
	struct rump_component *rc;
	int error;

	component_ninit = 0;
	for (rc = component_list; rc != NULL; rc = rc->rc_next)
		rc->rc_state = RC_REGISTERED;
	for (rc = component_list; rc != NULL; rc = rc->rc_next) {
		if ((error = component_init(rc)) != 0) {
			component_fini_all();
			return error;
		}
	}
	return 0;
}

void
component_fini_all(void)
{
	struct rump_component *rc;

	while (component_ninit > 0) {
		rc = component_order[--component_ninit];
		if (rc->rc_fini != NULL)
			rc->rc_fini();
		rc->rc_state = RC_REGISTERED;
	}
}
