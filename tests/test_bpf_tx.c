// SPDX-License-Identifier: GPL-2.0
/*
 * Tier 1: the encrypt program (xdp_encrypt, bpf/lib/encap.h) on crafted frames through
 * BPF_PROG_TEST_RUN, for every cipher, on both AES engines.
 *
 * External truth: the IEEE 802.11 Annex vectors (TKIP M.6.3, CCMP-128 M.6.4 and M.9.2,
 * CCMP-256, GCMP-128 both MPDUs, GCMP-256), byte for byte; OpenSSL's AES-CCM and AES-GCM, and
 * OpenSSL's RC4 with zlib's CRC-32 for WEP, on random frames the vectors do not cover; and
 * the receive program (xdp_decrypt) taking every encrypted frame back to its plaintext. Every
 * run asserts the XDP action, the outcome the program reports in the XDP metadata, the output
 * bytes and the key's tx_pn; the outcome counters are compared with a tally at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <zlib.h>

#include <dot11xdp/dot11xdp_structs.h>
#include "crypto_ctx.h"
#include "decrypt.skel.h"
#include "encrypt.skel.h"
#include "encrypt_table.skel.h"
#include "material.h"
#include "testlib.h"

#define FRAME_MAX 4096
/* bpf/lib/work.h's DOT11XDP_BODY_MAX: body and trailer of one frame. */
#define BODY_MAX 2336
#define MSDU_MAX 2304
/* The minimal radiotap header the round trip puts in front of a frame for xdp_decrypt. */
#define RT_LEN 8
#define PN_MAX ((1ULL << 48) - 1)
/* Verifier budget: a tenth of the kernel's 1M limit, so growth shows long before loads fail. */
#define VERIFIED_INSNS_BUDGET 100000

static struct encrypt_bpf *enc, *enc_rt; /* bare MPDUs; MPDUs behind a radiotap header */
static struct decrypt_bpf *dec;
static int enc_fd, enc_rt_fd, dec_fd, keys_fd, txstat_fd, ncpus;
/* Outcomes of every xdp_encrypt run, to compare with the counters at the end. */
static __u64 tally[DOT11XDP_TX_OUTCOMES];
static pthread_mutex_t tally_lock = PTHREAD_MUTEX_INITIALIZER;

/* A receive outcome for a diagnostic: its name, or its number for one this file does not know. */
static const char *rx_outcome_text(__u32 outcome)
{
	static const char *const names[] = { "DECRYPTED",   "UNPROTECTED", "NO_KEY",
					     "REPLAY",	    "MIC_FAILURE", "MALFORMED",
					     "BAD_FCS",	    "UNSUPPORTED" };
	static char text[32];

	if (outcome < sizeof(names) / sizeof(names[0]))
		return names[outcome];
	snprintf(text, sizeof(text), "receive outcome %u", outcome);
	return text;
}

static const char *tx_outcome_name(__u32 outcome)
{
	static const char *const names[] = { "ENCRYPTED", "NO_KEY",	  "UNSUPPORTED",
					     "MALFORMED", "PN_EXHAUSTED", "FAILED" };

	return outcome < DOT11XDP_TX_OUTCOMES ? names[outcome] : "?";
}

/* ---- ciphers ---------------------------------------------------------------------- */

struct cipher_case {
	const char *name;
	__u32 cipher;
	unsigned int key_len;	  /* bytes of key material (TKIP: TK and both Michael keys) */
	unsigned int sec_len;	  /* security header */
	unsigned int trailer_len; /* MIC, Michael MIC + ICV, or ICV */
	bool aes;
	bool mgmt;		  /* protects management frames */
};

static const struct cipher_case ciphers[] = {
	{ "CCMP-128", DOT11XDP_CIPHER_CCMP, 16, 8, 8, true, true },
	{ "CCMP-256", DOT11XDP_CIPHER_CCMP_256, 32, 8, 16, true, true },
	{ "GCMP-128", DOT11XDP_CIPHER_GCMP, 16, 8, 16, true, true },
	{ "GCMP-256", DOT11XDP_CIPHER_GCMP_256, 32, 8, 16, true, true },
	{ "TKIP", DOT11XDP_CIPHER_TKIP, 32, 8, 12, false, false },
	{ "WEP-40", DOT11XDP_CIPHER_WEP40, 5, 4, 4, false, false },
	{ "WEP-104", DOT11XDP_CIPHER_WEP104, 13, 4, 4, false, false },
};
#define NCIPHERS (sizeof(ciphers) / sizeof(ciphers[0]))

static const struct cipher_case *cipher_case(__u32 cipher)
{
	for (size_t i = 0; i < NCIPHERS; i++)
		if (ciphers[i].cipher == cipher)
			return &ciphers[i];
	test_fatal("no cipher case for cipher %u", cipher);
}

static const char *engine_name(__u8 engine)
{
	return engine == DOT11XDP_ENGINE_KFUNC ? "kfunc" : "table";
}

/* ---- the programs ----------------------------------------------------------------- */

static void unpin_all(struct bpf_object *obj)
{
	struct bpf_map *map;

	/* Nothing of this test may land in /sys/fs/bpf. */
	bpf_object__for_each_map(map, obj)
		if (bpf_map__set_pin_path(map, NULL))
			test_fatal("unpinning map %s", bpf_map__name(map));
}

static void reuse_map(struct bpf_map *map, int fd)
{
	int err = bpf_map__reuse_fd(map, fd);

	if (err)
		test_fatal("reusing map %s: %s", bpf_map__name(map), strerror(-err));
}

static struct encrypt_bpf *encrypt_load(bool report_outcome, __u32 mpdu_offset, const char *what)
{
	struct encrypt_bpf *skel = encrypt_bpf__open();
	int err;

	if (!skel)
		test_fatal("encrypt_bpf__open: %s", strerror(errno));
	skel->rodata->report_outcome = report_outcome;
	skel->rodata->mpdu_offset = mpdu_offset;
	unpin_all(skel->obj);
	if (enc) {
		/* One key table, context map and counters for every instance. */
		reuse_map(skel->maps.dot11xdp_keys, keys_fd);
		reuse_map(skel->maps.dot11xdp_crypto, bpf_map__fd(enc->maps.dot11xdp_crypto));
		reuse_map(skel->maps.dot11xdp_txstat, txstat_fd);
	}
	err = encrypt_bpf__load(skel);
	test_ok(!err, "xdp_encrypt loads and passes the verifier (%s)", what);
	if (err)
		test_fatal("encrypt_bpf__load: %s", strerror(-err));
	return skel;
}

/* The processed-instruction count of a loaded xdp_encrypt, printed and held to the budget. */
static void check_verified_insns(int prog_fd, const char *what)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		test_fatal("bpf_prog_info: %s", strerror(errno));
	printf("# xdp_encrypt (%s): verifier processed %u instructions, xlated %u bytes, jited %u "
	       "bytes\n", what, info.verified_insns, info.xlated_prog_len, info.jited_prog_len);
	test_check(info.verified_insns < VERIFIED_INSNS_BUDGET,
		   "xdp_encrypt (%s): %u verified instructions, budget %u", what, info.verified_insns,
		   VERIFIED_INSNS_BUDGET);
}

