// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The encrypt program: protects a plaintext 802.11 MPDU (no radiotap) with its receiver's
 * key-mapping key, every cipher of the key table, and counts the outcome. Run through
 * BPF_PROG_TEST_RUN for now; the transmit path puts encap_mpdu() behind its 802.3 -> 802.11
 * conversion and in front of its radiotap TX header.
 *
 * Protected frames and frames without a key pass (the latter unchanged); a frame that could
 * not be protected (malformed, unsupported cipher, PN space used up, a failed cipher) is
 * dropped, never sent in the clear.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/encap.h"
#include "lib/report.h"

/* Set by an offline loader before load: report each frame's outcome in the XDP metadata. */
const volatile bool report_outcome = false;
/*
 * Bytes in front of the MPDU, up to ENCAP_PREFIX_MAX: 0 for a bare MPDU; a radiotap header's
 * length when a loader (the tests) hands frames laid out as the transmit path will have them.
 */
const volatile __u32 mpdu_offset = 0;

SEC("xdp")
int xdp_encrypt(struct xdp_md *ctx)
{
	__u32 outcome = encap_mpdu(ctx, mpdu_offset);

	encap_count(outcome);
	if (report_outcome)
		report_frame_outcome(ctx, outcome);
	if (outcome == DOT11XDP_TX_ENCRYPTED || outcome == DOT11XDP_TX_NO_KEY)
		return XDP_PASS;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
