/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * CRC-32 (IEEE 802.3, the WEP and TKIP ICV) over work->body, slice-by-8: one 8-byte word per
 * loop turn through eight tables, so the eight lookups of a word run in parallel instead of
 * one dependent lookup per byte.
 *
 * The tables are derived by the compiler: CRC-32 is linear, so the entry for byte b is the
 * XOR of the entries of b's set bits, and the entry of bit m of a byte followed by k zero
 * bytes is the register 8k + 8 - m steps after holding 1: CRC32_X<8k + 8 - m> below.
 */
#ifndef DOT11XDP_BPF_CRC32_H
#define DOT11XDP_BPF_CRC32_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "loop.h"
#include "work.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "crc32.h reads the body as little-endian words"
#endif

/* The reflected polynomial and one step of the shift register (one bit in). */
#define CRC32_POLY 0xedb88320U
#define CRC32_STEP(c) (((c) >> 1) ^ ((c) & 1 ? CRC32_POLY : 0))
#define CRC32_NEXT(n, m) CRC32_X##n = CRC32_STEP(CRC32_X##m)

/*
 * CRC32_X<n>: the register n steps after holding 1. Enumerators, so each is computed once
 * from the one before (a macro chain would expand twice per step); the values above INT_MAX
 * make this an enum of unsigned int, which clang accepts outside -pedantic.
 */
enum crc32_powers {
	CRC32_X0 = 1,
	CRC32_NEXT(1, 0), CRC32_NEXT(2, 1), CRC32_NEXT(3, 2), CRC32_NEXT(4, 3),
	CRC32_NEXT(5, 4), CRC32_NEXT(6, 5), CRC32_NEXT(7, 6), CRC32_NEXT(8, 7),
	CRC32_NEXT(9, 8), CRC32_NEXT(10, 9), CRC32_NEXT(11, 10), CRC32_NEXT(12, 11),
	CRC32_NEXT(13, 12), CRC32_NEXT(14, 13), CRC32_NEXT(15, 14), CRC32_NEXT(16, 15),
	CRC32_NEXT(17, 16), CRC32_NEXT(18, 17), CRC32_NEXT(19, 18), CRC32_NEXT(20, 19),
	CRC32_NEXT(21, 20), CRC32_NEXT(22, 21), CRC32_NEXT(23, 22), CRC32_NEXT(24, 23),
	CRC32_NEXT(25, 24), CRC32_NEXT(26, 25), CRC32_NEXT(27, 26), CRC32_NEXT(28, 27),
	CRC32_NEXT(29, 28), CRC32_NEXT(30, 29), CRC32_NEXT(31, 30), CRC32_NEXT(32, 31),
	CRC32_NEXT(33, 32), CRC32_NEXT(34, 33), CRC32_NEXT(35, 34), CRC32_NEXT(36, 35),
	CRC32_NEXT(37, 36), CRC32_NEXT(38, 37), CRC32_NEXT(39, 38), CRC32_NEXT(40, 39),
	CRC32_NEXT(41, 40), CRC32_NEXT(42, 41), CRC32_NEXT(43, 42), CRC32_NEXT(44, 43),
	CRC32_NEXT(45, 44), CRC32_NEXT(46, 45), CRC32_NEXT(47, 46), CRC32_NEXT(48, 47),
	CRC32_NEXT(49, 48), CRC32_NEXT(50, 49), CRC32_NEXT(51, 50), CRC32_NEXT(52, 51),
	CRC32_NEXT(53, 52), CRC32_NEXT(54, 53), CRC32_NEXT(55, 54), CRC32_NEXT(56, 55),
	CRC32_NEXT(57, 56), CRC32_NEXT(58, 57), CRC32_NEXT(59, 58), CRC32_NEXT(60, 59),
	CRC32_NEXT(61, 60), CRC32_NEXT(62, 61), CRC32_NEXT(63, 62), CRC32_NEXT(64, 63),
};

/* Entry for byte b of a slice whose bit m (m = 0..7) contributes c<m>. */
#define CRC32_ENTRY(b, c0, c1, c2, c3, c4, c5, c6, c7)                                           \
	(((b) & 0x01 ? c0 : 0) ^ ((b) & 0x02 ? c1 : 0) ^ ((b) & 0x04 ? c2 : 0) ^                \
	 ((b) & 0x08 ? c3 : 0) ^ ((b) & 0x10 ? c4 : 0) ^ ((b) & 0x20 ? c5 : 0) ^                \
	 ((b) & 0x40 ? c6 : 0) ^ ((b) & 0x80 ? c7 : 0)),
#define CRC32_B2(b, ...) CRC32_ENTRY(b, __VA_ARGS__) CRC32_ENTRY((b) + 1, __VA_ARGS__)
#define CRC32_B4(b, ...) CRC32_B2(b, __VA_ARGS__) CRC32_B2((b) + 2, __VA_ARGS__)
#define CRC32_B8(b, ...) CRC32_B4(b, __VA_ARGS__) CRC32_B4((b) + 4, __VA_ARGS__)
#define CRC32_B16(b, ...) CRC32_B8(b, __VA_ARGS__) CRC32_B8((b) + 8, __VA_ARGS__)
#define CRC32_B32(b, ...) CRC32_B16(b, __VA_ARGS__) CRC32_B16((b) + 16, __VA_ARGS__)
#define CRC32_B64(b, ...) CRC32_B32(b, __VA_ARGS__) CRC32_B32((b) + 32, __VA_ARGS__)
#define CRC32_B128(b, ...) CRC32_B64(b, __VA_ARGS__) CRC32_B64((b) + 64, __VA_ARGS__)
#define CRC32_SLICE(...) { CRC32_B128(0, __VA_ARGS__) CRC32_B128(128, __VA_ARGS__) }

