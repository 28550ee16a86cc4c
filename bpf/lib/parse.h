/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Header parsing for the receive path: one parse_* per layer, each advancing a header
 * cursor over packet memory and recording what later stages need in struct rx_frame.
 * Every read is bounds-checked against data_end (what the verifier demands) and every
 * length against the frame length without its FCS (what the frame means).
 */
#ifndef DOT11XDP_BPF_PARSE_H
#define DOT11XDP_BPF_PARSE_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "consts.h"

struct hdr_cursor {
	void *pos;
};

/* Radiotap is little-endian whatever the host: fields are read byte by byte. */
struct radiotap_hdr {
	__u8 version;
	__u8 pad;
	__u8 len[2];
	__u8 present[4];
};

static __always_inline __u32 le16_at(const __u8 *p)
{
	return p[0] | (__u32)p[1] << 8;
}

static __always_inline __u32 le32_at(const __u8 *p)
{
	return p[0] | (__u32)p[1] << 8 | (__u32)p[2] << 16 | (__u32)p[3] << 24;
}

/* The part of the MAC header every data and management frame has. */
struct dot11_hdr {
	__u8 fc[2];
	__le16 duration;
	__u8 addr1[DOT11XDP_MAC_LEN]; /* RA */
	__u8 addr2[DOT11XDP_MAC_LEN]; /* TA */
	__u8 addr3[DOT11XDP_MAC_LEN];
	__u8 seq_ctrl[2];
};

/* What the parsers learnt about one frame. Offsets count from the start of the radiotap header. */
struct rx_frame {
	__u32 len;	    /* radiotap + MPDU, without a trailing FCS */
	__u32 body_off;	    /* start of the frame body (the security header when protected) */
	__u16 rt_len;	    /* radiotap header length */
	__u16 rt_flags_off; /* radiotap Flags byte; 0 when the header has no Flags field */
	__u8 rt_flags;
	__u8 fcs_len;	    /* DOT11_FCS_LEN when the frame ends with an FCS */
	__u8 fc0;
	__u8 fc1;
	__u8 type;	    /* enum dot11_type */
	__u8 hdr_len;	    /* MAC header: A4, QoS Control and HT Control included */
	__u8 seq0;	    /* Sequence Control byte 0 (fragment number in bits 0-3) */
	__u8 qos0;	    /* QoS Control byte 0 on QoS data frames */
	bool qos;	    /* QoS data frame */
	bool a4;	    /* four-address data frame */
	bool ra_group;	    /* A1 is a group address */
	bool has_ta;	    /* the frame is long enough to carry A2 */
	struct dot11xdp_peer_id ta;
};

/*
 * The packet bytes [off, off + len) of a frame offset kept in struct rx_frame, or NULL past
 * the end. The offset is bounded again here: f lives on the stack, where the verifier loses
 * the bounds the parsers proved, and it ranges a packet pointer only while the pointer's
 * variable part stays below 64 KiB ("invalid access to packet ... offset is outside").
 */
static __always_inline __u8 *frame_ptr(struct xdp_md *ctx, __u32 off, const __u32 len)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p;

	/* Keeps clang from testing a copy of off that the verifier does not link to it. */
	asm volatile("" : "+r"(off));
	if (off > DOT11XDP_FRAME_MAX)
		return NULL;
	p = data + off;
	if ((void *)(p + len) > data_end)
		return NULL;
	return p;
}

/*
 * Radiotap: version 0, length from 8 up to the frame length, a chain of present words
 * (bit 31: another follows) that stays inside the header, and the Flags field (present
 * bit 1) found past the optional TSFT (bit 0, u64 aligned to 8 from the radiotap start).
 * Records the Flags byte and the FCS length, and moves the cursor past the header.
 */
static __always_inline int parse_radiotap(struct hdr_cursor *nh, void *data_end, __u64 buf_len,
					  struct rx_frame *f)
{
	struct radiotap_hdr *rt = nh->pos;
	__u32 rt_len, first, present, off = 4; /* offset of the present word being read */
	__u8 *p;

	if (buf_len > DOT11XDP_FRAME_MAX)
		return -1;
	if ((void *)(rt + 1) > data_end)
		return -1;
	rt_len = le16_at(rt->len);
	if (rt->version != 0 || rt_len < RADIOTAP_HDR_LEN || rt_len > buf_len)
		return -1;

