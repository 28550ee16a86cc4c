// SPDX-License-Identifier: GPL-2.0
/*
 * Dot11ExtSetKeyMappingKey on real kernel maps (offline adapters: the receive program is
 * loaded, nothing is attached or pinned). Every row of issue 2's return-code table, each
 * refusal checked against a byte-for-byte snapshot of dot11xdp_keys taken before the call;
 * then add, replace, delete, directions, disconnect, reset, a full table, closed handles.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include <dot11xdp/dot11xdp.h>
#include <dot11xdp/windot11.h>

#include "material.h"
#include "testlib.h"

/* DOT11XDP_OUTPUT_ETHER of enum dot11xdp_output (the receive program defines it). */
#define OUTPUT_ETHER 1

/* Every (key, value) of dot11xdp_keys, sorted by key bytes. */
struct entry {
	struct dot11xdp_key_id id;
	struct dot11xdp_key key;
};
struct snapshot {
	struct entry *e;
	size_t n;
};

static int cmp_entry(const void *a, const void *b)
{
	return memcmp(&((const struct entry *)a)->id, &((const struct entry *)b)->id,
		      sizeof(struct dot11xdp_key_id));
}

static void snapshot_take(int fd, struct snapshot *s)
{
	struct dot11xdp_key_id cur, next;
	bool first = true;

	memset(s, 0, sizeof(*s));
	while (!bpf_map_get_next_key(fd, first ? NULL : &cur, &next)) {
		s->e = realloc(s->e, (s->n + 1) * sizeof(*s->e));
		if (!s->e)
			test_fatal("out of memory");
		s->e[s->n].id = next;
		if (bpf_map_lookup_elem(fd, &next, &s->e[s->n].key))
			test_fatal("lookup in dot11xdp_keys: %s", strerror(errno));
		s->n++;
		cur = next;
		first = false;
	}
	if (errno != ENOENT)
		test_fatal("walking dot11xdp_keys: %s", strerror(errno));
	qsort(s->e, s->n, sizeof(*s->e), cmp_entry);
}

static bool snapshot_equal(const struct snapshot *a, const struct snapshot *b)
{
	return a->n == b->n && (!a->n || !memcmp(a->e, b->e, a->n * sizeof(*a->e)));
}

static void snapshot_free(struct snapshot *s)
{
	free(s->e);
	memset(s, 0, sizeof(*s));
}

static const struct entry *snapshot_find(const struct snapshot *s, const __u8 *peer, __u8 dir)
{
	for (size_t i = 0; i < s->n; i++)
		if (!memcmp(s->e[i].id.peer, peer, 6) && s->e[i].id.direction == dir)
			return &s->e[i];
	return NULL;
}

/* A DOT11_CIPHER_KEY_MAPPING_KEY_VALUE with room for any blob, aligned as malloc would. */
union kmk {
	DOT11_CIPHER_KEY_MAPPING_KEY_VALUE v;
	UCHAR raw[128];
	ULONGLONG align;
};

static const UCHAR TK_FIPS[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
				   0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
static const UCHAR TK_OTHER[16] = { 0xc9, 0x7c, 0x1f, 0x67, 0xce, 0x37, 0x11, 0x85,
				    0x51, 0x4a, 0x8a, 0x19, 0xf2, 0xbd, 0xd5, 0x2f };
static const UCHAR PEER_A[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const UCHAR PEER_B[6] = { 0x00, 0x0c, 0x41, 0x82, 0xb2, 0x55 };
static const UCHAR PEER_C[6] = { 0x50, 0x30, 0xf1, 0x84, 0x44, 0x08 };

/* A CCMP key as the OS builds it: DOT11_KEY_ALGO_CCMP, usKeyLength 28, PN little-endian. */
static PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE ccmp_key(union kmk *k, const UCHAR peer[6],
						    DOT11_DIRECTION dir, const UCHAR tk[16],
						    ULONGLONG pn, BOOLEAN is_static)
{
	PDOT11_KEY_ALGO_CCMP ccmp = (PDOT11_KEY_ALGO_CCMP)k->v.ucKey;

	memset(k, 0, sizeof(*k));
	memcpy(k->v.PeerMacAddr, peer, sizeof(DOT11_MAC_ADDRESS));
	k->v.AlgorithmId = DOT11_CIPHER_ALGO_CCMP;
	k->v.Direction = dir;
	k->v.bDelete = FALSE;
	k->v.bStatic = is_static;
	k->v.usKeyLength = FIELD_OFFSET(DOT11_KEY_ALGO_CCMP, ucCCMPKey) + 16;
	for (int i = 0; i < 6; i++)
		ccmp->ucIV48Counter[i] = (UCHAR)(pn >> (8 * i));
	ccmp->ulCCMPKeyLength = 16;
	memcpy(ccmp->ucCCMPKey, tk, 16);
	return &k->v;
}

static PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE delete_key(union kmk *k, const UCHAR peer[6],
						      DOT11_DIRECTION dir)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->v.PeerMacAddr, peer, sizeof(DOT11_MAC_ADDRESS));
	k->v.Direction = dir;
	k->v.bDelete = TRUE;
	return &k->v;
}

