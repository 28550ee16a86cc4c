# SPDX-License-Identifier: GPL-2.0
# TAP-style checks for the shell tests, sourced by tests/test-*.sh: every check prints
# "ok - NAME" or "not ok - NAME" (then "# DETAIL" lines); tests/run-tests.sh adds them up.

failures=0
ok() { echo "ok - $1"; }
not_ok() { # not_ok NAME [DETAIL]...
	echo "not ok - $1"
	shift
	for line in "$@"; do echo "# $line"; done
	failures=$((failures + 1))
}
check() { # check NAME COMMAND...: ok when the command succeeds
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
check_eq() { # check_eq NAME GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2'" "want '$3'"; fi
}
# A setup step failed: later checks would mean nothing.
fatal() { echo "not ok - $*"; exit 1; }
# The script's exit status: non-zero when any check failed.
tap_exit() { exit $((failures > 0)); }
