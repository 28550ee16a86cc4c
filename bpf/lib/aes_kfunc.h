/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The constant-time AES engine: the kernel's "ecb(aes)" and "cbc(aes)" lskciphers through
 * the BPF crypto kfuncs, behind the bulk operations of aes.h. The names resolve to the
 * kernel's highest-priority AES cipher: aes-fixed-time here (constant-time, software),
 * AES-NI or the like where the CPU has it; only a kernel built with neither would fall back
 * to the table-driven aes-generic.
 *
 * Each bulk operation is one bpf_crypto_encrypt() call over a contiguous run of blocks,
 * because a call costs about 200 ns before it touches a byte: CTR is ECB over counter
 * blocks written to work->aes_kfunc_scratch, then XORed in; CBC-MAC is the last block of a
 * CBC pass with a zero IV, its output going to the same scratch.
 *
 * The key's contexts are found in dot11xdp_crypto (crypto_ctx.h) by the generation
 * aes_kfunc_begin took, for every operation: RCU pointers cannot be kept in the work buffer
 * between operations.
 */
#ifndef DOT11XDP_BPF_AES_KFUNC_H
#define DOT11XDP_BPF_AES_KFUNC_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "bpf_crypto.h"
#include "crypto_ctx.h"
#include "loop.h"
#include "work.h"

#define AES_KFUNC_SCRATCH_OFF __builtin_offsetof(struct dot11xdp_work, aes_kfunc_scratch)
/* Blocks of one bulk op: the scratch less its first block, which holds CBC-MAC's IV. */
#define AES_KFUNC_BLOCKS_MAX (sizeof(((struct dot11xdp_work *)0)->aes_kfunc_scratch) / 16 - 1)

/* A key's contexts: RCU-protected pointers, valid until the program returns. */
struct aes_kfunc_ctxs {
	struct bpf_crypto_ctx *ecb;
	struct bpf_crypto_ctx *cbc;
};

/* The contexts installed for generation: 0, or -1 when there are none (or no longer). */
static __always_inline int aes_kfunc_ctxs_find(__u64 generation, struct aes_kfunc_ctxs *ctxs)
{
	struct dot11xdp_crypto_ctxs *slot;
	struct bpf_crypto_ctx *ecb, *cbc;

	slot = bpf_map_lookup_elem(&dot11xdp_crypto, &generation);
	if (!slot)
		return -1;
	ecb = slot->ecb;
	cbc = slot->cbc;
	if (!ecb || !cbc)
		return -1;
	/* Read the kptrs before the generation: see struct dot11xdp_crypto_ctxs. */
	barrier();
	if (*(volatile __u64 *)&slot->generation != generation)
		return -1;
	ctxs->ecb = ecb;
	ctxs->cbc = cbc;
	return 0;
}

/*
 * aes.h's aes_begin. The kernel contexts hold the expanded key, so only the generation is
 * taken, once: every operation of the frame then uses the same contexts (or fails), even
 * if the key's element changes under the frame.
 */
static __always_inline int aes_kfunc_begin(const struct dot11xdp_key *key,
					   struct dot11xdp_work *work)
{
	if (key->tk_len != 16 && key->tk_len != 32)
		return -1;
	work->aes_kfunc_generation = key->generation;
	return 0;
}

/* The block of a bulk op at byte_off into its blocks (which follow the IV block). */
static __always_inline __u64 *aes_kfunc_block(struct dot11xdp_work *work, __u32 byte_off)
{
	return (__u64 *)(work->aes_kfunc_scratch + 16 + byte_off);
}

/*
 * aes.h's aes_ctr_xor: XOR the keystream of the counter blocks aes_ctr, aes_ctr + 1, ...
 * (last byte incremented, no carry) into nblocks blocks of work at byte offset off.
 */
static __always_inline int aes_kfunc_ctr_xor(const struct dot11xdp_key *key,
					     struct dot11xdp_work *work, __u32 off, __u32 nblocks)
{
	const __u32 scratch_max = AES_KFUNC_BLOCKS_MAX * 16;
	__u32 first, len = nblocks * 16, end;
	__u64 lo, hi;
	struct aes_kfunc_ctxs ctxs;
	struct bpf_dynptr blocks;
	/*
	 * Callers may hand work through a global function, where the verifier knows it only
	 * as plain memory, which bpf_dynptr_from_mem() refuses ("Unsupported reg type mem"):
	 * take this CPU's buffer again as a map value. It is the same memory.
	 */
	work = work_get();
	if (!work)
		return -1;
	first = work->aes_ctr[15];
	lo = *(__u64 *)&work->aes_ctr[0];
	/* Byte 15 is the top byte of the little-endian word at 8: the counter goes there. */
	hi = *(__u64 *)&work->aes_ctr[8] & ~(0xffULL << 56);

