#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Every dot11xdp subcommand on real interfaces (a veth pair) in a network namespace of its own,
# with a private mount namespace so the bpffs the library mounts and the pins it makes are this
# test's alone: attach, status, key add|list|del, disconnect, reset, stats, detach; and bad
# input, which must be refused in one line with a non-zero exit and change nothing.
set -uo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
. tests/lib/tap.sh
OUTPUT=${OUTPUT:-build}
DOT11XDP=$(realpath "$OUTPUT/dot11xdp" 2>/dev/null || echo "$OUTPUT/dot11xdp")

has() { grep -Eq -- "$1" <<<"$2"; }   # has REGEX TEXT
lacks() { ! grep -Eq -- "$1" <<<"$2"; }

if [ "${H3_CLI_INNER:-}" != 1 ]; then
	missing=()
	[ "$(id -u)" -eq 0 ] || missing+=("root (XDP, BPF maps, namespaces)")
	command -v unshare >/dev/null || missing+=(unshare)
	command -v ip >/dev/null || missing+=("ip (iproute2)")
	[ -x "$DOT11XDP" ] || missing+=("$DOT11XDP (run make)")
	if [ ${#missing[@]} -gt 0 ]; then
		not_ok "prerequisites" "missing: ${missing[*]}"
		exit 1
	fi
	# A fresh network namespace, and a mount namespace whose /sys shows it.
	exec unshare --net --mount --propagation private -- env H3_CLI_INNER=1 bash "$0" "$@"
fi

mount -t sysfs sysfs /sys || { not_ok "mount sysfs in the test's namespace"; exit 1; }
TMP=$(mktemp -d /tmp/h3-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
LOG=$TMP/all-output # everything dot11xdp prints, searched for key bytes at the end

IF=h3cli0
PEER_IF=h3cli1
# No IPv6: its autoconfiguration would send frames of its own while stats are counted.
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add "$IF" type veth peer name "$PEER_IF" || { not_ok "create veth $IF"; exit 1; }
ip link set "$IF" up && ip link set "$PEER_IF" up
ip addr add 192.0.2.1/24 dev "$PEER_IF"
# Datagrams to 192.0.2.2 leave $PEER_IF straight for $IF, without ARP first.
ip neigh add 192.0.2.2 lladdr "$(cat "/sys/class/net/$IF/address")" dev "$PEER_IF" nud permanent

STA=00:13:ce:55:98:ef
KEY1=1d035e8beb4f83611dc93e2657cecf69
KEY2=0ab0404984be2ef15086aa997804f47e
KEY3=03c8a3e8f5b3c825d3dccce7e5e3f263
P2=02:00:00:00:00:02
P3=02:00:00:00:00:03

# d ARGS...: run dot11xdp; stdout in $OUT, stderr in $ERR, exit status in $RC.
d() {
	"$DOT11XDP" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	cat "$TMP/out" "$TMP/err" >>"$LOG" # outputs only: the command lines hold keys
}
keys_json() { "$DOT11XDP" key list "$IF" --json 2>&1 | tee -a "$LOG"; }

# --- status before anything, attach ----------------------------------------------------------

d status "$IF"
check_eq "status of an interface never attached exits 0" "$RC" 0
check "status says it is not attached" grep -q "^$IF: not attached" <<<"$OUT"
d status --json
check_eq "status --json with nothing attached is an empty list" "$OUT" "[]"

d attach "$IF"
check_eq "attach exits 0" "$RC" 0
check "attach says where the maps are pinned" grep -q "/sys/fs/bpf/dot11xdp/$IF" <<<"$OUT"
check_eq "bpffs is mounted at /sys/fs/bpf" "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" bpf_fs
check_eq "the pin directory is readable by root only (0700)" \
	"$(stat -c %a "/sys/fs/bpf/dot11xdp/$IF" 2>/dev/null)" 700
check "the kernel shows a generic XDP program on $IF" \
	grep -q xdpgeneric <<<"$(ip link show dev "$IF")"

d status "$IF"
check_eq "status exits 0" "$RC" 0
check "status: attached" grep -q "^$IF: attached$" <<<"$OUT"
check "status: skb mode" grep -Eq "xdp program +.*\(skb, id [0-9]+\)" <<<"$OUT"
check "status: pin directory" grep -Eq "pin directory +/sys/fs/bpf/dot11xdp/$IF$" <<<"$OUT"
check "status: no keys, default table of 4096" grep -Eq "keys +0 of 4096$" <<<"$OUT"
check "status: engine" grep -Eq "engine +(table|kfunc)$" <<<"$OUT"
d status "$IF" --json
want='^\{"ifname":"'$IF'","exists":true,"attached":true,.*"xdp_mode":"skb".*'
want+='"pin_dir":"/sys/fs/bpf/dot11xdp/'$IF'","keys":0,"key_table_size":4096,'
want+='"engine":"(table|kfunc)"'
check "status --json" has "$want" "$OUT"
d status
check "status without IFNAME lists the attached interface" grep -q "^$IF: attached$" <<<"$OUT"

d attach "$IF"
check_eq "attaching again exits 0" "$RC" 0
check "attaching again reuses the maps" grep -q "already attached" <<<"$OUT"
d attach "$IF" --key-table-size 8
check "attaching again with another table size is refused" [ "$RC" -ne 0 ]

# --- key add, list -------------------------------------------------------------------------

d key add "$IF" "$STA" ccmp "$KEY1"
check_eq "key add ccmp exits 0" "$RC" 0
check "key add says what it set, not the key" \
	grep -q "ccmp key set for $STA (direction both)" <<<"$OUT"
d key list "$IF"
check_eq "key list exits 0" "$RC" 0
check "key list shows peer, direction, cipher, static, engine, generation" \
	grep -Eq "^$STA +both +ccmp +no +(table|kfunc) +[0-9]+$" <<<"$OUT"
gen1=$(awk -v p="$STA" '$1 == p { print $6 }' <<<"$OUT")

d key add "$IF" "$STA" ccmp "$(sed 's/../&:/g; s/:$//' <<<"$KEY2")"
check_eq "key add takes colon-separated hex and replaces the key" "$RC" 0
d key list "$IF"
gen2=$(awk -v p="$STA" '$1 == p { print $6 }' <<<"$OUT")
check "replacing a key gives it a new generation ($gen1 -> $gen2)" \
	[ -n "$gen1" -a -n "$gen2" -a "$gen1" != "$gen2" ]
check_eq "replacing a key keeps one key for the peer" "$(grep -c "^$STA" <<<"$OUT")" 1

echo "$KEY3" | "$DOT11XDP" key add "$IF" "$P2" ccmp - --static --direction in --pn 5 \
	>"$TMP/out" 2>&1
check_eq "key add reads HEXKEY '-' from stdin (static, inbound, --pn)" "$?" 0
cat "$TMP/out" >>"$LOG"
"$DOT11XDP" key add "$IF" "$P3" ccmp "$KEY1" --direction out >>"$LOG" 2>&1
d key list "$IF" --json
check_eq "key list --json exits 0" "$RC" 0
want="{\"peer\":\"$P2\",\"direction\":\"in\",\"cipher\":\"ccmp\",\"static\":true,"
check "key list --json: the static inbound key" grep -qF "$want" <<<"$OUT"
check "key list --json: its starting PN (--pn 5)" \
	grep -qE "\{\"peer\":\"$P2\"[^}]*\"rx_pn_init\":5\}" <<<"$OUT"
check "key list --json: three keys" [ "$(grep -o '"peer"' <<<"$OUT" | wc -l)" -eq 3 ]
check "key list --json: direction out" grep -qF "{\"peer\":\"$P3\",\"direction\":\"out\"" <<<"$OUT"
d status "$IF"
check "status counts the keys" grep -Eq "keys +3 of 4096$" <<<"$OUT"

# --- stats ---------------------------------------------------------------------------------

d stats "$IF"
check_eq "stats exits 0" "$RC" 0
counter_names='decrypted|unprotected|no key|replays|MIC failures|malformed|bad FCS|unsupported cipher'
check_eq "stats lists every counter" "$(grep -cE "^  ($counter_names) +[0-9]+$" <<<"$OUT")" 8
total_before=$(awk '/^  / { s += $NF } END { print s + 0 }' <<<"$OUT")
# Three datagrams sent from the veth peer are three frames for the program on $IF (Ethernet
# frames, not radiotap: whatever outcome it gives them, it counts them).
for i in 1 2 3; do echo "frame $i" >/dev/udp/192.0.2.2/9; done
d stats "$IF" --peers
total_after=$(awk '/^  / { s += $NF } END { print s + 0 }' <<<"$OUT")
check_eq "stats count the 3 frames the program saw" "$((total_after - total_before))" 3
check "stats --peers prints the per-transmitter table" grep -q "^TRANSMITTER" <<<"$OUT"
d stats "$IF" --peers --json
counters='"decrypted":[0-9]+,"unprotected":[0-9]+,"no_key":[0-9]+,"replay":[0-9]+,'
counters+='"mic_failure":[0-9]+,"malformed":[0-9]+,"bad_fcs":[0-9]+,"unsupported":[0-9]+'
check "stats --json" has '^\{"ifname":"'$IF'","global":\{'"$counters"'\},"peers":\[.*\]\}$' "$OUT"

# --- bad input: one line, non-zero exit, nothing changed ------------------------------------

refuse() { # name, args...
	local name=$1 before after lines
	shift
	before=$(keys_json)
	d "$@"
	after=$(keys_json)
	lines=$(wc -l <"$TMP/err")
	if [ "$RC" -ne 0 ] && [ "$lines" -eq 1 ] && [ -z "$OUT" ] && [ "$before" = "$after" ]; then
		ok "$name: refused ($ERR)"
	else
		not_ok "$name: refused in one line, non-zero exit, keys unchanged" "exit $RC" \
			"stderr ($lines lines): $ERR" "stdout: $OUT" "keys before: $before" \
			"keys after: $after"
	fi
}
refuse "bad MAC" key add "$IF" 00:13:ce:55:98 ccmp "$KEY1"
refuse "bad MAC digit" key add "$IF" 00:13:ce:55:98:eg ccmp "$KEY1"
refuse "multicast peer" key add "$IF" 01:00:5e:00:00:01 ccmp "$KEY1"
refuse "broadcast peer" key add "$IF" ff:ff:ff:ff:ff:ff ccmp "$KEY1"
refuse "all-zero peer" key add "$IF" 00:00:00:00:00:00 ccmp "$KEY1"
refuse "bad hex" key add "$IF" "$STA" ccmp "${KEY1%??}zz"
refuse "odd hex" key add "$IF" "$STA" ccmp "${KEY1%?}"
refuse "doubled colon" key add "$IF" "$STA" ccmp "1d::035e8beb4f83611dc93e2657cecf69"
refuse "unknown cipher" key add "$IF" "$STA" aes "$KEY1"
refuse "unsupported cipher gcmp" key add "$IF" "$STA" gcmp "$KEY1"
refuse "unsupported cipher gcmp-256" key add "$IF" "$STA" gcmp-256 "$KEY1$KEY2"
refuse "ccmp key too short" key add "$IF" "$STA" ccmp "${KEY1%??}"
refuse "ccmp key too long" key add "$IF" "$STA" ccmp "${KEY1}00"
refuse "tkip key of 16 bytes" key add "$IF" "$STA" tkip "$KEY1"
refuse "ccmp-256 key of 16 bytes" key add "$IF" "$STA" ccmp-256 "$KEY1"
refuse "wep key of 6 bytes" key add "$IF" "$STA" wep 1f1f1f1f1f1f
refuse "missing HEXKEY" key add "$IF" "$STA" ccmp
refuse "missing everything" key add
refuse "unknown option" key add "$IF" "$STA" ccmp "$KEY1" --bogus
refuse "bad direction" key add "$IF" "$STA" ccmp "$KEY1" --direction sideways
refuse "PN beyond 48 bits" key add "$IF" "$STA" ccmp "$KEY1" --pn 281474976710656
refuse "extra argument" key add "$IF" "$STA" ccmp "$KEY1" extra
refuse "no such interface" key add h3nosuch "$STA" ccmp "$KEY1"
refuse "interface not attached" key add "$PEER_IF" "$STA" ccmp "$KEY1"
refuse "bad interface name" key list "bad/name"
refuse "key del: bad MAC" key del "$IF" 00:13:ce:55:98
refuse "disconnect: bad MAC" disconnect "$IF" not-a-mac
refuse "stats of an interface not attached" stats "$PEER_IF"
refuse "unknown subcommand" key frob "$IF"
refuse "unknown command" frobnicate

# --- disconnect, key del, reset -------------------------------------------------------------

d disconnect "$IF" "$P3"
check_eq "disconnect PEER exits 0" "$RC" 0
d key list "$IF"
check "disconnect PEER removes its key" lacks "^$P3" "$OUT"
check_eq "disconnect PEER leaves two keys" "$(grep -cE "^($STA|$P2) " <<<"$OUT")" 2
d disconnect "$IF"
check_eq "disconnect (all peers) exits 0" "$RC" 0
d key list "$IF"
check "disconnect removes the non-static keys" lacks "^$STA" "$OUT"
check "the static key survives disconnect" grep -Eq "^$P2 +in +ccmp +yes " <<<"$OUT"

d key del "$IF" "$P2"
check_eq "key del exits 0" "$RC" 0
check "key del says what it deleted" grep -q "deleted the ccmp key of $P2 (direction in)" <<<"$OUT"
d key list "$IF"
check "key del removes a static key" grep -q "no keys" <<<"$OUT"
d key del "$IF" "$P2"
check_eq "deleting a key that is not there is not an error" "$RC" 0
check "... and says nothing was deleted" grep -q "nothing deleted" <<<"$OUT"

"$DOT11XDP" key add "$IF" "$STA" ccmp "$KEY1" >>"$LOG" 2>&1
"$DOT11XDP" key add "$IF" "$P2" ccmp "$KEY2" --static >>"$LOG" 2>&1
"$DOT11XDP" key add "$IF" "$STA" ccmp "$KEY3" --direction in >>"$LOG" 2>&1
d key del "$IF" "$STA" --direction in
d key list "$IF" --json
check "key del --direction deletes only that direction" \
	grep -qF "{\"peer\":\"$STA\",\"direction\":\"both\"" <<<"$OUT"
check "... and not the other" lacks '"direction":"in"' "$OUT"
d reset "$IF"
check_eq "reset exits 0" "$RC" 0
check "reset reports what it removed" grep -q "removed 2 keys; 0 left" <<<"$OUT"
check_eq "reset removes every key, static ones too" "$(keys_json)" "[]"

# --- a small key table ----------------------------------------------------------------------

d attach "$PEER_IF" --native --key-table-size 2
check_eq "attach --native --key-table-size 2 exits 0 (veth has native XDP)" "$RC" 0
d status "$PEER_IF" --json
check "status shows native mode and the table size" \
	grep -Eq "\"xdp_mode\":\"native\".*\"key_table_size\":2" <<<"$OUT"
"$DOT11XDP" key add "$PEER_IF" "$STA" ccmp "$KEY1" >>"$LOG" 2>&1
"$DOT11XDP" key add "$PEER_IF" "$P2" ccmp "$KEY2" >>"$LOG" 2>&1
IF_SAVE=$IF
IF=$PEER_IF
refuse "key table full" key add "$PEER_IF" "$P3" ccmp "$KEY3"
check "the full table is named as the reason" grep -q "full" <<<"$ERR"
IF=$IF_SAVE

# An interface that disappears leaves its pins; detach cleans them up.
ip link del "$IF" # takes its veth peer too
d status "$PEER_IF"
check "status of a vanished interface with pins says so" grep -q "interface gone" <<<"$OUT"
d detach "$PEER_IF"
check_eq "detach of a vanished interface removes its pins" "$RC" 0
check "... the pin directory is gone" [ ! -e "/sys/fs/bpf/dot11xdp/$PEER_IF" ]

# --- detach --------------------------------------------------------------------------------

ip link add "$IF" type veth peer name "$PEER_IF" && ip link set "$IF" up
d attach "$IF"
"$DOT11XDP" key add "$IF" "$STA" ccmp "$KEY1" >>"$LOG" 2>&1
# Someone removes the program behind dot11xdp's back: the pins, and the key, stay.
ip link set dev "$IF" xdpgeneric off
d status "$IF"
check "status: pins without the program on the interface" \
	has "^$IF: maps pinned, program not on the interface$" "$OUT"
check "... and says how to attach it again" has "hint: 'dot11xdp attach $IF'" "$OUT"
d attach "$IF"
check_eq "attach puts the program back" "$RC" 0
check "... reusing the pinned maps" has "^$IF: attached in skb mode; maps and keys reused at " "$OUT"
d key list "$IF"
check "... and the key set before is still there" has "^$STA +both +ccmp" "$OUT"
d detach "$IF"
check_eq "detach exits 0" "$RC" 0
check "detach removes the program" lacks xdp "$(ip link show dev "$IF")"
check "detach removes the pins" [ ! -e "/sys/fs/bpf/dot11xdp/$IF" ]
d status "$IF"
check "status after detach: not attached" grep -q "^$IF: not attached" <<<"$OUT"
d detach "$IF"
check_eq "detaching again is refused in one line" "$RC,$(wc -l <"$TMP/err")" "1,1"

# --- help, usage ---------------------------------------------------------------------------

for c in attach detach status "key add" "key del" "key list" disconnect reset stats decrypt; do
	# shellcheck disable=SC2086
	d $c --help
	check_eq "dot11xdp $c --help" "$RC,$(head -1 <<<"$OUT" | cut -d' ' -f1-3)" \
		"0,Usage: dot11xdp ${c%% *}"
done
d
check_eq "no command: usage and exit 2" "$RC" 2

# --- never a key byte ------------------------------------------------------------------------

for k in "$KEY1" "$KEY2" "$KEY3"; do
	colons=$(sed 's/../&:/g; s/:$//' <<<"$k")
	if grep -qi -e "$k" -e "$colons" -e "${k:0:12}" "$LOG"; then
		not_ok "no output shows key bytes ($k)" "$(grep -i -e "$k" -e "$colons" "$LOG" | head -3)"
	else
		ok "no output shows key bytes (${k:0:4}...)"
	fi
done

ip link del "$IF" 2>/dev/null
tap_exit
