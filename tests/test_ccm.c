// SPDX-License-Identifier: GPL-2.0
/*
 * The CCM core (bpf/lib/ccm.h over the table AES engine) on its own, run in the kernel with
 * BPF_PROG_TEST_RUN through bpf/test_ccm.bpf.c: the IEEE 802.11 CCMP vectors byte for byte,
 * single-bit forgeries, argument refusals, and OpenSSL's AES-CCM as an independent oracle
 * over random keys, nonces, AADs and every body length that matters. Everything runs twice:
 * with the may_goto loops of kernels 6.9+ and with the bpf_loop() ones of older kernels
 * (bpf/test_ccm_loop.bpf.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <openssl/evp.h>

#include "material.h"
#include "test_ccm.skel.h"
#include "test_ccm_loop.skel.h"
#include "testlib.h"
#include "../bpf/test_ccm.h"

/* bpf/lib/work.h: the payload buffer of the data path. */
#define BODY_MAX 2336
#define AAD_MAX 30

/* One build of the test program, and the prefix of its checks' names. */
struct ccm_build {
	const char *name;
	struct bpf_program *prog;
	struct bpf_map *key_map;
};
static const struct ccm_build *build;

struct ccm_case {
	const uint8_t *tk;
	size_t tk_len;
	const uint8_t *nonce; /* 13 bytes */
	const uint8_t *aad;
	size_t aad_len;
	size_t mic_len;
};

static void set_key(const uint8_t *tk, size_t tk_len)
{
	struct dot11xdp_key key = {};
	__u32 zero = 0;
	int err;

	err = dot11xdp_material_prepare_aes(&key, tk, tk_len, DOT11XDP_ENGINE_TABLE);
	if (err)
		test_fatal("dot11xdp_material_prepare_aes: %s", strerror(-err));
	err = bpf_map__update_elem(build->key_map, &zero, sizeof(zero), &key, sizeof(key), 0);
	if (err)
		test_fatal("updating test_ccm_key: %s", strerror(-err));
}

/* Overwrite one field of the installed key (to test refusals of a bad key). */
static void patch_key(__u8 tk_len, __u8 engine)
{
	struct dot11xdp_key key;
	__u32 zero = 0;

	if (bpf_map__lookup_elem(build->key_map, &zero, sizeof(zero), &key, sizeof(key), 0))
		test_fatal("reading test_ccm_key");
	key.tk_len = tk_len;
	key.engine = engine;
	if (bpf_map__update_elem(build->key_map, &zero, sizeof(zero), &key, sizeof(key), 0))
		test_fatal("updating test_ccm_key");
}

/*
 * Run one request. in/len: the body (ciphertext + MIC, or plaintext); out receives the
 * plaintext or ciphertext + MIC when the result is 0. Returns the program's CCM result.
 */
static int ccm_run(__u32 op, const struct ccm_case *c, const uint8_t *in, size_t len,
		   uint8_t *out, size_t *out_len)
{
	static uint8_t pkt[sizeof(struct test_ccm_request) + BODY_MAX + 64];
	static uint8_t pkt_out[sizeof(pkt)];
	struct test_ccm_request req = {
		.op = op,
		.len = len,
		.aad_len = c->aad_len,
		.mic_len = c->mic_len,
		.result = 0x7eadbeef,
	};
	size_t body_room = len + (op == TEST_CCM_ENCRYPT ? c->mic_len : 0);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_out = pkt_out,
		    .data_size_out = sizeof(pkt_out), .repeat = 1);
	int err;

	if (sizeof(req) + body_room > sizeof(pkt))
		test_fatal("request of %zu bytes too long for the test buffer", len);
	memcpy(req.aad, c->aad, c->aad_len > AAD_MAX ? AAD_MAX : c->aad_len);
	memcpy(req.nonce, c->nonce, 13);
	memset(pkt, 0, sizeof(pkt));
	memcpy(pkt, &req, sizeof(req));
	if (len)
		memcpy(pkt + sizeof(req), in, len);
	opts.data_size_in = sizeof(req) + body_room;
	err = bpf_prog_test_run_opts(bpf_program__fd(build->prog), &opts);
	if (err)
		test_fatal("BPF_PROG_TEST_RUN: %s", strerror(errno));
	if (opts.retval != XDP_PASS)
		test_fatal("test program returned %u, not XDP_PASS", opts.retval);
	memcpy(&req, pkt_out, sizeof(req));
	if (req.result == 0x7eadbeef)
		test_fatal("test program left the result unset");
	if (!req.result && out) {
		*out_len = op == TEST_CCM_ENCRYPT ? len + c->mic_len : len - c->mic_len;
		memcpy(out, pkt_out + sizeof(req), *out_len);
	}
	return req.result;
}

