/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * GHASH (NIST SP 800-38D, 6.4) in BPF over whole blocks of the work buffer, with Shoup's
 * 4-bit table of the hash subkey H: work->ghash_table[n] = n * H for the 16 field elements n
 * of degree below 4. The key holds only H (16 bytes, computed by the loader when the key is
 * set: loader/lib/material.c); ghash_begin() derives the 256-byte table from it once per
 * frame, for about 20 ns, where keeping it in the key would cost 240 more bytes in each of
 * up to a million keys.
 *
 * Representation: a block is the 128-bit big-endian integer of its bytes, held as two u64
 * (hi = bytes 0-7, lo = bytes 8-15). GCM's bit order makes bit 127 - i the coefficient of
 * x^i, so multiplying by x is a right shift. A nibble of that integer, bit 3 the lowest
 * degree, is the table index: entry 8 is H, entry 4 is H * x, 2 is H * x^2, 1 is H * x^3.
 *
 * Y = (Y ^ X) * H is Horner's rule over the 32 nibbles of Y ^ X, highest degree first:
 * Z = Z * x^4 ^ table[nibble]. Z * x^4 shifts four bits out of the low end each time;
 * instead of reducing them per nibble (a second table and a load per nibble), they collect
 * in a third word and are reduced modulo x^128 + x^7 + x^2 + x + 1 twice per block, after
 * 15 and 16 shifts: about 650 instructions a block, no call, no loop inside.
 *
 * NOT CONSTANT-TIME: each table read's index is a nibble of the hash state, which depends on
 * H and the data, so the cache lines touched (4 of them) can leak bits of H to anyone who
 * can time the program or share its cache, whichever AES engine runs the cipher.
 */
#ifndef DOT11XDP_BPF_GHASH_H
#define DOT11XDP_BPF_GHASH_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "loop.h"
#include "work.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "ghash.h byte-swaps little-endian loads into big-endian block halves"
#endif

_Static_assert(sizeof(((struct dot11xdp_work *)0)->ghash_table) == 16 * 16,
	       "16 entries of two u64: the nibble index scaled by 16 stays inside the table");

/* x * (hi, lo): a right shift, x^128 folded back in as 0xe1 at the top when a bit falls out. */
#define GHASH_TIMES_X(hi, lo, from_hi, from_lo)                                                \
	do {                                                                                   \
		hi = (from_hi) >> 1 ^ ((0 - ((from_lo) & 1)) & 0xe1ULL << 56);                 \
		lo = (from_lo) >> 1 | (from_hi) << 63;                                         \
	} while (0)

/*
 * Build this frame's table from the key's H: entries 8, 4, 2 and 1 are H, H * x, H * x^2,
 * H * x^3, and every other entry the XOR of the entries of its bits.
 */
static __always_inline void ghash_begin(const struct dot11xdp_key *key, struct dot11xdp_work *work)
{
	__u64 (*t)[2] = work->ghash_table;

	t[0][0] = 0;
	t[0][1] = 0;
	t[8][0] = __builtin_bswap64(*(const __u64 *)&key->material.ghash_h[0]);
	t[8][1] = __builtin_bswap64(*(const __u64 *)&key->material.ghash_h[8]);
	GHASH_TIMES_X(t[4][0], t[4][1], t[8][0], t[8][1]);
	GHASH_TIMES_X(t[2][0], t[2][1], t[4][0], t[4][1]);
	GHASH_TIMES_X(t[1][0], t[1][1], t[2][0], t[2][1]);
#pragma unroll
	for (int n = 3; n < 16; n++) {
		if (!(n & (n - 1)))
			continue; /* a power of two, done above */
		t[n][0] = t[n & -n][0] ^ t[n & (n - 1)][0];
		t[n][1] = t[n & -n][1] ^ t[n & (n - 1)][1];
	}
}

/* Byte offset into the table of nibble j (0 = least significant) of the word w: 16 * n. */
#define GHASH_NIBBLE_OFF(w, j) (((j) ? (w) >> (4 * (j) - 4) : (w) << 4) & 0xf0)

/* Z = table[nibble]: the first nibble of a block, nothing to shift yet. */
#define GHASH_FIRST(w)                                                                         \
	do {                                                                                   \
		const __u64 *m = (const __u64 *)(tab + GHASH_NIBBLE_OFF(w, 0));                \
		zhi = m[0];                                                                    \
		zlo = m[1];                                                                    \
		zov = 0;                                                                       \
	} while (0)

