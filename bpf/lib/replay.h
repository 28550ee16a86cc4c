/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Replay protection (IEEE 802.11 12.5.3.4.4): 17 receive counters per key and transmitter
 * end, in the key's map value.
 *
 * A counter holds the last PN accepted; a frame is fresh when its PN is greater. A key
 * starts with every counter at rx_pn_init (the loader writes it at install), which is
 * therefore treated as already seen: a frame carrying exactly the initial PN is a replay.
 * This matches mac80211, which stores the RSC handed over in the handshake as the last
 * received PN, and the Windows ucIV48Counter read as "the receive counter starts here".
 * An initial value of 0 needs no special case, since senders number PNs from 1.
 */
#ifndef DOT11XDP_BPF_REPLAY_H
#define DOT11XDP_BPF_REPLAY_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "consts.h"
#include "parse.h"

/* Counter index: the TID for QoS data, 0 for other data, DOT11XDP_REPLAY_MGMT for management. */
static __always_inline __u32 replay_index(const struct rx_frame *f)
{
	if (f->type == DOT11_TYPE_MGMT)
		return DOT11XDP_REPLAY_MGMT;
	if (f->qos)
		return f->qos0 & DOT11_QOS_TID_MASK;
	return 0;
}

static __always_inline __u64 *replay_counter(struct dot11xdp_key *key, __u32 end, __u32 index)
{
	/* Explicit bounds, or the verifier sees an unbounded offset into the map value. */
	if (end >= DOT11XDP_REPLAY_ENDS || index >= DOT11XDP_REPLAY_COUNTERS)
		return NULL;
	return &key->rx[end].pn[index];
}

/* Before any decryption work: is the PN above the last accepted one? */
static __always_inline bool replay_fresh(const __u64 *counter, __u64 pn)
{
	return pn > *(const volatile __u64 *)counter;
}

/*
 * After the MIC has verified: move the counter to pn, unless another CPU has accepted
 * this PN or a later one meanwhile. The compare-and-swap makes the check and the update
 * one step, so two CPUs can never both accept one PN. Contention beyond REPLAY_CAS_TRIES
 * rounds (each lost round means another CPU advanced the counter) drops the frame.
 */
static __always_inline bool replay_advance(__u64 *counter, __u64 pn)
{
	__u64 last = *(volatile __u64 *)counter;

	for (int i = 0; i < REPLAY_CAS_TRIES; i++) {
		__u64 seen;

		if (pn <= last)
			return false;
		seen = __sync_val_compare_and_swap(counter, last, pn);
		if (seen == last)
			return true;
		last = seen;
	}
	return false;
}

#endif
