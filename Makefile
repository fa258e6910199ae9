# Anykernel: the top-level Makefile.  Non-recursive: each library, program
# and test directory contributes a small fragment (sys/kern/kern.mk,
# platform/posix/posix.mk, tests/*/*.mk, ...) that lists its sources and
# dependencies; mk/rules.mk turns them into rules.
#
#   make                 build libraries and programs into build/
#   make test            install what the tests need (Debian), build with
#                        warnings as errors and run every test
#   make bench           run the benchmarks (bench/)
#   make install PREFIX=/usr/local DESTDIR=
#   make clean

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

include mk/config.mk

include sys/kern/kern.mk
include platform/posix/posix.mk
-include $(sort $(wildcard cmd/*/*.mk))
-include $(sort $(wildcard lib/*/*.mk))
include sys/vfs/vfs.mk
-include $(sort $(wildcard sys/fs/*/*.mk))
-include $(sort $(wildcard tests/*/*.mk))
-include $(sort $(wildcard bench/*.mk))

include mk/syscalls.mk
include mk/rules.mk
-include mk/install.mk
-include mk/test.mk

.PHONY: all libs progs tests clean
all: libs progs
libs: $(LIBS_BUILT)
progs: $(PROGS_BUILT)
tests: $(TESTS_BUILT)

clean:
	rm -rf $(BUILD) build-*

print-%:
	@echo $($*)
