// SPDX-License-Identifier: GPL-2.0-only
// What writer_image.h declares.
#include "writer_image.h"

namespace ksyms_test {

Elf64_Sym sym_of(unsigned bind, unsigned type, u64 value, u64 size,
		 u32 st_name, u8 other, u16 shndx)
{
	Elf64_Sym s{};
	s.st_name = st_name;
	s.st_info = ELF64_ST_INFO(bind, type);
	s.st_other = other;
	s.st_shndx = shndx;
	s.st_value = value;
	s.st_size = size;
	return s;
}

bool same_sym(const Elf64_Sym &a, const GElf_Sym &b)
{
	return a.st_name == b.st_name && a.st_info == b.st_info &&
	       a.st_other == b.st_other && a.st_shndx == b.st_shndx &&
	       a.st_value == b.st_value && a.st_size == b.st_size;
}

const Elf64_Sym *nn(const std::vector<Elf64_Sym> &v)
{
	static const Elf64_Sym dummy{};
	return v.empty() ? &dummy : v.data();
}

std::vector<std::string> names_of(const ParsedImage &p)
{
	std::vector<std::string> v;
	for (const ParsedSymbol &s : p.syms)
		v.push_back(s.name);
	return v;
}


} // namespace ksyms_test
