#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: parse-results.sh RESULTS_LOG CONSOLE_LOG
#
# Reads what the VM's /init printed (RESULTS_LOG, ttyS1) and the kernel
# console (CONSOLE_LOG, ttyS0). Prints on stderr every failed or skipped test
# (with the failing program's last output lines) and every suspicious kernel
# log line; prints on stdout the counts as shell assignments:
#   PASSED= FAILED= SKIPPED= KREPORTS=
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

# Test results. Each program's own KTAP lines are indented once ("# ok 3
# name"); they are the test cases. A program that reported no cases counts
# as one test; one that failed although none of its cases did (crash,
# timeout, bad exit) adds a failure of its own.
count_tests() {
	tr -d '\r' <"$1" | awk '
	function report(kind, what) { printf "  %-4s %s\n", kind, what > "/dev/stderr" }
	function show_output(   i, from) {
		from = nout > 40 ? nout - 40 : 0
		for (i = from; i < nout; i++) print "       | " out[i] > "/dev/stderr"
	}
	function new_program() { np = nf = ns = nout = 0 }
	BEGIN { new_program() }
	/^KSYMS-VM: insmod FAILED/ { failed++; report("FAIL", "insmod ksyms.ko") }
	/^KSYMS-VM: rmmod FAILED/  { failed++; report("FAIL", "rmmod ksyms after the tests (reference leaked?)") }
	/^KSYMS-VM: live image: .*FAILED/ { failed++; report("FAIL", "ksyms save of the live image for the host benchmark") }
	/^KSYMS-VM: done/          { done = 1 }
	/^KTAP version/            { ktap = 1 }
	/^1\.\.[0-9]+$/            { plan = substr($0, 4) + 0 }
	/^# selftests: /           { new_program(); prog = $0; sub(/^# selftests: [^:]*: /, "", prog) }
	/^# / { out[nout++] = substr($0, 3) }
	/^# (not )?ok [0-9]+ / {
		line = substr($0, 3); name = line; sub(/^(not )?ok [0-9]+ /, "", name)
		if (line ~ /^ok/ && toupper(line) ~ /# SKIP/) { ns++; skipped++; report("SKIP", prog ": " name) }
		else if (line ~ /^ok/) { np++; passed++ }
		else { nf++; failed++; report("FAIL", prog ": " name) }
	}
	/^(not )?ok [0-9]+ / {
		results++
		if ($0 ~ /^not ok/) {
			if (nf == 0) { failed++; report("FAIL", $0) }
			show_output()
		} else if (np + nf + ns == 0) {
			if (toupper($0) ~ /# SKIP/) { skipped++; report("SKIP", $0) } else passed++
		}
		new_program()
	}
	END {
		if (!ktap) { failed++; report("FAIL", "the VM never started the tests") }
		else if (results < plan) { failed += plan - results; report("FAIL", (plan - results) " test program(s) never reported") }
		if (!done) { failed++; report("FAIL", "the VM did not finish (crash, hang or timeout)") }
		printf "PASSED=%d\nFAILED=%d\nSKIPPED=%d\n", passed, failed, skipped
	}'
}

# The kernel log: the dmesg the VM printed at the end, or, if it never got
# there, whatever reached the console.
kernel_log() {
	if grep -q '^KSYMS-VM: kernel log end' "$1"; then
		tr -d '\r' <"$1" | sed -n '/^KSYMS-VM: kernel log begin/,/^KSYMS-VM: kernel log end/p'
	else
		tr -d '\r' <"$2"
	fi
}

# What a check provoked on purpose, between its markers in the kernel log
# (ksyms_oops.sh's and ksyms_warn_seen.sh's WARNING), is not a report:
# those lines get "expected N: " in front, N the block's number. A block
# that never ended (the check died inside it) is left as it is.
mark_expected_reports() {
	awk -v begin='ksyms-test: expected WARNING begins' -v end='ksyms-test: expected WARNING ends' '
	function flush(   i) { for (i = 0; i < held; i++) print line[i]; held = 0 }
	index($0, begin) { flush(); inside = 1; n++ }
	!inside { print; next }
	{ line[held++] = $0 }
	index($0, end) {
		for (i = 0; i < held; i++) print "expected " n ": " line[i]
		held = 0; inside = 0
	}
	END { flush() }'
}

# The reports: each line outside the expected blocks that matches, and each
# expected block in which nothing matches, for the check would not see
# that report anywhere else either.
count_kernel_reports() {
	local marked hits=() blocks=() block
	marked=$(kernel_log "$1" "$2" | mark_expected_reports)
	mapfile -t hits < <(grep -v '^expected [0-9]*: ' <<<"$marked" | grep -E "$KERNEL_LOG_PATTERNS" || true)
	mapfile -t blocks < <(grep -o '^expected [0-9]*: ' <<<"$marked" | sort -u || true)
	for block in "${blocks[@]}"; do
		# Not grep -q: under pipefail, the first grep killed by SIGPIPE
		# once the second has its match would fail the test.
		grep "^$block" <<<"$marked" | grep -E "$KERNEL_LOG_PATTERNS" >/dev/null && continue
		hits+=("${block}a WARNING provoked between the markers matched nothing")
	done
	if [ ${#hits[@]} -gt 0 ]; then
		log "kernel log reports (full log: $2):"
		printf '  KLOG %s\n' "${hits[@]}" >&2
	fi
	echo "KREPORTS=${#hits[@]}"
}

main() {
	[ $# -eq 2 ] || die "usage: $0 RESULTS_LOG CONSOLE_LOG"
	touch "$1" "$2"
	count_tests "$1"
	count_kernel_reports "$1" "$2"
}

main "$@"
