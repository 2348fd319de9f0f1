// SPDX-License-Identifier: GPL-2.0-only
// /proc/kallsyms lines, nm letters, kallsyms-style sizes (driver/ksyms_nm.c).
#include "elf_test_util.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace ksyms_test;

namespace {

struct Parsed {
	int rc;
	ksyms_kallsyms_line line;
};

// Parses @s from a heap copy of exactly its length, so ASan catches any
// read past it.
Parsed parse(const std::string &s)
{
	Parsed p{};
	std::unique_ptr<char[]> copy(new char[s.size() ? s.size() : 1]);
	std::memcpy(copy.get(), s.data(), s.size());
	p.rc = ksyms_kallsyms_parse_line(copy.get(), s.size(), &p.line);
	if (p.rc == 0) {
		// Make the name outlive the copy for the caller's checks.
		EXPECT_GE(p.line.name, copy.get());
		EXPECT_LE(p.line.name + p.line.namelen, copy.get() + s.size());
		static thread_local std::string keep;
		keep.assign(p.line.name, p.line.namelen);
		p.line.name = keep.c_str();
		static thread_local std::string keep_module;
		keep_module.assign(p.line.module, p.line.modlen);
		p.line.module = keep_module.c_str();
	}
	return p;
}

std::string name_of(const ksyms_kallsyms_line &l)
{
	return std::string(l.name, l.namelen);
}

} // namespace

TEST(KallsymsParse, VmlinuxLine)
{
	const std::string s = "ffffffff81000000 T _stext";
	ksyms_kallsyms_line l;
	ASSERT_EQ(0, ksyms_kallsyms_parse_line(s.data(), s.size(), &l));
	EXPECT_EQ(0xffffffff81000000ull, l.addr);
	EXPECT_EQ('T', l.type);
	EXPECT_EQ(s.data() + 19, l.name);	// points into the line
	EXPECT_EQ(6u, l.namelen);
	EXPECT_FALSE(l.in_module);
	EXPECT_EQ(0u, l.modlen);
}

TEST(KallsymsParse, ModuleLine)
{
	Parsed p = parse("ffffffffc0a01000 t foo\t[dummy]");
	ASSERT_EQ(0, p.rc);
	EXPECT_EQ(0xffffffffc0a01000ull, p.line.addr);
	EXPECT_EQ('t', p.line.type);
	EXPECT_EQ("foo", name_of(p.line));
	EXPECT_TRUE(p.line.in_module);
	EXPECT_EQ("dummy", std::string(p.line.module, p.line.modlen));

	p = parse("ffffffffc0a02040 T dummy_exported_function\t[dummy_mod]");
	ASSERT_EQ(0, p.rc);
	EXPECT_EQ("dummy_exported_function", name_of(p.line));
	EXPECT_TRUE(p.line.in_module);

	// The pseudo-modules after the real ones.
	for (const char *m : {"[__builtin__ftrace]", "[bpf]",
			      "[__builtin__kprobes]"}) {
		p = parse(std::string("ffffffffa0000000 t bpf_prog_6deef7357e7b4530_x\t") + m);
		ASSERT_EQ(0, p.rc) << m;
		EXPECT_EQ("bpf_prog_6deef7357e7b4530_x", name_of(p.line));
		EXPECT_TRUE(p.line.in_module);
		EXPECT_EQ(std::string(m + 1, std::strlen(m) - 2),
			  std::string(p.line.module, p.line.modlen));
	}
}

TEST(KallsymsParse, Addresses)
{
	struct {
		const char *line;
		u64 addr;
	} cases[] = {
		{"c1000000 T _stext", 0xc1000000ull},	// 32-bit kernel, %px
		{"00000000 T x", 0},
		{"0000000000000000 A fixed_percpu_data", 0},	// hidden or percpu
		{"0000000000001000 A cpu_number", 0x1000},
		{"ffffffffffffffff t last", ~0ull},
		{"1 t one_digit", 1},
		{"FFFFFFFF8100ABCD T upper_hex", 0xffffffff8100abcdull},
	};
	for (auto c : cases) {
		Parsed p = parse(c.line);
		ASSERT_EQ(0, p.rc) << c.line;
		EXPECT_EQ(c.addr, p.line.addr) << c.line;
		EXPECT_FALSE(p.line.in_module);
	}
}