/*
 * Call Dot11ExtSetKeyMappingKey with handle h and check the code; for a refusal, also that
 * the key table of adapter a (the one the call could have written) did not change.
 */
__attribute__((format(printf, 5, 6))) static bool
expect(struct dot11xdp_adapter *a, HANDLE h, PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE k, DWORD want,
       const char *fmt, ...)
{
	struct snapshot before, after;
	char name[256];
	va_list ap;
	DWORD got;
	bool ok;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	snapshot_take(dot11xdp_adapter__keys_map_fd(a), &before);
	got = Dot11ExtSetKeyMappingKey(h, k);
	snapshot_take(dot11xdp_adapter__keys_map_fd(a), &after);
	ok = test_ok(got == want, "%s: returns %lu", name, (unsigned long)want);
	if (got != want)
		printf("#   got %lu\n", (unsigned long)got);
	if (want != ERROR_SUCCESS)
		ok &= test_ok(snapshot_equal(&before, &after), "%s: key table unchanged", name);
	snapshot_free(&before);
	snapshot_free(&after);
	return ok;
}

static struct dot11xdp_adapter *open_offline(__u32 key_table_size, bool read_only)
{
	struct dot11xdp_open_opts opts = {
		.sz = sizeof(opts),
		.key_table_size = key_table_size,
		.read_only = read_only,
	};
	struct dot11xdp_adapter *a = dot11xdp_adapter__open_offline(&opts);

	if (!a)
		test_fatal("open an offline adapter: %s", strerror(errno));
	return a;
}

static size_t key_count(struct dot11xdp_adapter *a)
{
	struct snapshot s;
	size_t n;

	snapshot_take(dot11xdp_adapter__keys_map_fd(a), &s);
	n = s.n;
	snapshot_free(&s);
	return n;
}

/* The stored key is exactly what the blob says: cipher, flags, material, PN everywhere. */
static void check_installed(struct dot11xdp_adapter *a, const UCHAR peer[6], __u8 dir,
			    const UCHAR tk[16], __u64 pn, bool is_static, const char *name)
{
	struct dot11xdp_key want;
	struct snapshot s;
	const struct entry *e;
	bool counters = true;

	snapshot_take(dot11xdp_adapter__keys_map_fd(a), &s);
	e = snapshot_find(&s, peer, dir);
	if (!test_ok(e != NULL, "%s: the key is in dot11xdp_keys", name)) {
		snapshot_free(&s);
		return;
	}
	memset(&want, 0, sizeof(want));
	if (dot11xdp_material_prepare(&want, DOT11XDP_CIPHER_CCMP, tk, 16, DOT11XDP_ENGINE_TABLE))
		test_fatal("dot11xdp_material_prepare refused a CCMP key");
	test_check(e->id.pad == 0, "%s: key id padding is zero", name);
	test_check(e->key.cipher == DOT11XDP_CIPHER_CCMP && e->key.tk_len == 16,
		   "%s: cipher CCMP, 16-byte TK", name);
	test_check(e->key.engine == DOT11XDP_ENGINE_TABLE, "%s: engine from the config (table)",
		   name);
	test_check(!!(e->key.flags & DOT11XDP_KEY_STATIC) == is_static,
		   "%s: static flag %d follows bStatic", name, is_static);
	test_check(e->key.rx_pn_init == pn, "%s: rx_pn_init is ucIV48Counter read little-endian",
		   name);
	for (int end = 0; end < DOT11XDP_REPLAY_ENDS; end++)
		for (int i = 0; i < DOT11XDP_REPLAY_COUNTERS; i++)
			counters &= e->key.rx[end].pn[i] == pn;
	test_check(counters, "%s: all %d replay counters start at the PN", name,
		   DOT11XDP_REPLAY_ENDS * DOT11XDP_REPLAY_COUNTERS);
	test_check(e->key.generation != 0, "%s: generation set", name);
	test_check(!memcmp(&e->key.material, &want.material, sizeof(want.material)),
		   "%s: material prepared from the 16 bytes at ucCCMPKey", name);
	snapshot_free(&s);
}

static void test_success_rows(struct dot11xdp_adapter *a, HANDLE h)
{
	union kmk k;

	expect(a, h, ccmp_key(&k, PEER_A, DOT11_DIR_BOTH, TK_FIPS, 0xa1b2c3d4e5f6ull, FALSE),
	       ERROR_SUCCESS, "add CCMP key");
	check_installed(a, PEER_A, DOT11_DIR_BOTH, TK_FIPS, 0xa1b2c3d4e5f6ull, false, "add");

	/* sizeof(DOT11_KEY_ALGO_CCMP) - 1 + 16 = 31 counts tail padding: accepted too. */
	ccmp_key(&k, PEER_B, DOT11_DIR_INBOUND, TK_OTHER, 1, TRUE);
	k.v.usKeyLength = sizeof(DOT11_KEY_ALGO_CCMP) - 1 + 16;
	expect(a, h, &k.v, ERROR_SUCCESS, "usKeyLength 31 (sizeof()-1+16)");
	check_installed(a, PEER_B, DOT11_DIR_INBOUND, TK_OTHER, 1, true, "usKeyLength 31");
	ccmp_key(&k, PEER_C, DOT11_DIR_OUTBOUND, TK_OTHER, 0, FALSE);
	k.v.usKeyLength = 100;
	expect(a, h, &k.v, ERROR_SUCCESS, "usKeyLength 100, bytes after the key ignored");
	check_installed(a, PEER_C, DOT11_DIR_OUTBOUND, TK_OTHER, 0, false, "usKeyLength 100");
	/* BOOLEAN is TRUE when non-zero. */
	ccmp_key(&k, PEER_C, DOT11_DIR_BOTH, TK_OTHER, 0xffffffffffffull, 2);
	expect(a, h, &k.v, ERROR_SUCCESS, "bStatic 2, PN 2^48-1");
	check_installed(a, PEER_C, DOT11_DIR_BOTH, TK_OTHER, 0xffffffffffffull, true, "bStatic 2");
	dot11xdp_adapter__reset(a);
}

