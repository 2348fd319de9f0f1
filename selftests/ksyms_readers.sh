#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Real ELF readers on /dev/ksyms: elfutils on the device itself, binutils
# on a copy (they refuse anything but regular files), eu-elflint as the
# judge of conformance, and nm's listing against /proc/kallsyms.
# Prints KTAP itself; POSIX sh, busybox is enough.

DEV=${KSYMS_TEST_DEVICE:-/dev/ksyms}
TMP=${TMPDIR:-/tmp}/ksyms_readers.$$
COPY=$TMP/k.elf

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

n=0
failed=0
passed=0
skipped=0

ok() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n $1"
}

skip() {
	n=$((n + 1))
	skipped=$((skipped + 1))
	echo "ok $n $1 # SKIP $2"
}

# Shows a file as KTAP diagnostics, at most $2 lines.
diag() {
	head -n "${2:-20}" "$1" | sed 's/^/# /'
}

cleanup() {
	rm -rf "$TMP"
}
trap cleanup EXIT

# run NAME TOOL ARGS...: exit 0, empty stderr, no warning anywhere.
run() {
	name=$1
	shift
	if ! command -v "$1" >/dev/null 2>&1; then
		skip "$name" "$1 is not installed"
		return
	fi
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	bad=
	[ $rc -eq 0 ] || bad="exit status $rc"
	[ -s "$TMP/err" ] && bad="${bad:+$bad, }output on stderr"
	if grep -qi 'warning:' "$TMP/out" "$TMP/err"; then
		bad="${bad:+$bad, }a warning"
	fi
	if [ -n "$bad" ]; then
		echo "# $*: $bad"
		diag "$TMP/err"
		grep -i 'warning:' "$TMP/out" | head -n 10 | sed 's/^/# /'
		not_ok "$name"
	else
		ok "$name"
	fi
}

# elflint NAME ARGS...: report what it says; expect it clean.
elflint() {
	name=$1
	shift
	if ! command -v eu-elflint >/dev/null 2>&1; then
		skip "$name" "eu-elflint is not installed"
		return
	fi
	eu-elflint "$@" "$COPY" >"$TMP/out" 2>&1
	rc=$?
	echo "# eu-elflint $*: exit $rc, $(wc -l <"$TMP/out") line(s)"
	diag "$TMP/out" 40
	if [ $rc -eq 0 ] && ! grep -v -i '^no errors' "$TMP/out" | grep -q .; then
		ok "$name"
	else
		not_ok "$name"
	fi
}

echo "TAP version 13"
echo "1..14"

if [ "$(id -u)" -ne 0 ] || [ ! -r "$DEV" ]; then
	echo "# $DEV is not readable (not root, or ksyms is not loaded)"
	echo "Bail out! cannot read $DEV"
	exit $KSFT_FAIL
fi
mkdir -p "$TMP" || exit $KSFT_FAIL

run eu_readelf_device eu-readelf -a "$DEV"
run eu_nm_device eu-nm "$DEV"

# the copy: exactly the device's size
if cat "$DEV" >"$COPY" 2>"$TMP/err" && [ ! -s "$TMP/err" ]; then
	size=$(wc -c <"$COPY")
	stsize=$(stat -L -c %s "$DEV" 2>/dev/null)
	if [ -n "$stsize" ] && [ "$size" -eq "$stsize" ] && [ "$size" -gt 464 ]; then
		ok copy_has_device_size
	else
		echo "# copied $size bytes, stat says ${stsize:-?}"
		not_ok copy_has_device_size
	fi
else
	diag "$TMP/err"
	not_ok copy_has_device_size
fi

run readelf_all readelf -a "$COPY"
run readelf_wide_symbols readelf -W -s "$COPY"
run nm_copy nm "$COPY"
run objdump_symbols objdump -t "$COPY"
run eu_readelf_copy eu-readelf -a "$COPY"

elflint eu_elflint_gnu_ld --gnu-ld
elflint eu_elflint

