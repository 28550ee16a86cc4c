/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * WEP (IEEE 802.11 12.3.2), and the encapsulation TKIP shares with it: the MPDU body and its
 * ICV, a CRC-32 of the body, encrypted together with RC4. WEP's RC4 key is the frame's
 * 3-byte IV followed by the 5-byte (WEP-40) or 13-byte (WEP-104) key.
 *
 * Buffers (struct dot11xdp_work): the body is processed in place in body; rc4_state and
 * rc4_key hold the cipher's state. The ICV is the only integrity check WEP has: a CRC is
 * linear, so anyone can alter a WEP frame and fix its ICV; what passes here is merely not
 * corrupted by accident. WEP has no replay protection either.
 */
#ifndef DOT11XDP_BPF_WEP_H
#define DOT11XDP_BPF_WEP_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "crc32.h"
#include "rc4.h"
#include "work.h"

#define DOT11XDP_WEP_IV_LEN 3
#define DOT11XDP_WEP_ICV_LEN 4

/*
 * With work->rc4_key set: decrypt body[0 .. len) (RC4 of the body | ICV) in place and check
 * the ICV. Returns 0 when it matches (body[0 .. len - 4) is the plaintext), -1 otherwise.
 */
static __always_inline int wep_icv_open(struct dot11xdp_work *work, __u32 len)
{
	__u32 crc;

	if (len < DOT11XDP_WEP_ICV_LEN || len > DOT11XDP_BODY_MAX)
		return -1;
	if (rc4_init(work) || rc4_xor(work, len))
		return -1;
	/* Bounds the ICV's offset for the verifier, which loses it in the subtraction. */
	if (len - DOT11XDP_WEP_ICV_LEN > DOT11XDP_BODY_MAX - DOT11XDP_WEP_ICV_LEN)
		return -1;
	if (crc32_body(work, len - DOT11XDP_WEP_ICV_LEN, &crc))
		return -1;
	return crc == *(const __u32 *)(work->body + len - DOT11XDP_WEP_ICV_LEN) ? 0 : -1;
}

/*
 * With work->rc4_key set: append the ICV of body[0 .. len) and encrypt body[0 .. len + 4)
 * in place. Returns 0, or -1 if len + 4 does not fit body.
 */
static __always_inline int wep_icv_seal(struct dot11xdp_work *work, __u32 len)
{
	__u32 crc;

	if (len > DOT11XDP_BODY_MAX - DOT11XDP_WEP_ICV_LEN)
		return -1;
	if (crc32_body(work, len, &crc))
		return -1;
	*(__u32 *)(work->body + len) = crc;
	if (rc4_init(work) || rc4_xor(work, len + DOT11XDP_WEP_ICV_LEN))
		return -1;
	return 0;
}

/* The key's length if it is a WEP-40 or WEP-104 key prepared by the loader, else 0. */
static __always_inline __u32 wep_key_len(const struct dot11xdp_key *key)
{
	if (key->cipher == DOT11XDP_CIPHER_WEP40 && key->tk_len == DOT11XDP_WEP40_KEY_LEN)
		return DOT11XDP_WEP40_KEY_LEN;
	if (key->cipher == DOT11XDP_CIPHER_WEP104 && key->tk_len == DOT11XDP_WEP104_KEY_LEN)
		return DOT11XDP_WEP104_KEY_LEN;
	return 0;
}

/* work->rc4_key = IV | key: 8 bytes written twice for WEP-40, 16 for WEP-104. */
static __always_inline int wep_set_rc4_key(const struct dot11xdp_key *key,
					   struct dot11xdp_work *work, const __u8 *iv)
{
	__u32 key_len = wep_key_len(key);

	if (!key_len)
		return -1;
#pragma unroll
	for (int i = 0; i < DOT11XDP_WEP_IV_LEN; i++)
		work->rc4_key[i] = iv[i];
#pragma unroll
	for (int i = 0; i < DOT11XDP_WEP104_KEY_LEN; i++)
		if (i < key_len)
			work->rc4_key[DOT11XDP_WEP_IV_LEN + i] = key->material.wep.key[i];
	if (key_len == DOT11XDP_WEP40_KEY_LEN)
		rc4_key_double(work);
	return 0;
}

/*
 * Decrypt one WEP MPDU body in place.
 * key: a WEP-40 or WEP-104 key (material.wep, tk_len 5 or 13); another key fails.
 * work->body[0 .. len): RC4(body | ICV), copied out of the packet after the 4-byte WEP
 *   header; len <= DOT11XDP_BODY_MAX (longer fails), len >= 4.
 * iv: the 3-byte IV of the WEP header.
 * Returns 0 when the ICV is right (work->body[0 .. len - 4) is then the plaintext), -1
 * otherwise (body contents then unspecified; the caller never delivers them).
 */
static __always_inline int wep_decrypt(const struct dot11xdp_key *key, struct dot11xdp_work *work,
				       __u32 len, const __u8 *iv)
{
	if (wep_set_rc4_key(key, work, iv))
		return -1;
	return wep_icv_open(work, len);
}

/*
 * Encrypt one WEP MPDU body in place.
 * work->body[0 .. len): the plaintext; len + 4 <= DOT11XDP_BODY_MAX. key and iv as for
 * wep_decrypt (the caller picks a fresh IV per frame and writes the WEP header).
 * Returns 0 with work->body[0 .. len + 4) = RC4(plaintext | ICV), or -1.
 */
static __always_inline int wep_encrypt(const struct dot11xdp_key *key, struct dot11xdp_work *work,
				       __u32 len, const __u8 *iv)
{
	if (wep_set_rc4_key(key, work, iv))
		return -1;
	return wep_icv_seal(work, len);
}

#endif