static void test_handle_rows(struct dot11xdp_adapter *a)
{
	struct dot11xdp_adapter *b, *c;
	HANDLE closed;
	union kmk k;

	ccmp_key(&k, PEER_A, DOT11_DIR_BOTH, TK_FIPS, 0, FALSE);
	expect(a, NULL, &k.v, ERROR_INVALID_HANDLE, "NULL handle");
	expect(a, (HANDLE)(uintptr_t)0x1234, &k.v, ERROR_INVALID_HANDLE, "unknown handle 0x1234");
	expect(a, (HANDLE)(uintptr_t)-1, &k.v, ERROR_INVALID_HANDLE, "unknown handle -1");
	/* The adapter's address is not its handle, and is never dereferenced as one. */
	expect(a, (HANDLE)a, &k.v, ERROR_INVALID_HANDLE, "adapter pointer as handle");
	expect(a, (HANDLE)&k, &k.v, ERROR_INVALID_HANDLE, "stack address as handle");

	b = open_offline(0, false);
	closed = dot11xdp_adapter__handle(b);
	expect(b, closed, ccmp_key(&k, PEER_A, DOT11_DIR_BOTH, TK_FIPS, 0, FALSE), ERROR_SUCCESS,
	       "second adapter's handle works");
	dot11xdp_adapter__close(b);
	expect(a, closed, &k.v, ERROR_INVALID_HANDLE, "closed handle");
	c = open_offline(0, false);
	test_check(dot11xdp_adapter__handle(c) != closed, "a new adapter never gets a closed handle");
	expect(c, closed, &k.v, ERROR_INVALID_HANDLE, "closed handle after a new open");
	expect(a, closed, delete_key(&k, PEER_A, DOT11_DIR_BOTH), ERROR_INVALID_HANDLE,
	       "closed handle, delete");
	dot11xdp_adapter__close(c);
	test_check(dot11xdp_adapter__handle(a) != NULL, "a live adapter's handle is not NULL");
}

static void test_parameter_rows(struct dot11xdp_adapter *a, HANDLE h)
{
	static const ULONG bad_dirs[] = { 0, 4, 0x7fffffff, 0x80000000u, 0xffffffffu };
	static const UCHAR bad_peers[][6] = {
		{ 0, 0, 0, 0, 0, 0 },			/* zero */
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, /* broadcast */
		{ 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }, /* IPv4 multicast */
		{ 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 }, /* IPv6 multicast */
		{ 0x03, 0x00, 0x00, 0x00, 0x00, 0x00 }, /* group bit, locally administered */
	};
	union kmk k;

	/* A key in the table, so "unchanged" means something. */
	expect(a, h, ccmp_key(&k, PEER_A, DOT11_DIR_BOTH, TK_FIPS, 5, FALSE), ERROR_SUCCESS,
	       "setup key for parameter rows");

	expect(a, h, NULL, ERROR_INVALID_PARAMETER, "pKey NULL");
	for (size_t i = 0; i < sizeof(bad_dirs) / sizeof(bad_dirs[0]); i++) {
		ccmp_key(&k, PEER_A, DOT11_DIR_BOTH, TK_OTHER, 0, FALSE);
		k.v.Direction = (DOT11_DIRECTION)bad_dirs[i];
		expect(a, h, &k.v, ERROR_INVALID_PARAMETER, "add with Direction 0x%lx",
		       (unsigned long)bad_dirs[i]);
		delete_key(&k, PEER_A, DOT11_DIR_BOTH);
		k.v.Direction = (DOT11_DIRECTION)bad_dirs[i];
		expect(a, h, &k.v, ERROR_INVALID_PARAMETER, "delete with Direction 0x%lx",
		       (unsigned long)bad_dirs[i]);
	}
	for (size_t i = 0; i < sizeof(bad_peers) / sizeof(bad_peers[0]); i++) {
		expect(a, h, ccmp_key(&k, bad_peers[i], DOT11_DIR_BOTH, TK_OTHER, 0, FALSE),
		       ERROR_INVALID_PARAMETER, "add for peer %02x:%02x:%02x:%02x:%02x:%02x",
		       bad_peers[i][0], bad_peers[i][1], bad_peers[i][2], bad_peers[i][3],
		       bad_peers[i][4], bad_peers[i][5]);
		expect(a, h, delete_key(&k, bad_peers[i], DOT11_DIR_BOTH), ERROR_INVALID_PARAMETER,
		       "delete for peer %02x:%02x:%02x:%02x:%02x:%02x", bad_peers[i][0],
		       bad_peers[i][1], bad_peers[i][2], bad_peers[i][3], bad_peers[i][4],
		       bad_peers[i][5]);
	}
	/* Parameters are checked before the algorithm and the blob. */
	ccmp_key(&k, PEER_A, 9, TK_OTHER, 0, FALSE);
	k.v.AlgorithmId = DOT11_CIPHER_ALGO_GCMP;
	k.v.usKeyLength = 0;
	expect(a, h, &k.v, ERROR_INVALID_PARAMETER, "bad Direction wins over bad algorithm and blob");
	dot11xdp_adapter__reset(a);
}

