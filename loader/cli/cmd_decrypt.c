// SPDX-License-Identifier: GPL-2.0
/*
 * decrypt: offline decryption of a capture by the receive program itself, run frame by frame
 * with BPF_PROG_TEST_RUN on an offline adapter (no interface, nothing pinned).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "commands.h"
#include "offline.h"
#include "stats.h"
#include "util.h"

/* Radiotap header put in front of a link type 105 frame: version 0, length 8, no fields. */
static const __u8 minimal_radiotap[8] = { 0, 0, 8, 0, 0, 0, 0, 0 };

/* Largest frame a capture record can hold that we run; libpcap's own ceiling. */
#define FRAME_MAX 262144
/* Output room beyond the input: the program may grow a frame only by an Ethernet header. */
#define OUT_SLACK 64
/*
 * BPF_PROG_TEST_RUN takes nothing shorter than an Ethernet header. No 802.11 frame is: the
 * shortest (an ACK, 10 bytes) behind the smallest radiotap header (8) makes 18.
 */
#define RUN_MIN_LEN 14

struct decrypt_opts {
	struct cli_strings keys;
	const char *in;
	const char *out;
	bool ether;
	bool json;
	unsigned int engine;
};

static const struct cli_option decrypt_options[] = {
	{ .name = "IN", .positional = true, .required = true, .type = CLI_OPT_STRING,
	  .offset = offsetof(struct decrypt_opts, in), .metavar = "IN",
	  .help = "capture to read: pcap or pcapng, radiotap (127) or 802.11 (105) link type" },
	{ .name = "OUT", .positional = true, .required = true, .type = CLI_OPT_STRING,
	  .offset = offsetof(struct decrypt_opts, out), .metavar = "OUT",
	  .help = "pcap file to write; - for standard output" },
	{ .name = "key", .short_name = 'k', .type = CLI_OPT_STRINGS,
	  .offset = offsetof(struct decrypt_opts, keys), .metavar = "PEER=CIPHER:HEXKEY",
	  .help = "key of a station; name a peer again for the keys of later rekeys" },
	{ .name = "ether", .short_name = 'e', .type = CLI_OPT_FLAG,
	  .offset = offsetof(struct decrypt_opts, ether),
	  .help = "write the decrypted data frames as Ethernet (link type 1), as airdecap-ng does" },
	{ .name = "json", .short_name = 'j', .type = CLI_OPT_FLAG,
	  .offset = offsetof(struct decrypt_opts, json), .help = "print the summary as JSON" },
	{ .name = "engine", .type = CLI_OPT_ENUM, .offset = offsetof(struct decrypt_opts, engine),
	  .metavar = "ENGINE", .help = "AES engine (default table: the fastest, and a capture "
	  "gives an attacker no timing feedback)", .enums = cli_engine_names },
	CLI_OPTIONS_END,
};

struct decrypt_run {
	const struct decrypt_opts *opts;
	struct cap_in in;
	struct cap_out out;
	struct dot11xdp_adapter *adapter;
	struct offline_keys keys;
	__u8 *frame, *result_buf;
	__u64 outcomes[DOT11XDP_RX_OUTCOMES]; /* final outcome of every frame run */
	unsigned long frames_read, frames_written, truncated, too_short;
	/* progress line */
	struct timespec start, last_progress;
	bool progress_shown;
};

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* On a terminal, once the run has taken a second, at most five times a second. */
static void show_progress(struct decrypt_run *run)
{
	long offset;

	if (run->frames_read % 64 || !isatty(STDERR_FILENO) || seconds_since(&run->start) < 1.0 ||
	    (run->progress_shown && seconds_since(&run->last_progress) < 0.2))
		return;
	clock_gettime(CLOCK_MONOTONIC, &run->last_progress);
	offset = cap_in_offset(&run->in);
	fprintf(stderr, "\rdot11xdp decrypt: %lu frames", run->frames_read);
	if (offset >= 0)
		fprintf(stderr, " (%ld%%)", (long)(100.0 * offset / run->in.size));
	fprintf(stderr, ", %llu decrypted\033[K",
		(unsigned long long)run->outcomes[DOT11XDP_RX_DECRYPTED]);
	run->progress_shown = true;
}

