/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What CCMP (IEEE 802.11 12.5.3) and GCMP (12.5.5) authenticate besides the body: the AAD,
 * which both build alike, and the nonce, as spec/dot11-crypto.md gives them. Built from the
 * MAC header and struct rx_frame, for the receive and the transmit path alike; the security
 * header itself is protect.h's.
 */
#ifndef DOT11XDP_BPF_CCMP_H
#define DOT11XDP_BPF_CCMP_H

#include <linux/bpf.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "consts.h"
#include "parse.h"

#define GCMP_NONCE_LEN 12

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

/*
 * CCMP nonce (13 bytes): flags (TID of QoS data; 0x10 on management frames), A2, PN5..PN0.
 * sec is the CCMP header, which carries the PN.
 */
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

/* GCMP nonce (12 bytes): A2, PN5..PN0. sec is the GCMP header, which carries the PN. */
static __always_inline void gcmp_build_nonce(const struct rx_frame *f, const __u8 *sec, __u8 *nonce)
{
	__builtin_memcpy(nonce, f->ta.addr, DOT11XDP_MAC_LEN);
	nonce[6] = sec[7];
	nonce[7] = sec[6];
	nonce[8] = sec[5];
	nonce[9] = sec[4];
	nonce[10] = sec[1];
	nonce[11] = sec[0];
}

#endif