TEST(KallsymsParse, NamesAsTheyAre)
{
	struct {
		const char *line;
		const char *name;
	} cases[] = {
		{"ffffffff81000000 t __pfx_x86_64_start_kernel",
		 "__pfx_x86_64_start_kernel"},
		{"ffffffff81000000 t foo.cold", "foo.cold"},
		{"ffffffff81000000 t foo.constprop.0.isra.0",
		 "foo.constprop.0.isra.0"},
		{"ffffffff81000000 b __key.12", "__key.12"},
		{"ffffffff81000000 T x", "x"},
		{"ffffffff81000000 ? odd_type_letter", "odd_type_letter"},
	};
	for (auto c : cases) {
		Parsed p = parse(c.line);
		ASSERT_EQ(0, p.rc) << c.line;
		EXPECT_EQ(c.name, name_of(p.line));
	}
}

// len excludes the newline; nothing at or after line[len] is looked at.
TEST(KallsymsParse, HonoursLen)
{
	const char text[] = "ffffffff81000000 T _stext_and_more\n";
	ksyms_kallsyms_line l;
	ASSERT_EQ(0, ksyms_kallsyms_parse_line(text, 25, &l));
	EXPECT_EQ("_stext", name_of(l));
	EXPECT_FALSE(l.in_module);
	ASSERT_EQ(0, ksyms_kallsyms_parse_line(text, 20, &l));
	EXPECT_EQ("_", name_of(l));
	EXPECT_EQ(-EINVAL, ksyms_kallsyms_parse_line(text, 19, &l));
	EXPECT_EQ(-EINVAL, ksyms_kallsyms_parse_line(text, 16, &l));
	EXPECT_EQ(-EINVAL, ksyms_kallsyms_parse_line(text, 0, &l));
	EXPECT_EQ(-EINVAL, ksyms_kallsyms_parse_line(nullptr, 0, &l));
	// A 16-digit address cut short is still an address.
	ASSERT_EQ(0, ksyms_kallsyms_parse_line("ff T a", 6, &l));
	EXPECT_EQ(0xffu, l.addr);
}

TEST(KallsymsParse, BadLines)
{
	const char *bad[] = {
		"",
		"ffffffff81000000",			// address only
		"ffffffff81000000 ",
		"ffffffff81000000T_stext",		// no space
		"ffffffff81000000_T_stext",
		"ffffffff81000000\tT _stext",		// tab for space
		"ffffffff81000000 T",			// no name
		"ffffffff81000000 T ",			// empty name
		"ffffffff81000000 T \t[dummy]",		// empty module name
		"ffffffff81000000 _stext",		// type missing
		"ffffffff81000000  _stext",
		"ffffffff81000000 TT _stext",		// two letters
		"ffffffff81000000 T\t_stext",
		"1ffffffff81000000 T _stext",		// 17 hex digits
		"00000000000000000 T _stext",		// 17 zeros
		"0ffffffff81000000000 T _stext",
		"xfffffff81000000 T _stext",		// not hex
		"0xffffffff81000000 T _stext",
		"ffffffff8100000g T _stext",
		"-ffffffff8100000 T _stext",
		" ffffffff81000000 T _stext",		// leading space
		" T _stext",				// no address
		"T _stext",
		"\t[dummy]",
	};
	for (const char *b : bad)
		EXPECT_EQ(-EINVAL, parse(b).rc) << "\"" << b << "\"";
}

// A line whose type field is blank is not kallsyms' (it always prints a
// letter, or '?'), but "ADDR   name" passes as type ' ', and the symbol
// would then go into the image as an STB_LOCAL STT_NOTYPE.
TEST(KallsymsParse, BlankTypeIsNotAType)
{
	for (const char *b : {"ffffffff81000000   _stext",
			      "ffffffff81000000 \t _stext",
			      "ffffffff81000000 \n _stext"}) {
		Parsed p = parse(b);
		EXPECT_EQ(-EINVAL, p.rc)
			<< "\"" << b << "\" parsed with type '" << p.line.type
			<< "' and name \"" << name_of(p.line) << "\"";
	}
	std::string nul("ffffffff81000000 \0 _stext", 26);
	EXPECT_EQ(-EINVAL, parse(nul).rc) << "NUL as the type";
}

