// SPDX-License-Identifier: GPL-2.0
// The one number each consume reduces what it read to, and the pairs the
// "pointers only" consumes keep. symbol_hash() is inline here because both
// readers (elf_symtab.cpp, kallsyms_text.cpp) call it once per symbol, in
// the loop being timed.
#ifndef KSYMS_BENCH_VM_CHECKSUM_H
#define KSYMS_BENCH_VM_CHECKSUM_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace bench {

// What both sides of a comparison read, reduced to one number: for each
// symbol a hash of its address, its kallsyms letter, its name's length and
// every byte of the name, taken eight bytes at a time (the last word
// zero-padded), finished by a 64-bit mix (for the "pointers only" rows:
// the mix of the address alone), summed over the symbols. The sum does
// not depend on the order, which the image and /proc/kallsyms do not
// share. Both sides call symbol_hash() on the same values; each finds a
// name's length its own way (strlen() on the image's C strings, the
// line's separator in the text), as any reader of that form must. A
// byte-at-a-time hash would read the same bytes and only add the same
// cost to both sides, which hides the difference being measured.
inline std::uint64_t mix64(std::uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

constexpr std::uint64_t hash_prime = 0x9e3779b97f4a7c15ULL;

inline std::uint64_t symbol_hash(std::uint64_t addr, unsigned char letter, const char *name,
				 std::size_t len)
{
	std::uint64_t h = mix64(addr ^ (std::uint64_t(letter) << 56) ^ len);
	std::size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		std::uint64_t w;
		std::memcpy(&w, name + i, 8);
		h = (h ^ w) * hash_prime;
	}
	if (i < len) {
		std::uint64_t w = 0;
		std::memcpy(&w, name + i, len - i);
		h = (h ^ w) * hash_prime;
	}
	return mix64(h);
}

// What one side read: how many symbols, and their checksum.
struct Consumed {
	std::size_t count = 0;
	std::uint64_t sum = 0;
};

// (address, name) pairs, names NUL-terminated as C readers get them from
// elf_strptr() and nlist: what the "pointers only" consumes keep.
using Symbols = std::vector<std::pair<std::uint64_t, const char *>>;

// Addresses only, for the "pointers only" rows.
Consumed checksum_addresses(const Symbols &syms);

// What the names-read checksum covers, as the table says it.
inline constexpr char covers_full[] = "(address, kallsyms letter, name bytes)";

} // namespace bench

#endif
