#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: tests/booted-test.sh
#
# The Debian packages on a booted Debian system, as a user installs,
# reboots, upgrades the kernel and removes: tests/vm/debian-image.sh's
# bookworm (systemd, bookworm's 6.1 cloud kernel) boots under QEMU with the
# packages tests/deb-test.sh built ($CACHE_DIR/debs; built here if absent)
# on a second disk, and tests/vm/booted-stage.sh does each boot's part:
#   1. on 6.1: apt install ./ksyms-dkms_*.deb ./ksyms-tools_*.deb (dkms
#      builds the module in the VM, signed with dkms's key); reboot;
#   2. systemd loaded it; /dev/ksyms 0400 root; ksyms verify; the example
#      udev rule widens the node to a group, and the driver's privilege
#      rule still decides; the 6.12 cloud kernel from bookworm-security is
#      installed (dkms's kernel hook builds for it); reboot;
#   3. on 6.12, booted as a boot loader would (the newest kernel in /boot):
#      the same checks; apt purge leaves no file of ksyms.
# A reboot is the VM's own (systemctl reboot); QEMU then exits
# (-no-reboot) and starts again with the newest kernel of the image's
# /boot. Each boot's console is checked for kernel reports. KTAP.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=tests/lib/ktap.sh
. tests/lib/ktap.sh
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh

DEBS=${KSYMS_DEBS_DIR:-$CACHE_DIR/debs}
WORK=$CACHE_DIR/booted/run
BOOT_LIMIT=${KSYMS_BOOT_TIMEOUT:-1500}
MAX_BOOTS=4

# The newest kernel version in the image's /boot, as a boot loader's
# default entry would be.
newest_kernel() {
	debugfs -R "ls -p /boot" "$WORK/root.ext4" 2>/dev/null |
		awk -F/ '$6 ~ /^vmlinuz-/ { sub(/^vmlinuz-/, "", $6); print $6 }' | sort -V | tail -n1
}

extract_boot_files() {
	local kver=$1
	rm -f "$WORK/vmlinuz" "$WORK/initrd.img"
	debugfs -R "dump /boot/vmlinuz-$kver $WORK/vmlinuz" "$WORK/root.ext4" 2>/dev/null
	debugfs -R "dump /boot/initrd.img-$kver $WORK/initrd.img" "$WORK/root.ext4" 2>/dev/null
	[ -s "$WORK/vmlinuz" ] && [ -s "$WORK/initrd.img" ]
}

boot() { # N
	local n=$1 rc=0
	timeout --foreground -k 10 "$BOOT_LIMIT" qemu-system-x86_64 -accel "tcg,thread=single" \
		-m 2048 -smp 2 -nographic -no-reboot -monitor none -nic none \
		-kernel "$WORK/vmlinuz" -initrd "$WORK/initrd.img" \
		-append "root=/dev/vda rw console=ttyS0 panic=-1" \
		-drive "file=$WORK/root.ext4,format=raw,if=virtio" \
		-drive "file=$WORK/test.ext4,format=raw,if=virtio,readonly=on" \
		-serial "file:$WORK/boot$n.console.log" -serial "file:$WORK/boot$n.log" \
		</dev/null >"$WORK/boot$n.qemu.log" 2>&1 || rc=$?
	return $rc
}

# The results of boot N, numbered in this script's sequence.
relay_boot() {
	local n=$1 line
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		"ok "*|"not ok "*)
			KTAP_N=$((KTAP_N + 1))
			[[ $line == ok* ]] || KTAP_FAILED=$((KTAP_FAILED + 1))
			echo "$line" | sed -E "s/^(not )?ok /\\1ok $KTAP_N boot $n: /" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$WORK/boot$n.log"
}

console_clean() {
	! grep -E "$KERNEL_LOG_PATTERNS" "$1"
}

prepare() {
	local image
	ensure_packages qemu-system-x86 e2fsprogs
	if ! ls "$DEBS"/ksyms-dkms_*.deb "$DEBS"/ksyms-tools_*.deb >/dev/null 2>&1; then
		log "building the packages (tests/deb/build.sh)"
		tests/deb/build.sh "$DEBS" >&2 || return 1
	fi
	mkdir -p "$CACHE_DIR/logs"
	image=$(tests/vm/debian-image.sh 2>"$CACHE_DIR/logs/debian-image.log") ||
		{ tail -n 20 "$CACHE_DIR/logs/debian-image.log"; return 1; }
	rm -rf "$WORK" && mkdir -p "$WORK/disk/debs"
	cp --sparse=always "$image" "$WORK/root.ext4" &&
		cp "$DEBS"/ksyms-dkms_*.deb "$DEBS"/ksyms-tools_*.deb "$WORK/disk/debs/" &&
		cp tests/vm/booted-stage.sh "$WORK/disk/stage.sh" &&
		mkfs.ext4 -q -F -d "$WORK/disk" "$WORK/test.ext4" 64M
}

main() {
	local n kver start status ended=''
	echo "KTAP version 1"
	if ! prepare; then
		ktap_check "a bootable bookworm image and the packages" false
		ktap_finish booted
		return
	fi
	for n in $(seq 1 $MAX_BOOTS); do
		kver=$(newest_kernel)
		if ! extract_boot_files "$kver"; then
			ktap_check "boot $n: /boot/vmlinuz-$kver and its initrd in the image" false
			break
		fi
		start=$(date +%s)
		boot "$n"
		status=$?
		echo "# boot $n: $kver, $(($(date +%s) - start)) s (QEMU exit status $status)"
		relay_boot "$n"
		ktap_check "boot $n: no kernel report in the console log" console_clean "$WORK/boot$n.console.log"
		if grep -q '^KSYMS-BOOT: done' "$WORK/boot$n.log"; then
			ended=1
			break
		fi
		if ! grep -q '^KSYMS-BOOT: reboot' "$WORK/boot$n.log"; then
			tail -n 30 "$WORK/boot$n.console.log" | sed 's/^/# console: /'
			break
		fi
	done
	ktap_check "every stage ran: install, reboot, kernel upgrade, reboot, purge" [ -n "$ended" ]
	ktap_finish booted
}

main "$@"
