// SPDX-License-Identifier: GPL-2.0
/*
 * cipher_bench: what one frame costs on the data path, per cipher, per AES engine and per
 * payload size, single core, with OpenSSL's AEAD on the same core in the same run as the
 * reference. Not part of make test. Run as root: make bench (build/bench/cipher_bench).
 *
 * What is timed (the process pinned to one CPU; every figure in nanoseconds per frame):
 *  - xdp_decrypt and xdp_encrypt, as an adapter loads them (the table engine's builds
 *    decrypt_table and encrypt_table, the kfunc engine's decrypt and encrypt; live builds, no
 *    outcome report), on QoS data frames a station sends: capgen's, encrypted by OpenSSL
 *    (WEP-104 made here, OpenSSL's RC4 and zlib's CRC-32). Decryption is the whole receive
 *    program: radiotap and 802.11 parsing, key lookup, replay check, decryption, MIC check,
 *    header strip, counters; encryption takes the plaintext MPDU to the protected one.
 *    BPF_PROG_TEST_RUN with repeat > 1 reruns the program on the buffer the first run left
 *    decrypted (or encrypted), so a run here is a batch of distinct frames with increasing
 *    PNs, each run once (repeat = 1), the kernel's durations summed. Between runs the key is
 *    written again, which resets its replay counters and transmit PN (not timed). Every
 *    output is checked: the plaintext capgen wrote, or capgen's protected frame byte for byte.
 *  - floor: the same loops over frames the programs pass unchanged (unprotected ones; ones
 *    for a receiver without a key): the cost of a repeat = 1 run (the kernel's clock reads),
 *    parsing and counting. The figures above include it.
 *  - kfunc engine parts: the two kernel cipher calls of a CCMP-128 decryption alone
 *    (bpf/test_kfunc.bpf.c), which bound that engine.
 *  - OpenSSL: EVP AES-128/256-CCM and AES-128/256-GCM on the same payload sizes, with a
 *    QoS frame's 24-byte AAD, the key schedule made once, with AES-NI and with it masked
 *    (OPENSSL_ia32cap clears AES-NI and PCLMULQDQ: vector-permute AES, constant-time), in a
 *    child process since OpenSSL reads the mask once at start-up.
 * Each figure is the median of --runs runs with their minimum and maximum. The runs go
 * round-robin over every measurement, so a noisy moment of the machine spreads over all.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
/* libpcap's own struct bpf_insn would clash with the kernel's (linux/bpf.h). */
#define PCAP_DONT_INCLUDE_PCAP_BPF_H
#include <pcap/pcap.h>
#include <zlib.h>

#include <dot11xdp/dot11xdp_structs.h>
#include "crypto_ctx.h"
#include "material.h"
#include "decrypt.skel.h"
#include "decrypt_table.skel.h"
#include "encrypt.skel.h"
#include "encrypt_table.skel.h"
#include "test_kfunc.skel.h"
#include "../bpf/test_kfunc.h"

#define RUNS_MAX 99
#define FRAMES_MAX 10000
#define JOBS_MAX 256
#define FRAME_MAX 4096
#define LLC_SNAP_LEN 8
#define QOS_AAD_LEN 24 /* CCMP/GCMP AAD of a QoS data frame without A4 */
#define WEP104_KEY_LEN 13
#define BASE_MAX 128 /* a capgen output's path, less its extension */

static const char *prog = "cipher_bench";

/* Payload: the MSDU body (LLC/SNAP and the packet) the cipher protects. */
static const unsigned int sizes[] = { 64, 256, 1500, 2304 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))
#define SIZE_GOAL 2 /* 1,500 bytes: the size the goals name */

enum bench_cipher { CCMP_128, CCMP_256, GCMP_128, GCMP_256, TKIP, WEP_104, NCIPHERS };

static const struct cipher_desc {
	const char *name;
	const char *capgen;  /* capgen --cipher; NULL: frames made here */
	__u32 cipher;	     /* enum dot11xdp_cipher */
	unsigned int tk_len; /* bytes of key material (TKIP: TK and both Michael keys) */
	unsigned int sec_len, trailer_len;
	bool aes; /* else RC4, which does not depend on the AES engine */
} ciphers[NCIPHERS] = {
	[CCMP_128] = { "CCMP-128", "ccmp", DOT11XDP_CIPHER_CCMP, 16, 8, 8, true },
	[CCMP_256] = { "CCMP-256", "ccmp-256", DOT11XDP_CIPHER_CCMP_256, 32, 8, 16, true },
	[GCMP_128] = { "GCMP-128", "gcmp", DOT11XDP_CIPHER_GCMP, 16, 8, 16, true },
	[GCMP_256] = { "GCMP-256", "gcmp-256", DOT11XDP_CIPHER_GCMP_256, 32, 8, 16, true },
	[TKIP] = { "TKIP", "tkip", DOT11XDP_CIPHER_TKIP, 32, 8, 12, false },
	[WEP_104] = { "WEP-104", NULL, DOT11XDP_CIPHER_WEP104, 13, 4, 4, false },
};

/* OpenSSL's reference ciphers. */
enum ossl_cipher { OSSL_CCM_128, OSSL_CCM_256, OSSL_GCM_128, OSSL_GCM_256, NOSSL };

static const struct ossl_desc {
	const char *name;
	const EVP_CIPHER *(*evp)(void);
	unsigned int tag_len; /* the MIC of the 802.11 cipher on the same AES mode */
	bool gcm;
} ossl_ciphers[NOSSL] = {
	[OSSL_CCM_128] = { "AES-128-CCM", EVP_aes_128_ccm, 8, false },
	[OSSL_CCM_256] = { "AES-256-CCM", EVP_aes_256_ccm, 16, false },
	[OSSL_GCM_128] = { "AES-128-GCM", EVP_aes_128_gcm, 16, true },
	[OSSL_GCM_256] = { "AES-256-GCM", EVP_aes_256_gcm, 16, true },
};

enum op { OP_DECRYPT, OP_ENCRYPT, NOPS };
static const char *const op_names[NOPS] = { "decrypt", "encrypt" };

enum path { PATH_XDP, PATH_FLOOR, PATH_KFUNC_PART, PATH_OPENSSL };

/*
 * The kfunc engine's share of a CCMP-128 decryption (bpf/test_kfunc.bpf.c): its two bulk
 * operations over the frame's blocks, each one bpf_crypto_encrypt() call, and the copy of
 * the data in that both include.
 */
enum kfunc_part { PART_COPY, PART_CTR, PART_CBC_MAC, NPARTS };
static const char *const part_names[NPARTS] = {
	[PART_COPY] = "copy in (included below)",
	[PART_CTR] = "CTR: ecb(aes) + XOR",
	[PART_CBC_MAC] = "CBC-MAC: cbc(aes)",
};

/* Engine column: the AES engines, RC4 for TKIP and WEP, OpenSSL's two modes. */
enum engine { ENG_TABLE, ENG_KFUNC, ENG_RC4, ENG_AESNI, ENG_NO_AESNI };
static const char *const engine_names[] = { "table", "kfunc", "rc4", "AES-NI", "no AES-NI" };

struct options {
	unsigned int runs, frames;
	const char *json, *capgen, *clang;
	int cpu;
};

static struct options opt = { .runs = 15, .frames = 200, .cpu = -1 };

/* ---- odds and ends ------------------------------------------------------------------ */

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

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		die("out of memory");
	return p;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct spread {
	double median, min, max;
};

static struct spread spread_of(const double *v, unsigned int n)
{
	double sorted[RUNS_MAX];

	memcpy(sorted, v, n * sizeof(*v));
	qsort(sorted, n, sizeof(*sorted), cmp_double);
	return (struct spread){ n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
				sorted[0], sorted[n - 1] };
}