static void env_open(void)
{
	struct encrypt_bpf *live;
	int err;

	if (!dot11xdp_kfunc_engine_available())
		test_fatal("this kernel lacks the BPF crypto kfuncs (ecb(aes), cbc(aes)): the kfunc "
			   "engine cannot be tested");
	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0)
		test_fatal("libbpf_num_possible_cpus: %d", ncpus);

	/* As a transmit path would load it: no outcome report. */
	live = encrypt_load(false, 0, "live");
	check_verified_insns(bpf_program__fd(live->progs.xdp_encrypt), "live");
	encrypt_bpf__destroy(live);

	enc = encrypt_load(true, 0, "offline, bare MPDUs");
	check_verified_insns(bpf_program__fd(enc->progs.xdp_encrypt), "offline");
	enc_fd = bpf_program__fd(enc->progs.xdp_encrypt);
	keys_fd = bpf_map__fd(enc->maps.dot11xdp_keys);
	txstat_fd = bpf_map__fd(enc->maps.dot11xdp_txstat);

	enc_rt = encrypt_load(true, RT_LEN, "offline, MPDUs behind a radiotap header");
	enc_rt_fd = bpf_program__fd(enc_rt->progs.xdp_encrypt);

	/* The receive program on the same key table and contexts, as the adapter will run it. */
	dec = decrypt_bpf__open();
	if (!dec)
		test_fatal("decrypt_bpf__open: %s", strerror(errno));
	dec->rodata->report_outcome = true;
	unpin_all(dec->obj);
	reuse_map(dec->maps.dot11xdp_keys, keys_fd);
	reuse_map(dec->maps.dot11xdp_crypto, bpf_map__fd(enc->maps.dot11xdp_crypto));
	err = decrypt_bpf__load(dec);
	if (err)
		test_fatal("decrypt_bpf__load: %s", strerror(-err));
	dec_fd = bpf_program__fd(dec->progs.xdp_decrypt);
}

struct run_result {
	int action;
	__u32 outcome;
	__u8 frame[FRAME_MAX];
	size_t len;
};

/* Run one frame through prog_fd; the output starts with struct dot11xdp_frame_meta. */
static void prog_run(int prog_fd, const __u8 *in, size_t len, struct run_result *r)
{
	__u8 out[FRAME_MAX + sizeof(struct dot11xdp_frame_meta)];
	struct dot11xdp_frame_meta meta;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_size_in = len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);

	if (bpf_prog_test_run_opts(prog_fd, &opts))
		test_fatal("BPF_PROG_TEST_RUN on %zu bytes: %s", len, strerror(errno));
	if (opts.data_size_out < sizeof(meta))
		test_fatal("BPF_PROG_TEST_RUN returned %u bytes, no outcome", opts.data_size_out);
	memcpy(&meta, out, sizeof(meta));
	r->action = opts.retval;
	r->outcome = meta.outcome;
	r->len = opts.data_size_out - sizeof(meta);
	memcpy(r->frame, out + sizeof(meta), r->len);
}

static void tx_run_on(int prog_fd, const __u8 *in, size_t len, struct run_result *r)
{
	prog_run(prog_fd, in, len, r);
	pthread_mutex_lock(&tally_lock);
	if (r->outcome < DOT11XDP_TX_OUTCOMES)
		tally[r->outcome]++;
	pthread_mutex_unlock(&tally_lock);
}

static void tx_run(const __u8 *in, size_t len, struct run_result *r)
{
	tx_run_on(enc_fd, in, len, r);
}

/* The action the program must take for an outcome: only what is safe to send passes. */
static int tx_action_of(__u32 outcome)
{
	return outcome == DOT11XDP_TX_ENCRYPTED || outcome == DOT11XDP_TX_NO_KEY ? XDP_PASS : XDP_DROP;
}

/* ---- keys ------------------------------------------------------------------------- */

static __u64 generation_next = 1;

/*
 * key as the loader prepares it for c and engine (material.h), under a fresh generation; on
 * the kfunc engine with its kernel contexts in the shared context map.
 */
static void key_prepare(struct dot11xdp_key *key, const struct cipher_case *c, const __u8 *tk,
			__u8 engine)
{
	int err;

	memset(key, 0, sizeof(*key));
	key->generation = generation_next++;
	err = dot11xdp_material_prepare(key, c->cipher, tk, c->key_len, engine);
	if (err)
		test_fatal("preparing a %s key for the %s engine: %s", c->name, engine_name(engine),
			   strerror(-err));
	if (c->aes && engine == DOT11XDP_ENGINE_KFUNC) {
		err = dot11xdp_crypto_ctx__create(enc->obj, key->generation, tk, c->key_len);
		if (err)
			test_fatal("dot11xdp_crypto_ctx__create(%s): %s", c->name, strerror(-err));
	}
}

/* Release what key_prepare created in the kernel (the kfunc engine's contexts). */
static void key_release(const struct dot11xdp_key *key)
{
	if (key->engine == DOT11XDP_ENGINE_KFUNC &&
	    dot11xdp_crypto_ctx__destroy(enc->obj, key->generation))
		test_fatal("dot11xdp_crypto_ctx__destroy(%llu)", (unsigned long long)key->generation);
}

static void key_put(const __u8 *peer, __u8 direction, const struct dot11xdp_key *key)
{
	struct dot11xdp_key_id id = { .direction = direction };

	memcpy(id.peer, peer, 6);
	if (bpf_map_update_elem(keys_fd, &id, key, BPF_ANY))
		test_fatal("key update: %s", strerror(errno));
}

static void key_del(const __u8 *peer, __u8 direction)
{
	struct dot11xdp_key_id id = { .direction = direction };

	memcpy(id.peer, peer, 6);
	if (bpf_map_delete_elem(keys_fd, &id) && errno != ENOENT)
		test_fatal("key delete: %s", strerror(errno));
}

static void keys_clear(void)
{
	struct dot11xdp_key_id id, next;

	while (!bpf_map_get_next_key(keys_fd, NULL, &next)) {
		id = next;
		if (bpf_map_delete_elem(keys_fd, &id))
			test_fatal("key delete: %s", strerror(errno));
	}
}

static bool key_get(const __u8 *peer, __u8 direction, struct dot11xdp_key *key)
{
	struct dot11xdp_key_id id = { .direction = direction };

	memcpy(id.peer, peer, 6);
	return !bpf_map_lookup_elem(keys_fd, &id, key);
}

static __u64 tx_pn_of(const __u8 *peer, __u8 direction)
{
	struct dot11xdp_key key;

	if (!key_get(peer, direction, &key))
		test_fatal("key to read tx_pn from not found");
	return key.tx_pn;
}

/* ---- frames and the oracle -------------------------------------------------------- */

/* A small deterministic generator; the seed is printed, and SEED=n repeats a run. */
static __u64 rng_state;

static __u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void rng_bytes(__u8 *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = rng();
}

static void rng_unicast(__u8 *mac)
{
	rng_bytes(mac, 6);
	mac[0] &= ~1;
}

/* MAC header length of a data or management frame (spec/dot11-crypto.md). */
static size_t mpdu_hdr_len(const __u8 *h)
{
	bool data = (h[0] & 0x0c) == 0x08, qos = data && (h[0] & 0x80);
	size_t len = 24;

	if (data && (h[1] & 3) == 3)
		len += 6;
	if (qos)
		len += 2;
	if ((h[1] & 0x80) && (qos || (h[0] & 0x0c) == 0x00))
		len += 4;
	return len;
}

/* CCMP/GCMP AAD of a protected frame's header h, as spec/dot11-crypto.md gives it. */
static size_t test_aad(const __u8 *h, __u8 *aad)
{
	bool mgmt = (h[0] & 0x0c) == 0x00, data = (h[0] & 0x0c) == 0x08;
	bool qos = data && (h[0] & 0x80), a4 = data && (h[1] & 3) == 3;
	size_t len = 22;

	aad[0] = mgmt ? h[0] : h[0] & 0x8f;
	aad[1] = (h[1] & ~0x38) | 0x40;
	if (qos)
		aad[1] &= ~0x80;
	memcpy(aad + 2, h + 4, 18);
	aad[20] = h[22] & 0x0f;
	aad[21] = 0;
	if (a4) {
		memcpy(aad + 22, h + 24, 6);
		len += 6;
	}
	if (qos) {
		aad[len] = h[a4 ? 30 : 24] & 0x0f;
		aad[len + 1] = 0;
		len += 2;
	}
	return len;
}

