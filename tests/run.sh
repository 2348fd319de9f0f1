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

# Built once per architecture: the static test binaries run on every
# kernel. Without them the kernels still boot (insmod, rmmod and the kernel
# log are still checked).
selftests_for() {
	local karch=$1 dir
	if [ -z "${SELFTESTS[$karch]:-}" ]; then
		if ! dir=$(tests/vm/build-selftests.sh "$karch"); then
			ALL_BUILT=0
			TOTAL_FAILED=$((TOTAL_FAILED + 1))
			add_row "selftest-$karch" FAIL - - 1 - -
			dir=$CACHE_DIR/build/no-selftests
			rm -rf "$dir" && mkdir -p "$dir"
		fi
		SELFTESTS[$karch]=$dir
	fi
}

# The ksyms command and its checks join the selftests in x86_64 VMs; built
# once. A failed build is one failure and the VMs run without them.
tools_for() {
	[ "$1" = x86_64 ] || return 0
	[ -z "$TOOLS_VM" ] || return 0
	if ! TOOLS_VM=$(tests/vm/build-tools.sh); then
		TOOLS_VM=none
		TOTAL_FAILED=$((TOTAL_FAILED + 1))
		add_row tools-vm FAIL - - 1 - -
	fi
}

# A kernel built with the x32 ABI runs the x32 selftests; Debian's has it
# off until syscall.x32=y.
x32_cmdline() {
	local vmlinuz=$1 kdir=$2 kver=$3 config
	for config in "$(dirname "$vmlinuz")/config-$kver" "$kdir/.config"; do
		[ -f "$config" ] || continue
		grep -qx 'CONFIG_X86_X32_ABI=y' "$config" && echo "ksyms_x32=1 syscall.x32=y"
		return 0
	done
}

# Fetches kernel SERIES, builds the module and the initramfs for table row
# ROW (prepare_kernel), and starts its VM in the background (launch_kernel);
# finish_kernel reads the results when it ends. MODE is /init's: tests,
# safety (the debug kernel, which is ours and not a kernel DKMS users run:
# the stress and fault-injection suites too) or bench.
start_kernel() {
	prepare_kernel "$@"
	[ "${PREPARED[$1]}" != ok ] || launch_kernel "$1"
}

# Sets PREPARED[ROW] to ok, or to failed after counting the failure.
prepare_kernel() {
	local row=$1 series=$2 mode=$3 KVER VMLINUZ MODDIR ROOT KDIR KARCH ko initrd nwarn
	local sysroot='' bench='' tools='' clients=0 vars
	PREPARED[$row]=failed
	stage_begin "$row"
	log "===== kernel $row ====="
	case $series in 6.12-debug*) debug_kernel_ready "$series" || wait_debug_kernel ;; esac
	vars=$(tests/vm/kernel.sh "$series") || { kernel_not_run "$row" FAIL -; return; }
	eval "$vars"
	log "kernel $row is $KVER"
	# DKMS users' kernels: Debian's, not the debug kernels built here
	case $mode:$series in
	tests:6.12-debug*) ;;
	tests:*) if [ "$ROOT" = / ]; then KVERS+=("$KVER"); else KVERS+=("$KVER@$ROOT"); fi ;;
	esac
	# The benchmark's kernel is one whose row built ksyms.ko earlier in the
	# run: the same sources for the same kernel, so the same module.
	if [ "$mode" = bench ] && [ -n "${BUILT_KO[$series]:-}" ]; then
		ko=${BUILT_KO[$series]}
		log "ksyms.ko for $series: built earlier in this run"
	else
		ko=$(tests/vm/build-module.sh "$series" "$KDIR" "$ROOT" "$KARCH") || ko=
	fi
	[ -z "$ko" ] || BUILT_KO[$series]=$ko
	nwarn=$(show_warnings "$CACHE_DIR/build/$series/warnings.txt")
	[ -n "$ko" ] || { kernel_not_run "$row" FAIL "$nwarn"; return; }
	selftests_for "$KARCH"
	tools_for "$KARCH"
	# Another architecture's VM gets that architecture's programs.
	if [ "$KARCH" != x86_64 ]; then
		sysroot=$(tests/vm/tree.sh "$KARCH") || { kernel_not_run "$row" ok "$nwarn"; return; }
	fi
	if [ "$mode" = bench ]; then
		bench=$(tests/vm/build-bench.sh "$series" "$KDIR" "$MODDIR") ||
			{ kernel_not_run "$row" ok "$nwarn"; return; }
	fi
	! runs_clients "$row" || clients=1
	# the benchmark VM saves its live kernel with the ksyms command
	if [ "$clients" = 1 ] || [ "$mode" = bench ]; then
		[ "$KARCH" != x86_64 ] || [ "$TOOLS_VM" = none ] || tools=$TOOLS_VM
	fi
	initrd=$(KSYMS_BENCH_DIR=$bench KSYMS_TOOLS_DIR=$tools KSYMS_READERS=$clients KSYMS_PERF=$([ "$row" != "$PERF_KERNEL" ] || echo 1) tests/vm/initramfs.sh "$row" "$MODDIR" "$ko" "${SELFTESTS[$KARCH]}" ${sysroot:+"$sysroot"}) ||
		{ kernel_not_run "$row" ok "$nwarn"; return; }
	VM_VMLINUZ[$row]=$VMLINUZ VM_INITRD[$row]=$initrd VM_KARCH[$row]=$KARCH
	VM_CMDLINE[$row]=$(x32_cmdline "$VMLINUZ" "$KDIR" "$KVER")
	VM_NWARN[$row]=$nwarn VM_MODE[$row]=$mode VM_TOOLS[$row]=$tools
	PREPARED[$row]=ok
}

