/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Map keys and values shared by the XDP programs and user space.
 *
 * One definition for both sides, written with uapi types, so `bpftool map dump`
 * prints the same field names the C code uses. Layouts are part of the pinned-map
 * ABI: a loader reuses maps another process pinned, so change them only together
 * with DOT11XDP_ABI_VERSION.
 */
#ifndef DOT11XDP_STRUCTS_H
#define DOT11XDP_STRUCTS_H

#include <linux/types.h>

#define DOT11XDP_ABI_VERSION 3

#define DOT11XDP_MAC_LEN 6
/* 16 QoS TIDs + one for robust management frames (IEEE 802.11 12.5.3.4.4). */
#define DOT11XDP_REPLAY_COUNTERS 17
#define DOT11XDP_REPLAY_MGMT 16
#define DOT11XDP_TK_MAX 32
/* AES-256 has 15 round keys of 4 words. */
#define DOT11XDP_AES_SCHEDULE_WORDS 60

/* Map names, at most 15 characters (BPF_OBJ_NAME_LEN - 1): the pin file names too. */
#define DOT11XDP_MAP_KEYS "dot11xdp_keys"
#define DOT11XDP_MAP_STATS "dot11xdp_stats"
#define DOT11XDP_MAP_PEERS "dot11xdp_peers"
#define DOT11XDP_MAP_CONFIG "dot11xdp_config"
#define DOT11XDP_MAP_CRYPTO "dot11xdp_crypto"
#define DOT11XDP_MAP_TX_STATS "dot11xdp_txstat"

#define DOT11XDP_KEYS_DEFAULT 4096
#define DOT11XDP_KEYS_MAX 1000000

/* Values are Windows DOT11_CIPHER_ALGORITHM values, so one number means one cipher everywhere. */
enum dot11xdp_cipher {
	DOT11XDP_CIPHER_NONE = 0x00,
	DOT11XDP_CIPHER_WEP40 = 0x01,
	DOT11XDP_CIPHER_TKIP = 0x02,
	DOT11XDP_CIPHER_CCMP = 0x04,
	DOT11XDP_CIPHER_WEP104 = 0x05,
	DOT11XDP_CIPHER_GCMP = 0x08,
	DOT11XDP_CIPHER_GCMP_256 = 0x09,
	DOT11XDP_CIPHER_CCMP_256 = 0x0a,
};

/* Values are Windows DOT11_DIRECTION values. */
enum dot11xdp_direction {
	DOT11XDP_DIR_INBOUND = 1,
	DOT11XDP_DIR_OUTBOUND = 2,
	DOT11XDP_DIR_BOTH = 3,
};

enum dot11xdp_key_flags {
	DOT11XDP_KEY_STATIC = 1 << 0,	/* survives "disconnect"; only reset or delete removes it */
	DOT11XDP_KEY_SPP_AMSDU = 1 << 1, /* A-MSDU bit of QoS Control is protected (SPP) */
};

/* Which AES implementation the key's material was prepared for. */
enum dot11xdp_engine {
	DOT11XDP_ENGINE_TABLE = 1, /* pure BPF, table-driven: fast, not constant-time */
	DOT11XDP_ENGINE_KFUNC = 2, /* kernel BPF crypto kfuncs (aes-fixed-time): constant-time */
};

/* Identity of a key-mapping key, as Windows defines it: (PeerMacAddr, Direction). */
struct dot11xdp_key_id {
	__u8 peer[DOT11XDP_MAC_LEN];
	__u8 direction; /* enum dot11xdp_direction */
	__u8 pad;
};

/* The receive counters of one transmitter for one key. */
struct dot11xdp_replay {
	__u64 pn[DOT11XDP_REPLAY_COUNTERS];
};

enum dot11xdp_replay_end {
	DOT11XDP_FROM_PEER = 0, /* frames whose TA is the key's peer */
	DOT11XDP_TO_PEER = 1,	/* frames whose RA is the key's peer (a monitor hears both ends) */
	DOT11XDP_REPLAY_ENDS = 2,
};

