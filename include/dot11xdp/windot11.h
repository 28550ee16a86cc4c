/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The Windows Native Wi-Fi types and the key-mapping call libdot11xdp implements, with the
 * names, layouts and values of Microsoft's windot11.h, wlantypes.h and wlanihv.h, so code
 * written against those headers builds here unchanged (spec/windows-api.md has the sources).
 *
 * Windows is LLP64: ULONG and DWORD are 32 bits wide, so the base types are fixed-width
 * here, never `unsigned long`. Structures use natural alignment, as the SDK (no #pragma pack).
 *
 * Code that spells `#include <windot11.h>`, <wlantypes.h> or <wlanihv.h> builds with
 * -I<includedir>/dot11xdp: those three names all lead here. Define DOT11XDP_NO_WINTYPES
 * before including this header when another header already defined the Windows base types.
 */
#ifndef DOT11XDP_WINDOT11_H
#define DOT11XDP_WINDOT11_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef DOT11XDP_API
#define DOT11XDP_API __attribute__((visibility("default")))
#endif

/* Base types (windef.h, winnt.h), with their Windows sizes. */
#ifndef DOT11XDP_NO_WINTYPES
typedef char CHAR;
typedef uint8_t UCHAR, *PUCHAR;
typedef uint8_t BYTE, *PBYTE;
typedef int16_t SHORT;
typedef uint16_t USHORT, *PUSHORT;
typedef uint16_t WORD;
typedef int32_t INT;
typedef uint32_t UINT;
typedef int32_t LONG, *PLONG;
typedef uint32_t ULONG, *PULONG;
typedef uint32_t DWORD, *PDWORD;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef uint8_t BOOLEAN, *PBOOLEAN;
typedef int32_t BOOL;
typedef void *PVOID, *LPVOID;
typedef void *HANDLE, *PHANDLE;
#endif

#ifndef VOID
#define VOID void
#endif
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
/* Calling conventions: the Linux C ABI. */
#ifndef WINAPI
#define WINAPI
#endif
#ifndef APIENTRY
#define APIENTRY
#endif
#ifndef FIELD_OFFSET
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#endif
/* SAL annotations the SDK prototypes carry: documentation only. */
#ifndef _In_
#define _In_
#endif
#ifndef _In_opt_
#define _In_opt_
#endif
#ifndef _Out_
#define _Out_
#endif
#ifndef _Inout_
#define _Inout_
#endif

/* Win32 error codes (winerror.h) this library returns. */
#ifndef ERROR_SUCCESS
#define ERROR_SUCCESS 0L
#endif
#ifndef NO_ERROR
#define NO_ERROR 0L
#endif
#ifndef ERROR_ACCESS_DENIED
#define ERROR_ACCESS_DENIED 5L
#endif
#ifndef ERROR_INVALID_HANDLE
#define ERROR_INVALID_HANDLE 6L
#endif
#ifndef ERROR_NOT_ENOUGH_MEMORY
#define ERROR_NOT_ENOUGH_MEMORY 8L
#endif
#ifndef ERROR_INVALID_DATA
#define ERROR_INVALID_DATA 13L
#endif
#ifndef ERROR_GEN_FAILURE
#define ERROR_GEN_FAILURE 31L
#endif
#ifndef ERROR_NOT_SUPPORTED
#define ERROR_NOT_SUPPORTED 50L
#endif
#ifndef ERROR_INVALID_PARAMETER
#define ERROR_INVALID_PARAMETER 87L
#endif
#ifndef ERROR_NO_SYSTEM_RESOURCES
#define ERROR_NO_SYSTEM_RESOURCES 1450L
#endif

/* windot11.h: a MAC address is a bare 6-byte array (the struct form is MIDL-only). */
typedef UCHAR DOT11_MAC_ADDRESS[6];
typedef DOT11_MAC_ADDRESS *PDOT11_MAC_ADDRESS;

/*
 * wlantypes.h. IHV_START and IHV_END do not fit an int: MSVC makes them INT_MIN and -1,
 * GCC and Clang make the enum unsigned. Both are 4 bytes; compare as (ULONG)algo.
 */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif
typedef enum _DOT11_CIPHER_ALGORITHM {
	DOT11_CIPHER_ALGO_NONE = 0x00,
	DOT11_CIPHER_ALGO_WEP40 = 0x01,
	DOT11_CIPHER_ALGO_TKIP = 0x02,
	DOT11_CIPHER_ALGO_CCMP = 0x04,
	DOT11_CIPHER_ALGO_WEP104 = 0x05,
	DOT11_CIPHER_ALGO_BIP = 0x06,
	DOT11_CIPHER_ALGO_GCMP = 0x08,
	DOT11_CIPHER_ALGO_GCMP_256 = 0x09,
	DOT11_CIPHER_ALGO_CCMP_256 = 0x0a,
	DOT11_CIPHER_ALGO_BIP_GMAC_128 = 0x0b,
	DOT11_CIPHER_ALGO_BIP_GMAC_256 = 0x0c,
	DOT11_CIPHER_ALGO_BIP_CMAC_256 = 0x0d,
	DOT11_CIPHER_ALGO_WPA_USE_GROUP = 0x100,
	DOT11_CIPHER_ALGO_RSN_USE_GROUP = 0x100,
	DOT11_CIPHER_ALGO_WEP = 0x101,
	DOT11_CIPHER_ALGO_IHV_START = 0x80000000,
	DOT11_CIPHER_ALGO_IHV_END = 0xffffffff
} DOT11_CIPHER_ALGORITHM, *PDOT11_CIPHER_ALGORITHM;
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

/* windot11.h: the direction of a key-mapping key. */
typedef enum DOT11_DIRECTION {
	DOT11_DIR_INBOUND = 1,
	DOT11_DIR_OUTBOUND,
	DOT11_DIR_BOTH
} DOT11_DIRECTION, *PDOT11_DIRECTION;

/* windot11.h: the WEP-offload direction; numbered differently from DOT11_DIRECTION. */
typedef enum _DOT11_KEY_DIRECTION {
	dot11_key_direction_both = 1,
	dot11_key_direction_inbound = 2,
	dot11_key_direction_outbound = 3
} DOT11_KEY_DIRECTION, *PDOT11_KEY_DIRECTION;

/*
 * windot11.h: one key-mapping key, identified by (PeerMacAddr, Direction). usKeyLength
 * counts the bytes of ucKey, which holds a DOT11_KEY_ALGO_* structure for TKIP, CCMP
 * and GCMP, the raw key for WEP. Allocate FIELD_OFFSET(..., ucKey) + usKeyLength bytes.
 */
typedef struct DOT11_CIPHER_KEY_MAPPING_KEY_VALUE {
	DOT11_MAC_ADDRESS PeerMacAddr;
	DOT11_CIPHER_ALGORITHM AlgorithmId;
	DOT11_DIRECTION Direction;
	BOOLEAN bDelete;
	BOOLEAN bStatic;
	USHORT usKeyLength;
	UCHAR ucKey[1];
} DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, *PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE;

#define DOT11_CIPHER_KEY_MAPPING_KEY_VALUE_BYTE_ARRAY_REVISION_1 1

/* The SDK leaves the second one unparenthesised; so does this header. */
#define DOT11_MAX_NUM_DEFAULT_KEY 4
#define DOT11_MAX_NUM_DEFAULT_KEY_MFP DOT11_MAX_NUM_DEFAULT_KEY + 2

/*
 * windot11.h: the ucKey blobs. ucIV48Counter / ucIPN are little-endian (byte 0 is PN0). What
 * Dot11ExtSetKeyMappingKey takes in ucKey, by AlgorithmId (usKeyLength counts the whole blob;
 * more is accepted, the bytes after the key are ignored):
 *   DOT11_CIPHER_ALGO_CCMP      DOT11_KEY_ALGO_CCMP, ulCCMPKeyLength 16: usKeyLength >= 28
 *   DOT11_CIPHER_ALGO_CCMP_256  the SDK has no structure for it: DOT11_KEY_ALGO_CCMP's layout
 *                               with ulCCMPKeyLength 32 and a 32-byte ucCCMPKey (>= 44)
 *   DOT11_CIPHER_ALGO_GCMP      DOT11_KEY_ALGO_GCMP, ulGCMPKeyLength 16 (>= 28)
 *   DOT11_CIPHER_ALGO_GCMP_256  DOT11_KEY_ALGO_GCMP_256, ulGCMP256KeyLength 32 (>= 44)
 *   DOT11_CIPHER_ALGO_TKIP      DOT11_KEY_ALGO_TKIP_MIC, ulTKIPKeyLength 16, ulMICKeyLength 16:
 *                               the TK, the Michael key of received frames, the Michael key
 *                               of transmitted frames (>= 48)
 *   DOT11_CIPHER_ALGO_WEP40     the raw key, usKeyLength 5
 *   DOT11_CIPHER_ALGO_WEP104    the raw key, usKeyLength 13
 *   DOT11_CIPHER_ALGO_WEP       the raw key of "any length" the station supports: 5 or 13
 *                               (stored as WEP40 or WEP104); other lengths are malformed
 * ucIV48Counter is the first receive PN (TSC for TKIP): frames numbered at or below it are
 * replays. WEP has no counter. A wrong inner length or a usKeyLength too short for it is
 * ERROR_INVALID_DATA; NONE, WPA/RSN_USE_GROUP, the BIP ciphers and the IHV range are
 * ERROR_NOT_SUPPORTED.
 */
typedef struct DOT11_KEY_ALGO_TKIP_MIC {
	UCHAR ucIV48Counter[6];
	ULONG ulTKIPKeyLength;
	ULONG ulMICKeyLength;
	UCHAR ucTKIPMICKeys[1];
} DOT11_KEY_ALGO_TKIP_MIC, *PDOT11_KEY_ALGO_TKIP_MIC;

typedef struct DOT11_KEY_ALGO_CCMP {
	UCHAR ucIV48Counter[6];
	ULONG ulCCMPKeyLength;
	UCHAR ucCCMPKey[1];
} DOT11_KEY_ALGO_CCMP, *PDOT11_KEY_ALGO_CCMP;

typedef struct DOT11_KEY_ALGO_GCMP {
	UCHAR ucIV48Counter[6];
	ULONG ulGCMPKeyLength;
	UCHAR ucGCMPKey[1];
} DOT11_KEY_ALGO_GCMP, *PDOT11_KEY_ALGO_GCMP;

typedef struct DOT11_KEY_ALGO_GCMP_256 {
	UCHAR ucIV48Counter[6];
	ULONG ulGCMP256KeyLength;
	UCHAR ucGCMP256Key[1];
} DOT11_KEY_ALGO_GCMP_256, *PDOT11_KEY_ALGO_GCMP_256;

typedef struct DOT11_KEY_ALGO_BIP {
	UCHAR ucIPN[6];
	ULONG ulBIPKeyLength;
	UCHAR ucBIPKey[1];
} DOT11_KEY_ALGO_BIP, *PDOT11_KEY_ALGO_BIP;

typedef struct DOT11_KEY_ALGO_BIP_GMAC_256 {
	UCHAR ucIPN[6];
	ULONG ulBIPGmac256KeyLength;
	UCHAR ucBIPGmac256Key[1];
} DOT11_KEY_ALGO_BIP_GMAC_256, *PDOT11_KEY_ALGO_BIP_GMAC_256;

/*
 * wlanihv.h: add, replace (bDelete FALSE) or delete (bDelete TRUE) the key-mapping key
 * (PeerMacAddr, Direction) of the adapter hDot11SvcHandle (dot11xdp_adapter__handle()).
 * Returns ERROR_SUCCESS, or: ERROR_INVALID_HANDLE (NULL, closed or unknown handle),
 * ERROR_INVALID_PARAMETER (pKey NULL, Direction not 1-3, PeerMacAddr zero or group),
 * ERROR_NOT_SUPPORTED (AlgorithmId not a standard pairwise cipher, or one this build has no
 * key material for on the adapter's AES engine), ERROR_INVALID_DATA (ucKey blob malformed,
 * see above), ERROR_NO_SYSTEM_RESOURCES (key table, or the kfunc engine's context map, full),
 * ERROR_ACCESS_DENIED (no right to update the maps), ERROR_NOT_ENOUGH_MEMORY or
 * ERROR_GEN_FAILURE. On failure nothing changed. Deleting an absent key succeeds.
 */
typedef DWORD(WINAPI *DOT11EXT_SET_KEY_MAPPING_KEY)(_In_opt_ HANDLE hDot11SvcHandle,
						    _In_ PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE pKey);

DOT11XDP_API DWORD WINAPI Dot11ExtSetKeyMappingKey(_In_opt_ HANDLE hDot11SvcHandle,
						   _In_ PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE pKey);

/* The layouts the Windows ABI fixes (natural alignment, 32-bit ULONG). */
#ifndef __cplusplus
#define DOT11XDP_WIN_ASSERT(cond, msg) _Static_assert(cond, msg)
#else
#define DOT11XDP_WIN_ASSERT(cond, msg) static_assert(cond, msg)
#endif
DOT11XDP_WIN_ASSERT(sizeof(ULONG) == 4 && sizeof(DWORD) == 4 && sizeof(LONG) == 4,
		    "ULONG, DWORD and LONG are 32 bits on Windows");
DOT11XDP_WIN_ASSERT(sizeof(BOOLEAN) == 1 && sizeof(BOOL) == 4 && sizeof(USHORT) == 2,
		    "BOOLEAN is 1 byte, BOOL 4, USHORT 2");
DOT11XDP_WIN_ASSERT(sizeof(DOT11_MAC_ADDRESS) == 6, "DOT11_MAC_ADDRESS is UCHAR[6]");
DOT11XDP_WIN_ASSERT(sizeof(DOT11_CIPHER_ALGORITHM) == 4 && sizeof(DOT11_DIRECTION) == 4,
		    "the enums are 4 bytes ([v1_enum])");
DOT11XDP_WIN_ASSERT(offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, PeerMacAddr) == 0 &&
			    offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, AlgorithmId) == 8 &&
			    offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, Direction) == 12 &&
			    offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, bDelete) == 16 &&
			    offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, bStatic) == 17 &&
			    offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, usKeyLength) == 18 &&
			    offsetof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE, ucKey) == 20 &&
			    sizeof(DOT11_CIPHER_KEY_MAPPING_KEY_VALUE) == 24,
		    "DOT11_CIPHER_KEY_MAPPING_KEY_VALUE layout: 0/8/12/16/17/18/20, size 24");
