// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The receive program built with the table AES engine only: no kfunc call, no
 * dot11xdp_crypto map, no SEC("syscall") program. Loaded for adapters on the table engine,
 * which includes every adapter on a kernel without the BPF crypto kfuncs (before 6.10):
 * libbpf 1.1 refuses an object that calls a kfunc the kernel lacks, even from code that
 * can never run, so that code must not be in the object at all.
 */
#define DOT11XDP_KFUNC_ENGINE 0
#include "decrypt.bpf.c"
