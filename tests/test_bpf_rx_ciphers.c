// SPDX-License-Identifier: GPL-2.0
/*
 * Tier 1: the receive program (xdp_decrypt) on every cipher but CCMP-128 (test_bpf_rx.c has
 * that one): CCMP-256, GCMP-128, GCMP-256 on both AES engines, TKIP and WEP-40/104, through
 * BPF_PROG_TEST_RUN with keys installed as libdot11xdp prepares them.
 *
 * External truth: the IEEE 802.11 Annex vectors (CCMP-256 M.6.4, GCMP M.11.1 #1 and #2,
 * GCMP-256 M.11.1, TKIP M.6.3); OpenSSL's AES-CCM, AES-GCM and RC4, zlib's CRC-32 and
 * Michael written here from the standard (checked against M.6.3's MIC) for the frames the
 * vectors do not cover; tshark's decryption of two real captures, wpa-psk-linksys.cap
 * (TKIP) and wep_64_ptw_01.cap (WEP-40), and airdecap-ng's for the Ethernet output.
 *
 * For each cipher: the vectors decrypt to their plaintext; a wrong key, every truncation,
 * every single-bit flip (bits nothing covers must decrypt, to the right plaintext), a
 * replayed PN/TSC and a security header of another cipher are never plaintext, are counted
 * under their outcome, leave the packet as it came and move no counter. TKIP: Michael
 * failures (ICV right, Michael wrong) are counted apart and leave the TSC where it was; the
 * Michael key follows the frame's direction. WEP has no replay protection. Every cipher's
 * plaintext converts to Ethernet.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <zlib.h>

#include "decrypt.skel.h"
#include "rx_harness.h"
#include "testlib.h"

static struct decrypt_bpf *skel;

/* One protected MPDU, the key that opens it, and what it decrypts to. */
struct rx_case {
	char name[128];
	__u32 cipher;
	enum dot11xdp_engine engine;
	__u8 tk[32];
	unsigned int tk_len;
	__u8 mpdu[RX_FRAME_MAX]; /* without FCS */
	size_t mpdu_len;
	__u8 fcs[4];
	bool has_fcs;
	size_t hdr_len; /* MAC header */
	__u8 plain[RX_FRAME_MAX];
	size_t plain_len;
	__u64 pn; /* PN or TSC; WEP: none */
};

/* c->name = the printf of fmt (the old name may be an argument). */
static void __attribute__((format(printf, 2, 3))) case_name(struct rx_case *c, const char *fmt, ...)
{
	char name[sizeof(c->name)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	memcpy(c->name, name, sizeof(name));
}

static bool has_pn(__u32 cipher)
{
	return cipher != DOT11XDP_CIPHER_WEP40 && cipher != DOT11XDP_CIPHER_WEP104;
}

/* Replay counter of an MPDU: the TID of QoS data, 0 for other data, 16 for management. */
static int replay_index(const __u8 *m)
{
	bool data = (m[0] & 0x0c) == 0x08;

	if ((m[0] & 0x0c) == 0x00)
		return DOT11XDP_REPLAY_MGMT;
	if (data && (m[0] & 0x80))
		return m[(m[1] & 3) == 3 ? 30 : 24] & 0x0f;
	return 0;
}

static const char *engine_name(enum dot11xdp_engine engine)
{
	return engine == DOT11XDP_ENGINE_KFUNC ? "kfunc" : "table";
}

static void case_install(const struct rx_case *c, const __u8 *tk, __u64 pn_init)
{
	rx_key_install(c->mpdu + 10, DOT11XDP_DIR_INBOUND, c->cipher, tk ? tk : c->tk, c->tk_len,
		       c->engine, 0, pn_init);
}

/* The counters after c decrypted: its own at its PN (none for WEP), every other at 0. */
static bool counters_after(const struct rx_case *c, const __u8 *mpdu)
{
	if (!has_pn(c->cipher))
		return rx_counters_are(c->mpdu + 10, DOT11XDP_DIR_INBOUND, 0, -1, 0, 0);
	return rx_counters_are(c->mpdu + 10, DOT11XDP_DIR_INBOUND, 0, DOT11XDP_FROM_PEER,
			       replay_index(mpdu), c->pn);
}

static bool counters_untouched(const struct rx_case *c)
{
	return rx_counters_are(c->mpdu + 10, DOT11XDP_DIR_INBOUND, 0, -1, 0, 0);
}

/* ---- generic checks, for every case ------------------------------------------------ */

static void test_decrypt(const struct rx_case *c, const __u8 *rt, size_t rt_len,
			 size_t rt_flags_off, bool with_fcs, const char *variant)
{
	const __u8 *ta = c->mpdu + 10;
	struct dot11xdp_rx_stats before, after;
	struct frame in, want;
	struct rx_result r;
	char what[200];

	snprintf(what, sizeof(what), "%s, %s", c->name, variant);
	rx_keys_clear();
	case_install(c, NULL, 0);
	frame_wrap(&in, rt, rt_len, c->mpdu, c->mpdu_len, with_fcs ? c->fcs : NULL);
	expected_plain(rt, rt_len, with_fcs ? rt_flags_off : 0, c->mpdu, c->hdr_len, 0, c->plain,
		       c->plain_len, &want);
	rx_peer_stats(ta, &before);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, what);
	expect_bytes(&r, want.bytes, want.len, what);
	test_ok(counters_after(c, c->mpdu), "%s: %s", what,
		has_pn(c->cipher) ? "its counter advanced to the PN, no other moved"
				  : "no counter moved (WEP has none)");
	rx_peer_stats(ta, &after);
	test_ok(after.decrypted == before.decrypted + 1,
		"%s: the transmitter's decrypted counter went up by one", what);

	/* Again: a replay, except under WEP, which cannot tell. */
	snprintf(what, sizeof(what), "%s, %s, the same frame again", c->name, variant);
	rx_run(in.bytes, in.len, &r);
	if (has_pn(c->cipher)) {
		expect(&r, XDP_DROP, DOT11XDP_RX_REPLAY, what);
		expect_bytes(&r, in.bytes, in.len, what);
	} else {
		expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, what);
		expect_bytes(&r, want.bytes, want.len, what);
	}
	test_ok(counters_after(c, c->mpdu), "%s: counters as they were", what);

	if (with_fcs) {
		rx_keys_clear();
		case_install(c, NULL, 0);
		in.bytes[rt_flags_off] |= 0x40;
		rx_run(in.bytes, in.len, &r);
		snprintf(what, sizeof(what), "%s, %s, bad-FCS flag", c->name, variant);
		expect(&r, XDP_DROP, DOT11XDP_RX_BAD_FCS, what);
		expect_bytes(&r, in.bytes, in.len, what);
		test_ok(counters_untouched(c), "%s: no counter moved", what);
	}
}

/* The key's initial PN counts as seen: a frame must carry a higher one. */
static void test_initial_pn(const struct rx_case *c)
{
	struct frame in;
	struct rx_result r;
	char what[200];

	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), c->mpdu, c->mpdu_len, NULL);
	rx_keys_clear();
	case_install(c, NULL, c->pn);
	snprintf(what, sizeof(what), "%s: PN equal to the key's initial PN", c->name);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_REPLAY, what);
	expect_bytes(&r, in.bytes, in.len, what);
	test_ok(rx_counters_are(c->mpdu + 10, DOT11XDP_DIR_INBOUND, c->pn, -1, 0, 0),
		"%s: counters unchanged", what);
	case_install(c, NULL, c->pn - 1);
	snprintf(what, sizeof(what), "%s: PN one above the key's initial PN", c->name);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, what);
}

/* One bit of the key's first byte (TKIP: of the TK) wrong: the MIC or ICV fails. */
static void test_wrong_key(const struct rx_case *c)
{
	struct frame in;
	struct rx_result r;
	char what[200];
	__u8 tk[32];

	memcpy(tk, c->tk, c->tk_len);
	tk[0] ^= 0x10;
	rx_keys_clear();
	case_install(c, tk, 0);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), c->mpdu, c->mpdu_len, NULL);
	snprintf(what, sizeof(what), "%s, wrong key", c->name);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_MIC_FAILURE, what);
	expect_bytes(&r, in.bytes, in.len, what);
	test_ok(counters_untouched(c), "%s: no counter moved", what);
}

/* Every cut of the frame (down to what BPF_PROG_TEST_RUN takes) is never plaintext. */
static void test_truncations(const struct rx_case *c, const __u8 *rt, size_t rt_len,
			     bool with_fcs, const char *variant)
{
	int bad = 0, runs = 0;
	struct frame in;
	struct rx_result r;

	frame_wrap(&in, rt, rt_len, c->mpdu, c->mpdu_len, with_fcs ? c->fcs : NULL);
	rx_keys_clear();
	case_install(c, NULL, 0);
	for (size_t len = in.len - 1; len >= RX_TEST_RUN_MIN; len--) {
		rx_run(in.bytes, len, &r);
		runs++;
		if (r.outcome == DOT11XDP_RX_DECRYPTED || r.len != len ||
		    memcmp(r.frame, in.bytes, len) || !counters_untouched(c)) {
			if (bad++ < 5)
				printf("#   cut to %zu bytes: %s %s\n", len, rx_action_name(r.action),
				       rx_outcome_name(r.outcome));
		}
	}
	test_ok(!bad && runs > 0,
		"%s, %s: all %d truncations undecrypted, unchanged, counters unmoved", c->name,
		variant, runs);
}

/*
 * Whether flipping bit of byte off (counted from the MPDU's start; at or past mpdu_len: the
 * FCS) leaves what the cipher checks unchanged, so the frame must still decrypt. flipped is
 * the MPDU with the bit flipped.
 */
typedef bool (*uncovered_fn)(const struct rx_case *c, const __u8 *flipped, size_t off, int bit);

