// SPDX-License-Identifier: GPL-2.0
/* attach, detach, status: the program on an interface and its pinned maps. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "commands.h"
#include "util.h"

const char *cli_pin_dir(const char *ifname, char buf[PATH_MAX])
{
	snprintf(buf, PATH_MAX, "%s/%s", DOT11XDP_PIN_ROOT, ifname);
	return buf;
}

static int pin_path(const char *ifname, const char *map, char buf[PATH_MAX])
{
	int n = snprintf(buf, PATH_MAX, "%s/%s/%s", DOT11XDP_PIN_ROOT, ifname, map);

	return n > 0 && n < PATH_MAX ? 0 : -ENAMETOOLONG;
}

bool cli_is_pinned(const char *ifname)
{
	char path[PATH_MAX];

	return !pin_path(ifname, DOT11XDP_MAP_KEYS, path) && access(path, F_OK) == 0;
}

struct dot11xdp_adapter *cli_open_attached(const char *ifname, bool read_only)
{
	/* Never attach as a side effect; read-only where the command only looks. */
	struct dot11xdp_open_opts opts = {
		.sz = sizeof(opts),
		.no_attach = true,
		.read_only = read_only,
	};
	struct dot11xdp_adapter *adapter;
	char dir[PATH_MAX];

	if (!cli_ifname_exists(ifname)) {
		cli_err("no interface %s in this network namespace", ifname);
		return NULL;
	}
	if (!cli_is_pinned(ifname)) {
		cli_err("%s is not attached (no maps pinned at %s); run 'dot11xdp attach %s' first",
			ifname, cli_pin_dir(ifname, dir), ifname);
		return NULL;
	}
	adapter = dot11xdp_adapter__open(ifname, &opts);
	if (!adapter)
		cli_err_lib(-errno, "cannot open the dot11xdp adapter of %s", ifname);
	return adapter;
}

const struct cli_enum_val cli_engine_names[] = {
	{ "kfunc", DOT11XDP_ENGINE_KFUNC },
	{ "table", DOT11XDP_ENGINE_TABLE },
	{ NULL, 0 },
};

const char *cli_engine_name(unsigned int engine)
{
	switch (engine) {
	case DOT11XDP_ENGINE_TABLE:
		return "table";
	case DOT11XDP_ENGINE_KFUNC:
		return "kfunc";
	default:
		return "unknown";
	}
}

static const char *xdp_mode_name(enum xdp_attach_mode mode)
{
	switch (mode) {
	case XDP_MODE_SKB:
		return "skb";
	case XDP_MODE_NATIVE:
		return "native";
	case XDP_MODE_HW:
		return "hw";
	default:
		return "unknown";
	}
}

/* What status reports, read from the pins and the interface. */
struct iface_status {
	const char *ifname;
	bool exists;		 /* the interface is in this network namespace */
	bool pinned;		 /* its maps are pinned */
	bool attached;		 /* the program that uses those maps runs on it */
	const char *xdp_mode;	 /* of whatever XDP program is on the interface, or NULL */
	char prog_name[BPF_OBJ_NAME_LEN];
	__u32 prog_id;
	__u32 keys, key_table_size;
	struct dot11xdp_config config;
	bool have_config;
	int err; /* reading the pins failed: -errno */
};

/* Does program id use the map with id map_id? */
static bool prog_uses_map(__u32 prog_id, __u32 map_id)
{
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info), ids[64], n;
	bool found = false;
	int fd = bpf_prog_get_fd_by_id(prog_id);

	if (fd < 0)
		return false;
	info.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	info.map_ids = (__u64)(unsigned long)ids;
	if (!bpf_obj_get_info_by_fd(fd, &info, &info_len)) {
		n = info.nr_map_ids < 64 ? info.nr_map_ids : 64;
		for (__u32 i = 0; i < n && !found; i++)
			found = ids[i] == map_id;
	}
	close(fd);
	return found;
}

