// SPDX-License-Identifier: GPL-2.0
/*
 * The TKIP and WEP cores (bpf/lib/tkip.h, wep.h and their parts rc4.h, crc32.h, michael.h)
 * on their own, run in the kernel with BPF_PROG_TEST_RUN through bpf/test_tkip.bpf.c: the
 * IEEE 802.11 TKIP vector byte for byte (TTAK, RC4 key, MIC, encrypted MPDU), single-bit
 * forgeries, refusals, OpenSSL's RC4 and zlib's CRC-32 as oracles over random keys and
 * lengths, and real captures (WEP-40 and TKIP) against tshark's decryption of the same
 * frames. Prints the cost per 1,500-byte frame next to ccm_decrypt's, measured in the same
 * run.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
/* libpcap's classic BPF header clashes with the kernel's; only its link types are needed. */
#define PCAP_DONT_INCLUDE_PCAP_BPF_H
#include <pcap/dlt.h>
#include <pcap/pcap.h>
#include <zlib.h>

#include "material.h"
#include "test_ccm.skel.h"
#include "test_tkip.skel.h"
#include "testlib.h"
#include "../bpf/test_ccm.h"
#include "../bpf/test_tkip.h"

/* bpf/lib/work.h: the payload buffer of the data path. */
#define BODY_MAX 2336
#define MIC_LEN 8
#define ICV_LEN 4
#define TRAILER (MIC_LEN + ICV_LEN)
/* The longest MSDU. */
#define MSDU_MAX 2304

static struct test_tkip_bpf *skel;

static void put_key(const struct dot11xdp_key *key)
{
	__u32 zero = 0;
	int err;

	err = bpf_map__update_elem(skel->maps.test_tkip_key, &zero, sizeof(zero), key, sizeof(*key), 0);
	if (err)
		test_fatal("updating test_tkip_key: %s", strerror(-err));
}

static void set_key(__u32 cipher, const uint8_t *tk, size_t tk_len)
{
	struct dot11xdp_key key = {};
	int err;

	err = dot11xdp_material_prepare(&key, cipher, tk, tk_len, DOT11XDP_ENGINE_TABLE);
	if (err)
		test_fatal("dot11xdp_material_prepare(cipher %u, %zu bytes): %s", cipher, tk_len,
			   strerror(-err));
	put_key(&key);
}

/*
 * Run one request on in[0 .. in_len); the packet's body holds max(in_len, out_len) bytes.
 * When the result is 0 and out is given, out receives the first out_len bytes the program
 * wrote back. *req is updated with the program's answer. Returns the result.
 */
static int run(struct test_tkip_request *req, const uint8_t *in, size_t in_len, uint8_t *out,
	       size_t out_len)
{
	static uint8_t pkt[sizeof(*req) + BODY_MAX + 64], pkt_out[sizeof(pkt)];
	size_t body = in_len > out_len ? in_len : out_len;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_out = pkt_out,
		    .data_size_out = sizeof(pkt_out), .repeat = 1);

	if (sizeof(*req) + body > sizeof(pkt))
		test_fatal("request of %zu bytes too long for the test buffer", body);
	req->result = 0x7eadbeef;
	memset(pkt, 0, sizeof(pkt));
	memcpy(pkt, req, sizeof(*req));
	if (in_len)
		memcpy(pkt + sizeof(*req), in, in_len);
	opts.data_size_in = sizeof(*req) + body;
	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xdp_test_tkip), &opts))
		test_fatal("BPF_PROG_TEST_RUN: %s", strerror(errno));
	if (opts.retval != XDP_PASS)
		test_fatal("test program returned %u, not XDP_PASS (op %u)", opts.retval, req->op);
	memcpy(req, pkt_out, sizeof(*req));
	if (req->result == 0x7eadbeef)
		test_fatal("test program left the result unset (op %u)", req->op);
	if (!req->result && out && out_len)
		memcpy(out, pkt_out + sizeof(*req), out_len);
	return req->result;
}

/* What the TKIP operations need to know about a frame besides its body. */
struct tkip_frame {
	uint8_t ta[6], da[6], sa[6];
	uint8_t priority;
	uint64_t tsc;
	__u32 end; /* enum dot11xdp_replay_end */
};

static struct test_tkip_request tkip_req(__u32 op, size_t len, const struct tkip_frame *f)
{
	struct test_tkip_request req = { .op = op, .len = len };

	if (f) {
		memcpy(req.ta, f->ta, 6);
		memcpy(req.da, f->da, 6);
		memcpy(req.sa, f->sa, 6);
		req.priority = f->priority;
		req.tsc = f->tsc;
		req.end = f->end;
	}
	return req;
}

/* Run a TKIP op on a frame; out gets out_len bytes on success. */
static int tkip_op(__u32 op, const struct tkip_frame *f, const uint8_t *in, size_t len,
		   uint8_t *out, size_t out_len)
{
	struct test_tkip_request req = tkip_req(op, len, f);

	return run(&req, in, op == TEST_TKIP_MICHAEL_VERIFY ? len + MIC_LEN : len, out, out_len);
}

static int wep_op(__u32 op, const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
		  size_t out_len)
{
	struct test_tkip_request req = { .op = op, .len = len };

	memcpy(req.iv, iv, 3);
	return run(&req, in, len, out, out_len);
}

/* An 802.11 data frame's header, as far as TKIP and WEP need it. */
struct dot11_data {
	size_t hdr_len;
	bool protected;
	uint8_t ra[6], ta[6], da[6], sa[6];
	uint8_t priority;
};

static bool parse_data_frame(const uint8_t *f, size_t n, struct dot11_data *d)
{
	bool qos, a4;
	size_t qos_at;

	if (n < 24 || ((f[0] >> 2) & 3) != 2 || (f[0] & 3))
		return false;
	qos = f[0] & 0x80;
	a4 = (f[1] & 3) == 3;
	qos_at = 24 + (a4 ? 6 : 0);
	d->hdr_len = qos_at + (qos ? 2 : 0) + (qos && (f[1] & 0x80) ? 4 : 0);
	if (n < d->hdr_len)
		return false;
	d->protected = f[1] & 0x40;
	memcpy(d->ra, f + 4, 6);
	memcpy(d->ta, f + 10, 6);
	switch (f[1] & 3) {
	case 0: /* no DS bits */
		memcpy(d->da, f + 4, 6);
		memcpy(d->sa, f + 10, 6);
		break;
	case 1: /* ToDS */
		memcpy(d->da, f + 16, 6);
		memcpy(d->sa, f + 10, 6);
		break;
	case 2: /* FromDS */
		memcpy(d->da, f + 4, 6);
		memcpy(d->sa, f + 16, 6);
		break;
	default: /* both: WDS */
		memcpy(d->da, f + 16, 6);
		memcpy(d->sa, f + 24, 6);
		break;
	}
	d->priority = qos ? f[qos_at] & 0x0f : 0;
	return true;
}

/* The TSC of a TKIP header (TSC1, WEP seed, TSC0, key ID octet, TSC2..5); -1 without ExtIV. */
static int64_t tkip_header_tsc(const uint8_t *iv)
{
	if (!(iv[3] & 0x20))
		return -1;
	return (int64_t)iv[2] | (int64_t)iv[0] << 8 | (int64_t)iv[4] << 16 |
	       (int64_t)iv[5] << 24 | (int64_t)iv[6] << 32 | (int64_t)iv[7] << 40;
}