static void test_bit_flips(const struct rx_case *c, uncovered_fn uncovered, const __u8 *rt,
			   size_t rt_len, size_t rt_flags_off, bool with_fcs, const char *variant)
{
	int bad = 0, runs = 0, decrypted = 0;
	struct frame in, flipped, want;
	struct rx_result r;

	frame_wrap(&in, rt, rt_len, c->mpdu, c->mpdu_len, with_fcs ? c->fcs : NULL);
	for (size_t off = 0; off < in.len; off++) {
		for (int bit = 0; bit < 8; bit++) {
			bool in_rt = off < rt_len, cover_free, counters_ok, bytes_ok;

			flipped = in;
			flipped.bytes[off] ^= 1u << bit;
			rx_keys_clear();
			case_install(c, NULL, 0);
			rx_run(flipped.bytes, flipped.len, &r);
			runs++;
			cover_free = !in_rt && uncovered(c, flipped.bytes + rt_len, off - rt_len, bit);
			expected_plain(flipped.bytes, rt_len, with_fcs ? rt_flags_off : 0,
				       flipped.bytes + rt_len, c->hdr_len, 0, c->plain, c->plain_len,
				       &want);
			if (r.outcome == DOT11XDP_RX_DECRYPTED) {
				decrypted++;
				counters_ok = counters_after(c, flipped.bytes + rt_len);
				/* A radiotap flip may decrypt (radiotap is no part of the MPDU): the
				 * 802.11 part must then be exactly the plaintext. */
				bytes_ok = r.len == want.len &&
					   !memcmp(r.frame + rt_len, want.bytes + rt_len, want.len - rt_len) &&
					   (in_rt || !memcmp(r.frame, want.bytes, rt_len));
				if ((!cover_free && !in_rt) || !bytes_ok || !counters_ok ||
				    r.action != XDP_PASS) {
					if (bad++ < 8)
						printf("#   byte %zu bit %d: DECRYPTED (%s, bytes %s)\n", off,
						       bit, cover_free ? "uncovered" : "covered",
						       bytes_ok ? "right" : "wrong");
				}
			} else {
				counters_ok = counters_untouched(c);
				if (cover_free || !counters_ok || r.len != flipped.len ||
				    memcmp(r.frame, flipped.bytes, flipped.len)) {
					if (bad++ < 8)
						printf("#   byte %zu bit %d: %s %s (%s)\n", off, bit,
						       rx_action_name(r.action), rx_outcome_name(r.outcome),
						       cover_free ? "should decrypt" : "changed");
				}
			}
		}
	}
	test_ok(!bad, "%s, %s: %d single-bit flips: only uncovered bits decrypt (%d), to the right "
		      "plaintext; the rest unchanged, counters unmoved",
		c->name, variant, runs, decrypted);
}

static void test_case(const struct rx_case *c, uncovered_fn uncovered)
{
	test_decrypt(c, rx_rt_minimal, sizeof(rx_rt_minimal), 0, false, "minimal radiotap");
	if (c->has_fcs)
		test_decrypt(c, rx_rt_fcs, sizeof(rx_rt_fcs), RX_RT_FCS_FLAGS_OFF, true,
			     "radiotap TSFT+Flags(FCS)+FCS");
	if (has_pn(c->cipher))
		test_initial_pn(c);
	test_wrong_key(c);
	test_truncations(c, rx_rt_minimal, sizeof(rx_rt_minimal), false, "minimal radiotap");
	test_bit_flips(c, uncovered, rx_rt_minimal, sizeof(rx_rt_minimal), 0, false,
		       "minimal radiotap");
	if (c->has_fcs) {
		test_truncations(c, rx_rt_fcs, sizeof(rx_rt_fcs), true, "radiotap with FCS");
		test_bit_flips(c, uncovered, rx_rt_fcs, sizeof(rx_rt_fcs), RX_RT_FCS_FLAGS_OFF, true,
			       "radiotap with FCS");
	}
}

/* ---- CCMP-256, GCMP-128, GCMP-256 ------------------------------------------------- */

static const struct tv_field *need_field(const struct tv_section *s, const char *name, size_t len)
{
	const struct tv_field *f = tv_field(s, name);

	if (!f || (len && f->len != len))
		test_fatal("vector \"%s\": field \"%s\" missing or of the wrong length", s->title, name);
	return f;
}

static bool aead_uncovered(const struct rx_case *c, const __u8 *flipped, size_t off, int bit)
{
	(void)flipped;
	return aead_bit_uncovered(c->mpdu, c->hdr_len, c->mpdu_len, off, bit);
}

/*
 * An AES vector as a case, after checking that this file's oracle (AAD and nonce builders,
 * OpenSSL) reproduces it. aad_name and nonce_name: the vector's field names.
 */
static void aead_vector(const struct tv_file *tv, const char *title, const char *name,
			__u32 cipher, const char *aad_name, const char *nonce_name,
			struct rx_case *c)
{
	const struct tv_section *s = tv_find(tv, title, 0);
	const struct tv_field *hdr, *pt, *ct, *aad, *nonce, *fcs, *pn;
	bool ccmp = cipher == DOT11XDP_CIPHER_CCMP || cipher == DOT11XDP_CIPHER_CCMP_256;
	unsigned int nonce_len = ccmp ? 13 : 12;
	__u8 my_aad[32], my_nonce[13], sealed[RX_FRAME_MAX];
	size_t aad_len, len;

	if (!s)
		test_fatal("vector \"%s\" not found", title);
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->cipher = cipher;
	c->tk_len = oracle_tk_len(cipher);
	memcpy(c->tk, need_field(s, "TK", c->tk_len)->data, c->tk_len);
	pn = need_field(s, "PN", 6); /* PN5 first */
	for (int i = 0; i < 6; i++)
		c->pn = c->pn << 8 | pn->data[i];
	hdr = need_field(s, "802.11 Header", 0);
	pt = need_field(s, "Plaintext Data", 0);
	ct = need_field(s, "Encrypted MPDU (without FCS)", 0);
	aad = need_field(s, aad_name, 0);
	nonce = need_field(s, nonce_name, nonce_len);
	c->hdr_len = hdr->len;
	if (mpdu_hdr_len(hdr->data) != hdr->len)
		test_fatal("vector \"%s\": header of %zu bytes", title, hdr->len);
	memcpy(c->plain, pt->data, pt->len);
	c->plain_len = pt->len;
	memcpy(c->mpdu, ct->data, ct->len);
	c->mpdu_len = ct->len;
	fcs = tv_field(s, "FCS");
	if (fcs && fcs->len == 4) {
		memcpy(c->fcs, fcs->data, 4);
		c->has_fcs = true;
	}

	if (ccmp)
		oracle_ccmp_nonce(ct->data, c->pn, my_nonce);
	else
		oracle_gcmp_nonce(ct->data, c->pn, my_nonce);
	test_bytes_eq(my_nonce, nonce_len, nonce->data, nonce_len, "%s: the test's nonce matches",
		      name);
	if (ct->data[1] & 0x40) {
		aad_len = oracle_aad(ct->data, false, my_aad);
		test_bytes_eq(my_aad, aad_len, aad->data, aad->len, "%s: the test's AAD matches",
			      name);
		len = oracle_seal_mpdu(cipher, c->tk, hdr->data, pt->data, pt->len, c->pn, false,
				       sealed);
		test_bytes_eq(sealed, len, ct->data, ct->len,
			      "%s: OpenSSL sealing matches the vector's encrypted MPDU", name);
		return;
	}

	/*
	 * M.11.1 #1 leaves the Protected bit clear in the frame and in its AAD, where IEEE
	 * 802.11 12.5.5.3.3 (and every receiver) sets it. OpenSSL with the vector's own AAD
	 * reproduces its ciphertext and MIC; the frame given to the program has Protected set
	 * and the MIC OpenSSL computes over the AAD as the standard builds it. The ciphertext,
	 * which the AAD does not touch, stays the vector's.
	 */
	oracle_aead_seal(cipher, c->tk, my_nonce, aad->data, aad->len, pt->data, pt->len, sealed,
			 sealed + pt->len);
	test_bytes_eq(sealed, pt->len + 16, ct->data + hdr->len + 8, pt->len + 16,
		      "%s: OpenSSL with the vector's AAD matches its ciphertext and MIC", name);
	len = oracle_seal_mpdu(cipher, c->tk, hdr->data, pt->data, pt->len, c->pn, false, c->mpdu);
	test_ok(len == ct->len && !memcmp(c->mpdu + hdr->len, ct->data + hdr->len, 8 + pt->len),
		"%s: with Protected set, security header and ciphertext are the vector's", name);
	c->has_fcs = false; /* the vector's FCS is over the frame without Protected */
}

