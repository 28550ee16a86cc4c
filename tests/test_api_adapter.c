// SPDX-License-Identifier: GPL-2.0
/*
 * Live adapters on a real interface: a veth pair in a network namespace of our own. Attach
 * through libxdp, pin layout and permissions, reuse by a second open and a second process,
 * read-only and unprivileged access, close keeping the attachment, pins outliving the
 * program, a foreign XDP program in the way, custom pin roots and sizes, concurrent opens,
 * detach, and mounting bpffs where it is missing (in a private mount namespace).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/magic.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <dot11xdp/dot11xdp.h>
#include <dot11xdp/windot11.h>

#include "testlib.h"

/* DOT11XDP_OUTPUT_ETHER of enum dot11xdp_output (the receive program defines it). */
#define OUTPUT_ETHER 1

static char netns[32], if_a[IF_NAMESIZE], if_b[IF_NAMESIZE], custom_root[64];
static pid_t main_pid;

static const UCHAR TK[16] = { 0xc9, 0x7c, 0x1f, 0x67, 0xce, 0x37, 0x11, 0x85,
			      0x51, 0x4a, 0x8a, 0x19, 0xf2, 0xbd, 0xd5, 0x2f };
static const UCHAR PEER_A[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const UCHAR PEER_B[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };

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
	run("rm -rf %s/%s %s/%s %s 2>/dev/null", DOT11XDP_PIN_ROOT, if_a, DOT11XDP_PIN_ROOT, if_b,
	    custom_root);
}

static void setup(void)
{
	int fd;

	main_pid = getpid();
	snprintf(netns, sizeof(netns), "h2api%d", main_pid);
	snprintf(if_a, sizeof(if_a), "h2a%d", main_pid);
	snprintf(if_b, sizeof(if_b), "h2b%d", main_pid);
	snprintf(custom_root, sizeof(custom_root), "/sys/fs/bpf/h2test%d", main_pid);
	atexit(cleanup);
	if (run("ip netns add %s", netns) ||
	    run("ip -n %s link add %s type veth peer name %s", netns, if_a, if_b) ||
	    run("ip -n %s link set %s up && ip -n %s link set %s up", netns, if_a, netns, if_b))
		test_fatal("cannot create netns %s with veth %s/%s", netns, if_a, if_b);
	char path[64];
	snprintf(path, sizeof(path), "/run/netns/%s", netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		test_fatal("cannot enter netns %s: %s", netns, strerror(errno));
	close(fd);
}

static bool is_bpffs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == BPF_FS_MAGIC;
}

static __u32 attached_prog(const char *ifname, __u32 *mode)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int ifindex = if_nametoindex(ifname);

	if (!ifindex || bpf_xdp_query(ifindex, 0, &q))
		return 0;
	if (mode)
		*mode = q.attach_mode;
	return q.prog_id;
}

static __u32 map_id(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static __u32 pinned_max_entries(const char *dir, const char *name)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	bpf_obj_get_info_by_fd(fd, &info, &len);
	close(fd);
	return info.max_entries;
}

static bool prog_uses_map(__u32 prog_id, __u32 wanted)
{
	struct bpf_prog_info info;
	__u32 ids[16], len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(prog_id);
	bool found = false;

	if (fd < 0)
		return false;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = 16;
	info.map_ids = (__u64)(unsigned long)ids;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len))
		for (__u32 i = 0; i < info.nr_map_ids && i < 16; i++)
			found |= ids[i] == wanted;
	close(fd);
	return found;
}

