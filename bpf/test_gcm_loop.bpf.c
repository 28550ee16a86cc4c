// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * bpf/test_gcm.bpf.c built the way kernels before 6.9 need it: loops through bpf_loop()
 * instead of may_goto (see bpf/lib/loop.h), and the table engine alone (the kfunc engine
 * needs 6.10), so tests/test_gcm.c checks the table engine in both loop builds.
 */
#define DOT11XDP_LOOP_BPF_LOOP 1
#define DOT11XDP_KFUNC_ENGINE 0
#include "test_gcm.bpf.c"
