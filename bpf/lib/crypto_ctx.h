/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Kernel AES contexts of the kfunc engine: the map that holds them and the two
 * SEC("syscall") programs user space runs (BPF_PROG_TEST_RUN) to create and destroy them.
 * A program file that uses the kfunc engine includes this header once.
 *
 * Replacing a key: create the new key's contexts under its new generation, update the key's
 * dot11xdp_keys element (which carries the new generation), then destroy the old
 * generation's contexts. A frame that read the old key value before the update still finds
 * its contexts until the destroy; a context it already holds stays valid until it returns,
 * since the last release frees it through call_rcu() and XDP runs inside an RCU read-side
 * section. A frame that reads the old key value and looks its contexts up only after the
 * destroy finds none, and its crypto operations fail (the frame is never delivered).
 */
#ifndef DOT11XDP_BPF_CRYPTO_CTX_H
#define DOT11XDP_BPF_CRYPTO_CTX_H

#include <linux/bpf.h>
#include <linux/errno.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "bpf_crypto.h"

#ifndef barrier
#define barrier() asm volatile("" ::: "memory")
#endif

/* Value of dot11xdp_crypto. */
struct dot11xdp_crypto_ctxs {
	struct bpf_crypto_ctx __kptr *ecb; /* "ecb(aes)": the CTR keystream */
	struct bpf_crypto_ctx __kptr *cbc; /* "cbc(aes)": CBC-MAC */
	/*
	 * The key's generation again, written before the kptrs and read after them: a lookup
	 * racing with the element's deletion and reuse for another key sees a mismatch.
	 */
	__u64 generation;
};

/* Every key plus a replacement in flight; the loader sizes it with the key table. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 2 * DOT11XDP_KEYS_DEFAULT);
	__type(key, __u64); /* dot11xdp_key.generation */
	__type(value, struct dot11xdp_crypto_ctxs);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} dot11xdp_crypto SEC(".maps");

/* One skcipher context for algo with the key in params; NULL with *err set on failure. */
static __always_inline struct bpf_crypto_ctx *crypto_ctx_new(struct bpf_crypto_params *params,
							     const char algo[9], int *err)
{
	__builtin_memcpy(params->algo, algo, 9);
	return bpf_crypto_ctx_create(params, sizeof(*params), err);
}

/* Publish a fresh pair under generation; consumes both references whatever happens. */
static __always_inline int crypto_ctx_insert(__u64 generation, struct bpf_crypto_ctx *ecb,
					     struct bpf_crypto_ctx *cbc)
{
	struct dot11xdp_crypto_ctxs fresh = { .generation = generation };
	struct dot11xdp_crypto_ctxs *slot;
	struct bpf_crypto_ctx *old;
	int err;

	/* NOEXIST: generations are never reused, so an existing entry is a caller error. */
	err = bpf_map_update_elem(&dot11xdp_crypto, &generation, &fresh, BPF_NOEXIST);
	if (!err) {
		slot = bpf_map_lookup_elem(&dot11xdp_crypto, &generation);
		if (!slot)
			err = -ENOENT;
	}
	if (err) {
		bpf_crypto_ctx_release(ecb);
		bpf_crypto_ctx_release(cbc);
		return err;
	}
	old = bpf_kptr_xchg(&slot->ecb, ecb);
	if (old)
		bpf_crypto_ctx_release(old);
	old = bpf_kptr_xchg(&slot->cbc, cbc);
	if (old)
		bpf_crypto_ctx_release(old);
	return 0;
}

static __always_inline int crypto_ctx_create_pair(struct dot11xdp_crypto_args *args)
{
	struct bpf_crypto_params params = {
		.type = "skcipher",
	};
	struct bpf_crypto_ctx *ecb = NULL, *cbc = NULL;
	__u64 generation = args->generation;
	__u32 tk_len = args->tk_len;
	int err = 0;

	/* Take the key out of the context first, so no exit path leaves it there. */
	__builtin_memcpy(params.key, args->tk, DOT11XDP_TK_MAX);
	__builtin_memset(args->tk, 0, DOT11XDP_TK_MAX);

	if (tk_len != 16 && tk_len != 32) {
		err = -EINVAL;
		goto wipe;
	}
	params.key_len = tk_len;
	ecb = crypto_ctx_new(&params, "ecb(aes)", &err);
	if (!ecb)
		goto wipe;
	cbc = crypto_ctx_new(&params, "cbc(aes)", &err);
	if (!cbc) {
		bpf_crypto_ctx_release(ecb);
		goto wipe;
	}
	err = crypto_ctx_insert(generation, ecb, cbc);
wipe:
	/* The stack copy is dead to the compiler: the barrier keeps the wipe. */
	__builtin_memset(params.key, 0, DOT11XDP_TK_MAX);
	barrier();
	return err;
}

static __always_inline int crypto_ctx_destroy_pair(const struct dot11xdp_crypto_args *args)
{
	__u64 generation = args->generation;
	struct dot11xdp_crypto_ctxs *slot;
	struct bpf_crypto_ctx *old;

	slot = bpf_map_lookup_elem(&dot11xdp_crypto, &generation);
	if (!slot)
		return -ENOENT;
	/* Deleting alone would release them too (the map's kptr destructor); say it here. */
	old = bpf_kptr_xchg(&slot->ecb, NULL);
	if (old)
		bpf_crypto_ctx_release(old);
	old = bpf_kptr_xchg(&slot->cbc, NULL);
	if (old)
		bpf_crypto_ctx_release(old);
	return bpf_map_delete_elem(&dot11xdp_crypto, &generation);
}

/* ctx: struct dot11xdp_crypto_args. Returns 0 or a negative errno (-EEXIST, -EINVAL, ...). */
SEC("syscall")
int crypto_ctx_create(struct dot11xdp_crypto_args *args)
{
	return crypto_ctx_create_pair(args);
}

/* ctx: struct dot11xdp_crypto_args (generation only). Returns 0 or -ENOENT. */
SEC("syscall")
int crypto_ctx_destroy(struct dot11xdp_crypto_args *args)
{
	return crypto_ctx_destroy_pair(args);
}

#endif /* DOT11XDP_BPF_CRYPTO_CTX_H */
