#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# What `bpftool map dump` shows of a key set through the CLI, and who may see it.
#
# On a monsim NIC in a fresh network namespace: attach, `dot11xdp key add`, then dump the
# pinned key map as root, plain and JSON. The maps carry BTF, so the dump names every field:
# the peer MAC and the cipher must be there by name. The key material is there as well: the
# table-driven AES engine keeps the expanded key schedule in the map value, and the first
# words of an AES-128 schedule are the key itself, so root can read the TK back from the dump.
# The test asserts exactly that (or, for the kernel-crypto engine, that the TK is absent), and
# that only root can reach the pins: directory mode 0700, pin files without group or other
# permissions, and an unprivileged user cannot even see them.
set -uo pipefail
cd "$(dirname "$0")/.."
. tests/lib/tap.sh
OUTPUT=${OUTPUT:-build}
DOT11XDP=$OUTPUT/dot11xdp
MONSIM=$OUTPUT/tools/monsim
IFNAME=h4bt0
PEER=02:13:ce:55:98:ef
TK=000102030405060708090a0b0c0d0e0f
PIN_DIR=/sys/fs/bpf/dot11xdp/$IFNAME
KEYS_PIN=$PIN_DIR/dot11xdp_keys

# Outside: check what the test needs, then rerun inside a network namespace (and, through
# `ip netns exec`, a mount namespace with a fresh /sys where the library mounts bpffs).
if [ -z "${H4_BPFTOOL_NETNS:-}" ]; then
	[ "$(id -u)" -eq 0 ] || fatal "bpftool: needs root (network namespaces, XDP, BPF maps)"
	for tool in ip bpftool setpriv; do
		command -v "$tool" >/dev/null || fatal "bpftool: $tool not installed (make deps)"
	done
	for bin in "$DOT11XDP" "$MONSIM"; do
		[ -x "$bin" ] || fatal "bpftool: $bin not built (make)"
	done
	netns=h4bt-$$
	ip netns add "$netns" || fatal "bpftool: cannot create network namespace $netns"
	trap 'ip netns del "$netns" 2>/dev/null' EXIT
	ip netns exec "$netns" env H4_BPFTOOL_NETNS="$netns" OUTPUT="$OUTPUT" bash "$0"
	exit $?
fi

cleanup() {
	"$DOT11XDP" detach "$IFNAME" >/dev/null 2>&1
	"$MONSIM" delete "$IFNAME" >/dev/null 2>&1
}
trap cleanup EXIT

out=$("$MONSIM" create "$IFNAME" 2>&1) || fatal "bpftool: monsim create: $out"
out=$("$DOT11XDP" attach "$IFNAME" 2>&1) || fatal "bpftool: dot11xdp attach $IFNAME: $out"
out=$("$DOT11XDP" key add "$IFNAME" "$PEER" ccmp "$TK" 2>&1) ||
	fatal "bpftool: dot11xdp key add: $out"

plain=$(bpftool map dump pinned "$KEYS_PIN" 2>&1)
check "bpftool map dump pinned $KEYS_PIN works" [ $? -eq 0 ]
json=$(bpftool -j map dump pinned "$KEYS_PIN" 2>&1)
check "bpftool -j map dump pinned $KEYS_PIN works" [ $? -eq 0 ]
echo "$plain" | sed 's/^/# /' | head -16

# bpftool prints a u8 array in decimal: "peer": [2,19,206,85,152,239].
peer_dec=$(IFS=:; for b in $PEER; do printf '%d,' "0x$b"; done)
peer_dec=${peer_dec%,}
squeeze() { tr -d ' \n'; }
check "the plain dump names the peer: \"peer\": [$peer_dec]" \
	grep -qF "\"peer\":[$peer_dec]" <<<"$(squeeze <<<"$plain")"
check "the plain dump names the cipher: \"cipher\": 4 (CCMP)" \
	grep -qF '"cipher":4,' <<<"$(squeeze <<<"$plain")"
