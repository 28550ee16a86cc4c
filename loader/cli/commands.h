/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands, and what several of them share: finding and opening an attached adapter. */
#ifndef DOT11XDP_CLI_COMMANDS_H
#define DOT11XDP_CLI_COMMANDS_H

#include <limits.h>
#include <stdbool.h>

#include <dot11xdp/dot11xdp.h>

#include "params.h"

extern const struct cli_command cmd_attach, cmd_detach, cmd_status, cmd_key_add, cmd_key_del,
	cmd_key_list, cmd_disconnect, cmd_reset, cmd_stats, cmd_decrypt;

/* <pin root>/<ifname>: where an attached interface's maps are pinned. */
const char *cli_pin_dir(const char *ifname, char buf[PATH_MAX]);

/* The interface has pinned dot11xdp maps (it was attached and not detached). */
bool cli_is_pinned(const char *ifname);

/*
 * Open the adapter of an interface that is already attached, for commands that manage keys or
 * read counters: they must not attach as a side effect. read_only for those that only look.
 * Prints one line and returns NULL when the interface is missing, not attached, or cannot be
 * opened.
 */
struct dot11xdp_adapter *cli_open_attached(const char *ifname, bool read_only);

/* Name of an enum dot11xdp_engine value. */
const char *cli_engine_name(unsigned int engine);

/* The --engine names: kfunc, table. */
extern const struct cli_enum_val cli_engine_names[];

#endif
