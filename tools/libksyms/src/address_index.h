// SPDX-License-Identifier: BSD-2-Clause
// Address -> symbol, answered by a bucket table and a short search.
//
// At build time the symbols are flattened into sorted, non-overlapping
// segments of the address space, each owned by one symbol.  The goal is 20
// million lookups a second, and a binary search over all 240,000 segment
// starts of a kernel (1.9 MB) misses cache at nearly every step, so the
// search is narrowed first:
//
//  - regions: the starts are cut where two consecutive ones lie far apart
//    (per-cpu offsets, vmlinux, modules), so the empty space between them
//    costs nothing; a handful of regions, searched in L1;
//  - buckets: inside a region, address bits above `shift_` pick a bucket,
//    and the bucket table gives the few segments that can hold an address
//    of that bucket; shift_ is chosen at build time so that buckets hold
//    about two segments on average;
//  - a branch-free search over those starts, then one compare against the
//    segment's end.
//
// A segment carries what an answer needs (the owner's address, extent and
// st_name), so a lookup reads neither the symbol table nor a name.
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

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ksyms {

class SymbolTable;

class AddressIndex {
public:
	struct Segment {
		uint64_t end;		// exclusive
		uint64_t symbol_address;	// the owner's st_value
		uint64_t extent;	// st_size, or the size of 0 made good
		uint32_t symbol;	// ELF symbol index
		uint32_t name;		// the owner's st_name
	};

	static AddressIndex build(const SymbolTable &table);

	// The segment that holds `address`, or null.
	const Segment *find(uint64_t address) const
	{
		return check(address, search(address, bounds(address)));
	}

	// find() for each of `count` addresses into out[0 .. count).  The
	// lookups go in groups, a step of every lookup of a group at a time,
	// with each step prefetching what the next one reads: the cache misses
	// of a group overlap instead of following each other.
	void find_many(const uint64_t *addresses, size_t count,
		       const Segment **out) const;

	// Segments, the sentinel not counted.
	size_t segment_count() const
	{
		return starts_.empty() ? 0 : starts_.size() - 1;
	}
	size_t region_count() const { return regions_.size(); }
	unsigned shift() const { return shift_; }

private:
	struct Region {
		uint64_t base;
		uint32_t first;		// its first entry in buckets_
		uint32_t buckets;	// entries: buckets + 2
	};

	// The steps of find().  bounds(): the entry pair of the address's
	// bucket, between which the answer (the last start <= address) lies.
	const uint32_t *bounds(uint64_t address) const
	{
		// The last region whose base is <= address; regions_[0] has
		// base 0.  The ternaries compile to conditional moves.
		const Region *region = regions_.data();
		size_t n = regions_.size();
		while (n > 1) {
			size_t half = n / 2;
			region = region[half].base <= address ? region + half :
								 region;
			n -= half;
		}
		uint64_t bucket = (address - region->base) >> shift_;
		bucket = bucket < region->buckets ? bucket : region->buckets;
		return buckets_.data() + region->first + bucket;
	}

	// The index of the last start <= address in [bounds[0], bounds[1]].
	size_t search(uint64_t address, const uint32_t *bounds) const
	{
		const uint64_t *base = starts_.data() + bounds[0];
		size_t n = bounds[1] - bounds[0] + 1;
		while (n > 1) {
			size_t half = n / 2;
			base = base[half] <= address ? base + half : base;
			n -= half;
		}
		return base - starts_.data();
	}

	const Segment *check(uint64_t address, size_t index) const
	{
		const Segment *segment = &segments_[index];
		return address < segment->end ? segment : nullptr;
	}

	// Index 0 is a sentinel segment [0, 0) that owns nothing, so that every
	// search has a start <= address to land on.
	std::vector<uint64_t> starts_;
	std::vector<Segment> segments_;	// parallel to starts_
	std::vector<Region> regions_;
	// Per region, buckets + 2 entries: entry b is the last segment whose
	// start is <= the bucket's first address (clamped below the next
	// region), entry buckets is the region's last segment, and it is
	// repeated once so that the clamped bucket has an upper bound.
	std::vector<uint32_t> buckets_;
	unsigned shift_ = 0;
};

} // namespace ksyms

#endif
