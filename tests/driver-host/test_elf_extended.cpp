// SPDX-License-Identifier: GPL-2.0-only
// The extended image: typed sections that give nm kallsyms' letters, the
// object notes and build IDs, built the way the driver builds them (the
// chunker, ksyms_elf_place(), ksyms_nm_kind()), then judged by the tools:
// eu-elflint --strict, readelf, objdump, nm and eu-readelf.
#include "elf_test_util.h"

extern "C" {
#include <linux/ksyms.h>

#include "ksyms_elf_internal.h"
}

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ksyms_test;

namespace {

constexpr u64 kSpan = 256 * 1024;
constexpr u64 kText = 0xffffffff81000000ULL;

struct Line {
	u64 addr;
	char type;	// kallsyms' letter
	std::string name;
};

struct Object {
	std::string name;
	std::vector<Elf64_Sym> syms;	// st_name unused
	std::vector<std::string> names;
	std::vector<u8> kinds;
	std::vector<char> letters;
	std::vector<uint8_t> build_id;
	std::vector<ksyms_typed_section> sections;
	u64 first_section = 0;
	u64 first_local = 0, first_global = 0;
	u64 nr_locals = 0, nr_globals = 0;
	ksyms_elf_layout needs{};	// its part of the image's layout
};

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

struct ExtendedImage {
	std::vector<Object> objs;
	ksyms_elf_layout layout{};
	std::vector<uint8_t> buf;
	u64 size = 0;

	ksyms_elf_source source() const { return {buf.data(), &layout}; }

	// @whole: the objects to add as the driver adds vmlinux, in one
	// ksyms_elf_cursor_add_object() call; @copies: the objects to copy
	// from an object of an earlier image; the rest go symbol by symbol.
	explicit ExtendedImage(
		std::vector<Object> objects, std::set<size_t> whole = {},
		std::map<size_t, std::pair<const ExtendedImage *, u64>> copies =
			{})
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

