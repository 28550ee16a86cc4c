/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Table-driven AES in BPF, encryption direction only (CTR and CBC-MAC never decrypt a block).
 *
 * NOT CONSTANT-TIME. Every round reads tables at indexes that depend on the key and the data,
 * so the cache lines touched, and with them the time taken, leak key bits to anyone who can
 * time the program or share its cache. Live frames are attacker-supplied: prefer the kernel's
 * crypto kfuncs (aes-fixed-time) where they exist; this engine serves older kernels, offline
 * decryption (a capture gives an attacker no timing feedback) and explicit choice.
 *
 * Layout, shaped for BPF (no scaled-index addressing, no rotate, no load-and-xor):
 * - Between rounds the state is four u64 columns. Each row's byte sits in its own lane already
 *   multiplied by 8, the table stride: row 0 at bits 3-10, row 1 at bits 24-31, row 2 at bits
 *   35-42, row 3 at bits 56-63. XOR works lane by lane, so after a round every lane holds a
 *   ready-made byte offset into the next table, extracted by one mask, one shift, or a shift
 *   and a mask (AES_ROW0..3), each of which the verifier can bound by 2047.
 * - The four round tables (S-box times one column of MixColumns, in that lane format) lie in
 *   one struct, so one base pointer reaches each by the load's constant offset.
 * - The last round has no MixColumns: two tables of u32 pairs place S[x] at its row's byte of
 *   an ordinary little-endian column word.
 * - Blocks come in and go out as little-endian u32 column words: byte 4c + r of a block is
 *   bits 8r..8r+7 of column c. The first round extracts its indexes from that form.
 * - Round keys (work->aes_rk, filled by aes_table_begin from the FIPS-197 schedule): words 0-3
 *   round 0 as column words, 4r..4r+3 round r (1 <= r < Nr) in lane format, 56-59 the last
 *   round as column words, for AES-128 and AES-256 alike.
 */
#ifndef DOT11XDP_BPF_AES_TABLE_H
#define DOT11XDP_BPF_AES_TABLE_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "loop.h"
#include "work.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "aes_table.h reads blocks as little-endian words"
#endif