static bool path_exists(const char *fmt, ...)
{
	char path[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return !access(path, F_OK);
}

static int count_one(const struct dot11xdp_key_info *key, void *ctx)
{
	(*(int *)ctx)++;
	return 0;
}

static int key_count(struct dot11xdp_adapter *a)
{
	int n = 0;

	return dot11xdp_adapter__for_each_key(a, count_one, &n) ? -1 : n;
}

static PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE ccmp_key(void *buf, const UCHAR peer[6])
{
	PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE k = buf;
	PDOT11_KEY_ALGO_CCMP ccmp = (PDOT11_KEY_ALGO_CCMP)k->ucKey;

	memset(buf, 0, 64);
	memcpy(k->PeerMacAddr, peer, 6);
	k->AlgorithmId = DOT11_CIPHER_ALGO_CCMP;
	k->Direction = DOT11_DIR_BOTH;
	k->usKeyLength = 28;
	ccmp->ulCCMPKeyLength = 16;
	memcpy(ccmp->ucCCMPKey, TK, 16);
	return k;
}

static struct dot11xdp_adapter *open_if(const char *ifname, bool no_attach, bool read_only)
{
	struct dot11xdp_open_opts opts = {
		.sz = sizeof(opts),
		.no_attach = no_attach,
		.read_only = read_only,
	};

	return dot11xdp_adapter__open(ifname, &opts);
}

static int wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* bpffs missing: hide it in a private mount namespace; open must mount it again. */
static void test_mounts_bpffs(void)
{
	pid_t child;

	fflush(stdout);
	child = fork();
	if (child < 0)
		test_fatal("fork: %s", strerror(errno));
	if (!child) {
		struct dot11xdp_adapter *a;
		struct stat st;

		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			test_fatal("private mount namespace: %s", strerror(errno));
		while (is_bpffs("/sys/fs/bpf"))
			if (umount2("/sys/fs/bpf", MNT_DETACH))
				test_fatal("umount /sys/fs/bpf: %s", strerror(errno));
		test_check(!is_bpffs("/sys/fs/bpf"), "bpffs hidden in a private mount namespace");
		a = open_if(if_b, false, false);
		test_check(a != NULL, "open without bpffs: %s", a ? "ok" : strerror(errno));
		test_check(is_bpffs("/sys/fs/bpf"), "open mounted bpffs at /sys/fs/bpf");
		test_check(!stat("/sys/fs/bpf", &st) && (st.st_mode & 0777) == 0700,
			   "the bpffs it mounted is mode 0700");
		test_check(path_exists("/sys/fs/bpf/dot11xdp/%s/dot11xdp_keys", if_b),
			   "pins made in the new bpffs");
		test_check(a && dot11xdp_adapter__detach(a) == 0, "detach in the private namespace");
		fflush(stdout);
		_exit(test_done());
	}
	test_check(wait_child(child) == 0, "the bpffs-mount checks passed");
	test_check(attached_prog(if_b, NULL) == 0, "%s has no program left", if_b);
}

static void check_mode(const char *path, mode_t want, const char *what)
{
	struct stat st;

	if (!test_check(!stat(path, &st), "%s exists (%s)", what, path))
		return;
	test_check((st.st_mode & 07777) == want && st.st_uid == 0,
		   "%s is mode %04o, owned by root (got %04o uid %u)", what, want,
		   st.st_mode & 07777, st.st_uid);
}

static void test_first_open(struct dot11xdp_adapter *a)
{
	static const char *const maps[] = { DOT11XDP_MAP_KEYS, DOT11XDP_MAP_STATS,
					    DOT11XDP_MAP_PEERS, DOT11XDP_MAP_CONFIG,
					    DOT11XDP_MAP_CRYPTO };
	struct dot11xdp_config config;
	char want_dir[128], path[256], out[4096] = "";
	__u32 mode = 0;
	FILE *p;

	snprintf(want_dir, sizeof(want_dir), "%s/%s", DOT11XDP_PIN_ROOT, if_a);
	test_check(!strcmp(dot11xdp_adapter__pin_dir(a), want_dir), "pin dir is %s", want_dir);
	test_check(!strcmp(dot11xdp_adapter__ifname(a), if_a), "ifname is %s", if_a);
	test_check(dot11xdp_adapter__prog_id(a) != 0 &&
			   attached_prog(if_a, &mode) == dot11xdp_adapter__prog_id(a),
		   "the adapter's program is the one attached to %s", if_a);
	test_check(mode == XDP_ATTACHED_SKB && dot11xdp_adapter__mode(a) == DOT11XDP_MODE_SKB,
		   "attached in skb (generic) mode by default");
	test_check(dot11xdp_adapter__key_table_size(a) == DOT11XDP_KEYS_DEFAULT,
		   "default key table size %u", DOT11XDP_KEYS_DEFAULT);
	test_check(prog_uses_map(dot11xdp_adapter__prog_id(a),
				 map_id(dot11xdp_adapter__keys_map_fd(a))),
		   "the attached program uses the adapter's key map");

	/* libxdp attached it, so xdp-loader knows it. */
	p = popen("ip netns exec $NETNS xdp-loader status $IFACE 2>&1", "r");
	if (p) {
		size_t n = fread(out, 1, sizeof(out) - 1, p);

		out[n] = '\0';
		pclose(p);
	}
	test_check(strstr(out, "xdp_decrypt") != NULL, "xdp-loader status lists xdp_decrypt");

	check_mode(DOT11XDP_PIN_ROOT, 0700, "pin root");
	check_mode(want_dir, 0700, "pin dir");
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", want_dir, maps[i]);
		check_mode(path, 0600, maps[i]);
	}
	test_check(dot11xdp_adapter__config(a, &config) == 0 &&
			   config.abi_version == DOT11XDP_ABI_VERSION &&
			   config.output == DOT11XDP_OUTPUT_PASS &&
			   config.engine == DOT11XDP_ENGINE_KFUNC &&
			   dot11xdp_adapter__engine(a) == DOT11XDP_ENGINE_KFUNC,
		   "config: ABI %u, output pass, kfunc engine (live default where the kernel has it)",
		   DOT11XDP_ABI_VERSION);
	test_check(dot11xdp_adapter__set_output(a, OUTPUT_ETHER) == -EOPNOTSUPP,
		   "a live adapter refuses Ethernet output (no redirect target)");
	/* bpftool reads the pinned key map by field name. */
	snprintf(path, sizeof(path), "bpftool map show pinned %s/%s >/dev/null 2>&1", want_dir,
		 DOT11XDP_MAP_KEYS);
	test_check(run("%s", path) == 0, "bpftool opens the pinned key map");
}