/* CCMP nonce (13 bytes): flags, A2, PN5..PN0. GCMP's (12) is the same without the flags. */
static void test_ccmp_nonce(const __u8 *h, __u64 pn, __u8 *nonce)
{
	bool mgmt = (h[0] & 0x0c) == 0x00, data = (h[0] & 0x0c) == 0x08;
	bool qos = data && (h[0] & 0x80), a4 = data && (h[1] & 3) == 3;

	nonce[0] = qos ? h[a4 ? 30 : 24] & 0x0f : 0;
	if (mgmt)
		nonce[0] |= 0x10;
	memcpy(nonce + 1, h + 10, 6);
	for (int i = 0; i < 6; i++)
		nonce[7 + i] = pn >> (8 * (5 - i));
}

/* OpenSSL's AES-CCM (CCMP) or AES-GCM (GCMP) seal: ct and tag. */
static void aead_seal(const struct cipher_case *c, const __u8 *tk, const __u8 *nonce,
		      const __u8 *aad, size_t aad_len, const __u8 *pt, size_t len, __u8 *ct,
		      __u8 *tag)
{
	bool gcm = c->cipher == DOT11XDP_CIPHER_GCMP || c->cipher == DOT11XDP_CIPHER_GCMP_256;
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	const EVP_CIPHER *evp;
	int outl, ok;

	if (gcm)
		evp = c->key_len == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
	else
		evp = c->key_len == 16 ? EVP_aes_128_ccm() : EVP_aes_256_ccm();
	ok = x && EVP_EncryptInit_ex(x, evp, NULL, NULL, NULL);
	if (gcm) {
		ok = ok && EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) &&
		     EVP_EncryptInit_ex(x, NULL, NULL, tk, nonce) &&
		     EVP_EncryptUpdate(x, NULL, &outl, aad, (int)aad_len) &&
		     (!len || EVP_EncryptUpdate(x, ct, &outl, pt, (int)len)) &&
		     EVP_EncryptFinal_ex(x, ct + len, &outl) &&
		     EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, 16, tag);
	} else {
		ok = ok && EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_CCM_SET_IVLEN, 13, NULL) &&
		     EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_CCM_SET_TAG, (int)c->trailer_len, NULL) &&
		     EVP_EncryptInit_ex(x, NULL, NULL, tk, nonce) &&
		     EVP_EncryptUpdate(x, NULL, &outl, NULL, (int)len) &&
		     EVP_EncryptUpdate(x, NULL, &outl, aad, (int)aad_len) &&
		     (!len || EVP_EncryptUpdate(x, ct, &outl, pt, (int)len)) &&
		     EVP_EncryptFinal_ex(x, ct + len, &outl) &&
		     EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_CCM_GET_TAG, (int)c->trailer_len, tag);
	}
	EVP_CIPHER_CTX_free(x);
	if (!ok)
		test_fatal("OpenSSL %s seal failed", c->name);
}

/* OpenSSL's RC4 (the legacy provider's) over in, into out. */
static void openssl_rc4(const __u8 *key, size_t key_len, const __u8 *in, size_t len, __u8 *out)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	EVP_CIPHER *rc4 = EVP_CIPHER_fetch(NULL, "RC4", NULL);
	int n, ok;

	ok = x && rc4 && EVP_EncryptInit_ex(x, rc4, NULL, NULL, NULL) &&
	     EVP_CIPHER_CTX_set_key_length(x, (int)key_len) &&
	     EVP_EncryptInit_ex(x, NULL, NULL, key, NULL) &&
	     EVP_EncryptUpdate(x, out, &n, in, (int)len) && (size_t)n == len;
	EVP_CIPHER_CTX_free(x);
	EVP_CIPHER_free(rc4);
	if (!ok)
		test_fatal("OpenSSL RC4 failed");
}

/*
 * The protected MPDU the oracles build from plain[0 .. len) (header of hdr_len bytes, then
 * the body) with pn: CCMP and GCMP through OpenSSL's AES modes, WEP through OpenSSL's RC4 and
 * zlib's CRC-32 (IV = the PN's low 24 bits, most significant byte first; key ID 0). Returns
 * the length; 0 for TKIP, which has no oracle here (the IEEE vector and the round trip test it).
 */
static size_t oracle_seal(const struct cipher_case *c, const __u8 *tk, const __u8 *plain,
			  size_t len, __u64 pn, __u8 *out)
{
	size_t hdr_len = mpdu_hdr_len(plain), body_len = len - hdr_len;
	__u8 aad[32], nonce[13], *sec = out + hdr_len, *ct;

	memcpy(out, plain, hdr_len);
	out[1] |= 0x40;
	if (c->cipher == DOT11XDP_CIPHER_TKIP)
		return 0;
	if (c->aes) {
		bool gcm = c->cipher == DOT11XDP_CIPHER_GCMP || c->cipher == DOT11XDP_CIPHER_GCMP_256;

		sec[0] = pn;
		sec[1] = pn >> 8;
		sec[2] = 0;
		sec[3] = 0x20;
		for (int i = 0; i < 4; i++)
			sec[4 + i] = pn >> (16 + 8 * i);
		ct = sec + 8;
		test_ccmp_nonce(out, pn, nonce);
		aead_seal(c, tk, gcm ? nonce + 1 : nonce, aad, test_aad(out, aad), plain + hdr_len,
			  body_len, ct, ct + body_len);
		return hdr_len + 8 + body_len + c->trailer_len;
	} else {
		__u8 rc4_key[16], clear[BODY_MAX + 4];
		uLong crc = crc32(0, plain + hdr_len, body_len);

		sec[0] = pn >> 16;
		sec[1] = pn >> 8;
		sec[2] = pn;
		sec[3] = 0;
		memcpy(rc4_key, sec, 3);
		memcpy(rc4_key + 3, tk, c->key_len);
		memcpy(clear, plain + hdr_len, body_len);
		for (int i = 0; i < 4; i++)
			clear[body_len + i] = crc >> (8 * i);
		openssl_rc4(rc4_key, 3 + c->key_len, clear, body_len + 4, sec + 4);
		return hdr_len + 4 + body_len + 4;
	}
}

/* The PN a protected frame carries in its security header (WEP: the 24-bit IV). */
static __u64 frame_pn(const struct cipher_case *c, const __u8 *frame)
{
	const __u8 *s = frame + mpdu_hdr_len(frame);

	if (c->sec_len == 4)
		return (__u64)s[0] << 16 | s[1] << 8 | s[2];
	if (c->cipher == DOT11XDP_CIPHER_TKIP)
		return (__u64)s[2] | (__u64)s[0] << 8 | (__u64)s[4] << 16 | (__u64)s[5] << 24 |
		       (__u64)s[6] << 32 | (__u64)s[7] << 40;
	return (__u64)s[0] | (__u64)s[1] << 8 | (__u64)s[4] << 16 | (__u64)s[5] << 24 |
	       (__u64)s[6] << 32 | (__u64)s[7] << 40;
}

/*
 * A random plaintext frame to ra from ta with a body of body_len bytes: data frames of every
 * shape (DS bits, A4, QoS with any TID and the A-MSDU bit, HT Control), management frames
 * the cipher may protect (Disassociation, Deauthentication, Action), the bits the AAD masks
 * set at random. TKIP gets unfragmented frames (Michael covers whole MSDUs). Returns the length.
 */
