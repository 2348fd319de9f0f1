#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: kernel.sh SERIES
#        (SERIES: 5.10, 6.1, 6.12, 6.12-generic, 6.12-rt, 7.2, 7.3-rc,
#         6.12-arm64, 6.12-debug or 6.12-debug-rt)
#
# Makes a Debian kernel of that series (the cloud-amd64 flavour; for
# 6.12-generic the generic amd64 flavour, with many more modules and
# symbols; for 6.12-rt the PREEMPT_RT rt-amd64 flavour; for 6.12-arm64 the
# cloud-arm64 flavour) ready to boot and build
# against: downloads its image .deb(s)
# into $CACHE_DIR/kernels/SERIES/, extracts them there (vmlinuz + in-tree
# modules, modules.dep generated) and installs the matching linux-headers
# package. Reuses the extracted copy when the resolved version has not
# changed.
#
# 5.10 (bullseye), 6.1 (bookworm) and 6.12 (bookworm-security) are built
# against on the host. 7.2 (sid) and 7.3-rc (experimental) need sid's glibc
# and gcc: their headers go into the sid tree of tree.sh, and builds
# against them run inside it (in_root in lib.sh). 6.12-arm64 is built in
# the cross tree, with the arm64 headers unpacked there (installing them
# would pull in an arm64 gcc) over the host-architecture kbuild tools
# (linux-kbuild is Multi-Arch: foreign). 6.12-debug and 6.12-debug-rt are
# not Debian's builds: debug-kernel.sh makes them from Debian's
# linux-source-6.12.
#
# Prints shell assignments on stdout (eval them):
#   KVER=<uname -r>  VMLINUZ=<path>  MODDIR=<lib/modules/KVER>
#   ROOT=<tree to build in: / for the host>  KDIR=<headers, inside ROOT>
#   KARCH=<x86_64 or arm64>
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
	6.12-rt) # the same kernel, PREEMPT_RT flavour
		pkg=$(apt-cache depends linux-image-6.12-rt-amd64 2>/dev/null |
			awk '$1 == "Depends:" && $2 ~ /^linux-image-6\.12\./ { print $2; exit }' || true)
		[ -n "$pkg" ] || pkg=$(apt-cache pkgnames linux-image-6.12. |
			grep -E '^linux-image-6\.12\.[0-9]+\+deb12-rt-amd64$' | sort -V | tail -n1 || true) ;;
	7.2)  # sid: the newest 7.2 ABI there
		pkg=$(in_root "$ROOT" apt-cache pkgnames linux-image-7.2. |
			grep -E '^linux-image-7\.2\.[0-9]+\+deb[0-9]+-cloud-amd64$' | sort -V | tail -n1 || true) ;;
	6.12-arm64) # bookworm-security, for arm64; the image with its modules
		pkg=$(in_root "$ROOT" apt-cache pkgnames linux-image-6.12. |
			grep -E '^linux-image-6\.12\.[0-9]+\+deb12-cloud-arm64-unsigned$' |
			sort -V | tail -n1 || true)
		pkg=${pkg%-unsigned} ;;
	7.3-rc) # experimental: release candidates are named 7.3-<flavour>
		pkg=$(in_root "$ROOT" apt-cache pkgnames linux-image-7.3 |
			grep -E '^linux-image-7\.3[-.~+a-z0-9]*-cloud-amd64$' | grep -v -- '-dbg$' |
			sort -V | tail -n1 || true) ;;
	esac
	[ -n "$pkg" ] || die "cannot resolve an image for $series (apt-get update?)"
	echo "$pkg"
}

# apt for the kernel's tree: the host's own, or a tree of tree.sh.
apt_for_kernel() {
	if [ "$ROOT" = / ]; then "$@"; else in_root "$ROOT" "$@"; fi
}

# Since 7.x Debian splits linux-image-<uname> into linux-binary-<uname>
# (vmlinuz) and linux-modules-<uname>; older series ship one package.
image_packages() {
	local kver=$1
	if [ "$KARCH" = arm64 ]; then
		echo "linux-image-$kver-unsigned:arm64"
	elif apt_for_kernel apt-cache pkgnames "linux-binary-$kver" | grep -Fx "linux-binary-$kver" >/dev/null; then
		echo "linux-binary-$kver linux-modules-$kver"
	else
		echo "linux-image-$kver"
	fi
}

# Download + extract once per set of package versions; a stamp records what
# is there.
fetch_and_extract() {
	local dir=$1 pkg arch version want='' specs=()
	shift
	for pkg in "$@"; do
		arch=amd64
		case $pkg in *:*) arch=${pkg#*:} ;; esac
		version=$(apt_for_kernel apt-cache policy "$pkg" 2>/dev/null |
			awk '/Candidate:/ { if ($2 != "(none)") print $2 }')
		[ -n "$version" ] || die "apt knows no version of $pkg"
		specs+=("$pkg=$version")
		want+="${pkg%:*}_${version//:/%3a}_$arch.deb "
	done
	if [ -f "$dir/.extracted" ] && [ "$(cat "$dir/.extracted")" = "$want" ]; then
		return 0
	fi
	log "fetching ${specs[*]}"
	rm -rf "$dir" && mkdir -p "$dir"
	# As root, apt drops to its _apt user, which cannot write here: don't.
	if [ "$ROOT" = / ]; then
		local opts=()
		[ "$(id -u)" -ne 0 ] || opts=(-o APT::Sandbox::User=root)
		(cd "$dir" && apt-get "${opts[@]}" download "${specs[@]}" >&2)
	else
		in_root "$ROOT" --bind "$dir" /ksyms-download sh -c \
			'cd /ksyms-download && apt-get -o APT::Sandbox::User=root download "$@"' \
			download "${specs[@]}" >&2
	fi
	for deb in $want; do
		[ -f "$dir/$deb" ] || die "apt-get download did not produce $deb"
		dpkg-deb -x "$dir/$deb" "$dir"
	done
	# Merged-/usr packages put modules (and vmlinuz) under usr/lib.
	[ -e "$dir/lib" ] || ln -s usr/lib "$dir/lib"
	echo "$want" >"$dir/.extracted"
}

