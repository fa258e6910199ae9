# test.mk: make test, make check-namespace, make demo.
#
# make test installs the Debian packages the tests need (when run as root
# on a system with apt-get and they are missing), then builds and runs
# everything three times: with gcc, warnings as errors; with clang,
# warnings as errors; with AddressSanitizer and UndefinedBehaviorSanitizer.
# tests/run.sh prints the closing "N passed, N failed" over all three.

TEST_DEBS := check pkg-config gcc clang make binutils e2fsprogs dosfstools attr \
	mtools libfuse3-dev fuse3
KERNLIBS_CHECKED = $(KERNLIBS)
TEST_SCRIPTS += tests/build/check_namespace_test.sh \
	tests/build/install_test.sh tests/build/demo_test.sh \
	tests/kern/gensyscalls_test.sh \
	tests/fuse/rumpfuse_test.sh
TEST_BUILDS := build-test build-clang build-asan
# The clash test defines its own malloc and free, which cannot work with
# the sanitizers' own allocator: it runs in the other two builds.
ASAN_SKIP := t_clash_static t_clash_shared

.PHONY: test test-deps check-namespace demo

test-deps:
	@sh tools/install-deps.sh $(TEST_DEBS)

test: test-deps
	$(MAKE) -j2 WERROR=1 BUILD=build-test all tests
	$(MAKE) -j2 WERROR=1 CC=clang BUILD=build-clang all tests
	$(MAKE) -j2 SANITIZE=address,undefined BUILD=build-asan all tests
	$(MAKE) -j2 all
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    sh tests/run.sh $(foreach b,$(TEST_BUILDS),$(addprefix $(b)/tests/,$(if $(filter build-asan,$(b)),$(filter-out $(ASAN_SKIP),$(TESTPROGS)),$(TESTPROGS)))) \
	    $(TEST_SCRIPTS)

check-namespace: libs
	sh tools/check-namespace.sh $(LIBDIR) $(KERNLIBS_CHECKED)

# rumpfuse only where libfuse3's development files are (the demo's FUSE
# part says it skipped otherwise).
DEMO_FUSE := $(if $(shell $(PKG_CONFIG) --exists fuse3 2>/dev/null && echo y),$(BINDIR)/rumpfuse)
demo: $(BINDIR)/rump_demo $(LIBDIR)/librumphijack.so $(DEMO_FUSE)
	$(BINDIR)/rump_demo
	sh tools/demo-hijack.sh $(BUILD)
	sh tools/demo-fuse.sh $(BUILD)
