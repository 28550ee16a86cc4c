/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * CCMP receive (IEEE 802.11 12.5.3): security header, AAD and nonce as
 * spec/dot11-crypto.md gives them, the replay check around the CCM core, and the
 * rewrite of the frame into its plaintext form.
 */
#ifndef DOT11XDP_BPF_CCMP_H
#define DOT11XDP_BPF_CCMP_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "ccm.h"
#include "consts.h"
#include "parse.h"
#include "replay.h"
#include "work.h"

/* What the CCM core takes besides the key and the body. */
struct ccmp_inputs {
	__u8 aad[CCMP_AAD_MAX];
	__u8 nonce[CCMP_NONCE_LEN];
	__u8 pad;
	__u32 aad_len;
	__u32 mic_len;
};

/*
 * The CCM core behind a global function, which the verifier checks once on its own instead
 * of once for every key-lookup path that reaches it. Inlined, it cost about four times the
 * processed instructions and pushed the combined stack past 512 bytes ("combined stack
 * size of 3 calls is 624. Too large"). Pointer arguments of a global function may be NULL
 * as far as the verifier knows.
 */
__noinline int ccmp_decrypt_body(const struct dot11xdp_key *key, struct dot11xdp_work *work,
				 __u32 len, const struct ccmp_inputs *in)
{
	if (!key || !work || !in)
		return -1;
	return ccm_decrypt(key, work, len, in->aad, in->aad_len, in->nonce, in->mic_len);
}

/* 48-bit PN of a CCMP header: PN0, PN1, reserved, key ID octet, PN2..PN5. */
static __always_inline __u64 ccmp_pn(const __u8 *sec)
{
	return (__u64)sec[0] | (__u64)sec[1] << 8 | (__u64)sec[4] << 16 | (__u64)sec[5] << 24 |
	       (__u64)sec[6] << 32 | (__u64)sec[7] << 40;
}

/*
 * AAD: FC with Retry, PwrMgt and MoreData cleared and Protected set (data frames also
 * lose subtype bits 4-6, QoS data frames the Order bit), A1..A3, the fragment number of
 * Sequence Control, A4 if present, then the TID of QoS Control (with the A-MSDU bit under
 * an SPP A-MSDU key). a4 is NULL on a three-address frame. Returns the AAD length: 22,
 * +6 with A4, +2 with QoS Control.
 */
static __always_inline __u32 ccmp_build_aad(const struct dot11_hdr *hdr, const __u8 *a4,
					    const struct rx_frame *f, __u8 key_flags, __u8 *aad)
{
	__u8 fc0 = f->fc0, fc1 = f->fc1, qos_mask = DOT11_QOS_TID_MASK;
	__u32 len = 22;

	fc1 &= ~(DOT11_FC1_RETRY | DOT11_FC1_PWRMGT | DOT11_FC1_MOREDATA);
	fc1 |= DOT11_FC1_PROTECTED;
	if (f->type != DOT11_TYPE_MGMT)
		fc0 &= ~DOT11_FC0_DATA_SUBTYPE_MASK;
	if (f->qos)
		fc1 &= ~DOT11_FC1_ORDER;
	if (key_flags & DOT11XDP_KEY_SPP_AMSDU)
		qos_mask |= DOT11_QOS_AMSDU;

	aad[0] = fc0;
	aad[1] = fc1;
	__builtin_memcpy(aad + 2, hdr->addr1, 3 * DOT11XDP_MAC_LEN);
	aad[20] = f->seq0 & DOT11_SEQ_FRAG_MASK;
	aad[21] = 0;
	/* Constant offsets in each branch: a variable stack offset costs verifier precision. */
	if (a4) {
		__builtin_memcpy(aad + 22, a4, DOT11_A4_LEN);
		len += DOT11_A4_LEN;
		if (f->qos) {
			aad[28] = f->qos0 & qos_mask;
			aad[29] = 0;
			len += DOT11_QOS_LEN;
		}
	} else if (f->qos) {
		aad[22] = f->qos0 & qos_mask;
		aad[23] = 0;
		len += DOT11_QOS_LEN;
	}
	return len;
}

/* Nonce: flags (TID of QoS data; 0x10 on management frames), A2, PN5..PN0. */
static __always_inline void ccmp_build_nonce(const struct rx_frame *f, const __u8 *sec, __u8 *nonce)
{
	nonce[0] = f->qos ? f->qos0 & DOT11_QOS_TID_MASK : 0;
	if (f->type == DOT11_TYPE_MGMT)
		nonce[0] |= CCMP_NONCE_MGMT;
	__builtin_memcpy(nonce + 1, f->ta.addr, DOT11XDP_MAC_LEN);
	nonce[7] = sec[7];
	nonce[8] = sec[6];
	nonce[9] = sec[5];
	nonce[10] = sec[4];
	nonce[11] = sec[1];
	nonce[12] = sec[0];
}

