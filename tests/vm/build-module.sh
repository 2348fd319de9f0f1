#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: build-module.sh SERIES KDIR [ROOT [KARCH]]
#
# Builds ksyms.ko for one kernel with W=1 and sparse (C=1) twice: as DKMS
# builds it for users, then with KSYMS_DEBUG=1 (the tests' counters and
# fault injection), the one the test VMs load. Both must be free of
# warnings. Out of a fresh copy of the module
# sources (Kbuild, Makefile, VERSION, driver/, uapi/) in $CACHE_DIR/build/SERIES,
# so the repo stays clean and every run recompiles (which is what makes the
# warnings show up every time). With ROOT (a tree from tree.sh; KDIR is
# then a path inside it) the build runs in that tree, where the build
# directory is seen as /ksyms-build. KARCH arm64 cross-compiles (in the
# cross tree, which has the compiler).
#
# Outputs in $CACHE_DIR/build/SERIES: build.log (full make output), warnings.txt
# (the warnings about our code, paths relative to the repo). Prints the path
# of ksyms.ko on stdout. Exit status: make's.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

# KSYMS_MODULE_SRC lets the harness itself be tested with another module.
SRC=${KSYMS_MODULE_SRC:-$REPO_ROOT}

# Sources only: objects from an in-tree `make` of another kernel must not
# leak into this build.
copy_module_sources() {
	local out=$1 item
	rm -rf "$out" && mkdir -p "$out"
	for item in Kbuild Makefile VERSION driver uapi; do
		[ -e "$SRC/$item" ] && cp -a "$SRC/$item" "$out/"
	done
	# The selftests' own test modules, built beside it (M=test_modules).
	[ ! -d "$SRC/selftests/test_modules" ] ||
		cp -a "$SRC/selftests/test_modules" "$out/test_modules"
	find "$out" -type f \( -name '*.o' -o -name '*.ko' -o -name '*.cmd' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '*.a' -o -name '*.order' -o -name '*.symvers' \) -delete
	[ -f "$out/Kbuild" ] || [ -f "$out/Makefile" ] || die "no Kbuild/Makefile in $SRC"
}

# Compiler warnings name our files by their path in the build dir; modpost
# warnings name the module. Headers of the kernel itself are not our business.
extract_our_warnings() {
	local out=$1
	grep -i -e 'warning:' -e 'error:' "$out/build.log" |
		grep -F -e "$out/" -e "$INNER_OUT/" -e 'driver/' -e 'uapi/' -e 'ksyms' |
		sed -e "s|$out/||g" -e "s|$INNER_OUT/||g" || true
}

# Where the build directory is seen by make (differs inside a ROOT tree).
INNER_OUT=/ksyms-build

# KBUILD_CHECKSRC=1 besides C=1: the 7.x kernel Makefiles run
# scripts/checker-valid.sh before sparse and turn C=1 off when the script
# fails, and Debian's headers packages do not ship that script. Sparse is
# checked to be installed and to have run (below) instead.
run_make() {
	local root=$1 kdir=$2 out=$3 karch=$4 sub=${5:-} args=(W=1 C=1 KBUILD_CHECKSRC=1 "${@:6}")
	[ "$karch" != arm64 ] || args+=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	if [ "$root" = / ]; then
		! command -v ccache >/dev/null || args+=(CC="ccache gcc")
		make -C "$kdir" M="$out$sub" "${args[@]}" modules
	else
		in_root "$root" --bind "$out" "$INNER_OUT" \
			make -C "$kdir" M="$INNER_OUT$sub" "${args[@]}" modules
	fi
}

main() {
	if [ $# -lt 2 ] || [ $# -gt 4 ]; then die "usage: $0 SERIES KDIR [ROOT [KARCH]]"; fi
	local series=$1 kdir=$2 root=${3:-/} karch=${4:-x86_64} out=$CACHE_DIR/build/$1 rc=0
	copy_module_sources "$out"
	log "building ksyms.ko for $series (W=1, sparse)"
	{ run_make "$root" "$kdir" "$out" "$karch" "" &&
		run_make "$root" "$kdir" "$out" "$karch" "" KSYMS_DEBUG=1 &&
		{ [ ! -d "$out/test_modules" ] ||
			run_make "$root" "$kdir" "$out" "$karch" /test_modules; }; } >"$out/build.log" 2>&1 || rc=$?
	# sparse must really have run: C=1 silently skips it when it is missing.
	grep -q '^  CHECK ' "$out/build.log" ||
		echo "$out/driver: warning: sparse did not run" >>"$out/build.log"
	extract_our_warnings "$out" >"$out/warnings.txt"
	if [ $rc -ne 0 ]; then
		log "build FAILED for $series; last lines of $out/build.log:"
		tail -n 30 "$out/build.log" >&2
		return $rc
	fi
	[ -f "$out/ksyms.ko" ] || die "make succeeded but produced no ksyms.ko"
	echo "$out/ksyms.ko"
}

main "$@"