/* The case's cipher on a frame OpenSSL seals: body filling the work buffer, one over, empty. */
static void test_aead_sizes(const struct rx_case *c)
{
	static __u8 plain[RX_BODY_MAX], mpdu[RX_FRAME_MAX];
	unsigned int mic_len = oracle_mic_len(c->cipher);
	struct frame in, want;
	struct rx_result r;
	char what[200];
	size_t len;

	for (size_t i = 0; i < sizeof(plain); i++)
		plain[i] = i * 13 + 1;
	rx_keys_clear();
	case_install(c, NULL, 0);
	len = oracle_seal_mpdu(c->cipher, c->tk, c->mpdu, plain, RX_BODY_MAX - mic_len, 0x100,
			       false, mpdu);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	expected_plain(rx_rt_minimal, sizeof(rx_rt_minimal), 0, mpdu, c->hdr_len, 0, plain,
		       RX_BODY_MAX - mic_len, &want);
	snprintf(what, sizeof(what), "%s: ciphertext + MIC filling the work buffer", c->name);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, what);
	expect_bytes(&r, want.bytes, want.len, what);

	len = oracle_seal_mpdu(c->cipher, c->tk, c->mpdu, plain, RX_BODY_MAX - mic_len + 1, 0x101,
			       false, mpdu);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	snprintf(what, sizeof(what), "%s: ciphertext + MIC one byte over the work buffer", c->name);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_UNSUPPORTED, what);
	expect_bytes(&r, in.bytes, in.len, what);
	test_ok(rx_counters_are(c->mpdu + 10, DOT11XDP_DIR_INBOUND, 0, DOT11XDP_FROM_PEER,
				replay_index(c->mpdu), 0x100),
		"%s: counter unmoved", what);

	len = oracle_seal_mpdu(c->cipher, c->tk, c->mpdu, plain, 0, 0x102, false, mpdu);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	expected_plain(rx_rt_minimal, sizeof(rx_rt_minimal), 0, mpdu, c->hdr_len, 0, plain, 0,
		       &want);
	snprintf(what, sizeof(what), "%s: empty payload", c->name);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, what);
	expect_bytes(&r, want.bytes, want.len, what);

	/* MIC-only bodies shorter than the MIC: malformed, whatever the cipher's MIC length. */
	len = oracle_seal_mpdu(c->cipher, c->tk, c->mpdu, plain, 0, 0x103, false, mpdu);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len - 1, NULL);
	snprintf(what, sizeof(what), "%s: body one byte shorter than the MIC", c->name);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_MALFORMED, what);
	expect_bytes(&r, in.bytes, in.len, what);
}

/* Four addresses, QoS (TID 6) and HT Control: AAD of 30 bytes, the nonce from A2. */
static void test_aead_a4(const struct rx_case *c)
{
	static const __u8 a4_hdr[36] = { 0x88, 0x83, 0x00, 0x00, 0x02, 0x11, 0x11, 0x11, 0x11,
					 0x11, 0x02, 0x22, 0x22, 0x22, 0x22, 0x22, 0x02, 0x33,
					 0x33, 0x33, 0x33, 0x33, 0x50, 0x01, 0x02, 0x44, 0x44,
					 0x44, 0x44, 0x44, 0x06, 0x00, 0xfe, 0xdc, 0xba, 0x98 };
	__u8 mpdu[RX_FRAME_MAX];
	struct frame in, want;
	struct rx_result r;
	char what[200];
	size_t len;

	rx_keys_clear();
	rx_key_install(a4_hdr + 10, DOT11XDP_DIR_INBOUND, c->cipher, c->tk, c->tk_len, c->engine,
		       0, 0);
	len = oracle_seal_mpdu(c->cipher, c->tk, a4_hdr, c->plain, c->plain_len,
			       0xabcdef012345ull, false, mpdu);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	expected_plain(rx_rt_minimal, sizeof(rx_rt_minimal), 0, mpdu, 36, 0, c->plain,
		       c->plain_len, &want);
	snprintf(what, sizeof(what), "%s: four-address QoS data with HT Control", c->name);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, what);
	expect_bytes(&r, want.bytes, want.len, what);
	test_ok(rx_counters_are(a4_hdr + 10, DOT11XDP_DIR_INBOUND, 0, DOT11XDP_FROM_PEER, 6,
				0xabcdef012345ull),
		"%s: counter index 6 holds the 48-bit PN", what);
	/* A4 is covered. */
	in.bytes[sizeof(rx_rt_minimal) + 24 + 5] ^= 0x01;
	snprintf(what, sizeof(what), "%s: four-address frame with A4 changed", c->name);
	rx_keys_clear();
	rx_key_install(a4_hdr + 10, DOT11XDP_DIR_INBOUND, c->cipher, c->tk, c->tk_len, c->engine,
		       0, 0);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_MIC_FAILURE, what);
}

/* ---- TKIP and WEP oracles: OpenSSL RC4, zlib CRC-32, Michael from the standard --------- */

static void rc4(const __u8 *key, size_t key_len, const __u8 *in, size_t len, __u8 *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "RC4", NULL);
	__u8 dummy = 0;
	int n, ok;

	ok = ctx && cipher && EVP_EncryptInit_ex(ctx, cipher, NULL, NULL, NULL) &&
	     EVP_CIPHER_CTX_set_key_length(ctx, key_len) &&
	     EVP_EncryptInit_ex(ctx, NULL, NULL, key, NULL) &&
	     EVP_EncryptUpdate(ctx, out, &n, len ? in : &dummy, len) && (size_t)n == len;
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(cipher);
	if (!ok)
		test_fatal("OpenSSL RC4 failed");
}

/* body | CRC-32(body), little-endian, into out; returns the length. */
static size_t with_icv(const __u8 *body, size_t len, __u8 *out)
{
	__u32 crc = crc32(0, body, len);

	memmove(out, body, len);
	for (int i = 0; i < 4; i++)
		out[len + i] = crc >> (8 * i);
	return len + 4;
}

static __u32 rol32(__u32 x, int n)
{
	return x << n | x >> (32 - n);
}

/* Michael (IEEE 802.11 12.5.2.3) over DA | SA | priority | 0 0 0 | data. */
static void michael(const __u8 key[8], const __u8 *da, const __u8 *sa, __u8 priority,
		    const __u8 *data, size_t len, __u8 mic[8])
{
	static __u8 msg[RX_FRAME_MAX + 32];
	__u32 l = key[0] | key[1] << 8 | key[2] << 16 | (__u32)key[3] << 24;
	__u32 r = key[4] | key[5] << 8 | key[6] << 16 | (__u32)key[7] << 24;
	size_t n = 0;

	memcpy(msg, da, 6);
	memcpy(msg + 6, sa, 6);
	msg[12] = priority;
	msg[13] = msg[14] = msg[15] = 0;
	memcpy(msg + 16, data, len);
	n = 16 + len;
	/* Padding: 0x5a, then four to seven zeros up to a multiple of four. */
	msg[n++] = 0x5a;
	for (int i = 0; i < 4; i++)
		msg[n++] = 0;
	while (n % 4)
		msg[n++] = 0;
	for (size_t i = 0; i < n; i += 4) {
		l ^= msg[i] | msg[i + 1] << 8 | msg[i + 2] << 16 | (__u32)msg[i + 3] << 24;
		r ^= rol32(l, 17);
		l += r;
		r ^= (l & 0xff00ff00) >> 8 | (l & 0x00ff00ff) << 8;
		l += r;
		r ^= rol32(l, 3);
		l += r;
		r ^= rol32(l, 30);
		l += r;
	}
	for (int i = 0; i < 4; i++) {
		mic[i] = l >> (8 * i);
		mic[4 + i] = r >> (8 * i);
	}
}

/* DA, SA (by the DS bits) and priority (QoS TID) of a data MPDU. */
struct msdu_addrs {
	__u8 da[6], sa[6], priority;
};

static void msdu_addrs(const __u8 *m, struct msdu_addrs *a)
{
	/* By ToDS | FromDS << 1: none DA=A1 SA=A2, ToDS A3 A2, FromDS A1 A3, both A3 A4. */
	static const int da_off[4] = { 4, 16, 4, 16 }, sa_off[4] = { 10, 10, 16, 24 };
	int ds = m[1] & 3;

	memcpy(a->da, m + da_off[ds], 6);
	memcpy(a->sa, m + sa_off[ds], 6);
	a->priority = (m[0] & 0x80) ? m[ds == 3 ? 30 : 24] & 0x0f : 0;
}

/*
 * The IEEE TKIP vector's frame (M.6.3) and what this file builds from it: the vector gives
 * the RC4 key of its TSC (1) and transmitter (02:03:04:05:06:07), so any frame with that TA
 * and TSC can be encrypted here, with OpenSSL's RC4 under that key.
 */
struct tkip_vector {
	__u8 tk[32];	 /* TK, Michael key 0, Michael key 1: a Windows blob's ucTKIPMICKeys */
	__u8 rc4_key[16];
	__u8 iv[8];	 /* the TKIP header */
	__u8 mpdu[256], plain[256];
	size_t mpdu_len, plain_len, hdr_len;
};

static struct tkip_vector tkv;

/*
 * hdr (Protected set on the way) | TKIP header | RC4(data | Michael | ICV), the Michael MIC
 * with key michael_key over the header's DA, SA and priority; corrupt flips one MIC bit
 * (the ICV then covers the wrong MIC, so only Michael can fail).
 */
static size_t tkip_seal(const __u8 *hdr, const __u8 *data, size_t len, int michael_key,
			bool corrupt, __u8 *out)
{
	static __u8 body[RX_FRAME_MAX];
	size_t hl = mpdu_hdr_len(hdr), blen;
	struct msdu_addrs a;

	msdu_addrs(hdr, &a);
	memcpy(body, data, len);
	michael(tkv.tk + 16 + 8 * michael_key, a.da, a.sa, a.priority, data, len, body + len);
	if (corrupt)
		body[len + 3] ^= 0x04;
	blen = with_icv(body, len + 8, body);
	memcpy(out, hdr, hl);
	out[1] |= 0x40;
	memcpy(out + hl, tkv.iv, 8);
	rc4(tkv.rc4_key, 16, body, blen, out + hl + 8);
	return hl + 8 + blen;
}

