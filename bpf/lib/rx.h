/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The receive path of a protected frame whose key-mapping key was found: the same steps for
 * every cipher, each with the cipher's framing (protect.h):
 *   security header checked against the key's cipher -> replay check (CCMP, GCMP: PN; TKIP:
 *   TSC; WEP has none) -> body into the per-CPU work buffer -> the cipher's decryption and
 *   integrity check -> counter advanced (compare-and-swap) -> plaintext stored over the
 *   security header, MIC/ICV and FCS trimmed, Protected cleared.
 * Nothing reaches the packet before the integrity check has passed, and no counter moves
 * before it either: every outcome but DECRYPTED leaves the packet as it arrived.
 *
 * The per-cipher steps are global functions: the verifier checks each once, on its own,
 * instead of once for every path of the common steps that reaches it.
 */
#ifndef DOT11XDP_BPF_RX_H
#define DOT11XDP_BPF_RX_H

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
#include "protect.h"
#include "replay.h"
#include "tkip.h"
#include "wep.h"
#include "work.h"

/* What a cipher's decryption takes besides the key and the body; the fields of one cipher. */
struct rx_cipher_in {
	__u64 pn;			/* TKIP: the TSC (key mixing) */
	__u32 aad_len;			/* CCMP, GCMP */
	__u32 mic_len;			/* CCMP: 8 (CCMP-128) or 16 (CCMP-256) */
	__u8 aad[CCMP_AAD_MAX];		/* CCMP, GCMP */
	__u8 nonce[CCMP_NONCE_LEN];	/* CCMP 13 bytes, GCMP the first 12; WEP: the IV, 3 */
	__u8 priority;			/* TKIP: the MSDU's priority (TID of QoS data, else 0) */
	__u8 michael_key;		/* TKIP: which Michael key (tkip_michael_key) */
	__u8 ta[DOT11XDP_MAC_LEN];	/* TKIP: the transmitter (key mixing) */
	__u8 da[DOT11XDP_MAC_LEN];	/* TKIP: the MSDU's destination and source (Michael) */
	__u8 sa[DOT11XDP_MAC_LEN];
};

/* The cores read their AAD buffer's full length whatever the AAD's (see ccm.h, gcm.h). */
_Static_assert(CCMP_AAD_MAX == DOT11XDP_CCM_AAD_MAX && CCMP_AAD_MAX == DOT11XDP_GCM_AAD_MAX,
	       "rx_cipher_in.aad is the buffer both cores read");

/*
 * CCMP and GCMP: the AAD and the nonce of frame f, whose security header is in the packet.
 * Returns 0, or -1 when the header bytes are out of reach.
 */
__noinline int rx_aead_inputs(struct xdp_md *ctx, const struct rx_frame *f, __u32 cipher,
			      __u8 key_flags, struct rx_cipher_in *in)
{
	const struct dot11_hdr *hdr;
	const __u8 *sec, *a4 = NULL;

	if (!f || !in)
		return -1;
	hdr = (const struct dot11_hdr *)frame_ptr(ctx, f->rt_len, DOT11_HDR_3ADDR);
	sec = frame_ptr(ctx, f->body_off, PROTECT_EXTIV_HDR_LEN);
	if (!hdr || !sec)
		return -1;
	if (f->a4) {
		a4 = frame_ptr(ctx, f->rt_len + DOT11_HDR_3ADDR, DOT11_A4_LEN);
		if (!a4)
			return -1;
	}
	in->aad_len = ccmp_build_aad(hdr, a4, f, key_flags, in->aad);
	if (cipher == DOT11XDP_CIPHER_GCMP || cipher == DOT11XDP_CIPHER_GCMP_256)
		gcmp_build_nonce(f, sec, in->nonce);
	else
		ccmp_build_nonce(f, sec, in->nonce);
	in->mic_len = cipher == DOT11XDP_CIPHER_CCMP ? CCMP_128_MIC_LEN : PROTECT_MIC_LEN_16;
	return 0;
}

/*
 * TKIP: the transmitter, the MSDU's DA, SA and priority, and the Michael key of frame f, whose
 * key was found through end (enum dot11xdp_replay_end; tkip_michael_key falls back on it).
 * Returns 0, or -1 when the addresses are out of reach.
 */
__noinline int rx_tkip_inputs(struct xdp_md *ctx, const struct rx_frame *f, __u32 end,
			      struct rx_cipher_in *in)
{
	__u32 da_off, sa_off;
	const __u8 *da, *sa;

