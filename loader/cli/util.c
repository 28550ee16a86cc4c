// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <dot11xdp/dot11xdp.h>
#include <xdp/libxdp.h>

#include "params.h"
#include "util.h"

int cli_verbose;

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "dot11xdp: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void cli_debug(const char *fmt, ...)
{
	va_list ap;

	if (!cli_verbose)
		return;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

/*
 * libbpf and libxdp explain every failure at length; the user gets our one line instead, and
 * their account with -v (debug chatter with -vv), as xdp-loader does.
 */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (cli_verbose < 1 || (level == LIBBPF_DEBUG && cli_verbose < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int libxdp_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	if (cli_verbose < 1 || (level == LIBXDP_DEBUG && cli_verbose < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/*
 * The library explains a failure in one actionable sentence (a DOT11XDP_WARN message). Keep
 * the first one of each operation as the reason our error line gives; print it, and the
 * rest, only with -v.
 */
static char lib_reason[256];

static int library_print(enum dot11xdp_print_level level, const char *fmt, va_list ap)
{
	va_list copy;
	size_t len;

	if (level == DOT11XDP_WARN && !lib_reason[0]) {
		va_copy(copy, ap);
		vsnprintf(lib_reason, sizeof(lib_reason), fmt, copy);
		va_end(copy);
		len = strcspn(lib_reason, "\n");
		lib_reason[len] = '\0';
	}
	if (cli_verbose < 1 || (level == DOT11XDP_DEBUG && cli_verbose < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void cli_setup_logging(void)
{
	libbpf_set_print(libbpf_print);
	libxdp_set_print(libxdp_print);
	dot11xdp_set_print(library_print);
}

void cli_lib_reset(void)
{
	lib_reason[0] = '\0';
}

void cli_lib_warnings(void)
{
	if (lib_reason[0])
		cli_warn("%s", strncmp(lib_reason, "libdot11xdp: ", 13) ? lib_reason
								    : lib_reason + 13);
	cli_lib_reset();
}

void cli_err_lib(int err, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	if (lib_reason[0]) {
		const char *reason = lib_reason;
		bool needs_root = (err == -EPERM || err == -EACCES) && !strstr(reason, "root");

		/* Our own prefix names the tool already. */
		if (!strncmp(reason, "libdot11xdp: ", 13))
			reason += 13;
		cli_err("%s%s", reason, needs_root ? cli_errno_hint(err) : "");
	} else {
		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
		cli_err("%s: %s%s", what, strerror(err < 0 ? -err : err), cli_errno_hint(err));
	}
	cli_lib_reset();
}

const char *cli_errno_hint(int err)
{
	switch (-err) {
	case EPERM:
	case EACCES:
		return " (run as root: BPF maps and XDP need CAP_BPF, CAP_NET_ADMIN and CAP_SYS_ADMIN)";
	case ENODEV:
		return " (no such interface in this network namespace)";
	case EOPNOTSUPP:
		return " (not supported here; without --native, XDP runs in generic mode on any interface)";
	case ENOMEM:
		return " (out of memory, or the locked-memory limit is too low)";
	default:
		return "";
	}
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cli_parse_mac(const char *s, __u8 mac[6])
{
	size_t len = strlen(s);
	bool separated = len == 17;
	char sep = separated ? s[2] : 0;

	if (len != 17 && len != 12)
		return -EINVAL;
	if (separated && sep != ':' && sep != '-')
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		const char *p = s + i * (separated ? 3 : 2);
		int hi = hex_value(p[0]), lo = hex_value(p[1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		if (separated && i < 5 && p[2] != sep)
			return -EINVAL;
		mac[i] = (__u8)(hi << 4 | lo);
	}
	return 0;
}

const char *cli_mac_str(const __u8 mac[6], char buf[CLI_MAC_STRLEN])
{
	snprintf(buf, CLI_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	return buf;
}

bool cli_mac_is_unicast(const __u8 mac[6])
{
	static const __u8 zero[6];

	return !(mac[0] & 1) && memcmp(mac, zero, 6) != 0;
}

int cli_parse_hex(const char *s, __u8 *out, size_t out_size, size_t *bad_pos)
{
	size_t n = 0, i = 0;

	*bad_pos = 0;
	while (s[i]) {
		int hi = hex_value(s[i]), lo = hi < 0 ? -1 : hex_value(s[i + 1]);

		if (hi < 0 || lo < 0) {
			*bad_pos = (hi < 0 ? i : i + 1) + 1;
			return -EINVAL;
		}
		if (n == out_size)
			return -E2BIG;
		out[n++] = (__u8)(hi << 4 | lo);
		i += 2;
		/* One colon between two bytes; not leading, trailing or doubled. */
		if (s[i] == ':') {
			if (!s[i + 1] || s[i + 1] == ':') {
				*bad_pos = i + 1;
				return -EINVAL;
			}
			i++;
		}
	}
	return (int)n;
}

void cli_scrub_arg(char *arg)
{
	/* The length stays, so the rest of the command line keeps its place. */
	memset(arg, 'x', strlen(arg));
}

void cli_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

bool cli_ifname_exists(const char *ifname)
{
	return if_nametoindex(ifname) != 0;
}
