#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: host-tests.sh [default|release|debian]
#
# Configures, builds and runs the host CMake projects (GoogleTest + CTest),
# with -Werror (KSYMS_WERROR), as CI wants them:
#   default  tests/driver-host (the driver's ELF code) in
#            $CACHE_DIR/host-build, and tools/ (libksyms and the ksyms
#            command, with their tests from tests/tools-host) in
#            $CACHE_DIR/tools-build, as a developer builds them
#   release  tools/ with CMAKE_BUILD_TYPE=Release (what `make tools` and
#            most users build), in $CACHE_DIR/tools-build-release
#   debian   tools/ with Debian's package flags (dpkg-buildflags, hardening
#            on: -O2 -g, _FORTIFY_SOURCE, -ffile-prefix-map, relro, now),
#            as a .deb would build it, in $CACHE_DIR/tools-build-debian
# The last two leave out the benchmarks, which only the first runs. Each
# writes ctest.log in its build directory; failures are shown on stderr.
# Prints on stdout the sums:  BUILT=0|1 PASSED= FAILED= SKIPPED=
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

# CTest's result line for each test ("3/55 Test #3: Name ....   Passed")
# counts a test that is not GoogleTest's (the C API's, the symbol and
# version checks) too; gtest ends each binary with "[  PASSED  ] N tests."
# and, when needed, "[  FAILED  ] N tests, listed below:" /
# "[  SKIPPED ] N tests, listed below:" (ctest -V prefixes each line with
# "<test number>: "): a binary run as one CTest test counts its own. The
# Python tests print KTAP: one "ok N name" or "not ok N name" per case
# ("# SKIP" after a skipped one), counted instead of their CTest line.
# CTest's summary, "... N tests failed out of M", also counts binaries that
# crashed before they could print anything: take whichever count is larger.
count_results() {
	awk '{ test = "" }
	match($0, /^[0-9]+: /)                  { test = substr($0, 1, RLENGTH - 2) }
	/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: .* Passed/ {
		t = $0; sub(/.*Test +#/, "", t); sub(/:.*/, "", t)
		if (!(t in ktap)) cp++
	}
	{ sub(/^[0-9]+: /, "") }
	/^\[  PASSED  \] [0-9]+ tests?\./        { p += $4 }
	/^\[  FAILED  \] [0-9]+ tests?, listed/  { f += $4 }
	/^\[  SKIPPED \] [0-9]+ tests?, listed/  { s += $4 }
	/^ok [0-9]+ .*# SKIP/                    { s++; ktap[test] = 1; next }
	/^ok [0-9]+ /                            { kp++; ktap[test] = 1 }
	/^not ok [0-9]+ /                        { f++; ktap[test] = 1 }
	/tests passed, [0-9]+ tests? failed out of/ { cf = $4 }
	END { printf "%d %d %d\n", (cp > p ? cp : p) + kp, (cf > f ? cf : f), s }' "$1"
}

# Builds and tests one project, with any further arguments given to cmake;
# prints "BUILT PASSED FAILED SKIPPED".
test_project() {
	local src=$1 build=$2 passed failed skipped ctest_rc=0
	shift 2
	# A build directory configured for a checkout elsewhere cannot be reused.
	if [ -f "$build/CMakeCache.txt" ] &&
		! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$src" "$build/CMakeCache.txt"; then
		rm -rf "$build"
	fi
	mkdir -p "$build"
	log "building and testing ${src#"$REPO_ROOT"/} in $build"
	# shellcheck disable=SC2046 # two words or none
	if ! { cmake -S "$src" -B "$build" $(ccache_cmake_args) "$@" && cmake --build "$build" -j"$(nproc)"; } >"$build/build.log" 2>&1; then
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

# Debian's flags for a package build (debhelper's CMAKE_BUILD_TYPE=None:
# nothing but these), as cmake arguments, one a line.
debian_flags() {
	local cppflags cflags cxxflags ldflags
	export DEB_BUILD_MAINT_OPTIONS=hardening=+all
	# -ffile-prefix-map maps the directory it is asked from
	cd "$REPO_ROOT"
	cppflags=$(dpkg-buildflags --get CPPFLAGS)
	cflags=$(dpkg-buildflags --get CFLAGS)
	cxxflags=$(dpkg-buildflags --get CXXFLAGS)
	ldflags=$(dpkg-buildflags --get LDFLAGS)
	printf '%s\n' -DCMAKE_BUILD_TYPE=None \
		"-DCMAKE_C_FLAGS=$cppflags $cflags" \
		"-DCMAKE_CXX_FLAGS=$cppflags $cxxflags" \
		"-DCMAKE_EXE_LINKER_FLAGS=$ldflags" \
		"-DCMAKE_SHARED_LINKER_FLAGS=$ldflags"
}

# One line a project: "SOURCE BUILD-DIRECTORY [CMAKE-ARGUMENT...]", each
# argument a line of its own after the first two (flags hold spaces).
projects() {
	local tools_only=(-DKSYMS_WERROR=ON -DKSYMS_BUILD_BENCHMARKS=OFF)
	case $1 in
	default)
		printf '%s\n' "$REPO_ROOT/tests/driver-host" "$CACHE_DIR/host-build" ""
		printf '%s\n' "$REPO_ROOT/tools" "$CACHE_DIR/tools-build" -DKSYMS_WERROR=ON "" ;;
	release)
		printf '%s\n' "$REPO_ROOT/tools" "$CACHE_DIR/tools-build-release" \
			"${tools_only[@]}" -DCMAKE_BUILD_TYPE=Release "" ;;
	debian)
		printf '%s\n' "$REPO_ROOT/tools" "$CACHE_DIR/tools-build-debian" \
			"${tools_only[@]}" "$(debian_flags)" "" ;;
	*)
		die "unknown configuration: $1 (default, release or debian)" ;;
	esac
}

main() {
	local config=${1:-default} line built passed failed skipped
	local all_built=1 sum_passed=0 sum_failed=0 sum_skipped=0 project=()
	ensure_packages cmake g++ gcc make libgtest-dev pkg-config libelf-dev nlohmann-json3-dev elfutils binutils dpkg-dev \
		python3-dev pybind11-dev python3-drgn
	while IFS= read -r line; do
		if [ -n "$line" ]; then project+=("$line"); continue; fi
		read -r built passed failed skipped < <(test_project "${project[@]}")
		project=()
		[ "$built" -eq 1 ] || all_built=0
		sum_passed=$((sum_passed + passed))
		sum_failed=$((sum_failed + failed))
		sum_skipped=$((sum_skipped + skipped))
	done < <(projects "$config")
	printf 'BUILT=%d\nPASSED=%d\nFAILED=%d\nSKIPPED=%d\n' \
		"$all_built" "$sum_passed" "$sum_failed" "$sum_skipped"
}

main "$@"
