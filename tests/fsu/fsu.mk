# fsu's tests: a script (run from the source tree by make test, with the
# default build directory's fsu; BUILD=build-x sh tests/fsu/fsu_test.sh
# for another) that uses mke2fs, e2fsck and, as root, a loop mount.
TEST_SCRIPTS += tests/fsu/fsu_test.sh
