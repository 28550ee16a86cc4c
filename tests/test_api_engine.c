// SPDX-License-Identifier: GPL-2.0
/*
 * The AES engines on live adapters: a veth pair in a network namespace of our own. A fresh
 * attach takes the kfunc engine (this kernel has it), pins dot11xdp_crypto and shows the
 * engine in `dot11xdp status`; adding, replacing, deleting, disconnecting and resetting keys
 * create and release their kernel contexts (counted in dot11xdp_crypto and in /proc/crypto's
 * refcnt); another process's adapter creates contexts through the pinned map; a writer that
 * died between creating contexts and installing its key leaves contexts the next disconnect
 * sweeps; M.6.4 decrypts through the attached program (BPF_PROG_TEST_RUN of its id), also
 * after the program was unloaded and attached again onto the pins. The table engine on a
 * second interface loads the table-only build; an attachment refuses the other engine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/mount.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_link.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <dot11xdp/dot11xdp.h>
#include <dot11xdp/windot11.h>

#include "crypto_ctx.h"
#include "crypto_ctx.skel.h"
#include "testlib.h"

static char netns[32], if_a[IF_NAMESIZE], if_b[IF_NAMESIZE];
static pid_t main_pid;

__attribute__((format(printf, 1, 2))) static int run(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void cleanup(void)
{
	if (getpid() != main_pid)
		return;
	run("ip netns del %s 2>/dev/null", netns);
	run("rm -rf %s/%s %s/%s 2>/dev/null", DOT11XDP_PIN_ROOT, if_a, DOT11XDP_PIN_ROOT, if_b);
}

static void setup(void)
{
	char path[64];
	int fd;

	main_pid = getpid();
	snprintf(netns, sizeof(netns), "h10eng%d", main_pid);
	snprintf(if_a, sizeof(if_a), "h10a%d", main_pid);
	snprintf(if_b, sizeof(if_b), "h10b%d", main_pid);
	/*
	 * A bpffs of our own: pins die with this process, so a run that is killed cannot leave
	 * maps holding contexts behind for the next run to wait on.
	 */
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700"))
		test_fatal("cannot mount a private bpffs: %s", strerror(errno));
	atexit(cleanup);
	if (run("ip netns add %s", netns) ||
	    run("ip -n %s link add %s type veth peer name %s", netns, if_a, if_b) ||
	    run("ip -n %s link set %s up && ip -n %s link set %s up", netns, if_a, netns, if_b))
		test_fatal("cannot create netns %s with veth %s/%s", netns, if_a, if_b);
	snprintf(path, sizeof(path), "/run/netns/%s", netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		test_fatal("cannot enter netns %s: %s", netns, strerror(errno));
	close(fd);
}

/* ---- kernel AES transforms, from /proc/crypto ------------------------------------------ */


static long ecb_base, cbc_base;
/* Our adapter's dot11xdp_crypto; every other map of that name holds someone else's contexts. */
static __u32 our_crypto_map;

/* Whether another program's dot11xdp_crypto exists (a kfunc test running beside this one). */
static bool others_hold_contexts(void)
{
	__u32 id = 0;

	while (!bpf_map_get_next_id(id, &id)) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_map_get_fd_by_id(id);

		if (fd < 0)
			continue;
		/* Only a map with an element holds contexts: an empty one changes no count. */
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    !strcmp(info.name, DOT11XDP_MAP_CRYPTO) && id != our_crypto_map &&
		    info.key_size <= sizeof(__u64)) {
			__u64 first;

			if (!bpf_map_get_next_key(fd, NULL, &first)) {
				close(fd);
				return true;
			}
		}
		close(fd);
	}
	return false;
}

/*
 * The counts are system-wide: wait (up to 3 minutes) until no other process holds kfunc
 * contexts, so what they say is ours alone.
 */
static void wait_alone(void)
{
	bool said = false;

	for (int i = 0; i < 1800 && others_hold_contexts(); i++) {
		if (!said)
			printf("# another program holds kfunc contexts: waiting for it to finish\n");
		said = true;
		usleep(100000);
	}
}

/* The count once earlier releases have been freed (after RCU): unchanged for 2 s. */
static long settled_refcnt(const char *name)
{
	long last = test_crypto_refcnt(name), now;

	for (int still = 0; still < 200; still++) {
		usleep(10000);
		now = test_crypto_refcnt(name);
		if (now != last)
			still = 0;
		last = now;
	}
	return last;
}

