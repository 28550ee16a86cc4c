// SPDX-License-Identifier: GPL-2.0
/*
 * Tier 1: the receive program (xdp_decrypt) on crafted CCMP-128 frames through
 * BPF_PROG_TEST_RUN; tests/test_bpf_rx_ciphers.c does the other ciphers.
 *
 * External truth: the IEEE 802.11 Annex vectors (CCMP-128 M.6.4, CCMP on a management frame
 * M.9.2, and the QoS AAD of the GCMP vector M.11.1 #2), OpenSSL's AES-128-CCM for the frames
 * the vectors do not cover, and airdecap-ng for the Ethernet output on a real capture.
 * Every run asserts the XDP action, the output bytes, the outcome the program reports in
 * the XDP metadata and the replay counters in the key's map value. What depends on the AES
 * engine runs twice: table engine, then kfunc engine (checks tagged "[kfunc]").
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

#include <dot11xdp/dot11xdp_structs.h>
#include "decrypt.skel.h"
#include "rx_harness.h"
#include "testlib.h"

/* Every check's name starts with the pass's tag: the kfunc engine's pass repeats checks. */
#define test_ok(ok, fmt, ...) (test_ok)((ok), "%s" fmt, rx.tag, ##__VA_ARGS__)

static struct decrypt_bpf *skel;
/* The AES engine the keys of the current pass are prepared for. */
static enum dot11xdp_engine engine = DOT11XDP_ENGINE_TABLE;

/* ---- the program ------------------------------------------------------------------ */

static void env_open(void)
{
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
}

/* A CCMP-128 key, prepared for the engine of the current pass. */
static void key_install(const __u8 *peer, __u8 direction, const __u8 *tk, __u8 flags, __u64 pn_init)
{
	rx_key_install(peer, direction, DOT11XDP_CIPHER_CCMP, tk, 16, engine, flags, pn_init);
}

/* ---- the vectors ------------------------------------------------------------------ */

struct vector {
	const char *name;
	__u8 tk[16];
	__u64 pn;
	__u8 hdr[40];
	size_t hdr_len;
	__u8 plain[512];
	size_t plain_len;
	__u8 mpdu[RX_FRAME_MAX];
	size_t mpdu_len;
	__u8 fcs[4];
	bool has_fcs;
	__u8 aad[32];
	size_t aad_len;
	__u8 nonce[13];
	__u32 replay_index;
};

static const struct tv_field *need_field(const struct tv_section *s, const char *name, size_t len)
{
	const struct tv_field *f = tv_field(s, name);

	if (!f || (len && f->len != len))
		test_fatal("vector \"%s\": field \"%s\" missing or of the wrong length", s->title, name);
	return f;
}

static void vector_load(const struct tv_file *tv, const char *title, const char *name,
			__u32 replay_index, struct vector *v)
{
	const struct tv_section *s = tv_find(tv, title, 0);
	const struct tv_field *f;

	if (!s)
		test_fatal("vector \"%s\" not found", title);
	memset(v, 0, sizeof(*v));
	v->name = name;
	v->replay_index = replay_index;
	memcpy(v->tk, need_field(s, "TK", 16)->data, 16);
	f = need_field(s, "PN", 6); /* PN5 first */
	for (int i = 0; i < 6; i++)
		v->pn = v->pn << 8 | f->data[i];
	f = need_field(s, "802.11 Header", 0);
	memcpy(v->hdr, f->data, f->len);
	v->hdr_len = f->len;
	f = need_field(s, "Plaintext Data", 0);
	memcpy(v->plain, f->data, f->len);
	v->plain_len = f->len;
	f = need_field(s, "Encrypted MPDU (without FCS)", 0);
	memcpy(v->mpdu, f->data, f->len);
	v->mpdu_len = f->len;
	f = tv_field(s, "FCS");
	if (f && f->len == 4) {
		memcpy(v->fcs, f->data, 4);
		v->has_fcs = true;
	}
	f = need_field(s, "CCMP AAD", 0);
	memcpy(v->aad, f->data, f->len);
	v->aad_len = f->len;
	memcpy(v->nonce, need_field(s, "CCM Nonce", 13)->data, 13);
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_verifier(void)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (!test_ok(!bpf_obj_get_info_by_fd(rx.prog_fd, &info, &len), "bpf_prog_info of xdp_decrypt"))
		return;
	printf("# xdp_decrypt (report_outcome on): verified_insns %u, xlated %u bytes, jited %u bytes\n",
	       info.verified_insns, info.xlated_prog_len, info.jited_prog_len);
	test_ok(info.verified_insns > 0 && info.verified_insns < 1000000,
		"verifier processed %u instructions, under the 1M limit", info.verified_insns);
}

/* The test's own AAD/nonce builder and OpenSSL reproduce the vectors: they can make frames. */
static void test_oracle(const struct tv_file *tv, const struct vector *vs, int nv)
{
	const struct tv_section *gcmp = tv_find(tv, "M.11.1 GCMP test mpdu #2", 0);
	__u8 aad[32], nonce[13], out[RX_FRAME_MAX];

	for (int i = 0; i < nv; i++) {
		const struct vector *v = &vs[i];
		size_t len;

		len = oracle_aad(v->mpdu, false, aad);
		test_bytes_eq(aad, len, v->aad, v->aad_len, "%s: test AAD builder matches the vector",
			      v->name);
		oracle_ccmp_nonce(v->mpdu, v->pn, nonce);
		test_bytes_eq(nonce, 13, v->nonce, 13, "%s: test nonce builder matches the vector",
			      v->name);
		len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, v->tk, v->hdr, v->plain, v->plain_len, v->pn, false, out);
		test_bytes_eq(out, len, v->mpdu, v->mpdu_len,
			      "%s: OpenSSL CCM sealing matches the vector's encrypted MPDU", v->name);
	}
	if (!gcmp)
		test_fatal("GCMP vector M.11.1 #2 not found");
	/* A QoS data header with its AAD: the same AAD construction serves CCMP. */
	const struct tv_field *h = need_field(gcmp, "802.11 Header", 26);
	const struct tv_field *a = need_field(gcmp, "GCMP AAD", 24);
	size_t len = oracle_aad(h->data, false, aad);

	test_bytes_eq(aad, len, a->data, a->len, "QoS header (M.11.1 #2): test AAD builder matches");
}

