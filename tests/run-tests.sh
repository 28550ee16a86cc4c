#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run every test program (build/tests/*) and test script (tests/*.sh), each of which prints
# "ok - ..." / "not ok - ..." lines, and close with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
OUTPUT=${OUTPUT:-build}
export OUTPUT SHARED=${SHARED:-../shared}
ONLY=${ONLY:-}

if [ "$(id -u)" -ne 0 ]; then
	echo "run-tests: the suite needs root (BPF programs, XDP, network namespaces)." >&2
	echo "0 passed, 1 failed"
	exit 1
fi
if [ ! -d "$SHARED/testdata" ]; then
	echo "run-tests: $SHARED/testdata not found: put shared/ beside the repository or set SHARED=" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
SHARED=$(realpath "$SHARED")

passed=0 failed=0
run_one() {
	local name=$1; shift
	local log rc
	log=$(mktemp)
	echo "== $name"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	local ok notok
	ok=$(grep -c '^ok - ' "$log")
	notok=$(grep -c '^not ok - ' "$log")
	passed=$((passed + ok))
	failed=$((failed + notok))
	if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then
		echo "not ok - $name exited with status $rc and reported no failing check"
		failed=$((failed + 1))
	elif [ "$ok" -eq 0 ] && [ "$notok" -eq 0 ]; then
		echo "not ok - $name ran no check"
		failed=$((failed + 1))
	fi
	rm -f "$log"
}

for t in "$OUTPUT"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	[ -n "$ONLY" ] && [[ "$name" != *$ONLY* ]] && continue
	run_one "$name" "$t"
done
for t in tests/test-*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t")
	[ -n "$ONLY" ] && [[ "$name" != *$ONLY* ]] && continue
	run_one "$name" bash "$t"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
