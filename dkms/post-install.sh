#!/bin/sh
# Ask for ksyms at every boot (systemd-modules-load reads modules-load.d).
set -e
conf=${KSYMS_MODULES_LOAD_CONF:-/etc/modules-load.d/ksyms.conf}
mkdir -p "$(dirname "$conf")"
printf '# /dev/ksyms, installed by dkms\nksyms\n' > "$conf"