/* OpenSSL's AES-CCM (L = 2): ciphertext then MIC into out. */
static void openssl_ccm_encrypt(const struct ccm_case *c, const uint8_t *pt, size_t len,
				uint8_t *out)
{
	const EVP_CIPHER *cipher = c->tk_len == 16 ? EVP_aes_128_ccm() : EVP_aes_256_ccm();
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t dummy = 0;
	int n, ok;

	ok = ctx && EVP_EncryptInit_ex(ctx, cipher, NULL, NULL, NULL) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, 13, NULL) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, c->mic_len, NULL) &&
	     EVP_EncryptInit_ex(ctx, NULL, NULL, c->tk, c->nonce) &&
	     EVP_EncryptUpdate(ctx, NULL, &n, NULL, len) &&
	     (!c->aad_len || EVP_EncryptUpdate(ctx, NULL, &n, c->aad, c->aad_len)) &&
	     EVP_EncryptUpdate(ctx, out, &n, len ? pt : &dummy, len) &&
	     EVP_EncryptFinal_ex(ctx, out + len, &n) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, c->mic_len, out + len);
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		test_fatal("OpenSSL AES-CCM encryption failed");
}

static const struct tv_field *need_field(const struct tv_section *s, const char *name)
{
	const struct tv_field *f = tv_field(s, name);

	if (!f)
		test_fatal("vector \"%s\" has no field \"%s\"", s->title, name);
	return f;
}

/* Single-bit flips of every bit of buf (ciphertext/MIC, AAD or nonce): each must fail. */
static void check_flips(const char *vector, const char *what, struct ccm_case *c,
			uint8_t *body, size_t len, uint8_t *buf, size_t buf_len)
{
	unsigned int accepted = 0, flips = 0;

	for (size_t i = 0; i < buf_len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			buf[i] ^= 1 << bit;
			if (ccm_run(TEST_CCM_DECRYPT, c, body, len, NULL, NULL) != -1)
				accepted++;
			buf[i] ^= 1 << bit;
			flips++;
		}
	}
	test_check(accepted == 0, "%s: every one of %u single-bit flips in the %s is refused",
		   vector, flips, what);
}

static void check_vector(const struct tv_file *tv, const char *vector, const char *aad_name,
			 const char *nonce_name, const char *ct_name)
{
	const struct tv_section *s = tv_find(tv, vector, 0);
	char title[128];
	uint8_t body[BODY_MAX], out[BODY_MAX], want[BODY_MAX], aad[AAD_MAX], nonce[13];
	const struct tv_field *tk, *pt, *ct, *mic, *fa, *fn;
	struct ccm_case c;
	size_t out_len = 0, len;
	int ret;

	if (!s)
		test_fatal("vector \"%s\" not found", vector);
	snprintf(title, sizeof(title), "%s: %s", build->name, vector);
	tk = need_field(s, "TK");
	pt = need_field(s, "Plaintext Data");
	ct = need_field(s, ct_name);
	mic = need_field(s, "CCM U");
	fa = need_field(s, aad_name);
	fn = need_field(s, nonce_name);
	if (fn->len != 13 || fa->len > AAD_MAX || ct->len != pt->len)
		test_fatal("vector \"%s\": unexpected field lengths", title);
	memcpy(aad, fa->data, fa->len);
	memcpy(nonce, fn->data, 13);
	c = (struct ccm_case){ tk->data, tk->len, nonce, aad, fa->len, mic->len };
	set_key(tk->data, tk->len);

	memcpy(want, ct->data, ct->len);
	memcpy(want + ct->len, mic->data, mic->len);
	len = ct->len + mic->len;

	ret = ccm_run(TEST_CCM_ENCRYPT, &c, pt->data, pt->len, out, &out_len);
	test_check(ret == 0, "%s: ccm_encrypt succeeds", title);
	if (!ret)
		test_bytes_eq(out, out_len, want, len, "%s: ccm_encrypt gives %s + CCM U", title,
			      ct_name);

	memcpy(body, want, len);
	ret = ccm_run(TEST_CCM_DECRYPT, &c, body, len, out, &out_len);
	test_check(ret == 0, "%s: ccm_decrypt verifies the MIC", title);
	if (!ret)
		test_bytes_eq(out, out_len, pt->data, pt->len, "%s: ccm_decrypt gives the plaintext",
			      title);

	check_flips(title, "ciphertext", &c, body, len, body, ct->len);
	check_flips(title, "MIC", &c, body, len, body + ct->len, mic->len);
	check_flips(title, "AAD", &c, body, len, aad, fa->len);
	check_flips(title, "nonce", &c, body, len, nonce, 13);

	/* Another key: the MIC must fail (and the right key still work afterwards). */
	{
		uint8_t wrong[32];

		memcpy(wrong, tk->data, tk->len);
		wrong[tk->len - 1] ^= 0x80;
		set_key(wrong, tk->len);
		test_check(ccm_run(TEST_CCM_DECRYPT, &c, body, len, NULL, NULL) == -1,
			   "%s: a key differing in one bit fails the MIC", title);
		set_key(tk->data, tk->len);
	}
	/* The AAD the vector lists, cut short by one byte, is another AAD. */
	c.aad_len--;
	test_check(ccm_run(TEST_CCM_DECRYPT, &c, body, len, NULL, NULL) == -1,
		   "%s: the AAD one byte shorter fails the MIC", title);
}

