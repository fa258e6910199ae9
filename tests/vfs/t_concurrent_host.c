/*
 * t_concurrent_host.c: t_concurrent.c run against the host kernel (see
 * vfs_test.h): a check of the test itself.
 */
#define HOST_MODE 1
#include "t_concurrent.c"
