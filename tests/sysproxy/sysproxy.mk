# Tests of the sysproxy server alone (t_sysproxy.c speaks the protocol of
# docs/sysproxy.md itself and fuzzes the frame decoder).
TESTPROGS += t_sysproxy
t_sysproxy_SRCS := tests/sysproxy/t_sysproxy.c
t_sysproxy_LIBS := rumpfs_tmpfs rumpvfs rump rumpuser
t_sysproxy_PKGS := check
