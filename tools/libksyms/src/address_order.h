// SPDX-License-Identifier: BSD-2-Clause
// Symbols in address order, for the address index's build.
//
// Every `ksyms symbolize` builds the index before its first answer, so its
// sort is paid once a command: a comparison sort of a kernel's 240,000
// symbols costs about as much as symbolizing 100,000 addresses.  A radix
// sort takes a few passes over the keys whatever their order, and leaves
// out the passes whose digit is the same in every address (the top bits of
// kernel addresses mostly are).
#ifndef KSYMS_SRC_ADDRESS_ORDER_H
#define KSYMS_SRC_ADDRESS_ORDER_H

#include <cstdint>
#include <vector>

namespace ksyms {

struct AddressKey {
	uint64_t address;
	uint32_t symbol;	// ELF symbol index
};

// Sorts by address; keys of equal address keep their order (stable).
void sort_by_address(std::vector<AddressKey> &keys);

} // namespace ksyms

#endif
