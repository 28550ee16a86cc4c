/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small TAP-style test library: every check prints "ok - name" or "not ok - name";
 * tests/run-tests.sh adds them up into the closing "N passed, N failed" line.
 */
#ifndef DOT11XDP_TESTLIB_H
#define DOT11XDP_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Record one check; returns ok so callers can stop early on a failure. */
bool test_ok(bool ok, const char *name_fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like test_ok, and prints a diagnostic ("# ...") line when the check fails. */
#define test_check(ok, diag_fmt, ...)                                                          \
	test_ok_diag((ok), __FILE__, __LINE__, #ok, diag_fmt, ##__VA_ARGS__)
bool test_ok_diag(bool ok, const char *file, int line, const char *expr, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Abort the whole test program: a setup step failed, so later checks would mean nothing. */
void test_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Exit status for main(): non-zero when any check failed. */
int test_done(void);

/* Fails the program loudly unless running as root (BPF and namespaces need it). */
void test_require_root(void);

/*
 * Hold a machine-wide lock named name until the program exits, so tests that read
 * system-wide counters (/proc/crypto) never run side by side and read each other's work.
 */
void test_exclusive(const char *name);

/*
 * Live transforms of an lskcipher algorithm ("ecb(aes)", "cbc(aes)"), from /proc/crypto:
 * each holds a reference on its algorithm. System-wide: see test_exclusive().
 */
long test_crypto_refcnt(const char *name);

/* Compare two buffers; on a mismatch print the first differing offset. */
bool test_bytes_eq(const void *got, size_t got_len, const void *want, size_t want_len,
		   const char *name_fmt, ...) __attribute__((format(printf, 5, 6)));

/* Parse hex ("0a1b", "0a:1b", "0a 1b"); returns the byte count or -1. */
int hex_parse(const char *hex, uint8_t *out, size_t out_size);

/* The shared/ directory: $SHARED, else ../shared relative to the repository. */
const char *test_shared_dir(void);
/* Path of a file under shared/testdata; a static buffer. */
const char *test_data_path(const char *rel);

/*
 * ieee80211-cipher-vectors.txt: sections start with a title line; fields are
 * "NAME - hexdump(len=N): xx xx ...".
 */
struct tv_field {
	char name[96];
	uint8_t *data;
	size_t len;
};
struct tv_section {
	char title[160];
	struct tv_field *fields;
	size_t nfields;
};
struct tv_file {
	struct tv_section *sections;
	size_t nsections;
};
int tv_load(const char *path, struct tv_file *tv);
void tv_free(struct tv_file *tv);
/* The first section whose title contains title_part (and, if nth > 0, the nth such). */
const struct tv_section *tv_find(const struct tv_file *tv, const char *title_part, int nth);
/* A field by exact name; NULL when absent. */
const struct tv_field *tv_field(const struct tv_section *s, const char *name);

#endif
