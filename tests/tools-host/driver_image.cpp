// SPDX-License-Identifier: BSD-2-Clause
#include "driver_image.h"

extern "C" {
#include "ksyms_elf.h"
#include "ksyms_nm.h"
}

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

namespace ksyms::test {

// One Elf64_Sym as the driver makes it from a kallsyms letter.
namespace {

Elf64_Sym elf_sym(const Sym &s)
{
	Elf64_Sym sym{};
	ksyms_nm_to_sym(s.letter, s.address, &sym);
	sym.st_size = s.size;
	return sym;
}

} // namespace

std::vector<uint8_t> build_image(const std::vector<Object> &objects,
				 size_t pseudo)
{
	ksyms_elf_layout layout{};
	std::vector<std::vector<ksyms_typed_section>> sections;
	std::vector<std::vector<Elf64_Sym>> placed;

	layout.nr_locals = 1;
	layout.strtab_size = 1;
	layout.nr_objects = objects.size();
	for (const Object &o : objects) {
		ksyms_elf_chunker c;
		std::vector<ksyms_typed_section> secs(o.syms.size() + 1);
		std::vector<Elf64_Sym> syms;

		ksyms_elf_chunker_init(&c, secs.data(), secs.size(),
				       KSYMS_ELF_SECTION_SPAN);
		for (const Sym &s : o.syms) {
			Elf64_Sym sym = elf_sym(s);
			sym.st_shndx = ksyms_elf_place(
				&c, &sym, ksyms_nm_kind(s.letter),
				KSYMS_SHN_FIRST_TYPED + layout.nr_sections);
			syms.push_back(sym);
			(ksyms_elf_is_local(&sym) ? layout.nr_locals
						  : layout.nr_globals)++;
			layout.strtab_size += strlen(s.name) + 1;
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
		EXPECT_NE(nullptr, rec);
		if (rec && k + pseudo >= objects.size())
			rec->flags = KSYMS_OBJECT_PSEUDO;
		for (size_t i = 0; i < placed[k].size(); i++) {
			const Sym &s = objects[k].syms[i];
			EXPECT_EQ(0, ksyms_elf_cursor_add(&at, &placed[k][i],
							  s.name, strlen(s.name),
							  s.letter));
		}
		EXPECT_EQ(0, ksyms_elf_object_end(&at, rec, sections[k].data(),
						  sections[k].size(),
						  objects[k].build_id.data(),
						  objects[k].build_id.size()));
	}
	EXPECT_TRUE(ksyms_elf_writer_complete(&at.w));
	return image;
}

std::vector<Object> two_objects()
{
	Object vmlinux{"vmlinux",
		       {{"_stext", 'T', kVmlinux, 0x100},
			{"local_fn", 't', kVmlinux + 0x100, 0x100},
			{"table", 'r', kVmlinux + 0x400000, 0x40},
			{"init_task", 'D', kVmlinux + 0x600000, 0x1000},
			{"zeroed", 'b', kVmlinux + 0x800000, 0x10},
			{"weak_fn", 'W', kVmlinux + 0x200, 0x10},
			{"fixed_percpu_data", 'A', 0x0, 0}},
		       {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01,
			0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23,
			0x45, 0x67}};
	Object module{"ext9",
		      {{"ext9_helper", 't', kModule, 0x80},
		       {"ext9_exported", 'T', kModule + 0x80, 0x80},
		       {"ext9_state", 'd', kModule + 0x10000, 0x8}},
		      {0xde, 0xad, 0xbe, 0xef}};
	Object bare{"bare", {{"bare_fn", 't', kModule + 0x100000, 0x20}}, {}};
	return {vmlinux, module, bare};
}

} // namespace ksyms::test