static void test_vector_decrypt(const struct vector *v, const __u8 *rt, size_t rt_len,
				size_t rt_flags_off, bool with_fcs, const char *variant)
{
	const __u8 *ta = v->mpdu + 10;
	struct dot11xdp_rx_stats before, after;
	struct frame in, want;
	struct rx_result r;
	char what[160];

	snprintf(what, sizeof(what), "%s, %s", v->name, variant);
	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_INBOUND, v->tk, 0, 0);
	frame_wrap(&in, rt, rt_len, v->mpdu, v->mpdu_len, with_fcs ? v->fcs : NULL);
	expected_plain(rt, rt_len, with_fcs ? rt_flags_off : 0, v->mpdu, v->hdr_len, 0, v->plain,
		       v->plain_len, &want);

	rx_peer_stats(ta, &before);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, what);
	expect_bytes(&r, want.bytes, want.len, what);
	test_ok(rx_counters_are(ta, DOT11XDP_DIR_INBOUND, 0, DOT11XDP_FROM_PEER, v->replay_index, v->pn),
		"%s: counter rx[FROM_PEER].pn[%u] advanced to the PN, no other moved", what,
		v->replay_index);
	rx_peer_stats(ta, &after);
	test_ok(after.decrypted == before.decrypted + 1,
		"%s: the transmitter's decrypted counter went up by one", what);

	/* The same frame again is a replay: dropped, untouched, counter where it was. */
	rx_run(in.bytes, in.len, &r);
	snprintf(what, sizeof(what), "%s, %s, the same frame again", v->name, variant);
	expect(&r, XDP_DROP, DOT11XDP_RX_REPLAY, what);
	expect_bytes(&r, in.bytes, in.len, what);
	test_ok(rx_counters_are(ta, DOT11XDP_DIR_INBOUND, 0, DOT11XDP_FROM_PEER, v->replay_index, v->pn),
		"%s: counter unchanged", what);
	rx_peer_stats(ta, &before);
	test_ok(before.replay == after.replay + 1, "%s: the transmitter's replay counter went up",
		what);

	/* Bad FCS: never decrypted, counted as such, no counter moves. */
	if (with_fcs) {
		rx_keys_clear();
		key_install(ta, DOT11XDP_DIR_INBOUND, v->tk, 0, 0);
		in.bytes[rt_flags_off] |= 0x40;
		rx_run(in.bytes, in.len, &r);
		snprintf(what, sizeof(what), "%s, %s, bad-FCS flag", v->name, variant);
		expect(&r, XDP_DROP, DOT11XDP_RX_BAD_FCS, what);
		expect_bytes(&r, in.bytes, in.len, what);
		test_ok(rx_counters_are(ta, DOT11XDP_DIR_INBOUND, 0, -1, 0, 0), "%s: no counter moved",
			what);
	}
}

static void test_initial_pn(const struct vector *v)
{
	const __u8 *ta = v->mpdu + 10;
	struct frame in;
	struct rx_result r;

	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), v->mpdu, v->mpdu_len, NULL);
	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_INBOUND, v->tk, 0, v->pn);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_REPLAY, "PN equal to the key's initial PN");
	test_ok(rx_counters_are(ta, DOT11XDP_DIR_INBOUND, v->pn, -1, 0, 0),
		"initial PN: counters unchanged");
	key_install(ta, DOT11XDP_DIR_INBOUND, v->tk, 0, v->pn + 1);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_REPLAY, "PN below the key's initial PN");
	key_install(ta, DOT11XDP_DIR_INBOUND, v->tk, 0, v->pn - 1);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "PN one above the key's initial PN");
}

static void test_wrong_key(const struct vector *v)
{
	const __u8 *ta = v->mpdu + 10;
	char what[96];
	__u8 tk[16];
	struct frame in;
	struct rx_result r;

	memcpy(tk, v->tk, 16);
	tk[15] ^= 0x01;
	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_INBOUND, tk, 0, 0);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), v->mpdu, v->mpdu_len, NULL);
	snprintf(what, sizeof(what), "%s, wrong key", v->name);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_MIC_FAILURE, what);
	expect_bytes(&r, in.bytes, in.len, what);
	test_ok(rx_counters_are(ta, DOT11XDP_DIR_INBOUND, 0, -1, 0, 0), "%s: no counter moved", what);
}

/* Which key a frame finds: TA inbound/both, else RA inbound/both, never outbound or a group RA. */
static void test_key_lookup(const struct vector *data, const struct vector *mgmt)
{
	const __u8 *ta = mgmt->mpdu + 10, *ra = mgmt->mpdu + 4;
	struct frame in, in_data;
	struct rx_result r;
	__u8 back[64];
	size_t back_len;

	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mgmt->mpdu, mgmt->mpdu_len, NULL);
	frame_wrap(&in_data, rx_rt_minimal, sizeof(rx_rt_minimal), data->mpdu, data->mpdu_len, NULL);

	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_BOTH, mgmt->tk, 0, 0);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "key of the TA, direction both");

	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_OUTBOUND, mgmt->tk, 0, 0);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_NO_KEY, "only an outbound key of the TA");
	expect_bytes(&r, in.bytes, in.len, "no key: passed unchanged");

	for (int dir = DOT11XDP_DIR_INBOUND; dir <= DOT11XDP_DIR_BOTH; dir += 2) {
		char what[96];

		snprintf(what, sizeof(what), "key of the RA only (direction %d)", dir);
		rx_keys_clear();
		key_install(ra, dir, mgmt->tk, 0, 0);
		rx_run(in.bytes, in.len, &r);
		expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, what);
		test_ok(rx_counters_are(ra, dir, 0, DOT11XDP_TO_PEER, mgmt->replay_index, mgmt->pn),
			"%s: the TO_PEER counter advanced, FROM_PEER untouched", what);
	}

	/*
	 * The two ends number their PNs independently: after PN 1 sent to the peer, PN 1 sent by
	 * the peer (the same frame with A1 and A2 swapped, sealed by OpenSSL) is fresh, and a
	 * repeat of either is a replay.
	 */
	__u8 hdr[32];

	memcpy(hdr, mgmt->hdr, mgmt->hdr_len);
	memcpy(hdr + 4, mgmt->hdr + 10, 6);
	memcpy(hdr + 10, mgmt->hdr + 4, 6);
	back_len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, mgmt->tk, hdr, mgmt->plain, mgmt->plain_len, mgmt->pn, false, back);
	struct frame in_back;

	frame_wrap(&in_back, rx_rt_minimal, sizeof(rx_rt_minimal), back, back_len, NULL);
	rx_run(in_back.bytes, in_back.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "same PN from the peer itself (other end)");
	{
		struct dot11xdp_key key;

		rx_key_read(ra, DOT11XDP_DIR_BOTH, &key);
		test_ok(key.rx[DOT11XDP_FROM_PEER].pn[16] == mgmt->pn &&
				key.rx[DOT11XDP_TO_PEER].pn[16] == mgmt->pn,
			"FROM_PEER and TO_PEER counters both at the PN");
	}
	rx_run(in_back.bytes, in_back.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_REPLAY, "repeat from the peer");
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_REPLAY, "repeat to the peer");

	/* M.6.4's A1 is a group address: no RA fallback to a key installed under it. */
	rx_keys_clear();
	key_install(data->mpdu + 4, DOT11XDP_DIR_BOTH, data->tk, 0, 0);
	rx_run(in_data.bytes, in_data.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_NO_KEY, "group-addressed RA: no RA fallback");
	expect_bytes(&r, in_data.bytes, in_data.len, "group RA: passed unchanged");

	/* A key whose cipher the program does not know (none): passed unchanged, unsupported. */
	rx_keys_clear();
	rx_key_install(data->mpdu + 10, DOT11XDP_DIR_INBOUND, DOT11XDP_CIPHER_NONE, data->tk, 16,
		       engine, 0, 0);
	rx_run(in_data.bytes, in_data.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_UNSUPPORTED, "key of an unknown cipher");
	expect_bytes(&r, in_data.bytes, in_data.len, "unknown cipher: passed unchanged");
	test_ok(rx_counters_are(data->mpdu + 10, DOT11XDP_DIR_INBOUND, 0, -1, 0, 0),
		"unknown cipher: no counter moved");
}

