/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keys for offline decryption, with candidates: a capture that rekeys names one peer several
 * times, and the key that verifies a frame's MIC becomes the peer's current key.
 */
#ifndef DOT11XDP_CLI_OFFLINE_H
#define DOT11XDP_CLI_OFFLINE_H

#include <dot11xdp/dot11xdp.h>

#include "keys.h"

struct offline_key {
	const struct cli_cipher *cipher;
	__u8 key[CLI_KEY_MAX];
	unsigned int len;
	/*
	 * The key's whole map value (replay counters included) as it was when it stopped being
	 * current, so trying it again later resumes its counters instead of starting afresh.
	 * NULL until it has been current.
	 */
	void *state;
};

struct offline_peer {
	__u8 addr[6];
	struct offline_key *keys; /* in command-line order */
	unsigned int count;
	unsigned int current; /* index of the installed key */
};

struct offline_keys {
	struct offline_peer *peers;
	unsigned int count;
	unsigned long key_changes; /* candidates that verified a frame and became current */

	/* Filled by offline_keys_install(). */
	struct dot11xdp_adapter *adapter;
	int keys_fd;  /* the adapter's; not ours to close */
	__u32 key_value_size;

	/* Found on the first candidate trial: the program's counters, to keep them exact. */
	int stats_fd, peers_fd;
	__u32 stats_value_size, peer_value_size;
	int ncpus;
};

void offline_keys_init(struct offline_keys *keys);
/* Wipes the key material. */
void offline_keys_free(struct offline_keys *keys);

/*
 * Add one --key PEER=CIPHER:HEXKEY; prints one line and returns a negative errno when it is
 * malformed. Overwrites the argument in argv once read.
 */
int offline_keys_add(struct offline_keys *keys, char *arg);

/*
 * Install every peer's first key on the offline adapter through Dot11ExtSetKeyMappingKey,
 * after checking that the library takes every candidate.
 */
int offline_keys_install(struct offline_keys *keys, struct dot11xdp_adapter *adapter);

/* The program handed the frame on (XDP_PASS, or a redirect in Ethernet mode). */
bool offline_delivered(const struct dot11xdp_frame_result *result);

/*
 * A frame failed its MIC, or its PN looked replayed, under its peer's current key: if the
 * peer has other candidates, try them on the same frame (after a rekey the PNs start again,
 * so the new key's first frames look like replays to the old one). On success *result and
 * out hold the winner's run and the winner stays installed; else the current key is
 * restored exactly as it was, replay counters included. A candidate that was current before
 * is tried with the replay counters it had then, so an old frame replayed never verifies.
 * Either way the program's counters end up as if the frame had been run once, with its
 * final outcome. Returns 0, or a negative errno when the maps could not be read or restored.
 */
int offline_keys_retry(struct offline_keys *keys, const void *frame, __u32 len, void *out,
		       __u32 out_size, struct dot11xdp_frame_result *result);

#endif