/* Which XDP program runs on the interface, and is it ours (it uses our pinned key map)? */
static void probe_xdp(struct iface_status *st, __u32 keys_map_id)
{
	struct xdp_multiprog *mp;
	struct xdp_program *prog = NULL;
	int ifindex = if_nametoindex(st->ifname);

	mp = xdp_multiprog__get_from_ifindex(ifindex);
	if (libxdp_get_error(mp))
		return;
	if (xdp_multiprog__main_prog(mp) || xdp_multiprog__program_count(mp) > 0)
		st->xdp_mode = xdp_mode_name(xdp_multiprog__attach_mode(mp));
	if (xdp_multiprog__is_legacy(mp))
		prog = xdp_multiprog__main_prog(mp);
	else
		prog = xdp_multiprog__next_prog(NULL, mp);
	for (; prog; prog = xdp_multiprog__is_legacy(mp) ? NULL : xdp_multiprog__next_prog(prog, mp)) {
		if (keys_map_id && prog_uses_map(xdp_program__id(prog), keys_map_id)) {
			st->attached = true;
			st->prog_id = xdp_program__id(prog);
			snprintf(st->prog_name, sizeof(st->prog_name), "%s", xdp_program__name(prog));
			break;
		}
		if (!st->prog_id) {
			st->prog_id = xdp_program__id(prog);
			snprintf(st->prog_name, sizeof(st->prog_name), "%s", xdp_program__name(prog));
		}
	}
	xdp_multiprog__close(mp);
}

/* Read-only: status never attaches, loads or changes anything. */
static void read_status(const char *ifname, struct iface_status *st)
{
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info), zero = 0;
	struct dot11xdp_key_id id, next;
	char path[PATH_MAX];
	int keys_fd = -1, config_fd = -1;

	memset(st, 0, sizeof(*st));
	st->ifname = ifname;
	st->exists = cli_ifname_exists(ifname);
	st->pinned = cli_is_pinned(ifname);
	if (st->pinned) {
		pin_path(ifname, DOT11XDP_MAP_KEYS, path);
		keys_fd = bpf_obj_get(path);
		if (keys_fd < 0) {
			st->err = -errno;
			return;
		}
		if (!bpf_obj_get_info_by_fd(keys_fd, &info, &info_len))
			st->key_table_size = info.max_entries;
		for (void *prev = NULL; !bpf_map_get_next_key(keys_fd, prev, &next); prev = &id) {
			id = next;
			st->keys++;
		}
		pin_path(ifname, DOT11XDP_MAP_CONFIG, path);
		config_fd = bpf_obj_get(path);
		if (config_fd >= 0 && !bpf_map_lookup_elem(config_fd, &zero, &st->config))
			st->have_config = true;
	}
	if (st->exists)
		probe_xdp(st, st->pinned ? info.id : 0);
	if (keys_fd >= 0)
		close(keys_fd);
	if (config_fd >= 0)
		close(config_fd);
}

/* attach */

struct attach_opts {
	const char *ifname;
	bool native;
	__u32 key_table_size;
	unsigned int engine;
};

static const struct cli_option attach_options[] = {
	{ .name = "IFNAME", .positional = true, .required = true, .type = CLI_OPT_IFNAME,
	  .offset = offsetof(struct attach_opts, ifname), .metavar = "IFNAME",
	  .help = "the interface (a monitor-mode Wi-Fi interface)" },
	{ .name = "native", .short_name = 'n', .type = CLI_OPT_FLAG,
	  .offset = offsetof(struct attach_opts, native),
	  .help = "driver (native) XDP instead of generic XDP; few Wi-Fi drivers have it" },
	{ .name = "key-table-size", .short_name = 's', .type = CLI_OPT_U32,
	  .offset = offsetof(struct attach_opts, key_table_size), .metavar = "N",
	  .help = "peers the key table holds (default 4096)", .min = 1,
	  .max = DOT11XDP_KEYS_MAX },
	{ .name = "engine", .short_name = 'e', .type = CLI_OPT_ENUM,
	  .offset = offsetof(struct attach_opts, engine), .metavar = "ENGINE",
	  .help = "AES engine (default kfunc where the kernel has it: constant-time)",
	  .enums = cli_engine_names },
	CLI_OPTIONS_END,
};

