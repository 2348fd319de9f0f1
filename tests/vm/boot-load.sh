#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: boot-load.sh KERNEL_RELEASE
#
# Proves that what `dkms install` left on this machine loads ksyms at boot:
# boots KERNEL_RELEASE (from $CACHE_DIR/kernels) with an initramfs holding the
# DKMS-installed module tree (/lib/modules/REL/updates/dkms, indexed with
# depmod), the /etc/modules-load.d/ksyms.conf that dkms/post-install.sh
# wrote, and Debian's own systemd-modules-load, the program that loads
# modules at boot. /dev/ksyms must then exist and hold an ELF image.
# Exit 0 if it does. Log: $CACHE_DIR/logs/boot-load.log
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

LOADER=/lib/systemd/systemd-modules-load

# The program and every library ldd resolves, at their own paths.
copy_with_libs() {
	local root=$1 path=$2 lib
	cp -L --parents "$path" "$root/"
	for lib in $(ldd "$path" | grep -o '/[^ ]*'); do
		cp -L --parents "$lib" "$root/"
	done
}

write_init() {
	cat >"$1/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
/lib/systemd/systemd-modules-load >/dev/ttyS1 2>&1
echo "KSYMS-BOOT: systemd-modules-load exit $?" >/dev/ttyS1
if [ -c /dev/ksyms ] && [ "$(head -c 4 /dev/ksyms | tail -c 3)" = ELF ]; then
	echo "KSYMS-BOOT: loaded, /dev/ksyms holds an ELF image" >/dev/ttyS1
else
	echo "KSYMS-BOOT: not loaded" >/dev/ttyS1
	cat /proc/modules >/dev/ttyS1
fi
reboot -f
INIT
	chmod +x "$1/init"
}

main() {
	[ $# -eq 1 ] || die "usage: $0 KERNEL_RELEASE"
	local kver=$1 root=$CACHE_DIR/boot-load vmlinuz prefix=$CACHE_DIR/logs/boot-load
	vmlinuz=$(ls "$CACHE_DIR"/kernels/*/boot/vmlinuz-"$kver" 2>/dev/null | head -n1)
	[ -n "$vmlinuz" ] || die "no cached kernel $kver (run tests/vm/kernel.sh first)"
	[ -x "$LOADER" ] || die "$LOADER missing (package systemd)"
	ls /lib/modules/"$kver"/updates/dkms/ksyms.ko* >/dev/null || die "ksyms not installed by dkms for $kver"
	[ -f /etc/modules-load.d/ksyms.conf ] || die "/etc/modules-load.d/ksyms.conf missing"

	rm -rf "$root" && mkdir -p "$root"/{bin,proc,sys,dev,etc/modules-load.d,lib/modules/"$kver"}
	cp "$(command -v busybox)" "$root/bin/busybox"
	for applet in sh mount head tail cat reboot; do ln -s busybox "$root/bin/$applet"; done
	copy_with_libs "$root" "$LOADER"
	cp -a /lib/modules/"$kver"/updates "$root/lib/modules/$kver/"
	depmod -b "$root" "$kver"
	cp /etc/modules-load.d/ksyms.conf "$root/etc/modules-load.d/"
	write_init "$root"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip) >"$root.cpio.gz"

	"$(dirname "$0")/boot.sh" "$vmlinuz" "$root.cpio.gz" "$prefix" boot || true
	cat "$prefix.log" >&2
	grep -q '^KSYMS-BOOT: loaded' "$prefix.log"
}

main "$@"
