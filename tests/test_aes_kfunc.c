// SPDX-License-Identifier: GPL-2.0
/*
 * The kfunc AES engine (bpf/lib/aes_kfunc.h behind aes.h, bpf/lib/crypto_ctx.h,
 * loader/lib/crypto_ctx.c) in the real kernel, through bpf/test_kfunc.bpf.c and
 * BPF_PROG_TEST_RUN: CTR and CBC-MAC over 1..149 blocks with 16- and 32-byte keys against
 * OpenSSL's AES-ECB/CBC, the CCM core on this engine against the IEEE CCMP vectors and
 * OpenSSL's AES-CCM, refusals, context creation, replacement and release (counted through
 * /proc/crypto), replacement while another CPU runs the program. Ends with timings,
 * reported and not asserted.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "crypto_ctx.h"
#include "test_kfunc.skel.h"
#include "testlib.h"
#include "../bpf/test_kfunc.h"

/* bpf/lib/work.h and aes_kfunc.h: body, ccm_head, the largest bulk op. */
#define BLOCK 16
#define BODY_MAX 2336
#define HEAD_BLOCKS 3
#define BLOCKS_MAX (HEAD_BLOCKS + BODY_MAX / BLOCK)
#define DATA_MAX (BLOCKS_MAX * BLOCK)

static struct test_kfunc_bpf *skel;

/*
 * Run one request with in (req->len bytes) after the header; out gets the data area back.
 * repeat > 1 times it; *duration gets the mean ns per run. Returns req->result.
 */
static int run(struct test_kfunc_request *req, const void *in, void *out, int repeat,
	       __u32 *duration)
{
	static __u8 pkt[sizeof(*req) + DATA_MAX + 64], pkt_out[sizeof(pkt)];
	size_t pkt_len = sizeof(*req) + (req->len > DATA_MAX + 64 ? DATA_MAX + 64 : req->len);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_out = pkt_out,
		    .data_size_in = pkt_len, .data_size_out = sizeof(pkt_out), .repeat = repeat);

	/* CCM encrypt returns the MIC after the data: leave room for it. */
	if (req->op == TEST_KFUNC_CCM_ENCRYPT)
		opts.data_size_in = pkt_len + 16;
	memset(pkt, 0, sizeof(pkt));
	memcpy(pkt, req, sizeof(*req));
	if (in)
		memcpy(pkt + sizeof(*req), in, pkt_len - sizeof(*req));
	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xdp_test_kfunc), &opts))
		test_fatal("BPF_PROG_TEST_RUN: %s", strerror(errno));
	if (opts.retval != XDP_PASS)
		test_fatal("test program returned %u", opts.retval);
	memcpy(req, pkt_out, sizeof(*req));
	if (out)
		memcpy(out, pkt_out + sizeof(*req), opts.data_size_out - sizeof(*req));
	if (duration)
		*duration = opts.duration;
	return req->result;
}

static void random_bytes(void *buf, int len)
{
	if (len && RAND_bytes(buf, len) != 1)
		test_fatal("RAND_bytes failed");
}

static unsigned int random_below(unsigned int n)
{
	unsigned int r;

	random_bytes(&r, sizeof(r));
	return r % n;
}

/* OpenSSL's AES-ECB of len bytes, or the last block of AES-CBC with a zero IV. */
static void openssl_aes(bool cbc, const __u8 *key, int key_len, const __u8 *in, int len, __u8 *out)
{
	static const __u8 zero_iv[BLOCK];
	__u8 buf[DATA_MAX];
	const EVP_CIPHER *cipher;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0;

	if (cbc)
		cipher = key_len == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
	else
		cipher = key_len == 16 ? EVP_aes_128_ecb() : EVP_aes_256_ecb();
	if (!c || !EVP_EncryptInit_ex(c, cipher, NULL, key, cbc ? zero_iv : NULL) ||
	    !EVP_CIPHER_CTX_set_padding(c, 0) || !EVP_EncryptUpdate(c, buf, &n, in, len) ||
	    n != len)
		test_fatal("OpenSSL AES failed");
	EVP_CIPHER_CTX_free(c);
	if (cbc)
		memcpy(out, buf + len - BLOCK, BLOCK);
	else
		memcpy(out, buf, len);
}