static void measure_base(void)
{
	wait_alone();
	ecb_base = settled_refcnt("ecb(aes)");
	cbc_base = settled_refcnt("cbc(aes)");
	printf("# /proc/crypto refcnt before: ecb(aes) %ld, cbc(aes) %ld\n", ecb_base, cbc_base);
}

/*
 * Every key's contexts hold a cbc(aes) transform (and ecb(aes) ones: its own, and the one
 * inside the cbc instance, so the ecb count is only compared when none should be left).
 * Released contexts go after a grace period, a freed map's after a work item too: wait up
 * to 10 s, while no other process holds contexts.
 */
static bool transforms_are(long contexts)
{
	for (int i = 0; i < 1000; i++) {
		wait_alone();
		if (test_crypto_refcnt("cbc(aes)") == cbc_base + contexts &&
		    (contexts || test_crypto_refcnt("ecb(aes)") == ecb_base))
			return true;
		usleep(10000);
	}
	printf("#   cbc(aes) refcnt %ld, want %ld; ecb(aes) %ld, %ld before\n",
	       test_crypto_refcnt("cbc(aes)"), cbc_base + contexts, test_crypto_refcnt("ecb(aes)"), ecb_base);
	return false;
}

/* ---- maps ----------------------------------------------------------------------------- */

static int pin_fd(const char *ifname, const char *map)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s/%s", DOT11XDP_PIN_ROOT, ifname, map);
	return bpf_obj_get(path);
}

static bool pin_exists(const char *ifname, const char *map)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s/%s", DOT11XDP_PIN_ROOT, ifname, map);
	return !stat(path, &st);
}

static size_t map_count(int fd)
{
	__u8 cur[64], next[64];
	bool first = true;
	size_t n = 0;

	while (!bpf_map_get_next_key(fd, first ? NULL : cur, next)) {
		memcpy(cur, next, sizeof(cur));
		first = false;
		n++;
	}
	return n;
}

static __u32 map_id(int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/* Names of the maps program prog_id uses, "name,name,". */
static void prog_map_names(__u32 prog_id, char *out, size_t size)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), ids[64];
	int fd = bpf_prog_get_fd_by_id(prog_id);

	out[0] = '\0';
	if (fd < 0)
		return;
	info.nr_map_ids = 64;
	info.map_ids = (__u64)(unsigned long)ids;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
		for (__u32 i = 0; i < info.nr_map_ids && i < 64; i++) {
			struct bpf_map_info m = {};
			__u32 m_len = sizeof(m);
			int map = bpf_map_get_fd_by_id(ids[i]);

			if (map < 0)
				continue;
			if (!bpf_obj_get_info_by_fd(map, &m, &m_len))
				snprintf(out + strlen(out), size - strlen(out), "%s,", m.name);
			close(map);
		}
	}
	close(fd);
}

static struct dot11xdp_adapter *open_if(const char *ifname, __u32 engine, bool no_attach,
					bool read_only)
{
	struct dot11xdp_open_opts opts = { .sz = sizeof(opts), .engine = engine,
					   .no_attach = no_attach, .read_only = read_only };

	return dot11xdp_adapter__open(ifname, &opts);
}

/* ---- keys ------------------------------------------------------------------------------ */

union kmk {
	DOT11_CIPHER_KEY_MAPPING_KEY_VALUE v;
	UCHAR raw[128];
	ULONGLONG align;
};

/* A CCMP (16-byte tk) or CCMP-256 (32) key for peer, as the OS builds it. */
static PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE ccmp_key(union kmk *k, const UCHAR peer[6],
						    const UCHAR *tk, unsigned int tk_len,
						    BOOLEAN is_static)
{
	PDOT11_KEY_ALGO_CCMP ccmp = (PDOT11_KEY_ALGO_CCMP)k->v.ucKey;

	memset(k, 0, sizeof(*k));
	memcpy(k->v.PeerMacAddr, peer, 6);
	k->v.AlgorithmId = tk_len == 32 ? DOT11_CIPHER_ALGO_CCMP_256 : DOT11_CIPHER_ALGO_CCMP;
	k->v.Direction = DOT11_DIR_BOTH;
	k->v.bStatic = is_static;
	k->v.usKeyLength = (USHORT)(FIELD_OFFSET(DOT11_KEY_ALGO_CCMP, ucCCMPKey) + tk_len);
	ccmp->ulCCMPKeyLength = tk_len;
	memcpy(ccmp->ucCCMPKey, tk, tk_len);
	return &k->v;
}

static PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE delete_key(union kmk *k, const UCHAR peer[6])
{
	memset(k, 0, sizeof(*k));
	memcpy(k->v.PeerMacAddr, peer, 6);
	k->v.Direction = DOT11_DIR_BOTH;
	k->v.bDelete = TRUE;
	return &k->v;
}

static void peer_n(UCHAR peer[6], int n)
{
	static const UCHAR base[6] = { 0x02, 0x10, 0x00, 0x00, 0x00, 0x00 };

	memcpy(peer, base, 6);
	peer[4] = (UCHAR)(n >> 8);
	peer[5] = (UCHAR)n;
}

/* Whether dot11xdp_crypto has contexts under the generation of peer's key. */
static bool has_contexts(int keys_fd, int crypto_fd, const UCHAR peer[6])
{
	struct dot11xdp_key_id id = { .direction = DOT11XDP_DIR_BOTH };
	struct dot11xdp_key key;
	__u8 value[64];
	bool found;

	memcpy(id.peer, peer, 6);
	if (bpf_map_lookup_elem(keys_fd, &id, &key))
		return false;
	found = !bpf_map_lookup_elem(crypto_fd, &key.generation, value);
	explicit_bzero(&key, sizeof(key));
	return found;
}

/* ---- frames ---------------------------------------------------------------------------- */

struct vector {
	__u8 tk[16];
	__u8 frame[128]; /* minimal radiotap + the encrypted MPDU */
	size_t frame_len;
	__u8 plain[128]; /* what the program passes: Protected cleared, CCMP header and MIC gone */
	size_t plain_len;
	UCHAR ta[6];
};

static void vector_load(struct vector *v)
{
	static const __u8 rt_minimal[8] = { 0, 0, 8, 0, 0, 0, 0, 0 };
	const struct tv_field *tk, *hdr, *pt, *mpdu;
	const struct tv_section *s;
	struct tv_file tv;

	if (tv_load(test_data_path("ieee80211-cipher-vectors.txt"), &tv))
		test_fatal("cannot read the IEEE vectors");
	s = tv_find(&tv, "M.6.4 CCMP test vector", 0);
	if (!s || !(tk = tv_field(s, "TK")) || !(hdr = tv_field(s, "802.11 Header")) ||
	    !(pt = tv_field(s, "Plaintext Data")) ||
	    !(mpdu = tv_field(s, "Encrypted MPDU (without FCS)")) || tk->len != 16)
		test_fatal("M.6.4 vector incomplete");
	memcpy(v->tk, tk->data, 16);
	memcpy(v->frame, rt_minimal, 8);
	memcpy(v->frame + 8, mpdu->data, mpdu->len);
	v->frame_len = 8 + mpdu->len;
	memcpy(v->plain, rt_minimal, 8);
	memcpy(v->plain + 8, hdr->data, hdr->len);
	v->plain[8 + 1] &= ~0x40;
	memcpy(v->plain + 8 + hdr->len, pt->data, pt->len);
	v->plain_len = 8 + hdr->len + pt->len;
	memcpy(v->ta, mpdu->data + 10, 6);
	tv_free(&tv);
}

/*
 * Run the frame through the program attached for adapter (BPF_PROG_TEST_RUN of its id):
 * the live program reports no outcome, so it is read from the pinned stats. Returns the
 * outcome whose counter moved, or -1.
 */
