// SPDX-License-Identifier: GPL-2.0
/* The receive program's tier-1 harness: see rx_harness.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
/* libpcap's classic BPF header clashes with the kernel's; only its link types are needed. */
#define PCAP_DONT_INCLUDE_PCAP_BPF_H
#include <pcap/dlt.h>
#include <pcap/pcap.h>
#include <openssl/evp.h>

#include "crypto_ctx.h"
#include "material.h"
#include "rx_harness.h"
#include "testlib.h"

struct rx_env rx;

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
	int fd = map ? bpf_map__fd(map) : -1;

	if (fd < 0)
		test_fatal("map %s not found in the loaded object", name);
	return fd;
}

void rx_env_init(struct bpf_object *obj)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "xdp_decrypt");

	memset(&rx, 0, sizeof(rx));
	rx.obj = obj;
	rx.tag = "";
	rx.prog_fd = prog ? bpf_program__fd(prog) : -1;
	if (rx.prog_fd < 0)
		test_fatal("xdp_decrypt not found in the loaded object");
	rx.keys_fd = map_fd(obj, DOT11XDP_MAP_KEYS);
	rx.stats_fd = map_fd(obj, DOT11XDP_MAP_STATS);
	rx.peers_fd = map_fd(obj, DOT11XDP_MAP_PEERS);
	rx.config_fd = map_fd(obj, DOT11XDP_MAP_CONFIG);
	rx.ncpus = libbpf_num_possible_cpus();
	if (rx.ncpus <= 0)
		test_fatal("libbpf_num_possible_cpus: %d", rx.ncpus);
}

void rx_set_output(__u32 output)
{
	struct dot11xdp_config config = { .abi_version = DOT11XDP_ABI_VERSION,
					  .output = output,
					  .engine = DOT11XDP_ENGINE_TABLE };
	__u32 zero = 0;

	if (bpf_map_update_elem(rx.config_fd, &zero, &config, BPF_ANY))
		test_fatal("config update: %s", strerror(errno));
}

const char *rx_outcome_name(__u32 outcome)
{
	static const char *const names[DOT11XDP_RX_OUTCOMES] = {
		[DOT11XDP_RX_DECRYPTED] = "DECRYPTED",
		[DOT11XDP_RX_UNPROTECTED] = "UNPROTECTED",
		[DOT11XDP_RX_NO_KEY] = "NO_KEY",
		[DOT11XDP_RX_REPLAY] = "REPLAY",
		[DOT11XDP_RX_MIC_FAILURE] = "MIC_FAILURE",
		[DOT11XDP_RX_MALFORMED] = "MALFORMED",
		[DOT11XDP_RX_BAD_FCS] = "BAD_FCS",
		[DOT11XDP_RX_UNSUPPORTED] = "UNSUPPORTED",
		[DOT11XDP_RX_MICHAEL_FAILURE] = "MICHAEL_FAILURE",
	};

	return outcome < DOT11XDP_RX_OUTCOMES && names[outcome] ? names[outcome] : "?";
}

const char *rx_action_name(int action)
{
	return action == XDP_PASS ? "PASS" : action == XDP_DROP ? "DROP" : "other";
}

void rx_run(const __u8 *in, size_t len, struct rx_result *r)
{
	__u8 out[RX_FRAME_MAX + sizeof(struct dot11xdp_frame_meta)];
	struct dot11xdp_frame_meta meta;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_size_in = len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);

	if (bpf_prog_test_run_opts(rx.prog_fd, &opts))
		test_fatal("BPF_PROG_TEST_RUN on %zu bytes: %s", len, strerror(errno));
	if (opts.data_size_out < sizeof(meta))
		test_fatal("BPF_PROG_TEST_RUN returned %u bytes, no outcome", opts.data_size_out);
	memcpy(&meta, out, sizeof(meta));
	r->action = opts.retval;
	r->outcome = meta.outcome;
	r->len = opts.data_size_out - sizeof(meta);
	memcpy(r->frame, out + sizeof(meta), r->len);
	if (meta.outcome < DOT11XDP_RX_OUTCOMES)
		rx.tally[meta.outcome]++;
}

/* ---- keys ------------------------------------------------------------------------- */

