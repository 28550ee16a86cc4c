/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libdot11xdp: the native API.
 *
 * An adapter is the dot11xdp receive program on one monitor-mode interface, with its maps
 * pinned under <bpffs>/dot11xdp/<ifname>/, or an offline instance of the same program
 * (no interface, nothing pinned) that runs frames through BPF_PROG_TEST_RUN.
 *
 * Conventions follow libbpf 1.0: functions returning a pointer return NULL and set errno;
 * functions returning int return 0 or a negative errno. The Windows-compatible layer
 * (windot11.h) sits on top of this API.
 */
#ifndef DOT11XDP_H
#define DOT11XDP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include <dot11xdp/dot11xdp_structs.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef DOT11XDP_API
#define DOT11XDP_API __attribute__((visibility("default")))
#endif

#define DOT11XDP_PIN_ROOT "/sys/fs/bpf/dot11xdp"

/* Levels compatible with libbpf's and libxdp's. */
enum dot11xdp_print_level {
	DOT11XDP_WARN,
	DOT11XDP_INFO,
	DOT11XDP_DEBUG,
};
typedef int (*dot11xdp_print_fn_t)(enum dot11xdp_print_level level, const char *fmt, va_list ap);

/*
 * Where the library's messages go, libbpf's and libxdp's included (those are demoted one
 * level: their warnings arrive as DOT11XDP_INFO). The default prints DOT11XDP_WARN lines,
 * each one actionable sentence, to stderr. NULL silences everything. Returns the old one.
 */
DOT11XDP_API dot11xdp_print_fn_t dot11xdp_set_print(dot11xdp_print_fn_t fn);

struct dot11xdp_adapter;

enum dot11xdp_xdp_mode {
	DOT11XDP_MODE_SKB = 0,	  /* generic XDP: what monitor-mode Wi-Fi drivers offer (default) */
	DOT11XDP_MODE_NATIVE = 1, /* driver XDP, where the driver has it */
};

struct dot11xdp_open_opts {
	size_t sz;			/* sizeof(struct dot11xdp_open_opts), for forward compatibility */
	enum dot11xdp_xdp_mode mode;
	__u32 key_table_size;		/* 0: DOT11XDP_KEYS_DEFAULT; at most DOT11XDP_KEYS_MAX */
	const char *pin_root;		/* NULL: DOT11XDP_PIN_ROOT */
	bool no_attach;			/* only reuse an existing attachment: -ENOENT when none */
	bool read_only;			/* open the maps read-only: key changes fail with -EPERM */
	/*
	 * The AES engine keys are prepared for, an enum dot11xdp_engine; 0 for the default.
	 * Live: the kfunc engine (constant-time: live frames are attacker-supplied) where the
	 * kernel has the BPF crypto kfuncs, else the table engine with a warning. Offline: the
	 * table engine (fastest; a capture gives no timing feedback). An engine the kernel
	 * lacks is -EOPNOTSUPP. An attachment keeps the engine it was made with: reusing it
	 * with another one is -EEXIST (detach first).
	 */
	__u32 engine;
	size_t : 0;
};

/*
 * Attach to ifname, or reuse the attachment another process made (found through the pinned
 * maps), so keys set through any handle reach the running program. Mounts bpffs at
 * /sys/fs/bpf when it is missing. The engine decides the program loaded: with the table
 * engine, a build without the kfunc engine (it loads on kernels that lack the kfuncs).
 */
DOT11XDP_API struct dot11xdp_adapter *dot11xdp_adapter__open(const char *ifname,
							      const struct dot11xdp_open_opts *opts);

/*
 * Load the receive program without attaching or pinning anything: for offline decryption.
 * Its frames report their outcome (dot11xdp_adapter__run_frame). opts may be NULL; mode,
 * pin_root and no_attach do not apply.
 */
DOT11XDP_API struct dot11xdp_adapter *
dot11xdp_adapter__open_offline(const struct dot11xdp_open_opts *opts);

/* Forget the handle; the program stays attached and the maps stay pinned. NULL is a no-op. */
DOT11XDP_API void dot11xdp_adapter__close(struct dot11xdp_adapter *adapter);

/* Remove the program from the interface and the pins, then close (also on failure). */
DOT11XDP_API int dot11xdp_adapter__detach(struct dot11xdp_adapter *adapter);

/* "" for an offline adapter. */
DOT11XDP_API const char *dot11xdp_adapter__ifname(const struct dot11xdp_adapter *adapter);

/* The pin directory, <pin_root>/<ifname>; "" for an offline adapter. */
DOT11XDP_API const char *dot11xdp_adapter__pin_dir(const struct dot11xdp_adapter *adapter);

/* ID of the receive program (the attached one for a live adapter). */
DOT11XDP_API __u32 dot11xdp_adapter__prog_id(const struct dot11xdp_adapter *adapter);

/* How the program is attached; DOT11XDP_MODE_SKB for an offline adapter. */
DOT11XDP_API enum dot11xdp_xdp_mode
dot11xdp_adapter__mode(const struct dot11xdp_adapter *adapter);

