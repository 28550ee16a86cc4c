/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Request format of bpf/test_gcm.bpf.c, shared with tests/test_gcm.c: the packet given to
 * BPF_PROG_TEST_RUN is this header followed by the body; the program answers in place.
 */
#ifndef DOT11XDP_TEST_GCM_H
#define DOT11XDP_TEST_GCM_H

#include <linux/types.h>

enum test_gcm_op {
	/* Each runs in its own program, named after it: xdp_test_gcm_decrypt, ... */
	TEST_GCM_DECRYPT = 1, /* gcm_decrypt */
	TEST_GCM_ENCRYPT = 2, /* gcm_encrypt */
	TEST_GCM_GHASH = 3,   /* S = GHASH_H(AAD, body, lengths) into hash */
	TEST_CCM_DECRYPT = 4, /* ccm_decrypt, for costs beside GCM's */
	TEST_CCM_ENCRYPT = 5, /* ccm_encrypt */
};

enum test_gcm_flags {
	TEST_GCM_NO_STORE = 1 << 0, /* leave the packet as it was (benchmarks run it repeatedly) */
};

struct test_gcm_request {
	__u32 op;      /* enum test_gcm_op */
	__u32 flags;   /* enum test_gcm_flags */
	__u32 len;     /* body bytes: ciphertext + tag to decrypt, plaintext to encrypt or hash */
	__u32 aad_len;
	__u32 mic_len; /* CCM only: 8 or 16 */
	__s32 result;  /* out: the core's return value */
	__u8 aad[32];
	__u8 nonce[16]; /* GCM 12 bytes, CCM 13 */
	__u8 hash[16];  /* out: TEST_GCM_GHASH's S, as bytes */
};

#endif