static void ctx_destroy(const struct dot11xdp_key *key)
{
	int err;

	if (key->engine != DOT11XDP_ENGINE_KFUNC || !key->generation)
		return;
	err = dot11xdp_crypto_ctx__destroy(rx.obj, key->generation);
	if (err && err != -ENOENT)
		test_fatal("destroying the contexts of generation %llu: %s",
			   (unsigned long long)key->generation, strerror(-err));
}

static bool is_aes(__u32 cipher)
{
	return cipher == DOT11XDP_CIPHER_CCMP || cipher == DOT11XDP_CIPHER_CCMP_256 ||
	       cipher == DOT11XDP_CIPHER_GCMP || cipher == DOT11XDP_CIPHER_GCMP_256;
}

void rx_key_install(const __u8 *peer, __u8 direction, __u32 cipher, const __u8 *tk,
		    unsigned int tk_len, enum dot11xdp_engine engine, __u8 flags, __u64 pn_init)
{
	struct dot11xdp_key_id id = { .direction = direction };
	struct dot11xdp_key key = {}, old;
	static __u64 generation;
	bool had_old;
	int err;

	memcpy(id.peer, peer, DOT11XDP_MAC_LEN);
	switch (cipher) {
	case DOT11XDP_CIPHER_TKIP:
		err = dot11xdp_material_prepare_tkip(&key, tk, tk_len, engine);
		break;
	case DOT11XDP_CIPHER_WEP40:
	case DOT11XDP_CIPHER_WEP104:
		err = dot11xdp_material_prepare_wep(&key, tk, tk_len, engine);
		break;
	default:
		err = dot11xdp_material_prepare_aes(&key, tk, tk_len, DOT11XDP_ENGINE_TABLE);
		if (!err && engine == DOT11XDP_ENGINE_KFUNC) {
			/* Nothing of the table engine's schedule: the kfunc path must not need it. */
			memset(&key.material, 0, sizeof(key.material));
			key.engine = DOT11XDP_ENGINE_KFUNC;
		}
		if (!err && (cipher == DOT11XDP_CIPHER_GCMP || cipher == DOT11XDP_CIPHER_GCMP_256))
			err = dot11xdp_material_prepare_ghash(&key, tk, tk_len);
		break;
	}
	if (err)
		test_fatal("preparing a key of cipher %u (%u bytes, engine %d): %s", cipher, tk_len,
			   engine, strerror(-err));
	key.cipher = cipher;
	key.flags = flags;
	key.generation = ++generation;
	key.rx_pn_init = pn_init;
	for (int end = 0; end < DOT11XDP_REPLAY_ENDS; end++)
		for (int i = 0; i < DOT11XDP_REPLAY_COUNTERS; i++)
			key.rx[end].pn[i] = pn_init;
	if (engine == DOT11XDP_ENGINE_KFUNC && is_aes(cipher)) {
		err = dot11xdp_crypto_ctx__create(rx.obj, key.generation, tk, tk_len);
		if (err)
			test_fatal("creating kfunc contexts: %s", strerror(-err));
	}
	had_old = !bpf_map_lookup_elem(rx.keys_fd, &id, &old);
	if (bpf_map_update_elem(rx.keys_fd, &id, &key, BPF_ANY))
		test_fatal("key update: %s", strerror(errno));
	if (had_old)
		ctx_destroy(&old);
}

void rx_keys_clear(void)
{
	struct dot11xdp_key_id id, next;
	struct dot11xdp_key key;

	while (!bpf_map_get_next_key(rx.keys_fd, NULL, &next)) {
		id = next;
		if (bpf_map_lookup_elem(rx.keys_fd, &id, &key))
			test_fatal("key lookup: %s", strerror(errno));
		if (bpf_map_delete_elem(rx.keys_fd, &id))
			test_fatal("key delete: %s", strerror(errno));
		ctx_destroy(&key);
	}
}

bool rx_key_read(const __u8 *peer, __u8 direction, struct dot11xdp_key *key)
{
	struct dot11xdp_key_id id = { .direction = direction };

	memcpy(id.peer, peer, DOT11XDP_MAC_LEN);
	return !bpf_map_lookup_elem(rx.keys_fd, &id, key);
}