TEST(KallsymsParse, InModuleFlag)
{
	EXPECT_FALSE(parse("ffffffff81000000 T a").line.in_module);
	EXPECT_TRUE(parse("ffffffffc0000000 t a\t[m]").line.in_module);
	// Anything from the first tab on is the module part.
	Parsed p = parse("ffffffffc0000000 t a b\t[m]\tmore");
	ASSERT_EQ(0, p.rc);
	EXPECT_EQ("a b", name_of(p.line));
	EXPECT_TRUE(p.line.in_module);
	EXPECT_EQ("[m]\tmore", std::string(p.line.module, p.line.modlen))
		<< "no closing bracket at the end: the part is taken whole";
}

namespace {

struct Letter {
	char c;
	unsigned bind;
	unsigned type;
};

// nm(1)'s letters.  Upper case: global; lower case: local; except
// w/W/v/V (weak, any case) and u (a GNU unique global, nm says "global").
const Letter kLetters[] = {
	{'T', STB_GLOBAL, STT_FUNC},   {'t', STB_LOCAL, STT_FUNC},
	{'D', STB_GLOBAL, STT_OBJECT}, {'d', STB_LOCAL, STT_OBJECT},
	{'B', STB_GLOBAL, STT_OBJECT}, {'b', STB_LOCAL, STT_OBJECT},
	{'R', STB_GLOBAL, STT_OBJECT}, {'r', STB_LOCAL, STT_OBJECT},
	{'A', STB_GLOBAL, STT_NOTYPE}, {'a', STB_LOCAL, STT_NOTYPE},
	{'W', STB_WEAK, STT_NOTYPE},   {'w', STB_WEAK, STT_NOTYPE},
	{'V', STB_WEAK, STT_OBJECT},   {'v', STB_WEAK, STT_OBJECT},
	{'U', STB_GLOBAL, STT_NOTYPE}, {'u', STB_GLOBAL, STT_NOTYPE},
	{'G', STB_GLOBAL, STT_OBJECT}, {'g', STB_LOCAL, STT_OBJECT},
	{'S', STB_GLOBAL, STT_OBJECT}, {'s', STB_LOCAL, STT_OBJECT},
	{'N', STB_GLOBAL, STT_NOTYPE}, {'n', STB_LOCAL, STT_NOTYPE},
	{'?', STB_LOCAL, STT_NOTYPE},
};

} // namespace

TEST(NmToSym, EveryLetter)
{
	for (const Letter &l : kLetters) {
		if (l.c == 'u')
			continue;	// NmToSym.LowercaseUIsAUniqueGlobal
		SCOPED_TRACE(testing::Message() << "letter " << l.c);
		Elf64_Sym s;
		std::memset(&s, 0xcc, sizeof(s));
		ksyms_nm_to_sym(l.c, 0xffffffff81234567ull, &s);
		EXPECT_EQ(l.bind, ELF64_ST_BIND(s.st_info));
		EXPECT_EQ(l.type, ELF64_ST_TYPE(s.st_info));
		EXPECT_EQ(SHN_ABS, s.st_shndx);
		EXPECT_EQ(0u, s.st_name);
		EXPECT_EQ(0u, s.st_size);
		EXPECT_EQ(STV_DEFAULT, s.st_other);
		EXPECT_EQ(0xffffffff81234567ull, s.st_value);
	}
}

// nm(1): "u  The symbol is a unique global symbol."  It must not land in
// the local region.  (kallsyms does not print 'u' for C code today, so
// this is about correctness of the table rather than a live problem.)
TEST(NmToSym, LowercaseUIsAUniqueGlobal)
{
	Elf64_Sym s;
	ksyms_nm_to_sym('u', 0x1000, &s);
	EXPECT_NE(STB_LOCAL, ELF64_ST_BIND(s.st_info))
		<< "'u' mapped to STB_LOCAL";
	EXPECT_EQ(SHN_ABS, s.st_shndx);
}

TEST(NmToSym, IsAbsolute)
{
	for (int c = 0; c < 256; c++)
		EXPECT_EQ(c == 'a' || c == 'A',
			  ksyms_nm_is_absolute(static_cast<char>(c)))
			<< c;
}

namespace {

std::vector<u64> sizes_for(const std::vector<u64> &addrs,
			   const std::string &types)
{
	std::vector<Elf64_Sym> syms(addrs.size());
	for (size_t i = 0; i < addrs.size(); i++) {
		ksyms_nm_to_sym(types[i], addrs[i], &syms[i]);
		syms[i].st_size = 0xdeadbeef;	// must be overwritten
	}
	ksyms_nm_fill_sizes(syms.data(), types.data(), syms.size());
	std::vector<u64> out;
	for (size_t i = 0; i < syms.size(); i++) {
		EXPECT_EQ(addrs[i], syms[i].st_value) << "value changed";
		out.push_back(syms[i].st_size);
	}
	return out;
}

using V = std::vector<u64>;

} // namespace

