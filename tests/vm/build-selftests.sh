#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: build-selftests.sh [KARCH]
#
# Builds the kselftests in selftests/ into $CACHE_DIR/build/selftests (static
# binaries and scripts; the same set runs on every kernel). With KARCH
# arm64: cross-compiled in the cross tree (tree.sh) into
# $CACHE_DIR/build/selftests-arm64, the 32-bit programs for armhf. Writes an
# "order" file there (the order kselftest itself would run them in) unless
# the selftests' Makefile wrote one. Prints the output directory.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

# KSYMS_SELFTESTS_SRC lets the harness itself be tested with other tests.
SRC=${KSYMS_SELFTESTS_SRC:-$REPO_ROOT/selftests}
KARCH=${1:-x86_64}
OUT=$CACHE_DIR/build/selftests
[ "$KARCH" = x86_64 ] || OUT+=-$KARCH

# lib.mk's emit_tests target lists TEST_GEN_PROGS, TEST_CUSTOM_PROGS and
# TEST_PROGS as ":name" lines; helpers (TEST_GEN_PROGS_EXTENDED) are left out.
write_run_order() {
	local ksft_dir=$1
	[ -f "$OUT/order" ] && return 0
	make -s -C "$SRC" KSFT_DIR="$ksft_dir" OUTPUT="$OUT" emit_tests 2>/dev/null |
		sed -n 's/^[^:]*:\(.\+\)$/\1/p' >"$OUT/order.tmp" || true
	if [ -s "$OUT/order.tmp" ]; then mv "$OUT/order.tmp" "$OUT/order"; else rm -f "$OUT/order.tmp"; fi
}

# The cross tree sees the repository at its own path, and the cache at its
# real one, which may be elsewhere when it is a symlink.
build() {
	local ksft_dir=$1 root cache binds=(--bind "$REPO_ROOT" "$REPO_ROOT")
	case $KARCH in
	x86_64) make -C "$SRC" KSFT_DIR="$ksft_dir" OUTPUT="$OUT" ;;
	arm64)
		root=$("$VM_DIR/tree.sh" cross) || return 1
		cache=$(realpath "$CACHE_DIR")
		case $cache/ in "$REPO_ROOT"/*) ;; *) binds+=(--bind "$cache" "$cache") ;; esac
		in_root "$root" "${binds[@]}" \
			make -C "$SRC" KSFT_DIR="$ksft_dir" OUTPUT="$OUT" \
			ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC_32=arm-linux-gnueabihf-gcc ;;
	*) die "no selftests build for $KARCH" ;;
	esac
}

main() {
	local ksft_dir
	[ -f "$SRC/Makefile" ] || die "no $SRC/Makefile"
	ksft_dir=$("$VM_DIR/linux-source.sh")/tools/testing/selftests
	rm -rf "$OUT" && mkdir -p "$OUT"
	log "building selftests into $OUT"
	build "$ksft_dir" >"$OUT.log" 2>&1 || {
		log "selftests build FAILED; last lines of $OUT.log:"
		tail -n 30 "$OUT.log" >&2
		return 1
	}
	write_run_order "$ksft_dir"
	echo "$OUT"
}

main
