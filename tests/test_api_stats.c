// SPDX-License-Identifier: GPL-2.0
/*
 * Counters and single-frame runs through the native API, on an offline adapter's real
 * maps: global stats summed over CPUs, per-peer stats over several lookup batches, and
 * dot11xdp_adapter__run_frame (metadata stripped, outcome reported, sizes enforced).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <dot11xdp/dot11xdp.h>

#include "testlib.h"

/* The adapter's map called name, found through its program as bpftool would find it. */
static int map_fd_by_name(struct dot11xdp_adapter *a, const char *name)
{
	struct bpf_prog_info info;
	__u32 ids[32], len = sizeof(info);
	int prog = bpf_prog_get_fd_by_id(dot11xdp_adapter__prog_id(a));

	if (prog < 0)
		test_fatal("program %u: %s", dot11xdp_adapter__prog_id(a), strerror(errno));
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = 32;
	info.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog, &info, &len))
		test_fatal("program info: %s", strerror(errno));
	close(prog);
	for (__u32 i = 0; i < info.nr_map_ids && i < 32; i++) {
		struct bpf_map_info map;
		__u32 map_len = sizeof(map);
		int fd = bpf_map_get_fd_by_id(ids[i]);

		memset(&map, 0, sizeof(map));
		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &map, &map_len) && !strcmp(map.name, name))
			return fd;
		if (fd >= 0)
			close(fd);
	}
	test_fatal("the program has no map %s", name);
}

/* Counter c of CPU cpu for peer p: distinct everywhere, so a wrong sum shows. */
static __u64 counter(unsigned int p, int cpu, int c)
{
	return (__u64)p * 1000003 + (__u64)cpu * 1009 + (__u64)c * 7 + 1;
}

static void fill(struct dot11xdp_rx_stats *v, unsigned int p, int cpu)
{
	__u64 *f = (__u64 *)v;

	for (int c = 0; c < (int)(sizeof(*v) / 8); c++)
		f[c] = counter(p, cpu, c);
}

static bool sum_is(const struct dot11xdp_rx_stats *got, unsigned int p, int ncpus)
{
	const __u64 *f = (const __u64 *)got;

	for (int c = 0; c < (int)(sizeof(*got) / 8); c++) {
		__u64 want = 0;

		for (int cpu = 0; cpu < ncpus; cpu++)
			want += counter(p, cpu, c);
		if (f[c] != want)
			return false;
	}
	return true;
}

enum { PEERS = 300 };

struct seen {
	unsigned int count[PEERS];
	unsigned int bad_sums, unknown;
	int ncpus;
};

static int visit_peer(const __u8 *addr, const struct dot11xdp_rx_stats *stats, void *ctx)
{
	struct seen *s = ctx;
	unsigned int p = (unsigned int)addr[4] << 8 | addr[5];

	if (addr[0] != 0x02 || p >= PEERS) {
		s->unknown++;
		return 0;
	}
	s->count[p]++;
	if (!sum_is(stats, p, s->ncpus))
		s->bad_sums++;
	return 0;
}

static int stop_early(const __u8 *addr, const struct dot11xdp_rx_stats *stats, void *ctx)
{
	(*(int *)ctx)++;
	return -ECANCELED;
}