/* Payload bytes per ns * 1000 = MB/s. */
static double mb_per_s(unsigned int bytes, double ns)
{
	return bytes * 1e3 / ns;
}

/* ---- frames ------------------------------------------------------------------------- */

struct frame {
	__u8 *bytes;	/* radiotap + protected MPDU */
	__u32 len;
	__u32 rt_len;
	__u8 *plain;	/* the plaintext MPDU: MAC header (Protected clear) + payload */
	__u32 plain_len;
};

/* A station's frames of one cipher and payload size, and its key. */
struct frameset {
	struct frame *f;
	unsigned int n;
	__u8 sta[6];
	__u8 tk[32];
	unsigned int tk_len;
};

static struct frameset sets[NCIPHERS][NSIZES];
static char tmpdir[] = "/tmp/dot11xdp-bench.XXXXXX";

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void tmpdir_remove(void)
{
	nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* Header length of a data MPDU (QoS Control, A4, HT Control), as the standard lays it out. */
static __u32 mpdu_hdr_len(const __u8 *h)
{
	bool qos = h[0] & 0x80;
	__u32 len = 24;

	if ((h[1] & 3) == 3)
		len += 6;
	if (qos)
		len += 2;
	if (qos && (h[1] & 0x80))
		len += 4;
	return len;
}

/* Hex digits to bytes, up to the end of the line; returns the byte count or -1. */
static int parse_hex(const char *s, __u8 *out, size_t max)
{
	size_t n = 0;
	unsigned int v;

	for (; isxdigit(s[0]) && isxdigit(s[1]); s += 2) {
		if (n == max || sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = v;
	}
	return *s && *s != '\n' ? -1 : (int)n;
}

static void run_capgen(const char *cipher, unsigned int ip_size, unsigned int frames,
		       const char *base)
{
	char out[BASE_MAX + 8], keys[BASE_MAX + 8], plain[BASE_MAX + 8], n[16], size[16];
	int status;
	pid_t pid;

	snprintf(out, sizeof(out), "%s.pcap", base);
	snprintf(keys, sizeof(keys), "%s.keys", base);
	snprintf(plain, sizeof(plain), "%s.plain", base);
	snprintf(n, sizeof(n), "%u", frames);
	snprintf(size, sizeof(size), "%u", ip_size);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execl(opt.capgen, opt.capgen, "-o", out, "--frames", n, "--stations", "1",
		      "--sizes", size, "--cipher", cipher, "--keys-out", keys, "--plain-out", plain,
		      (char *)NULL);
		fprintf(stderr, "%s: cannot run %s: %s\n", prog, opt.capgen, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		die("%s failed for %s frames of %u bytes", opt.capgen, cipher, ip_size);
}

static pcap_t *capture_open(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);

	if (!p)
		die("%s: %s", path, err);
	return p;
}

/*
 * The first opt.frames data frames the station sent in a capgen capture, with their
 * plaintext MPDUs rebuilt from --plain-out (its Ethernet frames, one per data frame).
 */
static void load_capgen(struct frameset *set, const struct cipher_desc *c, unsigned int payload,
			const char *base)
{
	char path[BASE_MAX + 8], line[256], *eq;
	struct pcap_pkthdr *h, *ph;
	const __u8 *p, *pp;
	pcap_t *cap, *plain;
	FILE *keys;

	snprintf(path, sizeof(path), "%s.keys", base);
	keys = fopen(path, "r");
	if (!keys || !fgets(line, sizeof(line), keys) || !(eq = strchr(line, '=')) ||
	    sscanf(line, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &set->sta[0], &set->sta[1], &set->sta[2],
		   &set->sta[3], &set->sta[4], &set->sta[5]) != 6 ||
	    !strchr(eq, ':') || parse_hex(strchr(eq, ':') + 1, set->tk, sizeof(set->tk)) != (int)c->tk_len)
		die("%s: not a key line capgen writes", path);
	set->tk_len = c->tk_len;
	fclose(keys);

	snprintf(path, sizeof(path), "%s.pcap", base);
	cap = capture_open(path);
	snprintf(path, sizeof(path), "%s.plain", base);
	plain = capture_open(path);
	set->f = xcalloc(opt.frames, sizeof(*set->f));
	while (set->n < opt.frames && pcap_next_ex(cap, &h, &p) == 1) {
		struct frame *f = &set->f[set->n];
		__u32 rt_len, hdr_len, body_len;
		const __u8 *mpdu;

		if (h->caplen != h->len || h->caplen < 4)
			die("%s: a truncated frame", base);
		rt_len = p[2] | p[3] << 8;
		if (rt_len + 24 > h->caplen)
			die("%s: a truncated frame", base);
		mpdu = p + rt_len;
		/* Protected data frames only: beacons, handshakes and EAPOL have no plaintext. */
		if ((mpdu[0] & 0x0c) != 0x08 || !(mpdu[1] & 0x40))
			continue;
		if (pcap_next_ex(plain, &ph, &pp) != 1 || ph->caplen < 14)
			die("%s.plain: fewer frames than data frames", base);
		if ((mpdu[1] & 3) != 1) /* from the AP: not this station's */
			continue;
		hdr_len = mpdu_hdr_len(mpdu);
		body_len = h->caplen - rt_len - hdr_len - c->sec_len - c->trailer_len;
		if (body_len != payload || ph->caplen - 14 + LLC_SNAP_LEN != payload)
			die("%s: a %u-byte payload where %u was asked for", base, body_len, payload);
		f->len = h->caplen;
		f->rt_len = rt_len;
		f->bytes = xcalloc(1, f->len);
		memcpy(f->bytes, p, f->len);
		f->plain_len = hdr_len + payload;
		f->plain = xcalloc(1, f->plain_len);
		memcpy(f->plain, mpdu, hdr_len);
		f->plain[1] &= ~0x40;
		memcpy(f->plain + hdr_len, "\xaa\xaa\x03\x00\x00\x00", 6);
		memcpy(f->plain + hdr_len + 6, pp + 12, ph->caplen - 12);
		set->n++;
	}
	if (set->n < opt.frames)
		die("%s: %u frames from the station, %u wanted", base, set->n, opt.frames);
	pcap_close(cap);
	pcap_close(plain);
}

/* RC4 of in to out with key, by OpenSSL (the legacy provider). */
static void rc4(const __u8 *key, int key_len, const __u8 *in, __u8 *out, int len)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "RC4", NULL);
	int n;

	if (!ctx || !cipher || !EVP_EncryptInit_ex(ctx, cipher, NULL, NULL, NULL) ||
	    !EVP_CIPHER_CTX_set_key_length(ctx, key_len) ||
	    !EVP_EncryptInit_ex(ctx, NULL, NULL, key, NULL) ||
	    !EVP_EncryptUpdate(ctx, out, &n, in, len) || n != len)
		die("OpenSSL RC4 failed");
	EVP_CIPHER_free(cipher);
	EVP_CIPHER_CTX_free(ctx);
}

/*
 * WEP-104 frames from the plaintext of the CCMP-128 frames of the same size: IV (the
 * frame's number from 1), key ID 0, then RC4(IV | key) over the payload and its CRC-32 (the ICV).
 */
