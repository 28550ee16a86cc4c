// SPDX-License-Identifier: GPL-2.0
/*
 * The GCM core (bpf/lib/gcm.h, GHASH in bpf/lib/ghash.h) on both AES engines, run in the
 * kernel with BPF_PROG_TEST_RUN through bpf/test_gcm.bpf.c: the loader's hash subkey against
 * the vectors' H, the IEEE 802.11 GCMP vectors byte for byte (with their GHASH value S),
 * single-bit forgeries, argument refusals, the core behind global functions, and OpenSSL's
 * AES-GCM as an independent oracle over random keys, nonces, AADs and every body length
 * that matters. Ends with verifier costs and timings of gcm_* beside ccm_* in the same run,
 * reported and not asserted. Needs the kfunc engine (Linux 6.10+) and fails loudly without.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <openssl/evp.h>

#include "crypto_ctx.h"
#include "material.h"
#include "test_gcm.skel.h"
#include "test_gcm_loop.skel.h"
#include "testlib.h"
#include "../bpf/test_gcm.h"

/* bpf/lib/work.h and gcm.h: the payload buffer, the AAD the core takes, the tag. */
#define BODY_MAX 2336
#define AAD_MAX 30
#define TAG 16
#define NONCE 12

/* bpf/test_ccm.c's: BPF_JMP | BPF_JCOND, the may_goto instruction. */
#define INSN_MAY_GOTO 0xe5

/* One build of bpf/test_gcm.bpf.c: its programs by operation, its key map. */
struct gcm_build {
	const char *loops; /* "may_goto" (default) or "bpf_loop" (test_gcm_loop.bpf.c) */
	struct bpf_object *obj;
	struct bpf_map *key_map;
	struct bpf_program *op[TEST_CCM_ENCRYPT + 1]; /* by enum test_gcm_op */
	struct bpf_program *global;		      /* xdp_test_gcm_global */
};

#define GCM_BUILD(skel, loops_name)                                                            \
	((struct gcm_build){                                                                   \
		.loops = loops_name,                                                           \
		.obj = (skel)->obj,                                                            \
		.key_map = (skel)->maps.test_gcm_key,                                          \
		.op = { [TEST_GCM_DECRYPT] = (skel)->progs.xdp_test_gcm_decrypt,              \
			[TEST_GCM_ENCRYPT] = (skel)->progs.xdp_test_gcm_encrypt,              \
			[TEST_GCM_GHASH] = (skel)->progs.xdp_test_gcm_ghash,                  \
			[TEST_CCM_DECRYPT] = (skel)->progs.xdp_test_ccm_decrypt,              \
			[TEST_CCM_ENCRYPT] = (skel)->progs.xdp_test_ccm_encrypt },            \
		.global = (skel)->progs.xdp_test_gcm_global,                                   \
	})

/* The build the checks below run on. */
static const struct gcm_build *build;

/* Run GCM through the global functions of xdp_test_gcm_global instead. */
static bool via_global;

/* The program that runs op (bpf/test_gcm.bpf.c has one per operation). */
static struct bpf_program *op_prog(__u32 op)
{
	if (via_global && (op == TEST_GCM_DECRYPT || op == TEST_GCM_ENCRYPT))
		return build->global;
	if (op < TEST_GCM_DECRYPT || op > TEST_CCM_ENCRYPT)
		test_fatal("no test program for op %u", op);
	return build->op[op];
}

/* The engine and, for the bpf_loop build, the build: names the checks. */
static const char *engine_name(enum dot11xdp_engine engine)
{
	bool loop = !strcmp(build->loops, "bpf_loop");

	if (engine == DOT11XDP_ENGINE_KFUNC)
		return loop ? "kfunc engine, bpf_loop build" : "kfunc engine";
	return loop ? "table engine, bpf_loop build" : "table engine";
}

/*
 * The installed key: the kfunc engine's contexts live under the key's generation, created
 * before the key is published and destroyed once another key replaced it.
 */
static __u64 installed_generation, next_generation = 1;

static void set_key_for(__u32 cipher, const uint8_t *tk, size_t tk_len,
			enum dot11xdp_engine engine)
{
	struct dot11xdp_key key = {};
	__u64 old = installed_generation;
	__u32 zero = 0;
	int err;

