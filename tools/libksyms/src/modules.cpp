// SPDX-License-Identifier: BSD-2-Clause
#include <ksyms/modules.h>

#include "atomic_file.h"
#include "text_fields.h"

#include <algorithm>
#include <cerrno>

namespace ksyms {

ModuleMap::ModuleMap(std::vector<ModuleRange> ranges)
	: ranges_(std::move(ranges))
{
	std::sort(ranges_.begin(), ranges_.end(),
		  [](const ModuleRange &a, const ModuleRange &b) {
			  return a.base < b.base;
		  });
}

Expected<ModuleMap> ModuleMap::parse_proc_modules(std::string_view text,
						 std::string_view source)
{
	std::vector<ModuleRange> ranges;
	bool saw_hidden = false;
	std::string_view line;
	for (unsigned number = 1; next_line(text, line); number++) {
		// name size refcount deps state address [(taints)]
		std::string_view fields[6];
		for (std::string_view &field : fields)
			field = next_field(line);
		if (fields[0].empty())
			continue;	// a blank line
		auto size = parse_number(fields[1], 10);
		auto base = parse_number(fields[5], 16);
		if (!size || !base)
			return Error::with_message(
				EINVAL, source,
				"line " + std::to_string(number) +
					": not \"name size refs deps state address\"");
		if (*base == 0) {
			saw_hidden = true;
			continue;
		}
		ranges.push_back({std::string(fields[0]), *base, *size});
	}
	ModuleMap map(std::move(ranges));
	map.addresses_hidden_ = saw_hidden && map.ranges_.empty();
	return map;
}

Expected<ModuleMap> ModuleMap::read_proc_modules(const std::string &path)
{
	Expected<std::string> text = read_whole_file(path);
	if (!text)
		return text.error();
	return parse_proc_modules(*text, path);
}

std::string_view ModuleMap::module_of(uint64_t address) const
{
	auto after = std::upper_bound(
		ranges_.begin(), ranges_.end(), address,
		[](uint64_t value, const ModuleRange &range) {
			return value < range.base;
		});
	if (after == ranges_.begin())
		return {};
	const ModuleRange &range = *(after - 1);
	if (address - range.base >= range.size)
		return {};
	return range.name;
}

} // namespace ksyms