/* OpenSSL's AES-CCM (L = 2, 13-byte nonce): ciphertext then the mic_len-byte MIC. */
static void openssl_ccm(const __u8 *key, int key_len, const __u8 *nonce, const __u8 *aad,
			int aad_len, const __u8 *pt, int len, int mic_len, __u8 *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0;

	if (!c ||
	    !EVP_EncryptInit_ex(c, key_len == 16 ? EVP_aes_128_ccm() : EVP_aes_256_ccm(), NULL,
				NULL, NULL) ||
	    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_CCM_SET_IVLEN, 13, NULL) ||
	    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_CCM_SET_TAG, mic_len, NULL) ||
	    !EVP_EncryptInit_ex(c, NULL, NULL, key, nonce) ||
	    !EVP_EncryptUpdate(c, NULL, &n, NULL, len) ||
	    !EVP_EncryptUpdate(c, NULL, &n, aad, aad_len) ||
	    !EVP_EncryptUpdate(c, out, &n, pt, len) || !EVP_EncryptFinal_ex(c, out + n, &n) ||
	    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_CCM_GET_TAG, mic_len, out + len))
		test_fatal("OpenSSL AES-CCM failed");
	EVP_CIPHER_CTX_free(c);
}

static void create_or_die(__u64 generation, const __u8 *tk, unsigned int len)
{
	int err = dot11xdp_crypto_ctx__create(skel->obj, generation, tk, len);

	if (err)
		test_fatal("creating contexts: %s", strerror(-err));
}

/* Replace test_kfunc_key element slot whole, as the key API replaces a dot11xdp_keys element. */
static void publish_key(__u32 slot, __u64 generation, unsigned int tk_len)
{
	struct dot11xdp_key key = {
		.cipher = tk_len == 16 ? DOT11XDP_CIPHER_CCMP : DOT11XDP_CIPHER_CCMP_256,
		.tk_len = tk_len,
		.engine = DOT11XDP_ENGINE_KFUNC,
		.generation = generation,
	};

	if (bpf_map__update_elem(skel->maps.test_kfunc_key, &slot, sizeof(slot), &key, sizeof(key),
				 0))
		test_fatal("updating test_kfunc_key: %s", strerror(errno));
}

/* Contexts for generation with tk, published as the key. */
static void install_key(__u64 generation, const __u8 *tk, unsigned int tk_len)
{
	create_or_die(generation, tk, tk_len);
	publish_key(0, generation, tk_len);
}


/* Released contexts are freed after an RCU grace period: wait for the count to get there. */
static bool refcnt_settles(const char *name, long want)
{
	for (int i = 0; i < 500; i++) {
		if (test_crypto_refcnt(name) == want)
			return true;
		usleep(10000);
	}
	printf("#   %s refcnt %ld, want %ld\n", name, test_crypto_refcnt(name), want);
	return false;
}

/* The count once earlier releases (the probe's) have been freed: unchanged for 0.5 s. */
static long settled_refcnt(const char *name)
{
	long last = test_crypto_refcnt(name), now;

	for (int still = 0; still < 50; still++) {
		usleep(10000);
		now = test_crypto_refcnt(name);
		if (now != last)
			still = 0;
		last = now;
	}
	return last;
}

static long ecb_base, cbc_base;

static bool all_freed(void)
{
	return refcnt_settles("ecb(aes)", ecb_base) && refcnt_settles("cbc(aes)", cbc_base);
}

/* A run of n blocks, spanning ccm_head and body in as many ways as its length allows. */
static __u32 head_for(__u32 n)
{
	return n > BODY_MAX / BLOCK ? HEAD_BLOCKS : n % (HEAD_BLOCKS + 1);
}