static void tkip_vector_load(const struct tv_file *tv, struct rx_case *c)
{
	const char *title = "M.6.3 TKIP test vector";
	const struct tv_section *s = tv_find(tv, title, 0);
	const struct tv_field *pt, *ct, *mic;
	__u8 sealed[RX_FRAME_MAX], my_mic[8];
	struct msdu_addrs a;
	size_t len;

	if (!s)
		test_fatal("vector \"%s\" not found", title);
	memcpy(tkv.tk, need_field(s, "TK", 32)->data, 32);
	memcpy(tkv.rc4_key, need_field(s, "TKIP RC4KEY", 16)->data, 16);
	pt = need_field(s, "Plaintext MPDU", 0);
	ct = need_field(s, "Encrypted MPDU (without FCS)", 0);
	mic = need_field(s, "TKIP: MIC", 8);
	tkv.hdr_len = mpdu_hdr_len(pt->data);
	if (pt->len > sizeof(tkv.plain) || ct->len > sizeof(tkv.mpdu) ||
	    ct->len != pt->len + 8 + 12 || (pt->data[1] & 3) != 2)
		test_fatal("vector \"%s\": not the FromDS frame expected", title);
	memcpy(tkv.mpdu, ct->data, ct->len);
	tkv.mpdu_len = ct->len;
	memcpy(tkv.plain, pt->data + tkv.hdr_len, pt->len - tkv.hdr_len);
	tkv.plain_len = pt->len - tkv.hdr_len;
	memcpy(tkv.iv, ct->data + tkv.hdr_len, 8);

	/* The oracle first: Michael with key 0 (FromDS) gives the vector's MIC, RC4 its bytes. */
	msdu_addrs(pt->data, &a);
	michael(tkv.tk + 16, a.da, a.sa, a.priority, tkv.plain, tkv.plain_len, my_mic);
	test_bytes_eq(my_mic, 8, mic->data, 8, "%s: the test's Michael gives the vector's MIC",
		      title);
	len = tkip_seal(pt->data, tkv.plain, tkv.plain_len, 0, false, sealed);
	test_bytes_eq(sealed, len, ct->data, ct->len,
		      "%s: the test's TKIP (OpenSSL RC4, zlib CRC-32) gives the encrypted MPDU", title);

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "M.6.3 (TKIP)");
	c->cipher = DOT11XDP_CIPHER_TKIP;
	c->engine = DOT11XDP_ENGINE_TABLE;
	memcpy(c->tk, tkv.tk, 32);
	c->tk_len = 32;
	memcpy(c->mpdu, tkv.mpdu, tkv.mpdu_len);
	c->mpdu_len = tkv.mpdu_len;
	c->hdr_len = tkv.hdr_len;
	memcpy(c->plain, tkv.plain, tkv.plain_len);
	c->plain_len = tkv.plain_len;
	c->pn = 1;
	for (int i = 0; i < 6; i++)
		if (need_field(s, "PN", 6)->data[i] != (i == 5))
			test_fatal("vector \"%s\": PN is not 1", title);
}

/*
 * What TKIP's decryption of an MPDU depends on, as the standard has it and the key is
 * installed here (under the TA): equal views decrypt alike. Flips in the body or the ICV
 * are covered by the ICV; those in the header and the TKIP header are covered exactly when
 * they change the view.
 */
struct tkip_view {
	__u8 fc0;	/* protocol version, type, QoS subtype bit */
	__u8 fc1;	/* More Fragments, Protected */
	__u8 frag;	/* fragment number */
	__u8 hdr_len;
	__u8 ta[6];
	struct msdu_addrs msdu;
	__u8 michael_key;
	__u8 sec[8];	/* the TKIP header, reserved key-ID bits left out */
};

static void tkip_view(const __u8 *m, struct tkip_view *v)
{
	size_t hl = mpdu_hdr_len(m);
	int ds = m[1] & 3;

	memset(v, 0, sizeof(*v));
	v->fc0 = m[0] & 0x8f;
	v->fc1 = m[1] & 0x44;
	v->frag = m[22] & 0x0f;
	v->hdr_len = hl;
	memcpy(v->ta, m + 10, 6);
	msdu_addrs(m, &v->msdu);
	/* FromDS: key 0, ToDS: key 1; neither or both: the key was found by the TA, key 0. */
	v->michael_key = ds == 1 ? 1 : 0;
	memcpy(v->sec, m + hl, 8);
	v->sec[3] &= 0xe0;
}

static bool tkip_uncovered(const struct rx_case *c, const __u8 *flipped, size_t off, int bit)
{
	struct tkip_view a, b;

	(void)bit;
	if (off >= c->mpdu_len)
		return true; /* FCS */
	if (off >= c->hdr_len + 8)
		return false; /* body, Michael MIC, ICV */
	tkip_view(c->mpdu, &a);
	tkip_view(flipped, &b);
	return !memcmp(&a, &b, sizeof(a));
}

/* What WEP's decryption depends on: the header's shape, the TA (the key), the IV and key ID. */
struct wep_view {
	__u8 version;
	__u8 ctrl_or_ext;
	__u8 protected;
	__u8 hdr_len;
	__u8 ta[6];
	__u8 sec[4]; /* the IV and the key-ID octet, its reserved bits left out */
};

static void wep_view(const __u8 *m, struct wep_view *v)
{
	size_t hl = mpdu_hdr_len(m);

	memset(v, 0, sizeof(*v));
	v->version = m[0] & 3;
	v->ctrl_or_ext = (m[0] & 0x04) != 0;
	v->protected = m[1] & 0x40;
	v->hdr_len = hl;
	memcpy(v->ta, m + 10, 6);
	memcpy(v->sec, m + hl, 4);
	v->sec[3] &= 0xe0;
}

static bool wep_uncovered(const struct rx_case *c, const __u8 *flipped, size_t off, int bit)
{
	struct wep_view a, b;

	(void)bit;
	if (off >= c->mpdu_len)
		return true;
	if (off >= c->hdr_len + 4)
		return false;
	wep_view(c->mpdu, &a);
	wep_view(flipped, &b);
	return !memcmp(&a, &b, sizeof(a));
}

/* hdr (Protected set) | IV | key ID 0 | RC4(IV | key) over body | ICV. */
static size_t wep_seal(const __u8 *key, size_t key_len, const __u8 *iv, const __u8 *hdr,
		       const __u8 *body, size_t len, __u8 *out)
{
	static __u8 plain[RX_FRAME_MAX];
	size_t hl = mpdu_hdr_len(hdr), blen;
	__u8 rc4_key[16];

	blen = with_icv(body, len, plain);
	memcpy(rc4_key, iv, 3);
	memcpy(rc4_key + 3, key, key_len);
	memcpy(out, hdr, hl);
	out[1] |= 0x40;
	memcpy(out + hl, iv, 3);
	out[hl + 3] = 0;
	rc4(rc4_key, 3 + key_len, plain, blen, out + hl + 4);
	return hl + 4 + blen;
}

/* ---- Ethernet output -------------------------------------------------------------- */

/*
 * DOT11XDP_OUTPUT_ETHER on case c: a data frame becomes DA | SA | EtherType | payload after
 * an LLC/SNAP header, or DA | SA | length | body without one; a management frame is counted
 * and dropped.
 */
static void test_ether_case(const struct rx_case *c)
{
	static const __u8 snap[6] = { 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00 };
	__u8 eth[RX_FRAME_MAX];
	struct msdu_addrs a;
	struct frame in;
	struct rx_result r;
	char what[200];
	size_t len;

	snprintf(what, sizeof(what), "%s, Ethernet output", c->name);
	rx_set_output(DOT11XDP_OUTPUT_ETHER);
	rx_keys_clear();
	case_install(c, NULL, 0);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), c->mpdu, c->mpdu_len, NULL);
	rx_run(in.bytes, in.len, &r);
	if ((c->mpdu[0] & 0x0c) != 0x08) {
		expect(&r, XDP_DROP, DOT11XDP_RX_DECRYPTED, what);
	} else {
		msdu_addrs(c->mpdu, &a);
		memcpy(eth, a.da, 6);
		memcpy(eth + 6, a.sa, 6);
		if (c->plain_len >= 8 && !memcmp(c->plain, snap, 6)) {
			memcpy(eth + 12, c->plain + 6, c->plain_len - 6);
			len = 12 + c->plain_len - 6;
		} else {
			eth[12] = c->plain_len >> 8;
			eth[13] = c->plain_len;
			memcpy(eth + 14, c->plain, c->plain_len);
			len = 14 + c->plain_len;
		}
		expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, what);
		expect_bytes(&r, eth, len, what);
	}
	rx_set_output(DOT11XDP_OUTPUT_PASS);
}

/*
 * A capture through the program in Ethernet mode, the key installed: the frames delivered
 * are airdecap-ng's for the same capture, byte for byte and in order.
 */
static void test_capture_vs_airdecap(const char *file, const char *args, const __u8 *peer,
				     __u8 direction, __u32 cipher, const __u8 *tk,
				     unsigned int tk_len)
{
	struct capture cap, ref;
	size_t delivered = 0, matched = 0;
	char path[4096];
	struct frame in;
	struct rx_result r;

	snprintf(path, sizeof(path), "%s", test_data_path(file));
	capture_read(path, &cap);
	airdecap(path, args, &ref);
	rx_set_output(DOT11XDP_OUTPUT_ETHER);
	rx_keys_clear();
	rx_key_install(peer, direction, cipher, tk, tk_len, DOT11XDP_ENGINE_TABLE, 0, 0);
	for (size_t i = 0; i < cap.n; i++) {
		frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), cap.data[i], cap.len[i], NULL);
		rx_run(in.bytes, in.len, &r);
		if (r.action != XDP_PASS || r.outcome != DOT11XDP_RX_DECRYPTED)
			continue;
		delivered++;
		if (matched < ref.n && r.len == ref.len[matched] &&
		    !memcmp(r.frame, ref.data[matched], r.len))
			matched++;
	}
	rx_set_output(DOT11XDP_OUTPUT_PASS);
	printf("# %s: %zu Ethernet frames delivered, airdecap-ng %zu, %zu matched in order\n", file,
	       delivered, ref.n, matched);
	test_ok(ref.n > 0 && matched == ref.n && delivered == matched,
		"%s: the Ethernet frames delivered are airdecap-ng's (%zu), byte for byte, in order",
		file, ref.n);
	capture_free(&cap);
	capture_free(&ref);
}

/* ---- TKIP --------------------------------------------------------------------------- */

