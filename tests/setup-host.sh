#!/usr/bin/env bash
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
	# kselftest harness and lib.mk come from the kernel source
	linux-source-6.12
	# host unit tests (tests/driver-host)
	cmake g++ libgtest-dev pkg-config
	# bench_symbolize: Google Benchmark, and LLVM's symbolizer to compare
	# with, as a command (llvm) and as a library (llvm-14-dev); addr2line
	# is binutils'
	libbenchmark-dev llvm llvm-14-dev
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
