// SPDX-License-Identifier: GPL-2.0
/*
 * key add|del|list, disconnect, reset. Keys go in through Dot11ExtSetKeyMappingKey exactly as
 * an IHV client hands them to Windows; key bytes are never printed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "keys.h"
#include "util.h"

#define PN_MAX ((1ULL << 48) - 1)

/* Every argument is checked before the adapter is opened: bad input changes nothing. */
static int check_peer(const char *cmd, const struct cli_mac *peer)
{
	char mac[CLI_MAC_STRLEN];

	if (!cli_mac_is_unicast(peer->addr)) {
		fprintf(stderr, "dot11xdp %s: PEER %s is not a unicast station address\n", cmd,
			cli_mac_str(peer->addr, mac));
		return CLI_EXIT_USAGE;
	}
	return 0;
}

static const char *direction_name(unsigned int direction)
{
	return cli_enum_name(cli_direction_names, direction);
}

/* key add */

struct key_add_opts {
	const char *ifname;
	struct cli_mac peer;
	const char *cipher;
	char *hexkey;
	unsigned int direction;
	bool is_static;
	__u64 pn;
};

static const struct key_add_opts key_add_defaults = { .direction = DOT11_DIR_BOTH };

static const struct cli_option key_add_options[] = {
	{ .name = "IFNAME", .positional = true, .required = true, .type = CLI_OPT_IFNAME,
	  .offset = offsetof(struct key_add_opts, ifname), .metavar = "IFNAME",
	  .help = "the interface (a monitor-mode Wi-Fi interface)" },
	{ .name = "PEER", .positional = true, .required = true, .type = CLI_OPT_MAC,
	  .offset = offsetof(struct key_add_opts, peer), .metavar = "PEER",
	  .help = "MAC address of the peer station, aa:bb:cc:dd:ee:ff" },
	{ .name = "CIPHER", .positional = true, .required = true, .type = CLI_OPT_STRING,
	  .offset = offsetof(struct key_add_opts, cipher), .metavar = "CIPHER",
	  .help = "ccmp, ccmp-256, gcmp, gcmp-256, tkip, wep40, wep104 or wep" },
	{ .name = "HEXKEY", .positional = true, .required = true, .type = CLI_OPT_STRING,
	  .offset = offsetof(struct key_add_opts, hexkey), .metavar = "HEXKEY",
	  .help = "the key in hex, colons allowed between bytes; - reads it from standard input" },
	{ .name = "direction", .short_name = 'd', .type = CLI_OPT_ENUM,
	  .offset = offsetof(struct key_add_opts, direction), .metavar = "DIR",
	  .help = "frames the key is for (default both)", .enums = cli_direction_names },
	{ .name = "static", .type = CLI_OPT_FLAG, .offset = offsetof(struct key_add_opts, is_static),
	  .help = "keep the key across 'disconnect' (only reset or key del remove it)" },
	{ .name = "pn", .type = CLI_OPT_U64, .offset = offsetof(struct key_add_opts, pn),
	  .metavar = "N", .help = "starting receive PN/TSC: frames numbered N or lower are replays",
	  .min = 0, .max = PN_MAX },
	CLI_OPTIONS_END,
};

static int run_key_add(const void *o)
{
	const struct key_add_opts *opts = o;
	const struct cli_cipher *cipher = cli_cipher_by_name(opts->cipher);
	PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE value;
	struct dot11xdp_adapter *adapter;
	__u8 key[CLI_KEY_MAX];
	char mac[CLI_MAC_STRLEN], line[128];
	const char *hex = opts->hexkey;
	int key_len, rc;
	DWORD result;

	rc = check_peer("key add", &opts->peer);
	if (rc)
		return rc;
	if (!cipher) {
		cli_err("unknown cipher '%s'; one of %s", opts->cipher, cli_cipher_list());
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(hex, "-")) {
		if (cli_read_key_line(line, sizeof(line)))
			return CLI_EXIT_USAGE;
		hex = line;
	}
	key_len = cli_key_from_hex(cipher, hex, key);
	explicit_bzero(line, sizeof(line));
	cli_scrub_arg(opts->hexkey);
	if (key_len < 0)
		return CLI_EXIT_USAGE;

	value = cli_key_value_add(opts->peer.addr, cipher, opts->direction, opts->is_static,
				  opts->pn, key, key_len);
	explicit_bzero(key, sizeof(key));
	if (!value) {
		cli_err("out of memory");
		return CLI_EXIT_FAILURE;
	}

	adapter = cli_open_attached(opts->ifname, false);
	if (!adapter) {
		cli_key_value_free(value);
		return CLI_EXIT_FAILURE;
	}
	result = Dot11ExtSetKeyMappingKey(dot11xdp_adapter__handle(adapter), value);
	cli_key_value_free(value);
	dot11xdp_adapter__close(adapter);
	if (result != ERROR_SUCCESS) {
		cli_report_key_error(result, opts->ifname, opts->peer.addr, cipher->name);
		return CLI_EXIT_FAILURE;
	}
	printf("%s: %s%s key set for %s (direction %s)\n", opts->ifname,
	       opts->is_static ? "static " : "", cipher->name, cli_mac_str(opts->peer.addr, mac),
	       direction_name(opts->direction));
	return 0;
}

