# Tests of the VFS faction against the tmpfs root.
#
# t_vfs, t_rename, t_perm, t_attr, t_fhandle, t_rlimit, t_xattr: the
# semantics suite, one behaviour per test.  Each is also built as t_*_host from the
# same source with HOST_MODE (tests/vfs/vfs_test.h): the same expectations run against
# the host kernel in a private tmpfs, which proves they are Linux's (it
# needs root, as make test runs).
# t_diff: the differential test, the same random calls against the host
# (a directory in /dev/shm) and the rump kernel; T_DIFF_SEEDS=N for more.
# t_concurrent: threads creating, renaming and unlinking in one directory
# (t_concurrent_host: the same on the host kernel, a check of the test).
VFS_TEST_LIBS := rumpfs_tmpfs rumpvfs rump rumpuser

VFS_SEMANTICS := t_vfs t_rename t_perm t_attr t_fhandle t_rlimit t_xattr
TESTPROGS += $(VFS_SEMANTICS) $(addsuffix _host,$(VFS_SEMANTICS))
$(foreach t,$(VFS_SEMANTICS),$(eval $(t)_SRCS := tests/vfs/$(t).c))
$(foreach t,$(VFS_SEMANTICS),$(eval $(t)_LIBS := $(VFS_TEST_LIBS)))
$(foreach t,$(VFS_SEMANTICS),$(eval $(t)_PKGS := check))
$(foreach t,$(VFS_SEMANTICS),$(eval $(t)_host_SRCS := tests/vfs/$(t)_host.c))
$(foreach t,$(VFS_SEMANTICS),$(eval $(t)_host_PKGS := check))

TESTPROGS += t_diff
t_diff_SRCS := tests/vfs/t_diff.c
t_diff_LIBS := $(VFS_TEST_LIBS)
t_diff_PKGS := check

TESTPROGS += t_concurrent
t_concurrent_SRCS := tests/vfs/t_concurrent.c
t_concurrent_LIBS := $(VFS_TEST_LIBS)
t_concurrent_PKGS := check
TESTPROGS += t_concurrent_host
t_concurrent_host_SRCS := tests/vfs/t_concurrent_host.c
t_concurrent_host_PKGS := check
