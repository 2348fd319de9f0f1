// SPDX-License-Identifier: BSD-2-Clause
// What kallsyms_text.h declares.

#include "kallsyms_text.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>
#include <system_error>

namespace bench {

namespace {

Error malformed_line(const char *p, const char *end)
{
	const char *nl = static_cast<const char *>(std::memchr(p, '\n', end - p));
	return Error{"malformed /proc/kallsyms line: " + std::string(p, nl ? nl : end)};
}

// Every "%lx %c name[\t[module]]\n" line, parsed in place: on_name(address,
// letter, name, end) reads the name and returns where it ends (its tab or
// newline), or a point past the module to skip it.
template <typename OnName>
Status parse_lines(const char *p, const char *end, OnName &&on_name)
{
	while (p < end) {
		std::uint64_t addr = 0;
		auto [q, ec] = std::from_chars(p, end, addr, 16);
		if (ec != std::errc() || end - q < 4 || q[0] != ' ' || q[2] != ' ')
			return malformed_line(p, end);
		const char *name = q + 3;
		const char *after = on_name(addr, static_cast<unsigned char>(q[1]), name, end);
		if (after == name)
			return malformed_line(p, end);
		p = after;
		if (p < end && *p == '\t')	// a module's name: a few bytes
			while (p < end && *p != '\n')
				p++;
		p += p < end;
	}
	return success();
}

} // namespace

Result<Consumed> checksum_kallsyms(const char *text, std::size_t len)
{
	Consumed c;
	auto s = parse_lines(text, text + len, [&c](std::uint64_t addr, unsigned char letter,
						    const char *name, const char *end) {
		std::uint64_t h;
		const char *p = scan_name<LineEnds>(name, end, &h);
		c.sum += symbol_hash(addr, letter, std::size_t(p - name), h);
		c.count++;
		return p;
	});
	if (!s.ok())
		return s.error();
	return c;
}

Status parse_kallsyms(char *text, std::size_t len, Symbols &out)
{
	out.clear();
	out.reserve(std::count(text, text + len, '\n'));
	return parse_lines(text, text + len, [&out, text](std::uint64_t addr, unsigned char,
							  const char *name, const char *end) {
		const char *p = scan_name<LineEnds>(name, end, nullptr);
		char *nul = text + (p - text);
		out.emplace_back(addr, name);
		const char *after = p;
		if (p < end && *p == '\t')	// skip the module before the NUL hides the tab
			while (after < end && *after != '\n')
				after++;
		*nul = '\0';	// the tab or newline; the last line's may be the buffer's own NUL
		return after;
	});
}

} // namespace bench
