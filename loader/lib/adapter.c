// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Adapters: attach the receive program to an interface (or reuse an attachment another
 * process made), pin its maps, open an offline instance, close and detach.
 *
 * Pin layout: <pin_root>/<ifname>/<map name>, directories mode 0700, files 0600. The
 * pinned maps outlive the loader: a second open (another process, the CLI) finds the
 * program attached to the interface and using the pinned key map, and reuses the maps
 * without reloading anything. Pins left without a program (the program was unloaded by
 * other means) are reused by the next attach, keys included. Opens and detaches of every
 * process are serialised by an flock() on <pin_root>.
 *
 * The AES engine is chosen when the maps are made and kept with them (dot11xdp_config):
 * the kfunc engine loads decrypt.bpf.c, which has both engines and the dot11xdp_crypto map;
 * the table engine loads decrypt_table.bpf.c, which has neither kfunc calls nor that map.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/if_link.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "crypto_ctx.h"
#include "crypto_ctx.skel.h"
#include "decrypt.skel.h"
#include "decrypt_table.skel.h"
#include "internal.h"

#define RX_PROG_NAME "xdp_decrypt"

/* The options a caller passed, read within its opts->sz (libbpf's forward compatibility). */
struct open_args {
	enum dot11xdp_xdp_mode mode;
	__u32 key_table_size;
	const char *pin_root;
	bool no_attach;
	bool read_only;
	__u32 engine; /* 0: the default */
};

static int parse_opts(const struct dot11xdp_open_opts *opts, struct open_args *args)
{
	memset(args, 0, sizeof(*args));
	args->pin_root = DOT11XDP_PIN_ROOT;
	if (!opts)
		return 0;
	if (opts->sz < offsetof(struct dot11xdp_open_opts, mode))
		return -EINVAL;
	/* Fields this library does not know must be zero. */
	for (size_t i = sizeof(*opts); i < opts->sz; i++)
		if (((const char *)opts)[i])
			return -EINVAL;
#define OPT(field)                                                                             \
	(opts->sz >= offsetof(struct dot11xdp_open_opts, field) + sizeof(opts->field))
	if (OPT(mode))
		args->mode = opts->mode;
	if (OPT(key_table_size))
		args->key_table_size = opts->key_table_size;
	if (OPT(pin_root) && opts->pin_root)
		args->pin_root = opts->pin_root;
	if (OPT(no_attach))
		args->no_attach = opts->no_attach;
	if (OPT(read_only))
		args->read_only = opts->read_only;
	if (OPT(engine))
		args->engine = opts->engine;
#undef OPT
	if (args->mode != DOT11XDP_MODE_SKB && args->mode != DOT11XDP_MODE_NATIVE) {
		pr_warn("unknown XDP mode %d\n", args->mode);
		return -EINVAL;
	}
	if (args->engine && args->engine != DOT11XDP_ENGINE_TABLE &&
	    args->engine != DOT11XDP_ENGINE_KFUNC) {
		pr_warn("unknown AES engine %u\n", args->engine);
		return -EINVAL;
	}
	if (args->key_table_size > DOT11XDP_KEYS_MAX) {
		pr_warn("key table size %u is above the maximum, %u\n", args->key_table_size,
			DOT11XDP_KEYS_MAX);
		return -EINVAL;
	}
	return 0;
}

static struct dot11xdp_adapter *adapter_new(void)
{
	struct dot11xdp_adapter *adapter = calloc(1, sizeof(*adapter));

