// SPDX-License-Identifier: GPL-2.0
/*
 * windot11.h against spec/windows-api.md: every size, offset and value below is written
 * from the spec (the Windows SDK, mingw-w64 and the DDI docs), not computed from the header.
 * Also: the header builds under -Wpedantic, beside headers that define the same macros, and
 * through the Microsoft header names; the library exports only its API.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dot11xdp/windot11.h>
#include <dot11xdp/dot11xdp.h>

#include "testlib.h"

#define STR(x) #x
#define XSTR(x) STR(x)

static void check_base_types(void)
{
	test_check(sizeof(UCHAR) == 1 && sizeof(BYTE) == 1, "UCHAR and BYTE are 1 byte");
	test_check(sizeof(USHORT) == 2 && sizeof(WORD) == 2, "USHORT and WORD are 2 bytes");
	test_check(sizeof(ULONG) == 4, "ULONG is 4 bytes (Windows is LLP64)");
	test_check(sizeof(DWORD) == 4, "DWORD is 4 bytes");
	test_check(sizeof(LONG) == 4, "LONG is 4 bytes");
	test_check(sizeof(BOOLEAN) == 1, "BOOLEAN is 1 byte");
	test_check(sizeof(BOOL) == 4, "BOOL is 4 bytes");
	test_check(sizeof(HANDLE) == sizeof(void *) && sizeof(PVOID) == sizeof(void *) &&
			   sizeof(LPVOID) == sizeof(void *),
		   "HANDLE, PVOID and LPVOID are pointers");
	test_check((ULONG)-1 > 0 && (DWORD)-1 > 0 && (USHORT)-1 > 0 && (UCHAR)-1 > 0,
		   "ULONG, DWORD, USHORT and UCHAR are unsigned");
	test_check((LONG)-1 < 0 && (BOOL)-1 < 0, "LONG and BOOL are signed");
	test_check(TRUE == 1 && FALSE == 0, "TRUE is 1, FALSE is 0");
	test_check(!strcmp(XSTR(WINAPI), ""), "WINAPI expands to nothing");
	test_check(sizeof(DOT11_MAC_ADDRESS) == 6, "DOT11_MAC_ADDRESS is 6 bytes");
	test_check(sizeof(PDOT11_MAC_ADDRESS) == sizeof(void *) &&
			   sizeof(*(PDOT11_MAC_ADDRESS)0) == 6,
		   "PDOT11_MAC_ADDRESS points to the 6-byte array");
}

static void check_cipher_values(void)
{
	static const struct {
		const char *name;
		ULONG got, want;
	} v[] = {
		{ "NONE", DOT11_CIPHER_ALGO_NONE, 0x00 },
		{ "WEP40", DOT11_CIPHER_ALGO_WEP40, 0x01 },
		{ "TKIP", DOT11_CIPHER_ALGO_TKIP, 0x02 },
		{ "CCMP", DOT11_CIPHER_ALGO_CCMP, 0x04 },
		{ "WEP104", DOT11_CIPHER_ALGO_WEP104, 0x05 },
		{ "BIP", DOT11_CIPHER_ALGO_BIP, 0x06 },
		{ "GCMP", DOT11_CIPHER_ALGO_GCMP, 0x08 },
		{ "GCMP_256", DOT11_CIPHER_ALGO_GCMP_256, 0x09 },
		{ "CCMP_256", DOT11_CIPHER_ALGO_CCMP_256, 0x0a },
		{ "BIP_GMAC_128", DOT11_CIPHER_ALGO_BIP_GMAC_128, 0x0b },
		{ "BIP_GMAC_256", DOT11_CIPHER_ALGO_BIP_GMAC_256, 0x0c },
		{ "BIP_CMAC_256", DOT11_CIPHER_ALGO_BIP_CMAC_256, 0x0d },
		{ "WPA_USE_GROUP", DOT11_CIPHER_ALGO_WPA_USE_GROUP, 0x100 },
		{ "RSN_USE_GROUP", DOT11_CIPHER_ALGO_RSN_USE_GROUP, 0x100 },
		{ "WEP", DOT11_CIPHER_ALGO_WEP, 0x101 },
		{ "IHV_START", DOT11_CIPHER_ALGO_IHV_START, 0x80000000u },
		{ "IHV_END", DOT11_CIPHER_ALGO_IHV_END, 0xffffffffu },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		test_check(v[i].got == v[i].want, "DOT11_CIPHER_ALGO_%s is 0x%x (got 0x%x)", v[i].name,
			   v[i].want, v[i].got);
	test_check(sizeof(DOT11_CIPHER_ALGORITHM) == 4, "DOT11_CIPHER_ALGORITHM is 4 bytes");
	test_check(sizeof(PDOT11_CIPHER_ALGORITHM) == sizeof(void *),
		   "PDOT11_CIPHER_ALGORITHM is a pointer type");
	/* The SDK's tag is _DOT11_CIPHER_ALGORITHM: code may name it. */
	enum _DOT11_CIPHER_ALGORITHM tagged = DOT11_CIPHER_ALGO_CCMP;
	test_check(tagged == 4, "enum _DOT11_CIPHER_ALGORITHM is the tag");
}

