// SPDX-License-Identifier: GPL-2.0-only
// The writer, a whole object at a time (ksyms_elf_add_object()): st_name
// rebased, locals and globals split into their regions, empty parts,
// -ENOSPC with nothing written; and complete(), true only when the image
// is exactly full.
//
// Every buffer is the image followed by a guard region; every byte starts
// as a fill pattern, so a stray write anywhere shows.
#include "writer_image.h"

#include <cstring>
#include <string>
#include <vector>

using namespace ksyms_test;

TEST(ElfWriterObject, RebasesStNameAndSplitsRegions)
{
	// One add first, so the object's strings start at offset 7.
	const char obj_str[] = "\0mod_local\0mod_global\0mod_weak\0";
	const u64 obj_strsz = sizeof(obj_str);	// 32: two NULs at the end
	const Elf64_Sym locals[] = {
		sym_of(STB_LOCAL, STT_NOTYPE, 0, 0, 0, STV_DEFAULT, SHN_UNDEF),
		sym_of(STB_LOCAL, STT_FUNC, 0xffffffffc0001000, 0x40, 1),
	};
	const Elf64_Sym globals[] = {
		sym_of(STB_GLOBAL, STT_FUNC, 0xffffffffc0002000, 0x80, 11,
		       STV_DEFAULT, 2),
		sym_of(STB_WEAK, STT_OBJECT, 0xffffffffc0003000, 8, 22,
		       STV_PROTECTED, 3),
	};
	Image img(1 + 1 + 2 + 1, 2 + 1, 1 + 6 + obj_strsz + 6 + 1);
	ASSERT_EQ(0, img.add(sym_of(STB_LOCAL, STT_FUNC, 1, 2), "vmlx1"));
	const u64 base = 7;
	ASSERT_EQ(0, ksyms_elf_add_object(&img.w, locals, 2, globals, 2,
					  obj_str, obj_strsz));
	ASSERT_EQ(0, img.add(sym_of(STB_GLOBAL, STT_FUNC, 3, 4), "after"));
	ASSERT_EQ(0, img.add(sym_of(STB_LOCAL, STT_FUNC, 5, 6), ""));
	EXPECT_TRUE(ksyms_elf_writer_complete(&img.w));
	EXPECT_TRUE(img.guard_intact());

	ParsedImage p = img.parse();
	ASSERT_EQ(8u, p.syms.size());
	EXPECT_EQ(5u, p.shdrs[1].sh_info);
	EXPECT_EQ((std::vector<std::string>{"", "vmlx1", "", "mod_local", "",
					    "mod_global", "mod_weak", "after"}),
		  names_of(p));
	for (int i = 0; i < 2; i++) {
		Elf64_Sym l = locals[i], g = globals[i];
		l.st_name += base;
		g.st_name += base;
		EXPECT_TRUE(same_sym(l, p.syms[2 + i].sym)) << i;
		EXPECT_TRUE(same_sym(g, p.syms[5 + i].sym)) << i;
	}
	EXPECT_EQ(1u, p.syms[1].sym.st_name);
	EXPECT_EQ(base + obj_strsz, p.syms[7].sym.st_name);
	EXPECT_EQ(base + obj_strsz + 6, p.syms[4].sym.st_name);
	EXPECT_EQ(0, std::memcmp(img.strtab() + base, obj_str, obj_strsz));
}

