#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: debug-kernel.sh [--check] [6.12-debug|6.12-debug-rt]
#
# Builds, once, a debug kernel of the safety-net runs from Debian's
# linux-source-6.12: tinyconfig (small enough to build in minutes on two
# cores) plus tests/vm/debug.config (KASAN, KFENCE, UBSAN, lockdep, RCU and
# atomic-sleep checking, kmemleak, DEBUG_VM, fault injection, and what the
# VM and the selftests need); 6.12-debug-rt adds tests/vm/debug-rt.config
# (PREEMPT_RT). Every line of the fragments is checked to hold in the final
# .config.
#
# Outputs under $CACHE_DIR/kernels/SERIES: build/ (the kernel build tree;
# modules build against it), boot/vmlinuz-KVER, lib/modules/KVER. Rebuilt
# only when the source version or a fragment changes (a stamp records
# both). Prints KVER on stdout. With --check: builds nothing, exits 0 when
# the built kernel is current.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

CHECK=0
[ "${1:-}" != --check ] || { CHECK=1; shift; }
SERIES=${1:-6.12-debug}
OUT=$CACHE_DIR/kernels/$SERIES
# The fragments, merged in order; the RT kernel is the same kernel again
# with PREEMPT_RT on.
FRAGMENTS=("$VM_DIR/debug.config")
case $SERIES in
6.12-debug) ;;
6.12-debug-rt) FRAGMENTS+=("$VM_DIR/debug-rt.config") ;;
*) die "usage: $0 [6.12-debug|6.12-debug-rt]" ;;
esac

# The fragments' lines, a later fragment's line for an option in place of
# an earlier one's, as merge_config.sh merges them.
merged_lines() {
	cat "${FRAGMENTS[@]}" | grep -E '^(CONFIG_|# CONFIG_)' |
		awk '{ key = $0; sub(/^# /, "", key); sub(/[= ].*/, "", key)
		       if (!(key in last)) keys[n++] = key; last[key] = $0 }
		     END { for (i = 0; i < n; i++) print last[keys[i]] }'
}

# Lines of the fragments that the final .config does not have (Kconfig
# drops what a dependency rules out, silently).
missing_options() {
	local config=$1 line
	merged_lines | while IFS= read -r line; do
		grep -qxF -- "$line" "$config" || echo "$line"
	done
}

build() {
	local src=$1 stamp=$2 build=$OUT/build kver missing
	log "building the debug kernel in $build (once; several minutes)"
	rm -rf "$OUT" && mkdir -p "$build"
	make -s -C "$src" O="$build" tinyconfig >&2
	"$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" "${FRAGMENTS[@]}" >&2
	make -s -C "$src" O="$build" olddefconfig >&2
	missing=$(missing_options "$build/.config")
	[ -z "$missing" ] || die "debug.config lines not in the built .config:"$'\n'"$missing"
	make -s -C "$src" O="$build" -j"${KSYMS_DEBUG_JOBS:-$(nproc)}" bzImage modules >&2
	kver=$(make -s -C "$src" O="$build" kernelrelease)
	make -s -C "$src" O="$build" INSTALL_MOD_PATH="$OUT" modules_install >&2
	install -D "$build/arch/x86/boot/bzImage" "$OUT/boot/vmlinuz-$kver"
	echo "$stamp" >"$OUT/.built"
}

main() {
	local src stamp
	ensure_packages gcc make bc flex bison libelf-dev kmod
	src=$("$VM_DIR/linux-source.sh")
	stamp="$(cat "$src/.version") $(cat "${FRAGMENTS[@]}" | sha256sum | cut -d' ' -f1)"
	if [ "$(cat "$OUT/.built" 2>/dev/null)" != "$stamp" ]; then
		[ "$CHECK" -eq 0 ] || exit 1
		build "$src" "$stamp"
	fi
	[ "$CHECK" -eq 0 ] || exit 0
	make -s -C "$src" O="$OUT/build" kernelrelease
}

main "$@"
