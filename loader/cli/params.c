// SPDX-License-Identifier: GPL-2.0
/* The option-table parser: long and short options, positionals, typed values, --help. */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "util.h"

const char *cli_enum_name(const struct cli_enum_val *vals, unsigned int value)
{
	for (; vals && vals->name; vals++)
		if (vals->value == value)
			return vals->name;
	return "?";
}

static void usage_error(const struct cli_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "dot11xdp %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'dot11xdp %s --help')\n", cmd->name);
}

static void print_enum_names(const struct cli_enum_val *vals, FILE *out)
{
	for (const struct cli_enum_val *v = vals; v->name; v++)
		fprintf(out, "%s%s", v == vals ? "" : "|", v->name);
}

static int parse_value(const struct cli_command *cmd, const struct cli_option *opt,
		       char *arg, void *opts)
{
	void *dst = (char *)opts + opt->offset;
	const char *label = opt->positional ? opt->metavar : opt->name;
	char *end;

	switch (opt->type) {
	case CLI_OPT_FLAG:
		*(bool *)dst = true;
		return 0;
	case CLI_OPT_STRING:
		*(const char **)dst = arg;
		return 0;
	case CLI_OPT_IFNAME:
		if (!*arg || strlen(arg) >= IFNAMSIZ || strchr(arg, '/') || strpbrk(arg, " \t\n:")) {
			usage_error(cmd, "'%s' is not a valid interface name", arg);
			return -EINVAL;
		}
		*(const char **)dst = arg;
		return 0;
	case CLI_OPT_MAC: {
		struct cli_mac *mac = dst;

		if (cli_parse_mac(arg, mac->addr)) {
			usage_error(cmd, "%s '%s' is not a MAC address (want aa:bb:cc:dd:ee:ff)",
				    label, arg);
			return -EINVAL;
		}
		mac->set = true;
		return 0;
	}
	case CLI_OPT_U64:
	case CLI_OPT_U32: {
		unsigned long long v;

		errno = 0;
		v = strtoull(arg, &end, 0);
		if (!*arg || *end || errno || arg[0] == '-' || v < opt->min || v > opt->max) {
			usage_error(cmd, "%s must be a number from %llu to %llu, not '%s'", label,
				    (unsigned long long)opt->min, (unsigned long long)opt->max, arg);
			return -EINVAL;
		}
		if (opt->type == CLI_OPT_U64)
			*(__u64 *)dst = v;
		else
			*(__u32 *)dst = (__u32)v;
		return 0;
	}
	case CLI_OPT_ENUM: {
		char names[128] = "";
		size_t used = 0;

		for (const struct cli_enum_val *v = opt->enums; v->name; v++) {
			if (!strcmp(v->name, arg)) {
				*(unsigned int *)dst = v->value;
				return 0;
			}
			if (used < sizeof(names))
				used += snprintf(names + used, sizeof(names) - used, "%s%s",
						 used ? "|" : "", v->name);
		}
		usage_error(cmd, "%s must be one of %s, not '%s'", label, names, arg);
		return -EINVAL;
	}
	case CLI_OPT_STRINGS: {
		struct cli_strings *list = dst;
		char **grown = realloc(list->values, (list->count + 1) * sizeof(*grown));

		if (!grown) {
			cli_err("out of memory");
			return -ENOMEM;
		}
		grown[list->count++] = arg;
		list->values = grown;
		return 0;
	}
	}
	return -EINVAL;
}

