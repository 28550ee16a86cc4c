/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * TKIP (IEEE 802.11 12.5.2): a per-frame RC4 key mixed from the TK, the transmitter address
 * and the 48-bit TSC, the WEP encapsulation (RC4 over body | CRC-32 ICV, wep.h), and the
 * Michael MIC over each MSDU (michael.h).
 *
 * Key mixing: phase 1 turns TK, TA and TSC2..5 into the 80-bit TTAK (it changes once every
 * 65,536 frames), phase 2 turns TTAK, TK and TSC0..1 into the 16-byte RC4 key. Both run per
 * frame: 46 S-box substitutions, about 0.15 us here, 2-3% of a 1,500-byte frame, which
 * does not pay for a TTAK cache the data path would have to write into the key.
 *
 * Key material (struct dot11xdp_tkip_material): the TK and two Michael keys, one per
 * direction. The Michael key of a frame follows from how the key was found, which is what
 * the frame-side code knows: frames whose transmitter is the key's peer (enum
 * dot11xdp_replay_end DOT11XDP_FROM_PEER) use the key Windows calls the RX MIC key, frames
 * sent to the peer (DOT11XDP_TO_PEER, and every frame the transmit path protects) the TX
 * MIC key. For a station's key, whose peer is the AP, those are the AP->STA and STA->AP
 * keys of the PTK.
 */
#ifndef DOT11XDP_BPF_TKIP_H
#define DOT11XDP_BPF_TKIP_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "aes_table.h"
#include "michael.h"
#include "wep.h"
#include "work.h"

#define DOT11XDP_TKIP_TTAK_WORDS 5
#define DOT11XDP_TKIP_MIC_LEN 8
#define DOT11XDP_TKIP_TSC_MAX ((1ULL << 48) - 1)

/*
 * TKIP's 16-bit S-box, a table in IEEE 802.11, is the AES S-box s = Sbox(x) times
 * MixColumns' coefficients: (2s) << 8 | 3s. Derived here from aes_table.h's AES_SBOX; hi[]
 * holds the entries byte-swapped, for the input's high byte.
 */
#define TKIP_SBOX_LO(s) (AES_XTIME(s) << 8 | (AES_XTIME(s) ^ (s))),
#define TKIP_SBOX_HI(s) ((AES_XTIME(s) ^ (s)) << 8 | AES_XTIME(s)),

struct tkip_sbox_lookup {
	__u16 lo[256];
	__u16 hi[256];
};

static const struct tkip_sbox_lookup tkip_sbox = {
	.lo = { AES_SBOX(TKIP_SBOX_LO) },
	.hi = { AES_SBOX(TKIP_SBOX_HI) },
};

/* _S_(v) of the standard. */
static __always_inline __u16 tkip_s(__u32 v)
{
	return tkip_sbox.lo[v & 0xff] ^ tkip_sbox.hi[(v >> 8) & 0xff];
}

/* TK16(i): the i-th little-endian 16-bit word of the TK (Mk16(TK[2i + 1], TK[2i])). */
static __always_inline __u32 tkip_tk16(const __u8 *tk, int i)
{
	return *(const __u16 *)(tk + 2 * i);
}

/*
 * Phase 1: TTAK from the TK, the transmitter address ta (6 bytes) and iv32 = TSC2..5.
 * ttak: 5 words out.
 */
static __always_inline void tkip_phase1(const __u8 *tk, const __u8 *ta, __u32 iv32,
					__u16 ttak[DOT11XDP_TKIP_TTAK_WORDS])
{
	__u16 p0 = iv32, p1 = iv32 >> 16;
	__u16 p2 = ta[0] | ta[1] << 8, p3 = ta[2] | ta[3] << 8, p4 = ta[4] | ta[5] << 8;

#pragma unroll
	for (int i = 0; i < 8; i++) {
		int j = i & 1; /* the standard's j = 2 * (i & 1), counted here in words */

		p0 += tkip_s(p4 ^ tkip_tk16(tk, j));
		p1 += tkip_s(p0 ^ tkip_tk16(tk, 2 + j));
		p2 += tkip_s(p1 ^ tkip_tk16(tk, 4 + j));
		p3 += tkip_s(p2 ^ tkip_tk16(tk, 6 + j));
		p4 += tkip_s(p3 ^ tkip_tk16(tk, j)) + i;
	}
	ttak[0] = p0;
	ttak[1] = p1;
	ttak[2] = p2;
	ttak[3] = p3;
	ttak[4] = p4;
}

