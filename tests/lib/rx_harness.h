/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tier-1 tests of the receive program (tests/test_bpf_rx*.c) share: running frames
 * through xdp_decrypt with BPF_PROG_TEST_RUN, installing keys of every cipher on either AES
 * engine straight into the key map, reading counters, building frames, and the external
 * oracles (pcap files, tshark's decryption). Each test opens the program itself (its
 * skeleton) and hands the harness its object.
 */
#ifndef DOT11XDP_RX_HARNESS_H
#define DOT11XDP_RX_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <bpf/libbpf.h>
#include <dot11xdp/dot11xdp_structs.h>

#define RX_FRAME_MAX 4096
/* BPF_PROG_TEST_RUN refuses XDP input shorter than an Ethernet header. */
#define RX_TEST_RUN_MIN 14
/* The program's work buffer (DOT11XDP_BODY_MAX in bpf/lib/work.h). */
#define RX_BODY_MAX 2336

struct rx_result {
	int action;
	__u32 outcome;
	__u8 frame[RX_FRAME_MAX];
	size_t len;
};

struct frame {
	__u8 bytes[RX_FRAME_MAX];
	size_t len;
};

/* The program under test: xdp_decrypt of obj, loaded with report_outcome set. */
struct rx_env {
	struct bpf_object *obj;
	int prog_fd, keys_fd, stats_fd, peers_fd, config_fd, ncpus;
	__u64 tally[DOT11XDP_RX_OUTCOMES]; /* outcomes of every run, for the global counters */
	/* Put in front of the names of expect()'s checks: tells passes (engines) apart. */
	const char *tag;
};

extern struct rx_env rx;

/* Take the loaded object's program and maps (fatal when one is missing). */
void rx_env_init(struct bpf_object *obj);
void rx_set_output(__u32 output);

const char *rx_outcome_name(__u32 outcome);
const char *rx_action_name(int action);

/* Run one frame; the outcome comes from the XDP metadata. */
void rx_run(const __u8 *in, size_t len, struct rx_result *r);

/*
 * Install a key of cipher (enum dot11xdp_cipher) for (peer, direction), prepared by libdot11xdp
 * for engine, every replay counter at pn_init. tk: the cipher's key (TKIP: TK and both
 * Michael keys, 32 bytes). On the kfunc engine the key's AES contexts are created under a
 * fresh generation; rx_keys_clear destroys them.
 */
void rx_key_install(const __u8 *peer, __u8 direction, __u32 cipher, const __u8 *tk,
		    unsigned int tk_len, enum dot11xdp_engine engine, __u8 flags, __u64 pn_init);
void rx_keys_clear(void);
bool rx_key_read(const __u8 *peer, __u8 direction, struct dot11xdp_key *key);
/* Every counter of the key equals want, except rx[end].pn[index] = want_one (end < 0: none). */
bool rx_counters_are(const __u8 *peer, __u8 direction, __u64 want, int end, int index,
		     __u64 want_one);
/* Whether the kfunc engine works here; fails the check loudly when not. */
bool rx_kfunc_engine_check(void);

void rx_global_stats(struct dot11xdp_rx_stats *sum);
void rx_peer_stats(const __u8 *addr, struct dot11xdp_rx_stats *sum);
/* The global counters equal the outcomes of every rx_run (one check). */
void rx_check_global_stats(void);

/* Radiotap headers: minimal (8 bytes), and with TSFT, Flags = FCS (at RX_RT_FCS_FLAGS_OFF). */
extern const __u8 rx_rt_minimal[8];
#define RX_RT_FCS_FLAGS_OFF 24
extern const __u8 rx_rt_fcs[30];

void frame_put(struct frame *f, const void *p, size_t len);
/* radiotap | MPDU | fcs (fcs may be NULL). */
void frame_wrap(struct frame *f, const __u8 *rt, size_t rt_len, const __u8 *mpdu,
		size_t mpdu_len, const __u8 *fcs);
/* radiotap (FCS flag cleared at rt_flags_off, if not 0) | header, Protected cleared | pad | plain. */
void expected_plain(const __u8 *rt, size_t rt_len, size_t rt_flags_off, const __u8 *mpdu,
		    size_t hdr_len, size_t pad, const __u8 *plain, size_t plain_len,
		    struct frame *out);
/* Header length of a data or management MPDU. */
size_t mpdu_hdr_len(const __u8 *h);

bool expect(const struct rx_result *r, int action, __u32 outcome, const char *what);
bool expect_bytes(const struct rx_result *r, const void *want, size_t want_len, const char *what);

/* Frames of a pcap file (libpcap: pcap or pcapng); fatal unless link type 105. */
struct capture {
	__u8 **data;
	size_t *len;
	size_t n;
};
void capture_read(const char *path, struct capture *c);
/* The same for a capture of another link type (DLT_*). */
void capture_read_linktype(const char *path, int linktype, struct capture *c);
void capture_free(struct capture *c);

/*
 * tshark's decryption of a capture with one key (uat, as in -o 'uat:80211_keys:...'):
 * plain->data[i] is frame i's decrypted body from the data source named source ("Decrypted
 * WEP data", "Decrypted TKIP data"), len 0 when tshark decrypted nothing. Fatal when tshark
 * fails or prints another number of frames than want_frames.
 */
void tshark_decrypt(const char *capture, const char *uat, const char *source,
		    size_t want_frames, struct capture *plain);

/*
 * airdecap-ng's decryption of a capture (args: its key options) as Ethernet frames, run on a
 * copy in a temporary directory. Fatal when airdecap-ng fails.
 */
void airdecap(const char *capture, const char *args, struct capture *ether);

#endif

/*
 * CCMP and GCMP from spec/dot11-crypto.md, independently of the BPF code, with OpenSSL's
 * AES-CCM and AES-GCM: the AAD of an MPDU header (spp: an SPP A-MSDU key), the nonces, and
 * whole protected MPDUs.
 */
size_t oracle_aad(const __u8 *h, bool spp, __u8 *aad);
void oracle_ccmp_nonce(const __u8 *h, __u64 pn, __u8 nonce[13]);
void oracle_gcmp_nonce(const __u8 *h, __u64 pn, __u8 nonce[12]);
/* TK and MIC length of an AES cipher (enum dot11xdp_cipher); fatal for another. */
unsigned int oracle_tk_len(__u32 cipher);
unsigned int oracle_mic_len(__u32 cipher);
/* AES-CCM (CCMP) or AES-GCM (GCMP) of pt, by OpenSSL: ct (len bytes) and the MIC. */
void oracle_aead_seal(__u32 cipher, const __u8 *tk, const __u8 *nonce, const __u8 *aad,
		      size_t aad_len, const __u8 *pt, size_t len, __u8 *ct, __u8 *mic);
/* hdr_in | security header for pn | ciphertext | MIC, Protected set; returns its length. */
size_t oracle_seal_mpdu(__u32 cipher, const __u8 *tk, const __u8 *hdr_in, const __u8 *pt,
			size_t pt_len, __u64 pn, bool spp, __u8 *out);
/*
 * Bits of an MPDU that CCMP and GCMP do not protect: Duration; Retry, PwrMgt, MoreData;
 * data subtype bits 4-6; the sequence number; QoS Control but the TID (and the A-MSDU bit
 * under SPP, which the callers' keys are not); HT Control; the reserved octet and the
 * reserved bits of the key ID octet; the FCS (off at or past mpdu_len).
 */
bool aead_bit_uncovered(const __u8 *mpdu, size_t hdr_len, size_t mpdu_len, size_t off, int bit);
