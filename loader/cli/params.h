/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Commands and their options described by tables: one parser, one usage printer, and the help
 * text next to each option. A command's options land in a struct of its own, at the offsets
 * the table gives.
 */
#ifndef DOT11XDP_CLI_PARAMS_H
#define DOT11XDP_CLI_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

/* Exit statuses: a runtime failure, and a command line that could not be understood. */
#define CLI_EXIT_FAILURE 1
#define CLI_EXIT_USAGE 2

enum cli_opt_type {
	CLI_OPT_FLAG,	 /* bool */
	CLI_OPT_U64,	 /* __u64 within [min, max] */
	CLI_OPT_U32,	 /* __u32 within [min, max] */
	CLI_OPT_STRING,	 /* const char * */
	CLI_OPT_IFNAME,	 /* const char *, a valid interface name */
	CLI_OPT_MAC,	 /* struct cli_mac */
	CLI_OPT_ENUM,	 /* unsigned int, from the option's name table */
	CLI_OPT_STRINGS, /* struct cli_strings: the option may be repeated */
};

struct cli_enum_val {
	const char *name;
	unsigned int value;
};

struct cli_mac {
	bool set;
	__u8 addr[6];
};

struct cli_strings {
	unsigned int count;
	char **values; /* point into argv, in command-line order */
};

struct cli_option {
	const char *name;    /* long option without "--", or the name of a positional */
	char short_name;     /* 0: none */
	enum cli_opt_type type;
	bool positional;     /* in command-line order among the positionals */
	bool required;	     /* positionals only: optional ones must come last */
	size_t offset;	     /* where the value goes in the command's options struct */
	const char *metavar; /* argument shown in the usage; NULL for a flag */
	const char *help;
	const struct cli_enum_val *enums; /* CLI_OPT_ENUM: NULL-terminated */
	__u64 min, max;			  /* CLI_OPT_U64/U32 */
};

#define CLI_OPTIONS_END { .name = NULL }

struct cli_command {
	const char *name;    /* "attach", or "key add" for a subcommand */
	const char *summary; /* one line, for the command list */
	const char *description;
	const struct cli_option *options;
	size_t opts_size;     /* sizeof the options struct */
	const void *defaults; /* initial value of the options struct, or NULL for zeroes */
	int (*run)(const void *opts); /* returns an exit status */
};

/* Global state set by common options. */
extern int cli_verbose;

/*
 * Parse argv (the words after the command name) into opts for cmd. On a usage error prints
 * one line and returns CLI_EXIT_USAGE; for --help prints the usage and returns 0 with
 * *help_shown set; else returns 0.
 */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, void *opts, bool *help_shown);

void cli_print_usage(const struct cli_command *cmd, FILE *out);

/* The name of value in an enum table, or "?" */
const char *cli_enum_name(const struct cli_enum_val *vals, unsigned int value);

#endif
