/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* libdot11xdp internals: the adapter object and helpers shared by the library's files. */
#ifndef DOT11XDP_INTERNAL_H
#define DOT11XDP_INTERNAL_H

#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <pthread.h>
#include <stdint.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include <dot11xdp/dot11xdp.h>

struct crypto_ctx_bpf;

struct dot11xdp_adapter {
	/* Serialises key-table writers of this process (disconnect reads, then deletes). */
	pthread_mutex_t write_lock;
	/* References: the registry's, and one per handle lookup in progress. */
	unsigned int refs;
	uintptr_t handle;
	bool offline;
	bool read_only;
	char ifname[IF_NAMESIZE];
	int ifindex;
	enum dot11xdp_xdp_mode mode;
	char pin_dir[PATH_MAX];
	/* Live adapters: the pin directory, flock()ed by key-table writers of every process. */
	int pin_dir_fd;
	int keys_fd;
	int stats_fd;
	int peers_fd;
	int config_fd;
	int prog_fd;
	__u32 prog_id;
	__u32 keys_map_id;
	__u32 key_table_size;
	/* The AES engine keys are prepared for: fixed when the maps were made (dot11xdp_config). */
	enum dot11xdp_engine engine;
	/*
	 * kfunc engine: the program's dot11xdp_crypto map, and the context programs
	 * (bpf/crypto_ctx.bpf.c) loaded against it, which keys.c runs. No programs on a
	 * read-only adapter: they would write the map whatever the fd allows.
	 */
	int crypto_fd;
	struct crypto_ctx_bpf *crypto_skel;
	struct bpf_object *crypto_obj;
};

/* Messages through the one print function (log.c). */
__attribute__((format(printf, 2, 3))) void dot11xdp_print(enum dot11xdp_print_level level,
							  const char *fmt, ...);
#define pr_warn(fmt, ...) dot11xdp_print(DOT11XDP_WARN, "libdot11xdp: " fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) dot11xdp_print(DOT11XDP_INFO, "libdot11xdp: " fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) dot11xdp_print(DOT11XDP_DEBUG, "libdot11xdp: " fmt, ##__VA_ARGS__)

/* Route libbpf's and libxdp's messages to ours while the library calls them; restores after. */
void dot11xdp_log_enter(void);
void dot11xdp_log_leave(void);

/* Handle registry (handle.c): live adapters by opaque handle value. */
int dot11xdp_handle_register(struct dot11xdp_adapter *adapter);
/* Removes adapter from the registry; returns true when the caller now holds the last reference. */
bool dot11xdp_handle_unregister(struct dot11xdp_adapter *adapter);
/* The adapter behind handle, with a reference taken; NULL for a NULL, closed or unknown one. */
struct dot11xdp_adapter *dot11xdp_handle_get(const void *handle);
/* Drops a reference taken by dot11xdp_handle_get; frees the adapter on the last one. */
void dot11xdp_handle_put(struct dot11xdp_adapter *adapter);
/* Frees the adapter's resources (adapter.c); called with the last reference. */
void dot11xdp_adapter_free(struct dot11xdp_adapter *adapter);

/* bpffs and pin directories (bpffs.c). */
int dot11xdp_bpffs_prepare(const char *pin_root);
int dot11xdp_mkdir_private(const char *path);
/* flock() path's directory; returns the locked fd or -errno. Closing the fd unlocks. */
int dot11xdp_dir_lock(const char *path, int operation);

/* Key-table writers of every process hold this around their change (keys.c). */
int dot11xdp_write_begin(struct dot11xdp_adapter *adapter);
void dot11xdp_write_end(struct dot11xdp_adapter *adapter);

/* A never-reused 64-bit install generation (keys.c). */
int dot11xdp_next_generation(__u64 *generation);

/* True for a MAC a key may belong to: not zero, not group (multicast or broadcast). */
static inline bool dot11xdp_mac_is_unicast(const __u8 *mac)
{
	static const __u8 zero[DOT11XDP_MAC_LEN];

	return !(mac[0] & 0x01) && __builtin_memcmp(mac, zero, DOT11XDP_MAC_LEN);
}

/* libbpf 1.0 style: NULL and errno from a negative errno. */
static inline void *dot11xdp_err_ptr(int err)
{
	errno = -err;
	return NULL;
}

#endif
