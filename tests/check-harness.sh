#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Checks how tests/run.sh counts a host-side check's KTAP (count_ktap in
# tests/run-stages.sh): a check that dies before its plan, reports fewer
# or more tests than it planned, or prints two plans must count as
# failed, however many "ok" lines it printed. KTAP.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
CACHE_DIR=${KSYMS_CACHE_DIR:-$HOME/.cache/ksyms}
# shellcheck source=tests/run-stages.sh
. tests/run-stages.sh
# shellcheck source=tests/lib/ktap.sh
. tests/lib/ktap.sh

add_row() { :; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# counts LOG_TEXT PASSED FAILED: count_ktap on LOG_TEXT gives these totals.
counts() {
	local TOTAL_PASSED=0 TOTAL_FAILED=0
	printf '%b' "$1" >"$WORK/log"
	count_ktap check "$WORK/log" 2>/dev/null
	if [ "$TOTAL_PASSED" -ne "$2" ] || [ "$TOTAL_FAILED" -ne "$3" ]; then
		echo "got $TOTAL_PASSED passed, $TOTAL_FAILED failed"
		return 1
	fi
}

echo "KTAP version 1"
echo "1..7"
ktap_check "plan first, all reported: counted as they are" \
	counts 'KTAP version 1\n1..3\nok 1 a\nnot ok 2 b\nok 3 c\n' 2 1
ktap_check "plan last, all reported: counted as they are" \
	counts 'ok 1 a\nok 2 b\n1..2\n' 2 0
ktap_check "no plan (died before it): one failure more" \
	counts 'KTAP version 1\nok 1 a\nok 2 b\n' 2 1
ktap_check "nothing at all: one failure" counts '' 0 1
ktap_check "fewer than planned: each missing one a failure" \
	counts '1..5\nok 1 a\nnot ok 2 b\n' 1 4
ktap_check "more than planned: one failure more" \
	counts '1..1\nok 1 a\nok 2 b\n' 2 1
ktap_check "two plans: one failure more; indented results not counted" \
	counts '1..1\nok 1 a\n    ok 1 sub\n1..1\n' 1 1
ktap_summary harness
