// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Dot11ExtSetKeyMappingKey over the native key API. Every check of the call and its ucKey
 * blob runs before anything is written, and the native call undoes its own partial work
 * (see keys.c), so a refused call leaves the maps exactly as they were. Failures travel as
 * negative errno values and become Win32 codes in one place, win32_error().
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

static __u64 pn_from_iv48(const UCHAR iv48[6])
{
	__u64 pn = 0;

	for (int i = 5; i >= 0; i--)
		pn = pn << 8 | iv48[i];
	return pn;
}

/* A key as ucKey carries it, checked: what the native set_key takes. */
struct blob_key {
	__u32 cipher;	/* enum dot11xdp_cipher */
	const UCHAR *tk; /* inside the caller's ucKey */
	__u32 tk_len;
	__u64 rx_pn;
};

/*
 * The AES ciphers' blobs: a 6-byte ucIV48Counter, the ULONG key length at len_off, the key
 * at key_off (DOT11_KEY_ALGO_CCMP, _GCMP, _GCMP_256, all laid out alike). The inner length
 * must be the cipher's, and usKeyLength must hold that many key bytes: at least key_off +
 * key length (a caller counting the struct's tail padding passes 3 more; those are ignored).
 */
static int parse_aes_blob(const DOT11_CIPHER_KEY_MAPPING_KEY_VALUE *pKey, size_t len_off,
			  size_t key_off, __u32 cipher, ULONG key_len, struct blob_key *out)
{
	ULONG inner;

	if (pKey->usKeyLength < key_off)
		return ERR_BAD_BLOB;
	/* The blob sits at offset 20 of the caller's buffer: copy, do not assume alignment. */
	memcpy(&inner, pKey->ucKey + len_off, sizeof(inner));
	if (inner != key_len || pKey->usKeyLength - key_off < inner)
		return ERR_BAD_BLOB;
	out->cipher = cipher;
	out->tk = pKey->ucKey + key_off;
	out->tk_len = inner;
	out->rx_pn = pn_from_iv48(pKey->ucKey);
	return 0;
}

/*
 * DOT11_KEY_ALGO_TKIP_MIC: ulTKIPKeyLength 16 and ulMICKeyLength 16, then that many bytes:
 * the TK, the Michael key of received frames, the Michael key of transmitted frames. The
 * 32 bytes go on in that (Windows') order: TK | RX MIC key | TX MIC key.
 */
static int parse_tkip_blob(const DOT11_CIPHER_KEY_MAPPING_KEY_VALUE *pKey,
			   struct blob_key *out)
{
	const size_t header = FIELD_OFFSET(DOT11_KEY_ALGO_TKIP_MIC, ucTKIPMICKeys);
	DOT11_KEY_ALGO_TKIP_MIC tkip;

	if (pKey->usKeyLength < header)
		return ERR_BAD_BLOB;
	memcpy(&tkip, pKey->ucKey, header);
	if (tkip.ulTKIPKeyLength != 16 || tkip.ulMICKeyLength != 16 ||
	    pKey->usKeyLength - header < 16 + 16)
		return ERR_BAD_BLOB;
	out->cipher = DOT11XDP_CIPHER_TKIP;
	out->tk = pKey->ucKey + header;
	out->tk_len = 16 + 16;
	out->rx_pn = pn_from_iv48(tkip.ucIV48Counter); /* the TSC */
	return 0;
}

/*
 * WEP: ucKey is the raw key, usKeyLength its length: 5 bytes for WEP40, 13 for WEP104. WEP
 * (0x101) is Windows' "key of any length" up to what the station supports
 * (uWEPKeyValueMaxLength); dot11xdp supports the two lengths 802.11 defines, so it takes 5
 * or 13 and stores the key as WEP40 or WEP104. WEP has no replay counter.
 */
static int parse_wep_blob(const DOT11_CIPHER_KEY_MAPPING_KEY_VALUE *pKey, ULONG algo,
			  struct blob_key *out)
{
	USHORT len = pKey->usKeyLength;

