#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Every source file carries the SPDX identifier of the part it belongs to,
# each identifier has its text under LICENSES/, and MODULE_LICENSE agrees.
# The parts and their licences (the README's Licence section says why):
#   the module, the selftests, the build and test harness   GPL-2.0-only
#   the uapi headers   (GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause
#   libksyms, the command, the Python binding, their tests   BSD-2-Clause
# KTAP; exit 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

GPL='GPL-2.0-only'
UAPI='(GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause'
BSD='BSD-2-Clause'

# The licence a tracked path must carry; nothing for a file that is not
# source (text, configuration fragments, data).
expected_licence() {
	case $1 in
	LICENSES/* | COPYING | *.md | VERSION | .gitignore | */.gitignore | .checkpatch.conf | \
		*.config | selftests/config | selftests/settings | debian/* | *.json) ;;
	uapi/*) echo "$UAPI" ;;
	tools/* | tests/tools-host/* | tests/tools-vm/* | tests/bench-host/* | tests/debuginfo-host/* | \
		tests/bench-vm/* | tests/headers/* | tests/python-host/*) echo "$BSD" ;;
	*) echo "$GPL" ;;
	esac
}

# The identifier in the first three lines of $1, without comment markers.
found_licence() {
	head -n 3 "$1" | sed -n 's/^.*SPDX-License-Identifier: \(.*\)$/\1/p' |
		sed 's| *\*/ *$||' | head -n 1
}

echo "TAP version 13"
echo "1..3"
failed=0
result() { # N STATUS DESCRIPTION
	if [ "$2" -eq 0 ]; then echo "ok $1 $3"; else echo "not ok $1 $3"; failed=1; fi
}

wrong=0
while IFS= read -r path; do
	if [ ! -f "$path" ] || [ -L "$path" ]; then continue; fi
	want=$(expected_licence "$path")
	[ -n "$want" ] || continue
	got=$(found_licence "$path")
	if [ "$got" != "$want" ]; then
		echo "# $path: '${got:-none}', expected '$want'"
		wrong=$((wrong + 1))
	fi
done < <(git ls-files --cached --others --exclude-standard)
result 1 $wrong "every source file has the SPDX identifier of its part"

missing=0
for text in preferred/GPL-2.0 preferred/BSD-2-Clause exceptions/Linux-syscall-note; do
	[ -s "LICENSES/$text" ] || { echo "# LICENSES/$text is missing"; missing=1; }
done
result 2 $missing "LICENSES/ has the text of every identifier used"

bad_module=0
while IFS= read -r line; do
	case $line in
	*'MODULE_LICENSE("GPL")'*) ;;
	*) echo "# ${line}"; bad_module=1 ;;
	esac
done < <(grep -rn 'MODULE_LICENSE(' driver selftests tests/bench-vm)
result 3 $bad_module 'MODULE_LICENSE("GPL") (GPL version 2) in every module'
exit $failed
