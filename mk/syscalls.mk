# syscalls.mk: the system call table (sys/kern/syscalls.tbl) generates the
# SYS_* numbers and argument structures, the name table, one handler
# package per component, the rump_sys_* entry points and their public
# header, and the remote client's rump_sys_* (lib/librumpclient)
# (tools/gensyscalls.awk; see the comments at the top of both).
#
# The generator runs once for all outputs and records that in a stamp.
# It leaves an output that did not change untouched, so editing a comment
# in the table rebuilds nothing.  GEN_HEADERS are order-only prerequisites
# of every object (mk/rules.mk), so they exist before the first compile;
# after that the compiler's dependency files track them.
#
# A component's fragment lists its package among its sources:
#   rumpvfs_SRCS += $(GEN)/sys/kern/syscalls_vfs.c

SYSCALLS_TBL := sys/kern/syscalls.tbl
SYSCALLS_AWK := tools/gensyscalls.awk
# The components named in the table, one package each.
SYSCALLS_COMPONENTS := $(sort $(shell $(AWK) \
	'$$1 ~ /^[0-9]+$$/ { print $$2 }' $(SYSCALLS_TBL)))
SYSCALLS_GEN := $(GEN)/include/rump/rump_syscalls.h \
	$(GEN)/sys/sys/syscallargs.h \
	$(GEN)/sys/kern/rump_syscalls.c \
	$(GEN)/sys/kern/syscalls_info.c \
	$(foreach c,$(SYSCALLS_COMPONENTS),$(GEN)/sys/kern/syscalls_$(c).c) \
	$(GEN)/lib/librumpclient/rumpclient_syscalls.c
GEN_HEADERS := $(GEN)/include/rump/rump_syscalls.h $(GEN)/sys/sys/syscallargs.h

$(GEN)/syscalls.stamp: $(SYSCALLS_TBL) $(SYSCALLS_AWK)
	@mkdir -p $(@D)
	$(AWK) -v gen=$(GEN) -f $(SYSCALLS_AWK) $(SYSCALLS_TBL)
	@touch $@

# An output is remade by remaking the stamp; if the output itself was
# deleted, the stamp goes too so that the generator runs again.
$(SYSCALLS_GEN): $(GEN)/syscalls.stamp
	@test -f $@ || { rm -f $<; $(MAKE) --no-print-directory $<; }

.PHONY: syscalls
syscalls: $(GEN)/syscalls.stamp
