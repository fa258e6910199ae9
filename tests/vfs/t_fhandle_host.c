/*
 * t_fhandle_host.c: t_fhandle.c run against the host kernel (see
 * vfs_test.h), to prove that what it expects is what Linux does.
 */
#define HOST_MODE 1
#include "t_fhandle.c"
