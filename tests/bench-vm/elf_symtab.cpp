// SPDX-License-Identifier: BSD-2-Clause
// What elf_symtab.h declares.

#include "elf_symtab.h"

#include <gelf.h>

#include <cstring>

namespace bench {

Error elf_error(const std::string &what)
{
	const char *msg = elf_errmsg(-1);
	return Error{what + ": " + (msg ? msg : "unknown libelf error")};
}

namespace {

Result<Elf_Scn *> find_symtab(Elf *elf)
{
	for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			return elf_error("gelf_getshdr");
		if (sh.sh_type == SHT_SYMTAB)
			return scn;
	}
	return Error{"no SHT_SYMTAB section"};
}

Result<Elf_Data *> section_data(Elf *elf, std::size_t index)
{
	Elf_Data *d = elf_getdata(elf_getscn(elf, index), nullptr);
	if (!d || !d->d_buf)
		return elf_error(fmt("elf_getdata(section %zu)", index));
	return d;
}

// A libelf handle on the image and its symbol table. elf_memory() is
// ELF_C_READ over the caller's buffer: for a native-endian, aligned image
// libelf hands out pointers into it and never writes (a write would fault:
// the ksyms mapping is PROT_READ). Its char * parameter is the only reason
// for the const_cast.
struct SymtabView {
	ElfPtr elf;
	std::span<const Elf64_Sym> table;	// with the null symbol
	std::size_t strndx = 0;
	const char *str = nullptr;
	std::size_t str_size = 0;
};

Result<SymtabView> open_symtab(std::span<const char> image)
{
	SymtabView v;
	v.elf.reset(elf_memory(const_cast<char *>(image.data()), image.size()));
	if (!v.elf)
		return elf_error("elf_memory");
	if (elf_kind(v.elf.get()) != ELF_K_ELF || gelf_getclass(v.elf.get()) != ELFCLASS64)
		return Error{"not an ELF64 image"};
	auto scn = find_symtab(v.elf.get());
	if (!scn.ok())
		return scn.error();
	const Elf64_Shdr *sh = elf64_getshdr(*scn);
	if (!sh || sh->sh_link == 0)
		return Error{"symbol table without a string table"};
	auto syms = section_data(v.elf.get(), elf_ndxscn(*scn));
	auto strs = section_data(v.elf.get(), sh->sh_link);
	if (const Error *e = first_error(syms, strs))
		return *e;
	v.strndx = sh->sh_link;
	v.str = static_cast<const char *>((*strs)->d_buf);
	v.str_size = (*strs)->d_size;
	if (v.str_size == 0 || v.str[v.str_size - 1] != '\0')
		return Error{"string table not NUL-terminated"};
	v.table = {static_cast<const Elf64_Sym *>((*syms)->d_buf), (*syms)->d_size / sizeof(Elf64_Sym)};
	if (v.table.empty())
		return Error{"empty symbol table"};
	return v;
}

} // namespace

Status walk_symtab(std::span<const char> image, Symbols &out)
{
	auto v = open_symtab(image);
	if (!v.ok())
		return v.error();
	out.clear();
	out.reserve(v->table.size());
	for (const Elf64_Sym &s : v->table.subspan(1)) {
		if (s.st_name >= v->str_size)
			return Error{fmt("symbol name offset %u out of range", s.st_name)};
		out.emplace_back(s.st_value, v->str + s.st_name);
	}
	return success();
}

namespace {

// The letter /proc/kallsyms prints for each symbol, in symbol table order:
// the image's .ksyms.kallsyms section (docs/image-format.md), which is what
// lets `ksyms dump --format=kallsyms` print /proc/kallsyms byte for byte.
Result<const unsigned char *> kallsyms_letters(Elf *elf, std::size_t nsyms)
{
	std::size_t shnum = 0, names = 0;
	if (elf_getshdrnum(elf, &shnum) != 0 || elf_getshdrstrndx(elf, &names) != 0)
		return elf_error("section headers");
	for (std::size_t i = 1; i < shnum; i++) {
		Elf_Scn *scn = elf_getscn(elf, i);
		GElf_Shdr sh;
		if (!scn || !gelf_getshdr(scn, &sh))
			return elf_error("gelf_getshdr");
		const char *name = elf_strptr(elf, names, sh.sh_name);
		if (!name || std::strcmp(name, ".ksyms.kallsyms") != 0)
			continue;
		Elf_Data *d = elf_getdata(scn, nullptr);
		if (!d || !d->d_buf || d->d_size != nsyms + (nsyms - 1 + 7) / 8)
			return Error{"malformed .ksyms.kallsyms"};
		return static_cast<const unsigned char *>(d->d_buf);
	}
	return Error{"no .ksyms.kallsyms section"};
}

} // namespace

Result<Consumed> checksum_symtab(std::span<const char> image)
{
	auto v = open_symtab(image);
	if (!v.ok())
		return v.error();
	auto letters = kallsyms_letters(v->elf.get(), v->table.size());
	if (!letters.ok())
		return letters.error();
	// The names are read in place, as perf and nlist read a string
	// table: open_symtab() checked that it ends in a NUL, so every name
	// inside it is a C string. What the loop reads besides the symbols
	// is copied to locals first: read through v and letters, the
	// compiler reloads it from the stack for every symbol, a memory
	// access that TCG emulates at several times a register's cost, and
	// the text's parser keeps its state in registers too.
	const std::span<const Elf64_Sym> table = v->table;
	const char *const str = v->str;
	const char *const limit = str + v->str_size;
	const unsigned char *const letter = *letters;
	std::uint64_t sum = 0;
	for (std::size_t i = 1; i < table.size(); i++) {
		const Elf64_Sym &s = table[i];
		const char *name = str + s.st_name;	// st_name < 4 GiB: no overflow
		if (name >= limit)
			return Error{fmt("symbol name offset %u out of range", s.st_name)};
		std::uint64_t h;
		const char *end = scan_name<NulEnds>(name, limit, &h);
		sum += symbol_hash(s.st_value, letter[i], std::size_t(end - name), h);
	}
	return Consumed{table.size() - 1, sum};
}

} // namespace bench