	/*
	 * dot11xdp_material_prepare only prepares the table engine's material so far; the GHASH
	 * table is the same for both engines, so a kfunc key is that key retargeted.
	 */
	err = dot11xdp_material_prepare(&key, cipher, tk, tk_len, DOT11XDP_ENGINE_TABLE);
	if (err)
		test_fatal("dot11xdp_material_prepare: %s", strerror(-err));
	key.generation = next_generation++;
	if (engine == DOT11XDP_ENGINE_KFUNC) {
		key.engine = DOT11XDP_ENGINE_KFUNC;
		err = dot11xdp_crypto_ctx__create(build->obj, key.generation, tk, tk_len);
		if (err)
			test_fatal("dot11xdp_crypto_ctx__create: %s", strerror(-err));
	}
	err = bpf_map__update_elem(build->key_map, &zero, sizeof(zero), &key, sizeof(key), 0);
	if (err)
		test_fatal("updating test_gcm_key: %s", strerror(-err));
	installed_generation = engine == DOT11XDP_ENGINE_KFUNC ? key.generation : 0;
	if (old && dot11xdp_crypto_ctx__destroy(build->obj, old))
		test_fatal("destroying the contexts of generation %llu", (unsigned long long)old);
}

/* Overwrite fields of the installed key (to test refusals of a bad key). */
static void patch_key(__u32 cipher, __u8 tk_len, __u8 engine)
{
	struct dot11xdp_key key;
	__u32 zero = 0;

	if (bpf_map__lookup_elem(build->key_map, &zero, sizeof(zero), &key, sizeof(key), 0))
		test_fatal("reading test_gcm_key");
	key.cipher = cipher;
	key.tk_len = tk_len;
	key.engine = engine;
	if (bpf_map__update_elem(build->key_map, &zero, sizeof(zero), &key, sizeof(key), 0))
		test_fatal("updating test_gcm_key");
}

struct gcm_case {
	const uint8_t *tk;
	size_t tk_len;
	const uint8_t *nonce; /* 12 bytes (13 for CCM) */
	const uint8_t *aad;
	size_t aad_len;
	size_t mic_len; /* CCM only */
};

/*
 * Run one request. in/len: the body (ciphertext + tag, or plaintext); out receives the
 * plaintext or ciphertext + tag when the result is 0, hash the GHASH value for
 * TEST_GCM_GHASH. Returns the program's result.
 */
static int gcm_run(__u32 op, const struct gcm_case *c, const uint8_t *in, size_t len,
		   uint8_t *out, size_t *out_len, uint8_t *hash)
{
	static uint8_t pkt[sizeof(struct test_gcm_request) + BODY_MAX + 64];
	static uint8_t pkt_out[sizeof(pkt)];
	bool ccm = op == TEST_CCM_DECRYPT || op == TEST_CCM_ENCRYPT;
	size_t tag = ccm ? c->mic_len : TAG;
	struct test_gcm_request req = {
		.op = op,
		.len = len,
		.aad_len = c->aad_len,
		.mic_len = c->mic_len,
		.result = 0x7eadbeef,
	};
	bool grows = op == TEST_GCM_ENCRYPT || op == TEST_CCM_ENCRYPT;
	size_t body_room = len + (grows ? tag : 0);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_out = pkt_out,
		    .data_size_out = sizeof(pkt_out), .repeat = 1);
	int err;

	if (sizeof(req) + body_room > sizeof(pkt))
		test_fatal("request of %zu bytes too long for the test buffer", len);
	memcpy(req.aad, c->aad, c->aad_len > sizeof(req.aad) ? sizeof(req.aad) : c->aad_len);
	memcpy(req.nonce, c->nonce, ccm ? 13 : NONCE);
	memset(pkt, 0, sizeof(pkt));
	memcpy(pkt, &req, sizeof(req));
	if (len)
		memcpy(pkt + sizeof(req), in, len);
	opts.data_size_in = sizeof(req) + body_room;
	err = bpf_prog_test_run_opts(bpf_program__fd(op_prog(op)), &opts);
	if (err)
		test_fatal("BPF_PROG_TEST_RUN: %s", strerror(errno));
	if (opts.retval != XDP_PASS)
		test_fatal("test program returned %u, not XDP_PASS", opts.retval);
	memcpy(&req, pkt_out, sizeof(req));
	if (req.result == 0x7eadbeef)
		test_fatal("test program left the result unset");
	if (!req.result && out) {
		*out_len = grows ? len + tag : len - tag;
		memcpy(out, pkt_out + sizeof(req), *out_len);
	}
	if (hash)
		memcpy(hash, req.hash, 16);
	return req.result;
}

static int gcm_decrypt_run(const struct gcm_case *c, const uint8_t *in, size_t len, uint8_t *out,
			   size_t *out_len)
{
	return gcm_run(TEST_GCM_DECRYPT, c, in, len, out, out_len, NULL);
}

