#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: tests/debuginfo.sh [--oops LOG IMAGE WARN_KO] [IMAGE...]
#
# Source lines on Debian's debug files for the 6.12 test VM's kernel
# (linux-image-*-dbg, fetched by tests/vm/debuginfo.sh), with the ksyms
# command and test programs built in $CACHE_DIR/tools-build
# (tests/vm/host-tests.sh builds them):
#  - an image made on the host from the debug files (debuginfo_image:
#    vmlinux at a KASLR offset, 40 modules from all over the tree placed in
#    the module area), and
#    each IMAGE given (images a VM saved), symbolized against
#    llvm-symbolizer (debuginfo_compare: frames, and CPU time);
#  - a debug directory without the files, or with a file of another build
#    ID under the object's name, gives today's answer, byte for byte;
#  - the same frames through debuginfod (elfutils' server on 127.0.0.1
#    serving some modules) as from the directory;
#  - with --oops, a WARNING the VM logged (its log, the image it saved and
#    the test module that warned) decoded by `ksyms decode` and by the
#    kernel's decode_stacktrace.sh (tests/decode-oops.sh).
# KTAP output.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=tests/lib/ktap.sh
. tests/lib/ktap.sh
# shellcheck source=tests/vm/lib.sh
. tests/vm/lib.sh

BUILD=$CACHE_DIR/tools-build
KSYMS=$BUILD/ksyms
WORK=$(mktemp -d)
SERVER_PID='' SERVER_URL=''
cleanup() {
	[ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

# A KTAP program's result lines, numbered in this script's sequence, each
# name prefixed with LABEL; its comments pass through. A program that
# reports no result is one failure.
relay() {
	local label=$1 out line results=0 status=0
	shift
	out=$(mktemp)
	"$@" >"$out" 2>&1 || status=$?
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			KTAP_N=$((KTAP_N + 1)) results=$((results + 1))
			[[ $line == ok* ]] || KTAP_FAILED=$((KTAP_FAILED + 1))
			echo "$line" | sed -E "s/^(not )?ok [0-9]+ /\\1ok $KTAP_N $label: /" ;;
		"KTAP "*|1..*) ;;
		*) echo "$line" ;;
		esac
	done <"$out"
	rm -f "$out"
	if [ "$results" -eq 0 ]; then
		KTAP_N=$((KTAP_N + 1)) KTAP_FAILED=$((KTAP_FAILED + 1))
		echo "not ok $KTAP_N $label: ${1##*/} reported nothing (exit status $status)"
	fi
}

relay_compare() {
	relay "$2" "$BUILD/tests/debuginfo-host/debuginfo_compare" "$KSYMS" "$1" "$DEBUG" 3000
}

# A module's address and vmlinux's, from the image.
some_addresses() {
	"$KSYMS" --file "$1" dump --format=kallsyms |
		awk -v mod="$2" '$2 ~ /^[tT]$/ && $3 !~ /^__pfx_/ &&
			(($4 == "" && !v++) || ($4 == "[" mod "]" && m++ < 3)) { print "0x" $1 }'
}

same_as_without() {
	local image=$1 dir=$2 addresses
	addresses=$(some_addresses "$image" "$MODULE")
	# shellcheck disable=SC2086 # one word per address
	diff <("$KSYMS" --file "$image" symbolize $addresses; echo "status $?") \
		<("$KSYMS" --file "$image" symbolize --debuginfo "$dir" $addresses; echo "status $?")
}

# A directory where the module's name and vmlinux's build-ID link lead to
# files of other build IDs.
decoy_directory() {
	local dir=$WORK/decoy id
	mkdir -p "$dir/lib/modules/x/kernel" "$dir/.build-id"
	cp "$OTHER_MODULE" "$dir/lib/modules/x/kernel/$MODULE.ko"
	id=$("$KSYMS" --file "$IMAGE" stat | awk '$1 == "vmlinux" { print $NF }')
	mkdir -p "$dir/.build-id/${id:0:2}"
	ln -s "$dir/lib/modules/x/kernel/$MODULE.ko" "$dir/.build-id/${id:0:2}/${id:2}.debug"
	echo "$dir"
}

