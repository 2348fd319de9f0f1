#!/bin/sh
# Writes debian/libksyms0.symbols from a built libksyms.so.0:
#   debian/rules build && debian/gen-symbols.sh obj-*/libksyms.so.0
# C++ symbols are listed demangled, as (c++) entries. The standard
# library's template instantiations and helpers that the compiler chose to
# export are (c++|optional): another compiler may inline them. A symbol
# already in the file keeps its version; a new one gets VERSION's.
# Regenerate whenever the library's exports change (dpkg-gensymbols then
# prints a diff, and tests/deb-test.sh fails).
set -eu
lib=${1:?usage: debian/gen-symbols.sh PATH/TO/libksyms.so.0}
out=debian/libksyms0.symbols
version=$(cat VERSION)
old=$(mktemp)
trap 'rm -f "$old"' EXIT
[ ! -f "$out" ] || sed -n 's/^ \(([^)]*)\)\{0,1\}"\{0,1\}\(.*\)@Base"\{0,1\} \(.*\)$/\2\t\3/p' "$out" >"$old"

echo "libksyms.so.0 libksyms0 #MINVER#"
nm -D --defined-only --format=posix "$lib" | awk '{ print $1 }' | sort -u |
while IFS= read -r sym; do
	case $sym in
	_Z*)
		name=$(echo "$sym" | c++filt)
		case $name in
		ksyms::* | "typeinfo for ksyms::"* | "typeinfo name for ksyms::"* | "vtable for ksyms::"*)
			tag='(c++)' ;;
		*)	tag='(c++|optional)' ;;
		esac ;;
	*)	name=$sym tag= ;;
	esac
	v=$(awk -F '\t' -v n="$name" '$1 == n { print $2; exit }' "$old")
	if [ -n "$tag" ]; then
		printf ' %s"%s@Base" %s\n' "$tag" "$name" "${v:-$version}"
	else
		printf ' %s@Base %s\n' "$name" "${v:-$version}"
	fi
done | LC_ALL=C sort -u