/* max_entries of a pinned map, or 0. */
static __u32 pinned_map_entries(const char *ifname, const char *map)
{
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info);
	char path[PATH_MAX];
	int fd;

	if (pin_path(ifname, map, path))
		return 0;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &info_len))
		info.max_entries = 0;
	close(fd);
	return info.max_entries;
}

static int run_attach(const void *o)
{
	const struct attach_opts *opts = o;
	struct dot11xdp_open_opts open_opts = {
		.sz = sizeof(open_opts),
		.mode = opts->native ? DOT11XDP_MODE_NATIVE : DOT11XDP_MODE_SKB,
		.key_table_size = opts->key_table_size,
		.engine = opts->engine,
	};
	struct dot11xdp_adapter *adapter;
	struct iface_status before;
	bool already;

	if (!cli_ifname_exists(opts->ifname)) {
		cli_err("no interface %s in this network namespace", opts->ifname);
		return CLI_EXIT_FAILURE;
	}
	read_status(opts->ifname, &before);
	already = before.pinned;
	if (already && opts->key_table_size &&
	    pinned_map_entries(opts->ifname, DOT11XDP_MAP_KEYS) != opts->key_table_size) {
		cli_err("%s is already attached with a key table of %u peers; detach it first to "
			"change --key-table-size", opts->ifname,
			pinned_map_entries(opts->ifname, DOT11XDP_MAP_KEYS));
		return CLI_EXIT_FAILURE;
	}

	adapter = dot11xdp_adapter__open(opts->ifname, &open_opts);
	if (!adapter) {
		int err = -errno;

		if (err == -EOPNOTSUPP && opts->native) {
			cli_lib_reset();
			cli_err("cannot attach to %s in native mode: the driver has no native XDP; "
				"attach without --native", opts->ifname);
		} else {
			cli_err_lib(err, "cannot attach to %s in %s mode", opts->ifname,
				    opts->native ? "native" : "skb");
		}
		return CLI_EXIT_FAILURE;
	}
	if (before.attached && dot11xdp_adapter__mode(adapter) != open_opts.mode) {
		cli_err("%s is already attached in %s mode; detach it first to attach in %s mode",
			opts->ifname,
			dot11xdp_adapter__mode(adapter) == DOT11XDP_MODE_NATIVE ? "native" : "skb",
			opts->native ? "native" : "skb");
		dot11xdp_adapter__close(adapter);
		return CLI_EXIT_FAILURE;
	}
	/* The table engine as a fallback (no kfuncs) comes with the library's warning. */
	cli_lib_warnings();
	if (before.attached)
		printf("%s: already attached; its maps at %s are in use; %s AES engine\n",
		       opts->ifname, dot11xdp_adapter__pin_dir(adapter),
		       cli_engine_name(dot11xdp_adapter__engine(adapter)));
	else
		printf("%s: attached in %s mode; maps %s at %s; %s AES engine\n", opts->ifname,
		       dot11xdp_adapter__mode(adapter) == DOT11XDP_MODE_NATIVE ? "native" : "skb",
		       already ? "and keys reused" : "pinned", dot11xdp_adapter__pin_dir(adapter),
		       cli_engine_name(dot11xdp_adapter__engine(adapter)));
	dot11xdp_adapter__close(adapter);
	return 0;
}

const struct cli_command cmd_attach = {
	.name = "attach",
	.summary = "attach the receive program to an interface and pin its maps",
	.description = "Attach the dot11xdp receive program to IFNAME (generic XDP unless --native)\n"
		       "and pin its maps under " DOT11XDP_PIN_ROOT "/IFNAME. Attaching an\n"
		       "interface that is already attached reuses its maps and keys. Keys use the\n"
		       "kernel's constant-time AES through the BPF crypto kfuncs (the kfunc engine)\n"
		       "where the kernel has them (6.10+), else table-driven AES in BPF (the table\n"
		       "engine, not constant-time) with a warning; an attachment keeps its engine.",
	.options = attach_options,
	.opts_size = sizeof(struct attach_opts),
	.run = run_attach,
};

/* detach */

struct ifname_opts {
	const char *ifname;
};