static int gcm_encrypt_run(const struct gcm_case *c, const uint8_t *in, size_t len, uint8_t *out,
			   size_t *out_len)
{
	return gcm_run(TEST_GCM_ENCRYPT, c, in, len, out, out_len, NULL);
}

/* OpenSSL's AES-GCM with a 12-byte IV: ciphertext then the 16-byte tag into out. */
static void openssl_gcm_encrypt(const struct gcm_case *c, const uint8_t *pt, size_t len,
				uint8_t *out)
{
	const EVP_CIPHER *cipher = c->tk_len == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n, ok;

	ok = ctx && EVP_EncryptInit_ex(ctx, cipher, NULL, NULL, NULL) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, NONCE, NULL) &&
	     EVP_EncryptInit_ex(ctx, NULL, NULL, c->tk, c->nonce) &&
	     (!c->aad_len || EVP_EncryptUpdate(ctx, NULL, &n, c->aad, c->aad_len)) &&
	     (!len || EVP_EncryptUpdate(ctx, out, &n, pt, len)) &&
	     EVP_EncryptFinal_ex(ctx, out + len, &n) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, TAG, out + len);
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		test_fatal("OpenSSL AES-GCM encryption failed");
}

/* OpenSSL's AES-CCM (L = 2), for the timing frames of the CCM core. */
static void openssl_ccm_encrypt(const struct gcm_case *c, const uint8_t *pt, size_t len,
				uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n, ok;

	ok = ctx && EVP_EncryptInit_ex(ctx, EVP_aes_128_ccm(), NULL, NULL, NULL) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, 13, NULL) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, c->mic_len, NULL) &&
	     EVP_EncryptInit_ex(ctx, NULL, NULL, c->tk, c->nonce) &&
	     EVP_EncryptUpdate(ctx, NULL, &n, NULL, len) &&
	     EVP_EncryptUpdate(ctx, NULL, &n, c->aad, c->aad_len) &&
	     EVP_EncryptUpdate(ctx, out, &n, pt, len) && EVP_EncryptFinal_ex(ctx, out + len, &n) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, c->mic_len, out + len);
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		test_fatal("OpenSSL AES-CCM encryption failed");
}

/*
 * The loader's material for a GCMP key: the hash subkey H the vector lists, the cipher and
 * the TK length recorded. (The table built from H in BPF is checked through GHASH itself.)
 */
static void check_material(const char *title, __u32 cipher, const struct tv_field *tk,
			   const struct tv_field *h)
{
	struct dot11xdp_key key = {};
	int err;

	err = dot11xdp_material_prepare(&key, cipher, tk->data, tk->len, DOT11XDP_ENGINE_TABLE);
	if (!test_check(err == 0, "%s: dot11xdp_material_prepare takes the %zu-byte TK", title,
			tk->len))
		return;
	test_bytes_eq(key.material.ghash_h, 16, h->data, h->len,
		      "%s: the key's GHASH subkey is the vector's H", title);
	test_check(key.cipher == cipher && key.tk_len == tk->len,
		   "%s: the prepared key records cipher 0x%x and a %zu-byte TK", title, cipher,
		   tk->len);
}

static const struct tv_field *need_field(const struct tv_section *s, const char *name)
{
	const struct tv_field *f = tv_field(s, name);

	if (!f)
		test_fatal("vector \"%s\" has no field \"%s\"", s->title, name);
	return f;
}

/* Single-bit flips of every bit of buf (ciphertext/tag, AAD or nonce): each must fail. */
static void check_flips(const char *vector, const char *engine, const char *what,
			struct gcm_case *c, uint8_t *body, size_t len, uint8_t *buf, size_t buf_len)
{
	unsigned int accepted = 0, flips = 0;

	for (size_t i = 0; i < buf_len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			buf[i] ^= 1 << bit;
			if (gcm_decrypt_run(c, body, len, NULL, NULL) != -1)
				accepted++;
			buf[i] ^= 1 << bit;
			flips++;
		}
	}
	test_check(accepted == 0, "%s, %s: every one of %u single-bit flips in the %s is refused",
		   vector, engine, flips, what);
}

static void check_vector(const struct tv_file *tv, const char *title, __u32 cipher,
			 enum dot11xdp_engine engine)
{
	const struct tv_section *s = tv_find(tv, title, 0);
	uint8_t body[BODY_MAX], out[BODY_MAX], want[BODY_MAX], aad[AAD_MAX], nonce[NONCE];
	const struct tv_field *tk, *pt, *ct, *mic, *fa, *fn, *h, *hash;
	const char *en = engine_name(engine);
	uint8_t s_got[16];
	struct gcm_case c;
	size_t out_len = 0, len;
	int ret;

