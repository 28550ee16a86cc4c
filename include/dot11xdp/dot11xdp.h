/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libdot11xdp: the native API.
 *
 * An adapter is the dot11xdp receive program on one monitor-mode interface, with its maps
 * pinned under <bpffs>/dot11xdp/<ifname>/, or an offline instance of the same program
 * (no interface, nothing pinned) that runs frames through BPF_PROG_TEST_RUN.
 *
 * Conventions follow libbpf 1.0: functions returning a pointer return NULL and set errno;
 * functions returning int return 0 or a negative errno. The Windows-compatible layer
 * (windot11.h) sits on top of this API.
 */
#ifndef DOT11XDP_H
#define DOT11XDP_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include <dot11xdp/dot11xdp_structs.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DOT11XDP_PIN_ROOT "/sys/fs/bpf/dot11xdp"

struct dot11xdp_adapter;

enum dot11xdp_xdp_mode {
	DOT11XDP_MODE_SKB = 0,	  /* generic XDP: what monitor-mode Wi-Fi drivers offer (default) */
	DOT11XDP_MODE_NATIVE = 1, /* driver XDP, where the driver has it */
};

struct dot11xdp_open_opts {
	size_t sz;			/* sizeof(struct dot11xdp_open_opts), for forward compatibility */
	enum dot11xdp_xdp_mode mode;
	__u32 key_table_size;		/* 0: DOT11XDP_KEYS_DEFAULT; at most DOT11XDP_KEYS_MAX */
	const char *pin_root;		/* NULL: DOT11XDP_PIN_ROOT */
};

/*
 * Attach to ifname, or reuse the attachment another process made (found through the pinned
 * maps), so keys set through any handle reach the running program. Mounts bpffs at
 * /sys/fs/bpf when it is missing.
 */
struct dot11xdp_adapter *dot11xdp_adapter__open(const char *ifname,
						 const struct dot11xdp_open_opts *opts);

/* Load the receive program without attaching or pinning anything: for offline decryption. */
struct dot11xdp_adapter *dot11xdp_adapter__open_offline(const struct dot11xdp_open_opts *opts);

/* Forget the handle; the program stays attached and the maps stay pinned. NULL is a no-op. */
void dot11xdp_adapter__close(struct dot11xdp_adapter *adapter);

/* Remove the program from the interface and the pins, then close. */
int dot11xdp_adapter__detach(struct dot11xdp_adapter *adapter);

const char *dot11xdp_adapter__ifname(const struct dot11xdp_adapter *adapter);

/* The handle Dot11ExtSetKeyMappingKey and its siblings take for this adapter. */
void *dot11xdp_adapter__handle(const struct dot11xdp_adapter *adapter);

/*
 * The fd of the adapter's key map (dot11xdp_keys), for tools that must save and restore a
 * key's whole state, replay counters included (offline candidate keys). Owned by the adapter.
 */
int dot11xdp_adapter__keys_map_fd(const struct dot11xdp_adapter *adapter);

/* Remove every non-static key, of one peer or (peer NULL) of all peers. */
int dot11xdp_adapter__disconnect(struct dot11xdp_adapter *adapter, const __u8 *peer);

/* Remove every key, static ones too. */
int dot11xdp_adapter__reset(struct dot11xdp_adapter *adapter);

/* What a key listing shows: never the key bytes. */
struct dot11xdp_key_info {
	struct dot11xdp_key_id id;
	__u32 cipher;
	__u8 flags;
	__u8 engine;
	__u64 generation;
};

/* Calls fn for each key; stops early and returns fn's value when it is non-zero. */
int dot11xdp_adapter__for_each_key(struct dot11xdp_adapter *adapter,
				   int (*fn)(const struct dot11xdp_key_info *key, void *ctx),
				   void *ctx);

/* Global counters, summed over CPUs. */
int dot11xdp_adapter__stats(struct dot11xdp_adapter *adapter, struct dot11xdp_rx_stats *stats);

/* Per-transmitter counters, summed over CPUs. */
int dot11xdp_adapter__for_each_peer_stats(struct dot11xdp_adapter *adapter,
					  int (*fn)(const __u8 *addr,
						    const struct dot11xdp_rx_stats *stats,
						    void *ctx),
					  void *ctx);

/* Result of running one frame through the receive program (offline or in tests). */
struct dot11xdp_frame_result {
	__u32 xdp_action; /* XDP_PASS, XDP_DROP, ... */
	__u32 outcome;	  /* enum dot11xdp_rx_outcome */
	__u32 out_len;	  /* bytes written to out */
};

/*
 * Run one radiotap frame through the adapter's receive program with BPF_PROG_TEST_RUN.
 * out receives the frame as the program left it (out_size at least len).
 */
int dot11xdp_adapter__run_frame(struct dot11xdp_adapter *adapter, const void *frame, __u32 len,
				void *out, __u32 out_size, struct dot11xdp_frame_result *result);

#ifdef __cplusplus
}
#endif

#endif /* DOT11XDP_H */