static const struct tv_field *need_field(const struct tv_section *s, const char *name, size_t len)
{
	const struct tv_field *f = tv_field(s, name);

	if (!f)
		test_fatal("vector \"%s\" has no field \"%s\"", s->title, name);
	if (len && f->len != len)
		test_fatal("vector \"%s\": field \"%s\" has %zu bytes, not %zu", s->title, name,
			   f->len, len);
	return f;
}

/* CRC-32 of n zero bytes but bit `bit` set, XOR that of n zero bytes: what the flip adds. */
static uint32_t crc_delta(size_t n, size_t bit)
{
	static uint8_t zeros[BODY_MAX];
	uint32_t base, flipped;

	base = crc32(0, zeros, n);
	zeros[bit / 8] ^= 1 << (bit % 8);
	flipped = crc32(0, zeros, n);
	zeros[bit / 8] ^= 1 << (bit % 8);
	return base ^ flipped;
}

/*
 * Forgeries of an encrypted TKIP body (data | MIC | ICV, len bytes): every single-bit flip
 * must fail; and every flip of a data or MIC bit whose ICV is fixed up (CRC-32 is linear, and
 * RC4 passes XORs through) passes the ICV, which is all WEP has, and must fail Michael.
 */
static void check_tkip_forgeries(const char *what, const struct tkip_frame *f, const uint8_t *ct,
				 size_t len)
{
	unsigned int accepted = 0, icv_caught = 0, mic_caught = 0, fixed_accepted = 0,
		     fixed_not_mic = 0;
	size_t pt_len = len - ICV_LEN;
	uint8_t body[BODY_MAX];

	memcpy(body, ct, len);
	for (size_t bit = 0; bit < 8 * len; bit++) {
		int ret;

		body[bit / 8] ^= 1 << (bit % 8);
		ret = tkip_op(TEST_TKIP_RX, f, body, len, NULL, 0);
		body[bit / 8] ^= 1 << (bit % 8);
		if (ret == 0)
			accepted++;
		else if (ret == TEST_TKIP_MIC_FAILURE)
			mic_caught++;
		else
			icv_caught++;
	}
	test_check(accepted == 0, "%s: every one of %zu single-bit flips fails (%u at the ICV, %u at "
		   "Michael)", what, 8 * len, icv_caught, mic_caught);

	for (size_t bit = 0; bit < 8 * pt_len; bit++) {
		uint32_t delta = crc_delta(pt_len, bit);
		int ret;

		body[bit / 8] ^= 1 << (bit % 8);
		for (int i = 0; i < 4; i++)
			body[pt_len + i] ^= delta >> 8 * i;
		ret = tkip_op(TEST_TKIP_RX, f, body, len, NULL, 0);
		memcpy(body, ct, len);
		if (ret == 0)
			fixed_accepted++;
		else if (ret != TEST_TKIP_MIC_FAILURE)
			fixed_not_mic++;
	}
	test_check(fixed_accepted == 0 && fixed_not_mic == 0,
		   "%s: all %zu bit flips with the ICV fixed up pass the ICV and fail Michael", what,
		   8 * pt_len);
}

static void check_ieee_vector(const struct tv_file *tv)
{
	const char *title = "M.6.3 TKIP test vector";
	const struct tv_section *s = tv_find(tv, title, 0);
	const struct tv_field *tk, *pn, *pt, *mic, *ttak, *rc4key, *ct;
	struct test_tkip_request req;
	uint8_t out[BODY_MAX], data_mic[BODY_MAX], ttak_le[10];
	struct dot11_data d, de;
	struct tkip_frame f = {};
	size_t data_len, ct_len;
	const uint8_t *data, *ct_body;
	int64_t hdr_tsc;
	int ret;

	if (!s)
		test_fatal("vector \"%s\" not found", title);
	tk = need_field(s, "TK", 32);
	pn = need_field(s, "PN", 6);
	pt = need_field(s, "Plaintext MPDU", 0);
	mic = need_field(s, "TKIP: MIC", 8);
	ttak = need_field(s, "TKIP TTAK", 10);
	rc4key = need_field(s, "TKIP RC4KEY", 16);
	ct = need_field(s, "Encrypted MPDU (without FCS)", 0);
	if (!parse_data_frame(pt->data, pt->len, &d) || !parse_data_frame(ct->data, ct->len, &de) ||
	    de.hdr_len != d.hdr_len || memcmp(pt->data, ct->data, d.hdr_len))
		test_fatal("vector \"%s\": the plaintext and encrypted MPDUs do not parse alike", title);
	data = pt->data + d.hdr_len;
	data_len = pt->len - d.hdr_len;
	ct_body = ct->data + d.hdr_len + 8;
	ct_len = ct->len - d.hdr_len - 8;
	if (ct_len != data_len + TRAILER)
		test_fatal("vector \"%s\": encrypted body of %zu bytes for %zu of data", title, ct_len,
			   data_len);
	/* The vector prints the PN most significant byte first; the header must carry it. */
	for (int i = 0; i < 6; i++)
		f.tsc = f.tsc << 8 | pn->data[i];
	hdr_tsc = tkip_header_tsc(ct->data + d.hdr_len);
	test_check(hdr_tsc == (int64_t)f.tsc,
		   "%s: the encrypted MPDU's TKIP header carries the PN (TSC %#llx)", title,
		   (unsigned long long)f.tsc);
	/* FromDS: the AP sends it. Seen from a station, whose key's peer is the AP: FROM_PEER. */
	if ((pt->data[1] & 3) != 2)
		test_fatal("vector \"%s\": expected a FromDS frame", title);
	memcpy(f.ta, d.ta, 6);
	memcpy(f.da, d.da, 6);
	memcpy(f.sa, d.sa, 6);
	f.priority = d.priority;
	f.end = DOT11XDP_FROM_PEER;
	/* The vector's 32-byte TK is the TKIP part of the PTK: TK, then the AP->STA Michael key. */
	set_key(DOT11XDP_CIPHER_TKIP, tk->data, tk->len);

	req = tkip_req(TEST_TKIP_MIX, 0, &f);
	ret = run(&req, NULL, 0, NULL, 0);
	for (int i = 0; i < 5; i++) {
		ttak_le[2 * i] = req.ttak[i];
		ttak_le[2 * i + 1] = req.ttak[i] >> 8;
	}
	test_check(ret == 0, "%s: key mixing runs", title);
	test_bytes_eq(ttak_le, 10, ttak->data, 10, "%s: phase 1 gives the TTAK", title);
	test_bytes_eq(req.rc4_key, 16, rc4key->data, 16, "%s: phase 2 gives the RC4 key", title);

	ret = tkip_op(TEST_TKIP_MICHAEL_APPEND, &f, data, data_len, data_mic, data_len + MIC_LEN);
	test_check(ret == 0, "%s: tkip_michael_append succeeds", title);
	if (!ret)
		test_bytes_eq(data_mic + data_len, MIC_LEN, mic->data, MIC_LEN,
			      "%s: Michael with the AP->STA key (FROM_PEER) gives the MIC", title);
	memcpy(data_mic, data, data_len);
	memcpy(data_mic + data_len, mic->data, MIC_LEN);
	test_check(tkip_op(TEST_TKIP_MICHAEL_VERIFY, &f, data_mic, data_len, NULL, 0) == 0,
		   "%s: tkip_michael_verify accepts the MIC", title);
	f.end = DOT11XDP_TO_PEER;
	test_check(tkip_op(TEST_TKIP_MICHAEL_VERIFY, &f, data_mic, data_len, NULL, 0) == -1,
		   "%s: the STA->AP Michael key (TO_PEER) refuses it", title);
	f.end = DOT11XDP_FROM_PEER;

	ret = tkip_op(TEST_TKIP_ENCRYPT, &f, data_mic, data_len + MIC_LEN, out, ct_len);
	test_check(ret == 0, "%s: tkip_encrypt succeeds", title);
	if (!ret)
		test_bytes_eq(out, ct_len, ct_body, ct_len,
			      "%s: tkip_encrypt gives the encrypted MPDU body byte for byte", title);
	ret = tkip_op(TEST_TKIP_TX, &f, data, data_len, out, ct_len);
	test_check(ret == 0, "%s: Michael then tkip_encrypt succeed", title);
	if (!ret)
		test_bytes_eq(out, ct_len, ct_body, ct_len,
			      "%s: Michael then tkip_encrypt give the encrypted MPDU body", title);

	ret = tkip_op(TEST_TKIP_DECRYPT, &f, ct_body, ct_len, out, data_len + MIC_LEN);
	test_check(ret == 0, "%s: tkip_decrypt accepts the ICV", title);
	if (!ret)
		test_bytes_eq(out, data_len + MIC_LEN, data_mic, data_len + MIC_LEN,
			      "%s: tkip_decrypt gives the plaintext body and MIC", title);
	ret = tkip_op(TEST_TKIP_RX, &f, ct_body, ct_len, out, data_len);
	test_check(ret == 0, "%s: tkip_decrypt then tkip_michael_verify accept the frame", title);
	if (!ret)
		test_bytes_eq(out, data_len, data, data_len, "%s: and give the plaintext data", title);

	check_tkip_forgeries(title, &f, ct_body, ct_len);

	/* Each input of the key mixing and of Michael, changed. */
	{
		struct tkip_frame g = f;

		g.tsc = f.tsc + 1;
		test_check(tkip_op(TEST_TKIP_RX, &g, ct_body, ct_len, NULL, 0) == -1,
			   "%s: TSC + 1 fails the ICV", title);
		g.tsc = f.tsc ^ 1ULL << 40;
		test_check(tkip_op(TEST_TKIP_RX, &g, ct_body, ct_len, NULL, 0) == -1,
			   "%s: another TSC5 (phase 1) fails the ICV", title);
		g = f;
		g.ta[5] ^= 1;
		test_check(tkip_op(TEST_TKIP_RX, &g, ct_body, ct_len, NULL, 0) == -1,
			   "%s: another TA fails the ICV", title);
		g = f;
		g.priority = 1;
		test_check(tkip_op(TEST_TKIP_RX, &g, ct_body, ct_len, NULL, 0) ==
				   TEST_TKIP_MIC_FAILURE,
			   "%s: another priority fails Michael", title);
		g = f;
		memcpy(g.da, f.sa, 6);
		memcpy(g.sa, f.da, 6);
		test_check(tkip_op(TEST_TKIP_RX, &g, ct_body, ct_len, NULL, 0) ==
				   TEST_TKIP_MIC_FAILURE,
			   "%s: DA and SA swapped fail Michael", title);
		g = f;
		g.end = DOT11XDP_TO_PEER;
		test_check(tkip_op(TEST_TKIP_RX, &g, ct_body, ct_len, NULL, 0) ==
				   TEST_TKIP_MIC_FAILURE,
			   "%s: the other direction's Michael key fails Michael", title);
	}
	{
		uint8_t wrong[32];

		memcpy(wrong, tk->data, 32);
		wrong[15] ^= 0x80;
		set_key(DOT11XDP_CIPHER_TKIP, wrong, 32);
		test_check(tkip_op(TEST_TKIP_RX, &f, ct_body, ct_len, NULL, 0) == -1,
			   "%s: a TK differing in one bit fails the ICV", title);
		memcpy(wrong, tk->data, 32);
		wrong[16] ^= 0x01;
		set_key(DOT11XDP_CIPHER_TKIP, wrong, 32);
		test_check(tkip_op(TEST_TKIP_RX, &f, ct_body, ct_len, NULL, 0) ==
				   TEST_TKIP_MIC_FAILURE,
			   "%s: a Michael key differing in one bit fails Michael", title);
		set_key(DOT11XDP_CIPHER_TKIP, tk->data, 32);
	}
}

