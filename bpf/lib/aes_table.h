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
 *   ready-made byte offset into the next table, which one mask or one shift extracts (see
 *   AES_COLUMN) and the verifier can bound by 2047.
 * - The four round tables (S-box times one column of MixColumns, in that lane format) lie in
 *   one struct, so one base register reaches each by the load's constant offset.
 * - The last round has no MixColumns: two tables of u32 pairs place S[x] at its row's byte of
 *   an ordinary little-endian column word.
 * - Blocks come in and go out as little-endian u32 column words: byte 4c + r of a block is
 *   bits 8r..8r+7 of column c. The first round extracts its indexes from that form.
 * - Round keys (work->aes_rk, filled by aes_table_begin from the FIPS-197 schedule): words 0-3
 *   round 0 as column words, 4r..4r+3 round r (1 <= r < Nr) in lane format, 56-59 the last
 *   round as column words, for AES-128 and AES-256 alike.
 *
 * Speed (AES-128, this project's 2-vCPU AMD EPYC test VM): about 5 ns per round, so 45-55 ns
 * per block; CTR blocks are the cheaper ones (see aes_table_ctr_xor).
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
#define AES_LANES(r0, r1, r2, r3)                                                              \
	((__u64)(r0) << 3 | (__u64)(r1) << 24 | (__u64)(r2) << 35 | (__u64)(r3) << 56)
/* Round table k: S-box output s entering at row k, times MixColumns column k (2,1,1,3 rotated). */
#define AES_ROUND0(s) AES_LANES(AES_XTIME(s), s, s, AES_XTIME(s) ^ (s)),
#define AES_ROUND1(s) AES_LANES(AES_XTIME(s) ^ (s), AES_XTIME(s), s, s),
#define AES_ROUND2(s) AES_LANES(s, AES_XTIME(s) ^ (s), AES_XTIME(s), s),
#define AES_ROUND3(s) AES_LANES(s, s, AES_XTIME(s) ^ (s), AES_XTIME(s)),
#define AES_LAST01(s) { (s), (s) << 8 },
#define AES_LAST23(s) { (s) << 16, (s) << 24 },

struct aes_table_lookup {
	__u64 round[4][256];
	__u32 last[2][256][2];
	/*
	 * A lane index is bounded by 2047 for the verifier, not by 2040: keep a load at the end
	 * of the last table inside the map value ("invalid access to map value").
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

/*
 * The rounds are BPF assembly with fixed registers. Given the same in C, clang splits each
 * table address into base + offset, hoists the four table addresses out of the loop and
 * spills them and the state over BPF's ten registers: a CCM frame took a quarter longer.
 * Here a round needs exactly ten: the four input columns (consumed), the four outputs, the
 * table base and one temporary, which first carries the round-key pointer in.
 *
 *   r0       temporary; the round keys' address on entry to a round
 *   r1-r4    state A (columns 0-3)
 *   r5-r8    state B (columns 0-3)
 *   r9       aes_table
 *
 * One lookup is extract, add base, load, xor: the verifier bounds every extracted offset by
 * its mask or shift (at most 2047; reach_pad covers an 8-byte load there). The texts read
 * memory the compiler does not see (tables, round keys): hence their "memory" clobbers.
 */
#define AES_LOOKUP(extract, acc, size, table)                                                  \
	extract "r0 += r9\n\t"                                                                 \
	"r0 = *(" #size " *)(r0 + %[" #table "])\n\t"                                          \
	"r" #acc " ^= r0\n\t"

/*
 * One input column S of lane format, rows 0-3 into accumulators D0-D3 (row r goes to output
 * column c - r: ShiftRows). Rows 0, 1 and 3 come from a copy by one mask or one shift (row 1
 * by a 32-bit shift, which drops the upper half); row 2 takes S itself.
 */
#define AES_COLUMN(S, D0, D1, D2, D3, size, t0, t1, t2, t3)                                    \
	AES_LOOKUP("r0 = r" #S "\n\tr0 &= 0x7f8\n\t", D0, size, t0)                            \
	AES_LOOKUP("w0 = w" #S "\n\tw0 >>= 21\n\t", D1, size, t1)                              \
	AES_LOOKUP("r0 = r" #S "\n\tr0 >>= 53\n\t", D3, size, t3)                              \
	"r" #S " >>= 32\n\t"                                                                   \
	"r" #S " &= 0x7f8\n\t"                                                                 \
	"r" #S " += r9\n\t"                                                                    \
	"r" #S " = *(" #size " *)(r" #S " + %[" #t2 "])\n\t"                                   \
	"r" #D2 " ^= r" #S "\n\t"

/* The same for an ordinary column word (first round): each byte shifted into place. */
#define AES_WORD_COLUMN(S, D0, D1, D2, D3)                                                     \
	AES_LOOKUP("r0 = r" #S "\n\tr0 <<= 3\n\tr0 &= 0x7f8\n\t", D0, u64, t0)                 \
	AES_LOOKUP("r0 = r" #S "\n\tr0 >>= 5\n\tr0 &= 0x7f8\n\t", D1, u64, t1)                 \
	AES_LOOKUP("r0 = r" #S "\n\tr0 >>= 13\n\tr0 &= 0x7f8\n\t", D2, u64, t2)                \
	"r" #S " >>= 21\n\t"                                                                   \
	"r" #S " &= 0x7f8\n\t"                                                                 \
	"r" #S " += r9\n\t"                                                                    \
	"r" #S " = *(u64 *)(r" #S " + %[t3])\n\t"                                              \
	"r" #D3 " ^= r" #S "\n\t"

/* The round's keys (work->aes_rk words k0..k3, byte offsets from r0) into the outputs. */
#define AES_ROUND_KEY(D0, D1, D2, D3)                                                          \
	"r" #D0 " = *(u64 *)(r0 + %[k0])\n\t"                                                  \
	"r" #D1 " = *(u64 *)(r0 + %[k1])\n\t"                                                  \
	"r" #D2 " = *(u64 *)(r0 + %[k2])\n\t"                                                  \
	"r" #D3 " = *(u64 *)(r0 + %[k3])\n\t"

/* A round S0-3 -> D0-3 through the tables t0-t3 (entries of size), round keys at r0. */
#define AES_ROUND_WITH(size, t0, t1, t2, t3, D0, D1, D2, D3, S0, S1, S2, S3)                   \
	AES_ROUND_KEY(D0, D1, D2, D3)                                                          \
	AES_COLUMN(S0, D0, D3, D2, D1, size, t0, t1, t2, t3)                                   \
	AES_COLUMN(S1, D1, D0, D3, D2, size, t0, t1, t2, t3)                                   \
	AES_COLUMN(S2, D2, D1, D0, D3, size, t0, t1, t2, t3)                                   \
	AES_COLUMN(S3, D3, D2, D1, D0, size, t0, t1, t2, t3)

/* A middle round, and the last one (no MixColumns: ordinary column words out). */
#define AES_ROUND_TEXT(...) AES_ROUND_WITH(u64, t0, t1, t2, t3, __VA_ARGS__)
#define AES_LAST_ROUND_TEXT(...) AES_ROUND_WITH(u32, l0, l1, l2, l3, __VA_ARGS__)

/* The first round, from ordinary column words (block XOR round key 0). */
#define AES_FIRST_ROUND_TEXT(D0, D1, D2, D3, S0, S1, S2, S3)                                   \
	AES_ROUND_KEY(D0, D1, D2, D3)                                                          \
	AES_WORD_COLUMN(S0, D0, D3, D2, D1)                                                    \
	AES_WORD_COLUMN(S1, D1, D0, D3, D2)                                                    \
	AES_WORD_COLUMN(S2, D2, D1, D0, D3)                                                    \
	AES_WORD_COLUMN(S3, D3, D2, D1, D0)

/* Table offsets within aes_table, as immediates for the texts above. */
#define AES_TABLE_OPERANDS                                                                     \
	[t0] "i"(__builtin_offsetof(struct aes_table_lookup, round[0])),                       \
	[t1] "i"(__builtin_offsetof(struct aes_table_lookup, round[1])),                       \
	[t2] "i"(__builtin_offsetof(struct aes_table_lookup, round[2])),                       \
	[t3] "i"(__builtin_offsetof(struct aes_table_lookup, round[3])),                       \
	[l0] "i"(__builtin_offsetof(struct aes_table_lookup, last[0])),                        \
	[l1] "i"(__builtin_offsetof(struct aes_table_lookup, last[0]) + 4),                    \
	[l2] "i"(__builtin_offsetof(struct aes_table_lookup, last[1])),                        \
	[l3] "i"(__builtin_offsetof(struct aes_table_lookup, last[1]) + 4)
/* Byte offsets of round key words k .. k + 3, likewise. */
#define AES_KEY_OPERANDS(k) [k0] "i"(8 * (k)), [k1] "i"(8 * (k) + 8), [k2] "i"(8 * (k) + 16),  \
			    [k3] "i"(8 * (k) + 24)

/*
 * Run one round text from state s to state d with round keys rk[k .. k + 3]. The state
 * variables must be the register variables the text names (see AES_STATE_REGS).
 */
#define AES_RUN(text, d, s, rk, k)                                                             \
	do {                                                                                   \
		aes_key_ = (rk);                                                               \
		asm(text                                                                       \
		    : "=r"(d##0), "=r"(d##1), "=r"(d##2), "=r"(d##3), "+r"(s##0), "+r"(s##1),  \
		      "+r"(s##2), "+r"(s##3), "+r"(aes_key_)                                   \
		    : "r"(aes_tab_), AES_TABLE_OPERANDS, AES_KEY_OPERANDS(k)                   \
		    : "memory");                                                               \
	} while (0)

#define AES_ROUND_AB(rk, k) AES_RUN(AES_ROUND_TEXT(5, 6, 7, 8, 1, 2, 3, 4), b, a, rk, k)
#define AES_ROUND_BA(rk, k) AES_RUN(AES_ROUND_TEXT(1, 2, 3, 4, 5, 6, 7, 8), a, b, rk, k)

/*
 * The state registers of the texts above, the table base and the round-key pointer, for a
 * function that runs AES rounds.
 */
#define AES_STATE_REGS                                                                         \
	register __u64 a0 asm("r1"), a1 asm("r2"), a2 asm("r3"), a3 asm("r4");                 \
	register __u64 b0 asm("r5"), b1 asm("r6"), b2 asm("r7"), b3 asm("r8");                 \
	register const __u8 *aes_tab_ asm("r9") = (const __u8 *)&aes_table;                    \
	register const __u64 *aes_key_ asm("r0")

/*
 * Rounds 3 to the last: the state after round 2 in a, the output block in a as column
 * words (low halves). AES-256 runs four more middle rounds, an even number, so both key
 * sizes end in the same registers.
 */
#define AES_ROUNDS_FROM_3(rk, rounds)                                                          \
	do {                                                                                   \
		AES_ROUND_AB(rk, 12);                                                          \
		AES_ROUND_BA(rk, 16);                                                          \
		AES_ROUND_AB(rk, 20);                                                          \
		AES_ROUND_BA(rk, 24);                                                          \
		AES_ROUND_AB(rk, 28);                                                          \
		AES_ROUND_BA(rk, 32);                                                          \
		AES_ROUND_AB(rk, 36);                                                          \
		if ((rounds) > 10) {                                                           \
			AES_ROUND_BA(rk, 40);                                                  \
			AES_ROUND_AB(rk, 44);                                                  \
			AES_ROUND_BA(rk, 48);                                                  \
			AES_ROUND_AB(rk, 52);                                                  \
		}                                                                              \
		AES_RUN(AES_LAST_ROUND_TEXT(1, 2, 3, 4, 5, 6, 7, 8), a, b, rk, AES_RK_LAST);   \
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
 * Lay the key's schedule out in work->aes_rk for this frame (a few hundred instructions,
 * about half a block's worth; see the top of this file for the layout).
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

/* One table entry read from C (outside the round texts above), off the entry's byte offset. */
static __always_inline __u64 aes_table_entry(int table, __u64 off)
{
	/*
	 * The mask is for the verifier: clang sees it is redundant and drops it, and 6.1's
	 * verifier cannot bound the XOR of two bytes that off is made of ("R1 unbounded
	 * memory access"). The empty asm keeps it.
	 */
	asm("" : "+r"(off));
	return *(const __u64 *)((const __u8 *)aes_table.round[table] + (off & 0x7f8));
}

/* A CTR bulk op, as its loop steps see it. */
struct aes_table_ctr {
	struct dot11xdp_work *work;
	__u64 c0, d0, d1, d2, d3; /* rounds 1 and 2 without the counter byte */
	__u32 off, first, key15, failed;
};

/* One CTR block, the i-th: 0, or 1 (with l->failed set) to stop the loop. */
static __always_inline long aes_table_ctr_step(struct aes_table_ctr *l, __u32 i)
{
	struct dot11xdp_work *work = l->work;
	const __u64 *rk = work->aes_rk;
	__u32 cur = l->off + 16 * i, *p;
	AES_STATE_REGS;

	/* Bounds the block for the verifier ("invalid access to map value"). */
	if (i > 255 || cur > sizeof(*work) - 16) {
		l->failed = 1;
		return 1;
	}
	/* Round 1: the counter byte's entry; round 2: column 0's four. */
	b0 = l->c0 ^ aes_table_entry(3, (((l->first + i) ^ l->key15) & 0xff) << 3);
	a0 = l->d0;
	a1 = l->d1;
	a2 = l->d2;
	a3 = l->d3;
	aes_key_ = rk;
	asm(AES_COLUMN(5, 1, 4, 3, 2, u64, t0, t1, t2, t3)
	    : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(b0), "+r"(aes_key_)
	    : "r"(aes_tab_), AES_TABLE_OPERANDS
	    : "memory");
	AES_ROUNDS_FROM_3(rk, work->aes_rounds);

	p = (__u32 *)((__u8 *)work + cur);
	p[0] ^= a0;
	p[1] ^= a1;
	p[2] ^= a2;
	p[3] ^= a3;
	return 0;
}
DOT11XDP_LOOP_CALLBACK(aes_table_ctr_step, struct aes_table_ctr)

/*
 * CTR: XOR the keystream of the counter blocks aes_ctr, aes_ctr + 1, ... (the counter is
 * the block's last byte; the caller keeps it from wrapping) into nblocks blocks of work
 * starting at byte offset off. Returns 0, or -1 if the loop could not finish.
 *
 * Only the last byte differs between counter blocks. After round 1 it has reached column
 * 0 alone, and round 2 reads column 0 once per output column; so rounds 1 and 2 are
 * computed once with that byte left out (as zero, then its entries XORed back out), and
 * each block adds its five lookups (one in round 1, four in round 2): 27 fewer lookups per
 * block out of 160.
 */
static __noinline int aes_table_ctr_xor(struct dot11xdp_work *work, __u32 off, __u32 nblocks)
{
	const __u64 *rk = work->aes_rk;
	struct aes_table_ctr l = { .work = work, .off = off, .first = work->aes_ctr[15] };
	AES_STATE_REGS;

	if (nblocks > 256 - l.first || off > sizeof(*work))
		return -1;

	/* Round 1 of the first counter block, then take its counter byte's entry out of c0. */
	a0 = *(__u32 *)&work->aes_ctr[0] ^ (__u32)rk[0];
	a1 = *(__u32 *)&work->aes_ctr[4] ^ (__u32)rk[1];
	a2 = *(__u32 *)&work->aes_ctr[8] ^ (__u32)rk[2];
	a3 = *(__u32 *)&work->aes_ctr[12] ^ (__u32)rk[3];
	l.key15 = (__u32)rk[3] >> 24;
	l.c0 = aes_table_entry(3, (l.first ^ l.key15) << 3);
	AES_RUN(AES_FIRST_ROUND_TEXT(5, 6, 7, 8, 1, 2, 3, 4), b, a, rk, 4);
	l.c0 ^= b0;
	/* Round 2 with column 0 zero, then the four entries of that zero taken out. */
	b0 = 0;
	AES_ROUND_BA(rk, 8);
	l.d0 = a0 ^ aes_table_entry(0, 0);
	l.d1 = a1 ^ aes_table_entry(3, 0);
	l.d2 = a2 ^ aes_table_entry(2, 0);
	l.d3 = a3 ^ aes_table_entry(1, 0);

	if (DOT11XDP_LOOP_RUN(aes_table_ctr_step, &l, nblocks, work->aes_cursor) != nblocks ||
	    l.failed)
		return -1;
	return 0;
}

/* A CBC-MAC bulk op, as its loop steps see it: the chaining value as column words. */
struct aes_table_cbc {
	struct dot11xdp_work *work;
	__u64 m0, m1, m2, m3;
	__u32 off, failed;
};

/* One CBC-MAC block, the i-th: 0, or 1 (with l->failed set) to stop the loop. */
static __always_inline long aes_table_cbc_step(struct aes_table_cbc *l, __u32 i)
{
	struct dot11xdp_work *work = l->work;
	const __u64 *rk = work->aes_rk;
	__u32 cur = l->off + 16 * i;
	const __u32 *p;
	AES_STATE_REGS;

	/* Bounds the block for the verifier ("invalid access to map value"). */
	if (i > sizeof(*work) / 16 || cur > sizeof(*work) - 16) {
		l->failed = 1;
		return 1;
	}
	p = (const __u32 *)((const __u8 *)work + cur);
	a0 = (__u32)(l->m0 ^ p[0] ^ rk[0]);
	a1 = (__u32)(l->m1 ^ p[1] ^ rk[1]);
	a2 = (__u32)(l->m2 ^ p[2] ^ rk[2]);
	a3 = (__u32)(l->m3 ^ p[3] ^ rk[3]);
	AES_RUN(AES_FIRST_ROUND_TEXT(5, 6, 7, 8, 1, 2, 3, 4), b, a, rk, 4);
	AES_ROUND_BA(rk, 8);
	AES_ROUNDS_FROM_3(rk, work->aes_rounds);
	l->m0 = a0;
	l->m1 = a1;
	l->m2 = a2;
	l->m3 = a3;
	return 0;
}
DOT11XDP_LOOP_CALLBACK(aes_table_cbc_step, struct aes_table_cbc)

/*
 * CBC-MAC: the last block of a CBC encryption with a zero IV over nblocks blocks of work
 * starting at byte offset off, into work->aes_mac. Returns 0, or -1 if the loop could not
 * finish.
 */
static __noinline int aes_table_cbc_mac(struct dot11xdp_work *work, __u32 off, __u32 nblocks)
{
	struct aes_table_cbc l = { .work = work, .off = off };

	if (nblocks > sizeof(*work) / 16 || off > sizeof(*work))
		return -1;
	if (DOT11XDP_LOOP_RUN(aes_table_cbc_step, &l, nblocks, work->aes_cursor) != nblocks ||
	    l.failed)
		return -1;
	work->aes_mac[0] = l.m0;
	work->aes_mac[1] = l.m1;
	work->aes_mac[2] = l.m2;
	work->aes_mac[3] = l.m3;
	return 0;
}

#endif
