// SPDX-License-Identifier: GPL-2.0
/*
 * capgen: realistic protected 802.11 captures from a passphrase and an SSID.
 *
 * One AP and N stations, everything derived from --seed: a beacon every 102.4 ms, then per
 * station open authentication, association and a real 4-way handshake (PMK from the passphrase,
 * ANonce/SNonce, PTK by the 802.11 PRF, EAPOL-Key MICs, the GTK wrapped with the KEK), then
 * protected QoS data frames both ways with increasing PNs, IPv4/UDP or ICMP inside LLC/SNAP.
 * Encryption is OpenSSL's (AES-CCM, AES-GCM, RC4) plus this file's own TKIP key mixing and
 * Michael, and nothing of dot11xdp's BPF code, so decrypting the output is a real test of it.
 *
 *   capgen -o OUT [--frames N] [--stations N] [--sizes LIST] [--cipher C] [--passphrase P]
 *          [--ssid S] [--seed N] [--retransmit-rate F] [--tid LIST] [--proto udp|icmp]
 *          [--linktype radiotap|802.11] [--keys-out FILE] [--plain-out FILE]
 *   capgen mpdu CIPHER TK PN MPDU      (encrypt one MPDU, all in hex: checks the framing
 *                                       against the IEEE 802.11 test vectors)
 *
 * docs/capgen.md says what is in a capture and how the reference tools read it.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/provider.h>
#include <pcap/pcap.h>
#include <zlib.h>

static const char *prog = "capgen";

/* 802.11 limits and frame layout. */
#define MSDU_MAX 2304		/* largest frame body before protection */
#define LLC_SNAP_LEN 8
#define IP_MIN 44		/* IPv4 + UDP/ICMP header + the 16-byte payload marker */
#define IP_MAX (MSDU_MAX - LLC_SNAP_LEN)
#define MARKER_LEN 16
#define MAX_STATIONS 2007	/* association IDs 1-2007 */
#define MAX_SIZES 64
#define MAX_TIDS 16
#define FRAME_BUF 4096
#define RADIOTAP_LEN 16
#define PMK_LEN 32
#define NONCE_LEN 32
#define PTK_MAX 64
#define KCK_LEN 16
#define KEK_LEN 16
#define EAPOL_MIC_LEN 16
#define PN_MAX ((1ULL << 48) - 1)

#define FC1_TODS 0x01
#define FC1_FROMDS 0x02
#define FC1_RETRY 0x08
#define FC1_PROTECTED 0x40
#define FC1_ORDER 0x80
#define EXT_IV 0x20

/* Timeline of the capture (microseconds): frames are this far apart, beacons come every TBTT. */
#define START_SEC 1704067200	/* 2024-01-01 00:00:00 UTC: fixed, so a seed gives one file */
#define FRAME_GAP_US 100
#define HANDSHAKE_GAP_US 1000
#define BEACON_INTERVAL_US 102400
#define DATA_START_GAP_US 10000

enum cipher_id { CIPHER_CCMP, CIPHER_CCMP_256, CIPHER_GCMP, CIPHER_GCMP_256, CIPHER_TKIP };

struct cipher_info {
	const char *name;	/* as --cipher, and as dot11xdp decrypt --key takes it */
	enum cipher_id id;
	const char *evp_name;	/* OpenSSL's name of the frame cipher */
	unsigned int tk_len;	/* temporal key: TK, plus the two Michael keys for TKIP */
	unsigned int mic_len;	/* bytes the cipher appends to the MPDU body */
	unsigned int suite;	/* cipher suite type in the RSN element (00-0f-ac:N) */
	bool wpa1;		/* WPA (vendor element, descriptor 254, key version 1) */
};

static const struct cipher_info ciphers[] = {
	{ "ccmp", CIPHER_CCMP, "AES-128-CCM", 16, 8, 4, false },
	{ "ccmp-256", CIPHER_CCMP_256, "AES-256-CCM", 32, 16, 10, false },
	{ "gcmp", CIPHER_GCMP, "AES-128-GCM", 16, 16, 8, false },
	{ "gcmp-256", CIPHER_GCMP_256, "AES-256-GCM", 32, 16, 9, false },
	{ "tkip", CIPHER_TKIP, "RC4", 32, 8 + 4, 2, true },
};

static const struct cipher_info *cipher_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++)
		if (!strcmp(ciphers[i].name, name))
			return &ciphers[i];
	return NULL;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v);
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, v);
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

/* --- Deterministic randomness -------------------------------------------------------------- */

/*
 * xoshiro256** seeded by splitmix64: fast, and one seed gives one capture. Not a CSPRNG, and
 * not meant as one: these keys protect test traffic whose passphrase is on the command line.
 */
struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl64(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return result;
}

/* Uniform in [0, n): the multiply-shift reduction, bias far below anything a test could see. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* Uniform in [0, 1). */
static double rng_unit(struct rng *r)
{
	return (rng_next(r) >> 11) * 0x1.0p-53;
}

static void rng_bytes(struct rng *r, uint8_t *out, size_t len)
{
	while (len) {
		uint64_t v = rng_next(r);
		size_t n = len < 8 ? len : 8;

		memcpy(out, &v, n);
		out += n;
		len -= n;
	}
}

/* A locally administered unicast address. */
static void rng_mac(struct rng *r, uint8_t mac[6])
{
	rng_bytes(r, mac, 6);
	mac[0] = (mac[0] & 0xfc) | 0x02;
}

/* --- TKIP: key mixing and Michael (IEEE 802.11-2016 12.5.2) ---------------------------------- */

static uint16_t tkip_sbox[256];

static uint8_t xtime(uint8_t b)
{
	return (b << 1) ^ (b & 0x80 ? 0x1b : 0);
}

/*
 * The TKIP S-box is the AES S-box column (2*s, 3*s) packed into 16 bits; derive the AES S-box
 * (multiplicative inverse in GF(2^8), then the affine map) instead of carrying a table.
 */
static void tkip_init_sbox(void)
{
	uint8_t aes_sbox[256];
	uint8_t p = 1, q = 1;

	do {
		/* p runs over the powers of 3, q over the powers of 3's inverse: q = 1/p. */
		p = p ^ xtime(p);
		q ^= q << 1;
		q ^= q << 2;
		q ^= q << 4;
		if (q & 0x80)
			q ^= 0x09;
		uint8_t x = q ^ (q << 1 | q >> 7) ^ (q << 2 | q >> 6) ^ (q << 3 | q >> 5) ^
			    (q << 4 | q >> 4);
		aes_sbox[p] = x ^ 0x63;
	} while (p != 1);
	aes_sbox[0] = 0x63;
	for (int i = 0; i < 256; i++) {
		uint8_t s = aes_sbox[i];

		tkip_sbox[i] = (uint16_t)xtime(s) << 8 | (uint8_t)(xtime(s) ^ s);
	}
}

static uint16_t tkip_s(uint16_t v)
{
	uint16_t hi = tkip_sbox[v >> 8];

	return tkip_sbox[v & 0xff] ^ (uint16_t)(hi << 8 | hi >> 8);
}

static uint16_t mk16(uint8_t hi, uint8_t lo)
{
	return (uint16_t)hi << 8 | lo;
}

static uint16_t ror16_1(uint16_t v)
{
	return v >> 1 | v << 15;
}

/* Phase 1: TK, transmitter address and the high 32 bits of the TSC give the TTAK. */
static void tkip_phase1(uint16_t ttak[5], const uint8_t tk[16], const uint8_t ta[6], uint32_t iv32)
{
	ttak[0] = iv32;
	ttak[1] = iv32 >> 16;
	ttak[2] = mk16(ta[1], ta[0]);
	ttak[3] = mk16(ta[3], ta[2]);
	ttak[4] = mk16(ta[5], ta[4]);
	for (unsigned int i = 0; i < 8; i++) {
		unsigned int j = 2 * (i & 1);

		ttak[0] += tkip_s(ttak[4] ^ mk16(tk[1 + j], tk[0 + j]));
		ttak[1] += tkip_s(ttak[0] ^ mk16(tk[5 + j], tk[4 + j]));
		ttak[2] += tkip_s(ttak[1] ^ mk16(tk[9 + j], tk[8 + j]));
		ttak[3] += tkip_s(ttak[2] ^ mk16(tk[13 + j], tk[12 + j]));
		ttak[4] += tkip_s(ttak[3] ^ mk16(tk[1 + j], tk[0 + j])) + i;
	}
}

