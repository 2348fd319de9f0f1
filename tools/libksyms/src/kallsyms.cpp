// SPDX-License-Identifier: BSD-2-Clause
#include <ksyms/kallsyms.h>

#include <ksyms/snapshot.h>

#include "atomic_file.h"
#include "text_fields.h"

#include <algorithm>
#include <cerrno>
#include <tuple>
#include <utility>

namespace ksyms {

Expected<KallsymsTable> KallsymsTable::parse(std::string text,
					     std::string_view source)
{
	KallsymsTable table;
	table.text_ = std::make_unique<std::string>(std::move(text));
	std::string_view rest = *table.text_;
	std::string_view line;
	for (unsigned number = 1; next_line(rest, line); number++) {
		if (line.empty())
			continue;
		// The kernel prints "%px %c %s\n", or "%px %c %s\t[%s]\n" for a
		// module symbol; names never hold blanks.
		std::string_view address = next_field(line);
		std::string_view letter = next_field(line);
		std::string_view name = next_field(line);
		std::string_view module = next_field(line);
		auto value = parse_number(address, 16);
		bool module_ok = module.empty() ||
				 (module.size() > 2 && module.front() == '[' &&
				  module.back() == ']');
		if (!value || letter.size() != 1 || name.empty() || !module_ok ||
		    !next_field(line).empty())
			return Error::with_message(
				EINVAL, source,
				"line " + std::to_string(number) +
					": not \"address letter name [module]\"");
		if (!module.empty())
			module = module.substr(1, module.size() - 2);
		table.entries_.push_back({*value, letter[0], name, module});
	}
	return table;
}

Expected<KallsymsTable> KallsymsTable::read(const std::string &path)
{
	Expected<std::string> text = read_whole_file(path);
	if (!text)
		return text.error();
	return parse(std::move(*text), path);
}

bool KallsymsTable::addresses_hidden() const
{
	return std::all_of(entries_.begin(), entries_.end(),
			   [](const KallsymsEntry &e) { return e.address == 0; });
}

std::vector<SymbolDifference> compare(const Snapshot &snapshot,
				      const KallsymsTable &kallsyms)
{
	using Key = std::pair<uint64_t, std::string_view>;
	std::vector<Key> ours, theirs;
	ours.reserve(snapshot.symbol_count());
	for (Symbol symbol : snapshot.symbols())
		ours.emplace_back(symbol.address, symbol.name);
	theirs.reserve(kallsyms.entries().size());
	for (const KallsymsEntry &entry : kallsyms.entries())
		theirs.emplace_back(entry.address, entry.name);
	std::sort(ours.begin(), ours.end());
	std::sort(theirs.begin(), theirs.end());

	// A merge walk over the two sorted multisets: equal keys pair off one
	// for one, so a symbol listed twice on one side and once on the other
	// is one difference.
	std::vector<SymbolDifference> differences;
	auto only = [&](SymbolDifference::Side side, const Key &key) {
		differences.push_back({side, key.first, std::string(key.second)});
	};
	size_t i = 0, j = 0;
	while (i < ours.size() || j < theirs.size()) {
		if (j == theirs.size() ||
		    (i < ours.size() && ours[i] < theirs[j]))
			only(SymbolDifference::Side::only_in_snapshot, ours[i++]);
		else if (i == ours.size() || theirs[j] < ours[i])
			only(SymbolDifference::Side::only_in_kallsyms,
			     theirs[j++]);
		else
			i++, j++;
	}
	return differences;
}

} // namespace ksyms