static void check_ctr_and_cbc(unsigned int key_len, __u64 generation)
{
	static __u8 in[DATA_MAX], got[DATA_MAX + 64], want[DATA_MAX], counters[DATA_MAX];
	int bad_ctr = 0, bad_cbc = 0, bad_keep = 0, bits = key_len * 8;
	struct test_kfunc_request req;
	__u8 tk[32];

	random_bytes(tk, sizeof(tk));
	install_key(generation, tk, key_len);
	for (__u32 n = 1; n <= BLOCKS_MAX; n++) {
		__u32 len = n * BLOCK;
		__u8 first;
		int err;

		random_bytes(in, len);
		req = (struct test_kfunc_request){ .op = TEST_KFUNC_CTR_XOR, .len = len,
						   .head = head_for(n), .nblocks = n };
		random_bytes(req.ctr, sizeof(req.ctr));
		first = req.ctr[15] = random_below(256 - n + 1);
		for (__u32 i = 0; i < n; i++) {
			memcpy(counters + i * BLOCK, req.ctr, BLOCK);
			counters[i * BLOCK + 15] = first + i;
		}
		err = run(&req, in, got, 1, NULL);
		openssl_aes(false, tk, key_len, counters, len, want);
		for (__u32 i = 0; i < len; i++)
			want[i] ^= in[i];
		if (err || memcmp(got, want, len)) {
			if (!bad_ctr++)
				printf("#   CTR over %u blocks: result %d or output differs\n", n, err);
		}

		req = (struct test_kfunc_request){ .op = TEST_KFUNC_CBC_MAC, .len = len,
						   .head = head_for(n), .nblocks = n };
		err = run(&req, in, got, 1, NULL);
		openssl_aes(true, tk, key_len, in, len, want);
		if (err || memcmp(req.mac, want, BLOCK)) {
			if (!bad_cbc++)
				printf("#   CBC-MAC over %u blocks: result %d or MAC differs\n", n, err);
		}
		bad_keep += memcmp(got, in, len) != 0;
	}
	test_ok(!bad_ctr, "CTR over 1..%d blocks, AES-%d, is OpenSSL's ECB of the counters XOR the data (%d wrong)",
		BLOCKS_MAX, bits, bad_ctr);
	test_ok(!bad_cbc, "CBC-MAC over 1..%d blocks, AES-%d, is OpenSSL's last CBC block (%d wrong)",
		BLOCKS_MAX, bits, bad_cbc);
	test_ok(!bad_keep, "CBC-MAC, AES-%d, leaves its input as it was", bits);
}

/* Operations the engine must refuse (-1) without touching the data, and the empty ones. */
static void check_op_refusals(void)
{
	static __u8 in[4 * BLOCK], got[4 * BLOCK + 64];
	static const __u8 zero[BLOCK];
	struct test_kfunc_request req;
	int err;

	random_bytes(in, sizeof(in));
	req = (struct test_kfunc_request){ .op = TEST_KFUNC_CTR_XOR, .len = sizeof(in),
					   .nblocks = 4 };
	req.ctr[15] = 253;
	err = run(&req, in, got, 1, NULL);
	test_check(err == -1 && !memcmp(got, in, sizeof(in)),
		   "CTR whose one-byte counter would wrap is refused, data untouched (got %d)", err);

	req = (struct test_kfunc_request){ .op = TEST_KFUNC_CTR_XOR, .len = sizeof(in),
					   .nblocks = BLOCKS_MAX + 1 };
	err = run(&req, in, got, 1, NULL);
	test_check(err == -1 && !memcmp(got, in, sizeof(in)),
		   "CTR over %d blocks (more than the scratch holds) is refused (got %d)",
		   BLOCKS_MAX + 1, err);
	req = (struct test_kfunc_request){ .op = TEST_KFUNC_CBC_MAC, .len = sizeof(in),
					   .nblocks = BLOCKS_MAX + 1 };
	err = run(&req, in, got, 1, NULL);
	test_check(err == -1, "CBC-MAC over %d blocks is refused (got %d)", BLOCKS_MAX + 1, err);

	/* Regions reaching past the work buffer (~5.3 KB): CTR checks them, CBC-MAC leaves it to the kernel. */
	for (__u32 extra = 8000; extra <= 1u << 31; extra *= 8) {
		req = (struct test_kfunc_request){ .op = TEST_KFUNC_CTR_XOR, .len = sizeof(in),
						   .nblocks = 4, .off_extra = extra };
		err = run(&req, in, got, 1, NULL);
		test_check(err == -1 && !memcmp(got, in, sizeof(in)),
			   "CTR at %u bytes past the data is refused (got %d)", extra, err);
		req = (struct test_kfunc_request){ .op = TEST_KFUNC_CBC_MAC, .len = sizeof(in),
						   .nblocks = 4, .off_extra = extra };
		err = run(&req, in, got, 1, NULL);
		test_check(err == -1, "CBC-MAC at %u bytes past the data is refused (got %d)", extra,
			   err);
	}

	req = (struct test_kfunc_request){ .op = TEST_KFUNC_CTR_XOR, .len = sizeof(in) };
	err = run(&req, in, got, 1, NULL);
	test_check(err == 0 && !memcmp(got, in, sizeof(in)), "CTR over 0 blocks does nothing");
	req = (struct test_kfunc_request){ .op = TEST_KFUNC_CTR_XOR, .len = sizeof(in),
					   .nblocks = 4, .key_slot = 1 };
	publish_key(1, 2, 24);
	err = run(&req, in, got, 1, NULL);
	test_check(err == -EKEYREJECTED, "aes_begin refuses a key of 24 bytes (got %d)", err);
	req = (struct test_kfunc_request){ .op = TEST_KFUNC_CBC_MAC, .len = sizeof(in) };
	memset(req.mac, 0xa5, sizeof(req.mac));
	err = run(&req, in, got, 1, NULL);
	test_check(err == 0 && !memcmp(req.mac, zero, BLOCK),
		   "CBC-MAC over 0 blocks is the zero IV, as on the table engine");
}

