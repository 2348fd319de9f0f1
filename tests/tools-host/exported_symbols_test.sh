#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Usage: exported_symbols_test.sh LIBKSYMS.SO EXPECTED-LIST
#
# The dynamic symbols libksyms.so defines must be exactly its public API:
# the list (demangled, sorted, one a line) in EXPECTED-LIST. A symbol that
# leaks out (an internal class, a standard template the library
# instantiates) or one of the API that went missing fails, with the
# difference. When the API changes on purpose, write the list anew:
#   exported_symbols_test.sh LIBKSYMS.SO EXPECTED-LIST --update
set -euo pipefail
lib=$1 expected=$2

exported() {
	# "ADDRESS TYPE NAME": the name, demangled, may hold spaces.
	nm -D --defined-only --demangle "$lib" | cut -d' ' -f3- | LC_ALL=C sort -u
}

if [ "${3:-}" = --update ]; then
	{ grep '^#' "$expected" || true; exported; } >"$expected.new"
	mv "$expected.new" "$expected"
	exit 0
fi
# The list's comment lines (its licence) are not symbols.
if ! diff -u <(grep -v '^#' "$expected") <(exported); then
	echo "libksyms.so's exported symbols differ from $expected (+ exported, - expected)" >&2
	exit 1
fi
echo "exported symbols: $(wc -l <"$expected"), as listed"