/* A frame of this file's TKIP oracle (TA 02:03:04:05:06:07, TSC 1), with its key. */
static void tkip_frame_case(const char *name, const __u8 *hdr, const __u8 *data, size_t len,
			    int michael_key, bool corrupt, struct rx_case *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->cipher = DOT11XDP_CIPHER_TKIP;
	c->engine = DOT11XDP_ENGINE_TABLE;
	memcpy(c->tk, tkv.tk, 32);
	c->tk_len = 32;
	c->mpdu_len = tkip_seal(hdr, data, len, michael_key, corrupt, c->mpdu);
	c->hdr_len = mpdu_hdr_len(hdr);
	memcpy(c->plain, data, len);
	c->plain_len = len;
	c->pn = 1;
}

/*
 * Run c with the key installed under peer (direction both); expect outcome, and on
 * DECRYPTED the plaintext and the counter of end at the TSC, else the packet unchanged and
 * no counter moved.
 */
static void run_tkip(const struct rx_case *c, const __u8 *tk, const __u8 *peer, int end,
		     __u32 outcome, const char *what)
{
	struct frame in, want;
	struct rx_result r;

	rx_keys_clear();
	rx_key_install(peer, DOT11XDP_DIR_BOTH, DOT11XDP_CIPHER_TKIP, tk ? tk : c->tk, 32,
		       c->engine, 0, 0);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), c->mpdu, c->mpdu_len, NULL);
	rx_run(in.bytes, in.len, &r);
	if (outcome == DOT11XDP_RX_DECRYPTED) {
		expected_plain(rx_rt_minimal, sizeof(rx_rt_minimal), 0, c->mpdu, c->hdr_len, 0,
			       c->plain, c->plain_len, &want);
		expect(&r, XDP_PASS, outcome, what);
		expect_bytes(&r, want.bytes, want.len, what);
		test_ok(rx_counters_are(peer, DOT11XDP_DIR_BOTH, 0, end, replay_index(c->mpdu), 1),
			"%s: the TSC counter of its end advanced, no other moved", what);
	} else {
		expect(&r, outcome == DOT11XDP_RX_UNSUPPORTED || outcome == DOT11XDP_RX_NO_KEY ?
				   XDP_PASS : XDP_DROP, outcome, what);
		expect_bytes(&r, in.bytes, in.len, what);
		test_ok(rx_counters_are(peer, DOT11XDP_DIR_BOTH, 0, -1, 0, 0), "%s: no counter moved",
			what);
	}
}

/* A data header: FC, Duration, A1..A3, Sequence Control [, A4] [, QoS Control]. */
static void data_hdr(__u8 *h, __u8 fc0, __u8 fc1, const __u8 *a1, const __u8 *a2,
		     const __u8 *a3, const __u8 *a4, __u8 qos0)
{
	size_t len = 24;

	memset(h, 0, 40);
	h[0] = fc0;
	h[1] = fc1;
	memcpy(h + 4, a1, 6);
	memcpy(h + 10, a2, 6);
	memcpy(h + 16, a3, 6);
	h[22] = 0x40;
	h[23] = 0x02;
	if ((fc1 & 3) == 3) {
		memcpy(h + 24, a4, 6);
		len += 6;
	}
	if (fc0 & 0x80)
		h[len] = qos0;
}

/*
 * The Michael key by the frame's direction (the lead's rule): FromDS key 0, ToDS key 1,
 * neither or both DS bits: by how the key was found (TA: key 0, RA: key 1). Each frame is
 * sealed with the key the rule names; the other key, or the blob with its two Michael keys
 * swapped, must fail Michael, and only Michael.
 */
static void test_tkip_directions(void)
{
	static const __u8 ta[6] = { 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	static const __u8 peer[6] = { 0x02, 0x03, 0x04, 0x05, 0x06, 0x08 };
	static const __u8 host[6] = { 0x02, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e };
	static const __u8 far[6] = { 0x02, 0x0f, 0x0f, 0x0f, 0x0f, 0x01 };
	__u8 swapped[32], hdr[40];
	struct rx_case c;
	char what[160];
	struct {
		const char *name;
		__u8 fc1;
		const __u8 *a1, *a3, *a4;
		const __u8 *key_peer; /* the key's address: the TA or the RA */
		int end, michael_key;
	} cases[] = {
		{ "FromDS (AP -> STA), key of the TA", 0x02, peer, ta, NULL, ta, DOT11XDP_FROM_PEER, 0 },
		{ "FromDS (AP -> STA), key of the RA", 0x02, peer, ta, NULL, peer, DOT11XDP_TO_PEER, 0 },
		{ "ToDS (STA -> AP), key of the TA", 0x01, peer, host, NULL, ta, DOT11XDP_FROM_PEER, 1 },
		{ "ToDS (STA -> AP), key of the RA", 0x01, peer, host, NULL, peer, DOT11XDP_TO_PEER, 1 },
		{ "no DS bits (IBSS), key of the TA", 0x00, peer, host, NULL, ta, DOT11XDP_FROM_PEER, 0 },
		{ "no DS bits (IBSS), key of the RA", 0x00, peer, host, NULL, peer, DOT11XDP_TO_PEER, 1 },
		{ "four addresses, key of the TA", 0x03, peer, host, far, ta, DOT11XDP_FROM_PEER, 0 },
		{ "four addresses, key of the RA", 0x03, peer, host, far, peer, DOT11XDP_TO_PEER, 1 },
	};

	memcpy(swapped, tkv.tk, 16);
	memcpy(swapped + 16, tkv.tk + 24, 8);
	memcpy(swapped + 24, tkv.tk + 16, 8);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		data_hdr(hdr, 0x08, cases[i].fc1, cases[i].a1, ta, cases[i].a3, cases[i].a4, 0);
		snprintf(what, sizeof(what), "TKIP %s", cases[i].name);
		tkip_frame_case(what, hdr, tkv.plain, tkv.plain_len, cases[i].michael_key, false, &c);
		run_tkip(&c, NULL, cases[i].key_peer, cases[i].end, DOT11XDP_RX_DECRYPTED, what);
		snprintf(what, sizeof(what), "TKIP %s, Michael keys swapped in the blob",
			 cases[i].name);
		run_tkip(&c, swapped, cases[i].key_peer, cases[i].end, DOT11XDP_RX_MICHAEL_FAILURE,
			 what);
	}
}

/* ICV right, Michael wrong: MICHAEL_FAILURE, counted apart, globally and per transmitter. */
static void test_tkip_michael_failure(void)
{
	const __u8 *ta = tkv.mpdu + 10;
	struct dot11xdp_rx_stats g0, g1, p0, p1;
	struct rx_case c, good;
	struct frame in;
	struct rx_result r;

	tkip_frame_case("M.6.3 (TKIP) with a wrong Michael MIC under a right ICV", tkv.mpdu,
			tkv.plain, tkv.plain_len, 0, true, &c);
	tkip_frame_case("M.6.3 (TKIP) rebuilt", tkv.mpdu, tkv.plain, tkv.plain_len, 0, false,
			&good);
	test_bytes_eq(good.mpdu, good.mpdu_len, tkv.mpdu, tkv.mpdu_len,
		      "TKIP: the rebuilt vector frame is the vector's");
	rx_global_stats(&g0);
	rx_peer_stats(ta, &p0);
	run_tkip(&c, NULL, ta, DOT11XDP_FROM_PEER, DOT11XDP_RX_MICHAEL_FAILURE, c.name);
	rx_global_stats(&g1);
	rx_peer_stats(ta, &p1);
	test_ok(g1.michael_failure == g0.michael_failure + 1 && g1.mic_failure == g0.mic_failure,
		"TKIP Michael failure: the global Michael counter went up by one, MIC failures not");
	test_ok(p1.michael_failure == p0.michael_failure + 1 && p1.mic_failure == p0.mic_failure,
		"TKIP Michael failure: the transmitter's Michael counter went up by one");
	/* The TSC stayed free: the genuine frame with that TSC still decrypts. */
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), good.mpdu, good.mpdu_len, NULL);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED,
	       "TKIP: after a Michael failure, the genuine frame with its TSC");
}

/* QoS data: the TID is Michael's priority and picks the TSC counter. */
static void test_tkip_qos(void)
{
	static const __u8 ta[6] = { 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
	static const __u8 peer[6] = { 0x02, 0x03, 0x04, 0x05, 0x06, 0x08 };
	__u8 hdr[40];
	struct rx_case c;

	data_hdr(hdr, 0x88, 0x02, peer, ta, ta, NULL, 0x05);
	tkip_frame_case("TKIP QoS data, TID 5", hdr, tkv.plain, tkv.plain_len, 0, false, &c);
	run_tkip(&c, NULL, ta, DOT11XDP_FROM_PEER, DOT11XDP_RX_DECRYPTED, c.name);
	test_case(&c, tkip_uncovered);
	/* Sealed with priority 5, received as TID 3: the ICV holds, Michael does not. */
	c.mpdu[24] = 0x03;
	snprintf(c.name, sizeof(c.name), "TKIP QoS data, TID changed after sealing");
	run_tkip(&c, NULL, ta, DOT11XDP_FROM_PEER, DOT11XDP_RX_MICHAEL_FAILURE, c.name);
}

/* Security headers a TKIP key cannot have sent, fragments, management frames. */
static void test_tkip_refusals(const struct rx_case *v)
{
	const __u8 *ta = v->mpdu + 10;
	struct rx_case c;
	struct {
		const char *what;
		size_t off;
		__u8 xor;
		__u32 outcome;
	} edits[] = {
		{ "TKIP: ExtIV clear", v->hdr_len + 3, 0x20, DOT11XDP_RX_MALFORMED },
		{ "TKIP: WEP seed not (TSC1 | 0x20) & 0x7f", v->hdr_len + 1, 0x01, DOT11XDP_RX_MALFORMED },
		{ "TKIP: WEP seed with bit 7 set", v->hdr_len + 1, 0x80, DOT11XDP_RX_MALFORMED },
		{ "TKIP: key ID 1 to an individual address", v->hdr_len + 3, 0x40, DOT11XDP_RX_MALFORMED },
		{ "TKIP: More Fragments set (Michael needs the whole MSDU)", 1, 0x04,
		  DOT11XDP_RX_UNSUPPORTED },
		{ "TKIP: fragment number 1", 22, 0x01, DOT11XDP_RX_UNSUPPORTED },
		{ "TKIP: a protected management frame", 0, 0x08, DOT11XDP_RX_MALFORMED },
	};

	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		c = *v;
		c.mpdu[edits[i].off] ^= edits[i].xor;
		run_tkip(&c, NULL, ta, -1, edits[i].outcome, edits[i].what);
	}
	/* Key ID 1 to a group address names the group key, which this build does not hold. */
	c = *v;
	c.mpdu[4] |= 0x01;
	c.mpdu[v->hdr_len + 3] |= 0x40;
	run_tkip(&c, NULL, ta, -1, DOT11XDP_RX_NO_KEY, "TKIP: key ID 1 to a group address");
	/* Too short for the TKIP header, Michael MIC and ICV. */
	c = *v;
	c.mpdu_len = v->hdr_len + 8 + 11;
	run_tkip(&c, NULL, ta, -1, DOT11XDP_RX_MALFORMED, "TKIP: body shorter than Michael + ICV");
}

