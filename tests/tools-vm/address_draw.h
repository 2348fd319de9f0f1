// SPDX-License-Identifier: BSD-2-Clause
// The addresses the VM's symbolization checks draw, and /proc/kallsyms'
// answer for each: inside a symbol, so that kallsyms' answer is the line
// drawn (or one of its aliases at that address).
#ifndef KSYMS_TESTS_ADDRESS_DRAW_H
#define KSYMS_TESTS_ADDRESS_DRAW_H

#include <ksyms/kallsyms.h>
#include <ksyms/snapshot.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace ksyms::vmcheck {

struct Line {
	uint64_t address;
	const ksyms::KallsymsEntry *entry;
};

// /proc/kallsyms with the lines symbolization can name, by address
// (stable), which point into the table: not absolute symbols, whose values
// are per-cpu offsets, not addresses.
struct CheckableKallsyms {
	ksyms::KallsymsTable table;
	std::vector<Line> lines;
};

// Reads /proc/kallsyms; nullptr, after a KTAP diagnostic saying why, when
// it cannot be read or has fewer than the two checkable lines draw() needs.
std::unique_ptr<CheckableKallsyms> read_checkable_kallsyms();

// A text symbol's letter: the checks compare modules for functions only.
inline bool is_function(char letter) { return letter == 't' || letter == 'T'; }

struct Drawn {
	uint64_t address;
	size_t first, next;	// the lines at the symbol's address: [first, next)
	uint64_t offset;	// from that address
};

// `count` addresses from `seed`: a random line, then an offset below both
// the distance to the next higher address (so kallsyms' answer is that
// line's address) and the image symbol's own size where it has one
// (padding after a module's function belongs to no symbol).  `lines` as
// read_checkable_kallsyms() gives them.
std::vector<Drawn> draw(const std::vector<Line> &lines, const ksyms::Snapshot &snap,
			unsigned long count, unsigned long seed);

} // namespace ksyms::vmcheck

#endif
