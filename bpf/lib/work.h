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

/*
 * CCM's B0 block and its AAD blocks (2-byte length + AAD of up to 30 bytes, zero-padded);
 * GCM's AAD blocks (its last two) and J0's block (its last), see gcm.h.
 */
#define DOT11XDP_CCM_HEAD_MAX 48

/* AES round keys of the table engine, in the layout its rounds read (see aes_table.h). */
#define DOT11XDP_AES_RK_WORDS 60

struct dot11xdp_work {
	/*
	 * CBC-MAC input is ccm_head (right-aligned) then body, and CTR's is the MIC (in the last
	 * head block) then body: one contiguous run of blocks each, so one bulk engine op covers
	 * a frame. Keep ccm_head directly in front of body.
	 */
	__u8 ccm_head[DOT11XDP_CCM_HEAD_MAX];
	__u8 body[DOT11XDP_BODY_MAX]; /* security payload: ciphertext then MIC */
	/* Lets a 16-byte MIC read or write at the end of body stay inside the buffer. */
	__u8 ccm_tag[16];		/* ccm_decrypt: the received MIC XOR E(A0); GCM: tag, E(J0) */
	__u8 aes_ctr[16];		/* CTR: first counter block of a bulk op */
	__u32 aes_mac[4];		/* CBC-MAC: result of a bulk op */
	__u64 aes_rk[DOT11XDP_AES_RK_WORDS]; /* table engine: this frame's round keys */
	__u32 aes_rounds;		/* table engine: 10 or 14 */
	__u32 aes_cursor;		/* loop index of a bulk op or GHASH, kept in memory (loop.h) */
	/* GCM (ghash.h): this frame's GHASH table, n * H for n = 0..15, built from the key's H. */
	__u64 ghash_table[16][2];
	/* kfunc engine (aes_kfunc.h): the key's generation, read once per frame by aes_begin. */
	__u64 aes_kfunc_generation;
	/*
	 * kfunc engine: a CBC-MAC's zero IV, then the blocks of one bulk op (counter blocks
	 * turned keystream, or the CBC output); its kfuncs take map memory, not the stack.
	 */
	__u8 aes_kfunc_scratch[16 + DOT11XDP_CCM_HEAD_MAX + DOT11XDP_BODY_MAX];
	__u8 rc4_state[256];		/* RC4 (TKIP, WEP): the permutation S of this frame */
	__u8 rc4_key[16];		/* RC4: this frame's key, an 8-byte one written twice */
	__u32 stream_cursor;		/* loop index of the RC4, CRC-32 and Michael passes */
};

_Static_assert(__builtin_offsetof(struct dot11xdp_work, body) ==
		       __builtin_offsetof(struct dot11xdp_work, ccm_head) + DOT11XDP_CCM_HEAD_MAX,
	       "CBC-MAC runs over ccm_head and body as one buffer");
_Static_assert(DOT11XDP_BODY_MAX % 16 == 0, "bulk AES ops work on whole blocks of body");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dot11xdp_work);
} dot11xdp_work SEC(".maps");

/*
 * bpf_xdp_load_bytes()/bpf_xdp_store_bytes() with a length the verifier can see is 1..max.
 * Linux 6.12's verifier learns no lower bound from len != 0 and loses spilled bounds
 * ("R4 invalid zero-sized read"): recompute the length as (len - 1) + 1 behind an empty asm
 * the compiler cannot see through, bounded right at the call. -1 when len is not in 1..max.
 */
#define DOT11XDP_XDP_BYTES(helper, ctx, off, buf, len, max)                                    \
	({                                                                                      \
		__u32 __last = (__u32)(len) - 1;                                                \
		asm volatile("" : "+r"(__last));                                                \
		__last >= (max) ? -1 : helper(ctx, off, buf, __last + 1);                       \
	})

/* This CPU's work buffer, as a map value (what bpf_dynptr_from_mem() requires). */
static __always_inline struct dot11xdp_work *work_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&dot11xdp_work, &zero);
}

#endif