	if (!nblocks)
		return 0;
	if (nblocks > 256 - first || nblocks > AES_KFUNC_BLOCKS_MAX || off > sizeof(*work) ||
	    len > sizeof(*work) - off)
		return -1;
	if (aes_kfunc_ctxs_find(work->aes_kfunc_generation, &ctxs))
		return -1;

	DOT11XDP_LOOP_STORE(work->aes_cursor, 0);
	for (;;) {
		__u32 cur = DOT11XDP_LOOP_LOAD(work->aes_cursor);
		__u64 *block;

		if (cur >= len)
			break;
		/* Bounds the block for the verifier ("invalid access to map value"). */
		if (cur > scratch_max - 16)
			break;
		block = aes_kfunc_block(work, cur);
		block[0] = lo;
		block[1] = hi | (__u64)((first + (cur >> 4)) & 0xff) << 56;
		DOT11XDP_LOOP_STORE(work->aes_cursor, cur + 16);
		DOT11XDP_LOOP_NEXT;
	}
	if (DOT11XDP_LOOP_LOAD(work->aes_cursor) != len)
		return -1;

	/* len <= scratch_max, checked above: the verifier needs it again after the loop. */
	if (len > scratch_max)
		return -1;
	if (bpf_dynptr_from_mem(aes_kfunc_block(work, 0), len, 0, &blocks))
		return -1;
	if (bpf_crypto_encrypt(ctxs.ecb, &blocks, &blocks, NULL))
		return -1;

	end = off + len;
	DOT11XDP_LOOP_STORE(work->aes_cursor, off);
	for (;;) {
		__u32 cur = DOT11XDP_LOOP_LOAD(work->aes_cursor), ks_off;
		__u64 *data, *ks;

		if (cur >= end)
			break;
		ks_off = cur - off;
		/* Bound both blocks for the verifier ("invalid access to map value"). */
		if (cur > sizeof(*work) - 16 || ks_off > scratch_max - 16)
			break;
		data = (__u64 *)((__u8 *)work + cur);
		ks = aes_kfunc_block(work, ks_off);
		data[0] ^= ks[0];
		data[1] ^= ks[1];
		DOT11XDP_LOOP_STORE(work->aes_cursor, cur + 16);
		DOT11XDP_LOOP_NEXT;
	}
	return DOT11XDP_LOOP_LOAD(work->aes_cursor) == end ? 0 : -1;
}

/*
 * aes.h's aes_cbc_mac: the last block of the CBC encryption with a zero IV of nblocks
 * blocks of work at byte offset off (left as they were), into work->aes_mac.
 */
static __always_inline int aes_kfunc_cbc_mac(const struct dot11xdp_key *key,
					     struct dot11xdp_work *work, __u32 off, __u32 nblocks)
{
	__u32 len = nblocks * 16;
	struct bpf_dynptr src, dst, iv;
	struct aes_kfunc_ctxs ctxs;
	__u64 *iv_block, *last;
	/*
	 * Callers may hand work through a global function, where the verifier knows it only
	 * as plain memory, which bpf_dynptr_from_mem() refuses ("Unsupported reg type mem"):
	 * take this CPU's buffer again as a map value. It is the same memory.
	 */
	work = work_get();
	if (!work)
		return -1;
	iv_block = (__u64 *)work->aes_kfunc_scratch;

	if (!nblocks) {
		/* The CBC-MAC of nothing is the IV, as the table engine has it. */
		__builtin_memset(work->aes_mac, 0, sizeof(work->aes_mac));
		return 0;
	}
	if (nblocks > AES_KFUNC_BLOCKS_MAX)
		return -1;
	if (aes_kfunc_ctxs_find(work->aes_kfunc_generation, &ctxs))
		return -1;
	/* The kernel leaves the chaining value in the IV: zero it for every call. */
	iv_block[0] = 0;
	iv_block[1] = 0;
	/*
	 * One test per call: with "err = err ?: ..." the verifier loses the non-zero range of
	 * err in its sign extension and walks into bpf_crypto_encrypt() with a dynptr it never
	 * saw initialised ("Expected an initialized dynptr as arg #2").
	 */
	if (bpf_dynptr_from_mem(iv_block, 16, 0, &iv))
		return -1;
	/* off is a run-time value: the kernel checks the region against the whole buffer. */
	if (bpf_dynptr_from_mem(work, sizeof(*work), 0, &src))
		return -1;
	if (bpf_dynptr_adjust(&src, off, off + len))
		return -1;
	if (bpf_dynptr_from_mem(aes_kfunc_block(work, 0), len, 0, &dst))
		return -1;
	if (bpf_crypto_encrypt(ctxs.cbc, &src, &dst, &iv))
		return -1;
	last = aes_kfunc_block(work, len - 16);
	__builtin_memcpy(work->aes_mac, last, 16);
	return 0;
}

#endif /* DOT11XDP_BPF_AES_KFUNC_H */
