/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Transmit-side encapsulation: a plaintext data or management MPDU becomes the protected MPDU
 * of its receiver's key-mapping key (IEEE 802.11 12.5), for every cipher of the key table:
 *
 *   MAC header | body            ->   MAC header (Protected) | security header | sealed body
 *
 * The security header is 8 bytes (CCMP, GCMP, TKIP) or 4 (WEP); the sealed body is the body
 * encrypted in the per-CPU work buffer with its trailer: the MIC (CCMP-128 8 bytes, CCMP-256
 * and GCMP 16), TKIP's Michael MIC and ICV (12), WEP's ICV (4). The frame grows at its head
 * by the security header (bpf_xdp_adjust_head, then whatever precedes the body moves forward)
 * and at its tail by the trailer (bpf_xdp_adjust_tail): XDP guarantees headroom, while the
 * tailroom of a generic-XDP skb is whatever its allocation left over, so the larger growth
 * goes to the head.
 *
 * Keys: the key-mapping key of the receiver (A1), direction outbound then both, as Windows
 * picks the key of a transmitted frame. PN: key->tx_pn is the next PN to use; each frame takes
 * one with an atomic fetch-and-add on the map value, so no two frames (on any CPUs) get the
 * same one, and a PN above 2^48 - 1 refuses the frame. TKIP uses the counter as its TSC; WEP
 * takes its 24-bit IV from the counter's low 24 bits, so a WEP key repeats IVs after 2^24
 * frames, a weakness of WEP itself (24-bit IVs) that no sender avoids.
 *
 * What this layer does not decide: which frames to protect. It protects every data and
 * management frame it is handed (the caller passes robust management frames only when
 * management frame protection applies, and no frame it must send in the clear, such as
 * EAPOL before the keys exist).
 */
#ifndef DOT11XDP_BPF_ENCAP_H
#define DOT11XDP_BPF_ENCAP_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "ccm.h"
#include "ccmp.h"
#include "consts.h"
#include "ether.h"
#include "gcm.h"
#include "maps.h"
#include "parse.h"
#include "tkip.h"
#include "wep.h"
#include "work.h"

/* Bytes the caller may keep in front of the MAC header (a radiotap TX header): moved along. */
#define ENCAP_PREFIX_MAX 64
#define ENCAP_MOVE_MAX (ENCAP_PREFIX_MAX + DOT11_HDR_MAX)
#define ENCAP_PN_MAX ((1ULL << 48) - 1)
#define ENCAP_SEC_HDR_MAX 8
/* Key ID of every key-mapping key (Extended Key ID, which would allow 1, is not supported). */
#define ENCAP_KEY_ID 0

/* Outcome counters of the transmit side. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dot11xdp_tx_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} dot11xdp_txstat SEC(".maps");

_Static_assert(sizeof(struct dot11xdp_tx_stats) == DOT11XDP_TX_OUTCOMES * sizeof(__u64),
	       "struct dot11xdp_tx_stats has one counter per enum dot11xdp_tx_outcome");

static __always_inline void encap_count(__u32 outcome)
{
	struct dot11xdp_tx_stats *stats;
	__u32 zero = 0;

	stats = bpf_map_lookup_elem(&dot11xdp_txstat, &zero);
	/* Bounded index, or the verifier refuses the variable offset into the value. */
	asm volatile("" : "+r"(outcome));
	if (stats && outcome < DOT11XDP_TX_OUTCOMES)
		((__u64 *)stats)[outcome]++;
}

/*
 * The key-mapping key of a transmitted frame, as Windows looks it up: by the receiver (A1),
 * direction outbound, else both. (maps.h has the receive side's lookup only.)
 */
static __always_inline struct dot11xdp_key *keys_lookup_tx(const __u8 *ra)
{
	struct dot11xdp_key_id id = { .direction = DOT11XDP_DIR_OUTBOUND };
	struct dot11xdp_key *key;

	__builtin_memcpy(id.peer, ra, DOT11XDP_MAC_LEN);
	key = bpf_map_lookup_elem(&dot11xdp_keys, &id);
	if (key)
		return key;
	id.direction = DOT11XDP_DIR_BOTH;
	return bpf_map_lookup_elem(&dot11xdp_keys, &id);
}