/* One IEEE vector through ccm_encrypt and ccm_decrypt on this engine. */
static void check_ccm_vector(const struct tv_file *tv, const char *title, const char *aad_name,
			     const char *nonce_name, const char *ct_name, __u64 generation)
{
	const struct tv_section *s = tv_find(tv, title, 0);
	const struct tv_field *tk, *pt, *ct, *mic, *aad, *nonce;
	__u8 in[BODY_MAX], got[BODY_MAX + 64], want[BODY_MAX];
	struct test_kfunc_request req;
	int err;

	if (!s)
		test_fatal("no vector \"%s\"", title);
	tk = tv_field(s, "TK");
	pt = tv_field(s, "Plaintext Data");
	ct = tv_field(s, ct_name);
	mic = tv_field(s, "CCM U");
	aad = tv_field(s, aad_name);
	nonce = tv_field(s, nonce_name);
	if (!tk || !pt || !ct || !mic || !aad || !nonce || nonce->len != 13 || aad->len > 30)
		test_fatal("vector \"%s\": fields missing or of unexpected length", title);
	install_key(generation, tk->data, tk->len);

	req = (struct test_kfunc_request){ .op = TEST_KFUNC_CCM_ENCRYPT, .len = pt->len,
					   .aad_len = aad->len, .mic_len = mic->len };
	memcpy(req.aad, aad->data, aad->len);
	memcpy(req.nonce, nonce->data, 13);
	err = run(&req, pt->data, got, 1, NULL);
	memcpy(want, ct->data, ct->len);
	memcpy(want + ct->len, mic->data, mic->len);
	test_check(!err, "%s: ccm_encrypt on the kfunc engine succeeds (got %d)", title, err);
	test_bytes_eq(got, ct->len + mic->len, want, ct->len + mic->len,
		      "%s: kfunc engine encrypts to the vector's ciphertext and MIC", title);

	req.op = TEST_KFUNC_CCM_DECRYPT;
	req.len = ct->len + mic->len;
	memcpy(in, want, req.len);
	err = run(&req, in, got, 1, NULL);
	test_check(!err, "%s: ccm_decrypt on the kfunc engine verifies the MIC (got %d)", title,
		   err);
	test_bytes_eq(got, pt->len, pt->data, pt->len,
		      "%s: kfunc engine decrypts to the vector's plaintext", title);
	in[req.len - 1] ^= 0x01;
	err = run(&req, in, got, 1, NULL);
	test_check(err == -1, "%s: one flipped MIC bit fails on the kfunc engine (got %d)", title,
		   err);
}

/* ccm_encrypt/ccm_decrypt on this engine against OpenSSL's AES-CCM, lengths 0..2320. */
static void check_ccm_openssl(unsigned int key_len, __u64 generation)
{
	static const __u32 lens[] = { 0, 1, 15, 16, 17, 31, 32, 33, 100, 255, 1500, 2304,
				      BODY_MAX - 16 };
	static __u8 pt[BODY_MAX], want[BODY_MAX + 16], got[BODY_MAX + 64];
	unsigned int mic_len = key_len == 16 ? 8 : 16, bits = key_len * 8;
	int bad_enc = 0, bad_dec = 0, bad_forge = 0;
	__u8 tk[32];

	random_bytes(tk, sizeof(tk));
	install_key(generation, tk, key_len);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct test_kfunc_request req = { .op = TEST_KFUNC_CCM_ENCRYPT, .len = lens[i],
						  .aad_len = 22 + random_below(9),
						  .mic_len = mic_len };
		__u32 len = lens[i];
		int err;

		random_bytes(pt, len);
		random_bytes(req.aad, req.aad_len);
		random_bytes(req.nonce, 13);
		openssl_ccm(tk, key_len, req.nonce, req.aad, req.aad_len, pt, len, mic_len, want);
		err = run(&req, pt, got, 1, NULL);
		if (err || memcmp(got, want, len + mic_len)) {
			if (!bad_enc++)
				printf("#   encrypt of %u bytes: result %d or output differs\n", len, err);
		}
		req.op = TEST_KFUNC_CCM_DECRYPT;
		req.len = len + mic_len;
		err = run(&req, want, got, 1, NULL);
		if (err || memcmp(got, pt, len)) {
			if (!bad_dec++)
				printf("#   decrypt of %u bytes: result %d or output differs\n", len, err);
		}
		want[random_below(len + mic_len)] ^= 1 << random_below(8);
		bad_forge += run(&req, want, got, 1, NULL) != -1;
	}
	test_ok(!bad_enc, "CCM-%u encrypt on the kfunc engine matches OpenSSL at 0..%d bytes (%d wrong)",
		bits, BODY_MAX - 16, bad_enc);
	test_ok(!bad_dec, "CCM-%u decrypt on the kfunc engine recovers OpenSSL's plaintext (%d wrong)",
		bits, bad_dec);
	test_ok(!bad_forge, "CCM-%u on the kfunc engine fails every single-bit forgery (%d passed)",
		bits, bad_forge);
}

