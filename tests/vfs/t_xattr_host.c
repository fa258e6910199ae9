/*
 * t_xattr_host.c: t_xattr.c run against the host kernel (see
 * vfs_test.h), to prove that what it expects is what Linux does.
 */
#define HOST_MODE 1
#include "t_xattr.c"
