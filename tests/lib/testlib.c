// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/file.h>

#include "testlib.h"

static int checks_failed;

static bool report(bool ok, const char *fmt, va_list ap)
{
	printf("%s - ", ok ? "ok" : "not ok");
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		checks_failed++;
	return ok;
}

bool test_ok(bool ok, const char *name_fmt, ...)
{
	va_list ap;

	va_start(ap, name_fmt);
	report(ok, name_fmt, ap);
	va_end(ap);
	return ok;
}

bool test_ok_diag(bool ok, const char *file, int line, const char *expr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(ok, fmt, ap);
	va_end(ap);
	if (!ok)
		printf("#   failed: %s (%s:%d)\n", expr, file, line);
	return ok;
}

void test_fatal(const char *fmt, ...)
{
	va_list ap;

	printf("not ok - setup: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(2);
}

int test_done(void)
{
	return checks_failed ? 1 : 0;
}

void test_require_root(void)
{
	if (geteuid() != 0)
		test_fatal("this test needs root (BPF maps, XDP, namespaces); run make test as root");
}

void test_exclusive(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/dot11xdp-test-%s.lock", name);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		test_fatal("cannot open %s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		printf("# waiting for another test holding %s\n", path);
		fflush(stdout);
		if (flock(fd, LOCK_EX))
			test_fatal("cannot lock %s: %s", path, strerror(errno));
	}
	/* The descriptor stays open: the lock goes with the process. */
}

bool test_bytes_eq(const void *got, size_t got_len, const void *want, size_t want_len,
		   const char *name_fmt, ...)
{
	const uint8_t *g = got, *w = want;
	bool ok = got_len == want_len && !memcmp(got, want, want_len);
	va_list ap;

	va_start(ap, name_fmt);
	report(ok, name_fmt, ap);
	va_end(ap);
	if (!ok) {
		size_t i = 0;

		while (i < got_len && i < want_len && g[i] == w[i])
			i++;
		printf("#   length %zu, want %zu; first difference at offset %zu\n", got_len,
		       want_len, i);
	}
	return ok;
}

int hex_parse(const char *hex, uint8_t *out, size_t out_size)
{
	size_t n = 0;

	while (*hex) {
		if (*hex == ':' || *hex == ' ' || *hex == '-' || *hex == '\n') {
			hex++;
			continue;
		}
		if (!isxdigit((unsigned char)hex[0]) || !isxdigit((unsigned char)hex[1]) ||
		    n == out_size)
			return -1;
		char byte[3] = { hex[0], hex[1], 0 };
		out[n++] = (uint8_t)strtoul(byte, NULL, 16);
		hex += 2;
	}
	return (int)n;
}

const char *test_shared_dir(void)
{
	const char *s = getenv("SHARED");

	return s && *s ? s : "../shared";
}

const char *test_data_path(const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/testdata/%s", test_shared_dir(), rel);
	return path;
}

int tv_load(const char *path, struct tv_file *tv)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	memset(tv, 0, sizeof(*tv));
	if (!f)
		return -errno;
	while ((n = getline(&line, &cap, f)) > 0) {
		char *hexdump = strstr(line, " - hexdump(len=");

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (!n)
			continue;
		if (!hexdump) {
			/* A title: a line that is neither a field nor a "key: value" remark. */
			if (strchr(line, ':') && !strstr(line, "IEEE"))
				continue;
			tv->sections = realloc(tv->sections, (tv->nsections + 1) * sizeof(*tv->sections));
			struct tv_section *s = &tv->sections[tv->nsections++];
			memset(s, 0, sizeof(*s));
			snprintf(s->title, sizeof(s->title), "%s", line);
			continue;
		}
		if (!tv->nsections)
			continue;
		struct tv_section *s = &tv->sections[tv->nsections - 1];
		size_t len = strtoul(hexdump + strlen(" - hexdump(len="), NULL, 10);
		const char *bytes = strstr(hexdump, "):");

		s->fields = realloc(s->fields, (s->nfields + 1) * sizeof(*s->fields));
		struct tv_field *fd = &s->fields[s->nfields++];
		*hexdump = 0;
		snprintf(fd->name, sizeof(fd->name), "%s", line);
		fd->data = calloc(1, len + 1);
		fd->len = len;
		if (!bytes || hex_parse(bytes + 2, fd->data, len) != (int)len) {
			fclose(f);
			free(line);
			return -EINVAL;
		}
	}
	free(line);
	fclose(f);
	return tv->nsections ? 0 : -ENOENT;
}

void tv_free(struct tv_file *tv)
{
	for (size_t i = 0; i < tv->nsections; i++) {
		for (size_t j = 0; j < tv->sections[i].nfields; j++)
			free(tv->sections[i].fields[j].data);
		free(tv->sections[i].fields);
	}
	free(tv->sections);
	memset(tv, 0, sizeof(*tv));
}

const struct tv_section *tv_find(const struct tv_file *tv, const char *title_part, int nth)
{
	for (size_t i = 0; i < tv->nsections; i++)
		if (strstr(tv->sections[i].title, title_part) && --nth <= 0)
			return &tv->sections[i];
	return NULL;
}

const struct tv_field *tv_field(const struct tv_section *s, const char *name)
{
	for (size_t i = 0; i < s->nfields; i++)
		if (!strcmp(s->fields[i].name, name))
			return &s->fields[i];
	return NULL;
}

long test_crypto_refcnt(const char *name)
{
	char line[256], cur_name[128] = "", cur_type[64] = "";
	long refcnt = -1, total = 0;
	FILE *f = fopen("/proc/crypto", "r");

	if (!f)
		test_fatal("/proc/crypto: %s", strerror(errno));
	/* Entries are "key : value" lines separated by blank lines; sum the lskciphers. */
	for (;;) {
		bool end = !fgets(line, sizeof(line), f);

		if (end || line[0] == '\n') {
			if (!strcmp(cur_name, name) && !strcmp(cur_type, "lskcipher") && refcnt >= 0)
				total += refcnt;
			cur_name[0] = cur_type[0] = 0;
			refcnt = -1;
			if (end)
				break;
			continue;
		}
		sscanf(line, "name : %127s", cur_name);
		sscanf(line, "type : %63s", cur_type);
		sscanf(line, "refcnt : %ld", &refcnt);
	}
	fclose(f);
	return total;
}
