#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: export-check.sh ROW KSYMS [IMAGE]
#
# On the host, after the VM of table row ROW ended: the image it saved
# with `ksyms save` (IMAGE: ksyms-saved.elf, the tools check's,
# tests/tools-vm/ksyms_tools.sh, by default; ksyms-live.elf, the benchmark
# VM's) came out of the VM whole (unpack-export.sh checked every byte),
# and the ksyms command KSYMS, run here on that file, finds in it exactly
# what the VM's /proc/kallsyms listed when it was saved. KTAP on stdout.
set -euo pipefail
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || [ $# -eq 3 ] || die "usage: $0 ROW KSYMS [IMAGE]"
ROW=$1 KSYMS=$2 NAME=${3:-ksyms-saved.elf}
echo "KTAP version 1"
echo "1..3"
work=$CACHE_DIR/logs/$ROW.export-check
rm -rf "$work" && mkdir -p "$work"
if image=$(vm_export_path "$ROW" "$NAME" 2>"$work/why") &&
	kallsyms=$(vm_export_path "$ROW" kallsyms.txt 2>"$work/why"); then
	echo "# $image: $(stat -c %s "$image") bytes; $(wc -l <"$kallsyms") kallsyms lines"
	echo "ok 1 $ROW: the VM's saved image and its /proc/kallsyms are on the host"
else
	sed 's/^/# /' "$work/why"
	echo "not ok 1 $ROW: the VM's saved image and its /proc/kallsyms are on the host"
	echo "not ok 2 $ROW: ksyms --file IMAGE verify --kallsyms (no image)"
	echo "not ok 3 $ROW: ksyms --file IMAGE dump --format=kallsyms (no image)"
	exit 0
fi

rc=0
"$KSYMS" --file "$image" verify --kallsyms "$kallsyms" >"$work/verify" 2>&1 || rc=$?
sed 's/^/# /' "$work/verify" | head -n 20
if [ $rc -eq 0 ]; then
	echo "ok 2 $ROW: ksyms --file IMAGE verify --kallsyms (on the host)"
else
	echo "not ok 2 $ROW: ksyms --file IMAGE verify --kallsyms (on the host) # exit=$rc"
fi

rc=0
"$KSYMS" --file "$image" dump --format=kallsyms >"$work/kallsyms" 2>&1 || rc=$?
if [ $rc -eq 0 ] && cmp "$kallsyms" "$work/kallsyms" >/dev/null; then
	echo "ok 3 $ROW: ksyms --file IMAGE dump --format=kallsyms is the VM's /proc/kallsyms (on the host)"
else
	diff "$kallsyms" "$work/kallsyms" | head -n 10 | sed 's/^/# /'
	echo "not ok 3 $ROW: ksyms --file IMAGE dump --format=kallsyms is the VM's /proc/kallsyms (on the host) # exit=$rc"
fi
