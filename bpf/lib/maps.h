/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* The maps of the receive program. Pinned by name: see DOT11XDP_MAP_* for the pin file names. */
#ifndef DOT11XDP_BPF_MAPS_H
#define DOT11XDP_BPF_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

/* Key-mapping keys by (peer, direction). max_entries is set by the loader (key_table_size). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, DOT11XDP_KEYS_DEFAULT);
	__type(key, struct dot11xdp_key_id);
	__type(value, struct dot11xdp_key);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} dot11xdp_keys SEC(".maps");

/* Outcome counters of every received frame. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dot11xdp_rx_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} dot11xdp_stats SEC(".maps");

/* Outcome counters per transmitter (A2); LRU so unknown transmitters cannot fill it. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, DOT11XDP_KEYS_DEFAULT);
	__type(key, struct dot11xdp_peer_id);
	__type(value, struct dot11xdp_rx_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} dot11xdp_peers SEC(".maps");

/* Adapter settings, written by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dot11xdp_config);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} dot11xdp_config SEC(".maps");

#endif
