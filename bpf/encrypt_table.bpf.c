// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The encrypt program built with the table AES engine only, like decrypt_table.bpf.c: no
 * kfunc call and no dot11xdp_crypto map, so it loads on kernels without the BPF crypto
 * kfuncs (before 6.10), where libbpf 1.1 refuses an object that merely contains their calls.
 */
#define DOT11XDP_KFUNC_ENGINE 0
#include "encrypt.bpf.c"