DOT11XDP_WIN_ASSERT(offsetof(DOT11_KEY_ALGO_CCMP, ulCCMPKeyLength) == 8 &&
			    offsetof(DOT11_KEY_ALGO_CCMP, ucCCMPKey) == 12 &&
			    sizeof(DOT11_KEY_ALGO_CCMP) == 16,
		    "DOT11_KEY_ALGO_CCMP layout: 0/8/12, size 16");
DOT11XDP_WIN_ASSERT(offsetof(DOT11_KEY_ALGO_TKIP_MIC, ulTKIPKeyLength) == 8 &&
			    offsetof(DOT11_KEY_ALGO_TKIP_MIC, ulMICKeyLength) == 12 &&
			    offsetof(DOT11_KEY_ALGO_TKIP_MIC, ucTKIPMICKeys) == 16 &&
			    sizeof(DOT11_KEY_ALGO_TKIP_MIC) == 20,
		    "DOT11_KEY_ALGO_TKIP_MIC layout: 0/8/12/16, size 20");
DOT11XDP_WIN_ASSERT(offsetof(DOT11_KEY_ALGO_GCMP, ucGCMPKey) == 12 &&
			    sizeof(DOT11_KEY_ALGO_GCMP) == 16 &&
			    offsetof(DOT11_KEY_ALGO_GCMP_256, ucGCMP256Key) == 12 &&
			    sizeof(DOT11_KEY_ALGO_GCMP_256) == 16 &&
			    offsetof(DOT11_KEY_ALGO_BIP, ucBIPKey) == 12 &&
			    sizeof(DOT11_KEY_ALGO_BIP) == 16 &&
			    offsetof(DOT11_KEY_ALGO_BIP_GMAC_256, ucBIPGmac256Key) == 12 &&
			    sizeof(DOT11_KEY_ALGO_BIP_GMAC_256) == 16,
		    "GCMP, GCMP-256, BIP and BIP-GMAC-256 blobs: key at 12, size 16");
#undef DOT11XDP_WIN_ASSERT

#ifdef __cplusplus
}
#endif

#endif /* DOT11XDP_WINDOT11_H */