static void check_directions(void)
{
	test_check(DOT11_DIR_INBOUND == 1 && DOT11_DIR_OUTBOUND == 2 && DOT11_DIR_BOTH == 3,
		   "DOT11_DIRECTION: INBOUND 1, OUTBOUND 2, BOTH 3");
	test_check(sizeof(DOT11_DIRECTION) == 4, "DOT11_DIRECTION is 4 bytes");
	enum DOT11_DIRECTION tagged = DOT11_DIR_BOTH; /* tag without underscore */
	test_check(tagged == 3 && sizeof(PDOT11_DIRECTION) == sizeof(void *),
		   "enum DOT11_DIRECTION tag and PDOT11_DIRECTION");
	test_check(dot11_key_direction_both == 1 && dot11_key_direction_inbound == 2 &&
			   dot11_key_direction_outbound == 3,
		   "DOT11_KEY_DIRECTION: both 1, inbound 2, outbound 3 (not DOT11_DIRECTION's order)");
	enum _DOT11_KEY_DIRECTION kd = dot11_key_direction_both;
	test_check(kd == 1 && sizeof(DOT11_KEY_DIRECTION) == 4, "enum _DOT11_KEY_DIRECTION tag");
}

static void check_key_mapping_value(void)
{
	/* The tag has no leading underscore in the SDK. */
	struct DOT11_CIPHER_KEY_MAPPING_KEY_VALUE *tagged = NULL;
	PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE p = tagged;

	test_check(offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, PeerMacAddr) == 0,
		   "PeerMacAddr at 0");
	test_check(offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, AlgorithmId) == 8,
		   "AlgorithmId at 8");
	test_check(offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, Direction) == 12, "Direction at 12");
	test_check(offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, bDelete) == 16, "bDelete at 16");
	test_check(offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, bStatic) == 17, "bStatic at 17");
	test_check(offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, usKeyLength) == 18,
		   "usKeyLength at 18");
	test_check(offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, ucKey) == 20, "ucKey at 20");
	test_check(FIELD_OFFSET(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, ucKey) == 20,
		   "FIELD_OFFSET(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, ucKey) is 20");
	test_check(sizeof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE) == 24,
		   "sizeof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE) is 24");
	test_check(sizeof(p->PeerMacAddr) == 6 && sizeof(p->bDelete) == 1 &&
			   sizeof(p->bStatic) == 1 && sizeof(p->usKeyLength) == 2 &&
			   sizeof(p->ucKey) == 1,
		   "member sizes 6/1/1/2/1");
	test_check(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE_BYTE_ARRAY_REVISION_1 == 1,
		   "DOT11_CIPHER_KEY_MAPPING_KEY_VALUE_BYTE_ARRAY_REVISION_1 is 1");
}