/* Where the parts of the frame go. Offsets count from the start of the frame. */
struct encap_layout {
	__u32 hdr_off;	   /* the MAC header (what precedes it moves along with it) */
	__u32 body_off;	   /* the plaintext body, as handed over */
	__u32 body_len;
	__u32 sec_len;	   /* security header */
	__u32 trailer_len; /* MIC / Michael MIC + ICV / ICV after the encrypted body */
};

/*
 * The layout of key's cipher, or -1 when this build cannot protect f with it: an unknown
 * cipher, a key the loader did not prepare for its cipher, TKIP or WEP on a management frame
 * (neither protects one: management frame protection needs CCMP or GCMP), or TKIP on a
 * fragment (Michael covers the whole MSDU, before fragmentation, which this layer never sees).
 */
static __always_inline int encap_layout_of(const struct dot11xdp_key *key,
					   const struct rx_frame *f, struct encap_layout *l)
{
	switch (key->cipher) {
	case DOT11XDP_CIPHER_CCMP:
		if (key->tk_len != 16)
			return -1;
		l->sec_len = CCMP_HDR_LEN;
		l->trailer_len = CCMP_128_MIC_LEN;
		return 0;
	case DOT11XDP_CIPHER_CCMP_256:
		if (key->tk_len != 32)
			return -1;
		l->sec_len = CCMP_HDR_LEN;
		l->trailer_len = 16;
		return 0;
	case DOT11XDP_CIPHER_GCMP:
	case DOT11XDP_CIPHER_GCMP_256:
		if (key->tk_len != (key->cipher == DOT11XDP_CIPHER_GCMP ? 16 : 32))
			return -1;
		l->sec_len = CCMP_HDR_LEN;
		l->trailer_len = DOT11XDP_GCM_TAG_LEN;
		return 0;
	case DOT11XDP_CIPHER_TKIP:
		if (!tkip_key_ok(key) || f->type != DOT11_TYPE_DATA ||
		    (f->fc1 & DOT11_FC1_MOREFRAG) || (f->seq0 & DOT11_SEQ_FRAG_MASK))
			return -1;
		l->sec_len = CCMP_HDR_LEN;
		l->trailer_len = DOT11XDP_TKIP_MIC_LEN + DOT11XDP_WEP_ICV_LEN;
		return 0;
	case DOT11XDP_CIPHER_WEP40:
	case DOT11XDP_CIPHER_WEP104:
		if (!wep_key_len(key) || f->type != DOT11_TYPE_DATA)
			return -1;
		l->sec_len = DOT11XDP_WEP_IV_LEN + 1;
		l->trailer_len = DOT11XDP_WEP_ICV_LEN;
		return 0;
	}
	return -1;
}

/*
 * The next PN of key, or a value above ENCAP_PN_MAX when its PN space is used up. PN 0 is
 * never used (receivers start their counters at 0, so it would be a replay): a key whose
 * tx_pn is 0, as a fresh key from a loader that does not set it, starts at 1.
 */
static __always_inline __u64 encap_next_pn(struct dot11xdp_key *key)
{
	__u64 pn = __sync_fetch_and_add(&key->tx_pn, 1);

	if (!pn)
		pn = __sync_fetch_and_add(&key->tx_pn, 1);
	return pn;
}

/*
 * The security header for pn: CCMP and GCMP PN0, PN1, reserved, key ID octet (ExtIV), PN2..5;
 * TKIP TSC1, WEP seed, TSC0, key ID octet (ExtIV), TSC2..5; WEP the IV (most significant
 * byte first, as Linux numbers its IVs) and the key ID octet.
 */