static size_t random_frame(const struct cipher_case *c, const __u8 *ra, const __u8 *ta,
			   size_t body_len, __u8 *f)
{
	static const __u8 mgmt_subtypes[] = { 0xa0, 0xc0, 0xd0 };
	unsigned int kind = rng() % (c->mgmt ? 5 : 4);
	size_t len;

	memset(f, 0, 36);
	/* Retry, PwrMgt, MoreData; Protected, which the input may carry already (as the vectors do). */
	f[1] = rng() & (0x08 | 0x10 | 0x20 | 0x40);
	if (kind == 4) {
		f[0] = mgmt_subtypes[rng() % 3];
		if (rng() & 1)
			f[1] |= 0x80; /* +HTC */
	} else {
		f[0] = kind >= 2 ? 0x88 : 0x08; /* QoS data, data */
		f[1] |= rng() & 3;		/* ToDS, FromDS */
		if (kind == 3)
			f[1] |= 0x80; /* +HTC on QoS data */
	}
	if (c->cipher != DOT11XDP_CIPHER_TKIP && (rng() & 1))
		f[1] |= 0x04; /* MoreFrag */
	rng_bytes(f + 2, 2); /* Duration */
	memcpy(f + 4, ra, 6);
	memcpy(f + 10, ta, 6);
	rng_bytes(f + 16, 6);
	rng_bytes(f + 22, 2);
	if (c->cipher == DOT11XDP_CIPHER_TKIP)
		f[22] &= 0xf0; /* fragment 0 */
	len = mpdu_hdr_len(f);
	rng_bytes(f + 24, len - 24); /* A4, QoS Control, HT Control */
	rng_bytes(f + len, body_len);
	return len + body_len;
}

/* ---- the IEEE vectors ------------------------------------------------------------- */

struct tv_case {
	const char *title;
	int nth;
	__u32 cipher;
	/*
	 * The vector's header and AAD lack the Protected bit, which IEEE 802.11 puts in every
	 * protected frame and in its AAD (12.5.3.3.3, which GCMP shares); its MIC is therefore
	 * that of another AAD. Every other vector sets it (M.9.2 shows it added to the AAD).
	 */
	bool no_protected_bit;
};

static const struct tv_case tv_cases[] = {
	{ "M.6.3 TKIP test vector", 0, DOT11XDP_CIPHER_TKIP },
	{ "M.6.4 CCMP test vector", 0, DOT11XDP_CIPHER_CCMP },
	{ "M.9.2 CCMP with unicast Deauthentication", 0, DOT11XDP_CIPHER_CCMP },
	{ "M.6.4 CCMP-256 test vector", 0, DOT11XDP_CIPHER_CCMP_256 },
	{ "M.11.1 GCMP test mpdu #1", 0, DOT11XDP_CIPHER_GCMP, true },
	{ "M.11.1 GCMP test mpdu #2", 0, DOT11XDP_CIPHER_GCMP },
	{ "M.11.1 GCMP-256 test vector", 0, DOT11XDP_CIPHER_GCMP_256 },
};

static const struct tv_field *need_field(const struct tv_section *s, const char *name)
{
	const struct tv_field *f = tv_field(s, name);

	if (!f)
		test_fatal("vector \"%s\" has no field \"%s\"", s->title, name);
	return f;
}

/* A vector's plaintext MPDU, key and PN, and the encrypted MPDU it must become. */
struct vector {
	const char *title;
	const struct cipher_case *c;
	const struct tv_section *s;
	bool no_protected_bit;
	__u8 tk[32];
	__u64 pn;
	__u8 plain[FRAME_MAX], want[FRAME_MAX];
	size_t plain_len, want_len;
};

static void vector_load(const struct tv_file *tv, const struct tv_case *tc, struct vector *v)
{
	const struct tv_section *s = tv_find(tv, tc->title, tc->nth);
	const struct tv_field *tk, *pn, *want, *f;

	if (!s)
		test_fatal("vector \"%s\" not found", tc->title);
	memset(v, 0, sizeof(*v));
	v->title = s->title;
	v->s = s;
	v->no_protected_bit = tc->no_protected_bit;
	v->c = cipher_case(tc->cipher);
	tk = need_field(s, "TK");
	pn = need_field(s, "PN");
	want = need_field(s, "Encrypted MPDU (without FCS)");
	if (tk->len != v->c->key_len || pn->len != 6)
		test_fatal("vector \"%s\": TK of %zu bytes or PN of %zu", s->title, tk->len, pn->len);
	memcpy(v->tk, tk->data, tk->len);
	for (int i = 0; i < 6; i++) /* listed PN5 first */
		v->pn = v->pn << 8 | pn->data[i];
	f = tv_field(s, "Plaintext MPDU");
	if (f) {
		memcpy(v->plain, f->data, f->len);
		v->plain_len = f->len;
	} else {
		const struct tv_field *hdr = need_field(s, "802.11 Header");
		const struct tv_field *data = need_field(s, "Plaintext Data");

		memcpy(v->plain, hdr->data, hdr->len);
		memcpy(v->plain + hdr->len, data->data, data->len);
		v->plain_len = hdr->len + data->len;
	}
	memcpy(v->want, want->data, want->len);
	v->want_len = want->len;
}

/*
 * A vector whose frame lacks the Protected bit (see struct tv_case): the output must be the
 * vector's encrypted MPDU but for that bit and the MIC, which must be OpenSSL's over the AAD
 * with the bit; and OpenSSL over the vector's own AAD must give the vector's MIC, which shows
 * that the AAD is the only difference.
 */
static void check_vector_without_protected_bit(const struct vector *v, const struct run_result *r,
					       __u8 engine, const char *build)
{
	const struct tv_field *aad = need_field(v->s, "GCMP AAD");
	const struct tv_field *nonce = need_field(v->s, "GCMP nonce");
	const struct tv_field *mic = need_field(v->s, "GCMP MIC");
	size_t mic_at = v->want_len - v->c->trailer_len, want_len;
	__u8 want[FRAME_MAX], ct[FRAME_MAX], tag[16];

	test_check(r->len == v->want_len && r->frame[1] == (v->want[1] | 0x40) &&
			   !memcmp(r->frame, v->want, 1) &&
			   !memcmp(r->frame + 2, v->want + 2, mic_at - 2),
		   "%s (%s engine%s): the vector's encrypted MPDU up to its MIC, Protected set in "
		   "Frame Control", v->title, engine_name(engine), build);
	want_len = oracle_seal(v->c, v->tk, v->plain, v->plain_len, v->pn, want);
	test_bytes_eq(r->frame, r->len, want, want_len,
		      "%s (%s engine%s): the MIC is OpenSSL's over the AAD with Protected set",
		      v->title, engine_name(engine), build);
	aead_seal(v->c, v->tk, nonce->data, aad->data, aad->len, v->plain + mpdu_hdr_len(v->plain),
		  v->plain_len - mpdu_hdr_len(v->plain), ct, tag);
	test_check(aad->len > 1 && !(aad->data[1] & 0x40) && !memcmp(tag, mic->data, 16),
		   "%s (%s engine%s): the vector's MIC is OpenSSL's over the vector's AAD, which "
		   "lacks Protected", v->title, engine_name(engine), build);
}

/*
 * The vector's plaintext through xdp_encrypt (prog_fd: the kfunc-capable build or the table
 * build, named by build) with its key (A1's, outbound) and tx_pn = PN.
 */
static void check_vector_on(int prog_fd, const char *build, const struct vector *v, __u8 engine)
{
	const __u8 *ra = v->plain + 4;
	struct dot11xdp_key key;
	struct run_result r;

	key_prepare(&key, v->c, v->tk, engine);
	key.tx_pn = v->pn;
	key_put(ra, DOT11XDP_DIR_OUTBOUND, &key);
	tx_run_on(prog_fd, v->plain, v->plain_len, &r);
	test_check(r.action == XDP_PASS && r.outcome == DOT11XDP_TX_ENCRYPTED,
		   "%s (%s engine%s): passed as ENCRYPTED (action %d, outcome %s)",
		   v->title, engine_name(engine), build, r.action, tx_outcome_name(r.outcome));
	if (v->no_protected_bit)
		check_vector_without_protected_bit(v, &r, engine, build);
	else
		test_bytes_eq(r.frame, r.len, v->want, v->want_len,
			      "%s (%s engine%s): the encrypted MPDU, byte for byte", v->title,
			      engine_name(engine), build);
	test_check(tx_pn_of(ra, DOT11XDP_DIR_OUTBOUND) == v->pn + 1,
		   "%s (%s engine%s): tx_pn moved from the vector's PN to the next", v->title,
		   engine_name(engine), build);
	key_del(ra, DOT11XDP_DIR_OUTBOUND);
	key_release(&key);
}