const struct cli_command cmd_key_add = {
	.name = "key add",
	.summary = "set the key of a peer (through Dot11ExtSetKeyMappingKey)",
	.description =
		"Add or replace the key-mapping key of PEER on IFNAME, as an IHV client does with\n"
		"Dot11ExtSetKeyMappingKey. CIPHER: ccmp, ccmp-256, gcmp, gcmp-256, tkip, wep40,\n"
		"wep104, wep. HEXKEY: the temporal key in hex, colons allowed between bytes, or '-'\n"
		"to read it from standard input (keeps it out of the process list). A tkip key is\n"
		"the 32-byte temporal part of the PTK in PTK order: TK, the Michael key for frames\n"
		"the AP sends, the Michael key for frames sent to the AP. Key bytes are never printed.",
	.options = key_add_options,
	.opts_size = sizeof(struct key_add_opts),
	.defaults = &key_add_defaults,
	.run = run_key_add,
};

/* Collecting keys, for list and del. */

struct key_list {
	struct dot11xdp_key_info *keys;
	size_t count;
};

static int collect_key(const struct dot11xdp_key_info *key, void *ctx)
{
	struct key_list *list = ctx;
	struct dot11xdp_key_info *grown;

	grown = realloc(list->keys, (list->count + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	grown[list->count++] = *key;
	list->keys = grown;
	return 0;
}

static int cmp_key_info(const void *a, const void *b)
{
	const struct dot11xdp_key_info *x = a, *y = b;
	int c = memcmp(x->id.peer, y->id.peer, sizeof(x->id.peer));

	return c ? c : (int)x->id.direction - (int)y->id.direction;
}

static int list_keys(struct dot11xdp_adapter *adapter, const char *ifname, struct key_list *list)
{
	int err;

	list->keys = NULL;
	list->count = 0;
	err = dot11xdp_adapter__for_each_key(adapter, collect_key, list);
	if (err) {
		cli_err_lib(err, "cannot read the keys of %s", ifname);
		free(list->keys);
		return err;
	}
	qsort(list->keys, list->count, sizeof(*list->keys), cmp_key_info);
	return 0;
}

/* key del */

struct key_del_opts {
	const char *ifname;
	struct cli_mac peer;
	unsigned int direction; /* 0: every direction */
};

static const struct cli_option key_del_options[] = {
	{ .name = "IFNAME", .positional = true, .required = true, .type = CLI_OPT_IFNAME,
	  .offset = offsetof(struct key_del_opts, ifname), .metavar = "IFNAME",
	  .help = "the interface (a monitor-mode Wi-Fi interface)" },
	{ .name = "PEER", .positional = true, .required = true, .type = CLI_OPT_MAC,
	  .offset = offsetof(struct key_del_opts, peer), .metavar = "PEER",
	  .help = "MAC address of the peer station, aa:bb:cc:dd:ee:ff" },
	{ .name = "direction", .short_name = 'd', .type = CLI_OPT_ENUM,
	  .offset = offsetof(struct key_del_opts, direction), .metavar = "DIR",
	  .help = "delete only the key of this direction (default: every key of PEER)",
	  .enums = cli_direction_names },
	CLI_OPTIONS_END,
};

static int run_key_del(const void *o)
{
	const struct key_del_opts *opts = o;
	struct dot11xdp_adapter *adapter;
	struct key_list list;
	char mac[CLI_MAC_STRLEN];
	int rc, deleted = 0;

	rc = check_peer("key del", &opts->peer);
	if (rc)
		return rc;
	adapter = cli_open_attached(opts->ifname, false);
	if (!adapter)
		return CLI_EXIT_FAILURE;
	if (list_keys(adapter, opts->ifname, &list)) {
		dot11xdp_adapter__close(adapter);
		return CLI_EXIT_FAILURE;
	}

	cli_mac_str(opts->peer.addr, mac);
	for (size_t i = 0; i < list.count && !rc; i++) {
		const struct dot11xdp_key_info *k = &list.keys[i];
		PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE value;
		DWORD result;

		if (memcmp(k->id.peer, opts->peer.addr, 6) ||
		    (opts->direction && k->id.direction != opts->direction))
			continue;
		/* What a Windows client passes: the key's identity and its algorithm. */
		value = cli_key_value_delete(k->id.peer, k->id.direction, k->cipher);
		if (!value) {
			cli_err("out of memory");
			rc = CLI_EXIT_FAILURE;
			break;
		}
		result = Dot11ExtSetKeyMappingKey(dot11xdp_adapter__handle(adapter), value);
		cli_key_value_free(value);
		if (result != ERROR_SUCCESS) {
			const char *name = cli_cipher_name(k->cipher);

			cli_report_key_error(result, opts->ifname, k->id.peer, name ? name : "?");
			rc = CLI_EXIT_FAILURE;
			break;
		}
		printf("%s: deleted the %s key of %s (direction %s)\n", opts->ifname,
		       cli_cipher_name(k->cipher) ? cli_cipher_name(k->cipher) : "?", mac,
		       direction_name(k->id.direction));
		deleted++;
	}
	if (!rc && !deleted)
		printf("%s: no key for %s%s%s; nothing deleted\n", opts->ifname, mac,
		       opts->direction ? " with direction " : "",
		       opts->direction ? direction_name(opts->direction) : "");
	free(list.keys);
	dot11xdp_adapter__close(adapter);
	return rc;
}

const struct cli_command cmd_key_del = {
	.name = "key del",
	.summary = "delete the keys of a peer",
	.description = "Delete the key-mapping keys of PEER on IFNAME (static ones too), through\n"
		       "Dot11ExtSetKeyMappingKey with bDelete set. Deleting a key that is not there\n"
		       "is not an error.",
	.options = key_del_options,
	.opts_size = sizeof(struct key_del_opts),
	.run = run_key_del,
};

/* key list */

struct key_list_opts {
	const char *ifname;
	bool json;
};

static const struct cli_option key_list_options[] = {
	{ .name = "IFNAME", .positional = true, .required = true, .type = CLI_OPT_IFNAME,
	  .offset = offsetof(struct key_list_opts, ifname), .metavar = "IFNAME",
	  .help = "the interface (a monitor-mode Wi-Fi interface)" },
	{ .name = "json", .short_name = 'j', .type = CLI_OPT_FLAG,
	  .offset = offsetof(struct key_list_opts, json), .help = "print JSON" },
	CLI_OPTIONS_END,
};

static const char *cipher_label(__u32 cipher, char buf[16])
{
	const char *name = cli_cipher_name(cipher);

	if (name)
		return name;
	snprintf(buf, 16, "0x%x", cipher);
	return buf;
}

static int run_key_list(const void *o)
{
	const struct key_list_opts *opts = o;
	struct dot11xdp_adapter *adapter;
	struct key_list list;
	char mac[CLI_MAC_STRLEN], cbuf[16];

	adapter = cli_open_attached(opts->ifname, true);
	if (!adapter)
		return CLI_EXIT_FAILURE;
	if (list_keys(adapter, opts->ifname, &list)) {
		dot11xdp_adapter__close(adapter);
		return CLI_EXIT_FAILURE;
	}

	if (opts->json) {
		putchar('[');
		for (size_t i = 0; i < list.count; i++) {
			const struct dot11xdp_key_info *k = &list.keys[i];

			printf("%s{\"peer\":\"%s\",\"direction\":\"%s\",\"cipher\":\"%s\","
			       "\"static\":%s,\"engine\":\"%s\",\"generation\":%llu,"
			       "\"rx_pn_init\":%llu}",
			       i ? "," : "", cli_mac_str(k->id.peer, mac),
			       direction_name(k->id.direction), cipher_label(k->cipher, cbuf),
			       k->flags & DOT11XDP_KEY_STATIC ? "true" : "false",
			       cli_engine_name(k->engine), (unsigned long long)k->generation,
			       (unsigned long long)k->rx_pn_init);
		}
		printf("]\n");
	} else if (!list.count) {
		printf("%s: no keys\n", opts->ifname);
	} else {
		printf("%-17s  %-9s  %-8s  %-6s  %-6s  %s\n", "PEER", "DIRECTION", "CIPHER",
		       "STATIC", "ENGINE", "GENERATION");
		for (size_t i = 0; i < list.count; i++) {
			const struct dot11xdp_key_info *k = &list.keys[i];

			printf("%-17s  %-9s  %-8s  %-6s  %-6s  %llu\n", cli_mac_str(k->id.peer, mac),
			       direction_name(k->id.direction), cipher_label(k->cipher, cbuf),
			       k->flags & DOT11XDP_KEY_STATIC ? "yes" : "no",
			       cli_engine_name(k->engine), (unsigned long long)k->generation);
		}
	}
	free(list.keys);
	dot11xdp_adapter__close(adapter);
	return 0;
}

const struct cli_command cmd_key_list = {
	.name = "key list",
	.summary = "list the keys of an interface (never their bytes)",
	.description = "List the key-mapping keys of IFNAME: peer, direction, cipher, static,\n"
		       "AES engine and generation (a number unique to each install). Key bytes are\n"
		       "never shown.",
	.options = key_list_options,
	.opts_size = sizeof(struct key_list_opts),
	.run = run_key_list,
};

/* disconnect, reset */

struct disconnect_opts {
	const char *ifname;
	struct cli_mac peer;
};

static const struct cli_option disconnect_options[] = {
	{ .name = "IFNAME", .positional = true, .required = true, .type = CLI_OPT_IFNAME,
	  .offset = offsetof(struct disconnect_opts, ifname), .metavar = "IFNAME",
	  .help = "the interface (a monitor-mode Wi-Fi interface)" },
	{ .name = "PEER", .positional = true, .type = CLI_OPT_MAC,
	  .offset = offsetof(struct disconnect_opts, peer), .metavar = "PEER",
	  .help = "the peer whose keys go; without it, every peer" },
	CLI_OPTIONS_END,
};

static int count_keys(const struct dot11xdp_key_info *key, void *ctx)
{
	(*(size_t *)ctx)++;
	return 0;
}

/* Runs remove() and says how many keys it removed. */
static int remove_keys(const char *ifname, const char *what,
		       int (*remove)(struct dot11xdp_adapter *, const __u8 *), const __u8 *peer)
{
	struct dot11xdp_adapter *adapter = cli_open_attached(ifname, false);
	size_t before = 0, after = 0;
	int err;

	if (!adapter)
		return CLI_EXIT_FAILURE;
	err = dot11xdp_adapter__for_each_key(adapter, count_keys, &before);
	if (!err)
		err = remove(adapter, peer);
	if (!err)
		err = dot11xdp_adapter__for_each_key(adapter, count_keys, &after);
	dot11xdp_adapter__close(adapter);
	if (err) {
		cli_err_lib(err, "%s on %s failed", what, ifname);
		return CLI_EXIT_FAILURE;
	}
	printf("%s: %s removed %zu key%s; %zu left\n", ifname, what, before - after,
	       before - after == 1 ? "" : "s", after);
	return 0;
}

static int disconnect_fn(struct dot11xdp_adapter *adapter, const __u8 *peer)
{
	return dot11xdp_adapter__disconnect(adapter, peer);
}

static int reset_fn(struct dot11xdp_adapter *adapter, const __u8 *peer)
{
	return dot11xdp_adapter__reset(adapter);
}

static int run_disconnect(const void *o)
{
	const struct disconnect_opts *opts = o;
	int rc;

	if (opts->peer.set) {
		rc = check_peer("disconnect", &opts->peer);
		if (rc)
			return rc;
	}
	return remove_keys(opts->ifname, "disconnect", disconnect_fn,
			   opts->peer.set ? opts->peer.addr : NULL);
}

const struct cli_command cmd_disconnect = {
	.name = "disconnect",
	.summary = "remove the non-static keys of one peer or of all peers",
	.description = "Remove the keys that are not static, of PEER or of every peer, as Windows\n"
		       "does when a station disconnects. Static keys stay.",
	.options = disconnect_options,
	.opts_size = sizeof(struct disconnect_opts),
	.run = run_disconnect,
};

struct reset_opts {
	const char *ifname;
};

static const struct cli_option reset_options[] = {
	{ .name = "IFNAME", .positional = true, .required = true, .type = CLI_OPT_IFNAME,
	  .offset = offsetof(struct reset_opts, ifname), .metavar = "IFNAME",
	  .help = "the interface (a monitor-mode Wi-Fi interface)" },
	CLI_OPTIONS_END,
};

static int run_reset(const void *o)
{
	const struct reset_opts *opts = o;

	return remove_keys(opts->ifname, "reset", reset_fn, NULL);
}

const struct cli_command cmd_reset = {
	.name = "reset",
	.summary = "remove every key of an interface, static ones too",
	.description = "Remove every key of IFNAME, static keys too (a Windows reset request).",
	.options = reset_options,
	.opts_size = sizeof(struct reset_opts),
	.run = run_reset,
};
