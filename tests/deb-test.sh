#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The Debian packages (debian/): their version is VERSION's, debian/copyright
# gives every file its licence, they build on a bare bookworm
# (tests/deb/build.sh), the symbols file is what libksyms exports, and
# lintian finds no error or warning in them. Then, in a throwaway copy of
# the bookworm tree (tests/deb/lib.sh), which has the headers of bookworm's
# kernel, plus a fake kernel whose .config lacks CONFIG_KALLSYMS: apt
# installs the four packages, dkms builds and installs the module for the
# real kernel and skips the fake one, the command runs and a C program
# builds against libksyms-dev; a kernel upgrade's dkms hook and `dkms
# build` skip what dkms.conf excludes instead of failing; and `dpkg -P`
# leaves nothing behind. KTAP output.
# Usage: tests/deb-test.sh
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=tests/lib/ktap.sh
. tests/lib/ktap.sh
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh
# shellcheck source=tests/deb/lib.sh
. tests/deb/lib.sh

version=$(cat VERSION)
DEBS=$CACHE_DIR/debs
PACKAGES=(ksyms-dkms libksyms0 libksyms-dev ksyms-tools python3-ksyms)
FAKE_KVER=6.1.0-0-nokallsyms   # a kernel dkms.conf must skip
KVER=                          # the tree's real kernel (its headers)

