// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The key table: install, replace, delete, disconnect, reset and list key-mapping keys.
 *
 * On the kfunc engine an AES key's secret lives in kernel contexts (dot11xdp_crypto, under
 * the key's generation), not in its map value, so every change follows crypto_ctx.h's
 * order: the new key's contexts before its element, the old key's released after; a failed
 * update releases the new ones, so a refused call leaves both maps as they were.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "crypto_ctx.h"
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

/* The ciphers built on AES; TKIP and WEP (RC4) need no AES engine. */
static bool cipher_uses_aes(__u32 cipher)
{
	switch (cipher) {
	case DOT11XDP_CIPHER_CCMP:
	case DOT11XDP_CIPHER_CCMP_256:
	case DOT11XDP_CIPHER_GCMP:
	case DOT11XDP_CIPHER_GCMP_256:
		return true;
	default:
		return false;
	}
}

/* Whether key has kernel AES contexts under its generation in dot11xdp_crypto. */
static bool key_has_contexts(const struct dot11xdp_key *key)
{
	return key->engine == DOT11XDP_ENGINE_KFUNC && cipher_uses_aes(key->cipher);
}

/*
 * Release the contexts of a key that left dot11xdp_keys (deleted, or replaced by a key with
 * a new generation). The key is gone already, so a failure cannot be undone: say so; a
 * reset or disconnect sweeps what is left (sweep_contexts).
 */
static void release_contexts(struct dot11xdp_adapter *adapter, const struct dot11xdp_key *key)
{
	int err;

	if (!key_has_contexts(key) || !adapter->crypto_obj)
		return;
	err = dot11xdp_crypto_ctx__destroy(adapter->crypto_obj, key->generation);
	if (err && err != -ENOENT)
		pr_warn("cannot release the kernel AES contexts of a removed key: %s; a reset "
			"releases them\n", strerror(-err));
}

int dot11xdp_adapter__set_key(struct dot11xdp_adapter *adapter, const struct dot11xdp_key_id *id,
			      __u32 cipher, const __u8 *tk, __u32 tk_len, __u64 rx_pn, __u8 flags)
{
	struct dot11xdp_key_id key_id;
	struct dot11xdp_key key, old;
	bool contexts = false, replaces;
	int err;

	if (!adapter || !key_id_valid(id) || (!tk && tk_len) || rx_pn >> 48 ||
	    flags & ~(DOT11XDP_KEY_STATIC | DOT11XDP_KEY_SPP_AMSDU))
		return -EINVAL;
	if (!dot11xdp_cipher_tk_len(cipher))
		return -EOPNOTSUPP;
	/*
	 * Before any context exists: the context programs would write dot11xdp_crypto whatever
	 * a read-only fd allows (a read-only adapter has none loaded).
	 */
	if (adapter->read_only)
		return -EPERM;
	key_id = map_key(id);

	err = dot11xdp_write_begin(adapter);
	if (err)
		return err;
	memset(&key, 0, sizeof(key));
	memset(&old, 0, sizeof(old));
	err = dot11xdp_material_prepare(&key, cipher, tk, tk_len, adapter->engine);
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
	contexts = key_has_contexts(&key);
	if (contexts) {
		err = adapter->crypto_obj ? dot11xdp_crypto_ctx__create(adapter->crypto_obj,
									 key.generation, tk, tk_len)
					  : -EPERM;
		if (err)
			goto out;
	}
	/* Writers are serialised: what is read here is what the update replaces. */
	replaces = !bpf_map_lookup_elem(adapter->keys_fd, &key_id, &old);
	/* One element update: the data path sees the old key or this one, never a mix. */
	if (bpf_map_update_elem(adapter->keys_fd, &key_id, &key, BPF_ANY)) {
		err = -errno;
		if (contexts)
			dot11xdp_crypto_ctx__destroy(adapter->crypto_obj, key.generation);
		goto out;
	}
	if (replaces)
		release_contexts(adapter, &old);
out:
	dot11xdp_write_end(adapter);
	explicit_bzero(&key, sizeof(key));
	explicit_bzero(&old, sizeof(old));
	return err;
}

