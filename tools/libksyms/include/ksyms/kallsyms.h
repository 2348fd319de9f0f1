// SPDX-License-Identifier: BSD-2-Clause
// /proc/kallsyms as values, and how a snapshot differs from it.
#ifndef KSYMS_KALLSYMS_H
#define KSYMS_KALLSYMS_H

#include <ksyms/error.h>
#include <ksyms/export.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ksyms {

class Snapshot;

struct KallsymsEntry {
	uint64_t address = 0;
	char letter = '?';
	std::string_view name;		// into the table's text
	std::string_view module;	// "" for vmlinux
};

// Entries point into the text the table owns, so the table can be moved
// freely but the entries live only as long as it does.
class KSYMS_API KallsymsTable {
public:
	// "ffffffff81000000 T _stext" or "... t name\t[module]", one per line.
	// `source` names the text in error messages.
	static Expected<KallsymsTable> parse(
		std::string text, std::string_view source = "/proc/kallsyms");
	static Expected<KallsymsTable> read(
		const std::string &path = "/proc/kallsyms");

	const std::vector<KallsymsEntry> &entries() const { return entries_; }
	// Every address is zero: the reader may not see them (kptr_restrict).
	bool addresses_hidden() const;

private:
	std::unique_ptr<std::string> text_;	// stable address for the views
	std::vector<KallsymsEntry> entries_;
};

struct SymbolDifference {
	enum class Side { only_in_snapshot, only_in_kallsyms };
	Side side;
	uint64_t address;
	std::string name;
};

// Compares (address, name) multisets; the result is sorted by address, then
// name, then side.  Empty means the two agree.
[[nodiscard]] KSYMS_API std::vector<SymbolDifference> compare(
	const Snapshot &snapshot, const KallsymsTable &kallsyms);

} // namespace ksyms

#endif
