// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Runs the GCM core on its own for tests/test_gcm.c, on either AES engine: the packet holds
 * a struct test_gcm_request and the body; the key is the single element of test_gcm_key
 * (for the kfunc engine, its contexts are in dot11xdp_crypto under its generation). The body
 * is written back (plaintext, or ciphertext + tag) with the result in the request header.
 * The CCM core runs the same way, so both are timed and their verifier costs compared in
 * one run.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/ccm.h"
#include "lib/gcm.h"
#include "test_gcm.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dot11xdp_key);
} test_gcm_key SEC(".maps");

/* Request, key and work for one run, the body copied in; NULL key on failure. */
static __always_inline int test_gcm_setup(struct xdp_md *ctx, struct test_gcm_request *req,
					  struct dot11xdp_key **key, struct dot11xdp_work **work)
{
	__u32 zero = 0, in_len;

	if (bpf_xdp_load_bytes(ctx, 0, req, sizeof(*req)))
		return -1;
	*key = bpf_map_lookup_elem(&test_gcm_key, &zero);
	*work = bpf_map_lookup_elem(&dot11xdp_work, &zero);
	if (!*key || !*work)
		return -1;
	/* Lengths beyond body go to the cores uncopied: they must refuse them. */
	in_len = req->len;
	if (in_len > DOT11XDP_BODY_MAX)
		in_len = DOT11XDP_BODY_MAX;
	if (in_len && bpf_xdp_load_bytes(ctx, sizeof(*req), (*work)->body, in_len))
		return -1;
	return 0;
}

/* Store out_len bytes of body (if the core succeeded) and the request back. */
static __always_inline int test_gcm_answer(struct xdp_md *ctx, struct test_gcm_request *req,
					   struct dot11xdp_work *work, __u32 out_len)
{
	if (req->flags & TEST_GCM_NO_STORE)
		return XDP_PASS;
	if (!req->result && out_len && out_len <= DOT11XDP_BODY_MAX &&
	    bpf_xdp_store_bytes(ctx, sizeof(*req), work->body, out_len))
		return XDP_ABORTED;
	if (bpf_xdp_store_bytes(ctx, 0, req, sizeof(*req)))
		return XDP_ABORTED;
	return XDP_PASS;
}

/*
 * One operation per program (op is a constant in each), so the verifier's count for each
 * program is that core function's own.
 */
static __always_inline int test_gcm_run(struct xdp_md *ctx, __u32 op)
{
	struct test_gcm_request req;
	struct dot11xdp_work *work;
	struct dot11xdp_key *key;
	__u32 out_len = 0;
	__u64 s[2] = { 0, 0 };

	if (test_gcm_setup(ctx, &req, &key, &work) || req.op != op)
		return XDP_ABORTED;
	switch (op) {
	case TEST_GCM_DECRYPT:
		req.result = gcm_decrypt(key, work, req.len, req.aad, req.aad_len, req.nonce);
		out_len = req.len - DOT11XDP_GCM_TAG_LEN;
		break;
	case TEST_GCM_ENCRYPT:
		req.result = gcm_encrypt(key, work, req.len, req.aad, req.aad_len, req.nonce);
		out_len = req.len + DOT11XDP_GCM_TAG_LEN;
		break;
	case TEST_GCM_GHASH:
		/* gcm_ghash leaves the argument checks to its callers: make them here. */
		if (!gcm_args_ok(key, req.aad_len)) {
			req.result = -1;
		} else {
			ghash_begin(key, work);
			req.result = gcm_ghash(work, req.len, req.aad, req.aad_len, s);
		}
		*(__u64 *)&req.hash[0] = __builtin_bswap64(s[0]);
		*(__u64 *)&req.hash[8] = __builtin_bswap64(s[1]);
		break;
	case TEST_CCM_DECRYPT:
		req.result = ccm_decrypt(key, work, req.len, req.aad, req.aad_len, req.nonce,
					 req.mic_len);
		out_len = req.len - req.mic_len;
		break;
	case TEST_CCM_ENCRYPT:
		req.result = ccm_encrypt(key, work, req.len, req.aad, req.aad_len, req.nonce,
					 req.mic_len);
		out_len = req.len + req.mic_len;
		break;
	}
	return test_gcm_answer(ctx, &req, work, out_len);
}

SEC("xdp")
int xdp_test_gcm_decrypt(struct xdp_md *ctx)
{
	return test_gcm_run(ctx, TEST_GCM_DECRYPT);
}

SEC("xdp")
int xdp_test_gcm_encrypt(struct xdp_md *ctx)
{
	return test_gcm_run(ctx, TEST_GCM_ENCRYPT);
}

SEC("xdp")
int xdp_test_gcm_ghash(struct xdp_md *ctx)
{
	return test_gcm_run(ctx, TEST_GCM_GHASH);
}

SEC("xdp")
int xdp_test_ccm_decrypt(struct xdp_md *ctx)
{
	return test_gcm_run(ctx, TEST_CCM_DECRYPT);
}

SEC("xdp")
int xdp_test_ccm_encrypt(struct xdp_md *ctx)
{
	return test_gcm_run(ctx, TEST_CCM_ENCRYPT);
}

/*
 * The core as the receive path calls it: behind global functions, which the verifier checks
 * once with their pointer arguments known only as sized memory, not as map values.
 */
__noinline int test_gcm_decrypt_global(const struct dot11xdp_key *key,
				       struct dot11xdp_work *work,
				       const struct test_gcm_request *req)
{
	if (!key || !work || !req)
		return -1;
	return gcm_decrypt(key, work, req->len, req->aad, req->aad_len, req->nonce);
}

__noinline int test_gcm_encrypt_global(const struct dot11xdp_key *key,
				       struct dot11xdp_work *work,
				       const struct test_gcm_request *req)
{
	if (!key || !work || !req)
		return -1;
	return gcm_encrypt(key, work, req->len, req->aad, req->aad_len, req->nonce);
}

SEC("xdp")
int xdp_test_gcm_global(struct xdp_md *ctx)
{
	struct test_gcm_request req;
	struct dot11xdp_work *work;
	struct dot11xdp_key *key;
	__u32 out_len;

	if (test_gcm_setup(ctx, &req, &key, &work))
		return XDP_ABORTED;
	if (req.op == TEST_GCM_DECRYPT) {
		req.result = test_gcm_decrypt_global(key, work, &req);
		out_len = req.len - DOT11XDP_GCM_TAG_LEN;
	} else if (req.op == TEST_GCM_ENCRYPT) {
		req.result = test_gcm_encrypt_global(key, work, &req);
		out_len = req.len + DOT11XDP_GCM_TAG_LEN;
	} else {
		return XDP_ABORTED;
	}
	return test_gcm_answer(ctx, &req, work, out_len);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
