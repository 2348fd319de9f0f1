#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: debian-image.sh      (prints the image's path on stdout)
#
# A bootable Debian bookworm system for the installed-package test
# (tests/booted-test.sh): debootstrap'ed with systemd as init, bookworm's
# cloud kernel (6.1) and its headers, dkms and what it signs with, then
# made into an ext4 image ($CACHE_DIR/booted/root.ext4). It also holds,
# downloaded but not installed (apt's archive cache), the 6.12 cloud
# kernel and headers from bookworm-security: the kernel upgrade the test
# installs. Nothing of ksyms is in it.
#
# Boot it with root=/dev/vda. At boot, ksyms-boot-test.service mounts the
# second disk (/dev/vdb) and runs its stage.sh, which prints to ttyS1;
# /var/lib/ksyms-boot-test/ keeps its state across reboots, and
# upgrade-packages there names the upgrade's packages.
#
# Made once per recipe and kernel versions (the key file beside the image);
# the registry publishing another kernel makes it anew.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

MIRROR=http://deb.debian.org/debian
SECURITY_MIRROR=http://deb.debian.org/debian-security
DIR=$CACHE_DIR/booted
RECIPE=3
IMAGE_SIZE=4G
PACKAGES=(systemd-sysv udev kmod linux-image-cloud-amd64 linux-headers-cloud-amd64
	dkms openssl zstd)
UPGRADE=(linux-image-6.12-cloud-amd64 linux-headers-6.12-cloud-amd64)

# The versions apt would install now: the cache key.
candidates() {
	local pkg
	for pkg in linux-image-cloud-amd64 "${UPGRADE[@]}"; do
		printf '%s=%s\n' "$pkg" "$(apt-cache policy "$pkg" | awk '/Candidate:/ { print $2 }')"
	done
}

# The service that hands each boot to the test disk's stage.sh.
write_service() {
	local root=$1
	mkdir -p "$root/usr/local/sbin" "$root/var/lib/ksyms-boot-test"
	cat >"$root/usr/local/sbin/ksyms-boot-test" <<'EOF'
#!/bin/sh
# Runs the test disk's stage.sh once per boot (tests/booted-test.sh).
mkdir -p /mnt/ksyms-test
mount -o ro /dev/vdb /mnt/ksyms-test || { echo "KSYMS-BOOT: no test disk" >/dev/ttyS1; systemctl poweroff; exit 1; }
exec sh /mnt/ksyms-test/stage.sh
EOF
	chmod 755 "$root/usr/local/sbin/ksyms-boot-test"
	cat >"$root/etc/systemd/system/ksyms-boot-test.service" <<'EOF'
[Unit]
Description=ksyms installed-package test stage
After=multi-user.target systemd-modules-load.service systemd-udev-settle.service
Wants=systemd-udev-settle.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/ksyms-boot-test
StandardOutput=journal+console

[Install]
WantedBy=multi-user.target
EOF
	ln -sf /etc/systemd/system/ksyms-boot-test.service \
		"$root/etc/systemd/system/multi-user.target.wants/ksyms-boot-test.service"
}

build_tree() {
	local root=$1 upgrade
	ensure_packages debootstrap e2fsprogs
	as_root rm -rf "$root"
	mkdir -p "$(dirname "$root")"
	log "debootstrap'ing a bootable bookworm into $root"
	as_root debootstrap --variant=minbase bookworm "$root" "$MIRROR" >&2 ||
		die "debootstrap failed"
	printf '%s\n' "deb $SECURITY_MIRROR bookworm-security main" "deb $MIRROR bookworm-updates main" \
		>"$root/etc/apt/sources.list.d/updates.list"
	echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99valid-until"
	in_root "$root" apt-get update -q >&2 || die "apt-get update failed"
	in_root "$root" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >&2 ||
		die "installing ${PACKAGES[*]} failed"
	# The upgrade: the packages the meta packages name, downloaded only.
	upgrade=$(in_root "$root" apt-cache depends "${UPGRADE[@]}" |
		awk '$1 == "Depends:" && $2 ~ /^linux-(image|headers)-6\.12\./ { print $2 }' | sort -u | xargs)
	[ -n "$upgrade" ] || die "bookworm-security has no 6.12 cloud kernel"
	# shellcheck disable=SC2086 # one word per package
	in_root "$root" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends --download-only $upgrade >&2 ||
		die "downloading $upgrade failed"
	# Initrds with the modules this machine needs, as on an installed
	# system (the chroot could not tell them: the first one has them all);
	# under TCG that makes the kernel upgrade minutes shorter.
	echo MODULES=dep >"$root/etc/initramfs-tools/conf.d/modules-dep.conf"
	echo "/dev/vda / ext4 rw,errors=remount-ro 0 1" >"$root/etc/fstab"
	echo debian-test >"$root/etc/hostname"
	write_service "$root"
	echo "$upgrade" >"$root/var/lib/ksyms-boot-test/upgrade-packages"
}

main() {
	local key tree=$DIR/tree image=$DIR/root.ext4
	key="$RECIPE $(candidates | xargs)"
	if [ -f "$image" ] && [ "$(cat "$DIR/key" 2>/dev/null)" = "$key" ]; then
		echo "$image"
		return 0
	fi
	rm -f "$image" "$DIR/key"
	build_tree "$tree"
	log "making $image from the tree"
	as_root mkfs.ext4 -q -F -L ksyms-root -d "$tree" "$image.tmp" "$IMAGE_SIZE" >&2 ||
		die "mkfs.ext4 -d failed"
	mv "$image.tmp" "$image"
	as_root rm -rf "$tree"
	echo "$key" >"$DIR/key"
	echo "$image"
}

main "$@"
