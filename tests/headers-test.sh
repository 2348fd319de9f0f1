#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The installed headers: `make headers_install` into a scratch root, then an
# unchanged BSD program including <sys/ksyms.h> builds as C, as C++ and as
# 32-bit C, and the ioctl numbers are FreeBSD's, with Linux's _IOR encoding
# for each ABI.  Then `make tools_install` into the same root: the command
# runs, a C program builds and runs against libksyms through pkg-config,
# linked shared and static, and a CMake project of someone else's
# (tests/headers/consumer) finds the package with find_package(ksyms) and
# builds a C program (ksyms::ksyms) and a C++ one (ksyms::ksyms_static)
# that symbolize an image the driver's own code wrote.  KTAP output.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=tests/lib/ktap.sh
. tests/lib/ktap.sh

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
inc=$dest/usr/local/include


# _IOR(type, nr, T) = (2 << 30) | (sizeof(T) << 16) | (type << 8) | nr,
# checked by the compiler so no binary of the other ABI has to run here.
expect_numbers() {
	local flags=$1 width=$2
	printf '#include <sys/ksyms.h>\n_Static_assert(KIOCGSIZE == %#x, "KIOCGSIZE");\n_Static_assert(KIOCGADDR == %#x, "KIOCGADDR");\n' \
		$(((2 << 30) | (width << 16) | (0x6c << 8) | 1)) \
		$(((2 << 30) | (width << 16) | (0x6c << 8) | 2)) >"$dest/n.c"
	gcc $flags -Werror -I"$inc" -c -o "$dest/n.o" "$dest/n.c"
}

# pkg-config and the loader, pointed at the scratch root.
with_root() {
	PKG_CONFIG_PATH=$dest/usr/local/lib/pkgconfig LD_LIBRARY_PATH=$dest/usr/local/lib "$@"
}

# Shared: -lksyms as pkg-config gives it. Static: the archive itself, with
# what pkg-config --static says it needs.
libksyms_program() {
	local link=$1 libs
	if [ "$link" = static ]; then
		libs="$dest/usr/local/lib/libksyms.a $(with_root pkg-config --static --libs ksyms | sed 's/-lksyms//')"
	else
		libs=$(with_root pkg-config --libs ksyms)
	fi
	# shellcheck disable=SC2046,SC2086 # lists of flags
	with_root gcc -Wall -Wextra -Werror -o "$dest/libksyms-$link" tests/headers/libksyms_program.c \
		$(with_root pkg-config --cflags ksyms) $libs &&
		with_root "$dest/libksyms-$link"
}

# The image of tests/tools-host/object_image.h, through the driver's
# image code built as tests/tools-host builds it.
object_image() {
	gcc -std=gnu11 -Wall -Wextra -Werror -Itests/driver-host/shim -Idriver -Iuapi \
		-Itests/tools-host -o "$dest/write_object_image" \
		tests/headers/write_object_image.c tests/tools-host/object_image.c \
		driver/ksyms_elf_layout.c driver/ksyms_elf_headers.c driver/ksyms_elf_chunker.c \
		driver/ksyms_elf_writer.c driver/ksyms_elf_cursor.c driver/ksyms_elf_copy.c \
		driver/ksyms_elf_notes.c driver/ksyms_elf_reader.c driver/ksyms_nm.c &&
		"$dest/write_object_image" "$dest/objects.elf"
}

# Configured with nothing but the prefix: the package must bring the rest.
cmake_consumer() {
	cmake -S tests/headers/consumer -B "$dest/consumer" \
		-DCMAKE_PREFIX_PATH="$dest/usr/local" >"$dest/consumer.log" 2>&1 &&
		cmake --build "$dest/consumer" >>"$dest/consumer.log" 2>&1 ||
		{ sed 's/^/# /' "$dest/consumer.log"; return 1; }
}

# Each program's lines, against what the image holds.
consumer_runs() {
	local program=$1 out
	out=$("$dest/consumer/$program" "$dest/objects.elf" \
		0xffffffffc0000090 0xffffffff81000104 0xffffffffc0100004 0x10) || return 1
	diff -u - <(printf '%s\n' "$out") <<-EOF
	libksyms $(cat VERSION)
	vmlinux 0123456789abcdef0123456789abcdef01234567
	0xffffffffc0000090 ext9_exported+0x10/0x80 [ext9 deadbeef]
	0xffffffff81000104 local_fn+0x4/0x100
	0xffffffffc0100004 bare_fn+0x4/0x20 [bare]
	0x10 ?
	EOF
}

echo "KTAP version 1"
echo "1..14"
ktap_check "make headers_install" make -s headers_install DESTDIR="$dest" PREFIX=/usr/local
ktap_check "BSD program builds as C" gcc -Wall -Wextra -Werror -I"$inc" -c -o "$dest/c.o" tests/headers/bsd_program.c
ktap_check "BSD program builds as C++" g++ -x c++ -std=c++20 -Wall -Wextra -Werror -I"$inc" -c -o "$dest/cc.o" tests/headers/bsd_program.c
ktap_check "BSD program builds as 32-bit C" gcc -m32 -Wall -Wextra -Werror -I"$inc" -c -o "$dest/c32.o" tests/headers/bsd_program.c
ktap_check "64-bit numbers: 8-byte size_t and pointer" expect_numbers "" 8
ktap_check "32-bit numbers: 4-byte size_t and pointer" expect_numbers -m32 4
ktap_check "make tools_install" make -s tools_install DESTDIR="$dest" PREFIX=/usr/local
ktap_check "installed ksyms runs" "$dest/usr/local/bin/ksyms" --help
ktap_check "C program links libksyms (shared) through pkg-config" libksyms_program shared
ktap_check "C program links libksyms (static) through pkg-config" libksyms_program static
ktap_check "test image from the driver's image code" object_image
ktap_check "CMake project builds with find_package(ksyms)" cmake_consumer
ktap_check "C program on ksyms::ksyms symbolizes the image" consumer_runs symbolize_c
ktap_check "C++ program on ksyms::ksyms_static symbolizes the image" consumer_runs symbolize_cxx
ktap_summary headers
