/* t_clash.c, linked with the shared kernel libraries. */
#define CLASH_SHARED
#include "t_clash.c"
