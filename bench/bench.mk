# bench.mk: make bench, the benchmarks of the kernel base (docs/bench.md).
#
# The programs are built in $(BUILD)/bench, not installed, and linked
# statically with the kernel like the tests.  They are built with the
# tree's flags: OPT (default -O2 -g) and DIAGNOSTIC (default 1, KASSERTs
# and the lock-order checker on); `make bench DIAGNOSTIC=0
# BUILD=build-release' measures a release kernel.  The run prints medians
# and ratios against peers measured in the same run and never fails on
# time.  BENCH_BOOTS=n sets the number of fresh processes (default 200).

BENCHDIR := $(BUILD)/bench
BENCH_LIBS := rump rumpuser
BENCHPROGS := $(BENCHDIR)/boot_once $(BENCHDIR)/bench_main

$(BENCHPROGS): $(BENCHDIR)/%: $(BUILD)/obj/bench/%.o $(BUILD)/lib/librump.a \
    $(BUILD)/lib/librumpuser.a
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) -o $@ $< $(call static_libs,$(BENCH_LIBS)) \
	    -lpthread

.PHONY: bench
bench: $(BENCHPROGS)
	@echo "make bench: CC=$(CC) OPT=$(OPT) DIAGNOSTIC=$(DIAGNOSTIC)" \
	    "SANITIZE=$(if $(SANITIZE),$(SANITIZE),none)" \
	    "RUMP_NCPU=$${RUMP_NCPU:-host CPUs}, $$(nproc) host CPUs"
	$(BENCHDIR)/bench_main $(BENCHDIR)/boot_once
