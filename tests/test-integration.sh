#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end on a simulated monitor NIC, against tshark as the oracle.
#
# In a fresh network namespace: monsim makes a TUN device of link type 803, `dot11xdp attach`
# puts the receive program on it, and the frames of wpa2-psk-linksys.cap are written into it
# while a packet socket records what the interface receives after XDP. The capture rekeys
# twice; each TK is set with `dot11xdp key add` (Dot11ExtSetKeyMappingKey) right after the
# last EAPOL frame of its 4-way handshake, as a supplicant would, so the feed is cut into
# segments at those frames (found with tshark, not hard-coded).
#
# How output frames are matched to input frames: by order. Frames go in one at a time and
# are delivered synchronously, so the capture holds, in input order, one frame per input
# frame the program passed and none for a frame it dropped. A frame counts as passed
# unchanged when its bytes equal the input's (behind the 8-byte radiotap header monsim adds),
# and as decrypted when its 802.11 header equals the input's with Protected cleared.
#
# Expectations come from tshark and the frames themselves: every frame tshark decrypts with
# the STA's pairwise TK is decrypted to the very plaintext tshark shows, except those whose
# PN is not above the highest PN already accepted from the same transmitter under the same
# TK and TID (replays, checked here on the frames' own CCMP headers), which are dropped;
# every other frame passes byte for byte.
set -uo pipefail
cd "$(dirname "$0")/.."
. tests/lib/tap.sh
OUTPUT=${OUTPUT:-build}
SHARED=${SHARED:-../shared}
CAPTURE=$SHARED/testdata/captures/wpa2-psk-linksys.cap
MANIFEST=$SHARED/testdata/captures/MANIFEST.md
DOT11XDP=$OUTPUT/dot11xdp
MONSIM=$OUTPUT/tools/monsim
IFNAME=h4mon0
PASSPHRASE_UAT='uat:80211_keys:"wpa-pwd","dictionary:linksys"'

# Outside: check what the test needs, then run the rest inside a network namespace of its
# own. `ip netns exec` also gives it a mount namespace with a fresh /sys, where bpffs is not
# mounted: the library must mount it, and whatever is pinned there goes away with the test.
if [ -z "${H4_INTEGRATION_NETNS:-}" ]; then
	[ "$(id -u)" -eq 0 ] || fatal "integration: needs root (network namespaces, XDP, BPF maps)"
	for tool in ip tshark; do
		command -v "$tool" >/dev/null || fatal "integration: $tool not installed (make deps)"
	done
	[ -c /dev/net/tun ] || fatal "integration: no /dev/net/tun (kernel without CONFIG_TUN)"
	for bin in "$DOT11XDP" "$MONSIM"; do
		[ -x "$bin" ] || fatal "integration: $bin not built (make)"
	done
	[ -r "$CAPTURE" ] || fatal "integration: $CAPTURE missing (SHARED=$SHARED)"
	netns=h4it-$$
	ip netns add "$netns" || fatal "integration: cannot create network namespace $netns"
	trap 'ip netns del "$netns" 2>/dev/null' EXIT
	ip netns exec "$netns" env H4_INTEGRATION_NETNS="$netns" OUTPUT="$OUTPUT" \
		SHARED="$SHARED" bash "$0"
	exit $?
fi

