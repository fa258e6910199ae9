# Tests of rumpfuse (cmd/rumpfuse), run by make test (mk/test.mk runs
# tests/fuse/rumpfuse_test.sh, the basic one):
#
# rumpfuse_posix_test.sh: the POSIX suites of tests/vfs, in their host
# variants (t_*_host), run through an ext4 image served by rumpfuse; the
# cases known to fail through FUSE are listed in it with their reasons.
# rumpfuse_corrupt_test.sh: images corrupted in known places are refused
# with a message, mounted read-only, or give EUCLEAN/EIO on the broken
# path while the rest stays served.
TEST_SCRIPTS += tests/fuse/rumpfuse_posix_test.sh \
	tests/fuse/rumpfuse_corrupt_test.sh