/* Phase 2: TTAK, TK and the low 16 bits of the TSC give the frame's 128-bit RC4 key. */
static void tkip_phase2(uint8_t key[16], const uint16_t ttak[5], const uint8_t tk[16],
			uint16_t iv16)
{
	uint16_t ppk[6];

	for (int i = 0; i < 5; i++)
		ppk[i] = ttak[i];
	ppk[5] = ttak[4] + iv16;
	ppk[0] += tkip_s(ppk[5] ^ mk16(tk[1], tk[0]));
	ppk[1] += tkip_s(ppk[0] ^ mk16(tk[3], tk[2]));
	ppk[2] += tkip_s(ppk[1] ^ mk16(tk[5], tk[4]));
	ppk[3] += tkip_s(ppk[2] ^ mk16(tk[7], tk[6]));
	ppk[4] += tkip_s(ppk[3] ^ mk16(tk[9], tk[8]));
	ppk[5] += tkip_s(ppk[4] ^ mk16(tk[11], tk[10]));
	ppk[0] += ror16_1(ppk[5] ^ mk16(tk[13], tk[12]));
	ppk[1] += ror16_1(ppk[0] ^ mk16(tk[15], tk[14]));
	ppk[2] += ror16_1(ppk[1]);
	ppk[3] += ror16_1(ppk[2]);
	ppk[4] += ror16_1(ppk[3]);
	ppk[5] += ror16_1(ppk[4]);
	key[0] = iv16 >> 8;
	key[1] = ((iv16 >> 8) | 0x20) & 0x7f;
	key[2] = iv16;
	key[3] = (ppk[5] ^ mk16(tk[1], tk[0])) >> 1;
	for (int i = 0; i < 6; i++) {
		key[4 + 2 * i] = ppk[i];
		key[5 + 2 * i] = ppk[i] >> 8;
	}
}

static uint32_t rol32(uint32_t v, int n)
{
	return v << n | v >> (32 - n);
}

struct michael {
	uint32_t l, r;
	uint8_t tail[4];
	unsigned int tail_len;
};

static void michael_block(struct michael *m, uint32_t word)
{
	m->l ^= word;
	m->r ^= rol32(m->l, 17);
	m->l += m->r;
	m->r ^= ((m->l & 0xff00ff00) >> 8) | ((m->l & 0x00ff00ff) << 8);
	m->l += m->r;
	m->r ^= rol32(m->l, 3);
	m->l += m->r;
	m->r ^= rol32(m->l, 30);
	m->l += m->r;
}

static void michael_init(struct michael *m, const uint8_t key[8])
{
	m->l = get_le32(key);
	m->r = get_le32(key + 4);
	m->tail_len = 0;
}

static void michael_update(struct michael *m, const uint8_t *data, size_t len)
{
	while (len && m->tail_len) {
		m->tail[m->tail_len++] = *data++;
		len--;
		if (m->tail_len == 4) {
			michael_block(m, get_le32(m->tail));
			m->tail_len = 0;
		}
	}
	for (; len >= 4; data += 4, len -= 4)
		michael_block(m, get_le32(data));
	while (len--)
		m->tail[m->tail_len++] = *data++;
}

/* Padding: 0x5a, zeros to a word boundary, then one zero word (4 to 7 zeros in all). */
static void michael_final(struct michael *m, uint8_t mic[8])
{
	static const uint8_t pad[4] = { 0x5a };

	michael_update(m, pad, 1);
	if (m->tail_len)
		michael_update(m, pad + 1, 4 - m->tail_len);
	michael_block(m, 0);
	put_le32(mic, m->l);
	put_le32(mic + 4, m->r);
}

/* --- Keys: PMK, PRF, PTK --------------------------------------------------------------------- */

/* The 802.11 PRF (12.7.1.2): HMAC-SHA1(K, A | 0 | B | i) for i = 0, 1, ... */
static void prf_sha1(const uint8_t *key, size_t key_len, const char *label, const uint8_t *data,
		     size_t data_len, uint8_t *out, size_t out_len)
{
	uint8_t msg[128], digest[20];
	size_t label_len = strlen(label), pos = 0;
	unsigned int dlen;

	memcpy(msg, label, label_len);
	msg[label_len] = 0;
	memcpy(msg + label_len + 1, data, data_len);
	for (uint8_t i = 0; pos < out_len; i++) {
		size_t n = out_len - pos < 20 ? out_len - pos : 20;

		msg[label_len + 1 + data_len] = i;
		if (!HMAC(EVP_sha1(), key, key_len, msg, label_len + 2 + data_len, digest, &dlen))
			die("HMAC-SHA1 failed in OpenSSL");
		memcpy(out + pos, digest, n);
		pos += n;
	}
}

/* PTK = PRF(PMK, "Pairwise key expansion", min/max MAC, min/max nonce): KCK | KEK | TK. */
static void derive_ptk(uint8_t *ptk, size_t ptk_len, const uint8_t pmk[PMK_LEN],
		       const uint8_t aa[6], const uint8_t spa[6], const uint8_t anonce[NONCE_LEN],
		       const uint8_t snonce[NONCE_LEN])
{
	uint8_t data[6 + 6 + NONCE_LEN + NONCE_LEN];
	bool aa_first = memcmp(aa, spa, 6) < 0;
	bool an_first = memcmp(anonce, snonce, NONCE_LEN) < 0;

	memcpy(data, aa_first ? aa : spa, 6);
	memcpy(data + 6, aa_first ? spa : aa, 6);
	memcpy(data + 12, an_first ? anonce : snonce, NONCE_LEN);
	memcpy(data + 12 + NONCE_LEN, an_first ? snonce : anonce, NONCE_LEN);
	prf_sha1(pmk, PMK_LEN, "Pairwise key expansion", data, sizeof(data), ptk, ptk_len);
}

/* --- Frame protection ------------------------------------------------------------------------ */

struct tk_ctx {
	const struct cipher_info *cipher;
	EVP_CIPHER_CTX *evp;	/* AES: the key is set once; RC4: keyed per frame */
	uint8_t tk[32];		/* TKIP: TK | Michael key AP->STA | Michael key STA->AP */
};

static EVP_CIPHER *fetch_cipher(const char *name)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, name, NULL);

	if (!c)
		die("OpenSSL has no %s%s", name, strcmp(name, "RC4") ? "" :
		    " (the legacy provider, ossl-modules/legacy.so, is needed for TKIP)");
	return c;
}

static void tk_ctx_init(struct tk_ctx *k, const struct cipher_info *cipher, const uint8_t *tk)
{
	EVP_CIPHER *evp_cipher = fetch_cipher(cipher->evp_name);
	bool ok;

	k->cipher = cipher;
	memcpy(k->tk, tk, cipher->tk_len);
	k->evp = EVP_CIPHER_CTX_new();
	if (!k->evp)
		die("out of memory");
	switch (cipher->id) {
	case CIPHER_CCMP:
	case CIPHER_CCMP_256:
		ok = EVP_EncryptInit_ex(k->evp, evp_cipher, NULL, NULL, NULL) &&
		     EVP_CIPHER_CTX_ctrl(k->evp, EVP_CTRL_CCM_SET_IVLEN, 13, NULL) &&
		     EVP_CIPHER_CTX_ctrl(k->evp, EVP_CTRL_CCM_SET_TAG, cipher->mic_len, NULL) &&
		     EVP_EncryptInit_ex(k->evp, NULL, NULL, tk, NULL);
		break;
	case CIPHER_GCMP:
	case CIPHER_GCMP_256:
		ok = EVP_EncryptInit_ex(k->evp, evp_cipher, NULL, NULL, NULL) &&
		     EVP_CIPHER_CTX_ctrl(k->evp, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) &&
		     EVP_EncryptInit_ex(k->evp, NULL, NULL, tk, NULL);
		break;
	default:
		ok = EVP_EncryptInit_ex(k->evp, evp_cipher, NULL, NULL, NULL);
		break;
	}
	EVP_CIPHER_free(evp_cipher);
	if (!ok)
		die("cannot set up %s in OpenSSL", cipher->evp_name);
}

