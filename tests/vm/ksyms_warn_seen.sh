#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A real WARNING in the VMs that do not decode one (ksyms_oops.sh does, in
# the tools VMs): the ksyms_warn test module WARNs when its parameter is
# written, between the markers the host's kernel log check knows. That
# check (tests/vm/parse-results.sh) leaves out what is between them but
# counts a report if it matches nothing there: a kernel that prints nothing
# for WARN() (tinyconfig turns CONFIG_BUG off), or patterns that no longer
# match what it prints, would otherwise give clean logs every run. KTAP.
# Run after the selftests: a WARNING taints the kernel.
echo "TAP version 13"
echo "1..1"
WARN_KO=${KSYMS_WARN_KO:-/ksyms/test_modules/ksyms_warn.ko}
BEGIN='ksyms-test: expected WARNING begins'
END='ksyms-test: expected WARNING ends'
rc=1
if insmod "$WARN_KO"; then
	echo "$BEGIN" >/dev/kmsg
	echo 1 >/sys/module/ksyms_warn/parameters/warn
	echo "$END" >/dev/kmsg
	dmesg | sed -n "/$BEGIN/,/$END/p" >/tmp/warn.txt
	grep -q 'WARNING: .* ksyms_warn_inner+0x[0-9a-f]*/0x[0-9a-f]* \[ksyms_warn\]' /tmp/warn.txt && rc=0
	sed 's/^/# /' /tmp/warn.txt | head -n 8
	rmmod ksyms_warn
fi
if [ $rc -eq 0 ]; then
	echo "ok 1 a WARNING from ksyms_warn is in the kernel log, between the markers"
else
	echo "not ok 1 a WARNING from ksyms_warn is in the kernel log, between the markers"
fi
exit $rc