/* Largest body the work buffer takes (data 2,324 + Michael 8 + ICV 4), one over, none. */
static void test_tkip_sizes(void)
{
	static __u8 data[RX_BODY_MAX];
	const __u8 *ta = tkv.mpdu + 10;
	static struct rx_case c;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = i * 5 + 3;
	tkip_frame_case("TKIP: data + Michael + ICV filling the work buffer", tkv.mpdu, data,
			RX_BODY_MAX - 12, 0, false, &c);
	run_tkip(&c, NULL, ta, DOT11XDP_FROM_PEER, DOT11XDP_RX_DECRYPTED, c.name);
	tkip_frame_case("TKIP: data + Michael + ICV one byte over the work buffer", tkv.mpdu, data,
			RX_BODY_MAX - 11, 0, false, &c);
	run_tkip(&c, NULL, ta, -1, DOT11XDP_RX_UNSUPPORTED, c.name);
	tkip_frame_case("TKIP: no data (Michael + ICV only)", tkv.mpdu, data, 0, 0, false, &c);
	run_tkip(&c, NULL, ta, DOT11XDP_FROM_PEER, DOT11XDP_RX_DECRYPTED, c.name);
}

/* RC4 ciphers run in BPF whatever the AES engine: a key prepared for the kfunc engine works. */
static void test_rc4_on_kfunc_engine(const struct rx_case *tkip, const struct rx_case *wep)
{
	struct rx_case c = *tkip;

	c.engine = DOT11XDP_ENGINE_KFUNC;
	case_name(&c, "%s, key prepared for the kfunc engine", tkip->name);
	test_decrypt(&c, rx_rt_minimal, sizeof(rx_rt_minimal), 0, false, "minimal radiotap");
	c = *wep;
	c.engine = DOT11XDP_ENGINE_KFUNC;
	case_name(&c, "%s, key prepared for the kfunc engine", wep->name);
	test_decrypt(&c, rx_rt_minimal, sizeof(rx_rt_minimal), 0, false, "minimal radiotap");
}

/* The TKIP header (TSC) of an earlier frame of the same transmitter equals frame i's. */
static bool tkip_repeats_earlier(const struct capture *cap, size_t i)
{
	const __u8 *m = cap->data[i];
	size_t hl = mpdu_hdr_len(m);

	for (size_t j = 0; j < i; j++) {
		const __u8 *e = cap->data[j];

		if (cap->len[j] >= hl + 8 && mpdu_hdr_len(e) == hl && !memcmp(e + 10, m + 10, 6) &&
		    (e[1] & 0x40) && !memcmp(e + hl, m + hl, 8))
			return true;
	}
	return false;
}

/* The program's output for capture frame m is tshark's plaintext behind m's MAC header. */
static bool output_is(const struct rx_result *r, const __u8 *m, const __u8 *plain, size_t len)
{
	size_t hl = mpdu_hdr_len(m), rt = sizeof(rx_rt_minimal);

	return r->len == rt + hl + len && !memcmp(r->frame + rt + hl, plain, len) &&
	       !memcmp(r->frame + rt + 2, m + 2, hl - 2) && r->frame[rt] == m[0] &&
	       r->frame[rt + 1] == (m[1] & ~0x40);
}

/*
 * wpa-psk-linksys.cap (captures/MANIFEST.md: TK and the Michael keys of its PTK) through the
 * program, every frame, with the station's key installed under key_peer: the unicast frames
 * tshark decrypts, and only they, decrypt, each to tshark's plaintext; tshark also decrypts
 * retransmissions (Retry set, the TSC of a frame before), which the program refuses as
 * replays: each of those decrypts to tshark's plaintext too once the counters are fresh.
 * Installed under the AP (a station's key) or under the station (an AP's key), the same blob
 * serves: the Michael key follows each frame's direction.
 */
/* wpa-psk-linksys.cap's TKIP key, as a station's Windows blob: TK, then the Michael keys. */
static const __u8 tkip_linksys_blob[32] = {
	0xa2, 0x15, 0x4a, 0xe0, 0x99, 0x6f, 0xa9, 0x5b, 0x21, 0x1d, 0xa1, 0x8e, 0x85, 0xfd, 0x96, 0x49,
	0x5f, 0xb4, 0x97, 0x85, 0x67, 0x33, 0x87, 0xb9, /* Michael key, frames AP -> STA */
	0xda, 0x97, 0x97, 0xaa, 0xc7, 0x82, 0x8f, 0x52, /* Michael key, frames STA -> AP */
};

static void test_tkip_capture(const __u8 *key_peer, const char *who)
{
	const char *path = test_data_path("captures/wpa-psk-linksys.cap");
	size_t outcomes[DOT11XDP_RX_OUTCOMES] = {}, theirs = 0, ours = 0, retried = 0;
	size_t disagree = 0, differ = 0;
	struct dot11xdp_key_id id = { .direction = DOT11XDP_DIR_BOTH };
	struct dot11xdp_key saved;
	struct capture cap, ts;
	struct frame in;
	struct rx_result r;
	const __u8 *blob = tkip_linksys_blob;
	char cap_path[4096];

	memcpy(id.peer, key_peer, 6);
	snprintf(cap_path, sizeof(cap_path), "%s", path);
	capture_read(cap_path, &cap);
	tshark_decrypt(cap_path, "\"wpa-pwd\",\"dictionary:linksys\"", "Decrypted TKIP data", cap.n,
		       &ts);
	rx_keys_clear();
	rx_key_install(key_peer, DOT11XDP_DIR_BOTH, DOT11XDP_CIPHER_TKIP, blob, 32,
		       DOT11XDP_ENGINE_TABLE, 0, 0);
	for (size_t i = 0; i < cap.n; i++) {
		const __u8 *m = cap.data[i];
		bool unicast_theirs = ts.len[i] && cap.len[i] >= 24 && !(m[4] & 1);

		frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), m, cap.len[i], NULL);
		rx_run(in.bytes, in.len, &r);
		outcomes[r.outcome < DOT11XDP_RX_OUTCOMES ? r.outcome : 0]++;
		theirs += unicast_theirs;
		if (r.outcome == DOT11XDP_RX_REPLAY && unicast_theirs && (m[1] & 0x08) &&
		    tkip_repeats_earlier(&cap, i)) {
			/* A retransmission: with fresh counters it decrypts; then back as it was. */
			if (!rx_key_read(key_peer, DOT11XDP_DIR_BOTH, &saved))
				test_fatal("the TKIP key went missing");
			rx_key_install(key_peer, DOT11XDP_DIR_BOTH, DOT11XDP_CIPHER_TKIP, blob, 32,
				       DOT11XDP_ENGINE_TABLE, 0, 0);
			rx_run(in.bytes, in.len, &r);
			if (r.outcome != DOT11XDP_RX_DECRYPTED || !output_is(&r, m, ts.data[i], ts.len[i]))
				if (differ++ < 5)
					printf("# frame %zu (retransmission): %s with fresh counters\n",
					       i + 1, rx_outcome_name(r.outcome));
			if (bpf_map_update_elem(rx.keys_fd, &id, &saved, BPF_ANY))
				test_fatal("restoring the TKIP key: %s", strerror(errno));
			retried++;
			continue;
		}
		ours += r.outcome == DOT11XDP_RX_DECRYPTED;
		if ((r.outcome == DOT11XDP_RX_DECRYPTED) != unicast_theirs) {
			if (disagree++ < 5)
				printf("# frame %zu: %s, tshark %s\n", i + 1, rx_outcome_name(r.outcome),
				       ts.len[i] ? "decrypts" : "does not");
			continue;
		}
		if (r.outcome == DOT11XDP_RX_DECRYPTED && !output_is(&r, m, ts.data[i], ts.len[i]))
			if (differ++ < 5)
				printf("# frame %zu: output differs from tshark's plaintext\n", i + 1);
	}
	printf("# wpa-psk-linksys.cap, key under the %s: %zu frames;", who, cap.n);
	for (int o = 0; o < DOT11XDP_RX_OUTCOMES; o++)
		printf(" %s %zu", rx_outcome_name(o), outcomes[o]);
	printf("\n");
	test_ok(theirs == 55 && ours + retried == theirs && retried == 2 && !disagree,
		"wpa-psk-linksys.cap, key under the %s: of the %zu unicast frames tshark decrypts, "
		"%zu decrypt, the %zu retransmissions are replays; no other frame decrypts", who,
		theirs, ours, retried);
	test_ok(!differ, "wpa-psk-linksys.cap, key under the %s: all %zu come out as tshark's "
		"plaintext behind the MAC header, Protected cleared", who, theirs);
	test_ok(!outcomes[DOT11XDP_RX_MIC_FAILURE] && !outcomes[DOT11XDP_RX_MICHAEL_FAILURE] &&
			!outcomes[DOT11XDP_RX_MALFORMED],
		"wpa-psk-linksys.cap, key under the %s: no MIC, Michael or malformed outcome", who);
	capture_free(&cap);
	capture_free(&ts);
}

