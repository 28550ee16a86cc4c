/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Outcome reporting for offline runs: a loader that sets a program's report_outcome rodata
 * gets each frame's outcome in the XDP metadata area, where BPF_PROG_TEST_RUN returns it in
 * front of the frame. A live program is loaded without it and the verifier drops the call.
 */
#ifndef DOT11XDP_BPF_REPORT_H
#define DOT11XDP_BPF_REPORT_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

/* Put struct dot11xdp_frame_meta in front of the frame. */
static __always_inline void report_frame_outcome(struct xdp_md *ctx, __u32 outcome)
{
	struct dot11xdp_frame_meta *meta;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta)))
		return;
	meta = (void *)(long)ctx->data_meta;
	if ((void *)(meta + 1) > (void *)(long)ctx->data)
		return;
	meta->outcome = outcome;
}

#endif
