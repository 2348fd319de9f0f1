// SPDX-License-Identifier: GPL-2.0
#include <ksyms/symbolize.h>

#include "text_fields.h"

#include <charconv>

namespace ksyms {

namespace {

void append_hex(std::string &out, uint64_t value)
{
	char digits[16];
	auto result = std::to_chars(digits, digits + sizeof(digits), value, 16);
	out += "0x";
	out.append(digits, result.ptr);
}

void append_build_id(std::string &out, std::span<const uint8_t> build_id)
{
	static constexpr char digits[] = "0123456789abcdef";

	for (uint8_t byte : build_id) {
		out += digits[byte >> 4];
		out += digits[byte & 15];
	}
}

} // namespace

std::string format_build_id(std::span<const uint8_t> build_id)
{
	std::string out;
	append_build_id(out, build_id);
	return out;
}

void append_match(std::string &out, std::string_view name, uint64_t offset,
		  uint64_t size, std::string_view module,
		  std::span<const uint8_t> build_id)
{
	out += name;
	out += '+';
	append_hex(out, offset);
	out += '/';
	append_hex(out, size);
	if (!module.empty()) {
		out += " [";
		out += module;
		if (!build_id.empty()) {
			out += ' ';
			append_build_id(out, build_id);
		}
		out += ']';
	}
}

void append_match(std::string &out, const AddressMatch &match)
{
	append_match(out, match.symbol.name, match.offset, match.size,
		     match.module, match.build_id);
}

std::string format_match(const AddressMatch &match)
{
	std::string out;
	append_match(out, match);
	return out;
}

std::optional<uint64_t> parse_address(std::string_view text)
{
	std::string_view digits = text;
	if (digits.size() > 2 && digits[0] == '0' &&
	    (digits[1] == 'x' || digits[1] == 'X'))
		digits.remove_prefix(2);
	// from_chars would take a sign or wrap silently on neither, but be
	// explicit: 1 to 16 hex digits, nothing else.
	if (digits.empty() || digits.size() > 16)
		return std::nullopt;
	return parse_number(digits, 16);
}

} // namespace ksyms
