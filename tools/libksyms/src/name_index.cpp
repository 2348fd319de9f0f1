// SPDX-License-Identifier: BSD-2-Clause
#include "name_index.h"

#include "symbol_table.h"

namespace ksyms {

NameIndex NameIndex::build(const SymbolTable &table)
{
	NameIndex index;
	uint32_t count = table.entry_count();
	index.next_.assign(count, 0);
	index.first_.reserve(count);
	// Backwards, so that each chain ends up in image order.
	for (uint32_t i = count; i-- > 1;) {
		uint32_t &first = index.first_[table.symbol(i).name];
		index.next_[i] = first;
		first = i;
	}
	return index;
}

} // namespace ksyms