	if (!adapter)
		return NULL;
	pthread_mutex_init(&adapter->write_lock, NULL);
	adapter->pin_dir_fd = -1;
	adapter->keys_fd = -1;
	adapter->stats_fd = -1;
	adapter->peers_fd = -1;
	adapter->config_fd = -1;
	adapter->prog_fd = -1;
	adapter->crypto_fd = -1;
	return adapter;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void dot11xdp_adapter_free(struct dot11xdp_adapter *adapter)
{
	close_fd(&adapter->pin_dir_fd);
	close_fd(&adapter->keys_fd);
	close_fd(&adapter->stats_fd);
	close_fd(&adapter->peers_fd);
	close_fd(&adapter->config_fd);
	close_fd(&adapter->prog_fd);
	close_fd(&adapter->crypto_fd);
	crypto_ctx_bpf__destroy(adapter->crypto_skel);
	pthread_mutex_destroy(&adapter->write_lock);
	free(adapter);
}

static int map_info(int fd, struct bpf_map_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpf_obj_get_info_by_fd(fd, info, &len) ? -errno : 0;
}

/* A dup() the adapter owns, away from the skeleton that is about to be destroyed. */
static int dup_fd(int fd)
{
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	return copy < 0 ? -errno : copy;
}

/* The four map fds, and the facts the rest of the library reads from them. */
static int adopt_maps(struct dot11xdp_adapter *adapter, int keys, int stats, int peers,
		      int config)
{
	struct bpf_map_info info;
	int err;

	adapter->keys_fd = keys;
	adapter->stats_fd = stats;
	adapter->peers_fd = peers;
	adapter->config_fd = config;
	if (keys < 0 || stats < 0 || peers < 0 || config < 0)
		return -EBADF;
	err = map_info(keys, &info);
	if (err)
		return err;
	if (info.key_size != sizeof(struct dot11xdp_key_id) ||
	    info.value_size != sizeof(struct dot11xdp_key)) {
		pr_warn("the key map has %u-byte keys and %u-byte values, this library %zu and "
			"%zu: it was made by another version of dot11xdp; detach it first\n",
			info.key_size, info.value_size, sizeof(struct dot11xdp_key_id),
			sizeof(struct dot11xdp_key));
		return -EPROTO;
	}
	adapter->keys_map_id = info.id;
	adapter->key_table_size = info.max_entries;
	return 0;
}

/* Read-only adapters swap every map fd for a read-only one: the kernel then refuses writes. */
static int reopen_read_only(int *fd)
{
	LIBBPF_OPTS(bpf_get_fd_by_id_opts, opts, .open_flags = BPF_F_RDONLY);
	struct bpf_map_info info;
	int err, ro;

	err = map_info(*fd, &info);
	if (err)
		return err;
	ro = bpf_map_get_fd_by_id_opts(info.id, &opts);
	if (ro < 0)
		return -errno;
	close(*fd);
	*fd = ro;
	return 0;
}

static int make_read_only(struct dot11xdp_adapter *adapter)
{
	int err;

	adapter->read_only = true;
	err = reopen_read_only(&adapter->keys_fd);
	if (!err)
		err = reopen_read_only(&adapter->stats_fd);
	if (!err)
		err = reopen_read_only(&adapter->peers_fd);
	if (!err)
		err = reopen_read_only(&adapter->config_fd);
	/* A read-only adapter creates and destroys no contexts: it needs no context map. */
	close_fd(&adapter->crypto_fd);
	return err;
}

/*
 * Check the settings' ABI, and write the defaults into a config nobody wrote yet (a fresh
 * map, or a loader that died between attach and this write).
 */
static int check_config(struct dot11xdp_adapter *adapter, const char *where)
{
	struct dot11xdp_config config;
	__u32 zero = 0;

	if (bpf_map_lookup_elem(adapter->config_fd, &zero, &config))
		return -errno;
	if (config.abi_version == DOT11XDP_ABI_VERSION)
		return 0;
	if (config.abi_version) {
		pr_warn("the maps %s are from dot11xdp ABI version %u, this library speaks %u; "
			"detach it first\n", where, config.abi_version, DOT11XDP_ABI_VERSION);
		return -EPROTO;
	}
	memset(&config, 0, sizeof(config));
	config.abi_version = DOT11XDP_ABI_VERSION;
	config.output = DOT11XDP_OUTPUT_PASS;
	config.engine = adapter->engine;
	return bpf_map_update_elem(adapter->config_fd, &zero, &config, BPF_ANY) ? -errno : 0;
}

static int pin_path(char *buf, size_t size, const char *dir, const char *name)
{
	return snprintf(buf, size, "%s/%s", dir, name) >= (int)size ? -ENAMETOOLONG : 0;
}

/* Opens a pin of the adapter's directory; -ENOENT when it is not there. */
static int open_pin(const struct dot11xdp_adapter *adapter, const char *name)
{
	char path[PATH_MAX];
	int fd, err;

	err = pin_path(path, sizeof(path), adapter->pin_dir, name);
	if (err)
		return err;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

static const char *engine_name(__u32 engine)
{
	return engine == DOT11XDP_ENGINE_KFUNC ? "kfunc" : "table";
}

/*
 * The engine of maps made before: their config's, or for a config never written (a loader
 * died between attach and writing it) the build of the program the pins show, since only the
 * kfunc engine's build has dot11xdp_crypto.
 */
static __u32 existing_engine(const struct dot11xdp_adapter *adapter)
{
	struct dot11xdp_config config;
	__u32 zero = 0;
	int fd;

	if (adapter->config_fd >= 0 && !bpf_map_lookup_elem(adapter->config_fd, &zero, &config) &&
	    config.abi_version == DOT11XDP_ABI_VERSION &&
	    (config.engine == DOT11XDP_ENGINE_TABLE || config.engine == DOT11XDP_ENGINE_KFUNC))
		return config.engine;
	fd = open_pin(adapter, DOT11XDP_MAP_CRYPTO);
	if (fd < 0)
		return DOT11XDP_ENGINE_TABLE;
	close(fd);
	return DOT11XDP_ENGINE_KFUNC;
}

/*
 * The adapter's engine. Existing maps keep theirs: their program is built for it, and their
 * keys are prepared for it. New maps take the one asked for, else live the kfunc engine
 * (constant-time: live frames are attacker-supplied) where the kernel has it and the table
 * engine otherwise (*fallback set: the caller warns), offline the table engine (fastest; a
 * capture gives an attacker no timing feedback).
 */
static int choose_engine(struct dot11xdp_adapter *adapter, const struct open_args *args,
			 __u32 existing, bool *fallback)
{
	*fallback = false;
	if (existing) {
		if (args->engine && args->engine != existing) {
			pr_warn("%s is attached with the %s AES engine; detach it first to use the "
				"%s engine\n", adapter->ifname, engine_name(existing),
				engine_name(args->engine));
			return -EEXIST;
		}
		/* No probe: the attachment shows the kernel has its engine. */
		adapter->engine = existing;
		return 0;
	}
	if (args->engine)
		adapter->engine = args->engine;
	else if (adapter->offline)
		adapter->engine = DOT11XDP_ENGINE_TABLE;
	else if (dot11xdp_kfunc_engine_available())
		adapter->engine = DOT11XDP_ENGINE_KFUNC;
	else
		adapter->engine = DOT11XDP_ENGINE_TABLE;
	*fallback = !args->engine && !adapter->offline && adapter->engine == DOT11XDP_ENGINE_TABLE;
	if (adapter->engine == DOT11XDP_ENGINE_KFUNC && !dot11xdp_kfunc_engine_available()) {
		pr_warn("the kfunc AES engine needs the kernel's BPF crypto kfuncs with ecb(aes) and "
			"cbc(aes) (Linux 6.10+, and root): use the table engine\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

static bool prog_uses_map(int prog_fd, __u32 map_id)
{
	struct bpf_prog_info info;
	__u32 ids[64], len = sizeof(info);

	memset(&info, 0, sizeof(info));
	info.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	info.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return false;
	for (__u32 i = 0; i < info.nr_map_ids && i < sizeof(ids) / sizeof(ids[0]); i++)
		if (ids[i] == map_id)
			return true;
	return false;
}

/* The receive program found on an interface. */
struct rx_prog_ref {
	int fd; /* owned */
	__u32 id;
	enum xdp_attach_mode mode;
	/* Under libxdp's dispatcher: the component, which mp holds. NULL for a single program. */
	struct xdp_multiprog *mp;
	struct xdp_program *component;
};

static void rx_prog_ref_close(struct rx_prog_ref *ref)
{
	if (ref->fd >= 0)
		close(ref->fd);
	xdp_multiprog__close(ref->mp);
	memset(ref, 0, sizeof(*ref));
	ref->fd = -1;
}

/* The dispatcher's component that uses the key map map_id. */
static bool find_component(int ifindex, __u32 map_id, struct rx_prog_ref *ref)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *prog = NULL;

	if (libxdp_get_error(mp))
		return false;
	while ((prog = xdp_multiprog__next_prog(prog, mp)))
		if (prog_uses_map(xdp_program__fd(prog), map_id))
			break;
	ref->fd = prog ? dup_fd(xdp_program__fd(prog)) : -1;
	if (ref->fd < 0) {
		xdp_multiprog__close(mp);
		return false;
	}
	ref->id = xdp_program__id(prog);
	ref->mode = xdp_multiprog__attach_mode(mp);
	ref->mp = mp;
	ref->component = prog;
	return true;
}

/*
 * The program on ifindex that uses the key map map_id: the one program attached in skb or
 * driver mode, or a component of libxdp's dispatcher. False when there is none.
 *
 * A single program is found with bpf_xdp_query(), not xdp_multiprog__get_from_ifindex():
 * libxdp 1.3 keeps open for good an fd of the program that finds (xdp_multiprog__from_id()
 * never closes the fd it duplicates), and that fd would keep the program, its maps and the
 * kfunc engine's kernel contexts alive after a detach, as long as the process runs.
 */
static bool find_rx_prog(int ifindex, __u32 map_id, struct rx_prog_ref *ref)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, query);
	__u32 ids[2];
	const enum xdp_attach_mode modes[2] = { XDP_MODE_SKB, XDP_MODE_NATIVE };

	memset(ref, 0, sizeof(*ref));
	ref->fd = -1;
	if (bpf_xdp_query(ifindex, 0, &query))
		return false;
	ids[0] = query.skb_prog_id;
	ids[1] = query.drv_prog_id;
	for (int i = 0; i < 2; i++) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd;

		if (!ids[i])
			continue;
		fd = bpf_prog_get_fd_by_id(ids[i]);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && !strcmp(info.name, "xdp_dispatcher")) {
			close(fd);
			return find_component(ifindex, map_id, ref);
		}
		if (prog_uses_map(fd, map_id)) {
			ref->fd = fd;
			ref->id = ids[i];
			ref->mode = modes[i];
			return true;
		}
		close(fd);
	}
	return false;
}

