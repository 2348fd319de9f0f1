// SPDX-License-Identifier: BSD-2-Clause
// ksyms_vm_check [COUNT [SEED]]: inside the test VM, symbolizes COUNT
// random kernel addresses with libksyms from /dev/ksyms and checks each
// against the answer /proc/kallsyms gives: the nearest symbol at or below
// the address (any of its aliases) and the offset from it; for functions,
// also the module. Prints KTAP's "# " diagnostics and exits 0 when all
// agree.
//
// Addresses are drawn inside symbols: a random kallsyms line, then an
// offset below both the distance to the next kallsyms address (so kallsyms'
// answer is that line's address) and the symbol's own size when the image
// has one (padding between a module's functions belongs to no symbol).
#include <ksyms/kallsyms.h>
#include <ksyms/snapshot.h>
#include <ksyms/symbolize.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

struct Line {
	uint64_t address;
	const ksyms::KallsymsEntry *entry;
};

// kallsyms lines symbolization can name: not absolute symbols (per-cpu
// offsets, not addresses).
bool checkable(const ksyms::KallsymsEntry &e)
{
	return e.address != 0 && e.letter != 'a' && e.letter != 'A';
}

// The image symbol of this name at this address, for its size.
uint64_t image_size(const ksyms::Snapshot &snap, const ksyms::KallsymsEntry &e)
{
	for (const ksyms::Symbol &s : snap.find_name(e.name))
		if (s.address == e.address)
			return s.size;
	return 0;
}

bool is_function(char letter) { return letter == 't' || letter == 'T'; }

} // namespace

int main(int argc, char **argv)
{
	unsigned long count = argc > 1 ? std::strtoul(argv[1], nullptr, 0) : 10000;
	unsigned long seed = argc > 2 ? std::strtoul(argv[2], nullptr, 0) : 5;

	auto snap = ksyms::Snapshot::open_device();
	if (!snap) {
		std::printf("# %s\n", snap.error().message().c_str());
		return 1;
	}
	if (ksyms::Error e = snap->load_proc_modules())
		std::printf("# modules unknown: %s\n", e.message().c_str());
	auto table = ksyms::KallsymsTable::read();
	if (!table) {
		std::printf("# %s\n", table.error().message().c_str());
		return 1;
	}
	std::vector<Line> lines;
	for (const ksyms::KallsymsEntry &e : table->entries())
		if (checkable(e))
			lines.push_back({e.address, &e});
	std::stable_sort(lines.begin(), lines.end(),
			 [](const Line &a, const Line &b) { return a.address < b.address; });
	if (lines.size() < 2) {
		std::printf("# /proc/kallsyms has %zu usable lines\n", lines.size());
		return 1;
	}

	std::mt19937_64 rng(seed);
	unsigned long checked = 0, wrong = 0, module_wrong = 0;
	while (checked < count) {
		size_t i = rng() % (lines.size() - 1);
		// the first line at this address, and the next higher address
		size_t first = i, next = i;
		while (first > 0 && lines[first - 1].address == lines[i].address)
			first--;
		while (next < lines.size() && lines[next].address == lines[i].address)
			next++;
		if (next == lines.size())
			continue;
		const ksyms::KallsymsEntry &e = *lines[i].entry;
		uint64_t span = lines[next].address - e.address;
		uint64_t size = image_size(*snap, e);
		if (size)
			span = std::min(span, size);
		uint64_t offset = rng() % span;
		uint64_t address = e.address + offset;
		checked++;

		auto match = snap->symbolize(address);
		bool alias = false;
		for (size_t k = first; match && k < next; k++)
			alias |= lines[k].entry->name == match->symbol.name;
		if (!match || !alias || match->offset != offset) {
			if (wrong++ < 10)
				std::printf("# %#llx: kallsyms %.*s+%#llx, ksyms %s\n",
					    (unsigned long long)address, int(e.name.size()),
					    e.name.data(), (unsigned long long)offset,
					    match ? ksyms::format_match(*match).c_str() : "nothing");
			continue;
		}
		if (is_function(e.letter) && match->module != e.module) {
			if (module_wrong++ < 10)
				std::printf("# %#llx %.*s: module [%.*s], ksyms [%.*s]\n",
					    (unsigned long long)address, int(e.name.size()),
					    e.name.data(), int(e.module.size()), e.module.data(),
					    int(match->module.size()), match->module.data());
		}
	}
	std::printf("# %lu addresses: %lu named differently, %lu functions in another module\n",
		    checked, wrong, module_wrong);
	return wrong || module_wrong ? 1 : 0;
}
