/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The kernel's BPF crypto kfuncs (kernel/bpf/crypto.c, Linux 6.10+) and the one dynptr
 * kfunc the engine also needs, declared by hand.
 *
 * The BPF programs build against uapi headers only, so there is no generated vmlinux.h to
 * take these from, and a vmlinux.h of this machine's kernel would pin the build to it. The
 * kernel resolves what is declared here by name at load time: the kfuncs through their BTF
 * (libbpf checks the prototypes against the kernel's), the kptr type by its struct name.
 *
 * The kfuncs are weak: libbpf 1.1 refuses a whole object with an unresolved strong kfunc,
 * even when the programs calling it are not loaded, so on a kernel without them (6.1) the
 * object still loads once those programs and the map are left out (dot11xdp_crypto_ctx__omit).
 */
#ifndef DOT11XDP_BPF_CRYPTO_H
#define DOT11XDP_BPF_CRYPTO_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/*
 * A refcounted crypto transform owned by the kernel. Opaque to BPF; a kptr field needs a
 * struct (not a forward declaration) of the kernel's name, its members are never read.
 */
struct bpf_crypto_ctx {
};

/*
 * Argument of bpf_crypto_ctx_create: the kernel refuses any other size (params__sz) and
 * non-zero reserved bytes. Layout of kernel/bpf/crypto.c, unchanged since 6.10.
 */
struct bpf_crypto_params {
	char type[14];	  /* "skcipher" */
	__u8 reserved[2];
	char algo[128];	  /* crypto API name, e.g. "ecb(aes)" */
	__u8 key[256];
	__u32 key_len;
	__u32 authsize;	  /* 0 for skcipher */
};

/* Sleepable programs only (SEC("syscall")): allocates the transform and sets the key. */
extern struct bpf_crypto_ctx *bpf_crypto_ctx_create(const struct bpf_crypto_params *params,
						     __u32 params__sz, int *err) __weak __ksym;
/* Drops a reference; the last one frees the context after an RCU grace period (call_rcu). */
extern void bpf_crypto_ctx_release(struct bpf_crypto_ctx *ctx) __weak __ksym;
/*
 * One skcipher pass over src into dst (dst may be src). siv must span exactly the
 * algorithm's IV size (16 for cbc(aes), none for ecb(aes)) and is updated in place.
 * CTR and CBC-MAC only ever run AES forward, so bpf_crypto_decrypt is not declared.
 */
extern int bpf_crypto_encrypt(struct bpf_crypto_ctx *ctx, const struct bpf_dynptr *src,
			      const struct bpf_dynptr *dst,
			      const struct bpf_dynptr *siv__nullable) __weak __ksym;

/* Narrow a dynptr to [start, end) of what it spans (6.5+); -EINVAL when that is outside it. */
extern int bpf_dynptr_adjust(const struct bpf_dynptr *p, __u32 start, __u32 end) __weak __ksym;

#endif /* DOT11XDP_BPF_CRYPTO_H */
