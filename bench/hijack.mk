# hijack.mk: the hijack benchmark of make bench (bench/hijack_bench.sh):
# `tar -xf' of the benchmark tree (about 9,000 files, 120 MB; the ext2
# benchmark's tarball) into a fresh 1 GiB ext2 image through
# librumphijack.so in-process (RUMPHIJACK=image=...), against the host
# kernel on a loop mount of the same kind of image, alternately in the
# same run, printed as a ratio.  Needs root (skipped otherwise) and the
# library (skipped without it); `make bench-hijack' runs it alone.

ifneq ($(filter rumpfs_ext2,$(KERNLIBS)),)
.PHONY: bench-hijack
bench-hijack: all
	sh bench/hijack_bench.sh $(BUILD)/lib/librumphijack.so $(BENCHDIR)

bench: bench-hijack
endif