/* Radiotap and security headers that are wrong (v has a group RA, unicast an individual one). */
static void test_malformed(const struct vector *v, const struct vector *unicast)
{
	const __u8 *ta = v->mpdu + 10;
	size_t sec = v->hdr_len;
	struct frame in;
	struct rx_result r;
	struct {
		const char *what;
		__u8 rt[48];
		size_t rt_len;
	} rts[] = {
		{ "radiotap version 1", { 1, 0, 8, 0, 0, 0, 0, 0 }, 8 },
		{ "radiotap length 7", { 0, 0, 7, 0, 0, 0, 0, 0 }, 8 },
		{ "radiotap length past the frame", { 0, 0, 0xff, 0x0f, 0, 0, 0, 0 }, 8 },
		{ "radiotap present chain past the header", { 0, 0, 8, 0, 0, 0, 0, 0x80 }, 8 },
		{ "radiotap Flags field past the header", { 0, 0, 8, 0, 0x02, 0, 0, 0 }, 8 },
		{ "radiotap TSFT+Flags past the header",
		  { 0, 0, 16, 0, 0x03, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 },
		  16 },
		{ "radiotap present chain of 9 words",
		  { 0, 0, 40, 0, 0, 0, 0, 0x80, 0, 0, 0, 0x80, 0, 0, 0, 0x80, 0, 0, 0, 0x80, 0, 0,
		    0, 0x80, 0, 0, 0, 0x80, 0, 0, 0, 0x80, 0, 0, 0, 0x80, 0, 0, 0, 0 },
		  40 },
	};

	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_INBOUND, v->tk, 0, 0);
	for (size_t i = 0; i < sizeof(rts) / sizeof(rts[0]); i++) {
		frame_wrap(&in, rts[i].rt, rts[i].rt_len, v->mpdu, v->mpdu_len, NULL);
		rx_run(in.bytes, in.len, &r);
		expect(&r, XDP_DROP, DOT11XDP_RX_MALFORMED, rts[i].what);
	}
	/* Eight present words is the cap, and is accepted. */
	{
		__u8 rt8[36] = { 0, 0, 36, 0 };

		for (int w = 0; w < 8; w++)
			rt8[4 + 4 * w + 3] = w < 7 ? 0x80 : 0;
		frame_wrap(&in, rt8, sizeof(rt8), v->mpdu, v->mpdu_len, NULL);
		rx_run(in.bytes, in.len, &r);
		expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "radiotap present chain of 8 words");
	}

	struct {
		const char *what;
		size_t off;
		__u8 xor;
		__u32 outcome;
	} secs[] = {
		{ "ExtIV clear", sec + 3, 0x20, DOT11XDP_RX_MALFORMED },
		{ "key ID 1 on a frame to a group address", sec + 3, 0x40, DOT11XDP_RX_NO_KEY },
		{ "802.11 protocol version 1", 0, 0x01, DOT11XDP_RX_MALFORMED },
	};
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		rx_keys_clear();
		key_install(ta, DOT11XDP_DIR_INBOUND, v->tk, 0, 0);
		frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), v->mpdu, v->mpdu_len, NULL);
		in.bytes[sizeof(rx_rt_minimal) + secs[i].off] ^= secs[i].xor;
		rx_run(in.bytes, in.len, &r);
		expect(&r, secs[i].outcome == DOT11XDP_RX_NO_KEY ? XDP_PASS : XDP_DROP, secs[i].outcome,
		       secs[i].what);
		expect_bytes(&r, in.bytes, in.len, secs[i].what);
		test_ok(rx_counters_are(ta, DOT11XDP_DIR_INBOUND, 0, -1, 0, 0), "%s: no counter moved",
			secs[i].what);
	}

	/* Too short for the CCMP header and the MIC. */
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), v->mpdu, v->hdr_len + 8 + 7, NULL);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_MALFORMED, "body shorter than the MIC");

	/* Key ID 1 on a frame to an individual address: not what a key-mapping key uses. */
	rx_keys_clear();
	key_install(unicast->mpdu + 10, DOT11XDP_DIR_INBOUND, unicast->tk, 0, 0);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), unicast->mpdu, unicast->mpdu_len, NULL);
	in.bytes[sizeof(rx_rt_minimal) + unicast->hdr_len + 3] |= 0x40;
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_MALFORMED, "key ID 1 on a frame to an individual address");
	expect_bytes(&r, in.bytes, in.len, "key ID 1 on a frame to an individual address");
}

static void test_unprotected(void)
{
	/* An unprotected data frame, a beacon-like management frame and an ACK pass unchanged. */
	static const __u8 data[] = { 0x08, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x66, 0xe3, 0xe4, 0x01,
				     0x00, 0x13, 0xce, 0x55, 0x98, 0xef, 0xff, 0xff, 0xff, 0xff,
				     0xff, 0xff, 0x10, 0x00, 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00,
				     0x88, 0x8e, 0x01, 0x03, 0x00, 0x00 };
	static const __u8 mgmt[] = { 0x80, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				     0x00, 0x0f, 0x66, 0xe3, 0xe4, 0x01, 0x00, 0x0f, 0x66, 0xe3,
				     0xe4, 0x01, 0x20, 0x00, 0x00, 0x00 };
	static const __u8 ack[] = { 0xd4, 0x00, 0x00, 0x00, 0x00, 0x13, 0xce, 0x55, 0x98, 0xef };
	static const __u8 ctrl_protected[] = { 0xb4, 0x40, 0x00, 0x00, 0x00, 0x13, 0xce, 0x55,
					       0x98, 0xef, 0x00, 0x0f, 0x66, 0xe3, 0xe4, 0x01 };
	struct {
		const char *what;
		const __u8 *mpdu;
		size_t len;
	} cases[] = {
		{ "unprotected data frame (EAPOL)", data, sizeof(data) },
		{ "unprotected management frame", mgmt, sizeof(mgmt) },
		{ "ACK", ack, sizeof(ack) },
		{ "RTS with the Protected bit set", ctrl_protected, sizeof(ctrl_protected) },
	};
	struct frame in;
	struct rx_result r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), cases[i].mpdu, cases[i].len, NULL);
		rx_run(in.bytes, in.len, &r);
		expect(&r, XDP_PASS, DOT11XDP_RX_UNPROTECTED, cases[i].what);
		expect_bytes(&r, in.bytes, in.len, cases[i].what);
	}
	/* An unprotected data frame whose header is cut short is malformed. */
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), data, 22, NULL);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_MALFORMED, "data frame shorter than its header");
}

/*
 * QoS data (TID from QoS Control, counter index = TID), four-address, +HTC and radiotap
 * DATAPAD frames, sealed by OpenSSL; SPP A-MSDU keys cover the A-MSDU bit, others do not.
 */
