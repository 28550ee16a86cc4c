// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "offline.h"
#include "util.h"

/* Offline keys serve both directions of a pair, as a monitor hears them. */
#define OFFLINE_DIRECTION DOT11_DIR_BOTH

bool offline_delivered(const struct dot11xdp_frame_result *result)
{
	return result->xdp_action != XDP_DROP && result->xdp_action != XDP_ABORTED;
}

void offline_keys_init(struct offline_keys *keys)
{
	memset(keys, 0, sizeof(*keys));
	keys->keys_fd = keys->stats_fd = keys->peers_fd = -1;
}

void offline_keys_free(struct offline_keys *keys)
{
	for (unsigned int i = 0; i < keys->count; i++) {
		struct offline_peer *peer = &keys->peers[i];

		for (unsigned int k = 0; k < peer->count; k++) {
			if (peer->keys[k].state) {
				explicit_bzero(peer->keys[k].state, keys->key_value_size);
				free(peer->keys[k].state);
			}
		}
		explicit_bzero(peer->keys, peer->count * sizeof(struct offline_key));
		free(peer->keys);
	}
	free(keys->peers);
	if (keys->stats_fd >= 0)
		close(keys->stats_fd);
	if (keys->peers_fd >= 0)
		close(keys->peers_fd);
	offline_keys_init(keys);
}

static struct offline_peer *find_peer(struct offline_keys *keys, const __u8 *addr)
{
	for (unsigned int i = 0; i < keys->count; i++)
		if (!memcmp(keys->peers[i].addr, addr, 6))
			return &keys->peers[i];
	return NULL;
}

int offline_keys_add(struct offline_keys *keys, char *arg)
{
	char *eq = strchr(arg, '='), *colon = eq ? strchr(eq + 1, ':') : NULL;
	const struct cli_cipher *cipher;
	struct offline_peer *peer;
	struct offline_key *grown;
	char mac_text[CLI_MAC_STRLEN] = "", cipher_name[16] = "";
	__u8 mac[6];
	int len;

	if (!eq || !colon || eq - arg >= CLI_MAC_STRLEN || colon - eq - 1 >= (long)sizeof(cipher_name)) {
		cli_scrub_arg(arg);
		cli_err("--key wants PEER=CIPHER:HEXKEY, e.g. 00:13:ce:55:98:ef=ccmp:1d035e8b...");
		return -EINVAL;
	}
	memcpy(mac_text, arg, eq - arg);
	memcpy(cipher_name, eq + 1, colon - eq - 1);
	if (cli_parse_mac(mac_text, mac)) {
		cli_scrub_arg(arg);
		cli_err("--key: '%s' is not a MAC address (want aa:bb:cc:dd:ee:ff)", mac_text);
		return -EINVAL;
	}
	if (!cli_mac_is_unicast(mac)) {
		cli_scrub_arg(arg);
		cli_err("--key: %s is not a unicast station address", mac_text);
		return -EINVAL;
	}
	cipher = cli_cipher_by_name(cipher_name);
	if (!cipher) {
		cli_scrub_arg(arg);
		cli_err("--key: unknown cipher '%s'; one of %s", cipher_name, cli_cipher_list());
		return -EINVAL;
	}

	peer = find_peer(keys, mac);
	if (!peer) {
		struct offline_peer *peers = realloc(keys->peers, (keys->count + 1) * sizeof(*peers));

		if (!peers) {
			cli_scrub_arg(arg);
			cli_err("out of memory");
			return -ENOMEM;
		}
		keys->peers = peers;
		peer = &peers[keys->count++];
		memset(peer, 0, sizeof(*peer));
		memcpy(peer->addr, mac, 6);
	}
	grown = calloc(peer->count + 1, sizeof(*grown));
	if (!grown) {
		cli_scrub_arg(arg);
		cli_err("out of memory");
		return -ENOMEM;
	}
	if (peer->count) {
		memcpy(grown, peer->keys, peer->count * sizeof(*grown));
		explicit_bzero(peer->keys, peer->count * sizeof(*grown));
	}
	free(peer->keys);
	peer->keys = grown;

	len = cli_key_from_hex(cipher, colon + 1, grown[peer->count].key);
	cli_scrub_arg(arg);
	if (len < 0)
		return len;
	grown[peer->count].cipher = cipher;
	grown[peer->count].len = (unsigned int)len;
	peer->count++;
	return 0;
}

