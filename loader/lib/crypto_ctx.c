// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Creating and destroying the kfunc engine's kernel AES contexts; probing for the engine. */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "crypto_ctx.h"

/* The syscall programs of bpf/lib/crypto_ctx.h. */
#define CREATE_PROG "crypto_ctx_create"
#define DESTROY_PROG "crypto_ctx_destroy"

static int run_syscall_prog(const struct bpf_object *obj, const char *name,
			    struct dot11xdp_crypto_args *args)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = sizeof(*args));
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);
	int fd = prog ? bpf_program__fd(prog) : -ENOENT;

	if (fd < 0)
		return -ENOENT;
	if (bpf_prog_test_run_opts(fd, &opts))
		return -errno;
	return (int)opts.retval;
}

int dot11xdp_crypto_ctx__omit(struct bpf_object *obj)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, DOT11XDP_MAP_CRYPTO);
	struct bpf_program *create = bpf_object__find_program_by_name(obj, CREATE_PROG);
	struct bpf_program *destroy = bpf_object__find_program_by_name(obj, DESTROY_PROG);

	if (!map || !create || !destroy)
		return -ENOENT;
	bpf_map__set_autocreate(map, false);
	bpf_program__set_autoload(create, false);
	bpf_program__set_autoload(destroy, false);
	return 0;
}

int dot11xdp_crypto_ctx__create(const struct bpf_object *obj, __u64 generation, const __u8 *tk,
				unsigned int tk_len)
{
	struct dot11xdp_crypto_args args = { .generation = generation, .tk_len = tk_len };
	int err;

	if (!tk || (tk_len != 16 && tk_len != 32))
		return -EINVAL;
	memcpy(args.tk, tk, tk_len);
	err = run_syscall_prog(obj, CREATE_PROG, &args);
	/* The program zeroes the kernel's copy, which comes back here; ours may not have run. */
	explicit_bzero(args.tk, sizeof(args.tk));
	return err;
}

int dot11xdp_crypto_ctx__destroy(const struct bpf_object *obj, __u64 generation)
{
	struct dot11xdp_crypto_args args = { .generation = generation };

	return run_syscall_prog(obj, DESTROY_PROG, &args);
}

/*
 * The probe. Finding the kfuncs in the kernel's BTF is not enough (the ecb or cbc template
 * may be missing, or the program type refused), so a tiny sleepable syscall program,
 * assembled here because no BPF object can load on a kernel without the kfuncs, creates
 * and releases a context for each algorithm with an all-zero key:
 *
 *	r6 = r1				ctx: struct bpf_crypto_params
 *	*(u32 *)(r10 - 4) = 0		err
 *	r1 = r6; r2 = sizeof(params); r3 = r10 - 4
 *	call bpf_crypto_ctx_create
 *	if r0 == 0 goto fail
 *	r1 = r0
 *	call bpf_crypto_ctx_release
 *	r0 = 0; exit
 * fail:
 *	r0 = *(u32 *)(r10 - 4); exit
 */

/* The kernel's struct bpf_crypto_params (kernel/bpf/crypto.c), as bpf/lib/bpf_crypto.h has it. */
struct probe_crypto_params {
	char type[14];
	__u8 reserved[2];
	char algo[128];
	__u8 key[256];
	__u32 key_len;
	__u32 authsize;
};

static struct bpf_insn insn(__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off,
				  .imm = imm };
}

static int probe_prog_load(int create_id, int release_id)
{
	const struct bpf_insn prog[] = {
		insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0),
		insn(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, 0),
		insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0),
		insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, sizeof(struct probe_crypto_params)),
		insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_10, 0, 0),
		insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, -4),
		insn(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, create_id),
		insn(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 4, 0),
		insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_0, 0, 0),
		insn(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, release_id),
		insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
		insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
		insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_0, BPF_REG_10, -4, 0),
		insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .prog_flags = BPF_F_SLEEPABLE);

	return bpf_prog_load(BPF_PROG_TYPE_SYSCALL, "dot11xdp_probe", "GPL", prog,
			     sizeof(prog) / sizeof(prog[0]), &opts);
}

static int probe_create(int prog_fd, const char *algo)
{
	struct probe_crypto_params params = { .type = "skcipher", .key_len = 16 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &params, .ctx_size_in = sizeof(params));

	strncpy(params.algo, algo, sizeof(params.algo) - 1);
	if (bpf_prog_test_run_opts(prog_fd, &opts))
		return -errno;
	return (int)opts.retval;
}

static bool kfunc_engine_available;

static void kfunc_engine_probe(void)
{
	int create_id, release_id, encrypt_id, fd;
	struct btf *vmlinux = btf__load_vmlinux_btf();

	if (!vmlinux)
		return;
	create_id = btf__find_by_name_kind(vmlinux, "bpf_crypto_ctx_create", BTF_KIND_FUNC);
	release_id = btf__find_by_name_kind(vmlinux, "bpf_crypto_ctx_release", BTF_KIND_FUNC);
	encrypt_id = btf__find_by_name_kind(vmlinux, "bpf_crypto_encrypt", BTF_KIND_FUNC);
	btf__free(vmlinux);
	if (create_id < 0 || release_id < 0 || encrypt_id < 0)
		return;
	/*
	 * The kernel registers the syscall kfuncs only once the XDP ones (bpf_crypto_encrypt)
	 * are registered, so a create that works means encrypt is there for XDP.
	 */
	fd = probe_prog_load(create_id, release_id);
	if (fd < 0)
		return;
	kfunc_engine_available = probe_create(fd, "ecb(aes)") == 0 &&
				 probe_create(fd, "cbc(aes)") == 0;
	close(fd);
}

bool dot11xdp_kfunc_engine_available(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, kfunc_engine_probe);
	return kfunc_engine_available;
}