	if (!s)
		test_fatal("vector \"%s\" not found", title);
	tk = need_field(s, "TK");
	pt = need_field(s, "Plaintext Data");
	ct = need_field(s, "GCMP encrypted");
	mic = need_field(s, "GCMP MIC");
	fa = need_field(s, "GCMP AAD");
	fn = need_field(s, "GCMP nonce");
	h = need_field(s, "Hash subkey H for GHASH");
	hash = need_field(s, "S = GHASH_H(...)");
	if (fn->len != NONCE || fa->len > AAD_MAX || ct->len != pt->len || mic->len != TAG ||
	    h->len != 16 || hash->len != 16)
		test_fatal("vector \"%s\": unexpected field lengths", title);
	if (engine == DOT11XDP_ENGINE_TABLE)
		check_material(title, cipher, tk, h);
	memcpy(aad, fa->data, fa->len);
	memcpy(nonce, fn->data, NONCE);
	c = (struct gcm_case){ tk->data, tk->len, nonce, aad, fa->len, 0 };
	set_key_for(cipher, tk->data, tk->len, engine);

	memcpy(want, ct->data, ct->len);
	memcpy(want + ct->len, mic->data, TAG);
	len = ct->len + TAG;

	ret = gcm_encrypt_run(&c, pt->data, pt->len, out, &out_len);
	test_check(ret == 0, "%s, %s: gcm_encrypt succeeds", title, en);
	if (!ret)
		test_bytes_eq(out, out_len, want, len,
			      "%s, %s: gcm_encrypt gives GCMP encrypted + GCMP MIC", title, en);

	ret = gcm_run(TEST_GCM_GHASH, &c, ct->data, ct->len, NULL, NULL, s_got);
	test_check(ret == 0, "%s, %s: GHASH over AAD and ciphertext runs", title, en);
	if (!ret)
		test_bytes_eq(s_got, 16, hash->data, 16, "%s, %s: GHASH gives the vector's S",
			      title, en);

	memcpy(body, want, len);
	ret = gcm_decrypt_run(&c, body, len, out, &out_len);
	test_check(ret == 0, "%s, %s: gcm_decrypt verifies the tag", title, en);
	if (!ret)
		test_bytes_eq(out, out_len, pt->data, pt->len,
			      "%s, %s: gcm_decrypt gives the plaintext", title, en);

	check_flips(title, en, "ciphertext", &c, body, len, body, ct->len);
	check_flips(title, en, "tag", &c, body, len, body + ct->len, TAG);
	check_flips(title, en, "AAD", &c, body, len, aad, fa->len);
	check_flips(title, en, "nonce", &c, body, len, nonce, NONCE);

	/* Another key: the tag must fail (and the right key still work afterwards). */
	{
		uint8_t wrong[32];

		memcpy(wrong, tk->data, tk->len);
		wrong[tk->len - 1] ^= 0x80;
		set_key_for(cipher, wrong, tk->len, engine);
		test_check(gcm_decrypt_run(&c, body, len, NULL, NULL) == -1,
			   "%s, %s: a key differing in one bit fails the tag", title, en);
		set_key_for(cipher, tk->data, tk->len, engine);
	}
	/* The AAD the vector lists, cut short by one byte, is another AAD. */
	c.aad_len--;
	test_check(gcm_decrypt_run(&c, body, len, NULL, NULL) == -1,
		   "%s, %s: the AAD one byte shorter fails the tag", title, en);
	c.aad_len++;
	/* The ciphertext one byte shorter, the tag moved along: the lengths block differs. */
	memmove(body + ct->len - 1, body + ct->len, TAG);
	test_check(gcm_decrypt_run(&c, body, len - 1, NULL, NULL) == -1,
		   "%s, %s: the ciphertext cut by one byte fails the tag", title, en);
}

/*
 * The core behind global functions, as the receive path calls it: the program loads (its
 * pointers are sized memory there, not map values), and a vector still comes out byte for
 * byte, back, and refused with a flipped bit.
 */