static bool is_data_frame(const __u8 *frame, __u32 len)
{
	__u32 rt_len = frame[2] | frame[3] << 8;

	return rt_len < len && ((frame[rt_len] >> 2) & 3) == 2;
}

/* Run one capture record through the program and write what it delivers. */
static int process_frame(struct decrypt_run *run, const struct pcap_pkthdr *hdr,
			 const __u8 *data)
{
	bool add_radiotap = run->in.linktype == CAP_LINKTYPE_IEEE802_11;
	struct dot11xdp_frame_result result = {};
	struct pcap_pkthdr out_hdr = *hdr;
	const __u8 *frame = data, *payload;
	__u32 len = hdr->caplen, out_size, payload_len;
	int err;

	/* A record cut short by the capture's snap length cannot be verified: pass it on. */
	if (hdr->caplen < hdr->len || hdr->caplen > FRAME_MAX) {
		run->truncated++;
		if (run->opts->ether)
			return 0;
		run->frames_written++;
		return cap_out_write(&run->out, hdr, data);
	}
	if (add_radiotap) {
		memcpy(run->frame, minimal_radiotap, sizeof(minimal_radiotap));
		memcpy(run->frame + sizeof(minimal_radiotap), data, len);
		frame = run->frame;
		len += sizeof(minimal_radiotap);
	}
	if (len < RUN_MIN_LEN) {
		run->too_short++;
		return 0;
	}
	out_size = len + OUT_SLACK;

	err = dot11xdp_adapter__run_frame(run->adapter, frame, len, run->result_buf, out_size,
					  &result);
	if (err) {
		cli_err_lib(err, "frame %lu of %s: running the receive program failed",
			    run->frames_read, run->in.path);
		return err;
	}
	if ((result.outcome == DOT11XDP_RX_MIC_FAILURE || result.outcome == DOT11XDP_RX_REPLAY) &&
	    run->keys.count) {
		err = offline_keys_retry(&run->keys, frame, len, run->result_buf, out_size, &result);
		if (err)
			return err;
	}
	if (result.outcome >= DOT11XDP_RX_OUTCOMES || result.out_len > out_size) {
		cli_err("frame %lu of %s: the receive program returned outcome %u and %u bytes, "
			"which this dot11xdp does not understand", run->frames_read, run->in.path,
			result.outcome, result.out_len);
		return -EPROTO;
	}
	run->outcomes[result.outcome]++;

	if (!offline_delivered(&result))
		return 0;
	payload = run->result_buf;
	payload_len = result.out_len;
	if (run->opts->ether) {
		/* Only decrypted data frames become Ethernet frames. */
		if (result.outcome != DOT11XDP_RX_DECRYPTED || !is_data_frame(frame, len))
			return 0;
	} else if (add_radiotap) {
		__u32 rt_len = payload_len >= 4 ? (payload[2] | payload[3] << 8) : 0;

		if (rt_len < sizeof(minimal_radiotap) || rt_len > payload_len) {
			cli_err("frame %lu of %s: the receive program delivered a frame without a "
				"radiotap header", run->frames_read, run->in.path);
			return -EPROTO;
		}
		payload += rt_len;
		payload_len -= rt_len;
	}
	out_hdr.caplen = payload_len;
	out_hdr.len = payload_len;
	run->frames_written++;
	return cap_out_write(&run->out, &out_hdr, payload);
}

