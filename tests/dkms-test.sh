#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# DKMS packaging test: dkms add, build for every kernel given, install for
# the first host kernel (module in updates/dkms, modinfo right, boot-time
# loading configured, loaded at boot), remove (module and boot config gone).
# A kernel given as KVER@TREE has its headers in a tree of tests/vm/tree.sh:
# the same add/build/remove cycle runs with the tree's own dkms inside it.
# KTAP output.
# Usage: tests/dkms-test.sh KERNEL_RELEASE[@TREE]...
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=tests/lib/ktap.sh
. tests/lib/ktap.sh
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh

version=$(cat VERSION)
src=/usr/src/ksyms-$version
conf=/etc/modules-load.d/ksyms.conf
host_kernels=() tree_kernels=()
for k in "$@"; do
	case $k in
	*@*) tree_kernels+=("$k") ;;
	*)   host_kernels+=("$k") ;;
	esac
done


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

# The tests' hooks (debugfs statistics, fault injection) are only in a
# module built with KSYMS_DEBUG=1: none of their names in what DKMS built.
module_has_no_test_hooks() {
	local ko
	ko=$(installed_module "$1") && [[ -n "$ko" ]] || return 1
	case $ko in
	*.xz)  xz -dc "$ko" ;;
	*.zst) zstd -dcq "$ko" ;;
	*)     cat "$ko" ;;
	esac | strings | grep -e fail_alloc_nth -e fail_consistency -e ksyms_inject_ && return 1
	return 0
}

dkms_conf_matches_version() {
	grep -qx "PACKAGE_VERSION=\"$version\"" dkms.conf
}

# add, build, remove with the tree's dkms, from a fresh copy of the source.
dkms_build_in_tree() {
	local kver=$1 tree=$2 rc=0 cross arch
	in_root "$tree" dkms remove "ksyms/$version" --all >/dev/null 2>&1
	rm -rf "$tree$src" && cp -r "$src" "$tree$src" || return 1
	# arm64 kernels are built for in the cross tree, the way the kernel
	# cross-compiles: ARCH and CROSS_COMPILE in the environment.
	case $kver in
	*-arm64) cross=(env ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-) arch=(-a aarch64) ;;
	*)       cross=() arch=() ;;
	esac
	in_root "$tree" dkms add "ksyms/$version" &&
		in_root "$tree" "${cross[@]}" dkms build "ksyms/$version" -k "$kver" "${arch[@]}" || rc=1
	# what it built is a module for that kernel
	[ $rc -ne 0 ] || in_root "$tree" sh -c 'modinfo -F vermagic /var/lib/dkms/ksyms/$1/$2/*/module/ksyms.ko*' \
		vermagic "$version" "$kver" | grep -q "^$kver " || rc=1
	# the build log says what went wrong
	[ $rc -eq 0 ] || cat "$tree/var/lib/dkms/ksyms/$version/build/make.log" 2>/dev/null
	in_root "$tree" dkms remove "ksyms/$version" --all >/dev/null 2>&1 || rc=1
	rm -rf "${tree:?}$src"
	return $rc
}

echo "KTAP version 1"
host_checks=0
[ ${#host_kernels[@]} -eq 0 ] || host_checks=$((${#host_kernels[@]} + 8))
echo "1..$((2 + host_checks + ${#tree_kernels[@]}))"
ktap_check "dkms.conf version matches VERSION" dkms_conf_matches_version
ktap_check "source copied to $src" fresh_source
for k in "${tree_kernels[@]}"; do
	ktap_check "dkms add, build, remove for ${k%@*} in ${k#*@}" dkms_build_in_tree "${k%@*}" "${k#*@}"
done
if [ ${#host_kernels[@]} -eq 0 ]; then
	echo "# no host kernel given: dkms install and boot-time loading not tested"
	rm -rf "$src"
	ktap_summary dkms
	exit
fi
ktap_check "dkms add" dkms add "ksyms/$version"
for k in "${host_kernels[@]}"; do
	ktap_check "dkms build for $k" dkms build "ksyms/$version" -k "$k"
done
first=${host_kernels[0]}
ktap_check "dkms install for $first" dkms install "ksyms/$version" -k "$first"
ktap_check "installed module has license, version, description, vermagic" module_info_right "$first"
ktap_check "installed module carries no test hooks" module_has_no_test_hooks "$first"
ktap_check "boot-time loading configured in $conf" grep -qx ksyms "$conf"
ktap_check "systemd-modules-load loads the installed ksyms at boot of $first" \
	tests/vm/boot-load.sh "$first"
ktap_check "dkms remove --all" dkms remove "ksyms/$version" --all
ktap_check "module and boot config gone after remove" \
	bash -c "[[ -z \"\$(ls /lib/modules/$first/updates/dkms/ksyms.ko* 2>/dev/null)\" && ! -e $conf ]]"
rm -rf "$src"
ktap_summary dkms