static void check_key_algo_blobs(void)
{
	test_check(offsetof(DOT11_KEY_ALGO_CCMP, ucIV48Counter) == 0 &&
			   offsetof(DOT11_KEY_ALGO_CCMP, ulCCMPKeyLength) == 8 &&
			   offsetof(DOT11_KEY_ALGO_CCMP, ucCCMPKey) == 12 &&
			   sizeof(DOT11_KEY_ALGO_CCMP) == 16,
		   "DOT11_KEY_ALGO_CCMP: 0/8/12, size 16");
	test_check(FIELD_OFFSET(DOT11_KEY_ALGO_CCMP, ucCCMPKey) + 16 == 28,
		   "an OS-derived CCMP blob is 28 bytes");
	test_check(sizeof(DOT11_KEY_ALGO_CCMP) - 1 + 16 == 31,
		   "sizeof() - 1 + 16 counts the tail padding: 31");
	test_check(offsetof(DOT11_KEY_ALGO_TKIP_MIC, ucIV48Counter) == 0 &&
			   offsetof(DOT11_KEY_ALGO_TKIP_MIC, ulTKIPKeyLength) == 8 &&
			   offsetof(DOT11_KEY_ALGO_TKIP_MIC, ulMICKeyLength) == 12 &&
			   offsetof(DOT11_KEY_ALGO_TKIP_MIC, ucTKIPMICKeys) == 16 &&
			   sizeof(DOT11_KEY_ALGO_TKIP_MIC) == 20,
		   "DOT11_KEY_ALGO_TKIP_MIC: 0/8/12/16, size 20");
	test_check(offsetof(DOT11_KEY_ALGO_GCMP, ucIV48Counter) == 0 &&
			   offsetof(DOT11_KEY_ALGO_GCMP, ulGCMPKeyLength) == 8 &&
			   offsetof(DOT11_KEY_ALGO_GCMP, ucGCMPKey) == 12 &&
			   sizeof(DOT11_KEY_ALGO_GCMP) == 16,
		   "DOT11_KEY_ALGO_GCMP: 0/8/12, size 16");
	test_check(offsetof(DOT11_KEY_ALGO_GCMP_256, ucIV48Counter) == 0 &&
			   offsetof(DOT11_KEY_ALGO_GCMP_256, ulGCMP256KeyLength) == 8 &&
			   offsetof(DOT11_KEY_ALGO_GCMP_256, ucGCMP256Key) == 12 &&
			   sizeof(DOT11_KEY_ALGO_GCMP_256) == 16,
		   "DOT11_KEY_ALGO_GCMP_256: 0/8/12, size 16");
	test_check(offsetof(DOT11_KEY_ALGO_BIP, ucIPN) == 0 &&
			   offsetof(DOT11_KEY_ALGO_BIP, ulBIPKeyLength) == 8 &&
			   offsetof(DOT11_KEY_ALGO_BIP, ucBIPKey) == 12 &&
			   sizeof(DOT11_KEY_ALGO_BIP) == 16,
		   "DOT11_KEY_ALGO_BIP: 0/8/12, size 16");
	test_check(offsetof(DOT11_KEY_ALGO_BIP_GMAC_256, ucIPN) == 0 &&
			   offsetof(DOT11_KEY_ALGO_BIP_GMAC_256, ulBIPGmac256KeyLength) == 8 &&
			   offsetof(DOT11_KEY_ALGO_BIP_GMAC_256, ucBIPGmac256Key) == 12 &&
			   sizeof(DOT11_KEY_ALGO_BIP_GMAC_256) == 16,
		   "DOT11_KEY_ALGO_BIP_GMAC_256: 0/8/12, size 16");
	/* Pointer typedefs and tags without underscore exist for each. */
	struct DOT11_KEY_ALGO_CCMP *c = (PDOT11_KEY_ALGO_CCMP)0;
	struct DOT11_KEY_ALGO_TKIP_MIC *t = (PDOT11_KEY_ALGO_TKIP_MIC)0;
	struct DOT11_KEY_ALGO_GCMP *g = (PDOT11_KEY_ALGO_GCMP)0;
	struct DOT11_KEY_ALGO_GCMP_256 *g2 = (PDOT11_KEY_ALGO_GCMP_256)0;
	struct DOT11_KEY_ALGO_BIP *b = (PDOT11_KEY_ALGO_BIP)0;
	struct DOT11_KEY_ALGO_BIP_GMAC_256 *b2 = (PDOT11_KEY_ALGO_BIP_GMAC_256)0;
	test_check(!c && !t && !g && !g2 && !b && !b2, "DOT11_KEY_ALGO_* tags and pointer types");
}

