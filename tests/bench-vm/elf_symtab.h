// SPDX-License-Identifier: BSD-2-Clause
// The device side's reader: a symbol table walked through libelf, in place
// over a read-only mapping (the /dev/ksyms image, or any ELF64 file).
#ifndef KSYMS_BENCH_VM_ELF_SYMTAB_H
#define KSYMS_BENCH_VM_ELF_SYMTAB_H

#include "checksum.h"
#include "result.h"

#include <libelf.h>

#include <memory>
#include <span>
#include <string>

namespace bench {

struct ElfCloser {
	void operator()(Elf *e) const { elf_end(e); }
};
using ElfPtr = std::unique_ptr<Elf, ElfCloser>;

Error elf_error(const std::string &what);

// Pointers only: every symbol but the null one as (value, name pointer),
// no name byte read.
Status walk_symtab(std::span<const char> image, Symbols &out);

// Names touched: every symbol's address, kallsyms letter and name bytes
// (elf_strptr) into the checksum.
Result<Consumed> checksum_symtab(std::span<const char> image);

} // namespace bench

#endif
