# Tests of credentials and random numbers: the uid, gid and group calls
# with Linux's rules, capabilities, credentials across rump_lwproc_rfork,
# and getrandom (t_cred).
TESTPROGS += t_cred
t_cred_SRCS := tests/kern/t_cred.c
t_cred_LIBS := rump rumpuser
t_cred_PKGS := check
