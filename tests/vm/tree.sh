#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: tree.sh NAME        (prints the tree's path on stdout)
#
# Debian trees, debootstrap'ed once into $CACHE_DIR/chroots/NAME, for builds the
# host cannot do itself; the host never gets a package from them. in_root
# (lib.sh) runs commands inside.
#
#   sid    Debian sid with sid and experimental sources, to build against
#          the sid (7.2) and experimental (7.3-rc) kernels: their kbuild
#          tools (fixdep, modpost, ...) are linked against a newer glibc
#          than bookworm's and their headers want the gcc they were built
#          with (gcc-16-for-host). Experimental keeps apt's default
#          priority 1: only what is asked for by release comes from it.
#   cross  Debian bookworm (with bookworm-security and the arm64
#          architecture) with the arm64 and armhf cross compilers, to build
#          the module and the selftests for Debian's arm64 kernel. On the
#          host, gcc-multilib (the i386 selftests) and Debian's cross
#          compilers conflict, so they cannot be installed side by side.
#   bookworm  Debian bookworm (with bookworm-security) as a user's machine
#          has it: dkms, the headers of bookworm's cloud kernel, and the
#          Build-Depends of debian/control. The Debian packages are built
#          and installed in throwaway copies of it (tests/deb-test.sh).
#   arm64  Debian bookworm for arm64, only unpacked (debootstrap --foreign;
#          nothing in it can run here): the busybox, elfutils and binutils
#          of the arm64 test VM, with their libraries, come from it.
#
# Each tree has the tools a module build and `dkms build` need; sid also
# has what tests/drgn-test.sh needs to build the Python module for sid's
# Python and run it under sid's drgn. Package lists are refreshed when older
# than a day. Kernel headers are added by kernel.sh, per kernel.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

MIRROR=http://deb.debian.org/debian
SECURITY_MIRROR=http://deb.debian.org/debian-security
BUILD_TOOLS=(make sparse kmod xz-utils zstd dkms)

# Per tree: the suite, extra apt sources and the packages. Bump RECIPE
# when any of it changes: an older tree is then rebuilt. ADDED_TOOLS are
# installed into a tree that lacks them, without rebuilding it.
load_recipe() {
	ADDED_TOOLS=()
	case $1 in
	sid)
		SUITE=sid
		RECIPE="1 sid"
		EXTRA_SOURCES=("deb $MIRROR experimental main")
		FOREIGN_ARCH=
		TOOLS=("${BUILD_TOOLS[@]}")
		ADDED_TOOLS=(python3-drgn python3-dev pybind11-dev cmake g++
			pkg-config libelf-dev libdw-dev nlohmann-json3-dev) ;;
	cross)
		SUITE=bookworm
		RECIPE="2 cross"
		EXTRA_SOURCES=("deb $SECURITY_MIRROR bookworm-security main"
			"deb $MIRROR bookworm-updates main")
		FOREIGN_ARCH=arm64
		TOOLS=("${BUILD_TOOLS[@]}" gcc-aarch64-linux-gnu libc6-dev-arm64-cross
			gcc-arm-linux-gnueabihf libc6-dev-armhf-cross libbsd-dev:arm64
			libelf-dev:arm64 zlib1g-dev:arm64) ;;
	bookworm)
		SUITE=bookworm
		RECIPE="1 bookworm"
		EXTRA_SOURCES=("deb $SECURITY_MIRROR bookworm-security main"
			"deb $MIRROR bookworm-updates main")
		FOREIGN_ARCH=
		TOOLS=(dkms linux-headers-cloud-amd64 debhelper dh-dkms cmake g++
			libelf-dev pkg-config) ;;
	arm64)
		SUITE=bookworm
		RECIPE="1 arm64"
		TOOLS=(busybox-static elfutils binutils) ;;
	*) die "unknown tree '$1' (want sid, cross, bookworm or arm64)" ;;
	esac
}

bootstrap() {
	local root=$1 line
	ensure_packages debootstrap
	log "debootstrap'ing Debian $SUITE into $root (once)"
	as_root rm -rf "$root"
	mkdir -p "$(dirname "$root")"
	as_root debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >&2 ||
		die "debootstrap of $SUITE failed"
	for line in "${EXTRA_SOURCES[@]}"; do echo "$line"; done \
		>"$root/etc/apt/sources.list.d/ksyms.list"
	# The registry may serve a frozen copy of a suite whose Release file
	# has passed its Valid-Until date; its signatures are still checked.
	echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99ksyms"
	[ -z "$FOREIGN_ARCH" ] || in_root "$root" dpkg --add-architecture "$FOREIGN_ARCH"
	refresh_lists "$root"
	in_root "$root" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${TOOLS[@]}" >&2 ||
		die "installing ${TOOLS[*]} in the $SUITE tree failed"
	echo "$RECIPE" >"$root/.ksyms-tree"
}

# First stage only: debootstrap resolves the dependencies and unpacks the
# base system; the packages asked for are left in its archive directory.
unpack_foreign() {
	local root=$1 deb list
	ensure_packages debootstrap
	log "unpacking Debian $SUITE for arm64 into $root (once)"
	as_root rm -rf "$root"
	mkdir -p "$(dirname "$root")"
	list=$(IFS=,; echo "${TOOLS[*]}")
	as_root debootstrap --foreign --arch=arm64 --variant=minbase --include="$list" \
		"$SUITE" "$root" "$MIRROR" >&2 || die "debootstrap --foreign of $SUITE failed"
	for deb in "$root"/var/cache/apt/archives/*.deb; do
		dpkg-deb -x "$deb" "$root"
	done
	echo "$RECIPE" >"$root/.ksyms-tree"
}

# ADDED_TOOLS, once per list: .ksyms-added records what was installed.
add_tools() {
	local root=$1
	[ ${#ADDED_TOOLS[@]} -gt 0 ] || return 0
	[ "$(cat "$root/.ksyms-added" 2>/dev/null)" != "${ADDED_TOOLS[*]}" ] || return 0
	log "installing ${ADDED_TOOLS[*]} in the $SUITE tree"
	in_root "$root" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${ADDED_TOOLS[@]}" >&2 ||
		die "installing ${ADDED_TOOLS[*]} in the $SUITE tree failed"
	echo "${ADDED_TOOLS[*]}" >"$root/.ksyms-added"
}

refresh_lists() {
	in_root "$1" apt-get update -q >&2 || die "apt-get update in $1 failed"
	touch "$1/.ksyms-lists"
}

main() {
	[ $# -eq 1 ] || die "usage: $0 NAME"
	local root=$CACHE_DIR/chroots/$1
	load_recipe "$1"
	# The host lane and the kernels' builds ask for the same tree at
	# once in a run that lacks it: one makes it while the other waits
	# (making it starts with removing what is there).
	mkdir -p "$CACHE_DIR/chroots"
	exec 9>"$CACHE_DIR/chroots/$1.lock"
	flock 9
	if [ "$1" = arm64 ]; then
		[ "$(cat "$root/.ksyms-tree" 2>/dev/null)" = "$RECIPE" ] || unpack_foreign "$root"
	elif [ ! -f "$root/.ksyms-tree" ] || [ "$(cat "$root/.ksyms-tree")" != "$RECIPE" ]; then
		bootstrap "$root"
	elif [ -z "$(find "$root/.ksyms-lists" -mmin -1440 2>/dev/null)" ]; then
		refresh_lists "$root"
	fi
	[ "$1" = arm64 ] || add_tools "$root"
	echo "$root"
}

main "$@"