static void make_wep(struct frameset *set, const struct frameset *from)
{
	static const __u8 key[WEP104_KEY_LEN] = { 0x3b, 0x4f, 0x0c, 0x11, 0x5e, 0x9d, 0x47,
						  0xa2, 0x61, 0x28, 0xd3, 0x70, 0x95 };
	__u8 rc4_key[3 + WEP104_KEY_LEN], buf[FRAME_MAX];

	memcpy(set->sta, from->sta, sizeof(set->sta));
	memcpy(set->tk, key, sizeof(key));
	set->tk_len = sizeof(key);
	set->f = xcalloc(from->n, sizeof(*set->f));
	memcpy(rc4_key + 3, key, sizeof(key));
	for (set->n = 0; set->n < from->n; set->n++) {
		const struct frame *src = &from->f[set->n];
		struct frame *f = &set->f[set->n];
		__u32 hdr_len = mpdu_hdr_len(src->plain), len = src->plain_len - hdr_len;
		__u32 icv = crc32(0, src->plain + hdr_len, len);
		__u8 *p;

		f->rt_len = src->rt_len;
		f->len = src->rt_len + hdr_len + 4 + len + 4;
		f->bytes = p = xcalloc(1, f->len);
		f->plain = src->plain;
		f->plain_len = src->plain_len;
		memcpy(p, src->bytes, src->rt_len);
		p += src->rt_len;
		memcpy(p, src->plain, hdr_len);
		p[1] |= 0x40;
		p += hdr_len;
		/* IVs 1, 2, ... most significant byte first, as xdp_encrypt numbers them. */
		p[0] = rc4_key[0] = (set->n + 1) >> 16;
		p[1] = rc4_key[1] = (set->n + 1) >> 8;
		p[2] = rc4_key[2] = set->n + 1;
		p[3] = 0; /* key ID 0 */
		memcpy(buf, src->plain + hdr_len, len);
		for (int i = 0; i < 4; i++)
			buf[len + i] = icv >> (8 * i);
		rc4(rc4_key, sizeof(rc4_key), buf, p + 4, len + 4);
	}
}

static void load_frames(void)
{
	char base[BASE_MAX];

	if (!mkdtemp(tmpdir))
		die("mkdtemp: %s", strerror(errno));
	atexit(tmpdir_remove);
	for (int c = 0; c < NCIPHERS; c++)
		for (unsigned int s = 0; s < NSIZES; s++) {
			if (!ciphers[c].capgen)
				continue;
			snprintf(base, sizeof(base), "%s/%s-%u", tmpdir, ciphers[c].capgen, sizes[s]);
			/* About half the frames are the station's: ask for three times as many. */
			run_capgen(ciphers[c].capgen, sizes[s] - LLC_SNAP_LEN, 3 * opt.frames, base);
			load_capgen(&sets[c][s], &ciphers[c], sizes[s], base);
		}
	for (unsigned int s = 0; s < NSIZES; s++)
		make_wep(&sets[WEP_104][s], &sets[CCMP_128][s]);
}

/* ---- the BPF programs --------------------------------------------------------------- */

static struct decrypt_table_bpf *rx_table;
static struct decrypt_bpf *rx_kfunc;
static struct encrypt_table_bpf *tx_table;
static struct encrypt_bpf *tx_kfunc;
static struct test_kfunc_bpf *kfunc_parts;
static int ncpus;
static __u64 generation;

/* The data path: xdp_decrypt and xdp_encrypt, each in the build an adapter loads per engine. */
struct xdp_prog {
	const char *object; /* for messages */
	struct bpf_object *obj;
	int prog_fd, keys_fd, config_fd, stats_fd;
	size_t stats_size;	  /* value of the outcome counters: __u64s */
	unsigned int unsupported; /* the unsupported-cipher counter's index */
};

static struct xdp_prog xdp_progs[NOPS][ENG_KFUNC + 1];

/* Nothing of the benchmark may land in /sys/fs/bpf. */
static void unpin_all(struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
		if (bpf_map__set_pin_path(map, NULL))
			die("unpinning map %s", bpf_map__name(map));
}

#define LOAD_SKEL(skel, name)                                                     \
	do {                                                                      \
		int err_;                                                         \
		(skel) = name##__open();                                          \
		if (!(skel))                                                      \
			die("opening %s: %s", #name, strerror(errno));            \
		unpin_all((skel)->obj);                                           \
		err_ = name##__load(skel);                                        \
		if (err_)                                                         \
			die("loading %s: %s", #name, strerror(-err_));            \
	} while (0)

static int map_fd(struct bpf_object *obj, const char *name)
{
	const struct bpf_map *map = bpf_object__find_map_by_name(obj, name);

	if (!map)
		die("no map %s", name);
	return bpf_map__fd(map);
}

static void xdp_prog_init(struct xdp_prog *x, enum op op, const char *object,
			  struct bpf_object *obj, const struct bpf_program *prog)
{
	bool rx = op == OP_DECRYPT;

	x->object = object;
	x->obj = obj;
	x->prog_fd = bpf_program__fd(prog);
	x->keys_fd = map_fd(obj, DOT11XDP_MAP_KEYS);
	x->config_fd = map_fd(obj, DOT11XDP_MAP_CONFIG);
	x->stats_fd = map_fd(obj, rx ? DOT11XDP_MAP_STATS : DOT11XDP_MAP_TX_STATS);
	x->stats_size = rx ? sizeof(struct dot11xdp_rx_stats) : sizeof(struct dot11xdp_tx_stats);
	x->unsupported = rx ? DOT11XDP_RX_UNSUPPORTED : DOT11XDP_TX_UNSUPPORTED;
}

/*
 * The kfunc tests (test_aes_kfunc, test_api_engine) count the kernel's live AES transforms
 * machine-wide, under this lock (tests/lib/testlib.c's test_exclusive): the benchmark's
 * contexts would upset a concurrent make test, so it holds the lock too, until it exits.
 */
static void kfunc_contexts_lock(void)
{
	const char *path = "/run/dot11xdp-test-kfunc-contexts.lock";
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr, "%s: waiting for a test holding %s\n", prog, path);
		if (flock(fd, LOCK_EX))
			die("%s: %s", path, strerror(errno));
	}
}

static void load_programs(void)
{
	kfunc_contexts_lock();
	if (!dot11xdp_kfunc_engine_available())
		die("this kernel lacks the kfunc AES engine (BPF crypto kfuncs, Linux 6.10+), "
		    "which the benchmark measures");
	LOAD_SKEL(rx_table, decrypt_table_bpf);
	LOAD_SKEL(rx_kfunc, decrypt_bpf);
	LOAD_SKEL(tx_table, encrypt_table_bpf);
	LOAD_SKEL(tx_kfunc, encrypt_bpf);
	LOAD_SKEL(kfunc_parts, test_kfunc_bpf);
	xdp_prog_init(&xdp_progs[OP_DECRYPT][ENG_TABLE], OP_DECRYPT, "decrypt_table", rx_table->obj,
		      rx_table->progs.xdp_decrypt);
	xdp_prog_init(&xdp_progs[OP_DECRYPT][ENG_KFUNC], OP_DECRYPT, "decrypt", rx_kfunc->obj,
		      rx_kfunc->progs.xdp_decrypt);
	xdp_prog_init(&xdp_progs[OP_ENCRYPT][ENG_TABLE], OP_ENCRYPT, "encrypt_table", tx_table->obj,
		      tx_table->progs.xdp_encrypt);
	xdp_prog_init(&xdp_progs[OP_ENCRYPT][ENG_KFUNC], OP_ENCRYPT, "encrypt", tx_kfunc->obj,
		      tx_kfunc->progs.xdp_encrypt);
	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0)
		die("libbpf_num_possible_cpus: %d", ncpus);
}

/*
 * Key material of set for cipher c on engine (its kernel contexts in obj's dot11xdp_crypto,
 * for the kfunc engine); every replay counter at 0, the transmit PN at its start.
 */
static void key_prepare(struct dot11xdp_key *key, enum bench_cipher c, const struct frameset *set,
			enum engine engine, const struct bpf_object *obj)
{
	enum dot11xdp_engine e = engine == ENG_KFUNC ? DOT11XDP_ENGINE_KFUNC : DOT11XDP_ENGINE_TABLE;
	int err;

