# rules.mk: turns the fragments' variables into rules.
#
# A fragment (sys/kern/kern.mk, platform/posix/posix.mk, ...) says:
#   KERNLIBS += rumpvfs            a kernel library (freestanding, renamed)
#   rumpvfs_SRCS := sys/vfs/a.c    its sources
#   rumpvfs_DEPS := rump           kernel libraries it needs
#   HOSTLIBS += rumpuser           a host library (the platform, clients)
#   rumpuser_LDLIBS := -lpthread
#   PROGS += rump_server           a program, installed in bin/
#   TESTPROGS += t_init            a test program, built in $(BUILD)/tests
#   t_init_SRCS, t_init_LIBS := rump rumpuser (our libraries, top first),
#   t_init_LDLIBS, t_init_PKGS := check (pkg-config packages),
#   t_init_LINK := shared (default: static)
#
# Every kernel library is linked into one relocatable object whose global
# symbols outside the rump namespace are renamed with a rumpns_ prefix
# (tools/rumpns.sh), then archived (lib*.a) and linked (lib*.so).

OBJDIR := $(BUILD)/obj
LIBDIR := $(BUILD)/lib
BINDIR := $(BUILD)/bin
TESTDIR := $(BUILD)/tests

objs_of = $(patsubst %.c,$(OBJDIR)/%.o,$(1))

$(OBJDIR)/sys/%.o: sys/%.c | $(GEN_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(KERN_CFLAGS) -c $< -o $@

$(OBJDIR)/gen/sys/%.o: $(GEN)/sys/%.c | $(GEN_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(KERN_CFLAGS) -c $< -o $@

# Kernel-side test components are kernel code too.
$(OBJDIR)/tests/%.k.o: tests/%.k.c | $(GEN_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(KERN_CFLAGS) -c $< -o $@

$(OBJDIR)/%.o: %.c | $(GEN_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(CFLAGS_$(notdir $(basename $<))) $(EXTRA_CFLAGS) -c $< -o $@

kobjs_of = $(patsubst %.c,$(OBJDIR)/%.o,$(patsubst %.k.c,$(OBJDIR)/%.k.o,$(patsubst $(GEN)/%.c,$(OBJDIR)/gen/%.o,$(1))))

define KERNLIB_template
$(1)_OBJS := $$(call kobjs_of,$$($(1)_SRCS))
$(OBJDIR)/lib$(1).ro: $$($(1)_OBJS) tools/rumpns.sh
	@mkdir -p $$(@D)
	$$(LD) -r -o $$@.tmp $$($(1)_OBJS)
	NM=$$(NM) OBJCOPY=$$(OBJCOPY) sh tools/rumpns.sh $$@.tmp
	mv $$@.tmp $$@
$(LIBDIR)/lib$(1).a: $(OBJDIR)/lib$(1).ro
	@mkdir -p $$(@D)
	rm -f $$@ && cp $$< $(OBJDIR)/lib$(1).o && $$(AR) rcs $$@ $(OBJDIR)/lib$(1).o
$(LIBDIR)/lib$(1).so: $(OBJDIR)/lib$(1).ro mk/kernel.map $$(foreach d,$$($(1)_DEPS),$(LIBDIR)/lib$$(d).so)
	@mkdir -p $$(@D)
	$$(CC) -shared -nostdlib $$(HOST_LDFLAGS) -Wl,-soname,lib$(1).so \
	    -Wl,--version-script=mk/kernel.map -o $$@ $(OBJDIR)/lib$(1).ro \
	    -L$(LIBDIR) -Wl,--no-as-needed $$(foreach d,$$($(1)_DEPS),-l$$(d))
LIBS_BUILT += $(LIBDIR)/lib$(1).a $(LIBDIR)/lib$(1).so
endef

define HOSTLIB_template
$(1)_OBJS := $$(call objs_of,$$($(1)_SRCS))
$(LIBDIR)/lib$(1).a: $$($(1)_OBJS)
	@mkdir -p $$(@D)
	rm -f $$@ && $$(AR) rcs $$@ $$^
$(LIBDIR)/lib$(1).so: $$($(1)_OBJS) $$(foreach d,$$($(1)_DEPS),$(LIBDIR)/lib$$(d).so)
	@mkdir -p $$(@D)
	$$(CC) -shared $$(HOST_LDFLAGS) -Wl,-soname,lib$(1).so -o $$@ \
	    $$($(1)_OBJS) -L$(LIBDIR) $$(foreach d,$$($(1)_DEPS),-l$$(d)) \
	    $$($(1)_LDLIBS)
LIBS_BUILT += $(LIBDIR)/lib$(1).a $(LIBDIR)/lib$(1).so
endef

# Link flags for a program's own libraries: static archives are taken
# whole (a component that nothing calls by name must stay in); shared
# libraries are kept even under --as-needed.
static_libs = -Wl,--whole-archive $(foreach l,$(1),$(LIBDIR)/lib$(l).a) -Wl,--no-whole-archive
shared_libs = -L$(LIBDIR) -Wl,-rpath,$(abspath $(LIBDIR)) -Wl,--no-as-needed $(foreach l,$(1),-l$(l)) -Wl,--as-needed
pkg_cflags = $(if $(1),$(shell $(PKG_CONFIG) --cflags $(1)))
pkg_libs = $(if $(1),$(shell $(PKG_CONFIG) --libs $(1)))

define PROG_template
$(1)_OBJS := $$(call kobjs_of,$$($(1)_SRCS))
$$($(1)_OBJS): EXTRA_CFLAGS = $$(call pkg_cflags,$$($(1)_PKGS)) $$($(1)_CFLAGS)
$(2)/$(1): $$($(1)_OBJS) $$(foreach l,$$($(1)_LIBS),$(LIBDIR)/lib$$(l).$$(if $$(filter shared,$$($(1)_LINK)),so,a))
	@mkdir -p $$(@D)
	$$(CC) $$(HOST_LDFLAGS) -o $$@ $$($(1)_OBJS) \
	    $$(if $$(filter shared,$$($(1)_LINK)),$$(call shared_libs,$$($(1)_LIBS)),$$(call static_libs,$$($(1)_LIBS))) \
	    $$($(1)_LDLIBS) $$(call pkg_libs,$$($(1)_PKGS)) -lpthread
endef

$(foreach l,$(KERNLIBS),$(eval $(call KERNLIB_template,$(l))))
$(foreach l,$(HOSTLIBS),$(eval $(call HOSTLIB_template,$(l))))
$(foreach p,$(PROGS),$(eval $(call PROG_template,$(p),$(BINDIR))))
$(foreach p,$(TESTPROGS),$(eval $(call PROG_template,$(p),$(TESTDIR))))

PROGS_BUILT := $(addprefix $(BINDIR)/,$(PROGS))
TESTS_BUILT := $(addprefix $(TESTDIR)/,$(TESTPROGS))

-include $(shell find $(OBJDIR) -name '*.d' 2>/dev/null)
