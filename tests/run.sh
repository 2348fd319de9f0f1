#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: tests/run.sh [--kernels "5.10 6.1 ..."] [--bench|--no-bench] [--no-bench-vm] [--quick]
#                    [--debuginfo|--no-debuginfo] [--booted|--no-booted]
#
#   --kernels LIST   the kernel series to boot (default: all of them)
#   --bench          also run the benchmarks: the in-VM one (ksyms_bench on
#                    the 6.12 generic kernel with many modules loaded) and
#                    the host one (bench_symbolize: libksyms against
#                    LLVM's symbolizer and addr2line). On by default, off
#                    with --kernels or --quick unless asked for.
#   --no-bench-vm    not the in-VM one: --kernels "" --bench --no-bench-vm
#                    boots no VM and runs the host benchmark
#   --quick          one kernel (6.12), no benchmarks
#   --debuginfo      source lines against llvm-symbolizer on Debian's debug
#                    package of the 6.12 kernel (tests/debuginfo.sh: a
#                    318 MB download, 1.8 GB unpacked, once per version).
#                    On by default, off with --kernels or --quick unless
#                    asked for
#   --booted         the packages on a booted Debian bookworm VM: install,
#                    reboot, kernel upgrade, reboot, purge
#                    (tests/booted-test.sh). On by default, off with
#                    --kernels or --quick unless asked for
#
# The test command. For each kernel series: fetch the Debian kernel, build
# ksyms.ko against it (W=1 and sparse: any warning fails), boot it under QEMU
# with the selftests, collect the results and scan the kernel log. The VMs
# run side by side, one per CPU (each is one TCG thread), beside a lane of
# host stages: the Debian packages (built, linted, installed and purged in
# a bookworm tree), the host tests, the style gates (checkpatch --strict,
# compat header), licences, the test counting and the installed headers.
# The packages also go onto a booted bookworm VM, the first of the VMs.
# Beside the last VM, the DKMS cycle against every kernel's headers
# (boot-time loading included) and the Python module under drgn (in a
# Debian sid tree). Then, alone on the machine, what measures speed:
# source lines against llvm-symbolizer and the benchmarks.
# Ends with a table (with the time each stage took) and the line
# "N passed, N failed[, N skipped]".
# Exit 0 only if everything built, nothing failed or skipped, and every
# kernel log was clean. Logs and builds: $CACHE_DIR/ (see tests/vm/*.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's login shells point debuginfod clients at a server outside this
# machine; ksyms symbolize would ask it for the test images' build IDs.
# tests/debuginfo.sh sets its own, on loopback.
unset DEBUGINFOD_URLS
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh
# shellcheck source=tests/run-stages.sh
. tests/run-stages.sh
# shellcheck source=tests/run-kernels.sh
. tests/run-kernels.sh

KERNELS="5.10 6.1 6.12 6.12-generic 6.12-rt 7.2 7.3-rc 6.12-arm64 6.12-debug 6.12-debug-rt"
BENCH=1
BENCH_VM=1               # 0: --bench leaves out the in-VM benchmark
BENCH_KERNEL=6.12-generic
DEBUGINFO=1              # tests/debuginfo.sh
BOOTED=1                 # tests/booted-test.sh
PERF_KERNEL=6.12         # its VM also profiles with Debian's perf (tests/tools-vm/ksyms_perf.sh)
# The kernels whose VMs also run the programs that read the device: the
# binutils and elfutils readers (ksyms_readers.sh) and, on x86_64, the
# ksyms command, the Python module and the oops decoder (ksyms_tools.sh
# and the rest). The oldest, the main and the newest kernel, and the other
# architecture: the image's format is the driver's everywhere, what it
# holds changes with the kernel. Every other VM runs the driver's own
# selftests, which read the device the way these programs do, in a third
# of the time.
CLIENT_KERNELS="5.10 6.12 7.3-rc 6.12-arm64"
runs_clients() { case " $CLIENT_KERNELS " in *" $1 "*) return 0 ;; esac; return 1; }
declare -A ROW_OF=()     # table lines by row name
ROW_ORDER=()             # row names, kernels in the order asked for
declare -A STAGE_START=() # row name -> $SECONDS when its stage began
TOTAL_PASSED=0 TOTAL_FAILED=0 TOTAL_SKIPPED=0 ALL_BUILT=1 ALL_CLEAN=1
declare -A SELFTESTS=()  # KARCH -> the selftests built for it
KVERS=()                 # KVER or KVER@TREE fetched, for the DKMS test
declare -A SUITES_OF=()  # kernel -> the safety-net suites' own counts
BENCH_TABLE=             # the in-VM benchmark's table
SYMBOLIZE_TABLE=         # bench_symbolize's summary
TOOLS_VM=                # the ksyms command for x86_64 VMs (build-tools.sh)
SETUP_TIME=              # how long installing packages took
declare -A VM_PID=() VM_NWARN=() VM_MODE=() VM_TOOLS=() # VMs running in the background
declare -A PREPARED=() VM_VMLINUZ=() VM_INITRD=() VM_KARCH=() VM_CMDLINE=() # and built to boot
declare -A BUILT_KO=()   # kernel series -> the ksyms.ko this run built for it

usage() { sed -n '3,24s/^# \{0,1\}//p' "$0"; exit "${1:-0}"; }