static enum dot11xdp_xdp_mode mode_from_libxdp(enum xdp_attach_mode mode)
{
	return mode == XDP_MODE_NATIVE ? DOT11XDP_MODE_NATIVE : DOT11XDP_MODE_SKB;
}

/* The pinned maps besides the key map, in the order adopt_maps() takes them. */
static const char *const other_maps[] = { DOT11XDP_MAP_STATS, DOT11XDP_MAP_PEERS,
					  DOT11XDP_MAP_CONFIG };

/* Pin again a map of the running program whose pin was removed by hand. */
static int repin_from_prog(const struct dot11xdp_adapter *adapter, int prog_fd, const char *name)
{
	struct bpf_prog_info info;
	__u32 ids[64], len = sizeof(info);
	char path[PATH_MAX];
	int err;

	err = pin_path(path, sizeof(path), adapter->pin_dir, name);
	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	info.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return -errno;
	for (__u32 i = 0; i < info.nr_map_ids && i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct bpf_map_info map;
		int fd = bpf_map_get_fd_by_id(ids[i]);

		if (fd < 0)
			continue;
		if (map_info(fd, &map) || strcmp(map.name, name)) {
			close(fd);
			continue;
		}
		if (bpf_obj_pin(fd, path) || chmod(path, 0600)) {
			err = -errno;
			close(fd);
			return err;
		}
		pr_info("pinned %s again from the running program\n", path);
		return fd;
	}
	return -ENOENT;
}

/*
 * Reuse the pinned maps. Returns 0 with the program found attached (prog_id set; pins
 * removed by hand are restored from it) or, for pins the program no longer uses, 0 with
 * prog_id 0; -ENOENT when there is no key map pin; -EUCLEAN for an incomplete set of pins
 * no program uses (an attach completes it: libbpf creates the missing maps).
 */