static void test_not_supported_rows(struct dot11xdp_adapter *a, HANDLE h)
{
	static const struct {
		ULONG algo;
		const char *name;
	} algos[] = {
		/* Every standard pairwise cipher is parsed (test_api_ciphers); these are not. */
		{ DOT11_CIPHER_ALGO_NONE, "NONE" },
		{ 0x03, "unassigned 0x03" },
		{ DOT11_CIPHER_ALGO_BIP, "BIP" },
		{ 0x07, "unassigned 0x07" },
		{ DOT11_CIPHER_ALGO_BIP_GMAC_128, "BIP_GMAC_128" },
		{ DOT11_CIPHER_ALGO_BIP_GMAC_256, "BIP_GMAC_256" },
		{ DOT11_CIPHER_ALGO_BIP_CMAC_256, "BIP_CMAC_256" },
		{ 0x0e, "unknown 0x0e" },
		{ DOT11_CIPHER_ALGO_WPA_USE_GROUP, "WPA_USE_GROUP/RSN_USE_GROUP" },
		{ 0x102, "unknown 0x102" },
		{ 0x104, "CCMP | 0x100" },
		{ 0x7fffffff, "unknown 0x7fffffff" },
		{ DOT11_CIPHER_ALGO_IHV_START, "IHV_START" },
		{ 0x80000004u, "IHV_START + CCMP" },
		{ DOT11_CIPHER_ALGO_IHV_END, "IHV_END" },
	};
	union kmk k;

	expect(a, h, ccmp_key(&k, PEER_B, DOT11_DIR_BOTH, TK_FIPS, 5, TRUE), ERROR_SUCCESS,
	       "setup key for algorithm rows");
	for (size_t i = 0; i < sizeof(algos) / sizeof(algos[0]); i++) {
		/* A well-formed 16-byte blob: only the algorithm is wrong. */
		ccmp_key(&k, PEER_A, DOT11_DIR_BOTH, TK_OTHER, 0, FALSE);
		k.v.AlgorithmId = (DOT11_CIPHER_ALGORITHM)algos[i].algo;
		expect(a, h, &k.v, ERROR_NOT_SUPPORTED, "AlgorithmId %s", algos[i].name);
	}
	/* The algorithm is checked before the blob. */
	ccmp_key(&k, PEER_A, DOT11_DIR_BOTH, TK_OTHER, 0, FALSE);
	k.v.AlgorithmId = DOT11_CIPHER_ALGO_BIP;
	k.v.usKeyLength = 3;
	expect(a, h, &k.v, ERROR_NOT_SUPPORTED, "unsupported algorithm wins over a short blob");
	dot11xdp_adapter__reset(a);
}

static void test_invalid_data_rows(struct dot11xdp_adapter *a, HANDLE h)
{
	static const USHORT short_lengths[] = { 0, 1, 8, 11, 12, 13, 27 };
	static const ULONG bad_inner[] = { 0, 5, 13, 15, 17, 24, 32, 0x7fffffff, 0xffffffffu };
	union kmk k;

	expect(a, h, ccmp_key(&k, PEER_C, DOT11_DIR_INBOUND, TK_FIPS, 9, FALSE), ERROR_SUCCESS,
	       "setup key for blob rows");
	for (size_t i = 0; i < sizeof(short_lengths) / sizeof(short_lengths[0]); i++) {
		ccmp_key(&k, PEER_A, DOT11_DIR_BOTH, TK_OTHER, 0, FALSE);
		k.v.usKeyLength = short_lengths[i];
		expect(a, h, &k.v, ERROR_INVALID_DATA, "usKeyLength %u", short_lengths[i]);
	}
	for (size_t i = 0; i < sizeof(bad_inner) / sizeof(bad_inner[0]); i++) {
		ccmp_key(&k, PEER_A, DOT11_DIR_BOTH, TK_OTHER, 0, FALSE);
		((PDOT11_KEY_ALGO_CCMP)k.v.ucKey)->ulCCMPKeyLength = bad_inner[i];
		k.v.usKeyLength = 100; /* long enough for any inner length the check could allow */
		expect(a, h, &k.v, ERROR_INVALID_DATA, "ulCCMPKeyLength %lu",
		       (unsigned long)bad_inner[i]);
	}
	dot11xdp_adapter__reset(a);
}

