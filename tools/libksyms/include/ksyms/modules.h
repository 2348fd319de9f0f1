// SPDX-License-Identifier: BSD-2-Clause
// Which module an address belongs to, from /proc/modules.
//
// For an image without an object table (FreeBSD's four sections, or a file
// from another source), a snapshot can borrow the answer from
// /proc/modules: each line gives a module's name, its size and its base
// address.  It is an approximation: since Linux 6.4 a module's memory is
// several allocations, /proc/modules gives the base of its text and the sum of
// all their sizes, so data far from the text is not attributed.
#ifndef KSYMS_MODULES_H
#define KSYMS_MODULES_H

#include <ksyms/error.h>
#include <ksyms/export.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ksyms {

struct ModuleRange {
	std::string name;
	uint64_t base = 0;
	uint64_t size = 0;
};

class KSYMS_API ModuleMap {
public:
	ModuleMap() = default;
	explicit ModuleMap(std::vector<ModuleRange> ranges);

	// Parses /proc/modules text ("name size refs deps state 0xaddr [taint]").
	// Lines whose address is zero (the reader lacks privilege) are left
	// out; addresses_hidden() then says why the map is empty.  `source`
	// names the text in error messages.
	static Expected<ModuleMap> parse_proc_modules(
		std::string_view text,
		std::string_view source = "/proc/modules");
	static Expected<ModuleMap> read_proc_modules(
		const std::string &path = "/proc/modules");

	// The module whose [base, base + size) holds `address`, or "".
	[[nodiscard]] std::string_view module_of(uint64_t address) const;

	const std::vector<ModuleRange> &ranges() const { return ranges_; }
	bool empty() const { return ranges_.empty(); }
	bool addresses_hidden() const { return addresses_hidden_; }

private:
	std::vector<ModuleRange> ranges_;	// sorted by base
	bool addresses_hidden_ = false;
};

} // namespace ksyms

#endif