	memset(key, 0, sizeof(*key));
	err = dot11xdp_material_prepare(key, ciphers[c].cipher, set->tk, set->tk_len, e);
	if (err)
		die("preparing the %s key: %s", ciphers[c].name, strerror(-err));
	key->cipher = ciphers[c].cipher;
	key->generation = ++generation;
	if (engine == ENG_KFUNC) {
		err = dot11xdp_crypto_ctx__create(obj, key->generation, set->tk, set->tk_len);
		if (err)
			die("kernel AES contexts for %s: %s", ciphers[c].name, strerror(-err));
	}
}

static void map_set(int fd, const void *id, const void *value, const char *what)
{
	if (bpf_map_update_elem(fd, id, value, BPF_ANY))
		die("writing %s: %s", what, strerror(errno));
}

static void xdp_config(int config_fd, __u32 engine)
{
	struct dot11xdp_config config = { .abi_version = DOT11XDP_ABI_VERSION,
					  .output = DOT11XDP_OUTPUT_PASS,
					  .engine = engine };
	__u32 zero = 0;

	map_set(config_fd, &zero, &config, "the configuration");
}

/* Counter index of a per-CPU array of __u64 counters (value_size bytes), summed over CPUs. */
static __u64 counter_sum(int fd, size_t value_size, unsigned int index)
{
	__u64 values[ncpus * value_size / sizeof(__u64)], sum = 0;
	__u32 zero = 0;

	if (bpf_map_lookup_elem(fd, &zero, values))
		die("reading the counters: %s", strerror(errno));
	for (int cpu = 0; cpu < ncpus; cpu++)
		sum += values[cpu * value_size / sizeof(__u64) + index];
	return sum;
}

/* One BPF_PROG_TEST_RUN; returns the kernel's ns per repeat. */
static __u32 test_run(int prog_fd, const void *in, __u32 len, void *out, __u32 *out_len,
		      __u32 repeat, __u32 *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in, .data_size_in = len, .data_out = out,
		    .data_size_out = out ? *out_len : 0, .repeat = repeat);

	if (bpf_prog_test_run_opts(prog_fd, &o))
		die("BPF_PROG_TEST_RUN: %s", strerror(errno));
	if (out_len)
		*out_len = o.data_size_out;
	*retval = o.retval;
	return o.duration;
}

/* ---- the measurements --------------------------------------------------------------- */

struct job {
	enum path path;
	enum op op;
	/* enum bench_cipher; enum ossl_cipher for PATH_OPENSSL, enum kfunc_part for PATH_KFUNC_PART */
	int cipher;
	enum engine engine;
	unsigned int size; /* index into sizes */
	double ns[RUNS_MAX];
	/* xdp, floor: the program, its key and the frames */
	const struct xdp_prog *xdp;
	struct dot11xdp_key_id id;
	struct dot11xdp_key key;
	const struct frameset *set;
	/* kfunc part: the program and its request */
	int prog_fd;
	__u8 *req;
	__u32 req_len;
};

static struct job jobs[JOBS_MAX];
static unsigned int njobs;
/* Whether xdp_decrypt decrypts, xdp_encrypt encrypts, the cipher in this build. */
static bool xdp_handles[NOPS][NCIPHERS];

static struct job *job_add(enum path path, enum op op, int cipher, enum engine engine,
			   unsigned int size)
{
	struct job *j;

	if (njobs == JOBS_MAX)
		die("too many measurements");
	j = &jobs[njobs++];
	*j = (struct job){ .path = path, .op = op, .cipher = cipher, .engine = engine, .size = size };
	return j;
}

/*
 * Whether out is what op's program must make of f: the radiotap header and the plaintext
 * MPDU (decryption), or the protected MPDU capgen wrote (encryption: same key, same PN).
 */
static bool xdp_output_ok(enum op op, const struct frame *f, const __u8 *out, __u32 out_len)
{
	if (op == OP_ENCRYPT)
		return out_len == f->len - f->rt_len && !memcmp(out, f->bytes + f->rt_len, out_len);
	return out_len == f->rt_len + f->plain_len && !memcmp(out, f->bytes, f->rt_len) &&
	       !memcmp(out + f->rt_len, f->plain, f->plain_len);
}

/* The program on every frame of a run, its output checked, each frame once; the ns summed. */
static double run_xdp(struct job *j)
{
	static __u8 out[FRAME_MAX];
	double sum = 0;

	/* A fresh key: replay counters at 0, the transmit PN back at 1. */
	map_set(j->xdp->keys_fd, &j->id, &j->key, "the key");
	for (unsigned int i = 0; i < j->set->n; i++) {
		const struct frame *f = &j->set->f[i];
		__u32 out_len = sizeof(out), action;

		if (j->op == OP_DECRYPT)
			sum += test_run(j->xdp->prog_fd, f->bytes, f->len, out, &out_len, 1, &action);
		else
			sum += test_run(j->xdp->prog_fd, f->plain, f->plain_len, out, &out_len, 1,
					&action);
		if (action != XDP_PASS || !xdp_output_ok(j->op, f, out, out_len))
			die("%s: %s frame %u of %u bytes: not %sed (action %u, %u bytes out)",
			    j->xdp->object, ciphers[j->cipher].name, i, sizes[j->size],
			    op_names[j->op], action, out_len);
	}
	return sum / j->set->n;
}

/*
 * The program on frames it passes unchanged: unprotected ones to xdp_decrypt (radiotap and
 * plaintext MPDU), ones for a receiver without a key to xdp_encrypt.
 */
static double run_floor(struct job *j)
{
	static __u8 in[FRAME_MAX], out[FRAME_MAX];
	double sum = 0;

	for (unsigned int i = 0; i < j->set->n; i++) {
		const struct frame *f = &j->set->f[i];
		__u32 len = 0, out_len = sizeof(out), action;

		if (j->op == OP_DECRYPT) {
			memcpy(in, f->bytes, f->rt_len);
			len = f->rt_len;
		}
		memcpy(in + len, f->plain, f->plain_len);
		if (j->op == OP_ENCRYPT)
			in[9] ^= 0xff; /* A1's last byte: a receiver without a key */
		len += f->plain_len;
		sum += test_run(j->xdp->prog_fd, in, len, out, &out_len, 1, &action);
		if (action != XDP_PASS || out_len != len || memcmp(in, out, len))
			die("%s: a frame to pass was not passed unchanged", j->xdp->object);
	}
	return sum / j->set->n;
}

/* ---- the kfunc engine's parts ------------------------------------------------------- */

/*
 * The blocks of a CCMP-128 decryption of len bytes with a QoS AAD: CTR covers the MIC's block
 * and the payload; CBC-MAC B0, two blocks of AAD and the payload.
 */
static void kfunc_part_setup(struct job *j)
{
	struct test_kfunc_request *r;
	__u32 blocks = (sizes[j->size] + 15) / 16, zero = 0, action;
	__u32 head = j->cipher == PART_CBC_MAC ? 3 : 1;

	map_set(bpf_map__fd(kfunc_parts->maps.test_kfunc_key), &zero, &j->key, "the kfunc key");
	j->req_len = sizeof(*r) + 16 * (head + blocks);
	j->req = xcalloc(1, j->req_len);
	r = (struct test_kfunc_request *)j->req;
	r->op = j->cipher == PART_CTR ? TEST_KFUNC_CTR_XOR :
		j->cipher == PART_CBC_MAC ? TEST_KFUNC_CBC_MAC : TEST_KFUNC_COPY;
	r->flags = TEST_KFUNC_NO_STORE;
	r->len = 16 * (head + blocks);
	r->head = head;
	r->nblocks = head + blocks;
	r->result = -1;
	j->prog_fd = bpf_program__fd(kfunc_parts->progs.xdp_test_kfunc);
	test_run(j->prog_fd, j->req, j->req_len, j->req, &j->req_len, 1, &action);
	if (action != XDP_PASS || r->result)
		die("the kfunc engine refused %s over %u blocks (result %d)", part_names[j->cipher],
		    r->nblocks, r->result);
}

