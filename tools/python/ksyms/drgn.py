# SPDX-License-Identifier: BSD-2-Clause
"""A ksyms snapshot as drgn's symbol finder.

    import drgn, ksyms, ksyms.drgn
    prog = drgn.Program()
    ksyms.drgn.register(prog, ksyms.open("saved.elf"))
    prog.symbol("init_task"), prog.symbol(0xffffffff81000000)

Needs drgn 0.0.27 or later (Program.register_symbol_finder). The finder
answers from the snapshot as `ksyms lookup` and `ksyms symbolize` do, so
drgn gets the module-aware, kallsyms-sized answers of the image without
debug info or a live kernel:

- by name: every symbol of that name (drgn prefers GLOBAL, then WEAK,
  then LOCAL when it wants one), with its st_size;
- by address: the one symbol `ksyms symbolize` names, innermost first,
  with the extent the address fell in as its size (a symbol of size 0
  reaches to the next one, as in /proc/kallsyms), also when drgn asks for
  every symbol containing the address;
- neither: every symbol of the image.
"""

import drgn

if not hasattr(drgn.Program, "register_symbol_finder"):
    raise ImportError("ksyms.drgn needs drgn 0.0.27 or later "
                      "(Program.register_symbol_finder); this is drgn "
                      + getattr(drgn, "__version__", "of unknown version"))

__all__ = ["SymbolFinder", "register"]

_BINDINGS = {
    "LOCAL": drgn.SymbolBinding.LOCAL,
    "GLOBAL": drgn.SymbolBinding.GLOBAL,
    "WEAK": drgn.SymbolBinding.WEAK,
}
_KINDS = {
    "OBJECT": drgn.SymbolKind.OBJECT,
    "FUNC": drgn.SymbolKind.FUNC,
    "SECTION": drgn.SymbolKind.SECTION,
    "FILE": drgn.SymbolKind.FILE,
    "COMMON": drgn.SymbolKind.COMMON,
    "TLS": drgn.SymbolKind.TLS,
}
# drgn.Program.symbol()'s own preference when one symbol is wanted.
_PREFERENCE = {"GLOBAL": 0, "WEAK": 1}


def _drgn_symbol(symbol, size=None):
    return drgn.Symbol(symbol.name, symbol.address,
                       symbol.size if size is None else size,
                       _BINDINGS.get(symbol.binding, drgn.SymbolBinding.UNKNOWN),
                       _KINDS.get(symbol.type, drgn.SymbolKind.UNKNOWN))


class SymbolFinder:
    """Callable as drgn's symbol finder: (prog, name, address, one)."""

    def __init__(self, snapshot):
        self.snapshot = snapshot

    def __call__(self, prog, name, address, one):
        if address is None:
            if name is None:
                found = [_drgn_symbol(s) for s in self.snapshot]
            else:
                named = self.snapshot.lookup(name)
                if one:
                    named.sort(key=lambda s: _PREFERENCE.get(s.binding, 2))
                found = [_drgn_symbol(s) for s in named]
        else:
            found = self._at(name, address)
        return found[:1] if one else found

    def _at(self, name, address):
        match = self.snapshot.symbolize(address)
        if match is not None and name in (None, match.name):
            return [_drgn_symbol(match.symbol, match.size)]
        if name is None:
            return []
        # Another symbol of that name can contain the address too, where
        # sized symbols nest.
        return [_drgn_symbol(s) for s in self.snapshot.lookup(name)
                if s.address <= address < s.address + s.size]


def register(prog, snapshot, name="ksyms", enable_index=0):
    """Registers snapshot as prog's symbol finder `name`, first by default."""
    finder = SymbolFinder(snapshot)
    prog.register_symbol_finder(name, finder, enable_index=enable_index)
    return finder