static void check_global(const struct tv_file *tv, const char *title, enum dot11xdp_engine engine)
{
	const struct tv_section *s = tv_find(tv, title, 0);
	const struct tv_field *tk, *pt, *ct, *mic, *fa, *fn;
	uint8_t out[BODY_MAX], want[BODY_MAX], back[BODY_MAX];
	const char *en = engine_name(engine);
	size_t out_len = 0, back_len = 0;
	struct gcm_case c;
	bool ok;

	if (!s)
		test_fatal("vector \"%s\" not found", title);
	tk = need_field(s, "TK");
	pt = need_field(s, "Plaintext Data");
	ct = need_field(s, "GCMP encrypted");
	mic = need_field(s, "GCMP MIC");
	fa = need_field(s, "GCMP AAD");
	fn = need_field(s, "GCMP nonce");
	c = (struct gcm_case){ tk->data, tk->len, fn->data, fa->data, fa->len, 0 };
	memcpy(want, ct->data, ct->len);
	memcpy(want + ct->len, mic->data, TAG);
	set_key_for(tk->len == 16 ? DOT11XDP_CIPHER_GCMP : DOT11XDP_CIPHER_GCMP_256, tk->data,
		    tk->len, engine);

	via_global = true;
	ok = !gcm_encrypt_run(&c, pt->data, pt->len, out, &out_len) &&
	     out_len == ct->len + TAG && !memcmp(out, want, out_len) &&
	     !gcm_decrypt_run(&c, want, out_len, back, &back_len) && back_len == pt->len &&
	     !memcmp(back, pt->data, pt->len);
	test_check(ok, "%s, %s, behind global functions: encrypts to the vector and back",
		   title, en);
	want[0] ^= 1;
	test_check(gcm_decrypt_run(&c, want, ct->len + TAG, NULL, NULL) == -1,
		   "%s, %s, behind global functions: a flipped bit fails the tag", title, en);
	via_global = false;
}

static void check_refusals(enum dot11xdp_engine engine)
{
	static const uint8_t tk[32] = { 1, 2, 3 }, nonce[NONCE] = { 4 }, aad[AAD_MAX + 2] = { 5 };
	uint8_t body[BODY_MAX + 64] = { 0 }, out[BODY_MAX + 64], back[BODY_MAX];
	struct gcm_case c = { tk, 16, nonce, aad, 22, 0 };
	const char *en = engine_name(engine);
	size_t out_len, back_len;

	set_key_for(DOT11XDP_CIPHER_GCMP, tk, 16, engine);
	/* A valid pair to start from, so the refusals below are due to the one change each. */
	if (gcm_encrypt_run(&c, body, 40, out, &out_len) ||
	    gcm_decrypt_run(&c, out, out_len, back, &back_len))
		test_fatal("a valid GCM round trip failed");

	c.aad_len = AAD_MAX + 1;
	test_check(gcm_encrypt_run(&c, body, 40, NULL, NULL) == -1 &&
			   gcm_decrypt_run(&c, out, 56, NULL, NULL) == -1,
		   "%s: gcm_encrypt and gcm_decrypt refuse a 31-byte AAD", en);
	c.aad_len = 22;
	test_check(gcm_decrypt_run(&c, out, 15, NULL, NULL) == -1 &&
			   gcm_decrypt_run(&c, out, 0, NULL, NULL) == -1,
		   "%s: gcm_decrypt refuses a body shorter than the tag", en);
	test_check(gcm_decrypt_run(&c, body, BODY_MAX + 1, NULL, NULL) == -1,
		   "%s: gcm_decrypt refuses a body longer than DOT11XDP_BODY_MAX", en);
	test_check(gcm_encrypt_run(&c, body, BODY_MAX - TAG + 1, NULL, NULL) == -1,
		   "%s: gcm_encrypt refuses a plaintext whose tag would not fit body", en);

	/* Keys not prepared for GCMP: no GHASH table, or a length the cipher does not take. */
	patch_key(DOT11XDP_CIPHER_CCMP, 16, engine);
	test_check(gcm_encrypt_run(&c, body, 40, NULL, NULL) == -1 &&
			   gcm_decrypt_run(&c, out, 56, NULL, NULL) == -1,
		   "%s: a CCMP key is refused", en);
	patch_key(DOT11XDP_CIPHER_GCMP, 32, engine);
	test_check(gcm_encrypt_run(&c, body, 40, NULL, NULL) == -1 &&
			   gcm_decrypt_run(&c, out, 56, NULL, NULL) == -1,
		   "%s: a GCMP key claiming a 32-byte TK is refused", en);
	set_key_for(DOT11XDP_CIPHER_GCMP_256, tk, 32, engine);
	patch_key(DOT11XDP_CIPHER_GCMP_256, 16, engine);
	test_check(gcm_encrypt_run(&c, body, 40, NULL, NULL) == -1 &&
			   gcm_decrypt_run(&c, out, 56, NULL, NULL) == -1,
		   "%s: a GCMP-256 key claiming a 16-byte TK is refused", en);
	set_key_for(DOT11XDP_CIPHER_GCMP, tk, 16, engine);
	patch_key(DOT11XDP_CIPHER_GCMP, 16, 0);
	test_check(gcm_decrypt_run(&c, out, 56, NULL, NULL) == -1,
		   "%s: a key with no engine is refused", en);
}

