// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Runs the TKIP and WEP cores and their parts (RC4, CRC-32, Michael, key mixing) on their
 * own for tests/test_tkip.c: the packet holds a struct test_tkip_request and the body; the
 * key is the single element of test_tkip_key. The body is written back with the result in
 * the request header.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/tkip.h"
#include "lib/wep.h"
#include "test_tkip.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dot11xdp_key);
} test_tkip_key SEC(".maps");

/* TKIP's MIC and ICV around the MSDU data of an unfragmented frame. */
#define TKIP_TRAILER (DOT11XDP_TKIP_MIC_LEN + DOT11XDP_WEP_ICV_LEN)

/* Run req->op on work->body; returns the body length to write back, or -1 for none. */
static __always_inline int run_op(struct test_tkip_request *req, struct dot11xdp_key *key,
				  struct dot11xdp_work *work)
{
	struct michael_state m;
	__u32 len = req->len;

	switch (req->op) {
	case TEST_TKIP_DECRYPT:
		req->result = tkip_decrypt(key, work, len, req->ta, req->tsc);
		return len - DOT11XDP_WEP_ICV_LEN;
	case TEST_TKIP_ENCRYPT:
		req->result = tkip_encrypt(key, work, len, req->ta, req->tsc);
		return len + DOT11XDP_WEP_ICV_LEN;
	case TEST_TKIP_MICHAEL_VERIFY:
		req->result = tkip_michael_verify(key, work, len, req->da, req->sa, req->priority,
						  req->end);
		return -1;
	case TEST_TKIP_MICHAEL_APPEND:
		req->result = tkip_michael_append(key, work, len, req->da, req->sa, req->priority,
						  req->end);
		return len + DOT11XDP_TKIP_MIC_LEN;
	case TEST_TKIP_MIX:
		if (!tkip_key_ok(key) || req->tsc > DOT11XDP_TKIP_TSC_MAX) {
			req->result = -1;
			return -1;
		}
		tkip_phase1(key->material.tkip.tk, req->ta, req->tsc >> 16, req->ttak);
		tkip_phase2(key->material.tkip.tk, req->ttak, req->tsc, req->rc4_key);
		req->result = 0;
		return -1;
	case TEST_TKIP_RX:
		req->result = tkip_decrypt(key, work, len, req->ta, req->tsc);
		if (req->result)
			return -1;
		if (len < TKIP_TRAILER ||
		    tkip_michael_verify(key, work, len - TKIP_TRAILER, req->da, req->sa,
					req->priority, req->end))
			req->result = TEST_TKIP_MIC_FAILURE;
		return len - TKIP_TRAILER;
	case TEST_TKIP_TX:
		req->result = tkip_michael_append(key, work, len, req->da, req->sa, req->priority,
						  req->end);
		if (!req->result)
			req->result = tkip_encrypt(key, work, len + DOT11XDP_TKIP_MIC_LEN, req->ta,
						   req->tsc);
		return len + TKIP_TRAILER;
	case TEST_WEP_DECRYPT:
		req->result = wep_decrypt(key, work, len, req->iv);
		return len - DOT11XDP_WEP_ICV_LEN;
	case TEST_WEP_ENCRYPT:
		req->result = wep_encrypt(key, work, len, req->iv);
		return len + DOT11XDP_WEP_ICV_LEN;
	case TEST_RC4:
		__builtin_memcpy(work->rc4_key, req->rc4_key, sizeof(work->rc4_key));
		if (req->rc4_key_len == 8)
			rc4_key_double(work);
		else if (req->rc4_key_len != 16) {
			req->result = -1;
			return -1;
		}
		req->result = rc4_init(work) || rc4_xor(work, len) ? -1 : 0;
		return len;
	case TEST_CRC32:
		req->result = crc32_body(work, len, &req->crc);
		return -1;
	case TEST_MICHAEL:
		michael_init(&m, req->michael_key);
		req->result = michael_body(&m, work, len);
		req->mic = michael_mic(&m);
		return -1;
	}
	return -2;
}

SEC("xdp")
int xdp_test_tkip(struct xdp_md *ctx)
{
	const __u32 body_at = sizeof(struct test_tkip_request);
	struct test_tkip_request req;
	struct dot11xdp_work *work;
	struct dot11xdp_key *key;
	__u32 zero = 0, in_len;
	int out_len;

	if (bpf_xdp_load_bytes(ctx, 0, &req, sizeof(req)))
		return XDP_ABORTED;
	key = bpf_map_lookup_elem(&test_tkip_key, &zero);
	work = bpf_map_lookup_elem(&dot11xdp_work, &zero);
	if (!key || !work)
		return XDP_ABORTED;

	/* Lengths beyond body go to the functions uncopied: they must refuse them. */
	in_len = req.len;
	if (in_len > DOT11XDP_BODY_MAX)
		in_len = DOT11XDP_BODY_MAX;
	if (in_len && bpf_xdp_load_bytes(ctx, body_at, work->body, in_len))
		return XDP_ABORTED;
	/* TEST_TKIP_MICHAEL_VERIFY reads the 8 MIC bytes after the data. */
	if (req.op == TEST_TKIP_MICHAEL_VERIFY && in_len <= DOT11XDP_BODY_MAX - 8 &&
	    bpf_xdp_load_bytes(ctx, body_at + in_len, work->body + in_len, 8))
		return XDP_ABORTED;

	out_len = run_op(&req, key, work);
	if (out_len == -2)
		return XDP_ABORTED;

	if (req.flags & TEST_TKIP_NO_STORE)
		return XDP_PASS;
	if (!req.result && out_len > 0 && out_len <= DOT11XDP_BODY_MAX &&
	    bpf_xdp_store_bytes(ctx, body_at, work->body, out_len))
		return XDP_ABORTED;
	if (bpf_xdp_store_bytes(ctx, 0, &req, sizeof(req)))
		return XDP_ABORTED;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