static __always_inline void encap_sec_header(__u32 cipher, __u64 pn, __u8 *sec)
{
	switch (cipher) {
	case DOT11XDP_CIPHER_WEP40:
	case DOT11XDP_CIPHER_WEP104:
		sec[0] = pn >> 16;
		sec[1] = pn >> 8;
		sec[2] = pn;
		sec[3] = ENCAP_KEY_ID << CCMP_KEYID_SHIFT;
		return;
	case DOT11XDP_CIPHER_TKIP:
		sec[0] = pn >> 8;
		sec[1] = ((pn >> 8) | 0x20) & 0x7f;
		sec[2] = pn;
		break;
	default:
		sec[0] = pn;
		sec[1] = pn >> 8;
		sec[2] = 0;
		break;
	}
	sec[3] = CCMP_KEYID_EXTIV | ENCAP_KEY_ID << CCMP_KEYID_SHIFT;
	sec[4] = pn >> 16;
	sec[5] = pn >> 24;
	sec[6] = pn >> 32;
	sec[7] = pn >> 40;
}

/*
 * What the ciphers take besides the key and the body; the fields of one cipher. (Not ccmp.h's
 * struct ccmp_inputs, which the receive path is replacing.)
 */
struct encap_inputs {
	__u64 pn;			/* TKIP: the TSC (key mixing) */
	__u32 aad_len;			/* CCMP, GCMP */
	__u32 mic_len;			/* CCMP: 8 (CCMP-128) or 16 (CCMP-256) */
	__u8 aad[CCMP_AAD_MAX];		/* CCMP, GCMP: the buffer the cores read whole */
	__u8 nonce[CCMP_NONCE_LEN];	/* CCMP; GCMP's is the same less the first byte */
	__u8 sec[ENCAP_SEC_HDR_MAX];	/* the security header (WEP: the IV is its first 3 bytes) */
	__u8 priority;			/* TKIP: the MSDU's priority (TID of QoS data, else 0) */
	__u8 michael_key;		/* TKIP: which Michael key (enum dot11xdp_replay_end) */
	__u8 ta[DOT11XDP_MAC_LEN];	/* TKIP: the transmitter (key mixing) */
	__u8 da[DOT11XDP_MAC_LEN];	/* TKIP: the MSDU's destination and source (Michael) */
	__u8 sa[DOT11XDP_MAC_LEN];
};

_Static_assert(CCMP_AAD_MAX == DOT11XDP_CCM_AAD_MAX && CCMP_AAD_MAX == DOT11XDP_GCM_AAD_MAX,
	       "encap_inputs.aad is the buffer both cores read");

/*
 * One frame's state, in a per-CPU map: on the stack it would take the cipher calls past the
 * 512 bytes of stack the verifier allows ("combined stack size of 4 calls is 528").
 */
struct encap_state {
	struct encap_layout layout;
	struct encap_inputs in;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct encap_state);
} dot11xdp_txwork SEC(".maps");

/*
 * TKIP's Michael key for a frame, by the way it crosses the DS. The blob holds a station's
 * keys (Windows ExtSTA: "STA Rx MIC key", then "STA Tx MIC key"; also the PTK's order,
 * authenticator's TX key first), stored as michael[FROM_PEER] and michael[TO_PEER]: an
 * AP->STA (FromDS) frame takes the first, a STA->AP (ToDS) frame the second, and so does a
 * frame with neither DS bit or both (IBSS, direct link, WDS), which the sender's TX key
 * protects. A station's key (peer = AP) thus picks what tkip.h's receive side picks by the
 * way the key was found, and the IEEE vector (a FromDS frame) matches the blob as given. (An
 * AP that handed over its keys in its own view, RX = STA->AP first, would want the other
 * key for its FromDS frames: the blob is read as a station's.)
 */
static __always_inline __u8 encap_michael_key(__u8 fc1)
{
	if ((fc1 & DOT11_FC1_DS_MASK) == DOT11_FC1_FROMDS)
		return DOT11XDP_FROM_PEER;
	return DOT11XDP_TO_PEER;
}

