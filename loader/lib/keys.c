// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The key table: install, replace, delete, disconnect, reset and list key-mapping keys. */
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "internal.h"
#include "material.h"

/*
 * Generations must never repeat across every process that writes a pinned table, not only
 * within one. A clock cannot promise that (two processes may read the same nanosecond, and
 * CLOCK_REALTIME steps back), so take the kernel's socket cookie: one 64-bit counter shared
 * by the whole system, unique for every socket since boot, never 0. Pinned maps live on
 * bpffs, which does not survive a reboot, so uniqueness per boot is uniqueness per table.
 * It costs one short-lived socket per install; installs are rare.
 */
int dot11xdp_next_generation(__u64 *generation)
{
	socklen_t len = sizeof(*generation);
	int fd, err = 0;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, generation, &len))
		err = -errno;
	else if (len != sizeof(*generation) || !*generation)
		err = -EPROTO;
	close(fd);
	return err;
}

/*
 * Writers of the key table: the mutex orders this process's threads, the flock on the pin
 * directory orders processes sharing a pinned table, so a disconnect that lists and then
 * deletes cannot remove a static key another writer installed in between.
 */
int dot11xdp_write_begin(struct dot11xdp_adapter *adapter)
{
	pthread_mutex_lock(&adapter->write_lock);
	while (adapter->pin_dir_fd >= 0 && flock(adapter->pin_dir_fd, LOCK_EX)) {
		int err = -errno;

		if (err == -EINTR)
			continue;
		pthread_mutex_unlock(&adapter->write_lock);
		return err;
	}
	return 0;
}

void dot11xdp_write_end(struct dot11xdp_adapter *adapter)
{
	if (adapter->pin_dir_fd >= 0)
		flock(adapter->pin_dir_fd, LOCK_UN);
	pthread_mutex_unlock(&adapter->write_lock);
}

static bool key_id_valid(const struct dot11xdp_key_id *id)
{
	return id && id->direction >= DOT11XDP_DIR_INBOUND && id->direction <= DOT11XDP_DIR_BOTH &&
	       dot11xdp_mac_is_unicast(id->peer);
}

/* The map key: the id with its padding zeroed, so equal ids are equal bytes. */
static struct dot11xdp_key_id map_key(const struct dot11xdp_key_id *id)
{
	struct dot11xdp_key_id key;

	memset(&key, 0, sizeof(key));
	memcpy(key.peer, id->peer, DOT11XDP_MAC_LEN);
	key.direction = id->direction;
	return key;
}

static int config_engine(struct dot11xdp_adapter *adapter, enum dot11xdp_engine *engine)
{
	struct dot11xdp_config config;
	__u32 zero = 0;

	if (bpf_map_lookup_elem(adapter->config_fd, &zero, &config))
		return -errno;
	/* A config never written (0) means the default engine. */
	*engine = config.engine ? (enum dot11xdp_engine)config.engine : DOT11XDP_ENGINE_TABLE;
	return 0;
}

int dot11xdp_adapter__set_key(struct dot11xdp_adapter *adapter, const struct dot11xdp_key_id *id,
			      __u32 cipher, const __u8 *tk, __u32 tk_len, __u64 rx_pn, __u8 flags)
{
	struct dot11xdp_key_id key_id;
	enum dot11xdp_engine engine = DOT11XDP_ENGINE_TABLE;
	struct dot11xdp_key key;
	int err;

	if (!adapter || !key_id_valid(id) || (!tk && tk_len) || rx_pn >> 48 ||
	    flags & ~(DOT11XDP_KEY_STATIC | DOT11XDP_KEY_SPP_AMSDU))
		return -EINVAL;
	if (!dot11xdp_cipher_tk_len(cipher))
		return -EOPNOTSUPP;
	key_id = map_key(id);

	err = dot11xdp_write_begin(adapter);
	if (err)
		return err;
	memset(&key, 0, sizeof(key));
	err = config_engine(adapter, &engine);
	if (err)
		goto out;
	err = dot11xdp_material_prepare(&key, cipher, tk, tk_len, engine);
	if (err)
		goto out;
	key.flags = flags;
	key.rx_pn_init = rx_pn;
	/* The data path keeps the last accepted PN: the first frame must be above rx_pn. */
	for (int end = 0; end < DOT11XDP_REPLAY_ENDS; end++)
		for (int i = 0; i < DOT11XDP_REPLAY_COUNTERS; i++)
			key.rx[end].pn[i] = rx_pn;
	err = dot11xdp_next_generation(&key.generation);
	if (err)
		goto out;
	/* One element update: the data path sees the old key or this one, never a mix. */
	if (bpf_map_update_elem(adapter->keys_fd, &key_id, &key, BPF_ANY))
		err = -errno;
out:
	dot11xdp_write_end(adapter);
	explicit_bzero(&key, sizeof(key));
	return err;
}

