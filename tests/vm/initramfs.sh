#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# initramfs.sh KERNEL_DIR OUT: build the guest's initramfs (an uncompressed newc cpio) for the
# kernel unpacked in KERNEL_DIR by kernel.sh: busybox-static, tests/vm/init, and the modules
# the tests need with everything they depend on, in load order, decompressed (busybox insmod
# reads plain .ko only).
#
# The order comes from the kernel's own modules.dep, through `modprobe --show-depends`. Not
# every dependency is a symbol dependency: the crypto API finds templates (ccm, gcm, ctr, ...)
# by name when an algorithm is first requested, with request_module(), which this guest cannot
# serve, so they are listed here by name. A module the kernel has built in is fine; one it has
# neither built in nor as a module fails the build, naming it.
set -euo pipefail

die() { echo "initramfs.sh: $*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: initramfs.sh KERNEL_DIR OUT"
kdir=$(realpath "$1")
out=$2
here=$(dirname "$(realpath "$0")")
release=$(basename "$kdir")
busybox=/bin/busybox

# name[:parameters]; a leading ? marks a module that may be missing from a kernel altogether.
modules=(
	# the shares: virtio PCI transport (a module on 6.1, built in on 6.12) and 9p
	virtio_pci 9pnet_virtio 9p
	# Wi-Fi: three simulated radios (AP, station, monitor), no P2P device interfaces
	rfkill cfg80211 mac80211 "mac80211_hwsim:radios=3 support_p2p_device=0"
	# what mac80211's software crypto asks the crypto API for: ccm(aes), gcm(aes), cmac(aes),
	# gmac(aes) for CCMP/GCMP/BIP (seqiv and geniv for the AEAD IVs, crypto_null for
	# the null skcipher they use); TKIP's Michael; arc4 for WEP and TKIP
	crypto_null geniv seqiv ctr ccm gcm ghash_generic cmac michael_mic libarc4
	# AES-NI (the kfunc engine's cipher where the kernel has the kfuncs), ecb for ecb(aes)
	aesni_intel ?ghash_clmulni_intel ecb
	# the BPF crypto kfuncs' skcipher type (6.10 and later)
	?bpf_crypto_skcipher
	# the simulated monitor NIC of the suite's integration tests
	tun veth
)

[ -x "$busybox" ] || die "$busybox missing (Debian package busybox-static)"
# ldd fails on a static binary; the guest has no C library until it reaches the host's root.
! ldd "$busybox" >/dev/null 2>&1 || die "$busybox is not statically linked (install busybox-static)"
[ -r "$kdir/lib/modules/$release/modules.dep" ] || die "$kdir has no modules.dep (run kernel.sh)"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,newroot,modules}
cp "$busybox" "$stage/bin/busybox"
cp "$here/init" "$stage/init"
chmod 0755 "$stage/init"

declare -A loaded=()
n=0
: >"$stage/modules/load"
for entry in "${modules[@]}"; do
	optional=0
	[[ $entry == \?* ]] && optional=1 && entry=${entry#\?}
	name=${entry%%:*}
	params=
	[[ $entry == *:* ]] && params=${entry#*:}
	# -C /dev/null: the host's modprobe.d has nothing to say about the guest.
	if ! deps=$(modprobe -C /dev/null -d "$kdir" -S "$release" --show-depends "$name" 2>&1); then
		[ "$optional" -eq 1 ] && continue
		die "$release has no module $name, built in or loadable: $deps"
	fi
	while read -r verb path _; do
		[ "$verb" = insmod ] || continue
		[ -z "${loaded[$path]:-}" ] || continue
		loaded[$path]=1
		n=$((n + 1))
		base=$(basename "$path")
		file=$(printf '%02d-%s' "$n" "${base%%.ko*}.ko")
		case "$path" in
		*.ko) cp "$path" "$stage/modules/$file" ;;
		*.ko.xz) "$busybox" xz -dc "$path" >"$stage/modules/$file" ;;
		*.ko.gz) "$busybox" gzip -dc "$path" >"$stage/modules/$file" ;;
		*.ko.zst) zstd -qdc "$path" >"$stage/modules/$file" ||
			die "cannot decompress $path (zstd missing?)" ;;
		*) die "unexpected module file $path" ;;
		esac
		# The parameters belong to the module asked for, not to its dependencies.
		mod=$(basename "${path%%.ko*}" | tr - _)
		if [ "$mod" = "$name" ]; then
			echo "$file $params" >>"$stage/modules/load"
		else
			echo "$file" >>"$stage/modules/load"
		fi
	done <<<"$deps"
done

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | "$busybox" cpio -o -H newc -R 0:0 2>/dev/null) >"$out.tmp" ||
	die "cpio failed"
mv "$out.tmp" "$out"
cp "$stage/modules/load" "$out.load"