bool rx_counters_are(const __u8 *peer, __u8 direction, __u64 want, int end, int index,
		     __u64 want_one)
{
	struct dot11xdp_key key;

	if (!rx_key_read(peer, direction, &key)) {
		printf("#   key not found\n");
		return false;
	}
	for (int e = 0; e < DOT11XDP_REPLAY_ENDS; e++)
		for (int i = 0; i < DOT11XDP_REPLAY_COUNTERS; i++) {
			__u64 w = e == end && i == index ? want_one : want;

			if (key.rx[e].pn[i] != w) {
				printf("#   rx[%d].pn[%d] = %#llx, want %#llx\n", e, i,
				       (unsigned long long)key.rx[e].pn[i], (unsigned long long)w);
				return false;
			}
		}
	return true;
}

bool rx_kfunc_engine_check(void)
{
	return test_ok(dot11xdp_kfunc_engine_available(),
		       "this kernel has the kfunc AES engine (BPF crypto kfuncs, ecb(aes), cbc(aes))");
}

/* ---- counters --------------------------------------------------------------------- */

static void stats_sum(int fd, const void *key, struct dot11xdp_rx_stats *sum)
{
	struct dot11xdp_rx_stats values[rx.ncpus];

	memset(sum, 0, sizeof(*sum));
	if (bpf_map_lookup_elem(fd, key, values))
		return;
	for (int cpu = 0; cpu < rx.ncpus; cpu++)
		for (int o = 0; o < DOT11XDP_RX_OUTCOMES; o++)
			((__u64 *)sum)[o] += ((__u64 *)&values[cpu])[o];
}

void rx_global_stats(struct dot11xdp_rx_stats *sum)
{
	__u32 zero = 0;

	stats_sum(rx.stats_fd, &zero, sum);
}

void rx_peer_stats(const __u8 *addr, struct dot11xdp_rx_stats *sum)
{
	struct dot11xdp_peer_id id = {};

	memcpy(id.addr, addr, DOT11XDP_MAC_LEN);
	stats_sum(rx.peers_fd, &id, sum);
}

void rx_check_global_stats(void)
{
	struct dot11xdp_rx_stats global;
	bool ok = true;

	rx_global_stats(&global);
	for (int o = 0; o < DOT11XDP_RX_OUTCOMES; o++)
		if (((__u64 *)&global)[o] != rx.tally[o]) {
			printf("#   global %s: %llu, want %llu\n", rx_outcome_name(o),
			       (unsigned long long)((__u64 *)&global)[o],
			       (unsigned long long)rx.tally[o]);
			ok = false;
		}
	test_ok(ok, "dot11xdp_stats: every run counted once, under its outcome");
}

/* ---- frames ----------------------------------------------------------------------- */

const __u8 rx_rt_minimal[8] = { 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00 };
/*
 * Two present words (the first chains), TSFT (aligned to 8: four pad bytes), Flags = FCS,
 * Rate, Channel: the Flags byte sits at offset 24, where only a parser that follows the
 * chain and the alignment finds it.
 */
const __u8 rx_rt_fcs[30] = {
	0x00, 0x00, 0x1e, 0x00,				/* version, pad, length 30 */
	0x0f, 0x00, 0x00, 0x80,				/* TSFT, Flags, Rate, Channel, Ext */
	0x00, 0x00, 0x00, 0x00,				/* second present word */
	0xee, 0xee, 0xee, 0xee,				/* alignment padding for TSFT */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* TSFT */
	0x10,						/* Flags: FCS at the end */
	0x02,						/* Rate */
	0x9a, 0x09, 0xa0, 0x00,				/* Channel 2458 MHz, flags */
};

void frame_put(struct frame *f, const void *p, size_t len)
{
	if (f->len + len > sizeof(f->bytes))
		test_fatal("test frame too long");
	memcpy(f->bytes + f->len, p, len);
	f->len += len;
}

void frame_wrap(struct frame *f, const __u8 *rt, size_t rt_len, const __u8 *mpdu,
		size_t mpdu_len, const __u8 *fcs)
{
	f->len = 0;
	frame_put(f, rt, rt_len);
	frame_put(f, mpdu, mpdu_len);
	if (fcs)
		frame_put(f, fcs, 4);
}

void expected_plain(const __u8 *rt, size_t rt_len, size_t rt_flags_off, const __u8 *mpdu,
		    size_t hdr_len, size_t pad, const __u8 *plain, size_t plain_len,
		    struct frame *out)
{
	static const __u8 zeros[4];

