/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Per-CPU scratch for one frame: the frame body is copied out of the packet, decrypted here
 * and stored back, so the crypto loops index a fixed-size buffer the verifier can bound
 * instead of packet memory, and multi-buffer frames need no special case.
 */
#ifndef DOT11XDP_BPF_WORK_H
#define DOT11XDP_BPF_WORK_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Largest MPDU body: 2304-byte MSDU + 16-byte MIC + 8-byte CCMP header, rounded up to blocks. */
#define DOT11XDP_BODY_MAX 2336

struct dot11xdp_work {
	__u8 body[DOT11XDP_BODY_MAX]; /* security payload: ciphertext then MIC */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dot11xdp_work);
} dot11xdp_work SEC(".maps");

#endif
