// SPDX-License-Identifier: BSD-2-Clause
// "name+0xoff/0xsize [module buildid]" written straight into memory the
// caller has made room for (bound()).  The stdin rewriter formats millions
// of these a second: a std::string append checks and grows the string at
// every piece and to_chars goes a digit at a time, so here the room is made
// once for many matches and the pieces are plain stores.
#ifndef KSYMS_SRC_MATCH_TEXT_H
#define KSYMS_SRC_MATCH_TEXT_H

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace ksyms::match_text {

inline constexpr char hex_digits[] = "0123456789abcdef";

// The most put_match() writes for these lengths: the name, "+0x" and "/0x"
// with 16 digits each, and " [module buildid]".
inline size_t bound(size_t name, size_t module, size_t build_id)
{
	return name + 2 * (3 + 16) + (module ? 4 + module + 2 * build_id : 0);
}

// The 8 hex digits of `value` as 8 bytes in memory order, the most
// significant digit first: the nibbles spread one a byte, then each turned
// into its digit in one add.
inline uint64_t hex_bytes(uint32_t value)
{
	constexpr uint64_t ones = 0x0101010101010101ull;
	uint64_t x = value;
	x = (x | x << 16) & 0x0000ffff0000ffffull;
	x = (x | x << 8) & 0x00ff00ff00ff00ffull;
	x = (x | x << 4) & 0x0f0f0f0f0f0f0f0full;	// last digit lowest
	uint64_t letters = ((x + ones * 0x76) & ones * 0x80) >> 7;	// >= 10
	x += ones * '0' + letters * ('a' - '0' - 10);
	if constexpr (std::endian::native == std::endian::little)
		x = __builtin_bswap64(x);
	return x;
}

// "0x" and the value in lower-case hex without leading zeros ("0x0" for
// 0), as std::to_chars(..., 16) writes it after the "0x".  It stores 8
// or 16 digits whatever the value's length (bound() counts 16): the value
// is shifted to the top so that the first n of them are its n digits, and
// the rest is overwritten by what comes next.
inline char *put_hex(char *out, uint64_t value)
{
	int digits = (64 - __builtin_clzll(value | 1) + 3) / 4;
	out[0] = '0';
	out[1] = 'x';
	if (digits <= 8) {	// offsets and sizes nearly always
		uint64_t text = hex_bytes(static_cast<uint32_t>(
			value << 4 * (8 - digits)));
		std::memcpy(out + 2, &text, sizeof(text));
	} else {
		uint64_t top = value << 4 * (16 - digits);
		uint64_t text[2] = {hex_bytes(top >> 32),
				    hex_bytes(top & 0xffffffff)};
		std::memcpy(out + 2, text, sizeof(text));
	}
	return out + 2 + digits;
}

// Two lower-case hex digits a byte.
inline char *put_build_id(char *out, std::span<const uint8_t> build_id)
{
	for (uint8_t byte : build_id) {
		*out++ = hex_digits[byte >> 4];
		*out++ = hex_digits[byte & 15];
	}
	return out;
}

inline char *put_match(char *out, std::string_view name, uint64_t offset,
		       uint64_t size, std::string_view module,
		       std::span<const uint8_t> build_id)
{
	std::memcpy(out, name.data(), name.size());
	out += name.size();
	*out++ = '+';
	out = put_hex(out, offset);
	*out++ = '/';
	out = put_hex(out, size);
	if (module.empty())
		return out;
	*out++ = ' ';
	*out++ = '[';
	std::memcpy(out, module.data(), module.size());
	out += module.size();
	if (!build_id.empty()) {
		*out++ = ' ';
		out = put_build_id(out, build_id);
	}
	*out++ = ']';
	return out;
}

} // namespace ksyms::match_text

#endif