/*
 * Michael's own test vectors (IEEE Std 802.11, Annex M, "Michael test vectors"): each MIC is
 * the key of the next message.
 */
static void check_michael_vectors(void)
{
	static const struct {
		const char *msg, *mic;
	} v[] = {
		{ "", "82925c1ca1d130b8" },	   { "M", "434721ca40639b3f" },
		{ "Mi", "e8f9becae97e5d29" },	   { "Mic", "90038fc6cf13c1db" },
		{ "Mich", "d55e100510128986" },	   { "Michael", "0a942b124ecaa546" },
	};
	uint8_t key[8] = { 0 }, want[8];
	unsigned int bad = 0;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct test_tkip_request req = { .op = TEST_MICHAEL, .len = strlen(v[i].msg) };
		uint8_t got[8];

		memcpy(req.michael_key, key, 8);
		if (hex_parse(v[i].mic, want, sizeof(want)) != 8)
			test_fatal("bad Michael vector %zu", i);
		if (run(&req, (const uint8_t *)v[i].msg, req.len, NULL, 0) != 0) {
			bad++;
			continue;
		}
		for (int b = 0; b < 8; b++)
			got[b] = req.mic >> 8 * b;
		if (memcmp(got, want, 8)) {
			printf("# Michael of \"%s\": got %016llx\n", v[i].msg,
			       (unsigned long long)__builtin_bswap64(req.mic));
			bad++;
		}
		memcpy(key, want, 8);
	}
	test_check(bad == 0, "Michael gives the six IEEE Michael test vector MICs");
}

