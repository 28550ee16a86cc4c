/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Request format of bpf/test_kfunc.bpf.c, shared with tests/test_aes_kfunc.c: the packet
 * given to BPF_PROG_TEST_RUN is this header followed by the data; the program answers in
 * place (the header's out fields, the data transformed).
 */
#ifndef DOT11XDP_TEST_KFUNC_H
#define DOT11XDP_TEST_KFUNC_H

#include <linux/types.h>

enum test_kfunc_op {
	TEST_KFUNC_CTR_XOR = 1,	    /* aes_ctr_xor over the data, counter blocks from ctr */
	TEST_KFUNC_CBC_MAC = 2,	    /* aes_cbc_mac over the data, the MAC into mac */
	TEST_KFUNC_CCM_DECRYPT = 3, /* ccm_decrypt of the data (ciphertext + MIC) */
	TEST_KFUNC_CCM_ENCRYPT = 4, /* ccm_encrypt of the data (plaintext) */
	TEST_KFUNC_COPY = 5,	    /* the copies alone: the harness's share of a timing */
};

enum test_kfunc_flags {
	TEST_KFUNC_NO_STORE = 1 << 0, /* leave the packet as it was (repeated runs) */
};

struct test_kfunc_request {
	__u32 op;    /* enum test_kfunc_op */
	__u32 flags; /* enum test_kfunc_flags */
	__u32 len;   /* data bytes */
	/*
	 * CTR, CBC-MAC: the data goes head blocks (0..3) before body, so a run can span
	 * ccm_head and body as CCM's does; the operation covers nblocks blocks from there,
	 * plus off_extra bytes (refusal tests set these beyond the data).
	 */
	__u32 head;
	__u32 nblocks;
	__u32 off_extra;
	__u32 aad_len; /* CCM */
	__u32 mic_len; /* CCM */
	__s32 result;  /* out: the operation's return value, or a negative errno of the harness */
	__u32 key_slot; /* test_kfunc_key element: 0 is the key, 1 a stale copy of an old one */
	__u64 generation; /* out: CTR, CBC-MAC: the generation the engine took from the key */
	__u8 ctr[16];	  /* CTR: the first counter block */
	__u8 aad[32];	  /* CCM */
	__u8 nonce[16];	  /* CCM: 13 bytes */
	__u8 mac[16];	  /* out: CBC-MAC */
};

#endif
