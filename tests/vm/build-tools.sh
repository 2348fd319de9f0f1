#!/usr/bin/env bash
# Usage: build-tools.sh
#
# Builds the ksyms command (tools/, CMake) and its VM checks (tests/tools-vm,
# built from tools/) for x86_64 and stages what the test VM runs into
# $CACHE_DIR/build/tools-vm (printed on stdout): ksyms, ksyms_vm_check,
# ksyms_bpf_hold and ksyms_tools.sh, which initramfs.sh puts next to the
# selftests.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

BUILD=$CACHE_DIR/tools-build
OUT=$CACHE_DIR/build/tools-vm

main() {
	ensure_packages cmake g++ make libgtest-dev pkg-config libelf-dev
	# A build directory configured for a checkout elsewhere cannot be reused.
	if [ -f "$BUILD/CMakeCache.txt" ] &&
		! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$REPO_ROOT/tools" "$BUILD/CMakeCache.txt"; then
		rm -rf "$BUILD"
	fi
	log "building the ksyms command for the VM in $BUILD"
	{ cmake -S "$REPO_ROOT/tools" -B "$BUILD" &&
		cmake --build "$BUILD" -j"$(nproc)" --target ksyms ksyms_vm_check ksyms_bpf_hold; } >"$BUILD.log" 2>&1 ||
		{ tail -n 30 "$BUILD.log" >&2; die "tools build failed ($BUILD.log)"; }
	rm -rf "$OUT" && mkdir -p "$OUT"
	cp "$BUILD/ksyms" "$BUILD/tests/tools-vm/ksyms_vm_check" "$BUILD/tests/tools-vm/ksyms_bpf_hold" \
		"$REPO_ROOT/tests/tools-vm/ksyms_tools.sh" "$OUT/"
	echo "$OUT"
}

main "$@"