/*
 * The ciphers behind global functions, each checked once by the verifier on its own (see
 * ccmp.h's ccmp_decrypt_body). They seal work->body[0 .. len) in place, appending the trailer,
 * and return 0, or -1 (body contents then unspecified). Pointer arguments of a global function
 * may be NULL as far as the verifier knows.
 */
__noinline int encap_seal_ccm(const struct dot11xdp_key *key, struct dot11xdp_work *work,
			      __u32 len, const struct encap_inputs *in)
{
	if (!key || !work || !in)
		return -1;
	return ccm_encrypt(key, work, len, in->aad, in->aad_len, in->nonce, in->mic_len);
}

/* GCMP's nonce is CCMP's without the flags byte: A2 | PN5..PN0. */
__noinline int encap_seal_gcm(const struct dot11xdp_key *key, struct dot11xdp_work *work,
			      __u32 len, const struct encap_inputs *in)
{
	if (!key || !work || !in)
		return -1;
	return gcm_encrypt(key, work, len, in->aad, in->aad_len, in->nonce + 1);
}

/* Michael over DA | SA | priority | data, appended, then RC4 over data | MIC | ICV. */
__noinline int encap_seal_tkip(const struct dot11xdp_key *key, struct dot11xdp_work *work,
			       __u32 len, const struct encap_inputs *in)
{
	if (!key || !work || !in)
		return -1;
	if (len > DOT11XDP_BODY_MAX - DOT11XDP_TKIP_MIC_LEN - DOT11XDP_WEP_ICV_LEN)
		return -1;
	if (tkip_michael_append(key, work, len, in->da, in->sa, in->priority, in->michael_key))
		return -1;
	return tkip_encrypt(key, work, len + DOT11XDP_TKIP_MIC_LEN, in->ta, in->pn);
}

__noinline int encap_seal_wep(const struct dot11xdp_key *key, struct dot11xdp_work *work,
			      __u32 len, const struct encap_inputs *in)
{
	if (!key || !work || !in)
		return -1;
	return wep_encrypt(key, work, len, in->sec);
}

static __always_inline int encap_seal(const struct dot11xdp_key *key, struct dot11xdp_work *work,
				      __u32 len, const struct encap_inputs *in)
{
	switch (key->cipher) {
	case DOT11XDP_CIPHER_CCMP:
	case DOT11XDP_CIPHER_CCMP_256:
		return encap_seal_ccm(key, work, len, in);
	case DOT11XDP_CIPHER_GCMP:
	case DOT11XDP_CIPHER_GCMP_256:
		return encap_seal_gcm(key, work, len, in);
	case DOT11XDP_CIPHER_TKIP:
		return encap_seal_tkip(key, work, len, in);
	case DOT11XDP_CIPHER_WEP40:
	case DOT11XDP_CIPHER_WEP104:
		return encap_seal_wep(key, work, len, in);
	}
	return -1;
}

/*
 * The 802.11 header of the frame at hdr_off, into f as the receive path's parser records it
 * (rt_len = hdr_off, no FCS). Returns 0 for a data or management frame, else -1. The input's
 * Protected bit does not matter: the IEEE vectors hand over plaintext MPDUs whose header is
 * already in its final form, Protected set, and the transmit path never sees a frame another
 * layer protected.
 */
static __always_inline int encap_parse(struct xdp_md *ctx, __u32 hdr_off, struct rx_frame *f)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 len = bpf_xdp_get_buff_len(ctx);
	struct hdr_cursor nh;

	if (hdr_off > ENCAP_PREFIX_MAX || len > DOT11XDP_FRAME_MAX || len < hdr_off)
		return -1;
	f->rt_len = hdr_off;
	f->len = len;
	nh.pos = data + hdr_off;
	if (!parse_dot11(&nh, data_end, f))
		return -1;
	if (f->type != DOT11_TYPE_DATA && f->type != DOT11_TYPE_MGMT)
		return -1;
	return f->has_ta ? 0 : -1;
}