static int set_key(struct offline_keys *keys, const struct offline_peer *peer,
		   const struct offline_key *key)
{
	PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE value;
	DWORD rc;

	value = cli_key_value_add(peer->addr, key->cipher, OFFLINE_DIRECTION, false, 0, key->key,
				  key->len);
	if (!value) {
		cli_err("out of memory");
		return -ENOMEM;
	}
	rc = Dot11ExtSetKeyMappingKey(dot11xdp_adapter__handle(keys->adapter), value);
	cli_key_value_free(value);
	if (rc != ERROR_SUCCESS) {
		cli_report_key_error(rc, "offline adapter", peer->addr, key->cipher->name);
		return -EINVAL;
	}
	return 0;
}

int offline_keys_install(struct offline_keys *keys, struct dot11xdp_adapter *adapter)
{
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info);
	int err;

	keys->adapter = adapter;
	keys->keys_fd = dot11xdp_adapter__keys_map_fd(adapter);
	if (keys->keys_fd < 0 || bpf_obj_get_info_by_fd(keys->keys_fd, &info, &info_len)) {
		cli_err("cannot read the key map of the offline adapter: %s",
			strerror(keys->keys_fd < 0 ? -keys->keys_fd : errno));
		return -EINVAL;
	}
	keys->key_value_size = info.value_size;

	/* Last candidate first, so every one is checked by the library and the first stays. */
	for (unsigned int i = 0; i < keys->count; i++) {
		struct offline_peer *peer = &keys->peers[i];

		for (unsigned int k = peer->count; k-- > 0;) {
			err = set_key(keys, peer, &peer->keys[k]);
			if (err)
				return err;
		}
		peer->current = 0;
	}
	return 0;
}

/*
 * The program's counter maps, found by name among the maps of the offline program (the
 * library hands out only the key map's fd). Done once, on the first candidate trial.
 */
static int find_counter_maps(struct offline_keys *keys)
{
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info), map_ids[64], n;
	int prog_fd, err = 0;

	prog_fd = bpf_prog_get_fd_by_id(dot11xdp_adapter__prog_id(keys->adapter));
	if (prog_fd < 0)
		return -errno;
	info.nr_map_ids = sizeof(map_ids) / sizeof(map_ids[0]);
	info.map_ids = (__u64)(unsigned long)map_ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &info_len))
		err = -errno;
	close(prog_fd);
	if (err)
		return err;

	n = info.nr_map_ids < 64 ? info.nr_map_ids : 64;
	for (__u32 i = 0; i < n; i++) {
		struct bpf_map_info m = {};
		__u32 m_len = sizeof(m);
		int fd = bpf_map_get_fd_by_id(map_ids[i]);

		if (fd < 0)
			return -errno;
		if (bpf_obj_get_info_by_fd(fd, &m, &m_len)) {
			err = -errno;
			close(fd);
			return err;
		}
		if (keys->stats_fd < 0 && !strcmp(m.name, DOT11XDP_MAP_STATS)) {
			keys->stats_fd = fd;
			keys->stats_value_size = m.value_size;
		} else if (keys->peers_fd < 0 && !strcmp(m.name, DOT11XDP_MAP_PEERS)) {
			keys->peers_fd = fd;
			keys->peer_value_size = m.value_size;
		} else {
			close(fd);
		}
	}
	if (keys->stats_fd < 0 || keys->peers_fd < 0)
		return -ENOENT;
	if (keys->stats_value_size < sizeof(struct dot11xdp_rx_stats) ||
	    keys->peer_value_size < sizeof(struct dot11xdp_rx_stats))
		return -EPROTO;
	keys->ncpus = libbpf_num_possible_cpus();
	return keys->ncpus > 0 ? 0 : keys->ncpus;
}

/* The counters of one per-CPU map element, as BPF_MAP_LOOKUP_ELEM returns them. */
struct counter_snapshot {
	void *values; /* ncpus values, each rounded up to 8 bytes */
	__u32 stride;
	bool present;
};

static int snapshot(struct offline_keys *keys, int fd, const void *key, __u32 value_size,
		    struct counter_snapshot *s)
{
	s->stride = (value_size + 7) & ~7u;
	s->values = calloc(keys->ncpus, s->stride);
	if (!s->values)
		return -ENOMEM;
	s->present = !bpf_map_lookup_elem(fd, key, s->values);
	if (!s->present && errno != ENOENT)
		return -errno;
	return 0;
}

/*
 * Count the frame under its final outcome instead of its first one, in the snapshot. The
 * counters of struct dot11xdp_rx_stats are in enum dot11xdp_rx_outcome order.
 */
static void move_outcome(struct offline_keys *keys, struct counter_snapshot *s, __u32 from,
			 __u32 to)
{
	for (int cpu = 0; cpu < keys->ncpus; cpu++) {
		__u64 *counters = (__u64 *)((char *)s->values + (size_t)cpu * s->stride);

		if (counters[from]) {
			counters[from]--;
			counters[to]++;
			return;
		}
	}
}

