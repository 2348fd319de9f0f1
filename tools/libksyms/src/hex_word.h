// SPDX-License-Identifier: BSD-2-Clause
// Sixteen hex digits at once: the shape nearly every kernel address in a log
// has ("ffffffff81001210", "0xffffffff81001210").  A digit at a time costs
// a load, a table look-up, a test and a shift each; eight bytes tested and
// converted together in one register (SWAR), or all sixteen in an SSE2
// register, cost about as much as two.
#ifndef KSYMS_SRC_HEX_WORD_H
#define KSYMS_SRC_HEX_WORD_H

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

namespace ksyms::hex_word {

// Whether the 8 bytes at `text` are all hex digits (either case); if so
// `value` is their value, the first byte the most significant digit.
inline bool parse8(const char *text, uint64_t &value)
{
	constexpr uint64_t ones = 0x0101010101010101ull;
	constexpr uint64_t high = ones * 0x80;
	uint64_t x;
	std::memcpy(&x, text, 8);
	if constexpr (std::endian::native == std::endian::big)
		x = __builtin_bswap64(x);	// the first byte lowest, as below
	if (x & high)
		return false;
	// With every byte below 0x80, adding at most 0x80 to each carries into
	// no other: a byte's top bit then says whether it reached the bound.
	uint64_t digit = (x + ones * (0x80 - '0')) & ~(x + ones * (0x7f - '9'));
	uint64_t lower = x | ones * 0x20;
	uint64_t letter = (lower + ones * (0x80 - 'a')) &
			  ~(lower + ones * (0x7f - 'f'));
	if (((digit | letter) & high) != high)
		return false;
	// '0'-'9' keep their low nibble; 'a'-'f' and 'A'-'F' have 1-6 there.
	uint64_t nibbles = (x & ones * 0x0f) + ((letter & high) >> 7) * 9;
	// Pairs of nibbles into bytes, bytes into 16-bit halves, those into
	// 32 bits, the lower address the more significant each time.
	uint64_t v = ((nibbles << 4) | (nibbles >> 8)) & 0x00ff00ff00ff00ffull;
	v = ((v << 8) | (v >> 16)) & 0x0000ffff0000ffffull;
	value = ((v << 16) | (v >> 32)) & 0xffffffffull;
	return true;
}

// parse8() for the 16 bytes at `text`, two registers of 8.
inline bool parse16_swar(const char *text, uint64_t &value)
{
	uint64_t high, low;
	if (!parse8(text, high) || !parse8(text + 8, low))
		return false;
	value = high << 32 | low;
	return true;
}

#if defined(__SSE2__) && defined(__x86_64__)
// The same in one SSE2 register (every x86-64 has it): the tests of
// parse8() on all 16 bytes at once, then pairs of nibbles packed into the
// 8 bytes of the value.
inline bool parse16_sse2(const char *text, uint64_t &value)
{
	__m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i *>(text));
	// Signed compares: a byte >= 0x80 is below '0' and fails both tests.
	__m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
				      _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
	__m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
	__m128i letter =
		_mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
			      _mm_cmplt_epi8(lower, _mm_set1_epi8('f' + 1)));
	if (_mm_movemask_epi8(_mm_or_si128(digit, letter)) != 0xffff)
		return false;
	__m128i nibbles =
		_mm_add_epi8(_mm_and_si128(x, _mm_set1_epi8(0x0f)),
			     _mm_and_si128(letter, _mm_set1_epi8(9)));
	// Each 16-bit lane (two digits, the first in its low byte) into
	// one byte, first digit high; then the 8 lanes' bytes in order.
	__m128i pairs = _mm_or_si128(_mm_slli_epi16(nibbles, 4),
				     _mm_srli_epi16(nibbles, 8));
	pairs = _mm_and_si128(pairs, _mm_set1_epi16(0x00ff));
	uint64_t bytes = _mm_cvtsi128_si64(_mm_packus_epi16(pairs, pairs));
	value = __builtin_bswap64(bytes);	// first pair most significant
	return true;
}
#endif

// The value of the 16 hex digits at `text`, if all 16 are digits.
inline bool parse16(const char *text, uint64_t &value)
{
#if defined(__SSE2__) && defined(__x86_64__)
	return parse16_sse2(text, value);
#else
	return parse16_swar(text, value);
#endif
}

} // namespace ksyms::hex_word

#endif