static void check_vector(const struct vector *v, __u8 engine)
{
	check_vector_on(enc_fd, "", v, engine);
}

static void check_vectors(const struct tv_file *tv)
{
	struct vector *v = malloc(sizeof(*v));

	if (!v)
		test_fatal("out of memory");
	for (size_t i = 0; i < sizeof(tv_cases) / sizeof(tv_cases[0]); i++) {
		vector_load(tv, &tv_cases[i], v);
		check_vector(v, DOT11XDP_ENGINE_TABLE);
		if (v->c->aes)
			check_vector(v, DOT11XDP_ENGINE_KFUNC);
	}
	free(v);
}

/*
 * The table-only build (encrypt_table.bpf.c), as a kernel without the crypto kfuncs loads
 * it: every vector on the table engine; a kfunc-engine key fails there and is never sent.
 */
static void check_table_build(const struct tv_file *tv)
{
	struct encrypt_table_bpf *skel = encrypt_table_bpf__open();
	struct vector *v = malloc(sizeof(*v));
	struct dot11xdp_key key;
	struct run_result r;
	int err, fd;

	if (!skel || !v)
		test_fatal("encrypt_table_bpf__open: %s", strerror(errno));
	skel->rodata->report_outcome = true;
	unpin_all(skel->obj);
	reuse_map(skel->maps.dot11xdp_keys, keys_fd);
	reuse_map(skel->maps.dot11xdp_txstat, txstat_fd);
	test_ok(!bpf_object__find_map_by_name(skel->obj, DOT11XDP_MAP_CRYPTO),
		"the table-only build has no dot11xdp_crypto map");
	err = encrypt_table_bpf__load(skel);
	test_ok(!err, "xdp_encrypt (table-only build) loads and passes the verifier");
	if (err)
		test_fatal("encrypt_table_bpf__load: %s", strerror(-err));
	fd = bpf_program__fd(skel->progs.xdp_encrypt);
	check_verified_insns(fd, "offline, table-only build");

	keys_clear();
	for (size_t i = 0; i < sizeof(tv_cases) / sizeof(tv_cases[0]); i++) {
		vector_load(tv, &tv_cases[i], v);
		check_vector_on(fd, ", table-only build", v, DOT11XDP_ENGINE_TABLE);
	}

	vector_load(tv, &tv_cases[1], v); /* CCMP-128 M.6.4 */
	key_prepare(&key, v->c, v->tk, DOT11XDP_ENGINE_KFUNC);
	key.tx_pn = v->pn;
	key_put(v->plain + 4, DOT11XDP_DIR_OUTBOUND, &key);
	tx_run_on(fd, v->plain, v->plain_len, &r);
	test_check(r.outcome == DOT11XDP_TX_FAILED && r.action == XDP_DROP,
		   "table-only build, kfunc-engine key: FAILED and dropped (outcome %s)",
		   tx_outcome_name(r.outcome));
	keys_clear();
	key_release(&key);
	free(v);
	encrypt_table_bpf__destroy(skel);
}

/* ---- key selection ---------------------------------------------------------------- */

/*
 * The key of a transmitted frame is A1's, outbound before both; an inbound key, or a key
 * of the transmitter, does not protect it: the frame then passes unchanged.
 */
static void check_key_selection(const struct tv_file *tv)
{
	const struct cipher_case *c = cipher_case(DOT11XDP_CIPHER_CCMP);
	struct vector *v = malloc(sizeof(*v));
	struct dot11xdp_key right, wrong;
	__u8 other_tk[16], want_other[FRAME_MAX];
	struct run_result r;
	const __u8 *ra, *ta;
	size_t want_other_len;

	if (!v)
		test_fatal("out of memory");
	vector_load(tv, &tv_cases[1], v); /* CCMP-128 M.6.4 */
	ra = v->plain + 4;
	ta = v->plain + 10;
	memset(other_tk, 0x5a, sizeof(other_tk));
	key_prepare(&right, c, v->tk, DOT11XDP_ENGINE_TABLE);
	key_prepare(&wrong, c, other_tk, DOT11XDP_ENGINE_TABLE);
	right.tx_pn = wrong.tx_pn = v->pn;

	keys_clear();
	tx_run(v->plain, v->plain_len, &r);
	test_check(r.action == XDP_PASS && r.outcome == DOT11XDP_TX_NO_KEY,
		   "no key at all: passed as NO_KEY (action %d, outcome %s)", r.action,
		   tx_outcome_name(r.outcome));
	test_bytes_eq(r.frame, r.len, v->plain, v->plain_len, "no key at all: the frame is unchanged");

	key_put(ra, DOT11XDP_DIR_INBOUND, &right);
	key_put(ta, DOT11XDP_DIR_OUTBOUND, &right);
	key_put(ta, DOT11XDP_DIR_BOTH, &right);
	tx_run(v->plain, v->plain_len, &r);
	test_check(r.outcome == DOT11XDP_TX_NO_KEY && r.action == XDP_PASS,
		   "only A1's inbound key and A2's keys: NO_KEY (outcome %s)",
		   tx_outcome_name(r.outcome));
	test_bytes_eq(r.frame, r.len, v->plain, v->plain_len,
		      "only A1's inbound key and A2's keys: the frame is unchanged");
	test_check(tx_pn_of(ra, DOT11XDP_DIR_INBOUND) == v->pn &&
			   tx_pn_of(ta, DOT11XDP_DIR_OUTBOUND) == v->pn,
		   "a frame without a key takes no PN from any key");
	keys_clear();

	key_put(ra, DOT11XDP_DIR_BOTH, &wrong);
	key_put(ra, DOT11XDP_DIR_OUTBOUND, &right);
	tx_run(v->plain, v->plain_len, &r);
	test_bytes_eq(r.frame, r.len, v->want, v->want_len,
		      "A1 with outbound and both keys: the outbound key protects the frame");
	test_check(tx_pn_of(ra, DOT11XDP_DIR_BOTH) == v->pn,
		   "the both key's tx_pn is untouched while the outbound key is used");

	key_del(ra, DOT11XDP_DIR_OUTBOUND);
	want_other_len = oracle_seal(c, other_tk, v->plain, v->plain_len, v->pn, want_other);
	tx_run(v->plain, v->plain_len, &r);
	test_check(r.outcome == DOT11XDP_TX_ENCRYPTED, "A1 with a both key only: ENCRYPTED (%s)",
		   tx_outcome_name(r.outcome));
	test_bytes_eq(r.frame, r.len, want_other, want_other_len,
		      "A1 with a both key only: that key protects the frame (OpenSSL's AES-CCM)");
	test_check(tx_pn_of(ra, DOT11XDP_DIR_BOTH) == v->pn + 1, "the both key's tx_pn moved by one");
	keys_clear();
	free(v);
}

/* ---- round trip ------------------------------------------------------------------- */

/*
 * Where the receive side must find the key to pick the Michael key the sender used: a
 * FromDS frame (AP -> station) under its transmitter, the AP; every other frame under its
 * receiver. This is a station's key (peer = AP) as a monitor holds it, and it is where
 * either key (RX or TX Michael) is the one encap.h's rule (by the DS bits) chose.
 */
static const __u8 *rx_key_peer(const __u8 *frame)
{
	return (frame[1] & 3) == 2 ? frame + 10 : frame + 4;
}

struct round_trip_stats {
	unsigned int frames, encrypted, oracle_ok, pn_ok, rx_ok;
	/* The first failure of each kind, for the diagnostic line. */
	char enc_failure[96], pn_failure[96], oracle_failure[96], rx_failure[96];
};

static void note_failure(char *first, size_t size, size_t body_len, const char *what)
{
	if (!first[0])
		snprintf(first, size, "body of %zu bytes: %s", body_len, what);
}

#define NOTE_FAILURE(field, body_len, what) note_failure(field, sizeof(field), body_len, what)

