#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: live-image.sh store ROW SERIES
#        live-image.sh find SERIES
#
# The saved image of the benchmark VM's live kernel (tests/vm/init,
# export_live_image: `ksyms save` with the benchmark's modules loaded),
# kept for the host benchmark in $CACHE_DIR/live-images/KEY/, KEY being
# the kernel release, the kernel build (a hash of its vmlinuz) and the
# module set the VM loads (a hash of build-bench.sh's list). A run without
# the benchmark VM thus finds the image of the kernel build and modules
# that VM would boot now, and never one of another build.
#   store  copies what the VM of table row ROW exported (the image, the
#          /proc/kallsyms and /proc/modules it was saved from) into its
#          key's entry, replacing an older one; prints the entry
#   find   prints the entry's image: "PATH<TAB>what it is" on stdout; fails
#          saying why (no entry, or the kernel not fetched) on stderr
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

STORE=$CACHE_DIR/live-images

# The entry's directory for SERIES as kernel.sh resolves it now.
entry_of() {
	# shellcheck disable=SC2034 # kernel.sh sets them all; the key needs two
	local series=$1 vars KVER VMLINUZ MODDIR ROOT KDIR KARCH build modules
	vars=$("$VM_DIR/kernel.sh" "$series") || return 1
	eval "$vars"
	build=$(sha256sum "$VMLINUZ" | cut -c1-16)
	modules=$("$VM_DIR/build-bench.sh" --preload-names | sha256sum | cut -c1-16)
	echo "$STORE/$KVER-$build-$modules"
}

store() {
	local row=$1 series=$2 entry image kallsyms modules release
	image=$(vm_export_path "$row" ksyms-live.elf) || exit 1
	kallsyms=$(vm_export_path "$row" kallsyms.txt) || exit 1
	modules=$(vm_export_path "$row" modules.txt) || exit 1
	entry=$(entry_of "$series") || die "cannot resolve kernel $series"
	release=$(cat "$CACHE_DIR/logs/$row.export/release")
	case $(basename "$entry") in
	"$release"-*) ;;
	*) die "VM $row ran $release, not the kernel of $(basename "$entry")" ;;
	esac
	rm -rf "$entry.tmp" && mkdir -p "$entry.tmp"
	cp "$image" "$entry.tmp/ksyms-live.elf"
	cp "$kallsyms" "$entry.tmp/kallsyms.txt"
	cp "$modules" "$entry.tmp/modules.txt"
	echo "$release" >"$entry.tmp/release"
	date -u +%Y-%m-%dT%H:%MZ >"$entry.tmp/saved"
	rm -rf "$entry" && mv "$entry.tmp" "$entry"
	echo "$entry"
}

find_image() {
	local series=$1 entry
	entry=$(entry_of "$series") || { log "cannot resolve kernel $series"; exit 1; }
	if [ ! -f "$entry/ksyms-live.elf" ]; then
		log "no saved image of $(basename "$entry") (run the benchmark VM: tests/run.sh --kernels \"\" --bench)"
		exit 1
	fi
	printf '%s\tlive: %s, %s modules, saved %s by the benchmark VM\n' \
		"$entry/ksyms-live.elf" "$(cat "$entry/release")" \
		"$(grep -c . "$entry/modules.txt")" "$(cat "$entry/saved")"
}

case ${1:-} in
store) [ $# -eq 3 ] || die "usage: $0 store ROW SERIES"; store "$2" "$3" ;;
find)  [ $# -eq 2 ] || die "usage: $0 find SERIES"; find_image "$2" ;;
*)     die "usage: $0 store ROW SERIES | find SERIES" ;;
esac
