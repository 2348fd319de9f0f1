#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Checks how tests/run.sh counts a host-side check's KTAP (count_ktap in
# tests/run-stages.sh): a check that dies before its plan, reports fewer
# or more tests than it planned, or prints two plans must count as
# failed, however many "ok" lines it printed. And how it reads a VM's
# kernel log (tests/vm/parse-results.sh): a WARNING provoked between a
# check's markers is left out only if the block ended, and a block in
# which nothing matched is a report itself. KTAP.
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

# kreports KERNEL_LOG_TEXT N: parse-results.sh finds N kernel log reports
# in a VM log whose dmesg is KERNEL_LOG_TEXT.
kreports() {
	local got
	printf 'KSYMS-VM: kernel log begin\n%bKSYMS-VM: kernel log end\n' "$1" >"$WORK/vm.log"
	: >"$WORK/console.log"
	got=$(tests/vm/parse-results.sh "$WORK/vm.log" "$WORK/console.log" 2>/dev/null | sed -n 's/^KREPORTS=//p')
	if [ "$got" != "$2" ]; then
		echo "got ${got:-no count} kernel log reports"
		return 1
	fi
}
BEGIN='[ 1.0] ksyms-test: expected WARNING begins\n'
END='[ 1.2] ksyms-test: expected WARNING ends\n'
WARN='[ 1.1] WARNING: CPU: 0 PID: 1 at ksyms_warn.c:19 ksyms_warn_inner+0x28/0x40 [ksyms_warn]\n'

echo "KTAP version 1"
echo "1..12"
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
ktap_check "kernel log: a WARNING between the markers is left out" \
	kreports "[ 0.5] booted\n$BEGIN$WARN${END}[ 2.0] done\n" 0
ktap_check "kernel log: markers around nothing that matches are a report" \
	kreports "${BEGIN}[ 1.1] nothing here\n$END" 1
ktap_check "kernel log: a block that never ended hides nothing" \
	kreports "$BEGIN${WARN}[ 1.3] BUG: unable to handle page fault\n" 2
ktap_check "kernel log: a WARNING outside the markers is a report" \
	kreports "$WARN$BEGIN$WARN$END" 1
LONG=$(printf '[ 1.3] trace line %d\\n' $(seq 1 5000))
ktap_check "kernel log: a long block whose WARNING comes first is seen" \
	kreports "$BEGIN$WARN$LONG$END" 0
ktap_summary harness