# nm's (address, name) pairs cover every /proc/kallsyms line, BPF programs
# and trampolines included. On arm64 kallsyms lists modules' mapping
# symbols ($x, $d), which nm hides unless asked for them.
if command -v nm >/dev/null 2>&1; then
	nm --special-syms "$COPY" 2>/dev/null |
		awk 'NF == 3 { print tolower($1) " " $3 }' | sort -u >"$TMP/nm"
	awk '{ print tolower($1) " " $3 }' /proc/kallsyms | sort -u >"$TMP/kallsyms"
	# (busybox has no comm)
	awk 'NR == FNR { have[$0] = 1; next } !($0 in have)' \
		"$TMP/nm" "$TMP/kallsyms" >"$TMP/missing"
	kall=$(wc -l <"$TMP/kallsyms")
	nmn=$(wc -l <"$TMP/nm")
	if [ "$kall" -gt 1000 ] && [ ! -s "$TMP/missing" ]; then
		echo "# $kall distinct /proc/kallsyms (address, name) pairs, all in nm's $nmn"
		ok nm_covers_kallsyms
	else
		echo "# $(wc -l <"$TMP/missing") of $kall /proc/kallsyms pairs missing from nm's $nmn, first ones:"
		diag "$TMP/missing" 10
		not_ok nm_covers_kallsyms
	fi
else
	skip nm_covers_kallsyms "nm is not installed"
fi

# nm types a symbol from its section's flags and binding; the typed
# sections and kallsyms' bindings must make it print /proc/kallsyms' letter
# for at least 99% of the (address, name) pairs both list, in vmlinux and in
# the modules each (the few test modules weigh nothing in the total, and a
# machine's modules can be a fifth of its symbols).
if command -v nm >/dev/null 2>&1; then
	nm --special-syms "$COPY" 2>/dev/null |
		awk 'NF == 3 { print $1 " " $3 " " $2 }' >"$TMP/nmtypes"
	awk 'NR == FNR { t[$1 " " $2] = $3; next }
	     !(($1 " " $3) in t) { next }
	     { obj = ($4 == "") ? "vmlinux" : "modules"; n[obj]++; total++
	       if (t[$1 " " $3] == $2) { same++; next }
	       d[obj]++
	       if (shown[obj]++ < 5) print "# differs: " $0 " nm:" t[$1 " " $3] }
	     END { printf "# letters: %d of %d agree; differ in vmlinux %d of %d, in modules %d of %d\n",
		   same, total, d["vmlinux"], n["vmlinux"], d["modules"], n["modules"]
		   exit !(total > 1000 && n["modules"] > 0 &&
			  (n["vmlinux"] - d["vmlinux"]) * 100 >= n["vmlinux"] * 99 &&
			  (n["modules"] - d["modules"]) * 100 >= n["modules"] * 99) }' \
		"$TMP/nmtypes" /proc/kallsyms >"$TMP/letters"
	rc=$?
	cat "$TMP/letters"
	if [ $rc -eq 0 ]; then ok nm_letters_are_kallsyms; else not_ok nm_letters_are_kallsyms; fi
else
	skip nm_letters_are_kallsyms "nm is not installed"
fi

# readelf -n and eu-readelf -n show every loaded module's build ID as
# sysfs has it (a module's notes file holds the one note: 12 bytes of
# header, "GNU\0", then the ID), and vmlinux's too.
build_ids() { # NAME TOOL ARGS...
	name=$1
	shift
	if ! command -v "$1" >/dev/null 2>&1; then
		skip "$name" "$1 is not installed"
		return
	fi
	"$@" >"$TMP/notes" 2>&1
	total=0
	missing=0
	for mod in $(awk '{ print $1 }' /proc/modules); do
		f=/sys/module/$mod/notes/.note.gnu.build-id
		[ -r "$f" ] || continue
		id=$(od -An -v -tx1 "$f" | tr -d ' \n' | cut -c33-)
		total=$((total + 1))
		if ! grep -q "Build ID: $id\$" "$TMP/notes"; then
			missing=$((missing + 1))
			echo "# $mod: build ID $id not in $1 -n"
		fi
	done
	n_ids=$(grep -c "Build ID:" "$TMP/notes")
	echo "# $1 -n: $n_ids build IDs; $total modules have one, $missing missing"
	if [ "$missing" -eq 0 ] && [ "$n_ids" -ge $((total + 1)) ]; then
		ok "$name"
	else
		not_ok "$name"
	fi
}
build_ids readelf_shows_build_ids readelf -n "$COPY"
build_ids eu_readelf_shows_build_ids eu-readelf -n "$DEV"

echo "# Totals: pass:$passed fail:$failed xfail:0 xpass:0 skip:$skipped error:0"
if [ $failed -ne 0 ]; then
	exit $KSFT_FAIL
elif [ $skipped -ne 0 ] && [ $passed -eq 0 ]; then
	exit $KSFT_SKIP
fi
exit $KSFT_PASS
