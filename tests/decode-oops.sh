#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: tests/decode-oops.sh DEBUG OOPS IMAGE WARN_KO
#
# `ksyms decode` against the kernel's own scripts/decode_stacktrace.sh
# (from linux-source-6.12), on a real WARNING: OOPS, the kernel log the
# 6.12 VM's ksyms_oops.sh exported, IMAGE the image it saved with the
# module loaded, WARN_KO the ksyms_warn.ko that VM loaded (with its DWARF),
# DEBUG Debian's /usr/lib/debug tree for that kernel (tests/vm/debuginfo.sh).
#  - the same frames and lines: every line of both outputs equal once
#    timestamps, raw addresses, spacing, addr2line's "(discriminator N)"
#    (ksyms prints none) and the brackets of "[module]" (the script drops
#    them) are set aside; and the decoded
#    frames must include the module's, with its inlined WARN;
#  - at least 10 times faster: both decode the log ROUNDS (3) times, taking
#    turns, and the medians of their wall-clock times are compared.
# KTAP.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=tests/lib/ktap.sh
. tests/lib/ktap.sh
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh

KSYMS=${KSYMS:-$CACHE_DIR/tools-build/ksyms}
ROUNDS=${KSYMS_DECODE_ROUNDS:-3}

# What neither decoder should be judged on: the timestamp (the script
# re-pads it), the raw addresses it drops, spacing, discriminators, and
# the brackets around a module's name, which the script drops and ksyms
# keeps as the kernel printed them.
normalize() {
	sed -E 's/^\[ *[0-9]+\.[0-9]+\] *//; s/ \(discriminator [0-9]+\)//g;
		s/\[<[0-9a-f]+>\] ?//g; s/[[:space:]]+/ /g; s/^ //; s/ $//;
		s/ \[([A-Za-z0-9_]+)( [0-9a-f]+)?\]$/ \1/' "$1"
}

# The log as both take it: without Code: lines (decode_stacktrace.sh
# disassembles them with scripts/decodecode; ksyms copies them) and without
# the "PID: N Comm:" line (with debuginfod-find installed the script reads
# a build ID there and prints nothing for it).
decoder_input() {
	grep -v -e 'Code:' -e 'PID: [0-9]* Comm:' "$OOPS"
}

run_ksyms() {
	"$KSYMS" --file "$IMAGE" decode --debuginfo "$DEBUG" --debuginfo "$WORK/debug" \
		<"$WORK/in" >"$WORK/ksyms.out"
}

run_script() {
	bash "$SCRIPT" "$DEBUG/boot/vmlinux-$KVER" auto "$WORK/modules" \
		<"$WORK/in" >"$WORK/script.out" 2>"$WORK/script.err"
}

same_frames() {
	diff <(normalize "$WORK/script.out") <(normalize "$WORK/ksyms.out")
}

# The module's frame with its inlined WARN: "ksyms_warn_inner (A:n B:m)".
decoded_enough() {
	local frames
	frames=$(grep -c ' ([^ ]*:[0-9]*[ )]' "$WORK/ksyms.out")
	echo "# frames decoded: $frames"
	grep -E 'ksyms_warn_inner \([^ ]+:[0-9]+ [^ ]*ksyms_warn\.c:[0-9]+' "$WORK/ksyms.out" &&
		[ "$frames" -ge 8 ]
}

seconds() { # COMMAND: its wall-clock time
	local start
	start=$(date +%s.%N)
	"$@" || return 1
	echo "$(date +%s.%N) - $start" | bc
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
spread() { sort -g | awk 'NR == 1 { min = $1 } { max = $1 } END { printf "min %.3f max %.3f", min, max }'; }

# Sets TIMES: the report of both decoders' times, and the verdict.
time_both() {
	local ours=() theirs=() m_ours m_theirs
	for _ in $(seq 1 "$ROUNDS"); do
		theirs+=("$(seconds run_script)")
		ours+=("$(seconds run_ksyms)")
	done
	m_ours=$(printf '%s\n' "${ours[@]}" | median)
	m_theirs=$(printf '%s\n' "${theirs[@]}" | median)
	echo "# decoding $(grep -c '' "$WORK/in") log lines, $ROUNDS rounds each, taking turns (wall clock, s):"
	echo "#   decode_stacktrace.sh  median $m_theirs ($(printf '%s\n' "${theirs[@]}" | spread))"
	echo "#   ksyms decode          median $m_ours ($(printf '%s\n' "${ours[@]}" | spread))"
	echo "#   ratio of medians $(echo "scale=1; $m_theirs / $m_ours" | bc)x (goal: 10x)"
	TENFOLD=$(echo "$m_theirs >= 10 * $m_ours" | bc)
}

main() {
	[ $# -eq 4 ] || { echo "usage: $0 DEBUG OOPS IMAGE WARN_KO" >&2; exit 2; }
	DEBUG=$1 OOPS=$2 IMAGE=$3
	local warn_ko=$4 src
	KVER=$(basename "$(ls -d "$DEBUG"/lib/modules/*)")
	WORK=$(mktemp -d)
	trap 'rm -rf "$WORK"' EXIT
	echo "KTAP version 1"
	src=$("$VM_DIR/linux-source.sh") || { ktap_check "linux-source-6.12's decode_stacktrace.sh" false; return; }
	SCRIPT=$src/scripts/decode_stacktrace.sh
	# The script looks for NAME.ko under one modules path; ksyms under
	# lib/modules/ of each debug tree (or by build ID).
	mkdir -p "$WORK/modules" "$WORK/debug/lib/modules/$KVER/extra"
	cp "$warn_ko" "$WORK/modules/" && cp "$warn_ko" "$WORK/debug/lib/modules/$KVER/extra/"
	decoder_input >"$WORK/in"
	sed 's/^/# /' "$WORK/in" | head -n 40
	run_script || tail -n 5 "$WORK/script.err"
	run_ksyms
	ktap_check "decode: the module's frame and its inlined WARN have source lines" decoded_enough
	ktap_check "decode: the frames and lines decode_stacktrace.sh gives" same_frames
	time_both
	ktap_check "decode: at least 10 times as fast as decode_stacktrace.sh" [ "$TENFOLD" = 1 ]
	ktap_summary decode
}

main "$@"