/* xorshift64*: reproducible random cases (the seed is printed). */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void rng_fill(uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(rng() >> 56);
}

static void check_openssl(enum dot11xdp_engine engine)
{
	uint8_t tk[32], nonce[NONCE], aad[AAD_MAX], pt[BODY_MAX], want[BODY_MAX + TAG];
	uint8_t got[BODY_MAX + TAG];
	unsigned int cases = 0, enc_bad = 0, dec_bad = 0, forged = 0;
	size_t lengths[256], nlen = 0, got_len;
	const char *en = engine_name(engine);

	for (size_t len = 0; len <= 64; len++)
		lengths[nlen++] = len;
	for (size_t len = 65; len < 2304; len += 29 + len / 16)
		lengths[nlen++] = len;
	lengths[nlen++] = 1500;
	lengths[nlen++] = 2303;
	lengths[nlen++] = 2304;
	lengths[nlen++] = BODY_MAX - TAG; /* body full */

	for (size_t i = 0; i < nlen; i++) {
		size_t len = lengths[i];
		uint64_t r = rng();
		size_t tk_len = r & 1 ? 32 : 16;
		/* Mostly GCMP's 22..30, sometimes any length the core takes. */
		size_t aad_len = (r >> 8) % 4 == 0 ? (r >> 16) % (AAD_MAX + 1) : 22 + (r >> 16) % 9;
		struct gcm_case c = { tk, tk_len, nonce, aad, aad_len, 0 };
		__u32 cipher = tk_len == 16 ? DOT11XDP_CIPHER_GCMP : DOT11XDP_CIPHER_GCMP_256;

		rng_fill(tk, sizeof(tk));
		rng_fill(nonce, sizeof(nonce));
		rng_fill(aad, sizeof(aad));
		rng_fill(pt, len);
		set_key_for(cipher, tk, tk_len, engine);
		openssl_gcm_encrypt(&c, pt, len, want);
		cases++;

		if (gcm_encrypt_run(&c, pt, len, got, &got_len) || got_len != len + TAG ||
		    memcmp(got, want, got_len)) {
			if (enc_bad++ < 5)
				printf("# encrypt differs from OpenSSL: len %zu, TK %zu, AAD %zu\n", len,
				       tk_len, aad_len);
		}
		if (gcm_decrypt_run(&c, want, len + TAG, got, &got_len) || got_len != len ||
		    memcmp(got, pt, len)) {
			if (dec_bad++ < 5)
				printf("# decrypt of OpenSSL's output failed: len %zu, TK %zu, AAD %zu\n",
				       len, tk_len, aad_len);
		}
		want[(r >> 24) % (len + TAG)] ^= 1 << ((r >> 40) & 7);
		if (gcm_decrypt_run(&c, want, len + TAG, NULL, NULL) != -1) {
			if (forged++ < 5)
				printf("# a one-bit forgery verified: len %zu\n", len);
		}
	}
	test_check(enc_bad == 0, "%s: gcm_encrypt equals OpenSSL AES-GCM in all %u random "
		   "cases (body lengths 0..64 and up to %d)", en, cases, BODY_MAX - TAG);
	test_check(dec_bad == 0, "%s: gcm_decrypt recovers the plaintext of OpenSSL's output "
		   "in all %u cases", en, cases);
	test_check(forged == 0, "%s: gcm_decrypt refuses a one-bit forgery of OpenSSL's "
		   "output in all %u cases", en, cases);
}

/* Mean ns per run of one request, best of 5 x 20,000 runs (the packet is left as it was). */
static double time_request(const struct test_gcm_request *req, const uint8_t *body,
			   size_t body_len)
{
	struct bpf_program *prog = op_prog(req->op);
	static uint8_t pkt[sizeof(struct test_gcm_request) + BODY_MAX];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt,
		    .data_size_in = sizeof(*req) + body_len, .repeat = 20000);
	struct test_gcm_request answer;
	double best = 1e12;

	memcpy(pkt, req, sizeof(*req));
	memcpy(pkt + sizeof(*req), body, body_len);
	((struct test_gcm_request *)pkt)->flags = TEST_GCM_NO_STORE;
	for (int i = 0; i < 5; i++) {
		if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts))
			test_fatal("BPF_PROG_TEST_RUN (timing): %s", strerror(errno));
		if (opts.duration < best)
			best = opts.duration;
	}
	/* One more run that answers, so a timing of a failing request cannot pass unseen. */
	{
		uint8_t out[sizeof(pkt)];
		LIBBPF_OPTS(bpf_test_run_opts, once, .data_in = pkt, .data_out = out,
			    .data_size_in = sizeof(*req) + body_len, .data_size_out = sizeof(out));

		((struct test_gcm_request *)pkt)->flags = 0;
		if (bpf_prog_test_run_opts(bpf_program__fd(prog), &once))
			test_fatal("BPF_PROG_TEST_RUN (timing check): %s", strerror(errno));
		memcpy(&answer, out, sizeof(answer));
		if (answer.result)
			test_fatal("timed request (op %u, %u bytes) fails: %d", req->op, req->len,
				   answer.result);
	}
	return best;
}

