// SPDX-License-Identifier: GPL-2.0-only
// How a module symbol of ELF size 0 is sized (driver/ksyms_module_sizes.c):
// the distance to the module's next named symbol above it of the same
// kind, found by binary search in each kind's sorted addresses. Compared
// here with asking every other symbol, on random tables in no address
// order, with repeated addresses, nameless and absolute symbols.
extern "C" {
#include "ksyms_module_sizes.h"
#include "ksyms_nm.h"
}

#include <gtest/gtest.h>

#include <linux/module.h>

#include <random>
#include <string>
#include <vector>

namespace {

struct Table {
	std::vector<Elf64_Sym> syms;
	std::string strtab;
	std::string types;
	mod_kallsyms ks{};

	void finish()
	{
		ks.symtab = syms.data();
		ks.num_symtab = unsigned(syms.size());
		ks.strtab = strtab.data();
		ks.typetab = types.data();
	}
};

// Index 0 is the null symbol, as in every ELF table.
Table random_table(std::mt19937_64 &rng, unsigned n, unsigned spread)
{
	static const char letters[] = "tTrRdDbBgsSaAwWU";
	Table t;
	t.strtab.push_back('\0');
	t.syms.push_back(Elf64_Sym{});
	t.types.push_back('a');
	for (unsigned i = 1; i < n; i++) {
		Elf64_Sym s{};
		bool nameless = rng() % 10 == 0;
		s.st_name = nameless ? 0 : unsigned(t.strtab.size());
		if (!nameless)
			t.strtab += "s" + std::to_string(i) + '\0';
		s.st_value = 0xffffffffc0000000ULL + rng() % spread;
		s.st_size = rng() % 3 ? 0 : 1 + rng() % 64;
		t.syms.push_back(s);
		t.types.push_back(letters[rng() % (sizeof(letters) - 1)]);
	}
	t.finish();
	return t;
}

// What the driver did before the index: every symbol asked.
u64 gap_by_asking_all(const mod_kallsyms &ks, unsigned i)
{
	u32 kind = ksyms_nm_kind(ks.typetab[i]);
	u64 best = U64_MAX;
	for (unsigned j = 1; j < ks.num_symtab; j++) {
		u64 v = ks.symtab[j].st_value;
		if (v > ks.symtab[i].st_value && v - ks.symtab[i].st_value < best &&
		    ks.strtab[ks.symtab[j].st_name] && ksyms_nm_kind(ks.typetab[j]) == kind)
			best = v - ks.symtab[i].st_value;
	}
	return best;
}

// How many symbols it compared.
unsigned expect_same_gaps(const Table &t)
{
	std::vector<u64> room(t.syms.size());
	ksyms_module_sizes sizes{};
	sizes.values = room.data();
	sizes.cap = unsigned(room.size());
	ksyms_module_sizes_index(&sizes, &t.ks);
	unsigned checked = 0;
	for (unsigned i = 1; i < t.ks.num_symtab; i++) {
		u32 kind = ksyms_nm_kind(t.ks.typetab[i]);
		if (t.syms[i].st_size || kind >= KSYMS_NR_KINDS)
			continue;
		EXPECT_EQ(ksyms_module_sizes_gap(&sizes, kind, t.syms[i].st_value),
			  gap_by_asking_all(t.ks, i)) << "symbol " << i;
		checked++;
	}
	return checked;
}

TEST(ModuleSizes, SameAsAskingEverySymbol)
{
	std::mt19937_64 rng(7);
	unsigned checked = 0;
	for (int round = 0; round < 200; round++) {
		// Small spreads repeat addresses; large ones leave gaps.
		unsigned spread = round % 2 ? 64 : 1u << 20;
		checked += expect_same_gaps(random_table(rng, 2 + unsigned(rng() % 400), spread));
	}
	EXPECT_GT(checked, 5000u);
}

TEST(ModuleSizes, HighestOfItsKindHasNoGap)
{
	std::mt19937_64 rng(1);
	Table t = random_table(rng, 50, 1u << 16);
	for (unsigned i = 1; i < t.syms.size(); i++) {
		t.syms[i].st_size = 0;
		t.types[i] = 't';
		t.syms[i].st_value = 0x1000 + 16 * i;
	}
	t.finish();
	std::vector<u64> room(t.syms.size());
	ksyms_module_sizes sizes{room.data(), unsigned(room.size()), {}};
	ksyms_module_sizes_index(&sizes, &t.ks);
	EXPECT_EQ(ksyms_module_sizes_gap(&sizes, KSYMS_KIND_TEXT, 0x1000 + 16 * 49), U64_MAX);
	EXPECT_EQ(ksyms_module_sizes_gap(&sizes, KSYMS_KIND_TEXT, 0x1000 + 16 * 48), 16u);
	// A kind with no symbol of size 0 is not indexed at all.
	EXPECT_EQ(sizes.start[KSYMS_KIND_DATA], sizes.start[KSYMS_KIND_DATA + 1]);
}

} // namespace
