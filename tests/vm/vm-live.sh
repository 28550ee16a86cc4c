#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Live decryption on real mac80211, inside the test guest (run.sh boots it; mac80211_hwsim is
# loaded with three radios): hostapd runs a network on radio 0, wpa_supplicant joins it on
# radio 1 from a network namespace of its own, radio 2 carries a monitor interface, mon0, with
# dot11xdp attached (skb mode), and the station's TK, read from wpa_supplicant's debug log
# (-K), is set with `dot11xdp key add` (Dot11ExtSetKeyMappingKey). A ping and a TCP transfer
# cross the link; then, for the frames the air carried after the key was set:
#   - every protected unicast data frame on the air (hwsim0, mac80211_hwsim's view of the
#     medium; tshark decrypts it on its own, from the passphrase and the 4-way handshake)
#     reached mon0 decrypted, with tshark's plaintext byte for byte;
#   - the ping's payload pattern and the TCP bytes the server received are read back from mon0;
#   - dot11xdp's counters: decrypted = the decrypted frames mon0 delivered; no MIC failure,
#     replay or malformed frame.
# If the kernel refuses the program, that is one failing check naming the reason, and the
# network, the monitor and the captures are checked all the same.
#
# Each line of `ciphers` below is one network (VM_CIPHERS="ccmp tkip" picks some), with what
# dot11xdp does with the cipher today:
#   decrypts  everything above, once per AES engine the kernel has (kfunc where it has the
#             BPF crypto kfuncs, and table);
#   passes    the key is accepted but the receive program does not decrypt the cipher yet:
#             every frame passes unchanged and is counted "unsupported cipher";
#   refused   `dot11xdp key add` refuses the key as not supported.
# The network runs either way, so the tier reports what hostapd, mac80211_hwsim and tshark make
# of every cipher. When dot11xdp moves on, these checks fail until the line says so.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
OUTPUT=${OUTPUT:-build}
DOT11XDP=$OUTPUT/dot11xdp

# NAME       SECURITY (hostapd)  DOT11XDP CIPHER  WHAT DOT11XDP DOES
ciphers=(
	"ccmp      rsn:CCMP            ccmp             decrypts"
	"gcmp      rsn:GCMP            gcmp             decrypts"
	"ccmp-256  rsn:CCMP-256        ccmp-256         decrypts"
	"gcmp-256  rsn:GCMP-256        gcmp-256         decrypts"
	"tkip      rsn:TKIP            tkip             decrypts"
	"wep104    wep:104             wep104           decrypts"
)
[ -n "${VM_CIPHERS:-}" ] && mapfile -t ciphers < <(printf '%s\n' "${ciphers[@]}" |
	awk -v want=" $VM_CIPHERS " 'index(want, " " $1 " ")')

STA_NS=vmsta
AP_IF=wlan0 STA_IF=wlan1 MON_IF=mon0 AIR_IF=hwsim0
AP_IP=10.209.0.1 STA_IP=10.209.0.2
PASSPHRASE=dot11xdp-live-test
WEP104_KEY=d011d011d011d011d011d011d0   # 13 bytes
PING_COUNT=10
PING_PATTERN=d011cafe5eed0b5e
TCP_PORT=5001
TCP_BYTES=65536

# Only inside the guest: the test takes over every mac80211_hwsim radio and runs daemons.
grep -qw 'dot11xdp.work=[^ ]*' /proc/cmdline ||
	fatal "live: runs inside the test guest only (tests/vm/run.sh boots it)"
for tool in hostapd wpa_supplicant iw ip ping tcpdump tshark busybox; do
	command -v "$tool" >/dev/null || fatal "live: $tool not installed (make deps)"
