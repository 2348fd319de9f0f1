# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154,SC2034,SC2030,SC2031
# The stages of tests/run.sh besides the kernels' VMs: each runs its
# script, keeps its log in $CACHE_DIR/logs and adds its row to the table
# (add_row, stage_begin and the totals are run.sh's); lanes run several in
# the background. Source it from run.sh.

# The host tests as a developer builds them (row host), then tools/ again
# in Release (host-release) and with Debian's package flags (host-debian).
test_host() {
	local config row
	[ -f tests/driver-host/CMakeLists.txt ] || { log "no tests/driver-host/CMakeLists.txt: no host tests"; return 0; }
	for config in default release debian; do
		row=host
		[ "$config" = default ] || row=host-$config
		test_host_config "$config" "$row"
	done
}

test_host_config() {
	local config=$1 row=$2 BUILT PASSED FAILED SKIPPED vars
	stage_begin "$row"
	log "===== host tests ($config) ====="
	vars=$(tests/vm/host-tests.sh "$config")
	eval "$vars"
	[ "$BUILT" -eq 1 ] || ALL_BUILT=0
	TOTAL_PASSED=$((TOTAL_PASSED + PASSED))
	TOTAL_FAILED=$((TOTAL_FAILED + FAILED))
	TOTAL_SKIPPED=$((TOTAL_SKIPPED + SKIPPED))
	add_row "$row" "$([ "$BUILT" -eq 1 ] && echo ok || echo FAIL)" - "$PASSED" "$FAILED" "$SKIPPED" -
}

