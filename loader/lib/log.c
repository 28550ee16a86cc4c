// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One print function for the library's messages and for libbpf's and libxdp's. Those two
 * are routed here only while the library calls into them (dot11xdp_log_enter/leave), so an
 * application's own libbpf print callback is left alone the rest of the time.
 */
#include <stdio.h>

#include "internal.h"

static int default_print(enum dot11xdp_print_level level, const char *fmt, va_list ap)
{
	if (level != DOT11XDP_WARN)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static dot11xdp_print_fn_t print_fn = default_print;

dot11xdp_print_fn_t dot11xdp_set_print(dot11xdp_print_fn_t fn)
{
	dot11xdp_print_fn_t old = print_fn;

	print_fn = fn;
	return old;
}

void dot11xdp_print(enum dot11xdp_print_level level, const char *fmt, ...)
{
	dot11xdp_print_fn_t fn = print_fn;
	va_list ap;

	if (!fn)
		return;
	va_start(ap, fmt);
	fn(level, fmt, ap);
	va_end(ap);
}

/* libbpf and libxdp warn about things the library handles (a refused dispatcher, say). */
static enum dot11xdp_print_level demote(int level)
{
	return level == LIBBPF_WARN ? DOT11XDP_INFO : DOT11XDP_DEBUG;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	dot11xdp_print_fn_t fn = print_fn;

	return fn ? fn(demote(level), fmt, ap) : 0;
}

static int libxdp_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	dot11xdp_print_fn_t fn = print_fn;

	return fn ? fn(demote(level), fmt, ap) : 0;
}

/*
 * libbpf's and libxdp's print hooks are process-wide: threads opening adapters at once
 * share one installation, and the last one out restores the application's hooks.
 */
static pthread_mutex_t scope_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int scope_depth;
static libbpf_print_fn_t saved_libbpf;
static libxdp_print_fn_t saved_libxdp;

void dot11xdp_log_enter(void)
{
	pthread_mutex_lock(&scope_lock);
	if (!scope_depth++) {
		saved_libbpf = libbpf_set_print(libbpf_print);
		saved_libxdp = libxdp_set_print(libxdp_print);
	}
	pthread_mutex_unlock(&scope_lock);
}

void dot11xdp_log_leave(void)
{
	pthread_mutex_lock(&scope_lock);
	if (!--scope_depth) {
		libbpf_set_print(saved_libbpf);
		libxdp_set_print(saved_libxdp);
	}
	pthread_mutex_unlock(&scope_lock);
}
