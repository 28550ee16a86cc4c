/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The maps of the receive program, pinned by name (DOT11XDP_MAP_* are the pin file names),
 * and the lookups the data path makes in them.
 */
#ifndef DOT11XDP_BPF_MAPS_H
#define DOT11XDP_BPF_MAPS_H

#include <stdbool.h>
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

/*
 * The key-mapping key of a received frame, as Windows looks keys up on receive: by the
 * transmitter (A2), direction inbound or both. A monitor also hears the frames sent to a
 * key's peer: when the TA has no key and the RA (A1) is an individual address, the RA's
 * key applies. *end tells which end of the pair numbered the frame's PN.
 */
static __always_inline struct dot11xdp_key *keys_lookup_rx(const __u8 *ta, const __u8 *ra,
							   bool ra_group, __u32 *end)
{
	struct dot11xdp_key_id id = { .direction = DOT11XDP_DIR_INBOUND };
	struct dot11xdp_key *key;

	__builtin_memcpy(id.peer, ta, DOT11XDP_MAC_LEN);
	*end = DOT11XDP_FROM_PEER;
	key = bpf_map_lookup_elem(&dot11xdp_keys, &id);
	if (key)
		return key;
	id.direction = DOT11XDP_DIR_BOTH;
	key = bpf_map_lookup_elem(&dot11xdp_keys, &id);
	if (key || ra_group)
		return key;

	__builtin_memcpy(id.peer, ra, DOT11XDP_MAC_LEN);
	*end = DOT11XDP_TO_PEER;
	id.direction = DOT11XDP_DIR_INBOUND;
	key = bpf_map_lookup_elem(&dot11xdp_keys, &id);
	if (key)
		return key;
	id.direction = DOT11XDP_DIR_BOTH;
	return bpf_map_lookup_elem(&dot11xdp_keys, &id);
}

#endif