parse_args() {
	local bench='' debuginfo='' booted=''
	while [ $# -gt 0 ]; do
		case $1 in
		--kernels)  [ $# -ge 2 ] || usage 2 >&2; KERNELS=$2; BENCH=0; DEBUGINFO=0; BOOTED=0; shift ;;
		--quick)    KERNELS=6.12; BENCH=0; DEBUGINFO=0; BOOTED=0 ;;
		--debuginfo) debuginfo=1 ;;
		--no-debuginfo) debuginfo=0 ;;
		--booted)   booted=1 ;;
		--no-booted) booted=0 ;;
		--bench)    bench=1 ;;
		--no-bench) bench=0 ;;
		--no-bench-vm) BENCH_VM=0 ;;
		-h|--help)  usage ;;
		*)          log "unknown option: $1"; usage 2 >&2 ;;
		esac
		shift
	done
	BENCH=${bench:-$BENCH}
	DEBUGINFO=${debuginfo:-$DEBUGINFO}
	BOOTED=${booted:-$BOOTED}
}

# m:ss since the stage of row $1 began.
stage_time() {
	local t=$((SECONDS - ${STAGE_START[$1]:-$SECONDS}))
	printf '%d:%02d' $((t / 60)) $((t % 60))
}

stage_begin() { STAGE_START[$1]=$SECONDS; }

# add_row NAME BUILD WARNINGS PASSED FAILED SKIPPED KERNEL-LOG
add_row() {
	case " ${ROW_ORDER[*]} " in *" $1 "*) ;; *) ROW_ORDER+=("$1") ;; esac
	ROW_OF[$1]=$(printf '%-13s %-7s %-13s %-7s %-7s %-8s %-10s %s' "$@" "$(stage_time "$1")")
}

# A kernel that did not get as far as booting counts as one failure.
kernel_not_run() {
	local series=$1 build=$2 warnings=$3
	ALL_BUILT=0
	TOTAL_FAILED=$((TOTAL_FAILED + 1))
	add_row "$series" "$build" "$warnings" - 1 - -
}

# Prints the W=1 warnings about our code on stderr, their number on stdout.
show_warnings() {
	local n
	[ -f "$1" ] || { echo -; return; }
	n=$(wc -l <"$1")
	if [ "$n" -gt 0 ]; then
		log "W=1 warnings:"
		sed 's/^/  /' "$1" >&2
	fi
	echo "$n"
}

# "# ksyms-suite NAME ops=N ok=N ERRNO=N ... other=N" lines the safety-net
# programs print, as table rows.
collect_suites() {
	local series=$1 log=$2 kreports=$3 line
	while IFS= read -r line; do
		SUITES_OF[$series]+="$(printf '%-13s %s kernel-log=%s' "$series" "${line#ksyms-suite }" "$kreports")"$'\n'
	done < <(grep -o 'ksyms-suite .*' "$log" | tr -d '\r' || true)
}

print_summary() {
	local row totals="$TOTAL_PASSED passed, $TOTAL_FAILED failed"
	echo
	printf '%-13s %-7s %-13s %-7s %-7s %-8s %-10s %s\n' \
		stage build "W=1 warnings" passed failed skipped kernel-log time
	for row in "${ROW_ORDER[@]}"; do echo "${ROW_OF[$row]}"; done
	printf '%-13s %s\n' setup "$SETUP_TIME" total "$(stage_time total)"
	if [ ${#SUITES_OF[@]} -gt 0 ]; then
		echo
		printf '%-13s %s\n' kernel "suite, operations, outcomes by errno (other = failures), kernel-log reports"
		for row in "${ROW_ORDER[@]}"; do printf '%s' "${SUITES_OF[$row]:-}"; done
	fi
	if [ -n "$BENCH_TABLE" ]; then
		echo
		echo "$BENCH_TABLE"
	fi
	if [ -n "$SYMBOLIZE_TABLE" ]; then
		echo
		echo "$SYMBOLIZE_TABLE"
	fi
	echo
	[ "$TOTAL_SKIPPED" -eq 0 ] || totals+=", $TOTAL_SKIPPED skipped"
	echo "$totals"
}

main() {
	parse_args "$@"
	stage_begin total
	stage_begin setup
	tests/setup-host.sh
	prebuild_debug_kernel
	SETUP_TIME=$(stage_time setup)
	# Before the host lane, whose host tests build in the same directory.
	tools_for x86_64
	# The packages first: the booted-system VM installs them.
	rm -f "$DEBS_DONE"
	start_lane host test_deb test_host test_style test_licences test_harness test_headers
	test_kernels
	# Every kernel fetched (the DKMS stage's list) and the host tests'
	# build done (drgn's): DKMS and drgn beside the last VM.
	wait_for_vms "$(nproc)"
	finish_lane host
	start_lane dkms test_dkms test_drgn
	finish_vms
	finish_lane dkms
	# Last, alone on the machine: what measures speed.
	test_debuginfo
	test_bench_vm
	test_bench_host
	print_summary
	[ "$ALL_BUILT" -eq 1 ] && [ "$TOTAL_FAILED" -eq 0 ] &&
		[ "$TOTAL_SKIPPED" -eq 0 ] && [ "$ALL_CLEAN" -eq 1 ]
}

main "$@"
