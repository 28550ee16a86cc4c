/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel AES contexts of the kfunc engine (bpf/lib/crypto_ctx.h), created and destroyed
 * from user space. Internal to libdot11xdp.
 *
 * Installing or replacing a key on this engine, in this order:
 *   1. dot11xdp_crypto_ctx__create() under the new generation;
 *   2. the whole-element update of dot11xdp_keys carrying the new generation;
 *   3. dot11xdp_crypto_ctx__destroy() of the old generation, if there was one.
 * Deleting a key: delete the dot11xdp_keys element, then destroy its contexts. The kernel
 * frees a released context only after an RCU grace period, so a frame that still holds
 * one finishes with it.
 */
#ifndef DOT11XDP_CRYPTO_CTX_H
#define DOT11XDP_CRYPTO_CTX_H

#include <stdbool.h>
#include <bpf/libbpf.h>
#include <dot11xdp/dot11xdp_structs.h>

/*
 * Whether this kernel has the kfunc engine: the BPF crypto kfuncs, and "ecb(aes)" and
 * "cbc(aes)" contexts can really be created (a throwaway key through a probe program).
 * The answer is computed once per process.
 */
bool dot11xdp_kfunc_engine_available(void);

/*
 * Before bpf_object__load() on a kernel without the engine: leave out the dot11xdp_crypto
 * map (the kernel would refuse its kptr type) and the create/destroy programs. The caller
 * leaves out its own programs that use bpf/lib/aes_kfunc.h. Returns 0, or -ENOENT when obj
 * lacks any of them.
 */
int dot11xdp_crypto_ctx__omit(struct bpf_object *obj);

/*
 * Create the "ecb(aes)" and "cbc(aes)" contexts of the 16- or 32-byte key tk under the
 * key's generation in the dot11xdp_crypto map of obj, which must hold the crypto_ctx_create
 * program (loaded). Returns 0, -EINVAL (bad length), -EEXIST (the generation already has
 * contexts), -E2BIG (map full), -EOPNOTSUPP (the kernel lacks the algorithms) or another
 * negative errno. The key is passed in the program's context only, and wiped from every
 * copy this call makes.
 */
int dot11xdp_crypto_ctx__create(const struct bpf_object *obj, __u64 generation, const __u8 *tk,
				unsigned int tk_len);

/*
 * Release the contexts of generation and remove the entry. Returns 0 or -ENOENT (none).
 * Removing the map element directly (bpf_map_delete_elem) releases them as well.
 */
int dot11xdp_crypto_ctx__destroy(const struct bpf_object *obj, __u64 generation);

#endif /* DOT11XDP_CRYPTO_CTX_H */
