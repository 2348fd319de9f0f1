# SPDX-License-Identifier: BSD-2-Clause
"""The Linux kernel's symbol table from /dev/ksyms, or from a saved image.

    import ksyms
    with ksyms.open() as snapshot:          # /dev/ksyms: the snapshot is taken here
        for match in snapshot.symbolize([0xffffffff81000000]):
            print(match)                    # _stext+0x0/0x... or None
        print(snapshot.lookup("init_task"))

ksyms.open("saved.elf") reads an image that `ksyms save` (or
Snapshot.save()) wrote, or any ELF file with a symbol table. Failures to
open raise OSError with the errno (FileNotFoundError, PermissionError, ...);
the driver allows one open of the device per process, so a second open
while a snapshot is open raises OSError(EBUSY) until close().
"""

import os
import stat

from ._ksyms import Match, Object, Snapshot, Symbol, open_device, open_file

__all__ = ["Match", "Object", "Snapshot", "Symbol", "open", "open_device",
           "open_file", "DEVICE"]

DEVICE = "/dev/ksyms"


def open(path=None):
    """The device (no path, or a character device's path), else a saved image."""
    if path is None:
        return open_device(DEVICE)
    path = os.fspath(path)
    try:
        is_device = stat.S_ISCHR(os.stat(path).st_mode)
    except OSError:
        is_device = False  # open_file() says what is wrong with it
    return open_device(path) if is_device else open_file(path)