// Empty objects, no local or no global part, no strings: the caller may
// pass NULL with a zero count (a module with no globals, say).  memcpy()
// from NULL is undefined even for 0 bytes in ISO C, and glibc declares it
// nonnull; UBSan reports it here.  Harmless in the kernel (its memcpy has
// no such attribute, and it builds with -fno-delete-null-pointer-checks),
// but the code is meant to be clean C: skip the copies when the count is 0.
TEST(ElfWriterObject, EmptyPartsMayBeNull)
{
	const char str[] = "\0a";
	Elf64_Sym g = sym_of(STB_GLOBAL, STT_FUNC, 1, 1, 1);
	Elf64_Sym l = sym_of(STB_LOCAL, STT_FUNC, 2, 2, 1);
	Image img(2, 1, 1 + 3 + 3);
	std::vector<uint8_t> before = img.buf;
	EXPECT_EQ(0, ksyms_elf_add_object(&img.w, nullptr, 0, nullptr, 0,
					  nullptr, 0));
	EXPECT_EQ(before, img.buf);
	EXPECT_EQ(0, ksyms_elf_add_object(&img.w, nullptr, 0, &g, 1, str, 3));
	EXPECT_EQ(0, ksyms_elf_add_object(&img.w, &l, 1, nullptr, 0, str, 3));
	EXPECT_EQ(0, ksyms_elf_add_object(&img.w, nullptr, 0, nullptr, 0,
					  nullptr, 0));
	EXPECT_TRUE(ksyms_elf_writer_complete(&img.w));
	EXPECT_TRUE(img.guard_intact());
	ParsedImage p = img.parse();
	EXPECT_EQ((std::vector<std::string>{"", "a", "a"}), names_of(p));
	EXPECT_EQ(5u, p.syms[1].sym.st_name);	// the second object, base 4
	EXPECT_EQ(2u, p.syms[2].sym.st_name);	// the first, base 1
}

// The same with empty but non-null arrays.
TEST(ElfWriterObject, EmptyParts)
{
	const char str[] = "\0a";
	const std::vector<Elf64_Sym> none;
	Elf64_Sym g = sym_of(STB_GLOBAL, STT_FUNC, 1, 1, 1);
	Elf64_Sym l = sym_of(STB_LOCAL, STT_FUNC, 2, 2, 1);
	Image img(2, 1, 1 + 3 + 3);
	std::vector<uint8_t> before = img.buf;
	EXPECT_EQ(0, ksyms_elf_add_object(&img.w, nn(none), 0, nn(none), 0,
					  str, 0));
	EXPECT_EQ(before, img.buf);
	EXPECT_EQ(0, ksyms_elf_add_object(&img.w, nn(none), 0, &g, 1, str, 3));
	EXPECT_EQ(0, ksyms_elf_add_object(&img.w, &l, 1, nn(none), 0, str, 3));
	EXPECT_TRUE(ksyms_elf_writer_complete(&img.w));
	EXPECT_TRUE(img.guard_intact());
	ParsedImage p = img.parse();
	EXPECT_EQ((std::vector<std::string>{"", "a", "a"}), names_of(p));
}

// Each of the three limits: fitting exactly works, one more is -ENOSPC
// and writes nothing.
TEST(ElfWriterObject, NoSpace)
{
	const char str[8] = "abcdefg";
	std::vector<Elf64_Sym> ls(3, sym_of(STB_LOCAL, STT_FUNC, 1, 1, 0));
	std::vector<Elf64_Sym> gs(4, sym_of(STB_GLOBAL, STT_FUNC, 1, 1, 0));
	struct {
		u64 nloc, nglob, nstr;
	} too_big[] = {{4, 4, 8}, {3, 5, 8}, {3, 4, 9}, {4, 5, 9}};
	ls.resize(4, ls[0]);
	gs.resize(5, gs[0]);
	std::vector<char> bigstr(9, 'q');
	for (auto c : too_big) {
		SCOPED_TRACE(testing::Message() << c.nloc << "/" << c.nglob
			     << "/" << c.nstr);
		Image img(1 + 3, 4, 1 + 8);
		std::vector<uint8_t> before = img.buf;
		EXPECT_EQ(-ENOSPC,
			  ksyms_elf_add_object(&img.w, ls.data(), c.nloc,
					       gs.data(), c.nglob,
					       bigstr.data(), c.nstr));
		EXPECT_EQ(before, img.buf);
		EXPECT_FALSE(ksyms_elf_writer_complete(&img.w));
		// Nothing was taken: the exact fit still goes in.
		ASSERT_EQ(0, ksyms_elf_add_object(&img.w, ls.data(), 3,
						  gs.data(), 4, str, 8));
		EXPECT_TRUE(ksyms_elf_writer_complete(&img.w));
		before = img.buf;
		EXPECT_EQ(-ENOSPC, ksyms_elf_add_object(&img.w, ls.data(), 1,
							gs.data(), 0, str, 0));
		EXPECT_EQ(-ENOSPC, ksyms_elf_add_object(&img.w, ls.data(), 0,
							gs.data(), 1, str, 0));
		EXPECT_EQ(-ENOSPC, ksyms_elf_add_object(&img.w, ls.data(), 0,
							gs.data(), 0, str, 1));
		EXPECT_EQ(before, img.buf);
		EXPECT_TRUE(img.guard_intact());
	}
}

