/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* Outcome counters: every frame counts once, globally and under its transmitter (A2). */
#ifndef DOT11XDP_BPF_STATS_H
#define DOT11XDP_BPF_STATS_H

#include <stddef.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "maps.h"
#include "parse.h"

/* The counters are indexed by outcome: the enum and the struct must keep the same order. */
#define STATS_FIELD_IS(field, outcome) \
	_Static_assert(offsetof(struct dot11xdp_rx_stats, field) == (outcome) * sizeof(__u64), \
		       #field " is not the counter of " #outcome)
STATS_FIELD_IS(decrypted, DOT11XDP_RX_DECRYPTED);
STATS_FIELD_IS(unprotected, DOT11XDP_RX_UNPROTECTED);
STATS_FIELD_IS(no_key, DOT11XDP_RX_NO_KEY);
STATS_FIELD_IS(replay, DOT11XDP_RX_REPLAY);
STATS_FIELD_IS(mic_failure, DOT11XDP_RX_MIC_FAILURE);
STATS_FIELD_IS(malformed, DOT11XDP_RX_MALFORMED);
STATS_FIELD_IS(bad_fcs, DOT11XDP_RX_BAD_FCS);
STATS_FIELD_IS(unsupported, DOT11XDP_RX_UNSUPPORTED);
STATS_FIELD_IS(michael_failure, DOT11XDP_RX_MICHAEL_FAILURE);
_Static_assert(sizeof(struct dot11xdp_rx_stats) == DOT11XDP_RX_OUTCOMES * sizeof(__u64),
	       "struct dot11xdp_rx_stats has a counter without an outcome");

static __always_inline void stats_bump(struct dot11xdp_rx_stats *stats, __u32 outcome)
{
	/*
	 * Bounded index, or the verifier refuses the variable offset into the value ("unbounded
	 * memory access"). Hidden from clang, which knows the range and would drop the test.
	 */
	asm volatile("" : "+r"(outcome));
	if (outcome < DOT11XDP_RX_OUTCOMES)
		((__u64 *)stats)[outcome]++;
}

/*
 * Frames that end before A2 (and bad-FCS frames, whose A2 may be corrupt and would
 * only fill the LRU table with noise) count globally only.
 */
static __always_inline void stats_count(const struct rx_frame *f, __u32 outcome)
{
	static const struct dot11xdp_rx_stats zero_stats;
	struct dot11xdp_rx_stats *stats;
	__u32 zero = 0;

	stats = bpf_map_lookup_elem(&dot11xdp_stats, &zero);
	if (stats)
		stats_bump(stats, outcome);
	if (!f->has_ta)
		return;

	stats = bpf_map_lookup_elem(&dot11xdp_peers, &f->ta);
	if (!stats) {
		/* First frame of this transmitter (or it was evicted): insert, then count. */
		bpf_map_update_elem(&dot11xdp_peers, &f->ta, &zero_stats, BPF_NOEXIST);
		stats = bpf_map_lookup_elem(&dot11xdp_peers, &f->ta);
		if (!stats)
			return;
	}
	stats_bump(stats, outcome);
}

#endif