static double run_kfunc_part(struct job *j)
{
	__u32 action;
	double ns = test_run(j->prog_fd, j->req, j->req_len, NULL, NULL, opt.frames, &action);

	if (action != XDP_PASS)
		die("the kfunc engine refused %s", part_names[j->cipher]);
	return ns;
}

/* ---- OpenSSL ------------------------------------------------------------------------ */

static const __u8 ossl_key[32] = { 0xc9, 0x7c, 0x1f, 0x67, 0xce, 0x37, 0x11, 0x85, 0x51, 0x4a, 0x8a,
				   0x19, 0xf2, 0xbd, 0xd5, 0x2f, 1,    2,    3,    4,    5,    6,
				   7,	 8,    9,    10,   11,   12,   13,   14,   15,   16 };
static const __u8 ossl_nonce[13] = { 0x00, 0x50, 0x30, 0xf1, 0x84, 0x44, 0x08,
				     0xb5, 0x03, 0x97, 0x76, 0xe7, 0x0c };
static const __u8 ossl_aad[QOS_AAD_LEN] = { 0x88, 0x40, 0x0f, 0xd2, 0xe1, 0x28, 0xa5, 0x7c,
					    0x50, 0x30, 0xf1, 0x84, 0x44, 0x08, 0xab, 0xae,
					    0xa5, 0xb8, 0xfc, 0xba, 0x00, 0x00, 0x03, 0x00 };

/*
 * A context for d: cipher, nonce length, tag length and key set once, as a driver keeps a
 * key's schedule; each operation then sets the nonce only.
 */
static EVP_CIPHER_CTX *ossl_context(const struct ossl_desc *d, bool decrypt)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (!ctx || !EVP_CipherInit_ex(ctx, d->evp(), NULL, NULL, NULL, !decrypt) ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, d->gcm ? 12 : 13, NULL) ||
	    (!d->gcm && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, d->tag_len, NULL)) ||
	    !EVP_CipherInit_ex(ctx, NULL, NULL, ossl_key, NULL, !decrypt))
		die("OpenSSL %s: cannot set the key", d->name);
	return ctx;
}

/* One AEAD operation on a len-byte payload: in -> out; tag in (decrypt) or out. */
static void ossl_aead(EVP_CIPHER_CTX *ctx, const struct ossl_desc *d, bool decrypt, __u8 *tag,
		      const __u8 *in, __u8 *out, int len)
{
	int n, ok;

	ok = EVP_CipherInit_ex(ctx, NULL, NULL, NULL, ossl_nonce, !decrypt) &&
	     /* CCM takes the tag to check and the payload length first. */
	     (d->gcm || !decrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, d->tag_len, tag)) &&
	     (d->gcm || EVP_CipherUpdate(ctx, NULL, &n, NULL, len)) &&
	     EVP_CipherUpdate(ctx, NULL, &n, ossl_aad, sizeof(ossl_aad)) &&
	     /* CCM's decrypting update is where its tag is checked; GCM's final. */
	     EVP_CipherUpdate(ctx, out, &n, in, len) &&
	     (!d->gcm || !decrypt ||
	      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, d->tag_len, tag)) &&
	     ((!d->gcm && decrypt) || EVP_CipherFinal_ex(ctx, out + n, &n)) &&
	     (decrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, d->tag_len, tag));
	if (!ok)
		die("OpenSSL %s %s failed", d->name, decrypt ? "decryption" : "encryption");
}

struct ossl_bench {
	EVP_CIPHER_CTX *ctx;
	const struct ossl_desc *d;
	bool decrypt;
	__u8 in[FRAME_MAX], out[FRAME_MAX], tag[16];
	int len;
};

/* ns per operation over opt.frames operations. */
static double ossl_run(struct ossl_bench *b)
{
	double start = now_ns();

	for (unsigned int i = 0; i < opt.frames; i++)
		ossl_aead(b->ctx, b->d, b->decrypt, b->tag, b->in, b->out, b->len);
	return (now_ns() - start) / opt.frames;
}

/*
 * Child mode: every OpenSSL figure, runs round-robin like the parent's; then one line per
 * (cipher, op, size) with its opt.runs figures, in the order ossl_jobs() reads them.
 */
static int ossl_child(void)
{
	static struct ossl_bench b[NOSSL][NOPS][NSIZES];
	static double ns[NOSSL][NOPS][NSIZES][RUNS_MAX];

	for (int c = 0; c < NOSSL; c++)
		for (int op = 0; op < NOPS; op++)
			for (unsigned int s = 0; s < NSIZES; s++) {
				struct ossl_bench *x = &b[c][op][s];
				EVP_CIPHER_CTX *enc = ossl_context(&ossl_ciphers[c], false);

				x->d = &ossl_ciphers[c];
				x->len = sizes[s];
				for (int i = 0; i < x->len; i++)
					x->in[i] = i;
				/* A valid ciphertext and tag, so decryption verifies as the BPF runs do. */
				ossl_aead(enc, x->d, false, x->tag, x->in, x->out, x->len);
				if (op == OP_DECRYPT) {
					memcpy(x->in, x->out, x->len);
					x->decrypt = true;
					EVP_CIPHER_CTX_free(enc);
					enc = ossl_context(x->d, true);
				}
				x->ctx = enc;
			}
	for (unsigned int r = 0; r < opt.runs; r++)
		for (int c = 0; c < NOSSL; c++)
			for (int op = 0; op < NOPS; op++)
				for (unsigned int s = 0; s < NSIZES; s++)
					ns[c][op][s][r] = ossl_run(&b[c][op][s]);
	for (int c = 0; c < NOSSL; c++)
		for (int op = 0; op < NOPS; op++)
			for (unsigned int s = 0; s < NSIZES; s++) {
				for (unsigned int r = 0; r < opt.runs; r++)
					printf("%.1f ", ns[c][op][s][r]);
				printf("\n");
			}
	return 0;
}

