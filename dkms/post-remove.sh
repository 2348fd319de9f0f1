#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Stop loading ksyms at boot once no kernel has it installed any more.
set -e
conf=${KSYMS_MODULES_LOAD_CONF:-/etc/modules-load.d/ksyms.conf}
if dkms status ksyms 2>/dev/null | grep -q ': installed'; then
	exit 0
fi
rm -f "$conf"
