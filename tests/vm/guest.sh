#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh WORK: what the test guest runs (tests/vm/init hands over to it as root, in the
# host's root file system). WORK/env, written by run.sh, sets REPO, OUTPUT, SHARED, VM_TESTS
# and VM_TEST_TIMEOUT. Each entry of VM_TESTS is a test of the project's suite (test_NAME in
# $OUTPUT/tests, test-NAME.sh in tests/) or of this tier (vm-NAME.sh in tests/vm/); each runs
# in turn, under a timeout, its output in WORK/out/ENTRY.log and "ENTRY STATUS SECONDS" appended
# to WORK/results as it ends. run.sh turns all of that into the tier's checks, so this script
# judges nothing itself.
set -uo pipefail
work=$1
. "$work/env"
cd "$REPO" || exit 1
export OUTPUT SHARED VM_CIPHERS VM_WORK=$work
mkdir -p "$work/out"
: >"$work/results"

now_ds() { echo $(($(date +%s%N) / 100000000)); }
for entry in $VM_TESTS; do
	case "$entry" in
	test_*) cmd=("$OUTPUT/tests/$entry") ;;
	test-*.sh) cmd=(bash "tests/$entry") ;;
	vm-*.sh) cmd=(bash "tests/vm/$entry") ;;
	*) echo "guest.sh: unknown test entry $entry" >"$work/out/$entry.log"
	   echo "$entry 127 0.0" >>"$work/results"
	   continue ;;
	esac
	start=$(now_ds)
	timeout --kill-after=5 "$VM_TEST_TIMEOUT" "${cmd[@]}" >"$work/out/$entry.log" 2>&1 </dev/null
	rc=$?
	took=$(($(now_ds) - start))
	echo "$entry $rc $((took / 10)).$((took % 10))" >>"$work/results"
done