# KTAP "ok"/"not ok" lines of a host-side check, into a table row.
count_ktap() {
	local name=$1 log=$2 passed failed plans=() planned
	passed=$(grep -c '^ok ' "$log" || true)
	failed=$(grep -c '^not ok ' "$log" || true)
	mapfile -t plans < <(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$log")
	planned=${plans[0]:-}
	# A check that died before its plan, or stopped short of it, has
	# failed, whatever it printed before.
	if [ ${#plans[@]} -ne 1 ]; then
		echo "$name: ${#plans[@]} KTAP plans (1..N lines) in $log, not 1: counted as a failure" >&2
		failed=$((failed + 1))
	elif [ $((passed + failed)) -lt "$planned" ]; then
		echo "$name: planned $planned tests, $((passed + failed)) reported: the rest counted as failures" >&2
		failed=$((planned - passed))
	elif [ $((passed + failed)) -gt "$planned" ]; then
		echo "$name: planned $planned tests, $((passed + failed)) reported: counted as a failure" >&2
		failed=$((failed + 1))
	fi
	TOTAL_PASSED=$((TOTAL_PASSED + passed))
	TOTAL_FAILED=$((TOTAL_FAILED + failed))
	add_row "$name" - - "$passed" "$failed" 0 -
}

# The host benchmark, libksyms' speed goals: bench_symbolize (Google
# Benchmark, built with the host tests) pinned to one core, like for like on
# the same image and addresses: in process against LLVM's symbolizer
# library and a sorted vector, and `ksyms symbolize` end to end against
# llvm-symbolizer and addr2line. It runs on the generated image, where its
# goals are KTAP lines, and first on the benchmark VM's live kernel, saved
# by that VM (this run's, else the last one's for the same kernel build
# and modules: live-image.sh), if there is one. There the tools name
# another of several symbols at one address (aliases, size-0 objects) for
# about 1% of addresses, which the answer goals do not allow for: its
# goals are shown, not counted. Each table says which image it is.
test_bench_host() {
	local log=$CACHE_DIR/logs/bench-host.log live
	[ "$BENCH" -eq 1 ] || return 0
	stage_begin bench-host
	log "===== symbolize benchmark (host) ====="
	mkdir -p "$CACHE_DIR/logs"
	if live=$(tests/vm/live-image.sh find "$BENCH_KERNEL" 2>"$log.why"); then
		run_symbolize "$log.live" "${live%%$'\t'*}" "${live#*$'\t'}"
		SYMBOLIZE_TABLE=$(symbolize_table "$log.live" | sed 's/^\(not \)\{0,1\}ok /# not counted: &/')$'\n\n'
	else
		SYMBOLIZE_TABLE="image: no live kernel's: $(tail -n 1 "$log.why" | sed 's/^\[[^]]*\] //')"$'\n\n'
	fi
	run_symbolize "$log" "" "generated (tests/bench-host/kernel_image.h)"
	grep '^not ok' "$log" >&2 || true
	SYMBOLIZE_TABLE+=$(symbolize_table "$log")
	count_ktap bench-host "$log"
}

# run_symbolize LOG IMAGE LABEL: bench_symbolize on IMAGE (the generated
# one if empty).
run_symbolize() {
	local bin=$CACHE_DIR/tools-build/tests/bench-host/bench_symbolize
	log "image: $3"
	if [ -x "$bin" ]; then
		KSYMS_BENCH_IMAGE=$2 KSYMS_BENCH_IMAGE_LABEL=$3 taskset -c 0 "$bin" >"$1" 2>&1 || true
	else
		printf "1..1\nnot ok 1 bench_symbolize was not built (is libbenchmark-dev installed?)\n" >"$1"
	fi
}

symbolize_table() {
	grep '^image: ' "$1"
	sed -n '/^tool (in process/,/^KTAP/{/^KTAP/d;p}' "$1"
	grep '^\(not \)\{0,1\}ok ' "$1" || true
}

# Source lines from Debian's debug package for the 6.12 kernel, against
# llvm-symbolizer, with the ksyms command the host tests built; on the
# image made from the debug files and on the one the 6.12 VM saved, when
# this run booted it.
test_debuginfo() {
	local log=$CACHE_DIR/logs/debuginfo.log images=() image oops
	[ "$DEBUGINFO" -eq 1 ] || return 0
	stage_begin debuginfo
	log "===== source lines (debug package) ====="
	mkdir -p "$CACHE_DIR/logs"
	if image=$(vm_export_path 6.12 ksyms-saved.elf 2>/dev/null); then
		images+=("$image")
	fi
	# The WARNING ksyms_oops.sh provoked, with the module that warned.
	if oops=$(vm_export_path 6.12 oops.txt 2>/dev/null) &&
		image=$(vm_export_path 6.12 ksyms-oops.elf 2>/dev/null); then
		images=(--oops "$oops" "$image" "$CACHE_DIR/build/6.12/test_modules/ksyms_warn.ko" "${images[@]}")
	fi
	tests/debuginfo.sh "${images[@]}" >"$log" 2>&1 || grep '^not ok' "$log" >&2 || true
	count_ktap debuginfo "$log"
}

test_style() {
	local log=$CACHE_DIR/logs/style.log
	stage_begin style
	log "===== style ====="
	mkdir -p "$CACHE_DIR/logs"
	echo "1..1" >"$log"
	if tests/check-style.sh >"$log.out" 2>&1; then
		echo "ok 1 checkpatch --strict and version tests only in ksyms_compat.h" >>"$log"
	else
		sed 's/^/# /' "$log.out" >&2
		echo "not ok 1 checkpatch --strict and version tests only in ksyms_compat.h" >>"$log"
	fi
	count_ktap style "$log"
}

# Runs a check that prints KTAP as table row ROW (TITLE in the progress
# messages): its output in $CACHE_DIR/logs/ROW.log, its failures and
# comments on stderr.
ktap_stage() {
	local row=$1 title=$2 log=$CACHE_DIR/logs/$1.log
	shift 2
	stage_begin "$row"
	log "===== $title ====="
	mkdir -p "$CACHE_DIR/logs"
	"$@" >"$log" 2>&1 || grep '^not ok\|^#' "$log" >&2 || true
	count_ktap "$row" "$log"
}

test_licences() { ktap_stage licences licences tests/check-licences.sh; }

# How this file counts a check's results (tests/check-harness.sh).
test_harness() { ktap_stage harness "test counting" tests/check-harness.sh; }

test_headers() { ktap_stage headers headers tests/headers-test.sh; }

# ksyms.drgn under sid's drgn, in the sid tree (tests/drgn-test.sh).
test_drgn() {
	ktap_stage drgn "drgn (the Python module as drgn's symbol finder)" tests/drgn-test.sh
}

test_dkms() {
	[ ${#KVERS[@]} -gt 0 ] || return 0
	ktap_stage dkms "dkms (${KVERS[*]})" tests/dkms-test.sh "${KVERS[@]}"
}

# The Debian packages: built, linted, installed into and purged from a
# bookworm tree (tests/deb-test.sh). $DEBS_DONE says they are there for
# the booted system.
DEBS_DONE=$CACHE_DIR/logs/debs.done
test_deb() {
	rm -f "$DEBS_DONE"
	ktap_stage deb "Debian packages" tests/deb-test.sh
	touch "$DEBS_DONE"
}

# The packages on a booted Debian system: install, reboot, kernel upgrade,
# reboot, purge (tests/booted-test.sh), with the packages test_deb built.
# One TCG VM at a time for about a quarter of an hour, most of it module
# builds inside the VM: test_kernels starts it first, as one of its VMs
# (start_booted), and finish_kernel hands it to finish_booted.
start_booted() {
	stage_begin booted
	log "===== Debian packages on a booted system ====="
	mkdir -p "$CACHE_DIR/logs"
	rm -f "$CACHE_DIR/logs/booted.done"
	# booted.done holds the exit status; its being there says it ended
	(rc=0
	 tests/booted-test.sh >"$CACHE_DIR/logs/booted.log" 2>&1 || rc=$?
	 echo "$rc" >"$CACHE_DIR/logs/booted.done") &
	VM_PID[booted]=$!
}

finish_booted() {
	local log=$CACHE_DIR/logs/booted.log
	wait "${VM_PID[booted]}" || true
	unset "VM_PID[booted]"
	[ "$(cat "$CACHE_DIR/logs/booted.done")" = 0 ] || grep '^not ok\|^#' "$log" >&2 || true
	count_ktap booted "$log"
}

# A lane: stages run one after the other in a background subshell, beside
# the VMs or another stage, when they need neither a VM of test_kernels
# nor a kernel tree those change. Their rows and totals come back through
# $CACHE_DIR/logs/lane-NAME.vars, written when the last stage ends (so the
# file also says the lane is done); finish_lane adds them to this shell's.
declare -A LANE_PID=()
lane_vars() { echo "$CACHE_DIR/logs/lane-$1.vars"; }

start_lane() {
	local name=$1 vars
	shift
	vars=$(lane_vars "$name")
	mkdir -p "$CACHE_DIR/logs"
	rm -f "$vars"
	(
		ROW_ORDER=() ROW_OF=() TOTAL_PASSED=0 TOTAL_FAILED=0 TOTAL_SKIPPED=0 ALL_BUILT=1
		for stage in "$@"; do "$stage"; done
		{ declare -p ROW_ORDER ROW_OF | sed 's/^declare -\([aA]\) /declare -\1 LANE_/'
		  echo "LANE_TOTALS=($TOTAL_PASSED $TOTAL_FAILED $TOTAL_SKIPPED $ALL_BUILT)"
		} >"$vars.tmp" && mv "$vars.tmp" "$vars"
	) &
	LANE_PID[$name]=$!
}

lane_running() { [ -n "${LANE_PID[$1]:-}" ] && [ ! -f "$(lane_vars "$1")" ]; }

# A lane that died without its file counts as one failure.
finish_lane() {
	local name=$1 vars row LANE_ROW_ORDER=() LANE_TOTALS=()
	local -A LANE_ROW_OF=()
	[ -n "${LANE_PID[$name]:-}" ] || return 0
	wait "${LANE_PID[$name]}" || true
	unset "LANE_PID[$name]"
	vars=$(lane_vars "$name")
	if [ ! -f "$vars" ]; then
		TOTAL_FAILED=$((TOTAL_FAILED + 1))
		add_row "lane-$name" FAIL - - 1 - -
		return
	fi
	# shellcheck disable=SC1090
	. "$vars"
	for row in "${LANE_ROW_ORDER[@]}"; do
		ROW_ORDER+=("$row")
		ROW_OF["$row"]=${LANE_ROW_OF["$row"]}
	done
	TOTAL_PASSED=$((TOTAL_PASSED + LANE_TOTALS[0]))
	TOTAL_FAILED=$((TOTAL_FAILED + LANE_TOTALS[1]))
	TOTAL_SKIPPED=$((TOTAL_SKIPPED + LANE_TOTALS[2]))
	[ "${LANE_TOTALS[3]}" -eq 1 ] || ALL_BUILT=0
}