#define CRC32_SLICE_BYTES 1024

/* slice[k][b]: the register after byte b followed by k zero bytes, from 0. */
struct crc32_lookup {
	__u32 slice[8][256];
};

static const struct crc32_lookup crc32_table = {
	.slice = {
		CRC32_SLICE(CRC32_X8, CRC32_X7, CRC32_X6, CRC32_X5,
			    CRC32_X4, CRC32_X3, CRC32_X2, CRC32_X1),
		CRC32_SLICE(CRC32_X16, CRC32_X15, CRC32_X14, CRC32_X13,
			    CRC32_X12, CRC32_X11, CRC32_X10, CRC32_X9),
		CRC32_SLICE(CRC32_X24, CRC32_X23, CRC32_X22, CRC32_X21,
			    CRC32_X20, CRC32_X19, CRC32_X18, CRC32_X17),
		CRC32_SLICE(CRC32_X32, CRC32_X31, CRC32_X30, CRC32_X29,
			    CRC32_X28, CRC32_X27, CRC32_X26, CRC32_X25),
		CRC32_SLICE(CRC32_X40, CRC32_X39, CRC32_X38, CRC32_X37,
			    CRC32_X36, CRC32_X35, CRC32_X34, CRC32_X33),
		CRC32_SLICE(CRC32_X48, CRC32_X47, CRC32_X46, CRC32_X45,
			    CRC32_X44, CRC32_X43, CRC32_X42, CRC32_X41),
		CRC32_SLICE(CRC32_X56, CRC32_X55, CRC32_X54, CRC32_X53,
			    CRC32_X52, CRC32_X51, CRC32_X50, CRC32_X49),
		CRC32_SLICE(CRC32_X64, CRC32_X63, CRC32_X62, CRC32_X61,
			    CRC32_X60, CRC32_X59, CRC32_X58, CRC32_X57),
	},
};

/*
 * Table reads: the index is a byte already multiplied by 4 (bounded by 0x3fc for the
 * verifier), the slice picked by the load's constant offset. The empty asm keeps one base
 * register, as in aes_table.h, instead of eight hoisted table addresses.
 */
static __always_inline const __u8 *crc32_at(const __u8 *tab, __u64 off)
{
	const __u8 *at = tab + off;

	asm("" : "+r"(at));
	return at;
}

#define CRC32_T(k, off) (*(const __u32 *)(crc32_at(tab, off) + (k) * CRC32_SLICE_BYTES))
/* Byte n of a word, times 4. */
#define CRC32_BYTE4(w, n) ((n) ? ((w) >> (8 * (n) - 2)) & 0x3fc : ((w) << 2) & 0x3fc)

/*
 * CRC-32 of work->body[0 .. len), len <= DOT11XDP_BODY_MAX, into *crc (the value the ICV
 * holds, little-endian). Returns 0, or -1 if len is too long or the loop was cut short.
 */
static __always_inline int crc32_body(struct dot11xdp_work *work, __u32 len, __u32 *crc)
{
	const __u8 *tab = crc32_at((const __u8 *)&crc32_table, 0);
	__u32 words_end = len & ~7U, pos, c = ~0U;

	if (len > DOT11XDP_BODY_MAX)
		return -1;
	DOT11XDP_LOOP_STORE(work->stream_cursor, 0);
	for (;;) {
		__u64 w;

		pos = DOT11XDP_LOOP_LOAD(work->stream_cursor);
		if (pos >= words_end)
			break;
		/* Bounds the word for the verifier ("invalid access to map value"). */
		if (pos > DOT11XDP_BODY_MAX - 8)
			break;
		/* Byte 0 of the word has seven more bytes behind it, so it goes through slice 7. */
		w = *(const __u64 *)(work->body + pos) ^ c;
		c = CRC32_T(7, CRC32_BYTE4(w, 0)) ^ CRC32_T(6, CRC32_BYTE4(w, 1)) ^
		    CRC32_T(5, CRC32_BYTE4(w, 2)) ^ CRC32_T(4, CRC32_BYTE4(w, 3)) ^
		    CRC32_T(3, CRC32_BYTE4(w, 4)) ^ CRC32_T(2, CRC32_BYTE4(w, 5)) ^
		    CRC32_T(1, CRC32_BYTE4(w, 6)) ^ CRC32_T(0, CRC32_BYTE4(w, 7));
		DOT11XDP_LOOP_STORE(work->stream_cursor, pos + 8);
		DOT11XDP_LOOP_NEXT;
	}
	if (DOT11XDP_LOOP_LOAD(work->stream_cursor) != words_end)
		return -1;

	/* The last len % 8 bytes one at a time (words_end + 7 stays inside the work value). */
#pragma unroll
	for (int t = 0; t < 7; t++)
		if (words_end + t < len)
			c = (c >> 8) ^ CRC32_T(0, ((c ^ work->body[words_end + t]) & 0xff) << 2);
	*crc = ~c;
	return 0;
}

#endif
