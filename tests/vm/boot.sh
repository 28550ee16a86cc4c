#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# boot.sh KERNEL_DIR WORK GUEST [TIMEOUT_S]: boot the kernel kernel.sh unpacked in KERNEL_DIR
# under qemu (TCG: nested KVM does not work on the CI machines) with this host's root file
# system as the guest's, read-only, and WORK shared read-write at the same path; run
# `bash GUEST WORK` in it as root (tests/vm/init does the guest's part) and power off.
#
# The console goes to WORK/console.log; the guest's output to WORK/guest.log, its exit status
# to WORK/exit-status. Exit status: 0 when the guest script ran and succeeded, 1 when it ran
# and failed, 2 when it never finished (no boot, a panic, the timeout): the reason is the last
# line on standard error. qemu is killed TIMEOUT_S seconds (default 600) after it started.
set -uo pipefail

die() { echo "boot.sh: $*" >&2; exit 2; }
[ $# -ge 3 ] && [ $# -le 4 ] || die "usage: boot.sh KERNEL_DIR WORK GUEST [TIMEOUT_S]"
kdir=$(realpath "$1") || exit 2
work=$(realpath "$2") || exit 2
guest=$(realpath "$3") || exit 2
timeout_s=${4:-600}
here=$(dirname "$(realpath "$0")")
release=$(basename "$kdir")

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (Debian package qemu-system-x86)"
[ -r "$kdir/boot/vmlinuz-$release" ] || die "$kdir/boot/vmlinuz-$release missing (run kernel.sh)"
case "$work$guest" in
*[[:space:]]*) die "paths with blanks cannot go on the kernel command line: $work, $guest" ;;
esac

rm -f "$work/exit-status" "$work/console.log" "$work/guest.log" "$work/init.log"
"$here/initramfs.sh" "$kdir" "$work/initramfs.cpio" || die "no initramfs for $release"

# 9p: the host root read-only (multidevs=remap keeps inode numbers of the mounts under / apart),
# the work directory read-write; security_model=none: files keep the host's owners and modes.
# -nodefaults: no NIC, VGA or disk the guest would probe for nothing.
started=$(date +%s%N)
timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 \
	-accel tcg -cpu max -m 2048 -smp 2 -nographic -nodefaults -no-reboot \
	-serial "file:$work/console.log" -monitor none \
	-kernel "$kdir/boot/vmlinuz-$release" -initrd "$work/initramfs.cpio" \
	-append "console=ttyS0 loglevel=4 panic=-1 oops=panic random.trust_cpu=on dot11xdp.work=$work dot11xdp.guest=$guest" \
	-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap" \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	-fsdev "local,id=work,path=$work,security_model=none,multidevs=remap" \
	-device virtio-9p-pci,fsdev=work,mount_tag=work \
	</dev/null >"$work/qemu.log" 2>&1
qemu_rc=$?
tenths=$((($(date +%s%N) - started) / 100000000))
echo "$((tenths / 10)).$((tenths % 10))" >"$work/elapsed"

if [ -s "$work/exit-status" ]; then
	status=$(cat "$work/exit-status")
	[ "$status" = 0 ] && exit 0
	exit 1
fi
# Why the guest never got to write its status, from what the console shows.
reason=
if [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ]; then
	reason="killed after ${timeout_s}s"
elif [ "$qemu_rc" -ne 0 ]; then
	reason="qemu failed with status $qemu_rc: $(tail -n 1 "$work/qemu.log")"
fi
panic=$(grep -m1 -E 'Kernel panic|BUG:|Oops:' "$work/console.log" 2>/dev/null | tr -d '\r')
vmsay=$(grep -E '^vm: ' "$work/console.log" 2>/dev/null | tail -n 1 | tr -d '\r')
msg="$release never finished the guest script"
[ -n "$reason" ] && msg="$msg ($reason)"
[ -n "$panic" ] && msg="$msg; console: $panic"
[ -z "$panic" ] && [ -n "$vmsay" ] && msg="$msg; last from init: ${vmsay#vm: }"
[ -z "$panic" ] && [ -z "$vmsay" ] && msg="$msg; init never spoke (no boot?)"
echo "boot.sh: $msg" >&2
exit 2