	// The object's tables as the driver keeps vmlinux's: split by
	// binding, names in their own string table, letters locals first,
	// the order as a bitmap.
	static void add_whole(ksyms_elf_cursor *at, const Object &o)
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
};
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

ExtendedImage standard_image(std::set<size_t> whole = {})
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

TEST(ExtendedImage, FirstFourSectionsStayWhereTheyAre)
{
	ExtendedImage img = standard_image();
	ParsedImage p;

	ASSERT_TRUE(parse_image(img.buf.data(), img.size, &p));
	EXPECT_EQ(KSYMS_SHN_FIRST_TYPED + img.layout.nr_sections,
		  p.shdrs.size());
	EXPECT_EQ(".symtab", p.shnames[KSYMS_SHN_SYMTAB]);
	EXPECT_EQ(".strtab", p.shnames[KSYMS_SHN_STRTAB]);
	EXPECT_EQ(".shstrtab", p.shnames[KSYMS_SHN_SHSTRTAB]);
	EXPECT_EQ(".ksyms.objects", p.shnames[KSYMS_SHN_OBJECTS]);
	EXPECT_EQ(".note.gnu.build-id", p.shnames[KSYMS_SHN_BUILD_IDS]);
	EXPECT_EQ((u64)KSYMS_ELF_SYMTAB_OFFSET,
		  p.shdrs[KSYMS_SHN_SYMTAB].sh_offset);
	EXPECT_EQ(p.shdrs[KSYMS_SHN_SYMTAB].sh_offset +
			  p.shdrs[KSYMS_SHN_SYMTAB].sh_size,
		  p.shdrs[KSYMS_SHN_STRTAB].sh_offset);

	// The header block still holds FreeBSD's four section headers, so a
	// reader that reads them at 176 finds the same tables.
	const auto *old = (const Elf64_Shdr *)(img.buf.data() + KSYMS_ELF_SHOFF);
	for (int i = KSYMS_SHN_SYMTAB; i <= KSYMS_SHN_STRTAB; i++) {
		EXPECT_EQ(p.shdrs[i].sh_offset, old[i].sh_offset) << i;
		EXPECT_EQ(p.shdrs[i].sh_size, old[i].sh_size) << i;
		EXPECT_EQ(p.shdrs[i].sh_info, old[i].sh_info) << i;
	}
	EXPECT_EQ(0, memcmp(img.buf.data() + KSYMS_ELF_SHSTRTAB_OFFSET,
			    "\0.symtab\0.strtab\0.shstrtab\0",
			    KSYMS_ELF_SHSTRTAB_SIZE));
	EXPECT_EQ(PT_LOAD, p.phdrs[KSYMS_PHDR_DATA].p_type);
	EXPECT_EQ(PT_NULL, p.phdrs[KSYMS_PHDR_TEXT].p_type);
}

TEST(ExtendedImage, EveryByteIsWritten)
{
	ExtendedImage img = standard_image();
	ExtendedImage again = standard_image();

	// The buffers start as 0xa5; equal images and no 0xa5 runs in the
	// padding show that nothing was left unwritten.
	EXPECT_EQ(img.buf, again.buf);
	const auto *ph = (const Elf64_Phdr *)(img.buf.data() + KSYMS_ELF_PHOFF) +
			 KSYMS_PHDR_DATA;
	for (u64 i = 0; i < ph->p_filesz; i++)
		ASSERT_EQ(0, img.buf[ph->p_offset + i]) << i;
}

TEST(ExtendedImage, StrictElflintAndBinutilsSayNothing)
{
	ExtendedImage img = standard_image();
	TempFile f(img.buf.data(), img.size);

	auto lint = run_command({KSYMS_EU_ELFLINT, "--strict", f.path()});
	EXPECT_EQ(0, lint.exit_status) << describe(lint);
	for (const char *opt : {"-a", "-n", "-W"}) {
		auto r = run_command({KSYMS_READELF, "-a", opt, f.path()});
		EXPECT_EQ(0, r.exit_status) << describe(r);
		EXPECT_EQ("", r.err) << describe(r);
	}
	auto nm = run_command({KSYMS_NM, f.path()});
	EXPECT_EQ(0, nm.exit_status) << describe(nm);
	EXPECT_EQ("", nm.err) << describe(nm);
}

// nm prints kallsyms' letter for every symbol whose letter a section can
// give, and for absolute and upper-case weak ones.
TEST(ExtendedImage, NmPrintsKallsymsLetters)
{
	ExtendedImage img = standard_image();
	TempFile f(img.buf.data(), img.size);
	std::map<std::string, char> want;

	for (const auto &o : img.objs) {
		for (size_t i = 0; i < o.names.size(); i++) {
			char letter = o.letters[i];
			bool global = !ksyms_elf_is_local(&o.syms[i]);
			// A module's letter is upper case when exported, its
			// binding GLOBAL whenever it is global: nm follows the
			// binding.
			if (o.name != "vmlinux" && global)
				letter = toupper(letter);
			// Text or data wider than a section: absolute.
			if (o.kinds[i] < KSYMS_KIND_BSS &&
			    o.syms[i].st_size > kSpan)
				letter = global ? 'A' : 'a';
			want[o.names[i]] = letter;
		}
	}
	auto nm = run_command({KSYMS_NM, "--defined-only", f.path()});
	ASSERT_EQ(0, nm.exit_status) << describe(nm);
	std::istringstream in(nm.out);
	std::string line;
	std::set<std::string> seen;
	while (std::getline(in, line)) {
		std::istringstream fields(line);
		std::string addr, letter, name;
		fields >> addr >> letter >> name;
		if (!want.count(name))
			continue;
		EXPECT_EQ(std::string(1, want[name]), letter) << line;
		seen.insert(name);
	}
	EXPECT_EQ(want.size(), seen.size());
}

TEST(ExtendedImage, ReadelfAndEuReadelfShowEveryBuildId)
{
	ExtendedImage img = standard_image();
	TempFile f(img.buf.data(), img.size);

	for (const char *tool : {KSYMS_READELF, KSYMS_EU_READELF}) {
		auto r = run_command({tool, "-n", f.path()});
		ASSERT_EQ(0, r.exit_status) << describe(r);
		EXPECT_EQ("", r.err) << describe(r);
		for (const auto &o : img.objs) {
			if (o.build_id.empty())
				continue;
			EXPECT_NE(std::string::npos,
				  r.out.find("Build ID: " + hex(o.build_id)))
				<< tool << ": " << r.out;
		}
	}
}

// Every typed symbol lies inside its section, every section inside one
// object's note, and the object notes tile the symbol table.
TEST(ExtendedImage, SymbolsSectionsAndObjectsAgree)
{
	ExtendedImage img = standard_image();
	ParsedImage p;

	ASSERT_TRUE(parse_image(img.buf.data(), img.size, &p));
	for (size_t i = 1; i < p.syms.size(); i++) {
		const GElf_Sym &s = p.syms[i].sym;
		if (s.st_shndx == SHN_ABS)
			continue;
		ASSERT_GE(s.st_shndx, (u64)KSYMS_SHN_FIRST_TYPED)
			<< p.syms[i].name;
		ASSERT_LT(s.st_shndx, p.shdrs.size());
		const GElf_Shdr &sh = p.shdrs[s.st_shndx];
		EXPECT_LE(sh.sh_addr, s.st_value) << p.syms[i].name;
		EXPECT_LE(s.st_value + s.st_size, sh.sh_addr + sh.sh_size)
			<< p.syms[i].name;
	}
	u64 locals = 1, globals = p.shdrs[KSYMS_SHN_SYMTAB].sh_info;
	u64 section = KSYMS_SHN_FIRST_TYPED;
	const GElf_Shdr &table = p.shdrs[KSYMS_SHN_OBJECTS];
	ASSERT_EQ(sizeof(ksyms_object), table.sh_entsize);
	ASSERT_EQ(img.objs.size() * sizeof(ksyms_object), table.sh_size);
	for (size_t k = 0; k < img.objs.size(); k++) {
		const Object &o = img.objs[k];
		ksyms_object d;
		memcpy(&d, img.buf.data() + table.sh_offset + k * sizeof(d),
		       sizeof(d));
		EXPECT_STREQ(o.name.c_str(), d.name);
		EXPECT_EQ(o.build_id.size(), d.build_id_size) << o.name;
		EXPECT_EQ(o.build_id,
			  std::vector<uint8_t>(d.build_id,
					       d.build_id + d.build_id_size));
		for (u64 i = d.first_section; i < d.first_section + d.nr_sections;
		     i++) {
			EXPECT_LE(d.base, p.shdrs[i].sh_addr);
			EXPECT_LE(p.shdrs[i].sh_addr + p.shdrs[i].sh_size,
				  d.base + d.size);
		}
		EXPECT_EQ(locals, d.first_local) << o.name;
		EXPECT_EQ(globals, d.first_global) << o.name;
		EXPECT_EQ(section, d.first_section) << o.name;
		locals += d.nr_locals;
		globals += d.nr_globals;
		section += d.nr_sections;
		for (u64 i = 0; i < d.nr_locals; i++)
			EXPECT_NE(p.syms[d.first_local + i].name, "");
	}
	EXPECT_EQ(p.shdrs[KSYMS_SHN_SYMTAB].sh_info, locals);
	EXPECT_EQ(p.syms.size(), globals);
	EXPECT_EQ(p.shdrs.size(), section);
}

// .ksyms.kallsyms: each symbol's letter at its index, and a bitmap that
// puts the symbols back in the order they were added (kallsyms' order).
TEST(ExtendedImage, KallsymsLettersAndOrder)
{
	ExtendedImage img = standard_image();
	ParsedImage p;

	ASSERT_TRUE(parse_image(img.buf.data(), img.size, &p));
	EXPECT_EQ(".ksyms.kallsyms", p.shnames[KSYMS_SHN_KALLSYMS]);
	const GElf_Shdr &sh = p.shdrs[KSYMS_SHN_KALLSYMS];
	const uint8_t *letters = img.buf.data() + sh.sh_offset;
	const uint8_t *order = letters + p.syms.size();
	ASSERT_EQ(p.syms.size() + (p.syms.size() - 1 + 7) / 8, sh.sh_size);
	EXPECT_EQ(0, letters[0]);

	u64 bit = 0, local = 1, global = p.shdrs[KSYMS_SHN_SYMTAB].sh_info;
	for (const auto &o : img.objs) {
		for (size_t i = 0; i < o.syms.size(); i++, bit++) {
			bool is_global = order[bit / 8] & (1U << (bit % 8));
			ASSERT_EQ(!ksyms_elf_is_local(&o.syms[i]), is_global);
			u64 index = is_global ? global++ : local++;
			EXPECT_EQ(o.names[i], p.syms[index].name);
			EXPECT_EQ(o.letters[i], letters[index]) << o.names[i];
		}
	}
	EXPECT_EQ(p.syms.size(), global);
}

// An object added whole (as the driver adds vmlinux) writes the same bytes
// as its symbols added one by one, whether its order bits start at bit 0,
// in the middle of a byte, or on a later byte boundary.
TEST(ExtendedImage, WholeObjectsWriteWhatSymbolBySymbolWrites)
{
	ExtendedImage by_symbol = standard_image();
	const std::set<size_t> cases[] = {{0}, {1}, {2}, {0, 1, 2}};

	// vmlinux's 57 symbols put both modules mid-byte.
	ASSERT_NE(0u, by_symbol.objs[0].syms.size() % 8);
	for (const auto &whole : cases) {
		ExtendedImage img = standard_image(whole);

		ASSERT_EQ(by_symbol.size, img.size);
		EXPECT_TRUE(by_symbol.buf == img.buf)
			<< "objects added whole: " << whole.size();
	}

	// Four 6-symbol modules put vmlinux's first bit at 24.
	std::vector<Object> objs;
	for (int i = 0; i < 4; i++)
		objs.push_back(module_object("m" + std::to_string(i),
					     0xffffffffc0000000ULL +
						     i * 0x100000ULL));
	objs.push_back(vmlinux_object(kernel_lines()));
	ExtendedImage late_by_symbol(objs);
	ExtendedImage late_whole(objs, {4});
	ASSERT_EQ(0u, 4 * objs[0].syms.size() % 8);
	ASSERT_EQ(late_by_symbol.size, late_whole.size);
	EXPECT_TRUE(late_by_symbol.buf == late_whole.buf);
}

bool same_layout(const ksyms_elf_layout &a, const ksyms_elf_layout &b)
{
	return a.nr_locals == b.nr_locals && a.nr_globals == b.nr_globals &&
	       a.strtab_size == b.strtab_size && a.nr_objects == b.nr_objects &&
	       a.build_ids_size == b.build_ids_size &&
	       a.nr_sections == b.nr_sections && a.zero_size == b.zero_size &&
	       a.nobits_size == b.nobits_size;
}

// The driver's next snapshot copies the modules that did not change from
// the last one.  A copied object must need what it needed and write what
// adding its symbols again writes, wherever it lands: here one module has
// gone from before it, another has come, and the rest shift down.
TEST(ExtendedImage, CopiedObjectsWriteWhatTheirSymbolsWrite)
{
	Object v = vmlinux_object(kernel_lines());
	v.build_id.assign(20, 7);
	Object gone = module_object("gone", 0xffffffffc0000000ULL);
	Object kept = module_object("kept", 0xffffffffc0100000ULL);
	kept.build_id.assign(20, 9);
	Object bare = module_object("bare", 0xffffffffc0200000ULL);
	Object fresh = module_object("fresh", 0xffffffffc0300000ULL);
	// Text far beyond the span: a second text section, and a shift of
	// two sections where "gone" had one of each kind.
	fresh.syms[1].st_value += 0x800000;

	ExtendedImage before({v, gone, kept, bare}, {0});
	ExtendedImage rebuilt({v, kept, fresh, bare}, {0});
	ExtendedImage copied({v, kept, fresh, bare}, {0},
			     {{1, {&before, 2}}, {3, {&before, 3}}});

	for (u64 index : {2, 3}) {
		ksyms_elf_source src = before.source();
		ksyms_elf_layout needs;
		ksyms_elf_object_needs(&src, index, &needs);
		EXPECT_TRUE(same_layout(before.objs[index].needs, needs))
			<< before.objs[index].name;
	}
	ASSERT_EQ(rebuilt.size, copied.size);
	EXPECT_TRUE(rebuilt.buf == copied.buf);
	// The copy moved both the names and the section indices.
	ASSERT_NE(before.objs[2].first_section, rebuilt.objs[1].first_section);
	ASSERT_NE(before.objs[3].first_section, rebuilt.objs[3].first_section);

	// Order bits that start on a byte in both images go by the byte:
	// four 6-symbol modules put vmlinux's first bit at 24 in each.
	std::vector<Object> four;
	for (int i = 0; i < 4; i++)
		four.push_back(module_object("m" + std::to_string(i),
					     0xffffffffc0400000ULL +
						     i * 0x100000ULL));
	four.push_back(v);
	ExtendedImage late(four, {4});
	ExtendedImage late_copied(four, {4}, {{4, {&late, 4}}});
	ASSERT_EQ(late.size, late_copied.size);
	EXPECT_TRUE(late.buf == late_copied.buf);

	// Copying from an image that lacks the object is refused.
	ksyms_elf_cursor at;
	std::vector<uint8_t> buf(rebuilt.size);
	ksyms_elf_source src = before.source();
	ksyms_elf_write_headers(buf.data(), &rebuilt.layout, EM_X86_64,
				ELFDATA2LSB);
	ksyms_elf_cursor_init(&at, buf.data(), &rebuilt.layout);
	EXPECT_EQ(-EINVAL, ksyms_elf_cursor_copy_object(&at, &src, 4));
}

// A copy needs room like any object.
TEST(ExtendedImage, CopyingIntoAFullLayoutIsRefused)
{
	ExtendedImage before = standard_image();
	ksyms_elf_source src = before.source();
	ksyms_elf_layout small = before.layout;

	// Room for vmlinux's sections and all but one of the module's.
	small.nr_sections = before.objs[0].sections.size() +
			    before.objs[1].sections.size() - 1;
	std::vector<uint8_t> buf(ksyms_elf_image_size(&small));
	ksyms_elf_write_headers(buf.data(), &small, EM_X86_64, ELFDATA2LSB);
	ksyms_elf_cursor at;
	ksyms_elf_cursor_init(&at, buf.data(), &small);
	ASSERT_EQ(0, ksyms_elf_cursor_copy_object(&at, &src, 0));
	EXPECT_EQ(-ENOSPC, ksyms_elf_cursor_copy_object(&at, &src, 1));
}

TEST(Chunker, SpansKindsAndWideSymbols)
{
	std::vector<ksyms_typed_section> out(16);
	ksyms_elf_chunker c;

	ksyms_elf_chunker_init(&c, out.data(), out.size(), 0x100);
	EXPECT_EQ(0u, ksyms_elf_chunker_add(&c, KSYMS_KIND_TEXT, 0x1000, 0x1010));
	EXPECT_EQ(0u, ksyms_elf_chunker_add(&c, KSYMS_KIND_TEXT, 0x10f0, 0x1100));
	// One byte past the span: a new section.
	EXPECT_EQ(1u, ksyms_elf_chunker_add(&c, KSYMS_KIND_TEXT, 0x10f0, 0x1101));
	// Wider than the span on its own: a section of its own size.
	EXPECT_EQ(2u, ksyms_elf_chunker_add(&c, KSYMS_KIND_TEXT, 0x5000, 0x6000));
	// Another kind at the same place: a new section.
	EXPECT_EQ(3u, ksyms_elf_chunker_add(&c, KSYMS_KIND_BSS, 0x5000, 0x5010));
	// Out of order but within the span: the section grows downwards.
	EXPECT_EQ(3u, ksyms_elf_chunker_add(&c, KSYMS_KIND_BSS, 0x4f80, 0x4f90));
	ksyms_elf_chunker_finish(&c);
	ASSERT_EQ(4u, c.nr);
	EXPECT_EQ(0x1000u, out[0].addr);
	EXPECT_EQ(0x100u, out[0].size);
	EXPECT_EQ(0x11u, out[1].size);
	EXPECT_EQ(0x1000u, out[2].size);
	EXPECT_EQ(0x4f80u, out[3].addr);
	EXPECT_EQ(0x90u, out[3].size);
	EXPECT_EQ(0x1000u, c.zero_size);
	EXPECT_EQ(0x90u, c.nobits_size);
}

// A text or data symbol wider than the span stays absolute, so that the
// zero run stays short; a wide bss symbol costs no bytes and is placed.
TEST(Place, WideProgbitsSymbolsStayAbsolute)
{
	std::vector<ksyms_typed_section> out(4);
	ksyms_elf_chunker c;
	Elf64_Sym wide{}, narrow{};

	wide.st_value = 0x10000;
	wide.st_size = 0x1001;
	narrow.st_value = 0x20000;
	narrow.st_size = 0x1000;
	ksyms_elf_chunker_init(&c, out.data(), out.size(), 0x1000);
	EXPECT_EQ(SHN_ABS, ksyms_elf_place(&c, &wide, KSYMS_KIND_TEXT, 6));
	EXPECT_EQ(SHN_ABS, ksyms_elf_place(&c, &wide, KSYMS_KIND_RODATA, 6));
	EXPECT_EQ(SHN_ABS, ksyms_elf_place(&c, &wide, KSYMS_KIND_DATA, 6));
	EXPECT_EQ(6, ksyms_elf_place(&c, &narrow, KSYMS_KIND_DATA, 6));
	EXPECT_EQ(7, ksyms_elf_place(&c, &wide, KSYMS_KIND_BSS, 6));
	ksyms_elf_chunker_finish(&c);
	EXPECT_EQ(0x1000u, c.zero_size);
	EXPECT_EQ(0x1001u, c.nobits_size);
}

// A module's symbol table mixes kinds: each kind keeps its own section.
TEST(Chunker, InterleavedKindsKeepTheirSections)
{
	std::vector<ksyms_typed_section> out(4);
	ksyms_elf_chunker c;

	ksyms_elf_chunker_init(&c, out.data(), out.size(), 0x1000);
	EXPECT_EQ(0u, ksyms_elf_chunker_add(&c, KSYMS_KIND_TEXT, 0x1000, 0x1010));
	EXPECT_EQ(1u, ksyms_elf_chunker_add(&c, KSYMS_KIND_DATA, 0x9000, 0x9010));
	EXPECT_EQ(0u, ksyms_elf_chunker_add(&c, KSYMS_KIND_TEXT, 0x1800, 0x1810));
	EXPECT_EQ(1u, ksyms_elf_chunker_add(&c, KSYMS_KIND_DATA, 0x9100, 0x9110));
	ksyms_elf_chunker_finish(&c);
	ASSERT_EQ(2u, c.nr);
	EXPECT_EQ(KSYMS_KIND_TEXT, out[0].kind);
	EXPECT_EQ(0x810u, out[0].size);
	EXPECT_EQ(KSYMS_KIND_DATA, out[1].kind);
	EXPECT_EQ(0x110u, out[1].size);
}

TEST(Chunker, CountingOnlyGivesTheSameNumbers)
{
	Object a = vmlinux_object(kernel_lines());
	Object b = a;
	std::vector<ksyms_typed_section> out(a.syms.size());
	ksyms_elf_chunker counting, writing;

	ksyms_elf_chunker_init(&counting, nullptr, 0, kSpan);
	ksyms_elf_chunker_init(&writing, out.data(), out.size(), kSpan);
	for (size_t i = 0; i < a.syms.size(); i++) {
		a.syms[i].st_shndx = ksyms_elf_place(&counting, &a.syms[i],
						     a.kinds[i], 9);
		b.syms[i].st_shndx = ksyms_elf_place(&writing, &b.syms[i],
						     b.kinds[i], 9);
	}
	ksyms_elf_chunker_finish(&counting);
	ksyms_elf_chunker_finish(&writing);
	EXPECT_EQ(counting.nr, writing.nr);
	EXPECT_EQ(counting.zero_size, writing.zero_size);
	EXPECT_EQ(counting.nobits_size, writing.nobits_size);
	for (size_t i = 0; i < a.syms.size(); i++)
		EXPECT_EQ(a.syms[i].st_shndx, b.syms[i].st_shndx);
	EXPECT_LT(4u, writing.nr);	// the far text and the fillers
}

TEST(ImageSize, RefusesMoreSectionsThanIndicesAllow)
{
	ksyms_elf_layout l = freebsd_layout(1, 0, 1);

	l.nr_sections = SHN_LORESERVE - KSYMS_SHN_FIRST_TYPED;
	EXPECT_NE(0u, ksyms_elf_image_size(&l));
	l.nr_sections++;
	EXPECT_EQ(0u, ksyms_elf_image_size(&l));
}

// The section offsets, names and count come from one table in file order;
// they must give the documented layout: .shstrtab holds the names in index
// order with FreeBSD's 28 bytes first, every section follows the one
// before it in the file at its alignment, and the zero run and the header
// table close the image.
TEST(ExtendedImage, LayoutDerivedFromTheTable)
{
	ExtendedImage img = standard_image();
	ksyms_elf_plan plan;
	ParsedImage p;
	static const char names[] =
		"\0.symtab\0.strtab\0.shstrtab\0"
		"\0.ksyms.objects\0.note.gnu.build-id\0.ksyms.kallsyms\0"
		".text\0.rodata\0.data\0.bss";
	const std::vector<std::string> by_index = {
		"", ".symtab", ".strtab", ".shstrtab", ".ksyms.objects",
		".note.gnu.build-id", ".ksyms.kallsyms"};
	const int file_order[] = {KSYMS_SHN_SYMTAB, KSYMS_SHN_STRTAB,
				  KSYMS_SHN_OBJECTS, KSYMS_SHN_BUILD_IDS,
				  KSYMS_SHN_KALLSYMS, KSYMS_SHN_SHSTRTAB};

	ASSERT_TRUE(parse_image(img.buf.data(), img.size, &p));
	ksyms_elf_plan_image(&img.layout, &plan);
	ASSERT_EQ(KSYMS_SHN_FIRST_TYPED + img.layout.nr_sections,
		  p.shdrs.size());
	EXPECT_EQ(plan.shnum, p.ehdr.e_shnum);
	EXPECT_EQ(plan.shoff, p.ehdr.e_shoff);
	EXPECT_EQ(plan.end, img.size);
	for (size_t i = 0; i < by_index.size(); i++)
		EXPECT_EQ(by_index[i], p.shnames[i]) << i;

	const GElf_Shdr &shstrtab = p.shdrs[KSYMS_SHN_SHSTRTAB];
	ASSERT_EQ(sizeof(names), shstrtab.sh_size);
	EXPECT_EQ(0, memcmp(img.buf.data() + shstrtab.sh_offset, names,
			    sizeof(names)));
	for (size_t i = KSYMS_SHN_FIRST_TYPED; i < p.shdrs.size(); i++)
		EXPECT_EQ(0, strcmp(names + p.shdrs[i].sh_name,
				    p.shnames[i].c_str()));

	u64 at = KSYMS_ELF_SHSTRTAB_OFFSET + KSYMS_ELF_SHSTRTAB_SIZE;
	for (int shndx : file_order) {
		const GElf_Shdr &sh = p.shdrs[shndx];
		u64 align = sh.sh_addralign ? sh.sh_addralign : 1;

		SCOPED_TRACE(p.shnames[shndx]);
		EXPECT_EQ((at + align - 1) / align * align, sh.sh_offset);
		EXPECT_EQ(plan.offset[shndx], sh.sh_offset);
		EXPECT_EQ(plan.size[shndx], sh.sh_size);
		at = sh.sh_offset + sh.sh_size;
	}
	EXPECT_EQ((u64)KSYMS_ELF_SYMTAB_OFFSET, plan.offset[KSYMS_SHN_SYMTAB]);
	EXPECT_EQ((at + 7) / 8 * 8, plan.zero);
	EXPECT_EQ(plan.zero, p.phdrs[KSYMS_PHDR_DATA].p_offset);
	EXPECT_EQ((plan.zero + img.layout.zero_size + 7) / 8 * 8, plan.shoff);
}

// FNV-1a over every byte of an image.
u64 fnv1a(const std::vector<uint8_t> &bytes)
{
	u64 h = 0xcbf29ce484222325ULL;

	for (uint8_t b : bytes)
		h = (h ^ b) * 0x100000001b3ULL;
	return h;
}

// The images' bytes, pinned: how the layout is worked out may change, the
// image it gives may not (readers and saved images depend on each byte).
TEST(ExtendedImage, BytesArePinned)
{
	ExtendedImage img = standard_image();
	ExtendedImage whole = standard_image({0, 1, 2});
	Object v = vmlinux_object(kernel_lines());
	v.build_id.assign(20, 7);
	Object gone = module_object("gone", 0xffffffffc0000000ULL);
	Object kept = module_object("kept", 0xffffffffc0100000ULL);
	kept.build_id.assign(20, 9);
	Object fresh = module_object("fresh", 0xffffffffc0300000ULL);
	fresh.syms[1].st_value += 0x800000;
	ExtendedImage before({v, gone, kept}, {0});
	ExtendedImage copied({v, kept, fresh}, {0}, {{1, {&before, 2}}});

	EXPECT_EQ(267280u, img.size);
	EXPECT_EQ(7904320602515337078ULL, fnv1a(img.buf));
	EXPECT_EQ(7904320602515337078ULL, fnv1a(whole.buf));
	EXPECT_EQ(267344u, copied.size);
	EXPECT_EQ(15101575400972131358ULL, fnv1a(copied.buf));
}

} // namespace
