// SPDX-License-Identifier: GPL-2.0
/*
 * Dot11ExtSetKeyMappingKey for every standard pairwise cipher, on offline adapters of both
 * AES engines (the receive program loaded in the kernel, nothing attached or pinned):
 * each cipher's valid blobs, and each malformed one refused with ERROR_INVALID_DATA with
 * dot11xdp_keys and dot11xdp_crypto compared byte for byte before and after. Then the
 * M.6.4 vector decrypted by the receive program on each engine, and the engines' builds:
 * the table engine's has no kfunc call and no context map.
 *
 * A cipher whose key material this build lacks (material.c) must answer
 * ERROR_NOT_SUPPORTED and change nothing; once its material exists, the same checks
 * require ERROR_SUCCESS and the key stored exactly as material.c prepares it. The line
 * "# <cipher>: no key material in this build" says which branch ran.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/if_link.h>

#include <dot11xdp/dot11xdp.h>
#include <dot11xdp/windot11.h>

#include "crypto_ctx.h"
#include "material.h"
#include "testlib.h"

/* ---- both maps, byte for byte ------------------------------------------------------- */

/* Every (key, value) of a hash map, sorted by key bytes. */
struct snapshot {
	__u8 *entries; /* key_size + value_size each */
	size_t n, key_size, value_size;
};

static int cmp_key_size;

static int cmp_entry(const void *a, const void *b)
{
	return memcmp(a, b, cmp_key_size);
}

static void snapshot_take(int fd, struct snapshot *s)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	__u8 cur[64], next[64];
	bool first = true;

	memset(s, 0, sizeof(*s));
	if (fd < 0)
		return;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.key_size > sizeof(cur))
		test_fatal("map info: %s", strerror(errno));
	s->key_size = info.key_size;
	s->value_size = info.value_size;
	while (!bpf_map_get_next_key(fd, first ? NULL : cur, next)) {
		size_t entry = s->key_size + s->value_size;
		__u8 *e;

		s->entries = realloc(s->entries, (s->n + 1) * entry);
		if (!s->entries)
			test_fatal("out of memory");
		e = s->entries + s->n * entry;
		memcpy(e, next, s->key_size);
		if (bpf_map_lookup_elem(fd, next, e + s->key_size))
			test_fatal("map lookup: %s", strerror(errno));
		s->n++;
		memcpy(cur, next, s->key_size);
		first = false;
	}
	if (errno != ENOENT)
		test_fatal("walking a map: %s", strerror(errno));
	cmp_key_size = s->key_size;
	qsort(s->entries, s->n, s->key_size + s->value_size, cmp_entry);
}

static bool snapshot_equal(const struct snapshot *a, const struct snapshot *b)
{
	return a->n == b->n &&
	       (!a->n || !memcmp(a->entries, b->entries, a->n * (a->key_size + a->value_size)));
}

static void snapshot_free(struct snapshot *s)
{
	free(s->entries);
	memset(s, 0, sizeof(*s));
}

static size_t map_count(int fd)
{
	struct snapshot s;
	size_t n;

	snapshot_take(fd, &s);
	n = s.n;
	snapshot_free(&s);
	return n;
}

/* ---- the adapter under test ----------------------------------------------------------- */

struct env {
	struct dot11xdp_adapter *a;
	HANDLE h;
	enum dot11xdp_engine engine;
	const char *engine_name;
	int keys_fd, crypto_fd; /* crypto_fd -1 on the table engine: its build has no such map */
};

/* The fd of the map called name that the adapter's program uses, or -1. */
static int prog_map_fd(__u32 prog_id, const char *name)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), ids[64];
	int prog_fd = bpf_prog_get_fd_by_id(prog_id), found = -1;

	if (prog_fd < 0)
		test_fatal("program %u: %s", prog_id, strerror(errno));
	info.nr_map_ids = 64;
	info.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		test_fatal("program info: %s", strerror(errno));
	close(prog_fd);
	for (__u32 i = 0; i < info.nr_map_ids && i < 64 && found < 0; i++) {
		struct bpf_map_info m = {};
		__u32 m_len = sizeof(m);
		int fd = bpf_map_get_fd_by_id(ids[i]);

		if (fd < 0)
			test_fatal("map %u: %s", ids[i], strerror(errno));
		if (!bpf_obj_get_info_by_fd(fd, &m, &m_len) && !strcmp(m.name, name))
			found = fd;
		else
			close(fd);
	}
	return found;
}

