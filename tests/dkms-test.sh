#!/usr/bin/env bash
# DKMS packaging test on the host: dkms add, build for every kernel given,
# install for the first (module in updates/dkms, modinfo right, boot-time
# loading configured), remove (module and boot config gone).  KTAP output.
# Usage: tests/dkms-test.sh KERNEL_RELEASE...
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=tests/lib/ktap.sh
. tests/lib/ktap.sh

version=$(cat VERSION)
src=/usr/src/ksyms-$version
conf=/etc/modules-load.d/ksyms.conf
kernels=("$@")


fresh_source() {
	dkms remove "ksyms/$version" --all >/dev/null 2>&1 || true
	rm -rf "$src" && mkdir -p "$src" &&
		cp -r Kbuild Makefile VERSION dkms.conf dkms driver uapi "$src/" &&
		find "$src" \( -name '*.o' -o -name '*.ko' -o -name '*.cmd' -o -name '*.mod*' \) -delete
}

installed_module() {
	ls "/lib/modules/$1/updates/dkms/"ksyms.ko* 2>/dev/null | head -n1
}

module_info_right() {
	local ko
	ko=$(installed_module "$1") && [[ -n "$ko" ]] &&
		modinfo -F license "$ko" | grep -qx GPL &&
		modinfo -F version "$ko" | grep -qx "$version" &&
		modinfo -F description "$ko" | grep -q '/dev/ksyms' &&
		modinfo -F vermagic "$ko" | grep -q "^$1 "
}

dkms_conf_matches_version() {
	grep -qx "PACKAGE_VERSION=\"$version\"" dkms.conf
}

echo "KTAP version 1"
echo "1..$((3 + ${#kernels[@]} + 6))"
ktap_check "dkms.conf version matches VERSION" dkms_conf_matches_version
ktap_check "source copied to $src" fresh_source
ktap_check "dkms add" dkms add "ksyms/$version"
for k in "${kernels[@]}"; do
	ktap_check "dkms build for $k" dkms build "ksyms/$version" -k "$k"
done
first=${kernels[0]}
ktap_check "dkms install for $first" dkms install "ksyms/$version" -k "$first"
ktap_check "installed module has license, version, description, vermagic" module_info_right "$first"
ktap_check "boot-time loading configured in $conf" grep -qx ksyms "$conf"
ktap_check "systemd-modules-load loads the installed ksyms at boot of $first" \
	tests/vm/boot-load.sh "$first"
ktap_check "dkms remove --all" dkms remove "ksyms/$version" --all
ktap_check "module and boot config gone after remove" \
	bash -c "[[ -z \"\$(ls /lib/modules/$first/updates/dkms/ksyms.ko* 2>/dev/null)\" && ! -e $conf ]]"
rm -rf "$src"
ktap_summary dkms