static const struct cli_option *find_long(const struct cli_option *opts, const char *name,
					  size_t len)
{
	for (const struct cli_option *o = opts; o->name; o++)
		if (!o->positional && strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

static const struct cli_option *find_short(const struct cli_option *opts, char c)
{
	for (const struct cli_option *o = opts; o->name; o++)
		if (!o->positional && o->short_name == c)
			return o;
	return NULL;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, void *opts, bool *help_shown)
{
	const struct cli_option *next_pos = cmd->options;
	bool only_positionals = false;

	*help_shown = false;
	if (cmd->defaults)
		memcpy(opts, cmd->defaults, cmd->opts_size);
	else
		memset(opts, 0, cmd->opts_size);

	for (int i = 0; i < argc; i++) {
		char *arg = argv[i], *value = NULL;
		const struct cli_option *opt;

		if (!only_positionals && !strcmp(arg, "--")) {
			only_positionals = true;
			continue;
		}
		if (only_positionals || arg[0] != '-' || !arg[1]) {
			while (next_pos->name && !next_pos->positional)
				next_pos++;
			if (!next_pos->name) {
				usage_error(cmd, "unexpected argument '%s'", arg);
				return CLI_EXIT_USAGE;
			}
			if (parse_value(cmd, next_pos, arg, opts))
				return CLI_EXIT_USAGE;
			next_pos++;
			continue;
		}
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			cli_print_usage(cmd, stdout);
			*help_shown = true;
			return 0;
		}
		if (!strcmp(arg, "-v") || !strcmp(arg, "--verbose")) {
			cli_verbose++;
			continue;
		}
		if (arg[1] == '-') {
			char *eq = strchr(arg + 2, '=');
			size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);

			opt = find_long(cmd->options, arg + 2, len);
			if (!opt) {
				usage_error(cmd, "unknown option '%.*s'", (int)len + 2, arg);
				return CLI_EXIT_USAGE;
			}
			if (eq)
				value = eq + 1;
			if (eq && opt->type == CLI_OPT_FLAG) {
				usage_error(cmd, "option '--%s' takes no value", opt->name);
				return CLI_EXIT_USAGE;
			}
		} else {
			opt = arg[2] ? NULL : find_short(cmd->options, arg[1]);
			if (!opt) {
				usage_error(cmd, "unknown option '%s'", arg);
				return CLI_EXIT_USAGE;
			}
		}
		if (opt->type != CLI_OPT_FLAG && !value) {
			if (i + 1 >= argc) {
				usage_error(cmd, "option '--%s' needs a value (%s)", opt->name,
					    opt->metavar);
				return CLI_EXIT_USAGE;
			}
			value = argv[++i];
		}
		if (parse_value(cmd, opt, value, opts))
			return CLI_EXIT_USAGE;
	}

	for (; next_pos->name; next_pos++) {
		if (next_pos->positional && next_pos->required) {
			usage_error(cmd, "missing argument %s", next_pos->metavar);
			return CLI_EXIT_USAGE;
		}
	}
	return 0;
}

/* One option or argument line: the name column, then the help, wrapped after a long name. */
static void print_item(FILE *out, const char *left, const char *help,
		       const struct cli_enum_val *enums)
{
	const int width = 24;

	if ((int)strlen(left) + 2 > width)
		fprintf(out, "%s\n%*s", left, width, "");
	else
		fprintf(out, "%-*s", width, left);
	fputs(help ? help : "", out);
	if (enums) {
		fputs(": ", out);
		print_enum_names(enums, out);
	}
	fputc('\n', out);
}

void cli_print_usage(const struct cli_command *cmd, FILE *out)
{
	bool has_options = false, has_args = false;
	char left[96];

	fprintf(out, "Usage: dot11xdp %s", cmd->name);
	for (const struct cli_option *o = cmd->options; o->name; o++) {
		if (o->positional)
			fprintf(out, o->required ? " %s" : " [%s]", o->metavar);
		else
			has_options = true;
		has_args |= o->positional && o->help;
	}
	fprintf(out, "%s\n\n%s\n", has_options ? " [OPTIONS]" : "", cmd->description);

	if (has_args) {
		fprintf(out, "\nArguments:\n");
		for (const struct cli_option *o = cmd->options; o->name; o++) {
			if (!o->positional || !o->help)
				continue;
			snprintf(left, sizeof(left), "  %s", o->metavar);
			print_item(out, left, o->help, NULL);
		}
	}

	fprintf(out, "\nOptions:\n");
	for (const struct cli_option *o = cmd->options; o->name; o++) {
		if (o->positional)
			continue;
		if (o->short_name)
			snprintf(left, sizeof(left), "  -%c, --%s%s%s", o->short_name, o->name,
				 o->metavar ? " " : "", o->metavar ? o->metavar : "");
		else
			snprintf(left, sizeof(left), "      --%s%s%s", o->name, o->metavar ? " " : "",
				 o->metavar ? o->metavar : "");
		print_item(out, left, o->help, o->type == CLI_OPT_ENUM ? o->enums : NULL);
	}
	print_item(out, "  -v, --verbose",
		   "explain failures (libbpf, libxdp messages); twice for debug output", NULL);
	print_item(out, "  -h, --help", "show this help", NULL);
}
