// SPDX-License-Identifier: BSD-2-Clause
// /proc/modules and /proc/kallsyms text, and the comparison with kallsyms.
#include "test_image.h"

#include <ksyms/kallsyms.h>
#include <ksyms/modules.h>
#include <ksyms/snapshot.h>
#include <ksyms/symbolize.h>

#include <gtest/gtest.h>

namespace ksyms {
namespace {

constexpr const char *proc_modules =
	"ext4 1019904 2 - Live 0xffffffffc0400000\n"
	"mymod 16384 0 - Live 0xffffffffc0001000 (OE)\n"
	"crc16 12288 1 ext4, Live 0xffffffffc0010000\n";

TEST(ProcModules, ParsesNamesSizesAndAddresses)
{
	Expected<ModuleMap> map = ModuleMap::parse_proc_modules(proc_modules);
	ASSERT_TRUE(map) << map.error().message();
	ASSERT_EQ(map->ranges().size(), 3u);
	EXPECT_EQ(map->ranges()[0].name, "mymod");	// sorted by base
	EXPECT_EQ(map->ranges()[0].base, 0xffffffffc0001000u);
	EXPECT_EQ(map->ranges()[0].size, 16384u);
	EXPECT_FALSE(map->addresses_hidden());

	EXPECT_EQ(map->module_of(0xffffffffc0001000), "mymod");
	EXPECT_EQ(map->module_of(0xffffffffc0004fff), "mymod");
	EXPECT_EQ(map->module_of(0xffffffffc0005000), "");
	EXPECT_EQ(map->module_of(0xffffffffc0010000), "crc16");
	EXPECT_EQ(map->module_of(0xffffffffc04f8fff), "ext4");
	EXPECT_EQ(map->module_of(0xffffffff81000000), "");
	EXPECT_EQ(map->module_of(0), "");
}

TEST(ProcModules, ZeroAddressesMeanNoPrivilege)
{
	Expected<ModuleMap> map = ModuleMap::parse_proc_modules(
		"ext4 1019904 2 - Live 0x0000000000000000\n"
		"mymod 16384 0 - Live 0x0000000000000000 (OE)\n");
	ASSERT_TRUE(map);
	EXPECT_TRUE(map->empty());
	EXPECT_TRUE(map->addresses_hidden());

	Expected<ModuleMap> none = ModuleMap::parse_proc_modules("");
	ASSERT_TRUE(none);
	EXPECT_FALSE(none->addresses_hidden());
}

TEST(ProcModules, RejectsMalformedLines)
{
	Expected<ModuleMap> map = ModuleMap::parse_proc_modules(
		"ext4 1019904 2 - Live 0xffffffffc0400000\nbroken line\n");
	ASSERT_FALSE(map);
	EXPECT_EQ(map.error().code(), EINVAL);
	EXPECT_EQ(map.error().message(),
		  "/proc/modules: line 2: not \"name size refs deps state address\"");
}

TEST(ProcModules, NamesTheModuleOfASymbolizedAddress)
{
	test::TempDir dir;
	test::write_image(dir.file("image.elf"), test::known_symbols());
	Expected<Snapshot> snapshot = Snapshot::open_file(dir.file("image.elf"));
	ASSERT_TRUE(snapshot);
	snapshot->set_modules(*ModuleMap::parse_proc_modules(proc_modules));
	std::optional<AddressMatch> match = snapshot->symbolize(0xffffffffc0001008);
	ASSERT_TRUE(match);
	EXPECT_EQ(format_match(*match), "mod_func+0x8/0x40 [mymod]");
	EXPECT_EQ(format_match(*snapshot->symbolize(0xffffffff81001200)),
		  "start_kernel+0x0/0x200");

	test::write_file(dir.file("modules"), proc_modules);
	ASSERT_FALSE(snapshot->load_proc_modules(dir.file("modules")));
	EXPECT_EQ(snapshot->modules().ranges().size(), 3u);
	Error error = snapshot->load_proc_modules(dir.file("absent"));
	EXPECT_EQ(error.message(),
		  dir.file("absent") + ": No such file or directory");
}

TEST(Kallsyms, ParsesVmlinuxAndModuleLines)
{
	Expected<KallsymsTable> table = KallsymsTable::parse(
		"ffffffff81000000 T _stext\n"
		"ffffffffc0001000 t mod_func\t[mymod]\n"
		"0000000000000000 A fixed_percpu_data\n");
	ASSERT_TRUE(table) << table.error().message();
	ASSERT_EQ(table->entries().size(), 3u);
	const KallsymsEntry &module = table->entries()[1];
	EXPECT_EQ(module.address, 0xffffffffc0001000u);
	EXPECT_EQ(module.letter, 't');
	EXPECT_EQ(module.name, "mod_func");
	EXPECT_EQ(module.module, "mymod");
	EXPECT_EQ(table->entries()[0].module, "");
	EXPECT_FALSE(table->addresses_hidden());

	// Views survive moving the table (the text lives on the heap).
	KallsymsTable moved = std::move(*table);
	EXPECT_EQ(moved.entries()[0].name, "_stext");
}

TEST(Kallsyms, NoticesHiddenAddressesAndBadLines)
{
	Expected<KallsymsTable> hidden = KallsymsTable::parse(
		"0000000000000000 T _stext\n0000000000000000 T _text\n");
	ASSERT_TRUE(hidden);
	EXPECT_TRUE(hidden->addresses_hidden());

	for (const char *bad : {"ffffffff81000000 T\n", "zzzz T name\n",
				"ffffffff81000000 TT name\n",
				"ffffffff81000000 T name [mod\n",
				"ffffffff81000000 T name [mod] extra\n"}) {
		Expected<KallsymsTable> table = KallsymsTable::parse(bad);
		ASSERT_FALSE(table) << bad;
		EXPECT_EQ(table.error().message(),
			  "/proc/kallsyms: line 1: not \"address letter name "
			  "[module]\"");
	}
}

// kallsyms text for the known table, as the kernel would print it.
std::string kallsyms_text(const std::vector<test::TestSymbol> &symbols)
{
	std::string text;
	char line[256];
	for (const test::TestSymbol &s : symbols) {
		std::snprintf(line, sizeof(line), "%016lx T %s\n",
			      (unsigned long)s.address, s.name.c_str());
		text += line;
	}
	return text;
}

TEST(Kallsyms, ComparesWithASnapshot)
{
	test::TempDir dir;
	test::write_image(dir.file("image.elf"), test::known_symbols());
	Expected<Snapshot> snapshot = Snapshot::open_file(dir.file("image.elf"));
	ASSERT_TRUE(snapshot);

	std::vector<test::TestSymbol> same = test::known_symbols();
	std::reverse(same.begin(), same.end());	// order does not matter
	Expected<KallsymsTable> agree = KallsymsTable::parse(kallsyms_text(same));
	ASSERT_TRUE(agree);
	EXPECT_TRUE(compare(*snapshot, *agree).empty());

	// One symbol missing, one extra, and a duplicate name counted once.
	std::vector<test::TestSymbol> other = test::known_symbols();
	other.erase(other.begin() + 7);	// jiffies
	other.push_back({"extra", 0xffffffff81000010, 0, 0, 0});
	other.erase(other.begin() + 2);	// the second "dup"
	Expected<KallsymsTable> differ = KallsymsTable::parse(kallsyms_text(other));
	ASSERT_TRUE(differ);
	std::vector<SymbolDifference> differences = compare(*snapshot, *differ);
	ASSERT_EQ(differences.size(), 3u);
	EXPECT_EQ(differences[0].side, SymbolDifference::Side::only_in_kallsyms);
	EXPECT_EQ(differences[0].name, "extra");
	EXPECT_EQ(differences[0].address, 0xffffffff81000010u);
	EXPECT_EQ(differences[1].side, SymbolDifference::Side::only_in_snapshot);
	EXPECT_EQ(differences[1].name, "jiffies");
	EXPECT_EQ(differences[2].side, SymbolDifference::Side::only_in_snapshot);
	EXPECT_EQ(differences[2].name, "dup");
	EXPECT_EQ(differences[2].address, 0xffffffff82000020u);
}

} // namespace
} // namespace ksyms