/* The AES engine the adapter's keys are prepared for (also in dot11xdp_config.engine). */
DOT11XDP_API enum dot11xdp_engine
dot11xdp_adapter__engine(const struct dot11xdp_adapter *adapter);

/* Capacity of the key table (max_entries of dot11xdp_keys). */
DOT11XDP_API __u32 dot11xdp_adapter__key_table_size(const struct dot11xdp_adapter *adapter);

/* The handle Dot11ExtSetKeyMappingKey and its siblings take for this adapter. */
DOT11XDP_API void *dot11xdp_adapter__handle(const struct dot11xdp_adapter *adapter);

/*
 * The fd of the adapter's key map (dot11xdp_keys), for tools that must save and restore a
 * key's whole state, replay counters included (offline candidate keys). Owned by the adapter.
 * On the kfunc engine a saved value names kernel contexts (by its generation) that the library
 * releases when the key is replaced or deleted: restoring it later leaves a key whose frames
 * all fail, so save and restore values on the table engine only.
 */
DOT11XDP_API int dot11xdp_adapter__keys_map_fd(const struct dot11xdp_adapter *adapter);

/* The adapter settings (dot11xdp_config). */
DOT11XDP_API int dot11xdp_adapter__config(struct dot11xdp_adapter *adapter,
					  struct dot11xdp_config *config);

/*
 * What the program does with a decrypted frame: an enum dot11xdp_output value. Ethernet
 * output is for offline adapters (-EOPNOTSUPP on a live one).
 */
DOT11XDP_API int dot11xdp_adapter__set_output(struct dot11xdp_adapter *adapter, __u32 output);

/*
 * Install or replace the key (id->peer, id->direction) in one map update: cipher an enum
 * dot11xdp_cipher, tk the temporal key, rx_pn the starting receive PN (every replay counter
 * starts there), flags enum dot11xdp_key_flags. A new generation each time. On the kfunc
 * engine an AES key's kernel contexts are created first and the replaced key's released
 * after the update. Returns 0, -EINVAL (bad id or length), -EOPNOTSUPP (cipher), -E2BIG
 * (table full), -EPERM/-EACCES, or another negative errno; on failure the maps are unchanged.
 */
DOT11XDP_API int dot11xdp_adapter__set_key(struct dot11xdp_adapter *adapter,
					   const struct dot11xdp_key_id *id, __u32 cipher,
					   const __u8 *tk, __u32 tk_len, __u64 rx_pn, __u8 flags);

/*
 * Remove the key (id->peer, id->direction), and its kernel contexts: 0, -ENOENT when there
 * was none, or -errno. disconnect and reset release the contexts of what they remove too.
 */
DOT11XDP_API int dot11xdp_adapter__delete_key(struct dot11xdp_adapter *adapter,
					      const struct dot11xdp_key_id *id);

/* Remove every non-static key, of one peer or (peer NULL) of all peers. */
DOT11XDP_API int dot11xdp_adapter__disconnect(struct dot11xdp_adapter *adapter, const __u8 *peer);

/* Remove every key, static ones too. */
DOT11XDP_API int dot11xdp_adapter__reset(struct dot11xdp_adapter *adapter);

/* What a key listing shows: never the key bytes. */
struct dot11xdp_key_info {
	struct dot11xdp_key_id id;
	__u32 cipher;
	__u8 flags;
	__u8 engine;
	__u64 generation;
	__u64 rx_pn_init;
};

/* Calls fn for each key; stops early and returns fn's value when it is non-zero. */
DOT11XDP_API int
dot11xdp_adapter__for_each_key(struct dot11xdp_adapter *adapter,
			       int (*fn)(const struct dot11xdp_key_info *key, void *ctx),
			       void *ctx);

/* Global counters, summed over CPUs. */
DOT11XDP_API int dot11xdp_adapter__stats(struct dot11xdp_adapter *adapter,
					 struct dot11xdp_rx_stats *stats);

/* Per-transmitter counters, summed over CPUs. Same early stop as for_each_key. */
DOT11XDP_API int
dot11xdp_adapter__for_each_peer_stats(struct dot11xdp_adapter *adapter,
				      int (*fn)(const __u8 *addr,
						const struct dot11xdp_rx_stats *stats, void *ctx),
				      void *ctx);

/* Result of running one frame through the receive program (offline or in tests). */
struct dot11xdp_frame_result {
	__u32 xdp_action; /* XDP_PASS, XDP_DROP, ... */
	__u32 outcome;	  /* enum dot11xdp_rx_outcome */
	__u32 out_len;	  /* bytes written to out */
};

/*
 * Run one radiotap frame through an offline adapter's receive program with
 * BPF_PROG_TEST_RUN (len at least 14 bytes, the kernel's minimum). out receives the frame
 * as the program left it, without the outcome metadata; -ENOSPC when out_size is too small.
 */
DOT11XDP_API int dot11xdp_adapter__run_frame(struct dot11xdp_adapter *adapter, const void *frame,
					     __u32 len, void *out, __u32 out_size,
					     struct dot11xdp_frame_result *result);

#ifdef __cplusplus
}
#endif

#endif /* DOT11XDP_H */