/* Run this program as the OpenSSL child, AES-NI masked or not; adds its figures as jobs. */
static void ossl_jobs(const char *self, enum engine mode)
{
	char runs[16], frames[16];
	int pipefd[2], status;
	pid_t pid;
	FILE *f;

	snprintf(runs, sizeof(runs), "%u", opt.runs);
	snprintf(frames, sizeof(frames), "%u", opt.frames);
	if (pipe(pipefd))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		if (mode == ENG_NO_AESNI)
			/* Clears the AES-NI (bit 57) and PCLMULQDQ (bit 33) bits OpenSSL checks. */
			setenv("OPENSSL_ia32cap", "~0x200000200000000", 1);
		else
			unsetenv("OPENSSL_ia32cap");
		execl(self, self, "--openssl-child", "--runs", runs, "--frames", frames,
		      (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	f = fdopen(pipefd[0], "r");
	if (!f)
		die("fdopen: %s", strerror(errno));
	for (int c = 0; c < NOSSL; c++)
		for (int op = 0; op < NOPS; op++)
			for (unsigned int s = 0; s < NSIZES; s++) {
				struct job *j = job_add(PATH_OPENSSL, op, c, mode, s);

				for (unsigned int r = 0; r < opt.runs; r++)
					if (fscanf(f, "%lf", &j->ns[r]) != 1)
						die("the OpenSSL child failed");
			}
	fclose(f);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		die("the OpenSSL child failed");
}

/* ---- setting the jobs up ------------------------------------------------------------ */

/*
 * Whether the program of x handles cipher c: one frame through it, and its unsupported-cipher
 * counter. Any other failure is fatal, with the frame's number (run_xdp).
 */
static bool xdp_probe(enum op op, const struct xdp_prog *x, enum bench_cipher c)
{
	const struct frame *f = &sets[c][0].f[0];
	__u64 before = counter_sum(x->stats_fd, x->stats_size, x->unsupported);
	__u8 out[FRAME_MAX];
	__u32 out_len = sizeof(out), action;

	if (op == OP_DECRYPT)
		test_run(x->prog_fd, f->bytes, f->len, out, &out_len, 1, &action);
	else
		test_run(x->prog_fd, f->plain, f->plain_len, out, &out_len, 1, &action);
	return counter_sum(x->stats_fd, x->stats_size, x->unsupported) == before;
}

static void xdp_jobs(enum op op)
{
	for (int e = ENG_TABLE; e <= ENG_KFUNC; e++) {
		const struct xdp_prog *x = &xdp_progs[op][e];

		xdp_config(x->config_fd, e == ENG_KFUNC ? DOT11XDP_ENGINE_KFUNC : DOT11XDP_ENGINE_TABLE);
		for (int c = 0; c < NCIPHERS; c++) {
			const struct frameset *set = &sets[c][0];
			/* RC4 does not depend on the AES engine: its rows come from the table build. */
			enum engine engine = ciphers[c].aes ? e : ENG_RC4;
			/* The station's key: by the transmitter on receive, the receiver (AP) on send. */
			struct dot11xdp_key_id id = { .direction = DOT11XDP_DIR_BOTH };
			struct dot11xdp_key key;

			if (!ciphers[c].aes && e == ENG_KFUNC)
				continue;
			memcpy(id.peer, op == OP_DECRYPT ? set->sta : set->f[0].plain + 4, 6);
			key_prepare(&key, c, set, e, x->obj);
			map_set(x->keys_fd, &id, &key, "the key");
			xdp_handles[op][c] = xdp_probe(op, x, c);
			if (!xdp_handles[op][c])
				continue;
			for (unsigned int s = 0; s < NSIZES; s++) {
				struct job *j = job_add(PATH_XDP, op, c, engine, s);

				/* One capgen seed: the same station and key for every size. */
				if (memcmp(sets[c][s].tk, set->tk, set->tk_len) ||
				    memcmp(sets[c][s].f[0].plain + 4, set->f[0].plain + 4, 12))
					die("capgen gave %s frames of another key", ciphers[c].name);
				j->xdp = x;
				j->id = id;
				j->key = key;
				j->set = &sets[c][s];
			}
		}
	}
	for (unsigned int s = 0; s < NSIZES; s++) {
		struct job *j = job_add(PATH_FLOOR, op, CCMP_128, ENG_TABLE, s);

		j->xdp = &xdp_progs[op][ENG_TABLE];
		j->set = &sets[CCMP_128][s];
	}
}

static void kfunc_part_jobs(void)
{
	struct dot11xdp_key key;

	key_prepare(&key, CCMP_128, &sets[CCMP_128][0], ENG_KFUNC, kfunc_parts->obj);
	for (int part = 0; part < NPARTS; part++)
		for (unsigned int s = 0; s < NSIZES; s++) {
			struct job *j = job_add(PATH_KFUNC_PART, OP_DECRYPT, part, ENG_KFUNC, s);

			j->key = key;
			kfunc_part_setup(j);
		}
}

static double run_job(struct job *j)
{
	switch (j->path) {
	case PATH_XDP:
		return run_xdp(j);
	case PATH_FLOOR:
		return run_floor(j);
	case PATH_KFUNC_PART:
		return run_kfunc_part(j);
	case PATH_OPENSSL:
		break;
	}
	die("no runner for a job");
	return 0;
}

/* ---- the report --------------------------------------------------------------------- */

struct machine {
	char cpu[128], kernel[160], clang[128], srso[128], ecb_aes[64];
	long cpus;
	double ghz; /* the clock the benchmark ran at, measured; 0 where not */
};

/*
 * The running clock, which /proc/cpuinfo does not show (a VM reports the nominal one, and
 * turbo goes above it): chains of dependent adds retire one per cycle. Best of 5, in GHz.
 */
static double measured_ghz(void)
{
	double best = 0;

#if defined(__x86_64__)
	for (int run = 0; run < 5; run++) {
		const unsigned long n = 25000000;
		unsigned long x = 0;
		double start = now_ns(), ghz;

		for (unsigned long i = 0; i < n; i++)
			asm volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
				     : "+r"(x));
		ghz = 4.0 * n / (now_ns() - start);
		if (ghz > best)
			best = ghz;
	}
#endif
	return best;
}

static void first_line(char *buf, size_t size, FILE *f)
{
	if (!f || !fgets(buf, size, f))
		snprintf(buf, size, "unknown");
	buf[strcspn(buf, "\n")] = 0;
}

/* The highest-priority driver the kernel has instantiated for name in /proc/crypto. */
static void crypto_driver(const char *name, char *out, size_t size)
{
	char line[256], driver[64] = "", want[80];
	FILE *f = fopen("/proc/crypto", "r");
	int prio = -1, best = -1;
	bool match = false;

	snprintf(out, size, "unknown");
	snprintf(want, sizeof(want), "name         : %s\n", name);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "name ", 5))
			match = !strcmp(line, want);
		else if (match && sscanf(line, "driver : %63s", driver) == 1)
			continue;
		else if (match && sscanf(line, "priority : %d", &prio) == 1 && prio > best) {
			best = prio;
			snprintf(out, size, "%s", driver);
		}
	}
	fclose(f);
}

static void machine_info(struct machine *m)
{
	char line[256], cmd[PATH_MAX + 16], name[64] = "unknown";
	int family = -1, model = -1;
	double mhz = 0;
	struct utsname u;
	FILE *f;

	/* A VM may show a bare "AMD EPYC": family, model and clock tell the generation. */
	snprintf(m->cpu, sizeof(m->cpu), "unknown");
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *value = strchr(line, ':');

		if (!value)
			continue;
		if (!strcmp(line, "\n"))
			break; /* the first CPU's block is enough */
		value += 2;
		value[strcspn(value, "\n")] = 0;
		if (!strncmp(line, "model name", 10))
			snprintf(name, sizeof(name), "%s", value);
		else if (!strncmp(line, "cpu family", 10))
			family = atoi(value);
		else if (!strncmp(line, "model\t", 6))
			model = atoi(value);
		else if (!strncmp(line, "cpu MHz", 7))
			mhz = atof(value);
	}
	if (f)
		fclose(f);
	snprintf(m->cpu, sizeof(m->cpu), "%s (family %d, model %d, %.0f MHz nominal)", name, family, model,
		 mhz);
	m->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	uname(&u);
	snprintf(m->kernel, sizeof(m->kernel), "%s %s", u.sysname, u.release);
	snprintf(cmd, sizeof(cmd), "%s --version 2>/dev/null", opt.clang ? opt.clang : "clang-19");
	f = popen(cmd, "r");
	first_line(m->clang, sizeof(m->clang), f);
	if (f)
		pclose(f);
	f = fopen("/sys/devices/system/cpu/vulnerabilities/spec_rstack_overflow", "r");
	first_line(m->srso, sizeof(m->srso), f);
	if (f)
		fclose(f);
	crypto_driver("ecb(aes)", m->ecb_aes, sizeof(m->ecb_aes));
	m->ghz = measured_ghz();
}

