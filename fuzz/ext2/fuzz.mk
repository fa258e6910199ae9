# fuzz.mk: make fuzz, the libFuzzer target over the ext2 driver's
# mount-and-walk path (fuzz/ext2/fuzz_ext2.c).  Included by
# tests/fs/ext2/ext2.mk.
#
# make fuzz builds, when $(FUZZ_CC) (default clang) supports
# -fsanitize=fuzzer, the whole tree again in $(FUZZ_BUILD) (default
# build-fuzz) with -fsanitize=fuzzer-no-link,address (so that the
# driver's code is instrumented for coverage), links
# $(FUZZ_BUILD)/fuzz/fuzz_ext2 and makes seed images in
# $(FUZZ_BUILD)/fuzz/ext2-seeds.  make fuzz-run then runs it for
# FUZZ_TIME seconds (default 60) over a corpus in
# $(FUZZ_BUILD)/fuzz/ext2-corpus, crashes written to the current
# directory.  The sample images of t_ext2_corrupt make good seeds too
# (E3_CORPUS_DIR=dir E3_CORRUPT_N=0 build/tests/t_ext2_corrupt).
FUZZ_CC ?= clang
FUZZ_BUILD ?= build-fuzz
FUZZ_TIME ?= 60
FUZZ_LIBS := rumpfs_ext2 rumpfs_tmpfs rumpvfs rump rumpuser

.PHONY: fuzz fuzz-run fuzz-ext2-build
FUZZ_PROBE := int LLVMFuzzerTestOneInput(const unsigned char *d, \
    unsigned long n) { (void)d; (void)n; return 0; }

fuzz:
	@if echo '$(FUZZ_PROBE)' | \
	    $(FUZZ_CC) -fsanitize=fuzzer -x c - -o /dev/null 2>/dev/null; then \
		$(MAKE) -j2 BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
		    SANITIZE=fuzzer-no-link,address \
		    OPT="-O1 -g -fno-sanitize-coverage=stack-depth" \
		    fuzz-ext2-build; \
	else \
		echo "make fuzz: no -fsanitize=fuzzer in $(FUZZ_CC): skipped"; \
	fi

fuzz-run: fuzz
	mkdir -p $(FUZZ_BUILD)/fuzz/ext2-corpus
	$(FUZZ_BUILD)/fuzz/fuzz_ext2 -max_len=4194304 -timeout=10 \
	    -rss_limit_mb=4096 -max_total_time=$(FUZZ_TIME) \
	    $(FUZZ_BUILD)/fuzz/ext2-corpus $(FUZZ_BUILD)/fuzz/ext2-seeds

fuzz-ext2-build: $(BUILD)/fuzz/fuzz_ext2 $(BUILD)/fuzz/ext2-seeds/.done

$(BUILD)/fuzz/fuzz_ext2: $(BUILD)/obj/fuzz/ext2/fuzz_ext2.o \
    $(foreach l,$(FUZZ_LIBS),$(BUILD)/lib/lib$(l).a)
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(call static_libs,$(FUZZ_LIBS)) -lpthread

$(BUILD)/fuzz/ext2-seeds/.done: fuzz/ext2/fuzz.mk
	@mkdir -p $(@D)
	set -e; for t in ext2 ext3 ext4; do \
		f=$(@D)/$$t.img; rm -f $$f; truncate -s 512K $$f; \
		mke2fs -F -q -t $$t -N 64 $$f; \
		debugfs -w -R "mkdir d" $$f >/dev/null 2>&1; \
		debugfs -w -R "symlink d/l ../target" $$f >/dev/null 2>&1; \
		debugfs -w -R "write fuzz/ext2/fuzz.mk d/f" $$f \
		    >/dev/null 2>&1; \
		head -c 600 fuzz/ext2/fuzz.mk >$(@D)/v600; \
		debugfs -w -R "ea_set d/f user.small hello" $$f \
		    >/dev/null 2>&1; \
		debugfs -w -R "ea_set -f $(@D)/v600 d/f user.big" $$f \
		    >/dev/null 2>&1; \
		debugfs -w -R "ea_set d trusted.dir x" $$f >/dev/null 2>&1; \
	done; rm -f $(@D)/v600
	touch $@