/*
 * Grow the frame around its sealed body, work->body[0 .. body_len + trailer_len): what
 * precedes the body (prefix and MAC header) moves forward by sec_len, the security header
 * and the sealed body follow it, and the Protected bit is set. A global function: its copy
 * buffer then never adds to the stack of the cipher calls. Returns 0, or -1: the frame is
 * unchanged if the growth failed, garbage if a copy failed (which in-range offsets never
 * do); the caller drops it.
 */
__noinline int encap_write(struct xdp_md *ctx, const struct encap_layout *l,
			   const struct encap_inputs *in)
{
	__u8 moved[ENCAP_MOVE_MAX] = {};
	struct dot11xdp_work *work = work_get();
	__u32 hdr_end, sec_len, trailer_len, sealed_len;
	__u8 *fc;

	if (!l || !in || !work)
		return -1;
	hdr_end = l->body_off;
	sec_len = l->sec_len;
	trailer_len = l->trailer_len;
	sealed_len = l->body_len + trailer_len;
	/* Bounds for the verifier, which checks the helpers' length arguments. */
	if (hdr_end < DOT11_HDR_3ADDR || hdr_end > ENCAP_MOVE_MAX || !sec_len ||
	    sec_len > ENCAP_SEC_HDR_MAX || trailer_len > DOT11XDP_BODY_MAX || !sealed_len ||
	    sealed_len > DOT11XDP_BODY_MAX)
		return -1;
	if (bpf_xdp_adjust_tail(ctx, trailer_len))
		return -1;
	if (bpf_xdp_adjust_head(ctx, -(int)sec_len)) {
		bpf_xdp_adjust_tail(ctx, -(int)trailer_len);
		return -1;
	}
	if (DOT11XDP_XDP_BYTES(bpf_xdp_load_bytes, ctx, sec_len, moved, hdr_end, ENCAP_MOVE_MAX) ||
	    DOT11XDP_XDP_BYTES(bpf_xdp_store_bytes, ctx, 0, moved, hdr_end, ENCAP_MOVE_MAX) ||
	    DOT11XDP_XDP_BYTES(bpf_xdp_store_bytes, ctx, hdr_end, (void *)in->sec, sec_len,
			       ENCAP_SEC_HDR_MAX) ||
	    DOT11XDP_XDP_BYTES(bpf_xdp_store_bytes, ctx, hdr_end + sec_len, work->body, sealed_len,
			       DOT11XDP_BODY_MAX))
		return -1;
	fc = frame_ptr(ctx, l->hdr_off, 2);
	if (!fc)
		return -1;
	fc[1] |= DOT11_FC1_PROTECTED;
	return 0;
}

/*
 * The security header for st->in.pn, and what the key's cipher takes besides the body: AAD
 * and nonce (CCMP, GCMP), or TA, DA, SA, priority and Michael key (TKIP). A global function,
 * which keeps the header copies it spills off the stack of the cipher calls.
 */
__noinline int encap_fill_inputs(struct xdp_md *ctx, const struct rx_frame *f,
				 const struct dot11xdp_key *key, struct encap_state *st)
{
	const __u8 *a4 = NULL, *da, *sa;
	const struct dot11_hdr *hdr;
	__u32 da_off, sa_off;

	if (!f || !key || !st)
		return -1;
	hdr = (const struct dot11_hdr *)frame_ptr(ctx, f->rt_len, DOT11_HDR_3ADDR);
	if (!hdr)
		return -1;
	if (f->a4) {
		a4 = frame_ptr(ctx, f->rt_len + DOT11_HDR_3ADDR, DOT11_A4_LEN);
		if (!a4)
			return -1;
	}
	encap_sec_header(key->cipher, st->in.pn, st->in.sec);

	switch (key->cipher) {
	case DOT11XDP_CIPHER_TKIP:
		ether_addr_offsets(f->fc1, &da_off, &sa_off);
		da = frame_ptr(ctx, f->rt_len + da_off, DOT11XDP_MAC_LEN);
		sa = frame_ptr(ctx, f->rt_len + sa_off, DOT11XDP_MAC_LEN);
		if (!da || !sa)
			return -1;
		__builtin_memcpy(st->in.ta, hdr->addr2, DOT11XDP_MAC_LEN);
		__builtin_memcpy(st->in.da, da, DOT11XDP_MAC_LEN);
		__builtin_memcpy(st->in.sa, sa, DOT11XDP_MAC_LEN);
		st->in.priority = f->qos ? f->qos0 & DOT11_QOS_TID_MASK : 0;
		st->in.michael_key = encap_michael_key(f->fc1);
		return 0;
	case DOT11XDP_CIPHER_WEP40:
	case DOT11XDP_CIPHER_WEP104:
		return 0;
	default:
		st->in.aad_len = ccmp_build_aad(hdr, a4, f, key->flags, st->in.aad);
		ccmp_build_nonce(f, st->in.sec, st->in.nonce);
		st->in.mic_len = st->layout.trailer_len;
		return 0;
	}
}

