// SPDX-License-Identifier: GPL-2.0-only
// The writer, one symbol at a time: null symbol, locals first, insertion
// order, exactly the name's bytes, -ENOSPC with nothing written.
// test_elf_writer_object.cpp has add_object and complete().
//
// Every buffer is the image followed by a guard region; every byte starts
// as a fill pattern, so a stray write anywhere shows.
#include "writer_image.h"

#include <cstring>
#include <string>
#include <vector>

using namespace ksyms_test;

TEST(ElfIsLocal, OnlyStbLocal)
{
	for (unsigned bind = 0; bind < 16; bind++) {
		for (unsigned type : {STT_NOTYPE, STT_FUNC, STT_OBJECT}) {
			Elf64_Sym s = sym_of(bind, type, 0, 0);
			EXPECT_EQ(bind == STB_LOCAL, ksyms_elf_is_local(&s))
				<< "binding " << bind;
		}
	}
}

TEST(ElfWriter, InitWritesNullSymbolAndLeadingNul)
{
	Image img(3, 2, 20);
	Elf64_Sym zero{};
	Elf64_Sym s0 = img.sym(0);
	EXPECT_EQ(0, std::memcmp(&zero, &s0, sizeof(zero)));
	EXPECT_EQ('\0', img.strtab()[0]);
	// Nothing else of the symbol or string table is touched by init.
	for (u64 i = 464 + 24; i < img.size; i++) {
		if (i == 464 + 5 * 24)	// strtab[0]
			continue;
		ASSERT_EQ(kFill, img.buf[i]) << "byte " << i;
	}
	EXPECT_TRUE(img.guard_intact());
	EXPECT_FALSE(ksyms_elf_writer_complete(&img.w));
}

TEST(ElfWriter, OnlyTheNullSymbol)
{
	Image img(1, 0, 1);
	EXPECT_EQ(464u + 24 + 1, img.size);
	EXPECT_TRUE(ksyms_elf_writer_complete(&img.w));
	Elf64_Sym s = sym_of(STB_GLOBAL, STT_FUNC, 1, 1);
	EXPECT_EQ(-ENOSPC, img.add(s, ""));
	s = sym_of(STB_LOCAL, STT_FUNC, 1, 1);
	EXPECT_EQ(-ENOSPC, img.add(s, "x"));
	EXPECT_TRUE(img.guard_intact());
	ParsedImage p = img.parse();
	ASSERT_EQ(1u, p.syms.size());
	EXPECT_EQ("", p.syms[0].name);
	EXPECT_EQ(1u, p.shdrs[1].sh_info);
}

// Locals go to [1, nr_locals), everything else after, each in the order of
// the calls; strings are appended in call order and st_name points at them.
TEST(ElfWriter, LocalsFirstEachRegionInInsertionOrder)
{
	struct In {
		std::string name;
		Elf64_Sym sym;
	};
	const std::vector<In> in = {
		{"g_first", sym_of(STB_GLOBAL, STT_FUNC, 0xffffffff81000000, 10)},
		{"l_first", sym_of(STB_LOCAL, STT_FUNC, 0xffffffff81000010, 20)},
		{"w_weak", sym_of(STB_WEAK, STT_OBJECT, 0xffffffff82000000, 8,
				  7, STV_HIDDEN, 5)},
		{"l_second", sym_of(STB_LOCAL, STT_OBJECT, 3, 0, 0, STV_DEFAULT,
				    SHN_UNDEF)},
		{"u_unique", sym_of(STB_GNU_UNIQUE, STT_OBJECT, 4, 4)},
		{"g_last", sym_of(STB_GLOBAL, STT_NOTYPE, ~0ull, ~0ull)},
		{"l_last", sym_of(STB_LOCAL, STT_NOTYPE, 0, 0)},
	};
	u64 nl = 1, ng = 0, strsz = 1;
	for (const In &i : in) {
		(ksyms_elf_is_local(&i.sym) ? nl : ng)++;
		strsz += i.name.size() + 1;
	}
	Image img(nl, ng, strsz);
	std::vector<u32> offsets;
	u32 off = 1;
	for (const In &i : in) {
		offsets.push_back(off);
		off += i.name.size() + 1;
		ASSERT_EQ(0, img.add(i.sym, i.name)) << i.name;
	}
	EXPECT_TRUE(ksyms_elf_writer_complete(&img.w));
	EXPECT_TRUE(img.guard_intact());

	// The string table is the names in call order.
	std::string want_str(1, '\0');
	for (const In &i : in)
		want_str += i.name + '\0';
	EXPECT_EQ(want_str, std::string(img.strtab(), strsz));

	const std::vector<size_t> order = {1, 3, 6, 0, 2, 4, 5};
	ParsedImage p = img.parse();
	ASSERT_EQ(1 + in.size(), p.syms.size());
	EXPECT_EQ(nl, p.shdrs[1].sh_info);
	EXPECT_EQ("", p.syms[0].name);
	for (size_t slot = 1; slot < p.syms.size(); slot++) {
		const In &want = in[order[slot - 1]];
		Elf64_Sym s = want.sym;
		s.st_name = offsets[order[slot - 1]];
		EXPECT_EQ(want.name, p.syms[slot].name) << slot;
		EXPECT_TRUE(same_sym(s, p.syms[slot].sym)) << slot;
	}
}