static int run_live(struct dot11xdp_adapter *a, const struct vector *v, __u8 *out, __u32 *out_len)
{
	struct dot11xdp_rx_stats before, after;
	__u64 b[DOT11XDP_RX_OUTCOMES], d[DOT11XDP_RX_OUTCOMES];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = v->frame, .data_size_in = v->frame_len,
		    .data_out = out, .data_size_out = 256);
	int fd = bpf_prog_get_fd_by_id(dot11xdp_adapter__prog_id(a)), outcome = -1, moved = 0;

	if (fd < 0)
		test_fatal("the attached program: %s", strerror(errno));
	if (dot11xdp_adapter__stats(a, &before) || bpf_prog_test_run_opts(fd, &opts) ||
	    dot11xdp_adapter__stats(a, &after))
		test_fatal("running the attached program: %s", strerror(errno));
	close(fd);
	memcpy(b, &before, sizeof(b));
	memcpy(d, &after, sizeof(d));
	for (int i = 0; i < DOT11XDP_RX_OUTCOMES; i++) {
		d[i] -= b[i];
		if (d[i]) {
			outcome = i;
			moved++;
		}
	}
	*out_len = opts.data_size_out;
	return moved == 1 && d[outcome] == 1 ? outcome : -1;
}

static bool decrypts_live(struct dot11xdp_adapter *a, const struct vector *v, const char *what)
{
	__u8 out[256];
	__u32 out_len;
	int outcome = run_live(a, v, out, &out_len);
	bool ok;

	ok = test_check(outcome == DOT11XDP_RX_DECRYPTED, "%s: M.6.4 decrypted by the attached "
			"program (outcome %d)", what, outcome);
	return test_bytes_eq(out, out_len, v->plain, v->plain_len, "%s: M.6.4 plaintext", what) &&
	       ok;
}

/* ---- the CLI ---------------------------------------------------------------------------- */

static bool status_shows(const char *ifname, const char *engine)
{
	char cmd[256], line[256];
	bool found = false;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s/dot11xdp status %s",
		 getenv("OUTPUT") ? getenv("OUTPUT") : "build", ifname);
	p = popen(cmd, "r");
	if (!p)
		return false;
	while (fgets(line, sizeof(line), p)) {
		char name[32], value[32];

		if (sscanf(line, " %31s %31s", name, value) == 2 && !strcmp(name, "engine") &&
		    !strcmp(value, engine))
			found = true;
	}
	return pclose(p) == 0 && found;
}

/* ---- tests -------------------------------------------------------------------------------- */

static void test_fresh_attach(struct dot11xdp_adapter *a)
{
	struct dot11xdp_config config;
	char names[512];
	struct stat st;
	char path[256];
	int crypto = pin_fd(if_a, DOT11XDP_MAP_CRYPTO);

	test_check(dot11xdp_adapter__engine(a) == DOT11XDP_ENGINE_KFUNC,
		   "a fresh live attach takes the kfunc engine");
	test_check(!dot11xdp_adapter__config(a, &config) && config.engine == DOT11XDP_ENGINE_KFUNC,
		   "dot11xdp_config.engine is kfunc");
	snprintf(path, sizeof(path), "%s/%s/%s", DOT11XDP_PIN_ROOT, if_a, DOT11XDP_MAP_CRYPTO);
	test_check(crypto >= 0 && !stat(path, &st) && (st.st_mode & 0777) == 0600,
		   "dot11xdp_crypto is pinned, mode 0600");
	prog_map_names(dot11xdp_adapter__prog_id(a), names, sizeof(names));
	test_check(strstr(names, DOT11XDP_MAP_CRYPTO ",") != NULL,
		   "the attached program is the kfunc build (uses dot11xdp_crypto: %s)", names);
	test_check(status_shows(if_a, "kfunc"), "dot11xdp status %s shows engine kfunc", if_a);
	if (crypto >= 0)
		close(crypto);
}

