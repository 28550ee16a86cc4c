#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Offline decryption (`dot11xdp decrypt`) of a real WPA2 capture against two independent
# decryptors: airdecap-ng (Ethernet output) and tshark (its own CCMP decryption of the input).
#
# How frames are matched: every tool here keeps each frame's capture timestamp, and the
# timestamps of the input are unique (checked below), so a frame is identified across files by
# its timestamp. Frame bytes are compared as hex from `tcpdump -xx` (whole frame) and, for
# tshark's decryption, from the "Decrypted CCMP data" block of `tshark -x`.
#
# Expected counts are derived from tshark's view of the capture, not written in: tshark counts
# every frame it can decrypt, retransmissions included; a retransmission repeats a PN the
# same transmitter already used under the same key, which dot11xdp drops as a replay.
set -uo pipefail
export LC_ALL=C # sort and join must agree on the order
cd "$(dirname "$0")/.."
. tests/lib/tap.sh
OUTPUT=${OUTPUT:-build}
SHARED=${SHARED:-../shared}
DOT11XDP=$(realpath "$OUTPUT/dot11xdp" 2>/dev/null || echo "$OUTPUT/dot11xdp")
CAP=$(realpath "$SHARED/testdata/captures/wpa2-psk-linksys.cap" 2>/dev/null || echo missing)

# captures/MANIFEST.md: the station and its three temporal keys, in order of use.
STA=00:13:ce:55:98:ef
TK1=1d035e8beb4f83611dc93e2657cecf69
TK2=0ab0404984be2ef15086aa997804f47e
TK3=03c8a3e8f5b3c825d3dccce7e5e3f263
KEYS=(--key "$STA=ccmp:$TK1" --key "$STA=ccmp:$TK2" --key "$STA=ccmp:$TK3")
TSHARK_KEYS=(-o wlan.enable_decryption:TRUE -o 'uat:80211_keys:"wpa-pwd","dictionary:linksys"')


missing=()
[ "$(id -u)" -eq 0 ] || missing+=("root (BPF_PROG_TEST_RUN)")
for tool in tshark airdecap-ng tcpdump text2pcap editcap mergecap; do
	command -v "$tool" >/dev/null || missing+=("$tool")
