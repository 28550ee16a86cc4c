#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `dot11xdp decrypt --ether` on the real TKIP and WEP captures against airdecap-ng and tshark:
# every frame we decrypt is airdecap-ng's byte for byte and airdecap-ng decrypts no other (it
# skips retransmissions too); tshark, which decrypts retransmissions, counts our decrypted
# frames plus our replays.
set -uo pipefail
cd "$(dirname "$0")/.."
. tests/lib/tap.sh
OUTPUT=${OUTPUT:-build}
SHARED=${SHARED:-../shared}
DOT11XDP=$OUTPUT/dot11xdp
CAPS=$SHARED/testdata/captures

for tool in airdecap-ng tshark tcpdump; do
	command -v "$tool" >/dev/null || fatal "offline-ciphers: $tool is not installed (make deps)"
done
[ -x "$DOT11XDP" ] || fatal "offline-ciphers: $DOT11XDP is not built"
TMP=$(mktemp -d /tmp/dot11xdp-offline-ciphers.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# "TIMESTAMP HEX" per frame, as tcpdump -tt prints them.
frames() {
	tcpdump -r "$1" -tt -xx -nn 2>/dev/null | awk '
		/^[0-9]/ { if (ts != "") print ts, hex; ts = $1; hex = ""; next }
		/^\t0x/ { for (i = 2; i <= NF; i++) hex = hex $i }
		END { if (ts != "") print ts, hex }' | sort
}
outcome() { sed -n "s/.*\"outcomes\":{\([^}]*\)}.*/\1/p" "$1" | tr ',' '\n' |
	sed -n "s/^\"$2\":\([0-9]*\)$/\1/p"; }

# compare NAME CAPTURE AIRDECAP_ARGS TSHARK_KEY TSHARK_FILTER KEY_ARG...
compare() {
	local name=$1 cap=$2 airdecap_args=$3 tshark_key=$4 tshark_filter=$5
	shift 5
	local base
	base=$(basename "$cap" .cap)

	if ! "$DOT11XDP" decrypt --ether --json "$@" "$cap" "$TMP/$base.eth" >"$TMP/$base.json" \
		2>"$TMP/$base.err"; then
		not_ok "$name: dot11xdp decrypt exits 0" "$(head -3 "$TMP/$base.err")"
		return
	fi
	ok "$name: dot11xdp decrypt exits 0"
	cp "$cap" "$TMP/$base-in.cap"
	# shellcheck disable=SC2086 # the airdecap-ng arguments are words
	(cd "$TMP" && airdecap-ng $airdecap_args "$base-in.cap" >"$base-airdecap.log" 2>&1)
	check "$name: airdecap-ng decrypts the capture" [ -s "$TMP/$base-in-dec.cap" ]
	frames "$TMP/$base.eth" >"$TMP/$base.ours"
	frames "$TMP/$base-in-dec.cap" >"$TMP/$base.airdecap"

	local ours decrypted replays only_ours only_airdecap tshark_n
	ours=$(wc -l <"$TMP/$base.ours")
	decrypted=$(outcome "$TMP/$base.json" decrypted)
	replays=$(outcome "$TMP/$base.json" replay)
	check_eq "$name: every decrypted frame is written as Ethernet" "$ours" "$decrypted"
	check "$name: it decrypts frames at all ($decrypted)" [ "$decrypted" -gt 0 ]
	only_ours=$(comm -23 "$TMP/$base.ours" "$TMP/$base.airdecap" | wc -l)
	only_airdecap=$(comm -13 "$TMP/$base.ours" "$TMP/$base.airdecap" | wc -l)
	check_eq "$name: every frame we decrypt is airdecap-ng's, byte for byte" "$only_ours" 0
	check_eq "$name: airdecap-ng decrypts no frame we do not" "$only_airdecap" 0
	for what in mic_failure michael_failure malformed; do
		check_eq "$name: no $what" "$(outcome "$TMP/$base.json" "$what")" 0
	done
	# tshark counts retransmissions as decrypted too: decrypted + replays. A protected frame
	# tshark decrypted shows its LLC header; one it could not shows as data.
	tshark_n=$(tshark -r "$cap" -o wlan.enable_decryption:TRUE -o "uat:80211_keys:$tshark_key" \
		-Y "wlan.fc.protected == 1 && llc$tshark_filter" -T fields -e frame.number \
		2>/dev/null | wc -l)
	check_eq "$name: decrypted + replays = the frames tshark decrypts" \
		"$((decrypted + replays))" "$tshark_n"
}

# TKIP, WPA1-PSK: the key in PTK order (TK, Michael AP->STA, Michael STA->AP), MANIFEST.md.
# Group-addressed frames are under the group key, which tshark learns from the handshake.
compare "TKIP wpa-psk-linksys.cap" "$CAPS/wpa-psk-linksys.cap" "-e linksys -p dictionary" \
	'"wpa-pwd","dictionary:linksys"' ' && !(wlan.ra[0] & 0x01)' \
	--key 00:13:ce:55:98:ef=tkip:a2154ae0996fa95b211da18e85fd96495fb49785673387b9da9797aac7828f52
# WEP-40: a key-mapping key for the AP serves both directions (TA, else RA).
compare "WEP-40 wep_64_ptw_01.cap" "$CAPS/wep_64_ptw_01.cap" "-w 1f1f1f1f1f" \
	'"wep","1f:1f:1f:1f:1f"' '' --key 00:12:bf:12:32:29=wep40:1f1f1f1f1f
tap_exit
