/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * GCM (NIST SP 800-38D) with a 96-bit IV and a 16-byte tag, the mode of GCMP-128 and
 * GCMP-256: J0 = nonce | 00 00 00 01, the payload's counter blocks J0 + 1, ...,
 * tag = GHASH_H(AAD, ciphertext, lengths) XOR AES_K(J0), H = AES_K(0^128). AES runs through
 * the bulk operations of aes.h (either engine), GHASH through ghash.h.
 *
 * Buffers (struct dot11xdp_work), shared with CCM: the payload is processed in place in body,
 * whole blocks at a time; the bytes after it up to the next block boundary are zeroed for
 * GHASH, and the block after that takes GHASH's lengths block. The AAD blocks go in ccm_head,
 * right-aligned in front of body, so one GHASH pass covers AAD | ciphertext | lengths. The
 * last block of ccm_head doubles as J0's block: one CTR operation from J0 over it and the
 * payload yields AES_K(J0) and the keystream together, a single bulk AES call per frame.
 */
#ifndef DOT11XDP_BPF_GCM_H
#define DOT11XDP_BPF_GCM_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "aes.h"
#include "ghash.h"
#include "work.h"

#define DOT11XDP_GCM_NONCE_LEN 12
#define DOT11XDP_GCM_TAG_LEN 16
/* Longest AAD: two blocks of ccm_head (the CCMP/GCMP AAD is 22..30 bytes). */
#define DOT11XDP_GCM_AAD_MAX 30

_Static_assert(DOT11XDP_CCM_HEAD_MAX >= 2 * 16, "two AAD blocks fit in front of body");
/* J0 plus the payload's counter blocks must fit aes_ctr_xor's one-byte counter. */
_Static_assert(1 + DOT11XDP_BODY_MAX / 16 < 256, "CTR counter stays in the last byte");

/* J0's block, the last of ccm_head: CTR from J0 starts here and runs on into body. */
#define GCM_J0_OFF (AES_WORK_OFF(body) - 16)

/*
 * Hide x's range from clang. A bounds check the verifier needs is otherwise dropped by clang
 * as redundant when clang knows the range from an earlier check whose result the verifier no
 * longer connects to x (a copy spilled before it, or the range lost in arithmetic), and the
 * access after it is refused ("unbounded memory access", "invalid access to map value").
 */
#define GCM_OPAQUE(x) asm volatile("" : "+r"(x))

/* Blocks of the CTR operation from J0, J0's and the payload's (the engine checks the count). */
static __always_inline __u32 gcm_ctr_blocks(__u32 payload_len)
{
	__u32 nblocks = 1 + (payload_len + 15) / 16;

	GCM_OPAQUE(nblocks);
	return nblocks;
}

/* J0 = nonce | 00 00 00 01 into aes_ctr (the payload's blocks follow: last byte + 1, ...). */
static __always_inline void gcm_counter_block(struct dot11xdp_work *work, const __u8 *nonce)
{
#pragma unroll
	for (int i = 0; i < DOT11XDP_GCM_NONCE_LEN; i++)
		work->aes_ctr[i] = nonce[i];
	*(__u32 *)&work->aes_ctr[12] = __builtin_bswap32(1);
}

/*
 * S = GHASH_H(AAD, body[0 .. clen), lengths) into s (ghash.h's (hi, lo) form), with the
 * table ghash_begin() built. Lays out the AAD blocks in ccm_head, zeroes body from clen to
 * the block boundary and writes the lengths block after it. aad_len <= DOT11XDP_GCM_AAD_MAX
 * (callers check). Returns 0, or -1 (clen above DOT11XDP_BODY_MAX - 16, or GHASH failed).
 */
static __always_inline int gcm_ghash(struct dot11xdp_work *work, __u32 clen, const __u8 *aad,
				     __u32 aad_len, __u64 *s)
{
	__u32 naad = (aad_len + 15) / 16, padded = (clen + 15) & ~15U, used = clen & 15;
	__u64 *head = (__u64 *)(work->ccm_head + DOT11XDP_CCM_HEAD_MAX - 32), *block;
	__u8 *aad_at = work->ccm_head + DOT11XDP_CCM_HEAD_MAX - 16 * (aad_len > 16 ? 2 : 1);

	/* Bounds the blocks after the payload for the verifier. */
	GCM_OPAQUE(clen);
	if (clen > DOT11XDP_BODY_MAX - 16)
		return -1;

#pragma unroll
	for (int i = 0; i < 4; i++)
		head[i] = 0;
	/*
	 * A fixed trip count: a loop that breaks at aad_len is compiled into one the verifier
	 * walks past the buffer ("invalid read from stack").
	 */
#pragma unroll
	for (int i = 0; i < DOT11XDP_GCM_AAD_MAX; i++)
		if (i < aad_len)
			aad_at[i] = aad[i];

	block = (__u64 *)(work->body + (clen & ~15U));
	if (used >= 8) {
		block[1] &= (1ULL << 8 * (used - 8)) - 1;
	} else if (used) {
		block[0] &= (1ULL << 8 * used) - 1;
		block[1] = 0;
	}
	/* The lengths block: bit lengths of the AAD and the ciphertext, 64-bit big-endian. */
	if (padded > DOT11XDP_BODY_MAX - 16)
		return -1; /* the verifier lost the bound on clen in the rounding */
	block = (__u64 *)(work->body + padded);
	block[0] = __builtin_bswap64((__u64)aad_len * 8);
	block[1] = __builtin_bswap64((__u64)clen * 8);

	return ghash(work, AES_WORK_OFF(body) - 16 * naad, naad + padded / 16 + 1, s);
}