/* FIPS-197 S-box, as an X-macro so the tables below are derived from it by the compiler. */
#define AES_SBOX(F) \
	F(0x63) F(0x7c) F(0x77) F(0x7b) F(0xf2) F(0x6b) F(0x6f) F(0xc5) \
	F(0x30) F(0x01) F(0x67) F(0x2b) F(0xfe) F(0xd7) F(0xab) F(0x76) \
	F(0xca) F(0x82) F(0xc9) F(0x7d) F(0xfa) F(0x59) F(0x47) F(0xf0) \
	F(0xad) F(0xd4) F(0xa2) F(0xaf) F(0x9c) F(0xa4) F(0x72) F(0xc0) \
	F(0xb7) F(0xfd) F(0x93) F(0x26) F(0x36) F(0x3f) F(0xf7) F(0xcc) \
	F(0x34) F(0xa5) F(0xe5) F(0xf1) F(0x71) F(0xd8) F(0x31) F(0x15) \
	F(0x04) F(0xc7) F(0x23) F(0xc3) F(0x18) F(0x96) F(0x05) F(0x9a) \
	F(0x07) F(0x12) F(0x80) F(0xe2) F(0xeb) F(0x27) F(0xb2) F(0x75) \
	F(0x09) F(0x83) F(0x2c) F(0x1a) F(0x1b) F(0x6e) F(0x5a) F(0xa0) \
	F(0x52) F(0x3b) F(0xd6) F(0xb3) F(0x29) F(0xe3) F(0x2f) F(0x84) \
	F(0x53) F(0xd1) F(0x00) F(0xed) F(0x20) F(0xfc) F(0xb1) F(0x5b) \
	F(0x6a) F(0xcb) F(0xbe) F(0x39) F(0x4a) F(0x4c) F(0x58) F(0xcf) \
	F(0xd0) F(0xef) F(0xaa) F(0xfb) F(0x43) F(0x4d) F(0x33) F(0x85) \
	F(0x45) F(0xf9) F(0x02) F(0x7f) F(0x50) F(0x3c) F(0x9f) F(0xa8) \
	F(0x51) F(0xa3) F(0x40) F(0x8f) F(0x92) F(0x9d) F(0x38) F(0xf5) \
	F(0xbc) F(0xb6) F(0xda) F(0x21) F(0x10) F(0xff) F(0xf3) F(0xd2) \
	F(0xcd) F(0x0c) F(0x13) F(0xec) F(0x5f) F(0x97) F(0x44) F(0x17) \
	F(0xc4) F(0xa7) F(0x7e) F(0x3d) F(0x64) F(0x5d) F(0x19) F(0x73) \
	F(0x60) F(0x81) F(0x4f) F(0xdc) F(0x22) F(0x2a) F(0x90) F(0x88) \
	F(0x46) F(0xee) F(0xb8) F(0x14) F(0xde) F(0x5e) F(0x0b) F(0xdb) \
	F(0xe0) F(0x32) F(0x3a) F(0x0a) F(0x49) F(0x06) F(0x24) F(0x5c) \
	F(0xc2) F(0xd3) F(0xac) F(0x62) F(0x91) F(0x95) F(0xe4) F(0x79) \
	F(0xe7) F(0xc8) F(0x37) F(0x6d) F(0x8d) F(0xd5) F(0x4e) F(0xa9) \
	F(0x6c) F(0x56) F(0xf4) F(0xea) F(0x65) F(0x7a) F(0xae) F(0x08) \
	F(0xba) F(0x78) F(0x25) F(0x2e) F(0x1c) F(0xa6) F(0xb4) F(0xc6) \
	F(0xe8) F(0xdd) F(0x74) F(0x1f) F(0x4b) F(0xbd) F(0x8b) F(0x8a) \
	F(0x70) F(0x3e) F(0xb5) F(0x66) F(0x48) F(0x03) F(0xf6) F(0x0e) \
	F(0x61) F(0x35) F(0x57) F(0xb9) F(0x86) F(0xc1) F(0x1d) F(0x9e) \
	F(0xe1) F(0xf8) F(0x98) F(0x11) F(0x69) F(0xd9) F(0x8e) F(0x94) \
	F(0x9b) F(0x1e) F(0x87) F(0xe9) F(0xce) F(0x55) F(0x28) F(0xdf) \
	F(0x8c) F(0xa1) F(0x89) F(0x0d) F(0xbf) F(0xe6) F(0x42) F(0x68) \
	F(0x41) F(0x99) F(0x2d) F(0x0f) F(0xb0) F(0x54) F(0xbb) F(0x16)

#define AES_XTIME(s) ((((s) << 1) ^ (((s) >> 7) * 0x1b)) & 0xff)
#define AES_LANES(r0, r1, r2, r3)                                                          \
	((__u64)(r0) << 3 | (__u64)(r1) << 24 | (__u64)(r2) << 35 | (__u64)(r3) << 56)
/* Round table k: S-box output s entering at row k, times MixColumns column k (2,1,1,3 rotated). */
#define AES_ROUND0(s) AES_LANES(AES_XTIME(s), s, s, AES_XTIME(s) ^ (s)),
#define AES_ROUND1(s) AES_LANES(AES_XTIME(s) ^ (s), AES_XTIME(s), s, s),
#define AES_ROUND2(s) AES_LANES(s, AES_XTIME(s) ^ (s), AES_XTIME(s), s),
#define AES_ROUND3(s) AES_LANES(s, s, AES_XTIME(s) ^ (s), AES_XTIME(s)),
#define AES_LAST01(s) { (s), (s) << 8 },
#define AES_LAST23(s) { (s) << 16, (s) << 24 },

#define AES_TABLE_BYTES 2048

struct aes_table_lookup {
	__u64 round[4][256];
	__u32 last[2][256][2];
	/*
	 * A lane index is bounded by 2047 for the verifier, not by 2040: keep an 8-byte load at
	 * the end of the last table inside the map value ("invalid access to map value").
	 */
	__u8 reach_pad[8];
};

