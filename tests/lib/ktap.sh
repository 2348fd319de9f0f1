# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# KTAP for the host-side shell tests. Source it, then:
#   ktap_check NAME COMMAND...   runs COMMAND; "ok N NAME" or "not ok N NAME"
#                                with the tail of its output as "# " lines
#   ktap_summary WHAT            "# WHAT: N passed, N failed"; status 0 if none failed
#   ktap_finish WHAT             the plan, "1..N", then ktap_summary: for a
#                                check that counts its tests as it goes, so
#                                that one dying before the end has no plan
KTAP_N=0
KTAP_FAILED=0

ktap_check() {
	local name=$1 out
	shift
	out=$(mktemp)
	KTAP_N=$((KTAP_N + 1))
	if "$@" >"$out" 2>&1; then
		echo "ok $KTAP_N $name"
	else
		echo "not ok $KTAP_N $name"
		sed 's/^/# /' "$out" | tail -n 20
		KTAP_FAILED=$((KTAP_FAILED + 1))
	fi
	rm -f "$out"
}

ktap_summary() {
	echo "# $1: $((KTAP_N - KTAP_FAILED)) passed, $KTAP_FAILED failed"
	[[ $KTAP_FAILED -eq 0 ]]
}

ktap_finish() {
	echo "1..$KTAP_N"
	ktap_summary "$1"
}