# The .deb ships no modules.dep (postinst makes it); modinfo/modprobe and our
# module selection need it.
generate_modules_dep() {
	local root=$1 kver=$2
	[ -f "$root/lib/modules/$kver/modules.dep" ] || depmod -b "$root" "$kver"
}

# The arm64 headers package depends on an arm64 gcc: unpack it instead, and
# install what it needs that runs on the build machine (linux-kbuild is
# Multi-Arch: foreign; the -common headers are architecture-independent).
install_foreign_headers() {
	local kver=$1 base=${1%-cloud-arm64} dir=$CACHE_DIR/kernels/headers-$1
	[ -d "$ROOT/usr/src/linux-headers-$kver" ] && return 0
	log "unpacking linux-headers-$kver:arm64 in the cross tree"
	in_root "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "linux-headers-$base-common" "linux-kbuild-$base" >&2
	rm -rf "$dir" && mkdir -p "$dir"
	in_root "$ROOT" --bind "$dir" /ksyms-download sh -c \
		'cd /ksyms-download && apt-get -o APT::Sandbox::User=root download "$1:arm64"' \
		download "linux-headers-$kver" >&2
	# Not straight into the tree: the package's lib/ would replace the
	# merged-/usr symlink.
	dpkg-deb -x "$dir/linux-headers-${kver}"_*_arm64.deb "$dir/files"
	cp -a "$dir/files/usr/src/." "$ROOT/usr/src/"
	mkdir -p "$ROOT/usr/lib/modules/$kver"
	ln -sfn "/usr/src/linux-headers-$kver" "$ROOT/usr/lib/modules/$kver/build"
	rm -rf "$dir"
}

install_headers() {
	local kver=$1 series=$2
	if [ "$KARCH" = arm64 ]; then
		install_foreign_headers "$kver"
	elif [ "$ROOT" = / ]; then
		ensure_packages "linux-headers-$kver"
	elif [ ! -d "$ROOT/usr/src/linux-headers-$kver" ]; then
		log "installing linux-headers-$kver in the sid tree"
		local release=()
		[ "$series" != 7.3-rc ] || release=(-t experimental)
		in_root "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "${release[@]}" "linux-headers-$kver" >&2
	fi
}

debug_kernel() {
	local series=$1 kver dir=$CACHE_DIR/kernels/$1
	kver=$("$VM_DIR/debug-kernel.sh" "$series") || die "the $series kernel did not build"
	printf 'KVER=%q\nVMLINUZ=%q\nMODDIR=%q\nROOT=/\nKDIR=%q\nKARCH=x86_64\n' "$kver" \
		"$dir/boot/vmlinuz-$kver" "$dir/lib/modules/$kver" "$dir/build"
}

main() {
	[ $# -eq 1 ] || die "usage: $0 SERIES"
	local series=$1 pkg kver dir vmlinuz
	KARCH=x86_64
	case $series in 6.12-debug|6.12-debug-rt) debug_kernel "$series"; return ;; esac
	case $series in
	5.10|6.1|6.12|6.12-generic|6.12-rt) ROOT=/ ;;
	7.2|7.3-rc) ROOT=$("$VM_DIR/tree.sh" sid) ;;
	6.12-arm64) ROOT=$("$VM_DIR/tree.sh" cross) KARCH=arm64 ;;
	*) die "unknown kernel series '$series' (want 5.10, 6.1, 6.12, 6.12-generic, 6.12-rt, 7.2, 7.3-rc, 6.12-arm64, 6.12-debug or 6.12-debug-rt)" ;;
	esac
	ensure_packages kmod
	# No package lists yet (fresh container): fetch them once and retry.
	pkg=$(resolve_image_package "$series") ||
		{ apt_for_kernel apt-get update >&2 && pkg=$(resolve_image_package "$series"); }
	kver=${pkg#linux-image-}
	dir=$CACHE_DIR/kernels/$series
	# shellcheck disable=SC2046 # one word per package
	fetch_and_extract "$dir" $(image_packages "$kver")
	generate_modules_dep "$dir" "$kver"
	install_headers "$kver" "$series"

	vmlinuz=$dir/boot/vmlinuz-$kver
	[ -f "$vmlinuz" ] || vmlinuz=$dir/lib/modules/$kver/vmlinuz
	[ -f "$vmlinuz" ] || die "no vmlinuz for $kver in $dir"
	[ -d "$ROOT/usr/src/linux-headers-$kver" ] || die "headers for $kver not installed"
	printf 'KVER=%q\nVMLINUZ=%q\nMODDIR=%q\nROOT=%q\nKDIR=%q\nKARCH=%q\n' "$kver" \
		"$vmlinuz" "$dir/lib/modules/$kver" "$ROOT" "/usr/src/linux-headers-$kver" "$KARCH"
}

main "$@"
