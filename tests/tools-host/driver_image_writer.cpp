// SPDX-License-Identifier: BSD-2-Clause
#include "driver_image_writer.h"

extern "C" {
#include "ksyms_elf.h"
#include "ksyms_nm.h"
}

#include <algorithm>
#include <cstring>

namespace ksyms::test {

std::vector<uint8_t> build_driver_image(const std::vector<ImageObject> &objects,
					size_t pseudo)
{
	ksyms_elf_layout layout{};
	std::vector<std::vector<ksyms_typed_section>> sections;
	std::vector<std::vector<Elf64_Sym>> placed;

	layout.nr_locals = 1;
	layout.strtab_size = 1;
	layout.nr_objects = objects.size();
	for (const ImageObject &o : objects) {
		ksyms_elf_chunker c;
		std::vector<ksyms_typed_section> secs(o.symbols.size() + 1);
		std::vector<Elf64_Sym> syms;

		ksyms_elf_chunker_init(&c, secs.data(), secs.size(),
				       KSYMS_ELF_SECTION_SPAN);
		for (const ImageSymbol &s : o.symbols) {
			Elf64_Sym sym{};
			ksyms_nm_to_sym(s.letter, s.address, &sym);
			sym.st_size = s.size;
			sym.st_shndx = ksyms_elf_place(
				&c, &sym, ksyms_nm_kind(s.letter),
				KSYMS_SHN_FIRST_TYPED + layout.nr_sections);
			syms.push_back(sym);
			(ksyms_elf_is_local(&sym) ? layout.nr_locals :
						    layout.nr_globals)++;
			layout.strtab_size += s.name.size() + 1;
		}
		ksyms_elf_chunker_finish(&c);
		secs.resize(c.nr);
		layout.nr_sections += c.nr;
		layout.zero_size = std::max(layout.zero_size, c.zero_size);
		layout.nobits_size = std::max(layout.nobits_size, c.nobits_size);
		layout.build_ids_size +=
			ksyms_elf_build_id_note_size(o.build_id.size());
		sections.push_back(secs);
		placed.push_back(syms);
	}

	std::vector<uint8_t> image(ksyms_elf_image_size(&layout));
	ksyms_elf_write_headers(image.data(), &layout, EM_X86_64, ELFDATA2LSB);
	ksyms_elf_cursor at;
	ksyms_elf_cursor_init(&at, image.data(), &layout);
	for (size_t k = 0; k < objects.size(); k++) {
		ksyms_object *rec =
			ksyms_elf_object_begin(&at, objects[k].name.c_str());
		if (!rec)
			return {};
		if (k + pseudo >= objects.size())
			rec->flags = KSYMS_OBJECT_PSEUDO;
		for (size_t i = 0; i < placed[k].size(); i++) {
			const ImageSymbol &s = objects[k].symbols[i];
			if (ksyms_elf_cursor_add(&at, &placed[k][i],
						 s.name.c_str(), s.name.size(),
						 s.letter))
				return {};
		}
		if (ksyms_elf_object_end(&at, rec, sections[k].data(),
					 sections[k].size(),
					 objects[k].build_id.data(),
					 objects[k].build_id.size()))
			return {};
	}
	if (!ksyms_elf_writer_complete(&at.w))
		return {};
	return image;
}

} // namespace ksyms::test