	if (!f || !in)
		return -1;
	ether_addr_offsets(f->fc1, &da_off, &sa_off);
	da = frame_ptr(ctx, f->rt_len + da_off, DOT11XDP_MAC_LEN);
	sa = frame_ptr(ctx, f->rt_len + sa_off, DOT11XDP_MAC_LEN);
	if (!da || !sa)
		return -1;
	__builtin_memcpy(in->da, da, DOT11XDP_MAC_LEN);
	__builtin_memcpy(in->sa, sa, DOT11XDP_MAC_LEN);
	__builtin_memcpy(in->ta, f->ta.addr, DOT11XDP_MAC_LEN);
	in->priority = f->qos ? f->qos0 & DOT11_QOS_TID_MASK : 0;
	in->michael_key = tkip_michael_key(f->fc1, end);
	return 0;
}

/*
 * The per-cipher decryption of work->body[0 .. len) (encrypted data, then MIC or ICV; the
 * caller checked len against the cipher's trailer and DOT11XDP_BODY_MAX). Each returns
 * DOT11XDP_RX_DECRYPTED with the plaintext at the start of body, or the failure's outcome.
 * Pointer arguments of a global function may be NULL as far as the verifier knows.
 */

/* CCMP-128 and CCMP-256 (the MIC length says which). */
__noinline __u32 rx_open_ccmp(const struct dot11xdp_key *key, struct dot11xdp_work *work,
			      __u32 len, const struct rx_cipher_in *in)
{
	if (!key || !work || !in)
		return DOT11XDP_RX_MALFORMED;
	if (ccm_decrypt(key, work, len, in->aad, in->aad_len, in->nonce, in->mic_len))
		return DOT11XDP_RX_MIC_FAILURE;
	return DOT11XDP_RX_DECRYPTED;
}

/* GCMP-128 and GCMP-256 (the key says which). */
__noinline __u32 rx_open_gcmp(const struct dot11xdp_key *key, struct dot11xdp_work *work,
			      __u32 len, const struct rx_cipher_in *in)
{
	if (!key || !work || !in)
		return DOT11XDP_RX_MALFORMED;
	if (gcm_decrypt(key, work, len, in->aad, in->aad_len, in->nonce))
		return DOT11XDP_RX_MIC_FAILURE;
	return DOT11XDP_RX_DECRYPTED;
}

/*
 * TKIP: the ICV first (a wrong one is a MIC failure, as for CCMP), then the Michael MIC over
 * DA | SA | priority | data, whose failure is counted apart (TKIP countermeasures).
 */
__noinline __u32 rx_open_tkip(const struct dot11xdp_key *key, struct dot11xdp_work *work,
			      __u32 len, const struct rx_cipher_in *in)
{
	const __u32 trailer = PROTECT_MICHAEL_LEN + PROTECT_ICV_LEN;

	if (!key || !work || !in)
		return DOT11XDP_RX_MALFORMED;
	if (len < trailer || len > DOT11XDP_BODY_MAX)
		return DOT11XDP_RX_MALFORMED;
	if (tkip_decrypt(key, work, len, in->ta, in->pn))
		return DOT11XDP_RX_MIC_FAILURE;
	if (tkip_michael_verify(key, work, len - trailer, in->da, in->sa, in->priority,
				in->michael_key))
		return DOT11XDP_RX_MICHAEL_FAILURE;
	return DOT11XDP_RX_DECRYPTED;
}

/* WEP-40 and WEP-104: the ICV, the only check WEP has. */
__noinline __u32 rx_open_wep(const struct dot11xdp_key *key, struct dot11xdp_work *work,
			     __u32 len, const struct rx_cipher_in *in)
{
	if (!key || !work || !in)
		return DOT11XDP_RX_MALFORMED;
	if (wep_decrypt(key, work, len, in->nonce))
		return DOT11XDP_RX_MIC_FAILURE;
	return DOT11XDP_RX_DECRYPTED;
}

/* The plaintext frame no longer carries protection or, once trimmed, an FCS: say so. */
static __always_inline void rx_mark_plaintext(struct xdp_md *ctx, struct rx_frame *f)
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
 * Decrypt protected frame f with key, found for it through end (enum dot11xdp_replay_end).
 * On DOT11XDP_RX_DECRYPTED the packet has become radiotap | MAC header | plaintext: the
 * plaintext is stored where the security header was (so nothing in front of it has to
 * move), the MIC/ICV and any FCS are cut off the tail, and f->len follows.
 */
static __always_inline __u32 rx_open(struct xdp_md *ctx, struct rx_frame *f,
				     struct dot11xdp_key *key, __u32 end)
{
	__u32 cipher = key->cipher, outcome, sec_off = f->body_off, body_off, body_len, plain_len;
	struct protect_layout layout;
	struct rx_cipher_in in = {};
	struct dot11xdp_work *work;
	__u64 *counter = NULL;
	const __u8 *sec;