static int reuse_pins(struct dot11xdp_adapter *adapter)
{
	struct rx_prog_ref prog;
	struct bpf_map_info info;
	bool found;
	int keys, fds[3], err;

	keys = open_pin(adapter, DOT11XDP_MAP_KEYS);
	if (keys < 0)
		return keys;
	err = map_info(keys, &info);
	if (err) {
		close(keys);
		return err;
	}
	adapter->keys_map_id = info.id;
	adapter->key_table_size = info.max_entries;
	found = find_rx_prog(adapter->ifindex, info.id, &prog);
	for (int i = 0; i < 3; i++) {
		fds[i] = open_pin(adapter, other_maps[i]);
		if (fds[i] == -ENOENT && found)
			fds[i] = repin_from_prog(adapter, prog.fd, other_maps[i]);
	}
	err = adopt_maps(adapter, keys, fds[0], fds[1], fds[2]);
	if (err == -EBADF) {
		/* Keep only real fds, for the adapter's cleanup. */
		if (adapter->stats_fd < 0)
			adapter->stats_fd = -1;
		if (adapter->peers_fd < 0)
			adapter->peers_fd = -1;
		if (adapter->config_fd < 0)
			adapter->config_fd = -1;
		err = -EUCLEAN;
	}
	if (err == -EUCLEAN && found) {
		/* Never attach a second instance beside the running one. */
		pr_warn("the maps of the program attached to %s cannot be pinned again in %s; "
			"unload it (xdp-loader unload %s --all)\n", adapter->ifname,
			adapter->pin_dir, adapter->ifname);
		err = -ENOTRECOVERABLE;
	}
	if (!err && found) {
		adapter->prog_fd = dup_fd(prog.fd);
		adapter->prog_id = prog.id;
		adapter->mode = mode_from_libxdp(prog.mode);
		if (adapter->prog_fd < 0)
			err = adapter->prog_fd;
	}
	if (found)
		rx_prog_ref_close(&prog);
	return err;
}

/*
 * The kfunc engine's context map of maps made before: the pin, or, when it was removed by
 * hand while the program runs, pinned again from the program.
 */
static int reuse_crypto_map(struct dot11xdp_adapter *adapter)
{
	struct bpf_map_info info;
	int fd, err;

	if (adapter->engine != DOT11XDP_ENGINE_KFUNC)
		return 0;
	fd = open_pin(adapter, DOT11XDP_MAP_CRYPTO);
	if (fd == -ENOENT && adapter->prog_fd >= 0)
		fd = repin_from_prog(adapter, adapter->prog_fd, DOT11XDP_MAP_CRYPTO);
	if (fd < 0) {
		pr_warn("the key contexts map %s/%s of the kfunc engine cannot be opened: %s; "
			"detach %s and attach it again\n", adapter->pin_dir, DOT11XDP_MAP_CRYPTO,
			strerror(-fd), adapter->ifname);
		return fd;
	}
	err = map_info(fd, &info);
	if (!err && info.key_size != sizeof(__u64)) {
		pr_warn("%s/%s is not a dot11xdp key contexts map; detach %s first\n",
			adapter->pin_dir, DOT11XDP_MAP_CRYPTO, adapter->ifname);
		err = -EPROTO;
	}
	if (err) {
		close(fd);
		return err;
	}
	adapter->crypto_fd = fd;
	return 0;
}

/*
 * The context programs (bpf/crypto_ctx.bpf.c) against the adapter's dot11xdp_crypto map:
 * the same programs whether this process loaded the receive program or found it attached.
 */
static int load_crypto_programs(struct dot11xdp_adapter *adapter)
{
	struct crypto_ctx_bpf *skel;
	int err;

	skel = crypto_ctx_bpf__open();
	if (!skel) {
		err = -errno;
		pr_warn("cannot open the kfunc engine's context programs: %s\n", strerror(errno));
		return err;
	}
	/* The adapter's map, never a pin at libbpf's default place (/sys/fs/bpf/<name>). */
	err = bpf_map__set_pin_path(skel->maps.dot11xdp_crypto, NULL);
	if (!err)
		err = bpf_map__reuse_fd(skel->maps.dot11xdp_crypto, adapter->crypto_fd);
	if (!err)
		err = crypto_ctx_bpf__load(skel);
	if (err) {
		pr_warn("cannot load the kfunc engine's context programs: %s%s\n", strerror(-err),
			err == -EPERM ? " (needs root: CAP_BPF and CAP_SYS_ADMIN)" : "");
		crypto_ctx_bpf__destroy(skel);
		return err;
	}
	adapter->crypto_skel = skel;
	adapter->crypto_obj = skel->obj;
	return 0;
}

/* A one-line reason for a failed attach, with what to do about it. */
static void explain_attach_error(const struct dot11xdp_adapter *adapter, int err)
{
	const char *hint = "";
	char msg[128];

	libxdp_strerror(err, msg, sizeof(msg));
	switch (-err) {
	case EPERM:
	case EACCES:
		hint = " (needs root: CAP_BPF, CAP_NET_ADMIN and CAP_SYS_ADMIN)";
		break;
	case EOPNOTSUPP:
		hint = adapter->mode == DOT11XDP_MODE_NATIVE
			       ? " (the driver has no native XDP: use skb mode)"
			       : " (the interface does not take XDP programs)";
		break;
	case EBUSY:
	case EEXIST:
		hint = " (another XDP program is attached: see xdp-loader status, unload it first)";
		break;
	case EINVAL:
		hint = " (if the verifier refused the program, enable verbose logging for its log)";
		break;
	}
	pr_warn("cannot attach the receive program to %s: %s%s\n", adapter->ifname, msg, hint);
}

/* The receive program, in the build for the adapter's engine. */
struct rx_object {
	struct decrypt_bpf *both;	   /* decrypt.bpf.c: both engines */
	struct decrypt_table_bpf *table; /* decrypt_table.bpf.c: the table engine alone */
	struct bpf_object *obj;
};

static int rx_object_open(struct rx_object *rx, enum dot11xdp_engine engine,
			  const struct bpf_object_open_opts *opts, bool report_outcome)
{
	memset(rx, 0, sizeof(*rx));
	if (engine == DOT11XDP_ENGINE_KFUNC) {
		rx->both = decrypt_bpf__open_opts(opts);
		if (!rx->both)
			return -errno;
		rx->both->rodata->report_outcome = report_outcome;
		/* Every adapter loads the context programs on their own: see load_crypto_programs. */
		bpf_program__set_autoload(rx->both->progs.crypto_ctx_create, false);
		bpf_program__set_autoload(rx->both->progs.crypto_ctx_destroy, false);
		rx->obj = rx->both->obj;
	} else {
		rx->table = decrypt_table_bpf__open_opts(opts);
		if (!rx->table)
			return -errno;
		rx->table->rodata->report_outcome = report_outcome;
		rx->obj = rx->table->obj;
	}
	return 0;
}