static void tk_ctx_free(struct tk_ctx *k)
{
	EVP_CIPHER_CTX_free(k->evp);
	OPENSSL_cleanse(k->tk, sizeof(k->tk));
}

/* What the MAC header says about itself: its length, QoS, DS bits. */
struct hdr_info {
	size_t len;
	bool data, qos, a4;
	unsigned int tid;
};

static int parse_hdr(const uint8_t *h, size_t len, struct hdr_info *hi)
{
	unsigned int type;

	if (len < 24)
		return -1;
	type = (h[0] >> 2) & 3;
	if ((h[0] & 3) || type == 1 || type == 3)	/* version 0; data or management */
		return -1;
	memset(hi, 0, sizeof(*hi));
	hi->len = 24;
	hi->data = type == 2;
	if (hi->data) {
		hi->a4 = (h[1] & (FC1_TODS | FC1_FROMDS)) == (FC1_TODS | FC1_FROMDS);
		hi->qos = h[0] & 0x80;
		if (hi->a4)
			hi->len += 6;
		if (hi->qos) {
			if (len < hi->len + 2)
				return -1;
			hi->tid = h[hi->len] & 0x0f;
			hi->len += 2;
		}
	}
	if ((h[1] & FC1_ORDER) && (hi->qos || !hi->data))
		hi->len += 4;	/* HT Control */
	return len < hi->len ? -1 : 0;
}

/* AAD of CCMP and GCMP (12.5.3.3.3): the header with its mutable bits masked. */
static size_t build_aad(uint8_t *aad, const uint8_t *h, const struct hdr_info *hi)
{
	size_t n = 0;

	aad[n++] = hi->data ? h[0] & 0x8f : h[0];
	aad[n] = (h[1] & ~(FC1_RETRY | 0x10 | 0x20)) | FC1_PROTECTED;
	if (hi->qos)
		aad[n] &= ~FC1_ORDER;
	n++;
	memcpy(aad + n, h + 4, 18);	/* A1, A2, A3 */
	n += 18;
	aad[n++] = h[22] & 0x0f;	/* fragment number only */
	aad[n++] = 0;
	if (hi->a4) {
		memcpy(aad + n, h + 24, 6);
		n += 6;
	}
	if (hi->qos) {
		aad[n++] = hi->tid;
		aad[n++] = 0;
	}
	return n;
}

static void aes_frame(struct tk_ctx *k, const uint8_t *nonce, const uint8_t *aad, size_t aad_len,
		      const uint8_t *in, size_t len, uint8_t *out)
{
	const struct cipher_info *c = k->cipher;
	bool ccm = c->id == CIPHER_CCMP || c->id == CIPHER_CCMP_256;
	int outl, finl;

	if (!EVP_EncryptInit_ex(k->evp, NULL, NULL, NULL, nonce) ||
	    (ccm && !EVP_EncryptUpdate(k->evp, NULL, &outl, NULL, (int)len)) ||
	    !EVP_EncryptUpdate(k->evp, NULL, &outl, aad, (int)aad_len) ||
	    !EVP_EncryptUpdate(k->evp, out, &outl, in, (int)len) ||
	    !EVP_EncryptFinal_ex(k->evp, out + outl, &finl) ||
	    !EVP_CIPHER_CTX_ctrl(k->evp, ccm ? EVP_CTRL_CCM_GET_TAG : EVP_CTRL_GCM_GET_TAG,
				 c->mic_len, out + len))
		die("%s encryption failed in OpenSSL", c->evp_name);
}

/* The MSDU's DA and SA, from the DS bits (for Michael). */
static void msdu_addrs(const uint8_t *h, const uint8_t **da, const uint8_t **sa)
{
	switch (h[1] & (FC1_TODS | FC1_FROMDS)) {
	case FC1_TODS:
		*da = h + 16;
		*sa = h + 10;
		break;
	case FC1_FROMDS:
		*da = h + 4;
		*sa = h + 16;
		break;
	case FC1_TODS | FC1_FROMDS:
		*da = h + 16;
		*sa = h + 24;
		break;
	default:
		*da = h + 4;
		*sa = h + 10;
	}
}

static void tkip_frame(struct tk_ctx *k, const uint8_t *h, const struct hdr_info *hi, uint64_t pn,
		       const uint8_t *in, size_t len, uint8_t *out)
{
	/* The AP's frames use the authenticator's TX Michael key, the station's the other. */
	const uint8_t *mic_key = k->tk + ((h[1] & FC1_FROMDS) ? 16 : 24);
	const uint8_t *da, *sa;
	uint8_t prio[4] = { hi->tid }, rc4_key[16];
	uint16_t ttak[5];
	struct michael m;
	int outl;

	msdu_addrs(h, &da, &sa);
	michael_init(&m, mic_key);
	michael_update(&m, da, 6);
	michael_update(&m, sa, 6);
	michael_update(&m, prio, 4);
	michael_update(&m, in, len);
	memcpy(out, in, len);
	michael_final(&m, out + len);
	put_le32(out + len + 8, (uint32_t)crc32(0, out, len + 8));	/* ICV */

	tkip_phase1(ttak, k->tk, h + 10, (uint32_t)(pn >> 16));
	tkip_phase2(rc4_key, ttak, k->tk, (uint16_t)pn);
	if (!EVP_EncryptInit_ex(k->evp, NULL, NULL, rc4_key, NULL) ||
	    !EVP_EncryptUpdate(k->evp, out, &outl, out, (int)len + 12))
		die("RC4 failed in OpenSSL");
	OPENSSL_cleanse(rc4_key, sizeof(rc4_key));
}

/*
 * Protect an MPDU in place: frame[0..hdr) is the MAC header, the plaintext body follows it.
 * Writes the security header (key ID 0, PN), the encrypted body and the MIC; returns the
 * MPDU's new length. The header is left as it is (the caller sets Protected).
 */
static size_t protect_mpdu(struct tk_ctx *k, uint8_t *frame, size_t len, uint64_t pn)
{
	static uint8_t body[MSDU_MAX + 64];
	const struct cipher_info *c = k->cipher;
	struct hdr_info hi;
	uint8_t aad[32], nonce[13], *sec;
	size_t body_len;

	if (parse_hdr(frame, len, &hi) || len - hi.len > MSDU_MAX)
		die("internal error: cannot protect a %zu-byte frame", len);
	body_len = len - hi.len;
	memcpy(body, frame + hi.len, body_len);
	sec = frame + hi.len;
	if (c->id == CIPHER_TKIP) {
		sec[0] = pn >> 8;
		sec[1] = ((pn >> 8) | 0x20) & 0x7f;	/* WEP seed, avoids weak RC4 keys */
		sec[2] = pn;
	} else {
		sec[0] = pn;
		sec[1] = pn >> 8;
		sec[2] = 0;
	}
	sec[3] = EXT_IV;	/* key ID 0 */
	for (int i = 0; i < 4; i++)
		sec[4 + i] = pn >> (16 + 8 * i);

	if (c->id == CIPHER_TKIP) {
		tkip_frame(k, frame, &hi, pn, body, body_len, sec + 8);
	} else {
		size_t aad_len = build_aad(aad, frame, &hi);
		size_t n = 0;

		if (c->id == CIPHER_CCMP || c->id == CIPHER_CCMP_256)
			nonce[n++] = hi.tid | (hi.data ? 0 : 0x10);
		memcpy(nonce + n, frame + 10, 6);
		n += 6;
		for (int i = 5; i >= 0; i--)
			nonce[n++] = pn >> (8 * i);
		aes_frame(k, nonce, aad, aad_len, body, body_len, sec + 8);
	}
	return hi.len + 8 + body_len + c->mic_len;
}