static void check_refusals(void)
{
	static const uint8_t tk[32] = { 1, 2, 3 }, wep_key[13] = { 4, 5, 6 }, iv[3] = { 7, 8, 9 };
	static uint8_t body[BODY_MAX + 8], out[BODY_MAX + 8];
	struct tkip_frame f = { .ta = { 2 }, .da = { 4 }, .sa = { 6 }, .tsc = 1 };
	struct dot11xdp_key key = {};

	set_key(DOT11XDP_CIPHER_TKIP, tk, 32);
	/* A valid round trip to start from, so each refusal below is due to its one change. */
	if (tkip_op(TEST_TKIP_TX, &f, body, 40, out, 40 + TRAILER) ||
	    tkip_op(TEST_TKIP_RX, &f, out, 40 + TRAILER, NULL, 0))
		test_fatal("a valid TKIP round trip failed");

	test_check(tkip_op(TEST_TKIP_DECRYPT, &f, out, 3, NULL, 0) == -1 &&
			   tkip_op(TEST_TKIP_DECRYPT, &f, out, 0, NULL, 0) == -1,
		   "tkip_decrypt refuses a body shorter than the ICV");
	test_check(tkip_op(TEST_TKIP_DECRYPT, &f, body, BODY_MAX + 1, NULL, 0) == -1,
		   "tkip_decrypt refuses a body longer than DOT11XDP_BODY_MAX");
	test_check(tkip_op(TEST_TKIP_ENCRYPT, &f, body, BODY_MAX - ICV_LEN + 1, NULL, 0) == -1,
		   "tkip_encrypt refuses a body whose ICV would not fit");
	test_check(tkip_op(TEST_TKIP_ENCRYPT, &f, body, BODY_MAX - ICV_LEN, out, BODY_MAX) == 0 &&
			   tkip_op(TEST_TKIP_DECRYPT, &f, out, BODY_MAX, NULL, 0) == 0,
		   "tkip_encrypt and tkip_decrypt take a body that fills DOT11XDP_BODY_MAX");
	test_check(tkip_op(TEST_TKIP_MICHAEL_APPEND, &f, body, BODY_MAX - MIC_LEN + 1, NULL, 0) ==
				   -1 &&
			   tkip_op(TEST_TKIP_MICHAEL_VERIFY, &f, body, BODY_MAX - MIC_LEN + 1, NULL,
				   0) == -1,
		   "Michael refuses data whose MIC would not fit");
	test_check(tkip_op(TEST_TKIP_MICHAEL_APPEND, &f, body, BODY_MAX - MIC_LEN, out, BODY_MAX) ==
				   0 &&
			   tkip_op(TEST_TKIP_MICHAEL_VERIFY, &f, out, BODY_MAX - MIC_LEN, NULL, 0) ==
				   0,
		   "Michael takes data whose MIC fills DOT11XDP_BODY_MAX");
	f.end = DOT11XDP_REPLAY_ENDS;
	test_check(tkip_op(TEST_TKIP_MICHAEL_APPEND, &f, body, 40, NULL, 0) == -1,
		   "Michael refuses an end that is neither FROM_PEER nor TO_PEER");
	f.end = DOT11XDP_FROM_PEER;
	f.tsc = 1ULL << 48;
	test_check(tkip_op(TEST_TKIP_ENCRYPT, &f, body, 40, NULL, 0) == -1 &&
			   tkip_op(TEST_TKIP_DECRYPT, &f, out, 52, NULL, 0) == -1,
		   "a TSC above 48 bits is refused");
	f.tsc = 1;

	/* Keys of another cipher, or whose length disagrees with their cipher. */
	if (dot11xdp_material_prepare(&key, DOT11XDP_CIPHER_CCMP, tk, 16, DOT11XDP_ENGINE_TABLE))
		test_fatal("preparing a CCMP key");
	put_key(&key);
	test_check(tkip_op(TEST_TKIP_ENCRYPT, &f, body, 40, NULL, 0) == -1 &&
			   tkip_op(TEST_TKIP_MICHAEL_APPEND, &f, body, 40, NULL, 0) == -1 &&
			   wep_op(TEST_WEP_ENCRYPT, iv, body, 40, NULL, 0) == -1,
		   "a CCMP key is refused by TKIP, Michael and WEP");
	set_key(DOT11XDP_CIPHER_WEP104, wep_key, 13);
	test_check(tkip_op(TEST_TKIP_ENCRYPT, &f, body, 40, NULL, 0) == -1 &&
			   tkip_op(TEST_TKIP_MICHAEL_APPEND, &f, body, 40, NULL, 0) == -1,
		   "a WEP key is refused by TKIP and Michael");
	test_check(wep_op(TEST_WEP_DECRYPT, iv, body, 3, NULL, 0) == -1,
		   "wep_decrypt refuses a body shorter than the ICV");
	test_check(wep_op(TEST_WEP_ENCRYPT, iv, body, BODY_MAX - ICV_LEN + 1, NULL, 0) == -1 &&
			   wep_op(TEST_WEP_DECRYPT, iv, body, BODY_MAX + 1, NULL, 0) == -1,
		   "WEP refuses bodies that do not fit DOT11XDP_BODY_MAX");
	key = (struct dot11xdp_key){};
	if (dot11xdp_material_prepare(&key, DOT11XDP_CIPHER_WEP104, wep_key, 13,
				      DOT11XDP_ENGINE_TABLE))
		test_fatal("preparing a WEP-104 key");
	key.cipher = DOT11XDP_CIPHER_WEP40;
	put_key(&key);
	test_check(wep_op(TEST_WEP_ENCRYPT, iv, body, 40, NULL, 0) == -1,
		   "a WEP-40 key of 13 bytes is refused");
	set_key(DOT11XDP_CIPHER_TKIP, tk, 32);
	test_check(wep_op(TEST_WEP_ENCRYPT, iv, body, 40, NULL, 0) == -1,
		   "a TKIP key is refused by WEP");
	key = (struct dot11xdp_key){};
	if (dot11xdp_material_prepare(&key, DOT11XDP_CIPHER_TKIP, tk, 32, DOT11XDP_ENGINE_TABLE))
		test_fatal("preparing a TKIP key");
	key.tk_len = 16;
	put_key(&key);
	test_check(tkip_op(TEST_TKIP_ENCRYPT, &f, body, 40, NULL, 0) == -1,
		   "a TKIP key without its Michael keys (tk_len 16) is refused");
}

