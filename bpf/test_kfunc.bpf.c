// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Runs the kfunc AES engine through aes.h (and the CCM core over it) for
 * tests/test_aes_kfunc.c: see test_kfunc.h for the request. The key is element 0 of
 * test_kfunc_key, replaced whole by user space as the key API replaces dot11xdp_keys
 * elements (element 1 plays a frame that read the key just before a replacement); its
 * contexts are in dot11xdp_crypto under its generation.
 */
#include <linux/bpf.h>
#include <linux/errno.h>
#include <bpf/bpf_helpers.h>

#include "lib/aes.h"
#include "lib/ccm.h"
#include "test_kfunc.h"

/* A hash, as dot11xdp_keys: an update from user space replaces the element, not its bytes. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct dot11xdp_key);
} test_kfunc_key SEC(".maps");

/* CTR, CBC-MAC and the copies: the data at head blocks before body. */
static __always_inline int test_kfunc_blocks(struct xdp_md *ctx, struct test_kfunc_request *req,
					     const struct dot11xdp_key *key,
					     struct dot11xdp_work *work)
{
	const __u32 data_at = sizeof(*req);
	__u32 len = req->len, at, off;
	__u8 *data;
	int result = 0;

	if (req->head > 3 || len % 16 || len > 16 * req->head + DOT11XDP_BODY_MAX)
		return -EINVAL;
	at = AES_WORK_OFF(body) - 16 * req->head;
	/* The verifier needs the sum bounded: at <= 48, len <= 2384, well inside work. */
	if (at > AES_WORK_OFF(body) || len > DOT11XDP_CCM_HEAD_MAX + DOT11XDP_BODY_MAX)
		return -EINVAL;
	data = (__u8 *)work + at;
	if (len && bpf_xdp_load_bytes(ctx, data_at, data, len))
		return -EIO;
	off = at + req->off_extra;
	if (aes_begin(key, work))
		return -EKEYREJECTED;
	req->generation = work->aes_kfunc_generation;

	switch (req->op) {
	case TEST_KFUNC_CTR_XOR:
		__builtin_memcpy(work->aes_ctr, req->ctr, 16);
		result = aes_ctr_xor(key, work, off, req->nblocks);
		break;
	case TEST_KFUNC_CBC_MAC:
		result = aes_cbc_mac(key, work, off, req->nblocks);
		__builtin_memcpy(req->mac, work->aes_mac, 16);
		break;
	}
	if (len && !(req->flags & TEST_KFUNC_NO_STORE) &&
	    bpf_xdp_store_bytes(ctx, data_at, data, len))
		return -EIO;
	return result;
}

static __always_inline int test_kfunc_ccm(struct xdp_md *ctx, struct test_kfunc_request *req,
					  const struct dot11xdp_key *key,
					  struct dot11xdp_work *work)
{
	const __u32 data_at = sizeof(*req);
	__u32 in_len = req->len, out_len;
	int result;

	if (in_len > DOT11XDP_BODY_MAX)
		return -EINVAL;
	if (in_len && bpf_xdp_load_bytes(ctx, data_at, work->body, in_len))
		return -EIO;
	if (req->op == TEST_KFUNC_CCM_DECRYPT) {
		result = ccm_decrypt(key, work, req->len, req->aad, req->aad_len, req->nonce,
				     req->mic_len);
		out_len = req->len - req->mic_len;
	} else {
		result = ccm_encrypt(key, work, req->len, req->aad, req->aad_len, req->nonce,
				     req->mic_len);
		out_len = req->len + req->mic_len;
	}
	if (!result && out_len && out_len <= DOT11XDP_BODY_MAX &&
	    !(req->flags & TEST_KFUNC_NO_STORE) &&
	    bpf_xdp_store_bytes(ctx, data_at, work->body, out_len))
		return -EIO;
	return result;
}

SEC("xdp")
int xdp_test_kfunc(struct xdp_md *ctx)
{
	struct test_kfunc_request req;
	struct dot11xdp_work *work;
	struct dot11xdp_key *key;
	__u32 zero = 0;

	if (bpf_xdp_load_bytes(ctx, 0, &req, sizeof(req)))
		return XDP_ABORTED;
	key = bpf_map_lookup_elem(&test_kfunc_key, &req.key_slot);
	work = bpf_map_lookup_elem(&dot11xdp_work, &zero);
	if (!key || !work)
		return XDP_ABORTED;

	switch (req.op) {
	case TEST_KFUNC_CTR_XOR:
	case TEST_KFUNC_CBC_MAC:
	case TEST_KFUNC_COPY:
		req.result = test_kfunc_blocks(ctx, &req, key, work);
		break;
	case TEST_KFUNC_CCM_DECRYPT:
	case TEST_KFUNC_CCM_ENCRYPT:
		req.result = test_kfunc_ccm(ctx, &req, key, work);
		break;
	default:
		req.result = -EOPNOTSUPP;
	}
	if (bpf_xdp_store_bytes(ctx, 0, &req, sizeof(req)))
		return XDP_ABORTED;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