static void check_constants(void)
{
	test_check(DOT11_MAX_NUM_DEFAULT_KEY == 4, "DOT11_MAX_NUM_DEFAULT_KEY is 4");
	test_check(DOT11_MAX_NUM_DEFAULT_KEY_MFP == 6, "DOT11_MAX_NUM_DEFAULT_KEY_MFP is 6");
	/* Unparenthesised in the SDK: 2 * X expands to 2 * 4 + 2. */
	test_check(2 * DOT11_MAX_NUM_DEFAULT_KEY_MFP == 10,
		   "DOT11_MAX_NUM_DEFAULT_KEY_MFP is unparenthesised, as in the SDK");
}

static void check_error_codes(void)
{
	static const struct {
		const char *name;
		long got, want;
	} v[] = {
		{ "ERROR_SUCCESS", ERROR_SUCCESS, 0 },
		{ "NO_ERROR", NO_ERROR, 0 },
		{ "ERROR_ACCESS_DENIED", ERROR_ACCESS_DENIED, 5 },
		{ "ERROR_INVALID_HANDLE", ERROR_INVALID_HANDLE, 6 },
		{ "ERROR_NOT_ENOUGH_MEMORY", ERROR_NOT_ENOUGH_MEMORY, 8 },
		{ "ERROR_INVALID_DATA", ERROR_INVALID_DATA, 13 },
		{ "ERROR_GEN_FAILURE", ERROR_GEN_FAILURE, 31 },
		{ "ERROR_NOT_SUPPORTED", ERROR_NOT_SUPPORTED, 50 },
		{ "ERROR_INVALID_PARAMETER", ERROR_INVALID_PARAMETER, 87 },
		{ "ERROR_NO_SYSTEM_RESOURCES", ERROR_NO_SYSTEM_RESOURCES, 1450 },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		test_check(v[i].got == v[i].want, "%s is %ld (got %ld)", v[i].name, v[i].want,
			   v[i].got);
}

/* Code written for Windows: allocation idiom, memcpy into the array, the function pointer. */
static void check_windows_idioms(void)
{
	DOT11EXT_SET_KEY_MAPPING_KEY set_key = Dot11ExtSetKeyMappingKey;
	static const DOT11_MAC_ADDRESS peer = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	ULONG size = FIELD_OFFSET(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, ucKey) +
		     FIELD_OFFSET(DOT11_KEY_ALGO_CCMP, ucCCMPKey) + 16;
	PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE pKey = calloc(1, size);
	PDOT11_KEY_ALGO_CCMP ccmp;

	if (!pKey)
		test_fatal("out of memory");
	memcpy(pKey->PeerMacAddr, peer, sizeof(DOT11_MAC_ADDRESS));
	pKey->AlgorithmId = DOT11_CIPHER_ALGO_CCMP;
	pKey->Direction = DOT11_DIR_BOTH;
	pKey->bDelete = FALSE;
	pKey->bStatic = TRUE;
	pKey->usKeyLength = (USHORT)(size - FIELD_OFFSET(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, ucKey));
	ccmp = (PDOT11_KEY_ALGO_CCMP)pKey->ucKey;
	ccmp->ulCCMPKeyLength = 16;
	test_check(size == 48 && pKey->usKeyLength == 28 &&
			   (UCHAR *)ccmp->ucCCMPKey - (UCHAR *)pKey == 32,
		   "the Windows allocation idiom gives 48 bytes, the key at byte 32");
	/* No adapter behind this handle value: the call must refuse it without touching it. */
	test_check(set_key((HANDLE)(uintptr_t)0x10, pKey) == ERROR_INVALID_HANDLE,
		   "DOT11EXT_SET_KEY_MAPPING_KEY pointer to Dot11ExtSetKeyMappingKey is callable");
	free(pKey);
}

/* Compiles src with the system C compiler; returns its exit status. */
static int compile(const char *flags, const char *src)
{
	char cmd[1024];
	FILE *cc;

	snprintf(cmd, sizeof(cmd), "${CC:-gcc} %s -fsyntax-only -x c - 2>&1", flags);
	cc = popen(cmd, "w");
	if (!cc)
		test_fatal("cannot run the C compiler");
	fputs(src, cc);
	return pclose(cc);
}

static void check_builds(void)
{
	test_check(!compile("-std=c11 -Wall -Wextra -Wpedantic -Werror -Iinclude",
			    "#include <dot11xdp/windot11.h>\n"),
		   "windot11.h builds alone under -std=c11 -Wpedantic -Werror");
	test_check(!compile("-std=gnu99 -Wall -Wextra -Werror -Iinclude",
			    "#include <dot11xdp/windot11.h>\n#include <dot11xdp/dot11xdp.h>\n"),
		   "windot11.h and dot11xdp.h build together under gnu99");
	/* Another header defined the same macros first: the #ifndef guards keep quiet. */
	test_check(!compile("-std=c11 -Wall -Werror -Iinclude",
			    "#define ERROR_SUCCESS 0L\n#define ERROR_INVALID_PARAMETER 87L\n"
			    "#define TRUE 1\n#define FALSE 0\n#define WINAPI\n"
			    "#include <dot11xdp/windot11.h>\n"),
		   "windot11.h coexists with earlier definitions of its macros");
	/* Microsoft's spelling of the includes, through -I<includedir>/dot11xdp. */
	test_check(!compile("-std=c11 -Wall -Werror -Iinclude/dot11xdp",
			    "#include <windot11.h>\n#include <wlantypes.h>\n#include <wlanihv.h>\n"
			    "static DWORD call(HANDLE h, PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE k)\n"
			    "{ return Dot11ExtSetKeyMappingKey(h, k); }\n"
			    "DOT11EXT_SET_KEY_MAPPING_KEY p = Dot11ExtSetKeyMappingKey;\n"
			    "int use(void) { return call(0, 0) == ERROR_INVALID_HANDLE; }\n"),
		   "#include <windot11.h>, <wlantypes.h> and <wlanihv.h> build unchanged");
}

/* The shared library exports its API and nothing else. */
static void check_exports(void)
{
	const char *out = getenv("OUTPUT") ? getenv("OUTPUT") : "build";
	char cmd[512], line[512];
	int seen = 0, stray = 0;
	bool has_win = false;
	FILE *nm;

	snprintf(cmd, sizeof(cmd), "nm -D --defined-only %s/libdot11xdp.so", out);
	nm = popen(cmd, "r");
	if (!nm)
		test_fatal("cannot run nm");
	while (fgets(line, sizeof(line), nm)) {
		char type, name[256];

		if (sscanf(line, "%*s %c %255s", &type, name) != 2 || type == 'A')
			continue;
		*strchrnul(name, '@') = '\0';
		seen++;
		if (!strcmp(name, "Dot11ExtSetKeyMappingKey"))
			has_win = true;
		else if (strncmp(name, "dot11xdp_adapter__", 18) && strcmp(name, "dot11xdp_set_print")) {
			printf("# unexpected export: %s\n", name);
			stray++;
		}
	}
	test_check(!pclose(nm) && seen > 0, "nm lists libdot11xdp.so's symbols");
	test_check(has_win, "libdot11xdp.so exports Dot11ExtSetKeyMappingKey");
	test_check(!stray, "libdot11xdp.so exports nothing but its API (%d stray)", stray);
}

int main(void)
{
	check_base_types();
	check_cipher_values();
	check_directions();
	check_key_mapping_value();
	check_key_algo_blobs();
	check_constants();
	check_error_codes();
	check_windows_idioms();
	check_builds();
	check_exports();
	return test_done();
}
