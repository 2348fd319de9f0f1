#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: boot.sh VMLINUZ INITRD LOG_PREFIX [MODE [KARCH]]
#
# Boots the kernel with the initramfs under QEMU/TCG and waits for it to
# power off (the VM's /init reboots, -no-reboot turns that into an exit).
#   LOG_PREFIX.console.log  ttyS0: the kernel console
#   LOG_PREFIX.log          ttyS1: what /init prints (test results, demo)
#   LOG_PREFIX.export/      the files /init exported (ttyS2, a base64'd
#                           tar.gz: unpack-export.sh), made anew
# MODE (tests|demo) is passed to /init as ksyms_vm=MODE. KARCH is x86_64
# (default) or arm64; on arm64 (QEMU's virt board) the console is the PL011
# and /init's channels virtio consoles (hvc0, hvc1 for the export).
# KSYMS_VM_CMDLINE adds to the kernel command line. Exit status: QEMU's,
# or 124 when the wall-clock limit (KSYMS_VM_TIMEOUT seconds, default 900)
# killed it.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

VM_TIMEOUT=${KSYMS_VM_TIMEOUT:-900}

main() {
	[ $# -ge 3 ] || die "usage: $0 VMLINUZ INITRD LOG_PREFIX [MODE [KARCH]]"
	local kernel=$1 initrd=$2 prefix=$3 mode=${4:-tests} karch=${5:-x86_64} rc=0
	local machine=()
	# TCG, never KVM: nested KVM hangs on the CI machines. One host thread
	# for both vCPUs (thread=single): multi-threaded TCG was slower here and
	# once ran a stale int3 after the kernel patched its own text (boot-time
	# "Oops: int3"). Cortex-A72 for arm64: it runs 32-bit programs (the
	# compat ioctl tests), and "max" would emulate costly extensions
	# (pointer authentication) for nothing.
	case $karch in
	x86_64)
		ensure_packages qemu-system-x86
		machine=(qemu-system-x86_64 -accel "tcg,thread=single"
			-append "console=ttyS0 panic=-1 ksyms_vm=$mode ksyms_export=ttyS2 ${KSYMS_VM_CMDLINE:-}"
			-serial "file:$prefix.console.log" -serial "file:$prefix.log"
			-serial "file:$prefix.export.b64") ;;
	arm64)
		ensure_packages qemu-system-arm
		machine=(qemu-system-aarch64 -M virt -cpu cortex-a72 -accel "tcg,thread=single"
			-append "console=ttyAMA0 panic=-1 ksyms_vm=$mode ksyms_out=hvc0 ksyms_export=hvc1 ${KSYMS_VM_CMDLINE:-}"
			-serial "file:$prefix.console.log"
			-device virtio-serial-pci -chardev "file,id=ksyms,path=$prefix.log"
			-device "virtconsole,chardev=ksyms"
			-chardev "file,id=export,path=$prefix.export.b64"
			-device "virtconsole,chardev=export") ;;
	*) die "no VM for $karch" ;;
	esac
	mkdir -p "$(dirname "$prefix")"
	rm -rf "$prefix.console.log" "$prefix.log" "$prefix.export.b64" "$prefix.export"
	log "booting $(basename "$kernel") for $karch (mode=$mode, limit ${VM_TIMEOUT}s)"
	# -monitor none and stdin from /dev/null keep QEMU off the terminal;
	# --foreground keeps it in our process group (^C stops it).
	timeout --foreground -k 10 "$VM_TIMEOUT" "${machine[@]}" \
		-m 2048 -smp 2 -nographic -no-reboot -monitor none -nic none \
		-kernel "$kernel" -initrd "$initrd" \
		</dev/null >"$prefix.qemu.log" 2>&1 || rc=$?
	# A missing or cut export is for whoever needs a file of it to report.
	"$(dirname "$0")/unpack-export.sh" "$prefix.export.b64" "$prefix.export" || true
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		log "VM killed after ${VM_TIMEOUT}s; see $prefix.console.log"
		return 124
	fi
	[ $rc -eq 0 ] || log "qemu exited with $rc; see $prefix.qemu.log"
	return $rc
}

main "$@"
