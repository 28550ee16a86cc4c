#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/capgen against the reference decryptors. capgen writes a WPA2 capture from a passphrase
# and an SSID; tshark and airdecap-ng, given only the passphrase and SSID, must find the keys in
# its 4-way handshakes (their MICs verify, the GTK unwraps) and decrypt every data frame to the
# very plaintext capgen encrypted (--plain-out, and the payload pattern it documents), and
# `dot11xdp decrypt` with the TKs capgen printed must agree, counting retransmissions as replays.
# capgen's framing (AAD, nonce, security header, TKIP key mixing, Michael) is checked first
# against the IEEE 802.11 test vectors.
#
# Frames are identified across files by their timestamps, which capgen makes unique.
set -uo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
. tests/lib/tap.sh
OUTPUT=${OUTPUT:-build}
SHARED=${SHARED:-../shared}
CAPGEN=$(realpath "$OUTPUT/tools/capgen" 2>/dev/null || echo "$OUTPUT/tools/capgen")
DOT11XDP=$(realpath "$OUTPUT/dot11xdp" 2>/dev/null || echo "$OUTPUT/dot11xdp")
VECTORS=$(realpath "$SHARED/testdata/ieee80211-cipher-vectors.txt" 2>/dev/null || echo missing)

PASS="correct horse battery"
SSID="h13 capgen net"
TSHARK_PWD=(-o wlan.enable_decryption:TRUE -o "uat:80211_keys:\"wpa-pwd\",\"$PASS:$SSID\"")

missing=()
[ "$(id -u)" -eq 0 ] || missing+=("root (dot11xdp decrypt loads a BPF program)")
for tool in tshark airdecap-ng tcpdump; do
	command -v "$tool" >/dev/null || missing+=("$tool")
