/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Request format of bpf/test_ccm.bpf.c, shared with tests/test_ccm.c: the packet given to
 * BPF_PROG_TEST_RUN is this header followed by the body; the program answers in place.
 */
#ifndef DOT11XDP_TEST_CCM_H
#define DOT11XDP_TEST_CCM_H

#include <linux/types.h>

enum test_ccm_op {
	TEST_CCM_DECRYPT = 1,
	TEST_CCM_ENCRYPT = 2,
};

enum test_ccm_flags {
	TEST_CCM_NO_STORE = 1 << 0, /* leave the packet as it was (benchmarks run it repeatedly) */
};

struct test_ccm_request {
	__u32 op;      /* enum test_ccm_op */
	__u32 flags;   /* enum test_ccm_flags */
	__u32 len;     /* body bytes: ciphertext + MIC to decrypt, plaintext to encrypt */
	__u32 aad_len;
	__u32 mic_len;
	__s32 result;  /* out: ccm_decrypt / ccm_encrypt's return value */
	__u8 aad[32];
	__u8 nonce[16];
};

#endif
