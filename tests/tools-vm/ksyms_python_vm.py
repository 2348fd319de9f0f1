# SPDX-License-Identifier: BSD-2-Clause
"""The Python module against the live device, in the test VM: what
ksyms.open() gives must be what /proc/kallsyms, /proc/modules and the
kernel's notes in /sys say. KTAP. Run by ksyms_python.sh, with only the
standard modules it imports in the VM: --list-imports prints their files,
for tests/vm/build-tools.sh.
"""

import errno
import os
import struct
import sys

import ksyms  # the package beside this script

if sys.argv[1:] == ["--list-imports"]:
    for module in list(sys.modules.values()):
        if getattr(module, "__file__", None):
            print(module.__file__)
    sys.exit(0)

NT_GNU_BUILD_ID = 3
results = []


def check(name, ok, detail=""):
    results.append(ok)
    if not ok and detail:
        print("# " + str(detail)[:2000].replace("\n", "\n# "))
    print("%s %d %s" % ("ok" if ok else "not ok", len(results), name))
    sys.stdout.flush()


def read_kallsyms():
    lines = []
    with open("/proc/kallsyms") as f:
        for line in f:
            address, letter, rest = line.rstrip("\n").split(" ", 2)
            name, _, module = rest.partition("\t")
            lines.append((int(address, 16), letter, name, module[1:-1] or None))
    return lines


def gnu_build_id(path):
    """The NT_GNU_BUILD_ID descriptor in a file of ELF notes, or None."""
    with open(path, "rb") as f:
        notes = f.read()
    at = 0
    while at + 12 <= len(notes):
        namesz, descsz, kind = struct.unpack_from("<III", notes, at)
        name_at = at + 12
        desc_at = name_at + (namesz + 3) // 4 * 4
        if kind == NT_GNU_BUILD_ID and notes[name_at:name_at + namesz] == b"GNU\0":
            return notes[desc_at:desc_at + descsz]
        at = desc_at + (descsz + 3) // 4 * 4
    return None


def main():
    print("TAP version 13")
    print("1..8")
    snapshot = ksyms.open()
    kallsyms = read_kallsyms()
    print("# %d symbols, %d objects" % (len(snapshot), len(snapshot.objects())))

    image_lines = snapshot.kallsyms()
    check("kallsyms(): /proc/kallsyms line for line", image_lines == kallsyms,
          next(((a, b) for a, b in zip(image_lines, kallsyms) if a != b),
               (len(image_lines), len(kallsyms))))

    want = sorted((a, name, module) for a, _, name, module in kallsyms)
    got = sorted((s.address, s.name, s.module) for s in snapshot)
    check("iteration: every symbol of /proc/kallsyms, with its module", want == got,
          sorted(set(want) ^ set(got))[:5])

    addresses_of = {}
    names_at = {}
    for address, letter, name, module in kallsyms:
        addresses_of.setdefault(name, []).append(address)
        names_at.setdefault(address, {})[name] = module
    names = [line[2] for line in kallsyms[::41]] + ["init_task", "schedule", "jiffies"]
    wrong = [n for n in names
             if sorted(s.address for s in snapshot.lookup(n)) != sorted(addresses_of[n])]
    check("lookup(): %d names as /proc/kallsyms lists them" % len(names),
          not wrong and snapshot.lookup("no such symbol") == [], wrong[:5])

    text = [a for a, letter, _, _ in kallsyms[::7] if letter in "tT" and a]
    wrong = []
    for address, match in zip(text, snapshot.symbolize(text)):
        start = None if match is None else match.address - match.offset
        if (match is None or match.address != address or
                match.name not in names_at.get(start, {}) or
                names_at[start][match.name] != match.module):
            wrong.append((hex(address), str(match)))
    check("symbolize(): %d text addresses, each at a symbol kallsyms names" % len(text),
          not wrong and len(text) > 1000 and snapshot.symbolize(0x10) is None, wrong[:5])

    objects = snapshot.objects()
    with open("/proc/modules") as f:
        loaded = [line.split()[0] for line in f]
    in_image = [o.name for o in objects[1:] if not o.pseudo]
    check("objects(): vmlinux, then /proc/modules' modules in load order",
          objects[0].is_vmlinux and in_image == loaded[::-1], (in_image, loaded))

    wrong = []
    compared = 0
    kernel_id = gnu_build_id("/sys/kernel/notes")
    if kernel_id != objects[0].build_id:
        wrong.append(("vmlinux", kernel_id, objects[0].build_id))
    for o in objects[1:]:
        path = "/sys/module/%s/notes/.note.gnu.build-id" % o.name
        if not o.pseudo and os.path.exists(path):
            compared += 1
            if gnu_build_id(path) != o.build_id:
                wrong.append((o.name, gnu_build_id(path), o.build_id))
    check("build IDs: vmlinux's and %d modules' as /sys has them" % compared,
          kernel_id and compared > 0 and not wrong, wrong[:3])

    try:
        ksyms.open().close()
        busy = None
    except OSError as error:
        busy = error.errno
    check("a second open() while one is held: OSError EBUSY", busy == errno.EBUSY,
          busy)

    snapshot.close()
    try:
        with ksyms.open() as again:
            reopened = len(again) > 0
    except OSError as error:
        reopened = error
    check("close() lets the device go: open() works again", reopened is True, reopened)
    return 0 if all(results) else 1


sys.exit(main())