done
[ -x "$CAPGEN" ] || missing+=("$CAPGEN (run make)")
[ -x "$DOT11XDP" ] || missing+=("$DOT11XDP (run make)")
[ -r "$VECTORS" ] || missing+=("$SHARED/testdata/ieee80211-cipher-vectors.txt")
if [ ${#missing[@]} -gt 0 ]; then
	not_ok "prerequisites" "missing: ${missing[*]}"
	exit 1
fi

TMP=$(mktemp -d /tmp/h13-capgen.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# mawk (Debian's awk) has no strtonum(): a hex string's value.
AWK_HEX='function hex(s,  i, v) { v = 0; for (i = 1; i <= length(s); i++)
	v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }'

# "TIMESTAMP HEX" per frame.
frames() {
	tcpdump -r "$1" -tt -xx -nn 2>/dev/null | awk '
		/^[0-9]/ { if (ts != "") print ts, hex; ts = $1; hex = ""; next }
		/^\t0x/ { for (i = 2; i <= NF; i++) hex = hex $i }
		END { if (ts != "") print ts, hex }'
}
linktype() { od -An -tu4 -j20 -N4 "$1" | tr -d ' '; }
json_num() {
	sed -n "s/.*\"$2\":{\([^}]*\)}.*/\1/p" "$1" | tr ',' '\n' | sed -n "s/^\"$3\":\([0-9]*\)$/\1/p"
}
# From capgen's summary line: "... N data frames, R retransmissions, ..."
summary_num() { sed -n "s/.* \([0-9]*\) $2.*/\1/p" "$1"; }
# --key arguments for dot11xdp, and tk entries for tshark, from a --keys-out file.
dot11xdp_keys() { sed 's/^/--key\n/' "$1"; }
tshark_tks() {
	echo -o
	echo wlan.enable_decryption:TRUE
	sed 's/^[^:]*:[^:]*:[^:]*:[^:]*:[^:]*:[^:]*=[^:]*:\(.*\)$/-o\nuat:80211_keys:"tk","\1"/' "$1"
}

# --- capgen's framing against the IEEE 802.11 test vectors ----------------------------------

# vector SECTION FIELD: the field's bytes, in hex without spaces.
vector() {
	awk -v sec="$1" -v key="$2 - hexdump" '
		index($0, sec) == 1 { f = 1; next }
		f && /^IEEE/ { exit }
		f && index($0, key) == 1 { sub(/.*\): /, ""); gsub(/ /, ""); print; exit }' "$VECTORS"
}
check_vector() { # NAME SECTION CIPHER [HEADER_FIELD]
	local name=$1 sec=$2 cipher=$3 hdr_field=${4:-802.11 Header} tk pn mpdu want got
	tk=$(vector "$sec" TK)
	pn=$(vector "$sec" PN)
	want=$(vector "$sec" "Encrypted MPDU (without FCS)")
	if [ "$hdr_field" = "Plaintext MPDU" ]; then
		mpdu=$(vector "$sec" "Plaintext MPDU")
	else
		mpdu=$(vector "$sec" "$hdr_field")$(vector "$sec" "Plaintext Data")
	fi
	if [ -z "$tk" ] || [ -z "$pn" ] || [ -z "$mpdu" ] || [ -z "$want" ]; then
		not_ok "$name: vector found in $VECTORS"
		return
	fi
	# capgen leaves the header as given; the expected MPDU shows the one the vector uses.
	mpdu=${want:0:4}${mpdu:4}
	got=$("$CAPGEN" mpdu "$cipher" "$tk" "$pn" "$mpdu" 2>&1)
	check_eq "$name: capgen's protected MPDU equals the vector's" "$got" "$want"
}
check_vector "TKIP (802.11-2012 M.6.3: key mixing, Michael, ICV)" \
	"IEEE Std 802.11-2012, M.6.3 TKIP" tkip "Plaintext MPDU"
check_vector "CCMP-128 (802.11-2012 M.6.4)" "IEEE Std 802.11-2012, M.6.4 CCMP" ccmp
check_vector "CCMP-128 on a management frame (802.11-2012 M.9.2)" \
	"IEEE Std 802.11-2012, M.9.2 CCMP with unicast" ccmp
check_vector "CCMP-256 (P802.11ac M.6.4)" "IEEE P802.11ac/D7.0, M.6.4 CCMP-256" ccmp-256
check_vector "GCMP-128 (802.11ad M.11.1, MPDU #2)" \
	"IEEE Std 802.11ad-2012, M.11.1 GCMP test mpdu #2" gcmp
check_vector "GCMP-256 (P802.11ac M.11.1)" "IEEE P802.11ac/D7.0, M.11.1 GCMP-256" gcmp-256
# (GCMP MPDU #1 of 802.11ad is left out: its printed AAD lacks the Protected bit the standard
# sets, so no implementation of the standard reproduces its MIC.)

# --- A WPA2 (CCMP) capture: 4 stations, 200 data frames of 256 and 1,500 bytes, retries -----

CAP=$TMP/ccmp.pcap
gen=(--frames 200 --stations 4 --sizes 256,1500 --retransmit-rate 0.1 --seed 7
	--passphrase "$PASS" --ssid "$SSID")
"$CAPGEN" "${gen[@]}" -o "$CAP" --keys-out "$TMP/ccmp.keys" --plain-out "$TMP/ccmp.plain" \
	>"$TMP/ccmp.out" 2>"$TMP/ccmp.err"
check_eq "capgen exits 0 and is silent on stderr" "$?,$(cat "$TMP/ccmp.err")" "0,"
[ -s "$CAP" ] || fatal "capgen wrote $CAP"
data=$(summary_num "$TMP/ccmp.out" "data frames")
retries=$(summary_num "$TMP/ccmp.out" retransmissions)
check_eq "the summary line counts 200 data frames" "$data" 200
check "some data frames are retransmitted ($retries)" [ "${retries:-0}" -gt 0 ]
check_eq "the capture has link type 127 (radiotap)" "$(linktype "$CAP")" 127
check_eq "the plaintext reference has link type 1 (Ethernet)" "$(linktype "$TMP/ccmp.plain")" 1
check_eq "the keys file has one line per station" "$(wc -l <"$TMP/ccmp.keys")" 4
check_eq "the keys file is readable by its owner only" "$(stat -c %a "$TMP/ccmp.keys")" 600
check_eq "every line of the keys file reads STA=ccmp:TK (16 bytes in hex)" \
	"$(grep -cvx -E '([0-9a-f]{2}:){5}[0-9a-f]{2}=ccmp:[0-9a-f]{32}' "$TMP/ccmp.keys")" 0

"$CAPGEN" "${gen[@]}" -o "$TMP/again.pcap" --keys-out "$TMP/again.keys" \
	--plain-out "$TMP/again.plain" >/dev/null 2>&1
check "the same seed writes the same capture, byte for byte" cmp -s "$CAP" "$TMP/again.pcap"
check "... the same plaintext and keys" \
	bash -c "cmp -s '$TMP/ccmp.plain' '$TMP/again.plain' && cmp -s '$TMP/ccmp.keys' '$TMP/again.keys'"
"$CAPGEN" "${gen[@]}" --seed 8 -o "$TMP/seed8.pcap" --keys-out "$TMP/seed8.keys" >/dev/null 2>&1
check_eq "another seed gives other keys" \
	"$(cmp -s "$TMP/ccmp.keys" "$TMP/seed8.keys" && echo same || echo different)" different

# tshark, with the passphrase and SSID only: what it decrypts, with which TK.
tshark -r "$CAP" "${TSHARK_PWD[@]}" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
	-Y wlan.analysis.tk -T fields -E separator=' ' -e frame.time_epoch -e wlan.ta -e wlan.ra \
	-e wlan.analysis.tk -e wlan.fc.retry -e wlan.ccmp.extiv -e wlan.fc.tods -e ip.src \
	-e ip.dst -e ip.checksum.status -e udp.checksum.status -e udp.payload \
	2>/dev/null >"$TMP/tshark.dec"
protected=$(tshark -r "$CAP" -Y 'wlan.fc.protected == 1' -T fields -e frame.number 2>/dev/null |
	wc -l)
check_eq "the capture holds the data frames and their retransmissions, all protected" \
	"$protected" "$((data + retries))"
check_eq "tshark (passphrase and SSID only) decrypts every protected frame" \
	"$(wc -l <"$TMP/tshark.dec")" "$protected"
check_eq "tshark: every retransmission carries the Retry bit" \
	"$(awk '$5 == "1" || $5 == "True"' "$TMP/tshark.dec" | wc -l)" "$retries"
check_eq "tshark: a retransmission repeats a PN its transmitter used, and nothing else does" \
	"$(awk '{ id = $2 " " $3 " " $6; r = ($5 == "1" || $5 == "True")
		if ((id in seen) != r) print $1; seen[id] = 1 }' "$TMP/tshark.dec")" ""
