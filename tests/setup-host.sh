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
	gcc make gcc-multilib libc6-dev-i386 sparse dkms bc flex bison
	# kselftest harness and lib.mk come from the kernel source
	linux-source-6.12
	# host unit tests (tests/host)
	cmake g++ libgtest-dev pkg-config
)

ensure_packages "${HOST_PACKAGES[@]}"
log "host packages present"