/* Another process, with no way around the 0700 directory and 0600 pins. */
static void test_unprivileged(void)
{
	pid_t child;
	char path[256];

	snprintf(path, sizeof(path), "%s/%s/%s", DOT11XDP_PIN_ROOT, if_a, DOT11XDP_MAP_KEYS);
	fflush(stdout);
	child = fork();
	if (!child) {
		int bits = 0, fd;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(100);
		if (!open_if(if_a, true, false) && (errno == EACCES || errno == EPERM))
			bits |= 1;
		if (!open_if(if_a, true, true) && (errno == EACCES || errno == EPERM))
			bits |= 2;
		fd = bpf_obj_get(path);
		if (fd < 0 && (errno == EACCES || errno == EPERM))
			bits |= 4;
		if (open(path, O_RDONLY) < 0 && errno == EACCES)
			bits |= 8;
		_exit(bits);
	}
	int bits = wait_child(child);

	test_check(bits != 100, "child dropped to uid 65534");
	test_check(bits >= 0 && bits != 100 && (bits & 1), "uid 65534 cannot open the adapter");
	test_check(bits >= 0 && bits != 100 && (bits & 2),
		   "uid 65534 cannot open it read-only either");
	test_check(bits >= 0 && bits != 100 && (bits & 4), "uid 65534 cannot bpf_obj_get a pin");
	test_check(bits >= 0 && bits != 100 && (bits & 8), "uid 65534 cannot open a pin file");
}

static void test_second_opens(struct dot11xdp_adapter *first)
{
	struct dot11xdp_adapter *second, *ro;
	unsigned char buf[64];
	__u32 prog = dot11xdp_adapter__prog_id(first);
	__u32 keys_id = map_id(dot11xdp_adapter__keys_map_fd(first));
	pid_t child;
	int n;

	test_check(Dot11ExtSetKeyMappingKey(dot11xdp_adapter__handle(first),
					    ccmp_key(buf, PEER_A)) == ERROR_SUCCESS,
		   "first handle sets a key");
	second = open_if(if_a, false, false);
	if (!test_check(second != NULL, "second open: %s", second ? "ok" : strerror(errno)))
		return;
	test_check(dot11xdp_adapter__prog_id(second) == prog && attached_prog(if_a, NULL) == prog,
		   "second open reuses the attached program");
	test_check(map_id(dot11xdp_adapter__keys_map_fd(second)) == keys_id,
		   "second open reuses the pinned key map");
	test_check(key_count(second) == 1, "second adapter sees the first one's key");
	test_check(dot11xdp_adapter__handle(second) != dot11xdp_adapter__handle(first),
		   "each adapter has its own handle");
	dot11xdp_adapter__close(second);

	/* Another process, as the CLI would: its key reaches the running program's map. */
	fflush(stdout);
	child = fork();
	if (!child) {
		struct dot11xdp_adapter *a = open_if(if_a, true, false);

		if (!a)
			_exit(1);
		if (dot11xdp_adapter__prog_id(a) != prog)
			_exit(2);
		if (Dot11ExtSetKeyMappingKey(dot11xdp_adapter__handle(a), ccmp_key(buf, PEER_B)))
			_exit(3);
		dot11xdp_adapter__close(a);
		_exit(0);
	}
	n = wait_child(child);
	test_check(n == 0, "a second process opens the adapter and sets a key (status %d)", n);
	test_check(key_count(first) == 2, "the first process sees the second one's key");
	test_check(attached_prog(if_a, NULL) == prog, "nothing was reloaded");

	ro = open_if(if_a, true, true);
	if (test_check(ro != NULL, "read-only open")) {
		test_check(Dot11ExtSetKeyMappingKey(dot11xdp_adapter__handle(ro),
						    ccmp_key(buf, PEER_A)) == ERROR_ACCESS_DENIED,
			   "read-only handle: ERROR_ACCESS_DENIED");
		test_check(key_count(ro) == 2 && key_count(first) == 2,
			   "read-only handle lists the keys; nothing changed");
		dot11xdp_adapter__close(ro);
	}
}

