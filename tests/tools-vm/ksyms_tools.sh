#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The ksyms command against the live device, in the test VM (run by /init
# with the selftests; tests/vm/initramfs.sh puts it next to them). KTAP.
# The programs are in ksyms-tools/ next to this script.
cd "$(dirname "$0")/ksyms-tools" || exit 1
echo "TAP version 13"
echo "1..7"
failed=0

result() { # N NAME STATUS
	if [ "$3" -eq 0 ]; then echo "ok $1 $2"; else echo "not ok $1 $2"; failed=1; fi
}

# With BPF programs loaded, as on any systemd machine, and the function
# tracer on (its trampoline): kallsyms lists them after the modules, and
# so must the image.
HOLD="./ksyms_bpf_hold 5"
# Off, kallsyms lists no BPF program (the default without the JIT on).
echo 1 >/proc/sys/net/core/bpf_jit_kallsyms 2>/dev/null
TRACING=/sys/kernel/tracing
[ -e $TRACING/current_tracer ] || mount -t tracefs nodev $TRACING 2>/dev/null
tracer() { # function|nop
	[ -e $TRACING/set_ftrace_filter ] || return 0
	if [ "$1" = function ]; then echo vfs_read >$TRACING/set_ftrace_filter; else echo >$TRACING/set_ftrace_filter; fi
	echo "$1" >$TRACING/current_tracer
}
tracer function
echo "# [__builtin__ftrace] lines with the function tracer on: $(grep -c '	\[__builtin__ftrace\]$' /proc/kallsyms)"
# shellcheck disable=SC2016
$HOLD sh -c 'grep -c "	\[bpf\]$" /proc/kallsyms; ./ksyms verify' >/tmp/ksyms-verify.out 2>&1
rc=$?
sed 's/^/# /' /tmp/ksyms-verify.out | tail -n 20
bpf_lines=$(head -n 1 /tmp/ksyms-verify.out)
echo "# [bpf] lines while verifying: $bpf_lines"
[ "${bpf_lines:-0}" -ge 5 ] 2>/dev/null || rc=1
result 1 "ksyms verify: /dev/ksyms agrees with /proc/kallsyms, BPF programs loaded" $rc

./ksyms_vm_check 10000
result 2 "symbolize: 10000 random addresses as /proc/kallsyms names them" $?

# A saved image reads back as the device did (no module changes meanwhile).
rc=1
if ./ksyms save /tmp/ksyms-saved.elf &&
	./ksyms dump >/tmp/ksyms-device.nm &&
	./ksyms --file /tmp/ksyms-saved.elf dump >/tmp/ksyms-saved.nm; then
	cmp /tmp/ksyms-device.nm /tmp/ksyms-saved.nm && rc=0
	echo "# $(wc -l </tmp/ksyms-saved.nm) symbols dumped from each"
fi
result 3 "ksyms save: the saved image dumps as the device does" $rc

# --format=kallsyms is /proc/kallsyms byte for byte, BPF programs loaded,
# from the device and from a saved image.  The test modules are loaded
# first, so that the order of several modules (kallsyms lists the newest
# first) is part of it; with the function tracer on, ftrace keeps their
# freed __init functions, which kallsyms lists after the modules under
# each module's name.
loaded=
for ko in $(cat "${KSYMS_TEST_MODULES:-/nonexistent}" 2>/dev/null); do
	name=$(basename "$ko" .ko | tr - _)
	grep -q "^$name " /proc/modules && continue
	insmod "$ko" && loaded="$loaded $name"
done
echo "# modules loaded for this:${loaded:- none}"
rc=1
# shellcheck disable=SC2016
if $HOLD sh -c 'cat /proc/kallsyms >/tmp/kallsyms.txt &&
	./ksyms dump --format=kallsyms >/tmp/ksyms-kallsyms.txt &&
	./ksyms save /tmp/ksyms-saved-modules.elf'; then
	if cmp /tmp/kallsyms.txt /tmp/ksyms-kallsyms.txt; then
		rc=0
		echo "# $(wc -l </tmp/kallsyms.txt) lines identical, $(grep -c '	\[bpf\]$' /tmp/kallsyms.txt) of them [bpf], $(grep -c '	\[__builtin__ftrace\]$' /tmp/kallsyms.txt) [__builtin__ftrace]"
	else
		diff /tmp/kallsyms.txt /tmp/ksyms-kallsyms.txt | head -n 10 | sed 's/^/# /'
	fi
	grep -q '	\[bpf\]$' /tmp/kallsyms.txt || { echo "# no [bpf] line"; rc=1; }
fi
result 4 "dump --format=kallsyms: byte-identical to /proc/kallsyms, BPF programs loaded" $rc
rc=1
./ksyms --file /tmp/ksyms-saved-modules.elf dump --format=kallsyms >/tmp/ksyms-saved-kallsyms.txt &&
	cmp /tmp/kallsyms.txt /tmp/ksyms-saved-kallsyms.txt && rc=0
result 5 "dump --format=kallsyms of a saved image: the same" $rc
# For the checks on the host after the VM (tests/vm/lib.sh,
# vm_export_path): the image with the test modules and BPF programs, the
# kallsyms it was saved with, the modules. Debian's debug package has the
# test modules' debug files, so source lines are checked in them too.
if [ -s /tmp/ksyms-saved-modules.elf ] && [ -d "${KSYMS_EXPORT_DIR:-}" ]; then
	release=$(uname -r)
	cp /tmp/ksyms-saved-modules.elf "$KSYMS_EXPORT_DIR/ksyms-saved-$release.elf"
	cp /tmp/kallsyms.txt "$KSYMS_EXPORT_DIR/kallsyms-$release.txt"
	cp /proc/modules "$KSYMS_EXPORT_DIR/modules-$release.txt"
fi
tracer nop
for name in $loaded; do
	rmmod "$name"
done

# --json, parsed back with nlohmann-json by the checker, against kallsyms.
./ksyms_json_check ./ksyms 10000
result 6 "symbolize --json: 10000 random addresses as /proc/kallsyms names them" $?

# Bytes inside JIT-ed BPF programs, as the kernel's %pS names them (the
# kernel itself gives each program's address and JIT-ed length), with
# kallsyms' module name for them.
$HOLD ./ksyms_json_check --bpf ./ksyms
result 7 "symbolize: BPF programs' bytes as bpf_prog_<tag>_<name>+off/len [bpf], in text and JSON" $?

exit $failed
