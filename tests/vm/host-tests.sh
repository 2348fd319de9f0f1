#!/usr/bin/env bash
# Usage: host-tests.sh
#
# Configures, builds and runs the host CMake projects (GoogleTest + CTest):
# tests/driver-host (the driver's ELF code) in $CACHE_DIR/host-build and
# tools/ (libksyms and the ksyms command, with their tests from
# tests/tools-host) in $CACHE_DIR/tools-build. Each writes
# ctest.log in its build directory; failures are shown on stderr. Prints on
# stdout the sums:  BUILT=0|1 PASSED= FAILED= SKIPPED=
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

PROJECTS=("$REPO_ROOT/tests/driver-host:$CACHE_DIR/host-build" "$REPO_ROOT/tools:$CACHE_DIR/tools-build")

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

# Builds and tests one project; prints "BUILT PASSED FAILED SKIPPED".
test_project() {
	local src=$1 build=$2 passed failed skipped ctest_rc=0
	# A build directory configured for a checkout elsewhere cannot be reused.
	if [ -f "$build/CMakeCache.txt" ] &&
		! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$src" "$build/CMakeCache.txt"; then
		rm -rf "$build"
	fi
	mkdir -p "$build"
	log "building and testing ${src#"$REPO_ROOT"/} in $build"
	if ! { cmake -S "$src" -B "$build" && cmake --build "$build" -j"$(nproc)"; } >"$build/build.log" 2>&1; then
		log "build FAILED; last lines of $build/build.log:"
		tail -n 30 "$build/build.log" >&2
		echo 0 0 1 0
		return 0
	fi
	(cd "$build" && ctest -V -j"$(nproc)") >"$build/ctest.log" 2>&1 || ctest_rc=$?
	read -r passed failed skipped < <(count_results "$build/ctest.log")
	# No summary at all (ctest itself failed): still a failure.
	if [ $ctest_rc -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
	if [ $ctest_rc -ne 0 ]; then
		log "test failures (full log: $build/ctest.log):"
		grep -E '\[  FAILED  \]|Failure|\*\*\*|tests failed' "$build/ctest.log" | sed 's/^/  /' >&2 || true
	fi
	echo 1 "$passed" "$failed" "$skipped"
}

main() {
	local project built passed failed skipped
	local all_built=1 sum_passed=0 sum_failed=0 sum_skipped=0
	ensure_packages cmake g++ gcc make libgtest-dev pkg-config libelf-dev elfutils binutils
	for project in "${PROJECTS[@]}"; do
		read -r built passed failed skipped < <(test_project "${project%%:*}" "${project#*:}")
		[ "$built" -eq 1 ] || all_built=0
		sum_passed=$((sum_passed + passed))
		sum_failed=$((sum_failed + failed))
		sum_skipped=$((sum_skipped + skipped))
	done
	printf 'BUILT=%d\nPASSED=%d\nFAILED=%d\nSKIPPED=%d\n' \
		"$all_built" "$sum_passed" "$sum_failed" "$sum_skipped"
}

main "$@"
