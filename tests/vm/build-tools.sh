#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: build-tools.sh
#
# Builds the ksyms command (tools/, CMake) and its VM checks (tests/tools-vm,
# built from tools/) for x86_64 and stages what the test VM runs into
# $CACHE_DIR/build/tools-vm (printed on stdout): ksyms, ksyms_vm_check,
# ksyms_bpf_hold, ksyms_json_check, ksyms_tools.sh, ksyms_perf.sh and ksyms_oops.sh, which
# initramfs.sh puts next to the selftests (with Debian's perf for the last);
# and the Python module's VM test (ksyms_python.sh, with ksyms-python/: the
# ksyms package and ksyms_python_vm.py), the python3 it was built for, and
# python-files.txt: the standard library files that test imports, the only
# ones the VM gets.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

BUILD=$CACHE_DIR/tools-build
OUT=$CACHE_DIR/build/tools-vm

# The files come from running the test with --list-imports as the VM runs
# it (python3 -S, no environment), each with its compiled form where the
# host has one.
stage_python() {
	local python
	python=$(sed -n 's/^Python3_EXECUTABLE:FILEPATH=//p' "$BUILD/CMakeCache.txt")
	mkdir -p "$OUT/ksyms-python"
	cp -r "$BUILD/python/ksyms" "$REPO_ROOT/tests/tools-vm/ksyms_python_vm.py" "$OUT/ksyms-python/"
	rm -rf "$OUT/ksyms-python/ksyms/__pycache__"
	# its debug info is most of its size, and the VM needs none
	strip --strip-unneeded "$OUT"/ksyms-python/ksyms/_ksyms.*.so
	cp "$REPO_ROOT/tests/tools-vm/ksyms_python.sh" "$OUT/"
	cp -L "$python" "$OUT/python3"
	env -i "$python" -S "$OUT/ksyms-python/ksyms_python_vm.py" --list-imports |
		grep -v "^$OUT/" | sort -u |
		"$python" -c 'import importlib.util, os, sys
for source in sys.stdin.read().split():
    for path in (source, importlib.util.cache_from_source(source)):
        if os.path.exists(path):
            print(path)' >"$OUT/python-files.txt" ||
		die "listing the standard library files of the Python VM test failed"
	rm -rf "$OUT/ksyms-python/__pycache__"
}

main() {
	ensure_packages cmake g++ make libgtest-dev pkg-config libelf-dev nlohmann-json3-dev \
		python3-dev pybind11-dev
	# A build directory configured for a checkout elsewhere cannot be reused.
	if [ -f "$BUILD/CMakeCache.txt" ] &&
		! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$REPO_ROOT/tools" "$BUILD/CMakeCache.txt"; then
		rm -rf "$BUILD"
	fi
	log "building the ksyms command for the VM in $BUILD"
	# KSYMS_WERROR as host-tests.sh configures the same directory.
	# shellcheck disable=SC2046 # two words or none
	{ cmake -S "$REPO_ROOT/tools" -B "$BUILD" -DKSYMS_WERROR=ON $(ccache_cmake_args) &&
		cmake --build "$BUILD" -j"$(nproc)" --target ksyms ksyms_vm_check ksyms_bpf_hold ksyms_json_check \
			ksyms_python; } >"$BUILD.log" 2>&1 ||
		{ tail -n 30 "$BUILD.log" >&2; die "tools build failed ($BUILD.log)"; }
	rm -rf "$OUT" && mkdir -p "$OUT"
	cp "$BUILD/ksyms" "$BUILD/tests/tools-vm/ksyms_vm_check" "$BUILD/tests/tools-vm/ksyms_bpf_hold" \
		"$BUILD/tests/tools-vm/ksyms_json_check" \
		"$REPO_ROOT/tests/tools-vm/ksyms_tools.sh" "$REPO_ROOT/tests/tools-vm/ksyms_perf.sh" \
		"$REPO_ROOT/tests/tools-vm/ksyms_oops.sh" "$OUT/"
	stage_python
	echo "$OUT"
}

main "$@"