static __always_inline __u16 tkip_rotr1(__u16 v)
{
	return v >> 1 | v << 15;
}

/* Phase 2: the RC4 key (16 bytes, into rc4_key) from the TTAK, the TK and iv16 = TSC0..1. */
static __always_inline void tkip_phase2(const __u8 *tk, const __u16 ttak[DOT11XDP_TKIP_TTAK_WORDS],
					__u16 iv16, __u8 *rc4_key)
{
	__u16 p0 = ttak[0], p1 = ttak[1], p2 = ttak[2], p3 = ttak[3], p4 = ttak[4];
	__u16 p5 = p4 + iv16;

	p0 += tkip_s(p5 ^ tkip_tk16(tk, 0));
	p1 += tkip_s(p0 ^ tkip_tk16(tk, 1));
	p2 += tkip_s(p1 ^ tkip_tk16(tk, 2));
	p3 += tkip_s(p2 ^ tkip_tk16(tk, 3));
	p4 += tkip_s(p3 ^ tkip_tk16(tk, 4));
	p5 += tkip_s(p4 ^ tkip_tk16(tk, 5));
	p0 += tkip_rotr1(p5 ^ tkip_tk16(tk, 6));
	p1 += tkip_rotr1(p0 ^ tkip_tk16(tk, 7));
	p2 += tkip_rotr1(p1);
	p3 += tkip_rotr1(p2);
	p4 += tkip_rotr1(p3);
	p5 += tkip_rotr1(p4);

	/* The first three bytes repeat TSC1, the WEP seed and TSC0 of the TKIP header. */
	rc4_key[0] = iv16 >> 8;
	rc4_key[1] = ((iv16 >> 8) | 0x20) & 0x7f;
	rc4_key[2] = iv16;
	rc4_key[3] = (p5 ^ tkip_tk16(tk, 0)) >> 1;
	*(__u16 *)(rc4_key + 4) = p0;
	*(__u16 *)(rc4_key + 6) = p1;
	*(__u16 *)(rc4_key + 8) = p2;
	*(__u16 *)(rc4_key + 10) = p3;
	*(__u16 *)(rc4_key + 12) = p4;
	*(__u16 *)(rc4_key + 14) = p5;
}

/* Whether key is a TKIP key the loader prepared (TK and both Michael keys). */
static __always_inline bool tkip_key_ok(const struct dot11xdp_key *key)
{
	return key->cipher == DOT11XDP_CIPHER_TKIP && key->tk_len == DOT11XDP_TKIP_KEY_LEN;
}

/* Both phases: this frame's RC4 key into work->rc4_key. */
static __always_inline int tkip_mix_key(const struct dot11xdp_key *key, struct dot11xdp_work *work,
					const __u8 *ta, __u64 tsc)
{
	const __u8 *tk = key->material.tkip.tk;
	__u16 ttak[DOT11XDP_TKIP_TTAK_WORDS];

	if (!tkip_key_ok(key) || tsc > DOT11XDP_TKIP_TSC_MAX)
		return -1;
	tkip_phase1(tk, ta, tsc >> 16, ttak);
	tkip_phase2(tk, ttak, tsc, work->rc4_key);
	return 0;
}

/*
 * Decrypt one TKIP MPDU body in place and check its ICV.
 * key: a TKIP key (material.tkip, tk_len 32); another key fails.
 * work->body[0 .. len): RC4(MPDU body | ICV), copied out of the packet after the 8-byte TKIP
 *   header; len >= 4, len <= DOT11XDP_BODY_MAX (longer fails).
 * ta: the transmitter address (A2, 6 bytes); tsc: the frame's 48-bit TSC (TSC0 least
 *   significant), from the TKIP header.
 * Returns 0 when the ICV is right (work->body[0 .. len - 4) is then the plaintext MPDU body,
 * which for an unfragmented MSDU ends with the 8-byte Michael MIC: check it with
 * tkip_michael_verify before delivering anything), -1 otherwise (body contents then
 * unspecified).
 */
static __always_inline int tkip_decrypt(const struct dot11xdp_key *key, struct dot11xdp_work *work,
					__u32 len, const __u8 *ta, __u64 tsc)
{
	if (tkip_mix_key(key, work, ta, tsc))
		return -1;
	return wep_icv_open(work, len);
}