static struct job *find(enum path path, enum op op, int cipher, enum engine engine,
			unsigned int size)
{
	for (unsigned int i = 0; i < njobs; i++)
		if (jobs[i].path == path && jobs[i].op == op && jobs[i].cipher == cipher &&
		    jobs[i].engine == engine && jobs[i].size == size)
			return &jobs[i];
	return NULL;
}

/* The reference of every ratio: OpenSSL AES-128-CCM without AES-NI, same op and size. */
static double reference_ns(enum op op, unsigned int size)
{
	return spread_of(find(PATH_OPENSSL, op, OSSL_CCM_128, ENG_NO_AESNI, size)->ns, opt.runs)
		.median;
}

static const char *path_name(const struct job *j)
{
	switch (j->path) {
	case PATH_XDP:
		return j->op == OP_DECRYPT ? "xdp_decrypt" : "xdp_encrypt";
	case PATH_FLOOR:
		return j->op == OP_DECRYPT ? "xdp_decrypt, unprotected (floor)" :
					     "xdp_encrypt, no key (floor)";
	case PATH_KFUNC_PART:
		return "kfunc engine part, CCMP-128";
	case PATH_OPENSSL:
		return "OpenSSL";
	}
	return "?";
}

static const char *cipher_name(const struct job *j)
{
	if (j->path == PATH_OPENSSL)
		return ossl_ciphers[j->cipher].name;
	if (j->path == PATH_FLOOR)
		return "-";
	if (j->path == PATH_KFUNC_PART)
		return part_names[j->cipher];
	return ciphers[j->cipher].name;
}

static void cell_ns(enum op op, unsigned int size, const double *ns)
{
	struct spread v = spread_of(ns, opt.runs);

	printf(" %.0f (%.0f-%.0f) |", v.median, v.min, v.max);
}

static void cell_speed(enum op op, unsigned int size, const double *ns)
{
	double median = spread_of(ns, opt.runs).median;

	printf(" %.0f (%.2fx) |", mb_per_s(sizes[size], median), reference_ns(op, size) / median);
}

/* Whether a figure is a frame's whole cost, which has a speed (a floor or a part has not). */
static bool whole_frame(const struct job *j)
{
	return j->path != PATH_FLOOR && j->path != PATH_KFUNC_PART;
}

/* A Markdown table of op's measurements (all, or the whole frames): one column per size. */
static void print_table(enum op op, bool all, void (*cell)(enum op, unsigned int, const double *),
			const char *title_fmt, ...)
{
	va_list ap;

	printf("\n### ");
	va_start(ap, title_fmt);
	vprintf(title_fmt, ap);
	va_end(ap);
	printf("\n\n| path | cipher | engine |");
	for (unsigned int s = 0; s < NSIZES; s++)
		printf(" %u B |", sizes[s]);
	printf("\n|---|---|---|---:|---:|---:|---:|\n");
	for (unsigned int i = 0; i < njobs; i++) {
		const struct job *j = &jobs[i];

		/* A row per measurement: its first size's job starts it. */
		if (j->op != op || j->size || (!all && !whole_frame(j)))
			continue;
		printf("| %s | %s | %s |", path_name(j), cipher_name(j), engine_names[j->engine]);
		for (unsigned int s = 0; s < NSIZES; s++)
			cell(op, s, find(j->path, op, j->cipher, j->engine, s)->ns);
		printf("\n");
	}
}

static void print_tables(enum op op)
{
	print_table(op, true, cell_ns, "%s: ns per frame, median of %u runs (min-max)",
		    op_names[op], opt.runs);
	print_table(op, false, cell_speed,
		    "%s: MB/s of payload (speed over OpenSSL AES-128-CCM without AES-NI)",
		    op_names[op]);
}

/* A goal, reported and not asserted. */
struct goal {
	char text[160];
	char value[160];
	bool met, measured;
};

static struct goal goals[8];
static unsigned int ngoals;

static double xdp_ns(enum bench_cipher c, enum engine e)
{
	struct job *j = find(PATH_XDP, OP_DECRYPT, c, e, SIZE_GOAL);

	return j ? spread_of(j->ns, opt.runs).median : 0;
}

static void goal_add(bool measured, bool met, const char *text, const char *fmt, ...)
{
	struct goal *g = &goals[ngoals++];
	va_list ap;

	snprintf(g->text, sizeof(g->text), "%s", text);
	g->measured = measured;
	g->met = met;
	va_start(ap, fmt);
	vsnprintf(g->value, sizeof(g->value), fmt, ap);
	va_end(ap);
	if (!measured)
		snprintf(g->value, sizeof(g->value), "not measured: xdp_decrypt does not decrypt "
						     "the cipher in this build");
}

static void evaluate_goals(void)
{
	const unsigned int n = sizes[SIZE_GOAL];
	double ref = reference_ns(OP_DECRYPT, SIZE_GOAL);
	double table = xdp_ns(CCMP_128, ENG_TABLE), kfunc = xdp_ns(CCMP_128, ENG_KFUNC);

	goal_add(table > 0, table > 0 && mb_per_s(n, table) >= 200 && ref / table >= 1.5,
		 "CCMP-128 decrypt, 1,500 B, table engine: >= 200 MB/s and >= 1.5x OpenSSL "
		 "AES-128-CCM without AES-NI",
		 "%.0f MB/s, %.2fx", mb_per_s(n, table), ref / table);
	goal_add(kfunc > 0, kfunc > 0 && mb_per_s(n, kfunc) >= 70,
		 "CCMP-128 decrypt, 1,500 B, kfunc engine: >= 70 MB/s", "%.0f MB/s",
		 mb_per_s(n, kfunc));
	for (int e = ENG_TABLE; e <= ENG_KFUNC; e++) {
		double ccmp = xdp_ns(CCMP_128, e), gcmp = xdp_ns(GCMP_128, e);
		char text[160];

		snprintf(text, sizeof(text),
			 "GCMP-128 decrypt, 1,500 B, %s engine: within 1.5x CCMP-128's time",
			 engine_names[e]);
		goal_add(gcmp > 0 && ccmp > 0, gcmp > 0 && gcmp <= 1.5 * ccmp, text,
			 "%.0f ns against %.0f ns: %.2fx", gcmp, ccmp, gcmp / ccmp);
	}
	for (int c = TKIP; c <= WEP_104; c++) {
		double rc4 = xdp_ns(c, ENG_RC4);
		char text[160];

		snprintf(text, sizeof(text),
			 "%s decrypt, 1,500 B: at least as fast as CCMP-128 (table engine)",
			 ciphers[c].name);
		goal_add(rc4 > 0 && table > 0, rc4 > 0 && rc4 <= table, text,
			 "%.0f ns against %.0f ns", rc4, table);
	}
	printf("\n### goals (single core, xdp_decrypt, medians)\n\n");
	for (unsigned int i = 0; i < ngoals; i++)
		printf("- %s: %s%s\n", goals[i].text, goals[i].value,
		       !goals[i].measured ? "" : goals[i].met ? " (met)" : " (NOT met)");
}

static void json_string(FILE *f, const char *key, const char *value, bool comma)
{
	fprintf(f, "\"%s\": \"", key);
	for (; *value; value++)
		if (*value == '"' || *value == '\\')
			fprintf(f, "\\%c", *value);
		else if ((unsigned char)*value >= 0x20)
			fputc(*value, f);
	fprintf(f, "\"%s", comma ? ", " : "");
}