TEST(NmFillSizes, SortedDistanceToNext)
{
	EXPECT_EQ((V{0x10, 0x20, 0}), sizes_for({0x100, 0x110, 0x130}, "TtT"));
	EXPECT_EQ((V{0}), sizes_for({0x100}, "T"));
	EXPECT_EQ((V{}), sizes_for({}, ""));
	ksyms_nm_fill_sizes(nullptr, nullptr, 0);
}

TEST(NmFillSizes, AliasesShareTheSize)
{
	// _stext and _text at one address: both reach the next higher one.
	EXPECT_EQ((V{0x20, 0x20, 0x30, 0}),
		  sizes_for({0x100, 0x100, 0x120, 0x150}, "TTtT"));
	EXPECT_EQ((V{0x20, 0x20, 0x20, 0x30, 0}),
		  sizes_for({0x100, 0x100, 0x100, 0x120, 0x150}, "TTTtT"));
	// Aliases of the last address have no next: 0.
	EXPECT_EQ((V{0x20, 0, 0}), sizes_for({0x100, 0x120, 0x120}, "TTT"));
	EXPECT_EQ((V{0, 0}), sizes_for({0x100, 0x100}, "Tt"));
}

TEST(NmFillSizes, AbsoluteSymbolsGetZero)
{
	// The percpu block at the start, as x86_64 kallsyms shows it.
	EXPECT_EQ((V{0, 0, 0, 0x10, 0}),
		  sizes_for({0, 0, 0x1000, 0xffffffff81000000,
			     0xffffffff81000010},
			    "AAATT"));
	// An absolute symbol in the middle still bounds the one before it.
	EXPECT_EQ((V{5, 0, 0}), sizes_for({100, 105, 110}, "TaT"));
	EXPECT_EQ((V{0, 10, 0}), sizes_for({100, 100, 110}, "AtT"));
}

TEST(NmFillSizes, OrderBreakGivesZero)
{
	// vmlinux ascending, then a module block starting lower.
	EXPECT_EQ((V{100, 0, 10, 0}), sizes_for({100, 200, 150, 160}, "TTtt"));
	// An alias of the symbol before the break: no next for it either.
	EXPECT_EQ((V{100, 0, 0, 0}), sizes_for({100, 200, 200, 50}, "TTTt"));
	// Descending throughout.
	EXPECT_EQ((V{0, 0, 0}), sizes_for({300, 200, 100}, "TTT"));
	// Several blocks, each ascending.
	EXPECT_EQ((V{1, 0, 2, 0, 4, 0}),
		  sizes_for({10, 11, 5, 7, 1, 5}, "tttttt"));
}

// Against a brute-force statement of the rule on random inputs with many
// aliases and order breaks.
TEST(NmFillSizes, MatchesTheRuleOnRandomInput)
{
	std::mt19937_64 rng(0x6e6d73697a6573ull);
	const char letters[] = "TtDdBbRrAaWwVvGgSs?";
	for (int iter = 0; iter < 3000; iter++) {
		size_t n = rng() % 40;
		u64 span = 1 + rng() % 50;
		std::vector<u64> addrs(n);
		std::string types(n, 'T');
		u64 base = rng() % 2 ? 0xffffffff81000000ull : 0;
		for (size_t i = 0; i < n; i++) {
			addrs[i] = base + rng() % span;
			types[i] = letters[rng() % (sizeof(letters) - 1)];
		}
		if (rng() % 2)
			std::sort(addrs.begin(), addrs.end());
		std::vector<u64> want(n, 0);
		for (size_t i = 0; i < n; i++) {
			if (types[i] == 'A' || types[i] == 'a')
				continue;
			for (size_t j = i + 1; j < n; j++) {
				if (addrs[j] < addrs[j - 1])
					break;	// the ascending run ends
				if (addrs[j] > addrs[i]) {
					want[i] = addrs[j] - addrs[i];
					break;
				}
			}
		}
		ASSERT_EQ(want, sizes_for(addrs, types)) << "iteration " << iter;
	}
}
