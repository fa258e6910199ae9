# config.mk: tools and flags.  Override on the command line:
#   make CC=clang            another compiler
#   make WERROR=1            warnings are errors (what `make test' uses)
#   make SANITIZE=address,undefined BUILD=build-asan
#   make DIAGNOSTIC=0        compile KASSERTs away (release build)

BUILD ?= build
PREFIX ?= /usr/local
DESTDIR ?=
OPT ?= -O2 -g
WERROR ?= 0
DIAGNOSTIC ?= 1
SANITIZE ?=

AR ?= ar
LD ?= ld
NM ?= nm
OBJCOPY ?= objcopy
AWK ?= awk
PKG_CONFIG ?= pkg-config

ifeq ($(origin CC),default)
CC := cc
endif

# Which compiler is it?  gcc needs one more flag to keep it from turning
# the kernel's own memset/memcpy loops into calls to themselves.
CC_IS_GCC := $(shell $(CC) --version 2>/dev/null | grep -qi 'free software foundation' && echo 1)

WARN := -Wall -Wextra
ifeq ($(WERROR),1)
WARN += -Werror
endif

ifneq ($(SANITIZE),)
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

COMMON_CFLAGS := -std=gnu11 -fPIC $(OPT) $(WARN) $(SANFLAGS) -MMD -MP
GEN := $(BUILD)/gen

# Kernel code: freestanding, the kernel's own headers only (DESIGN.md
# section 2).  No host header is reachable from here.
KERN_CFLAGS := $(COMMON_CFLAGS) -ffreestanding -nostdinc -fno-common \
	-fno-stack-protector -fno-strict-aliasing -D_KERNEL \
	-Isys -I$(GEN)/sys -Iinclude -I$(GEN)/include
ifeq ($(DIAGNOSTIC),1)
KERN_CFLAGS += -DDIAGNOSTIC
endif
ifeq ($(CC_IS_GCC),1)
KERN_CFLAGS += -fno-tree-loop-distribute-patterns
endif

# Host code: the platform, client libraries, programs, tests.
HOST_CFLAGS := $(COMMON_CFLAGS) -D_GNU_SOURCE -Iinclude -I$(GEN)/include
HOST_LDFLAGS := $(SANFLAGS)