/* Add, replace, delete, disconnect, reset: contexts follow the keys, none leaks. */
static void test_lifecycle(struct dot11xdp_adapter *a)
{
	enum { N = 24 };
	HANDLE h = dot11xdp_adapter__handle(a);
	int keys = pin_fd(if_a, DOT11XDP_MAP_KEYS), crypto = pin_fd(if_a, DOT11XDP_MAP_CRYPTO);
	UCHAR peer[6], tk[32];
	union kmk k;
	int failed = 0, missing = 0;

	if (keys < 0 || crypto < 0)
		test_fatal("opening the pins: %s", strerror(errno));
	for (int i = 0; i < 32; i++)
		tk[i] = (UCHAR)(i * 11 + 1);
	for (int i = 0; i < N; i++) {
		peer_n(peer, i);
		/* Every third static; CCMP and CCMP-256 alternate. */
		failed += Dot11ExtSetKeyMappingKey(h, ccmp_key(&k, peer, tk, i % 2 ? 32 : 16,
							      i % 3 == 0)) != ERROR_SUCCESS;
	}
	test_check(!failed, "%d keys added (CCMP and CCMP-256)", N);
	for (int i = 0; i < N; i++) {
		peer_n(peer, i);
		missing += !has_contexts(keys, crypto, peer);
	}
	test_check(map_count(crypto) == N && !missing,
		   "dot11xdp_crypto holds one entry per key, under its generation (%zu)",
		   map_count(crypto));
	test_ok(transforms_are(N), "the kernel holds one cbc(aes) transform per key");

	tk[0] ^= 0xff;
	failed = 0;
	for (int i = 0; i < N; i++) {
		peer_n(peer, i);
		failed += Dot11ExtSetKeyMappingKey(h, ccmp_key(&k, peer, tk, i % 2 ? 32 : 16,
							      i % 3 == 0)) != ERROR_SUCCESS;
	}
	missing = 0;
	for (int i = 0; i < N; i++) {
		peer_n(peer, i);
		missing += !has_contexts(keys, crypto, peer);
	}
	test_check(!failed && map_count(crypto) == N && !missing,
		   "every key replaced: still one entry per key, the new generations'");
	test_ok(transforms_are(N), "the replaced keys' transforms were released");

	for (int i = 0; i < 4; i++) {
		peer_n(peer, i);
		failed += Dot11ExtSetKeyMappingKey(h, delete_key(&k, peer)) != ERROR_SUCCESS;
	}
	test_check(!failed && map_count(crypto) == N - 4 && map_count(keys) == N - 4,
		   "4 keys deleted: their contexts with them");
	test_ok(transforms_are(N - 4), "the deleted keys' transforms were released");

	/* Statics among 4..23: i % 3 == 0, i.e. 6, 9, ..., 21. */
	test_check(dot11xdp_adapter__disconnect(a, NULL) == 0 && map_count(keys) == 6 &&
			   map_count(crypto) == 6,
		   "disconnect keeps the 6 static keys and their contexts only");
	test_ok(transforms_are(6), "disconnect released the rest");
	test_check(dot11xdp_adapter__reset(a) == 0 && map_count(keys) == 0 && map_count(crypto) == 0,
		   "reset leaves both maps empty");
	test_ok(transforms_are(0), "reset released every transform");
	close(keys);
	close(crypto);
}

/* Another process opens the attachment (as the CLI does) and installs a key. */
static void test_other_process(struct dot11xdp_adapter *a)
{
	int crypto = pin_fd(if_a, DOT11XDP_MAP_CRYPTO), keys = pin_fd(if_a, DOT11XDP_MAP_KEYS);
	UCHAR peer[6], tk[16] = { 7 };
	union kmk k;
	pid_t child;
	int status;

	peer_n(peer, 500);
	fflush(stdout);
	child = fork();
	if (!child) {
		struct dot11xdp_adapter *b = open_if(if_a, 0, true, false);

		if (!b)
			_exit(1);
		if (dot11xdp_adapter__engine(b) != DOT11XDP_ENGINE_KFUNC)
			_exit(2);
		if (Dot11ExtSetKeyMappingKey(dot11xdp_adapter__handle(b),
					     ccmp_key(&k, peer, tk, 16, FALSE)) != ERROR_SUCCESS)
			_exit(3);
		dot11xdp_adapter__close(b);
		_exit(0);
	}
	waitpid(child, &status, 0);
	test_check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "another process reuses the attachment (kfunc engine) and adds a key (status %d)",
		   WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	test_check(has_contexts(keys, crypto, peer) && map_count(crypto) == 1,
		   "its context programs filled the pinned dot11xdp_crypto");
	test_check(Dot11ExtSetKeyMappingKey(dot11xdp_adapter__handle(a), delete_key(&k, peer)) ==
				   ERROR_SUCCESS &&
			   map_count(crypto) == 0,
		   "this process deletes that key and its contexts");
	test_ok(transforms_are(0), "no transform left");
	close(crypto);
	close(keys);
}

