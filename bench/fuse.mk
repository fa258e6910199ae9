# fuse.mk: the FUSE benchmark of make bench (bench/fuse_bench.sh): untar
# the ext2 benchmark's tree into a fresh 1 GiB ext2 image through rumpfuse,
# fuse2fs and the host kernel's loop mount, and copy the same tree into an
# image with fsu put and with e2tools (e2mkdir, e2cp), in the same run,
# printed as medians and ratios.  Needs root, /dev/fuse, fuse2fs and
# e2tools (skipped otherwise); `make bench-fuse' runs it alone,
# BENCH_FUSE_RUNS=n sets the rounds (default 5).  Built only with the
# ext2 driver and libfuse3 (rumpfuse).

ifneq ($(filter rumpfs_ext2,$(KERNLIBS)),)
.PHONY: bench-fuse
bench-fuse: $(BUILD)/bin/rumpfuse $(BUILD)/bin/fsu
	sh bench/fuse_bench.sh $(BUILD)/bin/rumpfuse $(BUILD)/bin/fsu \
	    $(BENCHDIR)

bench: bench-fuse
endif
