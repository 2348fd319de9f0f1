// SPDX-License-Identifier: BSD-2-Clause
// Reading a debug file's ELF with libelf, for the programs that make images
// of Debian's debug files and compare answers with llvm-symbolizer's.
#ifndef KSYMS_TESTS_ELF_FILE_H
#define KSYMS_TESTS_ELF_FILE_H

#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ksyms::test {

// A file open for reading with libelf; elf is null if it cannot be.
struct ElfFile {
	int fd = -1;
	Elf *elf = nullptr;
	explicit ElfFile(const std::string &path)
	{
		elf_version(EV_CURRENT);
		fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
	}
	ElfFile(const ElfFile &) = delete;
	ElfFile &operator=(const ElfFile &) = delete;
	~ElfFile()
	{
		elf_end(elf);
		if (fd >= 0)
			close(fd);
	}
};

// The GNU build ID note's bytes; empty if there is none.
inline std::vector<uint8_t> build_id(Elf *elf)
{
	const void *bits = nullptr;
	ssize_t size = dwelf_elf_gnu_build_id(elf, &bits);
	if (size <= 0)
		return {};
	const auto *bytes = static_cast<const uint8_t *>(bits);
	return {bytes, bytes + size};
}

// Calls each(name, sym, section) for every named symbol of the file's
// symbol tables; `section` is the header of the section the symbol is
// defined in, or null for one in none (undefined, absolute, common).
template <typename Each> void for_each_symbol(Elf *elf, Each each)
{
	for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn;
	     scn = elf_nextscn(elf, scn)) {
		GElf_Shdr symtab;
		if (!gelf_getshdr(scn, &symtab) || symtab.sh_type != SHT_SYMTAB)
			continue;
		Elf_Data *data = elf_getdata(scn, nullptr);
		for (size_t i = 1; data && i < symtab.sh_size / symtab.sh_entsize;
		     i++) {
			GElf_Sym sym;
			GElf_Shdr shdr;
			if (!gelf_getsym(data, (int)i, &sym))
				continue;
			const char *name =
				elf_strptr(elf, symtab.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			bool in_section =
				sym.st_shndx != SHN_UNDEF &&
				sym.st_shndx < SHN_LORESERVE &&
				gelf_getshdr(elf_getscn(elf, sym.st_shndx), &shdr);
			each(name, sym, in_section ? &shdr : nullptr);
		}
	}
}

} // namespace ksyms::test

#endif
