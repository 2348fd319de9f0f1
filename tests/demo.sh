#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: tests/demo.sh
#
# Builds ksyms.ko for Debian's 6.12 kernel, boots that kernel under QEMU and
# shows /dev/ksyms in use: the device node, eu-readelf and eu-nm on it,
# symbols looked up in /dev/ksyms and /proc/kallsyms side by side, and a
# module's symbols appearing after it is loaded and the device reopened.
# Exit 0 if the VM ran and every command of the demo succeeded.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh

SERIES=6.12

# What /init printed, without the kernel log that follows the demo.
show_demo_output() {
	tr -d '\r' <"$1" | sed '/^KSYMS-VM: kernel log begin/,/^KSYMS-VM: kernel log end/d'
}

main() {
	local vars ko initrd no_tests=$CACHE_DIR/build/no-selftests logs=$CACHE_DIR/logs/demo
	local KVER VMLINUZ MODDIR KDIR
	tests/setup-host.sh
	vars=$(tests/vm/kernel.sh "$SERIES")
	eval "$vars"
	log "kernel $SERIES is $KVER"
	ko=$(tests/vm/build-module.sh "$SERIES" "$KDIR")
	rm -rf "$no_tests" && mkdir -p "$no_tests"
	initrd=$(tests/vm/initramfs.sh "$SERIES-demo" "$MODDIR" "$ko" "$no_tests")
	tests/vm/boot.sh "$VMLINUZ" "$initrd" "$logs" demo || true

	echo
	show_demo_output "$logs.log"
	echo
	# Not part of the verdict, but worth seeing.
	grep -E "$KERNEL_LOG_PATTERNS" "$logs.console.log" | sed 's/^/kernel log: /' || true
	if grep -q '^KSYMS-DEMO: failed=0' "$logs.log" && grep -q '^KSYMS-VM: done' "$logs.log"; then
		log "demo OK (VM output: $logs.log, kernel console: $logs.console.log)"
	else
		log "demo FAILED (VM output: $logs.log, kernel console: $logs.console.log)"
		return 1
	fi
}

main "$@"