/* TKIP key material: the 16-byte TK and two 8-byte Michael keys (the blob's ucTKIPMICKeys). */
#define DOT11XDP_TKIP_TK_LEN 16
#define DOT11XDP_MICHAEL_KEY_LEN 8
#define DOT11XDP_TKIP_KEY_LEN (DOT11XDP_TKIP_TK_LEN + 2 * DOT11XDP_MICHAEL_KEY_LEN)
#define DOT11XDP_WEP40_KEY_LEN 5
#define DOT11XDP_WEP104_KEY_LEN 13

struct dot11xdp_tkip_material {
	__u8 tk[DOT11XDP_TKIP_TK_LEN];
	/*
	 * The two Michael keys in the order of Windows' blob: [0] the RX MIC key (PTK bytes
	 * 48-55, the authenticator's TX key: frames AP->STA), [1] the TX MIC key (PTK bytes
	 * 56-63: frames STA->AP). The data path picks one by the frame's DS bits, not by which
	 * address found the key (bpf/lib/protect.h, tkip_michael_key).
	 */
	__u8 michael[DOT11XDP_REPLAY_ENDS][DOT11XDP_MICHAEL_KEY_LEN];
};

/* WEP-40 / WEP-104: the raw key, tk_len (5 or 13) bytes of it. */
struct dot11xdp_wep_material {
	__u8 key[DOT11XDP_WEP104_KEY_LEN];
};

/* Secret part of a key, prepared by the loader for the key's cipher (and engine, for AES). */
struct dot11xdp_key_material {
	/* One cipher per key: the forms share the space, so no cipher makes the key table bigger. */
	union {
		struct {
			/* table engine: expanded encryption key */
			__u32 aes_schedule[DOT11XDP_AES_SCHEDULE_WORDS];
			/* GCMP, either engine: GHASH's hash subkey H = AES_K(0^128), as bytes */
			__u8 ghash_h[16];
		};
		struct dot11xdp_tkip_material tkip;
		struct dot11xdp_wep_material wep;
	};
};

/*
 * Value of dot11xdp_keys. A key is installed or replaced by a whole-element update of
 * the hash map, so the data path sees the old key or the new one, never a mix; the
 * replay counters live in the element and therefore start afresh with a new key.
 */
struct dot11xdp_key {
	__u32 cipher; /* enum dot11xdp_cipher */
	__u8 flags;   /* enum dot11xdp_key_flags */
	__u8 tk_len;  /* temporal key length in bytes (TKIP: 32, the TK and both Michael keys) */
	__u8 engine;  /* enum dot11xdp_engine */
	__u8 pad;
	__u64 generation; /* unique per install, never reused */
	__u64 rx_pn_init; /* starting receive PN (ucIV48Counter) */
	/*
	 * The next transmit PN (TKIP: TSC; WEP: its low 24 bits make the IV), taken by an
	 * atomic fetch-and-add per frame, so never twice; 0 is skipped, a key starts at 1.
	 * The transmit path refuses to protect with a PN above 2^48 - 1.
	 */
	__u64 tx_pn;
	struct dot11xdp_replay rx[DOT11XDP_REPLAY_ENDS];
	struct dot11xdp_key_material material;
};

/*
 * The kfunc engine keeps a key's kernel AES contexts in dot11xdp_crypto, keyed by the key's
 * generation (unique system-wide): they cannot live in dot11xdp_key, as a whole-element
 * update from user space cannot carry kptrs. A replacement key's contexts are created under
 * its new generation, beside the old ones, before dot11xdp_keys switches to it.
 *
 * Context (ctx_in) of the SEC("syscall") programs that create and destroy an entry of
 * dot11xdp_crypto; they return 0 or a negative errno. The key travels only here, never
 * through a readable map, and the create program zeroes it in the context it returns.
 */
struct dot11xdp_crypto_args {
	__u64 generation; /* dot11xdp_key.generation of the key the contexts belong to */
	__u8 tk[DOT11XDP_TK_MAX];
	__u32 tk_len; /* 16 or 32 */
	__u32 pad;
};

