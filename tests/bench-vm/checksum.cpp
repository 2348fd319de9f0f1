// SPDX-License-Identifier: BSD-2-Clause
// What checksum.h declares out of line.

#include "checksum.h"

namespace bench {

Consumed checksum_addresses(const Symbols &syms)
{
	Consumed c{syms.size(), 0};
	for (const auto &s : syms)
		c.sum += mix64(s.first);
	return c;
}

} // namespace bench
