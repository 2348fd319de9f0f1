// SPDX-License-Identifier: BSD-2-Clause
// ksyms_vm_check [COUNT [SEED]]: inside the test VM, symbolizes COUNT
// random kernel addresses with libksyms from /dev/ksyms and checks each
// against the answer /proc/kallsyms gives: the nearest symbol at or below
// the address (any of its aliases) and the offset from it; for functions,
// also the module. Prints KTAP's "# " diagnostics and exits 0 when all
// agree.
//
// Addresses are drawn inside symbols (address_draw.h), as ksyms_json_check
// draws them.
#include "address_draw.h"

#include <ksyms/kallsyms.h>
#include <ksyms/snapshot.h>
#include <ksyms/symbolize.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

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
	auto kallsyms = ksyms::vmcheck::read_checkable_kallsyms();
	if (!kallsyms)
		return 1;
	const std::vector<ksyms::vmcheck::Line> &lines = kallsyms->lines;

	unsigned long wrong = 0, module_wrong = 0;
	std::vector<ksyms::vmcheck::Drawn> drawn =
		ksyms::vmcheck::draw(lines, *snap, count, seed);
	for (const ksyms::vmcheck::Drawn &d : drawn) {
		const ksyms::KallsymsEntry &e = *lines[d.first].entry;
		uint64_t address = d.address, offset = d.offset;
		auto match = snap->symbolize(address);
		bool alias = false;
		for (size_t k = d.first; match && k < d.next; k++)
			alias |= lines[k].entry->name == match->symbol.name;
		if (!match || !alias || match->offset != offset) {
			if (wrong++ < 10)
				std::printf("# %#llx: kallsyms %.*s+%#llx, ksyms %s\n",
					    (unsigned long long)address, int(e.name.size()),
					    e.name.data(), (unsigned long long)offset,
					    match ? ksyms::format_match(*match).c_str() : "nothing");
			continue;
		}
		if (ksyms::vmcheck::is_function(e.letter) && match->module != e.module) {
			if (module_wrong++ < 10)
				std::printf("# %#llx %.*s: module [%.*s], ksyms [%.*s]\n",
					    (unsigned long long)address, int(e.name.size()),
					    e.name.data(), int(e.module.size()), e.module.data(),
					    int(match->module.size()), match->module.data());
		}
	}
	std::printf("# %zu addresses: %lu named differently, %lu functions in another module\n",
		    drawn.size(), wrong, module_wrong);
	return wrong || module_wrong ? 1 : 0;
}
