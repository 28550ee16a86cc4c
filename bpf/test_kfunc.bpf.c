// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Test harness of the kfunc AES engine, run with BPF_PROG_TEST_RUN: the frame is a
 * struct test_kfunc_req followed by the input blocks; the program answers in place with
 * the status in the header and the output blocks (ECB), or the MAC and the input blocks
 * moved up by 16 bytes (CBC-MAC; the frame has room for the MAC after the blocks).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/aes_kfunc.h"
#include "lib/crypto_ctx.h"

enum test_kfunc_op {
	TEST_KFUNC_ECB = 1,
	TEST_KFUNC_CBC_MAC = 2,
	TEST_KFUNC_COPY = 3, /* the copies in and out alone: the harness's share of a timing */
};

/* Request header. The program leaves its inputs alone, so a repeated run redoes the same work. */
struct test_kfunc_req {
	__u32 op; /* enum test_kfunc_op */
	__u32 nblocks;
	/* generation 0: take it from test_kfunc_cur, as the data path takes it from its key */
	struct dot11xdp_crypto_id id;
	__s32 status;	 /* out: 0 or a negative errno */
	__u32 pad;
	__u64 generation; /* out: the generation used */
};

struct test_kfunc_work {
	__u8 in[AES_KFUNC_BLOCKS_MAX * AES_BLOCK_SIZE];
	__u8 out[(AES_KFUNC_BLOCKS_MAX + 1) * AES_BLOCK_SIZE]; /* aes_kfunc_cbc_mac() scratch */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct test_kfunc_work);
} test_kfunc_work SEC(".maps");

/* Stand-in for a dot11xdp_keys element: user space replaces it whole, as the key API does. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} test_kfunc_cur SEC(".maps");

static __always_inline int test_kfunc_run(struct xdp_md *ctx, struct test_kfunc_req *req)
{
	__u8 mac[AES_BLOCK_SIZE];
	struct test_kfunc_work *work;
	struct aes_kfunc_key key;
	__u32 zero = 0, len;
	__u64 *cur;
	int err;

	if (req->nblocks == 0 || req->nblocks > AES_KFUNC_BLOCKS_MAX)
		return -EINVAL;
	len = req->nblocks * AES_BLOCK_SIZE;
	work = bpf_map_lookup_elem(&test_kfunc_work, &zero);
	if (!work)
		return -ENOMEM;
	req->generation = req->id.generation;
	if (!req->generation) {
		cur = bpf_map_lookup_elem(&test_kfunc_cur, &zero);
		if (!cur)
			return -ENOENT;
		req->generation = *cur;
	}
	err = aes_kfunc_key_find(&req->id.key, req->generation, &key);
	if (err)
		return err;
	switch (req->op) {
	case TEST_KFUNC_ECB:
		err = bpf_xdp_load_bytes(ctx, sizeof(*req), work->in, len);
		if (err)
			return err;
		err = aes_kfunc_encrypt_blocks(&key, work->in, req->nblocks);
		return err ?: bpf_xdp_store_bytes(ctx, sizeof(*req), work->in, len);
	case TEST_KFUNC_CBC_MAC:
		err = bpf_xdp_load_bytes(ctx, sizeof(*req), work->in, len);
		if (err)
			return err;
		/* The MAC, then the input again: CBC-MAC must leave it as it was. */
		err = aes_kfunc_cbc_mac(&key, work->in, req->nblocks, work->out, mac);
		err = err ?: bpf_xdp_store_bytes(ctx, sizeof(*req), mac, sizeof(mac));
		return err ?: bpf_xdp_store_bytes(ctx, sizeof(*req) + sizeof(mac), work->in, len);
	case TEST_KFUNC_COPY:
		err = bpf_xdp_load_bytes(ctx, sizeof(*req), work->in, len);
		return err ?: bpf_xdp_store_bytes(ctx, sizeof(*req), work->in, len);
	}
	return -EOPNOTSUPP;
}

SEC("xdp")
int xdp_test_kfunc(struct xdp_md *ctx)
{
	struct test_kfunc_req req;

	if (bpf_xdp_load_bytes(ctx, 0, &req, sizeof(req)))
		return XDP_ABORTED;
	req.status = test_kfunc_run(ctx, &req);
	bpf_xdp_store_bytes(ctx, 0, &req, sizeof(req));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