static void rx_object_destroy(struct rx_object *rx)
{
	decrypt_bpf__destroy(rx->both);
	decrypt_table_bpf__destroy(rx->table);
	memset(rx, 0, sizeof(*rx));
}

/* A dup() of the fd of the object's map name, for the adapter; -ENOENT when it has none. */
static int rx_map_fd(const struct rx_object *rx, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(rx->obj, name);

	return map ? dup_fd(bpf_map__fd(map)) : -ENOENT;
}

static struct bpf_program *rx_prog(const struct rx_object *rx)
{
	return bpf_object__find_program_by_name(rx->obj, RX_PROG_NAME);
}

static void set_map_sizes(const struct rx_object *rx, __u32 key_table_size)
{
	struct bpf_map *crypto = bpf_object__find_map_by_name(rx->obj, DOT11XDP_MAP_CRYPTO);

	bpf_map__set_max_entries(bpf_object__find_map_by_name(rx->obj, DOT11XDP_MAP_KEYS),
				 key_table_size);
	bpf_map__set_max_entries(bpf_object__find_map_by_name(rx->obj, DOT11XDP_MAP_PEERS),
				 key_table_size);
	/* Every key's contexts, and a replacement's beside them while it is installed. */
	if (crypto)
		bpf_map__set_max_entries(crypto, 2 * key_table_size);
}

/* The adapter's fds of the object's maps, after its load. */
static int adopt_rx_maps(struct dot11xdp_adapter *adapter, const struct rx_object *rx)
{
	int err = adopt_maps(adapter, rx_map_fd(rx, DOT11XDP_MAP_KEYS),
			     rx_map_fd(rx, DOT11XDP_MAP_STATS), rx_map_fd(rx, DOT11XDP_MAP_PEERS),
			     rx_map_fd(rx, DOT11XDP_MAP_CONFIG));

	if (!err && adapter->engine == DOT11XDP_ENGINE_KFUNC) {
		adapter->crypto_fd = rx_map_fd(rx, DOT11XDP_MAP_CRYPTO);
		if (adapter->crypto_fd < 0) {
			err = adapter->crypto_fd;
			adapter->crypto_fd = -1;
		}
	}
	return err;
}

/* Pinned maps are root's alone; bpffs already pins 0600 under a 0022 umask, make sure. */
static int protect_pins(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	int err = 0;

	if (!d)
		return -errno;
	while ((ent = readdir(d)))
		if (ent->d_type == DT_REG && fchmodat(dirfd(d), ent->d_name, 0600, 0) && !err)
			err = -errno;
	closedir(d);
	return err;
}

/* Remove every pin in dir, then dir: it is private to one interface's adapter. */
static int remove_pins(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	int err = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((ent = readdir(d))) {
		if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
			continue;
		if (unlinkat(dirfd(d), ent->d_name, 0) && errno != ENOENT && !err)
			err = -errno;
	}
	closedir(d);
	if (rmdir(dir) && errno != ENOENT && !err)
		err = -errno;
	return err;
}

static int detach_prog(struct dot11xdp_adapter *adapter)
{
	struct rx_prog_ref prog;
	int ifindex, err;

	/* The name may now belong to a new interface: find the program by its key map. */
	ifindex = if_nametoindex(adapter->ifname);
	if (!ifindex)
		return 0;
	if (!find_rx_prog(ifindex, adapter->keys_map_id, &prog))
		return 0;
	if (prog.component) {
		err = xdp_program__detach(prog.component, ifindex, prog.mode, 0);
	} else {
		/* libbpf, not libxdp, for the reason find_rx_prog() gives; only if still ours. */
		LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = prog.fd);
		__u32 flags = XDP_FLAGS_REPLACE | (prog.mode == XDP_MODE_NATIVE ? XDP_FLAGS_DRV_MODE
										   : XDP_FLAGS_SKB_MODE);

		err = bpf_xdp_detach(ifindex, flags, &opts) ? -errno : 0;
	}
	rx_prog_ref_close(&prog);
	if (err)
		pr_warn("cannot detach the receive program from %s: %s\n", adapter->ifname,
			strerror(-err));
	return err;
}

/*
 * Errors after which libxdp's dispatcher, not the program, is the likely cause: the kernel
 * refused the program as an extension of the dispatcher. Linux 6.13 (and 6.12.y) refuses to
 * let an extension that changes packet data replace a dispatcher slot that does not
 * ("Extension program changes packet data, while original does not"), and libxdp 1.3's
 * dispatcher slots do not; our program trims every decrypted frame.
 */
static bool dispatcher_may_be_at_fault(int err)
{
	switch (-err) {
	case EPERM:
	case EACCES:
	case EBUSY:
	case EEXIST:
	case EOPNOTSUPP:
	case ENODEV:
		return false;
	default:
		return true;
	}
}

/* The adapter's view of a freshly attached program and its maps; protects the pins. */
static int adopt_attached(struct dot11xdp_adapter *adapter, const struct rx_object *rx,
			  int prog_fd, __u32 prog_id)
{
	int err = adopt_rx_maps(adapter, rx);

	if (!err) {
		adapter->prog_fd = dup_fd(prog_fd);
		adapter->prog_id = prog_id;
		err = adapter->prog_fd < 0 ? adapter->prog_fd : 0;
	}
	if (!err)
		err = check_config(adapter, adapter->pin_dir);
	if (!err)
		err = protect_pins(adapter->pin_dir);
	if (err)
		pr_warn("cannot set up the maps of %s: %s\n", adapter->ifname, strerror(-err));
	return err;
}

