// SPDX-License-Identifier: GPL-2.0-only
// The image's layout, derived from one table of sections, and its bytes
// pinned: how the layout is worked out may change, the image may not.
#include "extended_image.h"

#include <cstring>
#include <string>
#include <vector>

using namespace ksyms_test;

namespace {

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
