# ext2.mk: the ext2 benchmark of make bench (bench/ext2_bench.sh): untar
# about 9,000 files and 120 MB into a fresh 1 GiB ext2 image through our
# driver in-process (bench/ext2_untar.c) and through the host kernel on a
# loop mount, in the same run, printed as a ratio.  Needs root (skipped
# otherwise); `make bench-ext2' runs it alone.  Built only with the
# driver (sys/fs/ext2/ext2.mk).

ifneq ($(filter rumpfs_ext2,$(KERNLIBS)),)
EXT2_BENCH_LIBS := rumpfs_ext2 rumpfs_tmpfs rumpvfs rump rumpuser

$(BENCHDIR)/ext2_untar: $(BUILD)/obj/bench/ext2_untar.o \
    $(foreach l,$(EXT2_BENCH_LIBS),$(BUILD)/lib/lib$(l).a)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) -o $@ $< $(call static_libs,$(EXT2_BENCH_LIBS)) \
	    -lpthread

.PHONY: bench-ext2
bench-ext2: $(BENCHDIR)/ext2_untar
	sh bench/ext2_bench.sh $(BENCHDIR)/ext2_untar $(BENCHDIR)

bench: bench-ext2
endif