static void env_open(struct env *e, enum dot11xdp_engine engine, __u32 key_table_size)
{
	struct dot11xdp_open_opts opts = { .sz = sizeof(opts), .engine = engine,
					   .key_table_size = key_table_size };
	struct dot11xdp_config config;

	memset(e, 0, sizeof(*e));
	e->engine = engine;
	e->engine_name = engine == DOT11XDP_ENGINE_KFUNC ? "kfunc" : "table";
	e->a = dot11xdp_adapter__open_offline(&opts);
	if (!e->a)
		test_fatal("open an offline adapter on the %s engine: %s", e->engine_name,
			   strerror(errno));
	e->h = dot11xdp_adapter__handle(e->a);
	e->keys_fd = dot11xdp_adapter__keys_map_fd(e->a);
	e->crypto_fd = prog_map_fd(dot11xdp_adapter__prog_id(e->a), DOT11XDP_MAP_CRYPTO);
	test_check(dot11xdp_adapter__engine(e->a) == engine &&
			   !dot11xdp_adapter__config(e->a, &config) && config.engine == engine,
		   "%s: offline adapter opened with opts.engine %s: engine and config say so",
		   e->engine_name, e->engine_name);
	if (engine == DOT11XDP_ENGINE_KFUNC)
		test_check(e->crypto_fd >= 0, "kfunc: the program uses a dot11xdp_crypto map");
	else
		test_check(e->crypto_fd < 0,
			   "table: the program is the table-only build (no dot11xdp_crypto)");
}

static void env_close(struct env *e)
{
	if (e->crypto_fd >= 0)
		close(e->crypto_fd);
	dot11xdp_adapter__close(e->a);
	memset(e, 0, sizeof(*e));
}

/* ---- blobs ------------------------------------------------------------------------------ */

enum blob_kind { BLOB_AES, BLOB_TKIP, BLOB_RAW };

struct cipher_spec {
	const char *name;
	ULONG algo;
	__u32 cipher; /* as stored */
	unsigned int key_len;
	enum blob_kind kind;
};

static const struct cipher_spec specs[] = {
	{ "CCMP", DOT11_CIPHER_ALGO_CCMP, DOT11XDP_CIPHER_CCMP, 16, BLOB_AES },
	{ "CCMP-256", DOT11_CIPHER_ALGO_CCMP_256, DOT11XDP_CIPHER_CCMP_256, 32, BLOB_AES },
	{ "GCMP", DOT11_CIPHER_ALGO_GCMP, DOT11XDP_CIPHER_GCMP, 16, BLOB_AES },
	{ "GCMP-256", DOT11_CIPHER_ALGO_GCMP_256, DOT11XDP_CIPHER_GCMP_256, 32, BLOB_AES },
	/* TK, then the Michael key of received frames, then that of transmitted frames. */
	{ "TKIP", DOT11_CIPHER_ALGO_TKIP, DOT11XDP_CIPHER_TKIP, 32, BLOB_TKIP },
	{ "WEP40", DOT11_CIPHER_ALGO_WEP40, DOT11XDP_CIPHER_WEP40, 5, BLOB_RAW },
	{ "WEP104", DOT11_CIPHER_ALGO_WEP104, DOT11XDP_CIPHER_WEP104, 13, BLOB_RAW },
	{ "WEP of 5 bytes", DOT11_CIPHER_ALGO_WEP, DOT11XDP_CIPHER_WEP40, 5, BLOB_RAW },
	{ "WEP of 13 bytes", DOT11_CIPHER_ALGO_WEP, DOT11XDP_CIPHER_WEP104, 13, BLOB_RAW },
};
#define N_SPECS (sizeof(specs) / sizeof(specs[0]))

/* A DOT11_CIPHER_KEY_MAPPING_KEY_VALUE with room for any blob, aligned as malloc would. */
union kmk {
	DOT11_CIPHER_KEY_MAPPING_KEY_VALUE v;
	UCHAR raw[160];
	ULONGLONG align;
};

/* Offset of the key bytes in ucKey, and of the ULONG inner length (AES blobs). */
static size_t key_offset(const struct cipher_spec *c)
{
	switch (c->kind) {
	case BLOB_AES:
		return FIELD_OFFSET(DOT11_KEY_ALGO_CCMP, ucCCMPKey);
	case BLOB_TKIP:
		return FIELD_OFFSET(DOT11_KEY_ALGO_TKIP_MIC, ucTKIPMICKeys);
	default:
		return 0;
	}
}