static bool contains(const void *hay, size_t hay_len, const void *needle, size_t len)
{
	return memmem(hay, hay_len, needle, len) != NULL;
}

static void check_create_refusals_and_wipe(void)
{
	int create_fd = bpf_program__fd(skel->progs.crypto_ctx_create);
	int map_fd = bpf_map__fd(skel->maps.dot11xdp_crypto);
	struct dot11xdp_crypto_args args = { .generation = 7 }, zero_tk = {};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args, .ctx_size_in = sizeof(args));
	__u64 key, next;
	__u8 value[64], tk[32];
	bool leaked = false;
	int err;

	random_bytes(tk, sizeof(tk));
	err = dot11xdp_crypto_ctx__create(skel->obj, 7, tk, 24);
	test_check(err == -EINVAL, "a 24-byte key is refused with -EINVAL (got %d)", err);
	err = dot11xdp_crypto_ctx__create(skel->obj, 7, tk, 0);
	test_check(err == -EINVAL, "an empty key is refused with -EINVAL (got %d)", err);
	/* The program's own check, past the library's. */
	memcpy(args.tk, tk, sizeof(tk));
	args.tk_len = 24;
	err = bpf_prog_test_run_opts(create_fd, &opts);
	test_check(!err && (int)opts.retval == -EINVAL,
		   "the create program refuses a 24-byte key with -EINVAL (got %d)",
		   (int)opts.retval);
	test_bytes_eq(args.tk, sizeof(args.tk), zero_tk.tk, sizeof(zero_tk.tk),
		      "the create program wipes the key from its context on refusal");
	test_check(bpf_map_get_next_key(map_fd, NULL, &key) == -ENOENT,
		   "a refused key leaves dot11xdp_crypto empty");
	test_ok(all_freed(), "a refused key leaves no kernel transform behind");

	memcpy(args.tk, tk, sizeof(tk));
	args.tk_len = 32;
	err = bpf_prog_test_run_opts(create_fd, &opts);
	test_check(!err && opts.retval == 0, "the create program accepts a 32-byte key (got %d)",
		   (int)opts.retval);
	test_bytes_eq(args.tk, sizeof(args.tk), zero_tk.tk, sizeof(zero_tk.tk),
		      "the create program wipes the key from its context on success");
	err = dot11xdp_crypto_ctx__create(skel->obj, 7, tk, 32);
	test_check(err == -EEXIST, "creating contexts for the same generation again: -EEXIST (got %d)",
		   err);
	test_check(refcnt_settles("cbc(aes)", cbc_base + 1),
		   "the refused duplicate's transforms are freed, the first ones kept");
	err = dot11xdp_crypto_ctx__create(skel->obj, 8, tk, 16);
	test_check(err == 0, "a second key's contexts are created (got %d)", err);

	/* The context map holds kptrs (read back as zeros) and the generation: no key bytes. */
	for (err = bpf_map_get_next_key(map_fd, NULL, &key); !err;
	     err = bpf_map_get_next_key(map_fd, &key, &next), key = next) {
		memset(value, 0, sizeof(value));
		if (bpf_map_lookup_elem(map_fd, &key, value))
			test_fatal("reading dot11xdp_crypto: %s", strerror(errno));
		leaked |= contains(value, sizeof(value), tk, 8) ||
			  contains(value, sizeof(value), tk + 16, 8);
	}
	test_ok(!leaked, "no key bytes in dot11xdp_crypto as user space reads it");

	err = dot11xdp_crypto_ctx__destroy(skel->obj, 7);
	test_check(err == 0, "destroy through the destroy program (got %d)", err);
	err = dot11xdp_crypto_ctx__destroy(skel->obj, 7);
	test_check(err == -ENOENT, "destroying it twice: -ENOENT (got %d)", err);
	/* The other path: a plain delete of the element releases through the map's destructor. */
	key = 8;
	test_check(bpf_map_delete_elem(map_fd, &key) == 0, "delete the second key's element");
	test_ok(all_freed(), "both paths release every transform after a grace period");
}