/* The loader's side: lengths and engines dot11xdp_material_prepare takes for TKIP and WEP. */
static void check_material(void)
{
	uint8_t tk[32];
	struct dot11xdp_key key;
	bool ok = true;

	for (int i = 0; i < 32; i++)
		tk[i] = i + 1;
	memset(&key, 0xee, sizeof(key));
	test_check(dot11xdp_material_prepare(&key, DOT11XDP_CIPHER_TKIP, tk, 32,
					     DOT11XDP_ENGINE_TABLE) == 0 &&
			   key.cipher == DOT11XDP_CIPHER_TKIP && key.tk_len == 32 &&
			   !memcmp(key.material.tkip.tk, tk, 16) &&
			   !memcmp(key.material.tkip.michael[DOT11XDP_FROM_PEER], tk + 16, 8) &&
			   !memcmp(key.material.tkip.michael[DOT11XDP_TO_PEER], tk + 24, 8),
		   "TKIP material: TK, RX Michael key as FROM_PEER, TX Michael key as TO_PEER");
	for (size_t i = sizeof(key.material.tkip); i < sizeof(key.material); i++)
		ok &= ((uint8_t *)&key.material)[i] == 0;
	test_check(ok, "TKIP material: the rest of the material is zeroed");
	test_check(dot11xdp_material_prepare(&key, DOT11XDP_CIPHER_TKIP, tk, 16,
					     DOT11XDP_ENGINE_TABLE) == -EINVAL &&
			   dot11xdp_material_prepare(&key, DOT11XDP_CIPHER_TKIP, tk, 24,
						     DOT11XDP_ENGINE_TABLE) == -EINVAL,
		   "TKIP material: 16 or 24 bytes are refused with -EINVAL");
	test_check(dot11xdp_material_prepare(&key, DOT11XDP_CIPHER_TKIP, tk, 32,
					     DOT11XDP_ENGINE_KFUNC) == 0 &&
			   key.engine == DOT11XDP_ENGINE_KFUNC &&
			   dot11xdp_material_prepare(&key, DOT11XDP_CIPHER_TKIP, tk, 32,
						     (enum dot11xdp_engine)7) == -EOPNOTSUPP,
		   "TKIP material: either engine is taken (RC4 runs in BPF), an unknown one refused");
	test_check(dot11xdp_material_prepare(&key, DOT11XDP_CIPHER_WEP40, tk, 5,
					     DOT11XDP_ENGINE_TABLE) == 0 &&
			   key.cipher == DOT11XDP_CIPHER_WEP40 && key.tk_len == 5 &&
			   !memcmp(key.material.wep.key, tk, 5) && key.material.wep.key[5] == 0,
		   "WEP-40 material: the 5-byte key");
	test_check(dot11xdp_material_prepare(&key, DOT11XDP_CIPHER_WEP104, tk, 13,
					     DOT11XDP_ENGINE_TABLE) == 0 &&
			   key.cipher == DOT11XDP_CIPHER_WEP104 && key.tk_len == 13 &&
			   !memcmp(key.material.wep.key, tk, 13),
		   "WEP-104 material: the 13-byte key");
	test_check(dot11xdp_material_prepare(&key, DOT11XDP_CIPHER_WEP40, tk, 13,
					     DOT11XDP_ENGINE_TABLE) == -EINVAL &&
			   dot11xdp_material_prepare(&key, DOT11XDP_CIPHER_WEP104, tk, 5,
						     DOT11XDP_ENGINE_TABLE) == -EINVAL &&
			   dot11xdp_material_prepare(&key, DOT11XDP_CIPHER_WEP40, tk, 16,
						     DOT11XDP_ENGINE_TABLE) == -EINVAL,
		   "WEP material: a length other than the cipher's is refused with -EINVAL");
	test_check(dot11xdp_cipher_tk_len(DOT11XDP_CIPHER_TKIP) == 32 &&
			   dot11xdp_cipher_tk_len(DOT11XDP_CIPHER_WEP40) == 5 &&
			   dot11xdp_cipher_tk_len(DOT11XDP_CIPHER_WEP104) == 13,
		   "dot11xdp_cipher_tk_len: TKIP 32, WEP-40 5, WEP-104 13");
	test_check(sizeof(struct dot11xdp_tkip_material) <= 4 * DOT11XDP_AES_SCHEDULE_WORDS &&
			   sizeof(struct dot11xdp_wep_material) <= 4 * DOT11XDP_AES_SCHEDULE_WORDS,
		   "TKIP and WEP material share the AES schedule's space (the key stays %zu bytes)",
		   sizeof(struct dot11xdp_key));
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

/* Body lengths for the random cases: all of 0..72, a spread up to max, and the edges. */
static size_t random_lengths(size_t *lengths, size_t max)
{
	size_t n = 0;

	for (size_t len = 0; len <= 72 && len <= max; len++)
		lengths[n++] = len;
	for (size_t len = 73; len < max; len += 23 + len / 16)
		lengths[n++] = len;
	lengths[n++] = 1500;
	lengths[n++] = max - 1;
	lengths[n++] = max;
	return n;
}

/* OpenSSL's RC4 (the legacy provider's) over in, into out. */
static void openssl_rc4(const uint8_t *key, size_t key_len, const uint8_t *in, size_t len,
			uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	EVP_CIPHER *rc4 = EVP_CIPHER_fetch(NULL, "RC4", NULL);
	uint8_t dummy = 0;
	int n, ok;

	ok = ctx && rc4 && EVP_EncryptInit_ex(ctx, rc4, NULL, NULL, NULL) &&
	     EVP_CIPHER_CTX_set_key_length(ctx, key_len) &&
	     EVP_EncryptInit_ex(ctx, NULL, NULL, key, NULL) &&
	     EVP_EncryptUpdate(ctx, out, &n, len ? in : &dummy, len) && (size_t)n == len;
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(rc4);
	if (!ok)
		test_fatal("OpenSSL RC4 failed");
}

static void check_rc4_crc_oracles(void)
{
	static uint8_t in[BODY_MAX], want[BODY_MAX], got[BODY_MAX];
	size_t lengths[256], nlen = random_lengths(lengths, BODY_MAX);
	unsigned int rc4_bad = 0, crc_bad = 0;

	for (size_t i = 0; i < nlen; i++) {
		size_t len = lengths[i], key_len = rng() & 1 ? 16 : 8;
		struct test_tkip_request req = { .op = TEST_RC4, .len = len,
						 .rc4_key_len = key_len };

		rng_fill(req.rc4_key, key_len);
		rng_fill(in, len);
		openssl_rc4(req.rc4_key, key_len, in, len, want);
		if (run(&req, in, len, got, len) || memcmp(got, want, len)) {
			if (rc4_bad++ < 5)
				printf("# RC4 differs from OpenSSL: %zu-byte key, %zu bytes\n", key_len,
				       len);
		}
		req = (struct test_tkip_request){ .op = TEST_CRC32, .len = len };
		if (run(&req, in, len, NULL, 0) || req.crc != crc32(0, in, len)) {
			if (crc_bad++ < 5)
				printf("# CRC-32 differs from zlib: %zu bytes\n", len);
		}
	}
	test_check(rc4_bad == 0, "RC4 equals OpenSSL's in all %zu random cases (8- and 16-byte keys, "
		   "0..%d bytes)", nlen, BODY_MAX);
	test_check(crc_bad == 0, "CRC-32 equals zlib's in all %zu random cases (0..%d bytes)", nlen,
		   BODY_MAX);
}

/* WEP from the oracles: RC4(IV | key) over body | CRC-32 (little-endian). */
static void check_wep_oracle(void)
{
	static uint8_t pt[BODY_MAX], want[BODY_MAX], got[BODY_MAX];
	size_t lengths[256], nlen = random_lengths(lengths, BODY_MAX - ICV_LEN);
	unsigned int enc_bad = 0, dec_bad = 0, forged = 0;

	for (size_t i = 0; i < nlen; i++) {
		size_t len = lengths[i], key_len = rng() & 1 ? 13 : 5;
		uint8_t rc4_key[16], icv_pt[BODY_MAX];
		uint32_t crc;
		size_t bit;

		rng_fill(rc4_key, 3 + key_len);
		rng_fill(pt, len);
		set_key(key_len == 5 ? DOT11XDP_CIPHER_WEP40 : DOT11XDP_CIPHER_WEP104, rc4_key + 3,
			key_len);
		crc = crc32(0, pt, len);
		memcpy(icv_pt, pt, len);
		for (int b = 0; b < 4; b++)
			icv_pt[len + b] = crc >> 8 * b;
		openssl_rc4(rc4_key, 3 + key_len, icv_pt, len + ICV_LEN, want);

		if (wep_op(TEST_WEP_ENCRYPT, rc4_key, pt, len, got, len + ICV_LEN) ||
		    memcmp(got, want, len + ICV_LEN)) {
			if (enc_bad++ < 5)
				printf("# wep_encrypt differs: WEP key %zu bytes, %zu bytes\n", key_len,
				       len);
		}
		if (wep_op(TEST_WEP_DECRYPT, rc4_key, want, len + ICV_LEN, got, len) ||
		    memcmp(got, pt, len)) {
			if (dec_bad++ < 5)
				printf("# wep_decrypt failed: WEP key %zu bytes, %zu bytes\n", key_len,
				       len);
		}
		bit = rng() % (8 * (len + ICV_LEN));
		want[bit / 8] ^= 1 << (bit % 8);
		if (wep_op(TEST_WEP_DECRYPT, rc4_key, want, len + ICV_LEN, NULL, 0) != -1) {
			if (forged++ < 5)
				printf("# a one-bit flip passed the ICV: %zu bytes\n", len);
		}
	}
	test_check(enc_bad == 0, "wep_encrypt equals OpenSSL RC4 over body | zlib CRC-32 in all %zu "
		   "random cases (WEP-40 and WEP-104)", nlen);
	test_check(dec_bad == 0, "wep_decrypt recovers the plaintext of those in all %zu cases", nlen);
	test_check(forged == 0, "wep_decrypt refuses a one-bit flip in all %zu cases", nlen);
}

/*
 * TKIP on random keys, addresses, TSCs and lengths: the encrypted body is OpenSSL's RC4,
 * keyed with the mixed key, over data | MIC | zlib's CRC-32; it decrypts and verifies; a
 * flip with the ICV fixed up fails Michael.
 */
static void check_tkip_random(void)
{
	static uint8_t data[BODY_MAX], want[BODY_MAX], got[BODY_MAX], plain[BODY_MAX];
	size_t lengths[256], nlen = random_lengths(lengths, BODY_MAX - TRAILER);
	unsigned int enc_bad = 0, dec_bad = 0, forged = 0;

	for (size_t i = 0; i < nlen; i++) {
		size_t len = lengths[i], bit;
		struct tkip_frame f;
		struct test_tkip_request req;
		uint8_t tk[32];
		uint32_t crc, delta;
		uint64_t r = rng();

		rng_fill(tk, 32);
		rng_fill(f.ta, 6);
		rng_fill(f.da, 6);
		rng_fill(f.sa, 6);
		f.priority = r & 7;
		f.end = (r >> 3) & 1;
		f.tsc = rng() >> 16;
		rng_fill(data, len);
		set_key(DOT11XDP_CIPHER_TKIP, tk, 32);

		req = tkip_req(TEST_TKIP_MIX, 0, &f);
		if (run(&req, NULL, 0, NULL, 0) ||
		    tkip_op(TEST_TKIP_MICHAEL_APPEND, &f, data, len, plain, len + MIC_LEN))
			test_fatal("key mixing or Michael failed on a valid key");
		crc = crc32(0, plain, len + MIC_LEN);
		for (int b = 0; b < 4; b++)
			plain[len + MIC_LEN + b] = crc >> 8 * b;
		openssl_rc4(req.rc4_key, 16, plain, len + TRAILER, want);

		if (tkip_op(TEST_TKIP_TX, &f, data, len, got, len + TRAILER) ||
		    memcmp(got, want, len + TRAILER)) {
			if (enc_bad++ < 5)
				printf("# TKIP encryption differs: %zu bytes\n", len);
		}
		if (tkip_op(TEST_TKIP_RX, &f, want, len + TRAILER, got, len) || memcmp(got, data, len)) {
			if (dec_bad++ < 5)
				printf("# TKIP decryption failed: %zu bytes\n", len);
		}
		bit = rng() % (8 * (len + MIC_LEN));
		delta = crc_delta(len + MIC_LEN, bit);
		want[bit / 8] ^= 1 << (bit % 8);
		for (int b = 0; b < 4; b++)
			want[len + MIC_LEN + b] ^= delta >> 8 * b;
		if (tkip_op(TEST_TKIP_RX, &f, want, len + TRAILER, NULL, 0) != TEST_TKIP_MIC_FAILURE) {
			if (forged++ < 5)
				printf("# a flip with the ICV fixed up did not fail Michael: %zu bytes\n",
				       len);
		}
	}
	test_check(enc_bad == 0, "TKIP encryption equals OpenSSL RC4 (mixed key) over data | MIC | "
		   "zlib CRC-32 in all %zu random cases", nlen);
	test_check(dec_bad == 0, "TKIP decryption and Michael accept and recover all %zu", nlen);
	test_check(forged == 0, "a flip with the ICV fixed up fails Michael in all %zu cases", nlen);
}

/* One frame's bytes as tshark decrypted them: the "Decrypted ... data" source of -x. */
struct tshark_frame {
	uint8_t *data;
	size_t len;
};

/* Parse one hex dump line of tshark -x ("0010  aa bb ...   ascii"); returns the byte count. */
static size_t parse_hex_line(const char *line, uint8_t *out)
{
	const char *p = line;
	size_t n = 0;

	while (*p && *p != ' ')
		p++;
	if (p[0] != ' ' || p[1] != ' ')
		return 0;
	p += 2;
	while (n < 16 && isxdigit((unsigned char)p[0]) && isxdigit((unsigned char)p[1]) &&
	       (p[2] == ' ' || p[2] == '\n' || p[2] == '\0')) {
		out[n++] = (uint8_t)strtoul((char[]){ p[0], p[1], 0 }, NULL, 16);
		p += 3;
	}
	return n;
}

/*
 * Run tshark -x with one key on a capture; frames[i] gets frame i + 1's decrypted bytes
 * (len 0 when tshark decrypted nothing). source: "Decrypted WEP data" or "Decrypted TKIP
 * data". Returns the number of frames tshark printed.
 */
static size_t tshark_decrypt(const char *capture, const char *uat, const char *source,
			     struct tshark_frame *frames, size_t max)
{
	char cmd[1024], line[512];
	size_t nframes = 0, want = 0;
	bool in_source = false, started = false;
	uint8_t buf[BODY_MAX + 64];
	size_t buf_len = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "tshark -r '%s' -o wlan.enable_decryption:TRUE -o 'uat:80211_keys:%s' -x 2>/dev/null",
		 capture, uat);
	p = popen(cmd, "r");
	if (!p)
		test_fatal("running tshark: %s", strerror(errno));
	while (fgets(line, sizeof(line), p)) {
		if (line[0] == '\n') {
			/* A blank line ends a frame. */
			if (started) {
				if (nframes >= max)
					test_fatal("tshark printed more frames than the capture has");
				frames[nframes].len = 0;
				if (buf_len && buf_len == want) {
					frames[nframes].data = malloc(buf_len);
					memcpy(frames[nframes].data, buf, buf_len);
					frames[nframes].len = buf_len;
				} else if (buf_len) {
					test_fatal("tshark frame %zu: %zu bytes parsed of %zu", nframes + 1,
						   buf_len, want);
				}
				nframes++;
			}
			started = in_source = false;
			buf_len = 0;
			continue;
		}
		started = true;
		/* A data source's title: "Frame (183 bytes):", "Decrypted TKIP data (139 bytes):". */
		if (strstr(line, " bytes):")) {
			in_source = !strncmp(line, source, strlen(source));
			if (in_source)
				want = strtoul(strchr(line, '(') + 1, NULL, 10);
			continue;
		}
		if (in_source) {
			if (buf_len + 16 > sizeof(buf))
				test_fatal("tshark frame %zu too long", nframes + 1);
			buf_len += parse_hex_line(line, buf + buf_len);
		}
	}
	if (pclose(p) != 0)
		test_fatal("tshark failed on %s (is it installed?)", capture);
	return nframes;
}

