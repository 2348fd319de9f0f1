// SPDX-License-Identifier: BSD-2-Clause
// Name -> every symbol of that name, in image order.
//
// One hash entry per distinct name pointing at its first symbol, and a
// per-symbol link to the next symbol of the same name: duplicates (static
// functions of the same name in different files) cost 4 bytes each instead
// of a vector per name.
#ifndef KSYMS_SRC_NAME_INDEX_H
#define KSYMS_SRC_NAME_INDEX_H

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ksyms {

class SymbolTable;

class NameIndex {
public:
	static NameIndex build(const SymbolTable &table);

	// Calls `visit(index)` for each symbol called `name`, in image order.
	template <typename Visit>
	void for_each(std::string_view name, Visit visit) const
	{
		auto found = first_.find(name);
		if (found == first_.end())
			return;
		for (uint32_t i = found->second; i != 0; i = next_[i])
			visit(i);
	}

private:
	// Views into the image's string table.
	std::unordered_map<std::string_view, uint32_t> first_;
	std::vector<uint32_t> next_;	// 0 ends a chain (index 0 is null)
};

} // namespace ksyms

#endif
