// SPDX-License-Identifier: BSD-2-Clause
// The stdin mode of symbolize: addresses in text, and nothing else touched.
#include "test_image.h"

#include <ksyms/snapshot.h>
#include <ksyms/symbolize.h>

#include <elf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <random>
#include <string>

namespace ksyms {
namespace {

class RewriterTest : public ::testing::Test {
protected:
	void SetUp() override
	{
		std::string path = dir_.file("image.elf");
		test::write_image(path, test::known_symbols());
		Expected<Snapshot> snapshot = Snapshot::open_file(path);
		ASSERT_TRUE(snapshot) << snapshot.error().message();
		snapshot_.emplace(std::move(*snapshot));
	}

	std::string rewrite(std::string_view text, RewriteOptions options = {})
	{
		AddressRewriter rewriter(*snapshot_, options);
		std::string out;
		rewriter.feed(text, out);
		rewriter.finish(out);
		return out;
	}

	// The same text in chunks cut at `cuts`.
	std::string rewrite_in_pieces(std::string_view text,
				      const std::vector<size_t> &cuts)
	{
		AddressRewriter rewriter(*snapshot_);
		std::string out;
		size_t from = 0;
		for (size_t cut : cuts) {
			rewriter.feed(text.substr(from, cut - from), out);
			from = cut;
		}
		rewriter.feed(text.substr(from), out);
		rewriter.finish(out);
		return out;
	}