check "the plain dump names the direction" grep -qE '"direction":[123],' <<<"$(squeeze <<<"$plain")"
formatted=$(squeeze <<<"$json" | grep -o '"formatted":.*')
check "the JSON dump has a BTF-formatted entry with the peer by name" \
	grep -qF "\"peer\":[$peer_dec]" <<<"$formatted"
check "the JSON dump has the cipher by name" grep -qF '"cipher":4,' <<<"$formatted"
check "the dump holds exactly one key" [ "$(grep -o '"peer":' <<<"$formatted" | wc -l)" -eq 1 ]

# The key material, by engine.
engine=$(grep -o '"engine":[0-9]*' <<<"$formatted" | head -1 | cut -d: -f2)
schedule=$(grep -o '"aes_schedule":\[[0-9,]*\]' <<<"$formatted" | head -1 | tr -dc '0-9,')
# The raw value bytes bpftool -j prints before the formatted entry: "value":["0x04",...].
raw_value=$(squeeze <<<"$json" | grep -o '"value":\[[^]]*\]' | head -1 | grep -o '0x[0-9a-f]*' |
	sed 's/^0x//' | tr -d '\n')
case "$engine" in
1)
	first_words=$(IFS=,; set -- $schedule; printf '%08x' "$1" "$2" "$3" "$4")
	check "table engine: the dump shows the TK itself as aes_schedule[0..3] (root-only map)" \
		[ "$first_words" = "$TK" ]
	words=$(tr ',' '\n' <<<"$schedule")
	echo "# aes_schedule[0..3] = $first_words = the TK; [4..43] its AES-128 expansion;" \
		"[44..59] unused, zero: $(tail -n +45 <<<"$words" | sort -u | tr '\n' ' ')"
	;;
2)
	check "kernel-crypto engine: the dumped value has all its bytes" \
		[ "${#raw_value}" -eq $((2 * $(bpftool -j map show pinned "$KEYS_PIN" |
			grep -o '"bytes_value":[0-9]*' | cut -d: -f2))) ]
	check "kernel-crypto engine: the TK appears nowhere in the dumped value" \
		bash -c "! grep -q '$TK' <<<'$raw_value'"
	;;
*)
	not_ok "the dump names the key's engine (got '$engine')"
	;;
esac

# Who may see the pins.
check "pin directory $PIN_DIR has mode 0700" [ "$(stat -c %a "$PIN_DIR")" = 700 ]
parent_mode=$(stat -c %a "$(dirname "$PIN_DIR")")
check "pin root $(dirname "$PIN_DIR") has mode 0700 ($parent_mode)" [ "$parent_mode" = 700 ]
check "pin directory is root's" [ "$(stat -c %u "$PIN_DIR")" = 0 ]
loose=0
for f in "$PIN_DIR"/*; do
	mode=$(stat -c %a "$f")
	echo "# $(basename "$f") mode $mode"
	[ $((8#$mode & 8#077)) -eq 0 ] || loose=$((loose + 1))
done
check "no pin file grants group or other any access" [ "$loose" -eq 0 ]
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# The negative checks below mean something only if the privilege drop itself works.
check "setpriv runs a command as user nobody" \
	[ "$("${nobody[@]}" id -u 2>/dev/null)" = 65534 ]
check "user nobody cannot see the pinned key map" bash -c "! ${nobody[*]} test -e '$KEYS_PIN'"
check "user nobody cannot list the pin directory" bash -c "! ${nobody[*]} ls '$PIN_DIR' >/dev/null 2>&1"
check "user nobody cannot dump the key map with bpftool" \
	bash -c "! ${nobody[*]} bpftool map dump pinned '$KEYS_PIN' >/dev/null 2>&1"

# The CLI listing is the place for people: it never shows the bytes.
list=$("$DOT11XDP" key list "$IFNAME" 2>&1)
check "dot11xdp key list shows the peer but not the key" \
	bash -c "grep -qi '$PEER' <<<'$list' && ! grep -qi '$TK' <<<'$list'"
tap_exit