# The TKs tshark derived from the handshakes are those capgen printed, station by station.
tk_mismatch=$(awk 'NR == FNR { split($0, kv, "="); sub(/^ccmp:/, "", kv[2]); tk[kv[1]] = kv[2]
		next }
	{ sta = ($2 in tk) ? $2 : $3; if (!(sta in tk) || tk[sta] != $4) print $1 }' \
	"$TMP/ccmp.keys" "$TMP/tshark.dec")
check_eq "tshark's TK for every frame is the one capgen printed for its station" \
	"$tk_mismatch" ""
check_eq "tshark saw traffic of every station" \
	"$(awk '{ print ($7 == "1" || $7 == "True") ? $2 : $3 }' "$TMP/tshark.dec" | sort -u |
		wc -l)" 4
check_eq "tshark: IPv4 and UDP checksums of every decrypted frame are good" \
	"$(awk '$10 != "1" || $11 != "1"' "$TMP/tshark.dec" | wc -l)" 0
gtks=$(tshark -r "$CAP" "${TSHARK_PWD[@]}" -Y 'eapol && wlan.rsn.ie.gtk_kde.gtk' -T fields \
	-e wlan.rsn.ie.gtk_kde.gtk 2>/dev/null)
check_eq "tshark unwraps the GTK KDE of every message 3 with the KEK" "$(wc -l <<<"$gtks")" 4
check_eq "... one GTK for the BSS" "$(sort -u <<<"$gtks" | wc -l)" 1

