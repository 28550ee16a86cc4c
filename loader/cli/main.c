// SPDX-License-Identifier: GPL-2.0
/* dot11xdp: the command-line tool over libdot11xdp. */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "util.h"

static const struct cli_command *const commands[] = {
	&cmd_attach, &cmd_detach,     &cmd_status, &cmd_key_add, &cmd_key_del, &cmd_key_list,
	&cmd_disconnect, &cmd_reset, &cmd_stats,  &cmd_decrypt,
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "Usage: dot11xdp [-v] COMMAND [ARGS] [OPTIONS]\n\n"
		     "Decrypt 802.11 frames in XDP on a monitor-mode interface, with keys set through\n"
		     "a Windows-compatible API (Dot11ExtSetKeyMappingKey).\n\nCommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-12s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out, "\n'dot11xdp COMMAND --help' describes a command's arguments and options.\n");
}

/* "key add" takes two words of argv; every other command one. */
static const struct cli_command *find_command(int argc, char **argv, int *words)
{
	for (size_t i = 0; i < N_COMMANDS; i++) {
		const char *name = commands[i]->name, *space = strchr(name, ' ');

		if (!space && !strcmp(argv[0], name)) {
			*words = 1;
			return commands[i];
		}
		if (space && argc >= 2 && !strncmp(argv[0], name, space - name) &&
		    !argv[0][space - name] && !strcmp(argv[1], space + 1)) {
			*words = 2;
			return commands[i];
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const struct cli_command *cmd;
	bool help_shown;
	void *opts;
	int words, rc;

	argc--;
	argv++;
	while (argc && (!strcmp(argv[0], "-v") || !strcmp(argv[0], "--verbose"))) {
		cli_verbose++;
		argc--;
		argv++;
	}
	if (!argc) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help") || !strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[0], "-V") || !strcmp(argv[0], "--version") || !strcmp(argv[0], "version")) {
		printf("dot11xdp %s\n", DOT11XDP_VERSION);
		return 0;
	}

	cmd = find_command(argc, argv, &words);
	if (!cmd) {
		if (!strcmp(argv[0], "key"))
			fprintf(stderr, "dot11xdp: 'key' needs add, del or list (see 'dot11xdp --help')\n");
		else
			fprintf(stderr, "dot11xdp: unknown command '%s' (see 'dot11xdp --help')\n",
				argv[0]);
		return CLI_EXIT_USAGE;
	}
	opts = calloc(1, cmd->opts_size);
	if (!opts) {
		cli_err("out of memory");
		return CLI_EXIT_FAILURE;
	}
	rc = cli_parse(cmd, argc - words, argv + words, opts, &help_shown);
	if (!rc && !help_shown) {
		cli_setup_logging();
		rc = cmd->run(opts);
	}
	free(opts);
	return rc;
}
