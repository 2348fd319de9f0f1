// SPDX-License-Identifier: BSD-2-Clause
// The SHT_SYMTAB of an ELF image, found with libelf: the Elf64_Sym array and
// its string table, pointing into the image.
#ifndef KSYMS_SRC_SYMBOL_TABLE_H
#define KSYMS_SRC_SYMBOL_TABLE_H

#include <ksyms/error.h>
#include <ksyms/symbol.h>

#include <elf.h>
#include <gelf.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

struct Elf;
struct Elf_Scn;

namespace ksyms {

class SymbolTable {
public:
	// `image` must outlive the table.  `path` only names it in errors.
	static Expected<SymbolTable> read(std::span<const std::byte> image,
					  const std::string &path);

	SymbolTable(SymbolTable &&other) noexcept;
	SymbolTable &operator=(SymbolTable &&other) noexcept;
	~SymbolTable();

	// Entries including the null symbol at 0.
	uint32_t entry_count() const { return count_; }
	// sh_info: one past the last STB_LOCAL symbol.
	uint32_t first_global() const { return first_global_; }

	const Elf64_Sym &raw(uint32_t index) const { return symbols_[index]; }
	Symbol symbol(uint32_t index) const;
	// The string table: strings() + st_name is a symbol's C string name.
	const char *strings() const { return strings_; }
	// The image's object table (.ksyms.objects), empty if it has none.
	std::span<const ObjectInfo> objects() const { return objects_; }
	// .ksyms.kallsyms: a letter for each entry, and the kallsyms order
	// bitmap; both empty if the image has none.
	std::span<const char> kallsyms_letters() const { return kallsyms_letters_; }
	std::span<const uint8_t> kallsyms_order() const { return kallsyms_order_; }

private:
	SymbolTable() = default;
	Error read_sections(const std::string &path);
	Error read_objects(Elf_Scn *scn, const GElf_Shdr &sh,
			   const std::string &path);
	Error read_kallsyms(Elf_Scn *scn, const std::string &path);
	char letter(const Elf64_Sym &raw) const;

	Elf *elf_ = nullptr;	// keeps libelf's view of the image
	const Elf64_Sym *symbols_ = nullptr;
	uint32_t count_ = 0;
	uint32_t first_global_ = 0;
	const char *strings_ = nullptr;
	size_t strings_size_ = 0;	// strings_[strings_size_ - 1] == '\0'
	// nm's lower-case letter for each section index, 0 where the
	// section's flags give none (see section_letter()).
	std::vector<char> section_letters_;
	std::vector<ObjectInfo> objects_;
	std::span<const char> kallsyms_letters_;
	std::span<const uint8_t> kallsyms_order_;
};

} // namespace ksyms

#endif