/* One block of CTR with the key in slot; *generation gets the generation the run used. */
static int ctr_one(__u32 slot, const __u8 *in, __u8 *out, __u64 *generation)
{
	struct test_kfunc_request req = { .op = TEST_KFUNC_CTR_XOR, .len = BLOCK, .nblocks = 1,
					  .key_slot = slot };
	int err = run(&req, in, out, 1, NULL);

	if (generation)
		*generation = req.generation;
	return err;
}

/* The keystream block of counter block zero XOR in, as CTR over one block gives it. */
static void ctr_one_want(const __u8 *key, const __u8 *in, __u8 *want)
{
	static const __u8 counter[BLOCK];

	openssl_aes(false, key, 16, counter, BLOCK, want);
	for (int i = 0; i < BLOCK; i++)
		want[i] ^= in[i];
}

static void check_replacement(void)
{
	__u8 key_a[16], key_b[16], in[BLOCK], got[BLOCK + 64], want_a[BLOCK], want_b[BLOCK];
	__u64 used = 0;
	int err;

	random_bytes(key_a, sizeof(key_a));
	random_bytes(key_b, sizeof(key_b));
	random_bytes(in, sizeof(in));
	ctr_one_want(key_a, in, want_a);
	ctr_one_want(key_b, in, want_b);

	install_key(101, key_a, 16);
	err = ctr_one(0, in, got, &used);
	test_check(!err && used == 101 && !memcmp(got, want_a, BLOCK),
		   "generation 101 encrypts with key A");

	/* The install order: new contexts, then the key element, then the old contexts. */
	create_or_die(102, key_b, 16);
	test_check(test_crypto_refcnt("cbc(aes)") == cbc_base + 2,
		   "old and new contexts live side by side during the replacement");
	publish_key(1, 101, 16); /* a frame that read the key just before the update */
	publish_key(0, 102, 16);
	err = ctr_one(0, in, got, &used);
	test_check(!err && used == 102 && !memcmp(got, want_b, BLOCK),
		   "after the key update the program encrypts with key B");
	err = ctr_one(1, in, got, &used);
	test_check(!err && used == 101 && !memcmp(got, want_a, BLOCK),
		   "a frame holding the old key value still finds key A until the destroy");
	test_check(dot11xdp_crypto_ctx__destroy(skel->obj, 101) == 0, "destroy generation 101");
	err = ctr_one(1, in, got, &used);
	test_check(err == -1, "after the destroy that frame's CTR fails, never uses another key (got %d)",
		   err);
	err = ctr_one(0, in, got, &used);
	test_check(!err && used == 102 && !memcmp(got, want_b, BLOCK),
		   "generation 102 still encrypts with key B");
	test_check(refcnt_settles("cbc(aes)", cbc_base + 1),
		   "the old generation's transforms are freed, the new ones kept");
	test_check(dot11xdp_crypto_ctx__destroy(skel->obj, 102) == 0, "destroy generation 102");
	test_ok(all_freed(), "every transform is freed after the last destroy");
}

/* Replacement while another CPU runs the program. */
struct race {
	atomic_bool stop;
	__u8 in[BLOCK];
	__u8 want[2][BLOCK]; /* generation g uses key g & 1 */
	atomic_long runs;
	long gone, wrong, other_err, used[2];
};

static void *race_runner(void *arg)
{
	struct race *r = arg;
	__u8 got[BLOCK + 64];
	__u64 used;
	int err;

	while (!atomic_load(&r->stop)) {
		err = ctr_one(0, r->in, got, &used);
		atomic_fetch_add(&r->runs, 1);
		if (err == -1)
			r->gone++;
		else if (err)
			r->other_err++;
		else if (memcmp(got, r->want[used & 1], BLOCK))
			r->wrong++;
		else
			r->used[used & 1]++;
	}
	return NULL;
}

