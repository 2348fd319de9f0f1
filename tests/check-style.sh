#!/usr/bin/env bash
# Kernel style gates for driver/ and uapi/: checkpatch --strict (options in
# .checkpatch.conf), the rule that only ksyms_compat.h tests versions, and
# no include cycle in driver/.
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
# The include graph of driver/, a file's .c and .h as one node, is layered:
# tsort reports any loop in it.
loops=$(for f in driver/*.[ch]; do
	node=$(basename "${f%.?}")
	sed -n 's/^#include "\(.*\)\.h"$/\1/p' "$f" | while read -r dep; do
		[[ "$dep" == "$node" ]] || echo "$node $dep"
	done
done | tsort 2>&1 >/dev/null || true)
if [[ -n "$loops" ]]; then
	echo "check-style: include cycle in driver/:"
	echo "$loops"
	status=1
fi
[[ $status -eq 0 ]] && echo "check-style: checkpatch --strict clean, version tests only in ksyms_compat.h, no include cycle"
exit $status