	test::TempDir dir_;
	std::optional<Snapshot> snapshot_;
};

TEST_F(RewriterTest, FormatsOneMatch)
{
	AddressMatch match;
	match.symbol.name = "start_kernel";
	match.offset = 0x10;
	match.size = 0x200;
	EXPECT_EQ(format_match(match), "start_kernel+0x10/0x200");
	match.module = "ext4";
	EXPECT_EQ(format_match(match), "start_kernel+0x10/0x200 [ext4]");
}

TEST_F(RewriterTest, RewritesAddressesInsideText)
{
	EXPECT_EQ(rewrite("RIP: 0010:[<ffffffff81001210>] oops\n"),
		  "RIP: 0010:[<ffffffff81001210 (start_kernel+0x10/0x200)>] oops\n");
	EXPECT_EQ(rewrite("pc 0xffffffff81001000, lr 0XFFFFFFFF81001201"),
		  "pc 0xffffffff81001000 (local_func+0x0/0x100), "
		  "lr 0XFFFFFFFF81001201 (start_kernel+0x1/0x200)");
	EXPECT_EQ(rewrite("ffffffff82000004"),
		  "ffffffff82000004 (jiffies+0x4/0x8)");
}

TEST_F(RewriterTest, LeavesNonAddressesAlone)
{
	for (const char *text : {
		     "ffffffff81001210a",	// 17 digits
		     "xffffffff81001210",	// part of a longer word
		     "ffffffff81001210_x",
		     "0xffffffff81001210_",
		     "fffffffff81001210",	// 17 digits
		     "ffffffff8100121",		// 15 digits, no 0x
		     "deadbeefdeadbeef",	// no symbol there
		     "0x0000000000000000",
		     "0x10 and 0x", "0x", "0xg", "error 0x18",
		     "ffffffff8100121g",
		     "0x1ffffffff81001210",	// 17 digits after 0x
	     })
		EXPECT_EQ(rewrite(text), text);
}

TEST_F(RewriterTest, SmallAddressesOnlyWhenAsked)
{
	test::TempDir dir;
	test::write_image(dir.file("low.elf"),
			  {{"low", 0x1000, 0x10, STT_FUNC, STB_GLOBAL}});
	Expected<Snapshot> low = Snapshot::open_file(dir.file("low.elf"));
	ASSERT_TRUE(low);
	std::string out;
	AddressRewriter strict(*low);
	strict.feed("at 0x1004\n", out);
	EXPECT_EQ(out, "at 0x1004\n");
	out.clear();
	AddressRewriter all(*low, RewriteOptions{.min_address = 0});
	all.feed("at 0x1004\n", out);
	EXPECT_EQ(out, "at 0x1004 (low+0x4/0x10)\n");
	EXPECT_EQ(all.rewritten(), 1u);
}

TEST_F(RewriterTest, PassesTextWithoutAddressesThroughByteForByte)
{
	std::mt19937 random(6);
	std::string text;
	for (int i = 0; i < 100000; i++)
		text += static_cast<char>(random());	// NULs and high bytes too
	text += "\n[    1.234567] a line of dmesg with 0x10 and deadbeef\n";
	EXPECT_EQ(rewrite(text), text);
	EXPECT_EQ(rewrite(""), "");
}

TEST_F(RewriterTest, AnyChunkBoundaryGivesTheSameResult)
{
	const std::string text =
		"Call Trace:\n [<ffffffff81001210>] x+0x1/0x2\n"
		"0xffffffff82000004 ffffffffc0001008\tlongwordlongwordlongword "
		"ffffffff81001000";
	const std::string expected = rewrite(text);
	ASSERT_NE(expected, text);
	for (size_t cut = 0; cut <= text.size(); cut++)
		ASSERT_EQ(rewrite_in_pieces(text, {cut}), expected) << cut;
	for (size_t cut = 0; cut + 7 <= text.size(); cut++)
		ASSERT_EQ(rewrite_in_pieces(text, {cut, cut + 3, cut + 7}),
			  expected) << cut;
	std::vector<size_t> every_byte;
	for (size_t cut = 1; cut < text.size(); cut++)
		every_byte.push_back(cut);
	EXPECT_EQ(rewrite_in_pieces(text, every_byte), expected);
}

// The rewriter as its documentation reads, word by word with
// Snapshot::symbolize() and printf: the fast paths (16 digits at once,
// annotations written a group at a time) must give the same bytes.
std::string plain_rewrite(const Snapshot &snapshot, std::string_view text)
{
	auto is_word = [](char c) {
		return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
	};
	std::string out;
	for (size_t pos = 0; pos < text.size();) {
		if (!is_word(text[pos])) {
			out += text[pos++];
			continue;
		}
		size_t end = pos;
		while (end < text.size() && is_word(text[end]))
			end++;
		std::string_view word = text.substr(pos, end - pos);
		out += word;
		pos = end;
		std::string_view digits = word;
		bool prefixed = word.size() > 2 && word[0] == '0' &&
				(word[1] == 'x' || word[1] == 'X');
		if (prefixed)
			digits.remove_prefix(2);
		if ((!prefixed && word.size() != 16) || digits.size() > 16 ||
		    !std::all_of(digits.begin(), digits.end(), [](char c) {
			    return std::isxdigit(static_cast<unsigned char>(c));
		    }))
			continue;
		uint64_t value = std::stoull(std::string(digits), nullptr, 16);
		auto match = snapshot.symbolize(value);
		if (value < RewriteOptions().min_address || !match)
			continue;
		char text_of[512];
		std::snprintf(text_of, sizeof(text_of),
			      " (%s+0x%" PRIx64 "/0x%" PRIx64 "%s%.*s%s)",
			      match->symbol.name.data(), match->offset, match->size,
			      match->module.empty() ? "" : " [",
			      (int)match->module.size(), match->module.data(),
			      match->module.empty() ? "" : "]");
		out += text_of;
	}
	return out;
}

TEST_F(RewriterTest, AgreesWithAPlainReadingOnRandomText)
{
	snapshot_->set_modules(ModuleMap({{"mod", 0xffffffffc0000000, 0x10000}}));
	std::mt19937_64 random(14);
	const std::vector<uint64_t> near = {
		0xffffffff81000000, 0xffffffff81001000, 0xffffffff81001180,
		0xffffffff81001200, 0xffffffff82000000, 0xffffffff82000010,
		0xffffffffc0001000, 0xffffffffc0002000, 0xffffffffc0003000};
	const char *between[] = {" ", "\n", "[<", ">] ", "\t", ",", "=", "\xff",
				 "_", "g", "x", "0x", "0X", ""};
	std::string text;
	for (int i = 0; i < 20000; i++) {
		uint64_t address = near[random() % near.size()] +
				   random() % 0x300 - 0x100;
		char word[40];
		switch (random() % 5) {
		case 0:
			std::snprintf(word, sizeof(word), "0x%016" PRIx64, address);
			break;
		case 1:
			std::snprintf(word, sizeof(word), "0X%016" PRIX64, address);
			break;
		case 2:
			std::snprintf(word, sizeof(word), "%016" PRIx64, address);
			break;
		case 3:
			std::snprintf(word, sizeof(word), "%016" PRIX64, address);
			break;
		default:	// shorter, longer or no address at all
			std::snprintf(word, sizeof(word), "0x%" PRIx64,
				      address >> (4 * (random() % 17)));
			break;
		}
		text += word;
		text += between[random() % std::size(between)];
	}
	const std::string expected = plain_rewrite(*snapshot_, text);
	ASSERT_NE(expected, text);
	EXPECT_EQ(rewrite(text), expected);

	// In chunks of every size up to a few annotation groups.
	AddressRewriter rewriter(*snapshot_);
	std::string out;
	for (size_t pos = 0; pos < text.size();) {
		size_t size = 1 + random() % (random() % 2 ? 40 : 8000);
		rewriter.feed(std::string_view(text).substr(pos, size), out);
		pos += size;
	}
	rewriter.finish(out);
	EXPECT_EQ(out, expected);
}

TEST_F(RewriterTest, ParsesCommandLineAddresses)
{
	EXPECT_EQ(parse_address("ffffffff81000000"), 0xffffffff81000000u);
	EXPECT_EQ(parse_address("0xFFFFFFFF81000000"), 0xffffffff81000000u);
	EXPECT_EQ(parse_address("0x1"), 1u);
	EXPECT_EQ(parse_address("10"), 0x10u);
	EXPECT_FALSE(parse_address(""));
	EXPECT_FALSE(parse_address("0x"));
	EXPECT_FALSE(parse_address("-1"));
	EXPECT_FALSE(parse_address("+1"));
	EXPECT_FALSE(parse_address("12345678123456789"));
	EXPECT_FALSE(parse_address("start_kernel"));
	EXPECT_FALSE(parse_address("0x10 "));
}

} // namespace
} // namespace ksyms
