#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: linux-source.sh
#
# Extracts Debian's linux-source-6.12 into $CACHE_DIR/linux-source-6.12 (once per
# package version) and prints that path. The selftests build against its
# tools/testing/selftests (kselftest_harness.h, lib.mk).
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

PACKAGE=linux-source-6.12
TARBALL=/usr/src/linux-source-6.12.tar.xz
DEST=$CACHE_DIR/linux-source-6.12

main() {
	local version
	ensure_packages "$PACKAGE" xz-utils
	version=$(dpkg-query -W -f='${Version}' "$PACKAGE")
	if [ "$(cat "$DEST/.version" 2>/dev/null)" != "$version" ]; then
		log "extracting $TARBALL ($version)"
		# Extract beside the destination, then rename: an interrupted run
		# never leaves a half tree that looks complete.
		rm -rf "$DEST" "$DEST.tmp" && mkdir -p "$DEST.tmp"
		tar -C "$DEST.tmp" -xf "$TARBALL"
		mv "$DEST.tmp/linux-source-6.12" "$DEST" && rmdir "$DEST.tmp"
		echo "$version" >"$DEST/.version"
	fi
	echo "$DEST"
}

main "$@"