static void write_json(const char *path, const struct machine *m)
{
	FILE *f = fopen(path, "w");

	if (!f)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "{\n  \"machine\": {");
	json_string(f, "cpu", m->cpu, true);
	fprintf(f, "\"cpus\": %ld, \"bench_cpu\": %d, \"measured_ghz\": %.2f, ", m->cpus, opt.cpu,
		m->ghz);
	json_string(f, "kernel", m->kernel, true);
	json_string(f, "clang", m->clang, true);
	json_string(f, "libbpf", libbpf_version_string(), true);
	json_string(f, "openssl", OpenSSL_version(OPENSSL_VERSION), true);
	json_string(f, "kernel_ecb_aes_driver", m->ecb_aes, true);
	json_string(f, "spec_rstack_overflow", m->srso, false);
	fprintf(f, "},\n  \"method\": {\"runs\": %u, \"frames_per_run\": %u, ", opt.runs,
		opt.frames);
	json_string(f, "figure", "median ns per frame over the runs, with min and max", true);
	json_string(f, "reference", "OpenSSL AES-128-CCM without AES-NI, same op and size",
		    false);
	fprintf(f, "},\n  \"results\": [\n");
	for (unsigned int i = 0; i < njobs; i++) {
		const struct job *j = &jobs[i];
		struct spread v = spread_of(j->ns, opt.runs);

		fprintf(f, "    {");
		json_string(f, "op", op_names[j->op], true);
		json_string(f, "path", path_name(j), true);
		json_string(f, "cipher", cipher_name(j), true);
		json_string(f, "engine", engine_names[j->engine], true);
		fprintf(f, "\"payload\": %u, \"ns_median\": %.1f, \"ns_min\": %.1f, "
			   "\"ns_max\": %.1f, ",
			sizes[j->size], v.median, v.min, v.max);
		if (whole_frame(j))
			fprintf(f, "\"mb_s\": %.1f, \"vs_reference\": %.3f, ",
				mb_per_s(sizes[j->size], v.median),
				reference_ns(j->op, j->size) / v.median);
		fprintf(f, "\"runs_ns\": [");
		for (unsigned int r = 0; r < opt.runs; r++)
			fprintf(f, "%s%.1f", r ? ", " : "", j->ns[r]);
		fprintf(f, "]}%s\n", i + 1 < njobs ? "," : "");
	}
	fprintf(f, "  ],\n  \"goals\": [\n");
	for (unsigned int i = 0; i < ngoals; i++) {
		fprintf(f, "    {");
		json_string(f, "goal", goals[i].text, true);
		json_string(f, "value", goals[i].value, true);
		fprintf(f, "\"measured\": %s, \"met\": %s}%s\n", goals[i].measured ? "true" : "false",
			goals[i].met ? "true" : "false", i + 1 < ngoals ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	if (fclose(f))
		die("%s: %s", path, strerror(errno));
}

/* ---- main --------------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [--runs N] [--frames N] [--json FILE] [--capgen PATH] [--clang CMD]"
		   " [--cpu N]\n"
		   "  --runs N     runs of every measurement, the median reported (3-%d; 15)\n"
		   "  --frames N   frames per run (10-%d; 200)\n"
		   "  --json FILE  write the results as JSON too\n"
		   "  --capgen P   capgen, which makes the frames (../tools/capgen beside this program)\n"
		   "  --clang CMD  the compiler of the BPF programs, for its version (clang-19)\n"
		   "  --cpu N      the CPU to run on (the one it starts on)\n",
		prog, RUNS_MAX, FRAMES_MAX);
}

static unsigned int parse_uint(const char *s, unsigned int min, unsigned int max,
			       const char *name)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max) {
		fprintf(stderr, "%s: %s takes a number from %u to %u\n", prog, name, min, max);
		exit(2);
	}
	return v;
}

static void parse_options(int argc, char **argv, bool *child)
{
	static const struct option longopts[] = {
		{ "runs", required_argument, NULL, 'r' },   { "frames", required_argument, NULL, 'n' },
		{ "json", required_argument, NULL, 'j' },   { "capgen", required_argument, NULL, 'g' },
		{ "clang", required_argument, NULL, 'c' },  { "cpu", required_argument, NULL, 'p' },
		{ "openssl-child", no_argument, NULL, 'O' }, { "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		switch (c) {
		case 'r':
			opt.runs = parse_uint(optarg, 3, RUNS_MAX, "--runs");
			break;
		case 'n':
			opt.frames = parse_uint(optarg, 10, FRAMES_MAX, "--frames");
			break;
		case 'j':
			opt.json = optarg;
			break;
		case 'g':
			opt.capgen = optarg;
			break;
		case 'c':
			opt.clang = optarg;
			break;
		case 'p':
			opt.cpu = parse_uint(optarg, 0, CPU_SETSIZE - 1, "--cpu");
			break;
		case 'O':
			*child = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	if (optind < argc) {
		usage(stderr);
		exit(2);
	}
}

/* capgen beside this program: <dir>/../tools/capgen, as the Makefile lays the build out. */
static void find_capgen(void)
{
	static char path[PATH_MAX + 32];
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (opt.capgen)
		return;
	if (n < 0)
		die("/proc/self/exe: %s", strerror(errno));
	self[n] = 0;
	*strrchr(self, '/') = 0;
	snprintf(path, sizeof(path), "%s/../tools/capgen", self);
	opt.capgen = path;
}

static void pin_cpu(void)
{
	cpu_set_t set;

	if (opt.cpu < 0)
		opt.cpu = sched_getcpu();
	CPU_ZERO(&set);
	CPU_SET(opt.cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("running on CPU %d: %s", opt.cpu, strerror(errno));
}

int main(int argc, char **argv)
{
	struct machine m;
	bool child = false;
	double start = now_ns();

	parse_options(argc, argv, &child);
	if (child)
		return ossl_child();
	if (geteuid())
		die("needs root (BPF_PROG_TEST_RUN)");
	find_capgen();
	pin_cpu();
	/* RC4 for the WEP frames is in OpenSSL 3's legacy provider. */
	if (!OSSL_PROVIDER_load(NULL, "legacy") || !OSSL_PROVIDER_load(NULL, "default"))
		die("cannot load OpenSSL's legacy provider (RC4)");

	load_frames();
	load_programs();
	xdp_jobs(OP_DECRYPT);
	xdp_jobs(OP_ENCRYPT);
	kfunc_part_jobs();

	/* Round-robin: run r of every measurement before run r + 1 of any. */
	for (unsigned int r = 0; r < opt.runs; r++)
		for (unsigned int i = 0; i < njobs; i++)
			jobs[i].ns[r] = run_job(&jobs[i]);
	ossl_jobs("/proc/self/exe", ENG_NO_AESNI);
	ossl_jobs("/proc/self/exe", ENG_AESNI);

	machine_info(&m);
	printf("## dot11xdp data path, single core\n\n");
	printf("- CPU: %s, %ld online, the benchmark pinned to CPU %d", m.cpu, m.cpus, opt.cpu);
	if (m.ghz)
		printf(", running at %.2f GHz (measured)", m.ghz);
	printf("\n");
	printf("- kernel: %s; kfunc AES: %s; SRSO mitigation: %s\n", m.kernel, m.ecb_aes, m.srso);
	printf("- build: %s; libbpf %s; %s\n\n", m.clang, libbpf_version_string(),
	       OpenSSL_version(OPENSSL_VERSION));
	printf("Payload: the MSDU body a cipher protects. %u frames per run, %u runs.\n",
	       opt.frames, opt.runs);
	for (int op = 0; op < NOPS; op++)
		for (int c = 0; c < NCIPHERS; c++)
			if (!xdp_handles[op][c])
				printf("xdp_%s does not %s %s in this build: not measured.\n",
				       op_names[op], op_names[op], ciphers[c].name);
	for (int op = 0; op < NOPS; op++)
		print_tables(op);
	evaluate_goals();
	if (opt.json) {
		write_json(opt.json, &m);
		printf("\nJSON: %s\n", opt.json);
	}
	printf("(%.0f s)\n", (now_ns() - start) / 1e9);
	return 0;
}
