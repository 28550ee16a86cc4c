/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The AES engine interface: the few bulk operations the cipher modes (ccm.h, gcm.h) are
 * written against, each over a contiguous run of whole 16-byte blocks inside the per-CPU
 * work buffer. Regions are named by byte offset into struct dot11xdp_work, so an engine built
 * on the kernel's crypto kfuncs can wrap the work value in one dynptr, narrow it with
 * bpf_dynptr_adjust() and make one bpf_crypto_encrypt() call per operation:
 *   aes_ctr_xor -> "ecb(aes)" over counter blocks it writes to a scratch field, then XOR;
 *   aes_cbc_mac -> "cbc(aes)" with a zero IV, keeping the last output block.
 * The key's engine field (enum dot11xdp_engine) picks the implementation: aes_table.h, or
 * aes_kfunc.h unless the including file sets DOT11XDP_KFUNC_ENGINE to 0 (a program for a
 * kernel without the kfuncs, loaded through libbpf 1.1, must not contain their calls at
 * all); any other value fails every operation.
 *
 * Every operation returns 0, or -1 when it could not run (unknown engine or key length, a
 * region outside the buffer, or a loop cut short by the kernel): callers treat -1 as a
 * failed MIC and never deliver the data.
 */
#ifndef DOT11XDP_BPF_AES_H
#define DOT11XDP_BPF_AES_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "aes_table.h"
#include "work.h"

#ifndef DOT11XDP_KFUNC_ENGINE
#define DOT11XDP_KFUNC_ENGINE 1
#endif
#if DOT11XDP_KFUNC_ENGINE
#include "aes_kfunc.h"
#endif

/* Byte offset of a field of struct dot11xdp_work: how the operations below name regions. */
#define AES_WORK_OFF(field) ((__u32)__builtin_offsetof(struct dot11xdp_work, field))

/* Set the engine up for one frame with key (for the table engine: lay out the round keys). */
static __always_inline int aes_begin(const struct dot11xdp_key *key, struct dot11xdp_work *work)
{
	if (key->engine == DOT11XDP_ENGINE_TABLE)
		return aes_table_begin(key, work);
#if DOT11XDP_KFUNC_ENGINE
	if (key->engine == DOT11XDP_ENGINE_KFUNC)
		return aes_kfunc_begin(key, work);
#endif
	return -1;
}

/*
 * XOR the AES-CTR keystream into nblocks blocks of work at byte offset off. The counter
 * blocks are work->aes_ctr, then the same with its last byte incremented per block; the
 * caller keeps aes_ctr[15] + nblocks <= 256 (CCM and GCM frames need at most 148 blocks).
 */
static __always_inline int aes_ctr_xor(const struct dot11xdp_key *key, struct dot11xdp_work *work,
				       __u32 off, __u32 nblocks)
{
	if (key->engine == DOT11XDP_ENGINE_TABLE)
		return aes_table_ctr_xor(work, off, nblocks);
#if DOT11XDP_KFUNC_ENGINE
	if (key->engine == DOT11XDP_ENGINE_KFUNC)
		return aes_kfunc_ctr_xor(key, work, off, nblocks);
#endif
	return -1;
}

/*
 * CBC-MAC of nblocks blocks of work at byte offset off: the last block of their CBC
 * encryption with a zero IV, stored in work->aes_mac.
 */
static __always_inline int aes_cbc_mac(const struct dot11xdp_key *key, struct dot11xdp_work *work,
				       __u32 off, __u32 nblocks)
{
	if (key->engine == DOT11XDP_ENGINE_TABLE)
		return aes_table_cbc_mac(work, off, nblocks);
#if DOT11XDP_KFUNC_ENGINE
	if (key->engine == DOT11XDP_ENGINE_KFUNC)
		return aes_kfunc_cbc_mac(key, work, off, nblocks);
#endif
	return -1;
}

#endif
