#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# One boot of the installed-package test (tests/booted-test.sh), run by
# ksyms-boot-test.service of tests/vm/debian-image.sh's system from the test
# disk (/mnt/ksyms-test: this script and the .debs). The stage, kept in
# /var/lib/ksyms-boot-test across reboots, says what this boot does:
#   install   on bookworm's kernel: apt install the packages, as a user would
#   installed after a reboot: loaded by systemd, works, signed by dkms's key;
#             the udev rule widens the node; then the kernel upgrade (from
#             apt's cache: the VM has no network)
#   upgraded  on the new kernel: the same, then apt purge leaves nothing
# Results go to ttyS1 as "ok NAME" or "not ok NAME" and "# " comments;
# "KSYMS-BOOT: reboot" or "KSYMS-BOOT: done" end each boot.
STATE=/var/lib/ksyms-boot-test
DISK=/mnt/ksyms-test
exec >/dev/ttyS1 2>&1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive

check() { # NAME COMMAND...: the result, and the command's output if it failed
	name=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then
		echo "ok $name"
	else
		echo "not ok $name"
		tail -n 25 /tmp/check.out | sed 's/^/# /'
	fi
}

timed() { # NAME COMMAND...: check, with the time it took
	start=$(date +%s)
	check "$@"
	echo "# $1: $(($(date +%s) - start)) s"
}

# Files of ksyms under the places a package installs to (ksyms*,
# libksyms*, *-ksyms*, not genksyms), and files in /etc that mention it;
# the test's own service and the backups of /etc/group and the like (which
# remember the group the udev check made) left out.
ksyms_files() {
	{
		find /etc /usr /lib/modules /var/lib/dkms 2>/dev/null |
			grep -E '(^|[/_.-]|lib)ksyms[^/]*$'
		grep -rlw ksyms /etc 2>/dev/null
	} | grep -v -e ksyms-boot-test -e '^/etc/[a-z]*-$'
}

apt_install() {
	cd "$DISK/debs" && apt-get install -y -q ./ksyms-dkms_*.deb ./ksyms-tools_*.deb
}

built_for_running_kernel() {
	dkms status ksyms | tee /dev/stderr | grep -q "$(uname -r).*: installed"
}

# The module dkms installed for KVER is signed with dkms's own key (the MOK
# a Secure Boot user enrols): modinfo's signer is the key's subject.
signed_by_dkms() {
	kver=$1
	ko=$(find "/lib/modules/$kver/updates" -name 'ksyms.ko*' | head -n1)
	signer=$(modinfo -F signer "$ko")
	subject=$(openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -subject -nameopt multiline |
		sed -n 's/^ *commonName *= *//p')
	echo "module $ko: signer '$signer', dkms key '$subject'"
	[ -n "$signer" ] && [ "$signer" = "$subject" ]
}

# systemd-modules-load logs each module it inserts; before journald runs it
# logs through the kernel's ring buffer, which the journal takes in too.
loaded_at_boot() {
	journalctl -b -o cat --no-pager | grep -i -e 'modules-load' -e ksyms | tail -n 5
	grep -qx ksyms /usr/lib/modules-load.d/ksyms.conf &&
		journalctl -b -o cat --no-pager | grep -q "Inserted module 'ksyms'" &&
		grep -q '^ksyms ' /proc/modules
}

node_is() { # MODE GROUP
	ls -l /dev/ksyms
	[ -c /dev/ksyms ] && [ "$(stat -c '%a %U %G' /dev/ksyms)" = "$1 root $2" ]
}

works() {
	ksyms verify && ksyms stat | head -n 5
}

open_as() { # USER EXPECTED-ERROR ("" for success)
	echo 0 >/proc/sys/kernel/kptr_restrict
	if setpriv --reuid="$1" --regid="$1" --init-groups ksyms stat >/tmp/open.out 2>&1; then
		[ -z "$2" ]
	else
		cat /tmp/open.out
		[ -n "$2" ] && grep -q "$2" /tmp/open.out
	fi
}

