#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A real kernel WARNING for `ksyms decode`, in the test VM (run by /init
# last: a WARNING taints the kernel). KTAP.
#
# The ksyms_warn test module WARNs from a function of its own
# (ksyms_warn_provoke.sh, installed beside it). The trace the kernel logs,
# between two markers that the run's kernel log check leaves out, and an
# image saved while the module is loaded go to the host
# (KSYMS_EXPORT_DIR: oops-<release>.txt, ksyms-oops-<release>.elf), where
# tests/debuginfo.sh decodes the trace against scripts/decode_stacktrace.sh
# with Debian's debug files.
cd "$(dirname "$0")/ksyms-tools" || exit 1
echo "TAP version 13"
echo "1..3"
failed=0
result() { # N NAME STATUS
	if [ "$3" -eq 0 ]; then echo "ok $1 $2"; else echo "not ok $1 $2"; failed=1; fi
}

rc=1
if /ksyms/test_modules/ksyms_warn_provoke.sh /tmp/oops.txt; then
	grep -q 'ksyms_warn_set+0x[0-9a-f]*/0x[0-9a-f]* \[ksyms_warn\]' /tmp/oops.txt &&
		grep -Eq '^[[].*[]] +(\? )?[a-z_0-9.]+\+0x[0-9a-f]+/0x[0-9a-f]+$' /tmp/oops.txt &&
		rc=0
fi
sed 's/^/# /' /tmp/oops.txt | head -n 60
result 1 "a WARNING from ksyms_warn logs frames in the module and in vmlinux" $rc

rc=1
./ksyms save /tmp/ksyms-oops.elf &&
	./ksyms --file /tmp/ksyms-oops.elf lookup ksyms_warn_inner | grep -q ' \[ksyms_warn\]$' && rc=0
result 2 "ksyms save: the image holds the module that warned" $rc

# Without debug files, decode copies the log as it is.
rc=1
./ksyms decode /tmp/oops.txt | cmp - /tmp/oops.txt && rc=0
result 3 "ksyms decode without debug files: the log unchanged" $rc

if [ -d "${KSYMS_EXPORT_DIR:-}" ]; then
	release=$(uname -r)
	cp /tmp/oops.txt "$KSYMS_EXPORT_DIR/oops-$release.txt"
	cp /tmp/ksyms-oops.elf "$KSYMS_EXPORT_DIR/ksyms-oops-$release.elf"
fi
rmmod ksyms_warn 2>/dev/null
exit $failed