	out->len = 0;
	frame_put(out, rt, rt_len);
	if (rt_flags_off)
		out->bytes[rt_flags_off] &= ~0x10;
	frame_put(out, mpdu, hdr_len);
	out->bytes[rt_len + 1] &= ~0x40;
	frame_put(out, zeros, pad);
	frame_put(out, plain, plain_len);
}

size_t mpdu_hdr_len(const __u8 *h)
{
	bool data = (h[0] & 0x0c) == 0x08, mgmt = (h[0] & 0x0c) == 0x00;
	bool qos = data && (h[0] & 0x80);
	size_t len = 24;

	if (data && (h[1] & 3) == 3)
		len += 6;
	if (qos)
		len += 2;
	if ((h[1] & 0x80) && (qos || mgmt))
		len += 4;
	return len;
}

bool expect(const struct rx_result *r, int action, __u32 outcome, const char *what)
{
	bool ok = r->action == action && r->outcome == outcome;

	if (!test_ok(ok, "%s%s: %s %s", rx.tag, what, rx_action_name(action),
		     rx_outcome_name(outcome)))
		printf("#   got %s %s\n", rx_action_name(r->action), rx_outcome_name(r->outcome));
	return ok;
}

bool expect_bytes(const struct rx_result *r, const void *want, size_t want_len, const char *what)
{
	return test_bytes_eq(r->frame, r->len, want, want_len, "%s%s: output bytes", rx.tag, what);
}

/* ---- captures and tshark ---------------------------------------------------------- */

static void capture_add(struct capture *c, const void *p, size_t len)
{
	__u8 **data = realloc(c->data, (c->n + 1) * sizeof(*c->data));
	size_t *lens = realloc(c->len, (c->n + 1) * sizeof(*c->len));

	if (!data || !lens)
		test_fatal("out of memory");
	c->data = data;
	c->len = lens;
	c->data[c->n] = malloc(len ? len : 1);
	if (!c->data[c->n])
		test_fatal("out of memory");
	memcpy(c->data[c->n], p, len);
	c->len[c->n++] = len;
}

void capture_read(const char *path, struct capture *c)
{
	capture_read_linktype(path, DLT_IEEE802_11, c);
}

void capture_read_linktype(const char *path, int linktype, struct capture *c)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *bytes;
	pcap_t *pc;

	memset(c, 0, sizeof(*c));
	pc = pcap_open_offline(path, err);
	if (!pc)
		test_fatal("opening %s: %s", path, err);
	if (pcap_datalink(pc) != linktype)
		test_fatal("%s: link type %d, not %d", path, pcap_datalink(pc), linktype);
	while (pcap_next_ex(pc, &h, &bytes) == 1) {
		if (h->caplen != h->len)
			test_fatal("%s: frame %zu cut by the snap length", path, c->n + 1);
		capture_add(c, bytes, h->caplen);
	}
	pcap_close(pc);
}

void capture_free(struct capture *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->data[i]);
	free(c->data);
	free(c->len);
	memset(c, 0, sizeof(*c));
}

/* Bytes of one hex dump line of tshark -x ("0010  aa bb ...   ascii"). */
static size_t hex_line(const char *line, __u8 *out)
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
		out[n++] = (__u8)strtoul((char[]){ p[0], p[1], 0 }, NULL, 16);
		p += 3;
	}
	return n;
}

void airdecap(const char *capture, const char *args, struct capture *ether)
{
	char dir[] = "/tmp/dot11xdp-airdecap-XXXXXX", cmd[8192], out[256];
	const char *base = strrchr(capture, '/') ? strrchr(capture, '/') + 1 : capture;
	int err;

	if (!mkdtemp(dir))
		test_fatal("mkdtemp: %s", strerror(errno));
	snprintf(out, sizeof(out), "%s/out.cap", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s/%s' && airdecap-ng %s -o '%s' '%s/%s' >/dev/null 2>&1",
		 capture, dir, base, args, out, dir, base);
	err = system(cmd);
	if (!err)
		capture_read_linktype(out, DLT_EN10MB, ether);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		printf("# could not remove %s\n", dir);
	if (err)
		test_fatal("airdecap-ng %s failed on %s (is aircrack-ng installed?)", args, capture);
}

