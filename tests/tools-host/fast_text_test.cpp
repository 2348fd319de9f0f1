// SPDX-License-Identifier: BSD-2-Clause
// The stdin rewriter's fast paths against the plain ways they replace:
// sixteen hex digits read at once (hex_word.h) against std::from_chars,
// hex and matches written with plain stores (match_text.h) against
// std::to_chars and string appends, and the index build's radix sort
// (address_order.h) against std::stable_sort.
#include "address_order.h"
#include "hex_word.h"
#include "match_text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace ksyms {
namespace {

// What parse16() must say: the value if all 16 bytes are hex digits.
std::optional<uint64_t> reference_parse16(const char *text)
{
	for (int i = 0; i < 16; i++) {
		if (!std::isxdigit(static_cast<unsigned char>(text[i])))
			return std::nullopt;
	}
	uint64_t value = 0;
	std::from_chars(text, text + 16, value, 16);
	return value;
}

// Both ways of reading them, whichever parse16() uses here.
const std::vector<bool (*)(const char *, uint64_t &)> parsers = {
	hex_word::parse16_swar,
#if defined(__SSE2__) && defined(__x86_64__)
	hex_word::parse16_sse2,
#endif
};

TEST(HexWord, SixteenDigitsAsFromCharsReadsThem)
{
	std::mt19937_64 random(11);
	const char digits[] = "0123456789abcdefABCDEF";
	for (int round = 0; round < 200; round++) {
		char text[16];
		for (char &c : text)
			c = digits[random() % 22];
		// Every byte value at every place: only the 22 digits pass.
		for (int place = 0; place < 16; place++) {
			char saved = text[place];
			for (int byte = 0; byte < 256; byte++) {
				text[place] = static_cast<char>(byte);
				std::optional<uint64_t> want =
					reference_parse16(text);
				for (auto parse : parsers) {
					uint64_t value = 0;
					ASSERT_EQ(parse(text, value),
						  want.has_value())
						<< std::string(text, 16);
					if (want) {
						ASSERT_EQ(value, *want)
							<< std::string(text, 16);
					}
				}
			}
			text[place] = saved;
		}
	}
	uint64_t value = 0;
	ASSERT_TRUE(hex_word::parse16("FFFFFFFF81000000", value));
	EXPECT_EQ(value, 0xffffffff81000000u);
	ASSERT_TRUE(hex_word::parse16("0000000000000000", value));
	EXPECT_EQ(value, 0u);
}

std::string reference_hex(uint64_t value)
{
	char digits[16];
	auto end = std::to_chars(digits, digits + 16, value, 16).ptr;
	return "0x" + std::string(digits, end);
}

TEST(MatchText, HexAsToCharsWritesIt)
{
	std::mt19937_64 random(12);
	std::vector<uint64_t> values = {0,	   1,	    0xf,       0x10,
					0xffffffff, 1ull << 32, UINT64_MAX};
	for (int bits = 1; bits <= 64; bits++) {
		for (int i = 0; i < 200; i++) {
			uint64_t value = random();
			values.push_back(bits == 64 ? value :
						      value & ((1ull << bits) - 1));
		}
	}
	for (uint64_t value : values) {
		char text[18];
		char *end = match_text::put_hex(text, value);
		ASSERT_EQ(std::string(text, end), reference_hex(value)) << value;
	}
}

// put_match() against appends, and never a byte past bound().
TEST(MatchText, MatchAsAppendsWriteItInsideItsBound)
{
	const uint8_t id[] = {0x00, 0x9f, 0xa0, 0xff};
	struct Case {
		std::string_view name, module;
		std::span<const uint8_t> build_id;
		uint64_t offset, size;
	};
	const Case cases[] = {
		{"start_kernel", "", {}, 0x10, 0x200},
		{"f", "ext4", {}, 0, 0},
		{"f", "ext4", id, UINT64_MAX, UINT64_MAX},
		{"", "m", id, 0x123456789, 0xfffffffff},
		{"vmlinux_has_an_id", "", id, 1, 2},	// not printed
	};
	for (const Case &c : cases) {
		std::string want = std::string(c.name) + "+" +
				   reference_hex(c.offset) + "/" +
				   reference_hex(c.size);
		if (!c.module.empty()) {
			want += " [" + std::string(c.module);
			if (!c.build_id.empty()) {
				want += ' ';
				for (uint8_t byte : c.build_id) {
					char two[3];
					std::snprintf(two, sizeof(two), "%02x",
						      byte);
					want += two;
				}
			}
			want += ']';
		}
		size_t bound = match_text::bound(c.name.size(), c.module.size(),
						 c.build_id.size());
		std::string buffer(bound + 16, '#');
		char *end = match_text::put_match(buffer.data(), c.name,
						  c.offset, c.size, c.module,
						  c.build_id);
		EXPECT_EQ(std::string(buffer.data(), end), want);
		EXPECT_EQ(buffer.substr(bound), std::string(16, '#'))
			<< "wrote past bound() for " << want;
	}
}

void expect_sorted_as_stable_sort(std::vector<AddressKey> keys)
{
	std::vector<AddressKey> want = keys;
	std::stable_sort(want.begin(), want.end(),
			 [](const AddressKey &a, const AddressKey &b) {
				 return a.address < b.address;
			 });
	sort_by_address(keys);
	ASSERT_EQ(keys.size(), want.size());
	for (size_t i = 0; i < keys.size(); i++) {
		ASSERT_EQ(keys[i].address, want[i].address) << i;
		ASSERT_EQ(keys[i].symbol, want[i].symbol) << i;
	}
}

TEST(AddressOrder, RadixSortIsAStableSortByAddress)
{
	std::mt19937_64 random(13);
	expect_sorted_as_stable_sort({});
	expect_sorted_as_stable_sort({{42, 1}});
	for (uint64_t mask : {UINT64_MAX, uint64_t(0xffff), uint64_t(7)}) {
		std::vector<AddressKey> keys;
		for (uint32_t i = 0; i < 20000; i++)
			keys.push_back({random() & mask, i});
		expect_sorted_as_stable_sort(keys);
	}
	// A kernel's shape: the top bits all the same but for a few low
	// (per-cpu) addresses, runs already in order, and aliases.
	std::vector<AddressKey> keys;
	for (uint32_t i = 0; i < 30000; i++) {
		uint64_t address = i % 1000 == 0 ? random() % 0x100000 :
			i < 15000 ? 0xffffffff81000000 + 16 * i :
				   0xffffffff81000000 + (random() % 15000) * 16;
		keys.push_back({address, i});
	}
	expect_sorted_as_stable_sort(keys);
	// Every digit the same: no pass moves anything.
	expect_sorted_as_stable_sort({{7, 3}, {7, 1}, {7, 2}});
}

} // namespace
} // namespace ksyms
