/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * How each cipher wraps an MPDU body (IEEE 802.11 12.3.2, 12.5.2-12.5.5): the security header
 * in front of the encrypted data, the MIC or ICV behind it, what the header must look like
 * under a key of that cipher, and the packet number it carries. Shared by the receive and
 * transmit paths.
 *
 *   cipher            header                                          behind the data
 *   CCMP-128          PN0 PN1 rsvd keyid PN2..PN5 (8)                 MIC (8)
 *   CCMP-256, GCMP-*  the same                                        MIC (16)
 *   TKIP              TSC1 WEPSeed TSC0 keyid TSC2..TSC5 (8)          Michael MIC (8), ICV (4)
 *   WEP-40, WEP-104   IV0 IV1 IV2 keyid (4)                           ICV (4)
 *
 * The key-ID octet: key ID in bits 6-7, ExtIV (0x20) set exactly when a 48-bit PN/TSC
 * follows (every cipher but WEP). TKIP's Michael MIC is part of the encrypted data, before
 * the ICV.
 */
#ifndef DOT11XDP_BPF_PROTECT_H
#define DOT11XDP_BPF_PROTECT_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "consts.h"
#include "parse.h"

#define PROTECT_EXTIV_HDR_LEN 8 /* CCMP, GCMP, TKIP */
#define PROTECT_WEP_HDR_LEN 4
#define PROTECT_ICV_LEN 4
#define PROTECT_MICHAEL_LEN 8
#define PROTECT_MIC_LEN_16 16 /* CCMP-256, GCMP-128, GCMP-256 */
/* The TKIP header's second byte: (TSC1 | 0x20) & 0x7f, which keeps RC4 off its weak keys. */
#define TKIP_WEP_SEED(tsc1) (((tsc1) | 0x20) & 0x7f)

/* The outcome protect_check_header gives a header that fits the key: go on. */
#define PROTECT_HDR_OK DOT11XDP_RX_OUTCOMES

/* A cipher's framing. */
struct protect_layout {
	__u8 hdr_len;	  /* security header in front of the encrypted data */
	__u8 trailer_len; /* after the data: MIC, or Michael MIC and ICV, or ICV */
	bool extiv;	  /* ExtIV header with a 48-bit PN/TSC, and replay protection */
};

/* The framing of cipher (enum dot11xdp_cipher): 0, or -1 for a cipher without one here. */
static __always_inline int protect_layout(__u32 cipher, struct protect_layout *l)
{
	switch (cipher) {
	case DOT11XDP_CIPHER_CCMP:
		*l = (struct protect_layout){ PROTECT_EXTIV_HDR_LEN, CCMP_128_MIC_LEN, true };
		return 0;
	case DOT11XDP_CIPHER_CCMP_256:
	case DOT11XDP_CIPHER_GCMP:
	case DOT11XDP_CIPHER_GCMP_256:
		*l = (struct protect_layout){ PROTECT_EXTIV_HDR_LEN, PROTECT_MIC_LEN_16, true };
		return 0;
	case DOT11XDP_CIPHER_TKIP:
		*l = (struct protect_layout){ PROTECT_EXTIV_HDR_LEN,
					      PROTECT_MICHAEL_LEN + PROTECT_ICV_LEN, true };
		return 0;
	case DOT11XDP_CIPHER_WEP40:
	case DOT11XDP_CIPHER_WEP104:
		*l = (struct protect_layout){ PROTECT_WEP_HDR_LEN, PROTECT_ICV_LEN, false };
		return 0;
	default:
		return -1;
	}
}

/*
 * Whether the security header sec (the layout's hdr_len bytes) of frame f can be protected
 * by a key-mapping key of cipher. Returns PROTECT_HDR_OK, or the frame's outcome:
 * - ExtIV missing under CCMP, GCMP or TKIP, or set under WEP: MALFORMED (the frame is of
 *   another cipher, or damaged).
 * - CCMP, GCMP, TKIP: a key-mapping key has key ID 0 (Extended Key ID is not supported);
 *   another ID on a group-addressed frame names a group key, which this build does not hold
 *   (NO_KEY), on an individually addressed one it is MALFORMED.
 * - WEP: key ID 1-3 names a default key, which static WEP networks use for unicast as well
 *   (the "transmit key" setting): not this key-mapping key, but not malformed (NO_KEY).
 * - TKIP: the WEP seed byte must be (TSC1 | 0x20) & 0x7f; TKIP protects data frames only
 *   (management frame protection needs CCMP or GCMP), so a protected management frame
 *   under a TKIP key is MALFORMED.
 */