/* ---- WEP ---------------------------------------------------------------------------- */

static const __u8 wep40_key[5] = { 0x1f, 0x1f, 0x1f, 0x1f, 0x1f };
/* wep_64_ptw_01.cap's AP, the transmitter of its protected frames. */
static const __u8 wep_ap[6] = { 0x00, 0x12, 0xbf, 0x12, 0x32, 0x29 };

/*
 * wep_64_ptw_01.cap (WEP-40, key 1f:1f:1f:1f:1f) through the program, every frame, the key
 * installed under the AP: the frames tshark decrypts, and only they, decrypt, each to
 * tshark's plaintext. first gets the first decrypted frame as a case, whose plaintext the
 * test's own WEP (OpenSSL RC4, zlib CRC-32) must encrypt to the capture's bytes.
 */
static void test_wep_capture(struct rx_case *first)
{
	const __u8 *ap = wep_ap;
	const char *path = test_data_path("captures/wep_64_ptw_01.cap");
	size_t outcomes[DOT11XDP_RX_OUTCOMES] = {}, theirs = 0, ours = 0, disagree = 0, differ = 0;
	struct capture cap, ts;
	struct frame in;
	struct rx_result r;
	char cap_path[4096];
	__u8 sealed[RX_FRAME_MAX];
	size_t len;

	snprintf(cap_path, sizeof(cap_path), "%s", path);
	capture_read(cap_path, &cap);
	tshark_decrypt(cap_path, "\"wep\",\"1f:1f:1f:1f:1f\"", "Decrypted WEP data", cap.n, &ts);
	rx_keys_clear();
	rx_key_install(ap, DOT11XDP_DIR_INBOUND, DOT11XDP_CIPHER_WEP40, wep40_key, 5,
		       DOT11XDP_ENGINE_TABLE, 0, 0);
	memset(first, 0, sizeof(*first));
	for (size_t i = 0; i < cap.n; i++) {
		const __u8 *m = cap.data[i];
		size_t hl;

		frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), m, cap.len[i], NULL);
		rx_run(in.bytes, in.len, &r);
		outcomes[r.outcome < DOT11XDP_RX_OUTCOMES ? r.outcome : 0]++;
		theirs += ts.len[i] > 0;
		ours += r.outcome == DOT11XDP_RX_DECRYPTED;
		if ((r.outcome == DOT11XDP_RX_DECRYPTED) != (ts.len[i] > 0)) {
			if (disagree++ < 5)
				printf("# frame %zu: %s, tshark %s\n", i + 1, rx_outcome_name(r.outcome),
				       ts.len[i] ? "decrypts" : "does not");
			continue;
		}
		if (r.outcome != DOT11XDP_RX_DECRYPTED)
			continue;
		hl = mpdu_hdr_len(m);
		if (!output_is(&r, m, ts.data[i], ts.len[i]))
			if (differ++ < 5)
				printf("# frame %zu: output differs from tshark's plaintext\n", i + 1);
		if (!first->mpdu_len) {
			snprintf(first->name, sizeof(first->name), "wep_64_ptw_01.cap frame %zu (WEP-40)",
				 i + 1);
			first->cipher = DOT11XDP_CIPHER_WEP40;
			first->engine = DOT11XDP_ENGINE_TABLE;
			memcpy(first->tk, wep40_key, 5);
			first->tk_len = 5;
			memcpy(first->mpdu, m, cap.len[i]);
			first->mpdu_len = cap.len[i];
			first->hdr_len = hl;
			memcpy(first->plain, ts.data[i], ts.len[i]);
			first->plain_len = ts.len[i];
		}
	}
	printf("# wep_64_ptw_01.cap: %zu frames;", cap.n);
	for (int o = 0; o < DOT11XDP_RX_OUTCOMES; o++)
		printf(" %s %zu", rx_outcome_name(o), outcomes[o]);
	printf("\n");
	test_ok(ours > 2500 && ours == theirs && !disagree,
		"wep_64_ptw_01.cap: the %zu frames tshark decrypts, and only they, decrypt (%zu)",
		theirs, ours);
	test_ok(!differ, "wep_64_ptw_01.cap: each is tshark's plaintext behind the MAC header, "
		"Protected cleared");
	test_ok(!outcomes[DOT11XDP_RX_REPLAY] && !outcomes[DOT11XDP_RX_MALFORMED],
		"wep_64_ptw_01.cap: no replay (WEP has no counter) and no malformed outcome");
	if (!first->mpdu_len)
		test_fatal("no WEP frame decrypted");
	len = wep_seal(wep40_key, 5, first->mpdu + first->hdr_len, first->mpdu, first->plain,
		       first->plain_len, sealed);
	test_bytes_eq(sealed, len, first->mpdu, first->mpdu_len,
		      "the test's WEP (OpenSSL RC4, zlib CRC-32) gives %s byte for byte", first->name);
	capture_free(&cap);
	capture_free(&ts);
}

/* A WEP-104 frame of the test's own WEP: ToDS, to an individual address. */
static void wep104_case(struct rx_case *c)
{
	static const __u8 key[13] = { 0x0d, 0x1c, 0x2b, 0x3a, 0x49, 0x58, 0x67,
				      0x76, 0x85, 0x94, 0xa3, 0xb2, 0xc1 };
	static const __u8 sta[6] = { 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01 };
	static const __u8 ap[6] = { 0x02, 0x00, 0x00, 0x00, 0x0b, 0x01 };
	static const __u8 host[6] = { 0x02, 0x00, 0x00, 0x00, 0x0c, 0x01 };
	static const __u8 iv[3] = { 0x5e, 0x21, 0x9c };
	__u8 hdr[40];

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "WEP-104, ToDS data");
	c->cipher = DOT11XDP_CIPHER_WEP104;
	c->engine = DOT11XDP_ENGINE_TABLE;
	memcpy(c->tk, key, 13);
	c->tk_len = 13;
	data_hdr(hdr, 0x08, 0x01, ap, sta, host, NULL, 0);
	c->hdr_len = 24;
	c->plain_len = 60;
	for (size_t i = 0; i < c->plain_len; i++)
		c->plain[i] = 0xaa - i;
	memcpy(c->plain, "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8);
	c->mpdu_len = wep_seal(key, 13, iv, hdr, c->plain, c->plain_len, c->mpdu);
}

static void run_wep(const struct rx_case *c, __u32 outcome, const char *what)
{
	struct frame in, want;
	struct rx_result r;

	rx_keys_clear();
	case_install(c, NULL, 0);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), c->mpdu, c->mpdu_len, NULL);
	rx_run(in.bytes, in.len, &r);
	if (outcome == DOT11XDP_RX_DECRYPTED) {
		expected_plain(rx_rt_minimal, sizeof(rx_rt_minimal), 0, c->mpdu, c->hdr_len, 0,
			       c->plain, c->plain_len, &want);
		expect(&r, XDP_PASS, outcome, what);
		expect_bytes(&r, want.bytes, want.len, what);
	} else {
		expect(&r, outcome == DOT11XDP_RX_NO_KEY || outcome == DOT11XDP_RX_UNSUPPORTED ?
				   XDP_PASS : XDP_DROP, outcome, what);
		expect_bytes(&r, in.bytes, in.len, what);
	}
	test_ok(counters_untouched(c), "%s: no counter moved", what);
}

static void test_wep_refusals(const struct rx_case *v)
{
	static __u8 body[RX_BODY_MAX];
	static struct rx_case c;

	c = *v;
	c.mpdu[v->hdr_len + 3] |= 0x20;
	run_wep(&c, DOT11XDP_RX_MALFORMED, "WEP: ExtIV set");
	c = *v;
	c.mpdu[v->hdr_len + 3] |= 0x80;
	run_wep(&c, DOT11XDP_RX_NO_KEY, "WEP: key ID 2 (a default key, not this key-mapping key)");
	c = *v;
	c.mpdu_len = v->hdr_len + 4 + 3;
	run_wep(&c, DOT11XDP_RX_MALFORMED, "WEP: body shorter than the ICV");
	/* Fragments carry their own ICV: each decrypts. */
	c = *v;
	c.mpdu[1] |= 0x04;
	run_wep(&c, DOT11XDP_RX_DECRYPTED, "WEP: first fragment (More Fragments set)");

	/* The work buffer's size: data + ICV filling it, one byte over; an empty body. */
	for (size_t i = 0; i < sizeof(body); i++)
		body[i] = i * 3 + 7;
	c = *v;
	snprintf(c.name, sizeof(c.name), "WEP: data + ICV filling the work buffer");
	memcpy(c.plain, body, RX_BODY_MAX - 4);
	c.plain_len = RX_BODY_MAX - 4;
	c.mpdu_len = wep_seal(v->tk, v->tk_len, v->mpdu + v->hdr_len, v->mpdu, c.plain,
			      c.plain_len, c.mpdu);
	run_wep(&c, DOT11XDP_RX_DECRYPTED, c.name);
	c.plain_len = RX_BODY_MAX - 3;
	memcpy(c.plain, body, c.plain_len);
	c.mpdu_len = wep_seal(v->tk, v->tk_len, v->mpdu + v->hdr_len, v->mpdu, c.plain,
			      c.plain_len, c.mpdu);
	run_wep(&c, DOT11XDP_RX_UNSUPPORTED, "WEP: data + ICV one byte over the work buffer");
	c.plain_len = 0;
	c.mpdu_len = wep_seal(v->tk, v->tk_len, v->mpdu + v->hdr_len, v->mpdu, c.plain, 0, c.mpdu);
	run_wep(&c, DOT11XDP_RX_DECRYPTED, "WEP: empty body (ICV only)");
}

