#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: unpack-export.sh STREAM DIR
#
# Turns what a VM's /init sent on its export channel (STREAM: base64 of a
# tar.gz, see send_export in tests/vm/init) into the files under DIR, made
# anew. The files are kept only if every one matches the SHA256SUMS the VM
# wrote: a stream cut short (a VM killed mid-way) or altered leaves DIR
# with nothing but UNPACK-FAILED, which says why. Exit status 0 if DIR
# holds a complete export.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

fail() {
	rm -rf "$DIR" && mkdir -p "$DIR"
	echo "$*" >"$DIR/UNPACK-FAILED"
	log "export not unpacked: $* ($STREAM)"
	exit 1
}

[ $# -eq 2 ] || die "usage: $0 STREAM DIR"
STREAM=$1 DIR=$2
rm -rf "$DIR" && mkdir -p "$DIR"
[ -s "$STREAM" ] || fail "the VM sent nothing on its export channel"
# The tty may have turned each newline into CR LF.
tr -d '\r' <"$STREAM" | base64 -d | tar -xz -C "$DIR" 2>"$DIR.tar.err" ||
	fail "not a whole tar stream: $(head -c 300 "$DIR.tar.err")"
rm -f "$DIR.tar.err"
[ -f "$DIR/SHA256SUMS" ] || fail "no SHA256SUMS in the stream"
(cd "$DIR" && sha256sum --quiet -c SHA256SUMS >&2) || fail "a file does not match its SHA256SUMS line"
rm -f "$STREAM"
log "export: $(find "$DIR" -type f | grep -c .) files in $DIR"