# The payloads are capgen's pattern (docs/capgen.md): marker "CG" 1, direction, station,
# TID, the data frame's index in the capture, then (index + k) mod 256.
stations=$(cut -d= -f1 "$TMP/ccmp.keys" | tr '\n' ' ')
pattern_bad=$(awk '$5 != "1" && $5 != "True"' "$TMP/tshark.dec" | awk -v stas="$stations" \
	"$AWK_HEX"'
	BEGIN { split(stas, mac, " ") }
	{
		up = ($7 == "1" || $7 == "True"); p = $12; bad = ""
		if (substr(p, 1, 6) != "434701") bad = bad " marker"
		sta = hex(substr(p, 9, 4)); idx = hex(substr(p, 17, 8))
		if (hex(substr(p, 7, 2)) != (up ? 0 : 1)) bad = bad " direction"
		if ((up ? $2 : $3) != mac[sta + 1]) bad = bad " station"
		if ((up ? $8 : $9) != "10.0.0." (sta + 2)) bad = bad " address"
		if (substr(p, 13, 2) != "00") bad = bad " tid"
		if (idx != NR - 1) bad = bad " index"
		for (k = 16; 2 * k < length(p); k++)
			if (hex(substr(p, 2 * k + 1, 2)) != (idx + k - 16) % 256) { bad = bad " fill"; break }
		if (bad != "") print $1 bad
	}')
check_eq "tshark's plaintext: capgen's payload pattern in every frame, indexes in order" \
	"$pattern_bad" ""

# tshark's plaintext against the Ethernet reference capgen wrote (retransmissions left out).
tshark -r "$TMP/ccmp.plain" -T fields -E separator=' ' -e frame.time_epoch -e ip.src -e ip.dst \
	-e udp.payload 2>/dev/null >"$TMP/plain.fields"
check_eq "the reference holds each data frame once" "$(wc -l <"$TMP/plain.fields")" "$data"
check "tshark's decryption equals the reference (time, addresses, payload)" cmp -s \
	<(awk '$5 != "1" && $5 != "True" { print $1, $8, $9, $12 }' "$TMP/tshark.dec") \
	"$TMP/plain.fields"

# airdecap-ng, with the passphrase and SSID only; it writes beside its input.
mkdir "$TMP/air"
cp "$CAP" "$TMP/air/cap.pcap"
(cd "$TMP/air" && airdecap-ng -e "$SSID" -p "$PASS" cap.pcap >airdecap.log 2>&1)
check_eq "airdecap-ng decrypts every data frame once (it skips retransmissions)" \
	"$(sed -n 's/.*Number of decrypted WPA  packets *\([0-9]*\).*/\1/p' "$TMP/air/airdecap.log")" \
	"$data"
check "airdecap-ng's output equals capgen's plaintext reference, byte for byte" cmp -s \
	<(frames "$TMP/air/cap-dec.pcap") <(frames "$TMP/ccmp.plain")

# dot11xdp decrypt with the TKs capgen printed.
mapfile -t KEYS < <(dot11xdp_keys "$TMP/ccmp.keys")
"$DOT11XDP" decrypt "${KEYS[@]}" --ether --json "$CAP" "$TMP/ours.eth" >"$TMP/ours.json" \
	2>"$TMP/ours.err"
check_eq "dot11xdp decrypt --ether exits 0" "$?" 0
check_eq "dot11xdp decrypts every data frame" "$(json_num "$TMP/ours.json" outcomes decrypted)" \
	"$data"
check_eq "dot11xdp counts every retransmission as a replay" \
	"$(json_num "$TMP/ours.json" outcomes replay)" "$retries"
for c in mic_failure no_key malformed unsupported; do
	check_eq "dot11xdp: no frame counted $c" "$(json_num "$TMP/ours.json" outcomes $c)" 0
done
check "dot11xdp's Ethernet output equals capgen's plaintext reference, byte for byte" cmp -s \
	<(frames "$TMP/ours.eth") <(frames "$TMP/ccmp.plain")

# --- Variants: 802.11 link type, ICMP, TIDs ---------------------------------------------------

"$CAPGEN" --frames 60 --stations 3 --tid 0,5 --proto icmp --linktype 802.11 --retransmit-rate 0.2 \
	--passphrase "$PASS" --ssid "$SSID" -o "$TMP/v.pcap" --keys-out "$TMP/v.keys" \
	--plain-out "$TMP/v.plain" >"$TMP/v.out" 2>&1
check_eq "--linktype 802.11 writes link type 105" "$(linktype "$TMP/v.pcap")" 105
v_data=$(summary_num "$TMP/v.out" "data frames")
v_retries=$(summary_num "$TMP/v.out" retransmissions)
tshark -r "$TMP/v.pcap" "${TSHARK_PWD[@]}" -o ip.check_checksum:TRUE -Y wlan.analysis.tk \
	-T fields -E separator=' ' -e wlan.qos.tid -e icmp.type -e ip.checksum.status \
	-e icmp.checksum.status 2>/dev/null >"$TMP/v.dec"
check_eq "ICMP over TIDs 0 and 5, no radiotap: tshark decrypts every protected frame" \
	"$(wc -l <"$TMP/v.dec")" "$((v_data + v_retries))"
check_eq "... echo requests and replies with good checksums, on both TIDs" \
	"$(awk '{ print $1, $2, $3, $4 }' "$TMP/v.dec" | sort -u | tr '\n' ' ')" \
	"0 0 1 1 0 8 1 1 5 0 1 1 5 8 1 1 "
mapfile -t KEYS < <(dot11xdp_keys "$TMP/v.keys")
"$DOT11XDP" decrypt "${KEYS[@]}" --ether --json "$TMP/v.pcap" "$TMP/v.eth" >"$TMP/v.json" 2>&1
check_eq "... dot11xdp decrypts them all and drops the retransmissions as replays" \
	"$(json_num "$TMP/v.json" outcomes decrypted),$(json_num "$TMP/v.json" outcomes replay)" \
	"$v_data,$v_retries"
check "... to capgen's plaintext reference, byte for byte" cmp -s \
	<(frames "$TMP/v.eth") <(frames "$TMP/v.plain")

# --- GCMP-128/256: tshark with the TKs alone, and from the handshake ------------------------

for cipher in gcmp gcmp-256; do
	"$CAPGEN" --cipher $cipher --frames 100 --stations 2 --retransmit-rate 0.1 \
		--passphrase "$PASS" --ssid "$SSID" -o "$TMP/$cipher.pcap" \
		--keys-out "$TMP/$cipher.keys" --plain-out "$TMP/$cipher.plain" >"$TMP/$cipher.out" 2>&1
	g_data=$(summary_num "$TMP/$cipher.out" "data frames")
	g_retries=$(summary_num "$TMP/$cipher.out" retransmissions)
	mapfile -t TKS < <(tshark_tks "$TMP/$cipher.keys")
	tshark -r "$TMP/$cipher.pcap" "${TKS[@]}" -Y wlan.analysis.tk -T fields -E separator=' ' \
		-e frame.time_epoch -e wlan.fc.retry -e ip.src -e ip.dst -e udp.payload \
		2>/dev/null >"$TMP/$cipher.dec"
	check_eq "$cipher: tshark with the TKs alone decrypts every protected frame" \
		"$(wc -l <"$TMP/$cipher.dec")" "$((g_data + g_retries))"
	tshark -r "$TMP/$cipher.plain" -T fields -E separator=' ' -e frame.time_epoch -e ip.src \
		-e ip.dst -e udp.payload 2>/dev/null >"$TMP/$cipher.plainfields"
	check "$cipher: ... to capgen's plaintext" cmp -s "$TMP/$cipher.plainfields" \
		<(awk '$2 != "1" && $2 != "True" { print $1, $3, $4, $5 }' "$TMP/$cipher.dec")
	check_eq "$cipher: tshark also derives the keys from the passphrase and the handshake" \
		"$(tshark -r "$TMP/$cipher.pcap" "${TSHARK_PWD[@]}" -Y wlan.analysis.tk -T fields \
			-e frame.number 2>/dev/null | wc -l)" "$((g_data + g_retries))"
done
check_eq "gcmp-256 keys are 32 bytes" \
	"$(grep -cx -E '([0-9a-f]{2}:){5}[0-9a-f]{2}=gcmp-256:[0-9a-f]{64}' "$TMP/gcmp-256.keys")" 2

# --- CCMP-256 and TKIP (WPA): from the passphrase ---------------------------------------------

"$CAPGEN" --cipher ccmp-256 --frames 60 --stations 2 --passphrase "$PASS" --ssid "$SSID" \
	-o "$TMP/ccmp256.pcap" >"$TMP/ccmp256.out" 2>&1
check_eq "ccmp-256: tshark derives the keys from the passphrase and decrypts every frame" \
	"$(tshark -r "$TMP/ccmp256.pcap" "${TSHARK_PWD[@]}" -Y wlan.analysis.tk -T fields \
		-e frame.number 2>/dev/null | wc -l)" 60

"$CAPGEN" --cipher tkip --frames 100 --stations 3 --retransmit-rate 0.1 --passphrase "$PASS" \
	--ssid "$SSID" -o "$TMP/tkip.pcap" --keys-out "$TMP/tkip.keys" \
	--plain-out "$TMP/tkip.plain" >"$TMP/tkip.out" 2>&1
t_data=$(summary_num "$TMP/tkip.out" "data frames")
t_retries=$(summary_num "$TMP/tkip.out" retransmissions)
tshark -r "$TMP/tkip.pcap" "${TSHARK_PWD[@]}" -Y wlan.analysis.tk -T fields -E separator=' ' \
	-e wlan.ta -e wlan.ra -e wlan.analysis.tk 2>/dev/null >"$TMP/tkip.dec"
check_eq "tkip (WPA, key descriptor 1): tshark decrypts every protected frame" \
	"$(wc -l <"$TMP/tkip.dec")" "$((t_data + t_retries))"
check_eq "tkip: tshark's TKs are the first 16 bytes of capgen's 32-byte keys" \
	"$(awk 'NR == FNR { split($0, kv, "="); tk[kv[1]] = substr(kv[2], 6, 32); next }
		{ sta = ($1 in tk) ? $1 : $2; if (tk[sta] != $3) print }' \
		"$TMP/tkip.keys" "$TMP/tkip.dec")" ""
mkdir "$TMP/airtkip"
cp "$TMP/tkip.pcap" "$TMP/airtkip/cap.pcap"
(cd "$TMP/airtkip" && airdecap-ng -e "$SSID" -p "$PASS" cap.pcap >airdecap.log 2>&1)
check_eq "tkip: airdecap-ng decrypts every data frame once" \
	"$(sed -n 's/.*Number of decrypted WPA  packets *\([0-9]*\).*/\1/p' \
		"$TMP/airtkip/airdecap.log")" "$t_data"
check "tkip: airdecap-ng's output equals capgen's plaintext reference, byte for byte" cmp -s \
	<(frames "$TMP/airtkip/cap-dec.pcap") <(frames "$TMP/tkip.plain")

# --- Speed: 100,000 frames of 1,500 bytes ------------------------------------------------------

start=$(date +%s.%N)
"$CAPGEN" --frames 100000 --sizes 1500 -o "$TMP/big.pcap" >"$TMP/big.out" 2>&1
rc=$?
elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
check_eq "100,000 frames of 1,500 bytes are written" \
	"$rc,$(summary_num "$TMP/big.out" "data frames")" "0,100000"
echo "# $(cat "$TMP/big.out")"
check "... in a few seconds (${elapsed} s; limit 10)" awk -v t="$elapsed" 'BEGIN { exit !(t < 10) }'
rm -f "$TMP/big.pcap"

# --- Refusals: one line, exit status 2, no file --------------------------------------------

refused() { # NAME ARGS...: capgen ARGS must refuse in one line and leave nothing behind
	local name=$1
	shift
	rm -rf "$TMP/refused"
	mkdir "$TMP/refused"
	"$CAPGEN" "$@" >/dev/null 2>"$TMP/refused.err"
	local rc=$? lines
	lines=$(wc -l <"$TMP/refused.err")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && [ -z "$(ls -A "$TMP/refused")" ]; then
		ok "$name: refused in one line ($(cat "$TMP/refused.err"))"
	else
		not_ok "$name: refused in one line, exit status 2, no file" \
			"exit $rc, $lines lines on stderr, files: $(ls -A "$TMP/refused")" \
			"$(head -3 "$TMP/refused.err")"
	fi
}
OUT=(-o "$TMP/refused/out.pcap" --keys-out "$TMP/refused/keys")
refused "no output file" --frames 10
refused "--frames not a number" "${OUT[@]}" --frames 12x
refused "--frames negative" "${OUT[@]}" --frames -5
refused "--stations 0" "${OUT[@]}" --stations 0
refused "--stations 2008" "${OUT[@]}" --stations 2008
refused "--sizes below an IPv4+UDP header and the marker" "${OUT[@]}" --sizes 256,20
refused "--sizes above the MSDU" "${OUT[@]}" --sizes 2297
refused "--sizes with an empty item" "${OUT[@]}" --sizes 256,,1500
refused "--cipher wep" "${OUT[@]}" --cipher wep
refused "--passphrase of 7 characters" "${OUT[@]}" --passphrase 1234567
refused "--passphrase of 64 characters" "${OUT[@]}" --passphrase "$(printf 'a%.0s' {1..64})"
refused "--passphrase with a control character" "${OUT[@]}" --passphrase $'pass\tphrase'
refused "--ssid of 33 bytes" "${OUT[@]}" --ssid "$(printf 's%.0s' {1..33})"
refused "--ssid empty" "${OUT[@]}" --ssid ""
refused "--retransmit-rate 1.5" "${OUT[@]}" --retransmit-rate 1.5
refused "--retransmit-rate nan" "${OUT[@]}" --retransmit-rate nan
refused "--tid 16" "${OUT[@]}" --tid 16
refused "--proto tcp" "${OUT[@]}" --proto tcp
refused "--linktype 1" "${OUT[@]}" --linktype 1
refused "--seed not a number" "${OUT[@]}" --seed seven
refused "unknown option" "${OUT[@]}" --colour
refused "option without its argument" "${OUT[@]}" --frames
refused "stray argument" "${OUT[@]}" extra
refused "--keys-out naming the capture" -o "$TMP/refused/x" --keys-out "$TMP/refused/x"
refused "mpdu with a short TK" mpdu ccmp 00112233 000000000001 08420000
refused "mpdu with a control frame" mpdu ccmp 000102030405060708090a0b0c0d0e0f 000000000001 \
	d4000000020000000100
"$CAPGEN" -o "$TMP/no/such/dir/out.pcap" >/dev/null 2>"$TMP/unwritable.err"
check_eq "an unwritable output: exit status 1, one line" \
	"$?,$(wc -l <"$TMP/unwritable.err")" "1,1"
# A full disk (a 256 KiB tmpfs, in a mount namespace of its own): a failed run leaves no file.
mkdir "$TMP/full"
unshare -m bash -c "mount -t tmpfs -o size=256k h13-capgen '$TMP/full' &&
	'$CAPGEN' --frames 2000 -o '$TMP/full/x.pcap' --keys-out '$TMP/full/k' \
		--plain-out '$TMP/full/p' 2>'$TMP/full.err'; echo \$? >'$TMP/full.rc'
	ls -A '$TMP/full' >'$TMP/full.ls'"
check_eq "a full disk: exit status 1, one line, no file left" \
	"$(cat "$TMP/full.rc"),$(wc -l <"$TMP/full.err"),$(cat "$TMP/full.ls")" "1,1,"

tap_exit
