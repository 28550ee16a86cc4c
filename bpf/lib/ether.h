/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * 802.11 data frame -> Ethernet (IEEE 802.11 Annex R / RFC 1042 / 802.1H).
 *
 * DA and SA come from the address fields the DS bits select; an RFC 1042 or bridge-tunnel
 * LLC/SNAP header gives way to its EtherType, which airdecap-ng's output agrees with byte
 * for byte. A decrypted body without LLC/SNAP becomes an 802.3 frame whose type field is
 * the body length (as Linux does); airdecap-ng instead cuts six body bytes off such frames.
 */
#ifndef DOT11XDP_BPF_ETHER_H
#define DOT11XDP_BPF_ETHER_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "consts.h"
#include "parse.h"

/* Offsets of DA and SA in the MAC header, by ToDS/FromDS. */
static __always_inline void ether_addr_offsets(__u8 fc1, __u32 *da, __u32 *sa)
{
	switch (fc1 & DOT11_FC1_DS_MASK) {
	case 0: /* DA = A1, SA = A2 */
		*da = 4;
		*sa = 10;
		break;
	case DOT11_FC1_FROMDS: /* DA = A1, SA = A3 */
		*da = 4;
		*sa = 16;
		break;
	case DOT11_FC1_TODS: /* DA = A3, SA = A2 */
		*da = 16;
		*sa = 10;
		break;
	default: /* DA = A3, SA = A4 */
		*da = 16;
		*sa = 24;
		break;
	}
}

static __always_inline bool ether_is_snap(const __u8 *llc)
{
	return llc[0] == 0xaa && llc[1] == 0xaa && llc[2] == 0x03 && llc[3] == 0x00 &&
	       llc[4] == 0x00 && (llc[5] == SNAP_OUI_RFC1042 || llc[5] == SNAP_OUI_BRIDGE_TUNNEL);
}

/*
 * Rewrite the packet, radiotap | MAC header | body [| FCS], into an Ethernet frame. Only
 * whole MSDUs convert: a data frame with a body, not a fragment and not an A-MSDU (which
 * would become several Ethernet frames). An unprotected body must start with LLC/SNAP.
 * Returns 0, or -1 when the frame does not convert (the caller then drops it).
 */
static __always_inline int ether_from_dot11(struct xdp_md *ctx, const struct rx_frame *f,
					    bool decrypted)
{
	__u8 addrs[2 * ETH_ALEN];
	__u32 da, sa, body_len, eth_off;
	__u8 *hdr, *a4, *body, *eth;
	bool snap;

	if (f->type != DOT11_TYPE_DATA || (f->fc0 & DOT11_FC0_NODATA) ||
	    (f->fc1 & DOT11_FC1_MOREFRAG) || (f->seq0 & DOT11_SEQ_FRAG_MASK) ||
	    (f->qos && (f->qos0 & DOT11_QOS_AMSDU)))
		return -1;
	if (f->len <= f->body_off)
		return -1;
	body_len = f->len - f->body_off;

	hdr = frame_ptr(ctx, f->rt_len, DOT11_HDR_3ADDR);
	if (!hdr)
		return -1;
	ether_addr_offsets(f->fc1, &da, &sa);
	/* Copied out first: the Ethernet header overwrites the end of the MAC header. */
	if (da == 4)
		__builtin_memcpy(addrs, hdr + 4, ETH_ALEN);
	else
		__builtin_memcpy(addrs, hdr + 16, ETH_ALEN);
	if (sa == 10) {
		__builtin_memcpy(addrs + ETH_ALEN, hdr + 10, ETH_ALEN);
	} else if (sa == 16) {
		__builtin_memcpy(addrs + ETH_ALEN, hdr + 16, ETH_ALEN);
	} else {
		a4 = frame_ptr(ctx, f->rt_len + DOT11_HDR_3ADDR, DOT11_A4_LEN);
		if (!a4)
			return -1;
		__builtin_memcpy(addrs + ETH_ALEN, a4, ETH_ALEN);
	}

	body = body_len >= LLC_SNAP_LEN ? frame_ptr(ctx, f->body_off, LLC_SNAP_LEN) : NULL;
	snap = body && ether_is_snap(body);
	if (!snap && !decrypted)
		return -1;

	if (f->fcs_len && bpf_xdp_adjust_tail(ctx, -(int)f->fcs_len))
		return -1;

	/* LLC/SNAP: its EtherType stays where it is and DA, SA go in front of it. */
	eth_off = f->body_off - (snap ? ETH_HLEN - LLC_SNAP_LEN : ETH_HLEN);
	eth = frame_ptr(ctx, eth_off, ETH_HLEN);
	if (!eth)
		return -1;
	__builtin_memcpy(eth, addrs, sizeof(addrs));
	if (!snap) {
		eth[12] = body_len >> 8;
		eth[13] = body_len;
	}
	return bpf_xdp_adjust_head(ctx, eth_off) ? -1 : 0;
}

#endif