// complete() is true only when every symbol slot and every string byte
// promised by the layout has been written.
TEST(ElfWriterComplete, OnlyWhenExactlyFull)
{
	Elf64_Sym l = sym_of(STB_LOCAL, STT_FUNC, 1, 1);
	Elf64_Sym g = sym_of(STB_GLOBAL, STT_FUNC, 1, 1);
	{	// strings one byte short of the layout
		Image img(2, 1, 1 + 2 + 2 + 1);
		EXPECT_FALSE(ksyms_elf_writer_complete(&img.w));
		ASSERT_EQ(0, img.add(l, "a"));
		EXPECT_FALSE(ksyms_elf_writer_complete(&img.w));
		ASSERT_EQ(0, img.add(g, "b"));
		EXPECT_FALSE(ksyms_elf_writer_complete(&img.w));
	}
	{	// a global slot left over
		Image img(2, 2, 1 + 3 + 3);
		ASSERT_EQ(0, img.add(l, "aa"));
		ASSERT_EQ(0, img.add(g, "bb"));
		EXPECT_FALSE(ksyms_elf_writer_complete(&img.w));
	}
	{	// a local slot left over
		Image img(3, 1, 1 + 3 + 3);
		ASSERT_EQ(0, img.add(l, "aa"));
		ASSERT_EQ(0, img.add(g, "bb"));
		EXPECT_FALSE(ksyms_elf_writer_complete(&img.w));
	}
	{	// one string byte left, mixing add and add_object
		const char str[] = "\0xy";
		Elf64_Sym os = sym_of(STB_WEAK, STT_OBJECT, 9, 9, 1);
		Image img(2, 2, 1 + 2 + 4 + 1 + 1);
		ASSERT_EQ(0, img.add(l, "a"));
		EXPECT_FALSE(ksyms_elf_writer_complete(&img.w));
		ASSERT_EQ(0, ksyms_elf_add_object(&img.w, &l, 0, &os, 1,
						  str, 4));
		EXPECT_FALSE(ksyms_elf_writer_complete(&img.w));
		ASSERT_EQ(0, img.add(g, ""));
		EXPECT_FALSE(ksyms_elf_writer_complete(&img.w)) << "1 byte left";
	}
	{	// exact
		const char str[] = "\0xy";
		Elf64_Sym os = sym_of(STB_WEAK, STT_OBJECT, 9, 9, 1);
		Image img(2, 2, 1 + 2 + 4 + 1);
		ASSERT_EQ(0, img.add(l, "a"));
		ASSERT_EQ(0, ksyms_elf_add_object(&img.w, &l, 0, &os, 1,
						  str, 4));
		ASSERT_EQ(0, img.add(g, ""));
		EXPECT_TRUE(ksyms_elf_writer_complete(&img.w));
		EXPECT_TRUE(img.guard_intact());
		ParsedImage p = img.parse();
		EXPECT_EQ((std::vector<std::string>{"", "a", "xy", ""}),
			  names_of(p));
	}
}