// namelen bytes are copied, not up to a NUL, and a NUL is appended.
TEST(ElfWriter, CopiesExactlyNamelenBytes)
{
	Image img(2, 1, 1 + 4 + 1);
	const char *text = "abcdefgh";
	Elf64_Sym s = sym_of(STB_LOCAL, STT_FUNC, 1, 1);
	ASSERT_EQ(0, ksyms_elf_add(&img.w, &s, text, 3));
	s = sym_of(STB_GLOBAL, STT_FUNC, 1, 1);
	ASSERT_EQ(0, ksyms_elf_add(&img.w, &s, text + 5, 0));	// empty name
	EXPECT_TRUE(ksyms_elf_writer_complete(&img.w));
	EXPECT_EQ(0, std::memcmp(img.strtab(), "\0abc\0\0", 6));
	EXPECT_EQ(1u, img.sym(1).st_name);
	EXPECT_EQ(5u, img.sym(2).st_name);
	EXPECT_TRUE(img.guard_intact());
}

TEST(ElfWriter, LocalRegionFull)
{
	Image img(2, 1, 64);
	Elf64_Sym l = sym_of(STB_LOCAL, STT_FUNC, 1, 1);
	Elf64_Sym g = sym_of(STB_GLOBAL, STT_FUNC, 2, 2);
	ASSERT_EQ(0, img.add(l, "one"));
	std::vector<uint8_t> before = img.buf;
	EXPECT_EQ(-ENOSPC, img.add(l, "two"));
	EXPECT_EQ(-ENOSPC, img.add(l, ""));
	EXPECT_EQ(before, img.buf) << "a refused add wrote something";
	// The refused adds took no string space: the global's name follows
	// "one" directly.
	ASSERT_EQ(0, img.add(g, "three"));
	EXPECT_EQ(5u, img.sym(2).st_name);
	EXPECT_EQ(-ENOSPC, img.add(g, "four"));
	EXPECT_TRUE(img.guard_intact());
	ParsedImage p = img.parse();
	EXPECT_EQ((std::vector<std::string>{"", "one", "three"}), names_of(p));
}