static void test_table_full(void)
{
	struct dot11xdp_adapter *small = open_offline(4, false);
	HANDLE h = dot11xdp_adapter__handle(small);
	UCHAR peer[6] = { 0x02, 0, 0, 0, 0, 0 };
	union kmk k;

	test_check(dot11xdp_adapter__key_table_size(small) == 4, "key_table_size 4 is applied");
	for (int i = 1; i <= 4; i++) {
		peer[5] = (UCHAR)i;
		expect(small, h, ccmp_key(&k, peer, DOT11_DIR_BOTH, TK_FIPS, i, FALSE), ERROR_SUCCESS,
		       "fill key %d of 4", i);
	}
	peer[5] = 5;
	expect(small, h, ccmp_key(&k, peer, DOT11_DIR_BOTH, TK_FIPS, 0, FALSE),
	       ERROR_NO_SYSTEM_RESOURCES, "fifth key in a table of 4");
	peer[5] = 2;
	expect(small, h, ccmp_key(&k, peer, DOT11_DIR_INBOUND, TK_FIPS, 0, FALSE),
	       ERROR_NO_SYSTEM_RESOURCES, "another direction of a present peer in a full table");
	expect(small, h, ccmp_key(&k, peer, DOT11_DIR_BOTH, TK_OTHER, 77, TRUE), ERROR_SUCCESS,
	       "replacing a key in a full table");
	check_installed(small, peer, DOT11_DIR_BOTH, TK_OTHER, 77, true, "replace in full table");
	expect(small, h, delete_key(&k, peer, DOT11_DIR_BOTH), ERROR_SUCCESS,
	       "delete frees a slot");
	peer[5] = 5;
	expect(small, h, ccmp_key(&k, peer, DOT11_DIR_BOTH, TK_FIPS, 0, FALSE), ERROR_SUCCESS,
	       "the freed slot takes a new key");
	dot11xdp_adapter__close(small);
}

static void test_access_denied(void)
{
	struct dot11xdp_adapter *ro = open_offline(0, true);
	HANDLE h = dot11xdp_adapter__handle(ro);
	union kmk k;

	/* The kernel refuses writes through a read-only map fd (EPERM). */
	expect(ro, h, ccmp_key(&k, PEER_A, DOT11_DIR_BOTH, TK_FIPS, 0, FALSE), ERROR_ACCESS_DENIED,
	       "add through a read-only adapter");
	expect(ro, h, delete_key(&k, PEER_A, DOT11_DIR_BOTH), ERROR_ACCESS_DENIED,
	       "delete through a read-only adapter");
	test_check(dot11xdp_adapter__reset(ro) == -EPERM || key_count(ro) == 0,
		   "reset through a read-only adapter is refused or has nothing to do");
	test_check(dot11xdp_adapter__set_output(ro, DOT11XDP_OUTPUT_PASS) == -EPERM,
		   "set_output through a read-only adapter: -EPERM");
	dot11xdp_adapter__close(ro);
}

/* The map fd stops being a map: the kernel's error is a general failure, not the caller's. */
static void test_gen_failure(struct dot11xdp_adapter *a, HANDLE h)
{
	int fd = dot11xdp_adapter__keys_map_fd(a), saved = dup(fd), devnull;
	struct snapshot before, after;
	union kmk k;
	DWORD rc;

	expect(a, h, ccmp_key(&k, PEER_A, DOT11_DIR_BOTH, TK_FIPS, 3, FALSE), ERROR_SUCCESS,
	       "setup key for the failure row");
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (saved < 0 || devnull < 0)
		test_fatal("dup: %s", strerror(errno));
	snapshot_take(saved, &before);
	dup2(devnull, fd);
	rc = Dot11ExtSetKeyMappingKey(h, ccmp_key(&k, PEER_B, DOT11_DIR_BOTH, TK_FIPS, 0, FALSE));
	test_check(rc == ERROR_GEN_FAILURE, "map update failing in the kernel: ERROR_GEN_FAILURE (%lu)",
		   (unsigned long)rc);
	rc = Dot11ExtSetKeyMappingKey(h, delete_key(&k, PEER_A, DOT11_DIR_BOTH));
	test_check(rc == ERROR_GEN_FAILURE, "map delete failing in the kernel: ERROR_GEN_FAILURE (%lu)",
		   (unsigned long)rc);
	dup2(saved, fd);
	snapshot_take(saved, &after);
	test_check(snapshot_equal(&before, &after), "general failure: key table unchanged");
	snapshot_free(&before);
	snapshot_free(&after);
	close(saved);
	close(devnull);
	dot11xdp_adapter__reset(a);
}