static int restore(int fd, const void *key, const struct counter_snapshot *s)
{
	if (s->present)
		return bpf_map_update_elem(fd, key, s->values, BPF_ANY) ? -errno : 0;
	if (bpf_map_delete_elem(fd, key) && errno != ENOENT)
		return -errno;
	return 0;
}

/* The peer whose key the program used: the TA's when it has one, else the RA's. */
static struct offline_peer *frame_peer(struct offline_keys *keys, const __u8 *frame, __u32 len,
				       const __u8 **ta)
{
	struct offline_peer *peer;
	__u32 rt_len;

	if (len < 8)
		return NULL;
	rt_len = frame[2] | frame[3] << 8;
	if (rt_len < 8 || rt_len + 16 > len)
		return NULL;
	*ta = frame + rt_len + 10;
	peer = find_peer(keys, *ta);
	return peer ? peer : find_peer(keys, frame + rt_len + 4);
}

/* Install candidate k: its saved state when it was current before, else afresh. */
static int load_candidate(struct offline_keys *keys, const struct offline_peer *peer,
			  unsigned int k, const struct dot11xdp_key_id *id)
{
	const struct offline_key *key = &peer->keys[k];

	if (key->state)
		return bpf_map_update_elem(keys->keys_fd, id, key->state, BPF_ANY) ? -errno : 0;
	return set_key(keys, peer, key);
}

int offline_keys_retry(struct offline_keys *keys, const void *frame, __u32 len, void *out,
		       __u32 out_size, struct dot11xdp_frame_result *result)
{
	struct counter_snapshot global = {}, per_ta = {};
	struct dot11xdp_key_id id = {};
	struct dot11xdp_peer_id ta_id = {};
	__u32 first_outcome = result->outcome;
	struct offline_key *current;
	struct offline_peer *peer;
	const __u8 *ta = NULL;
	unsigned int winner = 0;
	bool won = false;
	__u32 zero = 0;
	int err;

	peer = frame_peer(keys, frame, len, &ta);
	if (!peer || peer->count < 2)
		return 0;
	if (keys->stats_fd < 0) {
		err = find_counter_maps(keys);
		if (err) {
			cli_err("cannot find the offline program's counter maps: %s", strerror(-err));
			return err;
		}
	}

	/* Save what the trials overwrite: the current key with its replay counters, and the
	 * counters the first run already moved. */
	memcpy(id.peer, peer->addr, 6);
	id.direction = OFFLINE_DIRECTION;
	memcpy(ta_id.addr, ta, 6);
	current = &peer->keys[peer->current];
	if (!current->state)
		current->state = malloc(keys->key_value_size);
	err = current->state ? 0 : -ENOMEM;
	if (!err && bpf_map_lookup_elem(keys->keys_fd, &id, current->state))
		err = -errno;
	if (!err)
		err = snapshot(keys, keys->stats_fd, &zero, keys->stats_value_size, &global);
	if (!err)
		err = snapshot(keys, keys->peers_fd, &ta_id, keys->peer_value_size, &per_ta);
	if (err) {
		cli_err("cannot save the current key and counters before trying candidates: %s",
			strerror(-err));
		goto out;
	}

	/* The candidates after the current one, then those before it, in command-line order. */
	for (unsigned int step = 1; step < peer->count && !won; step++) {
		unsigned int k = (peer->current + step) % peer->count;
		struct dot11xdp_frame_result trial;

		err = load_candidate(keys, peer, k, &id);
		if (!err)
			err = dot11xdp_adapter__run_frame(keys->adapter, frame, len, out, out_size,
							  &trial);
		if (err)
			break;
		if (trial.outcome == DOT11XDP_RX_DECRYPTED) {
			won = true;
			winner = k;
			*result = trial;
		}
	}

	if (won) {
		peer->current = winner;
		keys->key_changes++;
		move_outcome(keys, &global, first_outcome, DOT11XDP_RX_DECRYPTED);
		move_outcome(keys, &per_ta, first_outcome, DOT11XDP_RX_DECRYPTED);
	} else if (bpf_map_update_elem(keys->keys_fd, &id, current->state, BPF_ANY) && !err) {
		err = -errno;
	}
	if (!err)
		err = restore(keys->stats_fd, &zero, &global);
	if (!err)
		err = restore(keys->peers_fd, &ta_id, &per_ta);
	if (err)
		cli_err("trying the candidate keys of a peer failed: %s", strerror(-err));
out:
	free(global.values);
	free(per_ta.values);
	return err;
}
