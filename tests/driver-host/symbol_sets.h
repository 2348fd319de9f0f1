// SPDX-License-Identifier: GPL-2.0-only
// Random symbol sets for the property test: a mix of ksyms_elf_add() and
// ksyms_elf_add_object() calls from a seed, what the image must then hold,
// and the building and checking of that image.
#ifndef KSYMS_HOST_SYMBOL_SETS_H
#define KSYMS_HOST_SYMBOL_SETS_H

#include "elf_test_util.h"
#include "freebsd_image.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ksyms_test {

struct Expected {
	std::string name;
	Elf64_Sym sym;	// st_name as it must come out of the image
};

struct Op {
	bool object = false;
	// ksyms_elf_add
	Elf64_Sym sym{};
	std::string name;
	// ksyms_elf_add_object
	std::vector<Elf64_Sym> locals, globals;
	std::string strtab;
};

struct SymbolSet {
	ksyms_elf_layout layout = freebsd_layout(1, 0, 1);
	std::vector<Op> ops;
	std::vector<Expected> locals, globals;	// in image order, null excluded
};

// The set seed @seed gives: 0 to 2000 symbols, in objects or one by one.
SymbolSet random_symbol_set(u64 seed);

// Builds @set into @buf (@size bytes of image, then guard bytes that must
// stay untouched), checking the writer's complete() after every call.
::testing::AssertionResult build(const SymbolSet &set, std::vector<uint8_t> &buf,
				 u64 &size);
// Whether the image read back (@p) holds exactly @set's symbols.
::testing::AssertionResult check(const SymbolSet &set, const ParsedImage &p,
				 u64 size);

} // namespace ksyms_test

#endif
