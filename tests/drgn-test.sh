#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# ksyms.drgn under drgn itself: Debian sid's drgn (bookworm's 0.0.22 has
# no Program.register_symbol_finder), with the Python module built inside
# the sid tree (tests/vm/tree.sh) for sid's Python, on the image the host
# tests use (ksyms_python_image, built on the host). A drgn.Program with the
# snapshot as its symbol finder must answer prog.symbol() and
# prog.symbols() as the ksyms command (built there too) reads the image:
# tests/python-host/drgn_test.py. KTAP output: the steps, then each case.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh
# shellcheck source=tests/lib/ktap.sh
. tests/lib/ktap.sh

HOST_BUILD=$CACHE_DIR/tools-build
SID_BUILD=$CACHE_DIR/drgn-build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The host's tools build, as tests/vm/build-tools.sh keeps it.
write_image() {
	if [ -f "$HOST_BUILD/CMakeCache.txt" ] &&
		! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$REPO_ROOT/tools" "$HOST_BUILD/CMakeCache.txt"; then
		rm -rf "$HOST_BUILD"
	fi
	cmake -S tools -B "$HOST_BUILD" &&
		cmake --build "$HOST_BUILD" -j"$(nproc)" --target ksyms_python_image &&
		"$HOST_BUILD/tests/python-host/ksyms_python_image" "$work/image.elf"
}

in_sid() {
	in_root "$tree" --bind "$REPO_ROOT" /ksyms-src --bind "$SID_BUILD" /ksyms-build \
		--bind "$work" /ksyms-work "$@"
}

# $(nproc) is the tree's, expanded inside it.
# shellcheck disable=SC2016
build_in_sid() {
	in_sid sh -c 'cmake -S /ksyms-src/tools -B /ksyms-build -DKSYMS_BUILD_TESTS=OFF \
			-DKSYMS_BUILD_BENCHMARKS=OFF -DKSYMS_BUILD_PYTHON=ON &&
		cmake --build /ksyms-build -j"$(nproc)" --target ksyms ksyms_python'
}

# The unittest cases' own KTAP lines, numbered on from the steps'.
run_cases() {
	local out=$work/cases.txt rc=0
	in_sid env PYTHONPATH=/ksyms-build/python:/ksyms-src/tests/python-host \
		KSYMS_COMMAND=/ksyms-build/ksyms \
		python3 /ksyms-src/tests/python-host/drgn_test.py /ksyms-work/image.elf \
		>"$out" 2>&1 || rc=$?
	awk -v n="$KTAP_N" '
		/^(not )?ok [0-9]+ / { n++; sub(/ok [0-9]+ /, "ok " n " "); print; next }
		/^(TAP version|1\.\.)/ { next }
		/^#/ { print; next }
		{ print "# " $0 }' "$out"
	KTAP_N=$((KTAP_N + $(grep -c '^\(not \)\{0,1\}ok [0-9]' "$out")))
	KTAP_FAILED=$((KTAP_FAILED + $(grep -c '^not ok [0-9]' "$out")))
	# No case reported, or a crash after them: one failure more.
	if ! grep -q '^\(not \)\{0,1\}ok [0-9]' "$out" ||
		{ [ $rc -ne 0 ] && ! grep -q '^not ok [0-9]' "$out"; }; then
		KTAP_N=$((KTAP_N + 1)) KTAP_FAILED=$((KTAP_FAILED + 1))
		echo "not ok $KTAP_N drgn_test.py ran to the end (exit $rc)"
	fi
}

echo "TAP version 13"
tree=
ktap_check "the test image, written on the host" write_image
ktap_check "the sid tree with drgn" tests/vm/tree.sh sid &&
	tree=$(tests/vm/tree.sh sid 2>/dev/null)
mkdir -p "$SID_BUILD"
if [ -n "$tree" ] && [ -f "$work/image.elf" ]; then
	ktap_check "the Python module and the command build for sid's Python" build_in_sid
	if [ -f "$SID_BUILD/ksyms" ]; then
		run_cases
	fi
fi
ktap_finish drgn
