// SPDX-License-Identifier: GPL-2.0-only
// The extended image the host tests build: see extended_image.h.
#include "extended_image.h"

#include <algorithm>

namespace ksyms_test {

// vmlinux as the driver reads it: kallsyms lines in address order.
Object vmlinux_object(const std::vector<Line> &lines)
{
	Object o;
	std::vector<char> types;

	o.name = "vmlinux";
	for (const auto &l : lines) {
		Elf64_Sym s{};
		ksyms_nm_to_sym(l.type, l.addr, &s);
		o.syms.push_back(s);
		o.names.push_back(l.name);
		o.letters.push_back(l.type);
		o.kinds.push_back(ksyms_nm_kind(l.type));
		types.push_back(l.type);
	}
	ksyms_nm_fill_sizes(o.syms.data(), types.data(), o.syms.size());
	return o;
}

// A module as the driver copies it: its own symbols, kallsyms' letters.
Object module_object(const std::string &name, u64 base)
{
	Object o;
	struct M {
		const char *name;
		unsigned bind, type;
		u64 off, size;
		char letter;
	};
	const M syms[] = {
		{"mod_fn", STB_LOCAL, STT_FUNC, 0x10, 0x30, 't'},
		{"mod_exported", STB_GLOBAL, STT_FUNC, 0x40, 0x20, 'T'},
		{"mod_table", STB_LOCAL, STT_OBJECT, 0x9000, 0x40, 'r'},
		{"mod_state", STB_GLOBAL, STT_OBJECT, 0xa000, 0x8, 'D'},
		{"mod_zeroed", STB_LOCAL, STT_OBJECT, 0xb000, 0x100, 'b'},
		{"mod_weak", STB_WEAK, STT_FUNC, 0x80, 0x10, 'W'},
	};

	o.name = name;
	for (const auto &m : syms) {
		Elf64_Sym s{};
		s.st_info = ELF64_ST_INFO(m.bind, m.type);
		s.st_value = base + m.off;
		s.st_size = m.size;
		o.syms.push_back(s);
		o.names.push_back(m.name);
		o.letters.push_back(m.letter);
		o.kinds.push_back(ksyms_nm_kind(m.letter));
	}
	return o;
}

std::string hex(const std::vector<uint8_t> &bytes)
{
	static const char digits[] = "0123456789abcdef";
	std::string s;

	for (uint8_t b : bytes) {
		s += digits[b >> 4];
		s += digits[b & 15];
	}
	return s;
}

ExtendedImage::ExtendedImage(
	std::vector<Object> objects, std::set<size_t> whole,
	std::map<size_t, std::pair<const ExtendedImage *, u64>> copies)
	: objs(std::move(objects))
{
	u64 next = 0;

	layout.nr_locals = 1;
	layout.strtab_size = 1;
	for (auto &o : objs) {
		ksyms_elf_chunker c;

		o.sections.resize(o.syms.size());
		ksyms_elf_chunker_init(&c, o.sections.data(),
				       o.sections.size(), kSpan);
		for (size_t i = 0; i < o.syms.size(); i++)
			o.syms[i].st_shndx = ksyms_elf_place(
				&c, &o.syms[i], o.kinds[i],
				KSYMS_SHN_FIRST_TYPED + next);
		ksyms_elf_chunker_finish(&c);
		o.sections.resize(c.nr);
		o.first_section = KSYMS_SHN_FIRST_TYPED + next;
		next += c.nr;
		layout.zero_size = std::max(layout.zero_size, c.zero_size);
		layout.nobits_size = std::max(layout.nobits_size,
					      c.nobits_size);
		for (size_t i = 0; i < o.syms.size(); i++) {
			(ksyms_elf_is_local(&o.syms[i]) ? o.nr_locals
							 : o.nr_globals)++;
			o.needs.strtab_size += o.names[i].size() + 1;
		}
		o.needs.nr_locals = o.nr_locals;
		o.needs.nr_globals = o.nr_globals;
		o.needs.nr_objects = 1;
		o.needs.build_ids_size =
			ksyms_elf_build_id_note_size(o.build_id.size());
		o.needs.nr_sections = c.nr;
		o.needs.zero_size = c.zero_size;
		o.needs.nobits_size = c.nobits_size;
		layout.strtab_size += o.needs.strtab_size;
		layout.build_ids_size += o.needs.build_ids_size;
	}
	layout.nr_objects = objs.size();
	layout.nr_sections = next;
	for (auto &o : objs) {
		layout.nr_locals += o.nr_locals;
		layout.nr_globals += o.nr_globals;
	}

	size = ksyms_elf_image_size(&layout);
	buf.assign(size, 0xa5);
	ksyms_elf_write_headers(buf.data(), &layout, EM_X86_64,
				ELFDATA2LSB);
	ksyms_elf_cursor at;
	ksyms_elf_cursor_init(&at, buf.data(), &layout);
	for (size_t n = 0; n < objs.size(); n++) {
		const Object &o = objs[n];
		EXPECT_EQ(o.first_section, ksyms_elf_cursor_shndx(&at));
		if (copies.count(n)) {
			auto [from, index] = copies.at(n);
			ksyms_elf_source src = from->source();
			EXPECT_EQ(0, ksyms_elf_cursor_copy_object(
					     &at, &src, index));
			continue;
		}
		ksyms_object *rec =
			ksyms_elf_object_begin(&at, o.name.c_str());
		EXPECT_NE(nullptr, rec);
		if (!rec)
			return;
		if (whole.count(n))
			add_whole(&at, o);
		else
			for (size_t i = 0; i < o.syms.size(); i++)
				EXPECT_EQ(0, ksyms_elf_cursor_add(
						     &at, &o.syms[i],
						     o.names[i].data(),
						     o.names[i].size(),
						     o.letters[i]));
		EXPECT_EQ(0, ksyms_elf_object_end(
				     &at, rec, o.sections.data(),
				     o.sections.size(),
				     o.build_id.data(),
				     o.build_id.size()));
	}
	EXPECT_TRUE(ksyms_elf_writer_complete(&at.w));
	EXPECT_EQ(nullptr, ksyms_elf_object_begin(&at, "one too many"));
	EXPECT_EQ((uint8_t *)ksyms_elf_build_ids(buf.data(), &layout) +
			  layout.build_ids_size,
		  at.next_build_id);
}

void ExtendedImage::add_whole(ksyms_elf_cursor *at, const Object &o)
{
	std::vector<Elf64_Sym> locals, globals;
	std::string strtab;
	std::vector<char> local_letters, global_letters;
	std::vector<uint8_t> order((o.syms.size() + 7) / 8, 0);

	for (size_t i = 0; i < o.syms.size(); i++) {
		Elf64_Sym s = o.syms[i];
		bool local = ksyms_elf_is_local(&s);

		s.st_name = strtab.size();
		strtab += o.names[i];
		strtab += '\0';
		(local ? locals : globals).push_back(s);
		(local ? local_letters : global_letters)
			.push_back(o.letters[i]);
		if (!local)
			order[i / 8] |= 1U << (i % 8);
	}
	std::vector<char> letters = local_letters;
	letters.insert(letters.end(), global_letters.begin(),
		       global_letters.end());
	EXPECT_EQ(0, ksyms_elf_cursor_add_object(
			     at, locals.data(), locals.size(),
			     globals.data(), globals.size(),
			     strtab.data(), strtab.size(),
			     letters.data(), order.data()));
}

std::vector<Line> kernel_lines()
{
	std::vector<Line> lines = {
		{0x0, 'A', "fixed_percpu_data"},
		{0x2a000, 'A', "init_per_cpu__gdt_page"},
		{kText, 'T', "_stext"},
		{kText + 0x10, 't', "local_fn"},
		{kText + 0x100, 'T', "global_fn"},
		{kText + 0x180, 'W', "weak_fn"},
		// a text symbol far away: a chunk of its own
		{kText + 0x400000, 'T', "far_fn"},
		{kText + 0x400040, 't', "_etext"},
		{kText + 0x600000, 'R', "__start_rodata"},
		{kText + 0x600100, 'r', "local_table"},
		{kText + 0x600200, 'V', "weak_object"},
		{kText + 0x700000, 'D', "_sdata"},
		{kText + 0x700100, 'd', "local_data"},
		{kText + 0x700200, 'D', "init_task"},
		{kText + 0x800000, 'B', "__bss_start"},
		{kText + 0x800100, 'b', "local_bss"},
		{kText + 0x900000, 'B', "_end"},
	};
	// Enough text to need more than one chunk.
	for (int i = 0; i < 40; i++)
		lines.insert(lines.begin() + 6,
			     {kText + 0x200000 - (u64)i * 0x4000, 't',
			      "filler" + std::to_string(39 - i)});
	std::sort(lines.begin() + 2, lines.end(),
		  [](const Line &a, const Line &b) { return a.addr < b.addr; });
	return lines;
}

ExtendedImage standard_image(std::set<size_t> whole)
{
	Object v = vmlinux_object(kernel_lines());
	v.build_id.assign(20, 0);
	for (int i = 0; i < 20; i++)
		v.build_id[i] = 0x10 + i;
	Object m = module_object("ksyms_test_mod", 0xffffffffc0000000ULL);
	m.build_id = {0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6,
		      7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	Object bare = module_object("no_build_id", 0xffffffffc0100000ULL);
	return ExtendedImage({v, m, bare}, whole);
}

} // namespace ksyms_test
