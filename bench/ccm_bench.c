// SPDX-License-Identifier: GPL-2.0
/*
 * Speed of the BPF CCM core (bpf/test_ccm.bpf.c, table AES engine) against OpenSSL's
 * AES-CCM on the same machine, single core. BPF figures come from BPF_PROG_TEST_RUN with
 * repeat (the kernel's own per-run average); OpenSSL's from a timed loop of EVP calls, with
 * AES-NI and with AES-NI masked (OPENSSL_ia32cap, in a child process since OpenSSL reads it
 * once at start-up). Not part of make test.
 *
 * Run as root: make bench (or build/bench/ccm_bench once built).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <openssl/evp.h>

#include "material.h"
#include "test_ccm.skel.h"
#include "../bpf/test_ccm.h"

#define BODY_MAX 2336

static const size_t sizes[] = { 64, 256, 1500, 2304 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

static const uint8_t tk128[16] = { 0xc9, 0x7c, 0x1f, 0x67, 0xce, 0x37, 0x11, 0x85,
				   0x51, 0x4a, 0x8a, 0x19, 0xf2, 0xbd, 0xd5, 0x2f };
static const uint8_t tk256[32] = { 0xc9, 0x7c, 0x1f, 0x67, 0xce, 0x37, 0x11, 0x85, 0x51, 0x4a, 0x8a,
				   0x19, 0xf2, 0xbd, 0xd5, 0x2f, 1,    2,    3,    4,    5,    6,
				   7,	 8,    9,    10,   11,   12,   13,   14,   15,   16 };
static const uint8_t nonce[13] = { 0x00, 0x50, 0x30, 0xf1, 0x84, 0x44, 0x08,
				   0xb5, 0x03, 0x97, 0x76, 0xe7, 0x0c };
static const uint8_t aad[32] = { 0x08, 0x40, 0x0f, 0xd2, 0xe1, 0x28, 0xa5, 0x7c, 0x50, 0x30, 0xf1,
				 0x84, 0x44, 0x08, 0xab, 0xae, 0xa5, 0xb8, 0xfc, 0xba, 0x00, 0x00 };

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One OpenSSL AES-CCM operation on a len-byte payload: in -> out; tag in (decrypt) or out. */
static void openssl_ccm(EVP_CIPHER_CTX *ctx, const EVP_CIPHER *cipher, int decrypt,
			const uint8_t *tk, size_t mic_len, uint8_t *tag, const uint8_t *in,
			uint8_t *out, size_t len)
{
	int n, ok;

	ok = EVP_CipherInit_ex(ctx, cipher, NULL, NULL, NULL, !decrypt) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, 13, NULL) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, mic_len, decrypt ? tag : NULL) &&
	     EVP_CipherInit_ex(ctx, NULL, NULL, tk, nonce, !decrypt) &&
	     EVP_CipherUpdate(ctx, NULL, &n, NULL, len) &&
	     EVP_CipherUpdate(ctx, NULL, &n, aad, 22) &&
	     /* For CCM, decryption's update is where the tag is checked. */
	     EVP_CipherUpdate(ctx, out, &n, in, len) &&
	     (decrypt || (EVP_CipherFinal_ex(ctx, out, &n) &&
			  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, mic_len, tag)));
	if (!ok) {
		fprintf(stderr, "ccm_bench: OpenSSL AES-CCM failed\n");
		exit(1);
	}
}

/* ns per OpenSSL AES-CCM operation (decrypt = 1, encrypt = 0) on a len-byte payload. */
static double openssl_ns(int decrypt, const uint8_t *tk, size_t tk_len, size_t mic_len, size_t len)
{
	const EVP_CIPHER *cipher = tk_len == 16 ? EVP_aes_128_ccm() : EVP_aes_256_ccm();
	static uint8_t in[BODY_MAX], out[BODY_MAX], tag[16];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	double start, spent, best = 1e18;

	if (!ctx)
		exit(1);
	/* Make a valid ciphertext and tag first, so decryption verifies like the BPF run. */
	openssl_ccm(ctx, cipher, 0, tk, mic_len, tag, in, out, len);
	memcpy(in, out, len);

	/* Best of 15 runs of 100 operations: the least disturbed figure, as for BPF below. */
	for (int run = 0; run < 15; run++) {
		start = now_ns();
		for (int i = 0; i < 100; i++)
			openssl_ccm(ctx, cipher, decrypt, tk, mic_len, tag, in, out, len);
		spent = (now_ns() - start) / 100;
		if (spent < best)
			best = spent;
	}
	EVP_CIPHER_CTX_free(ctx);
	return best;
}