static void test_qos_variants(const struct tv_file *tv)
{
	const struct tv_section *s = tv_find(tv, "M.11.1 GCMP test mpdu #2", 0);
	const struct tv_field *h = need_field(s, "802.11 Header", 26);
	const struct tv_field *pt = need_field(s, "Plaintext Data", 40);
	static const __u8 tk[16] = { 0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
				     0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0 };
	static const __u8 rt_pad[] = { 0x00, 0x00, 0x09, 0x00, 0x02, 0x00, 0x00, 0x00, 0x20 };
	__u8 hdr[40], mpdu[RX_FRAME_MAX];
	struct frame in, want;
	struct rx_result r;
	size_t len, hl;
	const __u8 *ta;

	/* 1. QoS data, TID 3. */
	memcpy(hdr, h->data, 26);
	ta = hdr + 10;
	len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, tk, hdr, pt->data, pt->len, 0x1234, false, mpdu);
	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_INBOUND, tk, 0, 0);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	expected_plain(rx_rt_minimal, sizeof(rx_rt_minimal), 0, mpdu, 26, 0, pt->data, pt->len, &want);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "QoS data, TID 3");
	expect_bytes(&r, want.bytes, want.len, "QoS data, TID 3");
	test_ok(rx_counters_are(ta, DOT11XDP_DIR_INBOUND, 0, DOT11XDP_FROM_PEER, 3, 0x1234),
		"QoS data, TID 3: counter index 3 advanced");
	/* Another TID has its own counter: a lower PN on TID 5 is fresh. */
	hdr[24] = 0x05;
	len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, tk, hdr, pt->data, pt->len, 0x1000, false, mpdu);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "QoS data, TID 5, lower PN than TID 3's");
	hdr[24] = 0x03;
	len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, tk, hdr, pt->data, pt->len, 0x1000, false, mpdu);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_REPLAY, "QoS data, TID 3, PN below TID 3's counter");

	/* 2. Radiotap DATAPAD: two pad bytes between the 26-byte header and the CCMP header. */
	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_INBOUND, tk, 0, 0);
	len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, tk, hdr, pt->data, pt->len, 0x2000, false, mpdu);
	in.len = 0;
	frame_put(&in, rt_pad, sizeof(rt_pad));
	frame_put(&in, mpdu, 26);
	frame_put(&in, "\xa5\xa5", 2);
	frame_put(&in, mpdu + 26, len - 26);
	want.len = 0;
	frame_put(&want, rt_pad, sizeof(rt_pad));
	frame_put(&want, mpdu, 26);
	want.bytes[sizeof(rt_pad) + 1] &= ~0x40;
	frame_put(&want, "\xa5\xa5", 2);
	frame_put(&want, pt->data, pt->len);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "QoS data behind radiotap DATAPAD");
	expect_bytes(&r, want.bytes, want.len, "QoS data behind radiotap DATAPAD");

	/* 3. Four addresses, QoS, +HTC (Order set): header 36 bytes, AAD 30. */
	static const __u8 a4_hdr[36] = { 0x88, 0x83, 0x00, 0x00, 0x02, 0x11, 0x11, 0x11, 0x11,
					 0x11, 0x02, 0x22, 0x22, 0x22, 0x22, 0x22, 0x02, 0x33,
					 0x33, 0x33, 0x33, 0x33, 0x50, 0x01, 0x02, 0x44, 0x44,
					 0x44, 0x44, 0x44, 0x06, 0x00, 0xfe, 0xdc, 0xba, 0x98 };
	hl = mpdu_hdr_len(a4_hdr);
	if (hl != 36)
		test_fatal("A4+QoS+HTC header length %zu", hl);
	rx_keys_clear();
	key_install(a4_hdr + 10, DOT11XDP_DIR_INBOUND, tk, 0, 0);
	len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, tk, a4_hdr, pt->data, pt->len, 0xabcdef012345ull, false, mpdu);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	expected_plain(rx_rt_minimal, sizeof(rx_rt_minimal), 0, mpdu, 36, 0, pt->data, pt->len, &want);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "four-address QoS data with HT Control");
	expect_bytes(&r, want.bytes, want.len, "four-address QoS data with HT Control");
	test_ok(rx_counters_are(a4_hdr + 10, DOT11XDP_DIR_INBOUND, 0, DOT11XDP_FROM_PEER, 6,
			     0xabcdef012345ull),
		"four-address QoS data: counter index 6 holds the 48-bit PN");

	/* 4. SPP A-MSDU: QoS Control bit 7 is in the AAD only under an SPP key. */
	memcpy(hdr, h->data, 26);
	hdr[24] = 0x83; /* TID 3, A-MSDU present */
	len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, tk, hdr, pt->data, pt->len, 0x10, false, mpdu);
	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_INBOUND, tk, 0, 0);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "A-MSDU bit set, non-SPP key");
	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_INBOUND, tk, 0, 0);
	in.bytes[sizeof(rx_rt_minimal) + 24] ^= 0x80;
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "A-MSDU bit flipped, non-SPP key (not covered)");
	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_INBOUND, tk, DOT11XDP_KEY_SPP_AMSDU, 0);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_MIC_FAILURE, "non-SPP frame under an SPP key");
	len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, tk, hdr, pt->data, pt->len, 0x10, true, mpdu);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "SPP frame under an SPP key");
	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_INBOUND, tk, DOT11XDP_KEY_SPP_AMSDU, 0);
	in.bytes[sizeof(rx_rt_minimal) + 24] ^= 0x80;
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_MIC_FAILURE, "A-MSDU bit flipped under an SPP key");
}

/* Bodies up to the work buffer decrypt; a longer one (a large A-MSDU) passes untouched. */
static void test_sizes(const struct vector *v)
{
	static __u8 plain[RX_BODY_MAX], mpdu[RX_FRAME_MAX];
	const __u8 *ta = v->mpdu + 10;
	struct frame in, want;
	struct rx_result r;
	size_t len;

	for (size_t i = 0; i < sizeof(plain); i++)
		plain[i] = i * 7;
	/* Ciphertext + MIC = 2336 bytes: exactly the work buffer (the CCMP header stays out). */
	len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, v->tk, v->hdr, plain, RX_BODY_MAX - 8, 9, false, mpdu);
	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_INBOUND, v->tk, 0, 0);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	expected_plain(rx_rt_minimal, sizeof(rx_rt_minimal), 0, mpdu, v->hdr_len, 0, plain,
		       RX_BODY_MAX - 8, &want);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "ciphertext + MIC filling the work buffer");
	expect_bytes(&r, want.bytes, want.len, "ciphertext + MIC filling the work buffer");

	len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, v->tk, v->hdr, plain, RX_BODY_MAX - 8 + 1, 10, false, mpdu);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_UNSUPPORTED, "ciphertext + MIC one byte over the work buffer");
	expect_bytes(&r, in.bytes, in.len, "body over the work buffer: passed unchanged");
	test_ok(rx_counters_are(ta, DOT11XDP_DIR_INBOUND, 0, DOT11XDP_FROM_PEER, v->replay_index, 9),
		"body over the work buffer: counter unmoved");

	/* An empty payload (MIC only) decrypts to the bare header. */
	len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, v->tk, v->hdr, plain, 0, 11, false, mpdu);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	expected_plain(rx_rt_minimal, sizeof(rx_rt_minimal), 0, mpdu, v->hdr_len, 0, plain, 0, &want);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "empty payload");
	expect_bytes(&r, want.bytes, want.len, "empty payload");
}

/* Every cut of the frame (down to what BPF_PROG_TEST_RUN takes) is never plaintext. */
static void test_truncations(const struct vector *v, const __u8 *rt, size_t rt_len, bool with_fcs,
			     const char *variant)
{
	const __u8 *ta = v->mpdu + 10;
	int bad = 0, runs = 0;
	struct frame in;
	struct rx_result r;

	frame_wrap(&in, rt, rt_len, v->mpdu, v->mpdu_len, with_fcs ? v->fcs : NULL);
	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_INBOUND, v->tk, 0, 0);
	for (size_t len = in.len - 1; len >= RX_TEST_RUN_MIN; len--) {
		rx_run(in.bytes, len, &r);
		runs++;
		if (r.outcome == DOT11XDP_RX_DECRYPTED || r.len != len || memcmp(r.frame, in.bytes, len) ||
		    !rx_counters_are(ta, DOT11XDP_DIR_INBOUND, 0, -1, 0, 0)) {
			if (bad++ < 5)
				printf("#   cut to %zu bytes: %s %s\n", len, rx_action_name(r.action),
				       rx_outcome_name(r.outcome));
		}
	}
	test_ok(!bad && runs > 0,
		"%s, %s: all %d truncations undecrypted, unchanged, counters unmoved", v->name,
		variant, runs);
}

