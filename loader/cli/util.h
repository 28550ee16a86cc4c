/* SPDX-License-Identifier: GPL-2.0 */
/* Messages, address and hex parsing, JSON strings: the plumbing every command shares. */
#ifndef DOT11XDP_CLI_UTIL_H
#define DOT11XDP_CLI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#define CLI_MAC_STRLEN 18 /* "aa:bb:cc:dd:ee:ff" and its NUL */

/* One line on stderr, "dot11xdp: " first: what failed and why, with a hint where one helps. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only with --verbose. */
void cli_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Route libdot11xdp's, libbpf's and libxdp's messages through our verbosity: silent unless
 * -v, except that the library's own account of a failure becomes our error line.
 */
void cli_setup_logging(void);

/*
 * The error line for a failed library call: the library's own one-sentence reason when it
 * gave one, else "<what>: <strerror(err)><hint>". err is a negative errno.
 */
void cli_err_lib(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Forget a reason the library gave for something that was handled. */
void cli_lib_reset(void);
/* After a call that succeeded: print the warning the library gave on the way, if any. */
void cli_lib_warnings(void);

/*
 * A short hint for a negative errno from the library or the kernel ("run as root ...");
 * "" when there is none. Use as "%s%s", strerror(-err), cli_errno_hint(err).
 */
const char *cli_errno_hint(int err);

/* "aa:bb:cc:dd:ee:ff" or "aa-bb-cc-dd-ee-ff" or "aabbccddeeff"; 0 or -EINVAL. */
int cli_parse_mac(const char *s, __u8 mac[6]);
const char *cli_mac_str(const __u8 mac[6], char buf[CLI_MAC_STRLEN]);
bool cli_mac_is_unicast(const __u8 mac[6]);

/*
 * Hex bytes, optionally separated by single colons ("0a1b", "0a:1b"). Returns the number of
 * bytes, -EINVAL for a character that is not hex (*bad_pos tells where, counted from 1; past
 * the end for a dangling digit), -E2BIG when the value does not fit in out_size bytes.
 */
int cli_parse_hex(const char *s, __u8 *out, size_t out_size, size_t *bad_pos);

/* Overwrite a command-line string in place so /proc/PID/cmdline stops showing it. */
void cli_scrub_arg(char *arg);

/* A JSON string literal, quoted and escaped. */
void cli_json_str(FILE *out, const char *s);

/* The interface exists in this network namespace. */
bool cli_ifname_exists(const char *ifname);

#endif
