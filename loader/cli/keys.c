// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keys.h"
#include "util.h"

static const struct cli_cipher ciphers[] = {
	{ "ccmp", DOT11_CIPHER_ALGO_CCMP, CLI_BLOB_CCMP, { 16 } },
	{ "ccmp-256", DOT11_CIPHER_ALGO_CCMP_256, CLI_BLOB_CCMP, { 32 } },
	{ "gcmp", DOT11_CIPHER_ALGO_GCMP, CLI_BLOB_GCMP, { 16 } },
	{ "gcmp-256", DOT11_CIPHER_ALGO_GCMP_256, CLI_BLOB_GCMP_256, { 32 } },
	/* TK (16), then the two Michael keys (8 + 8): see cli_key_value_add(). */
	{ "tkip", DOT11_CIPHER_ALGO_TKIP, CLI_BLOB_TKIP, { 32 } },
	{ "wep40", DOT11_CIPHER_ALGO_WEP40, CLI_BLOB_RAW, { 5 } },
	{ "wep104", DOT11_CIPHER_ALGO_WEP104, CLI_BLOB_RAW, { 13 } },
	/* Windows' "WEP of any length"; the lengths that exist are 40 and 104 bits. */
	{ "wep", DOT11_CIPHER_ALGO_WEP, CLI_BLOB_RAW, { 5, 13 } },
};

#define N_CIPHERS (sizeof(ciphers) / sizeof(ciphers[0]))

const struct cli_enum_val cli_direction_names[] = {
	{ "in", DOT11_DIR_INBOUND },
	{ "out", DOT11_DIR_OUTBOUND },
	{ "both", DOT11_DIR_BOTH },
	{ NULL, 0 },
};

const struct cli_cipher *cli_cipher_by_name(const char *name)
{
	for (size_t i = 0; i < N_CIPHERS; i++)
		if (!strcmp(ciphers[i].name, name))
			return &ciphers[i];
	return NULL;
}

const char *cli_cipher_name(__u32 algo)
{
	for (size_t i = 0; i < N_CIPHERS; i++)
		if ((__u32)ciphers[i].algo == algo)
			return ciphers[i].name;
	return NULL;
}

const char *cli_cipher_list(void)
{
	return "ccmp, ccmp-256, gcmp, gcmp-256, tkip, wep40, wep104, wep";
}

int cli_key_from_hex(const struct cli_cipher *cipher, const char *hex, __u8 key[CLI_KEY_MAX])
{
	size_t bad_pos;
	int n = cli_parse_hex(hex, key, CLI_KEY_MAX, &bad_pos);

	if (n == -EINVAL && bad_pos > strlen(hex)) {
		cli_err("key material has an odd number of hex digits");
		return n;
	}
	if (n == -EINVAL) {
		cli_err("key material is not hex: bad character at position %zu "
			"(hex digits, optionally with a colon between bytes)", bad_pos);
		return n;
	}
	if (n >= 0 && ((unsigned int)n == cipher->key_len[0] ||
		       (cipher->key_len[1] && (unsigned int)n == cipher->key_len[1])))
		return n;

	if (cipher->key_len[1])
		cli_err("a %s key is %u or %u bytes (%u or %u hex digits), not %s%d", cipher->name,
			cipher->key_len[0], cipher->key_len[1], 2 * cipher->key_len[0],
			2 * cipher->key_len[1], n < 0 ? "more than " : "", n < 0 ? CLI_KEY_MAX : n);
	else
		cli_err("a %s key is %u bytes (%u hex digits), not %s%d%s", cipher->name,
			cipher->key_len[0], 2 * cipher->key_len[0], n < 0 ? "more than " : "",
			n < 0 ? CLI_KEY_MAX : n,
			cipher->blob == CLI_BLOB_TKIP ? " (TK, then the Michael keys AP->STA, STA->AP)"
						      : "");
	explicit_bzero(key, CLI_KEY_MAX);
	return -EINVAL;
}

int cli_read_key_line(char *buf, size_t size)
{
	size_t len;

	if (isatty(STDIN_FILENO))
		fprintf(stderr, "key (hex): ");
	if (!fgets(buf, (int)size, stdin)) {
		cli_err("no key material on standard input");
		return -EINVAL;
	}
	len = strcspn(buf, "\r\n");
	if (buf[len] == '\0' && len == size - 1) {
		explicit_bzero(buf, size);
		cli_err("key material on standard input is too long");
		return -E2BIG;
	}
	buf[len] = '\0';
	return 0;
}

/* The counter is 48 bits, PN0 (least significant) first, as Windows' samples read it. */
static void put_iv48(UCHAR iv[6], __u64 pn)
{
	for (int i = 0; i < 6; i++)
		iv[i] = (UCHAR)(pn >> (8 * i));
}

static PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE alloc_value(USHORT key_blob_len)
{
	size_t size = offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, ucKey) + key_blob_len;
	PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE value;

	if (size < sizeof(*value))
		size = sizeof(*value);
	value = calloc(1, size);
	if (value)
		value->usKeyLength = key_blob_len;
	return value;
}

PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE cli_key_value_add(const __u8 peer[6],
						      const struct cli_cipher *cipher,
						      DOT11_DIRECTION direction, bool is_static,
						      __u64 pn, const __u8 *key, unsigned int key_len)
{
	PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE value;
	USHORT blob_len;

	switch (cipher->blob) {
	case CLI_BLOB_CCMP:
		blob_len = offsetof(DOT11_KEY_ALGO_CCMP, ucCCMPKey) + key_len;
		break;
	case CLI_BLOB_GCMP:
		blob_len = offsetof(DOT11_KEY_ALGO_GCMP, ucGCMPKey) + key_len;
		break;
	case CLI_BLOB_GCMP_256:
		blob_len = offsetof(DOT11_KEY_ALGO_GCMP_256, ucGCMP256Key) + key_len;
		break;
	case CLI_BLOB_TKIP:
		blob_len = offsetof(DOT11_KEY_ALGO_TKIP_MIC, ucTKIPMICKeys) + key_len;
		break;
	default:
		blob_len = key_len;
		break;
	}

	value = alloc_value(blob_len);
	if (!value)
		return NULL;
	memcpy(value->PeerMacAddr, peer, 6);
	value->AlgorithmId = cipher->algo;
	value->Direction = direction;
	value->bDelete = FALSE;
	value->bStatic = is_static ? TRUE : FALSE;

	switch (cipher->blob) {
	case CLI_BLOB_CCMP: {
		PDOT11_KEY_ALGO_CCMP ccmp = (PDOT11_KEY_ALGO_CCMP)value->ucKey;

		put_iv48(ccmp->ucIV48Counter, pn);
		ccmp->ulCCMPKeyLength = key_len;
		memcpy(ccmp->ucCCMPKey, key, key_len);
		break;
	}
	case CLI_BLOB_GCMP: {
		PDOT11_KEY_ALGO_GCMP gcmp = (PDOT11_KEY_ALGO_GCMP)value->ucKey;

		put_iv48(gcmp->ucIV48Counter, pn);
		gcmp->ulGCMPKeyLength = key_len;
		memcpy(gcmp->ucGCMPKey, key, key_len);
		break;
	}
	case CLI_BLOB_GCMP_256: {
		PDOT11_KEY_ALGO_GCMP_256 gcmp = (PDOT11_KEY_ALGO_GCMP_256)value->ucKey;

		put_iv48(gcmp->ucIV48Counter, pn);
		gcmp->ulGCMP256KeyLength = key_len;
		memcpy(gcmp->ucGCMP256Key, key, key_len);
		break;
	}
	case CLI_BLOB_TKIP: {
		PDOT11_KEY_ALGO_TKIP_MIC tkip = (PDOT11_KEY_ALGO_TKIP_MIC)value->ucKey;

		/*
		 * The command line takes the TKIP part of the PTK in PTK order: TK, the Michael
		 * key for frames the AP sends, then the one for frames sent to the AP. Windows
		 * wants TK, then the RX MIC key, then the TX MIC key, seen from the station: the
		 * station receives what the AP sends, so that is the same order, copied as is.
		 */
		put_iv48(tkip->ucIV48Counter, pn);
		tkip->ulTKIPKeyLength = 16;
		tkip->ulMICKeyLength = key_len - 16;
		memcpy(tkip->ucTKIPMICKeys, key, key_len);
		break;
	}
	case CLI_BLOB_RAW:
		memcpy(value->ucKey, key, key_len);
		break;
	}
	return value;
}

PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE cli_key_value_delete(const __u8 peer[6],
							 DOT11_DIRECTION direction,
							 DOT11_CIPHER_ALGORITHM algo)
{
	PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE value = alloc_value(0);

	if (!value)
		return NULL;
	memcpy(value->PeerMacAddr, peer, 6);
	value->AlgorithmId = algo;
	value->Direction = direction;
	value->bDelete = TRUE;
	return value;
}

void cli_key_value_free(PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE value)
{
	if (!value)
		return;
	explicit_bzero(value, offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, ucKey) +
				      value->usKeyLength);
	free(value);
}

void cli_report_key_error(DWORD rc, const char *where, const __u8 peer[6],
			  const char *cipher_name)
{
	char mac[CLI_MAC_STRLEN];

	cli_mac_str(peer, mac);
	switch (rc) {
	case ERROR_NOT_SUPPORTED:
		cli_err("cipher %s is not supported by this build", cipher_name);
		break;
	case ERROR_INVALID_PARAMETER:
		cli_err("%s refused the key for %s: the peer must be a unicast address and the "
			"direction in, out or both", where, mac);
		break;
	case ERROR_INVALID_DATA:
		cli_err("%s refused the %s key for %s as malformed (wrong key length for the cipher)",
			where, cipher_name, mac);
		break;
	case ERROR_NO_SYSTEM_RESOURCES:
		cli_err("the key table of %s is full; delete keys, or detach and attach again with "
			"a larger --key-table-size", where);
		break;
	case ERROR_ACCESS_DENIED:
		cli_err("permission denied updating the key maps of %s (run as root: CAP_BPF and "
			"CAP_SYS_ADMIN)", where);
		break;
	case ERROR_INVALID_HANDLE:
		cli_err("%s: the adapter handle was refused (ERROR_INVALID_HANDLE)", where);
		break;
	default:
		cli_err("%s: setting the key for %s failed (Win32 error %u%s)", where, mac,
			(unsigned int)rc, rc == ERROR_GEN_FAILURE ? ", ERROR_GEN_FAILURE" : "");
		break;
	}
}