/* --- The network: one AP, its stations, their keys ------------------------------------------ */

enum direction { UP, DOWN };	/* UP: station -> AP (ToDS); DOWN: AP -> station (FromDS) */

struct station {
	uint8_t mac[6];
	uint8_t ip[4];
	uint16_t aid;
	uint8_t anonce[NONCE_LEN], snonce[NONCE_LEN];
	uint8_t ptk[PTK_MAX];	/* KCK | KEK | TK */
	struct tk_ctx key;
	uint64_t next_pn[2];	/* per transmitter: the station's own, and the AP's to it */
	uint16_t qos_seq[2][MAX_TIDS];
	uint16_t seq;		/* the station's non-QoS sequence number */
	uint32_t flow_frames[2];
};

struct options {
	const char *out, *keys_out, *plain_out;
	unsigned long frames;
	unsigned int stations;
	unsigned int sizes[MAX_SIZES], n_sizes;
	unsigned int tids[MAX_TIDS], n_tids;
	const struct cipher_info *cipher;
	const char *passphrase, *ssid;
	uint64_t seed;
	double retransmit_rate;
	bool icmp;
	int linktype;
};

/* An output file written beside its final name and renamed into place once complete. */
struct outfile {
	const char *path;
	char *tmp;
	FILE *f;
	pcap_dumper_t *dump;
};

#define MAX_OUTFILES 3
static struct outfile *pending[MAX_OUTFILES];

/* A run that fails leaves no partial file behind. */
static void remove_pending(void)
{
	for (int i = 0; i < MAX_OUTFILES; i++)
		if (pending[i] && pending[i]->tmp)
			unlink(pending[i]->tmp);
}

static void outfile_open(struct outfile *o, const char *path, mode_t mode)
{
	mode_t mask = umask(0);
	int fd, slot;

	umask(mask);
	o->path = path;
	if (asprintf(&o->tmp, "%s.capgen-XXXXXX", path) < 0)
		die("out of memory");
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		die("cannot create %s: %s", path, strerror(errno));
	}
	for (slot = 0; pending[slot]; slot++)
		;
	pending[slot] = o;
	if (fchmod(fd, mode & ~mask) < 0 || !(o->f = fdopen(fd, "wb")))
		die("cannot create %s: %s", path, strerror(errno));
}

/* Flush and close; a write error (a full disk) fails the run. */
static void outfile_close(struct outfile *o)
{
	bool bad;

	if (o->dump) {
		bad = pcap_dump_flush(o->dump) < 0 || ferror(o->f);
		pcap_dump_close(o->dump);	/* closes o->f */
	} else {
		bad = ferror(o->f) != 0;
		bad |= fclose(o->f) != 0;
	}
	o->f = NULL;
	o->dump = NULL;
	if (bad)
		die("cannot write %s: %s", o->path, strerror(errno ? errno : EIO));
}

static void outfile_commit(struct outfile *o)
{
	if (rename(o->tmp, o->path) < 0)
		die("cannot rename %s to %s: %s", o->tmp, o->path, strerror(errno));
	free(o->tmp);
	o->tmp = NULL;
}

static void outfile_pcap(struct outfile *o, int linktype)
{
	pcap_t *dead = pcap_open_dead(linktype, 65535);

	if (!dead || !(o->dump = pcap_dump_fopen(dead, o->f)))
		die("cannot start the pcap file %s: %s", o->path,
		    dead ? pcap_geterr(dead) : "out of memory");
	pcap_close(dead);
}

struct gen {
	const struct options *opt;
	const struct cipher_info *cipher;
	struct station *sta;
	uint8_t bssid[6], gateway[6], server_ip[4];
	uint8_t pmk[PMK_LEN], gtk[32];
	uint16_t ap_seq;	/* the AP's non-QoS sequence number */
	struct rng setup, traffic;
	struct outfile out, plain, keys;
	uint64_t now_us, next_beacon_us;
	/* Frames are built past RADIOTAP_LEN bytes of headroom; beacons in their own buffer,
	 * as one may go out between a frame and its retransmission. */
	uint8_t buf[FRAME_BUF], beacon_buf[FRAME_BUF];
	uint8_t eth[FRAME_BUF];
	/* What was written. */
	uint64_t frames, bytes, data_frames, retransmissions, other_frames;
};

#define FRAME(buf) ((buf) + RADIOTAP_LEN)

/*
 * Radiotap: Flags (no FCS), Rate 54 Mb/s, Channel 6 (2437 MHz, OFDM), antenna signal -45 dBm,
 * antenna 0: what a monitor-mode NIC puts in front of a received frame.
 */
static void put_radiotap(uint8_t *p)
{
	static const uint8_t rt[RADIOTAP_LEN] = {
		0x00, 0x00, RADIOTAP_LEN, 0x00, 0x2e, 0x08, 0x00, 0x00,
		0x00, 0x6c, 0x85, 0x09, 0x40, 0x01, 0xd3, 0x00,
	};

	memcpy(p, rt, sizeof(rt));
}

static void write_record(pcap_dumper_t *d, uint64_t t_us, const uint8_t *p, size_t len)
{
	struct pcap_pkthdr h = {
		.ts = { .tv_sec = START_SEC + t_us / 1000000, .tv_usec = t_us % 1000000 },
		.caplen = len,
		.len = len,
	};

	pcap_dump((u_char *)d, &h, p);
}

static void emit_at(struct gen *g, uint64_t t_us, uint8_t *buf, size_t len)
{
	uint8_t *p = FRAME(buf);

	if (g->opt->linktype == DLT_IEEE802_11_RADIO) {
		p -= RADIOTAP_LEN;
		len += RADIOTAP_LEN;
		put_radiotap(p);
	}
	write_record(g->out.dump, t_us, p, len);
	g->frames++;
	g->bytes += len;
}

static size_t put_hdr(uint8_t *p, uint8_t fc0, uint8_t fc1, uint16_t duration, const uint8_t *a1,
		      const uint8_t *a2, const uint8_t *a3, uint16_t *seq)
{
	p[0] = fc0;
	p[1] = fc1;
	put_le16(p + 2, duration);
	memcpy(p + 4, a1, 6);
	memcpy(p + 10, a2, 6);
	memcpy(p + 16, a3, 6);
	put_le16(p + 22, (uint16_t)(*seq << 4));
	*seq = (*seq + 1) & 0xfff;
	return 24;
}

static size_t put_ie(uint8_t *p, uint8_t id, const void *data, size_t len)
{
	p[0] = id;
	p[1] = len;
	memcpy(p + 2, data, len);
	return 2 + len;
}

/* The RSN element (WPA2: group = pairwise = the cipher, AKM PSK) or WPA's vendor element. */
static size_t put_security_ie(const struct gen *g, uint8_t *p)
{
	static const uint8_t wpa[] = {
		0xdd, 0x16, 0x00, 0x50, 0xf2, 0x01, 0x01, 0x00, 0x00, 0x50, 0xf2, 0x02,
		0x01, 0x00, 0x00, 0x50, 0xf2, 0x02, 0x01, 0x00, 0x00, 0x50, 0xf2, 0x02,
	};
	uint8_t s = g->cipher->suite;
	const uint8_t rsn[] = {
		0x30, 0x14, 0x01, 0x00, 0x00, 0x0f, 0xac, s, 0x01, 0x00, 0x00, 0x0f, 0xac, s,
		0x01, 0x00, 0x00, 0x0f, 0xac, 0x02, 0x00, 0x00,
	};

	if (g->cipher->wpa1) {
		memcpy(p, wpa, sizeof(wpa));
		return sizeof(wpa);
	}
	memcpy(p, rsn, sizeof(rsn));
	return sizeof(rsn);
}