static void check_refusals(void)
{
	static const uint8_t tk[16] = { 1, 2, 3 }, nonce[13] = { 4 }, aad[AAD_MAX + 2] = { 5 };
	uint8_t body[BODY_MAX + 64] = { 0 }, out[BODY_MAX + 64];
	struct ccm_case c = { tk, 16, nonce, aad, 22, 8 };
	size_t out_len;

	set_key(tk, 16);
	/* A valid pair to start from, so the refusals below are due to the one change each. */
	if (ccm_run(TEST_CCM_ENCRYPT, &c, body, 40, out, &out_len) ||
	    ccm_run(TEST_CCM_DECRYPT, &c, out, out_len, body, &out_len))
		test_fatal("a valid CCM round trip failed");

	c.mic_len = 4;
	test_check(ccm_run(TEST_CCM_ENCRYPT, &c, body, 40, NULL, NULL) == -1,
		   "%s: ccm_encrypt refuses a 4-byte MIC", build->name);
	c.mic_len = 12;
	test_check(ccm_run(TEST_CCM_DECRYPT, &c, out, 48, NULL, NULL) == -1,
		   "%s: ccm_decrypt refuses a 12-byte MIC", build->name);
	c.mic_len = 8;
	c.aad_len = AAD_MAX + 1;
	test_check(ccm_run(TEST_CCM_ENCRYPT, &c, body, 40, NULL, NULL) == -1 &&
			   ccm_run(TEST_CCM_DECRYPT, &c, out, 48, NULL, NULL) == -1,
		   "%s: ccm_encrypt and ccm_decrypt refuse a 31-byte AAD", build->name);
	c.aad_len = 22;
	test_check(ccm_run(TEST_CCM_DECRYPT, &c, out, 7, NULL, NULL) == -1 &&
			   ccm_run(TEST_CCM_DECRYPT, &c, out, 0, NULL, NULL) == -1,
		   "%s: ccm_decrypt refuses a body shorter than the MIC", build->name);
	test_check(ccm_run(TEST_CCM_DECRYPT, &c, body, BODY_MAX + 1, NULL, NULL) == -1,
		   "%s: ccm_decrypt refuses a body longer than DOT11XDP_BODY_MAX", build->name);
	test_check(ccm_run(TEST_CCM_ENCRYPT, &c, body, BODY_MAX - 8 + 1, NULL, NULL) == -1,
		   "%s: ccm_encrypt refuses a plaintext whose MIC would not fit body",
		   build->name);
	c.mic_len = 16;
	test_check(ccm_run(TEST_CCM_ENCRYPT, &c, body, BODY_MAX - 16 + 1, NULL, NULL) == -1,
		   "%s: ccm_encrypt refuses a plaintext whose 16-byte MIC would not fit body",
		   build->name);
	c.mic_len = 8;

	patch_key(24, DOT11XDP_ENGINE_TABLE);
	test_check(ccm_run(TEST_CCM_ENCRYPT, &c, body, 40, NULL, NULL) == -1 &&
			   ccm_run(TEST_CCM_DECRYPT, &c, out, 48, NULL, NULL) == -1,
		   "%s: a key whose tk_len is neither 16 nor 32 is refused", build->name);
	patch_key(16, DOT11XDP_ENGINE_KFUNC);
	test_check(ccm_run(TEST_CCM_ENCRYPT, &c, body, 40, NULL, NULL) == -1 &&
			   ccm_run(TEST_CCM_DECRYPT, &c, out, 48, NULL, NULL) == -1,
		   "%s: a key prepared for an engine this build lacks is refused", build->name);
	patch_key(16, 0);
	test_check(ccm_run(TEST_CCM_DECRYPT, &c, out, 48, NULL, NULL) == -1,
		   "%s: a key with no engine is refused", build->name);
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

static void check_openssl(void)
{
	uint8_t tk[32], nonce[13], aad[AAD_MAX], pt[BODY_MAX], want[BODY_MAX + 16];
	uint8_t got[BODY_MAX + 16];
	unsigned int cases = 0, enc_bad = 0, dec_bad = 0, forged = 0;
	size_t lengths[256], nlen = 0, got_len;
	const char *seed = getenv("TEST_SEED");

	rng_state = seed ? strtoull(seed, NULL, 0) : 0x0d0711cc3;
	printf("# random cases from seed 0x%llx (TEST_SEED= to change)\n",
	       (unsigned long long)rng_state);
	for (size_t len = 0; len <= 64; len++)
		lengths[nlen++] = len;
	for (size_t len = 65; len < 2304; len += 29 + len / 16)
		lengths[nlen++] = len;
	lengths[nlen++] = 1500;
	lengths[nlen++] = 2303;
	lengths[nlen++] = 2304;
	lengths[nlen++] = BODY_MAX - 16; /* body full with a 16-byte MIC */
	lengths[nlen++] = BODY_MAX - 8;	 /* body full with an 8-byte MIC */

	for (size_t i = 0; i < nlen; i++) {
		size_t len = lengths[i];
		uint64_t r = rng();
		/* Mostly the CCMP pairs (16-byte TK + 8-byte MIC, 32 + 16), sometimes crossed. */
		size_t tk_len = r & 1 ? 32 : 16;
		size_t mic_len = (r >> 1) % 4 == 0 ? 24 - tk_len / 2 : tk_len / 2;
		/* Mostly CCMP's 22..30, sometimes any length the core takes. */
		size_t aad_len = (r >> 8) % 4 == 0 ? (r >> 16) % (AAD_MAX + 1) : 22 + (r >> 16) % 9;
		struct ccm_case c = { tk, tk_len, nonce, aad, aad_len, mic_len };

		if (len + mic_len > BODY_MAX)
			mic_len = c.mic_len = 8;
		rng_fill(tk, sizeof(tk));
		rng_fill(nonce, sizeof(nonce));
		rng_fill(aad, sizeof(aad));
		rng_fill(pt, len);
		set_key(tk, tk_len);
		openssl_ccm_encrypt(&c, pt, len, want);
		cases++;

		if (ccm_run(TEST_CCM_ENCRYPT, &c, pt, len, got, &got_len) ||
		    got_len != len + mic_len || memcmp(got, want, got_len)) {
			if (enc_bad++ < 5)
				printf("# encrypt differs from OpenSSL: len %zu, TK %zu, MIC %zu, AAD %zu\n",
				       len, tk_len, mic_len, aad_len);
		}
		if (ccm_run(TEST_CCM_DECRYPT, &c, want, len + mic_len, got, &got_len) ||
		    got_len != len || memcmp(got, pt, len)) {
			if (dec_bad++ < 5)
				printf("# decrypt of OpenSSL's output failed: len %zu, TK %zu, MIC %zu, AAD %zu\n",
				       len, tk_len, mic_len, aad_len);
		}
		want[(r >> 24) % (len + mic_len)] ^= 1 << ((r >> 40) & 7);
		if (ccm_run(TEST_CCM_DECRYPT, &c, want, len + mic_len, NULL, NULL) != -1) {
			if (forged++ < 5)
				printf("# a one-bit forgery verified: len %zu\n", len);
		}
	}
	test_check(enc_bad == 0, "%s: ccm_encrypt equals OpenSSL AES-CCM in all %u random cases "
		   "(body lengths 0..64 and up to %d)", build->name, cases, BODY_MAX - 8);
	test_check(dec_bad == 0,
		   "%s: ccm_decrypt recovers the plaintext of OpenSSL's output in all %u cases",
		   build->name, cases);
	test_check(forged == 0,
		   "%s: ccm_decrypt refuses a one-bit forgery of OpenSSL's output in all %u cases",
		   build->name, cases);
}

/* Verifier cost and a rough speed figure: printed for the record, not asserted. */
static void report_costs(void)
{
	static const uint8_t tk[16] = { 9 }, nonce[13] = { 8 }, aad[AAD_MAX] = { 7 };
	static uint8_t pkt[sizeof(struct test_ccm_request) + 1500 + 8];
	struct ccm_case c = { tk, 16, nonce, aad, 22, 8 };
	struct test_ccm_request *req = (void *)pkt;
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info);
	size_t out_len;
	int fd = bpf_program__fd(build->prog);

	if (!bpf_obj_get_info_by_fd(fd, &info, &info_len))
		printf("# %s: the verifier processed %u instructions for xdp_test_ccm\n", build->name,
		       info.verified_insns);

	set_key(tk, 16);
	if (ccm_run(TEST_CCM_ENCRYPT, &c, pkt + sizeof(*req), 1500, pkt + sizeof(*req), &out_len))
		test_fatal("encrypting the timing frame failed");
	for (int op = TEST_CCM_DECRYPT; op <= TEST_CCM_ENCRYPT; op++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt),
			    .repeat = 20000);

		*req = (struct test_ccm_request){ .op = op, .flags = TEST_CCM_NO_STORE,
						  .len = op == TEST_CCM_DECRYPT ? 1508 : 1500,
						  .aad_len = 22, .mic_len = 8 };
		memcpy(req->nonce, nonce, 13);
		if (!bpf_prog_test_run_opts(fd, &opts))
			printf("# %s: %s of a 1500-byte payload (CCMP-128): %u ns per frame, %.0f MB/s\n",
			       build->name, op == TEST_CCM_DECRYPT ? "ccm_decrypt" : "ccm_encrypt",
			       opts.duration,
			       opts.duration ? 1500.0 * 1000 / opts.duration : 0);
	}
}

