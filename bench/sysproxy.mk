# sysproxy.mk: make bench also measures the remote system call
# (bench/sysproxy_rtt.c): rump_sys_getpid() through librumpclient to a
# rump_server against a raw unix-socket echo, in the same run, printed as
# a ratio.  BENCH_SP_ROUNDS sets the round trips of each (default 2000).
BENCH_SP := $(BENCHDIR)/sysproxy_rtt
BENCH_SP_ROUNDS ?= 2000

$(BENCH_SP): $(BUILD)/obj/bench/sysproxy_rtt.o $(BUILD)/lib/librumpclient.a
	@mkdir -p $(@D)
	$(CC) $(HOST_LDFLAGS) -o $@ $< $(BUILD)/lib/librumpclient.a -lpthread

.PHONY: bench-sysproxy
bench-sysproxy: $(BENCH_SP) $(BUILD)/bin/rump_server
	$(BENCH_SP) $(BUILD)/bin/rump_server $(BENCH_SP_ROUNDS)

bench: bench-sysproxy