/* Verifier cost and speed figures: printed for the record, not asserted. */
static void report_costs(enum dot11xdp_engine last_engine)
{
	static uint8_t pt[1500], ct_gcm[1500 + TAG], ct_ccm[1500 + 8];
	static const uint8_t tk[16] = { 9 }, nonce[13] = { 8 }, aad[AAD_MAX] = { 7 };
	struct gcm_case gcm = { tk, 16, nonce, aad, 22, 0 }, ccm = { tk, 16, nonce, aad, 22, 8 };
	static const __u32 ops[] = { TEST_GCM_DECRYPT, TEST_CCM_DECRYPT, TEST_GCM_ENCRYPT,
				     TEST_CCM_ENCRYPT, TEST_GCM_GHASH };

	/* Each program holds one core function over the build's engines, and the harness. */
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		struct bpf_program *prog = op_prog(ops[i]);
		struct bpf_prog_info info = {};
		__u32 info_len = sizeof(info);

		if (!bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &info_len))
			printf("# %s build, verifier: %6u instructions processed for %s (%u "
			       "instructions)\n", build->loops, info.verified_insns,
			       bpf_program__name(prog), info.xlated_prog_len / 8);
	}

	rng_fill(pt, sizeof(pt));
	openssl_gcm_encrypt(&gcm, pt, 1500, ct_gcm);
	openssl_ccm_encrypt(&ccm, pt, 1500, ct_ccm);
	printf("# ns per 1,500-byte payload (+22 AAD), copy into work included, best of 5 x 20,000 "
	       "runs:\n");
	for (enum dot11xdp_engine e = DOT11XDP_ENGINE_TABLE; e <= last_engine; e++) {
		struct test_gcm_request req = { .aad_len = 22 };
		double gdec, genc, cdec, cenc, hash, hash0;

		memcpy(req.aad, aad, 22);
		set_key_for(DOT11XDP_CIPHER_GCMP, tk, 16, e);
		memcpy(req.nonce, nonce, NONCE);
		req.op = TEST_GCM_DECRYPT;
		req.len = 1500 + TAG;
		gdec = time_request(&req, ct_gcm, req.len);
		req.op = TEST_GCM_ENCRYPT;
		req.len = 1500;
		genc = time_request(&req, pt, 1500 + TAG);
		req.op = TEST_GCM_GHASH;
		hash = time_request(&req, ct_gcm, 1500);
		req.len = 0;
		hash0 = time_request(&req, ct_gcm, 0);

		set_key_for(DOT11XDP_CIPHER_CCMP, tk, 16, e);
		memcpy(req.nonce, nonce, 13);
		req.mic_len = 8;
		req.op = TEST_CCM_DECRYPT;
		req.len = 1500 + 8;
		cdec = time_request(&req, ct_ccm, req.len);
		req.op = TEST_CCM_ENCRYPT;
		req.len = 1500;
		cenc = time_request(&req, pt, 1500 + 8);

		printf("#   %s: gcm_decrypt %.0f ns (%.0f MB/s), ccm_decrypt %.0f ns (%.0f MB/s): "
		       "GCMP-128 / CCMP-128 = %.2f\n", engine_name(e), gdec, 1500e3 / gdec, cdec,
		       1500e3 / cdec, gdec / cdec);
		printf("#   %s: gcm_encrypt %.0f ns (%.0f MB/s), ccm_encrypt %.0f ns (%.0f MB/s): "
		       "GCMP-128 / CCMP-128 = %.2f\n", engine_name(e), genc, 1500e3 / genc, cenc,
		       1500e3 / cenc, genc / cenc);
		printf("#   %s: GHASH of the same frame alone (96 blocks with AAD and lengths): "
		       "%.0f ns; of no payload (3 blocks) %.0f ns: %.1f ns per payload block\n",
		       engine_name(e), hash, hash0, (hash - hash0) / 94);
	}
	set_key_for(DOT11XDP_CIPHER_GCMP, tk, 16, DOT11XDP_ENGINE_TABLE);
}

