#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Kernel style gates for driver/ and uapi/: checkpatch --strict (options in
# .checkpatch.conf), the rule that only ksyms_compat.h tests versions,
# kernel-doc (clean, and on every function a header declares for other
# files to call), no include cycle among the driver's headers, and no
# driver file over $MAX_LINES lines.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh

checkpatch=${CHECKPATCH:-}
if [[ -z "$checkpatch" ]]; then
	checkpatch=$(ls -d /usr/src/linux-source-*/scripts/checkpatch.pl "$CACHE_DIR"/linux-source-*/scripts/checkpatch.pl 2>/dev/null | head -n1 || true)
fi
if [[ -z "$checkpatch" ]]; then
	echo "check-style: no checkpatch.pl (install linux-source-6.12)" >&2
	exit 1
fi

MAX_LINES=400

# The kernel's scripts/kernel-doc, beside checkpatch.pl.
kernel_doc=$(dirname "$checkpatch")/kernel-doc

# Functions the driver's headers declare for other files to call.
declared_functions() {
	grep -hE '^[a-z].*\bksyms_[a-z0-9_]+\(' driver/*.h |
		grep -vE '^(static|extern|#)' |
		sed -E 's/^.*\b(ksyms_[a-z0-9_]+)\(.*$/\1/' | sort -u
}

undocumented_functions() {
	local fn
	for fn in $(declared_functions); do
		grep -qE "^ \* $fn(\(\))? - " driver/*.c driver/*.h || echo "$fn"
	done
}

# "a b" lines: a.c or a.h includes b.h, for the driver's own files. A file
# and its header are one unit: ksyms_x.c including ksyms_y.h while
# ksyms_y.c includes ksyms_x.h is the cycle this looks for.
include_edges() {
	local f unit
	for f in driver/*.[ch]; do
		unit=${f##*/}
		sed -n 's/^#include "\(.*\)\.h"/\1/p' "$f" | sed "s|^|${unit%.?} |"
	done
}

# Prints the edges on a cycle: what is left after removing, again and
# again, every edge into a unit that includes nothing left and every edge
# out of a unit that nothing left includes.
include_cycles() {
	local edges before
	edges=$(include_edges | awk '$1 != $2' | sort -u)
	while [ -n "$edges" ] && [ "$edges" != "${before:-}" ]; do
		before=$edges
		edges=$(awk 'NR == FNR { from[$1] = 1; to[$2] = 1; next }
			     ($2 in from) && ($1 in to)' <(echo "$edges") <(echo "$edges"))
	done
	echo "$edges"
}

status=0
out=$(perl "$checkpatch" --terse -f driver/*.c driver/*.h uapi/linux/*.h uapi/sys/*.h 2>&1 |
	grep -v '^total: 0 errors, 0 warnings, 0 checks' || true)
if [[ -n "$out" ]]; then
	echo "$out"
	status=1
fi

misplaced=$(grep -l 'LINUX_VERSION_CODE\|KERNEL_VERSION\|KSYMS_KERNEL_AT_LEAST' driver/* |
	grep -v '^driver/ksyms_compat.h$' || true)
if [[ -n "$misplaced" ]]; then
	echo "check-style: version tests outside driver/ksyms_compat.h: $misplaced"
	status=1
fi
out=$(perl "$kernel_doc" -none -Wall driver/*.c driver/*.h 2>&1 || true)
if [[ -n "$out" ]]; then
	echo "$out"
	status=1
fi

out=$(undocumented_functions)
if [[ -n "$out" ]]; then
	echo "check-style: no kernel-doc for:" "${out//$'\n'/ }"
	status=1
fi

out=$(include_cycles)
if [[ -n "$out" ]]; then
	echo "check-style: include cycle among:" "${out//$'\n'/, }"
	status=1
fi

out=$(wc -l driver/*.[ch] | awk -v max=$MAX_LINES '$2 != "total" && $1 > max')
if [[ -n "$out" ]]; then
	echo "check-style: over $MAX_LINES lines:" "${out//$'\n'/, }"
	status=1
fi
[[ $status -eq 0 ]] && echo "check-style: checkpatch --strict and kernel-doc clean, version tests only in ksyms_compat.h, no include cycle, no file over $MAX_LINES lines"
exit $status