/*
 * Encrypt one TKIP MPDU body in place: append the ICV and encrypt.
 * work->body[0 .. len): the plaintext MPDU body (for an unfragmented MSDU, data then the
 *   Michael MIC of tkip_michael_append); len + 4 <= DOT11XDP_BODY_MAX.
 * key, ta and tsc as for tkip_decrypt (the caller writes the TKIP header for tsc).
 * Returns 0 with work->body[0 .. len + 4) = RC4(body | ICV), or -1.
 */
static __always_inline int tkip_encrypt(const struct dot11xdp_key *key, struct dot11xdp_work *work,
					__u32 len, const __u8 *ta, __u64 tsc)
{
	if (tkip_mix_key(key, work, ta, tsc))
		return -1;
	return wep_icv_seal(work, len);
}

/*
 * Michael over DA | SA | priority | 0 0 0 | work->body[0 .. data_len), with the key's
 * Michael key for end (enum dot11xdp_replay_end). Returns 0 with the MIC in *mic (as it goes
 * on the air, read as a little-endian u64), or -1.
 */
static __always_inline int tkip_michael(const struct dot11xdp_key *key, struct dot11xdp_work *work,
					__u32 data_len, const __u8 *da, const __u8 *sa,
					__u8 priority, __u32 end, __u64 *mic)
{
	struct michael_state m;

	if (!tkip_key_ok(key) || end >= DOT11XDP_REPLAY_ENDS ||
	    data_len > DOT11XDP_BODY_MAX - DOT11XDP_TKIP_MIC_LEN)
		return -1;
	michael_init(&m, key->material.tkip.michael[end]);
	michael_block(&m, da[0] | da[1] << 8 | da[2] << 16 | (__u32)da[3] << 24);
	michael_block(&m, da[4] | da[5] << 8 | sa[0] << 16 | (__u32)sa[1] << 24);
	michael_block(&m, sa[2] | sa[3] << 8 | sa[4] << 16 | (__u32)sa[5] << 24);
	michael_block(&m, priority);
	if (michael_body(&m, work, data_len))
		return -1;
	*mic = michael_mic(&m);
	return 0;
}

/*
 * Verify the Michael MIC of one whole MSDU (after decryption, and after reassembly for a
 * fragmented one).
 * work->body[0 .. data_len): the MSDU data; body[data_len .. data_len + 8): the received MIC;
 *   data_len + 8 <= DOT11XDP_BODY_MAX.
 * da, sa: the MSDU's destination and source addresses (6 bytes each, as derived from the
 *   header's DS bits); priority: the TID of a QoS data frame, 0 otherwise.
 * end: how the key was found, which picks the Michael key: DOT11XDP_FROM_PEER when the
 *   frame's TA is the key's peer, DOT11XDP_TO_PEER when its RA is (see the top of this file).
 * Returns 0 if the MIC is right, -1 otherwise (a MIC failure: count it, never deliver the
 * frame). The 8 bytes are compared at once, without an early exit.
 */
static __always_inline int tkip_michael_verify(const struct dot11xdp_key *key,
					       struct dot11xdp_work *work, __u32 data_len,
					       const __u8 *da, const __u8 *sa, __u8 priority,
					       __u32 end)
{
	__u64 mic;

	if (tkip_michael(key, work, data_len, da, sa, priority, end, &mic))
		return -1;
	return mic ^ *(const __u64 *)(work->body + data_len) ? -1 : 0;
}

/*
 * Append the Michael MIC of one MSDU: work->body[data_len .. data_len + 8) = MIC of
 * body[0 .. data_len); data_len + 8 <= DOT11XDP_BODY_MAX. Arguments as for
 * tkip_michael_verify; the transmit path protects frames sent to the key's peer, end =
 * DOT11XDP_TO_PEER. Returns 0, or -1.
 */
static __always_inline int tkip_michael_append(const struct dot11xdp_key *key,
					       struct dot11xdp_work *work, __u32 data_len,
					       const __u8 *da, const __u8 *sa, __u8 priority,
					       __u32 end)
{
	__u64 mic;

	if (tkip_michael(key, work, data_len, da, sa, priority, end, &mic))
		return -1;
	*(__u64 *)(work->body + data_len) = mic;
	return 0;
}

#endif
