// SPDX-License-Identifier: BSD-2-Clause
#include <ksyms/symbolize.h>

#include "match_text.h"
#include "text_fields.h"

namespace ksyms {

std::string format_build_id(std::span<const uint8_t> build_id)
{
	std::string out(2 * build_id.size(), '\0');
	match_text::put_build_id(out.data(), build_id);
	return out;
}

void append_match(std::string &out, std::string_view name, uint64_t offset,
		  uint64_t size, std::string_view module,
		  std::span<const uint8_t> build_id)
{
	size_t at = out.size();
	out.resize(at + match_text::bound(name.size(), module.size(),
					  build_id.size()));
	char *end = match_text::put_match(out.data() + at, name, offset, size,
					  module, build_id);
	out.resize(end - out.data());
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