struct capture_frame {
	uint8_t *data;
	size_t len;
};

static size_t read_capture(const char *path, struct capture_frame *frames, size_t max)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *bytes;
	size_t n = 0;
	pcap_t *pc;

	pc = pcap_open_offline(path, err);
	if (!pc)
		test_fatal("opening %s: %s", path, err);
	if (pcap_datalink(pc) != DLT_IEEE802_11)
		test_fatal("%s: link type %d, not 105 (IEEE 802.11)", path, pcap_datalink(pc));
	while (pcap_next_ex(pc, &h, &bytes) == 1) {
		if (n >= max)
			test_fatal("%s: more than %zu frames", path, max);
		frames[n].data = malloc(h->caplen);
		memcpy(frames[n].data, bytes, h->caplen);
		frames[n].len = h->caplen;
		n++;
	}
	pcap_close(pc);
	return n;
}

#define CAPTURE_MAX 8192

/*
 * wep_64_ptw_01.cap (WEP-40, key 1f:1f:1f:1f:1f): every protected data frame through
 * wep_decrypt; the frames whose ICV verifies and their plaintext must be tshark's.
 */
static void check_wep_capture(void)
{
	static const uint8_t key[5] = { 0x1f, 0x1f, 0x1f, 0x1f, 0x1f };
	static struct capture_frame frames[CAPTURE_MAX];
	static struct tshark_frame ts[CAPTURE_MAX];
	char path[4096];
	size_t n, nts;
	unsigned int tried = 0, ours = 0, theirs = 0, disagree = 0, differ = 0;

	snprintf(path, sizeof(path), "%s", test_data_path("captures/wep_64_ptw_01.cap"));
	n = read_capture(path, frames, CAPTURE_MAX);
	nts = tshark_decrypt(path, "\"wep\",\"1f:1f:1f:1f:1f\"", "Decrypted WEP data", ts,
			     CAPTURE_MAX);
	if (nts != n)
		test_fatal("tshark printed %zu frames of the capture's %zu", nts, n);
	set_key(DOT11XDP_CIPHER_WEP40, key, 5);

	for (size_t i = 0; i < n; i++) {
		const uint8_t *f = frames[i].data;
		struct dot11_data d;
		uint8_t out[BODY_MAX];
		size_t len;
		int ret;

		if (!parse_data_frame(f, frames[i].len, &d) || !d.protected ||
		    frames[i].len < d.hdr_len + 4 + ICV_LEN)
			continue;
		if (f[d.hdr_len + 3] & 0x20)
			continue; /* ExtIV: TKIP or CCMP, not WEP */
		len = frames[i].len - d.hdr_len - 4;
		tried++;
		ret = wep_op(TEST_WEP_DECRYPT, f + d.hdr_len, f + d.hdr_len + 4, len, out,
			     len - ICV_LEN);
		ours += ret == 0;
		theirs += ts[i].len > 0;
		if ((ret == 0) != (ts[i].len > 0)) {
			if (disagree++ < 5)
				printf("# frame %zu: wep_decrypt %s, tshark %s\n", i + 1,
				       ret ? "fails" : "decrypts", ts[i].len ? "decrypts" : "does not");
		} else if (!ret && (ts[i].len != len - ICV_LEN || memcmp(out, ts[i].data, ts[i].len))) {
			if (differ++ < 5)
				printf("# frame %zu: plaintext differs from tshark's\n", i + 1);
		}
	}
	test_check(tried > 1000 && ours > 1000, "wep_64_ptw_01.cap: %u of %u WEP frames decrypt "
		   "(tshark: %u)", ours, tried, theirs);
	test_check(disagree == 0, "wep_64_ptw_01.cap: wep_decrypt accepts exactly the frames tshark "
		   "decrypts");
	test_check(differ == 0, "wep_64_ptw_01.cap: every plaintext equals tshark's, byte for byte");
	for (size_t i = 0; i < n; i++) {
		free(frames[i].data);
		free(ts[i].data);
	}
}