static void check_replacement_race(void)
{
	const int replacements = 2000;
	__u8 keys[2][16];
	struct race r = {};
	pthread_t runner;
	__u64 gen = 1000;
	int failed = 0;

	random_bytes(keys, sizeof(keys));
	random_bytes(r.in, sizeof(r.in));
	ctr_one_want(keys[0], r.in, r.want[0]);
	ctr_one_want(keys[1], r.in, r.want[1]);
	install_key(gen, keys[gen & 1], 16);
	if (pthread_create(&runner, NULL, race_runner, &r))
		test_fatal("pthread_create failed");
	for (int i = 0; i < replacements; i++, gen++) {
		long runs = atomic_load(&r.runs);

		failed += dot11xdp_crypto_ctx__create(skel->obj, gen + 1, keys[(gen + 1) & 1], 16) != 0;
		publish_key(0, gen + 1, 16);
		failed += dot11xdp_crypto_ctx__destroy(skel->obj, gen) != 0;
		/*
		 * Let the runner finish a couple of runs per generation, so both keys are used even
		 * on a loaded machine where it would otherwise get no CPU time between replacements.
		 */
		for (int spin = 0; spin < 100000 && atomic_load(&r.runs) < runs + 2; spin++)
			sched_yield();
	}
	atomic_store(&r.stop, true);
	pthread_join(runner, NULL);

	printf("# race: %ld runs during %d replacements: %ld with key A, %ld with key B, %ld found "
	       "their key's contexts gone (key read just before its replacement was destroyed)\n",
	       atomic_load(&r.runs), replacements, r.used[0], r.used[1], r.gone);
	test_check(!failed, "%d key replacements while the program runs on another CPU",
		   replacements);
	test_check(r.used[0] > 0 && r.used[1] > 0,
		   "the program ran with both keys during the replacements");
	test_check(!r.wrong && !r.other_err,
		   "no run used a key other than its generation's (%ld wrong, %ld errors)", r.wrong,
		   r.other_err);
	test_check(dot11xdp_crypto_ctx__destroy(skel->obj, gen) == 0, "destroy the last one");
	test_ok(all_freed(), "every transform of the race is freed");
}

/* Mean ns per run of req (NO_STORE): the best of 5 batches of 20000 on a shared machine. */
static double bench_ns(struct test_kfunc_request req, const __u8 *in)
{
	__u32 best = ~0u, d;

	req.flags |= TEST_KFUNC_NO_STORE;
	for (int i = 0; i < 5; i++) {
		struct test_kfunc_request r = req;
		int err = run(&r, in, NULL, 20000, &d);

		if (err)
			test_fatal("bench run of op %u over %u bytes: result %d", req.op, req.len, err);
		if (d < best)
			best = d;
	}
	return best;
}

static double bench_blocks(__u32 op, __u32 nblocks, const __u8 *in)
{
	struct test_kfunc_request req = { .op = op, .len = nblocks * BLOCK, .nblocks = nblocks };

	return bench_ns(req, in);
}

static void bench(void)
{
	static __u8 in[DATA_MAX], ct[BODY_MAX];
	struct test_kfunc_request enc = { .op = TEST_KFUNC_CCM_ENCRYPT, .len = 1500, .aad_len = 22,
					  .mic_len = 8 };
	struct test_kfunc_request dec = enc;
	__u8 tk[16];

	random_bytes(tk, sizeof(tk));
	random_bytes(in, sizeof(in));
	random_bytes(enc.aad, 22);
	random_bytes(enc.nonce, 13);
	install_key(5000, tk, 16);
	openssl_ccm(tk, 16, enc.nonce, enc.aad, 22, in, 1500, 8, ct);
	dec.op = TEST_KFUNC_CCM_DECRYPT;
	dec.len = 1508;
	memcpy(dec.aad, enc.aad, sizeof(enc.aad));
	memcpy(dec.nonce, enc.nonce, sizeof(enc.nonce));

	double copy1 = bench_blocks(TEST_KFUNC_COPY, 1, in);
	double copy94 = bench_blocks(TEST_KFUNC_COPY, 94, in);
	double ctr1 = bench_blocks(TEST_KFUNC_CTR_XOR, 1, in) - copy1;
	double ctr94 = bench_blocks(TEST_KFUNC_CTR_XOR, 94, in) - copy94;
	double cbc1 = bench_blocks(TEST_KFUNC_CBC_MAC, 1, in) - copy1;
	double cbc94 = bench_blocks(TEST_KFUNC_CBC_MAC, 94, in) - copy94;
	double ccm_dec = bench_ns(dec, ct), ccm_enc = bench_ns(enc, in);

	printf("# bench, AES-128 on the kfunc engine, ns per run: best of 5 x 20000 runs\n");
	printf("#   harness alone (key lookup, copy in): %.0f at 1 block, %.0f at 94; "
	       "subtracted from the next two lines\n", copy1, copy94);
	printf("#   CTR (ECB + XOR)  1 block %6.0f   94 blocks (1,504 B) %6.0f = %.0f MB/s\n", ctr1,
	       ctr94, 94 * 16 * 1e3 / ctr94);
	printf("#   CBC-MAC          1 block %6.0f   94 blocks (1,504 B) %6.0f = %.0f MB/s\n", cbc1,
	       cbc94, 94 * 16 * 1e3 / cbc94);
	printf("#   CCM-128 of 1,500 bytes (+22 AAD), copy in included: decrypt %.0f = %.0f MB/s, "
	       "encrypt %.0f = %.0f MB/s\n", ccm_dec, 1500 * 1e3 / ccm_dec, ccm_enc,
	       1500 * 1e3 / ccm_enc);
	test_check(dot11xdp_crypto_ctx__destroy(skel->obj, 5000) == 0, "destroy the bench key");
}

