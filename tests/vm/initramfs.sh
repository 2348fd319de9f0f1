#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: initramfs.sh NAME MODDIR KSYMS_KO SELFTESTS_DIR [SYSROOT]
#
# Builds the VM's root filesystem as a gzip'd newc cpio in
# $CACHE_DIR/initramfs/NAME.cpio.gz (printed on stdout), for the kernel whose
# modules are in MODDIR. The programs are the host's own, or with SYSROOT
# (an unpacked tree of another architecture, tree.sh arm64) that tree's:
#   /bin           busybox-static and its applet links
#   /usr/bin, /lib eu-readelf eu-nm eu-elflint readelf nm objdump + their libs
#   /init          tests/vm/init
#   /etc           passwd/group with root and nobody (65534)
#   /ksyms/ksyms.ko, /ksyms/tests/ (selftest outputs; KSYMS_READERS=0
#                  leaves out ksyms_readers.sh, the binutils/elfutils run),
#   /ksyms/test_modules/*.ko (the selftests' own, built beside ksyms.ko),
#   /ksyms/modules/*.ko + /ksyms/modules.list (in-tree test modules)
#   /ksyms/bench/            with KSYMS_BENCH_DIR set: build-bench.sh's output
#   /ksyms/tests/ksyms_tools.sh, /ksyms/tests/ksyms-tools/
#                            with KSYMS_TOOLS_DIR set: build-tools.sh's script,
#                            run after the selftests, and the programs it runs
#                            (in a directory: in safety mode /init runs every
#                            program of /ksyms/tests that the order leaves out)
#   /ksyms/tests/ksyms_perf.sh, /usr/bin/perf + its libraries
#                            the same, with KSYMS_PERF=1 too (one kernel:
#                            perf adds 9 MB to the compressed image)
#   /ksyms/tests/ksyms_python.sh, /ksyms/tests/ksyms-python/, /usr/bin/python3
#                            with KSYMS_TOOLS_DIR set too: the Python module's
#                            test, run after ksyms_tools.sh, with python3 and
#                            only the standard library files it imports
#   /ksyms/tests/ksyms_oops.sh
#                            with KSYMS_TOOLS_DIR set and ksyms_warn.ko built,
#                            for kernels with CONFIG_BUG: run last (its
#                            WARNING taints the kernel)
#   /ksyms/tests/ksyms_warn_seen.sh
#                            else, with ksyms_warn.ko and CONFIG_BUG: a
#                            WARNING the host's kernel log check must see
#   /ksyms/test_modules/ksyms_warn_provoke.sh
#                            with either: what makes the WARNING
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

# In-tree modules the tests load and unload (module lifetime, snapshot
# refresh). Each is in every cloud kernel from 5.10 to 7.3, has no
# dependencies in modules.dep, touches no hardware, and loads/unloads
# cleanly in the VM ("a|b": the first path that exists; 7.x moved the CRC
# libraries to lib/crc/):
#   ts_kmp     textsearch algorithm: init+exit, functions and a data object
#   crc-itu-t  library: exported function + exported table, no init or exit
#   dummy      network driver: module params, creates/destroys a netdev
TEST_MODULES=(kernel/lib/ts_kmp.ko 'kernel/lib/crc-itu-t.ko|kernel/lib/crc/crc-itu-t.ko'
	kernel/drivers/net/dummy.ko)

DYNAMIC_TOOLS=(eu-readelf eu-nm eu-elflint readelf nm objdump)

