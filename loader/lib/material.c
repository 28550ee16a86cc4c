// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Key material, as the data path reads it. AES ciphers, for the table engine: the AES
 * encryption key schedule of FIPS-197 5.2, word i holding bytes 4i..4i+3 most significant
 * first, FIPS-197's own word order. The BPF table engine lays it out for its rounds once per
 * frame (aes_table_begin in bpf/lib/aes_table.h), so the map keeps the standard, checkable
 * form; for the kfunc engine, nothing: the key lives only in the kernel's AES contexts
 * (crypto_ctx.h), made from the TK the caller hands to dot11xdp_crypto_ctx__create(). GCMP,
 * for either engine, also takes GHASH's hash subkey H = AES_K(0^128), from the schedule and a
 * plain FIPS-197 cipher run once per key. RC4 ciphers (TKIP, WEP): the keys as they are;
 * RC4's key schedule starts from each frame's own key (WEP's IV, TKIP's per-frame mix), so
 * nothing can be computed ahead.
 */
#include <errno.h>
#include <string.h>

#include "material.h"

static const __u8 aes_sbox[256] = {
	0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
	0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
	0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
	0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
	0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
	0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
	0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
	0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
	0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
	0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
	0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
	0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
	0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
	0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
	0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
	0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
};

static __u32 sub_word(__u32 w)
{
	return (__u32)aes_sbox[w >> 24] << 24 | (__u32)aes_sbox[(w >> 16) & 0xff] << 16 |
	       (__u32)aes_sbox[(w >> 8) & 0xff] << 8 | aes_sbox[w & 0xff];
}

/* FIPS-197 KeyExpansion for a 16- or 32-byte key; returns the number of words written. */
static unsigned int aes_expand_key(const __u8 *key, unsigned int key_len,
				   __u32 w[DOT11XDP_AES_SCHEDULE_WORDS])
{
	unsigned int nk = key_len / 4, nr = nk + 6, words = 4 * (nr + 1);
	__u32 rcon = 0x01;

	for (unsigned int i = 0; i < nk; i++)
		w[i] = (__u32)key[4 * i] << 24 | (__u32)key[4 * i + 1] << 16 |
		       (__u32)key[4 * i + 2] << 8 | key[4 * i + 3];
	for (unsigned int i = nk; i < words; i++) {
		__u32 t = w[i - 1];

		if (i % nk == 0) {
			t = sub_word(t << 8 | t >> 24) ^ rcon << 24;
			rcon = rcon << 1 ^ (rcon & 0x80 ? 0x1b : 0);
			rcon &= 0xff;
		} else if (nk > 6 && i % nk == 4) {
			t = sub_word(t);
		}
		w[i] = w[i - nk] ^ t;
	}
	return words;
}

/* GF(2^8) multiplication by x, modulo AES's x^8 + x^4 + x^3 + x + 1. */
static __u8 aes_xtime(__u8 b)
{
	return (__u8)(b << 1 ^ (b >> 7) * 0x1b);
}

/* FIPS-197 Cipher of one block, schedule w, nr rounds (state byte 4c + r: row r, column c). */
static void aes_encrypt_block(const __u32 *w, unsigned int nr, const __u8 in[16], __u8 out[16])
{
	__u8 s[16], t[16];

	for (unsigned int i = 0; i < 16; i++)
		s[i] = in[i] ^ (__u8)(w[i / 4] >> (24 - 8 * (i % 4)));
	for (unsigned int round = 1; round <= nr; round++) {
		/* SubBytes and ShiftRows: row r of column c comes from column c + r. */
		for (unsigned int i = 0; i < 16; i++)
			t[i] = aes_sbox[s[(i + 4 * (i % 4)) % 16]];
		for (unsigned int c = 0; c < 4 && round < nr; c++) {
			__u8 *col = t + 4 * c, all = col[0] ^ col[1] ^ col[2] ^ col[3], first = col[0];

			/* MixColumns: b_r = a_r ^ (a_0 ^ a_1 ^ a_2 ^ a_3) ^ 2 (a_r ^ a_r+1). */
			col[0] ^= all ^ aes_xtime(col[0] ^ col[1]);
			col[1] ^= all ^ aes_xtime(col[1] ^ col[2]);
			col[2] ^= all ^ aes_xtime(col[2] ^ col[3]);
			col[3] ^= all ^ aes_xtime(col[3] ^ first);
		}
		for (unsigned int i = 0; i < 16; i++)
			s[i] = t[i] ^ (__u8)(w[4 * round + i / 4] >> (24 - 8 * (i % 4)));
	}
	memcpy(out, s, 16);
	explicit_bzero(s, sizeof(s));
	explicit_bzero(t, sizeof(t));
}

unsigned int dot11xdp_cipher_tk_len(__u32 cipher)
{
	switch (cipher) {
	case DOT11XDP_CIPHER_CCMP:
		return 16;
	case DOT11XDP_CIPHER_CCMP_256:
		return 32;
	case DOT11XDP_CIPHER_TKIP:
		return DOT11XDP_TKIP_KEY_LEN;
	case DOT11XDP_CIPHER_WEP40:
		return DOT11XDP_WEP40_KEY_LEN;
	case DOT11XDP_CIPHER_WEP104:
		return DOT11XDP_WEP104_KEY_LEN;
	default:
		return 0;
	}
}