/* Replace: one entry, a new generation, every counter back at the new PN. */
static void test_replace(struct dot11xdp_adapter *a, HANDLE h)
{
	int fd = dot11xdp_adapter__keys_map_fd(a);
	struct dot11xdp_key_id id = { .direction = DOT11_DIR_BOTH };
	struct dot11xdp_key moved;
	struct snapshot s;
	__u64 old_generation;
	union kmk k;

	memcpy(id.peer, PEER_B, 6);
	expect(a, h, ccmp_key(&k, PEER_B, DOT11_DIR_BOTH, TK_FIPS, 100, FALSE), ERROR_SUCCESS,
	       "install the key to replace");
	/* Let the counters move as the data path would move them. */
	if (bpf_map_lookup_elem(fd, &id, &moved))
		test_fatal("lookup: %s", strerror(errno));
	old_generation = moved.generation;
	moved.rx[DOT11XDP_FROM_PEER].pn[0] = 5000;
	moved.rx[DOT11XDP_TO_PEER].pn[16] = 6000;
	if (bpf_map_update_elem(fd, &id, &moved, BPF_EXIST))
		test_fatal("update: %s", strerror(errno));

	expect(a, h, ccmp_key(&k, PEER_B, DOT11_DIR_BOTH, TK_OTHER, 7, TRUE), ERROR_SUCCESS,
	       "replace the key");
	snapshot_take(fd, &s);
	test_check(s.n == 1, "replace leaves one entry (%zu)", s.n);
	test_check(s.n == 1 && s.e[0].key.generation != old_generation,
		   "replace gives a new generation");
	snapshot_free(&s);
	check_installed(a, PEER_B, DOT11_DIR_BOTH, TK_OTHER, 7, true, "replace");
	dot11xdp_adapter__reset(a);
}

static void test_delete(struct dot11xdp_adapter *a, HANDLE h)
{
	struct snapshot before, after;
	union kmk k;

	expect(a, h, ccmp_key(&k, PEER_A, DOT11_DIR_BOTH, TK_FIPS, 1, FALSE), ERROR_SUCCESS,
	       "delete setup: key A");
	expect(a, h, ccmp_key(&k, PEER_B, DOT11_DIR_BOTH, TK_OTHER, 2, TRUE), ERROR_SUCCESS,
	       "delete setup: key B");
	snapshot_take(dot11xdp_adapter__keys_map_fd(a), &before);
	/* bDelete ignores AlgorithmId, bStatic, usKeyLength and ucKey. */
	delete_key(&k, PEER_A, DOT11_DIR_BOTH);
	k.v.AlgorithmId = (DOT11_CIPHER_ALGORITHM)0x12345;
	k.v.bStatic = TRUE;
	k.v.usKeyLength = 1;
	expect(a, h, &k.v, ERROR_SUCCESS, "delete with a bogus algorithm and blob");
	snapshot_take(dot11xdp_adapter__keys_map_fd(a), &after);
	test_check(after.n == 1 && !snapshot_find(&after, PEER_A, DOT11_DIR_BOTH),
		   "delete removed the key");
	test_check(snapshot_find(&after, PEER_B, DOT11_DIR_BOTH) &&
			   !memcmp(snapshot_find(&after, PEER_B, DOT11_DIR_BOTH),
				   snapshot_find(&before, PEER_B, DOT11_DIR_BOTH), sizeof(struct entry)),
		   "delete left the other key byte for byte");
	snapshot_free(&before);
	snapshot_free(&after);

	snapshot_take(dot11xdp_adapter__keys_map_fd(a), &before);
	expect(a, h, delete_key(&k, PEER_A, DOT11_DIR_BOTH), ERROR_SUCCESS, "delete an absent key");
	expect(a, h, delete_key(&k, PEER_B, DOT11_DIR_INBOUND), ERROR_SUCCESS,
	       "delete another direction of a present peer (absent)");
	snapshot_take(dot11xdp_adapter__keys_map_fd(a), &after);
	test_check(snapshot_equal(&before, &after), "deleting absent keys changed nothing");
	snapshot_free(&before);
	snapshot_free(&after);

	/* A TRUE other than 1 deletes too. */
	delete_key(&k, PEER_B, DOT11_DIR_BOTH);
	k.v.bDelete = 0x80;
	expect(a, h, &k.v, ERROR_SUCCESS, "bDelete 0x80 deletes");
	test_check(key_count(a) == 0, "bDelete 0x80 removed the key");
}

static void test_directions(struct dot11xdp_adapter *a, HANDLE h)
{
	struct snapshot s;
	union kmk k;

	expect(a, h, ccmp_key(&k, PEER_C, DOT11_DIR_INBOUND, TK_FIPS, 1, FALSE), ERROR_SUCCESS,
	       "add INBOUND");
	expect(a, h, ccmp_key(&k, PEER_C, DOT11_DIR_OUTBOUND, TK_OTHER, 2, FALSE), ERROR_SUCCESS,
	       "add OUTBOUND");
	expect(a, h, ccmp_key(&k, PEER_C, DOT11_DIR_BOTH, TK_FIPS, 3, TRUE), ERROR_SUCCESS,
	       "add BOTH");
	test_check(key_count(a) == 3, "three directions are three keys");
	check_installed(a, PEER_C, DOT11_DIR_INBOUND, TK_FIPS, 1, false, "INBOUND");
	check_installed(a, PEER_C, DOT11_DIR_OUTBOUND, TK_OTHER, 2, false, "OUTBOUND");
	check_installed(a, PEER_C, DOT11_DIR_BOTH, TK_FIPS, 3, true, "BOTH");
	expect(a, h, delete_key(&k, PEER_C, DOT11_DIR_BOTH), ERROR_SUCCESS, "delete BOTH");
	snapshot_take(dot11xdp_adapter__keys_map_fd(a), &s);
	test_check(s.n == 2 && snapshot_find(&s, PEER_C, DOT11_DIR_INBOUND) &&
			   snapshot_find(&s, PEER_C, DOT11_DIR_OUTBOUND),
		   "deleting BOTH keeps INBOUND and OUTBOUND");
	snapshot_free(&s);
	dot11xdp_adapter__reset(a);
}

