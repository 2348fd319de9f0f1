#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Ask for ksyms at every boot (systemd-modules-load reads modules-load.d).
# dkms runs this from the module's source directory. The Debian package
# ships the same file in /usr/lib/modules-load.d instead, without this
# script.
set -e
conf=${KSYMS_MODULES_LOAD_CONF:-/etc/modules-load.d/ksyms.conf}
mkdir -p "$(dirname "$conf")"
cp dkms/modules-load.d/ksyms.conf "$conf"