static const uint8_t rates[] = { 0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24 };
static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void emit_beacon(struct gen *g, uint64_t t_us)
{
	static const uint8_t ds[] = { 6 }, tim[] = { 0, 1, 0, 0 };
	uint8_t *p = FRAME(g->beacon_buf);
	size_t n = put_hdr(p, 0x80, 0, 0, broadcast, g->bssid, g->bssid, &g->ap_seq);

	for (int i = 0; i < 8; i++)
		p[n + i] = t_us >> (8 * i);	/* TSF */
	n += 8;
	put_le16(p + n, 100);	/* beacon interval, TUs */
	put_le16(p + n + 2, 0x0411);	/* ESS, Privacy, short slot time */
	n += 4;
	n += put_ie(p + n, 0, g->opt->ssid, strlen(g->opt->ssid));
	n += put_ie(p + n, 1, rates, sizeof(rates));
	n += put_ie(p + n, 3, ds, sizeof(ds));
	n += put_ie(p + n, 5, tim, sizeof(tim));
	n += put_security_ie(g, p + n);
	emit_at(g, t_us, g->beacon_buf, n);
	g->other_frames++;
}

/* Move the clock on; beacons due before the new time go out first. */
static void advance(struct gen *g, uint64_t gap_us)
{
	g->now_us += gap_us;
	while (g->next_beacon_us < g->now_us) {
		emit_beacon(g, g->next_beacon_us);
		g->next_beacon_us += BEACON_INTERVAL_US;
	}
}

static void emit(struct gen *g, size_t len)
{
	emit_at(g, g->now_us, g->buf, len);
}

/* --- Association and the 4-way handshake ---------------------------------------------------- */

static void emit_auth(struct gen *g, struct station *st, bool from_ap)
{
	uint8_t *p = FRAME(g->buf);
	size_t n = from_ap ? put_hdr(p, 0xb0, 0, 0x013a, st->mac, g->bssid, g->bssid, &g->ap_seq)
			   : put_hdr(p, 0xb0, 0, 0x013a, g->bssid, st->mac, g->bssid, &st->seq);

	put_le16(p + n, 0);	/* open system */
	put_le16(p + n + 2, from_ap ? 2 : 1);
	put_le16(p + n + 4, 0);	/* success */
	emit(g, n + 6);
	g->other_frames++;
}

static void emit_assoc(struct gen *g, struct station *st, bool from_ap)
{
	uint8_t *p = FRAME(g->buf);
	const char *ssid = g->opt->ssid;
	size_t n;

	if (from_ap) {
		n = put_hdr(p, 0x10, 0, 0x013a, st->mac, g->bssid, g->bssid, &g->ap_seq);
		put_le16(p + n, 0x0411);
		put_le16(p + n + 2, 0);	/* success */
		put_le16(p + n + 4, 0xc000 | st->aid);
		n += 6;
		n += put_ie(p + n, 1, rates, sizeof(rates));
	} else {
		n = put_hdr(p, 0x00, 0, 0x013a, g->bssid, st->mac, g->bssid, &st->seq);
		put_le16(p + n, 0x0411);
		put_le16(p + n + 2, 10);	/* listen interval */
		n += 4;
		n += put_ie(p + n, 0, ssid, strlen(ssid));
		n += put_ie(p + n, 1, rates, sizeof(rates));
		n += put_security_ie(g, p + n);
	}
	emit(g, n);
	g->other_frames++;
}

/* EAPOL-Key frame layout (802.11-2016 12.7.2), offsets from the 802.1X header. */
#define EK_INFO 5
#define EK_KEY_LEN 7
#define EK_REPLAY 9
#define EK_NONCE 17
#define EK_MIC 81
#define EK_DATA_LEN 97
#define EK_DATA 99

#define KI_PAIRWISE 0x0008
#define KI_INSTALL 0x0040
#define KI_ACK 0x0080
#define KI_MIC 0x0100
#define KI_SECURE 0x0200
#define KI_ENCRYPTED 0x1000

/* RFC 3394 key wrap with the KEK (OpenSSL's AES-128-WRAP, default IV A6A6A6A6A6A6A6A6). */
static size_t aes_wrap(const uint8_t kek[KEK_LEN], const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER *wrap = fetch_cipher("AES-128-WRAP");
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl = 0, finl = 0;
	bool ok;

	if (!ctx)
		die("out of memory");
	EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
	ok = EVP_EncryptInit_ex(ctx, wrap, NULL, kek, NULL) &&
	     EVP_EncryptUpdate(ctx, out, &outl, in, (int)len) &&
	     EVP_EncryptFinal_ex(ctx, out + outl, &finl);
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(wrap);
	if (!ok || (size_t)(outl + finl) != len + 8)
		die("AES key wrap failed in OpenSSL");
	return len + 8;
}

/* Message 3's key data (WPA2): the AP's RSN element and the GTK KDE, padded, wrapped. */
static size_t put_msg3_key_data(const struct gen *g, const struct station *st, uint8_t *out)
{
	uint8_t plain[128];
	size_t gtk_len = g->cipher->tk_len, n;

	n = put_security_ie(g, plain);
	plain[n++] = 0xdd;	/* GTK KDE: 00-0f-ac:1, key ID 1, not for transmit */
	plain[n++] = 4 + 2 + gtk_len;
	plain[n++] = 0x00;
	plain[n++] = 0x0f;
	plain[n++] = 0xac;
	plain[n++] = 0x01;
	plain[n++] = 0x01;
	plain[n++] = 0x00;
	memcpy(plain + n, g->gtk, gtk_len);
	n += gtk_len;
	/* Key wrap wants whole 8-byte blocks, at least two: pad with dd 00 ... (12.7.2). */
	if (n % 8 || n < 16) {
		plain[n++] = 0xdd;
		while (n % 8 || n < 16)
			plain[n++] = 0;
	}
	n = aes_wrap(st->ptk + KCK_LEN, plain, n, out);
	OPENSSL_cleanse(plain, sizeof(plain));
	return n;
}

/* EAPOL-Key message 1-4 of the station's handshake, MIC included; returns its length. */
static size_t build_eapol(const struct gen *g, const struct station *st, int msg, uint8_t *e)
{
	bool wpa1 = g->cipher->wpa1;
	uint16_t info = (wpa1 ? 1 : 2) | KI_PAIRWISE;
	size_t data_len = 0;
	unsigned char mic[EVP_MAX_MD_SIZE];
	unsigned int mic_len;

	memset(e, 0, EK_DATA);
	switch (msg) {
	case 1:
		info |= KI_ACK;
		break;
	case 2:
		info |= KI_MIC;
		data_len = put_security_ie(g, e + EK_DATA);
		break;
	case 3:
		info |= KI_INSTALL | KI_ACK | KI_MIC;
		if (wpa1) {
			data_len = put_security_ie(g, e + EK_DATA);
		} else {
			info |= KI_SECURE | KI_ENCRYPTED;
			data_len = put_msg3_key_data(g, st, e + EK_DATA);
		}
		break;
	default:
		info |= KI_MIC | (wpa1 ? 0 : KI_SECURE);
		break;
	}
	e[0] = wpa1 ? 1 : 2;	/* 802.1X version */
	e[1] = 3;		/* EAPOL-Key */
	put_be16(e + 2, (uint16_t)(EK_DATA - 4 + data_len));
	e[4] = wpa1 ? 254 : 2;	/* descriptor type: WPA or RSN */
	put_be16(e + EK_INFO, info);
	/* The AP names the pairwise key's length; an RSN station leaves it 0. */
	put_be16(e + EK_KEY_LEN, (msg & 1) || wpa1 ? g->cipher->tk_len : 0);
	put_be64(e + EK_REPLAY, msg <= 2 ? 1 : 2);
	if (msg != 4)
		memcpy(e + EK_NONCE, msg == 2 ? st->snonce : st->anonce, NONCE_LEN);
	put_be16(e + EK_DATA_LEN, (uint16_t)data_len);
	if (info & KI_MIC) {
		if (!HMAC(wpa1 ? EVP_md5() : EVP_sha1(), st->ptk, KCK_LEN, e, EK_DATA + data_len,
			  mic, &mic_len))
			die("EAPOL-Key MIC failed in OpenSSL");
		memcpy(e + EK_MIC, mic, EAPOL_MIC_LEN);
	}
	return EK_DATA + data_len;
}