/*
 * Temporal key lengths of the ciphers whose material this file prepares, a superset of
 * dot11xdp_cipher_tk_len(): GCMP keys are prepared here (the GCM core and its tests use
 * them) before the receive path decrypts GCMP, so the key API still refuses them.
 */
static unsigned int material_tk_len(__u32 cipher)
{
	switch (cipher) {
	case DOT11XDP_CIPHER_GCMP:
		return 16;
	case DOT11XDP_CIPHER_GCMP_256:
		return 32;
	default:
		return dot11xdp_cipher_tk_len(cipher);
	}
}

int dot11xdp_material_prepare_ghash(struct dot11xdp_key *key, const __u8 *tk, unsigned int tk_len)
{
	static const __u8 zero_block[16];
	__u32 w[DOT11XDP_AES_SCHEDULE_WORDS];

	if (tk_len != 16 && tk_len != 32)
		return -EINVAL;
	aes_expand_key(tk, tk_len, w);
	aes_encrypt_block(w, tk_len / 4 + 6, zero_block, key->material.ghash_h);
	explicit_bzero(w, sizeof(w));
	return 0;
}

int dot11xdp_material_prepare_aes(struct dot11xdp_key *key, const __u8 *tk, unsigned int tk_len,
				  enum dot11xdp_engine engine)
{
	if (tk_len != 16 && tk_len != 32)
		return -EINVAL;
	if (engine != DOT11XDP_ENGINE_TABLE && engine != DOT11XDP_ENGINE_KFUNC)
		return -EOPNOTSUPP;

	memset(&key->material, 0, sizeof(key->material));
	/* The kfunc engine's data path needs only tk_len and the generation: no key bytes here. */
	if (engine == DOT11XDP_ENGINE_TABLE)
		aes_expand_key(tk, tk_len, key->material.aes_schedule);
	key->tk_len = (__u8)tk_len;
	key->engine = (__u8)engine;
	return 0;
}

/*
 * The RC4 ciphers run in BPF whatever the AES engine, so every engine takes them; the key
 * records the engine all the same, like any other key of the adapter.
 */
static int rc4_engine_ok(enum dot11xdp_engine engine)
{
	return engine == DOT11XDP_ENGINE_TABLE || engine == DOT11XDP_ENGINE_KFUNC;
}

int dot11xdp_material_prepare_tkip(struct dot11xdp_key *key, const __u8 *tk, unsigned int tk_len,
				   enum dot11xdp_engine engine)
{
	struct dot11xdp_tkip_material *tkip = &key->material.tkip;

	if (tk_len != DOT11XDP_TKIP_KEY_LEN)
		return -EINVAL;
	if (!rc4_engine_ok(engine))
		return -EOPNOTSUPP;

	memset(&key->material, 0, sizeof(key->material));
	memcpy(tkip->tk, tk, DOT11XDP_TKIP_TK_LEN);
	/* The blob's order is the data path's: RX MIC key (frames from the peer), then TX. */
	memcpy(tkip->michael[DOT11XDP_FROM_PEER], tk + DOT11XDP_TKIP_TK_LEN, DOT11XDP_MICHAEL_KEY_LEN);
	memcpy(tkip->michael[DOT11XDP_TO_PEER], tk + DOT11XDP_TKIP_TK_LEN + DOT11XDP_MICHAEL_KEY_LEN,
	       DOT11XDP_MICHAEL_KEY_LEN);
	key->tk_len = (__u8)tk_len;
	key->engine = (__u8)engine;
	return 0;
}

int dot11xdp_material_prepare_wep(struct dot11xdp_key *key, const __u8 *tk, unsigned int tk_len,
				  enum dot11xdp_engine engine)
{
	if (tk_len != DOT11XDP_WEP40_KEY_LEN && tk_len != DOT11XDP_WEP104_KEY_LEN)
		return -EINVAL;
	if (!rc4_engine_ok(engine))
		return -EOPNOTSUPP;

	memset(&key->material, 0, sizeof(key->material));
	memcpy(key->material.wep.key, tk, tk_len);
	key->tk_len = (__u8)tk_len;
	key->engine = (__u8)engine;
	return 0;
}

int dot11xdp_material_prepare(struct dot11xdp_key *key, __u32 cipher, const __u8 *tk,
			      unsigned int tk_len, enum dot11xdp_engine engine)
{
	unsigned int want = material_tk_len(cipher);
	int err;

	if (!want)
		return -EOPNOTSUPP;
	if (tk_len != want)
		return -EINVAL;
	switch (cipher) {
	case DOT11XDP_CIPHER_TKIP:
		err = dot11xdp_material_prepare_tkip(key, tk, tk_len, engine);
		break;
	case DOT11XDP_CIPHER_WEP40:
	case DOT11XDP_CIPHER_WEP104:
		err = dot11xdp_material_prepare_wep(key, tk, tk_len, engine);
		break;
	case DOT11XDP_CIPHER_GCMP:
	case DOT11XDP_CIPHER_GCMP_256:
		err = dot11xdp_material_prepare_aes(key, tk, tk_len, engine);
		if (!err)
			err = dot11xdp_material_prepare_ghash(key, tk, tk_len);
		break;
	default:
		err = dot11xdp_material_prepare_aes(key, tk, tk_len, engine);
		break;
	}
	if (err)
		return err;
	key->cipher = cipher;
	return 0;
}