/* Open the receive program for this adapter, maps pinned (or reused) under its pin dir. */
static int rx_object_open_live(struct dot11xdp_adapter *adapter, const struct open_args *args,
			       __u32 pinned_size, struct rx_object *rx)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts, .pin_root_path = adapter->pin_dir);
	int err = rx_object_open(rx, adapter->engine, &open_opts, false);

	if (err) {
		pr_warn("cannot open the receive program: %s\n", strerror(-err));
		return err;
	}
	set_map_sizes(rx, args->key_table_size ? args->key_table_size
			  : pinned_size	    ? pinned_size
					    : DOT11XDP_KEYS_DEFAULT);
	return 0;
}

/*
 * Attach through libxdp: as a component of its multi-program dispatcher, or, where the
 * kernel refuses the dispatcher (no BPF trampolines), as the interface's only program.
 * Either way `xdp-loader status` lists it. Loading pins the maps by name.
 */
static int attach_with_libxdp(struct dot11xdp_adapter *adapter, const struct open_args *args,
			      __u32 pinned_size)
{
	DECLARE_LIBXDP_OPTS(xdp_program_opts, xdp_opts, .prog_name = RX_PROG_NAME);
	enum xdp_attach_mode mode =
		adapter->mode == DOT11XDP_MODE_NATIVE ? XDP_MODE_NATIVE : XDP_MODE_SKB;
	struct xdp_program *prog = NULL;
	struct rx_object rx;
	int err;

	err = rx_object_open_live(adapter, args, pinned_size, &rx);
	if (err)
		return err;
	xdp_opts.obj = rx.obj;
	prog = xdp_program__create(&xdp_opts);
	err = libxdp_get_error(prog);
	if (err) {
		prog = NULL;
		pr_warn("cannot prepare the receive program for libxdp: %s\n", strerror(-err));
		goto out;
	}
	err = xdp_program__attach(prog, adapter->ifindex, mode, 0);
	if (err)
		goto out;
	err = adopt_attached(adapter, &rx, xdp_program__fd(prog), xdp_program__id(prog));
	if (err)
		xdp_program__detach(prog, adapter->ifindex, mode, 0);
out:
	xdp_program__close(prog);
	rx_object_destroy(&rx);
	return err;
}

/*
 * Attach with libbpf as the interface's only XDP program, when libxdp's dispatcher will not
 * take it. UPDATE_IF_NOEXIST keeps the rule libxdp enforces: never replace a program that
 * is not ours. detach_prog() and find_rx_prog() handle such a program already.
 */
static int attach_single(struct dot11xdp_adapter *adapter, const struct open_args *args,
			 __u32 pinned_size)
{
	__u32 flags = XDP_FLAGS_UPDATE_IF_NOEXIST |
		      (adapter->mode == DOT11XDP_MODE_NATIVE ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE);
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	struct rx_object rx;
	int err, prog_fd;

	err = rx_object_open_live(adapter, args, pinned_size, &rx);
	if (err)
		return err;
	err = bpf_object__load(rx.obj);
	if (err) {
		pr_warn("cannot load the receive program: %s (enable verbose logging for the "
			"verifier log)\n", strerror(-err));
		goto out;
	}
	prog_fd = bpf_program__fd(rx_prog(&rx));
	memset(&info, 0, sizeof(info));
	err = bpf_obj_get_info_by_fd(prog_fd, &info, &len) ? -errno : 0;
	if (!err)
		err = bpf_xdp_attach(adapter->ifindex, prog_fd, flags, NULL) ? -errno : 0;
	if (err)
		goto out;
	err = adopt_attached(adapter, &rx, prog_fd, info.id);
	if (err) {
		LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = prog_fd);

		bpf_xdp_detach(adapter->ifindex, flags & ~XDP_FLAGS_UPDATE_IF_NOEXIST, &opts);
	}
out:
	rx_object_destroy(&rx);
	return err;
}

/* Load a new instance, pinning (or reusing pinned) maps, and attach it. */
static int attach_new(struct dot11xdp_adapter *adapter, const struct open_args *args,
		      __u32 pinned_size)
{
	int err = attach_with_libxdp(adapter, args, pinned_size);

	if (err && dispatcher_may_be_at_fault(err)) {
		pr_debug("libxdp could not attach the receive program to %s (%s); attaching it as "
			 "the interface's only program\n", adapter->ifname, strerror(-err));
		err = attach_single(adapter, args, pinned_size);
	}
	if (err)
		explain_attach_error(adapter, err);
	return err;
}

static int check_ifname(const char *ifname)
{
	size_t len = ifname ? strlen(ifname) : 0;

	/* The name becomes a directory name under the pin root. */
	if (!len || len >= IF_NAMESIZE || strchr(ifname, '/') || !strcmp(ifname, ".") ||
	    !strcmp(ifname, "..")) {
		pr_warn("'%s' is not an interface name\n", ifname ? ifname : "(null)");
		return -EINVAL;
	}
	return 0;
}

static void close_maps(struct dot11xdp_adapter *adapter)
{
	close_fd(&adapter->keys_fd);
	close_fd(&adapter->stats_fd);
	close_fd(&adapter->peers_fd);
	close_fd(&adapter->config_fd);
}

/* Maps made before, found through the pins: their engine, settings and context map. */
static int adopt_existing(struct dot11xdp_adapter *adapter, const struct open_args *args,
			  bool *fallback)
{
	int err = choose_engine(adapter, args, existing_engine(adapter), fallback);

	if (!err)
		err = check_config(adapter, adapter->pin_dir);
	if (!err)
		err = reuse_crypto_map(adapter);
	return err;
}