/*
 * One frame of body_len bytes: encrypt with the outbound key of ra (tx_pn = *pn), compare with
 * the oracle, then decrypt behind a radiotap header with the same key as an inbound key.
 */
static void round_trip_one(const struct cipher_case *c, const struct dot11xdp_key *key,
			   const __u8 *tk, const __u8 *ra, const __u8 *ta, size_t body_len,
			   __u64 *pn, struct round_trip_stats *s)
{
	static __u8 plain[FRAME_MAX], want[FRAME_MAX], rx_in[FRAME_MAX + RT_LEN];
	static const __u8 radiotap[RT_LEN] = { 0, 0, RT_LEN, 0, 0, 0, 0, 0 };
	static struct run_result r, back;
	size_t len = random_frame(c, ra, ta, body_len, plain), want_len, hdr_len;
	const __u8 *rx_peer;

	s->frames++;
	tx_run(plain, len, &r);
	if (r.outcome != DOT11XDP_TX_ENCRYPTED || r.action != XDP_PASS ||
	    r.len != len + c->sec_len + c->trailer_len) {
		NOTE_FAILURE(s->enc_failure, body_len, tx_outcome_name(r.outcome));
		return;
	}
	s->encrypted++;

	hdr_len = mpdu_hdr_len(plain);
	if (frame_pn(c, r.frame) == (c->sec_len == 4 ? *pn & 0xffffff : *pn) &&
	    tx_pn_of(ra, DOT11XDP_DIR_OUTBOUND) == *pn + 1)
		s->pn_ok++;
	else
		NOTE_FAILURE(s->pn_failure, body_len, "not the key's next PN, or tx_pn not moved by one");

	want_len = oracle_seal(c, tk, plain, len, *pn, want);
	if (!want_len) { /* TKIP: the header, the security header's WEP seed and key ID octet */
		if (!memcmp(r.frame, want, hdr_len) &&
		    r.frame[hdr_len + 1] == ((r.frame[hdr_len] | 0x20) & 0x7f) &&
		    r.frame[hdr_len + 3] == 0x20)
			s->oracle_ok++;
		else
			NOTE_FAILURE(s->oracle_failure, body_len, "header or TKIP header wrong");
	} else if (want_len == r.len && !memcmp(r.frame, want, want_len))
		s->oracle_ok++;
	else
		NOTE_FAILURE(s->oracle_failure, body_len, "differs from the oracle's frame");
	*pn += 1;

	rx_peer = rx_key_peer(r.frame);
	key_del(ra, DOT11XDP_DIR_INBOUND);
	key_del(ta, DOT11XDP_DIR_INBOUND);
	key_put(rx_peer, DOT11XDP_DIR_INBOUND, key);
	memcpy(rx_in, radiotap, RT_LEN);
	memcpy(rx_in + RT_LEN, r.frame, r.len);
	prog_run(dec_fd, rx_in, RT_LEN + r.len, &back);
	plain[1] &= ~0x40; /* the receive side delivers the plaintext frame unprotected */
	if (back.outcome == DOT11XDP_RX_DECRYPTED && back.action == XDP_PASS &&
	    back.len == RT_LEN + len && !memcmp(back.frame, radiotap, RT_LEN) &&
	    !memcmp(back.frame + RT_LEN, plain, len))
		s->rx_ok++;
	else if (back.outcome == DOT11XDP_RX_DECRYPTED)
		NOTE_FAILURE(s->rx_failure, body_len, "DECRYPTED, but not to the plaintext");
	else
		NOTE_FAILURE(s->rx_failure, body_len, rx_outcome_text(back.outcome));
}

/* Random sizes 0..2304 and the edges, every frame shape, encrypted and decrypted back. */
static void check_round_trip(const struct cipher_case *c, __u8 engine)
{
	static const size_t edges[] = { 0, 1, 15, 16, 17, 31, 32, 33, 1500, MSDU_MAX };
	size_t max = BODY_MAX - c->trailer_len, random_sizes = 40;
	struct round_trip_stats s = {};
	struct dot11xdp_key key;
	__u8 tk[32], ra[6], ta[6];
	__u64 pn;

	keys_clear();
	rng_bytes(tk, sizeof(tk));
	rng_unicast(ra);
	rng_unicast(ta);
	key_prepare(&key, c, tk, engine);
	pn = key.tx_pn = 1 + (rng() & 0xffffffffffULL);
	key_put(ra, DOT11XDP_DIR_OUTBOUND, &key);

	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		round_trip_one(c, &key, tk, ra, ta, edges[i], &pn, &s);
	round_trip_one(c, &key, tk, ra, ta, max, &pn, &s);
	for (size_t i = 0; i < random_sizes; i++)
		round_trip_one(c, &key, tk, ra, ta, rng() % (MSDU_MAX + 1), &pn, &s);

	test_check(s.encrypted == s.frames, "%s (%s): %u of %u frames ENCRYPTED, passed, grown by %u "
		   "bytes (first failure: %s)", c->name, engine_name(engine), s.encrypted, s.frames,
		   c->sec_len + c->trailer_len, s.enc_failure);
	test_check(s.pn_ok == s.frames, "%s (%s): %u of %u frames carry the key's next PN, tx_pn "
		   "moving by one per frame (first failure: %s)", c->name, engine_name(engine),
		   s.pn_ok, s.frames, s.pn_failure);
	test_check(s.oracle_ok == s.frames, "%s (%s): %u of %u frames match %s (first failure: %s)",
		   c->name, engine_name(engine), s.oracle_ok, s.frames,
		   c->aes ? "OpenSSL's AES frame" :
		   c->cipher == DOT11XDP_CIPHER_TKIP ? "their header and TKIP header" :
						       "OpenSSL's RC4 and zlib's CRC-32 frame",
		   s.oracle_failure);
	test_check(s.rx_ok == s.frames, "%s (%s): %u of %u frames decrypt back to the plaintext "
		   "through xdp_decrypt (first failure: %s)", c->name, engine_name(engine), s.rx_ok,
		   s.frames, s.rx_failure);
	keys_clear();
	key_release(&key);
}

/* ---- PN --------------------------------------------------------------------------- */

/* A plain QoS data frame to ra with body_len bytes of body. */
static size_t plain_frame(const __u8 *ra, size_t body_len, __u8 *f)
{
	static const __u8 hdr[26] = { 0x88, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x11, 0x22,
				      0x33, 0x44, 0x55, 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa,
				      0x10, 0x00, 0x05, 0x00 };

	memcpy(f, hdr, sizeof(hdr));
	memcpy(f + 4, ra, 6);
	for (size_t i = 0; i < body_len; i++)
		f[sizeof(hdr) + i] = (__u8)(i * 7);
	return sizeof(hdr) + body_len;
}

