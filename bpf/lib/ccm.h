/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * CCM (RFC 3610) with L = 2, the mode of CCMP-128 and CCMP-256, over the bulk operations of
 * aes.h: CTR and CBC-MAC each run as one pass over the frame, CTR first when decrypting.
 *
 * Buffers (struct dot11xdp_work): the payload is processed in place in body, whole blocks at
 * a time; the bytes after the payload up to the next block boundary are scratch (zeroed for
 * CBC-MAC's padding). B0 and the AAD blocks are built in ccm_head, right in front of body, so
 * CBC-MAC covers B0 | AAD | payload in one operation; outside CBC-MAC the last head block
 * holds the MIC, so CTR covers MIC and payload (counters 0..n) in one operation too.
 */
#ifndef DOT11XDP_BPF_CCM_H
#define DOT11XDP_BPF_CCM_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "aes.h"
#include "work.h"

#define DOT11XDP_CCM_NONCE_LEN 13
/* Longest AAD the head blocks hold: ccm_head is B0 plus two blocks, 2 of them the length. */
#define DOT11XDP_CCM_AAD_MAX 30

_Static_assert(DOT11XDP_CCM_HEAD_MAX == 16 + 2 + DOT11XDP_CCM_AAD_MAX, "B0 + length + AAD");
/* Counter blocks 0 .. BODY_MAX / 16 must fit aes_ctr_xor's one-byte counter. */
_Static_assert(DOT11XDP_BODY_MAX / 16 < 256, "CTR counter stays in the last byte");

/* The first counter block A_i = flags (L - 1) | nonce | i (2 bytes, big-endian), in aes_ctr. */
static __always_inline void ccm_counter_block(struct dot11xdp_work *work, const __u8 *nonce,
					      __u8 counter)
{
	work->aes_ctr[0] = 2 - 1;
#pragma unroll
	for (int i = 0; i < DOT11XDP_CCM_NONCE_LEN; i++)
		work->aes_ctr[1 + i] = nonce[i];
	work->aes_ctr[14] = 0;
	work->aes_ctr[15] = counter;
}

/*
 * B0 = flags | nonce | payload length, then the AAD's length (2 bytes) and the AAD, zero
 * padded: written right-aligned in ccm_head so they end where body starts. Returns the
 * number of head blocks (1 to 3).
 */
static __always_inline __u32 ccm_head(struct dot11xdp_work *work, __u32 payload_len,
				      const __u8 *aad, __u32 aad_len, const __u8 *nonce,
				      __u32 mic_len)
{
	__u64 *head = (__u64 *)work->ccm_head;
	__u32 nhead = 3;
	__u8 *b0;

	if (!aad_len)
		nhead = 1;
	else if (aad_len <= 16 - 2)
		nhead = 2;
	b0 = work->ccm_head + DOT11XDP_CCM_HEAD_MAX - 16 * nhead;

#pragma unroll
	for (int i = 0; i < DOT11XDP_CCM_HEAD_MAX / 8; i++)
		head[i] = 0;
	/* Flags: Adata, M' = (M - 2) / 2, L' = L - 1. */
	b0[0] = (aad_len ? 0x40 : 0) | ((mic_len - 2) / 2) << 3 | (2 - 1);
#pragma unroll
	for (int i = 0; i < DOT11XDP_CCM_NONCE_LEN; i++)
		b0[1 + i] = nonce[i];
	b0[14] = payload_len >> 8;
	b0[15] = payload_len;
	if (aad_len) {
		b0[16] = 0;
		b0[17] = aad_len;
		/*
		 * A fixed trip count: a loop that breaks at aad_len is compiled into one the
		 * verifier walks past the buffer ("invalid read from stack").
		 */
#pragma unroll
		for (int i = 0; i < DOT11XDP_CCM_AAD_MAX; i++)
			if (i < aad_len)
				b0[18 + i] = aad[i];
	}
	return nhead;
}

/*
 * A length checked earlier, made unknown to the compiler so that the check the caller does
 * next stays in the program: clang drops a check it can prove redundant, and 6.1's verifier
 * loses the bounds of a 32-bit value once it has been spilled to the stack ("unbounded
 * memory access").
 */
static __always_inline __u32 ccm_recheck(__u32 len)
{
	asm("" : "+r"(len));
	return len;
}

/* Zero body[len .. next block boundary): CBC-MAC pads the last block with zeros. */
static __always_inline void ccm_zero_pad(struct dot11xdp_work *work, __u32 len)
{
	__u32 used = len & 15, at = ccm_recheck(len) & ~15U;
	__u64 *block;

	/* Bounds the block for the verifier ("invalid access to map value"); len fits body. */
	if (!used || at > DOT11XDP_BODY_MAX - 16)
		return;
	block = (__u64 *)(work->body + at);
	if (used >= 8) {
		block[1] &= (1ULL << 8 * (used - 8)) - 1;
	} else {
		block[0] &= (1ULL << 8 * used) - 1;
		block[1] = 0;
	}
}

/* The arguments both directions check. */
static __always_inline bool ccm_args_ok(__u32 aad_len, __u32 mic_len)
{
	return (mic_len == 8 || mic_len == 16) && aad_len <= DOT11XDP_CCM_AAD_MAX;
}

/*
 * Decrypt and verify one CCM payload in place.
 * key: the map value (material.aes_schedule holds the expanded key; key->tk_len 16 or 32 gives the rounds).
 * work->body[0 .. len): ciphertext followed by the mic_len-byte MIC, copied out of the packet by the caller;
 *   len <= DOT11XDP_BODY_MAX, len >= mic_len (caller checks).
 * aad/aad_len: the CCMP AAD (22..30 bytes); nonce: 13 bytes; mic_len: 8 (CCMP-128) or 16 (CCMP-256).
 * Returns 0 when the MIC verifies (work->body[0 .. len - mic_len) is then the plaintext), -1 otherwise
 * (body contents then unspecified; the caller never delivers them). Compares the MIC without an early exit.
 *
 * aad and nonce may point at the stack or at a map value; the AAD buffer must hold
 * DOT11XDP_CCM_AAD_MAX bytes, whatever aad_len says (the verifier checks the longest read).
 */
static __always_inline int ccm_decrypt(const struct dot11xdp_key *key, struct dot11xdp_work *work, __u32 len,
				       const __u8 *aad, __u32 aad_len, const __u8 *nonce, __u32 mic_len)
{
	__u64 *tag = (__u64 *)work->ccm_tag, *mac = (__u64 *)work->aes_mac;
	__u64 *mic_block = (__u64 *)(work->body - 16);
	__u64 mic_lo, mic_hi, hi_mask, diff;
	__u32 clen, nblocks, nhead;
	const __u8 *mic;

	if (!ccm_args_ok(aad_len, mic_len) || len < mic_len || len > DOT11XDP_BODY_MAX)
		return -1;
	clen = len - mic_len;
	/*
	 * Bounds clen for the verifier, which loses it in the subtraction ("invalid access to
	 * map value").
	 */
	if (clen > DOT11XDP_BODY_MAX - 8)
		return -1;
	nblocks = (clen + 15) / 16;
	if (aes_begin(key, work))
		return -1;

	/*
	 * The received MIC U = T XOR E(A_0) goes in the block in front of body (the last head
	 * block, free until CBC-MAC), so that one CTR pass from counter 0 turns it into T and
	 * the ciphertext into plaintext.
	 */
	hi_mask = mic_len == 16 ? ~0ULL : 0;
	mic = work->body + clen;
	mic_lo = *(const __u64 *)mic;
	mic_hi = *(const __u64 *)(mic + 8);
	mic_block[0] = mic_lo;
	mic_block[1] = mic_hi & hi_mask;
	ccm_counter_block(work, nonce, 0);
	if (aes_ctr_xor(key, work, AES_WORK_OFF(body) - 16, 1 + nblocks))
		return -1;
	tag[0] = mic_block[0];
	tag[1] = mic_block[1];

	ccm_zero_pad(work, clen);
	nhead = ccm_head(work, clen, aad, aad_len, nonce, mic_len);
	if (aes_cbc_mac(key, work, AES_WORK_OFF(body) - 16 * nhead, nhead + nblocks))
		return -1;
	diff = (mac[0] ^ tag[0]) | ((mac[1] ^ tag[1]) & hi_mask);
	return diff ? -1 : 0;
}

/*
 * Encrypt and authenticate one CCM payload in place.
 * work->body[0 .. len): the plaintext; len + mic_len <= DOT11XDP_BODY_MAX.
 * key, aad/aad_len, nonce and mic_len as for ccm_decrypt.
 * Returns 0 with work->body[0 .. len + mic_len) the ciphertext followed by the MIC, or -1
 * (body contents then unspecified).
 */
static __always_inline int ccm_encrypt(const struct dot11xdp_key *key, struct dot11xdp_work *work,
				       __u32 len, const __u8 *aad, __u32 aad_len, const __u8 *nonce,
				       __u32 mic_len)
{
	__u64 *mic_block = (__u64 *)(work->body - 16), *mac = (__u64 *)work->aes_mac;
	__u32 nblocks, nhead;
	__u64 *mic;

	if (!ccm_args_ok(aad_len, mic_len) || len > DOT11XDP_BODY_MAX - mic_len)
		return -1;
	/*
	 * Bounds len for the verifier, which loses it in the subtraction ("invalid access to
	 * map value").
	 */
	if (len > DOT11XDP_BODY_MAX - 8)
		return -1;
	nblocks = (len + 15) / 16;
	if (aes_begin(key, work))
		return -1;

	ccm_zero_pad(work, len);
	nhead = ccm_head(work, len, aad, aad_len, nonce, mic_len);
	if (aes_cbc_mac(key, work, AES_WORK_OFF(body) - 16 * nhead, nhead + nblocks))
		return -1;

	/*
	 * T goes in the block in front of body (the head is spent), so that one CTR pass from
	 * counter 0 turns it into the MIC U = T XOR E(A_0) and the plaintext into ciphertext.
	 */
	mic_block[0] = mac[0];
	mic_block[1] = mac[1];
	ccm_counter_block(work, nonce, 0);
	if (aes_ctr_xor(key, work, AES_WORK_OFF(body) - 16, 1 + nblocks))
		return -1;
	len = ccm_recheck(len);
	/* Bounds the MIC for the verifier ("unbounded memory access"); checked on entry. */
	if (len > DOT11XDP_BODY_MAX - 8)
		return -1;
	mic = (__u64 *)(work->body + len);
	mic[0] = mic_block[0];
	if (mic_len == 16)
		mic[1] = mic_block[1];
	return 0;
}

#endif