	if (len == 5 && algo != DOT11_CIPHER_ALGO_WEP104) /* WEP40, or WEP of 40 bits */
		out->cipher = DOT11XDP_CIPHER_WEP40;
	else if (len == 13 && algo != DOT11_CIPHER_ALGO_WEP40) /* WEP104, or WEP of 104 bits */
		out->cipher = DOT11XDP_CIPHER_WEP104;
	else
		return ERR_BAD_BLOB;
	out->tk = pKey->ucKey;
	out->tk_len = len;
	out->rx_pn = 0;
	return 0;
}

/*
 * ucKey for AlgorithmId, per cipher (windot11.h documents each blob). -EOPNOTSUPP for what
 * is not a standard pairwise cipher (NONE, the group placeholders, BIP, the IHV range,
 * unassigned values), before the blob is looked at; ERR_BAD_BLOB for a malformed blob.
 */
static int parse_blob(const DOT11_CIPHER_KEY_MAPPING_KEY_VALUE *pKey, ULONG algo,
		      struct blob_key *out)
{
	/* The IHV range is opaque to us; compare unsigned, whatever the compiler made the enum. */
	if (algo >= (ULONG)DOT11_CIPHER_ALGO_IHV_START)
		return -EOPNOTSUPP;
	switch (algo) {
	case DOT11_CIPHER_ALGO_CCMP:
		return parse_aes_blob(pKey, FIELD_OFFSET(DOT11_KEY_ALGO_CCMP, ulCCMPKeyLength),
				      FIELD_OFFSET(DOT11_KEY_ALGO_CCMP, ucCCMPKey),
				      DOT11XDP_CIPHER_CCMP, 16, out);
	case DOT11_CIPHER_ALGO_CCMP_256:
		/* No SDK structure: DOT11_KEY_ALGO_CCMP's layout with a 32-byte key. */
		return parse_aes_blob(pKey, FIELD_OFFSET(DOT11_KEY_ALGO_CCMP, ulCCMPKeyLength),
				      FIELD_OFFSET(DOT11_KEY_ALGO_CCMP, ucCCMPKey),
				      DOT11XDP_CIPHER_CCMP_256, 32, out);
	case DOT11_CIPHER_ALGO_GCMP:
		return parse_aes_blob(pKey, FIELD_OFFSET(DOT11_KEY_ALGO_GCMP, ulGCMPKeyLength),
				      FIELD_OFFSET(DOT11_KEY_ALGO_GCMP, ucGCMPKey),
				      DOT11XDP_CIPHER_GCMP, 16, out);
	case DOT11_CIPHER_ALGO_GCMP_256:
		return parse_aes_blob(pKey,
				      FIELD_OFFSET(DOT11_KEY_ALGO_GCMP_256, ulGCMP256KeyLength),
				      FIELD_OFFSET(DOT11_KEY_ALGO_GCMP_256, ucGCMP256Key),
				      DOT11XDP_CIPHER_GCMP_256, 32, out);
	case DOT11_CIPHER_ALGO_TKIP:
		return parse_tkip_blob(pKey, out);
	case DOT11_CIPHER_ALGO_WEP40:
	case DOT11_CIPHER_ALGO_WEP104:
	case DOT11_CIPHER_ALGO_WEP:
		return parse_wep_blob(pKey, algo, out);
	default:
		return -EOPNOTSUPP;
	}
}

static int set_key_mapping_key(struct dot11xdp_adapter *adapter,
			       const DOT11_CIPHER_KEY_MAPPING_KEY_VALUE *pKey)
{
	struct dot11xdp_key_id id;
	struct blob_key blob;
	ULONG direction;
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
	err = parse_blob(pKey, (ULONG)pKey->AlgorithmId, &blob);
	if (err)
		return err;
	/*
	 * -EOPNOTSUPP from here: this build has no key material (or data path) for the cipher
	 * on the adapter's engine, ERROR_NOT_SUPPORTED like an unknown cipher.
	 */
	return native_error(dot11xdp_adapter__set_key(adapter, &id, blob.cipher, blob.tk,
						      blob.tk_len, blob.rx_pn,
						      pKey->bStatic ? DOT11XDP_KEY_STATIC : 0));
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