static const struct aes_table_lookup aes_table = {
	.round = { { AES_SBOX(AES_ROUND0) },
		   { AES_SBOX(AES_ROUND1) },
		   { AES_SBOX(AES_ROUND2) },
		   { AES_SBOX(AES_ROUND3) } },
	.last = { { AES_SBOX(AES_LAST01) }, { AES_SBOX(AES_LAST23) } },
};

/* Byte offset of a state byte (row 0..3 of a lane-format column) into a table. */
#define AES_ROW0(s) ((s) & 0x7f8)
#define AES_ROW1(s) ((__u64)((__u32)(s) >> 21))
#define AES_ROW2(s) (((s) >> 32) & 0x7f8)
#define AES_ROW3(s) ((s) >> 53)
/* The same from an ordinary little-endian column word (first round). */
#define AES_WROW0(x) ((__u64)(((__u32)(x) << 3) & 0x7f8))
#define AES_WROW1(x) ((__u64)(((__u32)(x) >> 5) & 0x7f8))
#define AES_WROW2(x) ((__u64)(((__u32)(x) >> 13) & 0x7f8))
#define AES_WROW3(x) ((__u64)(((__u32)(x) >> 21) & 0x7f8))

/*
 * Table reads. Left to itself, clang turns tab + index + k * 2048 into (tab + k * 2048) +
 * index, hoists the four table addresses out of the loop and spills them; an empty asm on
 * tab + index keeps one base register and puts k * 2048 into each load's offset.
 */
static __always_inline const __u8 *aes_table_at(const __u8 *tab, __u64 off)
{
	const __u8 *at = tab + off;

	asm("" : "+r"(at));
	return at;
}

static __always_inline const __u8 *aes_table_base(void)
{
	return aes_table_at((const __u8 *)&aes_table, 0);
}

#define AES_T(k, off) (*(const __u64 *)(aes_table_at(tab, off) + (k) * AES_TABLE_BYTES))
#define AES_L(k, off)                                                                      \
	(*(const __u32 *)(aes_table_at(tab, off) +                                             \
			  __builtin_offsetof(struct aes_table_lookup, last) +                    \
			  ((k) >> 1) * AES_TABLE_BYTES + ((k) & 1) * 4))

/*
 * One full round: lane-format columns s##0..3 in, o##0..3 out, round key words rk[0..3];
 * tab is aes_table_base(). Output column c takes row r from input column c + r
 * (ShiftRows); going through the input columns in turn lets each die early, which keeps
 * the round within BPF's ten registers.
 */
#define AES_ROUND(o, s, rk)                                                                    \
	do {                                                                                   \
		o##0 = (rk)[0] ^ AES_T(0, AES_ROW0(s##0));                                     \
		o##3 = (rk)[3] ^ AES_T(1, AES_ROW1(s##0));                                     \
		o##2 = (rk)[2] ^ AES_T(2, AES_ROW2(s##0));                                     \
		o##1 = (rk)[1] ^ AES_T(3, AES_ROW3(s##0));                                     \
		o##1 ^= AES_T(0, AES_ROW0(s##1));                                              \
		o##0 ^= AES_T(1, AES_ROW1(s##1));                                              \
		o##3 ^= AES_T(2, AES_ROW2(s##1));                                              \
		o##2 ^= AES_T(3, AES_ROW3(s##1));                                              \
		o##2 ^= AES_T(0, AES_ROW0(s##2));                                              \
		o##1 ^= AES_T(1, AES_ROW1(s##2));                                              \
		o##0 ^= AES_T(2, AES_ROW2(s##2));                                              \
		o##3 ^= AES_T(3, AES_ROW3(s##2));                                              \
		o##3 ^= AES_T(0, AES_ROW0(s##3));                                              \
		o##2 ^= AES_T(1, AES_ROW1(s##3));                                              \
		o##1 ^= AES_T(2, AES_ROW2(s##3));                                              \
		o##0 ^= AES_T(3, AES_ROW3(s##3));                                              \
	} while (0)

