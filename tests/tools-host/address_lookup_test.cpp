// SPDX-License-Identifier: BSD-2-Clause
// Address -> symbol: every edge of the segments the index builds.
#include "test_image.h"

#include <ksyms/snapshot.h>
#include <ksyms/symbolize.h>

#include <elf.h>
#include <gtest/gtest.h>

#include <random>

namespace ksyms {
namespace {

using test::TempDir;
using test::TestSymbol;

Snapshot open_table(const TempDir &dir, const std::vector<TestSymbol> &symbols)
{
	std::string path = dir.file("image.elf");
	test::write_image(path, symbols);
	Expected<Snapshot> snapshot = Snapshot::open_file(path);
	EXPECT_TRUE(snapshot) << snapshot.error().message();
	return std::move(*snapshot);
}

// "s12" for ('s', 12). Appended, not `"s" + std::to_string(n)`: GCC 12 at
// -O2 inlines that operator+ into an insert and warns of a memcpy overlap
// that cannot happen (a -Wrestrict false positive in libstdc++'s own
// code), and CI builds the tests with -Werror at -O2 too.
std::string numbered(char prefix, size_t n)
{
	std::string name(1, prefix);
	name += std::to_string(n);
	return name;
}

// "name+0xoff/0xsize [module]", or "none".
std::string where(const Snapshot &snapshot, uint64_t address)
{
	std::optional<AddressMatch> match = snapshot.symbolize(address);
	return match ? format_match(*match) : "none";
}

class AddressLookupTest : public ::testing::Test {
protected:
	TempDir dir_;
	Snapshot snapshot_ = open_table(dir_, test::known_symbols());
};

TEST_F(AddressLookupTest, InsideAtStartAndAtEndMinusOne)
{
	EXPECT_EQ(where(snapshot_, 0xffffffff81001210), "start_kernel+0x10/0x200");
	EXPECT_EQ(where(snapshot_, 0xffffffff81001200), "start_kernel+0x0/0x200");
	EXPECT_EQ(where(snapshot_, 0xffffffff810013ff), "start_kernel+0x1ff/0x200");
	EXPECT_EQ(where(snapshot_, 0xffffffff81001000), "local_func+0x0/0x100");
	EXPECT_EQ(where(snapshot_, 0xffffffff810010ff), "local_func+0xff/0x100");
	EXPECT_EQ(where(snapshot_, 0xffffffff81001100), "dup+0x0/0x20");
}

TEST_F(AddressLookupTest, BetweenSymbolsAndOutside)
{
	// Past start_kernel's end, before jiffies: no symbol covers it.
	EXPECT_EQ(where(snapshot_, 0xffffffff81001400), "none");
	// Past dup's end, before label_local.
	EXPECT_EQ(where(snapshot_, 0xffffffff81001120), "none");
	// Before the first symbol.
	EXPECT_EQ(where(snapshot_, 0xffffffff80ffffff), "none");
	EXPECT_EQ(where(snapshot_, 0), "none");
	EXPECT_EQ(where(snapshot_, 1), "none");
	EXPECT_EQ(where(snapshot_, UINT64_MAX), "none");
}

TEST_F(AddressLookupTest, ZeroSizeSymbolsReachTheNextSymbol)
{
	// _stext has size 0: it covers up to local_func, like kallsyms.
	EXPECT_EQ(where(snapshot_, 0xffffffff81000000), "_stext+0x0/0x1000");
	EXPECT_EQ(where(snapshot_, 0xffffffff81000fff), "_stext+0xfff/0x1000");
	EXPECT_EQ(where(snapshot_, 0xffffffff81001190), "label_local+0x10/0x80");
	// The highest symbol of size 0 covers only its own address.
	EXPECT_EQ(where(snapshot_, 0xffffffffc0002000), "_end+0x0/0x0");
	EXPECT_EQ(where(snapshot_, 0xffffffffc0002001), "none");
}

TEST_F(AddressLookupTest, AliasesPreferGlobalOverWeak)
{
	std::optional<AddressMatch> match = snapshot_.symbolize(0xffffffff81001300);
	ASSERT_TRUE(match);
	EXPECT_EQ(match->symbol.name, "start_kernel");
	EXPECT_EQ(match->symbol.binding, STB_GLOBAL);
	EXPECT_EQ(match->address, 0xffffffff81001300u);
	EXPECT_EQ(match->offset, 0x100u);
	EXPECT_TRUE(match->module.empty());
}

TEST(AddressLookup, NestedSymbolsAndLabelsInsideFunctions)
{
	TempDir dir;
	Snapshot snapshot = open_table(dir, {
		{"inner", 0x1040, 0x10, STT_OBJECT, STB_LOCAL},
		{"label", 0x1080, 0, STT_NOTYPE, STB_LOCAL},
		{"outer", 0x1000, 0x100, STT_FUNC, STB_GLOBAL},
		{"after", 0x2000, 0, STT_NOTYPE, STB_GLOBAL},
	});
	EXPECT_EQ(where(snapshot, 0x1000), "outer+0x0/0x100");
	EXPECT_EQ(where(snapshot, 0x1045), "inner+0x5/0x10");
	EXPECT_EQ(where(snapshot, 0x1050), "outer+0x50/0x100");
	// A label of size 0 does not hide the function around it...
	EXPECT_EQ(where(snapshot, 0x1080), "outer+0x80/0x100");
	// ...but covers the gap after it, up to the next symbol.
	EXPECT_EQ(where(snapshot, 0x1100), "label+0x80/0xf80");
	EXPECT_EQ(where(snapshot, 0x1fff), "label+0xf7f/0xf80");
	EXPECT_EQ(where(snapshot, 0x2000), "after+0x0/0x0");
}

TEST(AddressLookup, OverlappingSymbolsLetTheLaterStartWin)
{
	TempDir dir;
	Snapshot snapshot = open_table(dir, {
		{"first", 0x1000, 0x100, STT_FUNC, STB_GLOBAL},
		{"second", 0x1080, 0x100, STT_FUNC, STB_GLOBAL},
	});
	EXPECT_EQ(where(snapshot, 0x107f), "first+0x7f/0x100");
	EXPECT_EQ(where(snapshot, 0x1080), "second+0x0/0x100");
	EXPECT_EQ(where(snapshot, 0x10ff), "second+0x7f/0x100");
	EXPECT_EQ(where(snapshot, 0x1100), "second+0x80/0x100");
	EXPECT_EQ(where(snapshot, 0x1180), "none");
}

TEST(AddressLookup, SectionFileAndUndefinedSymbolsTakeNoPart)
{
	TempDir dir;
	Snapshot snapshot = open_table(dir, {
		{"file.c", 0x1000, 0, STT_FILE, STB_LOCAL},
		{".text", 0x1000, 0, STT_SECTION, STB_LOCAL},
		{"f", 0x1010, 0x10, STT_FUNC, STB_GLOBAL},
	});
	EXPECT_EQ(where(snapshot, 0x1000), "none");
	EXPECT_EQ(where(snapshot, 0x1010), "f+0x0/0x10");
}

// The segments against a brute-force reading of the same rules, on random
// tables with sizes and without.
TEST(AddressLookup, AgreesWithBruteForceOnRandomTables)
{
	std::mt19937_64 random(6);
	for (int round = 0; round < 20; round++) {
		std::vector<TestSymbol> symbols;
		for (int i = 0; i < 40; i++) {
			uint64_t address = 0x1000 + random() % 0x400;
			uint64_t size = random() % 3 ? random() % 0x40 : 0;
			symbols.push_back({numbered('s', i), address, size,
					   STT_FUNC, STB_GLOBAL});
		}
		TempDir dir;
		Snapshot snapshot = open_table(dir, symbols);
		std::vector<uint64_t> starts;
		for (const TestSymbol &s : symbols)
			starts.push_back(s.address);
		std::sort(starts.begin(), starts.end());
		for (uint64_t address = 0xff0; address < 0x1500; address++) {
			// The innermost sized symbol: latest start, then
			// smallest, then first in the table.
			int best = -1;
			for (size_t i = 0; i < symbols.size(); i++) {
				const TestSymbol &s = symbols[i];
				if (!s.size || address < s.address ||
				    address >= s.address + s.size)
					continue;
				if (best < 0 || s.address > symbols[best].address ||
				    (s.address == symbols[best].address &&
				     s.size < symbols[best].size))
					best = i;
			}
			if (best < 0) {
				for (size_t i = 0; i < symbols.size(); i++) {
					const TestSymbol &s = symbols[i];
					if (s.size || address < s.address)
						continue;
					auto next = std::upper_bound(
						starts.begin(), starts.end(),
						s.address);
					uint64_t end = next == starts.end() ?
							       s.address + 1 : *next;
					if (address < end &&
					    (best < 0 ||
					     s.address > symbols[best].address))
						best = i;
				}
			}
			std::optional<AddressMatch> match =
				snapshot.symbolize(address);
			if (best < 0) {
				EXPECT_FALSE(match) << std::hex << address;
				continue;
			}
			ASSERT_TRUE(match) << std::hex << address;
			EXPECT_EQ(match->symbol.address, symbols[best].address)
				<< std::hex << address;
			EXPECT_EQ(match->symbol.size, symbols[best].size)
				<< std::hex << address;
		}
	}
}

// The index cuts far-apart starts into regions and buckets them: clusters
// of symbols at very different addresses (the bottom and the top of the
// address space among them), checked at and around every symbol edge, in
// the gaps between clusters, and through locate() one by one and batched.
TEST(AddressLookup, ClustersFarApartAgreeWithLinearScan)
{
	std::mt19937_64 random(7);
	const uint64_t bases[] = {0x1, 0x100000000, 0xffffffff81000000,
				  0xffffffffc0000000, 0xfffffffffffff000};
	std::vector<TestSymbol> symbols;
	for (uint64_t base : bases) {
		uint64_t address = base;
		for (int i = 0; i < 300; i++) {
			uint64_t size = random() % 4 ? 1 + random() % 0x80 : 0;
			symbols.push_back({numbered('c', symbols.size()),
					   address, size, STT_FUNC, STB_GLOBAL});
			// Never overlapping: past the end, then a gap; and
			// never wrapping past the top of the address space.
			uint64_t step = std::max<uint64_t>(size, 1) +
					random() % 0x80 +
					(random() % 50 ? 0 : 0x100000);
			if (address > UINT64_MAX - step - 0x100)
				break;
			address += step;
		}
	}
	std::vector<uint64_t> probes = {0, UINT64_MAX, 0x80000000,
					0xffffffffa0000000};
	for (const TestSymbol &s : symbols) {
		for (uint64_t delta : {0ul, 1ul, s.size, s.size + 1})
			probes.push_back(s.address + delta);
		probes.push_back(s.address - 1);
	}
	std::vector<uint64_t> starts;
	for (const TestSymbol &s : symbols)
		starts.push_back(s.address);
	std::sort(starts.begin(), starts.end());
	// Distinct addresses and no nesting: the owner is the sized symbol
	// around the address, else the nearest size-0 symbol below it (up to
	// the next start; the highest covers only its own address).
	auto owner = [&](uint64_t address) -> const TestSymbol * {
		const TestSymbol *best = nullptr;
		for (const TestSymbol &s : symbols) {
			if (s.size && address >= s.address &&
			    address - s.address < s.size)
				return &s;
			if (s.size || address < s.address)
				continue;
			auto next = std::upper_bound(starts.begin(), starts.end(),
						     s.address);
			bool inside = next == starts.end() ? address == s.address :
							     address < *next;
			if (inside)
				best = &s;
		}
		return best;
	};

	TempDir dir;
	Snapshot snapshot = open_table(dir, symbols);
	std::vector<AddressLocation> batch(probes.size());
	snapshot.locate(probes, batch);
	for (size_t i = 0; i < probes.size(); i++) {
		uint64_t address = probes[i];
		const TestSymbol *expected = owner(address);
		std::optional<AddressMatch> match = snapshot.symbolize(address);
		AddressLocation location = snapshot.locate(address);
		if (!expected) {
			EXPECT_FALSE(match) << std::hex << address;
			EXPECT_FALSE(location) << std::hex << address;
			EXPECT_FALSE(batch[i]) << std::hex << address;
			continue;
		}
		ASSERT_TRUE(match) << std::hex << address;
		EXPECT_EQ(match->symbol.name, expected->name) << std::hex << address;
		EXPECT_EQ(match->offset, address - expected->address);
		for (const AddressLocation &l : {location, batch[i]}) {
			ASSERT_TRUE(l) << std::hex << address;
			EXPECT_EQ(l.symbol, match->symbol.index);
			EXPECT_STREQ(l.name, expected->name.c_str());
			EXPECT_EQ(l.offset, match->offset);
			EXPECT_EQ(l.size, match->size);
		}
	}
}

} // namespace
} // namespace ksyms