/* Contexts of a writer that died before installing its key: the next disconnect sweeps them. */
static void test_sweep(struct dot11xdp_adapter *a)
{
	int crypto = pin_fd(if_a, DOT11XDP_MAP_CRYPTO);
	struct crypto_ctx_bpf *skel = crypto_ctx_bpf__open();
	UCHAR peer[6], tk[16] = { 9 };
	union kmk k;
	int err;

	if (!skel || crypto < 0)
		test_fatal("opening the context programs: %s", strerror(errno));
	bpf_map__set_pin_path(skel->maps.dot11xdp_crypto, NULL);
	if (bpf_map__reuse_fd(skel->maps.dot11xdp_crypto, crypto) || crypto_ctx_bpf__load(skel))
		test_fatal("loading the context programs against the pin: %s", strerror(errno));
	peer_n(peer, 600);
	test_check(Dot11ExtSetKeyMappingKey(dot11xdp_adapter__handle(a),
					    ccmp_key(&k, peer, tk, 16, TRUE)) == ERROR_SUCCESS,
		   "a static key to keep");
	/* Generations are socket cookies: 1 is long gone, no key has it. */
	err = dot11xdp_crypto_ctx__create(skel->obj, 1, tk, 16);
	test_check(!err && map_count(crypto) == 2, "an orphan entry beside the key's (%d)", err);
	test_ok(transforms_are(2), "the orphan holds transforms");
	test_check(dot11xdp_adapter__disconnect(a, NULL) == 0 && map_count(crypto) == 1 &&
			   has_contexts(dot11xdp_adapter__keys_map_fd(a), crypto, peer),
		   "disconnect swept the orphan, kept the static key's contexts");
	test_ok(transforms_are(1), "the orphan's transforms were released");
	test_check(dot11xdp_adapter__reset(a) == 0 && map_count(crypto) == 0, "reset");
	crypto_ctx_bpf__destroy(skel);
	close(crypto);
}

static void test_frames(struct dot11xdp_adapter *a, const struct vector *v)
{
	HANDLE h = dot11xdp_adapter__handle(a);
	__u8 out[256];
	__u32 out_len;
	union kmk k;

	test_check(Dot11ExtSetKeyMappingKey(h, ccmp_key(&k, v->ta, v->tk, 16, FALSE)) ==
			   ERROR_SUCCESS,
		   "M.6.4's key for its transmitter");
	decrypts_live(a, v, "kfunc");
	test_check(run_live(a, v, out, &out_len) == DOT11XDP_RX_REPLAY, "kfunc: M.6.4 again: replay");
	/* A replacement resets the counters, and its new contexts decrypt. */
	test_check(Dot11ExtSetKeyMappingKey(h, ccmp_key(&k, v->ta, v->tk, 16, FALSE)) ==
			   ERROR_SUCCESS,
		   "the key replaced");
	decrypts_live(a, v, "kfunc, replaced key");
}

/* The program unloaded by other means; a new attach reuses the pins, keys and contexts. */
static void test_reattach(struct dot11xdp_adapter **a, const struct vector *v)
{
	__u32 old_prog = dot11xdp_adapter__prog_id(*a);
	int crypto = pin_fd(if_a, DOT11XDP_MAP_CRYPTO);
	__u32 crypto_id = map_id(crypto);
	union kmk k;

	close(crypto);
	/* A fresh key (counters at 0) for M.6.4, installed before the program goes. */
	test_check(Dot11ExtSetKeyMappingKey(dot11xdp_adapter__handle(*a),
					    ccmp_key(&k, v->ta, v->tk, 16, FALSE)) == ERROR_SUCCESS,
		   "M.6.4's key installed again");
	dot11xdp_adapter__close(*a);
	if (run("ip link set dev %s xdpgeneric off", if_a))
		test_fatal("unloading the program of %s", if_a);
	*a = open_if(if_a, 0, false, false);
	if (!*a)
		test_fatal("attaching %s again: %s", if_a, strerror(errno));
	crypto = pin_fd(if_a, DOT11XDP_MAP_CRYPTO);
	test_check(dot11xdp_adapter__prog_id(*a) != old_prog && map_id(crypto) == crypto_id &&
			   dot11xdp_adapter__engine(*a) == DOT11XDP_ENGINE_KFUNC,
		   "attached again: a new program on the pinned dot11xdp_crypto, kfunc engine");
	close(crypto);
	decrypts_live(*a, v, "kfunc, key installed before the program was loaded again");
}

