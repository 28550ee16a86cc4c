#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make install` gives a library, headers and a pkg-config file that Windows-style IHV code
# builds against unchanged (examples/ihv_set_key.c), and the key it sets reaches the pinned maps.
set -uo pipefail
cd "$(dirname "$0")/.."
. tests/lib/tap.sh
OUTPUT=${OUTPUT:-build}

prefix=$(mktemp -d)
netns=dot11xdp-inst-$$
cleanup() { ip netns del "$netns" 2>/dev/null; rm -rf "$prefix"; }
trap cleanup EXIT

if ! make -s install PREFIX="$prefix" OUTPUT="$OUTPUT" >/dev/null; then
	not_ok "make install PREFIX=$prefix"
	exit 1
fi
ok "make install PREFIX=$prefix"
for f in lib/libdot11xdp.a lib/libdot11xdp.so lib/pkgconfig/dot11xdp.pc bin/dot11xdp \
	include/dot11xdp/windot11.h include/dot11xdp/dot11xdp.h include/dot11xdp/dot11xdp_structs.h; do
	check "installed $f" test -e "$prefix/$f"
done

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
flags=$(pkg-config --cflags --libs dot11xdp) || { not_ok "pkg-config dot11xdp"; exit 1; }
ok "pkg-config --cflags --libs dot11xdp: $flags"
# -Werror -Wpedantic: the Windows code must build as it is, without warnings.
check "examples/ihv_set_key.c builds against the installed headers (-Wall -Wextra -Werror)" \
	cc -Wall -Wextra -Werror -o "$prefix/ihv_set_key" examples/ihv_set_key.c $flags

# Run it for real: attach to a veth in a namespace of its own, set a key, read it back. One
# `ip netns exec` for all steps: each exec mounts a fresh /sys, and with it a fresh bpffs.
ip netns add "$netns" || { not_ok "ip netns add"; exit 1; }
ip netns exec "$netns" bash -s "$prefix" <<'IN_NS'
prefix=$1
. tests/lib/tap.sh
ip link add inst0 type veth peer name inst1 && ip link set inst0 up && ip link set inst1 up
if out=$(LD_LIBRARY_PATH="$prefix/lib" "$prefix/ihv_set_key" inst0 02:11:22:33:44:55 \
	000102030405060708090a0b0c0d0e0f 2>&1); then
	ok "ihv_set_key sets a CCMP key through Dot11ExtSetKeyMappingKey ($out)"
else
	not_ok "ihv_set_key sets a CCMP key through Dot11ExtSetKeyMappingKey ($out)"
fi
list=$("$prefix/bin/dot11xdp" key list inst0 --json 2>&1)
if grep -q '02:11:22:33:44:55' <<<"$list" && grep -q ccmp <<<"$list"; then
	ok "the installed CLI lists the CCMP key of 02:11:22:33:44:55"
else
	not_ok "the installed CLI lists the CCMP key of 02:11:22:33:44:55: $list"
fi
if grep -qi '0001020304050607' <<<"$list"; then
	not_ok "the listing shows no key bytes"
else
	ok "the listing shows no key bytes"
fi
if "$prefix/bin/dot11xdp" detach inst0 >/dev/null; then
	ok "the installed CLI detaches"
else
	not_ok "the installed CLI detaches"
fi
IN_NS
tap_exit
