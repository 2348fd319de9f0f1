// SPDX-License-Identifier: BSD-2-Clause
// The one number each consume reduces what it read to, and the pairs the
// "pointers only" consumes keep. symbol_hash() is inline here because both
// readers (elf_symtab.cpp, kallsyms_text.cpp) call it once per symbol, in
// the loop being timed.
#ifndef KSYMS_BENCH_VM_CHECKSUM_H
#define KSYMS_BENCH_VM_CHECKSUM_H

#include <bit>
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
// share.
//
// The mix is one xor-shift and one multiply by an odd constant: each is a
// bijection, so a symbol that differs in any bit gives a different term,
// and the xor-shift's carries make the terms nonlinear, so that symbols
// trading addresses or names do not cancel out in the sum. It is what the
// harness adds to every symbol on both sides, so it is kept that cheap:
// murmur's finaliser (two multiplies, three shifts) compiles to about
// eight more instructions a symbol, of the sixty or so the device side's
// walk executes for one, and would only pull the ratio towards 1.
//
// Both sides hash with scan_name(), which finds where a name ends in the
// same pass: a NUL in the image's string table, a tab or newline in the
// text. It is plain scalar code, eight bytes per step: under TCG the SIMD
// in glibc's strlen() and memchr() is emulated and costs more than it
// saves, and elf_strptr() adds such a memrchr() to every call. A
// byte-at-a-time hash would read the same bytes and only add the same cost
// to both sides, hiding the difference being measured.
inline std::uint64_t mix64(std::uint64_t h)
{
	return (h ^ (h >> 32)) * 0xd6e8feb86659fd93ULL;
}

static_assert(std::endian::native == std::endian::little, "scan_name() reads words low byte first");

constexpr std::uint64_t hash_prime = 0x9e3779b97f4a7c15ULL;
constexpr std::uint64_t ones = 0x0101010101010101ULL;

// The high bit of each byte of @w that is zero; below the lowest such
// byte no bit is set, which is all scan_name() needs.
constexpr std::uint64_t zero_bytes(std::uint64_t w) { return (w - ones) & ~w & (ones << 7); }

// Where a name ends.
struct NulEnds {
	static std::uint64_t stops(std::uint64_t w) { return zero_bytes(w); }
	static bool stop(char c) { return c == '\0'; }
};
struct LineEnds {	// "name\t[module]" or "name\n"
	static std::uint64_t stops(std::uint64_t w)
	{
		return zero_bytes(w ^ (ones * '\t')) | zero_bytes(w ^ (ones * '\n'));
	}
	static bool stop(char c) { return c == '\t' || c == '\n'; }
};

// The name at @p, which ends at its Ends stop or at @limit: where it ends,
// with *@hash, unless it is null, the hash of its bytes (zero-padded to
// whole words).
template <typename Ends>
inline const char *scan_name(const char *p, const char *limit, std::uint64_t *hash)
{
	std::uint64_t h = 0, w;
	for (; limit - p >= 8; p += 8) {
		std::memcpy(&w, p, 8);
		if (std::uint64_t m = Ends::stops(w)) {
			unsigned n = unsigned(__builtin_ctzll(m)) / 8;
			if (hash && n)
				h = (h ^ (w & ((std::uint64_t(1) << (8 * n)) - 1))) * hash_prime;
			if (hash)
				*hash = h;
			return p + n;
		}
		if (hash)
			h = (h ^ w) * hash_prime;
	}
	unsigned n = 0;
	w = 0;
	for (; p + n < limit && !Ends::stop(p[n]); n++)
		w |= std::uint64_t(static_cast<unsigned char>(p[n])) << (8 * n);
	if (hash) {
		if (n)
			h = (h ^ w) * hash_prime;
		*hash = h;
	}
	return p + n;
}

// One symbol's share of the checksum, from scan_name()'s hash.
inline std::uint64_t symbol_hash(std::uint64_t addr, unsigned char letter, std::size_t len,
				 std::uint64_t name_hash)
{
	return mix64((name_hash ^ (std::uint64_t(letter) << 56) ^ len) * hash_prime + addr);
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