launch_kernel() {
	local row=$1 logs=$CACHE_DIR/logs/$1 mode=${VM_MODE[$1]}
	mkdir -p "$CACHE_DIR/logs"
	rm -f "$logs.done"
	# The debug kernel is several times slower, and runs more.
	(KSYMS_VM_TIMEOUT=$([ "$mode" = tests ] && echo "${KSYMS_VM_TIMEOUT:-900}" || echo 2700) \
	 KSYMS_VM_CMDLINE=${VM_CMDLINE[$row]} \
		tests/vm/boot.sh "${VM_VMLINUZ[$row]}" "${VM_INITRD[$row]}" "$logs" "$mode" "${VM_KARCH[$row]}" || true # parse tells
	 touch "$logs.done") &
	VM_PID[$row]=$!
}

finish_kernel() {
	[ "$1" != booted ] || { finish_booted; return; }
	local row=$1 logs=$CACHE_DIR/logs/$1 nwarn=${VM_NWARN[$1]} PASSED FAILED SKIPPED KREPORTS vars
	wait "${VM_PID[$row]}" || true
	unset "VM_PID[$row]"
	log "results of $row ($logs.log, console $logs.console.log):"
	vars=$(tests/vm/parse-results.sh "$logs.log" "$logs.console.log")
	eval "$vars"
	TOTAL_PASSED=$((TOTAL_PASSED + PASSED))
	# The driver must build without a single W=1 or sparse warning.
	TOTAL_FAILED=$((TOTAL_FAILED + FAILED + KREPORTS + nwarn))
	TOTAL_SKIPPED=$((TOTAL_SKIPPED + SKIPPED))
	[ "$KREPORTS" -eq 0 ] || ALL_CLEAN=0
	add_row "$row" ok "$nwarn" "$PASSED" "$FAILED" "$SKIPPED" "$KREPORTS"
	collect_suites "$row" "$logs.log" "$KREPORTS"
	[ "${VM_MODE[$row]}" != bench ] || BENCH_TABLE=$(tr -d '\r' <"$logs.log" | sed -n 's/^# # \(ksyms-bench \|[|]\)/\1/p')
	check_export "$row"
	[ "${VM_MODE[$row]}" != bench ] || tests/vm/live-image.sh store "$row" "$BENCH_KERNEL" >/dev/null || true
}

# Row ROW/host: the image the VM saved (the tools check's; in the
# benchmark VM its live kernel's), exported, read on the host by the same
# ksyms command.
check_export() {
	local row=$1 log=$CACHE_DIR/logs/$1.export-check.log image=ksyms-saved.elf
	[ -n "${VM_TOOLS[$row]}" ] || return 0
	[ "${VM_MODE[$row]}" != bench ] || image=ksyms-live.elf
	tests/vm/export-check.sh "$row" "${VM_TOOLS[$row]}/ksyms" "$image" >"$log" 2>&1 || true
	! grep -q '^not ok' "$log" || sed 's/^/  /' "$log" >&2
	count_ktap "$row/host" "$log"
}

# Finishes the VMs that have ended.
reap_vms() {
	local row
	for row in "${!VM_PID[@]}"; do
		[ ! -f "$CACHE_DIR/logs/$row.done" ] || finish_kernel "$row"
	done
	return 0
}

# Finishes the VMs that have ended; returns when fewer than LIMIT run.
wait_for_vms() {
	while reap_vms; [ ${#VM_PID[@]} -ge "$1" ]; do sleep 2; done
}

# One VM per CPU, one fewer while the debug kernels build, one fewer while
# the host lane runs: a TCG VM that shares its CPU slows down by more than
# half (timer interrupts catch up, the selftests' timeouts near).
vm_slots() {
	local n
	n=$(nproc)
	debug_build_done || n=$((n - 1))
	! lane_running host || n=$((n - 1))
	echo $((n > 0 ? n : 1))
}

# The booted system installs the packages the host lane builds first; it
# also starts if the lane ended without them, to report that.
booted_ready() { [ -f "$DEBS_DONE" ] || ! lane_running host; }

# The stress and fault-injection suites run on the debug kernel. On the
# RT debug kernel the selftests give lockdep the same lock orders with
# spinlock_t sleeping; the suites' six minutes of TCG there would find
# nothing the selftests and the non-RT run do not.
vm_mode() {
	case $1 in
	6.12-debug) echo safety ;;
	*)          echo tests ;;
	esac
}