/* What a loader on a kernel without the kfuncs does: the object loads without the engine. */
static void check_omit(void)
{
	struct test_kfunc_bpf *plain = test_kfunc_bpf__open();
	int err;

	if (!plain)
		test_fatal("opening test_kfunc: %s", strerror(errno));
	err = dot11xdp_crypto_ctx__omit(plain->obj);
	test_check(err == 0, "omit finds the map and the create/destroy programs (got %d)", err);
	bpf_program__set_autoload(plain->progs.xdp_test_kfunc, false);
	err = test_kfunc_bpf__load(plain);
	test_check(err == 0, "the object loads with the kfunc engine left out (got %d)", err);
	test_check(bpf_map__fd(plain->maps.dot11xdp_crypto) < 0 &&
			   bpf_program__fd(plain->progs.crypto_ctx_create) < 0 &&
			   bpf_program__fd(plain->progs.crypto_ctx_destroy) < 0,
		   "omit keeps the context map and the syscall programs out of the kernel");
	test_kfunc_bpf__destroy(plain);
}

int main(void)
{
	struct tv_file tv;
	__u8 tk[16] = { 1 };
	int err;

	test_require_root();
	/* /proc/crypto counts are system-wide: one such test at a time on a machine. */
	test_exclusive("kfunc-contexts");
	if (!test_ok(dot11xdp_kfunc_engine_available(), "probe: the kfunc engine is available"))
		test_fatal("this kernel lacks the BPF crypto kfuncs or ecb(aes)/cbc(aes) (6.10+ needed)");
	if (tv_load(test_data_path("ieee80211-cipher-vectors.txt"), &tv))
		test_fatal("cannot read %s", test_data_path("ieee80211-cipher-vectors.txt"));
	check_omit();

	skel = test_kfunc_bpf__open();
	if (!skel)
		test_fatal("opening test_kfunc: %s", strerror(errno));
	/* Private maps: pinning by name would share them with whatever else runs. */
	bpf_map__set_pin_path(skel->maps.dot11xdp_crypto, NULL);
	err = test_kfunc_bpf__load(skel);
	if (err)
		test_fatal("loading test_kfunc: %s", strerror(-err));
	ecb_base = settled_refcnt("ecb(aes)");
	cbc_base = settled_refcnt("cbc(aes)");
	printf("# /proc/crypto refcnt before the test: ecb(aes) %ld, cbc(aes) %ld\n", ecb_base,
	       cbc_base);

	check_ctr_and_cbc(16, 1);
	check_ctr_and_cbc(32, 2);
	check_op_refusals();
	check_ccm_vector(&tv, "M.6.4 CCMP test vector", "CCMP AAD", "CCM Nonce", "CCMP encrypted", 3);
	check_ccm_vector(&tv, "CCMP-256 test vector", "CCMP-256 AAD", "CCMP-256 nonce",
			 "CCMP-256 encrypted", 4);
	check_ccm_openssl(16, 5);
	check_ccm_openssl(32, 6);
	for (__u64 g = 1; g <= 6; g++)
		if (dot11xdp_crypto_ctx__destroy(skel->obj, g))
			test_fatal("destroying generation %llu", (unsigned long long)g);
	test_ok(all_freed(), "the transforms of the checks above are all freed");
	check_create_refusals_and_wipe();
	check_replacement();
	check_replacement_race();
	bench();

	/* Contexts left in the map die with it. */
	create_or_die(9000, tk, 16);
	test_kfunc_bpf__destroy(skel);
	test_ok(all_freed(), "closing the map releases the contexts left in it");
	tv_free(&tv);
	return test_done();
}
