// SPDX-License-Identifier: BSD-2-Clause
// Opening images, iterating them and looking names up.
#include "test_image.h"

#include <ksyms/snapshot.h>

#include <elf.h>
#include <gtest/gtest.h>

namespace ksyms {
namespace {

using test::known_symbols;
using test::TempDir;

class SnapshotTest : public ::testing::Test {
protected:
	void SetUp() override
	{
		path_ = dir_.file("image.elf");
		test::write_image(path_, known_symbols());
	}
	Snapshot open()
	{
		Expected<Snapshot> snapshot = Snapshot::open_file(path_);
		EXPECT_TRUE(snapshot) << snapshot.error().message();
		return std::move(*snapshot);
	}
	TempDir dir_;
	std::string path_;
};

TEST_F(SnapshotTest, OpensAFileAndCountsItsSymbols)
{
	Snapshot snapshot = open();
	EXPECT_EQ(snapshot.path(), path_);
	EXPECT_EQ(snapshot.symbol_count(), known_symbols().size());
	EXPECT_EQ(snapshot.local_count(), 4u);
	EXPECT_EQ(snapshot.image().size(), test::read_file(path_).size());
}

TEST_F(SnapshotTest, IteratesInImageOrder)
{
	Snapshot snapshot = open();
	size_t i = 0;
	for (Symbol symbol : snapshot.symbols()) {
		ASSERT_LT(i, known_symbols().size());
		const test::TestSymbol &expected = known_symbols()[i];
		EXPECT_EQ(symbol.index, i + 1);
		EXPECT_EQ(symbol.name, expected.name);
		EXPECT_EQ(symbol.address, expected.address);
		EXPECT_EQ(symbol.size, expected.size);
		EXPECT_EQ(symbol.type, expected.type);
		EXPECT_EQ(symbol.binding, expected.binding);
		EXPECT_EQ(symbol.section, SHN_ABS);
		// Names are C strings too (the C API relies on it).
		EXPECT_EQ(symbol.name.data()[symbol.name.size()], '\0');
		i++;
	}
	EXPECT_EQ(i, known_symbols().size());
	EXPECT_EQ(snapshot.symbols().size(), known_symbols().size());
}

TEST_F(SnapshotTest, LettersFollowTypeAndBinding)
{
	Snapshot snapshot = open();
	std::string letters;
	for (Symbol symbol : snapshot.symbols())
		letters += symbol.letter;
	// local_func dup dup label_local _stext start_kernel alias jiffies
	// weak_object absolute_zero mod_func _end
	EXPECT_EQ(letters, "ttdaATWDVATA");
}

TEST(TypeLetter, CoversEveryBranch)
{
	EXPECT_EQ(type_letter(STT_FUNC, STB_GLOBAL, SHN_ABS), 'T');
	EXPECT_EQ(type_letter(STT_FUNC, STB_LOCAL, SHN_ABS), 't');
	EXPECT_EQ(type_letter(STT_OBJECT, STB_GLOBAL, SHN_ABS), 'D');
	EXPECT_EQ(type_letter(STT_OBJECT, STB_LOCAL, SHN_ABS), 'd');
	EXPECT_EQ(type_letter(STT_OBJECT, STB_WEAK, SHN_ABS), 'V');
	EXPECT_EQ(type_letter(STT_FUNC, STB_WEAK, SHN_ABS), 'W');
	EXPECT_EQ(type_letter(STT_NOTYPE, STB_WEAK, SHN_ABS), 'W');
	EXPECT_EQ(type_letter(STT_NOTYPE, STB_GLOBAL, SHN_ABS), 'A');
	EXPECT_EQ(type_letter(STT_NOTYPE, STB_LOCAL, SHN_ABS), 'a');
	EXPECT_EQ(type_letter(STT_FUNC, STB_GLOBAL, SHN_UNDEF), 'U');
	EXPECT_EQ(type_letter(STT_FUNC, STB_WEAK, SHN_UNDEF), 'w');
	EXPECT_EQ(type_letter(STT_OBJECT, STB_WEAK, SHN_UNDEF), 'v');
	EXPECT_EQ(type_letter(STT_SECTION, STB_LOCAL, 1), '?');
}

TEST_F(SnapshotTest, FindsNamesIncludingDuplicates)
{
	Snapshot snapshot = open();
	std::vector<Symbol> dup = snapshot.find_name("dup");
	ASSERT_EQ(dup.size(), 2u);
	EXPECT_EQ(dup[0].index, 2u);	// image order
	EXPECT_EQ(dup[0].address, 0xffffffff81001100u);
	EXPECT_EQ(dup[1].index, 3u);
	EXPECT_EQ(dup[1].type, STT_OBJECT);

	std::vector<Symbol> jiffies = snapshot.find_name("jiffies");
	ASSERT_EQ(jiffies.size(), 1u);
	EXPECT_EQ(jiffies[0].address, 0xffffffff82000000u);

	EXPECT_TRUE(snapshot.find_name("no_such_symbol").empty());
	EXPECT_TRUE(snapshot.find_name("").empty());
	EXPECT_TRUE(snapshot.find_name("jiffie").empty());
}

TEST_F(SnapshotTest, MovesKeepTheImage)
{
	Snapshot first = open();
	Snapshot second = std::move(first);
	EXPECT_EQ(second.find_name("jiffies").size(), 1u);
	Snapshot third = open();
	third = std::move(second);
	EXPECT_EQ(third.symbol(5).name, "_stext");
}

TEST(SnapshotEmpty, AnImageWithOnlyTheNullSymbol)
{
	TempDir dir;
	test::write_image(dir.file("empty.elf"), {});
	Expected<Snapshot> snapshot = Snapshot::open_file(dir.file("empty.elf"));
	ASSERT_TRUE(snapshot) << snapshot.error().message();
	EXPECT_EQ(snapshot->symbol_count(), 0u);
	EXPECT_EQ(snapshot->symbols().begin(), snapshot->symbols().end());
	EXPECT_FALSE(snapshot->symbolize(0xffffffff81000000));
}

} // namespace
} // namespace ksyms