udev_rule_widens() {
	groupadd --system ksyms && useradd -M -G ksyms alice && useradd -M bob &&
		cp /usr/share/doc/ksyms-dkms/examples/60-ksyms.rules /etc/udev/rules.d/ &&
		udevadm control --reload && udevadm trigger --action=add --subsystem-match=ksyms &&
		udevadm settle && node_is 440 ksyms
}

paranoid() { echo "$1" >/proc/sys/kernel/perf_event_paranoid; }

# Without a rule udev leaves a node's mode as it is: the driver's 0400
# comes back when the module makes the node again.
udev_rule_removed() {
	rm /etc/udev/rules.d/60-ksyms.rules && userdel alice && userdel bob && groupdel ksyms &&
		udevadm control --reload && modprobe -r ksyms && modprobe ksyms &&
		udevadm settle && node_is 400 root
}

kernel_upgrade() {
	# shellcheck disable=SC2046 # one word per package
	apt-get install -y -q --no-install-recommends --no-download $(cat "$STATE/upgrade-packages")
}

upgrade_kver() { sed -n 's/.*linux-image-\([^ ]*\).*/\1/p' "$STATE/upgrade-packages"; }

built_for_upgrade() {
	dkms status ksyms | tee /dev/stderr | grep -q "$(upgrade_kver).*: installed"
}

purge() { apt-get purge -y -q ksyms-dkms ksyms-tools; }

nothing_left() {
	left=$(ksyms_files)
	echo "${left:-nothing}"
	[ -z "$left" ] && ! dkms status ksyms | grep -q .
}

stage=$(cat "$STATE/stage" 2>/dev/null || echo install)
echo "# boot: stage $stage, kernel $(uname -r), $(cut -d' ' -f1 /proc/uptime) s since boot"
case $stage in
install)
	check "before the install: no file of ksyms" nothing_left
	timed "apt install ./ksyms-dkms_*.deb ./ksyms-tools_*.deb (dkms builds the module)" apt_install
	check "dkms built and installed ksyms for $(uname -r)" built_for_running_kernel
	check "its module is signed with dkms's key ($(uname -r))" signed_by_dkms "$(uname -r)"
	echo installed >"$STATE/stage"
	echo "KSYMS-BOOT: reboot"
	systemctl reboot ;;
installed)
	check "after a reboot: systemd loaded ksyms (modules-load.d)" loaded_at_boot
	check "/dev/ksyms is 0400 root:root" node_is 400 root
	check "ksyms verify on $(uname -r)" works
	check "udev rule: /dev/ksyms 0440 root:ksyms" udev_rule_widens
	paranoid 1
	check "a member of ksyms opens it where kallsyms shows it addresses" open_as alice ""
	check "another user cannot: Permission denied" open_as bob "Permission denied"
	paranoid 2
	check "a member of ksyms without kallsyms' privilege cannot: Operation not permitted" \
		open_as alice "Operation not permitted"
	check "without the rule, 0400 root:root again" udev_rule_removed
	timed "kernel upgrade: apt install $(cat "$STATE/upgrade-packages")" kernel_upgrade
	check "the kernel's dkms hook built ksyms for $(upgrade_kver)" built_for_upgrade
	check "its module is signed with dkms's key ($(upgrade_kver))" signed_by_dkms "$(upgrade_kver)"
	echo upgraded >"$STATE/stage"
	echo "KSYMS-BOOT: reboot"
	systemctl reboot ;;
upgraded)
	check "rebooted into the upgrade ($(upgrade_kver))" test "$(uname -r)" = "$(upgrade_kver)"
	check "systemd loaded ksyms on the new kernel" loaded_at_boot
	check "/dev/ksyms is 0400 root:root on the new kernel" node_is 400 root
	check "ksyms verify on $(uname -r)" works
	timed "apt purge ksyms-dkms ksyms-tools" purge
	check "after apt purge: no file of ksyms under /etc /usr /lib/modules /var/lib/dkms" nothing_left
	echo "done" >"$STATE/stage"
	echo "KSYMS-BOOT: done"
	systemctl poweroff ;;
*)
	echo "KSYMS-BOOT: done"
	systemctl poweroff ;;
esac
