#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Debian's perf against the ksyms command, in the test VM (run by /init
# after the selftests; tests/vm/initramfs.sh puts it and perf there). KTAP.
#
# One profile, read three ways: perf report with /proc/kallsyms' text, with
# `ksyms dump --format=kallsyms` as --kallsyms, and with a saved image as
# --vmlinux. The workload is the ksyms_perf_work test module: its time
# is split between a function of its own and memchr_inv() in vmlinux, the
# same on every kernel, with nothing but a sysfs write to drive it. The
# samples are cpu-clock's (an hrtimer: QEMU's TCG has no PMU), kernel only.
cd "$(dirname "$0")/ksyms-tools" || exit 1
echo "TAP version 13"
echo "1..3"
failed=0
TOP=20
WORK_KO=${KSYMS_PERF_WORK_KO:-/ksyms/test_modules/ksyms_perf_work.ko}
ROUNDS=/sys/module/ksyms_perf_work/parameters/rounds
DATA=/tmp/perf.data
WORK=${KSYMS_PERF_ROUNDS:-40000}

result() { # N NAME STATUS
	if [ "$3" -eq 0 ]; then echo "ok $1 $2"; else echo "not ok $1 $2"; failed=1; fi
}

# The TOP heaviest (symbol, module) lines of the profile, read with perf's
# options "$@".
top_symbols() {
	perf report -i $DATA --stdio --quiet --sort sym,dso "$@" 2>/tmp/perf-report.err |
		grep -v '^$' | head -n $TOP
}

show() { sed 's/^/# /' "$@"; }

start=$(date +%s)
rc=1
if insmod "$WORK_KO" && ./ksyms dump --format=kallsyms >/tmp/perf.kallsyms &&
	./ksyms save /tmp/perf-saved.elf &&
	perf record -N -q -e cpu-clock:k -o $DATA -- sh -c "echo $WORK >$ROUNDS" 2>/tmp/perf-record.err &&
	cat /proc/kallsyms >/tmp/perf-live.kallsyms; then
	# A copy: given /proc/kallsyms itself, perf also maps /proc/kcore
	# beside it, and then counts the module's code as [kernel.kallsyms].
	top_symbols --kallsyms /tmp/perf-live.kallsyms >/tmp/perf-live.top
	echo "# perf report with /proc/kallsyms' text, the $TOP heaviest kernel symbols:"
	show /tmp/perf-live.top
	# The workload's two halves must both be there, or the check proves little.
	grep -q 'ksyms_perf_work_checksum.* \[ksyms_perf_work\]' /tmp/perf-live.top &&
		grep -q ' memchr_inv .*\[kernel.kallsyms\]' /tmp/perf-live.top && rc=0
	echo "# $(perf script -i $DATA -F ip 2>/dev/null | wc -l) samples"
	[ $rc -eq 0 ] || echo "# the module's and vmlinux's functions are not both in the profile"
else
	show /tmp/perf-record.err
fi
result 1 "perf record: a profile split between a module and vmlinux" $rc

rc=1
if [ -s /tmp/perf-live.top ]; then
	top_symbols --kallsyms /tmp/perf.kallsyms >/tmp/perf-ksyms.top
	if cmp -s /tmp/perf-live.top /tmp/perf-ksyms.top; then
		rc=0
	else
		diff /tmp/perf-live.top /tmp/perf-ksyms.top | show
		show /tmp/perf-report.err
	fi
fi
result 2 "perf report --kallsyms with ksyms dump --format=kallsyms: the same top $TOP" $rc

# A saved image is not a vmlinux perf can map: its typed sections all read
# one run of zeros, so perf, which places a symbol at st_value - (sh_addr -
# sh_offset) of its section and maps the kernel by its first .text section
# alone, puts the symbols of every section on top of each other (and perf
# takes no module's symbols from a --vmlinux file: those come from .ko
# files). The README says so; this checks that it still holds: perf takes
# the image (it moves the kernel's map to the image's first .text section,
# which leaves most of vmlinux's samples in no map: [unknown]; a file it
# rejects leaves them in [kernel.kallsyms]), and the profile is wrong.
rc=1
if [ -s /tmp/perf-live.top ]; then
	top_symbols --vmlinux /tmp/perf-saved.elf >/tmp/perf-vmlinux.top
	echo "# perf report --vmlinux with a saved image:"
	show /tmp/perf-vmlinux.top
	grep -q ' \[unknown\] *$' /tmp/perf-vmlinux.top &&
		! cmp -s /tmp/perf-live.top /tmp/perf-vmlinux.top && rc=0
fi
result 3 "perf report --vmlinux with a saved image: a wrong profile, as the README warns" $rc

rmmod ksyms_perf_work 2>/dev/null
echo "# $(($(date +%s) - start)) s"
exit $failed
