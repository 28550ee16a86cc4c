#!/usr/bin/env bash
# SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
# Install the Debian packages dot11xdp's build, tests and demo need. Idempotent: only dpkg queries
# when everything is there already; apt-get runs only for what is missing.
set -euo pipefail

packages=(
	# build
	make gcc pkg-config clang-19 llvm-19 bpftool libbpf-dev libxdp-dev libelf-dev zlib1g-dev
	libpcap-dev libssl-dev
	# tests and demo: namespaces, the simulated monitor NIC, and the reference decryptors
	iproute2 xdp-tools tcpdump tshark aircrack-ng
	# the real-kernel tier (tests/vm): Debian kernels under qemu with mac80211_hwsim, a real
	# WPA2 network inside them
	qemu-system-x86 busybox-static kmod procps hostapd wpasupplicant iw iputils-ping
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing Debian packages: ${missing[*]}" >&2
	echo "install-deps: run as root (or: sudo apt-get install ${missing[*]})" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
