#!/usr/bin/env bash
# Kernel style gates for driver/ and uapi/: checkpatch --strict (options in
# .checkpatch.conf) and the rule that only ksyms_compat.h tests versions.
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
[[ $status -eq 0 ]] && echo "check-style: checkpatch --strict clean, version tests only in ksyms_compat.h"
exit $status