/*
 * Protect the plaintext MPDU whose 802.11 header starts hdr_off bytes into the frame (0 for
 * a bare MPDU; a transmit path that puts a radiotap header in front passes its length, up to
 * ENCAP_PREFIX_MAX) with the receiver's key-mapping key. Returns the outcome:
 *   DOT11XDP_TX_ENCRYPTED    the frame is now the protected MPDU (same prefix);
 *   DOT11XDP_TX_NO_KEY       no key for A1: the frame is unchanged;
 *   any other                the frame must not be sent (it may be unchanged or garbage).
 */
__noinline __u32 encap_mpdu(struct xdp_md *ctx, __u32 hdr_off)
{
	struct rx_frame f = {};
	const struct dot11_hdr *hdr;
	struct dot11xdp_work *work;
	struct encap_state *st;
	struct dot11xdp_key *key;
	__u32 body_len, zero = 0;

	if (encap_parse(ctx, hdr_off, &f))
		return DOT11XDP_TX_MALFORMED;
	hdr = (const struct dot11_hdr *)frame_ptr(ctx, f.rt_len, DOT11_HDR_3ADDR);
	if (!hdr)
		return DOT11XDP_TX_MALFORMED;
	key = keys_lookup_tx(hdr->addr1);
	if (!key)
		return DOT11XDP_TX_NO_KEY;
	st = bpf_map_lookup_elem(&dot11xdp_txwork, &zero);
	work = work_get();
	if (!st || !work)
		return DOT11XDP_TX_FAILED;
	if (encap_layout_of(key, &f, &st->layout))
		return DOT11XDP_TX_UNSUPPORTED;
	st->layout.hdr_off = f.rt_len;
	st->layout.body_off = f.body_off;
	body_len = f.len - f.body_off; /* parse_dot11 checked body_off <= len */
	if (body_len > DOT11XDP_BODY_MAX - st->layout.trailer_len)
		return DOT11XDP_TX_UNSUPPORTED; /* an A-MSDU beyond the work buffer */
	st->layout.body_len = body_len;

	st->in.pn = encap_next_pn(key);
	if (st->in.pn > ENCAP_PN_MAX)
		return DOT11XDP_TX_PN_EXHAUSTED;
	if (encap_fill_inputs(ctx, &f, key, st))
		return DOT11XDP_TX_MALFORMED;

	/*
	 * Tested as itself: clang would compare len with body_off instead, and the verifier then
	 * sees a load that may be zero-sized ("R4 invalid zero-sized read").
	 */
	asm volatile("" : "+r"(body_len));
	if (body_len && bpf_xdp_load_bytes(ctx, f.body_off, work->body, body_len))
		return DOT11XDP_TX_MALFORMED;
	if (encap_seal(key, work, body_len, &st->in))
		return DOT11XDP_TX_FAILED;
	if (encap_write(ctx, &st->layout, &st->in))
		return DOT11XDP_TX_FAILED;
	return DOT11XDP_TX_ENCRYPTED;
}

#endif