static const struct cli_option ifname_options[] = {
	{ .name = "IFNAME", .positional = true, .required = true, .type = CLI_OPT_IFNAME,
	  .offset = offsetof(struct ifname_opts, ifname), .metavar = "IFNAME",
	  .help = "the interface (a monitor-mode Wi-Fi interface)" },
	CLI_OPTIONS_END,
};

/* The interface is gone but its pins are not: unlink them so the maps are freed. */
static int remove_stale_pins(const char *ifname)
{
	char dir[PATH_MAX];
	struct dirent *ent;
	DIR *d;
	int err = 0;

	d = opendir(cli_pin_dir(ifname, dir));
	if (!d)
		return -errno;
	while ((ent = readdir(d))) {
		if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
			continue;
		if (unlinkat(dirfd(d), ent->d_name, 0) && !err)
			err = -errno;
	}
	closedir(d);
	if (!err && rmdir(dir))
		err = -errno;
	return err;
}

static int run_detach(const void *o)
{
	const struct ifname_opts *opts = o;
	struct dot11xdp_adapter *adapter;
	char dir[PATH_MAX];
	int err;

	cli_pin_dir(opts->ifname, dir);
	if (!cli_is_pinned(opts->ifname)) {
		cli_err("%s is not attached (no maps pinned at %s)", opts->ifname, dir);
		return CLI_EXIT_FAILURE;
	}
	if (!cli_ifname_exists(opts->ifname)) {
		err = remove_stale_pins(opts->ifname);
		if (err) {
			cli_err("%s no longer exists and removing its pins at %s failed: %s%s",
				opts->ifname, dir, strerror(-err), cli_errno_hint(err));
			return CLI_EXIT_FAILURE;
		}
		printf("%s: interface gone; removed its pinned maps at %s\n", opts->ifname, dir);
		return 0;
	}

	adapter = cli_open_attached(opts->ifname, false);
	if (!adapter)
		return CLI_EXIT_FAILURE;
	err = dot11xdp_adapter__detach(adapter);
	if (err) {
		cli_err_lib(err, "cannot detach from %s", opts->ifname);
		return CLI_EXIT_FAILURE;
	}
	printf("%s: detached; removed %s\n", opts->ifname, dir);
	return 0;
}

const struct cli_command cmd_detach = {
	.name = "detach",
	.summary = "remove the receive program from an interface, with its maps and keys",
	.description = "Remove the dot11xdp program from IFNAME and unpin its maps: every key of\n"
		       "the interface is gone.",
	.options = ifname_options,
	.opts_size = sizeof(struct ifname_opts),
	.run = run_detach,
};

/* status */

struct status_opts {
	const char *ifname;
	bool json;
};

static const struct cli_option status_options[] = {
	{ .name = "IFNAME", .positional = true, .type = CLI_OPT_IFNAME,
	  .offset = offsetof(struct status_opts, ifname), .metavar = "IFNAME",
	  .help = "the interface; without it, every interface with pinned maps" },
	{ .name = "json", .short_name = 'j', .type = CLI_OPT_FLAG,
	  .offset = offsetof(struct status_opts, json), .help = "print JSON" },
	CLI_OPTIONS_END,
};

static const char *output_name(__u32 output)
{
	switch (output) {
	case DOT11XDP_OUTPUT_PASS:
		return "pass";
	case DOT11XDP_OUTPUT_ETHER:
		return "ethernet";
	default:
		return "unknown";
	}
}

static const char *state_name(const struct iface_status *st)
{
	if (st->attached)
		return "attached";
	if (st->pinned)
		return st->exists ? "maps pinned, program not on the interface"
				  : "maps pinned, interface gone";
	return "not attached";
}

static void print_status(const struct iface_status *st)
{
	char dir[PATH_MAX];

	printf("%s: %s\n", st->ifname, state_name(st));
	if (st->xdp_mode)
		printf("  %-14s %s (%s, id %u)\n", "xdp program",
		       st->prog_name[0] ? st->prog_name : "?", st->xdp_mode, st->prog_id);
	if (!st->pinned)
		return;
	printf("  %-14s %s\n", "pin directory", cli_pin_dir(st->ifname, dir));
	printf("  %-14s %u of %u\n", "keys", st->keys, st->key_table_size);
	if (st->have_config) {
		printf("  %-14s %s\n", "engine", cli_engine_name(st->config.engine));
		printf("  %-14s %s\n", "output", output_name(st->config.output));
	}
	if (st->pinned && !st->attached)
		printf("  hint: 'dot11xdp attach %s' attaches it again with these keys; "
		       "'dot11xdp detach %s' removes the pins\n", st->ifname, st->ifname);
}