/* ns per BPF CCM operation, from BPF_PROG_TEST_RUN's average over many repeats. */
static double bpf_ns(struct test_ccm_bpf *skel, int decrypt, size_t tk_len, size_t mic_len,
		     size_t len)
{
	static uint8_t pkt[sizeof(struct test_ccm_request) + BODY_MAX];
	struct test_ccm_request *req = (void *)pkt;
	struct dot11xdp_key key = {};
	__u32 zero = 0, best = ~0U;
	int fd = bpf_program__fd(skel->progs.xdp_test_ccm);

	if (dot11xdp_material_prepare_aes(&key, tk_len == 16 ? tk128 : tk256, tk_len,
					  DOT11XDP_ENGINE_TABLE) ||
	    bpf_map__update_elem(skel->maps.test_ccm_key, &zero, sizeof(zero), &key, sizeof(key), 0)) {
		fprintf(stderr, "ccm_bench: cannot install the key\n");
		exit(1);
	}
	/* Encrypt once (stored) so that the decrypt runs verify, as live traffic would. */
	memset(pkt, 0, sizeof(pkt));
	*req = (struct test_ccm_request){ .op = TEST_CCM_ENCRYPT, .len = len, .aad_len = 22,
					  .mic_len = mic_len };
	memcpy(req->aad, aad, sizeof(req->aad));
	memcpy(req->nonce, nonce, sizeof(nonce));
	{
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_out = pkt,
			    .data_size_in = sizeof(*req) + len + mic_len,
			    .data_size_out = sizeof(pkt));
		if (bpf_prog_test_run_opts(fd, &opts) || req->result) {
			fprintf(stderr, "ccm_bench: BPF encryption failed\n");
			exit(1);
		}
	}
	req->op = decrypt ? TEST_CCM_DECRYPT : TEST_CCM_ENCRYPT;
	req->len = decrypt ? len + mic_len : len;
	req->flags = TEST_CCM_NO_STORE;
	/* Best of 15 runs of 1000: the least disturbed figure (other guests share the host). */
	for (int run = 0; run < 15; run++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt,
			    .data_size_in = sizeof(*req) + len + mic_len, .repeat = 1000);
		if (bpf_prog_test_run_opts(fd, &opts)) {
			fprintf(stderr, "ccm_bench: BPF_PROG_TEST_RUN: %s\n", strerror(errno));
			exit(1);
		}
		if (opts.duration < best)
			best = opts.duration;
	}
	return best;
}

/* Child mode: print OpenSSL's figures, one per line, in the order the parent reads them. */
static int openssl_child(void)
{
	for (size_t i = 0; i < NSIZES; i++) {
		printf("%.1f\n", openssl_ns(1, tk128, 16, 8, sizes[i]));
		printf("%.1f\n", openssl_ns(0, tk128, 16, 8, sizes[i]));
	}
	return 0;
}

/* Run this program as an OpenSSL child, AES-NI masked or not; fills ns[size][dir]. */
static void openssl_run(const char *self, int mask_aesni, double ns[][2])
{
	int pipefd[2];
	pid_t pid;
	FILE *f;

	if (pipe(pipefd))
		exit(1);
	pid = fork();
	if (!pid) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		if (mask_aesni)
			/* Clears the AES-NI and PCLMULQDQ bits OpenSSL checks. */
			setenv("OPENSSL_ia32cap", "~0x200000200000000", 1);
		else
			unsetenv("OPENSSL_ia32cap");
		execl(self, self, "--openssl", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	f = fdopen(pipefd[0], "r");
	for (size_t i = 0; i < NSIZES; i++)
		if (fscanf(f, "%lf %lf", &ns[i][0], &ns[i][1]) != 2) {
			fprintf(stderr, "ccm_bench: the OpenSSL child failed\n");
			exit(1);
		}
	fclose(f);
	waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
	double bpf[NSIZES][2], bpf256[NSIZES][2], ossl_ni[NSIZES][2], ossl_soft[NSIZES][2];
	struct test_ccm_bpf *skel;
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info);

	if (argc > 1 && !strcmp(argv[1], "--openssl"))
		return openssl_child();
	if (geteuid()) {
		fprintf(stderr, "ccm_bench: needs root (BPF_PROG_TEST_RUN)\n");
		return 1;
	}
	skel = test_ccm_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "ccm_bench: loading the test program: %s\n", strerror(errno));
		return 1;
	}
	bpf_obj_get_info_by_fd(bpf_program__fd(skel->progs.xdp_test_ccm), &info, &info_len);

	for (size_t i = 0; i < NSIZES; i++)
		for (int dir = 0; dir < 2; dir++) {
			bpf[i][dir] = bpf_ns(skel, dir == 0, 16, 8, sizes[i]);
			bpf256[i][dir] = bpf_ns(skel, dir == 0, 32, 16, sizes[i]);
		}
	openssl_run("/proc/self/exe", 1, ossl_soft);
	openssl_run("/proc/self/exe", 0, ossl_ni);

	printf("CCM core (bpf/lib/ccm.h, table AES engine), single core, ns per payload (MB/s);\n"
	       "last column: BPF CCMP-128 speed over OpenSSL AES-128-CCM without AES-NI.\n"
	       "Test program: %u instructions processed by the verifier.\n", info.verified_insns);
	printf("%-6s %-9s %18s %18s %18s %18s %12s\n", "bytes", "op", "BPF CCMP-128",
	       "BPF CCMP-256", "OpenSSL no AES-NI", "OpenSSL AES-NI", "BPF/no-NI");
	for (size_t i = 0; i < NSIZES; i++)
		for (int dir = 0; dir < 2; dir++) {
			size_t n = sizes[i];

			printf("%-6zu %-9s %9.0f (%5.0f) %9.0f (%5.0f) %9.0f (%5.0f) %9.0f (%5.0f) %11.2fx\n",
			       n, dir ? "encrypt" : "decrypt", bpf[i][dir], n * 1e3 / bpf[i][dir],
			       bpf256[i][dir], n * 1e3 / bpf256[i][dir], ossl_soft[i][dir],
			       n * 1e3 / ossl_soft[i][dir], ossl_ni[i][dir], n * 1e3 / ossl_ni[i][dir],
			       ossl_soft[i][dir] / bpf[i][dir]);
		}
	test_ccm_bpf__destroy(skel);
	return 0;
}
