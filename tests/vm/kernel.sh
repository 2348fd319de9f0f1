#!/usr/bin/env bash
# Usage: kernel.sh SERIES        (SERIES: 5.10, 6.1, 6.12 or 6.12-generic)
#
# Makes a Debian kernel of that series (the cloud-amd64 flavour; for
# 6.12-generic the generic amd64 flavour, with many more modules and
# symbols) ready to boot and build
# against: downloads its image .deb into .cache/kernels/SERIES/, extracts it
# there (vmlinuz + in-tree modules, modules.dep generated) and installs the
# matching linux-headers package on the host. Reuses the extracted copy when
# the resolved version has not changed.
#
# Prints shell assignments on stdout (eval them):
#   KVER=<uname -r>  VMLINUZ=<path>  MODDIR=<lib/modules/KVER>  KDIR=<headers>
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

# The image package name (linux-image-<uname>) apt would give us for a series.
resolve_image_package() {
	local series=$1 pkg=
	case $series in
	5.10) # bullseye (tests/setup-host.sh adds it): the newest ABI there
		pkg=$(apt-cache pkgnames linux-image-5.10. |
			grep -E '^linux-image-5\.10\.0-[0-9]+-cloud-amd64$' | sort -V | tail -n1 || true) ;;
	6.1)  # bookworm's own kernel: follow the flavour's meta package
		pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
			awk '$1 == "Depends:" && $2 ~ /^linux-image-6\.1\./ { print $2; exit }' || true) ;;
	6.12) # bookworm-security backport: meta package if present, else newest
		pkg=$(apt-cache depends linux-image-6.12-cloud-amd64 2>/dev/null |
			awk '$1 == "Depends:" && $2 ~ /^linux-image-6\.12\./ { print $2; exit }' || true)
		[ -n "$pkg" ] || pkg=$(apt-cache pkgnames linux-image-6.12. |
			grep -E '^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64$' | sort -V | tail -n1 || true) ;;
	6.12-generic) # the same kernel, generic amd64 flavour
		pkg=$(apt-cache depends linux-image-6.12-amd64 2>/dev/null |
			awk '$1 == "Depends:" && $2 ~ /^linux-image-6\.12\./ { print $2; exit }' || true)
		[ -n "$pkg" ] || pkg=$(apt-cache pkgnames linux-image-6.12. |
			grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' | sort -V | tail -n1 || true) ;;
	esac
	[ -n "$pkg" ] || die "cannot resolve an image for $series (apt-get update?)"
	echo "$pkg"
}

# Download + extract once per package version; a stamp records what is there.
fetch_and_extract() {
	local pkg=$1 dir=$2 version deb
	version=$(candidate_version "$pkg")
	[ -n "$version" ] || die "apt knows no version of $pkg"
	deb="${pkg}_${version//:/%3a}_amd64.deb"
	if [ -f "$dir/.extracted" ] && [ "$(cat "$dir/.extracted")" = "$deb" ]; then
		return 0
	fi
	log "fetching $pkg $version"
	rm -rf "$dir" && mkdir -p "$dir"
	# As root, apt drops to its _apt user, which cannot write here: don't.
	local opts=()
	[ "$(id -u)" -ne 0 ] || opts=(-o APT::Sandbox::User=root)
	(cd "$dir" && apt-get "${opts[@]}" download "$pkg=$version" >&2)
	[ -f "$dir/$deb" ] || die "apt-get download did not produce $deb"
	dpkg-deb -x "$dir/$deb" "$dir"
	echo "$deb" >"$dir/.extracted"
}

# The .deb ships no modules.dep (postinst makes it); modinfo/modprobe and our
# module selection need it.
generate_modules_dep() {
	local root=$1 kver=$2
	[ -f "$root/lib/modules/$kver/modules.dep" ] || depmod -b "$root" "$kver"
}

main() {
	[ $# -eq 1 ] || die "usage: $0 SERIES"
	local series=$1 pkg kver dir
	case $series in 5.10|6.1|6.12|6.12-generic) ;; *) die "unknown kernel series '$series' (want 5.10, 6.1, 6.12 or 6.12-generic)" ;; esac
	ensure_packages kmod
	# No package lists yet (fresh container): fetch them once and retry.
	pkg=$(resolve_image_package "$series") ||
		{ as_root apt-get update >&2 && pkg=$(resolve_image_package "$series"); }
	kver=${pkg#linux-image-}
	dir=$CACHE_DIR/kernels/$series
	fetch_and_extract "$pkg" "$dir"
	generate_modules_dep "$dir" "$kver"
	ensure_packages "linux-headers-$kver"

	[ -f "$dir/boot/vmlinuz-$kver" ] || die "no vmlinuz in $dir/boot"
	[ -d "/usr/src/linux-headers-$kver" ] || die "headers for $kver not installed"
	printf 'KVER=%q\nVMLINUZ=%q\nMODDIR=%q\nKDIR=%q\n' "$kver" \
		"$dir/boot/vmlinuz-$kver" "$dir/lib/modules/$kver" "/usr/src/linux-headers-$kver"
}

main "$@"
