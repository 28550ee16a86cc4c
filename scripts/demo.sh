#!/usr/bin/env bash
# SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#
# make demo: decrypt a real WPA2 capture inside XDP on a simulated monitor-mode NIC.
#
# In a network namespace of its own, monsim makes a TUN device of link type 803
# (ieee802.11/radiotap), the stand-in for a Wi-Fi card in monitor mode. dot11xdp attaches
# its receive program to it, and the frames of testdata/wpa2-psk-linksys.cap (a public
# capture with three WPA2 4-way handshakes) go "over the air" into it. After each handshake
# the demo installs the new pairwise key with `dot11xdp key add`, which goes through
# Dot11ExtSetKeyMappingKey as a supplicant would; what the interface then receives is
# plaintext. Everything it makes is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
OUTPUT=${OUTPUT:-build}
DOT11XDP=$OUTPUT/dot11xdp
MONSIM=$OUTPUT/tools/monsim
CAPTURE=testdata/wpa2-psk-linksys.cap
IFNAME=mon0
# The station and its three pairwise temporal keys (TKs), in order of use. A supplicant derives
# each from the passphrase "dictionary" (SSID "linksys") and its handshake's nonces.
STA=00:13:ce:55:98:ef
TKS=(1d035e8beb4f83611dc93e2657cecf69 0ab0404984be2ef15086aa997804f47e
	03c8a3e8f5b3c825d3dccce7e5e3f263)

die() { echo "demo: $*" >&2; exit 1; }
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold= plain=; fi
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }
run() { echo "  \$ $*"; "$@" | sed 's/^/    /'; }

if [ -z "${DOT11XDP_DEMO_NETNS:-}" ]; then
	[ "$(id -u)" -eq 0 ] || die "run as root (it creates a network namespace and loads BPF programs)"
	for tool in ip tshark; do
		command -v "$tool" >/dev/null || die "$tool is not installed (make deps)"
	done
	for bin in "$DOT11XDP" "$MONSIM"; do
		[ -x "$bin" ] || die "$bin is not built (make)"
	done
	[ -r "$CAPTURE" ] || die "$CAPTURE is missing"
	netns=dot11xdp-demo-$$
	step "A network namespace of its own: $netns"
	ip netns add "$netns" || die "cannot create network namespace $netns"
	trap 'ip netns del "$netns" 2>/dev/null' EXIT
	# `ip netns exec` also gives the demo a mount namespace with a fresh /sys: the pins it
	# makes under /sys/fs/bpf vanish with it.
	rc=0
	ip netns exec "$netns" env DOT11XDP_DEMO_NETNS="$netns" OUTPUT="$OUTPUT" bash "$0" || rc=$?
	ip netns del "$netns"
	trap - EXIT
	step "Cleaned up: network namespace $netns removed"
	exit $rc
fi

work=$(mktemp -d /tmp/dot11xdp-demo.XXXXXX)
capture_pid=
cleanup() {
	[ -n "$capture_pid" ] && kill "$capture_pid" 2>/dev/null && wait "$capture_pid" 2>/dev/null
	"$DOT11XDP" detach "$IFNAME" >/dev/null 2>&1 || true
	"$MONSIM" delete "$IFNAME" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

frames=$(tshark -n -r "$CAPTURE" 2>/dev/null | wc -l)
protected=$(tshark -n -r "$CAPTURE" -Y 'wlan.fc.protected == 1' 2>/dev/null | wc -l)
# Each handshake ends with message 4 of 4; its TK protects the frames after it.
mapfile -t handshake_end < <(tshark -n -r "$CAPTURE" -Y 'wlan_rsna_eapol.keydes.msgnr == 4' \
	-T fields -e frame.number 2>/dev/null)
[ "${#handshake_end[@]}" -eq "${#TKS[@]}" ] ||
	die "expected ${#TKS[@]} handshakes in $CAPTURE, tshark finds ${#handshake_end[@]}"
example=$(tshark -n -r "$CAPTURE" -Y 'wlan.fc.protected == 1 && wlan.fc.ds == 1' \
	-T fields -e _ws.col.Info 2>/dev/null | head -1)
echo "The capture ($CAPTURE): $frames frames, $protected of them encrypted, which without"
echo "keys look like this: \"$example\"."
echo "Its three 4-way handshakes end at frames ${handshake_end[*]}."

step "A simulated monitor-mode NIC, $IFNAME"
run "$MONSIM" create "$IFNAME"
ip link show "$IFNAME" | sed 's/^/    /'

step "Attach dot11xdp's receive program (generic XDP, maps pinned under /sys/fs/bpf/dot11xdp/$IFNAME)"
run "$DOT11XDP" attach "$IFNAME"

# Record what the interface receives after XDP: that is what any application on it sees.
"$MONSIM" capture "$IFNAME" "$work/received.pcap" --ready-file "$work/ready" >"$work/capture.log" 2>&1 &
capture_pid=$!
for _ in $(seq 100); do
	[ -e "$work/ready" ] && break
	kill -0 "$capture_pid" 2>/dev/null || break
	sleep 0.05
done
[ -e "$work/ready" ] || die "monsim capture did not start: $(cat "$work/capture.log")"

step "Play the capture into $IFNAME, installing each new key right after its handshake"
first=1
for k in "${!TKS[@]}"; do
	run "$MONSIM" feed "$IFNAME" "$CAPTURE" --frames "$first-${handshake_end[$k]}"
	echo "  # handshake $((k + 1)) done: install its TK for $STA"
	run "$DOT11XDP" key add "$IFNAME" "$STA" ccmp "${TKS[$k]}"
	first=$((handshake_end[k] + 1))
done
run "$MONSIM" feed "$IFNAME" "$CAPTURE" --frames "$first-"
kill -TERM "$capture_pid"
wait "$capture_pid" || die "monsim capture failed: $(cat "$work/capture.log")"
capture_pid=

step "What $IFNAME received: the frames dot11xdp decrypted, as tshark decodes them"
# Decrypted frames now carry plaintext (LLC and above); EAPOL was never encrypted.
tshark -n -r "$work/received.pcap" -Y 'llc && !eapol' -T fields -e _ws.col.Source \
	-e _ws.col.Destination -e _ws.col.Protocol -e _ws.col.Info 2>/dev/null |
	sed 's/ *(request in [0-9]*)//' |
	awk -F '\t' '{ printf "    %-17s -> %-17s %-5s %s\n", $1, $2, $3, $4 }' | tee "$work/plaintext"
decrypted=$(wc -l <"$work/plaintext")

step "dot11xdp's counters"
run "$DOT11XDP" stats "$IFNAME"
stats=$("$DOT11XDP" stats "$IFNAME" --json)
counter() { grep -o "\"$1\":[0-9]*" <<<"$stats" | head -1 | cut -d: -f2; }
run "$DOT11XDP" detach "$IFNAME"

echo
if [ "$decrypted" -eq 0 ]; then
	echo "demo: FAILED: no frame came out decrypted" >&2
	exit 1
fi
echo "$decrypted of the $protected encrypted frames came out decrypted. dot11xdp dropped" \
	"$(counter replay) retransmissions as replays, and passed $(counter no_key) unchanged that no" \
	"key it holds covers (sent under the group key or before the first handshake)."
