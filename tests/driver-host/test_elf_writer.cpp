// SPDX-License-Identifier: GPL-2.0-only
// The writer: null symbol, locals first, insertion order, st_name rebasing,
// -ENOSPC with nothing written, add_object, complete().
//
// Every buffer is the image followed by a guard region; every byte starts
// as a fill pattern, so a stray write anywhere shows.
#include "elf_test_util.h"

#include <cstring>
#include <string>
#include <vector>

using namespace ksyms_test;

namespace {

constexpr size_t kGuard = 4096;
constexpr uint8_t kFill = 0xa5;

Elf64_Sym sym_of(unsigned bind, unsigned type, u64 value, u64 size,
		 u32 st_name = 0xdeadbeef, u8 other = STV_DEFAULT,
		 u16 shndx = SHN_ABS)
{
	Elf64_Sym s{};
	s.st_name = st_name;
	s.st_info = ELF64_ST_INFO(bind, type);
	s.st_other = other;
	s.st_shndx = shndx;
	s.st_value = value;
	s.st_size = size;
	return s;
}

bool same_sym(const Elf64_Sym &a, const GElf_Sym &b)
{
	return a.st_name == b.st_name && a.st_info == b.st_info &&
	       a.st_other == b.st_other && a.st_shndx == b.st_shndx &&
	       a.st_value == b.st_value && a.st_size == b.st_size;
}

struct Image {
	ksyms_elf_layout layout;
	u64 size;
	std::vector<uint8_t> buf;
	ksyms_elf_writer w;

	Image(u64 nl, u64 ng, u64 strsz) : layout(freebsd_layout(nl, ng, strsz))
	{
		size = freebsd_image_size(&layout);
		buf = new_image_buffer(layout, kGuard, kFill);
		freebsd_write_headers(buf.data(), &layout, EM_X86_64,
				      ELFDATA2LSB);
		ksyms_elf_writer_init(&w, buf.data(), &layout);
	}

	int add(const Elf64_Sym &s, const std::string &name)
	{
		return ksyms_elf_add(&w, &s, name.data(), name.size());
	}

	Elf64_Sym sym(u64 i) const
	{
		Elf64_Sym s;
		std::memcpy(&s, buf.data() + 464 + i * sizeof(s), sizeof(s));
		return s;
	}

	const char *strtab() const
	{
		return reinterpret_cast<const char *>(buf.data()) + 464 +
		       (layout.nr_locals + layout.nr_globals) * 24;
	}

	::testing::AssertionResult guard_intact() const
	{
		for (size_t i = size; i < buf.size(); i++)
			if (buf[i] != kFill)
				return ::testing::AssertionFailure()
				       << "byte " << i << " past the image end "
				       << size << " was written";
		return ::testing::AssertionSuccess();
	}

	ParsedImage parse() const
	{
		ParsedImage p;
		EXPECT_TRUE(parse_image(buf.data(), size, &p));
		return p;
	}
};

// Never a null pointer, even for an empty array: passing NULL with a zero
// count is covered once, by ElfWriterObject.EmptyPartsMayBeNull.
const Elf64_Sym *nn(const std::vector<Elf64_Sym> &v)
{
	static const Elf64_Sym dummy{};
	return v.empty() ? &dummy : v.data();
}

std::vector<std::string> names_of(const ParsedImage &p)
{
	std::vector<std::string> v;
	for (const ParsedSymbol &s : p.syms)
		v.push_back(s.name);
	return v;
}

} // namespace

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
