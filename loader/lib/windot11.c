// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Dot11ExtSetKeyMappingKey over the native key API. Every check runs before anything is
 * written, and an add or replace is a single map update, so a refused call leaves the key
 * table exactly as it was. Failures travel as negative errno values and become Win32 codes
 * in one place, win32_error().
 */
#include <string.h>

#include <dot11xdp/windot11.h>

#include "internal.h"

/*
 * Errno values standing for the caller's mistakes Windows tells apart. Only this file's
 * checks produce them: errors of the native calls pass through native_error() first.
 */
#define ERR_BAD_PARAMETER (-EINVAL)  /* ERROR_INVALID_PARAMETER */
#define ERR_BAD_BLOB (-EBADMSG)	     /* ERROR_INVALID_DATA */
#define ERR_BAD_HANDLE (-EBADF)	     /* ERROR_INVALID_HANDLE */

static DWORD win32_error(int err)
{
	switch (err) {
	case 0:
		return ERROR_SUCCESS;
	case ERR_BAD_HANDLE:
		return ERROR_INVALID_HANDLE;
	case ERR_BAD_PARAMETER:
		return ERROR_INVALID_PARAMETER;
	case ERR_BAD_BLOB:
		return ERROR_INVALID_DATA;
	case -EOPNOTSUPP:
		return ERROR_NOT_SUPPORTED;
	case -E2BIG: /* the hash map is at max_entries */
		return ERROR_NO_SYSTEM_RESOURCES;
	case -EPERM:
	case -EACCES:
		return ERROR_ACCESS_DENIED;
	case -ENOMEM:
		return ERROR_NOT_ENOUGH_MEMORY;
	default:
		return ERROR_GEN_FAILURE;
	}
}

/*
 * What an error of the native key calls means to a Windows caller. All arguments were
 * checked before the call, so an EINVAL or EBADF there is the kernel's, not the caller's:
 * it must not read as ERROR_INVALID_PARAMETER or ERROR_INVALID_HANDLE.
 */
static int native_error(int err)
{
	switch (err) {
	case 0:
	case -EOPNOTSUPP: /* the key's engine cannot take this cipher */
	case -E2BIG:
	case -EPERM:
	case -EACCES:
	case -ENOMEM:
		return err;
	default:
		return -EIO;
	}
}

/* The ciphers this build decrypts, by DOT11_CIPHER_ALGORITHM value. */
static bool cipher_supported(ULONG algo)
{
	/* The IHV range is opaque to us; compare unsigned, whatever the compiler made the enum. */
	if (algo >= (ULONG)DOT11_CIPHER_ALGO_IHV_START)
		return false;
	switch (algo) {
	case DOT11_CIPHER_ALGO_CCMP:
		return true;
	default:
		return false;
	}
}

static __u64 pn_from_iv48(const UCHAR iv48[6])
{
	__u64 pn = 0;

	for (int i = 5; i >= 0; i--)
		pn = pn << 8 | iv48[i];
	return pn;
}

/*
 * ucKey of a CCMP key: a DOT11_KEY_ALGO_CCMP whose ulCCMPKeyLength is 16, with at least that
 * many key bytes within usKeyLength (28 = FIELD_OFFSET + 16; sizeof - 1 + 16 = 31 too).
 */
static int set_ccmp(struct dot11xdp_adapter *adapter, const struct dot11xdp_key_id *id,
		    const DOT11_CIPHER_KEY_MAPPING_KEY_VALUE *pKey)
{
	const size_t header = FIELD_OFFSET(DOT11_KEY_ALGO_CCMP, ucCCMPKey);
	DOT11_KEY_ALGO_CCMP ccmp;

	if (pKey->usKeyLength < header)
		return ERR_BAD_BLOB;
	/* The blob sits at offset 20 of the caller's buffer: copy, do not assume alignment. */
	memcpy(&ccmp, pKey->ucKey, header);
	if (ccmp.ulCCMPKeyLength != 16 || pKey->usKeyLength < header + ccmp.ulCCMPKeyLength)
		return ERR_BAD_BLOB;
	return native_error(dot11xdp_adapter__set_key(adapter, id, DOT11XDP_CIPHER_CCMP,
						      pKey->ucKey + header, ccmp.ulCCMPKeyLength,
						      pn_from_iv48(ccmp.ucIV48Counter),
						      pKey->bStatic ? DOT11XDP_KEY_STATIC : 0));
}

static int set_key_mapping_key(struct dot11xdp_adapter *adapter,
			       const DOT11_CIPHER_KEY_MAPPING_KEY_VALUE *pKey)
{
	struct dot11xdp_key_id id;
	ULONG direction, algo;
	int err;

	if (!pKey)
		return ERR_BAD_PARAMETER;
	direction = (ULONG)pKey->Direction;
	if (direction < DOT11_DIR_INBOUND || direction > DOT11_DIR_BOTH ||
	    !dot11xdp_mac_is_unicast(pKey->PeerMacAddr))
		return ERR_BAD_PARAMETER;
	memset(&id, 0, sizeof(id));
	memcpy(id.peer, pKey->PeerMacAddr, sizeof(id.peer));
	id.direction = (__u8)direction;

	/* A delete ignores AlgorithmId, bStatic, usKeyLength and ucKey; absent is fine. */
	if (pKey->bDelete) {
		err = dot11xdp_adapter__delete_key(adapter, &id);
		return err == -ENOENT ? 0 : native_error(err);
	}
	algo = (ULONG)pKey->AlgorithmId;
	if (!cipher_supported(algo))
		return -EOPNOTSUPP;
	switch (algo) {
	case DOT11_CIPHER_ALGO_CCMP:
		return set_ccmp(adapter, &id, pKey);
	default:
		return -EOPNOTSUPP;
	}
}

DWORD WINAPI Dot11ExtSetKeyMappingKey(HANDLE hDot11SvcHandle,
				      PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE pKey)
{
	struct dot11xdp_adapter *adapter;
	int err;

	adapter = dot11xdp_handle_get(hDot11SvcHandle);
	if (!adapter)
		return win32_error(ERR_BAD_HANDLE);
	err = set_key_mapping_key(adapter, pKey);
	dot11xdp_handle_put(adapter);
	return win32_error(err);
}
