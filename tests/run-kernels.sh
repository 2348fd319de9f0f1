# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154,SC2034
# The kernels' VMs of tests/run.sh: for each kernel series, the module,
# the selftests and the initramfs built, the VM booted in the background
# and its results read when it ends; the order they boot in and how many
# at once; and the debug kernels, built beside them. The tables, totals
# and stage times are run.sh's. Source it from run.sh.

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
