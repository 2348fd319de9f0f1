// SPDX-License-Identifier: BSD-2-Clause
// Small helpers for the line-oriented /proc formats.
#ifndef KSYMS_SRC_TEXT_FIELDS_H
#define KSYMS_SRC_TEXT_FIELDS_H

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ksyms {

// Splits off the next line (without its '\n'); false at the end.
inline bool next_line(std::string_view &text, std::string_view &line)
{
	if (text.empty())
		return false;
	size_t newline = text.find('\n');
	if (newline == std::string_view::npos) {
		line = text;
		text = {};
	} else {
		line = text.substr(0, newline);
		text.remove_prefix(newline + 1);
	}
	return true;
}

// Splits off the next space- or tab-separated field; empty at the end.
inline std::string_view next_field(std::string_view &line)
{
	size_t start = line.find_first_not_of(" \t");
	if (start == std::string_view::npos) {
		line = {};
		return {};
	}
	line.remove_prefix(start);
	size_t end = line.find_first_of(" \t");
	std::string_view field = line.substr(0, end);
	line.remove_prefix(end == std::string_view::npos ? line.size() : end);
	return field;
}

// The whole of `text` as a number in `base`, an optional 0x allowed for 16.
inline std::optional<uint64_t> parse_number(std::string_view text, int base)
{
	if (base == 16 && text.size() > 2 && text[0] == '0' &&
	    (text[1] == 'x' || text[1] == 'X'))
		text.remove_prefix(2);
	uint64_t value = 0;
	auto [end, error] =
		std::from_chars(text.data(), text.data() + text.size(), value,
				base);
	if (text.empty() || error != std::errc() ||
	    end != text.data() + text.size())
		return std::nullopt;
	return value;
}

} // namespace ksyms

#endif