/*
 * wpa-psk-linksys.cap (TKIP; PTK from its handshake, MANIFEST.md): the unicast frames
 * between AP and station through tkip_decrypt and tkip_michael_verify with the station's
 * key (peer = AP): the AP's frames with the FROM_PEER Michael key, the station's with
 * TO_PEER. Plaintext and accepted frames must be tshark's.
 */
static void check_tkip_capture(void)
{
	static const char *tk_hex = "a2154ae0996fa95b211da18e85fd9649"
				    "5fb49785673387b9"	/* Michael key, frames AP -> STA */
				    "da9797aac7828f52"; /* Michael key, frames STA -> AP */
	static const uint8_t ap[6] = { 0x00, 0x0b, 0x86, 0xc2, 0xa4, 0x85 };
	static struct capture_frame frames[CAPTURE_MAX];
	static struct tshark_frame ts[CAPTURE_MAX];
	unsigned int tried[2] = { 0 }, ours = 0, theirs = 0, disagree = 0, differ = 0;
	char path[4096];
	uint8_t tk[32];
	size_t n, nts;

	if (hex_parse(tk_hex, tk, sizeof(tk)) != 32)
		test_fatal("bad TKIP key");
	snprintf(path, sizeof(path), "%s", test_data_path("captures/wpa-psk-linksys.cap"));
	n = read_capture(path, frames, CAPTURE_MAX);
	nts = tshark_decrypt(path, "\"wpa-pwd\",\"dictionary:linksys\"", "Decrypted TKIP data", ts,
			     CAPTURE_MAX);
	if (nts != n)
		test_fatal("tshark printed %zu frames of the capture's %zu", nts, n);
	set_key(DOT11XDP_CIPHER_TKIP, tk, 32);

	for (size_t i = 0; i < n; i++) {
		const uint8_t *fr = frames[i].data;
		struct tkip_frame f;
		struct dot11_data d;
		uint8_t out[BODY_MAX];
		int64_t tsc;
		size_t len;
		int ret;

		if (!parse_data_frame(fr, frames[i].len, &d) || !d.protected || (d.ra[0] & 1) ||
		    frames[i].len < d.hdr_len + 8 + TRAILER)
			continue;
		if (!memcmp(d.ta, ap, 6))
			f.end = DOT11XDP_FROM_PEER;
		else if (!memcmp(d.ra, ap, 6))
			f.end = DOT11XDP_TO_PEER;
		else
			continue;
		tsc = tkip_header_tsc(fr + d.hdr_len);
		if (tsc < 0)
			continue;
		f.tsc = tsc;
		memcpy(f.ta, d.ta, 6);
		memcpy(f.da, d.da, 6);
		memcpy(f.sa, d.sa, 6);
		f.priority = d.priority;
		len = frames[i].len - d.hdr_len - 8;
		tried[f.end]++;
		ret = tkip_op(TEST_TKIP_RX, &f, fr + d.hdr_len + 8, len, out, len - TRAILER);
		ours += ret == 0;
		theirs += ts[i].len > 0;
		if ((ret == 0) != (ts[i].len > 0)) {
			if (disagree++ < 5)
				printf("# frame %zu: TKIP result %d, tshark %s\n", i + 1, ret,
				       ts[i].len ? "decrypts" : "does not");
		} else if (!ret && (ts[i].len != len - TRAILER || memcmp(out, ts[i].data, ts[i].len))) {
			if (differ++ < 5)
				printf("# frame %zu: plaintext differs from tshark's\n", i + 1);
		}
	}
	test_check(tried[0] > 0 && tried[1] > 0 && ours == tried[0] + tried[1],
		   "wpa-psk-linksys.cap: all %u unicast TKIP frames (%u from the AP, %u to it) pass "
		   "the ICV and Michael (tshark decrypts %u)", tried[0] + tried[1], tried[0],
		   tried[1], theirs);
	test_check(disagree == 0, "wpa-psk-linksys.cap: the frames accepted are tshark's");
	test_check(differ == 0, "wpa-psk-linksys.cap: every plaintext equals tshark's, byte for byte");
	for (size_t i = 0; i < n; i++) {
		free(frames[i].data);
		free(ts[i].data);
	}
}

/* Nanoseconds per run of one request, with the program's average over `repeat` runs. */
static __u32 time_request(int prog_fd, const struct test_tkip_request *req, const uint8_t *body,
			  size_t body_len, __u32 repeat)
{
	static uint8_t pkt[sizeof(*req) + BODY_MAX];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt,
		    .data_size_in = sizeof(*req) + body_len, .repeat = repeat);
	struct test_tkip_request r = *req;

	r.flags = TEST_TKIP_NO_STORE;
	memcpy(pkt, &r, sizeof(r));
	memcpy(pkt + sizeof(r), body, body_len);
	if (bpf_prog_test_run_opts(prog_fd, &opts) || opts.retval != XDP_PASS)
		test_fatal("timing run failed");
	return opts.duration;
}

