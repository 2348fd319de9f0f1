// SPDX-License-Identifier: BSD-2-Clause
#include "symbol_table.h"

#include <linux/ksyms.h>

#include <gelf.h>
#include <libelf.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

namespace ksyms {

namespace {

Error format_error(const std::string &path, std::string_view what)
{
	return Error::with_message(ENOEXEC, path, what);
}

Error libelf_error(const std::string &path, std::string_view step)
{
	std::string what(step);
	what += ": ";
	what += elf_errmsg(-1);
	return format_error(path, what);
}

} // namespace

Expected<SymbolTable> SymbolTable::read(std::span<const std::byte> image,
					const std::string &path)
{
	// libelf needs to know the version we speak; it keeps no other state.
	if (elf_version(EV_CURRENT) == EV_NONE)
		return libelf_error(path, "libelf");

	// elf_memory() works in place on a native, aligned ELF64 image and
	// only writes to it when asked to convert byte order (then in place,
	// which the read-only mapping would not survive).  So refuse
	// foreign-endian files before libelf sees them: every kernel
	// /dev/ksyms serves is little-endian anyway.
	const auto *ident = reinterpret_cast<const unsigned char *>(image.data());
	if (image.size() < EI_NIDENT ||
	    std::memcmp(ident, ELFMAG, SELFMAG) != 0)
		return format_error(path, "not an ELF file");
	if (ident[EI_CLASS] != ELFCLASS64)
		return format_error(path, "not a 64-bit ELF file");
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (ident[EI_DATA] != ELFDATA2LSB)
#else
	if (ident[EI_DATA] != ELFDATA2MSB)
#endif
		return format_error(path, "ELF byte order is not this machine's");

	SymbolTable table;
	table.elf_ = elf_memory(
		reinterpret_cast<char *>(const_cast<std::byte *>(image.data())),
		image.size());
	if (!table.elf_)
		return libelf_error(path, "elf_memory");
	if (elf_kind(table.elf_) != ELF_K_ELF)
		return format_error(path, "not an ELF file");

	Elf_Scn *symtab = nullptr;
	GElf_Shdr symtab_header;
	for (Elf_Scn *scn = elf_nextscn(table.elf_, nullptr); scn;
	     scn = elf_nextscn(table.elf_, scn)) {
		GElf_Shdr header;
		if (!gelf_getshdr(scn, &header))
			return libelf_error(path, "section header");
		if (header.sh_type == SHT_SYMTAB) {
			symtab = scn;
			symtab_header = header;
			break;
		}
	}
	if (!symtab)
		return format_error(path, "no symbol table (SHT_SYMTAB)");

	Elf_Data *data = elf_getdata(symtab, nullptr);
	if (!data)
		return libelf_error(path, ".symtab");
	if (data->d_size % sizeof(Elf64_Sym) != 0 ||
	    data->d_size / sizeof(Elf64_Sym) >
		    std::numeric_limits<uint32_t>::max())
		return format_error(path, "malformed symbol table size");
	table.symbols_ = static_cast<const Elf64_Sym *>(data->d_buf);
	table.count_ = data->d_size / sizeof(Elf64_Sym);
	table.first_global_ = symtab_header.sh_info;
	if (table.first_global_ > table.count_)
		return format_error(path, "symbol table sh_info out of range");

	Elf_Scn *strtab = elf_getscn(table.elf_, symtab_header.sh_link);
	Elf_Data *strings = strtab ? elf_getdata(strtab, nullptr) : nullptr;
	if (!strings)
		return libelf_error(path, "symbol string table");
	table.strings_ = static_cast<const char *>(strings->d_buf);
	table.strings_size_ = strings->d_size;
	// With a final NUL every in-range st_name is a C string, which makes
	// Symbol::name.data() usable from C without a copy.
	if (table.strings_size_ == 0 ||
	    table.strings_[table.strings_size_ - 1] != '\0')
		return format_error(path, "symbol string table not terminated");
	for (uint32_t i = 0; i < table.count_; i++) {
		if (table.symbols_[i].st_name >= table.strings_size_)
			return format_error(path,
					    "symbol name outside string table");
	}
	if (Error err = table.read_sections(path))
		return err;
	return table;
}

namespace {

// GNU nm's letter for a section, lower case, as bfd decides it: code is t;
// allocated data with contents is r or d by SHF_WRITE; allocated NOBITS is
// b.  0 for sections that give no letter of these.
char section_letter(const GElf_Shdr &sh)
{
	if (sh.sh_flags & SHF_EXECINSTR)
		return 't';
	if (!(sh.sh_flags & SHF_ALLOC))
		return 0;
	if (sh.sh_type == SHT_NOBITS)
		return 'b';
	return (sh.sh_flags & SHF_WRITE) ? 'd' : 'r';
}

} // namespace

// The section letters, and the object table if the image has one.
Error SymbolTable::read_sections(const std::string &path)
{
	size_t count = 0, names = 0;

	if (elf_getshdrnum(elf_, &count) != 0 ||
	    elf_getshdrstrndx(elf_, &names) != 0)
		return libelf_error(path, "section headers");
	section_letters_.assign(count, 0);
	for (size_t i = 1; i < count; i++) {
		Elf_Scn *scn = elf_getscn(elf_, i);
		GElf_Shdr sh;
		if (!scn || !gelf_getshdr(scn, &sh))
			return libelf_error(path, "section header");
		section_letters_[i] = section_letter(sh);
		const char *name = elf_strptr(elf_, names, sh.sh_name);
		Error err;
		if (name && std::strcmp(name, ".ksyms.objects") == 0)
			err = read_objects(scn, sh, path);
		else if (name && std::strcmp(name, ".ksyms.kallsyms") == 0)
			err = read_kallsyms(scn, path);
		if (err)
			return err;
	}
	return {};
}

// .ksyms.kallsyms: a letter for each of the entry_count() entries, then a
// bit for each but the null symbol.
Error SymbolTable::read_kallsyms(Elf_Scn *scn, const std::string &path)
{
	Elf_Data *data = elf_getdata(scn, nullptr);
	size_t bits = count_ ? count_ - 1 : 0;
	if (!data || data->d_size != count_ + (bits + 7) / 8)
		return format_error(path, "malformed .ksyms.kallsyms");
	const auto *bytes = static_cast<const char *>(data->d_buf);
	kallsyms_letters_ = std::span<const char>(bytes, count_);
	kallsyms_order_ = std::span<const uint8_t>(
		reinterpret_cast<const uint8_t *>(bytes + count_),
		(bits + 7) / 8);
	return {};
}

// .ksyms.objects: struct ksyms_object records (<linux/ksyms.h>).
Error SymbolTable::read_objects(Elf_Scn *scn, const GElf_Shdr &sh,
				const std::string &path)
{
	Elf_Data *data = elf_getdata(scn, nullptr);
	if (!data || sh.sh_entsize != sizeof(ksyms_object) ||
	    data->d_size % sizeof(ksyms_object) != 0)
		return format_error(path, "malformed object table");
	const auto *raw = static_cast<const ksyms_object *>(data->d_buf);
	size_t n = data->d_size / sizeof(ksyms_object);
	for (size_t i = 0; i < n; i++) {
		const ksyms_object &r = raw[i];
		if (r.name[sizeof(r.name) - 1] != '\0' ||
		    r.build_id_size > sizeof(r.build_id) ||
		    r.first_local > count_ || r.nr_locals > count_ - r.first_local ||
		    r.first_global > count_ ||
		    r.nr_globals > count_ - r.first_global)
			return format_error(path, "malformed object record");
		ObjectInfo info;
		info.name = r.name;
		info.base = r.base;
		info.size = r.size;
		info.first_local = r.first_local;
		info.local_count = r.nr_locals;
		info.first_global = r.first_global;
		info.global_count = r.nr_globals;
		info.build_id = std::span<const uint8_t>(r.build_id,
							 r.build_id_size);
		info.pseudo = r.flags & KSYMS_OBJECT_PSEUDO;
		objects_.push_back(info);
	}
	return {};
}

SymbolTable::SymbolTable(SymbolTable &&other) noexcept
	: elf_(std::exchange(other.elf_, nullptr)),
	  symbols_(other.symbols_), count_(other.count_),
	  first_global_(other.first_global_), strings_(other.strings_),
	  strings_size_(other.strings_size_),
	  section_letters_(std::move(other.section_letters_)),
	  objects_(std::move(other.objects_)),
	  kallsyms_letters_(other.kallsyms_letters_),
	  kallsyms_order_(other.kallsyms_order_)
{
}

SymbolTable &SymbolTable::operator=(SymbolTable &&other) noexcept
{
	if (this != &other) {
		if (elf_)
			elf_end(elf_);
		elf_ = std::exchange(other.elf_, nullptr);
		symbols_ = other.symbols_;
		count_ = other.count_;
		first_global_ = other.first_global_;
		strings_ = other.strings_;
		strings_size_ = other.strings_size_;
		section_letters_ = std::move(other.section_letters_);
		objects_ = std::move(other.objects_);
		kallsyms_letters_ = other.kallsyms_letters_;
		kallsyms_order_ = other.kallsyms_order_;
	}
	return *this;
}

SymbolTable::~SymbolTable()
{
	if (elf_)
		elf_end(elf_);
}

char SymbolTable::letter(const Elf64_Sym &raw) const
{
	unsigned char type = ELF64_ST_TYPE(raw.st_info);
	unsigned char binding = ELF64_ST_BIND(raw.st_info);
	char base = raw.st_shndx < section_letters_.size() ?
		    section_letters_[raw.st_shndx] : 0;

	if (!base || binding == STB_WEAK)
		return type_letter(type, binding, raw.st_shndx);
	return binding == STB_LOCAL ? base : base - 'a' + 'A';
}

Symbol SymbolTable::symbol(uint32_t index) const
{
	const Elf64_Sym &raw = symbols_[index];
	Symbol symbol;
	symbol.index = index;
	symbol.name = std::string_view(strings_ + raw.st_name);
	symbol.address = raw.st_value;
	symbol.size = raw.st_size;
	symbol.type = ELF64_ST_TYPE(raw.st_info);
	symbol.binding = ELF64_ST_BIND(raw.st_info);
	symbol.section = raw.st_shndx;
	symbol.letter = letter(raw);
	return symbol;
}

} // namespace ksyms