static const uint8_t llc_eapol[LLC_SNAP_LEN] = { 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x88, 0x8e };

static void emit_eapol(struct gen *g, struct station *st, int msg)
{
	uint8_t *p = FRAME(g->buf);
	bool from_ap = msg & 1;
	size_t n = from_ap ? put_hdr(p, 0x08, FC1_FROMDS, 0x002c, st->mac, g->bssid, g->bssid,
				     &g->ap_seq)
			   : put_hdr(p, 0x08, FC1_TODS, 0x002c, g->bssid, st->mac, g->bssid,
				     &st->seq);

	memcpy(p + n, llc_eapol, LLC_SNAP_LEN);
	n += LLC_SNAP_LEN;
	n += build_eapol(g, st, msg, p + n);
	emit(g, n);
	g->other_frames++;
}

static void associate(struct gen *g, struct station *st)
{
	emit_auth(g, st, false);
	advance(g, HANDSHAKE_GAP_US);
	emit_auth(g, st, true);
	advance(g, HANDSHAKE_GAP_US);
	emit_assoc(g, st, false);
	advance(g, HANDSHAKE_GAP_US);
	emit_assoc(g, st, true);
	for (int msg = 1; msg <= 4; msg++) {
		advance(g, HANDSHAKE_GAP_US);
		emit_eapol(g, st, msg);
	}
}

/* --- Protected data ------------------------------------------------------------------------- */

#define UDP_DISCARD_PORT 9
#define UDP_CLIENT_PORT 49152

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * An IPv4 packet of `size` bytes between the station and a server behind the AP: UDP to or
 * from the discard port, or an ICMP echo request (up) / reply (down). Its payload opens with a
 * marker a test can check after decryption: "CG", 1, direction, station index (BE16), TID, 0,
 * the data frame's index in the capture (BE32), its index in the station's direction (BE32);
 * then byte k of the rest is (index + k) mod 256.
 */
static void build_ip(const struct gen *g, const struct station *st, unsigned int sta_index,
		     enum direction dir, unsigned int tid, unsigned int size, uint32_t index,
		     uint8_t *ip)
{
	bool icmp = g->opt->icmp;
	uint32_t flow_index = st->flow_frames[dir];
	uint8_t *l4 = ip + 20, *payload = l4 + 8;
	unsigned int payload_len = size - 28;

	ip[0] = 0x45;
	ip[1] = 0;
	put_be16(ip + 2, (uint16_t)size);
	put_be16(ip + 4, (uint16_t)flow_index);	/* identification */
	put_be16(ip + 6, 0x4000);	/* don't fragment */
	ip[8] = 64;
	ip[9] = icmp ? 1 : 17;
	put_be16(ip + 10, 0);
	memcpy(ip + 12, dir == UP ? st->ip : g->server_ip, 4);
	memcpy(ip + 16, dir == UP ? g->server_ip : st->ip, 4);
	put_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));

	payload[0] = 'C';
	payload[1] = 'G';
	payload[2] = 1;
	payload[3] = dir;
	put_be16(payload + 4, (uint16_t)sta_index);
	payload[6] = tid;
	payload[7] = 0;
	put_be32(payload + 8, index);
	put_be32(payload + 12, flow_index);
	for (unsigned int k = 0; k < payload_len - MARKER_LEN; k++)
		payload[MARKER_LEN + k] = (uint8_t)(index + k);

	if (icmp) {
		l4[0] = dir == UP ? 8 : 0;	/* echo request, echo reply */
		l4[1] = 0;
		put_be16(l4 + 2, 0);
		put_be16(l4 + 4, (uint16_t)(sta_index + 1));
		put_be16(l4 + 6, (uint16_t)flow_index);
		put_be16(l4 + 2, csum_fold(csum_add(0, l4, size - 20)));
	} else {
		uint16_t client = UDP_CLIENT_PORT + sta_index;
		uint8_t pseudo[12];
		uint16_t sum;

		put_be16(l4, dir == UP ? client : UDP_DISCARD_PORT);
		put_be16(l4 + 2, dir == UP ? UDP_DISCARD_PORT : client);
		put_be16(l4 + 4, (uint16_t)(size - 20));
		put_be16(l4 + 6, 0);
		memcpy(pseudo, ip + 12, 8);
		pseudo[8] = 0;
		pseudo[9] = 17;
		put_be16(pseudo + 10, (uint16_t)(size - 20));
		sum = csum_fold(csum_add(csum_add(0, pseudo, sizeof(pseudo)), l4, size - 20));
		put_be16(l4 + 6, sum ? sum : 0xffff);
	}
}

static const uint8_t llc_ipv4[LLC_SNAP_LEN] = { 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00 };

/*
 * One protected QoS data frame between a station and the AP (and, with --plain-out, the same
 * MSDU as the Ethernet frame a decryptor should recover); a retransmission repeats it with
 * Retry set: same sequence number, same PN.
 */
static void emit_data(struct gen *g, unsigned int sta_index, enum direction dir, unsigned int tid,
		      unsigned int size, bool retransmit)
{
	struct station *st = &g->sta[sta_index];
	uint8_t *p = FRAME(g->buf), *ip;
	uint16_t *seq = &st->qos_seq[dir][tid];
	uint32_t index = (uint32_t)g->data_frames;
	size_t n;

	if (dir == UP)
		n = put_hdr(p, 0x88, FC1_TODS | FC1_PROTECTED, 0x002c, g->bssid, st->mac,
			    g->gateway, seq);
	else
		n = put_hdr(p, 0x88, FC1_FROMDS | FC1_PROTECTED, 0x002c, st->mac, g->bssid,
			    g->gateway, seq);
	p[n++] = tid;	/* QoS Control: TID, normal ack */
	p[n++] = 0;
	memcpy(p + n, llc_ipv4, LLC_SNAP_LEN);
	ip = p + n + LLC_SNAP_LEN;
	build_ip(g, st, sta_index, dir, tid, size, index, ip);
	if (g->plain.dump) {
		memcpy(g->eth, dir == UP ? g->gateway : st->mac, 6);
		memcpy(g->eth + 6, dir == UP ? st->mac : g->gateway, 6);
		put_be16(g->eth + 12, 0x0800);
		memcpy(g->eth + 14, ip, size);
		write_record(g->plain.dump, g->now_us, g->eth, 14 + size);
	}
	if (st->next_pn[dir] > PN_MAX)
		die("station %u ran out of PNs", sta_index);
	n = protect_mpdu(&st->key, p, n + LLC_SNAP_LEN + size, st->next_pn[dir]++);
	st->flow_frames[dir]++;
	emit(g, n);
	g->data_frames++;
	if (retransmit) {
		advance(g, FRAME_GAP_US);
		p[1] |= FC1_RETRY;
		emit(g, n);
		g->retransmissions++;
	}
}

/* --- Setting up and running ------------------------------------------------------------------ */

static bool mac_taken(const struct gen *g, unsigned int n, const uint8_t mac[6])
{
	if (!memcmp(mac, g->bssid, 6) || !memcmp(mac, g->gateway, 6))
		return true;
	for (unsigned int i = 0; i < n; i++)
		if (!memcmp(mac, g->sta[i].mac, 6))
			return true;
	return false;
}

/*
 * Addresses, nonces and the GTK come from the seed alone (not from --frames or --sizes), so
 * captures of one seed share their keys. PTK = PRF(PMK, ...) for each station.
 */
