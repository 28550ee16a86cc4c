// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * How IHV code sets a pairwise key through dot11xdp. PlumbPairwiseKey() is written exactly as
 * for Windows (wlanihv.h, windot11.h): the FIELD_OFFSET sizing idiom, DOT11_KEY_ALGO_CCMP in
 * ucKey, Dot11ExtSetKeyMappingKey. Only the handle differs: on Windows the service hands it to
 * Dot11ExtIhvInitAdapter; here dot11xdp_adapter__open() attaches to a monitor interface.
 *
 *   cc ihv_set_key.c $(pkg-config --cflags --libs dot11xdp) -o ihv_set_key
 *   ./ihv_set_key mon0 00:13:ce:55:98:ef 0ab0404984be2ef15086aa997804f47e
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windot11.h> /* Microsoft's header name: dot11xdp's pkg-config cflags serve it */
#include <dot11xdp/dot11xdp.h>

/* ---- Windows IHV code, unchanged ---- */
static DWORD PlumbPairwiseKey(HANDLE hDot11SvcHandle, const DOT11_MAC_ADDRESS peer,
			      const UCHAR tk[16], ULONGLONG initialRxPn)
{
	ULONG blobLength = FIELD_OFFSET(DOT11_KEY_ALGO_CCMP, ucCCMPKey) + 16;
	ULONG size = FIELD_OFFSET(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, ucKey) + blobLength;
	PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE pKey = calloc(1, size);
	PDOT11_KEY_ALGO_CCMP pCcmp;
	DWORD dwError;
	int i;

	if (pKey == NULL)
		return ERROR_NOT_ENOUGH_MEMORY;
	memcpy(pKey->PeerMacAddr, peer, sizeof(DOT11_MAC_ADDRESS));
	pKey->AlgorithmId = DOT11_CIPHER_ALGO_CCMP;
	pKey->Direction = DOT11_DIR_BOTH;
	pKey->bDelete = FALSE;
	pKey->bStatic = FALSE;
	pKey->usKeyLength = (USHORT)blobLength;
	pCcmp = (PDOT11_KEY_ALGO_CCMP)pKey->ucKey;
	for (i = 0; i < 6; i++) /* little-endian: ucIV48Counter[0] is PN0 */
		pCcmp->ucIV48Counter[i] = (UCHAR)(initialRxPn >> (8 * i));
	pCcmp->ulCCMPKeyLength = 16;
	memcpy(pCcmp->ucCCMPKey, tk, 16);

	dwError = Dot11ExtSetKeyMappingKey(hDot11SvcHandle, pKey);

	memset(pCcmp->ucCCMPKey, 0, 16);
	free(pKey);
	return dwError;
}
/* ---- end of Windows code ---- */

static int parse_hex(const char *s, UCHAR *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		while (*s == ':')
			s++;
		if (sscanf(s, "%2hhx", &out[i]) != 1)
			return -1;
		s += 2;
	}
	return *s ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct dot11xdp_adapter *adapter;
	DOT11_MAC_ADDRESS peer;
	UCHAR tk[16];
	DWORD dwError;

	if (argc != 4 || parse_hex(argv[2], peer, sizeof(peer)) || parse_hex(argv[3], tk, sizeof(tk))) {
		fprintf(stderr, "usage: %s IFNAME PEER_MAC TK_HEX(16 bytes)\n", argv[0]);
		return 2;
	}
	adapter = dot11xdp_adapter__open(argv[1], NULL);
	if (!adapter) {
		perror("dot11xdp_adapter__open");
		return 1;
	}
	dwError = PlumbPairwiseKey(dot11xdp_adapter__handle(adapter), peer, tk, 0);
	memset(tk, 0, sizeof(tk));
	dot11xdp_adapter__close(adapter); /* the program stays attached, the key stays set */
	if (dwError != ERROR_SUCCESS) {
		fprintf(stderr, "Dot11ExtSetKeyMappingKey failed: Win32 error %u\n", dwError);
		return 1;
	}
	printf("key set for %s on %s\n", argv[2], argv[1]);
	return 0;
}
