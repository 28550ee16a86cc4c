#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The real-kernel tier: boot each Debian kernel of VM_KERNELS (default "6.12 6.1") under qemu
# with mac80211_hwsim, run in it the project's kernel-facing tests and the live test on real
# mac80211 (vm-live.sh), and report every check tagged with the kernel, "ok - [6.12.117] ...".
# The host's own kernel is covered by the rest of `make test`.
#
#   OUTPUT=build SHARED=../shared tests/vm/run.sh
#
# Kernels are downloaded once (kernel.sh) into $OUTPUT/vm/kernels; each run's files (console,
# guest output, captures) stay in $OUTPUT/vm/run/RELEASE/ for a look afterwards.
# VM_TESTS replaces the list of tests run in each kernel. VM_TEST_TIMEOUT (seconds, default 600)
# bounds each test, VM_KERNEL_TIMEOUT (default 900) each guest from boot to power-off, so a
# hung guest costs CI at most that; a normal run takes 4 to 6 minutes per kernel.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
OUTPUT=$(realpath -m "${OUTPUT:-build}")
SHARED=$(realpath -m "${SHARED:-../shared}")
VM_KERNELS=${VM_KERNELS:-6.12 6.1}
VM_TEST_TIMEOUT=${VM_TEST_TIMEOUT:-600}
VM_KERNEL_TIMEOUT=${VM_KERNEL_TIMEOUT:-900}
vm_dir=$(realpath -m "${VM_DIR:-$OUTPUT/vm}")

# Every test of the suite (build/tests/test_*, tests/test-*.sh) but those that do not exercise
# the kernel: test_api_layout is pure user space, test-install.sh writes into the tree (read-only
# in the guest), test-vm.sh is this tier. Then this tier's own.
default_tests=$(
	for t in "$OUTPUT"/tests/test_* tests/test-*.sh; do
		[ -f "$t" ] && basename "$t"
	done | grep -vxE 'test_api_layout|test-install\.sh|test-vm\.sh' | grep -v '\.d$'
	echo vm-live.sh
)
# Tests that need the kfunc AES engine (the BPF crypto kfuncs, 6.10+) and fail without it.
kfunc_tests="test_aes_kfunc test_gcm test_api_engine test_api_ciphers test-cli-engine.sh"
tests=${VM_TESTS:-$default_tests}

[ "$(id -u)" -eq 0 ] || fatal "vm: needs root (the guest runs the suite as root over the host's files)"
for tool in qemu-system-x86_64 apt-get dpkg-deb depmod modprobe; do
	command -v "$tool" >/dev/null || fatal "vm: $tool missing (make deps)"
done
for bin in $tests; do
	case "$bin" in
	test_*) [ -x "$OUTPUT/tests/$bin" ] || fatal "vm: $OUTPUT/tests/$bin not built (make)" ;;
	esac
done
[ -x "$OUTPUT/dot11xdp" ] || fatal "vm: $OUTPUT/dot11xdp not built (make)"

# Text of a tagged check: "ok - [6.12.117] test_ccm: NAME"; other output becomes comments.
tag_output() { # tag_output TAG ENTRY < LOG
	awk -v pre="$1 $2: " '
		/^ok - / { print "ok - " pre substr($0, 6); next }
		/^not ok - / { print "not ok - " pre substr($0, 10); next }
		/^#/ { print; next }
		/./ { print "# " $0 }'
}
count_prefix() { grep -c "^$1 - " "$2"; }

ds_since() { local d=$((($(date +%s%N) - $1) / 100000000)); echo "$((d / 10)).$((d % 10))"; }

