# hijack.mk: the test of librumphijack.so (tests/hijack/hijack_test.sh):
# unmodified Debian programs (coreutils, tar, python3, git, make, cc) on
# an ext4 image through the hijack, remote (rump_server) and in-process,
# against the same commands on a host copy; e2fsck -fn and, as root, a
# loop mount check the images afterwards.  About a minute; needs
# mke2fs, e2fsck.  `make test-hijack' runs it alone (BUILD=build-x for
# another build; HIJACK_TEST_BIG=0 leaves out the 1 GiB copy).
TEST_SCRIPTS += tests/hijack/hijack_test.sh

.PHONY: test-hijack
test-hijack: all
	BUILD=$(BUILD) sh tests/hijack/hijack_test.sh
