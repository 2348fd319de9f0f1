// SPDX-License-Identifier: GPL-2.0-only
// The name index behind KIOCGVALUE/KIOCGSYMBOL (driver/ksyms_names.c) and
// ksyms_elf_tables(), on images the writer builds: which symbol a name
// finds, in which scope, what is never found, and a brute-force comparison
// with a linear search on random tables full of duplicate names.
#include "elf_test_util.h"

extern "C" {
#include "ksyms_names.h"
}

#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace ksyms_test;

namespace {

struct NamedSym {
	std::string name;
	unsigned bind;
	u64 value;
};

// An image of @syms, locals first as the driver writes it, plus its index.
struct IndexedImage {
	ksyms_elf_layout layout{};
	std::vector<uint8_t> buf;
	ksyms_elf_tables tables{};
	std::vector<uint8_t> mem;
	ksyms_names names{};

	explicit IndexedImage(const std::vector<NamedSym> &syms)
	{
		layout.nr_locals = 1;
		layout.strtab_size = 1;
		for (const auto &s : syms) {
			(s.bind == STB_LOCAL ? layout.nr_locals
					     : layout.nr_globals)++;
			layout.strtab_size += s.name.size() + 1;
		}
		buf = new_image_buffer(layout);
		freebsd_write_headers(buf.data(), &layout, EM_X86_64,
				      ELFDATA2LSB);
		ksyms_elf_writer w;
		ksyms_elf_writer_init(&w, buf.data(), &layout);
		for (const auto &s : syms) {
			Elf64_Sym e{};
			e.st_info = ELF64_ST_INFO(s.bind, STT_FUNC);
			e.st_shndx = SHN_ABS;
			e.st_value = s.value;
			EXPECT_EQ(0, ksyms_elf_add(&w, &e, s.name.data(),
						   s.name.size()));
		}
		EXPECT_TRUE(ksyms_elf_writer_complete(&w));
		EXPECT_EQ(0, ksyms_elf_find_tables(buf.data(), buf.size(), &tables));
		mem.assign(ksyms_names_bytes(tables.nr_syms), 0xa5);
		EXPECT_EQ(0, ksyms_names_build(&names, mem.data(), tables.syms,
					       tables.nr_syms, tables.strtab,
					       tables.strtab_size));
	}

