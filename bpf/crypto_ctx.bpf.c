// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The kfunc engine's context programs on their own (crypto_ctx_create, crypto_ctx_destroy
 * of lib/crypto_ctx.h). The library loads this object against the dot11xdp_crypto map of
 * an adapter's receive program (bpf_map__reuse_fd), whether it loaded that program itself
 * or found it attached through the pins, and runs them to install and remove key contexts.
 */
#include "lib/crypto_ctx.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
