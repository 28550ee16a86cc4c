/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Request format of bpf/test_tkip.bpf.c, shared with tests/test_tkip.c: the packet given to
 * BPF_PROG_TEST_RUN is this header followed by the body; the program answers in place.
 */
#ifndef DOT11XDP_TEST_TKIP_H
#define DOT11XDP_TEST_TKIP_H

#include <linux/types.h>

enum test_tkip_op {
	TEST_TKIP_DECRYPT = 1,	  /* tkip_decrypt: body | ICV -> body */
	TEST_TKIP_ENCRYPT,	  /* tkip_encrypt: body -> body | ICV */
	TEST_TKIP_MICHAEL_VERIFY, /* tkip_michael_verify over len data bytes + 8 MIC bytes */
	TEST_TKIP_MICHAEL_APPEND, /* tkip_michael_append: data -> data | MIC */
	TEST_TKIP_MIX,		  /* phase 1 and 2 only: ttak and rc4_key out */
	TEST_TKIP_RX,		  /* tkip_decrypt, then tkip_michael_verify: data | MIC | ICV -> data */
	TEST_TKIP_TX,		  /* tkip_michael_append, then tkip_encrypt: data -> data | MIC | ICV */
	TEST_WEP_DECRYPT,	  /* wep_decrypt: body | ICV -> body */
	TEST_WEP_ENCRYPT,	  /* wep_encrypt: body -> body | ICV */
	TEST_RC4,		  /* rc4_init and rc4_xor with rc4_key: body -> body */
	TEST_CRC32,		  /* crc32_body: crc out */
	TEST_MICHAEL,		  /* michael over body alone with michael_key: mic out */
};

/* TEST_TKIP_RX's result when the ICV is right and the Michael MIC is not. */
#define TEST_TKIP_MIC_FAILURE (-2)

enum test_tkip_flags {
	TEST_TKIP_NO_STORE = 1 << 0, /* leave the packet as it was (benchmarks run it repeatedly) */
};

struct test_tkip_request {
	__u32 op;	   /* enum test_tkip_op */
	__u32 flags;	   /* enum test_tkip_flags */
	__u32 len;	   /* body bytes in */
	__s32 result;	   /* out: the function's return value */
	__u64 tsc;	   /* TKIP: the 48-bit TSC */
	__u64 mic;	   /* out, TEST_MICHAEL: the MIC as on the air, read little-endian */
	__u32 crc;	   /* out, TEST_CRC32 */
	__u32 end;	   /* TKIP: enum dot11xdp_replay_end, which Michael key */
	__u32 rc4_key_len; /* TEST_RC4: 8 or 16 */
	__u8 ta[6];
	__u8 da[6];
	__u8 sa[6];
	__u8 priority;
	__u8 pad;
	__u8 iv[4];	     /* WEP: the 3-byte IV */
	__u8 rc4_key[16];    /* in for TEST_RC4, out for TEST_TKIP_MIX */
	__u8 michael_key[8]; /* TEST_MICHAEL */
	__u16 ttak[5];	     /* out, TEST_TKIP_MIX */
	__u16 pad2;
};

#endif
