# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Throwaway copies of the trees of tests/vm/tree.sh for the Debian
# packages' tests. Source it after tests/vm/lib.sh.
#
#   in_copy NAME [--bind HOSTDIR INNERDIR]... COMMAND...
#       runs COMMAND as root inside copy NAME of the tree (of the tree.sh
#       tree $COPY_OF if set, e.g. sid for its newer dkms): an overlay whose
#       changes go to $CACHE_DIR/deb-roots/NAME, so that the tree itself
#       stays as tree.sh made it and every run starts from it. Calls with
#       the same NAME see each other's changes. Like in_root (lib.sh), in a
#       private mount namespace: nothing stays mounted.
#   drop_copy NAME
#       throws copy NAME's changes away.
declare -A COPY_TREES=() # tree name -> its path

in_copy() {
	local dir=$CACHE_DIR/deb-roots/$1 tree=${COPY_OF:-bookworm} binds=()
	shift
	if [ -z "${COPY_TREES[$tree]:-}" ]; then
		COPY_TREES[$tree]=$("$VM_DIR/tree.sh" "$tree") || return 125
	fi
	while [ "${1:-}" = --bind ]; do
		mkdir -p "$2"
		binds+=("$2" "$3")
		shift 3
	done
	mkdir -p "$dir/upper" "$dir/work" "$dir/merged"
	as_root unshare -m sh -c '
		lower=$1 dir=$2 nbinds=$3; shift 3
		root=$dir/merged
		mount -t overlay overlay \
			-o "lowerdir=$lower,upperdir=$dir/upper,workdir=$dir/work" "$root" || exit 125
		mount --bind /dev "$root/dev" && mount -t proc proc "$root/proc" || exit 125
		while [ "$nbinds" -gt 0 ]; do
			mkdir -p "$root$2" && mount --bind "$1" "$root$2" || exit 125
			shift 2; nbinds=$((nbinds - 1))
		done
		exec chroot "$root" "$@"' in_copy "${COPY_TREES[$tree]}" "$dir" $((${#binds[@]} / 2)) "${binds[@]}" "$@"
}

drop_copy() {
	as_root rm -rf "${CACHE_DIR:?}/deb-roots/$1"
}
