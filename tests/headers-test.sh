#!/usr/bin/env bash
# The installed headers: `make headers_install` into a scratch root, then an
# unchanged BSD program including <sys/ksyms.h> builds as C, as C++ and as
# 32-bit C, and the ioctl numbers are FreeBSD's, with Linux's _IOR encoding
# for each ABI.  KTAP output.
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

echo "KTAP version 1"
echo "1..6"
ktap_check "make headers_install" make -s headers_install DESTDIR="$dest" PREFIX=/usr/local
ktap_check "BSD program builds as C" gcc -Wall -Wextra -Werror -I"$inc" -c -o "$dest/c.o" tests/headers/bsd_program.c
ktap_check "BSD program builds as C++" g++ -x c++ -std=c++20 -Wall -Wextra -Werror -I"$inc" -c -o "$dest/cc.o" tests/headers/bsd_program.c
ktap_check "BSD program builds as 32-bit C" gcc -m32 -Wall -Wextra -Werror -I"$inc" -c -o "$dest/c32.o" tests/headers/bsd_program.c
ktap_check "64-bit numbers: 8-byte size_t and pointer" expect_numbers "" 8
ktap_check "32-bit numbers: 4-byte size_t and pointer" expect_numbers -m32 4
ktap_summary headers