static void test_bit_flips(const struct vector *v, const __u8 *rt, size_t rt_len,
			   size_t rt_flags_off, bool with_fcs, const char *variant)
{
	const __u8 *ta = v->mpdu + 10;
	int bad = 0, runs = 0, decrypted = 0;
	struct frame in, flipped, want;
	struct rx_result r;

	frame_wrap(&in, rt, rt_len, v->mpdu, v->mpdu_len, with_fcs ? v->fcs : NULL);
	for (size_t off = 0; off < in.len; off++) {
		for (int bit = 0; bit < 8; bit++) {
			bool in_rt = off < rt_len, uncovered;
			bool counters_ok;

			flipped = in;
			flipped.bytes[off] ^= 1u << bit;
			rx_keys_clear();
			key_install(ta, DOT11XDP_DIR_INBOUND, v->tk, 0, 0);
			rx_run(flipped.bytes, flipped.len, &r);
			runs++;
			uncovered = !in_rt && aead_bit_uncovered(v->mpdu, v->hdr_len, v->mpdu_len, off - rt_len, bit);
			/* The plaintext this flipped frame would decrypt to. */
			expected_plain(flipped.bytes, rt_len, with_fcs ? rt_flags_off : 0,
				       flipped.bytes + rt_len, v->hdr_len, 0, v->plain, v->plain_len,
				       &want);
			if (r.outcome == DOT11XDP_RX_DECRYPTED) {
				decrypted++;
				counters_ok = rx_counters_are(ta, DOT11XDP_DIR_INBOUND, 0, DOT11XDP_FROM_PEER,
							   v->replay_index, v->pn);
				/* A radiotap flip may legitimately decrypt (radiotap is not part of the
				 * MPDU); the 802.11 part must then be exactly the plaintext. */
				bool bytes_ok = in_rt ? r.len == want.len &&
								!memcmp(r.frame + rt_len, want.bytes + rt_len,
									want.len - rt_len)
						      : r.len == want.len && !memcmp(r.frame, want.bytes, want.len);
				if ((!uncovered && !in_rt) || !bytes_ok || !counters_ok || r.action != XDP_PASS) {
					if (bad++ < 8)
						printf("#   byte %zu bit %d: DECRYPTED (%s, bytes %s)\n", off,
						       bit, uncovered ? "uncovered" : "covered",
						       bytes_ok ? "right" : "wrong");
				}
			} else {
				counters_ok = rx_counters_are(ta, DOT11XDP_DIR_INBOUND, 0, -1, 0, 0);
				if (uncovered || !counters_ok || r.len != flipped.len ||
				    memcmp(r.frame, flipped.bytes, flipped.len)) {
					if (bad++ < 8)
						printf("#   byte %zu bit %d: %s %s (%s)\n", off, bit,
						       rx_action_name(r.action), rx_outcome_name(r.outcome),
						       uncovered ? "should decrypt" : "changed");
				}
			}
		}
	}
	test_ok(!bad, "%s, %s: %d single-bit flips: only uncovered bits decrypt (%d), to the right "
		      "plaintext; the rest unchanged, counters unmoved",
		v->name, variant, runs, decrypted);
}

/* Two CPUs receive the same frame at once: exactly one may accept its PN. */
struct race_arg {
	int cpu;
	const struct frame *in;
	pthread_barrier_t *start, *done;
	int rounds;
	__u32 *outcomes; /* per round */
};

static void *race_thread(void *p)
{
	struct race_arg *a = p;
	__u8 out[RX_FRAME_MAX + sizeof(struct dot11xdp_frame_meta)];
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(a->cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		a->rounds = -1;
	for (int i = 0; i < a->rounds; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = a->in->bytes,
			    .data_size_in = a->in->len, .data_out = out, .data_size_out = sizeof(out),
			    .repeat = 1);
		struct dot11xdp_frame_meta meta = { .outcome = DOT11XDP_RX_OUTCOMES };

		pthread_barrier_wait(a->start);
		if (!bpf_prog_test_run_opts(rx.prog_fd, &opts) && opts.data_size_out >= sizeof(meta))
			memcpy(&meta, out, sizeof(meta));
		a->outcomes[i] = meta.outcome;
		pthread_barrier_wait(a->done);
	}
	return NULL;
}

static void test_replay_race(const struct vector *v)
{
	enum { ROUNDS = 2000 };
	static __u32 outcomes[2][ROUNDS];
	pthread_barrier_t start, done;
	struct race_arg args[2];
	pthread_t threads[2];
	struct frame in;
	int bad = 0, races = 0;

	if (rx.ncpus < 2 || libbpf_num_possible_cpus() < 2) {
		test_ok(false, "replay race: needs two CPUs");
		return;
	}
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), v->mpdu, v->mpdu_len, NULL);
	pthread_barrier_init(&start, NULL, 3);
	pthread_barrier_init(&done, NULL, 3);
	for (int t = 0; t < 2; t++) {
		args[t] = (struct race_arg){ .cpu = t, .in = &in, .start = &start, .done = &done,
					     .rounds = ROUNDS, .outcomes = outcomes[t] };
		if (pthread_create(&threads[t], NULL, race_thread, &args[t]))
			test_fatal("pthread_create: %s", strerror(errno));
	}
	for (int i = 0; i < ROUNDS; i++) {
		rx_keys_clear();
		key_install(v->mpdu + 10, DOT11XDP_DIR_INBOUND, v->tk, 0, 0);
		pthread_barrier_wait(&start);
		pthread_barrier_wait(&done);
	}
	for (int t = 0; t < 2; t++)
		pthread_join(threads[t], NULL);
	pthread_barrier_destroy(&start);
	pthread_barrier_destroy(&done);
	if (args[0].rounds < 0 || args[1].rounds < 0)
		test_fatal("pinning the race threads to CPUs 0 and 1");

	for (int i = 0; i < ROUNDS; i++) {
		__u32 a = outcomes[0][i], b = outcomes[1][i];

		for (int t = 0; t < 2; t++)
			if (outcomes[t][i] < DOT11XDP_RX_OUTCOMES)
				rx.tally[outcomes[t][i]]++;
		if (!((a == DOT11XDP_RX_DECRYPTED && b == DOT11XDP_RX_REPLAY) ||
		      (a == DOT11XDP_RX_REPLAY && b == DOT11XDP_RX_DECRYPTED))) {
			if (bad++ < 5)
				printf("#   round %d: CPU 0 %s, CPU 1 %s\n", i, rx_outcome_name(a),
				       rx_outcome_name(b));
		}
		races += a == DOT11XDP_RX_REPLAY ? 0 : 1; /* CPU 1 lost this round */
	}
	printf("# replay race: CPU 0 won %d of %d rounds\n", races, ROUNDS);
	test_ok(!bad, "replay race: in all %d rounds on two CPUs, exactly one accepted the PN",
		ROUNDS);
}

