/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Preparing a key's secret material for the data path's crypto engine. Internal to libdot11xdp. */
#ifndef DOT11XDP_MATERIAL_H
#define DOT11XDP_MATERIAL_H

#include <dot11xdp/dot11xdp_structs.h>

/*
 * Temporal key length in bytes a cipher takes, or 0 for a cipher the data path does not
 * decrypt yet (the key API refuses those; GCMP material can be prepared all the same).
 */
unsigned int dot11xdp_cipher_tk_len(__u32 cipher);

/*
 * Fill key->material (and key->cipher, key->tk_len, key->engine) for cipher with the temporal
 * key tk; GCMP (16 bytes) and GCMP-256 (32) too, AES material plus GHASH's H.
 * Returns 0, -EINVAL for a length the cipher does not take, -EOPNOTSUPP for a cipher or
 * engine this build does not handle. Wipes its own temporaries.
 */
int dot11xdp_material_prepare(struct dot11xdp_key *key, __u32 cipher, const __u8 *tk,
			      unsigned int tk_len, enum dot11xdp_engine engine);

/*
 * The AES part of the above for any AES cipher (CCMP-128/256, GCMP-128/256): fills
 * key->material (the key schedule for the table engine; zeros for the kfunc engine, whose
 * key lives in kernel contexts only), key->tk_len and key->engine for a 16- or 32-byte key,
 * leaves key->cipher. Returns 0, -EINVAL for another length, -EOPNOTSUPP for an unknown engine.
 */
int dot11xdp_material_prepare_aes(struct dot11xdp_key *key, const __u8 *tk, unsigned int tk_len,
				  enum dot11xdp_engine engine);

/*
 * GCMP's part, for either engine: GHASH's hash subkey H = AES_K(0^128) of the 16- or 32-byte
 * key tk into key->material.ghash_h (bpf/lib/ghash.h builds its table from it per frame).
 * Leaves the rest of key alone. Returns 0, or -EINVAL for another length. Wipes its own
 * temporaries.
 */
int dot11xdp_material_prepare_ghash(struct dot11xdp_key *key, const __u8 *tk, unsigned int tk_len);

/*
 * TKIP: tk is the 32 bytes of the Windows blob's ucTKIPMICKeys: the TK, the RX Michael key
 * (frames the key's peer sends), the TX Michael key (frames sent to the peer). Fills
 * key->material.tkip, key->tk_len (32) and key->engine, leaves key->cipher. Returns 0,
 * -EINVAL for another length, -EOPNOTSUPP for an unknown engine.
 */
int dot11xdp_material_prepare_tkip(struct dot11xdp_key *key, const __u8 *tk, unsigned int tk_len,
				   enum dot11xdp_engine engine);

/*
 * WEP-40 / WEP-104: the raw 5- or 13-byte key into key->material.wep, key->tk_len and
 * key->engine; leaves key->cipher. Returns 0, -EINVAL for another length, -EOPNOTSUPP for an
 * unknown engine.
 */
int dot11xdp_material_prepare_wep(struct dot11xdp_key *key, const __u8 *tk, unsigned int tk_len,
				  enum dot11xdp_engine engine);

#endif
