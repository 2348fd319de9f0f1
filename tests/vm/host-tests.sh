#!/usr/bin/env bash
# Usage: host-tests.sh
#
# Configures, builds and runs tests/host (CMake + GoogleTest + CTest) in
# .cache/host-build. Output goes to .cache/host-build/ctest.log; failures are
# shown on stderr. Prints on stdout:  BUILT=0|1 PASSED= FAILED= SKIPPED=
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

SRC=$REPO_ROOT/tests/host
BUILD=$CACHE_DIR/host-build

# gtest ends each binary with "[  PASSED  ] N tests." and, when needed,
# "[  FAILED  ] N tests, listed below:" / "[  SKIPPED ] N tests, listed below:"
# (ctest -V prefixes each line with "<test number>: "). CTest's own summary,
# "... N tests failed out of M", also counts binaries that crashed before
# gtest could print anything: take whichever failure count is larger.
count_results() {
	awk '{ sub(/^[0-9]+: /, "") }
	/^\[  PASSED  \] [0-9]+ tests?\./        { p += $4 }
	/^\[  FAILED  \] [0-9]+ tests?, listed/  { f += $4 }
	/^\[  SKIPPED \] [0-9]+ tests?, listed/  { s += $4 }
	/tests passed, [0-9]+ tests? failed out of/ { cf = $4 }
	END { printf "%d %d %d\n", p, (cf > f ? cf : f), s }' "$1"
}

main() {
	local passed failed skipped ctest_rc=0
	ensure_packages cmake g++ make libgtest-dev pkg-config libelf-dev elfutils binutils
	# A build directory configured for a checkout elsewhere cannot be reused.
	if [ -f "$BUILD/CMakeCache.txt" ] &&
		! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$SRC" "$BUILD/CMakeCache.txt"; then
		rm -rf "$BUILD"
	fi
	mkdir -p "$BUILD"
	log "building host tests in $BUILD"
	if ! { cmake -S "$SRC" -B "$BUILD" && cmake --build "$BUILD" -j"$(nproc)"; } >"$BUILD/build.log" 2>&1; then
		log "host tests build FAILED; last lines of $BUILD/build.log:"
		tail -n 30 "$BUILD/build.log" >&2
		printf 'BUILT=0\nPASSED=0\nFAILED=1\nSKIPPED=0\n'
		return 0
	fi
	(cd "$BUILD" && ctest -V -j"$(nproc)") >"$BUILD/ctest.log" 2>&1 || ctest_rc=$?
	read -r passed failed skipped < <(count_results "$BUILD/ctest.log")
	# No summary at all (ctest itself failed): still a failure.
	if [ $ctest_rc -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
	if [ $ctest_rc -ne 0 ]; then
		log "host test failures (full log: $BUILD/ctest.log):"
		grep -E '\[  FAILED  \]|Failure|\*\*\*|tests failed' "$BUILD/ctest.log" | sed 's/^/  /' >&2 || true
	fi
	printf 'BUILT=1\nPASSED=%d\nFAILED=%d\nSKIPPED=%d\n' "$passed" "$failed" "$skipped"
}

main "$@"