/* A data MPDU header: FC, Duration, A1..A3, Sequence Control [, A4] [, QoS Control]. */
static size_t data_hdr(__u8 *h, __u8 fc0, __u8 fc1, const __u8 *a1, const __u8 *a2,
		       const __u8 *a3, const __u8 *a4, __u8 qos0)
{
	size_t len = 24;

	memset(h, 0, 40);
	h[0] = fc0;
	h[1] = fc1;
	memcpy(h + 4, a1, 6);
	memcpy(h + 10, a2, 6);
	memcpy(h + 16, a3, 6);
	h[22] = 0x30;
	h[23] = 0x12;
	if ((fc1 & 3) == 3) {
		memcpy(h + 24, a4, 6);
		len += 6;
	}
	if (fc0 & 0x80) {
		h[len] = qos0;
		len += 2;
	}
	return len;
}

/* DOT11XDP_OUTPUT_ETHER: decrypted and unprotected LLC/SNAP data frames become 802.3. */
static void test_ether(const struct vector *m64, const struct vector *m92)
{
	static const __u8 sta[6] = { 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01 };
	static const __u8 ap[6] = { 0x02, 0x00, 0x00, 0x00, 0x0b, 0x01 };
	static const __u8 host[6] = { 0x02, 0x00, 0x00, 0x00, 0x0c, 0x01 };
	static const __u8 far[6] = { 0x02, 0x00, 0x00, 0x00, 0x0d, 0x01 };
	static const __u8 tk[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	static const __u8 rfc1042[6] = { 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00 };
	static const __u8 tunnel[6] = { 0xaa, 0xaa, 0x03, 0x00, 0x00, 0xf8 };
	__u8 hdr[40], body[64], mpdu[RX_FRAME_MAX], eth[RX_FRAME_MAX];
	struct frame in;
	struct rx_result r;
	size_t len, hl;

	rx_set_output(DOT11XDP_OUTPUT_ETHER);

	/* M.6.4: its body is no LLC/SNAP, so it becomes DA | SA | length | body. */
	rx_keys_clear();
	key_install(m64->mpdu + 10, DOT11XDP_DIR_INBOUND, m64->tk, 0, 0);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), m64->mpdu, m64->mpdu_len, NULL);
	memcpy(eth, m64->mpdu + 4, 6);
	memcpy(eth + 6, m64->mpdu + 10, 6);
	eth[12] = 0;
	eth[13] = m64->plain_len;
	memcpy(eth + 14, m64->plain, m64->plain_len);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, "Ethernet: M.6.4 (no LLC/SNAP)");
	expect_bytes(&r, eth, 14 + m64->plain_len, "Ethernet: M.6.4 as an 802.3 length frame");

	/* Each DS combination picks its DA and SA; RFC 1042 and bridge-tunnel SNAP. */
	struct {
		const char *what;
		__u8 fc0, fc1, qos0;
		const __u8 *a1, *a2, *a3, *a4, *da, *sa, *snap;
		bool fcs;
	} cases[] = {
		{ "no DS bits", 0x08, 0x00, 0, sta, ap, ap, NULL, sta, ap, rfc1042, false },
		{ "ToDS", 0x08, 0x01, 0, ap, sta, host, NULL, host, sta, rfc1042, true },
		{ "FromDS", 0x08, 0x02, 0, sta, ap, host, NULL, sta, host, rfc1042, false },
		{ "ToDS+FromDS (A4)", 0x08, 0x03, 0, ap, sta, host, far, host, far, rfc1042, false },
		{ "QoS ToDS, bridge tunnel", 0x88, 0x01, 0x05, ap, sta, host, NULL, host, sta, tunnel,
		  true },
		{ "QoS A4, +HTC", 0x88, 0x83, 0x02, ap, sta, host, far, host, far, rfc1042, false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char what[96];

		snprintf(what, sizeof(what), "Ethernet: %s", cases[i].what);
		hl = data_hdr(hdr, cases[i].fc0, cases[i].fc1, cases[i].a1, cases[i].a2, cases[i].a3,
			      cases[i].a4, cases[i].qos0);
		if (cases[i].fc1 & 0x80)
			hl += 4; /* HT Control, zero */
		memcpy(body, cases[i].snap, 6);
		body[6] = 0x08;
		body[7] = 0x06;
		for (int b = 8; b < 36; b++)
			body[b] = 0x40 + b;
		rx_keys_clear();
		key_install(cases[i].a2, DOT11XDP_DIR_INBOUND, tk, 0, 0);
		len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, tk, hdr, body, 36, 100 + i, false, mpdu);
		if (cases[i].fcs)
			frame_wrap(&in, rx_rt_fcs, sizeof(rx_rt_fcs), mpdu, len, (const __u8 *)"\x11\x22\x33\x44");
		else
			frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
		memcpy(eth, cases[i].da, 6);
		memcpy(eth + 6, cases[i].sa, 6);
		memcpy(eth + 12, body + 6, 36 - 6);
		rx_run(in.bytes, in.len, &r);
		expect(&r, XDP_PASS, DOT11XDP_RX_DECRYPTED, what);
		expect_bytes(&r, eth, 12 + 30, what);
		(void)hl;
	}

	/* Unprotected: LLC/SNAP converts (FCS dropped); anything else is no Ethernet frame. */
	hl = data_hdr(hdr, 0x08, 0x02, sta, ap, host, NULL, 0);
	memcpy(hdr + hl, rfc1042, 6);
	hdr[hl + 6] = 0x88;
	hdr[hl + 7] = 0x8e;
	memcpy(mpdu, hdr, hl + 8);
	memcpy(mpdu + hl + 8, "\x01\x03\x00\x05\x02\x00\x00\x00\x00", 9);
	len = hl + 8 + 9;
	frame_wrap(&in, rx_rt_fcs, sizeof(rx_rt_fcs), mpdu, len, (const __u8 *)"\x55\x66\x77\x88");
	memcpy(eth, sta, 6);
	memcpy(eth + 6, host, 6);
	memcpy(eth + 12, mpdu + hl + 6, 2 + 9);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_PASS, DOT11XDP_RX_UNPROTECTED, "Ethernet: unprotected EAPOL");
	expect_bytes(&r, eth, 12 + 2 + 9, "Ethernet: unprotected EAPOL");

	mpdu[hl] = 0x42; /* not LLC/SNAP */
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_UNPROTECTED, "Ethernet: unprotected body without LLC/SNAP");

	hl = data_hdr(hdr, 0x48, 0x01, ap, sta, ap, NULL, 0); /* Null function */
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), hdr, hl, NULL);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_UNPROTECTED, "Ethernet: Null frame (no body)");

	/* Decrypted but not one whole MSDU, or not data: counted, not delivered. */
	rx_keys_clear();
	key_install(m92->mpdu + 10, DOT11XDP_DIR_INBOUND, m92->tk, 0, 0);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), m92->mpdu, m92->mpdu_len, NULL);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_DECRYPTED, "Ethernet: decrypted management frame");

	memcpy(body, rfc1042, 6);
	body[6] = 0x08;
	body[7] = 0x00;
	struct {
		const char *what;
		__u8 fc0, fc1, qos0, seq0;
	} partial[] = {
		{ "A-MSDU", 0x88, 0x01, 0x80, 0x30 },
		{ "first fragment", 0x08, 0x05, 0, 0x30 },
		{ "second fragment", 0x08, 0x01, 0, 0x31 },
	};
	for (size_t i = 0; i < sizeof(partial) / sizeof(partial[0]); i++) {
		char what[96];

		snprintf(what, sizeof(what), "Ethernet: decrypted %s", partial[i].what);
		hl = data_hdr(hdr, partial[i].fc0, partial[i].fc1, ap, sta, host, NULL, partial[i].qos0);
		hdr[22] = partial[i].seq0;
		rx_keys_clear();
		key_install(sta, DOT11XDP_DIR_INBOUND, tk, 0, 0);
		len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, tk, hdr, body, 30, 7, false, mpdu);
		frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
		rx_run(in.bytes, in.len, &r);
		expect(&r, XDP_DROP, DOT11XDP_RX_DECRYPTED, what);
	}

	rx_keys_clear();
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	rx_run(in.bytes, in.len, &r);
	expect(&r, XDP_DROP, DOT11XDP_RX_NO_KEY, "Ethernet: no key");

	rx_set_output(DOT11XDP_OUTPUT_PASS);
}