work=$(mktemp -d /tmp/h4-integration.XXXXXX)
capture_pid=
cleanup() {
	[ -n "$capture_pid" ] && kill "$capture_pid" 2>/dev/null && wait "$capture_pid" 2>/dev/null
	"$DOT11XDP" detach "$IFNAME" >/dev/null 2>&1
	"$MONSIM" delete "$IFNAME" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

# tshark -P -x prints, per frame, its summary line (here: frame number and the TK tshark
# decrypted it with), a blank line, then hex dumps: of the frame alone with no title, or of
# each data source under a title ("Frame (N bytes):", "Decrypted CCMP data (N bytes):"),
# and a blank line. One line per frame out: NUMBER TK FRAME_HEX DECRYPTED_HEX, "-" for what
# is absent.
tshark_table() {
	tshark -n -r "$1" "${@:2}" \
		-o 'gui.column.format:"No.","%m","TK","%Cus:wlan.analysis.tk:0:R"' -P -x 2>/dev/null |
		awk '
		function flush() {
			if (num != "")
				print num, (tk == "" ? "-" : tk), (frame == "" ? "-" : frame),
				      (dec == "" ? "-" : dec)
			num = tk = frame = dec = ""
		}
		/^$/ { if (dumped) section = ""; next }
		section == "" { flush(); num = $1; tk = $2; section = "frame"; dumped = 0; next }
		/^Frame \([0-9]+ bytes\):$/ { section = "frame"; next }
		/^Decrypted CCMP data \([0-9]+ bytes\):$/ { section = "dec"; next }
		/^[^ ].* \([0-9]+ bytes\):$/ { section = "other"; next }
		/^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / {
			hex = substr($0, 7, 47)
			gsub(/ /, "", hex)
			if (section == "frame")
				frame = frame hex
			else if (section == "dec")
				dec = dec hex
			dumped = 1
			next
		}
		{ print "tshark_table: unexpected line: " $0 > "/dev/stderr"; exit 1 }
		END { flush() }'
}

# ---- oracle: what tshark finds in the capture itself
tshark -n -r "$CAPTURE" -o wlan.enable_decryption:TRUE -o "$PASSPHRASE_UAT" \
	-Y 'wlan_rsna_eapol.keydes.msgnr == 4' -T fields -e frame.number -e wlan.ta \
	>"$work/m4" 2>/dev/null
mapfile -t handshake_end < <(cut -f1 "$work/m4")
supplicants=$(cut -f2 "$work/m4" | sort -u)
tshark_table "$CAPTURE" -o wlan.enable_decryption:TRUE -o "$PASSPHRASE_UAT" >"$work/in.tbl"
mapfile -t tks < <(awk '$2 != "-" && !seen[$2]++ { print $2 }' "$work/in.tbl")

[ "$(wc -l <"$work/in.tbl")" -gt 0 ] || fatal "integration: tshark read no frame of $CAPTURE"
check "tshark finds 3 four-way handshakes (message 4 at frames ${handshake_end[*]})" \
	[ "${#handshake_end[@]}" -eq 3 ]
check "every handshake is the STA $supplicants's" [ "$(echo "$supplicants" | wc -l)" -eq 1 ]
check "tshark decrypts with ${#tks[@]} TKs, one per handshake" [ "${#tks[@]}" -eq 3 ]
[ "${#handshake_end[@]}" -eq 3 ] && [ "${#tks[@]}" -eq 3 ] && [ -n "$supplicants" ] ||
	fatal "integration: the capture is not the one this test expects"
for tk in "${tks[@]}"; do
	check "tshark's TK $tk is one MANIFEST.md lists" grep -q "$tk" "$MANIFEST"
done
# TK k must be first used after handshake k ends and before handshake k+1 ends.
for k in 0 1 2; do
	first_use=$(awk -v tk="${tks[$k]}" '$2 == tk { print $1; exit }' "$work/in.tbl")
	next_end=${handshake_end[$((k + 1))]:-999999999}
	check "TK $((k + 1)) is first used at frame $first_use, after handshake $((k + 1)) (frame ${handshake_end[$k]})" \
		[ "$first_use" -gt "${handshake_end[$k]}" -a "$first_use" -le "$next_end" ]
done
sta=$supplicants

# ---- the run: NIC, program, capture, then segments with key changes in between
out=$("$MONSIM" create "$IFNAME" 2>&1) || fatal "integration: monsim create: $out"
check "monsim's NIC has link type ieee802.11/radiotap" \
	bash -c "ip link show $IFNAME | grep -q 'link/ieee802.11/radiotap'"
out=$("$DOT11XDP" attach "$IFNAME" 2>&1) || fatal "integration: dot11xdp attach $IFNAME: $out"
check "dot11xdp attach puts an XDP program on $IFNAME (generic mode)" \
	bash -c "ip link show $IFNAME | grep -q 'xdpgeneric'"
check "the maps are pinned under /sys/fs/bpf/dot11xdp/$IFNAME (bpffs mounted by the library)" \
	[ -e "/sys/fs/bpf/dot11xdp/$IFNAME/dot11xdp_keys" ]

"$MONSIM" capture "$IFNAME" "$work/out.pcap" --ready-file "$work/ready" >"$work/capture.log" 2>&1 &
capture_pid=$!
for _ in $(seq 100); do
	[ -e "$work/ready" ] && break
	kill -0 "$capture_pid" 2>/dev/null || break
	sleep 0.05
done
[ -e "$work/ready" ] || fatal "integration: monsim capture did not start: $(cat "$work/capture.log")"

feed() {
	local out
	out=$("$MONSIM" feed "$IFNAME" "$CAPTURE" --frames "$1" 2>&1) ||
		fatal "integration: monsim feed --frames $1: $out"
	echo "# $out"
}
# absent PATTERN TEXT: PATTERN (case-insensitive) is nowhere in TEXT.
absent() { ! grep -qiE -- "$1" <<<"$2"; }
set_tk() {
	local out rc
	out=$("$DOT11XDP" key add "$IFNAME" "$sta" ccmp "$1" 2>&1)
	rc=$?
	[ -n "$out" ] && echo "$out" | sed 's/^/# /'
	check "dot11xdp key add $IFNAME $sta ccmp <TK $2> after frame $3" [ "$rc" -eq 0 ]
	check "key add does not print the key" absent "$1" "$out"
}
first=1
for k in 0 1 2; do
	feed "$first-${handshake_end[$k]}"
	set_tk "${tks[$k]}" $((k + 1)) "${handshake_end[$k]}"
	first=$((handshake_end[k] + 1))
done
feed "$first-"

kill -TERM "$capture_pid"
wait "$capture_pid"
capture_rc=$?
capture_pid=
sed 's/^/# /' "$work/capture.log"
check "monsim capture ends cleanly with no frame lost to its queue" [ "$capture_rc" -eq 0 ]
"$DOT11XDP" stats "$IFNAME" --json >"$work/stats.json" 2>"$work/stats.err"
stats_rc=$?
"$DOT11XDP" key list "$IFNAME" >"$work/keys" 2>&1
sed 's/^/# /' "$work/keys"
check "key list shows the STA's key" grep -qi "$sta" "$work/keys"
check "key list prints no key bytes" absent "${tks[0]}|${tks[1]}|${tks[2]}" "$(cat "$work/keys")"

# ---- compare
tshark_table "$work/out.pcap" >"$work/out.tbl"
awk '
function hexbyte(h, i) { return index("0123456789abcdef", substr(h, 2 * i + 1, 1)) * 16 - 17 + \
				index("0123456789abcdef", substr(h, 2 * i + 2, 1)) }
# 802.11 MAC header length of frame h (hex, starting at Frame Control).
function hdrlen(h,   fc0, fc1, len) {
	fc0 = hexbyte(h, 0); fc1 = hexbyte(h, 1)
	len = 24
	if (int(fc0 / 4) % 4 == 2) {			# data
		if (fc1 % 4 == 3) len += 6		# A4
		if (int(fc0 / 128) % 2) {		# QoS
			len += 2
			if (int(fc1 / 128) % 2) len += 4	# HT Control
		}
	} else if (int(fc0 / 4) % 4 == 0 && int(fc1 / 128) % 2) {
		len += 4				# management with HT Control
	}
	return len
}
function is_protected(h) { return int(hexbyte(h, 1) / 64) % 2 }
function mac(h, off,   i, s) {
	for (i = 0; i < 6; i++) s = s (i ? ":" : "") substr(h, 2 * (off + i) + 1, 2)
	return s
}
function pn(h,   o) {
	o = hdrlen(h)
	return hexbyte(h, o) + hexbyte(h, o + 1) * 256 + hexbyte(h, o + 4) * 65536 + \
	       hexbyte(h, o + 5) * 16777216 + hexbyte(h, o + 6) * 4294967296 + \
	       hexbyte(h, o + 7) * 1099511627776
}
function tid(h,   fc0) {
	fc0 = hexbyte(h, 0)
	if (int(fc0 / 4) % 4 == 0) return 16
	if (int(fc0 / 4) % 4 == 2 && int(fc0 / 128) % 2) return hexbyte(h, hdrlen(h) - 2) % 16
	return 0
}
# The 802.11 frame of a captured radiotap frame.
function strip_radiotap(h) { return substr(h, 2 * (hexbyte(h, 2) + 256 * hexbyte(h, 3)) + 1) }
# The input header with Protected cleared, as a decrypted frame must carry it.
function cleared_header(h,   n) {
	n = hdrlen(h)
	return substr(h, 1, 2) sprintf("%02x", hexbyte(h, 1) - 64) substr(h, 5, 2 * n - 4)
}
FNR == NR { n_in++; tk[n_in] = $2; raw[n_in] = $3; dec[n_in] = $4; next }
{ n_out++; outf[n_out] = $3 }
END {
	j = 1
	for (i = 1; i <= n_in; i++) {
		r = raw[i]
		# What tshark says should happen to frame i.
		want = "unchanged"
		if (tk[i] != "-") {
			g = tk[i] SUBSEP mac(r, 10) SUBSEP tid(r)
			p = pn(r)
			if (p <= maxpn[g]) {
				want = "dropped"
				replay_list = replay_list sprintf(" %d(TA %s seq %d PN %d%s)", i,
					mac(r, 10), int((hexbyte(r, 22) + 256 * hexbyte(r, 23)) / 16), p,
					int(hexbyte(r, 1) / 8) % 2 ? " retry" : "")
				n_replay_want++
				if (int(hexbyte(r, 1) / 8) % 2) n_replay_retry++
			} else {
				maxpn[g] = p
				want = "decrypted"
				n_dec_want++
			}
			n_pairwise++
		} else if (is_protected(r)) {
			n_prot_nokey++
			if (dec[i] != "-") n_group++
		}
		# What happened to it: the next captured frame is it, its decryption, or neither.
		got = "dropped"
		if (j <= n_out) {
			o = strip_radiotap(outf[j])
			if (outf[j] == "0000080000000000" r) {
				got = "unchanged"
			} else if (is_protected(r) && substr(o, 1, 2 * hdrlen(r)) == cleared_header(r)) {
				got = "decrypted"
				body = substr(o, 2 * hdrlen(r) + 1)
			}
		}
		if (got != "dropped") j++
		if (got == "decrypted") n_dec_got++
		if (got == "dropped") n_drop_got++
		if (got == "unchanged") {
			n_unchanged_got++
			if (is_protected(r)) n_prot_unchanged++
		}
		if (got != want) {
			printf "mismatch frame %d: expected %s, got %s\n", i, want, got
			continue
		}
		if (got == "decrypted") {
			if (body == dec[i]) {
				n_same++
			} else {
				for (k = 1; substr(body, k, 2) == substr(dec[i], k, 2); k += 2)
					;
				printf "mismatch frame %d: plaintext differs from tshark at byte %d (%d bytes, tshark %d)\n",
					i, (k - 1) / 2, length(body) / 2, length(dec[i]) / 2
			}
		}
	}
	printf "frames_in %d\nframes_out %d\nunaccounted_out %d\n", n_in, n_out, n_out - j + 1
	printf "tshark_pairwise %d\nreplays_expected %d\nreplays_retry %d\ndecrypt_expected %d\n",
		n_pairwise, n_replay_want, n_replay_retry, n_dec_want
	printf "decrypted %d\nsame_plaintext %d\ndropped %d\nunchanged %d\n", n_dec_got, n_same,
		n_drop_got, n_unchanged_got
	printf "protected_no_pairwise %d\nprotected_group_tshark %d\nprotected_unchanged %d\n",
		n_prot_nokey, n_group, n_prot_unchanged
	printf "replay_frames%s\n", replay_list
}' "$work/in.tbl" "$work/out.tbl" >"$work/result"

val() { awk -v k="$1" '$1 == k { print $2 }' "$work/result"; }
grep '^mismatch\|^#' "$work/result" | head -40 | sed 's/^mismatch/# mismatch/'
n_in=$(val frames_in)
n_out=$(val frames_out)
decrypted=$(val decrypted)
replays=$(val replays_expected)
pairwise=$(val tshark_pairwise)
unchanged=$(val unchanged)
dropped=$(val dropped)
echo "# $n_in frames in, $n_out out: $decrypted decrypted, $unchanged passed unchanged, $dropped dropped"
echo "# tshark decrypts $pairwise with the pairwise TKs; replays by PN:$(grep '^replay_frames' "$work/result" | cut -d' ' -f2-)"

check "the capture holds every frame the program passed, in input order ($n_out of $n_in)" \
	[ "$(val unaccounted_out)" -eq 0 -a "$n_out" -gt 0 ]
check "every frame had the fate tshark and its PN predict" \
	[ "$(grep -c '^mismatch frame [0-9]*: expected' "$work/result")" -eq 0 ]
check "decrypted $decrypted frames = tshark's $pairwise minus $replays replays" \
	[ "$decrypted" -eq "$(val decrypt_expected)" -a "$decrypted" -gt 0 ]
check "all $decrypted decrypted frames carry tshark's plaintext byte for byte" \
	[ "$(val same_plaintext)" -eq "$decrypted" -a "$decrypted" -gt 0 ]
check "the $replays replays are retransmissions (Retry set) of a frame already accepted" \
	[ "$(val replays_retry)" -eq "$replays" ]
check "the $replays replays are dropped, nothing else is" [ "$dropped" -eq "$replays" ]
check "$(val protected_unchanged) protected frames with no pairwise key ($(val protected_group_tshark) group-addressed) pass unchanged" \
	[ "$(val protected_unchanged)" -eq "$(val protected_no_pairwise)" -a "$(val protected_no_pairwise)" -gt 0 ]
check "every unprotected frame passes unchanged" \
	[ "$((unchanged - $(val protected_unchanged)))" -eq "$((n_in - pairwise - $(val protected_no_pairwise)))" ]

# ---- the program's own counters agree
check "dot11xdp stats $IFNAME --json succeeds" [ "$stats_rc" -eq 0 ]
sed 's/^/# /' "$work/stats.json" | head -30
# The global counters: the first "name": number pair of each name, before any per-peer list.
counter() { grep -o "\"$1\"[[:space:]]*:[[:space:]]*[0-9]*" "$work/stats.json" | head -1 | grep -o '[0-9]*$'; }
check "stats: decrypted $(counter decrypted) = frames captured decrypted ($decrypted)" \
	[ "$(counter decrypted)" = "$decrypted" ]
check "stats: replay $(counter replay) = replays verified on the frames ($replays)" \
	[ "$(counter replay)" = "$replays" ]
check "stats: no_key $(counter no_key) = protected frames passed unchanged ($(val protected_unchanged))" \
	[ "$(counter no_key)" = "$(val protected_unchanged)" ]
check "stats: no MIC failure, malformed or bad-FCS frame" \
	[ "$(counter mic_failure)" = 0 -a "$(counter malformed)" = 0 -a "$(counter bad_fcs)" = 0 ]
total=0
for c in decrypted unprotected no_key replay mic_failure malformed bad_fcs unsupported; do
	total=$((total + $(counter $c || echo 0)))
done
check "stats: every one of the $n_in frames fed is counted once ($total)" [ "$total" -eq "$n_in" ]

out=$("$DOT11XDP" detach "$IFNAME" 2>&1)
check "dot11xdp detach removes the program and the pins" \
	bash -c "[ -z \"\$(ip link show $IFNAME | grep xdp)\" ] && [ ! -e /sys/fs/bpf/dot11xdp/$IFNAME ]"
tap_exit