static int open_live(struct dot11xdp_adapter *adapter, const struct open_args *args,
		     bool *fallback)
{
	__u32 pinned_size = 0;
	int root_fd, err;

	err = dot11xdp_bpffs_prepare(args->pin_root);
	if (err)
		return err;
	root_fd = dot11xdp_dir_lock(args->pin_root, LOCK_EX);
	if (root_fd < 0) {
		pr_warn("cannot lock %s: %s\n", args->pin_root, strerror(-root_fd));
		return root_fd;
	}

	err = reuse_pins(adapter);
	if (!err && adapter->prog_id) {
		pr_debug("%s: reusing the attached program %u\n", adapter->ifname,
			 adapter->prog_id);
		err = adopt_existing(adapter, args, fallback);
		goto out;
	}
	if (args->no_attach) {
		/* Pins without a program open too: their keys reach the program it attaches. */
		if (!err)
			err = adopt_existing(adapter, args, fallback);
		else if (err == -ENOENT)
			pr_warn("dot11xdp is not attached to %s (no pins in %s)\n", adapter->ifname,
				adapter->pin_dir);
		else if (err == -EUCLEAN)
			pr_warn("the pins in %s are incomplete and no program uses them: attach %s "
				"again to complete them\n", adapter->pin_dir, adapter->ifname);
		goto out;
	}
	if (!err || err == -EUCLEAN) {
		/* Pins without a program: the new program reuses them, so they must fit it. */
		err = choose_engine(adapter, args, existing_engine(adapter), fallback);
		if (!err && adapter->config_fd >= 0)
			err = check_config(adapter, adapter->pin_dir);
		if (err)
			goto out;
		pinned_size = adapter->key_table_size;
		if (args->key_table_size && args->key_table_size != pinned_size) {
			pr_warn("the pinned key table in %s holds %u keys, not %u: detach %s first "
				"to resize it\n", adapter->pin_dir, pinned_size,
				args->key_table_size, adapter->ifname);
			err = -EEXIST;
			goto out;
		}
	} else if (err == -ENOENT) {
		err = choose_engine(adapter, args, 0, fallback);
		if (err)
			goto out;
	} else {
		goto out;
	}
	close_maps(adapter);

	err = dot11xdp_mkdir_private(adapter->pin_dir);
	if (err) {
		pr_warn("cannot create pin directory %s: %s\n", adapter->pin_dir, strerror(-err));
		goto out;
	}
	err = attach_new(adapter, args, pinned_size);
	/* A failed first attach leaves no pins behind; reused pins stay as they were. */
	if (err && !pinned_size)
		remove_pins(adapter->pin_dir);
out:
	close(root_fd);
	return err;
}

struct dot11xdp_adapter *dot11xdp_adapter__open(const char *ifname,
						 const struct dot11xdp_open_opts *opts)
{
	struct dot11xdp_adapter *adapter;
	struct open_args args;
	bool fallback = false;
	int err;

	err = parse_opts(opts, &args);
	if (!err)
		err = check_ifname(ifname);
	if (err)
		return dot11xdp_err_ptr(err);
	adapter = adapter_new();
	if (!adapter)
		return dot11xdp_err_ptr(-ENOMEM);
	snprintf(adapter->ifname, sizeof(adapter->ifname), "%s", ifname);
	adapter->mode = args.mode;
	adapter->ifindex = if_nametoindex(ifname);
	if (!adapter->ifindex) {
		err = -errno;
		pr_warn("no interface named %s%s\n", ifname,
			err == -ENODEV ? " in this network namespace" : "");
		goto err;
	}
	if (snprintf(adapter->pin_dir, sizeof(adapter->pin_dir), "%s/%s", args.pin_root, ifname) >=
	    (int)sizeof(adapter->pin_dir)) {
		err = -ENAMETOOLONG;
		goto err;
	}

	dot11xdp_log_enter();
	err = open_live(adapter, &args, &fallback);
	if (!err && adapter->engine == DOT11XDP_ENGINE_KFUNC && !args.read_only)
		err = load_crypto_programs(adapter);
	dot11xdp_log_leave();
	if (err)
		goto err;

	adapter->pin_dir_fd = open(adapter->pin_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (adapter->pin_dir_fd < 0) {
		err = -errno;
		goto err;
	}
	if (args.read_only) {
		err = make_read_only(adapter);
		if (err)
			goto err;
	}
	err = dot11xdp_handle_register(adapter);
	if (err)
		goto err;
	/* Last, so a failure is never explained by this line. */
	if (fallback)
		pr_warn("%s: this kernel has no BPF crypto kfuncs (Linux 6.10+): keys use the table "
			"AES engine, which is not constant-time\n", adapter->ifname);
	return adapter;
err:
	dot11xdp_adapter_free(adapter);
	return dot11xdp_err_ptr(err);
}

struct dot11xdp_adapter *dot11xdp_adapter__open_offline(const struct dot11xdp_open_opts *opts)
{
	struct dot11xdp_adapter *adapter;
	struct rx_object rx = {};
	struct open_args args;
	struct bpf_map *map;
	bool fallback;
	int err;

	err = parse_opts(opts, &args);
	if (err)
		return dot11xdp_err_ptr(err);
	adapter = adapter_new();
	if (!adapter)
		return dot11xdp_err_ptr(-ENOMEM);
	adapter->offline = true;

	dot11xdp_log_enter();
	err = choose_engine(adapter, &args, 0, &fallback);
	if (err)
		goto out;
	err = rx_object_open(&rx, adapter->engine, NULL, true);
	if (err) {
		pr_warn("cannot open the receive program: %s\n", strerror(-err));
		goto out;
	}
	/* Private maps: nothing pinned, nothing shared with a live adapter. */
	bpf_object__for_each_map(map, rx.obj)
		bpf_map__set_pin_path(map, NULL);
	set_map_sizes(&rx, args.key_table_size ? args.key_table_size : DOT11XDP_KEYS_DEFAULT);
	err = bpf_object__load(rx.obj);
	if (err) {
		pr_warn("cannot load the receive program: %s%s\n", strerror(-err),
			err == -EPERM ? " (needs root: CAP_BPF and CAP_SYS_ADMIN)"
				      : " (enable verbose logging for the verifier log)");
		goto out;
	}
	err = adopt_rx_maps(adapter, &rx);
	if (!err) {
		adapter->prog_fd = dup_fd(bpf_program__fd(rx_prog(&rx)));
		err = adapter->prog_fd < 0 ? adapter->prog_fd : 0;
	}
	if (!err) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(adapter->prog_fd, &info, &len))
			err = -errno;
		adapter->prog_id = info.id;
	}
	if (!err)
		err = check_config(adapter, "of the offline program");
	if (!err && adapter->engine == DOT11XDP_ENGINE_KFUNC && !args.read_only)
		err = load_crypto_programs(adapter);
	if (!err && args.read_only)
		err = make_read_only(adapter);