int dot11xdp_adapter__delete_key(struct dot11xdp_adapter *adapter,
				 const struct dot11xdp_key_id *id)
{
	struct dot11xdp_key_id key_id;
	struct dot11xdp_key old;
	bool found;
	int err;

	if (!adapter || !key_id_valid(id))
		return -EINVAL;
	key_id = map_key(id);
	err = dot11xdp_write_begin(adapter);
	if (err)
		return err;
	found = !bpf_map_lookup_elem(adapter->keys_fd, &key_id, &old);
	if (bpf_map_delete_elem(adapter->keys_fd, &key_id))
		err = -errno;
	else if (found)
		release_contexts(adapter, &old);
	dot11xdp_write_end(adapter);
	explicit_bzero(&old, sizeof(old));
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
	if (bpf_map_delete_elem(rc->adapter->keys_fd, id)) {
		if (errno != ENOENT && !rc->first_err)
			rc->first_err = -errno;
		return 0;
	}
	release_contexts(rc->adapter, key);
	return 0;
}

/* The generations that have contexts, of the keys in the table. */
struct generations {
	__u64 *v;
	size_t n, cap;
};

static int collect_generation(const struct dot11xdp_key_id *id, const struct dot11xdp_key *key,
			      void *ctx)
{
	struct generations *g = ctx;

	if (!key_has_contexts(key))
		return 0;
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 64;
		__u64 *grown = realloc(g->v, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		g->v = grown;
		g->cap = cap;
	}
	g->v[g->n++] = key->generation;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Remove the contexts no key uses: left by a writer that died between creating a key's
 * contexts and installing it, or by a release that failed. Writers hold the write lock
 * from the one to the other, and so does the caller: nothing is in flight.
 */
static int sweep_contexts(struct dot11xdp_adapter *adapter)
{
	struct generations used = {}, orphans = {};
	__u64 cur, next;
	bool first = true;
	int err;

	if (adapter->crypto_fd < 0 || !adapter->crypto_obj)
		return 0;
	err = walk_keys(adapter, collect_generation, &used);
	if (err)
		goto out;
	qsort(used.v, used.n, sizeof(*used.v), cmp_u64);
	while (!bpf_map_get_next_key(adapter->crypto_fd, first ? NULL : &cur, &next)) {
		first = false;
		cur = next;
		if (bsearch(&next, used.v, used.n, sizeof(*used.v), cmp_u64))
			continue;
		if (orphans.n == orphans.cap) {
			size_t cap = orphans.cap ? 2 * orphans.cap : 16;
			__u64 *grown = realloc(orphans.v, cap * sizeof(*grown));

			if (!grown) {
				err = -ENOMEM;
				goto out;
			}
			orphans.v = grown;
			orphans.cap = cap;
		}
		orphans.v[orphans.n++] = next;
	}
	if (errno != ENOENT) {
		err = -errno;
		goto out;
	}
	/* Deleting the element releases its contexts (the map's kptr destructor). */
	for (size_t i = 0; i < orphans.n; i++)
		if (bpf_map_delete_elem(adapter->crypto_fd, &orphans.v[i]) && errno != ENOENT &&
		    !err)
			err = -errno;
	if (orphans.n)
		pr_info("released the kernel AES contexts of %zu keys no longer installed\n",
			orphans.n);
out:
	free(used.v);
	free(orphans.v);
	return err;
}

static int remove_keys(struct dot11xdp_adapter *adapter, const __u8 *peer, bool keep_static)
{
	struct remove_ctx rc = { adapter, peer, keep_static, 0 };
	int err, sweep_err;

	if (!adapter)
		return -EINVAL;
	err = dot11xdp_write_begin(adapter);
	if (err)
		return err;
	err = walk_keys(adapter, remove_one, &rc);
	sweep_err = sweep_contexts(adapter);
	dot11xdp_write_end(adapter);
	if (!err)
		err = rc.first_err;
	return err ? err : sweep_err;
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