static void test_disconnect_reset(struct dot11xdp_adapter *a, HANDLE h)
{
	struct snapshot s;
	union kmk k;

	expect(a, h, ccmp_key(&k, PEER_A, DOT11_DIR_BOTH, TK_FIPS, 1, TRUE), ERROR_SUCCESS,
	       "A static BOTH");
	expect(a, h, ccmp_key(&k, PEER_A, DOT11_DIR_INBOUND, TK_FIPS, 1, FALSE), ERROR_SUCCESS,
	       "A non-static INBOUND");
	expect(a, h, ccmp_key(&k, PEER_B, DOT11_DIR_INBOUND, TK_OTHER, 1, TRUE), ERROR_SUCCESS,
	       "B static INBOUND");
	expect(a, h, ccmp_key(&k, PEER_B, DOT11_DIR_BOTH, TK_OTHER, 1, FALSE), ERROR_SUCCESS,
	       "B non-static BOTH");
	expect(a, h, ccmp_key(&k, PEER_C, DOT11_DIR_BOTH, TK_OTHER, 1, FALSE), ERROR_SUCCESS,
	       "C non-static BOTH");

	test_check(dot11xdp_adapter__disconnect(a, PEER_A) == 0, "disconnect peer A");
	snapshot_take(dot11xdp_adapter__keys_map_fd(a), &s);
	test_check(s.n == 4 && snapshot_find(&s, PEER_A, DOT11_DIR_BOTH) &&
			   !snapshot_find(&s, PEER_A, DOT11_DIR_INBOUND),
		   "disconnect A removed A's non-static key only");
	test_check(snapshot_find(&s, PEER_B, DOT11_DIR_BOTH) && snapshot_find(&s, PEER_C, DOT11_DIR_BOTH),
		   "disconnect A left other peers' non-static keys");
	snapshot_free(&s);

	test_check(dot11xdp_adapter__disconnect(a, PEER_A) == 0 && key_count(a) == 4,
		   "disconnect A again: nothing to remove");
	test_check(dot11xdp_adapter__disconnect(a, NULL) == 0, "disconnect all peers");
	snapshot_take(dot11xdp_adapter__keys_map_fd(a), &s);
	test_check(s.n == 2 && snapshot_find(&s, PEER_A, DOT11_DIR_BOTH) &&
			   snapshot_find(&s, PEER_B, DOT11_DIR_INBOUND),
		   "disconnect all: only the static keys survive");
	snapshot_free(&s);

	test_check(dot11xdp_adapter__reset(a) == 0, "reset");
	test_check(key_count(a) == 0, "reset removed the static keys too");
}

static int count_keys(const struct dot11xdp_key_info *key, void *ctx)
{
	(*(int *)ctx)++;
	return key->cipher == DOT11XDP_CIPHER_CCMP ? 0 : -1;
}

static int stop_at_first(const struct dot11xdp_key_info *key, void *ctx)
{
	(*(int *)ctx)++;
	return 42;
}

/* The native calls under the Windows layer, and key listing. */
static void test_native(struct dot11xdp_adapter *a, HANDLE h)
{
	struct dot11xdp_key_id id = { .direction = DOT11XDP_DIR_BOTH }, bad = id;
	int n = 0;

	memcpy(id.peer, PEER_A, 6);
	test_check(dot11xdp_adapter__set_key(a, &id, DOT11XDP_CIPHER_CCMP, TK_FIPS, 16, 0, 0) == 0,
		   "native set_key");
	test_check(dot11xdp_adapter__set_key(a, &id, DOT11XDP_CIPHER_CCMP, TK_FIPS, 15, 0, 0) ==
			   -EINVAL,
		   "native set_key with a 15-byte TK: -EINVAL");
	test_check(dot11xdp_adapter__set_key(a, &id, DOT11_CIPHER_ALGO_BIP, TK_FIPS, 16, 0, 0) ==
			   -EOPNOTSUPP,
		   "native set_key with BIP (no pairwise cipher): -EOPNOTSUPP");
	test_check(dot11xdp_adapter__set_key(a, &id, DOT11XDP_CIPHER_CCMP, TK_FIPS, 16, 1ull << 48,
					     0) == -EINVAL,
		   "native set_key with a PN above 48 bits: -EINVAL");
	bad.direction = 0;
	memcpy(bad.peer, PEER_A, 6);
	test_check(dot11xdp_adapter__set_key(a, &bad, DOT11XDP_CIPHER_CCMP, TK_FIPS, 16, 0, 0) ==
			   -EINVAL,
		   "native set_key with direction 0: -EINVAL");
	test_check(dot11xdp_adapter__for_each_key(a, count_keys, &n) == 0 && n == 1,
		   "for_each_key lists the key");
	id.direction = DOT11XDP_DIR_INBOUND;
	dot11xdp_adapter__set_key(a, &id, DOT11XDP_CIPHER_CCMP, TK_FIPS, 16, 0, 0);
	n = 0;
	test_check(dot11xdp_adapter__for_each_key(a, stop_at_first, &n) == 42 && n == 1,
		   "for_each_key stops at the callback's non-zero value");
	test_check(dot11xdp_adapter__delete_key(a, &id) == 0, "native delete_key");
	test_check(dot11xdp_adapter__delete_key(a, &id) == -ENOENT, "native delete_key absent: -ENOENT");
	dot11xdp_adapter__reset(a);
	(void)h;
}

