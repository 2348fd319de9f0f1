#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""ksyms.drgn: a snapshot registered as drgn's symbol finder, in a
drgn.Program with no kernel and no debug info behind it, must answer
prog.symbol() and prog.symbols() as the ksyms command reads the image.

    KSYMS_COMMAND=ksyms drgn_test.py IMAGE

Run by tests/drgn-test.sh under Debian sid's drgn; prints KTAP.
"""

import json
import os
import subprocess
import sys
import unittest

import drgn

import ksyms
import ksyms.drgn
import ktap

IMAGE = sys.argv[1] if __name__ == "__main__" else None
COMMAND = os.environ.get("KSYMS_COMMAND", "ksyms")
BINDINGS = {"LOCAL": drgn.SymbolBinding.LOCAL, "GLOBAL": drgn.SymbolBinding.GLOBAL,
            "WEAK": drgn.SymbolBinding.WEAK}
KINDS = {"FUNC": drgn.SymbolKind.FUNC, "OBJECT": drgn.SymbolKind.OBJECT,
         "NOTYPE": drgn.SymbolKind.UNKNOWN, "TLS": drgn.SymbolKind.TLS}


def ksyms_command(*args, ok=(0,)):
    done = subprocess.run([COMMAND, "--file", IMAGE] + list(args),
                          capture_output=True, text=True)
    if done.returncode not in ok:
        raise AssertionError("ksyms %s exited %d: %s" % (args[0], done.returncode,
                                                         done.stderr))
    return done.stdout


def as_tuple(symbol):
    return (symbol.name, symbol.address, symbol.size, symbol.binding, symbol.kind)


class DrgnFinderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.snapshot = ksyms.open(IMAGE)
        cls.prog = drgn.Program()
        ksyms.drgn.register(cls.prog, cls.snapshot)
        # What the image says, in the command's words.
        cls.image = [(s["Name"], int(s["Address"], 16), int(s["Size"], 16),
                      BINDINGS[s["Binding"]], KINDS[s["Type"]])
                     for s in map(json.loads, ksyms_command("dump", "--format=json").splitlines())]
        cls.by_name = {}
        for s in cls.image:
            cls.by_name.setdefault(s[0], []).append(s)

    @classmethod
    def tearDownClass(cls):
        cls.snapshot.close()

    def test_registered_first(self):
        self.assertEqual("ksyms", self.prog.enabled_symbol_finders()[0])

    def test_every_symbol(self):
        self.assertGreater(len(self.image), 3000)
        self.assertEqual(sorted(self.image),
                         sorted(as_tuple(s) for s in self.prog.symbols()))

    def test_symbols_by_name(self):
        for name, want in self.by_name.items():
            self.assertEqual(sorted(want),
                             sorted(as_tuple(s) for s in self.prog.symbols(name)), name)

    def test_symbol_by_name_prefers_global_then_weak(self):
        rank = {drgn.SymbolBinding.GLOBAL: 0, drgn.SymbolBinding.WEAK: 1}
        for name, want in self.by_name.items():
            got = as_tuple(self.prog.symbol(name))
            self.assertIn(got, want, name)
            self.assertEqual(min(rank.get(s[3], 2) for s in want),
                             rank.get(got[3], 2), name)
        for name, binding in (("global_or_local", drgn.SymbolBinding.GLOBAL),
                              ("weak_or_local", drgn.SymbolBinding.WEAK),
                              ("dup_name", drgn.SymbolBinding.LOCAL)):
            self.assertEqual(binding, self.prog.symbol(name).binding, name)
            self.assertGreater(len(self.by_name[name]), 1, name)
        self.assertEqual((drgn.SymbolBinding.GLOBAL, drgn.SymbolKind.OBJECT),
                         (self.prog.symbol("init_task").binding,
                          self.prog.symbol("init_task").kind))
        with self.assertRaises(LookupError):
            self.prog.symbol("no_such_symbol")
        self.assertEqual([], self.prog.symbols("no_such_symbol"))

    def test_symbol_by_address_as_symbolize(self):
        addresses = []
        for name, address, size, _, _ in self.image:
            addresses += [address, address + size // 2, address + size]
        addresses = list(dict.fromkeys(addresses))
        lines = ksyms_command("symbolize", *("%#x" % a for a in addresses), ok=(0, 1))
        checked = 0
        for address, line in zip(addresses, lines.splitlines()):
            text, answer = line.split(" ", 1)
            self.assertEqual(address, int(text, 16))
            if answer == "??":
                with self.assertRaises(LookupError):
                    self.prog.symbol(address)
                self.assertEqual([], self.prog.symbols(address))
                continue
            name, offset, size = self._parse(answer)
            got = self.prog.symbol(address)
            self.assertEqual((name, address - offset, size),
                             (got.name, got.address, got.size), line)
            self.assertEqual([as_tuple(got)],
                             [as_tuple(s) for s in self.prog.symbols(address)])
            checked += 1
        self.assertGreater(checked, 6000)

    @staticmethod
    def _parse(answer):
        # name+0xoff/0xsize, then " [module ...]" for a module
        where = answer.split(" ", 1)[0]
        name, rest = where.rsplit("+", 1)
        offset, size = rest.split("/")
        return name, int(offset, 16), int(size, 16)

    def test_name_and_address_together(self):
        inner = self.snapshot.lookup("inner_label")[0]
        outer = self.snapshot.lookup("outer_fn")[0]
        finder = ksyms.drgn.SymbolFinder(self.snapshot)
        self.assertEqual(["inner_label"],
                         [s.name for s in finder(self.prog, "inner_label",
                                                 inner.address + 1, False)])
        # outer_fn contains it too, though symbolize names the innermost.
        self.assertEqual([(outer.address, outer.size)],
                         [(s.address, s.size) for s in
                          finder(self.prog, "outer_fn", inner.address + 1, False)])
        self.assertEqual([], finder(self.prog, "_stext", inner.address + 1, False))

    def test_closed_snapshot_is_an_error(self):
        snapshot = ksyms.open(IMAGE)
        prog = drgn.Program()
        ksyms.drgn.register(prog, snapshot)
        self.assertEqual("init_task", prog.symbol("init_task").name)
        snapshot.close()
        with self.assertRaises(ValueError):
            prog.symbol("init_task")


if __name__ == "__main__":
    ktap.main()
