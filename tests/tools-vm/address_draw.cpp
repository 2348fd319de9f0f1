// SPDX-License-Identifier: BSD-2-Clause
#include "address_draw.h"

#include <algorithm>
#include <cstdio>
#include <random>

namespace ksyms::vmcheck {

namespace {

std::vector<Line> checkable_lines(const ksyms::KallsymsTable &table)
{
	std::vector<Line> lines;
	for (const ksyms::KallsymsEntry &e : table.entries())
		if (e.address != 0 && e.letter != 'a' && e.letter != 'A')
			lines.push_back({e.address, &e});
	std::stable_sort(lines.begin(), lines.end(), [](const Line &a, const Line &b) {
		return a.address < b.address;
	});
	return lines;
}

} // namespace

std::unique_ptr<CheckableKallsyms> read_checkable_kallsyms()
{
	auto table = ksyms::KallsymsTable::read();
	if (!table) {
		std::printf("# %s\n", table.error().message().c_str());
		return nullptr;
	}
	auto kallsyms = std::make_unique<CheckableKallsyms>(
		CheckableKallsyms{std::move(*table), {}});
	kallsyms->lines = checkable_lines(kallsyms->table);
	if (kallsyms->lines.size() < 2) {
		std::printf("# /proc/kallsyms has %zu usable lines\n",
			    kallsyms->lines.size());
		return nullptr;
	}
	return kallsyms;
}

std::vector<Drawn> draw(const std::vector<Line> &lines, const ksyms::Snapshot &snap,
			unsigned long count, unsigned long seed)
{
	std::mt19937_64 rng(seed);
	std::vector<Drawn> drawn;
	while (drawn.size() < count) {
		size_t i = rng() % (lines.size() - 1);
		size_t first = i, next = i;
		while (first > 0 && lines[first - 1].address == lines[i].address)
			first--;
		while (next < lines.size() && lines[next].address == lines[i].address)
			next++;
		if (next == lines.size())
			continue;
		uint64_t span = lines[next].address - lines[i].address;
		for (const ksyms::Symbol &s : snap.find_name(lines[i].entry->name))
			if (s.address == lines[i].address && s.size)
				span = std::min(span, s.size);
		uint64_t offset = rng() % span;
		drawn.push_back({lines[i].address + offset, first, next, offset});
	}
	return drawn;
}

} // namespace ksyms::vmcheck