# The applet list is the host busybox's: Debian builds every architecture's
# busybox-static from one configuration.
install_busybox() {
	local root=$1 sysroot=$2 applet
	mkdir -p "$root/bin"
	if [ -n "$sysroot" ]; then
		cp "$(sysroot_path "$sysroot" /bin/busybox)" "$root/bin/busybox"
	else
		cp "$(command -v busybox)" "$root/bin/busybox"
	fi
	for applet in $(busybox --list); do
		[ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
	done
	ln -s bin "$root/sbin"
}

# Copy every shared library ldd resolves for a host program (the dynamic
# loader included) to the same absolute paths inside the image.
install_libraries_of() {
	local root=$1 path=$2 lib
	for lib in $(ldd "$path" | grep -o '/[^ ]*'); do
		cp -L --parents "$lib" "$root/"
	done
}

install_dynamic_tool() {
	local root=$1 tool=$2 path
	path=$(command -v "$tool") || die "$tool not installed"
	mkdir -p "$root/usr/bin"
	cp -L "$path" "$root/usr/bin/$tool"
	install_libraries_of "$root" "$path"
}

# A path inside SYSROOT with every symlink resolved there, not on the host.
sysroot_path() {
	local sysroot=$1 path=$2 target n=0
	while [ -L "$sysroot$path" ]; do
		target=$(readlink "$sysroot$path")
		case $target in /*) path=$target ;; *) path=$(dirname "$path")/$target ;; esac
		n=$((n + 1)); [ $n -lt 40 ] || die "symlink loop at $sysroot$path"
	done
	[ -e "$sysroot$path" ] || die "$path not in $sysroot"
	echo "$sysroot$path"
}

# The same for a program of SYSROOT: ldd cannot run it, so its libraries
# are found from the ELF dynamic section (DT_NEEDED, PT_INTERP) in the
# tree's multiarch library directories, recursively.
install_foreign_tool() {
	local root=$1 sysroot=$2 tool=$3 todo=() seen=" " file lib dir interp
	mkdir -p "$root/usr/bin"
	file=$(sysroot_path "$sysroot" "/usr/bin/$tool")
	cp "$file" "$root/usr/bin/$tool"
	interp=$(readelf -l "$file" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	[ -n "$interp" ] && install -D "$(sysroot_path "$sysroot" "$interp")" "$root$interp"
	todo=("$file")
	while [ ${#todo[@]} -gt 0 ]; do
		file=${todo[0]} todo=("${todo[@]:1}")
		for lib in $(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case $seen in *" $lib "*) continue ;; esac
			seen+="$lib "
			for dir in /lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu; do
				[ -e "$sysroot$dir/$lib" ] || continue
				install -D "$(sysroot_path "$sysroot" "$dir/$lib")" "$root$dir/$lib"
				todo+=("$root$dir/$lib")
				continue 2
			done
			die "$tool needs $lib, not in $sysroot"
		done
	done
}

# A test program beside the selftests, run after them: with an order file
# (kselftest's list of what to run), at its end.
add_test() {
	local root=$1 script=$2
	cp "$script" "$root/ksyms/tests/"
	[ ! -f "$root/ksyms/tests/order" ] || basename "$script" >>"$root/ksyms/tests/order"
}

# At the host's paths, so that python3 finds its library where it was
# built to look (/usr/lib/python3.X, from /usr/bin).
install_python() {
	local root=$1 tools=$2 file stdlib
	mkdir -p "$root/usr/bin"
	cp "$tools/python3" "$root/usr/bin/python3"
	install_libraries_of "$root" "$tools/python3"
	while IFS= read -r file; do
		cp --parents "$file" "$root/"
	done <"$tools/python-files.txt"
	# python3 finds its exec_prefix by this directory; the test needs
	# nothing in it
	stdlib=$(dirname "$(grep -m1 '/os\.py$' "$tools/python-files.txt")")
	mkdir -p "$root$stdlib/lib-dynload"
	cp -a "$tools/ksyms-python" "$root/ksyms/tests/"
	install_libraries_of "$root" "$tools"/ksyms-python/ksyms/_ksyms.*.so
	add_test "$root" "$tools/ksyms_python.sh"
}

write_users() {
	local root=$1
	mkdir -p "$root/etc" "$root/root"
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
		'nobody:x:65534:65534:nobody:/nonexistent:/bin/sh' >"$root/etc/passwd"
	printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
}

# The modules must stay dependency-free on every kernel: check, don't assume.
# Whether WARN() prints anything in the kernel of MODDIR: CONFIG_BUG, which
# Debian's kernels have and the debug kernels (made from tinyconfig) do not.
# A kernel whose configuration is not at hand is taken to have it.
kernel_prints_warnings() {
	local moddir=$1 kver config
	kver=$(basename "$moddir")
	for config in "$moddir/../../../boot/config-$kver" "$moddir/build/.config"; do
		if [ -f "$config" ]; then
			grep -qx 'CONFIG_BUG=y' "$config"
			return
		fi
	done
	return 0
}

# The test that provokes a WARNING with ksyms_warn.ko, where the kernel
# prints one: ksyms_oops.sh, which decodes it with the ksyms command, where
# the tools are installed, else ksyms_warn_seen.sh. Both provoke it through
# ksyms_warn_provoke.sh, kept out of the tests directory, which a
# safety-mode VM runs whole.
install_warn_test() {
	local root=$1 moddir=$2 test=$VM_DIR/ksyms_warn_seen.sh
	[ -f "$root/ksyms/test_modules/ksyms_warn.ko" ] && kernel_prints_warnings "$moddir" ||
		return 0
	[ ! -f "${KSYMS_TOOLS_DIR:-/nonexistent}/ksyms_oops.sh" ] || test=$KSYMS_TOOLS_DIR/ksyms_oops.sh
	add_test "$root" "$test"
	cp "$VM_DIR/ksyms_warn_provoke.sh" "$root/ksyms/test_modules/"
}

install_test_modules() {
	local root=$1 moddir=$2 alts rel ext src name deps
	mkdir -p "$root/ksyms/modules"
	: >"$root/ksyms/modules.list"
	for alts in "${TEST_MODULES[@]}"; do
		src=
		for rel in ${alts//|/ }; do
			for ext in "" .xz .zst; do
				[ -f "$moddir/$rel$ext" ] && { src=$moddir/$rel$ext; break 2; }
			done
		done
		[ -n "$src" ] || die "none of $alts in $moddir"
		name=$(basename "$rel")
		deps=$(awk -v m="${src#"$moddir"/}:" '$1 == m { $1 = ""; print }' "$moddir/modules.dep")
		[ -z "${deps// /}" ] || die "$rel now depends on:$deps"
		case $src in
		*.xz)  xz -dc "$src" ;;
		*.zst) zstd -qdc "$src" ;;
		*)     cat "$src" ;;
		esac >"$root/ksyms/modules/$name"
		echo "/ksyms/modules/$name" >>"$root/ksyms/modules.list"
	done
}

main() {
	[ $# -eq 4 ] || [ $# -eq 5 ] || die "usage: $0 NAME MODDIR KSYMS_KO SELFTESTS_DIR [SYSROOT]"
	local name=$1 moddir=$2 ko=$3 tests=$4 sysroot=${5:-} tool
	local root=$CACHE_DIR/initramfs/$name out=$CACHE_DIR/initramfs/$name.cpio.gz
	ensure_packages busybox-static cpio gzip xz-utils zstd elfutils binutils

	rm -rf "$root" && mkdir -p "$root"/{proc,sys,dev,tmp,run,ksyms/tests}
	install_busybox "$root" "$sysroot"
	for tool in "${DYNAMIC_TOOLS[@]}"; do
		if [ -n "$sysroot" ]; then
			install_foreign_tool "$root" "$sysroot" "$tool"
		else
			install_dynamic_tool "$root" "$tool"
		fi
	done
	write_users "$root"
	install -m 755 "$VM_DIR/init" "$root/init"
	install -m 644 "$ko" "$root/ksyms/ksyms.ko"
	# the selftests' own test modules, built beside ksyms.ko
	if [ -d "$(dirname "$ko")/test_modules" ]; then
		mkdir -p "$root/ksyms/test_modules"
		cp "$(dirname "$ko")"/test_modules/*.ko "$root/ksyms/test_modules/"
	fi
	cp -a "$tests/." "$root/ksyms/tests/"
	if [ "${KSYMS_READERS:-1}" = 0 ]; then
		rm -f "$root/ksyms/tests/ksyms_readers.sh"
		[ ! -f "$root/ksyms/tests/order" ] || sed -i '/^ksyms_readers\.sh$/d' "$root/ksyms/tests/order"
	fi
	install_test_modules "$root" "$moddir"
	if [ -n "${KSYMS_TOOLS_DIR:-}" ]; then
		mkdir -p "$root/ksyms/tests/ksyms-tools"
		cp "$KSYMS_TOOLS_DIR/ksyms" "$KSYMS_TOOLS_DIR/ksyms_vm_check" \
			"$KSYMS_TOOLS_DIR/ksyms_bpf_hold" "$KSYMS_TOOLS_DIR/ksyms_json_check" \
			"$root/ksyms/tests/ksyms-tools/"
		install_libraries_of "$root" "$KSYMS_TOOLS_DIR/ksyms"
		install_libraries_of "$root" "$KSYMS_TOOLS_DIR/ksyms_vm_check"
		install_libraries_of "$root" "$KSYMS_TOOLS_DIR/ksyms_bpf_hold"
		install_libraries_of "$root" "$KSYMS_TOOLS_DIR/ksyms_json_check"
		add_test "$root" "$KSYMS_TOOLS_DIR/ksyms_tools.sh"
		install_python "$root" "$KSYMS_TOOLS_DIR"
	fi
	if [ "${KSYMS_PERF:-}" = 1 ] && [ -f "${KSYMS_TOOLS_DIR:-/nonexistent}/ksyms_perf.sh" ]; then
		ensure_packages linux-perf
		install_dynamic_tool "$root" perf
		add_test "$root" "$KSYMS_TOOLS_DIR/ksyms_perf.sh"
	fi
	# Last: its WARNING taints the kernel.
	install_warn_test "$root" "$moddir"
	if [ -n "${KSYMS_BENCH_DIR:-}" ]; then
		cp -a "$KSYMS_BENCH_DIR" "$root/ksyms/bench"
		install_libraries_of "$root" "$KSYMS_BENCH_DIR/ksyms_bench"
	fi

	(cd "$root" && find . -print0 | sort -z |
		cpio --quiet --null -o -H newc -R 0:0 | gzip -1) >"$out.tmp"
	mv "$out.tmp" "$out"
	echo "$out"
}

main "$@"