out:
	rx_object_destroy(&rx);
	dot11xdp_log_leave();
	if (!err)
		err = dot11xdp_handle_register(adapter);
	if (err) {
		dot11xdp_adapter_free(adapter);
		return dot11xdp_err_ptr(err);
	}
	return adapter;
}

void dot11xdp_adapter__close(struct dot11xdp_adapter *adapter)
{
	if (adapter && dot11xdp_handle_unregister(adapter))
		dot11xdp_adapter_free(adapter);
}

int dot11xdp_adapter__detach(struct dot11xdp_adapter *adapter)
{
	char pin_root[PATH_MAX];
	char *slash;
	int root_fd, err, pins_fd;

	if (!adapter)
		return -EINVAL;
	if (adapter->offline) {
		dot11xdp_adapter__close(adapter);
		return -EINVAL;
	}
	snprintf(pin_root, sizeof(pin_root), "%s", adapter->pin_dir);
	slash = strrchr(pin_root, '/');
	if (slash)
		*slash = '\0';

	dot11xdp_log_enter();
	root_fd = dot11xdp_dir_lock(pin_root, LOCK_EX);
	if (root_fd < 0) {
		err = root_fd;
		pr_warn("cannot lock %s: %s\n", pin_root, strerror(-err));
		goto out;
	}
	err = detach_prog(adapter);
	if (err)
		goto unlock;
	/* Only the pins of this attachment: a newer one may have replaced them. */
	pins_fd = open_pin(adapter, DOT11XDP_MAP_KEYS);
	if (pins_fd >= 0) {
		struct bpf_map_info info;

		if (!map_info(pins_fd, &info) && info.id == adapter->keys_map_id)
			err = remove_pins(adapter->pin_dir);
		close(pins_fd);
	} else if (pins_fd == -ENOENT) {
		/* Pins already gone; remove the directory if it is empty. */
		if (rmdir(adapter->pin_dir) && errno != ENOENT && errno != ENOTEMPTY)
			err = -errno;
	}
	if (err)
		pr_warn("cannot remove the pins in %s: %s\n", adapter->pin_dir, strerror(-err));
unlock:
	close(root_fd);
out:
	dot11xdp_log_leave();
	dot11xdp_adapter__close(adapter);
	return err;
}

const char *dot11xdp_adapter__ifname(const struct dot11xdp_adapter *adapter)
{
	return adapter ? adapter->ifname : NULL;
}

const char *dot11xdp_adapter__pin_dir(const struct dot11xdp_adapter *adapter)
{
	return adapter ? adapter->pin_dir : NULL;
}

__u32 dot11xdp_adapter__prog_id(const struct dot11xdp_adapter *adapter)
{
	return adapter ? adapter->prog_id : 0;
}

enum dot11xdp_xdp_mode dot11xdp_adapter__mode(const struct dot11xdp_adapter *adapter)
{
	return adapter ? adapter->mode : DOT11XDP_MODE_SKB;
}

enum dot11xdp_engine dot11xdp_adapter__engine(const struct dot11xdp_adapter *adapter)
{
	return adapter ? adapter->engine : DOT11XDP_ENGINE_TABLE;
}

__u32 dot11xdp_adapter__key_table_size(const struct dot11xdp_adapter *adapter)
{
	return adapter ? adapter->key_table_size : 0;
}

void *dot11xdp_adapter__handle(const struct dot11xdp_adapter *adapter)
{
	return adapter ? (void *)adapter->handle : NULL;
}

int dot11xdp_adapter__config(struct dot11xdp_adapter *adapter, struct dot11xdp_config *config)
{
	__u32 zero = 0;

	if (!adapter || !config)
		return -EINVAL;
	return bpf_map_lookup_elem(adapter->config_fd, &zero, config) ? -errno : 0;
}

int dot11xdp_adapter__set_output(struct dot11xdp_adapter *adapter, __u32 output)
{
	struct dot11xdp_config config;
	__u32 zero = 0;
	int err;

	/* DOT11XDP_OUTPUT_PASS (0), and DOT11XDP_OUTPUT_ETHER (1) offline only: a live
	 * interface would need a redirect to an Ethernet device, which this build lacks. */
	if (!adapter || output > 1)
		return -EINVAL;
	if (output != DOT11XDP_OUTPUT_PASS && !adapter->offline)
		return -EOPNOTSUPP;
	err = dot11xdp_write_begin(adapter);
	if (err)
		return err;
	if (bpf_map_lookup_elem(adapter->config_fd, &zero, &config)) {
		err = -errno;
	} else {
		config.output = output;
		if (bpf_map_update_elem(adapter->config_fd, &zero, &config, BPF_ANY))
			err = -errno;
	}
	dot11xdp_write_end(adapter);
	return err;
}