changelog_version_is_version() {
	local v
	v=$(dpkg-parsechangelog -l debian/changelog -S Version) || return 1
	v=${v#*:}
	echo "debian/changelog: $v, VERSION: $version"
	[ "${v%-*}" = "$version" ]
}

symbols_file_matches() {
	[ -s "$DEBS/build.log" ] && ! grep -A 30 '^dpkg-gensymbols: warning' "$DEBS/build.log"
}

deb_of() { ls "$DEBS/$1"_*.deb 2>/dev/null | head -n1; }

# The dkms.conf it ships is the repository's without the scripts that write
# /etc; it loads ksyms at boot from /usr/lib, and has nothing in /etc.
dkms_package_right() {
	local deb
	deb=$(deb_of ksyms-dkms) && [ -n "$deb" ] || return 1
	diff <(sed '/^POST_INSTALL=/d; /^POST_REMOVE=/d' dkms.conf) \
		<(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "./usr/src/ksyms-$version/dkms.conf") &&
		dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/lib/modules-load.d/ksyms.conf | grep -qx ksyms &&
		! dpkg-deb -c "$deb" | grep -e ' \./etc/' -e '/dkms/post-'
}

# One lintian run over everything built: the .changes (its .debs and
# .buildinfo) and the source package.
# Status 0: ran, 1: lintian failed, 2: ran and found errors.
LINTIAN_RAN=0
run_lintian() {
	local rc=0
	lintian --pedantic --info "$DEBS"/*.changes "$DEBS"/*.dsc >"$DEBS/lintian.log" 2>&1 || rc=$?
	grep -E '^[EWIPX]: ' "$DEBS/lintian.log"
	[ $rc -ne 1 ] && LINTIAN_RAN=1
}

# No error or warning for package $1 ("ksyms source" for the source).
lintian_clean() {
	[ $LINTIAN_RAN -eq 1 ] && ! grep -E "^[EW]: $1[ :]" "$DEBS/lintian.log"
}

# Errors and warnings about anything else: the .changes, .buildinfo, dbgsym.
lintian_rest_clean() {
	[ $LINTIAN_RAN -eq 1 ] && ! grep -E '^[EW]: ' "$DEBS/lintian.log" |
		grep -vE "^[EW]: (ksyms source|$(IFS='|'; echo "${PACKAGES[*]}")):"
}

in_install() { in_copy install --bind "$DEBS" /ksyms-debs --bind "$PWD/tests/headers" /ksyms-headers "$@"; }

# What the packages depend on, from the registry, as apt would pull it in
# (first of alternatives, no versions, not the packages themselves).
dependencies() {
	local deb
	for deb in "$DEBS"/*.deb; do
		case $deb in *-dbgsym_*) continue ;; esac
		dpkg-deb -f "$deb" Depends
	done | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/[[:space:]]//g; s/:any$//' |
		grep -v -e '^$' -e '^libksyms' -e '^ksyms' | sort -u
}

# A second kernel next to the real one, its headers a copy of the real ones'
# .config without CONFIG_KALLSYMS (all dkms reads to decide). The packages'
# dependencies and depmod first: the file lists before install and after
# purge must be comparable (dpkg -P removes the packages, not what they
# pulled in).
prepare_root() {
	local deps
	mapfile -t deps < <(dependencies)
	KVER=$(in_install sh -c 'ls /usr/src' | sed -n 's/^linux-headers-\(.*-cloud-amd64\)$/\1/p' | tail -n1)
	[ -n "$KVER" ] || { echo "no cloud-amd64 headers in the tree"; return 1; }
	in_install sh -c '
		set -e
		kver=$1 fake=$2
		grep -qx "CONFIG_KALLSYMS=y" "/lib/modules/$kver/build/.config"
		mkdir -p "/lib/modules/$fake/build/include"
		sed "s/^CONFIG_KALLSYMS=y$/# CONFIG_KALLSYMS is not set/" \
			"/lib/modules/$kver/build/.config" >"/lib/modules/$fake/build/.config"
		depmod "$kver"
		shift 2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null' \
		prepare "$KVER" "$FAKE_KVER" "${deps[@]}" && list_files before
}

apt_install() {
	in_install sh -c 'cd /ksyms-debs && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends ./ksyms-dkms_*.deb \
		./ksyms-tools_*.deb ./libksyms0_*.deb ./libksyms-dev_*.deb \
		./python3-ksyms_*.deb' >"$DEBS/install.log" 2>&1
	local rc=$?
	tail -n 25 "$DEBS/install.log"
	return $rc
}

# The system's python3 imports the package's module and reads an ELF file
# with a symbol table: the .ko dkms installed.
python_package_works() {
	in_install python3 - "/lib/modules/$KVER/updates/dkms/ksyms.ko" <<'EOF'
import sys, ksyms
with ksyms.open(sys.argv[1]) as snapshot:
    found = snapshot.lookup("init_module")
    print(len(snapshot), "symbols; init_module:", found)
    sys.exit(0 if len(snapshot) > 0 and found else 1)
EOF
}

module_installed() {
	in_install sh -c 'modinfo -F version /lib/modules/$1/updates/dkms/ksyms.ko*' \
		installed "$KVER" | grep -qx "$version"
}

# The postinst tried the fake kernel and dkms answered "skipped" (77, which
# dkms's common.postinst reports as "Skipped."); nothing was built for it.
fake_kernel_skipped_at_install() {
	grep -A 6 -F "Building initial module for $FAKE_KVER" "$DEBS/install.log" | grep -x 'Skipped\.' &&
		in_install sh -c '! ls -d /lib/modules/$1/updates /var/lib/dkms/ksyms/*/$1 2>/dev/null' \
			skipped "$FAKE_KVER"
}

boot_load_from_usr_lib() {
	in_install sh -c 'grep -qx ksyms /usr/lib/modules-load.d/ksyms.conf &&
		! grep -rsqx ksyms /etc/modules-load.d /etc/modules'
}

# libksyms-dev: the C API through pkg-config, shared and static, and the
# device's headers (an unchanged BSD program).
dev_package_works() {
	in_install sh -c '
		set -e
		cd /tmp
		gcc -Wall -Wextra -Werror -o shared /ksyms-headers/libksyms_program.c \
			$(pkg-config --cflags --libs ksyms)
		./shared
		gcc -Wall -Wextra -Werror -static-libgcc -o static /ksyms-headers/libksyms_program.c \
			$(pkg-config --cflags ksyms) -Wl,-Bstatic -lksyms -Wl,-Bdynamic \
			$(pkg-config --static --libs-only-l ksyms | sed "s/-lksyms//")
		./static
		! ldd ./static | grep -q libksyms
		gcc -Wall -Wextra -Werror -c -o bsd.o /ksyms-headers/bsd_program.c'
}

# libksyms-dev's CMake package: find_package(ksyms) in a project of
# someone else's, linking the shared and the static library.
cmake_package_works() {
	in_install sh -c 'cmake -S /ksyms-headers/consumer -B /tmp/consumer >/tmp/consumer.log 2>&1 &&
		cmake --build /tmp/consumer >>/tmp/consumer.log 2>&1 || { cat /tmp/consumer.log; exit 1; }'
}

# What a kernel package's postinst runs (/etc/kernel/postinst.d/dkms) for a
# kernel without kallsyms: nothing built, and the only complaint is
# BUILD_EXCLUSIVE's. bookworm's dkms 3.0.10 reports that skip as an error
# (its autoinstall counts a skipped module as failed; dkms 3.0.11 fixed it).
bookworm_hook_builds_nothing() {
	in_install /etc/kernel/postinst.d/dkms "$FAKE_KVER" >"$DEBS/hook.log" 2>&1
	cat "$DEBS/hook.log"
	grep -q 'BUILD_EXCLUSIVE directive which does not match' "$DEBS/hook.log" &&
		! grep -q 'Bad return status\|Building module' "$DEBS/hook.log" &&
		in_install sh -c '! ls -d /lib/modules/$1/updates 2>/dev/null' skipped "$FAKE_KVER"
}

# The same with sid's current dkms, the repository's dkms.conf added from a
# copy of the source: autoinstall and the hook succeed, and build nothing.
current_dkms_skips() {
	COPY_OF=sid in_copy sid-dkms --bind "$PWD" /ksyms-repo sh -c '
		set -e
		version=$1 fake=$2
		dkms --version
		mkdir -p "/usr/src/ksyms-$version" "/lib/modules/$fake/build/include"
		cd /ksyms-repo && cp -r Kbuild Makefile VERSION dkms.conf dkms driver uapi "/usr/src/ksyms-$version/"
		printf "CONFIG_MODULES=y\n# CONFIG_KALLSYMS is not set\n" >"/lib/modules/$fake/build/.config"
		dkms add "ksyms/$version"
		dkms autoinstall -k "$fake"
		/etc/kernel/postinst.d/dkms "$fake"
		! ls -d "/lib/modules/$fake/updates" "/var/lib/dkms/ksyms/$version/$fake" 2>/dev/null' \
		current "$version" "$FAKE_KVER"
}

# dkms's "skipped" status (77) for what BUILD_EXCLUSIVE_* leaves out.
dkms_build_skips() {
	local rc=0
	in_install dkms build "ksyms/$version" "$@" || rc=$?
	echo "dkms build $* exited $rc"
	[ $rc -eq 77 ]
}

purge() {
	in_install sh -c 'dpkg -s "$@" >/dev/null && dpkg -P "$@"' purge "${PACKAGES[@]}"
}

# The files, and those named or mentioning ksyms (the tree has some of its
# own: its apt source, the kernel's genksyms), under the directories a
# package or dkms writes to.
list_files() {
	in_install sh -c '
		dirs="/etc /usr /lib/modules /var/lib/dkms"
		find $dirs | sort >"/ksyms-debs/$1.list"
		{ find $dirs -iname "*ksyms*"; grep -rls ksyms /etc /lib/modules /var/lib/dkms; } |
			sort >"/ksyms-debs/$1.ksyms"' list "$1"
}

nothing_left() {
	list_files after &&
		diff "$DEBS/before.ksyms" "$DEBS/after.ksyms" &&
		diff "$DEBS/before.list" "$DEBS/after.list"
}

echo "KTAP version 1"
echo "1..$((23 + ${#PACKAGES[@]}))"
ktap_check "debian/changelog's upstream version is VERSION's" changelog_version_is_version
ktap_check "debian/copyright gives every file the licence its SPDX line names" tests/deb/copyright.sh
ktap_check "dpkg-buildpackage -us -uc -b on a bare bookworm" tests/deb/build.sh "$DEBS"
ktap_check "debian/libksyms0.symbols is what libksyms.so.0 exports" symbols_file_matches
ktap_check "ksyms-dkms: dkms.conf without the /etc scripts, boot-time load from /usr/lib" dkms_package_right
ktap_check "lintian ran" run_lintian
ktap_check "lintian: ksyms source, no error or warning" lintian_clean "ksyms source"
for p in "${PACKAGES[@]}"; do
	ktap_check "lintian: $p, no error or warning" lintian_clean "$p"
done
ktap_check "lintian: .changes, .buildinfo, dbgsym, no error or warning" lintian_rest_clean
drop_copy install
ktap_check "bookworm tree with kernel headers and a kernel without CONFIG_KALLSYMS" prepare_root
ktap_check "apt install ./ksyms-dkms_*.deb ./ksyms-tools_*.deb ./libksyms*.deb ./python3-ksyms_*.deb" apt_install
ktap_check "dkms installed ksyms $version for $KVER" module_installed
ktap_check "dkms skipped the kernel without CONFIG_KALLSYMS at install" fake_kernel_skipped_at_install
ktap_check "ksyms loads at boot from /usr/lib/modules-load.d, nothing in /etc" boot_load_from_usr_lib
ktap_check "ksyms --help runs" in_install ksyms --help
ktap_check "python3-ksyms: import ksyms reads the module dkms built" python_package_works
ktap_check "libksyms-dev: C program through pkg-config (shared, static), BSD program" dev_package_works
ktap_check "libksyms-dev: a CMake project builds with find_package(ksyms)" cmake_package_works
ktap_check "bookworm's kernel-install dkms hook builds nothing for a kernel without CONFIG_KALLSYMS" \
	bookworm_hook_builds_nothing
ktap_check "dkms build skips (77) a kernel without CONFIG_KALLSYMS" dkms_build_skips -k "$FAKE_KVER"
ktap_check "dkms build skips (77) an architecture not tested (riscv64)" dkms_build_skips -k "$KVER" -a riscv64
ktap_check "dpkg -P ${PACKAGES[*]}" purge
ktap_check "after dpkg -P, /etc /usr /lib/modules /var/lib/dkms hold what they held before" nothing_left
drop_copy install
drop_copy sid-dkms
ktap_check "sid's dkms: autoinstall and the kernel-install hook skip that kernel, status 0" current_dkms_skips
drop_copy sid-dkms
ktap_summary deb