static void print_summary(const struct decrypt_run *run, const struct dot11xdp_rx_stats *program)
{
	FILE *f = strcmp(run->opts->out, "-") ? stdout : stderr;
	const char *kind = run->opts->ether ? "Ethernet" : "802.11";

	if (run->opts->json) {
		fprintf(f, "{\"input\":");
		cli_json_str(f, run->opts->in);
		fprintf(f, ",\"output\":");
		cli_json_str(f, run->opts->out);
		fprintf(f, ",\"output_link_type\":%d,\"engine\":\"%s\",\"frames_read\":%lu,"
			   "\"frames_written\":%lu,\"truncated\":%lu,\"too_short\":%lu,"
			   "\"key_changes\":%lu,\"outcomes\":{",
			run->opts->ether ? CAP_LINKTYPE_ETHERNET : run->in.linktype,
			cli_engine_name(dot11xdp_adapter__engine(run->adapter)), run->frames_read,
			run->frames_written, run->truncated, run->too_short, run->keys.key_changes);
		for (int i = 0; i < DOT11XDP_RX_OUTCOMES; i++)
			fprintf(f, "%s\"%s\":%llu", i ? "," : "", cli_counters[i].json,
				(unsigned long long)run->outcomes[i]);
		fprintf(f, "},\"program_stats\":");
		cli_stats_json(f, program);
		fprintf(f, "}\n");
		return;
	}

	fprintf(f, "read %lu frame%s:", run->frames_read, run->frames_read == 1 ? "" : "s");
	for (int i = 0; i < DOT11XDP_RX_OUTCOMES; i++)
		fprintf(f, "%s %llu %s", i ? "," : "", (unsigned long long)run->outcomes[i],
			cli_counters[i].label);
	if (run->truncated)
		fprintf(f, ", %lu truncated by the capture (passed on, not run)", run->truncated);
	if (run->too_short)
		fprintf(f, ", %lu too short for 802.11 (dropped, not run)", run->too_short);
	fprintf(f, "; wrote %lu %s frame%s to %s", run->frames_written, kind,
		run->frames_written == 1 ? "" : "s",
		strcmp(run->opts->out, "-") ? run->opts->out : "standard output");
	if (run->keys.key_changes)
		fprintf(f, "; %lu key change%s", run->keys.key_changes,
			run->keys.key_changes == 1 ? "" : "s");
	fputc('\n', f);
}

static int decrypt_loop(struct decrypt_run *run)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc, err;

	clock_gettime(CLOCK_MONOTONIC, &run->start);
	while ((rc = pcap_next_ex(run->in.pcap, &hdr, &data)) == 1) {
		run->frames_read++;
		err = process_frame(run, hdr, data);
		if (err)
			return err;
		show_progress(run);
	}
	if (run->progress_shown)
		fprintf(stderr, "\r\033[K");
	if (rc == PCAP_ERROR) {
		/* Captures cut off mid-record are common; what came before is still good. */
		cli_warn("%s: %s; stopped after %lu frames", run->in.path, pcap_geterr(run->in.pcap),
			 run->frames_read);
	}
	return 0;
}

