/* SPDX-License-Identifier: GPL-2.0 */
/* Names and printing of the per-outcome counters, shared by stats and decrypt. */
#ifndef DOT11XDP_CLI_STATS_H
#define DOT11XDP_CLI_STATS_H

#include <stdio.h>

#include <dot11xdp/dot11xdp_structs.h>

struct cli_counter {
	const char *json;   /* key in JSON output */
	const char *column; /* table heading */
	const char *label;  /* in sentences: "4 replays" */
};

extern const struct cli_counter cli_counters[DOT11XDP_RX_OUTCOMES];

/* The counters as an array indexed by enum dot11xdp_rx_outcome. */
void cli_stats_to_array(const struct dot11xdp_rx_stats *s, __u64 out[DOT11XDP_RX_OUTCOMES]);

void cli_stats_json(FILE *out, const struct dot11xdp_rx_stats *s);

#endif
