/*
 * t_ext2_xattr_pending.c: the tests of t_ext2_xattr.c that wait for
 * the driver (ext2_test.h, E3TEST_PENDING).
 */
#define E3_PENDING 1
#include "t_ext2_xattr.c"