/* The arguments both directions check: a key prepared for GCMP (with its H), the AAD. */
static __always_inline bool gcm_args_ok(const struct dot11xdp_key *key, __u32 aad_len)
{
	bool key_ok = (key->cipher == DOT11XDP_CIPHER_GCMP && key->tk_len == 16) ||
		      (key->cipher == DOT11XDP_CIPHER_GCMP_256 && key->tk_len == 32);

	return key_ok && aad_len <= DOT11XDP_GCM_AAD_MAX;
}

/*
 * Decrypt and verify one GCM payload in place.
 * key: the map value, prepared for DOT11XDP_CIPHER_GCMP (tk_len 16) or DOT11XDP_CIPHER_GCMP_256
 *   (tk_len 32): material.ghash_h holds H, the engine its AES key; any other key is refused.
 * work->body[0 .. len): ciphertext followed by the 16-byte tag, copied out of the packet by
 *   the caller; 16 <= len <= DOT11XDP_BODY_MAX (checked).
 * aad/aad_len: the GCMP AAD (22..30 bytes; 0..30 taken); nonce: 12 bytes (A2 | PN5..PN0).
 * Returns 0 when the tag verifies (work->body[0 .. len - 16) is then the plaintext), -1
 * otherwise (body contents then unspecified; the caller never delivers them). Compares the
 * tag without an early exit.
 *
 * aad and nonce may point at the stack or at a map value; the AAD buffer must hold
 * DOT11XDP_GCM_AAD_MAX bytes, whatever aad_len says (the verifier checks the longest read).
 */
static __always_inline int gcm_decrypt(const struct dot11xdp_key *key, struct dot11xdp_work *work,
				       __u32 len, const __u8 *aad, __u32 aad_len, const __u8 *nonce)
{
	__u64 *j0 = (__u64 *)((__u8 *)work + GCM_J0_OFF), *tag = (__u64 *)work->ccm_tag;
	__u64 s[2], diff;
	__u32 clen;
	const __u8 *mic;

	if (!gcm_args_ok(key, aad_len) || len < DOT11XDP_GCM_TAG_LEN || len > DOT11XDP_BODY_MAX)
		return -1;
	clen = len - DOT11XDP_GCM_TAG_LEN;
	/* Bounds clen for the verifier, which loses it in the subtraction. */
	GCM_OPAQUE(clen);
	if (clen > DOT11XDP_BODY_MAX - 16)
		return -1;
	if (aes_begin(key, work))
		return -1;
	ghash_begin(key, work);

	/* Take the tag out of body before the padding and lengths block overwrite it. */
	mic = work->body + clen;
	tag[0] = *(const __u64 *)mic;
	tag[1] = *(const __u64 *)(mic + 8);

	if (gcm_ghash(work, clen, aad, aad_len, s))
		return -1;
	/* S in J0's block: CTR from J0 turns it into S ^ AES_K(J0), the tag to expect. */
	j0[0] = __builtin_bswap64(s[0]);
	j0[1] = __builtin_bswap64(s[1]);
	gcm_counter_block(work, nonce);
	if (aes_ctr_xor(key, work, GCM_J0_OFF, gcm_ctr_blocks(clen)))
		return -1;
	diff = (j0[0] ^ tag[0]) | (j0[1] ^ tag[1]);
	return diff ? -1 : 0;
}

/*
 * Encrypt and authenticate one GCM payload in place.
 * work->body[0 .. len): the plaintext; len + 16 <= DOT11XDP_BODY_MAX (checked).
 * key, aad/aad_len and nonce as for gcm_decrypt.
 * Returns 0 with work->body[0 .. len + 16) the ciphertext followed by the tag, or -1 (body
 * contents then unspecified).
 */
static __always_inline int gcm_encrypt(const struct dot11xdp_key *key, struct dot11xdp_work *work,
				       __u32 len, const __u8 *aad, __u32 aad_len, const __u8 *nonce)
{
	__u64 *j0 = (__u64 *)((__u8 *)work + GCM_J0_OFF), *ek_j0 = (__u64 *)work->ccm_tag;
	__u64 s[2], *mic;

	if (!gcm_args_ok(key, aad_len) || len > DOT11XDP_BODY_MAX - DOT11XDP_GCM_TAG_LEN)
		return -1;
	if (aes_begin(key, work))
		return -1;
	ghash_begin(key, work);

	/* A zero J0 block: CTR from J0 leaves AES_K(J0) there and encrypts the payload. */
	j0[0] = 0;
	j0[1] = 0;
	gcm_counter_block(work, nonce);
	if (aes_ctr_xor(key, work, GCM_J0_OFF, gcm_ctr_blocks(len)))
		return -1;
	/* The AAD blocks take J0's block next: keep AES_K(J0) in ccm_tag. */
	ek_j0[0] = j0[0];
	ek_j0[1] = j0[1];

	if (gcm_ghash(work, len, aad, aad_len, s))
		return -1;
	/* Bounds the tag's place for the verifier, which knew len's range before the calls. */
	GCM_OPAQUE(len);
	if (len > DOT11XDP_BODY_MAX - 16)
		return -1;
	mic = (__u64 *)(work->body + len);
	mic[0] = __builtin_bswap64(s[0]) ^ ek_j0[0];
	mic[1] = __builtin_bswap64(s[1]) ^ ek_j0[1];
	return 0;
}

#endif