/* The plaintext frame no longer carries protection or, once trimmed, an FCS: say so. */
static __always_inline void ccmp_mark_plaintext(struct xdp_md *ctx, struct rx_frame *f)
{
	__u8 *p;

	p = frame_ptr(ctx, f->rt_len, 2); /* Frame Control */
	if (p)
		p[1] &= ~DOT11_FC1_PROTECTED;
	if (f->fcs_len && f->rt_flags_off) {
		p = frame_ptr(ctx, f->rt_flags_off, 1);
		if (p)
			*p &= ~RADIOTAP_F_FCS;
	}
	f->fc1 &= ~DOT11_FC1_PROTECTED;
	f->rt_flags &= ~RADIOTAP_F_FCS;
	f->fcs_len = 0;
}

/*
 * Decrypt a protected frame with its key-mapping key. On DOT11XDP_RX_DECRYPTED the packet
 * has become radiotap | MAC header | plaintext: the plaintext is stored where the CCMP header
 * was (so nothing in front of it has to move), the MIC and any FCS are cut off the tail, and
 * f->len follows. Every other outcome leaves the packet bytes as they arrived.
 */
static __always_inline __u32 ccmp_rx(struct xdp_md *ctx, struct rx_frame *f,
				     const struct dot11_hdr *hdr, struct dot11xdp_key *key, __u32 end)
{
	const __u32 mic_len = CCMP_128_MIC_LEN;
	struct ccmp_inputs in = {};
	struct dot11xdp_work *work;
	__u32 sec_off = f->body_off, body_off, body_len, zero = 0;
	__u8 *sec, *a4 = NULL;
	__u64 pn, *counter;

	sec = frame_ptr(ctx, sec_off, CCMP_HDR_LEN);
	if (!sec || f->len < sec_off + CCMP_HDR_LEN + mic_len)
		return DOT11XDP_RX_MALFORMED;
	if (!(sec[3] & CCMP_KEYID_EXTIV))
		return DOT11XDP_RX_MALFORMED;
	/*
	 * A key-mapping key has key ID 0 (Extended Key ID is not supported yet). Another ID on
	 * a group-addressed frame means a group key, which this build does not hold.
	 */
	if (sec[3] >> CCMP_KEYID_SHIFT)
		return f->ra_group ? DOT11XDP_RX_NO_KEY : DOT11XDP_RX_MALFORMED;

	pn = ccmp_pn(sec);
	counter = replay_counter(key, end, replay_index(f));
	if (!counter)
		return DOT11XDP_RX_MALFORMED;
	if (!replay_fresh(counter, pn))
		return DOT11XDP_RX_REPLAY;

	body_off = sec_off + CCMP_HDR_LEN;
	body_len = f->len - body_off; /* ciphertext, then the MIC */
	if (body_len > DOT11XDP_BODY_MAX)
		return DOT11XDP_RX_UNSUPPORTED; /* an A-MSDU beyond the work buffer: passed as is */
	/* Restated for the verifier, which cannot relate it to the length check above. */
	if (body_len < mic_len)
		return DOT11XDP_RX_MALFORMED;

	if (f->a4) {
		a4 = frame_ptr(ctx, f->rt_len + DOT11_HDR_3ADDR, DOT11_A4_LEN);
		if (!a4)
			return DOT11XDP_RX_MALFORMED;
	}
	in.aad_len = ccmp_build_aad(hdr, a4, f, key->flags, in.aad);
	ccmp_build_nonce(f, sec, in.nonce);
	in.mic_len = mic_len;

	work = bpf_map_lookup_elem(&dot11xdp_work, &zero);
	if (!work)
		return DOT11XDP_RX_MALFORMED;
	if (bpf_xdp_load_bytes(ctx, body_off, work->body, body_len))
		return DOT11XDP_RX_MALFORMED;
	if (ccmp_decrypt_body(key, work, body_len, &in))
		return DOT11XDP_RX_MIC_FAILURE;
	if (!replay_advance(counter, pn))
		return DOT11XDP_RX_REPLAY;

	/*
	 * Only now does plaintext reach the packet. The helpers below cannot fail for offsets
	 * checked above; if one did, the frame is dropped as malformed all the same.
	 */
	body_len -= mic_len;
	if (body_len && bpf_xdp_store_bytes(ctx, sec_off, work->body, body_len))
		return DOT11XDP_RX_MALFORMED;
	if (bpf_xdp_adjust_tail(ctx, -(int)(CCMP_HDR_LEN + mic_len + f->fcs_len)))
		return DOT11XDP_RX_MALFORMED;
	f->len = sec_off + body_len;
	ccmp_mark_plaintext(ctx, f);
	return DOT11XDP_RX_DECRYPTED;
}

#endif