static void test_close_keeps(struct dot11xdp_adapter *a)
{
	__u32 prog = dot11xdp_adapter__prog_id(a);
	HANDLE h = dot11xdp_adapter__handle(a);
	unsigned char buf[64];

	dot11xdp_adapter__close(a);
	test_check(attached_prog(if_a, NULL) == prog, "close keeps the program attached");
	test_check(path_exists("%s/%s/%s", DOT11XDP_PIN_ROOT, if_a, DOT11XDP_MAP_KEYS),
		   "close keeps the pins");
	test_check(Dot11ExtSetKeyMappingKey(h, ccmp_key(buf, PEER_A)) == ERROR_INVALID_HANDLE,
		   "a closed live adapter's handle is invalid");
}

/* A pin removed by hand while the program runs is pinned again from the program. */
static void test_repair(void)
{
	char path[256];
	struct dot11xdp_adapter *a;
	__u32 prog = attached_prog(if_a, NULL);
	int fd;

	snprintf(path, sizeof(path), "%s/%s/%s", DOT11XDP_PIN_ROOT, if_a, DOT11XDP_MAP_STATS);
	if (unlink(path))
		test_fatal("unlink %s: %s", path, strerror(errno));
	a = open_if(if_a, true, false);
	if (!test_check(a != NULL, "open with a pin removed by hand"))
		return;
	test_check(dot11xdp_adapter__prog_id(a) == prog, "the running program is reused");
	check_mode(path, 0600, "the pin restored from the program");
	fd = bpf_obj_get(path);
	test_check(fd >= 0 && prog_uses_map(prog, map_id(fd)),
		   "the restored pin is the running program's map");
	if (fd >= 0)
		close(fd);
	dot11xdp_adapter__close(a);
}

/* The program goes away behind our back; the pins (and keys) stay for the next attach. */
static void test_stale_pins(void)
{
	struct dot11xdp_open_opts resize = { .sz = sizeof(resize), .key_table_size = 64 };
	struct dot11xdp_adapter *a;
	__u32 old_prog = attached_prog(if_a, NULL), keys_id = 0;

	if (run("ip netns exec %s xdp-loader unload %s --all >/dev/null 2>&1", netns, if_a) ||
	    attached_prog(if_a, NULL))
		test_fatal("xdp-loader unload %s failed", if_a);
	a = open_if(if_a, true, false);
	if (test_check(a != NULL, "no_attach opens pins without a program")) {
		test_check(dot11xdp_adapter__prog_id(a) == 0, "and reports no program");
		test_check(key_count(a) == 2, "the pinned keys are still there");
		keys_id = map_id(dot11xdp_adapter__keys_map_fd(a));
		dot11xdp_adapter__close(a);
	}
	errno = 0;
	test_check(!dot11xdp_adapter__open(if_a, &resize) && errno == EEXIST,
		   "attaching with another key table size than the pins': EEXIST");
	test_check(attached_prog(if_a, NULL) == 0 &&
			   path_exists("%s/%s/%s", DOT11XDP_PIN_ROOT, if_a, DOT11XDP_MAP_KEYS),
		   "the refused attach left the pins and attached nothing");
	/* One pin lost as well: the set is incomplete until an attach completes it. */
	run("rm -f %s/%s/%s", DOT11XDP_PIN_ROOT, if_a, DOT11XDP_MAP_PEERS);
	errno = 0;
	test_check(!open_if(if_a, true, false) && errno == EUCLEAN,
		   "no_attach on an incomplete set of pins: EUCLEAN");
	a = open_if(if_a, false, false);
	if (test_check(a != NULL, "attach over the pins")) {
		test_check(path_exists("%s/%s/%s", DOT11XDP_PIN_ROOT, if_a, DOT11XDP_MAP_PEERS),
			   "the attach pinned the missing map");
		test_check(dot11xdp_adapter__prog_id(a) != 0 && dot11xdp_adapter__prog_id(a) != old_prog &&
				   attached_prog(if_a, NULL) == dot11xdp_adapter__prog_id(a),
			   "a new program is attached");
		test_check(map_id(dot11xdp_adapter__keys_map_fd(a)) == keys_id && key_count(a) == 2,
			   "it uses the pinned key map, keys included");
		test_check(prog_uses_map(dot11xdp_adapter__prog_id(a), keys_id),
			   "the new program reads the pinned key map");
		dot11xdp_adapter__close(a);
	}
}