/*
 * Z = Z * x^4 ^ table[nibble j of w], the four bits shifted out collected in zov. The empty
 * asm makes the nibble wait for the previous step's Z in clang's eyes only: left alone, clang
 * extracts all 32 nibbles and loads all their entries up front and spills them past the
 * 512-byte stack ("Looks like the BPF stack limit is exceeded"). The CPU sees no dependency.
 */
#define GHASH_STEP(w, j)                                                                       \
	do {                                                                                   \
		__u64 w_now = (w);                                                             \
		const __u64 *m;                                                                \
                                                                                               \
		asm("" : "+r"(w_now) : "r"(zlo));                                              \
		m = (const __u64 *)(tab + GHASH_NIBBLE_OFF(w_now, j));                         \
		zov = zov >> 4 | zlo << 60;                                                    \
		zlo = zlo >> 4 | zhi << 60;                                                    \
		zhi = zhi >> 4 ^ m[0];                                                         \
		zlo ^= m[1];                                                                   \
	} while (0)

/*
 * Fold zov back in: its bit 63 - i is the coefficient of x^(128 + i), and x^128 is
 * 1 + x + x^2 + x^7 modulo GCM's polynomial; zov times that spans at most 71 bits, so one
 * pass ends the reduction.
 */
#define GHASH_REDUCE()                                                                         \
	do {                                                                                   \
		zhi ^= zov ^ zov >> 1 ^ zov >> 2 ^ zov >> 7;                                   \
		zlo ^= zov << 63 ^ zov << 62 ^ zov << 57;                                      \
		zov = 0;                                                                       \
	} while (0)

#define GHASH_STEPS_1_TO_15(w)                                                                 \
	do {                                                                                   \
		GHASH_STEP(w, 1); GHASH_STEP(w, 2); GHASH_STEP(w, 3); GHASH_STEP(w, 4);        \
		GHASH_STEP(w, 5); GHASH_STEP(w, 6); GHASH_STEP(w, 7); GHASH_STEP(w, 8);        \
		GHASH_STEP(w, 9); GHASH_STEP(w, 10); GHASH_STEP(w, 11); GHASH_STEP(w, 12);     \
		GHASH_STEP(w, 13); GHASH_STEP(w, 14); GHASH_STEP(w, 15);                       \
	} while (0)

/* A GHASH pass, as its loop steps see it. */
struct ghash_pass {
	struct dot11xdp_work *work;
	__u64 yhi, ylo; /* the hash so far */
	__u32 off, failed;
};

/* Y = (Y ^ X) * H for the i-th block X: 0, or 1 (with l->failed set) to stop the loop. */
static __always_inline long ghash_step(struct ghash_pass *l, __u32 i)
{
	struct dot11xdp_work *work = l->work;
	const __u8 *tab = (const __u8 *)work->ghash_table;
	__u32 cur = l->off + 16 * i;
	__u64 xhi, xlo, zhi, zlo, zov;
	const __u64 *p;

	/* Bounds the block for the verifier ("invalid access to map value"). */
	if (i > sizeof(*work) / 16 || cur > sizeof(*work) - 16) {
		l->failed = 1;
		return 1;
	}
	p = (const __u64 *)((const __u8 *)work + cur);
	xhi = l->yhi ^ __builtin_bswap64(p[0]);
	xlo = l->ylo ^ __builtin_bswap64(p[1]);

	/* Highest degree first: the nibbles of xlo from its low end, then xhi's. */
	GHASH_FIRST(xlo);
	GHASH_STEPS_1_TO_15(xlo);
	GHASH_REDUCE();
	GHASH_STEP(xhi, 0);
	GHASH_STEPS_1_TO_15(xhi);
	GHASH_REDUCE();
	l->yhi = zhi;
	l->ylo = zlo;
	return 0;
}
DOT11XDP_LOOP_CALLBACK(ghash_step, struct ghash_pass)

/*
 * S = GHASH_H over nblocks blocks of work at byte offset off, with the table ghash_begin()
 * built. s receives S as (hi, lo) in the representation above. Returns 0, or -1 if the region
 * is outside the buffer or the loop could not finish.
 */
static __noinline int ghash(struct dot11xdp_work *work, __u32 off, __u32 nblocks, __u64 *s)
{
	struct ghash_pass l = { .work = work, .off = off };

	if (nblocks > sizeof(*work) / 16 || off > sizeof(*work))
		return -1;
	if (DOT11XDP_LOOP_RUN(ghash_step, &l, nblocks, work->aes_cursor) != nblocks || l.failed)
		return -1;
	s[0] = l.yhi;
	s[1] = l.ylo;
	return 0;
}

#endif