/* tx_pn 0 is taken as 1; the last PN 2^48 - 1 is used, then every frame is refused. */
static void check_pn_limits(const struct cipher_case *c)
{
	static const __u8 ra[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
	__u8 tk[32], f[128];
	struct dot11xdp_key key;
	struct run_result r;
	size_t len = plain_frame(ra, 40, f);
	__u64 last = c->sec_len == 4 ? PN_MAX & 0xffffff : PN_MAX;

	keys_clear();
	memset(tk, 0x3c, sizeof(tk));
	key_prepare(&key, c, tk, DOT11XDP_ENGINE_TABLE);
	key.tx_pn = 0;
	key_put(ra, DOT11XDP_DIR_OUTBOUND, &key);
	tx_run(f, len, &r);
	test_check(r.outcome == DOT11XDP_TX_ENCRYPTED && frame_pn(c, r.frame) == 1 &&
			   tx_pn_of(ra, DOT11XDP_DIR_OUTBOUND) == 2,
		   "%s: a key with tx_pn 0 sends PN 1 first (outcome %s), tx_pn then 2", c->name,
		   tx_outcome_name(r.outcome));

	key.tx_pn = PN_MAX;
	key_put(ra, DOT11XDP_DIR_OUTBOUND, &key);
	tx_run(f, len, &r);
	test_check(r.outcome == DOT11XDP_TX_ENCRYPTED && frame_pn(c, r.frame) == last,
		   "%s: PN 2^48 - 1 is still used (outcome %s)", c->name, tx_outcome_name(r.outcome));
	for (int i = 0; i < 2; i++) {
		tx_run(f, len, &r);
		test_check(r.outcome == DOT11XDP_TX_PN_EXHAUSTED && r.action == XDP_DROP,
			   "%s: frame %d past PN 2^48 - 1 is refused and dropped (outcome %s, action "
			   "%d)", c->name, i + 1, tx_outcome_name(r.outcome), r.action);
		test_bytes_eq(r.frame, r.len, f, len, "%s: the refused frame %d is unchanged", c->name,
			      i + 1);
	}
	keys_clear();
}

struct pn_thread {
	int cpu;
	const __u8 *ra;
	unsigned int frames;
	__u64 *pns;
	int err;
};

static void *pn_thread_main(void *arg)
{
	struct pn_thread *t = arg;
	const struct cipher_case *c = cipher_case(DOT11XDP_CIPHER_CCMP);
	struct run_result *r = malloc(sizeof(*r));
	cpu_set_t set;
	__u8 f[128];
	size_t len = plain_frame(t->ra, 64, f);

	CPU_ZERO(&set);
	CPU_SET(t->cpu, &set);
	if (!r || pthread_setaffinity_np(pthread_self(), sizeof(set), &set)) {
		t->err = r ? errno : ENOMEM;
		free(r);
		return NULL;
	}
	for (unsigned int i = 0; i < t->frames; i++) {
		tx_run(f, len, r);
		if (r->outcome != DOT11XDP_TX_ENCRYPTED) {
			t->err = EPROTO;
			break;
		}
		t->pns[i] = frame_pn(c, r->frame);
	}
	free(r);
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* Two CPUs encrypting with one key at once never send the same PN, and skip none. */
static void check_pn_two_cpus(void)
{
	static const __u8 ra[6] = { 0x02, 0x12, 0x34, 0x56, 0x78, 0x9a };
	const unsigned int frames = 20000;
	const __u64 start = 0x123456789aULL;
	struct pn_thread t[2];
	pthread_t tid[2];
	struct dot11xdp_key key;
	__u8 tk[16];
	__u64 *all;
	unsigned int dup = 0, out_of_order = 0, switches = 0, gaps = 0;

	if (ncpus < 2 || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		test_fatal("the two-CPU PN test needs two online CPUs");
	keys_clear();
	memset(tk, 0x77, sizeof(tk));
	key_prepare(&key, cipher_case(DOT11XDP_CIPHER_CCMP), tk, DOT11XDP_ENGINE_TABLE);
	key.tx_pn = start;
	key_put(ra, DOT11XDP_DIR_BOTH, &key);
	all = calloc(2 * frames, sizeof(*all));
	if (!all)
		test_fatal("out of memory");
	for (int i = 0; i < 2; i++) {
		t[i] = (struct pn_thread){ .cpu = i, .ra = ra, .frames = frames, .pns = all + i * frames };
		if (pthread_create(&tid[i], NULL, pn_thread_main, &t[i]))
			test_fatal("pthread_create failed");
	}
	for (int i = 0; i < 2; i++)
		pthread_join(tid[i], NULL);
	test_check(!t[0].err && !t[1].err, "two CPUs: every frame ENCRYPTED (errors %d, %d)",
		   t[0].err, t[1].err);

	for (int i = 0; i < 2; i++)
		for (unsigned int j = 1; j < frames; j++) {
			out_of_order += t[i].pns[j] <= t[i].pns[j - 1];
			switches += t[i].pns[j] != t[i].pns[j - 1] + 1;
		}
	qsort(all, 2 * frames, sizeof(*all), cmp_u64);
	for (unsigned int j = 1; j < 2 * frames; j++) {
		dup += all[j] == all[j - 1];
		gaps += all[j] > all[j - 1] + 1;
	}
	printf("# two CPUs: %u frames each; the other CPU took PNs in between %u times\n", frames,
	       switches);
	test_check(out_of_order == 0, "two CPUs: each CPU's PNs strictly increase (%u not)",
		   out_of_order);
	test_check(dup == 0, "two CPUs: no PN sent twice among %u frames (%u duplicates)", 2 * frames,
		   dup);
	test_check(gaps == 0 && all[0] == start && all[2 * frames - 1] == start + 2 * frames - 1,
		   "two CPUs: the PNs are exactly tx_pn .. tx_pn + %u - 1 (%u gaps)", 2 * frames, gaps);
	test_check(tx_pn_of(ra, DOT11XDP_DIR_BOTH) == start + 2 * frames,
		   "two CPUs: tx_pn moved by exactly the number of frames");
	free(all);
	keys_clear();
}

/* ---- refusals --------------------------------------------------------------------- */

/* Run f and expect outcome, a dropped frame, and tx_pn of the (ra, outbound) key unmoved. */
static void expect_refused(const __u8 *f, size_t len, const __u8 *ra, __u32 outcome,
			   const char *what)
{
	struct dot11xdp_key key;
	bool had_key = key_get(ra, DOT11XDP_DIR_OUTBOUND, &key);
	__u64 before = had_key ? key.tx_pn : 0;
	struct run_result r;

	tx_run(f, len, &r);
	test_check(r.outcome == outcome && r.action == tx_action_of(outcome),
		   "%s: %s and %s (outcome %s, action %d)", what, tx_outcome_name(outcome),
		   outcome == DOT11XDP_TX_NO_KEY ? "passed" : "dropped", tx_outcome_name(r.outcome),
		   r.action);
	if (had_key && outcome != DOT11XDP_TX_FAILED)
		test_check(tx_pn_of(ra, DOT11XDP_DIR_OUTBOUND) == before,
			   "%s: no PN taken", what);
}

static void check_refusals(void)
{
	static const __u8 ra[6] = { 0x02, 0x01, 0x02, 0x03, 0x04, 0x05 };
	__u8 f[FRAME_MAX], tk[32];
	struct dot11xdp_key key;
	struct run_result r;
	size_t len;

	memset(tk, 0x42, sizeof(tk));
	for (size_t i = 0; i < NCIPHERS; i++) {
		const struct cipher_case *c = &ciphers[i];
		size_t max = BODY_MAX - c->trailer_len;
		char what[96];

		keys_clear();
		key_prepare(&key, c, tk, DOT11XDP_ENGINE_TABLE);
		key.tx_pn = 100;
		key_put(ra, DOT11XDP_DIR_OUTBOUND, &key);

		len = plain_frame(ra, max, f);
		tx_run(f, len, &r);
		test_check(r.outcome == DOT11XDP_TX_ENCRYPTED && r.len == len + c->sec_len + c->trailer_len,
			   "%s: the longest body that fits the work buffer (%zu bytes) is protected "
			   "(outcome %s)", c->name, max, tx_outcome_name(r.outcome));
		len = plain_frame(ra, max + 1, f);
		snprintf(what, sizeof(what), "%s: a body of %zu bytes (beyond the work buffer)", c->name,
			 max + 1);
		expect_refused(f, len, ra, DOT11XDP_TX_UNSUPPORTED, what);

		len = plain_frame(ra, 8, f);
		f[0] |= 0x01;
		snprintf(what, sizeof(what), "%s: protocol version 1", c->name);
		expect_refused(f, len, ra, DOT11XDP_TX_MALFORMED, what);

		/* An ACK-sized control frame padded to BPF_PROG_TEST_RUN's minimum, then an RTS. */
		memset(f, 0, 24);
		f[0] = 0xd4;
		memcpy(f + 4, ra, 6);
		snprintf(what, sizeof(what), "%s: a control frame (ACK)", c->name);
		expect_refused(f, 14, ra, DOT11XDP_TX_MALFORMED, what);
		f[0] = 0xb4;
		snprintf(what, sizeof(what), "%s: a control frame (RTS)", c->name);
		expect_refused(f, 20, ra, DOT11XDP_TX_MALFORMED, what);

		len = plain_frame(ra, 0, f);
		snprintf(what, sizeof(what), "%s: a QoS data frame cut inside QoS Control", c->name);
		expect_refused(f, 25, ra, DOT11XDP_TX_MALFORMED, what);
		snprintf(what, sizeof(what), "%s: a data frame cut inside Sequence Control", c->name);
		f[0] = 0x08;
		expect_refused(f, 23, ra, DOT11XDP_TX_MALFORMED, what);

		if (!c->mgmt) {
			len = plain_frame(ra, 2, f);
			f[0] = 0xc0; /* Deauthentication: 24-byte header, then the reason */
			f[1] = 0;
			memmove(f + 24, f + 26, 2);
			snprintf(what, sizeof(what), "%s: a management frame (no such protection)",
				 c->name);
			expect_refused(f, 26, ra, DOT11XDP_TX_UNSUPPORTED, what);
		}
		if (c->cipher == DOT11XDP_CIPHER_TKIP) {
			len = plain_frame(ra, 40, f);
			f[1] |= 0x04;
			expect_refused(f, len, ra, DOT11XDP_TX_UNSUPPORTED,
				       "TKIP: a first fragment (MoreFrag; Michael covers the MSDU)");
			len = plain_frame(ra, 40, f);
			f[22] |= 0x02;
			expect_refused(f, len, ra, DOT11XDP_TX_UNSUPPORTED,
				       "TKIP: a later fragment (fragment number 2)");
		}
	}

	/* A key whose cipher this build cannot protect with, or whose material is not its cipher's. */
	keys_clear();
	key_prepare(&key, cipher_case(DOT11XDP_CIPHER_CCMP), tk, DOT11XDP_ENGINE_TABLE);
	key.cipher = 0x06; /* BIP: integrity only, never a key-mapping key */
	key_put(ra, DOT11XDP_DIR_OUTBOUND, &key);
	len = plain_frame(ra, 20, f);
	expect_refused(f, len, ra, DOT11XDP_TX_UNSUPPORTED, "a key of cipher 6 (BIP)");
	key.cipher = DOT11XDP_CIPHER_CCMP_256; /* with a 16-byte key */
	key_put(ra, DOT11XDP_DIR_OUTBOUND, &key);
	expect_refused(f, len, ra, DOT11XDP_TX_UNSUPPORTED, "a CCMP-256 key of 16 bytes");
	key.cipher = DOT11XDP_CIPHER_TKIP; /* AES material under TKIP's name */
	key_put(ra, DOT11XDP_DIR_OUTBOUND, &key);
	expect_refused(f, len, ra, DOT11XDP_TX_UNSUPPORTED, "a TKIP key of 16 bytes");

	/* The kfunc engine without its kernel contexts: the cipher fails, nothing is sent. */
	key_prepare(&key, cipher_case(DOT11XDP_CIPHER_CCMP), tk, DOT11XDP_ENGINE_KFUNC);
	key_release(&key);
	key_put(ra, DOT11XDP_DIR_OUTBOUND, &key);
	expect_refused(f, len, ra, DOT11XDP_TX_FAILED,
		       "a kfunc-engine key whose contexts are gone");
	keys_clear();
}

/* ---- radiotap in front ------------------------------------------------------------ */

/*
 * The encapsulation of a frame whose MPDU sits behind a radiotap header (mpdu_offset 8, as the
 * transmit path will hand it): the radiotap header stays in front, the MPDU becomes what it
 * becomes bare.
 */
static void check_prefix(void)
{
	static const __u8 radiotap[RT_LEN] = { 0, 0, RT_LEN, 0, 0, 0, 0, 0 };
	static const __u8 ra[6] = { 0x02, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e };
	static const __u8 ta[6] = { 0x02, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e };
	__u8 f[FRAME_MAX], rt[FRAME_MAX], tk[32];
	struct run_result bare, behind;

	memset(tk, 0x99, sizeof(tk));
	for (size_t i = 0; i < NCIPHERS; i++) {
		const struct cipher_case *c = &ciphers[i];
		struct dot11xdp_key key;
		size_t len;

		keys_clear();
		key_prepare(&key, c, tk, DOT11XDP_ENGINE_TABLE);
		key.tx_pn = 77;
		key_put(ra, DOT11XDP_DIR_OUTBOUND, &key);
		len = random_frame(c, ra, ta, 100, f);
		tx_run(f, len, &bare);
		key_put(ra, DOT11XDP_DIR_OUTBOUND, &key); /* tx_pn 77 again */
		memcpy(rt, radiotap, RT_LEN);
		memcpy(rt + RT_LEN, f, len);
		tx_run_on(enc_rt_fd, rt, RT_LEN + len, &behind);
		test_check(bare.outcome == DOT11XDP_TX_ENCRYPTED &&
				   behind.outcome == DOT11XDP_TX_ENCRYPTED &&
				   behind.len == RT_LEN + bare.len &&
				   !memcmp(behind.frame, radiotap, RT_LEN) &&
				   !memcmp(behind.frame + RT_LEN, bare.frame, bare.len),
			   "%s: behind a radiotap header, the same protected MPDU after the same "
			   "radiotap header", c->name);
	}
	keys_clear();
}

/* ---- counters --------------------------------------------------------------------- */

static void check_counters(void)
{
	struct dot11xdp_tx_stats values[ncpus], sum = {};
	__u32 zero = 0;
	bool same = true;

	if (bpf_map_lookup_elem(txstat_fd, &zero, values))
		test_fatal("dot11xdp_txstat lookup: %s", strerror(errno));
	for (int cpu = 0; cpu < ncpus; cpu++)
		for (int o = 0; o < DOT11XDP_TX_OUTCOMES; o++)
			((__u64 *)&sum)[o] += ((__u64 *)&values[cpu])[o];
	for (int o = 0; o < DOT11XDP_TX_OUTCOMES; o++) {
		printf("# dot11xdp_txstat %-12s %llu (runs: %llu)\n", tx_outcome_name(o),
		       (unsigned long long)((__u64 *)&sum)[o], (unsigned long long)tally[o]);
		same &= ((__u64 *)&sum)[o] == tally[o];
	}
	test_ok(same, "dot11xdp_txstat counts every run once, under its outcome");
}

int main(void)
{
	struct tv_file tv;
	const char *seed = getenv("SEED");

	test_require_root();
	/* RC4 lives in OpenSSL 3's legacy provider; the default one must stay for AES. */
	if (!OSSL_PROVIDER_load(NULL, "legacy") || !OSSL_PROVIDER_load(NULL, "default"))
		test_fatal("loading OpenSSL's legacy provider (RC4, the WEP oracle) failed");
	rng_state = seed ? strtoull(seed, NULL, 0) : 0x2545f4914f6cdd1dULL;
	if (!rng_state)
		rng_state = 1;
	printf("# SEED=%#llx\n", (unsigned long long)rng_state);
	if (tv_load(test_data_path("ieee80211-cipher-vectors.txt"), &tv))
		test_fatal("cannot load %s", test_data_path("ieee80211-cipher-vectors.txt"));

	env_open();
	check_vectors(&tv);
	check_table_build(&tv);
	check_key_selection(&tv);
	for (size_t i = 0; i < NCIPHERS; i++) {
		check_round_trip(&ciphers[i], DOT11XDP_ENGINE_TABLE);
		if (ciphers[i].aes)
			check_round_trip(&ciphers[i], DOT11XDP_ENGINE_KFUNC);
	}
	for (size_t i = 0; i < NCIPHERS; i++)
		check_pn_limits(&ciphers[i]);
	check_pn_two_cpus();
	check_refusals();
	check_prefix();
	check_counters();

	tv_free(&tv);
	decrypt_bpf__destroy(dec);
	encrypt_bpf__destroy(enc_rt);
	encrypt_bpf__destroy(enc);
	return test_done();
}
