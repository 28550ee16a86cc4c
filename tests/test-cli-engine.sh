#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The AES engine on the command line: `attach --engine`, what attach and status say, keys on
# each engine, an attachment refusing the other engine, and `decrypt --engine` on a real WPA2
# capture, the kfunc engine's output compared byte for byte with the table engine's (which
# test-offline.sh holds against airdecap-ng and tshark). In network and mount namespaces of
# its own, so the pins are this test's alone.
set -uo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
. tests/lib/tap.sh
OUTPUT=${OUTPUT:-build}
SHARED=${SHARED:-../shared}
DOT11XDP=$(realpath "$OUTPUT/dot11xdp" 2>/dev/null || echo "$OUTPUT/dot11xdp")
CAP=$(realpath "$SHARED/testdata/captures/wpa2-psk-linksys.cap" 2>/dev/null || echo missing)

has() { grep -Eq -- "$1" <<<"$2"; } # has REGEX TEXT

if [ "${H10_ENGINE_INNER:-}" != 1 ]; then
	missing=()
	[ "$(id -u)" -eq 0 ] || missing+=("root (XDP, BPF maps, namespaces)")
	for tool in unshare ip bpftool cmp; do
		command -v "$tool" >/dev/null || missing+=("$tool")
	done
	[ -x "$DOT11XDP" ] || missing+=("$DOT11XDP (run make)")
	[ -r "$CAP" ] || missing+=("$SHARED/testdata/captures/wpa2-psk-linksys.cap")
	if [ ${#missing[@]} -gt 0 ]; then
		not_ok "prerequisites" "missing: ${missing[*]}"
		exit 1
	fi
	exec unshare --net --mount --propagation private -- env H10_ENGINE_INNER=1 bash "$0" "$@"
fi

mount -t sysfs sysfs /sys || { not_ok "mount sysfs in the test's namespace"; exit 1; }
TMP=$(mktemp -d /tmp/h10-engine.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

IF=h10eng0
PEER_IF=h10eng1
ip link add "$IF" type veth peer name "$PEER_IF" || { not_ok "create veth $IF"; exit 1; }
ip link set "$IF" up && ip link set "$PEER_IF" up
PINS=/sys/fs/bpf/dot11xdp/$IF

# captures/MANIFEST.md: the station of wpa2-psk-linksys.cap and its temporal keys.
STA=00:13:ce:55:98:ef
TK1=1d035e8beb4f83611dc93e2657cecf69
TK2=0ab0404984be2ef15086aa997804f47e
TK3=03c8a3e8f5b3c825d3dccce7e5e3f263
KEY256=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f

# d ARGS...: run dot11xdp; stdout in $OUT, stderr in $ERR, exit status in $RC.
d() {
	"$DOT11XDP" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}
contexts() { bpftool map dump pinned "$PINS/dot11xdp_crypto" 2>/dev/null | grep -c '"key":'; }

# --- the default: kfunc where the kernel has it ----------------------------------------------

d attach "$IF"
check_eq "attach exits 0" "$RC" 0
check "attach names the engine: kfunc" has "^$IF: attached in skb mode; maps pinned at $PINS; kfunc AES engine$" "$OUT"
check_eq "no warning: the kernel has the kfunc engine" "$ERR" ""
d status "$IF"
check "status: engine kfunc" has "^  engine +kfunc$" "$OUT"
d status "$IF" --json
check "status --json: \"engine\":\"kfunc\"" has '"engine":"kfunc"' "$OUT"
check_eq "the context map is pinned, root-only" "$(stat -c %a "$PINS/dot11xdp_crypto" 2>/dev/null)" 600

d key add "$IF" "$STA" ccmp "$TK1"
check_eq "key add ccmp on the kfunc engine" "$RC" 0
d key add "$IF" 02:00:00:00:00:02 ccmp-256 "$KEY256" --pn 5
check_eq "key add ccmp-256 on the kfunc engine" "$RC" 0
check_eq "two keys, two context entries" "$(contexts)" 2
d key list "$IF"
check "key list shows the keys' engine" has "ccmp-256 .*kfunc" "$OUT"
d key add "$IF" "$STA" ccmp "$TK2"
check_eq "replacing a key keeps one context entry per key" "$(contexts)" 2
d key del "$IF" 02:00:00:00:00:02
check_eq "key del removes its contexts" "$(contexts)" 1
# RC4 ciphers run in BPF on either engine: their keys need no kernel AES contexts.
d key add "$IF" 02:00:00:00:00:03 tkip "$TK1$TK2"
check_eq "key add tkip on the kfunc engine" "$RC" 0
d key add "$IF" 02:00:00:00:00:04 wep40 0102030405
check_eq "key add wep40 on the kfunc engine" "$RC" 0
d key add "$IF" 02:00:00:00:00:05 wep 0102030405060708090a0b0c0d
check_eq "key add wep (13 bytes) on the kfunc engine" "$RC" 0
d key list "$IF"
check "key list: wep of 13 bytes is stored as wep104" has "02:00:00:00:00:05 .*wep104" "$OUT"
check_eq "TKIP and WEP keys add no context entries" "$(contexts)" 1

d attach "$IF" --engine table
check_eq "attach --engine table on a kfunc attachment exits 1" "$RC" 1
check "... in one line saying to detach first" has "^dot11xdp: $IF is attached with the kfunc AES engine; detach it first to use the table engine$" "$ERR"
check_eq "... and changes nothing" "$(contexts)" 1
d attach "$IF" --engine kfunc
check "attach --engine kfunc again reuses the attachment" has "^$IF: already attached; .*; kfunc AES engine$" "$OUT"
d attach "$IF" --engine aes
check_eq "an unknown engine is a usage error (exit 2)" "$RC" 2
check "... naming the engines" has "engine must be one of kfunc\|table, not 'aes'" "$ERR"

d reset "$IF"
check_eq "reset removes every context entry" "$(contexts)" 0
d detach "$IF"
check_eq "detach" "$RC" 0

# --- the table engine ------------------------------------------------------------------------

d attach "$IF" --engine table
check "attach --engine table" has "^$IF: attached in skb mode; maps pinned at $PINS; table AES engine$" "$OUT"
check_eq "no warning when the table engine was asked for" "$ERR" ""
d status "$IF"
check "status: engine table" has "^  engine +table$" "$OUT"
check "the table engine pins no context map" [ ! -e "$PINS/dot11xdp_crypto" ]
d status "$IF" --json
PROG_ID=$(sed -n 's/.*"program_id":\([0-9]*\).*/\1/p' <<<"$OUT")
MAP_NAMES=$(bpftool prog show id "$PROG_ID" -j 2>/dev/null | sed -n 's/.*"map_ids":\[\([0-9,]*\)\].*/\1/p' |
	tr ',' '\n' | while read -r id; do bpftool map show id "$id" -j | sed -n 's/.*"name":"\([^"]*\)".*/\1/p'; done)
check "its program (id $PROG_ID) is the table-only build: dot11xdp_keys, no dot11xdp_crypto" \
	bash -c "grep -qx dot11xdp_keys <<<'$MAP_NAMES' && ! grep -qx dot11xdp_crypto <<<'$MAP_NAMES'"
d key add "$IF" "$STA" ccmp-256 "$KEY256"
check_eq "key add ccmp-256 on the table engine" "$RC" 0
d key list "$IF"
check "key list: table engine" has "ccmp-256 .*table" "$OUT"
d attach "$IF" --engine kfunc
check "attach --engine kfunc on a table attachment is refused" has "^dot11xdp: $IF is attached with the table AES engine; detach it first to use the kfunc engine$" "$ERR"
d detach "$IF"

# --- decrypt --engine ------------------------------------------------------------------------

# One key per run (the kfunc engine takes no candidates): each key period of the capture.
total=0
for tk in "$TK1" "$TK2" "$TK3"; do
	for engine in table kfunc; do
		d decrypt --engine "$engine" --key "$STA=ccmp:$tk" --json "$CAP" "$TMP/$engine.pcap"
		[ "$RC" -eq 0 ] || not_ok "decrypt --engine $engine --key ...${tk: -4} exits 0" "$ERR"
		has "\"engine\":\"$engine\"" "$OUT" ||
			not_ok "decrypt --engine $engine: the summary names the engine" "$OUT"
		sed -n 's/.*"decrypted":\([0-9]*\).*/\1/p' <<<"$OUT" | head -1 >"$TMP/$engine.decrypted"
		d decrypt --engine "$engine" --key "$STA=ccmp:$tk" --ether "$CAP" "$TMP/$engine.eth"
		[ "$RC" -eq 0 ] || not_ok "decrypt --engine $engine --ether exits 0" "$ERR"
	done
	n=$(cat "$TMP/table.decrypted")
	total=$((total + n))
	check "key ...${tk: -4}: both engines decrypt the same $n frames" \
		[ "$n" -gt 0 -a "$(cat "$TMP/kfunc.decrypted")" = "$n" ]
	check "key ...${tk: -4}: the kfunc engine's 802.11 output is the table engine's, byte for byte" \
		cmp -s "$TMP/table.pcap" "$TMP/kfunc.pcap"
	check "key ...${tk: -4}: the kfunc engine's Ethernet output is the table engine's, byte for byte" \
		cmp -s "$TMP/table.eth" "$TMP/kfunc.eth"
done
check_eq "the three keys decrypt the capture's 25 frames (README, MANIFEST)" "$total" 25
d decrypt --engine kfunc --key "$STA=ccmp:$TK1" --key "$STA=ccmp:$TK2" "$CAP" "$TMP/x.pcap"
check_eq "decrypt --engine kfunc with candidate keys is a usage error (exit 2)" "$RC" 2
check "... saying why in one line" has "^dot11xdp: --engine kfunc takes one --key per peer; candidate keys for a capture that rekeys need the table engine$" "$ERR"
check "... and writes nothing" [ ! -e "$TMP/x.pcap" ]

tap_exit
