# install.mk: make install PREFIX=/usr/local DESTDIR=
#
# Headers go to include/rump, libraries (static and shared) to lib,
# programs to bin, and a pkg-config file per library to lib/pkgconfig.
# Test components are not installed.
#
# What pkg-config prints for a library keeps it in the program even when
# nothing calls it by name (a component announces itself through a
# constructor): each library is one token that turns off --as-needed and
# takes the whole archive, then restores the linker's state.

INSTALL ?= install
LIBDIR_INST := $(DESTDIR)$(PREFIX)/lib
INSTALL_KERNLIBS := $(filter-out rumpkern_ktest_%,$(KERNLIBS))
INSTALL_LIBS := $(INSTALL_KERNLIBS) $(HOSTLIBS)
PUBLIC_HEADERS := $(wildcard include/rump/*.h) $(GEN)/include/rump/rump_syscalls.h
PC_VERSION := 0.1.0

rump_PC_DESC := Anykernel rump kernel base with the POSIX hypercalls
rump_PC_LIBS := rump rumpuser
rump_PC_REQUIRES :=
rumpuser_PC_DESC := Anykernel hypercalls for POSIX hosts
rumpuser_PC_LIBS := rumpuser

pc_libtokens = $(foreach l,$(1),-Wl,--push-state,--no-as-needed,--whole-archive,-l$(l),--pop-state)

define PC_template
$(BUILD)/pkgconfig/$(1).pc: Makefile mk/install.mk
	@mkdir -p $$(@D)
	@{ echo 'prefix=$(PREFIX)'; \
	  echo 'libdir=$$$${prefix}/lib'; \
	  echo 'includedir=$$$${prefix}/include'; \
	  echo ''; \
	  echo 'Name: $(1)'; \
	  echo 'Description: $($(1)_PC_DESC)'; \
	  echo 'Version: $(PC_VERSION)'; \
	  echo 'Requires: $($(1)_PC_REQUIRES)'; \
	  echo 'Cflags: -I$$$${includedir}'; \
	  echo 'Libs: -L$$$${libdir} $(call pc_libtokens,$($(1)_PC_LIBS)) -lpthread'; \
	} >$$@
PC_FILES += $(BUILD)/pkgconfig/$(1).pc
endef
$(foreach l,$(filter-out rumpkern_ktest_%,$(INSTALL_LIBS)),$(if $($(l)_PC_LIBS),$(eval $(call PC_template,$(l)))))

.PHONY: install pkgconfig
pkgconfig: $(PC_FILES)

install: all $(PC_FILES)
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/include/rump $(LIBDIR_INST)/pkgconfig \
	    $(DESTDIR)$(PREFIX)/bin
	$(INSTALL) -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(PREFIX)/include/rump/
	$(INSTALL) -m 644 $(foreach l,$(INSTALL_LIBS),$(LIBDIR)/lib$(l).a) $(LIBDIR_INST)/
	$(INSTALL) -m 755 $(foreach l,$(INSTALL_LIBS),$(LIBDIR)/lib$(l).so) $(LIBDIR_INST)/
	$(INSTALL) -m 644 $(PC_FILES) $(LIBDIR_INST)/pkgconfig/
	$(if $(PROGS_BUILT),$(INSTALL) -m 755 $(PROGS_BUILT) $(DESTDIR)$(PREFIX)/bin/)
