#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: build-bench.sh SERIES KDIR MODDIR
#        build-bench.sh --preload-names   (the modules named below, one a line)
#
# Builds what the benchmark VM needs into $CACHE_DIR/build/bench-SERIES (printed
# on stdout), for the x86_64 kernel whose headers are KDIR and modules MODDIR:
#   ksyms_bench              tests/bench-vm, the benchmark itself
#   ksyms_bench.sh, order,   how /init runs it (as a kselftest program)
#   settings
#   sym/ksyms_bench_a.ko     generated modules of 100,000 symbols each
#   sym/ksyms_bench_b.ko     (tests/bench-vm/gen-symbol-module.sh)
#   preload/*.ko, preload.list  the "many modules loaded" of the benchmark, with
#                            their dependencies, in load order
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

SYMBOLS_PER_MODULE=100000
# A module of each kind a busy machine has: filesystems, network stacks,
# device mapper, crypto users. Each loads in the VM without hardware.
# crc32c_generic first: libcrc32c's soft dependency (modules.softdep), which
# modules.dep does not list.
PRELOAD=(crc32c_generic btrfs xfs ext4 nf_tables bridge vxlan wireguard sctp tun veth macvlan
	bonding 8021q openvswitch ip_vs overlay isofs udf dm-mod raid456 nfsd cifs)

if [ "${1:-}" = --preload-names ]; then
	printf '%s\n' "${PRELOAD[@]}"
	exit 0
fi
[ $# -eq 3 ] || die "usage: $0 SERIES KDIR MODDIR"
SERIES=$1 KDIR=$2 MODDIR=$3
OUT=$CACHE_DIR/build/bench-$SERIES

build_program() {
	# make's dependency files name each source by its path: what a checkout
	# elsewhere built cannot be brought up to date here
	if [ "$(cat "$OUT/.source" 2>/dev/null)" != "$REPO_ROOT" ]; then
		rm -rf "$OUT" && mkdir -p "$OUT" && echo "$REPO_ROOT" >"$OUT/.source"
	fi
	make -s -C "$REPO_ROOT/tests/bench-vm" O="$OUT" >&2
	[ -x "$OUT/ksyms_bench" ] || die "tests/bench-vm built no ksyms_bench"
}

build_symbol_modules() {
	local name src
	mkdir -p "$OUT/sym"
	for name in ksyms_bench_a ksyms_bench_b; do
		[ -f "$OUT/sym/$name.ko" ] && continue
		src=$OUT/src/$name
		rm -rf "$src"
		"$REPO_ROOT/tests/bench-vm/gen-symbol-module.sh" "$name" "$SYMBOLS_PER_MODULE" "$src" >&2
		make -s -C "$KDIR" M="$src" modules >&2
		cp "$src/$name.ko" "$OUT/sym/"
	done
}

# modules.dep path of a module name, '-' and '_' alike.
module_path() {
	local name=$1
	awk -F: -v n="$name" '{ m = $1; sub(/.*\//, "", m); sub(/\.ko.*/, "", m)
		gsub(/-/, "_", m); x = n; gsub(/-/, "_", x); if (m == x) { print $1; exit } }' \
		"$MODDIR/modules.dep"
}

# Depth first over modules.dep: every dependency before its user, once.
declare -A PLACED=()
ORDER=()
place() {
	local rel=$1 dep
	[ -z "${PLACED[$rel]:-}" ] || return 0
	PLACED[$rel]=1
	local deps
	read -r -a deps < <(awk -F': *' -v m="$rel" '$1 == m { print $2; exit }' "$MODDIR/modules.dep")
	for dep in "${deps[@]}"; do place "$dep"; done
	ORDER+=("$rel")
}

collect_preload() {
	local name rel base ko
	rm -rf "$OUT/preload" && mkdir -p "$OUT/preload"
	for name in "${PRELOAD[@]}"; do
		rel=$(module_path "$name")
		[ -n "$rel" ] || die "$name is not in $MODDIR/modules.dep"
		place "$rel"
	done
	: >"$OUT/preload.list"
	for rel in "${ORDER[@]}"; do
		base=$(basename "$rel")
		ko=${base%.xz} && ko=${ko%.zst}
		case $base in
		*.xz)  xz -dc "$MODDIR/$rel" ;;
		*.zst) zstd -qdc "$MODDIR/$rel" ;;
		*)     cat "$MODDIR/$rel" ;;
		esac >"$OUT/preload/$ko"
		echo "/ksyms/bench/preload/$ko" >>"$OUT/preload.list"
	done
	log "${#ORDER[@]} modules to preload (${#PRELOAD[@]} named, the rest their dependencies)"
}

write_runner() {
	cat >"$OUT/ksyms_bench.sh" <<'SH'
#!/bin/sh
# Run by /init in bench mode, as a kselftest program.
cd "$(dirname "$0")" || exit 1
exec ./ksyms_bench --small-module "$(head -n 1 /ksyms/modules.list)" \
	--sym-module sym/ksyms_bench_a.ko --sym-module sym/ksyms_bench_b.ko
SH
	chmod +x "$OUT/ksyms_bench.sh"
	echo ksyms_bench.sh >"$OUT/order"
	echo timeout=2400 >"$OUT/settings"
}

mkdir -p "$OUT"
build_program
build_symbol_modules
collect_preload
write_runner
echo "$OUT"