void tshark_decrypt(const char *capture, const char *uat, const char *source,
		    size_t want_frames, struct capture *plain)
{
	char cmd[4096 + 256], line[512];
	bool in_source = false, started = false;
	__u8 buf[RX_FRAME_MAX];
	size_t buf_len = 0, want = 0;
	FILE *p;

	memset(plain, 0, sizeof(*plain));
	snprintf(cmd, sizeof(cmd),
		 "tshark -r '%s' -o wlan.enable_decryption:TRUE -o 'uat:80211_keys:%s' -x 2>/dev/null",
		 capture, uat);
	p = popen(cmd, "r");
	if (!p)
		test_fatal("running tshark: %s", strerror(errno));
	while (fgets(line, sizeof(line), p)) {
		if (line[0] == '\n') {
			/* A blank line ends a frame's dump. */
			if (started) {
				if (buf_len != want)
					test_fatal("tshark frame %zu: %zu bytes parsed of %zu",
						   plain->n + 1, buf_len, want);
				capture_add(plain, buf, buf_len);
			}
			started = in_source = false;
			buf_len = want = 0;
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
				test_fatal("tshark frame %zu too long", plain->n + 1);
			buf_len += hex_line(line, buf + buf_len);
		}
	}
	if (pclose(p) != 0)
		test_fatal("tshark failed on %s (is it installed?)", capture);
	if (started) {
		if (buf_len != want)
			test_fatal("tshark's last frame: %zu bytes parsed of %zu", buf_len, want);
		capture_add(plain, buf, buf_len);
	}
	if (plain->n != want_frames)
		test_fatal("tshark printed %zu frames of the capture's %zu", plain->n, want_frames);
}

/* ---- CCMP and GCMP by OpenSSL ------------------------------------------------------ */

size_t oracle_aad(const __u8 *h, bool spp, __u8 *aad)
{
	bool data = (h[0] & 0x0c) == 0x08, mgmt = (h[0] & 0x0c) == 0x00;
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
		memcpy(aad + len, h + 24, 6);
		len += 6;
	}
	if (qos) {
		const __u8 *qc = h + (a4 ? 30 : 24);

		aad[len] = qc[0] & (spp ? 0x8f : 0x0f);
		aad[len + 1] = 0;
		len += 2;
	}
	return len;
}

void oracle_ccmp_nonce(const __u8 *h, __u64 pn, __u8 nonce[13])
{
	bool data = (h[0] & 0x0c) == 0x08, mgmt = (h[0] & 0x0c) == 0x00;
	bool qos = data && (h[0] & 0x80), a4 = data && (h[1] & 3) == 3;

	nonce[0] = qos ? h[a4 ? 30 : 24] & 0x0f : 0;
	if (mgmt)
		nonce[0] |= 0x10;
	memcpy(nonce + 1, h + 10, 6);
	for (int i = 0; i < 6; i++)
		nonce[7 + i] = pn >> (8 * (5 - i));
}

void oracle_gcmp_nonce(const __u8 *h, __u64 pn, __u8 nonce[12])
{
	memcpy(nonce, h + 10, 6);
	for (int i = 0; i < 6; i++)
		nonce[6 + i] = pn >> (8 * (5 - i));
}

static bool is_gcmp(__u32 cipher)
{
	return cipher == DOT11XDP_CIPHER_GCMP || cipher == DOT11XDP_CIPHER_GCMP_256;
}

unsigned int oracle_tk_len(__u32 cipher)
{
	switch (cipher) {
	case DOT11XDP_CIPHER_CCMP:
	case DOT11XDP_CIPHER_GCMP:
		return 16;
	case DOT11XDP_CIPHER_CCMP_256:
	case DOT11XDP_CIPHER_GCMP_256:
		return 32;
	}
	test_fatal("cipher %u is no AES cipher", cipher);
}

unsigned int oracle_mic_len(__u32 cipher)
{
	oracle_tk_len(cipher); /* fatal for a cipher that is no AES cipher */
	return cipher == DOT11XDP_CIPHER_CCMP ? 8 : 16;
}

