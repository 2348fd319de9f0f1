#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The Python module against the ksyms command and readelf, on the image
ksyms_python_image writes (vmlinux, two modules, bpf and kprobe objects),
and its install. Run by ctest (tests/python-host/CMakeLists.txt sets the
environment); prints KTAP.
"""

import errno
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import ksyms
import ktap

COMMAND = os.environ["KSYMS_COMMAND"]
IMAGE_MAKER = os.environ["KSYMS_PYTHON_IMAGE_MAKER"]
VMLINUX = 0xffffffff81000000
MODULES = 0xffffffffc0000000


def run(*args, ok=(0,)):
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode not in ok:
        raise AssertionError("%s exited %d: %s" % (" ".join(args[:4]),
                                                    done.returncode, done.stderr))
    return done.stdout


class ImageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="ksyms-python-")
        cls.path = os.path.join(cls.dir, "image.elf")
        run(IMAGE_MAKER, cls.path)
        cls.snapshot = ksyms.open(cls.path)
        cls.symbols = list(cls.snapshot)

    @classmethod
    def tearDownClass(cls):
        cls.snapshot.close()
        shutil.rmtree(cls.dir)

    def ksyms(self, *args, ok=(0,)):
        return run(COMMAND, "--file", self.path, *args, ok=ok)

    def test_symbols_as_readelf_lists_them(self):
        want = []
        for line in run("readelf", "-sW", self.path).splitlines():
            fields = line.split()
            if len(fields) == 8 and fields[0][:-1].isdigit() and fields[0] != "0:":
                want.append((int(fields[0][:-1]), fields[7], int(fields[1], 16),
                             int(fields[2], 0), fields[3], fields[4]))
        got = [(s.index, s.name, s.address, s.size, s.type, s.binding)
               for s in self.symbols]
        self.assertGreater(len(got), 3000)
        self.assertEqual(want, got)

    def test_symbols_as_dump_json_gives_them(self):
        import json
        want = [(s["Name"], int(s["Address"], 16), int(s["Size"], 16), s["Type"],
                 s["Binding"], s["Letter"],
                 None if s["ModuleName"] == "vmlinux" else s["ModuleName"])
                for s in map(json.loads, self.ksyms("dump", "--format=json").splitlines())]
        got = [(s.name, s.address, s.size, s.type, s.binding, s.letter, s.module)
               for s in self.symbols]
        self.assertEqual(want, got)

    def test_len_and_index(self):
        self.assertEqual(len(self.symbols), len(self.snapshot))
        last = self.snapshot.symbol(len(self.snapshot))
        self.assertEqual(repr(self.symbols[-1]), repr(last))
        for bad in (0, len(self.snapshot) + 1, -1):
            with self.assertRaises(IndexError):
                self.snapshot.symbol(bad)

    def test_lookup_as_the_command(self):
        names = sorted({s.name for s in self.symbols}) + ["no_such_symbol"]
        want = self.ksyms("lookup", *names, ok=(1,))
        got = "".join("%016x %s %s%s\n" % (s.address, s.letter, s.name,
                                          " [%s]" % s.module if s.module else "")
                      for name in names for s in self.snapshot.lookup(name))
        self.assertEqual(want, got)
        self.assertEqual([], self.snapshot.lookup("no_such_symbol"))
        # Four objects define it; image order, each with its module.
        self.assertEqual([(None, "t"), (None, "d"), ("moda", "t"), ("modb", "t")],
                         [(s.module, s.letter)
                          for s in self.snapshot.lookup("dup_name")])

    def test_symbolize_as_the_command(self):
        addresses = [0, 0x10, 2**64 - 1]
        for s in self.symbols:
            addresses += [s.address, s.address + s.size // 2,
                          s.address + s.size, max(s.address - 1, 0)]
        addresses = list(dict.fromkeys(addresses))
        want = self.ksyms("symbolize", *("%#x" % a for a in addresses), ok=(1,))
        matches = self.snapshot.symbolize(addresses)
        self.assertEqual(len(addresses), len(matches))
        got = "".join("%#x %s\n" % (a, m if m is not None else "??")
                      for a, m in zip(addresses, matches))
        self.assertEqual(want, got)
        for a in addresses[::97]:
            self.assertEqual(repr(matches[addresses.index(a)]),
                             repr(self.snapshot.symbolize(a)))

    def test_symbolize_fields(self):
        inner = self.snapshot.symbolize(VMLINUX + 0x244)
        self.assertEqual(("inner_label", 4, 0x10, None),
                         (inner.name, inner.offset, inner.size, inner.module))
        self.assertEqual(20, len(inner.build_id))
        self.assertEqual("inner_label+0x4/0x10", str(inner))
        in_module = self.snapshot.symbolize(MODULES + 8)
        self.assertEqual(("dup_name", "moda", bytes.fromhex("deadbeef0042")),
                         (in_module.name, in_module.module, in_module.build_id))
        self.assertEqual("dup_name+0x8/0x30 [moda deadbeef0042]", str(in_module))
        self.assertEqual(in_module.symbol.address + 8, in_module.address)
        self.assertIsNone(self.snapshot.symbolize(0x10))

    def test_symbolize_takes_any_index(self):
        class Address:
            def __index__(self):
                return VMLINUX + 0x10

        self.assertEqual("_stext", self.snapshot.symbolize(Address()).name)
        self.assertEqual(["_stext"], [m.name for m in
                                      self.snapshot.symbolize(iter([Address()]))])

    def test_symbolize_refuses_what_is_no_address(self):
        for bad, error in ((-1, OverflowError), (2**64, OverflowError),
                           ("0x10", TypeError), ([1, "x"], TypeError),
                           ([2**64], OverflowError), (1.5, TypeError)):
            with self.assertRaises(error, msg=repr(bad)):
                self.snapshot.symbolize(bad)

    def test_objects_as_stat_lists_them(self):
        stat = self.ksyms("stat")
        want = re.findall(r"^  (\S+) +(\d+) symbols  ([0-9a-f]{16})\+(0x[0-9a-f]+|0)"
                          r"  (\S+|\(no build ID\))$", stat, re.M)
        got = [(o.name, str(o.symbol_count), "%016x" % o.base, "%#x" % o.size,
                o.build_id_hex or "(no build ID)")
               for o in self.snapshot.objects()]
        self.assertEqual(want, got, stat)
        self.assertEqual(["vmlinux", "moda", "modb", "bpf", "__builtin__kprobes"],
                         [o.name for o in self.snapshot.objects()])
        self.assertEqual([True, False, False, False, False],
                         [o.is_vmlinux for o in self.snapshot.objects()])
        self.assertEqual([False, False, False, True, True],
                         [o.pseudo for o in self.snapshot.objects()])
        self.assertEqual(b"\xde\xad\xbe\xef\x00\x42",
                         self.snapshot.objects()[1].build_id)
        self.assertEqual(b"", self.snapshot.objects()[2].build_id)

    def test_object_of_every_symbol(self):
        for s in self.symbols:
            self.assertEqual(s.module or "vmlinux",
                             self.snapshot.object_of(s.index).name, s)
        self.assertIsNone(self.snapshot.object_of(0))

    def test_kallsyms_as_the_command(self):
        want = self.ksyms("dump", "--format=kallsyms")
        got = "".join("%016x %s %s%s\n" % (a, letter, name,
                                          "\t[%s]" % module if module else "")
                      for a, letter, name, module in self.snapshot.kallsyms())
        self.assertEqual(want, got)

    def test_save_and_image(self):
        with open(self.path, "rb") as f:
            original = f.read()
        self.assertEqual(original, self.snapshot.image())
        saved = os.path.join(self.dir, "saved.elf")
        self.snapshot.save(pathlib.Path(saved))
        with open(saved, "rb") as f:
            self.assertEqual(original, f.read())
        with self.assertRaises(FileNotFoundError):
            self.snapshot.save(os.path.join(self.dir, "no", "such", "dir.elf"))


class OpenTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="ksyms-python-")
        self.path = os.path.join(self.dir, "image.elf")
        run(IMAGE_MAKER, self.path)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_errors_are_os_errors(self):
        missing = os.path.join(self.dir, "missing.elf")
        with self.assertRaises(FileNotFoundError) as caught:
            ksyms.open(missing)
        self.assertEqual((errno.ENOENT, missing),
                         (caught.exception.errno, caught.exception.filename))
        self.assertEqual("[Errno 2] No such file or directory: '%s'" % missing,
                         str(caught.exception))
        with self.assertRaises(IsADirectoryError):
            ksyms.open(self.dir)
        text = os.path.join(self.dir, "text")
        with open(text, "w") as f:
            f.write("not an ELF file\n")
        with self.assertRaises(OSError) as caught:
            ksyms.open(text)
        self.assertEqual(errno.ENOEXEC, caught.exception.errno)
        with self.assertRaises(FileNotFoundError):
            ksyms.open_device(missing)
        # A regular file is no device: KIOCGSIZE fails on it.
        with self.assertRaises(OSError) as caught:
            ksyms.open_device(self.path)
        self.assertEqual(errno.ENOTTY, caught.exception.errno)

    def test_closed_snapshot(self):
        with ksyms.open(pathlib.Path(self.path)) as snapshot:
            want = snapshot.symbol(1).name
            symbols = iter(snapshot)
            first = next(symbols)
            match = snapshot.symbolize(VMLINUX)
        self.assertTrue(snapshot.closed)
        for use in (len, list, lambda s: s.lookup("_stext"),
                    lambda s: s.symbolize(VMLINUX), lambda s: s.objects(),
                    lambda s: s.kallsyms(), lambda s: s.image()):
            with self.assertRaises(ValueError):
                use(snapshot)
        with self.assertRaises(ValueError):
            next(symbols)
        # What it gave out is a copy, valid after close.
        self.assertEqual((want, "_stext"), (first.name, match.name))
        snapshot.close()
        self.assertIn("(closed)", repr(snapshot))


class OldDrgnTest(unittest.TestCase):
    def test_bookworms_drgn_is_refused_clearly(self):
        # Debian bookworm's python3-drgn (0.0.22) has no symbol finder API;
        # drgn_test.py runs the finder under sid's.
        out = subprocess.run([sys.executable, "-c", "import ksyms.drgn"],
                             capture_output=True, text=True)
        self.assertNotEqual(0, out.returncode)
        self.assertIn("ImportError: ksyms.drgn needs drgn 0.0.27 or later "
                      "(Program.register_symbol_finder); this is drgn 0.0.22",
                      out.stderr)


class InstallTest(unittest.TestCase):
    def test_installs_to_a_prefix_and_imports_from_there(self):
        prefix = tempfile.mkdtemp(prefix="ksyms-python-prefix-")
        try:
            run(os.environ["KSYMS_CMAKE"], "--install", os.environ["KSYMS_BUILD_DIR"],
                "--prefix", prefix, "--component", "python")
            package = os.path.join(prefix, os.environ["KSYMS_PYTHON_INSTALL_DIR"])
            image = os.path.join(prefix, "image.elf")
            run(IMAGE_MAKER, image)
            env = dict(os.environ, PYTHONPATH=package)
            out = subprocess.run(
                [sys.executable, "-c",
                 "import ksyms, sys; s = ksyms.open(sys.argv[1]); "
                 "print(ksyms.__file__); print(s.symbolize(%d))" % (VMLINUX + 0x101),
                 image], capture_output=True, text=True, env=env, cwd=prefix)
            self.assertEqual(0, out.returncode, out.stderr)
            self.assertEqual([os.path.join(package, "ksyms", "__init__.py"),
                              "startup_64+0x1/0x80"], out.stdout.split("\n")[:2])
            self.assertEqual(["__init__", "_ksyms", "drgn"],
                             sorted(name.split(".")[0] for name in
                                    os.listdir(os.path.join(package, "ksyms"))
                                    if name != "__pycache__"))
        finally:
            shutil.rmtree(prefix)

    def test_default_install_dir_is_on_the_interpreters_path(self):
        prefix = os.environ["KSYMS_INSTALL_PREFIX"]
        where = os.path.join(prefix, os.environ["KSYMS_PYTHON_INSTALL_DIR"])
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        out = subprocess.run([sys.executable, "-c", "import sys; print('\\n'.join(sys.path))"],
                             capture_output=True, text=True, env=env, check=True)
        if prefix in ("/usr/local", "/usr"):
            self.assertIn(where, out.stdout.split("\n"))
        else:
            self.assertTrue(where.endswith("site-packages"), where)


if __name__ == "__main__":
    ktap.main()