static int load_foreign_prog(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(BPF_PROG_TYPE_XDP, "h2_foreign", "GPL", insns, 2, NULL);
}

static void test_foreign_prog(void)
{
	int ifindex = if_nametoindex(if_b), fd = load_foreign_prog();

	if (fd < 0 || bpf_xdp_attach(ifindex, fd, XDP_FLAGS_SKB_MODE, NULL))
		test_fatal("attach a foreign program to %s: %s", if_b, strerror(errno));
	errno = 0;
	test_check(!open_if(if_b, false, false) && (errno == EBUSY || errno == EEXIST),
		   "open refuses an interface with another XDP program (%s)", strerror(errno));
	test_check(!path_exists("%s/%s", DOT11XDP_PIN_ROOT, if_b),
		   "the refused attach left no pin directory");
	test_check(attached_prog(if_b, NULL) != 0, "the foreign program is still attached");
	bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL);
	close(fd);
	errno = 0;
	test_check(!open_if(if_b, true, false) && errno == ENOENT,
		   "no_attach on an interface without dot11xdp: ENOENT");
}

static void test_custom_root(void)
{
	struct dot11xdp_open_opts opts = {
		.sz = sizeof(opts),
		.mode = DOT11XDP_MODE_NATIVE,
		.key_table_size = 64,
	};
	char root[96], dir[128];
	struct dot11xdp_adapter *a;
	__u32 mode = 0;

	snprintf(root, sizeof(root), "%s/nested", custom_root);
	snprintf(dir, sizeof(dir), "%s/%s", root, if_b);
	opts.pin_root = root;
	a = dot11xdp_adapter__open(if_b, &opts);
	if (!test_check(a != NULL, "open with pin root %s, 64 keys, native mode: %s", root,
			a ? "ok" : strerror(errno)))
		return;
	check_mode(custom_root, 0700, "custom pin root parent");
	check_mode(root, 0700, "custom pin root");
	check_mode(dir, 0700, "pin dir under the custom root");
	test_check(!strcmp(dot11xdp_adapter__pin_dir(a), dir), "pin dir is %s", dir);
	test_check(dot11xdp_adapter__key_table_size(a) == 64 &&
			   pinned_max_entries(dir, DOT11XDP_MAP_KEYS) == 64,
		   "key table holds 64 keys");
	test_check(pinned_max_entries(dir, DOT11XDP_MAP_PEERS) == 64, "peer table holds 64 peers");
	test_check(attached_prog(if_b, &mode) == dot11xdp_adapter__prog_id(a) &&
			   mode == XDP_ATTACHED_DRV && dot11xdp_adapter__mode(a) == DOT11XDP_MODE_NATIVE,
		   "attached in native mode on veth");
	test_check(!path_exists("%s/%s", DOT11XDP_PIN_ROOT, if_b), "nothing pinned under the default root");
	test_check(dot11xdp_adapter__detach(a) == 0, "detach from the custom root");
	test_check(!path_exists("%s", dir) && path_exists("%s", root),
		   "detach removed the pin dir, kept the root");
	test_check(attached_prog(if_b, NULL) == 0, "detach removed the native program");
}

