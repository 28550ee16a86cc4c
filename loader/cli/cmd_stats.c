// SPDX-License-Identifier: GPL-2.0
/* stats: the receive program's counters, global and per transmitter. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "stats.h"
#include "util.h"

/* Names in enum dot11xdp_rx_outcome order, matching struct dot11xdp_rx_stats. */
const struct cli_counter cli_counters[DOT11XDP_RX_OUTCOMES] = {
	[DOT11XDP_RX_DECRYPTED] = { "decrypted", "DECRYPTED", "decrypted" },
	[DOT11XDP_RX_UNPROTECTED] = { "unprotected", "UNPROTECTED", "unprotected" },
	[DOT11XDP_RX_NO_KEY] = { "no_key", "NO-KEY", "no key" },
	[DOT11XDP_RX_REPLAY] = { "replay", "REPLAY", "replays" },
	[DOT11XDP_RX_MIC_FAILURE] = { "mic_failure", "MIC-FAIL", "MIC failures" },
	[DOT11XDP_RX_MALFORMED] = { "malformed", "MALFORMED", "malformed" },
	[DOT11XDP_RX_BAD_FCS] = { "bad_fcs", "BAD-FCS", "bad FCS" },
	[DOT11XDP_RX_UNSUPPORTED] = { "unsupported", "UNSUPPORTED", "unsupported cipher" },
	[DOT11XDP_RX_MICHAEL_FAILURE] = { "michael_failure", "MICHAEL", "Michael failures" },
};

void cli_stats_to_array(const struct dot11xdp_rx_stats *s, __u64 out[DOT11XDP_RX_OUTCOMES])
{
	out[DOT11XDP_RX_DECRYPTED] = s->decrypted;
	out[DOT11XDP_RX_UNPROTECTED] = s->unprotected;
	out[DOT11XDP_RX_NO_KEY] = s->no_key;
	out[DOT11XDP_RX_REPLAY] = s->replay;
	out[DOT11XDP_RX_MIC_FAILURE] = s->mic_failure;
	out[DOT11XDP_RX_MALFORMED] = s->malformed;
	out[DOT11XDP_RX_BAD_FCS] = s->bad_fcs;
	out[DOT11XDP_RX_UNSUPPORTED] = s->unsupported;
	out[DOT11XDP_RX_MICHAEL_FAILURE] = s->michael_failure;
}

void cli_stats_json(FILE *out, const struct dot11xdp_rx_stats *s)
{
	__u64 v[DOT11XDP_RX_OUTCOMES];

	cli_stats_to_array(s, v);
	fputc('{', out);
	for (int i = 0; i < DOT11XDP_RX_OUTCOMES; i++)
		fprintf(out, "%s\"%s\":%llu", i ? "," : "", cli_counters[i].json,
			(unsigned long long)v[i]);
	fputc('}', out);
}

struct stats_opts {
	const char *ifname;
	bool peers;
	bool json;
};

static const struct cli_option stats_options[] = {
	{ .name = "IFNAME", .positional = true, .required = true, .type = CLI_OPT_IFNAME,
	  .offset = offsetof(struct stats_opts, ifname), .metavar = "IFNAME",
	  .help = "the interface (a monitor-mode Wi-Fi interface)" },
	{ .name = "peers", .short_name = 'p', .type = CLI_OPT_FLAG,
	  .offset = offsetof(struct stats_opts, peers), .help = "also the counters of each transmitter" },
	{ .name = "json", .short_name = 'j', .type = CLI_OPT_FLAG,
	  .offset = offsetof(struct stats_opts, json), .help = "print JSON" },
	CLI_OPTIONS_END,
};

struct peer_stats {
	__u8 addr[6];
	struct dot11xdp_rx_stats stats;
};

struct peer_list {
	struct peer_stats *peers;
	size_t count;
};

static int collect_peer(const __u8 *addr, const struct dot11xdp_rx_stats *stats, void *ctx)
{
	struct peer_list *list = ctx;
	struct peer_stats *grown = realloc(list->peers, (list->count + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	memcpy(grown[list->count].addr, addr, 6);
	grown[list->count].stats = *stats;
	list->peers = grown;
	list->count++;
	return 0;
}

static int cmp_peer(const void *a, const void *b)
{
	return memcmp(((const struct peer_stats *)a)->addr, ((const struct peer_stats *)b)->addr, 6);
}

static int run_stats(const void *o)
{
	const struct stats_opts *opts = o;
	struct dot11xdp_adapter *adapter;
	struct dot11xdp_rx_stats global;
	struct peer_list list = {};
	char mac[CLI_MAC_STRLEN];
	__u64 v[DOT11XDP_RX_OUTCOMES];
	int err;

	adapter = cli_open_attached(opts->ifname, true);
	if (!adapter)
		return CLI_EXIT_FAILURE;
	err = dot11xdp_adapter__stats(adapter, &global);
	if (!err && opts->peers)
		err = dot11xdp_adapter__for_each_peer_stats(adapter, collect_peer, &list);
	dot11xdp_adapter__close(adapter);
	if (err) {
		cli_err_lib(err, "cannot read the counters of %s", opts->ifname);
		free(list.peers);
		return CLI_EXIT_FAILURE;
	}
	qsort(list.peers, list.count, sizeof(*list.peers), cmp_peer);

	if (opts->json) {
		printf("{\"ifname\":");
		cli_json_str(stdout, opts->ifname);
		printf(",\"global\":");
		cli_stats_json(stdout, &global);
		if (opts->peers) {
			printf(",\"peers\":[");
			for (size_t i = 0; i < list.count; i++) {
				printf("%s{\"transmitter\":\"%s\",\"counters\":", i ? "," : "",
				       cli_mac_str(list.peers[i].addr, mac));
				cli_stats_json(stdout, &list.peers[i].stats);
				putchar('}');
			}
			putchar(']');
		}
		printf("}\n");
		free(list.peers);
		return 0;
	}

	cli_stats_to_array(&global, v);
	printf("%s: frames received\n", opts->ifname);
	for (int i = 0; i < DOT11XDP_RX_OUTCOMES; i++)
		printf("  %-20s %llu\n", cli_counters[i].label, (unsigned long long)v[i]);
	if (opts->peers) {
		printf("\n%-17s", "TRANSMITTER");
		for (int i = 0; i < DOT11XDP_RX_OUTCOMES; i++)
			printf("  %11s", cli_counters[i].column);
		putchar('\n');
		for (size_t p = 0; p < list.count; p++) {
			cli_stats_to_array(&list.peers[p].stats, v);
			printf("%-17s", cli_mac_str(list.peers[p].addr, mac));
			for (int i = 0; i < DOT11XDP_RX_OUTCOMES; i++)
				printf("  %11llu", (unsigned long long)v[i]);
			putchar('\n');
		}
		if (!list.count)
			printf("(no transmitter seen yet)\n");
	}
	free(list.peers);
	return 0;
}

const struct cli_command cmd_stats = {
	.name = "stats",
	.summary = "show the receive counters, global and per transmitter",
	.description = "Show what the receive program did with the frames of IFNAME, by outcome:\n"
		       "decrypted, unprotected, no key, replay, MIC failure, malformed, bad FCS,\n"
		       "unsupported cipher, TKIP Michael failure; with --peers, per transmitter\n"
		       "address too.",
	.options = stats_options,
	.opts_size = sizeof(struct stats_opts),
	.run = run_stats,
};
