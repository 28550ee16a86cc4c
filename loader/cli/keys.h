/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keys as an IHV client hands them to Windows: cipher names of the command line, the
 * DOT11_CIPHER_KEY_MAPPING_KEY_VALUE each one becomes, and what Dot11ExtSetKeyMappingKey's
 * answer means to the user.
 */
#ifndef DOT11XDP_CLI_KEYS_H
#define DOT11XDP_CLI_KEYS_H

#include <stdbool.h>
#include <linux/types.h>

#include <dot11xdp/windot11.h>
#include <dot11xdp/dot11xdp_structs.h>

#include "params.h"

/* How ucKey carries the key for a cipher. */
enum cli_key_blob {
	CLI_BLOB_CCMP,	   /* DOT11_KEY_ALGO_CCMP (also CCMP-256: no SDK structure, same layout) */
	CLI_BLOB_GCMP,	   /* DOT11_KEY_ALGO_GCMP */
	CLI_BLOB_GCMP_256, /* DOT11_KEY_ALGO_GCMP_256 */
	CLI_BLOB_TKIP,	   /* DOT11_KEY_ALGO_TKIP_MIC */
	CLI_BLOB_RAW,	   /* WEP: the key bytes themselves */
};

struct cli_cipher {
	const char *name; /* as typed on the command line */
	DOT11_CIPHER_ALGORITHM algo;
	enum cli_key_blob blob;
	unsigned int key_len[2]; /* accepted key lengths in bytes; [1] is 0 when only one */
};

/* Every cipher the command line knows; whether the library takes it is its own answer. */
extern const struct cli_enum_val cli_direction_names[];

const struct cli_cipher *cli_cipher_by_name(const char *name);
/* Name of a DOT11_CIPHER_ALGORITHM value (as stored in a key), or NULL. */
const char *cli_cipher_name(__u32 algo);
/* "ccmp, ccmp-256, ..." for messages. */
const char *cli_cipher_list(void);

/* The longest key any cipher takes: TKIP and the 256-bit ciphers, 32 bytes. */
#define CLI_KEY_MAX 32

/*
 * Key material for cipher from hex: checks the digits and the length for the cipher and says
 * what is wrong in one line (never echoing the key). Returns the length or a negative errno.
 */
int cli_key_from_hex(const struct cli_cipher *cipher, const char *hex, __u8 key[CLI_KEY_MAX]);

/* Read one line of hex key material from stdin into buf (for HEXKEY "-"). */
int cli_read_key_line(char *buf, size_t size);

/*
 * The DOT11_CIPHER_KEY_MAPPING_KEY_VALUE that adds key (bDelete FALSE), with the starting
 * receive PN in ucIV48Counter where the cipher has one. Free with cli_key_value_free(), which
 * wipes it. NULL on allocation failure.
 */
PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE cli_key_value_add(const __u8 peer[6],
						      const struct cli_cipher *cipher,
						      DOT11_DIRECTION direction, bool is_static,
						      __u64 pn, const __u8 *key, unsigned int key_len);

/* The value that deletes (peer, direction). */
PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE cli_key_value_delete(const __u8 peer[6],
							 DOT11_DIRECTION direction,
							 DOT11_CIPHER_ALGORITHM algo);

void cli_key_value_free(PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE value);

/* One line explaining a Dot11ExtSetKeyMappingKey failure; where names the adapter. */
void cli_report_key_error(DWORD rc, const char *where, const __u8 peer[6],
			  const char *cipher_name);

#endif