/* Two processes open the same fresh interface at once: one program, one set of maps. */
static void test_concurrent_opens(void)
{
	int go[2], report[2];
	__u32 seen[2][2] = { { 0 } };
	pid_t children[2];
	struct dot11xdp_adapter *a;

	if (pipe(go) || pipe(report))
		test_fatal("pipe: %s", strerror(errno));
	fflush(stdout);
	for (int i = 0; i < 2; i++) {
		children[i] = fork();
		if (!children[i]) {
			struct dot11xdp_adapter *c;
			__u32 ids[2] = { 0, 0 };
			char byte;

			close(go[1]);
			if (read(go[0], &byte, 1) != 0)
				_exit(1);
			c = open_if(if_b, false, false);
			if (c) {
				ids[0] = dot11xdp_adapter__prog_id(c);
				ids[1] = map_id(dot11xdp_adapter__keys_map_fd(c));
			}
			if (write(report[1], ids, sizeof(ids)) != sizeof(ids))
				_exit(1);
			_exit(c ? 0 : 1);
		}
	}
	close(go[0]);
	close(report[1]);
	close(go[1]); /* both start */
	for (int i = 0; i < 2; i++)
		if (read(report[0], seen[i], sizeof(seen[i])) != sizeof(seen[i]))
			break;
	close(report[0]);
	test_check(wait_child(children[0]) == 0 && wait_child(children[1]) == 0,
		   "two concurrent opens both succeed");
	test_check(seen[0][0] && seen[0][0] == seen[1][0] && seen[0][1] == seen[1][1],
		   "both got the same program and key map");
	test_check(attached_prog(if_b, NULL) == seen[0][0], "that program is the attached one");
	a = open_if(if_b, true, false);
	test_check(a && dot11xdp_adapter__detach(a) == 0, "detach %s", if_b);
}

static void test_detach(void)
{
	struct dot11xdp_adapter *a = open_if(if_a, true, false), *other;
	unsigned char buf[64];
	HANDLE h;

	if (!test_check(a != NULL, "open %s for detach", if_a))
		return;
	other = open_if(if_a, true, false);
	h = dot11xdp_adapter__handle(a);
	test_check(dot11xdp_adapter__detach(a) == 0, "detach");
	test_check(attached_prog(if_a, NULL) == 0, "detach removed the program");
	test_check(!path_exists("%s/%s", DOT11XDP_PIN_ROOT, if_a), "detach removed the pins and dir");
	test_check(path_exists("%s", DOT11XDP_PIN_ROOT), "the pin root stays");
	test_check(Dot11ExtSetKeyMappingKey(h, ccmp_key(buf, PEER_A)) == ERROR_INVALID_HANDLE,
		   "the detached adapter's handle is invalid");
	/* A handle of the same attachment still writes its maps; they just have no program. */
	test_check(other && Dot11ExtSetKeyMappingKey(dot11xdp_adapter__handle(other),
						     ccmp_key(buf, PEER_A)) == ERROR_SUCCESS,
		   "another handle of the detached attachment still works on its maps");
	dot11xdp_adapter__close(other);
	errno = 0;
	test_check(!open_if(if_a, true, false) && errno == ENOENT, "after detach, no_attach: ENOENT");
}

static void test_bad_names(void)
{
	errno = 0;
	test_check(!dot11xdp_adapter__open("", NULL) && errno == EINVAL, "empty ifname: EINVAL");
	errno = 0;
	test_check(!dot11xdp_adapter__open("a/b", NULL) && errno == EINVAL, "ifname with '/': EINVAL");
	errno = 0;
	test_check(!dot11xdp_adapter__open("..", NULL) && errno == EINVAL, "ifname '..': EINVAL");
	errno = 0;
	test_check(!dot11xdp_adapter__open("h2nonexistent0", NULL) && errno == ENODEV,
		   "unknown interface: ENODEV");
	struct dot11xdp_open_opts big = { .sz = sizeof(big), .key_table_size = DOT11XDP_KEYS_MAX + 1 };
	errno = 0;
	test_check(!dot11xdp_adapter__open(if_a, &big) && errno == EINVAL,
		   "key table above %u: EINVAL", DOT11XDP_KEYS_MAX);
}

static int print_as_comment(enum dot11xdp_print_level level, const char *fmt, va_list ap)
{
	if (level != DOT11XDP_WARN)
		return 0;
	fputs("# ", stdout);
	return vprintf(fmt, ap);
}

int main(void)
{
	struct dot11xdp_adapter *a;

	test_require_root();
	/* Expected refusals print their one line: as TAP comments. */
	dot11xdp_set_print(print_as_comment);
	setup();
	setenv("NETNS", netns, 1);
	setenv("IFACE", if_a, 1);

	test_bad_names();
	test_mounts_bpffs();
	a = open_if(if_a, false, false);
	if (!a)
		test_fatal("open %s: %s", if_a, strerror(errno));
	test_first_open(a);
	test_unprivileged();
	test_second_opens(a);
	test_close_keeps(a);
	test_repair();
	test_stale_pins();
	test_foreign_prog();
	test_custom_root();
	test_concurrent_opens();
	test_detach();
	return test_done();
}
