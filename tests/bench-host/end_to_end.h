// SPDX-License-Identifier: BSD-2-Clause
// The commands as a user runs them: addresses as text on stdin, names as
// text in a file, one process for all of them, all three reading the same
// image file (the sectioned copy), timed by the wall clock from
// spawning to exit (start-up, reading the image, every lookup and the
// output).  Each tool is run at several address counts; the time at one
// address is its fixed cost, and the slope between the two largest counts
// its cost per address.
#ifndef KSYMS_BENCHMARKS_END_TO_END_H
#define KSYMS_BENCHMARKS_END_TO_END_H

#include "stats.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace ksyms::bench {

struct EndToEnd {
	std::string tool;
	bool ran = false;	// false: the command is not installed
	std::vector<size_t> counts;	// ascending
	std::map<size_t, std::vector<double>> seconds;	// per count, per run
	// Of the addresses compared at the largest count (all of them, or for
	// addr2line the ones inside functions), how many named the symbol
	// libksyms names.
	size_t compared = 0;
	size_t same = 0;

	Spread fixed_seconds() const;	// at the smallest count
	Spread seconds_per_address() const;	// slope of the two largest
	// Addresses a second over the whole run at `count`.
	Spread rate(size_t count) const;
	double same_share() const
	{
		return compared ? static_cast<double>(same) / compared : 0;
	}
};

// `ksyms symbolize`, llvm-symbolizer and addr2line -f, their runs
// interleaved; in that order.
std::vector<EndToEnd> run_end_to_end();

} // namespace ksyms::bench

#endif