/* ccm_decrypt of a 1,500-byte payload (CCMP-128, table engine) in this run, for the ratios. */
static __u32 time_ccm_decrypt(void)
{
	static const uint8_t tk[16] = { 9 };
	static uint8_t pkt[sizeof(struct test_ccm_request) + 1508], out[sizeof(pkt)];
	struct test_ccm_request *req = (void *)pkt;
	struct test_ccm_bpf *ccm = test_ccm_bpf__open_and_load();
	struct dot11xdp_key key = {};
	__u32 zero = 0, ns = 0;
	int fd;

	if (!ccm)
		test_fatal("loading bpf/test_ccm.bpf.c: %s", strerror(errno));
	fd = bpf_program__fd(ccm->progs.xdp_test_ccm);
	if (dot11xdp_material_prepare_aes(&key, tk, 16, DOT11XDP_ENGINE_TABLE) ||
	    bpf_map__update_elem(ccm->maps.test_ccm_key, &zero, sizeof(zero), &key, sizeof(key), 0))
		test_fatal("setting the CCM key");
	*req = (struct test_ccm_request){ .op = TEST_CCM_ENCRYPT, .len = 1500, .aad_len = 22,
					  .mic_len = 8 };
	{
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt),
			    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);

		if (bpf_prog_test_run_opts(fd, &opts) || ((struct test_ccm_request *)out)->result)
			test_fatal("encrypting the CCM timing frame");
		memcpy(pkt + sizeof(*req), out + sizeof(*req), 1508);
	}
	*req = (struct test_ccm_request){ .op = TEST_CCM_DECRYPT, .flags = TEST_CCM_NO_STORE,
					  .len = 1508, .aad_len = 22, .mic_len = 8 };
	{
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = sizeof(pkt),
			    .repeat = 20000);

		if (!bpf_prog_test_run_opts(fd, &opts))
			ns = opts.duration;
	}
	test_ccm_bpf__destroy(ccm);
	return ns;
}

/* Verifier cost and speed per 1,500-byte frame: printed for the record, not asserted. */
static void report_costs(void)
{
	static const uint8_t tk[32] = { 1, 2, 3, 4 }, wep_key[13] = { 5, 6, 7 };
	static uint8_t data[1500], ct[1500 + TRAILER];
	int fd = bpf_program__fd(skel->progs.xdp_test_tkip);
	struct tkip_frame f = { .ta = { 2 }, .da = { 4 }, .sa = { 6 }, .tsc = 0x123456789aULL };
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info), ccm_ns, ns;
	struct test_tkip_request req;
	const __u32 repeat = 20000;
	const uint8_t iv[3] = { 1, 2, 3 };

	if (!bpf_obj_get_info_by_fd(fd, &info, &info_len))
		printf("# verifier: %u instructions processed for xdp_test_tkip\n",
		       info.verified_insns);
	rng_fill(data, sizeof(data));
	ccm_ns = time_ccm_decrypt();
	printf("# ccm_decrypt of a 1500-byte payload (CCMP-128, table engine): %u ns per frame\n",
	       ccm_ns);

	set_key(DOT11XDP_CIPHER_TKIP, tk, 32);
	if (tkip_op(TEST_TKIP_TX, &f, data, 1500, ct, sizeof(ct)))
		test_fatal("encrypting the TKIP timing frame");
	req = tkip_req(TEST_TKIP_RX, sizeof(ct), &f);
	ns = time_request(fd, &req, ct, sizeof(ct), repeat);
	printf("# TKIP decrypt + Michael of a 1500-byte payload: %u ns per frame (%.2f x ccm_decrypt)\n",
	       ns, ccm_ns ? (double)ns / ccm_ns : 0);
	req = tkip_req(TEST_TKIP_TX, 1500, &f);
	ns = time_request(fd, &req, data, sizeof(ct), repeat);
	printf("# TKIP Michael + encrypt of a 1500-byte payload: %u ns per frame (%.2f x ccm_decrypt)\n",
	       ns, ccm_ns ? (double)ns / ccm_ns : 0);
	req = (struct test_tkip_request){ .op = TEST_CRC32, .len = 0 };
	printf("#   the parts below include the test program's own cost per run, %u ns (an empty "
	       "CRC-32)\n", time_request(fd, &req, NULL, 0, repeat));
	req = tkip_req(TEST_TKIP_MIX, 0, &f);
	printf("#   key mixing (phases 1 and 2): %u ns\n", time_request(fd, &req, NULL, 0, repeat));
	req = (struct test_tkip_request){ .op = TEST_RC4, .len = sizeof(ct), .rc4_key_len = 16 };
	printf("#   RC4 key schedule + %zu bytes: %u ns\n", sizeof(ct),
	       time_request(fd, &req, ct, sizeof(ct), repeat));
	req = (struct test_tkip_request){ .op = TEST_RC4, .len = 0, .rc4_key_len = 16 };
	printf("#   RC4 key schedule alone: %u ns\n", time_request(fd, &req, ct, 0, repeat));
	req = (struct test_tkip_request){ .op = TEST_CRC32, .len = sizeof(ct) - ICV_LEN };
	printf("#   CRC-32 of %zu bytes: %u ns\n", sizeof(ct) - ICV_LEN,
	       time_request(fd, &req, ct, sizeof(ct), repeat));
	req = (struct test_tkip_request){ .op = TEST_MICHAEL, .len = 1500 };
	printf("#   Michael over 1500 bytes: %u ns\n", time_request(fd, &req, ct, sizeof(ct), repeat));

	set_key(DOT11XDP_CIPHER_WEP104, wep_key, 13);
	if (wep_op(TEST_WEP_ENCRYPT, iv, data, 1500, ct, 1500 + ICV_LEN))
		test_fatal("encrypting the WEP timing frame");
	req = (struct test_tkip_request){ .op = TEST_WEP_DECRYPT, .len = 1500 + ICV_LEN };
	memcpy(req.iv, iv, 3);
	ns = time_request(fd, &req, ct, 1500 + ICV_LEN, repeat);
	printf("# WEP-104 decrypt of a 1500-byte payload: %u ns per frame (%.2f x ccm_decrypt)\n", ns,
	       ccm_ns ? (double)ns / ccm_ns : 0);
	req.op = TEST_WEP_ENCRYPT;
	req.len = 1500;
	ns = time_request(fd, &req, data, 1500 + ICV_LEN, repeat);
	printf("# WEP-104 encrypt of a 1500-byte payload: %u ns per frame (%.2f x ccm_decrypt)\n", ns,
	       ccm_ns ? (double)ns / ccm_ns : 0);
}

int main(void)
{
	struct tv_file tv;
	const char *seed = getenv("TEST_SEED");
	int err;

	test_require_root();
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	/* RC4 lives in OpenSSL 3's legacy provider; the default one must stay for the rest. */
	if (!OSSL_PROVIDER_load(NULL, "legacy") || !OSSL_PROVIDER_load(NULL, "default"))
		test_fatal("loading OpenSSL's legacy provider (RC4, the oracle) failed");
	skel = test_tkip_bpf__open_and_load();
	if (!test_check(skel != NULL, "the TKIP/WEP test program passes the verifier"))
		test_fatal("loading bpf/test_tkip.bpf.c: %s", strerror(errno));

	err = tv_load(test_data_path("ieee80211-cipher-vectors.txt"), &tv);
	if (err)
		test_fatal("loading the IEEE vectors: %s", strerror(-err));
	check_ieee_vector(&tv);
	tv_free(&tv);
	check_michael_vectors();
	check_material();
	check_refusals();

	rng_state = seed ? strtoull(seed, NULL, 0) : 0x7c1b3e5d;
	printf("# random cases from seed 0x%llx (TEST_SEED= to change)\n",
	       (unsigned long long)rng_state);
	check_rc4_crc_oracles();
	check_wep_oracle();
	check_tkip_random();

	check_wep_capture();
	check_tkip_capture();
	report_costs();

	test_tkip_bpf__destroy(skel);
	return test_done();
}