/* The first round, from column words x##0..3 (the block XOR round key 0). */
#define AES_FIRST_ROUND(o, x, rk)                                                              \
	do {                                                                                   \
		o##0 = (rk)[0] ^ AES_T(0, AES_WROW0(x##0)) ^ AES_T(1, AES_WROW1(x##1)) ^       \
		       AES_T(2, AES_WROW2(x##2)) ^ AES_T(3, AES_WROW3(x##3));                  \
		o##1 = (rk)[1] ^ AES_T(0, AES_WROW0(x##1)) ^ AES_T(1, AES_WROW1(x##2)) ^       \
		       AES_T(2, AES_WROW2(x##3)) ^ AES_T(3, AES_WROW3(x##0));                  \
		o##2 = (rk)[2] ^ AES_T(0, AES_WROW0(x##2)) ^ AES_T(1, AES_WROW1(x##3)) ^       \
		       AES_T(2, AES_WROW2(x##0)) ^ AES_T(3, AES_WROW3(x##1));                  \
		o##3 = (rk)[3] ^ AES_T(0, AES_WROW0(x##3)) ^ AES_T(1, AES_WROW1(x##0)) ^       \
		       AES_T(2, AES_WROW2(x##1)) ^ AES_T(3, AES_WROW3(x##2));                  \
	} while (0)

/* The last round (no MixColumns): lane-format columns s##0..3 in, column words y##0..3 out. */
#define AES_LAST_ROUND(y, s, rk)                                                               \
	do {                                                                                   \
		y##0 = (__u32)(rk)[0] ^ AES_L(0, AES_ROW0(s##0)) ^ AES_L(1, AES_ROW1(s##1)) ^  \
		       AES_L(2, AES_ROW2(s##2)) ^ AES_L(3, AES_ROW3(s##3));                    \
		y##1 = (__u32)(rk)[1] ^ AES_L(0, AES_ROW0(s##1)) ^ AES_L(1, AES_ROW1(s##2)) ^  \
		       AES_L(2, AES_ROW2(s##3)) ^ AES_L(3, AES_ROW3(s##0));                    \
		y##2 = (__u32)(rk)[2] ^ AES_L(0, AES_ROW0(s##2)) ^ AES_L(1, AES_ROW1(s##3)) ^  \
		       AES_L(2, AES_ROW2(s##0)) ^ AES_L(3, AES_ROW3(s##1));                    \
		y##3 = (__u32)(rk)[3] ^ AES_L(0, AES_ROW0(s##3)) ^ AES_L(1, AES_ROW1(s##0)) ^  \
		       AES_L(2, AES_ROW2(s##1)) ^ AES_L(3, AES_ROW3(s##2));                    \
	} while (0)

/*
 * Rounds 3 to the last: the state after round 2 in a##0..3 (b##0..3 is scratch), the
 * output block in column words y##0..3. AES-256 runs four more middle rounds; an even
 * number, so the state ends in b for both key sizes.
 */
#define AES_ROUNDS_FROM_3(y, a, b, rk, rounds)                                                 \
	do {                                                                                   \
		AES_ROUND(b, a, (rk) + 12);                                                    \
		AES_ROUND(a, b, (rk) + 16);                                                    \
		AES_ROUND(b, a, (rk) + 20);                                                    \
		AES_ROUND(a, b, (rk) + 24);                                                    \
		AES_ROUND(b, a, (rk) + 28);                                                    \
		AES_ROUND(a, b, (rk) + 32);                                                    \
		AES_ROUND(b, a, (rk) + 36);                                                    \
		if ((rounds) > 10) {                                                           \
			AES_ROUND(a, b, (rk) + 40);                                            \
			AES_ROUND(b, a, (rk) + 44);                                            \
			AES_ROUND(a, b, (rk) + 48);                                            \
			AES_ROUND(b, a, (rk) + 52);                                            \
		}                                                                              \
		AES_LAST_ROUND(y, b, (rk) + AES_RK_LAST);                                      \
	} while (0)

/* Index of the last round's key in work->aes_rk, the same for both key sizes. */
#define AES_RK_LAST 56

_Static_assert(AES_RK_LAST + 4 <= DOT11XDP_AES_RK_WORDS, "round keys fit work->aes_rk");
_Static_assert(DOT11XDP_AES_SCHEDULE_WORDS >= 60, "the key holds an AES-256 schedule");

/* A FIPS-197 schedule word (row 0 most significant) in lane format. */
static __always_inline __u64 aes_table_lanes(__u32 w)
{
	return AES_LANES(w >> 24, (w >> 16) & 0xff, (w >> 8) & 0xff, w & 0xff);
}

/*
 * Lay the key's schedule out in work->aes_rk for this frame (about 450 instructions for
 * AES-128, a quarter of one block's cost... see the header comment for the layout).
 */
static __always_inline int aes_table_begin(const struct dot11xdp_key *key,
					   struct dot11xdp_work *work)
{
	const __u32 *w = key->material.aes_schedule;
	__u64 *rk = work->aes_rk;
	__u32 rounds;

	if (key->tk_len == 16)
		rounds = 10;
	else if (key->tk_len == 32)
		rounds = 14;
	else
		return -1;

#pragma unroll
	for (int i = 0; i < 4; i++) {
		rk[i] = __builtin_bswap32(w[i]);
		rk[AES_RK_LAST + i] = __builtin_bswap32(w[4 * rounds + i]);
	}
#pragma unroll
	for (int i = 4; i < 4 * 10; i++)
		rk[i] = aes_table_lanes(w[i]);
	if (rounds == 14) {
#pragma unroll
		for (int i = 4 * 10; i < 4 * 14; i++)
			rk[i] = aes_table_lanes(w[i]);
	}
	work->aes_rounds = rounds;
	return 0;
}

/*
 * CTR: XOR the keystream of the counter blocks aes_ctr, aes_ctr + 1, ... (the counter is
 * the block's last byte; the caller keeps it from wrapping) into nblocks blocks of work
 * starting at byte offset off. Returns 0, or -1 if the loop could not finish.
 *
 * Only the last byte differs between counter blocks. After round 1 it has reached column
 * 0 alone, and round 2 reads column 0 once per output column; so rounds 1 and 2 are
 * computed for the first block with that byte left out, and each block adds just its
 * five lookups (one in round 1, four in round 2): 27 lookups fewer per block out of 160.
 */
static __noinline int aes_table_ctr_xor(struct dot11xdp_work *work, __u32 off, __u32 nblocks)
{
	const __u8 *tab = aes_table_base();
	const __u64 *rk = work->aes_rk;
	__u32 rounds = work->aes_rounds;
	__u32 first = work->aes_ctr[15];
	__u32 x0, x1, x2, x3, key15, end;
	__u64 c0, c1, c2, c3, d0, d1, d2, d3;

	if (nblocks > 256 - first || off > sizeof(*work))
		return -1;
	end = off + 16 * nblocks;

	x0 = *(__u32 *)&work->aes_ctr[0] ^ (__u32)rk[0];
	x1 = *(__u32 *)&work->aes_ctr[4] ^ (__u32)rk[1];
	x2 = *(__u32 *)&work->aes_ctr[8] ^ (__u32)rk[2];
	x3 = *(__u32 *)&work->aes_ctr[12] ^ (__u32)rk[3];
	key15 = (__u32)rk[3] >> 24;

	/* Round 1: the last byte (row 3 of column 3) goes to output column 0 only. */
	AES_FIRST_ROUND(c, x, rk + 4);
	c0 ^= AES_T(3, AES_WROW3(x3));
	/* Round 2 without column 0's contributions, which are added per block below. */
	d0 = rk[8] ^ AES_T(1, AES_ROW1(c1)) ^ AES_T(2, AES_ROW2(c2)) ^ AES_T(3, AES_ROW3(c3));
	d1 = rk[9] ^ AES_T(0, AES_ROW0(c1)) ^ AES_T(1, AES_ROW1(c2)) ^ AES_T(2, AES_ROW2(c3));
	d2 = rk[10] ^ AES_T(0, AES_ROW0(c2)) ^ AES_T(1, AES_ROW1(c3)) ^ AES_T(3, AES_ROW3(c1));
	d3 = rk[11] ^ AES_T(0, AES_ROW0(c3)) ^ AES_T(2, AES_ROW2(c1)) ^ AES_T(3, AES_ROW3(c2));

	DOT11XDP_LOOP_STORE(work->aes_cursor, off);
	for (;;) {
		__u32 cur = DOT11XDP_LOOP_LOAD(work->aes_cursor);
		__u64 s0, a0, a1, a2, a3, b0, b1, b2, b3;
		__u32 y0, y1, y2, y3, counter;
		__u32 *p;

		if (cur >= end)
			break;
		/* Bounds the block for the verifier ("invalid access to map value"). */
		if (cur > sizeof(*work) - 16)
			break;
		counter = first + ((cur - off) >> 4);
		s0 = c0 ^ AES_T(3, (__u64)(((counter ^ key15) & 0xff) << 3));
		a0 = d0 ^ AES_T(0, AES_ROW0(s0));
		a1 = d1 ^ AES_T(3, AES_ROW3(s0));
		a2 = d2 ^ AES_T(2, AES_ROW2(s0));
		a3 = d3 ^ AES_T(1, AES_ROW1(s0));
		AES_ROUNDS_FROM_3(y, a, b, rk, rounds);

		p = (__u32 *)((__u8 *)work + cur);
		p[0] ^= y0;
		p[1] ^= y1;
		p[2] ^= y2;
		p[3] ^= y3;
		DOT11XDP_LOOP_STORE(work->aes_cursor, cur + 16);
		DOT11XDP_LOOP_NEXT;
	}
	return DOT11XDP_LOOP_LOAD(work->aes_cursor) == end ? 0 : -1;
}

/*
 * CBC-MAC: the last block of a CBC encryption with a zero IV over nblocks blocks of work
 * starting at byte offset off, into work->aes_mac. Returns 0, or -1 if the loop could not
 * finish.
 */
static __noinline int aes_table_cbc_mac(struct dot11xdp_work *work, __u32 off, __u32 nblocks)
{
	const __u8 *tab = aes_table_base();
	const __u64 *rk = work->aes_rk;
	__u32 rounds = work->aes_rounds;
	__u32 m0 = 0, m1 = 0, m2 = 0, m3 = 0, end;

	if (nblocks > sizeof(*work) / 16 || off > sizeof(*work))
		return -1;
	end = off + 16 * nblocks;

	DOT11XDP_LOOP_STORE(work->aes_cursor, off);
	for (;;) {
		__u32 cur = DOT11XDP_LOOP_LOAD(work->aes_cursor);
		__u64 a0, a1, a2, a3, b0, b1, b2, b3;
		__u32 x0, x1, x2, x3;
		const __u32 *p;

		if (cur >= end)
			break;
		/* Bounds the block for the verifier ("invalid access to map value"). */
		if (cur > sizeof(*work) - 16)
			break;
		p = (const __u32 *)((const __u8 *)work + cur);
		x0 = m0 ^ p[0] ^ (__u32)rk[0];
		x1 = m1 ^ p[1] ^ (__u32)rk[1];
		x2 = m2 ^ p[2] ^ (__u32)rk[2];
		x3 = m3 ^ p[3] ^ (__u32)rk[3];
		AES_FIRST_ROUND(a, x, rk + 4);
		AES_ROUND(b, a, rk + 8);
		/* AES_ROUNDS_FROM_3 takes the state in its first lane set. */
		a0 = b0;
		a1 = b1;
		a2 = b2;
		a3 = b3;
		AES_ROUNDS_FROM_3(m, a, b, rk, rounds);
		DOT11XDP_LOOP_STORE(work->aes_cursor, cur + 16);
		DOT11XDP_LOOP_NEXT;
	}
	if (DOT11XDP_LOOP_LOAD(work->aes_cursor) != end)
		return -1;
	work->aes_mac[0] = m0;
	work->aes_mac[1] = m1;
	work->aes_mac[2] = m2;
	work->aes_mac[3] = m3;
	return 0;
}

#endif