/* Generations never repeat, also between two processes writing the same table. */
static void test_generations(struct dot11xdp_adapter *a, HANDLE h)
{
	int fd = dot11xdp_adapter__keys_map_fd(a), pipefd[2], status;
	struct dot11xdp_key_id id = { .direction = DOT11_DIR_BOTH };
	enum { ROUNDS = 100 };
	__u64 seen[2 * ROUNDS];
	size_t n = 0;
	bool distinct = true;
	pid_t child;

	if (pipe(pipefd))
		test_fatal("pipe: %s", strerror(errno));
	child = fork();
	if (child < 0)
		test_fatal("fork: %s", strerror(errno));
	if (!child) {
		/* The child writes through the same adapter (inherited fds) in parallel. */
		struct dot11xdp_key_id cid = { .direction = DOT11_DIR_BOTH };
		struct dot11xdp_key key;
		union kmk k;

		memcpy(cid.peer, PEER_C, 6);
		close(pipefd[0]);
		for (int i = 0; i < ROUNDS; i++) {
			if (Dot11ExtSetKeyMappingKey(h, ccmp_key(&k, PEER_C, DOT11_DIR_BOTH, TK_FIPS, i,
								  FALSE)) != ERROR_SUCCESS ||
			    bpf_map_lookup_elem(fd, &cid, &key))
				_exit(1);
			if (write(pipefd[1], &key.generation, sizeof(key.generation)) != 8)
				_exit(1);
		}
		_exit(0);
	}
	close(pipefd[1]);
	memcpy(id.peer, PEER_B, 6);
	for (int i = 0; i < ROUNDS; i++) {
		struct dot11xdp_key key;
		union kmk k;

		if (Dot11ExtSetKeyMappingKey(h, ccmp_key(&k, PEER_B, DOT11_DIR_BOTH, TK_FIPS, i,
							  FALSE)) != ERROR_SUCCESS ||
		    bpf_map_lookup_elem(fd, &id, &key))
			break;
		seen[n++] = key.generation;
	}
	while (n < 2 * ROUNDS && read(pipefd[0], &seen[n], 8) == 8)
		n++;
	close(pipefd[0]);
	waitpid(child, &status, 0);
	test_check(WIFEXITED(status) && !WEXITSTATUS(status) && n == 2 * ROUNDS,
		   "two processes installed %d keys each", ROUNDS);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			distinct &= seen[i] != seen[j];
	test_check(distinct, "all %zu generations differ", n);
	dot11xdp_adapter__reset(a);
}

static void test_output(struct dot11xdp_adapter *a)
{
	struct dot11xdp_config config;

	test_check(dot11xdp_adapter__set_output(a, OUTPUT_ETHER) == 0 &&
			   dot11xdp_adapter__config(a, &config) == 0 &&
			   config.output == OUTPUT_ETHER &&
			   config.abi_version == DOT11XDP_ABI_VERSION,
		   "offline set_output ether: config.output 1, ABI kept");
	test_check(dot11xdp_adapter__set_output(a, 2) == -EINVAL, "set_output 2: -EINVAL");
	test_check(dot11xdp_adapter__set_output(a, DOT11XDP_OUTPUT_PASS) == 0 &&
			   dot11xdp_adapter__config(a, &config) == 0 &&
			   config.output == DOT11XDP_OUTPUT_PASS,
		   "set_output pass");
}

int main(void)
{
	struct dot11xdp_adapter *a;
	HANDLE h;

	test_require_root();
	a = open_offline(0, false);
	h = dot11xdp_adapter__handle(a);
	test_check(dot11xdp_adapter__key_table_size(a) == DOT11XDP_KEYS_DEFAULT,
		   "default key table holds %u keys", DOT11XDP_KEYS_DEFAULT);
	test_check(key_count(a) == 0, "a new adapter has no keys");

	test_success_rows(a, h);
	test_handle_rows(a);
	test_parameter_rows(a, h);
	test_not_supported_rows(a, h);
	test_invalid_data_rows(a, h);
	test_table_full();
	test_access_denied();
	test_gen_failure(a, h);
	test_replace(a, h);
	test_delete(a, h);
	test_directions(a, h);
	test_disconnect_reset(a, h);
	test_native(a, h);
	test_generations(a, h);
	test_output(a);

	dot11xdp_adapter__close(a);
	test_check(Dot11ExtSetKeyMappingKey(h, NULL) == ERROR_INVALID_HANDLE,
		   "the last adapter's handle is invalid after close");
	return test_done();
}
