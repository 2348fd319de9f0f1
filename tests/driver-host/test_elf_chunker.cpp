// SPDX-License-Identifier: GPL-2.0-only
// The chunker and ksyms_elf_place(): how symbols are split into typed
// sections of at most one span each, and the image size's limit on the
// number of sections.
#include "extended_image.h"

#include <vector>

using namespace ksyms_test;

namespace {

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

} // namespace
