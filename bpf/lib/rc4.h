/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * RC4, the stream cipher under WEP and TKIP, over the per-CPU work buffer: the 256-byte
 * permutation lives in work->rc4_state (a map value the verifier bounds with "& 255", where
 * the stack could not spare it) and the frame's key in work->rc4_key.
 *
 * Every RC4 key 802.11 uses is 8 bytes (WEP-40: IV | key) or 16 (WEP-104: IV | key, TKIP's
 * mixed key). rc4_key holds an 8-byte key twice, so the key schedule always takes byte
 * i mod 16 and one loop serves both.
 *
 * NOT CONSTANT-TIME, like any software RC4: the state is indexed by secret values, so the
 * cache lines touched depend on the key. WEP and TKIP are broken ciphers kept for old
 * networks; the cache timing adds little to what their weaknesses already give away.
 */
#ifndef DOT11XDP_BPF_RC4_H
#define DOT11XDP_BPF_RC4_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "loop.h"
#include "work.h"

#define DOT11XDP_RC4_KEY_LEN 16

/* The keystream goes out eight bytes at a time: whole words must stay inside body. */
_Static_assert(DOT11XDP_BODY_MAX % 8 == 0, "rc4_xor's last word ends inside body");

/*
 * j = (j + x) & 255, with the mask applied to j itself. Left alone, clang keeps j unmasked
 * across a loop turn and masks copies at each use, so the verifier sees j's range grow
 * every turn, never finds a state it has seen and gives up ("The sequence of 8193 jumps is
 * too complex"); the empty asm makes the masked value the one carried.
 */
static __always_inline __u32 rc4_j_add(__u32 j, __u32 x)
{
	j = (j + x) & 255;
	asm("" : "+r"(j));
	return j;
}

/* Write an 8-byte RC4 key (WEP-40's IV | key) into the second half of rc4_key as well. */
static __always_inline void rc4_key_double(struct dot11xdp_work *work)
{
	__u64 *key = (__u64 *)work->rc4_key;

	key[1] = key[0];
}

/*
 * The key-scheduling algorithm over work->rc4_key: work->rc4_state becomes the permutation
 * the keystream starts from (with i = j = 0). Returns 0, or -1 if the kernel cut the loop
 * short (see loop.h).
 */
static __always_inline int rc4_init(struct dot11xdp_work *work)
{
	__u64 *state64 = (__u64 *)work->rc4_state;
	__u8 *state = work->rc4_state;
	__u32 i, j = 0;

	/* S[i] = i, eight entries per store. */
#pragma unroll
	for (int w = 0; w < 32; w++)
		state64[w] = 0x0706050403020100ULL + w * 0x0808080808080808ULL;

	/* Sixteen steps per turn: step t takes key byte t, so the key is read at fixed offsets. */
	DOT11XDP_LOOP_STORE(work->stream_cursor, 0);
	for (;;) {
		i = DOT11XDP_LOOP_LOAD(work->stream_cursor);
		if (i >= 256)
			break;
		/* A multiple of 16 below 256 already: the mask tells the verifier so. */
		i &= 0xf0;
#pragma unroll
		for (int t = 0; t < DOT11XDP_RC4_KEY_LEN; t++) {
			__u32 si = state[i + t];

			j = rc4_j_add(j, si + work->rc4_key[t]);
			state[i + t] = state[j];
			state[j] = si;
		}
		DOT11XDP_LOOP_STORE(work->stream_cursor, i + DOT11XDP_RC4_KEY_LEN);
		DOT11XDP_LOOP_NEXT;
	}
	return DOT11XDP_LOOP_LOAD(work->stream_cursor) == 256 ? 0 : -1;
}

/*
 * XOR the keystream of the state rc4_init left into work->body[0 .. len), len <=
 * DOT11XDP_BODY_MAX. Whole 8-byte words at a time: the bytes from len up to the next
 * multiple of 8 are XORed too (scratch: callers use none of them). Returns 0, or -1 if len
 * is too long or the loop was cut short.
 */
static __always_inline int rc4_xor(struct dot11xdp_work *work, __u32 len)
{
	__u8 *state = work->rc4_state;
	__u32 pos, j = 0;

	if (len > DOT11XDP_BODY_MAX)
		return -1;
	DOT11XDP_LOOP_STORE(work->stream_cursor, 0);
	for (;;) {
		__u64 keystream = 0;

		pos = DOT11XDP_LOOP_LOAD(work->stream_cursor);
		if (pos >= len)
			break;
		/* Bounds the word for the verifier ("invalid access to map value"); len fits body. */
		if (pos > DOT11XDP_BODY_MAX - 8)
			break;
		/* The keystream's byte n comes from i = n + 1: pos counts bytes from the start. */
#pragma unroll
		for (int t = 0; t < 8; t++) {
			__u32 i = (pos + t + 1) & 255, si, sj;

			si = state[i];
			j = rc4_j_add(j, si);
			sj = state[j];
			state[i] = sj;
			state[j] = si;
			keystream |= (__u64)state[(si + sj) & 255] << 8 * t;
		}
		*(__u64 *)(work->body + pos) ^= keystream;
		DOT11XDP_LOOP_STORE(work->stream_cursor, pos + 8);
		DOT11XDP_LOOP_NEXT;
	}
	return DOT11XDP_LOOP_LOAD(work->stream_cursor) >= len ? 0 : -1;
}

#endif
