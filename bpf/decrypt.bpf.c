// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The receive program: decrypts protected frames on a monitor-mode interface.
 *
 * radiotap -> 802.11 header -> key of TA (else RA) -> by the key's cipher (CCMP-128/256,
 * GCMP-128/256, TKIP, WEP-40/104): security header check, replay check, decrypt, verify,
 * advance the counter -> plaintext 802.11 frame (or Ethernet, offline) -> count the outcome.
 * Replays, MIC and Michael failures, malformed and bad-FCS frames are dropped; frames
 * without a key, with an unsupported cipher or without protection pass unchanged.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/consts.h"
#include "lib/ether.h"
#include "lib/maps.h"
#include "lib/parse.h"
#include "lib/rx.h"
#include "lib/stats.h"
#include "lib/report.h"

/* Set by an offline loader before load: report each frame's outcome in the XDP metadata. */
const volatile bool report_outcome = false;

/* rx_parse's answer for a protected frame that a key might open. */
#define RX_PROTECTED DOT11XDP_RX_OUTCOMES

/* Radiotap and MAC header: the outcome of frames that go no further, else RX_PROTECTED. */
static __always_inline __u32 rx_parse(struct xdp_md *ctx, struct rx_frame *f)
{
	void *data_end = (void *)(long)ctx->data_end;
	struct hdr_cursor nh = { .pos = (void *)(long)ctx->data };

	if (parse_radiotap(&nh, data_end, bpf_xdp_get_buff_len(ctx), f))
		return DOT11XDP_RX_MALFORMED;
	if (f->rt_flags & RADIOTAP_F_BADFCS)
		return DOT11XDP_RX_BAD_FCS;
	if (!parse_dot11(&nh, data_end, f))
		return DOT11XDP_RX_MALFORMED;
	/* Control frames are never protected; extension (DMG) frames are not handled. */
	if (f->type == DOT11_TYPE_CTRL || f->type == DOT11_TYPE_EXT ||
	    !(f->fc1 & DOT11_FC1_PROTECTED))
		return DOT11XDP_RX_UNPROTECTED;
	return RX_PROTECTED;
}

/*
 * The stages after parsing are global functions: the verifier checks each once, with f's
 * fields unknown, instead of once per combination of header options the parsers saw (A4,
 * QoS, HT Control, DATAPAD, FCS), which multiplied its work when they were inlined.
 */

/* Key lookup and decryption of a protected data or management frame. */
__noinline __u32 rx_decrypt(struct xdp_md *ctx, struct rx_frame *f)
{
	const struct dot11_hdr *hdr;
	struct dot11xdp_key *key;
	__u32 end;

	if (!f)
		return DOT11XDP_RX_MALFORMED;
	hdr = (const struct dot11_hdr *)frame_ptr(ctx, f->rt_len, DOT11_HDR_3ADDR);
	if (!hdr)
		return DOT11XDP_RX_MALFORMED;
	key = keys_lookup_rx(f->ta.addr, hdr->addr1, f->ra_group, &end);
	if (!key)
		return DOT11XDP_RX_NO_KEY;
	return rx_open(ctx, f, key, end);
}

/* What happens to the frame after its outcome: its XDP action and, offline, 802.3 output. */
__noinline int rx_deliver(struct xdp_md *ctx, struct rx_frame *f, __u32 outcome)
{
	struct dot11xdp_config *config;
	__u32 zero = 0;

	switch (outcome) {
	case DOT11XDP_RX_DECRYPTED:
	case DOT11XDP_RX_UNPROTECTED:
	case DOT11XDP_RX_NO_KEY:
	case DOT11XDP_RX_UNSUPPORTED:
		break;
	default:
		return XDP_DROP;
	}
	config = bpf_map_lookup_elem(&dot11xdp_config, &zero);
	if (!config || config->output != DOT11XDP_OUTPUT_ETHER)
		return XDP_PASS;
	if (!f || (outcome != DOT11XDP_RX_DECRYPTED && outcome != DOT11XDP_RX_UNPROTECTED))
		return XDP_DROP;
	return ether_from_dot11(ctx, f, outcome == DOT11XDP_RX_DECRYPTED) ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int xdp_decrypt(struct xdp_md *ctx)
{
	struct rx_frame f = {};
	__u32 outcome = rx_parse(ctx, &f);
	int action;

	if (outcome == RX_PROTECTED)
		outcome = rx_decrypt(ctx, &f);
	action = rx_deliver(ctx, &f, outcome);

	stats_count(&f, outcome);
	if (report_outcome)
		report_frame_outcome(ctx, outcome);
	return action;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