static int run_decrypt(const void *o)
{
	const struct decrypt_opts *opts = o;
	struct dot11xdp_open_opts open_opts = { .sz = sizeof(open_opts), .engine = opts->engine };
	struct dot11xdp_rx_stats program = {};
	__u64 program_counts[DOT11XDP_RX_OUTCOMES];
	struct decrypt_run run = { .opts = opts };
	int rc = CLI_EXIT_FAILURE, err;

	offline_keys_init(&run.keys);
	for (unsigned int i = 0; i < opts->keys.count; i++) {
		if (offline_keys_add(&run.keys, opts->keys.values[i])) {
			for (unsigned int j = i + 1; j < opts->keys.count; j++)
				cli_scrub_arg(opts->keys.values[j]);
			offline_keys_free(&run.keys);
			free(opts->keys.values);
			return CLI_EXIT_USAGE;
		}
	}
	/*
	 * Trying candidates saves and restores whole key values, which on the kfunc engine name
	 * contexts the library releases when it replaces a key: one key per peer there.
	 */
	if (opts->engine == DOT11XDP_ENGINE_KFUNC) {
		for (unsigned int i = 0; i < run.keys.count; i++) {
			if (run.keys.peers[i].count > 1) {
				cli_err("--engine kfunc takes one --key per peer; candidate keys for a "
					"capture that rekeys need the table engine");
				rc = CLI_EXIT_USAGE;
				goto out_keys;
			}
		}
	}
	if (!strcmp(opts->in, opts->out) && strcmp(opts->in, "-")) {
		cli_err("IN and OUT are the same file (%s)", opts->in);
		rc = CLI_EXIT_USAGE;
		goto out_keys;
	}
	if (cap_in_open(&run.in, opts->in))
		goto out_keys;

	run.adapter = dot11xdp_adapter__open_offline(&open_opts);
	if (!run.adapter) {
		cli_err_lib(-errno, "cannot load the receive program for offline decryption");
		goto out_in;
	}
	if (opts->ether) {
		err = dot11xdp_adapter__set_output(run.adapter, DOT11XDP_OUTPUT_ETHER);
		if (err) {
			cli_err_lib(err, "cannot switch the offline program to Ethernet output");
			goto out_adapter;
		}
	}
	if (offline_keys_install(&run.keys, run.adapter))
		goto out_adapter;

	run.frame = malloc(FRAME_MAX + sizeof(minimal_radiotap));
	run.result_buf = malloc(FRAME_MAX + sizeof(minimal_radiotap) + OUT_SLACK);
	if (!run.frame || !run.result_buf) {
		cli_err("out of memory");
		goto out_adapter;
	}
	if (cap_out_open(&run.out, opts->out,
			 opts->ether ? CAP_LINKTYPE_ETHERNET : run.in.linktype,
			 pcap_snapshot(run.in.pcap) > 0 ? pcap_snapshot(run.in.pcap) : FRAME_MAX,
			 run.in.nano))
		goto out_adapter;

	if (decrypt_loop(&run)) {
		cap_out_abort(&run.out);
		goto out_adapter;
	}

	err = dot11xdp_adapter__stats(run.adapter, &program);
	if (err) {
		cli_err_lib(err, "cannot read the offline program's counters");
		cap_out_abort(&run.out);
		goto out_adapter;
	}
	if (cap_out_commit(&run.out))
		goto out_adapter;
	print_summary(&run, &program);

	/* The summary is the frames' outcomes; the program counted the same frames itself. */
	cli_stats_to_array(&program, program_counts);
	if (memcmp(program_counts, run.outcomes, sizeof(program_counts))) {
		cli_err("the receive program's counters disagree with the outcomes it reported for "
			"each frame (see --json: outcomes, program_stats)");
		goto out_adapter;
	}
	rc = 0;

out_adapter:
	free(run.frame);
	free(run.result_buf);
	dot11xdp_adapter__close(run.adapter);
out_in:
	cap_in_close(&run.in);
out_keys:
	offline_keys_free(&run.keys);
	free(opts->keys.values);
	return rc;
}

const struct cli_command cmd_decrypt = {
	.name = "decrypt",
	.summary = "decrypt a capture file offline with the receive program",
	.description =
		"Run every frame of IN (pcap or pcapng; radiotap or plain 802.11) through the\n"
		"receive program with BPF_PROG_TEST_RUN, and write to OUT (pcap) every frame it\n"
		"delivers: plaintext where decrypted, unchanged otherwise; replays, MIC failures and\n"
		"malformed frames are left out. With --ether, OUT holds only the decrypted data\n"
		"frames, as Ethernet. A peer named by several --key options (a capture that\n"
		"rekeys) starts with its first key; when a frame of that peer fails its MIC, the\n"
		"other keys are tried on it and the one that verifies becomes current (table\n"
		"engine only). OUT is written beside its final name, mode 0600, and renamed when\n"
		"the run succeeds.",
	.options = decrypt_options,
	.opts_size = sizeof(struct decrypt_opts),
	.run = run_decrypt,
};