static void test_counters(struct dot11xdp_adapter *a)
{
	int ncpus = libbpf_num_possible_cpus();
	int stats_fd = map_fd_by_name(a, DOT11XDP_MAP_STATS);
	int peers_fd = map_fd_by_name(a, DOT11XDP_MAP_PEERS);
	struct dot11xdp_rx_stats *percpu = calloc(ncpus, sizeof(*percpu)), sum;
	struct seen seen = { .ncpus = ncpus };
	bool once = true;
	__u32 zero = 0;
	int n = 0;

	if (!percpu)
		test_fatal("out of memory");
	test_check(dot11xdp_adapter__stats(a, &sum) == 0 && !sum.decrypted && !sum.malformed,
		   "a new adapter's counters are zero");
	for (int cpu = 0; cpu < ncpus; cpu++)
		fill(&percpu[cpu], 4242, cpu);
	if (bpf_map_update_elem(stats_fd, &zero, percpu, BPF_ANY))
		test_fatal("write stats: %s", strerror(errno));
	test_check(dot11xdp_adapter__stats(a, &sum) == 0 && sum_is(&sum, 4242, ncpus),
		   "stats sums every counter over %d CPUs", ncpus);

	for (unsigned int p = 0; p < PEERS; p++) {
		struct dot11xdp_peer_id id = { .addr = { 0x02, 0, 0, 0, p >> 8, p & 0xff } };

		for (int cpu = 0; cpu < ncpus; cpu++)
			fill(&percpu[cpu], p, cpu);
		if (bpf_map_update_elem(peers_fd, &id, percpu, BPF_ANY))
			test_fatal("write peer %u: %s", p, strerror(errno));
	}
	test_check(dot11xdp_adapter__for_each_peer_stats(a, visit_peer, &seen) == 0,
		   "for_each_peer_stats over %d peers", PEERS);
	for (unsigned int p = 0; p < PEERS; p++)
		once &= seen.count[p] == 1;
	test_check(once && !seen.unknown, "each peer visited exactly once");
	test_check(!seen.bad_sums, "each peer's counters summed over CPUs");
	test_check(dot11xdp_adapter__for_each_peer_stats(a, stop_early, &n) == -ECANCELED && n == 1,
		   "for_each_peer_stats stops at the callback's non-zero value");
	free(percpu);
	close(stats_fd);
	close(peers_fd);
}

/* Radiotap (8 bytes, no fields) + an unprotected 802.11 data frame with an LLC/SNAP body. */
static const __u8 UNPROTECTED[] = {
	0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,		  /* radiotap */
	0x08, 0x02, 0x2c, 0x00,					  /* data, FromDS */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,			  /* A1 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,			  /* A2 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x03,			  /* A3 */
	0x10, 0x00,						  /* sequence */
	0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00,		  /* LLC/SNAP, IPv4 */
	0x45, 0x00, 0x00, 0x14, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, /* some payload */
};

static void test_run_frame(struct dot11xdp_adapter *a)
{
	struct dot11xdp_frame_result r;
	__u8 out[256];

	memset(&r, 0xff, sizeof(r));
	test_check(dot11xdp_adapter__run_frame(a, UNPROTECTED, sizeof(UNPROTECTED), out,
					       sizeof(out), &r) == 0,
		   "run_frame on an unprotected data frame");
	test_check(r.xdp_action == XDP_PASS && r.outcome == DOT11XDP_RX_UNPROTECTED,
		   "it passes, outcome unprotected (action %u, outcome %u)", r.xdp_action, r.outcome);
	test_bytes_eq(out, r.out_len, UNPROTECTED, sizeof(UNPROTECTED),
		      "the frame comes back unchanged, without the outcome metadata");
	test_check(dot11xdp_adapter__run_frame(a, UNPROTECTED, sizeof(UNPROTECTED), out,
					       sizeof(UNPROTECTED) - 1, &r) == -ENOSPC,
		   "run_frame into a buffer one byte short: -ENOSPC");
	test_check(dot11xdp_adapter__run_frame(a, UNPROTECTED, 13, out, sizeof(out), &r) == -EINVAL,
		   "run_frame of 13 bytes (below the kernel's minimum): -EINVAL");
}

int main(void)
{
	struct dot11xdp_adapter *a;

	test_require_root();
	a = dot11xdp_adapter__open_offline(NULL);
	if (!a)
		test_fatal("open an offline adapter: %s", strerror(errno));
	test_run_frame(a);
	test_counters(a);
	dot11xdp_adapter__close(a);
	return test_done();
}