# The longest runs go first, so that the others fill the other CPU around
# them: the booted system (when the packages were built), the debug
# kernels when they are ready, the kernels whose VMs run the client
# programs too, then the rest. While every slot is taken, the next kernel
# is fetched and built, so that it boots as soon as one frees. Returns
# when the last has started; finish_vms waits for them.
test_kernels() {
	local pending=() clients=() rest=() row ready next ahead
	[ "$BOOTED" -eq 0 ] || pending+=(booted)
	for row in $KERNELS; do
		case $row in 6.12-debug*) pending+=("$row"); continue ;; esac
		if runs_clients "$row"; then clients+=("$row"); else rest+=("$row"); fi
	done
	pending+=("${clients[@]}" "${rest[@]}")
	while [ ${#pending[@]} -gt 0 ]; do
		reap_vms
		ready='' next='' ahead=0
		for row in "${pending[@]}"; do
			[ "${PREPARED[$row]:-}" != ok ] || ahead=1
			case $row in
			6.12-debug*) debug_kernel_ready "$row" || continue ;;
			booted)      booted_ready || continue ;;
			esac
			[ -n "$ready" ] || ready=$row
			if [ -z "$next" ] && [ "$row" != booted ] && [ -z "${PREPARED[$row]:-}" ]; then
				next=$row
			fi
		done
		if [ ${#VM_PID[@]} -ge "$(vm_slots)" ] || [ -z "$ready" ]; then
			# one kernel ready ahead at most: builds share the CPUs with the VMs
			if [ -n "$next" ] && [ "$ahead" -eq 0 ]; then
				prepare_kernel "$next" "$next" "$(vm_mode "$next")"
			else
				sleep 2
			fi
			continue
		fi
		if [ "$ready" = booted ]; then
			start_booted
		else
			[ -n "${PREPARED[$ready]:-}" ] || prepare_kernel "$ready" "$ready" "$(vm_mode "$ready")"
			[ "${PREPARED[$ready]}" != ok ] || launch_kernel "$ready"
		fi
		for row in "${!pending[@]}"; do [ "${pending[$row]}" != "$ready" ] || unset "pending[$row]"; done
		pending=("${pending[@]}")
	done
}

finish_vms() { wait_for_vms 1; }

# The in-VM benchmark, alone on the machine.
test_bench_vm() {
	[ "$BENCH" -eq 1 ] && [ "$BENCH_VM" -eq 1 ] || return 0
	start_kernel bench-vm "$BENCH_KERNEL" bench
	wait_for_vms 1
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

# The debug kernels take minutes to build and the VMs use one CPU each
# (TCG, one thread): build them on one CPU, at low priority, one after the
# other, while the first kernels are tested on the other. kernel.sh then
# finds them built.
DEBUG_BUILD_PID=
DEBUG_BUILD_DONE=$CACHE_DIR/logs/debug-kernel.done
prebuild_debug_kernel() {
	local debug=() series
	for series in $KERNELS; do
		case $series in 6.12-debug*)
			tests/vm/debug-kernel.sh --check "$series" || debug+=("$series") ;;
		esac
	done
	[ ${#debug[@]} -gt 0 ] || return 0
	# alone, it is built in the foreground on every CPU
	[ "$(wc -w <<<"$KERNELS")" -gt 1 ] || return 0
	mkdir -p "$CACHE_DIR/logs"
	rm -f "$DEBUG_BUILD_DONE" "$DEBUG_BUILD_DONE".*
	log "building ${debug[*]} in the background ($CACHE_DIR/logs/debug-kernel.log)"
	(for series in "${debug[@]}"; do
		KSYMS_DEBUG_JOBS=1 nice -n 10 tests/vm/debug-kernel.sh "$series" || break
		touch "$DEBUG_BUILD_DONE.$series"
	done
	touch "$DEBUG_BUILD_DONE") >"$CACHE_DIR/logs/debug-kernel.log" 2>&1 &
	DEBUG_BUILD_PID=$!
}

debug_build_done() { [ -z "$DEBUG_BUILD_PID" ] || [ -f "$DEBUG_BUILD_DONE" ]; }

# A debug kernel boots once its own build has ended, while the next one
# builds: the first is the longest VM of the run.
debug_kernel_ready() { debug_build_done || [ -f "$DEBUG_BUILD_DONE.$1" ]; }

# A failed background build leaves kernel.sh to build it in the foreground.
wait_debug_kernel() {
	[ -n "$DEBUG_BUILD_PID" ] || return 0
	log "waiting for the debug kernel build"
	wait "$DEBUG_BUILD_PID" || true
	DEBUG_BUILD_PID=
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
