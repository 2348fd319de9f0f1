// SPDX-License-Identifier: BSD-2-Clause
#include "address_order.h"

#include <array>
#include <cstddef>

namespace ksyms {

namespace {

constexpr unsigned digit_bits = 11;
constexpr unsigned digits = (64 + digit_bits - 1) / digit_bits;
constexpr size_t radix = size_t(1) << digit_bits;

unsigned digit(uint64_t address, unsigned d)
{
	return (address >> (d * digit_bits)) & (radix - 1);
}

} // namespace

// Least significant digit first: each pass is stable, so after the last
// one the keys are in address order and equal addresses in their first
// order.
void sort_by_address(std::vector<AddressKey> &keys)
{
	std::vector<std::array<uint32_t, radix>> counts(digits);
	for (const AddressKey &key : keys) {
		uint64_t address = key.address;
#pragma GCC unroll 8
		for (unsigned d = 0; d < digits; d++)
			counts[d][digit(address, d)]++;
	}

	std::vector<AddressKey> sorted;
	for (unsigned d = 0; d < digits; d++) {
		std::array<uint32_t, radix> &count = counts[d];
		if (!keys.empty() && count[digit(keys[0].address, d)] == keys.size())
			continue;	// one value for every key: nothing moves
		uint32_t next = 0;
		for (uint32_t &slot : count) {
			uint32_t n = slot;
			slot = next;
			next += n;
		}
		sorted.resize(keys.size());
		for (const AddressKey &key : keys)
			sorted[count[digit(key.address, d)]++] = key;
		keys.swap(sorted);
	}
}

} // namespace ksyms
