#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: tests/deb/build.sh OUTDIR
#
# Builds the Debian packages as on a fresh Debian bookworm machine: the
# checkout's files (tracked and new, not ignored) are copied to
# OUTDIR/ksyms-VERSION, and in a throwaway copy of the bookworm tree
# (tests/vm/tree.sh) `apt-get build-dep` installs debian/control's
# Build-Depends and `dpkg-buildpackage -us -uc -b` builds. Leaves in
# OUTDIR the .debs, the .changes, build.log, and the source package
# (dpkg-source from an orig tarball of the same files) for lintian. A test
# that installs the packages elsewhere (a VM) runs this too.
# Exit status: the build's.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh
# shellcheck source=tests/deb/lib.sh
. tests/deb/lib.sh

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
out=$1
version=$(cat VERSION)
src=ksyms-$version

as_root rm -rf "$out"
mkdir -p "$out/$src"
git ls-files -z --cached --others --exclude-standard |
	tar --null --ignore-failed-read -cf - -T - | tar -xf - -C "$out/$src"
(cd "$out" && tar --exclude="$src/debian" -cJf "ksyms_$version.orig.tar.xz" "$src" &&
	dpkg-source -b "$src" >/dev/null) || die "dpkg-source -b failed"

drop_copy build
rc=0
in_copy build --bind "$out" /ksyms-debs sh -c '
	cd "/ksyms-debs/$1" &&
	DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q --no-install-recommends . &&
	dpkg-buildpackage -us -uc -b' build "$src" >"$out/build.log" 2>&1 || rc=$?
drop_copy build
[ $rc -eq 0 ] || tail -n 30 "$out/build.log" >&2
exit $rc
