// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * bpf/test_ccm.bpf.c built the way kernels before 6.9 need it: AES loops through bpf_loop()
 * instead of may_goto (see bpf/lib/loop.h), so tests/test_ccm.c checks both loop builds.
 */
#define DOT11XDP_LOOP_BPF_LOOP 1
#include "test_ccm.bpf.c"