/* The blob as an IHV client builds it (each through its own SDK structure), length canonical. */
static PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE build(union kmk *k, const struct cipher_spec *c,
						 const UCHAR peer[6], const UCHAR *key, __u64 pn)
{
	UCHAR iv[6];

	for (int i = 0; i < 6; i++)
		iv[i] = (UCHAR)(pn >> (8 * i));
	memset(k, 0, sizeof(*k));
	memcpy(k->v.PeerMacAddr, peer, 6);
	k->v.AlgorithmId = (DOT11_CIPHER_ALGORITHM)c->algo;
	k->v.Direction = DOT11_DIR_BOTH;
	k->v.usKeyLength = (USHORT)(key_offset(c) + c->key_len);
	switch (c->algo) {
	case DOT11_CIPHER_ALGO_CCMP:
	case DOT11_CIPHER_ALGO_CCMP_256: {
		PDOT11_KEY_ALGO_CCMP b = (PDOT11_KEY_ALGO_CCMP)k->v.ucKey;

		memcpy(b->ucIV48Counter, iv, 6);
		b->ulCCMPKeyLength = c->key_len;
		memcpy(b->ucCCMPKey, key, c->key_len);
		break;
	}
	case DOT11_CIPHER_ALGO_GCMP: {
		PDOT11_KEY_ALGO_GCMP b = (PDOT11_KEY_ALGO_GCMP)k->v.ucKey;

		memcpy(b->ucIV48Counter, iv, 6);
		b->ulGCMPKeyLength = c->key_len;
		memcpy(b->ucGCMPKey, key, c->key_len);
		break;
	}
	case DOT11_CIPHER_ALGO_GCMP_256: {
		PDOT11_KEY_ALGO_GCMP_256 b = (PDOT11_KEY_ALGO_GCMP_256)k->v.ucKey;

		memcpy(b->ucIV48Counter, iv, 6);
		b->ulGCMP256KeyLength = c->key_len;
		memcpy(b->ucGCMP256Key, key, c->key_len);
		break;
	}
	case DOT11_CIPHER_ALGO_TKIP: {
		PDOT11_KEY_ALGO_TKIP_MIC b = (PDOT11_KEY_ALGO_TKIP_MIC)k->v.ucKey;

		memcpy(b->ucIV48Counter, iv, 6);
		b->ulTKIPKeyLength = 16;
		b->ulMICKeyLength = 16;
		memcpy(b->ucTKIPMICKeys, key, 32);
		break;
	}
	default:
		memcpy(k->v.ucKey, key, c->key_len);
		break;
	}
	return &k->v;
}

static void set_ulong(union kmk *k, size_t off, ULONG value)
{
	memcpy(k->v.ucKey + off, &value, sizeof(value));
}

