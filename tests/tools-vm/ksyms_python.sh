#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The Python module against the live device, in the test VM (run by /init
# with the selftests; tests/vm/initramfs.sh puts it there with python3 and
# the few standard modules ksyms_python_vm.py imports). KTAP.
cd "$(dirname "$0")" || exit 1
start=$(date +%s)
python3 -S ksyms-python/ksyms_python_vm.py
rc=$?
echo "# python3 ran for $(($(date +%s) - start)) s"
exit $rc