static void setup_network(struct gen *g)
{
	const struct options *o = g->opt;
	const struct cipher_info *c = g->cipher;
	static const uint8_t server_ip[4] = { 192, 0, 2, 1 };

	rng_seed(&g->setup, o->seed, 1);
	rng_seed(&g->traffic, o->seed, 2);
	if (!PKCS5_PBKDF2_HMAC_SHA1(o->passphrase, (int)strlen(o->passphrase),
				    (const unsigned char *)o->ssid, (int)strlen(o->ssid), 4096,
				    PMK_LEN, g->pmk))
		die("PBKDF2 failed in OpenSSL");
	rng_mac(&g->setup, g->bssid);
	do
		rng_mac(&g->setup, g->gateway);
	while (!memcmp(g->gateway, g->bssid, 6));
	memcpy(g->server_ip, server_ip, 4);
	rng_bytes(&g->setup, g->gtk, sizeof(g->gtk));	/* all 32, so every cipher gets the same MACs */
	g->sta = calloc(o->stations, sizeof(*g->sta));
	if (!g->sta)
		die("out of memory");
	for (unsigned int i = 0; i < o->stations; i++) {
		struct station *st = &g->sta[i];
		unsigned int host = i + 2;	/* 10.0.0.1 is the gateway's */

		do
			rng_mac(&g->setup, st->mac);
		while (mac_taken(g, i, st->mac));
		st->ip[0] = 10;
		st->ip[1] = 0;
		st->ip[2] = host >> 8;
		st->ip[3] = host;
		st->aid = i + 1;
		rng_bytes(&g->setup, st->anonce, NONCE_LEN);
		rng_bytes(&g->setup, st->snonce, NONCE_LEN);
		derive_ptk(st->ptk, KCK_LEN + KEK_LEN + c->tk_len, g->pmk, g->bssid, st->mac,
			   st->anonce, st->snonce);
		tk_ctx_init(&st->key, c, st->ptk + KCK_LEN + KEK_LEN);
		st->next_pn[UP] = st->next_pn[DOWN] = 1;
	}
}

static void free_network(struct gen *g)
{
	for (unsigned int i = 0; i < g->opt->stations; i++) {
		tk_ctx_free(&g->sta[i].key);
		OPENSSL_cleanse(g->sta[i].ptk, PTK_MAX);
	}
	free(g->sta);
	OPENSSL_cleanse(g->pmk, sizeof(g->pmk));
	OPENSSL_cleanse(g->gtk, sizeof(g->gtk));
}

static void print_mac(FILE *f, const uint8_t mac[6])
{
	fprintf(f, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		mac[5]);
}

/* One line per station, PEER=CIPHER:HEXKEY: the argument of `dot11xdp decrypt --key`. */
static void write_keys(struct gen *g, const char *path)
{
	struct outfile *o = &g->keys;

	outfile_open(o, path, 0600);
	for (unsigned int i = 0; i < g->opt->stations; i++) {
		const struct station *st = &g->sta[i];

		print_mac(o->f, st->mac);
		fprintf(o->f, "=%s:", g->cipher->name);
		for (unsigned int k = 0; k < g->cipher->tk_len; k++)
			fprintf(o->f, "%02x", st->ptk[KCK_LEN + KEK_LEN + k]);
		fputc('\n', o->f);
	}
	outfile_close(o);
}

static void generate(struct gen *g)
{
	const struct options *o = g->opt;

	emit_beacon(g, 0);
	g->next_beacon_us = BEACON_INTERVAL_US;
	for (unsigned int i = 0; i < o->stations; i++) {
		advance(g, HANDSHAKE_GAP_US);
		associate(g, &g->sta[i]);
	}
	advance(g, DATA_START_GAP_US - FRAME_GAP_US);
	for (unsigned long i = 0; i < o->frames; i++) {
		unsigned int sta = rng_below(&g->traffic, o->stations);
		enum direction dir = rng_below(&g->traffic, 2) ? DOWN : UP;
		unsigned int size = o->sizes[rng_below(&g->traffic, o->n_sizes)];
		unsigned int tid = o->tids[rng_below(&g->traffic, o->n_tids)];
		bool retransmit = o->retransmit_rate > 0 &&
				  rng_unit(&g->traffic) < o->retransmit_rate;

		advance(g, FRAME_GAP_US);
		emit_data(g, sta, dir, tid, size, retransmit);
	}
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* TKIP's RC4 lives in OpenSSL's legacy provider; loading one provider means loading both. */
static void load_providers(const struct cipher_info *c)
{
	if (c->id != CIPHER_TKIP)
		return;
	if (!OSSL_PROVIDER_load(NULL, "legacy"))
		die("cannot load OpenSSL's legacy provider (RC4, for TKIP): is ossl-modules/legacy.so installed?");
	if (!OSSL_PROVIDER_load(NULL, "default"))
		die("cannot load OpenSSL's default provider");
}

/* --- Command line ---------------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s -o OUT [options]\n"
		"       %s mpdu CIPHER TK PN MPDU\n"
		"\n"
		"Writes a pcap of one AP and its stations: per station authentication, association and\n"
		"a WPA2 (WPA for tkip) 4-way handshake from the passphrase and SSID, then protected\n"
		"QoS data frames both ways, encrypted with OpenSSL. Same seed, same file.\n"
		"\n"
		"  -o, --output FILE          the capture (required)\n"
		"  -n, --frames N             protected data frames, retransmissions not counted (1000)\n"
		"  -s, --stations N           stations, 1 to %d (4)\n"
		"  -z, --sizes LIST           IPv4 packet sizes, %d to %d, picked at random per frame\n"
		"                             (repeat one to weight it) (256,1500)\n"
		"  -c, --cipher C             ccmp, ccmp-256, gcmp, gcmp-256 or tkip (ccmp)\n"
		"  -p, --passphrase P         8 to 63 printable ASCII characters (dot11xdp-capgen)\n"
		"  -e, --ssid S               1 to 32 bytes (dot11xdp)\n"
		"  -S, --seed N               addresses, nonces, GTK and traffic (1)\n"
		"  -r, --retransmit-rate F    fraction of data frames sent again with Retry set and\n"
		"                             the same PN, 0 to 1 (0)\n"
		"  -t, --tid LIST             TIDs, 0 to 15, picked at random per frame (0)\n"
		"  -P, --proto udp|icmp       UDP to/from the discard port, or ICMP echo (udp)\n"
		"  -l, --linktype radiotap|802.11   link type 127 or 105 (radiotap)\n"
		"  -k, --keys-out FILE        one line per station: STA=CIPHER:TK, as dot11xdp decrypt\n"
		"                             --key takes it (mode 0600)\n"
		"  -w, --plain-out FILE       each data frame's MSDU once, as an Ethernet frame with the\n"
		"                             frame's timestamp: what a decryptor should write\n"
		"  -h, --help\n"
		"\n"
		"mpdu: encrypt one MPDU (header and plaintext body) with TK and PN (12 hex digits, PN5\n"
		"first), all in hex, and print the protected MPDU: checks capgen's framing against the\n"
		"IEEE 802.11 test vectors. TKIP's TK: TK, Michael key AP->STA, Michael key STA->AP.\n",
		prog, prog, MAX_STATIONS, IP_MIN, IP_MAX);
}

/* A command line that cannot be understood: one line, exit status 2. */
static void bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (%s --help)\n", prog);
	exit(2);
}

static unsigned long parse_ulong(const char *opt, const char *s, unsigned long min,
				 unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (!isdigit((unsigned char)s[0]) || *end || errno || v < min || v > max)
		bad_usage("%s: '%s' is not a number from %lu to %lu", opt, s, min, max);
	return v;
}