done
[ -x "$DOT11XDP" ] || missing+=("$DOT11XDP (run make)")
[ -r "$CAP" ] || missing+=("$SHARED/testdata/captures/wpa2-psk-linksys.cap")
if [ ${#missing[@]} -gt 0 ]; then
	not_ok "prerequisites" "missing: ${missing[*]}"
	exit 1
fi

TMP=$(mktemp -d /tmp/h3-offline.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# "TIMESTAMP HEX" per frame, microsecond timestamps as tcpdump -tt prints them.
frames() {
	tcpdump -r "$1" -tt -xx -nn 2>/dev/null | awk '
		/^[0-9]/ { if (ts != "") print ts, hex; ts = $1; hex = ""; next }
		/^\t0x/ { for (i = 2; i <= NF; i++) hex = hex $i }
		END { if (ts != "") print ts, hex }'
}

# mawk (Debian's awk) has no strtonum() or and(): a hex digit pair's value.
AWK_HEX='function hex(s,  i, v) { v = 0; for (i = 1; i <= length(s); i++)
	v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }'

# The pcap header's link type (our output is little-endian, as written on this machine).
linktype() { od -An -tu4 -j20 -N4 "$1" | tr -d ' '; }

# A JSON number from the flat objects dot11xdp prints: json_num FILE OBJECT KEY.
json_num() {
	sed -n "s/.*\"$2\":{\([^}]*\)}.*/\1/p" "$1" | tr ',' '\n' | sed -n "s/^\"$3\":\([0-9]*\)$/\1/p"
}
json_top() { sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$1"; }

# --- The oracles -----------------------------------------------------------------------------

# tshark: one line per frame it decrypts: TIMESTAMP TK TA PN HEADER_HEX PLAINTEXT_HEX.
tshark -r "$CAP" "${TSHARK_KEYS[@]}" -Y wlan.analysis.tk -T fields -E separator=' ' \
	-e frame.time_epoch -e wlan.analysis.tk -e wlan.ta -e wlan.ccmp.extiv 2>/dev/null |
	awk '{ sub(/[0-9][0-9][0-9]$/, "", $1); print }' >"$TMP/ts.fields"
tshark -r "$CAP" "${TSHARK_KEYS[@]}" -Y wlan.analysis.tk -x 2>/dev/null | awk '
	function flush() { if (n) print frame, dec; frame = ""; dec = "" }
	/^Frame \(/ { flush(); n++; part = "frame"; next }
	/^Decrypted CCMP data/ { part = "dec"; next }
	/^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / {
		h = substr($0, 7, 48); gsub(/ /, "", h)
		if (part == "frame") frame = frame h; else dec = dec h
	}
	END { flush() }' >"$TMP/ts.hex"
paste -d ' ' "$TMP/ts.fields" "$TMP/ts.hex" >"$TMP/tshark.dec"
tshark_decrypted=$(wc -l <"$TMP/tshark.dec")
check "tshark decrypts frames of the capture ($tshark_decrypted)" [ "$tshark_decrypted" -gt 0 ]
check_eq "tshark's frame and plaintext dumps line up" "$(wc -l <"$TMP/ts.hex")" "$tshark_decrypted"

# Retransmissions: a frame whose transmitter already used its PN under the same key.
# (A rekey starts the PNs again: the first frames under a new key repeat PNs of the old one,
# and dot11xdp finds the new key precisely because the old one calls them replays.)
awk '{ id = $2 " " $3 " " $4; if (id in seen) print $1; seen[id] = 1 }' "$TMP/tshark.dec" \
	>"$TMP/replays.ts"
replays=$(wc -l <"$TMP/replays.ts")
retry_flags=$(tshark -r "$CAP" -T fields -e frame.time_epoch -e wlan.fc.retry 2>/dev/null |
	awk '{ sub(/[0-9][0-9][0-9]$/, "", $1); print }' | grep -F -f "$TMP/replays.ts" |
	awk '$2 != "1" && $2 != "True"' | wc -l)
check_eq "every frame that repeats a PN is flagged as a retransmission (Retry bit)" "$retry_flags" 0
awk 'NR == FNR { r[$1] = 1; next } !($1 in r) { print $1 }' "$TMP/replays.ts" "$TMP/tshark.dec" |
	sort >"$TMP/expect-decrypted.ts"
expect_decrypted=$(wc -l <"$TMP/expect-decrypted.ts")

# Protected frames tshark cannot decrypt: ours is a MIC failure when a key of the station
# applies (its TA or RA is the station: we try every key), "no key" otherwise.
tshark -r "$CAP" "${TSHARK_KEYS[@]}" -Y 'wlan.fc.protected == 1 && !wlan.analysis.tk' \
	-T fields -e frame.number -e wlan.ta -e wlan.ra 2>/dev/null >"$TMP/undecrypted"
expect_mic=$(awk -v sta="$STA" '$2 == sta || $3 == sta' "$TMP/undecrypted" | wc -l)
expect_nokey=$(awk -v sta="$STA" '$2 != sta && $3 != sta' "$TMP/undecrypted" | wc -l)
expect_read=$(tshark -r "$CAP" -T fields -e frame.number 2>/dev/null | wc -l)
expect_unprotected=$(tshark -r "$CAP" -Y 'wlan.fc.protected == 0' -T fields -e frame.number \
	2>/dev/null | wc -l)
expect_key_changes=$(($(awk '{ print $2 }' "$TMP/tshark.dec" | sort -u | wc -l) - 1))
dups=$(tshark -r "$CAP" -T fields -e frame.time_epoch 2>/dev/null | sort | uniq -d | wc -l)
check_eq "input timestamps are unique (they identify frames across files)" "$dups" 0

# airdecap-ng writes its output beside the input: run it on a copy.
cp "$CAP" "$TMP/wpa2.cap"
(cd "$TMP" && airdecap-ng -e linksys -p dictionary wpa2.cap >airdecap.log 2>&1)
check "airdecap-ng decrypts the capture" [ -s "$TMP/wpa2-dec.cap" ]
frames "$TMP/wpa2-dec.cap" | sort >"$TMP/airdecap.frames"

# --- dot11xdp decrypt --ether against airdecap-ng --------------------------------------------

"$DOT11XDP" decrypt "${KEYS[@]}" --ether --json "$CAP" "$TMP/ours.eth" >"$TMP/eth.json" \
	2>"$TMP/eth.err"
rc=$?
check_eq "decrypt --ether exits 0" "$rc" 0
[ -s "$TMP/eth.err" ] && not_ok "decrypt --ether is silent on stderr" "$(head -3 "$TMP/eth.err")"
check_eq "decrypt --ether writes link type 1 (Ethernet)" "$(linktype "$TMP/ours.eth")" 1
frames "$TMP/ours.eth" | sort >"$TMP/ours-eth.frames"

common=$(join "$TMP/ours-eth.frames" "$TMP/airdecap.frames" | wc -l)
differ=$(join "$TMP/ours-eth.frames" "$TMP/airdecap.frames" | awk '$2 != $3 { print $1 }')
check "dot11xdp and airdecap-ng decrypt frames in common ($common)" [ "$common" -gt 0 ]
if [ -z "$differ" ]; then
	ok "all $common frames both decrypt are byte-for-byte identical to airdecap-ng's"
else
	not_ok "frames both decrypt are byte-for-byte identical to airdecap-ng's" \
		"differing frames (timestamps): $(echo $differ)"
fi
# airdecap-ng skips retransmitted frames, which we drop as replays: the same set.
only_ours=$(join -v1 "$TMP/ours-eth.frames" "$TMP/airdecap.frames" | awk '{ print $1 }')
only_airdecap=$(join -v2 "$TMP/ours-eth.frames" "$TMP/airdecap.frames" | awk '{ print $1 }')
check_eq "frames only dot11xdp decrypts" "$(echo $only_ours)" ""
check_eq "frames only airdecap-ng decrypts" "$(echo $only_airdecap)" ""

awk '{ print $1 }' "$TMP/ours-eth.frames" >"$TMP/ours-decrypted.ts"
check_eq "decrypted count = tshark's $tshark_decrypted minus $replays retransmissions" \
	"$(json_num "$TMP/eth.json" outcomes decrypted)" "$expect_decrypted"
check "the frames decrypted are exactly tshark's minus the retransmissions" \
	cmp -s "$TMP/ours-decrypted.ts" "$TMP/expect-decrypted.ts"
check_eq "replays: the $replays retransmissions" "$(json_num "$TMP/eth.json" outcomes replay)" \
	"$replays"
check_eq "MIC failures: protected frames of the station no key decrypts" \
	"$(json_num "$TMP/eth.json" outcomes mic_failure)" "$expect_mic"
check_eq "no key: protected frames of other stations" \
	"$(json_num "$TMP/eth.json" outcomes no_key)" "$expect_nokey"
check_eq "unprotected frames" "$(json_num "$TMP/eth.json" outcomes unprotected)" \
	"$expect_unprotected"
check_eq "frames read" "$(json_top "$TMP/eth.json" frames_read)" "$expect_read"
for c in malformed bad_fcs unsupported; do
	check_eq "no frame counted $c" "$(json_num "$TMP/eth.json" outcomes $c)" 0
done
check_eq "key changes: one per rekey" "$(json_top "$TMP/eth.json" key_changes)" \
	"$expect_key_changes"
for c in decrypted unprotected no_key replay mic_failure malformed bad_fcs unsupported; do
	got=$(json_num "$TMP/eth.json" program_stats $c)
	want=$(json_num "$TMP/eth.json" outcomes $c)
	check_eq "program counter $c equals the frames' outcomes" "$got" "$want"
done

# --- 802.11 (pass) output against tshark's own decryption ------------------------------------

"$DOT11XDP" decrypt "${KEYS[@]}" "$CAP" "$TMP/ours.80211" >"$TMP/pass.txt" 2>"$TMP/pass.err"
check_eq "decrypt (802.11 output) exits 0" "$?" 0
"$DOT11XDP" decrypt "${KEYS[@]}" --json "$CAP" "$TMP/ours2.80211" >"$TMP/pass.json" 2>&1
check_eq "decrypt writes the input's link type (105)" "$(linktype "$TMP/ours.80211")" 105
frames "$TMP/ours.80211" | sort >"$TMP/ours-80211.frames"
frames "$CAP" | sort >"$TMP/in.frames"

# The summary line: "read N frames: A decrypted, B unprotected, ..." against the counters.
summary=$(grep '^read ' "$TMP/pass.txt")
check "decrypt prints a summary line" [ -n "$summary" ]
labels=(decrypted unprotected "no key" replays "MIC failures" malformed "bad FCS"
	"unsupported cipher")
keys=(decrypted unprotected no_key replay mic_failure malformed bad_fcs unsupported)
for i in "${!keys[@]}"; do
	got=$(echo "$summary" | grep -o "[0-9]* ${labels[$i]}[,;]" | grep -o '^[0-9]*')
	check_eq "summary line: ${labels[$i]} equals the program's counter" "$got" \
		"$(json_num "$TMP/pass.json" program_stats "${keys[$i]}")"
done
check_eq "summary line: frames read" "$(echo "$summary" | sed -n 's/^read \([0-9]*\) frames.*/\1/p')" \
	"$expect_read"

dropped=$((replays + expect_mic))
check_eq "every frame but replays and MIC failures is written" \
	"$(wc -l <"$TMP/ours-80211.frames")" "$((expect_read - dropped))"

# Decrypted frames: the input's MAC header with Protected cleared, then tshark's plaintext.
bad=$(join "$TMP/ours-80211.frames" <(awk '{ print $1, $5, $6 }' "$TMP/tshark.dec" | sort) |
	awk "$AWK_HEX"'{
		hdr_len = length($2) - length($4)
		fc1 = hex(substr($3, 3, 2)); if (int(fc1 / 64) % 2) fc1 -= 64 # clear Protected
		want_hdr = substr($3, 1, 2) sprintf("%02x", fc1) substr($3, 5, hdr_len - 4)
		if (substr($2, 1, hdr_len) != want_hdr || substr($2, hdr_len + 1) != $4) print $1
	}')
n_dec=$(join "$TMP/ours-80211.frames" "$TMP/expect-decrypted.ts" | wc -l)
check_eq "every decrypted frame is in the 802.11 output" "$n_dec" "$expect_decrypted"
check_eq "decrypted frames: header with Protected cleared + tshark's plaintext, byte for byte" \
	"$(echo $bad)" ""

# Every other frame written is the input frame, unchanged.
changed=$(join "$TMP/ours-80211.frames" "$TMP/in.frames" | grep -v -F -f "$TMP/expect-decrypted.ts" |
	awk '$2 != $3 { print $1 }')
check_eq "frames not decrypted pass unchanged" "$(echo $changed)" ""

# tshark decodes our plaintext output as it decodes its own decryption of the input.
fields=(-e frame.time_epoch -e llc.type -e ip.src -e ip.dst -e ip.id -e ip.len -e icmp.type
	-e icmp.seq -e esp.spi -e esp.sequence -e arp.opcode -e arp.src.proto_ipv4
	-e arp.dst.proto_ipv4)
tshark -r "$CAP" "${TSHARK_KEYS[@]}" -Y wlan.analysis.tk -T fields "${fields[@]}" 2>/dev/null |
	awk -F'\t' -v OFS='\t' '{ sub(/[0-9][0-9][0-9]$/, "", $1); print }' | sort >"$TMP/tshark.decoded"
tshark -r "$TMP/ours.80211" -T fields "${fields[@]}" 2>/dev/null |
	awk -F'\t' -v OFS='\t' '{ sub(/[0-9][0-9][0-9]$/, "", $1); print }' | sort >"$TMP/ours.decoded"
decoded_diff=$(join -t $'\t' "$TMP/ours.decoded" <(tr ' ' '\t' <"$TMP/expect-decrypted.ts") |
	diff - <(join -t $'\t' "$TMP/tshark.decoded" <(tr ' ' '\t' <"$TMP/expect-decrypted.ts")))
check_eq "tshark decodes our plaintext like its own decryption (IP, ICMP, ESP, ARP fields)" \
	"$decoded_diff" ""
check "the decoded fields are not empty" [ "$(cut -f3 "$TMP/ours.decoded" | sort -u | wc -l)" -gt 1 ]

# --- The same capture with radiotap headers (link type 127, pcapng) -------------------------

# Each frame behind a minimal radiotap header, timestamps kept (text2pcap writes pcapng).
tcpdump -r "$CAP" -tt -xx -nn 2>/dev/null | awk '
	function emit(  i) { print ts; printf "000000 00 00 08 00 00 00 00 00"
		for (i = 1; i < length(hex); i += 2) printf " %s", substr(hex, i, 2); printf "\n" }
	/^[0-9]/ { if (ts != "") emit(); ts = $1; hex = ""; next }
	/^\t0x/ { for (i = 2; i <= NF; i++) hex = hex $i }
	END { if (ts != "") emit() }' >"$TMP/rt.txt"
text2pcap -q -l 127 -t "%s.%f" "$TMP/rt.txt" "$TMP/rt.pcapng" >/dev/null 2>&1
check "a radiotap copy of the capture is built" [ -s "$TMP/rt.pcapng" ]
"$DOT11XDP" decrypt "${KEYS[@]}" "$TMP/rt.pcapng" "$TMP/ours-rt.pcap" >/dev/null 2>"$TMP/rt.err"
check_eq "decrypt of the radiotap pcapng exits 0" "$?" 0
check_eq "radiotap in, radiotap out (link type 127)" "$(linktype "$TMP/ours-rt.pcap")" 127
# Strip each output frame's radiotap header (its length is bytes 2-3, little-endian).
frames "$TMP/ours-rt.pcap" | awk "$AWK_HEX"'{
	rt = hex(substr($2, 7, 2) substr($2, 5, 2)); print $1, substr($2, 2 * rt + 1) }' |
	sort >"$TMP/ours-rt.frames"
check "radiotap input gives the same 802.11 frames as 802.11 input" \
	cmp -s "$TMP/ours-rt.frames" "$TMP/ours-80211.frames"
"$DOT11XDP" decrypt "${KEYS[@]}" --ether "$TMP/rt.pcapng" "$TMP/ours-rt.eth" >/dev/null 2>&1
check "radiotap input gives the same Ethernet frames" \
	cmp -s <(frames "$TMP/ours-rt.eth" | sort) "$TMP/ours-eth.frames"

# --- Candidate keys never weaken replay protection -------------------------------------------

# Append three frames after the last one: an old-session frame no key verifies (so every
# candidate is tried and the current key must come back exactly as it was), the last frame
# decrypted (it must still be a replay), and the first frame decrypted, from the first key's
# period: after a rekey its PN looks replayed to the current key, so the earlier keys are
# tried, and the first key must be tried with its own counters, not afresh, or the replayed
# frame would verify.
old_no=$(awk -v sta="$STA" '$2 == sta || $3 == sta { print $1; exit }' "$TMP/undecrypted")
dec_nos=$(tshark -r "$CAP" "${TSHARK_KEYS[@]}" -Y wlan.analysis.tk -T fields -e frame.number \
	2>/dev/null)
first_no=$(head -1 <<<"$dec_nos")
last_no=$(tail -1 <<<"$dec_nos")
editcap -r "$CAP" "$TMP/old.pcap" "$old_no" >/dev/null 2>&1
editcap -r "$CAP" "$TMP/first.pcap" "$first_no" >/dev/null 2>&1
editcap -r "$CAP" "$TMP/last.pcap" "$last_no" >/dev/null 2>&1
mergecap -a -w "$TMP/replayed.pcap" "$CAP" "$TMP/old.pcap" "$TMP/last.pcap" "$TMP/first.pcap" \
	2>/dev/null
check_eq "the replay test capture has the input's frames and three more" \
	"$(tshark -r "$TMP/replayed.pcap" -T fields -e frame.number 2>/dev/null | wc -l)" \
	"$((expect_read + 3))"
"$DOT11XDP" decrypt "${KEYS[@]}" --json "$TMP/replayed.pcap" "$TMP/replayed.out" \
	>"$TMP/replayed.json" 2>&1
check_eq "replayed frames, of the current key and of an earlier one, are replays" \
	"$(json_num "$TMP/replayed.json" outcomes replay)" "$((replays + 2))"
check_eq "... the frame no key verifies is one MIC failure" \
	"$(json_num "$TMP/replayed.json" outcomes mic_failure)" "$((expect_mic + 1))"
check_eq "... nothing more is decrypted" \
	"$(json_num "$TMP/replayed.json" outcomes decrypted)" "$expect_decrypted"
check_eq "... and no key changes hands" "$(json_top "$TMP/replayed.json" key_changes)" \
	"$expect_key_changes"

# A wrong key first among the candidates: it is tried, never verifies, and changes nothing.
WRONG=00112233445566778899aabbccddeeff
"$DOT11XDP" decrypt --key "$STA=ccmp:$WRONG" "${KEYS[@]}" --ether --json "$CAP" \
	"$TMP/wrong.eth" >"$TMP/wrong.json" 2>&1
check_eq "a wrong candidate key: same decrypted frames" \
	"$(frames "$TMP/wrong.eth" | sort | cmp -s - "$TMP/ours-eth.frames" && echo same)" same
check_eq "a wrong candidate key: same MIC failure count" \
	"$(json_num "$TMP/wrong.json" outcomes mic_failure)" "$expect_mic"

# No key at all: every frame passes unchanged, and the output file is the input file.
"$DOT11XDP" decrypt "$CAP" "$TMP/nokeys.pcap" >/dev/null 2>&1
check "without keys the output is the input, byte for byte" cmp -s "$CAP" "$TMP/nokeys.pcap"

# Records cut short by a snap length cannot be verified: passed on unchanged, never run.
editcap -s 60 "$CAP" "$TMP/snap60.pcap" >/dev/null 2>&1
cut_short=$(tshark -r "$TMP/snap60.pcap" -Y 'frame.cap_len < frame.len' -T fields -e frame.number \
	2>/dev/null | wc -l)
"$DOT11XDP" decrypt "${KEYS[@]}" --json "$TMP/snap60.pcap" "$TMP/snap60.out" >"$TMP/snap60.json" 2>&1
check_eq "records cut by the snap length are counted as truncated" \
	"$(json_top "$TMP/snap60.json" truncated)" "$cut_short"
check "... and passed on unchanged (a snap length of 60 leaves nothing to decrypt)" \
	cmp -s <(frames "$TMP/snap60.pcap") <(frames "$TMP/snap60.out")
# A record shorter than any 802.11 frame cannot be run: dropped, counted, not fatal.
printf '1146709178.924134\n000000 08 01 02 01 00\n1146709178.924135\n000000 %s\n' \
	"$(tcpdump -r "$CAP" -c 1 -xx 2>/dev/null | awk '/^\t0x/ { for (i = 2; i <= NF; i++) \
	printf "%s%s %s", (n++ ? " " : ""), substr($i, 1, 2), substr($i, 3, 2) }')" >"$TMP/short.txt"
text2pcap -q -l 105 -t "%s.%f" "$TMP/short.txt" "$TMP/short.pcapng" >/dev/null 2>&1
"$DOT11XDP" decrypt --json "$TMP/short.pcapng" "$TMP/short.out" >"$TMP/short.json" 2>&1
check_eq "a 5-byte record is counted too short and the run goes on" \
	"$(json_top "$TMP/short.json" too_short),$(json_top "$TMP/short.json" frames_written)" "1,1"

# --- Refusals: one line, non-zero exit, no output file ---------------------------------------

refused() { # name, args...
	local name=$1
	shift
	rm -f "$TMP/refused.out"
	"$DOT11XDP" decrypt "$@" "$TMP/refused.out" >/dev/null 2>"$TMP/refused.err"
	local rc=$? lines
	lines=$(wc -l <"$TMP/refused.err")
	if [ "$rc" -ne 0 ] && [ "$lines" -eq 1 ] && [ ! -e "$TMP/refused.out" ] &&
		! ls "$TMP"/.refused.out.* >/dev/null 2>&1; then
		ok "$name: refused in one line ($(cat "$TMP/refused.err"))"
	else
		not_ok "$name: refused in one line, non-zero exit, no output" \
			"exit $rc, $lines lines on stderr, output: $(ls "$TMP"/*refused.out* 2>/dev/null)" \
			"$(head -3 "$TMP/refused.err")"
	fi
}
editcap -T ieee-802-11-avs "$CAP" "$TMP/avs.pcap" >/dev/null 2>&1
refused "AVS link type (163)" "$TMP/avs.pcap"
editcap -T ieee-802-11-prism "$CAP" "$TMP/prism.pcap" >/dev/null 2>&1
refused "Prism link type (119)" "$TMP/prism.pcap"
refused "Ethernet input" "$TMP/wpa2-dec.cap"
refused "missing input" "$TMP/does-not-exist.pcap"
refused "bad MAC in --key" --key "00:13:ce:55:98=ccmp:$TK1" "$CAP"
refused "bad hex in --key" --key "$STA=ccmp:${TK1%??}zz" "$CAP"
refused "odd hex in --key" --key "$STA=ccmp:${TK1%?}" "$CAP"
refused "short key in --key" --key "$STA=ccmp:${TK1%??}" "$CAP"
refused "unknown cipher in --key" --key "$STA=ccmq:$TK1" "$CAP"
refused "gcmp-256 key of 16 bytes in --key" --key "$STA=gcmp-256:$TK1" "$CAP"
refused "broadcast peer in --key" --key "ff:ff:ff:ff:ff:ff=ccmp:$TK1" "$CAP"
leaks=$(grep -il -e "$TK1" -e "$TK2" -e "$TK3" -e "${TK1%??}" -e "$WRONG" \
	"$TMP"/*.err "$TMP"/*.json "$TMP"/pass.txt 2>/dev/null)
check_eq "no key bytes in any output or error message" "$leaks" ""

tap_exit
