/*
 * rumpuser_mem.c: memory for the kernel, from the host's allocator.
 */

#include <stdlib.h>

#include "rumpuser_int.h"

int
rumpuser_malloc(size_t len, int alignment, void **memp)
{
	void *mem;

	if (alignment > (int)sizeof(void *)) {
		if (posix_memalign(&mem, (size_t)alignment, len) != 0)
			return ENOMEM;
	} else if ((mem = malloc(len)) == NULL)
		return ENOMEM;
	*memp = mem;
	return 0;
}

void
rumpuser_free(void *mem, size_t len)
{

	(void)len;
	free(mem);
}
