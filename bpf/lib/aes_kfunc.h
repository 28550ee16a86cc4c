/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The constant-time AES engine: the kernel's "ecb(aes)" and "cbc(aes)" lskciphers through
 * the BPF crypto kfuncs. The names resolve to the kernel's highest-priority AES cipher:
 * aes-fixed-time here (constant-time, software), AES-NI or the like where the CPU has it;
 * only a kernel built with neither would fall back to the table-driven aes-generic.
 *
 * Each bulk operation is one bpf_crypto_encrypt() call over a contiguous run of blocks,
 * because a call costs about 200 ns before it touches a byte: CTR is ECB over a buffer of
 * counter blocks, CBC-MAC the last block of a CBC pass with a zero IV.
 *
 * Buffers are map value memory (the per-CPU scratch: bpf_dynptr_from_mem() refuses the
 * stack) with room for AES_KFUNC_BLOCKS_MAX blocks from the pointer passed, so the verifier
 * can bound every length.
 */
#ifndef DOT11XDP_BPF_AES_KFUNC_H
#define DOT11XDP_BPF_AES_KFUNC_H

#include <linux/bpf.h>
#include <linux/errno.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "bpf_crypto.h"
#include "crypto_ctx.h"

#define AES_BLOCK_SIZE 16
/* CBC-MAC of the largest CCMP MPDU: B0, two AAD blocks and 144 blocks of a 2304-byte MSDU. */
#define AES_KFUNC_BLOCKS_MAX 147

/* A key on this engine: RCU-protected contexts, valid until the program returns. */
struct aes_kfunc_key {
	struct bpf_crypto_ctx *ecb;
	struct bpf_crypto_ctx *cbc;
};

/*
 * The contexts of the key (key_id, generation) as dot11xdp_keys holds it. 0, or -ENOKEY
 * when they are not (or no longer) installed.
 */
static __always_inline int aes_kfunc_key_find(const struct dot11xdp_key_id *key_id,
					      __u64 generation, struct aes_kfunc_key *key)
{
	struct dot11xdp_crypto_id id = { .key = *key_id, .generation = generation };
	struct dot11xdp_crypto_ctxs *slot;
	struct bpf_crypto_ctx *ecb, *cbc;

	slot = bpf_map_lookup_elem(&dot11xdp_crypto, &id);
	if (!slot)
		return -ENOKEY;
	ecb = slot->ecb;
	cbc = slot->cbc;
	if (!ecb || !cbc)
		return -ENOKEY;
	/* Read the kptrs before the generation: see struct dot11xdp_crypto_ctxs. */
	barrier();
	if (*(volatile __u64 *)&slot->generation != generation)
		return -ENOKEY;
	key->ecb = ecb;
	key->cbc = cbc;
	return 0;
}

/* Encrypt nblocks 16-byte blocks of buf in place (ECB): the CTR keystream in one call. */
static __always_inline int aes_kfunc_encrypt_blocks(const struct aes_kfunc_key *key, __u8 *buf,
						    __u32 nblocks)
{
	struct bpf_dynptr blocks;
	int err;

	if (nblocks == 0 || nblocks > AES_KFUNC_BLOCKS_MAX)
		return -EINVAL;
	err = bpf_dynptr_from_mem(buf, nblocks * AES_BLOCK_SIZE, 0, &blocks);
	if (err)
		return err;
	return bpf_crypto_encrypt(key->ecb, &blocks, &blocks, NULL);
}

/*
 * CBC-MAC with a zero IV over nblocks blocks of buf into mac, in one call; buf is left as
 * it was. scratch is map value memory with room for AES_KFUNC_BLOCKS_MAX + 1 blocks: the
 * IV first (bpf_dynptr_from_mem() takes no stack memory), then the CBC output, whose last
 * block is the MAC.
 */
static __always_inline int aes_kfunc_cbc_mac(const struct aes_kfunc_key *key, const __u8 *buf,
					     __u32 nblocks, __u8 *scratch,
					     __u8 mac[AES_BLOCK_SIZE])
{
	struct bpf_dynptr src, dst, iv;
	__u32 len;
	int err;

	if (nblocks == 0 || nblocks > AES_KFUNC_BLOCKS_MAX)
		return -EINVAL;
	len = nblocks * AES_BLOCK_SIZE;
	/* The kernel leaves the chaining value in the IV: zero it for every call. */
	__builtin_memset(scratch, 0, AES_BLOCK_SIZE);
	/*
	 * One test per call: with "err = err ?: ..." the verifier loses the non-zero range of
	 * err through its sign extension and walks into bpf_crypto_encrypt() with a dynptr it
	 * never saw initialised ("Expected an initialized dynptr as arg #2").
	 */
	err = bpf_dynptr_from_mem(scratch, AES_BLOCK_SIZE, 0, &iv);
	if (err)
		return err;
	err = bpf_dynptr_from_mem((void *)buf, len, 0, &src);
	if (err)
		return err;
	err = bpf_dynptr_from_mem(scratch + AES_BLOCK_SIZE, len, 0, &dst);
	if (err)
		return err;
	err = bpf_crypto_encrypt(key->cbc, &src, &dst, &iv);
	if (err)
		return err;
	__builtin_memcpy(mac, scratch + len, AES_BLOCK_SIZE);
	return 0;
}

#endif /* DOT11XDP_BPF_AES_KFUNC_H */