/* Outcome of one received frame. Each has its counter in struct dot11xdp_rx_stats, in this order. */
enum dot11xdp_rx_outcome {
	DOT11XDP_RX_DECRYPTED = 0, /* MIC verified, plaintext delivered */
	DOT11XDP_RX_UNPROTECTED,   /* Protected bit clear: passed unchanged */
	DOT11XDP_RX_NO_KEY,	   /* protected, no key for TA or RA: passed unchanged */
	DOT11XDP_RX_REPLAY,	   /* PN not above the counter: dropped */
	DOT11XDP_RX_MIC_FAILURE,   /* MIC (CCMP, GCMP) or ICV (TKIP, WEP) wrong: dropped */
	DOT11XDP_RX_MALFORMED,	   /* radiotap, 802.11 or security header malformed: dropped */
	DOT11XDP_RX_BAD_FCS,	   /* radiotap says the FCS is bad: dropped, never decrypted */
	DOT11XDP_RX_UNSUPPORTED,   /* protected with a cipher this build does not decrypt: passed */
	/*
	 * TKIP: the ICV verified, the Michael MIC did not: dropped, the TSC left where it was.
	 * Counted apart from MIC failures because TKIP countermeasures act on these.
	 */
	DOT11XDP_RX_MICHAEL_FAILURE,
	DOT11XDP_RX_OUTCOMES,
};

/* Per-CPU counters, global (dot11xdp_stats) and per transmitter (dot11xdp_peers). */
struct dot11xdp_rx_stats {
	__u64 decrypted;
	__u64 unprotected;
	__u64 no_key;
	__u64 replay;
	__u64 mic_failure;
	__u64 malformed;
	__u64 bad_fcs;
	__u64 unsupported;
	__u64 michael_failure;
};

/*
 * An offline instance (report_outcome set in the program's rodata) puts this in the XDP
 * metadata area in front of every frame, so BPF_PROG_TEST_RUN returns the outcome with the
 * frame. A live program is loaded without it and pays nothing.
 */
struct dot11xdp_frame_meta {
	__u32 outcome; /* enum dot11xdp_rx_outcome (enum dot11xdp_tx_outcome from xdp_encrypt) */
};

/* Outcome of one frame the transmit side protects. Counters in struct dot11xdp_tx_stats. */
enum dot11xdp_tx_outcome {
	DOT11XDP_TX_ENCRYPTED = 0, /* protected with the RA's key */
	DOT11XDP_TX_NO_KEY,	   /* no key for the RA: passed unchanged */
	DOT11XDP_TX_UNSUPPORTED,   /* the key's cipher cannot protect this frame here: dropped */
	DOT11XDP_TX_MALFORMED,	   /* not a whole data or management MPDU: dropped */
	DOT11XDP_TX_PN_EXHAUSTED,  /* the key's 48-bit PN space is used up: dropped */
	DOT11XDP_TX_FAILED,	   /* the cipher or the frame's growth failed: dropped */
	DOT11XDP_TX_OUTCOMES,
};

/* Per-CPU counters of the transmit side (dot11xdp_txstat), indexed by enum dot11xdp_tx_outcome. */
struct dot11xdp_tx_stats {
	__u64 encrypted;
	__u64 no_key;
	__u64 unsupported;
	__u64 malformed;
	__u64 pn_exhausted;
	__u64 failed;
};

struct dot11xdp_peer_id {
	__u8 addr[DOT11XDP_MAC_LEN];
	__u16 pad;
};

enum dot11xdp_config_flags {
	DOT11XDP_CFG_EXCLUDE_UNENCRYPTED = 1 << 0, /* drop unprotected data frames but EAPOL */
};

enum dot11xdp_output {
	DOT11XDP_OUTPUT_PASS = 0,  /* XDP_PASS the plaintext 802.11 frame */
	/*
	 * XDP_PASS Ethernet frames only: decrypted data frames, and unprotected ones with an
	 * LLC/SNAP body, become 802.3; every other frame is counted and dropped. For offline
	 * decryption (dot11xdp decrypt --ether); live Ethernet output needs a redirect.
	 */
	DOT11XDP_OUTPUT_ETHER = 1,
};

/* Value of the single-entry dot11xdp_config array. */
struct dot11xdp_config {
	__u32 abi_version; /* DOT11XDP_ABI_VERSION of the loader that created the maps */
	__u32 flags;	   /* enum dot11xdp_config_flags */
	__u32 output;	   /* enum dot11xdp_output */
	__u32 engine;	   /* enum dot11xdp_engine new keys are prepared for */
};

#endif /* DOT11XDP_STRUCTS_H */
