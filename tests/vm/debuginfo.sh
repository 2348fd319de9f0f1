#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: debuginfo.sh SERIES [MODULE...]
#        (SERIES: 6.12 or 6.12-generic, as kernel.sh names them)
#
# Makes Debian's debug files for the kernel kernel.sh resolves for SERIES
# ready: downloads linux-image-<uname>-dbg (vmlinux and every module with
# DWARF, a /usr/lib/debug tree) into $CACHE_DIR/debuginfo/<package>_<version>/
# and extracts it there, once per package version. With MODULE names only
# vmlinux and those modules' .ko files are extracted (the generic flavour's
# package unpacks to 6.7 GB). Prints the /usr/lib/debug tree's path on
# stdout; the download's size and time are logged, and kept in
# fetched.txt beside it.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

main() {
	[ $# -ge 1 ] || die "usage: $0 SERIES [MODULE...]"
	# shellcheck disable=SC2034 # kernel.sh sets them all; KVER is needed
	local series=$1 vars KVER VMLINUZ MODDIR ROOT KDIR KARCH pkg version dir want deb start
	shift
	case $series in 6.12|6.12-generic) ;; *) die "no debug package handled for $series" ;; esac
	vars=$("$VM_DIR/kernel.sh" "$series") || die "cannot resolve kernel $series"
	eval "$vars"
	pkg=linux-image-$KVER-dbg
	version=$(apt-cache policy "$pkg" | awk '/Candidate:/ { if ($2 != "(none)") print $2 }')
	[ -n "$version" ] || die "apt knows no version of $pkg"
	dir=$CACHE_DIR/debuginfo/${pkg}_$version
	want="$*"
	if [ -f "$dir/.extracted" ] && [ "$(cat "$dir/.extracted")" = "$want" ]; then
		echo "$dir/usr/lib/debug"
		return 0
	fi
	rm -rf "$dir" && mkdir -p "$dir"
	log "fetching $pkg=$version"
	start=$(date +%s.%N)
	# As root, apt drops to its _apt user, which cannot write here.
	(cd "$dir" && apt-get -o APT::Sandbox::User=root download "$pkg=$version" >&2)
	deb=$(ls "$dir"/*.deb)
	printf 'package %s=%s: %s bytes, downloaded in %.1f s\n' "$pkg" "$version" \
		"$(stat -c %s "$deb")" "$(echo "$(date +%s.%N) - $start" | bc)" | tee "$dir/fetched.txt" >&2
	if [ $# -eq 0 ]; then
		dpkg-deb -x "$deb" "$dir"
	else
		local patterns=("*/boot/vmlinux-$KVER") name
		for name in "$@"; do
			patterns+=("*/${name}.ko" "*/${name//_/-}.ko")
		done
		dpkg-deb --fsys-tarfile "$deb" |
			tar -x -C "$dir" --wildcards --no-wildcards-match-slash "${patterns[@]}" 2>/dev/null || true
	fi
	rm -f "$deb"
	[ -f "$dir/usr/lib/debug/boot/vmlinux-$KVER" ] || die "$pkg has no boot/vmlinux-$KVER"
	echo "$want" >"$dir/.extracted"
	echo "$dir/usr/lib/debug"
}

main "$@"