void oracle_aead_seal(__u32 cipher, const __u8 *tk, const __u8 *nonce, const __u8 *aad,
		      size_t aad_len, const __u8 *pt, size_t len, __u8 *ct, __u8 *mic)
{
	bool gcm = is_gcmp(cipher), k256 = oracle_tk_len(cipher) == 32;
	const EVP_CIPHER *evp = gcm ? (k256 ? EVP_aes_256_gcm() : EVP_aes_128_gcm())
				    : (k256 ? EVP_aes_256_ccm() : EVP_aes_128_ccm());
	int mic_len = (int)oracle_mic_len(cipher), outl, ok;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	if (gcm)
		ok = c && EVP_EncryptInit_ex(c, evp, NULL, NULL, NULL) &&
		     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) &&
		     EVP_EncryptInit_ex(c, NULL, NULL, tk, nonce) &&
		     EVP_EncryptUpdate(c, NULL, &outl, aad, (int)aad_len) &&
		     (!len || EVP_EncryptUpdate(c, ct, &outl, pt, (int)len)) &&
		     EVP_EncryptFinal_ex(c, ct, &outl) &&
		     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, mic_len, mic);
	else
		ok = c && EVP_EncryptInit_ex(c, evp, NULL, NULL, NULL) &&
		     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_CCM_SET_IVLEN, 13, NULL) &&
		     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_CCM_SET_TAG, mic_len, NULL) &&
		     EVP_EncryptInit_ex(c, NULL, NULL, tk, nonce) &&
		     EVP_EncryptUpdate(c, NULL, &outl, NULL, (int)len) &&
		     EVP_EncryptUpdate(c, NULL, &outl, aad, (int)aad_len) &&
		     (!len || EVP_EncryptUpdate(c, ct, &outl, pt, (int)len)) &&
		     EVP_EncryptFinal_ex(c, ct, &outl) &&
		     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_CCM_GET_TAG, mic_len, mic);
	EVP_CIPHER_CTX_free(c);
	if (!ok)
		test_fatal("OpenSSL %s failed", gcm ? "AES-GCM" : "AES-CCM");
}

size_t oracle_seal_mpdu(__u32 cipher, const __u8 *tk, const __u8 *hdr_in, const __u8 *pt,
			size_t pt_len, __u64 pn, bool spp, __u8 *out)
{
	size_t hdr_len = mpdu_hdr_len(hdr_in), aad_len;
	__u8 aad[32], nonce[13], *p;

	memcpy(out, hdr_in, hdr_len);
	out[1] |= 0x40;
	aad_len = oracle_aad(out, spp, aad);
	if (is_gcmp(cipher))
		oracle_gcmp_nonce(out, pn, nonce);
	else
		oracle_ccmp_nonce(out, pn, nonce);
	p = out + hdr_len;
	p[0] = pn;
	p[1] = pn >> 8;
	p[2] = 0;
	p[3] = 0x20; /* ExtIV, key ID 0 */
	for (int i = 0; i < 4; i++)
		p[4 + i] = pn >> (16 + 8 * i);
	oracle_aead_seal(cipher, tk, nonce, aad, aad_len, pt, pt_len, p + 8, p + 8 + pt_len);
	return hdr_len + 8 + pt_len + oracle_mic_len(cipher);
}

bool aead_bit_uncovered(const __u8 *mpdu, size_t hdr_len, size_t mpdu_len, size_t off, int bit)
{
	bool data = (mpdu[0] & 0x0c) == 0x08, qos = data && (mpdu[0] & 0x80);
	bool a4 = data && (mpdu[1] & 3) == 3;
	size_t qos_off = a4 ? 30 : 24;
	__u8 mask = 1u << bit;

	if (off >= mpdu_len)
		return true; /* FCS */
	if (off == 0)
		return data && (mask & 0x70);
	if (off == 1)
		return mask & 0x38;
	if (off == 2 || off == 3 || off == 23)
		return true;
	if (off == 22)
		return mask & 0xf0;
	if (qos && off == qos_off)
		return mask & 0xf0;
	if (qos && off == qos_off + 1)
		return true;
	if (off >= qos_off + (qos ? 2 : 0) && off < hdr_len)
		return true; /* HT Control */
	if (off == hdr_len + 3)
		return mask & 0x1f; /* reserved bits of the key ID octet */
	return off == hdr_len + 2; /* the reserved octet */
}
