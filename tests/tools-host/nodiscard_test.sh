#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Usage: nodiscard_test.sh CXX -IDIR...
#
# libksyms' results are [[nodiscard]]: nodiscard_check.cpp compiles as it
# is, and with -DDISCARD (three results dropped) gives three warnings.
set -uo pipefail
cxx=$1
shift
src=$(dirname "$0")/nodiscard_check.cpp

"$cxx" -std=c++20 -Wall -Werror -fsyntax-only "$@" "$src" || {
	echo "nodiscard_check.cpp does not compile as it is" >&2
	exit 1
}
warnings=$("$cxx" -std=c++20 -Wall -fsyntax-only -DDISCARD "$@" "$src" 2>&1 |
	grep -c 'warning: ignoring return.*nodiscard')
if [ "$warnings" -ne 3 ]; then
	echo "dropped results warned of: $warnings, not 3" >&2
	exit 1
fi
echo "3 dropped results, 3 warnings"