	if (protect_layout(cipher, &layout))
		return DOT11XDP_RX_UNSUPPORTED;
	/*
	 * Every cipher's header and trailer together take at least 8 bytes, so the first 8
	 * bytes of the body are there whenever the frame is long enough at all.
	 */
	if (f->len < sec_off + layout.hdr_len + layout.trailer_len)
		return DOT11XDP_RX_MALFORMED;
	sec = frame_ptr(ctx, sec_off, PROTECT_EXTIV_HDR_LEN);
	if (!sec)
		return DOT11XDP_RX_MALFORMED;
	outcome = protect_check_header(cipher, sec, f);
	if (outcome != PROTECT_HDR_OK)
		return outcome;
	/*
	 * A TKIP fragment is passed on as it came, counted unsupported, before any crypto work:
	 * its Michael MIC covers the reassembled MSDU, which this path never sees, so it can
	 * never be delivered as verified plaintext; its TSC stays unaccepted.
	 */
	if (cipher == DOT11XDP_CIPHER_TKIP && protect_is_fragment(f))
		return DOT11XDP_RX_UNSUPPORTED;

	if (layout.extiv) {
		in.pn = protect_pn(cipher, sec);
		counter = replay_counter(key, end, replay_index(f));
		if (!counter)
			return DOT11XDP_RX_MALFORMED;
		if (!replay_fresh(counter, in.pn))
			return DOT11XDP_RX_REPLAY;
	}

	body_off = sec_off + layout.hdr_len;
	body_len = f->len - body_off; /* encrypted data, then MIC or ICV */
	if (body_len > DOT11XDP_BODY_MAX)
		return DOT11XDP_RX_UNSUPPORTED; /* an A-MSDU beyond the work buffer: passed as is */
	/* Restated for the verifier, which cannot relate it to the length check above. */
	if (body_len < layout.trailer_len)
		return DOT11XDP_RX_MALFORMED;

	switch (cipher) {
	case DOT11XDP_CIPHER_TKIP:
		if (rx_tkip_inputs(ctx, f, end, &in))
			return DOT11XDP_RX_MALFORMED;
		break;
	case DOT11XDP_CIPHER_WEP40:
	case DOT11XDP_CIPHER_WEP104:
		__builtin_memcpy(in.nonce, sec, DOT11XDP_WEP_IV_LEN);
		break;
	default:
		if (rx_aead_inputs(ctx, f, cipher, key->flags, &in))
			return DOT11XDP_RX_MALFORMED;
		break;
	}

	work = work_get();
	if (!work)
		return DOT11XDP_RX_MALFORMED;
	if (bpf_xdp_load_bytes(ctx, body_off, work->body, body_len))
		return DOT11XDP_RX_MALFORMED;
	switch (cipher) {
	case DOT11XDP_CIPHER_TKIP:
		outcome = rx_open_tkip(key, work, body_len, &in);
		break;
	case DOT11XDP_CIPHER_WEP40:
	case DOT11XDP_CIPHER_WEP104:
		outcome = rx_open_wep(key, work, body_len, &in);
		break;
	case DOT11XDP_CIPHER_GCMP:
	case DOT11XDP_CIPHER_GCMP_256:
		outcome = rx_open_gcmp(key, work, body_len, &in);
		break;
	case DOT11XDP_CIPHER_CCMP:
	case DOT11XDP_CIPHER_CCMP_256:
		outcome = rx_open_ccmp(key, work, body_len, &in);
		break;
	default:
		return DOT11XDP_RX_UNSUPPORTED; /* protect_layout knows no other cipher */
	}
	if (outcome != DOT11XDP_RX_DECRYPTED)
		return outcome;
	if (counter && !replay_advance(counter, in.pn))
		return DOT11XDP_RX_REPLAY;

	/*
	 * Only now does plaintext reach the packet. The helpers below cannot fail for offsets
	 * checked above; if one did, the frame is dropped as malformed all the same.
	 */
	plain_len = body_len - layout.trailer_len;
	/* Bounds it for the verifier, which loses the range in the subtraction of two variables. */
	if (plain_len > DOT11XDP_BODY_MAX)
		return DOT11XDP_RX_MALFORMED;
	if (plain_len && DOT11XDP_XDP_BYTES(bpf_xdp_store_bytes, ctx, sec_off, work->body,
					   plain_len, DOT11XDP_BODY_MAX))
		return DOT11XDP_RX_MALFORMED;
	if (bpf_xdp_adjust_tail(ctx, -(int)(layout.hdr_len + layout.trailer_len + f->fcs_len)))
		return DOT11XDP_RX_MALFORMED;
	f->len = sec_off + plain_len;
	rx_mark_plaintext(ctx, f);
	return DOT11XDP_RX_DECRYPTED;
}

#endif
