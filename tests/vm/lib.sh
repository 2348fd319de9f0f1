# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034
# Shared helpers for the VM test scripts. Source it; it sets no shell options.
#
# Everything downloaded or built goes under $CACHE_DIR, outside the checkout
# (${XDG_CACHE_HOME:-$HOME/.cache}/ksyms unless KSYMS_CACHE_DIR names
# another), so that a fresh clone on the same machine finds what an earlier
# run fetched and built. Each entry records what it was made from (package
# versions, the kernel source version and config fragments, a tree's recipe,
# the checkout a build directory was configured for) and is made again when
# that changes; per-run outputs (module builds, initramfs, logs) are made
# anew every run.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE_DIR=${KSYMS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ksyms}
VM_DIR=$REPO_ROOT/tests/vm

# Kernel log lines that mean something went wrong in the kernel: the debug
# reports, then panics, hung tasks, lockups and RCU stalls, then any line
# that names a function of ours ("fn [ksyms]": traces, and warnings such as
# 7.x's about deprecated workqueues) or says we use something deprecated.
KERNEL_LOG_PATTERNS='BUG:|WARNING:|Oops|general protection|Call Trace|sleeping function called from invalid context|KASAN|UBSAN|lockdep is turned off|INFO: possible|possible circular locking'
KERNEL_LOG_PATTERNS+='|Kernel panic|blocked for more than|soft lockup|hard LOCKUP|detected stalls'
KERNEL_LOG_PATTERNS+='|\[ksyms\]|deprecated|unreferenced object'

# All progress messages go to stderr: several scripts print results on stdout.
log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Root is needed for apt-get; CI runs as root, a developer may have sudo.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

package_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# apt-get install only what is missing; refresh the package lists once if
# the first attempt fails (a fresh machine may have stale or no lists).
ensure_packages() {
	local missing=() pkg
	for pkg in "$@"; do
		package_installed "$pkg" || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get install -y --no-install-recommends "${missing[@]}" >&2 ||
		{ as_root apt-get update >&2 &&
		  as_root apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
}

# ccache for what the host compiles with its own compilers (the CMake
# projects, the module's kbuild runs outside a tree): a result is keyed by
# the preprocessed source, the compiler and every flag, and replays the
# compiler's warnings, so no stale entry can stand in for a build. In
# $CACHE_DIR/ccache. Prints the CMake arguments that use it; nothing when
# ccache is not installed.
ccache_cmake_args() {
	command -v ccache >/dev/null || return 0
	echo "-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
}
if command -v ccache >/dev/null; then
	export CCACHE_DIR=$CACHE_DIR/ccache CCACHE_MAXSIZE=3G
fi

# Run a command inside a debootstrap'ed tree (tests/vm/tree.sh) with /dev
# and /proc, in a private mount namespace so that nothing stays mounted when
# it ends, however it ends. Each leading "--bind HOSTDIR INNERDIR" first
# makes a host directory visible inside (created on both sides).
in_root() {
	local root=$1 binds=()
	shift
	while [ "${1:-}" = --bind ]; do
		mkdir -p "$2" "$root$3"
		binds+=("$2" "$3")
		shift 3
	done
	as_root unshare -m sh -c '
		root=$1 nbinds=$2; shift 2
		mount --bind /dev "$root/dev" && mount -t proc proc "$root/proc" || exit 125
		while [ "$nbinds" -gt 0 ]; do
			mount --bind "$1" "$root$2" || exit 125
			shift 2; nbinds=$((nbinds - 1))
		done
		exec chroot "$root" "$@"' in_root "$root" $((${#binds[@]} / 2)) "${binds[@]}" "$@"
}

# The file a VM exported (tests/vm/init's $KSYMS_EXPORT_DIR, unpacked by
# boot.sh into $CACHE_DIR/logs/ROW.export/), for a step on the host after
# the VM of table row ROW ended: vm_export_path 6.12 ksyms-saved.elf
# prints the path of ksyms-saved-<the VM's uname -r>.elf, the name VM
# checks give what they export; a NAME without a dot gets -<release> at
# its end. Fails, saying why on stderr, when the VM did not export it.
vm_export_path() {
	local dir=$CACHE_DIR/logs/$1.export name=$2 release path
	if [ -f "$dir/UNPACK-FAILED" ]; then
		log "no export from VM $1: $(cat "$dir/UNPACK-FAILED")"
		return 1
	fi
	release=$(cat "$dir/release" 2>/dev/null) || { log "no export from VM $1 ($dir)"; return 1; }
	case $name in
	*.*) path=$dir/${name%%.*}-$release.${name#*.} ;;
	*)   path=$dir/$name-$release ;;
	esac
	[ -f "$path" ] || { log "VM $1 exported no $(basename "$path")"; return 1; }
	echo "$path"
}