/* ---- a real capture against airdecap-ng ------------------------------------------- */

struct pcap_frames {
	__u8 **data;
	size_t *len;
	size_t n;
	__u32 linktype;
};

/* A classic pcap file (either byte order, micro- or nanosecond magic). */
static int pcap_read(const char *path, struct pcap_frames *pf)
{
	FILE *f = fopen(path, "rb");
	__u8 gh[24], rh[16];
	bool swap;
	__u32 magic;

	memset(pf, 0, sizeof(*pf));
	if (!f)
		return -errno;
	if (fread(gh, 1, sizeof(gh), f) != sizeof(gh)) {
		fclose(f);
		return -EINVAL;
	}
	memcpy(&magic, gh, 4);
	swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	if (!swap && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
		fclose(f);
		return -EINVAL;
	}
#define PCAP_U32(p) (swap ? __builtin_bswap32(*(__u32 *)(p)) : *(__u32 *)(p))
	pf->linktype = PCAP_U32(gh + 20);
	while (fread(rh, 1, sizeof(rh), f) == sizeof(rh)) {
		__u32 caplen = PCAP_U32(rh + 8);
		__u8 *buf = malloc(caplen ? caplen : 1);

		if (!buf || caplen > 262144 || fread(buf, 1, caplen, f) != caplen) {
			free(buf);
			fclose(f);
			return -EINVAL;
		}
		pf->data = realloc(pf->data, (pf->n + 1) * sizeof(*pf->data));
		pf->len = realloc(pf->len, (pf->n + 1) * sizeof(*pf->len));
		pf->data[pf->n] = buf;
		pf->len[pf->n++] = caplen;
	}
#undef PCAP_U32
	fclose(f);
	return 0;
}

static void pcap_free(struct pcap_frames *pf)
{
	for (size_t i = 0; i < pf->n; i++)
		free(pf->data[i]);
	free(pf->data);
	free(pf->len);
	memset(pf, 0, sizeof(*pf));
}

/* An unprotected EAPOL-Key frame that is message 4 of a 4-way handshake (IEEE 802.11 12.7.6.5). */
static bool is_handshake_msg4(const __u8 *mpdu, size_t len)
{
	static const __u8 llc_eapol[8] = { 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x88, 0x8e };
	size_t hl = mpdu_hdr_len(mpdu);
	const __u8 *eapol = mpdu + hl + 8;
	__u16 key_info;

	if ((mpdu[0] & 0x0c) != 0x08 || (mpdu[1] & 0x40) || len < hl + 8 + 99 ||
	    memcmp(mpdu + hl, llc_eapol, 8) || eapol[1] != 3 /* EAPOL-Key */)
		return false;
	key_info = eapol[5] << 8 | eapol[6];
	/*
	 * Pairwise and MIC set, ACK and Install clear: message 2 or 4. Message 4 carries no key
	 * data (message 2 of a rekey may have Secure set as well, so that bit does not tell).
	 */
	return (key_info & 0x01c8) == 0x0108 && !eapol[97] && !eapol[98];
}

/*
 * wpa2-psk-linksys.cap through the program in Ethernet mode, each TK of captures/MANIFEST.md
 * installed for the AP once its handshake has gone by (as a supplicant would): every frame
 * airdecap-ng decrypts appears, byte for byte and in order, among the frames delivered.
 */
static void test_capture_vs_airdecap(void)
{
	static const char *const tks[] = { "1d035e8beb4f83611dc93e2657cecf69",
					   "0ab0404984be2ef15086aa997804f47e",
					   "03c8a3e8f5b3c825d3dccce7e5e3f263" };
	/* The BSSID (TA of the AP's frames); MANIFEST.md's 00:0f:66:e3:e4:01 is the wired SA. */
	static const __u8 ap[6] = { 0x00, 0x0b, 0x86, 0xc2, 0xa4, 0x85 };
	char dir[] = "/tmp/dot11xdp-airdecap-XXXXXX", cmd[8192], out_path[256];
	size_t matched = 0, delivered = 0, next = 0, outcomes[DOT11XDP_RX_OUTCOMES] = {};
	struct pcap_frames cap, ref;
	int handshakes = 0, err;
	__u8 tk[3][16];
	struct rx_result r;
	struct frame in;

	if (system("command -v airdecap-ng >/dev/null 2>&1")) {
		test_ok(false, "airdecap-ng is installed (Debian package aircrack-ng)");
		return;
	}
	for (int i = 0; i < 3; i++)
		if (hex_parse(tks[i], tk[i], 16) != 16)
			test_fatal("bad TK %s", tks[i]);
	err = pcap_read(test_data_path("captures/wpa2-psk-linksys.cap"), &cap);
	if (err || cap.linktype != 105)
		test_fatal("reading wpa2-psk-linksys.cap: %d (link type %u)", err, cap.linktype);
	if (!mkdtemp(dir))
		test_fatal("mkdtemp: %s", strerror(errno));
	snprintf(out_path, sizeof(out_path), "%s/dec.cap", dir);
	snprintf(cmd, sizeof(cmd), "airdecap-ng -e linksys -p dictionary -o %s %s >/dev/null 2>&1",
		 out_path, test_data_path("captures/wpa2-psk-linksys.cap"));
	err = system(cmd);
	if (!test_ok(err == 0, "airdecap-ng decrypts the capture"))
		return;
	err = pcap_read(out_path, &ref);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		printf("# could not remove %s\n", dir);
	if (err || ref.linktype != 1)
		test_fatal("reading airdecap-ng's output: %d (link type %u)", err, ref.linktype);

	rx_set_output(DOT11XDP_OUTPUT_ETHER);
	rx_keys_clear();
	for (size_t i = 0; i < cap.n; i++) {
		frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), cap.data[i], cap.len[i], NULL);
		rx_run(in.bytes, in.len, &r);
		outcomes[r.outcome < DOT11XDP_RX_OUTCOMES ? r.outcome : 0]++;
		if (is_handshake_msg4(cap.data[i], cap.len[i]) && handshakes < 3)
			key_install(ap, DOT11XDP_DIR_BOTH, tk[handshakes++], 0, 0);
		if (r.outcome != DOT11XDP_RX_DECRYPTED || r.action != XDP_PASS)
			continue;
		delivered++;
		if (next < ref.n && r.len == ref.len[next] && !memcmp(r.frame, ref.data[next], r.len)) {
			matched++;
			next++;
		}
	}
	printf("# wpa2-psk-linksys.cap: %zu frames, %d handshakes, %zu decrypted to Ethernet, "
	       "airdecap-ng %zu, %zu of those matched byte for byte in order\n#  outcomes:",
	       cap.n, handshakes, delivered, ref.n, matched);
	for (int o = 0; o < DOT11XDP_RX_OUTCOMES; o++)
		printf(" %s %zu", rx_outcome_name(o), outcomes[o]);
	printf("\n");
	test_ok(handshakes == 3, "three 4-way handshakes seen, three TKs installed");
	test_ok(ref.n > 0 && matched == ref.n,
		"every frame airdecap-ng decrypts (%zu) is delivered identically, in order", ref.n);
	/* Both skip the retransmissions (replays here, repeated bodies there) and group frames. */
	test_ok(delivered == matched, "no frame delivered that airdecap-ng does not decrypt");
	test_ok(outcomes[DOT11XDP_RX_MIC_FAILURE] == 0 && outcomes[DOT11XDP_RX_MALFORMED] == 0,
		"no MIC failure or malformed frame in the capture");
	rx_set_output(DOT11XDP_OUTPUT_PASS);
	pcap_free(&cap);
	pcap_free(&ref);
}