static void print_status_json(const struct iface_status *st)
{
	char dir[PATH_MAX];

	printf("{\"ifname\":");
	cli_json_str(stdout, st->ifname);
	printf(",\"exists\":%s,\"attached\":%s,\"pinned\":%s", st->exists ? "true" : "false",
	       st->attached ? "true" : "false", st->pinned ? "true" : "false");
	if (st->xdp_mode) {
		printf(",\"xdp_mode\":\"%s\",\"program\":", st->xdp_mode);
		cli_json_str(stdout, st->prog_name);
		printf(",\"program_id\":%u", st->prog_id);
	}
	if (st->pinned) {
		printf(",\"pin_dir\":");
		cli_json_str(stdout, cli_pin_dir(st->ifname, dir));
		printf(",\"keys\":%u,\"key_table_size\":%u", st->keys, st->key_table_size);
	}
	if (st->have_config)
		printf(",\"engine\":\"%s\",\"output\":\"%s\"", cli_engine_name(st->config.engine),
		       output_name(st->config.output));
	printf("}");
}

static int status_one(const char *ifname, bool json)
{
	struct iface_status st;

	read_status(ifname, &st);
	if (st.err) {
		cli_err("cannot read the pinned maps of %s: %s%s", ifname, strerror(-st.err),
			cli_errno_hint(st.err));
		return CLI_EXIT_FAILURE;
	}
	if (json)
		print_status_json(&st);
	else
		print_status(&st);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_status(const void *o)
{
	const struct status_opts *opts = o;
	char **names = NULL;
	size_t n = 0;
	struct dirent *ent;
	int rc = 0;
	DIR *d;

	if (opts->ifname) {
		if (!cli_ifname_exists(opts->ifname) && !cli_is_pinned(opts->ifname)) {
			cli_err("no interface %s in this network namespace, and nothing pinned for it",
				opts->ifname);
			return CLI_EXIT_FAILURE;
		}
		rc = status_one(opts->ifname, opts->json);
		if (opts->json && !rc)
			putchar('\n');
		return rc;
	}

	/* Every interface with pins: the pin directories are the registry. */
	d = opendir(DOT11XDP_PIN_ROOT);
	if (!d && errno != ENOENT) {
		cli_err("cannot read %s: %s%s", DOT11XDP_PIN_ROOT, strerror(errno),
			cli_errno_hint(-errno));
		return CLI_EXIT_FAILURE;
	}
	while (d && (ent = readdir(d))) {
		char **grown;

		if (ent->d_name[0] == '.' || ent->d_type != DT_DIR)
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (!grown || !(grown[n] = strdup(ent->d_name))) {
			cli_err("out of memory");
			names = grown ? grown : names;
			rc = CLI_EXIT_FAILURE;
			break;
		}
		names = grown;
		n++;
	}
	if (d)
		closedir(d);
	if (!rc)
		qsort(names, n, sizeof(*names), cmp_names);

	if (opts->json)
		putchar('[');
	else if (!n && !rc)
		printf("no interface is attached (nothing pinned under %s)\n", DOT11XDP_PIN_ROOT);
	for (size_t i = 0; i < n && !rc; i++) {
		if (opts->json && i)
			putchar(',');
		rc = status_one(names[i], opts->json);
	}
	if (opts->json)
		printf("]\n");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

const struct cli_command cmd_status = {
	.name = "status",
	.summary = "show whether interfaces are attached, their XDP mode, keys and engine",
	.description = "Show the state of IFNAME, or of every interface with pinned dot11xdp maps:\n"
		       "attached or not, the XDP program and mode, the pin directory, the number of\n"
		       "keys and the AES engine. Reads the pinned maps; changes nothing.",
	.options = status_options,
	.opts_size = sizeof(struct status_opts),
	.run = run_status,
};
