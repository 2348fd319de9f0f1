#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Usage: ksyms_warn_provoke.sh OUT
#
# Makes the kernel print a real WARNING, in a test VM: loads the ksyms_warn
# test module and writes its parameter, which WARNs from a function of the
# module's own, between the two markers that the host's kernel log check
# (tests/vm/parse-results.sh) leaves out. Writes the kernel log between the
# markers to OUT. Exits 0 when OUT holds the WARNING line, naming
# ksyms_warn_inner in the module, as the kernel prints it. The module stays
# loaded, so that an image saved now holds it; the caller removes it.
# Installed beside the module (/ksyms/test_modules), not among the tests.
OUT=$1
WARN_KO=$(dirname "$0")/ksyms_warn.ko
BEGIN='ksyms-test: expected WARNING begins'
END='ksyms-test: expected WARNING ends'

: >"$OUT"
insmod "$WARN_KO" || exit 1
echo "$BEGIN" >/dev/kmsg
echo 1 >/sys/module/ksyms_warn/parameters/warn
echo "$END" >/dev/kmsg
dmesg | sed -n "/$BEGIN/,/$END/p" >"$OUT"
grep -q 'WARNING: .* ksyms_warn_inner+0x[0-9a-f]*/0x[0-9a-f]* \[ksyms_warn\]' "$OUT"