static unsigned int count_may_goto(const struct bpf_program *prog)
{
	const struct bpf_insn *insns = bpf_program__insns(prog);
	size_t n = bpf_program__insn_cnt(prog);
	unsigned int found = 0;

	for (size_t i = 0; insns && i < n; i++)
		if (insns[i].code == INSN_MAY_GOTO)
			found++;
	return found;
}

/* Every check on the engines up to last_engine, then the costs. */
static void check_build(const struct tv_file *tv, enum dot11xdp_engine last_engine)
{
	for (enum dot11xdp_engine e = DOT11XDP_ENGINE_TABLE; e <= last_engine; e++) {
		check_vector(tv, "M.11.1 GCMP test mpdu #1", DOT11XDP_CIPHER_GCMP, e);
		check_vector(tv, "M.11.1 GCMP test mpdu #2", DOT11XDP_CIPHER_GCMP, e);
		check_vector(tv, "M.11.1 GCMP-256 test vector", DOT11XDP_CIPHER_GCMP_256, e);
		check_global(tv, "M.11.1 GCMP test mpdu #2", e);
		check_global(tv, "M.11.1 GCMP-256 test vector", e);
		check_refusals(e);
		check_openssl(e);
	}
	report_costs(last_engine);
	set_key_for(DOT11XDP_CIPHER_GCMP, (const uint8_t[16]){ 0 }, 16, DOT11XDP_ENGINE_TABLE);
}

int main(void)
{
	const char *seed = getenv("TEST_SEED");
	struct test_gcm_loop_bpf *skel_loop;
	struct test_gcm_bpf *skel;
	struct gcm_build loop_build, main_build;
	struct tv_file tv;
	int err;

	test_require_root();
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	rng_state = seed ? strtoull(seed, NULL, 0) : 0x6c3d0a11;
	printf("# random cases from seed 0x%llx (TEST_SEED= to change)\n",
	       (unsigned long long)rng_state);
	err = tv_load(test_data_path("ieee80211-cipher-vectors.txt"), &tv);
	if (err)
		test_fatal("loading the IEEE vectors: %s", strerror(-err));

	/* The build for kernels without may_goto (or the kfuncs): the table engine alone. */
	skel_loop = test_gcm_loop_bpf__open_and_load();
	if (!test_check(skel_loop != NULL, "bpf_loop: the GCM test programs pass the verifier"))
		test_fatal("loading bpf/test_gcm_loop.bpf.c: %s", strerror(errno));
	loop_build = GCM_BUILD(skel_loop, "bpf_loop");
	test_check(count_may_goto(loop_build.op[TEST_GCM_DECRYPT]) == 0 &&
			   count_may_goto(loop_build.op[TEST_GCM_ENCRYPT]) == 0 &&
			   count_may_goto(loop_build.op[TEST_GCM_GHASH]) == 0 &&
			   count_may_goto(loop_build.global) == 0,
		   "bpf_loop: the fallback build has no may_goto instruction (loads before 6.9)");
	build = &loop_build;
	check_build(&tv, DOT11XDP_ENGINE_TABLE);
	test_gcm_loop_bpf__destroy(skel_loop);

	/* The default build: may_goto loops, both engines. */
	if (!test_ok(dot11xdp_kfunc_engine_available(), "probe: the kfunc engine is available"))
		test_fatal("this kernel lacks the BPF crypto kfuncs or ecb(aes)/cbc(aes) (6.10+ needed)");
	skel = test_gcm_bpf__open();
	if (!skel)
		test_fatal("opening test_gcm: %s", strerror(errno));
	/* A private context map: pinning by name would share it with whatever else runs. */
	bpf_map__set_pin_path(skel->maps.dot11xdp_crypto, NULL);
	err = test_gcm_bpf__load(skel);
	if (!test_check(err == 0, "may_goto: the GCM test programs pass the verifier"))
		test_fatal("loading bpf/test_gcm.bpf.c: %s", strerror(-err));
	main_build = GCM_BUILD(skel, "may_goto");
	test_check(count_may_goto(main_build.op[TEST_GCM_GHASH]) > 0,
		   "may_goto: the default build loops with may_goto");
	build = &main_build;
	check_build(&tv, DOT11XDP_ENGINE_KFUNC);

	tv_free(&tv);
	/* Contexts left in the map die with it. */
	test_gcm_bpf__destroy(skel);
	return test_done();
}