static __always_inline __u32 protect_check_header(__u32 cipher, const __u8 *sec,
						  const struct rx_frame *f)
{
	__u8 keyid = sec[3];

	if (cipher == DOT11XDP_CIPHER_WEP40 || cipher == DOT11XDP_CIPHER_WEP104) {
		if (keyid & CCMP_KEYID_EXTIV)
			return DOT11XDP_RX_MALFORMED;
		return keyid >> CCMP_KEYID_SHIFT ? DOT11XDP_RX_NO_KEY : PROTECT_HDR_OK;
	}
	if (!(keyid & CCMP_KEYID_EXTIV))
		return DOT11XDP_RX_MALFORMED;
	if (keyid >> CCMP_KEYID_SHIFT)
		return f->ra_group ? DOT11XDP_RX_NO_KEY : DOT11XDP_RX_MALFORMED;
	if (cipher == DOT11XDP_CIPHER_TKIP &&
	    (f->type != DOT11_TYPE_DATA || sec[1] != TKIP_WEP_SEED(sec[0])))
		return DOT11XDP_RX_MALFORMED;
	return PROTECT_HDR_OK;
}

/* 48-bit PN of a CCMP or GCMP header: PN0, PN1, reserved, key ID octet, PN2..PN5. */
static __always_inline __u64 ccmp_pn(const __u8 *sec)
{
	return (__u64)sec[0] | (__u64)sec[1] << 8 | (__u64)sec[4] << 16 | (__u64)sec[5] << 24 |
	       (__u64)sec[6] << 32 | (__u64)sec[7] << 40;
}

/* 48-bit TSC of a TKIP header: TSC1, WEP seed, TSC0, key ID octet, TSC2..TSC5. */
static __always_inline __u64 tkip_tsc(const __u8 *sec)
{
	return (__u64)sec[2] | (__u64)sec[0] << 8 | (__u64)sec[4] << 16 | (__u64)sec[5] << 24 |
	       (__u64)sec[6] << 32 | (__u64)sec[7] << 40;
}

/* The PN (CCMP, GCMP) or TSC (TKIP) an ExtIV header of cipher carries. */
static __always_inline __u64 protect_pn(__u32 cipher, const __u8 *sec)
{
	return cipher == DOT11XDP_CIPHER_TKIP ? tkip_tsc(sec) : ccmp_pn(sec);
}

/*
 * Which of a TKIP key's two Michael keys (tkip.h's michael_key) checks a frame with FC byte
 * 1 fc1 (the project lead's rule): by the frame's direction, not by which address found the
 * key. FromDS frames come from the AP and take the first key (Windows' RX MIC key, the
 * authenticator's TX key, PTK bytes 48-55), ToDS frames go to it and take the second.
 * Frames with neither DS bit (IBSS) or both (four-address) name no AP: they follow how the
 * key was found, end (enum dot11xdp_replay_end): frames from the key's peer the first key,
 * frames to it the second, as a station's key has them.
 */
static __always_inline __u32 tkip_michael_key(__u8 fc1, __u32 end)
{
	switch (fc1 & DOT11_FC1_DS_MASK) {
	case DOT11_FC1_FROMDS:
		return 0;
	case DOT11_FC1_TODS:
		return 1;
	default:
		return end == DOT11XDP_FROM_PEER ? 0 : 1;
	}
}

/*
 * A fragment (More Fragments set, or a fragment number above 0): TKIP's Michael MIC covers
 * the whole MSDU and can be checked only after reassembly.
 */
static __always_inline bool protect_is_fragment(const struct rx_frame *f)
{
	return (f->fc1 & DOT11_FC1_MOREFRAG) || (f->seq0 & DOT11_SEQ_FRAG_MASK);
}

#endif