static const UCHAR PEER_A[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const UCHAR PEER_B[6] = { 0x00, 0x0c, 0x41, 0x82, 0xb2, 0x55 };
static UCHAR KEY[32], KEY2[32];

/*
 * Call with handle e->h and check the code; for every answer but success, also that
 * neither map changed.
 */
__attribute__((format(printf, 4, 5))) static bool
expect(const struct env *e, PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE k, DWORD want, const char *fmt,
       ...)
{
	struct snapshot keys_before, keys_after, crypto_before, crypto_after;
	char name[256];
	va_list ap;
	DWORD got;
	bool ok;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	snapshot_take(e->keys_fd, &keys_before);
	snapshot_take(e->crypto_fd, &crypto_before);
	got = Dot11ExtSetKeyMappingKey(e->h, k);
	snapshot_take(e->keys_fd, &keys_after);
	snapshot_take(e->crypto_fd, &crypto_after);
	ok = test_ok(got == want, "%s: %s: returns %lu", e->engine_name, name, (unsigned long)want);
	if (got != want)
		printf("#   got %lu\n", (unsigned long)got);
	if (want != ERROR_SUCCESS)
		ok &= test_ok(snapshot_equal(&keys_before, &keys_after) &&
				      snapshot_equal(&crypto_before, &crypto_after),
			      "%s: %s: dot11xdp_keys and dot11xdp_crypto unchanged", e->engine_name,
			      name);
	snapshot_free(&keys_before);
	snapshot_free(&keys_after);
	snapshot_free(&crypto_before);
	snapshot_free(&crypto_after);
	return ok;
}

static bool key_read(const struct env *e, const UCHAR peer[6], struct dot11xdp_key *key)
{
	struct dot11xdp_key_id id = { .direction = DOT11XDP_DIR_BOTH };

	memcpy(id.peer, peer, 6);
	return !bpf_map_lookup_elem(e->keys_fd, &id, key);
}

static bool uses_aes(__u32 cipher)
{
	return cipher == DOT11XDP_CIPHER_CCMP || cipher == DOT11XDP_CIPHER_CCMP_256 ||
	       cipher == DOT11XDP_CIPHER_GCMP || cipher == DOT11XDP_CIPHER_GCMP_256;
}

/* What this build's material.c makes of the key (want), or its error. */
static int material_of(const struct cipher_spec *c, const UCHAR *key, enum dot11xdp_engine engine,
		       struct dot11xdp_key *want)
{
	memset(want, 0, sizeof(*want));
	return dot11xdp_material_prepare(want, c->cipher, key, c->key_len, engine);
}

/* The stored key is what the blob says, prepared as material.c prepares it. */
static void check_stored(const struct env *e, const struct cipher_spec *c, const UCHAR *key,
			 __u64 pn, const char *what)
{
	struct dot11xdp_key got, want;
	bool counters = true;
	__u64 want_pn = c->kind == BLOB_RAW ? 0 : pn;

	if (!test_check(key_read(e, PEER_A, &got), "%s: %s: %s: the key is in dot11xdp_keys",
			e->engine_name, c->name, what))
		return;
	if (material_of(c, key, e->engine, &want))
		test_fatal("material_prepare refused %s after the library accepted it", c->name);
	test_check(got.cipher == c->cipher && got.tk_len == want.tk_len && got.engine == want.engine,
		   "%s: %s: %s: cipher %u, tk_len %u, engine %u", e->engine_name, c->name, what,
		   c->cipher, want.tk_len, want.engine);
	test_check(!memcmp(&got.material, &want.material, sizeof(want.material)),
		   "%s: %s: %s: material is what material.c makes of the blob's %u key bytes",
		   e->engine_name, c->name, what, c->key_len);
	test_check(got.rx_pn_init == want_pn, "%s: %s: %s: rx_pn_init %llu (%s)", e->engine_name,
		   c->name, what, (unsigned long long)want_pn,
		   c->kind == BLOB_RAW ? "WEP has no counter" : "ucIV48Counter, little-endian");
	for (int end = 0; end < DOT11XDP_REPLAY_ENDS; end++)
		for (int i = 0; i < DOT11XDP_REPLAY_COUNTERS; i++)
			counters &= got.rx[end].pn[i] == want_pn;
	test_check(counters, "%s: %s: %s: every replay counter starts there", e->engine_name,
		   c->name, what);
	/* Windows' order, whatever material.c does with it: RX MIC key, then TX MIC key. */
	if (c->kind == BLOB_TKIP)
		test_check(!memcmp(got.material.tkip.tk, key, 16) &&
				   !memcmp(got.material.tkip.michael[DOT11XDP_FROM_PEER], key + 16, 8) &&
				   !memcmp(got.material.tkip.michael[DOT11XDP_TO_PEER], key + 24, 8),
			   "%s: TKIP: %s: the blob's first MIC key checks frames from the peer (RX), "
			   "the second frames to it (TX)", e->engine_name, what);
	if (c->kind == BLOB_RAW)
		test_check(!memcmp(got.material.wep.key, key, c->key_len),
			   "%s: %s: %s: the raw key is the WEP key", e->engine_name, c->name, what);
	if (e->engine == DOT11XDP_ENGINE_KFUNC && uses_aes(c->cipher)) {
		__u64 generation = got.generation;
		__u8 value[64];

		test_check(!bpf_map_lookup_elem(e->crypto_fd, &generation, value),
			   "%s: %s: %s: its contexts are in dot11xdp_crypto under its generation",
			   e->engine_name, c->name, what);
		test_check(!memmem(&got, sizeof(got), key, 8) &&
				   !memmem(&got, sizeof(got), key + c->key_len - 8, 8),
			   "%s: %s: %s: no key bytes in the map value", e->engine_name, c->name,
			   what);
	}
	explicit_bzero(&got, sizeof(got));
	explicit_bzero(&want, sizeof(want));
}

/* The valid blobs of one cipher: canonical, with the struct's tail padding counted, longer. */
static void test_valid(const struct env *e, const struct cipher_spec *c)
{
	struct dot11xdp_key scratch;
	int has = material_of(c, KEY, e->engine, &scratch), other;
	size_t contexts_before = e->crypto_fd < 0 ? 0 : map_count(e->crypto_fd);
	enum dot11xdp_engine other_engine = e->engine == DOT11XDP_ENGINE_KFUNC
						    ? DOT11XDP_ENGINE_TABLE
						    : DOT11XDP_ENGINE_KFUNC;
	union kmk k;

	other = material_of(c, KEY, other_engine, &scratch);
	explicit_bzero(&scratch, sizeof(scratch));
	/* An engine is an AES implementation: no cipher may exist on one engine only. */
	test_check((has == 0) == (other == 0) && (has == 0 || has == -EOPNOTSUPP),
		   "%s: material.c has %s key material on both engines or on neither (%d, %d)",
		   c->name, c->name, has, other);
	if (has) {
		printf("# %s: no key material in this build (material_prepare: %s): "
		       "ERROR_NOT_SUPPORTED expected\n", c->name, strerror(-has));
		expect(e, build(&k, c, PEER_A, KEY, 0x0c0b0a090807ull), ERROR_NOT_SUPPORTED,
		       "%s blob without key material", c->name);
		return;
	}
	expect(e, build(&k, c, PEER_A, KEY, 0x0c0b0a090807ull), ERROR_SUCCESS,
	       "%s, usKeyLength %u", c->name, k.v.usKeyLength);
	check_stored(e, c, KEY, 0x0c0b0a090807ull, "canonical blob");

	/* A replacement: new key, new PN, the old key's contexts released. */
	expect(e, build(&k, c, PEER_A, KEY2, 1), ERROR_SUCCESS, "%s replaced", c->name);
	check_stored(e, c, KEY2, 1, "replacement");
	if (e->crypto_fd >= 0)
		test_check(map_count(e->crypto_fd) == contexts_before + uses_aes(c->cipher),
			   "%s: %s: the replaced key's contexts are gone", e->engine_name, c->name);

	if (c->kind != BLOB_RAW) {
		size_t padded = (c->kind == BLOB_TKIP ? sizeof(DOT11_KEY_ALGO_TKIP_MIC)
						     : sizeof(DOT11_KEY_ALGO_CCMP)) -
				1 + c->key_len;

		build(&k, c, PEER_A, KEY, 0xffffffffffffull);
		k.v.usKeyLength = (USHORT)padded;
		expect(e, &k.v, ERROR_SUCCESS, "%s, usKeyLength %zu (sizeof - 1 + key)", c->name,
		       padded);
		check_stored(e, c, KEY, 0xffffffffffffull, "padded length, PN 2^48-1");
		build(&k, c, PEER_A, KEY2, 7);
		k.v.usKeyLength = 120;
		memset(k.v.ucKey + key_offset(c) + c->key_len, 0xee, 120 - key_offset(c) - c->key_len);
		expect(e, &k.v, ERROR_SUCCESS, "%s, usKeyLength 120, bytes after the key ignored",
		       c->name);
		check_stored(e, c, KEY2, 7, "usKeyLength 120");
	}
	expect(e, build(&k, c, PEER_A, KEY, 0), ERROR_SUCCESS, "%s delete setup", c->name);
	k.v.bDelete = TRUE;
	expect(e, &k.v, ERROR_SUCCESS, "%s deleted", c->name);
	test_check(!key_read(e, PEER_A, &scratch) &&
			   (e->crypto_fd < 0 || map_count(e->crypto_fd) == contexts_before),
		   "%s: %s: delete removed the key and its contexts", e->engine_name, c->name);
}

/* Every malformed blob of one cipher, with a key of another peer in both maps. */
static void test_malformed(const struct env *e, const struct cipher_spec *c)
{
	static const USHORT wep40_lens[] = { 0, 1, 4, 6, 13, 16 };
	static const USHORT wep104_lens[] = { 0, 5, 12, 14, 16, 29 };
	static const USHORT wep_lens[] = { 0, 1, 4, 6, 12, 14, 16, 29 };
	size_t off = key_offset(c);
	union kmk k;

	if (c->kind == BLOB_RAW) {
		const USHORT *lens = c->algo == DOT11_CIPHER_ALGO_WEP40	   ? wep40_lens
				     : c->algo == DOT11_CIPHER_ALGO_WEP104 ? wep104_lens
									   : wep_lens;
		size_t n = c->algo == DOT11_CIPHER_ALGO_WEP40	 ? sizeof(wep40_lens)
			   : c->algo == DOT11_CIPHER_ALGO_WEP104 ? sizeof(wep104_lens)
								 : sizeof(wep_lens);

		/* The two WEP specs share AlgorithmId WEP: run its lengths once. */
		if (c->algo == DOT11_CIPHER_ALGO_WEP && c->key_len != 5)
			return;
		for (size_t i = 0; i < n / sizeof(USHORT); i++) {
			build(&k, c, PEER_B, KEY, 0);
			k.v.usKeyLength = lens[i];
			expect(e, &k.v, ERROR_INVALID_DATA, "%s key of %u bytes",
			       c->algo == DOT11_CIPHER_ALGO_WEP ? "WEP" : c->name, lens[i]);
		}
		return;
	}

	/* usKeyLength too short: for the header, or for the key the header announces. */
	const USHORT short_lens[] = { 0, 1, 6, (USHORT)(off - 1), (USHORT)off,
				      (USHORT)(off + c->key_len - 1) };
	for (size_t i = 0; i < sizeof(short_lens) / sizeof(short_lens[0]); i++) {
		build(&k, c, PEER_B, KEY, 0);
		k.v.usKeyLength = short_lens[i];
		expect(e, &k.v, ERROR_INVALID_DATA, "%s, usKeyLength %u", c->name, short_lens[i]);
	}

	if (c->kind == BLOB_AES) {
		const ULONG inner[] = { 0, 5, 13, c->key_len - 1, c->key_len + 1,
					c->key_len == 16 ? 32 : 16, 0x7fffffff, 0xffffffffu };
		/* The inner length sits where every AES blob has it: after ucIV48Counter. */
		size_t len_off = FIELD_OFFSET(DOT11_KEY_ALGO_CCMP, ulCCMPKeyLength);

		for (size_t i = 0; i < sizeof(inner) / sizeof(inner[0]); i++) {
			build(&k, c, PEER_B, KEY, 0);
			set_ulong(&k, len_off, inner[i]);
			k.v.usKeyLength = 120; /* room for any inner length a check could allow */
			expect(e, &k.v, ERROR_INVALID_DATA, "%s, key length field %lu", c->name,
			       (unsigned long)inner[i]);
		}
		return;
	}

	/* TKIP: the TK length and the MIC keys' length must each be 16. */
	const ULONG bad_tk[] = { 0, 15, 17, 32, 0xffffffffu };
	const ULONG bad_mic[] = { 0, 8, 15, 17, 32, 0xffffffffu };

	for (size_t i = 0; i < sizeof(bad_tk) / sizeof(bad_tk[0]); i++) {
		build(&k, c, PEER_B, KEY, 0);
		set_ulong(&k, FIELD_OFFSET(DOT11_KEY_ALGO_TKIP_MIC, ulTKIPKeyLength), bad_tk[i]);
		k.v.usKeyLength = 120;
		expect(e, &k.v, ERROR_INVALID_DATA, "TKIP, ulTKIPKeyLength %lu",
		       (unsigned long)bad_tk[i]);
	}
	for (size_t i = 0; i < sizeof(bad_mic) / sizeof(bad_mic[0]); i++) {
		build(&k, c, PEER_B, KEY, 0);
		set_ulong(&k, FIELD_OFFSET(DOT11_KEY_ALGO_TKIP_MIC, ulMICKeyLength), bad_mic[i]);
		k.v.usKeyLength = 120;
		expect(e, &k.v, ERROR_INVALID_DATA, "TKIP, ulMICKeyLength %lu",
		       (unsigned long)bad_mic[i]);
	}
}

/* Blobs of one cipher under another's AlgorithmId: the lengths give them away. */
static void test_crossed(const struct env *e)
{
	static const struct {
		ULONG algo;
		const char *name;
		size_t spec; /* the blob's real cipher */
	} crossed[] = {
		{ DOT11_CIPHER_ALGO_CCMP_256, "CCMP-256", 0 },	/* a CCMP blob (16-byte key) */
		{ DOT11_CIPHER_ALGO_CCMP, "CCMP", 1 },		/* a CCMP-256 blob */
		{ DOT11_CIPHER_ALGO_GCMP_256, "GCMP-256", 2 },	/* a GCMP blob */
		{ DOT11_CIPHER_ALGO_GCMP, "GCMP", 3 },		/* a GCMP-256 blob */
		{ DOT11_CIPHER_ALGO_TKIP, "TKIP", 0 },		/* a CCMP blob: ulMICKeyLength is key bytes */
		{ DOT11_CIPHER_ALGO_WEP40, "WEP40", 0 },	/* a CCMP blob: 28 bytes */
		{ DOT11_CIPHER_ALGO_WEP104, "WEP104", 5 },	/* a WEP40 key */
		{ DOT11_CIPHER_ALGO_WEP40, "WEP40", 6 },	/* a WEP104 key */
		{ DOT11_CIPHER_ALGO_WEP, "WEP", 4 },		/* a TKIP blob: 48 bytes */
	};
	union kmk k;

	for (size_t i = 0; i < sizeof(crossed) / sizeof(crossed[0]); i++) {
		build(&k, &specs[crossed[i].spec], PEER_B, KEY, 0);
		k.v.AlgorithmId = (DOT11_CIPHER_ALGORITHM)crossed[i].algo;
		expect(e, &k.v, ERROR_INVALID_DATA, "a %s blob as AlgorithmId %s",
		       specs[crossed[i].spec].name, crossed[i].name);
	}
}

static void test_engine_blobs(enum dot11xdp_engine engine)
{
	struct env e;
	union kmk k;

	env_open(&e, engine, 0);
	/* Another peer's key in both maps, so "unchanged" means something. */
	expect(&e, build(&k, &specs[1], PEER_B, KEY2, 3), ERROR_SUCCESS, "setup: a CCMP-256 key");
	for (size_t i = 0; i < N_SPECS; i++) {
		test_malformed(&e, &specs[i]);
		test_valid(&e, &specs[i]);
	}
	test_crossed(&e);
	test_check(dot11xdp_adapter__reset(e.a) == 0 && map_count(e.keys_fd) == 0 &&
			   (e.crypto_fd < 0 || map_count(e.crypto_fd) == 0),
		   "%s: reset leaves both maps empty", e.engine_name);
	env_close(&e);
}

/* A full key table on the kfunc engine: the refused key's fresh contexts are released. */
static void test_full_table_kfunc(void)
{
	UCHAR peer[6] = { 0x02, 0, 0, 0, 0, 0 };
	struct snapshot before, after;
	struct env e;
	union kmk k;

	env_open(&e, DOT11XDP_ENGINE_KFUNC, 4);
	for (int i = 1; i <= 4; i++) {
		peer[5] = (UCHAR)i;
		expect(&e, build(&k, &specs[i % 2], peer, KEY, 0), ERROR_SUCCESS, "fill key %d of 4",
		       i);
	}
	test_check(map_count(e.crypto_fd) == 4, "kfunc: four keys, four context entries");
	snapshot_take(e.crypto_fd, &before);
	peer[5] = 5;
	expect(&e, build(&k, &specs[0], peer, KEY, 0), ERROR_NO_SYSTEM_RESOURCES,
	       "a fifth key in a table of 4");
	snapshot_take(e.crypto_fd, &after);
	test_check(snapshot_equal(&before, &after),
		   "kfunc: the refused key's contexts were created and released again");
	snapshot_free(&before);
	snapshot_free(&after);
	env_close(&e);
}

/* ---- the receive program on each engine -------------------------------------------------- */

static const __u8 rt_minimal[8] = { 0, 0, 8, 0, 0, 0, 0, 0 };

static const struct tv_field *need(const struct tv_section *s, const char *name)
{
	const struct tv_field *f = tv_field(s, name);

	if (!f)
		test_fatal("vector \"%s\": no field \"%s\"", s->title, name);
	return f;
}

/* M.6.4 (CCMP-128) through the offline program on engine: plaintext, outcome, counters. */
static void test_vector(const struct tv_file *tv, enum dot11xdp_engine engine)
{
	const struct tv_section *s = tv_find(tv, "M.6.4 CCMP test vector", 0);
	const struct tv_field *tk, *hdr, *pt, *mpdu;
	__u8 in[256], out[320], want[256];
	struct dot11xdp_frame_result r;
	struct dot11xdp_rx_stats stats;
	struct env e;
	union kmk k;
	size_t in_len, want_len;
	int err;

	if (!s)
		test_fatal("no M.6.4 vector");
	tk = need(s, "TK");
	hdr = need(s, "802.11 Header");
	pt = need(s, "Plaintext Data");
	mpdu = need(s, "Encrypted MPDU (without FCS)");
	memcpy(in, rt_minimal, 8);
	memcpy(in + 8, mpdu->data, mpdu->len);
	in_len = 8 + mpdu->len;
	memcpy(want, rt_minimal, 8);
	memcpy(want + 8, hdr->data, hdr->len);
	want[8 + 1] &= ~0x40; /* Protected cleared */
	memcpy(want + 8 + hdr->len, pt->data, pt->len);
	want_len = 8 + hdr->len + pt->len;

	env_open(&e, engine, 0);
	/* The transmitter (A2) is the key's peer; M.6.4's PN is above 0. */
	expect(&e, build(&k, &specs[0], mpdu->data + 10, tk->data, 0), ERROR_SUCCESS,
	       "M.6.4's key for its transmitter");
	err = dot11xdp_adapter__run_frame(e.a, in, in_len, out, sizeof(out), &r);
	test_check(!err && r.xdp_action == XDP_PASS && r.outcome == DOT11XDP_RX_DECRYPTED,
		   "%s: M.6.4 decrypted by the receive program (err %d, action %u, outcome %u)",
		   e.engine_name, err, r.xdp_action, r.outcome);
	test_bytes_eq(out, r.out_len, want, want_len, "%s: M.6.4 plaintext frame", e.engine_name);
	err = dot11xdp_adapter__run_frame(e.a, in, in_len, out, sizeof(out), &r);
	test_check(!err && r.xdp_action == XDP_DROP && r.outcome == DOT11XDP_RX_REPLAY,
		   "%s: M.6.4 again is a replay", e.engine_name);
	in[in_len - 1] ^= 0x80;
	in[8 + 24] ^= 0x01; /* PN0 0x0c -> 0x0d: above the last PN, a forgery, not a replay */
	err = dot11xdp_adapter__run_frame(e.a, in, in_len, out, sizeof(out), &r);
	test_check(!err && r.xdp_action == XDP_DROP && r.outcome == DOT11XDP_RX_MIC_FAILURE,
		   "%s: M.6.4 with a flipped MIC bit and a new PN is a MIC failure", e.engine_name);
	test_check(!dot11xdp_adapter__stats(e.a, &stats) && stats.decrypted == 1 &&
			   stats.replay == 1 && stats.mic_failure == 1,
		   "%s: the program counted one of each", e.engine_name);
	env_close(&e);
}

/* The table build loads on kernels without the kfuncs only if it names none of them. */
static void test_table_build(void)
{
	char cmd[512];
	int rc;

	snprintf(cmd, sizeof(cmd),
		 "llvm-objdump-19 -t %s/bpf/decrypt_table.bpf.o | grep -Eq 'bpf_crypto_|dynptr_adjust'",
		 getenv("OUTPUT") ? getenv("OUTPUT") : "build");
	rc = system(cmd);
	test_check(WIFEXITED(rc) && WEXITSTATUS(rc) == 1,
		   "decrypt_table.bpf.o references no BPF crypto or dynptr kfunc (grep status %d)",
		   WIFEXITED(rc) ? WEXITSTATUS(rc) : -1);
	snprintf(cmd, sizeof(cmd),
		 "llvm-objdump-19 -t %s/bpf/decrypt.bpf.o | grep -q 'bpf_crypto_encrypt'",
		 getenv("OUTPUT") ? getenv("OUTPUT") : "build");
	rc = system(cmd);
	test_check(WIFEXITED(rc) && WEXITSTATUS(rc) == 0,
		   "decrypt.bpf.o does call bpf_crypto_encrypt (the grep above can find it)");
}

int main(void)
{
	struct dot11xdp_open_opts bad = { .sz = sizeof(bad), .engine = 3 };
	struct dot11xdp_adapter *a;
	struct tv_file tv;

	test_require_root();
	if (!test_ok(dot11xdp_kfunc_engine_available(), "this kernel has the kfunc engine"))
		test_fatal("the kfunc engine needs Linux 6.10+ with the BPF crypto kfuncs");
	for (size_t i = 0; i < sizeof(KEY); i++) {
		KEY[i] = (UCHAR)(0x40 + 7 * i);
		KEY2[i] = (UCHAR)(0xa1 + 13 * i);
	}
	if (tv_load(test_data_path("ieee80211-cipher-vectors.txt"), &tv))
		test_fatal("cannot read %s", test_data_path("ieee80211-cipher-vectors.txt"));

	a = dot11xdp_adapter__open_offline(&bad);
	test_check(!a && errno == EINVAL, "opts.engine 3: EINVAL");
	a = dot11xdp_adapter__open_offline(NULL);
	test_check(a && dot11xdp_adapter__engine(a) == DOT11XDP_ENGINE_TABLE,
		   "offline adapters default to the table engine");
	dot11xdp_adapter__close(a);

	test_engine_blobs(DOT11XDP_ENGINE_TABLE);
	test_engine_blobs(DOT11XDP_ENGINE_KFUNC);
	test_full_table_kfunc();
	test_vector(&tv, DOT11XDP_ENGINE_TABLE);
	test_vector(&tv, DOT11XDP_ENGINE_KFUNC);
	test_table_build();
	tv_free(&tv);
	return test_done();
}
