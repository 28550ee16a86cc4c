// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Runs the CCM core on its own for tests/test_ccm.c: the packet holds a struct
 * test_ccm_request and the body; the key is the single element of test_ccm_key. The body
 * is written back (plaintext, or ciphertext + MIC) with the result in the request header.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/*
 * The table engine's test: no kfunc engine, so no pinned dot11xdp_crypto. Built with
 * DOT11XDP_LOOP_BPF_LOOP (test_ccm_loop.bpf.c), it loads on kernels without may_goto too.
 */
#define DOT11XDP_KFUNC_ENGINE 0
#include "lib/ccm.h"
#include "test_ccm.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dot11xdp_key);
} test_ccm_key SEC(".maps");

SEC("xdp")
int xdp_test_ccm(struct xdp_md *ctx)
{
	const __u32 body_at = sizeof(struct test_ccm_request);
	struct test_ccm_request req;
	struct dot11xdp_work *work;
	struct dot11xdp_key *key;
	__u32 zero = 0, out_len, last;

	if (bpf_xdp_load_bytes(ctx, 0, &req, sizeof(req)))
		return XDP_ABORTED;
	key = bpf_map_lookup_elem(&test_ccm_key, &zero);
	work = bpf_map_lookup_elem(&dot11xdp_work, &zero);
	if (!key || !work)
		return XDP_ABORTED;

	/*
	 * Copy 1..DOT11XDP_BODY_MAX bytes in; lengths beyond body go to the CCM functions
	 * uncopied, and they must refuse them. 6.1's verifier learns no lower bound from
	 * len != 0 ("invalid access to map value ... size=0"): bound len - 1 instead, behind an
	 * empty asm (clang would fold it back), and pass that plus one.
	 */
	last = req.len - 1;
	asm("" : "+r"(last));
	if (last < DOT11XDP_BODY_MAX && bpf_xdp_load_bytes(ctx, body_at, work->body, last + 1))
		return XDP_ABORTED;

	if (req.op == TEST_CCM_DECRYPT) {
		req.result = ccm_decrypt(key, work, req.len, req.aad, req.aad_len, req.nonce,
					 req.mic_len);
		out_len = req.len - req.mic_len;
	} else if (req.op == TEST_CCM_ENCRYPT) {
		req.result = ccm_encrypt(key, work, req.len, req.aad, req.aad_len, req.nonce,
					 req.mic_len);
		out_len = req.len + req.mic_len;
	} else {
		return XDP_ABORTED;
	}

	if (req.flags & TEST_CCM_NO_STORE)
		return XDP_PASS;
	if (!req.result) {
		/* As for the copy in. */
		last = out_len - 1;
		asm("" : "+r"(last));
		if (last < DOT11XDP_BODY_MAX &&
		    bpf_xdp_store_bytes(ctx, body_at, work->body, last + 1))
			return XDP_ABORTED;
	}
	if (bpf_xdp_store_bytes(ctx, 0, &req, sizeof(req)))
		return XDP_ABORTED;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