static void test_refusals(struct dot11xdp_adapter *a)
{
	struct dot11xdp_adapter *b;
	int crypto = pin_fd(if_a, DOT11XDP_MAP_CRYPTO);
	UCHAR peer[6], tk[16] = { 3 };
	union kmk k;

	b = open_if(if_a, DOT11XDP_ENGINE_TABLE, false, false);
	test_check(!b && errno == EEXIST, "the kfunc attachment refuses opts.engine table: EEXIST");
	b = open_if(if_a, DOT11XDP_ENGINE_KFUNC, true, false);
	test_check(b != NULL, "it takes opts.engine kfunc, its own");
	dot11xdp_adapter__close(b);

	b = open_if(if_a, 0, true, true);
	peer_n(peer, 700);
	test_check(b && Dot11ExtSetKeyMappingKey(dot11xdp_adapter__handle(b),
						 ccmp_key(&k, peer, tk, 16, FALSE)) ==
				ERROR_ACCESS_DENIED,
		   "a read-only adapter: ERROR_ACCESS_DENIED");
	test_check(map_count(crypto) == 1, "... and no contexts were created (one: M.6.4's key)");
	dot11xdp_adapter__close(b);
	close(crypto);
}

static void test_table_engine(const struct vector *v)
{
	struct dot11xdp_adapter *t, *again;
	struct dot11xdp_config config;
	char names[512];
	union kmk k;

	t = open_if(if_b, DOT11XDP_ENGINE_TABLE, false, false);
	if (!test_check(t != NULL, "attach %s with opts.engine table: %s", if_b,
			t ? "ok" : strerror(errno)))
		return;
	test_check(dot11xdp_adapter__engine(t) == DOT11XDP_ENGINE_TABLE &&
			   !dot11xdp_adapter__config(t, &config) &&
			   config.engine == DOT11XDP_ENGINE_TABLE,
		   "table: engine and config say table");
	prog_map_names(dot11xdp_adapter__prog_id(t), names, sizeof(names));
	test_check(!strstr(names, DOT11XDP_MAP_CRYPTO) && strstr(names, DOT11XDP_MAP_KEYS),
		   "table: the attached program is the table-only build (%s)", names);
	test_check(!pin_exists(if_b, DOT11XDP_MAP_CRYPTO), "table: no dot11xdp_crypto pin");
	test_check(status_shows(if_b, "table"), "dot11xdp status %s shows engine table", if_b);
	test_check(Dot11ExtSetKeyMappingKey(dot11xdp_adapter__handle(t),
					    ccmp_key(&k, v->ta, v->tk, 16, FALSE)) == ERROR_SUCCESS,
		   "table: M.6.4's key");
	decrypts_live(t, v, "table");

	again = open_if(if_b, 0, false, false);
	test_check(again && dot11xdp_adapter__engine(again) == DOT11XDP_ENGINE_TABLE,
		   "table: reopening without an engine keeps the table engine");
	dot11xdp_adapter__close(again);
	again = open_if(if_b, DOT11XDP_ENGINE_KFUNC, false, false);
	test_check(!again && errno == EEXIST, "table: opts.engine kfunc refused, EEXIST");
	test_check(dot11xdp_adapter__detach(t) == 0, "table: detach");
}

int main(void)
{
	struct dot11xdp_adapter *a;
	struct vector v;
	int crypto;

	test_require_root();
	/* /proc/crypto counts are system-wide: one such test at a time on a machine. */
	test_exclusive("kfunc-contexts");
	if (!test_ok(dot11xdp_kfunc_engine_available(), "this kernel has the kfunc engine"))
		test_fatal("the kfunc engine needs Linux 6.10+ with the BPF crypto kfuncs");
	vector_load(&v);
	setup();
	measure_base();

	a = open_if(if_a, 0, false, false);
	if (!a)
		test_fatal("attach %s: %s", if_a, strerror(errno));
	crypto = pin_fd(if_a, DOT11XDP_MAP_CRYPTO);
	our_crypto_map = map_id(crypto);
	close(crypto);
	test_fresh_attach(a);
	test_lifecycle(a);
	test_other_process(a);
	test_sweep(a);
	test_frames(a, &v);
	test_refusals(a);
	test_reattach(&a, &v);
	test_table_engine(&v);

	test_check(dot11xdp_adapter__detach(a) == 0, "detach %s", if_a);
	test_ok(transforms_are(0), "detach released the contexts left in the map");
	return test_done();
}
