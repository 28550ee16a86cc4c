// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Counters, summed over CPUs, and running single frames through the offline program. */
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "internal.h"

/* Adds every CPU's slot of a per-CPU value into sum. */
static void sum_cpus(const struct dot11xdp_rx_stats *percpu, int ncpus,
		     struct dot11xdp_rx_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (int cpu = 0; cpu < ncpus; cpu++) {
		sum->decrypted += percpu[cpu].decrypted;
		sum->unprotected += percpu[cpu].unprotected;
		sum->no_key += percpu[cpu].no_key;
		sum->replay += percpu[cpu].replay;
		sum->mic_failure += percpu[cpu].mic_failure;
		sum->malformed += percpu[cpu].malformed;
		sum->bad_fcs += percpu[cpu].bad_fcs;
		sum->unsupported += percpu[cpu].unsupported;
		sum->michael_failure += percpu[cpu].michael_failure;
	}
}

/* The counters are all __u64: a per-CPU slot is exactly the struct, no rounding. */
_Static_assert(sizeof(struct dot11xdp_rx_stats) % 8 == 0, "per-CPU values are 8-byte slots");

static struct dot11xdp_rx_stats *percpu_buffer(int *ncpus)
{
	*ncpus = libbpf_num_possible_cpus();
	if (*ncpus <= 0)
		return NULL;
	return calloc(*ncpus, sizeof(struct dot11xdp_rx_stats));
}

int dot11xdp_adapter__stats(struct dot11xdp_adapter *adapter, struct dot11xdp_rx_stats *stats)
{
	struct dot11xdp_rx_stats *percpu;
	__u32 zero = 0;
	int ncpus, err = 0;

	if (!adapter || !stats)
		return -EINVAL;
	percpu = percpu_buffer(&ncpus);
	if (!percpu)
		return ncpus < 0 ? ncpus : -ENOMEM;
	if (bpf_map_lookup_elem(adapter->stats_fd, &zero, percpu))
		err = -errno;
	else
		sum_cpus(percpu, ncpus, stats);
	free(percpu);
	return err;
}

/*
 * The data path adds and evicts peers while we read: a get_next_key walk restarts from the
 * top when its current key is evicted, and may never end. Batch lookups walk the hash
 * buckets by index instead, so each peer present throughout is seen exactly once.
 */
int dot11xdp_adapter__for_each_peer_stats(struct dot11xdp_adapter *adapter,
					  int (*fn)(const __u8 *addr,
						    const struct dot11xdp_rx_stats *stats,
						    void *ctx),
					  void *ctx)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	struct dot11xdp_peer_id *ids = NULL;
	struct dot11xdp_rx_stats *values = NULL, sum;
	__u32 batch, count, cap = 64;
	bool first = true, done = false;
	int ncpus, err = 0;

	if (!adapter || !fn)
		return -EINVAL;
	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0)
		return ncpus ? ncpus : -EINVAL;
	while (!done && !err) {
		if (!ids) {
			ids = calloc(cap, sizeof(*ids));
			values = calloc((size_t)cap * ncpus, sizeof(*values));
			if (!ids || !values) {
				err = -ENOMEM;
				break;
			}
		}
		count = cap;
		if (bpf_map_lookup_batch(adapter->peers_fd, first ? NULL : &batch, &batch, ids,
					 values, &count, &opts)) {
			if (errno == ENOSPC && cap < (1u << 20)) {
				/* One bucket holds more peers than a batch: retry it bigger. */
				cap *= 4;
				free(ids);
				free(values);
				ids = NULL;
				values = NULL;
				continue;
			}
			if (errno != ENOENT) {
				err = -errno;
				break;
			}
			done = true; /* ENOENT: the last batch, count entries in it */
		}
		first = false;
		for (__u32 i = 0; i < count && !err; i++) {
			sum_cpus(&values[(size_t)i * ncpus], ncpus, &sum);
			err = fn(ids[i].addr, &sum, ctx);
		}
	}
	free(ids);
	free(values);
	return err;
}

/* Room for the metadata the offline program puts in front of a frame, and some slack. */
#define META_ROOM 64

int dot11xdp_adapter__run_frame(struct dot11xdp_adapter *adapter, const void *frame, __u32 len,
				void *out, __u32 out_size, struct dot11xdp_frame_result *result)
{
	/* With a context, the kernel wants data_end to be the input's length. */
	struct xdp_md ctx_in = { .data_end = len }, ctx_out;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
		    .ctx_in = &ctx_in, .ctx_size_in = sizeof(ctx_in), .ctx_out = &ctx_out,
		    .ctx_size_out = sizeof(ctx_out), .repeat = 1);
	struct dot11xdp_frame_meta meta;
	__u32 size = out_size + META_ROOM, meta_len, frame_len;
	__u8 *buf;
	int err = 0;

	if (!adapter || !frame || !out || !result)
		return -EINVAL;
	/* Only an offline instance reports outcomes, and runs on private maps. */
	if (!adapter->offline)
		return -EOPNOTSUPP;
	/* BPF_PROG_TEST_RUN refuses XDP input shorter than an Ethernet header. */
	if (len < 14)
		return -EINVAL;
	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	memset(&ctx_out, 0, sizeof(ctx_out));
	opts.data_out = buf;
	opts.data_size_out = size;
	if (bpf_prog_test_run_opts(adapter->prog_fd, &opts)) {
		err = -errno;
		goto out;
	}
	/* The output starts at data_meta; ctx_out.data is where the frame starts in it. */
	meta_len = ctx_out.data;
	frame_len = ctx_out.data_end - ctx_out.data;
	if (meta_len != sizeof(meta) || ctx_out.data_end > opts.data_size_out) {
		err = -EPROTO;
		goto out;
	}
	if (frame_len > out_size) {
		err = -ENOSPC;
		goto out;
	}
	memcpy(&meta, buf, sizeof(meta));
	memcpy(out, buf + meta_len, frame_len);
	result->xdp_action = opts.retval;
	result->outcome = meta.outcome;
	result->out_len = frame_len;
out:
	free(buf);
	return err;
}