	// The value found, or -1.
	int64_t value(const std::string &name, ksyms_names_scope scope) const
	{
		s64 i = ksyms_names_find(&names, name.c_str(), scope);

		return i < 0 ? -1 : (int64_t)tables.syms[i].st_value;
	}
};

TEST(ElfTables, FindsWhatTheWriterWrote)
{
	IndexedImage img({{"a", STB_LOCAL, 1}, {"bb", STB_GLOBAL, 2}});

	EXPECT_EQ(3u, img.tables.nr_syms);
	EXPECT_EQ(2u, img.tables.nr_locals);
	EXPECT_EQ(img.layout.strtab_size, img.tables.strtab_size);
	EXPECT_EQ(KSYMS_ELF_SYMTAB_OFFSET,
		  (const uint8_t *)img.tables.syms - img.buf.data());
}

TEST(ElfTables, RejectsImagesWhoseTablesLieOutside)
{
	IndexedImage img({{"a", STB_GLOBAL, 1}});
	ksyms_elf_tables t{};

	EXPECT_EQ(-EINVAL, ksyms_elf_find_tables(img.buf.data(), 10, &t));
	EXPECT_EQ(-EINVAL,
		  ksyms_elf_find_tables(img.buf.data(), img.buf.size() - 1, &t));

	auto cut_symtab = img.buf;
	auto *sh = (Elf64_Shdr *)(cut_symtab.data() + KSYMS_ELF_SHOFF);
	sh[KSYMS_SHN_SYMTAB].sh_size += 1;
	EXPECT_EQ(-EINVAL, ksyms_elf_find_tables(cut_symtab.data(),
					    cut_symtab.size(), &t));

	auto far_strtab = img.buf;
	sh = (Elf64_Shdr *)(far_strtab.data() + KSYMS_ELF_SHOFF);
	sh[KSYMS_SHN_STRTAB].sh_offset = ~0ULL - 2;
	EXPECT_EQ(-EINVAL, ksyms_elf_find_tables(far_strtab.data(),
					    far_strtab.size(), &t));

	auto bad_info = img.buf;
	sh = (Elf64_Shdr *)(bad_info.data() + KSYMS_ELF_SHOFF);
	sh[KSYMS_SHN_SYMTAB].sh_info = 3;
	EXPECT_EQ(-EINVAL, ksyms_elf_find_tables(bad_info.data(), bad_info.size(),
					    &t));
}

TEST(Names, GlobalFirstThenFirstLocalInImageOrder)
{
	IndexedImage img({
		{"dup", STB_LOCAL, 10},
		{"dup", STB_LOCAL, 11},
		{"dup", STB_GLOBAL, 12},
		{"dup", STB_WEAK, 13},
		{"only_local", STB_LOCAL, 20},
		{"only_local", STB_LOCAL, 21},
		{"weak", STB_WEAK, 30},
	});

	EXPECT_EQ(12, img.value("dup", KSYMS_NAMES_GLOBAL));
	EXPECT_EQ(12, img.value("dup", KSYMS_NAMES_ANY));
	EXPECT_EQ(-1, img.value("only_local", KSYMS_NAMES_GLOBAL));
	EXPECT_EQ(20, img.value("only_local", KSYMS_NAMES_ANY));
	EXPECT_EQ(30, img.value("weak", KSYMS_NAMES_GLOBAL));
}

TEST(Names, NeverFindsWhatIsNotThere)
{
	IndexedImage img({{"abc", STB_GLOBAL, 1}, {"abd", STB_LOCAL, 2}});

	EXPECT_EQ(3u, img.names.longest);
	for (const char *name : {"", "ab", "abcd", "ABC", "abc ", "x"})
		EXPECT_EQ(-1, img.value(name, KSYMS_NAMES_ANY)) << name;
}

TEST(Names, NullSymbolAndEmptyNamesAreNotIndexed)
{
	IndexedImage img({{"", STB_GLOBAL, 5}, {"f", STB_GLOBAL, 6}});

	EXPECT_EQ(-1, img.value("", KSYMS_NAMES_ANY));
	EXPECT_EQ(6, img.value("f", KSYMS_NAMES_ANY));
}

TEST(Names, EmptyTable)
{
	IndexedImage img({});

	EXPECT_EQ(0u, img.names.longest);
	EXPECT_EQ(-1, img.value("a", KSYMS_NAMES_ANY));
}

TEST(Names, RejectsAStringTableWithoutItsFinalNul)
{
	IndexedImage img({{"abc", STB_GLOBAL, 1}});
	std::vector<char> strtab(img.tables.strtab,
				 img.tables.strtab + img.tables.strtab_size);
	ksyms_names names{};

	strtab.back() = 'x';
	EXPECT_EQ(-EINVAL, ksyms_names_build(&names, img.mem.data(),
					     img.tables.syms,
					     img.tables.nr_syms, strtab.data(),
					     strtab.size()));
	EXPECT_EQ(-EINVAL, ksyms_names_build(&names, img.mem.data(),
					     img.tables.syms,
					     img.tables.nr_syms, strtab.data(),
					     0));
}

TEST(Names, SkipsNamesOutsideTheStringTable)
{
	IndexedImage img({{"abc", STB_GLOBAL, 1}});
	std::vector<Elf64_Sym> syms(img.tables.syms,
				    img.tables.syms + img.tables.nr_syms);
	ksyms_names names{};

	syms[1].st_name = img.tables.strtab_size;
	ASSERT_EQ(0, ksyms_names_build(&names, img.mem.data(), syms.data(),
				       syms.size(), img.tables.strtab,
				       img.tables.strtab_size));
	EXPECT_EQ(-ENOENT, ksyms_names_find(&names, "abc", KSYMS_NAMES_ANY));
}

TEST(Names, BytesAreSixASymbolAndRefuseOverflow)
{
	EXPECT_EQ((1 + 1 + 1) * 4u, ksyms_names_bytes(1));
	EXPECT_EQ((512 * 1024 + 1 + 1024 * 1024) * 4u,
		  ksyms_names_bytes(1024 * 1024));
	EXPECT_EQ(0u, ksyms_names_bytes(1ULL << 40));
}

// The index agrees with a linear search of the table on every name in it,
// and on names that are not, over random tables with many duplicates.
TEST(Names, AgreesWithALinearSearch)
{
	std::mt19937_64 rng(20261123);

	for (int round = 0; round < 50; round++) {
		std::vector<NamedSym> syms;
		size_t n = rng() % 3000;
		for (size_t i = 0; i < n; i++) {
			std::string name = "s" + std::to_string(rng() % (n / 3 + 1));
			unsigned bind = rng() % 3 == 0 ? STB_LOCAL :
					rng() % 5 == 0 ? STB_WEAK : STB_GLOBAL;
			syms.push_back({name, bind, i + 1});
		}
		// The image puts locals first: search it as written.
		IndexedImage img(syms);
		auto linear = [&](const std::string &name,
				  ksyms_names_scope scope) -> int64_t {
			int64_t local = -1;
			for (u64 i = 1; i < img.tables.nr_syms; i++) {
				const Elf64_Sym &s = img.tables.syms[i];
				if (name != img.tables.strtab + s.st_name)
					continue;
				if (ELF64_ST_BIND(s.st_info) != STB_LOCAL)
					return s.st_value;
				if (scope == KSYMS_NAMES_ANY && local < 0)
					local = s.st_value;
			}
			return local;
		};
		for (size_t i = 0; i < n / 3 + 10; i++) {
			std::string name = "s" + std::to_string(i);
			for (auto scope : {KSYMS_NAMES_GLOBAL, KSYMS_NAMES_ANY})
				ASSERT_EQ(linear(name, scope),
					  img.value(name, scope))
					<< name << " round " << round;
		}
	}
}

} // namespace
