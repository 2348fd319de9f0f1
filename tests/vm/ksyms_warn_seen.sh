#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A real WARNING in the VMs that do not decode one (ksyms_oops.sh does, in
# the tools VMs), provoked by ksyms_warn_provoke.sh between the markers the
# host's kernel log check knows. That check (tests/vm/parse-results.sh)
# leaves out what is between them but counts a report if it matches
# nothing there: a kernel that prints nothing for WARN() (tinyconfig turns
# CONFIG_BUG off), or patterns that no longer match what it prints, would
# otherwise give clean logs every run. KTAP.
# Run after the selftests: a WARNING taints the kernel.
echo "TAP version 13"
echo "1..1"
rc=0
/ksyms/test_modules/ksyms_warn_provoke.sh /tmp/warn.txt || rc=1
sed 's/^/# /' /tmp/warn.txt | head -n 8
rmmod ksyms_warn 2>/dev/null
if [ $rc -eq 0 ]; then
	echo "ok 1 a WARNING from ksyms_warn is in the kernel log, between the markers"
else
	echo "not ok 1 a WARNING from ksyms_warn is in the kernel log, between the markers"
fi
exit $rc