# elfutils' debuginfod on a free loopback port, serving $WORK/served;
# sets SERVER_URL.
start_debuginfod() {
	local port
	mkdir -p "$WORK/served"
	cp "$MODULE_FILE" "$WORK/served/" || return 1
	for port in $(seq 18002 18010); do
		debuginfod -p "$port" -d "$WORK/debuginfod.sqlite" -F "$WORK/served" \
			>"$WORK/debuginfod.log" 2>&1 &
		SERVER_PID=$!
		for _ in $(seq 1 100); do
			# Ready once it has scanned the file.
			if curl -sf "http://127.0.0.1:$port/metrics" 2>/dev/null |
				grep -q '^scanned_files_total{source="file"} [1-9]'; then
				SERVER_URL=http://127.0.0.1:$port
				return 0
			fi
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.2
		done
		kill "$SERVER_PID" 2>/dev/null
		SERVER_PID=
	done
	return 1
}

through_debuginfod() {
	local url=$SERVER_URL addresses
	[ -n "$url" ] || { tail -n 5 "$WORK/debuginfod.log"; return 1; }
	addresses=$(some_addresses "$IMAGE" "$MODULE" | tail -n 3)
	# shellcheck disable=SC2086 # one word per address
	"$KSYMS" --file "$IMAGE" symbolize --debuginfo "$DEBUG" $addresses >"$WORK/from-dir" &&
		DEBUGINFOD_URLS=$url DEBUGINFOD_CACHE_PATH=$WORK/client-cache \
		"$KSYMS" --file "$IMAGE" symbolize $addresses >"$WORK/from-server" &&
		grep -q " at " "$WORK/from-server" && diff "$WORK/from-dir" "$WORK/from-server"
}

main() {
	local kver modules image oops=()
	if [ "${1:-}" = --oops ]; then
		oops=("$2" "$3" "$4")
		shift 4
	fi
	ensure_packages llvm debuginfod curl
	DEBUG=$(tests/vm/debuginfo.sh 6.12) || { printf '1..1\nnot ok 1 fetch the debug package\n'; exit 1; }
	kver=$(basename "$(ls -d "$DEBUG"/lib/modules/*)")
	sed 's/^/# /' "$DEBUG/../../../fetched.txt" 2>/dev/null
	echo "KTAP version 1"
	IMAGE=$WORK/host.elf
	# 40 modules from all over the tree, every 28th
	mapfile -t modules < <(find "$DEBUG/lib/modules/$kver/kernel" -name '*.ko' | sort | awk 'NR % 28 == 1' | head -n 40)
	MODULE_FILE=${modules[0]}
	MODULE=$(basename "$MODULE_FILE" .ko)
	MODULE=${MODULE//-/_}
	OTHER_MODULE=${modules[1]}
	if "$BUILD/tests/debuginfo-host/debuginfo_image" "$IMAGE" 1e000000 \
		"$DEBUG/boot/vmlinux-$kver" "${modules[@]}"; then
		relay_compare "$IMAGE" "image made from the debug files"
	else
		ktap_check "image made from the debug files" false
	fi
	for image in "$@"; do
		relay_compare "$image" "image saved in the VM ($(basename "$image"))"
	done
	ktap_check "no debug files: the answer without --debuginfo" same_as_without "$IMAGE" "$WORK/empty"
	ktap_check "debug files of other build IDs are not used" same_as_without "$IMAGE" "$(decoy_directory)"
	start_debuginfod || true
	ktap_check "debuginfod gives the frames the directory does" through_debuginfod
	[ ${#oops[@]} -eq 0 ] || relay "WARNING from the VM" tests/decode-oops.sh "$DEBUG" "${oops[@]}"
	ktap_finish debuginfo
}

main "$@"