static unsigned int parse_list(const char *opt, const char *s, unsigned int *out,
			       unsigned int max_items, unsigned long min, unsigned long max)
{
	char *copy = strdup(s), *save = NULL, *item;
	unsigned int n = 0;

	if (!copy)
		die("out of memory");
	if (!*s || s[strlen(s) - 1] == ',' || strstr(s, ",,") || s[0] == ',')
		bad_usage("%s: '%s' is not a comma-separated list of numbers", opt, s);
	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		if (n == max_items)
			bad_usage("%s: more than %u items", opt, max_items);
		out[n++] = (unsigned int)parse_ulong(opt, item, min, max);
	}
	free(copy);
	return n;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "frames", required_argument, NULL, 'n' },
		{ "stations", required_argument, NULL, 's' },
		{ "sizes", required_argument, NULL, 'z' },
		{ "cipher", required_argument, NULL, 'c' },
		{ "passphrase", required_argument, NULL, 'p' },
		{ "ssid", required_argument, NULL, 'e' },
		{ "seed", required_argument, NULL, 'S' },
		{ "retransmit-rate", required_argument, NULL, 'r' },
		{ "tid", required_argument, NULL, 't' },
		{ "proto", required_argument, NULL, 'P' },
		{ "linktype", required_argument, NULL, 'l' },
		{ "keys-out", required_argument, NULL, 'k' },
		{ "plain-out", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	char *end;
	int c;

	*o = (struct options){
		.frames = 1000,
		.stations = 4,
		.sizes = { 256, 1500 },
		.n_sizes = 2,
		.tids = { 0 },
		.n_tids = 1,
		.cipher = &ciphers[0],
		.passphrase = "dot11xdp-capgen",
		.ssid = "dot11xdp",
		.seed = 1,
		.linktype = DLT_IEEE802_11_RADIO,
	};
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:n:s:z:c:p:e:S:r:t:P:l:k:w:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->out = optarg;
			break;
		case 'n':
			o->frames = parse_ulong("--frames", optarg, 0, 1000000000);
			break;
		case 's':
			o->stations = (unsigned int)parse_ulong("--stations", optarg, 1, MAX_STATIONS);
			break;
		case 'z':
			o->n_sizes = parse_list("--sizes", optarg, o->sizes, MAX_SIZES, IP_MIN, IP_MAX);
			break;
		case 'c':
			o->cipher = cipher_by_name(optarg);
			if (!o->cipher)
				bad_usage("--cipher: unknown cipher '%s' (ccmp, ccmp-256, gcmp, gcmp-256, tkip)",
					  optarg);
			break;
		case 'p':
			o->passphrase = optarg;
			break;
		case 'e':
			o->ssid = optarg;
			break;
		case 'S':
			errno = 0;
			o->seed = strtoull(optarg, &end, 0);
			if (!isdigit((unsigned char)optarg[0]) || *end || errno)
				bad_usage("--seed: '%s' is not a number from 0 to 2^64-1", optarg);
			break;
		case 'r':
			errno = 0;
			o->retransmit_rate = strtod(optarg, &end);
			if (!*optarg || *end || errno || !(o->retransmit_rate >= 0 &&
							    o->retransmit_rate <= 1))
				bad_usage("--retransmit-rate: '%s' is not a fraction from 0 to 1",
					  optarg);
			break;
		case 't':
			o->n_tids = parse_list("--tid", optarg, o->tids, MAX_TIDS, 0, 15);
			break;
		case 'P':
			if (strcmp(optarg, "udp") && strcmp(optarg, "icmp"))
				bad_usage("--proto: '%s' is neither udp nor icmp", optarg);
			o->icmp = !strcmp(optarg, "icmp");
			break;
		case 'l':
			if (!strcmp(optarg, "radiotap") || !strcmp(optarg, "127"))
				o->linktype = DLT_IEEE802_11_RADIO;
			else if (!strcmp(optarg, "802.11") || !strcmp(optarg, "105"))
				o->linktype = DLT_IEEE802_11;
			else
				bad_usage("--linktype: '%s' is neither radiotap (127) nor 802.11 (105)",
					  optarg);
			break;
		case 'k':
			o->keys_out = optarg;
			break;
		case 'w':
			o->plain_out = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case ':':
			bad_usage("%s needs an argument", argv[optind - 1]);
			break;
		default:
			bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
	if (!o->out)
		bad_usage("no output file: -o OUT");

	size_t plen = strlen(o->passphrase), slen = strlen(o->ssid);

	if (plen < 8 || plen > 63)
		bad_usage("--passphrase: %zu characters; WPA passphrases have 8 to 63", plen);
	for (size_t i = 0; i < plen; i++)
		if (o->passphrase[i] < 32 || o->passphrase[i] > 126)
			bad_usage("--passphrase: only printable ASCII characters (32-126)");
	if (slen < 1 || slen > 32)
		bad_usage("--ssid: %zu bytes; an SSID has 1 to 32", slen);
	if ((o->keys_out && !strcmp(o->keys_out, o->out)) ||
	    (o->plain_out && !strcmp(o->plain_out, o->out)) ||
	    (o->keys_out && o->plain_out && !strcmp(o->keys_out, o->plain_out)))
		bad_usage("-o, --keys-out and --plain-out must name different files");
}

/* Hex with optional ':' or ' ' between bytes; returns the byte count or -1. */
static int parse_hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ':' || *s == ' ')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			v = (*s | 0x20) - 'a' + 10;
		else
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == max)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : -1;
}

static int cmd_mpdu(int argc, char **argv)
{
	static uint8_t frame[FRAME_BUF];
	const struct cipher_info *c;
	uint8_t tk[32], pn_bytes[6];
	struct hdr_info hi;
	struct tk_ctx k;
	uint64_t pn = 0;
	int len, tk_len, pn_len;
	size_t out_len;

	if (argc != 6)
		bad_usage("mpdu takes CIPHER TK PN MPDU");
	c = cipher_by_name(argv[2]);
	if (!c)
		bad_usage("mpdu: unknown cipher '%s' (ccmp, ccmp-256, gcmp, gcmp-256, tkip)", argv[2]);
	tk_len = parse_hex(argv[3], tk, sizeof(tk));
	if (tk_len != (int)c->tk_len)
		bad_usage("mpdu: the %s TK is %u bytes in hex", c->name, c->tk_len);
	pn_len = parse_hex(argv[4], pn_bytes, sizeof(pn_bytes));
	if (pn_len != 6)
		bad_usage("mpdu: the PN is 6 bytes in hex, PN5 first");
	for (int i = 0; i < 6; i++)
		pn = pn << 8 | pn_bytes[i];
	len = parse_hex(argv[5], frame, MSDU_MAX + 64);
	if (len < 0 || parse_hdr(frame, (size_t)len, &hi) || len - hi.len > MSDU_MAX)
		bad_usage("mpdu: MPDU is not the hex of an 802.11 data or management frame");
	load_providers(c);
	tk_ctx_init(&k, c, tk);
	out_len = protect_mpdu(&k, frame, (size_t)len, pn);
	tk_ctx_free(&k);
	OPENSSL_cleanse(tk, sizeof(tk));
	for (size_t i = 0; i < out_len; i++)
		printf("%02x", frame[i]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	static struct gen g;
	struct options o;
	double t0, elapsed;

	tkip_init_sbox();
	if (argc > 1 && !strcmp(argv[1], "mpdu"))
		return cmd_mpdu(argc, argv);
	parse_options(argc, argv, &o);
	t0 = now_seconds();
	atexit(remove_pending);
	load_providers(o.cipher);
	g.opt = &o;
	g.cipher = o.cipher;
	setup_network(&g);

	/* Every file is complete before any takes its name: a failed run leaves none. */
	if (o.keys_out)
		write_keys(&g, o.keys_out);
	outfile_open(&g.out, o.out, 0666);
	outfile_pcap(&g.out, o.linktype);
	if (o.plain_out) {
		outfile_open(&g.plain, o.plain_out, 0600);
		outfile_pcap(&g.plain, DLT_EN10MB);
	}
	generate(&g);
	outfile_close(&g.out);
	if (o.plain_out)
		outfile_close(&g.plain);
	if (o.keys_out)
		outfile_commit(&g.keys);
	if (o.plain_out)
		outfile_commit(&g.plain);
	outfile_commit(&g.out);
	elapsed = now_seconds() - t0;
	free_network(&g);

	printf("%s: %s, %u stations: %" PRIu64 " data frames, %" PRIu64 " retransmissions, %" PRIu64
	       " management and EAPOL frames; %" PRIu64 " frames, %.1f MB in %.2f s (%.0f frames/s) to %s\n",
	       prog, o.cipher->name, o.stations, g.data_frames, g.retransmissions, g.other_frames,
	       g.frames, g.bytes / 1e6, elapsed, elapsed > 0 ? g.frames / elapsed : 0.0, o.out);
	return 0;
}
