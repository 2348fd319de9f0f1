// SPDX-License-Identifier: GPL-2.0
// Address -> symbol, answered by one binary search.
//
// At build time the symbols are flattened into sorted, non-overlapping
// segments of the address space, each owned by one symbol, so that a lookup
// is a branch-free search over one array of segment starts plus one compare
// against the segment's end.  The later goal is 20 million lookups a second,
// so the searched array holds nothing but the starts.
//
// Who owns an address (the rules the segments encode):
//  - only symbols with a non-zero address take part, and neither section or
//    file symbols nor undefined ones;
//  - a symbol with a size covers [address, address + size);
//  - a symbol of size 0 covers up to the next higher symbol address, as
//    kallsyms reports sizes (the highest one covers only its own address);
//    it yields to any sized symbol, so a label inside a function does not
//    hide the function;
//  - where sized symbols nest or overlap, the one that starts last wins
//    (the innermost); among equal ones the preferred is, in order: one with
//    a type (FUNC, OBJECT) over NOTYPE, then GLOBAL over WEAK over LOCAL,
//    then the lowest index (image order).
#ifndef KSYMS_SRC_ADDRESS_INDEX_H
#define KSYMS_SRC_ADDRESS_INDEX_H

#include <cstdint>
#include <optional>
#include <vector>

namespace ksyms {

class SymbolTable;

class AddressIndex {
public:
	struct Hit {
		uint32_t symbol;	// ELF symbol index
		uint64_t extent;	// st_size, or the size of 0 made good
	};

	static AddressIndex build(const SymbolTable &table);

	std::optional<Hit> find(uint64_t address) const
	{
		size_t n = starts_.size();
		if (n == 0 || address < starts_[0])
			return std::nullopt;
		// Invariant: base[0] <= address; the answer is in [base, base+n).
		// The ternary compiles to a conditional move.
		const uint64_t *base = starts_.data();
		while (n > 1) {
			size_t half = n / 2;
			base = base[half] <= address ? base + half : base;
			n -= half;
		}
		const Segment &segment = segments_[base - starts_.data()];
		if (address >= segment.end)
			return std::nullopt;
		return Hit{segment.symbol, segment.extent};
	}

	size_t segment_count() const { return starts_.size(); }

	struct Segment {
		uint64_t end;
		uint64_t extent;
		uint32_t symbol;
	};

private:
	std::vector<uint64_t> starts_;
	std::vector<Segment> segments_;	// parallel to starts_
};

} // namespace ksyms

#endif
