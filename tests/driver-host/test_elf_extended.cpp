// SPDX-License-Identifier: GPL-2.0-only
// The extended image: typed sections that give nm kallsyms' letters, the
// object notes and build IDs, built the way the driver builds them
// (extended_image.h), then judged by the tools: eu-elflint --strict,
// readelf, objdump, nm and eu-readelf; objects added whole or copied from
// an earlier image write what their symbols write.
#include "extended_image.h"

#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ksyms_test;

namespace {

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

} // namespace