int dot11xdp_adapter__delete_key(struct dot11xdp_adapter *adapter,
				 const struct dot11xdp_key_id *id)
{
	struct dot11xdp_key_id key_id;
	int err;

	if (!adapter || !key_id_valid(id))
		return -EINVAL;
	key_id = map_key(id);
	err = dot11xdp_write_begin(adapter);
	if (err)
		return err;
	if (bpf_map_delete_elem(adapter->keys_fd, &key_id))
		err = -errno;
	dot11xdp_write_end(adapter);
	return err;
}

/*
 * Calls fn(id, key) for every key, reading the whole table first: deleting while walking
 * with get_next_key restarts the walk from the top when the current key disappears.
 * Every copy of a key value is wiped before it is freed.
 */
static int walk_keys(struct dot11xdp_adapter *adapter,
		     int (*fn)(const struct dot11xdp_key_id *id, const struct dot11xdp_key *key,
			       void *ctx),
		     void *ctx)
{
	struct dot11xdp_key_id *ids = NULL, cur, next;
	size_t n = 0, cap = 0;
	struct dot11xdp_key key;
	bool first = true;
	int err = 0;

	while (!bpf_map_get_next_key(adapter->keys_fd, first ? NULL : &cur, &next)) {
		if (n == cap) {
			size_t grown_cap = cap ? 2 * cap : 64;
			struct dot11xdp_key_id *grown = realloc(ids, grown_cap * sizeof(*ids));

			if (!grown) {
				free(ids);
				return -ENOMEM;
			}
			ids = grown;
			cap = grown_cap;
		}
		ids[n++] = next;
		cur = next;
		first = false;
	}
	if (errno != ENOENT) {
		err = -errno;
		goto out;
	}
	for (size_t i = 0; i < n && !err; i++) {
		if (bpf_map_lookup_elem(adapter->keys_fd, &ids[i], &key)) {
			if (errno == ENOENT) /* removed by another writer meanwhile */
				continue;
			err = -errno;
			break;
		}
		err = fn(&ids[i], &key, ctx);
	}
	explicit_bzero(&key, sizeof(key));
out:
	free(ids);
	return err;
}

struct remove_ctx {
	struct dot11xdp_adapter *adapter;
	const __u8 *peer; /* NULL: every peer */
	bool keep_static;
	int first_err;
};

static int remove_one(const struct dot11xdp_key_id *id, const struct dot11xdp_key *key, void *ctx)
{
	struct remove_ctx *rc = ctx;

	if (rc->peer && memcmp(id->peer, rc->peer, DOT11XDP_MAC_LEN))
		return 0;
	if (rc->keep_static && key->flags & DOT11XDP_KEY_STATIC)
		return 0;
	/* Keep going past a failure: remove every key that can be removed. */
	if (bpf_map_delete_elem(rc->adapter->keys_fd, id) && errno != ENOENT && !rc->first_err)
		rc->first_err = -errno;
	return 0;
}

static int remove_keys(struct dot11xdp_adapter *adapter, const __u8 *peer, bool keep_static)
{
	struct remove_ctx rc = { adapter, peer, keep_static, 0 };
	int err;

	if (!adapter)
		return -EINVAL;
	err = dot11xdp_write_begin(adapter);
	if (err)
		return err;
	err = walk_keys(adapter, remove_one, &rc);
	dot11xdp_write_end(adapter);
	return err ? err : rc.first_err;
}

int dot11xdp_adapter__disconnect(struct dot11xdp_adapter *adapter, const __u8 *peer)
{
	return remove_keys(adapter, peer, true);
}

int dot11xdp_adapter__reset(struct dot11xdp_adapter *adapter)
{
	return remove_keys(adapter, NULL, false);
}

struct list_ctx {
	int (*fn)(const struct dot11xdp_key_info *key, void *ctx);
	void *ctx;
};

static int list_one(const struct dot11xdp_key_id *id, const struct dot11xdp_key *key, void *ctx)
{
	struct list_ctx *lc = ctx;
	struct dot11xdp_key_info info;

	memset(&info, 0, sizeof(info));
	info.id = *id;
	info.cipher = key->cipher;
	info.flags = key->flags;
	info.engine = key->engine;
	info.generation = key->generation;
	info.rx_pn_init = key->rx_pn_init;
	return lc->fn(&info, lc->ctx);
}

int dot11xdp_adapter__for_each_key(struct dot11xdp_adapter *adapter,
				   int (*fn)(const struct dot11xdp_key_info *key, void *ctx),
				   void *ctx)
{
	struct list_ctx lc = { fn, ctx };

	if (!adapter || !fn)
		return -EINVAL;
	return walk_keys(adapter, list_one, &lc);
}

int dot11xdp_adapter__keys_map_fd(const struct dot11xdp_adapter *adapter)
{
	return adapter ? adapter->keys_fd : -EINVAL;
}