	first = present = le32_at(rt->present);
	for (int i = 1; i < RADIOTAP_PRESENT_WORDS_MAX && (present & RADIOTAP_PRESENT_EXT); i++) {
		off += 4;
		if (off + 4 > rt_len)
			return -1;
		p = nh->pos + off;
		if ((void *)(p + 4) > data_end)
			return -1;
		present = le32_at(p);
	}
	if (present & RADIOTAP_PRESENT_EXT)
		return -1; /* longer chain than any driver writes */
	off += 4; /* first field */

	f->rt_flags = 0;
	f->rt_flags_off = 0;
	if (first & RADIOTAP_PRESENT_FLAGS) {
		if (first & RADIOTAP_PRESENT_TSFT)
			off = ((off + 7) & ~7u) + 8;
		if (off >= rt_len)
			return -1;
		p = nh->pos + off;
		if ((void *)(p + 1) > data_end)
			return -1;
		f->rt_flags = *p;
		f->rt_flags_off = off;
	}

	f->fcs_len = 0;
	if (f->rt_flags & RADIOTAP_F_FCS) {
		if (buf_len - rt_len < DOT11_FCS_LEN)
			return -1;
		f->fcs_len = DOT11_FCS_LEN;
	}
	f->rt_len = rt_len;
	f->len = buf_len - f->fcs_len;
	nh->pos += rt_len;
	return 0;
}

/*
 * 802.11 MAC header: FC, Duration, A1..A3, Sequence Control, A4 when ToDS and FromDS are
 * both set, QoS Control on QoS data frames, HT Control when Order is set on a QoS data or
 * management frame. Control and extension frames are parsed only as far as A2. Returns
 * the header, or NULL when the frame is too short for it or of an unknown version.
 */
static __always_inline struct dot11_hdr *parse_dot11(struct hdr_cursor *nh, void *data_end,
						     struct rx_frame *f)
{
	struct dot11_hdr *hdr = nh->pos;
	__u32 avail = f->len - f->rt_len; /* parse_radiotap ensured rt_len <= len */
	__u32 len = DOT11_HDR_3ADDR;
	__u8 *qos;

	if (avail < DOT11_HDR_MIN || (void *)hdr + DOT11_HDR_MIN > data_end)
		return NULL;
	f->fc0 = hdr->fc[0];
	f->fc1 = hdr->fc[1];
	if (f->fc0 & DOT11_FC0_VERSION)
		return NULL;
	f->type = (f->fc0 >> DOT11_FC0_TYPE_SHIFT) & DOT11_FC0_TYPE_MASK;
	f->ra_group = hdr->addr1[0] & 0x01;

	if (avail >= DOT11_HDR_A2_END && (void *)hdr + DOT11_HDR_A2_END <= data_end) {
		__builtin_memcpy(f->ta.addr, hdr->addr2, DOT11XDP_MAC_LEN);
		f->has_ta = true;
	}
	if (f->type == DOT11_TYPE_CTRL || f->type == DOT11_TYPE_EXT)
		return hdr;

	if (avail < DOT11_HDR_3ADDR || (void *)(hdr + 1) > data_end)
		return NULL;
	f->seq0 = hdr->seq_ctrl[0];
	if (f->type == DOT11_TYPE_DATA) {
		f->a4 = (f->fc1 & DOT11_FC1_DS_MASK) == DOT11_FC1_DS_MASK;
		if (f->a4)
			len += DOT11_A4_LEN;
		f->qos = f->fc0 & DOT11_FC0_QOS;
		if (f->qos) {
			qos = (__u8 *)hdr + len;
			if ((void *)(qos + DOT11_QOS_LEN) > data_end)
				return NULL;
			f->qos0 = qos[0];
			len += DOT11_QOS_LEN;
		}
	}
	if ((f->fc1 & DOT11_FC1_ORDER) && (f->type == DOT11_TYPE_MGMT || f->qos))
		len += DOT11_HTC_LEN;
	if (len > avail)
		return NULL;

	f->hdr_len = len;
	/* Radiotap DATAPAD: the body starts at the next multiple of 4 of the MAC header length. */
	if (f->rt_flags & RADIOTAP_F_DATAPAD)
		len = (len + 3) & ~3u;
	f->body_off = f->rt_len + len;
	nh->pos = (void *)hdr + len;
	return hdr;
}

#endif
