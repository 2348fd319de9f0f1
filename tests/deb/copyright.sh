#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# debian/copyright (DEP-5) against the files: every file with an
# SPDX-License-Identifier line gets that licence from the last Files
# paragraph matching it, as DEP-5 reads them. Prints each file where they
# differ; exit 1 if any does.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

# DEP-5's short names for the SPDX identifiers tests/check-licences.sh uses.
spdx_of() {
	case $1 in
	GPL-2) echo 'GPL-2.0-only' ;;
	BSD-2-clause) echo 'BSD-2-Clause' ;;
	'GPL-2 with Linux-syscall-note exception or BSD-2-clause')
		echo '(GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause' ;;
	*) echo "unknown DEP-5 licence '$1'" ;;
	esac
}

# "GLOB<tab>LICENCE" for each glob of each Files paragraph, in order.
file_globs() {
	awk '
	/^$/ { files = ""; next }
	/^Files:/ { sub(/^Files:[ \t]*/, ""); files = $0; infiles = 1; next }
	/^[ \t]/ && infiles { files = files " " $0; next }
	{ infiles = 0 }
	/^License:/ && files != "" {
		sub(/^License:[ \t]*/, "")
		n = split(files, globs, /[ \t]+/)
		for (i = 1; i <= n; i++) if (globs[i] != "") print globs[i] "\t" $0
		files = ""
	}' debian/copyright
}

found_licence() {
	head -n 3 "$1" | sed -n 's/^.*SPDX-License-Identifier: \(.*\)$/\1/p' |
		sed 's| *\*/ *$||' | head -n 1
}

mapfile -t GLOBS < <(file_globs)
[ ${#GLOBS[@]} -gt 0 ] || { echo "no Files paragraphs in debian/copyright"; exit 1; }
wrong=0
while IFS= read -r path; do
	[ -f "$path" ] && [ ! -L "$path" ] || continue
	spdx=$(found_licence "$path")
	[ -n "$spdx" ] || continue
	dep5=
	for entry in "${GLOBS[@]}"; do
		# shellcheck disable=SC2053 # the glob is a pattern
		[[ $path == ${entry%%$'\t'*} ]] && dep5=${entry#*$'\t'}
	done
	if [ -z "$dep5" ]; then
		echo "$path: in no Files paragraph"
		wrong=$((wrong + 1))
	elif [ "$(spdx_of "$dep5")" != "$spdx" ]; then
		echo "$path: '$spdx' in the file, '$dep5' in debian/copyright"
		wrong=$((wrong + 1))
	fi
done < <(git ls-files --cached --others --exclude-standard)
[ "$wrong" -eq 0 ]