/* may_goto's opcode (BPF_JMP | BPF_JCOND), newer than Debian 12's uapi headers. */
#define INSN_MAY_GOTO (BPF_JMP | 0xe0)

/* may_goto instructions in a loaded program (subprograms included). */
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

static void check_build(const struct tv_file *tv, const struct ccm_build *b)
{
	build = b;
	check_vector(tv, "M.6.4 CCMP test vector", "CCMP AAD", "CCM Nonce", "CCMP encrypted");
	check_vector(tv, "M.9.2 CCMP with unicast Deauthentication", "CCMP AAD", "CCM Nonce",
		     "CCMP encrypted");
	check_vector(tv, "M.6.4 CCMP-256 test vector", "CCMP-256 AAD", "CCMP-256 nonce",
		     "CCMP-256 encrypted");
	check_refusals();
	check_openssl();
	report_costs();
}

int main(void)
{
	struct test_ccm_loop_bpf *skel_loop;
	struct test_ccm_bpf *skel;
	struct tv_file tv;
	int err;

	test_require_root();
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	skel = test_ccm_bpf__open_and_load();
	if (!test_check(skel != NULL, "may_goto: the CCM test program passes the verifier"))
		test_fatal("loading bpf/test_ccm.bpf.c: %s", strerror(errno));
	skel_loop = test_ccm_loop_bpf__open_and_load();
	if (!test_check(skel_loop != NULL, "bpf_loop: the CCM test program passes the verifier"))
		test_fatal("loading bpf/test_ccm_loop.bpf.c: %s", strerror(errno));
	/* The fallback is for kernels that refuse may_goto: it must not contain one. */
	test_check(count_may_goto(skel->progs.xdp_test_ccm) > 0,
		   "may_goto: the default build loops with may_goto");
	test_check(count_may_goto(skel_loop->progs.xdp_test_ccm) == 0,
		   "bpf_loop: the fallback build has no may_goto instruction (loads before 6.9)");

	err = tv_load(test_data_path("ieee80211-cipher-vectors.txt"), &tv);
	if (err)
		test_fatal("loading the IEEE vectors: %s", strerror(-err));
	check_build(&tv, &(struct ccm_build){ "may_goto", skel->progs.xdp_test_ccm,
					      skel->maps.test_ccm_key });
	check_build(&tv, &(struct ccm_build){ "bpf_loop", skel_loop->progs.xdp_test_ccm,
					      skel_loop->maps.test_ccm_key });
	tv_free(&tv);

	test_ccm_loop_bpf__destroy(skel_loop);
	test_ccm_bpf__destroy(skel);
	return test_done();
}
