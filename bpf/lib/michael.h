/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Michael, TKIP's message integrity code (IEEE 802.11 12.5.2.3): a 64-bit state (l, r)
 * keyed with 8 bytes, one block function per little-endian 32-bit word of the message, the
 * message padded with 0x5a and 4 to 7 zero bytes to a multiple of 4. The MIC is l | r,
 * little-endian. Additions, XORs and rotations only: no tables, so nothing secret indexes
 * memory.
 */
#ifndef DOT11XDP_BPF_MICHAEL_H
#define DOT11XDP_BPF_MICHAEL_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "loop.h"
#include "work.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "michael.h reads the message as little-endian words"
#endif

struct michael_state {
	__u32 l, r;
};

static __always_inline __u32 michael_rol(__u32 x, int n)
{
	return x << n | x >> (32 - n);
}

/* The block function b(l, r) after l ^= word. */
static __always_inline void michael_block(struct michael_state *m, __u32 word)
{
	__u32 l = m->l ^ word, r = m->r;

	r ^= michael_rol(l, 17);
	l += r;
	/* XSWAP: swap the bytes within each 16-bit half. */
	r ^= (l & 0xff00ff00) >> 8 | (l & 0x00ff00ff) << 8;
	l += r;
	r ^= michael_rol(l, 3);
	l += r;
	r ^= michael_rol(l, 30);
	l += r;
	m->l = l;
	m->r = r;
}

/* Start with the 8-byte key: l = key bytes 0-3, r = 4-7, little-endian. */
static __always_inline void michael_init(struct michael_state *m, const __u8 *key)
{
	m->l = *(const __u32 *)key;
	m->r = *(const __u32 *)(key + 4);
}

/*
 * Feed work->body[0 .. len) and the padding, leaving the MIC in m. len <= DOT11XDP_BODY_MAX
 * - 4: the last, partial word is read whole (its bytes past len are masked off). Returns 0,
 * or -1 if len is too long or the loop was cut short.
 */
static __always_inline int michael_body(struct michael_state *m, struct dot11xdp_work *work,
					__u32 len)
{
	__u32 words_end = len & ~7U, pos, rest, last;
	const __u8 *tail;
	struct michael_state s = *m;

	if (len > DOT11XDP_BODY_MAX - 4)
		return -1;
	/* Two words per turn; the state stays in registers, the index in memory (loop.h). */
	DOT11XDP_LOOP_STORE(work->stream_cursor, 0);
	for (;;) {
		__u64 w;

		pos = DOT11XDP_LOOP_LOAD(work->stream_cursor);
		if (pos >= words_end)
			break;
		/* Bounds the word for the verifier ("invalid access to map value"). */
		if (pos > DOT11XDP_BODY_MAX - 8)
			break;
		w = *(const __u64 *)(work->body + pos);
		michael_block(&s, (__u32)w);
		michael_block(&s, (__u32)(w >> 32));
		DOT11XDP_LOOP_STORE(work->stream_cursor, pos + 8);
		DOT11XDP_LOOP_NEXT;
	}
	if (DOT11XDP_LOOP_LOAD(work->stream_cursor) != words_end)
		return -1;

	/*
	 * 0 to 7 bytes are left: a whole word first if there are 4 or more, then the 0 to 3
	 * left, 0x5a after them, zeros to the word's end, and a zero word. Both words are read
	 * at constant offsets from tail: clang turns "tail + 4" into "| 4", whose bounds the
	 * verifier cannot follow ("invalid access to map value").
	 */
	rest = len & 7;
	/* Restates len's bound, which clang's code loses on the way. */
	if (words_end > DOT11XDP_BODY_MAX - 8)
		return -1;
	tail = work->body + words_end;
	if (rest >= 4) {
		michael_block(&s, *(const __u32 *)tail);
		last = *(const __u32 *)(tail + 4);
		rest -= 4;
	} else {
		last = *(const __u32 *)tail;
	}
	last &= (1U << 8 * rest) - 1;
	last |= 0x5aU << 8 * rest;
	michael_block(&s, last);
	michael_block(&s, 0);
	*m = s;
	return 0;
}

/* The MIC as it goes on the air: l then r, little-endian, read as one little-endian u64. */
static __always_inline __u64 michael_mic(const struct michael_state *m)
{
	return (__u64)m->r << 32 | m->l;
}

#endif
