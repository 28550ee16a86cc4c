/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Wire constants of radiotap and IEEE 802.11, and the data path's named caps. */
#ifndef DOT11XDP_BPF_CONSTS_H
#define DOT11XDP_BPF_CONSTS_H

/* Radiotap (radiotap.org). */
#define RADIOTAP_HDR_LEN 8		  /* version, pad, le16 length, le32 present */
#define RADIOTAP_PRESENT_TSFT (1u << 0)	  /* u64, aligned to 8 */
#define RADIOTAP_PRESENT_FLAGS (1u << 1)  /* u8 */
#define RADIOTAP_PRESENT_EXT (1u << 31)	  /* another present word follows */
#define RADIOTAP_F_FCS 0x10		  /* the frame ends with a 4-byte FCS */
#define RADIOTAP_F_DATAPAD 0x20		  /* padding between the 802.11 header and the body */
#define RADIOTAP_F_BADFCS 0x40		  /* the FCS check failed */
/* Present words followed before a header counts as malformed (real drivers use 1-4). */
#define RADIOTAP_PRESENT_WORDS_MAX 8
#define DOT11_FCS_LEN 4

/* Frame Control, byte 0. */
#define DOT11_FC0_VERSION 0x03
#define DOT11_FC0_TYPE_SHIFT 2
#define DOT11_FC0_TYPE_MASK 0x03
#define DOT11_FC0_QOS 0x80		/* subtype bit 3 of a data frame */
#define DOT11_FC0_DATA_SUBTYPE_MASK 0x70 /* subtype bits 0-2 of a data frame, masked in the AAD */
#define DOT11_FC0_NODATA 0x40		/* subtype bit 2 of a data frame: no body (Null, QoS Null) */

enum dot11_type {
	DOT11_TYPE_MGMT = 0,
	DOT11_TYPE_CTRL = 1,
	DOT11_TYPE_DATA = 2,
	DOT11_TYPE_EXT = 3,
};

/* Frame Control, byte 1. */
#define DOT11_FC1_TODS 0x01
#define DOT11_FC1_FROMDS 0x02
#define DOT11_FC1_DS_MASK 0x03
#define DOT11_FC1_MOREFRAG 0x04
#define DOT11_FC1_RETRY 0x08
#define DOT11_FC1_PWRMGT 0x10
#define DOT11_FC1_MOREDATA 0x20
#define DOT11_FC1_PROTECTED 0x40
#define DOT11_FC1_ORDER 0x80 /* +HTC on QoS data and management frames */

/* MAC header pieces. */
#define DOT11_HDR_MIN 10	/* FC, Duration, A1: every frame has them */
#define DOT11_HDR_A2_END 16	/* a frame this long carries a transmitter address */
#define DOT11_HDR_3ADDR 24	/* FC, Duration, A1, A2, A3, Sequence Control */
#define DOT11_A4_LEN 6
#define DOT11_QOS_LEN 2
#define DOT11_HTC_LEN 4
#define DOT11_HDR_MAX (DOT11_HDR_3ADDR + DOT11_A4_LEN + DOT11_QOS_LEN + DOT11_HTC_LEN)
#define DOT11_SEQ_FRAG_MASK 0x0f /* Sequence Control byte 0: fragment number */
#define DOT11_QOS_TID_MASK 0x0f
#define DOT11_QOS_AMSDU 0x80 /* QoS Control byte 0: A-MSDU present */

/* CCMP (IEEE 802.11 12.5.3). */
#define CCMP_HDR_LEN 8
#define CCMP_KEYID_EXTIV 0x20 /* byte 3 */
#define CCMP_KEYID_SHIFT 6
#define CCMP_128_MIC_LEN 8
#define CCMP_NONCE_LEN 13
#define CCMP_NONCE_MGMT 0x10
#define CCMP_AAD_MAX (22 + DOT11_A4_LEN + DOT11_QOS_LEN)
#define DOT11_PN_LEN 6

/* Compare-and-swap attempts on a replay counter before the frame is dropped as a replay. */
#define REPLAY_CAS_TRIES 8

/* 802.3 conversion: LLC/SNAP is aa aa 03, an OUI of 3 bytes, then the EtherType. */
#define LLC_SNAP_LEN 8
#define SNAP_OUI_RFC1042 0x00
#define SNAP_OUI_BRIDGE_TUNNEL 0xf8 /* last OUI byte of 00 00 f8 */

/* A frame longer than this (radiotap + MPDU) is malformed: no 802.11 PHY carries one. */
#define DOT11XDP_FRAME_MAX 16384

#endif
