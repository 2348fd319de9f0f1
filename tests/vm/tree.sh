#!/usr/bin/env bash
# Usage: sid-tree.sh        (prints the tree's path on stdout)
#
# A Debian sid tree, debootstrap'ed once into .cache/chroots/sid, to build
# against the sid (7.2) and experimental (7.3-rc) kernels. Their kbuild tools
# (fixdep, modpost, ...) are linked against a newer glibc than bookworm's and
# their headers want the gcc they were built with (gcc-16-for-host), so
# neither can run on the host; the host itself never gets a sid package.
#
# The tree has sid and experimental sources (experimental keeps apt's
# default priority 1: only what is asked for by release comes from it) and
# the tools a module build and `dkms build` need. Package lists are
# refreshed when older than a day. The kernel headers themselves are added
# by kernel.sh, per kernel.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

ROOT=$CACHE_DIR/chroots/sid
MIRROR=http://deb.debian.org/debian
# Bump when the list of tools changes: an older tree is then rebuilt.
TREE_RECIPE="1: make sparse kmod xz-utils zstd dkms"
TREE_TOOLS=(make sparse kmod xz-utils zstd dkms)

bootstrap() {
	ensure_packages debootstrap
	log "debootstrap'ing Debian sid into $ROOT (once)"
	as_root rm -rf "$ROOT"
	mkdir -p "$(dirname "$ROOT")"
	as_root debootstrap --variant=minbase sid "$ROOT" "$MIRROR" >&2 ||
		die "debootstrap of sid failed"
	echo "deb $MIRROR experimental main" >"$ROOT/etc/apt/sources.list.d/experimental.list"
	# The registry may serve a frozen copy of sid whose Release file has
	# passed its Valid-Until date; its signatures are still checked.
	echo 'Acquire::Check-Valid-Until "false";' >"$ROOT/etc/apt/apt.conf.d/99ksyms"
	refresh_lists
	in_root "$ROOT" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${TREE_TOOLS[@]}" >&2 ||
		die "installing ${TREE_TOOLS[*]} in the sid tree failed"
	echo "$TREE_RECIPE" >"$ROOT/.ksyms-tree"
}

refresh_lists() {
	in_root "$ROOT" apt-get update -q >&2 || die "apt-get update in the sid tree failed"
	touch "$ROOT/.ksyms-lists"
}

main() {
	[ $# -eq 0 ] || die "usage: $0"
	if [ ! -f "$ROOT/.ksyms-tree" ] || [ "$(cat "$ROOT/.ksyms-tree")" != "$TREE_RECIPE" ]; then
		bootstrap
	elif [ -z "$(find "$ROOT/.ksyms-lists" -mmin -1440 2>/dev/null)" ]; then
		refresh_lists
	fi
	echo "$ROOT"
}

main "$@"