/* Counters agree with the outcomes: globally with every run, per transmitter on a fresh one. */
static void test_stats(const struct vector *v)
{
	static const __u8 ta[6] = { 0x02, 0x5a, 0x5a, 0x00, 0x00, 0x01 };
	__u64 want[DOT11XDP_RX_OUTCOMES] = {};
	struct dot11xdp_rx_stats global, peer;
	__u8 hdr[40], mpdu[RX_FRAME_MAX];
	struct frame in;
	struct rx_result r;
	bool ok = true;
	size_t len;

	/* A transmitter of our own: decrypted x2, then a replay, a MIC failure, no key. */
	memcpy(hdr, v->hdr, v->hdr_len);
	memcpy(hdr + 10, ta, 6);
	rx_keys_clear();
	key_install(ta, DOT11XDP_DIR_INBOUND, v->tk, 0, 0);
	for (__u64 pn = 5; pn <= 6; pn++) {
		len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, v->tk, hdr, v->plain, v->plain_len, pn, false, mpdu);
		frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
		rx_run(in.bytes, in.len, &r);
		want[r.outcome]++;
	}
	rx_run(in.bytes, in.len, &r);
	want[r.outcome]++;
	len = oracle_seal_mpdu(DOT11XDP_CIPHER_CCMP, v->tk, hdr, v->plain, v->plain_len, 7, false, mpdu);
	frame_wrap(&in, rx_rt_minimal, sizeof(rx_rt_minimal), mpdu, len, NULL);
	in.bytes[in.len - 1] ^= 1;
	rx_run(in.bytes, in.len, &r);
	want[r.outcome]++;
	rx_keys_clear();
	rx_run(in.bytes, in.len, &r);
	want[r.outcome]++;
	test_ok(want[DOT11XDP_RX_DECRYPTED] == 2 && want[DOT11XDP_RX_REPLAY] == 1 &&
			want[DOT11XDP_RX_MIC_FAILURE] == 1 && want[DOT11XDP_RX_NO_KEY] == 1,
		"stats scenario ran as planned");

	rx_peer_stats(ta, &peer);
	for (int o = 0; o < DOT11XDP_RX_OUTCOMES; o++)
		if (((__u64 *)&peer)[o] != want[o]) {
			printf("#   peer %s: %llu, want %llu\n", rx_outcome_name(o),
			       (unsigned long long)((__u64 *)&peer)[o], (unsigned long long)want[o]);
			ok = false;
		}
	test_ok(ok, "dot11xdp_peers: the transmitter's counters match its frames' outcomes");

	rx_global_stats(&global);
	ok = true;
	for (int o = 0; o < DOT11XDP_RX_OUTCOMES; o++)
		if (((__u64 *)&global)[o] != rx.tally[o]) {
			printf("#   global %s: %llu, want %llu\n", rx_outcome_name(o),
			       (unsigned long long)((__u64 *)&global)[o], (unsigned long long)rx.tally[o]);
			ok = false;
		}
	test_ok(ok, "dot11xdp_stats: every run counted once, under its outcome");
}

int main(void)
{
	struct tv_file tv;
	struct vector vs[2], *m64 = &vs[0], *m92 = &vs[1];
	int err;

	test_require_root();
	err = tv_load(test_data_path("ieee80211-cipher-vectors.txt"), &tv);
	if (err)
		test_fatal("loading the IEEE vectors: %s", strerror(-err));
	vector_load(&tv, "IEEE Std 802.11-2012, M.6.4 CCMP test vector", "M.6.4 (CCMP-128 data)", 0,
		    m64);
	vector_load(&tv, "M.9.2 CCMP with unicast Deauthentication", "M.9.2 (CCMP deauth)",
		    DOT11XDP_REPLAY_MGMT, m92);

	env_open();
	rx_set_output(DOT11XDP_OUTPUT_PASS);
	test_verifier();
	test_oracle(&tv, vs, 2);

	for (int i = 0; i < 2; i++) {
		test_vector_decrypt(&vs[i], rx_rt_minimal, sizeof(rx_rt_minimal), 0, false, "minimal radiotap");
		if (vs[i].has_fcs)
			test_vector_decrypt(&vs[i], rx_rt_fcs, sizeof(rx_rt_fcs), RX_RT_FCS_FLAGS_OFF, true,
					    "radiotap TSFT+Flags(FCS)+FCS");
	}
	test_key_lookup(m64, m92);
	test_malformed(m64, m92);
	test_unprotected();

	/*
	 * What depends on the AES engine, on each: the table engine, then the kernel's crypto
	 * kfuncs (keys carry no AES schedule there, only their contexts).
	 */
	for (int pass = 0; pass < 2; pass++) {
		engine = pass ? DOT11XDP_ENGINE_KFUNC : DOT11XDP_ENGINE_TABLE;
		rx.tag = pass ? "[kfunc] " : "";
		if (pass && !rx_kfunc_engine_check())
			break;
		for (int i = 0; pass && i < 2; i++) {
			test_vector_decrypt(&vs[i], rx_rt_minimal, sizeof(rx_rt_minimal), 0, false,
					    "minimal radiotap");
			if (vs[i].has_fcs)
				test_vector_decrypt(&vs[i], rx_rt_fcs, sizeof(rx_rt_fcs),
						    RX_RT_FCS_FLAGS_OFF, true, "radiotap TSFT+Flags(FCS)+FCS");
		}
		test_initial_pn(m64);
		test_wrong_key(m64);
		test_wrong_key(m92);
		test_qos_variants(&tv);
		test_sizes(m64);
		for (int i = 0; i < 2; i++) {
			test_truncations(&vs[i], rx_rt_minimal, sizeof(rx_rt_minimal), false,
					 "minimal radiotap");
			test_bit_flips(&vs[i], rx_rt_minimal, sizeof(rx_rt_minimal), 0, false,
				       "minimal radiotap");
			if (vs[i].has_fcs) {
				test_truncations(&vs[i], rx_rt_fcs, sizeof(rx_rt_fcs), true,
						 "radiotap with FCS");
				test_bit_flips(&vs[i], rx_rt_fcs, sizeof(rx_rt_fcs), RX_RT_FCS_FLAGS_OFF,
					       true, "radiotap with FCS");
			}
		}
		test_replay_race(m64);
	}
	engine = DOT11XDP_ENGINE_TABLE;
	rx.tag = "";
	rx_keys_clear();
	test_ether(m64, m92);
	test_capture_vs_airdecap();
	test_stats(m64);

	decrypt_bpf__destroy(skel);
	tv_free(&tv);
	return test_done();
}