done
[ -x "$DOT11XDP" ] || fatal "live: $DOT11XDP not built (make)"
work=${VM_WORK:?}/live
rm -rf "$work"
mkdir -p "$work"
# Control sockets cannot live on the 9p work directory, and captures written there one frame
# at a time would be too slow to keep up: both go to tmpfs, captures are copied over after.
ctrl=$(mktemp -d /run/vm-live.XXXXXX)
tmp=$(mktemp -d /tmp/vm-live.XXXXXX)

pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	"$DOT11XDP" detach "$MON_IF" >/dev/null 2>&1
	ip netns del "$STA_NS" 2>/dev/null
	rm -rf "$ctrl" "$tmp"
}
trap cleanup EXIT

# wait_for SECONDS PID COMMAND...: poll every 0.2 s while process PID lives (0: no process).
wait_for() {
	local tries=$(($1 * 5)) pid=$2
	shift 2
	while ! "$@" 2>/dev/null; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		[ "$pid" = 0 ] || kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.2
	done
}
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# ---- radios: which phy is which, by the order mac80211_hwsim made them
phys=()
for p in /sys/class/ieee80211/*; do
	[ "$(basename "$(readlink -f "$p/device/driver")")" = mac80211_hwsim ] && phys+=("$(basename "$p")")
done
[ "${#phys[@]}" -eq 3 ] || fatal "live: want 3 mac80211_hwsim radios, found ${#phys[@]} (${phys[*]})"
ifname_of() { basename "$(ls -d /sys/class/ieee80211/"$1"/device/net/* | head -n 1)"; }
[ "$(ifname_of "${phys[0]}")" = "$AP_IF" ] && [ "$(ifname_of "${phys[1]}")" = "$STA_IF" ] ||
	fatal "live: unexpected interface names on ${phys[*]}"
ap_mac=$(cat /sys/class/net/$AP_IF/address)
sta_mac=$(cat /sys/class/net/$STA_IF/address)
echo "# AP $AP_IF $ap_mac (${phys[0]}), STA $STA_IF $sta_mac (${phys[1]}, netns $STA_NS), monitor $MON_IF (${phys[2]})"

ip netns add "$STA_NS" || fatal "live: cannot create network namespace $STA_NS"
iw phy "${phys[1]}" set netns name "$STA_NS" || fatal "live: cannot move ${phys[1]} into $STA_NS"
# No IPv6: its autoconfiguration would add unicast traffic the checks do not expect.
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec "$STA_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec "$STA_NS" ip link set lo up

iw dev "$(ifname_of "${phys[2]}")" del 2>/dev/null
out=$(iw phy "${phys[2]}" interface add "$MON_IF" type monitor 2>&1) ||
	fatal "live: iw phy ${phys[2]} interface add $MON_IF type monitor: $out"
ip link set "$MON_IF" up && ip link set "$AIR_IF" up || fatal "live: cannot bring $MON_IF and $AIR_IF up"
iw dev "$MON_IF" set channel 1 || fatal "live: cannot tune $MON_IF to channel 1"
check "$MON_IF is a monitor interface of link type 803 (ieee802.11/radiotap)" \
	[ "$(cat /sys/class/net/$MON_IF/type)" = 803 ]

# ---- one network: configuration files for a cipher
write_configs() { # write_configs NAME SECURITY
	local name=$1 sec=$2 cipher=${2#*:}
	{
		echo "interface=$AP_IF"
		echo "driver=nl80211"
		echo "ctrl_interface=$ctrl/hostapd"
		echo "ssid=dot11xdp-$name"
		echo "hw_mode=g"
		echo "channel=1"
		case "$sec" in
		rsn:*)
			echo "wpa=2"
			echo "wpa_key_mgmt=WPA-PSK"
			echo "wpa_passphrase=$PASSPHRASE"
			echo "rsn_pairwise=$cipher"
			;;
		wep:104)
			echo "auth_algs=1"
			echo "wep_default_key=0"
			echo "wep_key0=$WEP104_KEY"
			;;
		esac
	} >"$work/$name.hostapd.conf"
	{
		echo "ctrl_interface=$ctrl/wpa_supplicant"
		echo "network={"
		echo "	ssid=\"dot11xdp-$name\""
		echo "	scan_freq=2412"
		case "$sec" in
		rsn:*)
			echo "	key_mgmt=WPA-PSK"
			echo "	proto=RSN"
			echo "	pairwise=$cipher"
			echo "	group=$cipher"
			echo "	psk=\"$PASSPHRASE\""
			;;
		wep:104)
			echo "	key_mgmt=NONE"
			echo "	wep_key0=$WEP104_KEY"
			echo "	wep_tx_keyidx=0"
			;;
		esac
		echo "}"
	} >"$work/$name.wpas.conf"
}

# The pairwise key wpa_supplicant installed: the last "WPA: TK - hexdump" of its -K log (the
# key it plumbs for TKIP is 32 bytes: TK then the two Michael keys, as dot11xdp wants it).
supplicant_tk() {
	grep -E 'WPA: TK - hexdump\(len=[0-9]+\):' "$1" | tail -n 1 | sed 's/.*): //; s/ //g'
}

# tshark's per-frame table of a capture: NUMBER FRAME_HEX DECRYPTED_HEX ("-" if none).
frame_table() {
	tshark -n -r "$@" -o 'gui.column.format:"No.","%m"' -P -x 2>/dev/null | awk '
		function flush() {
			if (num != "") print num, (frame == "" ? "-" : frame), (dec == "" ? "-" : dec)
			num = frame = dec = ""
		}
		/^$/ { if (dumped) section = ""; next }
		# A frame with several data sources has a title over each hex dump.
		/^Frame \([0-9]+ bytes\):$/ { section = "frame"; next }
		/^Decrypted [A-Z0-9-]+ data \([0-9]+ bytes\):$/ { section = "dec"; next }
		/^[^ ].* \([0-9]+ bytes\):$/ { section = "other"; next }
		section == "" { flush(); num = $1; section = "frame"; dumped = 0; next }
		/^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / {
			hex = substr($0, 7, 47); gsub(/ /, "", hex)
			if (section == "frame") frame = frame hex
			else if (section == "dec") dec = dec hex
			dumped = 1; next
		}
		END { flush() }'
}

# The comparison, in awk over two frame tables (air first, then mon0): one "name value" per
# line. Frames are matched by transmitter, receiver and sequence control; a decrypted frame by
# its plaintext (tshark's), a frame passed on by its 802.11 bytes.
compare_frames() {
	awk -v ap="$ap_mac" -v sta="$sta_mac" '
	function hexbyte(h, i) { return index("0123456789abcdef", substr(h, 2 * i + 1, 1)) * 16 - 17 + \
					index("0123456789abcdef", substr(h, 2 * i + 2, 1)) }
	function hdrlen(h,   fc0, fc1, len) {
		fc0 = hexbyte(h, 0); fc1 = hexbyte(h, 1); len = 24
		if (int(fc0 / 4) % 4 == 2) {
			if (fc1 % 4 == 3) len += 6
			if (int(fc0 / 128) % 2) { len += 2; if (int(fc1 / 128) % 2) len += 4 }
		}
		return len
	}
	function mac(h, off,   i, s) {
		for (i = 0; i < 6; i++) s = s (i ? ":" : "") substr(h, 2 * (off + i) + 1, 2)
		return s
	}
	function strip_radiotap(h) { return substr(h, 2 * (hexbyte(h, 2) + 256 * hexbyte(h, 3)) + 1) }
	# A unicast data frame between the AP and the station, protected or not: its identity
	# (transmitter, receiver, sequence control), or "" for any other frame.
	function pair_data_id(w,   ta, ra) {
		if (int(hexbyte(w, 0) / 4) % 4 != 2 || int(hexbyte(w, 0) / 16) % 8 >= 4) return ""
		ra = mac(w, 4); ta = mac(w, 10)
		if (!((ta == ap && ra == sta) || (ta == sta && ra == ap))) return ""
		return ta ">" ra "#" substr(w, 45, 4)
	}
	function is_protected(w) { return int(hexbyte(w, 1) / 64) % 2 }
	FNR == NR {
		w = strip_radiotap($2); id = pair_data_id(w)
		if (id == "" || !is_protected(w)) next
		air_n++; air_dec[id] = $3; air_raw[id] = w; air_ids[air_n] = id
		if ($3 == "-") air_undecrypted++
		next
	}
	{
		w = strip_radiotap($2); id = pair_data_id(w)
		if (id == "") next
		if (is_protected(w)) { mon_protected++; mon_seen[id] = 1; mon_raw[id] = w; next }
		n = hdrlen(w); mon_clear[id] = substr(w, 2 * n + 1); mon_clear_n++; mon_seen[id] = 1
	}
	END {
		for (i = 1; i <= air_n; i++) {
			id = air_ids[i]
			if (!(id in mon_seen)) unseen++
			if ((id in mon_raw) && mon_raw[id] == air_raw[id]) unchanged++
			if (!(id in mon_clear)) {
				missing++
				if (missing <= 5) print "detail: not decrypted on mon0: " id
				continue
			}
			if (mon_clear[id] == air_dec[id]) same++
			else { differ++; if (differ <= 5) print "detail: plaintext differs: " id }
		}
		printf "air_protected %d\nair_undecrypted %d\nmon_decrypted %d\nmon_protected %d\n",
			air_n, air_undecrypted, mon_clear_n, mon_protected
		printf "unseen %d\nunchanged %d\nmissing %d\nsame %d\ndiffer %d\n", unseen, unchanged,
			missing, same, differ
	}' "$1" "$2"
}

# start_capture IFNAME OUT: tcpdump in the background (what the interface delivers, after
# XDP), pid in cap_pid, once it listens. (monsim capture stops only after its queue has been
# idle for a while, which beacons never allow on a live interface.)
start_capture() {
	tcpdump -i "$1" -w "$2" -U --immediate-mode -B 32768 -s 0 -n 2>"$2.log" &
	cap_pid=$!
	pids+=("$cap_pid")
	wait_for 10 "$cap_pid" grep -q 'listening on' "$2.log"
}
stop_capture() { # stop_capture PID
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# counter NAME: a global counter of the stats JSON.
counter() { grep -o "\"global\":{[^}]*}" "$work/stats.json" | grep -o "\"$1\":[0-9]*" | cut -d: -f2; }

# The first line of the verifier's reason in a verbose attach log: the line before
# "processed N insns", and the program it refused.
verifier_reason() {
	local prog reason
	prog=$(grep -m1 -o "prog '[a-z_0-9]*': BPF program load failed" "$1" | cut -d"'" -f2)
	reason=$(grep -B1 -m1 -E '^processed [0-9]+ insns' "$1" | head -n 1)
	[ -n "$reason" ] && echo "program $prog refused by the verifier: $reason"
}

# The oracle's key for tshark: the passphrase (it derives the PTK from the 4-way handshake in
# the capture, so it also vouches for the TK read from the supplicant), or the WEP key.
oracle_key() { # oracle_key NAME SECURITY
	case "$2" in
	wep:*) echo "\"wep\",\"$WEP104_KEY\"" ;;
	*) echo "\"wpa-pwd\",\"$PASSPHRASE:dot11xdp-$1\"" ;;
	esac
}

run_network() { # run_network NAME SECURITY DCIPHER STATE [ENGINE]
	local name=$1 sec=$2 dcipher=$3 state=$4 engine=${5:-}
	local t0 tk reason stem=$1${5:+-$5} p="$1${5:+/$5}:"
	t0=$(date +%s%N)
	write_configs "$name" "$sec"
	rm -rf "${ctrl:?}"/*
	hostapd_pid= wpas_pid= air_pid=

	hostapd -t "$work/$name.hostapd.conf" >"$work/$stem.hostapd.log" 2>&1 &
	hostapd_pid=$!
	pids+=("$hostapd_pid")
	if ! wait_for 20 "$hostapd_pid" grep -q 'AP-ENABLED' "$work/$stem.hostapd.log"; then
		reason=$(grep -m1 -iE 'invalid|unsupported|failed|error' "$work/$stem.hostapd.log")
		if [ "$state" != refused ]; then
			not_ok "$p hostapd runs a $sec network on ${phys[0]}" "${reason:-no AP-ENABLED in 20 s}"
		else
			echo "# $p hostapd does not run a $sec network: ${reason:-no AP-ENABLED in 20 s}"
		fi
		stop_network
		return
	fi
	ip addr replace "$AP_IP/24" dev "$AP_IF"
	# The air from before the station joins: the oracle needs the 4-way handshake.
	if ! start_capture "$AIR_IF" "$tmp/$stem.air.pcap"; then
		not_ok "$p tcpdump captures $AIR_IF" "$(cat "$tmp/$stem.air.pcap.log")"
		stop_network
		return
	fi
	air_pid=$cap_pid

	: >"$work/$stem.wpas.log"
	ip netns exec "$STA_NS" wpa_supplicant -dd -K -t -i "$STA_IF" -c "$work/$name.wpas.conf" \
		-f "$work/$stem.wpas.log" &
	wpas_pid=$!
	pids+=("$wpas_pid")
	ip netns exec "$STA_NS" ip addr replace "$STA_IP/24" dev "$STA_IF"
	if ! wait_for 30 "$wpas_pid" grep -q 'CTRL-EVENT-CONNECTED' "$work/$stem.wpas.log"; then
		reason=$(grep -m1 -E 'CTRL-EVENT-(ASSOC-REJECT|AUTH-REJECT|SSID-TEMP-DISABLED|DISCONNECTED)|failed' \
			"$work/$stem.wpas.log")
		if [ "$state" != refused ]; then
			not_ok "$p the station associates" "${reason:-no CTRL-EVENT-CONNECTED in 30 s}"
		else
			echo "# $p the station does not associate: ${reason:-no CTRL-EVENT-CONNECTED in 30 s}"
		fi
		stop_network
		return
	fi
	case "$sec" in
	wep:*) tk=$WEP104_KEY ;;
	*) tk=$(supplicant_tk "$work/$stem.wpas.log") ;;
	esac
	echo "# $p associated after $(ms_since "$t0") ms; TK of ${#tk} hex digits from the supplicant"

	if [ -z "$tk" ]; then
		not_ok "$p wpa_supplicant -K logs the TK"
	elif [ "$state" = refused ]; then
		refused_checks "$name" "$sec" "$dcipher" "$tk"
	else
		live_checks "$name" "$sec" "$dcipher" "$tk" "$state" "$engine"
	fi
	stop_network
	echo "# $p network done in $(ms_since "$t0") ms"
}

stop_network() {
	local pid
	for pid in $air_pid $wpas_pid $hostapd_pid; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	ip addr flush dev "$AP_IF"
	cp "$tmp"/* "$work/" 2>/dev/null
	rm -f "$tmp"/*
}

# Traffic: a ping with a payload pattern and a TCP transfer from the station to the AP.
traffic() { # traffic STEM
	local stem=$1 server
	head -c "$TCP_BYTES" /dev/urandom >"$work/$stem.sent"
	busybox nc -l -p "$TCP_PORT" </dev/null >"$work/$stem.received" 2>"$work/$stem.nc.log" &
	server=$!
	pids+=("$server")
	wait_for 5 "$server" bash -c "ss -Hltn 'sport = :$TCP_PORT' | grep -q ."
	ip netns exec "$STA_NS" timeout 30 ping -n -q -c "$PING_COUNT" -i 0.2 -W 5 -s 120 \
		-p "$PING_PATTERN" "$AP_IP" >"$work/$stem.ping.log" 2>&1
	ping_rc=$?
	# The client closes once it has sent everything (busybox nc would stop at the server's
	# half-close): bash's /dev/tcp.
	ip netns exec "$STA_NS" timeout 60 bash -c 'cat "$1" >/dev/tcp/$2/$3' _ "$work/$stem.sent" \
		"$AP_IP" "$TCP_PORT" 2>>"$work/$stem.nc.log"
	tcp_rc=$?
	timeout 10 tail --pid="$server" -f /dev/null
	kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
}

# A cipher whose key dot11xdp refuses: what the network and the oracle make of it, and the
# refusal.
refused_checks() { # NAME SECURITY DCIPHER TK
	local name=$1 sec=$2 dcipher=$3 tk=$4 out rc summary
	traffic "$name"
	sleep 0.5
	stop_capture "$air_pid"
	air_pid=
	frame_table "$tmp/$name.air.pcap" -o wlan.enable_decryption:TRUE \
		-o "uat:80211_keys:$(oracle_key "$name" "$sec")" >"$tmp/$name.air.tbl"
	summary=$(compare_frames "$tmp/$name.air.tbl" /dev/null |
		awk '$1 == "air_protected" { n = $2 } $1 == "air_undecrypted" { u = $2 }
		     END { printf "%d protected unicast data frames on the air, tshark decrypts %d", n, n - u }')
	echo "# $name: hostapd and mac80211_hwsim run it; ping $([ "$ping_rc" = 0 ] && echo crossed || echo failed)," \
		"TCP $(cmp -s "$work/$name.sent" "$work/$name.received" && echo crossed || echo failed); $summary"
	if ! "$DOT11XDP" attach "$MON_IF" >"$work/$name.attach.log" 2>&1; then
		echo "# $name: dot11xdp attach failed, key add not tried: $(tail -n 1 "$work/$name.attach.log")"
		return
	fi
	out=$("$DOT11XDP" key add "$MON_IF" "$sta_mac" "$dcipher" "$tk" 2>&1)
	rc=$?
	check "$name: dot11xdp key add ... $dcipher is refused as not supported, as this test's table says" \
		bash -c '[ "$1" -ne 0 ] && grep -qi "not supported" <<<"$2"' _ "$rc" "$out"
	"$DOT11XDP" detach "$MON_IF" >/dev/null 2>&1
}

# A cipher whose key dot11xdp accepts: attach (on ENGINE, or the default), set the key, run the
# traffic, and hold what mon0 delivered against the air. STATE decrypts: every frame decrypted
# as tshark decrypts it; passes: every frame passed on unchanged, counted unsupported. Should
# attach fail (a kernel that refuses the program), the network, the monitor and the captures
# are still checked.
live_checks() { # NAME SECURITY DCIPHER TK STATE ENGINE
	local name=$1 sec=$2 dcipher=$3 tk=$4 state=$5 engine=$6
	local stem=$1${6:+-$6} p="$1${6:+/$6}:" out rc mon_pid reason t_key air dec echoes
	local attached=0
	out=$("$DOT11XDP" -v attach "$MON_IF" ${engine:+--engine "$engine"} 2>&1)
	rc=$?
	echo "$out" >"$work/$stem.attach.log"
	if [ "$rc" -eq 0 ]; then
		attached=1
		ok "$p dot11xdp attach $MON_IF${engine:+ --engine $engine} ($(ip -d link show "$MON_IF" |
			grep -o 'xdp[a-z]*' | head -n 1))"
		"$DOT11XDP" status "$MON_IF" --json >"$work/$stem.status.json" 2>&1
		sed 's/^/# /' "$work/$stem.status.json"
		[ -z "$engine" ] || check "$p status: the $engine AES engine" \
			grep -q "\"engine\":\"$engine\"" "$work/$stem.status.json"
	else
		reason=$(verifier_reason "$work/$stem.attach.log")
		not_ok "$p dot11xdp attach $MON_IF${engine:+ --engine $engine}" "${reason:-$(tail -n 1 <<<"$out")}" \
			"what $MON_IF delivers is not checked; the network, the monitor and the captures are"
	fi

	if ! start_capture "$MON_IF" "$tmp/$stem.mon.pcap"; then
		not_ok "$p tcpdump captures $MON_IF" "$(cat "$tmp/$stem.mon.pcap.log")"
		"$DOT11XDP" detach "$MON_IF" >/dev/null 2>&1
		return
	fi
	mon_pid=$cap_pid
	if [ "$attached" -eq 1 ]; then
		out=$("$DOT11XDP" key add "$MON_IF" "$sta_mac" "$dcipher" "$tk" 2>&1)
		rc=$?
		if [ "$rc" -eq 0 ]; then
			ok "$p dot11xdp key add $MON_IF $sta_mac $dcipher <TK from wpa_supplicant>"
		else
			not_ok "$p dot11xdp key add $MON_IF $sta_mac $dcipher <TK from wpa_supplicant>" "$out"
		fi
		check "$p key add does not print the key" bash -c '! grep -qi "$1" <<<"$2"' _ "$tk" "$out"
	fi
	# The frames the air carries from here on must all reach mon0 as STATE says.
	t_key=$(date +%s.%N)

	traffic "$stem"
	sleep 1
	stop_capture "$air_pid"
	air_pid=
	sleep 0.5
	stop_capture "$mon_pid"
	if [ "$attached" -eq 1 ]; then
		"$DOT11XDP" stats "$MON_IF" --json >"$work/stats.json" 2>&1
		sed 's/^/# /' "$work/stats.json"
		"$DOT11XDP" detach "$MON_IF" >/dev/null 2>&1
	fi

	check "$p tcpdump lost no frame on $MON_IF or $AIR_IF" \
		bash -c 'grep -q "^0 packets dropped by kernel" "$1" && grep -q "^0 packets dropped by kernel" "$2"' \
		_ "$tmp/$stem.mon.pcap.log" "$tmp/$stem.air.pcap.log"
	check "$p $PING_COUNT pings cross the link" [ "$ping_rc" -eq 0 ]
	check "$p the TCP transfer crosses the link ($TCP_BYTES bytes, the same at the server)" \
		bash -c '[ "$1" -eq 0 ] && cmp -s "$2" "$3"' _ "$tcp_rc" "$work/$stem.sent" "$work/$stem.received"

	# What the air carried after the key was set (tshark decrypts it on its own) against what
	# mon0 delivered.
	frame_table "$tmp/$stem.air.pcap" -o wlan.enable_decryption:TRUE \
		-o "uat:80211_keys:$(oracle_key "$name" "$sec")" -Y "frame.time_epoch >= $t_key" \
		>"$tmp/$stem.air.tbl"
	frame_table "$tmp/$stem.mon.pcap" >"$tmp/$stem.mon.tbl"
	compare_frames "$tmp/$stem.air.tbl" "$tmp/$stem.mon.tbl" >"$work/$stem.result"
	val() { awk -v k="$1" '$1 == k { print $2 }' "$work/$stem.result"; }
	air=$(val air_protected)
	dec=$(val mon_decrypted)
	check "$p the air carried protected unicast data frames ($air), tshark decrypts all of them" \
		[ "$air" -gt 0 -a "$(val air_undecrypted)" -eq 0 ]
	check "$p $MON_IF delivered every one of them ($(val unseen) not delivered)" \
		[ "$air" -gt 0 -a "$(val unseen)" -eq 0 ]
	[ "$attached" -eq 1 ] || return

	if [ "$state" = passes ]; then
		check "$p $dcipher is not decrypted yet: every one of them passed unchanged ($(val unchanged) of $air)" \
			[ "$air" -gt 0 -a "$(val unchanged)" -eq "$air" -a "$dec" -eq 0 ]
		check "$p stats: unsupported $(counter unsupported) = protected frames $MON_IF passed on ($(val mon_protected))" \
			[ "$(counter unsupported)" = "$(val mon_protected)" ]
		check "$p stats: nothing decrypted, no MIC failure, replay or malformed frame" \
			[ "$(counter decrypted)" = 0 -a "$(counter mic_failure)" = 0 -a "$(counter replay)" = 0 \
			  -a "$(counter malformed)" = 0 ]
		return
	fi

	grep '^detail: ' "$work/$stem.result" | sed 's/^detail: /# /'
	check "$p every one of them reached $MON_IF decrypted ($(val missing) not decrypted)" \
		[ "$air" -gt 0 -a "$(val missing)" -eq 0 ]
	check "$p ... with tshark's plaintext, byte for byte ($(val same) same, $(val differ) differ)" \
		[ "$air" -gt 0 -a "$(val same)" -eq "$air" ]
	check "$p no AP-station data frame left $MON_IF still protected ($(val mon_protected))" \
		[ "$(val mon_protected)" -eq 0 ]

	# The payloads, read back from mon0 alone.
	tshark -n -r "$tmp/$stem.mon.pcap" -Y "icmp && ip.addr == $STA_IP" -T fields \
		-e icmp.type -e icmp.seq -e data.data 2>/dev/null >"$tmp/$stem.icmp"
	echoes=$(awk -v pat="$PING_PATTERN" -v n="$PING_COUNT" '
		($1 == 8 || $1 == 0) && $2 >= 1 && $2 <= n && index($3, pat pat) { seen[$1 " " $2] = 1 }
		END { print length(seen) }' "$tmp/$stem.icmp")
	check "$p $MON_IF shows all $PING_COUNT echo requests and replies with the payload pattern ($echoes of $((2 * PING_COUNT)))" \
		[ "$echoes" -eq $((2 * PING_COUNT)) ]
	tshark -n -r "$tmp/$stem.mon.pcap" -q -z follow,tcp,raw,0 2>/dev/null |
		awk '/^[0-9a-f]+$/' | tr -d '\n' >"$tmp/$stem.follow"
	check "$p $MON_IF shows the TCP stream's $TCP_BYTES bytes, the same the server received" \
		[ -s "$work/$stem.received" -a \
		  "$(od -An -v -tx1 "$work/$stem.received" | tr -d ' \n')" = "$(cat "$tmp/$stem.follow")" ]

	# The program's own counters.
	check "$p stats: decrypted $(counter decrypted) = frames $MON_IF delivered decrypted ($dec)" \
		[ "$(counter decrypted)" = "$dec" -a "$dec" -gt 0 ]
	check "$p stats: no MIC failure, replay or malformed frame" \
		[ "$(counter mic_failure)" = 0 -a "$(counter replay)" = 0 -a "$(counter malformed)" = 0 ]
}

# The AES engines this kernel offers: the kfunc engine needs the BPF crypto kfuncs (6.10+).
engines=table
grep -qa bpf_crypto_decrypt /sys/kernel/btf/vmlinux && engines="kfunc table"
echo "# AES engines: $engines"
for line in "${ciphers[@]}"; do
	read -r name sec dcipher state <<<"$line"
	case "$state" in
	decrypts)
		for engine in $engines; do
			run_network "$name" "$sec" "$dcipher" decrypts "$engine"
		done ;;
	passes | refused) run_network "$name" "$sec" "$dcipher" "$state" ;;
	*) not_ok "$name: the table says '$state' (decrypts, passes or refused)" ;;
	esac
done
tap_exit