/* ---- a security header of another cipher --------------------------------------------- */

/*
 * frame (a case of one cipher) under a key of another, installed under its TA: never
 * plaintext, outcome as given, packet unchanged, no counter moved. A header of another
 * ExtIV cipher cannot always be told apart (CCMP, GCMP and TKIP headers share the ExtIV
 * octet; CCMP's reserved byte is TKIP's TSC0): those fail their MIC.
 */
static void cross(const struct rx_case *frame, __u32 cipher, const __u8 *tk, unsigned int tk_len,
		  __u32 outcome, const char *key_name)
{
	const __u8 *ta = frame->mpdu + 10;
	struct frame in;
	struct rx_result r;
	char what[200];

	rx_keys_clear();
	rx_key_install(ta, DOT11XDP_DIR_INBOUND, cipher, tk, tk_len, DOT11XDP_ENGINE_TABLE, 0, 0);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), frame->mpdu, frame->mpdu_len, NULL);
	snprintf(what, sizeof(what), "%s frame on a %s key", frame->name, key_name);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, outcome, what);
	expect_bytes(&r, in.bytes, in.len, what);
	test_ok(rx_counters_are(ta, DOT11XDP_DIR_INBOUND, 0, -1, 0, 0), "%s: no counter moved", what);
}

static void test_cross_cipher(const struct rx_case *ccmp, const struct rx_case *ccmp256,
			      const struct rx_case *gcmp, const struct rx_case *gcmp256,
			      const struct rx_case *tkip, const struct rx_case *wep)
{
	/* The security header's shape gives it away. */
	cross(ccmp, DOT11XDP_CIPHER_TKIP, tkv.tk, 32, DOT11XDP_RX_MALFORMED, "TKIP");
	cross(ccmp, DOT11XDP_CIPHER_WEP40, wep40_key, 5, DOT11XDP_RX_MALFORMED, "WEP-40");
	cross(gcmp256, DOT11XDP_CIPHER_WEP104, tkv.tk, 13, DOT11XDP_RX_MALFORMED, "WEP-104");
	cross(tkip, DOT11XDP_CIPHER_WEP104, tkv.tk, 13, DOT11XDP_RX_MALFORMED, "WEP-104");
	cross(wep, DOT11XDP_CIPHER_CCMP, ccmp->tk, 16, DOT11XDP_RX_MALFORMED, "CCMP-128");
	cross(wep, DOT11XDP_CIPHER_GCMP_256, gcmp256->tk, 32, DOT11XDP_RX_MALFORMED, "GCMP-256");
	cross(wep, DOT11XDP_CIPHER_TKIP, tkv.tk, 32, DOT11XDP_RX_MALFORMED, "TKIP");
	/* The header fits: the MIC does not. */
	cross(tkip, DOT11XDP_CIPHER_CCMP, ccmp->tk, 16, DOT11XDP_RX_MIC_FAILURE, "CCMP-128");
	cross(ccmp, DOT11XDP_CIPHER_CCMP_256, ccmp256->tk, 32, DOT11XDP_RX_MIC_FAILURE, "CCMP-256");
	cross(ccmp256, DOT11XDP_CIPHER_GCMP_256, ccmp256->tk, 32, DOT11XDP_RX_MIC_FAILURE, "GCMP-256");
	cross(gcmp, DOT11XDP_CIPHER_CCMP, gcmp->tk, 16, DOT11XDP_RX_MIC_FAILURE, "CCMP-128");
	cross(gcmp256, DOT11XDP_CIPHER_GCMP, gcmp256->tk, 16, DOT11XDP_RX_MIC_FAILURE, "GCMP-128");
}

/* ---- the program -------------------------------------------------------------------- */

static void env_open(void)
{
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info);
	struct bpf_map *map;
	int err;

	skel = decrypt_bpf__open();
	if (!skel)
		test_fatal("decrypt_bpf__open: %s", strerror(errno));
	skel->rodata->report_outcome = true;
	/* Nothing of this test may land in /sys/fs/bpf. */
	bpf_object__for_each_map(map, skel->obj)
		if (bpf_map__set_pin_path(map, NULL))
			test_fatal("unpinning map %s", bpf_map__name(map));
	err = decrypt_bpf__load(skel);
	test_ok(!err, "xdp_decrypt loads and passes the verifier");
	if (err)
		test_fatal("decrypt_bpf__load: %s", strerror(-err));
	rx_env_init(skel->obj);
	if (!bpf_obj_get_info_by_fd(rx.prog_fd, &info, &info_len))
		printf("# xdp_decrypt (report_outcome on): verified_insns %u\n", info.verified_insns);
	rx_set_output(DOT11XDP_OUTPUT_PASS);
}

int main(void)
{
	static struct rx_case ccmp, aes[4], tkip, wep40, wep104;
	static const struct {
		const char *title, *name, *aad, *nonce;
		__u32 cipher;
	} aes_vectors[4] = {
		{ "M.6.4 CCMP-256 test vector", "P802.11ac M.6.4 (CCMP-256)", "CCMP-256 AAD",
		  "CCMP-256 nonce", DOT11XDP_CIPHER_CCMP_256 },
		{ "M.11.1 GCMP test mpdu #1", "802.11ad M.11.1 #1 (GCMP-128)", "GCMP AAD",
		  "GCMP nonce", DOT11XDP_CIPHER_GCMP },
		{ "M.11.1 GCMP test mpdu #2", "802.11ad M.11.1 #2 (GCMP-128)", "GCMP AAD",
		  "GCMP nonce", DOT11XDP_CIPHER_GCMP },
		{ "M.11.1 GCMP-256 test vector", "P802.11ac M.11.1 (GCMP-256)", "GCMP AAD",
		  "GCMP nonce", DOT11XDP_CIPHER_GCMP_256 },
	};
	static const __u8 ap[6] = { 0x00, 0x0b, 0x86, 0xc2, 0xa4, 0x85 };
	static const __u8 sta[6] = { 0x00, 0x13, 0xce, 0x55, 0x98, 0xef };
	struct tv_file tv;
	int err;

	test_require_root();
	/* RC4 lives in OpenSSL 3's legacy provider; the default one must stay for the rest. */
	if (!OSSL_PROVIDER_load(NULL, "legacy") || !OSSL_PROVIDER_load(NULL, "default"))
		test_fatal("loading OpenSSL's legacy provider (RC4, the oracle) failed");
	err = tv_load(test_data_path("ieee80211-cipher-vectors.txt"), &tv);
	if (err)
		test_fatal("loading the IEEE vectors: %s", strerror(-err));
	env_open();

	aead_vector(&tv, "IEEE Std 802.11-2012, M.6.4 CCMP test vector", "M.6.4 (CCMP-128)",
		    DOT11XDP_CIPHER_CCMP, "CCMP AAD", "CCM Nonce", &ccmp);
	for (int i = 0; i < 4; i++)
		aead_vector(&tv, aes_vectors[i].title, aes_vectors[i].name, aes_vectors[i].cipher,
			    aes_vectors[i].aad, aes_vectors[i].nonce, &aes[i]);
	tkip_vector_load(&tv, &tkip);

	/* CCMP-256, GCMP-128, GCMP-256 on each AES engine. */
	for (int pass = 0; pass < 2; pass++) {
		enum dot11xdp_engine engine = pass ? DOT11XDP_ENGINE_KFUNC : DOT11XDP_ENGINE_TABLE;

		if (pass && !rx_kfunc_engine_check())
			break;
		for (int i = 0; i < 4; i++) {
			struct rx_case c = aes[i];

			c.engine = engine;
			case_name(&c, "%s, %s engine", aes[i].name, engine_name(engine));
			test_case(&c, aead_uncovered);
			test_aead_sizes(&c);
			test_aead_a4(&c);
			test_ether_case(&c);
		}
	}

	/* TKIP. */
	test_case(&tkip, tkip_uncovered);
	test_tkip_michael_failure();
	test_tkip_directions();
	test_tkip_qos();
	test_tkip_refusals(&tkip);
	test_tkip_sizes();
	test_tkip_capture(ap, "AP (a station's key)");
	test_tkip_capture(sta, "station (an AP's key)");
	test_ether_case(&tkip);
	test_capture_vs_airdecap("captures/wpa-psk-linksys.cap", "-e linksys -p dictionary", ap,
				 DOT11XDP_DIR_BOTH, DOT11XDP_CIPHER_TKIP, tkip_linksys_blob, 32);

	/* WEP. */
	test_wep_capture(&wep40);
	test_case(&wep40, wep_uncovered);
	wep104_case(&wep104);
	test_case(&wep104, wep_uncovered);
	test_wep_refusals(&wep104);
	test_ether_case(&wep40);
	test_ether_case(&wep104);
	test_capture_vs_airdecap("captures/wep_64_ptw_01.cap", "-w 1f1f1f1f1f", wep_ap,
				 DOT11XDP_DIR_INBOUND, DOT11XDP_CIPHER_WEP40, wep40_key, 5);
	test_rc4_on_kfunc_engine(&tkip, &wep104);

	test_cross_cipher(&ccmp, &aes[0], &aes[2], &aes[3], &tkip, &wep104);
	rx_keys_clear();
	rx_check_global_stats();

	decrypt_bpf__destroy(skel);
	tv_free(&tv);
	return test_done();
}
