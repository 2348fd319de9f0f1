// SPDX-License-Identifier: BSD-2-Clause
// The consumes compared: /dev/ksyms opened, mapped and walked, and
// /proc/kallsyms read and parsed, each end to end as a one-shot tool does.
#ifndef KSYMS_BENCH_VM_CONSUME_H
#define KSYMS_BENCH_VM_CONSUME_H

#include "checksum.h"
#include "files.h"
#include "result.h"

#include <cstddef>
#include <span>

namespace bench {

// An open /dev/ksyms and its KIOCGADDR mapping.
struct OpenImage {
	Fd fd;
	std::span<const char> image;

	// Unmaps and closes, as a one-shot tool's exit would: the next
	// open_image() maps and faults its pages afresh instead of finding
	// this mapping, which outlives close(), already filled.
	Status close();
};

// open, KIOCGSIZE, KIOCGADDR.
Result<OpenImage> open_image();

// open, KIOCGSIZE, KIOCGADDR, walk the mapping reading every name and
// letter into the checksum, unmap, close.
Result<Consumed> consume_ksyms();

// The same, keeping (address, name pointer) pairs: no name byte read.
Result<Consumed> consume_ksyms_pointers();

// read /proc/kallsyms whole, parse in place into the checksum.
Result<Consumed> consume_kallsyms();

// The same, keeping (address, name pointer) pairs.
Result<Consumed> consume_kallsyms_pointers();

// Where a consume's time goes: first touch of every page of a fresh
// KIOCGADDR mapping, then the walk over pages already mapped.
struct ConsumeSplit {
	double touch_ns = 0, walk_ns = 0;
	std::size_t pages = 0, symbols = 0;
};

Result<ConsumeSplit> split_consume();

} // namespace bench

#endif
