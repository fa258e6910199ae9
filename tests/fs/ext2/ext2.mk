# Tests of the ext2/3/4 driver (librumpfs_ext2) with the real tools:
# mke2fs, e2fsck, debugfs and the host kernel's loop mount (root).
#
# t_ext2_read     images made by mke2fs, trees written by the host kernel,
#                 debugfs and mke2fs -d, read back through our driver
# t_ext2_model    random operations through our driver against a model;
#                 then e2fsck -fn and the host's mount must agree
#                 (E3_SEEDS=N, E3_SEED=S, E3_STEPS=N, E3_LONG=1)
# t_ext2_corrupt  a corpus of mutated images, each mounted and walked: no
#                 crash, no hang, only the accepted errors
#                 (E3_CORRUPT_N=N mutations per image)
# t_ext2_fhandle  file handles on real images: the host's own handles,
#                 reused and free inode numbers, unlinked open files
# t_ext2_xattr    extended attributes: the host's read by us, ours read
#                 by the host and e2fsck, corrupt attribute areas
#
# Each is built twice (ext2_test.h): t_ext2_X runs in make test with the
# tests that pass; t_ext2_X_pending holds the tests that wait for the
# driver (EXT2_PENDING_TESTS, run by `make ext2-pending`, never by make
# test).  Nothing here is built before the driver's fragment
# (sys/fs/ext2/ext2.mk) defines librumpfs_ext2.
#
# make fuzz (fuzz/ext2/fuzz.mk) builds the libFuzzer target.

EXT2_TESTS := t_ext2_read t_ext2_model t_ext2_corrupt t_ext2_fhandle \
    t_ext2_xattr
EXT2_TEST_LIBS := rumpfs_ext2 rumpfs_tmpfs rumpvfs rump rumpuser

ifneq ($(filter rumpfs_ext2,$(KERNLIBS)),)
TESTPROGS += $(EXT2_TESTS)
$(foreach t,$(EXT2_TESTS),$(eval $(t)_SRCS := tests/fs/ext2/$(t).c))
$(foreach t,$(EXT2_TESTS),$(eval $(t)_LIBS := $(EXT2_TEST_LIBS)))
$(foreach t,$(EXT2_TESTS),$(eval $(t)_PKGS := check))

# The pending variants: built like test programs, but not in TESTPROGS.
EXT2_PENDING_TESTS := \
    $(addprefix $(BUILD)/tests/,$(addsuffix _pending,$(EXT2_TESTS)))
$(BUILD)/obj/tests/fs/ext2/%_pending.o: EXTRA_CFLAGS = $(call pkg_cflags,check)
$(BUILD)/tests/t_ext2_%_pending: $(BUILD)/obj/tests/fs/ext2/t_ext2_%_pending.o \
    $(foreach l,$(EXT2_TEST_LIBS),$(BUILD)/lib/lib$(l).a)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) -o $@ $< $(call static_libs,$(EXT2_TEST_LIBS)) \
	    $(call pkg_libs,check) -lpthread

.PHONY: ext2-pending
ext2-pending: $(EXT2_PENDING_TESTS)
	sh tests/run.sh $(EXT2_PENDING_TESTS)
endif

-include fuzz/ext2/fuzz.mk
