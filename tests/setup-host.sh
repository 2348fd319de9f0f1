#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install the host packages the tests need (Debian bookworm). Skips what is
# already installed, so it is cheap to run every time.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/vm/lib.sh"

HOST_PACKAGES=(
	# run the kernels and build their initramfs
	qemu-system-x86 busybox-static cpio xz-utils zstd kmod
	# ELF tools used on the host and copied into the VM
	elfutils libelf-dev binutils libbsd-dev
	# build the module and the (static, 64- and 32-bit) selftests
	gcc make gcc-multilib libc6-dev-i386 libc6-dev-x32 sparse dkms bc flex bison
	# compiles repeated from one run to the next (tests/vm/lib.sh)
	ccache
	# kselftest harness and lib.mk come from the kernel source
	linux-source-6.12
	# host unit tests (tests/driver-host, tests/tools-host); dpkg-buildflags
	# for the build with Debian's package flags
	cmake g++ libgtest-dev pkg-config dpkg-dev
	# the command's --json output and the tests that parse it back
	nlohmann-json3-dev
	# bench_symbolize: Google Benchmark, and LLVM's symbolizer to compare
	# with, as a command (llvm) and as a library (llvm-14-dev); addr2line
	# is binutils'
	libbenchmark-dev llvm llvm-14-dev
	# perf, copied with its libraries into the 6.12 VM (tests/tools-vm/ksyms_perf.sh)
	linux-perf
	# source lines (libksyms' DebugInfo): libdw; tests/debuginfo.sh serves
	# debug files with elfutils' debuginfod (which brings libdebuginfod1,
	# the client libdw loads) and asks it with curl whether it is ready
	libdw-dev debuginfod curl
	# the Python module (tools/python) and its tests; bookworm's drgn is
	# too old for ksyms.drgn, which must say so
	python3-dev pybind11-dev python3-drgn
	# the Debian packages: debian/control's Build-Depends (the test builds
	# them in a bookworm tree, a developer here) and lintian
	debhelper dh-dkms lintian
)

# The 5.10 kernels and their headers live in bullseye. Pinned to 100 so that
# nothing installed on the host ever comes from there unless asked by name.
add_bullseye_source() {
	local list=/etc/apt/sources.list.d/ksyms-bullseye.sources
	local pin=/etc/apt/preferences.d/ksyms-bullseye
	[ -f "$list" ] && [ -f "$pin" ] && return 0
	log "adding Debian bullseye (pinned low) for the 5.10 kernels"
	printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' \
		'Suites: bullseye' 'Components: main' \
		'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' '' \
		'Types: deb' 'URIs: http://deb.debian.org/debian-security' \
		'Suites: bullseye-security' 'Components: main' \
		'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
		as_root tee "$list" >/dev/null
	printf '%s\n' 'Package: *' 'Pin: release n=bullseye' 'Pin-Priority: 100' '' \
		'Package: *' 'Pin: release n=bullseye-security' 'Pin-Priority: 100' |
		as_root tee "$pin" >/dev/null
	as_root apt-get update >&2
}

ensure_packages "${HOST_PACKAGES[@]}"
add_bullseye_source
log "host packages present"