TEST(ElfWriter, GlobalRegionFull)
{
	Image img(2, 2, 64);
	Elf64_Sym g = sym_of(STB_GLOBAL, STT_FUNC, 1, 1);
	Elf64_Sym w = sym_of(STB_WEAK, STT_FUNC, 1, 1);
	Elf64_Sym l = sym_of(STB_LOCAL, STT_FUNC, 1, 1);
	ASSERT_EQ(0, img.add(g, "a"));
	ASSERT_EQ(0, img.add(w, "b"));
	std::vector<uint8_t> before = img.buf;
	EXPECT_EQ(-ENOSPC, img.add(g, "c"));
	EXPECT_EQ(-ENOSPC, img.add(w, "d"));
	EXPECT_EQ(-ENOSPC, img.add(sym_of(STB_GNU_UNIQUE, STT_OBJECT, 0, 0), "e"));
	EXPECT_EQ(before, img.buf);
	ASSERT_EQ(0, img.add(l, "f"));
	EXPECT_EQ(5u, img.sym(1).st_name);
	EXPECT_TRUE(img.guard_intact());
	ParsedImage p = img.parse();
	EXPECT_EQ((std::vector<std::string>{"", "f", "a", "b"}), names_of(p));
}

// A name needs its length plus a NUL; exactly filling the table works,
// one byte more does not, and a refusal writes nothing and takes no slot.
TEST(ElfWriter, StringTableFull)
{
	Elf64_Sym l = sym_of(STB_LOCAL, STT_FUNC, 1, 1);
	{	// only the leading NUL: not even an empty name fits
		Image img(3, 1, 1);
		std::vector<uint8_t> before = img.buf;
		EXPECT_EQ(-ENOSPC, img.add(l, ""));
		EXPECT_EQ(-ENOSPC, img.add(l, "y"));
		EXPECT_EQ(before, img.buf);
		EXPECT_TRUE(img.guard_intact());
	}
	for (u64 strsz : {2ull, 10ull, 600ull}) {
		SCOPED_TRACE(strsz);
		Image img(3, 1, strsz);
		const std::string fits(strsz - 2, 'x');	// strsz - 1 bytes
		std::vector<uint8_t> before = img.buf;
		EXPECT_EQ(-ENOSPC, img.add(l, fits + "y"));
		EXPECT_EQ(before, img.buf);
		ASSERT_EQ(0, img.add(l, fits));
		// It took slot 1: the refused add consumed no slot.
		EXPECT_EQ(1u, img.sym(1).st_name);
		EXPECT_EQ(0, img.strtab()[strsz - 1]);
		before = img.buf;
		EXPECT_EQ(-ENOSPC, img.add(l, ""));
		EXPECT_EQ(-ENOSPC, img.add(l, "z"));
		EXPECT_EQ(before, img.buf);
		EXPECT_TRUE(img.guard_intact());
	}
}

// Keep adding every kind of symbol and object, with every name length,
// until everything is refused; the image must never be overrun.
TEST(ElfWriter, OverfillNeverWritesPastTheEnd)
{
	static const char obj_str[4] = {0, 'o', 0, 0};
	for (u64 nl : {1, 2, 5})
		for (u64 ng : {0, 1, 4})
			for (u64 strsz : {1, 3, 17, 100}) {
				SCOPED_TRACE(testing::Message() << nl << "/"
					     << ng << "/" << strsz);
				Image img(nl, ng, strsz);
				u64 added = 0;
				for (int round = 0; round < 40; round++) {
					const unsigned binds[] = {STB_LOCAL,
								  STB_GLOBAL,
								  STB_WEAK};
					Elf64_Sym s = sym_of(binds[round % 3],
							     STT_FUNC, round,
							     round);
					std::string n(round % 7, 'a' + round % 26);
					if (img.add(s, n) == 0)
						added++;
					std::vector<Elf64_Sym> ls(
						round % 3,
						sym_of(STB_LOCAL, STT_FUNC, 1, 1, 1));
					std::vector<Elf64_Sym> gs(
						round % 2,
						sym_of(STB_GLOBAL, STT_FUNC, 1, 1, 1));
					if (ksyms_elf_add_object(
						    &img.w, nn(ls), ls.size(),
						    nn(gs), gs.size(), obj_str,
						    round % 4 ? 2 + round % 2 : 0) == 0)
						added += ls.size() + gs.size();
					ASSERT_TRUE(img.guard_intact())
						<< "round " << round;
				}
				EXPECT_LE(added, nl - 1 + ng);
			}
}