run_kernel() { # run_kernel SERIES
	local series=$1 kdir release version tag run_tests t work boot_rc init_at log result rc took
	local passed failed oops t0 console has_kfuncs skipped
	t0=$(date +%s%N)
	if ! kdir=$(tests/vm/kernel.sh "$series" "$vm_dir/kernels" 2>"$vm_dir/kernel.err"); then
		not_ok "[$series] kernel package fetched and unpacked" "$(tail -n 1 "$vm_dir/kernel.err")"
		return
	fi
	grep -v '^kernel.sh: .* unpacked in ' "$vm_dir/kernel.err" | sed 's/^/# /'
	release=$(basename "$kdir")
	version=$(cat "$kdir/.version")
	tag="[${version%%-*}]"
	echo "# $tag Debian linux-image-$release $version, ready in $(ds_since "$t0")s"

	# The BPF crypto kfuncs come with their skcipher type, bpf_crypto_skcipher (Debian's
	# System.map is a stub).
	has_kfuncs=0
	grep -qs '/bpf_crypto_skcipher\.ko' "$kdir/lib/modules/$release/modules.builtin" \
		"$kdir/lib/modules/$release/modules.dep" && has_kfuncs=1
	run_tests= skipped=
	for t in $tests; do
		if [ "$has_kfuncs" -eq 0 ] && grep -qw -- "$t" <<<"$kfunc_tests"; then
			skipped="$skipped $t"
			continue
		fi
		run_tests="$run_tests $t"
	done
	[ -z "$skipped" ] ||
		echo "# $tag no BPF crypto kfuncs, so no kfunc AES engine: not run:$skipped"

	work=$vm_dir/run/$release
	rm -rf "$work"
	mkdir -p "$work"
	cat >"$work/env" <<-EOF
		REPO=$PWD
		OUTPUT=$OUTPUT
		SHARED=$SHARED
		VM_TESTS="$run_tests"
		VM_TEST_TIMEOUT=$VM_TEST_TIMEOUT
		VM_CIPHERS="${VM_CIPHERS:-}"
	EOF
	tests/vm/boot.sh "$kdir" "$work" tests/vm/guest.sh "$VM_KERNEL_TIMEOUT" 2>"$work/boot.err"
	boot_rc=$?
	init_at=$(sed -n 's/.*vm: init started at \([0-9.]*s\).*/\1/p' "$work/console.log" 2>/dev/null)
	if [ "$boot_rc" -eq 2 ]; then
		mapfile -t console < <(tail -n 15 "$work/console.log" 2>/dev/null |
			sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g' | tr -cd '[:print:]\n' | sed 's/^/  /')
		not_ok "$tag boots and runs the tests" "$(tail -n 1 "$work/boot.err")" \
			"console ($work/console.log), last lines:" "${console[@]}"
	else
		ok "$tag boots (init at ${init_at:-?}) and runs the tests: $(cat "$work/elapsed")s in all"
	fi
	if [ -r "$work/init.log" ]; then
		if grep -q 'failed:' "$work/init.log"; then
			not_ok "$tag every module loads" "$(grep '^insmod' "$work/init.log")"
		else
			ok "$tag the $(wc -l <"$work/initramfs.cpio.load") modules load: $(
				sed 's/^[0-9]*-//; s/\.ko.*//' "$work/initramfs.cpio.load" | tr '\n' ' ')"
		fi
	fi

	for t in $run_tests; do
		log=$work/out/$t.log
		result=$(awk -v t="$t" '$1 == t' "$work/results" 2>/dev/null)
		if [ -z "$result" ]; then
			not_ok "$tag $t ran" "the guest stopped before it ended (see above)"
			continue
		fi
		read -r _ rc took <<<"$result"
		tag_output "$tag" "$t" <"$log" >"$log.tap"
		cat "$log.tap"
		echo "# $tag $t: ${took}s, status $rc"
		passed=$(count_prefix ok "$log.tap")
		failed=$(count_prefix 'not ok' "$log.tap")
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			not_ok "$tag $t finished within ${VM_TEST_TIMEOUT}s (killed)"
		elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
			not_ok "$tag $t exited with status $rc and reported no failing check"
		elif [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
			not_ok "$tag $t ran no check"
		fi
	done

	# A kernel warning during the tests is a failure even when every check passed.
	oops=$(grep -E 'BUG:|WARNING:|Oops|general protection|Call Trace:' "$work/console.log" 2>/dev/null |
		tr -d '\r' | head -n 5)
	if [ -n "$oops" ]; then
		not_ok "$tag the kernel logs no BUG, WARNING or Oops" "$oops"
	elif [ -r "$work/console.log" ]; then
		ok "$tag the kernel logs no BUG, WARNING or Oops"
	fi
	echo "# $tag done in $(ds_since "$t0")s"
}

mkdir -p "$vm_dir"
started=$(date +%s%N)
for series in $VM_KERNELS; do
	run_kernel "$series"
done 2>&1 | tee "$vm_dir/tier.log"
rm -f "$vm_dir/kernel.err"
passed=$(grep -c '^ok - ' "$vm_dir/tier.log")
failed=$(grep -c '^not ok - ' "$vm_dir/tier.log")
echo "# vm tier ($VM_KERNELS): $passed passed, $failed failed in $(ds_since "$started")s"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
