// SPDX-License-Identifier: BSD-2-Clause
#include "module_sections.h"

#include <map>
#include <string_view>
#include <unordered_map>

namespace ksyms {

namespace {

struct NameCount {
	uint64_t address = 0;
	unsigned count = 0;
};

// The module's symbols in the image, by name.
std::unordered_map<std::string_view, NameCount> image_names(
	const Snapshot &snapshot, const ObjectInfo &module)
{
	std::unordered_map<std::string_view, NameCount> names;
	auto add_range = [&](uint64_t first, uint64_t count) {
		for (uint64_t i = first; i < first + count; i++) {
			Symbol symbol = snapshot.symbol((uint32_t)i);
			NameCount &entry = names[symbol.name];
			entry.address = symbol.address;
			entry.count++;
		}
	};
	add_range(module.first_local, module.local_count);
	add_range(module.first_global, module.global_count);
	return names;
}

} // namespace

std::vector<uint64_t> module_section_addresses(const Snapshot &snapshot,
					       const ObjectInfo &module,
					       Elf *ko)
{
	size_t sections = 0;
	if (elf_getshdrnum(ko, &sections) != 0)
		return {};
	std::vector<uint64_t> addresses(sections, no_section_address);

	Elf_Scn *symtab = nullptr;
	GElf_Shdr shdr;
	for (Elf_Scn *scn = elf_nextscn(ko, nullptr); scn;
	     scn = elf_nextscn(ko, scn))
		if (gelf_getshdr(scn, &shdr) && shdr.sh_type == SHT_SYMTAB)
			symtab = scn;
	Elf_Data *data = symtab ? elf_getdata(symtab, nullptr) : nullptr;
	if (!data || !gelf_getshdr(symtab, &shdr) || !shdr.sh_entsize)
		return addresses;
	size_t strings = shdr.sh_link;
	size_t count = shdr.sh_size / shdr.sh_entsize;

	std::unordered_map<std::string_view, unsigned> ko_count;
	std::vector<std::pair<std::string_view, GElf_Sym>> defined;
	for (size_t i = 1; i < count; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(data, (int)i, &sym))
			continue;
		int type = GELF_ST_TYPE(sym.st_info);
		if (type == STT_SECTION || type == STT_FILE ||
		    sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE ||
		    sym.st_shndx >= sections)
			continue;
		const char *name = elf_strptr(ko, strings, sym.st_name);
		if (!name || !*name)
			continue;
		ko_count[name]++;
		defined.emplace_back(name, sym);
	}

	auto in_image = image_names(snapshot, module);
	std::vector<std::map<uint64_t, unsigned>> votes(sections);
	for (const auto &[name, sym] : defined) {
		auto found = in_image.find(name);
		if (found == in_image.end() || found->second.count != 1 ||
		    ko_count[name] != 1)
			continue;
		votes[sym.st_shndx][found->second.address - sym.st_value]++;
	}
	for (size_t i = 0; i < sections; i++) {
		unsigned best = 0;
		for (const auto &[address, n] : votes[i])
			if (n > best) {
				best = n;
				addresses[i] = address;
			}
	}
	return addresses;
}

} // namespace ksyms
